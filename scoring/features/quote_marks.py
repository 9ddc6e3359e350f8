"""Quote-mark pairing: which quote marks open and close a quotation, in which family, over how many
paragraphs; scraped pull quotes between "open quote mark" / "close quote mark" alt-text lines.

Marks handled: straight "…", curly “…”, low-high „…“, guillemets «…» and »…«, typewriter doubles ''…'' /
``…'', and single ‘…’ / '…' (apostrophes as in Russia’s, don't, '90s are skipped). Marks pair within one
family; a quote of another family inside an open one is nested and ignored; an unmatched opening mark
ends its quote at the end of its paragraph, a stray closing mark is ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from scoring.settings import SETTINGS
from scoring.text import WORD_RE, blank_ends

QUOTES = SETTINGS.quotes


# '' and `` (typewriter doubles) act as one straight ". Every alternative starts with a literal (no [...]
# class), so the regex engine skips to the next mark instead of trying each character: the same matches,
# 2.4x faster over a 5 MB text.
_MARKS_RE = re.compile("''|``|" + "|".join("\"“”„«»‘’'‹›"))
_CLOSE_FOLLOW = set(",.;:!?)]}—–-…/\"“”„«»‘’'‹›")
_OPEN_PRECEDE = set("([{—–-/:")
_FAMILY = {
    "''": "D",
    "``": "D",
    '"': "D",
    "“": "D",
    "”": "D",
    "„": "D",
    "«": "G",
    "»": "G",
    "‹": "G",
    "›": "G",
    "‘": "S",
    "’": "S",
    "'": "S",
}

_PULL_OPEN_RE = re.compile(r"(?im)^[ \t]*open[ \t]+quote[ \t]+mark[ \t]*$")
_PULL_CLOSE_RE = re.compile(r"(?im)^[ \t]*close[ \t]+quote[ \t]+mark[ \t]*$")
_NONBLANK_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")
# What both markers hold, case aside: a page without it has no marker, and the two line-anchored scans of
# the whole page are skipped. Two branches led by a literal q / Q (the only letters a case-insensitive q
# matches) so that the regex engine skips to each q, instead of lower-casing the page or trying every
# character: 14 ms over a 5 MB page, against 31-53 ms for its lower case alone.
_MARKER_WORDS_RE = re.compile(r"q(?i:uote[ \t]+mark)|Q(?i:uote[ \t]+mark)")


class _Mark(NamedTuple):
    """A quote mark and what it may do (a named tuple: built for every mark, ~3x cheaper than a
    frozen dataclass)."""

    pos: int
    char: str
    family: str
    can_open: bool
    can_close: bool


def _classify_mark(text: str, found: re.Match[str]) -> _Mark | None:
    """What the quote mark `found` in `text` may do, from its neighbours; None for an apostrophe."""
    i, ch = found.start(), found[0]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + len(ch)] if i + len(ch) < len(text) else "\n"
    left_open = prev.isspace() or prev in _OPEN_PRECEDE or prev in "“„«‘\"'"
    right_word = not nxt.isspace()
    right_close = nxt.isspace() or nxt in _CLOSE_FOLLOW
    family = _FAMILY[ch]
    if family == "S":
        if prev.isalnum() and (nxt.isalnum()):
            return None  # don't, Russia’s
        if nxt.isdigit():
            return None  # '90s
        if ch == "‘":
            return _Mark(i, ch, family, left_open and right_word, not prev.isspace() and right_close)
        can_open = left_open and nxt.isalpha()
        can_close = not prev.isspace() and right_close
        return _Mark(i, ch, family, can_open, can_close)
    if ch == "``":
        return _Mark(i, ch, family, True, False)
    if ch in "“„«‹":
        can_close = ch != "„" and not prev.isspace() and right_close
        return _Mark(i, ch, family, not can_close or left_open, can_close)
    if ch in "”»›":
        can_open = left_open and right_word
        return _Mark(i, ch, family, can_open, not can_open or not prev.isspace())
    # straight double quote
    can_open = left_open and right_word
    can_close = not prev.isspace() and right_close
    if not can_open and not can_close:
        can_close = True  # isolated mark: may close an open quote, never opens one
    return _Mark(i, ch, family, can_open, can_close)


@lru_cache(maxsize=1)
def paragraph_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each non-blank line (cached for the last text: find_quotes and the quote-mark
    pairing both ask for the body's; see text.lowered_text). Lines of the blank head (`blank_ends`: a
    body masked at its start) are not split off: they hold no paragraph."""
    head, _ = blank_ends(text)
    start = text.rfind("\n", 0, head) + 1  # where the line holding the first visible character starts
    spans = []
    for line in (text[start:] if start else text).split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return tuple(spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quote_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, content_start, content_end) of every quoted span, in text order.

    Pairs marks of one family (double, guillemet, single) left to right; other families inside an
    open quote are nested and ignored. Never raises."""
    return list(_quote_spans(text))


@lru_cache(maxsize=1)
def _quote_spans(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """find_quote_spans, cached for the last text (the quote and attribution extractors both ask)."""
    found: list[tuple[int, int, int, int]] = []
    paragraphs = paragraph_ranges(text)
    open_mark: _Mark | None = None
    open_paras = 0
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        # scanned paragraph by paragraph: one scan of the whole text also reads the blank lines, which on
        # a page with much masked boilerplate made it 3-5x slower
        marks = [m for m in map(_classify_mark, repeat(text), _MARKS_RE.finditer(text, p_start, p_end))
                 if m is not None]
        if open_mark is not None:
            first = marks[0] if marks else None
            reopens = (
                first is not None
                and first.family == open_mark.family
                and first.can_open
                and not text[p_start : first.pos].strip()
                and open_paras < QUOTES.max_paragraphs
                and p_start - open_mark.pos < QUOTES.max_quote_chars
            )
            if reopens:
                marks = marks[1:]
                open_paras += 1
            else:
                prev_end = paragraphs[p_index - 1][1]
                found.append((open_mark.pos, prev_end, open_mark.pos + len(open_mark.char), prev_end))
                open_mark = None
        for mark in marks:
            if open_mark is None:
                if mark.can_open:
                    open_mark, open_paras = mark, 1
                continue
            if mark.family != open_mark.family:
                continue  # nested quote of another family
            if mark.can_close:
                found.append(
                    (open_mark.pos, mark.pos + len(mark.char), open_mark.pos + len(open_mark.char), mark.pos)
                )
                open_mark = None
            elif mark.can_open:
                open_mark, open_paras = mark, 1  # the earlier opener was stray
        too_long = open_mark is not None and p_end - open_mark.pos > QUOTES.max_quote_chars
        if open_mark is not None and (open_mark.family == "S" or too_long):
            if open_mark.family != "S":
                found.append((open_mark.pos, p_end, open_mark.pos + len(open_mark.char), p_end))
            open_mark = None
    if open_mark is not None and paragraphs:
        end = paragraphs[-1][1]
        found.append((open_mark.pos, end, open_mark.pos + len(open_mark.char), end))
    result = []
    for start, end, c_start, c_end in found:
        c_start, c_end = _trim(text, c_start, c_end)
        if c_end > c_start and WORD_RE.search(text, c_start, c_end):
            result.append((start, max(end, c_end), c_start, c_end))
    return tuple(result)


def find_pull_quotes(raw: str, body: str) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """Scraped pull quotes between "open quote mark" / "close quote mark" lines: (start, end of the
    quoted text, speaker text, speaker span). Markers are looked for in the raw text (a segmenter may
    mask them); the quoted lines must be body."""
    result: list[tuple[int, int, str, tuple[int, int] | None]] = []
    if not _MARKER_WORDS_RE.search(raw):
        return result
    closes = [m.start() for m in _PULL_CLOSE_RE.finditer(raw)]
    for opener in _PULL_OPEN_RE.finditer(raw):
        close = next((c for c in closes if c > opener.end()), None)
        if close is None or close - opener.end() > QUOTES.max_quote_chars:
            continue
        lines = [m.span() for m in _NONBLANK_LINE_RE.finditer(body[opener.end() : close])]
        lines = [(s + opener.end(), e + opener.end()) for s, e in lines]
        lines = [_trim(body, s, e) for s, e in lines]
        if not lines:
            continue
        speaker, speaker_span = "", None
        last_s, last_e = lines[-1]
        last = body[last_s:last_e]
        if (
            len(lines) >= 2
            and len(WORD_RE.findall(last)) <= 12
            and not last.rstrip().endswith((".", "!", "?"))
        ):
            speaker, speaker_span = last, (last_s, last_e)
            lines = lines[:-1]
        result.append((lines[0][0], lines[-1][1], speaker, speaker_span))
    return result
