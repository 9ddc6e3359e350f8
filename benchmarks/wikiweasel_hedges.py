"""Hedge cues measured at sentence level on Wikipedia weasel/hedge sentences (CoNLL-2010 derived).

Data: `$NEWSSCORE_SHARED/data/wikiweasel/crypto-uncertainty_wiki_weasel_train.csv`
(ChristopherLiew/Crypto-Uncertainty-Index @ a0d1b32, derived from the CoNLL-2010 Wikipedia weasel task
via the Szeged Uncertainty Corpus; provenance of the derivation not verified): 7,363 sentences labelled
1 = uncertain (hedged / weasel), 0 = certain. PTB-style tokens (`` '' -LRB-) are undone first.

A sentence is predicted uncertain when it contains a cue; precision, recall and F1 of the uncertain
class are reported for: reporting-distance hedges, modal hedges, either, anonymous-source cues, vague
attribution (weasel) cues, and the product's per-sentence `uncertain` flag
(`attribution.uncertain_sentences`: learned cues + reporting hedges + vague-attribution cues).

The learned cue list (scoring/lexicons/uncertainty_cues.txt) comes from `learn_cues`: word 1-3-grams
(not across punctuation) seen in >= MIN_SUPPORT uncertain sentences with precision >= MIN_PRECISION,
chosen greedily, each the one that most raises F1 on the learning sentences, while it raises F1 by at
least MIN_GAIN. The learner starts from what the product's fixed lists (reporting hedges, vague
attributions) already flag: they enter as the pseudo-cue FIXED_CUE, so the cues chosen are the ones
that raise the F1 of the product's flag, not of the learned list alone. Then `learn_exceptions`: a
learned cue with its previous or next word ("several times", "in most", "are generally") seen in >=
MIN_SUPPORT sentences, chosen greedily while cancelling it (the flag ignores a cue inside an exception)
raises F1 by at least the exception gain, itself chosen among EXCEPTION_GAINS by a 4-fold CV inside the
learning sentences. Protocol (no figure is a training figure):
- the 400 sentences of the evaluation gate's slice (corpus/eval/wikiweasel.csv: every 18th row) are
  never learned from; the shipped list is learned on the other 6,963 and measured on that slice;
- 5-fold cross-validation over the 6,963 (seeded shuffle): exception gain chosen (inner CV), cues and
  exceptions learned on four folds, the product's flag measured on the fifth; the mean and each fold's
  figures are reported, with the inner CV's F1 beside them (close figures: the choice does not overfit).
Usage: .venv/bin/python benchmarks/wikiweasel_hedges.py [--write-lexicon]
Writes benchmarks/results/wikiweasel_hedges.json (and, with --write-lexicon, the learned cue list).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scoring.features import attribution  # noqa: E402
from scoring.lexicon import PhraseIndex, load_lexicon  # noqa: E402
from scoring.segment import Block, Document  # noqa: E402

RESULT = REPO / "benchmarks" / "results" / "wikiweasel_hedges.json"
LEXICON = REPO / "scoring" / "lexicons" / "uncertainty_cues.txt"
EVAL_STEP, EVAL_ROWS = 18, 400  # corpus/eval/build.py: every 18th row, 400 rows
MIN_SUPPORT, MIN_PRECISION, MIN_GAIN, MAX_N, FOLDS, SEED = 5, 0.4, 0.001, 3, 5, 0
EXCEPTION_GAINS = (0.0005, 0.0002, 0.0001)  # candidate min F1 gain of an exception, chosen by inner CV
FIXED_CUE = "<fixed lists>"  # pseudo-cue: a sentence the fixed lists flag (never written or matched)
_CHUNK_RE = re.compile(r"[^,;:()\[\]\"“”.!?]+")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
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


def sentence_doc(sentence: str) -> Document:
    """One sentence as a one-block document (all body)."""
    return Document(sentence, (Block(0, len(sentence)),) if sentence else ())


def cues(sentence: str, cue_index: PhraseIndex | None = None) -> dict[str, list[str]]:
    """The cues each detector finds in one sentence (`uncertain`: the product's flag, with `cue_index`)."""
    doc = sentence_doc(sentence)
    reporting, modal = attribution.find_hedges(doc)
    return {
        "reporting": [s.label for s in reporting],
        "modal": [s.label for s in modal],
        "anonymous": [m.group().lower() for m in attribution.ANONYMOUS_RE.finditer(sentence)],
        "vague": [m.group().lower() for m in attribution.VAGUE_RE.finditer(sentence)],
        "uncertain": [s.label for s in attribution.uncertain_sentences(doc, cue_index)],
    }


def ngrams(sentence: str) -> set[str]:
    """Lower-cased word 1..MAX_N-grams of a sentence, not across punctuation."""
    out = set()
    for chunk in _CHUNK_RE.findall(sentence.lower()):
        tokens = _TOKEN_RE.findall(chunk)
        for n in range(1, MAX_N + 1):
            out.update(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def learn_cues(grams: list[set[str]], labels: list[bool]) -> list[tuple[str, int, int]]:
    """Greedy cue selection (see the module docstring): (cue, uncertain, certain sentences it newly flags)."""
    pos: dict[str, int] = {}
    neg: dict[str, int] = {}
    for i, (g, label) in enumerate(zip(grams, labels, strict=True)):
        bits = pos if label else neg
        for gram in g:
            bits[gram] = bits.get(gram, 0) | (1 << i)
    n_pos = sum(labels)
    candidates = []  # sorted, so that ties go the same way whatever the hash seed
    for gram, bits in sorted(pos.items()):
        p, n = bits.bit_count(), neg.get(gram, 0).bit_count()
        if p >= MIN_SUPPORT and p / (p + n) >= MIN_PRECISION:
            candidates.append(gram)
    covered_pos = covered_neg = tp = fp = 0
    chosen: list[tuple[str, int, int]] = []
    f1 = 0.0
    while True:
        best = None
        for gram in candidates:
            a = (pos[gram] & ~covered_pos).bit_count()
            if not a:
                continue
            b = (neg.get(gram, 0) & ~covered_neg).bit_count()
            score = 2 * (tp + a) / (n_pos + tp + a + fp + b)
            if score > f1 + MIN_GAIN and (best is None or score > best[0]):
                best = (score, gram, a, b)
        if best is None:
            return chosen
        f1, gram, a, b = best
        covered_pos |= pos[gram]
        covered_neg |= neg.get(gram, 0)
        tp, fp = tp + a, fp + b
        chosen.append((gram, a, b))


def flag_index(learned: list[str]) -> PhraseIndex:
    """The product's uncertainty matcher with another learned cue list (for cross-validation)."""
    return attribution.uncertainty_cues(tuple(c for c in learned if c != FIXED_CUE))


def learning_grams(sentences: list[str]) -> list[set[str]]:
    """Each sentence's n-grams, plus FIXED_CUE when the product's fixed lists flag it already."""
    fixed = flag_index([])
    return [ngrams(s) | ({FIXED_CUE} if cues(s, fixed)["uncertain"] else set()) for s in sentences]


def _cue_contexts(sentence: str, index: PhraseIndex, learned: set[str]) -> list[set[str]]:
    """For each cue match of a sentence, the exception phrases that would cancel it: the learned cue with
    its previous or its next word ("in most", "several times"); fixed-list cues get none."""
    doc = sentence_doc(sentence)
    text, words, low = doc.body_text, doc.body_words, doc.body_lowered
    first = {span[0]: i for i, span in enumerate(words)}
    last = {span[1]: i for i, span in enumerate(words)}
    out = []
    for start, end in index.find(text, words, low):
        a, b = first[start], last[end]
        cue = " ".join(low[a : b + 1])
        contexts = set()
        if cue in learned:
            if a > 0 and not text[words[a - 1][1] : words[a][0]].strip():
                contexts.add(f"{low[a - 1]} {cue}")
            if b + 1 < len(low) and not text[words[b][1] : words[b + 1][0]].strip():
                contexts.add(f"{cue} {low[b + 1]}")
        out.append(contexts)
    return out


def learn_exceptions(sentences: list[str], labels: list[bool], learned: list[str],
                     min_gain: float) -> list[tuple[str, int, int]]:
    """Greedy exception selection: context phrases of learned cues (see _cue_contexts) seen in >=
    MIN_SUPPORT sentences, each the one whose cancelling most raises F1 of the flag on these sentences,
    while it raises it by >= `min_gain`: (phrase, uncertain, certain sentences it unflagged)."""
    learned_set = set(learned) - {FIXED_CUE}
    index = flag_index(sorted(learned_set))
    matches = {i: _cue_contexts(s, index, learned_set) for i, s in enumerate(sentences)}
    matches = {i: m for i, m in matches.items() if m}
    where: dict[str, set[int]] = {}
    for i, contexts in matches.items():
        for phrase in set().union(*contexts):
            where.setdefault(phrase, set()).add(i)
    candidates = sorted(p for p, found in where.items() if len(found) >= MIN_SUPPORT)
    flagged, chosen_set = set(matches), set()
    tp = sum(labels[i] for i in flagged)
    fp, n_pos = len(flagged) - tp, sum(labels)
    f1 = 2 * tp / (n_pos + tp + fp) if n_pos + tp + fp else 0.0
    chosen: list[tuple[str, int, int]] = []

    def unflags(i: int, phrase: str) -> bool:
        return all(contexts & (chosen_set | {phrase}) for contexts in matches[i])

    while True:
        best = None
        for phrase in candidates:
            if phrase in chosen_set:
                continue
            lost = [i for i in where[phrase] if i in flagged and unflags(i, phrase)]
            a = sum(labels[i] for i in lost)
            b = len(lost) - a
            score = 2 * (tp - a) / (n_pos + tp - a + fp - b) if n_pos + tp - a + fp - b else 0.0
            if b and score > f1 + min_gain and (best is None or score > best[0]):
                best = (score, phrase, lost, a, b)
        if best is None:
            return chosen
        f1, phrase, lost, a, b = best
        chosen_set.add(phrase)
        flagged.difference_update(lost)
        tp, fp = tp - a, fp - b
        chosen.append((phrase, a, b))


def learn_flag(rows: list[tuple[str, bool]], grams: list[set[str]], min_gain: float) -> dict[str, list]:
    """Cues (learn_cues) then their exceptions (learn_exceptions) learned from some sentences."""
    labels = [label for _, label in rows]
    cues_found = learn_cues(grams, labels)
    learned = [c for c, _, _ in cues_found]
    exceptions = learn_exceptions([t for t, _ in rows], labels, learned, min_gain)
    return {"cues": cues_found, "exceptions": exceptions}


def flag_entries(flag: dict[str, list]) -> list[str]:
    """The entries of a learned flag as the lexicon holds them (exceptions written "!phrase")."""
    return [c for c, _, _ in flag["cues"]] + [f"!{p}" for p, _, _ in flag["exceptions"]]


def choose_exception_gain(rows: list[tuple[str, bool]], grams: list[set[str]],
                          k: int = FOLDS - 1) -> tuple[float, float]:
    """The EXCEPTION_GAINS value with the best F1 of the flag under a k-fold CV over these sentences."""
    folds = _folds(len(rows), k)
    best = (-1.0, EXCEPTION_GAINS[0])
    for gain in EXCEPTION_GAINS:
        pred: list[bool] = [False] * len(rows)
        for j, test in enumerate(folds):
            train = [i for m, fold in enumerate(folds) if m != j for i in fold]
            flag = learn_flag([rows[i] for i in train], [grams[i] for i in train], gain)
            cue_index = flag_index(flag_entries(flag))
            for i in test:
                pred[i] = bool(cues(rows[i][0], cue_index)["uncertain"])
        best = max(best, (prf(pred, [label for _, label in rows])["f1"], gain))
    return best[1], best[0]


def _folds(n: int, k: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    return [order[j::k] for j in range(k)]


def write_lexicon(flag: dict[str, list], n_sentences: int, min_gain: float) -> None:
    header = [
        "# Sentence-level uncertainty cues (hedges, modal hedges and weasel words), LEARNED from",
        "# Wikipedia sentences labelled certain/uncertain: wikiweasel train CSV",
        "# (ChristopherLiew/Crypto-Uncertainty-Index @ a0d1b32, derived from the CoNLL-2010 Wikipedia",
        "# weasel/hedge task), by benchmarks/wikiweasel_hedges.py --write-lexicon on",
        f"# {n_sentences} sentences (the 400 of corpus/eval/wikiweasel.csv left out): greedy forward",
        f"# selection of word 1-{MAX_N}-grams seen in >= {MIN_SUPPORT} uncertain sentences with precision",
        f"# >= {MIN_PRECISION}, each raising sentence-level F1 by >= {MIN_GAIN}. Cross-validated figures",
        "# in benchmarks/results/wikiweasel_hedges.json. The product adds hedges_reporting.txt and",
        "# vague_attributions.txt to these (the selection started from the sentences they flag).",
        "# Then EXCEPTIONS, written \"!phrase\": a learned cue with its previous or next word",
        f"# (\"several times\", \"in most\") seen in >= {MIN_SUPPORT} sentences, chosen greedily while",
        f"# cancelling it raises F1 by >= {min_gain} (that gain chosen by cross-validation inside the",
        "# learning sentences); a sentence whose only cues sit inside exceptions is not flagged.",
        "# Matched case-insensitively as whole phrases, the longest first.",
        "# Each entry: cue  # uncertain / certain learning sentences it newly flagged (an exception:",
        "# unflagged) when chosen.",
    ]
    body = [f"{cue}  # {a} / {b}" for cue, a, b in flag["cues"] if cue != FIXED_CUE]
    body += [f"!{phrase}  # {a} / {b}" for phrase, a, b in flag["exceptions"]]
    LEXICON.write_text("\n".join(header + body) + "\n", encoding="utf-8")


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


def cross_validate(rows: list[tuple[str, bool]], grams: list[set[str]]) -> dict:
    """FOLDS-fold CV of the learned flag over `rows` (seeded shuffle): the exception gain chosen by an
    inner CV and cues and exceptions learned on four folds, the product's flag measured on the fifth."""
    folds = _folds(len(rows), FOLDS)
    per_fold = []
    for k, test in enumerate(folds):
        train = [i for j, fold in enumerate(folds) if j != k for i in fold]
        train_rows, train_grams = [rows[i] for i in train], [grams[i] for i in train]
        gain, inner_f1 = choose_exception_gain(train_rows, train_grams)
        flag = learn_flag(train_rows, train_grams, gain)
        cue_index = flag_index(flag_entries(flag))
        pred = [bool(cues(rows[i][0], cue_index)["uncertain"]) for i in test]
        n_cues = sum(c != FIXED_CUE for c, _, _ in flag["cues"])
        per_fold.append(prf(pred, [rows[i][1] for i in test]) | {
            "cues": n_cues, "exceptions": len(flag["exceptions"]), "exception_gain": gain,
            "inner_cv_f1": inner_f1})
    mean = {m: round(sum(f[m] for f in per_fold) / FOLDS, 4) for m in ("precision", "recall", "f1")}
    inner = round(sum(f["inner_cv_f1"] for f in per_fold) / FOLDS, 4)
    return {"mean": mean, "mean_inner_cv_f1": inner, "folds": per_fold}


def run(write: bool = False) -> dict:
    with data_path().open(encoding="utf-8", newline="") as handle:
        rows = [(detokenize(r["text"]), r["label"].strip() == "1") for r in csv.DictReader(handle)]
    eval_idx = set(list(range(0, len(rows), EVAL_STEP))[:EVAL_ROWS])
    learn_rows = [r for i, r in enumerate(rows) if i not in eval_idx]
    learn_grams = learning_grams([text for text, _ in learn_rows])
    cv = cross_validate(learn_rows, learn_grams)
    gain, gain_f1 = choose_exception_gain(learn_rows, learn_grams, FOLDS)
    learned = learn_flag(learn_rows, learn_grams, gain)
    if write:
        write_lexicon(learned, len(learn_rows), gain)
        load_lexicon.cache_clear()
        attribution.uncertainty_cues.cache_clear()
    shipped_re = flag_index(flag_entries(learned))
    eval_rows = [rows[i] for i in sorted(eval_idx)]
    eval_pred = [bool(cues(t, shipped_re)["uncertain"]) for t, _ in eval_rows]
    eval_slice = prf(eval_pred, [g for _, g in eval_rows])
    start = time.perf_counter()
    found = [cues(text) for text, _ in rows]
    elapsed = time.perf_counter() - start
    gold = [label for _, label in rows]
    detectors = {
        "reporting_hedges": lambda c: bool(c["reporting"]),
        "modal_hedges": lambda c: bool(c["modal"]),
        "reporting_or_modal": lambda c: bool(c["reporting"] or c["modal"]),
        "anonymous_source_cues": lambda c: bool(c["anonymous"]),
        "vague_attribution_cues": lambda c: bool(c["vague"]),
        "uncertain_flag_shipped_lexicon_TRAINING_FIGURE": lambda c: bool(c["uncertain"]),
    }
    results = {name: prf([f(c) for c in found], gold) for name, f in detectors.items()}
    cue_counts: dict[str, Counter] = {"true_positive": Counter(), "false_positive": Counter()}
    for c, g in zip(found, gold, strict=True):
        for cue in c["reporting"] + c["modal"] + c["vague"] + c["uncertain"]:
            cue_counts["true_positive" if g else "false_positive"][cue] += 1
    return {
        "data": "wikiweasel train CSV (ChristopherLiew/Crypto-Uncertainty-Index @ a0d1b32; CoNLL-2010)",
        "sentences": len(rows),
        "uncertain": sum(gold),
        "majority_baseline_all_uncertain": prf([True] * len(gold), gold),
        "uncertain_flag_held_out": {
            "protocol": f"{FOLDS}-fold CV (seed {SEED}) over the {len(learn_rows)} sentences outside the "
            "gate's slice: cues learned on four folds, the product's flag measured on the fifth",
            **cv,
        },
        "uncertain_flag_gate_slice": {
            "protocol": f"cues learned on the {len(learn_rows)} other sentences, measured on the "
            f"{len(eval_rows)} of corpus/eval/wikiweasel.csv (never learned from)",
            **eval_slice,
        },
        "learned_cues": sum(1 for c, _, _ in learned["cues"] if c != FIXED_CUE),
        "learned_exceptions": len(learned["exceptions"]),
        "shipped_exception_gain": gain,
        "cv_f1_at_chosen_gain": gain_f1,
        "detectors_on_all_sentences": results,
        "top_cues_in_uncertain_sentences": cue_counts["true_positive"].most_common(15),
        "top_cues_in_certain_sentences": cue_counts["false_positive"].most_common(15),
        "ms_per_sentence": round(1000 * elapsed / max(1, len(rows)), 3),
    }


def main() -> int:
    if not data_path().exists():
        print(f"wikiweasel data not found at {data_path()} (set NEWSSCORE_SHARED)", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-lexicon", action="store_true", help="rewrite uncertainty_cues.txt")
    result = run(parser.parse_args().write_lexicon)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
