"""Recompute scoring/lexicons/quality_criteria.tsv (the reporting-quality label's thresholds) from the corpus.

Thresholds come from the distribution of each feature over the articles of RELIABLE outlets in
corpus/training/articles.parquet (label == "reliable", outlet known), features from the cache next to it
(scoring.train.build_feature_table, computed if missing). One rule for every feature, no per-feature tuning:
  higher is better (e.g. quotes per 1k words): pass at or above the reliable 25th percentile (three in four
      reliable articles reach it), fail at or below the 5th (as low as the lowest 1 in 20 reliable articles);
  lower is better (e.g. loaded words per 1k): pass at or below the 75th percentile, fail above the 95th.
Deterministic: same corpus, same extractors -> same file.
Usage: .venv/bin/python benchmarks/derive_quality_thresholds.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scoring.quality_label import CRITERIA_FILE, CriterionRule, load_rules  # noqa: E402

CORPUS = REPO / "corpus" / "training" / "articles.parquet"
PASS_Q, FAIL_Q = 0.25, 0.05  # for higher-is-better; mirrored (0.75, 0.95) for lower-is-better


def reliable_features(corpus: Path = CORPUS) -> pd.DataFrame:
    """Feature values of the reliable-outlet articles of the training corpus."""
    from scoring.train import build_feature_table

    articles = pd.read_parquet(corpus)
    features = build_feature_table(articles, corpus.parent / "features.parquet")
    table = pd.concat([articles.reset_index(drop=True), features.drop(columns="id")], axis=1)
    return table[(table["label"] == "reliable") & table["outlet_known"] & (table["feature_status"] == "ok")]


def thresholds(values: pd.Series, higher_is_better: bool) -> tuple[float, float, float, float]:
    """(pass_at, fail_at, pass quantile, fail quantile) of one feature's reliable distribution."""
    pass_q, fail_q = (PASS_Q, FAIL_Q) if higher_is_better else (1 - PASS_Q, 1 - FAIL_Q)
    return round(float(values.quantile(pass_q)), 4), round(float(values.quantile(fail_q)), 4), pass_q, fail_q


def derive(rules: list[CriterionRule], table: pd.DataFrame) -> list[CriterionRule]:
    """The same rules with pass/fail thresholds recomputed from `table`."""
    out = []
    for rule in rules:
        pass_at, fail_at, pass_q, fail_q = thresholds(table[rule.feature], rule.higher_is_better)
        out.append(
            rule._replace(pass_at=pass_at, fail_at=fail_at, pass_quantile=pass_q, fail_quantile=fail_q)
        )
    return out


def render(rules: list[CriterionRule], n_articles: int, n_outlets: int) -> str:
    header = [
        "# Reporting-quality label: criteria and thresholds (read by scoring/quality_label.py).",
        "# Source: written by benchmarks/derive_quality_thresholds.py from the feature distribution of the",
        f"# {n_articles} articles of {n_outlets} reliable outlets in corpus/training/articles.parquet. Rule:",
        "# higher-is-better: pass >= reliable 25th percentile, fail <= 5th; lower-is-better: pass <= 75th,",
        "# fail > 95th. role gate: the criterion's verdict is the worst gate row; role mitigates: when that",
        "# feature is above its pass_at, a partial from the gate rows becomes pass. Do not edit numbers",
        "# by hand: rerun the script.",
        "\t".join(CriterionRule._fields),
    ]
    rows = ["\t".join(str(v) for v in rule) for rule in rules]
    return "\n".join(header + rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    table = reliable_features()
    text = render(derive(load_rules(), table), len(table), table["outlet"].nunique())
    if args.check:
        same = CRITERIA_FILE.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{CRITERIA_FILE} differs from a fresh derivation")
        return 0 if same else 1
    CRITERIA_FILE.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
