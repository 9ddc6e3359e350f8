"""The reporting scorecard (scoring/model.py, scoring/train.py, scoring/evaluate.py): criteria with fixed
directions, sign-constrained fit with data-set fixed effects, points that add up, a JSON model scored with
numpy alone, inputs selected by name, reasons in words, page hygiene on real pages."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import training_slice
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import features as registry
from scoring.features import FeatureFamily, FeatureRecord, extract, readability
from scoring.ingest import parse_html
from scoring.model import (
    ModelMismatchError,
    ReportingStyleModel,
    default_model,
    default_model_path,
    load_criteria,
    rank,
)
from scoring.pipeline import analyse
from scoring.records import Article
from scoring.segment import Block, Document
from scoring.settings import SETTINGS
from scoring.train import (
    balanced_weights,
    drop_negligible,
    fit_scorecard,
    fit_weights,
    seed_rows,
    training_mask,
)

ROOT = Path(__file__).resolve().parents[1]
EVAL_PAGES = sorted((ROOT / "corpus" / "eval" / "html").glob("*.html.gz"))
UNSCORED = (*readability.FEATURE_NAMES, "body_word_count", "body_block_count", "quote_count")


@pytest.fixture(scope="module")
def model() -> ReportingStyleModel:
    return default_model()


@pytest.fixture(scope="module")
def seeds() -> tuple[list[str], list[dict[str, float]], list]:
    return seed_rows()


@pytest.fixture(scope="module")
def slice_table() -> pd.DataFrame:
    """Up to 40 training rows of each class of three data sets (features extracted)."""
    return training_slice(["recovery", "allsides-mbfc", "golbeck2018"], 40)


# ------------------------------------------------------------------ criteria file


def test_criteria_name_registered_features_with_a_fixed_direction_a_reason_and_a_source() -> None:
    rows = load_criteria()
    names = set(registry.feature_names())
    assert rows and all(r.feature in names for r in rows)
    assert all(r.reason and r.source and r.title for r in rows)
    sources = " ".join(r.source for r in rows)
    for standard in ("SPJ Code of Ethics", "AP Stylebook", "NewsGuard", "IFCN"):
        assert standard in sources


def test_readability_and_length_are_reported_but_never_scored() -> None:
    assert not {r.feature for r in load_criteria()} & set(UNSCORED)


def test_page_hygiene_points_are_set_in_the_file_not_learned(model: ReportingStyleModel) -> None:
    hygiene = [r for r in load_criteria() if r.criterion == "page_hygiene"]
    assert {r.feature for r in hygiene} == {"promotional_share", "navigation_share"}
    assert all(r.points is not None and not r.higher_is_better for r in hygiene)
    spec = next(c for c in model.criteria if c["name"] == "page_hygiene")
    assert spec["fixed"] and spec["max_points"] == hygiene[0].points


def test_a_malformed_criteria_line_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="better must be higher or lower"):
        load_criteria("c\tt\tquotes_per_1k_words\tsideways\t\t\tfit\tr\ts\tquote\n")
    with pytest.raises(ValueError, match="10"):
        load_criteria("c\tt\tquotes_per_1k_words\thigher\n")


# ------------------------------------------------------------------ the fit


def test_a_weight_can_shrink_to_zero_but_never_flip_sign() -> None:
    rng = np.random.default_rng(0)
    s = rng.random((600, 2))
    target = (rng.random(600) < 0.2 + 0.6 * s[:, 1] * (1 - s[:, 0])).astype(int)  # column 0 reverses
    weights, _ = fit_weights(s, target, np.array(["a"] * 600))
    assert weights[0] == 0.0 and weights[1] > 0.5


def test_a_criterion_worth_under_the_minimum_points_is_not_scored(model: ReportingStyleModel) -> None:
    weights = np.array([0.5, 0.01, 0.3, 0.0])
    assert drop_negligible(weights, 90.0).tolist() == [0.5, 0.0, 0.3, 0.0]  # 0.01 would earn 1.1 points
    learned = [c["max_points"] for c in model.criteria if not c["fixed"]]
    assert all(points == 0 or points >= SETTINGS.train.min_points for points in learned)


def test_data_set_fixed_effects_keep_a_data_set_marker_out_of_the_weights() -> None:
    rng = np.random.default_rng(1)
    datasets = np.repeat(["reliable_heavy", "unreliable_heavy"], 400)
    marker = (datasets == "reliable_heavy").astype(float) * 0.8 + rng.random(800) * 0.2  # names the data set
    signal = rng.random(800)
    base = np.where(datasets == "reliable_heavy", 0.8, 0.2)
    target = (rng.random(800) < np.clip(base + 0.4 * (signal - 0.5), 0, 1)).astype(int)
    weights, intercepts = fit_weights(np.column_stack([marker, signal]), target, datasets)
    assert weights[0] < 0.3 * weights[1]
    assert intercepts["reliable_heavy"] > intercepts["unreliable_heavy"]


def test_classes_weigh_the_same_inside_each_data_set() -> None:
    target = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0])
    datasets = np.array(["a"] * 4 + ["b"] * 6)
    w = balanced_weights(target, datasets)
    for name in ("a", "b"):
        inside = datasets == name
        assert np.isclose(w[inside & (target == 1)].sum(), w[inside & (target == 0)].sum())
    assert np.isclose(w.sum(), 1.0)


def test_same_seed_trains_the_same_scorecard(slice_table: pd.DataFrame) -> None:
    first, second = fit_scorecard(slice_table, seed=3), fit_scorecard(slice_table, seed=3)
    assert first.criteria == second.criteria and first.seed == 3


def test_one_class_data_sets_carry_no_contrast(slice_table: pd.DataFrame) -> None:
    fitted = fit_scorecard(slice_table)
    assert set(fitted.facts["dataset_intercepts"]) == {"recovery", "allsides-mbfc"}  # golbeck2018: one class


def test_learned_points_share_what_the_set_points_leave(model: ReportingStyleModel) -> None:
    assert np.isclose(model.max_points.sum(), 100.0, atol=0.01)
    assert all(c["weight"] >= 0 for c in model.criteria)
    learned = [c for c in model.criteria if not c["fixed"]]
    total = sum(c["weight"] for c in learned)
    for c in learned:
        assert np.isclose(c["max_points"], 90.0 * c["weight"] / total, atol=0.01)


# ------------------------------------------------------------------ points that add up


def test_points_add_up_to_the_score_for_every_seed(model: ReportingStyleModel, seeds) -> None:
    _, rows, _ = seeds
    for row, score in zip(rows, model.score(rows), strict=True):
        assert np.isclose(sum(model.criterion_points(row).values()), score)
        assert np.isclose(sum(model.contributions(row).values()) + model.intercept, score)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_feature_values_give_a_bounded_score_whose_points_add_up(data: st.DataObject) -> None:
    scorecard = default_model()
    row = {
        name: data.draw(st.floats(0, 500, allow_nan=False), label=name) for name in scorecard.input_names
    }
    score = float(scorecard.score([row])[0])
    points = scorecard.criterion_points(row)
    assert 0.0 <= score <= 100.0 and np.isclose(sum(points.values()), score)
    for spec in scorecard.criteria:
        assert -1e-9 <= points[spec["name"]] <= spec["max_points"] + 1e-9


def test_a_better_value_never_lowers_the_score(model: ReportingStyleModel, seeds) -> None:
    _, rows, _ = seeds
    for spec in model.criteria:
        for feature in spec["features"]:
            row = dict(rows[1])
            before = float(model.score([row])[0])
            step = abs(feature["best"] - feature["worst"]) / 2 or 1.0
            row[feature["name"]] += step if feature["better"] == "higher" else -step
            assert float(model.score([row])[0]) >= before - 1e-9


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30))
def test_ranks_are_a_permutation_ordered_by_score(scores: list[float]) -> None:
    ranks = rank(scores)
    assert sorted(ranks.tolist()) == list(range(1, len(scores) + 1))
    order = np.argsort(ranks)
    assert all(scores[order[i]] >= scores[order[i + 1]] for i in range(len(scores) - 1))


# ------------------------------------------------------------------ the model file


def test_save_and_load_round_trip_as_json(tmp_path: Path, model: ReportingStyleModel, seeds) -> None:
    path = model.save(tmp_path / "m.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    for key in ("format_version", "package_version", "feature_names", "seed", "criteria"):
        assert key in payload
    again = ReportingStyleModel.load(path)
    assert np.allclose(again.score(seeds[1]), model.score(seeds[1]))
    assert path.stat().st_size < 50_000


def test_scoring_needs_numpy_only_no_scikit_learn_or_scipy() -> None:
    code = (
        "import json, sys\n"
        "from scoring.model import ReportingStyleModel, default_model_path\n"
        "payload = json.loads(default_model_path().read_text())\n"
        "m = ReportingStyleModel.from_dict(payload, registry_names=payload['feature_names'])\n"
        "row = dict.fromkeys(m.input_names, 1.0)\n"
        "assert 0 <= m.score([row])[0] <= 100\n"
        "bad = [name for name in ('sklearn', 'scipy', 'pandas', 'joblib') if name in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_a_model_loads_and_scores_while_the_registry_holds_extra_features(
    monkeypatch: pytest.MonkeyPatch, seeds
) -> None:
    def fake_extract(doc: Document) -> FeatureRecord:
        return FeatureRecord(values={"fake_feature_a": float(len(doc.text)), "fake_feature_b": 1.0})

    fake = FeatureFamily("fake", ("fake_feature_a", "fake_feature_b"), fake_extract)
    monkeypatch.setattr(registry, "FAMILIES", (*registry.FAMILIES, fake))
    assert "fake_feature_a" in registry.feature_names()
    loaded = ReportingStyleModel.load(default_model_path())
    names, _, _ = seeds
    text = (ROOT / "corpus" / "seeds" / names[1]).read_text(encoding="utf-8")
    values = analyse(Article(id="x", source="seed", text=text)).features.values
    assert "fake_feature_a" in values
    assert np.isclose(loaded.score([values])[0], default_model().score([values])[0])


def test_a_missing_needed_feature_fails_clearly_naming_it(tmp_path: Path) -> None:
    payload = json.loads(default_model_path().read_text(encoding="utf-8"))
    payload["feature_names"].append("feature_from_the_future")
    path = tmp_path / "future.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(ModelMismatchError, match="feature_from_the_future"):
        ReportingStyleModel.load(path)


def test_another_format_or_major_minor_version_fails(tmp_path: Path) -> None:
    payload = json.loads(default_model_path().read_text(encoding="utf-8"))
    for key, value, message in (
        ("format_version", 1, "format version"),
        ("package_version", "9.9.0", "9.9.0"),
    ):
        path = tmp_path / f"{key}.json"
        path.write_text(json.dumps({**payload, key: value}), encoding="utf-8")
        with pytest.raises(ModelMismatchError, match=message):
            ReportingStyleModel.load(path)
    (tmp_path / "pickle.json").write_bytes(b"\x80\x04not json")
    with pytest.raises(ModelMismatchError, match="not a newsscore model file"):
        ReportingStyleModel.load(tmp_path / "pickle.json")


# ------------------------------------------------------------------ reasons


def test_every_seed_s_first_reason_names_a_reporting_criterion(model: ReportingStyleModel, seeds) -> None:
    from scoring.explain import reasons

    names, rows, analyses = seeds
    titles = {c["title"] for c in model.criteria if c["max_points"] > 0}
    for row, analysis in zip(rows, analyses, strict=True):
        found = reasons(model, row, top=3, spans=analysis.features.spans)
        assert found and any(found[0].text.startswith(t) for t in titles)
        assert not any(word in r.text.lower() for r in found for word in ("flesch", "fog", "smog", "readab"))
        gaps = [abs(r.contribution) for r in found]
        assert gaps == sorted(gaps, reverse=True)
        assert " of " in found[0].text and "points" in found[0].text


# ------------------------------------------------------------------ page hygiene on real pages


def _without_boilerplate(doc: Document) -> Document:
    """The same page with every non-body block removed (the body blocks, unchanged, joined by newlines)."""
    parts, blocks, position = [], [], 0
    for block in doc.blocks:
        if block.is_body:
            piece = doc.text[block.start : block.end]
            blocks.append(Block(position, position + len(piece)))
            parts.append(piece)
            position += len(piece) + 1
    return Document("\n".join(parts), tuple(blocks), doc.title)


def test_removing_boilerplate_blocks_raises_the_score_as_the_criteria_file_states(
    model: ReportingStyleModel,
) -> None:
    assert not next(r for r in load_criteria() if r.criterion == "page_hygiene").higher_is_better
    pages = [
        parse_html(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), p.name) for p in EVAL_PAGES
    ]
    pages += [
        Article(id=p.stem, source=p.name, text=p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    ]
    assert len(pages) >= 25
    raised = 0
    for article in pages:
        analysis = analyse(article)
        before, after = analysis.features.values, extract(_without_boilerplate(analysis.document)).values
        gain = model.criterion_points(after)["page_hygiene"] - model.criterion_points(before)["page_hygiene"]
        change = float(model.score([after])[0] - model.score([before])[0])
        assert gain >= 0 and change >= -1e-6, article.source
        if before["promotional_share"] + before["navigation_share"] > 0.01:
            assert change > 0, article.source
            raised += 1
    assert raised >= 20


def test_adding_a_criterion_is_one_data_line(slice_table: pd.DataFrame) -> None:
    text = resources.files("scoring").joinpath("lexicons", "criteria.tsv").read_text(encoding="utf-8")
    line = (
        "qualifies_claims\tqualifies uncertain claims\tmodal_hedges_per_1k_words\thigher\t\t\tfit\t"
        "may and could mark what is not certain\tSPJ Code of Ethics: 'Verify information'\tmodal_hedge\n"
    )
    fitted = fit_scorecard(slice_table, load_criteria(text + line))
    assert fitted.criterion_names[-1] == "qualifies_claims"
    assert "modal_hedges_per_1k_words" in fitted.feature_names
    assert np.isclose(fitted.max_points.sum(), 100.0, atol=0.01)


def test_train_does_not_import_evaluate() -> None:
    code = "import sys, scoring.train\nassert 'scoring.evaluate' not in sys.modules\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_train_and_evaluate_commands_on_a_small_corpus(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scoring.cli import main

    articles = pd.read_parquet(ROOT / "corpus" / "training" / "articles.parquet")
    articles = articles[articles["dataset"].isin(["recovery", "fakenewscorpus"]) & training_mask(articles)]
    small = pd.concat([g.head(6) for _, g in articles.groupby(["dataset", "outlet"])]).head(160)
    corpus = tmp_path / "small.parquet"
    small.to_parquet(corpus, index=False)
    out = tmp_path / "m.json"
    result = CliRunner().invoke(main, ["train", str(corpus), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    card = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "Leave one data set out" in card and "recovery" in card
    first = json.loads(out.read_text(encoding="utf-8"))
    again = CliRunner().invoke(
        main, ["train", str(corpus), "-o", str(tmp_path / "n.json"), "--no-evaluation"]
    )
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["criteria"] == first["criteria"]


def test_the_fixed_direction_ceiling_sees_a_criterion_that_reverses(
    model: ReportingStyleModel, slice_table: pd.DataFrame
) -> None:
    from scoring.evaluate import fixed_direction_ceiling

    quotes = model.satisfaction_matrix(slice_table)[:, model.criterion_names.index("direct_quotes")]
    follows = slice_table.assign(target=(quotes > np.median(quotes)).astype(int), dataset="a")
    reverses = slice_table.assign(target=(quotes <= np.median(quotes)).astype(int), dataset="a")
    assert fixed_direction_ceiling(model, follows)["a"] > 0.95  # the criterion points the stated way
    assert fixed_direction_ceiling(model, reverses)["a"] < 0.75  # no weight may flip to follow it


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_satisfactions_are_the_per_criterion_means_numpy_gives(data: st.DataObject) -> None:
    """The cached layout's arithmetic is numpy's own mean of each criterion's feature satisfactions, to
    the bit (the scores files must not change with the speed-up), for one row and for several."""
    scorecard = default_model()
    rows = [{name: data.draw(st.floats(-50, 500, allow_nan=False), label=name)
             for name in scorecard.input_names} for _ in range(data.draw(st.integers(1, 4)))]
    per_feature = scorecard.feature_satisfaction(rows)
    index = {name: i for i, name in enumerate(scorecard.feature_names)}
    expected = np.column_stack([per_feature[:, [index[f["name"]] for f in c["features"]]].mean(axis=1)
                                for c in scorecard.criteria])
    assert np.array_equal(scorecard.satisfaction_matrix(rows), expected)


def test_editing_the_criteria_in_place_changes_the_scores(model: ReportingStyleModel, seeds) -> None:
    """Training edits criteria dicts in place: the cached anchors and points follow the edit."""
    _, rows, _ = seeds
    edited = ReportingStyleModel.from_dict(json.loads(json.dumps(model.to_dict())))
    before = edited.points_matrix(rows[:1])[0]
    criterion = next(c for c in edited.criteria if c["max_points"] > 0)
    column = edited.criterion_names.index(criterion["name"])
    criterion["max_points"] *= 2
    assert np.isclose(edited.points_matrix(rows[:1])[0][column], 2 * before[column])
    feature = next(f for c in edited.criteria for f in c["features"] if f["worst"] != f["best"])
    feature["worst"], feature["best"] = feature["best"], feature["worst"]  # the anchors swapped
    at = edited.feature_names.index(feature["name"])
    assert np.isclose(edited.feature_satisfaction(rows[:1])[0][at],
                      1.0 - model.feature_satisfaction(rows[:1])[0][at])


def test_the_evaluation_reports_length_alone_and_the_score_s_length_correlation(
    slice_table: pd.DataFrame,
) -> None:
    from scoring.evaluate import leave_one_dataset_out

    longer = slice_table.groupby("dataset")["body_word_count"].transform("median")
    table = slice_table.assign(target=(slice_table["body_word_count"] > longer).astype(int))
    result = leave_one_dataset_out(table, baselines=False)
    for held in result["datasets"].values():
        assert held["length_alone"]["article_auc"] == 1.0  # the label is length here
        assert -1.0 <= held["scorecard"]["length_spearman"] <= 1.0
    assert result["mean"]["length_alone_article_auc"] == 1.0
