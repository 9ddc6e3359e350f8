"""Attribution and hedge extraction against hand-made gold on the seeds, and on adversarial text.

Gold (tests/gold/attribution.json) was written by reading each seed; see its "format" and "guidelines".

Matching rule (seeds): a predicted span matches a gold item of the same kind ("attribution", "hedge",
"modal_hedge") when their character ranges overlap by at least one character; each gold item is
matched at most once (greedy by overlap length). Attribution types (named / anonymous / secondary) are
scored separately as the share of matched attributions whose predicted type equals the gold type.
Only predictions inside the gold's scope lines (the article body as a reader sees it) are evaluated.
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

from scoring.features import attribution

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = json.loads((ROOT / "tests" / "gold" / "attribution.json").read_text(encoding="utf-8"))
KINDS = ("attribution", "hedge", "modal_hedge")


def locate(text: str, item: dict, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """Span of a gold item's `text`, inside its unique `context` when given, else unique in scope."""
    needle, context = item["text"], item.get("context")
    if context:
        assert text.count(context) == 1, f"gold context not unique: {context!r}"
        start = text.index(context) + context.index(needle)
        return start, start + len(needle)
    hits = [m.span() for m in re.finditer(re.escape(needle), text) if in_scope(m.span(), ranges)]
    assert len(hits) == 1, f"gold text not unique in scope: {needle!r} ({len(hits)} hits)"
    return hits[0]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by overlap length: (pred index, gold index) pairs."""
    pairs = sorted(
        ((overlap(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)), reverse=True
    )
    used_p, used_g, result = set(), set(), []
    for score, i, j in pairs:
        if score > 0 and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            result.append((i, j))
    return result


def evaluate_seeds() -> dict[str, float]:
    """Precision and recall per span kind over the seeds, and attribution type accuracy."""
    counts = {k: [0, 0, 0] for k in KINDS}  # true positives, predicted, gold
    types_right = types_total = 0
    for name, entry in GOLD["seeds"].items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        ranges = scope_ranges(text, entry["scope"])
        spans = [s for s in attribution.extract(seed_doc(text)).spans if in_scope((s.start, s.end), ranges)]
        gold_items = [("attribution", a) for a in entry["attributions"]] + [
            (h["type"], h) for h in entry["hedges"]
        ]
        for kind in KINDS:
            pred = [s for s in spans if s.kind == kind]
            gold = [(locate(text, item, ranges), item) for k, item in gold_items if k == kind]
            pairs = match([(s.start, s.end) for s in pred], [g[0] for g in gold])
            counts[kind][0] += len(pairs)
            counts[kind][1] += len(pred)
            counts[kind][2] += len(gold)
            if kind == "attribution":
                for i, j in pairs:
                    types_total += 1
                    types_right += pred[i].label.split(":", 1)[0] == gold[j][1]["type"]
    scores: dict[str, float] = {}
    for kind, (tp, n_pred, n_gold) in counts.items():
        scores[f"{kind}_precision"] = tp / n_pred if n_pred else 0.0
        scores[f"{kind}_recall"] = tp / n_gold if n_gold else 0.0
        scores[f"{kind}_gold"] = float(n_gold)
    scores["attribution_type_accuracy"] = types_right / types_total if types_total else 0.0
    return scores


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, float]:
    scores = evaluate_seeds()
    print("\nattribution on seeds:", {k: round(v, 3) for k, v in scores.items()})
    return scores


def test_attribution_precision_and_recall_on_seeds(seed_scores):
    # Precision first; recall floor 0.75: the gold counts nominal and belief attributions ("NATO
    # considers", "the announcement by Russia", "with many concerned") that no speech-verb rule sees.
    assert seed_scores["attribution_precision"] >= 0.9
    assert seed_scores["attribution_recall"] >= 0.75
    assert seed_scores["attribution_type_accuracy"] >= 0.9


def test_hedge_precision_and_recall_on_seeds(seed_scores):
    for kind in ("hedge", "modal_hedge"):
        assert seed_scores[f"{kind}_precision"] >= 0.8
        assert seed_scores[f"{kind}_recall"] >= 0.8


def test_no_hedge_inside_a_quotation_is_the_articles_on_seeds():
    """The gold's hedges_in_quotations (the speaker's: seed 001 "which Russia claims to uphold," the
    statement read; seed 003's "allegedly" and "possible escalation" in Borrell's words) are not the
    article's hedges."""
    checked = 0
    for name, entry in GOLD["seeds"].items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        ranges = scope_ranges(text, entry["scope"])
        spans = [(s.start, s.end) for s in attribution.extract(seed_doc(text)).spans
                 if s.kind in ("hedge", "modal_hedge")]
        for item in entry.get("hedges_in_quotations", []):
            span = locate(text, item, ranges)
            assert not any(overlap(span, s) for s in spans), (name, item["text"])
            checked += 1
    assert checked == 3


def test_features_have_exactly_the_declared_names():
    record = attribution.extract(doc_of("Officials said it was fine."))
    assert tuple(record.values) == attribution.FEATURE_NAMES


def attributions(text: str) -> list[tuple[str, str]]:
    return [(a.type, a.source) for a in attribution.find_attributions(doc_of(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The minister said the talks would resume.", [("named", "The minister")]),
        ("According to NATO, the attacks continued.", [("named", "NATO")]),
        ("“We are ready,” the statement read.", [("named", "the statement")]),
        ("NATO leaders have said that the order is at risk.", [("named", "NATO leaders")]),
        ("The talks failed, sources said.", [("anonymous", "sources said")]),
        (
            "A senior official who spoke on condition of anonymity confirmed the plan.",
            [("anonymous", "A senior official"), ("anonymous", "on condition of anonymity")],
        ),
        ("People familiar with the matter described the deal.", [("anonymous", "People familiar with")]),
        ("The army moved north, Caliber.Az reports.", [("secondary", "Caliber.Az")]),
        ("The talks ended, as reported by Reuters.", [("secondary", "Reuters")]),
        (
            "He met Meloni, according to the EFE agency, quoted by Agerpres.",
            [("secondary", "the EFE agency"), ("secondary", "Agerpres")],
        ),
        ("The report was long and the weather was bad.", []),
        ("The member states of the United States met.", []),
        # a participle after a comma shares the source before it; the clause after it is no source
        (
            "“The threat is real,” the Council noted, adding that these incidents underscore the risk.",
            [("named", "the Council"), ("named", "the Council")],
        ),
        ("The talks ended, noting the importance of trade.", []),
        # a time adjunct between source and verb is skipped: the source is never the weekday
        ("Trump on Monday said the economy would reopen.", [("named", "Trump")]),
        ("The officials late Tuesday night said the plan had failed.", [("anonymous", "The officials")]),
    ],
)
def test_attribution_types(text, expected):
    assert attributions(text) == expected


def hedges(text: str) -> tuple[list[str], list[str]]:
    reporting, modal = attribution.find_hedges(doc_of(text))
    return [s.label for s in reporting], [s.label for s in modal]


@pytest.mark.parametrize(
    "text, reporting, modal",
    [
        ("The group was allegedly behind it and reportedly paid.", ["allegedly", "reportedly"], []),
        ("He is said to be ill; it is believed the plan failed.", ["is said to", "it is believed"], []),
        ("The framework, which Russia claims to uphold, was ignored.", ["claims to"], []),
        ("“The framework, which Russia claims to uphold, was ignored,” the statement read.", [], []),
        ("“It may rain,” she said, and it may well snow.", [], ["may"]),
        ("Insurance claims rose in May 2021 and in early May.", [], []),
        ("The attack may spread and could not be stopped.", [], ["may", "could"]),
        ("May be it was the military might of the army.", [], ["may"]),
        ("It is likely to rise, possibly sharply, as soon as possible.", [], ["likely", "possibly"]),
        ("REPORTEDLY, the Talks MIGHT fail.", ["reportedly"], ["might"]),
    ],
)
def test_hedges_reporting_apart_from_modal(text, reporting, modal):
    assert hedges(text) == (reporting, modal)


def test_named_source_share():
    text = "The minister said it was over. Sources said it was not. Officials familiar with it agreed."
    values = attribution.extract(doc_of(text)).values
    assert values["named_source_share"] == pytest.approx(1 / 3)
    assert values["anonymous_sources_per_1k_words"] > 0


@pytest.mark.parametrize(
    "text", ["", " \n ", "may " * 2000, "said " * 1000, "“" * 1000, "according to " * 300]
)
def test_degenerate_inputs_never_raise(text):
    record = attribution.extract(doc_of(text))
    assert set(record.values) == set(attribution.FEATURE_NAMES)
    assert all(math.isfinite(v) and v >= 0 for v in record.values.values())
    assert all(0 <= s.start < s.end <= len(text) for s in record.spans)


_PIECES = st.sampled_from(
    [
        "said",
        "says",
        "NATO",
        "the",
        "statement",
        "according to",
        "sources",
        " ",
        "\n",
        ",",
        ".",
        "“",
        "”",
        "may",
        "May",
        "allegedly",
        "Source:",
        "reports",
        "he",
        "who",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=200).map(" ".join))
def test_any_text_gives_valid_spans_and_finite_rates(text):
    record = attribution.extract(doc_of(text))
    assert all(math.isfinite(v) and v >= 0 for v in record.values.values())
    assert 0.0 <= record.values["named_source_share"] <= 1.0
    assert all(0 <= s.start < s.end <= len(text) for s in record.spans)


def test_seed_extraction_is_fast():
    docs = [seed_doc(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    for doc in docs:
        doc.body_words  # noqa: B018  (segmentation and tokenising are not what is timed)
    start = time.perf_counter()
    for doc in docs:
        attribution.extract(doc)
    assert (time.perf_counter() - start) / len(docs) < 0.05  # NELA: ~100 ms per article


POLNEAR_SAMPLE = ROOT / "tests" / "data" / "polnear_sample"


def brat_cue_and_source_ranges(ann: str) -> list[list[tuple[int, int]]]:
    """For each PolNeAR attribution relation with a cue: its cue and source character ranges."""
    spans: dict[str, list[tuple[int, int]]] = {}
    result = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            offsets = parts[1].partition(" ")[2]
            spans[parts[0]] = [(int(a), int(b)) for a, b in (r.split() for r in offsets.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            if args.get("Cue") in spans:
                result.append(spans[args["Cue"]] + spans.get(args.get("Source", ""), []))
    return result


def test_attribution_cues_on_polnear_sample():
    """Our attribution spans against PolNeAR's (cue + source) of every relation: ours is right when it
    overlaps one; a relation is found when one of ours overlaps it. PolNeAR annotates beliefs, plans and
    support ("believes", "wants", "endorsed", "showed") that we leave out on purpose, so recall is low
    by design (0.42 on the full training split) while precision is what we hold (0.92 there)."""
    right = n_pred = found = n_gold = 0
    for path in sorted(POLNEAR_SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gold = brat_cue_and_source_ranges(path.with_suffix(".ann").read_text(encoding="utf-8"))
        ours = [
            (s.start, s.end) for s in attribution.extract(seed_doc(text)).spans if s.kind == "attribution"
        ]
        n_pred, n_gold = n_pred + len(ours), n_gold + len(gold)
        right += sum(1 for o in ours if any(overlap(o, r) for ranges in gold for r in ranges))
        found += sum(1 for ranges in gold if any(overlap(o, r) for o in ours for r in ranges))
    print(f"\npolnear sample: attribution cues P {right / n_pred:.3f} R {found / n_gold:.3f}")
    assert right / n_pred >= 0.8
    assert found / n_gold >= 0.35


def test_vague_attributions_are_kept_apart_from_named_and_anonymous_sources():
    text = "Some experts say the plan failed. Critics argue it was doomed. Sources said it was not."
    record = attribution.extract(doc_of(text))
    kinds = [(s.label.split(":", 1)[0], text[s.start:s.end]) for s in record.spans if s.kind == "attribution"]
    assert kinds == [("vague", "Some experts"), ("vague", "Critics argue"), ("anonymous", "Sources said")]
    words = len(text.split())
    assert record.values["vague_attributions_per_1k_words"] == pytest.approx(2000 / words)
    assert record.values["anonymous_sources_per_1k_words"] == pytest.approx(1000 / words)
    assert record.values["named_source_share"] == 0.0


def test_uncertain_sentences_are_flagged_and_indexed_in_the_raw_text():
    text = "It is widely believed that the deal collapsed. The talks ended on Friday.\nIt will probably fail."
    doc = doc_of(text)
    flagged = attribution.uncertain_sentences(doc)
    assert [(text[s.start:s.end], s.label) for s in flagged] == [
        ("It is widely believed that the deal collapsed.", "it is widely believed"),
        ("It will probably fail.", "probably"),
    ]
    share = attribution.extract(doc).values["uncertain_sentence_share"]
    assert share == pytest.approx(len(flagged) / len(doc.body_sentences))
    certain = attribution.extract(doc_of("The talks ended on Friday. The minister left at noon."))
    assert certain.values["uncertain_sentence_share"] == 0.0


def test_learned_cues_add_belief_attributions_without_changing_rule_based_ones():
    text = "Officials fear the deal will collapse. The minister said it was over."
    record = attribution.extract(doc_of(text))
    rule = [text[s.start:s.end] for s in record.spans if s.kind == "attribution"]
    cue = [text[s.start:s.end] for s in record.spans if s.kind == "attribution_cue"]
    assert rule == ["The minister said"]
    assert cue == ["Officials fear"]
    assert record.values["attributions_per_1k_words"] == pytest.approx(2000 / len(text.split()))


def counted(text: str, cues: tuple[str, ...] = ()) -> list[str]:
    """The texts of the cues counted in attributions_per_1k_words (rule-based, then learned from `cues`)."""
    doc = doc_of(text)
    rule_based = attribution.find_attributions(doc)
    learned = attribution.find_cue_attributions(doc, rule_based, attribution.learned_cues(cues))
    return [text[a.cue[0] : a.cue[1]] for a in sorted(rule_based + learned, key=lambda a: a.cue)]


@pytest.mark.parametrize(
    "text, cues, expected",
    [
        # one attribution per cue, as PolNeAR counts: two cues may share their source
        ("The plan is bad, he said, adding that the vote would fail.", (), ["said", "adding"]),
        ("Smith criticized the plan, warning it would fail.", ("warning",), ["criticized", "warning"]),
        # a cue inside what an earlier cue reports, or chained to it, is part of that attribution
        ("Traynor said that while he was opposed to Trump, he backs Cruz.", ("opposed",), ["said"]),
        ("A Chinese official responded by noting the talks.", ("noting",), ["responded"]),
        # ... and so is one in what an attribution after it credits
        ("Voters fear the worst, Smith said.", ("fear",), ["said"]),
        ("Officials fear the worst. Smith said so.", ("fear",), ["fear", "said"]),
        # a learned word that holds only after its subject
        ("Trump wants a wall.", ("after-subject: wants",), ["wants"]),
        ("He has repeatedly wanted a wall.", ("after-subject: wanted",), ["wanted"]),
        ("The wants of the people.", ("after-subject: wants",), []),
        # a capitalised word inside a sentence is a name's, not a cue ("Supreme Court Rules" of a
        # sentence); in a headline line (most words capitalised) it is a cue, as PolNeAR annotates
        ("The ruling of the Supreme Court Rules Committee on the border came late.", ("rules",), []),
        ("Rubio Wants A Wall On The Border.", ("wants",), ["Wants"]),
        # words learned as cues right before a clause ("showed that"), a subject noun ("voters"),
        # and no cue that is a noun after a determiner ("the show")
        ("The data showed that turnout fell.", ("before-clause: showed",), ["showed"]),
        ("The data showed turnout fell.", ("before-clause: showed",), []),
        ("Many voters prefer a wall.", ("after-subject: prefer",), ["prefer"]),
        ("She watched the show last night.", ("show",), []),
        # a question put to the source
        ("Asked if he was ever bullied, the candidate said no.", (), ["Asked", "said"]),
        ("She asked whether it was true.", (), ["asked"]),
        # a second verb of saying of the same subject, after "and": one more attribution (PolNeAR)
        ("The senator criticized the policy and said allies wanted answers.", ("after-subject: criticized",),
         ["criticized", "said"]),
        # words learned as cues after a link word ("and", "to", a comma or preposition before -ing)
        ("Huerta praised her record, crediting her with the law.", ("after-link: crediting",),
         ["praised", "crediting"]),
        ("He won by crediting the voters.", ("after-link: crediting",), ["crediting"]),
        ("The crediting agency was late.", ("after-link: crediting",), []),
        # a speech verb's -ed form that modifies a noun, and a noun-like form after a possessive
        ("Clinton leads by 270 pledged delegates; his stated goal is unity.", (), []),
        ("Editor's note: the poll closed on Monday.", (), []),
        ("She's stated that the poll closed.", (), ["stated"]),
        # a naming participle after a common noun names a thing; after a name it is a cue
        ('They staged a play called "Sons of Trump" in Mexico.', ("called",), []),
        ("Trump called the judge a hater.", ("called",), ["called"]),
        # a vague or anonymous cue phrase inside a quotation is the speaker's words, not the article's
        ('"So many people are struggling," she said.', (), ["said"]),
        ("Many people believe the poll. Officials familiar with it agree.", (), ["Many people believe",
                                                                                  "Officials familiar with"]),
    ],
)
def test_counted_cues(text, cues, expected):
    assert counted(text, cues) == expected


def test_labelled_speaker_lines_are_attributions_and_their_words_are_content():
    text = (
        "TAPPER: Do you think he can win the race?\n"
        "FALLIN: I think he wants unity, as he said on Monday.\n"
        "Editor's Note: This transcript was edited.\n"
        "Sanders: 46.\n"
        "Poll: Clinton leads in Ohio"
    )
    assert counted(text, ("think", "after-subject: wants")) == [":", ":", ":"]
    sources = [a.source for a in attribution.find_attributions(doc_of(text))]
    assert sources == ["TAPPER", "FALLIN", "Poll"]


def test_subject_before_skips_auxiliaries_and_adverbs_only():
    from scoring.text import lowered_span_texts, word_spans

    def after_subject(text: str, i: int) -> bool:
        words = word_spans(text)
        return attribution.subject_before(text, words, lowered_span_texts(text, words), i)

    assert after_subject("Clinton has repeatedly supported it", 3)
    assert after_subject("she would prefer it", 2)
    assert not after_subject("the wants of people", 1)
    assert not after_subject("Clinton, supported by many", 1)  # a comma between: no subject


_ALL_INDEXES = attribution._all_indexes(attribution.learned_cues(), attribution.uncertainty_cues().fixed)
_SOME_PHRASES = sorted({" ".join(p) for index in _ALL_INDEXES.indexes for ps in index.by_first.values()
                        for p in ps})[::7]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SOME_PHRASES), st.integers(0, 3),
                          st.sampled_from([" ", "\n", ", ", "-", "’", ". "])), max_size=25))
def test_one_pass_over_every_index_finds_what_each_index_finds(pieces):
    """PhraseIndexes (one pass for the nine lexicons of attribution) against each PhraseIndex.find, on
    overlapping and cut-short cue phrases of all of them."""
    text = "".join((" ".join(p.split()[:cut]) if cut else p) + gap for p, cut, gap in pieces)
    doc = doc_of(text)
    words, lowered = doc.body_words, doc.body_lowered
    assert _ALL_INDEXES.find(doc.body_text, words, lowered) == [
        index.find(doc.body_text, words, lowered) for index in _ALL_INDEXES.indexes]


def test_one_pass_over_every_index_on_the_seeds():
    for path in sorted(SEEDS.glob("*.txt")):
        doc = seed_doc(path.read_text(encoding="utf-8"))
        words, lowered = doc.body_words, doc.body_lowered
        assert _ALL_INDEXES.find(doc.body_text, words, lowered) == [
            index.find(doc.body_text, words, lowered) for index in _ALL_INDEXES.indexes]


_ACCORDING_BEFORE = re.compile(r"(?<![\w-])according\s+to\s+", re.IGNORECASE)  # the patterns as they were
_ASKED_BEFORE = re.compile(r"(?<![\w-])(?P<cue>[Aa]sked)(?:\s+(?P<by>by)\s+[^,.;:\n]{1,60}?)?"
                           r"(?=\s+(?:if|whether|what|how|why|who|when|where|about)\b)")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["according", "ACCORDING", "Accord", "to", "TO", "asked", "Asked", "ASKED",
                                 "by", "a reporter", "if", "whether", "-", "_", "x", "ſ", "İ", " ", "\n",
                                 "\t", ",", "“", "’", "7"]), max_size=30))
def test_first_letter_look_behind_patterns_match_as_before(pieces):
    """ACCORDING_RE and the "asked" pattern, look-behind moved after the first letter for speed, find the
    same matches (and groups) as the patterns with a leading look-behind."""
    text = "".join(pieces)
    assert [m.span() for m in attribution.ACCORDING_RE.finditer(text)] == [
        m.span() for m in _ACCORDING_BEFORE.finditer(text)]
    assert [(m.span(), m.span("cue"), m.span("by")) for m in attribution._ASKED_RE.finditer(text)] == [
        (m.span(), m.span("cue"), m.span("by")) for m in _ASKED_BEFORE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["is", "IS", "ıs", "wAſ", "was", "been", "being", "to", "TO", "ſo", "go on",
                                 "went on", "did", "however", "quickly", "QUICKLY", "ſly", "also", "then",
                                 ",", "”", '"', "»", "''", "'", "x", "Smith", " ", "  ", "\t", "\u00a0",
                                 "\u2003", "é"]), max_size=12))
def test_searches_before_a_speech_verb_run_only_where_they_may_match(pieces):
    """The passive, inverted and 'go on to' tests before a speech verb find what their regex finds."""
    check_before("".join(pieces))


@pytest.mark.parametrize("before", ["Smith is ", "it was widely ", "it wAſ ", "the plan, ", "“No,” also ",
                                    "did however go on to ", "Smith "])
def test_searches_before_a_speech_verb_on_examples(before):
    check_before(before)
    assert bool(attribution._passive_before(before) or attribution._inverted_before(before)
                or attribution._go_on_to_before(before)) == (before != "Smith ")


def check_before(before: str) -> None:
    for test, pattern in ((attribution._passive_before, attribution._PASSIVE_BEFORE_RE),
                          (attribution._inverted_before, attribution._INVERTED_BEFORE_RE),
                          (attribution._go_on_to_before, attribution._GO_ON_TO_RE)):
        found, expected = test(before), pattern.search(before)
        assert (found and found.span()) == (expected and expected.span()), (before, pattern.pattern)


def test_equal_copies_of_a_text_give_the_same_attributions_and_line_bounds():
    """The identity-kept views (newline offsets, verb candidates) serve only the very text they were
    built for: an equal copy, and a different text asked in between, get their own correct answers."""
    text = (SEEDS / "000_25ad51b8fa8ac693.txt").read_text(encoding="utf-8")
    copy = "".join(list(text))
    assert copy == text and copy is not text
    first = attribution.extract(doc_of(text))
    other = "Officials said on Tuesday.\nThe report found nothing, according to aides."
    assert attribution._line_bounds(other, 5) == (0, other.index("\n"))
    second = attribution.extract(doc_of(copy))
    assert first.values == second.values and first.spans == second.spans
    for pos in (0, len(text) // 3, len(text) // 2, len(text)):
        start, end = attribution._line_bounds(copy, pos)
        assert start == text.rfind("\n", 0, pos) + 1
        assert end == (text.find("\n", pos) if text.find("\n", pos) >= 0 else len(text))


def test_no_source_is_a_that_clause_or_a_weekday_on_the_seeds_and_the_polnear_sample():
    """A source shown as evidence names who is credited: never the clause a cue introduces ("adding that
    these incidents underscore how"), nor the weekday of a time adjunct ("Trump on Monday said")."""
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    paths = sorted(SEEDS.glob("*.txt")) + sorted(POLNEAR_SAMPLE.glob("*.txt"))
    bad = []
    for path in paths:
        for span in attribution.extract(seed_doc(path.read_text(encoding="utf-8"))).spans:
            source = span.label.partition(":")[2] if span.kind == "attribution" else span.label
            if span.kind.startswith("attribution") and (source.startswith("that ") or source in weekdays):
                bad.append((path.name, span.kind, span.label))
    assert len(paths) >= 10 and bad == []
