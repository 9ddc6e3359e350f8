"""Build corpus/sample/articles.jsonl: 10 real articles of each of four outlets, for `make demo`'s comparison.

    python corpus/sample/build_sample.py [--shared ../shared/data]

Source: allsides-mbfc/articles.jsonl.gz (ramybaly/Article-Bias-Prediction @ ced8111, Apache-2.0; Baly et al.
EMNLP 2020; MBFC factuality joined by domain). Two outlets are rated high factuality by MBFC and two mixed.
No article of the sample is in the training corpus (corpus/training/articles.parquet, by URL and by text),
so the demo scores articles the model never saw. Deterministic: per outlet, of the articles not in the
training corpus, the 10 with the smallest SHA-256 of their id."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
TRAINING = HERE.parent / "training" / "articles.parquet"
OUTLETS = ("npr.org", "csmonitor.com", "thehill.com", "theblaze.com")
PER_OUTLET = 10
FIELDS = ("id", "outlet", "url", "title", "published", "mbfc_fact", "allsides_bias", "topic", "text")


def sample(source: Path, training: Path = TRAINING) -> list[dict[str, str]]:
    """The chosen articles, outlet by outlet, each with the fields newsscore reads plus its labels."""
    trained = pd.read_parquet(training, columns=["url", "text"])
    seen_urls, seen_texts = set(trained["url"]), set(trained["text"].str[:300])
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        rows = [r for r in map(json.loads, handle)
                if r["url"] not in seen_urls and r["text"][:300] not in seen_texts]
    chosen = []
    for outlet in OUTLETS:
        mine = sorted((r for r in rows if r["domain"] == outlet),
                      key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())[:PER_OUTLET]
        if len(mine) < PER_OUTLET:
            raise SystemExit(f"{outlet}: only {len(mine)} articles in {source}")
        for r in mine:
            record = {**r, "outlet": r["domain"], "published": r["date"]}
            chosen.append({key: record[key] for key in FIELDS})
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("NEWSSCORE_SHARED", HERE.parents[2] / "shared")) / "data"
    parser.add_argument("--shared", type=Path, default=default, help="The shared data folder.")
    args = parser.parse_args()
    rows = sample(args.shared / "allsides-mbfc" / "articles.jsonl.gz")
    out = HERE / "articles.jsonl"
    temp = out.with_suffix(".jsonl.tmp")
    temp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    temp.replace(out)
    print(f"{len(rows)} articles -> {out}")


if __name__ == "__main__":
    main()
