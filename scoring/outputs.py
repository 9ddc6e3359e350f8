"""Write and read result tables (CSV, JSONL, Parquet), atomically: a reader never sees a partial file.

A table is written to a temporary file in the destination directory and moved into place with
`os.replace` only once complete; if writing fails, the previous file (if any) is left untouched.
"""

from __future__ import annotations

import csv
import glob
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scoring.sanitize import json_for_terminal, neutralise_formula, restore_formula, terminal_text

SUPPORTED_FORMATS = (".csv", ".jsonl", ".parquet")
# pandas < 3 parses CSV floats approximately unless asked; pandas 3 is exact and deprecates the option.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
if TYPE_CHECKING:  # pandas is imported where a table is read: `score` writes files without it (start-up)
    import pandas as pd
# Columns that stay strings when a CSV is read back (an all-digit hex id must not become an integer).
DEFAULT_STRING_COLUMNS = ("id", "source", "outlet", "url", "title", "published", "status", "error",
                          "warnings", "input_format", "text")


def table_format(path: str | Path) -> str:
    """The table format of a path from its extension; ValueError naming the supported ones otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_FORMATS:
        raise ValueError(f"unsupported table format '{suffix or Path(path).name}' for {path}: "
                         f"use one of {', '.join(SUPPORTED_FORMATS)}")
    return suffix


def _checked_rows(rows: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[dict[str, Any]]:
    """Rows in order; fills `columns` from the first row and rejects rows whose keys differ."""
    for number, row in enumerate(rows, start=1):
        if not columns:
            columns.extend(row.keys())
        elif list(row.keys()) != columns and set(row.keys()) != set(columns):
            raise ValueError(f"row {number} has keys {sorted(row.keys())}, expected {columns}")
        yield {key: _encodable(value) for key, value in row.items()}


def _encodable(value: Any) -> Any:
    """Strings holding surrogates (a non-UTF-8 file name read by Python) get them backslash-escaped."""
    if isinstance(value, str) and _SURROGATE_RE.search(value):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _json_value(value: Any) -> Any:
    """NaN and infinities are not JSON: they are written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def csv_cell(value: Any, raw: bool = False) -> Any:
    """A value as written to a CSV cell: None is empty; a string a spreadsheet would run as a formula gets
    a leading apostrophe unless `raw` (`read_table` removes it again)."""
    if value is None:
        return ""
    return value if raw else neutralise_formula(value)


def csv_row(row: Mapping[str, Any], columns: Sequence[str], raw: bool = False) -> list[Any]:
    """A row's cells in `columns` order, each as `csv_cell` writes it (a missing column is empty), in one
    pass: a batch writes some sixty cells per article and only text cells can hold a formula."""
    values = map(row.get, columns)
    if raw:
        return ["" if value is None else value for value in values]
    return ["" if value is None else neutralise_formula(value) if isinstance(value, str) else value
            for value in values]


def _write_csv(rows: Iterator[dict[str, Any]], columns: list[str], handle: IO[str], raw: bool = False) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180; fields holding \r or \n get quoted
    count = 0
    for row in rows:
        if count == 0:
            writer.writerow(columns)
        writer.writerow([csv_cell(row[key], raw) for key in columns])  # floats: repr
        count += 1
    if count == 0 and columns:
        writer.writerow(columns)
    return count


def _write_jsonl(rows: Iterator[dict[str, Any]], columns: list[str], handle: IO[str],
                 raw: bool = False) -> int:
    count = 0
    for row in rows:
        record = {key: _json_value(row[key]) for key in columns}
        handle.write(json_for_terminal(json.dumps(record, ensure_ascii=False, allow_nan=False)) + "\n")
        count += 1
    return count


def _write_parquet(rows: Iterator[dict[str, Any]], columns: list[str], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = list(rows)
    if records:
        table = pa.Table.from_pylist([{key: row[key] for key in columns} for row in records])
    else:
        table = pa.table({key: pa.array([], type=pa.string()) for key in columns})
    pq.write_table(table, path)
    return len(records)


TEMP_SUFFIX = ".tmp"


def temp_beside(path: Path, suffix: str = TEMP_SUFFIX) -> str:
    """A new empty hidden file beside `path` to write it through, named `.NAME.PID.RANDOM{suffix}` so that
    `remove_stale_temps` can tell a live writer's file from one a killed process left. An `OSError` names
    the output, not the hidden file (a read-only folder said "Permission denied: '.s.csv.41.x.partial'")."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=suffix,
                                            dir=path.parent)
    except OSError as exc:
        raise OSError(f"cannot write the output {terminal_text(path)} ({exc.strerror or exc} in its folder "
                      f"{terminal_text(path.parent)})") from None
    os.close(descriptor)
    return name


def make_output_folder(path: str | os.PathLike[str]) -> None:
    """Create the folder of an output (and its parents); an `OSError` naming the output and the part of
    the path that is in the way (before: "[Errno 17] File exists: 'notes'" for `-o notes/s.csv` where
    `notes` is a file)."""
    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next((part for part in (folder, *folder.parents) if os.path.lexists(part)
                           and not part.is_dir()), folder)
        raise OSError(f"cannot write the output {terminal_text(path)}: {terminal_text(in_the_way)} is a "
                      "file, not a folder") from None
    except OSError as exc:
        raise OSError(f"cannot write the output {terminal_text(path)}: cannot create its folder "
                      f"{terminal_text(exc.filename or folder)} ({exc.strerror or exc})") from None


def pid_alive(pid: int) -> bool:
    """Whether a process of this id runs (another user's counts): a temporary file's writer, say."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_temps(path: Path, suffix: str = TEMP_SUFFIX) -> list[Path]:
    """Remove the temporary files that writers of `path` killed by `kill -9` (which runs no clean-up) left
    beside it: those whose process id no longer runs. Returns what was removed."""
    removed = []
    for candidate in Path(path).parent.glob(f".{glob.escape(Path(path).name)}.*{suffix}"):
        pid_part = candidate.name[len(Path(path).name) + 2:].split(".", 1)[0]
        if pid_part.isdigit() and not pid_alive(int(pid_part)):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _new_file_mode(path: Path) -> int:
    """Mode for the written file: the replaced file's mode, else the usual one under the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_table(rows: Iterable[dict[str, Any]], path: str | Path, *, columns: Sequence[str] = (),
                raw_csv: bool = False) -> int:
    """Write rows (dicts with the same keys) to .csv, .jsonl or .parquet atomically; return the row count.

    Parent directories are created. `columns` gives the header when there may be no rows. CSV cells that
    start like a spreadsheet formula get a leading apostrophe unless `raw_csv` (see `csv_cell`)."""
    path = Path(path)
    fmt = table_format(path)
    make_output_folder(path)
    names: list[str] = list(columns)
    checked = _checked_rows(rows, names)
    remove_stale_temps(path)
    temp_name = temp_beside(path)
    try:
        if fmt == ".parquet":
            count = _write_parquet(checked, names, temp_name)
        else:
            descriptor = os.open(temp_name, os.O_WRONLY)
            writer: Callable[[Iterator[dict[str, Any]], list[str], IO[str], bool], int]
            writer = _write_csv if fmt == ".csv" else _write_jsonl
            with open(descriptor, "w", encoding="utf-8", newline="") as handle:
                count = writer(checked, names, handle, raw_csv)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp_name, _new_file_mode(path))
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
    return count


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary file name beside `path` to write to; on success it replaces `path` (mode 0644), on any
    failure it is removed and `path` is left as it was."""
    path = Path(path)
    make_output_folder(path)
    remove_stale_temps(path)
    temp = temp_beside(path)
    try:
        yield temp
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_text_atomically(text: str, path: str | Path) -> Path:
    """Write a text file (UTF-8) atomically: a temporary file beside it, then `os.replace`."""
    with atomic_path(path) as temp:
        Path(temp).write_text(text, encoding="utf-8")
    return Path(path)


def write_json_atomically(data: object, path: str | Path, *, indent: int = 2,
                          ensure_ascii: bool = True) -> Path:
    """Write `data` as indented JSON (one trailing newline) atomically, creating the folder: the results
    files of `newsscore evaluate` and of the scripts in benchmarks/."""
    make_output_folder(path)
    return write_text_atomically(json.dumps(data, indent=indent, ensure_ascii=ensure_ascii) + "\n", path)


def _read_jsonl(path: Path) -> pd.DataFrame:
    import pandas as pd

    records = []
    with open(path, encoding="utf-8", errors="strict") as handle:
        for number, line in enumerate(_utf8_lines(handle, path), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:  # a file newsscore did not write: say where, not only json's column
                raise ValueError(f"{path} line {number} is not a JSON object ({exc})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path} line {number} is not a JSON object ({type(record).__name__})")
            records.append(record)
    return pd.DataFrame.from_records(records)


def _utf8_lines(handle: IO[str], path: Path) -> Iterator[str]:
    """The lines of a text file; a byte that is not UTF-8 is a ValueError naming the file."""
    try:
        yield from handle
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc.reason}): not a table newsscore wrote") from None


def read_table(path: str | Path, *, string_columns: Iterable[str] = DEFAULT_STRING_COLUMNS) -> pd.DataFrame:
    """Read a table written by `write_table` (.csv, .jsonl or .parquet) into a DataFrame.

    CSV floats are parsed exactly (round trip); `string_columns` present in a CSV stay strings."""
    import pandas as pd

    path = Path(path)
    fmt = table_format(path)
    if fmt == ".parquet":
        return pd.read_parquet(path)
    if fmt == ".jsonl":
        return _read_jsonl(path)
    if os.path.getsize(path) == 0:
        return pd.DataFrame()
    dtypes = dict.fromkeys(string_columns, str)
    exact_floats = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
    try:
        table = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], **exact_floats)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:  # a file newsscore did not write
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else " ".join(str(exc).split())
        raise ValueError(f"{path} is not a UTF-8 CSV table ({reason}): not a table newsscore wrote") from None
    for name in table.columns:  # undo the formula guard of `csv_cell`
        dtype = table[name].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            table[name] = table[name].map(restore_formula)
    if "warnings" in table.columns:  # an empty cell is a checked article with no warning, not a missing value
        table["warnings"] = ["" if pd.isna(cell) else cell for cell in table["warnings"]]  # all-empty: floats
    return table
