"""The reporting scorecard on data sets and outlets it never saw, against a bag-of-words baseline.

Data: corpus/training/articles.parquet (built from the shared data by corpus/build_training_corpus.py;
sources, commits and licences in corpus/training/SOURCES.md; ReCOVery rows are CC BY-NC-SA 4.0),
labelled by their OUTLET's rating (reliable = MBFC high / NewsGuard reliable; 0 = mixed or unreliable).
Protocol (scoring.evaluate): leave one data set out (training rows of the held-out set's outlets dropped),
article AUC and outlet AUC (mean score per outlet) for the scorecard, TF-IDF + logistic regression, the
data-set identity and article length alone (the Spearman of the score with length too);
outlet-grouped StratifiedGroupKFold inside each data set; each criterion alone inside each
data set; Spearman between label points and score; the seeds' ranking and reasons.
Articles with an applicability warning (too short, not English, not prose: scoring/applicability.py) are
left out, as the product gives them no rank; --include-flagged keeps them, to show what that changes.
Usage: .venv/bin/python benchmarks/model_evaluation.py [--seed 0] [--corpus PATH] [--include-flagged]
Writes benchmarks/results/model_evaluation.json and the evaluation section of models/default.md
(--include-flagged: benchmarks/results/model_evaluation_with_flagged.json only).
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
WITH_FLAGGED = REPO / "benchmarks" / "results" / "model_evaluation_with_flagged.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus" / "training" / "articles.parquet")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--include-flagged", action="store_true",
                        help="keep articles with an applicability warning (results to " + WITH_FLAGGED.name
                        + ", model card untouched): what leaving them out changes")
    args = parser.parse_args()
    started = time.perf_counter()
    out = WITH_FLAGGED if args.include_flagged else OUT
    result = evaluate_corpus(args.corpus, out, seed=args.seed, include_flagged=args.include_flagged,
                             write_model_card=not args.include_flagged)
    print(f"{time.perf_counter() - started:.0f} s -> {out} ({result['articles']} articles, "
          f"{result['left_out_flagged']} with an applicability warning left out)")
    for name, r in result["lodo"]["datasets"].items():
        card, bow = r["scorecard"], r["tfidf"]
        print(f"  LODO {name:16s} scorecard article AUC {card['article_auc']}  outlet AUC "
              f"{card['outlet_auc']}  | TF-IDF {bow['article_auc']} / {bow['outlet_auc']}  | length alone "
              f"{r['length_alone']['article_auc']} / {r['length_alone']['outlet_auc']}  | score-length "
              f"Spearman {card['length_spearman']}")
    print(f"  LODO mean: {result['lodo']['mean']}")
    for name, r in result["within"].items():
        print(f"  inside {name:16s} scorecard {r['scorecard']}  TF-IDF {r['tfidf']}")
    for key, value in result["targets"].items():
        print(f"  target {key}: {value}")


if __name__ == "__main__":
    main()
