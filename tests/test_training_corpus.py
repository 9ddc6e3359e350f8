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

from scoring.evaluate import lodo_splits, outlet_folds
from scoring.records import content_id
from scoring.train import TARGET, training_mask

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
    """An outlet has one rating: labels come from the outlet, never from the article. Inside a data set the
    label is unique; across data sets the binary target is (sources differ on mixed vs low)."""
    per_set = corpus.groupby(["dataset", "outlet"])["label"].nunique()
    assert (per_set == 1).all(), per_set[per_set > 1]
    rated = corpus[training_mask(corpus)]
    targets = rated["label"].map(TARGET).groupby(rated["outlet"]).nunique()
    assert (targets == 1).all(), targets[targets > 1]


def test_no_duplicate_texts(corpus: pd.DataFrame) -> None:
    normalised = corpus["text"].map(lambda t: " ".join(t.lower().split()))
    assert not normalised.duplicated().any()


def test_ids_are_content_ids(corpus: pd.DataFrame) -> None:
    assert (corpus["id"] == corpus["text"].map(content_id)).all()


def test_outlets_are_capped_per_data_set(corpus: pd.DataFrame) -> None:
    assert corpus[corpus["outlet_known"]].groupby(["dataset", "outlet"]).size().max() <= 25


def test_same_crawl_sets_are_in_with_both_classes_and_many_outlets(corpus: pd.DataFrame) -> None:
    data = corpus[training_mask(corpus)].assign(target=lambda f: f["label"].map(TARGET))
    for dataset in ("allsides-mbfc", "recovery"):
        inside = data[data["dataset"] == dataset]
        assert inside.groupby("target")["outlet"].nunique().min() >= 15, dataset


def test_the_non_commercial_licence_of_recovery_is_recorded() -> None:
    sources = (TRAINING / "SOURCES.md").read_text(encoding="utf-8")
    assert "CC BY-NC-SA 4.0" in sources and "recovery" in sources


@lru_cache(maxsize=1)
def binary_rows() -> pd.DataFrame:
    columns = ["outlet", "outlet_known", "label", "dataset"]
    corpus = pd.read_parquet(TRAINING / "articles.parquet", columns=columns)
    return (
        corpus[training_mask(corpus)].assign(target=lambda f: f["label"].map(TARGET)).reset_index(drop=True)
    )


def test_leave_one_dataset_out_never_shares_an_outlet() -> None:
    held_out = []
    for held, train, test in lodo_splits(binary_rows()):
        assert not set(train["outlet"]) & set(test["outlet"])
        assert held not in set(train["dataset"]) and set(test["dataset"]) == {held}
        assert train["target"].nunique() == 2
        held_out.append(held)
    assert {"allsides-mbfc", "recovery"} <= set(held_out)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_grouped_folds_inside_a_data_set_never_share_an_outlet(seed: int) -> None:
    """Property over the real corpus: no outlet on both sides, every row tested exactly once."""
    data = binary_rows()
    data = data[data["dataset"] == "recovery"].reset_index(drop=True)
    groups = data["outlet"].to_numpy()
    tested = np.zeros(len(data), dtype=int)
    for train_idx, test_idx in outlet_folds(data, seed):
        assert not set(groups[train_idx]) & set(groups[test_idx])
        tested[test_idx] += 1
    assert (tested == 1).all()
