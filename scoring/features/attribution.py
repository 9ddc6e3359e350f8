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
- labelled speakers: a line "LABEL: text" of a transcript or headline ("TAPPER: Do you...", "Trump: Cruz
  Has...") credits LABEL (not a page label of lexicon `attribution_line_labels`, nor a tally);
- learned cues: PolNeAR's belief, knowledge and stance cues ("officials fear", "the report found",
  "X believes"; lexicon `attribution_cues_learned`, learned by benchmarks/polnear_attribution.py: phrases
  that are cues anywhere, words that are cues right after their subject, "after-subject: wants" (a
  pronoun, a name or a source noun of lexicon `attribution_subject_nouns`: "voters prefer"), and words
  that are cues right before a clause, "before-clause: showed" ("the data showed that"), and words that
  are cues right after a link word, "after-link: pointing" (", pointing to", "and vowed", "refused to
  answer")),
  and a question put to the source ("Asked if ..."): spans of kind `attribution_cue`, counted in
  attributions_per_1k_words.
Counting, as PolNeAR counts: one attribution per cue; two cues may share a source ("he said, adding";
"X criticized the plan and said", the second verb's source the clause's subject);
nothing inside what is credited to someone is counted (quotations, also for vague and anonymous cue
phrases, a labelled speaker's line, and for
learned cues the rest of the clause after an earlier cue, "Traynor said that while he was [opposed]",
or before ", X said."); a learned cue within two words of another ("responded by [noting]") is part
of it; a capitalised word inside a sentence ("the Supreme Court Rules Committee") is a name's, not a
cue, except in a headline line ("Rubio Wants A Wall", most words capitalised), which PolNeAR annotates;
a word after a determiner ("the show", "a view") is a noun, not a cue; a naming participle after a
common noun ("a play called ...", lexicon `attribution_naming_participles`) names a thing, not a cue.
Hedges: reporting-distance hedges ("allegedly", "reportedly", "is said to", "claims to"; lexicon
`hedges_reporting`) are counted apart from general modal hedges ("may", "could", "likely";
lexicon `hedges_modal`), both the writer's own: none inside a quotation or a transcript speaker's line.
The month "May" and the noun "might" are not hedges.
Uncertainty: a body sentence is `uncertain` when the weights of its word 1-3-grams and of its reporting
hedges, modal hedges and vague attributions, learned from WikiWeasel (lexicon `uncertainty_weights`, by
benchmarks/wikiweasel_hedges.py), add up to the learned cut; uncertain_sentence_share is their share
of body sentences (spans `uncertain_sentence`, labelled with the strongest cue).

Every lexicon is compiled once, at import, into one alternation regex.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress, count, islice, repeat
from typing import NamedTuple

from scoring.features import learned_cue_entries as cue_entries
from scoring.features.base import Document, FeatureRecord, Span, per_1k_words, share
from scoring.features.quote_marks import find_quote_spans
from scoring.features.quotes import find_quotes
from scoring.features.speakers import (
    DOCUMENT_NOUNS,
    SKIP_BEFORE_VERB,
    clause_start,
    noun_phrase_after,
    noun_phrase_before,
    sentence_subject,
    speech_verbs_in,
    verb_ok,
)
from scoring.lexicon import PhraseIndex, PhraseIndexes, load_lexicon, phrase_regex
from scoring.text import identity_cached, word_led_matches

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
_SECONDARY_PHRASES = tuple(c.split(":", 1)[1].strip() for c in _CUES if c.startswith("phrase:"))
SECONDARY_CUE_RE = phrase_regex(_SECONDARY_PHRASES)
# The same cues found from the body's words (a cue ending in ":" as its word, the colon checked after)
SECONDARY_CUES = PhraseIndex(tuple(c.rstrip(":") for c in _SECONDARY_PHRASES))
_COLON_CUES = frozenset(c.rstrip(":") for c in _SECONDARY_PHRASES if c.endswith(":"))
MEDIA_RE = phrase_regex(tuple(c.split(":", 1)[1].strip() for c in _CUES if c.startswith("media:")))
ANONYMOUS_RE = phrase_regex(load_lexicon("anonymous_sources"))
VAGUE_RE = phrase_regex(load_lexicon("vague_attributions"))
ANONYMOUS_CUES = PhraseIndex(load_lexicon("anonymous_sources"))  # the same phrases, from the words
VAGUE_CUES = PhraseIndex(load_lexicon("vague_attributions"))
REPORTING_HEDGES = PhraseIndex(load_lexicon("hedges_reporting"))  # the phrases, from the body's words
MODAL_HEDGES = PhraseIndex(load_lexicon("hedges_modal"))
# "according to " not inside a longer word; the look-behind comes after the first letter, so the search
# skips to each "a"/"A" by its character set instead of trying the look-behind at every character
ACCORDING_RE = re.compile(r"[Aa](?<![\w-].)(?i:ccording\s+to\s+)")
_PASSIVE_BEFORE_RE = re.compile(
    r"(?<!go on )(?<!went on )(?<!goes on )\b(?:is|was|were|are|been|be|being|to)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
_UNNAMED_HEAD_RE = re.compile(r"\b(?:\w+\s+){0,2}(?:familiar\s+with|close\s+to)\s+$", re.IGNORECASE)
_GO_ON_TO_RE = re.compile(r"(?:\b(?:did|does|do)\s+)?(?:\bhowever\s+)?\b(?:go|goes|went)\s+on\s+to\s+$", re.I)
_COORDINATED_BEFORE_RE = re.compile(r"\b(?:and|but)\s+(?:(?:also|then|later|again)\s+)?$")
_INVERTED_BEFORE_RE = re.compile(r"(?:[,”\"»]|'')\s*(?:(?:also|then|later|further|again)\s+)?$")
_SECONDARY_VERBS = {"report", "reports", "reported", "writes", "wrote"}
_MAY_AS_MODAL_NEXT = {"be", "have", "not", "also", "well", "soon", "never", "still", "yet"}
_MIGHT_NOUN_BEFORE = {"military", "economic", "naval", "its", "their", "his", "her", "our", "the", "all"}
_UNNAMED_SOURCE_RE = re.compile(r"(?i)(?:the\s+)?(?:sources?|officials?|insiders?)")
_QUOTED_BY_AFTER_RE = re.compile(r"\s*,\s*(?:quoted\s+by|citing)\b")
_WORDS_RE = re.compile(r"\w+")
_FULL_STOP_AFTER_RE = re.compile(r"\s*[.]")
_NEWLINE_RE = re.compile("\n")
_COMMA_END_RE = re.compile(r",\s*$")
_SENTENCE_END_IN_GAP_RE = re.compile(r"[.!?;:\n]")
_LEADING_WORDS_RE = re.compile(r"[\w’'.\-]+(?:\s+[\w’'.\-]+){0,3}")
_NEXT_WORD_RE = re.compile(r"\s+(\w+)")
_PREVIOUS_WORD_RE = re.compile(r"(\w+)\s+$")
_DIGIT_RE = re.compile(r"\d")
_IN_CONTENT_GAP_RE = re.compile(r"[ \t]+[^.!?;:,—–()\n“”\"]*")
_BEFORE_INVERTED_GAP_RE = re.compile(r"[^.!?;:\n“”\"]*,[ \t]*")
_ASKED_RE = re.compile(
    r"(?P<cue>[Aa](?<![\w-].)sked)(?:\s+(?P<by>by)\s+[^,.;:\n]{1,60}?)?"  # look-behind as ACCORDING_RE's
    r"(?=\s+(?:if|whether|what|how|why|who|when|where|about)\b)"
)
_SENTENCE_START_BEFORE_RE = re.compile(r"(?:^|[.!?\n“\"]\s*)$")
_ASKED_AFTER_RE = re.compile(r"(?:^|[.!?”\"]\s|\n|\b[Ww]hen\s|\b[Aa]fter\s|,\s)$")
_WORD_OR_JOINER_RE = re.compile(r"[\w’'-]")
_CUE_CHAIN_GAP_RE = re.compile(r"[ \t]+(?:[\w’'-]+[ \t]+){0,2}")
_POSSIBLE_NOT_HEDGE_RE = re.compile(r"\bas\s+$|\b(?:best|worst|only|every|all)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution: characters [start, end) of its source and cue, its type and source text, and the
    cue's own characters (the whole span when the cue is the phrase itself, "sources said")."""

    start: int
    end: int
    type: str
    source: str
    cue_start: int = -1
    cue_end: int = -1
    source_start: int = -1
    source_end: int = -1

    @property
    def cue(self) -> tuple[int, int]:
        """Characters of the cue (the verb, "according to", the cue phrase)."""
        return (self.cue_start, self.cue_end) if self.cue_start >= 0 else (self.start, self.end)

    @property
    def parts(self) -> tuple[tuple[int, int], ...]:
        """The cue and the source span (the whole span when they are not told apart)."""
        if self.cue_start < 0 or self.source_start < 0:
            return ((self.start, self.end),)
        return (self.cue, (self.source_start, self.source_end))


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the line holding pos (0 <= pos), by bisection in the text's newline positions:
    str.rfind back to the previous newline read the whole text per call on a one-line article."""
    newlines = _newlines(text)
    k = bisect_left(newlines, pos)
    return newlines[k - 1] + 1 if k else 0, newlines[k] if k < len(newlines) else len(text)


@identity_cached
def _newlines(text: str) -> list[int]:
    """Offsets of the text's newlines (kept for the last text: the extractors all ask, per verb and cue)."""
    return [m.start() for m in _NEWLINE_RE.finditer(text)]


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


_PASSIVE_LAST_WORDS = ("is", "was", "were", "are", "been", "be", "being", "to", "ly")
_INVERTED_LAST = (",", "”", '"', "»", "'", "also", "then", "later", "further", "again")


def _ends_like(before: str, endings: tuple[str, ...]) -> bool:
    """Whether the text, whitespace stripped at its end, can end with one of the (lower-case ASCII)
    endings as a case-insensitive regex reads them: a necessary test before a `...\\s+$` search, so
    the search runs only where it may match (an end with any non-ASCII letter always may)."""
    tail = before.rstrip()[-5:]
    return not tail.isascii() or tail.lower().endswith(endings)


def _passive_before(before: str) -> re.Match | None:
    """_PASSIVE_BEFORE_RE.search(before) ("is [reportedly] said"), searched only where it may match."""
    if not before[-1:].isspace() or not _ends_like(before, _PASSIVE_LAST_WORDS):
        return None
    return _PASSIVE_BEFORE_RE.search(before)


def _inverted_before(before: str) -> re.Match | None:
    """_INVERTED_BEFORE_RE.search(before) (", said X"), searched only where it may match."""
    return _INVERTED_BEFORE_RE.search(before) if before.rstrip().endswith(_INVERTED_LAST) else None


def _go_on_to_before(before: str) -> re.Match | None:
    """_GO_ON_TO_RE.search(before) ("did however go on to say"), searched only where it may match."""
    if not before[-1:].isspace() or not _ends_like(before, ("to",)):
        return None
    return _GO_ON_TO_RE.search(before)


def _is_participle(text: str, start: int, end: int) -> bool:
    """The cue text[start:end] opens with an -ing form ("stressing", "pointing to")."""
    return text[start:end].split(maxsplit=1)[0].lower().endswith("ing")


def _sharing(text: str, found: list[Attribution], line_start: int, verb_start: int) -> Attribution | None:
    """The last attribution found, when it lies in the same sentence before the verb with only a clause
    between ("the Council noted, adding"), whose source a participle cue shares; None otherwise."""
    if not found or found[-1].end > verb_start or found[-1].start < line_start:
        return None
    last = found[-1]
    return None if _SENTENCE_END_IN_GAP_RE.search(text, last.end, verb_start) else last


def speech_verb_attributions(text: str, quoted: list[tuple[int, int]]) -> list[Attribution]:
    """Attributions built on a speech verb: 'X said', ', says X', ', Caliber.Az reports.'."""
    found: list[Attribution] = []
    inside_quote = _Inside(quoted)
    for verb in speech_verbs_in(text, 0, len(text)):
        if verb.start() in inside_quote:
            continue  # a verb inside a quotation belongs to the quoted speaker's own words
        line_start, line_end = _line_bounds(text, verb.start())
        before = text[max(line_start, verb.start() - 200) : verb.start()]
        if _passive_before(before):
            continue
        inverted = _inverted_before(before) is not None
        if inverted and _is_participle(text, *verb.span()):
            # ", adding that ...", ", noting the ...": a participle's source is its clause's subject,
            # never the words after it; it shares the source (and type) of the attribution it follows
            shared = _sharing(text, found, line_start, verb.start())
            if shared is not None:
                found.append(Attribution(*verb.span(), shared.type, shared.source, *verb.span(),
                                         shared.source_start, shared.source_end))
            continue
        if inverted:
            src = noun_phrase_after(text, verb.end(), min(line_end, verb.end() + 200))
        else:
            sentence = clause_start(before)
            go_on = _go_on_to_before(before)  # "the statement did however go on to say"
            src = noun_phrase_before(
                text,
                verb.start() - len(before) + sentence,
                verb.start() - (len(go_on.group()) if go_on else 0),
            )
        if src is None and not inverted and _COORDINATED_BEFORE_RE.search(before):
            # "... criticized the policy and [said] allies wanted": a second verb of the clause's subject,
            # one more attribution (PolNeAR counts one per cue), its source that subject when found
            subject = sentence_subject(text, verb.start() - len(before) + clause_start(before), verb.start())
            found.append(Attribution(*verb.span(), NAMED, text[subject[0] : subject[1]] if subject else "",
                                     *verb.span(), *(subject or (-1, -1))))
            continue
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
        found.append(Attribution(start, end, kind, text[src[0] : src[1]], *verb.span(), *src))
    return found


def according_to_attributions(text: str) -> list[Attribution]:
    """'according to X': named, anonymous ('according to sources') or secondary ('the EFE agency')."""
    found = []
    for m in word_led_matches(ACCORDING_RE, text, "according"):
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
        cue_end = m.start() + len(m.group().rstrip())
        found.append(Attribution(m.start(), src[1], kind, text[src[0] : src[1]], m.start(), cue_end, *src))
    return found


def _secondary_cue_matches(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of the secondary-attribution cues ("as reported by", "Source:") in the body, found
    from its words: what SECONDARY_CUE_RE finds, without a scan of every character."""
    text = doc.body_text
    found = []
    for start, end in _phrase_matches(doc).secondary:
        cue = text[start:end].lower()
        if cue in _COLON_CUES:  # "Source:" must have its colon, and no word right after it
            if text[end : end + 1] != ":" or _WORD_OR_JOINER_RE.match(text, end + 1):
                continue
            end += 1
        found.append((start, end))
    return found


def secondary_cue_attributions(doc: Document) -> list[Attribution]:
    """'as reported by X', 'quoted by X', 'citing X', 'Source: X' (at a line start)."""
    text = doc.body_text
    found = []
    for m_start, m_end in _secondary_cue_matches(doc):
        line_start, line_end = _line_bounds(text, m_start)
        cue = text[m_start:m_end].lower()
        if cue.startswith("source") and text[line_start:m_start].strip():
            continue
        src = noun_phrase_after(
            text,
            m_end + len(text[m_end:line_end]) - len(text[m_end:line_end].lstrip()),
            min(line_end, m_end + 150),
        )
        if src is None:
            continue
        found.append(Attribution(m_start, src[1], SECONDARY, text[src[0] : src[1]], m_start, m_end, *src))
    return found


def anonymous_cue_attributions(
    doc: Document, quoted: list[tuple[int, int]] | None = None
) -> list[Attribution]:
    """Unnamed sources by their cue phrase ('officials familiar with', 'on condition of anonymity'),
    outside the `quoted` spans (what a speaker says is not the article's sourcing)."""
    text = doc.body_text
    inside_quote = _Inside(quoted or [])
    return [
        Attribution(start, end, ANONYMOUS, text[start:end])
        for start, end in _phrase_matches(doc).anonymous
        if start not in inside_quote
    ]


def vague_cue_attributions(
    doc: Document, quoted: list[tuple[int, int]] | None = None
) -> list[Attribution]:
    """Weasel-word sources by their cue phrase ('some experts say', 'critics argue', 'it is believed'),
    outside the `quoted` spans: a speaker's "so many people struggling" is not the article's sourcing."""
    text = doc.body_text
    inside_quote = _Inside(quoted or [])
    return [
        Attribution(start, end, VAGUE, text[start:end])
        for start, end in _phrase_matches(doc).vague
        if start not in inside_quote
    ]


NOT_SPEAKER_LABELS = frozenset(load_lexicon("attribution_line_labels"))
_LINE_SPEAKER_RE = re.compile(
    r"^[ \t]*(?P<who>[A-Z][\w.’'-]*(?:[ \t]+(?:[A-Z][\w.’'-]*|of|the|de|von|van)){0,4})[ \t]*:[ \t]+(?=\S)",
    re.MULTILINE,
)


def _line_speaker_matches(text: str) -> Iterator[re.Match[str]]:
    """_LINE_SPEAKER_RE.finditer(text), tried only at the start of each line holding a colon (every match
    has one, and none crosses a line end) instead of at every character (5 MB: ~2 ms against 40 ms)."""
    colon = text.find(":")
    while colon != -1:
        m = _LINE_SPEAKER_RE.match(text, text.rfind("\n", 0, colon) + 1)
        if m:
            yield m
        line_end = text.find("\n", colon)
        colon = -1 if line_end == -1 else text.find(":", line_end)


@lru_cache(maxsize=1)
def line_speakers(text: str) -> list[tuple[Attribution, tuple[int, int]]]:
    """Lines credited to a speaker or source by a leading label, as in transcripts ("TAPPER: Do you
    think...") and headlines ("Trump: Cruz Has 'To Come a Long Way'"): each attribution with the span of
    what it credits (the rest of the line), inside which no other attribution is counted. Kept for the
    last text (three callers per article; see text.lowered_text); callers must not change the list."""
    found = []
    for m in _line_speaker_matches(text):
        who = m.group("who")
        label = who.lower().replace("’", "'").rstrip(".")
        if label in NOT_SPEAKER_LABELS or label.startswith("the ") or _DIGIT_RE.match(text, m.end()):
            continue  # "Editor's Note:", "The Latest:", a tally ("Sanders: 46.")
        _, line_end = _line_bounds(text, m.start())
        colon = text.index(":", m.end("who"))
        attr = Attribution(m.start("who"), colon + 1, NAMED, who, colon, colon + 1, *m.span("who"))
        found.append((attr, (m.end(), line_end)))
    return found


def asked_attributions(text: str, quoted: list[tuple[int, int]]) -> list[Attribution]:
    """A question put to the source ("Asked if he was ever bullied, Trump said", "when asked by a
    reporter whether"): the asking is an attribution of its own, credited to the asker after "by"."""
    found = []
    inside_quote = _Inside(quoted)
    for m in word_led_matches(_ASKED_RE, text, "asked"):
        if m.start() in inside_quote or not _ASKED_AFTER_RE.search(text, max(0, m.start() - 6), m.start()):
            continue  # "Asked if ...", "when asked whether ...", not "she asked whether"
        _, line_end = _line_bounds(text, m.start())
        by = m.group("by")
        src = noun_phrase_after(text, m.end("by"), min(line_end, m.end("by") + 120)) if by else None
        if src is None:
            found.append(Attribution(m.start("cue"), m.end("cue"), NAMED, ""))
            continue
        found.append(Attribution(m.start("cue"), src[1], NAMED, text[src[0] : src[1]], *m.span("cue"), *src))
    return found


def quote_speaker_attributions(doc: Document) -> list[Attribution]:
    """Speakers of pull quotes and dash-attributed quotes (no speech verb): named attributions."""
    return [
        Attribution(q.speaker_span[0], q.speaker_span[1], NAMED, q.speaker)
        for q in find_quotes(doc)
        if q.speaker_span and q.verb_span is None and not q.inherited
    ]


_PRIORITY = {SECONDARY: 0, VAGUE: 1, ANONYMOUS: 2, NAMED: 3}


SUBJECT_GAP = SKIP_BEFORE_VERB | frozenset(load_lexicon("attribution_subject_gap"))
_STOP_WORDS = frozenset(load_lexicon("stop_words"))
SUBJECT_WORDS = frozenset({"he", "she", "they", "we", "i", "who", "it"})
SUBJECT_NOUNS = frozenset(load_lexicon("attribution_subject_nouns"))


def subject_before(text: str, words: list[tuple[int, int]], lowered: list[str], i: int) -> bool:
    """Whether word i follows its subject directly: a pronoun, "who" or a capitalised word (not a stop
    word such as "The"), with at
    most three auxiliaries or -ly adverbs between ("Trump wants", "she has long supported") and only
    spaces between the words."""
    j = i - 1
    for _ in range(4):
        if j < 0 or text[words[j][1] : words[j + 1][0]].strip():
            return False
        word = lowered[j]
        if word in SUBJECT_WORDS or word in SUBJECT_NOUNS or (
            text[words[j][0]].isupper() and word not in _STOP_WORDS
        ):
            return True  # a pronoun or a name ("Trump"), not a capitalised determiner ("The")
        if word not in SUBJECT_GAP and not word.endswith("ly"):
            return False
        j -= 1
    return False


CLAUSE_WORDS = frozenset({"that", "whether", "if", "how", "what", "why", "who", "when", "where"})
LINK_WORDS = frozenset({"and", "but", "to"})
PARTICIPLE_LINK_WORDS = frozenset({"by", "while", "after", "before", "when", "without", "in", "on"})


def link_before(text: str, words: list[tuple[int, int]], lowered: list[str], i: int) -> bool:
    """Whether word i is a verb whose subject is another clause's: right after "and", "but" or "to"
    ("and vowed", "refused to say"), or an -ing form right after a comma or a preposition (", calling
    for", "by offering", "while adding"); only spaces (and the comma) between."""
    j = i - 1
    if j < 0:
        return False
    gap = text[words[j][1] : words[i][0]]
    if not gap.strip():
        participle = lowered[i].endswith("ing")
        return lowered[j] in LINK_WORDS or (participle and lowered[j] in PARTICIPLE_LINK_WORDS)
    return gap.strip() == "," and lowered[i].endswith("ing")


def clause_after(text: str, words: list[tuple[int, int]], lowered: list[str], i: int) -> bool:
    """Whether word i is followed directly (only spaces between) by a word opening a clause ("found
    that", "asked whether", "explained how"): what a verb of saying, knowing or believing takes."""
    j = i + 1
    return j < len(words) and lowered[j] in CLAUSE_WORDS and not text[words[i][1] : words[j][0]].strip()


@dataclass(frozen=True)
class LearnedCues:
    """Cues learned from PolNeAR: phrases that are cues anywhere, words that are cues right after a
    subject ("Trump wants", "voters prefer"), and words that are cues right before a clause ("showed
    that"), each indexed by first word."""

    anywhere: PhraseIndex
    after_subject: PhraseIndex
    before_clause: PhraseIndex = PhraseIndex(())
    after_link: PhraseIndex = PhraseIndex(())

    def find(self, text: str, words: list[tuple[int, int]], lowered: list[str],
             word_starts: list[int] | None = None) -> list[tuple[int, int]]:
        """(start, end) of the cues in the text: every phrase of `anywhere`, every word of
        `after_subject` that follows its subject and every word of `before_clause` before a clause
        (`word_starts`: the words' starts, ascending, when the caller has them)."""
        return self.select(text, words, lowered, word_starts, self.anywhere.find(text, words, lowered),
                           self.after_subject.find(text, words, lowered),
                           self.before_clause.find(text, words, lowered),
                           self.after_link.find(text, words, lowered))

    def select(self, text: str, words: list[tuple[int, int]], lowered: list[str],
               word_starts: list[int] | None, found: list[tuple[int, int]], later: list[tuple[int, int]],
               before: list[tuple[int, int]], linked: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """`find` given the matches of the four indexes (anywhere, after a subject, before a clause,
        after a link word): those that hold in their context."""
        if not (found or later or before or linked):
            return found
        starts = [start for start, _ in words] if word_starts is None else word_starts
        found = [s for s in found if cue_context_ok(lowered, bisect_left(starts, s[0]))]
        after = [s for s in later if subject_before(text, words, lowered, bisect_left(starts, s[0]))]
        seen = set(after)
        after += [s for s in before
                  if s not in seen and clause_after(text, words, lowered, bisect_left(starts, s[0]))]
        seen = set(after)
        after += [s for s in linked
                  if s not in seen and link_before(text, words, lowered, bisect_left(starts, s[0]))]
        return found + after


NOT_CUE_AFTER = frozenset({"a", "an", "the", "this", "these", "those", "every", "each"})


def cue_context_ok(lowered: list[str], i: int) -> bool:
    """Whether word i can open a cue learned to hold anywhere: not a noun after a determiner ("the
    show", "a view", "this report"), where the same word is not the cue of an attribution."""
    return i == 0 or lowered[i - 1] not in NOT_CUE_AFTER


def title_cased(text: str, start: int) -> bool:
    """Whether the word at `start` is capitalised inside a sentence ("Mr. Rubio Wants", "Supreme Court
    Rules"): a name's word, not a cue; inside a headline line ("Bernie Sanders Says He Would Win", most of
    its words capitalised) a capitalised word may be a cue, as PolNeAR annotates headlines."""
    if not text[start].isupper() or _SENTENCE_START_BEFORE_RE.search(text, max(0, start - 3), start):
        return False
    return not headline_line(text, start)


_LONG_WORD_RE = re.compile(r"[^\W\d_][\w’'-]{3,}")


def headline_line(text: str, pos: int) -> bool:
    """Whether the line holding pos is a headline: at most 25 words, most of its words of four or more
    letters capitalised ("Bernie Sanders Says He's Already Started Writing His Inaugural")."""
    line_start, line_end = _line_bounds(text, pos)
    # at most 26 words found: a 26th already rules the line out, and a long line is not read to its end
    # (findall over it, once per cue, was quadratic in the length of a one-line article)
    long_words = list(islice(_LONG_WORD_RE.finditer(text, line_start, line_end), 26))
    if not 2 <= len(long_words) <= 25:
        return False
    return sum(text[m.start()].isupper() for m in long_words) >= 0.75 * len(long_words)


@cache
def _all_indexes(learned: LearnedCues, fixed: PhraseIndex) -> PhraseIndexes:
    """The phrase indexes of one article's attribution pass, searched together (see `_phrase_matches`)."""
    return PhraseIndexes((learned.anywhere, learned.after_subject, learned.before_clause, learned.after_link,
                          SECONDARY_CUES,
                          ANONYMOUS_CUES, VAGUE_CUES, REPORTING_HEDGES, MODAL_HEDGES, fixed))


class _Matches(NamedTuple):
    """The matches of every phrase index in the body (each as its own `find` gives them)."""

    anywhere: list[tuple[int, int]]
    after_subject: list[tuple[int, int]]
    before_clause: list[tuple[int, int]]
    after_link: list[tuple[int, int]]
    secondary: list[tuple[int, int]]
    anonymous: list[tuple[int, int]]
    vague: list[tuple[int, int]]
    reporting: list[tuple[int, int]]
    modal: list[tuple[int, int]]
    fixed: list[tuple[int, int]]


def _phrase_matches(doc: Document, learned: LearnedCues | None = None,
                    fixed: PhraseIndex | None = None) -> _Matches:
    """Every lexicon phrase of the body (learned cues, secondary, anonymous and vague cues, reporting and
    modal hedges, the uncertainty model's fixed lists) in one pass over its words, kept for the last
    document: the extractors of one article all ask (see text.lowered_text). Callers must not change
    the lists."""
    return _phrase_matches_of(doc, learned or learned_cues(), fixed or uncertainty_cues().fixed)


@lru_cache(maxsize=1)
def _phrase_matches_of(doc: Document, learned: LearnedCues, fixed: PhraseIndex) -> _Matches:
    return _Matches(*_all_indexes(learned, fixed).find(doc.body_text, doc.body_words, doc.body_lowered))


NAMING_PARTICIPLES = frozenset(load_lexicon("attribution_naming_participles"))
_NAME_AFTER_RE = re.compile(r"[ \t]+(?:the[ \t]+)?[“\"'A-Z]")
_NOUN_BEFORE_RE = re.compile(r"(?<![\w’'-])([a-z]{3,})[ \t]+$")
_NOT_NOUNS_BEFORE_NAMING = SUBJECT_WORDS | SUBJECT_GAP | frozenset({"what", "which", "that", "whom"})


def naming_cue(text: str, start: int, end: int) -> bool:
    """Whether the cue at text[start:end] is a naming participle after a common noun ("a play [called]
    "Sons of Trump"", "a group [named] Stop Trump"): it names a thing, not an attribution's cue."""
    if text[start:end].lower() not in NAMING_PARTICIPLES or not _NAME_AFTER_RE.match(text, end):
        return False
    noun = _NOUN_BEFORE_RE.search(text, max(0, start - 40), start)
    word = noun.group(1) if noun else ""
    return bool(word) and word not in _NOT_NOUNS_BEFORE_NAMING and not word.endswith("ly")


def learned_cue_attributions(
    doc: Document, quoted: list[tuple[int, int]], cues: LearnedCues, taken: _Taken | None = None
) -> list[Attribution]:
    """Attributions on a cue learned from PolNeAR ("officials fear", "the report found", "X believes"),
    outside quotations, with the source before the cue in its clause (else after it) when one is found.
    With `taken` (the attributions kept so far), only the cues `_accepted` would keep beside them, in
    the order found: a cue chained to or overlapping a kept one is dropped before its source is sought
    (the source search is the costly part), and each one kept is added to `taken`."""
    text = doc.body_text
    words = doc.body_words
    found = []
    inside_quote = _Inside(quoted)
    matches = _phrase_matches(doc, cues)
    lowered = doc.body_lowered
    for start, end in cues.select(text, words, lowered, doc.body_word_starts, matches.anywhere,
                                  matches.after_subject, matches.before_clause, matches.after_link):
        if start in inside_quote or title_cased(text, start) or naming_cue(text, start, end):
            continue
        cue = (start, end)
        if taken is not None and (_chained(text, taken, cue) or taken.hits_cue_alone(cue)):
            continue  # what `_accepted` drops on the cue alone, whatever the source
        line_start, line_end = _line_bounds(text, start)
        before = text[max(line_start, start - 200) : start]
        src = noun_phrase_before(text, start - len(before) + clause_start(before), start)
        if src is None and _inverted_before(before) and not _is_participle(text, start, end):
            # "…,” believes Smith": the source follows (never after ", stressing that …")
            src = noun_phrase_after(text, end, min(line_end, end + 120))
        if src is None:  # what follows another cue is what it credits or its object ("accused Moscow")
            attr = Attribution(start, end, NAMED, "")
        else:
            span = (min(src[0], start), max(src[1], end))
            kind = _source_type(text, src, line_end)
            attr = Attribution(*span, kind, text[src[0] : src[1]], start, end, *src)
        if taken is not None:
            if taken.conflicts(attr):
                continue
            taken.add(attr)
        found.append(attr)
    return found


@cache
def learned_cues(learned: tuple[str, ...] | None = None) -> LearnedCues:
    """The attribution cues learned from PolNeAR (lexicon `attribution_cues_learned`, or `learned` when
    cross-validating): entries "after-subject: WORD" hold only after a subject, "before-clause: WORD"
    only before a clause, "after-link: WORD" only after a link word (`link_before`), the others anywhere."""
    groups = cue_entries.by_context(load_lexicon("attribution_cues_learned") if learned is None else learned)
    return LearnedCues(*(PhraseIndex(groups[context]) for context in cue_entries.CONTEXTS))


class _Taken:
    """The cues and sources of the attributions kept so far, for overlap tests by bisection: cues never
    overlap each other; sources may (one source, several cues: "he said, adding ...")."""

    def __init__(self) -> None:
        self.cue_starts: list[int] = []
        self.cue_ends: list[int] = []
        self.span_starts: list[int] = []
        self.part_starts: list[int] = []
        self.part_ends: list[int] = []
        self.longest = 0

    def _hits_part(self, span: tuple[int, int]) -> bool:
        i = bisect_left(self.part_starts, span[1])
        while i > 0 and self.part_starts[i - 1] >= span[0] - self.longest:
            i -= 1
            if self.part_ends[i] > span[0]:
                return True
        return False

    def _hits_cue(self, span: tuple[int, int]) -> bool:
        i = bisect_left(self.cue_starts, span[1])
        return i > 0 and self.cue_ends[i - 1] > span[0]

    def hits_cue_alone(self, cue: tuple[int, int]) -> bool:
        """A cue at these characters conflicts whatever its source: it overlaps a kept cue or source."""
        return self._hits_part(cue) or self._hits_cue(cue)

    def conflicts(self, attr: Attribution) -> bool:
        """The attribution's cue overlaps a kept cue or source, or a kept cue overlaps its source."""
        return self._hits_part(attr.cue) or any(self._hits_cue(part) for part in attr.parts)

    def add(self, attr: Attribution) -> None:
        i = bisect_left(self.cue_starts, attr.cue[0])
        self.cue_starts.insert(i, attr.cue[0])
        self.cue_ends.insert(i, attr.cue[1])
        self.span_starts.insert(i, attr.start)
        for start, end in attr.parts:
            i = bisect_left(self.part_starts, start)
            self.part_starts.insert(i, start)
            self.part_ends.insert(i, end)
            self.longest = max(self.longest, end - start)


def _chained(text: str, taken: _Taken, cue: tuple[int, int]) -> bool:
    """Whether a kept cue lies within a few words of this one, with no punctuation between: one cue of
    several words ("responded by saying", "refused to say", "said he wants"), one attribution."""
    i = bisect_left(taken.cue_starts, cue[0])
    if i > 0 and _CUE_CHAIN_GAP_RE.fullmatch(text, taken.cue_ends[i - 1], cue[0]):
        return True
    if i > 0 and _in_content_gap(text, taken.cue_ends[i - 1], cue[0]):
        return True  # "Traynor said that while he was [opposed] to Trump": inside what was said
    if i == len(taken.cue_starts):
        return False
    if _CUE_CHAIN_GAP_RE.fullmatch(text, cue[1], taken.cue_starts[i]):
        return True
    # "Voters [want] change, Smith said.": inside what an attribution after it, set off by a comma, credits
    return _before_inverted_gap(text, cue[1], taken.span_starts[i])


# A gap longer than this is tested by bisection in the text's break characters instead of by the gap's
# regex, which reads the whole gap: on a text without sentence punctuation ("said said said ...") every
# cue's gap to a far kept cue was read, quadratic in the text (1 MB: minutes). Same answers either way.
_LONG_GAP = 400
_IN_CONTENT_BREAK_RE = re.compile(r"[.!?;:,—–()\n“”\"]")  # what _IN_CONTENT_GAP_RE's gap may not hold
_INVERTED_BREAK_RE = re.compile(r"[.!?;:\n“”\"]")  # what _BEFORE_INVERTED_GAP_RE's gap may not hold


@identity_cached
def _in_content_breaks(text: str) -> list[int]:
    return [m.start() for m in _IN_CONTENT_BREAK_RE.finditer(text)]


@identity_cached
def _inverted_breaks(text: str) -> list[int]:
    return [m.start() for m in _INVERTED_BREAK_RE.finditer(text)]


def _holds_none(breaks: list[int], start: int, end: int) -> bool:
    """Whether no offset of `breaks` (sorted) lies in [start, end)."""
    k = bisect_left(breaks, start)
    return k == len(breaks) or breaks[k] >= end


def _in_content_gap(text: str, start: int, end: int) -> bool:
    """`_IN_CONTENT_GAP_RE.fullmatch(text, start, end)`: spaces, then no sentence or clause break."""
    if end - start <= _LONG_GAP:
        return _IN_CONTENT_GAP_RE.fullmatch(text, start, end) is not None
    return text[start] in " \t" and _holds_none(_in_content_breaks(text), start, end)


def _before_inverted_gap(text: str, start: int, end: int) -> bool:
    """`_BEFORE_INVERTED_GAP_RE.fullmatch(text, start, end)`: no sentence break, then a comma and spaces."""
    if end - start <= _LONG_GAP:
        return _BEFORE_INVERTED_GAP_RE.fullmatch(text, start, end) is not None
    comma = end
    while comma > start and text[comma - 1] in " \t":
        comma -= 1
    comma -= 1
    return comma >= start and text[comma] == "," and _holds_none(_inverted_breaks(text), start, comma)


class CueFilter:
    """Whether a cue found in a text would be counted beside given attributions (not chained to one of
    their cues, not inside what they credit, not overlapping them): what the cue learner counts."""

    def __init__(self, text: str, kept: list[Attribution]) -> None:
        self.text = text
        self.taken = _Taken()
        for attr in kept:
            self.taken.add(attr)

    def counts(self, cue: tuple[int, int]) -> bool:
        """Whether a cue at these characters would be counted."""
        taken = self.taken
        return not (_chained(self.text, taken, cue) or taken.hits_cue_alone(cue))


def _accepted(
    kept: list[Attribution], candidates: list[Attribution], text: str | None = None
) -> list[Attribution]:
    """The candidates (in order) whose cue overlaps no cue or source of the kept attributions or of the
    candidates accepted before them, and whose source holds no such cue: one attribution per cue, as
    PolNeAR counts them; two cues may share a source."""
    taken = _Taken()
    for attr in kept:
        taken.add(attr)
    accepted = []
    for cand in candidates:
        if text is not None and _chained(text, taken, cand.cue):
            continue
        if not taken.conflicts(cand):
            taken.add(cand)
            accepted.append(cand)
    return sorted(accepted, key=lambda a: (a.start, a.end))


@lru_cache(maxsize=1)
def quoted_spans(text: str) -> list[tuple[int, int]]:
    """What others are credited with saying, where no attribution of the article's own is counted: the
    quotations' contents and the lines of a labelled speaker ("TAPPER: ..."). Kept for the last
    text (see text.lowered_text); callers must not change the list."""
    quoted = [(c_start, c_end) for _, _, c_start, c_end in find_quote_spans(text)]
    return quoted + [turn for _, turn in line_speakers(text)]


def find_attributions(doc: Document) -> list[Attribution]:
    """All rule-based attributions of the body, overlaps merged (secondary > vague > anonymous > named)."""
    text = doc.body_text
    quoted = quoted_spans(text)
    candidates = (
        [attr for attr, _ in line_speakers(text)]
        + secondary_cue_attributions(doc)
        + according_to_attributions(text)
        + anonymous_cue_attributions(doc, quoted)
        + vague_cue_attributions(doc, quoted)
        + speech_verb_attributions(text, quoted)
        + quote_speaker_attributions(doc)
    )
    candidates.sort(key=lambda a: (_PRIORITY[a.type], a.start))
    return _accepted([], candidates)


def find_cue_attributions(
    doc: Document, rule_based: list[Attribution], cues: LearnedCues | None = None
) -> list[Attribution]:
    """Attributions on the cues learned from PolNeAR that no rule-based attribution overlaps (PolNeAR's
    broader notion: belief, knowledge and stance cues), in text order."""
    quoted = quoted_spans(doc.body_text)
    asked = _accepted(rule_based, asked_attributions(doc.body_text, quoted))
    taken = _Taken()
    for attr in rule_based + asked:
        taken.add(attr)
    learned = learned_cue_attributions(doc, quoted, cues or learned_cues(), taken)
    return sorted(asked + learned, key=lambda a: (a.start, a.end))


def _modal_is_hedge(text: str, start: int, end: int) -> bool:
    """The modal-hedge phrase at text[start:end] is a hedge here (not the month May, 'the might of')."""
    word = text[start:end]
    if word == "May" or word == "MAY":
        nxt = _NEXT_WORD_RE.match(text[end : end + 20])
        before = start - 1  # the last character before "May" that is not a space or tab
        while before >= 0 and text[before] in " \t":
            before -= 1
        sentence_start = before < 0 or text[before] in '.!?\n“"'
        return bool(sentence_start and nxt and nxt.group(1).lower() in _MAY_AS_MODAL_NEXT)
    low = word.lower()
    if low == "might":
        prev = _PREVIOUS_WORD_RE.search(text[max(0, start - 30) : start])
        return not (prev and prev.group(1).lower() in _MIGHT_NOUN_BEFORE)
    if low == "possible":
        return not _POSSIBLE_NOT_HEDGE_RE.search(text[max(0, start - 12) : start])
    return True


def find_hedges(doc: Document) -> tuple[list[Span], list[Span]]:
    """Reporting-distance hedges and modal hedges of the body, as spans: the writer's own, none inside
    what is credited to someone (`quoted_spans`: a quotation, a transcript speaker's line), where the
    hedge is the speaker's ("...which Russia claims to uphold," the statement read)."""
    text, matches = doc.body_text, _phrase_matches(doc)
    quoted = _Inside(quoted_spans(text))
    reporting = [Span(start, end, "hedge", text[start:end].lower())
                 for start, end in matches.reporting if start not in quoted]
    modal = [Span(start, end, "modal_hedge", text[start:end].lower())
             for start, end in matches.modal if start not in quoted and _modal_is_hedge(text, start, end)]
    return reporting, modal


REPORTING_FEATURE, MODAL_FEATURE, VAGUE_FEATURE = "<reporting hedge>", "<modal hedge>", "<vague attribution>"
_MAX_GRAM = 3  # uncertainty features: word 1-3-grams inside a sentence, no punctuation between the words


class UncertaintyModel(NamedTuple):
    """The `uncertain` flag's linear model: weights of word n-grams and of the fixed lists' cues."""

    weights: dict[str, float]  # n-gram (or REPORTING_FEATURE, MODAL_FEATURE, VAGUE_FEATURE) -> weight
    unigrams: frozenset[str]  # the weighted single words
    pairs: frozenset[tuple[str, str]]  # the first two words of every weighted 2- or 3-gram
    intercept: float
    cut: float  # a sentence is uncertain when intercept + its features' weights >= cut
    fixed: PhraseIndex  # reporting hedges, modal hedges and vague attributions
    kinds: dict[str, str]  # a fixed-list phrase (lower-cased) -> its feature


@cache
def uncertainty_cues(learned: tuple[tuple[str, float], ...] | None = None) -> UncertaintyModel:
    """The `uncertain` flag's model: per-feature weights learned from WikiWeasel by an L1 logistic
    regression (lexicon `uncertainty_weights`: "feature<TAB>weight" lines, `<intercept>` and `<cut>`
    among them), or `learned` when cross-validating; the reporting-hedge, modal-hedge and vague-attribution
    lists give three of its features."""
    if learned is None:
        learned = tuple(_weight_entry(e) for e in load_lexicon("uncertainty_weights"))
    weights = dict(learned)
    intercept, cut = weights.pop("<intercept>", 0.0), weights.pop("<cut>", 0.0)
    kinds = {" ".join(e.lower().split()): feature for name, feature in (
        ("vague_attributions", VAGUE_FEATURE), ("hedges_modal", MODAL_FEATURE),
        ("hedges_reporting", REPORTING_FEATURE)) for e in load_lexicon(name)}
    return UncertaintyModel(weights, frozenset(g for g in weights if " " not in g),
                            frozenset(tuple(g.split(" ")[:2]) for g in weights if " " in g),  # type: ignore[misc]
                            intercept, cut,
                            PhraseIndex(tuple(kinds)), kinds)


def _weight_entry(entry: str) -> tuple[str, float]:
    feature, weight = entry.rsplit("\t", 1)
    return feature.strip(), float(weight)


def uncertainty_features(doc: Document, model: UncertaintyModel | None = None,
                         every_gram: bool = False) -> list[dict[str, str]]:
    """Per body sentence, its uncertainty features (feature -> the text it was found as): the word
    1-3-grams the model weighs (with `every_gram`, all of them, for learning) and the fixed lists' cues;
    n-grams only of words inside one sentence with nothing but whitespace between them."""
    model = model or uncertainty_cues()
    text, words, low = doc.body_text, doc.body_words, doc.body_lowered
    sentences = doc.body_sentences
    word_starts = doc.body_word_starts
    starts = [s for s, _ in sentences]
    weights, unigrams = model.weights, model.unigrams
    found: list[dict[str, str]] = []
    for start, end in sentences:
        sentence_words = low[bisect_left(word_starts, start) : bisect_left(word_starts, end)]
        grams = set(sentence_words) if every_gram else unigrams.intersection(sentence_words)
        found.append(dict(zip(grams, grams, strict=True)))
    # Word pairs that begin a weighted 2- or 3-gram, found in one C-level pass over the body's words.
    pairs = zip(low, low[1:], strict=False)
    heads = range(len(low) - 1) if every_gram else compress(count(), map(model.pairs.__contains__, pairs))
    for i in heads:
        k = bisect_right(starts, words[i][0]) - 1
        if k < 0:
            continue
        end = sentences[k][1]
        gram = low[i]
        for j in range(i + 1, min(len(low), i + _MAX_GRAM)):
            if words[j][1] > end or text[words[j - 1][1] : words[j][0]].strip():
                break
            gram = f"{gram} {low[j]}"
            if every_gram or gram in weights:
                found[k][gram] = gram
    for start, stop in _phrase_matches(doc, None, model.fixed).fixed:
        k = bisect_right(starts, start) - 1
        if k >= 0 and stop <= sentences[k][1]:
            cue = text[start:stop].lower()
            feature = model.kinds[" ".join(cue.split())]
            if feature != MODAL_FEATURE or _modal_is_hedge(text, start, stop):
                found[k].setdefault(feature, cue)
    return found


def uncertain_sentences(doc: Document, cues: UncertaintyModel | None = None) -> list[Span]:
    """Body sentences whose uncertainty evidence (the learned weights of their n-grams and fixed-list cues,
    summed) reaches the model's cut, as spans labelled with their strongest cue."""
    model = cues or uncertainty_cues()
    weights, zeros = model.weights, repeat(0.0)
    flagged = []
    for sentence, features in zip(doc.body_sentences, uncertainty_features(doc, model), strict=True):
        if not features:
            continue
        if model.intercept + sum(map(weights.get, features, zeros)) >= model.cut:
            strongest = max(sorted(features), key=lambda f: weights.get(f, 0.0))
            flagged.append(Span(*sentence, "uncertain_sentence", features[strongest]))
    return flagged


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
