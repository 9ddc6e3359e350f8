"""Escape field values for the medium they reach: the terminal, rich tables and spreadsheet cells.

Article fields (title, outlet, source file names, error reasons) come from files the user did not write.
On a terminal a control character can retitle the window or clear the screen, and `[` starts rich markup;
in a spreadsheet a cell starting with `=`, `+`, `-`, `@`, tab or CR is run as a formula; in HTML a
bidirectional override reorders what the browser shows. HTML goes through `html_text` where it is written;
matplotlib maths text is switched off in the report notebook.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 control characters (ESC, CSI, BEL, BS, CR...), DEL, and the bidirectional overrides and
# isolates that reorder what a terminal shows (CVE-2021-42574, "Trojan Source").
_TERMINAL_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_UNSAFE_OR_NEWLINE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_C1_RE = re.compile("[\x80-\x9f]")
# In HTML text: the same, but tabs, newlines and carriage returns stay (a page's own line breaks).
_HTML_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Spreadsheet formula triggers (OWASP "CSV injection"): a cell starting with one of these is evaluated.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escaped(pattern: re.Pattern[str], value: object) -> str:
    """str(value) with each character `pattern` matches shown as a `\\xNN` / `\\uNNNN` escape."""
    text = str(value)
    return pattern.sub(_escape_char, text) if pattern.search(text) else text


def terminal_text(value: object, *, one_line: bool = True) -> str:
    """`value` as a string safe to print: control and bidi characters shown as `\\xNN` / `\\uNNNN`
    escapes (newlines and tabs too when `one_line`), so nothing a file holds can drive the terminal."""
    return _escaped(_TERMINAL_UNSAFE_OR_NEWLINE_RE if one_line else _TERMINAL_UNSAFE_RE, value)


def html_visible(value: object) -> str:
    """`value` with control characters and bidi overrides and isolates shown as `\\xNN` / `\\uNNNN`
    escapes (line breaks and tabs stay): for text a writer such as `DataFrame.to_html` then HTML-escapes."""
    return _escaped(_HTML_UNSAFE_RE, value)


def html_text(value: object) -> str:
    """`value` for HTML text or a quoted attribute: `html.escape` (quotes too) of `html_visible`, so no
    article can reorder or hide what the page shows."""
    return html.escape(html_visible(value))


def plain(value: object, *, one_line: bool = True) -> Text:
    """A rich `Text` of `value`: never parsed as markup, control characters escaped."""
    from rich.text import Text

    return Text(terminal_text(value, one_line=one_line))


def json_for_terminal(line: str) -> str:
    """A JSON line with C1 control characters (which `json.dumps(ensure_ascii=False)` leaves raw, and a
    terminal may read as CSI) written as `\\u00NN` escapes; still the same JSON value."""
    return _C1_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line) if _C1_RE.search(line) else line


def neutralise_formula(value: object) -> object:
    """A string cell that a spreadsheet would run as a formula gets a leading apostrophe; a string that
    already starts with apostrophes before a trigger gets one more, so `restore_formula` inverts it."""
    if isinstance(value, str) and value.lstrip(FORMULA_GUARD).startswith(FORMULA_TRIGGERS):
        return FORMULA_GUARD + value
    return value


def restore_formula(value: object) -> object:
    """The inverse of `neutralise_formula`: the original string of a neutralised cell."""
    if (isinstance(value, str) and value.startswith(FORMULA_GUARD)
            and value.lstrip(FORMULA_GUARD).startswith(FORMULA_TRIGGERS)):
        return value[1:]
    return value


def markup_safe(value: object, *, one_line: bool = True) -> str:
    """`value` to embed in a rich markup string: control characters escaped, `[` escaped as markup."""
    from rich.markup import escape

    return escape(terminal_text(value, one_line=one_line))
