"""The self-contained HTML explanation: every evidence span highlighted exactly once, escaped, no URLs."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.features import Span
from scoring.html_explain import (
    contributions_svg,
    highlighted_text_html,
    render_explanation_html,
)
from scoring.ingest import iter_articles
from scoring.model import ReportingStyleModel, default_model_path
from scoring.pipeline import analyse
from scoring.records import Article, content_id

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
VOID = {"meta", "br", "hr", "img", "input", "link", "line"}


class Highlights(HTMLParser):
    """Collects, per data-span number, the attributes of its elements and the text inside them, plus the
    text of the .ns-text block and the legend's kinds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.span_text: dict[int, str] = {}
        self.span_attrs: dict[int, list[dict[str, str]]] = {}
        self.body_text: list[str] = []
        self.legend_kinds: list[str] = []
        self.bars: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "li" and "legend-item" in attributes.get("class", ""):
            self.legend_kinds.append(attributes["data-kind"])
        if tag == "rect" and attributes.get("class") == "bar":
            self.bars.append(attributes["data-feature"])
        if "data-span" in attributes:
            self.span_attrs.setdefault(int(attributes["data-span"]), []).append(attributes)
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"unbalanced </{tag}> at {self.getpos()}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        inside_text = any(a.get("class") == "ns-text" for _, a in self.stack)
        if inside_text:
            self.body_text.append(data)
        for _, attributes in self.stack:
            if "data-span" in attributes:
                number = int(attributes["data-span"])
                self.span_text[number] = self.span_text.get(number, "") + data


def parse(page: str) -> Highlights:
    parser = Highlights()
    parser.feed(page)
    parser.close()
    assert not parser.stack, parser.stack
    return parser


@pytest.fixture(scope="module")
def model() -> ReportingStyleModel:
    return ReportingStyleModel.load(default_model_path())


@pytest.fixture(scope="module")
def seeds():
    return [analyse(article) for article in iter_articles([SEEDS])]


def test_each_evidence_span_of_every_seed_is_highlighted_exactly_once(seeds, model) -> None:
    for analysis in seeds:
        page = render_explanation_html(analysis, model)
        found = parse(page)
        text, spans = analysis.article.text, analysis.features.spans
        assert "".join(found.body_text) == text  # every character of the article once, nothing added
        assert set(found.span_attrs) == set(range(len(spans)))
        for number, span in enumerate(spans):
            assert found.span_text[number] == text[span.start:span.end], (analysis.article.source, span)
            for attributes in found.span_attrs[number]:
                assert attributes["data-kind"] == span.kind
                assert (int(attributes["data-start"]), int(attributes["data-end"])) == (span.start, span.end)
            parts = [int(a.get("data-part", 0)) for a in found.span_attrs[number]]
            assert parts == list(range(len(parts)))  # fragments only when a crossing span forces them
        assert sorted(found.legend_kinds) == sorted({s.kind for s in spans})
        assert found.bars and set(found.bars) == set(model.feature_names)


def test_page_shows_score_reasons_and_is_self_contained(seeds, model) -> None:
    analysis = seeds[1]
    page = render_explanation_html(analysis, model)
    score = float(model.score([analysis.features.values])[0])
    assert f"{score:.1f} / 100" in page
    assert page.count('<li class="raises">') + page.count('<li class="lowers">') >= 3
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script|<link""", page, re.IGNORECASE)
    for kind in ("quote", "attribution", "boilerplate", "hedge", "loaded"):
        assert f".ns-explain .ev-{kind}{{" in page  # a distinct style for each main kind


def test_article_text_is_escaped_not_interpreted() -> None:
    text = ('Breaking <script>alert("x")</script> & <b>bold</b>\n'
            '"This is outrageous," the minister said, reportedly furious.\n')
    article = Article(id=content_id(text), source="adversarial.txt", text=text, title="<img onerror=x>")
    page = render_explanation_html(analyse(article))
    assert "<script" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    found = parse(page)
    assert "".join(found.body_text) == text
    assert "No model" in page and not found.bars


def test_failed_article_shows_its_error() -> None:
    page = render_explanation_html(analyse(Article.failed("missing.txt", "not a <regular> file")))
    assert '<p class="ns-error">Not scored: ' in page
    assert "not a &lt;regular&gt; file" in page  # the reason, escaped
    assert 'class="ns-text"' not in page and not parse(page).legend_kinds


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_arbitrary_overlapping_spans_nest_with_every_character_once(data) -> None:
    text = data.draw(st.text(alphabet="ab <&>\"'\n", min_size=1, max_size=60))
    bounds = st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(lambda t: t[0] < t[1])
    kinds = st.sampled_from(["quote", "hedge", "attribution", "boilerplate", "long_sentence", "new kind!"])
    spans = [Span(s, e, k) for (s, e), k in data.draw(st.lists(st.tuples(bounds, kinds), max_size=8))]
    found = parse(f'<div class="ns-text">{highlighted_text_html(text, spans)}</div>')
    assert "".join(found.body_text) == text
    for number, span in enumerate(spans):
        assert found.span_text[number] == text[span.start:span.end]


def test_contribution_chart_draws_one_bar_per_feature_with_the_sign_as_colour() -> None:
    svg = contributions_svg({"quotes_per_1k_words": 0.5, "loaded_words_per_1k_words": -0.25, "x": 0.0}, 0.1)
    bars = re.findall(r'<rect class="bar" data-feature="([^"]+)"[^>]*fill="([^"]+)"', svg)
    assert bars == [("quotes_per_1k_words", "#2e7d32"), ("loaded_words_per_1k_words", "#c62828"),
                    ("x", "#2e7d32")]
    assert html.escape("intercept +0.100") in svg
