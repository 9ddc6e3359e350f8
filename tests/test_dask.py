"""The Dask engine scores chunks on cluster workers with the local engine's chunk function: same rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import seed_variant

from scoring.batch import run_batch
from scoring.store import read_store

distributed = pytest.importorskip("distributed")

def variant(i: int) -> str:
    return seed_variant(i, "Bulletin")


pytestmark = pytest.mark.slow  # Dask clusters

@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 articles and 2 broken lines in one JSONL."""
    path = tmp_path_factory.mktemp("dask") / "feed.jsonl"
    lines = [json.dumps({"text": variant(i), "outlet": "example.org"}) for i in range(40)]
    lines.insert(7, "{broken")
    lines.insert(30, "[]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_rows(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    run_batch([feed], out, jobs=1, chunk_size=6, progress=False)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_dask_local_cluster_gives_the_local_engine_rows(feed: Path, local_rows, tmp_path: Path) -> None:
    summary = run_batch([feed], tmp_path / "dask.jsonl", engine="dask", jobs=2, chunk_size=6, progress=False)
    rows = [json.loads(line) for line in (tmp_path / "dask.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == local_rows
    assert (summary.scored, summary.failed) == (40, 2)
    assert sorted(source for source, _ in summary.failures) == [f"{feed}#31", f"{feed}#8"]


def test_dask_on_an_existing_scheduler_writes_and_resumes_a_store(feed: Path, local_rows, tmp_path: Path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        store = tmp_path / "scores.duckdb"
        first = run_batch([feed], store, engine="dask", scheduler=cluster.scheduler_address, chunk_size=5,
                          progress=False)
        again = run_batch([feed], store, engine="dask", scheduler=cluster.scheduler_address, chunk_size=5,
                          progress=False)
    assert (first.scored, first.failed, first.skipped) == (40, 2, 0)
    assert (again.scored, again.failed, again.skipped) == (0, 2, 40)
    stored = read_store(store)
    expected = [r for r in local_rows if r["status"] == "ok"]
    assert [r["id"] for r in stored] == [r["id"] for r in expected]
    features = [name for name in expected[0] if name not in ("id", "source", "status", "error")]
    values = [[r[name] for name in features] for r in stored]
    assert values == [[r[name] for name in features] for r in expected]
