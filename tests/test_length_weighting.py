"""Per-1k-words rates weighed for length: a short article's rate rests on few words, so the score uses the
article's rate averaged with the typical rate (a gamma-Poisson prior fitted on training features alone)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import training_slice

from scoring.explain import feature_phrase, reasons_for_rows
from scoring.model import ReportingStyleModel, weigh_for_length
from scoring.train import MAX_PRIOR_WORDS, fit_scorecard, rate_prior


@pytest.fixture(scope="module")
def slice_table() -> pd.DataFrame:
    """Up to 30 training rows of each class of two data sets (features extracted)."""
    return training_slice(["recovery", "allsides-mbfc"], 30)


def test_the_prior_recovers_the_strength_of_simulated_gamma_poisson_rates() -> None:
    rng = np.random.default_rng(0)
    words = rng.integers(150, 2500, 20_000).astype(float)
    true_rate = rng.gamma(shape=5.0, scale=1.0, size=words.size)  # mean 5 per 1k words, variance 5
    rates = 1000.0 * rng.poisson(true_rate * words / 1000.0) / words
    prior_rate, prior_words = rate_prior(rates, words)
    assert prior_rate == pytest.approx(5.0, rel=0.03)
    assert prior_words == pytest.approx(1000.0 * 5.0 / 5.0, rel=0.15)  # 1000 x mean / variance of true rates


def test_a_rate_whose_spread_is_all_counting_noise_is_weighed_down_to_its_mean() -> None:
    rng = np.random.default_rng(1)
    words = rng.integers(150, 2500, 5_000).astype(float)
    rates = 1000.0 * rng.poisson(3.0 * words / 1000.0) / words  # one true rate for every article
    assert rate_prior(rates, words)[1] > 4 * words.max()  # no article's own count outweighs the mean
    assert rate_prior(np.zeros(10), np.full(10, 500.0)) == (0.0, MAX_PRIOR_WORDS)


def test_weighing_averages_the_rate_with_the_prior_by_their_words() -> None:
    rates = np.array([[0.0, 10.0], [20.0, 10.0], [4.0, 10.0]])
    words = np.array([100.0, 300.0, 0.0])
    weighed = weigh_for_length(rates, words, np.array([5.0, np.nan]), np.array([300.0, 0.0]))
    assert weighed[:, 0] == pytest.approx([(0 * 100 + 5 * 300) / 400, (20 * 300 + 5 * 300) / 600, 5.0])
    assert (weighed[:, 1] == 10.0).all()  # no prior: unchanged


def test_a_short_article_without_loaded_words_no_longer_earns_full_points(slice_table: pd.DataFrame) -> None:
    fitted = fit_scorecard(slice_table)
    row = slice_table.iloc[0].to_dict()
    row["loaded_words_per_1k_words"] = 0.0
    short, long = dict(row, body_word_count=130.0), dict(row, body_word_count=5000.0)
    at = fitted.feature_names.index("loaded_words_per_1k_words")
    short_s, long_s = fitted.feature_satisfaction([short, long])[:, at]
    assert short_s < long_s  # zero in 130 words is weaker evidence of neutral language than zero in 5,000
    unweighed = fit_scorecard(slice_table, weigh_rates=False)
    assert np.ptp(unweighed.feature_satisfaction([short, long])[:, at]) == 0.0


def test_learned_rates_carry_their_prior_and_set_or_share_features_do_not(slice_table: pd.DataFrame) -> None:
    fitted = fit_scorecard(slice_table)
    for criterion in fitted.criteria:
        for feature in criterion["features"]:
            is_rate = feature["name"].endswith("_per_1k_words") and not criterion["fixed"]
            assert ("prior_rate" in feature) == is_rate, feature["name"]
    assert fitted.input_names[-1] == "body_word_count" and "body_word_count" not in fitted.feature_names
    assert not any("prior_rate" in f for c in fit_scorecard(slice_table, weigh_rates=False).criteria
                   for f in c["features"])


def test_a_weighed_model_round_trips_and_scores_the_same(tmp_path: Path, slice_table: pd.DataFrame) -> None:
    fitted = fit_scorecard(slice_table)
    loaded = ReportingStyleModel.load(fitted.save(tmp_path / "m.json"))
    assert "body_word_count" in json.loads((tmp_path / "m.json").read_text())["feature_names"]
    assert np.array_equal(loaded.score(slice_table), fitted.score(slice_table))


def test_a_reason_shows_the_rate_the_score_used_when_weighing_changed_it(slice_table: pd.DataFrame) -> None:
    assert feature_phrase("loaded_words_per_1k_words", 0.0, 6.2) == (
        "loaded words 0.0 per 1k words (6.2 weighed for length)")
    assert feature_phrase("loaded_words_per_1k_words", 6.0, 6.01) == "loaded words 6.0 per 1k words"
    fitted = fit_scorecard(slice_table)
    row = dict(slice_table.iloc[0].to_dict(), body_word_count=130.0, loaded_words_per_1k_words=0.0)
    texts = [r.text for r in reasons_for_rows(fitted, [row], top=20)[0]]
    assert any("loaded words 0.0 per 1k words (" in t and "weighed for length)" in t for t in texts)


def test_the_label_s_reasons_place_the_weighed_rate_between_the_anchors(slice_table: pd.DataFrame) -> None:
    from scoring.quality_label import quality_label

    fitted = fit_scorecard(slice_table)
    row = dict(slice_table.iloc[0].to_dict(), body_word_count=130.0, loaded_words_per_1k_words=0.0)
    neutral = next(c for c in quality_label(row, [], fitted) if c.name == "neutral_language")
    reason = next(r for r in neutral.reasons if r.startswith("loaded_words_per_1k_words"))
    assert reason.startswith("loaded_words_per_1k_words 0 (") and "weighed for length):" in reason
    assert neutral.numbers["loaded_words_per_1k_words"] == 0.0  # the numbers stay as extracted
