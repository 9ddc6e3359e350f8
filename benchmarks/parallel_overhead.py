"""Where a `--jobs N` run's wall clock goes besides scoring (issue 12, `--jobs 2` at a few hundred articles).

One `run_batch` over the first `--articles` real allsides-mbfc articles (as benchmarks/speed.py builds
its corpus) with the default model; each worker records when it warms up and when it
scores each chunk (the batch's worker functions wrapped before the pool forks, the rows untouched).
Reported, in seconds from the start of `run_batch`: when the first worker starts, each worker's warm-up
and chunk time, its idle time between the first start and the last result, the imbalance at the end
(last worker's finish minus the first's), the parent's CPU and the wall clock. With `--versus-jobs-1` the
same corpus is also scored with --jobs 1 (the speed-up is then jobs-1 wall over jobs-N wall; a quiet
machine is needed for it to mean anything: speed.py measures it from outside). Each run is a fresh
interpreter, as a `newsscore score` command is.

With `--pairs N` it measures instead what benchmarks/speed.py's `jobs2_vs_jobs1_few_hundred` row does, and
only that: whole `newsscore score CORPUS -o scores.csv --quiet` processes, `--jobs 1` and `--jobs N` in
turn (A B A B, N counted pairs after a warm-up pair), the median of the pair-by-pair wall ratios, each
command's median wall and CPU, the machine's load average before and after (the machine is shared), and
whether the two commands wrote the same bytes; in about a tenth of speed.py's time.

With `--cpu-model N` it measures CPU seconds instead, which hardly depend on the machine's other load, in N
fresh `newsscore score` processes of each kind (benchmarks/cli_cpu_probe.py), and predicts the wall ratio
from them (medians over the runs):
  T1 = the --jobs 1 process's CPU (one thread: its wall on an idle core);
  T2 = S + max(W, R) + p / N + E, with S the --jobs N parent's CPU before it forks (interpreter, imports,
  the model), W a worker's warm-up (the lazy resources --jobs 1 loads in its first chunk), R the parent's
  CPU from the fork to its first chunk (reading, while the workers warm up), E the CPU after the last
  chunk (finishing the output, exit; from the --jobs 1 run), and p = T1 - S - W - E the work the N
  processes share (reading, scoring, writing), taken from the --jobs 1 run because CPU seconds of
  processes running side by side on a loaded machine are inflated by the contention. Not counted: the
  pickling of chunks and rows, the workers' finish gap (<= one small tail chunk), page copies after the
  fork, waits for the workers' exits. `speedup_concurrent` uses the --jobs N run's own chunk and parent
  CPU instead, (C + P) / N for p / N: a lower bound under load. With --versus-tree DIR the runs of both
  checkouts are interleaved (same load). `speedup_from_process_cpu` charges the --jobs N run its whole
  process tree's CPU instead (kernel accounting, so the pickling, the page copies after the fork and each
  worker's own warm-up count): T1 / (S' + (C - S') / N), with C that CPU and S' = `serial_before_scoring`.
  Also reported per run: the parent's own user/system CPU and page faults, the workers' (summed, up to
  each one's last chunk), and what neither covers (the workers' exits).

Run: .venv/bin/python benchmarks/parallel_overhead.py [--articles 400] [--jobs 2] [--versus-jobs-1]
     .venv/bin/python benchmarks/parallel_overhead.py --cpu-model 5 [--articles 400]
     .venv/bin/python benchmarks/parallel_overhead.py --pairs 7 [--articles 400] [--jobs 2]
     [--versus-tree DIR: the same rounds for a checkout of another revision, e.g. a `git worktree`]
(writes benchmarks/results/parallel_overhead.json, with --pairs parallel_speedup.json, with --cpu-model
parallel_cpu_model.json, or --output PATH)
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import run_once, score_command, speedup, write_corpus  # noqa: E402 - speed.py's corpus and timing

from scoring import batch  # noqa: E402
from scoring.outputs import write_json_atomically  # noqa: E402
from scoring.resources import shipped_model_path  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "parallel_overhead.json"
PAIRS_RESULTS = RESULTS.with_name("parallel_speedup.json")  # the --pairs figures
CPU_MODEL_RESULTS = RESULTS.with_name("parallel_cpu_model.json")  # the --cpu-model figures
PROBE = Path(__file__).resolve().parent / "cli_cpu_probe.py"


_ORIGINAL: dict[str, object] = {}  # the batch's own worker functions, and the log path


def _record(start: float, what: str) -> None:
    with open(_ORIGINAL["log"], "a", encoding="utf-8") as handle:  # type: ignore[call-overload]
        handle.write(json.dumps([os.getpid(), start, time.time(), what]) + "\n")


def _timed_score(articles):  # type: ignore[no-untyped-def]
    start = time.time()
    rows = _ORIGINAL["score"](articles)  # type: ignore[operator]
    _record(start, str(len(articles)))
    return rows


def _timed_init(*args):  # type: ignore[no-untyped-def]
    start = time.time()
    _ORIGINAL["init"](*args)  # type: ignore[operator]
    _record(start, "warm-up")


def instrument(log_path: Path) -> None:
    """Wrap the worker initializer and chunk function so each worker appends (pid, start, end, what);
    module-level wrappers, so the pool can send them by name to its forked workers."""
    _ORIGINAL.update(score=batch._score_chunk_in_worker, init=batch._init_worker, log=log_path)
    batch._score_chunk_in_worker = _timed_score
    batch._init_worker = _timed_init


def timeline(log_path: Path, started: float) -> dict[str, object]:
    """Per-worker warm-up, busy and idle seconds, and the end imbalance, from the workers' log."""
    by_worker: dict[int, list[tuple[float, float, str]]] = {}
    for line in log_path.read_text(encoding="utf-8").splitlines():
        pid, start, end, what = json.loads(line)
        by_worker.setdefault(pid, []).append((start - started, end - started, what))
    first = min(start for spans in by_worker.values() for start, _, _ in spans)
    last = max(end for spans in by_worker.values() for _, end, _ in spans)
    workers = []
    for spans in by_worker.values():
        spans.sort()
        warm = sum(end - start for start, end, what in spans if what == "warm-up")
        busy = sum(end - start for start, end, what in spans if what != "warm-up")
        workers.append({"first_start": round(spans[0][0], 3), "warm_up": round(warm, 3),
                        "scoring": round(busy, 3), "finish": round(spans[-1][1], 3),
                        "idle": round(last - first - warm - busy, 3),
                        "chunks": [what for _, _, what in spans if what != "warm-up"]})
    finishes = [w["finish"] for w in workers]
    return {"workers": workers, "end_imbalance": round(max(finishes) - min(finishes), 3),
            "idle_total": round(sum(w["idle"] for w in workers), 3)}


def measure(corpus: Path, output: Path, jobs: int) -> dict[str, object]:
    """One instrumented `run_batch` in this (fresh) process: wall, parent CPU and the workers' timeline."""
    log_path = output.with_suffix(".workers.log")
    instrument(log_path)
    cpu, started_wall, started = time.process_time(), time.time(), time.perf_counter()
    batch.run_batch([corpus], output, jobs=jobs, model=shipped_model_path(), progress=False)
    result: dict[str, object] = {"wall": round(time.perf_counter() - started, 3),
                                 "parent_cpu": round(time.process_time() - cpu, 3)}
    if log_path.exists():
        result.update(timeline(log_path, started_wall))
    return result


def in_fresh_process(corpus: Path, output: Path, jobs: int) -> dict[str, object]:
    """`measure` in a new interpreter, as a `newsscore score` run starts (nothing loaded or warmed)."""
    command = [sys.executable, __file__, "--measure", str(corpus), str(output), "--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def whole_process_pairs(corpus: Path, work: Path, jobs: int, pairs: int) -> dict[str, object]:
    """speed.py's --jobs N against --jobs 1 row on `corpus`: whole processes in turn, pair-by-pair ratios."""
    compileall.compile_dir(str(Path(batch.__file__).parent), quiet=1)  # as speed.py (an installed wheel)
    out = work / "scores.csv"
    result = speedup(score_command(corpus, out, 1), score_command(corpus, out, jobs), pairs,
                     lambda: out.unlink(missing_ok=True))
    subprocess.run(score_command(corpus, work / "one.csv", 1), check=True, capture_output=True)
    subprocess.run(score_command(corpus, work / "many.csv", jobs), check=True, capture_output=True)
    result["rows_identical_to_jobs1"] = (work / "one.csv").read_bytes() == (work / "many.csv").read_bytes()
    return result


def probed_run(corpus: Path, work: Path, jobs: int, tree: Path | None = None) -> dict[str, float]:
    """One `newsscore score --jobs N` process under benchmarks/cli_cpu_probe.py (of this checkout, or of
    `tree` through PYTHONPATH): the parent's CPU marks, the workers' warm-up and chunk CPU, and the whole
    process's CPU (kernel accounting, children included)."""
    log, out = work / "probe.log", work / "probe.csv"
    log.unlink(missing_ok=True)
    out.unlink(missing_ok=True)
    command = [sys.executable, str(PROBE), str(log), "score", str(corpus), "-o", str(out),
               "--jobs", str(jobs), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(tree)} if tree else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {stderr[-2000:]}")
    marks = json.loads(stderr.strip().splitlines()[-1])
    warm, chunks, worker_usage = [], 0.0, {}
    for line in (log.read_text(encoding="utf-8").splitlines() if log.exists() else []):
        pid, what, cpu, *so_far = json.loads(line)
        worker_usage[pid] = so_far  # each worker's user, system and page faults at its last record
        if what == "warm-up":
            warm.append(cpu)
        else:
            chunks += cpu
    workers = list(worker_usage.values())
    result = {"process_cpu": usage.ru_utime + usage.ru_stime, "process_sys": usage.ru_stime,
              "process_minflt": usage.ru_minflt, "parent_own_cpu": marks["user"] + marks["sys"],
              "parent_own_sys": marks["sys"], "parent_own_minflt": marks["minflt"],
              "workers_cpu": sum(w[0] + w[1] for w in workers), "workers_sys": sum(w[1] for w in workers),
              "workers_minflt": sum(w[2] for w in workers), "parent_at_fork": marks.get("fork", 0.0),
              "parent_to_first_chunk": marks["first_submit"] - marks.get("fork", marks["first_submit"]),
              "parent_while_scoring": marks["drive_end"] - marks["first_submit"],
              "parent_after_drive": marks["end"] - marks["drive_end"],
              "worker_warm_up": max(warm, default=0.0), "worker_chunks": chunks}
    if jobs == 1:
        result["exit"] = result["process_cpu"] - marks["end"]
    # after each worker's last chunk (its exit) and the parent's last mark (its exit, the pool's end)
    result["unaccounted"] = result["process_cpu"] - result["parent_own_cpu"] - result["workers_cpu"]
    return result


def cpu_model(corpus: Path, work: Path, jobs: int, runs: int, other: Path | None = None) -> dict[str, object]:
    """The --cpu-model figures: median CPU components of `runs` probed processes of each kind (in turn),
    and the wall ratio the model in this module's docstring predicts from them; with `other`, the same for
    that checkout too, its runs interleaved with these."""
    trees = {"this": None} if other is None else {"this": None, "other": other}
    for tree in (Path(batch.__file__).parents[1], *([other] if other else [])):
        compileall.compile_dir(str(tree / "scoring"), quiet=1)  # as speed.py (an installed wheel)
    runs_of: dict[str, tuple[list[dict[str, float]], list[dict[str, float]]]] = {t: ([], []) for t in trees}
    for _ in range(runs):
        for name, tree in trees.items():
            runs_of[name][0].append(probed_run(corpus, work, 1, tree))
            runs_of[name][1].append(probed_run(corpus, work, jobs, tree))
    result = _cpu_prediction(*runs_of["this"], jobs, runs)
    if other is not None:
        result = {"this": result, "this_revision": _revision(Path(batch.__file__).parents[1]),
                  "other": _cpu_prediction(*runs_of["other"], jobs, runs), "other_revision": _revision(other)}
    return result


def _cpu_prediction(ones: list[dict[str, float]], manys: list[dict[str, float]], jobs: int,
                    runs: int) -> dict[str, object]:
    """Median components of the probed runs and the model's T1, T2 and their ratio."""

    def median(rows: list[dict[str, float]], key: str) -> float:
        return round(statistics.median(row[key] for row in rows), 4)

    one = {key: median(ones, key) for key in ones[0]}
    many = {key: median(manys, key) for key in manys[0]}
    serial = many["parent_at_fork"] + max(many["worker_warm_up"], many["parent_to_first_chunk"])
    tail = one["parent_after_drive"] + one["exit"]
    t1 = one["process_cpu"]
    shared = t1 - many["parent_at_fork"] - many["worker_warm_up"] - tail
    t2 = serial + shared / jobs + tail
    t2_concurrent = serial + (many["worker_chunks"] + many["parent_while_scoring"]) / jobs + tail
    t2_process = serial + (many["process_cpu"] - serial) / jobs
    return {"runs": runs, "jobs1_cpu": one, f"jobs{jobs}_cpu": many,
            "predicted": {"t1": round(t1, 3), f"t{jobs}": round(t2, 3), "shared_work": round(shared, 3),
                          "serial_before_scoring": round(serial, 3), "serial_after_scoring": round(tail, 3),
                          "speedup": round(t1 / t2, 3), "speedup_concurrent": round(t1 / t2_concurrent, 3),
                          "speedup_from_process_cpu": round(t1 / t2_process, 3)}}


def _revision(tree: Path) -> str:
    """The git commit a tree is checked out at (with '+changes' when it has uncommitted ones)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True).stdout.strip()

    changed = git("status", "--porcelain", "--", "scoring")
    return git("rev-parse", "--short", "HEAD") + ("+changes" if changed else "")


def pairs_against_tree(corpus: Path, work: Path, jobs: int, pairs: int, other: Path) -> dict[str, object]:
    """The same row for this tree and for `other` (a checkout of another revision, run with this venv
    through PYTHONPATH), in rounds of four processes: this --jobs N, this --jobs 1, other --jobs N, other
    --jobs 1; per round each tree's speed-up, and this tree's walls over the other's (one warm-up round)."""
    for tree in (Path(batch.__file__).parents[1], other):
        compileall.compile_dir(str(tree / "scoring"), quiet=1)
    out = work / "scores.csv"
    command = [sys.executable, "-m", "scoring.cli", "score", str(corpus), "-o", str(out), "--quiet"]
    trees = {"this": Path(batch.__file__).parents[1], "other": other}

    def once(tree: str, n: int) -> dict[str, float]:
        out.unlink(missing_ok=True)
        return run_once([*command, "--jobs", str(n)], env={**os.environ, "PYTHONPATH": str(trees[tree])})

    rounds = []
    for number in range(pairs + 1):
        result = {f"{tree}_jobs{n}": once(tree, n) for tree in trees for n in (jobs, 1)}
        if number:  # the first round warms the caches
            rounds.append(result)

    def median(values) -> float:  # type: ignore[no-untyped-def]
        return round(statistics.median(values), 3)

    summary: dict[str, object] = {"rounds": pairs, "this_revision": _revision(trees["this"]),
                                  "other_revision": _revision(other)}
    for tree in trees:
        summary[f"{tree}_speedup_wall"] = median(r[f"{tree}_jobs1"]["wall"] / r[f"{tree}_jobs{jobs}"]["wall"]
                                                 for r in rounds)
        for n in (1, jobs):
            summary[f"{tree}_jobs{n}_wall_median"] = median(r[f"{tree}_jobs{n}"]["wall"] for r in rounds)
            summary[f"{tree}_jobs{n}_cpu_median"] = median(r[f"{tree}_jobs{n}"]["cpu"] for r in rounds)
    for n in (1, jobs):
        summary[f"this_over_other_jobs{n}_wall"] = median(
            r[f"this_jobs{n}"]["wall"] / r[f"other_jobs{n}"]["wall"] for r in rounds)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--versus-jobs-1", action="store_true")
    parser.add_argument("--pairs", type=int, default=0, help="whole-process pairs (speed.py's row) instead")
    parser.add_argument("--cpu-model", type=int, default=0, metavar="RUNS",
                        help="CPU components of RUNS probed processes of each kind, and the predicted ratio")
    parser.add_argument("--versus-tree", type=Path, default=None,
                        help="with --pairs or --cpu-model: the same runs for this checkout of another "
                             "revision too")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--measure", nargs=2, type=Path, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    default = CPU_MODEL_RESULTS if args.cpu_model else PAIRS_RESULTS if args.pairs else RESULTS
    args.output = args.output or default
    if args.measure:
        print(json.dumps(measure(*args.measure, jobs=args.jobs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        result: dict[str, object] = {
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other jobs while measured",
            "load_average_before": os.getloadavg()[0], "corpus": write_corpus(args.articles, corpus),
            "jobs": args.jobs}
        if args.cpu_model:
            other = args.versus_tree.resolve() if args.versus_tree else None
            result.update(cpu_model(corpus, work, args.jobs, args.cpu_model, other))
        elif args.pairs and args.versus_tree:
            result.update(pairs_against_tree(corpus, work, args.jobs, args.pairs, args.versus_tree.resolve()))
        elif args.pairs:
            result.update(whole_process_pairs(corpus, work, args.jobs, args.pairs))
        else:
            result.update(in_fresh_process(corpus, work / "many.csv", args.jobs))
        if args.versus_jobs_1 and not (args.pairs or args.cpu_model):
            one = in_fresh_process(corpus, work / "one.csv", 1)
            result["jobs1_wall"] = one["wall"]
            result["speedup"] = round(one["wall"] / result["wall"], 3)  # type: ignore[operator]
            same = (work / "one.csv").read_bytes() == (work / "many.csv").read_bytes()
            result["rows_identical_to_jobs1"] = same
        result["load_average_after"] = os.getloadavg()[0]
    write_json_atomically(result, args.output)
    print(json.dumps({k: v for k, v in result.items() if k != "workers"}, indent=2))


if __name__ == "__main__":
    main()
