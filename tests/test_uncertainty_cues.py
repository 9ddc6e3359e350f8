"""The sentence-level `uncertain` flag's learned cue list and its learned exceptions ("several times"),
on hand-written sentences and on the shipped lexicon."""

from __future__ import annotations

from scoring.features import attribution
from scoring.lexicon import load_lexicon
from scoring.segment import Block, Document


def body_doc(text: str) -> Document:
    return Document(text, (Block(0, len(text)),))


def test_exceptions_cancel_only_the_cue_they_hold() -> None:
    index = attribution.uncertainty_cues(("several", "some", "!several times", "!for some"))
    text = ("Several scholars doubt it. The bridge failed several  times. It held for some years.\n"
            "Some had said the bridge failed several  times.")
    flagged = [(text[s.start:s.end], s.label) for s in attribution.uncertain_sentences(body_doc(text), index)]
    assert flagged == [("Several scholars doubt it.", "several"),
                       ("Some had said the bridge failed several  times.", "some")]


def test_shipped_cues_and_exceptions_are_disjoint_and_flag_real_hedges() -> None:
    entries = load_lexicon("uncertainty_cues")
    exceptions = {e[1:] for e in entries if e.startswith("!")}
    cues = {e for e in entries if not e.startswith("!")}
    assert exceptions and cues and not exceptions & cues
    assert all(any(c in e.split() or c in e for c in cues) for e in exceptions)  # each holds a cue
    text = "Some experts say the vaccine probably works. The vaccine was tested several times in 2020."
    flagged = [text[s.start:s.end] for s in attribution.uncertain_sentences(body_doc(text))]
    assert flagged == ["Some experts say the vaccine probably works."]
