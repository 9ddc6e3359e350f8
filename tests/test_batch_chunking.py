"""Chunk sizes adapt to the workers: constant for one process; for several, small first chunks so every
worker starts at once, growing to a bounded size so the end of a batch is balanced."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from scoring.batch import chunk_sizes, chunked, parallel_tail
from scoring.records import Article
from scoring.settings import SETTINGS


def test_one_worker_keeps_the_requested_size() -> None:
    assert list(itertools.islice(chunk_sizes(200, 1), 5)) == [200] * 5


def test_several_workers_start_small_and_grow_to_the_cap() -> None:
    sizes = list(itertools.islice(chunk_sizes(200, 2), 12))
    assert sizes[:2] == [SETTINGS.batch.first_parallel_chunk] * 2
    assert sizes == sorted(sizes) and max(sizes) == SETTINGS.batch.max_parallel_chunk
    # 400 articles over 2 workers: enough chunks that both are busy until near the end
    covered = itertools.accumulate(chunk_sizes(200, 2))
    assert next(i for i, total in enumerate(covered) if total >= 400) + 1 >= 10


def test_a_small_requested_size_is_never_exceeded() -> None:
    assert set(itertools.islice(chunk_sizes(3, 4), 20)) == {3}


def test_chunked_follows_the_sizes_and_loses_no_article() -> None:
    articles = [Article(id=str(i), source=str(i)) for i in range(100)]
    chunks = list(chunked(articles, chunk_sizes(30, 2)))
    assert [a.id for chunk in chunks for a in chunk] == [a.id for a in articles]
    assert [len(c) for c in chunks][:4] == [8, 8, 16, 16]
    assert [len(c) for c in chunked(articles, 30)] == [30, 30, 30, 10]


def test_the_end_of_a_parallel_batch_goes_out_in_shrinking_chunks() -> None:
    """With the look-ahead, the chunks follow the sizes until the input's end is in sight; the rest goes
    out in chunks of at most a quarter of what is left (2 workers), down to single articles, so the two
    workers finish together (400 articles)."""
    articles = [Article(id=str(i), source=str(i)) for i in range(400)]
    tail = parallel_tail(200, 2)
    assert tail == {"lookahead": 2 * SETTINGS.batch.max_parallel_chunk, "tail_parts": 4}
    chunks = list(chunked(iter(articles), chunk_sizes(200, 2), **tail))
    assert [a.id for chunk in chunks for a in chunk] == [a.id for a in articles]
    sizes = [len(c) for c in chunks]
    plain = [len(c) for c in chunked(articles, chunk_sizes(200, 2))]
    head = next(i for i, (a, b) in enumerate(zip(sizes, plain, strict=False)) if a != b)
    assert sizes[:head] == plain[:head] and sum(sizes[:head]) >= 400 - tail["lookahead"] - max(plain)
    left = 400 - sum(sizes[:head])
    assert left >= tail["lookahead"]
    for size in sizes[head:]:  # each a quarter (rounded up) of what is left
        assert size == -(-left // 4)
        left -= size
    assert sizes[-4:] == [1, 1, 1, 1]
    assert parallel_tail(200, 1) == {}  # one process: no look-ahead, the chunks as requested


def test_chunked_reads_ahead_only_once_chunks_have_gone_out() -> None:
    """The first chunk is handed out as soon as it is read (a worker is waiting for it); later chunks
    read up to `lookahead` beyond themselves, never more than has been handed out already."""
    pulled = 0

    def counted():
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield Article(id=str(i), source=str(i))

    chunks = chunked(counted(), 10, lookahead=25, tail_parts=4)
    assert len(next(chunks)) == 10 and pulled == 10
    assert len(next(chunks)) == 10 and pulled == 30  # 10 handed out: 10 read ahead
    assert len(next(chunks)) == 10 and pulled == 50  # 20 handed out: 20 read ahead
    assert len(next(chunks)) == 10 and pulled == 65  # 30 handed out: the whole look-ahead of 25
    rest = [len(c) for c in chunks]
    head = next(i for i, size in enumerate(rest) if size != 10)
    assert 25 <= sum(rest[head:]) < 35 and sum(rest) == 960 and rest[-1] == 1


def test_one_article_file_is_scored_without_workers_a_batch_with_them(tmp_path, monkeypatch) -> None:
    """One .txt is one article: no pool is started for it; a row file starts the pool at once, whose
    workers warm up on WARM_UP_TEXT, and gives the rows --jobs 1 gives."""
    from scoring import batch

    seed = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))[0]
    started: list[int] = []
    real_runner = batch.ProcessRunner

    class CountingRunner(real_runner):  # type: ignore[misc, valid-type]
        def __init__(self, jobs, *args) -> None:
            started.append(jobs)
            super().__init__(jobs, *args)

    monkeypatch.setattr(batch, "ProcessRunner", CountingRunner)
    batch.run_batch([seed], tmp_path / "one.csv", jobs=2, progress=False)
    assert started == []
    rows = tmp_path / "rows.jsonl"
    text = seed.read_text(encoding="utf-8")
    rows.write_text("".join(json.dumps({"text": f"{text}\nEdition {i}."}) + "\n" for i in range(12)),
                    encoding="utf-8")
    batch.run_batch([rows], tmp_path / "two.jsonl", jobs=2, progress=False)
    batch.run_batch([rows], tmp_path / "one.jsonl", jobs=1, progress=False)
    assert started == [2]
    assert (tmp_path / "two.jsonl").read_text() == (tmp_path / "one.jsonl").read_text()
    assert batch.score_chunk([Article(id="w", source="w", text=batch.WARM_UP_TEXT)])[0]["status"] == "ok"
