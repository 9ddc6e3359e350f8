"""The article record that flows from ingest through segmentation, features and the model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

STATUS_OK = "ok"
STATUS_ERROR = "error"


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
