"""Features and spans of real articles, to check that a speed change keeps every output identical.

Writes (or compares against) a snapshot of extract(segment(article)) for the first N articles of
/work/shared/data/allsides-mbfc/articles.jsonl.gz: every feature value and every span.
Run: .venv/bin/python benchmarks/feature_snapshot.py write SNAPSHOT.json [--articles 300]
     .venv/bin/python benchmarks/feature_snapshot.py compare SNAPSHOT.json [--articles 300]
(compare exits 1 and lists the differing articles when any output differs).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from scoring.features import extract
from scoring.records import Article
from scoring.segment import segment

DATA = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")


def snapshot(n: int) -> dict[str, dict]:
    """Feature values and spans of the first n articles with text, keyed by article id."""
    out: dict[str, dict] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if not row.get("text"):
                continue
            record = extract(segment(Article(id=row["id"], source=row.get("url", ""), text=row["text"])))
            spans = [[s.start, s.end, s.kind, s.label] for s in record.spans]
            out[row["id"]] = json.loads(json.dumps({"values": record.values, "spans": spans}, default=str))
            if len(out) >= n:
                break
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("write", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    current = snapshot(args.articles)
    if args.mode == "write":
        args.path.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
        print(f"wrote {len(current)} articles to {args.path}")
        return 0
    before = json.loads(args.path.read_text(encoding="utf-8"))
    differing = [key for key in before if before[key] != current.get(key)]
    print(f"{len(before)} articles compared, {len(differing)} differ")
    for key in differing[:20]:
        b, c = before[key], current.get(key) or {}
        keys = [k for k in b["values"] if b["values"][k] != c.get("values", {}).get(k)]
        print(f"  {key}: values {keys}; spans equal: {b['spans'] == c.get('spans')}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
