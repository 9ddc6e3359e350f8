"""The records that flow from ingest through segmentation, features and the model: the `Article` as
read, and the `Document` (its labelled blocks and the one tokenisation every feature family shares)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from scoring.text import WORD_RE, NormalisedText, lowered_words, sentence_spans, word_tokens

STATUS_OK = "ok"
STATUS_ERROR = "error"
BODY = "body"


def content_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of the SHA-256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class BlockHint:
    """A block boundary known from the source markup (HTML): character range in `Article.text`
    plus what the DOM said about it, so segmentation can use link density and tag names."""

    start: int
    end: int
    tag: str = ""
    link_chars: int = 0


@dataclass(slots=True)
class Article:
    """One input article, or one input that failed (status `error` with a one-line reason)."""

    id: str
    source: str
    text: str = ""
    outlet: str = "unknown"
    url: str = ""
    title: str = ""
    published: str = ""
    status: str = STATUS_OK
    error: str = ""
    input_format: str = "txt"
    block_hints: tuple[BlockHint, ...] = field(default_factory=tuple)
    raw_html: str = ""  # the page markup, kept for HTML inputs so segmentation can use the DOM

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @classmethod
    def failed(cls, source: str, reason: str, input_format: str = "") -> Article:
        """A record for an input that could not be read; its id hashes the source name."""
        return cls(
            id=content_id("error:" + source),
            source=source,
            status=STATUS_ERROR,
            error=f"{source}: {reason}",
            input_format=input_format,
        )


@dataclass(frozen=True, slots=True)
class Block:
    """A line or DOM block: characters [start, end) of the raw text and its label."""

    start: int
    end: int
    category: str = BODY  # BODY, or a boilerplate category name

    @property
    def is_body(self) -> bool:
        return self.category == BODY


class Document:
    """A segmented article: raw text, labelled blocks, and the body views every extractor reads, each
    built once on first use. Words and sentences are found in the NFC form of the body (so composed
    and decomposed accents count alike) and their spans index the raw text."""

    def __init__(self, text: str, blocks: tuple[Block, ...], title: str = "",
                 block_word_counts: tuple[int, ...] = (), block_visible_chars: tuple[int, ...] = ()) -> None:
        self.text = text
        self.blocks = blocks
        self.title = title
        # WORD_RE's words in each block's text[start:end], as segmentation counted them (or empty)
        self.block_word_counts = block_word_counts
        # the non-whitespace characters of each block's text[start:end], as segmentation counted them
        # (or empty)
        self.block_visible_chars = block_visible_chars

    @cached_property
    def _masked_ranges(self) -> list[tuple[int, int]]:
        """The character ranges of the non-body blocks, disjoint and ascending (overlaps cut off)."""
        ranges, done = [], 0
        for start, end in sorted((b.start, b.end) for b in self.blocks if not b.is_body):
            start = max(start, done)
            if end <= start:
                continue
            ranges.append((start, end))
            done = end
        return ranges

    @cached_property
    def body_text(self) -> str:
        """The raw text with every non-body character replaced by a space (line breaks kept), so
        offsets found in it are valid in the raw text."""
        text, pieces, done = self.text, [], 0
        for start, end in self._masked_ranges:
            pieces.append(text[done:start])
            masked = text[start:end]
            pieces.append("\n".join(" " * len(line) for line in masked.split("\n")) if "\n" in masked
                          else " " * len(masked))  # a line's block holds no line break
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    @cached_property
    def _normalised_body(self) -> NormalisedText:
        return NormalisedText(self.body_text)

    @cached_property
    def _normalised_tokens(self) -> tuple[list[int], list[int], list[str]]:
        """Starts, ends and texts of the words of the NFC body, found in one pass."""
        return word_tokens(self._normalised_body.text)

    @cached_property
    def body_words(self) -> list[tuple[int, int]]:
        """Character ranges (raw text) of the body's words."""
        starts, ends, _ = self._normalised_tokens
        return self._normalised_body.raw_spans(list(zip(starts, ends, strict=True)))

    @cached_property
    def body_word_starts(self) -> list[int]:
        """Start offsets (raw text) of the body's words, ascending: `body_words`' starts, for bisection."""
        if self._normalised_body.changed:
            return [start for start, _ in self.body_words]
        return self._normalised_tokens[0]

    @property
    def body_word_texts(self) -> list[str]:
        """The body's words as written (NFC)."""
        return self._normalised_tokens[2]

    @cached_property
    def body_lowered(self) -> list[str]:
        """The body's words lower-cased, ’ read as ' (the one lower-cased copy every family shares)."""
        return lowered_words(self._normalised_body.text, self._normalised_tokens[2])

    @property
    def body_word_count(self) -> int:
        return len(self._normalised_tokens[2])

    @cached_property
    def body_sentences(self) -> list[tuple[int, int]]:
        """Character ranges (raw text) of the body's sentences."""
        normalised = self._normalised_body
        return normalised.raw_spans(sentence_spans(normalised.text))

    @cached_property
    def page_word_count(self) -> int:
        """Words on the whole page, boilerplate included (the body's words when all of it is body).
        When no word runs across a block edge and neither text changes under NFC, that is the body's
        words plus the words of the non-body ranges, so only those ranges are scanned again."""
        masked = self._masked_ranges
        if not masked:
            return self.body_word_count
        from_pieces = self._page_word_count_from_pieces()
        if from_pieces is not None:
            return from_pieces
        page = NormalisedText(self.text)
        if page.changed or self._normalised_body.changed:
            return len(WORD_RE.findall(page.text))
        text = self.text
        if not all(_no_word_across(text, start) and _no_word_across(text, end) for start, end in masked):
            return len(WORD_RE.findall(text))
        return self.body_word_count + sum(len(WORD_RE.findall(text, start, end)) for start, end in masked)

    def _page_word_count_from_pieces(self) -> int | None:
        """page_word_count without normalising the whole page (on a 5 MB page, 0.2 s of NFC checks and a
        0.1 s word scan), when the body is NFC and each non-body range meets its neighbours between two
        NFC-stable starters (`_nfc_stable_starter`) that no word holds across: NFC composes nothing
        across such an edge and keeps both characters, so the page's NFC is its pieces' NFC end to end,
        and its words are the body's plus those of each non-body range's NFC. None when that does not hold."""
        body = self._normalised_body
        if body.changed or not body.is_nfc:
            return None
        text, n = self.text, len(self.text)
        count = self.body_word_count
        known = {(block.start, block.end): words
                 for block, words in zip(self.blocks, self.block_word_counts, strict=False)
                 if not block.is_body}
        for start, end in self._masked_ranges:
            for edge in (start, end):
                if 0 < edge < n and not (_nfc_stable_starter(text[edge - 1])
                                         and _nfc_stable_starter(text[edge]) and _no_word_across(text, edge)):
                    return None
            piece = text[start:end]
            if unicodedata.is_normalized("NFC", piece):
                counted = known.get((start, end))
                count += len(WORD_RE.findall(text, start, end)) if counted is None else counted
                continue
            normalised = NormalisedText(piece)
            if not normalised.is_nfc:
                return None
            count += len(WORD_RE.findall(normalised.text))
        return count


def _no_word_across(text: str, offset: int) -> bool:
    """No word of WORD_RE can hold both text[offset - 1] and text[offset]: one of them is neither a word
    character nor one of the ’ ' . - that join letters inside a word (or the offset is an end)."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (_IN_WORD_RE.match(text, offset - 1) and _IN_WORD_RE.match(text, offset))


_IN_WORD_RE = re.compile(r"[\w’'.\-]")  # the characters a WORD_RE word is made of


def _nfc_stable_starter(ch: str) -> bool:
    """NFC keeps `ch` and composes it with no character before it: it is NFC, not a mark and not a Hangul
    jamo (every second character of a Unicode composition is one of those; all below U+0300 pass)."""
    return ch < "\u0300" or (not unicodedata.category(ch).startswith("M") and not "\u1100" <= ch <= "\u11ff"
                              and unicodedata.is_normalized("NFC", ch))
