"""Every threshold of the pipeline, read once from `settings.cfg` into `SETTINGS` (one section per module),
so thresholds live in one data file with their sources instead of as constants spread over modules."""

from __future__ import annotations

from configparser import ConfigParser
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

Value = int | float | tuple[int | float, ...]


def parse_value(text: str) -> Value:
    """`3` -> int, `0.3` -> float, `0.05, 0.95` -> a tuple of those."""
    if "," in text:
        return tuple(parse_value(part) for part in text.split(",") if part.strip())  # type: ignore[misc]
    text = text.strip()
    return float(text) if any(c in text for c in ".eE") else int(text)


def load_settings(path: str | Path | None = None) -> SimpleNamespace:
    """The settings file (`path`, else the packaged settings.cfg) as SETTINGS.section.name values."""
    parser = ConfigParser(inline_comment_prefixes=None)
    if path is None:
        parser.read_string(resources.files("scoring").joinpath("settings.cfg").read_text(encoding="utf-8"))
    else:
        parser.read(path, encoding="utf-8")
    return SimpleNamespace(
        **{
            section: SimpleNamespace(**{key: parse_value(raw) for key, raw in parser.items(section)})
            for section in parser.sections()
        }
    )


SETTINGS = load_settings()

__all__ = ["SETTINGS", "load_settings", "parse_value"]
