"""Reasons in words: the criteria whose points rose or fell most against a typical training article.

A reason reads "+ quotes people directly: 18.2 of 21.0 points (typical 9.1): quotes 8.1 per 1k words,
attributed quotes 86%", with the criterion's evidence spans when they are given. Only scored criteria
(reporting criteria of scoring/lexicons/criteria.tsv) can be reasons; readability is never one.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scoring.features import spec_of
from scoring.features.base import Span
from scoring.model import ReportingStyleModel
from scoring.quality_label import evidence_spans

if TYPE_CHECKING:
    from scoring.explanation import Explanation


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: which criterion, its points, how far they are from typical, the sentence, the spans."""

    feature: str  # the criterion's name (kept as `feature` for the renderers)
    value: float  # points earned
    contribution: float  # points minus the typical article's points; > 0 raises the score
    text: str
    evidence: list[Span] = field(default_factory=list)

    @property
    def raises_score(self) -> bool:
        return self.contribution > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "criterion": self.feature,
            "points": round(self.value, 2),
            "vs_typical": round(self.contribution, 2),
            "direction": "raises" if self.raises_score else "lowers",
            "text": self.text,
            "evidence": [s.to_dict() for s in self.evidence],
        }


def value_with_unit(feature: str, value: float) -> str:
    """A feature value written in the unit of its spec (scoring/features/specs.tsv); a plain number else."""
    spec = spec_of(feature)
    return spec.format_value(value) if spec is not None else f"{value:.3g}"


def humanise(feature: str) -> str:
    """'quotes_per_1k_words' -> 'quotes'; 'named_source_share' -> 'named source share'."""
    return feature.replace("_per_1k_words", "").replace("_", " ")


def feature_phrase(feature: str, value: float, weighed: float | None = None) -> str:
    """'loaded words 6.1 per 1k words', with the rate the score used when it was weighed for length and
    reads differently: 'loaded words 0.0 per 1k words (6.2 weighed for length)'."""
    phrase = f"{humanise(feature)} {value_with_unit(feature, value)}"
    if weighed is None:
        return phrase
    shown = value_with_unit(feature, weighed)
    if shown == value_with_unit(feature, value):
        return phrase
    return f"{phrase} ({shown.removesuffix(' per 1k words')} weighed for length)"


def reasons(
    model: ReportingStyleModel, row: Mapping[str, float], top: int = 3, spans: Sequence[Span] | None = None
) -> list[Reason]:
    """The `top` scored criteria furthest from typical (either way), furthest first; ties by name."""
    return reasons_for_rows(model, [row], top, [list(spans)] if spans is not None else None)[0]


def reasons_for_rows(
    model: ReportingStyleModel,
    rows: Sequence[Mapping[str, float]],
    top: int = 3,
    spans: Sequence[Sequence[Span]] | None = None,
) -> list[list[Reason]]:
    """`reasons` for many rows at once (one matrix computation: what batch scoring uses)."""
    points = model.points_matrix(rows)
    criteria = model.criteria
    scored = model.scored_values(rows) if model.weighs_rates else None
    column = {name: j for j, name in enumerate(model.feature_names)}
    result = []
    for k, (row, row_points) in enumerate(zip(rows, points, strict=True)):
        gaps = [
            (float(row_points[i]) - c["typical_points"], i)
            for i, c in enumerate(criteria)
            if c["max_points"] > 0
        ]
        gaps.sort(key=lambda gi: (-abs(gi[0]), criteria[gi[1]]["name"]))
        row_reasons = []
        for gap, i in gaps[:top]:
            c = criteria[i]
            numbers = ", ".join(
                feature_phrase(f["name"], float(row[f["name"]]),
                               None if scored is None or "prior_rate" not in f
                               else float(scored[k, column[f["name"]]]))
                for f in c["features"]
            )
            text = (
                f"{c['title']}: {row_points[i]:.1f} of {c['max_points']:.1f} points "
                f"(typical {c['typical_points']:.1f}): {numbers}"
            )
            evidence = evidence_spans(list(spans[k]), c.get("evidence", "")) if spans is not None else []
            row_reasons.append(Reason(c["name"], float(row_points[i]), gap, text, evidence))
        result.append(row_reasons)
    return result


def in_words(row_reasons: Sequence[Reason]) -> list[str]:
    """Reasons as sentences, each marked with the way it moved the score."""
    return [f"{'+' if r.raises_score else '-'} {r.text}" for r in row_reasons]


def reasons_in_words(model: ReportingStyleModel, row: Mapping[str, float], top: int = 3) -> list[str]:
    """`reasons` as marked sentences."""
    return in_words(reasons(model, row, top))


class _CallableModule(types.ModuleType):
    """Lets `scoring.explain(text)` (the API function) work although `scoring.explain` is this module: once
    a submodule is imported, Python binds the package attribute to it, so the module itself is callable."""

    def __call__(self, text: str, **kwargs: Any) -> Explanation:
        from scoring.api import explain

        return explain(text, **kwargs)


sys.modules[__name__].__class__ = _CallableModule


__all__ = [
    "Reason",
    "feature_phrase",
    "humanise",
    "in_words",
    "reasons",
    "reasons_for_rows",
    "reasons_in_words",
    "value_with_unit",
]
