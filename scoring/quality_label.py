"""Reporting-quality label: a handful of named criteria, each pass / partial / fail, from the feature values.

In the manner of a source rater's per-criterion "nutrition label", but per article and from the text alone.
Criteria, features and thresholds are data (scoring/lexicons/quality_criteria.tsv, written by
benchmarks/derive_quality_thresholds.py from the reliable outlets of the training corpus). A criterion's
verdict is the worst verdict of its `gate` rows; a `mitigates` row upgrades a partial to pass when its
feature is above its threshold (e.g. "reportedly" flags claims resting on unnamed sources as unverified).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from scoring.features.base import Span

CRITERIA_FILE = Path(str(resources.files("scoring").joinpath("lexicons", "quality_criteria.tsv")))
VERDICTS = ("pass", "partial", "fail")  # best to worst


class CriterionRule(NamedTuple):
    """One row of quality_criteria.tsv: a feature's thresholds within a criterion."""

    criterion: str
    title: str
    feature: str
    higher_is_better: bool
    role: str  # "gate" or "mitigates"
    pass_at: float
    fail_at: float
    pass_quantile: float
    fail_quantile: float
    evidence: str  # comma-separated span kinds, "kind" or "kind:label-prefix"


@dataclass(frozen=True)
class Criterion:
    """One criterion of the label: its verdict, the numbers behind it and the evidence spans."""

    name: str
    title: str
    verdict: str
    numbers: dict[str, float]
    reasons: tuple[str, ...]
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "verdict": self.verdict, "numbers": self.numbers,
                "reasons": list(self.reasons), "evidence": [s.to_dict() for s in self.evidence]}


def _parse_row(line: str) -> CriterionRule:
    f = line.split("\t")
    return CriterionRule(f[0], f[1], f[2], f[3] == "True", f[4], float(f[5]), float(f[6]), float(f[7]),
                         float(f[8]), f[9] if len(f) > 9 else "")


def load_rules(path: Path = CRITERIA_FILE) -> list[CriterionRule]:
    """The rows of the criteria file (comments and the header skipped), in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [x for x in lines if x.strip() and not x.startswith("#")]
    return [_parse_row(x) for x in rows if not x.startswith("criterion\t")]


@lru_cache(maxsize=1)
def _rules() -> tuple[CriterionRule, ...]:
    return tuple(load_rules())


def feature_verdict(value: float, rule: CriterionRule) -> str:
    """pass / partial / fail of one feature value against one rule's thresholds."""
    if rule.higher_is_better:
        return "pass" if value >= rule.pass_at else ("fail" if value <= rule.fail_at else "partial")
    return "pass" if value <= rule.pass_at else ("fail" if value > rule.fail_at else "partial")


def _reason(value: float, rule: CriterionRule, verdict: str) -> str:
    side, fail_side = (">=", "<=") if rule.higher_is_better else ("<=", ">")
    return (f"{rule.feature} {value:.3g}: {verdict} (pass {side} {rule.pass_at:g}, the reliable outlets' "
            f"{round(100 * rule.pass_quantile)}th percentile; fail {fail_side} {rule.fail_at:g}, their "
            f"{round(100 * rule.fail_quantile)}th)")


def evidence_spans(spans: list[Span], kinds: str) -> list[Span]:
    """The spans matching any of the comma-separated `kind` or `kind:label-prefix` selectors."""
    selectors = [k.split(":", 1) for k in kinds.split(",") if k]
    return [s for s in spans
            if any(s.kind == sel[0] and (len(sel) == 1 or s.label.startswith(sel[1])) for sel in selectors)]


def judge(rules: list[CriterionRule], values: dict[str, float], spans: list[Span]) -> Criterion:
    """The criterion that `rules` (all rows of one criterion) describe, judged on these values and spans."""
    gates = [r for r in rules if r.role == "gate"]
    verdicts = {r.feature: feature_verdict(float(values.get(r.feature, 0.0)), r) for r in gates}
    verdict = max(verdicts.values(), key=VERDICTS.index) if verdicts else "pass"
    reasons = [_reason(float(values.get(r.feature, 0.0)), r, verdicts[r.feature]) for r in gates]
    for r in rules:
        if r.role != "mitigates":
            continue
        value = float(values.get(r.feature, 0.0))
        lifts = value > r.pass_at
        if verdict == "partial" and lifts:
            verdict = "pass"
        reasons.append(f"{r.feature} {value:.3g}: {'above' if lifts else 'not above'} {r.pass_at:g} "
                       f"(lifts partial to pass)")
    kinds = ",".join(r.evidence for r in rules if r.evidence)
    numbers = {r.feature: round(float(values.get(r.feature, 0.0)), 4) for r in rules}
    return Criterion(rules[0].criterion, rules[0].title, verdict, numbers, tuple(reasons),
                     evidence_spans(spans, kinds))


def quality_label(values: dict[str, float], spans: list[Span]) -> list[Criterion]:
    """The article's label: one `Criterion` per criterion of quality_criteria.tsv, in file order."""
    grouped: dict[str, list[CriterionRule]] = {}
    for rule in _rules():
        grouped.setdefault(rule.criterion, []).append(rule)
    return [judge(rules, values, spans) for rules in grouped.values()]


def quality_column_names() -> list[str]:
    """The `label_*` column names, one per criterion, in file order."""
    return [f"label_{name}" for name in dict.fromkeys(rule.criterion for rule in _rules())]


def quality_columns(values: dict[str, float]) -> dict[str, str]:
    """One scores column per criterion, e.g. {"label_named_sources": "pass"}."""
    return {f"label_{c.name}": c.verdict for c in quality_label(values, [])}
