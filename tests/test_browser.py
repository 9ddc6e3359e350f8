"""The explain HTML in a real headless browser (Debian's chromium, installed by .ci/install-browser): the
rendered DOM holds the legend and every highlighted span."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scoring.html_explain import render_explanation_html
from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path
from scoring.pipeline import analyse

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "001_948b233b706f7776.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (bash .ci/install-browser installs Debian's chromium)"
)]


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM after chromium has loaded and rendered `page` (offline; no sandbox: CI runs as root)."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--dump-dom", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_chromium_renders_the_legend_and_every_highlighted_span(tmp_path: Path) -> None:
    analysis = analyse(next(iter(iter_articles([SEED]))))
    spans = analysis.features.spans
    page = tmp_path / "explain.html"
    page.write_text(render_explanation_html(analysis, ReportingStyleModel.load(default_model_path())),
                    encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert '<section class="legend">' in dom
    legend = re.findall(r'<li class="legend-item" data-kind="([^"]+)">', dom)
    assert sorted(legend) == sorted({s.kind for s in spans})
    rendered = re.findall(r'<span class="ev [^"]*" data-span="(\d+)" data-kind="([^"]+)" '
                          r'data-start="(\d+)" data-end="(\d+)"', dom)
    assert {(int(n), k, int(s), int(e)) for n, k, s, e in rendered} == {
        (n, s.kind, s.start, s.end) for n, s in enumerate(spans)}
    assert len(re.findall(r'<rect class="bar"', dom)) > 0
    assert "Reporting-style score:" in dom
