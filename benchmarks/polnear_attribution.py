"""Quote and attribution extraction measured on PolNeAR (Newell, Margolin & Ruths 2018), training split.

Data: `$NEWSSCORE_SHARED/data/polnear/train.tar.gz` (networkdynamics/PolNeAR @ c3eee83): 840 political
news articles (2015-11 .. 2016-09; Breitbart, HuffPost, NYT, Politico, USA Today, Washington Post,
Western Journal) with standoff (brat) annotations of every attribution: Source, Cue, Content spans
linked by an `E` relation. Articles annotated by several annotators: the first annotation file (by name)
is used. Each article goes through the real pipeline (`segment` then the extractors).

Measured:
- direct quotes: gold = every double-quoted stretch ("…", “…” or ''…'') of three or more words inside an
  attribution's Content span; ours = `quote` spans (scare quotes excluded). Matching is one-to-one,
  at intersection/union >= 0.5 ("strict") and at any overlap ("loose"). Quotes in the text that are
  not attributed content (titles, quoted terms) count against our precision.
- speakers: among our quotes matched to a gold quote whose attribution has a Source, the share whose
  speaker span overlaps the gold Source span (quotes whose speaker we carried over from a neighbouring
  quote have no span and count as misses), and the share with any speaker label.
- attribution cues: our `attribution` spans (source + cue) against gold attributions: a gold attribution
  is found when one of our spans overlaps its Cue or Source; one of ours is right when it overlaps some
  gold Cue or Source.
Usage: .venv/bin/python benchmarks/polnear_attribution.py [--limit N]
Writes benchmarks/results/polnear_attribution.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tarfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scoring.features import attribution, quotes  # noqa: E402
from scoring.records import Article, content_id  # noqa: E402
from scoring.segment import segment  # noqa: E402

RESULT = REPO / "benchmarks" / "results" / "polnear_attribution.json"
# A quoted stretch: opened by “, " or '' and closed by ”, " or '' (NYT text uses typewriter '' doubles).
_QUOTED_RE = re.compile(r"(?:“|\"|'')(?:(?!“|”|\"|'')[^\n])+(?:”|\"|'')")


def data_path() -> Path:
    shared = Path(os.environ.get("NEWSSCORE_SHARED", REPO.parent / "shared"))
    return shared / "data" / "polnear" / "train.tar.gz"


def parse_ann(ann: str) -> list[dict]:
    """Attribution relations of a brat .ann file: {cue, source, content} lists of (start, end) ranges."""
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            try:
                spans[parts[0]] = [(int(a), int(b)) for a, b in (r.split() for r in offsets.split(";"))]
            except ValueError:
                continue
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    result = []
    for rel in relations:
        result.append(
            {role: spans.get(rel.get(role.capitalize(), ""), []) for role in ("cue", "source", "content")}
        )
    return result


def load_articles(limit: int | None) -> list[dict]:
    """PolNeAR train articles: text, outlet and attribution relations."""
    texts: dict[str, str] = {}
    anns: dict[str, str] = {}
    with tarfile.open(data_path()) as tar:
        for member in tar:
            if not member.isfile():
                continue
            name = member.name
            if "/train/text/" in name and name.endswith(".txt"):
                texts[Path(name).stem] = tar.extractfile(member).read().decode("utf-8")
            elif "/train/attributions/" in name and name.endswith(".ann"):
                stem = Path(name).stem.rsplit("_", 1)[0]
                if stem not in anns or name < anns[stem][0]:
                    anns[stem] = (name, tar.extractfile(member).read().decode("utf-8"))
    articles = []
    for stem in sorted(texts):
        if stem in anns:
            articles.append(
                {
                    "name": stem,
                    "outlet": stem.split("_", 1)[0],
                    "text": texts[stem],
                    "relations": parse_ann(anns[stem][1]),
                }
            )
    return articles[:limit] if limit else articles


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    union = max(a[1], b[1]) - min(a[0], b[0])
    return overlaps(a, b) / union if union else 0.0


def match(pred: list[tuple[int, int]], gold: list[tuple[int, int]], strict: bool) -> list[tuple[int, int]]:
    score = jaccard if strict else overlaps
    pairs = sorted(
        ((score(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)), reverse=True
    )
    used_p, used_g, out = set(), set(), []
    for s, i, j in pairs:
        if (s >= 0.5 if strict else s > 0) and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def gold_quotes(text: str, relations: list[dict]) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """(quoted stretch, its attribution's source ranges) for each quoted stretch of >= 3 words in content."""
    result = []
    for rel in relations:
        for c_start, c_end in rel["content"]:
            for m in _QUOTED_RE.finditer(text, c_start, c_end):
                if len(re.findall(r"\w+", m.group())) >= 3:
                    result.append(((m.start(), m.end()), rel["source"]))
    return result


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "predicted": n_pred,
        "gold": n_gold,
    }


def run(limit: int | None) -> dict:
    articles = load_articles(limit)
    tot = defaultdict(int)
    per_outlet: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    offset_mismatch = 0
    elapsed = 0.0
    for art in articles:
        text = art["text"]
        for rel in art["relations"]:
            for s, e in rel["cue"] + rel["source"]:
                offset_mismatch += not (0 <= s < e <= len(text))
        doc = segment(Article(id=content_id(text), source=art["name"], text=text))
        t0 = time.perf_counter()
        found = quotes.find_quotes(doc)
        attr_spans = [s for s in attribution.extract(doc).spans if s.kind == "attribution"]
        elapsed += time.perf_counter() - t0
        ours = [q for q in found if not q.scare]
        gold = gold_quotes(text, art["relations"])
        c = defaultdict(int)
        for strict in (True, False):
            key = "strict" if strict else "loose"
            pairs = match([(q.start, q.end) for q in ours], [g[0] for g in gold], strict)
            c[f"quote_tp_{key}"] += len(pairs)
            if strict:
                for i, j in pairs:
                    source = gold[j][1]
                    if not source:
                        continue
                    c["speaker_total"] += 1
                    c["speaker_labelled"] += bool(ours[i].speaker)
                    span = ours[i].speaker_span
                    c["speaker_right"] += bool(span and any(overlaps(span, s) for s in source))
        c["quote_pred"] += len(ours)
        c["quote_gold"] += len(gold)
        gold_rel = [rel["cue"] + rel["source"] for rel in art["relations"] if rel["cue"]]
        c["attr_gold"] += len(gold_rel)
        c["attr_pred"] += len(attr_spans)
        c["attr_found"] += sum(
            1 for ranges in gold_rel if any(overlaps((s.start, s.end), r) for s in attr_spans for r in ranges)
        )
        c["attr_right"] += sum(
            1 for s in attr_spans if any(overlaps((s.start, s.end), r) for ranges in gold_rel for r in ranges)
        )
        for k, v in c.items():
            tot[k] += v
            per_outlet[art["outlet"]][k] += v

    def summary(c: dict[str, int]) -> dict:
        return {
            "direct_quotes_strict": prf(
                c["quote_tp_strict"], c["quote_pred"], c["quote_tp_strict"], c["quote_gold"]
            ),
            "direct_quotes_loose": prf(
                c["quote_tp_loose"], c["quote_pred"], c["quote_tp_loose"], c["quote_gold"]
            ),
            "speaker_span_accuracy": round(c["speaker_right"] / c["speaker_total"], 4)
            if c["speaker_total"]
            else 0.0,
            "speaker_labelled_share": round(c["speaker_labelled"] / c["speaker_total"], 4)
            if c["speaker_total"]
            else 0.0,
            "speaker_evaluated": c["speaker_total"],
            "attribution_cues": prf(c["attr_right"], c["attr_pred"], c["attr_found"], c["attr_gold"]),
        }

    return {
        "data": "PolNeAR train split (networkdynamics/PolNeAR @ c3eee83), first annotation file per article",
        "articles": len(articles),
        "gold_offsets_out_of_range": offset_mismatch,
        "extract_ms_per_article": round(1000 * elapsed / max(1, len(articles)), 2),
        "overall": summary(tot),
        "per_outlet": {k: summary(v) for k, v in sorted(per_outlet.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    if not data_path().exists():
        print(f"PolNeAR not found at {data_path()} (set NEWSSCORE_SHARED)", file=sys.stderr)
        return 1
    result = run(args.limit)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "per_outlet"}, indent=1))
    for outlet, s in result["per_outlet"].items():
        print(
            f"{outlet:14} quotes P/R {s['direct_quotes_strict']['precision']:.2f}/"
            f"{s['direct_quotes_strict']['recall']:.2f}  speaker {s['speaker_span_accuracy']:.2f}  "
            f"cues P/R {s['attribution_cues']['precision']:.2f}/{s['attribution_cues']['recall']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
