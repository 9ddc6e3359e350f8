"""`make demo`'s inputs: the seeds' manifest is read as metadata, the bundled four-outlet sample is what
corpus/README.md says, the comparison has at least three named outlets with intervals, and the ranking
table stays inside 80 columns."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import load_script

from scoring.cli import main
from scoring.compare import compare_outlets
from scoring.ingest import iter_articles, read_manifest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
SAMPLE = ROOT / "corpus" / "sample" / "articles.jsonl"
ALLSIDES = Path("data") / "allsides-mbfc" / "articles.jsonl.gz"
# the shared data beside the repository (where benchmarks/ look), or beside the clones' folder
SHARED_CANDIDATES = (Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared")),
                     ROOT.parents[1] / "shared")
SHARED = next((base / ALLSIDES for base in SHARED_CANDIDATES if (base / ALLSIDES).exists()), ROOT / ALLSIDES)


def test_the_seeds_manifest_gives_metadata_and_is_not_an_article() -> None:
    articles = list(iter_articles([SEEDS]))
    assert [Path(a.source).suffix for a in articles] == [".txt"] * 5
    by_file = {Path(a.source).name: a for a in articles}
    assert by_file["004_a74bc72940f21413.txt"].outlet == "cloudThing"
    assert by_file["004_a74bc72940f21413.txt"].published == "2021-06-20"
    assert by_file["000_25ad51b8fa8ac693.txt"].title.startswith("NATO Condemns Russian Cyberattacks")
    assert by_file["003_14a455beeb8bbcba.txt"].outlet == "unknown"  # the page names no publisher


def test_a_manifest_fills_only_what_an_article_lacks_and_a_bad_one_is_an_error_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Officials said the bridge would reopen on Monday.", encoding="utf-8")
    rows = [{"text": "The council voted 7-2, the mayor said.", "outlet": "Own Outlet"},
            {"text": "Police said two people were hurt.", "url": "https://www.example.co.uk/x"}]
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "# comment line\nfile,outlet,url,title\na.txt,https://www.bbc.co.uk,,Bridge\n"
        "b.jsonl,Manifest Outlet,https://m.org/y,From manifest\n", encoding="utf-8")
    found = {a.source: a for a in iter_articles([tmp_path])}
    a = found[str(tmp_path / "a.txt")]
    assert (a.outlet, a.title) == ("bbc.co.uk", "Bridge")
    own, by_url = found[f"{tmp_path / 'b.jsonl'}#1"], found[f"{tmp_path / 'b.jsonl'}#2"]
    assert (own.outlet, own.title, own.url) == ("Own Outlet", "From manifest", "https://m.org/y")
    assert (by_url.outlet, by_url.url) == ("example.co.uk", "https://www.example.co.uk/x")
    nested = tmp_path / "nested"
    nested.mkdir()
    (nested / "manifest.csv").write_text("name,outlet\nx.txt,Y\n", encoding="utf-8")
    (nested / "x.txt").write_text("The minister said the plan was ready.", encoding="utf-8")
    records = list(iter_articles([nested]))
    assert [r.status for r in records] == ["error", "ok"]
    assert "manifest" in records[0].error and "'file' column" in records[0].error
    assert records[1].outlet == "unknown"


def test_a_ragged_or_binary_manifest_never_stops_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The minister said the plan was ready.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("outlet,file\nOnly an outlet\nX,a.txt\n", encoding="utf-8")
    assert [a.outlet for a in iter_articles([tmp_path])] == ["X"]
    (tmp_path / "manifest.csv").write_bytes(b"\xff\xfe\x00\x01" * 100)
    records = list(iter_articles([tmp_path]))
    assert [r.status for r in records] == ["error", "ok"] and "unreadable manifest" in records[0].error


def test_manifest_paths_are_relative_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,outlet\nsub/a.txt,Z\n", encoding="utf-8")
    assert read_manifest(tmp_path / "manifest.csv") == {
        os.path.abspath(tmp_path / "sub" / "a.txt"): {"outlet": "Z", "url": "", "title": "", "published": ""}}


def test_the_sample_is_ten_articles_of_four_outlets_none_in_the_training_corpus() -> None:
    sample = pd.read_json(SAMPLE, lines=True, dtype=False)
    outlets = ("npr.org", "csmonitor.com", "thehill.com", "theblaze.com")
    assert sample["outlet"].value_counts().to_dict() == dict.fromkeys(outlets, 10)
    assert sample["id"].is_unique and (sample["text"].str.split().str.len() >= 150).all()
    training = pd.read_parquet(ROOT / "corpus" / "training" / "articles.parquet", columns=["text", "url"])
    assert not set(sample["url"]) & set(training["url"])
    assert not set(sample["text"].str[:300]) & set(training["text"].str[:300])
    readme = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "ced8111" in readme and "Apache-2.0" in readme and "build_sample.py" in readme


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data is not beside the repository")
def test_the_sample_is_what_its_build_script_makes_from_the_shared_data() -> None:
    module = load_script("corpus/sample/build_sample.py")
    rebuilt = module.sample(SHARED)
    assert rebuilt == [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    with gzip.open(SHARED, "rt", encoding="utf-8") as handle:
        source = {r["id"]: r for r in map(json.loads, handle)}
    assert all(source[r["id"]]["text"] == r["text"] for r in rebuilt)  # texts copied unchanged


def test_demo_comparison_has_three_named_outlets_with_intervals(tmp_path: Path) -> None:
    out = tmp_path / "demo.csv"
    CliRunner().invoke(main, ["score", str(SEEDS), str(SAMPLE), "-o", str(out), "--quiet", "--jobs", "1"],
                       catch_exceptions=False)
    table = compare_outlets(pd.read_csv(out), min_articles=5)
    named = table[(table["outlet"] != "unknown") & ~table["too_few_articles"]]
    assert len(named) >= 3
    assert (named["score_ci_low"] < named["score_mean"]).all()
    assert (named["score_mean"] < named["score_ci_high"]).all()


def is_rank_and_score(cells: list[str]) -> bool:
    try:
        return int(cells[0]) > 0 and 0 <= float(cells[1]) <= 100
    except ValueError:
        return False


def test_ranking_table_fits_80_columns(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(SEEDS), str(SAMPLE), "-o", str(tmp_path / "s.csv"),
                                       "--jobs", "1", "--top", "45"], env={"COLUMNS": "80"},
                                catch_exceptions=False)
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    ranked = [cells for cells in map(str.split, lines) if len(cells) > 3 and is_rank_and_score(cells[:2])]
    assert [int(cells[0]) for cells in ranked] == list(range(1, 46))  # every article on its own row
    assert {"npr.org", "csmonitor.com", "thehill.com", "theblaze.com", "cloudThing"} <= {c[2] for c in ranked}
    assert len(lines) <= 45 * 2 + 8  # at most two lines per article


@pytest.mark.slow
def test_demo_report_compares_the_named_outlets(tmp_path: Path) -> None:
    from scoring.report import run_report

    scores = tmp_path / "demo.csv"
    CliRunner().invoke(main, ["score", str(SEEDS), str(SAMPLE), "-o", str(scores), "--quiet", "--jobs", "1"],
                       catch_exceptions=False)
    page = Path(run_report(scores, tmp_path / "report.html")).read_text(encoding="utf-8")
    shown = pd.read_html(io.StringIO(page), match="too_few_articles")[0]
    compared = shown[~shown["too_few_articles"]]
    assert set(compared["outlet"]) == {"npr.org", "csmonitor.com", "thehill.com", "theblaze.com"}
    assert (compared["score_ci_low"] < compared["score_ci_high"]).all()
