"""README documents every feature the registry produces, once, in the features table."""

from __future__ import annotations

import re
from pathlib import Path

from scoring.features import FAMILIES

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_feature_is_in_the_readme_table_with_its_family() -> None:
    rows = re.findall(r"^\| (\w+) \| `(\w+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    documented = {feature: family for family, feature in rows}
    assert len(rows) == len(documented), "a feature is documented twice"
    expected = {name: family.name for family in FAMILIES for name in family.feature_names}
    assert documented == expected


def test_readme_has_exactly_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Set-up: two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]


def test_readme_model_figures_are_generated_from_the_evaluation_results() -> None:
    import importlib.util

    path = README.parent / "scripts" / "model_figures.py"
    spec = importlib.util.spec_from_file_location("model_figures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run python scripts/model_figures.py after `newsscore evaluate`"
