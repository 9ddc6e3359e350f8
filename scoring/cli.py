"""The `newsscore` command line: score, explain (and train, evaluate, compare, report as they land)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scoring import __version__
from scoring.explain import reasons
from scoring.features import FAMILIES
from scoring.ingest import InputNotFoundError, iter_articles
from scoring.model import ModelMismatchError, ReportingStyleModel, default_model_path
from scoring.outputs import write_table
from scoring.pipeline import Analysis, analyse, analyse_all, base_row

err_console = Console(stderr=True)


def input_options(command):
    """The options every command that reads articles shares: column names of tabular inputs."""
    for name, default in reversed(COLUMN_OPTIONS):
        command = click.option(f"--{name}-column", f"{name}_column", default=default, show_default=True,
                               help=f"Column holding the {name} in .csv/.jsonl/.parquet inputs.")(command)
    return command


COLUMN_OPTIONS = (("text", "text"), ("title", "title"), ("outlet", "outlet"), ("url", "url"),
                  ("published", "published"))


def _articles_or_exit(inputs: tuple[str, ...], columns: dict[str, str]):
    try:
        return iter_articles(list(inputs), **columns)
    except InputNotFoundError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


def model_options(command):
    """--model / --no-model: which reporting-style model scores the articles."""
    command = click.option("--no-model", is_flag=True, help="Features only, no score.")(command)
    return click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
                        help="Model file (default: models/default.joblib or $NEWSSCORE_MODEL).")(command)


def _model_or_exit(model_path: str | None, no_model: bool) -> ReportingStyleModel | None:
    """The model to score with; a missing or mismatched model file is a clear error, exit code 2."""
    if no_model:
        return None
    path = Path(model_path) if model_path else default_model_path()
    if not path.exists():
        err_console.print(f"[red]error:[/red] model file {path} not found (train one: newsscore train)")
        sys.exit(2)
    try:
        return ReportingStyleModel.load(path)
    except ModelMismatchError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="newsscore")
def main() -> None:
    """Score how news articles are reported, with the evidence behind every number."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Result file: .csv, .jsonl or .parquet (written atomically).")
@input_options
@click.option("--quiet", is_flag=True, help="No progress bar and no ranked table.")
def score(inputs: tuple[str, ...], output: str, quiet: bool, **columns: str) -> None:
    """Score INPUTS (files, directories, globs) and write one row per article to OUTPUT."""
    articles = _articles_or_exit(inputs, columns)
    started = time.perf_counter()
    rows: list[dict[str, object]] = []
    show_progress = not quiet and err_console.is_terminal
    with Progress(TextColumn("scoring"), BarColumn(), TextColumn("{task.completed} articles"),
                  TimeElapsedColumn(), console=err_console, disable=not show_progress) as progress:
        task = progress.add_task("score", total=None)
        for analysis in analyse_all(articles):
            rows.append(base_row(analysis))
            progress.advance(task)
    written = write_table(rows, output)
    seconds = time.perf_counter() - started
    failed = sum(1 for row in rows if row["status"] != "ok")
    if not quiet:
        _print_table(rows)
    err_console.print(
        f"{written - failed} scored, {failed} failed, {seconds:.2f} s "
        f"({written / seconds if seconds else 0:.0f} articles/s) -> {output}"
    )


def _print_table(rows: list[dict[str, object]]) -> None:
    table = Table(title="newsscore")
    for column in ("source", "status", "word_count", "boilerplate_share", "quotes_per_1k_words"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(_fmt(row.get(column)) for column in ("source", "status", "word_count",
                                                              "boilerplate_share", "quotes_per_1k_words")))
    Console().print(table)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@input_options
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON, one object per article.")
def explain(inputs: tuple[str, ...], model_path: str | None, no_model: bool, as_json: bool,
            **columns: str) -> None:
    """Show why each article in INPUTS scored as it did: score, per-feature contributions, reasons in
    words, every feature value and the text spans behind them."""
    model = _model_or_exit(model_path, no_model)
    console = Console()
    for article in _articles_or_exit(inputs, columns):
        explanation = _explanation(analyse(article), model)
        if as_json:
            click.echo(json.dumps(explanation, ensure_ascii=False))
        else:
            _print_explanation(console, explanation)


def _explanation(analysis: Analysis, model: ReportingStyleModel | None) -> dict[str, object]:
    article = analysis.article
    result: dict[str, object] = {"id": article.id, "source": article.source, "outlet": article.outlet,
                                 "status": article.status, "error": article.error}
    if analysis.features is None:
        return result
    values = analysis.features.values
    if model is not None:
        contributions = model.contributions(values)
        result["score"] = float(model.score([values])[0])
        result["intercept"] = model.intercept
        result["contributions"] = dict(sorted(contributions.items(), key=lambda kv: -abs(kv[1])))
        result["reasons"] = [reason.to_dict() for reason in reasons(model, values, top=5)]
    result["features"] = values
    result["spans"] = [
        {**span.to_dict(), "text": article.text[span.start:span.end]}
        for span in sorted(analysis.features.spans, key=lambda s: (s.start, s.end, s.kind))
    ]
    return result


def _print_explanation(console: Console, explanation: dict) -> None:
    console.rule(f"{explanation['source']}  [dim]{explanation['id']}[/dim]")
    if "features" not in explanation:
        console.print(f"[red]error:[/red] {explanation['error']}")
        return
    if "score" in explanation:
        console.print(f"[bold]reporting-style score {explanation['score']:.1f} / 100[/bold]")
        for reason in explanation["reasons"]:
            sign = "[green]+[/green]" if reason["direction"] == "raises" else "[red]-[/red]"
            console.print(f"  {sign} {reason['text']}  [dim](logit {reason['contribution']:+.2f})[/dim]")
        table = Table(title="contributions to the logit (coefficient x standardised value)",
                      title_justify="left")
        table.add_column("feature")
        table.add_column("contribution", justify="right")
        for name, contribution in explanation["contributions"].items():
            table.add_row(name, f"{contribution:+.3f}")
        table.add_row("(intercept)", f"{explanation['intercept']:+.3f}")
        console.print(table)
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
        table.add_row(span["kind"], span["label"], f"{span['start']}-{span['end']}", excerpt)
    console.print(table)


@main.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, dir_okay=False),
                default="corpus/training/articles.parquet")
@click.option("-o", "--output", default="models/default.joblib", show_default=True,
              type=click.Path(dir_okay=False), help="Model file; its card is written beside it (.md, .json).")
@click.option("--seed", default=0, show_default=True, help="Seed for the model and the evaluation splits.")
@click.option("--no-evaluation", is_flag=True, help="Skip the outlet-grouped cross-validation (faster).")
@click.option("--jobs", default=2, show_default=True, help="Processes for feature extraction.")
def train(corpus: str, output: str, seed: int, no_evaluation: bool, jobs: int) -> None:
    """Train the reporting-style model on a labelled CORPUS (see corpus/build_training_corpus.py)."""
    from scoring.train import train as train_model

    model = train_model(corpus, output, seed, run_evaluation=not no_evaluation, n_jobs=jobs)
    err_console.print(f"model -> {output} ({len(model.feature_names)} features); card -> "
                      f"{Path(output).with_suffix('.md')}")


@main.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, dir_okay=False),
                default="corpus/training/articles.parquet")
@click.option("-o", "--output", default="benchmarks/results/model_evaluation.json", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--seed", default=0, show_default=True)
@click.option("--jobs", default=2, show_default=True)
def evaluate(corpus: str, output: str, seed: int, jobs: int) -> None:
    """Outlet-grouped cross-validation of the features model against the baselines on CORPUS."""
    from scoring.evaluate import evaluate_corpus

    result = evaluate_corpus(corpus, output, seed=seed, n_jobs=jobs)
    table = Table(title="outlet-grouped cross-validation")
    for column in ("model", "article AUC", "outlet AUC", "macro-F1", "accuracy", "Brier"):
        table.add_column(column)
    for name, m in result.get("models", {}).items():
        table.add_row(name, *(_fmt(m.get(k)) for k in ("article_auc", "outlet_auc", "macro_f1", "accuracy",
                                                         "brier")))
    Console().print(table)
    err_console.print(f"results -> {output}")


if __name__ == "__main__":
    main()
