"""The segmenter against hand-made line labels of the five seeds (tests/gold/boilerplate.json).

F1 is computed over non-blank lines. Over all seeds together, both the boilerplate class and the body
class must reach F1 0.95; per seed, the body class must reach 0.9 (seed 001 has no boilerplate line, so
a per-seed boilerplate F1 is undefined there), and so must the boilerplate class in the two seeds with
more than five boilerplate lines. Known miss (kept in the gold as truth): seed 003 line 5, an inline
link to another story, which the segmenter keeps as body because it cannot tell it from a subheading.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.records import Article
from scoring.segment import BODY, CATEGORIES, segment

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "gold" / "boilerplate.json").read_text(encoding="utf-8"))["seeds"]
SEEDS = ROOT / "corpus" / "seeds"


def predicted_labels(name: str) -> dict[int, str]:
    """Label of each non-blank line (1-based line number) of a seed, as the segmenter gives it."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    doc = segment(Article(id=name, source=name, text=text))
    return {text.count("\n", 0, block.start) + 1: block.category for block in doc.blocks}


PREDICTED = {name: predicted_labels(name) for name in GOLD}


def f1(pairs: list[tuple[bool, bool]]) -> float:
    """F1 of the positive class from (gold, predicted) pairs; 1.0 when neither side has a positive."""
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def pairs(names: list[str], positive_is_boilerplate: bool) -> list[tuple[bool, bool]]:
    out = []
    for name in names:
        for row in GOLD[name]:
            gold_bp = row["label"] != BODY
            pred_bp = PREDICTED[name][row["line"]] != BODY
            out.append((gold_bp, pred_bp) if positive_is_boilerplate else (not gold_bp, not pred_bp))
    return out


def label_of(name: str, line: int) -> str:
    return PREDICTED[name][line]


def test_gold_matches_the_seed_files() -> None:
    for name, rows in GOLD.items():
        lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
        non_blank = [i for i, line in enumerate(lines, 1) if line.strip()]
        assert [row["line"] for row in rows] == non_blank, name
        for row in rows:
            assert lines[row["line"] - 1].strip() == row["text"], (name, row["line"])
            assert row["label"] == BODY or row["label"] in CATEGORIES, row


def test_line_f1_over_all_seeds() -> None:
    names = list(GOLD)
    assert f1(pairs(names, positive_is_boilerplate=True)) >= 0.95
    assert f1(pairs(names, positive_is_boilerplate=False)) >= 0.95


@pytest.mark.parametrize("name", sorted(GOLD))
def test_line_f1_per_seed(name: str) -> None:
    assert f1(pairs([name], positive_is_boilerplate=False)) >= 0.9
    if sum(row["label"] != BODY for row in GOLD[name]) > 5:
        assert f1(pairs([name], positive_is_boilerplate=True)) >= 0.9


def test_categories_of_detected_boilerplate_lines() -> None:
    both = [(row["label"], PREDICTED[name][row["line"]]) for name in GOLD for row in GOLD[name]
            if row["label"] != BODY and PREDICTED[name][row["line"]] != BODY]
    assert both
    assert sum(g == p for g, p in both) / len(both) >= 0.9


SEED0, SEED1, SEED2, SEED4 = (
    "000_25ad51b8fa8ac693.txt", "001_948b233b706f7776.txt", "002_5a07dfaf90efcbad.txt",
    "004_a74bc72940f21413.txt")


def test_key_lines_of_seed_004() -> None:
    for line in (1, 2, 4):  # logo, "Menu open icon", "Menu closed icon"
        assert label_of(SEED4, line) == "navigation"
    assert label_of(SEED4, 61) == "promotional"  # Not Quite Ready To Get Back To Work Just Yet?
    assert label_of(SEED4, 66) == "legal"  # © cloudThing 2021
    assert label_of(SEED4, 70) == "legal"  # copyright, company registration, VAT
    assert label_of(SEED4, 16) == BODY  # headline
    assert label_of(SEED4, 18) == BODY  # dateline


def test_pull_quotes_of_seed_004_stay_body() -> None:
    for line in (26, 28, 30, 32, 49, 51, 53, 55):  # markers, quotation, source line
        assert label_of(SEED4, line) == BODY, line


def test_key_lines_of_seed_000() -> None:
    assert label_of(SEED0, 29) == "related"  # Recent Posts
    for line in range(31, 66, 2):  # teaser titles, snippets, "2 days ago"
        assert label_of(SEED0, line) == "related", line
    assert label_of(SEED0, 25) == "byline_blurb"  # IN Editorial Team
    assert label_of(SEED0, 27) == "byline_blurb"  # General reporting on current events by ...
    assert label_of(SEED0, 3) == BODY  # headline


def test_key_lines_of_seeds_001_and_002() -> None:
    assert label_of(SEED2, 21) == "social"  # Leave a Comment
    assert label_of(SEED1, 12) == BODY  # By Sabina Mammadli: a byline is part of the article
