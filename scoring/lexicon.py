"""Load the word lists under scoring/lexicons/: one entry per line, `#` starts a comment.
Every file starts with comment lines saying where its entries come from."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from itertools import compress, count


@cache
def load_lexicon(name: str) -> tuple[str, ...]:
    """Entries of scoring/lexicons/NAME.txt, in file order, comments and blank lines dropped."""
    text = resources.files("scoring").joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


def phrase_alternation(entries: tuple[str, ...]) -> str:
    """One regex alternation of lexicon phrases, factored as a prefix trie so the engine does not retry
    every entry at every position; spaces match any whitespace. Longer entries win (greedy)."""
    trie: dict = {}
    for entry in {e.lower() for e in entries}:
        node = trie
        for char in entry:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def phrase_regex(entries: tuple[str, ...], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Whole-phrase matcher of lexicon entries (not inside a longer word), case-insensitive by default;
    no entries give a pattern that never matches."""
    if not entries:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![\w’'-])(?:{phrase_alternation(entries)})(?![\w’'-])", flags)


class PhraseIndex:
    """Whole-word lexicon phrases found from a text's word tokens instead of a regex scan of every
    character: a dict lookup per word, then the phrase's next words (whitespace between them only).
    Finds what `phrase_regex` finds when every entry is words separated by spaces; longest entry first."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for entry in {e.lower() for e in entries}:
            words = tuple(entry.split())
            if words:
                self.by_first.setdefault(words[0], []).append(words)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)
        # first word -> (second words of its longer phrases, [(length, the phrases of that length)] longest
        # first, whether the word alone is an entry): most candidates fail on the second word, and one set
        # look-up per length replaces one tuple comparison per phrase (the word "the" starts 33 cues)
        self._by_first_word: dict[str, tuple[frozenset[str], list[tuple[int, frozenset]], bool]] = {
            first: (frozenset(p[1] for p in options if len(p) > 1),
                    [(k, frozenset(p for p in options if len(p) == k))
                     for k in sorted({len(p) for p in options if len(p) > 1}, reverse=True)],
                    any(len(p) == 1 for p in options))
            for first, options in self.by_first.items()
        }
        self._alone: PhraseIndexes | None = None  # this index as a PhraseIndexes of one, built on first use

    def find(self, text: str, words: list[tuple[int, int]], lowered: list[str]) -> list[tuple[int, int]]:
        """(start, end) of non-overlapping phrase matches, left to right, given the text's word spans and
        their lower-cased texts (’ read as ')."""
        if self._alone is None:
            self._alone = PhraseIndexes((self,))
        return self._alone.find(text, words, lowered)[0]


_JOINERS = "’'-"  # characters that join words into one word-like run


def _longer_match(text: str, words: list[tuple[int, int]], lowered: list[str], i: int,
                  longer: list[tuple[int, frozenset]]) -> int:
    """Words in the longest of an entry's phrases of two or more words (by length, longest first) that
    matches at word i with whitespace only between its words; 0 for none."""
    for length, phrases in longer:
        if i + length > len(words) or tuple(lowered[i : i + length]) not in phrases:
            continue
        if any(text[words[j][1] : words[j + 1][0]].strip() for j in range(i, i + length - 1)):
            continue
        if _whole_word(text, words[i + length - 1]):
            return length
    return 0


def _whole_word(text: str, span: tuple[int, int]) -> bool:
    """The word is not part of a longer word-like run (apostrophes and hyphens join words)."""
    start, end = span
    return not (start and text[start - 1] in _JOINERS) and not (end < len(text) and text[end] in _JOINERS)


class PhraseIndexes:
    """Several PhraseIndex lexicons found in one pass over the words: what each index's `find` gives,
    each with its own left-to-right non-overlapping choice, but the words that start no entry of any of
    them skipped once and the joiner test done once per candidate word."""

    def __init__(self, indexes: tuple[PhraseIndex, ...]) -> None:
        self.indexes = indexes
        self._by_first_word: dict[str, list[tuple[int, tuple]]] = {}
        for k, index in enumerate(indexes):
            for first, entry in index._by_first_word.items():
                self._by_first_word.setdefault(first, []).append((k, entry))
        # a word can start a match only when it is a one-word entry of some index, or when the word after
        # it is a second word of one of its phrases: both tested in C over the words (most first words,
        # "the" of 33 cues, start phrases only, and most of their occurrences fail on the next word)
        self._alone_words = frozenset(first for first, entries in self._by_first_word.items()
                                      if any(alone for _, (_, _, alone) in entries))
        self._first_pairs = frozenset((first, second) for first, entries in self._by_first_word.items()
                                      for _, (seconds, _, _) in entries for second in seconds)
        # the words that may start a match: one set look-up per word in C, and the (word, next word) pair
        # built and looked up only at those (a pair for every word was two thirds of `find`'s instructions)
        self._starters = self._alone_words | frozenset(first for first, _ in self._first_pairs)

    def find(
        self, text: str, words: list[tuple[int, int]], lowered: list[str]
    ) -> list[list[tuple[int, int]]]:
        """Per index (in order), the (start, end) of its phrase matches, as `PhraseIndex.find` gives them."""
        found: list[list[tuple[int, int]]] = [[] for _ in self.indexes]
        next_free = [0] * len(self.indexes)  # per index, the first word not inside a phrase it found
        n, text_end = len(words), len(text)
        by_first_word = self._by_first_word
        alone_words, first_pairs = self._alone_words, self._first_pairs
        for i in compress(count(), map(self._starters.__contains__, lowered)):
            word = lowered[i]
            following = lowered[i + 1] if i + 1 < n else None
            if word not in alone_words and (word, following) not in first_pairs:
                continue  # starts only phrases, and the next word is no second word of one
            start, end = words[i]
            if (start and text[start - 1] in _JOINERS) or (end < text_end and text[end] in _JOINERS):
                continue  # part of a longer word-like run
            for k, (seconds, longer, alone) in by_first_word[word]:
                if i < next_free[k]:
                    continue
                # most candidates are one-word entries or fail on the second word: no call for them
                length = (following in seconds and _longer_match(text, words, lowered, i, longer)) or alone
                if length:
                    found[k].append((start, words[i + length - 1][1]))
                    next_free[k] = i + length
        return found
