"""Where the files shipped inside the package live: the one place that knows the package's data layout.

The repository keeps the default model in the top-level `models/` and the report notebook in `notebooks/`;
pyproject.toml installs both inside the package (`scoring.models`, `scoring.notebooks`), so wheel and
editable installs find them through importlib.resources alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODELS_PACKAGE = "scoring.models"
NOTEBOOKS_PACKAGE = "scoring.notebooks"
DEFAULT_MODEL_FILE = "default.json"  # the scorecard model; its card is default.md beside it
REPORT_NOTEBOOK_FILE = "report.ipynb"


def packaged_file(package: str, name: str) -> Path:
    """The file NAME shipped in PACKAGE, as a filesystem path (joblib and nbformat read paths)."""
    return Path(str(resources.files(package).joinpath(name)))


def shipped_model_path() -> Path:
    """The default reporting-style model shipped with the package (its card sits beside it, .md/.json)."""
    return packaged_file(MODELS_PACKAGE, DEFAULT_MODEL_FILE)


def report_notebook_path() -> Path:
    """The notebook `newsscore report` executes."""
    return packaged_file(NOTEBOOKS_PACKAGE, REPORT_NOTEBOOK_FILE)


__all__ = ["packaged_file", "report_notebook_path", "shipped_model_path"]
