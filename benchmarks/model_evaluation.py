"""Reporting-style model vs a bag-of-words baseline on outlets never seen in training.

Data: corpus/training/articles.parquet (built from the shared data by corpus/build_training_corpus.py; its
sources, commits and licences are in corpus/training/SOURCES.md): reliable vs unreliable articles whose
outlet is known, labelled by their OUTLET's rating (MBFC factuality, OpenSources, Business Insider list).
Protocol (scoring.evaluate): 5-fold StratifiedGroupKFold grouped by outlet (no outlet on both sides,
asserted), seeded; metrics on pooled out-of-fold predictions: article ROC AUC, macro-F1, accuracy, outlet
AUC (mean article score per outlet), Brier, reliability curve. Compared: our model features (registry minus
scoring.model.EXCLUDED_FEATURES) + logistic regression with C chosen by nested grouped CV (plain,
Platt-calibrated, unweighted), the previous all-registry-features model, TF-IDF bag-of-words + logistic
regression, a data-set-identity baseline (the data set's name only), and the model minus each family.
Confound checks: the same out-of-fold predictions scored only on allsides + polnear MBFC-labelled rows and
inside each two-class data set, and per feature its data-set vs label separation.
Usage: .venv/bin/python benchmarks/model_evaluation.py [--seed 0] [--corpus PATH]
Writes benchmarks/results/model_evaluation.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scoring.evaluate import evaluate_corpus  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "model_evaluation.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus" / "training" / "articles.parquet")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    result = evaluate_corpus(args.corpus, OUT, seed=args.seed)
    print(
        f"{result['articles']} articles, {result['outlets']} outlets "
        f"({result['reliable_outlets']} reliable), "
        f"{len(result['feature_names'])} features, {time.perf_counter() - started:.0f} s -> {OUT}"
    )
    for name, m in result["models"].items():
        print(
            f"  {name:32s} article AUC {m['article_auc']:.3f}  outlet AUC {m['outlet_auc']:.3f}  "
            f"macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}  Brier {m['brier']:.3f}"
        )
    subset = result.get("confound", {}).get("same_source_subset", {})
    print(
        f"same-source subset: {subset.get('articles')} articles, reliable outlets "
        f"{len(subset.get('reliable_outlets', []))}, unreliable outlets {subset.get('unreliable_outlets')}"
    )
    for name, m in subset.get("models", {}).items():
        print(f"  subset {name:32s} article AUC {m['article_auc']:.3f}  outlet AUC {m['outlet_auc']:.3f}")
    for target, (value, met) in result.get("targets", {}).items():
        print(f"  target {target}: {value} -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
