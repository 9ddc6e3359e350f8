"""Language features of the article body: the writer's own voice (first and second person), emphasis
(exclamations, questions, all-caps shouting), emotive words, and specificity (numbers and dates).

Choices, in one place:
- Rates are per 1,000 body words (all body words, quoted or not, are the denominator).
- The writer's voice: first/second-person pronouns, loaded words, "!" and "?" are counted only outside
  quotations, because inside one they are the speaker's. A quotation is found by a cheap regex pass per
  line: “…”, «…» or "…"; a quote left open runs to the end of its line (news style: a quote that goes on
  into the next paragraph reopens there). Single quotes are ignored (they are also apostrophes).
- All-caps shouting: a word of >= 2 letters, all capitals, no digits, that is either >= 5 letters and not
  a known acronym (lexicon `acronyms`), or in a run of >= 3 such words that are not all acronyms
  ("THIS IS OUTRAGEOUS"). Shorter isolated words (NATO, EU, GRU, UK, USA, APT) are acronyms, and a
  dateline at the start of the body ("WASHINGTON (Reuters) -", "NEW YORK, May 5 -") is not shouting.
- "US" in capitals is the country, never the pronoun.
- Lexicon words are matched by one pass of set look-ups over the lower-cased word tokens of
  `Document.body_words` (all lexicons merged into one index; no list scans, no per-entry regex); a
  possessive 's and the parts of hyphenated words are also tried for loaded words. A capitalised (not
  all-caps) word inside a sentence is a name ("Brutal Records", "Grave"), never a loaded word.
- A loaded word's span is the phrase it heads ("absolutely dismal", "acts of brutality", "toxic hate"):
  from the word, a learned policy (lexicon `loaded_language_extension`: logistic-regression weights over
  the neighbour's word, suffix, the gap, the edge word and the word after, learned from SemEval-2020
  Task 11 gold spans) takes one more neighbour at a time, left and right, while its score reaches the
  cut; only a space, a comma or a dash may separate the words (no sentence end, quote mark or bracket).
  Overlapping phrases are one span; the rate still counts loaded words.
- Numbers and dates: a mention is a run of adjacent tokens (only spaces, commas, slashes or dashes
  between them on one line) each holding a digit, a spelled number (`number_words`) or a capitalised
  month or weekday (`date_words`); "May"/"March" need a number or a time preposition next to them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import not_

from scoring.features.base import Document, FeatureRecord, Span, per_1k_words
from scoring.lexicon import load_lexicon
from scoring.settings import SETTINGS

LANGUAGE = SETTINGS.language

FEATURE_NAMES: tuple[str, ...] = (
    "first_person_per_1k_words",
    "second_person_per_1k_words",
    "exclamations_per_1k_words",
    "questions_per_1k_words",
    "all_caps_words_per_1k_words",
    "loaded_words_per_1k_words",
    "numbers_dates_per_1k_words",
)

AMBIGUOUS_MONTHS = frozenset({"May", "March"})
TIME_PREPOSITIONS = frozenset({"in", "since", "until", "till", "by", "last", "next", "early", "late", "mid",
                               "of", "on", "from", "through", "before", "after", "during", "this"})

_QUOTED = re.compile(r"“[^”\n]*(?:”|$)|«[^»\n]*(?:»|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)
# Written with a literal first mark, not "!+": the regex engine then skips to each mark (a 5 MB body: 2 ms
# against 35 ms per scan); the same matches.
_EXCLAMATION = re.compile(r"!!*")
_QUESTION = re.compile(r"\?\?*")
_DIGIT = re.compile(r"\d")
# Prefilter for all-caps words: two letters that are not ASCII lower-case, next to each other or around one
# inner . ' ’ - ("NATO", "U.S", "A-B"); non-ASCII lower-case letters pass here and are rejected by
# str.isupper() on the whole word.
_CAPS_CANDIDATE = re.compile(r"[^\W\d_a-z][.'’\-]?[^\W\d_a-z]")
_RUN_GAP = re.compile(r"[ \t,/\-–—]*")
_CAPS_GAP = re.compile(r"[ \t,'’\-–—:;!?.]*")
_DATELINE = re.compile(
    r"[ \t]*((?:[A-Z][A-Z.'’\-]*[ \t]+){0,3}[A-Z][A-Z.'’\-]*[A-Z.])(?=[ \t]*(?:,|\(|—|–|-[ \t]))"
)


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, frozenset[str]]:
    return {
        "first": frozenset(load_lexicon("first_person")),
        "second": frozenset(load_lexicon("second_person")),
        "loaded": frozenset(load_lexicon("loaded_language")),
        "numbers": frozenset(load_lexicon("number_words")),
        "dates": frozenset(load_lexicon("date_words")),
        "acronyms": frozenset(load_lexicon("acronyms")),
    }


FIRST, SECOND, LOADED, NUMBER, DATE = "first", "second", "loaded", "numbers", "dates"


@lru_cache(maxsize=1)
def _categories() -> dict[str, tuple[str, ...]]:
    """Lower-cased entry -> the lexicons holding it, so one pass over the words finds every hit
    (loaded entries also under their possessive form "entry's")."""
    lex = _lexicons()
    index: dict[str, tuple[str, ...]] = {}
    for category in (FIRST, SECOND, LOADED, NUMBER, DATE):
        for entry in lex[category]:
            keys = (entry.lower(), entry.lower() + "'s") if category == LOADED else (entry.lower(),)
            for key in keys:
                if category not in index.get(key, ()):
                    index[key] = index.get(key, ()) + (category,)
    return index


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of quotations (“…”, «…», "…"; an unclosed one runs to the end of its line)."""
    if '"' not in text and "“" not in text and "«" not in text:
        return []
    return [m.span() for m in _QUOTED.finditer(text) if m.end() > m.start() + 1]


class _Tokens:
    """The body's word tokens of one document, as written and lower-cased, and its quotations."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.body_text
        self.words = doc.body_words
        self.lowered = doc.body_lowered
        self.written = doc.body_word_texts
        self.word_starts = doc.body_word_starts
        self.quoted = quoted_ranges(self.text)
        self.quote_starts = [s for s, _ in self.quoted]
        categories = _categories()
        self.hits: dict[str, list[int]] = {c: [] for c in (FIRST, SECOND, LOADED, NUMBER, DATE)}
        # The words in the index, found by a C-level pass (compress over the membership map).
        for i in compress(count(), map(categories.__contains__, self.lowered)):
            for category in categories[self.lowered[i]]:
                self.hits[category].append(i)

    def hyphenated(self) -> list[int]:
        """Indices of the words holding a letter-hyphen-letter ("long-awaited"), in text order: each "-"
        found by str.find, then both neighbours tested with str.isalnum (regex [^\\W_], without the
        regex engine trying every character)."""
        text = self.text
        out: list[int] = []
        last = len(text) - 1
        at = text.find("-")
        while at != -1:
            if 0 < at < last and text[at - 1].isalnum() and text[at + 1].isalnum():
                k = self.word_index(at - 1)
                if k >= 0 and (not out or out[-1] != k):
                    out.append(k)
            at = text.find("-", at + 1)
        return out

    def all_caps(self) -> list[int]:
        """Indices of the words whose letters are all capitals (str.isupper), in text order."""
        return list(compress(count(), map(str.isupper, self.written)))

    def with_digits(self) -> list[int]:
        """Indices of the words holding a digit (every digit of the body is inside a word token)."""
        written = self.written
        not_alpha = compress(count(), map(not_, map(str.isalpha, written)))
        return [i for i in not_alpha if _DIGIT.search(written[i])]

    def token(self, i: int) -> str:
        """Word i as written (NFC)."""
        return self.written[i]

    def word_index(self, offset: int) -> int:
        """Index of the word holding character `offset` (-1 if none)."""
        k = bisect_right(self.word_starts, offset) - 1
        return k if k >= 0 and offset < self.words[k][1] else -1


    def outside_quotes(self, indices: list[int]) -> list[int]:
        """The word indices whose word starts outside every quotation."""
        if not self.quoted:
            return indices
        return [i for i in indices if not _inside(self.words[i][0], self.quote_starts, self.quoted)]

    def span(self, i: int, kind: str, label: str = "") -> Span:
        start, end = self.words[i]
        return Span(start, end, kind, label)


def _inside(offset: int, starts: list[int], ranges: list[tuple[int, int]]) -> bool:
    k = bisect_right(starts, offset) - 1
    return k >= 0 and offset < ranges[k][1]


def loaded_entry(token: str, loaded: frozenset[str]) -> str:
    """The loaded-language entry a word token matches ('' if none): the word, its form without a
    possessive 's, or a part of a hyphenated compound."""
    key = token.lower().replace("’", "'")
    if key in loaded:
        return key
    if key.endswith("'s") and key[:-2] in loaded:
        return key[:-2]
    if "-" in key:
        for part in key.split("-"):
            if part in loaded:
                return part
    return ""


_SENTENCE_OPENERS = re.compile(r"[\n.!?:\"“«(\[—–]")


def _mid_sentence_capital(tok: _Tokens, i: int) -> bool:
    """Word i is capitalised (not all caps) and does not open a sentence, line or quotation: a name
    ("Grave", "Evil Knievel"), not a loaded word."""
    word = tok.written[i]
    if not word[:1].isupper() or word.isupper() or i == 0:
        return False
    return not _SENTENCE_OPENERS.search(tok.text, tok.words[i - 1][1], tok.words[i][0])


def _loaded_indices(tok: _Tokens, loaded: frozenset[str], hits: list[int]) -> list[tuple[int, str]]:
    """(word index, lexicon entry) of every loaded word, in text order, from the candidate indices `hits`
    (words in the index under `loaded`); capitalised words inside a sentence are names and left out."""
    words = tok.lowered
    found = [(i, words[i] if words[i] in loaded else words[i][:-2]) for i in hits]
    if "-" in tok.text:
        compound = tok.hyphenated()
        extra = [(i, e) for i in compound if words[i] not in loaded and (e := loaded_entry(words[i], loaded))]
        if extra:
            found = sorted(found + extra)
    return [(i, e) for i, e in found if not _mid_sentence_capital(tok, i)]


@dataclass(frozen=True)
class PhraseExtension:
    """A learned left/right extension policy for loaded words: a neighbour joins the phrase when
    `intercept` + the weights of its features >= `cut`."""

    weights: dict[str, float]
    intercept: float
    cut: float

    def __call__(self, features: list[str], neighbour: int) -> bool:
        return self.intercept + sum(map(self.weights.get, features, repeat(0.0))) >= self.cut


# accept(features of the step, the neighbour's word index) -> take it into the phrase
Accept = Callable[[list[str], int], bool]


def words_only(features: list[str], neighbour: int) -> bool:
    """The extension policy that takes no neighbour: spans are the loaded words alone."""
    return False


@lru_cache(maxsize=1)
def _extension() -> PhraseExtension:
    """The shipped policy, lexicon `loaded_language_extension` ("feature<TAB>weight" lines plus
    `<intercept>` and `<cut>`)."""
    weights: dict[str, float] = {}
    for entry in load_lexicon("loaded_language_extension"):
        feature, weight = entry.rsplit("\t", 1)
        weights[feature.strip()] = float(weight)
    return PhraseExtension(weights, weights.pop("<intercept>"), weights.pop("<cut>"))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(load_lexicon("stop_words"))


_DASHES = frozenset({"-", "–", "—"})
# Longest extension each way: 97% of the SemEval-2020 Task 11 Loaded_Language spans in the body have at
# most 13 words (1 + 6 + 6), 74% at most 4
PHRASE_MAX_STEPS = 6


def _gap_kind(text: str, start: int, end: int) -> str:
    """How two neighbouring words are separated: 'sp' (one space), 'comma', 'dash', or '' (anything
    else, a boundary no phrase crosses: a sentence end, a line break, a quote mark, a bracket)."""
    gap = text[start:end]
    if gap == " ":
        return "sp"
    core = gap.strip(" ")
    if core == ",":
        return "comma"
    return "dash" if core in _DASHES else ""


def extension_features(tok: _Tokens, lexicon: frozenset[str], edge: int, neighbour: int,
                       steps: int) -> list[str]:
    """Features of taking word `neighbour` into the phrase whose outer word is `edge` (empty when a
    boundary separates them): direction, the neighbour's word and 3-letter suffix, the gap, the steps
    taken, the edge word and suffix, whether the neighbour is loaded, a stop word, capitalised or holds a
    digit, and the gap and word beyond it."""
    words, low, text = tok.words, tok.lowered, tok.text
    right = neighbour > edge
    d = "R" if right else "L"
    gap = _gap_kind(text, words[edge][1], words[neighbour][0]) if right else \
        _gap_kind(text, words[neighbour][1], words[edge][0])
    if not gap:
        return []
    word, edge_word, stop = low[neighbour], low[edge], _stop_words()
    features = [d, f"{d}w={word}", f"{d}suf={word[-3:]}", f"{d}gap={gap}", f"{d}steps={min(steps, 3)}",
                f"{d}edge={edge_word}", f"{d}esuf={edge_word[-3:]}"]
    if word in lexicon:
        features.append(f"{d}lex")
    if word in stop:
        features.append(f"{d}stop")
    if tok.written[neighbour][:1].isupper():
        features.append(f"{d}cap")
    if _DIGIT.search(word):
        features.append(f"{d}digit")
    beyond = neighbour + 1 if right else neighbour - 1
    if not 0 <= beyond < len(words):
        features.append(f"{d}ngap=end")
        return features
    gap = _gap_kind(text, words[neighbour][1], words[beyond][0]) if right else \
        _gap_kind(text, words[beyond][1], words[neighbour][0])
    features.append(f"{d}ngap={gap or 'stop'}")
    if gap:
        after = low[beyond]
        features.append(f"{d}nnw={after}")
        if after in lexicon:
            features.append(f"{d}nnlex")
        if after in stop:
            features.append(f"{d}nnstop")
    return features


def _phrase(tok: _Tokens, k: int, lexicon: frozenset[str], accept: Accept) -> tuple[int, int]:
    """First and last word index of the phrase loaded word k heads: neighbours taken right, then left,
    while `accept` takes them (at most PHRASE_MAX_STEPS each way)."""
    lo = hi = k
    last = len(tok.words) - 1
    for step_dir in (1, -1):
        for steps in range(PHRASE_MAX_STEPS):
            edge = hi if step_dir == 1 else lo
            neighbour = edge + step_dir
            if not 0 <= neighbour <= last:
                break
            features = extension_features(tok, lexicon, edge, neighbour, steps)
            if not features or not accept(features, neighbour):
                break
            if step_dir == 1:
                hi = neighbour
            else:
                lo = neighbour
    return lo, hi


def loaded_word_spans(doc: Document, include_quoted: bool = False, lexicon: frozenset[str] | None = None,
                      extension: Accept | None = None) -> list[Span]:
    """Spans of loaded/emotive phrases in the body (outside quotations unless `include_quoted`): each
    loaded word of the shipped lexicon or of `lexicon` (lower-cased entries: the benchmark's per-fold
    lexicons) widened by the shipped extension policy or by `extension` (`words_only`: the words alone)."""
    tok = _Tokens(doc)
    if lexicon is None:
        return _loaded_spans(tok, _loaded_hits(tok, include_quoted), extension=extension)
    keyed = [i for i, w in enumerate(tok.lowered) if w in lexicon or (w.endswith("'s") and w[:-2] in lexicon)]
    return _loaded_spans(tok, _loaded_hits(tok, include_quoted, lexicon, keyed), lexicon, extension)


def _loaded_hits(tok: _Tokens, include_quoted: bool = False, lexicon: frozenset[str] | None = None,
                 keyed: list[int] | None = None) -> list[tuple[int, str]]:
    """(word index, lexicon entry) of the loaded words, outside quotations unless `include_quoted`."""
    if lexicon is None:
        lexicon, keyed = _lexicons()["loaded"], tok.hits[LOADED]
    hits = _loaded_indices(tok, lexicon, keyed)  # type: ignore[arg-type]  # given with `lexicon`
    if not include_quoted and tok.quoted:
        keep = set(tok.outside_quotes([i for i, _ in hits]))
        hits = [(i, e) for i, e in hits if i in keep]
    return hits


def _loaded_spans(tok: _Tokens, hits: list[tuple[int, str]], lexicon: frozenset[str] | None = None,
                  extension: Accept | None = None) -> list[Span]:
    """One span per phrase headed by the loaded words `hits`; overlapping phrases merged, labelled by their
    loaded words."""
    if not hits:
        return []
    if lexicon is None:
        lexicon = _lexicons()["loaded"]
    accept = extension or _extension()
    phrases = sorted((*_phrase(tok, i, lexicon, accept), entry) for i, entry in hits)
    words = tok.words
    spans: list[Span] = []
    for lo, hi, entry in phrases:
        start, end = words[lo][0], words[hi][1]
        if spans and start < spans[-1].end:
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, end), "loaded", f"{last.label}, {entry}")
        else:
            spans.append(Span(start, end, "loaded", entry))
    return spans


def is_all_caps_word(token: str) -> bool:
    """At least two letters, every letter a capital, no digit."""
    return token.isupper() and sum(ch.isalpha() for ch in token) >= 2 and not _DIGIT.search(token)


def dateline_range(text: str) -> tuple[int, int]:
    """The all-caps dateline opening the first non-blank line of `text` ("WASHINGTON (Reuters) -"),
    or (0, 0) if there is none."""
    first = len(text) - len(text.lstrip())  # the first non-whitespace character (str and re agree on \s)
    if first == len(text):
        return (0, 0)
    line_start = text.rfind("\n", 0, first) + 1
    match = _DATELINE.match(text, line_start)
    return match.span(1) if match else (0, 0)


def _runs(
    indices: list[int], words: list[tuple[int, int]], text: str, gap: re.Pattern[str]
) -> list[list[int]]:
    """Group word indices into runs of adjacent words whose separating text fully matches `gap`."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1 and gap.fullmatch(text, words[i - 1][1], words[i][0]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def all_caps_spans(doc: Document) -> tuple[int, list[Span]]:
    """Shouting all-caps words in the body (see module docstring): (word count, one span per run)."""
    return _all_caps(_Tokens(doc))


def _all_caps(tok: _Tokens) -> tuple[int, list[Span]]:
    text, words = tok.text, tok.words
    acronyms = _lexicons()["acronyms"]
    tokens = {i: t for i in tok.all_caps() if _CAPS_CANDIDATE.search(t := tok.token(i))}
    caps = [i for i, t in tokens.items() if is_all_caps_word(t)]
    if not caps:
        return 0, []
    dl_start, dl_end = dateline_range(text)
    caps = [i for i in caps if not dl_start <= words[i][0] < dl_end]
    count, spans = 0, []
    for run in _runs(caps, words, text, _CAPS_GAP):
        if len(run) >= LANGUAGE.shout_min_run and not all(tokens[i] in acronyms for i in run):
            shouting = run
        else:
            shouting = [
                i for i in run if len(tokens[i]) >= LANGUAGE.shout_min_letters and tokens[i] not in acronyms
            ]
        for sub in _runs(shouting, words, text, _CAPS_GAP):
            count += len(sub)
            spans.append(Span(words[sub[0]][0], words[sub[-1]][1], "all_caps", f"{len(sub)} words"))
    return count, spans


def _month_in_context(tok: _Tokens, i: int) -> bool:
    """An ambiguous month name ("May", "March") with a number or a time preposition next to it."""
    lowered = tok.lowered
    before = i > 0 and (lowered[i - 1] in TIME_PREPOSITIONS or bool(_DIGIT.search(lowered[i - 1])))
    after = i + 1 < len(lowered) and bool(_DIGIT.search(lowered[i + 1]))
    return before or after


def number_date_spans(doc: Document) -> list[Span]:
    """One span per mention of numbers or dates ("July 18", "2,000", "five years", "Friday")."""
    return _number_dates(_Tokens(doc))


def _number_dates(tok: _Tokens) -> list[Span]:
    text, words = tok.text, tok.words
    dates = _lexicons()[DATE]
    hits = set(tok.with_digits())
    hits.update(tok.hits[NUMBER])
    hits.update(
        i for i in tok.hits[DATE]
        if (t := tok.token(i)) in dates and (t not in AMBIGUOUS_MONTHS or _month_in_context(tok, i))
    )
    spans = []
    for run in _runs(sorted(hits), words, text, _RUN_GAP):
        start, end = words[run[0]][0], words[run[-1]][1]
        spans.append(Span(start, end, "number_date", text[start:end][:40]))
    return spans


def _pronouns(tok: _Tokens) -> tuple[list[Span], list[Span]]:
    """First- and second-person pronouns outside quotations (capital "US" excluded)."""
    first_idx = [i for i in tok.hits[FIRST] if tok.token(i) != "US"]
    second_idx = tok.hits[SECOND]
    return (
        [tok.span(i, "first_person", tok.lowered[i]) for i in tok.outside_quotes(first_idx)],
        [tok.span(i, "second_person", tok.lowered[i]) for i in tok.outside_quotes(second_idx)],
    )


def punctuation_spans(doc: Document, pattern: re.Pattern[str], kind: str,
                      quoted: list[tuple[int, int]]) -> list[Span]:
    """One span per run of `pattern` outside quotations: the sentence holding it (else the marks)."""
    text, sentences = doc.body_text, doc.body_sentences
    quote_starts = [s for s, _ in quoted]
    sentence_starts = [s for s, _ in sentences]
    spans = []
    for match in pattern.finditer(text):
        if quoted and _inside(match.start(), quote_starts, quoted):
            continue
        k = bisect_right(sentence_starts, match.start()) - 1
        if k >= 0 and match.start() < sentences[k][1]:
            spans.append(Span(sentences[k][0], sentences[k][1], kind, match.group()))
        else:
            spans.append(Span(match.start(), match.end(), kind, match.group()))
    return spans


def extract(doc: Document) -> FeatureRecord:
    """Language features of the body text (see the module docstring for the rules)."""
    n_words = doc.body_word_count
    if not n_words:
        return FeatureRecord({name: 0.0 for name in FEATURE_NAMES}, [])
    tok = _Tokens(doc)
    first, second = _pronouns(tok)
    text = tok.text
    exclamations = punctuation_spans(doc, _EXCLAMATION, "exclamation", tok.quoted) if "!" in text else []
    questions = punctuation_spans(doc, _QUESTION, "question", tok.quoted) if "?" in text else []
    caps_count, caps = _all_caps(tok)
    loaded_hits = _loaded_hits(tok)
    loaded = _loaded_spans(tok, loaded_hits)
    numbers = _number_dates(tok)
    values = {
        "first_person_per_1k_words": per_1k_words(len(first), n_words),
        "second_person_per_1k_words": per_1k_words(len(second), n_words),
        "exclamations_per_1k_words": per_1k_words(len(exclamations), n_words),
        "questions_per_1k_words": per_1k_words(len(questions), n_words),
        "all_caps_words_per_1k_words": per_1k_words(caps_count, n_words),
        "loaded_words_per_1k_words": per_1k_words(len(loaded_hits), n_words),
        "numbers_dates_per_1k_words": per_1k_words(len(numbers), n_words),
    }
    return FeatureRecord(values, first + second + exclamations + questions + caps + loaded + numbers)
