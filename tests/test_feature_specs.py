"""Every registered feature has one spec record (scoring/features/specs.tsv); README's table is generated
from the records; explain writes values in the spec's unit; the seeds' values lie in the stated ranges."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from helpers import load_script

from scoring.explain import value_with_unit
from scoring.features import FAMILIES, FeatureSpec, feature_names, feature_specs
from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path
from scoring.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"


def feature_table_script():
    return load_script("scripts/feature_table.py")


def test_every_registered_feature_has_exactly_one_spec_of_its_family() -> None:
    specs = feature_specs()
    missing = [name for name in feature_names() if name not in specs]
    assert not missing, f"add a record to scoring/features/specs.tsv for: {missing}"
    assert sorted(specs) == sorted(feature_names()), "a spec names a feature the registry does not have"
    for family in FAMILIES:
        for name in family.feature_names:
            assert specs[name].family == family.name, name
            assert specs[name].meaning, name


def test_readme_feature_table_is_generated_from_the_specs() -> None:
    script = feature_table_script()
    assert script.main(["--check"]) == 0, "run: python scripts/feature_table.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, spec in feature_specs().items():
        assert f"| `{name}` | {spec.meaning} | {spec.unit} | {spec.range} |" in readme


def test_check_fails_when_readme_and_registry_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = feature_table_script()
    stale = tmp_path / "README.md"
    stale.write_text((ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert script.main(["--check", "--readme", str(stale)]) == 0
    specs = dict(feature_specs())
    specs["quote_count"] = dataclasses.replace(specs["quote_count"], meaning="something else")
    monkeypatch.setattr(script, "feature_specs", lambda: specs)
    assert script.main(["--check", "--readme", str(stale)]) == 1
    del specs["quote_count"]
    with pytest.raises(KeyError, match="quote_count"):
        script.feature_table()


def test_direction_is_the_way_the_shipped_scorecard_moves() -> None:
    model = ReportingStyleModel.load(default_model_path())
    anchors = {f["name"]: (f["worst"], f["best"], c["max_points"])
               for c in model.criteria for f in c["features"]}
    for name, spec in feature_specs().items():
        if name not in anchors:
            assert spec.direction == "", f"{name} is not a model input: its direction must be empty"
            continue
        worst, best, points = anchors[name]
        expected = "none" if points <= 0 else "raises" if best > worst else "lowers"
        assert spec.direction == expected, (
            f"{name}: worst {worst}, best {best}, {points} points; spec {spec.direction}; "
            "run python scripts/feature_table.py --update-directions")


def test_update_directions_rewrites_only_the_direction_field() -> None:
    script = feature_table_script()
    text = (ROOT / "scoring" / "features" / "specs.tsv").read_text(encoding="utf-8")
    directions = script.model_directions()
    assert script.with_directions(text, directions) == text  # the shipped file is current
    flipped = script.with_directions(text, {**directions, "quotes_per_1k_words": "lowers"})
    assert directions["quotes_per_1k_words"] == "raises"
    changed = [(a, b) for a, b in zip(text.splitlines(), flipped.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].split("\t")[:5] == [
        "quotes_per_1k_words", "quotes", "per 1k words", "≥ 0", "lowers"]


def test_explain_writes_values_in_the_spec_unit() -> None:
    assert value_with_unit("quotes_per_1k_words", 12.34) == "12.3 per 1k words"
    assert value_with_unit("named_source_share", 0.375) == "38%"
    assert value_with_unit("type_token_ratio", 0.5123) == "0.512"  # a ratio, not a share
    assert value_with_unit("body_word_count", 449.0) == "449"
    assert value_with_unit("not_registered_share", 0.5) == "0.5"  # no spec: no guessing from the name


def test_seed_feature_values_lie_in_the_stated_ranges() -> None:
    specs = feature_specs()
    for article in iter_articles([SEEDS]):
        values = analyse(article).features.values
        for name, value in values.items():
            low, high = specs[name].bounds()
            assert math.isfinite(value) and low <= value <= high, (article.source, name, value)


def test_a_bad_spec_record_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        FeatureSpec("x", "quotes", "furlongs", "≥ 0", "", "x")
    with pytest.raises(ValueError, match="direction"):
        FeatureSpec("x", "quotes", "count", "≥ 0", "up", "x")
    assert FeatureSpec("x", "readability", "index", "−100–121.22", "", "x").bounds() == (-100.0, 121.22)
