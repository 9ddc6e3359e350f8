"""Properties every registered feature family must keep on arbitrary text (hypothesis), through the real
pipeline (segment, then each extractor in `scoring.features.FAMILIES`), so new families are covered too."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.features import FAMILIES
from scoring.features.base import FeatureFamily, FeatureRecord
from scoring.records import Article, content_id
from scoring.segment import segment

# Names that promise a non-negative number, and names that promise a share in [0, 1].
NON_NEGATIVE = re.compile(r"per_1k|share|count|_rate|ratio|mean_|_words$|_chars$|fog|smog")
SHARE = re.compile(r"share")

PIECES = [
    "NATO", "THIS IS OUTRAGEOUS", "we", "We", "US", "you", "I", "“", "”", '"', "«", "»", "‘", "’", "'", "!",
    "?!", "!!!", "...", "—", "-", "\n", "\n\n", " ", "  ", "\t", "\r\n", "\x00", "\u200b", "\u202e",
    "שלום עולם", "مرحبا", "😀", "👍🏽", "Mr.", "U.S.", "D.C.", "said", "according to", "May", "5", "2,000",
    "July 18, 2025", "disgusting", "brutal", "Kremlin’s", "cyber-attacks", "reportedly", "ﬁ", "İstanbul",
    "ß", "ǅ", "Ⅻ", "١٢٣", "e\u0301", "a" * 60, "Subscribe to our newsletter", "Read more", "©",
]

texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map(" ".join),
)


def run_family(family: FeatureFamily, text: str) -> FeatureRecord:
    doc = segment(Article(id=content_id(text), source="hypothesis", text=text))
    return family.extract(doc)


def check_record(family: FeatureFamily, text: str) -> None:
    record = run_family(family, text)
    assert list(record.values) == list(family.feature_names), family.name
    for name, value in record.values.items():
        assert isinstance(value, float | int), (family.name, name, value)
        assert math.isfinite(value), (family.name, name, value)
        if NON_NEGATIVE.search(name):
            assert value >= 0, (family.name, name, value)
        if SHARE.search(name):
            assert 0.0 <= value <= 1.0, (family.name, name, value)
    for span in record.spans:
        assert 0 <= span.start < span.end <= len(text), (family.name, span)
        assert isinstance(span.kind, str) and span.kind, (family.name, span)


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_extractor_properties_on_arbitrary_text(family: FeatureFamily, text: str) -> None:
    check_record(family, text)


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t \r\n \u00a0 \u2003 "])
def test_empty_and_whitespace_text_give_zero_rates(family: FeatureFamily, text: str) -> None:
    record = run_family(family, text)
    check_record(family, text)
    assert record.spans == [], family.name
    for name, value in record.values.items():
        if family.name in {"readability", "language"} or NON_NEGATIVE.search(name):
            assert value == 0.0, (family.name, name, value)


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_long_unpunctuated_and_pathological_text(family: FeatureFamily) -> None:
    cases = [
        " ".join(["word"] * 3000),
        "“" * 500 + "we " * 500,
        "!" * 2000,
        "\n".join(["NATO"] * 500),
        "A" * 10_000,
        "\x00" * 100 + "we said" + "\x00" * 100,
    ]
    for text in cases:
        check_record(family, text)
