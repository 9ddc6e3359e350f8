"""Run one article through the pipeline: segment → extract features (→ model, when one is given).

Failures are per article: an input that fails to segment or extract becomes an error row, and the
batch goes on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scoring.applicability import Warning, check, warnings_cell
from scoring.features import FeatureRecord, extract, feature_names
from scoring.quality_label import quality_column_names, quality_columns
from scoring.records import STATUS_ERROR, STATUS_OK, Article, Document
from scoring.segment import segment

META_COLUMNS = ("id", "source", "outlet", "url", "title", "published", "status", "error", "warnings",
                "word_count")


@dataclass(slots=True)
class Analysis:
    """An article with its segmentation and features (both None when the article failed), and why the
    score does not apply to it, if it does not (scoring/applicability.py)."""

    article: Article
    document: Document | None = None
    features: FeatureRecord | None = None
    warnings: tuple[Warning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.article.status == STATUS_OK and self.features is not None


def analyse(article: Article) -> Analysis:
    """Segment an ok article and extract its features; an exception becomes the article's error."""
    if not article.ok:
        return Analysis(article)
    try:
        document = segment(article)
        warnings = check(document)
        features = extract(document)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop a batch
        article.status = STATUS_ERROR
        article.error = f"{article.source}: feature extraction failed: {type(exc).__name__}: {exc}"
        return Analysis(article)
    return Analysis(article, document, features, warnings)


def analyse_all(articles: Iterable[Article]) -> Iterator[Analysis]:
    """`analyse` over a stream, lazily."""
    for article in articles:
        yield analyse(article)


def base_row(analysis: Analysis) -> dict[str, object]:
    """The metadata, feature and quality-label columns of an output row (empty for failed articles)."""
    article = analysis.article
    row: dict[str, object] = {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "status": article.status,
        "error": article.error,
        "warnings": warnings_cell(analysis.warnings),
        "word_count": analysis.document.page_word_count if analysis.document is not None else 0,
    }
    values = analysis.features.values if analysis.features is not None else {}
    for name in feature_names():
        row[name] = values.get(name)
    row.update(quality_columns(values) if values else dict.fromkeys(quality_column_names()))
    return row
