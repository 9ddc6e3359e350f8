"""The offline guarantee: segmentation and every registered extractor run on the seeds with the network
blocked and `nltk.download` booby-trapped, in a fresh interpreter (so no cache from another test can
hide a first-use download, such as textstat's `nltk.download('cmudict')`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, socket, sys
from pathlib import Path

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args)[:200])
    raise OSError("network blocked by tests/test_offline.py")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import nltk
downloads = []

def no_download(*args, **kwargs):
    downloads.append(repr(args)[:200])
    raise RuntimeError("nltk.download called")

nltk.download = no_download
import nltk.downloader
nltk.downloader.download = no_download

from scoring.features import FAMILIES, extract
from scoring.records import Article
from scoring.segment import segment

results = []
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    record = extract(segment(Article(id=path.stem, source=str(path), text=text)))
    results.append({"seed": path.name, "values": len(record.values), "spans": len(record.spans)})
clean_downloads = list(downloads)
import textstat  # the trap this test exists to catch: show the harness sees it

try:
    textstat.flesch_reading_ease("The cat sat on the mat.")
except Exception:
    pass
print(json.dumps({"results": results, "downloads": clean_downloads, "textstat_downloads": downloads,
                  "attempts": attempts,
                  "families": [f.name for f in FAMILIES]}))
"""


def run_blocked(tmp_path: Path) -> dict:
    """Run SCRIPT on the seeds in a fresh interpreter with the network and nltk.download blocked."""
    env = dict(os.environ)
    env["NLTK_DATA"] = str(tmp_path / "empty_nltk_data")  # no data that could hide a missing resource
    env["HOME"] = str(tmp_path)  # nor ~/nltk_data
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "corpus" / "seeds")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=240,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_all_extractors_run_offline_in_a_fresh_process(tmp_path: Path) -> None:
    report = run_blocked(tmp_path)
    assert report["downloads"] == []
    assert report["attempts"] == []
    assert len(report["results"]) == 5
    from scoring.features import feature_names

    assert all(r["values"] == len(feature_names()) for r in report["results"])
    assert {"readability", "language"} <= set(report["families"])
    # the harness is live: calling textstat directly afterwards does try nltk.download('cmudict')
    assert any("cmudict" in call for call in report["textstat_downloads"])
