"""What every feature extractor takes and returns: a segmented document in, numbers and spans out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scoring.segment import Document


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: characters [start, end) of the article's raw text, of a kind (e.g. `quote`,
    `hedge`, `boilerplate`) with an optional label (e.g. the speaker, the boilerplate category)."""

    start: int
    end: int
    kind: str
    label: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "kind": self.kind, "label": self.label}


@dataclass(slots=True)
class FeatureRecord:
    """Named numeric values plus the spans of text that produced them."""

    values: dict[str, float] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeatureFamily:
    """A feature family as registered: its name, the feature names it always returns (in order),
    and the pure function from a segmented document to a `FeatureRecord`."""

    name: str
    feature_names: tuple[str, ...]
    extract: Callable[[Document], FeatureRecord]


UNITS = ("share", "per 1k words", "count", "words", "blocks", "index", "grade", "chars", "ratio")
DIRECTIONS = ("raises", "lowers", "none", "")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """What one registered feature means: its family, unit, range, and which way the shipped score moves
    as it rises (raises / lowers / none; "" when the model does not take it). Records: features/specs.tsv."""

    name: str
    family: str
    unit: str
    range: str
    direction: str
    meaning: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"feature spec {self.name}: unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"feature spec {self.name}: direction {self.direction!r} is not one of "
                             f"raises, lowers, none or empty")

    def bounds(self) -> tuple[float, float]:
        """The range as numbers: '0–1' -> (0, 1), '≥ 0' -> (0, inf), '−100–121.22' -> (-100, 121.22)."""
        text = self.range.replace("−", "-").replace(" ", "")
        if text.startswith("≥"):
            return float(text[1:]), float("inf")
        low, _, high = text[1:].partition("–")
        return float(text[0] + low), float(high)

    def format_value(self, value: float) -> str:
        """The value written in its unit: '12.3 per 1k words', a share as '37%', else 3 significant digits."""
        if self.unit == "per 1k words":
            return f"{value:.1f} per 1k words"
        if self.unit == "share":
            return f"{100 * value:.0f}%"
        return f"{value:.3g}"


def per_1k_words(count: int, words: int) -> float:
    """A count as a rate per 1,000 words; 0.0 when there are no words (never NaN)."""
    return 1000.0 * count / words if words else 0.0


def share(part: float, whole: float) -> float:
    """part / whole in [0, 1]; 0.0 when the whole is empty."""
    return min(1.0, max(0.0, part / whole)) if whole else 0.0


__all__ = ["DIRECTIONS", "UNITS", "Document", "FeatureFamily", "FeatureRecord", "FeatureSpec", "Span",
           "per_1k_words", "share"]
