"""The shipped training corpus (corpus/training/articles.parquet) and the outlet-grouped splitter."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.evaluate import outlet_folds
from scoring.records import content_id
from scoring.train import BINARY_LABELS, binary_training_rows

TRAINING = Path(__file__).resolve().parents[1] / "corpus" / "training"
COLUMNS = [
    "id",
    "text",
    "title",
    "outlet",
    "outlet_known",
    "label",
    "label_source",
    "dataset",
    "url",
    "source_ref",
]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return pd.read_parquet(TRAINING / "articles.parquet")


def test_corpus_has_the_documented_columns(corpus: pd.DataFrame) -> None:
    assert list(corpus.columns) == COLUMNS
    sources = (TRAINING / "SOURCES.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in sources


def test_corpus_file_is_compact(corpus: pd.DataFrame) -> None:
    assert (TRAINING / "articles.parquet").stat().st_size < 8_000_000
    assert 500 < len(corpus) < 5000


def test_every_row_has_outlet_label_and_label_source(corpus: pd.DataFrame) -> None:
    for column in ("outlet", "label", "label_source", "dataset", "text"):
        assert corpus[column].map(lambda v: isinstance(v, str) and v.strip() != "").all(), column
    assert set(corpus["label"]) <= {"reliable", "unreliable", "mixed", "satire"}


def test_known_outlets_are_domains(corpus: pd.DataFrame) -> None:
    known = corpus[corpus["outlet_known"]]
    pattern = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
    bad = [o for o in known["outlet"].unique() if not pattern.match(o)]
    assert not bad


def test_labels_are_per_outlet(corpus: pd.DataFrame) -> None:
    """An outlet has one label: labels come from the outlet, never from the article."""
    labels_per_outlet = corpus.groupby("outlet")["label"].nunique()
    assert (labels_per_outlet == 1).all(), labels_per_outlet[labels_per_outlet > 1]


def test_no_duplicate_texts(corpus: pd.DataFrame) -> None:
    normalised = corpus["text"].map(lambda t: " ".join(t.lower().split()))
    assert not normalised.duplicated().any()


def test_ids_are_content_ids(corpus: pd.DataFrame) -> None:
    assert (corpus["id"] == corpus["text"].map(content_id)).all()


def test_outlets_are_capped(corpus: pd.DataFrame) -> None:
    assert corpus[corpus["outlet_known"]].groupby("outlet").size().max() <= 60


def test_binary_rows_have_both_classes_from_several_outlets(corpus: pd.DataFrame) -> None:
    data = corpus[binary_training_rows(corpus)]
    assert data["outlet_known"].all()
    for label in BINARY_LABELS:
        assert data[data["label"] == label]["outlet"].nunique() >= 5


@lru_cache(maxsize=1)
def binary_rows() -> pd.DataFrame:
    corpus = pd.read_parquet(TRAINING / "articles.parquet", columns=["outlet", "outlet_known", "label"])
    return corpus[binary_training_rows(corpus)]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_grouped_splitter_never_shares_an_outlet(seed: int) -> None:
    """Property over the real corpus: no outlet on both sides, every row tested exactly once."""
    data = binary_rows()
    y = data["label"].map(BINARY_LABELS).to_numpy()
    groups = data["outlet"].to_numpy()
    tested = np.zeros(len(y), dtype=int)
    for train_idx, test_idx in outlet_folds(y, groups, seed):
        assert not set(groups[train_idx]) & set(groups[test_idx])
        assert len(set(y[train_idx])) == 2
        tested[test_idx] += 1
    assert (tested == 1).all()
