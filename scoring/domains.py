"""Registered domain of a URL or host name (`https://www.bbc.co.uk/news/x` -> `bbc.co.uk`), offline.

The public suffixes are the ICANN section of the Public Suffix List snapshot that `publicsuffixlist`
ships (private suffixes such as blogspot.com are not registries here, as in tldextract's default), read
once per process in ~10 ms. tldextract did this before; importing it pulls in requests, urllib3, ssl and
http.client, and with its suffix trie it cost a batch ~0.12 s of serial CPU before the first article was
read. The host is taken from the URL by tldextract's own lenient rules (tldextract/remote.py,
`lenient_netloc`), so outlets derived from URLs stay what they were; tests/test_domains.py checks both
agree on real URLs and on generated ones.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import scheme_chars

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

_SCHEME_CHARS = frozenset(scheme_chars)
_ROOT_DOTS = ".\u3002\uff0e\uff61"  # the full stop and its ideographic and full-width forms (IDNA)
_DOTS_RE = re.compile("[\u3002\uff0e\uff61]")


@lru_cache(maxsize=1)
def _public_suffixes() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    # entries as written, not also punycoded (10 ms rather than 27): punycode labels are decoded first
    return PublicSuffixList(only_icann=True, accept_unknown=False, accept_encoded_idn=False)


def url_host(url: str) -> str:
    """The host of a URL-like string, case kept, without scheme, user, port, path or trailing root dot
    (tldextract's `lenient_netloc`: a schemeless `example.com/a` is a host and a path)."""
    start = url.find("//")
    if start == 0:
        url = url[2:]
    elif start >= 2 and url[start - 1] == ":" and _SCHEME_CHARS.issuperset(url[:start - 1]):
        url = url[start + 2:]
    authority = url.partition("/")[0].partition("?")[0].partition("#")[0].rpartition("@")[2]
    if authority.startswith("[") and "]" in authority:  # an IPv6 literal: no registered domain
        return authority.partition("]")[0] + "]"
    return authority.partition(":")[0].strip().rstrip(_ROOT_DOTS)


def _lookup_label(label: str) -> str:
    """A label as the suffix list spells it: lower case, punycode decoded (kept as it is if invalid)."""
    label = label.lower()
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    return label


@lru_cache(maxsize=8192)
def registered_domain(url: str) -> str:
    """The registered domain of a URL or host name, lower-cased, or '' if it has none (no known public
    suffix, an IP address, a bare name such as `localhost`)."""
    labels = _DOTS_RE.sub(".", url_host(url.strip())).split(".")
    if "" in labels:  # only the labels after an empty one can form the registered domain
        labels = labels[len(labels) - labels[::-1].index(""):]
    if len(labels) < 2:
        return ""
    found = _public_suffixes().privatesuffix(".".join(map(_lookup_label, labels)))
    if found is None:
        return ""
    return ".".join(labels[-(found.count(".") + 1):]).lower()
