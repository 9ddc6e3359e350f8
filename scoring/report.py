"""`newsscore report`: execute notebooks/report.ipynb on a scores file and export it to one HTML file.

The notebook is run with nbclient in a kernel of this interpreter (ipykernel's `python3` spec: jupyter_client
replaces its `python` with sys.executable), after a cell holding the parameters is injected below the cell
tagged `parameters` (as papermill does). nbconvert exports it with the code hidden and the plots embedded.
The helpers below are what the notebook calls, so they are tested outside it too.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.applicability import score_withheld
from scoring.compare import has_scores, ok_rows
from scoring.model import ReportingStyleModel, default_model_path
from scoring.outputs import read_table, write_text_atomically
from scoring.pipeline import Analysis
from scoring.resources import report_notebook_path
from scoring.sanitize import html_visible, terminal_text
from scoring.store import StoreError, check_store, is_store_path, read_store_table

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the directory holding the `scoring` package
REPORT_NOTEBOOK = report_notebook_path()  # shipped inside the package (scoring/resources.py)
NOTEBOOKS_DIR = REPORT_NOTEBOOK.parent
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
_SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


class ReportError(RuntimeError):
    """The report notebook could not be found, executed or exported; the message says which cell failed."""


# ---------------------------------------------------------------------------------------------- notebook


def inject_parameters(notebook: Any, parameters: Mapping[str, object]) -> Any:
    """Insert a code cell assigning `parameters` after the cell tagged 'parameters' (first cell if none);
    a previously injected cell is replaced. Values must be Python literals (repr round-trips)."""
    import nbformat

    source = "# Parameters injected by newsscore report\n" + "".join(
        f"{name} = {value!r}\n" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INJECTED_TAG]})
    cells = [c for c in notebook.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    position = next((k + 1 for k, c in enumerate(cells)
                     if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])), 0)
    notebook.cells = cells[:position] + [cell] + cells[position:]
    return notebook


def kernel_environment() -> dict[str, str]:
    """The kernel's environment: this one, with Python's import path reduced to the installed packages and
    this project (no inherited PYTHONPATH or start-up file), and the working directory kept off it."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONUSERBASE")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env["PYTHONSAFEPATH"] = "1"  # Python 3.11+: `python -m ipykernel_launcher` does not put the cwd first
    env["PYTHONNOUSERSITE"] = "1"
    return env


def execute_notebook(notebook_path: str | Path, parameters: Mapping[str, object], *, timeout: int = 600,
                     cwd: str | Path | None = None, kernel_name: str = "python3") -> Any:
    """Read a notebook, inject `parameters`, execute every cell and return the executed notebook.

    The kernel runs in `cwd`, by default a fresh empty temporary directory, with `kernel_environment()`:
    never in the directory of the scores file, where a planted `ipykernel_launcher.py` or any module the
    kernel imports would run. Raises ReportError naming the failing cell's error."""
    if cwd is None:
        remove_stale_kernel_dirs()
        with tempfile.TemporaryDirectory(prefix=f"{KERNEL_DIR_PREFIX}{os.getpid()}-") as neutral:
            return execute_notebook(notebook_path, parameters, timeout=timeout, cwd=neutral,
                                    kernel_name=kernel_name)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = inject_parameters(nbformat.read(str(notebook_path), as_version=4), parameters)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(cwd)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no startup chatter
    # the kernel's connection file (its ports and key) in its own directory, not loose in the temp folder
    # where a killed report would leave it; the client still owns (shuts down, cleans up) the kernel
    client.km = client.create_kernel_manager()
    client.km.connection_file = str(Path(cwd) / ".kernel-connection.json")
    try:
        client.execute(cwd=str(cwd), env=kernel_environment())
    except CellExecutionError as exc:  # the error itself, not the cell's source and traceback
        raise ReportError(f"{Path(notebook_path).name}: a cell failed: {exc.ename}: {exc.evalue}") from exc
    return notebook


KERNEL_DIR_PREFIX = "newsscore-kernel-"  # + the report's process id: its kernel's folder in the temp folder


def remove_stale_kernel_dirs() -> list[Path]:
    """Remove the kernel directories (and connection files in them) that reports killed by `kill -9` left
    in the temporary folder: those whose process no longer runs. Returns what was removed."""
    import shutil

    from scoring.outputs import pid_alive

    removed = []
    for candidate in Path(tempfile.gettempdir()).glob(f"{KERNEL_DIR_PREFIX}*"):
        pid = candidate.name[len(KERNEL_DIR_PREFIX):].split("-", 1)[0]
        if candidate.is_dir() and pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def notebook_to_html(notebook: Any, *, show_code: bool = False, title: str = "newsscore report") -> str:
    """The executed notebook as one self-contained HTML page: images inline as data URIs, code cells hidden
    unless `show_code`, and every <script> removed (the template's require.js, MathJax and mermaid loaders
    come from a CDN; the report needs no script)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=not show_code, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return _SCRIPT_RE.sub("", body)


def run_report(scores_path: str | Path, out_html: str | Path, *, timeout: int = 600,
               model_path: str | Path | None = None, notebook: str | Path = REPORT_NOTEBOOK,
               min_articles: int = 5, top_n: int = 3, show_code: bool = False,
               include_flagged: bool = False) -> Path:
    """Execute the report notebook on a scores file or store (.csv/.jsonl/.parquet/.duckdb from `newsscore
    score`) and write it as a self-contained HTML file (written atomically). Returns the HTML path. Articles
    the applicability check flagged are left out of the outlet statistics unless `include_flagged`."""
    scores_path = Path(scores_path).resolve()
    out_html = Path(out_html)
    if not scores_path.is_file():
        raise ReportError(f"scores file not found: {scores_path}")
    if not Path(notebook).is_file():
        raise ReportError(f"report notebook not found: {notebook}")
    _check_scores_columns(scores_path)
    parameters = {
        "scores_path": str(scores_path),
        "model_path": None if model_path is None else str(Path(model_path).resolve()),
        "source_root": str(Path.cwd()),
        "min_articles": min_articles,
        "top_n": top_n,
        "include_flagged": include_flagged,
    }
    executed = execute_notebook(notebook, parameters, timeout=timeout)
    write_text_atomically(notebook_to_html(executed, show_code=show_code), out_html)
    return out_html


# ---------------------------------------------------------------------------------------------- helpers


PLOT_LABEL_CHARS = 60  # an outlet name longer than this is cut in plot labels


def plot_label(value: object, limit: int = PLOT_LABEL_CHARS) -> str:
    """A value as a plot's tick label: control and bidi characters escaped (a newline split the label in
    two), cut to `limit` characters with an ellipsis (a 200,000-character outlet name kept the figure's
    layout running for minutes). Maths text is off in the notebook, so `$` stays a dollar sign."""
    text = terminal_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


SCORES_FILE_COLUMNS = ("id", "source", "outlet", "status")  # what every `newsscore score` output holds


def _header_columns(path: Path) -> list[str] | None:
    """The column names of a .csv/.jsonl/.parquet table from its header alone (None: not readable so)."""
    import csv
    import json

    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            if suffix == ".csv":
                return next(csv.reader(handle), [])
            if suffix == ".jsonl":
                first = next((line for line in handle if line.strip()), "{}")
                record = json.loads(first)
                return list(record) if isinstance(record, dict) else []
    except Exception:  # noqa: BLE001 - unreadable here (pyarrow's, csv's, json's errors): the notebook says why
        return None
    return None


def _check_scores_columns(path: Path) -> None:
    """Refuse, before starting a kernel, a table that is not a scores file (a CSV of someone else's)."""
    if is_store_path(path):
        try:
            check_store(path)
        except StoreError as exc:
            raise ReportError(str(exc)) from None
        return
    columns = _header_columns(path)
    if columns is None:
        return
    missing = [name for name in SCORES_FILE_COLUMNS if name not in columns]
    if missing:
        shown = ", ".join(terminal_text(name)[:40] for name in columns[:12]) or "none"
        raise ReportError(f"{terminal_text(path.name)} is not a scores file from `newsscore score`: "
                          f"no column {', '.join(missing)} (its columns: {shown})")


def table_html(frame: pd.DataFrame, **to_html: Any) -> str:
    """`frame.to_html` (which HTML-escapes every cell) with control and bidi characters in its text cells
    and headers shown as escapes: an outlet name holding a right-to-left override reordered the table."""
    visible = frame.rename(columns=html_visible)
    for column in visible.columns:
        if not pd.api.types.is_numeric_dtype(visible[column]):
            visible[column] = visible[column].map(lambda v: html_visible(v) if isinstance(v, str) else v)
    return visible.to_html(**to_html)


def load_model_or_none(model_path: str | Path | None = None) -> tuple[ReportingStyleModel | None, str]:
    """The model (given path, else the default) and a note for the report's "model:" line (its file name);
    (None, why) when it is missing or mismatched."""
    path = Path(model_path) if model_path else default_model_path()
    if not path.exists():
        return None, f"none (no model file at {path})"
    try:
        return ReportingStyleModel.load(path), path.name
    except ValueError as exc:  # ModelMismatchError
        return None, f"none ({path.name} does not fit this code: {exc})"


def load_scores(scores_path: str | Path, model: ReportingStyleModel | None) -> tuple[pd.DataFrame, str]:
    """The scores table and where its scores come from. A features-only table is scored with `model`
    (when there is one) so the report still ranks, a too-short article's score withheld as in a batch;
    without either, the table stays features-only."""
    if is_store_path(scores_path):
        scores = pd.DataFrame(read_store_table(scores_path))  # its failed inputs too, as error rows
    else:
        scores = read_table(scores_path)
    if has_scores(scores):
        return scores, "scores as written in the file"
    if model is None:
        return scores, "features only: the file has no score column and no model is available"
    good = ok_rows(scores)
    good = good[[not score_withheld(row) for row in good.to_dict("records")]]
    scores = scores.copy()
    scores["score"] = float("nan")
    if len(good):
        scores.loc[good.index, "score"] = model.score(good)
    return scores, "scores computed by the report with the model (the file has features only)"


def _candidate_paths(source: str, roots: Sequence[str | Path]) -> list[Path]:
    path = Path(source)
    if path.is_absolute():
        return [path]
    return [Path(root) / path for root in roots]


def reload_analyses(rows: pd.DataFrame, roots: Sequence[str | Path] = (".",)) -> dict[str, Analysis]:
    """Re-read and analyse the articles of some score rows from their `source` (a file, or `file#row`
    for row formats), resolving relative sources against `roots`. Returns id -> Analysis for those found."""
    from scoring.ingest import iter_articles
    from scoring.pipeline import analyse

    wanted: dict[Path, set[str]] = {}
    for source, article_id in zip(rows["source"].astype(str), rows["id"].astype(str), strict=True):
        file_part = source.rsplit("#", 1)[0] if "#" in Path(source).name else source
        # a file named with a '#' (a#b.txt) is itself the source; else the part before its last '#row'
        names = [source, file_part] if file_part != source else [source]
        found_file = next((candidate for name in names for candidate in _candidate_paths(name, roots)
                           if candidate.is_file()), None)
        if found_file is not None:
            wanted.setdefault(found_file, set()).add(article_id)
    found: dict[str, Analysis] = {}
    for path, ids in wanted.items():
        for article in iter_articles([path]):
            if article.id in ids and article.id not in found:
                found[article.id] = analyse(article)
                if ids <= found.keys():
                    break
    return found


def evidence_summary(analysis: Analysis, kinds: Iterable[str] = ("quote", "attribution", "hedge",
                                                                 "modal_hedge", "loaded", "boilerplate"),
                     per_kind: int = 4, width: int = 140) -> dict[str, list[str]]:
    """A compact evidence list: up to `per_kind` span texts (whitespace folded, shortened) per kind."""
    summary: dict[str, list[str]] = {}
    if analysis.features is None:
        return summary
    text = analysis.article.text
    for kind in kinds:
        spans = sorted((s for s in analysis.features.spans if s.kind == kind), key=lambda s: s.start)
        excerpts = []
        for span in spans[:per_kind]:
            excerpt = " ".join(text[span.start:span.end].split())
            excerpts.append(excerpt if len(excerpt) <= width else excerpt[: width - 3] + "...")
        if spans:
            summary[f"{kind} ({len(spans)})"] = excerpts
    return summary


__all__ = [
    "REPORT_NOTEBOOK",
    "ReportError",
    "evidence_summary",
    "execute_notebook",
    "inject_parameters",
    "load_model_or_none",
    "load_scores",
    "notebook_to_html",
    "reload_analyses",
    "run_report",
    "table_html",
]
