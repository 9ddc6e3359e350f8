"""The shipped reporting-style model and its card; installed as the package `scoring.models` (see pyproject.toml)."""
