"""The applicability check: a tweet, a Russian paragraph or a Python file is flagged with a named reason that
reaches every output (CSV, JSONL, Parquet, DuckDB, the ranking, explain, compare, report, the API), while
the seeds, the demo sample and real news are not flagged and keep their scores."""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import SEED_PATHS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring
from scoring.applicability import (
    NOT_ENGLISH,
    NOT_PROSE,
    REASONS,
    TOO_SHORT,
    check,
    is_flagged,
    warning_codes,
    warnings_cell,
)
from scoring.batch import run_batch
from scoring.cli import main
from scoring.compare import compare_outlets, statistics_rows, unchecked_count
from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path
from scoring.outputs import read_table
from scoring.pipeline import analyse
from scoring.records import Article, content_id
from scoring.segment import segment
from scoring.settings import SETTINGS
from scoring.store import ScoreStore, read_store
from scoring.text import WORD_RE

ROOT = Path(__file__).resolve().parents[1]
LIMITS = SETTINGS.applicability
TWEET = "Hello world. This is great.\n"
# a news paragraph in Russian (written for this test): 21 words, Cyrillic
RUSSIAN = ("Президент России Владимир Путин в среду провёл совещание с членами правительства, на котором "
           "обсуждались меры поддержки экономики и рост цен на продукты.\n")
RUSSIAN_ARTICLE = "\n\n".join(
    f"{RUSSIAN.strip()} По данным Росстата, за {n} месяцев цены выросли на {n + 3} процента, а министр "
    f"финансов заявил журналистам, что правительство подготовит новые меры до конца года." for n in range(8))


def python_source() -> str:
    """300 words of real Python code: the standard library's argparse, from its HelpFormatter class on."""
    source = inspect.getsource(argparse)
    start = source.index("class HelpFormatter")
    ends = [m.end() for m in WORD_RE.finditer(source, start)]
    return source[start:ends[299]] + "\n"


def codes(text: str) -> list[str]:
    return [w.code for w in check(segment(Article(id=content_id(text), source="t", text=text)))]


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def three_inputs(tmp_path_factory) -> Path:
    """The three inputs of the defect: a tweet, a Russian paragraph, a Python source file (as .txt)."""
    folder = tmp_path_factory.mktemp("odd")
    (folder / "a.txt").write_text(TWEET, encoding="utf-8")
    (folder / "b.txt").write_text(RUSSIAN, encoding="utf-8")
    (folder / "c.txt").write_text(python_source(), encoding="utf-8")
    return folder


def test_the_three_inputs_of_the_defect_are_flagged_with_their_reasons() -> None:
    assert codes(TWEET) == [TOO_SHORT]
    assert NOT_ENGLISH in codes(RUSSIAN) and TOO_SHORT in codes(RUSSIAN)
    assert codes(RUSSIAN_ARTICLE) == [NOT_ENGLISH]  # long enough: only the language is the matter
    assert NOT_PROSE in codes(python_source())


def test_messages_say_plainly_what_is_wrong_and_what_the_score_needs() -> None:
    (warning,) = check(segment(Article(id="t", source="t", text=TWEET)))
    assert warning.message == (f"too short to judge: 5 body words; the score needs at least "
                               f"{LIMITS.min_body_words}")
    cell = warnings_cell(check(segment(Article(id="r", source="r", text=RUSSIAN))))
    assert warning_codes(cell) == [TOO_SHORT, NOT_ENGLISH]
    assert "0 body words (22 on the page, the rest read as boilerplate)" in cell and "Latin script" in cell


def test_the_seeds_and_the_demo_sample_are_not_flagged() -> None:
    articles = list(iter_articles([str(ROOT / "corpus" / "seeds"), str(ROOT / "corpus" / "sample" /
                                                                       "articles.jsonl")]))
    assert len(articles) == 45
    flagged = {a.source: analyse(a).warnings for a in articles if analyse(a).warnings}
    assert flagged == {}


def test_real_english_news_is_not_flagged() -> None:
    """The training corpus's English news (2,894 articles of six data sets): not_english and not_prose
    flag at most 0.5% of them (benchmarks/applicability.py measures every shared data set)."""
    corpus = pd.read_parquet(ROOT / "corpus" / "training" / "articles.parquet", columns=["text"])
    sample = corpus["text"].sample(400, random_state=0)
    found = [codes(text) for text in sample]
    assert sum(NOT_ENGLISH in c for c in found) <= 2
    assert sum(NOT_PROSE in c for c in found) <= 2


def test_flagged_articles_keep_their_features_and_unflagged_scores_are_unchanged() -> None:
    model = ReportingStyleModel.load(default_model_path())
    for path in SEED_PATHS:
        text = path.read_text(encoding="utf-8")
        result = scoring.score_text(text)
        assert result.warnings == () and result.applicable and not result.score_withheld
        features = analyse(Article(id=content_id(text), source="s", text=text)).features.values
        assert result.score == pytest.approx(float(model.score([features])[0]), abs=0)
    tweet = scoring.score_text(TWEET)
    assert tweet.score is None and tweet.score_withheld and tweet.reasons == ()
    assert tweet.features["body_word_count"] == 5 and len(tweet.label) > 0  # the facts are still given
    russian = scoring.score_text(RUSSIAN_ARTICLE)
    assert [w.code for w in russian.warnings] == [NOT_ENGLISH] and russian.score is not None
    assert "warnings=['not_english']" in repr(russian)


def test_the_csv_output_the_ranking_and_the_summary(three_inputs: Path, tmp_path: Path) -> None:
    seeds = [str(p) for p in SEED_PATHS]
    out = tmp_path / "o.csv"
    result = cli("score", *seeds, str(three_inputs / "a.txt"), str(three_inputs / "b.txt"),
                 str(three_inputs / "c.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    table = read_table(out).set_index(read_table(out)["source"].map(lambda s: Path(s).name))
    assert set(table["status"]) == {"ok"}  # the articles were read: status stays ok
    assert warning_codes(table.at["a.txt", "warnings"]) == [TOO_SHORT]
    assert NOT_ENGLISH in warning_codes(table.at["b.txt", "warnings"])
    assert NOT_PROSE in warning_codes(table.at["c.txt", "warnings"])
    assert table.loc[["a.txt", "b.txt"], "score"].isna().all()  # too short: the score is withheld
    assert table.loc[["a.txt", "b.txt", "c.txt"], "rank"].isna().all()  # flagged: never ranked
    seed_rows = table.loc[[p.name for p in SEED_PATHS]]
    assert (seed_rows["warnings"] == "").all() and sorted(seed_rows["rank"]) == [1, 2, 3, 4, 5]
    output = " ".join(result.output.split())
    assert "3 articles not ranked: the score does not apply to them" in output
    assert f"a.txt: too_short: too short to judge: 5 body words; the score needs at least " \
           f"{LIMITS.min_body_words}" in output
    assert output.index("not ranked") < output.index("rank score")  # said at the top, before the table
    assert "5 articles ranked (3 not ranked, listed above)" in output


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".duckdb"])
def test_every_output_format_carries_the_warnings(three_inputs: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"o{suffix}"
    run_batch([str(three_inputs), str(SEED_PATHS[0])], out, jobs=1, progress=False,
              model=default_model_path())
    rows = read_store(out) if suffix == ".duckdb" else read_table(out).to_dict("records")
    by_name = {Path(r["source"]).name: r for r in rows}
    assert warning_codes(by_name["a.txt"]["warnings"]) == [TOO_SHORT]
    assert by_name[SEED_PATHS[0].name]["warnings"] == ""
    assert by_name[SEED_PATHS[0].name]["rank"] == 1 and pd.isna(by_name["c.txt"]["rank"])


def test_an_older_store_gets_the_column_and_its_rows_count_as_unchecked(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old_columns = ["id", "source", "outlet", "url", "title", "published", "status", "error", "word_count",
                   "score"]
    store = ScoreStore(path, "features-only", old_columns)  # a store written before the check existed
    store.write([{"id": "kept", "source": "old.txt", "outlet": "o", "url": "", "title": "", "published": "",
                  "status": "ok", "error": "", "word_count": 300, "score": None}], ["old.txt"])
    store.finish(rank=False)
    run_batch([str(SEED_PATHS[1]), TWEET_FILE(tmp_path)], path, jobs=1, progress=False)
    rows = {r["source"]: r for r in read_store(path)}
    assert rows["old.txt"]["warnings"] is None  # not checked: rescoring would check it
    assert rows[str(SEED_PATHS[1])]["warnings"] == ""
    assert unchecked_count(pd.DataFrame(read_store(path))) == 1
    with duckdb.connect(str(path), read_only=True) as con:
        assert "warnings" in {c[0] for c in con.execute("DESCRIBE articles").fetchall()}


def TWEET_FILE(folder: Path) -> str:  # noqa: N802 - reads as the constant it writes
    path = folder / "tweet.txt"
    path.write_text(TWEET, encoding="utf-8")
    return str(path)


def scores_table() -> pd.DataFrame:
    """Two outlets of five seed-like articles, one of them with a flagged tweet scored 100."""
    rows = []
    for outlet, base in (("a.example", 60.0), ("b.example", 70.0)):
        for k in range(5):
            rows.append({"id": f"{outlet}{k}", "source": f"{outlet}/{k}.txt", "outlet": outlet,
                         "status": "ok", "warnings": "", "score": base + k, "quotes_per_1k_words": 5.0})
    rows.append({"id": "tweet", "source": "tweet.txt", "outlet": "a.example", "status": "ok",
                 "warnings": "not_english: not English: 0% of the words are in Latin script",
                 "score": 100.0, "quotes_per_1k_words": 500.0})
    return pd.DataFrame(rows)


def test_compare_leaves_flagged_articles_out_of_outlet_statistics_and_counts_them() -> None:
    table = compare_outlets(scores_table(), n_boot=50).set_index("outlet")
    assert table.at["a.example", "articles"] == 5 and table.at["a.example", "flagged_articles"] == 1
    assert table.at["a.example", "score_mean"] == pytest.approx(62.0)  # the tweet does not move it
    assert table.at["a.example", "quotes_per_1k_words"] == pytest.approx(5.0)
    assert table.at["b.example", "flagged_articles"] == 0
    included = compare_outlets(scores_table(), n_boot=50, include_flagged=True).set_index("outlet")
    assert included.at["a.example", "articles"] == 6
    assert included.at["a.example", "score_mean"] == pytest.approx((60 + 61 + 62 + 63 + 64 + 100) / 6)
    assert len(statistics_rows(scores_table())) == 10


@pytest.mark.parametrize("suffix", [".csv", ".duckdb"])
def test_compare_command_says_how_many_were_left_out(three_inputs: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"s{suffix}"
    assert cli("score", str(three_inputs), *map(str, SEED_PATHS), "-o", str(out), "--quiet").exit_code == 0
    result = cli("compare", str(out))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "3 of 8 articles flagged" in said and "left out of the outlet statistics" in said
    assert "flagged_articles" in result.stdout
    included = cli("compare", str(out), "--include-flagged", "-o", str(tmp_path / "c.csv"))
    assert "included in the outlet statistics" in " ".join(included.stderr.split())
    assert read_table(tmp_path / "c.csv")["articles"].sum() == 8


def test_explain_says_it_at_the_top_in_text_json_and_html(three_inputs: Path, tmp_path: Path) -> None:
    text = cli("explain", str(three_inputs / "a.txt"))
    lines = [line for line in text.output.splitlines() if line.strip()]
    assert lines[1].startswith("warning: too short to judge: 5 body words")  # right under the title rule
    assert "score withheld" in lines[2] and "/ 100" not in text.output  # no number is shown
    as_json = json.loads(cli("explain", "--json", str(three_inputs / "b.txt")).output)
    assert [w["code"] for w in as_json["warnings"]] == [TOO_SHORT, NOT_ENGLISH]
    assert as_json["score"] is None and as_json["score_withheld"] is True
    seed = json.loads(cli("explain", "--json", str(SEED_PATHS[0])).output)
    assert seed["warnings"] == [] and isinstance(seed["score"], float)
    page = tmp_path / "why.html"
    assert cli("explain", str(three_inputs / "c.txt"), "--html", str(page)).exit_code == 0
    html_text = page.read_text(encoding="utf-8")
    assert 'data-warning="not_prose"' in html_text
    assert html_text.index("ns-warning") < html_text.index("Reporting-quality label")


def test_score_frame_exposes_warnings_and_ranks_only_unflagged_rows() -> None:
    frame = pd.DataFrame({"text": [SEED_PATHS[0].read_text(encoding="utf-8"), TWEET, RUSSIAN_ARTICLE,
                                   SEED_PATHS[2].read_text(encoding="utf-8")]})
    scores = scoring.score_frame(frame)
    assert [warning_codes(w) for w in scores["warnings"]] == [[], [TOO_SHORT], [NOT_ENGLISH], []]
    assert scores["rank"].isna().tolist() == [False, True, True, False]
    assert np.isnan(scores.at[1, "score"]) and not np.isnan(scores.at[2, "score"])


WORDS = st.sampled_from("the of and said officials on Tuesday a report council vote 2024 budget “We” "
                        "were told , . ! ? mayor city".split())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60))
def test_any_english_text_shorter_than_the_minimum_is_too_short(words: list[str]) -> None:
    text = " ".join(words)
    document = segment(Article(id=content_id(text), source="h", text=text))
    found = [w.code for w in check(document)]
    assert (TOO_SHORT in found) == (document.body_word_count < LIMITS.min_body_words)
    assert TOO_SHORT in found  # at most 60 words: always too short


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_gets_known_codes_and_a_cell_that_parses_back(text: str) -> None:
    if not text.strip():
        return
    analysis = analyse(Article(id=content_id(text), source="h", text=text))
    if analysis.document is None:
        return
    found = [w.code for w in analysis.warnings]
    assert set(found) <= set(REASONS) and len(found) == len(set(found))
    assert (TOO_SHORT in found) == (analysis.document.body_word_count < LIMITS.min_body_words)
    cell = warnings_cell(analysis.warnings)
    assert warning_codes(cell) == found and is_flagged(cell) == bool(found)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SEED_PATHS) - 1), st.integers(0, 40), st.integers(1, 60))
def test_runs_of_seed_paragraphs_long_enough_to_judge_are_not_flagged(seed: int, start: int,
                                                                      size: int) -> None:
    """Consecutive paragraphs of a seed: once their body is long enough to judge, nothing is flagged."""
    paragraphs = SEED_PATHS[seed].read_text(encoding="utf-8").split("\n")
    text = "\n".join(paragraphs[start:start + size])
    document = segment(Article(id=content_id(text), source="h", text=text))
    if document.body_word_count >= LIMITS.min_body_words:
        assert check(document) == ()


@pytest.mark.slow  # executes the report notebook
def test_report_leaves_flagged_articles_out_and_says_so(three_inputs: Path, tmp_path: Path) -> None:
    from scoring.report import run_report

    scores = tmp_path / "s.csv"
    assert cli("score", str(three_inputs), *map(str, SEED_PATHS), "-o", str(scores), "--quiet").exit_code == 0
    page = run_report(scores, tmp_path / "r.html", timeout=300).read_text(encoding="utf-8")
    assert "Articles the score does not apply to (3, left out of the statistics)" in page
    assert "too short to judge: 5 body words" in page
    included = run_report(scores, tmp_path / "i.html", timeout=300, include_flagged=True)
    included_page = included.read_text(encoding="utf-8")
    assert "(3, included in the statistics)" in included_page
    assert "<b>nan</b>" not in included_page  # a withheld score is never shown as an article's score
