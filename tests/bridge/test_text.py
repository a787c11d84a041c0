"""Reply text for Telegram: UTF-16 length, splitting, MarkdownV2 escaping and rendering.

MarkdownV2 output is checked with the test Bot API server's parser, which follows
Telegram's own (tdlib) rules, so "valid" here means "Telegram would accept it".
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hearth.bridge._text import (
    TELEGRAM_MESSAGE_LIMIT,
    escape_markdown_v2,
    split_message,
    to_markdown_v2,
    utf16_len,
)
from tests.bridge.botapi import parse_markdown_v2

RESERVED = "_*[]()~`>#+-=|{}.!\\"
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one emoji of 7 code points, 11 UTF-16 units
FLAG = "🇩🇪"  # two regional indicators


def squeeze(text: str) -> str:
    """`text` without any whitespace."""
    return "".join(text.split())


def assert_valid_split(text: str, parts: list[str], limit: int) -> None:
    for part in parts:
        assert 0 < utf16_len(part) <= limit
        assert part == part.strip() and part
    assert squeeze("".join(parts)) == squeeze(text)


def test_utf16_len_counts_like_telegram() -> None:
    assert utf16_len("") == 0
    assert utf16_len("héllo") == 5
    assert utf16_len("😀") == 2
    assert utf16_len(FAMILY) == 11
    assert utf16_len("a\U0001f600b") == 4


def test_short_and_blank_texts() -> None:
    assert split_message("  hello  ") == ["hello"]
    assert split_message("") == []
    assert split_message(" \n\t ") == []
    with pytest.raises(ValueError, match="at least 2"):
        split_message("abc", limit=1)


def test_prefers_paragraphs_then_lines_then_sentences_then_spaces() -> None:
    para = "First paragraph. It has two sentences."
    text = f"{para}\n\nSecond one\nwith a line break. And more words here"
    assert split_message(text, limit=60) == [
        para, "Second one\nwith a line break. And more words here"]
    assert split_message("a line that is long\nnext line", limit=24) == [
        "a line that is long", "next line"]
    assert split_message("One sentence here. Two sentences there", limit=30) == [
        "One sentence here.", "Two sentences there"]
    assert split_message('He said "stop." Then left', limit=20) == [
        'He said "stop."', "Then left"]
    assert split_message("alpha beta gamma delta", limit=12) == ["alpha beta", "gamma delta"]


def test_a_boundary_too_early_loses_to_a_later_weaker_one() -> None:
    # The paragraph break sits in the first half of the window: cut at a space instead.
    text = "Hi.\n\n" + "word " * 20
    parts = split_message(text, limit=50)
    assert parts[0].startswith("Hi.\n\nword word")
    assert_valid_split(text, parts, 50)


def test_hard_cut_in_a_long_word_counts_utf16_units() -> None:
    assert split_message("abcdefghij", limit=4) == ["abcd", "efgh", "ij"]
    assert split_message("a😀😀😀", limit=4) == ["a😀", "😀😀"]


def test_ten_thousand_characters_of_prose() -> None:
    sentence = "The quick brown fox jumps over the lazy dog again and again. "
    paragraph = sentence * 9 + "\n\n"
    text = (paragraph * 20)[:10_000]
    assert len(text) == 10_000
    parts = split_message(text)
    assert len(parts) == 3
    assert_valid_split(text, parts, TELEGRAM_MESSAGE_LIMIT)
    assert all(part.endswith((".", "again")) for part in parts[:-1])
    assert all(utf16_len(part) > TELEGRAM_MESSAGE_LIMIT // 2 for part in parts[:-1])


def test_a_text_made_only_of_emoji() -> None:
    text = "😀" * 5000  # 10,000 UTF-16 units
    parts = split_message(text)
    assert [len(part) for part in parts] == [2048, 2048, 904]
    assert_valid_split(text, parts, TELEGRAM_MESSAGE_LIMIT)


def test_emoji_sequences_and_flags_are_never_cut() -> None:
    parts = split_message(FAMILY * 1000)
    assert_valid_split(FAMILY * 1000, parts, TELEGRAM_MESSAGE_LIMIT)
    assert all(part == FAMILY * (len(part) // len(FAMILY)) for part in parts)
    parts = split_message(FLAG * 100, limit=7)  # 4 units per flag: one flag per part
    assert parts == [FLAG] * 100
    accented = "e\u0301" * 10  # e + combining acute accent
    assert all(part == "e\u0301" * (len(part) // 2) for part in split_message(accented, limit=5))


def test_one_sequence_longer_than_the_limit_is_still_cut() -> None:
    parts = split_message(FAMILY, limit=4)
    assert "".join(parts) == FAMILY
    assert all(utf16_len(part) <= 4 for part in parts)


words = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(["😀", FAMILY, FLAG, "é", "\u0301", "Hello.", "Why?", "\n\n", "\n", " "]),
    st.text(alphabet="abc😀", min_size=50, max_size=400),  # very long words
)
texts = st.lists(words, max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=texts, limit=st.integers(min_value=2, max_value=300))
@example(text="x" * 1000 + " " + "😀" * 700, limit=4096)
def test_split_parts_fit_and_keep_every_visible_character(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert_valid_split(text, parts, limit)
    if utf16_len(text.strip()) <= limit:
        assert parts == ([text.strip()] if text.strip() else [])


@settings(max_examples=300, deadline=None)
@given(text=st.text())
@example(text=RESERVED)
def test_escape_markdown_v2_escapes_every_reserved_character(text: str) -> None:
    escaped = escape_markdown_v2(text)
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in RESERVED
            i += 2
        else:
            assert escaped[i] not in RESERVED
            i += 1
    assert parse_markdown_v2(escaped) == (text, [])


def entities_of(markdown: str) -> list[tuple[str, str]]:
    """(type, covered text) of each entity Telegram would find in `markdown`."""
    plain, entities = parse_markdown_v2(markdown)
    units = plain.encode("utf-16-le")
    return [(e["type"], units[2 * e["offset"] : 2 * (e["offset"] + e["length"])]
             .decode("utf-16-le")) for e in entities]


def test_to_markdown_v2_keeps_the_constructs_and_escapes_the_rest() -> None:
    reply = ("**Note:** use `a_b*c` and *this* or _that_; 1+1=2 (really!)\n"
             "```python\nprint('a`b\\\\c')\n```\n# Title\nsee [docs](https://x.org/a_(b))")
    rendered = to_markdown_v2(reply)
    plain, _ = parse_markdown_v2(rendered)
    assert plain == ("Note: use a_b*c and this or that; 1+1=2 (really!)\n"
                     "print('a`b\\\\c')\n\nTitle\nsee docs")
    assert entities_of(rendered) == [
        ("bold", "Note:"), ("code", "a_b*c"), ("italic", "this"), ("italic", "that"),
        ("pre", "print('a`b\\\\c')\n"), ("bold", "Title"), ("text_link", "docs")]
    assert parse_markdown_v2(rendered)[1][4]["language"] == "python"


@pytest.mark.parametrize("text", [
    "snake_case_name and 2*3*4", "**unclosed bold", "`unclosed code", "```never closed",
    "* a bullet\n* another", "__dunder__", "a_b_", "[not a link](ftp://x)", "C:\\path\\",
    "#hashtag", "***", "** spaced **", "a * b * c",
])
def test_to_markdown_v2_shows_unrecognised_markup_as_typed(text: str) -> None:
    plain, entities = parse_markdown_v2(to_markdown_v2(text))
    assert plain == text
    assert entities == []


def test_to_markdown_v2_nests_italic_in_bold() -> None:
    assert entities_of(to_markdown_v2("**bold _and italic_**")) == [
        ("bold", "bold and italic"), ("italic", "and italic")]


markdownish = st.lists(st.sampled_from(
    [*"ab *_`[]()#!.-\\\n>|~", "😀", "**", "```", "](https://e.org/x)", "# ", "\n\n"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=markdownish)
@example(text="*a*_b_ _c_*d* **e**_f_ `g`_h_")
def test_to_markdown_v2_is_always_accepted_and_never_longer(text: str) -> None:
    plain, _ = parse_markdown_v2(to_markdown_v2(text))  # raises if Telegram would refuse it
    assert utf16_len(plain) <= utf16_len(text)
    if not re.search(r"[*_`\[#]", text):
        assert plain == text


@settings(max_examples=100, deadline=None)
@given(text=markdownish, limit=st.integers(min_value=2, max_value=80))
def test_split_then_render_stays_within_the_limit(text: str, limit: int) -> None:
    for part in split_message(text, limit):
        plain, _ = parse_markdown_v2(to_markdown_v2(part))
        assert utf16_len(plain) <= limit
