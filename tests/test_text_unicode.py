"""The shared tokenisation counts composed and decomposed text alike (NFC before counting, issue 11)
while every span still indexes the raw text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.features import extract
from scoring.records import Article, Block, Document, content_id
from scoring.segment import segment
from scoring.text import NormalisedText, word_spans

ACCENTED = "Café résumé naïve Zoë Ñandú Škoda Jesús Ångström señor façade crème brûlée déjà vu"


def body(text: str) -> Document:
    return Document(text, (Block(0, len(text)),) if text else ())


def test_composed_and_decomposed_accents_give_the_same_features() -> None:
    text = (f"{ACCENTED}. “We will not comment,” said José Martínez, a spokesman. "
            "Reportedly the café was closed. It may reopen!\n") * 3
    composed = unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    assert composed != decomposed
    nfc = extract(segment(Article(id=content_id(composed), source="nfc", text=composed)))
    nfd = extract(segment(Article(id=content_id(decomposed), source="nfd", text=decomposed)))
    for name in ("body_word_count", "mean_word_length_chars", "type_token_ratio", "flesch_reading_ease",
                 "long_word_share", "mean_sentence_length_words", "first_person_per_1k_words"):
        assert nfc.values[name] == nfd.values[name], name


def test_decomposed_word_spans_cover_the_whole_raw_word() -> None:
    raw = unicodedata.normalize("NFD", "the résumé of Zoë")
    doc = body(raw)
    assert [raw[s:e] for s, e in doc.body_words] == raw.split()
    assert doc.body_word_texts == ["the", "résumé", "of", "Zoë"]
    assert doc.body_lowered == ["the", "résumé", "of", "zoë"]
    assert doc.body_sentences == [(0, len(raw))]


_CHARS = st.sampled_from(list("aeiouAEOnNcsz .,!?\n'’-") + ["\u0301", "\u0308", "\u0303", "\u0327", "\u030c",
                                                          "é", "ñ", "\u1100", "\u1161", "\u11a8", "\u212b",
                                                          "\u0bc6", "\u0bbe", "İ", "ß"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_spans_index_the_raw_text_and_words_match_the_nfc_text(raw: str) -> None:
    normalised = NormalisedText(raw)
    assert normalised.text == unicodedata.normalize("NFC", raw)
    nfc_spans = word_spans(normalised.text)
    raw_spans = normalised.raw_spans(nfc_spans)
    previous_end = 0
    for (s, e), (ns, ne) in zip(raw_spans, nfc_spans, strict=True):
        assert previous_end <= s < e <= len(raw)
        # the raw range holds the word, once normalised, plus at most marks NFC left uncomposed (a
        # word's range covers whole characters with their marks)
        held = unicodedata.normalize("NFC", raw[s:e])
        word = normalised.text[ns:ne]
        assert held.startswith(word)
        assert all(unicodedata.category(ch).startswith("M") or "\u1160" <= ch <= "\u11ff"
                   for ch in held[len(word):]), (held, word)
        previous_end = e
    doc = body(raw)
    assert doc.body_word_count == len(word_spans(unicodedata.normalize("NFC", raw)))
    assert all(0 <= s <= e <= len(raw) for s, e in doc.body_sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_already_normalised_text_keeps_its_own_offsets(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    doc = body(text)
    assert doc.body_words == word_spans(text)


_TRICKY = ["a", "e", "A", "é", "\u0301", "\u0300", "\u0308", "\u0323", "\u0344", "\u0345", "\u0f73",
           "\u0f71", "\u1100", "\u1161", "\u11a8", "\u2000", "\u212b", "\u0958", "\u093c", "\u0338", "=",
           " ", "\n", "\u3099", "\u304b", "\u0627", "\u0653", "İ", "가"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY), min_size=1, max_size=10).map("".join))
def test_every_substring_of_an_nfc_text_is_nfc(text: str) -> None:
    """What lets NormalisedText skip the chunks of a text that are NFC already."""
    nfc = unicodedata.normalize("NFC", text)
    assert all(unicodedata.is_normalized("NFC", nfc[i:j])
               for i in range(len(nfc)) for j in range(i + 1, len(nfc) + 1))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY), max_size=40).map("".join))
def test_normalised_text_is_the_same_whatever_the_chunk_size(text: str) -> None:
    import scoring.text as text_module

    whole = NormalisedText(text)
    saved = text_module._NFC_CHUNK_CHARS
    text_module._NFC_CHUNK_CHARS = 1  # a chunk per line: every boundary a chunk boundary
    try:
        chunked = NormalisedText(text)
    finally:
        text_module._NFC_CHUNK_CHARS = saved
    assert (chunked.text, chunked._changed) == (whole.text, whole._changed)
