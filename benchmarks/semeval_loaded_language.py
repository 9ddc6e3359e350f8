"""The loaded-language lexicon and phrase-extension policy learned from SemEval-2020 Task 11 Loaded_Language
spans, cross-validated by article, and how well the `loaded` spans of scoring/features/language.py find
those spans.

Data: the 371 training articles of SemEval-2020 Task 11 (Da San Martino et al. 2020;
aschern/semeval2020_task11 @ 84c384d), read from shared/data/semeval2020-propaganda/data.tar.gz
(override the shared folder with NEWSSCORE_SHARED).

Learning (`learn_lexicon`), on the body words of the learning articles (possessive 's dropped), pooled by
Porter stem (NLTK's PorterStemmer, benchmark only) so that one form's evidence counts for its inflections:
- SemEval stems: stems of alphabetic words inside gold spans in >= MIN_ARTICLES articles, >= MIN_INSIDE
  times, and inside a gold span in >= `min_precision` of their occurrences; `min_precision` is chosen
  among THRESHOLDS by an inner CV inside the learning articles (best span F1), never on held-out ones;
  a selected stem's entries are its forms seen in the learning articles (minus forms seen >= DROP_MIN
  times and inside a span < DROP_PRECISION of them) and the CMU Pronouncing Dictionary's other words with
  that stem and an inflectional ending (scoring/data/cmu_syllables.txt.gz), so "demonizing" learned
  also gives "demonized";
- plus the curated VADER base (scoring/lexicons/loaded_language_vader.txt), minus its words the learning
  articles show are rarely loaded (seen >= DROP_MIN times, inside a gold span < DROP_PRECISION of them).
Phrase extension (`extension_rows`, `fit_extension`): every loaded word inside a gold span of the learning
articles is walked right, then left, one neighbour at a time as the gold says (a neighbour inside gold is a
positive step and the walk goes on, the first one outside is a negative step and ends it); an L2 logistic
regression over the steps' features (`language.extension_features`) decides at run time, a step taken
while its probability >= tau; C and tau are chosen by the SI F1 of the phrases under a 4-fold CV inside
the learning articles, at the lexicon threshold chosen for the words alone. (Choosing the threshold among
0.15 / 0.25 / 0.35 together with them, this script at b9b1d58, gave 0.237 / 0.251, F1 0.2411, against
0.2407 this way: no gain, and it would change the lexicon and so the `loaded_words_per_1k_words` rate
the model reads.)
Protocol (no figure is a training figure): the 40 articles of the evaluation gate's slice (corpus/eval/
semeval, every 9th by id) are never learned from; the shipped lexicon is learned on the other 331 and
measured on that slice; 5-fold cross-validation by article over the 331 (seeded shuffle) gives the
held-out fold figures, each fold's threshold chosen by a 4-fold CV inside its training articles (that
inner figure is reported beside the outer one: close figures mean the threshold does not overfit).
Metrics (each article segmented as in production, body only, quotations excluded as the feature counts;
every gold span of the article, title and quotations included, is in the recall denominator):
- `si` (the headline, of the phrases; `words_alone` = the loaded words without extension, at the
  threshold best for words alone, i.e. the figures before phrase extension): the official SemEval-2020
  Task 11 span-identification scorer (tools/task-SI_scorer.py
  of the task's repository): overlapping gold spans merged, then P = sum over predicted spans s and gold
  spans t of |s & t| / |s|, over the number of predicted spans, R = the same sum of |s & t| / |t| over the
  number of gold spans (character overlap, partial credit);
- `any_overlap` (looser, the figure reported before 2026-12-01): a predicted word is right if it overlaps a
  gold span, a gold span is found if any predicted word overlaps it, however little of it is covered.

Run: .venv/bin/python benchmarks/semeval_loaded_language.py [--write-lexicon]
(writes benchmarks/results/semeval_loaded_language.json; with --write-lexicon also
scoring/lexicons/loaded_language.txt and loaded_language_extension.txt). About 10 minutes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import os
import random
import re
import tarfile
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from scoring.features import language
from scoring.lexicon import load_lexicon
from scoring.outputs import write_json_atomically
from scoring.records import Article
from scoring.segment import Document, segment

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared"))
ARCHIVE = SHARED / "data" / "semeval2020-propaganda" / "data.tar.gz"
RESULTS = ROOT / "benchmarks" / "results" / "semeval_loaded_language.json"
LEXICON = ROOT / "scoring" / "lexicons" / "loaded_language.txt"
EXTENSION = ROOT / "scoring" / "lexicons" / "loaded_language_extension.txt"
TECHNIQUE = "Loaded_Language"
EVAL_ARTICLES, FOLDS, SEED = 40, 5, 0  # corpus/eval/build.py's slice: every_kth(sorted ids, 40)
MIN_ARTICLES, MIN_INSIDE, DROP_MIN, DROP_PRECISION = 2, 2, 2, 0.2
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)  # candidate min_precision, chosen by the inner CV
INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly")  # endings of the inflections a stem is expanded to
EXTENSION_CS = (1.0,)  # inverse L2 strength of the extension policy (0.3 was never chosen in a first run)
EXTENSION_TAUS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)  # candidate probability cuts of a step
EXTENSION_MIN_ROWS = 2  # a step feature is kept when seen in this many learning steps
CMU_WORDS = ROOT / "scoring" / "data" / "cmu_syllables.txt.gz"

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


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    from nltk.stem import PorterStemmer  # dev dependency: the benchmark learns, production only looks up

    return lru_cache(maxsize=None)(PorterStemmer().stem)


def stem(word: str) -> str:
    """The Porter stem of an alphabetic word (hyphenated and other words are their own key)."""
    return _stemmer()(word) if word.isalpha() else word


@lru_cache(maxsize=1)
def cmu_words() -> list[str]:
    """The CMU Pronouncing Dictionary's alphabetic words, sorted (the inflections a stem is expanded to)."""
    with gzip.open(CMU_WORDS, "rt", encoding="utf-8") as handle:
        return sorted({w for line in handle for w in line.split()[1:] if w.isalpha()})


def stem_forms(word_stem: str) -> set[str]:
    """CMU words with Porter stem `word_stem` and an inflectional ending (INFLECTIONS): "demonized" for
    "demon", not the derivations Porter also conflates ("absolutism" for "absolut")."""
    words, prefix = cmu_words(), word_stem[:-1] if len(word_stem) > 3 else word_stem
    out, k = set(), bisect_left(words, prefix)
    while k < len(words) and words[k].startswith(prefix):
        if words[k].endswith(INFLECTIONS) and stem(words[k]) == word_stem:
            out.add(words[k])
        k += 1
    return out


class WordStats:
    """How often each body word (possessive 's dropped) and each stem is inside a gold span."""

    def __init__(self) -> None:
        self.inside: Counter[str] = Counter()  # by stem
        self.total: Counter[str] = Counter()
        self.articles: Counter[str] = Counter()
        self.form_inside: Counter[str] = Counter()  # by word form
        self.form_total: Counter[str] = Counter()
        self.forms: dict[str, set[str]] = {}  # stem -> forms seen

    def update(self, other: WordStats) -> None:
        for name in ("inside", "total", "articles", "form_inside", "form_total"):
            getattr(self, name).update(getattr(other, name))
        for key, forms in other.forms.items():
            self.forms.setdefault(key, set()).update(forms)


def word_counts(doc: Document, gold: list[Range]) -> WordStats:
    """Inside-a-gold-span and total counts of one article's body words and stems."""
    stats = WordStats()
    gold = merge_ranges(gold)
    for (start, end), word in zip(doc.body_words, doc.body_lowered, strict=True):
        word = word[:-2] if word.endswith("'s") else word
        key = stem(word)
        stats.total[key] += 1
        stats.form_total[word] += 1
        stats.forms.setdefault(key, set()).add(word)
        if any(overlaps((start, end), g) for g in gold):
            stats.inside[key] += 1
            stats.form_inside[word] += 1
    stats.articles.update(stats.inside.keys())
    return stats


def pooled(stats: list[WordStats]) -> WordStats:
    out = WordStats()
    for one in stats:
        out.update(one)
    return out


def _rarely_loaded(stats: WordStats, word: str) -> bool:
    n = stats.form_total[word]
    return n >= DROP_MIN and stats.form_inside[word] / n < DROP_PRECISION


def learn_lexicon(stats: list[WordStats], min_precision: float) -> dict[str, str]:
    """Lexicon entry -> where it comes from ('semeval in/all of its stem', 'semeval stem' for a CMU
    inflection, or 'vader'), learned from the word counts of some articles."""
    pool = pooled(stats)
    out = {}
    for word in load_lexicon("loaded_language_vader"):
        if not _rarely_loaded(pool, word):
            out[word] = "vader"
    for key, n in sorted(pool.inside.items()):
        if key.isalpha() and pool.articles[key] >= MIN_ARTICLES and n >= MIN_INSIDE \
                and n / pool.total[key] >= min_precision:
            seen = {w for w in pool.forms[key] if w.isalpha() and not _rarely_loaded(pool, w)}
            for word in sorted(seen):
                out.setdefault(word, f"semeval {n}/{pool.total[key]} of stem {key}")
            for word in sorted(stem_forms(key) - pool.forms[key]):
                out.setdefault(word, f"semeval stem {key}")
    return out


def write_lexicon(entries: dict[str, str], n_articles: int, min_precision: float) -> None:
    header = f"""# Loaded / emotive words (SemEval-2020 Task 11 "Loaded_Language": words with strong emotional
# implications, positive or negative). LEARNED by benchmarks/semeval_loaded_language.py --write-lexicon
# from two sources:
# 1. the SemEval-2020 Task 11 training articles (aschern/semeval2020_task11 @ 84c384d; Da San Martino
#    et al. 2020), {n_articles} of the 371 (the 40 of corpus/eval/semeval left out), counted by Porter
#    stem: stems of alphabetic words inside Loaded_Language spans in >= {MIN_ARTICLES} articles,
#    >= {MIN_INSIDE} times, and inside a span in >= {min_precision} of their occurrences (threshold
#    chosen by cross-validation inside those articles); entries are the stem's forms seen there
#    ("# semeval inside/all of stem S") and its other inflections (-s -es -ed -d -ing -ly) in the CMU
#    Pronouncing Dictionary ("# semeval stem S"), minus forms seen >= {DROP_MIN} times but inside a span
#    < {DROP_PRECISION} of the time;
# 2. the curated VADER base, loaded_language_vader.txt (VADER lexicon, Hutto & Gilbert 2014, MIT; its
#    header says how it was selected), minus its words that those articles use >= {DROP_MIN} times but
#    inside a span < {DROP_PRECISION} of the time ("# vader").
# Cross-validated by article: figures in benchmarks/results/semeval_loaded_language.json.
# Entries are matched as whole words, case-insensitively (see scoring/features/language.py).
"""
    body = "".join(f"{word}  # {source}\n" for word, source in sorted(entries.items()))
    LEXICON.write_text(header + body, encoding="utf-8")


def predict(doc: Document, lexicon: frozenset[str] | None,
            extension: language.Accept | None = language.words_only) -> list[Range]:
    """Ranges of the production `loaded` spans (body, outside quotations) under `lexicon` (None: shipped)
    and `extension` (default: the words alone; None: the shipped phrase policy)."""
    return [(s.start, s.end) for s in language.loaded_word_spans(doc, lexicon=lexicon, extension=extension)]


def overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def merge_ranges(ranges: list[Range]) -> list[Range]:
    """Overlapping ranges merged (the official scorer merges overlapping gold spans)."""
    out: list[Range] = []
    for start, end in sorted(ranges):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def prf(p_num: float, n_pred: int, r_num: float, n_gold: int) -> dict[str, float]:
    precision = p_num / n_pred if n_pred else 0.0
    recall = r_num / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted": n_pred, "gold": n_gold}


def span_scores(preds: list[list[Range]], golds: list[list[Range]]) -> dict[str, dict[str, float]]:
    """The official SI scores (`si`, partial credit by character overlap, gold merged) and the looser
    `any_overlap` ones, pooled over articles."""
    si_p = si_r = 0.0
    any_p = any_r = n_pred = n_gold = n_gold_raw = 0
    for pred, raw_gold in zip(preds, golds, strict=True):
        gold = merge_ranges(raw_gold)
        n_pred += len(pred)
        n_gold += len(gold)
        n_gold_raw += len(raw_gold)
        for s in pred:
            for t in gold:
                shared = min(s[1], t[1]) - max(s[0], t[0])
                if shared > 0:
                    si_p += shared / (s[1] - s[0])
                    si_r += shared / (t[1] - t[0])
        any_p += sum(1 for s in pred if any(overlaps(s, g) for g in raw_gold))
        any_r += sum(1 for g in raw_gold if any(overlaps(s, g) for s in pred))
    return {"si": prf(si_p, n_pred, si_r, n_gold), "any_overlap": prf(any_p, n_pred, any_r, n_gold_raw)}


def evaluate(articles: list[tuple[str, str, list[Range]]], docs: list[Document],
             lexicon: frozenset[str] | None,
             extension: language.Accept | None = language.words_only) -> dict[str, object]:
    """Span P/R of one lexicon (and extension policy) over some articles, and its most frequent false
    positives."""
    preds = [predict(doc, lexicon, extension) for doc in docs]
    false_pos: Counter[str] = Counter()
    for (_, text, gold), pred in zip(articles, preds, strict=True):
        false_pos.update(text[s:e].lower() for s, e in pred if not any(overlaps((s, e), g) for g in gold))
    return {**span_scores(preds, [gold for _, _, gold in articles]),
            "top_false_positives": false_pos.most_common(15)}


def one_word_oracle(articles: list, docs: list[Document]) -> dict[str, float]:
    """SI scores of an oracle that marks, for every gold span, its longest body word outside quotations:
    the ceiling of any one-word-per-span lexicon under the official scorer."""
    preds = []
    for (_, _, gold), doc in zip(articles, docs, strict=True):
        quoted = language.quoted_ranges(doc.body_text)
        words = [w for w in doc.body_words if not any(s <= w[0] < e for s, e in quoted)]
        pred = []
        for g in merge_ranges(gold):
            inside = [w for w in words if overlaps(w, g)]
            if inside:
                pred.append(max(inside, key=lambda w: w[1] - w[0]))
        preds.append(pred)
    return span_scores(preds, [gold for _, _, gold in articles])["si"]


def quoted_ceiling(docs: list[Document], golds: list[list[Range]]) -> dict[str, float]:
    """SI scores of an oracle that marks every gold span exactly, from its first to its last body word
    outside quotations: the recall ceiling of spans counted, as the feature counts them, in the writer's
    voice only."""
    preds = []
    for doc, gold in zip(docs, golds, strict=True):
        quoted = language.quoted_ranges(doc.body_text)
        words = [w for w in doc.body_words if not any(s <= w[0] < e for s, e in quoted)]
        inside = ([w for w in words if overlaps(w, g)] for g in merge_ranges(gold))
        preds.append([(ws[0][0], ws[-1][1]) for ws in inside if ws])
    return span_scores(preds, golds)["si"]


def folds_of(n: int, k: int, seed: int = SEED) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[j::k] for j in range(k)]


def choose_threshold(articles: list, docs: list, stats: list, k: int = FOLDS - 1) -> tuple[float, float]:
    """The min_precision of THRESHOLDS with the best SI F1 under a k-fold CV over these articles, and it."""
    folds = folds_of(len(articles), k)
    best = (0.0, THRESHOLDS[0])
    for threshold in THRESHOLDS:
        preds: list[list[Range]] = [[] for _ in articles]
        for j, test in enumerate(folds):
            lexicon = frozenset(learn_lexicon([stats[i] for m, f in enumerate(folds) if m != j for i in f],
                                              threshold))
            for i in test:
                preds[i] = predict(docs[i], lexicon)
        f1 = span_scores(preds, [gold for _, _, gold in articles])["si"]["f1"]
        best = max(best, (f1, threshold))
    return best[1], best[0]


def extension_rows(doc: Document, gold: list[Range], lexicon: frozenset[str]) -> list[tuple[list[str], bool]]:
    """The extension steps from one article's loaded words that are inside a gold span, each (features,
    whether the neighbour is inside a gold span too), walked as the gold spans say (a step into gold is
    taken, the first step out stops). A wrong loaded word's phrase scores nothing however long, so only
    the right ones teach where a phrase ends (trained on all words, SI F1 0.227 instead of 0.238)."""
    gold, rows = merge_ranges(gold), []

    def inside(k: int) -> bool:
        return any(overlaps(doc.body_words[k], g) for g in gold)

    def record(features: list[str], neighbour: int) -> bool:
        seed = neighbour - 1 if features[0] == "R" else neighbour + 1
        if f"{features[0]}steps=0" in features and not inside(seed):
            return False
        label = inside(neighbour)
        rows.append((features, label))
        return label

    language.loaded_word_spans(doc, lexicon=lexicon, extension=record)
    return rows


def fit_extension(rows: list[tuple[list[str], bool]], c: float, tau: float) -> language.PhraseExtension:
    """An L2 logistic regression over the step features seen in >= EXTENSION_MIN_ROWS steps (weights
    rounded to 4 places, as shipped); a step is taken when its probability >= `tau`."""
    from sklearn.feature_extraction import DictVectorizer  # dev dependency: the benchmark learns
    from sklearn.linear_model import LogisticRegression

    seen = Counter(f for features, _ in rows for f in set(features))
    kept = [{f: 1.0 for f in features if seen[f] >= EXTENSION_MIN_ROWS} for features, _ in rows]
    vectoriser = DictVectorizer()
    x = vectoriser.fit_transform(kept)
    model = LogisticRegression(C=c, max_iter=3000).fit(x, [label for _, label in rows])
    weights = {f: round(float(w), 4) for f, w in zip(vectoriser.feature_names_, model.coef_[0], strict=True)
               if round(float(w), 4)}
    return language.PhraseExtension(weights, round(float(model.intercept_[0]), 4), logit(tau))


def logit(p: float) -> float:
    """The score cut of probability p, rounded as shipped."""
    return round(math.log(p / (1 - p)), 4)


def choose_extension(articles: list, docs: list, stats: list, thresholds: tuple[float, ...],
                     k: int = FOLDS - 1) -> tuple[float, float, float, float]:
    """(lexicon threshold, C, tau) of thresholds x EXTENSION_CS x EXTENSION_TAUS with the best SI F1 of the
    phrases under a k-fold CV over these articles (lexicon and policy learned on the other folds each
    time), and that F1."""
    folds = folds_of(len(articles), k)
    preds: dict[tuple[float, float, float], list[list[Range]]] = {}
    for j, test in enumerate(folds):
        train = [i for m, f in enumerate(folds) if m != j for i in f]
        for threshold in thresholds:
            lexicon = frozenset(learn_lexicon([stats[i] for i in train], threshold))
            rows = [row for i in train for row in extension_rows(docs[i], articles[i][2], lexicon)]
            for c in EXTENSION_CS:
                fitted = fit_extension(rows, c, EXTENSION_TAUS[0])
                for tau in EXTENSION_TAUS:
                    policy = dataclasses.replace(fitted, cut=logit(tau))
                    got = preds.setdefault((threshold, c, tau), [[] for _ in articles])
                    for i in test:
                        got[i] = predict(docs[i], lexicon, policy)
    golds = [gold for _, _, gold in articles]
    best = max((span_scores(p, golds)["si"]["f1"], key) for key, p in preds.items())
    return (*best[1], best[0])


def oracle_extension(docs: list[Document], golds: list[list[Range]],
                     preds: list[list[Range]]) -> dict[str, float]:
    """SI scores when every predicted word that overlaps a gold span is widened to exactly that span (the
    ceiling of any extension policy over these words)."""
    out = []
    for gold, pred in zip(golds, preds, strict=True):
        merged, widened = merge_ranges(gold), set()
        for s in pred:
            inside = [g for g in merged if overlaps(s, g)]
            widened.add((min(s[0], inside[0][0]), max(s[1], inside[-1][1])) if inside else s)
        out.append(sorted(widened))
    return span_scores(out, golds)["si"]


def cross_validate(articles: list, docs: list, stats: list) -> dict[str, object]:
    """FOLDS-fold CV by article: threshold, extension policy (C, tau) chosen and both learned on four folds,
    span P/R on the fifth, of the phrases (headline) and of the words alone."""
    folds = folds_of(len(articles), FOLDS)
    per_fold, word_preds, golds = [], [[] for _ in articles], [gold for _, _, gold in articles]
    for k, test in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        sub = ([articles[i] for i in train], [docs[i] for i in train], [stats[i] for i in train])
        word_threshold, inner_f1 = choose_threshold(*sub)
        threshold, c, tau, inner_phrase_f1 = choose_extension(*sub, (word_threshold,))
        lexicon = frozenset(learn_lexicon([stats[i] for i in train], threshold))
        rows = [row for i in train for row in extension_rows(docs[i], articles[i][2], lexicon)]
        policy = fit_extension(rows, c, tau)
        test_golds = [articles[i][2] for i in test]
        phrases = span_scores([predict(docs[i], lexicon, policy) for i in test], test_golds)
        word_lexicon = frozenset(learn_lexicon([stats[i] for i in train], word_threshold))
        for i in test:
            word_preds[i] = predict(docs[i], word_lexicon)
        words = span_scores([word_preds[i] for i in test], test_golds)
        per_fold.append({"min_precision": threshold, "words_alone_min_precision": word_threshold,
                         "inner_cv_si_f1": inner_f1, "extension_C": c,
                         "extension_tau": tau, "inner_cv_phrase_si_f1": inner_phrase_f1, **phrases,
                         "words_alone": words})
        print(f"fold {k}: phrases {phrases['si']}, words alone {words['si']}", flush=True)
    metrics = ("precision", "recall", "f1")
    mean = {metric: {m: round(sum(f[metric][m] for f in per_fold) / FOLDS, 4) for m in metrics}
            for metric in ("si", "any_overlap")}
    words_mean = {metric: {m: round(sum(f["words_alone"][metric][m] for f in per_fold) / FOLDS, 4)
                           for m in metrics} for metric in ("si", "any_overlap")}
    inner = round(sum(f["inner_cv_phrase_si_f1"] for f in per_fold) / FOLDS, 4)
    return {"mean": mean, "mean_inner_cv_phrase_si_f1": inner, "words_alone_mean": words_mean,
            "oracle_extension_of_the_held_out_words": oracle_extension(docs, golds, word_preds),
            "folds": per_fold}


def write_extension(policy: language.PhraseExtension, n_articles: int, threshold: float, c: float,
                    tau: float, rows: list[tuple[list[str], bool]]) -> None:
    seen = Counter(f for features, _ in rows for f in set(features))
    taken = Counter(f for features, label in rows if label for f in set(features))
    header = f"""# Phrase extension of loaded words (scoring/features/language.py): from a loaded word, a
# neighbour (left or right, one at a time, only a space, comma or dash between) joins its span when
# <intercept> + the weights of the step's features >= <cut>. LEARNED by
# benchmarks/semeval_loaded_language.py --write-lexicon from the SemEval-2020 Task 11 training articles
# (aschern/semeval2020_task11 @ 84c384d; Da San Martino et al. 2020), {n_articles} of the 371 (the 40 of
# corpus/eval/semeval left out): every step from a loaded word of loaded_language.txt (its threshold
# {threshold}) walked along the Loaded_Language gold spans (a neighbour inside a gold span is a positive
# step, the first one outside a negative one that ends the walk); an L2 logistic regression
# (scikit-learn, C={c}) over the step features seen in >= {EXTENSION_MIN_ROWS} steps; <cut> = logit({tau}).
# C and the probability cut chosen among {list(EXTENSION_CS)} x {list(EXTENSION_TAUS)} by a 5-fold CV inside
# those articles. Features: R/L direction + w= neighbour word, suf= its last 3 letters, gap= sp/comma/dash,
# steps= taken so far (3 = 3+), edge= / esuf= the phrase's outer word, lex / stop / cap / digit (the
# neighbour is a loaded word, a stop word, capitalised, holds a digit), ngap= / nnw= / nnlex / nnstop (the
# gap and word beyond the neighbour). Held-out figures: benchmarks/results/semeval_loaded_language.json.
# Each entry: feature<TAB>weight  # steps taken / steps holding the feature.
<intercept>\t{policy.intercept}
<cut>\t{policy.cut}
"""
    ordered = sorted(policy.weights.items(), key=lambda item: (-abs(item[1]), item[0]))
    body = "".join(f"{f}\t{w}  # {taken[f]} / {seen[f]}\n" for f, w in ordered)
    EXTENSION.write_text(header + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-lexicon", action="store_true",
                        help="rewrite loaded_language.txt and loaded_language_extension.txt")
    args = parser.parse_args()
    started = time.perf_counter()
    articles = read_semeval(ARCHIVE)
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in articles]
    step = max(1, len(articles) // EVAL_ARTICLES)
    held = {aid for aid, _, _ in articles[::step][:EVAL_ARTICLES]}
    learn = [i for i, a in enumerate(articles) if a[0] not in held]
    gate = [i for i, a in enumerate(articles) if a[0] in held]
    stats = [word_counts(docs[i], articles[i][2]) for i in learn]
    learn_articles, learn_docs = [articles[i] for i in learn], [docs[i] for i in learn]
    cv = cross_validate(learn_articles, learn_docs, stats)
    word_threshold, inner_f1 = choose_threshold(learn_articles, learn_docs, stats, FOLDS)
    word_lexicon = frozenset(learn_lexicon(stats, word_threshold))
    threshold, c, tau, inner_phrase_f1 = choose_extension(learn_articles, learn_docs, stats,
                                                          (word_threshold,), FOLDS)
    entries = learn_lexicon(stats, threshold)
    learned = frozenset(entries)
    rows = [row for i in learn for row in extension_rows(docs[i], articles[i][2], learned)]
    policy = fit_extension(rows, c, tau)
    if args.write_lexicon:
        write_lexicon(entries, len(learn), threshold)
        write_extension(policy, len(learn), threshold, c, tau, rows)
        load_lexicon.cache_clear()
        language._lexicons.cache_clear()
        language._categories.cache_clear()
        language._extension.cache_clear()
    vader = frozenset(load_lexicon("loaded_language_vader"))
    gate_articles, gate_docs = [articles[i] for i in gate], [docs[i] for i in gate]
    learn_golds = [gold for _, _, gold in learn_articles]
    in_sample_words = [predict(doc, learned) for doc in learn_docs]
    results: dict[str, object] = {
        "data": f"{ARCHIVE.name}: SemEval-2020 Task 11 training articles, technique {TECHNIQUE}",
        "articles": len(articles),
        "metric": "si = official SemEval-2020 Task 11 SI scorer (character-overlap partial credit, gold "
                  "merged); any_overlap = a word overlapping a gold span counts whole (looser)",
        "held_out_folds": {"protocol": f"{FOLDS}-fold CV by article (seed {SEED}) over the {len(learn)} "
                           "articles outside the gate's slice, each fold's lexicon threshold and extension "
                           "policy (C, cut) by a 4-fold CV inside its training articles; body, outside "
                           "quotations; `mean` = the shipped phrases, `words_alone_mean` = the loaded words "
                           "without extension", **cv},
        "shipped": {"min_precision": threshold, "words_alone_min_precision": word_threshold,
                    "words_alone_cv_si_f1_at_choice": inner_f1, "extension_C": c,
                    "extension_tau": tau, "cv_phrase_si_f1_at_choice": inner_phrase_f1,
                    "extension_features": len(policy.weights),
                    "training_fit": {k: v for k, v in
                                     evaluate(learn_articles, learn_docs, learned, policy).items()
                                     if k != "top_false_positives"}},
        "gate_slice": {"protocol": f"lexicon and extension learned on the {len(learn)} other articles, "
                       f"measured on the {len(gate)} of corpus/eval/semeval (never learned from)",
                       **evaluate(gate_articles, gate_docs, learned, policy),
                       "words_alone": {k: v for k, v in
                                       evaluate(gate_articles, gate_docs, word_lexicon).items()
                                       if k != "top_false_positives"}},
        "vader_base_alone_gate_slice": evaluate(gate_articles, gate_docs, vader),
        "ceilings": {
            "one_word_per_gold_span_oracle": one_word_oracle(learn_articles, learn_docs),
            "in_sample_lexicon_words": span_scores(in_sample_words, learn_golds)["si"],
            "in_sample_lexicon_with_oracle_extension": oracle_extension(learn_docs, learn_golds,
                                                                        in_sample_words),
            "every_gold_span_outside_quotations": quoted_ceiling(learn_docs, learn_golds),
        },
        "lexicon_entries": len(entries),
        "semeval_entries": sum(1 for v in entries.values() if v.startswith("semeval")),
    }
    results["seconds"] = round(time.perf_counter() - started, 1)
    write_json_atomically(results, RESULTS, ensure_ascii=False)
    print(json.dumps({k: v for k, v in results.items() if k != "gate_slice"}, indent=1)[:3000])
    print("gate slice:", {k: results["gate_slice"][k] for k in ("si", "any_overlap")})
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
