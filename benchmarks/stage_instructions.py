"""Instructions per article of ONE extraction stage, counted by valgrind's cachegrind, for one or more
source trees: the whole-pipeline count of benchmarks/instruction_count.py moves about 0.5% between runs
of the same code (id-hashed caches, garbage-collector timing), more than most single-stage changes.

Each tree is run twice under `valgrind --tool=cachegrind --cache-sim=no` with PYTHONHASHSEED=0: once
preparing the inputs only (segmenting the first N articles with text of the allsides-mbfc set and taking
their body texts or Documents), once also running the stage on every input; the difference over N is the
stage's instructions per article. Stages: `sentence_spans` and `word_tokens` (scoring.text, on the body
text), `quote_spans` (quote-mark pairing, uncached), `quotes` and `readability` (the family extractors, on
Documents whose shared views are built beforehand; the Documents stay alive, so the collector's passes
over them are counted too).

Run: .venv/bin/python benchmarks/stage_instructions.py STAGE [--articles 200] [--tree PATH ...]
(trees default to this one; use `git worktree add` for a revision; writes
benchmarks/results/stage_instructions.json)
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from instruction_count import cachegrind_instructions  # noqa: E402 - one valgrind runner for both scripts

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")
RESULTS = ROOT / "benchmarks" / "results" / "stage_instructions.json"
STAGES = ("sentence_spans", "word_tokens", "quote_spans", "quotes", "readability")

_WORKLOAD = """
import gzip, json, sys
from scoring.features import quote_marks, quotes, readability
from scoring.records import Article
from scoring.segment import segment
from scoring.text import sentence_spans, word_tokens
stage, n, run = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "run"
texts = []
with gzip.open(sys.argv[4], "rt", encoding="utf-8") as rows:
    for row in map(json.loads, rows):
        if row.get("text"):
            texts.append(row["text"])
            if len(texts) >= n:
                break
docs = [segment(Article(id=str(i), source="bench", text=t)) for i, t in enumerate(texts)]
bodies = [doc.body_text for doc in docs]
readability.cmu_syllable_counts()
if stage in ("quotes", "readability"):
    for doc in docs:
        _ = doc.body_words, doc.body_lowered, doc.body_sentences, doc.body_word_starts
    readability.extract(docs[0])
    bodies = []
else:
    docs = []
if run:
    if stage == "sentence_spans":
        for body in bodies: sentence_spans(body)
    elif stage == "word_tokens":
        for body in bodies: word_tokens(body)
    elif stage == "quote_spans":
        for body in bodies: quote_marks._quote_spans.__wrapped__(body)
    elif stage == "quotes":
        for doc in docs: quotes.extract(doc)
    elif stage == "readability":
        for doc in docs: readability.extract(doc)
"""


def instructions(tree: Path, stage: str, articles: int, run: bool) -> int:
    """Cachegrind's instruction count of the workload with `tree` first on the import path."""
    mode = "run" if run else "prepare"
    return cachegrind_instructions(tree, _WORKLOAD, stage, str(articles), mode, str(DATA))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--tree", type=Path, action="append", help="source tree (repeatable); default: this")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not on PATH", file=sys.stderr)
        return 2
    rows = []
    for tree in args.tree or [ROOT]:
        prepare = instructions(tree, args.stage, args.articles, run=False)
        total = instructions(tree, args.stage, args.articles, run=True)
        per_article = (total - prepare) / args.articles
        rows.append({"tree": str(tree), "instructions_per_article": round(per_article)})
        print(f"{tree}: {args.stage} {per_article / 1e6:.3f} M instructions per article", flush=True)
    result = {"what": f"cachegrind instructions per article of the {args.stage} stage, preparation "
                      "subtracted",
              "input": f"first {args.articles} articles with text of {DATA}", "stage": args.stage,
              "trees": rows}
    if len(rows) > 1:
        first, last = rows[0]["instructions_per_article"], rows[-1]["instructions_per_article"]
        result["last_over_first"] = round(last / first, 4)
    from scoring.outputs import write_json_atomically

    write_json_atomically(result, RESULTS)
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
