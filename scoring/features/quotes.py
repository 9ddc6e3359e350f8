"""Direct quotes: find quotations in the body, tell scare quotes from quotations, find each speaker.
Quote-mark pairing lives in scoring/features/quote_marks.py, the speaker grammar (shared with
attribution) in scoring/features/speakers.py; this module puts them together into quotations.

Quote marks handled: straight "…", curly “…”, low-high „…“, guillemets «…» and »…«, typewriter
doubles ''…'' / ``…'', and single ‘…’ / '…' (apostrophes as in Russia’s, don't, '90s are skipped).
Marks pair within one family (double, guillemet, single); a quote of another family inside an open one
is nested and ignored. A quote may run over up to `max_paragraphs` (settings) paragraphs when each new
paragraph reopens it (English convention); an unmatched opening mark ends its quote at the end of its
paragraph, a stray closing mark is ignored, so odd marks never swallow the rest of the article. Scraped
pull quotes between the alt-text lines "open quote mark" / "close quote mark" count as quotes; a short
last line before "close quote mark" ("NATO release") names their speaker.
A scare quote is a quoted term (one or two words, or a title-case name of up to six words such as a
show title) with no speaker right after it: Russia's “invisible war”, “vital”. Counted apart.
Speakers: a speech verb (lexicon `speech_verbs`) next to a name, pronoun or "the …" phrase right after
the quote (', the statement said', ', says EU High Representative … Josep Borrell', '— X') or before it
in the same sentence ('X said: “', 'NATO leaders have said that …“', 'according to X, “'); a quote with
none takes the speaker of an adjoining quote ('“A,” and “B,” he recalled') or of the previous quote in
the same or the previous paragraph.

Features (stable names):
- quote_count: quotations found (scare quotes excluded, pull quotes included);
- quotes_per_1k_words: quote_count per 1,000 body words;
- quoted_word_share: words inside quotations / body words;
- attributed_quote_share: quotations with a speaker / quotations (0 when none);
- scare_quotes_per_1k_words: scare quotes per 1,000 body words;
- pull_quotes_per_1k_words: scraped pull quotes per 1,000 body words.
Spans: "quote" (label = speaker text or ""), "scare_quote", "speaker" (label = the speaker text; only
where the speaker is named next to the quote, not carried over), "speech_verb".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from scoring.features.base import Document, FeatureRecord, Span, per_1k_words, share
from scoring.features.quote_marks import find_pull_quotes, find_quote_spans, paragraph_ranges
from scoring.features.speakers import speaker_after, speaker_before
from scoring.settings import SETTINGS
from scoring.text import WORD_RE

QUOTES = SETTINGS.quotes

FEATURE_NAMES: tuple[str, ...] = (
    "quote_count",
    "quotes_per_1k_words",
    "quoted_word_share",
    "attributed_quote_share",
    "scare_quotes_per_1k_words",
    "pull_quotes_per_1k_words",
)

_CONJUNCTION_GAP_RE = re.compile(r"[ \t,;:.]*(?:and|or|but)?[ \t]*")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation or scare quote: [start, end) includes its marks; content is inside them."""

    start: int
    end: int
    content_start: int
    content_end: int
    scare: bool = False
    pull: bool = False
    speaker: str = ""
    speaker_span: tuple[int, int] | None = None
    verb_span: tuple[int, int] | None = None
    inherited: bool = False  # speaker carried over from a neighbouring quotation


_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "with", "&", "de"}


def is_term(content: str) -> bool:
    """A quoted term rather than a quotation (unless a speaker follows it): one or two words, or a
    title-case name of up to six words ("Fox News Sunday", "An American Son")."""
    words = WORD_RE.findall(content)
    if len(words) <= QUOTES.scare_max_words:
        return True
    return len(words) <= 6 and all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in words)


@lru_cache(maxsize=1)
def find_quotes(doc: Document) -> tuple[Quote, ...]:
    """Quotations and scare quotes of the body, each with its speaker where one is found (cached for
    the last document: the attribution extractor reuses them; see text.lowered_text)."""
    text = doc.body_text
    paragraphs = paragraph_ranges(text)
    para_starts = [p[0] for p in paragraphs]

    def paragraph_of(pos: int) -> tuple[int, int, int]:
        """The last paragraph starting at or before pos (the first one when none does)."""
        k = max(0, bisect_right(para_starts, pos) - 1)
        return k, paragraphs[k][0], paragraphs[k][1]

    pulls = find_pull_quotes(doc.text, text)
    pull_ranges = [(s, e) for s, e, _, _ in pulls]
    spans = [q for q in find_quote_spans(text) if not any(s <= q[2] < e for s, e in pull_ranges)]
    opener_positions = [q[0] for q in spans]
    quotes: list[Quote] = []
    for index, (start, end, c_start, c_end) in enumerate(spans):
        content = text[c_start:c_end]
        _, p_start, p_end = paragraph_of(max(0, end - 1))
        _, o_p_start, _ = paragraph_of(start)
        next_open = opener_positions[index + 1] if index + 1 < len(spans) else len(text)
        found = speaker_after(text, end, min(p_end, next_open))
        if found is None and is_term(content):
            quotes.append(Quote(start, end, c_start, c_end, scare=True))
            continue
        if found is None:
            found = speaker_before(text, o_p_start, start)
        if found:
            (s_start, s_end), verb = found
            quotes.append(
                Quote(
                    start,
                    end,
                    c_start,
                    c_end,
                    speaker=text[s_start:s_end],
                    speaker_span=(s_start, s_end),
                    verb_span=verb if verb != (s_start, s_end) else None,
                )
            )
        else:
            quotes.append(Quote(start, end, c_start, c_end))
    quotes = _inherit_speakers(quotes, paragraph_of, text)
    for s, e, speaker, speaker_span in pulls:
        quotes.append(Quote(s, e, s, e, pull=True, speaker=speaker, speaker_span=speaker_span))
    quotes.sort(key=lambda q: q.start)
    return tuple(quotes)


def _inherit_speakers(quotes: list[Quote], paragraph_of, text: str) -> list[Quote]:
    """A quotation with no speaker of its own takes the speaker of the next quotation when only "and"
    or punctuation separates them (“A,” and “B,” he said), else continues the previous speaker when
    that speaker's quotation is in the same or the previous paragraph (“...,” she said. “More...”)."""
    quotes = list(quotes)
    for i in range(len(quotes) - 2, -1, -1):
        here, nxt = quotes[i], quotes[i + 1]
        if not here.scare and not here.speaker and nxt.speaker and nxt.speaker_span:
            if _CONJUNCTION_GAP_RE.fullmatch(text[here.end : nxt.start]):
                quotes[i] = Quote(
                    here.start,
                    here.end,
                    here.content_start,
                    here.content_end,
                    speaker=nxt.speaker,
                    speaker_span=nxt.speaker_span,
                    inherited=True,
                )
    result: list[Quote] = []
    last: Quote | None = None
    for quote in quotes:
        if not quote.scare and not quote.speaker and last is not None:
            gap = paragraph_of(quote.start)[0] - paragraph_of(max(0, last.end - 1))[0]
            if 0 <= gap <= 1:
                quote = Quote(
                    quote.start,
                    quote.end,
                    quote.content_start,
                    quote.content_end,
                    speaker=last.speaker,
                    speaker_span=last.speaker_span,
                    inherited=True,
                )
        if not quote.scare and quote.speaker:
            last = quote
        result.append(quote)
    return result


def extract(doc: Document) -> FeatureRecord:
    """Quote features and spans of a document's body (see the module docstring)."""
    quotes = find_quotes(doc)
    words = doc.body_word_count
    real = [q for q in quotes if not q.scare]
    scare = [q for q in quotes if q.scare]
    pulls = [q for q in real if q.pull]
    quoted_words = sum(len(WORD_RE.findall(doc.body_text, q.content_start, q.content_end)) for q in real)
    spans: list[Span] = []
    speaker_spans = set()  # a speaker between two quotes is credited with both, and shown once
    for q in quotes:
        if q.scare:
            spans.append(Span(q.start, q.end, "scare_quote"))
            continue
        spans.append(Span(q.start, q.end, "quote", q.speaker))
        if q.speaker_span and not q.inherited and q.speaker_span not in speaker_spans:
            speaker_spans.add(q.speaker_span)
            spans.append(Span(q.speaker_span[0], q.speaker_span[1], "speaker", q.speaker))
        if q.verb_span:
            spans.append(Span(q.verb_span[0], q.verb_span[1], "speech_verb"))
    values = {
        "quote_count": float(len(real)),
        "quotes_per_1k_words": per_1k_words(len(real), words),
        "quoted_word_share": share(quoted_words, words),
        "attributed_quote_share": share(sum(1 for q in real if q.speaker), len(real)),
        "scare_quotes_per_1k_words": per_1k_words(len(scare), words),
        "pull_quotes_per_1k_words": per_1k_words(len(pulls), words),
    }
    return FeatureRecord(values, [s for s in spans if 0 <= s.start < s.end <= len(doc.text)])
