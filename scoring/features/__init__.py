"""The one registry of feature extractors. Adding a feature family = one module + one line here."""

from __future__ import annotations

from scoring.features import attribution, boilerplate, language, quotes, readability
from scoring.features.base import Document, FeatureFamily, FeatureRecord, Span

FAMILIES: tuple[FeatureFamily, ...] = (
    FeatureFamily("boilerplate", boilerplate.FEATURE_NAMES, boilerplate.extract),
    FeatureFamily("quotes", quotes.FEATURE_NAMES, quotes.extract),
    FeatureFamily("attribution", attribution.FEATURE_NAMES, attribution.extract),
    FeatureFamily("readability", readability.FEATURE_NAMES, readability.extract),
    FeatureFamily("language", language.FEATURE_NAMES, language.extract),
)


def feature_names() -> list[str]:
    """Every feature name, in the fixed order models expect."""
    return [name for family in FAMILIES for name in family.feature_names]


def family_of(feature: str) -> str:
    """The family a feature name belongs to."""
    for family in FAMILIES:
        if feature in family.feature_names:
            return family.name
    raise KeyError(feature)


def extract(doc: Document) -> FeatureRecord:
    """Run every registered extractor on a document and merge their values and spans."""
    merged = FeatureRecord()
    for family in FAMILIES:
        record = family.extract(doc)
        if set(record.values) != set(family.feature_names):
            raise RuntimeError(
                f"extractor {family.name} returned {sorted(record.values)}, "
                f"expected {sorted(family.feature_names)}"
            )
        merged.values.update(record.values)
        merged.spans.extend(record.spans)
    return merged


__all__ = ["FAMILIES", "Document", "FeatureRecord", "Span", "extract", "family_of", "feature_names"]
