"""Read articles from files, directories and globs: plain text, HTML, JSONL, CSV and Parquet.

Every article (a file, or a row of a row format) becomes one `Article`; every input that cannot be read
becomes an error record with a one-line reason, so one bad file never stops a batch. Row formats are
streamed. Only a missing input is fatal: `iter_articles` raises `InputNotFoundError` before reading.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import fnmatch
import glob
import gzip
import io
import itertools
import json
import math
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from scoring.domains import registered_domain
from scoring.records import Article, BlockHint, content_id
from scoring.sanitize import terminal_text
from scoring.settings import SETTINGS

INGEST = SETTINGS.ingest

FALLBACK_ERRORS = "newsscore-latin1"  # codec error handler: an undecodable byte becomes its Latin-1 char


class InputNotFoundError(FileNotFoundError):
    """An input path that does not exist and, as a glob pattern, matches nothing."""

    def __init__(self, path: str | Path, message: str | None = None) -> None:
        super().__init__(message or f"input not found: {terminal_text(path)}")
        self.path = str(path)


class InputError(Exception):
    """A bad input; the message is the one-line reason that goes into its error record."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Names of the fields read from JSONL, CSV and Parquet records."""

    text: str = "text"
    title: str = "title"
    outlet: str = "outlet"
    url: str = "url"
    published: str = "published"


# ---------------------------------------------------------------------------------------------- inputs


def _has_glob_magic(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


# Suffixes a directory walk reads (each also with .gz); a file with no suffix is read as text (scraped pages
# are often saved without one). Other files in a folder (a script, an image, a README.md) are not articles
# and are left out of the walk; a file named on the command line is read whatever its suffix.
ARTICLE_SUFFIXES = frozenset(
    {".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".csv", ".parquet"}
)


def is_article_file(name: str) -> bool:
    """True for a file name a directory walk reads: an article suffix (optionally .gz), or no suffix."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    suffix = Path(lowered).suffix
    return suffix == "" or suffix in ARTICLE_SUFFIXES


def _walk_directory(directory: Path) -> list[Path]:
    """Article files under a directory (`is_article_file`), recursively, sorted, without hidden files or
    hidden directories. A directory that cannot be listed, and a symbolic link to a directory (not entered:
    links may loop, or lead out of the folder), are kept in the list, so reading them gives their error
    record: a skipped folder is named with its reason, never dropped silently."""
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        found.append(Path(error.filename) if error.filename else directory)

    for root, dirnames, filenames in os.walk(directory, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        linked = [d for d in dirnames if os.path.islink(os.path.join(root, d))]  # os.walk does not enter
        found.extend(
            Path(root) / name
            for name in sorted([*filenames, *linked])
            if not name.startswith(".") and (name in linked or is_article_file(name))
        )
    return found


def _no_article_files_reason(directory: Path) -> str:
    """Why a folder named as an input gives no article: it is empty, or holds only files a walk leaves out
    (hidden ones, and suffixes that are not articles), a few of which are named."""
    left_out: list[str] = []
    for root, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        left_out.extend(os.path.relpath(os.path.join(root, name), directory) for name in sorted(filenames))
    if not left_out:
        return "no article files in the directory (it is empty)"
    shown = ", ".join(terminal_text(name)[:100] for name in left_out[:5]) + (", ..." if len(left_out) > 5
                                                                             else "")
    suffixes = ", ".join(sorted(ARTICLE_SUFFIXES))
    return (f"no article files in the directory: its {len(left_out):,} file(s) ({shown}) are hidden or of "
            f"a kind a folder walk does not read (it reads {suffixes}, each also .gz, and files without a "
            "suffix; name a file as an input to read it whatever its suffix)")


def expand_glob(pattern: str) -> list[str]:
    """`glob.glob(pattern, recursive=True)`, sorted, except that `**` does not go into a symlinked directory
    (as a directory walk does not): glob follows them, so a link to a parent folder was walked again and
    again, and with a few such links the walk never ended (3 links: over a minute, then killed). Where
    `**` meets no symlinked directory, glob's own answer is returned."""
    parts = pattern.split(os.sep)
    if "**" not in parts:
        return sorted(glob.glob(pattern, recursive=True))
    cut = parts.index("**")
    prefix = os.sep.join(parts[:cut])
    bases = sorted(glob.glob(prefix)) if _has_glob_magic(prefix) else [prefix]
    bases = [base for base in bases if os.path.isdir(base or os.curdir)]
    if not any(_holds_symlinked_directory(base or os.curdir) for base in bases):
        return sorted(glob.glob(pattern, recursive=True))
    rest = os.sep.join(parts[cut + 1:])
    folders_only = parts[cut + 1:] == [""]  # "a/**/": the folders, each with a separator
    found: set[str] = set()
    for base in bases:
        for root, dirnames, filenames in os.walk(base or os.curdir):  # symlinked directories: not entered
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # as glob's `**` skips them
            here = os.path.join(base, os.path.relpath(root, base or os.curdir)) if base else \
                os.path.relpath(root)
            here = "" if here == os.curdir else here.removesuffix(os.sep + os.curdir)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(root, d))]
            if folders_only:
                found.add(os.path.join(here, "") if here else "")
            elif rest:
                found.update(expand_glob(os.path.join(glob.escape(here), rest)))
            else:  # a trailing `**`: everything in the folder, and the folder itself (with a separator)
                if base and root == base:
                    found.add(os.path.join(base, ""))
                found.update(os.path.join(here, name) for name in [*dirnames, *filenames]
                             if not name.startswith("."))
    found.discard("")
    return sorted(path for path in found if not (os.path.islink(path) and os.path.isdir(path)))


def _holds_symlinked_directory(directory: str) -> bool:
    """Whether a symbolic link to a directory lies anywhere under `directory` (hidden folders left out)."""
    for root, dirnames, _ in os.walk(directory):
        if any(os.path.islink(os.path.join(root, d)) for d in dirnames):
            return True
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
    return False


def resolve_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Expand files, directories and glob patterns into a de-duplicated, ordered list of files.

    Raises `InputNotFoundError` for the first input that neither exists nor matches anything."""
    expanded: list[list[Path]] = []
    for item in inputs:
        path = Path(item)
        if str(item) == STDIN_NAME:
            check_stdin_readable()
            expanded.append([STDIN_INPUT])
            continue
        if os.path.lexists(path):
            candidates = [path]
        elif _has_glob_magic(str(item)):
            candidates = [Path(match) for match in expand_glob(str(item))]
            if not candidates:
                raise InputNotFoundError(item)
        else:
            raise InputNotFoundError(item)
        files: list[Path] = []
        for candidate in candidates:
            files.extend(_walk_directory(candidate) if candidate.is_dir() else [candidate])
        if not files and os.path.isdir(path):  # a folder named as an input: its error record says why
            files.append(path)
        expanded.append(files)
    seen: set[str] = set()
    ordered: list[Path] = []
    for files in expanded:
        for file in files:
            key = STDIN_SOURCE if file is STDIN_INPUT else os.path.abspath(file)
            if key not in seen:
                seen.add(key)
                ordered.append(file)
    return ordered


class OutputIsInputError(ValueError):
    """An output path that names one of the inputs (or lies inside an input directory): writing it would
    destroy data it reads."""


def _same_or_inside(output: Path, target: Path) -> bool:
    """True when `output` is `target` (same file, through any symlink or relative path) or lies under it."""
    if output == target or target in output.parents:
        return True
    try:
        return os.path.samefile(output, target)  # hard links
    except OSError:
        return False


def check_output_not_input(output: str | Path, inputs: Sequence[str | Path]) -> None:
    """Raise `OutputIsInputError` when `output` is one of `inputs`, one of the files they expand to, a
    path inside an input directory or a path an input glob matches (where the next run would read it)."""
    real_output = Path(os.path.realpath(output))
    expanded: list[Path] = []
    for item in inputs:
        if str(item) == STDIN_NAME:
            if _is_standard_input(output):
                raise OutputIsInputError(f"output {terminal_text(output)} is the file standard input reads "
                                         "(the input -): refusing to overwrite an input (write the output "
                                         "elsewhere)")
            continue
        if os.path.lexists(item):
            expanded.append(Path(item))
        elif _has_glob_magic(str(item)):
            if fnmatch.fnmatch(os.path.abspath(output), os.path.abspath(item)):
                raise OutputIsInputError(f"output {terminal_text(output)} matches the input pattern "
                                         f"{terminal_text(item)}: refusing to "
                                         "overwrite an input (write the output elsewhere)")
            expanded.extend(Path(match) for match in expand_glob(str(item)))
    for item in expanded:
        if _same_or_inside(real_output, Path(os.path.realpath(item))):
            kind = "inside the input directory" if os.path.isdir(item) else "the input"
            raise OutputIsInputError(f"output {terminal_text(output)} is {kind} {terminal_text(item)}: "
                                     "refusing to overwrite an input "
                                     "(write the output elsewhere)")


def is_single_article_file(inputs: Sequence[str | os.PathLike[str]]) -> bool:
    """True when the inputs are one existing .txt/.html file (one article: nothing to share out among
    workers); checked without reading or walking anything."""
    if len(inputs) != 1:
        return False
    path = Path(os.fspath(inputs[0]))
    return path.is_file() and input_format(path) in ("txt", "html")


def input_format(path: str | Path) -> str:
    """Format of a file from its extension (ignoring a trailing .gz): html, jsonl, json, csv, parquet or
    txt."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    return {
        ".html": "html",
        ".htm": "html",
        ".xhtml": "html",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "json",
        ".csv": "csv",
        ".parquet": "parquet",
    }.get(suffix, "txt")


# -------------------------------------------------------------------------------------------- encoding


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(FALLBACK_ERRORS, _latin1_fallback)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                   "ascii": "cp1252", "us-ascii": "cp1252"}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A character that shows: anything but white space, control characters and the invisible format
# characters (soft hyphen, zero-width space/joiners, word joiner, bidirectional marks, overrides and
# isolates, variation selectors, byte-order mark, Hangul fillers); a text without one has nothing to read.
_VISIBLE_RE = re.compile("[^\\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                         "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")


def _bom_encoding(sample: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark: bytes with NULs (UTF-8 text has none) that decode, in one byte
    order, to printable text in a few Unicode blocks (one script plus ASCII: English, Russian, Arabic...)."""
    n = len(sample) // 2 * 2
    if n < 4 or b"\x00" not in sample:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        if _plausible_text(sample[:n].decode(encoding, "replace")):
            return encoding
    return None


def _plausible_text(text: str) -> bool:
    """Decoded would-be text: hardly any unprintable or replaced characters, at least 90% of characters in
    three 256-code-point blocks (a language), and, when longer, white space between words; a binary
    pattern such as \x00\xff repeated fails one of these."""
    if not text:
        return False
    if text.endswith("\ufffd"):  # the sample may end inside a surrogate pair
        text = text[:-1]
    total = len(text)
    if total == 0:
        return False
    bad = sum(1 for ch in text if ch == "\ufffd" or not (ch.isprintable() or ch in "\n\r\t"))
    if bad > 0.01 * total:
        return False
    blocks: dict[int, int] = {}
    for ch in text:
        blocks[ord(ch) >> 8] = blocks.get(ord(ch) >> 8, 0) + 1
    if sum(sorted(blocks.values(), reverse=True)[:3]) < 0.9 * total:
        return False
    return total < 16 or (any(ch.isspace() for ch in text) and len(set(text)) > 3)


def _is_utf8(data: bytes, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(sample: bytes) -> str:
    """A single-byte encoding for bytes that are not UTF-8: Windows-1252 whenever it is among the
    least chaotic guesses of charset-normalizer (short Western text is ambiguous), else its best guess."""
    from charset_normalizer import from_bytes

    matches = from_bytes(sample[:INGEST.sample_bytes])
    if not len(matches):
        return "cp1252"
    least = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos <= least + 0.01 and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return matches.best().encoding


_NOT_PAGE_CHARSETS = frozenset({"utf-7", "idna", "punycode", "undefined", "unicode-escape",
                                "raw-unicode-escape"})
_ASCII_PROBE = b'<meta charset="x"> Text, 0-9.'


def _meta_charset(data: bytes) -> str | None:
    found = _META_CHARSET_RE.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name)
        # a page declaring a charset its own ASCII markup is not in (UTF-16: WHATWG reads it as UTF-8), or
        # one that is no text encoding (rot13, base64, idna...), lies: browsers ignore it, and so do we
        if codec.name in _NOT_PAGE_CHARSETS or _ASCII_PROBE.decode(codec.name) != _ASCII_PROBE.decode():
            return None
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    return codec.name


def detect_encoding(data: bytes, *, complete: bool = True, html: bool = False) -> str:
    """Codec name for some bytes: byte-order mark, UTF-16 by NUL pattern, UTF-8 if valid,
    an HTML meta charset, else a guessed single-byte encoding (Windows-1252 preferred)."""
    encoding = _bom_encoding(data) or _utf16_without_bom(data[:INGEST.sample_bytes])
    if encoding:
        return encoding
    if _is_utf8(data, complete):
        return "utf-8"
    return (_meta_charset(data) if html else None) or _legacy_encoding(data)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def replace_lone_surrogates(text: str) -> str:
    """Lone surrogates (from JSON escapes like \\ud800) cannot be written as UTF-8: each becomes U+FFFD,
    one character for one, so offsets are unchanged."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def has_visible_text(text: str) -> bool:
    """True when the text shows at least one character: white space, zero-width and bidirectional
    formatting characters alone are an empty text (no words, nothing to score)."""
    return _VISIBLE_RE.search(text) is not None


def looks_binary(text: str) -> bool:
    """True for decoded content that is not text: a NUL, or more than 5% control characters."""
    sample = text[:INGEST.sample_bytes]
    return "\x00" in sample or _mostly_control_characters(sample)


def _mostly_control_characters(text: str) -> bool:
    """More than 5% of the text is control characters (random bytes decode so; a stray NUL does not)."""
    return len(_CONTROL_RE.findall(text)) > 0.05 * len(text)


def decode_bytes(data: bytes, *, html: bool = False) -> str:
    """Decode a whole file's bytes to text with LF line endings and no BOM; never raises on bytes."""
    text = data.decode(detect_encoding(data, html=html), FALLBACK_ERRORS)
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalise_newlines(text)


# --------------------------------------------------------------------------------------------- reading


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


@contextmanager
def _read_errors() -> Iterator[None]:
    """A file's read failures (broken gzip, a directory, any OS error) as one-line `InputError`s."""
    try:
        yield
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({_one_line(str(exc))})") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a file") from exc
    except OSError as exc:
        raise InputError(f"cannot read ({_one_line(exc.strerror or str(exc))})") from exc


def read_limited(path: Path, max_bytes: int) -> bytes:
    """A file's bytes (decompressed for .gz); `InputError` if over `max_bytes` or unreadable."""
    with _read_errors(), _open_binary(path) as handle:
        return _read_within_limit(handle, max_bytes)


def _read_within_limit(stream: IO[bytes], max_bytes: int) -> bytes:
    """All of a stream, reading never more than one byte past `max_bytes`; `InputError` if over it."""
    data = _read_up_to(stream, max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"over the size limit of {max_bytes} bytes")
    return data


def _decoded_text(path: Path, max_bytes: int, *, html: bool) -> str:
    return checked_text(read_limited(path, max_bytes), html=html)


def checked_text(data: bytes, *, html: bool) -> str:
    """A whole text or page's bytes decoded; `InputError` when empty, invisible or binary."""
    text = decode_bytes(data, html=html)
    if not text.strip():
        raise InputError("empty file (no text)")
    if not has_visible_text(text):
        raise InputError("empty file (only invisible characters: white space, zero-width or bidi marks)")
    if looks_binary(text):
        raise InputError("binary content, not text")
    return text


def _open_text_stream(path: Path) -> IO[str]:
    """A streaming text reader, encoding chosen from the file's first bytes, newlines untranslated."""
    with _read_errors():
        with _open_binary(path) as handle:
            sample = handle.read(INGEST.sample_bytes)
        return _text_reader(sample, _open_binary(path))


def _text_reader(sample: bytes, buffered: IO[bytes]) -> IO[str]:
    """`buffered` (which starts with `sample`) as text, in the encoding its sample shows, newlines
    untranslated; `InputError` when the sample is mostly control characters (random bytes named .jsonl
    gave 3,900 error rows; a stray NUL in a row is that row's error, not the file's)."""
    encoding = detect_encoding(sample, complete=len(sample) < INGEST.sample_bytes)
    if _mostly_control_characters(sample.decode(encoding, FALLBACK_ERRORS)):
        raise InputError("binary content, not text")
    return io.TextIOWrapper(buffered, encoding=encoding, errors=FALLBACK_ERRORS, newline="")  # type: ignore[arg-type]


def _one_line(message: str) -> str:
    return " ".join(message.split())


# ---------------------------------------------------------------------------------------------- outlet


def outlet_from_url(url: str) -> str:
    """Registered domain of a URL (`https://www.bbc.co.uk/news/x` -> `bbc.co.uk`), or '' if it has none."""
    return registered_domain(url) if url and not url.isspace() else ""


_HOSTNAME_RE = re.compile(r"(?:[a-z][a-z0-9+.\-]*://)?[\w\-]+(?:\.[\w\-]+)+(?:[:/?#]\S*)?", re.I)


def outlet_name(value: str) -> str:
    """An outlet column's value; a host name or URL in it (`www.reuters.com`) becomes its registered
    domain (`reuters.com`) so it matches outlets derived from URLs; a plain name is kept as written."""
    value = value.strip()
    if _HOSTNAME_RE.fullmatch(value):
        return outlet_from_url(value) or value
    return value


# ------------------------------------------------------------------------------------------------ HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu "
    "nav ol optgroup option p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template head title meta link base svg math canvas object embed iframe "
    "frame select datalist input textarea img audio video source track map area noframes noembed".split()
)
_WS_RE = re.compile(r"\s+")
_ODD_WS_RE = re.compile(r"[^\S ]|  ")  # whitespace that _WS_RE.sub(" ", ...) changes (all but lone spaces)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_PUBLISHED_KEYS = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
                   "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")


def too_many_blocks_reason(count: str, limit: int, text: bool = False) -> str:
    """The one-line reason for an article of more lines or blocks than settings [ingest] max_blocks (for a
    plain text, `text_line_limit`)."""
    scaled = f", or for a text one line per {INGEST.line_chars} characters" if text else ""
    return (f"{count} lines or blocks of text (table cells, <br> lines, paragraphs): over the limit of "
            f"{limit:,} (settings.cfg [ingest] max_blocks{scaled}; no news article has that many, and "
            "segmenting them would take minutes)")


class _LineBuilder:
    """Collects visible text into lines (one per block) with each line's tag and link characters; more
    than `max_lines` lines is an `InputError` (the rest of the page is not read)."""

    def __init__(self, max_lines: int | None = None) -> None:
        self.max_lines = max_lines
        self.lines: list[str] = []
        self.hints: list[BlockHint] = []
        self.position = 0
        self._parts: list[str] = []
        self._ends_with_space = False
        self._last_in_link = False
        self._link_chars = 0

    def add(self, raw: str | None, in_link: bool) -> None:
        if not raw:
            return
        piece = _WS_RE.sub(" ", raw) if _ODD_WS_RE.search(raw) else raw  # most text has lone spaces only
        if piece.startswith(" ") and (not self._parts or self._ends_with_space):
            piece = piece[1:]
        if not piece:
            return
        self._parts.append(piece)
        self._ends_with_space = piece.endswith(" ")
        self._last_in_link = in_link
        if in_link:
            self._link_chars += len(piece)

    def flush(self, tag: str) -> None:
        if not self._parts:
            return
        line, link_chars = "".join(self._parts), self._link_chars
        if line.endswith(" "):
            line = line[:-1]
            link_chars -= int(self._last_in_link)
        self._parts, self._link_chars, self._ends_with_space = [], 0, False
        if not line:
            return
        start = self.position
        if self.max_lines is not None and len(self.lines) >= self.max_lines:
            raise InputError(too_many_blocks_reason(f"more than {self.max_lines:,}", self.max_lines))
        self.lines.append(line)
        self.hints.append(BlockHint(start, start + len(line), tag, max(0, min(link_chars, len(line)))))
        self.position = start + len(line) + 1  # the "\n" joining lines


def _tag_name(element: Any) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):  # comment, processing instruction, entity
        return None
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _is_hidden(element: Any) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE_RE.search(element.get("style") or ""))


def visible_lines(root: Any, max_lines: int | None = None) -> tuple[list[str], list[BlockHint]]:
    """Visible text of a parsed page in document order, one line per block, with a `BlockHint` per line.

    Navigation, headers and footers are kept; script, style, noscript, template, head and hidden
    elements are dropped. Runs of whitespace collapse to one space, as a browser shows them. A page of
    more than `max_lines` lines raises `InputError` as soon as the line after them is read."""
    builder = _LineBuilder(max_lines)
    blocks = ["html"]
    link_depth = pre_depth = 0

    def add_text(raw: str | None) -> None:
        if raw and pre_depth and "\n" in raw:
            segments = raw.split("\n")
            for segment in segments[:-1]:
                builder.add(segment, link_depth > 0)
                builder.flush(blocks[-1])
            raw = segments[-1]
        builder.add(raw, link_depth > 0)

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = _tag_name(element)
        if closing:
            if tag in _BLOCK_TAGS:
                builder.flush(blocks.pop())
            link_depth -= tag == "a"
            pre_depth -= tag == "pre"
            add_text(element.tail)
            continue
        if tag is None or tag in _SKIP_TAGS or _is_hidden(element):
            add_text(element.tail)
            continue
        if tag == "br":
            builder.flush(blocks[-1])
            add_text(element.tail)
            continue
        if tag in _BLOCK_TAGS:
            builder.flush(blocks[-1])
            blocks.append(tag)
        link_depth += tag == "a"
        pre_depth += tag == "pre"
        add_text(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    builder.flush(blocks[-1])
    return builder.lines, builder.hints


def _page_metadata(root: Any) -> dict[str, str]:
    """First value of each <meta property|name|itemprop> key (lower-cased), plus canonical and <title>."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            found.setdefault("canonical", link.get("href").strip())
    title = root.find(".//title")
    if title is not None:
        found["<title>"] = _WS_RE.sub(" ", title.text_content()).strip()
    base = next((b.get("href").strip() for b in root.iter("base") if (b.get("href") or "").strip()), "")
    if base:
        found["<base>"] = base
    return found


def _is_web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _page_url(meta: dict[str, str]) -> str:
    """The page's URL: its canonical link, else og:url; a relative one resolved as a browser does, against
    the page's <base href> (an http or https one only: `<base href="javascript:...">` resolves nothing),
    else against og:url. Before, `<base href="https://www.bbc.co.uk/">` with canonical `/news/x` gave the
    URL `/news/x` and the outlet `unknown`."""
    og_url = meta.get("og:url", "")
    canonical = meta.get("canonical", "")
    base = meta.get("<base>", "")
    anchor = base if _is_web_url(base) else og_url if _is_web_url(og_url) else ""
    url = canonical or og_url
    if url and anchor and "://" not in url:
        return urljoin(anchor, url)
    return url


_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DEPTH_ERROR = "depth"  # libxml2: "Excessive depth in document: 2048, use XML_PARSE_HUGE option"


def _parse_with_lxml(markup: bytes, huge_tree: bool) -> tuple[Any, bool]:
    """The lxml tree of a page and whether libxml2 cut it at its nesting limit (256 levels, or 2,048 with
    `huge_tree`), which drops everything nested deeper."""
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=huge_tree)
    root = lxml.html.document_fromstring(markup, parser=parser)
    cut = any(_DEPTH_ERROR in (entry.message or "").lower() for entry in parser.error_log)
    return root, cut


def _parse_without_depth_limit(page: str) -> Any:
    """An lxml tree built from the standard library's event parser, which keeps no parser stack of its
    own, so any nesting depth is read whole. Simpler than libxml2 about omitted end tags (an end tag closes
    up to its open element; unknown end tags are ignored): used only for pages libxml2 cuts."""
    from html.parser import HTMLParser

    import lxml.etree
    import lxml.html

    factory = lxml.html.HTMLParser()
    root = factory.makeelement("html")
    stack = [root]
    open_tags = ["html"]  # names of the open elements above the root, parallel to `stack`
    open_counts: dict[str, int] = {}

    class Builder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "html":
                return
            try:
                element = lxml.etree.SubElement(stack[-1], tag)
            except ValueError:  # a tag name XML cannot hold: kept as an inline element
                element = lxml.etree.SubElement(stack[-1], "span")
            for name, value in attrs:
                try:
                    element.set(name, value or "")
                except ValueError:  # an attribute name XML cannot hold
                    pass
            if tag not in _VOID_TAGS:
                stack.append(element)
                open_tags.append(tag)
                open_counts[tag] = open_counts.get(tag, 0) + 1

        def handle_endtag(self, tag: str) -> None:
            if open_counts.get(tag):  # close up to the innermost open element of this name
                while True:
                    stack.pop()
                    closed = open_tags.pop()
                    open_counts[closed] -= 1
                    if closed == tag:
                        return

        def handle_data(self, data: str) -> None:
            parent = stack[-1]
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + data
            else:
                parent.text = (parent.text or "") + data

    parser = Builder(convert_charrefs=True)
    parser.feed(page)
    parser.close()
    return root


# libxml2 checks each attribute of a tag against all the others before it: a tag with 400,000 attributes
# took minutes to parse (40,000: 1.7 s). No page needs more than a few hundred; a tag with more than
# MAX_ATTRIBUTES keeps its name only (its text, outside the tag, is unchanged).
MAX_ATTRIBUTES = 1000
_LONG_TAG_RE = re.compile(r"<([A-Za-z][^\s/<>]*)([^<>]{5000,})>")


def _without_attribute_floods(html: str) -> str:
    """The page with each tag of over MAX_ATTRIBUTES attributes cut to its bare name; pages with fewer
    `=` in all than that tag would hold are returned as they are, unread."""
    if html.count("=") <= MAX_ATTRIBUTES:
        return html

    def bare(match: re.Match[str]) -> str:
        return f"<{match.group(1)}>" if match.group(2).count("=") > MAX_ATTRIBUTES else match.group(0)

    return _LONG_TAG_RE.sub(bare, html)


_START_TAG_RE = re.compile(r"<[A-Za-z]")


def _too_many_elements_reason(html: str, limit: int) -> str | None:
    """Why a page is refused before parsing: more start tags than `limit` (counted only on pages with more
    `<` than that)."""
    if html.count("<") <= limit:
        return None
    tags = sum(1 for _ in _START_TAG_RE.finditer(html))
    if tags <= limit:
        return None
    return (f"{tags:,} HTML elements: over the limit of {limit:,} (settings.cfg [ingest] max_elements; "
            "no news page has that many, and parsing them would take minutes)")


def parse_html(html: str, source: str) -> Article:
    """An `Article` from an HTML page: visible text (boilerplate included) with one `BlockHint` per line,
    title (og:title, else <title>), URL (canonical, else og:url), outlet from the URL; markup in `raw_html`.
    A page without visible text, or of more elements or blocks than settings [ingest] allows, gives an
    error record."""
    import lxml.etree

    too_many = _too_many_elements_reason(html, INGEST.max_elements)
    if too_many:
        return Article.failed(source, too_many, "html")

    html = _without_attribute_floods(html)
    # Parse bytes with a fixed encoding: lxml rejects str input that carries an XML encoding declaration.
    markup = html.replace("\x00", "").encode("utf-8", "replace")
    try:
        root, deep = _parse_with_lxml(markup, huge_tree=False)
        if deep:  # over 256 levels: trafilatura (default parser) would read a cut tree too
            root, cut = _parse_with_lxml(markup, huge_tree=True)
            if cut:  # nested deeper than libxml2 reads at all: build the tree without a depth limit
                root = _parse_without_depth_limit(html.replace("\x00", ""))
    except (lxml.etree.LxmlError, ValueError, RecursionError) as exc:
        return Article.failed(source, f"not parseable as HTML ({_one_line(str(exc))[:200]})", "html")
    try:
        lines, hints = visible_lines(root, INGEST.max_blocks)
    except InputError as exc:
        return Article.failed(source, str(exc), "html")
    if not any(map(has_visible_text, lines)):
        return Article.failed(source, "no visible text in the HTML", "html")
    text = "\n".join(lines)
    meta = _page_metadata(root)
    url = _page_url(meta)
    published = next((meta[key] for key in _PUBLISHED_KEYS if meta.get(key)), "")
    return Article(
        id=content_id(text),
        source=source,
        text=text,
        outlet=outlet_from_url(url) or "unknown",
        url=url,
        title=_WS_RE.sub(" ", meta.get("og:title", "")).strip() or meta.get("<title>", ""),
        published=published,
        input_format="html",
        block_hints=tuple(hints),
        raw_html="" if deep else html,  # trafilatura would read a cut tree: the segmenter labels alone
    )


# -------------------------------------------------------------------------------------------- records


def _field(record: dict[str, Any], key: str) -> str:
    """A record's value as a stripped string; '' for missing, None or NaN; a list or an object (a JSON
    array, a Parquet list or struct) as JSON, as the file holds it, not as Python's repr."""
    value = record.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return replace_lone_surrogates(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, (bytes, bytearray)):  # a Parquet BINARY column without a string annotation
        value = decode_bytes(bytes(value))
    return replace_lone_surrogates(str(value).strip())


def article_from_record(record: dict[str, Any], source: str, columns: Columns, input_format: str,
                        max_bytes: int = INGEST.max_bytes) -> Article:
    """An `Article` from one JSONL/CSV/Parquet record, or an error record if it has no usable text."""
    text = record.get(columns.text)
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return Article.failed(source, f"no text in column '{columns.text}'", input_format)
    if isinstance(text, (bytes, bytearray)):  # a Parquet BINARY column (older writers store strings so)
        if len(text) > max_bytes:
            return Article.failed(source, f"text over the size limit of {max_bytes} bytes", input_format)
        text = decode_bytes(bytes(text))
        if looks_binary(text):
            return Article.failed(source, f"column '{columns.text}' holds binary data, not text",
                                  input_format)
    if not isinstance(text, str):
        return Article.failed(source, f"column '{columns.text}' is not text ({type(text).__name__})",
                              input_format)
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return Article.failed(source, f"text over the size limit of {max_bytes} bytes", input_format)
    text = replace_lone_surrogates(normalise_newlines(text))
    if not text.strip():
        return Article.failed(source, f"empty text in column '{columns.text}'", input_format)
    if not has_visible_text(text):
        return Article.failed(source, f"empty text in column '{columns.text}' (only invisible characters: "
                                      "white space, zero-width or bidi marks)", input_format)
    lines, limit = text_line_count(text), text_line_limit(len(text))
    if lines > limit:
        return Article.failed(source, too_many_blocks_reason(f"{lines:,}", limit, text=True), input_format)
    url = _field(record, columns.url)
    return Article(
        id=content_id(text),
        source=source,
        text=text,
        outlet=outlet_name(_field(record, columns.outlet)) or outlet_from_url(url) or "unknown",
        url=url,
        title=_field(record, columns.title),
        published=_field(record, columns.published),
        input_format=input_format,
    )


# ---------------------------------------------------------------------------------------------- readers


def text_line_limit(chars: int) -> int:
    """The most non-blank lines a plain text of `chars` characters may have: settings [ingest] max_blocks,
    or one line per `line_chars` characters when that is more. What the limit stops is a text of a great
    many tiny lines (2,000,000 lines of "a" took 52 s and 2 GB); a long text of ordinary lines (5 MB
    hard-wrapped at 70 columns: 81,000 lines) costs no more per character than one of long paragraphs."""
    return max(INGEST.max_blocks, chars // INGEST.line_chars)


def text_line_count(text: str) -> int:
    """The non-blank lines of a text (counted one by one only when it has more line breaks than
    `text_line_limit` allows)."""
    if text.count("\n") < text_line_limit(len(text)):
        return text.count("\n") + 1
    return sum(1 for line in text.split("\n") if line.strip())


def read_txt(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """One article per file; the text is the whole content (decoded, LF line endings, no BOM)."""
    yield text_article(_decoded_text(path, max_bytes, html=False), str(path))


def text_article(text: str, source: str) -> Article:
    """The article of a whole text (`InputError` over `text_line_limit` lines)."""
    lines, limit = text_line_count(text), text_line_limit(len(text))
    if lines > limit:
        raise InputError(too_many_blocks_reason(f"{lines:,}", limit, text=True))
    return Article(id=content_id(text), source=source, text=text, input_format="txt")


def read_html(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """One article per HTML file (see `parse_html`)."""
    yield parse_html(_decoded_text(path, max_bytes, html=True), str(path))


def _read_line(stream: IO[str], limit: int) -> tuple[str, bool]:
    """The next line (at most `limit` characters kept) and whether it was longer than that."""
    line = stream.readline(limit + 1)
    if len(line) <= limit or line.endswith(("\n", "\r")):
        return line, False
    while True:  # skip the rest of an overlong line without holding it in memory
        rest = stream.readline(limit)
        if not rest or rest.endswith(("\n", "\r")):
            return line, True


class LineTooLongError(Exception):
    """A physical line over the size limit (raised by `BoundedLines`; its rest has been skipped)."""


class BoundedLines:
    """The lines of a text stream for `csv.reader`, each read with a cap: an overlong line raises
    `LineTooLongError` once (its rest skipped without being held) and iteration goes on after it, so
    memory stays bounded by the limit whatever the file holds."""

    def __init__(self, stream: IO[str], limit: int) -> None:
        self.stream, self.limit = stream, limit
        self.taken: list[str] = []  # the lines read since the caller last cleared it (one CSV row's)

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        line, too_long = _read_line(self.stream, self.limit)
        if too_long:
            raise LineTooLongError(f"line over the size limit of {self.limit} bytes")
        if not line:
            raise StopIteration
        self.taken.append(line)
        return line


@cache
def _space_after_quote_re(delimiter: str) -> re.Pattern[str]:
    r"""White space between a closing quote and the field's end (`delimiter`, a line break or the end),
    which both CSV readers read alike: for a comma `"[ \t]+(?=,|\r|\n|$)`; a tab delimiter is no space."""
    spaces = " " if delimiter == "\t" else r" \t"
    return re.compile(rf'"[{spaces}]+(?={re.escape(delimiter)}|\r|\n|$)')


CSV_DELIMITERS = (",", ";", "\t", "|")  # comma first; the others as spreadsheets in many locales export


def csv_delimiter(header: str, text_column: str) -> str:
    """The delimiter of a CSV file from its header line: a comma, unless only a semicolon, tab or bar
    splits the header into a column named `text_column` (a semicolon-separated export was refused as
    "no text column 'text' (columns: 'text;outlet')")."""
    for delimiter in CSV_DELIMITERS:
        try:
            names = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            continue
        if text_column in (name.strip().lstrip("\ufeff") for name in names):
            return delimiter
    return ","


def _unclosed_quote_reason(lines: list[str], first_line: int, delimiter: str = ",") -> str | None:
    """Why a CSV row read over several lines is malformed (strict `csv.reader` rejects it), as when a quote
    in it was left open: the lenient reader then reads every line up to the next quote (or the end of the
    file) as one field, so the rows in them would be lost inside this row's text. None for a good row."""
    if len(lines) < 2:  # C-level reparse of the rows that span lines (an article's paragraphs) only
        return None
    try:  # white space after a closing quote ('"text" ,outlet') is read alike by both: not an error
        spaces = _space_after_quote_re(delimiter)
        for _ in csv.reader((spaces.sub('"', line) for line in lines), strict=True, delimiter=delimiter):
            pass
    except csv.Error as exc:
        return (f"malformed CSV row (a quote opened on line {first_line} is not closed where a field ends: "
                f"{_one_line(str(exc))}); lines {first_line}-{first_line + len(lines) - 1} were read as this "
                "one row, and the rows in them are not read")
    return None


def read_jsonl(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """One article per JSON object line; blank lines are skipped; sources are `path#line`."""
    with _open_text_stream(path) as stream:
        yield from jsonl_articles(stream, str(path), columns, max_bytes)


def jsonl_articles(stream: IO[str], name: str, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """The articles of a JSON Lines text stream (a file, or standard input as it arrives): `name#line`."""
    number = 0
    while True:
        line, too_long = _read_line(stream, max_bytes)
        if not line:
            return
        number += 1
        source = f"{name}#{number}"
        if too_long:
            yield Article.failed(source, f"line over the size limit of {max_bytes} bytes", "jsonl")
            continue
        if not line.strip():
            continue
        if line.startswith("\ufeff"):  # files joined with `cat`: the second one's byte-order mark
            line = line[1:]
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield Article.failed(source, f"malformed JSON ({_json_error_reason(exc)})", "jsonl")
            continue
        if not isinstance(record, dict):
            yield Article.failed(source, f"JSON line is not an object ({type(record).__name__})", "jsonl")
            continue
        repeated = _repeated_keys(line, columns)
        if repeated:
            shown = ", ".join(f"'{key}'" for key in repeated)
            yield Article.failed(source, f"key {shown} appears more than once in the object (which to "
                                         "read is ambiguous)", "jsonl")
            continue
        yield article_from_record(record, source, columns, "jsonl", max_bytes)


def _json_error_reason(exc: ValueError | RecursionError) -> str:
    """Why a JSON line did not parse, in a few words (a syntax error, its nesting, a huge integer)."""
    if isinstance(exc, json.JSONDecodeError):
        return _one_line(exc.msg)
    if isinstance(exc, RecursionError):  # valid or not: Python's parser reads about 1,000 levels
        return "nested too deeply for Python's JSON parser, over about 1,000 levels; valid or not, unreadable"
    return _one_line(str(exc)).split(";")[0][:200]  # "Exceeds the limit (4300 digits) for integer ..."


def _repeated_keys(line: str, columns: Columns) -> list[str]:
    """The keys read (text, title...) that a JSON object line holds twice (`json` keeps the last one); the
    line is parsed again only when one of them is written twice in it."""
    read = dict.fromkeys((columns.text, columns.title, columns.outlet, columns.url, columns.published))
    if not any(line.count(json.dumps(key)) > 1 for key in read):
        return []
    keys = [key for key, _ in json.loads(line, object_pairs_hook=list)]
    return [key for key in read if keys.count(key) > 1]


def _missing_column(columns: Columns, names: Sequence[str]) -> str:
    """The reason for a table without its text column, naming the columns it has (on one line: a header
    name may hold a newline or an escape sequence)."""
    shown = ", ".join(f"'{terminal_text(name)[:100]}'" for name in names[:30]) + (", ..." if len(names) > 30
                                                                                  else "")
    return f"no text column '{columns.text}' (columns: {shown or 'none'})"


def _check_columns(columns: Columns, names: Sequence[str]) -> None:
    """`InputError` when the text column is missing, or a column that is read appears twice (which of the
    two holds the text or the title is anyone's guess)."""
    if columns.text not in names:
        raise InputError(_missing_column(columns, names))
    _check_not_repeated(names, (columns.text, columns.title, columns.outlet, columns.url, columns.published))


def _check_not_repeated(names: Sequence[str], read: Sequence[str]) -> None:
    """`InputError` naming the columns of `read` that `names` (a header) holds more than once."""
    repeated = [name for name in dict.fromkeys(read) if names.count(name) > 1]
    if repeated:
        shown = ", ".join(f"'{terminal_text(name)[:100]}'" for name in repeated)
        raise InputError(f"column {shown} appears more than once (rename one: which to read is ambiguous)")


def read_csv(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """One article per CSV row after the header; sources are `path#row` (1-based data row)."""
    with _open_text_stream(path) as stream:
        yield from csv_articles(stream, str(path), columns, max_bytes)


def csv_articles(stream: IO[str], name: str, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """The articles of a CSV text stream (a file, or standard input as it arrives): `name#row`."""
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # longer fields become row errors
    lines = BoundedLines(stream, max_bytes)
    try:
        first = next(lines, "")
    except LineTooLongError as exc:
        raise InputError(f"CSV header {exc}") from exc
    delimiter = csv_delimiter(first, columns.text)
    reader = csv.reader(itertools.chain([first] if first else [], lines), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError("empty CSV file (no header row)") from None
    except LineTooLongError as exc:
        raise InputError(f"CSV header {exc}") from exc
    except csv.Error as exc:
        raise InputError(f"malformed CSV header ({_one_line(str(exc))})") from exc
    _check_columns(columns, header)
    number = 0
    while True:
        number += 1
        source = f"{name}#{number}"
        first_line = reader.line_num + 1
        lines.taken.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except LineTooLongError as exc:
            yield Article.failed(source, str(exc), "csv")
            continue
        except csv.Error as exc:
            yield Article.failed(source, f"malformed CSV row ({_one_line(str(exc))})", "csv")
            continue
        if not row:  # a blank line is no row (numbers of the rows after it stay as they were)
            continue
        unclosed = _unclosed_quote_reason(lines.taken, first_line, delimiter)
        if unclosed:
            yield Article.failed(source, unclosed, "csv")
            continue
        yield article_from_record(dict(zip(header, row, strict=False)), source, columns, "csv", max_bytes)


def read_parquet(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """One article per Parquet row, read in record batches; sources are `path#row` (1-based)."""
    import pyarrow
    import pyarrow.parquet as pq

    try:
        # a buffered stream, not pre-buffered, reads each column chunk page by page instead of whole
        # (benchmarks/hostile_inputs.py); a single value is still decoded whole with its page
        parquet = pq.ParquetFile(path, buffer_size=INGEST.parquet_buffer_bytes, pre_buffer=False)
    except (pyarrow.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({_one_line(str(exc))})") from exc
    names = parquet.schema_arrow.names
    _check_columns(columns, names)
    text_type = parquet.schema_arrow.field(columns.text).type
    if not _is_text_type(text_type):  # one reason for the file, not one per row
        raise InputError(f"column '{columns.text}' holds {text_type}, not text "
                         f"({parquet.metadata.num_rows:,} rows, none read)")
    wanted = list(dict.fromkeys(name for name in (columns.text, columns.title, columns.outlet, columns.url,
                                                  columns.published) if name in names))
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=256, columns=wanted):
            for record in _batch_records(batch):
                number += 1
                if isinstance(record, InputError):
                    yield Article.failed(f"{path}#{number}", str(record), "parquet")
                else:
                    yield article_from_record(record, f"{path}#{number}", columns, "parquet", max_bytes)
    except (pyarrow.ArrowException, OSError) as exc:
        raise InputError(f"unreadable after row {number} ({_one_line(str(exc))})") from exc


def _is_text_type(arrow_type: Any) -> bool:
    """Whether a Parquet column of this Arrow type can hold article text: strings, binary (decoded as an
    older writer's strings), a dictionary of those, or nulls only (each row then says it has no text)."""
    import pyarrow as pa

    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    checks = ("is_string", "is_large_string", "is_string_view", "is_binary", "is_large_binary",
              "is_binary_view", "is_fixed_size_binary", "is_null")
    return any(getattr(pa.types, check, lambda _: False)(arrow_type) for check in checks)


# what converting an Arrow value raises: OverflowError (a date past 9999), and pyarrow's ArrowInvalid,
# ArrowTypeError and ArrowNotImplementedError (a ValueError, TypeError and NotImplementedError)
_ARROW_VALUE_ERRORS = (ArithmeticError, ValueError, TypeError, NotImplementedError)


def _batch_records(batch: Any) -> list[dict[str, Any] | InputError]:
    """A record batch's rows as dicts. When a value has no Python form (a date after the year 9999), the
    rows are converted value by value: such a value is kept as Arrow writes it as text, and a row with a
    value Arrow cannot write either is an `InputError` naming the column; the other rows are read."""
    try:
        return batch.to_pylist()
    except _ARROW_VALUE_ERRORS:
        pass
    names = batch.schema.names
    records: list[dict[str, Any] | InputError] = []
    for row in range(batch.num_rows):
        try:
            columns = zip(names, batch.columns, strict=True)
            records.append({name: _arrow_value(column, row, name) for name, column in columns})
        except InputError as exc:
            records.append(exc)
    return records


def _arrow_value(column: Any, row: int, name: str) -> Any:
    """One value of an Arrow column as Python holds it, else as Arrow writes it as text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return column[row].as_py()
    except _ARROW_VALUE_ERRORS as exc:
        try:
            return pc.cast(column.slice(row, 1), pa.string())[0].as_py()
        except _ARROW_VALUE_ERRORS:
            raise InputError(f"unreadable value in column '{name}' ({type(exc).__name__}: "
                             f"{_one_line(str(exc))})") from exc


NO_ROWS_REASONS = {"jsonl": "no articles: an empty JSONL file (blank lines only, or none)",
                   "json": "no articles: an empty JSON array",
                   "csv": "no articles: a CSV file with a header and no rows",
                   "parquet": "no articles: a Parquet file of no rows"}
def read_json(path: Path, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """A .json file, read whole: an array of objects (sources `path#N`), or one object (source `path`); a
    file of one object per line (JSON Lines named .json) is read as .jsonl. Before, a .json named on the
    command line was scored as one text, its braces and keys as prose."""
    try:
        data = read_limited(path, max_bytes)
    except InputError as exc:
        if "size limit" not in str(exc):
            raise
        raise InputError(f"{exc}: a .json file is read whole; write it as JSON Lines, one object per line "
                         "(jq -c '.[]' FILE > FILE.jsonl), which is streamed") from None
    yield from json_articles(decode_bytes(data), str(path), columns, max_bytes)


def json_articles(text: str, name: str, columns: Columns, max_bytes: int) -> Iterator[Article]:
    """The articles of a whole JSON text: an array of objects (`name#N`), one object (`name`), or objects
    line after line (JSON Lines)."""
    text = text.lstrip("\ufeff")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # objects line after line: JSON Lines
            yield from jsonl_articles(io.StringIO(text), name, columns, max_bytes)
            return
        raise InputError(f"malformed JSON ({_json_error_reason(exc)}, line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"malformed JSON ({_json_error_reason(exc)})") from None
    if isinstance(value, dict):
        yield article_from_record(value, name, columns, "json", max_bytes)
        return
    if not isinstance(value, list):
        raise InputError(f"JSON is not an object or an array of objects ({type(value).__name__})")
    for number, record in enumerate(value, start=1):
        if isinstance(record, dict):
            yield article_from_record(record, f"{name}#{number}", columns, "json", max_bytes)
        else:
            yield Article.failed(f"{name}#{number}", f"array item is not an object ({type(record).__name__})",
                                 "json")


READERS: dict[str, Callable[[Path, Columns, int], Iterator[Article]]] = {
    "txt": read_txt,
    "html": read_html,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "parquet": read_parquet,
}


def _is_regular_or_missing(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # the reader reports why it cannot be read


def _directory_reason(path: Path) -> str | None:
    """Why a directory among the files to read gives no article: a symbolic link a walk does not follow, a
    folder that cannot be listed, or one without article files (None for anything that is not a
    directory)."""
    if not os.path.isdir(path):
        return None
    if os.path.islink(path):
        return (f"symbolic link to a directory ({terminal_text(os.readlink(path))[:200]}), not followed: a "
                "folder walk does not enter links, which may loop or lead out of the folder (name the link "
                "or its target as an input to read it)")
    try:
        os.listdir(path)
    except OSError as exc:
        return f"cannot read directory ({_one_line(exc.strerror or str(exc))})"
    return _no_article_files_reason(path)


def _broken_link_reason(path: Path) -> str | None:
    """Why a symbolic link cannot be read: its target does not exist, or links lead back to themselves
    (None for anything else: a file that vanished says so when read)."""
    if not os.path.islink(path) or os.path.exists(path):
        return None
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself): nothing to read"
    return (f"broken symbolic link: its target {terminal_text(os.readlink(path))[:200]} does not exist")


_LITERAL_ESCAPE_RE = re.compile(r"\\(?=[xu])")  # a backslash that would read as the start of an escape


def source_name(path: str | Path) -> str:
    """How an input is named in its rows: its path, with the bytes of a name that are not UTF-8 (which
    Python holds as lone surrogates, and no UTF-8 output can write) and its control characters (a newline
    or an ESC in a file name) shown as `\\xNN` escapes, so the name stays on one line wherever it goes.
    A backslash of the name itself before `x` or `u` is written `\\x5c`, so no two files get one name:
    `a<ESC>.txt` and a file literally named `a\\x1b.txt` were both `a\\x1b.txt`, and a store kept one of
    them as 'already stored'."""
    name = _LITERAL_ESCAPE_RE.sub(r"\\x5c", str(path))
    if _SURROGATE_RE.search(name):
        try:
            name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that no file name byte gives (a str from the API)
            name = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return terminal_text(name)


def _named(articles: Iterator[Article], raw: str, shown: str) -> Iterator[Article]:
    """The articles of a file named `raw` as Python holds it, their sources and reasons named `shown`."""
    for article in articles:
        if article.source.startswith(raw):
            article.source = shown + article.source[len(raw):]
            if not article.ok:
                article.id = content_id("error:" + article.source)
        if article.error.startswith(raw):
            article.error = shown + article.error[len(raw):]
        yield article


def _read_file(path: Path, columns: Columns, max_bytes: int, stdin_format: str = "auto") -> Iterator[Article]:
    """Articles of one file; any failure becomes one error record for the file and reading moves on."""
    if path is STDIN_INPUT:
        yield from read_stdin(columns, max_bytes, stdin_format)
    elif source_name(path) != str(path):
        yield from _named(_read_file_as_named(path, columns, max_bytes), str(path), source_name(path))
    else:
        yield from _read_file_as_named(path, columns, max_bytes)


def _read_file_as_named(path: Path, columns: Columns, max_bytes: int,
                        fmt: str | None = None) -> Iterator[Article]:
    """`_read_file`'s articles (of format `fmt`, default from the name), their sources the path as Python
    holds it."""
    fmt = fmt or input_format(path)
    read = 0
    try:
        reason = _directory_reason(path) or _broken_link_reason(path)
        if reason:
            raise InputError(reason)
        if not _is_regular_or_missing(path):  # a FIFO or device would block or never end
            raise InputError("not a regular file (a pipe or a device: pipe it to the input - instead, as in "
                             "'zcat feed.jsonl.gz | newsscore score - -o out.csv')")
        for article in READERS[fmt](path, columns, max_bytes):
            read += 1
            yield article
        if not read:  # a row format with no row: named, as an empty text file is, not silently nothing
            raise InputError(NO_ROWS_REASONS[fmt])
    except InputError as exc:
        yield Article.failed(str(path), str(exc), fmt)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # a .gz cut short (a download stopped) mid-rows
        kept = f" after row {read} (the rows before it are read)" if read else ""
        yield Article.failed(str(path), f"not a valid gzip file{kept} ({_one_line(str(exc))})", fmt)
    except Exception as exc:  # a batch must survive any one bad input
        reason = f"unexpected error ({type(exc).__name__}: {_one_line(str(exc))})"
        yield Article.failed(str(path), reason, fmt)


# ---------------------------------------------------------------------------------------------- stdin

STDIN_NAME = "-"  # the input that is standard input (a file named "-" is `./-`)
STDIN_SOURCE = "<stdin>"  # how its articles are named in their rows (`<stdin>#3` for the third line)
STDIN_INPUT = Path(STDIN_NAME)  # resolve_inputs' marker, told apart from a path by identity
STDIN_FORMATS = ("auto", "txt", "html", "jsonl", "json", "csv", "parquet")
_GZIP_MAGIC, _PARQUET_MAGIC = b"\x1f\x8b", b"PAR1"


def _is_standard_input(path: str | Path) -> bool:
    """Whether `path` is the file standard input is redirected from (`< scores.csv`)."""
    import sys

    try:
        held, named = os.fstat(sys.stdin.fileno()), os.stat(path)
    except (OSError, ValueError, AttributeError):  # no such output yet, or stdin is no real file
        return False
    return stat.S_ISREG(held.st_mode) and (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def check_stdin_readable() -> None:
    """`InputNotFoundError` when `-` cannot be read: standard input is closed, or a terminal (where the
    command would wait for typing instead of reading a pipe)."""
    import sys

    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None or sys.stdin.closed:
        raise InputNotFoundError(STDIN_NAME, "input - is standard input, which is closed")
    if sys.stdin.isatty():
        raise InputNotFoundError(STDIN_NAME, "input - is standard input, which is a terminal: pipe the "
                                             "articles in (newsscore score - -o out.csv < articles.jsonl)")


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def stdin_format_of(sample: bytes, columns: Columns) -> str:
    """The format of what standard input holds, from its first bytes: Parquet by its magic number, a JSON
    object line for JSONL, `[` then `{` (or one object over lines) for JSON, markup for HTML, a CSV header
    naming the text column for CSV, else text; `InputError` when a first line starting with `{` is not a
    JSON object (text or broken JSONL?)."""
    if sample.startswith(_PARQUET_MAGIC):
        return "parquet"
    text = decode_bytes(sample).lstrip("\ufeff \t\n")
    first = text.split("\n", 1)[0]
    if first.startswith("{"):
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (ValueError, RecursionError):
            pass
        if len(sample) < INGEST.sample_bytes and _parses_as_json(text):  # one object over several lines
            return "json"
        if "\n" in text or len(sample) < INGEST.sample_bytes:  # the first line was read whole
            raise InputError("cannot tell the format of standard input: its first line starts with '{' but "
                             "is not a JSON object (say which with --stdin-format txt or jsonl)")
        return "jsonl"  # a first line longer than the sample: JSONL's reader says what is wrong with it
    if re.match(r"\[\s*\{", text):  # an array of objects (a `[Reuters]` text stays text)
        return "json"
    if re.match(r"<(?:[a-zA-Z!?/])", first):
        return "html"
    if columns.text in (name.strip() for name in next(csv.reader([first], delimiter=csv_delimiter(
            first, columns.text)), [])):  # a header naming it
        return "csv"
    return "txt"


def read_stdin(columns: Columns, max_bytes: int, stdin_format: str = "auto") -> Iterator[Article]:
    """The articles of standard input, in `stdin_format` (`auto`: `stdin_format_of` its first 64 KiB; a
    gzip stream is decompressed), named `<stdin>` (`<stdin>#N` for rows). JSON Lines and CSV are read as
    they arrive (`tail -f feed.jsonl | newsscore score - ...`); a text, page or JSON document is read whole
    up to the size limit and no further; Parquet, which is read from its end, is first copied to a
    temporary file (unlinked at once where /proc/self/fd can read it: nothing is left, even by kill -9)."""
    import sys

    fmt, read = stdin_format, 0
    try:
        head = sys.stdin.buffer.read(2)
        stream: IO[bytes] = _Prefixed(head, sys.stdin.buffer)
        if head == _GZIP_MAGIC:
            stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
        sample = _stdin_sample(stream)
        if fmt == "auto":
            if not sample.strip():
                raise InputError("standard input is empty (no text)")
            fmt = stdin_format_of(sample, columns)
        for article in _stdin_articles(_Prefixed(sample, stream), sample, fmt, columns, max_bytes):
            read += 1
            yield article
        if not read and fmt in NO_ROWS_REASONS:
            raise InputError(NO_ROWS_REASONS[fmt])
    except InputError as exc:
        yield Article.failed(STDIN_SOURCE, str(exc), "" if fmt == "auto" else fmt)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        kept = f" after row {read} (the rows before it are read)" if read else ""
        yield Article.failed(STDIN_SOURCE, f"cannot read standard input{kept} ({_one_line(str(exc))})")


def _stdin_sample(stream: IO[bytes]) -> bytes:
    """What standard input holds first, to tell its format: up to 64 KiB, but no more than has arrived
    once its first line tells it (a feed that sends one line a minute is read line by line)."""
    read = getattr(stream, "read1", stream.read)
    sample = b""
    while len(sample) < INGEST.sample_bytes:
        piece = read(INGEST.sample_bytes - len(sample))
        if not piece:
            break
        sample += piece
        if _sample_tells_format(decode_bytes(sample).lstrip("\ufeff \t\n")):
            break
    return sample


def _sample_tells_format(text: str) -> bool:
    """Whether the start of standard input is enough for `stdin_format_of`: its first line, or for `[`
    the character after it; a first line starting with `{` that is no JSON object needs all of the sample
    (one object over several lines, or text)."""
    if text.startswith("["):
        return bool(re.match(r"\[\s*\S", text))
    if "\n" not in text:
        return False
    return not text.startswith("{") or _parses_as_json(text.split("\n", 1)[0])


def _read_up_to(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes of a stream (fewer only at its end: a pipe hands its data over in pieces)."""
    pieces, held = [], 0
    while held < size:
        piece = stream.read(size - held)
        if not piece:
            break
        pieces.append(piece)
        held += len(piece)
    return b"".join(pieces)


def _stdin_articles(stream: IO[bytes], sample: bytes, fmt: str, columns: Columns,
                    max_bytes: int) -> Iterator[Article]:
    """`read_stdin`'s articles of format `fmt`, from `stream` (which starts with `sample`)."""
    if fmt in ("jsonl", "csv"):
        text = _text_reader(sample, io.BufferedReader(stream))  # type: ignore[arg-type]
        reader = jsonl_articles if fmt == "jsonl" else csv_articles
        yield from reader(text, STDIN_SOURCE, columns, max_bytes)
    elif fmt == "parquet":
        yield from _spooled_parquet(stream, columns, max_bytes)
    else:
        data = _read_within_limit(stream, max_bytes)  # a whole document
        if fmt == "json":
            yield from json_articles(decode_bytes(data), STDIN_SOURCE, columns, max_bytes)
        elif fmt == "html":
            yield parse_html(checked_text(data, html=True), STDIN_SOURCE)
        else:
            yield text_article(checked_text(data, html=False), STDIN_SOURCE)


def _spooled_parquet(stream: IO[bytes], columns: Columns, max_bytes: int) -> Iterator[Article]:
    """The rows of a Parquet file on standard input, copied to a temporary file first (its footer, at its
    end, says where the rows are); the file is unlinked at once where /proc/self/fd can still read it, and
    removed in any case when reading ends. The copy stops at the size limit of a file read whole
    (`max_bytes`): a never-ending or huge stream filled the temporary folder before."""
    import tempfile

    descriptor, name = tempfile.mkstemp(prefix="newsscore-stdin-", suffix=".parquet")
    try:
        readable = f"/proc/self/fd/{descriptor}"
        unlinked = os.path.exists(readable)
        if unlinked:
            os.unlink(name)
        with os.fdopen(os.dup(descriptor), "wb") as spool:
            _copy_within_limit(stream, spool, max_bytes)
        path = readable if unlinked else name
        yield from _named(read_parquet(Path(path), columns, max_bytes), path, STDIN_SOURCE)
    finally:
        os.close(descriptor)
        if os.path.exists(name):
            os.unlink(name)


def _copy_within_limit(stream: IO[bytes], target: IO[bytes], max_bytes: int) -> None:
    """Copy a stream to `target`, never more than one byte past `max_bytes`; `InputError` if over it."""
    copied = 0
    while True:
        piece = stream.read(min(1 << 20, max_bytes + 1 - copied))
        if not piece:
            return
        copied += len(piece)
        if copied > max_bytes:
            raise InputError(f"Parquet on standard input over the size limit of {max_bytes} bytes (it is "
                             "copied to a temporary file to be read: name the file as an input instead, "
                             "which is read in place)")
        target.write(piece)


class _Prefixed(io.RawIOBase):
    """A binary stream of `head` then the rest of `stream` (the bytes read to tell a gzip stream)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            data, self.head = self.head[:len(buffer)], self.head[len(buffer):]
        else:  # what has arrived (read1), not a wait for the whole buffer: a pipe is read as it comes
            data = getattr(self.stream, "read1", self.stream.read)(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def iter_articles(
    inputs: Sequence[str | Path],
    *,
    text_column: str = "text",
    title_column: str = "title",
    outlet_column: str = "outlet",
    url_column: str = "url",
    published_column: str = "published",
    max_bytes: int = INGEST.max_bytes,
    stdin_format: str = "auto",
) -> Iterator[Article]:
    """Stream the articles of files, directories (recursive, sorted, hidden files skipped) and globs;
    `-` is standard input (`read_stdin`; `stdin_format` one of STDIN_FORMATS, `auto` to tell it).

    Raises `InputNotFoundError` at call time, before anything is read, if an input is missing (or `-` is
    given and standard input is a terminal or closed); after that every problem becomes an error record
    and iteration goes on."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if stdin_format not in STDIN_FORMATS:
        raise ValueError(f"unknown stdin format {stdin_format!r}: use one of {', '.join(STDIN_FORMATS)}")
    paths, metadata, manifest_errors = split_manifests(resolve_inputs(inputs))
    columns = Columns(text_column, title_column, outlet_column, url_column, published_column)
    articles = (with_manifest(article, metadata.get(os.path.abspath(path)))
                for path in paths for article in _read_file(path, columns, max_bytes, stdin_format))
    return itertools.chain(manifest_errors, articles)


# ---------------------------------------------------------------------------------------------- manifests

MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = ("outlet", "url", "title", "published")


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """A directory's metadata file: CSV with a `file` column (names relative to the manifest's folder) and
    any of outlet, url, title, published; `#` lines are comments. Returns absolute path -> fields."""
    text = read_limited(path, INGEST.max_bytes).decode("utf-8-sig")
    rows = csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    names = [name.strip() for name in rows.fieldnames or []]
    if "file" not in names:
        shown = ", ".join(terminal_text(name)[:100] for name in names[:30])
        raise InputError(f"manifest without a 'file' column (columns: {shown})")
    _check_not_repeated(names, names)  # csv.DictReader would keep the last of two, silently
    rows.fieldnames = names
    metadata: dict[str, dict[str, str]] = {}
    listed: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        name = (row.get("file") or "").strip()  # a short row has None for missing cells
        if not name:
            continue
        target = os.path.abspath(path.parent / name)
        if target in listed:
            raise InputError(f"file '{terminal_text(name)[:200]}' is listed twice (rows {listed[target]} and "
                             f"{number}: which metadata holds is ambiguous)")
        listed[target] = number
        metadata[target] = {key: (row.get(key) or "").strip() for key in MANIFEST_FIELDS}
    return metadata


def split_manifests(paths: Sequence[Path]) -> tuple[list[Path], dict[str, dict[str, str]], list[Article]]:
    """The article files, the metadata their folders' manifest.csv give them, one error per bad manifest."""
    metadata: dict[str, dict[str, str]] = {}
    errors: list[Article] = []
    for path in paths:
        if path.name == MANIFEST_NAME:
            try:
                metadata.update(read_manifest(path))
            except (OSError, UnicodeDecodeError, csv.Error, InputError) as exc:
                errors.append(Article.failed(source_name(path), f"unreadable manifest: {_one_line(str(exc))}",
                                             "csv"))
    return [p for p in paths if p.name != MANIFEST_NAME], metadata, errors


def with_manifest(article: Article, fields: dict[str, str] | None) -> Article:
    """Fill the article's missing metadata from its manifest row; what the article itself says wins."""
    if not fields or not article.ok:
        return article
    article.url = article.url or fields["url"]
    article.title = article.title or fields["title"]
    article.published = article.published or fields["published"]
    if article.outlet == "unknown":
        article.outlet = outlet_name(fields["outlet"]) or outlet_from_url(article.url) or "unknown"
    return article
