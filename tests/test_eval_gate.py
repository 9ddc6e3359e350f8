"""The evaluation gate (benchmarks/eval_gate.py): it passes on the current extractors, reports a worsened
extractor as a drop below its floor, and refuses to compare when the evaluation data changed."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import eval_gate  # noqa: E402

from scoring.features import quotes  # noqa: E402


@pytest.fixture(scope="module")
def baseline() -> dict:
    return eval_gate.load_baseline()


def test_every_figure_has_a_floor_below_or_ceiling_above_its_measured_value(baseline: dict) -> None:
    for name, pin in baseline["figures"].items():
        if pin.get("lower_is_better"):
            assert pin["ceiling"] >= pin["measured"], name
        else:
            assert pin["floor"] <= pin["measured"], name
    assert "commit message" in baseline["comment"].lower()


def test_pinned_hashes_match_the_bundled_data(baseline: dict) -> None:
    assert eval_gate.hash_mismatches(baseline["data_sha256"], eval_gate.data_hashes()) == []


def test_current_extractors_meet_their_floors(baseline: dict) -> None:
    figures = eval_gate.compute(["polnear", "hedges", "loaded_language"])
    assert {"quote_recall", "attribution_precision", "hedge_f1", "loaded_recall"} <= figures.keys()
    assert eval_gate.below_floor(figures, baseline) == []


def test_a_quote_detector_that_finds_nothing_fails_the_gate(baseline: dict, monkeypatch) -> None:
    monkeypatch.setattr(quotes, "find_quotes", lambda doc: ())
    figures = eval_gate.polnear_figures()
    failures = eval_gate.below_floor(figures, baseline)
    assert figures["quote_recall"] == 0.0
    assert any(f.startswith("quote_recall") for f in failures)
    assert any(f.startswith("quote_precision") for f in failures)


def test_quotes_without_speakers_fail_the_speaker_floor(baseline: dict, monkeypatch) -> None:
    real = quotes.find_quotes
    monkeypatch.setattr(
        quotes, "find_quotes", lambda doc: tuple(dataclasses.replace(q, speaker="", speaker_span=None)
                                                 for q in real(doc))
    )
    figures = eval_gate.polnear_figures()
    assert figures["speaker_span_accuracy"] == 0.0
    assert any(f.startswith("speaker_span_accuracy") for f in eval_gate.below_floor(figures, baseline))


def test_a_worse_boilerplate_error_is_reported_above_its_ceiling(baseline: dict) -> None:
    pin = baseline["figures"]["boilerplate_share_mae"]
    failures = eval_gate.below_floor({"boilerplate_share_mae": pin["ceiling"] + 0.05}, baseline)
    assert failures and "ceiling" in failures[0]
    assert eval_gate.below_floor({"boilerplate_share_mae": pin["measured"]}, baseline) == []


def test_changed_data_is_detected_file_by_file(baseline: dict) -> None:
    pinned = dict(baseline["data_sha256"])
    current = dict(pinned)
    first = sorted(current)[0]
    current[first] = "0" * 64
    current["corpus/eval/extra.csv"] = "1" * 64
    del current[sorted(current)[-1]]
    messages = eval_gate.hash_mismatches(pinned, current)
    assert f"changed: {first}" in messages
    assert "new (not pinned): corpus/eval/extra.csv" in messages
    assert any(m.startswith("missing: ") for m in messages)


def test_the_gate_stops_with_a_clear_message_when_data_changed(monkeypatch, capsys, baseline: dict) -> None:
    changed = dict(baseline["data_sha256"])
    changed[sorted(changed)[0]] = "f" * 64
    monkeypatch.setattr(eval_gate, "data_hashes", lambda: changed)
    monkeypatch.setattr(eval_gate, "compute", lambda *a, **k: pytest.fail("compared on changed data"))
    assert eval_gate.main(["--skip-model"]) == 2
    assert "data changed: re-pin with --update-hashes and explain in the commit" in capsys.readouterr().err
