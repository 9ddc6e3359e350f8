"""Build the reporting-style training corpus: corpus/training/articles.parquet (+ SOURCES.md counts).

Labels are OUTLET labels, never article labels. Each article's outlet (web domain) is looked up in, in order:
  1. satire lists: OpenSources `satire` type (fakenewscorpus-sample/websites.csv) or the satire folders of
     golbeck2018 (satire sites) -> label "satire";
  2. MBFC factuality from baly2018-outlet-labels (acl2020 snapshot first, then emnlp18):
     high -> "reliable", low -> "unreliable", mixed -> "mixed";
  3. OpenSources type (websites.csv): reliable -> "reliable"; fake, conspiracy, junksci, hate, bias,
     unreliable, rumor, state -> "unreliable"; political, clickbait, unknown -> no label;
  4. the outlets Horne & Adali 2017 list as "Real" (Business Insider's "Most Trusted") -> "reliable".
allsides-mbfc and recovery carry their own outlet labels (MBFC factuality; NewsGuard/MBFC reliability).
Articles whose outlet gets no label are left out (counted in SOURCES.md). The binary training target
(scoring/train.py) is reliable (1) vs mixed or unreliable (0), i.e. MBFC "high" vs not high; satire stays
in the corpus but out of the binary target.

Deterministic and re-runnable: `python corpus/build_training_corpus.py [--shared DIR] [--out DIR]`.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import tarfile
from collections import Counter
from pathlib import Path

import pandas as pd
import tldextract

from scoring.records import content_id

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "corpus" / "training"
OUTLET_MAP = Path(__file__).resolve().parent / "training" / "outlet_domains.tsv"
MAX_PER_OUTLET = 25  # keeps the shipped corpus a few MB and stops a few big outlets dominating a data set
MIN_WORDS = 80
COLUMNS = (
    "id",
    "text",
    "title",
    "outlet",
    "outlet_known",
    "label",
    "label_source",
    "dataset",
    "url",
    "source_ref",
)
LABELS = ("reliable", "unreliable", "mixed", "satire")
MBFC_LABEL = {"high": "reliable", "low": "unreliable", "mixed": "mixed"}
SAME_CRAWL = ("allsides-mbfc", "recovery")  # sets that carry their own outlet rating
HIGH = {"reliable": 1, "mixed": 0, "unreliable": 0}  # the binary target of scoring/train.py
OPENSOURCES_UNRELIABLE = {"fake", "conspiracy", "junksci", "hate", "bias", "unreliable", "rumor", "state"}

SOURCES = {
    "horne2017": "BenjaminDHorne/fakenewsdata1 @ 74545f5 (permissive licence; cite Horne & Adali 2017)",
    "golbeck2018": "jgolbeck/fakenews @ 9aff307 (no licence file; cite Golbeck et al. 2018)",
    "fakenewscorpus": "several27/FakeNewsCorpus @ c39d26e (Apache-2.0)",
    "allsides": "ramybaly/Article-Bias-Prediction @ ced8111 (Apache-2.0; Baly et al. 2020)",
    "polnear": "networkdynamics/PolNeAR @ c3eee83 (no licence in the copied README; cite Newell et al. 2018)",
    "allsides-mbfc": "ramybaly/Article-Bias-Prediction @ ced8111 (Apache-2.0; Baly et al. 2020), joined by "
    "domain to MBFC factuality (baly2018-outlet-labels); one crawl and one extraction (newspaper3k)",
    "recovery": "apurvamulay/ReCOVery @ d31bd76 (**CC BY-NC-SA 4.0**: non-commercial, share-alike; "
    "Zhou et al. "
    "CIKM 2020); outlet reliability from NewsGuard and MBFC; articles.parquet and features derived from it "
    "carry the same licence for these rows",
    "mbfc": "ramybaly/News-Media-Reliability @ 28ab9b4 (no licence file; MBFC labels; Baly et al. 2018/2020)",
}

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def domain_of(url: str) -> str:
    """Registered domain of a URL or host name ('' when there is none), offline."""
    url = str(url or "").strip()
    if not url:
        return ""
    parts = _EXTRACT(url if "//" in url else "http://" + url)
    return (parts.top_domain_under_public_suffix or "").lower()


def read_outlet_map(path: Path = OUTLET_MAP) -> list[tuple[str, str, str]]:
    """(dataset, name, domain) rows of the outlet map data file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        dataset, name, domain, _reason = line.split("\t", 3)
        rows.append((dataset, name, domain))
    return rows


def decode_legacy(data: bytes) -> str:
    """UTF-8 when valid, else cp1252 (the legacy encoding of these files), else latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def clean_text(text: str) -> str:
    """Normalise line ends and strip trailing spaces; keep paragraph breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------- outlet labels


class OutletLabels:
    """Outlet-level labels from the sources listed in the module docstring, looked up by domain."""

    def __init__(self, shared: Path) -> None:
        self.mbfc = self._read_mbfc(shared / "baly2018-outlet-labels" / "data")
        sites = pd.read_csv(shared / "fakenewscorpus-sample" / "websites.csv", dtype=str).fillna("")
        self.opensources = {
            domain_of(row.url): tuple(
                t.strip() for t in (row.type, row["2nd_type"], row["3rd_type"]) if t.strip()
            )
            for _, row in sites.iterrows()
        }
        self.trusted = {d for ds, _n, d in read_outlet_map() if ds == "horne2017-trusted"}
        self.satire_sites: set[str] = set()

    @staticmethod
    def _read_mbfc(data: Path) -> dict[str, tuple[str, str]]:
        """domain -> (label, source); acl2020 wins over emnlp18; a domain whose entries disagree within
        one snapshot is left unlabelled."""
        labels: dict[str, tuple[str, str]] = {}
        for version in ("emnlp18", "acl2020"):  # later overrides earlier
            table = pd.read_csv(data / version / "corpus.tsv", sep="\t", dtype=str)
            seen: dict[str, set[str]] = {}
            for url, fact in zip(table.source_url, table.fact, strict=True):
                seen.setdefault(domain_of(url), set()).add(fact.strip())
            for domain, facts in seen.items():
                if domain and len(facts) == 1:
                    labels[domain] = (MBFC_LABEL[facts.pop()], f"mbfc-factuality:baly2018/{version}")
        return labels

    def label(self, domain: str) -> tuple[str, str] | None:
        """(label, label_source) of an outlet, or None when no source rates it."""
        os_types = self.opensources.get(domain, ())
        if domain in self.satire_sites or "satire" in os_types:
            source = "opensources:satire" if "satire" in os_types else "golbeck2018:satire-site"
            return "satire", source
        if domain in self.mbfc:
            return self.mbfc[domain]
        if os_types and os_types[0] == "reliable":
            return "reliable", "opensources:reliable"
        if any(t in OPENSOURCES_UNRELIABLE for t in os_types):
            return "unreliable", "opensources:" + "+".join(os_types)
        if domain in self.trusted:
            return "reliable", "horne2017-readme:business-insider-most-trusted"
        return None


# ---------------------------------------------------------------- readers (one per data set)


def record(text: str, title: str, outlet: str, dataset: str, url: str, ref: str, known: bool = True) -> dict:
    return {
        "text": clean_text(text),
        "title": clean_text(title),
        "outlet": outlet,
        "outlet_known": known,
        "dataset": dataset,
        "url": url,
        "source_ref": ref,
    }


def read_golbeck(shared: Path) -> list[dict]:
    """Golbeck 2018 fake and satire stories; outlet = domain of the story URL in fake_news_stories.csv."""
    base = shared / "golbeck2018"
    with open(base / "fake_news_stories.csv", encoding="utf-8") as handle:
        urls = {
            r["Article Number"].strip(): r["URL of article"].strip()
            for r in csv.DictReader(handle)
            if r["Article Number"].strip()
        }
    rows = []
    for folder in ("Fake/finalFake", "Satire/finalSatire"):
        for path in sorted((base / "FakeNewsData" / "StoryText 2" / folder).glob("*.txt")):
            lines = clean_text(decode_legacy(path.read_bytes())).split("\n")
            title, body = lines[0], lines[1:]
            if body and body[0].strip().startswith("http"):
                body = body[1:]
            url = urls.get(path.stem, "")
            rows.append(
                record(
                    "\n".join(body),
                    title,
                    domain_of(url),
                    "golbeck2018",
                    url,
                    f"golbeck2018/{folder}/{path.name}",
                )
                | {"_satire_folder": folder.startswith("Satire")}
            )
    return rows


def read_horne(shared: Path) -> list[dict]:
    """Horne 2017 Random Political News: outlet per article unknown (only the outlet lists are public)."""
    base = shared / "horne2017" / "Public Data" / "Random Poltical News Dataset"
    rows = []
    for group, label in (("Real", "reliable"), ("Fake", "unreliable"), ("Satire", "satire")):
        for path in sorted((base / group).glob("*.txt")):
            title_path = base / f"{group}_titles" / path.name
            title = decode_legacy(title_path.read_bytes()) if title_path.exists() else ""
            rows.append(
                record(
                    decode_legacy(path.read_bytes()),
                    title,
                    f"unknown:horne2017-{group.lower()}",
                    "horne2017",
                    "",
                    f"horne2017/random/{group}/{path.name}",
                    known=False,
                )
                | {"_label": (label, "horne2017-readme:outlet-list(outlet-of-article-unknown)")}
            )
    return rows


def read_fakenewscorpus(shared: Path) -> list[dict]:
    """FakeNewsCorpus sample: one row per article with its domain."""
    table = pd.read_csv(shared / "fakenewscorpus-sample" / "news_sample.csv", dtype=str).fillna("")
    return [
        record(r.content, r.title, domain_of(r.domain), "fakenewscorpus", r.url, f"fakenewscorpus/id={r.id}")
        for r in table.itertuples()
    ]


def read_allsides(shared: Path) -> list[dict]:
    """AllSides (Baly 2020) media-split test articles with full text; outlet from source_url."""
    overrides = {name: d for ds, name, d in read_outlet_map() if ds == "allsides"}
    rows = []
    with gzip.open(
        shared / "baly2020-allsides" / "media_test_fulltext.jsonl.gz", "rt", encoding="utf-8"
    ) as fh:
        for line in fh:
            item = json.loads(line)
            outlet = overrides.get(item["source_url"], domain_of(item["source_url"]))
            rows.append(
                record(
                    item["content_original"],
                    item["title"],
                    outlet,
                    "allsides",
                    item["url"],
                    f"allsides/ID={item['ID']}",
                )
            )
    return rows


def read_allsides_mbfc(shared: Path) -> list[dict]:
    """AllSides articles of one crawl joined to MBFC factuality by domain (high -> reliable, mixed)."""
    rows = []
    with gzip.open(shared / "allsides-mbfc" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            label = MBFC_LABEL[item["mbfc_fact"]]
            rows.append(
                record(
                    item["text"],
                    item["title"] or "",
                    domain_of(item["domain"]) or domain_of(item["url"]),  # the rated outlet, not the host
                    "allsides-mbfc",
                    item["url"],
                    f"allsides-mbfc/id={item['id']}",
                )
                | {"_label": (label, f"mbfc-factuality:allsides-mbfc/{item['mbfc_label_file']}")}
            )
    return rows


def read_recovery(shared: Path) -> list[dict]:
    """ReCOVery COVID-19 articles (CC BY-NC-SA 4.0); its own outlet label: reliability 1 / 0."""
    table = pd.read_csv(shared / "recovery" / "articles.csv.gz", dtype=str).fillna("")
    # the outlet is the publisher, written as its most common URL domain (a few URLs point elsewhere)
    domains = table["url"].map(domain_of)
    publisher_domain = {p: d.value_counts().index[0] for p, d in domains.groupby(table["publisher"])}
    return [
        record(r.body_text, r.title, publisher_domain[r.publisher], "recovery", r.url,
               f"recovery/news_id={r.news_id}")
        | {
            "_label": (
                "reliable" if r.reliability == "1" else "unreliable",
                "recovery:newsguard+mbfc(outlet)",
            )
        }
        for r in table.itertuples()
    ]


def read_polnear(shared: Path) -> list[dict]:
    """PolNeAR training split texts; outlet from the publisher code in the file name."""
    codes = {name: d for ds, name, d in read_outlet_map() if ds == "polnear"}
    rows = []
    with tarfile.open(shared / "polnear" / "train.tar.gz") as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.isfile() and "/text/" in m.name), key=lambda m: m.name
        )
        for member in members:
            raw = decode_legacy(tar.extractfile(member).read())
            title, _, body = clean_text(raw).partition("\n")
            code = Path(member.name).name.split("_", 1)[0]
            rows.append(record(body, title, codes[code], "polnear", "", f"polnear/{member.name}"))
    return rows


# ---------------------------------------------------------------- assembly


def _dedup_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def build(shared: Path) -> tuple[pd.DataFrame, dict]:
    """All labelled articles (capped per outlet) and the counts SOURCES.md reports."""
    labels = OutletLabels(shared)
    raw = {
        "golbeck2018": read_golbeck(shared),
        "horne2017": read_horne(shared),
        "fakenewscorpus": read_fakenewscorpus(shared),
        "allsides": read_allsides(shared),
        "polnear": read_polnear(shared),
        "allsides-mbfc": read_allsides_mbfc(shared),
        "recovery": read_recovery(shared),
    }
    labels.satire_sites = {r["outlet"] for r in raw["golbeck2018"] if r["_satire_folder"]}
    excluded: Counter = Counter()
    kept, seen = [], set()
    for dataset, rows in raw.items():
        for row in rows:
            row.pop("_satire_folder", None)
            fixed = row.pop("_label", None)
            words = len(row["text"].split())
            if words < MIN_WORDS:
                excluded[(dataset, f"fewer than {MIN_WORDS} words")] += 1
                continue
            key = _dedup_key(row["text"])
            if key in seen:
                excluded[(dataset, "duplicate text")] += 1
                continue
            found = fixed or (labels.label(row["outlet"]) if row["outlet"] else None)
            if found is None:
                excluded[(dataset, "outlet has no reliability label")] += 1
                continue
            seen.add(key)
            row["label"], row["label_source"] = found
            row["id"] = content_id(row["text"])
            kept.append(row)
    frame = pd.DataFrame(kept)
    # one binary rating per outlet: where the lookup for an older set disagrees with the rating a same-crawl
    # set carries (e.g. nationalreview.com: MBFC high in allsides-mbfc, mixed in the baly2018 lookup), the
    # same-crawl rating stands and the older set's rows of that outlet are dropped
    high = frame["label"].map(HIGH)
    rated = frame[frame["dataset"].isin(SAME_CRAWL)].groupby("outlet")["label"].first().map(HIGH)
    conflict = frame["outlet"].map(rated).notna() & high.notna() & (high != frame["outlet"].map(rated))
    for dataset, n in frame[conflict].groupby("dataset").size().items():
        excluded[(dataset, "outlet rated otherwise by a same-crawl set")] += int(n)
    frame = frame[~conflict].reset_index(drop=True)
    # deterministic cap per outlet: keep the articles whose id sorts first (ids are hashes: a fair sample)
    frame = frame.sort_values(["outlet", "id"]).reset_index(drop=True)
    rank = frame.groupby(["dataset", "outlet"]).cumcount()
    over = (rank >= MAX_PER_OUTLET) & frame.outlet_known
    for dataset, n in frame[over].groupby("dataset").size().items():
        excluded[(dataset, f"over the cap of {MAX_PER_OUTLET} articles per outlet")] += int(n)
    frame = frame[~over].reset_index(drop=True)
    frame = frame.sort_values(["dataset", "outlet", "id"]).reset_index(drop=True)[list(COLUMNS)]
    stats = {"raw": {k: len(v) for k, v in raw.items()}, "excluded": excluded}
    return frame, stats


def sources_markdown(frame: pd.DataFrame, stats: dict) -> str:
    """SOURCES.md: provenance, label rules, counts per data set and label, exclusions."""
    out = io.StringIO()
    w = out.write
    w("# Training corpus: sources, labels, counts\n\n")
    w(
        "Generated by `corpus/build_training_corpus.py` (deterministic; re-run it to rebuild). File: "
        "`articles.parquet` (zstd), one row per article, columns: "
        + ", ".join(f"`{c}`" for c in COLUMNS)
        + ".\n\n"
    )
    w("## Label rule: the outlet's reliability, never the article's\n\n")
    w(__doc__.split("\n\n", 1)[1].split("\n\nDeterministic")[0] + "\n\n")
    w(
        "- Satire is kept (label `satire`) but is **not** part of the binary target: it is neither careful "
        "reporting nor an attempt to deceive, and its style (invented quotes) would blur both classes.\n"
        "- `mixed` (MBFC mixed factuality) is kept as its own level; the binary target counts it with "
        "unreliable (0 = not rated high), which gives allsides-mbfc (high vs mixed) both classes.\n"
        "- MBFC entries are matched on the registered domain of their URL (an entry for a section such as "
        "theguardian.com/observer or npr.org/sections/news rates its domain); when one snapshot has "
        "conflicting labels for a domain, that snapshot does not rate it. acl2020 overrides emnlp18 "
        "(e.g. breitbart.com: mixed in emnlp18, low in acl2020 -> unreliable).\n"
        "- Outlet names and publisher codes are mapped to domains in `outlet_domains.tsv` (with reasons).\n"
        f"- At most {MAX_PER_OUTLET} articles per outlet and data set (the ones whose id sorts first), "
        "texts under "
        f"{MIN_WORDS} words dropped, duplicate texts (case/space-insensitive) dropped.\n"
        "- **horne2017**: only the Random Political News set. Its labels are per outlet list, but which "
        "outlet wrote which article is not published, so its rows have `outlet_known = False` and "
        "`outlet = unknown:horne2017-<group>`: they are NOT used for training nor for the outlet-grouped "
        "evaluation (they could leak an outlet across folds). Its Buzzfeed set is left out entirely: its "
        "labels are per article (a fact-check verdict), not per outlet.\n\n"
    )
    w("## Sources\n\n")
    for key, text in SOURCES.items():
        w(f"- `{key}`: {text}\n")
    w(
        "\n## Licence of the shipped file\n\n`articles.parquet` holds rows derived from ReCOVery "
        "(`dataset == 'recovery'`), licensed **CC BY-NC-SA 4.0** (non-commercial use, share-alike, "
        "attribution: Zhou, Mulay, Ferrara, Zafarani, CIKM 2020). Those rows, and any file derived from them "
        "(the feature cache, the fitted anchors in models/), carry that licence; the other rows keep their "
        "source's terms listed above.\n"
    )
    w("\n## Counts (articles kept) per data set and label\n\n")
    table = frame.groupby(["dataset", "label"]).agg(articles=("id", "size"), outlets=("outlet", "nunique"))
    w("| dataset | label | articles | outlets |\n|---|---|---:|---:|\n")
    for (dataset, label), row in table.iterrows():
        w(f"| {dataset} | {label} | {row.articles} | {row.outlets} |\n")
    totals = frame.groupby("label").agg(articles=("id", "size"), outlets=("outlet", "nunique"))
    w("\nTotals per label (outlets counted once):\n\n| label | articles | outlets |\n|---|---:|---:|\n")
    for label, row in totals.iterrows():
        w(f"| {label} | {row.articles} | {row.outlets} |\n")
    binary = frame[frame.outlet_known & frame.label.isin(["reliable", "unreliable", "mixed"])]
    w(
        f"\nBinary training set (outlet known, reliable vs mixed or unreliable): {len(binary)} articles from "
        f"{binary.outlet.nunique()} outlets ({(binary.label == 'reliable').sum()} reliable from "
        f"{binary[binary.label == 'reliable'].outlet.nunique()} outlets).\n\n"
    )
    w(
        "Reliable outlets: "
        + ", ".join(
            f"{o} ({n})" for o, n in binary[binary.label == "reliable"].groupby("outlet").size().items()
        )
        + "\n\n"
    )
    w("## Read and excluded\n\n| dataset | read | excluded | reason |\n|---|---:|---:|---|\n")
    for (dataset, reason), n in sorted(stats["excluded"].items()):
        w(f"| {dataset} | {stats['raw'][dataset]} | {n} | {reason} |\n")
    w(
        "\nOutlets left out for lack of a label include nytimes.com (neither MBFC snapshot nor the other "
        "lists rate it) and many small sites of the golbeck2018 fake-story list.\n"
    )
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    frame, stats = build(args.shared)
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = args.out / "articles.parquet.tmp"
    frame.to_parquet(tmp, compression="zstd", index=False)
    tmp.replace(args.out / "articles.parquet")
    (args.out / "SOURCES.md").write_text(sources_markdown(frame, stats), encoding="utf-8")
    print(f"{len(frame)} articles, {frame.outlet.nunique()} outlets -> {args.out / 'articles.parquet'}")
    print(frame.groupby("label").size().to_string())


if __name__ == "__main__":
    main()
