"""Compare outlets (score and feature profile per outlet) and articles covering the same event.

Outlet comparison works on a scores table (`newsscore score` output). Without a `score` column (a
features-only file) the score statistics and the rank are left out and outlets are ordered by article count.
Event comparison needs the article bodies, so it re-reads the inputs (`event_table`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from scoring.applicability import is_flagged
from scoring.model import ReportingStyleModel
from scoring.settings import SETTINGS

COMPARE = SETTINGS.compare

# The headline features of an outlet profile: one or two per family, the ones a reader can interpret.
MAIN_FEATURES: tuple[str, ...] = (
    "boilerplate_share",
    "quotes_per_1k_words",
    "attributed_quote_share",
    "attributions_per_1k_words",
    "named_source_share",
    "anonymous_sources_per_1k_words",
    "hedges_per_1k_words",
    "flesch_reading_ease",
    "mean_sentence_length_words",
    "loaded_words_per_1k_words",
    "exclamations_per_1k_words",
    "first_person_per_1k_words",
)
SCORE_COLUMNS = ("score_mean", "score_median", "score_ci_low", "score_ci_high", "rank")


def has_scores(scores: pd.DataFrame) -> bool:
    """True when the table has a `score` column with at least one number (a model scored it)."""
    return "score" in scores.columns and pd.to_numeric(scores["score"], errors="coerce").notna().any()


def ok_rows(scores: pd.DataFrame) -> pd.DataFrame:
    """The rows whose status is ok (all rows when the table has no status column)."""
    if "status" not in scores.columns:
        return scores
    return scores[scores["status"].fillna("ok").astype(str) == "ok"]


def flagged_mask(scores: pd.DataFrame) -> pd.Series:
    """True for rows the applicability check flagged (a `warnings` cell with a warning); all False when
    the table has no `warnings` column (written before the check existed)."""
    if "warnings" not in scores.columns:
        return pd.Series(False, index=scores.index)
    return scores["warnings"].map(is_flagged).astype(bool)


def unchecked_count(scores: pd.DataFrame) -> int:
    """Ok rows the applicability check never saw: all of them in a table without a `warnings` column, else
    those with a null cell (rows a store kept from before the check; a checked row holds '' or warnings)."""
    good = ok_rows(scores)
    if "warnings" not in good.columns:
        return len(good)
    return int(good["warnings"].isna().sum())


def statistics_rows(scores: pd.DataFrame, include_flagged: bool = False) -> pd.DataFrame:
    """The rows outlet statistics are computed from: ok rows, without the flagged ones unless asked (a
    tweet or a foreign-language page must not move an outlet's mean)."""
    good = ok_rows(scores)
    return good if include_flagged else good[~flagged_mask(good)]


def _stable_seed(seed: int, key: str) -> np.random.SeedSequence:
    """A seed per group that depends only on the global seed and the group's name (not on other groups)."""
    return np.random.SeedSequence([seed, zlib.crc32(key.encode("utf-8", "surrogatepass"))])


def bootstrap_mean_interval(values: Sequence[float], n_boot: int = 1000,
                            seed: int | np.random.SeedSequence = 0,
                            level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean (seeded, deterministic); (x, x) for a single value."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return (float("nan"), float("nan"))
    if data.size == 1 or n_boot <= 0:
        return (float(data.mean()), float(data.mean()))
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(n_boot, data.size))].mean(axis=1)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return (float(low), float(high))


def compare_outlets(scores: pd.DataFrame, by: str = "outlet", min_articles: int = 5, n_boot: int = 1000,
                    seed: int = 0, features: Sequence[str] = MAIN_FEATURES,
                    include_flagged: bool = False) -> pd.DataFrame:
    """One row per outlet: article, error and flagged counts, `too_few_articles` (< min_articles articles),
    score mean/median/bootstrap 95% interval, mean of each feature, and rank by mean score (1 = highest).

    Outlets with too few articles are kept and ranked after all the others (their means are too uncertain to
    rank among them). Error rows are counted in `error_count` and left out of every statistic. Articles the
    applicability check flagged (too short, not English, not prose) are counted in `flagged_articles` and,
    unless `include_flagged`, left out of every statistic and of `articles`. Without scores the score
    columns and `rank` are absent and rows are ordered by article count, then name."""
    if by not in scores.columns:
        known = ", ".join(map(str, scores.columns))
        raise KeyError(f"no column '{by}' in the scores table (columns: {known})")
    groups = scores[by].fillna("unknown").astype(str)
    scored = has_scores(scores)
    present = [name for name in features if name in scores.columns]
    ok = ok_rows(scores)
    errors = groups.drop(index=ok.index).value_counts()
    flagged = groups[ok.index][flagged_mask(ok)].value_counts()
    good = statistics_rows(scores, include_flagged)
    rows = []
    for name in sorted(groups.unique()):
        members = good[groups[good.index] == name]
        row: dict[str, object] = {by: name, "articles": len(members), "error_count": int(errors.get(name, 0)),
                                  "flagged_articles": int(flagged.get(name, 0)),
                                  "too_few_articles": len(members) < min_articles}
        if scored:
            values = pd.to_numeric(members["score"], errors="coerce").dropna().to_numpy()
            low, high = bootstrap_mean_interval(values, n_boot, _stable_seed(seed, name))
            row |= {"score_mean": float(values.mean()) if values.size else float("nan"),
                    "score_median": float(np.median(values)) if values.size else float("nan"),
                    "score_ci_low": low, "score_ci_high": high}
        for feature in present:
            column = pd.to_numeric(members[feature], errors="coerce")
            row[feature] = float(column.mean()) if column.notna().any() else float("nan")
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    if scored:
        order = table.sort_values(["too_few_articles", "score_mean", by], ascending=[True, False, True],
                                  na_position="last").index
        table.insert(1, "rank", 0)
        table.loc[order, "rank"] = np.arange(1, len(table) + 1)
        table = table.loc[order]
    else:
        table = table.sort_values(["articles", by], ascending=[False, True])
    return table.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- events


def body_similarity(bodies: Sequence[str]) -> np.ndarray:
    """Pairwise cosine similarity of TF-IDF vectors (English stop words out, sublinear tf) of the bodies."""
    if len(bodies) == 0:
        return np.zeros((0, 0))
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode")
    try:
        matrix = vectorizer.fit_transform([" ".join(body.split()) for body in bodies])
    except ValueError:  # every body empty or stop words only
        return np.eye(len(bodies))
    return cosine_similarity(matrix)


def group_events(bodies: Sequence[str], ids: Sequence[str] | None = None,
                 threshold: float = COMPARE.event_threshold) -> list[str]:
    """An event label per article ('event-1', 'event-2', ... in order of first appearance): average-linkage
    clustering of the bodies' TF-IDF cosine similarity, merged while the average similarity >= threshold.

    Articles sharing an id (the same text) always share an event. O(n^2) memory: meant for up to ~20k."""
    n = len(bodies)
    if ids is not None and len(ids) != n:
        raise ValueError(f"{len(ids)} ids for {n} bodies")
    if n == 0:
        return []
    if n == 1:
        return ["event-1"]
    similarity = body_similarity(bodies)
    if ids is not None:
        keys = np.asarray([str(i) for i in ids])
        similarity = np.where(keys[:, None] == keys[None, :], 1.0, similarity)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    clustering = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=1.0 - threshold + 1e-12)
    raw = clustering.fit_predict(distance)
    names: dict[int, str] = {}
    for cluster in raw:
        names.setdefault(int(cluster), f"event-{len(names) + 1}")
    return [names[int(cluster)] for cluster in raw]


def _difference_scale(rows: pd.DataFrame, features: Sequence[str]) -> pd.Series:
    """Per-feature spread used to compare differences across features (std over all rows; 1 when zero)."""
    spread = rows[list(features)].astype(float).std(ddof=0)
    return spread.where(spread > 0, 1.0).fillna(1.0)


def feature_differences(row: pd.Series, event_mean: pd.Series, scale: pd.Series, top: int = 3) -> str:
    """The `top` features furthest from the event mean (in `scale` units), as 'name value vs mean; ...'."""
    gaps = ((row[scale.index].astype(float) - event_mean[scale.index]) / scale).dropna()
    gaps = gaps[gaps.abs() > 1e-9]
    ordered = sorted(gaps.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top]
    return "; ".join(f"{name} {float(row[name]):.3g} vs {float(event_mean[name]):.3g} "
                     f"({'higher' if gap > 0 else 'lower'})" for name, gap in ordered)


def compare_events(rows: pd.DataFrame, bodies: Sequence[str], threshold: float = COMPARE.event_threshold,
                   model: ReportingStyleModel | None = None, top: int = 3,
                   features: Sequence[str] = MAIN_FEATURES) -> pd.DataFrame:
    """Per article (ok rows, aligned with `bodies`): its event, event size, outlet, score, score minus the
    event's mean score, and `why`: the largest feature differences vs the event mean.

    With a model the differences are in per-feature points of the score (so they explain the score
    gap); without, in features scaled by their spread over all rows."""
    if len(rows) != len(bodies):
        raise ValueError(f"{len(rows)} rows for {len(bodies)} bodies")
    rows = rows.reset_index(drop=True).copy()
    rows["event"] = group_events(bodies, rows["id"].tolist() if "id" in rows else None, threshold)
    rows["event_size"] = rows.groupby("event")["event"].transform("size")
    if model is not None and "score" not in rows.columns:
        rows["score"] = model.score(rows)
    if model is not None:
        records = rows[model.input_names].to_dict("records")
        basis = pd.DataFrame([model.contributions(row) for row in records])
        scale = pd.Series(1.0, index=model.feature_names)
    else:
        present = [f for f in features if f in rows.columns]
        basis = rows[present].astype(float)
        scale = _difference_scale(rows, present)
    event_means = basis.groupby(rows["event"]).transform("mean")
    whys = []
    for index in rows.index:
        if rows.at[index, "event_size"] < 2:
            whys.append("")
        elif model is not None:
            whys.append(_contribution_gaps(basis.loc[index], event_means.loc[index], rows.loc[index], top))
        else:
            whys.append(feature_differences(basis.loc[index], event_means.loc[index], scale, top))
    rows["why"] = whys
    if "score" in rows.columns:
        rows["score_vs_event_mean"] = rows["score"] - rows.groupby("event")["score"].transform("mean")
    keep = ["event", "event_size", "id", "outlet", "title", "source", "score", "score_vs_event_mean", "why",
            "warnings"]
    result = rows[[c for c in keep if c in rows.columns]].assign(_n=rows["event"].str[6:].astype(int))
    by_score = "score" in result.columns
    keys = ["event_size", "_n"] + (["score"] if by_score else []) + (["id"] if "id" in result.columns else [])
    ascending = [False, True] + ([False] if by_score else []) + ([True] if "id" in result.columns else [])
    return result.sort_values(keys, ascending=ascending).drop(columns="_n").reset_index(drop=True)


def _contribution_gaps(contributions: pd.Series, event_mean: pd.Series, row: pd.Series, top: int) -> str:
    """The `top` features whose contribution differs most from the event mean, in points of the score."""
    gaps = (contributions - event_mean).dropna()
    gaps = gaps[gaps.abs() > 1e-9]
    ordered = sorted(gaps.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top]
    return "; ".join(f"{name} {float(row[name]):.3g} ({gap:+.2f} points vs event mean)"
                     for name, gap in ordered)


def event_table(inputs: Sequence[str | Path], model: ReportingStyleModel | None = None,
                threshold: float = COMPARE.event_threshold, top: int = 3,
                failures: list[tuple[str, str]] | None = None, **columns: str) -> pd.DataFrame:
    """Read and analyse INPUTS (as `newsscore score` does), then `compare_events` on the ok articles; the
    inputs that could not be read are appended to `failures` as (source, reason)."""
    from scoring.ingest import iter_articles
    from scoring.pipeline import analyse_all, base_row
    from scoring.sanitize import terminal_text

    rows, bodies, first_error = [], [], ""
    for analysis in analyse_all(iter_articles(list(inputs), **columns)):
        if analysis.ok and analysis.document is not None:
            rows.append(base_row(analysis))
            bodies.append(analysis.document.body_text)
            continue
        reason = terminal_text(analysis.article.error or analysis.article.source)
        if failures is not None:
            failures.append((analysis.article.source, reason))
        first_error = first_error or reason
    if not rows:
        if "'status'" in first_error and "'id'" in first_error:
            raise ValueError("compare --by event needs the article texts, not a scores file: give the "
                             "articles that were scored (a scores file has no text column)")
        raise ValueError(f"compare --by event needs the article texts, and none could be read from the "
                         f"inputs; first: {first_error[:300]}")
    return compare_events(pd.DataFrame(rows), bodies, threshold, model, top)


__all__ = [
    "MAIN_FEATURES",
    "body_similarity",
    "bootstrap_mean_interval",
    "compare_events",
    "compare_outlets",
    "event_table",
    "flagged_mask",
    "feature_differences",
    "group_events",
    "has_scores",
    "ok_rows",
    "statistics_rows",
    "unchecked_count",
]
