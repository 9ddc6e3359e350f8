"""Compiled (mypyc) against pure-Python newsscore on the same articles, pair by pair: can compiled code bring
`newsscore score --jobs 1` to issue 12's <= 10x the floor, where pure-Python work has stalled near 32x?

An experiment that leaves the product as it is (pure Python, `make install` unchanged). The script copies
scoring/ (with the shipped model) to two temporary trees, compiles the hot modules of one of them in place
with mypyc (mypy's compiler; the `compile` extra: `pip install -e '.[compile]'`), and runs each tree in its
own processes with PYTHONPATH pointing at it (the worker checks which copy it imported and which of its
modules are extensions). mypyc compiles only code that type-checks: a module on which mypy reports errors
is left out of the compiled set and listed with its first errors.

Per round, in alternating order (pure first in even rounds, compiled first in odd ones):
- `extract`: one process per tree runs segment() and every feature family on the first N articles (the
  in-process work of `score`: feature_snapshot.py's extract(segment(article)), plus the page word count the
  pipeline reads), timing CPU per stage: segmentation, the Document's shared views (body text, word spans,
  lower-cased words, Punkt sentences, page word count), then each family;
- `score`: `newsscore score --jobs 1 --quiet` end to end on the same JSONL (the tree's scoring.cli), and
  speed.py's floor loop (parse each JSON line, `re.findall(r"\\w+", text.lower())`) beside it.
Ratios are taken within a round (pure / compiled, each / floor) and the median over rounds is reported, so
a machine whose speed drifts (it is shared) still gives fair ratios.

Identity: every article's feature values and spans (a digest each) must be equal between the trees, the
two `score` outputs must be byte-identical, and feature_snapshot.py's 300 articles, written under the pure
tree, are compared under the compiled one. Any difference fails the run (exit 1).

Input: the first N (default 1,000) allsides-mbfc articles with text, as JSONL ({"id","text"}).
Optionally (`--tests FILE ...`) test files run against each tree, to see what compiling changes for the suite.
Needs mypy (the `compile` extra) and a C compiler; the build takes a few minutes (`nice`d).
Run: .venv/bin/python benchmarks/compiled_speed.py [--articles 1000] [--rounds 5] [--keep DIR] [--tests ...]
(writes benchmarks/results/compiled_speed.json, or --output PATH)
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from speed import FLOOR_PROGRAM, run_once

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")
RESULTS = ROOT / "benchmarks" / "results" / "compiled_speed.json"
SNAPSHOT = ROOT / "benchmarks" / "feature_snapshot.py"

# the modules of the per-article path (segment, the Document's tokenisation, every family), in import order
HOT_MODULES = (
    "scoring/lexicon.py", "scoring/punkt.py", "scoring/text.py", "scoring/records.py", "scoring/segment.py",
    "scoring/features/base.py", "scoring/features/quote_marks.py", "scoring/features/speakers.py",
    "scoring/features/quotes.py", "scoring/features/attribution.py", "scoring/features/boilerplate.py",
    "scoring/features/language.py", "scoring/features/readability.py", "scoring/features/__init__.py",
)
# hot modules that type-check but are left pure by default, and why (--modules overrides)
LEFT_PURE = {
    "scoring/records.py": (
        "Document's body views are functools.cached_property; mypyc makes Document a native class (no "
        "__dict__), where a cached_property is recomputed on every access: compiled with the rest, "
        "extraction ran 2.1x slower than pure Python (200 articles). Needs the views rewritten as "
        "explicit cached attributes, or Document kept a Python class "
        "(mypy_extensions.mypyc_attr(native_class=False))"),
}
MYPY_CONFIG = "[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n"
VIEWS = ("body_text", "body_words", "body_word_starts", "body_lowered", "body_sentences", "page_word_count")
# `python -c` puts the working folder first on sys.path, before PYTHONPATH: dropped, and the tree checked
SCORE_PROGRAM = ("import os, sys; sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd())]; "
                 "import scoring; assert scoring.__file__.startswith(os.environ['PYTHONPATH']); "
                 "sys.argv[0] = 'newsscore'; from scoring.cli import main; sys.exit(main())")
_ERROR_RE = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ", re.MULTILINE)


# ------------------------------------------------------------------------------------------ the worker


def worker(jsonl: Path) -> dict[str, object]:
    """Time segment(), the shared views and each family on every line of `jsonl` (CPU seconds per stage)
    in this process, and digest each article's features and spans; report which scoring files it ran."""
    import gc

    import scoring
    from scoring.features import FAMILIES
    from scoring.records import Article
    from scoring.segment import segment

    articles = [Article(id=row["id"], source="", text=row["text"])
                for row in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines())]
    stages = {"segment": 0.0, "views": 0.0, **{family.name: 0.0 for family in FAMILIES}}
    digests: dict[str, str] = {}
    clock = time.process_time
    started = clock()
    for article in articles:
        gc.disable()  # as the pipeline's collector_paused: off while one article is analysed
        t0 = clock()
        doc = segment(article)
        t1 = clock()
        stages["segment"] += t1 - t0
        for view in VIEWS:
            getattr(doc, view)
        t2 = clock()
        stages["views"] += t2 - t1
        values: dict[str, object] = {}
        spans: list[list[object]] = []
        for family in FAMILIES:
            t0 = clock()
            record = family.extract(doc)
            stages[family.name] += clock() - t0
            values.update(record.values)
            spans.extend([s.start, s.end, s.kind, s.label] for s in record.spans)
        row = json.dumps({"values": values, "spans": spans, "words": doc.page_word_count}, sort_keys=True,
                         default=str)
        digests[article.id] = hashlib.sha256(row.encode("utf-8")).hexdigest()[:16]
        gc.enable()
    total = clock() - started
    package = Path(scoring.__file__).parent
    modules = sorted(str(path.relative_to(package.parent)) for path in package.rglob("*.so"))
    return {"package": str(package), "extensions": modules, "articles": len(articles), "cpu": total,
            "stages": stages, "digests": digests}


# ------------------------------------------------------------------------------------------ the trees


def corpus(n: int, path: Path) -> int:
    """The first n allsides-mbfc articles with text, as JSONL ({"id","text"}) at `path`."""
    lines = []
    with gzip.open(DATA, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            if row.get("text", "").strip():
                lines.append(json.dumps({"id": row["id"], "text": row["text"]}, ensure_ascii=False))
                if len(lines) >= n:
                    break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def copy_package(tree: Path) -> None:
    """scoring/ as the wheel lays it out (models/ inside as scoring/models), without bytecode or builds."""
    ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.pyc")
    shutil.copytree(ROOT / "scoring", tree / "scoring", ignore=ignore)
    shutil.copytree(ROOT / "models", tree / "scoring" / "models", ignore=ignore)
    (tree / "mypy.ini").write_text(MYPY_CONFIG, encoding="utf-8")


def type_errors(tree: Path, modules: tuple[str, ...]) -> dict[str, list[str]]:
    """mypy's errors per module (mypyc refuses to build a module set with any), first five lines each."""
    from mypy import api

    stdout, _, _ = api.run(["--config-file", str(tree / "mypy.ini"), *modules])
    errors: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        match = _ERROR_RE.match(line)
        if match and match["path"] in modules:
            errors.setdefault(match["path"], []).append(line)
    return {path: lines[:5] + ([f"... {len(lines) - 5} more"] if len(lines) > 5 else [])
            for path, lines in errors.items()}


def build(tree: Path, modules: tuple[str, ...]) -> dict[str, object]:
    """Compile `modules` of the tree in place with mypyc (extensions beside the .py files, which they
    shadow), leaving out those mypy reports errors on. Returns what was compiled, left out and why."""
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        blocked = type_errors(tree, modules)
        chosen = tuple(m for m in modules if m not in blocked)
        started = time.perf_counter()
        process = subprocess.run(["nice", sys.executable, "-m", "mypyc", *chosen], capture_output=True,
                                 text=True, env={**os.environ, "MYPY_CONFIG_FILE_DIR": str(tree)})
        seconds = time.perf_counter() - started
    finally:
        os.chdir(cwd)
    if process.returncode != 0:
        output = process.stdout + process.stderr
        raise RuntimeError(f"mypyc failed ({process.returncode}):\n{output[-4000:]}")
    warnings = sorted({line for line in process.stdout.splitlines() if ": warning: " in line})
    return {"compiled": list(chosen), "not_compiled": blocked, "build_seconds": round(seconds, 1),
            "mypyc_warnings": warnings}


def run_worker(tree: Path, jsonl: Path) -> dict[str, object]:
    """One `extract` process on the tree (PYTHONPATH), its report parsed."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    process = subprocess.run([sys.executable, __file__, "--worker", str(jsonl)], capture_output=True,
                             text=True, env=env, cwd=tree)
    if process.returncode != 0:
        raise RuntimeError(f"worker on {tree} failed:\n{process.stderr[-4000:]}")
    report = json.loads(process.stdout)
    if Path(report["package"]) != tree / "scoring":
        raise RuntimeError(f"worker imported {report['package']}, not {tree / 'scoring'}")
    return report


def run_score(tree: Path, jsonl: Path, out: Path) -> dict[str, float]:
    """`newsscore score --jobs 1 --quiet` with the tree's package: wall, CPU and peak of the process."""
    out.unlink(missing_ok=True)
    command = [sys.executable, "-c", SCORE_PROGRAM, "score", str(jsonl), "-o", str(out), "--jobs", "1",
               "--quiet"]
    return run_once(command, env={**os.environ, "PYTHONPATH": str(tree)})


def tests_on(tree: Path, files: list[str]) -> dict[str, object]:
    """The test files run against the tree's package (pytest's summary line): what compiling changes for
    the suite (a test that monkeypatches a function a compiled module calls directly sees no effect)."""
    probe = tree / "test_compiled_tree_is_imported.py"
    probe.write_text("import scoring.segment\n\n\ndef test_this_tree():\n"
                     f"    assert scoring.segment.__file__.startswith({str(tree)!r})\n", encoding="utf-8")
    command = [str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", "--rootdir",
               str(ROOT), "-c", str(ROOT / "pyproject.toml"), str(probe), *files]
    process = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(tree)})
    lines = process.stdout.strip().splitlines()
    return {"files": files, "summary": lines[-1] if lines else process.stderr[-500:],
            "failed": [line for line in lines if line.startswith("FAILED")]}


def snapshot_identical(pure: Path, compiled: Path, work: Path, articles: int) -> str:
    """feature_snapshot.py written under the pure tree, compared under the compiled one: its summary line."""
    path = work / "snapshot.json"
    for tree, mode in ((pure, "write"), (compiled, "compare")):
        command = [sys.executable, str(SNAPSHOT), mode, str(path), "--articles", str(articles)]
        process = subprocess.run(command, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree)
        if process.returncode != 0:
            output = process.stdout + process.stderr
            raise RuntimeError(f"feature_snapshot {mode} on {tree}:\n{output[-4000:]}")
    return process.stdout.strip().splitlines()[0]


# ------------------------------------------------------------------------------------------ the rounds


def _median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


def measure(pure: Path, compiled: Path, jsonl: Path, work: Path, rounds: int) -> dict[str, object]:
    """Alternating rounds of both workers, then both `score` runs each followed by a floor run; medians of
    the figures and of the ratios taken within a round."""
    trees = {"pure": pure, "compiled": compiled}
    extract: dict[str, list[dict]] = {"pure": [], "compiled": []}
    score: dict[str, list[dict[str, float]]] = {"pure": [], "compiled": []}
    floor: dict[str, list[dict[str, float]]] = {"pure": [], "compiled": []}
    outputs: dict[str, bytes] = {}
    for number in range(rounds + 1):  # round 0 warms the page cache and both trees' imports, uncounted
        order = ("pure", "compiled") if number % 2 == 0 else ("compiled", "pure")
        reports = {name: run_worker(trees[name], jsonl) for name in order}
        for name in order:
            figures = run_score(trees[name], jsonl, work / f"{name}.csv")
            outputs[name] = (work / f"{name}.csv").read_bytes()
            after = run_once([sys.executable, "-c", FLOOR_PROGRAM, str(jsonl)])
            if number:
                score[name].append(figures)
                floor[name].append(after)
        if number:
            for name in order:
                extract[name].append(reports[name])
        label = f"round {number}" if number else "warm-up round"
        print(f"{label}: extract CPU pure {reports['pure']['cpu']:.2f} s, compiled "
              f"{reports['compiled']['cpu']:.2f} s", file=sys.stderr, flush=True)
    articles = extract["pure"][0]["articles"]
    stages = list(extract["pure"][0]["stages"])
    pairs = list(zip(extract["pure"], extract["compiled"], strict=True))
    result: dict[str, object] = {
        name: {"articles_per_second_cpu": _median([articles / r["cpu"] for r in runs], 1),
               "ms_per_article_cpu": {stage: _median([1000 * r["stages"][stage] / articles for r in runs])
                                      for stage in stages}}
        for name, runs in extract.items()}
    result["speedup_total"] = _median([p["cpu"] / c["cpu"] for p, c in pairs])
    result["speedup_per_stage"] = {stage: _median([p["stages"][stage] / max(c["stages"][stage], 1e-9)
                                                   for p, c in pairs]) for stage in stages}
    score_pairs = list(zip(score["pure"], score["compiled"], strict=True))
    score_result = {
        **{f"{name}_articles_per_second_{key}": _median([articles / r[key] for r in score[name]], 1)
           for name in trees for key in ("wall", "cpu")},
        "floor_articles_per_second_wall": _median([articles / r["wall"]
                                                   for r in floor["pure"] + floor["compiled"]], 1),
        "speedup_wall": _median([p["wall"] / c["wall"] for p, c in score_pairs]),
        "speedup_cpu": _median([p["cpu"] / c["cpu"] for p, c in score_pairs]),
        # each `score` run against the floor run right after it
        **{f"{name}_over_floor_{key}": _median([s[key] / f[key]
                                                for s, f in zip(score[name], floor[name], strict=True)])
           for name in trees for key in ("wall", "cpu")},
        **{f"{name}_peak_mb": _median([r["peak_mb"] for r in score[name]], 1) for name in trees},
    }
    rounds_seen = {  # every counted round's seconds, for a reader to judge the spread
        "extract_cpu": {name: [round(r["cpu"], 3) for r in runs] for name, runs in extract.items()},
        **{f"score_{key}": {name: [round(r[key], 3) for r in score[name]] for name in trees}
           for key in ("wall", "cpu")},
        "floor_cpu": {name: [round(r["cpu"], 3) for r in floor[name]] for name in trees},
    }
    return {"extract": result, "score_jobs1": score_result, "rounds_seen": rounds_seen,
            "identical": {"digests_all_articles": all(p["digests"] == c["digests"] for p, c in pairs),
                          "score_output": outputs["pure"] == outputs["compiled"]},
            "extensions_loaded": extract["compiled"][0]["extensions"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds after one warm-up round")
    parser.add_argument("--snapshot-articles", type=int, default=300)
    parser.add_argument("--modules", nargs="*", default=[m for m in HOT_MODULES if m not in LEFT_PURE],
                        help="the modules to compile, as paths under the repository (default: the hot ones "
                             "but LEFT_PURE)")
    parser.add_argument("--keep", type=Path, help="build the trees in this folder and keep them")
    parser.add_argument("--tests", nargs="*", metavar="TEST_FILE",
                        help="also run these test files against each tree (pytest, from the repository)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        json.dump(worker(args.worker), sys.stdout)
        return 0
    from scoring.outputs import write_json_atomically

    work = args.keep or Path(tempfile.mkdtemp(prefix="compiled_speed_"))
    pure, compiled = work / "pure", work / "compiled"
    for tree in (pure, compiled):
        shutil.rmtree(tree, ignore_errors=True)
        copy_package(tree)
    jsonl = work / "articles.jsonl"
    n = corpus(args.articles, jsonl)
    print(f"{n} articles; compiling {len(args.modules)} modules with mypyc in {compiled}", file=sys.stderr,
          flush=True)
    modules = build(compiled, tuple(args.modules))
    modules["left_pure"] = {m: why for m, why in LEFT_PURE.items() if m not in args.modules}
    for tree in (pure, compiled):  # bytecode, as an installed wheel has (PYTHONDONTWRITEBYTECODE is set here)
        compileall.compile_dir(str(tree / "scoring"), quiet=1)
    snapshot = snapshot_identical(pure, compiled, work, args.snapshot_articles)
    print(f"feature_snapshot: {snapshot}", file=sys.stderr, flush=True)
    measured = measure(pure, compiled, jsonl, work, args.rounds)
    identical = {**measured.pop("identical"), "feature_snapshot": snapshot}
    if args.tests:
        measured["tests"] = {name: tests_on(tree, args.tests) for name, tree in (("pure", pure),
                                                                               ("compiled", compiled))}
    results = {
        "method": ("scoring/ copied twice; mypyc compiles the hot modules of one copy in place; each copy "
                   "run in its own processes (PYTHONPATH); one uncounted warm-up round, then rounds in "
                   "alternating order; extract: CPU seconds per stage inside one process per tree; score: "
                   "whole `newsscore score --jobs 1` processes, each followed by speed.py's floor loop; "
                   "medians of per-round ratios"),
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip(),
        "python": platform.python_version(),
        "mypyc": _mypy_version(),
        "articles": n,
        "rounds": args.rounds,
        "modules": modules,
        "identical": identical,
        **measured,
    }
    write_json_atomically(results, args.output)
    print(json.dumps({k: results[k] for k in ("identical", "extract", "score_jobs1")}, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    same = identical["digests_all_articles"] and identical["score_output"] and " 0 differ" in snapshot
    return 0 if same else 1


def _mypy_version() -> str:
    from mypy.version import __version__

    return __version__


if __name__ == "__main__":
    sys.exit(main())
