"""Why an article scored as it did: `build_explanation` makes the one `Explanation` (score, contributions,
reasons, quality label, features, spans) that the CLI, the HTML view, the report and `scoring.explain`
render; reasons in words are the features that pushed the score up or down the most, phrased for people.

Phrases come from scoring/lexicons/reason_phrases.tsv (feature, high|low, template); a feature without a
phrase gets a generic one built from its name. Templates may use {value} (the value with its unit, e.g.
"12.3 per 1k words" or "37%"), {pct} (value x 100, no decimals) and {raw} (the bare number, 3 digits).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from scoring.features import Span, spec_of
from scoring.model import ReportingStyleModel
from scoring.pipeline import Analysis
from scoring.quality_label import Criterion, quality_label
from scoring.records import Article

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


@dataclass(frozen=True)
class Explanation:
    """Why one article scored as it did: the one object the CLI (text, JSON), the HTML view and the report
    render. Without a model (or for a failed article) score is None and contributions/reasons are empty."""

    article: Article
    features: dict[str, float] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()  # in the extractors' order (`to_dict` sorts them by position)
    label: tuple[Criterion, ...] = ()  # the reporting-quality label, one verdict per criterion
    score: float | None = None  # 0-100
    intercept: float | None = None
    contributions: dict[str, float] = field(default_factory=dict)  # logit contributions, largest |c| first
    reasons: tuple[Reason, ...] = ()

    @property
    def ok(self) -> bool:
        return self.article.ok and bool(self.features)

    def to_dict(self) -> dict[str, object]:
        """The JSON form (`newsscore explain --json`): ids, score, contributions, reasons, label, features,
        and every span with its text."""
        article = self.article
        result: dict[str, object] = {"id": article.id, "source": article.source, "outlet": article.outlet,
                                     "status": article.status, "error": article.error}
        if not self.ok:
            return result
        if self.score is not None:
            result["score"] = self.score
            result["intercept"] = self.intercept
            result["contributions"] = dict(self.contributions)
            result["reasons"] = [reason.to_dict() for reason in self.reasons]
        result["quality_label"] = [criterion.to_dict() for criterion in self.label]
        result["features"] = dict(self.features)
        result["spans"] = [{**span.to_dict(), "text": article.text[span.start:span.end]}
                           for span in sorted(self.spans, key=lambda s: (s.start, s.end, s.kind))]
        return result

    def _repr_html_(self) -> str:
        """Jupyter shows the same highlighted view as `newsscore explain --html`."""
        from scoring.html_explain import explanation_fragment

        return explanation_fragment(self)


def build_explanation(analysis: Analysis, model: ReportingStyleModel | None = None,
                      top: int = 5) -> Explanation:
    """The explanation of an analysed article: label and spans always, score and reasons with a model."""
    if analysis.features is None:
        return Explanation(analysis.article)
    values = dict(analysis.features.values)
    spans = tuple(analysis.features.spans)
    label = tuple(quality_label(values, list(analysis.features.spans)))
    if model is None:
        return Explanation(analysis.article, values, spans, label)
    contributions = model.contributions(values)
    return Explanation(
        analysis.article, values, spans, label,
        score=float(model.score([values])[0]),
        intercept=model.intercept,
        contributions=dict(sorted(contributions.items(), key=lambda kv: -abs(kv[1]))),
        reasons=tuple(reasons(model, values, top=top)),
    )


class _CallableModule(types.ModuleType):
    """Lets `scoring.explain(text)` (the API function) work although `scoring.explain` is this module: once
    a submodule is imported, Python binds the package attribute to it, so the module itself is callable."""

    def __call__(self, text: str, **kwargs: Any) -> Explanation:
        from scoring.api import explain

        return explain(text, **kwargs)


sys.modules[__name__].__class__ = _CallableModule


__all__ = ["Explanation", "Reason", "build_explanation", "humanise", "in_words", "load_phrases", "phrase",
           "reasons", "reasons_for_rows", "reasons_in_words", "value_with_unit"]
