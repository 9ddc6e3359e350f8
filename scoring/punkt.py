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
_NUMERIC_RE = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_INITIAL_RE = re.compile(r"[^\W\d]\.$", re.UNICODE)


def _is_sentence_break(tok: str, next_tok: str, abbreviations: Collection[str]) -> bool:
    """Whether token `tok` ends a sentence given the token after it (NLTK's two annotation passes)."""
    if tok in _SENT_END_CHARS:
        return True
    # NLTK tests the ellipsis regex (`\.\.+$` from the start: only dots) first; every such token also
    # ends with "..", so the cheap string tests alone give the same answer
    if not tok.endswith(".") or tok.endswith(".."):
        return False
    stem = tok[:-1].lower()
    if stem in abbreviations or stem.split("-")[-1] in abbreviations:
        return False
    # a period-final word: a break unless it is an initial or a number and the next token is
    # punctuation or starts lower-case (or, for an initial, starts upper-case)
    # (an initial is one letter and its period; a number starts with a digit, "-", "." or ",", and NLTK's
    # "##number##" stand-in makes the literal token "##number##." one too: the regexes only run then)
    is_initial = len(tok) == 2 and _INITIAL_RE.match(tok) is not None
    if not is_initial and not (tok[0] in "-.,#" or tok[0].isdecimal()):
        return True
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
    plain = _PLAIN_WORD_END_RE.match(context)
    if plain and (plain.group(2) != "." or plain.group(1).lower() not in abbreviations):
        # most contexts: letters, then . ? or ! and a space, so the first tokens are "word." and the next
        # one (a break unless "word" is an abbreviation: not an initial, not a number) or "word", "?" and
        # the next one (always a break): NLTK's answer without tokenising
        return True
    if "\n" in context:
        tokens = [tok for line in context.split("\n") if line.strip() for tok in _WORD_TOKEN_RE.findall(line)]
    else:
        tokens = _WORD_TOKEN_RE.findall(context) if context.strip() else []
    return any(_is_sentence_break(tokens[i], tokens[i + 1], abbreviations) for i in range(len(tokens) - 1))


_PLAIN_WORD_END_RE = re.compile(r"([^\W\d_]{2,})([.?!])\s+\S")


def _last_whitespace(text: str, lo: int, hi: int) -> int:
    """Offset of the last whitespace character (string.whitespace, as NLTK's search) in text[lo:hi], or -1."""
    return max(text.rfind(" ", lo, hi), text.rfind("\t", lo, hi), text.rfind("\n", lo, hi),
               text.rfind("\r", lo, hi), text.rfind("\x0b", lo, hi), text.rfind("\x0c", lo, hi))


def _potential_end_contexts(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """NLTK's `_match_potential_end_contexts`: each candidate end mark with the word before it (and the
    token after it: the context is one slice, since the mark and its look-ahead follow the word)."""
    previous_start, previous_stop = 0, 0
    previous_match = None
    for match in _PERIOD_CONTEXT_RE.finditer(text):
        start = match.start()
        found = _last_whitespace(text, previous_stop, start)
        index = found + 1 if found > previous_stop else previous_start
        if previous_match and previous_stop <= index:
            yield previous_match, text[previous_start:previous_match.end("after_tok")]
        previous_match = match
        previous_start, previous_stop = index, start
    if previous_match:
        yield previous_match, text[previous_start:previous_match.end("after_tok")]


def _slices(text: str, abbreviations: Collection[str]) -> list[tuple[int, int]]:
    slices, last_break = [], 0
    for match, context in _potential_end_contexts(text):
        if _contains_sentence_break(context, abbreviations):
            slices.append((last_break, match.end()))
            next_start = match.start("next_tok")  # -1 when the mark is followed by punctuation
            last_break = next_start if next_start >= 0 else match.end()
    slices.append((last_break, len(text.rstrip())))
    return slices


def span_tokenize(text: str, abbreviations: Collection[str]) -> Iterator[tuple[int, int]]:
    """Sentence (start, end) ranges of `text`, as NLTK's untrained Punkt with these abbreviations
    (lower-case, without the final period) gives them, closing quotes and brackets realigned."""
    stop = len(text.rstrip())
    if not _SENT_END_RE.search(text, 0, stop - 1):
        # no end mark but perhaps the last visible character, which only whitespace follows, so the context
        # pattern cannot match it (it needs punctuation or a token after the mark): one slice, as NLTK gives
        return iter([(0, stop)] if stop > 0 else [])
    return _realigned(text, _slices(text, abbreviations))


_SENT_END_RE = re.compile("[" + re.escape("".join(_SENT_END_CHARS)) + "]")


def _realigned(text: str, slices: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
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
