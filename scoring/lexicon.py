"""Load the word lists under scoring/lexicons/: one entry per line, `#` starts a comment.
Every file starts with comment lines saying where its entries come from."""

from __future__ import annotations

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
