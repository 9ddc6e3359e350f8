"""Is the score applicable to this text? A few cheap, named checks on the segmented body, run after
segmentation: the score's criteria are per-1k-word rates learned on English news prose, so on a tweet, a
Russian paragraph or a source file they mean nothing, however confidently they add up.

Each check is one measure of the body against one threshold of `settings.cfg` [applicability] (derived by
`benchmarks/applicability.py` from real articles, results in `benchmarks/results/applicability.json`):

- `too_short`: fewer body words than the score needs (below it the score's spread over which sentences
  one happens to read exceeds the stated number of points);
- `not_english`: few English function words among the body's words (scikit-learn's English stop-word
  list, `scoring/lexicons/stop_words.txt`), or few words in Latin script;
- `not_prose`: code, tables or lists: many runs of code symbols (`{ } [ ] < > = _ ; # | \\` and backticks)
  per word, or many words that are numbers.

A warning leaves the article's features as they are; what follows from it (a withheld score, no rank,
left out of outlet statistics) is decided where the score is used."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import filterfalse
from operator import itemgetter
from typing import Any

from scoring.lexicon import load_lexicon
from scoring.records import Document
from scoring.settings import SETTINGS
from scoring.text import WORD_RE

TOO_SHORT = "too_short"
NOT_ENGLISH = "not_english"
NOT_PROSE = "not_prose"
REASONS = (TOO_SHORT, NOT_ENGLISH, NOT_PROSE)
WARNING_SEPARATOR = " | "  # between the warnings of one row in the `warnings` column (`code: message`)
CODE_SYMBOLS = "{}[]<>=_;#|\\`"
_CODE_SYMBOL_RUN_RE = re.compile("[" + re.escape(CODE_SYMBOLS) + "]+")
_CODE_SYMBOL_BYTES = CODE_SYMBOLS.encode("ascii")
# a letter of another script than Latin (Basic Latin to Latin Extended-B, IPA, Latin Extended Additional)
_NON_LATIN_LETTER_RE = re.compile(r"[^\W\d_\u0000-\u02af\u1e00-\u1eff]")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(load_lexicon("stop_words"))


@dataclass(frozen=True, slots=True)
class BodyMeasures:
    """What the checks read from a body: its words and four shares, each 0-1."""

    body_words: int
    function_word_share: float  # English function words / body words
    latin_word_share: float  # words with no letter of another script than Latin / body words
    code_symbol_runs_per_word: float  # runs of code symbols (`__`, `=`, `{`...) per word (below the
    # threshold, outside `exact`, the symbols themselves: an upper bound that decides alike)
    number_word_share: float  # words starting with a digit / body words
    page_words: int = -1  # words on the whole page, when the shares are the page's (a short body)


@dataclass(frozen=True, slots=True)
class Warning:  # noqa: A001 - the domain's word; never raised, so it shadows no use of the builtin
    """One reason the score does not apply: its code (`too_short`...) and a sentence with the numbers."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def measure(document: Document) -> BodyMeasures:
    """The body's word count and shares, from the Document's one tokenisation (a few C-level passes). When
    the body has too few words for a share to mean anything (settings `min_words_for_shares`), the shares
    are of the whole page's text, so a Russian paragraph that segmentation left without body is still named
    as not English."""
    count = document.body_word_count
    if count >= SETTINGS.applicability.min_words_for_shares:
        return _measures(count, document.body_lowered, document.body_text)
    page = document.text
    words = [word.lower() for word in WORD_RE.findall(page)]
    return _measures(count, words, page, len(words))


def _code_symbol_runs(text: str, words: int, exact: bool = False) -> int:
    """Runs of code symbols in `text` (a ruled line ____ counts once). The symbols themselves are counted
    first, as the bytes one `bytes.translate` pass deletes from the Latin-1 form (a str.count or
    bytes.count per symbol, or one regex pass, costs ~1M instructions on an article, a UTF-8 encoding
    ~0.25M): runs are never more than symbols, so below the threshold that count decides alike and the
    regex runs only past it (always with `exact`)."""
    data = text.encode("latin-1", "ignore")  # the symbols are ASCII; CPython drops the rest in C, fast
    symbols = len(data) - len(data.translate(None, _CODE_SYMBOL_BYTES))
    if not exact and symbols < SETTINGS.applicability.max_code_symbol_runs_per_word * words:
        return symbols
    return len(_CODE_SYMBOL_RUN_RE.findall(text))


def _measures(body_words: int, words: list[str], text: str, page_words: int = -1,
              exact: bool = False) -> BodyMeasures:
    """The shares, with C-level passes only (map, str.count) on an ordinary English body: the word shares
    are of an evenly spaced sample of at most settings' `sample_words` words, only words that are not
    ASCII are looked at one by one, and code symbols are counted as `_code_symbol_runs` says (`exact`:
    runs always, for the benchmark's quantiles)."""
    if not words:
        return BodyMeasures(body_words, 0.0, 1.0, 0.0, 0.0, page_words)
    words_all = words
    sample = SETTINGS.applicability.sample_words
    if len(words) > sample:  # evenly spaced: the shares of a long body cost no more than a short one's
        words = words[::-(-len(words) // sample)]
    count = len(words)
    function_words = sum(map(_function_words().__contains__, words))
    numbers = sum(map(str.isdigit, map(itemgetter(0), words)))
    latin = count
    if not all(map(str.isascii, words)):
        latin -= sum(1 for word in filterfalse(str.isascii, words) if _NON_LATIN_LETTER_RE.search(word))
    runs = _code_symbol_runs(text, len(words_all), exact)
    return BodyMeasures(body_words, function_words / count, latin / count, runs / len(words_all),
                        numbers / count, page_words)


def warnings_for(measures: BodyMeasures, limits: Any = None) -> tuple[Warning, ...]:
    """The warnings a body's measures raise, in `REASONS` order (none for an ordinary news article);
    `limits` replaces settings.cfg's [applicability] (benchmarks/applicability.py tries its derived ones)."""
    limit = SETTINGS.applicability if limits is None else limits
    found = []
    if measures.body_words < limit.min_body_words:
        page = (f" ({measures.page_words} on the page, the rest read as boilerplate)"
                if measures.page_words > measures.body_words else "")
        found.append(Warning(TOO_SHORT, f"too short to judge: {measures.body_words} body words{page}; the "
                                        f"score needs at least {limit.min_body_words}"))
    prose_like = (measures.code_symbol_runs_per_word < limit.max_code_symbol_runs_per_word
                  and measures.number_word_share < limit.max_number_word_share)
    if measures.latin_word_share < limit.min_latin_word_share:
        found.append(Warning(NOT_ENGLISH, f"not English: {measures.latin_word_share:.0%} of the words are "
                                          f"in Latin script; the score needs at least "
                                          f"{limit.min_latin_word_share:.0%}"))
    elif prose_like and measures.function_word_share < limit.min_function_word_share:
        found.append(Warning(NOT_ENGLISH, f"not English (or a list?): {measures.function_word_share:.0%} of "
                                          f"the words are English function words (the, of, and...); "
                                          f"English news has at least {limit.min_function_word_share:.0%}"))
    if measures.code_symbol_runs_per_word >= limit.max_code_symbol_runs_per_word:
        found.append(Warning(NOT_PROSE, f"not prose (code or markup?): "
                                        f"{100 * measures.code_symbol_runs_per_word:.0f} runs of code "
                                        f"symbols such as {{ }} = _ ; per 100 words; news prose has under "
                                        f"{100 * limit.max_code_symbol_runs_per_word:.0f}"))
    elif measures.number_word_share >= limit.max_number_word_share:
        found.append(Warning(NOT_PROSE, f"not prose (a table or list?): {measures.number_word_share:.0%} of "
                                        f"the words are numbers; news prose has under "
                                        f"{limit.max_number_word_share:.0%}"))
    return tuple(found)


def check(document: Document) -> tuple[Warning, ...]:
    """The warnings of a segmented article: `warnings_for(measure(document))`."""
    return warnings_for(measure(document))


def warnings_cell(warnings: tuple[Warning, ...]) -> str:
    """The `warnings` column of an output row: `code: message` per warning, joined by ' | ' ('' when the
    score applies)."""
    return WARNING_SEPARATOR.join(f"{w.code}: {w.message}" for w in warnings)


def warning_codes(cell: object) -> list[str]:
    """The reason codes in a `warnings` cell as `warnings_cell` writes it (empty for '', None or NaN)."""
    if not isinstance(cell, str) or not cell:
        return []
    return [part.split(":", 1)[0].strip() for part in cell.split(WARNING_SEPARATOR.strip()) if part.strip()]


def score_withheld(row: Mapping[str, object]) -> bool:
    """True for a row whose score is withheld: a `too_short` body, where the score is noise by
    benchmarks/applicability.py's measure (the other warnings keep the score, unranked)."""
    return TOO_SHORT in warning_codes(row.get("warnings"))


def is_flagged(cell: object) -> bool:
    """True when a `warnings` cell holds at least one warning."""
    return isinstance(cell, str) and bool(cell.strip())



__all__ = ["NOT_ENGLISH", "NOT_PROSE", "REASONS", "TOO_SHORT", "BodyMeasures", "Warning", "check",
           "is_flagged", "measure", "score_withheld", "warning_codes", "warnings_cell", "warnings_for"]
