"""The one registry of feature extractors. Adding a feature family = one module + one line here, and one
record per feature in specs.tsv (meaning, unit, range, direction; tests/test_feature_specs.py checks)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from scoring.features import attribution, boilerplate, language, quotes, readability
from scoring.features.base import Document, FeatureFamily, FeatureRecord, FeatureSpec, Span

SPECS_FILE = "specs.tsv"

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


@cache
def feature_specs() -> dict[str, FeatureSpec]:
    """Feature name -> its spec, in file order, from scoring/features/specs.tsv (`#` lines are comments)."""
    text = resources.files("scoring.features").joinpath(SPECS_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    specs: dict[str, FeatureSpec] = {}
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ValueError(f"{SPECS_FILE}: record {number} has {len(cells)} fields, expected {len(header)}")
        spec = FeatureSpec(**dict(zip(header, (cell.strip() for cell in cells), strict=True)))
        if spec.name in specs:
            raise ValueError(f"{SPECS_FILE}: feature {spec.name} has two records")
        specs[spec.name] = spec
    return specs


def spec_of(feature: str) -> FeatureSpec | None:
    """The spec of a feature, or None for a name the spec file does not list."""
    return feature_specs().get(feature)


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


__all__ = ["FAMILIES", "Document", "FeatureRecord", "FeatureSpec", "Span", "extract", "family_of",
           "feature_names", "feature_specs", "spec_of"]
