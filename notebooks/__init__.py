"""The report notebook; installed as the package `scoring.notebooks` so `newsscore report` finds it (pyproject.toml)."""
