"""Evaluation gate: headline quality figures on the bundled evaluation data, each checked against a floor.

Computes on corpus/eval/ (small slices of public labelled data; sources and licences in its README.md):
  body extraction   word 4-gram shingle P/R/F1 (the article-extraction-benchmark metric) on 25 HTML pages,
                    and the mean absolute error of the page's boilerplate share (gold: 1 - gold body chars /
                    page chars), from the HTML and from its visible text flattened to lines (text mode)
  quotes            direct-quote P/R (one-to-one, intersection/union >= 0.5) on 60 PolNeAR articles, the
                    Spearman correlation over articles of quotes per 1k words with the gold's, and the
                    share of matched quotes whose speaker span overlaps the gold Source
  attribution       attribution-cue P/R (overlap with a gold Cue or Source; rule-based and learned-cue
                    attributions) on the same articles, and the Spearman of attributions per 1k words
  hedges            sentence-level P/R/F1 of the per-sentence `uncertain` flag (learned cues, reporting
                    hedges, vague attributions) on 400 WikiWeasel sentences the cue learner never saw
  loaded language   span P/R of the `loaded` spans on 40 SemEval-2020 Task 11 articles, by the task's official
                    span-identification scorer (character-overlap partial credit)
  model             leave-one-dataset-out article AUC (mean, minimum, per data set) and outlet AUC of the
                    scorecard, and the label-score Spearman (scoring.evaluate on corpus/training)
and compares each with benchmarks/eval_baseline.json: a figure below its floor (or above its ceiling, for
errors) fails the run. The sha256 of every evaluation file is pinned there too: changed data fails the run.

Usage: .venv/bin/python benchmarks/eval_gate.py [--skip-model] [--update-baseline] [--update-hashes]
Exit: 0 all figures at or beyond their floors; 1 a figure below its floor; 2 the evaluation data changed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

# Matching and scoring helpers of the full benchmarks, reused unchanged.
from body_extraction import newsscore_html, scores, tp_fp_fn  # noqa: E402
from polnear_attribution import gold_quotes, match, overlaps, parse_ann, spearman  # noqa: E402
from semeval_loaded_language import span_scores  # noqa: E402
from wikiweasel_hedges import cues, detokenize  # noqa: E402

from scoring.features import attribution, boilerplate, language, quotes  # noqa: E402
from scoring.ingest import parse_html  # noqa: E402
from scoring.records import Article, content_id  # noqa: E402
from scoring.segment import segment  # noqa: E402

EVAL_DIR = REPO / "corpus" / "eval"
TRAINING_CORPUS = REPO / "corpus" / "training" / "articles.parquet"
BASELINE = REPO / "benchmarks" / "eval_baseline.json"
DATA_SUFFIXES = (".gz", ".json", ".txt", ".ann", ".csv", ".labels", ".parquet")
Figures = dict[str, float]


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def body_extraction_figures(folder: Path = EVAL_DIR / "html", limit: int | None = None) -> Figures:
    """Body-extraction shingle P/R/F1 and boilerplate-share mean absolute error on the bundled HTML pages."""
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    counts, errors, text_errors = [], [], []
    for key in sorted(gold)[:limit]:
        html = gzip.decompress((folder / f"{key}.html.gz").read_bytes()).decode("utf-8")
        truth = gold[key]["articleBody"]
        counts.append(tp_fp_fn(truth, newsscore_html(html), 4))
        article = parse_html(html, f"{key}.html")
        page_chars = boilerplate.visible_chars(article.text)
        gold_share = max(0.0, 1.0 - boilerplate.visible_chars(truth) / page_chars) if page_chars else 0.0
        predicted = boilerplate.extract(segment(article)).values["boilerplate_share"]
        errors.append(abs(predicted - gold_share))
        flattened = Article(id=article.id, source=f"{key}.txt", text=article.text)  # text mode: no DOM
        flattened_share = boilerplate.extract(segment(flattened)).values["boilerplate_share"]
        text_errors.append(abs(flattened_share - gold_share))
    s = scores(counts)
    return {"body_f1": s["f1"], "body_precision": s["precision"], "body_recall": s["recall"],
            "boilerplate_share_mae": round(sum(errors) / len(errors), 4),
            "text_mode_boilerplate_share_mae": round(sum(text_errors) / len(text_errors), 4)}


def load_polnear(folder: Path = EVAL_DIR / "polnear", limit: int | None = None) -> list[tuple[str, list]]:
    """(text, attribution relations) of each bundled PolNeAR article."""
    out = []
    for txt in sorted(folder.glob("*.txt"))[:limit]:
        out.append((txt.read_text(encoding="utf-8"), parse_ann(txt.with_suffix(".ann").read_text("utf-8"))))
    return out


def polnear_figures(folder: Path = EVAL_DIR / "polnear", limit: int | None = None) -> Figures:
    """Direct-quote P/R (strict one-to-one matching) and attribution-cue P/R against PolNeAR gold."""
    q_tp = q_pred = q_gold = a_right = a_pred = a_found = a_gold = s_right = s_total = 0
    rates: dict[str, list[float]] = {"q": [], "q_gold": [], "a": [], "a_gold": []}
    for text, relations in load_polnear(folder, limit):
        doc = segment(Article(id=content_id(text), source="polnear", text=text))
        found = [q for q in quotes.find_quotes(doc) if not q.scare]
        ours = [(q.start, q.end) for q in found]
        gold_with_source = gold_quotes(text, relations)
        gold = [g[0] for g in gold_with_source]
        pairs = match(ours, gold, strict=True)
        q_tp += len(pairs)
        for i, j in pairs:  # speaker: our span overlaps the gold Source (as polnear_attribution.py)
            if gold_with_source[j][1]:
                span = found[i].speaker_span
                s_total += 1
                s_right += bool(span and any(overlaps(span, r) for r in gold_with_source[j][1]))
        q_pred += len(ours)
        q_gold += len(gold)
        kinds = ("attribution", "attribution_cue")
        spans = [(s.start, s.end) for s in attribution.extract(doc).spans if s.kind in kinds]
        gold_rel = [rel["cue"] + rel["source"] for rel in relations if rel["cue"]]
        words = max(1, doc.body_word_count)  # ours: the body's rate, as the feature
        article_words = max(1, doc.page_word_count)  # gold counts the whole text (as polnear_attribution.py)
        for key, n, per in (("q", len(ours), words), ("q_gold", len(gold), article_words),
                            ("a", len(spans), words), ("a_gold", len(gold_rel), article_words)):
            rates[key].append(1000 * n / per)
        a_gold += len(gold_rel)
        a_pred += len(spans)
        a_found += sum(1 for ranges in gold_rel if any(overlaps(s, r) for s in spans for r in ranges))
        a_right += sum(1 for s in spans if any(overlaps(s, r) for ranges in gold_rel for r in ranges))
    qp, qr, qf = _prf(q_tp, q_pred, q_tp, q_gold)
    ap, ar, af = _prf(a_right, a_pred, a_found, a_gold)
    return {"quote_precision": round(qp, 4), "quote_recall": round(qr, 4), "quote_f1": round(qf, 4),
            "speaker_span_accuracy": round(s_right / s_total, 4) if s_total else 0.0,
            "attribution_precision": round(ap, 4), "attribution_recall": round(ar, 4),
            "attribution_f1": round(af, 4),
            "quotes_per_1k_spearman": spearman(rates["q"], rates["q_gold"]),
            "attributions_per_1k_spearman": spearman(rates["a"], rates["a_gold"])}


def hedge_figures(path: Path = EVAL_DIR / "wikiweasel.csv", limit: int | None = None) -> Figures:
    """Sentence-level P/R/F1 of the `uncertain` flag on the bundled WikiWeasel sentences (held out from
    the cue learner of benchmarks/wikiweasel_hedges.py)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(detokenize(r["text"]), r["label"].strip() == "1") for r in csv.DictReader(handle)][:limit]
    pred = [bool(c["uncertain"]) for c in (cues(text) for text, _ in rows)]
    gold = [label for _, label in rows]
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    p, r, f = _prf(tp, sum(pred), tp, sum(gold))
    return {"hedge_precision": round(p, 4), "hedge_recall": round(r, 4), "hedge_f1": round(f, 4)}


def loaded_language_figures(folder: Path = EVAL_DIR / "semeval", limit: int | None = None) -> Figures:
    """Span P/R of the product's `loaded` spans against SemEval-2020 Task 11 Loaded_Language spans, by the
    official SI scorer (partial credit by character overlap; semeval_loaded_language.span_scores)."""
    preds, golds = [], []
    for txt in sorted(folder.glob("article*.txt"))[:limit]:
        text = txt.read_text(encoding="utf-8")
        labels = txt.with_name(txt.stem + ".loaded.labels").read_text(encoding="utf-8").splitlines()
        golds.append([(int(p[2]), int(p[3])) for p in (line.split("\t") for line in labels) if len(p) == 4])
        doc = segment(Article(id=content_id(text), source=txt.name, text=text))
        preds.append([(s.start, s.end) for s in language.loaded_word_spans(doc)])
    si = span_scores(preds, golds)["si"]
    return {"loaded_precision": si["precision"], "loaded_recall": si["recall"], "loaded_f1": si["f1"]}


def model_figures(corpus: Path = TRAINING_CORPUS, seed: int = 0, n_jobs: int = 2) -> Figures:
    """Leave-one-dataset-out figures of the shipped scorecard and its label-score agreement
    (scoring.evaluate.evaluate_corpus without the baselines; the card is left alone)."""
    from scoring.evaluate import evaluate_corpus

    result = evaluate_corpus(corpus, None, seed=seed, n_jobs=n_jobs, baselines=False, write_model_card=False)
    lodo = result["lodo"]
    figures = {
        "model_lodo_mean_article_auc": lodo["mean"]["scorecard_article_auc"],
        "model_lodo_min_article_auc": lodo["min_scorecard_article_auc"],
        "model_lodo_mean_outlet_auc": lodo["mean"]["scorecard_outlet_auc"],
        "model_label_score_spearman": result["label_agreement"]["spearman"],
    }
    for name, r in lodo["datasets"].items():
        figures[f"model_lodo_article_auc_{name}"] = r["scorecard"]["article_auc"]
    return figures


SECTIONS: dict[str, Callable[..., Figures]] = {
    "body_extraction": body_extraction_figures,
    "polnear": polnear_figures,
    "hedges": hedge_figures,
    "loaded_language": loaded_language_figures,
    "model": model_figures,
}


def data_files() -> list[Path]:
    """Every file the gate's figures depend on (evaluation slices and the training corpus), sorted."""
    files = [p for p in EVAL_DIR.rglob("*") if p.is_file() and p.name.endswith(DATA_SUFFIXES)]
    return sorted(files) + [TRAINING_CORPUS]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_hashes() -> dict[str, str]:
    """sha256 of every evaluation data file, keyed by its path relative to the repository."""
    return {p.relative_to(REPO).as_posix(): sha256_of(p) for p in data_files()}


def hash_mismatches(pinned: dict[str, str], current: dict[str, str]) -> list[str]:
    """One message per file added, removed or changed since the hashes were pinned."""
    out = [f"changed: {k}" for k in sorted(pinned.keys() & current.keys()) if pinned[k] != current[k]]
    out += [f"missing: {k}" for k in sorted(pinned.keys() - current.keys())]
    out += [f"new (not pinned): {k}" for k in sorted(current.keys() - pinned.keys())]
    return out


def below_floor(figures: Figures, baseline: dict[str, Any]) -> list[str]:
    """One message per figure worse than its pinned bound (floor, or ceiling for lower-is-better figures);
    figures not computed in this run are not checked."""
    failures = []
    for name, pin in baseline["figures"].items():
        if name not in figures:
            continue
        value = figures[name]
        if pin.get("lower_is_better"):
            if value > pin["ceiling"]:
                failures.append(f"{name} = {value:.4f} above its ceiling {pin['ceiling']} "
                                f"(measured {pin['measured']})")
        elif value < pin["floor"]:
            failures.append(f"{name} = {value:.4f} below its floor {pin['floor']} "
                            f"(measured {pin['measured']})")
    return failures


def compute(sections: list[str], limit: int | None = None) -> Figures:
    """The figures of the named sections (limit: first N items of each data slice, for fast tests)."""
    figures: Figures = {}
    for name in sections:
        started = time.perf_counter()
        figures |= SECTIONS[name]() if name == "model" else SECTIONS[name](limit=limit)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return figures


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_baseline(baseline: dict[str, Any], path: Path = BASELINE) -> None:
    path.write_text(json.dumps(baseline, indent=1) + "\n", encoding="utf-8")


def update_measured(baseline: dict[str, Any], figures: Figures) -> None:
    """Rewrite `measured` of each computed figure; floors are left alone (raise them by hand)."""
    for name, value in figures.items():
        baseline["figures"].setdefault(name, {"floor": value})["measured"] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skip-model", action="store_true", help="leave out the model's CV (fast run)")
    parser.add_argument("--update-baseline", action="store_true", help="rewrite the measured values")
    parser.add_argument("--update-hashes", action="store_true", help="re-pin the data hashes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    baseline = load_baseline()
    current = data_hashes()
    if args.update_hashes:
        baseline["data_sha256"] = current
        write_baseline(baseline)
        print(f"re-pinned {len(current)} data hashes in {BASELINE.relative_to(REPO)}")
        return 0
    changed = hash_mismatches(baseline.get("data_sha256", {}), current)
    if changed:
        print("EVALUATION GATE: data changed: re-pin with --update-hashes and explain in the commit",
              file=sys.stderr)
        for line in changed:
            print("  " + line, file=sys.stderr)
        return 2
    sections = [s for s in SECTIONS if not (args.skip_model and s == "model")]
    figures = compute(sections)
    for name, value in figures.items():
        pin = baseline["figures"].get(name, {})
        bound = f"ceiling {pin['ceiling']}" if pin.get("lower_is_better") else f"floor {pin.get('floor')}"
        print(f"{name:28s} {value:.4f}   ({bound}, measured {pin.get('measured')})")
    if args.update_baseline:
        update_measured(baseline, figures)
        write_baseline(baseline)
        print(f"measured values rewritten in {BASELINE.relative_to(REPO)}")
    failures = below_floor(figures, baseline)
    print(f"evaluation gate: {len(figures)} figures in {time.perf_counter() - started:.0f} s")
    for message in failures:
        print("BELOW FLOOR: " + message, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
