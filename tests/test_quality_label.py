"""The reporting-quality label (scoring/quality_label.py): verdicts from the same satisfactions as the score's
points, on the seeds and on open-ended values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.features import extract, feature_names
from scoring.ingest import iter_articles
from scoring.model import default_model
from scoring.quality_label import (
    VERDICTS,
    label_points,
    quality_column_names,
    quality_columns,
    quality_label,
    verdict_of,
)
from scoring.segment import segment
from scoring.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_records() -> dict[str, tuple[dict[str, float], list]]:
    out = {}
    for article in iter_articles([REPO / "corpus" / "seeds"]):
        record = extract(segment(article))
        out[Path(article.source).name[:3]] = (record.values, record.spans)
    return out


def test_label_and_points_come_from_the_same_satisfaction(seed_records) -> None:
    model = default_model()
    for values, spans in seed_records.values():
        points = model.criterion_points(values)
        for criterion in quality_label(values, spans):
            assert np.isclose(criterion.points, points[criterion.name])
            if criterion.max_points > 0:
                share = criterion.points / criterion.max_points
                label = SETTINGS.label
                assert criterion.verdict == (
                    "pass" if share >= label.pass_at else "fail" if share < label.fail_below else "partial"
                )


def test_wire_story_001_passes_quoting_and_naming_sources(seed_records) -> None:
    label = {c.name: c for c in quality_label(*seed_records["001"])}
    assert label["direct_quotes"].verdict == "pass" and label["named_sources"].verdict == "pass"
    assert any(span.kind == "quote" for span in label["direct_quotes"].evidence)


def test_seed_000_quotes_least_and_gets_the_worst_quotation_verdict(seed_records) -> None:
    verdicts = {k: {c.name: c for c in quality_label(*v)}["direct_quotes"] for k, v in seed_records.items()}
    worst = min(verdicts, key=lambda k: verdicts[k].satisfaction)
    assert worst == "000" and VERDICTS.index(verdicts["000"].verdict) >= VERDICTS.index(
        verdicts["001"].verdict
    )


def test_every_criterion_has_a_verdict_numbers_and_reasons(seed_records) -> None:
    for values, spans in seed_records.values():
        label = quality_label(values, spans)
        assert [f"label_{c.name}" for c in label] == quality_column_names()
        for criterion in label:
            assert criterion.verdict in VERDICTS and criterion.numbers and criterion.reasons
            assert "points" in criterion.reasons[-1] or "not scored" in criterion.reasons[-1]


def test_empty_body_fails_sourcing_and_quoting() -> None:
    label = {c.name: c.verdict for c in quality_label(dict.fromkeys(feature_names(), 0.0), [])}
    assert label["named_sources"] == "fail" and label["direct_quotes"] == "fail"


@given(st.floats(0, 1), st.floats(0, 1))
def test_a_higher_satisfaction_never_gets_a_worse_verdict(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert VERDICTS.index(verdict_of(high)) <= VERDICTS.index(verdict_of(low))


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(feature_names()), st.floats(0, 200, allow_nan=False)))
def test_columns_give_one_verdict_per_criterion_and_label_points_track_them(values: dict[str, float]) -> None:
    values = dict.fromkeys(feature_names(), 0.0) | values
    columns = quality_columns(values)
    assert list(columns) == quality_column_names() and set(columns.values()) <= set(VERDICTS)
    points = label_points(quality_label(values, []))
    assert 0 <= points <= 2 * len(columns)
