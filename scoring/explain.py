"""Reasons in words: the features that pushed an article's score up or down the most, phrased for people.

Phrases come from scoring/lexicons/reason_phrases.tsv (feature, high|low, template); a feature without a
phrase gets a generic one built from its name. Templates may use {value} (the value with its unit, e.g.
"12.3 per 1k words" or "37%"), {pct} (value x 100, no decimals) and {raw} (the bare number, 3 digits).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from scoring.features import spec_of
from scoring.model import ReportingStyleModel

if TYPE_CHECKING:
    from scoring.explanation import Explanation

PHRASES_FILE = "reason_phrases.tsv"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: which feature, its value, how far it moved the logit, and the sentence."""

    feature: str
    value: float
    contribution: float  # on the logit of the reported score; > 0 raises the score
    text: str

    @property
    def raises_score(self) -> bool:
        return self.contribution > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "feature": self.feature,
            "value": self.value,
            "contribution": self.contribution,
            "direction": "raises" if self.raises_score else "lowers",
            "text": self.text,
        }


@lru_cache(maxsize=1)
def load_phrases() -> dict[tuple[str, str], str]:
    """(feature, 'high' | 'low') -> template, from scoring/lexicons/reason_phrases.tsv."""
    text = resources.files("scoring").joinpath("lexicons", PHRASES_FILE).read_text(encoding="utf-8")
    phrases = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        feature, level, template = (part.strip() for part in line.split("\t", 2))
        if level not in ("high", "low"):
            raise ValueError(f"{PHRASES_FILE}: level must be high or low, got {level!r} for {feature}")
        phrases[(feature, level)] = template
    return phrases


def value_with_unit(feature: str, value: float) -> str:
    """A feature value written in the unit of its spec (scoring/features/specs.tsv); a plain number else."""
    spec = spec_of(feature)
    return spec.format_value(value) if spec is not None else f"{value:.3g}"


def humanise(feature: str) -> str:
    """'quotes_per_1k_words' -> 'quotes per 1k words'."""
    return feature.replace("_", " ")


def phrase(feature: str, value: float, high: bool) -> str:
    """The sentence for one feature value: the template when there is one, else a generic phrase."""
    level = "high" if high else "low"
    template = load_phrases().get((feature, level))
    shown = value_with_unit(feature, value)
    if template is None:
        return f"{'high' if high else 'low'} {humanise(feature)} ({shown})"
    return template.format(value=shown, pct=f"{100 * value:.0f}", raw=f"{value:.3g}")


def reasons(model: ReportingStyleModel, row: Mapping[str, float], top: int = 3) -> list[Reason]:
    """The `top` features with the largest contributions (either sign), largest first; ties by name."""
    return reasons_for_rows(model, [row], top)[0]


def reasons_for_rows(model: ReportingStyleModel, rows: Sequence[Mapping[str, float]],
                     top: int = 3) -> list[list[Reason]]:
    """`reasons` for many rows at once (one matrix computation: what batch scoring uses)."""
    standardised = model.standardised_matrix(rows)
    contributions = standardised * model.coefficients
    names = model.feature_names
    result = []
    for row, row_contributions, row_standardised in zip(rows, contributions, standardised, strict=True):
        ordered = sorted(range(len(names)), key=lambda i: (-abs(row_contributions[i]), names[i]))
        row_reasons = []
        for i in ordered[:top]:
            if row_contributions[i] == 0:
                continue
            value = float(row[names[i]])
            text = phrase(names[i], value, high=row_standardised[i] > 0)
            row_reasons.append(Reason(names[i], value, float(row_contributions[i]), text))
        result.append(row_reasons)
    return result


def in_words(row_reasons: Sequence[Reason]) -> list[str]:
    """Reasons as sentences, each marked with the way it moved the score, e.g. '+ many attributed quotes'."""
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


__all__ = ["Reason", "humanise", "in_words", "load_phrases", "phrase", "reasons", "reasons_for_rows",
           "reasons_in_words", "value_with_unit"]
