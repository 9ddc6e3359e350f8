"""A token tagger for SemEval-2020 Task 11 Loaded_Language spans, measured against the shipped word
lexicon's figures (benchmarks/semeval_loaded_language.py) under the same protocol and official scorer.

Why: one lexicon word per gold span reaches official-scorer recall 0.45 at best (the benchmark's oracle),
so phrases are needed; this asks whether a linear tagger over token features finds them better.
Model (scikit-learn here only): an L2 logistic regression over each body token's features: its lower-cased
word and Porter stem, the previous and next words and their stems, whether it, the previous or the next
word is in the curated VADER base (loaded_language_vader.txt), a mid-sentence capital, its length. A
predicted span is a run of consecutive tokens outside quotations (whitespace between them) that reach
EXTEND x the threshold, holding one that reaches the threshold (EXTEND 1.0: plain runs of tagged tokens),
outside quotations as the product's `loaded` spans are counted.
Protocol (as semeval_loaded_language.py): the 40 gate-slice articles are left out; 5-fold CV by article
(seed 0) over the other 331; inside each training fold, C (among CS), the probability threshold (among
THRESHOLDS) and EXTEND (among EXTENDS) are chosen on a quarter of the training articles held out from a
fit on the other three quarters, then the tagger is refit on the whole training fold and scored on the
held-out fold.
Result: benchmarks/results/semeval_loaded_tagger.json (2026-12-01: SI P/R 0.214 / 0.246, F1 0.226, against
the lexicon's words alone 0.289 / 0.172, F1 0.214, on the same folds). Not shipped: the lexicon's words
widened to phrases by a learned extension policy (semeval_loaded_language.py) reach 0.232 / 0.257, F1 0.241.
Run: .venv/bin/python benchmarks/semeval_loaded_tagger.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import semeval_loaded_language as semeval  # noqa: E402

from scoring.features import language  # noqa: E402
from scoring.lexicon import load_lexicon  # noqa: E402
from scoring.records import Article  # noqa: E402
from scoring.segment import Document, segment  # noqa: E402

RESULTS = semeval.ROOT / "benchmarks" / "results" / "semeval_loaded_tagger.json"
CS = (1.0, 3.0)  # candidate inverse L2 strengths (0.1 and 0.3 were worse in a first run: SI F1 0.167, 0.206)
THRESHOLDS = tuple(round(0.04 + 0.02 * k, 2) for k in range(18))  # 0.04 .. 0.38
EXTENDS = (1.0, 0.75, 0.5, 0.35, 0.25)  # share of the threshold a run's other tokens need (1.0: plain)

Token = tuple[int, int, bool, bool, dict[str, float]]  # start, end, quoted, inside gold, features


def tokens(doc: Document, gold: list[semeval.Range]) -> list[Token]:
    """Each body token with its features, whether it is quoted and whether it overlaps a gold span."""
    text, words, low = doc.body_text, doc.body_words, doc.body_lowered
    vader = frozenset(load_lexicon("loaded_language_vader"))
    quoted = language.quoted_ranges(text)
    gold = semeval.merge_ranges(gold)
    out = []
    for k, ((start, end), word) in enumerate(zip(words, low, strict=True)):
        prev = low[k - 1] if k else "<s>"
        nxt = low[k + 1] if k + 1 < len(low) else "</s>"
        capital = bool(k) and text[start].isupper() and not text[words[k - 1][1] : start].strip()
        features = {f"w={word}": 1.0, f"st={semeval.stem(word.removesuffix(chr(39) + 's'))}": 1.0,
                    f"p={prev}": 1.0, f"n={nxt}": 1.0, f"pst={semeval.stem(prev)}": 1.0,
                    f"nst={semeval.stem(nxt)}": 1.0, "vader": float(word in vader),
                    "prev_vader": float(prev in vader), "next_vader": float(nxt in vader),
                    "mid_capital": float(capital), "length": min(len(word), 12) / 12}
        out.append((start, end, any(a <= start < b for a, b in quoted),
                    any(semeval.overlaps((start, end), g) for g in gold), features))
    return out


def runs(text: str, toks: list[Token], probs: list[float], threshold: float,
         extend: float = 1.0) -> list[semeval.Range]:
    """Spans of consecutive tokens outside quotations (only spaces between them) whose probability
    reaches `extend` x `threshold` and that hold at least one token reaching `threshold` (hysteresis:
    a confident word carries its less confident neighbours)."""
    out: list[semeval.Range] = []
    low = threshold * extend
    current, seeded = None, False
    for (start, end, quoted, _, _), p in zip(toks, probs, strict=True):
        if p >= low and not quoted and not (current and text[current[1] : start].strip(" ")):
            current = (current[0], end) if current else (start, end)
            seeded = seeded or p >= threshold
            continue
        if current and seeded:
            out.append(current)
        current, seeded = None, False
        if p >= low and not quoted:
            current, seeded = (start, end), p >= threshold
    if current and seeded:
        out.append(current)
    return out


class Tagger:
    """A fitted vectoriser and logistic regression."""

    def __init__(self, toks: list[list[Token]], c: float) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectoriser = DictVectorizer()
        x = self.vectoriser.fit_transform([t[4] for article in toks for t in article])
        y = [t[3] for article in toks for t in article]
        self.model = LogisticRegression(C=c, max_iter=3000).fit(x, y)

    def probs(self, toks: list[Token]) -> list[float]:
        return list(self.model.predict_proba(self.vectoriser.transform([t[4] for t in toks]))[:, 1])


def choose(train: list[int], toks: list[list[Token]], docs: list[Document], golds: list) -> tuple:
    """(inner SI F1, C, threshold, extend) chosen on a quarter of `train` held out from a fit on the rest."""
    quarters = semeval.folds_of(len(train), 4)
    held = [train[i] for i in quarters[0]]
    fit = [train[i] for q in quarters[1:] for i in q]
    best = (-1.0, CS[0], THRESHOLDS[0], EXTENDS[0])
    for c in CS:
        tagger = Tagger([toks[i] for i in fit], c)
        probs = {i: tagger.probs(toks[i]) for i in held}
        for threshold in THRESHOLDS:
            for extend in EXTENDS:
                preds = [runs(docs[i].body_text, toks[i], probs[i], threshold, extend) for i in held]
                f1 = semeval.span_scores(preds, [golds[i] for i in held])["si"]["f1"]
                best = max(best, (f1, c, threshold, extend))
    return best


def main() -> None:
    started = time.perf_counter()
    articles = semeval.read_semeval(semeval.ARCHIVE)
    step = max(1, len(articles) // semeval.EVAL_ARTICLES)
    held = {aid for aid, _, _ in articles[::step][: semeval.EVAL_ARTICLES]}
    learn = [a for a in articles if a[0] not in held]
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in learn]
    golds = [gold for _, _, gold in learn]
    toks = [tokens(doc, gold) for doc, gold in zip(docs, golds, strict=True)]
    per_fold = []
    for k, test in enumerate(semeval.folds_of(len(learn), semeval.FOLDS)):
        train = [i for j, f in enumerate(semeval.folds_of(len(learn), semeval.FOLDS)) if j != k for i in f]
        inner_f1, c, threshold, extend = choose(train, toks, docs, golds)
        tagger = Tagger([toks[i] for i in train], c)
        preds = [runs(docs[i].body_text, toks[i], tagger.probs(toks[i]), threshold, extend) for i in test]
        scores = semeval.span_scores(preds, [golds[i] for i in test])
        per_fold.append({"C": c, "threshold": threshold, "extend": extend, "inner_si_f1": inner_f1, **scores})
        print(k, per_fold[-1]["si"], flush=True)
    metrics = ("precision", "recall", "f1")
    mean = {m: round(sum(f["si"][m] for f in per_fold) / len(per_fold), 4) for m in metrics}
    results = {"protocol": "5-fold CV by article over the 331 articles outside the gate's slice (seed 0); C, "
               "threshold and extension chosen inside each training fold; official SI scorer; body, outside "
               "quotations",
               "mean_si": mean, "folds": per_fold, "seconds": round(time.perf_counter() - started, 1)}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(mean))


if __name__ == "__main__":
    main()
