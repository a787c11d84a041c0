"""The shape a message asks its reply to take: case, length, the bare answer, a number, a list.

"Reply with a single number: how many legs does a spider have?" gets "A
spider has 8 legs." from a small model, "in capital letters only" gets
"Banana", a bulleted list comes numbered. People state a reply's shape in a
few fixed phrasings; those are read from the message (`asked_shape`) and the
written reply is brought into that shape (`shaped`). The answer stays the
model's: only what is around it goes, and case and layout change. The
streamed draft is replaced by the final text, as with tool templates.

A message that asks for no shape leaves the reply exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "a": 1, "single": 1}
_MANY = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
#: "in a word", "in a single word", "in one word", "in 3 words".
_COUNT = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a(?:\s+single)?|single)"
_UPPER = re.compile(
    r"\b(?:in|using|with)\s+(?:all\s+)?(?:capital|upper[- ]?case|block)\s+letters\b|"
    r"\bin\s+(?:all\s+)?caps\b|\ball[- ]caps\b|\bupper[- ]?case\s+only\b", re.IGNORECASE)
_LOWER = re.compile(
    r"\b(?:in|using|with)\s+(?:all\s+)?(?:small|lower[- ]?case)(?:\s+letters)?\b|"
    r"\blower[- ]?case\s+(?:letters\s+)?only\b", re.IGNORECASE)
_AT_MOST = re.compile(
    rf"\b(?:no\s+more\s+than|at\s+most|up\s+to|(?:fewer|less)\s+than|under|within)\s+{_MANY}"
    r"\s+words?\b", re.IGNORECASE)
_EXACTLY = re.compile(rf"\b(?:in|with|using)\s+(?:exactly\s+|just\s+|only\s+)?{_COUNT}\s+words?\b|"
                      rf"\b(?:answers?|replies|responses)\s+to\s+(?:exactly\s+|just\s+)?{_COUNT}"
                      r"\s+words?\b|\bone[- ]word\s+(?:answer|reply)\b|"
                      r"\b(?:one|a\s+single)\s+word\s+only\b|\bonly\s+one\s+word\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\b(?:a\s+single|only\s+(?:a|the)|just\s+(?:a|the))\s+number\b|"
    r"\b(?:digits|numerals)\s+only\b|\busing\s+(?:only\s+)?(?:digits|numerals)\b|"
    r"\bin\s+digits\b|\bwith\s+(?:just|only)\s+(?:a|the)\s+number\b", re.IGNORECASE)
_BARE = re.compile(
    r"\b(?:reply|respond|answer)\s+(?:with\s+)?(?:just|only)\b|\bnothing\s+else\b|"
    r"\b(?:just|only)\s+(?:give\s+)?the\s+(?:translation|answer|word|name|result|number|value)\b|"
    r"\bno\s+(?:explanation|other\s+(?:text|words))\b|\bwithout\s+(?:any\s+)?explanation\b",
    re.IGNORECASE)
_WORD = re.compile(
    r"\b(?:reply|respond|answer|say)\s+(?:only\s+|just\s+)?(?:with\s+)?(?:just\s+|only\s+)?"
    r"the\s+word\s+([\"'“‘]?)([A-Za-z][\w'-]*)\1", re.IGNORECASE)
_BULLETS = re.compile(
    r"\bbullet(?:ed)?(?:\s+point)?\s+list\b|\bbullet\s+points\b|"
    r"\b(?:each|every)\s+(?:line|item)\s+start(?:s|ing)?\s+with\s+['\"“]?-", re.IGNORECASE)
_NUMBERED = re.compile(r"\b(?:as|in|into)\s+(?:a\s+)?numbered\s+list\b|"
                       r"\bnumbered\s+(?:steps|tips|items|points|lines|ideas|reasons)\b",
                       re.IGNORECASE)
#: A question about lists ("How do I make a numbered list in Google Docs?") asks for none.
_ABOUT_LISTS = re.compile(r"\bhow\s+(?:do|can|could|should|would)\s+(?:i|you|we)\b|"
                          r"\bi\s+(?:made|wrote|have)\b", re.IGNORECASE)
#: A quoted phrase; an apostrophe inside a word ("Let's", "you're") does not end it.
def quote(most: int) -> str:
    """A quoted phrase of at most `most` characters, in three groups (one per kind of quote)."""
    return (rf"(?:\"([^\"\n]{{1,{most}}})\"|“([^”\n]{{1,{most}}})”|"
            rf"[‘']((?:[^'’\n]|['’](?=\w)){{1,{most}}})['’](?!\w))")


QUOTE = quote(40)
#: "End every reply with the word 'Cheers!'": a sign-off, kept as written.
_ENDING = re.compile(r"(?<!don't )(?<!do not )(?<!never )\b(?:end|finish|close|sign off)\s+"
                     r"(?:every|each|all(?:\s+of)?(?:\s+your)?|your)\s+(?:reply|replies|answer|"
                     r"answers|message|messages|response|responses)\s+with\s+"
                     r"(?:the\s+(?:word|words|phrase)\s+)?" + QUOTE, re.IGNORECASE)
#: "call me Captain", "address me as Dr. Lee": the name a reply calls the user by.
_ADDRESS = re.compile(r"\b(?i:call|address|refer\s+to)\s+me\s+(?i:as\s+)?"
                      r"((?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][\w'-]{1,30})")
#: Words a sentence opens with that are no name, lower-cased after "Captain, ".
_PLAIN = frozenset({"The", "It", "It's", "This", "That", "There", "Your", "You", "A", "An", "Yes",
                    "No", "Sure", "Here"})
_HOW_MANY = re.compile(rf"\b(?:list(?:\s+of)?|name|give(?:\s+me)?|write)\s+(?:exactly\s+|just\s+)?"
                       rf"{_MANY}\s+\w+",
                       re.IGNORECASE)

_NUMBER_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
                 "eleven": "11", "twelve": "12", "twenty": "20", "hundred": "100"}
_DIGITS = re.compile(r"-?\d+(?:[.,]\d+)*")
_ITEM_MARK = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s*")
_CODE = re.compile(r"\b(?:json|yaml|xml|csv|code|script|regex|sql)\b", re.IGNORECASE)
#: Pleasantries before the answer, which no shape has room for.
_PREAMBLE = re.compile(r"^(?:sure|of course|certainly|okay|ok|absolutely|here (?:it is|you go))"
                       r"\b[!.,:]*\s+", re.IGNORECASE)
#: A bare answer longer than this is a sentence, not an answer: it is left as written.
_BARE_MAX_WORDS = 12
_EDGES = " \t\n\"'“”‘’.,;:!?*`"


@dataclass(frozen=True)
class Shape:
    """The shape asked for; all fields empty when the message asks for none."""

    case: str | None = None
    """"upper" or "lower"."""
    max_words: int | None = None
    bare: bool = False
    """The answer alone, without a sentence around it."""
    number: bool = False
    word: str | None = None
    """"Reply with the word done": the reply the message spells out."""
    bullets: int | None = None
    """A "- " list; the number of items asked for, 0 when not said."""
    numbered: bool = False
    """The list numbered "1.", "2.", ... instead of "- "."""
    ending: str | None = None
    """A sign-off every reply ends with ("Cheers!")."""
    address: str | None = None
    """The name the user asked to be called ("call me Captain"), said in every reply."""

    def __bool__(self) -> bool:
        return self != Shape()


def _count(text: str) -> int | None:
    last = text.rsplit(maxsplit=1)[-1].lower()
    return int(last) if last.isdigit() else _COUNTS.get(last)


def asked_shape(message: str) -> Shape:
    """The reply's shape `message` asks for (empty when it asks for none)."""
    case = "upper" if _UPPER.search(message) else "lower" if _LOWER.search(message) else None
    max_words = None
    if found := _AT_MOST.search(message):
        max_words = _count(found.group(1))
        if max_words and re.search(r"(?:fewer|less)\s+than|under", found.group(0), re.I):
            max_words -= 1
    elif found := _EXACTLY.search(message):
        max_words = _count(found.group(1)) if found.group(1) else 1
    bullets = None
    numbered = bool(_NUMBERED.search(message)) and not _ABOUT_LISTS.search(message)
    if (_BULLETS.search(message) and not _ABOUT_LISTS.search(message)) or numbered:
        many = _HOW_MANY.search(message)
        bullets = (_count(many.group(1)) or 0) if many else 0
    word = found.group(2) if (found := _WORD.search(message)) else None
    ending = None
    # "can you end every message with '- Hearth'?" asks it; "do you always end ...?" does not.
    if (found := _ENDING.search(message)) and (not message.rstrip().endswith("?") or re.search(
            r"\b(?:can|could|would|will)\s+you\b", message[:found.start()], re.I)):
        ending = next(g for g in found.groups() if g is not None).strip()
    return Shape(case=case, max_words=max_words or None, bare=bool(_BARE.search(message)),
                 number=bool(_NUMBER.search(message)), word=word, bullets=bullets,
                 numbered=numbered, ending=ending)


_CANCEL = re.compile(
    r"\b(?:answer|reply|respond|write|talk)\s+(?:normally|as\s+usual)\b|\bas\s+(?:usual|before)\b|"
    r"\bstop\s+(?:using|replying|answering|writing|doing|ending)\b|\bno\s+(?:more|longer)\b|"
    r"\bnever\s*mind\b|\bforget\s+(?:that|what\s+i\s+said|those)\b|\bback\s+to\s+normal\b",
    re.IGNORECASE)
_NOT_ALWAYS = re.compile(
    r"\b(?:when(?:ever)?|if)\s+i\s+(?:ask|say|write|talk)\b|\bfor\s+questions?\s+about\b|"
    r"\b(?:never|don'?t|do\s+not|not)\b|\bi'?ll\b|\bi\s+will\b|\bi\s+am\s+going\s+to\b",
    re.IGNORECASE)


def standing_shape(message: str, standing: Sequence[str]) -> Shape:
    """The shape `message` asks for, with what standing instructions ask where it asks nothing.

    "Always reply in capital letters" or "keep your answers to a single word"
    said earlier shapes every later reply; the message's own shape wins.
    """
    shape = asked_shape(message)
    # The latest "answer normally again" undoes what stood before it; instructions that
    # hold only sometimes ("when I ask about the weather") or say what not to do shape none.
    cancelled = [i for i, said in enumerate(standing) if _CANCEL.search(said)]
    held_now = [said for said in standing[cancelled[-1] + 1 if cancelled else 0:]
                if not _NOT_ALWAYS.search(said)]
    if not held_now:
        return shape
    held = asked_shape(" ".join(held_now))
    # The latest name asked for, in an instruction that stands ("From now on call me Sam").
    names = [m.group(1) for said in held_now for m in _ADDRESS.finditer(said)]
    return Shape(case=shape.case or held.case, max_words=shape.max_words or held.max_words,
                 bare=shape.bare, number=shape.number, word=shape.word, bullets=shape.bullets,
                 numbered=shape.numbered, ending=shape.ending or held.ending,
                 address=names[-1] if names else None)


def _first_number(text: str) -> str | None:
    if found := _DIGITS.search(text):
        return found.group(0)
    for token in re.findall(r"[a-z]+", text.lower()):
        if token in _NUMBER_WORDS:
            return _NUMBER_WORDS[token]
    return None


def _bare(reply: str, message: str) -> str:
    """The answer in `reply` without the sentence around it."""
    text = next((line for line in reply.splitlines() if line.strip()), reply).strip()
    asked = message.casefold()
    # A quoted answer the message did not quote itself: "... in Spanish is 'gracias'."
    quoted = [q for q in re.findall(r"[\"“‘']([^\"”’'\n]{1,60})[\"”’']", text)
              if q.casefold() not in asked]
    if quoted:
        text = quoted[-1]
    elif (said := re.search(r"(?:\s(?:is|are)|:)\s+([^.!?]+)[.!?]?\s*$", text)) and \
            len(said.group(1).split()) <= 4:
        text = said.group(1)
    text = text.strip(_EDGES)
    return text if text and len(text.split()) <= _BARE_MAX_WORDS else reply.strip()


def _items(reply: str) -> list[str]:
    lines = [line for line in reply.splitlines() if line.strip()]
    marked = [_ITEM_MARK.sub("", line).strip() for line in lines if _ITEM_MARK.match(line)]
    if len(marked) >= 2:
        # "- The three fruits are: Banana": the lead-in is no part of the item.
        marked[0] = marked[0].split(":", 1)[-1].strip() or marked[0]
        return marked
    if len(lines) >= 2:
        return [line.strip(_EDGES) for line in lines]
    line = lines[0] if lines else ""
    # "- Apples - Pears": the items written on one line.
    # Three or more: "- Call mum at 5 - 6pm" is one item.
    if _ITEM_MARK.match(line) and (len(inline := re.split(r"\s+[-*•]\s+", line.strip())) >= 3
                                   or len(inline := re.split(r",?\s+\d{1,2}[.)]\s+", line)) >= 2):
        return [_ITEM_MARK.sub("", item).strip().rstrip(",;") for item in inline]
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", _ITEM_MARK.sub("", line))
    return [p.strip(_EDGES) for p in parts if p.strip(_EDGES)]


def _at_most(text: str, limit: int) -> str:
    """At most `limit` words, cut after a whole clause where one fits."""
    words = text.split()
    if len(words) <= limit:
        return text
    kept: list[str] = []
    for clause in re.split(r"(?<=[,;:.!?])\s+", text.strip()):
        if len(kept) + len(clause.split()) > limit:
            break
        kept += clause.split()
    return " ".join(kept or words[:limit]).rstrip(",;:-–—")


def shaped(reply: str, message: str, shape: Shape | None = None) -> str:
    """`reply` in the shape `message` asks for (`shape`, when already read)."""
    shape = asked_shape(message) if shape is None else shape
    # JSON and code have shapes of their own: "reply with only the JSON" means all of it.
    if not shape or not reply.strip() or _CODE.search(message) or "```" in reply:
        return reply
    text = _PREAMBLE.sub("", reply.strip()) or reply.strip()
    if shape.word:
        text = shape.word
    elif shape.bullets is not None:
        items = _items(text)
        if shape.bullets:
            items = items[:shape.bullets]
        if shape.bare:  # "and nothing else": no "(the other two colours)" asides either
            items = [re.sub(r"\s*\([^()]*\)$", "", item) or item for item in items]
        if items:
            text = "\n".join(f"{i}. {item}" if shape.numbered else f"- {item}"
                             for i, item in enumerate(items, 1))
    elif shape.number and (number := _first_number(text)) is not None:
        text = number
    elif shape.bare or shape.max_words == 1:
        text = _bare(text, message)
    if shape.max_words:
        text = _at_most(text, shape.max_words)
    if shape.case == "upper":
        text = text.upper()
    elif shape.case == "lower":
        text = text.lower()
    # The name only where the reply is free: "just the number" has no room for "Captain, ".
    if shape.address and not (shape.word or shape.number or shape.bare or shape.max_words or
                              shape.bullets is not None) and \
            not re.search(r"\b" + re.escape(shape.address) + r"\b", text, re.IGNORECASE):
        first = text.split(maxsplit=1)[0] if text.split() else ""
        text = f"{shape.address}, {text[:1].lower() + text[1:] if first in _PLAIN else text}"
    if shape.ending and not text.rstrip().casefold().endswith(shape.ending.casefold()):
        text = f"{text.rstrip()} {shape.ending}"
    return text
