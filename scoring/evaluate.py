"""Evaluate the scorecard where it has to hold: on data sets and outlets it never saw.

- leave one data set out: for each data set holding both classes, fit on every other data set (minus any
  row of an outlet that the held-out set also has) and score it; article AUC and outlet AUC (mean score
  per outlet), with a TF-IDF bag of words and the data-set identity under the same protocol;
- article length alone (longer = higher, nothing fitted) under the same protocol, and the Spearman between
  the scorecard's score and length on each held-out set: length is not a criterion, so a score that merely
  tracks length (or its opposite) shows up here;
- outlet-grouped cross-validation inside each data set (no outlet on both sides);
- each criterion alone inside each data set (where a criterion reverses), label-score agreement, the seeds.
Imports scoring.train (fitting, features); scoring.train never imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline

from scoring.model import WORDS_FEATURE, ReportingStyleModel, default_model_path
from scoring.train import DEFAULT_CORPUS, fit_scorecard, fit_weights, labelled_table, seeds_check

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "benchmarks" / "results" / "model_evaluation.json"
MAX_FOLDS = 5
PROTOCOL = (
    "Leave one data set out (LODO): for each data set with both classes, the scorecard (anchors and weights) "
    "and the baselines are fitted on all other data sets, dropping their rows from any outlet the held-out "
    "set also holds, then score the held-out set. Article AUC over its articles; outlet AUC over its "
    "outlets' "
    "mean scores (n/a when its outlets are all of one class). TF-IDF: word 1-2-gram TF-IDF (sublinear, "
    "min_df 2, English stop words) + balanced logistic regression. Data-set identity is constant on an "
    "unseen data set, so 0.5 by construction. Length alone: the body's word count as the score (longer = "
    "higher, nothing fitted; length is reported, never scored), with the Spearman between the scorecard's "
    "score and length on each held-out set. Inside each data set: StratifiedGroupKFold by outlet "
    "(folds = min(5, outlets of the rarer class)), pooled out-of-fold article AUC. Articles with an "
    "applicability warning (too short, not English, not prose) are left out of fitting and evaluation "
    "alike, as the product gives them no rank."
)


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    return round(float(roc_auc_score(y, score)), 4) if len(np.unique(y)) == 2 else None


def outlet_auc(y: np.ndarray, score: np.ndarray, outlets: np.ndarray) -> float | None:
    """AUC over outlets: each outlet's mean score against its (outlet-level) label."""
    frame = pd.DataFrame({"y": y, "s": score, "o": outlets}).groupby("o").agg(y=("y", "max"), s=("s", "mean"))
    return _auc(frame["y"].to_numpy(), frame["s"].to_numpy())


def tfidf_scores(
    train_texts: Sequence[str], train_y: np.ndarray, test_texts: Sequence[str], seed: int
) -> np.ndarray:
    """P(reliable) from a bag-of-words baseline fitted on the training texts."""
    pipeline = make_pipeline(
        TfidfVectorizer(
            sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=100_000, stop_words="english"
        ),
        LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=seed),
    )
    pipeline.fit(list(train_texts), train_y)
    return pipeline.predict_proba(list(test_texts))[:, 1]


def two_class_datasets(table: pd.DataFrame) -> list[str]:
    """Data sets holding both classes, sorted."""
    counts = table.groupby("dataset")["target"].nunique()
    return sorted(counts[counts == 2].index)


def lodo_splits(table: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(held-out data set, training rows, test rows): the training rows hold no outlet of the test rows."""
    for held in two_class_datasets(table):
        test = table[table["dataset"] == held]
        yield held, table[(table["dataset"] != held) & ~table["outlet"].isin(set(test["outlet"]))], test


def outlet_folds(data: pd.DataFrame, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """StratifiedGroupKFold by outlet inside one data set (folds = min(5, outlets of the rarer class));
    empty when a class has fewer than two outlets."""
    folds = int(min(MAX_FOLDS, data.groupby("target")["outlet"].nunique().min()))
    if folds < 2 or data["target"].nunique() < 2:
        return []
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(data, data["target"].to_numpy(), data["outlet"].astype(str).to_numpy()))


def leave_one_dataset_out(table: pd.DataFrame, seed: int = 0, baselines: bool = True) -> dict[str, Any]:
    """Scorecard, TF-IDF and data-set identity, each data set held out in turn (`baselines=False`: the
    scorecard only, what the evaluation gate needs)."""
    results: dict[str, Any] = {}
    for held, train, test in lodo_splits(table):
        y, outlets = test["target"].to_numpy(), test["outlet"].astype(str).to_numpy()
        card = fit_scorecard(train, seed=seed).score(test)
        length = test[WORDS_FEATURE].to_numpy(dtype=float)
        bow = (
            tfidf_scores(train["text"], train["target"].to_numpy(), test["text"], seed) if baselines else None
        )
        results[held] = {
            "articles": int(len(test)),
            "outlets": int(test["outlet"].nunique()),
            "training_articles": int(len(train)),
            "scorecard": {"article_auc": _auc(y, card), "outlet_auc": outlet_auc(y, card, outlets),
                          "length_spearman": round(float(spearmanr(card, length).statistic), 4)},
            "tfidf": {"article_auc": _auc(y, bow), "outlet_auc": outlet_auc(y, bow, outlets)}
            if bow is not None
            else {"article_auc": None, "outlet_auc": None},
            "dataset_identity": {"article_auc": 0.5},
            "length_alone": {"article_auc": _auc(y, length), "outlet_auc": outlet_auc(y, length, outlets)},
        }

    def mean(model: str, key: str) -> float | None:
        values = [r[model][key] for r in results.values() if r[model][key] is not None]
        return round(float(np.mean(values)), 4) if values else None

    return {
        "datasets": results,
        "mean": {
            "scorecard_article_auc": mean("scorecard", "article_auc"),
            "scorecard_outlet_auc": mean("scorecard", "outlet_auc"),
            "tfidf_article_auc": mean("tfidf", "article_auc"),
            "tfidf_outlet_auc": mean("tfidf", "outlet_auc"),
            "length_alone_article_auc": mean("length_alone", "article_auc"),
            "length_alone_outlet_auc": mean("length_alone", "outlet_auc"),
        },
        "min_scorecard_article_auc": min(
            (r["scorecard"]["article_auc"] for r in results.values()), default=None
        ),
    }


def within_dataset_cv(table: pd.DataFrame, seed: int = 0, baselines: bool = True) -> dict[str, Any]:
    """Outlet-grouped CV inside each data set with at least two outlets of each class."""
    out: dict[str, Any] = {}
    for name in two_class_datasets(table):
        data = table[table["dataset"] == name].reset_index(drop=True)
        folds = outlet_folds(data, seed)
        if not folds:
            out[name] = {
                "folds": 0,
                "scorecard": None,
                "tfidf": None,
                "note": "fewer than two outlets of a class",
            }
            continue
        y = data["target"].to_numpy()
        card, bow = np.zeros(len(data)), np.zeros(len(data))
        for train_idx, test_idx in folds:
            train, test = data.iloc[train_idx], data.iloc[test_idx]
            card[test_idx] = fit_scorecard(train, seed=seed).score(test)
            if baselines:
                bow[test_idx] = tfidf_scores(train["text"], y[train_idx], test["text"], seed)
        out[name] = {
            "folds": len(folds),
            "scorecard": _auc(y, card),
            "tfidf": _auc(y, bow) if baselines else None,
        }
    return out


def criterion_auc(model: ReportingStyleModel, table: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Data set -> criterion -> AUC of its satisfaction alone (< 0.5: the criterion reverses there)."""
    satisfactions = model.satisfaction_matrix(table)
    out = {}
    for name in two_class_datasets(table):
        inside = (table["dataset"] == name).to_numpy()
        y = table["target"].to_numpy()[inside]
        out[name] = {c: _auc(y, satisfactions[inside, i]) for i, c in enumerate(model.criterion_names)}
    return out


def fixed_direction_ceiling(model: ReportingStyleModel, table: pd.DataFrame) -> dict[str, float | None]:
    """Data set -> in-sample article AUC of the sign-constrained fit of these criteria on that data set
    itself (nearly no ridge): what a fixed-direction scorecard over them reaches there even when fitted on
    the very rows it is scored on, so a held-out figure can hardly do better."""
    satisfactions = model.satisfaction_matrix(table)
    learned = [i for i, c in enumerate(model.criteria) if not c["fixed"]]
    out: dict[str, float | None] = {}
    for name in two_class_datasets(table):
        inside = (table["dataset"] == name).to_numpy()
        y, s = table["target"].to_numpy()[inside], satisfactions[inside][:, learned]
        weights, _ = fit_weights(s, y, np.full(len(y), name), l2=1e-6)
        out[name] = _auc(y, s @ weights)
    return out


def label_agreement(model: ReportingStyleModel, table: pd.DataFrame) -> dict[str, Any]:
    """Spearman between label points (pass 2, partial 1, fail 0 over scored criteria) and the score."""
    from scoring.quality_label import label_points_of

    points = [label_points_of(row, model.max_points) for row in model.satisfaction_matrix(table)]
    rho = spearmanr(points, model.score(table)).statistic
    return {"spearman": round(float(rho), 4), "articles": int(len(table))}


def targets_met(result: dict[str, Any]) -> dict[str, Any]:
    """The issue-10 done-when figures, each with its measured value."""
    lodo = result["lodo"]
    per = {d: r["scorecard"]["article_auc"] for d, r in lodo["datasets"].items()}
    seeds = result.get("seeds", {})
    return {
        "lodo_mean_article_auc>=0.75": f"{lodo['mean']['scorecard_article_auc']} "
        f"({'met' if lodo['mean']['scorecard_article_auc'] >= 0.75 else 'NOT met'})",
        "lodo_none_below_0.60": "met"
        if min(per.values()) >= 0.60
        else "NOT met: " + ", ".join(f"{d} {v}" for d, v in per.items() if v < 0.60),
        "lodo_above_tfidf": f"{lodo['mean']['scorecard_article_auc']} vs TF-IDF "
        f"{lodo['mean']['tfidf_article_auc']}",
        "label_spearman>=0.8": f"{result['label_agreement']['spearman']}",
        "seed_001_first": seeds.get("001_ranks_first"),
        "seeds_004_000_lowest": seeds.get("004_and_000_lowest_two"),
    }


def evaluate_corpus(
    corpus_path: str | Path = DEFAULT_CORPUS,
    output: str | Path = DEFAULT_OUTPUT,
    seed: int = 0,
    n_jobs: int = 2,
    model_path: str | Path | None = None,
    baselines: bool = True,
    include_flagged: bool = False,
    write_model_card: bool = True,
) -> dict[str, Any]:
    """Every evaluation above on the corpus; results JSON to `output` (None: not written); the model's card
    gets the figures unless `write_model_card` is False."""
    from scoring.model_card import write_card
    from scoring.outputs import write_json_atomically

    table = labelled_table(corpus_path, n_jobs, include_flagged=include_flagged)
    model_path = Path(model_path) if model_path else default_model_path()
    model = ReportingStyleModel.load(model_path)
    result: dict[str, Any] = {
        "protocol": PROTOCOL,
        "seed": seed,
        "model": str(model_path.name),
        "model_version": model.version,
        "articles": int(len(table)),
        "left_out_flagged": table.attrs.get("flagged_left_out", 0),  # applicability warnings: not scored
    }
    result["lodo"] = leave_one_dataset_out(table, seed, baselines)
    result["within"] = within_dataset_cv(table, seed, baselines)
    result["criterion_auc"] = criterion_auc(model, table)
    result["fixed_direction_ceiling"] = fixed_direction_ceiling(model, table)
    result["label_agreement"] = label_agreement(model, table)
    result["seeds"] = seeds_check(model)
    result["targets"] = targets_met(result)
    if output is not None:
        write_json_atomically(result, output)
    if write_model_card:
        write_card(model, result["seeds"], result, model_path.with_suffix(".md"))
    return result


__all__ = [
    "PROTOCOL",
    "criterion_auc",
    "evaluate_corpus",
    "label_agreement",
    "leave_one_dataset_out",
    "outlet_auc",
    "targets_met",
    "tfidf_scores",
    "within_dataset_cv",
]
