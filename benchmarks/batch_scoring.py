"""Benchmark batch scoring: articles/s and peak RSS, extraction alone and extraction + model scoring, at
jobs 1 and 2, and peak memory at two corpus sizes (flat is the goal). Also a cProfile of the hot spots.

    .venv/bin/python benchmarks/batch_scoring.py                      # default: a few minutes on 2 cores
    .venv/bin/python benchmarks/batch_scoring.py --n 5000 --memory-sizes 10000,100000   # the full run

The corpus is built from the bundled real articles (corpus/training/articles.parquet, ~690 words on
average, and corpus/seeds), repeated and varied (paragraphs dropped/rotated and a numbered dateline
added, so every copy has its own content id), written once as JSONL and cached under --workdir.
Every measured run is a separate process; its peak RSS is measured for the process alone and for the
whole process tree (RSS and PSS sampled with psutil every 100 ms).
Results go to benchmarks/results/batch_scoring.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "batch_scoring.json"
TRAINING = REPO / "corpus" / "training" / "articles.parquet"
SEEDS = REPO / "corpus" / "seeds"


# ---------------------------------------------------------------------------------------------- corpus


def source_articles() -> list[dict[str, str]]:
    """The real articles the corpus is made of: the training corpus (if built) and the seeds."""
    articles: list[dict[str, str]] = []
    if TRAINING.exists():
        import pyarrow.parquet as pq

        table = pq.read_table(TRAINING, columns=["text", "title", "outlet", "url"])
        articles.extend(row for row in table.to_pylist() if row["text"] and row["text"].strip())
    for path in sorted(SEEDS.glob("*.txt")):
        articles.append({"text": path.read_text(encoding="utf-8"), "title": "", "outlet": "", "url": ""})
    return articles


def varied(article: dict[str, str], copy: int, rng: random.Random) -> dict[str, str]:
    """Copy `copy` of an article: the original first, then paragraph-level variations with a dateline."""
    if copy == 0:
        return article
    paragraphs = [p for p in article["text"].split("\n") if p.strip()]
    if len(paragraphs) > 3:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
        cut = rng.randrange(1, len(paragraphs))
        paragraphs = paragraphs[:1] + paragraphs[cut:] + paragraphs[1:cut]
    text = f"UPDATED (edition {copy})\n\n" + "\n\n".join(paragraphs)
    return {**article, "text": text}


def iter_corpus(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """n realistic articles, streamed."""
    base = source_articles()
    rng = random.Random(seed)
    for i in range(n):
        yield varied(base[i % len(base)], i // len(base), rng)


def corpus_file(n: int, workdir: Path) -> Path:
    """The JSONL corpus of n articles, built once per size."""
    path = workdir / f"corpus-{n}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as handle:
            for article in iter_corpus(n):
                handle.write(json.dumps(article, ensure_ascii=False) + "\n")
        partial.replace(path)
    return path


# ---------------------------------------------------------------------------------------------- model


def benchmark_model(workdir: Path) -> Path:
    """The model file to score with: the shipped model if it fits the current features, else a scorecard
    fitted here on the training corpus (so the benchmark runs mid-development)."""
    from scoring.model import ModelMismatchError, ReportingStyleModel, default_model_path

    default = default_model_path()
    try:
        ReportingStyleModel.load(default)
        return default
    except (ModelMismatchError, FileNotFoundError, OSError):
        pass
    from scoring.train import train

    path = workdir / "benchmark-model.json"
    train(TRAINING, path)
    return path


# ---------------------------------------------------------------------------------------------- runs


def child_run(args: argparse.Namespace) -> None:
    """Inside the measured process: one batch, then its numbers as JSON on stdout."""
    from scoring.batch import run_batch

    started = time.perf_counter()
    summary = run_batch([args.input], args.output, jobs=args.jobs, chunk_size=args.chunk_size,
                        model=args.model or None, progress=False)
    wall = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    self_kb, children_kb = own.ru_maxrss, children.ru_maxrss
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({"scored": summary.scored, "failed": summary.failed, "seconds": round(wall, 3),
                      "cpu_seconds": round(cpu, 2),
                      "main_peak_rss_mb": round(self_kb / 1024, 1),
                      "largest_worker_peak_rss_mb": round(children_kb / 1024, 1)}))


def measured_run(input_path: Path, output: Path, jobs: int, chunk_size: int, model: Path | None) -> dict:
    """Run one batch in a fresh process, sampling the RSS of its whole process tree."""
    import psutil

    for stale in (output, output.with_suffix(output.suffix + ".wal")):
        stale.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--input", str(input_path),
               "--output", str(output), "--jobs", str(jobs), "--chunk-size", str(chunk_size),
               "--model", str(model or "")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    root = psutil.Process(process.pid)
    peak_tree = peak_tree_pss = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak_tree = max(peak_tree, sum(_memory(p, "rss") for p in tree))
            peak_tree_pss = max(peak_tree_pss, sum(_memory(p, "pss") for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    out = process.stdout.read()
    process.stdout.close()
    if process.returncode != 0:
        raise RuntimeError(f"benchmark run failed ({process.returncode}): {' '.join(command)}")
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_rss_mb"] = round(peak_tree / 2**20, 1)  # counts pages shared by forked workers twice
    result["tree_peak_pss_mb"] = round(peak_tree_pss / 2**20, 1)  # shared pages split between processes
    done = result["scored"] + result["failed"]
    result["articles_per_second"] = round(done / result["seconds"], 1)
    result["articles_per_second_per_core"] = round(done / result["seconds"] / jobs, 1)
    # CPU time is what a shared, loaded machine does not distort: articles per CPU-second of the tree
    result["articles_per_cpu_second"] = round(done / result["cpu_seconds"], 1)
    result["load_average_during"] = round(os.getloadavg()[0], 2)
    return result


def _memory(process, kind: str) -> int:
    try:
        info = process.memory_full_info() if kind == "pss" else process.memory_info()
        return getattr(info, kind)
    except Exception:  # noqa: BLE001 - a worker that just exited, or no PSS on this platform
        return 0


def profile_extraction(input_path: Path, n: int) -> dict:
    """cProfile of scoring `n` articles in this process (jobs=1): the functions where the time goes."""
    import itertools

    from scoring.batch import score_chunk
    from scoring.ingest import iter_articles

    articles = list(itertools.islice(iter_articles([input_path]), n))
    score_chunk(articles[:5])  # warm caches (lexicons, regexes) outside the profile
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(score_chunk, articles)
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        where = f"{_short(filename)}:{line}({name})"
        rows.append({"function": where, "calls": calls, "tottime_s": round(tottime, 3),
                     "cumtime_s": round(cumtime, 3)})
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
    by_self = sorted(rows, key=lambda r: -r["tottime_s"])[:15]
    by_cum = [r for r in sorted(rows, key=lambda r: -r["cumtime_s"]) if "scoring/" in r["function"]][:20]
    return {"articles": len(articles), "seconds": round(seconds, 3),
            "ms_per_article_under_profile": round(1000 * seconds / len(articles), 2),
            "top_self_time": by_self, "top_cumulative_in_scoring": by_cum}


def engine_overhead(input_path: Path, n: int, workdir: Path) -> dict:
    """What the main process does besides extraction, per second: ingest, and writing rows (jsonl, duckdb).
    With jobs=N the main process must keep up with N workers, so these are the ceilings of scaling."""
    import itertools

    from scoring.batch import output_columns, score_chunk
    from scoring.ingest import iter_articles
    from scoring.store import open_sink

    started = time.perf_counter()
    count = sum(1 for _ in itertools.islice(iter_articles([input_path]), n))
    ingest = count / (time.perf_counter() - started)
    rows = score_chunk(list(itertools.islice(iter_articles([input_path]), 200)))
    result = {"ingest_articles_per_second": round(ingest, 1)}
    for suffix in ("jsonl", "duckdb"):
        target = workdir / f"overhead.{suffix}"
        target.unlink(missing_ok=True)
        sink = open_sink(target, "overhead", output_columns(False))
        started = time.perf_counter()
        for copy in range(max(1, n // len(rows))):
            sink.write([{**row, "id": f"{copy:06d}{row['id'][6:]}"} for row in rows], [])
        sink.finish(rank=False)
        written = len(rows) * max(1, n // len(rows))
        result[f"write_{suffix}_rows_per_second"] = round(written / (time.perf_counter() - started), 1)
    return result


def _short(filename: str) -> str:
    for marker in ("/scoring/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return marker.strip("/") + "/" + filename.split(marker, 1)[1]
    return filename


def machine() -> dict:
    """Where the numbers were measured."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": [round(x, 2) for x in load]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles for the throughput runs")
    parser.add_argument("--memory-sizes", default="1000,5000",
                        help="comma-separated corpus sizes for the memory runs (full run: 10000,100000)")
    parser.add_argument("--memory-jobs", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=200)
    parser.add_argument("--profile-n", type=int, default=300, help="articles to profile (0: no profile)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsscore-bench")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--model", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.output = str(args.output)
        child_run(args)
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    results: dict = {"measured_at": started, "machine": machine(), "chunk_size": args.chunk_size,
                     "corpus": {"sources": [str(TRAINING.relative_to(REPO)), str(SEEDS.relative_to(REPO))],
                                "source_articles": len(source_articles())}}
    model = benchmark_model(args.workdir)
    results["model"] = str(model.relative_to(REPO)) if model.is_relative_to(REPO) else model.name
    corpus = corpus_file(args.n, args.workdir)
    results["throughput"] = []
    for label, with_model in (("extraction", None), ("extraction+scoring", model)):
        for jobs in (1, 2):
            run = measured_run(corpus, args.workdir / "out.jsonl", jobs, args.chunk_size, with_model)
            run.update({"stage": label, "jobs": jobs, "n": args.n, "output": "jsonl"})
            results["throughput"].append(run)
            print(json.dumps(run), flush=True)
    for label in ("extraction", "extraction+scoring"):
        one, two = (r for r in results["throughput"] if r["stage"] == label)
        results.setdefault("speedup_jobs2_over_jobs1", {})[label] = round(
            two["articles_per_second"] / one["articles_per_second"], 2)
        # the speed-up 2 cores would give if both were free: 2 x the CPU efficiency of jobs=2 vs jobs=1
        results.setdefault("cpu_bound_speedup_jobs2_if_2_free_cores", {})[label] = round(
            2 * two["articles_per_cpu_second"] / one["articles_per_cpu_second"], 2)

    results["memory"] = []
    for size in (int(s) for s in args.memory_sizes.split(",") if s):
        corpus = corpus_file(size, args.workdir)
        run = measured_run(corpus, args.workdir / "memory.duckdb", args.memory_jobs, args.chunk_size, model)
        run.update({"stage": "extraction+scoring", "jobs": args.memory_jobs, "n": size, "output": "duckdb"})
        results["memory"].append(run)
        print(json.dumps(run), flush=True)

    results["engine_overhead"] = engine_overhead(corpus_file(args.n, args.workdir), args.n, args.workdir)
    print(json.dumps(results["engine_overhead"]), flush=True)
    if args.profile_n:
        results["profile"] = profile_extraction(corpus_file(args.n, args.workdir), args.profile_n)
        for row in results["profile"]["top_cumulative_in_scoring"][:12]:
            print(f"{row['cumtime_s']:8.2f}s cum {row['tottime_s']:8.2f}s self  {row['function']}")
    from scoring.outputs import write_json_atomically

    write_json_atomically(results, args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
