"""The vendored Punkt (scoring/punkt.py) splits exactly as NLTK's untrained PunktSentenceTokenizer given
the same abbreviations: on every line of the seeds and of the training corpus, and on generated text
full of periods, initials, numbers, abbreviations, ellipses and closing quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import punkt
from scoring.text import abbreviations, name_abbreviations, sentence_spans

punkt_nltk = pytest.importorskip("nltk.tokenize.punkt")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
TRAINING = ROOT / "corpus" / "training" / "articles.parquet"


def nltk_tokenizer():
    params = punkt_nltk.PunktParameters()
    params.abbrev_types = set(abbreviations())
    return punkt_nltk.PunktSentenceTokenizer(params)


def assert_same_spans(lines: list[str]) -> None:
    reference = nltk_tokenizer()
    known = abbreviations()
    for line in lines:
        assert list(punkt.span_tokenize(line, known)) == list(reference.span_tokenize(line)), line


def test_same_splits_as_nltk_on_the_seeds() -> None:
    lines = [line for path in SEEDS for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert len(lines) > 50
    assert_same_spans(lines)


def test_same_splits_as_nltk_on_the_training_articles() -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    texts = pq.read_table(TRAINING, columns=["text"]).column("text").to_pylist()[::4]
    lines = [line for text in texts if text for line in text.split("\n") if line.strip()]
    assert len(lines) > 5000
    assert_same_spans(lines)


_PIECES = ["Mr.", "Sen.", "U.S.", "J.", "F.", "5.", "No.", "Sept.", "etc.", "e.g.", "...", ". . .", "..",
           "said.", "war.", "Today", "today", "it", "(2013).", "\u201cYes.\u201d", "'No!'", "?", "!", "!!!",
           "\u2019", ")", "]", "--", "-", ",", ";", ":", "Inc.", "a.m.", "3.5", "1,000.", "x-ray.",
           "Gen.-Lt.", "\u00ab", "\u00bb", "\u00e9t\u00e9.", "\u0130stanbul.", "42", "\"", "ok?",
           "The", "end", "##number##.", "-5.", ".5.", "\u0664.", "_."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "", "\t", " \u00a0"]), min_size=14, max_size=14))
def test_same_splits_as_nltk_on_generated_text(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps[:len(pieces)], strict=True))
    assert_same_spans([text])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aZ .?!\"')-,\u201d\u2019\t", max_size=30))
def test_same_splits_as_nltk_on_arbitrary_punctuation(text: str) -> None:
    assert_same_spans([text])


def test_abbreviations_come_from_one_data_file() -> None:
    assert {"mr", "sen", "u.s", "sept", "e.g"} <= abbreviations()
    assert name_abbreviations() < abbreviations()
    assert "sept" not in name_abbreviations() and "sen" in name_abbreviations()


def test_sentence_spans_do_not_break_after_titles_or_initials() -> None:
    text = "Sen. Elizabeth Warren met John F. Kennedy Jr. in the U.S. on Sept. 4. Then they left."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Sen. Elizabeth Warren met John F. Kennedy Jr. in the U.S. on Sept. 4.", "Then they left."]


def test_the_splitter_does_not_import_nltk() -> None:
    import subprocess
    import sys

    code = "import sys, scoring.text; scoring.text.sentence_spans('A b. C d.'); print('nltk' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
