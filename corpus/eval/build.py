"""Rebuild corpus/eval/ (the evaluation gate's bundled data) from the shared data: deterministic slices.

Reads `$NEWSSCORE_SHARED/data` (default: the `shared` folder next to the repository) and writes small slices
(every k-th item by sorted id, so the same shared data always gives the same files); see README.md here.
Usage: .venv/bin/python corpus/eval/build.py, then `.venv/bin/python benchmarks/eval_gate.py --update-hashes`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("NEWSSCORE_SHARED", REPO.parent / "shared")) / "data"
N_HTML, N_POLNEAR, N_WEASEL, N_SEMEVAL = 25, 60, 400, 40


def every_kth(items: list, n: int) -> list:
    """n items spread evenly over the sorted list (deterministic)."""
    step = max(1, len(items) // n)
    return items[::step][:n]


def build_html() -> None:
    src = SHARED / "article-extraction-benchmark"
    gold = json.loads((src / "ground-truth.json").read_text(encoding="utf-8"))
    out = HERE / "html"
    out.mkdir(exist_ok=True)
    keys = every_kth(sorted(gold), N_HTML)
    for key in keys:
        (out / f"{key}.html.gz").write_bytes((src / "html" / f"{key}.html.gz").read_bytes())
    subset = {key: {"url": gold[key].get("url", ""), "articleBody": gold[key].get("articleBody", "")}
              for key in keys}
    (out / "ground-truth.json").write_text(json.dumps(subset, indent=1, ensure_ascii=False) + "\n",
                                           encoding="utf-8")


def build_polnear() -> None:
    out = HERE / "polnear"
    out.mkdir(exist_ok=True)
    texts: dict[str, bytes] = {}
    anns: dict[str, tuple[str, bytes]] = {}
    with tarfile.open(SHARED / "polnear" / "train.tar.gz") as tar:
        for member in tar:
            name = member.name
            if not member.isfile():
                continue
            if "/train/text/" in name and name.endswith(".txt"):
                texts[Path(name).stem] = tar.extractfile(member).read()
            elif "/train/attributions/" in name and name.endswith(".ann"):
                stem = Path(name).stem.rsplit("_", 1)[0]
                if stem not in anns or name < anns[stem][0]:
                    anns[stem] = (name, tar.extractfile(member).read())
    for stem in every_kth(sorted(s for s in texts if s in anns), N_POLNEAR):
        (out / f"{stem}.txt").write_bytes(texts[stem])
        (out / f"{stem}.ann").write_bytes(anns[stem][1])


def build_wikiweasel() -> None:
    path = SHARED / "wikiweasel" / "crypto-uncertainty_wiki_weasel_train.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keep = every_kth(rows, N_WEASEL)
    with (HERE / "wikiweasel.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "label"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(keep)


def build_semeval() -> None:
    out = HERE / "semeval"
    out.mkdir(exist_ok=True)
    texts: dict[str, bytes] = {}
    labels: dict[str, list[str]] = {}
    with tarfile.open(SHARED / "semeval2020-propaganda" / "data.tar.gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile():
                continue
            if "/train-articles/" in name:
                texts[re.search(r"article(\d+)\.txt$", name).group(1)] = tar.extractfile(member).read()
            elif "/train-labels-task2-technique-classification/" in name:
                for line in tar.extractfile(member).read().decode("utf-8").splitlines():
                    parts = line.split("\t")
                    if len(parts) == 4 and parts[1] == "Loaded_Language":
                        labels.setdefault(parts[0], []).append(line)
    for aid in every_kth(sorted(texts), N_SEMEVAL):
        (out / f"article{aid}.txt").write_bytes(texts[aid])
        (out / f"article{aid}.loaded.labels").write_text("".join(f"{x}\n" for x in labels.get(aid, [])),
                                                          encoding="utf-8")


if __name__ == "__main__":
    build_html()
    build_polnear()
    build_wikiweasel()
    build_semeval()
    print("wrote", HERE)
