"""Extraction speed: articles per second for segmentation + every registered extractor, single process.

Two workloads, both built from the seed articles in corpus/seeds (no shared data needed):
- "seeds": the five seeds repeated to 2,000 articles (each made distinct by a numbered last line, so no
  text-keyed cache can help);
- "700_words": 1,000 articles of ~700 words, seed paragraphs drawn at random (fixed seed).
Reported per workload: articles/s by wall clock and by process CPU time (the machine is shared: CPU time is
the fairer number), time per stage (segment(), the body views every extractor reads — body_text,
body_words, body_sentences — and each family), plus the one-off cold start (dictionary and lexicon loading)
and peak RSS (resource.getrusage ru_maxrss). A cProfile run over 300 articles lists the hot spots.

Run: .venv/bin/python benchmarks/extraction_speed.py [--articles 2000]
(writes benchmarks/results/extraction_speed.json)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import random
import resource
import time
from collections import defaultdict
from pathlib import Path

from scoring.features import FAMILIES, extract
from scoring.outputs import write_json_atomically
from scoring.records import Article
from scoring.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
RESULTS = ROOT / "benchmarks" / "results" / "extraction_speed.json"
TARGET_PER_SECOND = 1000


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def repeated_seeds(n: int) -> list[str]:
    """The seeds repeated to n articles, each made distinct by a numbered last line."""
    seeds = seed_texts()
    return [
        f"{seeds[i % len(seeds)]}\n\nUpdate {i}: the report was revised on {1 + i % 28} March."
        for i in range(n)
    ]


def seven_hundred_word_articles(n: int, words: int = 700, seed: int = 7) -> list[str]:
    """n articles of about `words` words, made of seed paragraphs drawn at random."""
    rng = random.Random(seed)
    paragraphs = [p for text in seed_texts() for p in text.split("\n") if len(p.split()) >= 8]
    articles = []
    for _ in range(n):
        chosen, count = [], 0
        while count < words:
            paragraph = rng.choice(paragraphs)
            chosen.append(paragraph)
            count += len(paragraph.split())
        articles.append("\n\n".join(chosen))
    return articles


def _articles(texts: list[str]) -> list[Article]:
    return [Article(id=str(i), source=f"bench:{i}", text=t) for i, t in enumerate(texts)]


def run_staged(texts: list[str]) -> dict[str, object]:
    """Score every text once, timing each stage; returns rates and the per-stage breakdown."""
    articles = _articles(texts)
    stage_wall: dict[str, float] = defaultdict(float)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for article in articles:
        t0 = time.perf_counter()
        doc = segment(article)
        t1 = time.perf_counter()
        _ = doc.body_text, doc.body_words, doc.body_sentences
        t2 = time.perf_counter()
        stage_wall["segment"] += t1 - t0
        stage_wall["body_views (body_text, words, sentences)"] += t2 - t1
        for family in FAMILIES:
            t3 = time.perf_counter()
            family.extract(doc)
            stage_wall[f"family:{family.name}"] += time.perf_counter() - t3
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    words = sum(len(t.split()) for t in texts)
    n = len(texts)
    return {
        "articles": n,
        "mean_words": round(words / n, 1),
        "articles_per_second_wall": round(n / wall, 1),
        "articles_per_second_cpu": round(n / cpu, 1),
        "ms_per_article_cpu": round(1000 * cpu / n, 3),
        "ms_per_article_by_stage_wall": {k: round(1000 * v / n, 4) for k, v in stage_wall.items()},
        "meets_target_per_core": n / cpu >= TARGET_PER_SECOND,
    }


def run_plain(texts: list[str]) -> dict[str, float]:
    """Articles/s of the production path `extract(segment(article))`, with no timers inside the loop."""
    articles = _articles(texts)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for article in articles:
        extract(segment(article))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"articles_per_second_wall": round(len(texts) / wall, 1),
            "articles_per_second_cpu": round(len(texts) / cpu, 1)}


def profile(texts: list[str], top: int = 25) -> list[dict[str, object]]:
    """cProfile of extract(segment()) over `texts`: the `top` functions by own time."""
    articles = _articles(texts)
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        extract(segment(article))
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, func), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append({"function": f"{short}:{line}({func})", "calls": calls,
                     "own_ms_per_article": round(1000 * tottime / len(texts), 4),
                     "cumulative_ms_per_article": round(1000 * cumtime / len(texts), 4)})
    rows.sort(key=lambda r: -r["own_ms_per_article"])
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the repeated-seeds workload")
    args = parser.parse_args()

    cold0 = time.perf_counter()
    extract(segment(_articles(seed_texts()[:1])[0]))  # loads the CMU dictionary, lexicons, Punkt
    cold = time.perf_counter() - cold0

    workloads = {
        "seeds": repeated_seeds(args.articles),
        "700_words": seven_hundred_word_articles(max(1, args.articles // 2)),
    }
    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, shared by other jobs while measured (CPU time is the fairer rate)",
        "families": [f.name for f in FAMILIES],
        "cold_start_seconds": round(cold, 3),
        "target_articles_per_second_per_core": TARGET_PER_SECOND,
        "workloads": {},
    }
    for name, texts in workloads.items():
        staged = run_staged(texts)
        staged["production_path"] = run_plain(texts)
        results["workloads"][name] = staged
        print(f"{name}: {staged['articles_per_second_cpu']} articles/s (CPU), "
              f"{staged['articles_per_second_wall']} (wall), {staged['mean_words']} words/article")
        for stage, ms in staged["ms_per_article_by_stage_wall"].items():
            print(f"    {stage:45s} {ms:.3f} ms")
    results["profile_top_own_time_700_words"] = profile(workloads["700_words"][:300])
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {results['peak_rss_mb']} MB; cold start {results['cold_start_seconds']} s")
    write_json_atomically(results, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
