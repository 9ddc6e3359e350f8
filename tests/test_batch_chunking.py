"""Chunk sizes adapt to the workers: constant for one process; for several, small first chunks so every
worker starts at once, growing to a bounded size so the end of a batch is balanced."""

from __future__ import annotations

import itertools

from scoring.batch import chunk_sizes, chunked
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
