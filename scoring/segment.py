"""Split an article into blocks and label each block as article body or boilerplate.

The `Document` built here is what every feature extractor reads. Its `body_text` is the raw text
with every non-body character replaced by a space (line breaks kept), so a match found in
`body_text` has offsets that are valid in the raw text, and boilerplate cannot match anything.

Labelling (`label_blocks`) follows jusText (Pomikálek 2011): each block is classified on its own as
good / near-good / short / bad from its length, stop-word density, link density (HTML) and the
pattern lexicons `scoring/lexicons/boilerplate_<category>.txt`; short and near-good blocks are then
decided by their neighbours. On top of that, as boilerpipe and trafilatura do, position matters: the
headline, dateline and standfirst just before the first body paragraph and a byline or credit line just
after the last one are body, other blocks outside the body are boilerplate, and a "Recent Posts"-like
heading makes the teasers after it `related`. Every boilerplate block gets one category.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import ahocorasick_rs

from scoring.lexicon import load_lexicon
from scoring.records import BODY, Article, Block, BlockHint, Document
from scoring.settings import SETTINGS
from scoring.text import WORD_RE, find_words

SEGMENT = SETTINGS.segment

try:  # the standard library's regex parser and its opcodes, read to find the literals a pattern needs
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

NAVIGATION = "navigation"
PROMOTIONAL = "promotional"
RELATED = "related"
SOCIAL = "social"
LEGAL = "legal"
BYLINE_BLURB = "byline_blurb"
# Boilerplate categories, in the order a block's text is tested against their lexicons.
CATEGORIES: tuple[str, ...] = (LEGAL, BYLINE_BLURB, SOCIAL, RELATED, PROMOTIONAL, NAVIGATION)

# For HTML with its markup, trafilatura's main text decides which blocks are body (it scored higher than
# our own block labeller on benchmarks/body_extraction.py); the categories still come from our lexicons.
USE_TRAFILATURA = True

GOOD, NEAR_GOOD, SHORT, BAD = "good", "near-good", "short", "bad"
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A photo caption (<figcaption>) or a line of a <nav> (a breadcrumb trail) is no headline or standfirst,
# whatever words it shares with the body; schema.org's articleBody and trafilatura leave both out too.
_NOT_PREAMBLE_TAGS = frozenset({"figcaption", "nav"})
_CLOSERS = "\"'”’»)]"  # quote marks and brackets that may follow a sentence's last punctuation
_BYLINE_RE = re.compile(
    r"^(by|written by|words by|reporting by|additional reporting by|edited by|source|sources|credit|"
    r"via|with reporting from)\b[:\s]+\S", re.IGNORECASE)
_MONTH = (r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|"
          r"oct(ober)?|nov(ember)?|dec(ember)?)\.?")
_WEEKDAY = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|sday|nesday|rsday|urday)?\.?,?"
# A line that starts with a date: "Sun Jun 20 2021", "NOVEMBER 20, 2019 10:43", "20 Nov 2019", "11/20/2019".
_DATE_RE = re.compile(
    rf"^(\w+,? )?({_WEEKDAY} )?(\d{{1,2}}(st|nd|rd|th)? {_MONTH}( \d{{4}})?"
    rf"|{_MONTH} \d{{1,2}}(st|nd|rd|th)?,?( \d{{4}})?)\b"
    rf"|^\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|^(updated|published|posted)\b", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_ODD_SPACE_RE = re.compile(r"[^\S ]|  ")  # whitespace that _SPACE_RE.sub(" ", ...) would change
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")  # kana, hanzi/kanji, hangul
_PULL_QUOTE_MARK_RE = re.compile(r"^(open|close|opening|closing) quot(e|ation)( mark)?s?$", re.IGNORECASE)


# ------------------------------------------------------------------------------------------ block features


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list, shipped as scoring/lexicons/stop_words.txt (no import)."""
    return frozenset(load_lexicon("stop_words"))


@cache
def lexicon_pattern(name: str) -> re.Pattern[str]:
    """The regexes of lexicon `name` compiled into one case-insensitive alternation."""
    return re.compile("|".join(f"(?:{entry})" for entry in load_lexicon(name)), re.IGNORECASE)


# Non-ASCII characters that a case-insensitive ASCII letter matches (ı, İ ~ i; ſ ~ s; Kelvin sign ~ k):
# in a text holding none of them, an ASCII literal matches case-insensitively only where it occurs in
# `text.lower()`. (Checked over every code point by tests/test_extraction_equivalence.py.)
ASCII_CASE_TWINS = "\u0130\u0131\u017f\u212a"
_CASE_TWIN_RE = re.compile(f"[{ASCII_CASE_TWINS}]")
_BACKREFERENCE_RE = re.compile(r"\\\d|\(\?P=|\(\?\(")


def _safe_literal(code: int) -> bool:
    """A pattern character whose case-insensitive matches are found by a substring test on lower()."""
    char = chr(code)
    return char.isascii() or char.lower() == char.upper() == char


_MAX_SPELLINGS = 64  # a run of a pattern matching more distinct strings than this is not spelled out


def _spellings(items: list) -> frozenset[str] | None:
    """Every string (lower-cased) the parsed regex sequence `items` matches, when that is a small finite
    set: literals, sets of literals, zero-width assertions, groups, branches and ?-like repeats of those.
    None otherwise."""
    spelled = frozenset({""})
    for op, av in items:
        options = _item_spellings(op, av)
        if options is None:
            return None
        spelled = frozenset(head + tail for head in spelled for tail in options)
        if len(spelled) > _MAX_SPELLINGS:
            return None
    return spelled


def _item_spellings(op: object, av: Any) -> frozenset[str] | None:
    """`_spellings` of one parsed regex item."""
    if op is sre.LITERAL:
        return frozenset({chr(av).lower()}) if _safe_literal(av) else None
    if op is sre.IN:
        if all(o is sre.LITERAL and _safe_literal(a) for o, a in av):
            return frozenset(chr(a).lower() for _, a in av)
        return None
    if op is sre.AT:  # ^, $, \\b: match no character
        return frozenset({""})
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _spellings(list(av[3]))
    if op is sre.BRANCH:
        options = [_spellings(list(branch)) for branch in av[1]]
        return (frozenset().union(*options)  # type: ignore[arg-type]  # all() checked: no None
                if all(option is not None for option in options) else None)
    if (op is sre.MAX_REPEAT or op is sre.MIN_REPEAT) and av[1] <= 2:
        body = _spellings(list(av[2]))
        if body is None:
            return None
        spelled, total = frozenset({""}), frozenset({""}) if av[0] == 0 else frozenset()
        for count in range(1, av[1] + 1):
            spelled = frozenset(head + tail for head in spelled for tail in body)
            if count >= av[0]:
                total |= spelled
        return total if len(total) <= _MAX_SPELLINGS else None
    return None


def _required_literals(items: list) -> frozenset[str] | None:
    """Lower-cased strings one of which every match of the parsed regex sequence `items` contains, or
    None when no such set is found. A run of items with few spellings (`_spellings`) gives the set of
    those spellings ("\\b(request|get) a (free )?demo" needs "request a demo", "get a free demo", ...);
    groups, branches and repeats elsewhere are looked into for a set of their own; the set whose shortest
    string is longest is kept."""
    best: frozenset[str] | None = None

    def consider(option: frozenset[str] | None) -> None:
        nonlocal best
        if option and all(option) and (best is None or min(map(len, option)) > min(map(len, best))):
            best = option

    run = frozenset({""})
    for op, av in items:
        options = _item_spellings(op, av)
        if options is not None:
            joined = frozenset(head + tail for head in run for tail in options)
            if len(joined) <= _MAX_SPELLINGS:
                run = joined
                continue
        consider(run)
        run = frozenset({""}) if options is None else options
        if options is not None:
            continue
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            consider(_required_literals(list(av[3])))
        elif op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
            if av[0] >= 1:
                consider(_required_literals(list(av[2])))
        elif op is sre.BRANCH:
            branches = [_required_literals(list(branch)) for branch in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]  # all() checked: no None
    consider(run)
    return best


class LexiconMatcher:
    """`lexicon_pattern(name).search(text) is not None`, answered faster: entries anchored with ^ are
    tried once at the start, and each other entry only when a literal it requires is in the text."""

    def __init__(self, name: str) -> None:
        plain_flags = _parser.parse("x", re.IGNORECASE).state.flags
        anchored: list[str] = []
        anchored_literals: list[frozenset[str] | None] = []
        self.filtered: list[tuple[frozenset[str], re.Pattern[str]]] = []
        self.unfiltered: list[re.Pattern[str]] = []
        for entry in load_lexicon(name):
            parsed = _parser.parse(entry, re.IGNORECASE)
            # no inline flags, no back-references: such an entry is searched on its own, unfiltered
            plain = parsed.state.flags == plain_flags and not _BACKREFERENCE_RE.search(entry)
            literals = _required_literals(list(parsed.data)) if plain else None
            if plain and parsed.data and parsed.data[0] == (sre.AT, sre.AT_BEGINNING):
                anchored.append(entry[1:])
                anchored_literals.append(literals)
                continue
            if literals:
                self.filtered.append((literals, re.compile(entry, re.IGNORECASE)))
            else:
                self.unfiltered.append(re.compile(entry, re.IGNORECASE))
        self.literals = frozenset().union(*(literals for literals, _ in self.filtered))
        # each required literal's entries, so only the entries of the literals a text holds are searched
        by_literal: dict[str, list[re.Pattern[str]]] = {}
        for literals, pattern in self.filtered:
            for literal in literals:
                by_literal.setdefault(literal, []).append(pattern)
        self.by_literal = {literal: tuple(patterns) for literal, patterns in by_literal.items()}
        self.anchored = (re.compile("|".join(f"(?:{e})" for e in anchored), re.IGNORECASE)
                         if anchored else None)
        # the literals one of which a text needs for an anchored entry to match it (None: some entry has
        # none, so the anchored entries are always tried)
        self.anchored_literals: frozenset[str] | None = (
            frozenset().union(*anchored_literals) if all(anchored_literals) else None)  # type: ignore[arg-type]

    def search(self, text: str, present: frozenset[str] | None) -> bool:
        """True when an entry matches `text`; `present` is `present_literals(text)`: the required literals
        found in it (None when the text holds an ASCII case twin: then every entry is searched)."""
        anchored = self.anchored
        if anchored is not None and _may_match(self.anchored_literals, present) and anchored.match(text):
            return True
        return self.search_unanchored(text, present)

    def search_unanchored(self, text: str, present: frozenset[str] | None) -> bool:
        """`search` without the entries anchored at the start (those `first_anchored_label` tries)."""
        if any(pattern.search(text) for pattern in self.unfiltered):
            return True
        if present is None:
            return any(pattern.search(text) for _, pattern in self.filtered)
        return any(pattern.search(text) for literal in present & self.literals
                   for pattern in self.by_literal[literal])


def _may_match(literals: frozenset[str] | None, present: frozenset[str] | None) -> bool:
    """False only when a text (whose literals found are `present`) holds none of `literals`, one of which
    every match needs; None for either means unknown, so the regex must be tried."""
    return literals is None or present is None or not literals.isdisjoint(present)


@cache
def lexicon_matcher(name: str) -> LexiconMatcher:
    """The `LexiconMatcher` of lexicon `name`, built once."""
    return LexiconMatcher(name)


_MATCHED_LEXICONS = tuple(f"boilerplate_{name}" for name in (*CATEGORIES, "always", "comment_section"))


@cache
def _all_literals() -> tuple[str, ...]:
    """Every literal a pre-check of the matched lexicons looks for (their entries' and anchored ones')."""
    found: set[str] = set()
    for name in _MATCHED_LEXICONS:
        matcher = lexicon_matcher(name)
        found |= matcher.literals | (matcher.anchored_literals or frozenset())
    return tuple(sorted(found))


@cache
def _literal_automaton() -> ahocorasick_rs.AhoCorasick:
    """One Aho-Corasick automaton of every required literal: a single pass finds all that occur. A DFA:
    built once in ~2 ms, it scans a block about twice as fast as the default NFA (same matches)."""
    return ahocorasick_rs.AhoCorasick(_all_literals(), implementation=ahocorasick_rs.Implementation.DFA)


def present_literals(text: str, lowered: str | None = None) -> frozenset[str] | None:
    """The required literals of the boilerplate lexicons that occur in `text` (lower-cased; `lowered` is
    `text.lower()` when the caller has it), or None when `text` holds an ASCII case twin (a substring
    test could then miss a case-insensitive match; an ASCII text holds none)."""
    if not text.isascii() and _CASE_TWIN_RE.search(text):
        return None
    lowered = text.lower() if lowered is None else lowered
    return frozenset(_literal_automaton().find_matches_as_strings(lowered, overlapping=True))


# The lexicons `lexicon_label` tries in turn: the categories', then "always" (a legal block).
_LABEL_LEXICONS: tuple[tuple[str, str], ...] = (
    *((category, f"boilerplate_{category}") for category in CATEGORIES), (LEGAL, "boilerplate_always"))


@cache
def _anchored_label_pattern(unfiltered_only: bool = False) -> re.Pattern[str] | None:
    """The entries anchored at the start of every lexicon `lexicon_label` tries (or, `unfiltered_only`,
    of those whose anchored entries have no required literals), as one alternation with a named group per
    lexicon, in that order: a match's first set group is the first lexicon matching."""
    groups = [f"(?P<g{i}>{matcher.anchored.pattern})" for i, (_, name) in enumerate(_LABEL_LEXICONS)
              if (matcher := lexicon_matcher(name)).anchored is not None
              and not (unfiltered_only and matcher.anchored_literals is not None)]
    return re.compile("|".join(groups), re.IGNORECASE) if groups else None


@cache
def _anchored_literals() -> frozenset[str]:
    """The required literals of the anchored entries of the `_LABEL_LEXICONS` that have them."""
    return frozenset().union(*(lexicon_matcher(name).anchored_literals or frozenset()
                               for _, name in _LABEL_LEXICONS))


def first_anchored_label(text: str, present: frozenset[str] | None = None) -> int:
    """Index in `_LABEL_LEXICONS` of the first lexicon whose anchored entries match `text` (one regex
    match for all of them), or len(_LABEL_LEXICONS) when none does. Given `present` (`present_literals`)
    holding no anchored entry's required literal, only the lexicons without such literals are tried."""
    filtered = present is not None and present.isdisjoint(_anchored_literals())
    pattern = _anchored_label_pattern(unfiltered_only=filtered)
    match = pattern.match(text) if pattern is not None else None
    if match is None:
        return len(_LABEL_LEXICONS)
    return next(int(name[1:]) for name, value in match.groupdict().items() if value is not None)


def always_boilerplate(text: str, present: frozenset[str] | None) -> bool:
    """True for a copyright notice or cookie banner: boilerplate even as a long paragraph. `present` is
    `present_literals(text)` (a block's are found once, in `BlockFeatures.present`)."""
    return lexicon_matcher("boilerplate_always").search(text, present)


def lexicon_category(text: str) -> str:
    """The first boilerplate category whose lexicon matches `text`, or '' when none does."""
    present = present_literals(text)
    for category in CATEGORIES:
        if lexicon_matcher(f"boilerplate_{category}").search(text, present):
            return category
    return ""


def lexicon_label(text: str, present: frozenset[str] | None) -> str:
    """lexicon_category(text), else legal when `always_boilerplate(text, present)`, given `present =
    present_literals(text)`; the anchored entries of all the lexicons are tried in one match."""
    anchored = first_anchored_label(text, present)
    if present is None:
        candidates: Iterable[int] = range(anchored)
    else:  # the other lexicons hold no literal of the text, so no entry of theirs can match it
        by_literal, unfiltered = _label_lexicons_by_literal()
        candidates = sorted({i for literal in present for i in by_literal[literal] if i < anchored}
                            | {i for i in unfiltered if i < anchored})
    for i in candidates:
        category, name = _LABEL_LEXICONS[i]
        if lexicon_matcher(name).search_unanchored(text, present):
            return category
    return _LABEL_LEXICONS[anchored][0] if anchored < len(_LABEL_LEXICONS) else ""


@cache
def _label_lexicons_by_literal() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """For each required literal, the indices in `_LABEL_LEXICONS` of the lexicons that need it; and the
    indices of the lexicons with entries searched unfiltered."""
    matchers = [lexicon_matcher(name) for _, name in _LABEL_LEXICONS]
    by_literal = {literal: tuple(i for i, m in enumerate(matchers) if literal in m.literals)
                  for literal in _all_literals()}
    return by_literal, tuple(i for i, m in enumerate(matchers) if m.unfiltered)


@dataclass(slots=True)
class BlockFeatures:
    """What the labeller knows about one block on its own (not changed once built; not frozen, whose
    __init__ sets each of the eleven fields through object.__setattr__: 2.5x slower to build, 18,208 of
    them on a 5 MB page)."""

    text: str
    chars: int
    words: tuple[str, ...]
    stopword_density: float
    link_density: float
    heading: bool
    tag: str  # the DOM block's tag ('' in text mode)
    ends_sentence: bool
    truncated: bool
    lexicon: str
    present: frozenset[str] | None  # present_literals(text): what the lexicons' literal pre-checks need

    @property
    def sentence_like(self) -> bool:
        """Reads like prose: a few words ending in sentence punctuation, with some stop words."""
        return self.ends_sentence and len(self.words) >= 4 and self.stopword_density >= 0.15

    def content_words(self) -> set[str]:
        """The block's words longer than two letters that are not stop words."""
        return {w for w in set(self.words) - stop_words() if len(w) > 2}


def block_features(text: str, hint: BlockHint | None = None) -> BlockFeatures:
    """Length, stop-word and link density, punctuation and lexicon category of one block's text.
    Length counts a CJK character as `SEGMENT.cjk_char_weight` characters (it carries about a word)."""
    # no-break spaces, tabs, runs: patterns see one plain space (a printable text holds no whitespace but
    # the plain space, so only a double space is looked for in it, without the regex)
    if "  " in text or (not text.isprintable() and _ODD_SPACE_RE.search(text)):
        text = _SPACE_RE.sub(" ", text)
    text = text.strip()
    lowered = text.lower()
    # lower-casing an ASCII text first finds the same words, lower-cased, with one call
    words = tuple(find_words(lowered) if text.isascii() else map(str.lower, find_words(text)))
    stops = sum(map(stop_words().__contains__, words))
    cjk = 0 if text.isascii() else len(_CJK_RE.findall(text))
    chars = len(text) + (SEGMENT.cjk_char_weight - 1) * cjk
    link_chars = hint.link_chars if hint is not None else 0
    present = present_literals(text, lowered)
    return BlockFeatures(
        text=text,
        chars=chars,
        words=words,
        stopword_density=stops / len(words) if words else 0.0,
        link_density=min(1.0, link_chars / len(text)) if text else 0.0,
        heading=hint is not None and hint.tag in _HEADING_TAGS,
        tag=hint.tag if hint is not None else "",
        ends_sentence=ends_sentence(text),
        truncated=truncated(text),
        lexicon=lexicon_label(text, present),
        present=present,
    )


def ends_sentence(text: str) -> bool:
    """`text` (a stripped block) ends in sentence punctuation, maybe then closing quotes or brackets."""
    return text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "。", "！", "？")


def truncated(text: str) -> bool:
    """`text` ends in an ellipsis ("…" or "..."), maybe followed by closing quote marks or brackets."""
    return text.rstrip(_CLOSERS).endswith(("…", "..."))


def looks_like_title(f: BlockFeatures) -> bool:
    """A headline-like line: no sentence punctuation at the end, and short or mostly capitalised."""
    if f.ends_sentence:
        return False
    capitalised = sum(word[:1].isupper() for word in WORD_RE.findall(f.text))
    return len(f.words) <= 15 or capitalised * 2 > len(f.words)


def is_prose(f: BlockFeatures) -> bool:
    """A sentence-like block without a boilerplate pattern or many links: kept as body when it sits
    between body paragraphs, whatever its stop-word density (when unsure, keep prose)."""
    linked = f.link_density > SEGMENT.max_link_density
    return f.sentence_like and not f.truncated and not f.lexicon and not linked


def is_interior_prose(f: BlockFeatures) -> bool:
    """Prose between body paragraphs that stays body: any sentence-like block, and even one that matches
    a boilerplate pattern when it is a long sentence ("... the privacy policy pages of ministries ...")."""
    if is_prose(f):
        return True
    long_sentence = (
        f.sentence_like and len(f.words) >= SEGMENT.min_words_to_overrule_pattern and not f.truncated
    )
    unlinked = f.link_density <= SEGMENT.max_link_density
    return long_sentence and unlinked and not always_boilerplate(f.text, f.present)


def is_strong_body(f: BlockFeatures, use_stopwords: bool = True) -> bool:
    """A long prose paragraph: never silenced by a pattern (precision on the body comes first)."""
    dense = f.stopword_density >= SEGMENT.stopwords_high or not use_stopwords
    linked = f.link_density > SEGMENT.max_link_density
    return f.chars > SEGMENT.length_high and dense and not f.truncated and not linked


def context_free_class(f: BlockFeatures, use_stopwords: bool = True) -> str:
    """jusText's per-block class: good, near-good, short or bad."""
    if f.link_density > SEGMENT.max_link_density:
        return BAD
    if f.lexicon and (not is_strong_body(f, use_stopwords) or always_boilerplate(f.text, f.present)):
        return BAD
    if f.chars < SEGMENT.length_low:
        return BAD if f.link_density > 0 else SHORT
    density = f.stopword_density if use_stopwords else 1.0
    if f.truncated:  # a teaser snippet cut with an ellipsis is at best near-good
        return NEAR_GOOD if density >= SEGMENT.stopwords_low else BAD
    if density >= SEGMENT.stopwords_high and f.chars > SEGMENT.length_high:
        return GOOD
    if density >= SEGMENT.stopwords_low:
        # a near-good line without sentence punctuation (a headline, a teaser title) is decided by its
        # neighbours like a short block, so a list of headlines beside the article does not join it
        return SHORT if looks_like_title(f) else NEAR_GOOD
    return BAD


# ------------------------------------------------------------------------------------ jusText smoothing


def neighbour_classes(classes: Sequence[str], skip: frozenset[str]) -> tuple[list[str], list[str]]:
    """For each block, the class of the nearest block before it and after it whose class is not in
    `skip` (bad past the page's edges); linear time, so a page of thousands of menu lines stays fast."""
    before, after = [BAD] * len(classes), [BAD] * len(classes)
    last = BAD
    for i, cls in enumerate(classes):
        before[i] = last
        if cls not in skip:
            last = cls
    last = BAD
    for i in range(len(classes) - 1, -1, -1):
        after[i] = last
        if classes[i] not in skip:
            last = classes[i]
    return before, after


_SHORT_ONLY = frozenset({SHORT})
_SHORT_OR_NEAR_GOOD = frozenset({SHORT, NEAR_GOOD})


def revise_classes(classes: list[str], feats: Sequence[BlockFeatures]) -> list[str]:
    """jusText's context pass: headings before good text, short blocks, then near-good blocks become
    good or bad from their neighbours."""
    classes = list(classes)
    for i, f in enumerate(feats):  # a heading shortly before a good block is near-good
        if f.heading and classes[i] == SHORT and not f.lexicon:
            distance = 0
            for j in range(i + 1, len(feats)):
                if classes[j] == GOOD:
                    classes[i] = NEAR_GOOD
                    break
                distance += feats[j].chars
                if distance > SEGMENT.max_heading_distance:
                    break
    prev, nxt = neighbour_classes(classes, _SHORT_OR_NEAR_GOOD)
    prev_any, nxt_any = neighbour_classes(classes, _SHORT_ONLY)
    revised = list(classes)
    for i, cls in enumerate(classes):
        if cls != SHORT:
            continue
        if prev[i] == nxt[i]:
            revised[i] = prev[i]
        elif (prev[i] == BAD and prev_any[i] == NEAR_GOOD) or (nxt[i] == BAD and nxt_any[i] == NEAR_GOOD):
            revised[i] = GOOD
        else:
            revised[i] = BAD
    classes = revised
    prev, nxt = neighbour_classes(classes, _SHORT_OR_NEAR_GOOD)
    revised = list(classes)
    for i, cls in enumerate(classes):
        if cls == NEAR_GOOD:
            revised[i] = BAD if prev[i] == nxt[i] == BAD else GOOD
    return revised


def promote_prose_runs(classes: list[str], feats: Sequence[BlockFeatures]) -> list[str]:
    """Near-good prose next to other prose becomes good: news sites write one- or two-sentence
    paragraphs too short for jusText's 200 characters, and a run of them is an article, not a menu."""
    prose_classes = [
        "prose" if c in (GOOD, NEAR_GOOD) and feats[i].ends_sentence and not feats[i].truncated else c
        for i, c in enumerate(classes)
    ]
    before, after = neighbour_classes(prose_classes, _SHORT_ONLY)
    return [GOOD if c == NEAR_GOOD and p == "prose" and "prose" in (before[i], after[i]) else c
            for i, (c, p) in enumerate(zip(classes, prose_classes, strict=True))]


# ------------------------------------------------------------------------------------------- regions


def is_related_heading(f: BlockFeatures) -> bool:
    """A "Recent Posts"-like heading that opens a run of teasers."""
    return f.lexicon == RELATED and len(f.words) <= 8 and not f.sentence_like


def opens_comments(f: BlockFeatures) -> bool:
    """A comment-section heading ("34 responses to ...", "Leave a Reply", "Comments")."""
    return len(f.words) <= 14 and lexicon_matcher("boilerplate_comment_section").search(f.text, f.present)


def is_date_line(f: BlockFeatures) -> bool:
    """A block that is only a date ("Tuesday November 19, 2019", "11/20/2019 01:14 PM")."""
    match = _DATE_RE.search(f.text)
    if not match or f.ends_sentence or len(f.words) > 7:
        return False
    return len(WORD_RE.findall(f.text[match.end():])) <= 3  # at most a time ("at 6:44 am", "10:43 GMT")


def teaser_signal_ahead(feats: Sequence[BlockFeatures], i: int) -> bool:
    """A date line among the next few blocks: the list of dated teasers goes on."""
    return any(is_date_line(f) for f in feats[i + 1:i + 1 + SEGMENT.teaser_lookahead])


def region_categories(feats: Sequence[BlockFeatures]) -> list[str]:
    """For each block, the category of the region it lies in ('' outside any).

    A related heading, or a date line after a full paragraph of prose, opens a teaser region; it runs
    until a prose paragraph with no further teaser signal just after it, or a block of another category.
    A comment-section heading after some prose opens a social region that runs to the end of the page,
    or to a related heading or a legal footer (comments are prose, so prose cannot end it)."""
    regions = [""] * len(feats)
    current = ""
    seen_prose = seen_paragraph = False
    for i, f in enumerate(feats):
        prose = is_prose(f) and f.chars >= SEGMENT.length_low
        if is_related_heading(f) or (seen_paragraph and current != SOCIAL and is_date_line(f)):
            current = RELATED
        elif seen_prose and current != SOCIAL and opens_comments(f):
            current = SOCIAL
        elif current == SOCIAL:
            if f.lexicon == LEGAL:
                current = ""
        elif current and prose and not teaser_signal_ahead(feats, i):
            current = ""
        elif current and f.lexicon and f.lexicon != current:
            current = ""
        seen_prose = seen_prose or (prose and not current)
        seen_paragraph = seen_paragraph or (prose and not current and f.chars > SEGMENT.length_high)
        regions[i] = current
    return regions


def _overlaps_body(f: BlockFeatures, body_words: Callable[[], set[str]]) -> bool:
    """A title-like block shares its vocabulary with the body: two content words, or half of them."""
    content = f.content_words()
    shared = len(content & body_words())
    return shared >= 2 or (bool(content) and shared * 2 >= len(content) and shared >= 1)


def is_preamble(f: BlockFeatures, body_words: Callable[[], set[str]], title: str) -> bool:
    """Headline, dateline, byline or standfirst of the article (body), judged before its first paragraph.
    `body_words` gives the body's words (a function: they are built only when needed)."""
    if f.lexicon or f.link_density > 0.5 or f.tag in _NOT_PREAMBLE_TAGS:
        return False
    if title and f.text.lower() == title.strip().lower():
        return True
    if _DATE_RE.search(f.text) and len(f.words) <= 8:
        return True
    if _BYLINE_RE.search(f.text) and len(f.words) <= 10:
        return True
    if len(f.words) < 3:
        return False
    return f.sentence_like or _overlaps_body(f, body_words)


def is_postscript(f: BlockFeatures) -> bool:
    """A byline, credit line or closing sentence right after the last body paragraph (body)."""
    if f.lexicon or f.link_density > 0.5:
        return False
    if _BYLINE_RE.search(f.text) and len(f.words) <= 10:
        return True
    return f.sentence_like and not f.truncated


def fallback_body(feats: Sequence[BlockFeatures]) -> list[bool]:
    """For a page without one good paragraph: its prose-like blocks without a pattern are body."""
    return [not f.lexicon and f.link_density <= 0.5 and (f.sentence_like or f.chars >= SEGMENT.length_high)
            for f in feats]


def has_article_start(feats: Sequence[BlockFeatures], first: int) -> bool:
    """A byline or dateline among the few blocks just before block `first`: an article starts there."""
    for f in feats[max(0, first - SEGMENT.max_preamble_blocks):first]:
        if (_BYLINE_RE.search(f.text) or _DATE_RE.search(f.text)) and len(f.words) <= 10 and not f.lexicon:
            return True
    return False


def cluster_weight(feats: Sequence[BlockFeatures], cluster: list[int]) -> float:
    """How likely a cluster of good blocks is the article: its characters, doubled when a byline or
    dateline heads it, halved when a legal block (copyright, terms) sits in it or just after it."""
    weight = float(sum(feats[i].chars for i in cluster))
    if has_article_start(feats, cluster[0]):
        weight *= 2
    if any(f.lexicon == LEGAL for f in feats[cluster[0]:cluster[-1] + 1 + SEGMENT.footer_distance_blocks]):
        weight /= 2
    return weight


def main_clusters(good: list[int], feats: Sequence[BlockFeatures]) -> list[int]:
    """The good blocks that belong to the article. Good blocks are grouped into clusters split by runs of
    `SEGMENT.cluster_gap_blocks` other blocks; the article is the cluster of highest `cluster_weight`. Another
    cluster stays if it is within `far_gap_blocks` blocks of it and weighs `min_cluster_share` of it:
    the article's second half after an inline teaser list stays, a lone "contact our customer service"
    paragraph in the footer goes."""
    if not good:
        return []
    clusters: list[list[int]] = [[good[0]]]
    for i in good[1:]:
        if i - clusters[-1][-1] - 1 >= SEGMENT.cluster_gap_blocks:
            clusters.append([])
        clusters[-1].append(i)
    sizes = [cluster_weight(feats, cluster) for cluster in clusters]
    main = clusters[sizes.index(max(sizes))]
    kept = []
    for cluster, size in zip(clusters, sizes, strict=True):
        distance = max(cluster[0] - main[-1], main[0] - cluster[-1])
        near = distance <= SEGMENT.far_gap_blocks
        if cluster is main or (near and size >= SEGMENT.min_cluster_share * max(sizes)):
            kept.extend(cluster)
    return kept


def page_uses_stopwords(feats: Sequence[BlockFeatures]) -> bool:
    """True when the page reads as English prose, so stop-word density is a usable signal."""
    words = sum(len(f.words) for f in feats)
    stops = sum(f.stopword_density * len(f.words) for f in feats)
    return words > 0 and stops / words >= SEGMENT.min_page_stopword_density


def add_preamble(flags: list[bool], feats: Sequence[BlockFeatures], title: str) -> None:
    """Mark as body the headline, dateline, byline and standfirst just above the first body block."""
    body = [i for i, flag in enumerate(flags) if flag]
    if not body:
        return
    # every word of the body (rarely needed): a content word shares in it exactly what it shares in the
    # body's content words, and the union of word tuples is built in C
    body_words = cache(lambda: set().union(*(feats[i].words for i in body)))
    for i in range(body[0] - 1, max(-1, body[0] - 1 - SEGMENT.max_preamble_blocks), -1):
        if feats[i].tag == "figcaption":  # a lead photo's caption between standfirst and text: skipped
            continue
        if not is_preamble(feats[i], body_words, title):
            break
        flags[i] = True
    headline = find_title_block(feats, body[0], title)
    if headline is not None:  # the page's own title just above the body, with byline and date under it
        flags[headline] = True
        for i in range(headline + 1, body[0]):
            f = feats[i]
            if (_BYLINE_RE.search(f.text) or is_date_line(f)) and len(f.words) <= 10:
                flags[i] = True


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def find_title_block(feats: Sequence[BlockFeatures], first: int, title: str) -> int | None:
    """Index of the block just above block `first` that is the article's title (the page's og:title or
    <title>, give or take punctuation), or None."""
    wanted = _letters(title)
    if len(wanted) < 10:
        return None
    for i in range(first - 1, max(-1, first - 1 - 2 * SEGMENT.max_preamble_blocks), -1):
        have = _letters(feats[i].text)
        if have and (have in wanted or wanted in have) and min(len(have), len(wanted)) >= 0.8 * max(
                len(have), len(wanted)):
            return i
    return None


def is_list_item(f: BlockFeatures) -> bool:
    """A long line of a list in the article (a recipe's ingredients): not a title, no pattern, few links."""
    long_enough = f.chars >= SEGMENT.length_low
    return long_enough and not f.lexicon and f.link_density <= 0.5 and not looks_like_title(f)


def list_continuation(feats: Sequence[BlockFeatures], regions: Sequence[str], last: int) -> int:
    """Index of the last block of a list that goes on after the last body block `last` (or `last`): long
    list lines at most SEGMENT.list_gap_blocks apart, up to a pattern, a region or a linked block."""
    end = last
    for i in range(last + 1, len(feats)):
        f = feats[i]
        if f.lexicon or regions[i] or f.link_density > 0.5 or i - end > SEGMENT.list_gap_blocks:
            break
        if is_list_item(f):
            end = i
    return end


def body_flags(feats: Sequence[BlockFeatures], title: str = "",
               regions: Sequence[str] | None = None) -> list[bool]:
    """Which blocks are article body: jusText classes smoothed by context, regions (`region_categories`,
    computed when not given) and position."""
    use_stopwords = page_uses_stopwords(feats)
    regions = region_categories(feats) if regions is None else regions
    classes = [BAD if regions[i] else context_free_class(f, use_stopwords) for i, f in enumerate(feats)]
    classes = revise_classes(promote_prose_runs(classes, feats), feats)
    good = main_clusters([i for i, c in enumerate(classes) if c == GOOD], feats)
    if not good:
        return fallback_body(feats)
    first, last = good[0], list_continuation(feats, regions, good[-1])
    flags = [False] * len(feats)
    for i in good:
        flags[i] = True
    for i in range(first, last + 1):  # inside the body, prose and pull-quote markers stay body
        f = feats[i]
        if _PULL_QUOTE_MARK_RE.match(f.text) or (not regions[i] and is_interior_prose(f)):
            flags[i] = True
    for i in range(good[-1] + 1, last + 1):  # a list going on after the last paragraph: all its lines
        flags[i] = True
    add_preamble(flags, feats, title)
    for i in range(last + 1, len(feats)):
        if regions[i] or not is_postscript(feats[i]):
            break
        flags[i] = True
    return flags


# ------------------------------------------------------------------------------------------ categories


def default_category(f: BlockFeatures, before_body: bool, previous: str) -> str:
    """Category of a boilerplate block no pattern names: navigation before the article; after it, the
    category of the boilerplate just above, else related for a headline-like line (a teaser title)."""
    if before_body or f.link_density > 0.5:
        return NAVIGATION
    if previous:
        return previous
    return RELATED if looks_like_title(f) and len(f.words) >= 4 else NAVIGATION


def boilerplate_categories(feats: Sequence[BlockFeatures], flags: Sequence[bool],
                           regions: Sequence[str] | None = None) -> list[str]:
    """A label per block: body, else its lexicon category, its region's (`region_categories`, computed
    when not given), or one from its position."""
    regions = region_categories(feats) if regions is None else regions
    body_indices = [i for i, flag in enumerate(flags) if flag]
    first = body_indices[0] if body_indices else len(flags)
    labels: list[str] = []
    previous = ""
    for i, f in enumerate(feats):
        if flags[i]:
            labels.append(BODY)
            previous = ""
            continue
        category = f.lexicon or regions[i] or default_category(f, i < first, previous)
        labels.append(category)
        previous = category
    # the name line of an author box ("IN Editorial Team") goes with the blurb under it
    for i in range(len(labels) - 1):
        if labels[i + 1] == BYLINE_BLURB and labels[i] not in (BODY, BYLINE_BLURB) and not feats[i].lexicon:
            if len(feats[i].words) <= 5 and not feats[i].ends_sentence:
                labels[i] = BYLINE_BLURB
    return labels


def main_text_flags(texts: Sequence[str], main_text: str) -> list[bool]:
    """Which blocks appear in `main_text` (an extractor's output): a block of three words or more when
    its text occurs anywhere in it, a shorter one only when it is a whole line (or table cell) of it."""
    lines = {_SPACE_RE.sub(" ", line).strip() for line in main_text.splitlines()}
    lines |= {cell.strip() for line in lines if "|" in line for cell in line.split("|")}  # table cells
    norms = [_SPACE_RE.sub(" ", text).strip() for text in texts]
    # a whole line (or cell) of the main text is in it; the other blocks of three words or more are looked
    # for in one Aho-Corasick pass (a substring test per block was quadratic: 0.8-1.1 s for a 1 MB page of
    # 4,000 paragraphs)
    unsure = list({norm for norm in norms if norm and norm not in lines and len(WORD_RE.findall(norm)) >= 3})
    found = set(ahocorasick_rs.AhoCorasick(unsure).find_matches_as_strings(
        _SPACE_RE.sub(" ", main_text), overlapping=True)) if unsure else set()
    return [bool(norm) and (norm in lines or norm in found) for norm in norms]


def is_long_prose(f: BlockFeatures) -> bool:
    """A full paragraph of prose: longer than jusText's long-block threshold, sentence-like, not cut."""
    return f.chars > SEGMENT.length_high and f.sentence_like and not f.truncated


def is_extractor_boilerplate(f: BlockFeatures) -> bool:
    """A block of an extractor's main text that is boilerplate all the same: a copyright or cookie notice;
    or, short of a full paragraph of prose, a block a boilerplate pattern names ("Subscribe to our
    newsletter", "Related: ...") or a link-dense line that is no sentence (a teaser's headline)."""
    if always_boilerplate(f.text, f.present):
        return True
    if is_long_prose(f):
        return False
    return bool(f.lexicon) or (f.link_density > 0.5 and not f.sentence_like)


def trafilatura_main_text(raw_html: str) -> str:
    """trafilatura's main text of a page ('' when it finds none or fails); no network involved."""
    import trafilatura

    try:
        return trafilatura.extract(raw_html, include_comments=False) or ""
    except Exception:  # noqa: BLE001 - a page trafilatura cannot handle falls back to our own labeller
        return ""


def label_blocks(texts: Sequence[str], hints: Sequence[BlockHint | None] = (), title: str = "",
                 main_text: str = "") -> list[str]:
    """The label of each block (body or a boilerplate category), blocks given in page order. With
    `main_text` (an HTML extractor's output) the blocks found in it, and the headline above them, are
    the body."""
    return label_features(block_features_of(texts, hints), texts, title, main_text)


def block_features_of(texts: Sequence[str], hints: Sequence[BlockHint | None] = ()) -> list[BlockFeatures]:
    """`block_features` of each block, blocks given in page order with their DOM hints (if any)."""
    hint_list = list(hints) + [None] * (len(texts) - len(hints))
    return [block_features(text, hint) for text, hint in zip(texts, hint_list, strict=False)]


def label_features(feats: Sequence[BlockFeatures], texts: Sequence[str], title: str = "",
                   main_text: str = "") -> list[str]:
    """`label_blocks` of blocks whose features `feats` are computed already."""
    flags = main_text_flags(texts, main_text) if main_text.strip() else []
    regions = region_categories(feats)
    if any(flags):  # what the extractor kept that our patterns or link density still call boilerplate
        flags = [flag and not is_extractor_boilerplate(f) for flag, f in zip(flags, feats, strict=True)]
    if any(flags):
        add_preamble(flags, feats, title)  # extractors drop the headline; here it belongs to the article
    else:
        flags = body_flags(feats, title, regions)
    return boilerplate_categories(feats, flags, regions)


# ---------------------------------------------------------------------------------------------- entry


def split_blocks(article: Article) -> list[tuple[int, int]]:
    """Block ranges: the DOM blocks ingest recorded for HTML, else one block per non-blank line."""
    if article.block_hints:
        return [(h.start, h.end) for h in article.block_hints]
    return [m.span() for m in re.finditer(r"[^\n]*\S[^\n]*", article.text)]


def segment(article: Article) -> Document:
    """Build the `Document` for an article: its blocks, each labelled body or a boilerplate category."""
    ranges = split_blocks(article)
    texts = [article.text[start:end] for start, end in ranges]
    hints = list(article.block_hints) if article.block_hints else []
    main_text = trafilatura_main_text(article.raw_html) if article.raw_html and USE_TRAFILATURA else ""
    feats = block_features_of(texts, hints)
    labels = label_features(feats, texts, article.title, main_text)
    blocks = tuple(Block(start, end, label) for (start, end), label in zip(ranges, labels, strict=True))
    # each block's word count, so the Document counts the page's words without scanning boilerplate again
    word_counts = tuple(len(f.words) for f in feats)
    return Document(article.text, blocks, title=article.title, block_word_counts=word_counts)
