"""Batch scoring at scale: stream inputs in bounded chunks, score chunks in parallel, write them in order.

One chunk function, `score_chunk(articles, model)`, does the work on every engine: in this process
(`jobs=1`), in a pool of worker processes (`jobs>1`), or on Dask workers (`engine="dask"`). Ingest runs in
this process only: it reads the inputs lazily, skips articles a store already holds, and ships each chunk's
articles to the workers; at most `2 * workers` chunks are in flight, and results are written in input
order, so memory stays bounded and the output is the same whatever the engine and the number of jobs.

On an existing Dask cluster: install `newsscore[cluster]` on the client and on every worker (workers
import `scoring.batch.score_chunk`; they need the package, not the input files), then
`newsscore score INPUTS -o scores.duckdb --engine dask --scheduler tcp://HOST:8786`. Inputs are read and
the output written where the command runs. `engine="dask"` without a scheduler starts a LocalCluster of
`jobs` single-threaded worker processes on 127.0.0.1 (no dashboard); its workers are spawned, so a script
calling `run_batch` that way needs the usual `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import math
import multiprocessing
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from scoring.applicability import score_withheld
from scoring.features import feature_names
from scoring.ingest import check_output_not_input, is_single_article_file, iter_articles
from scoring.interrupts import raise_if_stop_requested
from scoring.pipeline import META_COLUMNS, analyse, base_row
from scoring.quality_label import quality_column_names
from scoring.records import STATUS_ERROR, STATUS_OK, Article
from scoring.sanitize import terminal_text
from scoring.settings import SETTINGS
from scoring.store import FEATURES_ONLY, Row, RowSink, check_output_path, open_sink

BATCH = SETTINGS.batch

MAX_FAILURES_LISTED = 100_000  # the summary lists at most this many; the output file/store holds them all
ENGINES = ("local", "dask")


class ScoringModel(Protocol):
    """What the engine needs from a model: 0..100 scores for a list of feature rows."""

    def score(self, rows: Sequence[Row]) -> Sequence[float]: ...


@dataclass
class BatchSummary:
    """What a batch did: counts, time, and every failure (source, reason)."""

    scored: int = 0
    failed: int = 0
    skipped: int = 0
    flagged: int = 0  # read, with an applicability warning (too short, not English, not prose)
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    output: str = ""
    model_version: str = FEATURES_ONLY

    @property
    def articles_per_second(self) -> float:
        """Articles processed (scored + failed; skipped ones cost nothing) per wall-clock second."""
        return (self.scored + self.failed) / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        skipped = f", {self.skipped} skipped (already stored)" if self.skipped else ""
        flagged = f", {self.flagged} flagged (see the warnings column)" if self.flagged else ""
        return (f"{self.scored} scored, {self.failed} failed{skipped}{flagged}, {self.seconds:.2f} s "
                f"({self.articles_per_second:.0f} articles/s) -> {self.output}")


ProgressCallback = Callable[[BatchSummary], None]


# ---------------------------------------------------------------------------------------------- the work


def score_chunk(articles: Sequence[Article], model: ScoringModel | None = None,
                model_version: str = FEATURES_ONLY) -> list[Row]:
    """Rows for one chunk of articles, in order: metadata + features (+ model_version, score with a model).

    Never raises for a bad article: it becomes an error row with the reason, on one line: the control
    characters of a file name or a row's text in it (a newline, ESC) shown as `\\xNN` escapes."""
    rows = [_row_for(article) for article in articles]
    if model is not None:
        _add_model_scores(rows, model, model_version)
    for row in rows:
        if row["status"] != STATUS_OK and row.get("error"):
            row["error"] = terminal_text(row["error"])
    return rows


def _row_for(article: Article) -> Row:
    try:
        return base_row(analyse(article))
    except Exception as exc:  # noqa: BLE001 - analyse catches extraction errors; this is the last guard
        article.status = STATUS_ERROR
        article.error = f"{article.source}: row failed: {type(exc).__name__}: {exc}"
        return base_row(analyse(article))


def _add_model_scores(rows: list[Row], model: ScoringModel, model_version: str) -> None:
    ok = [row for row in rows if row["status"] == STATUS_OK and not score_withheld(row)]  # too short: none
    for row in rows:
        row["model_version"] = model_version
        row["score"] = None
    if not ok:
        return
    try:
        scores = [float(s) for s in model.score(ok)]
        if len(scores) != len(ok):
            raise ValueError(f"model returned {len(scores)} scores for {len(ok)} rows")
    except Exception as exc:  # noqa: BLE001 - the chunk's rows fail, the batch goes on
        for row in ok:
            _fail_row(row, f"model scoring failed: {type(exc).__name__}: {exc}")
        return
    for row, score in zip(ok, scores, strict=True):
        if math.isfinite(score):
            row["score"] = min(100.0, max(0.0, score))
        else:
            _fail_row(row, f"model returned a non-finite score ({score})")
    _add_top_reasons([row for row in ok if row["status"] == STATUS_OK], model)


def _add_top_reasons(rows: list[Row], model: ScoringModel) -> None:
    """The three criteria furthest from typical, in words, for models that explain themselves."""
    if not rows or not hasattr(model, "points_matrix"):
        return
    from scoring.explain import in_words, reasons_for_rows

    for row, row_reasons in zip(rows, reasons_for_rows(model, rows, top=3), strict=True):  # type: ignore[arg-type]
        row["top_reasons"] = "; ".join(in_words(row_reasons))


def _fail_row(row: Row, reason: str) -> None:
    row["status"] = STATUS_ERROR
    row["error"] = f"{row['source']}: {reason}"


def output_columns(with_model: bool) -> list[str]:
    """Columns of every output row, in order (a batch-wide `rank` follows `score` in outputs)."""
    model_columns = ("model_version", "score", "top_reasons") if with_model else ()
    return [*META_COLUMNS, *feature_names(), *quality_column_names(), *model_columns]


# ---------------------------------------------------------------------------------------------- models


def resolve_model(model: ScoringModel | str | os.PathLike[str] | None) -> tuple[ScoringModel | None, str]:
    """The model object and the version string its rows are stored under.

    A path is loaded with `ReportingStyleModel.load` and versioned by its file name and content hash; an
    object by its own `version` attribute if it has one, else by a hash of its pickle; None is
    `features-only`."""
    if model is None:
        return None, FEATURES_ONLY
    if hasattr(model, "score"):
        return model, model_version_of(model)  # type: ignore[arg-type]
    from scoring.model import ReportingStyleModel  # the model module is optional for feature-only runs

    path = Path(os.fspath(model))
    loaded = ReportingStyleModel.load(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return loaded, f"{path.stem}-{digest}"


def model_version_of(model: ScoringModel) -> str:
    """The version of a model object: its own `version` (or `model_version`), else a hash of its pickle."""
    for attribute in ("version", "model_version"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    digest = hashlib.sha256(pickle.dumps(model)).hexdigest()[:12]
    return f"{type(model).__name__}-{digest}"


# ---------------------------------------------------------------------------------------------- engines


class ChunkRunner(Protocol):
    """Runs `score_chunk` somewhere and hands back a future of its rows."""

    workers: int

    def submit(self, articles: list[Article]) -> Future[list[Row]]: ...

    def all_submitted(self) -> None:
        """Every chunk has been submitted (workers may wind down as they finish)."""
        ...


class InlineRunner:
    """Scores chunks in this process, one at a time."""

    workers = 1

    def __init__(self, model: ScoringModel | None, model_version: str) -> None:
        self.model, self.model_version = model, model_version
        self._warm = False

    def submit(self, articles: list[Article]) -> Future[list[Row]]:
        future: Future[list[Row]] = Future()
        future.set_result(score_chunk(articles, self.model, self.model_version))
        if not self._warm:  # the first chunk loaded the lazy resources: the collector can stop visiting them
            gc.freeze()
            self._warm = True
        return future

    def all_submitted(self) -> None:
        """Nothing to wind down: the chunks were scored as they were submitted."""


_WORKER_MODEL: tuple[ScoringModel | None, str] = (None, FEATURES_ONLY)


# A short page with a menu line, a byline, quotes, attribution, hedges, numbers and a footer: scoring it
# loads what every article needs (lexicons, compiled patterns, the syllable table, the model's points).
WARM_UP_TEXT = (
    "Menu\nCouncil approves the new budget\nBy Jane Doe\n"
    "The council voted 7-2 on Tuesday to approve a $4.5 million budget, officials said. \"We are pleased "
    "with the result,\" said Mayor John Smith, according to a statement. Critics argue the plan may "
    "reportedly raise taxes, which some experts say is unlikely!\n"
    "\u00a9 2024 Example News. All rights reserved. Privacy Policy\n")


def warm_up(model: ScoringModel | None, model_version: str) -> None:
    """Score `WARM_UP_TEXT` once, so a new worker loads its lazy resources while the parent still reads
    its first chunks, instead of during its first chunk (never raises: a failure shows on real rows)."""
    from scoring.records import content_id

    article = Article(id=content_id(WARM_UP_TEXT), source="warm-up", text=WARM_UP_TEXT)
    try:
        score_chunk([article], model, model_version)
    except Exception:  # noqa: BLE001, S110 - the real chunks report any error, with their sources
        pass


def _init_worker(model: ScoringModel | None, model_version: str, parent: int) -> None:
    global _WORKER_MODEL
    die_with_parent(parent)
    _WORKER_MODEL = (model, model_version)
    warm_up(model, model_version)
    gc.freeze()  # the resources warm_up loaded live as long as the worker: no collection need visit them


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the objects alive now (imports, the model, lexicons) out of the cyclic collector during a
    batch: its full collections then cost per chunk, not per loaded resource, and forked workers do not
    copy every page the collector would touch (the Python docs' advice for `gc.freeze` before `fork`).
    Undone at the end unless someone else froze objects first (a caller's choice, kept)."""
    ours = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Make this worker process end when `parent` does, even by `kill -9`: the kernel's parent-death
    signal on Linux, else a thread that watches the parent id. SIGTERM and SIGINT get their defaults back
    (the CLI's clean-up handlers are the parent's business)."""
    import signal
    import threading

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the whole group: the parent decides
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="newsscore-parent-watch", daemon=True).start()


def _score_chunk_in_worker(articles: list[Article]) -> list[Row]:
    return score_chunk(articles, *_WORKER_MODEL)


class ProcessRunner:
    """Scores chunks in a pool of worker processes (the model is sent once, to each worker)."""

    def __init__(self, jobs: int, model: ScoringModel | None, model_version: str) -> None:
        self.workers = jobs
        # fork on Linux: workers inherit the imported pipeline (importing nltk alone takes seconds)
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                                        initargs=(model, model_version, os.getpid()))
        # the first submit forks every worker now, while this process has no other threads; not waited
        # for: the workers warm up (`warm_up`) while this process reads the input's first chunks
        self.pool.submit(int)
        processes = getattr(self.pool, "_processes", None)  # the pool's own dict, for `close(failed=True)`
        self._processes: dict[int, Any] = processes if processes is not None else {}
        self._manager: Any = None  # the pool's management thread, once `all_submitted` let it wind down

    def submit(self, articles: list[Article]) -> Future[list[Row]]:
        return self.pool.submit(_score_chunk_in_worker, articles)

    def all_submitted(self) -> None:
        """No more chunks: each worker exits once the queued ones are scored, while this process still
        writes the last results and finishes the output (~10-20 ms of a short batch's end, not waited for
        after it)."""
        self._processes = dict(self._processes)
        self._manager = getattr(self.pool, "_executor_manager_thread", None)
        self.pool.shutdown(wait=False)

    def close(self, failed: bool = False) -> None:
        """Shut the pool down; after a failure or an interrupt the workers are stopped, not waited for."""
        if failed:
            for process in list(self._processes.values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._manager is not None and not failed:
            self._manager.join()  # it joins the workers (shut down without waiting in `all_submitted`)


class DaskRunner:
    """Scores chunks on Dask workers: a LocalCluster started here, or an existing scheduler's cluster."""

    def __init__(self, scheduler: str | None, jobs: int | None, model: ScoringModel | None,
                 model_version: str) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("engine 'dask' needs: pip install 'newsscore[cluster]'") from exc
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=jobs or 2, threads_per_worker=1, processes=True,
                                        dashboard_address=None, host="127.0.0.1")
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.model_version = model_version
        # as the process pool does: each worker loads its lazy resources while this process reads (the
        # futures are kept, or Dask would forget the tasks)
        self.warming = [self.client.submit(warm_up, None, FEATURES_ONLY, pure=False, workers=[address])
                        for address in self.client.nthreads()]
        self.model = self.client.scatter(model, broadcast=True) if model is not None else None

    def submit(self, articles: list[Article]) -> Future[list[Row]]:
        return self.client.submit(score_chunk, articles, self.model, self.model_version, pure=False)

    def all_submitted(self) -> None:
        """Nothing to wind down early: the cluster's workers are closed with the client."""

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@contextmanager
def _runner(engine: str, jobs: int, scheduler: str | None, model: ScoringModel | None,
            model_version: str) -> Iterator[ChunkRunner]:
    if engine == "dask":
        runner: Any = DaskRunner(scheduler, jobs, model, model_version)
    elif jobs > 1:
        runner = ProcessRunner(jobs, model, model_version)
    else:
        runner = InlineRunner(model, model_version)
    try:
        yield runner
    except BaseException:
        if isinstance(runner, ProcessRunner):
            runner.close(failed=True)
        elif hasattr(runner, "close"):
            runner.close()
        raise
    if hasattr(runner, "close"):
        runner.close()


# ---------------------------------------------------------------------------------------------- progress


@contextmanager
def _progress_reporter(progress: bool | ProgressCallback, quiet: bool) -> Iterator[ProgressCallback | None]:
    """A callback fed the running summary after each chunk: the caller's, a terminal bar, or None."""
    if callable(progress):
        yield progress
        return
    if not progress or quiet:  # before importing rich: the workers wait for this process's first chunk
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("scoring {task.completed} articles"),
               TextColumn("{task.fields[rate]:.0f} articles/s"), TextColumn("{task.fields[failed]} errors"),
               TextColumn("{task.fields[skipped]} skipped"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("score", total=None, rate=0.0, failed=0, skipped=0)

        def update(summary: BatchSummary) -> None:
            bar.update(task, completed=summary.scored + summary.failed + summary.skipped,
                       rate=summary.articles_per_second, failed=summary.failed, skipped=summary.skipped)

        yield update


# ---------------------------------------------------------------------------------------------- driver


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunk_sizes(largest: int, workers: int) -> Iterator[int]:
    """Articles per chunk, adapted to the workers: `largest` throughout for one process; for several,
    small first chunks (settings batch.first_parallel_chunk, so every worker starts at once, from a few dozen
    articles on) doubling to at most batch.max_parallel_chunk (so the last chunk leaves the other workers idle
    only briefly)."""
    if workers <= 1:
        yield from itertools.repeat(largest)
        return
    cap = min(largest, BATCH.max_parallel_chunk)
    size = min(cap, BATCH.first_parallel_chunk)
    while True:
        yield from itertools.repeat(size, workers)
        size = min(cap, 2 * size)


def chunked(articles: Iterable[Article], sizes: int | Iterable[int], lookahead: int = 0,
            tail_parts: int = 0) -> Iterator[list[Article]]:
    """Consecutive lists of articles (of `sizes` articles each, or fewer at the end), read lazily.

    With `lookahead`, up to that many more articles are read ahead of each chunk (never more than have
    already been handed out, so the first chunk goes to a waiting worker as soon as it is read), and the
    end of the input is seen early: from then on each chunk takes at most 1/`tail_parts` of what is left
    (guided self-scheduling), so the last chunks are of one or two articles and the workers finish
    together instead of one scoring a whole large chunk alone."""
    size_iter = itertools.repeat(sizes) if isinstance(sizes, int) else iter(sizes)
    source = iter(articles)
    buffer: deque[Article] = deque()
    exhausted = False
    handed_out = 0
    while True:
        size = next(size_iter)
        while not exhausted and len(buffer) < size + min(lookahead, handed_out):
            try:
                buffer.append(next(source))
            except StopIteration:
                exhausted = True
        if not buffer:
            return
        if exhausted and tail_parts:
            size = min(size, -(-len(buffer) // tail_parts))
        chunk = [buffer.popleft() for _ in range(min(size, len(buffer)))]
        handed_out += len(chunk)
        yield chunk


def parallel_tail(largest: int, workers: int) -> dict[str, int]:
    """`chunked`'s look-ahead and tail split for `workers` processes (none for one): a full chunk per worker
    read ahead, and the rest split in ever smaller chunks, 2 per worker at a time."""
    if workers <= 1:
        return {}
    return {"lookahead": workers * min(largest, BATCH.max_parallel_chunk), "tail_parts": 2 * workers}


def run_batch(
    inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    chunk_size: int = BATCH.chunk_size,
    engine: str = "local",
    scheduler: str | None = None,
    model: ScoringModel | str | os.PathLike[str] | None = None,
    text_column: str = "text",
    progress: bool | ProgressCallback = True,
    quiet: bool = False,
    columns: Mapping[str, str] | None = None,
    raw_csv: bool = False,
) -> BatchSummary:
    """Score every article in `inputs` and write one row per article to `output` (.duckdb store, or
    .csv/.jsonl/.parquet file), streaming in chunks of `chunk_size` over `jobs` processes or a Dask cluster.

    `columns` names the columns of tabular inputs (text_column, title_column, outlet_column, url_column,
    published_column: see `iter_articles`); `text_column` alone is kept for callers that only need it.
    A .csv output neutralises cells that a spreadsheet would run as formulas unless `raw_csv`.

    Raises, before writing anything: `InputNotFoundError` (an input does not exist), `ValueError` (an
    unsupported output suffix or engine; `OutputIsInputError` when the output is one of the inputs),
    `ModelMismatchError` (a model file that does not fit the code), `StoreError` (a store in use)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    check_output_path(output)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    started = time.perf_counter()
    loaded, version = resolve_model(model)
    paths = [os.fspath(inputs)] if isinstance(inputs, (str, os.PathLike)) else [os.fspath(p) for p in inputs]
    check_output_not_input(output, paths)
    column_names = {"text_column": text_column, **(columns or {})}
    if engine == "local" and jobs > 1 and is_single_article_file(paths):
        jobs = 1  # one article: score it here rather than pay for starting workers
    articles = iter_articles(paths, **column_names)  # a missing input has raised by now: no output touched
    summary = BatchSummary(output=os.fspath(output), model_version=version)
    # workers start before this process reads the input (they warm up meanwhile), opens the store or a
    # progress thread (they are forked)
    with frozen_heap(), _runner(engine, jobs, scheduler, loaded, version) as runner:
        # sized to the workers there are (a Dask cluster's threads, not --jobs)
        chunks = chunked(articles, chunk_sizes(chunk_size, runner.workers),
                         **parallel_tail(chunk_size, runner.workers))
        sink = open_sink(output, version, output_columns(loaded is not None), raw_csv=raw_csv)
        try:
            with _progress_reporter(progress, quiet) as report:
                to_score = _chunks_to_score(chunks, sink, summary)
                _drive(runner, to_score, sink, summary, report, started)
            sink.finish(rank=loaded is not None)
        except BaseException:
            sink.abort()
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def _chunks_to_score(chunks: Iterator[list[Article]], sink: RowSink,
                     summary: BatchSummary) -> Iterator[tuple[list[Article], list[str]]]:
    """(articles still to score, every source in the chunk) per chunk; (id, source) pairs the sink holds
    are skipped."""
    for chunk in chunks:
        known = sink.known_keys([(a.id, a.source) for a in chunk if a.ok])
        todo = [a for a in chunk if not (a.ok and (a.id, a.source) in known)]
        summary.skipped += len(chunk) - len(todo)
        yield todo, [a.source for a in chunk]


def _drive(runner: ChunkRunner, chunks: Iterator[tuple[list[Article], list[str]]], sink: RowSink,
           summary: BatchSummary, report: ProgressCallback | None, started: float) -> None:
    """Keep at most 2 of the largest chunks per worker in flight, counted in articles (so the small chunks of
    a batch's end keep every worker busy while a large one ahead of them is finishing); write finished
    chunks in input order."""
    in_flight: deque[tuple[Future[list[Row]] | None, list[str], int]] = deque()
    held = largest = 0  # articles in flight (skipped ones included), the largest chunk so far
    for articles, sources in chunks:
        raise_if_stop_requested()  # a stop whose exception was lost still stops (scoring/interrupts.py)
        future = runner.submit(articles) if articles else None
        in_flight.append((future, sources, len(articles)))
        held += len(sources)
        largest = max(largest, len(sources))
        while in_flight and held >= 2 * runner.workers * largest:
            held -= len(in_flight[0][1])
            _write_oldest(in_flight, sink, summary, report, started)
    runner.all_submitted()
    while in_flight:
        _write_oldest(in_flight, sink, summary, report, started)


def _write_oldest(in_flight: deque[tuple[Future[list[Row]] | None, list[str], int]], sink: RowSink,
                  summary: BatchSummary, report: ProgressCallback | None, started: float) -> None:
    future, sources, submitted = in_flight.popleft()
    rows = future.result() if future is not None else []
    raise_if_stop_requested()
    stored = sink.write(rows, sources)
    ok = sum(1 for row in rows if row["status"] == STATUS_OK)
    summary.scored += stored
    summary.skipped += ok - stored  # the same text twice in one run: stored once
    for row in rows:
        if row["status"] == STATUS_OK:
            summary.flagged += bool(row.get("warnings"))
        else:
            summary.failed += 1
            if len(summary.failures) < MAX_FAILURES_LISTED:
                summary.failures.append((str(row["source"]), str(row["error"])))
    summary.seconds = time.perf_counter() - started
    if report is not None:
        report(summary)


__all__ = ["BatchSummary", "model_version_of", "output_columns", "resolve_model",
           "run_batch", "score_chunk"]
