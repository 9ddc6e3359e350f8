"""Small helpers shared by several test modules (imported as `helpers`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from scoring.records import Article, content_id
from scoring.segment import Block, Document, segment

ROOT = Path(__file__).resolve().parents[1]
SEED_PATHS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
SEED_PARAGRAPHS = [
    [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()] for path in SEED_PATHS
]


def load_script(relative: str) -> ModuleType:
    """A repository script (scripts/x.py, corpus/.../build_x.py) imported as a module, by its path."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_slice(datasets: Sequence[str], per_class: int):  # -> pd.DataFrame (pandas imported lazily)
    """The first `per_class` training rows of each class of each of `datasets`, with their features
    (extracted, not cached) and the binary `target`."""
    import pandas as pd

    from scoring.train import TARGET, build_feature_table, training_mask

    articles = pd.read_parquet(ROOT / "corpus" / "training" / "articles.parquet")
    articles = articles[training_mask(articles) & articles["dataset"].isin(list(datasets))]
    articles = articles.assign(target=articles["label"].map(TARGET))
    sample = pd.concat([g.head(per_class) for _, g in articles.groupby(["dataset", "target"])]).reset_index(
        drop=True)
    features = build_feature_table(sample, cache_path=None, n_jobs=1)
    return pd.concat([sample, features.drop(columns="id")], axis=1)


def seed_doc(text: str) -> Document:
    """A seed as the pipeline segments it (boilerplate masked)."""
    return segment(Article(id=content_id(text), source="test", text=text))


def doc_of(text: str) -> Document:
    """A made-up snippet as one body block (the segmenter would rightly call a one-liner boilerplate)."""
    return Document(text, (Block(0, len(text)),) if text else ())


def scope_ranges(text: str, scope: list[list[str]]) -> list[tuple[int, int]]:
    """Character ranges of the gold scope: from the line starting with the first prefix to the last."""
    ranges = []
    for first, last in scope:
        start = re.search(r"(?m)^" + re.escape(first), text).start()
        last_line = re.compile(r"(?m)^" + re.escape(last)).search(text, start).start()
        end = text.find("\n", last_line)
        ranges.append((start, len(text) if end < 0 else end))
    return ranges


def in_scope(span: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] < e for s, e in ranges)


def seed_variant(i: int, heading: str = "Dispatch") -> str:
    """A short, distinct article made of two or three paragraphs of one seed."""
    rng = random.Random(i)
    paragraphs = SEED_PARAGRAPHS[i % len(SEED_PARAGRAPHS)]
    start = rng.randrange(0, max(1, len(paragraphs) - 2))
    return f"{heading} {i}\n\n" + "\n\n".join(paragraphs[start:start + rng.randint(2, 3)]) + "\n"
