"""How close to benchmarks/speed.py's floor can a pure-Python per-article pass get? Issue 12 asks for
`newsscore score --jobs 1` at <= 10x that floor; this measures what the least a pass over one tokenisation
costs, as ratios to the floor measured in the same run, so the lead can tell whether 10x is reachable.

The floor (speed.py's FLOOR_PROGRAM, in-process): parse each JSON line, `re.findall(r"\\w+", text.lower())`.
Passes over the same lines, each also parsing the JSON line:
- `words_only`: the words as strings (scoring.text.WORD_RE.findall), lower-cased, one dict look-up per word
  (the CMU syllable table, 126,000 entries): what a pass needs if no family asked for offsets;
- `word_spans_lookup`: the Document's tokenisation minus sentences (scoring.text.word_tokens: starts, ends,
  words; lowered_words; one dict look-up per word);
- `plus_punkt`: that plus the vendored Punkt sentence spans (scoring.text.sentence_spans);
- `document_views`: a real one-block `Document`: body_words, body_lowered, body_sentences,
  body_word_starts, page_word_count, plus the look-up per word (NFC check and span tuples included);
- `extract_segment`: today's whole in-process work, `extract(segment(article))` (no CLI, model or outputs).
Rounds alternate floor and passes (A B C ... A B C ...), CPU time per pass, and the ratio is taken per
round against that round's floor; the median over rounds is reported (the machine is shared).

Run: .venv/bin/python benchmarks/pure_python_floor.py [--rounds 5] [--articles 1970]
(writes benchmarks/results/pure_python_floor.json)
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from scoring.features import extract
from scoring.features.readability import cmu_syllable_counts
from scoring.outputs import write_json_atomically
from scoring.records import Article, Block, Document
from scoring.segment import segment
from scoring.text import WORD_RE, lowered_words, sentence_spans, word_tokens

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")
RESULTS = ROOT / "benchmarks" / "results" / "pure_python_floor.json"
_FLOOR_WORD = re.compile(r"\w+")


def corpus_lines(n: int) -> list[str]:
    """The first n articles with text of the allsides-mbfc set as JSON lines ({"id","text"}), as speed.py's
    corpus holds them (real news, ~600 words)."""
    lines = []
    with gzip.open(DATA, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            if row.get("text", "").strip():
                lines.append(json.dumps({"id": str(len(lines)), "text": row["text"]}, ensure_ascii=False))
                if len(lines) >= n:
                    break
    return lines


def floor(lines: list[str]) -> int:
    """speed.py's floor loop."""
    n = 0
    for line in lines:
        n += len(_FLOOR_WORD.findall(json.loads(line)["text"].lower()))
    return n


def words_only(lines: list[str]) -> int:
    table, n = cmu_syllable_counts(), 0
    for line in lines:
        words = WORD_RE.findall(json.loads(line)["text"].lower())
        n += len(list(map(table.get, words)))
    return n


def _spans_and_look_ups(text: str, table: dict[str, int]) -> int:
    """Word starts, ends and texts, their lower-cased copy, one table look-up per word."""
    _starts, _ends, words = word_tokens(text)
    return len(list(map(table.get, lowered_words(text, words))))


def word_spans_lookup(lines: list[str]) -> int:
    table = cmu_syllable_counts()
    return sum(_spans_and_look_ups(json.loads(line)["text"], table) for line in lines)


def plus_punkt(lines: list[str]) -> int:
    table, n = cmu_syllable_counts(), 0
    for text in (json.loads(line)["text"] for line in lines):
        n += _spans_and_look_ups(text, table) + len(sentence_spans(text))
    return n


def document_views(lines: list[str]) -> int:
    table, n = cmu_syllable_counts(), 0
    for line in lines:
        text = json.loads(line)["text"]
        doc = Document(text, (Block(0, len(text)),))
        _ = doc.body_words, doc.body_sentences, doc.body_word_starts, doc.page_word_count
        n += len(list(map(table.get, doc.body_lowered)))
    return n


def extract_segment(lines: list[str]) -> int:
    n = 0
    for line in lines:
        row = json.loads(line)
        n += len(extract(segment(Article(id=row["id"], source="bench", text=row["text"]))).values)
    return n


PASSES: dict[str, Callable[[list[str]], int]] = {
    "words_only": words_only,
    "word_spans_lookup": word_spans_lookup,
    "plus_punkt": plus_punkt,
    "document_views": document_views,
    "extract_segment": extract_segment,
}


def cpu_seconds(run: Callable[[list[str]], int], lines: list[str]) -> float:
    start = time.process_time()
    run(lines)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=1970)
    args = parser.parse_args()
    lines = corpus_lines(args.articles)
    for run in (floor, *PASSES.values()):  # warm-up: tables, lexicons, regex caches
        run(lines[:20])
    floors: list[float] = []
    ratios: dict[str, list[float]] = {name: [] for name in PASSES}
    for _ in range(args.rounds):
        base = cpu_seconds(floor, lines)
        floors.append(base)
        for name, run in PASSES.items():
            ratios[name].append(cpu_seconds(run, lines) / base)
    floor_ms = 1000 * statistics.median(floors) / len(lines)
    result = {
        "what": "CPU time of pure-Python per-article passes / speed.py's floor loop, same process, same "
                "articles, rounds alternating floor and passes; median of per-round ratios",
        "python": platform.python_version(),
        "input": f"first {len(lines)} articles with text of {DATA}",
        "rounds": args.rounds,
        "floor_ms_per_article": round(floor_ms, 4),
        "over_floor_median": {name: round(statistics.median(r), 2) for name, r in ratios.items()},
        "over_floor_all_rounds": {name: [round(x, 2) for x in r] for name, r in ratios.items()},
    }
    print(f"floor {floor_ms:.3f} ms/article (CPU) over {len(lines)} articles, {args.rounds} rounds")
    for name, ratio in result["over_floor_median"].items():
        print(f"  {name:20s} {ratio:6.2f}x the floor")
    write_json_atomically(result, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
