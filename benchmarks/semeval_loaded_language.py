"""How well the `loaded` spans of scoring/features/language.py find SemEval-2020 Task 11 Loaded_Language
spans.

Data: the 371 training articles of SemEval-2020 Task 11 (Da San Martino et al. 2020;
aschern/semeval2020_task11 @ 84c384d), read from
shared/data/semeval2020-propaganda/data.tar.gz (override the shared folder with
NEWSSCORE_SHARED). The lexicon was fixed before this benchmark was first run and no SemEval span was used to
build it, so these numbers are a held-out measurement, not a fit.

Metrics, on the whole article text (each article segmented as in production, then body only):
- span level: a predicted span is correct if it overlaps a gold span (precision); a gold span is found if a
  predicted span overlaps it (recall);
- token level: word tokens (scoring.text.WORD_RE) overlapping a gold span vs those overlapping a prediction.
Variants: the product's spans (quotations excluded, as the feature counts them) and all body spans; and the
shipped lexicon cut at stricter VADER valence thresholds (read from the valence comment on each entry).

Run: .venv/bin/python benchmarks/semeval_loaded_language.py
(writes benchmarks/results/semeval_loaded_language.json)
"""

from __future__ import annotations

import json
import os
import re
import tarfile
import time
from collections import Counter
from importlib import resources
from pathlib import Path

from scoring.features.language import loaded_entry, quoted_ranges
from scoring.records import Article
from scoring.segment import Document, segment
from scoring.text import word_spans

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared"))
ARCHIVE = SHARED / "data" / "semeval2020-propaganda" / "data.tar.gz"
RESULTS = ROOT / "benchmarks" / "results" / "semeval_loaded_language.json"
TECHNIQUE = "Loaded_Language"

Range = tuple[int, int]


def read_semeval(archive: Path) -> list[tuple[str, str, list[Range]]]:
    """(article id, text, gold Loaded_Language ranges) for every training article."""
    texts: dict[str, str] = {}
    gold: dict[str, list[Range]] = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile():
                continue
            if "/train-articles/" in name:
                article_id = re.search(r"article(\d+)\.txt$", name).group(1)
                texts[article_id] = tar.extractfile(member).read().decode("utf-8")
            elif "/train-labels-task2-technique-classification/" in name:
                for line in tar.extractfile(member).read().decode("utf-8").splitlines():
                    parts = line.split("\t")
                    if len(parts) == 4 and parts[1] == TECHNIQUE:
                        gold.setdefault(parts[0], []).append((int(parts[2]), int(parts[3])))
    return [(aid, texts[aid], sorted(gold.get(aid, []))) for aid in sorted(texts)]


def shipped_valences() -> dict[str, float]:
    """Entry -> VADER valence, from the comment after each entry of loaded_language.txt."""
    raw = resources.files("scoring").joinpath("lexicons", "loaded_language.txt").read_text(encoding="utf-8")
    out = {}
    for line in raw.splitlines():
        match = re.match(r"([^\s#]+)\s+#\s*([+-]\d+\.\d+)", line)
        if match:
            out[match.group(1)] = float(match.group(2))
    return out


def predict(doc: Document, lexicon: frozenset[str], include_quoted: bool) -> list[Range]:
    """Ranges of body words matching `lexicon` (the production matcher), optionally outside quotations."""
    text = doc.body_text
    quoted = [] if include_quoted else quoted_ranges(text)
    spans = []
    for start, end in doc.body_words:
        if loaded_entry(text[start:end], lexicon) and not any(s <= start < e for s, e in quoted):
            spans.append((start, end))
    return spans


def overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted": n_pred, "gold": n_gold}


def evaluate(articles: list[tuple[str, str, list[Range]]], docs: list[Document], lexicon: frozenset[str],
             include_quoted: bool) -> dict[str, object]:
    """Span- and token-level precision/recall of one lexicon variant over all articles."""
    span_tp_pred = span_tp_gold = n_pred = n_gold = 0
    tok_tp = tok_pred = tok_gold = 0
    false_pos: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for (_, text, gold), doc in zip(articles, docs, strict=True):
        pred = predict(doc, lexicon, include_quoted)
        n_pred += len(pred)
        n_gold += len(gold)
        for p in pred:
            if any(overlaps(p, g) for g in gold):
                span_tp_pred += 1
            else:
                false_pos[text[p[0]:p[1]].lower()] += 1
        for g in gold:
            if any(overlaps(p, g) for p in pred):
                span_tp_gold += 1
            else:
                missed[text[g[0]:g[1]].lower()[:40]] += 1
        for token in word_spans(text):
            in_gold = any(overlaps(token, g) for g in gold)
            in_pred = any(overlaps(token, p) for p in pred)
            tok_tp += in_gold and in_pred
            tok_pred += in_pred
            tok_gold += in_gold
    return {
        "span_overlap": prf(span_tp_pred, n_pred, span_tp_gold, n_gold),
        "token": prf(tok_tp, tok_pred, tok_tp, tok_gold),
        "top_false_positives": false_pos.most_common(15),
        "top_missed_gold": missed.most_common(15),
    }


def main() -> None:
    started = time.perf_counter()
    articles = read_semeval(ARCHIVE)
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in articles]
    valences = shipped_valences()
    gold_lengths = [len(word_spans(text[s:e])) for _, text, gold in articles for s, e in gold]
    tokens = [(t, gold) for _, text, gold in articles for t in word_spans(text)]
    base_rate = sum(any(overlaps(t, g) for g in gold) for t, gold in tokens) / len(tokens)
    results: dict[str, object] = {
        "data": f"{ARCHIVE.name}: SemEval-2020 Task 11 training articles, technique {TECHNIQUE}",
        "articles": len(articles),
        "gold_spans": len(gold_lengths),
        "gold_span_words": {
            "mean": round(sum(gold_lengths) / len(gold_lengths), 2),
            "single_word_share": round(sum(n == 1 for n in gold_lengths) / len(gold_lengths), 3),
        },
        "token_base_rate": round(base_rate, 4),  # token precision of picking words at random
        "lexicon_entries": len(valences),
        "variants": {},
    }
    variants = results["variants"]
    full = frozenset(valences)
    variants["shipped_outside_quotes (the feature)"] = evaluate(articles, docs, full, include_quoted=False)
    variants["shipped_all_body"] = evaluate(articles, docs, full, include_quoted=True)
    for threshold in (2.5, 3.0):
        strict = frozenset(w for w, v in valences.items() if abs(v) >= threshold)
        variants[f"valence>={threshold}_all_body ({len(strict)} entries)"] = evaluate(
            articles, docs, strict, include_quoted=True
        )
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, variant in variants.items():
        s, t = variant["span_overlap"], variant["token"]
        print(f"{name:45s} span P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} | "
              f"token P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f}")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
