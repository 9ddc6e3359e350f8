"""A self-contained HTML explanation of an article: its text with every evidence span highlighted (one colour
per span kind, with a legend), its score, the per-feature contributions as an inline SVG bar chart, and the
top reasons in words. Inline CSS only; no script, no external URL.

Overlapping spans are nested; a span that crosses another is split into fragments that share its
`data-span` number, so every span's characters appear highlighted exactly once. Every highlight element
carries data-kind, data-start, data-end (the whole span's offsets into the article text) and data-span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from scoring.explanation import Explanation, build_explanation
from scoring.features import FAMILIES, Span
from scoring.model import ReportingStyleModel
from scoring.pipeline import Analysis
from scoring.quality_label import Criterion
from scoring.sanitize import html_text

# kind -> (CSS declarations, what it marks). Containers (wide spans) use lines, not backgrounds, so the
# colours of the spans inside them stay visible.
KIND_STYLES: dict[str, tuple[str, str]] = {
    "boilerplate": ("background:#e4e4e4;color:#5f5f5f", "boilerplate (menus, footers, share lines...)"),
    "long_sentence": ("text-decoration:underline dotted #a0522d", "long sentence"),
    "question": ("text-decoration:overline #2a7f7f", "question outside quotes"),
    "exclamation": ("text-decoration:overline #d0342c", "exclamation outside quotes"),
    "attribution": ("background:#e1f3d6;border-bottom:2px solid #4a9a2a", "attribution (according to...)"),
    "quote": ("background:#d3e7ff", "direct quotation"),
    "scare_quote": ("background:#ecd5ff", "scare quote (quoted word, no speaker)"),
    "speaker": ("font-weight:bold;border-bottom:2px solid #1f5fa8", "speaker of a quote"),
    "speech_verb": ("font-style:italic;border-bottom:2px dotted #1f5fa8", "speech verb"),
    "hedge": ("background:#fff0a0", "reporting hedge (reportedly, allegedly...)"),
    "modal_hedge": ("background:#ffdca8", "modal hedge (may, could...)"),
    "loaded": ("background:#ffc4c4", "loaded language"),
    "all_caps": ("background:#ffd3ef", "ALL-CAPS run"),
    "first_person": ("background:#dedcff", "first person outside quotes"),
    "second_person": ("background:#d2f0f0", "second person outside quotes"),
    "number_date": ("border-bottom:1px dashed #777", "number or date"),
}
FALLBACK_COLOURS = ("#f5e1c8", "#d9f2e6", "#e6e6fa", "#fde2e4", "#e2ece9", "#fff1e6")
# Opening order at equal offsets: wide container kinds outside, small marks inside.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(KIND_STYLES)}
_CLASS_RE = re.compile(r"[^a-z0-9_-]+")

BASE_CSS = """
.quality-label td,.quality-label th{padding:.2em .6em;text-align:left;vertical-align:top;font-size:.9em}
.verdict-pass strong{color:#1b7a2e}.verdict-partial strong{color:#a86b00}.verdict-fail strong{color:#b3261e}
.ns-explain{font-family:Georgia,'DejaVu Serif',serif;color:#1d1d1d;max-width:980px;margin:0 auto;
  line-height:1.55}
.ns-explain h1,.ns-explain h2,.ns-explain h3{font-family:'DejaVu Sans',Arial,sans-serif}
.ns-explain .ns-meta{color:#555;font-size:.9em}
.ns-explain .ns-score{font-size:1.4em;font-weight:bold}
.ns-explain .ns-text{white-space:pre-wrap;border:1px solid #ccc;padding:1em;background:#fff;font-size:1em}
.ns-explain .legend ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}
.ns-explain .legend li{font-family:'DejaVu Sans',Arial,sans-serif;font-size:.85em}
.ns-explain .reasons li.raises::marker{content:'+ ';color:#2e7d32}
.ns-explain .reasons li.lowers::marker{content:'- ';color:#c62828}
.ns-explain table.features{border-collapse:collapse;font-family:'DejaVu Sans',Arial,sans-serif;font-size:.8em}
.ns-explain table.features td,.ns-explain table.features th{border:1px solid #ddd;padding:2px 6px;
  text-align:left}
.ns-explain .ns-error{color:#b00020}
.ns-explain .ns-warning{background:#fff4d6;border-left:4px solid #c77700;padding:.5em .8em;
  font-family:'DejaVu Sans',Arial,sans-serif}
"""


def kind_class(kind: str) -> str:
    """CSS class of a span kind: 'ev-' + the kind with anything but [a-z0-9_-] replaced by '-'."""
    return "ev-" + (_CLASS_RE.sub("-", kind.lower()) or "other")


def kind_css(kinds: Iterable[str]) -> str:
    """CSS rules for the given span kinds (known kinds their style, others a fallback background)."""
    rules = []
    for number, kind in enumerate(sorted(set(kinds))):
        fallback = f"background:{FALLBACK_COLOURS[number % len(FALLBACK_COLOURS)]}"
        style = KIND_STYLES[kind][0] if kind in KIND_STYLES else fallback
        rules.append(f".ns-explain .{kind_class(kind)}{{{style}}}")
    return "\n".join(rules)


def _open_tag(index: int, span: Span, part: int) -> str:
    attributes = (f'class="ev {kind_class(span.kind)}" data-span="{index}" '
                  f'data-kind="{html_text(span.kind)}" '
                  f'data-start="{span.start}" data-end="{span.end}" data-label="{html_text(span.label)}" '
                  f'title="{html_text(span.kind + (": " + span.label if span.label else ""))}"')
    if part:
        attributes += f' data-part="{part}"'
    return f"<span {attributes}>"


def _opening_key(index: int, span: Span) -> tuple[int, int, int]:
    return (-span.end, _KIND_ORDER.get(span.kind, len(_KIND_ORDER)), index)


def highlighted_text_html(text: str, spans: Sequence[Span]) -> str:
    """The text, HTML-escaped, with one element per span (fragments for crossing spans), nested so that each
    character is written once."""
    valid = [(i, s) for i, s in enumerate(spans) if 0 <= s.start < s.end <= len(text)]
    starts: dict[int, list[int]] = {}
    for i, span in valid:
        starts.setdefault(span.start, []).append(i)
    boundaries = sorted({0, len(text)} | {s.start for _, s in valid} | {s.end for _, s in valid})
    stack: list[int] = []
    parts_opened: dict[int, int] = {}
    out: list[str] = []
    for position, following in zip(boundaries, boundaries[1:] + [len(text)], strict=True):
        keep = 0
        while keep < len(stack) and spans[stack[keep]].end > position:
            keep += 1
        closed = stack[keep:]
        out.append("</span>" * len(closed))
        del stack[keep:]
        reopen = [i for i in closed if spans[i].end > position] + starts.get(position, [])
        for i in sorted(reopen, key=lambda k: _opening_key(k, spans[k])):
            part = parts_opened.get(i, -1) + 1
            parts_opened[i] = part
            out.append(_open_tag(i, spans[i], part))
            stack.append(i)
        out.append(html_text(text[position:following]))
    out.append("</span>" * len(stack))
    return "".join(out)


def legend_html(spans: Sequence[Span]) -> str:
    """The legend: one entry per span kind found, its colour, what it marks and how many spans."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.kind] = counts.get(span.kind, 0) + 1
    ordered = sorted(counts, key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))
    items = "".join(
        f'<li class="legend-item" data-kind="{html_text(kind)}"><span class="ev {kind_class(kind)}">'
        f"{html_text(kind)}</span> {html_text(KIND_STYLES.get(kind, ('', ''))[1] or kind)} "
        f"({counts[kind]})</li>"
        for kind in ordered
    )
    items = items or "<li>no evidence spans</li>"
    return f'<section class="legend"><h3>Legend</h3><ul>{items}</ul></section>'


def contributions_svg(contributions: Mapping[str, float], intercept: float | None = None,
                      width: int = 720, top: int | None = None) -> str:
    """A horizontal bar chart (inline SVG) of per-criterion points of the score, largest first;
    green raises the score, red lowers it."""
    items = sorted(contributions.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top]
    label_width, value_width, row = 270, 60, 18
    bar_area = width - label_width - value_width
    extent = max([abs(v) for _, v in items] + [1e-9])
    middle = label_width + bar_area / 2
    height = row * len(items) + 30
    lines = [f'<svg class="contributions" width="{width}" '
             f'height="{height}" role="img" aria-label="per-feature points of the score" '
             f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">']
    for k, (name, value) in enumerate(items):
        y = 10 + k * row
        length = abs(value) / extent * (bar_area / 2 - 4)
        x = middle if value >= 0 else middle - length
        colour = "#2e7d32" if value >= 0 else "#c62828"
        lines.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{html_text(name)}</text>')
        lines.append(f'<rect class="bar" data-feature="{html_text(name)}" x="{x:.1f}" y="{y + 2}" '
                     f'width="{max(length, 0.5):.1f}" height="{row - 5}" fill="{colour}">'
                     f"<title>{html_text(name)}: {value:+.3f}</title></rect>")
        lines.append(f'<text x="{width - value_width + 4}" y="{y + 12}">{value:+.3f}</text>')
    lines.append(f'<line x1="{middle}" y1="6" x2="{middle}" y2="{height - 18}" stroke="#444"/>')
    note = "points of the 0-100 score"
    if intercept is not None:
        note += f"; intercept {intercept:+.3f}"
    lines.append(f'<text x="{label_width}" y="{height - 4}" fill="#555">{html_text(note)}</text></svg>')
    return "\n".join(lines)


def _features_table(values: Mapping[str, float]) -> str:
    rows = []
    for family in FAMILIES:
        for name in family.feature_names:
            if name in values:
                rows.append(f"<tr><td>{html_text(family.name)}</td><td>{html_text(name)}</td>"
                            f"<td>{values[name]:.4g}</td></tr>")
    return ('<table class="features"><tr><th>family</th><th>feature</th><th>value</th></tr>'
            + "".join(rows) + "</table>")


def _label_section(label: Sequence[Criterion]) -> str:
    """The reporting-quality label: one row per criterion with its verdict and the numbers behind it."""
    rows = "".join(
        f'<tr class="verdict-{html_text(c.verdict)}"><td>{html_text(c.title)}</td>'
        f"<td><strong>{html_text(c.verdict)}</strong></td><td>{html_text('; '.join(c.reasons))}</td>"
        f"<td>{len(c.evidence)}</td></tr>"
        for c in label
    )
    return ('<h3>Reporting-quality label</h3><table class="quality-label">'
            "<tr><th>criterion</th><th>verdict</th><th>why</th><th>evidence spans</th></tr>"
            f"{rows}</table>")


def _score_section(explanation: Explanation) -> str:
    items = "".join(
        f'<li class="{"raises" if r.raises_score else "lowers"}">{html_text(r.text)} '
        f'<span class="ns-meta">({r.contribution:+.1f} points vs typical)</span></li>'
        for r in explanation.reasons
    )
    return ('<section class="score"><p class="ns-score">'
            f"Reporting-style score: {explanation.score:.1f} / 100</p>"
            f'<h3>Top reasons</h3><ul class="reasons">{items}</ul>'
            "<h3>Points per feature (they add up to the score)</h3>"
            f"{contributions_svg(explanation.contributions, None)}"
            "</section>")


def _warnings_section(explanation: Explanation) -> str:
    """Why the score does not apply to this text, first thing under the headline ('' when it does)."""
    if not explanation.warnings:
        return ""
    items = "".join(f'<li data-warning="{html_text(w.code)}">{html_text(w.message)}</li>'
                    for w in explanation.warnings)
    if explanation.score_withheld:
        consequence = "The reporting-style score is withheld: the text is too short for it to mean anything."
    elif explanation.with_model:
        consequence = ("The score below does not apply to this text: it is not ranked, and compare and "
                       "report leave it out of outlet statistics.")
    else:
        consequence = "The reporting-style score would not apply to this text."
    return (f'<section class="ns-warning"><p><strong>Warning:</strong> {html_text(consequence)}</p>'
            f"<ul>{items}</ul></section>")


def _explained(item: Analysis | Explanation, model: ReportingStyleModel | None) -> Explanation:
    return item if isinstance(item, Explanation) else build_explanation(item, model)


def explanation_fragment(analysis: Analysis | Explanation, model: ReportingStyleModel | None = None,
                         include_text: bool = True) -> str:
    """One article's explanation as a `<div class="ns-explain">` with its own scoped `<style>`, for
    embedding (e.g. in a notebook); `render_explanation_html` wraps it in a page."""
    explanation = _explained(analysis, model)
    return (f"<style>{BASE_CSS}{kind_css(KIND_STYLES)}{kind_css(s.kind for s in explanation.spans)}</style>"
            + _article_section(explanation, include_text))


def _article_section(explanation: Explanation, include_text: bool) -> str:
    article = explanation.article
    meta = " · ".join(html_text(part) for part in (article.outlet, article.published, article.url,
                                                      article.source) if part)
    head = (f'<article class="ns-explain" data-id="{html_text(article.id)}">'
            f"<h2>{html_text(article.title or article.source or article.id)}</h2>"
            f'<p class="ns-meta">{meta} · id {html_text(article.id)}</p>')
    if not explanation.ok:
        reason = html_text(article.error or article.status)
        return head + f'<p class="ns-error">Not scored: {reason}</p></article>'
    spans = explanation.spans
    parts = [head, _warnings_section(explanation)]
    if explanation.score is not None:
        parts.append(_score_section(explanation))
    elif not explanation.score_withheld:
        parts.append('<p class="ns-meta">No model: features and evidence only.</p>')
    parts.append(_label_section(explanation.label))
    parts.append(legend_html(spans))
    if include_text:
        marked = highlighted_text_html(article.text, spans)
        parts.append(f'<h3>Text with evidence</h3><div class="ns-text">{marked}</div>')
    parts.append(f"<h3>Feature values</h3>{_features_table(explanation.features)}</article>")
    return "".join(parts)


def render_explanations_html(analyses: Iterable[Analysis | Explanation],
                             model: ReportingStyleModel | None = None,
                             title: str = "newsscore explanation") -> str:
    """A self-contained HTML page explaining several articles, one section each."""
    explanations = [_explained(a, model) for a in analyses]
    kinds = set(KIND_STYLES) | {s.kind for e in explanations for s in e.spans}
    body = "\n<hr>\n".join(_article_section(e, True) for e in explanations)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html_text(title)}</title><style>body{{background:#fafafa;margin:1.5em}}{BASE_CSS}"
            f"{kind_css(kinds)}</style></head><body>\n{body}\n</body></html>\n")


def render_explanation_html(analysis: Analysis | Explanation,
                            model: ReportingStyleModel | None = None) -> str:
    """A self-contained HTML page for one article: highlighted evidence with a legend, score, contribution
    bar chart and reasons (the last two only with a model)."""
    article = analysis.article
    return render_explanations_html([analysis], model, f"newsscore: {article.title or article.source}")


__all__ = [
    "KIND_STYLES",
    "contributions_svg",
    "explanation_fragment",
    "highlighted_text_html",
    "kind_class",
    "legend_html",
    "render_explanation_html",
    "render_explanations_html",
]
