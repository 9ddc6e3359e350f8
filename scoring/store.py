"""Where batch rows go: a resumable DuckDB store, or a one-shot .csv/.jsonl/.parquet file streamed to disk.

Both sinks take rows chunk by chunk, so memory does not grow with the number of articles.

The store (`-o scores.duckdb`) keeps one row per (content id, model version) in table `articles`, and the
inputs that failed in table `failures` (by source, with the reason). Each chunk is committed in one
transaction: a run killed with SIGKILL keeps every chunk committed before the kill, and a rerun skips the
ids already stored under the same model version. Failures are *retried* on every rerun (they are cheap,
and the file may have been fixed): the failures an earlier run recorded for a source are replaced by what
this run finds for it.

File outputs are written to a hidden temporary file beside the target and renamed over it at the end
(atomic: a reader never sees half a file); when rows carry model scores, a second streaming pass adds the
batch-wide `rank` (only one float per article is kept in memory for it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import numpy as np

from scoring.features import feature_names
from scoring.outputs import csv_row, make_output_folder, remove_stale_temps, temp_beside
from scoring.records import STATUS_OK
from scoring.sanitize import json_for_terminal, terminal_text

if TYPE_CHECKING:  # pyarrow is imported by the parquet and store sinks only: a .csv/.jsonl run starts faster
    import pyarrow as pa
    import pyarrow.parquet as pq

FEATURES_ONLY = "features-only"
STORE_SUFFIXES = (".duckdb", ".db")
FILE_SUFFIXES = (".csv", ".jsonl", ".parquet")
INTEGER_COLUMNS = frozenset({"word_count", "rank", "seq"})
FLOAT_COLUMNS = frozenset({"score"})
DEFAULT_STORE_MEMORY_LIMIT = "256MB"
ID_KEY_BYTES = 16  # content ids are 16 hex digits (records.content_id)
STORE_SCHEMA_VERSION = "2"  # 2: articles keyed by (id, source, model_version); 1 (no `store_meta`): by id
PARTIAL_SUFFIX = ".partial"


_ROW_SUFFIX_RE = re.compile(r"#[0-9]+$")  # `file#row`: a row of a row format


class StoreError(Exception):
    """A store that cannot be opened (in use by another run, not a newsscore store); one-line message."""

Row = dict[str, object]


class RowSink(Protocol):
    """What the batch engine writes to: a store or a streamed file."""

    def known_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """(id, source) pairs already stored under this sink's model version (skipped by the engine)."""
        ...

    def write(self, rows: list[Row], sources: Sequence[str]) -> int:
        """Persist one chunk of rows (in input order); return how many ok rows were newly stored."""
        ...

    def finish(self, rank: bool) -> None:
        """Complete the output (rank over the whole batch when `rank`), making it visible."""
        ...

    def abort(self) -> None:
        """Give up: a file output is not created; a store keeps what was committed."""
        ...


def is_store_path(path: str | os.PathLike[str]) -> bool:
    """True when the output path names a DuckDB store rather than a one-shot file."""
    return Path(path).suffix.lower() in STORE_SUFFIXES


def column_type(name: str) -> pa.DataType:
    """The Arrow type of an output column: features and score are floats, counts integers, rest text."""
    import pyarrow as pa

    if name in INTEGER_COLUMNS:
        return pa.int64()
    if name in FLOAT_COLUMNS or name in set(feature_names()):
        return pa.float64()
    return pa.string()


@lru_cache(maxsize=16)
def output_schema(columns: tuple[str, ...]) -> pa.Schema:
    """The Arrow schema of rows with these columns (every chunk gets the same one)."""
    import pyarrow as pa

    return pa.schema([(name, column_type(name)) for name in columns])


def rows_to_arrow(rows: list[Row], columns: Sequence[str]) -> pa.Table:
    """A chunk of row dicts as an Arrow table with a fixed schema (so every chunk has the same one)."""
    import pyarrow as pa

    return pa.Table.from_pydict({name: [row.get(name) for row in rows] for name in columns},
                                schema=output_schema(tuple(columns)))


def ranks_descending(scores: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Rank of each score over the batch: 1 = highest, ties broken by key (the article id), as
    `scoring.model.rank` does; 0 where the score is NaN (a failed row has no rank)."""
    ranks = np.zeros(len(scores), dtype=np.int64)
    valid = np.flatnonzero(~np.isnan(scores))
    order = valid[np.lexsort((keys[valid], -scores[valid]))]
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def check_output_path(output: str | os.PathLike[str]) -> Path:
    """The output path if its suffix is one we write; ValueError naming the supported ones otherwise."""
    path = Path(output)
    if path.suffix.lower() not in STORE_SUFFIXES + FILE_SUFFIXES:
        raise ValueError(f"unsupported output {path.name!r}: use .duckdb, .csv, .jsonl or .parquet")
    return path


def open_sink(output: str | os.PathLike[str], model_version: str, columns: Sequence[str],
              raw_csv: bool = False) -> RowSink:
    """The sink for an output path: a `ScoreStore` for .duckdb, else a streamed .csv/.jsonl/.parquet file
    (CSV cells that look like spreadsheet formulas are neutralised unless `raw_csv`)."""
    path = check_output_path(output)
    if is_store_path(path):
        return ScoreStore(path, model_version, columns)
    return StreamingFileSink(path, columns, raw_csv=raw_csv)


class StreamingFileSink:
    """One-shot .csv / .jsonl / .parquet output written chunk by chunk to a temp file, renamed at the end."""

    def __init__(self, path: Path, columns: Sequence[str], raw_csv: bool = False) -> None:
        self.path = path
        self.columns = list(columns)
        self.format = path.suffix.lower().lstrip(".")
        self.raw_csv = raw_csv
        make_output_folder(path)
        remove_stale_temps(path, PARTIAL_SUFFIX)
        self._temp = _temp_beside(path)
        self._temps = [self._temp]  # every temp file made, all removed by `abort`
        self._ranked = "score" in self.columns
        self._scores = array("d")  # with scores: one float and one 16-byte id per row, all a rank needs
        self._ids = bytearray()
        self._handle: IO[str] | None = None
        self._csv = False  # a .csv output: its records are written by `_csv_text`
        self._parquet: pq.ParquetWriter | None = None
        if self.format == "parquet":
            import pyarrow.parquet as pq

            schema = rows_to_arrow([], self.columns).schema
            self._parquet = pq.ParquetWriter(self._temp, schema)
        else:
            self._handle = open(self._temp, "w", encoding="utf-8", newline="")
            if self.format == "csv":
                self._csv = True
                self._handle.write(_csv_text([self.columns]))

    def known_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        return set()

    def write(self, rows: list[Row], sources: Sequence[str]) -> int:
        if self._parquet is not None:
            self._parquet.write_table(rows_to_arrow(rows, self.columns))
        elif self._csv:
            assert self._handle is not None
            self._handle.write(_csv_text([csv_row(row, self.columns, self.raw_csv) for row in rows]))
        else:
            assert self._handle is not None
            columns = self.columns
            self._handle.writelines(_json_line({name: row.get(name) for name in columns}) for row in rows)
        if self._ranked:
            self._scores.extend(_score_or_nan(row) for row in rows)
            self._ids.extend(b"".join(_id_key(row) for row in rows))
        return sum(1 for row in rows if row.get("status") == STATUS_OK)

    def finish(self, rank: bool) -> None:
        self._close()
        if rank and self._ranked:
            ranks = ranks_descending(np.frombuffer(self._scores, dtype=np.float64),
                                     np.frombuffer(bytes(self._ids), dtype=f"S{ID_KEY_BYTES}"))
            ranked = _temp_beside(self.path)
            self._temps.append(ranked)
            _add_rank_column(self._temp, ranked, self.format, ranks)
            os.unlink(self._temp)
            self._temp = ranked
        os.chmod(self._temp, 0o666 & ~_current_umask())  # mkstemp made it private
        os.replace(self._temp, self.path)

    def abort(self) -> None:
        try:
            self._close()
        except OSError:  # a full disk fails the final flush too; the temp files go all the same
            pass
        finally:
            for name in self._temps:
                Path(name).unlink(missing_ok=True)

    def _close(self) -> None:
        parquet, handle = self._parquet, self._handle
        self._parquet = self._handle = None
        try:
            if parquet is not None:
                parquet.close()
        finally:
            if handle is not None:
                handle.close()


def _temp_beside(path: Path) -> str:
    return temp_beside(path, PARTIAL_SUFFIX)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _csv_text(records: list[list[Any]]) -> str:
    """CSV records, each ending in "\\n"; a cell holding a carriage return is quoted too. csv.writer quotes
    only cells with a character of its line terminator, so a bare CR in a title or an error message would
    end the record for every reader (and for the rank pass, which then failed the whole batch)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    text = buffer.getvalue()
    if "\r" not in text:
        return text
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes cells holding \r or \n
    parts = []
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(record)
        parts.append(buffer.getvalue()[:-2] + "\n")
    return "".join(parts)


def _json_line(row: Row) -> str:
    """A row as a JSON line, its C1 control characters (a terminal may read \\x9b as CSI) escaped."""
    return json_for_terminal(json.dumps(row, ensure_ascii=False)) + "\n"


def _id_key(row: Row) -> bytes:
    return str(row.get("id", "")).encode("utf-8")[:ID_KEY_BYTES].ljust(ID_KEY_BYTES, b" ")


def _score_or_nan(row: Row) -> float:
    """The score a rank is computed from: NaN for a failed row or one the applicability check flagged."""
    score = row.get("score")
    ok = isinstance(score, (int, float)) and row.get("status") == STATUS_OK and not row.get("warnings")
    return float(score) if ok else float("nan")


def _add_rank_column(source: str, target: str, fmt: str, ranks: np.ndarray) -> None:
    """Copy a finished temp output to `target` with a `rank` column appended (0 in the data = no rank)."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        reader = pq.ParquetFile(source)
        schema = reader.schema_arrow.append(pa.field("rank", pa.int64()))
        with pq.ParquetWriter(target, schema) as writer:
            offset = 0
            for batch in reader.iter_batches(batch_size=4096):
                part = ranks[offset:offset + batch.num_rows]
                offset += batch.num_rows
                rank_array = pa.array(part, type=pa.int64(), mask=part == 0)
                writer.write_table(pa.Table.from_batches([batch]).append_column("rank", rank_array))
        return
    with (open(source, encoding="utf-8", newline="") as src,
          open(target, "w", encoding="utf-8", newline="") as dst):
        if fmt == "csv":
            records = _csv_records(src)
            dst.write(next(records)[:-1] + ",rank\n")
            dst.writelines(f"{record[:-1]},{rank or ''}\n"
                           for record, rank in zip(records, ranks.tolist(), strict=True))
        else:
            # each line is `_json_line` of a row: a JSON object; `rank` becomes its last key, as
            # json.dumps writes it (the line's own text is kept, not parsed and written again)
            dst.writelines(f"{line[:-2]}, \"rank\": {rank or 'null'}}}\n" if line != "{}\n" else
                           f"{{\"rank\": {rank or 'null'}}}\n"
                           for line, rank in zip(src, ranks.tolist(), strict=True))


def _csv_records(lines: IO[str]) -> Iterator[str]:
    """The records of a CSV file `_csv_text` wrote, each as its text with its "\\n": physical lines are
    joined while a quoted cell is open (an odd number of `"` so far), as every cell holding CR or LF is
    quoted and a `"` in a cell doubled. The rank pass copies records so instead of parsing each one and
    writing it again (3 ms for 400 rows, against 9)."""
    pending: list[str] = []
    quotes = 0
    for line in lines:
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0:
            yield "".join(pending) if len(pending) > 1 else line
            pending.clear()
            quotes = 0
    if pending:
        yield "".join(pending)


class ScoreStore:
    """A DuckDB file of scored articles keyed by (content id, source, model version), committed chunk by
    chunk: the same text from two files or rows (a syndicated story) is two rows; the same text at the same
    source is stored once per model version."""

    def __init__(self, path: Path, model_version: str, columns: Sequence[str],
                 memory_limit: str = DEFAULT_STORE_MEMORY_LIMIT) -> None:

        self.path = path
        self.model_version = model_version
        self.columns = [c for c in columns if c not in ("model_version", "rank")]
        self.run_id = uuid.uuid4().hex
        make_output_folder(path)
        self._con = _connect(path)
        try:
            self._con.execute(f"SET memory_limit = '{memory_limit}'")
            self._con.execute("SET threads = 1")
            self._create_schema()
        except BaseException:
            self._con.close()
            raise
        self._next_seq = self._con.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]

    def _tables(self) -> set[str]:
        return {row[0] for row in self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}

    def _create_schema(self) -> None:
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            tables = self._tables()
            if "articles" in tables and "store_meta" not in tables:
                self._migrate_from_text_keys()
            con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            version = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
            if version is not None and version[0] != STORE_SCHEMA_VERSION:
                raise StoreError(f"{self.path}: store schema version {version[0]} is not the "
                                 f"{STORE_SCHEMA_VERSION} this newsscore writes; score into a new store")
            con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)",
                        [STORE_SCHEMA_VERSION])
            con.execute("INSERT OR REPLACE INTO store_meta VALUES ('last_model_version', ?)",
                        [self.model_version])
            con.execute(
                "CREATE TABLE IF NOT EXISTS articles (id VARCHAR NOT NULL, source VARCHAR NOT NULL, "
                "model_version VARCHAR NOT NULL, seq BIGINT, run_id VARCHAR, stored_at TIMESTAMP, "
                "score DOUBLE, rank BIGINT, PRIMARY KEY (id, source, model_version))"
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS failures (source VARCHAR NOT NULL, id VARCHAR, error VARCHAR, "
                "model_version VARCHAR NOT NULL, seq BIGINT, run_id VARCHAR, stored_at TIMESTAMP)"
            )
            existing = {row[0] for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'"
            ).fetchall()}
            import pyarrow as pa

            for name in self.columns:  # a new feature family adds its columns to an older store
                if name not in existing:
                    sql_type = {pa.int64(): "BIGINT", pa.float64(): "DOUBLE"}.get(column_type(name),
                                                                                  "VARCHAR")
                    con.execute(f'ALTER TABLE articles ADD COLUMN "{name}" {sql_type}')
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _migrate_from_text_keys(self) -> None:
        """A schema-1 store (rows keyed by text alone) gets the (id, source, model_version) key; its rows are
        kept as they are (a syndicated copy it dropped is scored on the next run)."""
        con = self._con
        columns = [row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles' "
            "ORDER BY ordinal_position").fetchall()]
        if not {"id", "source", "model_version"} <= set(columns):
            raise StoreError(f"{self.path}: not a newsscore store (its table 'articles' lacks "
                             "id, source or model_version)")
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'articles'").fetchall())
        definitions = ", ".join(f'"{name}" {types[name]}' for name in columns)
        quoted = ", ".join(f'"{name}"' for name in columns)
        con.execute(f"CREATE TABLE articles_v2 ({definitions}, PRIMARY KEY (id, source, model_version))")
        con.execute(f"INSERT INTO articles_v2 ({quoted}) SELECT {quoted} FROM articles "
                    "WHERE source IS NOT NULL")
        con.execute("DROP TABLE articles")
        con.execute("ALTER TABLE articles_v2 RENAME TO articles")

    def known_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        if not keys:
            return set()
        found = self._con.execute(
            "SELECT id, source FROM articles WHERE model_version = ? "
            "AND id IN (SELECT unnest(?::VARCHAR[])) AND source IN (SELECT unnest(?::VARCHAR[]))",
            [self.model_version, sorted({k[0] for k in keys}), sorted({k[1] for k in keys})],
        ).fetchall()
        wanted = set(keys)
        return {(row[0], row[1]) for row in found} & wanted

    def write(self, rows: list[Row], sources: Sequence[str]) -> int:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        seqs = range(self._next_seq, self._next_seq + len(rows))
        self._next_seq += len(rows)
        ok = [(seq, row) for seq, row in zip(seqs, rows, strict=True) if row.get("status") == STATUS_OK]
        failed = [(seq, row) for seq, row in zip(seqs, rows, strict=True) if row.get("status") != STATUS_OK]
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            self._forget_earlier_failures(sources)
            inserted = self._insert_ok(ok, now) if ok else 0
            if failed:
                con.executemany(
                    "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(row["source"], row["id"], row["error"], self.model_version, seq, self.run_id, now)
                     for seq, row in failed],
                )
            con.execute("COMMIT")
        except BaseException:
            with _duckdb_errors_suppressed():  # the exception in flight is the one to report
                con.execute("ROLLBACK")
            raise
        return inserted

    def _forget_earlier_failures(self, sources: Sequence[str]) -> None:
        """Drop what earlier runs recorded as failed for the sources of this chunk, or for their files: a
        file that failed whole (`feed.jsonl`: binary) and now gives rows (`feed.jsonl#1`...), or whose
        rows failed and that now fails whole, is no longer failed as it was."""
        if sources:
            files = sorted({_ROW_SUFFIX_RE.sub("", source) for source in sources})
            self._con.execute(
                "DELETE FROM failures WHERE model_version = ? AND run_id <> ? "
                "AND (source IN (SELECT unnest(?::VARCHAR[])) "
                "OR regexp_replace(source, '#[0-9]+$', '') IN (SELECT unnest(?::VARCHAR[])))",
                [self.model_version, self.run_id, sorted(set(sources)), files],
            )

    def _insert_ok(self, ok: list[tuple[int, Row]], now: datetime) -> int:
        import pyarrow as pa

        table = rows_to_arrow([row for _, row in ok], self.columns)
        table = (table.append_column("model_version", pa.array([self.model_version] * len(ok), pa.string()))
                 .append_column("seq", pa.array([seq for seq, _ in ok], pa.int64()))
                 .append_column("run_id", pa.array([self.run_id] * len(ok), pa.string()))
                 .append_column("stored_at", pa.array([now] * len(ok), pa.timestamp("us"))))
        self._con.register("incoming_chunk", table)
        try:
            inserted = self._con.execute(
                "INSERT INTO articles BY NAME SELECT * FROM incoming_chunk "
                "ON CONFLICT DO NOTHING RETURNING id"
            ).fetchall()
        except BaseException:
            # a stop signal that interrupts the insert aborts the transaction, which then refuses even the
            # unregister: its error must not replace the signal (the caller rolls back; the next chunk's
            # register replaces the view)
            with _duckdb_errors_suppressed():
                self._con.unregister("incoming_chunk")
            raise
        self._con.unregister("incoming_chunk")
        return len(inserted)

    def finish(self, rank: bool) -> None:
        if rank:
            # an article scoring/applicability.py flagged gets no rank
            unflagged = "AND coalesce(warnings, '') = '' " if "warnings" in self.columns else ""
            self._con.execute(
                "UPDATE articles SET rank = ranked.r FROM (SELECT id, "
                "source, row_number() OVER (ORDER BY score DESC, id, source) AS r "
                f"FROM articles WHERE model_version = ? AND score IS NOT NULL {unflagged}) AS ranked "
                "WHERE articles.id = ranked.id AND articles.source = ranked.source "
                "AND articles.model_version = ?",
                [self.model_version, self.model_version],
            )
        self._con.execute("CHECKPOINT")
        self._con.close()

    def abort(self) -> None:
        self._con.close()


@contextmanager
def _duckdb_errors_suppressed() -> Iterator[None]:
    """DuckDB's own errors ignored, for clean-up that runs while another exception is in flight."""
    import duckdb

    try:
        yield
    except duckdb.Error:
        pass


def _connect(path: Path, read_only: bool = False) -> Any:
    """A DuckDB connection; a store another process holds, or a file that is not DuckDB, is a `StoreError`."""
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = " ".join(str(exc).split())
        if "lock" in message.lower():
            raise StoreError(f"{path}: the store is in use by another process (one run at a time per "
                             "store; the store is unchanged)") from exc
        raise StoreError(f"{path}: cannot open the store ({message[:200]})") from exc
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the store ({' '.join(str(exc).split())[:200]})") from exc


def _store_tables(con: Any, path: str | os.PathLike[str]) -> set[str]:
    """The tables of an open store; `StoreError` for a DuckDB file without `articles` (not a store)."""
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "articles" not in tables:
        raise StoreError(f"{path}: not a newsscore store (no table 'articles'; its tables: "
                         f"{', '.join(sorted(tables))[:200] or 'none'})")
    if "store_meta" in tables:  # a store another newsscore wrote: its rows may not mean what ours do
        found = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
        if found is not None and found[0] != STORE_SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema version {terminal_text(found[0])[:40]} is not the "
                             f"{STORE_SCHEMA_VERSION} this newsscore reads (written by another version)")
    return tables


def check_store(path: str | os.PathLike[str]) -> None:
    """`StoreError` unless `path` is a newsscore store that can be opened for reading."""
    with _connect(Path(path), read_only=True) as con:
        _store_tables(con, path)


def read_store(path: str | os.PathLike[str], model_version: str | None = None,
               table: str = "articles") -> list[Row]:
    """Rows of a store's `articles` (or `failures`) table in the order they were first stored. A DuckDB
    file without the `articles` table is a `StoreError` (not a newsscore store); without `failures`, no
    failures."""
    if table not in ("articles", "failures"):
        raise ValueError(f"no table {table!r} in a score store")
    with _connect(Path(path), read_only=True) as con:
        tables = _store_tables(con, path)
        if table not in tables:
            return []  # a store written before failures were kept
        where, params = ("WHERE model_version = ?", [model_version]) if model_version else ("", [])
        cursor = con.execute(f"SELECT * FROM {table} {where} ORDER BY seq", params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def read_store_table(path: str | os.PathLike[str], model_version: str | None = None) -> list[Row]:
    """A store as one scores table, as a .csv output holds it: the articles of `model_version` (default:
    the last run's), then its failed inputs as rows with status `error`, their reason and outlet
    `unknown` (`compare` and `report` count them, and say why they failed)."""
    version = model_version or latest_model_version(path)
    failures = [{"id": row["id"], "source": row["source"], "outlet": "unknown", "status": "error",
                 "error": row["error"], "model_version": row["model_version"]}
                for row in read_store(path, version, table="failures")]
    return read_store(path, version) + failures


def latest_model_version(path: str | os.PathLike[str]) -> str | None:
    """The model version of the last run into a store (None for an empty store): a store scored again
    under another model (or with --no-model) holds each article once per version, and a table of all its
    rows would count every article twice."""
    with _connect(Path(path), read_only=True) as con:
        listed = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = {row[0] for row in listed}
        if "store_meta" in tables:
            found = con.execute("SELECT value FROM store_meta WHERE key = 'last_model_version'").fetchone()
            if found:
                return found[0]
        if "articles" not in tables:
            return None
        last = con.execute("SELECT model_version FROM articles ORDER BY seq DESC LIMIT 1").fetchone()
    return last[0] if last else None


def store_model_versions(path: str | os.PathLike[str]) -> dict[str, int]:
    """How many articles a store holds per model version."""
    with _connect(Path(path), read_only=True) as con:
        counts = con.execute("SELECT model_version, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
    return dict(counts)
