"""The `newsscore` command line: score, explain (and train, evaluate, compare, report as they land)."""

from __future__ import annotations

import json
import sys
import time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scoring import __version__
from scoring.features import FAMILIES
from scoring.ingest import InputNotFoundError, iter_articles
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
@click.option("--json", "as_json", is_flag=True, help="Print the features and spans as JSON.")
def explain(inputs: tuple[str, ...], as_json: bool, **columns: str) -> None:
    """Show why each article in INPUTS scored as it did: features and the text spans behind them."""
    console = Console()
    for article in _articles_or_exit(inputs, columns):
        analysis = analyse(article)
        if as_json:
            click.echo(json.dumps(_explanation(analysis), ensure_ascii=False))
        else:
            _print_explanation(console, analysis)


def _explanation(analysis: Analysis) -> dict[str, object]:
    article = analysis.article
    result: dict[str, object] = {"id": article.id, "source": article.source, "status": article.status,
                                 "error": article.error}
    if analysis.features is not None:
        result["features"] = analysis.features.values
        result["spans"] = [
            {**span.to_dict(), "text": article.text[span.start:span.end]} for span in analysis.features.spans
        ]
    return result


def _print_explanation(console: Console, analysis: Analysis) -> None:
    article = analysis.article
    console.rule(f"{article.source}  [dim]{article.id}[/dim]")
    if analysis.features is None:
        console.print(f"[red]error:[/red] {article.error}")
        return
    values = analysis.features.values
    for family in FAMILIES:
        table = Table(title=family.name, show_header=False, title_justify="left")
        for name in family.feature_names:
            table.add_row(name, _fmt(values[name]))
        console.print(table)
    spans = sorted(analysis.features.spans, key=lambda s: (s.start, s.end, s.kind))
    table = Table(title=f"evidence ({len(spans)} spans)", title_justify="left")
    for column in ("kind", "label", "chars", "text"):
        table.add_column(column)
    for span in spans:
        excerpt = " ".join(article.text[span.start:span.end].split())
        if len(excerpt) > 100:
            excerpt = excerpt[:97] + "..."
        table.add_row(span.kind, span.label, f"{span.start}-{span.end}", excerpt)
    console.print(table)


if __name__ == "__main__":
    main()
