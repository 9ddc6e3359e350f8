"""`newsscore score ARGS` in this process, with CPU marks for benchmarks/parallel_overhead.py --cpu-model.

Run as `python benchmarks/cli_cpu_probe.py LOG score CORPUS -o OUT --jobs N --quiet`. The batch's runner,
worker and drive functions are wrapped (rows untouched) to record the parent's CPU (`time.process_time`)
when it forks, submits its first chunk, ends the drive and returns, and each worker's own CPU
(`time.thread_time`) for its warm-up and for every chunk, with the worker process's own accounting so far
(user and system seconds, minor page faults: `resource.getrusage`), appended to LOG as JSON lines; the
parent's marks, and its own user, system and page-fault totals at the end, are the last line printed on
stderr. CPU seconds, not wall: they hardly depend on what else runs.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import scoring.batch as batch

LOG = sys.argv[1]
MARKS: dict[str, float] = {}
_runner_init, _process_submit, _inline_submit = (batch.ProcessRunner.__init__, batch.ProcessRunner.submit,
                                                 batch.InlineRunner.submit)
_worker_init, _worker_chunk, _drive = batch._init_worker, batch._score_chunk_in_worker, batch._drive


def mark(name: str) -> None:
    MARKS.setdefault(name, time.process_time())


def own_usage() -> list[float]:
    """This process's user and system CPU seconds and minor page faults so far (its threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return [usage.ru_utime, usage.ru_stime, usage.ru_minflt]


def record(what: str, cpu: float) -> None:
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps([os.getpid(), what, cpu, *own_usage()]) + "\n")


def runner_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    mark("fork")
    _runner_init(self, *args, **kwargs)


def process_submit(self, articles):  # type: ignore[no-untyped-def]
    mark("first_submit")
    return _process_submit(self, articles)


def inline_submit(self, articles):  # type: ignore[no-untyped-def]
    mark("first_submit")
    return _inline_submit(self, articles)


def worker_init(*args):  # type: ignore[no-untyped-def]
    start = time.thread_time()
    _worker_init(*args)
    record("warm-up", time.thread_time() - start)


def worker_chunk(articles):  # type: ignore[no-untyped-def]
    start = time.thread_time()
    rows = _worker_chunk(articles)
    record(str(len(articles)), time.thread_time() - start)
    return rows


def drive(*args, **kwargs):  # type: ignore[no-untyped-def]
    _drive(*args, **kwargs)
    mark("drive_end")


batch.ProcessRunner.__init__ = runner_init  # type: ignore[method-assign]
batch.ProcessRunner.submit = process_submit  # type: ignore[method-assign]
batch.InlineRunner.submit = inline_submit  # type: ignore[method-assign]
batch._init_worker, batch._score_chunk_in_worker, batch._drive = worker_init, worker_chunk, drive

from scoring.cli import main  # noqa: E402 - after the wrappers, as the CLI would import the batch

try:
    main(sys.argv[2:], standalone_mode=False)
finally:
    mark("end")
    MARKS["user"], MARKS["sys"], MARKS["minflt"] = own_usage()
    print(json.dumps(MARKS), file=sys.stderr)
