"""Ingest: every input format, the seed corpus, encodings, and bad input that must never stop a batch."""

from __future__ import annotations

import gzip
import json
import os
import random
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import seed_variant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring.ingest as ingest
from scoring.ingest import (
    InputNotFoundError,
    has_visible_text,
    iter_articles,
    outlet_from_url,
    parse_html,
    read_manifest,
    resolve_inputs,
)
from scoring.records import content_id

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Minister resigns | The Daily Example</title>
<meta property="og:title" content="Minister resigns after inquiry">
<link rel="canonical" href="https://www.example.co.uk/news/minister-resigns">
<meta property="article:published_time" content="2024-03-01T10:00:00Z">
<style>.nav { color: red }</style>
<script>var tracking = "do not show";</script>
</head>
<body>
<header><nav><ul>
  <li><a href="/">Home</a></li>
  <li><a href="/world">World</a></li>
</ul></nav></header>
<article>
<h1>Minister resigns after inquiry</h1>
<p>The minister   <b>resigned</b> on Monday,
   officials said.<br>She denied wrongdoing.</p>
<p>\u201cI have done nothing wrong,\u201d she told <a href="https://x.test/">reporters</a>.</p>
<noscript>Enable JavaScript to read comments</noscript>
<template><p>template text</p></template>
<div hidden>hidden div text</div>
</article>
<footer><p>\u00a9 2024 The Daily Example. <a href="/terms">Terms</a></p></footer>
<script>console.log("late script")</script>
</body></html>
"""

NEWS_LINES = [
    "Home",
    "World",
    "Minister resigns after inquiry",
    "The minister resigned on Monday, officials said.",
    "She denied wrongdoing.",
    "\u201cI have done nothing wrong,\u201d she told reporters.",
    "\u00a9 2024 The Daily Example. Terms",
]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def read_all(*inputs: str | Path, **options) -> list:
    return list(iter_articles([str(i) for i in inputs], **options))


def errors(articles: list) -> list:
    return [a for a in articles if not a.ok]


# ------------------------------------------------------------------------------------------------ seeds


def test_seed_corpus_gives_five_ok_records_whose_text_is_the_file():
    articles = read_all(SEEDS)
    files = sorted(SEEDS.glob("*.txt"))
    manifest = read_manifest(SEEDS / "manifest.csv")
    assert len(files) == 5
    assert [a.source for a in articles] == [str(f) for f in files]
    for article, file in zip(articles, files, strict=True):
        content = file.read_text(encoding="utf-8")
        assert article.ok, article.error
        assert article.text == content
        assert article.id == content_id(content)
        assert article.outlet == (manifest[os.path.abspath(file)]["outlet"] or "unknown")  # manifest.csv
        assert article.input_format == "txt"
    assert len({a.id for a in articles}) == 5


def test_seed_ids_are_stable_across_runs():
    first = [(a.source, a.id) for a in read_all(SEEDS)]
    second = [(a.source, a.id) for a in read_all(SEEDS / "*.txt")]
    assert first == second


# ------------------------------------------------------------------------------------------------ txt


def test_txt_keeps_full_text_normalises_line_endings_and_guesses_no_title(tmp_path):
    path = write(tmp_path / "a.txt", "Headline here\r\n\r\nBody line one.\rBody line two.\n")
    (article,) = read_all(path)
    assert article.ok
    assert article.text == "Headline here\n\nBody line one.\nBody line two.\n"
    assert article.title == ""
    assert article.source == str(path)


def test_unknown_extension_is_read_as_text(tmp_path):
    path = write(tmp_path / "story.md", "# A story\n\nSome words.")
    (article,) = read_all(path)
    assert article.ok and article.text == "# A story\n\nSome words." and article.input_format == "txt"


# ----------------------------------------------------------------------------------------------- html


def test_html_visible_text_keeps_navigation_and_footer_and_drops_scripts():
    article = parse_html(NEWS_PAGE, "page.html")
    assert article.ok, article.error
    assert article.text.split("\n") == NEWS_LINES
    for hidden in ("do not show", "late script", ".nav", "Enable JavaScript", "template text", "hidden div"):
        assert hidden not in article.text
    assert article.raw_html == NEWS_PAGE
    assert article.input_format == "html"


def test_html_block_hints_cover_each_line_with_tag_and_link_characters():
    article = parse_html(NEWS_PAGE, "page.html")
    hints = article.block_hints
    assert [article.text[h.start : h.end] for h in hints] == NEWS_LINES
    assert [h.tag for h in hints] == ["li", "li", "h1", "p", "p", "p", "p"]
    assert [h.link_chars for h in hints] == [4, 5, 0, 0, 0, len("reporters"), len("Terms")]


def test_html_metadata_title_url_outlet_published():
    article = parse_html(NEWS_PAGE, "page.html")
    assert article.title == "Minister resigns after inquiry"
    assert article.url == "https://www.example.co.uk/news/minister-resigns"
    assert article.outlet == "example.co.uk"
    assert article.published == "2024-03-01T10:00:00Z"


def test_html_title_falls_back_to_title_element_and_url_to_og_url():
    page = ("<html><head><title> Plain   title </title><meta property='og:url' content='https://news.site.org/a'>"
            "<link rel='canonical' href='/b'></head><body><p>Text.</p></body></html>")
    article = parse_html(page, "x.html")
    assert article.title == "Plain title"
    assert article.url == "https://news.site.org/b"
    assert article.outlet == "site.org"


def test_html_with_xml_declaration_and_pre_block():
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Intro</p>'
            "<pre>line one\nline two</pre><p>After</p></body></html>")
    article = parse_html(page, "x.xhtml")
    assert article.ok
    assert article.text.split("\n") == ["Intro", "line one", "line two", "After"]


NO_TEXT_PAGES = ["", "   \n ", "<html><head><script>x()</script></head><body> </body></html>",
                 "<p><!-- only a comment --></p>",
                 # lxml keeps <noframes> as raw text: its markup ("<p>...</p>") was read as the article
                 "<html><frameset><frame src='a.html'><noframes><p>Get a browser.</p></noframes></frameset>"]


@pytest.mark.parametrize("page", NO_TEXT_PAGES)
def test_html_without_visible_text_is_an_error_record(page):
    article = parse_html(page, "blank.html")
    assert not article.ok
    assert article.error.startswith("blank.html: ")


def test_html_file_with_legacy_meta_charset_decodes(tmp_path):
    page = b'<html><head><meta charset="windows-1252"></head><body><p>caf\xe9 \x96 na\xefve</p></body></html>'
    (article,) = read_all(write(tmp_path / "p.htm", page))
    assert article.ok and article.text == "caf\u00e9 \u2013 na\u00efve"


@pytest.mark.parametrize("charset", ["utf-16", "utf-16le", "utf-32", "utf-7", "rot13", "base64", "idna",
                                     "undefined"])
def test_a_meta_charset_the_page_is_not_in_is_ignored(tmp_path, charset):
    # UTF-16 read the page as CJK text with status ok; rot13, base64, idna... failed it ('unexpected error')
    page = (f'<html><head><meta charset="{charset}"></head><body><p>Le ministre a d\u00e9clar\u00e9 que '
            "les n\u00e9gociations continueront.</p></body></html>").encode("cp1252")
    (article,) = read_all(write(tmp_path / "p.html", page))
    assert article.ok
    assert article.text == "Le ministre a d\u00e9clar\u00e9 que les n\u00e9gociations continueront."


def test_gzipped_html_and_jsonl_and_csv(tmp_path):
    write(tmp_path / "p.html.gz", gzip.compress(NEWS_PAGE.encode("utf-8")))
    write(tmp_path / "r.jsonl.gz", gzip.compress(b'{"text": "Gzipped JSON line."}\n'))
    write(tmp_path / "r.csv.gz", gzip.compress(b"text\nGzipped CSV row.\n"))
    articles = read_all(tmp_path)
    assert [a.input_format for a in articles] == ["html", "csv", "jsonl"]  # sorted by file name
    assert all(a.ok for a in articles)
    assert articles[0].text.split("\n") == NEWS_LINES
    assert [a.text for a in articles[1:]] == ["Gzipped CSV row.", "Gzipped JSON line."]


# ------------------------------------------------------------------------------------------ row formats


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".csv.gz"])
def test_a_gzip_file_cut_short_keeps_its_rows_and_says_where_it_ends(tmp_path, suffix):
    noise = random.Random(0)  # words that do not compress away: half the file holds many rows
    texts = [" ".join(f"{noise.getrandbits(40):x}" for _ in range(150)) + " the minister said."
             for _ in range(120)]
    body = ("text\n" + "".join(f"{t}\n" for t in texts) if suffix == ".csv.gz"
            else "".join(json.dumps({"text": t}) + "\n" for t in texts))
    data = gzip.compress(body.encode())
    articles = read_all(write(tmp_path / f"cut{suffix}", data[: len(data) // 2]))
    *rows, error = articles
    assert rows and all(a.ok for a in rows) and [a.text for a in rows] == texts[: len(rows)]
    assert error.error.endswith(f"not a valid gzip file after row {len(rows)} (the rows before it are read) "
                                "(Compressed file ended before the end-of-stream marker was reached)")


def test_jsonl_rows_with_metadata_and_line_numbered_sources(tmp_path):
    lines = [
        {"text": "First story.\r\nSecond line.", "title": "One", "outlet": "Example Times",
         "url": "https://www.bbc.co.uk/news/x", "published": "2024-01-02"},
        {"text": "Second story.", "url": "https://www.bbc.co.uk/news/y"},
        {"text": "Third story."},
    ]
    body = json.dumps(lines[0]) + "\n\n" + json.dumps(lines[1]) + "\n" + json.dumps(lines[2]) + "\n"
    path = write(tmp_path / "rows.jsonl", body)
    articles = read_all(path)
    assert [a.source for a in articles] == [f"{path}#1", f"{path}#3", f"{path}#4"]
    first, second, third = articles
    assert first.text == "First story.\nSecond line."
    assert (first.title, first.outlet, first.published) == ("One", "Example Times", "2024-01-02")
    assert second.outlet == "bbc.co.uk"
    assert third.outlet == "unknown"
    assert all(a.input_format == "jsonl" and a.id == content_id(a.text) for a in articles)


def test_csv_rows_with_quoted_multiline_text_and_custom_text_column(tmp_path):
    content = 'id,body,url\n1,"Line one,\nline two ""quoted"".",https://edition.cnn.com/a\n2,Plain row.,\n'
    path = write(tmp_path / "rows.csv", content)
    articles = read_all(path, text_column="body")
    assert [a.source for a in articles] == [f"{path}#1", f"{path}#2"]
    assert articles[0].text == 'Line one,\nline two "quoted".'
    assert articles[0].outlet == "cnn.com"
    assert articles[1].text == "Plain row." and articles[1].outlet == "unknown"


def test_csv_in_windows_1252_decodes(tmp_path):
    text = "“Café society” – a naïve résumé."
    (article,) = read_all(write(tmp_path / "legacy.csv", f"text,outlet\n{text},paper\n".encode("cp1252")))
    assert article.ok and article.text == text


def test_parquet_rows_read_in_batches(tmp_path):
    texts = [f"Story number {i}." for i in range(600)]  # more than one record batch
    table = pa.table({"text": texts, "outlet": ["o"] * 600, "published": [None] * 600,
                      "extra": list(range(600))})
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path, row_group_size=100)
    articles = read_all(path)
    assert [a.text for a in articles] == texts
    assert articles[599].source == f"{path}#600"
    assert all(a.ok and a.outlet == "o" and a.published == "" for a in articles)
    assert {a.input_format for a in articles} == {"parquet"}


def test_custom_text_column_for_parquet_and_jsonl(tmp_path):
    pq.write_table(pa.table({"content": ["Parquet body."]}), tmp_path / "a.parquet")
    write(tmp_path / "b.jsonl", '{"content": "JSON body."}\n')
    articles = read_all(tmp_path, text_column="content")
    assert [a.text for a in articles] == ["Parquet body.", "JSON body."]


# ---------------------------------------------------------------------------------------------- inputs


def test_directory_recursion_is_sorted_and_skips_hidden_files(tmp_path):
    write(tmp_path / "b.txt", "B text")
    write(tmp_path / "a" / "z.txt", "AZ text")
    write(tmp_path / "a" / "deeper" / "y.txt", "AY text")
    write(tmp_path / ".hidden.txt", "hidden file")
    write(tmp_path / ".git" / "c.txt", "hidden directory")
    articles = read_all(tmp_path)
    assert [a.text for a in articles] == ["B text", "AZ text", "AY text"]


def test_glob_pattern_and_duplicates(tmp_path):
    for name in ("one.txt", "two.txt", "three.md"):
        write(tmp_path / name, f"{name} text")
    articles = read_all(tmp_path / "*.txt", tmp_path / "one.txt")
    assert [Path(a.source).name for a in articles] == ["one.txt", "two.txt"]


def test_missing_input_raises_before_any_article(tmp_path):
    good = write(tmp_path / "good.txt", "Good text.")
    with pytest.raises(InputNotFoundError) as raised:
        iter_articles([str(good), str(tmp_path / "missing.txt")])
    assert raised.value.path == str(tmp_path / "missing.txt")
    with pytest.raises(InputNotFoundError):
        iter_articles([str(tmp_path / "nothing-*.txt")])
    with pytest.raises(FileNotFoundError):  # InputNotFoundError is a FileNotFoundError
        iter_articles([str(tmp_path / "gone")])


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("http://edition.CNN.com/2024/01/01/story.html", "cnn.com"),
        ("https://www.smh.com.au/national/a", "smh.com.au"),
        ("nytimes.com/2020/01/01/us/story.html", "nytimes.com"),
        ("", ""),
        ("http://localhost:8000/a", ""),
    ],
)
def test_outlet_from_url_is_the_registered_domain(url, outlet):
    assert outlet_from_url(url) == outlet


def test_outlet_column_host_names_become_registered_domains(tmp_path):
    rows = [{"text": "One.", "outlet": "www.Reuters.com"}, {"text": "Two.", "outlet": "Breitbart News"},
            {"text": "Three.", "outlet": " ", "url": "https://www1.cbn.com/news/a"}]
    path = write(tmp_path / "r.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert [a.outlet for a in read_all(path)] == ["reuters.com", "Breitbart News", "cbn.com"]


# ------------------------------------------------------------------------------------------- bad input

GOOD_TEXT = "A good article that must still be read."


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


BAD_FILES = {
    "empty": ("empty.txt", b"", "empty file"),
    "whitespace": ("blank.txt", b" \r\n\t\n ", "empty file"),
    "binary": ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    "control characters": ("ctl.txt", bytes(range(1, 9)) * 20 + b"some text", "binary"),
    "NUL/0xFF pattern": ("pattern.txt", b"\x00\xff" * 100, "binary"),
    "empty html": ("blank.html", b"\n\n", "empty file"),
    # no character that shows: scored as an article of 0 words (status ok) before
    "invisible characters only": ("zw.txt", "\u200b\ufeff\u202e\u2060\u00a0\u3000\u200d\n".encode(),
                                  "only invisible characters"),
    "html of zero-width spaces": ("zw.html", b"<html><body><p>&#8203;</p><p>\xe2\x80\x8c</p></body></html>",
                                  "no visible text in the HTML"),
    "broken gzip": ("x.txt.gz", b"\x1f\x8b\x08\x00garbage", "gzip"),
    "csv without text column": ("t.csv", b"headline,body\nA,B\n",
                                "no text column 'text' (columns: 'headline', 'body')"),
    "empty csv": ("e.csv", b"", "empty CSV"),
    "not parquet": ("bad.parquet", b"PAR1 this is not parquet", "Parquet"),
    "parquet without text column": ("t.parquet", _parquet_bytes(pa.table({"body": ["x"], "title": ["y"]})),
                                    "no text column 'text' (columns: 'body', 'title')"),
    "big file": ("big.txt", b"word " * 300, "over the size limit of 1000 bytes"),
    # two columns of one name: json, csv.DictReader and pyarrow keep the last, so another text was scored
    "csv header with a newline": ("nl.csv", b'"head\nline","x\x1b[2Jy"\nA,B\n',
                                  "no text column 'text' (columns: 'head\\x0aline', 'x\\x1b[2Jy')"),
    "csv with two text columns": ("two.csv", b"text,title,text\nThe story.,t,other\n",
                                  "column 'text' appears more than once"),
    "parquet with two title columns": ("two.parquet", _parquet_bytes(pa.Table.from_arrays(
        [pa.array(["The story."]), pa.array(["a"]), pa.array(["b"])], names=["text", "title", "title"])),
        "column 'title' appears more than once"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_gives_one_error_record_and_the_batch_goes_on(tmp_path, case):
    name, content, reason = BAD_FILES[case]
    write(tmp_path / "a_good.txt", GOOD_TEXT)
    bad = write(tmp_path / name, content)
    write(tmp_path / "z_good.txt", GOOD_TEXT + " Again.")
    articles = read_all(tmp_path, max_bytes=1000)
    assert [a.text for a in articles if a.ok] == [GOOD_TEXT, GOOD_TEXT + " Again."]
    (error,) = errors(articles)
    assert error.source == str(bad)
    assert error.error.startswith(f"{bad}: ")
    assert reason in error.error
    assert "\n" not in error.error
    assert error.id == content_id("error:" + str(bad))


BAD_ROWS = {
    "malformed JSON": ('{"text": "broken', "malformed JSON"),
    "JSON list": ('["text", "a list"]', "not an object (list)"),
    "JSON number text": ('{"text": 42}', "is not text (int)"),
    "row without text": ('{"title": "no text here"}', "no text in column 'text'"),
    "null text": ('{"text": null}', "no text in column 'text'"),
    "blank text": ('{"text": "  \\n "}', "empty text"),
    "invisible text": ('{"text": "\\u200b\\u2066\\u2069\\ufeff "}', "only invisible characters"),
    "text over the limit": (json.dumps({"text": "x" * 1500}), "over the size limit of 1000 bytes"),
    "line over the limit": (json.dumps({"text": "y", "pad": "z" * 3000}), "line over the size limit"),
    "key twice": ('{"text": "The story.", "meta": {"text": "nested is fine"}, "text": "other"}',
                  "key 'text' appears more than once"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_jsonl_row_gives_one_error_record_and_the_file_goes_on(tmp_path, case):
    line, reason = BAD_ROWS[case]
    body = "\n".join([json.dumps({"text": "Row one."}), line, json.dumps({"text": "Row three."})]) + "\n"
    path = write(tmp_path / "rows.jsonl", body)
    articles = read_all(path, max_bytes=1000)
    assert [a.text for a in articles if a.ok] == ["Row one.", "Row three."]
    (error,) = errors(articles)
    assert error.source == f"{path}#2"
    assert reason in error.error


def test_a_byte_order_mark_inside_a_jsonl_file_is_read_past(tmp_path):
    joined = b'\xef\xbb\xbf{"text": "One said he."}\n' + b'\xef\xbb\xbf{"text": "Two said she."}\n'  # cat a b
    assert [a.text for a in read_all(write(tmp_path / "joined.jsonl", joined))] == ["One said he.",
                                                                                   "Two said she."]


def test_json_lines_python_cannot_parse_say_why(tmp_path):
    lines = ['{"text": "x", "n": 1' + "0" * 5000 + "}", '{"text": "x", "n": ' + "[" * 100_000 + "}"]
    huge, deep = read_all(write(tmp_path / "r.jsonl", "\n".join(lines) + "\n"))  # was "(ValueError)"
    assert huge.error.endswith("malformed JSON (Exceeds the limit (4300 digits) for integer string "
                               "conversion: value has 5001 digits)")
    assert deep.error.endswith("malformed JSON (nested too deeply for Python's JSON parser, over about 1,000 "
                               "levels; valid or not, unreadable)")


def test_a_key_written_twice_only_inside_a_nested_object_or_a_value_is_read(tmp_path):
    line = json.dumps({"text": 'He said "text".', "type": "text", "meta": {"text": "x", "title": "y"},
                       "title": "The title"})
    (article,) = read_all(write(tmp_path / "r.jsonl", line + "\n"))
    assert article.ok and article.text == 'He said "text".' and article.title == "The title"


def test_blank_lines_in_a_csv_are_no_rows(tmp_path):
    path = write(tmp_path / "rows.csv", "text,title\n\nFirst.,a\r\n\r\n\nThird.,c\n\n")
    articles = read_all(path)
    assert [(a.source, a.text) for a in articles] == [(f"{path}#2", "First."), (f"{path}#5", "Third.")]


def test_csv_row_without_text_and_oversize_field(tmp_path):
    content = "text,title\nFirst.,a\n,empty text row\nThird.,c\n" + '"' + "w" * 2000 + '",d\nFifth.,e\n'
    path = write(tmp_path / "rows.csv", content)
    articles = read_all(path, max_bytes=1000)
    assert [a.text for a in articles if a.ok] == ["First.", "Third.", "Fifth."]
    assert [a.source for a in errors(articles)] == [f"{path}#2", f"{path}#4"]


def test_parquet_row_without_text(tmp_path):
    pq.write_table(pa.table({"text": ["One.", None, "Three."]}), tmp_path / "r.parquet")
    articles = read_all(tmp_path / "r.parquet")
    assert [a.ok for a in articles] == [True, False, True]
    assert "no text in column 'text'" in articles[1].error


def test_a_parquet_value_python_cannot_hold_costs_no_other_row(tmp_path):
    # a date after 9999 has no datetime: to_pylist raised for the whole file, every row was lost
    pq.write_table(pa.table({"text": ["One said he.", "Two said she.", "Three."],
                             "published": pa.array([10**7, 19_000, 0], pa.date32()),
                             "title": pa.array([[1], [10**7], None], pa.list_(pa.date32()))}),
                   tmp_path / "dates.parquet")
    first, second, third = read_all(tmp_path / "dates.parquet")
    assert first.ok and first.published == "29349-01-26"  # as Arrow writes it
    assert not second.ok and "unreadable value in column 'title' (OverflowError" in second.error
    assert third.ok and third.published == "1970-01-01"


def test_parquet_binary_columns_are_decoded_as_text(tmp_path):
    pq.write_table(pa.table({"text": pa.array([b"The minister said no.", b"\x89PNG\x00\x00\x01"]),
                             "outlet": pa.array([b"Example News", None])}), tmp_path / "bin.parquet")
    text, image = read_all(tmp_path / "bin.parquet")
    assert text.ok and text.text == "The minister said no." and text.outlet == "Example News"
    assert not image.ok and "column 'text' holds binary data, not text" in image.error


def test_unreadable_file_is_an_error_record(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.txt", "secret")
    write(tmp_path / "open.txt", GOOD_TEXT)
    real_open = ingest._open_binary

    def deny(path):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_binary", deny)
    articles = read_all(tmp_path)
    assert [a.text for a in articles if a.ok] == [GOOD_TEXT]
    (error,) = errors(articles)
    assert error.source == str(locked) and "cannot read (Permission denied)" in error.error


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_file_without_read_permission_is_an_error_record(tmp_path):
    locked = write(tmp_path / "locked.txt", "secret")
    locked.chmod(0)
    try:
        (error,) = read_all(locked)
    finally:
        locked.chmod(0o600)
    assert not error.ok and "cannot read" in error.error


def test_broken_symlink_in_a_directory_is_an_error_record(tmp_path):
    write(tmp_path / "a.txt", GOOD_TEXT)
    (tmp_path / "b.txt").symlink_to(tmp_path / "does-not-exist.txt")
    articles = read_all(tmp_path)
    assert [a.ok for a in articles] == [True, False]
    assert "broken symbolic link: its target" in articles[1].error


# ------------------------------------------------------------------------------------------- encodings

CAFE = "café – naïve"
NEWS_1252 = "“We won’t back down,” the senator said — a pledge critics called naïve.\r\n"
GERMAN = "Der Bürgermeister sagte, die Straße bleibe gesperrt."
RUSSIAN = "Москва заявила, что переговоры продолжатся."
ENCODED = {
    "utf-8 with BOM": (b"\xef\xbb\xbf" + (CAFE + "\r\n").encode(), CAFE + "\n"),
    "utf-16 LE with BOM": (("\ufeff" + CAFE).encode("utf-16-le"), CAFE),
    "utf-16 BE with BOM": (("\ufeff" + CAFE).encode("utf-16-be"), CAFE),
    "utf-16 LE without BOM": ("The minister said “no”.".encode("utf-16-le"), "The minister said “no”."),
    "cp1252 short": (CAFE.encode("cp1252"), CAFE),
    "cp1252 news": (NEWS_1252.encode("cp1252"), NEWS_1252.replace("\r\n", "\n")),
    "latin-1 German": (GERMAN.encode("latin-1"), GERMAN),
    "cp1251 Russian": (RUSSIAN.encode("cp1251"), RUSSIAN),
}


@pytest.mark.parametrize("case", sorted(ENCODED))
def test_encodings_decode_to_the_original_text(tmp_path, case):
    data, expected = ENCODED[case]
    (article,) = read_all(write(tmp_path / "enc.txt", data))
    assert article.ok, article.error
    assert article.text == expected


def test_utf16_jsonl_with_bom_streams(tmp_path):
    body = "\ufeff" + json.dumps({"text": "na\u00efve \u201cquote\u201d"}, ensure_ascii=False) + "\r\n"
    (article,) = read_all(write(tmp_path / "u16.jsonl", body.encode("utf-16-le")))
    assert article.ok and article.text == "na\u00efve \u201cquote\u201d"


# ------------------------------------------------------------------------------------------ properties

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".dat"]))
def test_arbitrary_bytes_give_exactly_one_record_and_never_raise(data, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        articles = read_all(path)
    assert len(articles) == 1
    article = articles[0]
    assert article.ok or article.error.startswith(str(path) + ": ")
    if article.ok:
        assert article.text.strip() and "\r" not in article.text


TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r\x0b\x0c")


@FAST
@given(text=st.text(TEXT_CHARS, min_size=1, max_size=300).filter(
    lambda t: has_visible_text(t) and t[0] != "\ufeff"))
def test_unicode_text_round_trips_through_a_txt_file(text):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "doc.txt"
        path.write_bytes(text.encode("utf-8"))
        (article,) = read_all(path)
    assert article.ok, article.error
    assert article.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert article.id == content_id(article.text)


@FAST
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200))
def test_any_json_string_text_round_trips_through_jsonl(text):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rows.jsonl"
        path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
        (article,) = read_all(path)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert article.ok == has_visible_text(expected)  # white space and zero-width characters alone: empty
    if article.ok:
        assert article.text == expected


MARKUP = st.lists(
    st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<a href='x'>", "</a>", "<br>", "<li>", "<script>",
                     "</script>", "<pre>", "</pre>", "<!-- c -->", " ", "\n", "&amp;", "&nbsp;", "<b>",
                     "</b>"])
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    max_size=40,
).map("".join)


@FAST
@given(page=MARKUP)
def test_parse_html_never_raises_and_hints_match_lines(page):
    article = parse_html(page, "gen.html")
    if not article.ok:
        assert article.error.startswith("gen.html: ")
        return
    lines = article.text.split("\n")
    assert len(article.block_hints) == len(lines)
    for hint, line in zip(article.block_hints, lines, strict=True):
        assert article.text[hint.start : hint.end] == line
        assert line and line == line.strip()
        assert 0 <= hint.link_chars <= len(line)


def test_lone_surrogate_escapes_in_json_become_replacement_characters(tmp_path):
    path = write(tmp_path / "s.jsonl", '{"text": "bad \\ud800 half", "title": "t\\udfff"}\n')
    (article,) = read_all(path)
    assert article.text == "bad \ufffd half" and article.title == "t\ufffd"
    article.text.encode("utf-8")  # writable as UTF-8


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_non_utf8_file_name_is_read(tmp_path):
    raw_name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw_name, "wb") as handle:
        handle.write(GOOD_TEXT.encode())
    (article,) = read_all(tmp_path)
    assert article.ok and article.text == GOOD_TEXT
    # the byte that is not UTF-8 is shown as an escape: every output is UTF-8 and must hold the name
    assert article.source == str(tmp_path / "caf\\xe9.txt")
    article.source.encode("utf-8")
    os.rename(raw_name, raw_name[:-4] + b".csv")  # an error record names the file the same way
    (error,) = read_all(tmp_path)
    assert error.source == str(tmp_path / "caf\\xe9.csv") and error.error.startswith(error.source + ": ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_an_error_record_not_a_hang(tmp_path):
    write(tmp_path / "a.txt", GOOD_TEXT)
    os.mkfifo(tmp_path / "pipe.txt")
    articles = read_all(tmp_path)
    assert [a.ok for a in articles] == [True, False]
    assert "not a regular file (a pipe or a device: pipe it to the input - instead" in articles[1].error


def test_a_directory_walk_reads_article_files_and_leaves_scripts_and_images_out(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("NATO said the attacks were serious.", encoding="utf-8")
    (tmp_path / "b").write_text("A page saved without a suffix is text.", encoding="utf-8")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(b"<p>An HTML page.</p>"))
    for other in ("build_sample.py", "README.md", "photo.png"):
        (tmp_path / other).write_text("not an article", encoding="utf-8")
    assert [p.name for p in resolve_inputs([tmp_path])] == ["a.txt", "b", "c.html.gz"]
    named = resolve_inputs([tmp_path / "build_sample.py"])  # a file named on the command line is read
    assert [p.name for p in named] == ["build_sample.py"]


@pytest.mark.parametrize(("manifest", "reason"), [
    ("file,outlet,file\na.txt,first.example,b.txt\n", "column 'file' appears more than once"),
    ("file,outlet, outlet\na.txt,first.example,second.example\n", "column 'outlet' appears more than once"),
    ("file,outlet\na.txt,first.example\n./a.txt,second.example\n",
     "file './a.txt' is listed twice (rows 1 and 2"),
])
def test_a_manifest_with_a_column_or_file_twice_is_refused_naming_it(tmp_path, manifest: str, reason: str):
    """csv.DictReader keeps the last of two same-named columns: a manifest with two `file` columns gave
    every article the metadata of the other file named in its row, silently."""
    (tmp_path / "a.txt").write_text(seed_variant(1), encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed_variant(2), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    articles = read_all(tmp_path)
    (error,) = [a for a in articles if not a.ok]
    assert error.source == str(tmp_path / "manifest.csv")
    assert error.error.startswith(f"{tmp_path / 'manifest.csv'}: unreadable manifest: {reason}")
    assert [a.outlet for a in articles if a.ok] == ["unknown", "unknown"]  # no metadata guessed; both read


def test_an_unclosed_quote_in_a_csv_row_is_an_error_row_not_a_row_holding_the_rows_after_it(tmp_path):
    """Python's lenient csv reader reads an unclosed quote's field up to the next quote or the end of
    the file: the rows in between became one article's text, silently, with status ok."""
    table = tmp_path / "t.csv"
    table.write_text('text,outlet\n"first",a\n"two\nlines, quoted",b\n"never closed, third\nfourth,c\n'
                     'fifth,d\nHe measured 5" of rain,e\n', encoding="utf-8")
    articles = read_all(table)
    assert [(a.source.split("#")[1], a.status) for a in articles] == [("1", "ok"), ("2", "ok"),
                                                                      ("3", "error")]
    assert articles[1].text == "two\nlines, quoted"
    assert articles[2].error.startswith(f"{table}#3: malformed CSV row (a quote opened on line 5 is not")
    assert "lines 5-8 were read as this one row" in articles[2].error  # closed by the 5" of the last row
    middle = tmp_path / "m.csv"  # the quote is closed by the next quoted field: the rows after it are read
    middle.write_text('text,outlet\n"open\nrow two,x\n"quoted",g\nlast,h\nHe measured 5" of rain,z\n',
                      encoding="utf-8")
    assert [(a.status, a.text) for a in read_all(middle)] == [
        ("error", ""), ("ok", "last"), ("ok", 'He measured 5" of rain')]
    lenient = tmp_path / "l.csv"  # white space after a closing quote: read as the lenient reader reads it
    lenient.write_text('text,outlet\n"two\nlines" ,a\n"and ""two""\nmore" \n', encoding="utf-8")
    assert [(a.status, a.text.strip()) for a in read_all(lenient)] == [("ok", "two\nlines"),
                                                                       ("ok", 'and "two"\nmore')]


def test_list_and_object_metadata_is_kept_as_json_not_as_python_repr(tmp_path):
    rows = tmp_path / "r.jsonl"
    rows.write_text(json.dumps({"text": seed_variant(1), "outlet": ["a.example"], "title": {"main": "T"}})
                    + "\n", encoding="utf-8")
    (article,) = read_all(rows)
    assert article.ok and article.outlet == '["a.example"]' and article.title == '{"main": "T"}'
    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": [seed_variant(2)], "title": [{"main": "T", "n": 1}]}), table)
    (article,) = read_all(table)
    assert article.title == '{"main": "T", "n": 1}'


@pytest.mark.parametrize(("values", "shown"), [
    (pa.array([1, 2, 3]), "int64"), (pa.array([["a"], ["b"], ["c"]]), "list<element: string>"),
    (pa.array([{"t": "a"}, {"t": "b"}, {"t": "c"}]), "struct<t: string>"),
    (pa.array([1.5, 2.5, None]), "double"),
])
def test_a_parquet_text_column_of_another_type_is_one_error_for_the_file(tmp_path, values, shown):
    """Every row of an int64 `text` column was its own error row: a million-row file gave a million."""
    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": values, "title": ["a", "b", "c"]}), table)
    (error,) = read_all(table)
    assert error.source == str(table)
    assert error.error == f"{table}: column 'text' holds {shown}, not text (3 rows, none read)"


def test_parquet_text_of_string_like_types_is_read(tmp_path):
    texts = [seed_variant(1), seed_variant(2)]
    for values in (pa.array(texts, pa.large_string()), pa.array(texts).dictionary_encode(),
                   pa.array([t.encode() for t in texts], pa.binary())):
        pq.write_table(pa.table({"text": values}), tmp_path / "t.parquet")
        assert [a.text for a in read_all(tmp_path / "t.parquet")] == texts


@pytest.mark.parametrize("name", ["noise.jsonl", "noise.csv", "noise.jsonl.gz"])
def test_random_bytes_named_as_a_row_file_are_one_binary_error(tmp_path, name):
    """200 KB of random bytes named .jsonl gave some 800 'malformed JSON' rows; under a CSV header each
    line of noise, read as Latin-1, was an article scored with status ok."""
    noise = random.Random(0).randbytes(200_000)
    data = (b"text,outlet\n" + noise) if name == "noise.csv" else noise
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    (error,) = read_all(tmp_path / name)
    assert error.error == f"{tmp_path / name}: binary content, not text"


def test_a_csv_with_a_stray_nul_byte_is_still_read_row_by_row(tmp_path):
    table = tmp_path / "t.csv"
    first = seed_variant(1).replace('"', "").encode()
    table.write_bytes(b'text,outlet\n"' + first + b'\x00",a\n"second row",b\n')
    assert [a.status for a in read_all(table)] == ["ok", "ok"]


def test_a_json_file_named_as_an_input_is_read_as_records_not_as_one_text(tmp_path):
    """`newsscore score articles.json` scored the whole JSON document, braces and keys, as one article."""
    texts = [seed_variant(1), seed_variant(2)]
    (tmp_path / "array.json").write_text(json.dumps([{"text": texts[0], "outlet": "a.example"},
                                                     {"text": texts[1]}, "not an object"], indent=2))
    (tmp_path / "one.json").write_text(json.dumps({"text": texts[0], "title": "T"}, indent=2))
    (tmp_path / "lines.json").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    (tmp_path / "cut.json").write_text('[{"text": "x"},')
    (tmp_path / "empty.json").write_text("[]")
    names = ("array.json", "one.json", "lines.json", "cut.json", "empty.json")
    got = {Path(a.source).name: a for name in names for a in read_all(tmp_path / name)}
    assert [got[f"array.json#{i}"].text for i in (1, 2)] == texts
    assert got["array.json#1"].outlet == "a.example"
    assert got["array.json#3"].error.endswith("array item is not an object (str)")
    assert got["one.json"].title == "T" and got["one.json"].input_format == "json"
    assert [got[f"lines.json#{i}"].text for i in (1, 2)] == texts
    assert "malformed JSON" in got["cut.json"].error and not got["cut.json"].ok
    assert got["empty.json"].error.endswith("no articles: an empty JSON array")
    assert not [a for a in read_all(tmp_path) if a.source.endswith(".json")]  # a folder walk leaves them out
