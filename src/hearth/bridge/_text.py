"""Reply text for Telegram: length in UTF-16 units, splitting, and MarkdownV2.

Telegram counts message length in UTF-16 code units (an emoji outside the
Basic Multilingual Plane counts 2) and limits a message to 4096 of them after
entity parsing, so a reply is split on plain text first and each part is then
rendered with `to_markdown_v2`, which never makes the visible text longer.
"""

from __future__ import annotations

import re
import unicodedata

TELEGRAM_MESSAGE_LIMIT = 4096
"""Longest message Telegram accepts, in UTF-16 code units after entity parsing."""

_MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!\\"
_ESCAPE_ALL = str.maketrans({c: "\\" + c for c in _MARKDOWN_V2_RESERVED})
_ESCAPE_CODE = str.maketrans({"`": "\\`", "\\": "\\\\"})
_ESCAPE_URL = str.maketrans({")": "\\)", "\\": "\\\\"})

# Best boundary kinds first; each match ends where the current part ends.
_BOUNDARIES = (
    re.compile(r"(?=\n[ \t]*\n)"),  # paragraph
    re.compile(r"(?=\n)"),  # line
    re.compile(r"[.!?][\"')\]]*(?=\s)"),  # sentence end, closing quotes included
    re.compile(r"(?=\s)"),  # space
)
_LOOKAHEAD = 80
"""Code points past the window a boundary's whitespace may reach (it is dropped anyway)."""

_ZWJ = "\u200d"


def utf16_len(text: str) -> int:
    """Length of `text` as Telegram counts it: in UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_message(text: str, limit: int = TELEGRAM_MESSAGE_LIMIT) -> list[str]:
    """Split `text` into parts of at most `limit` UTF-16 units each.

    Cuts at the last paragraph break that leaves the part at least half full,
    else the last line break, sentence end or space; failing all of those at
    any earlier boundary, and only then inside a word, never inside a
    character or an emoji sequence. Only whitespace is dropped, at the cuts
    and at both ends; no part is empty. Empty or blank text gives no parts.
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2 UTF-16 units (one emoji), got {limit}")
    parts: list[str] = []
    rest = text.strip()
    while rest:
        end = _fitting_prefix(rest, limit)
        if end == len(rest):
            parts.append(rest)
            break
        cut = _boundary(rest, end)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts


def _fitting_prefix(text: str, limit: int) -> int:
    """Number of leading code points of `text` that fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _boundary(text: str, end: int) -> int:
    """Where to cut `text`, whose first `end` code points fit, keeping text[:cut] non-blank."""
    window = text[: end + _LOOKAHEAD]
    for floor in (end // 2, 1):
        for pattern in _BOUNDARIES:
            cuts = [m.end() for m in pattern.finditer(window) if floor <= m.end() <= end]
            if cuts:
                return cuts[-1]
    cut = end
    while cut > 1 and _inside_sequence(text, cut):
        cut -= 1
    # One sequence longer than the limit: cutting between code points is all that is left.
    return end if _inside_sequence(text, cut) else cut


def _inside_sequence(text: str, cut: int) -> bool:
    """Whether cutting before text[cut] splits an emoji or a combining sequence."""
    return _continues(text[cut]) or text[cut - 1] == _ZWJ or _inside_flag(text, cut)


def _continues(char: str) -> bool:
    """Whether `char` attaches to the character before it (joiner, modifier, mark)."""
    code = ord(char)
    return (
        char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag sequences (subdivision flags)
        or unicodedata.category(char) in {"Mn", "Mc", "Me"}
    )


def _inside_flag(text: str, cut: int) -> bool:
    """Whether `cut` falls between the two regional indicators of a flag."""

    def regional(char: str) -> bool:
        return 0x1F1E6 <= ord(char) <= 0x1F1FF

    if not (regional(text[cut - 1]) and regional(text[cut])):
        return False
    run = 0
    while cut - run - 1 >= 0 and regional(text[cut - run - 1]):
        run += 1
    return run % 2 == 1


def escape_markdown_v2(text: str) -> str:
    """Escape every character MarkdownV2 reserves, so Telegram shows `text` as is."""
    return text.translate(_ESCAPE_ALL)


_ITALIC = (
    r"(?<![\w*])\*(?=[^\s*])(?P<star>[^\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<!\w)_(?=[^\s_])(?P<under>[^\n]+?)(?<=[^\s_])_(?!\w)"
)
# Recognised constructs, tried left to right; at one position the first alternative wins.
_INLINE = re.compile(
    r"```(?:(?P<lang>[\w+#.-]+)\n|\n?)(?P<block>.+?)```"
    r"|`(?P<code>[^`\n]+)`"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>https?://(?:[^\s()]|\([^\s()]*\))+)\)"
    r"|^\#{1,6}[ \t]+(?P<heading>[^\n]*\S)"
    r"|\*\*(?=\S)(?P<bold>[^\n]+?)(?<=\S)\*\*"
    r"|" + _ITALIC,
    re.DOTALL | re.MULTILINE,
)
_ITALIC_ONLY = re.compile(_ITALIC)


def to_markdown_v2(text: str) -> str:
    """Render a model's Markdown reply as Telegram MarkdownV2.

    Recognised: ```fenced code``` (with a language), `inline code`,
    [links](https://...), # headings and **bold** (shown bold, and may hold
    italics), *italic* and _italic_. Everything else, including unclosed
    constructs, is escaped and shown as typed. The visible text is never
    longer than `text`, so parts from `split_message` stay within the limit.
    """
    return _render_all(_INLINE, text)


def _render_all(pattern: re.Pattern[str], text: str) -> str:
    """Escape `text`, rendering what `pattern` recognises in it."""
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(escape_markdown_v2(text[pos : match.start()]))
        out.append(_render(match.groupdict()))
        pos = match.end()
    out.append(escape_markdown_v2(text[pos:]))
    return "".join(out)


def _render(groups: dict[str, str | None]) -> str:
    """MarkdownV2 for one recognised construct, given the groups of its match."""
    if (block := groups.get("block")) is not None:
        return f"```{groups['lang'] or ''}\n{block.translate(_ESCAPE_CODE)}```"
    if (code := groups.get("code")) is not None:
        return f"`{code.translate(_ESCAPE_CODE)}`"
    if (label := groups.get("label")) is not None:
        return f"[{escape_markdown_v2(label)}]({(groups['url'] or '').translate(_ESCAPE_URL)})"
    if (strong := groups.get("bold") or groups.get("heading")) is not None:
        return f"*{_render_all(_ITALIC_ONLY, strong)}*"
    return f"_{escape_markdown_v2(groups['star'] or groups['under'] or '')}_"
