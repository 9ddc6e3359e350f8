"""README's generated blocks: the text between a pair of markers is rewritten from its source, or checked
against it (--check), so one way of splicing and checking serves every generating script."""

from __future__ import annotations

import sys
from pathlib import Path


def between_markers(readme: str, start: str, end: str, generated: str) -> str:
    """`readme` with the text between the markers `start` and `end` replaced by `generated`."""
    if start not in readme or end not in readme:
        raise ValueError(f"README.md lacks the markers {start!r} ... {end!r}")
    head, rest = readme.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{generated}\n{end}{tail}"


def write_or_check(path: Path, current: str, wanted: str, check: bool, stale: str) -> int:
    """Write `wanted` to `path` when it differs (0), or with `check` say `stale` and return 1 when it does."""
    if check:
        if wanted != current:
            print(f"{path}: {stale}", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        path.write_text(wanted, encoding="utf-8")
    return 0
