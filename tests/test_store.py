"""The resumable DuckDB store: per-chunk commits, skips on rerun, survives kill -9, ranks over everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import numpy as np
import pytest
from helpers import seed_variant
from hypothesis import given
from hypothesis import strategies as st

from scoring.batch import chunk_sizes, output_columns, run_batch
from scoring.records import content_id
from scoring.store import ScoreStore, open_sink, ranks_descending, read_store, store_model_versions


def variant(i: int) -> str:
    return seed_variant(i, "Dispatch")


def row(i: int, status: str = "ok", score: float | None = None) -> dict[str, object]:
    """A minimal output row (features left empty)."""
    return {"id": f"id{i:04d}", "source": f"src{i}", "outlet": "o", "url": "", "title": "", "published": "",
            "status": status, "error": "" if status == "ok" else f"src{i}: broken", "word_count": i,
            "score": score}


COLUMNS = ["id", "source", "outlet", "url", "title", "published", "status", "error", "word_count", "score"]


def test_rows_are_committed_per_chunk_and_known_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = ScoreStore(path, "v1", COLUMNS)
    assert store.write([row(1), row(2), row(3, "error")], ["src1", "src2", "src3"]) == 2
    assert store.write([row(2), row(4)], ["src2", "src4"]) == 1  # id2 again: kept once
    store.abort()  # no finish: what was written must already be durable
    again = ScoreStore(path, "v1", COLUMNS)
    asked = [(f"id{i:04d}", f"src{i}") for i in (1, 2, 3, 4, 9)] + [("id0001", "elsewhere")]
    assert again.known_keys(asked) == {("id0001", "src1"), ("id0002", "src2"), ("id0004", "src4")}
    assert ScoreStore(tmp_path / "other.duckdb", "v1", COLUMNS).known_keys([("id0001", "src1")]) == set()
    again.finish(rank=False)
    assert [r["id"] for r in read_store(path)] == ["id0001", "id0002", "id0004"]
    failures = read_store(path, table="failures")
    assert [(f["source"], f["error"]) for f in failures] == [("src3", "src3: broken")]
    assert store_model_versions(path) == {"v1": 3}


def test_known_ids_are_per_model_version(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = ScoreStore(path, "v1", COLUMNS)
    store.write([row(1)], ["src1"])
    store.finish(rank=False)
    other = ScoreStore(path, "v2", COLUMNS)
    assert other.known_keys([("id0001", "src1")]) == set()
    other.abort()


def test_a_store_made_before_a_new_feature_gains_its_column(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    old = ScoreStore(path, "v1", COLUMNS)
    old.write([row(1)], ["src1"])
    old.finish(rank=False)
    newer = ScoreStore(path, "v1", [*COLUMNS, "brand_new_feature"])
    newer.write([{**row(2), "brand_new_feature": "x"}], ["src2"])
    newer.finish(rank=False)
    rows = read_store(path)
    assert [r["brand_new_feature"] for r in rows] == [None, "x"]  # unknown names are text columns


def test_finish_ranks_every_stored_row_of_the_model(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = ScoreStore(path, "v1", COLUMNS)
    store.write([row(1, score=10.0), row(2, score=90.0)], ["src1", "src2"])
    store.write([row(3, score=50.0), row(4, score=90.0), row(5, "error")], ["src3", "src4", "src5"])
    store.finish(rank=True)
    assert [(r["id"], r["rank"]) for r in read_store(path)] == [
        ("id0001", 4), ("id0002", 1), ("id0003", 3), ("id0004", 2)]  # a tie goes to the smaller id


SCORES = st.one_of(st.sampled_from([0.0, 50.0, 100.0]), st.floats(0, 100), st.just(float("nan")))


@given(st.lists(st.tuples(SCORES, st.text("0123456789abcdef", min_size=16, max_size=16)), max_size=60))
def test_ranks_descending_orders_by_score_then_id(pairs: list[tuple[float, str]]) -> None:
    scores = np.array([score for score, _ in pairs], dtype=np.float64)
    keys = np.array([key.encode() for _, key in pairs], dtype="S16")
    ranks = ranks_descending(scores, keys).tolist()
    scored = [k for k in range(len(pairs)) if not np.isnan(scores[k])]
    ranked = sorted(scored, key=lambda k: (-scores[k], pairs[k][1]))
    assert [ranks[k] for k in ranked] == list(range(1, len(ranked) + 1))
    assert all(ranks[k] == 0 for k in range(len(pairs)) if np.isnan(scores[k]))


def test_ranks_agree_with_the_model_module() -> None:
    model = pytest.importorskip("scoring.model")
    scores = np.array([10.0, 90.0, 50.0, 90.0, 10.0])
    ids = ["e", "d", "c", "b", "a"]
    ours = ranks_descending(scores, np.array([i.encode() for i in ids]))
    assert ours.tolist() == model.rank(scores, ids).tolist()


def test_an_unknown_output_suffix_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(variant(1), encoding="utf-8")
    with pytest.raises(ValueError, match="out.xlsx"):
        run_batch([tmp_path / "a.txt"], tmp_path / "out.xlsx", progress=False)
    with pytest.raises(ValueError, match="out.xlsx"):
        open_sink(tmp_path / "out.xlsx", "v1", output_columns(False))
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


KILLABLE_BATCH = textwrap.dedent("""
    import sys, time
    from scoring.batch import run_batch

    def committed(summary):
        print(summary.scored + summary.failed, flush=True)
        time.sleep(0.05)  # pace the run so the test can kill it mid-batch

    run_batch([sys.argv[1]], sys.argv[2], jobs=2, chunk_size=10, progress=committed)
    print("done", flush=True)
""")


@pytest.mark.slow  # kills a child process, ~7 s
def test_kill_9_mid_batch_loses_nothing_committed_and_resumes_cleanly(tmp_path: Path) -> None:
    total, bad = 200, 3
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(total):
        (inputs / f"{i:04d}.txt").write_text(variant(i), encoding="utf-8")
    for i in range(bad):
        (inputs / f"bad{i}.txt").write_bytes(bytes(range(256)) * 4)
    store = tmp_path / "scores.duckdb"
    script = tmp_path / "batch.py"
    script.write_text(KILLABLE_BATCH, encoding="utf-8")

    process = subprocess.Popen([sys.executable, str(script), str(inputs), str(store)], stdout=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        first = process.stdout.readline().strip()  # the first chunk is committed
        second = process.stdout.readline().strip()
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the batch and its worker processes
        process.wait(timeout=30)
        process.stdout.close()
    sizes = chunk_sizes(10, 2)  # with 2 workers the first chunks are smaller than --chunk-size
    one = next(sizes)
    two = one + next(sizes)
    assert (first, second) == (str(one), str(two)), (first, second)
    _wait_for_group_exit(process.pid)

    stored_before = len(read_store(store))
    assert two <= stored_before < total

    resumed = run_batch([inputs], store, jobs=2, chunk_size=10, progress=False)

    rows = read_store(store)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == total
    assert set(ids) == {content_id(variant(i)) for i in range(total)}
    assert resumed.scored == total - stored_before and resumed.skipped == stored_before
    assert resumed.failed == bad
    assert sorted(f["source"] for f in read_store(store, table="failures")) == [
        str(inputs / f"bad{i}.txt") for i in range(bad)]


def _wait_for_group_exit(pgid: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"processes of group {pgid} still running")


def test_store_is_a_plain_duckdb_file_others_can_query(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for i in range(4):
        (tmp_path / "in" / f"{i}.txt").write_text(variant(i), encoding="utf-8")
    run_batch([tmp_path / "in"], tmp_path / "s.duckdb", jobs=1, progress=False)
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        query = "SELECT count(*), list(DISTINCT model_version) FROM articles"
        count, versions = con.execute(query).fetchone()
    assert (count, versions) == (4, ["features-only"])
    assert read_store(tmp_path / "s.duckdb")[0]["id"] == content_id(variant(0))


def test_a_file_that_failed_whole_and_is_fixed_is_no_longer_a_failure(tmp_path: Path) -> None:
    """A feed that failed whole (binary bytes: source `feed.jsonl`) kept that failure after it was fixed
    and its rows (`feed.jsonl#1`...) were scored, so compare and report showed a failure that was gone."""
    feed, store = tmp_path / "feed.jsonl", tmp_path / "s.duckdb"
    feed.write_bytes(bytes(range(256)) * 100)
    assert run_batch([feed], store, progress=False, jobs=1).failed == 1
    feed.write_text("".join(json.dumps({"text": f"Article {i}: the council met, officials said."}) + "\n"
                            for i in range(2)) + "{broken\n", encoding="utf-8")
    assert run_batch([feed], store, progress=False, jobs=1).failed == 1
    assert [row["source"] for row in read_store(store, table="failures")] == [f"{feed}#3"]
    feed.write_bytes(b"\x00" * 5000)  # and back: the failed row gives way to the whole file's failure
    run_batch([feed], store, progress=False, jobs=1)
    assert [row["source"] for row in read_store(store, table="failures")] == [str(feed)]
