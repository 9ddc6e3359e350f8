"""The one settings file: every threshold parses, is used by the code, and a custom file can be read."""

from __future__ import annotations

import re
from pathlib import Path

from scoring.settings import SETTINGS, load_settings, parse_value

ROOT = Path(__file__).resolve().parents[1]


def test_values_parse_to_ints_floats_and_tuples() -> None:
    assert parse_value("3") == 3 and isinstance(parse_value("3"), int)
    assert parse_value("0.30") == 0.3
    assert parse_value("0.05, 0.95") == (0.05, 0.95)
    assert SETTINGS.label.fail_below == 1 / 3  # the boundary is exact


def test_every_setting_is_read_by_the_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "scoring").rglob("*.py"))
    for section, values in vars(SETTINGS).items():
        for key in vars(values):
            assert re.search(rf"\.{key}\b", code), f"[{section}] {key} is read nowhere"


def test_a_custom_settings_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.cfg"
    path.write_text("# a comment\n[segment]\n# why\nlength_low = 50\n", encoding="utf-8")
    assert load_settings(path).segment.length_low == 50
