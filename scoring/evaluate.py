"""Outlet-grouped cross-validation of the reporting-style model, a bag-of-words baseline and ablations.

Labels are per outlet, so every split keeps each outlet entirely on one side (asserted). Reported per model:
article-level ROC AUC, macro-F1, accuracy, outlet-level AUC (mean article score per outlet vs the outlet's
label), Brier score and a reliability curve, all on out-of-fold predictions pooled over the 5 folds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline as sk_make_pipeline

from scoring.model import Calibration, make_pipeline

N_FOLDS = 5
N_BINS = 10
# Length and layout measures rather than reporting style: ablated together to show how much the model leans
# on article size and paragraphing (which differ between the source data sets' extraction tools).
SIZE_FEATURES = ("body_word_count", "body_block_count", "quote_count")
Predictor = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (train_idx, test_idx, groups) -> P


def outlet_folds(
    labels: Sequence[int], groups: Sequence[str], seed: int = 0, n_folds: int = N_FOLDS
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds grouped by outlet; raises AssertionError if an outlet were on both sides."""
    y, g = np.asarray(labels), np.asarray(groups)
    n_folds = min(n_folds, _max_folds(y, g))
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(len(y)), y, g):
        overlap = set(g[train_idx]) & set(g[test_idx])
        assert not overlap, f"outlet(s) on both sides of a split: {sorted(overlap)}"
        yield train_idx, test_idx


def _max_folds(y: np.ndarray, g: np.ndarray) -> int:
    """No more folds than outlets of the rarer class (so every test fold can hold both classes)."""
    outlets_per_class = [len(set(g[y == label])) for label in np.unique(y)]
    return max(2, min(outlets_per_class))


def platt(logits: np.ndarray, labels: np.ndarray) -> Calibration:
    """Fit calibrated logit = slope * logit + offset by (nearly unregularised) logistic regression."""
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(logits.reshape(-1, 1), labels)
    return Calibration(float(lr.coef_[0, 0]), float(lr.intercept_[0]))


def out_of_fold_logits(x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int) -> np.ndarray:
    """Raw logits of the features model for every row, each predicted by a model that never saw its outlet."""
    logits = np.zeros(len(y))
    for train_idx, test_idx in outlet_folds(y, groups, seed):
        model = make_pipeline(seed).fit(x[train_idx], y[train_idx])
        logits[test_idx] = model.decision_function(x[test_idx])
    return logits


def features_predictor(x: np.ndarray, y: np.ndarray, seed: int, calibrated: bool = False) -> Predictor:
    """P(reliable) on test rows from StandardScaler+LogisticRegression trained on the train rows; when
    `calibrated`, Platt-scaled on outlet-grouped out-of-fold logits of the training rows only."""

    def predict(train_idx: np.ndarray, test_idx: np.ndarray, groups: np.ndarray) -> np.ndarray:
        model = make_pipeline(seed).fit(x[train_idx], y[train_idx])
        logit = model.decision_function(x[test_idx])
        if calibrated:
            inner = out_of_fold_logits(x[train_idx], y[train_idx], groups[train_idx], seed)
            cal = platt(inner, y[train_idx])
            logit = cal.slope * logit + cal.offset
        return 1.0 / (1.0 + np.exp(-logit))

    return predict


def tfidf_predictor(texts: Sequence[str], y: np.ndarray, seed: int) -> Predictor:
    """Bag-of-words baseline: TF-IDF (word 1-2 grams) + logistic regression on the same splits."""
    texts = np.asarray(texts, dtype=object)

    def predict(train_idx: np.ndarray, test_idx: np.ndarray, groups: np.ndarray) -> np.ndarray:
        model = sk_make_pipeline(
            TfidfVectorizer(
                sublinear_tf=True, min_df=2, max_df=0.9, ngram_range=(1, 2), max_features=100_000
            ),
            LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, random_state=seed),
        )
        model.fit(texts[train_idx], y[train_idx])
        return model.predict_proba(texts[test_idx])[:, 1]

    return predict


def cross_validate(predict: Predictor, y: np.ndarray, groups: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold P(reliable) for every row."""
    proba = np.full(len(y), np.nan)
    for train_idx, test_idx in outlet_folds(y, groups, seed):
        proba[test_idx] = predict(train_idx, test_idx, groups)
    return proba


def metrics(proba: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, Any]:
    """Article- and outlet-level metrics of out-of-fold probabilities."""
    predicted = (proba >= 0.5).astype(int)
    per_outlet = (
        pd.DataFrame({"outlet": groups, "p": proba, "y": y})
        .groupby("outlet")
        .agg(p=("p", "mean"), y=("y", "first"))
    )
    fraction, mean_predicted = calibration_curve(y, proba, n_bins=N_BINS, strategy="uniform")
    counts = np.histogram(proba, bins=np.linspace(0, 1, N_BINS + 1))[0]
    return {
        "article_auc": round(float(roc_auc_score(y, proba)), 4),
        "macro_f1": round(float(f1_score(y, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        "outlet_auc": round(float(roc_auc_score(per_outlet.y, per_outlet.p)), 4),
        "brier": round(float(brier_score_loss(y, proba)), 4),
        "reliability_curve": [
            {"mean_predicted": round(float(m), 4), "fraction_reliable": round(float(f), 4)}
            for m, f in zip(mean_predicted, fraction, strict=True)
        ],
        "bin_counts": counts.tolist(),
    }


def evaluate(
    table: pd.DataFrame, feature_families: dict[str, list[str]], seed: int = 0, with_baseline: bool = True
) -> dict[str, Any]:
    """Run every comparison on a table with columns outlet, target (1 = reliable), text and the features.

    `feature_families` maps family name -> its feature names (in model order)."""
    y = table["target"].to_numpy(dtype=int)
    groups = table["outlet"].astype(str).to_numpy()
    names = [n for family in feature_families.values() for n in family]
    folds = list(outlet_folds(y, groups, seed))
    result: dict[str, Any] = {
        "protocol": f"StratifiedGroupKFold(n_splits={len(folds)}, shuffle=True, random_state={seed}) "
        "grouped by outlet; metrics on pooled out-of-fold predictions; threshold 0.5 for F1/accuracy",
        "articles": int(len(y)),
        "outlets": int(len(set(groups))),
        "reliable_articles": int(y.sum()),
        "reliable_outlets": int(len(set(groups[y == 1]))),
        "folds": [
            {
                "test_articles": int(len(te)),
                "test_outlets": int(len(set(groups[te]))),
                "test_reliable_outlets": int(len(set(groups[te][y[te] == 1]))),
            }
            for _tr, te in folds
        ],
        "models": {},
    }
    models = result["models"]
    if with_baseline:
        models["tfidf_bow_logreg"] = metrics(
            cross_validate(tfidf_predictor(table["text"], y, seed), y, groups, seed), y, groups
        )
    if not names:
        result["note"] = "no features registered in scoring.features: only the baseline was evaluated"
        return result
    x = table[names].to_numpy(dtype=float)
    models["features_logreg"] = metrics(
        cross_validate(features_predictor(x, y, seed), y, groups, seed), y, groups
    )
    models["features_logreg_platt"] = metrics(
        cross_validate(features_predictor(x, y, seed, calibrated=True), y, groups, seed), y, groups
    )
    ablations = {f"features_minus_{family}": members for family, members in feature_families.items()}
    ablations["features_minus_size"] = [n for n in SIZE_FEATURES if n in names]
    for label, members in ablations.items():
        kept = [i for i, n in enumerate(names) if n not in set(members)]
        if not members or not kept:
            continue
        models[label] = metrics(
            cross_validate(features_predictor(x[:, kept], y, seed), y, groups, seed), y, groups
        )
    return result


def evaluate_corpus(
    corpus_path: str | Path, out_path: str | Path | None = None, seed: int = 0, n_jobs: int = 2
) -> dict[str, Any]:
    """Evaluate on a training corpus parquet (features cached next to it); JSON to `out_path` if given."""
    from scoring import features as registry
    from scoring.train import BINARY_LABELS, binary_training_rows, build_feature_table, families

    corpus_path = Path(corpus_path)
    articles = pd.read_parquet(corpus_path)
    features = build_feature_table(articles, corpus_path.parent / "features.parquet", n_jobs=n_jobs)
    table = pd.concat([articles.reset_index(drop=True), features.drop(columns="id")], axis=1)
    data = table[binary_training_rows(table) & table["feature_status"].eq("ok")].reset_index(drop=True)
    data["target"] = data["label"].map(BINARY_LABELS).astype(int)
    shown = corpus_path.resolve()
    repo = Path(__file__).resolve().parents[1]
    shown = shown.relative_to(repo) if shown.is_relative_to(repo) else shown
    result = {"corpus": str(shown), "feature_names": registry.feature_names(), "seed": seed}
    result |= evaluate(data, families(), seed=seed)
    result["targets"] = targets_met(result)
    if out_path is not None:
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        Path(out_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def targets_met(result: dict[str, Any]) -> dict[str, Any]:
    """The issue's targets for the features model on unseen outlets, each with the measured value."""
    models = result.get("models", {})
    ours, bow = models.get("features_logreg"), models.get("tfidf_bow_logreg")
    if ours is None:
        return {}
    return {
        "article_auc>=0.80": [ours["article_auc"], ours["article_auc"] >= 0.80],
        "outlet_auc>=0.90": [ours["outlet_auc"], ours["outlet_auc"] >= 0.90],
        "article_auc_above_bag_of_words": [
            [ours["article_auc"], bow["article_auc"] if bow else None],
            bool(bow) and ours["article_auc"] > bow["article_auc"],
        ],
    }


def calibration_helps(result: dict[str, Any]) -> bool:
    """True when Platt calibration lowered the held-out-outlet Brier score."""
    models = result.get("models", {})
    if "features_logreg" not in models:
        return False
    return models["features_logreg_platt"]["brier"] < models["features_logreg"]["brier"]


__all__ = [
    "calibration_helps",
    "cross_validate",
    "evaluate",
    "metrics",
    "out_of_fold_logits",
    "outlet_folds",
    "platt",
]
