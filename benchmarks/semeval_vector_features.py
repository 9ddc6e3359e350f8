"""A loaded-language token tagger over static word vectors, for benchmarks/semeval_loaded_vectors.py: the
probability that each body word lies inside a SemEval-2020 Task 11 Loaded_Language span, from what the word
and its neighbours mean, and the spans it tags. Applied with numpy alone (a table look-up and a small matrix
product), so a product could run it without torch; measured there, not shipped (no gain over the lexicon's
phrases on the held-out folds or the gate slice).

- Vectors: benchmarks/data/word_vectors.bin.gz (corpus/build_word_vectors.py: all-MiniLM-L6-v2's vector of
  each word alone, PCA to 48 dims). A word not in the table is its form without a possessive 's, else the
  mean of its hyphenated parts, else zeros with the `oov` flag.
- A token's features (`token_features`): the vectors of the word, the previous word, the next word and the
  mean of the two words each side; three flags (in the loaded lexicon, in the curated VADER base, out of
  vocabulary) for the word, the previous word, the next word and the two beyond (summed); a stop word, a
  mid-sentence capital, the word's length / 12, and a constant.
- Combined with the lexicon phrases (`combine`): a lexicon phrase is kept when its most probable word
  reaches `drop` (the tagger vetoes the lexicon's unlikely hits), and a tagged run that overlaps no kept
  phrase is added (words the lexicon does not hold).
- Spans (`tagged_runs`): runs of consecutive words outside quotations, only spaces between them, each with
  probability >= `extend` x `threshold`, holding one word >= `threshold` (a confident word carries its
  less confident neighbours).
- Cost (`LinearScorer`): a linear tagger folded onto the vocabulary scores a word by four table look-ups.
"""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from scoring.features.base import Document
from scoring.lexicon import load_lexicon

VECTORS = Path(__file__).resolve().parent / "data" / "word_vectors.bin.gz"


@lru_cache(maxsize=1)
def word_vectors() -> tuple[dict[str, int], np.ndarray]:
    """Word -> row, and the table of benchmarks/data/word_vectors.bin.gz, kept float16 as stored (3 MB;
    format: its build script)."""
    data = gzip.decompress(VECTORS.read_bytes())
    end = data.index(b"\n")
    header = json.loads(data[:end])
    rows, dims = header["words"], header["dims"]
    words = data[end + 1:].split(b"\n", rows)
    table = np.frombuffer(words[rows], dtype="<f2", count=rows * dims).reshape(rows, dims)
    return {w.decode("utf-8"): i for i, w in enumerate(words[:rows])}, table


def _vector_rows(lowered: list[str], table: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each word's row of `table` (default: the word vectors; the tagger's projections of them, n x cols)
    and whether it is out of the vocabulary."""
    index, vectors = word_vectors()
    table = vectors if table is None else table
    rows = np.fromiter(map(index.get, lowered, repeat(-1)), dtype=np.int64, count=len(lowered))
    out = np.zeros((len(lowered), table.shape[1]), np.float32)
    known = rows >= 0
    out[known] = table[rows[known]]
    oov = ~known
    for k in np.flatnonzero(oov):
        key = lowered[k].replace("’", "'").removesuffix("'s")
        if key in index:
            out[k], oov[k] = table[index[key]], False
            continue
        parts = [index[p] for p in key.split("-") if p in index]
        if parts:
            out[k], oov[k] = table[parts].astype(np.float32).mean(axis=0), False
    return out, oov


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The curated VADER base (with possessives) and the stop words."""
    vader = load_lexicon("loaded_language_vader")
    return frozenset(vader) | _possessives(vader), frozenset(load_lexicon("stop_words"))


def _possessives(words: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Each word's possessive (`Document.body_lowered` reads ’ as ')."""
    return frozenset(w + "'s" for w in words)


@lru_cache(maxsize=8)
def _lexicon_keys(lexicon: frozenset[str]) -> frozenset[str]:
    return lexicon | _possessives(lexicon)


def _in_lexicon(lowered: list[str], lexicon: frozenset[str]) -> np.ndarray:
    """Whether each lower-cased word is a loaded-lexicon entry, its possessive or holds one as a hyphenated
    part."""
    out = np.fromiter(map(_lexicon_keys(lexicon).__contains__, lowered), dtype=bool, count=len(lowered))
    for k in compress(count(), map(str.__contains__, lowered, repeat("-"))):
        out[k] = out[k] or any(p in lexicon for p in lowered[k].split("-"))
    return out


def _word_flags(doc: Document, lexicon: frozenset[str], oov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per word: (lexicon, VADER, out-of-vocabulary) flags, and (stop word, mid-sentence capital,
    length / 12, 1)."""
    lowered, text, words, written = doc.body_lowered, doc.body_text, doc.body_words, doc.body_word_texts
    n = len(lowered)
    vader, stop = _word_sets()
    flags = np.zeros((n, 3), np.float32)
    flags[:, 0] = _in_lexicon(lowered, lexicon)
    flags[:, 1] = np.fromiter(map(vader.__contains__, lowered), dtype=bool, count=n)
    flags[:, 2] = oov
    extra = np.zeros((n, 4), np.float32)
    extra[:, 0] = np.fromiter(map(stop.__contains__, lowered), dtype=bool, count=n)
    for k in compress(count(), map(str.isupper, map(itemgetter(0), written))):
        extra[k, 1] = k > 0 and not text[words[k - 1][1]:words[k][0]].strip()
    extra[:, 2] = np.minimum(np.fromiter(map(len, lowered), dtype=np.float32, count=n), 12) / 12
    extra[:, 3] = 1.0
    return flags, extra


def _context(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per word: its row, the previous word's, the next word's, and the sum of the two words each side
    (zeros past either end)."""
    n = len(values)
    padded = np.zeros((n + 4, values.shape[1]), np.float32)
    padded[2:-2] = values
    return values, padded[1:-3], padded[3:-1], padded[0:-4] + padded[1:-3] + padded[3:-1] + padded[4:]


def token_features(doc: Document, lexicon: frozenset[str]) -> np.ndarray:
    """One row of features per body word (see the module docstring), float32."""
    own, oov = _vector_rows(doc.body_lowered)
    flags, extra = _word_flags(doc, lexicon, oov)
    vec_own, vec_prev, vec_next, vec_around = _context(own)
    flag_own, flag_prev, flag_next, flag_around = _context(flags)
    return np.hstack([vec_own, vec_prev, vec_next, vec_around / 4, flag_own, flag_prev, flag_next,
                      flag_around - flag_prev - flag_next, extra])


@dataclass(frozen=True)
class Tagger:
    """A fitted tagger: features standardised by `mean` / `scale`, then a one-hidden-layer perceptron (relu,
    `hidden` weights and bias) or, with no hidden layer, a logistic regression; `output` weights and bias;
    words >= `threshold` seed a span, neighbours >= `extend` x `threshold` join it; a lexicon phrase is
    kept when its most probable word reaches `drop`."""

    mean: np.ndarray
    scale: np.ndarray
    hidden: np.ndarray | None
    hidden_bias: np.ndarray | None
    output: np.ndarray
    output_bias: float
    threshold: float
    extend: float
    drop: float = 0.0

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = (features - self.mean) / self.scale
        if self.hidden is not None:
            z = np.maximum(z @ self.hidden + self.hidden_bias, 0.0)
        return 1.0 / (1.0 + np.exp(-(z @ self.output + self.output_bias)))

    def to_dict(self) -> dict[str, object]:
        def listed(a: np.ndarray | None) -> object:
            return None if a is None else np.round(a.astype(np.float64), 6).tolist()

        return {"mean": listed(self.mean), "scale": listed(self.scale), "hidden": listed(self.hidden),
                "hidden_bias": listed(self.hidden_bias), "output": listed(self.output),
                "output_bias": round(float(self.output_bias), 6), "threshold": self.threshold,
                "extend": self.extend, "drop": self.drop}

    @classmethod
    def from_dict(cls, data: dict) -> Tagger:
        def array(key: str) -> np.ndarray | None:
            return None if data.get(key) is None else np.asarray(data[key], dtype=np.float32)

        return cls(array("mean"), array("scale"), array("hidden"), array("hidden_bias"), array("output"),
                   float(data["output_bias"]), float(data["threshold"]), float(data["extend"]),
                   float(data.get("drop", 0.0)))


@dataclass(frozen=True)
class LinearScorer:
    """A linear tagger folded onto the vocabulary: its weights on the four vector blocks (the word, the
    previous, the next, the mean of the words around) projected onto every row of the vector table, so a
    word's score is four table look-ups and the flags' weights, not a matrix of features (the same
    probabilities as `Tagger.probabilities` over `token_features`, to float rounding: what a run-time step
    would cost)."""

    projected: np.ndarray  # vocabulary x 4: each word's score as the word, previous, next, around
    flag_weights: np.ndarray  # 3 flags x 4 positions
    extra_weights: np.ndarray  # 4
    bias: float

    @classmethod
    def of(cls, tagger: Tagger) -> LinearScorer:
        if tagger.hidden is not None:
            raise ValueError("a tagger with a hidden layer has no linear folding")
        weights = tagger.output / tagger.scale
        bias = float(tagger.output_bias - weights @ tagger.mean)
        dims = word_vectors()[1].shape[1]
        blocks = weights[:4 * dims].reshape(4, dims).T.copy()
        blocks[:, 3] /= 4  # the mean of the four words around
        projected = (word_vectors()[1].astype(np.float32) @ blocks).astype(np.float32)
        flag_weights = weights[4 * dims:4 * dims + 12].reshape(4, 3).T.astype(np.float32)
        return cls(projected, flag_weights, weights[4 * dims + 12:].astype(np.float32), bias)

    def probabilities(self, doc: Document, lexicon: frozenset[str]) -> np.ndarray:
        rows, oov = _vector_rows(doc.body_lowered, self.projected)
        flags, extra = _word_flags(doc, lexicon, oov)
        own, prev, nxt, around = _context(rows)
        score = self.bias + own[:, 0] + prev[:, 1] + nxt[:, 2] + around[:, 3] + extra @ self.extra_weights
        f_own, f_prev, f_next, f_around = _context(flags @ self.flag_weights)
        score += f_own[:, 0] + f_prev[:, 1] + f_next[:, 2] + f_around[:, 3] - f_prev[:, 3] - f_next[:, 3]
        return 1.0 / (1.0 + np.exp(-score))


def tagged_runs(text: str, words: list[tuple[int, int]], quoted: list[bool], probs: np.ndarray,
                threshold: float, extend: float) -> list[tuple[int, int, list[int]]]:
    """(start, end, seed word indices) of each tagged run (see the module docstring), in text order."""
    out: list[tuple[int, int, list[int]]] = []
    low = threshold * extend
    candidates = np.flatnonzero(probs >= low)
    current: list[int] = []
    seeds: list[int] = []

    def close() -> None:
        if current and seeds:
            out.append((words[current[0]][0], words[current[-1]][1], list(seeds)))

    for k in candidates.tolist():
        if quoted[k]:
            continue
        if current and (k != current[-1] + 1 or text[words[current[-1]][1]:words[k][0]].strip(" ")):
            close()
            current, seeds = [], []
        current.append(k)
        if probs[k] >= threshold:
            seeds.append(k)
    close()
    return out


def combine(phrases: list[tuple[int, int]], word_starts: list[int], probs: np.ndarray,
            runs: list[tuple[int, int, list[int]]], drop: float) -> tuple[list[int], list[int]]:
    """(indices of the kept `phrases`, indices of the added `runs`): a phrase is kept when its most probable
    word reaches `drop`; a run is added when it overlaps no kept phrase. Both lists sorted by start."""
    kept = [k for k, (start, end) in enumerate(phrases)
            if probs[bisect_left(word_starts, start):bisect_left(word_starts, end)].max(initial=0.0) >= drop]
    kept_starts = [phrases[k][0] for k in kept]
    added = []
    for k, (start, end, _) in enumerate(runs):
        j = bisect_left(kept_starts, end) - 1  # the last kept phrase starting before the run ends
        if j < 0 or phrases[kept[j]][1] <= start:
            added.append(k)
    return kept, added
