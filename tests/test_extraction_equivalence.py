"""The fast paths of feature extraction give exactly what the plain implementations they replaced give:
lexicon matching with literal pre-checks vs one case-insensitive regex per lexicon, body_text built by
slices vs character by character, visible_chars, the moving-average type-token ratio."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.features.boilerplate import visible_chars
from scoring.features.quote_marks import find_quote_spans
from scoring.features.readability import moving_average_type_token_ratio
from scoring.lexicon import PhraseIndex, load_lexicon, phrase_regex
from scoring.segment import (
    _MATCHED_LEXICONS,
    ASCII_CASE_TWINS,
    CATEGORIES,
    LEGAL,
    Block,
    Document,
    always_boilerplate,
    block_features,
    ends_sentence,
    lexicon_category,
    lexicon_label,
    lexicon_matcher,
    lexicon_pattern,
    main_text_flags,
    opens_comments,
    present_literals,
    segment,
    truncated,
)
from scoring.settings import SETTINGS
from scoring.text import lowered_span_texts, lowered_words, span_texts, word_spans, word_tokens

ROOT = Path(__file__).resolve().parents[1]
SEED_LINES = [line for path in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reference_category(text: str) -> str:
    for category in CATEGORIES:
        if lexicon_pattern(f"boilerplate_{category}").search(text):
            return category
    return ""


def reference_always(text: str) -> bool:
    return bool(lexicon_pattern("boilerplate_always").search(text))


def reference_body_text(text: str, blocks: list[Block]) -> str:
    chars = list(text)
    for block in blocks:
        if not block.is_body:
            for i in range(block.start, block.end):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def assert_same_lexicon_answers(text: str) -> None:
    assert lexicon_category(text) == reference_category(text), text
    assert always_boilerplate(text, present_literals(text)) == reference_always(text), text
    expected = reference_category(text) or (LEGAL if reference_always(text) else "")
    assert lexicon_label(text, present_literals(text)) == expected, text
    features = block_features(text)
    comments = len(features.words) <= 14 and bool(
        lexicon_pattern("boilerplate_comment_section").search(features.text))
    assert opens_comments(features) == comments, text


def test_ascii_case_twins_are_every_non_ascii_char_an_ascii_char_matches_ignoring_case() -> None:
    printable = re.compile("[" + re.escape(string.printable.strip()) + "]", re.IGNORECASE)
    twins = {chr(cp) for cp in range(0x80, 0x110000) if printable.fullmatch(chr(cp))}
    assert twins == set(ASCII_CASE_TWINS)


def test_lexicon_matching_on_seed_lines_and_footer_phrases() -> None:
    footer = ["© 2023 Example Ltd. All rights reserved.", "Privacy Policy", "SUBSCRIBE to our newsletter",
              "Share on Facebook", "Related Articles", "3 Comments", "Leave a Reply", "Menu",
              "Tel: +44 20 7946 0000", "We use cookies to improve your experience.", "Sign up",
              "PRİVACY POLİCY", "ſubscribe now", "(c) 2020 Acme", "Jane Doe is a freelance journalist."]
    for text in SEED_LINES + footer:
        assert_same_lexicon_answers(text)


_WORDS = ["privacy", "policy", "cookie", "cookies", "subscribe", "share", "on", "facebook", "related",
          "posts", "the", "menu", "copyright", "©", "(c)", "2021", "sign", "up", "comments", "3", "we", "use",
          "is", "a", "journalist", "reporter", "İ", "ı", "ſ", "\u212a", "K", "S", "I", "Terms", "of", "Use",
          "all", "rights", "reserved", "newsletter", "follow", "us", "editorial", "team", "more", "from"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "", ": ", ". "]))
def test_lexicon_matching_on_generated_phrases(words: list[str], joiner: str) -> None:
    text = joiner.join(words)
    for variant in (text, text.upper(), text.title()):
        assert_same_lexicon_answers(variant)



def _lexicon_entries_with_literals() -> list[tuple[frozenset[str], re.Pattern[str]]]:
    return [entry for name in _MATCHED_LEXICONS for entry in lexicon_matcher(name).filtered]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_lexicon_entries_with_literals()).flatmap(
    lambda entry: st.tuples(st.just(entry[0]), st.from_regex(entry[1]))))
def test_every_match_of_a_lexicon_entry_holds_a_required_literal(case: tuple[frozenset[str], str]) -> None:
    """The literal pre-check is sound: texts generated to match an entry (any case) contain, lower-cased,
    one of the literals it was given (unless they hold an ASCII case twin, where no pre-check is made)."""
    literals, text = case
    if not set(text) & set(ASCII_CASE_TWINS):
        assert any(literal in text.lower() for literal in literals), (text, sorted(literals))


def _anchored_entries() -> list:
    return [entry for name in _MATCHED_LEXICONS for entry in lexicon_matcher(name).anchored]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_anchored_entries()).flatmap(lambda entry: st.tuples(
    st.just(entry), st.from_regex(re.compile(f"^(?:{entry.pattern.pattern})", re.IGNORECASE)))))
def test_every_match_of_an_anchored_entry_starts_with_one_of_its_first_chars(case) -> None:
    """The first-character dispatch of the anchored entries is sound: a text an anchored entry matches at
    its start (any case) starts with one of the characters the entry was given, or with a non-ASCII one
    (for which every entry is tried)."""
    from scoring.segment import _first_key

    entry, text = case
    for variant in (text, text.upper(), text.lower()):
        if entry.pattern.match(variant) and entry.chars is not None:
            key = _first_key(variant)
            assert key is None or key in entry.chars, (variant, entry.pattern.pattern, sorted(entry.chars))


_SENTENCE_END_RE = re.compile(r"[.!?。！？][\"'”’»)\]]*$")  # what ends_sentence and truncated replaced
_TRUNCATED_RE = re.compile(r"(…|\.\.\.)[\"'”’»)\]]*$")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab .!?。！？…\"'”’»)]", max_size=12))
def test_sentence_end_tests_match_their_regexes_on_stripped_blocks(text: str) -> None:
    text = text.strip()
    assert ends_sentence(text) == bool(_SENTENCE_END_RE.search(text)), text
    assert truncated(text) == bool(_TRUNCATED_RE.search(text)), text


def test_block_features_on_seed_lines_are_those_of_the_plain_implementation() -> None:
    """Words (lower-cased after or before tokenising), the whitespace fast path and CJK length."""
    lines = [*SEED_LINES, "a\u00a0b\tc  d", "  Ünïcode  Wörds ", "北京 news 北京", "\u0130stanbul İS"]
    for line in lines:
        features = block_features(line)
        text = re.sub(r"\s+", " ", line).strip()
        assert features.text == text
        assert features.words == tuple(w.lower() for w in re.findall(r"[^\W_](?:[\w’'.\-]*[^\W_])?", text))
        cjk = len(re.findall("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text))
        assert features.chars == len(text) + (SETTINGS.segment.cjk_char_weight - 1) * cjk



def test_the_rare_character_scan_finds_a_cjk_character_or_a_case_twin() -> None:
    """block_features scans a non-ASCII block once for either; only a hit runs the two scans apart."""
    from scoring.segment import _CASE_TWIN_RE, _CJK_RE, _RARE_RE

    differ = [ch for ch in map(chr, range(0x110000))
              if bool(_RARE_RE.match(ch)) != bool(_CJK_RE.match(ch) or _CASE_TWIN_RE.match(ch))]
    assert differ == []


def test_every_whitespace_but_the_plain_space_is_unprintable() -> None:
    """block_features skips the odd-whitespace regex on a printable text, and visible_chars counts only the
    spaces of a printable text: both exact only if no whitespace character but " " (by the regex's \\s or
    by str.isspace) is printable."""
    odd = re.compile(r"[^\S ]")
    printable_space = [hex(cp) for cp in range(0x110000)
                       if (odd.match(chr(cp)) or chr(cp).isspace()) and cp != 32 and chr(cp).isprintable()]
    assert not printable_space


def reference_main_text_flags(texts: list[str], main_text: str) -> list[bool]:
    """main_text_flags as it was: a substring test of the main text per block (quadratic)."""
    lines = {re.sub(r"\s+", " ", line).strip() for line in main_text.splitlines()}
    lines |= {cell.strip() for line in lines if "|" in line for cell in line.split("|")}
    flat = re.sub(r"\s+", " ", main_text)
    flags = []
    for text in texts:
        norm = re.sub(r"\s+", " ", text).strip()
        if not norm:
            flags.append(False)
        elif len(re.findall(r"[^\W_](?:[\w’'.\-]*[^\W_])?", norm)) >= 3:
            flags.append(norm in flat)
        else:
            flags.append(norm in lines)
    return flags


_MAIN_WORDS = st.sampled_from(["the", "cat", "sat", "on", "mat", "a", "|", "Menu", "é", "\u00a0", "\t", "-"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_MAIN_WORDS, max_size=6), max_size=8), st.lists(st.lists(_MAIN_WORDS, max_size=6),
       max_size=8), st.sampled_from([" ", "\n", "  "]))
def test_main_text_flags_match_a_substring_test_per_block(blocks, main, joiner) -> None:
    texts = [" ".join(words) for words in blocks]
    main_text = "\n".join(joiner.join(words) for words in main)
    texts += [line for line in main_text.splitlines()[:3]] + [main_text[2:30]]  # lines, cells, fragments
    assert main_text_flags(texts, main_text) == reference_main_text_flags(texts, main_text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\t\u00a0", max_size=40), st.data())
def test_body_text_matches_char_by_char_masking(text: str, data: st.DataObject) -> None:
    blocks = []
    for _ in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        blocks.append(Block(start, end, data.draw(st.sampled_from(["body", "legal", "navigation"]))))
    body = Document(text, tuple(blocks)).body_text
    assert body == reference_body_text(text, blocks)
    assert len(body) == len(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("ab9 \n.-'’_,“") + ["é", "e\u0301", "İ", "\u212b", "\u1100", "\u1161",
                                                           "\u0301"]), max_size=40).map("".join),
       st.data())
def test_page_word_count_is_the_count_of_the_whole_page(text: str, data: st.DataObject) -> None:
    """Body words plus the words of the non-body ranges (each normalised alone when block edges are
    NFC-stable), or the whole page scanned when a word may run across a block edge or NFC changes a text:
    always the words of the whole NFC page. (Angstrom sign: a singleton NFC change; Hangul L + V and a
    lone acute: characters that compose with the one before.)"""
    from scoring.text import WORD_RE, NormalisedText

    blocks = []
    for _ in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        blocks.append(Block(start, end, data.draw(st.sampled_from(["body", "legal", "navigation"]))))
    doc = Document(text, tuple(blocks))
    assert doc.page_word_count == len(WORD_RE.findall(NormalisedText(text).text))


_PAGE_PIECES = ["Subscribe to our newsletter", "© 2021 All rights reserved.", "Share on Twitter",
                "By Ann Lee",
                "He said it was “fine.”", "U.S.", "don't", "e\u0301", "İ", "\u212b", "\u0301", "  ", "\t",
                "\u00a0", "\n", "\n\n", " ", "-", "’", "9"]


def _drawn_hints(text: str, data: st.DataObject) -> tuple:
    """No DOM block hints, or a few drawn ranges of `text` (they may overlap or cut words)."""
    from scoring.records import BlockHint

    hints = []
    if data.draw(st.booleans()):
        for _ in range(data.draw(st.integers(1, 6))):
            start = data.draw(st.integers(0, len(text)))
            hints.append(BlockHint(start, data.draw(st.integers(start, len(text)))))
    return tuple(hints)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PAGE_PIECES), max_size=30).map("".join), st.data())
def test_segmented_page_word_count_is_the_count_of_the_whole_page(text: str, data: st.DataObject) -> None:
    """segment() hands the Document each block's word count (block_features' words, counted after
    whitespace is made single spaces and stripped): the page's words stay those of the whole NFC page,
    for line blocks and for DOM block hints that may overlap or cut words."""
    from scoring.records import Article
    from scoring.text import WORD_RE, NormalisedText

    doc = segment(Article(id="t", source="t", text=text, block_hints=_drawn_hints(text, data)))
    assert doc.page_word_count == len(WORD_RE.findall(NormalisedText(text).text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PAGE_PIECES), max_size=30).map("".join), st.data())
def test_segmented_block_visible_chars_are_those_of_the_raw_blocks(text: str, data: st.DataObject) -> None:
    """segment() hands the Document each block's visible characters (counted on block_features' text,
    whitespace made single spaces and stripped), as the boilerplate shares counted them on the raw text;
    the boilerplate extractor gives what it gave counting them itself."""
    from scoring.features import boilerplate
    from scoring.records import Article

    doc = segment(Article(id="t", source="t", text=text, block_hints=_drawn_hints(text, data)))
    assert doc.block_visible_chars == tuple(visible_chars(text[b.start:b.end]) for b in doc.blocks)
    recounted = Document(doc.text, doc.blocks, doc.title, doc.block_word_counts)
    assert boilerplate.extract(recounted) == boilerplate.extract(doc)


@given(st.text(max_size=60))
def test_visible_chars_counts_non_space_characters(text: str) -> None:
    assert visible_chars(text) == sum(not ch.isspace() for ch in text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "the", "of"]), max_size=260),
       st.integers(1, 120))
def test_mattr_equals_the_mean_over_windows(tokens: list[str], window: int) -> None:
    got = moving_average_type_token_ratio(tokens, window)
    if len(tokens) <= window:
        expected = len(set(tokens)) / len(tokens) if tokens else 0.0
    else:
        ratios = [len(set(tokens[i:i + window])) / window for i in range(len(tokens) - window + 1)]
        expected = sum(ratios) / len(ratios)
    assert abs(got - expected) <= 1e-12 * max(1.0, abs(expected))


def test_cached_quote_spans_are_not_shared_between_callers() -> None:
    text = "\n".join(SEED_LINES)
    first = find_quote_spans(text)
    assert first, "the seeds quote people"
    first.clear()
    assert find_quote_spans(text) and find_quote_spans(text) == find_quote_spans(text + "")


@pytest.mark.parametrize("lexicon", ["attribution_cues_learned", "hedges_reporting", "hedges_modal"])
def test_phrase_index_finds_what_the_phrase_regex_finds(lexicon: str) -> None:
    """PhraseIndex (word lookups) against phrase_regex (a scan of every character) with the learned
    attribution cues and the hedge lists (find_hedges scanned them by regex until 2026-12-01), on the
    seeds, the PolNeAR sample and the 40 sample articles (’ read as ', which only the index does)."""
    cues = load_lexicon(lexicon)
    regex, index = phrase_regex(cues), PhraseIndex(cues)
    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(
        (ROOT / "tests" / "data" / "polnear_sample").glob("*.txt"))
    sample = (ROOT / "corpus" / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in paths]
    texts += [(f"sample line {n}", json.loads(line)["text"]) for n, line in enumerate(sample, 1)]
    total = 0
    for name, raw in texts:
        text = raw.replace("’", "'")
        words = word_spans(text)
        expected = [m.span() for m in regex.finditer(text)]
        assert index.find(text, words, lowered_span_texts(text, words)) == expected, name
        total += len(expected)
    assert total > 20  # the rarest list, hedges_reporting, has 22 matches here


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=12), st.integers(-2, 95))
@settings(max_examples=300, deadline=None)
def test_inside_spans_is_the_scan_of_every_span(raw: list[tuple[int, int]], pos: int) -> None:
    from scoring.features.attribution import _Inside

    spans = [(start, start + length) for start, length in raw]  # may overlap and nest, like quotes
    assert (pos in _Inside(spans)) == any(s <= pos < e for s, e in spans)


_TOKEN_CHARS = list("aZé9_'’.- \n\t,:;\u0301") + ["Σ", "σ", "İ", "ß", "ǅ", "Ω"]
_TOKEN_TEXT = st.text(alphabet=st.sampled_from(_TOKEN_CHARS), max_size=50)


@settings(max_examples=400, deadline=None)
@given(_TOKEN_TEXT)
def test_word_tokens_are_the_word_spans_and_their_texts(text: str) -> None:
    """One re.split with running offsets finds the words `WORD_RE.finditer` finds, at the same offsets;
    one lower() of the joined words gives the lower-cased slices (final sigma, İ and ’ included)."""
    spans = word_spans(text)
    starts, ends, words = word_tokens(text)
    assert list(zip(starts, ends, strict=True)) == spans
    assert words == span_texts(text, spans)
    assert lowered_words(text, words) == lowered_span_texts(text, spans)


@settings(max_examples=400, deadline=None)
@given(_TOKEN_TEXT)
def test_faster_word_patterns_find_what_word_re_finds(text: str) -> None:
    """find_words and the split of word_tokens pick a pattern by the text (ASCII ranges on an ASCII text,
    the ASCII letters tried first on any other): the same words as WORD_RE, lower-cased or not."""
    from scoring.text import WORD_RE, find_words

    for variant in (text, text.lower(), text.encode("ascii", "ignore").decode()):
        assert find_words(variant) == WORD_RE.findall(variant)
        assert word_tokens(variant)[2] == WORD_RE.findall(variant)


def test_wide_word_pattern_starts_a_word_at_the_characters_the_plain_class_does() -> None:
    """The wide pattern's first character (one class, then a look-behind) is one the earlier alternation
    `(?:[0-9A-Za-z]|[^\\W_\\x00-\\x7f])` accepts, over every code point."""
    from scoring.text import _WIDE_WORD_RE

    plain = re.compile(r"(?:[0-9A-Za-z]|[^\W_\x00-\x7f])[0-9A-Za-z_'.\-’\w]*(?<![_’'.\-])")
    differ = [ch for ch in map(chr, range(0x110000))
              if bool(plain.fullmatch(ch)) != bool(_WIDE_WORD_RE.fullmatch(ch))]
    assert differ == []


def test_lower_casing_keeps_every_character_in_its_word_pattern_classes() -> None:
    """find_lowered_words finds the words of a non-ASCII text in its lower case: exact only if lower() maps
    each character but İ to one character that WORD_RE's classes (\\w, the first character's [^\\W_], the
    joiners ’ ' . -) treat alike, over every code point."""
    word, start, joiners = re.compile(r"\w"), re.compile(r"[^\W_]"), "’'.-"
    differ = [hex(cp) for cp in range(0x110000) if cp != 0x130 and (
        len(chr(cp).lower()) != 1 or bool(word.match(chr(cp))) != bool(word.match(chr(cp).lower()))
        or bool(start.match(chr(cp))) != bool(start.match(chr(cp).lower()))
        or (chr(cp) in joiners) != (chr(cp).lower() in joiners))]
    assert differ == []
    assert len("\u0130".lower()) == 2


def test_lowered_block_words_are_each_word_lowered_alone() -> None:
    """On İ and a capital sigma (whose lower case depends on what follows it in the text) the words are
    lowered one by one, as before; elsewhere found in the text's lower case."""
    from scoring.text import WORD_RE, find_lowered_words

    for text in ("ΟΔΟΣ:Α ΟΔΟΣ. don’t", "İstanbul’s DON’T “Quote” Æsir ǅemal Straße", "K\u212a Ǆ—x"):
        assert find_lowered_words(text, text.lower()) == [w.lower() for w in WORD_RE.findall(text)]


def test_lowered_words_keep_the_whole_text_context_of_a_final_sigma() -> None:
    text = "ΟΔΟΣ:Α ΟΔΟΣ. İstanbul don’t"
    words = word_tokens(text)[2]
    assert lowered_words(text, words) == lowered_span_texts(text, word_spans(text))


_WORD_RE_AS_WRITTEN_BEFORE = re.compile(r"[^\W_](?:[\w’'.\-]*[^\W_])?")


@settings(max_examples=400, deadline=None)
@given(_TOKEN_TEXT, st.integers(0, 50), st.integers(0, 50))
def test_word_regex_matches_what_its_plain_form_matches(text: str, pos: int, endpos: int) -> None:
    """WORD_RE (a run backed off by a look-behind) finds the words of the plain `letter (run letter)?`
    pattern, also between pos and endpos as the extractors search."""
    from scoring.text import WORD_RE

    assert [m.span() for m in WORD_RE.finditer(text)] == [
        m.span() for m in _WORD_RE_AS_WRITTEN_BEFORE.finditer(text)]
    assert WORD_RE.findall(text, pos, endpos) == _WORD_RE_AS_WRITTEN_BEFORE.findall(text, pos, endpos)


def test_word_regex_matches_its_plain_form_on_the_seeds() -> None:
    from scoring.text import WORD_RE

    text = "\n".join(SEED_LINES)
    assert WORD_RE.findall(text) == _WORD_RE_AS_WRITTEN_BEFORE.findall(text)


def reference_phrase_find(index: PhraseIndex, text: str, words: list[tuple[int, int]],
                          lowered: list[str]) -> list[tuple[int, int]]:
    """PhraseIndex.find as first written: every phrase of a first word compared as a tuple, in turn."""
    def whole(span: tuple[int, int]) -> bool:
        start, end = span
        return not (start and text[start - 1] in "’'-") and not (end < len(text) and text[end] in "’'-")

    found, next_free = [], 0
    for i, word in enumerate(lowered):
        if word not in index.by_first or i < next_free or not whole(words[i]):
            continue
        for phrase in index.by_first[word]:
            k = len(phrase)
            if i + k > len(words) or tuple(lowered[i:i + k]) != phrase:
                continue
            if k > 1 and any(text[words[j][1]:words[j + 1][0]].strip() for j in range(i, i + k - 1)):
                continue
            if not whole(words[i + k - 1]):
                continue
            found.append((words[i][0], words[i + k - 1][1]))
            next_free = i + k
            break
    return found


def _cue_indexes() -> list[PhraseIndex]:
    """The phrase indexes attribution builds: learned cues (anywhere, after a subject), the fixed
    uncertainty lists, the secondary, anonymous and vague cues."""
    from scoring.features import attribution

    learned = attribution.learned_cues()
    return [learned.anywhere, learned.after_subject, learned.before_clause,
            attribution.uncertainty_cues().fixed, attribution.SECONDARY_CUES, attribution.ANONYMOUS_CUES,
            attribution.VAGUE_CUES]


_CUE_PHRASES = sorted({phrase for index in _cue_indexes() for phrases in index.by_first.values()
                       for phrase in phrases})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CUE_PHRASES), st.integers(0, 4),
                          st.sampled_from([" ", "  ", "\n", ", ", "-", "'", "’", " '", ". "])), max_size=20))
def test_phrase_index_finds_what_its_first_form_finds(pieces: list[tuple[tuple[str, ...], int, str]]) -> None:
    """Cue phrases, whole, cut short or title-cased, joined by spaces, breaks, punctuation and joiners."""
    parts = []
    for phrase, cut, gap in pieces:
        written = " ".join(phrase[:cut] if cut else phrase)
        parts.append((written.title() if cut == 4 else written) + gap)
    text = "".join(parts)
    starts, ends, written = word_tokens(text)
    words, lowered = list(zip(starts, ends, strict=True)), lowered_words(text, written)
    for index in _cue_indexes():
        assert index.find(text, words, lowered) == reference_phrase_find(index, text, words, lowered)


def test_phrase_index_finds_what_its_first_form_finds_on_the_seeds() -> None:
    text = "\n".join(SEED_LINES)
    words = word_spans(text)
    lowered = lowered_span_texts(text, words)
    for index in _cue_indexes():
        assert index.find(text, words, lowered) == reference_phrase_find(index, text, words, lowered)


_NFC_CHARS = ["a", "é", "e", "\u0301", "\u0344", " ", "\n", "\u2000", "\u2003", "\u3000", "\u1100", "\u1161",
              "\u00a0", "\u0085", "\u2028", "가", "İ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NFC_CHARS), max_size=16).map("".join))
def test_nfc_candidate_runs_are_those_of_the_plain_pattern(text: str) -> None:
    from scoring.text import _MAY_CHANGE_UNDER_NFC

    plain = re.compile(r"\S*[^\x00-\u02ff]\S*")
    guarded = [m.span() for m in _MAY_CHANGE_UNDER_NFC.finditer(text)]
    assert guarded == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\n\r\u00a0\u2028\u3000\x0b", max_size=30))
def test_html_text_skips_the_whitespace_sub_only_where_it_changes_nothing(raw: str) -> None:
    from scoring.ingest import _ODD_WS_RE, _WS_RE

    assert (_WS_RE.sub(" ", raw) if _ODD_WS_RE.search(raw) else raw) == re.sub(r"\s+", " ", raw)
