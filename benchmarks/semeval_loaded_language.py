"""The loaded-language lexicon learned from SemEval-2020 Task 11 Loaded_Language spans, cross-validated by
article, and how well the `loaded` spans of scoring/features/language.py find those spans.

Data: the 371 training articles of SemEval-2020 Task 11 (Da San Martino et al. 2020;
aschern/semeval2020_task11 @ 84c384d), read from shared/data/semeval2020-propaganda/data.tar.gz
(override the shared folder with NEWSSCORE_SHARED).

Learning (`learn_lexicon`), on the body words of the learning articles (possessive 's dropped):
- SemEval words: alphabetic words inside gold spans in >= MIN_ARTICLES articles, >= MIN_INSIDE times, and
  inside a gold span in >= MIN_PRECISION of their occurrences;
- plus the curated VADER base (scoring/lexicons/loaded_language_vader.txt), minus its words the learning
  articles show are rarely loaded (seen >= DROP_MIN times, inside a gold span < DROP_PRECISION of them).
Protocol (no figure is a training figure): the 40 articles of the evaluation gate's slice (corpus/eval/
semeval, every 9th by id) are never learned from; the shipped lexicon is learned on the other 331 and
measured on that slice; 5-fold cross-validation by article over the 331 (seeded shuffle) gives the
held-out fold figures.
Metrics (each article segmented as in production, body only, quotations excluded as the feature counts):
a predicted word is correct if it overlaps a gold span (precision); a gold span is found if a predicted
word overlaps it (recall).

Run: .venv/bin/python benchmarks/semeval_loaded_language.py [--write-lexicon]
(writes benchmarks/results/semeval_loaded_language.json; with --write-lexicon also
scoring/lexicons/loaded_language.txt)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tarfile
import time
from collections import Counter
from pathlib import Path

from scoring.features import language
from scoring.features.language import loaded_entry, quoted_ranges
from scoring.lexicon import load_lexicon
from scoring.records import Article
from scoring.segment import Document, segment

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared"))
ARCHIVE = SHARED / "data" / "semeval2020-propaganda" / "data.tar.gz"
RESULTS = ROOT / "benchmarks" / "results" / "semeval_loaded_language.json"
LEXICON = ROOT / "scoring" / "lexicons" / "loaded_language.txt"
TECHNIQUE = "Loaded_Language"
EVAL_ARTICLES, FOLDS, SEED = 40, 5, 0  # corpus/eval/build.py's slice: every_kth(sorted ids, 40)
MIN_ARTICLES, MIN_INSIDE, MIN_PRECISION, DROP_MIN, DROP_PRECISION = 2, 2, 0.2, 2, 0.2

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


def word_counts(doc: Document, gold: list[Range]) -> tuple[Counter, Counter]:
    """(times inside a gold span, times in all) of each lower-cased body word (possessive 's dropped)."""
    text = doc.body_text
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for start, end in doc.body_words:
        word = text[start:end].lower().replace("’", "'")
        word = word[:-2] if word.endswith("'s") else word
        total[word] += 1
        if any(overlaps((start, end), g) for g in gold):
            inside[word] += 1
    return inside, total


def learn_lexicon(stats: list[tuple[Counter, Counter]]) -> dict[str, str]:
    """Lexicon entry -> where it comes from ('semeval in/all' or 'vader'), learned from word counts."""
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for ins, tot in stats:
        inside.update(ins)
        total.update(tot)
        articles.update(ins.keys())
    out = {}
    for word in load_lexicon("loaded_language_vader"):
        if not (total[word] >= DROP_MIN and inside[word] / total[word] < DROP_PRECISION):
            out[word] = "vader"
    for word, n in sorted(inside.items()):
        if word.isalpha() and articles[word] >= MIN_ARTICLES and n >= MIN_INSIDE \
                and n / total[word] >= MIN_PRECISION:
            out.setdefault(word, f"semeval {n}/{total[word]}")
    return out


def write_lexicon(entries: dict[str, str], n_articles: int) -> None:
    header = f"""# Loaded / emotive words (SemEval-2020 Task 11 "Loaded_Language": words with strong emotional
# implications, positive or negative). LEARNED by benchmarks/semeval_loaded_language.py --write-lexicon
# from two sources:
# 1. the SemEval-2020 Task 11 training articles (aschern/semeval2020_task11 @ 84c384d; Da San Martino
#    et al. 2020), {n_articles} of the 371 (the 40 of corpus/eval/semeval left out): alphabetic words inside
#    Loaded_Language spans in >= {MIN_ARTICLES} articles, >= {MIN_INSIDE} times, and inside a span in
#    >= {MIN_PRECISION} of their occurrences ("# semeval inside/all" after the entry);
# 2. the curated VADER base, loaded_language_vader.txt (VADER lexicon, Hutto & Gilbert 2014, MIT; its
#    header says how it was selected), minus its words that those articles use >= {DROP_MIN} times but
#    inside a span < {DROP_PRECISION} of the time ("# vader").
# Cross-validated by article: figures in benchmarks/results/semeval_loaded_language.json.
# Entries are matched as whole words, case-insensitively (see scoring/features/language.py).
"""
    body = "".join(f"{word}  # {source}\n" for word, source in sorted(entries.items()))
    LEXICON.write_text(header + body, encoding="utf-8")


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
             include_quoted: bool = False) -> dict[str, object]:
    """Span-overlap precision/recall of one lexicon over some articles."""
    tp_pred = tp_gold = n_pred = n_gold = 0
    false_pos: Counter[str] = Counter()
    for (_, text, gold), doc in zip(articles, docs, strict=True):
        pred = predict(doc, lexicon, include_quoted)
        n_pred += len(pred)
        n_gold += len(gold)
        for p in pred:
            if any(overlaps(p, g) for g in gold):
                tp_pred += 1
            else:
                false_pos[text[p[0]:p[1]].lower()] += 1
        tp_gold += sum(1 for g in gold if any(overlaps(p, g) for p in pred))
    return {"span_overlap": prf(tp_pred, n_pred, tp_gold, n_gold),
            "top_false_positives": false_pos.most_common(15)}


def cross_validate(articles: list, docs: list, stats: list) -> dict[str, object]:
    """FOLDS-fold CV by article: lexicon learned on four folds, span P/R measured on the fifth."""
    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    per_fold = []
    for k, test in enumerate(folds):
        lexicon = frozenset(learn_lexicon([stats[i] for j, f in enumerate(folds) if j != k for i in f]))
        result = evaluate([articles[i] for i in test], [docs[i] for i in test], lexicon)
        per_fold.append(result["span_overlap"])
    mean = {m: round(sum(f[m] for f in per_fold) / FOLDS, 4) for m in ("precision", "recall", "f1")}
    return {"mean": mean, "folds": per_fold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-lexicon", action="store_true", help="rewrite loaded_language.txt")
    args = parser.parse_args()
    started = time.perf_counter()
    articles = read_semeval(ARCHIVE)
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in articles]
    step = max(1, len(articles) // EVAL_ARTICLES)
    held = {aid for aid, _, _ in articles[::step][:EVAL_ARTICLES]}
    learn = [i for i, a in enumerate(articles) if a[0] not in held]
    gate = [i for i, a in enumerate(articles) if a[0] in held]
    stats = [word_counts(docs[i], articles[i][2]) for i in learn]
    cv = cross_validate([articles[i] for i in learn], [docs[i] for i in learn], stats)
    entries = learn_lexicon(stats)
    if args.write_lexicon:
        write_lexicon(entries, len(learn))
        load_lexicon.cache_clear()
        language._lexicons.cache_clear()
    learned = frozenset(entries)
    vader = frozenset(load_lexicon("loaded_language_vader"))
    gate_articles, gate_docs = [articles[i] for i in gate], [docs[i] for i in gate]
    results: dict[str, object] = {
        "data": f"{ARCHIVE.name}: SemEval-2020 Task 11 training articles, technique {TECHNIQUE}",
        "articles": len(articles),
        "held_out_folds": {"protocol": f"{FOLDS}-fold CV by article (seed {SEED}) over the {len(learn)} "
                           "articles outside the gate's slice; body, outside quotations", **cv},
        "gate_slice": {"protocol": f"lexicon learned on the {len(learn)} other articles, measured on the "
                       f"{len(gate)} of corpus/eval/semeval (never learned from)",
                       **evaluate(gate_articles, gate_docs, learned)},
        "vader_base_alone_gate_slice": evaluate(gate_articles, gate_docs, vader),
        "lexicon_entries": len(entries),
        "semeval_entries": sum(1 for v in entries.values() if v.startswith("semeval")),
    }
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "gate_slice"}, indent=1)[:3000])
    print("gate slice:", results["gate_slice"]["span_overlap"])
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
