"""Body extraction benchmark: how well does newsscore keep the article body and drop boilerplate?

Data: scrapinghub/article-extraction-benchmark @ 4a3bc97 (MIT), 91 of its 181 gzipped HTML pages with the
gold `articleBody` in ground-truth.json, under `$NEWSSCORE_SHARED/data/article-extraction-benchmark`
(default: the `shared` folder next to the repository).

Metric: the benchmark's own (its evaluate.py): per page, the multisets of word 4-gram shingles (words =
`\\w+`) of prediction and gold give TP/FP/FN, normalised by their sum so every page weighs the same;
precision and recall are averaged over pages, and F1 is computed from the two means. The same with single
tokens (bag of words, n=1) is reported alongside.
Boilerplate share: per page, gold = 1 - visible characters of the gold body / visible characters of the
page (parse_html's text); newsscore's = its `boilerplate_share` feature (HTML or text mode); another
system's = the same formula on its body; the mean absolute error and the
Spearman correlation over pages are reported. No parameter is fit on these pages (rules and lexicons only),
so every page is held out from fitting; the rules were, however, developed while looking at such pages:
since issue 11's third round only at the 66 pages outside the evaluation gate's slice (corpus/eval/html),
so the boilerplate-share figures are also reported on those 25 gate pages, never looked at when choosing a
rule ("held-out" in the output), and on the 66 others ("development").

Systems:
  newsscore-html      scoring.ingest.parse_html + scoring.segment.segment: what `newsscore` does with HTML
                      (trafilatura's main text picks the body blocks, our lexicons name the boilerplate)
  newsscore-html-own  the same without the markup: our own labeller on the DOM blocks (link density, tags)
  newsscore-text      the same page's visible text flattened to lines, no hints (what scraped text looks like)
  trafilatura         trafilatura.extract(html)
  justext             justext.justext(html, English stoplist), non-boilerplate paragraphs
  whole-page          all visible text (parse_html's text)

Run:  .venv/bin/python benchmarks/body_extraction.py   (writes benchmarks/results/body_extraction.json;
      exits 1 when newsscore's F1 falls below FLOORS)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


from polnear_attribution import spearman  # noqa: E402

from scoring.features import boilerplate  # noqa: E402
from scoring.features.boilerplate import visible_chars  # noqa: E402
from scoring.ingest import parse_html  # noqa: E402
from scoring.records import Article  # noqa: E402
from scoring.segment import segment  # noqa: E402

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
RESULTS = REPO / "benchmarks" / "results" / "body_extraction.json"
GATE_PAGES = REPO / "corpus" / "eval" / "html"  # the evaluation gate's 25 pages: held out from rule design
# Evaluation gate (as trafilatura pins its F1): the run exits 1 when newsscore falls below these shingle F1s.
FLOORS = {"newsscore-html": 0.94, "newsscore-text": 0.91}


def data_dir() -> Path:
    """The benchmark folder: $NEWSSCORE_SHARED/data/article-extraction-benchmark."""
    shared = Path(os.environ.get("NEWSSCORE_SHARED", REPO.parent / "shared"))
    return shared / "data" / "article-extraction-benchmark"


def shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams (one shorter n-gram when the text has fewer than n words)."""
    tokens = TOKEN_RE.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(gold: str, pred: str, n: int) -> tuple[float, float, float]:
    """Shingle TP/FP/FN of one page, normalised to sum to 1 (as the benchmark's evaluate.py does)."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def scores(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision and recall over pages, and F1 of the two means."""
    precisions = [page_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [page_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def body_of(article: Article) -> str:
    """The text newsscore keeps as article body: its body blocks, one per line."""
    doc = segment(article)
    return "\n".join(doc.text[b.start:b.end] for b in doc.blocks if b.is_body)


def newsscore_html(html: str) -> str:
    return body_of(parse_html(html, "page.html"))


def newsscore_html_own(html: str) -> str:
    article = parse_html(html, "page.html")
    article.raw_html = ""  # keep the DOM hints, drop the markup: our own block labeller, no trafilatura
    return body_of(article)


def newsscore_text(html: str) -> str:
    article = parse_html(html, "page.html")
    return body_of(Article(id=article.id, source="page.txt", text=article.text))


def trafilatura_body(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def justext_body(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def whole_page(html: str) -> str:
    return parse_html(html, "page.html").text


SYSTEMS: dict[str, Callable[[str], str]] = {
    "newsscore-html": newsscore_html,
    "newsscore-html-own": newsscore_html_own,
    "newsscore-text": newsscore_text,
    "trafilatura": trafilatura_body,
    "justext": justext_body,
    "whole-page": whole_page,
}


def feature_share(article: Article) -> float:
    """newsscore's boilerplate_share feature of a page."""
    return boilerplate.extract(segment(article)).values["boilerplate_share"]


FEATURE_SHARE: dict[str, Callable[[str], float]] = {
    "newsscore-html": lambda html: feature_share(parse_html(html, "page.html")),
    "newsscore-text": lambda html: feature_share(
        Article(id="page", source="page.txt", text=parse_html(html, "page.html").text)
    ),
}


def share_agreement(shares: list[float], gold_shares: list[float], prefix: str) -> dict[str, float]:
    """Mean absolute error and Spearman correlation of predicted against gold boilerplate shares."""
    mae = sum(abs(a - b) for a, b in zip(shares, gold_shares, strict=True)) / len(shares) if shares else 0.0
    return {f"{prefix}_mae": round(mae, 4), f"{prefix}_spearman": spearman(shares, gold_shares)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument("--per-page", action="store_true", help="print newsscore-text F1 per page")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    folder = data_dir()
    if not (folder / "ground-truth.json").exists():
        print(f"benchmark data not found under {folder} (set NEWSSCORE_SHARED)", file=sys.stderr)
        return 2
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
             for key in sorted(gold)}
    gate_keys = {path.name.split(".")[0] for path in GATE_PAGES.glob("*.html.gz")}
    page_sizes = {key: visible_chars(parse_html(html, "page.html").text) for key, html in pages.items()}
    results: dict[str, dict[str, Any]] = {}
    for name in args.systems.split(","):
        system = SYSTEMS[name]
        started = time.perf_counter()
        shingle_counts, token_counts, shares, gold_shares = [], [], [], []
        for key, html in pages.items():
            pred = system(html)
            truth = gold[key].get("articleBody", "")
            page_chars = page_sizes[key]
            if name in FEATURE_SHARE:
                shares.append(FEATURE_SHARE[name](html))
            else:
                shares.append(max(0.0, 1 - visible_chars(pred) / page_chars) if page_chars else 0.0)
            gold_shares.append(max(0.0, 1 - visible_chars(truth) / page_chars) if page_chars else 0.0)
            shingle_counts.append(tp_fp_fn(truth, pred, 4))
            token_counts.append(tp_fp_fn(truth, pred, 1))
            if args.per_page and name.startswith("newsscore"):
                print(f"  {name} {key[:12]} P={page_precision(*shingle_counts[-1]):.3f} "
                      f"R={page_recall(*shingle_counts[-1]):.3f}")
        seconds = time.perf_counter() - started
        held_out = [key in gate_keys for key in pages]
        results[name] = {"shingle4": scores(shingle_counts), "tokens": scores(token_counts),
                         **share_agreement(shares, gold_shares, "boilerplate_share"),
                         **share_agreement([s for s, h in zip(shares, held_out, strict=True) if h],
                                           [g for g, h in zip(gold_shares, held_out, strict=True) if h],
                                           "held_out_boilerplate_share"),
                         **share_agreement([s for s, h in zip(shares, held_out, strict=True) if not h],
                                           [g for g, h in zip(gold_shares, held_out, strict=True) if not h],
                                           "development_boilerplate_share"),
                         "ms_per_page": round(1000 * seconds / len(pages), 1)}
    print(f"{len(pages)} pages of scrapinghub/article-extraction-benchmark (word 4-gram shingles; tokens)")
    print(f"{'system':<16} {'F1':>6} {'P':>6} {'R':>6}   {'tok F1':>6} {'tok P':>6} {'tok R':>6}  "
          f"{'bp MAE':>6} {'bp rho':>6}  {'held-out':>8} {'dev':>6}  ms/page")
    for name, r in results.items():
        s, t = r["shingle4"], r["tokens"]
        print(f"{name:<16} {s['f1']:>6.3f} {s['precision']:>6.3f} {s['recall']:>6.3f}   "
              f"{t['f1']:>6.3f} {t['precision']:>6.3f} {t['recall']:>6.3f}  "
              f"{r['boilerplate_share_mae']:>6.3f} {r['boilerplate_share_spearman']:>6.3f}  "
              f"{r['held_out_boilerplate_share_mae']:>8.3f} {r['development_boilerplate_share_mae']:>6.3f}  "
              f"{r['ms_per_page']:>7}")
    held_out_pages = sum(map(gate_keys.__contains__, pages))
    print(f"bp = boilerplate share MAE / Spearman, all pages; held-out = MAE on {held_out_pages} gate pages "
          f"(no rule chosen on them), dev = on the other {len(pages) - held_out_pages}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {"data": "scrapinghub/article-extraction-benchmark @ 4a3bc97 (MIT), 91 pages",
               "metric": "word 4-gram shingle P/R/F1 as in its evaluate.py; tokens = same with n=1",
               "pages": len(pages), "results": results}
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    f1s = {name: r["shingle4"]["f1"] for name, r in results.items()}
    failed = [f"{name} F1 {f1s[name]:.3f} < floor {floor}"
              for name, floor in FLOORS.items() if name in f1s and f1s[name] < floor]
    for message in failed:
        print("BELOW FLOOR:", message, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
