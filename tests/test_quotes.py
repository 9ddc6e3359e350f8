"""Quote extraction against hand-made gold on the seeds, and on adversarial text.

Gold (tests/gold/quotes.json) was written by reading each seed; see its "format" and "guidelines".

Matching rule (seeds): a predicted quoted span (kind "quote" or "scare_quote") matches a gold quote when
their character ranges overlap with intersection / union >= 0.5 (so a prediction that merges two quotes,
or keeps only a fragment, does not match); each gold quote is matched at most once, greedily by overlap.
Only predictions inside the gold's scope lines (the article body as a reader sees it) are evaluated.
Speaker accuracy: among matched quotations (not scare quotes) with a gold speaker, the predicted label
is right when its content words are a subset or superset of one of the gold surface forms' words.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import pytest
from helpers import doc_of, in_scope, scope_ranges, seed_doc
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.features import quotes
from scoring.features import speakers as speaker_grammar
from scoring.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = json.loads((ROOT / "tests" / "gold" / "quotes.json").read_text(encoding="utf-8"))
_STOP = {"the", "a", "an", "–", "-", ","}


def locate(text: str, needle: str, context: str | None, ranges: list[tuple[int, int]]) -> int:
    """Offset of `needle` (inside the unique `context` when given, else unique within the scope)."""
    if context:
        assert text.count(context) == 1, f"gold context not unique: {context!r}"
        return text.index(context) + context.index(needle)
    hits = [m.start() for m in re.finditer(re.escape(needle), text) if in_scope((m.start(), m.end()), ranges)]
    assert len(hits) == 1, f"gold text not unique in scope: {needle!r} ({len(hits)} hits)"
    return hits[0]


def gold_quote_spans(name: str, text: str) -> list[dict]:
    entry = GOLD["seeds"][name]
    ranges = scope_ranges(text, entry["scope"])
    result = []
    for q in entry["quotes"]:
        start = locate(text, q["start"], q.get("context"), ranges)
        end = text.index(q["end"], start) + len(q["end"])
        result.append({**q, "span": (start, end)})
    return result


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match(
    pred: list[tuple[int, int]], gold: list[tuple[int, int]], threshold: float
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by overlap: (pred index, gold index) pairs."""
    pairs = sorted(
        ((jaccard(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)), reverse=True
    )
    used_p, used_g, result = set(), set(), []
    for score, i, j in pairs:
        if score >= threshold and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            result.append((i, j))
    return result


def speaker_ok(predicted: str, gold_forms: list[str]) -> bool:
    words = {w for w in re.findall(r"[\w’']+", predicted.lower()) if w not in _STOP}
    for form in gold_forms:
        gold_words = {w for w in re.findall(r"[\w’']+", form.lower()) if w not in _STOP}
        if words and gold_words and (words <= gold_words or gold_words <= words):
            return True
    return False


def evaluate_seeds() -> dict[str, float]:
    """Precision/recall of quoted spans, scare-quote classification and speaker accuracy over the seeds."""
    tp = n_pred = n_gold = 0
    scare_tp = scare_pred = scare_gold = 0
    speakers_right = speakers_total = 0
    for name in GOLD["seeds"]:
        text = (SEEDS / name).read_text(encoding="utf-8")
        ranges = scope_ranges(text, GOLD["seeds"][name]["scope"])
        gold = gold_quote_spans(name, text)
        spans = [
            s
            for s in quotes.extract(seed_doc(text)).spans
            if s.kind in ("quote", "scare_quote") and in_scope((s.start, s.end), ranges)
        ]
        pairs = match([(s.start, s.end) for s in spans], [g["span"] for g in gold], 0.5)
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(spans), n_gold + len(gold)
        scare_pred += sum(1 for s in spans if s.kind == "scare_quote")
        scare_gold += sum(1 for g in gold if g["scare"])
        for i, j in pairs:
            scare_tp += spans[i].kind == "scare_quote" and gold[j]["scare"]
            if not gold[j]["scare"] and gold[j]["speaker"]:
                speakers_total += 1
                speakers_right += speaker_ok(spans[i].label, gold[j]["speaker"])
    return {
        "quote_precision": tp / n_pred if n_pred else 0.0,
        "quote_recall": tp / n_gold if n_gold else 0.0,
        "scare_precision": scare_tp / scare_pred if scare_pred else 0.0,
        "scare_recall": scare_tp / scare_gold if scare_gold else 0.0,
        "speaker_accuracy": speakers_right / speakers_total if speakers_total else 0.0,
        "gold_quotes": float(n_gold),
        "predicted_quotes": float(n_pred),
    }


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, float]:
    scores = evaluate_seeds()
    print("\nquotes on seeds:", {k: round(v, 3) for k, v in scores.items()})
    return scores


def test_quote_detection_precision_and_recall_on_seeds(seed_scores):
    assert seed_scores["quote_precision"] >= 0.9
    assert seed_scores["quote_recall"] >= 0.9


def test_scare_quotes_told_apart_on_seeds(seed_scores):
    assert seed_scores["scare_precision"] >= 0.9
    assert seed_scores["scare_recall"] >= 0.9


def test_speaker_accuracy_on_seeds(seed_scores):
    # 27 of the seeds' quotations have a gold speaker; 0.8 leaves room for 5 misses.
    assert seed_scores["speaker_accuracy"] >= 0.8


def test_pull_quotes_of_seed_004_and_their_speakers():
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    pulls = [q for q in quotes.find_quotes(seed_doc(text)) if q.pull]
    assert [q.speaker for q in pulls] == ["NATO release", "Boris Johnson – Prime Minister, UK"]
    assert text[pulls[0].start : pulls[0].end].startswith("Reaffirming NATO's defensive mandate")
    assert "open quote mark" not in text[pulls[1].start : pulls[1].end]


@pytest.mark.parametrize("marker", ["open quote mark", "OPEN\tQuote  MARK", "open quote mar\u212a"])
def test_pull_quote_markers_are_found_in_any_case(marker: str) -> None:
    """The markers match case-insensitively, the Kelvin sign as k included; the quick check that skips
    pages without them must not skip these."""
    from scoring.features.quote_marks import find_pull_quotes

    closing = marker.replace("open", "close").replace("OPEN", "CLOSE")
    text = f"Intro line.\n{marker}\nWe will stand together.\nJane Doe\n{closing}\nMore text.\n"
    found = find_pull_quotes(text, text)
    assert [(text[s:e], speaker) for s, e, speaker, _ in found] == [("We will stand together.", "Jane Doe")]


def test_features_have_exactly_the_declared_names():
    record = quotes.extract(doc_of("“We will win,” she said. It was a “vital” step."))
    assert tuple(record.values) == quotes.FEATURE_NAMES
    assert record.values["quote_count"] == 1.0
    assert record.values["attributed_quote_share"] == 1.0
    assert record.values["scare_quotes_per_1k_words"] > 0


def quoted(text: str) -> list[str]:
    return [text[q.content_start : q.content_end] for q in quotes.find_quotes(doc_of(text)) if not q.scare]


def speakers(text: str) -> list[str]:
    return [q.speaker for q in quotes.find_quotes(doc_of(text)) if not q.scare]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said "we will go to the talks" on Monday.', ["we will go to the talks"]),
        ("Le ministre a dit «nous irons aux négociations» hier.", ["nous irons aux négociations"]),
        ("Er sagte „wir gehen zu den Gesprächen“ am Montag.", ["wir gehen zu den Gesprächen"]),
        ("Er sagte »wir gehen zu den Gesprächen« am Montag.", ["wir gehen zu den Gesprächen"]),
        ("She called it ‘a deeply flawed process’ in court.", ["a deeply flawed process"]),
        ("She called it 'a deeply flawed process' in court.", ["a deeply flawed process"]),
        ("Russia’s allies don't like the '90s rock'n'roll of the allies' plans.", []),
        ("“He told me ‘no way’ twice,” she said.", ["He told me ‘no way’ twice,"]),
    ],
)
def test_quote_mark_styles(text, expected):
    assert quoted(text) == expected


def test_quote_spanning_paragraphs_is_one_quote():
    text = "“We are ready to act and we will.\n\n“Nobody should doubt it,” the minister said.\n"
    found = quotes.find_quotes(doc_of(text))
    assert len(found) == 1
    assert found[0].start == 0 and text[found[0].end - 1] == "”"
    assert found[0].speaker == "the minister"


def test_unmatched_opening_mark_stops_at_its_paragraph():
    text = 'He said "this never closes and goes on.\n\nA second paragraph with no quotes.\n\nA third one.'
    found = quotes.find_quotes(doc_of(text))
    assert len(found) == 1
    assert "second paragraph" not in text[found[0].start : found[0].end]


def test_quote_without_closing_mark_at_end_of_article():
    text = "The end came fast.\n\n“We will never give up on this country"
    found = quotes.find_quotes(doc_of(text))
    assert len(found) == 1 and found[0].end == len(text)


def test_stray_closing_mark_is_not_a_quote():
    text = "He asked them “to meet their obligations.” ” and urged them to “take appropriate measures.”"
    assert quoted(text) == ["to meet their obligations.", "take appropriate measures."]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“We will win,” Smith said.", "Smith"),
        ("“We will win,” said Jane Smith, the minister.", "Jane Smith"),
        ("“We will win,” the statement read.", "the statement"),
        ("Jane Smith said: “We will win this war.”", "Jane Smith"),
        ("Officials have said that the plan “will not survive the winter”.", "Officials"),
        ("“We will win this war.” — Jane Smith", "Jane Smith"),
        ("“We will win,” he recalled.", "he"),
        ("“We will win”, emphasizes Josep Borrell, who warns of risks.", "Josep Borrell"),
        ("“The weather is nice today.” Then it rained.", ""),
        ("Smith warns of an “invisible war in cyberspace”. What does he ask of allies?", "Smith"),
        ("Jane Smith on Friday said: “We will win this war.”", "Jane Smith"),  # never "Friday"
    ],
)
def test_speaker_found_before_after_or_by_dash(text, speaker):
    assert speakers(text) == [speaker]


def test_scare_quotes_counted_apart():
    found = quotes.find_quotes(doc_of("The so-called “experts” praised the “invisible war” idea."))
    assert [q.scare for q in found] == [True, True]
    record = quotes.extract(doc_of("The so-called “experts” praised the “invisible war” idea."))
    assert record.values["quote_count"] == 0.0


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", '"' * 1000, "“a” " * 500, "'" * 1000, "«" * 999, "„“" * 300]
)
def test_degenerate_inputs_never_raise(text):
    record = quotes.extract(doc_of(text))
    assert set(record.values) == set(quotes.FEATURE_NAMES)
    assert all(math.isfinite(v) and v >= 0 for v in record.values.values())
    assert all(0 <= s.start < s.end <= len(text) for s in record.spans)


def test_thousand_marks_in_one_paragraph_are_fast_and_bounded():
    text = ("word “" * 1000) + " end"
    start = time.perf_counter()
    found = quotes.find_quotes(doc_of(text))
    assert time.perf_counter() - start < 1.0
    assert all(q.end - q.start <= SETTINGS.quotes.max_quote_chars + 10 for q in found)


_ALPHABET = st.sampled_from(list("ab Z.,:—-\n'\"“”„«»‘’") + ["said", "he", " ", "Smith", "open quote mark\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=300).map("".join))
def test_any_text_gives_valid_spans_and_finite_rates(text):
    record = quotes.extract(doc_of(text))
    assert set(record.values) == set(quotes.FEATURE_NAMES)
    assert all(math.isfinite(v) and v >= 0 for v in record.values.values())
    assert record.values["quoted_word_share"] <= 1.0
    assert all(0 <= s.start < s.end <= len(text) for s in record.spans)


def test_seed_extraction_is_fast():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    docs = [seed_doc(t) for t in texts]
    for doc in docs:
        doc.body_words  # noqa: B018  (segmentation and tokenising are not what is timed)
    start = time.perf_counter()
    for doc in docs:
        quotes.extract(doc)
    per_article = (time.perf_counter() - start) / len(docs)
    assert per_article < 0.05  # NELA's whole feature set costs ~100 ms per article


POLNEAR_SAMPLE = ROOT / "tests" / "data" / "polnear_sample"
_GOLD_QUOTED_RE = re.compile(r"(?:“|\"|'')(?:(?!“|”|\"|'')[^\n])+(?:”|\"|'')")


def brat_relations(ann: str) -> list[dict[str, list[tuple[int, int]]]]:
    """PolNeAR attribution relations of a brat .ann file: cue, source and content character ranges."""
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            offsets = parts[1].partition(" ")[2]
            spans[parts[0]] = [(int(a), int(b)) for a, b in (r.split() for r in offsets.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            relations.append(
                {r: spans.get(args.get(r.capitalize(), ""), []) for r in ("cue", "source", "content")}
            )
    return relations


def test_direct_quotes_and_speakers_on_polnear_sample():
    """Gold: quoted stretches of >= 3 words inside PolNeAR attribution contents (as in
    benchmarks/polnear_attribution.py); intersection/union >= 0.5. Floors sit below the full training
    split's figures (precision 0.92, recall 0.98, speaker span accuracy 0.89): this sample has quoted
    book and show titles that PolNeAR does not annotate, hence the lower precision floor."""
    tp = n_pred = n_gold = right = total = 0
    for path in sorted(POLNEAR_SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        relations = brat_relations(path.with_suffix(".ann").read_text(encoding="utf-8"))
        gold = [
            (m.span(), rel["source"])
            for rel in relations
            for start, end in rel["content"]
            for m in _GOLD_QUOTED_RE.finditer(text, start, end)
            if len(re.findall(r"\w+", m.group())) >= 3
        ]
        ours = [q for q in quotes.find_quotes(seed_doc(text)) if not q.scare]
        pairs = match([(q.start, q.end) for q in ours], [g[0] for g in gold], 0.5)
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(ours), n_gold + len(gold)
        for i, j in pairs:
            if gold[j][1]:
                total += 1
                span = ours[i].speaker_span
                right += bool(span and any(min(span[1], e) > max(span[0], s) for s, e in gold[j][1]))
    assert n_gold >= 30
    print(f"\npolnear sample: quotes P {tp / n_pred:.3f} R {tp / n_gold:.3f}, speaker {right / total:.3f}")
    assert tp / n_gold >= 0.9
    assert tp / n_pred >= 0.75
    assert right / total >= 0.8  # 0.895 on this sample (issue 11, second speaker pass)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # PolNeAR-style sentences (issue 11 speaker error analysis)
        ('"But résumé is not enough at the end of the day," he continued. "Right?"', "he"),
        ('Carson noted that one of the volunteers, who had driven for hours through the snow to reach the '
         'caucus site in the early morning, called it an "insult to the hundreds of young volunteers."',
         "Carson"),
    ],
)
def test_speaker_of_continued_and_late_partial_quotes(text: str, speaker: str) -> None:
    found = [q for q in quotes.find_quotes(doc_of(text)) if not q.scare]
    assert found and found[0].speaker == speaker
    assert text[slice(*found[0].speaker_span)] == speaker


def test_continued_is_not_a_speech_verb_outside_a_quote() -> None:
    """'the attacks continued' names no speaker for the quotation two sentences on."""
    text = 'The attacks continued. Residents fled. "We have nowhere left to go now," a sign read.'
    found = [q for q in quotes.find_quotes(doc_of(text)) if not q.scare]
    assert found and found[0].speaker != "The attacks"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # issue 11, second pass: patterns from the error analysis on the PolNeAR development outlets,
        # written here as new sentences (general news English, not copied from the corpus)
        ("“Is this really the best we can do?” asked Senator Jane Smith.", "Senator Jane Smith"),
        ("In an interview on Sunday, Mrs. Warren praised the plan, saying it offered “a real path to "
         "recovery for families.”", "Mrs. Warren"),
        ("The governor doubled down on Tuesday and said the ruling was “a disaster for our state and its "
         "people.”", "The governor"),
        ("“We will not back down,” political scientist Jane Smith told reporters.",
         "political scientist Jane Smith"),
        ("“There is a lot of energy in these races,” Rep. Jane Smith (D-Ore.) said.", "Rep. Jane Smith"),
        ("“It was a mistake,” the White House press secretary, John Doe, said on Tuesday.",
         "the White House press secretary, John Doe"),
        ("Mr. Doe said the proposal by Gov. John P. Smith was “the worst idea we have heard in years.”",
         "Mr. Doe"),
        ("Smith said the tax was a “new” burden and that voters should “reject it at the polls in November.”",
         "Smith"),
        ("It was what Mayor Jane Smith called “a once in a generation chance.”", "Mayor Jane Smith"),
        ("“We will fight this in every court,” Trump shot back.", "Trump"),
        ("“Are we talking about the same plan here?” the editorial board writes.", "the editorial board"),
        ("Michael Doe, who lives outside the state capital, Sacramento, said he still “hopes for a better "
         "deal.”", "Michael Doe"),
        ("Weighing in on the debate, Jane Smith agreed, calling the bill “long overdue and badly needed.”",
         "Jane Smith"),
        # round 5: an adverbial opener before the subject's comma is not the subject
        ("Last week, the campaign released a memo: “We are winning the race.”", "the campaign"),
        ("Perhaps most important, Trump released a memo: “We are winning the race.”", "Trump"),
    ],
)
def test_speaker_as_the_sentence_subject_or_a_titled_name(text: str, speaker: str) -> None:
    found = [q for q in quotes.find_quotes(doc_of(text)) if not q.scare]
    assert [q.speaker for q in found] == [speaker]
    assert text[slice(*found[0].speaker_span)] == speaker


@pytest.mark.parametrize(
    "text",
    [
        # the sentence ended inside the quotation: the next sentence's subject did not say it
        "“We have done our job and we are proud of it.” He said the plan was ready.",
        # a copula's subject is what the quotation describes, not who said it
        "The plan is “a recipe for disaster in every way.”",
        # a date or a dummy subject is not a speaker
        "In 2016, “a wave of anger swept the whole country” in the polls.",
    ],
)
def test_no_speaker_from_the_next_sentence_a_copula_or_a_date(text: str) -> None:
    assert speakers(text) == [""]


_VERBISH = st.sampled_from(
    ["said", "Said", "SAYS", "states", "point out", "points  out", "issued a statement", "caller", "-", "’",
     "'", "_", "2", " ", "\n", ".", "ſaid", "İ", "\u212a", "e\u0301", "added", "call on", "“", "noted."]
)


@given(st.lists(st.one_of(_VERBISH, st.text(max_size=3)), max_size=20), st.data())
def test_speech_verb_search_at_candidate_words_equals_the_regex_scan(pieces: list[str], data) -> None:
    """speakers._speech_verb_matches (the regex tried only where a verb's first word starts) finds
    exactly what SPEECH_VERB_RE.finditer finds, on any text and range."""
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [m.span() for m in speaker_grammar.SPEECH_VERB_RE.finditer(text, start, end)]
    assert [m.span() for m in speaker_grammar._speech_verb_matches(text, start, end)] == expected


@pytest.mark.parametrize(
    "text",
    [" ſaid so", "İ said so", "e\u0301said so", "U.S.said so", "2said _said said- said’s", "he points\nout",
     "the member states said", "He issued a statement.", "CALLED ON", "asks…"],
)
def test_speech_verb_search_equals_the_regex_scan_on_edge_cases(text: str) -> None:
    for start, end in ((0, len(text)), (1, len(text)), (0, len(text) - 2)):
        expected = [m.span() for m in speaker_grammar.SPEECH_VERB_RE.finditer(text, start, end)]
        assert [m.span() for m in speaker_grammar._speech_verb_matches(text, start, end)] == expected


def test_a_speaker_between_two_quotes_is_credited_with_both_and_shown_once() -> None:
    text = ('"We are determined to deter every threat," the statement concluded. "We will respond at a time '
            'of our choosing, in accordance with international law."')
    result = quotes.extract(doc_of(text))
    real = [s for s in result.spans if s.kind == "quote"]
    speakers = [s for s in result.spans if s.kind == "speaker"]
    assert [s.label for s in real] == ["the statement", "the statement"]
    assert [text[s.start:s.end] for s in speakers] == ["the statement"]


def test_no_span_is_listed_twice_on_the_seeds() -> None:
    from helpers import SEED_PATHS

    for path in SEED_PATHS:
        found = quotes.extract(seed_doc(path.read_text("utf-8"))).spans
        spans = [(s.start, s.end, s.kind, s.label) for s in found]
        assert len(spans) == len(set(spans)), path.name
