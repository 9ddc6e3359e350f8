"""Does an expected count of attributions rank PolNeAR articles better than the extractor's hard count?

A test of issue 11's "expected count" idea, under the protocol of benchmarks/polnear_attribution.py
(PolNeAR training split, the 60 articles of corpus/eval/polnear never learned from or tuned on,
leave-one-outlet-out over the other 780: everything learned on six outlets, measured on the seventh).
Per outer fold, from the six training outlets only:
- the cue lexicon as shipped (benchmarks/polnear_attribution.py `learn_cues`, at its per-family precision
  floors), and a second list of the low-precision cues that rule rejects (precision >= LOW_PRECISION,
  not in the first);
- candidates of every article: the rule-based attributions, the learned-cue attributions (as shipped),
  and, in a second pass that cannot displace those, the attributions on the low-precision cues;
- a logistic model of "this candidate overlaps a gold Cue or Source" over general features (candidate kind,
  source type, the cue's learned precision as a logit, cue length, -ing/-ed form, a clause, quotation or
  comma right after the cue, a quotation on the line or within 150 characters, a headline line, a subject
  right before the cue, the cue opening a sentence), no outlet- or article-specific word;
  its regularisation C and the variant's cut chosen by an inner leave-one-outlet-out CV over the six
  training outlets (the Spearman of the pooled inner folds), seed-free (lbfgs is deterministic).
Variants, each an article's rate = its value x 1000 / body words, against the gold attributions per 1k words:
- `hard_count`: what the extractor counts now (rule-based + learned cues; must equal polnear_attribution.py);
- `expected_count`: the sum of the model's probabilities over all candidates;
- `expected_count_shipped_candidates`: the same over the shipped candidates only (no low-precision cues);
- `filtered_count`: the candidates with probability >= the cut (the cut chosen by the inner CV);
- `mixed_count`: 1 for a candidate with probability >= 0.5, its probability otherwise;
- `blended_count`: (1 - w) x the hard count + w x the expected count, w chosen by the inner CV.
Also the Spearman within each outlet, and the model fitted on all 780 (for the gate slice) with its weights.
Span precision/recall of each variant's shown spans (probability >= its cut; >= 0.5 for the expected counts)
as polnear_attribution.py measures them. Reports the pooled held-out Spearman, the two outlets never read
in error analysis (usa-today, west-journal), and the gate slice (learned on all 780, the model's C and cut
chosen by leave-one-outlet-out over the 780).
Usage: .venv/bin/python benchmarks/polnear_attribution_expected.py [--limit N]
Writes benchmarks/results/polnear_attribution_expected.json.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from bisect import bisect_left
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import numpy as np  # noqa: E402
import polnear_attribution as pa  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from scoring.features import attribution  # noqa: E402
from scoring.features import learned_cue_entries as cue_entries  # noqa: E402
from scoring.features.base import Document  # noqa: E402
from scoring.outputs import write_json_atomically  # noqa: E402
from scoring.records import Article, content_id  # noqa: E402
from scoring.segment import segment  # noqa: E402

RESULT = REPO / "benchmarks" / "results" / "polnear_attribution_expected.json"
LOW_PRECISION = 0.1  # low-precision cues: learned as the shipped ones, at this precision instead of 0.35
C_GRID = (0.03, 0.3, 3.0)
CUT_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "who", "it", "you"})
_CLAUSE_AFTER_RE = re.compile(r"\s+(?:that|whether|if|how|what|why)\b")
_QUOTE_AFTER_RE = re.compile(r"\s*[,:]?\s*[“\"']")
_COMMA_AFTER_RE = re.compile(r"\s*,")
_QUOTE_MARK_RE = re.compile(r"[“”\"]")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?\n“\"]\s*)$")
BLEND_GRID = (0.25, 0.5, 0.75)
VARIANTS = ("hard_count", "expected_count", "expected_count_shipped_candidates", "filtered_count",
            "mixed_count", "blended_count")


def learn_two(train: list[dict]) -> tuple[dict, dict]:
    """Cue -> (hits, seen) of the shipped lexicon's rule and of the low-precision cues it rejects."""
    shipped = {c: (h, n) for c, h, n in pa.learn_cues(train)}
    saved = pa.MIN_PHRASE_PRECISION, pa.MIN_CUE_PRECISION, pa.MIN_WORD_PRECISION
    pa.MIN_PHRASE_PRECISION = pa.MIN_CUE_PRECISION = pa.MIN_WORD_PRECISION = LOW_PRECISION
    try:
        low = {c: (h, n) for c, h, n in pa.learn_cues(train) if c not in shipped}
    finally:
        pa.MIN_PHRASE_PRECISION, pa.MIN_CUE_PRECISION, pa.MIN_WORD_PRECISION = saved
    return shipped, low


_FAMILIES = {  # a learned cue's context, as the model's feature names say it
    cue_entries.ANYWHERE: "any", cue_entries.AFTER_SUBJECT: "after", cue_entries.BEFORE_CLAUSE: "before",
    cue_entries.AFTER_LINK: "link"}


def _entry(text: str, attr: attribution.Attribution, stats: dict) -> tuple[str, tuple[int, int]]:
    """The lexicon entry a learned-cue attribution was found by, with its (hits, seen)."""
    key = " ".join(pa._CUE_TEXT_RE.findall(text[attr.cue[0] : attr.cue[1]].lower()))
    for context in cue_entries.CONTEXTS:
        entry = cue_entries.entry(context, key)
        if entry in stats:
            return entry, stats[entry]
    return "", (0, 0)  # "Asked if ...": a rule of the learned-cue pass


def features(doc: Document, attr: attribution.Attribution, kind: str, entry: str,
             stats: tuple[int, int]) -> dict:
    """General features of one candidate attribution (no word of a particular outlet or article)."""
    text = doc.body_text
    if kind == "rule":
        family = "rule"
    elif not entry:
        family = "asked"
    else:
        family = _FAMILIES[cue_entries.parse_entry(entry)[0]]
    f = {f"kind={kind}": 1.0, f"family={family}": 1.0, f"type={attr.type}": 1.0,
         f"{family}:has_source": float(attr.source_start >= 0),
         "headline": float(attribution.headline_line(text, attr.cue[0]))}
    if entry:
        hits, seen = stats
        p = (hits + 0.5) / (seen + 1.5)
        f["cue_precision_logit"] = math.log(p / (1 - p))
        f["cue_seen_log"] = math.log(seen)
    source = attr.source.strip()
    words = source.lower().split()
    f["source=" + ("none" if not words else "pronoun" if len(words) == 1 and words[0] in PRONOUNS
                   else "capitalised" if source[0].isupper() else "lower")] = 1.0
    cue_words = text[attr.cue[0] : attr.cue[1]].lower().split()
    last = cue_words[-1] if cue_words else ""
    f["cue_words"] = float(len(cue_words))
    f["cue_ing"], f["cue_ed"] = float(last.endswith("ing")), float(last.endswith("ed"))
    after = text[attr.cue[1] : attr.cue[1] + 12]
    f["clause_after"] = float(bool(_CLAUSE_AFTER_RE.match(after)))
    f["quote_after"] = float(bool(_QUOTE_AFTER_RE.match(after)))
    f["comma_after"] = float(bool(_COMMA_AFTER_RE.match(after)))
    line_start, line_end = attribution._line_bounds(text, attr.cue[0])
    f["quote_on_line"] = float(any(q in text[line_start:line_end] for q in "“\""))
    near = _QUOTE_MARK_RE.search(text, max(0, attr.cue[0] - 150), min(len(text), attr.cue[1] + 150))
    f["quote_within_150"] = float(near is not None)
    i = bisect_left(doc.body_word_starts, attr.cue[0])
    if i < len(doc.body_words):
        f["subject_before"] = float(attribution.subject_before(text, doc.body_words, doc.body_lowered, i))
    f["sentence_initial"] = float(bool(_SENTENCE_START_RE.search(text, max(0, attr.cue[0] - 3), attr.cue[0])))
    return f


def candidates(art: dict, shipped: dict, low: dict) -> dict:
    """An article's candidates (features, shipped?, span, right?) and its gold, under one fold's lexicons."""
    text = art["text"]
    doc = segment(Article(id=content_id(text), source=art["name"], text=text))
    body = doc.body_text
    rule_based = attribution.find_attributions(doc)
    learned = attribution.find_cue_attributions(doc, rule_based, attribution.learned_cues(tuple(shipped)))
    taken = attribution._Taken()
    for attr in rule_based + learned:
        taken.add(attr)
    extra = attribution.learned_cue_attributions(doc, attribution.quoted_spans(body),
                                                 attribution.learned_cues(tuple(low)), taken)
    gold_rel = [rel["cue"] + rel["source"] for rel in art["relations"] if rel["cue"]]
    ranges = [r for rel in gold_rel for r in rel]
    rows = []
    for kind, attrs, stats in (("rule", rule_based, {}), ("learned", learned, shipped), ("low", extra, low)):
        for attr in attrs:
            entry, counts = _entry(body, attr, stats) if stats else ("", (0, 0))
            rows.append({"features": features(doc, attr, kind, entry, counts), "shipped": kind != "low",
                         "span": (attr.start, attr.end),
                         "right": any(pa.overlaps((attr.start, attr.end), r) for r in ranges)})
    return {"outlet": art["outlet"], "words": max(1, doc.body_word_count), "rows": rows, "gold_rel": gold_rel,
            "gold_rate": 1000 * len(gold_rel) / max(1, doc.page_word_count)}


def fit(articles: list[dict], c: float) -> tuple[DictVectorizer, LogisticRegression]:
    rows = [row for art in articles for row in art["rows"]]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([r["features"] for r in rows])
    model = LogisticRegression(C=c, max_iter=3000).fit(x, [r["right"] for r in rows])
    return vectorizer, model


def probabilities(model: tuple[DictVectorizer, LogisticRegression], art: dict) -> np.ndarray:
    if not art["rows"]:
        return np.zeros(0)
    vectorizer, lr = model
    return lr.predict_proba(vectorizer.transform([r["features"] for r in art["rows"]]))[:, 1]


def value(variant: str, art: dict, p: np.ndarray, cut: float) -> tuple[float, list[int]]:
    """The article's count under a variant, and the indexes of the candidates shown as spans."""
    shipped = np.array([r["shipped"] for r in art["rows"]], dtype=bool)
    if variant == "hard_count":
        return float(shipped.sum()), list(np.flatnonzero(shipped))
    shown = list(np.flatnonzero(p >= cut))
    if variant == "expected_count":
        return float(p.sum()), shown
    if variant == "expected_count_shipped_candidates":
        return float(p[shipped].sum()), list(np.flatnonzero(shipped & (p >= cut)))
    if variant == "filtered_count":
        return float(len(shown)), shown
    if variant == "blended_count":  # `cut` holds the blend's weight w; spans shown at p >= 0.5
        return float((1 - cut) * shipped.sum() + cut * p.sum()), list(np.flatnonzero(p >= 0.5))
    return float(np.where(p >= 0.5, 1.0, p).sum()), shown  # mixed_count


def inner_probabilities(train: list[dict]) -> dict[float, list[tuple[dict, np.ndarray]]]:
    """Per C of the grid, every training article with the probabilities of a model fitted without its
    outlet (leave-one-outlet-out inside the training outlets)."""
    outlets = sorted({a["outlet"] for a in train})
    held: dict[float, list[tuple[dict, np.ndarray]]] = {}
    for c in C_GRID:
        held[c] = []
        for outlet in outlets:
            model = fit([a for a in train if a["outlet"] != outlet], c)
            held[c] += [(a, probabilities(model, a)) for a in train if a["outlet"] == outlet]
    return held


def choose(variant: str, held: dict[float, list[tuple[dict, np.ndarray]]]) -> tuple[float, float]:
    """(C, cut; for `blended_count` the blend's weight) of the variant with the best pooled Spearman of
    the inner held-out folds."""
    cuts = CUT_GRID if variant == "filtered_count" else BLEND_GRID if variant == "blended_count" else (0.5,)
    best = (-2.0, C_GRID[0], cuts[0])
    for c, scored_articles in held.items():
        for cut in cuts:
            ours = [1000 * value(variant, a, p, cut)[0] / a["words"] for a, p in scored_articles]
            rho = pa.spearman(ours, [a["gold_rate"] for a, _ in scored_articles])
            if rho > best[0]:
                best = (rho, c, cut)
    return best[1], best[2]


Scored = list[tuple[dict, float, list[int]]]  # (article, its rate, indexes of its shown candidates)


def scored(train: list[dict], test: list[dict]) -> dict[str, tuple[Scored, dict]]:
    """Per variant: each test article with its rate and shown candidates, and the C/cut chosen."""
    held = inner_probabilities(train)
    models: dict[float, tuple[DictVectorizer, LogisticRegression]] = {}
    out = {}
    for variant in VARIANTS:
        c, cut = choose(variant, held) if variant != "hard_count" else (0.0, 0.0)
        if variant != "hard_count" and c not in models:
            models[c] = fit(train, c)
        results = []
        for art in test:
            p = probabilities(models[c], art) if variant != "hard_count" else np.zeros(len(art["rows"]))
            count, shown = value(variant, art, p, cut)
            results.append((art, 1000 * count / art["words"], shown))
        params = {"C": c, "cut": cut}
        if variant != "hard_count":
            vectorizer, lr = models[c]
            params["weights"] = {"<intercept>": round(float(lr.intercept_[0]), 4)} | {
                name: round(float(w), 4)
                for name, w in zip(vectorizer.get_feature_names_out(), lr.coef_[0], strict=True)}
        out[variant] = (results, params)
    return out


def figures(results: Scored) -> dict:
    """Spearman of the rates and span precision/recall of the shown spans."""
    right = predicted = found = gold = 0
    for art, _, shown in results:
        spans = [art["rows"][i]["span"] for i in shown]
        predicted += len(spans)
        right += sum(art["rows"][i]["right"] for i in shown)
        gold += len(art["gold_rel"])
        found += sum(any(pa.overlaps(s, r) for s in spans for r in rel) for rel in art["gold_rel"])
    outlets = sorted({a["outlet"] for a, _, _ in results})
    per_outlet = {o: pa.spearman([r for a, r, _ in results if a["outlet"] == o],
                                 [a["gold_rate"] for a, _, _ in results if a["outlet"] == o])
                  for o in outlets}
    return {"attributions_per_1k_spearman": pa.spearman([r for _, r, _ in results],
                                                        [a["gold_rate"] for a, _, _ in results]),
            "spans": pa.prf(right, predicted, found, gold), "articles": len(results),
            "per_outlet_spearman": per_outlet if len(outlets) > 1 else {}}


def run(limit: int | None) -> dict:
    articles = pa.load_articles(limit)
    gate = {p.stem for p in pa.GATE_DIR.glob("*.txt")}
    learn = [a for a in articles if a["name"] not in gate]
    held = [a for a in articles if a["name"] in gate]
    pooled: dict[str, list] = {v: [] for v in VARIANTS}
    chosen: dict[str, dict] = {v: {} for v in VARIANTS}
    for outlet in sorted({a["outlet"] for a in learn}):
        shipped, low = learn_two([a for a in learn if a["outlet"] != outlet])
        prepared = [candidates(a, shipped, low) for a in learn]
        train = [p for p in prepared if p["outlet"] != outlet]
        test = [p for p in prepared if p["outlet"] == outlet]
        for v, (results, params) in scored(train, test).items():
            pooled[v] += results
            chosen[v][outlet] = {k: x for k, x in params.items() if k != "weights"}
        print(f"{outlet}: {len(shipped)} shipped cues, {len(low)} low-precision", flush=True)
    shipped, low = learn_two(learn)
    train = [candidates(a, shipped, low) for a in learn]
    gate_test = [candidates(a, shipped, low) for a in held]
    out = {}
    for v, (gate_results, gate_params) in scored(train, gate_test).items():
        out[v] = {"held_out_by_outlet": figures(pooled[v]),
                  "outlets_not_read": figures([r for r in pooled[v] if r[0]["outlet"]
                                               not in pa.ATTRIBUTION_READ_OUTLETS]),
                  "gate_slice": figures(gate_results),
                  "chosen_by_inner_cv": chosen[v] | {"gate_slice": gate_params}}
    return {"data": "PolNeAR train split (networkdynamics/PolNeAR @ c3eee83), first annotation file per "
                    "article",
            "protocol": "leave-one-outlet-out over the 780 articles outside corpus/eval/polnear (lexicons, "
                        "model and its C/cut from the six training outlets; C/cut by an inner "
                        "leave-one-outlet-out); gate slice: learned on the 780",
            "low_precision": LOW_PRECISION, "variants": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    if not pa.data_path().exists():
        print(f"PolNeAR not found at {pa.data_path()} (set NEWSSCORE_SHARED)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    result = run(args.limit)
    result["seconds"] = round(time.perf_counter() - started, 1)
    write_json_atomically(result, RESULT, indent=1)
    for v, r in result["variants"].items():
        h, u, g = r["held_out_by_outlet"], r["outlets_not_read"], r["gate_slice"]
        print(f"{v:34} Spearman {h['attributions_per_1k_spearman']:.4f} (never read "
              f"{u['attributions_per_1k_spearman']:.4f}, gate {g['attributions_per_1k_spearman']:.4f})  "
              f"spans P/R {h['spans']['precision']:.3f}/{h['spans']['recall']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
