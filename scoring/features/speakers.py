"""The speaker and source grammar that quotes and attribution share: speech verbs, noun phrases before
and after a cue, clause starts, and the speaker of a quotation next to it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import islice

import ahocorasick_rs

from scoring.lexicon import load_lexicon, phrase_alternation
from scoring.settings import SETTINGS
from scoring.text import (
    FOLDS_TO_ASCII_RE,
    blank_ends,
    identity_cached,
    lowered_text,
    name_abbreviations,
    regex_lowered,
)

QUOTES = SETTINGS.quotes


SPEECH_VERBS = phrase_alternation(load_lexicon("speech_verbs"))
SPEECH_VERB_RE = re.compile(rf"(?<![\w’'-])(?:{SPEECH_VERBS})(?![\w’'-])", re.IGNORECASE)
_VERB_FIRST_WORDS = {entry.lower().split()[0] for entry in load_lexicon("speech_verbs")}
# Where a speech verb can start: one of the entries' first words at a word boundary of the lower-cased
# text (a first word that has another as its prefix is found by that one: "says" by "say"). Each word's
# proper prefixes are looked up (0.2 ms at import, against 13 ms for testing every pair of words).
_VERB_ROOTS = tuple(
    word for word in _VERB_FIRST_WORDS if not any(word[:k] in _VERB_FIRST_WORDS for k in range(1, len(word)))
)
_ADVERB = r"(?:(?:also|then|later|further|again)\s+)?"
_INVERTED_RE = re.compile(rf"{_ADVERB}(?P<v>{SPEECH_VERBS})\s+", re.IGNORECASE)  # ', says X'
_LATE_INVERTED_RE = re.compile(rf",\s+{_ADVERB}(?P<v>{SPEECH_VERBS})\s+", re.IGNORECASE)  # '..., also said X'

PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}
DETERMINERS = frozenset(load_lexicon("speaker_determiners"))
CONNECTORS = {"of", "for", "and", "the", "de", "del", "da", "von", "van", "al", "bin", "la", "le", "&"}
NP_STOP = frozenset(load_lexicon("speaker_np_stop"))
SKIP_BEFORE_VERB = frozenset(load_lexicon("speaker_skip_before_verb"))
TIME_ADJUNCT_WORDS = frozenset(w.lower() for w in load_lexicon("speaker_time_adjuncts"))
WEEKDAYS = frozenset(w for w in TIME_ADJUNCT_WORDS if w.endswith("day"))
DOCUMENT_NOUNS = frozenset(load_lexicon("document_nouns"))
# Verb forms that are also common nouns ("member states", "insurance claims"): they count as speech
# verbs only after a name, pronoun or auxiliary, or when "that", ":" or a quote mark follows.
NOUN_LIKE = frozenset(load_lexicon("speech_verbs_noun_like"))
ADJECTIVE_AFTER = frozenset(load_lexicon("speech_verbs_adjective_after"))
_TOKEN_RE = re.compile(r"[\w’'.\-&]+|[^\w\s]")
_WORD_START_RE = re.compile(r"[\w]")
_SENTENCE_START_BEFORE_RE = re.compile(r"(?:^|[.!?\n“\"]\s*)$")
_THAT_COLON_OR_QUOTE_RE = re.compile(r"\s*(?:that\b|:|[“\"«])")
_ADD_NOT_SPEECH_RE = re.compile(r"\s+(?:to\b|up\b|\d|\$)")
_LAST_TOKEN_RE = re.compile(r"(\S+)\s+$")
_POSSESSIVE_END_RE = re.compile(r"\w[’']s?$")
_NUMBER_RE = re.compile(r"\d[\d,.]*")
_HAS_CONTRACTED = frozenset({"who", "that", "there", "what"})  # "who's claimed": "who has", not a possessive
_CLAUSE_BREAK_RE = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])|[”\"]|''")
_SENTENCE_BREAK_RE = re.compile(r"[.!?][”\"’']*\s+(?=[A-Z“\"'])")
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
_PASSIVE_END_RE = re.compile(r"\b(?:is|was|were|are|been|be|being|to)\s+$", re.IGNORECASE)
_ACCORDING_TO_RE = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
_AFTER_QUOTE_VERBS = phrase_alternation(load_lexicon("speech_verbs_after_quote"))  # '“...,” he continued'
_AFTER_QUOTE_VERB_RE = re.compile(rf"(?<![\w’'-])(?:{_AFTER_QUOTE_VERBS})(?![\w’'-])", re.IGNORECASE)
# the sentence mark a quotation ends with, inside its closing mark(s): “... now.” / ''... now.'' / “...?”
_INNER_END_RE = re.compile(r"([.!?])[’'”\"»]+$")
_NEXT_WORD_RE = re.compile(r"[\s’']*(?:(?:has|have|had|also|then|later)\s+)*([a-z]+(?:\s+(?:out|back|on))?)")
_LAST_WORD_RE = re.compile(r"(?<=\s)[a-z]+$")
_ASKED_RE = re.compile(r"ask(?:s|ed)?", re.IGNORECASE)  # “...?” asked X: after a question, X asked it


def _tokens(text: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN_RE.finditer(text)]


def _first_tokens(text: str, start: int, end: int, count: int) -> list[tuple[str, int, int]]:
    """The first `count` tokens of text[start:end], read without tokenising the rest of the range
    (the token pattern has no look-around, so matching inside the range equals matching its slice)."""
    return [(m.group(), m.start(), m.end()) for m in islice(_TOKEN_RE.finditer(text, start, end), count)]


def _is_word(tok: str) -> bool:
    return bool(_WORD_START_RE.match(tok))


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit()


_NP_AFTER_TOKENS = 11  # noun_phrase_after looks at its first token, nine more and the one after those


def noun_phrase_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The source phrase starting at text[start:] (a pronoun, "the …" phrase or a capitalised name
    with connectors such as "EU High Representative for Foreign and Security Policy Josep Borrell")."""
    toks = _first_tokens(text, start, end, _NP_AFTER_TOKENS)
    if not toks or not _is_word(toks[0][0]):
        return None
    first = toks[0][0].lower()
    if first in PRONOUNS:
        return toks[0][1], toks[0][2]
    if first == "that":  # "said that the talks …": a clause follows, not its source
        return None
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
    cut = end - _NP_BEFORE_TAIL_CHARS
    if cut > start:  # the tokens of the range's tail (its first, perhaps cut, token dropped) mostly do
        found = _noun_phrase_before(text, start, cut, end, truncated=True)
        if found != _NEED_MORE_TOKENS:
            return found
    return _noun_phrase_before(text, start, start, end, truncated=False)


_NP_BEFORE_TAIL_CHARS = 80
_CONNECTORS_BUT_THE = frozenset(CONNECTORS - {"the"})  # the unions and differences the rules test, built once
_NP_STOP_OR_DETERMINER = NP_STOP | DETERMINERS
_NEED_MORE_TOKENS = (-1, -1)  # a sentinel, compared by value: no phrase starts at -1 (mypyc unboxes tuples)


class _OffsetsFromEnd:
    """Start offsets of a range's tokens (as strings, from one C-level findall), found only for the
    tokens an answer needs, walking back from the range's end: tokens are separated by nothing but
    whitespace, so the last occurrence of a token's text before the next token's start is the token."""

    __slots__ = ("text", "words", "low", "pos", "next", "starts")

    def __init__(self, text: str, words: list[str], low: int, end: int) -> None:
        self.text, self.words, self.low, self.pos = text, words, low, end
        self.next = len(words) - 1
        self.starts: dict[int, int] = {}

    def start(self, index: int) -> int:
        while self.next >= index:
            self.pos = self.text.rfind(self.words[self.next], self.low, self.pos)
            self.starts[self.next] = self.pos
            self.next -= 1
        return self.starts[index]

    def end(self, index: int) -> int:
        return self.start(index) + len(self.words[index])


def _before_time_adjunct(words: list[str], first_kept: int, n: int) -> int:
    """n less a time adjunct ending words[:n] ("[Trump] on Monday", "[officials] late Tuesday night"),
    with the auxiliaries or adverbs before it: the source is before the adjunct, never a weekday."""
    m = n
    while m > first_kept and words[m - 1].lower() in TIME_ADJUNCT_WORDS:
        m -= 1
    if m == n or m == first_kept or not any(w.lower() in WEEKDAYS for w in words[m:n]):
        return n
    while m > first_kept and words[m - 1].lower() in SKIP_BEFORE_VERB:
        m -= 1
    return m


def _noun_phrase_before(text: str, start: int, low: int, end: int, truncated: bool) -> tuple[int, int] | None:
    """noun_phrase_before on the tokens of text[low:end]; when they are only the range's tail
    (`truncated`), _NEED_MORE_TOKENS wherever the answer could depend on a token before them: the ")"
    rule looks 10 tokens back, the comma rule 16, the phrase itself 9."""
    words = _TOKEN_RE.findall(text, low, end)
    offsets = _OffsetsFromEnd(text, words, low, end)
    first_kept = 1 if truncated else 0  # a tail's first token may be cut: it is never read
    n = len(words)  # the tokens kept are words[first_kept:n]
    while n > first_kept and words[n - 1].lower() in SKIP_BEFORE_VERB:
        n -= 1
    n = _before_time_adjunct(words, first_kept, n)
    if truncated and n - first_kept < 10:
        return _NEED_MORE_TOKENS
    if n > first_kept and words[n - 1] == ")":  # "Sen. Mitch McConnell (R-Ky.) [said]"
        opening = [i for i in range(first_kept, n) if words[i] == "("]
        if opening and n - opening[-1] <= 10:
            n = opening[-1]
    if n > first_kept and words[n - 1].lower() == "who":
        n -= 1
        if n > first_kept and words[n - 1] == ",":
            n -= 1
    if truncated and n - first_kept < (16 if n > first_kept and words[n - 1] == "," else 9):
        return _NEED_MORE_TOKENS
    if n > first_kept and words[n - 1] == ",":  # "Dick Dever, who was listed on the slate, [told]"
        commas = [i for i in range(first_kept, n - 1) if words[i] == ","]
        if commas and n - 1 - commas[-1] <= 14:
            head = noun_phrase_before(text, start, offsets.start(commas[-1]))
            if head and _is_cap(text[head[0]]):
                return head
        return None
    if n <= first_kept or not _is_word(words[n - 1]) or words[n - 1].lower() in CONNECTORS:
        return None
    if words[n - 1].lower() in PRONOUNS:
        return offsets.start(n - 1), offsets.end(n - 1)
    first_taken = n  # the phrase is words[first_taken:n]
    index = n - 1
    while index >= first_kept:
        tok = words[index]
        low_tok = tok.lower()
        if not _is_word(tok) or (low_tok in NP_STOP and low_tok not in CONNECTORS) or low_tok in PRONOUNS:
            break
        if n - first_taken >= 8 or SPEECH_VERB_RE.fullmatch(tok):
            break
        first_taken = index
        if low_tok in DETERMINERS:
            before = words[index - 1].lower() if index - 1 >= first_kept else ""
            if before not in {"of", "for"}:  # "the head of [the European Union]" continues
                break
        index -= 1
    while first_taken < n and (
        words[first_taken].lower() in _CONNECTORS_BUT_THE or words[first_taken].lower() in SKIP_BEFORE_VERB
    ):
        first_taken += 1
    if first_taken == n:
        return None
    first = words[first_taken]
    if not (_is_cap(first) or first.lower() in DETERMINERS or any(_is_cap(w) for w in words[first_taken:n])):
        return None
    if first.lower() in DETERMINERS and n - first_taken == 1:
        return None
    return offsets.start(first_taken), offsets.end(n - 1)


def speech_verbs_in(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Speech-verb matches in text[start:end], dropping noun uses of forms like "states"."""
    result = []
    for m in _speech_verb_matches(text, start, end):
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
        if low.endswith("ed") and _modifies_noun(text, m.start()):
            continue  # "4,051 pledged delegates", "Trump's reported net worth": an adjective
        result.append(m)
    return result


def _speech_verb_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """SPEECH_VERB_RE.finditer(text, start, end), tried only where a verb's first word starts in the
    lower-cased text instead of at every character (the same matches: a match starts at a word
    boundary with one of those words, and the text's lower case keeps its offsets and word boundaries)."""
    lowered, folds, starts, ends = _verb_views(text)
    if len(lowered) != len(text) or (folds and FOLDS_TO_ASCII_RE.search(text, start, end)):
        yield from SPEECH_VERB_RE.finditer(text, start, end)
        return
    resume = start
    for k in range(bisect_left(starts, start), bisect_left(starts, end)):
        if starts[k] < resume or ends[k] > end:
            continue
        m = SPEECH_VERB_RE.match(text, starts[k], end)
        if m:
            yield m
            resume = m.end()


@identity_cached
def _verb_views(text: str) -> tuple[str, bool, list[int], list[int]]:
    """The text's lower case, whether a fold letter (or a moved offset) is anywhere in it, and its verb
    candidates' starts and ends, for every window of the text asked."""
    lowered = lowered_text(text)
    return (lowered, regex_lowered(text) is None, *_verb_candidates(lowered))


@cache
def _verb_root_automaton() -> ahocorasick_rs.AhoCorasick:
    """The verb roots, for an overlapping Aho-Corasick pass over a lower-cased text."""
    return ahocorasick_rs.AhoCorasick(_VERB_ROOTS)


@lru_cache(maxsize=1)
def _verb_candidates(lowered: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the verb roots at a word boundary of a lower-cased text, in text order: what the
    regex \\b(?:root|...) finds (the roots are letters, none a prefix of another), in one Aho-Corasick
    pass instead of that regex tried at every character (5 MB: 40 ms, against 155 ms)."""
    first, last = blank_ends(lowered)  # the blank ends hold no root: not scanned
    hits = _verb_root_automaton().find_matches_as_indexes(
        lowered[first:last] if last - first < len(lowered) else lowered, overlapping=True)
    found = sorted(
        (at, first + end) for _, start, end in hits
        if not (at := first + start) or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_")  # \b
    )
    return [start for start, _ in found], [end for _, end in found]


def _modifies_noun(text: str, start: int) -> bool:
    """Whether the -ed form at `start` follows an article, a possessive or a number ("the stated goal",
    "Trump's reported net worth", "60 pledged delegates"): an adjective, not a clause's verb."""
    before = _LAST_TOKEN_RE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    prev = before.group(1).lower().replace("’", "'")
    if prev in ADJECTIVE_AFTER or _NUMBER_RE.fullmatch(prev):
        return True
    # a possessive, not a pronoun's "has" ("she's stated", "who's claimed")
    return bool(_POSSESSIVE_END_RE.search(prev)) and prev[:-2] not in PRONOUNS | _HAS_CONTRACTED


def _verb_context(text: str, m: re.Match[str]) -> bool:
    """Whether a form that is also a noun ("note", "claims") is a verb here: after a name, pronoun or
    auxiliary, or before "that", ":" or a quote mark, and never after a possessive ("Editor's note:")."""
    before = _LAST_TOKEN_RE.search(text[max(0, m.start() - 60) : m.start()])
    prev = before.group(1) if before else ""
    if _POSSESSIVE_END_RE.search(prev):
        return False  # "Ryan’s comments", "Editor’s note:": a noun after a possessive
    if _THAT_COLON_OR_QUOTE_RE.match(text[m.end() : m.end() + 8]):
        return True
    if before is None:
        return False
    return (
        prev[-1] in ',”"»’'
        or _is_cap(prev.strip('“"('))
        or prev.lower() in PRONOUNS
        or prev.lower() in SKIP_BEFORE_VERB
        or prev.lower() == "who"
        or prev.lower() in DOCUMENT_NOUNS
    )


_TITLE_ABBREVIATIONS = name_abbreviations()  # scoring/lexicons/abbreviations.txt, entries marked `name`


def clause_start(window: str) -> int:
    """Offset in `window` just after its last sentence end or closing quote mark (0 if none);
    "Sen." or an initial does not end a sentence."""
    return _last_break(window, _CLAUSE_BREAK_RE)


def sentence_start(window: str) -> int:
    """Offset in `window` just after its last sentence end (0 if none); quote marks inside the
    sentence do not count: 'Clinton said that this was a “new” expectation and we should “...'."""
    return _last_break(window, _SENTENCE_BREAK_RE)


def _last_break(window: str, pattern: re.Pattern[str]) -> int:
    """End of the last match of `pattern` in `window` that is not the period of "Sen." or an initial."""
    for m in reversed(list(pattern.finditer(window))):
        if m.group()[0] != "." or not _is_title_period(window, 0, m.start()):
            return m.end()
    return 0


def _is_title_period(text: str, start: int, period: int) -> bool:
    """Whether the period at text[period] ends a title abbreviation ("Sen.") or a one-letter initial:
    the run of word characters and periods before it, back to `start`, is read as the word (as the
    end-anchored regex this replaces did: its anchor also matched before a final line break)."""
    if period > start and text[period - 1] == "\n":
        period -= 1
    first = period
    while first > start and (text[first - 1] == "." or text[first - 1].isalnum() or text[first - 1] == "_"):
        first -= 1  # a regex word character is exactly what str.isalnum() accepts, or "_"
    word = text[first:period].lower()
    return word in _TITLE_ABBREVIATIONS or len(word) == 1


def _sentence_end(text: str, start: int, end: int) -> int:
    """End of the first sentence in text[start:end] (not after "Mr." or an initial)."""
    for m in _SENTENCE_MARK_RE.finditer(text, start, end):
        if m.group() == "." and _is_title_period(text, start, m.start()):
            continue
        return m.end()
    return end


def speaker_after(text: str, close: int, limit: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Speaker right after a closing mark: ', the statement said' / ', says X' / '— X'."""
    lead = _LEAD_PUNCT_RE.match(text[close:limit])
    pos = close + (lead.end() if lead else 0)
    if lead and _SENTENCE_PUNCT_RE.search(lead.group()):
        return None  # “...”. A new sentence starts: its subject is not this quote's speaker
    dash = bool(lead and _DASH_RE.search(lead.group()))
    inner_end = _INNER_END_RE.search(text, max(0, close - 4), close)
    if inner_end and inner_end.group(1) == "." and not dash and _is_cap(text[pos : pos + 1]):
        return None  # “... now.” He said: the sentence ended inside the quote; the next one is new
    question = bool(inner_end and inner_end.group(1) == "?")
    window_end = _sentence_end(text, pos, min(limit, pos + QUOTES.speaker_window))
    window = text[pos:window_end]
    inverted = _INVERTED_RE.match(window)
    verb_word = inverted.group("v") if inverted else ""
    if inverted and (verb_word.lower() not in NOT_INVERTED or question and _ASKED_RE.fullmatch(verb_word)):
        np = titled_noun_phrase_after(text, pos + inverted.end(), window_end)
        if np:
            return np, (pos + inverted.start("v"), pos + inverted.end("v"))
    for verb in speech_verbs_in(text, pos, min(window_end, pos + 160)):
        between = text[pos : verb.start()]
        np = noun_phrase_after(text, pos, verb.start())
        if (
            np
            and _AUX_GAP_RE.fullmatch(text[np[1] : verb.start()])
            and verb_ok(text, np, verb.span())
        ):
            return np, verb.span()
        phrase = _subject_stretch(text, pos, verb.start())
        if phrase and verb_ok(text, phrase, verb.span()):
            return phrase, verb.span()
        if _CLAUSE_PUNCT_RE.search(between):
            break
    np = noun_phrase_after(text, pos, window_end)
    if np:  # '“...,” the editorial board writes': a noun-like verb form right after the speaker
        last = _LAST_WORD_RE.search(text, np[0], np[1])
        verb_span: tuple[int, int] | None
        if last and last.start() > np[0] and SPEECH_VERB_RE.fullmatch(last.group()):
            np, verb_span = (np[0], last.start() - 1), last.span()  # "the editorial board writes."
        else:
            next_word = _NEXT_WORD_RE.match(text, np[1], window_end)
            verb_span = (next_word.span(1) if next_word and SPEECH_VERB_RE.fullmatch(next_word.group(1))
                         else None)
        if verb_span and verb_ok(text, np, verb_span):
            return np, verb_span
    continued = _AFTER_QUOTE_VERB_RE.search(text, pos, min(window_end, pos + 60))
    if continued:  # '“...,” he continued.'
        np = noun_phrase_after(text, pos, continued.start())
        if np and _AUX_GAP_RE.fullmatch(text[np[1] : continued.start()]):
            return np, continued.span()
    late = _LATE_INVERTED_RE.search(window)
    if late and late.group("v").lower() not in NOT_INVERTED:
        np = titled_noun_phrase_after(text, pos + late.end(), window_end)
        if np:
            return np, (pos + late.start("v"), pos + late.end("v"))
    if dash:
        np = noun_phrase_after(text, pos, window_end)
        if np and not text[np[1] : window_end].strip(" \t.,"):
            return np, np
    return None


# Verbs that take a person as object ("told Mr. Obama"): never read as "verb + speaker" inversions.
NOT_INVERTED = frozenset(load_lexicon("speech_verbs_not_inverted"))


_QUESTION = frozenset(load_lexicon("question_words"))
_NP_STOP_OR_QUESTION = NP_STOP | _QUESTION
_NP_STOP_OR_CONNECTOR = NP_STOP | CONNECTORS


def _subject_stretch(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A whole subject with titles and appositives before a verb: "Clinton campaign manager Robby Mook",
    "Tina Tchen, Mrs. Obama's chief of staff,", "the White House press secretary, Josh Earnest,",
    "Rep. Earl Blumenauer (D-Ore.)" (at most 16 tokens, no clause punctuation, a capitalised word)."""
    stretch = _PARTY_LABEL_RE.sub(lambda m: " " * len(m.group()), text[start:end])
    if not stretch.strip() or _SUBJECT_BREAK_RE.search(stretch):
        return None
    words = _tokens(stretch, start)
    if not words or len(words) > 16 or words[0][0].lower() in _NP_STOP_OR_QUESTION:
        return None
    if not _is_cap(words[0][0]) and not _titled_name(words):
        return None
    if any(_verb_form(w[0]) for w in words):
        return None
    while words and (words[-1][0] == "," or words[-1][0].lower() in SKIP_BEFORE_VERB):
        words.pop()
    if not words or not _is_word(words[-1][0]) or words[-1][0].lower() in _NP_STOP_OR_CONNECTOR:
        return None
    return words[0][1], words[-1][2]


_PARTY_LABEL_RE = re.compile(r"\([^()\s]{1,12}\)")  # "(D-Ore.)", "(R-Ky.)"


def _verb_form(token: str) -> bool:
    """A speech verb that cannot be a noun inside a name or title ("state" in "the Indiana state
    firefighters union" can)."""
    return bool(SPEECH_VERB_RE.fullmatch(token)) and token.lower() not in NOUN_LIKE


def _titled_name(words: list[tuple[str, int, int]]) -> bool:
    """Lower-case titles or a determiner before a name: "political scientist Christopher Wlezien",
    "the pitch on Kickstarter", "the economist Jared Bernstein, a former adviser," (at most four
    words before the first capitalised one; prepositions there only after a determiner)."""
    caps = [i for i, w in enumerate(words) if _is_cap(w[0])]
    if not caps or caps[0] > 4:
        return False
    lead = [w[0].lower() for w in words[: caps[0]]]
    if not all(_is_word(w) for w in lead):
        return False
    return lead[0] in DETERMINERS or not any(w in NP_STOP for w in lead)


def titled_noun_phrase_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """noun_phrase_after, also behind up to three lower-case title words: "said retired Army Lt. Gen.
    Mick Bednarek", "said host Bill Maher", "said state attorney Dave Aronberg"."""
    np = noun_phrase_after(text, start, end)
    if np:
        return np
    lead = _TITLE_WORDS_RE.match(text, start, end)
    if not lead or any(w.lower() in _NP_STOP_OR_DETERMINER for w in lead.group().split()):
        return None
    np = noun_phrase_after(text, lead.end(), end)
    if not np or text[np[0] : np[1]].lower() in PRONOUNS:
        return None
    return start, np[1]


_TITLE_WORDS_RE = re.compile(r"(?:[a-z][\w-]*\s+){1,3}(?=[A-Z])")


def verb_ok(text: str, np: tuple[int, int], verb: tuple[int, int]) -> bool:
    """'read' is a speech verb only after a document noun ('the statement read')."""
    if not text[verb[0] : verb[1]].lower().startswith("read"):
        return True
    words = _WORDS_RE.findall(text[np[0] : np[1]].lower())
    return bool(words) and words[-1] in DOCUMENT_NOUNS


def speaker_before(
    text: str, para_start: int, opener: int
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Speaker before an opening mark in the same sentence: 'X said: “' / 'X warned that Y “'."""
    window_start = max(para_start, opener - QUOTES.speaker_window)
    window = text[window_start:opener]
    boundary = clause_start(window)
    sentence_known = boundary > 0 or window_start == para_start
    start = window_start + boundary
    found = _verb_and_speaker(text, start, opener, sentence_known)
    if found is None:  # 'Clinton said that this was a “new” expectation and we should “...'
        sentence = window_start + sentence_start(window)
        if sentence < start and (sentence > window_start or window_start == para_start):
            found = _verb_and_speaker(text, sentence, start, True, opener)
    if found:
        return found
    according = list(_ACCORDING_TO_RE.finditer(text[start:opener]))
    if according:
        a = according[-1]
        np = noun_phrase_after(text, start + a.end(), opener)
        if np:
            return np, (start + a.start(), start + a.end())
    naming = _NAMING_VERB_RE.search(text, start, opener)
    if naming:  # 'what Mr. Hedge called “...', 'Trump called it “...'
        np = noun_phrase_before(text, start, naming.start())
        name = _CAPITAL_RE.search(text, np[0], np[1]) if np else None
        if np and text[np[0] : np[1]].lower() in PRONOUNS:
            return np, naming.span(1)
        if np and name:  # "It was what Mayor Jane Smith [called]": the name, not "was what"
            return (name.start(), np[1]), naming.span(1)
    if sentence_known:
        subject = sentence_subject(text, start, opener)
        if subject:
            return subject, subject
    return None


def _verb_and_speaker(
    text: str, start: int, end: int, sentence_known: bool, opener: int | None = None
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The last speech verb of text[start:end] within max_verb_gap of the opening mark (`opener`,
    default `end`) and the phrase before it: the verb's subject, or the sentence's subject before a
    participle ('In 2016, X endorsed Y, saying “')."""
    opener = end if opener is None else opener
    for verb in reversed(speech_verbs_in(text, start, end)):
        gap = text[verb.end() : opener]
        if len(gap) > QUOTES.max_verb_gap or _sentence_end(text, verb.end(), opener) < opener:
            break
        if _PASSIVE_END_RE.search(text[start : verb.start()]):
            continue
        if sentence_known and _PARTICIPLE_AFTER_COMMA_RE.search(text, start, verb.end()):
            subject = sentence_subject(text, start, verb.start())
            if subject:
                return subject, verb.span()
        np = noun_phrase_before(text, start, verb.start())
        if np and verb_ok(text, np, verb.span()):
            return np, verb.span()
    return None


_CAPITAL_RE = re.compile(r"(?<![\w’'])[A-Z]")
# "called it", "dubbed the plan": naming verbs, read as speech only right before a quotation
_NAMING_VERB_RE = re.compile(
    r"(?<![\w’'-])(called|calls|dubbed|dubs|labeled|labelled|branded|termed)(?:\s+[\w’'.-]+){0,3}\s*$"
)


_PARTICIPLE_AFTER_COMMA_RE = re.compile(r",\s+\w+ing$")  # "..., saying" / "..., calling him"
_BE_VERBS = frozenset({"is", "was", "were", "are", "be", "been", "being", "am", "’s", "'s"})
_SENTENCE_OPENERS = frozenset(load_lexicon("speaker_sentence_openers"))
_SENTENCE_CONJUNCTIONS = frozenset(load_lexicon("speaker_sentence_conjunctions"))
_LEAD_WORD_RE = re.compile(r"\s*([\w’']+)(,?)\s+")
_APPOSITION_RE = re.compile(r"\s*,[^;:“”\"()]{1,200}?,")
_VERB_AFTER_SUBJECT_RE = re.compile(
    r"\s+(?:(?:has|have|had|also|then|later|once|further|again|would|will|could|just|repeatedly)\s+)*"
    r"([a-z][\w’'-]*)"
)
_SUBJECT_NOT_SOURCE = frozenset({"it", "you", "there", "this", "that"})


def _skip_conjunctions(text: str, pos: int, end: int) -> int:
    while True:
        m = _LEAD_WORD_RE.match(text, pos, end)
        if not m or m.group(1).lower() not in _SENTENCE_CONJUNCTIONS:
            return pos
        pos = m.end()


def sentence_subject(text: str, start: int, opener: int) -> tuple[int, int] | None:
    """Subject of the sentence text[start:] that holds a quotation when no speech verb links them:
    "Mrs. Warren praised ..., saying she had “", "In 2016, Mrs. Schlafly endorsed Trump, saying “"
    (an introductory phrase that starts with a preposition or an -ing word ends at its comma);
    the subject must be a name, a determiner phrase or a person pronoun followed by a verb that is
    not a form of "be" (a copula's subject is what the quote describes, not who said it)."""
    pos = _skip_conjunctions(text, start, opener)
    lead = _LEAD_WORD_RE.match(text, pos, opener)
    if lead and (lead.group(1).lower() in _SENTENCE_OPENERS or lead.group(1).endswith("ing")):
        comma = text.find(",", pos, min(opener, pos + 120))
        if comma < 0:
            return None
        pos = _skip_conjunctions(text, comma + 1, opener)
    pos += len(text[pos:opener]) - len(text[pos:opener].lstrip())
    np = noun_phrase_after(text, pos, opener)
    if not np or text[np[0]].isdigit():
        return None
    if text[np[0] : np[1]].split()[0].lower() in DETERMINERS:
        np = _shortest_subject(text, np, opener)  # "The governor [doubled down on Tuesday and said]"
    if text[np[0] : np[1]].lower() in _SUBJECT_NOT_SOURCE:
        return None
    if _predicate_at(text, np[1], opener):
        return np
    apposition = _APPOSITION_RE.match(text, np[1], opener)  # "Sexton, a creative writing professor, said"
    if apposition:  # the apposition ends at the first of its commas that a verb follows
        for mark in _COMMA_RE.finditer(text, apposition.start(), min(opener, np[1] + 200)):
            if mark.start() > np[1] + 1 and _predicate_at(text, mark.end(), opener):
                return np
    return None


_COMMA_RE = re.compile(",")
_VERB_ENDING_RE = re.compile(r"(?:ed|s)$")


def _shortest_subject(text: str, np: tuple[int, int], end: int) -> tuple[int, int]:
    """The shortest start of a determiner phrase (two words or more) that a verb follows: a phrase
    such as "The governor doubled down" takes lower-case words up to a stop word, verbs included. A
    verb here is a speech verb or a word ending in -ed or -s (after any auxiliary); else the phrase."""
    words = list(_WORDS_RE.finditer(text, np[0], np[1]))
    for word in words[1:]:
        verb = _VERB_AFTER_SUBJECT_RE.match(text, word.end(), end)
        if verb and _predicate_at(text, word.end(), end) and (
            _VERB_ENDING_RE.search(verb.group(1)) or SPEECH_VERB_RE.fullmatch(verb.group(1))
        ):
            return np[0], word.end()
    return np


def _predicate_at(text: str, pos: int, end: int) -> bool:
    """A verb (not a form of "be", not a preposition) starts at text[pos:end], after auxiliaries."""
    verb = _VERB_AFTER_SUBJECT_RE.match(text, pos, end)
    word = verb.group(1) if verb else ""
    if not verb or word in _BE_VERBS:
        return False
    return word not in NP_STOP or bool(SPEECH_VERB_RE.fullmatch(word))
