"""Direct quotes: find quotations in the body, tell scare quotes from quotations, find each speaker.

Quote marks handled: straight "…", curly “…”, low-high „…“, guillemets «…» and »…«, typewriter
doubles ''…'' / ``…'', and single ‘…’ / '…' (apostrophes as in Russia’s, don't, '90s are skipped).
Marks pair within one family (double, guillemet, single); a quote of another family inside an open one
is nested and ignored. A quote may run over up to MAX_PARAGRAPHS paragraphs when each new paragraph
reopens it (English convention); an unmatched opening mark ends its quote at the end of its paragraph,
a stray closing mark is ignored, so odd marks never swallow the rest of the article. Scraped pull quotes
between the alt-text lines "open quote mark" / "close quote mark" count as quotes; a short last line
before "close quote mark" ("NATO release") names their speaker.
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
from dataclasses import dataclass
from functools import lru_cache

from scoring.features.base import Document, FeatureRecord, Span, per_1k_words, share
from scoring.lexicon import load_lexicon, phrase_alternation
from scoring.text import WORD_RE

FEATURE_NAMES: tuple[str, ...] = (
    "quote_count",
    "quotes_per_1k_words",
    "quoted_word_share",
    "attributed_quote_share",
    "scare_quotes_per_1k_words",
    "pull_quotes_per_1k_words",
)

MAX_QUOTE_CHARS = 3000  # a quote still open past this many characters ends at its paragraph's end
MAX_PARAGRAPHS = 4  # a quote may be reopened in at most this many consecutive paragraphs
SCARE_MAX_WORDS = 2
WINDOW = 220  # characters searched before / after a quote for its speaker

_MARKS_RE = re.compile("''|``|[\"“”„«»‘’'‹›]")  # '' and `` (typewriter doubles) act as one straight "
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


SPEECH_VERBS = phrase_alternation(load_lexicon("speech_verbs"))
SPEECH_VERB_RE = re.compile(rf"(?<![\w’'-])(?:{SPEECH_VERBS})(?![\w’'-])", re.IGNORECASE)
_ADVERB = r"(?:(?:also|then|later|further|again)\s+)?"
_INVERTED_RE = re.compile(rf"{_ADVERB}(?P<v>{SPEECH_VERBS})\s+", re.IGNORECASE)  # ', says X'
_LATE_INVERTED_RE = re.compile(rf",\s+{_ADVERB}(?P<v>{SPEECH_VERBS})\s+", re.IGNORECASE)  # '..., also said X'

PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}
DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "one",
    "another",
    "some",
    "many",
    "several",
    "two",
    "three",
    "both",
    "each",
    "other",
}
CONNECTORS = {"of", "for", "and", "the", "de", "del", "da", "von", "van", "al", "bin", "la", "le", "&"}
NP_STOP = {
    "in",
    "on",
    "at",
    "who",
    "which",
    "that",
    "during",
    "after",
    "before",
    "when",
    "while",
    "as",
    "to",
    "with",
    "from",
    "by",
    "but",
    "or",
    "because",
    "if",
    "also",
    "and",
    "than",
    "about",
    "into",
    "over",
    "since",
    "said",
    "says",
    "adding",
    "saying",
    "where",
    "whose",
    "whom",
}
SKIP_BEFORE_VERB = {
    "has",
    "have",
    "had",
    "also",
    "then",
    "later",
    "further",
    "again",
    "will",
    "would",
    "once",
    "previously",
    "repeatedly",
    "strongly",
    "recently",
    "publicly",
    "just",
    "already",
    "last",
    "first",
    "often",
    "not",
    "did",
    "does",
    "do",
}
DOCUMENT_NOUNS = {
    "statement",
    "letter",
    "note",
    "message",
    "post",
    "tweet",
    "sign",
    "release",
    "communiqué",
    "communique",
    "declaration",
    "text",
    "report",
    "email",
    "memo",
    "notice",
}
# Verb forms that are also common nouns ("member states", "insurance claims"): they count as speech
# verbs only after a name, pronoun or auxiliary, or when "that", ":" or a quote mark follows.
NOUN_LIKE = {
    "states",
    "notes",
    "reports",
    "claims",
    "comments",
    "remarks",
    "answers",
    "tweets",
    "pledges",
    "highlights",
    "state",
    "note",
    "report",
    "claim",
    "comment",
    "remark",
    "answer",
    "tweet",
    "pledge",
    "highlight",
    "reads",
    "read",
    "observes",
    "writes",
    "asks",
    "adds",
    "add",
    "warns",
    "says",
    "stresses",
    "stress",
    "urges",
    "recalls",
    "denies",
    "admits",
    "argues",
}
_TOKEN_RE = re.compile(r"[\w’'.\-&]+|[^\w\s]")
_NONBLANK_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")
_WORD_START_RE = re.compile(r"[\w]")
_SENTENCE_START_BEFORE_RE = re.compile(r"(?:^|[.!?\n“\"]\s*)$")
_THAT_COLON_OR_QUOTE_RE = re.compile(r"\s*(?:that\b|:|[“\"«])")
_ADD_NOT_SPEECH_RE = re.compile(r"\s+(?:to\b|up\b|\d|\$)")
_LAST_TOKEN_RE = re.compile(r"(\S+)\s+$")
_POSSESSIVE_END_RE = re.compile(r"\w[’']s?$")
_CLAUSE_BREAK_RE = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])|[”\"]|''")
_TRAILING_WORD_RE = re.compile(r"([\w.]*)$")
_SENTENCE_MARK_RE = re.compile(r"[.!?](?=\s|$)")
_LEAD_PUNCT_RE = re.compile(r"[\s,;:.)\]’”\"»—–-]*")
_SENTENCE_PUNCT_RE = re.compile(r"[.!?]")
_DASH_RE = re.compile("[—–-]")
_AUX_GAP_RE = re.compile(r"[\s’']*(?:(?:has|have|had|also|then|later|once|further|again)\s+)*")
_CLAUSE_PUNCT_RE = re.compile(r"[;:“”\"]")
_SUBJECT_BREAK_RE = re.compile(
    r"[;:!?“”\"«»()]|[.](?=\s)(?<![A-Z]\.)(?<!Mr\.)(?<!Ms\.)(?<!Mrs\.)(?<!Dr\.)"
    r"(?<!Sen\.)(?<!Rep\.)(?<!Gov\.)(?<!Gen\.)"
)
_WORDS_RE = re.compile(r"\w+")
_SENTENCE_GAP_RE = re.compile(r"[.!?]\s")
_PASSIVE_END_RE = re.compile(r"\b(?:is|was|were|are|been|be|being|to)\s+$", re.IGNORECASE)
_ACCORDING_TO_RE = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
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


@dataclass(frozen=True, slots=True)
class _Mark:
    pos: int
    char: str
    family: str
    can_open: bool
    can_close: bool


def _classify_mark(text: str, i: int, ch: str) -> _Mark | None:
    """What a quote mark `ch` at text[i] may do, from its neighbours; None for an apostrophe."""
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


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    spans, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


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


@lru_cache(maxsize=4)
def _quote_spans(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """find_quote_spans, cached for the last few texts (the quote and attribution extractors both ask)."""
    found: list[tuple[int, int, int, int]] = []
    paragraphs = _paragraphs(text)
    open_mark: _Mark | None = None
    open_paras = 0
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        marks = [
            m
            for m in (
                _classify_mark(text, x.start(), x.group()) for x in _MARKS_RE.finditer(text, p_start, p_end)
            )
            if m is not None
        ]
        if open_mark is not None:
            first = marks[0] if marks else None
            reopens = (
                first is not None
                and first.family == open_mark.family
                and first.can_open
                and not text[p_start : first.pos].strip()
                and open_paras < MAX_PARAGRAPHS
                and p_start - open_mark.pos < MAX_QUOTE_CHARS
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
        if open_mark is not None and (open_mark.family == "S" or p_end - open_mark.pos > MAX_QUOTE_CHARS):
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
    result = []
    closes = [m.start() for m in _PULL_CLOSE_RE.finditer(raw)]
    for opener in _PULL_OPEN_RE.finditer(raw):
        close = next((c for c in closes if c > opener.end()), None)
        if close is None or close - opener.end() > MAX_QUOTE_CHARS:
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


def _tokens(text: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN_RE.finditer(text)]


def _is_word(tok: str) -> bool:
    return bool(_WORD_START_RE.match(tok))


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit()


def noun_phrase_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The source phrase starting at text[start:] (a pronoun, "the …" phrase or a capitalised name
    with connectors such as "EU High Representative for Foreign and Security Policy Josep Borrell")."""
    toks = _tokens(text[start:end], start)
    if not toks or not _is_word(toks[0][0]):
        return None
    first = toks[0][0].lower()
    if first in PRONOUNS:
        return toks[0][1], toks[0][2]
    with_det = first in DETERMINERS
    if not with_det and not _is_cap(toks[0][0]):
        return None
    taken: list[tuple[str, int, int]] = [toks[0]]
    for index, (tok, s, e) in enumerate(toks[1:10], start=1):
        low = tok.lower()
        nxt = toks[index + 1][0] if index + 1 < len(toks) else ""
        if not _is_word(tok):
            break
        if low in CONNECTORS and nxt and _is_cap(nxt) and (low != "and" or _is_cap(taken[-1][0])):
            taken.append((tok, s, e))
        elif _is_cap(tok):
            taken.append((tok, s, e))
        elif with_det and low not in NP_STOP and len(taken) < 5 and not SPEECH_VERB_RE.fullmatch(tok):
            taken.append((tok, s, e))
        else:
            break
    while taken and taken[-1][0].lower() in CONNECTORS:
        taken.pop()
    if not taken or (with_det and len(taken) == 1):
        return None
    return taken[0][1], _strip_period(taken[-1])


_ABBREV_RE = re.compile(r"(?:[A-Za-z]\.)+|Jr\.|Sr\.|Inc\.|Ltd\.|Co\.|Corp\.")


def _strip_period(token: tuple[str, int, int]) -> int:
    """End offset of a phrase's last token, without a sentence-final period ("Borrell." -> "Borrell")."""
    tok, _, end = token
    if tok.endswith(".") and not _ABBREV_RE.fullmatch(tok):
        return end - len(tok) + len(tok.rstrip("."))
    return end


def noun_phrase_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The subject phrase ending at text[:end] (before a speech verb), skipping auxiliaries and
    adverbs ("NATO leaders have [said]") and a relative "who" ("Josep Borrell, who [warns]")."""
    toks = _tokens(text[start:end], start)
    while toks and toks[-1][0].lower() in SKIP_BEFORE_VERB:
        toks.pop()
    if toks and toks[-1][0] == ")":  # "Sen. Mitch McConnell (R-Ky.) [said]"
        opening = [i for i, t in enumerate(toks) if t[0] == "("]
        if opening and len(toks) - opening[-1] <= 10:
            toks = toks[: opening[-1]]
    if toks and toks[-1][0].lower() == "who":
        toks.pop()
        if toks and toks[-1][0] == ",":
            toks.pop()
    if toks and toks[-1][0] == ",":  # "Dick Dever, who was listed on the slate, [told]"
        commas = [i for i, t in enumerate(toks[:-1]) if t[0] == ","]
        if commas and len(toks) - 1 - commas[-1] <= 14:
            head = noun_phrase_before(text, start, toks[commas[-1]][1])
            if head and _is_cap(text[head[0]]):
                return head
        return None
    if not toks or not _is_word(toks[-1][0]) or toks[-1][0].lower() in CONNECTORS:
        return None
    if toks[-1][0].lower() in PRONOUNS:
        return toks[-1][1], toks[-1][2]
    taken: list[tuple[str, int, int]] = []
    rev = list(reversed(toks))
    for index, (tok, s, e) in enumerate(rev):
        low = tok.lower()
        if not _is_word(tok) or (low in NP_STOP and low not in CONNECTORS) or low in PRONOUNS:
            break
        if len(taken) >= 8 or SPEECH_VERB_RE.fullmatch(tok):
            break
        taken.insert(0, (tok, s, e))
        if low in DETERMINERS:
            before = rev[index + 1][0].lower() if index + 1 < len(rev) else ""
            if before not in {"of", "for"}:  # "the head of [the European Union]" continues
                break
    while taken and (taken[0][0].lower() in CONNECTORS - {"the"} or taken[0][0].lower() in SKIP_BEFORE_VERB):
        taken.pop(0)
    if not taken:
        return None
    first = taken[0][0]
    if not (_is_cap(first) or first.lower() in DETERMINERS or any(_is_cap(t[0]) for t in taken)):
        return None
    if first.lower() in DETERMINERS and len(taken) == 1:
        return None
    return taken[0][1], taken[-1][2]


def speech_verbs_in(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Speech-verb matches in text[start:end], dropping noun uses of forms like "states"."""
    result = []
    for m in SPEECH_VERB_RE.finditer(text, start, end):
        if m.group()[0].isupper() and not _SENTENCE_START_BEFORE_RE.search(
            text[max(0, m.start() - 3) : m.start()]
        ):
            continue  # "the United States", "NATO Condemns" (title case): not a verb use
        low = m.group().lower()
        if low in NOUN_LIKE and not _verb_context(text, m):
            continue
        after = text[m.end() : m.end() + 12]
        if low in ("state", "states") and not _THAT_COLON_OR_QUOTE_RE.match(after):
            continue  # "member states", "delegate-rich states that vote"
        if low in ("add", "adds", "added") and _ADD_NOT_SPEECH_RE.match(after):
            continue  # "added to her lead", "added 1 million jobs"
        result.append(m)
    return result


def _verb_context(text: str, m: re.Match[str]) -> bool:
    after = text[m.end() : m.end() + 8]
    if _THAT_COLON_OR_QUOTE_RE.match(after):
        return True
    before = _LAST_TOKEN_RE.search(text[max(0, m.start() - 60) : m.start()])
    if before is None:
        return False
    prev = before.group(1)
    if _POSSESSIVE_END_RE.search(prev):
        return False  # "Ryan’s comments": a noun after a possessive
    return (
        prev[-1] in ',”"»’'
        or _is_cap(prev.strip('“"('))
        or prev.lower() in PRONOUNS
        or prev.lower() in SKIP_BEFORE_VERB
        or prev.lower() == "who"
        or prev.lower() in DOCUMENT_NOUNS
    )


_TITLE_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "st",
    "jr",
    "sr",
    "rev",
    "hon",
    "pres",
    "adm",
    "cmdr",
    "no",
    "vs",
    "inc",
    "corp",
    "co",
    "ltd",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "d.c",
    "a.m",
    "p.m",
}


def clause_start(window: str) -> int:
    """Offset in `window` just after its last sentence end or closing quote mark (0 if none);
    "Sen." or an initial does not end a sentence."""
    best = 0
    for m in _CLAUSE_BREAK_RE.finditer(window):
        if m.group()[0] == ".":
            word = _TRAILING_WORD_RE.search(window[: m.start()]).group(1).lower()
            if word in _TITLE_ABBREVIATIONS or len(word) == 1:
                continue
        best = m.end()
    return best


def _sentence_end(text: str, start: int, end: int) -> int:
    """End of the first sentence in text[start:end] (not after "Mr." or an initial)."""
    for m in _SENTENCE_MARK_RE.finditer(text[start:end]):
        word = _TRAILING_WORD_RE.search(text[start : start + m.start()]).group(1).lower()
        if m.group() == "." and (word in _TITLE_ABBREVIATIONS or len(word) == 1):
            continue
        return start + m.end()
    return end


def _speaker_after(text: str, close: int, limit: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Speaker right after a closing mark: ', the statement said' / ', says X' / '— X'."""
    lead = _LEAD_PUNCT_RE.match(text[close:limit])
    pos = close + (lead.end() if lead else 0)
    if lead and _SENTENCE_PUNCT_RE.search(lead.group()):
        return None  # “...”. A new sentence starts: its subject is not this quote's speaker
    dash = bool(lead and _DASH_RE.search(lead.group()))
    window_end = _sentence_end(text, pos, min(limit, pos + WINDOW))
    window = text[pos:window_end]
    inverted = _INVERTED_RE.match(window)
    if inverted and inverted.group("v").lower() not in NOT_INVERTED:
        np = noun_phrase_after(text, pos + inverted.end(), window_end)
        if np:
            return np, (pos + inverted.start("v"), pos + inverted.end("v"))
    for verb in speech_verbs_in(text, pos, min(window_end, pos + 160)):
        between = text[pos : verb.start()]
        np = noun_phrase_after(text, pos, verb.start())
        if (
            np
            and _AUX_GAP_RE.fullmatch(text[np[1] : verb.start()])
            and _verb_ok(text, np, verb.span())
        ):
            return np, verb.span()
        phrase = _subject_stretch(text, pos, verb.start())
        if phrase and _verb_ok(text, phrase, verb.span()):
            return phrase, verb.span()
        if _CLAUSE_PUNCT_RE.search(between):
            break
    late = _LATE_INVERTED_RE.search(window)
    if late and late.group("v").lower() not in NOT_INVERTED:
        np = noun_phrase_after(text, pos + late.end(), window_end)
        if np:
            return np, (pos + late.start("v"), pos + late.end("v"))
    if dash:
        np = noun_phrase_after(text, pos, window_end)
        if np and not text[np[1] : window_end].strip(" \t.,"):
            return np, np
    return None


# Verbs that take a person as object ("told Mr. Obama"): never read as "verb + speaker" inversions.
NOT_INVERTED = {
    "tell",
    "tells",
    "told",
    "ask",
    "asks",
    "asked",
    "urge",
    "urges",
    "urged",
    "accuse",
    "accuses",
    "accused",
    "blame",
    "blames",
    "blamed",
    "assure",
    "assures",
    "assured",
    "cite",
    "cites",
    "cited",
    "condemn",
    "condemns",
    "condemned",
    "describe",
    "describes",
    "described",
    "read",
    "reads",
    "deny",
    "denies",
    "denied",
    "answer",
    "answers",
    "answered",
    "call on",
    "calls on",
    "called on",
}


_QUESTION = {
    "what",
    "why",
    "how",
    "when",
    "where",
    "who",
    "which",
    "does",
    "do",
    "did",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "will",
    "would",
    "should",
    "it",
    "there",
    "this",
    "that",
}


def _subject_stretch(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A whole subject with titles and appositives before a verb: "Clinton campaign manager Robby Mook",
    "Tina Tchen, Mrs. Obama's chief of staff," (at most 14 words, no clause punctuation, capitalised)."""
    stretch = text[start:end]
    if not stretch.strip() or _SUBJECT_BREAK_RE.search(stretch):
        return None
    words = _tokens(stretch, start)
    if not words or len(words) > 16 or not _is_cap(words[0][0]) or words[0][0].lower() in NP_STOP | _QUESTION:
        return None
    if any(SPEECH_VERB_RE.fullmatch(w[0]) for w in words):
        return None
    while words and (words[-1][0] == "," or words[-1][0].lower() in SKIP_BEFORE_VERB):
        words.pop()
    if not words or not _is_word(words[-1][0]) or words[-1][0].lower() in NP_STOP | CONNECTORS:
        return None
    return words[0][1], words[-1][2]


def _verb_ok(text: str, np: tuple[int, int], verb: tuple[int, int]) -> bool:
    """'read' is a speech verb only after a document noun ('the statement read')."""
    if not text[verb[0] : verb[1]].lower().startswith("read"):
        return True
    words = _WORDS_RE.findall(text[np[0] : np[1]].lower())
    return bool(words) and words[-1] in DOCUMENT_NOUNS


def _speaker_before(
    text: str, para_start: int, opener: int
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Speaker before an opening mark in the same sentence: 'X said: “' / 'X warned that Y “'."""
    start = max(para_start, opener - WINDOW)
    window = text[start:opener]
    boundary = clause_start(window)
    start += boundary
    verbs = speech_verbs_in(text, start, opener)
    for verb in reversed(verbs):
        gap = text[verb.end() : opener]
        if len(gap) > 80 or _SENTENCE_GAP_RE.search(gap):
            break
        if _PASSIVE_END_RE.search(text[start : verb.start()]):
            continue
        np = noun_phrase_before(text, start, verb.start())
        if np and _verb_ok(text, np, verb.span()):
            return np, verb.span()
    according = list(_ACCORDING_TO_RE.finditer(text[start:opener]))
    if according:
        a = according[-1]
        np = noun_phrase_after(text, start + a.end(), opener)
        if np:
            return np, (start + a.start(), start + a.end())
    return None


_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "with", "&", "de"}


def is_term(content: str) -> bool:
    """A quoted term rather than a quotation (unless a speaker follows it): one or two words, or a
    title-case name of up to six words ("Fox News Sunday", "An American Son")."""
    words = WORD_RE.findall(content)
    if len(words) <= SCARE_MAX_WORDS:
        return True
    return len(words) <= 6 and all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in words)


@lru_cache(maxsize=4)
def find_quotes(doc: Document) -> tuple[Quote, ...]:
    """Quotations and scare quotes of the body, each with its speaker where one is found (cached for
    the last few documents: the attribution extractor reuses them)."""
    text = doc.body_text
    paragraphs = _paragraphs(text)
    para_starts = [p[0] for p in paragraphs]

    def paragraph_of(pos: int) -> tuple[int, int, int]:
        lo, hi = 0, len(paragraphs) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if para_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo, paragraphs[lo][0], paragraphs[lo][1]

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
        found = _speaker_after(text, end, min(p_end, next_open))
        if found is None and is_term(content):
            quotes.append(Quote(start, end, c_start, c_end, scare=True))
            continue
        if found is None:
            found = _speaker_before(text, o_p_start, start)
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
    for q in quotes:
        if q.scare:
            spans.append(Span(q.start, q.end, "scare_quote"))
            continue
        spans.append(Span(q.start, q.end, "quote", q.speaker))
        if q.speaker_span and not q.inherited:
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
