"""Reporting-quality label: pass / partial / fail per criterion, from the SAME satisfactions as the score.

Each criterion of scoring/lexicons/criteria.tsv has a satisfaction between 0 and 1 (its features placed
between the model's anchors); its points in the score are satisfaction x maximum points, and its verdict
here is pass at >= 0.8, fail below 1/3, partial between, so the label and the score cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from scoring.features.base import Span
from scoring.model import ReportingStyleModel, default_model, load_criteria
from scoring.settings import SETTINGS

VERDICTS = ("pass", "partial", "fail")  # best to worst
VERDICT_POINTS = {"pass": 2, "partial": 1, "fail": 0}
LABEL = SETTINGS.label  # pass_at, fail_below


@dataclass(frozen=True)
class Criterion:
    """One criterion of the label: verdict, satisfaction, points, the numbers behind it and the evidence."""

    name: str
    title: str
    verdict: str
    satisfaction: float
    points: float
    max_points: float
    numbers: dict[str, float]
    reasons: tuple[str, ...]
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "verdict": self.verdict,
            "satisfaction": round(self.satisfaction, 4),
            "points": round(self.points, 2),
            "max_points": round(self.max_points, 2),
            "numbers": self.numbers,
            "reasons": list(self.reasons),
            "evidence": [s.to_dict() for s in self.evidence],
        }


def verdict_of(satisfaction: float) -> str:
    """pass / partial / fail of a criterion's satisfaction."""
    if satisfaction >= LABEL.pass_at:
        return "pass"
    return "fail" if satisfaction < LABEL.fail_below else "partial"


def evidence_spans(spans: list[Span], kinds: str) -> list[Span]:
    """The spans matching any of the comma-separated `kind` or `kind:label-prefix` selectors."""
    selectors = [k.split(":", 1) for k in kinds.split(",") if k]
    return [
        s
        for s in spans
        if any(s.kind == sel[0] and (len(sel) == 1 or s.label.startswith(sel[1])) for sel in selectors)
    ]


def quality_label(
    values: dict[str, float], spans: list[Span], model: ReportingStyleModel | None = None
) -> list[Criterion]:
    """The article's label: one `Criterion` per criterion of the model (default: the shipped model)."""
    model = model or default_model()
    satisfactions = model.satisfaction_matrix([values])[0]
    per_feature = dict(
        zip(model.feature_names, model.feature_satisfaction([values])[0].tolist(), strict=True)
    )
    scored = (dict(zip(model.feature_names, model.scored_values([values])[0].tolist(), strict=True))
              if model.weighs_rates else {})
    label = []
    for spec, s in zip(model.criteria, satisfactions.tolist(), strict=True):
        reasons = []
        for f in spec["features"]:
            value = float(values[f["name"]])
            weighed = (f" ({scored[f['name']]:.3g} weighed for length)"
                       if "prior_rate" in f and f"{scored[f['name']]:.3g}" != f"{value:.3g}" else "")
            reasons.append(
                f"{f['name']} {value:.3g}{weighed}: {per_feature[f['name']]:.2f} of the way from "
                f"{f['worst']:g} (worst) to {f['best']:g} (best)"
            )
        points = s * spec["max_points"]
        reasons.append(
            f"{points:.1f} of {spec['max_points']:.1f} points"
            if spec["max_points"] > 0
            else "not scored (the fit gave it no weight)"
        )
        numbers = {f["name"]: round(float(values[f["name"]]), 4) for f in spec["features"]}
        label.append(
            Criterion(
                spec["name"],
                spec["title"],
                verdict_of(s),
                s,
                points,
                spec["max_points"],
                numbers,
                tuple(reasons),
                evidence_spans(spans, spec.get("evidence", "")),
            )
        )
    return label


def label_points_of(satisfactions: Sequence[float], max_points: Sequence[float]) -> int:
    """pass 2, partial 1, fail 0 of each criterion's satisfaction, summed over the scored criteria (those
    with points): the label's total, which tracks the score."""
    return sum(
        VERDICT_POINTS[verdict_of(s)] for s, most in zip(satisfactions, max_points, strict=True) if most > 0
    )


def label_points(label: list[Criterion]) -> int:
    """`label_points_of` an article's label."""
    return label_points_of([c.satisfaction for c in label], [c.max_points for c in label])


@lru_cache(maxsize=1)
def _criterion_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(row.criterion for row in load_criteria()))


def quality_column_names() -> list[str]:
    """The `label_*` column names, one per criterion of the criteria file, in file order."""
    return [f"label_{name}" for name in _criterion_names()]


def quality_columns(values: dict[str, float]) -> dict[str, str | None]:
    """One scores column per criterion, e.g. {"label_named_sources": "pass"}."""
    columns: dict[str, str | None] = dict.fromkeys(quality_column_names())
    model = default_model()  # the verdicts `quality_label` gives, without its reasons and evidence
    for spec, s in zip(model.criteria, model.satisfaction_matrix([values])[0].tolist(), strict=True):
        if f"label_{spec['name']}" in columns:
            columns[f"label_{spec['name']}"] = verdict_of(s)
    return columns


__all__ = [
    "Criterion",
    "VERDICTS",
    "VERDICT_POINTS",
    "evidence_spans",
    "label_points",
    "label_points_of",
    "quality_column_names",
    "quality_columns",
    "quality_label",
    "verdict_of",
]
