"""The Python API: score or explain a text, score a DataFrame, and the features as a scikit-learn transformer.

Everything here runs the same pipeline as the `newsscore` command (ingest's record checks ->
`scoring.pipeline.analyse` -> the model -> `scoring.explain.build_explanation` / the batch's row
builder), so a text scores the same from Python as from the shell.

    import scoring
    result = scoring.score_text(text, outlet="example.org")
    result.score, result.label, result.reasons
    result.warnings                                        # why the score does not apply, if it does not
    scores = scoring.score_frame(df)                       # the columns of `newsscore score`
    scoring.NewsFeatures().fit_transform(df["text"])       # features for your own sklearn pipeline
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from scoring.applicability import is_flagged
from scoring.batch import output_columns, resolve_model, score_chunk
from scoring.explanation import Explanation, build_explanation
from scoring.features import feature_names
from scoring.ingest import Columns, article_from_record
from scoring.model import ReportingStyleModel, default_model_path
from scoring.pipeline import analyse
from scoring.records import Article
from scoring.store import ranks_descending

ModelArgument = ReportingStyleModel | str | os.PathLike[str] | None
TEXT_SOURCE = "<text>"
FRAME_SOURCE = "<frame>"


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[ReportingStyleModel, str]:
    model, version = resolve_model(Path(path))
    return model, version  # type: ignore[return-value]


def load_model(model: ModelArgument = None) -> tuple[ReportingStyleModel, str]:
    """The model to score with and its version: an object as given, a path loaded (once per process),
    None the shipped default (or $NEWSSCORE_MODEL). A mismatched file raises ModelMismatchError."""
    if isinstance(model, ReportingStyleModel):
        return model, resolve_model(model)[1]
    return _load(os.fspath(model) if model is not None else str(default_model_path()))


def article_of(text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
               published: str | None = None, source: str = TEXT_SOURCE) -> Article:
    """An article from a text and its metadata, checked as ingest checks a row (ValueError when unusable)."""
    record = {"text": text, "title": title, "url": url, "outlet": outlet, "published": published}
    article = article_from_record(record, source, Columns(), "text")
    if not article.ok:
        raise ValueError(article.error)
    return article


def explain(text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
            published: str | None = None, model: ModelArgument = None, with_model: bool = True,
            top: int = 5) -> Explanation:
    """Why TEXT scores as it does: score, per-feature contributions, `top` reasons, the quality label,
    every feature and span; the same object `newsscore explain` and its HTML view render.

    `with_model=False` gives features, label and spans only. Raises ValueError for empty or oversized text;
    an extraction failure is raised as ValueError too (the batch commands turn it into an error row)."""
    analysis = analyse(article_of(text, title=title, url=url, outlet=outlet, published=published))
    if not analysis.ok:
        raise ValueError(analysis.article.error)
    if not with_model:
        return build_explanation(analysis, None, top=top)
    loaded = model if isinstance(model, ReportingStyleModel) else load_model(model)[0]  # no version needed
    return build_explanation(analysis, loaded, top=top)


def score_text(text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
               published: str | None = None, model: ModelArgument = None) -> Explanation:
    """Score one article text (0-100, higher = more careful reporting) with its features, spans, quality
    label and top three reasons (as in `newsscore score`'s `top_reasons`). `warnings` says when the score
    does not apply (too short, not English, not prose); a too-short text's score is None (withheld)."""
    return explain(text, title=title, url=url, outlet=outlet, published=published, model=model, top=3)


def score_frame(df: pd.DataFrame, text_column: str = "text", *, title_column: str = "title",
                outlet_column: str = "outlet", url_column: str = "url", published_column: str = "published",
                model: ModelArgument = None, with_model: bool = True) -> pd.DataFrame:
    """One row per row of DF with the columns `newsscore score` writes (metadata, features, label, model
    version, score, rank, top reasons, warnings), in DF's order and index. A row without usable text becomes
    a row with status `error` and the reason, as in a batch; a flagged row (see `warnings`) has no rank, and
    a too-short one no score; sources are `<frame>#ROW` (1-based position)."""
    if text_column not in df.columns:
        shown = ", ".join(map(str, df.columns))
        raise ValueError(f"no text column {text_column!r} in the frame (columns: {shown})")
    columns = Columns(text_column, title_column, outlet_column, url_column, published_column)
    articles = [article_from_record(record, f"{FRAME_SOURCE}#{number}", columns, "frame")
                for number, record in enumerate(df.to_dict("records"), start=1)]
    loaded, version = load_model(model) if with_model else (None, "")
    rows = score_chunk(articles, loaded, version) if loaded is not None else score_chunk(articles)
    table = pd.DataFrame(rows, columns=output_columns(loaded is not None), index=df.index)
    if loaded is not None:
        scores = pd.to_numeric(table["score"], errors="coerce").to_numpy(dtype=float, copy=True)
        scores[table["warnings"].map(is_flagged).to_numpy(dtype=bool)] = np.nan  # flagged: not ranked
        ranks = ranks_descending(scores, table["id"].to_numpy(dtype=str))
        # last, as the batch sinks add it once the whole batch is scored; a failed row has no rank
        table["rank"] = pd.Series(ranks, index=table.index).where(ranks > 0).astype("Int64")
    return table


class NewsFeatures(TransformerMixin, BaseEstimator):
    """The newsscore features of raw article texts, as a scikit-learn transformer.

    `transform` takes an iterable of texts (a list, a pandas Series, a 1-column frame) and returns a float
    array of shape (n_texts, n_features), columns named by `get_feature_names_out()`; nothing is learned,
    so `fit` only checks the parameters. `features` picks a subset (None = every registered feature, in
    registry order). A text that cannot be analysed (empty, oversized) raises ValueError naming its row,
    or gives a row of NaN with `on_error="nan"`."""

    def __init__(self, features: Sequence[str] | None = None, on_error: str = "raise") -> None:
        self.features = features
        self.on_error = on_error

    def fit(self, X: Iterable[str], y: Any = None) -> NewsFeatures:  # noqa: N803 - scikit-learn's names
        """Check the parameters and record the output feature names."""
        registered = feature_names()
        chosen = list(registered if self.features is None else self.features)
        unknown = [name for name in chosen if name not in registered]
        if unknown:
            raise ValueError(f"unknown features {unknown}; registered: {', '.join(registered)}")
        if not chosen:
            raise ValueError("features is empty: choose at least one feature, or None for all")
        if self.on_error not in ("raise", "nan"):
            raise ValueError(f"on_error must be 'raise' or 'nan', got {self.on_error!r}")
        self.feature_names_out_ = np.asarray(chosen, dtype=object)
        return self

    def transform(self, X: Iterable[str]) -> np.ndarray:  # noqa: N803
        """The feature matrix of the texts X, one row per text."""
        check_is_fitted(self, "feature_names_out_")
        names = list(self.feature_names_out_)
        texts = _texts(X)
        matrix = np.full((len(texts), len(names)), np.nan)
        for row, text in enumerate(texts):
            source = f"{FRAME_SOURCE}#{row + 1}"
            article = (article_from_record({"text": text}, source, Columns(), "text") if isinstance(text, str)
                       else Article.failed(source, f"not a text ({type(text).__name__})"))
            analysis = analyse(article)
            if analysis.features is None:
                if self.on_error == "raise":
                    raise ValueError(f"row {row}: {analysis.article.error}")
                continue
            values = analysis.features.values
            matrix[row] = [values[name] for name in names]
        return matrix

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The names of the output columns (registry names), as scikit-learn's API expects."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


def _texts(X: Any) -> list[Any]:  # noqa: N803
    """X as a list of texts: a 1-D iterable, or a frame / 2-D array with exactly one column."""
    if isinstance(X, str):
        raise ValueError("NewsFeatures takes an iterable of texts, not one string: wrap it in a list")
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise ValueError(f"NewsFeatures takes one text column, got a frame with {X.shape[1]} columns")
        X = X.iloc[:, 0]
    array = np.asarray(X, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"NewsFeatures takes a 1-D iterable of texts, got shape {array.shape}")
    return list(array)


__all__ = ["Explanation", "NewsFeatures", "article_of", "explain", "load_model", "score_frame", "score_text"]
