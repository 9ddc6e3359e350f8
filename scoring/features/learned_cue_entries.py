"""Entries of the learned attribution-cue lexicon (`attribution_cues_learned.txt`, written by
benchmarks/polnear_attribution.py --write-lexicon): a cue phrase that holds anywhere ("according to"),
or a word with the context it holds in as a prefix: "after-subject: wants" (right after a subject),
"before-clause: showed" (right before a clause), "after-link: vowed" (right after a link word). The one
reader and writer of that prefix, for the extractor and the benchmark scripts that learn and study it."""

from __future__ import annotations

from collections.abc import Iterable

ANYWHERE = ""
AFTER_SUBJECT = "after-subject"
BEFORE_CLAUSE = "before-clause"
AFTER_LINK = "after-link"
CONTEXTS = (ANYWHERE, AFTER_SUBJECT, BEFORE_CLAUSE, AFTER_LINK)  # the lexicon's order of groups
_PREFIXED = tuple(context for context in CONTEXTS if context)


def entry(context: str, cue: str) -> str:
    """The lexicon entry of a cue in a context: "after-subject: wants", or the cue alone for ANYWHERE."""
    return f"{context}: {cue}" if context else cue


def parse_entry(text: str) -> tuple[str, str]:
    """(context, cue) of a lexicon entry: ("after-subject", "wants") for "after-subject: wants",
    (ANYWHERE, "according to") for an entry with no context prefix."""
    for context in _PREFIXED:
        if text.startswith(context + ":"):
            return context, text[len(context) + 1 :].strip()
    return ANYWHERE, text


def by_context(entries: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The cues of the entries grouped by context (every context a key, in CONTEXTS order), each group
    in the entries' order."""
    groups: dict[str, list[str]] = {context: [] for context in CONTEXTS}
    for text in entries:
        context, cue = parse_entry(text)
        groups[context].append(cue)
    return {context: tuple(cues) for context, cues in groups.items()}
