"""The sentence-level `uncertain` flag: a learned weighted sum of word n-grams and hedge/weasel cues, on
hand-written sentences, hand-made weights and the shipped weights."""

from __future__ import annotations

from importlib import resources

from scoring.features import attribution
from scoring.segment import Block, Document


def body_doc(text: str) -> Document:
    return Document(text, (Block(0, len(text)),))


def flagged(text: str, model: attribution.UncertaintyModel | None = None) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.label) for s in attribution.uncertain_sentences(body_doc(text), model)]


def test_weak_cues_add_up_and_negative_contexts_cancel() -> None:
    model = attribution.uncertainty_cues((("several", 0.6), ("some", 0.3), ("experts", 0.3),
                                          ("several times", -1.0), ("<intercept>", -1.0), ("<cut>", -0.5)))
    text = ("Several scholars doubt it. The bridge failed several  times. Some engineers left.\n"
            "Some experts doubt it.")
    assert flagged(text, model) == [("Several scholars doubt it.", "several"),
                                    ("Some experts doubt it.", "experts")]


def test_features_stay_inside_a_sentence_and_between_punctuation() -> None:
    doc = body_doc("It is, some say, late. Most people agree.")
    found = attribution.uncertainty_features(doc, attribution.uncertainty_cues(()), every_gram=True)
    assert len(found) == 2
    assert {"it is", "some say", "late", "some"} <= set(found[0])
    assert "is some" not in found[0] and "late most" not in found[0] and "say late" not in found[0]
    assert set(found[1]) == {"most", "people", "agree", "most people", "people agree", "most people agree"}


def test_fixed_lists_are_features_and_the_month_may_is_not_a_modal_hedge() -> None:
    text = "The deal may collapse. May was warm. Critics argue it failed. He allegedly lied."
    found = attribution.uncertainty_features(body_doc(text), attribution.uncertainty_cues(()))
    assert found == [{attribution.MODAL_FEATURE: "may"}, {}, {attribution.VAGUE_FEATURE: "critics argue"},
                     {attribution.REPORTING_FEATURE: "allegedly"}]


def test_shipped_weights_name_their_source_and_flag_real_hedges() -> None:
    raw = resources.files("scoring").joinpath("lexicons", "uncertainty_weights.txt").read_text("utf-8")
    assert "wikiweasel" in raw.split("\n<")[0].lower() and "<intercept>\t" in raw and "<cut>\t" in raw
    model = attribution.uncertainty_cues()
    assert len(model.weights) > 50 and model.weights["probably"] > 0 > model.weights.get("several times", -1)
    text = ("Some experts say the vaccine probably works. The vaccine was tested several times in 2020. "
            "It is widely believed that the deal collapsed. The minister allegedly took bribes.")
    assert [s for s, _ in flagged(text)] == [
        "Some experts say the vaccine probably works.", "It is widely believed that the deal collapsed.",
        "The minister allegedly took bribes."]
