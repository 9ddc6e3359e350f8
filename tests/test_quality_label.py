"""The reporting-quality label (scoring/quality_label.py) on the seeds, against what a careful reader says,
and its invariants on open-ended values."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.features import extract, feature_names
from scoring.ingest import iter_articles
from scoring.quality_label import VERDICTS, feature_verdict, load_rules, quality_columns, quality_label
from scoring.segment import segment

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import derive_quality_thresholds  # noqa: E402


@pytest.fixture(scope="module")
def seed_labels() -> dict[str, dict]:
    out = {}
    for article in iter_articles([REPO / "corpus" / "seeds"]):
        record = extract(segment(article))
        out[Path(article.source).name[:3]] = {c.name: c for c in quality_label(record.values, record.spans)}
    return out


def test_marketing_page_004_fails_separating_reporting_from_promotion(seed_labels) -> None:
    criterion = seed_labels["004"]["separates_promotion"]
    assert criterion.verdict == "fail"
    assert criterion.numbers["promotional_share"] > 0
    assert any(s.kind == "boilerplate" and s.label == "promotional" for s in criterion.evidence)


def test_wire_story_001_passes_quoting_people_directly(seed_labels) -> None:
    criterion = seed_labels["001"]["direct_quotes"]
    assert criterion.verdict == "pass"
    assert {s.kind for s in criterion.evidence} >= {"quote", "speaker"}


def test_news_seeds_name_their_sources_and_keep_promotion_out(seed_labels) -> None:
    # 000-003 are news reports quoting named officials; 000's boilerplate is related links, not promotion.
    for seed in ("000", "001", "002", "003"):
        assert seed_labels[seed]["named_sources"].verdict == "pass", seed
        assert seed_labels[seed]["separates_promotion"].verdict == "pass", seed


def test_every_criterion_has_a_verdict_numbers_and_reasons(seed_labels) -> None:
    for label in seed_labels.values():
        assert len(label) == 5
        for criterion in label.values():
            assert criterion.verdict in VERDICTS
            assert criterion.numbers and criterion.reasons
            assert criterion.to_dict()["title"] == criterion.title


def test_empty_body_fails_sourcing_and_quoting() -> None:
    label = {c.name: c.verdict for c in quality_label(dict.fromkeys(feature_names(), 0.0), [])}
    assert label["named_sources"] == "fail" and label["direct_quotes"] == "fail"
    assert label["avoids_loaded_language"] == "pass"


def test_rules_name_real_features_and_ordered_thresholds() -> None:
    rules = load_rules()
    assert {r.feature for r in rules} <= set(feature_names())
    for r in rules:
        assert (r.pass_at >= r.fail_at) if r.higher_is_better else (r.pass_at <= r.fail_at), r


@given(st.sampled_from(load_rules()), st.floats(0, 100), st.floats(0, 100))
def test_a_better_value_never_gets_a_worse_verdict(rule, a: float, b: float) -> None:
    low, high = sorted((a, b))
    better, worse = (high, low) if rule.higher_is_better else (low, high)
    assert VERDICTS.index(feature_verdict(better, rule)) <= VERDICTS.index(feature_verdict(worse, rule))


@given(st.dictionaries(st.sampled_from(feature_names()), st.floats(0, 1000), max_size=40))
def test_columns_give_one_verdict_per_criterion(values: dict[str, float]) -> None:
    columns = quality_columns(values)
    assert set(columns) == {f"label_{r.criterion}" for r in load_rules()}
    assert set(columns.values()) <= set(VERDICTS)


def test_thresholds_follow_the_documented_quantiles() -> None:
    values = pd.Series(range(101), dtype=float)
    assert derive_quality_thresholds.thresholds(values, True)[:2] == (25.0, 5.0)
    assert derive_quality_thresholds.thresholds(values, False)[:2] == (75.0, 95.0)
