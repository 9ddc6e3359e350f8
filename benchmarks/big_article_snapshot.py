"""Every output of the ~5 MB article of benchmarks/speed.py, to check that a speed change keeps it identical.

feature_snapshot.py covers 300 ordinary articles; this covers the one long input (write_big_article: real
articles end to end, ~18,000 lines), where work per block or per sentence and whole-text passes dominate.
The snapshot holds what `scoring.pipeline.analyse` gives: each block's range and label, the page's word
count, the applicability warnings, every feature value and every span.

Run: .venv/bin/python benchmarks/big_article_snapshot.py write SNAPSHOT.json [--bytes 5000000]
     .venv/bin/python benchmarks/big_article_snapshot.py compare SNAPSHOT.json [--bytes 5000000]
(compare exits 1 and names what differs).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import write_big_article  # noqa: E402 - the same article speed.py times

from scoring.pipeline import analyse  # noqa: E402
from scoring.records import Article  # noqa: E402


def snapshot(target_bytes: int) -> dict[str, object]:
    """The analysis of the big article as plain JSON values."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        write_big_article(path, target_bytes)
        text = path.read_text(encoding="utf-8")
    analysis = analyse(Article(id="big", source="big.txt", text=text))
    if analysis.document is None or analysis.features is None:
        raise SystemExit(f"the big article failed: {analysis.article.error}")
    document, record = analysis.document, analysis.features
    return json.loads(json.dumps({
        "bytes": len(text.encode("utf-8")),
        "blocks": [[b.start, b.end, b.category] for b in document.blocks],
        "page_word_count": document.page_word_count,
        "warnings": [str(w) for w in analysis.warnings],
        "values": record.values,
        "spans": [[s.start, s.end, s.kind, s.label] for s in record.spans],
    }, default=str))


def differences(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """What differs between two snapshots, one line per part (and the first differing feature values)."""
    found = [key for key in before if before[key] != after.get(key)]
    lines = [f"{key} differs" for key in found if key != "values"]
    if "values" in found:
        old, new = before["values"], after["values"]
        assert isinstance(old, dict) and isinstance(new, dict)
        lines += [f"values[{name}]: {old.get(name)!r} -> {new.get(name)!r}"
                  for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--bytes", type=int, default=5_000_000, help="size of the article (speed.py: 5 MB)")
    args = parser.parse_args()
    current = snapshot(args.bytes)
    if args.action == "write":
        args.snapshot.write_text(json.dumps(current), encoding="utf-8")
        print(f"wrote the {current['bytes']:,}-byte article's {len(current['blocks']):,} blocks, "
              f"{len(current['values'])} values and {len(current['spans']):,} spans to {args.snapshot}")
        return 0
    found = differences(json.loads(args.snapshot.read_text(encoding="utf-8")), current)
    for line in found:
        print(line)
    print(f"{'identical' if not found else f'{len(found)} differences'}: blocks, word count, warnings, "
          f"{len(current['values'])} values, {len(current['spans']):,} spans")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
