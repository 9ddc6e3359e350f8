"""Train the reporting scorecard on the outlet-labelled corpus and write it (JSON) with its model card.

    python -m scoring.train --corpus corpus/training/articles.parquet --out models/default.json --seed 0
Features are cached in corpus/training/features.parquet, keyed by article id and a fingerprint of the
feature names and the extractor source, so a rerun only recomputes when an extractor changed. The fit
chooses magnitudes only: a logistic regression on the criteria's satisfactions with every weight >= 0
(scipy L-BFGS-B), one intercept per training data set (dropped at scoring) and classes balanced inside
each data set, so the weights come from contrasts inside a data set, not between data sets. Before the
anchors are derived, each learned per-1k-words rate is weighed for length (scoring.model.weigh_for_length)
with a prior fitted on the training rows' features alone, no labels (`rate_prior`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.optimize import minimize

from scoring import features as registry
from scoring.applicability import is_flagged, warnings_cell
from scoring.features import spec_of
from scoring.model import (
    WORDS_FEATURE,
    CriterionFeature,
    ReportingStyleModel,
    load_criteria,
    rank,
    weigh_for_length,
)
from scoring.outputs import atomic_path
from scoring.pipeline import analyse
from scoring.records import Article
from scoring.settings import SETTINGS

TRAIN = SETTINGS.train

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "corpus" / "training" / "articles.parquet"
DEFAULT_OUT = REPO / "models" / "default.json"
SEEDS_DIR = REPO / "corpus" / "seeds"
TARGET = {"reliable": 1, "mixed": 0, "unreliable": 0}  # MBFC "high" (or reliable) vs not; satire left out
CHUNK = 40
FEATURE_CACHE_NAME = "features.parquet"  # beside the corpus
# the corpus columns training reads (corpus/build_training_corpus.py writes them)
CORPUS_COLUMNS = ("id", "text", "title", "outlet", "outlet_known", "label", "dataset")
CACHE_COLUMNS = ("id", "fingerprint")  # what marks a feature cache as newsscore's


def feature_cache_path(corpus_path: str | Path) -> Path:
    """Where the feature cache of a corpus lives: `features.parquet` in the corpus's folder."""
    return Path(corpus_path).parent / FEATURE_CACHE_NAME


def read_training_corpus(corpus_path: str | Path) -> pd.DataFrame:
    """The corpus table; ValueError naming the file when it is no readable Parquet file, has no rows or
    lacks a column training reads (before: 'KeyError: outlet_known' after extracting every article's
    features, or 'KeyError: id' for a corpus of no rows)."""
    import pyarrow as pa

    try:
        articles = pd.read_parquet(corpus_path)
    except (pa.ArrowException, OSError) as exc:
        raise ValueError(f"{corpus_path}: not a readable Parquet training corpus "
                         f"({' '.join(str(exc).split())[:200]})") from None
    missing = [name for name in CORPUS_COLUMNS if name not in articles.columns]
    if missing:
        raise ValueError(f"{corpus_path}: not a training corpus: no column {', '.join(missing)} (a corpus "
                         f"has {', '.join(CORPUS_COLUMNS)}; see corpus/build_training_corpus.py)")
    if articles.empty:
        raise ValueError(f"{corpus_path}: the training corpus has no rows")
    return articles


# ------------------------------------------------------------------------------------------ features


def extractor_fingerprint() -> str:
    """Hash of the feature names and of every source/lexicon file the extractors read."""
    digest = hashlib.sha256("\n".join(registry.feature_names()).encode())
    root = resources.files("scoring")
    files = ["segment.py", "text.py", "punkt.py", "records.py", "pipeline.py", "applicability.py",
             "lexicon.py", "settings.cfg"]
    files += [f"features/{p.name}" for p in sorted(Path(str(root.joinpath("features"))).glob("*.py"))]
    files += [f"lexicons/{p.name}" for p in sorted(Path(str(root.joinpath("lexicons"))).glob("*.txt"))]
    for name in files:
        path = Path(str(root.joinpath(name)))
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _features_of_chunk(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Segment + extract each article of a chunk (runs in a worker process)."""
    out = []
    for row in rows:
        article = Article(
            id=row["id"],
            source=f"corpus:{row['id']}",
            text=row["text"],
            outlet=row["outlet"],
            title=row.get("title") or "",
            input_format="parquet",
        )
        analysis = analyse(article)
        values = analysis.features.values if analysis.features is not None else {}
        out.append({"id": row["id"], "feature_status": article.status, "feature_error": article.error,
                    "warnings": warnings_cell(analysis.warnings), **values})
    return out


def build_feature_table(
    articles: pd.DataFrame, cache_path: str | Path | None = None, n_jobs: int = 2
) -> pd.DataFrame:
    """Feature values per article (columns: id, feature_status, feature_error, warnings, then the
    registered feature names), in the order of `articles`. Reuses `cache_path` rows computed with the
    same extractor fingerprint."""
    names, fingerprint = registry.feature_names(), extractor_fingerprint()
    cached = pd.DataFrame()
    if cache_path is not None and Path(cache_path).exists():
        cached = _read_feature_cache(Path(cache_path))
        if cached.empty or (cached["fingerprint"] != fingerprint).any() or "warnings" not in cached:
            cached = pd.DataFrame()
    done = set(cached["id"]) if not cached.empty else set()
    todo = articles[~articles["id"].isin(done)][["id", "text", "outlet", "title"]].to_dict("records")
    if todo:
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        parts = Parallel(n_jobs=n_jobs)(delayed(_features_of_chunk)(chunk) for chunk in chunks)
        fresh = pd.DataFrame([row for part in parts for row in part])
        fresh["fingerprint"] = fingerprint
        cached = pd.concat([cached, fresh], ignore_index=True) if not cached.empty else fresh
        if cache_path is not None:
            _write_parquet_atomic(cached.sort_values("id").reset_index(drop=True), Path(cache_path))
    table = articles[["id"]].merge(cached.drop_duplicates("id"), on="id", how="left")
    for name in names:
        if name not in table.columns:
            table[name] = np.nan
    return table[["id", "feature_status", "feature_error", "warnings", *names]]


def _read_feature_cache(path: Path) -> pd.DataFrame:
    """The feature cache; ValueError when the file of that name is not newsscore's cache (someone's own
    features.parquet beside the corpus: it stopped training with "'bool' object has no attribute 'any'",
    and one with a fingerprint column was replaced by the cache)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except (pa.ArrowException, OSError):
        names = []
    if not set(CACHE_COLUMNS) <= set(names) or not {*registry.feature_names()} & set(names):
        raise ValueError(f"{path}: not newsscore's feature cache (no columns {', '.join(CACHE_COLUMNS)} and "
                         "features): refusing to overwrite it; move it, or the corpus, to another folder")
    return pd.read_parquet(path)


def _write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as temp:
        frame.to_parquet(temp, compression="zstd", index=False)


def training_mask(articles: pd.DataFrame) -> pd.Series:
    """Rows the model learns from: outlet known, label reliable, mixed or unreliable."""
    return articles["outlet_known"].astype(bool) & articles["label"].isin(list(TARGET))


def labelled_table(
    corpus_path: str | Path = DEFAULT_CORPUS, n_jobs: int = 2, include_flagged: bool = False
) -> pd.DataFrame:
    """The corpus's training rows with their features (extracted or cached) and a 0/1 `target` column:
    only articles the score applies to (no applicability warning), as only those get a rank, unless
    `include_flagged` (to measure what leaving them out changes)."""
    corpus_path = Path(corpus_path)
    articles = read_training_corpus(corpus_path)
    features = build_feature_table(articles, feature_cache_path(corpus_path), n_jobs=n_jobs)
    table = pd.concat([articles.reset_index(drop=True), features.drop(columns="id")], axis=1)
    usable = training_mask(table) & table["feature_status"].eq("ok")
    applicable = ~table["warnings"].map(is_flagged).astype(bool) | include_flagged
    flagged = int((usable & ~applicable).sum())
    table = table[usable & applicable].reset_index(drop=True)
    table.attrs["flagged_left_out"] = flagged
    table["target"] = table["label"].map(TARGET).astype(int)
    return table


# ------------------------------------------------------------------------------------------ fitting


def derive_anchors(values: np.ndarray, higher_is_better: bool) -> tuple[float, float]:
    """(worst, best) of one feature from its training values: 5th/95th percentile, oriented; when the
    two coincide (a mostly-zero rate) the worst moves out to the first higher quantile that differs."""
    low, high = (float(np.quantile(values, q)) for q in TRAIN.anchor_quantiles)
    for q in (0.975, 0.99, 1.0):
        if high > low:
            break
        high = float(np.quantile(values, q))
    return (low, high) if higher_is_better else (high, low)


MAX_PRIOR_WORDS = 1e6  # a rate whose spread the counting noise explains entirely: weighed down to its mean


def rate_prior(rates: np.ndarray, words: np.ndarray) -> tuple[float, float]:
    """(prior rate, prior words) of a per-1k-words rate over the training rows, by the method of moments of a
    Poisson count with a gamma-distributed true rate: the prior rate is the pooled rate (all counts over all
    words); the spread of true rates is the rates' variance minus what counting alone adds
    (prior rate x mean of 1000 / words); the prior words are 1000 x prior rate / that spread, i.e. how many
    words an article needs before its own count outweighs the typical rate. No labels are used."""
    words = np.maximum(np.asarray(words, dtype=float), 1.0)
    rates = np.asarray(rates, dtype=float)
    prior_rate = float((rates * words).sum() / words.sum())
    spread = float(np.var(rates)) - prior_rate * float(np.mean(1000.0 / words))
    if prior_rate <= 0 or spread <= 0:
        return prior_rate, MAX_PRIOR_WORDS
    return prior_rate, min(1000.0 * prior_rate / spread, MAX_PRIOR_WORDS)


def weighs_for_length(feature: str) -> bool:
    """Whether a feature is a per-1k-words rate (the ones weighed for length)."""
    spec = spec_of(feature)
    return spec is not None and spec.unit == "per 1k words"


def balanced_weights(target: np.ndarray, datasets: np.ndarray) -> np.ndarray:
    """Sample weights: inside each data set both classes weigh the same; a data set weighs its size."""
    weights = np.zeros(len(target), dtype=float)
    for dataset in np.unique(datasets):
        inside = datasets == dataset
        for cls in (0, 1):
            mask = inside & (target == cls)
            if mask.any():
                weights[mask] = inside.sum() / (2.0 * mask.sum())
    return weights / weights.sum()


def fit_weights(
    s: np.ndarray, target: np.ndarray, datasets: np.ndarray, l2: float = TRAIN.l2
) -> tuple[np.ndarray, dict[str, float]]:
    """Sign-constrained logistic regression: weights >= 0 on the satisfactions `s` (rows x criteria), one
    free intercept per data set, balanced sample weights, ridge `l2` on the weights. Data sets holding one
    class only carry no contrast and are left out. Returns (weights, intercept per data set)."""
    keep = np.zeros(len(target), dtype=bool)
    for dataset in np.unique(datasets):
        inside = datasets == dataset
        keep |= inside & (len(np.unique(target[inside])) == 2)
    s, target, datasets = s[keep], target[keep], datasets[keep]
    names = sorted(np.unique(datasets).tolist())
    if not names:
        raise ValueError("no training data set holds both classes: nothing to learn a contrast from")
    dummies = (datasets[:, None] == np.array(names)[None, :]).astype(float)
    sample = balanced_weights(target, datasets)
    k = s.shape[1]
    design = np.hstack([s, dummies])
    sign = 2.0 * target - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ theta
        margin = sign * z
        value = float(sample @ np.logaddexp(0.0, -margin)) + 0.5 * l2 * float(theta[:k] @ theta[:k])
        gradient = design.T @ (sample * -sign / (1.0 + np.exp(margin)))
        gradient[:k] += l2 * theta[:k]
        return value, gradient

    bounds = [(0.0, None)] * k + [(None, None)] * len(names)
    result = minimize(
        loss,
        np.zeros(k + len(names)),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-9},
    )
    return result.x[:k], dict(zip(names, result.x[k:].tolist(), strict=True))


def drop_negligible(weights: np.ndarray, points: float, min_points: float = TRAIN.min_points) -> np.ndarray:
    """`weights` with those that would earn fewer than `min_points` of `points` set to 0 (one pass, so the
    result does not depend on the order of the criteria)."""
    total = float(weights.sum())
    if total <= 0:
        return weights
    return np.where(points * weights / total < min_points, 0.0, weights)


def criteria_groups(rows: Sequence[CriterionFeature]) -> dict[str, list[CriterionFeature]]:
    """Criterion name -> its feature rows, in file order."""
    groups: dict[str, list[CriterionFeature]] = {}
    for row in rows:
        groups.setdefault(row.criterion, []).append(row)
    return groups


def fit_scorecard(
    table: pd.DataFrame, criteria: Sequence[CriterionFeature] | None = None, seed: int = 0,
    weigh_rates: bool = True,
) -> ReportingStyleModel:
    """A scorecard fitted on `table` (features + `target` + `dataset`): anchors, weights, points; the learned
    criteria's per-1k-words rates weighed for length unless `weigh_rates` is False."""
    groups = criteria_groups(list(criteria) if criteria is not None else load_criteria())
    spec: list[dict[str, Any]] = []
    words = table[WORDS_FEATURE].to_numpy(dtype=float) if weigh_rates else None
    for name, members in groups.items():
        features = []
        for row in members:
            if row.feature not in table.columns:
                raise KeyError(
                    f"criterion {name} needs feature {row.feature}, which the registry does not compute"
                )
            values = table[row.feature].to_numpy(dtype=float)
            prior: dict[str, float] = {}
            if words is not None and members[0].points is None and weighs_for_length(row.feature):
                prior_rate, prior_words = rate_prior(values, words)
                prior = {"prior_rate": round(prior_rate, 6), "prior_words": round(prior_words, 1)}
                values = weigh_for_length(values[:, None], words, np.array([prior["prior_rate"]]),
                                          np.array([prior["prior_words"]]))[:, 0]
            worst, best = (
                (row.worst, row.best)
                if row.worst is not None and row.best is not None
                else derive_anchors(values, row.higher_is_better)
            )
            features.append(
                {
                    "name": row.feature,
                    "better": "higher" if row.higher_is_better else "lower",
                    "worst": round(worst, 6),
                    "best": round(best, 6),
                    "anchors": "set" if row.worst is not None else "derived",
                    **prior,
                    "reason": row.reason,
                }
            )
        spec.append(
            {
                "name": name,
                "title": members[0].title,
                "fixed": members[0].points is not None,
                "set_points": members[0].points,
                "source": members[0].source,
                "evidence": ",".join(dict.fromkeys(r.evidence for r in members if r.evidence)),
                "features": features,
            }
        )
    scaffold = ReportingStyleModel(criteria=[{**c, "max_points": 1.0} for c in spec], seed=seed)
    s = scaffold.satisfaction_matrix(table)
    learned = [i for i, c in enumerate(spec) if not c["fixed"]]
    target, datasets = table["target"].to_numpy(dtype=int), table["dataset"].astype(str).to_numpy()
    weights, intercepts = fit_weights(s[:, learned], target, datasets)
    fixed_total = sum(c["set_points"] for c in spec if c["fixed"])
    weights = drop_negligible(weights, TRAIN.fitted_points - fixed_total)
    total_weight = float(weights.sum())
    for c in spec:
        c["weight"] = 0.0
        c["max_points"] = float(c["set_points"]) if c["fixed"] else 0.0
    for j, i in enumerate(learned):
        spec[i]["weight"] = round(float(weights[j]), 6)
        if total_weight > 0:
            share = float(weights[j]) / total_weight
            spec[i]["max_points"] = round((TRAIN.fitted_points - fixed_total) * share, 4)
    sample = balanced_weights(target, datasets)
    for i, c in enumerate(spec):
        c["typical_points"] = round(float(sample @ s[:, i]) * c["max_points"], 4)
        del c["set_points"]
    slope = total_weight / (TRAIN.fitted_points - fixed_total) if total_weight > 0 else 0.0
    fixed_typical = sum(c["typical_points"] for c in spec if c["fixed"])
    counts = pd.Series(datasets).value_counts()
    mean_intercept = float(sum(b * counts[d] for d, b in intercepts.items()) / counts[list(intercepts)].sum())
    model = ReportingStyleModel(
        criteria=spec,
        seed=seed,
        probability_intercept=mean_intercept - slope * fixed_typical,
        probability_slope=slope,
        trained_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )
    model.facts = {"dataset_intercepts": {d: round(b, 4) for d, b in intercepts.items()}}
    return model


# ------------------------------------------------------------------------------------------ training


def train(
    corpus_path: str | Path = DEFAULT_CORPUS,
    out_path: str | Path = DEFAULT_OUT,
    seed: int = 0,
    n_jobs: int = 2,
) -> ReportingStyleModel:
    """Fit the scorecard on every training row of the corpus; write the model JSON and its card."""
    from scoring.model_card import write_card

    started = time.perf_counter()
    corpus_path, out_path = Path(corpus_path), Path(out_path)
    table = labelled_table(corpus_path, n_jobs)
    model = fit_scorecard(table, seed=seed)
    y = table["target"].to_numpy()
    model.facts |= {
        "corpus": _display_path(corpus_path),
        "corpus_sha256": _sha256(corpus_path),
        "training_rows": {
            "articles": int(len(table)),
            "outlets": int(table["outlet"].nunique()),
            "reliable_articles": int(y.sum()),
            "not_reliable_articles": int(len(y) - y.sum()),
            "left_out_flagged": table.attrs.get("flagged_left_out", 0),  # applicability warnings
            "by_dataset_label": {
                f"{d}/{lab}": int(n) for (d, lab), n in table.groupby(["dataset", "label"]).size().items()
            },
        },
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    model.save(out_path)
    write_card(model, seeds_check(model), None, out_path.with_suffix(".md"))
    return model


def seed_rows() -> tuple[list[str], list[dict[str, float]], list[Any]]:
    """(file names, feature values, analyses) of the bundled seed articles."""
    names, rows, analyses = [], [], []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        analysis = analyse(Article(id=path.stem, source=str(path), text=text))
        if analysis.features is not None:
            names.append(path.name)
            rows.append(analysis.features.values)
            analyses.append(analysis)
    return names, rows, analyses


def seeds_check(model: ReportingStyleModel) -> dict[str, Any]:
    """Scores, ranks and top reasons of the bundled seeds (001 should rank first, 004 and 000 last)."""
    from scoring.explain import in_words, reasons_for_rows

    names, rows, _ = seed_rows()
    if not rows:
        return {}
    scores = model.score(rows)
    ranks = rank(scores, names)
    words = [in_words(r) for r in reasons_for_rows(model, rows, top=3)]
    articles = {
        n: {"score": round(float(s), 1), "rank": int(r), "reasons": w}
        for n, s, r, w in zip(names, scores, ranks, words, strict=True)
    }
    by_prefix = {n[:3]: v["rank"] for n, v in articles.items()}
    checks = {}
    if {"000", "001", "004"} <= set(by_prefix):
        checks = {
            "001_ranks_first": by_prefix["001"] == 1,
            "004_and_000_lowest_two": {by_prefix["004"], by_prefix["000"]} == {len(names), len(names) - 1},
        }
    return {"articles": articles, **checks}


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    model = train(args.corpus, args.out, args.seed, args.jobs)
    print(f"model -> {args.out}: " + ", ".join(f"{c['name']} {c['max_points']:.1f}" for c in model.criteria))
    return 0


if __name__ == "__main__":
    sys.exit(main())
