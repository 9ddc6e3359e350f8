"""Outputs: every table format round-trips exactly, and a failed write leaves the previous file intact."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.outputs import csv_cell, csv_row, read_table, write_table

FORMATS = ["csv", "jsonl", "parquet"]

ROWS = [
    {"id": "0123456789012345", "source": "a.txt", "quotes_per_1k_words": 0.1 + 0.2, "words": 412,
     "title": 'He said, "no"\nand left', "error": None},
    {"id": "9f2c4b1d0e3a5c7b", "source": "b.jsonl#2", "quotes_per_1k_words": 1 / 3, "words": 0,
     "title": "café – naïve ☕", "error": "b.jsonl#2: malformed JSON"},
]


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows of a frame with NaN/NA turned back into None, for comparison with what was written."""
    return [{k: (None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_values_types_and_float_precision(tmp_path, fmt):
    path = tmp_path / "nested" / "dir" / f"scores.{fmt}"
    assert write_table(iter(ROWS), path) == 2
    frame = read_table(path)
    assert list(frame.columns) == list(ROWS[0])
    assert records(frame) == ROWS
    assert frame["quotes_per_1k_words"].tolist()[0] == 0.30000000000000004  # repr round trip
    assert frame["id"].tolist()[0] == "0123456789012345"  # an all-digit id stays a string


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_table_keeps_its_header(tmp_path, fmt):
    path = tmp_path / f"empty.{fmt}"
    assert write_table([], path, columns=["id", "score"]) == 0
    frame = read_table(path)
    assert len(frame) == 0
    if fmt != "jsonl":  # JSONL has no header line
        assert list(frame.columns) == ["id", "score"]


@pytest.mark.parametrize("name", ["scores.xlsx", "scores", "scores.csv.gz"])
def test_unsupported_extension_names_the_supported_ones(tmp_path, name):
    with pytest.raises(ValueError, match=r"\.csv, \.jsonl, \.parquet"):
        write_table(ROWS, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_rows_with_different_keys_are_rejected_without_writing(tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(ValueError, match="row 2"):
        write_table([{"a": 1}, {"b": 2}], path)
    assert list(tmp_path.iterdir()) == []


def failing_rows(good: int):
    """A row generator that breaks after `good` rows, like a crash in the middle of scoring."""
    for i in range(good):
        yield {"id": str(i), "score": i / 7}
    raise RuntimeError("scoring crashed")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("good", [0, 3])
def test_failure_mid_write_leaves_old_file_untouched_and_no_temp_file(tmp_path, fmt, good):
    path = tmp_path / f"scores.{fmt}"
    write_table([{"id": "old", "score": 1.5}], path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="scoring crashed"):
        write_table(failing_rows(good), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_failure_on_first_write_leaves_no_file(tmp_path):
    path = tmp_path / "new" / "scores.jsonl"
    with pytest.raises(RuntimeError):
        write_table(failing_rows(2), path)
    assert not path.exists()
    assert list(path.parent.iterdir()) == []


def test_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "scores.csv"
    write_table([{"a": 1}], path)
    os.chmod(path, 0o640)
    write_table([{"a": 2}], path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert read_table(path)["a"].tolist() == [2]


def test_nan_is_null_in_jsonl(tmp_path):
    path = tmp_path / "x.jsonl"
    write_table([{"v": float("nan")}, {"v": 2.5}], path)
    assert path.read_text(encoding="utf-8").splitlines() == ['{"v": null}', '{"v": 2.5}']


FLOATS = st.floats(allow_nan=False, allow_infinity=False)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({"title": TEXT, "x": FLOATS, "n": st.integers(-2**53, 2**53)}),
                     min_size=1, max_size=5),
       fmt=st.sampled_from(FORMATS))
def test_any_values_round_trip(tmp_path_factory, rows, fmt):
    path = Path(tmp_path_factory.mktemp("rt")) / f"t.{fmt}"
    write_table(rows, path)
    frame = read_table(path, string_columns=["title"])
    got = records(frame)
    for written, read in zip(rows, got, strict=True):
        assert read["x"] == written["x"] and read["n"] == written["n"]
        expected_title = written["title"] if fmt != "csv" else written["title"] or None  # CSV: "" is empty
        assert read["title"] == expected_title


@pytest.mark.parametrize("fmt", FORMATS)
def test_surrogates_from_non_utf8_file_names_are_escaped(tmp_path, fmt):
    path = tmp_path / f"s.{fmt}"
    write_table([{"source": "caf\udce9.txt", "n": 1}], path)
    assert read_table(path)["source"].tolist() == ["caf\\udce9.txt"]


FORMULA_LIKE = ["=1+1", "+x", "-2", "@a", "\tt", "'=q", "''+r"]
CELL_VALUES = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(), st.booleans(),
                        st.text(max_size=12), st.sampled_from(FORMULA_LIKE))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdef")), CELL_VALUES), st.booleans())
def test_a_csv_row_is_its_cells_as_csv_cell_writes_them(row: dict, raw: bool) -> None:
    """The streamed sink's one-pass row equals `csv_cell` cell by cell: formula guard, empty None, a
    missing column empty, numbers untouched."""
    columns = list("abcdefg")  # g never present
    assert csv_row(row, columns, raw) == [csv_cell(row.get(name), raw) for name in columns]
