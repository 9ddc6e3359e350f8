"""Tokenisation that needs no downloaded data: regex words and an untrained Punkt splitter
given the abbreviations news text uses (scoring/lexicons/abbreviations.txt)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache, wraps
from itertools import accumulate
from typing import TypeVar

from scoring import punkt
from scoring.lexicon import load_lexicon

# A word: letters/digits with inner apostrophes, hyphens or dots (U.S., don't, cyber-attacks, 5.7): from a
# letter or digit, the run of word characters, ’ ' . - up to its last letter or digit. Written as the run
# backed off by a look-behind rather than `[^\W_](?:[\w’'.\-]*[^\W_])?` (the same matches, tested in
# tests/test_extraction_equivalence.py): the engine then tests one class per character, about 20% faster.
WORD_RE = re.compile(r"[^\W_][\w’'.\-]*(?<![_’'.\-])", re.UNICODE)

# WORD_RE's matches, found faster: on an ASCII text its classes are these ASCII ranges (a table look-up,
# no Unicode category), and on any other text the ASCII letters and digits are tried before the category
# (segmentation, word by word over every block: 18% and 12% faster; tests/test_extraction_equivalence.py).
# The wide pattern's first character is one class, ASCII letters and digits or any non-ASCII character
# (written as the ASCII characters it leaves out: the regex compiler walks a range such as \x80-\U0010ffff
# character by character up to U+FFFF, about 64 M instructions a compile), then checked by a look-behind
# (a non-ASCII one must be a word character): a pattern led by a class lets the regex engine skip in a
# tight loop to the next character that can start a word, where a leading alternation
# `(?:[0-9A-Za-z]|[^\W_\x00-\x7f])` made it try a whole match at every space (on a body with 3.6 MB of
# masked boilerplate, 2.7x the instructions of the class over the spaces).
_ASCII_WORD_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_'.\-]*(?<![_'.\-])")
_WIDE_WORD_RE = re.compile(r"[^\x00-/:-@\[-`{-\x7f](?<=[0-9A-Za-z\w])[0-9A-Za-z_'.\-’\w]*(?<![_’'.\-])")

# The same words by re.split: [gap, word, gap, word, ..., gap], so offsets are running sums of lengths.
_WORD_SPLIT_RE = re.compile(f"({WORD_RE.pattern})", re.UNICODE)
_ASCII_WORD_SPLIT_RE = re.compile(f"({_ASCII_WORD_RE.pattern})")
_WIDE_WORD_SPLIT_RE = re.compile(f"({_WIDE_WORD_RE.pattern})")

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


def find_words(text: str) -> list[str]:
    """WORD_RE.findall(text), by the pattern that finds its words faster in this text."""
    return (_ASCII_WORD_RE if text.isascii() else _WIDE_WORD_RE).findall(text)


def find_lowered_words(text: str, lowered: str) -> list[str]:
    """`find_words(text)`, each word lower-cased, given `lowered = text.lower()`: found in the lower case at
    once (no lower() per word: segmentation 11% faster on a 5 MB page, most of whose lines hold a curly
    quote), as lower-casing maps each character to one character of the same classes of WORD_RE (checked
    over every code point by tests/test_extraction_equivalence.py), unless the text holds İ (it lowers to
    two characters, so the lengths differ) or a capital sigma (lowered in the text's context, not the
    word's)."""
    if text.isascii():
        return _ASCII_WORD_RE.findall(lowered)
    if len(lowered) == len(text) and "Σ" not in text:
        return _WIDE_WORD_RE.findall(lowered)
    return list(map(str.lower, _WIDE_WORD_RE.findall(text)))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the words in `text`."""
    return list(map(_SPAN, WORD_RE.finditer(text)))


def blank_ends(text: str) -> tuple[int, int]:
    """Start and end of `text` without its leading and trailing whitespace: where a body masked at its
    head or tail (a long page's menus and teaser lists become spaces) holds its words. No word, case
    mapping or line of text crosses whitespace, so a scan of text[start:end] finds what one of the whole
    text does, less the blank ends; checked by the first and last character, so a text with neither end
    blank costs no copy."""
    start = len(text) - len(text.lstrip()) if text[:1].isspace() else 0
    end = len(text.rstrip()) if text[-1:].isspace() else len(text)
    return start, max(start, end)


def word_tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    """The words of `text` as three flat lists: start offsets, end offsets and the words as written
    (what `word_spans` finds, from one `re.split` and running sums instead of a match object per word).
    The blank ends (`blank_ends`) are not scanned: on a 5 MB page whose first 3.5 MB are masked
    boilerplate the split took twice as long."""
    start, end = blank_ends(text)
    visible = text[start:end] if end - start < len(text) else text
    parts = (_ASCII_WORD_SPLIT_RE if visible.isascii() else _WIDE_WORD_SPLIT_RE).split(visible)
    offsets = list(accumulate(map(len, parts), initial=start))  # offsets[k + 1]: the end of parts[k]
    return offsets[1:-1:2], offsets[2::2], parts[1::2]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of sentences; a blank line or a line break always ends a sentence,
    because scraped text puts one paragraph or one page element per line."""
    spans: list[tuple[int, int]] = []
    known = abbreviations()
    head, _ = blank_ends(text)  # the lines of a blank head (a body masked at its start) hold no sentence
    for line in _LINE_RE.finditer(text, text.rfind("\n", 0, head) + 1):
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


def lowered_words(text: str, words: list[str]) -> list[str]:
    """`lowered_span_texts` of `text` at its words, given the words as written: one `lower()` over the
    words joined by spaces. That equals lowering each word alone, and lowering the whole text and
    slicing it unless the text holds a capital sigma, whose lower case depends on its neighbours."""
    if not words:
        return []
    if "Σ" not in text:
        lowered = " ".join(words).lower().replace("’", "'").split(" ")
        if len(lowered) == len(words):
            return lowered
    return lowered_span_texts(text, word_spans(text))


def _starts_cluster(previous: str, ch: str) -> bool:
    """Whether NFC cannot compose `ch` with the character before it: `ch` is not a mark (Mn, Mc, Me)
    nor a Hangul vowel or final jamo after a Hangul jamo or syllable."""
    if unicodedata.category(ch).startswith("M"):
        return False
    after_hangul = "\u1100" <= previous <= "\u11ff" or "\uac00" <= previous <= "\ud7a3"
    return not ("\u1160" <= ch <= "\u11ff" and after_hangul)


# Whitespace-delimited runs holding a character from U+0300 on: only these can change under NFC (every
# character below U+0300 is NFC-stable and composes with nothing before it; whitespace never composes).
# The look-ahead/look-behind guard only lets a match start where the plain `\S*[^\x00-\u02ff]\S*` can
# (a run start, or a whitespace character from U+0300 on): the same matches, without retrying
# `\S*` from every character inside a run (tested in tests/test_extraction_equivalence.py).
_MAY_CHANGE_UNDER_NFC = re.compile(r"(?:(?<!\S)|(?=[^\x00-\u02ff]))\S*[^\x00-\u02ff]\S*")


_NFC_CHUNK_CHARS = 8192


def _candidate_runs(raw: str) -> Iterator[re.Match[str]]:
    """The `_MAY_CHANGE_UNDER_NFC` matches of `raw`, skipping chunks of lines that are NFC already: a
    substring of an NFC string is NFC (a composition or reordering needs both its characters in the
    substring, where they stand as in the whole), so no run there can change. A match never holds a
    line break, so chunks that end after one see the matches of the whole text."""
    start, n = 0, len(raw)
    while start < n:
        end = raw.find("\n", start + _NFC_CHUNK_CHARS)
        end = n if end < 0 else end + 1
        if not unicodedata.is_normalized("NFC", raw[start:end]):
            yield from _MAY_CHANGE_UNDER_NFC.finditer(raw, start, end)
        start = end


class NormalisedText:
    """The NFC form of a text and the map from its offsets back to the raw text's: composed and
    decomposed accents ("é" / "e" + U+0301) give the same words, while spans still index the raw text.
    Each run of a starter character and the marks after it is normalised on its own, so every run that
    changes maps to one raw range (a word's range covers whole characters with their marks); only runs in
    words holding a character from U+0300 on are looked at. If that ever differed from normalising the
    whole text, the raw text is used as is (and `is_nfc` is False)."""

    __slots__ = ("text", "is_nfc", "_starts", "_changed")

    def __init__(self, raw: str) -> None:
        self.text = raw
        self.is_nfc = True  # whether `text` is the NFC form of the raw text
        self._starts: list[int] = []  # normalised start of each changed run, ascending
        self._changed: list[tuple[int, int, int, int]] = []  # (norm start, norm end, raw start, raw end)
        if unicodedata.is_normalized("NFC", raw):
            return
        pieces, changed, done, shift = [], [], 0, 0  # shift: normalised minus raw offset after `done`
        for match in _candidate_runs(raw):
            if unicodedata.is_normalized("NFC", match.group()):
                continue
            pieces.append(raw[done:match.start()])
            position, run_start = match.start() + shift, match.start()
            for i in range(match.start() + 1, match.end() + 1):
                if i == match.end() or _starts_cluster(raw[i - 1], raw[i]):
                    piece = unicodedata.normalize("NFC", raw[run_start:i])
                    if piece != raw[run_start:i]:
                        changed.append((position, position + len(piece), run_start, i))
                    pieces.append(piece)
                    position += len(piece)
                    run_start = i
            shift = position - match.end()
            done = match.end()
        pieces.append(raw[done:])
        normalised = "".join(pieces)
        if normalised != unicodedata.normalize("NFC", raw):
            self.is_nfc = False
            return
        self.text = normalised
        self._changed = changed
        self._starts = [run[0] for run in changed]

    @property
    def changed(self) -> bool:
        """Whether any offset differs between the normalised and the raw text."""
        return bool(self._changed)

    def _raw_start(self, offset: int) -> int:
        k = bisect_right(self._starts, offset) - 1
        if k < 0:
            return offset
        norm_start, norm_end, raw_start, raw_end = self._changed[k]
        return raw_start if offset < norm_end else offset - norm_end + raw_end

    def _raw_end(self, offset: int) -> int:
        k = bisect_left(self._starts, offset) - 1
        if k < 0:
            return offset
        norm_start, norm_end, raw_start, raw_end = self._changed[k]
        return raw_end if offset <= norm_end else offset - norm_end + raw_end

    def raw_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`spans` of the normalised text as ranges of the raw text."""
        if not self._changed:
            return spans
        return [(self._raw_start(s), self._raw_end(e)) for s, e in spans]


T = TypeVar("T")
# The non-ASCII letters that a case-insensitive regex matches to ASCII ones ("ſ" for "s", the Kelvin
# sign for "k", dotted and dotless i): a text with one is searched by the regex itself, not its lower case.
FOLDS_TO_ASCII_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def identity_cached(function: Callable[[str], T]) -> Callable[[str], T]:
    """`function` of a text with its result kept for the last text asked, found by identity: an lru_cache
    keyed by the text compares an equal copy of it (a duplicate article) whole on every call."""
    slot: list[tuple[str, T]] = []

    @wraps(function)
    def cached(text: str) -> T:
        last = slot[0] if slot else None  # one (text, result) pair, swapped whole: safe across threads
        if last is not None and last[0] is text:  # the text is held, so it is this very text
            return last[1]
        result = function(text)
        slot[:] = [(text, result)]
        return result

    return cached


@lru_cache(maxsize=1)
def lowered_text(text: str) -> str:
    """The text's lower case, cached: several families ask for the same one. Its blank ends
    (`blank_ends`) are copied as they are (whitespace has no case, and stops the final-sigma context as
    an end of text does): a non-ASCII lower() builds every character anew; joined in one copy (`a + b + c`
    built a whole intermediate copy: on a 5 MB body held in 4 bytes a character, 20 MB more at once).

    Like every cache keyed by an article's text or Document (quotes, quote marks, attribution, speakers),
    it keeps ONE: the extractors of one article all ask for the same text, one after another, so a larger
    cache never served a hit (cache_info over 60 articles: the same hits and misses at sizes 1 and 4),
    while it kept the last four articles' texts alive, with each Document's views: 85 MB a 5 MB article,
    so a batch of four such articles peaked 254 MB higher than one."""
    start, end = blank_ends(text)
    if end - start == len(text):
        return text.lower()
    return "".join((text[:start], text[start:end].lower(), text[end:]))


@lru_cache(maxsize=1)
def regex_lowered(text: str) -> str | None:
    """The text's lower case when a case-insensitive regex matches an ASCII letter exactly where
    the lower case has that letter, at the same offset; None when offsets move or the text holds one of the
    letters a regex folds to ASCII ("ſ", the Kelvin sign, dotted and dotless i). Cached: one scan a text."""
    lowered = lowered_text(text)
    return None if len(lowered) != len(text) or FOLDS_TO_ASCII_RE.search(text) else lowered


def word_led_matches(pattern: re.Pattern[str], text: str, word: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern whose every match begins with `word` (ASCII lower case) case
    aside: tried only where the lower case holds the word (str.find) instead of at every character."""
    lowered = regex_lowered(text)
    if lowered is None:
        yield from pattern.finditer(text)
        return
    at = lowered.find(word)
    while at != -1:
        m = pattern.match(text, at)
        at = lowered.find(word, max(m.end(), at + 1) if m else at + 1)
        if m:
            yield m
