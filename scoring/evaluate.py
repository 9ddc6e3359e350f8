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

from scoring.model import DEFAULT_C, Calibration, make_pipeline

N_FOLDS = 5
N_BINS = 10
# Regularisation strengths tried by the nested (inner outlet-grouped) CV; chosen by pooled inner article AUC.
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# The confound check: data sets holding both classes, rows labelled by the same source (MBFC factuality).
BOTH_CLASS_DATASETS = ("allsides", "polnear")
SAME_LABEL_SOURCE_PREFIX = "mbfc-factuality"
MIN_ROWS_PER_GROUP = 20  # a data set needs this many rows of a label to enter the per-feature separation
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


def out_of_fold_logits(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int, c: float = DEFAULT_C
) -> np.ndarray:
    """Raw logits of the features model for every row, each predicted by a model that never saw its outlet."""
    logits = np.zeros(len(y))
    for train_idx, test_idx in outlet_folds(y, groups, seed):
        model = make_pipeline(seed, c).fit(x[train_idx], y[train_idx])
        logits[test_idx] = model.decision_function(x[test_idx])
    return logits


def choose_c(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int, grid: Sequence[float] = C_GRID
) -> tuple[float, dict[str, float]]:
    """The C of `grid` with the best pooled article AUC in outlet-grouped CV on these rows (ties: smaller C,
    i.e. stronger regularisation), and the AUC of every C."""
    scores = {}
    for c in grid:
        scores[c] = float(roc_auc_score(y, out_of_fold_logits(x, y, groups, seed, c)))
    best = max(scores, key=lambda c: (round(scores[c], 4), -c))
    return best, {str(c): round(v, 4) for c, v in scores.items()}


def features_predictor(
    x: np.ndarray,
    y: np.ndarray,
    seed: int,
    calibrated: bool = False,
    c: float | None = None,
    class_weight: str | None = "balanced",
) -> Predictor:
    """P(reliable) on test rows from signed log1p + StandardScaler + LogisticRegression trained on the train
    rows. C: fixed when given, else chosen by nested outlet-grouped CV on the training rows only (choose_c).
    When `calibrated`, Platt-scaled on outlet-grouped out-of-fold logits of the training rows only."""

    def predict(train_idx: np.ndarray, test_idx: np.ndarray, groups: np.ndarray) -> np.ndarray:
        x_tr, y_tr, g_tr = x[train_idx], y[train_idx], groups[train_idx]
        used_c = c if c is not None else choose_c(x_tr, y_tr, g_tr, seed)[0]
        model = make_pipeline(seed, used_c, class_weight).fit(x_tr, y_tr)
        logit = model.decision_function(x[test_idx])
        if calibrated:
            cal = platt(out_of_fold_logits(x_tr, y_tr, g_tr, seed, used_c), y_tr)
            logit = cal.slope * logit + cal.offset
        return 1.0 / (1.0 + np.exp(-logit))

    return predict


def dataset_identity_predictor(datasets: Sequence[str], y: np.ndarray) -> Predictor:
    """Confound baseline: P(reliable) = share of reliable rows of the test row's data set in the training rows
    (Laplace-smoothed; an unseen data set gets the training share). Knows nothing of the text."""
    datasets = np.asarray(datasets, dtype=object)

    def predict(train_idx: np.ndarray, test_idx: np.ndarray, groups: np.ndarray) -> np.ndarray:
        train = pd.DataFrame({"d": datasets[train_idx], "y": y[train_idx]})
        frame = train.groupby("d")["y"].agg(["sum", "size"])
        rate = (frame["sum"] + 1) / (frame["size"] + 2)
        prior = float(y[train_idx].mean())
        return np.array([float(rate.get(d, prior)) for d in datasets[test_idx]])

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
    table: pd.DataFrame,
    feature_families: dict[str, list[str]],
    seed: int = 0,
    with_baseline: bool = True,
    registry_features: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run every comparison on a table with columns outlet, target (1 = reliable), text and the features
    (plus dataset and label_source for the confound checks, when present).

    `feature_families` maps family name -> the MODEL's feature names in that family (model order);
    `registry_features`, when given, adds the all-registry-features model (before the exclusions)."""
    y = table["target"].to_numpy(dtype=int)
    groups = table["outlet"].astype(str).to_numpy()
    names = [n for family in feature_families.values() for n in family]
    folds = list(outlet_folds(y, groups, seed))
    result: dict[str, Any] = {
        "protocol": f"StratifiedGroupKFold(n_splits={len(folds)}, shuffle=True, random_state={seed}) "
        "grouped by outlet; C of the features models chosen inside each training fold by nested "
        f"outlet-grouped CV over {list(C_GRID)}; metrics on pooled out-of-fold predictions; threshold 0.5 "
        "for F1/accuracy",
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
    proba: dict[str, np.ndarray] = {}
    if with_baseline:
        proba["tfidf_bow_logreg"] = cross_validate(tfidf_predictor(table["text"], y, seed), y, groups, seed)
    if "dataset" in table.columns:
        proba["dataset_identity"] = cross_validate(
            dataset_identity_predictor(table["dataset"].astype(str), y), y, groups, seed
        )
    if not names:
        result["note"] = "no features registered in scoring.features: only the baselines were evaluated"
    else:
        x = table[names].to_numpy(dtype=float)
        if registry_features is not None and list(registry_features) != names:
            x_all = table[list(registry_features)].to_numpy(dtype=float)
            proba["features_all_registry_c0.5"] = cross_validate(
                features_predictor(x_all, y, seed, c=DEFAULT_C), y, groups, seed
            )
        proba["features_logreg"] = cross_validate(features_predictor(x, y, seed), y, groups, seed)
        proba["features_logreg_platt"] = cross_validate(
            features_predictor(x, y, seed, calibrated=True), y, groups, seed
        )
        proba["features_logreg_unweighted"] = cross_validate(
            features_predictor(x, y, seed, class_weight=None), y, groups, seed
        )
        for family, members in feature_families.items():
            kept = [i for i, n in enumerate(names) if n not in set(members)]
            if members and kept:
                proba[f"features_minus_{family}"] = cross_validate(
                    features_predictor(x[:, kept], y, seed), y, groups, seed
                )
    result["models"] = {name: metrics(p, y, groups) for name, p in proba.items()}
    if {"dataset", "label_source"} <= set(table.columns):
        result["confound"] = confound_checks(table, proba, registry_features or names)
    return result


def confound_checks(
    table: pd.DataFrame, proba: dict[str, np.ndarray], features: Sequence[str]
) -> dict[str, Any]:
    """How much of the signal is data-set identity: out-of-fold predictions scored only where the data set
    says nothing (allsides + polnear, MBFC labels), per data set, and per feature."""
    y = table["target"].to_numpy(dtype=int)
    groups = table["outlet"].astype(str).to_numpy()
    datasets = table["dataset"].astype(str).to_numpy()
    subset = np.isin(datasets, BOTH_CLASS_DATASETS) & (
        table["label_source"].astype(str).str.startswith(SAME_LABEL_SOURCE_PREFIX).to_numpy()
    )
    out: dict[str, Any] = {"same_source_subset": _subset_report(subset, y, groups, proba)}
    out["same_source_subset"]["definition"] = (
        f"rows of {' + '.join(BOTH_CLASS_DATASETS)} labelled by {SAME_LABEL_SOURCE_PREFIX}; predictions are "
        "the out-of-fold ones of the full outlet-grouped CV (each row scored by a model that never saw its "
        "outlet), scored on these rows only"
    )
    out["within_dataset_article_auc"] = {
        d: {name: _auc(y[datasets == d], p[datasets == d]) for name, p in proba.items()}
        for d in sorted(set(datasets))
        if len(set(y[datasets == d])) == 2
    }
    out["per_feature"] = feature_separation(table, features)
    return out


def _subset_report(
    mask: np.ndarray, y: np.ndarray, groups: np.ndarray, proba: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Counts and metrics of the out-of-fold predictions on the masked rows (when both classes are there)."""
    ys, gs = y[mask], groups[mask]
    report: dict[str, Any] = {
        "articles": int(mask.sum()),
        "reliable_articles": int(ys.sum()),
        "reliable_outlets": sorted(set(gs[ys == 1])),
        "unreliable_outlets": sorted(set(gs[ys == 0])),
    }
    unreliable = len(report["unreliable_outlets"])
    report["grouped_cv_inside_subset"] = (
        "possible" if unreliable >= 2 else
        f"impossible: {unreliable} unreliable outlet(s); a model trained inside the subset could never be "
        "tested on an unseen unreliable outlet"
    )
    if len(set(ys)) == 2:
        report["models"] = {}
        for name, p in proba.items():
            m = metrics(p[mask], ys, gs)
            report["models"][name] = {k: m[k] for k in ("article_auc", "outlet_auc", "macro_f1", "brier")}
    return report


def feature_separation(table: pd.DataFrame, features: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per feature, alone: how well it tells data sets apart among articles of the SAME label (mean
    one-vs-rest AUC, folded to >= 0.5, over data sets with >= MIN_ROWS_PER_GROUP rows of that label), its
    pooled label AUC, and its label AUC inside each data set holding both classes (signed: > 0.5 = higher in
    reliable). A feature with a high data-set AUC and within-data-set label AUCs near 0.5 or of changing sign
    mostly encodes where the article came from."""
    y = table["target"].to_numpy(dtype=int)
    datasets = table["dataset"].astype(str).to_numpy()
    two_class = [d for d in sorted(set(datasets)) if len(set(y[datasets == d])) == 2]
    out = {}
    for name in features:
        x = table[name].to_numpy(dtype=float)
        dataset_aucs = []
        for label in (0, 1):
            same = y == label
            for d in sorted(set(datasets[same])):
                inside = same & (datasets == d)
                if inside.sum() >= MIN_ROWS_PER_GROUP and (same & ~inside).sum() >= MIN_ROWS_PER_GROUP:
                    dataset_aucs.append(_folded(roc_auc_score(inside[same], x[same])))
        within = {d: round(float(roc_auc_score(y[datasets == d], x[datasets == d])), 3) for d in two_class}
        out[name] = {
            "dataset_auc_within_label": round(float(np.mean(dataset_aucs)), 3) if dataset_aucs else None,
            "label_auc_pooled": round(float(roc_auc_score(y, x)), 3),
            "label_auc_within_dataset": within,
            "label_direction_flips": len({v > 0.5 for v in within.values() if abs(v - 0.5) >= 0.05}) > 1,
        }
    return out


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    return round(float(roc_auc_score(y, score)), 4)


def _folded(auc: float) -> float:
    return max(auc, 1.0 - auc)


def evaluate_corpus(
    corpus_path: str | Path, out_path: str | Path | None = None, seed: int = 0, n_jobs: int = 2
) -> dict[str, Any]:
    """Evaluate on a training corpus parquet (features cached next to it); JSON to `out_path` if given."""
    from scoring import features as registry
    from scoring.model import EXCLUDED_FEATURES, model_feature_names
    from scoring.train import BINARY_LABELS, binary_training_rows, build_feature_table, model_families

    corpus_path = Path(corpus_path)
    articles = pd.read_parquet(corpus_path)
    features = build_feature_table(articles, corpus_path.parent / "features.parquet", n_jobs=n_jobs)
    table = pd.concat([articles.reset_index(drop=True), features.drop(columns="id")], axis=1)
    data = table[binary_training_rows(table) & table["feature_status"].eq("ok")].reset_index(drop=True)
    data["target"] = data["label"].map(BINARY_LABELS).astype(int)
    shown = corpus_path.resolve()
    repo = Path(__file__).resolve().parents[1]
    shown = shown.relative_to(repo) if shown.is_relative_to(repo) else shown
    result = {
        "corpus": str(shown),
        "feature_names": model_feature_names(),
        "excluded_features": dict(EXCLUDED_FEATURES),
        "seed": seed,
    }
    result |= evaluate(data, model_families(), seed=seed, registry_features=registry.feature_names())
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
    "C_GRID",
    "calibration_helps",
    "choose_c",
    "confound_checks",
    "dataset_identity_predictor",
    "feature_separation",
    "cross_validate",
    "evaluate",
    "metrics",
    "out_of_fold_logits",
    "outlet_folds",
    "platt",
]
