"""The reporting-style model: determinism, exact explanations, scores, ranks, model-file checks."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import __version__
from scoring.evaluate import evaluate, platt, targets_met
from scoring.explain import load_phrases, phrase, reasons, reasons_in_words
from scoring.features import feature_names
from scoring.model import (
    EXCLUDED_FEATURES,
    Calibration,
    ModelMismatchError,
    ReportingStyleModel,
    model_feature_names,
    rank,
)
from scoring.pipeline import analyse
from scoring.records import Article
from scoring.train import BINARY_LABELS, binary_training_rows, build_feature_table

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
PER_OUTLET = 6
OUTLETS_PER_CLASS = 7


@pytest.fixture(scope="module")
def slice_table() -> pd.DataFrame:
    """A small outlet-balanced slice of the training corpus with its features (a few seconds)."""
    corpus = pd.read_parquet(ROOT / "corpus" / "training" / "articles.parquet")
    data = corpus[binary_training_rows(corpus)]
    picked = []
    for label in BINARY_LABELS:
        outlets = data[data["label"] == label].groupby("outlet").size()
        for outlet in outlets[outlets >= PER_OUTLET].index[:OUTLETS_PER_CLASS]:
            picked.append(data[data["outlet"] == outlet].head(PER_OUTLET))
    sliced = pd.concat(picked, ignore_index=True)
    features = build_feature_table(sliced, cache_path=None, n_jobs=1)
    table = pd.concat([sliced, features.drop(columns="id")], axis=1)
    table["target"] = table["label"].map(BINARY_LABELS)
    return table


@pytest.fixture(scope="module")
def model(slice_table: pd.DataFrame) -> ReportingStyleModel:
    names = model_feature_names()
    return ReportingStyleModel.fit(slice_table[names], slice_table["target"], names, seed=0)


@pytest.fixture(scope="module")
def seed_rows() -> list[dict[str, float]]:
    rows = []
    for path in SEEDS:
        analysis = analyse(Article(id=path.stem, source=str(path), text=path.read_text(encoding="utf-8")))
        rows.append(analysis.features.values)
    return rows


def calibrated_copy(model: ReportingStyleModel, slice_table: pd.DataFrame) -> ReportingStyleModel:
    cal = platt(model.raw_logit(slice_table), slice_table["target"].to_numpy())
    return ReportingStyleModel(model.pipeline, model.feature_names, cal, model.seed)


def test_same_seed_trains_the_same_model(slice_table: pd.DataFrame, model: ReportingStyleModel) -> None:
    names = model_feature_names()
    again = ReportingStyleModel.fit(slice_table[names], slice_table["target"], names, seed=0)
    assert np.array_equal(model.coefficients, again.coefficients)
    assert model.intercept == again.intercept
    assert np.array_equal(model.score(slice_table), again.score(slice_table))


def test_model_separates_its_training_slice(slice_table: pd.DataFrame, model: ReportingStyleModel) -> None:
    scores = model.score(slice_table)
    reliable = scores[slice_table["target"].to_numpy() == 1]
    unreliable = scores[slice_table["target"].to_numpy() == 0]
    assert reliable.mean() > unreliable.mean()


@pytest.mark.parametrize("calibrated", [False, True])
def test_contributions_plus_intercept_equal_the_logit_for_every_seed(
    slice_table: pd.DataFrame, model: ReportingStyleModel, seed_rows: list, calibrated: bool
) -> None:
    used = calibrated_copy(model, slice_table) if calibrated else model
    logits = used.logit(seed_rows)
    for row, logit in zip(seed_rows, logits, strict=True):
        total = sum(used.contributions(row).values()) + used.intercept
        assert np.isclose(total, logit)
        assert np.isclose(100 / (1 + np.exp(-total)), used.score([row])[0])


def test_seed_scores_are_within_0_and_100(model: ReportingStyleModel, seed_rows: list) -> None:
    scores = model.score(seed_rows)
    assert len(scores) == len(SEEDS) == 5
    assert ((scores >= 0) & (scores <= 100)).all()


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_feature_values_give_a_bounded_explained_score(data: st.DataObject) -> None:
    """Adversarial rows (zeros, huge rates) still give a score in [0, 100] whose logit the contributions
    explain exactly."""
    model = _shared_model()
    values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
    row = {name: data.draw(values) for name in model.feature_names}
    score = model.score([row])[0]
    assert 0 <= score <= 100
    total = sum(model.contributions(row).values()) + model.intercept
    assert np.isclose(total, model.logit([row])[0])


_MODEL_CACHE: list[ReportingStyleModel] = []


@pytest.fixture(autouse=True, scope="module")
def _share_model(model: ReportingStyleModel) -> None:
    _MODEL_CACHE[:] = [model]


def _shared_model() -> ReportingStyleModel:
    return _MODEL_CACHE[0]


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.sampled_from([0.0, 12.5, 50.0, 50.0, 99.9, 100.0]) | st.floats(0, 100), max_size=30)
)
def test_ranks_are_a_permutation_ordered_by_score(scores: list[float]) -> None:
    ranks = rank(scores)
    assert sorted(ranks.tolist()) == list(range(1, len(scores) + 1))
    for i in range(len(scores)):
        for j in range(len(scores)):
            if scores[i] > scores[j]:
                assert ranks[i] < ranks[j]
            if scores[i] == scores[j] and i < j:
                assert ranks[i] < ranks[j]  # ties: input order
    keys = [f"id{len(scores) - i:03d}" for i in range(len(scores))]  # reverse order of keys
    keyed = rank(scores, keys)
    assert sorted(keyed.tolist()) == list(range(1, len(scores) + 1))
    for i in range(len(scores)):
        for j in range(len(scores)):
            if scores[i] == scores[j] and keys[i] < keys[j]:
                assert keyed[i] < keyed[j]


def test_save_and_load_round_trip(
    tmp_path: Path, slice_table: pd.DataFrame, model: ReportingStyleModel
) -> None:
    calibrated = calibrated_copy(model, slice_table)
    path = calibrated.save(tmp_path / "m.joblib")
    loaded = ReportingStyleModel.load(path)
    assert loaded.feature_names == model_feature_names()
    assert loaded.calibration == calibrated.calibration
    assert np.array_equal(loaded.score(slice_table), calibrated.score(slice_table))
    assert not list(tmp_path.glob("*.tmp"))


def test_loading_with_other_features_names_the_missing_and_extra(
    tmp_path: Path, model: ReportingStyleModel
) -> None:
    path = model.save(tmp_path / "m.joblib")
    names = model_feature_names()
    expected = names[1:] + ["brand_new_feature"]
    with pytest.raises(ModelMismatchError) as error:
        ReportingStyleModel.load(path, expected_features=expected)
    message = str(error.value)
    assert "brand_new_feature" in message and "missing" in message
    assert names[0] in message and "extra" in message
    with pytest.raises(ModelMismatchError, match="different order"):
        ReportingStyleModel.load(path, expected_features=list(reversed(names)))


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [("package_version", "9.9.0", "9.9.0"), ("format_version", 99, "format version 99")],
)
def test_loading_another_version_raises(
    tmp_path: Path, model: ReportingStyleModel, key: str, value: object, needle: str
) -> None:
    path = model.save(tmp_path / "m.joblib")
    payload = joblib.load(path)
    payload[key] = value
    joblib.dump(payload, path)
    with pytest.raises(ModelMismatchError, match=needle):
        ReportingStyleModel.load(path)


def test_same_major_minor_version_loads(tmp_path: Path, model: ReportingStyleModel) -> None:
    path = model.save(tmp_path / "m.joblib")
    payload = joblib.load(path)
    payload["package_version"] = __version__.rsplit(".", 1)[0] + ".999"
    joblib.dump(payload, path)
    assert ReportingStyleModel.load(path).feature_names == model_feature_names()


def test_default_model_matches_the_registered_features() -> None:
    """Fails when an extractor changed its features: retrain with `python -m scoring.train` (see models/)."""
    model = ReportingStyleModel.load(ROOT / "models" / "default.joblib")
    assert model.facts["evaluation"]["models"]["features_logreg"]["article_auc"] > 0.5
    for name in ("default.md", "default.json"):
        assert (ROOT / "models" / name).exists()


def test_reasons_are_the_largest_contributions_in_words(model: ReportingStyleModel, seed_rows: list) -> None:
    for row in seed_rows:
        found = reasons(model, row, top=3)
        contributions = model.contributions(row)
        largest = sorted(contributions, key=lambda f: (-abs(contributions[f]), f))[: len(found)]
        assert [r.feature for r in found] == largest
        assert all(r.text and r.feature in contributions for r in found)
        assert len(reasons_in_words(model, row, top=2)) <= 2


def test_reason_phrases_name_registered_features_and_unknown_ones_get_a_generic_phrase() -> None:
    registered = set(feature_names())
    assert {feature for feature, _level in load_phrases()} <= registered
    assert (
        phrase("zz_made_up_per_1k_words", 12.34, high=True)
        == "high zz made up per 1k words (12.3)"  # no spec, no unit: units come from features/specs.tsv
    )
    assert "(0.37)" in phrase("zz_made_up_share", 0.37, high=False)
    assert phrase("legal_share", 0.37, high=True) == "high legal share (37%)"  # unit from its spec


def test_calibration_is_identity_free_when_absent(
    model: ReportingStyleModel, slice_table: pd.DataFrame
) -> None:
    unit = ReportingStyleModel(model.pipeline, model.feature_names, Calibration(1.0, 0.0), model.seed)
    assert np.allclose(unit.score(slice_table), model.score(slice_table))


@pytest.mark.slow  # full nested CV, ~70 s
def test_grouped_evaluation_runs_every_comparison_on_a_slice(slice_table: pd.DataFrame) -> None:
    from scoring.train import model_families

    result = evaluate(slice_table, model_families(), seed=0, registry_features=feature_names())
    assert sum(fold["test_outlets"] for fold in result["folds"]) == slice_table["outlet"].nunique()
    expected = {"tfidf_bow_logreg", "dataset_identity", "features_all_registry_c0.5", "features_logreg"}
    expected |= {"features_logreg_platt", "features_logreg_unweighted"}
    expected |= {f"features_minus_{name}" for name, members in model_families().items() if members}
    per_feature = result["confound"]["per_feature"]
    assert set(per_feature) == set(feature_names())
    for v in per_feature.values():
        assert v["dataset_auc_within_label"] is None or 0.5 <= v["dataset_auc_within_label"] <= 1.0
    assert expected <= set(result["models"])
    for metrics in result["models"].values():
        for key in ("article_auc", "outlet_auc", "macro_f1", "accuracy", "brier"):
            assert 0.0 <= metrics[key] <= 1.0
        assert sum(metrics["bin_counts"]) == len(slice_table)
    assert set(targets_met(result)) == {
        "article_auc>=0.80",
        "outlet_auc>=0.90",
        "article_auc_above_bag_of_words",
    }


def test_excluded_features_are_not_model_inputs(
    slice_table: pd.DataFrame, model: ReportingStyleModel, seed_rows: list
) -> None:
    """Excluded features are still computed by the registry but never reach the model: changing them does
    not move any score, and the shipped model does not list them."""
    registry = feature_names()
    assert set(EXCLUDED_FEATURES) <= set(registry), "an exclusion names a feature the registry dropped"
    assert all(reason.strip() for reason in EXCLUDED_FEATURES.values())
    assert model_feature_names() == [n for n in registry if n not in EXCLUDED_FEATURES]
    shipped = joblib.load(ROOT / "models" / "default.joblib")["feature_names"]
    assert not set(shipped) & set(EXCLUDED_FEATURES)
    for row in seed_rows:
        assert set(EXCLUDED_FEATURES) <= set(row)  # still extracted for reporting
        assert not set(model.contributions(row)) & set(EXCLUDED_FEATURES)
        inflated = {**row, **{name: row[name] * 50 + 1000 for name in EXCLUDED_FEATURES}}
        assert model.score([inflated])[0] == model.score([row])[0]
    with pytest.raises(ValueError, match="excluded from the model"):
        ReportingStyleModel.fit(slice_table[registry], slice_table["target"], registry, seed=0)


def test_model_needing_a_feature_the_registry_lacks_fails_to_load_clearly(
    tmp_path: Path, model: ReportingStyleModel
) -> None:
    path = model.save(tmp_path / "m.joblib")
    payload = joblib.load(path)
    payload["feature_names"] = [*payload["feature_names"][:-1], "retired_feature_per_1k_words"]
    joblib.dump(payload, path)
    with pytest.raises(ModelMismatchError) as error:
        ReportingStyleModel.load(path)
    message = str(error.value)
    assert "registry" in message and "no longer computes: retired_feature_per_1k_words" in message
    assert "Retrain" in message
