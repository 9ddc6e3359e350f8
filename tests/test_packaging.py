"""The package carries everything it reads: a wheel installed in a fresh venv scores the seeds from another
folder; shipped files resolve through importlib.resources (declared imports: tests/test_hostile_inputs.py)."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from scoring.model import default_model_path
from scoring.resources import DEFAULT_MODEL_FILE, report_notebook_path, shipped_model_path

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_shipped_model_card_and_report_notebook_resolve_to_the_repository_files() -> None:
    model = shipped_model_path()
    assert model.is_file() and model.samefile(ROOT / "models" / DEFAULT_MODEL_FILE)
    assert model.with_suffix(".md").is_file()  # the card
    assert report_notebook_path().samefile(ROOT / "notebooks" / "report.ipynb")


def test_default_model_path_is_the_shipped_file_unless_the_environment_names_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NEWSSCORE_MODEL", raising=False)
    assert default_model_path() == shipped_model_path()
    monkeypatch.setenv("NEWSSCORE_MODEL", str(tmp_path / "other.joblib"))
    assert default_model_path() == tmp_path / "other.joblib"


def test_every_data_file_in_the_package_folders_is_package_data() -> None:
    """Each non-Python file under scoring/ (and the mapped models/, notebooks/ files the code reads) is
    matched by the package-data patterns of the deepest listed package that holds it."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    folders = {package: ROOT / setuptools["package-dir"].get(package, package.replace(".", "/"))
               for package in setuptools["packages"]}
    files = [p for p in (ROOT / "scoring").rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    files += [ROOT / "models" / DEFAULT_MODEL_FILE, ROOT / "models" / "default.md",
              ROOT / "notebooks" / "report.ipynb"]
    unshipped = []
    for path in files:
        package = max((name for name, folder in folders.items() if path.is_relative_to(folder)),
                      key=lambda name: len(folders[name].parts))
        relative = path.relative_to(folders[package]).as_posix()
        patterns = setuptools["package-data"].get(package, [])
        if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            unshipped.append(f"{package}: {relative}")
    assert not unshipped, f"not in [tool.setuptools.package-data]: {unshipped}"


PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
# where scoring and its model load from, and whether setuptools' editable finder is on the import path
PROBE = ("import sys, scoring, scoring.models; from scoring.model import default_model_path; "
         "print(scoring.__file__); print(default_model_path()); "
         "print(any('editable' in repr(f).lower() for f in sys.meta_path))")


@pytest.mark.slow  # the wheel test's companion
def test_the_editable_probe_sees_the_editable_finder_of_the_project_venv() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True,
                         cwd=ROOT / "tests").stdout.splitlines()
    assert out[2] == "True"  # so the fresh-venv test's "False" means something


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_scores_the_seeds_from_another_folder(tmp_path: Path) -> None:
    """`pip wheel .`, a new venv that sees the project venv's dependencies through a .pth file (no
    network), the wheel installed without dependencies, then `newsscore score` run outside the repo."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("newsscore-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (f"scoring/models/{DEFAULT_MODEL_FILE}", "scoring/models/default.md",
                    "scoring/notebooks/report.ipynb", "scoring/features/specs.tsv",
                    "scoring/lexicons/criteria.tsv"):
        assert shipped in names, shipped
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", PURELIB], check=True, capture_output=True,
                               text=True).stdout.strip())
    # a plain path line: the project venv's packages become importable, but its .pth files (the editable
    # install's finder among them) are not executed
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "--quiet", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "corpus" / "seeds", elsewhere / "seeds")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "NEWSSCORE_MODEL", "VIRTUAL_ENV")}
    probe = subprocess.run([str(python), "-c", PROBE], check=True, capture_output=True, text=True,
                           cwd=elsewhere, env=env).stdout.splitlines()
    assert Path(probe[0]).is_relative_to(site) and Path(probe[1]).is_relative_to(site), probe
    assert probe[2] == "False", "the editable install's finder was loaded"
    out = elsewhere / "scores.csv"
    result = subprocess.run([str(venv / "bin" / "newsscore"), "score", "seeds", "-o", str(out),
                             "--jobs", "1"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    scores = pd.read_csv(out)
    assert list(scores["status"]) == ["ok"] * 5
    assert scores["score"].between(0, 100).all() and sorted(scores["rank"]) == [1, 2, 3, 4, 5]
    assert "cloudThing" in set(scores["outlet"])  # the seeds' manifest.csv was read as metadata
