"""Instructions per article of extract(segment(article)), this tree against a git revision, counted by
valgrind's cachegrind: a figure that does not move with the load of a shared machine, where wall and CPU
times of the same code drift by 10-30% between runs.

Each tree (the working tree, and REV checked out into a temporary git worktree) is run twice under
`valgrind --tool=cachegrind --cache-sim=no`: once loading everything and scoring no article, once scoring
the first N articles with text of /work/shared/data/allsides-mbfc/articles.jsonl.gz (or --input, JSONL with
a `text` field); the difference over N is the instructions per article. Same Python (this one), same
articles, same order. Slow: about 1 s of wall time per article under valgrind, per tree.

Run: .venv/bin/python benchmarks/instruction_count.py --base REV [--articles 100] [--input FILE.jsonl]
     [--pipeline] [--output FILE.json]  (--pipeline: count scoring.pipeline.analyse instead)
(writes benchmarks/results/instruction_count.json; needs valgrind on PATH)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")
RESULTS = ROOT / "benchmarks" / "results" / "instruction_count.json"

# What each counted process runs: load the package, warm its caches, then score the articles in ARTICLES.
_WORKLOAD = """
import json, sys
from scoring.features import extract, readability
from scoring.records import Article
from scoring.segment import segment
readability.cmu_syllable_counts()
extract(segment(Article(id="warm", source="warm", text="Warm up. “Yes,” he said.")))
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for i, text in enumerate(texts):
    extract(segment(Article(id=str(i), source=f"article:{i}", text=text)))
"""
# --pipeline: the whole of `scoring.pipeline.analyse` (segmentation, the applicability check, features)
_PIPELINE_WORKLOAD = """
import json, sys
from scoring.features import readability
from scoring.pipeline import analyse
from scoring.records import Article
readability.cmu_syllable_counts()
analyse(Article(id="warm", source="warm", text="Warm up. “Yes,” he said."))
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for i, text in enumerate(texts):
    analyse(Article(id=str(i), source=f"article:{i}", text=text))
"""
_IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def article_texts(path: Path, n: int) -> list[str]:
    """The first n non-empty texts of a JSONL file (gzipped or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text")
            if text:
                texts.append(text)
                if len(texts) >= n:
                    break
    return texts


def cachegrind_instructions(tree: Path, code: str, *args: str) -> int:
    """Instructions (cachegrind I refs) of `python -c code args` with `tree` first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")  # set and dict orders fixed too
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", code, *args],
        env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True)
    found = _IREFS.search(run.stderr)
    if not found:
        raise RuntimeError(f"no instruction count in valgrind's output: {run.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def per_article(tree: Path, texts: list[str], workdir: Path, workload: str = _WORKLOAD) -> dict[str, float]:
    """Instructions per article (startup subtracted) of one tree."""
    none, some = workdir / "none.json", workdir / "some.json"
    none.write_text("[]", encoding="utf-8")
    some.write_text(json.dumps(texts), encoding="utf-8")
    startup = cachegrind_instructions(tree, workload, str(none))
    total = cachegrind_instructions(tree, workload, str(some))
    return {"startup_instructions": startup, "instructions_per_article": (total - startup) / len(texts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare the working tree with")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--input", type=Path, default=DATA, help="JSONL(.gz) with a text field")
    parser.add_argument("--pipeline", action="store_true",
                        help="count scoring.pipeline.analyse (with the applicability check) instead")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not on PATH", file=sys.stderr)
        return 2
    texts = article_texts(args.input, args.articles)
    base_commit = subprocess.run(["git", "rev-parse", args.base], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        base_tree = workdir / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base_tree), base_commit], cwd=ROOT,
                       check=True)
        try:
            workload = _PIPELINE_WORKLOAD if args.pipeline else _WORKLOAD
            base = per_article(base_tree, texts, workdir, workload)
            now = per_article(ROOT, texts, workdir, workload)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, check=False)
    changed = subprocess.run(["git", "status", "--porcelain", "scoring"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
    result = {
        "what": ("instructions per article of "
                 f"{'analyse(article)' if args.pipeline else 'extract(segment(article))'}"
                 ", cachegrind, startup subtracted"),
        "input": str(args.input),
        "articles": len(texts),
        "base": {"revision": base_commit, **base},
        "now": {"revision": head, "scoring_uncommitted_changes": bool(changed), **now},
        "now_over_base": round(now["instructions_per_article"] / base["instructions_per_article"], 4),
    }
    millions = {name: r["instructions_per_article"] / 1e6 for name, r in (("base", base), ("now", now))}
    print(f"{len(texts)} articles: base {millions['base']:.2f} M instructions per article, "
          f"now {millions['now']:.2f} M; now / base = {result['now_over_base']}")
    from scoring.outputs import write_json_atomically

    write_json_atomically(result, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
