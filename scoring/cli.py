"""The `newsscore` command line: score, explain (and train, evaluate, compare, report as they land)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scoring import __version__
from scoring.cli_errors import SafeGroup, fail
from scoring.sanitize import json_for_terminal, markup_safe, plain, terminal_text

if TYPE_CHECKING:  # heavy modules (pandas, pyarrow, numpy, the pipeline, rich) load in the commands
    import pandas as pd
    from rich.console import Console

    from scoring.model import ReportingStyleModel
    from scoring.pipeline import Analysis


@lru_cache(maxsize=1)
def err_console() -> Console:
    """The console on stderr, made on first use (rich need not load for `--help` or a bad argument)."""
    from rich.console import Console

    return Console(stderr=True)


def counted(n: int, noun: str) -> str:
    """A count and its noun for a note: "1 input", "3 inputs"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def print_note(line: str) -> None:
    """One line on stderr, escaped (`plain`), and not wrapped by rich: a terminal folds it for the eye,
    while a log of stderr keeps a file name and its reason on one line."""
    err_console().print(plain(line), soft_wrap=True)


def input_options(command):
    """The options every command that reads articles shares: column names of tabular inputs, and the
    format of standard input (the input `-`)."""
    for name, default in reversed(COLUMN_OPTIONS):
        command = click.option(f"--{name}-column", f"{name}_column", default=default, show_default=True,
                               help=f"Column holding the {name} in .csv/.jsonl/.parquet inputs.")(command)
    from scoring.ingest import STDIN_FORMATS  # the standard library only, and ingest is needed to read

    return click.option("--stdin-format", "stdin_format", type=click.Choice(STDIN_FORMATS), default="auto",
                        show_default=True,
                        help="Format of the input '-' (standard input); auto: JSONL for a JSON object "
                             "line, JSON for an array of objects, HTML for markup, CSV for a header naming "
                             "the text column, else text.")(command)


COLUMN_OPTIONS = (("text", "text"), ("title", "title"), ("outlet", "outlet"), ("url", "url"),
                  ("published", "published"))


def _articles_or_exit(inputs: tuple[str, ...], columns: dict[str, str]):
    from scoring.ingest import InputNotFoundError, iter_articles

    try:
        return iter_articles(list(inputs), **columns)
    except InputNotFoundError as exc:
        fail(exc, 2)


def refuse_overwriting(output: str, inputs: tuple[str, ...] | list[str], model_path: str | None) -> None:
    """`OutputIsInputError` (exit 2) when `output` is one of the inputs or the model file read with them
    (`--model m.json ... -o m.json` replaced the model; so did `-o m.csv` with NEWSSCORE_MODEL=m.csv)."""
    from scoring.ingest import check_output_not_input

    model = model_path or os.environ.get("NEWSSCORE_MODEL")
    check_output_not_input(output, [*inputs, *([model] if model else [])])


def model_options(command):
    """--model / --no-model: which reporting-style model scores the articles."""
    command = click.option("--no-model", is_flag=True, help="Features only, no score.")(command)
    return click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
                        help="Model file (default: the shipped scorecard, or $NEWSSCORE_MODEL).")(command)


def _model_or_exit(model_path: str | None, no_model: bool) -> ReportingStyleModel | None:
    """The model to score with; a missing or mismatched model file is a clear error, exit code 2."""
    from scoring.model import ModelMismatchError, ReportingStyleModel, default_model_path

    if no_model:
        return None
    path = Path(model_path) if model_path else default_model_path()
    if not path.exists():
        fail(f"model file {terminal_text(path)} not found (train one: newsscore train)", 2)
    try:
        return ReportingStyleModel.load(path)
    except ModelMismatchError as exc:
        fail(exc, 2)


@click.group(cls=SafeGroup)
@click.version_option(__version__, prog_name="newsscore")
def main() -> None:
    """Score how news articles are reported, with the evidence behind every number."""
    # Before any command imports numpy: one BLAS thread per process. The scorecard's arithmetic is a few
    # dozen numbers per article; OpenBLAS would start a thread per core at import (~45 ms, serial) and
    # every `--jobs` worker would inherit a pool competing with the other workers for the same cores.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="A .duckdb store (resumable: reruns score only new articles) or a one-shot .csv, .jsonl "
                   "or .parquet file (written atomically).")
@input_options
@model_options
@click.option("-j", "--jobs", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--chunk-size", type=int, default=200, show_default=True, help="Articles per unit of work.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (with --engine dask); default: "
                                                "start a local cluster.")
@click.option("--quiet", is_flag=True, help="No progress bar and no ranked table.")
@click.option("--top", default=20, show_default=True, help="Rows of the ranked table printed at the end.")
@click.option("--raw-csv", is_flag=True,
              help="Write .csv cells verbatim (default: a cell starting with = + - @ tab or CR gets a "
                   "leading ' so spreadsheets do not run it).")
def score(inputs: tuple[str, ...], output: str, model_path: str | None, no_model: bool, jobs: int | None,
          chunk_size: int, engine: str, scheduler: str | None, quiet: bool, top: int, raw_csv: bool,
          **columns: str) -> None:
    """Score INPUTS (files, directories, globs) and write one row per article to OUTPUT: metadata, every
    feature, the reporting-style score (0-100, higher = more careful reporting), its rank in the batch
    and the top reasons. Inputs that fail are rows with status=error and the reason."""
    from scoring.batch import run_batch
    from scoring.ingest import InputNotFoundError

    model = _model_or_exit(model_path, no_model)
    refuse_overwriting(output, inputs, model_path)
    try:
        summary = run_batch(list(inputs), output, jobs=jobs, chunk_size=chunk_size, engine=engine,
                            scheduler=scheduler, model=model, quiet=quiet, columns=columns, raw_csv=raw_csv)
    except (InputNotFoundError, ValueError) as exc:
        fail(exc, 2)  # a store in use (StoreError) is exit 1, as every other error, by SafeGroup
    if not quiet and top > 0:
        _print_ranking(_read_scores(output, summary.model_version), top)
    lines = [summary.line()]
    if summary.failures:
        lines.append(f"{counted(summary.failed, 'input')} failed; first: {summary.failures[0][1]}")
    for number, line in enumerate(lines):
        if quiet:  # as printed, escaped, without rich: its import is ~20 ms of a quiet run's serial end
            click.echo(terminal_text(line), err=True)
        elif number == 0:  # the counts, beside the ranking table: wrapped to the terminal as the table is
            err_console().print(plain(line))
        else:  # a failure's file name and reason: one line, even in a log of stderr
            print_note(line)


def _read_scores(output: str, model_version: str | None = None) -> pd.DataFrame:
    """A scores file or store as a table (a store's rows of `model_version`, else of its last run, and
    its failed inputs as error rows)."""
    import pandas as pd

    from scoring.outputs import read_table
    from scoring.store import is_store_path, read_store_table

    if is_store_path(output):
        return pd.DataFrame(read_store_table(output, model_version))
    return read_table(output)


WIDE_TERMINAL = 120  # columns from which the ranking also shows boilerplate share and quotes per 1k words
NAME_WIDTH = 20  # outlet and article names are cut (with an ellipsis) past this many characters


def _print_ranking(table: pd.DataFrame, top: int) -> None:
    """The top rows by rank (input order without a model): score, outlet, file and the main reason. Above
    it, the articles the score does not apply to (too short, not English, not prose), which are not ranked."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from scoring.applicability import is_flagged

    ok = table[table["status"] == "ok"]
    flagged = ok[ok["warnings"].map(is_flagged)] if "warnings" in ok.columns else ok.iloc[:0]
    ok = ok.drop(index=flagged.index)
    if "rank" in ok.columns:
        ok = ok.sort_values("rank")
    title = (f"newsscore: {len(ok)} articles scored" if flagged.empty else
             f"newsscore: {len(ok)} articles ranked ({len(flagged)} not ranked, listed above)")
    title += f", top {top} shown" if len(ok) > top else ""
    console = Console()
    _print_flagged(console, flagged, top)
    if ok.empty and not flagged.empty:
        return
    ranking = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    columns = {"rank": "rank", "score": "score", "outlet": "outlet", "source": "article",
               "boilerplate_share": "boilerplate", "quotes_per_1k_words": "quotes/1k",
               "top_reasons": "main reason"}
    if console.width < WIDE_TERMINAL:  # keep one line per article where we can: the reason gets the room
        columns = {k: v for k, v in columns.items() if k not in ("boilerplate_share", "quotes_per_1k_words")}
    shown = {key: label for key, label in columns.items() if key in ok.columns}
    for key, label in shown.items():
        if key == "top_reasons":
            ranking.add_column(label, overflow="fold")
        else:
            ranking.add_column(label, no_wrap=True, overflow="ellipsis",
                               max_width=NAME_WIDTH if console.width < WIDE_TERMINAL else None)
    for _, row in ok.head(top).iterrows():
        cells = {key: _fmt(row[key]) for key in shown}
        if "source" in cells:
            cells["source"] = _short_source(cells["source"])
        if "top_reasons" in cells:
            cells["top_reasons"] = cells["top_reasons"].split("; ")[0]
            if console.width < WIDE_TERMINAL:  # the criterion and its sign; `explain` gives the numbers
                cells["top_reasons"] = cells["top_reasons"].split(":")[0]
        ranking.add_row(*(plain(cell) for cell in cells.values()))
    console.print(ranking)


def _short_source(source: str) -> str:
    """A source as the ranking shows it: the file name, with its #row for row formats."""
    name = Path(source.split("#")[0]).name
    return name + ("#" + source.split("#")[1] if "#" in source else "")


def _print_flagged(console: Console, flagged: pd.DataFrame, top: int) -> None:
    """The articles left out of the ranking because the score does not apply to them, with the reasons."""
    if flagged.empty:
        return
    console.print(plain(f"{counted(len(flagged), 'article')} not ranked: the score "
                        "does not apply to them (the warnings column says why; a too-short one has no "
                        "score)"),
                  style="bold yellow")
    for _, row in flagged.head(top).iterrows():
        console.print(plain(f"  {_short_source(str(row['source']))}: {row['warnings']}"))
    if len(flagged) > top:
        console.print(plain(f"  ... and {len(flagged) - top} more"))


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@input_options
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON, one object per article.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a self-contained HTML page with the evidence highlighted.")
def explain(inputs: tuple[str, ...], model_path: str | None, no_model: bool, as_json: bool,
            html_path: str | None, **columns: str) -> None:
    """Show why each article in INPUTS scored as it did: score, per-feature contributions, reasons in
    words, every feature value and the text spans behind them."""
    from rich.console import Console

    from scoring.pipeline import analyse

    model = _model_or_exit(model_path, no_model)
    if html_path:
        refuse_overwriting(html_path, inputs, model_path)
    console = Console()
    analyses = []
    for article in _articles_or_exit(inputs, columns):
        analysis = analyse(article)
        if html_path:
            analyses.append(analysis)
        explanation = _explanation(analysis, model)
        if as_json:
            click.echo(json_for_terminal(json.dumps(explanation, ensure_ascii=False)))
        else:
            _print_explanation(console, explanation)
    if html_path:
        from scoring.html_explain import render_explanations_html
        from scoring.outputs import write_text_atomically  # pandas: imported only when writing a page

        write_text_atomically(render_explanations_html(analyses, model), html_path)
        print_note(f"explanation -> {html_path}")


def _explanation(analysis: Analysis, model: ReportingStyleModel | None) -> dict[str, object]:
    from scoring.explanation import build_explanation

    return build_explanation(analysis, model).to_dict()


def _print_explanation(console: Console, explanation: dict) -> None:
    from rich.table import Table

    from scoring.features import FAMILIES

    source, article_id = markup_safe(explanation["source"]), markup_safe(explanation["id"])
    console.rule(f"{source}  [dim]{article_id}[/dim]")
    if "features" not in explanation:
        console.print(f"[red]error:[/red] {markup_safe(explanation['error'])}")
        return
    for warning in explanation.get("warnings", []):
        console.print(f"[bold yellow]warning: {markup_safe(warning['message'])}[/bold yellow]")
    if explanation.get("score_withheld"):
        console.print("[bold]reporting-style score withheld[/bold] (too short for it to mean anything); "
                      "the features and the label below are what the text holds")
    elif explanation.get("warnings"):
        console.print("[bold yellow]the score below does not apply to this text: it is not ranked and "
                      "compare/report leave it out of outlet statistics[/bold yellow]")
    if explanation.get("score") is not None:
        console.print(f"[bold]reporting-style score {explanation['score']:.1f} / 100[/bold]")
        for reason in explanation["reasons"]:
            sign = "[green]+[/green]" if reason["direction"] == "raises" else "[red]-[/red]"
            reason_text = markup_safe(reason["text"])
            console.print(f"  {sign} {reason_text}  [dim]({reason['vs_typical']:+.1f} vs typical)[/dim]")
        table = Table(title="points per criterion (they add up to the score)", title_justify="left")
        table.add_column("criterion")
        table.add_column("points", justify="right")
        for name, points in explanation["points"].items():
            table.add_row(name, f"{points['points']:.1f} of {points['max_points']:.1f}")
        console.print(table)
    label = Table(title="reporting-quality label", title_justify="left")
    for column in ("criterion", "verdict", "why"):
        label.add_column(column, overflow="fold")
    colours = {"pass": "green", "partial": "yellow", "fail": "red"}
    for criterion in explanation["quality_label"]:
        verdict = criterion["verdict"]
        label.add_row(criterion["title"], f"[{colours.get(verdict, 'white')}]{verdict}[/]",
                      plain("; ".join(criterion["reasons"])))
    console.print(label)
    values = explanation["features"]
    for family in FAMILIES:
        table = Table(title=family.name, show_header=False, title_justify="left")
        for name in family.feature_names:
            table.add_row(name, _fmt(values[name]))
        console.print(table)
    spans = explanation["spans"]
    table = Table(title=f"evidence ({len(spans)} spans)", title_justify="left")
    for column in ("kind", "label", "chars", "text"):
        table.add_column(column)
    for span in spans:
        excerpt = " ".join(span["text"].split())
        if len(excerpt) > 100:
            excerpt = excerpt[:97] + "..."
        table.add_row(plain(span["kind"]), plain(span["label"]), f"{span['start']}-{span['end']}",
                      plain(excerpt))
    console.print(table)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--by", type=click.Choice(["outlet", "event"]), default="outlet", show_default=True,
              help="outlet: INPUTS is one scores file; event: INPUTS are articles, grouped by topic.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Also write the table (.csv, .jsonl or .parquet).")
@click.option("--min-articles", default=5, show_default=True, help="Outlets with fewer are flagged.")
@click.option("--threshold", default=0.3, show_default=True, help="Body similarity joining an event.")
@click.option("--include-flagged", is_flag=True,
              help="Count articles the score does not apply to (too short, not English, not prose) in the "
                   "outlet statistics (default: left out, and counted in flagged_articles).")
@input_options
@model_options
def compare(inputs: tuple[str, ...], by: str, output: str | None, min_articles: int, threshold: float,
            include_flagged: bool, model_path: str | None, no_model: bool, **columns: str) -> None:
    """Compare outlets (mean/median score with a bootstrap 95% interval and feature profile) or, with
    --by event, the articles covering the same event and why their scores differ."""
    from scoring.compare import compare_outlets, event_table
    from scoring.outputs import write_table

    if output:
        refuse_overwriting(output, inputs, model_path)
    if by == "outlet":
        if len(inputs) != 1:
            raise click.UsageError("--by outlet takes one scores file (from newsscore score)")
        scores = _read_scores_or_exit(inputs[0])
        table = compare_outlets(scores, by="outlet", min_articles=min_articles,
                                include_flagged=include_flagged)
        _print_flagged_note(scores, include_flagged)
        _print_failures_note(scores)
    else:
        model = _model_or_exit(model_path, no_model)
        _articles_or_exit(inputs, columns)  # a missing input: exit 2 before any work
        failures: list[tuple[str, str]] = []
        table = event_table(list(inputs), model=model, threshold=threshold, failures=failures, **columns)
        if failures:  # left out of the events: named with the reason, as `score` and `compare` do
            import pandas as pd

            _print_failures_note(pd.DataFrame({"source": [f[0] for f in failures],
                                               "error": [f[1] for f in failures], "status": "error"}),
                                 "left out of the events")
    summary = [c for c in TERMINAL_COMPARE_COLUMNS if c in table.columns]
    _print_frame(table[summary], f"newsscore compare --by {by}")
    if output:
        write_table(table.to_dict("records"), output)
        print_note(f"{len(table)} rows -> {output}")


@main.command()
@click.argument("scores", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The report (.html).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None)
@click.option("--timeout", default=600, show_default=True, help="Seconds a notebook cell may run.")
@click.option("--include-flagged", is_flag=True,
              help="Count articles the score does not apply to in the outlet statistics (default: left out).")
def report(scores: str, output: str, model_path: str | None, timeout: int, include_flagged: bool) -> None:
    """Run the report notebook on a SCORES file and export it to a self-contained HTML report: score
    distribution and ranking per outlet with intervals, feature profiles, best and worst articles with
    their evidence."""
    try:
        from scoring.report import ReportError, run_report
    except ImportError as exc:
        fail(f"{exc}; install the extra: pip install 'newsscore[report]'", 2)
    if not Path(scores).exists():
        fail(f"scores file {terminal_text(scores)} not found", 2)
    refuse_overwriting(output, [scores], model_path)
    try:
        path = run_report(scores, output, timeout=timeout, model_path=model_path,
                          include_flagged=include_flagged)
    except ImportError as exc:  # nbformat, nbclient, nbconvert are imported on first use, here
        fail(f"{exc}; install the extra: pip install 'newsscore[report]'", 2)
    except ReportError as exc:
        fail(exc, 1)
    print_note(f"report -> {path}")


def _print_flagged_note(scores: pd.DataFrame, include_flagged: bool) -> None:
    """How many articles the applicability check flagged, and whether they are in the outlet statistics."""
    from scoring.compare import flagged_mask, ok_rows, unchecked_count

    good = ok_rows(scores)
    flagged = int(flagged_mask(good).sum())
    if flagged:
        what = ("included in the outlet statistics (--include-flagged)" if include_flagged else
                "left out of the outlet statistics (--include-flagged to include them)")
        print_note(f"{flagged} of {len(good)} articles flagged (too short, not English or not "
                   f"prose: see the warnings column) {what}")
    unchecked = unchecked_count(scores)
    if unchecked:
        print_note(f"{counted(unchecked, 'article')} scored before the applicability check (no "
                   "warnings recorded): score them again to check them")


FAILURES_SHOWN = 5  # failed inputs whose reasons `compare` prints (the table or store holds them all)


def _print_failures_note(scores: pd.DataFrame,
                         where: str = "error_count; left out of every statistic") -> None:
    """How many inputs failed (counted per outlet in error_count, left out of every statistic) and why,
    for the first few: a store keeps them apart from its articles, where a reader never saw them."""
    from scoring.compare import ok_rows

    failed = scores.drop(index=ok_rows(scores).index)
    if failed.empty:
        return
    lines = [f"{counted(len(failed), 'input')} failed ({where}):"]
    reasons = failed["error"] if "error" in failed.columns else failed["source"]
    lines += [f"  {reason}" for reason in reasons.head(FAILURES_SHOWN).fillna("").astype(str)]
    if len(failed) > FAILURES_SHOWN:
        lines.append(f"  ... and {len(failed) - FAILURES_SHOWN} more (the error column says why)")
    for line in lines:  # a reason per line, not wrapped by rich: it names a file
        print_note(line)


TERMINAL_COMPARE_COLUMNS = (
    "event", "outlet", "rank", "articles", "error_count", "flagged_articles", "too_few_articles",
    "score_mean", "score_median", "score_ci_low", "score_ci_high", "score", "score_vs_event_mean", "why",
    "source",
)


def _read_scores_or_exit(path: str) -> pd.DataFrame:
    if not Path(path).exists():
        fail(f"scores file {terminal_text(path)} not found", 2)
    return _read_scores(path)


TERMINAL_CELL_CHARS = 500  # a cell of compare's terminal table is cut past this (the -o file keeps it whole)


def _cell(value: object) -> str:
    """A value as compare's terminal table shows it: cut with an ellipsis past TERMINAL_CELL_CHARS (a
    1,000,000-character outlet name printed 6.7 MB of folded table)."""
    text = terminal_text(_fmt(value))
    return text if len(text) <= TERMINAL_CELL_CHARS else text[:TERMINAL_CELL_CHARS - 1] + "…"


def _print_frame(table: pd.DataFrame, title: str, max_rows: int = 40) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    shown = Table(title=title + (f" (first {max_rows} of {len(table)})" if len(table) > max_rows else ""))
    for column in table.columns:
        shown.add_column(Text(_cell(column)), overflow="fold")
    for _, row in table.head(max_rows).iterrows():
        shown.add_row(*(Text(_cell(value)) for value in row))
    Console(width=max(Console().width, 160)).print(shown)


@main.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, dir_okay=False),
                default="corpus/training/articles.parquet")
@click.option("-o", "--output", default="models/default.json", show_default=True,
              type=click.Path(dir_okay=False), help="Model file (JSON); its card is written beside it (.md).")
@click.option("--seed", default=0, show_default=True, help="Seed for the model and the evaluation splits.")
@click.option("--no-evaluation", is_flag=True, help="Skip the evaluation (the card then says so).")
@click.option("--jobs", default=2, show_default=True, help="Processes for feature extraction.")
def train(corpus: str, output: str, seed: int, no_evaluation: bool, jobs: int) -> None:
    """Train the reporting scorecard on a labelled CORPUS (see corpus/build_training_corpus.py)."""
    from scoring.train import feature_cache_path
    from scoring.train import train as train_model

    # the model, its card and the feature cache beside the corpus (a corpus named features.parquet)
    for written in (output, str(Path(output).with_suffix(".md")), str(feature_cache_path(corpus))):
        refuse_overwriting(written, [corpus], None)

    model = train_model(corpus, output, seed, n_jobs=jobs)
    if not no_evaluation:
        from scoring.evaluate import evaluate_corpus

        evaluate_corpus(corpus, None, seed=seed, n_jobs=jobs, model_path=output)  # figures go to the card
    card = Path(output).with_suffix(".md")
    print_note(f"model -> {output} ({len(model.criteria)} criteria, "
               f"{len(model.feature_names)} features); card -> {card}")


@main.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, dir_okay=False),
                default="corpus/training/articles.parquet")
@click.option("-o", "--output", default="benchmarks/results/model_evaluation.json", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--seed", default=0, show_default=True)
@click.option("--jobs", default=2, show_default=True)
def evaluate(corpus: str, output: str, seed: int, jobs: int) -> None:
    """Leave-one-dataset-out and outlet-grouped evaluation of the scorecard and the baselines on CORPUS."""
    from rich.console import Console
    from rich.table import Table

    from scoring.evaluate import evaluate_corpus
    from scoring.train import feature_cache_path

    for written in (output, str(feature_cache_path(corpus))):  # the results, the feature cache
        refuse_overwriting(written, [corpus], None)
    result = evaluate_corpus(corpus, output, seed=seed, n_jobs=jobs)
    table = Table(title="leave one data set out (article AUC / outlet AUC)")
    for column in ("held-out data set", "scorecard", "TF-IDF", "data-set identity"):
        table.add_column(column)
    for name, r in result["lodo"]["datasets"].items():
        table.add_row(name, *(f"{_fmt(r[m]['article_auc'])} / {_fmt(r[m].get('outlet_auc'))}"
                              for m in ("scorecard", "tfidf", "dataset_identity")))
    Console().print(table)
    for key, value in result["targets"].items():
        print_note(f"{key}: {value}")
    print_note(f"results -> {output}")


if __name__ == "__main__":
    main()
