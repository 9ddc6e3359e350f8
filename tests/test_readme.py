"""README documents every feature the registry produces, once, in the features table."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from helpers import load_script

from scoring.features import FAMILIES
from scoring.settings import SETTINGS

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
    module = load_script("scripts/model_figures.py")
    assert module.main(["--check"]) == 0, "run python scripts/model_figures.py after `newsscore evaluate`"


def test_readme_applicability_tables_are_generated_from_settings_and_results() -> None:
    module = load_script("scripts/applicability_table.py")
    assert module.main(["--check"]) == 0, "run python scripts/applicability_table.py after changing them"
    # the check reads the thresholds the code uses: a changed setting makes README out of date
    changed = SimpleNamespace(**{**vars(SETTINGS.applicability), "min_body_words": 131})
    readme = README.read_text(encoding="utf-8")
    results = module.json.loads(module.RESULTS.read_text(encoding="utf-8"))
    assert "fewer than 131 body words" in module.rewritten(readme, changed, results)
