"""Hedge cues measured at sentence level on Wikipedia weasel/hedge sentences (CoNLL-2010 derived).

Data: `$NEWSSCORE_SHARED/data/wikiweasel/crypto-uncertainty_wiki_weasel_train.csv`
(ChristopherLiew/Crypto-Uncertainty-Index @ a0d1b32, derived from the CoNLL-2010 Wikipedia weasel task
via the Szeged Uncertainty Corpus; provenance of the derivation not verified): 7,363 sentences labelled
1 = uncertain (hedged / weasel), 0 = certain. PTB-style tokens (`` '' -LRB-) are undone first.

A sentence is predicted uncertain when it contains a cue; precision, recall and F1 of the uncertain
class are reported for: reporting-distance hedges, modal hedges, either, anonymous-source cues (which
catch weasel phrasings like "some say", "many experts"), and all three together.
Usage: .venv/bin/python benchmarks/wikiweasel_hedges.py
Writes benchmarks/results/wikiweasel_hedges.json.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scoring.features import attribution  # noqa: E402
from scoring.segment import Block, Document  # noqa: E402

RESULT = REPO / "benchmarks" / "results" / "wikiweasel_hedges.json"
_PTB = [
    (r"-LRB-", "("),
    (r"-RRB-", ")"),
    (r"``\s*", "“"),
    (r"\s*''", "”"),
    (r"\s+([,.;:!?])", r"\1"),
    (r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1"),
]


def data_path() -> Path:
    shared = Path(os.environ.get("NEWSSCORE_SHARED", REPO.parent / "shared"))
    return shared / "data" / "wikiweasel" / "crypto-uncertainty_wiki_weasel_train.csv"


def detokenize(sentence: str) -> str:
    for pattern, repl in _PTB:
        sentence = re.sub(pattern, repl, sentence)
    return sentence.strip()


def cues(sentence: str) -> dict[str, list[str]]:
    """The cues each detector finds in one sentence."""
    doc = Document(sentence, (Block(0, len(sentence)),) if sentence else ())
    reporting, modal = attribution.find_hedges(doc)
    anonymous = [m.group().lower() for m in attribution.ANONYMOUS_RE.finditer(sentence)]
    return {
        "reporting": [s.label for s in reporting],
        "modal": [s.label for s in modal],
        "anonymous": anonymous,
    }


def prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    n_pred, n_gold = sum(pred), sum(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "predicted_uncertain": n_pred,
    }


def run() -> dict:
    with data_path().open(encoding="utf-8", newline="") as handle:
        rows = [(detokenize(r["text"]), r["label"].strip() == "1") for r in csv.DictReader(handle)]
    start = time.perf_counter()
    found = [cues(text) for text, _ in rows]
    elapsed = time.perf_counter() - start
    gold = [label for _, label in rows]
    detectors = {
        "reporting_hedges": lambda c: bool(c["reporting"]),
        "modal_hedges": lambda c: bool(c["modal"]),
        "reporting_or_modal": lambda c: bool(c["reporting"] or c["modal"]),
        "anonymous_source_cues": lambda c: bool(c["anonymous"]),
        "all_cues": lambda c: bool(c["reporting"] or c["modal"] or c["anonymous"]),
    }
    results = {name: prf([f(c) for c in found], gold) for name, f in detectors.items()}
    cue_counts: dict[str, Counter] = {"true_positive": Counter(), "false_positive": Counter()}
    for c, g in zip(found, gold, strict=True):
        for cue in c["reporting"] + c["modal"] + c["anonymous"]:
            cue_counts["true_positive" if g else "false_positive"][cue] += 1
    return {
        "data": "wikiweasel train CSV (ChristopherLiew/Crypto-Uncertainty-Index @ a0d1b32; CoNLL-2010)",
        "sentences": len(rows),
        "uncertain": sum(gold),
        "majority_baseline_all_uncertain": prf([True] * len(gold), gold),
        "detectors": results,
        "top_cues_in_uncertain_sentences": cue_counts["true_positive"].most_common(15),
        "top_cues_in_certain_sentences": cue_counts["false_positive"].most_common(15),
        "ms_per_sentence": round(1000 * elapsed / max(1, len(rows)), 3),
    }


def main() -> int:
    if not data_path().exists():
        print(f"wikiweasel data not found at {data_path()} (set NEWSSCORE_SHARED)", file=sys.stderr)
        return 1
    result = run()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
