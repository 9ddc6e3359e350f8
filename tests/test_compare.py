"""Outlet comparison against hand computations, and same-event grouping on the seeds and real articles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.compare import (
    bootstrap_mean_interval,
    compare_events,
    compare_outlets,
    event_table,
    group_events,
)
from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path
from scoring.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
TRAINING = ROOT / "corpus" / "training" / "articles.parquet"


def hand_table() -> pd.DataFrame:
    """Outlet a: 6 ok articles + 1 failed; outlet b: 2 articles; outlet c: 1 article."""
    rows = [("a", "ok", s, q) for s, q in zip([10, 20, 30, 40, 50, 60], [1, 2, 3, 4, 5, 6], strict=True)]
    rows += [("a", "error", None, None), ("b", "ok", 70, 10), ("b", "ok", 90, 30), ("c", "ok", 55, 0)]
    return pd.DataFrame(rows, columns=["outlet", "status", "score", "quotes_per_1k_words"])


def test_outlet_aggregates_match_a_hand_computation() -> None:
    table = compare_outlets(hand_table(), min_articles=5).set_index("outlet")
    assert table.loc["a", "articles"] == 6 and table.loc["a", "error_count"] == 1
    assert table.loc["b", "articles"] == 2 and table.loc["b", "error_count"] == 0
    assert table.loc["a", "score_mean"] == pytest.approx(35.0)
    assert table.loc["a", "score_median"] == pytest.approx(35.0)
    assert table.loc["b", "score_mean"] == pytest.approx(80.0)
    assert table.loc["b", "score_median"] == pytest.approx(80.0)
    assert table.loc["a", "quotes_per_1k_words"] == pytest.approx(3.5)
    assert table.loc["b", "quotes_per_1k_words"] == pytest.approx(20.0)
    # rank by mean score, 1 = highest, outlets with too few articles after the others: a; then b (80) > c (55)
    assert table["rank"].to_dict() == {"a": 1, "b": 2, "c": 3}
    assert compare_outlets(hand_table(), min_articles=1)["outlet"].tolist() == ["b", "c", "a"]
    # flagged, not hidden
    assert table["too_few_articles"].to_dict() == {"b": True, "c": True, "a": False}
    for outlet in ("a", "b"):
        low, high = table.loc[outlet, ["score_ci_low", "score_ci_high"]]
        assert low < table.loc[outlet, "score_mean"] < high
    assert 10 <= table.loc["a", "score_ci_low"] and table.loc["a", "score_ci_high"] <= 60
    assert 70 <= table.loc["b", "score_ci_low"] and table.loc["b", "score_ci_high"] <= 90
    # one article: the interval collapses to its score
    assert table.loc["c", "score_ci_low"] == table.loc["c", "score_ci_high"] == 55


def test_bootstrap_is_seeded_and_each_outlets_interval_ignores_the_others() -> None:
    first = compare_outlets(hand_table(), seed=3)
    again = compare_outlets(hand_table(), seed=3)
    pd.testing.assert_frame_equal(first, again)
    fewer = compare_outlets(hand_table()[lambda t: t["outlet"] != "c"], seed=3)
    a_first = first.set_index("outlet").loc["a", ["score_ci_low", "score_ci_high"]]
    a_fewer = fewer.set_index("outlet").loc["a", ["score_ci_low", "score_ci_high"]]
    assert a_first.tolist() == a_fewer.tolist()


def test_bootstrap_interval_agrees_with_the_normal_approximation_on_a_large_sample() -> None:
    values = np.random.default_rng(7).normal(60, 12, size=400)
    low, high = bootstrap_mean_interval(values, n_boot=4000, seed=1)
    half_width = 1.96 * values.std(ddof=1) / np.sqrt(len(values))
    assert (high - low) / 2 == pytest.approx(half_width, rel=0.1)
    assert (low + high) / 2 == pytest.approx(values.mean(), abs=0.25 * half_width)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40), st.integers(0, 2**31))
def test_bootstrap_interval_stays_within_the_data(values: list[float], seed: int) -> None:
    low, high = bootstrap_mean_interval(values, n_boot=200, seed=seed)
    assert min(values) - 1e-9 <= low <= high <= max(values) + 1e-9
    assert (low, high) == bootstrap_mean_interval(values, n_boot=200, seed=seed)


def test_features_only_table_has_no_score_columns_and_is_ordered_by_count() -> None:
    table = compare_outlets(hand_table().drop(columns="score"), min_articles=2)
    assert not {"score_mean", "score_median", "score_ci_low", "score_ci_high", "rank"} & set(table.columns)
    assert table["outlet"].tolist() == ["a", "b", "c"]
    assert table["too_few_articles"].tolist() == [False, False, True]


def test_missing_outlet_column_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no column 'site'"):
        compare_outlets(hand_table(), by="site")


# ---------------------------------------------------------------------------------------------- events


@pytest.fixture(scope="module")
def seed_analyses():
    return [analyse(article) for article in iter_articles([SEEDS])]


def test_seed_events_put_the_two_july_2025_nato_statement_articles_together(seed_analyses) -> None:
    names = [Path(a.article.source).name[:3] for a in seed_analyses]
    labels = dict(zip(names, group_events([a.document.body_text for a in seed_analyses],
                                          [a.article.id for a in seed_analyses]), strict=True))
    assert labels["000"] == labels["001"]
    for other in ("002", "003", "004"):
        assert labels[other] != labels["000"], labels


def test_same_text_and_lightly_edited_copies_share_an_event_and_unrelated_ones_do_not() -> None:
    articles = pd.read_parquet(TRAINING, columns=["text", "outlet", "dataset"])
    picked = articles.groupby("dataset").head(2).reset_index(drop=True)  # 10 articles from 5 data sets
    texts = picked["text"].tolist()
    paragraphs = texts[0].split("\n")
    edited = "\n".join(paragraphs[len(paragraphs) // 4:])  # a re-publication that drops the first quarter
    labels = group_events(texts + [texts[0], edited, "", "the and of"])
    assert labels[len(texts)] == labels[0]  # identical copy
    assert labels[len(texts) + 1] == labels[0]  # edited copy
    assert len(set(labels[: len(texts)])) >= 9  # unrelated stories are not merged wholesale
    assert labels[-2] != labels[-1] and labels[-2] not in labels[:-2]  # empty bodies stay alone


def test_event_comparison_explains_the_score_gap_inside_an_event(seed_analyses) -> None:
    model = ReportingStyleModel.load(default_model_path())
    table = event_table([SEEDS], model=model)
    nato = table[table["event_size"] == 2]
    assert len(nato) == 2 and nato["event"].nunique() == 1
    assert nato["score_vs_event_mean"].sum() == pytest.approx(0.0, abs=1e-9)
    assert nato["score"].is_monotonic_decreasing
    for why in nato["why"]:
        assert why.count("points vs event mean") == 3
    assert (table.loc[table["event_size"] == 1, "why"] == "").all()
    # the contributions named for the higher-scored article push the logit up on balance
    rows = pd.DataFrame([a.features.values | {"id": a.article.id} for a in seed_analyses])
    records = rows[model.input_names].to_dict("records")
    logit = pd.Series([sum(model.contributions(r).values()) for r in records], index=rows["id"])
    high, low = nato["id"].tolist()
    assert logit[high] > logit[low]


def test_event_comparison_without_a_model_names_feature_differences(seed_analyses) -> None:
    rows = pd.DataFrame([{"id": a.article.id, "outlet": a.article.outlet, **a.features.values}
                         for a in seed_analyses])
    table = compare_events(rows, [a.document.body_text for a in seed_analyses])
    nato = table[table["event_size"] == 2]
    assert "score" not in table.columns
    for why in nato["why"]:
        assert 1 <= why.count(" vs ") <= 3 and ("higher" in why or "lower" in why)
