"""The learned attribution-cue lexicon's context prefixes ("after-subject: wants"), read and written by one
module (scoring/features/learned_cue_entries.py) for the extractor and the PolNeAR scripts."""

from __future__ import annotations

from scoring.features import attribution
from scoring.features import learned_cue_entries as cue_entries
from scoring.lexicon import load_lexicon


def _phrases(index: object) -> set[str]:
    return {" ".join(words) for options in index.by_first.values() for words in options}  # type: ignore[attr-defined]


def test_entries_parse_into_context_and_cue_and_back() -> None:
    assert cue_entries.parse_entry("after-subject: wants") == (cue_entries.AFTER_SUBJECT, "wants")
    assert cue_entries.parse_entry("before-clause:showed") == (cue_entries.BEFORE_CLAUSE, "showed")
    assert cue_entries.parse_entry("after-link: pointing") == (cue_entries.AFTER_LINK, "pointing")
    assert cue_entries.parse_entry("according to") == (cue_entries.ANYWHERE, "according to")
    assert cue_entries.parse_entry("after the fact") == (cue_entries.ANYWHERE, "after the fact")  # no colon
    for entry in load_lexicon("attribution_cues_learned"):  # the shipped lexicon, as the script writes it
        assert cue_entries.entry(*cue_entries.parse_entry(entry)) == entry


def test_the_extractor_indexes_each_context_of_the_shipped_lexicon() -> None:
    entries = load_lexicon("attribution_cues_learned")
    groups = cue_entries.by_context(entries)
    assert list(groups) == list(cue_entries.CONTEXTS) and all(groups.values())
    assert sum(map(len, groups.values())) == len(entries)
    cues = attribution.learned_cues()
    indexes = (cues.anywhere, cues.after_subject, cues.before_clause, cues.after_link)
    for context, index in zip(cue_entries.CONTEXTS, indexes, strict=True):
        assert _phrases(index) == set(groups[context]), context
    assert "accept" in _phrases(cues.after_subject) and "accept" not in _phrases(cues.anywhere)
