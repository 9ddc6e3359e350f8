"""scoring/domains.py gives the registered domain tldextract gave (it replaced tldextract at run time, whose
import alone was ~0.1 s of every batch's start), on real URLs and on generated URL-like strings."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.domains import registered_domain, url_host

tldextract = pytest.importorskip("tldextract")
EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # its bundled snapshot, offline
ARTICLES = Path("/work/shared/data/allsides-mbfc/articles.jsonl.gz")

# Pieces URLs are made of, odd ones included: IDNA dots, punycode, IPs, wildcard and exception rules of the
# list (*.kawasaki.jp, !city.kawasaki.jp), a private suffix (blogspot.com), userinfo, ports, brackets.
PIECES = ["a", "B", "x9", "-", ".", "..", ":", "/", "//", "@", "?", "#", "[", "]", " ", "\u3002", "\uff0e",
          "www", "co", "uk", "com", "au", "jp", "kawasaki", "city", "blogspot", "xn--p1ai", "xn--", "рф",
          "http://", "https://", "ftp:", "::1", "localhost", "192.168.0.1", ":8080", "user:pw@"]


def tldextract_domain(url: str) -> str:
    url = url.strip()
    return (EXTRACT(url).top_domain_under_public_suffix or "").lower() if url else ""


@pytest.mark.parametrize(("url", "domain"), [
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
    ("HTTP://User:pw@Edition.CNN.com:8080/a?b#c", "cnn.com"),
    ("www.smh.com.au", "smh.com.au"),
    ("nytimes.com/2020//story.html", "nytimes.com"),  # no scheme: `//` in the path is not an authority
    ("https://foo.blogspot.com/post", "blogspot.com"),  # private suffixes are not registries (ICANN only)
    ("https://www.city.kawasaki.jp/x", "city.kawasaki.jp"),  # the list's exception rule
    ("https://a.b.kawasaki.jp/x", "a.b.kawasaki.jp"),  # and its wildcard
    ("https://news\u3002example\uff0ecom\u3002/", "example.com"),  # IDNA dots, a trailing root label
    ("http://пример.рф/", "пример.рф"), ("http://xn--e1afmkfd.xn--p1ai/", "xn--e1afmkfd.xn--p1ai"),
    ("http://192.168.0.1/a", ""), ("http://[2001:db8::1]:80/", ""), ("http://localhost:8000/", ""),
    ("mailto:someone", ""), ("", ""), ("a..example.com", "example.com"),
])
def test_registered_domain_of_urls_and_host_names(url: str, domain: str) -> None:
    assert registered_domain(url) == domain == tldextract_domain(url)


def test_url_host_keeps_case_and_drops_the_rest() -> None:
    assert url_host("https://u@Www.Example.COM:443/p?q#f") == "Www.Example.COM"
    assert url_host("//cdn.example.org/x") == "cdn.example.org"
    assert url_host("[::1]:80/x") == "[::1]"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_generated_url_like_strings_get_what_tldextract_gives(url: str) -> None:
    assert registered_domain(url) == tldextract_domain(url)


@pytest.mark.skipif(not ARTICLES.exists(), reason="the shared data set is not on this machine")
def test_real_article_urls_and_outlet_domains_get_what_tldextract_gives() -> None:
    with gzip.open(ARTICLES, "rt", encoding="utf-8") as handle:
        values = {value for line in handle for key, value in json.loads(line).items()
                  if key in ("url", "domain") and isinstance(value, str)}
    assert len(values) > 1000
    assert [v for v in sorted(values) if registered_domain(v) != tldextract_domain(v)] == []


def test_a_batch_no_longer_imports_tldextract_or_requests(tmp_path) -> None:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"text": "One sentence. Another one.", "outlet": "www.reuters.com",
                                  "url": "https://www.reuters.com/a"}) + "\n", encoding="utf-8")
    code = (f"import sys\nfrom scoring.batch import run_batch\n"
            f"run_batch([{str(corpus)!r}], {str(tmp_path / 'o.csv')!r}, jobs=1, progress=False)\n"
            "print([m for m in ('tldextract', 'requests', 'urllib3') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
