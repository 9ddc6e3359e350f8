"""Boilerplate features: how much of the page is not the article, by category, and how big the body is.

Shares are of the page's non-whitespace characters (all blocks), so a page that is half menus and
teasers has boilerplate_share 0.5 whatever its line lengths. Evidence: one span per boilerplate block,
kind "boilerplate", labelled with its category (navigation, promotional, related, social, legal,
byline_blurb), trimmed to the block's visible text.
"""

from __future__ import annotations

from operator import attrgetter

from scoring.features.base import Document, FeatureRecord, Span, share
from scoring.records import BODY
from scoring.segment import CATEGORIES, Block

FEATURE_NAMES: tuple[str, ...] = (
    "boilerplate_share",
    "navigation_share",
    "promotional_share",
    "related_share",
    "social_share",
    "legal_share",
    "byline_blurb_share",
    "body_word_count",
    "body_block_count",
)


def visible_chars(text: str) -> int:
    """Number of non-whitespace characters. A printable text holds no whitespace but " " (every other
    str.isspace() character is unprintable), so it has its length less its spaces; any other text is
    counted with str.split(), which splits on exactly the str.isspace() characters."""
    if text.isprintable():
        return len(text) - text.count(" ")
    return sum(map(len, text.split()))


def trimmed_span(doc: Document, block: Block) -> Span | None:
    """The block's range without leading/trailing whitespace as a boilerplate span (None if blank)."""
    text, start, end = doc.text, block.start, block.end
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        return Span(start, end, "boilerplate", block.category)  # most blocks: no copy of the block
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    start = block.start + (len(chunk) - len(chunk.lstrip()))
    return Span(start, start + len(stripped), "boilerplate", block.category)


def category_chars(doc: Document) -> tuple[int, dict[str, int]]:
    """Visible characters of the whole page (all blocks) and of each boilerplate category: each block's as
    segmentation counted them (`Document.block_visible_chars`), else counted here."""
    counts = doc.block_visible_chars
    if len(counts) != len(doc.blocks):
        counts = tuple(visible_chars(doc.text[block.start:block.end]) for block in doc.blocks)
    total = sum(counts)
    by_category = dict.fromkeys(CATEGORIES, 0)
    for block, chars in zip(doc.blocks, counts, strict=True):
        if block.category != BODY:
            by_category[block.category] = by_category.get(block.category, 0) + chars
    return total, by_category


def extract(doc: Document) -> FeatureRecord:
    """Boilerplate shares per category, body size, and a span per boilerplate block."""
    total, by_category = category_chars(doc)
    values = {
        "boilerplate_share": share(sum(by_category.values()), total),
        **{f"{category}_share": share(by_category.get(category, 0), total) for category in CATEGORIES},
        "body_word_count": float(doc.body_word_count),
        "body_block_count": float(list(map(attrgetter("category"), doc.blocks)).count(BODY)),
    }
    spans = [span for block in doc.blocks if block.category != BODY
             if (span := trimmed_span(doc, block)) is not None]
    return FeatureRecord(values={name: values[name] for name in FEATURE_NAMES}, spans=spans)
