"""The reporting scorecard: criteria from scoring/lexicons/criteria.tsv, points that add up to a 0-100 score.

Each criterion's satisfaction (0-1) is the mean of its features' values placed between two anchors; its
points are satisfaction x its maximum points; the score is the sum of the points. A per-1k-words rate with a
prior (`prior_rate`, `prior_words`, fitted by scoring/train.py) is first weighed for length: the article's
rate averaged with the typical rate as if the article had `prior_words` more words at that rate, so a short
article's rate, which rests on few words, counts for less than a long one's. Maximum points come from
a sign-constrained logistic regression (scoring/train.py) or are set in the criteria file. The model file is
a small JSON (anchors, points, versions, seed); scoring needs numpy only (no scikit-learn, scipy, pandas).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from scoring import __version__

FORMAT_VERSION = 2
CRITERIA_FILE = "criteria.tsv"
WORDS_FEATURE = "body_word_count"  # the words a per-1k-words rate was counted over
LABEL_DEFINITION = (
    "1 = the article's outlet is rated reliable (MBFC 'high' factuality, NewsGuard/MBFC 'reliable' in "
    "ReCOVery, OpenSources 'reliable', or Business Insider's 'Most Trusted' list cited by Horne & Adali "
    "2017); 0 = rated "
    "MBFC 'mixed' or 'low', ReCOVery 'unreliable', or an OpenSources fake/conspiracy/junk-science/hate/"
    "extreme-bias/unreliable type. Satire is left out. The label is the outlet's, not the article's."
)


class ModelMismatchError(ValueError):
    """A model file that does not fit this code: missing features, other format or package version."""


@dataclass(frozen=True, slots=True)
class CriterionFeature:
    """One row of the criteria file: a feature of a criterion, its fixed direction and optional anchors."""

    criterion: str
    title: str
    feature: str
    higher_is_better: bool
    worst: float | None  # None: derived from the training distribution
    best: float | None
    points: float | None  # None: learned ("fit"); a number: fixed points out of 100
    reason: str
    source: str
    evidence: str  # comma-separated span kinds, "kind" or "kind:label-prefix"


def load_criteria(text: str | None = None) -> list[CriterionFeature]:
    """The rows of scoring/lexicons/criteria.tsv (or of `text`), in file order, validated."""
    if text is None:
        text = resources.files("scoring").joinpath("lexicons", CRITERIA_FILE).read_text(encoding="utf-8")
    rows: list[CriterionFeature] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("criterion\t"):
            continue
        cells = line.split("\t")
        if len(cells) != 10:
            raise ValueError(f"{CRITERIA_FILE} line {number}: {len(cells)} tab-separated fields, expected 10")
        name, title, feature, better, worst, best, points, reason, source, evidence = (
            c.strip() for c in cells
        )
        if better not in ("higher", "lower"):
            raise ValueError(f"{CRITERIA_FILE} line {number}: better must be higher or lower, got {better!r}")
        rows.append(
            CriterionFeature(
                name,
                title,
                feature,
                better == "higher",
                float(worst) if worst else None,
                float(best) if best else None,
                None if points == "fit" else float(points),
                reason,
                source,
                evidence,
            )
        )
    for name in dict.fromkeys(r.criterion for r in rows):
        members = [r for r in rows if r.criterion == name]
        if len({(r.title, r.points) for r in members}) != 1:
            raise ValueError(f"{CRITERIA_FILE}: criterion {name} rows disagree on title or points")
    return rows


def weigh_for_length(
    rates: np.ndarray, words: np.ndarray, prior_rate: np.ndarray, prior_words: np.ndarray
) -> np.ndarray:
    """Per-1k-words `rates` counted over `words` words, weighed for length: (rate x words + prior rate x prior
    words) / (words + prior words), the rate a Poisson count with a gamma prior of that mean and strength has
    on average. Columns whose prior rate is NaN are returned unchanged."""
    has_prior = ~np.isnan(prior_rate)
    if not has_prior.any():
        return rates
    words = np.maximum(words, 0.0)[:, None]
    strength = np.where(has_prior, prior_words, 0.0)
    weighed = (rates * words + np.where(has_prior, prior_rate, 0.0) * strength) / np.maximum(
        words + strength, 1e-12)
    return np.where(has_prior, weighed, rates)


def satisfaction(values: np.ndarray, worst: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Each value placed linearly between its worst (0) and best (1) anchor, clipped to [0, 1]."""
    span = np.where(best == worst, 1.0, best - worst)
    return np.clip((values - worst) / span, 0.0, 1.0)


@dataclass(frozen=True)
class _Layout:
    """The arrays scoring needs from a model's criteria, built once per version of the criteria."""

    key: tuple[Any, ...]  # what they were built from: criteria names, points, features and anchors
    worst: np.ndarray
    best: np.ndarray
    members: tuple[np.ndarray, ...]  # per criterion, its features' columns in `feature_names` order
    max_points: np.ndarray
    prior_rate: np.ndarray  # per feature; NaN: not weighed for length
    prior_words: np.ndarray
    inputs: tuple[str, ...]  # the columns scoring reads: the features, then the words when rates are weighed
    words_column: int  # the words' column in `inputs`; -1: no rate is weighed for length


@dataclass
class ReportingStyleModel:
    """A fitted scorecard: per-feature anchors, per-criterion maximum points, versions and seed."""

    criteria: list[dict[str, Any]]  # name, title, max_points, weight, fixed, typical_points, features[...]
    seed: int = 0
    probability_intercept: float = 0.0  # P(reliable) = sigmoid(intercept + slope * score); secondary
    probability_slope: float = 0.0
    package_version: str = __version__
    format_version: int = FORMAT_VERSION
    trained_at: str = ""
    label_definition: str = LABEL_DEFINITION
    facts: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ structure

    @property
    def feature_names(self) -> list[str]:
        """The registry features the model needs, in criteria-file order."""
        return list(dict.fromkeys(f["name"] for c in self.criteria for f in c["features"]))

    @property
    def weighs_rates(self) -> bool:
        """Whether a feature of the model is a rate weighed for length (then scoring also needs the words)."""
        return any("prior_rate" in f for c in self.criteria for f in c["features"])

    @property
    def input_names(self) -> list[str]:
        """The registry features scoring reads: the model's features, plus the body's words when a rate is
        weighed for length."""
        names = self.feature_names
        return names + [WORDS_FEATURE] if self.weighs_rates and WORDS_FEATURE not in names else names

    @property
    def criterion_names(self) -> list[str]:
        return [c["name"] for c in self.criteria]

    @property
    def max_points(self) -> np.ndarray:
        return np.array([c["max_points"] for c in self.criteria], dtype=float)

    @property
    def intercept(self) -> float:
        """The score's offset: 0, the points alone add up to the score."""
        return 0.0

    @property
    def version(self) -> str:
        """Package version plus a hash of the scorecard's numbers (what batch stores rows under)."""
        digest = hashlib.sha256(json.dumps(self.criteria, sort_keys=True).encode()).hexdigest()[:12]
        return f"scorecard-{self.package_version}-{digest}"

    # ------------------------------------------------------------------ scoring

    def _layout(self) -> _Layout:
        """Anchors, criterion members and points as arrays, rebuilt only when the criteria change (training
        edits them in place): every scored article's label needs them, and building them took longer
        than the arithmetic."""
        key = tuple(
            (c["name"], c["max_points"], tuple((f["name"], f["worst"], f["best"], f.get("prior_rate"),
                                                f.get("prior_words")) for f in c["features"]))
            for c in self.criteria)
        cached = self.__dict__.get("_cached_layout")
        if cached is not None and cached.key == key:
            return cached
        names = self.feature_names
        anchors = {f["name"]: (f["worst"], f["best"]) for c in self.criteria for f in c["features"]}
        priors = {f["name"]: (f.get("prior_rate", np.nan), f.get("prior_words", 0.0))
                  for c in self.criteria for f in c["features"]}
        index = {name: i for i, name in enumerate(names)}
        layout = _Layout(
            key=key,
            worst=np.array([anchors[n][0] for n in names], dtype=float),
            best=np.array([anchors[n][1] for n in names], dtype=float),
            members=tuple(np.array([index[f["name"]] for f in c["features"]], dtype=np.intp)
                          for c in self.criteria),
            max_points=np.array([c["max_points"] for c in self.criteria], dtype=float),
            prior_rate=np.array([priors[n][0] for n in names], dtype=float),
            prior_words=np.array([priors[n][1] for n in names], dtype=float),
            inputs=tuple(self.input_names),
            words_column=self.input_names.index(WORDS_FEATURE) if self.weighs_rates else -1,
        )
        self.__dict__["_cached_layout"] = layout
        return layout

    def scored_values(self, rows: Rows) -> np.ndarray:
        """Rows x model features: the values the anchors are applied to (rates with a prior weighed for
        length, every other feature as extracted)."""
        layout = self._layout()
        matrix = _matrix(rows, layout.inputs)
        if layout.words_column < 0:
            return matrix
        n = len(layout.prior_rate)
        return weigh_for_length(matrix[:, :n], matrix[:, layout.words_column], layout.prior_rate,
                                layout.prior_words)

    def feature_satisfaction(self, rows: Rows) -> np.ndarray:
        """Rows x needed features: each value's satisfaction between its anchors."""
        layout = self._layout()
        return satisfaction(self.scored_values(rows), layout.worst, layout.best)

    def satisfaction_matrix(self, rows: Rows) -> np.ndarray:
        """Rows x criteria: each criterion's satisfaction, the mean of its features' satisfactions."""
        layout = self._layout()
        per_feature = satisfaction(self.scored_values(rows), layout.worst, layout.best)
        # the mean as numpy's own `mean` computes it (sum along the row, divided by the count), without
        # its per-call checks: nine criteria per article made them most of the label's time
        columns = [np.add.reduce(per_feature[:, members], axis=1) / len(members)
                   for members in layout.members]
        return np.column_stack(columns) if columns else np.zeros((len(per_feature), 0))

    def points_matrix(self, rows: Rows) -> np.ndarray:
        """Rows x criteria: points earned (satisfaction x maximum points)."""
        return self.satisfaction_matrix(rows) * self._layout().max_points

    def score(self, rows: Rows) -> np.ndarray:
        """The 0-100 score per row: the sum of the criteria's points."""
        return np.clip(self.points_matrix(rows).sum(axis=1), 0.0, 100.0)

    def probability(self, rows: Rows) -> np.ndarray:
        """Secondary: P(reliable outlet) from the score, with the fitted logistic link (data-set average)."""
        return 1.0 / (1.0 + np.exp(-(self.probability_intercept + self.probability_slope * self.score(rows))))

    def criterion_points(self, row: Mapping[str, float]) -> dict[str, float]:
        """Criterion name -> points earned by one row; they add up to its score."""
        return dict(zip(self.criterion_names, self.points_matrix([row])[0].tolist(), strict=True))

    def contributions(self, row: Mapping[str, float]) -> dict[str, float]:
        """Feature name -> its share of the points (a criterion's points split over its features by their
        satisfaction); sum(contributions) + intercept == score."""
        per_feature = self.feature_satisfaction([row])[0]
        index = {name: i for i, name in enumerate(self.feature_names)}
        out = dict.fromkeys(self.feature_names, 0.0)
        for c in self.criteria:
            share = c["max_points"] / len(c["features"])
            for f in c["features"]:
                out[f["name"]] += share * float(per_feature[index[f["name"]]])
        return out

    # ------------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "newsscore-scorecard",
            "format_version": self.format_version,
            "package_version": self.package_version,
            "feature_names": self.input_names,
            "seed": self.seed,
            "trained_at": self.trained_at,
            "label_definition": self.label_definition,
            "probability": {"intercept": self.probability_intercept, "slope": self.probability_slope},
            "criteria": self.criteria,
            "facts": self.facts,
        }

    def save(self, path: str | Path) -> Path:
        """Write the model as JSON, atomically."""
        from scoring.outputs import atomic_path

        path = Path(path)
        with atomic_path(path) as temp:
            Path(temp).write_text(
                json.dumps(self.to_dict(), indent=1, sort_keys=False) + "\n", encoding="utf-8"
            )
        return path

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any], where: str = "model",
                  registry_names: Sequence[str] | None = None) -> ReportingStyleModel:
        """A model from its JSON payload, after checking it fits this code (see check_compatible)."""
        if not isinstance(payload, Mapping) or payload.get("kind") != "newsscore-scorecard":
            raise ModelMismatchError(f"{where}: not a newsscore scorecard model file")
        check_compatible(payload, where, registry_names)
        problem = _structure_problem(payload, registry_names)
        if problem:  # else every article failed at scoring ('KeyError: max_points'), or scored 0 as ok
            raise ModelMismatchError(f"{where}: not a usable newsscore model file ({problem})")
        probability = payload.get("probability", {})
        return cls(
            criteria=list(payload["criteria"]),
            seed=int(payload["seed"]),
            probability_intercept=float(probability.get("intercept", 0.0)),
            probability_slope=float(probability.get("slope", 0.0)),
            package_version=payload["package_version"],
            format_version=payload["format_version"],
            trained_at=payload.get("trained_at", ""),
            label_definition=payload.get("label_definition", ""),
            facts=dict(payload.get("facts", {})),
        )

    @classmethod
    def load(cls, path: str | Path, registry_names: Sequence[str] | None = None) -> ReportingStyleModel:
        """Read a model written by `save` (plain JSON: loading runs no code); `registry_names` defaults to the
        features the registry computes."""
        try:
            payload = json.loads(_read_model_bytes(Path(path)).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelMismatchError(f"{path}: not a newsscore model file ({exc})") from None
        except RecursionError:
            raise ModelMismatchError(f"{path}: not a newsscore model file (JSON nested too deeply to "
                                     "read)") from None
        return cls.from_dict(payload, str(path), registry_names)


MAX_MODEL_BYTES = 5 * 2**20  # a model file is ~10 kB; `--model /dev/zero` or a 4 GB file is no model


def _read_model_bytes(path: Path) -> bytes:
    """A model file's bytes; `ModelMismatchError` for a pipe or a device (`--model /dev/zero` read until
    memory ran out, a FIFO waited forever) or a file over MAX_MODEL_BYTES."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ModelMismatchError(f"{path}: cannot read the model file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        raise ModelMismatchError(f"{path}: not a regular file (a directory, pipe or device), not a model "
                                 "file")
    with open(path, "rb") as handle:
        data = handle.read(MAX_MODEL_BYTES + 1)
    if len(data) > MAX_MODEL_BYTES:
        raise ModelMismatchError(f"{path}: over {MAX_MODEL_BYTES:,} bytes, not a newsscore model file (one "
                                 "is about 10 kB)")
    return data


def _is_finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and bool(np.isfinite(value))


def _structure_problem(payload: Mapping[str, Any], registry_names: Sequence[str] | None) -> str | None:
    """What makes a payload that passed `check_compatible` unusable (None when it is usable): the fields
    scoring, explanations and the card read, with the types they need, and at least one criterion of
    positive points over features the registry computes."""
    if registry_names is None:
        from scoring.features import feature_names

        registry_names = feature_names()
    registry = set(registry_names)
    if not isinstance(payload.get("seed"), int) or isinstance(payload.get("seed"), bool):
        return f"seed is {type(payload.get('seed')).__name__}, not an integer"
    probability = payload.get("probability", {})
    if not isinstance(probability, Mapping) or not all(
            _is_finite_number(probability.get(key, 0.0)) for key in ("intercept", "slope")):
        return "probability is not an object of finite numbers intercept and slope"
    if not isinstance(payload.get("facts", {}), Mapping):
        return "facts is not an object"
    criteria = payload.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        return "criteria is not a non-empty list"
    for number, criterion in enumerate(criteria, start=1):
        where = f"criterion {number}"
        if not isinstance(criterion, Mapping):
            return f"{where} is {type(criterion).__name__}, not an object"
        for key in ("name", "title"):
            if not isinstance(criterion.get(key), str):
                return f"{where} has no text {key}"
        for key in ("max_points", "typical_points"):
            if not _is_finite_number(criterion.get(key)) or criterion[key] < 0:
                return f"{where} ({str(criterion['name'])[:80]}): {key} is not a finite number of at least 0"
        features = criterion.get("features")
        if not isinstance(features, list) or not features:
            return f"{where} ({str(criterion['name'])[:80]}): features is not a non-empty list"
        for feature in features:
            if not isinstance(feature, Mapping) or not isinstance(feature.get("name"), str):
                return f"{where} ({str(criterion['name'])[:80]}): a feature without a name"
            if feature["name"] not in registry:
                return f"{where}: feature {feature['name'][:80]!r} is not one the registry computes"
            if not (_is_finite_number(feature.get("worst")) and _is_finite_number(feature.get("best"))):
                return f"{where}: feature {feature['name'][:80]!r} has no finite worst and best anchors"
    if not sum(criterion["max_points"] for criterion in criteria) > 0:
        return "no criterion has points: every article would score 0"
    return None


Rows = Sequence[Mapping[str, float]] | Any  # a list of feature dicts or a DataFrame


def check_compatible(
    payload: Mapping[str, Any], where: str = "model", registry_names: Sequence[str] | None = None
) -> None:
    """Raise ModelMismatchError when the format or package major.minor differ, or when the registry no longer
    computes a feature the model needs. Extra registry features are fine: the model selects its inputs by
    name."""
    if registry_names is None:
        from scoring.features import feature_names

        registry_names = feature_names()
    problems = []
    if payload.get("format_version") != FORMAT_VERSION:
        problems.append(f"model format version {payload.get('format_version')} != {FORMAT_VERSION} expected")
    if major_minor(str(payload.get("package_version"))) != major_minor(__version__):
        problems.append(
            f"trained with newsscore {payload.get('package_version')}, this is {__version__} "
            "(major.minor must match)"
        )
    registry = set(registry_names)
    needed = payload.get("feature_names", [])
    if not isinstance(needed, list) or not all(isinstance(name, str) for name in needed):
        problems.append("feature_names is not a list of names")
        needed = []
    missing = [name for name in needed if name not in registry]
    if missing:
        problems.append(
            "the model needs features the registry (scoring.features) does not compute: " + ", ".join(missing)
        )
    if problems:
        raise ModelMismatchError(
            f"{where}: " + " | ".join(problems) + ". Retrain: `newsscore train` (python -m scoring.train)."
        )


def major_minor(version: str) -> str:
    """'1.2.3' -> '1.2'."""
    return ".".join(version.split(".")[:2])


def default_model_path() -> Path:
    """The shipped model file (inside the package, see scoring/resources.py), or $NEWSSCORE_MODEL."""
    return Path(os.environ.get("NEWSSCORE_MODEL") or _shipped_model_path())


@lru_cache(maxsize=1)
def _shipped_model_path() -> Path:
    """Found once: the label of every scored article asks for the default model."""
    from scoring.resources import shipped_model_path

    return shipped_model_path()


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> ReportingStyleModel:
    return ReportingStyleModel.load(path)


def default_model() -> ReportingStyleModel:
    """The default model, loaded once per file version (the label and the score read the same one)."""
    path = default_model_path()
    return _load_cached(str(path), path.stat().st_mtime)


def rank(scores: Sequence[float], keys: Sequence[str] | None = None) -> np.ndarray:
    """Rank within a batch: 1 = highest score (most careful reporting). Ties are broken by `keys`
    (e.g. article ids) when given, else by input order."""
    scores = np.asarray(scores, dtype=float)
    tiebreak = np.arange(len(scores)) if keys is None else np.asarray([str(k) for k in keys])
    order = np.lexsort((tiebreak, -scores))
    ranks = np.empty(len(scores), dtype=int)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def _matrix(rows: Rows, names: Sequence[str]) -> np.ndarray:
    """Feature rows (dicts or a DataFrame) -> float matrix in `names` order; a missing feature is an error."""
    if hasattr(rows, "columns"):  # a DataFrame, without importing pandas
        missing = [n for n in names if n not in rows.columns]
        if missing:
            raise KeyError(f"feature rows lack: {', '.join(missing)}")
        matrix = rows[list(names)].to_numpy(dtype=float)
    else:
        rows = list(rows)
        missing = sorted({n for row in rows for n in names if n not in row})
        if missing:
            raise KeyError(f"feature rows lack: {', '.join(missing)}")
        matrix = np.array([[row[n] for n in names] for row in rows], dtype=float).reshape(
            len(rows), len(names)
        )
    if not np.isfinite(matrix).all():
        raise ValueError("feature rows hold NaN or infinite values")
    return matrix


__all__ = [
    "CriterionFeature",
    "LABEL_DEFINITION",
    "ModelMismatchError",
    "ReportingStyleModel",
    "check_compatible",
    "default_model",
    "default_model_path",
    "load_criteria",
    "rank",
    "satisfaction",
    "weigh_for_length",
]
