"""Tokenisation that needs no downloaded data: regex words and an untrained Punkt splitter
given the abbreviations news text uses (scoring/lexicons/abbreviations.txt)."""

from __future__ import annotations

import re
from functools import lru_cache

from scoring import punkt
from scoring.lexicon import load_lexicon

# A word: letters/digits with inner apostrophes, hyphens or dots (U.S., don't, cyber-attacks, 5.7).
WORD_RE = re.compile(r"[^\W_](?:[\w’'.\-]*[^\W_])?", re.UNICODE)

_LINE_RE = re.compile(r"[^\n]+")
_SPAN = re.Match.span
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Every abbreviation that does not end a sentence (lower-case, no final period)."""
    return frozenset(entry.split()[0] for entry in load_lexicon("abbreviations"))


@lru_cache(maxsize=1)
def name_abbreviations() -> frozenset[str]:
    """The abbreviations marked `name`: titles, company suffixes and places that stand before a name."""
    entries = (entry.split() for entry in load_lexicon("abbreviations"))
    return frozenset(fields[0] for fields in entries if fields[1:] == ["name"])


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the words in `text`."""
    return list(map(_SPAN, WORD_RE.finditer(text)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of sentences; a blank line or a line break always ends a sentence,
    because scraped text puts one paragraph or one page element per line."""
    spans: list[tuple[int, int]] = []
    known = abbreviations()
    for line in _LINE_RE.finditer(text):
        chunk = line.group()
        if not chunk.strip():
            continue
        base = line.start()
        first = len(spans)
        for start, end in punkt.span_tokenize(chunk, known):
            if len(spans) > first and not _HAS_WORD_CHAR.search(chunk, start, end):
                # Punkt at the end of a chunk splits off trailing marks ("(2013)." -> ")."; "!!!" -> "!")
                spans[-1] = (spans[-1][0], base + end)
            else:
                spans.append((base + start, base + end))
    return spans


def span_texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The substrings of `text` at `spans`."""
    return [text[start:end] for start, end in spans]


def lowered_span_texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The substrings at `spans`, lower-cased with ’ read as ' (one `lower()` over the whole text when
    that keeps every offset, as it does unless the text holds a letter like İ that lowers to two)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return [text[start:end].lower().replace("’", "'") for start, end in spans]
    lowered = lowered.replace("’", "'")
    return [lowered[start:end] for start, end in spans]

