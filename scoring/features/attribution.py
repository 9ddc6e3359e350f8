"""Attribution and hedging: who the article says its information comes from, and how sure it sounds.

Attributions (precision first):
- named: a speech verb with a named or definite source ("Stoltenberg said", "the Council noted",
  "NATO leaders have said", "the statement read", "says X"), "according to X", a pull quote's or a
  dash-attributed quote's speaker; a pronoun source ("he recalled") counts as named (it refers back);
- anonymous: an unnamed source ("sources said", "officials familiar with", "on condition of
  anonymity", "people close to"; lexicon `anonymous_sources`);
- secondary: another outlet or report is credited (", Caliber.Az reports.", "as reported by X",
  "quoted by X", "Source: X", "according to the EFE agency"; lexicon `attribution_cues`);
- vague: weasel words in Wikipedia's sense ("some experts say", "critics argue", "it is widely
  believed"; lexicon `vague_attributions`), kept apart from named and anonymous sources;
- learned cues: PolNeAR's belief, knowledge and stance cues ("officials fear", "the report found",
  "X believes"; lexicon `attribution_cues_learned`, learned by benchmarks/polnear_attribution.py) where no
  rule above found an attribution: spans of kind `attribution_cue`, counted in attributions_per_1k_words.
Hedges: reporting-distance hedges ("allegedly", "reportedly", "is said to", "claims to"; lexicon
`hedges_reporting`) are counted apart from general modal hedges ("may", "could", "likely";
lexicon `hedges_modal`). The month "May" and the noun "might" are not hedges.
Uncertainty: a body sentence is `uncertain` when it holds a cue learned from WikiWeasel (lexicon
`uncertainty_cues`, learned by benchmarks/wikiweasel_hedges.py), a reporting hedge or a vague
attribution; uncertain_sentence_share is their share of body sentences (spans `uncertain_sentence`).

Every lexicon is compiled once, at import, into one alternation regex.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from scoring.features.base import Document, FeatureRecord, Span, per_1k_words, share
from scoring.features.quote_marks import find_quote_spans
from scoring.features.quotes import find_quotes
from scoring.features.speakers import (
    DOCUMENT_NOUNS,
    clause_start,
    noun_phrase_after,
    noun_phrase_before,
    speech_verbs_in,
    verb_ok,
)
from scoring.lexicon import PhraseIndex, load_lexicon, phrase_regex

FEATURE_NAMES: tuple[str, ...] = (
    "attributions_per_1k_words",
    "named_source_share",
    "anonymous_sources_per_1k_words",
    "secondary_attributions_per_1k_words",
    "hedges_per_1k_words",
    "modal_hedges_per_1k_words",
    "vague_attributions_per_1k_words",
    "uncertain_sentence_share",
)

NAMED, ANONYMOUS, SECONDARY, VAGUE = "named", "anonymous", "secondary", "vague"


_CUES = load_lexicon("attribution_cues")
SECONDARY_CUE_RE = phrase_regex(tuple(c.split(":", 1)[1].strip() for c in _CUES if c.startswith("phrase:")))
MEDIA_RE = phrase_regex(tuple(c.split(":", 1)[1].strip() for c in _CUES if c.startswith("media:")))
ANONYMOUS_RE = phrase_regex(load_lexicon("anonymous_sources"))
VAGUE_RE = phrase_regex(load_lexicon("vague_attributions"))
REPORTING_HEDGE_RE = phrase_regex(load_lexicon("hedges_reporting"))
MODAL_HEDGE_RE = phrase_regex(load_lexicon("hedges_modal"))
ACCORDING_RE = re.compile(r"(?<![\w-])according\s+to\s+", re.IGNORECASE)
_PASSIVE_BEFORE_RE = re.compile(
    r"(?<!go on )(?<!went on )(?<!goes on )\b(?:is|was|were|are|been|be|being|to)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
_UNNAMED_HEAD_RE = re.compile(r"\b(?:\w+\s+){0,2}(?:familiar\s+with|close\s+to)\s+$", re.IGNORECASE)
_GO_ON_TO_RE = re.compile(r"(?:\b(?:did|does|do)\s+)?(?:\bhowever\s+)?\b(?:go|goes|went)\s+on\s+to\s+$", re.I)
_INVERTED_BEFORE_RE = re.compile(r"(?:[,”\"»]|'')\s*(?:(?:also|then|later|further|again)\s+)?$")
_SECONDARY_VERBS = {"report", "reports", "reported", "writes", "wrote"}
_MAY_AS_MODAL_NEXT = {"be", "have", "not", "also", "well", "soon", "never", "still", "yet"}
_MIGHT_NOUN_BEFORE = {"military", "economic", "naval", "its", "their", "his", "her", "our", "the", "all"}
_UNNAMED_SOURCE_RE = re.compile(r"(?i)(?:the\s+)?(?:sources?|officials?|insiders?)")
_QUOTED_BY_AFTER_RE = re.compile(r"\s*,\s*(?:quoted\s+by|citing)\b")
_WORDS_RE = re.compile(r"\w+")
_FULL_STOP_AFTER_RE = re.compile(r"\s*[.]")
_COMMA_END_RE = re.compile(r",\s*$")
_LEADING_WORDS_RE = re.compile(r"[\w’'.\-]+(?:\s+[\w’'.\-]+){0,3}")
_NEXT_WORD_RE = re.compile(r"\s+(\w+)")
_PREVIOUS_WORD_RE = re.compile(r"(\w+)\s+$")
_POSSIBLE_NOT_HEDGE_RE = re.compile(r"\bas\s+$|\b(?:best|worst|only|every|all)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution: characters [start, end) of its source (and cue), its type and source text."""

    start: int
    end: int
    type: str
    source: str


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


class _Inside:
    """Whether a position lies inside any of some spans: a bisection over the spans sorted by start plus
    the running maximum of their ends, instead of a scan of every span per position (a 5 MB page has
    thousands of quotations and of candidates)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_ends: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self.max_ends.append(furthest)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos)
        return i > 0 and self.max_ends[i - 1] > pos


def _source_type(text: str, src: tuple[int, int], context_end: int) -> str:
    phrase = text[src[0] : src[1]]
    if ANONYMOUS_RE.search(phrase) or _UNNAMED_SOURCE_RE.fullmatch(phrase):
        return ANONYMOUS
    if MEDIA_RE.search(phrase) or _QUOTED_BY_AFTER_RE.match(text[src[1] : context_end]):
        return SECONDARY
    return NAMED


def speech_verb_attributions(text: str, quoted: list[tuple[int, int]]) -> list[Attribution]:
    """Attributions built on a speech verb: 'X said', ', says X', ', Caliber.Az reports.'."""
    found = []
    inside_quote = _Inside(quoted)
    for verb in speech_verbs_in(text, 0, len(text)):
        if verb.start() in inside_quote:
            continue  # a verb inside a quotation belongs to the quoted speaker's own words
        line_start, line_end = _line_bounds(text, verb.start())
        before = text[max(line_start, verb.start() - 200) : verb.start()]
        if _PASSIVE_BEFORE_RE.search(before):
            continue
        if _INVERTED_BEFORE_RE.search(before):
            src = noun_phrase_after(text, verb.end(), min(line_end, verb.end() + 200))
        else:
            sentence = clause_start(before)
            go_on = _GO_ON_TO_RE.search(before)  # "the statement did however go on to say"
            src = noun_phrase_before(
                text,
                verb.start() - len(before) + sentence,
                verb.start() - (len(go_on.group()) if go_on else 0),
            )
        if src is None or not verb_ok(text, src, verb.span()):
            continue
        if verb.group().lower().startswith("read") and not any(
            w in DOCUMENT_NOUNS for w in _WORDS_RE.findall(text[src[0] : src[1]].lower())
        ):
            continue
        kind = _source_type(text, src, line_end)
        unnamed = _UNNAMED_HEAD_RE.search(text, max(line_start, src[0] - 60), src[0])
        if unnamed:  # "people familiar with [the matter] said": the source is the unnamed people
            src, kind = (unnamed.start(), src[1]), ANONYMOUS
        final = _FULL_STOP_AFTER_RE.match(text[verb.end() : line_end])
        if verb.group().lower() in _SECONDARY_VERBS and final and src[1] <= verb.start():
            if _COMMA_END_RE.search(text[line_start : src[0]]) and kind == NAMED:
                kind = SECONDARY  # ", Caliber.Az reports." closing a sentence credits another outlet
        start, end = min(src[0], verb.start()), max(src[1], verb.end())
        found.append(Attribution(start, end, kind, text[src[0] : src[1]]))
    return found


def according_to_attributions(text: str) -> list[Attribution]:
    """'according to X': named, anonymous ('according to sources') or secondary ('the EFE agency')."""
    found = []
    for m in ACCORDING_RE.finditer(text):
        _, line_end = _line_bounds(text, m.start())
        src = noun_phrase_after(text, m.end(), min(line_end, m.end() + 150))
        if src is None:
            words = _LEADING_WORDS_RE.match(text[m.end() : line_end])
            if not words:
                continue
            src = (m.end(), m.end() + words.end())
        kind = _source_type(text, src, line_end)
        if ANONYMOUS_RE.match(text, m.start()):
            kind = ANONYMOUS
        found.append(Attribution(m.start(), src[1], kind, text[src[0] : src[1]]))
    return found


def secondary_cue_attributions(text: str) -> list[Attribution]:
    """'as reported by X', 'quoted by X', 'citing X', 'Source: X' (at a line start)."""
    found = []
    for m in SECONDARY_CUE_RE.finditer(text):
        line_start, line_end = _line_bounds(text, m.start())
        cue = m.group().lower()
        if cue.startswith("source") and text[line_start : m.start()].strip():
            continue
        src = noun_phrase_after(
            text,
            m.end() + len(text[m.end() : line_end]) - len(text[m.end() : line_end].lstrip()),
            min(line_end, m.end() + 150),
        )
        if src is None:
            continue
        found.append(Attribution(m.start(), src[1], SECONDARY, text[src[0] : src[1]]))
    return found


def anonymous_cue_attributions(text: str) -> list[Attribution]:
    """Unnamed sources by their cue phrase ('officials familiar with', 'on condition of anonymity')."""
    return [Attribution(m.start(), m.end(), ANONYMOUS, m.group()) for m in ANONYMOUS_RE.finditer(text)]


def vague_cue_attributions(text: str) -> list[Attribution]:
    """Weasel-word sources by their cue phrase ('some experts say', 'critics argue', 'it is believed')."""
    return [Attribution(m.start(), m.end(), VAGUE, m.group()) for m in VAGUE_RE.finditer(text)]


def quote_speaker_attributions(doc: Document) -> list[Attribution]:
    """Speakers of pull quotes and dash-attributed quotes (no speech verb): named attributions."""
    return [
        Attribution(q.speaker_span[0], q.speaker_span[1], NAMED, q.speaker)
        for q in find_quotes(doc)
        if q.speaker_span and q.verb_span is None and not q.inherited
    ]


_PRIORITY = {SECONDARY: 0, VAGUE: 1, ANONYMOUS: 2, NAMED: 3}


def learned_cue_attributions(
    doc: Document, quoted: list[tuple[int, int]], cues: PhraseIndex
) -> list[Attribution]:
    """Attributions on a cue learned from PolNeAR ("officials fear", "the report found", "X believes"),
    outside quotations, with the source before the cue in its clause (else after it) when one is found."""
    text = doc.body_text
    words = doc.body_words
    found = []
    inside_quote = _Inside(quoted)
    for start, end in cues.find(text, words, doc.body_lowered):
        if start in inside_quote:
            continue
        line_start, line_end = _line_bounds(text, start)
        before = text[max(line_start, start - 200) : start]
        src = noun_phrase_before(text, start - len(before) + clause_start(before), start)
        if src is None:
            src = noun_phrase_after(text, end, min(line_end, end + 120))
        if src is None:
            found.append(Attribution(start, end, NAMED, ""))
            continue
        span = (min(src[0], start), max(src[1], end))
        found.append(Attribution(*span, _source_type(text, src, line_end), text[src[0] : src[1]]))
    return found


@cache
def learned_cues(learned: tuple[str, ...] | None = None) -> PhraseIndex:
    """The attribution cues learned from PolNeAR (lexicon `attribution_cues_learned`, or `learned` when
    cross-validating), indexed by first word."""
    return PhraseIndex(load_lexicon("attribution_cues_learned") if learned is None else learned)


def _merge(kept: list[Attribution], candidates: list[Attribution]) -> list[Attribution]:
    """Kept spans plus the candidates (in order) that overlap none of them."""
    # Kept spans never overlap each other, so held sorted by start only a candidate's two neighbours can
    # overlap it: a bisect per candidate instead of a scan of everything kept (a 5 MB page has ~10^5).
    kept = sorted(kept, key=lambda a: a.start)
    kept_starts = [a.start for a in kept]
    for cand in candidates:
        i = bisect_right(kept_starts, cand.start)
        if i > 0 and kept[i - 1].end > cand.start:
            continue
        if i < len(kept) and kept[i].start < cand.end:
            continue
        kept_starts.insert(i, cand.start)
        kept.insert(i, cand)
    return kept


def find_attributions(doc: Document) -> list[Attribution]:
    """All rule-based attributions of the body, overlaps merged (secondary > vague > anonymous > named)."""
    text = doc.body_text
    quoted = [(c_start, c_end) for _, _, c_start, c_end in find_quote_spans(text)]
    candidates = (
        secondary_cue_attributions(text)
        + according_to_attributions(text)
        + anonymous_cue_attributions(text)
        + vague_cue_attributions(text)
        + speech_verb_attributions(text, quoted)
        + quote_speaker_attributions(doc)
    )
    candidates.sort(key=lambda a: (_PRIORITY[a.type], a.start))
    return _merge([], candidates)


def find_cue_attributions(
    doc: Document, rule_based: list[Attribution], cues: PhraseIndex | None = None
) -> list[Attribution]:
    """Attributions on the cues learned from PolNeAR that no rule-based attribution overlaps (PolNeAR's
    broader notion: belief, knowledge and stance cues), in text order."""
    quoted = [(c_start, c_end) for _, _, c_start, c_end in find_quote_spans(doc.body_text)]
    kept = _merge(list(rule_based), learned_cue_attributions(doc, quoted, cues or learned_cues()))
    rule_spans = {(a.start, a.end) for a in rule_based}
    return [a for a in kept if (a.start, a.end) not in rule_spans]


def _modal_is_hedge(text: str, m: re.Match[str]) -> bool:
    word = m.group()
    if word == "May" or word == "MAY":
        nxt = _NEXT_WORD_RE.match(text[m.end() : m.end() + 20])
        before = m.start() - 1  # the last character before "May" that is not a space or tab
        while before >= 0 and text[before] in " \t":
            before -= 1
        sentence_start = before < 0 or text[before] in '.!?\n“"'
        return bool(sentence_start and nxt and nxt.group(1).lower() in _MAY_AS_MODAL_NEXT)
    low = word.lower()
    if low == "might":
        prev = _PREVIOUS_WORD_RE.search(text[max(0, m.start() - 30) : m.start()])
        return not (prev and prev.group(1).lower() in _MIGHT_NOUN_BEFORE)
    if low == "possible":
        return not _POSSIBLE_NOT_HEDGE_RE.search(text[max(0, m.start() - 12) : m.start()])
    return True


def find_hedges(doc: Document) -> tuple[list[Span], list[Span]]:
    """Reporting-distance hedges and modal hedges of the body, as spans."""
    text = doc.body_text
    reporting = [
        Span(m.start(), m.end(), "hedge", m.group().lower()) for m in REPORTING_HEDGE_RE.finditer(text)
    ]
    modal = [
        Span(m.start(), m.end(), "modal_hedge", m.group().lower())
        for m in MODAL_HEDGE_RE.finditer(text)
        if _modal_is_hedge(text, m)
    ]
    return reporting, modal


@cache
def uncertainty_cues(learned: tuple[str, ...] | None = None) -> PhraseIndex:
    """The sentence-level uncertainty cues, indexed by first word: the cue list learned from WikiWeasel
    (lexicon `uncertainty_cues`, or `learned` when cross-validating), reporting-distance hedges and
    vague-attribution cues. Entries written "!phrase" are learned exceptions ("several times", "in most"):
    indexed like cues, so the longest match wins, and kept in the index's `exceptions`, which flag nothing."""
    entries = load_lexicon("uncertainty_cues") if learned is None else learned
    exceptions = tuple(e[1:].strip() for e in entries if e.startswith("!"))
    cues = tuple(e for e in entries if not e.startswith("!"))
    fixed = load_lexicon("hedges_reporting") + load_lexicon("vague_attributions")
    index = PhraseIndex(cues + exceptions + fixed)
    index.exceptions = frozenset(e.lower() for e in exceptions)  # type: ignore[attr-defined]
    return index


def uncertain_sentences(doc: Document, cues: PhraseIndex | None = None) -> list[Span]:
    """Body sentences holding an uncertainty cue (hedge, modal hedge or weasel phrase) that is not one of
    the index's exceptions, as spans labelled with their first cue; cues found from the body's words,
    placed in sentences by bisection."""
    text = doc.body_text
    words = doc.body_words
    sentences = doc.body_sentences
    starts = [s for s, _ in sentences]
    index = cues or uncertainty_cues()
    exceptions = getattr(index, "exceptions", frozenset())
    flagged: dict[int, str] = {}
    for start, end in index.find(text, words, doc.body_lowered):
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= sentences[i][1] and i not in flagged:
            cue = text[start:end].lower()
            if not exceptions or " ".join(cue.split()) not in exceptions:
                flagged[i] = cue
    return [Span(*sentences[i], "uncertain_sentence", cue) for i, cue in sorted(flagged.items())]


def extract(doc: Document) -> FeatureRecord:
    """Attribution and hedging features and spans of a document's body (see the module docstring)."""
    words = doc.body_word_count
    attributions = find_attributions(doc)
    cue_attributions = find_cue_attributions(doc, attributions)
    reporting, modal = find_hedges(doc)
    uncertain = uncertain_sentences(doc)
    kinds = (NAMED, ANONYMOUS, SECONDARY, VAGUE)
    counts = {kind: sum(1 for a in attributions if a.type == kind) for kind in kinds}
    values = {
        "attributions_per_1k_words": per_1k_words(len(attributions) + len(cue_attributions), words),
        "named_source_share": share(counts[NAMED], counts[NAMED] + counts[ANONYMOUS]),
        "anonymous_sources_per_1k_words": per_1k_words(counts[ANONYMOUS], words),
        "secondary_attributions_per_1k_words": per_1k_words(counts[SECONDARY], words),
        "hedges_per_1k_words": per_1k_words(len(reporting), words),
        "modal_hedges_per_1k_words": per_1k_words(len(modal), words),
        "vague_attributions_per_1k_words": per_1k_words(counts[VAGUE], words),
        "uncertain_sentence_share": share(len(uncertain), len(doc.body_sentences)),
    }
    spans = [Span(a.start, a.end, "attribution", f"{a.type}:{a.source}") for a in attributions]
    spans += [Span(a.start, a.end, "attribution_cue", a.source) for a in cue_attributions]
    spans += reporting + modal + uncertain
    spans = [s for s in spans if 0 <= s.start < s.end <= len(doc.text)]
    return FeatureRecord(values, sorted(spans, key=lambda s: (s.start, s.end)))
