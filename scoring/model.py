"""The reporting-style model: signed log1p -> standardised features -> logistic regression -> a 0-100 score.

The score is P(reliable outlet | reporting-style features) x 100, optionally Platt-calibrated. Every score is
explained exactly: per-feature contributions (coefficient x standardised value, times the calibration slope
when calibrated) plus the intercept add up to the logit of the score that is reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from scoring import __version__
from scoring.features.boilerplate import FEATURE_NAMES as BOILERPLATE_FEATURES
from scoring.outputs import atomic_path

FORMAT_VERSION = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "default.joblib"
DEFAULT_C = 0.5
LABEL_DEFINITION = (
    "1 = the article's outlet is rated reliable (MBFC 'high' factuality, OpenSources 'reliable', or on the "
    "Business Insider 'Most Trusted' list cited by Horne & Adali 2017); 0 = the outlet is rated unreliable "
    "(MBFC 'low', or an OpenSources fake/conspiracy/junk-science/hate/extreme-bias/unreliable type). "
    "Satire and MBFC 'mixed' outlets are left out. The label is the outlet's, not the article's."
)
Rows = Sequence[Mapping[str, float]] | pd.DataFrame

# Registry features that the extractors still compute (and reports still show) but that the MODEL does not
# take as inputs, each with the reason. Evidence: the confound section of models/default.md (per-feature
# separation of data sets vs labels, and grouped CV with and without these features).
EXCLUDED_FEATURES: dict[str, str] = {
    "body_word_count": "article length, not reporting style; differs by data set (golbeck2018 unreliable "
    "median 350 words vs allsides reliable 894) because of each data set's collection and extraction",
    "body_block_count": "paragraphing (newline count) is set by each data set's extraction tool; it was the "
    "largest coefficient (+0.63) of the all-features model and mostly identifies the data set",
    "quote_count": "raw count grows with length; quotes_per_1k_words and attributed_quote_share carry the "
    "reporting signal without the size",
    "type_token_ratio": "falls mechanically with text length (Spearman -0.90 with body_word_count), so it "
    "re-enters length once the counts are removed; moving_average_type_token_ratio is the length-robust "
    "version and stays",
    "boilerplate_share": "training texts are bodies already extracted by each data set's tools, so the total "
    "non-body share measures the data set's extractor (its label direction flips between data sets) and the "
    "all-features model learned the wrong sign (more boilerplate -> higher score)",
}
# The boilerplate category shares, for the same reason: on pre-extracted training bodies they are zero in
# 80-99.5% of articles and what remains is extraction residue or segmenter misfires specific to a data set
# (navigation and related shares flip label direction between data sets). Outlet-grouped CV without them:
# article AUC 0.774 -> 0.788, outlet AUC 0.876 -> 0.909, and higher inside every two-class data set. They
# stay in the reports (with evidence spans); the model cannot learn boilerplate from this corpus.
_PRE_EXTRACTED = (
    "boilerplate category share measured on bodies the data sets already extracted: zero in 80-99.5% of "
    "articles, the rest is data-set extraction residue, not outlet practice; grouped CV without the category "
    "shares: article AUC 0.774 -> 0.788, outlet AUC 0.876 -> 0.909"
)
EXCLUDED_FEATURES |= {
    name: _PRE_EXTRACTED
    for name in BOILERPLATE_FEATURES
    if name.endswith("_share") and name != "boilerplate_share"  # every category share
}


class ModelMismatchError(ValueError):
    """A model file that does not fit this code: other features, format or package version."""


@dataclass(frozen=True, slots=True)
class Calibration:
    """Platt scaling of the raw logit: calibrated logit = slope * raw logit + offset."""

    slope: float = 1.0
    offset: float = 0.0


def model_feature_names(registry_names: Sequence[str] | None = None) -> list[str]:
    """The model's inputs: registry features (in registry order) minus EXCLUDED_FEATURES."""
    if registry_names is None:
        from scoring.features import feature_names

        registry_names = feature_names()
    return [name for name in registry_names if name not in EXCLUDED_FEATURES]


def major_minor(version: str) -> str:
    """'1.2.3' -> '1.2'."""
    return ".".join(version.split(".")[:2])


def signed_log1p(x: np.ndarray) -> np.ndarray:
    """sign(x) * log(1 + |x|): tames the long right tail of rates and counts (outlet-grouped CV: article AUC
    0.831 -> 0.839, outlet AUC 0.979 -> 0.988 with the first 22 features)."""
    return np.sign(x) * np.log1p(np.abs(x))


def make_pipeline(seed: int = 0, c: float = DEFAULT_C, class_weight: str | None = "balanced") -> Pipeline:
    """Unfitted pipeline: signed log1p, StandardScaler, L2 logistic regression (balanced class weights)."""
    return Pipeline(
        [
            ("log1p", FunctionTransformer(signed_log1p)),
            ("scale", StandardScaler()),
            ("logreg", LogisticRegression(C=c, class_weight=class_weight, max_iter=5000, random_state=seed)),
        ]
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class ReportingStyleModel:
    """A fitted pipeline plus everything needed to check, explain and reproduce it."""

    pipeline: Pipeline
    feature_names: list[str]
    calibration: Calibration | None = None
    seed: int = 0
    package_version: str = __version__
    format_version: int = FORMAT_VERSION
    trained_at: str = ""
    label_definition: str = LABEL_DEFINITION
    facts: dict[str, Any] = field(default_factory=dict)  # training data counts, evaluation: for the card

    # ------------------------------------------------------------------ fitting

    @classmethod
    def fit(
        cls,
        features: pd.DataFrame,
        labels: Sequence[int],
        feature_names: Sequence[str],
        seed: int = 0,
        calibration: Calibration | None = None,
        c: float = DEFAULT_C,
    ) -> ReportingStyleModel:
        """Fit on a feature table (columns = feature_names) and 0/1 labels (1 = reliable)."""
        names = list(feature_names)
        if not names:
            raise ValueError("no features registered in scoring.features: nothing to train on")
        excluded = [n for n in names if n in EXCLUDED_FEATURES]
        if excluded:
            raise ValueError(f"excluded from the model (see EXCLUDED_FEATURES): {', '.join(excluded)}")
        pipeline = make_pipeline(seed, c).fit(_matrix(features, names), np.asarray(labels, dtype=int))
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        return cls(pipeline, names, calibration, seed, trained_at=stamp)

    # ------------------------------------------------------------------ scoring

    @property
    def coefficients(self) -> np.ndarray:
        """Coefficients per standardised feature, in feature order (calibration slope applied)."""
        return self.pipeline.named_steps["logreg"].coef_[0] * self._slope

    @property
    def intercept(self) -> float:
        """Intercept of the reported logit (calibration applied)."""
        raw = float(self.pipeline.named_steps["logreg"].intercept_[0])
        return raw * self._slope + (self.calibration.offset if self.calibration else 0.0)

    @property
    def _slope(self) -> float:
        return self.calibration.slope if self.calibration else 1.0

    def raw_logit(self, rows: Rows) -> np.ndarray:
        """Uncalibrated logit of P(reliable) per row."""
        return self.pipeline.decision_function(_matrix(rows, self.feature_names))

    def logit(self, rows: Rows) -> np.ndarray:
        """The logit of the reported score per row (calibrated when the model is)."""
        raw = self.raw_logit(rows)
        if self.calibration is None:
            return raw
        return self.calibration.slope * raw + self.calibration.offset

    def probability(self, rows: Rows) -> np.ndarray:
        """P(reliable outlet) per row, in [0, 1]."""
        return _sigmoid(self.logit(rows))

    def score(self, rows: Rows) -> np.ndarray:
        """Reporting-style score per row: P(reliable) x 100, in [0, 100]."""
        return np.clip(100.0 * self.probability(rows), 0.0, 100.0)

    def standardised_matrix(self, rows: Rows) -> np.ndarray:
        """Rows x features: each signed-log1p value in standard deviations from the training mean."""
        scaler = self.pipeline.named_steps["scale"]
        return (signed_log1p(_matrix(rows, self.feature_names)) - scaler.mean_) / scaler.scale_

    def standardised(self, row: Mapping[str, float]) -> dict[str, float]:
        """Each feature's signed-log1p value in standard deviations from the training mean."""
        z = self.standardised_matrix([row])[0]
        return dict(zip(self.feature_names, z.tolist(), strict=True))

    def contributions(self, row: Mapping[str, float]) -> dict[str, float]:
        """Per-feature push on the reported logit: coefficient x standardised (log1p) value, times the
        calibration slope.
        sum(contributions) + intercept == logit of the reported score."""
        z = self.standardised_matrix([row])[0]
        return dict(zip(self.feature_names, (self.coefficients * z).tolist(), strict=True))

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> Path:
        """Write the model with joblib, atomically (temporary file in the same folder, then rename)."""
        path = Path(path)
        payload = {
            "format_version": self.format_version,
            "package_version": self.package_version,
            "feature_names": list(self.feature_names),
            "pipeline": self.pipeline,
            "calibration": None
            if self.calibration is None
            else (self.calibration.slope, self.calibration.offset),
            "seed": self.seed,
            "trained_at": self.trained_at,
            "label_definition": self.label_definition,
            "facts": self.facts,
        }
        with atomic_path(path) as temp:
            joblib.dump(payload, temp, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path, expected_features: Sequence[str] | None = None) -> ReportingStyleModel:
        """Read a model written by `save` and check it fits this code (features, format, version).

        Raises ModelMismatchError naming the missing/extra features or the differing versions."""
        # SECURITY: joblib/pickle runs code while loading. Only load the project's own model files
        # (models/*.joblib written by scoring.train), never a file from an untrusted source.
        payload = joblib.load(path)
        if not isinstance(payload, dict) or "format_version" not in payload:
            raise ModelMismatchError(f"{path}: not a newsscore model file")
        check_compatible(payload, expected_features, str(path))
        calibration = payload["calibration"]
        return cls(
            pipeline=payload["pipeline"],
            feature_names=list(payload["feature_names"]),
            calibration=None if calibration is None else Calibration(*calibration),
            seed=payload["seed"],
            package_version=payload["package_version"],
            format_version=payload["format_version"],
            trained_at=payload["trained_at"],
            label_definition=payload["label_definition"],
            facts=payload.get("facts", {}),
        )


def check_compatible(
    payload: Mapping[str, Any], expected_features: Sequence[str] | None = None, where: str = "model"
) -> None:
    """Raise ModelMismatchError unless format version, package major.minor and feature list all match.

    `expected_features` defaults to model_feature_names() (registry minus EXCLUDED_FEATURES); every feature
    the model needs must also be computed by the registry."""
    from scoring.features import feature_names

    registry = set(feature_names())
    if expected_features is None:
        expected_features = model_feature_names()
    problems = []
    unavailable = [f for f in payload["feature_names"] if f not in registry]
    if unavailable:
        problems.append(
            "the model needs features the registry (scoring.features) no longer computes: "
            + ", ".join(unavailable)
        )
    if payload["format_version"] != FORMAT_VERSION:
        problems.append(f"model format version {payload['format_version']} != {FORMAT_VERSION} expected")
    if major_minor(str(payload["package_version"])) != major_minor(__version__):
        problems.append(
            f"trained with newsscore {payload['package_version']}, this is {__version__} "
            "(major.minor must match)"
        )
    stored, expected = list(payload["feature_names"]), list(expected_features)
    if stored != expected:
        missing = [f for f in expected if f not in stored]
        extra = [f for f in stored if f not in expected]
        detail = []
        if missing:
            detail.append(f"missing from the model (computed now, unknown to it): {', '.join(missing)}")
        if extra:
            detail.append(
                f"extra in the model (no longer computed, or now excluded): {', '.join(extra)}"
            )
        if not missing and not extra:
            detail.append("same features in a different order")
        problems.append("feature list differs: " + "; ".join(detail))
    if problems:
        raise ModelMismatchError(
            f"{where}: " + " | ".join(problems) + ". Retrain: `newsscore train` (python -m scoring.train)."
        )


def default_model_path() -> Path:
    """The shipped model file (inside the package, see scoring/resources.py), or $NEWSSCORE_MODEL."""
    from scoring.resources import shipped_model_path

    return Path(os.environ.get("NEWSSCORE_MODEL") or shipped_model_path())


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
    """Feature rows (dicts or a DataFrame) -> float matrix in the model's feature order."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise KeyError(f"feature rows lack: {', '.join(missing)}")
    matrix = frame[list(names)].to_numpy(dtype=float)
    if not np.isfinite(matrix).all():
        raise ValueError("feature rows hold NaN or infinite values")
    return matrix


__all__ = [
    "Calibration",
    "LABEL_DEFINITION",
    "ModelMismatchError",
    "ReportingStyleModel",
    "check_compatible",
    "EXCLUDED_FEATURES",
    "default_model_path",
    "make_pipeline",
    "model_feature_names",
    "rank",
    "signed_log1p",
]
