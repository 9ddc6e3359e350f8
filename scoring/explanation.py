"""The explanation of one article: the one object (score, contributions, reasons, quality label, features,
spans) that `newsscore explain` (text and JSON), the HTML view, the report notebook and `scoring.explain`
render. One builder, several renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.applicability import TOO_SHORT, Warning
from scoring.explain import Reason, reasons
from scoring.features import Span
from scoring.model import ReportingStyleModel
from scoring.pipeline import Analysis
from scoring.quality_label import Criterion, quality_label
from scoring.records import Article


@dataclass(frozen=True, repr=False)
class Explanation:
    """Why one article scored as it did: the one object the CLI (text, JSON), the HTML view and the report
    render. Without a model (or for a failed article) score is None and contributions/reasons are empty.
    `warnings` say why the score does not apply to this text (scoring/applicability.py); a `too_short`
    article's score is withheld (None, `score_withheld`), the others keep theirs, unranked in a batch."""

    article: Article
    features: dict[str, float] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()  # in the extractors' order (`to_dict` sorts them by position)
    label: tuple[Criterion, ...] = ()  # the reporting-quality label, one verdict per criterion
    score: float | None = None  # 0-100: the sum of the criteria's points
    probability_reliable: float | None = None  # secondary: P(reliable outlet) from the score
    points: dict[str, dict[str, float]] = field(default_factory=dict)  # criterion -> points, max_points
    contributions: dict[str, float] = field(default_factory=dict)  # feature -> its share of the points
    reasons: tuple[Reason, ...] = ()
    intercept: float = 0.0  # the points alone add up to the score
    warnings: tuple[Warning, ...] = ()  # why the score does not apply, if it does not
    with_model: bool = False  # explained with a model (without one there is no score to withhold)

    @property
    def ok(self) -> bool:
        return self.article.ok and bool(self.features)

    @property
    def score_withheld(self) -> bool:
        """True when the score is withheld: the body is too short for it to mean anything."""
        return self.with_model and any(w.code == TOO_SHORT for w in self.warnings)

    @property
    def applicable(self) -> bool:
        """True when no warning says the score does not apply to this text."""
        return not self.warnings

    def to_dict(self) -> dict[str, object]:
        """The JSON form (`newsscore explain --json`): ids, score, points per criterion, reasons, label,
        features, and every span with its text."""
        article = self.article
        result: dict[str, object] = {"id": article.id, "source": article.source, "outlet": article.outlet,
                                     "status": article.status, "error": article.error}
        if not self.ok:
            return result
        result["warnings"] = [w.to_dict() for w in self.warnings]
        if self.score_withheld:
            result["score"] = None
            result["score_withheld"] = True
        if self.score is not None:
            result["score"] = self.score
            result["probability_reliable"] = self.probability_reliable
            result["points"] = {name: dict(p) for name, p in self.points.items()}
            result["reasons"] = [reason.to_dict() for reason in self.reasons]
        result["quality_label"] = [criterion.to_dict() for criterion in self.label]
        result["features"] = dict(self.features)
        result["spans"] = [{**span.to_dict(), "text": article.text[span.start:span.end]}
                           for span in sorted(self.spans, key=lambda s: (s.start, s.end, s.kind))]
        return result

    def __repr__(self) -> str:
        """One line (id, status, score, counts): the default dataclass repr printed the whole article and
        every span, flooding a notebook or a prompt that shows `score_text(...)`."""
        article = self.article
        score = "None" if self.score is None else f"{self.score:.1f}"
        return (f"Explanation(id={article.id!r}, source={article.source!r}, status={article.status!r}, "
                f"score={score}, features={len(self.features)}, spans={len(self.spans)}, "
                f"criteria={len(self.label)}, warnings={[w.code for w in self.warnings]})")

    def _repr_html_(self) -> str:
        """Jupyter shows the same highlighted view as `newsscore explain --html`."""
        from scoring.html_explain import explanation_fragment

        return explanation_fragment(self)


def build_explanation(analysis: Analysis, model: ReportingStyleModel | None = None,
                      top: int = 5) -> Explanation:
    """The explanation of an analysed article: label, spans and warnings always, score and reasons with a
    model (not for a too-short article: its score is withheld)."""
    if analysis.features is None:
        return Explanation(analysis.article)
    values = dict(analysis.features.values)
    spans = tuple(analysis.features.spans)
    label = tuple(quality_label(values, list(spans), model))  # model None: the shipped model's criteria
    warnings = analysis.warnings
    if model is None or any(w.code == TOO_SHORT for w in warnings):
        return Explanation(analysis.article, values, spans, label, warnings=warnings,
                           with_model=model is not None)
    earned = model.criterion_points(values)
    contributions = model.contributions(values)
    return Explanation(
        analysis.article, values, spans, label,
        score=float(model.score([values])[0]),
        probability_reliable=float(model.probability([values])[0]),
        points={c["name"]: {"points": round(earned[c["name"]], 2), "max_points": round(c["max_points"], 2)}
                for c in model.criteria},
        contributions=dict(sorted(contributions.items(), key=lambda kv: -abs(kv[1]))),
        reasons=tuple(reasons(model, values, top=top, spans=list(spans))),
        intercept=model.intercept,
        warnings=warnings,
        with_model=True,
    )


__all__ = ["Explanation", "build_explanation"]
