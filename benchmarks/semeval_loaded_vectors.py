"""A token tagger over static word vectors (a model of meaning, no model at run time) for SemEval-2020
Task 11 Loaded_Language spans, alone and combined with the shipped lexicon phrases, measured against those
phrases under the same protocol and official scorer (benchmarks/semeval_loaded_language.py).

Why: 68% of the held-out gold spans hold no word of the learned lexicon; a word's vector places words the
lexicon never saw near the loaded words it did see.
Vectors: benchmarks/data/word_vectors.bin.gz (corpus/build_word_vectors.py: all-MiniLM-L6-v2's vector of
each word alone, PCA to 48 dims, 34,609 words). Features, decoding and the combination:
semeval_vector_features.py (the vectors of the word, its neighbours and the two words each side; lexicon,
VADER, out-of-vocabulary, stop-word, capital and length flags). The lexicon flag is cross-fitted: a training
article's flag comes from the lexicon (learn_lexicon at LEXICON_THRESHOLD, the shipped lexicon's) learned
on the other quarters of its training fold, so it is no more confident in training than on new text.
Model (scikit-learn, fitted here): an L2 logistic regression over standardised features (a one-hidden-layer
perceptron of HIDDEN relu units was never chosen over it by a first run's inner choice and costs ~10x the
fit). Modes: `tagger` = its runs alone; `combined` = the lexicon phrases whose most probable word reaches
`drop`, plus the tagger's runs beside them (the phrases at the threshold, C and tau that
semeval_loaded_language.py chose inside the same training fold, read from its results file).
Protocol: the 40 gate-slice articles are left out; 5-fold CV by article (seed 0) over the other 331;
inside each training fold the threshold, EXTEND and drop are chosen by the SI F1 pooled over a 4-fold CV
inside the training articles, then the tagger is refit on the whole training fold and scored on the
held-out fold; then chosen and fitted so on the 331 and measured once on the gate slice. `cost`: cProfile
of the folded linear tagger (what a run-time step would cost) beside the product's language extractor on
300 allsides-mbfc articles.
Result (2026-12-02, benchmarks/results/semeval_loaded_vectors.json): no gain. Held out, tagger alone SI
P/R 0.216 / 0.270, F1 0.235; combined 0.229 / 0.273, F1 0.241, against the lexicon phrases' 0.232 / 0.257,
F1 0.241; gate slice: tagger 0.306, combined 0.314, lexicon phrases 0.315. A first run choosing on one
inner quarter instead gave combined 0.202 / 0.307, F1 0.241 (gate 0.314). Cost: 2.3 ms per 1,000 words,
0.78 x the whole language extractor (over the ~1 ms budget). Not shipped. `--mlp` (2026-12-02; its fold run
was stopped before its gate step for lack of time, the fold figures are from its printed output): combined
SI P/R 0.232 / 0.272, F1 0.245 (folds 0.257 0.273 0.230 0.219 0.245 against the phrases' 0.250 0.267 0.222
0.219 0.246), tagger alone F1 0.237; `--mlp --gate-only` (semeval_loaded_vectors_mlp.json): gate slice
combined 0.316 / 0.317, F1 0.316, against the phrases' 0.315. A gain of 0.004 / 0.002 F1, and a perceptron
does not fold onto the table, so it would cost more than the linear tagger's 2.3 ms: not shipped.
Run: NEWSSCORE_SHARED=/work/shared .venv/bin/python benchmarks/semeval_loaded_vectors.py   (about 10 minutes)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import semeval_loaded_language as semeval  # noqa: E402
import semeval_vector_features as vf  # noqa: E402

from scoring.features import language  # noqa: E402
from scoring.outputs import write_json_atomically  # noqa: E402
from scoring.records import Article  # noqa: E402
from scoring.segment import Document, segment  # noqa: E402

RESULTS = semeval.ROOT / "benchmarks" / "results" / "semeval_loaded_vectors.json"
VECTORS = vf.VECTORS
COST_ARTICLES = semeval.SHARED / "data" / "allsides-mbfc" / "articles.jsonl.gz"
HIDDEN = 32
INNER_FOLDS = 4
MODELS = ("linear",)  # "mlp" (HIDDEN relu units) was never chosen over it by a first run's inner choice
THRESHOLDS = tuple(round(0.06 + 0.02 * k, 2) for k in range(20))  # 0.06 .. 0.44
EXTENDS = (1.0, 0.75, 0.5, 0.35)
DROPS = (0.0, 0.05, 0.1, 0.15, 0.2)  # least tagger probability a lexicon phrase's best word needs (combined)
LEXICON_THRESHOLD = 0.15  # min_precision of the fold lexicons (the shipped lexicon's, chosen by its CV)


def labels(doc: Document, gold: list[semeval.Range]) -> np.ndarray:
    merged = semeval.merge_ranges(gold)
    return np.array([any(semeval.overlaps(w, g) for g in merged) for w in doc.body_words])


def quoted_tokens(doc: Document) -> list[bool]:
    """Whether each body word starts inside a quotation."""
    quoted = language.quoted_ranges(doc.body_text)
    return [any(a <= s < b for a, b in quoted) for s, _ in doc.body_words]


def fit_tagger(kind: str, x: np.ndarray, y: np.ndarray) -> vf.Tagger:
    """A logistic regression (`linear`) or a one-hidden-layer perceptron (`mlp`) over standardised
    features, as the numpy tagger the product applies, its weights rounded as shipped (threshold, extend
    and drop set later)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    if kind == "linear":
        model = LogisticRegression(C=1.0, max_iter=2000).fit(z, y)
        fitted = vf.Tagger(mean, scale, None, None, model.coef_[0], float(model.intercept_[0]),
                                      0.5, 1.0)
        return vf.Tagger.from_dict(fitted.to_dict())
    mlp = MLPClassifier((HIDDEN,), alpha=1e-3, max_iter=60, early_stopping=True,
                        random_state=semeval.SEED).fit(z, y)
    fitted = vf.Tagger(mean, scale, mlp.coefs_[0], mlp.intercepts_[0], mlp.coefs_[1][:, 0],
                                  float(mlp.intercepts_[1][0]), 0.5, 1.0)
    return vf.Tagger.from_dict(fitted.to_dict())


class Data:
    """Docs, gold, labels and quotation flags of the learning articles, with cached feature matrices."""

    def __init__(self, articles: list, docs: list[Document]) -> None:
        self.articles, self.docs = articles, docs
        self.golds = [gold for _, _, gold in articles]
        self.y = [labels(d, g) for d, g in zip(docs, self.golds, strict=True)]
        self.quoted = [quoted_tokens(d) for d in docs]
        self.stats = [semeval.word_counts(d, g) for d, g in zip(docs, self.golds, strict=True)]
        self._cache: dict[tuple[int, frozenset[str]], np.ndarray] = {}

    def x(self, i: int, lexicon: frozenset[str]) -> np.ndarray:
        key = (i, lexicon)
        if key not in self._cache:
            self._cache[key] = vf.token_features(self.docs[i], lexicon)
        return self._cache[key]

    def drop_cache(self) -> None:
        """Forget the feature matrices (each fold's cross-fitted lexicons make new ones)."""
        self._cache.clear()

    def lexicon(self, train: list[int]) -> frozenset[str]:
        return frozenset(semeval.learn_lexicon([self.stats[i] for i in train], LEXICON_THRESHOLD))

    def training_matrix(self, train: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Features of `train` with cross-fitted lexicon flags, and labels."""
        xs = []
        quarters = semeval.folds_of(len(train), 4)
        for q, part in enumerate(quarters):
            lex = self.lexicon([train[i] for m, p in enumerate(quarters) if m != q for i in p])
            xs += [(train[i], self.x(train[i], lex)) for i in part]
        xs.sort()
        return np.vstack([x for _, x in xs]), np.concatenate([self.y[i] for i, _ in xs])

    def spans(self, i: int, probs: np.ndarray, threshold: float, extend: float) -> list[semeval.Range]:
        doc = self.docs[i]
        found = vf.tagged_runs(doc.body_text, doc.body_words, self.quoted[i], probs, threshold,
                                          extend)
        return [(s, e) for s, e, _ in found]


def lexicon_phrases(data: Data, train: list[int], test: list[int], params: tuple[float, float, float]
                    ) -> dict[int, list[semeval.Range]]:
    """The lexicon phrases (semeval_loaded_language's lexicon and extension policy, at its threshold, C and
    tau chosen inside the same training fold) of the `test` articles, learned on `train`."""
    threshold, c, tau = params
    lexicon = frozenset(semeval.learn_lexicon([data.stats[i] for i in train], threshold))
    rows = [row for i in train for row in semeval.extension_rows(data.docs[i], data.golds[i], lexicon)]
    policy = semeval.fit_extension(rows, c, tau)
    return {i: semeval.predict(data.docs[i], lexicon, policy) for i in test}


def combined(data: Data, i: int, phrases: list[semeval.Range], probs: np.ndarray, drop: float,
             runs: list[semeval.Range]) -> list[semeval.Range]:
    """The lexicon phrases whose most probable word reaches `drop`, plus the tagger's `runs` that overlap
    none of them (vf.combine, as the product applies it)."""
    kept, added = vf.combine(phrases, data.docs[i].body_word_starts, probs,
                                        [(s, e, []) for s, e in runs], drop)
    return sorted([phrases[k] for k in kept] + [runs[k] for k in added])


def fit(data: Data, train: list[int], kind: str) -> tuple[vf.Tagger, frozenset[str]]:
    x, y = data.training_matrix(train)
    return fit_tagger(kind, x, y), data.lexicon(train)


def choose(data: Data, train: list[int], params: tuple[float, float, float]) -> dict[str, tuple]:
    """Per mode ('tagger': its runs alone; 'combined': lexicon phrases filtered by the tagger plus its other
    runs), (inner SI F1, model, threshold, extend, drop) with the best SI F1 pooled over an INNER_FOLDS-fold
    CV inside `train` (tagger and lexicon phrases learned on the other inner folds each time)."""
    inner = semeval.folds_of(len(train), INNER_FOLDS)
    preds: dict[tuple, dict[int, list[semeval.Range]]] = {}
    for q, part in enumerate(inner):
        held = [train[i] for i in part]
        rest = [train[i] for m, p in enumerate(inner) if m != q for i in p]
        phrases = lexicon_phrases(data, rest, held, params)
        for kind in MODELS:
            model, lex = fit(data, rest, kind)
            for i in held:
                probs = model.probabilities(data.x(i, lex))
                for threshold in THRESHOLDS:
                    for extend in EXTENDS:
                        runs = data.spans(i, probs, threshold, extend)
                        preds.setdefault(("tagger", kind, threshold, extend, 0.0), {})[i] = runs
                        for drop in DROPS:
                            key = ("combined", kind, threshold, extend, drop)
                            preds.setdefault(key, {})[i] = combined(data, i, phrases[i], probs, drop, runs)
        data.drop_cache()
    golds = [data.golds[i] for i in train]
    best: dict[str, tuple] = {"tagger": (-1.0,), "combined": (-1.0,)}
    for (mode, *key), got in preds.items():
        f1 = semeval.span_scores([got[i] for i in train], golds)["si"]["f1"]
        best[mode] = max(best[mode], (f1, *key))
    return best


def cost(tagger: vf.Tagger, lexicon: frozenset[str], n: int = 300) -> dict[str, float]:
    """What the step would cost at run time: cProfile of the folded linear tagger (vf.LinearScorer) beside
    the product's whole language extractor on the first `n` allsides-mbfc articles, in one run (the machine
    is shared, so the ratio is the figure); ms per 1,000 body words."""
    import cProfile
    import gzip
    import pstats

    with gzip.open(COST_ARTICLES, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(n), handle, strict=False)]
    docs = [segment(Article(id=str(k), source=str(k), text=t)) for k, t in enumerate(texts)]
    words = sum(d.body_word_count for d in docs) / 1000
    scorer = vf.LinearScorer.of(tagger)
    language.extract(docs[0])
    profile = cProfile.Profile()
    profile.enable()
    for doc in docs:
        language.extract(doc)
        scorer.probabilities(doc, lexicon)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def ms(name: str) -> float:
        return sum(v[3] for k, v in stats.items() if k[2] == name) * 1000 / words

    tagger_ms, language_ms = ms("probabilities"), ms("extract")
    return {"articles": len(docs), "body_words_per_article": round(words * 1000 / len(docs)),
            "tagger_ms_per_1k_words": round(tagger_ms, 3),
            "language_extract_ms_per_1k_words": round(language_ms, 3),
            "tagger_over_language_extract": round(tagger_ms / language_ms, 2)}


def main() -> None:
    global MODELS, INNER_FOLDS  # noqa: PLW0603 - the one switch of this script, set once before any fit
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlp", action="store_true",
                        help="the perceptron instead, chosen by a 2-fold inner CV (its fits cost ~10x), "
                             "results to semeval_loaded_vectors_mlp.json")
    parser.add_argument("--gate-only", action="store_true",
                        help="skip the held-out folds: choose and fit on the 331, measure the gate slice")
    args = parser.parse_args()
    mlp = args.mlp
    if mlp:
        MODELS, INNER_FOLDS = ("mlp",), 2
    started = time.perf_counter()
    articles = semeval.read_semeval(semeval.ARCHIVE)
    step = max(1, len(articles) // semeval.EVAL_ARTICLES)
    held_ids = {aid for aid, _, _ in articles[::step][: semeval.EVAL_ARTICLES]}
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in articles]
    data = Data(articles, docs)
    learn = [i for i, a in enumerate(articles) if a[0] not in held_ids]
    gate = [i for i, a in enumerate(articles) if a[0] in held_ids]
    lexicon_runs = json.loads(semeval.RESULTS.read_text(encoding="utf-8"))
    fold_params = [(f["min_precision"], f["extension_C"], f["extension_tau"])
                   for f in lexicon_runs["held_out_folds"]["folds"]]
    shipped_params = tuple(lexicon_runs["shipped"][k]
                           for k in ("min_precision", "extension_C", "extension_tau"))
    per_fold: dict[str, list[dict]] = {"tagger": [], "combined": []}
    folds = [] if args.gate_only else semeval.folds_of(len(learn), semeval.FOLDS)
    for k, test_pos in enumerate(folds):
        train = [learn[i] for j, f in enumerate(folds) if j != k for i in f]
        test = [learn[i] for i in test_pos]
        chosen = choose(data, train, fold_params[k])
        phrases = lexicon_phrases(data, train, test, fold_params[k])
        for mode, (inner_f1, kind, threshold, extend, drop) in chosen.items():
            model, lex = fit(data, train, kind)
            probs = {i: model.probabilities(data.x(i, lex)) for i in test}
            preds = [data.spans(i, probs[i], threshold, extend) if mode == "tagger" else
                     combined(data, i, phrases[i], probs[i], drop, data.spans(i, probs[i], threshold, extend))
                     for i in test]
            scores = semeval.span_scores(preds, [data.golds[i] for i in test])
            per_fold[mode].append({"model": kind, "threshold": threshold, "extend": extend, "drop": drop,
                                   "inner_si_f1": inner_f1, **scores})
            print(k, mode, kind, threshold, extend, drop, inner_f1, scores["si"], flush=True)
    metrics = ("precision", "recall", "f1")
    mean = {mode: {m: round(sum(f["si"][m] for f in runs) / len(runs), 4) for m in metrics}
            for mode, runs in per_fold.items() if runs}
    chosen = choose(data, learn, shipped_params)
    gate_golds = [data.golds[i] for i in gate]
    shipped_phrases = {i: semeval.predict(docs[i], None, None) for i in gate}
    gate_scores = {}
    for mode, (inner_f1, kind, threshold, extend, drop) in chosen.items():
        model, lex = fit(data, learn, kind)
        probs = {i: model.probabilities(data.x(i, lex)) for i in gate}
        preds = [data.spans(i, probs[i], threshold, extend) if mode == "tagger" else
                 combined(data, i, shipped_phrases[i], probs[i], drop,
                          data.spans(i, probs[i], threshold, extend)) for i in gate]
        gate_scores[mode] = {"model": kind, "threshold": threshold, "extend": extend, "drop": drop,
                             "inner_si_f1": inner_f1, **semeval.span_scores(preds, gate_golds)}
        if mode == "combined":  # the cost of the folded linear tagger (a perceptron does not fold)
            run_cost = cost(model, lex) if model.hidden is None else None
    shipped_gate = semeval.span_scores(list(shipped_phrases.values()), gate_golds)
    results = {"protocol": "5-fold CV by article over the 331 articles outside the gate's slice (seed 0); "
               "model, threshold, extension and drop chosen inside each training fold (the lexicon phrases "
               "at the threshold, C and tau semeval_loaded_language.py chose inside the same fold); official "
               "SI scorer; body, outside quotations; gate slice: chosen and fitted on the 331, measured once "
               "on the 40",
               "vectors": str(VECTORS.relative_to(semeval.ROOT)), "held_out_folds_mean_si": mean,
               "lexicon_phrases_held_out_folds_mean_si": lexicon_runs["held_out_folds"]["mean"]["si"],
               "folds": per_fold, "gate_slice": gate_scores,
               "lexicon_phrases_gate_slice": shipped_gate["si"], "cost": run_cost,
               "seconds": round(time.perf_counter() - started, 1)}
    write_json_atomically(results, RESULTS.with_name(RESULTS.stem + "_mlp.json") if mlp else RESULTS)
    print(json.dumps(mean), "gate", {m: g["si"] for m, g in gate_scores.items()},
          "lexicon", shipped_gate["si"])


if __name__ == "__main__":
    main()
