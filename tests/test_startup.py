"""Start-up stays cheap: importing the CLI (what `newsscore --help` runs) or the package loads none of the
heavy libraries; they load in the commands that use them. Checked on sys.modules in a fresh interpreter,
not timed (timings are benchmarks/speed.py's job)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "sklearn", "scipy", "nltk", "pyarrow", "duckdb", "trafilatura", "lxml", "numpy", "joblib")


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules present in sys.modules after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["scoring", "scoring.cli", "scoring.ingest", "scoring.records"])
def test_importing_loads_no_heavy_library(module: str) -> None:
    assert loaded_after(f"import {module}") == []


def test_help_loads_no_heavy_library() -> None:
    code = ("import sys\nfrom scoring.cli import main\nsys.argv = ['newsscore', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert loaded_after(code) == []


def test_the_heavy_libraries_are_there_when_a_command_needs_them(tmp_path) -> None:
    # the checks above can fail: reading a scores table loads pandas, a parquet output pyarrow
    table = tmp_path / "scores.csv"
    table.write_text("id,score\n1,50\n", encoding="utf-8")
    assert "pandas" in loaded_after(f"from scoring.outputs import read_table\nread_table({str(table)!r})")
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Monday that the plan would go ahead.\n", encoding="utf-8")
    code = (f"from scoring.batch import run_batch\n"
            f"run_batch([{str(article)!r}], {str(tmp_path / 'out.parquet')!r}, progress=False)")
    assert "pyarrow" in loaded_after(code)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_scoring_into_a_text_file_loads_neither_pandas_nor_pyarrow(tmp_path, suffix: str) -> None:
    """Their imports (~0.45 s) were serial start-up of every `score` run (before `--jobs N` forks, too)."""
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Monday that the plan would go ahead.\n", encoding="utf-8")
    output = tmp_path / f"out{suffix}"
    code = f"from scoring.batch import run_batch\nrun_batch([{str(article)!r}], {str(output)!r})"
    loaded = loaded_after(code)
    assert output.exists()
    assert "pandas" not in loaded and "pyarrow" not in loaded


def test_shipped_stop_words_equal_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from scoring.segment import stop_words

    assert stop_words() == frozenset(ENGLISH_STOP_WORDS)
