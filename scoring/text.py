"""Tokenisation that needs no downloaded data: regex words and an untrained Punkt splitter
given the abbreviations news text uses (scoring/lexicons/abbreviations.txt)."""

from __future__ import annotations

import re
import unicodedata
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


def _starts_cluster(previous: str, ch: str) -> bool:
    """Whether NFC cannot compose `ch` with the character before it: `ch` is not a mark (Mn, Mc, Me)
    nor a Hangul vowel or final jamo after a Hangul jamo or syllable."""
    if unicodedata.category(ch).startswith("M"):
        return False
    after_hangul = "\u1100" <= previous <= "\u11ff" or "\uac00" <= previous <= "\ud7a3"
    return not ("\u1160" <= ch <= "\u11ff" and after_hangul)


class NormalisedText:
    """The NFC form of a text and the map from its offsets back to the raw text's: composed and
    decomposed accents ("é" / "e" + U+0301) give the same words, while spans still index the raw text.
    Each run of a starter character and the marks after it is normalised on its own, so every run maps
    to one raw range (a word's range covers whole characters with their marks); if that ever differed
    from normalising the whole text, the raw text is used as is."""

    __slots__ = ("text", "_raw_starts", "_raw_ends")

    def __init__(self, raw: str) -> None:
        self.text = raw
        self._raw_starts: list[int] | None = None  # None: identity (the raw text is already NFC)
        self._raw_ends: list[int] | None = None
        if unicodedata.is_normalized("NFC", raw):
            return
        pieces, starts, ends, run_start = [], [], [], 0
        for i in range(1, len(raw) + 1):
            if i == len(raw) or _starts_cluster(raw[i - 1], raw[i]):
                piece = unicodedata.normalize("NFC", raw[run_start:i])
                pieces.append(piece)
                starts.extend([run_start] * len(piece))
                ends.extend([i] * len(piece))
                run_start = i
        normalised = "".join(pieces)
        if normalised != unicodedata.normalize("NFC", raw):
            return
        self.text = normalised
        self._raw_starts = starts + [len(raw)]
        self._raw_ends = [0] + ends

    def raw_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`spans` of the normalised text as ranges of the raw text."""
        if self._raw_starts is None or self._raw_ends is None:
            return spans
        starts, ends = self._raw_starts, self._raw_ends
        return [(starts[s], ends[e]) for s, e in spans]

