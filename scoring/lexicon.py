"""Load the word lists under scoring/lexicons/: one entry per line, `#` starts a comment.
Every file starts with comment lines saying where its entries come from."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


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
