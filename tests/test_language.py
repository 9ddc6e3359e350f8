"""Language features on real and hand-written text: pronouns in the writer's voice, shouting vs
acronyms, emphasis marks, loaded words, numbers and dates."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import pytest

from scoring.features import language
from scoring.features.language import FEATURE_NAMES, quoted_ranges
from scoring.lexicon import load_lexicon
from scoring.records import Article
from scoring.segment import Block, Document, segment

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))


def body_doc(text: str) -> Document:
    """A document whose whole text is body (isolates the extractor from segmentation)."""
    return Document(text, (Block(0, len(text)),) if text else ())


def spans_of(text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in language.extract(body_doc(text)).spans if s.kind == kind]


def test_seeds_give_finite_rates_and_valid_spans() -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        record = language.extract(segment(Article(id=path.stem, source=str(path), text=text)))
        assert list(record.values) == list(FEATURE_NAMES)
        assert all(math.isfinite(v) and v >= 0 for v in record.values.values())
        assert record.values["numbers_dates_per_1k_words"] > 0  # every seed dates its events
        for span in record.spans:
            assert 0 <= span.start < span.end <= len(text)


def test_seed_quote_keeps_speakers_loaded_words_out() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    assert "brutal and unprovoked war" in text  # inside the NATO statement's quotation
    loaded = spans_of(text, "loaded")
    assert "brutal" not in [w.lower() for w in loaded]
    assert "brutal" in [s.label for s in language.loaded_word_spans(body_doc(text), include_quoted=True)]


def test_acronyms_are_not_shouting_but_capitals_runs_are() -> None:
    text = (
        "NATO, the EU, the UK, the USA and the GRU unit APT 28 met. THIS IS OUTRAGEOUS, one wrote. "
        "BREAKING news."
    )
    assert spans_of(text, "all_caps") == ["THIS IS OUTRAGEOUS", "BREAKING"]
    values = language.extract(body_doc(text)).values
    words = len(text.split())
    assert values["all_caps_words_per_1k_words"] == pytest.approx(1000 * 4 / words)


def test_long_known_acronyms_and_datelines_are_not_shouting() -> None:
    text = "WASHINGTON (Reuters) - UNESCO and INTERPOL met COVID experts.\nThe UNICEF team agreed."
    assert spans_of(text, "all_caps") == []
    assert spans_of("NEW YORK, May 5 - Officials met.", "all_caps") == []
    assert spans_of("Officials met in WASHINGTON today.", "all_caps") == ["WASHINGTON"]


def test_quoted_first_person_is_the_speakers() -> None:
    text = "“We will respond,” the minister said. We asked him why. \"Our patience is over,\" he added."
    assert spans_of(text, "first_person") == ["We"]
    unclosed = "“We will go on and we will win\nWe reporters waited."
    assert spans_of(unclosed, "first_person") == ["We"]  # an open quote ends with its line


def test_us_the_country_is_not_a_pronoun() -> None:
    text = "The US said it would help us. You and your readers know it."
    assert spans_of(text, "first_person") == ["us"]
    assert spans_of(text, "second_person") == ["You", "your"]
    values = language.extract(body_doc(text)).values
    assert values["first_person_per_1k_words"] == pytest.approx(1000 / 13)
    assert values["second_person_per_1k_words"] == pytest.approx(2000 / 13)


def test_exclamation_runs_count_once_and_quoted_ones_not_at_all() -> None:
    text = "This is a scandal!!! Why did nobody act? \"Stop!\" a man shouted. Really?!"
    exclamations = [s.label for s in language.extract(body_doc(text)).spans if s.kind == "exclamation"]
    questions = [s.label for s in language.extract(body_doc(text)).spans if s.kind == "question"]
    assert exclamations == ["!!!", "!"]
    assert questions == ["?", "?"]


def test_loaded_words_found_with_offsets_and_lexicon_entry() -> None:
    text = "A disgusting, OUTRAGEOUS scheme by vicious officials’ cronies; the intelligence agency won."
    words = language.loaded_word_spans(body_doc(text), extension=language.words_only)
    loaded = [(text[s.start:s.end], s.label) for s in words]
    assert loaded == [("disgusting", "disgusting"), ("OUTRAGEOUS", "outrageous"), ("vicious", "vicious")]
    record = language.extract(body_doc(text))
    assert record.values["loaded_words_per_1k_words"] == pytest.approx(1000 * 3 / len(text.split()))
    phrases = [s for s in record.spans if s.kind == "loaded"]
    for word in words:  # each word lies in one phrase, labelled with it
        assert [p for p in phrases if p.start <= word.start and word.end <= p.end and word.label in p.label]


def test_phrase_extension_follows_its_weights_and_stops_at_boundaries() -> None:
    text = "Such a disgusting scheme. Vile scheme! He called it “vicious” scheme, and a vicious plan."
    doc = body_doc(text)
    takes_scheme = language.PhraseExtension({"Rw=scheme": 2.0, "Lw=a": 2.0}, intercept=0.0, cut=1.0)
    spans = [text[s.start:s.end] for s in language.loaded_word_spans(doc, True, extension=takes_scheme)]
    # "scheme" is taken only across a space (not after "!" or the closing quote); "a" only on the left
    assert spans == ["a disgusting scheme", "Vile scheme", "vicious", "a vicious"]
    nothing = language.PhraseExtension({}, intercept=0.0, cut=1.0)
    assert language.loaded_word_spans(doc, True, extension=nothing) == \
        language.loaded_word_spans(doc, True, extension=language.words_only)


def test_shipped_phrases_on_held_out_semeval_articles() -> None:
    """On the gate slice's SemEval articles (never learned from): phrases widen some loaded words, each
    phrase holds a loaded word, crosses no sentence end, line or quote mark, and the rate counts words."""
    folder = Path(__file__).resolve().parents[1] / "corpus" / "eval" / "semeval"
    widened = 0
    for path in sorted(folder.glob("*.txt"))[:20]:
        text = path.read_text(encoding="utf-8")
        doc = segment(Article(id=path.stem, source=str(path), text=text))
        words = language.loaded_word_spans(doc, extension=language.words_only)
        record = language.extract(doc)
        phrases = [s for s in record.spans if s.kind == "loaded"]
        assert record.values["loaded_words_per_1k_words"] == pytest.approx(
            1000 * len(words) / doc.body_word_count)
        assert phrases == language.loaded_word_spans(doc)
        for phrase in phrases:
            inside = [w for w in words if phrase.start <= w.start and w.end <= phrase.end]
            assert inside and sorted(phrase.label.split(", ")) == sorted(w.label for w in inside)
            assert not set(text[phrase.start:phrase.end]) & set("!?;\n\"“”()")  # "." may be in "U.S."
        widened += sum(p.end - p.start > max(w.end - w.start for w in words if p.start <= w.start < p.end)
                       for p in phrases)
    assert widened >= 10


def test_capitalised_loaded_word_inside_a_sentence_is_a_name() -> None:
    text = ("Brutal tactics were used. Fans met at the Brutal Records shop, a brutal place.\n"
            "\u201cDisgusting,\u201d he wrote; Disgusting Records is a label. THEY ARE DISGUSTING")
    words = language.loaded_word_spans(body_doc(text), True, extension=language.words_only)
    loaded = [(text[s.start:s.end], s.start) for s in words]
    assert [w for w, _ in loaded] == ["Brutal", "brutal", "Disgusting", "DISGUSTING"]
    assert loaded[0][1] == 0  # the sentence-initial capital is kept, the shop's name is not


def test_loaded_spans_under_a_given_lexicon_match_the_shipped_path() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    doc = segment(Article(id="s", source="s", text=text))
    shipped = frozenset(load_lexicon("loaded_language"))
    assert language.loaded_word_spans(doc, lexicon=shipped) == language.loaded_word_spans(doc)
    assert language.loaded_word_spans(doc, lexicon=frozenset()) == []


def test_loaded_lexicon_names_both_sources_and_has_no_denotational_words() -> None:
    raw = resources.files("scoring").joinpath("lexicons", "loaded_language.txt").read_text(encoding="utf-8")
    header = "".join(line for line in raw.splitlines() if line.startswith("#"))
    assert raw.startswith("# ") and "SemEval-2020 Task 11" in header and "VADER" in header
    entries = set(load_lexicon("loaded_language"))
    assert set(load_lexicon("loaded_language_vader")) - entries  # SemEval use dropped some VADER words
    assert len(entries) > 1000
    assert {"killed", "war", "intelligence", "arrested", "supreme"}.isdisjoint(entries)
    assert {"outrageous", "disgusting", "brutal", "vicious"} <= entries


@pytest.mark.parametrize(
    "name",
    ["loaded_language", "loaded_language_vader", "loaded_language_extension",
     "uncertainty_weights", "vague_attributions", "first_person",
     "second_person", "acronyms", "number_words", "date_words"],
)
def test_lexicon_files_name_their_source(name: str) -> None:
    raw = resources.files("scoring").joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    assert raw.splitlines()[0].startswith("#")
    assert load_lexicon(name)


def test_numbers_and_dates_mentions() -> None:
    text = (
        "On Friday, July 18, 2025, the five ministers met for 3.5 hours. Theresa May said nothing.\n"
        "In May the plan may change; it costs $2,000 million."
    )
    assert spans_of(text, "number_date") == ["Friday, July 18, 2025", "five", "3.5", "May", "2,000 million"]


def test_quoted_ranges_cover_straight_curly_and_guillemet_quotes() -> None:
    text = 'He said "yes" and “no” and «peut-être»\nthen "open'
    quoted = [text[s:e] for s, e in quoted_ranges(text)]
    assert quoted == ['"yes"', "“no”", "«peut-être»", '"open']


@pytest.mark.parametrize("text", ["", "  \n\t\n ", "!!! ??? “ ” \""])
def test_no_words_gives_zeros(text: str) -> None:
    record = language.extract(body_doc(text))
    assert record.values == {name: 0.0 for name in FEATURE_NAMES}


def test_shouting_runs_keep_dotted_and_hyphenated_capitals() -> None:
    text = "Officials said THE U.S. IS EVIL and A-B tests. ÉTAT DE SIÈGE was declared. État moved."
    assert spans_of(text, "all_caps") == ["THE U.S. IS EVIL", "ÉTAT DE SIÈGE"]


def test_benchmark_word_vectors_name_their_source_and_place_like_words_near() -> None:
    """The static word vectors of benchmarks/semeval_loaded_vectors.py (benchmarks/data, built by
    corpus/build_word_vectors.py): source and licence in the header, and meaning in the geometry; the
    folded linear tagger gives the same probabilities as the full feature matrix."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import gzip
    import json

    import numpy as np
    import semeval_vector_features as vf

    header = json.loads(gzip.decompress(vf.VECTORS.read_bytes()).split(b"\n", 1)[0])
    assert "all-MiniLM-L6-v2" in header["source"] and "Apache-2.0" in header["source"]
    index, table = vf.word_vectors()
    assert table.shape == (header["words"], header["dims"]) == (len(index), 48)

    def cosine(a: str, b: str) -> float:
        u, v = table[index[a]].astype(np.float32), table[index[b]].astype(np.float32)
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))

    assert cosine("brutal", "vicious") > cosine("brutal", "tuesday")
    assert cosine("disgusting", "outrageous") > cosine("disgusting", "spreadsheet")
    doc = segment(Article(id="s", source="s", text=SEEDS[0].read_text(encoding="utf-8")))
    lexicon = frozenset(load_lexicon("loaded_language"))
    features = vf.token_features(doc, lexicon)
    weights = np.random.default_rng(0).normal(size=features.shape[1]).astype(np.float32)
    weights[features.std(axis=0) == 0] = 0.0  # a constant column gets no weight under L2, as fitted
    scale = features.std(axis=0) + 1e-6
    tagger = vf.Tagger(features.mean(axis=0), scale, None, None, weights, -1.0, 0.5, 1.0)
    folded = vf.LinearScorer.of(tagger).probabilities(doc, lexicon)
    assert np.allclose(folded, tagger.probabilities(features), atol=1e-4)
