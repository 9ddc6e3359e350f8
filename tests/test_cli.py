"""End-to-end tests of the `newsscore` command line on the bundled seeds and on mixed bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.features import feature_names

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_score_seeds_writes_five_ok_rows_with_every_feature(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run("score", str(SEEDS), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 5
    assert set(table["status"]) == {"ok"}
    for name in feature_names():
        assert name in table.columns, name
        assert table[name].notna().all(), name
    assert sorted(Path(s).name for s in table["source"]) == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_mixed_directory_reports_every_input_and_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs / "seeds")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    latin1 = "Le ministre a déclaré : « Nous condamnons ces attaques », selon l’AFP."
    (inputs / "latin1.txt").write_bytes(latin1.encode("cp1252"))
    good = {"text": "NATO said on Friday it condemned the attacks.", "url": "https://www.reuters.com/world/x"}
    (inputs / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("score", str(inputs), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in rows}
    assert len(rows) == 5 + 3 + 2
    assert by_name["empty.txt"]["status"] == "error" and "empty" in by_name["empty.txt"]["error"]
    assert by_name["binary.txt"]["status"] == "error" and "binary" in by_name["binary.txt"]["error"]
    assert by_name["latin1.txt"]["status"] == "ok" and by_name["latin1.txt"]["word_count"] > 5
    assert by_name["feed.jsonl#1"]["status"] == "ok" and by_name["feed.jsonl#1"]["outlet"] == "reuters.com"
    assert by_name["feed.jsonl#2"]["status"] == "error" and "feed.jsonl#2" in by_name["feed.jsonl#2"]["error"]
    assert sum(r["status"] == "ok" for r in rows) == 7


def test_missing_input_is_exit_code_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "nope.txt" in result.output
    assert not (tmp_path / "o.csv").exists()


def test_unsupported_output_format_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(SEEDS), "-o", str(tmp_path / "o.xlsx"), "--quiet"])
    assert result.exit_code != 0
    assert "xlsx" in str(result.output) + str(result.exception)


def test_explain_prints_features_and_spans_of_seed_004() -> None:
    result = run("explain", str(SEEDS / "004_a74bc72940f21413.txt"), "--json")
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.output)
    assert set(explanation["features"]) == set(feature_names())
    text = (SEEDS / "004_a74bc72940f21413.txt").read_text(encoding="utf-8")
    assert explanation["spans"], "no evidence spans"
    for span in explanation["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_explain_human_output_names_every_family(seed: str) -> None:
    result = run("explain", str(SEEDS / seed))
    assert result.exit_code == 0
    for family in ("boilerplate", "quotes", "attribution", "readability", "language", "evidence"):
        assert family in result.output


def test_explain_gives_score_contributions_that_add_up_and_reasons() -> None:
    import math

    result = run("explain", str(SEEDS / "001_948b233b706f7776.txt"), "--json")
    explanation = json.loads(result.output)
    assert 0 <= explanation["score"] <= 100
    points = sum(p["points"] for p in explanation["points"].values())
    assert math.isclose(points, explanation["score"], abs_tol=0.05)
    assert explanation["reasons"] and all(r["text"] for r in explanation["reasons"])


def test_mismatched_model_file_is_a_clear_error(tmp_path: Path) -> None:
    from scoring.model import ModelMismatchError, ReportingStyleModel, default_model_path

    payload = json.loads(default_model_path().read_text(encoding="utf-8"))
    payload["feature_names"] = [*payload["feature_names"][1:], "feature_from_the_future"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(ModelMismatchError, match="feature_from_the_future"):
        ReportingStyleModel.load(bad)
    seed = str(SEEDS / "001_948b233b706f7776.txt")
    result = CliRunner().invoke(main, ["explain", seed, "--model", str(bad)])
    assert result.exit_code == 2
    assert "feature_from_the_future" in result.output


def test_notes_count_one_thing_in_the_singular(tmp_path: Path) -> None:
    """One failed input and one article scored before the applicability check: "1 input failed", "1
    article scored before ..." (one helper, `counted`, for every note; this note said "1 articles were")."""
    from scoring.cli import counted

    assert (counted(0, "input"), counted(1, "input"), counted(2, "article")) == ("0 inputs", "1 input",
                                                                                "2 articles")
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.csv"
    scored = run("score", str(inputs), "-o", str(out), "--top", "1")
    assert scored.exit_code == 0 and "1 input failed; first: " in " ".join(scored.output.split())
    table = pd.read_csv(out)
    table.drop(columns="warnings").drop(index=table.index[table["status"] == "ok"][1:]).to_csv(
        tmp_path / "old.csv", index=False)  # one ok row and no warnings column: a table from before the check
    compared = run("compare", str(tmp_path / "old.csv"))
    notes = " ".join(compared.output.split())
    assert compared.exit_code == 0 and "1 input failed (error_count" in notes
    assert "1 article scored before the applicability check" in notes


def test_report_without_the_report_extra_says_which_extra_to_install(tmp_path: Path, monkeypatch) -> None:
    """An installed wheel without `newsscore[report]`: the notebook modules are imported only when the report
    runs, so the CLI said "error: ModuleNotFoundError: No module named 'nbformat'" and exit 1."""
    import sys

    out = tmp_path / "s.csv"
    assert run("score", str(SEEDS), "-o", str(out), "--quiet").exit_code == 0
    monkeypatch.setitem(sys.modules, "nbformat", None)  # import nbformat now raises ImportError
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2, result.output
    assert "install the extra: pip install 'newsscore[report]'" in result.output
    assert not (tmp_path / "r.html").exists()
