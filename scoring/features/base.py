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


def per_1k_words(count: int, words: int) -> float:
    """A count as a rate per 1,000 words; 0.0 when there are no words (never NaN)."""
    return 1000.0 * count / words if words else 0.0


def share(part: float, whole: float) -> float:
    """part / whole in [0, 1]; 0.0 when the whole is empty."""
    return min(1.0, max(0.0, part / whole)) if whole else 0.0


__all__ = ["Document", "FeatureFamily", "FeatureRecord", "Span", "per_1k_words", "share"]
