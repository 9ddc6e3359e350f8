"""The report notebook and the exploration notebook run end to end on the bundled corpus."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path, rank
from scoring.outputs import read_table, write_table
from scoring.pipeline import analyse, base_row
from scoring.report import (
    INJECTED_TAG,
    NOTEBOOKS_DIR,
    REPORT_NOTEBOOK,
    execute_notebook,
    inject_parameters,
    load_scores,
    run_report,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
TRAINING = ROOT / "corpus" / "training" / "articles.parquet"


def scores_file(inputs: list[Path], out: Path, with_model: bool) -> Path:
    """What `newsscore score INPUTS -o OUT` writes: metadata, features, and (with a model) score and rank."""
    rows = [base_row(analyse(article)) for article in iter_articles(inputs)]
    if with_model:
        model = ReportingStyleModel.load(default_model_path())
        ok = [r for r in rows if r["status"] == "ok"]
        scores = model.score(ok)
        for row, score, position in zip(ok, scores, rank(scores, [r["id"] for r in ok]), strict=True):
            row |= {"model_version": "test", "score": float(score), "rank": int(position)}
        for row in rows:
            row.setdefault("model_version", None), row.setdefault("score", None), row.setdefault("rank", None)
    write_table(rows, out)
    return out


def png_count(page: str) -> int:
    return len(re.findall(r'src="data:image/png;base64,', page))


def test_stored_notebooks_have_no_outputs() -> None:
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path


def test_parameters_are_injected_after_the_parameters_cell_and_replaced_on_reinjection() -> None:
    notebook = nbformat.read(str(REPORT_NOTEBOOK), as_version=4)
    position = next(k for k, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
    inject_parameters(notebook, {"scores_path": "a.csv"})
    inject_parameters(notebook, {"scores_path": "b.csv", "top_n": 1})
    injected = [k for k, c in enumerate(notebook.cells) if INJECTED_TAG in c.metadata.get("tags", [])]
    assert injected == [position + 1]
    assert "scores_path = 'b.csv'\ntop_n = 1" in notebook.cells[position + 1].source


@pytest.mark.slow  # executes a notebook
def test_kernel_runs_this_interpreter(tmp_path: Path) -> None:
    probe = nbformat.v4.new_code_cell("import sys; print(sys.executable)")
    notebook = nbformat.v4.new_notebook(cells=[probe])
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, str(path))
    executed = execute_notebook(path, {}, timeout=120, cwd=tmp_path)
    printed = executed.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


@pytest.mark.slow  # executes a notebook
def test_report_on_the_seeds(tmp_path: Path) -> None:
    scores = scores_file([SEEDS], tmp_path / "scores.csv", with_model=True)
    out = run_report(scores, tmp_path / "out" / "report.html", timeout=300)
    page = out.read_text(encoding="utf-8")
    assert "<title>newsscore report</title>" in page
    assert png_count(page) == 3  # distribution, ranking with intervals, feature heat map
    assert "<script" not in page
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page  # no cell printed a warning/error
    assert "Highest scores" in page and "Lowest scores" in page
    best = read_table(scores).sort_values("score", ascending=False).iloc[0]
    assert Path(best["source"]).name in page
    assert 'class="ev ev-quote"' in page  # evidence of the shown articles is highlighted
    assert "<b>model:</b> default.json" in page  # not "model: model default.json"


@pytest.mark.slow  # executes a notebook
def test_report_on_real_articles_with_a_features_only_file(tmp_path: Path) -> None:
    articles = pd.read_parquet(TRAINING, columns=["text", "title", "outlet", "url"])
    counts = articles["outlet"].value_counts()
    big = [o for o in counts.index if not o.startswith("unknown")][:4]
    small = counts.index[counts.index.str.contains(r"\.") & (counts >= 2)][-1]
    sample = pd.concat([articles[articles["outlet"] == o].head(6) for o in big]
                       + [articles[articles["outlet"] == small].head(2)])
    inputs = tmp_path / "articles.parquet"
    sample.to_parquet(inputs)
    scores = scores_file([inputs], tmp_path / "features.parquet", with_model=False)
    table, note = load_scores(scores, ReportingStyleModel.load(default_model_path()))
    assert "computed by the report" in note and table["score"].notna().sum() == len(sample)
    out = run_report(scores, tmp_path / "report.html", timeout=300, min_articles=5)
    page = out.read_text(encoding="utf-8")
    assert png_count(page) == 3
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page
    outlets = table["outlet"].value_counts()  # as ingest names them (registered domain)
    assert len(outlets) == 5
    for outlet in outlets.index:
        assert outlet in page
    shown = pd.read_html(io.StringIO(page), match="too_few_articles")[0]
    assert shown.loc[shown["too_few_articles"], "outlet"].tolist() == [outlets.index[-1]]
    assert outlets.iloc[-1] == 2 and shown["rank"].tolist() == list(range(1, 6))


@pytest.mark.slow  # executes a notebook
def test_exploration_notebook_runs_on_the_seeds(tmp_path: Path) -> None:
    executed = execute_notebook(NOTEBOOKS_DIR / "explore_seeds.ipynb", {}, timeout=300, cwd=tmp_path)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    events = [o["data"]["text/plain"] for o in outputs if "event" in o.get("data", {}).get("text/plain", "")]
    assert events, "the event grouping cell printed nothing"


@pytest.mark.parametrize("missing", ["scores", "notebook"])
def test_report_reports_missing_inputs(tmp_path: Path, missing: str) -> None:
    from scoring.report import ReportError

    scores = tmp_path / "s.csv" if missing == "scores" else scores_file([SEEDS], tmp_path / "s.csv", False)
    notebook = tmp_path / "none.ipynb" if missing == "notebook" else REPORT_NOTEBOOK
    with pytest.raises(ReportError, match="not found"):
        run_report(scores, tmp_path / "r.html", notebook=notebook)


def test_the_report_model_note_is_the_file_name(tmp_path: Path) -> None:
    from scoring.report import load_model_or_none

    model, note = load_model_or_none()
    assert model is not None and note == "default.json"  # the report's line reads "model: default.json"
    missing = tmp_path / "none.json"
    assert load_model_or_none(missing) == (None, f"none (no model file at {missing})")
