"""Hostile-input costs: memory of one huge line, time of deep HTML, memory of a large Parquet row group.

The figures quoted in README's "Guarantees" section. Each measurement runs in a fresh Python process and
reports that process's peak RSS (VmHWM of /proc/self/status, Linux), so one does not inherit another's:
- `newsscore score` on a .csv.gz and a .jsonl.gz holding one 600 MB line between two seed rows (the line
  must become an error row and the process must stay near its usual size);
- `scoring.ingest.parse_html` on a page nested 300, 3,000 and 100,000 levels deep (wall time; the text
  must be read whole);
- reading the `text` column of a 200 MB single-row-group Parquet file in 256-row batches, with pyarrow's
  defaults (pre-buffered whole column chunks) and as `scoring.ingest.read_parquet` does (1 MiB buffer,
  no pre-buffering);
- `score_chunk` on 1 MB texts without sentence punctuation ("said said ...", "said, said, ...": every
  attribution cue's gap to a far kept cue used to be read whole, quadratic) (CPU seconds);
- `newsscore score 'DIR/**/*.txt'` on a folder with three symlinks to its parent (glob's `**` followed
  them exponentially; expand_glob does not enter symlinked folders) (wall seconds, rows written);
- Parquet on standard input: 200 MB of a stream after the Parquet magic number (bytes read before the
  error row, temporary files left, wall seconds; before, the whole stream was copied to the temporary
  folder);
- `run_batch` on pages of many blocks (table cells, <br> lines, text lines) or elements (<span>s in one
  paragraph) at settings [ingest] max_blocks / max_elements (scored), a 5 MB text of 32-character lines at
  a text's scaled limit (one line per `line_chars` characters; scored), and far over them (an error row,
  the seed beside it scored) (wall seconds), and the blocks and start tags of real news pages (the limits'
  reference).

Run: .venv/bin/python benchmarks/hostile_inputs.py [--only texts,glob,blocks,stdin_parquet] (writes, or with
--only updates, benchmarks/results/hostile_inputs.json)
"""

from __future__ import annotations

import gzip
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "hostile_inputs.json"
SEED = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
HUGE_LINE_MB = 600


def run_python(code: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON object, to which its peak RSS is added."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec
    wrapped = (code + "\nhwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
               "RESULT['peak_rss_mb'] = round(int(hwm.split()[1]) / 1024, 1)\n"
               "print(json.dumps(RESULT))\n")
    done = subprocess.run([sys.executable, "-c", "import json\n" + wrapped], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def huge_line_file(directory: Path, fmt: str) -> Path:
    path = directory / f"huge.{fmt}.gz"
    good = " ".join(SEED.split()).replace('"', "")
    row = f'"{good}",a\n' if fmt == "csv" else json.dumps({"text": good}) + "\n"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        handle.write("text,outlet\n" if fmt == "csv" else "")
        handle.write(row)
        block = "x" * 1_000_000
        for _ in range(HUGE_LINE_MB):
            handle.write(block)
        handle.write("\n" + row)
    return path


def measure_huge_line(path: Path, out: Path) -> dict:
    return run_python(f"""
from scoring.batch import run_batch
summary = run_batch([{str(path)!r}], {str(out)!r}, jobs=1, progress=False)
RESULT = {{"file": {path.name!r}, "compressed_bytes": {path.stat().st_size}, "line_mb": {HUGE_LINE_MB},
          "scored": summary.scored, "failed": summary.failed,
          "error": summary.failures[0][1].split(": ", 1)[-1] if summary.failures else ""}}
""")


def measure_deep_html(depth: int) -> dict:
    return run_python(f"""
import time
from scoring.ingest import parse_html
page = ("<html><body><p>Top line.</p>" + "<div>" * {depth} + "<p>Inner line.</p>" + "</div>" * {depth}
        + "<p>Last line.</p></body></html>")
started = time.perf_counter()
article = parse_html(page, "deep.html")
RESULT = {{"depth": {depth}, "seconds": round(time.perf_counter() - started, 3), "status": article.status,
          "text_whole": article.text == "Top line.\\nInner line.\\nLast line."}}
""")


def measure_parquet(path: Path, buffer_size: int) -> dict:
    return run_python(f"""
import pyarrow.parquet as pq
parquet = pq.ParquetFile({str(path)!r}, buffer_size={buffer_size}, pre_buffer={not buffer_size})
rows = sum(batch.num_rows for batch in parquet.iter_batches(batch_size=256, columns=["text"]))
RESULT = {{"buffer_size": {buffer_size}, "rows": rows, "file_mb": round({path.stat().st_size} / 2**20, 1)}}
""")


def measure_unpunctuated_text(unit: str, repeats: int) -> dict:
    return run_python(f"""
import time
from scoring.batch import score_chunk
from scoring.records import Article, content_id
score_chunk([Article(id="warm", source="warm", text="Warm up, he said.")])
text = {unit!r} * {repeats}
started = time.process_time()
(row,) = score_chunk([Article(id=content_id(text), source="t.txt", text=text)])
RESULT = {{"text": {unit!r}, "repeats": {repeats}, "chars": len(text), "status": row["status"],
          "cpu_seconds": round(time.process_time() - started, 2)}}
""")


def measure_glob_with_parent_links(directory: Path) -> dict:
    import time

    tree = directory / "linked"
    (tree / "a" / "b").mkdir(parents=True)
    for i, folder in enumerate([tree, tree / "a", tree / "a" / "b"]):
        (folder / f"{i}.txt").write_text(SEED, encoding="utf-8")
    for name in ("up", "up2", "up3"):
        (tree / "a" / "b" / name).symlink_to("..")
    out = directory / "linked.csv"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scoring.cli", "score", str(tree / "**" / "*.txt"), "-o",
                           str(out), "--no-model", "--quiet"], capture_output=True, text=True, timeout=600)
    rows = len(out.read_text(encoding="utf-8").splitlines()) - 1 if out.exists() else 0
    return {"files": 3, "parent_links": 3, "exit_code": done.returncode, "rows": rows,
            "wall_seconds": round(time.perf_counter() - started, 2)}


BLOCK_PAGES = {  # name -> (suffix, head, one block, tail): pages under the 5 MiB size limit
    "table_cells": (".html", "<html><body><table><tr>", "<td>x", "</tr></table></body></html>"),
    "br_lines": (".html", "<html><body><p>", "a<br>", "</p></body></html>"),
    "text_lines": (".txt", "", "a\n", ""),
    "short_text_lines": (".txt", "", "a " * 15 + "a\n", ""),  # 32 characters: settings [ingest] line_chars
    "spans": (".html", "<html><body><p>", "<span>x </span>", "</p></body></html>"),  # elements, one block
}


def measure_many_blocks(directory: Path, kind: str, blocks: int) -> dict:
    """`newsscore score` (as run_batch) on a page of `blocks` blocks beside a seed article: wall seconds,
    the page's status and reason (over settings [ingest] max_blocks: an error row), the seed's status."""
    suffix, head, block, tail = BLOCK_PAGES[kind]
    page = directory / f"{kind}_{blocks}{suffix}"
    page.write_text(head + block * blocks + tail, encoding="utf-8")
    seed = directory / "seed.txt"
    seed.write_text(SEED, encoding="utf-8")
    return run_python(f"""
import time
from scoring.batch import run_batch
from scoring.outputs import read_table
started = time.perf_counter()
summary = run_batch([{str(page)!r}, {str(seed)!r}], {str(directory / (kind + '.csv'))!r}, jobs=1,
                    progress=False)
seconds = time.perf_counter() - started
rows = read_table({str(directory / (kind + '.csv'))!r}).set_index("source")
RESULT = {{"page": {kind!r}, "blocks": {blocks}, "bytes": {page.stat().st_size},
          "wall_seconds": round(seconds, 2),
          "page_status": rows.loc[{str(page)!r}, "status"],
          "page_error": str(rows.loc[{str(page)!r}, "error"]).split(": ", 1)[-1] if summary.failed else "",
          "seed_status": rows.loc[{str(seed)!r}, "status"]}}
""")


STDIN_PARQUET_MB = 200


def measure_stdin_parquet(directory: Path) -> dict:
    """`iter_articles(["-"])` on Parquet's magic number then STDIN_PARQUET_MB of zeros as standard input:
    how much of the stream is read (the copy to a temporary file stops past the size limit), what is left
    in the temporary folder, the error row."""
    spool = directory / "stdin-temp"
    spool.mkdir()
    return run_python(f"""
import io, os, sys, tempfile, time
tempfile.tempdir = {str(spool)!r}
class Zeros(io.RawIOBase):
    def __init__(self):
        self.left, self.read_bytes, self.head = {STDIN_PARQUET_MB} * 2**20, 0, b"PAR1"
    def readable(self):
        return True
    def readinto(self, buffer):
        data, self.head = self.head, b""
        if not data:
            n = min(len(buffer), self.left)
            self.left -= n
            data = bytes(n)
        buffer[:len(data)] = data
        self.read_bytes += len(data)
        return len(data)
feed = Zeros()
class Stdin:
    closed, buffer = False, io.BufferedReader(feed)
    def isatty(self):
        return False
sys.stdin = Stdin()
from scoring.ingest import iter_articles
started = time.perf_counter()
(article,) = iter_articles(["-"])
RESULT = {{"stream_mb": {STDIN_PARQUET_MB}, "read_mb": round(feed.read_bytes / 2**20, 2),
          "seconds": round(time.perf_counter() - started, 2),
          "temp_files_left": len(os.listdir({str(spool)!r})),
          "error": article.error}}
""")


def measure_real_pages() -> dict:
    """Blocks (`parse_html`'s lines) and start tags (what settings [ingest] max_elements counts) of the
    article-extraction benchmark's real news pages, under $NEWSSCORE_SHARED/data (default: ../shared)."""
    import os
    import statistics

    from scoring.ingest import _START_TAG_RE, decode_bytes, parse_html

    shared = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared"))
    pages = sorted((shared / "data" / "article-extraction-benchmark" / "html").glob("*.html.gz"))
    blocks, elements = [], []
    for page in pages:
        html = decode_bytes(gzip.decompress(page.read_bytes()), html=True)
        blocks.append(len(parse_html(html, page.name).block_hints))
        elements.append(sum(1 for _ in _START_TAG_RE.finditer(html)))
    if not pages:
        return {"pages": 0}
    return {"pages": len(pages), "max_blocks": max(blocks), "median_blocks": statistics.median(blocks),
            "max_start_tags": max(elements), "median_start_tags": statistics.median(elements)}


CASES = ("baseline", "huge_line", "deep_html", "parquet", "texts", "glob", "blocks", "stdin_parquet")


def main() -> None:
    import argparse

    import pyarrow as pa
    import pyarrow.parquet as pq

    from scoring.outputs import write_json_atomically
    from scoring.settings import SETTINGS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(CASES), help=f"comma-separated cases of {CASES}")
    cases = set(parser.parse_args().only.split(","))
    results: dict[str, object] = json.loads(RESULTS.read_text()) if cases != set(CASES) else {}
    results.update({"python": platform.python_version(), "machine": platform.machine()})
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        if "baseline" in cases:
            results["baseline_cli_import"] = run_python("import scoring.batch\nRESULT = {}")
        if "huge_line" in cases:
            results["huge_line"] = [measure_huge_line(huge_line_file(directory, fmt),
                                                      directory / f"{fmt}.csv") for fmt in ("csv", "jsonl")]
        if "deep_html" in cases:
            results["deep_html"] = [measure_deep_html(depth) for depth in (300, 3_000, 100_000)]
        if "parquet" in cases:
            parquet = directory / "one_row_group.parquet"
            pq.write_table(pa.table({"text": ["x" * 5000 + str(i) for i in range(40_000)]}), parquet,
                           row_group_size=1_000_000, compression="none")
            sizes = (0, SETTINGS.ingest.parquet_buffer_bytes)
            results["parquet_row_group"] = [measure_parquet(parquet, size) for size in sizes]
        if "texts" in cases:
            results["unpunctuated_text"] = [measure_unpunctuated_text(unit, 1_000_000 // len(unit))
                                            for unit in ("said ", "said, ")]
        if "glob" in cases:
            results["glob_with_parent_links"] = measure_glob_with_parent_links(directory)
        if "stdin_parquet" in cases:
            results["stdin_parquet"] = measure_stdin_parquet(directory)
        if "blocks" in cases:
            limit = SETTINGS.ingest.max_blocks
            pages = (("table_cells", limit), ("table_cells", 500_000), ("br_lines", limit),
                     ("br_lines", 1_000_000), ("text_lines", limit), ("text_lines", 2_000_000),
                     ("short_text_lines", 5_000_000 // SETTINGS.ingest.line_chars),  # a text's scaled limit
                     ("spans", SETTINGS.ingest.max_elements - 10), ("spans", 300_000))
            results["many_blocks"] = [measure_many_blocks(directory, kind, blocks) for kind, blocks in pages]
            results["real_pages"] = measure_real_pages()
    write_json_atomically(results, RESULTS)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
