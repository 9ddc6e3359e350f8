"""Tokenisation that needs no downloaded data: regex words and an untrained Punkt splitter
given the abbreviations news text uses."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# A word: letters/digits with inner apostrophes, hyphens or dots (U.S., don't, cyber-attacks, 5.7).
WORD_RE = re.compile(r"[^\W_](?:[\w’'.\-]*[^\W_])?", re.UNICODE)

_LINE_RE = re.compile(r"[^\n]+")
_SPAN = re.Match.span
_HAS_WORD_CHAR = re.compile(r"[^\W_]")

_ABBREVIATIONS = (
    "mr mrs ms dr prof sen rep gov gen lt col maj capt sgt st jr sr inc ltd co corp no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u d.c a.m p.m i.e e.g "
    "fig approx dept est govt rev hon pres adm cmdr"
).split()


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the words in `text`."""
    return list(map(_SPAN, WORD_RE.finditer(text)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of sentences; a blank line or a line break always ends a sentence,
    because scraped text puts one paragraph or one page element per line."""
    spans: list[tuple[int, int]] = []
    tokenizer = _punkt()
    for line in _LINE_RE.finditer(text):
        chunk = line.group()
        if not chunk.strip():
            continue
        base = line.start()
        first = len(spans)
        for start, end in tokenizer.span_tokenize(chunk):
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
