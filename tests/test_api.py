"""The Python API (scoring.score_text / score_frame / explain / NewsFeatures) gives what the CLI gives."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import estimator_checks

import scoring
from scoring.cli import main
from scoring.explain import in_words
from scoring.features import feature_names
from scoring.ingest import iter_articles
from scoring.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
SAMPLE = ROOT / "corpus" / "sample" / "articles.jsonl"
VERDICTS = {"pass", "partial", "fail"}


def sample_frame(n: int = 8) -> pd.DataFrame:
    return pd.read_json(SAMPLE, lines=True, dtype=False).head(n)


def test_import_scoring_loads_no_heavy_module() -> None:
    code = ("import sys, scoring; heavy = [m for m in ('pandas', 'numpy', 'sklearn', 'scoring.api', "
            "'scoring.model') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_api_names_are_exported_and_listed() -> None:
    for name in ("score_text", "score_frame", "explain", "NewsFeatures", "Explanation", "feature_specs"):
        assert name in scoring.__all__ and name in dir(scoring)
        assert getattr(scoring, name) is not None
    with pytest.raises(AttributeError):
        scoring.no_such_name  # noqa: B018


def test_score_text_equals_the_batch_row_of_each_seed() -> None:
    from scoring.batch import resolve_model, score_chunk
    from scoring.model import default_model_path

    model, version = resolve_model(default_model_path())
    rows = score_chunk(list(iter_articles([str(p) for p in SEEDS])), model, version)
    for path, row in zip(SEEDS, rows, strict=True):
        result = scoring.score_text(path.read_text(encoding="utf-8"))
        assert result.score == pytest.approx(row["score"], abs=1e-9)
        assert result.features == {name: row[name] for name in feature_names()}
        assert "; ".join(in_words(result.reasons)) == row["top_reasons"]
        assert [f"label_{c.name}" for c in result.label] == [k for k in row if k.startswith("label_")]
        assert {c.verdict for c in result.label} <= VERDICTS
        assert all(0 <= s.start <= s.end <= len(result.article.text) for s in result.spans)
        assert 0 <= result.score <= 100 and len(result.reasons) == 3


def test_score_text_takes_metadata_and_outlet_from_url() -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    result = scoring.score_text(text, title="NATO condemns", url="https://www.bbc.co.uk/news/x")
    assert (result.article.title, result.article.outlet) == ("NATO condemns", "bbc.co.uk")
    assert scoring.score_text(text, outlet="Caliber.Az", url="https://x.org/a").article.outlet == "caliber.az"


def test_explanation_repr_is_one_line_without_the_article_text() -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    result = scoring.score_text(text)
    shown = repr(result)
    assert "\n" not in shown and len(shown) < 200 and text[:40] not in shown
    assert f"id={result.article.id!r}" in shown and f"score={result.score:.1f}" in shown
    assert f"spans={len(result.spans)}" in shown and "status='ok'" in shown


@pytest.mark.parametrize("bad", ["", "   \n\t ", "x" * (5 * 1024 * 1024 + 1)])
def test_score_text_rejects_unusable_text_with_the_ingest_reason(bad: str) -> None:
    with pytest.raises(ValueError, match="empty text|size limit"):
        scoring.score_text(bad)


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=400))
def test_score_text_on_any_unicode_scores_or_says_why(text: str) -> None:
    try:
        result = scoring.score_text(text)
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    if result.score_withheld:  # too short to judge: no score, the reason says so
        assert result.score is None and "too short to judge" in result.warnings[0].message
    else:
        assert 0 <= result.score <= 100
    assert all(np.isfinite(v) for v in result.features.values())


def test_explain_is_the_object_the_cli_prints_as_json() -> None:
    path = SEEDS[4]
    result = CliRunner().invoke(main, ["explain", str(path), "--json"], catch_exceptions=False)
    printed = json.loads(result.output)
    mine = scoring.explain(path.read_text(encoding="utf-8")).to_dict()
    assert set(mine) == set(printed)
    for key in ("id", "score", "probability_reliable", "points", "reasons", "quality_label", "features",
                "spans"):
        assert mine[key] == printed[key], key
    assert len(mine["reasons"]) == 5


def test_explain_renders_as_html_in_a_notebook_and_without_a_model() -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    html = scoring.explain(text)._repr_html_()
    assert 'class="ns-explain"' in html and "Reporting-style score" in html
    bare = scoring.explain(text, with_model=False)
    assert bare.score is None and bare.reasons == () and bare.features and bare.label
    assert "No model" in bare._repr_html_()


def test_score_frame_has_the_columns_and_values_of_newsscore_score(tmp_path: Path) -> None:
    frame = sample_frame(6)
    frame.loc[3, "text"] = "   "  # a bad row: an error row in both, the rest goes on
    inputs = tmp_path / "in.jsonl"
    frame.to_json(inputs, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "scores.csv"
    CliRunner().invoke(main, ["score", str(inputs), "-o", str(out), "--quiet", "--jobs", "1"],
                       catch_exceptions=False)
    cli = pd.read_csv(out, keep_default_na=False)
    mine = scoring.score_frame(frame)
    assert list(mine.columns) == list(cli.columns)
    assert list(mine["status"]) == list(cli["status"]) == ["ok", "ok", "ok", "error", "ok", "ok"]
    assert mine.loc[3, "error"] == "<frame>#4: empty text in column 'text'"
    ranks = pd.read_csv(out)["rank"]
    assert mine["rank"].isna().tolist() == ranks.isna().tolist() == [False, False, False, True, False, False]
    assert list(mine["rank"].dropna()) == list(ranks.dropna().astype(int))
    ok = mine["status"] == "ok"
    assert list(mine.loc[ok, "id"]) == list(cli.loc[ok, "id"])  # an error row's id hashes its source
    np.testing.assert_allclose(mine.loc[ok, "score"].astype(float), cli.loc[ok, "score"].astype(float),
                               rtol=1e-9)
    guarded = cli.loc[ok, "top_reasons"].str.removeprefix("'")  # the CSV writer's formula guard
    assert list(mine.loc[ok, "top_reasons"]) == list(guarded)
    assert list(mine["outlet"]) == list(cli["outlet"])


def test_score_frame_keeps_the_index_and_reads_other_column_names() -> None:
    frame = sample_frame(3).rename(columns={"text": "body"}).set_index(pd.Index([10, 20, 30]))
    scored = scoring.score_frame(frame, text_column="body")
    assert list(scored.index) == [10, 20, 30] and set(scored["status"]) == {"ok"}
    assert sorted(scored["rank"]) == [1, 2, 3]
    assert "score" not in scoring.score_frame(frame, text_column="body", with_model=False).columns
    with pytest.raises(ValueError, match="no text column 'text'"):
        scoring.score_frame(frame)


# ------------------------------------------------------------------------------------------ transformer


def test_news_features_equals_the_pipeline_features() -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    transformer = scoring.NewsFeatures().fit(texts)
    matrix = transformer.transform(texts)
    names = list(transformer.get_feature_names_out())
    assert names == feature_names() and matrix.shape == (5, len(names))
    for row, article in zip(matrix, iter_articles([str(p) for p in SEEDS]), strict=True):
        values = analyse(article).features.values
        assert list(row) == [values[n] for n in names]


def test_news_features_in_a_users_pipeline_clone_and_pickle() -> None:
    frame = sample_frame(40)
    y = (frame["mbfc_fact"] == "high").astype(int)
    chosen = ["quotes_per_1k_words", "named_source_share", "exclamations_per_1k_words"]
    pipe = Pipeline([("features", scoring.NewsFeatures(features=chosen)), ("scale", StandardScaler()),
                     ("clf", LogisticRegression())])
    pipe.fit(frame["text"], y)
    assert pipe.predict_proba(frame["text"]).shape == (40, 2)
    assert list(pipe[:-1].get_feature_names_out()) == chosen
    twin = clone(pipe)
    assert twin.get_params()["features__features"] == chosen
    features = pickle.loads(pickle.dumps(pipe.named_steps["features"]))
    np.testing.assert_array_equal(features.transform(frame["text"][:3]),
                                  pipe.named_steps["features"].transform(frame["text"][:3]))


def test_news_features_pandas_output_keeps_the_index() -> None:
    texts = sample_frame(4)["text"].set_axis([7, 8, 9, 10])
    out = scoring.NewsFeatures(features=["quote_count"]).set_output(transform="pandas").fit_transform(texts)
    assert list(out.columns) == ["quote_count"] and list(out.index) == [7, 8, 9, 10]
    one_column = scoring.NewsFeatures(features=["quote_count"]).fit_transform(texts.to_frame())
    np.testing.assert_array_equal(one_column, out.to_numpy())


def test_news_features_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="unknown features"):
        scoring.NewsFeatures(features=["nope"]).fit([])
    with pytest.raises(ValueError, match="not one string"):
        scoring.NewsFeatures().fit([]).transform("a text")
    with pytest.raises(ValueError, match="row 1: .*empty text"):
        scoring.NewsFeatures().fit([]).transform([SEEDS[0].read_text(encoding="utf-8"), ""])
    matrix = scoring.NewsFeatures(on_error="nan").fit([]).transform(["", None, SEEDS[0].read_text()])
    assert np.isnan(matrix[:2]).all() and np.isfinite(matrix[2]).all()
    with pytest.raises(ValueError, match="on_error"):
        scoring.NewsFeatures(on_error="ignore").fit([])


# sklearn's generic checks that do not feed numeric matrices (the transformer's input is text)
DATA_FREE_CHECKS = ("check_estimator_cloneable", "check_estimator_repr", "check_no_attributes_set_in_init",
                    "check_parameters_default_constructible", "check_get_params_invariance",
                    "check_set_params", "check_do_not_raise_errors_in_init_or_set_params",
                    "check_transformers_unfitted", "check_mixin_order", "check_valid_tag_types",
                    "check_estimator_tags_renamed")


@pytest.mark.parametrize("check", DATA_FREE_CHECKS)
def test_news_features_passes_sklearns_estimator_checks(check: str) -> None:
    getattr(estimator_checks, check)("NewsFeatures", scoring.NewsFeatures())


@pytest.mark.slow
def test_api_example_notebook_runs_and_shows_what_it_says(tmp_path: Path) -> None:
    from scoring.report import NOTEBOOKS_DIR, execute_notebook

    executed = execute_notebook(NOTEBOOKS_DIR / "api_example.ipynb", {"corpus_dir": str(ROOT / "corpus")},
                                timeout=300, cwd=tmp_path)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o["output_type"] == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert re.search(r"score \d+\.\d", printed) and "features," in printed
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="ns-explain"' in page for page in html)  # the explanation's notebook view
    assert any("theblaze.com" in page and "npr.org" in page for page in html)  # the per-outlet table
