"""Punkt sentence boundaries for the untrained case, on plain compiled regexes and tuples.

A port of the parts of NLTK 3.10.4's `nltk/tokenize/punkt.py` (Kiss & Strunk 2006; NLTK, Apache-2.0,
https://github.com/nltk/nltk) that `PunktSentenceTokenizer(params).span_tokenize` runs when `params`
holds only abbreviations (no collocations, sentence starters or orthographic context). Why not import
NLTK: `import nltk` costs about 1.4 s and 250 MB (its `__init__` pulls in scipy, parsers and
classifiers), and in 3.10 every regex call goes through `nltk.redos.TimedPattern`; Punkt itself builds
an object per token. The regexes below are NLTK's, character for character; the decision steps are
NLTK's with the empty-parameter look-ups folded away (with no orthographic context the heuristic can
never say "starts a sentence", so an abbreviation never ends one). `tests/test_text_punkt.py` checks the
spans equal NLTK's on the seeds, the training articles and generated text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

_SENT_END_CHARS = (".", "?", "!")
_PUNCTUATION = tuple(";:,.!?")
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb" + re.escape("!?") + "])"
_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"

_WORD_TOKEN_RE = re.compile(
    r"""(
        %(MultiChar)s
        |
        (?=%(WordStart)s)\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            %(NonWord)s|%(MultiChar)s|          # Punctuation
            ,(?=$|\s|%(NonWord)s|%(MultiChar)s) # Comma if at end of word
        )
        |
        \S
    )""" % {"NonWord": _NON_WORD, "MultiChar": _MULTI_CHAR, "WordStart": _WORD_START},  # noqa: UP031 - NLTK's text
    re.UNICODE | re.VERBOSE,
)
_PERIOD_CONTEXT_RE = re.compile(
    r"""
        %(SentEndChars)s             # a potential sentence ending
        (?=(?P<after_tok>
            %(NonWord)s              # either other punctuation
            |
            \s+(?P<next_tok>\S+)     # or whitespace and some other token
        ))""" % {"NonWord": _NON_WORD, "SentEndChars": "[" + re.escape("".join(_SENT_END_CHARS)) + "]"},  # noqa: UP031
    re.UNICODE | re.VERBOSE,
)
_BOUNDARY_REALIGNMENT_RE = re.compile(r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)',
                                      re.MULTILINE)
_ELLIPSIS_RE = re.compile(r"\.\.+$")
_NUMERIC_RE = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_INITIAL_RE = re.compile(r"[^\W\d]\.$", re.UNICODE)
_WHITESPACE = frozenset(" \t\n\r\x0b\x0c")  # string.whitespace, as NLTK's last-whitespace search uses


def _is_sentence_break(tok: str, next_tok: str, abbreviations: Collection[str]) -> bool:
    """Whether token `tok` ends a sentence given the token after it (NLTK's two annotation passes)."""
    if tok in _SENT_END_CHARS:
        return True
    if _ELLIPSIS_RE.match(tok) or not tok.endswith(".") or tok.endswith(".."):
        return False
    stem = tok[:-1].lower()
    if stem in abbreviations or stem.split("-")[-1] in abbreviations:
        return False
    # a period-final word: a break unless it is an initial or a number and the next token is
    # punctuation or starts lower-case (or, for an initial, starts upper-case)
    is_initial = _INITIAL_RE.match(tok) is not None
    word_type = _NUMERIC_RE.sub("##number##", tok.lower())
    if len(word_type) > 1 and word_type[-1] == ".":
        word_type = word_type[:-1]
    if is_initial or word_type == "##number##":
        if next_tok in _PUNCTUATION or next_tok[0].islower():
            return False
        if is_initial and next_tok[0].isupper():
            return False
    return True


def _contains_sentence_break(context: str, abbreviations: Collection[str]) -> bool:
    """NLTK's `text_contains_sentbreak`: a token that ends a sentence with another token after it."""
    tokens = [tok for line in context.split("\n") if line.strip() for tok in _WORD_TOKEN_RE.findall(line)]
    return any(_is_sentence_break(tokens[i], tokens[i + 1], abbreviations) for i in range(len(tokens) - 1))


def _last_whitespace_index(text: str) -> int:
    for i in range(len(text) - 1, -1, -1):
        if text[i] in _WHITESPACE:
            return i
    return 0


def _potential_end_contexts(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """NLTK's `_match_potential_end_contexts`: each candidate end mark with the word before it."""
    previous_start, previous_stop = 0, 0
    previous_match = None
    for match in _PERIOD_CONTEXT_RE.finditer(text):
        index = _last_whitespace_index(text[previous_stop:match.start()])
        index = index + previous_stop + 1 if index else previous_start
        if previous_match and previous_stop <= index:
            yield previous_match, (text[previous_start:previous_stop] + previous_match.group()
                                   + previous_match.group("after_tok"))
        previous_match = match
        previous_start, previous_stop = index, match.start()
    if previous_match:
        yield previous_match, (text[previous_start:previous_stop] + previous_match.group()
                               + previous_match.group("after_tok"))


def _slices(text: str, abbreviations: Collection[str]) -> Iterator[tuple[int, int]]:
    last_break = 0
    for match, context in _potential_end_contexts(text):
        if _contains_sentence_break(context, abbreviations):
            yield last_break, match.end()
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    yield last_break, len(text.rstrip())


def span_tokenize(text: str, abbreviations: Collection[str]) -> Iterator[tuple[int, int]]:
    """Sentence (start, end) ranges of `text`, as NLTK's untrained Punkt with these abbreviations
    (lower-case, without the final period) gives them, closing quotes and brackets realigned."""
    slices = list(_slices(text, abbreviations))
    realign = 0
    for k, (start, stop) in enumerate(slices):
        start += realign
        if k + 1 == len(slices):
            if stop > start:
                yield start, stop
            continue
        next_start, next_stop = slices[k + 1]
        m = _BOUNDARY_REALIGNMENT_RE.match(text[next_start:next_stop])
        if m:
            yield start, next_start + len(m.group(0).rstrip())
            realign = m.end()
        else:
            realign = 0
            if stop > start:
                yield start, stop
