"""A question about something the user said earlier in the chat, by the words they share.

"How old is Ella?" after "My kids are Tom, who is 9, and Ella, who is 6", or
"I've forgotten the cabin Wi-Fi password, what was it?" after "The Wi-Fi
password at the cabin is maple42": no "my" or "did I" marks these as recall,
so they fall to plain chat, where a 135M model loses the earlier turn. A
question that names a name the user wrote, or shares two content words with
one of the user's statements, is about that statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Words that say nothing about what a question is about.
_STOP = frozenset((
    "a", "about", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "but", "by", "can", "could", "did", "do", "does", "for", "forgot", "forgotten",
    "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "in", "is",
    "it", "its", "it's", "just", "know", "me", "my", "now", "of", "on", "or", "our", "please",
    "remember", "remind", "say", "said", "she", "so", "tell", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "told", "us", "was", "we",
    "were", "what", "what's", "whats", "when", "where", "which", "who", "whom", "whose", "why",
    "will", "with", "would", "you", "your", "still", "right", "time", "day", "date",
))
_OWNED = re.compile(r"\b(?:the|my|our)\s+[a-z]", re.IGNORECASE)
_HOW_TO = re.compile(r"\bhow\s+(?:long\s+|much\s+|many\s+|often\s+|far\s+)?(?:do|can|could|should|"
                     r"would)\s+(?:i|you|we|one)\b|\bhow\s+to\b", re.IGNORECASE)
#: The question is about the user's own things: "my", "I", "what was it", "again".
_PERSONAL = re.compile(r"\b(?:my|our|i|i've|i'm|me|we|what\s+was\s+it|again)\b", re.IGNORECASE)
#: Longest earlier turn read: a statement worth recalling is a chat message, not a dump.
MAX_TURN_CHARS = 1000
_AGAIN = re.compile(r"\bagain\s*\?|\bremind\s+me\b|\bwhat\s+did\s+i\s+say\b", re.IGNORECASE)
_WH_QUESTION = re.compile(r"^\W*(?:what|which|when|where|who|whom|whose|why|how)\b[^.!]*\?\s*$",
                          re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=\w )[A-Z][a-z]")
#: The most earlier user turns searched.
MAX_TURNS = 40


def _stem(word: str) -> str:
    word = word.removesuffix("'s").removesuffix("’s")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


def _content(text: str) -> set[str]:
    """Content words, lower-case ones only: a place shared with a question about the world
    ("going to Paris" and "the best museum in Paris") is no question about the user."""
    words = [w for w in re.findall(r"\b[a-z][a-z'’-]*", text) if w not in _STOP]
    # "named" is "name" + "d" as often as "play" + "ed": both stems count.
    return {_stem(w) for w in words} | {w[:-1] for w in words if w.endswith("ed")}


_NAME = re.compile(r"\b(\w{1,30}),? ([A-Z][a-z]{1,30}(?:\s[A-Z][a-z]{1,30}){0,3})\b")
#: A statement that names someone of the user's: "my son Tom", "we named him Waffles".
_KNOWN = re.compile(r"\b(?:my|our|named|called|name\s+is)\b", re.IGNORECASE)
_PLACE_WORDS = frozenset({"in", "to", "at", "of", "from", "near", "into", "visit", "visiting"})


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence's start ("Ella", not "How") nor after a place
    preposition ("to Italy")."""
    # A full name is one name: "Tom Hanks" is not the "Tom" of "my son Tom".
    return {m.group(2) for m in _NAME.finditer(text) if m.group(1).lower() not in _PLACE_WORDS}


def _asked(message: str) -> str:
    """The question a message ends with: "ok so ... but first, when is his birthday again?"."""
    return re.split(r"[.;!]\s+|,\s+|\s+(?:but|so|and)\s+(?:first\s+)?(?=\w+\s)",
                    message.strip())[-1]


def _owned(question: str, word: str) -> bool:
    """Whether `word` is the user's in the question: "my allergy", "his birthday"."""
    return bool(re.search(r"\b(?:my|our|his|her|their)\s+(?:\w+\s+)?" + re.escape(word[:4]),
                          question, re.IGNORECASE))


def refers_back(question: str, earlier: Sequence[str]) -> bool:
    """Whether `question` asks about one of the user's `earlier` statements.

    It does when it names a name the user wrote, shares two content words
    with a statement, or shares one that is all it asks about with "the",
    that is the user's ("my allergy"), or that it asks about "again".
    """
    if not question.rstrip().endswith("?") or _HOW_TO.search(question) or \
            len(question) > MAX_TURN_CHARS:
        return False  # "How do I reset a Wi-Fi password?" asks how, not what was said
    asked = _asked(question)
    if not _content(asked):  # "..., what was it?": the question is the whole message
        asked = question
    words, names = _content(asked), _names(question)
    again = bool(_AGAIN.search(question))
    personal = bool(_PERSONAL.search(asked))
    for turn in earlier[-MAX_TURNS:]:
        if _WH_QUESTION.match(turn) or len(turn) > MAX_TURN_CHARS:
            continue  # a question of the user's states nothing
        shared = _shared(words, _content(turn))
        # A name of someone the user told about ("Who wrote the Harry Potter books?" after
        # "I love Harry Potter books" is about the world); two shared words in a question
        # about the user's own things ("What foods lower blood pressure?" is not).
        if (names & _names(turn) and _KNOWN.search(turn)) or (len(shared) >= 2 and (
                personal or any(_the(asked, w) for w in shared))):
            return True
        # "the capital of Italy" asks about Italy too: one shared word is not all it asks.
        if shared and (again or any(_owned(asked, w) for w in shared) or
                       (words == shared and len(words) == 1 and _OWNED.search(asked)
                        and not _CAPITALISED.search(asked))):
            return True
    return False


def _the(question: str, word: str) -> bool:
    """Whether the question says "the <word>", a thing it expects the chat to know."""
    return bool(re.search(r"\bthe\s+(?:\w+\s+)?" + re.escape(word[:4]), question, re.IGNORECASE))


def _shared(words: set[str], other: set[str]) -> set[str]:
    """Words of `words` in `other`, long ones by their first five letters ("allergy",
    "allergic")."""
    prefixes = {w[:5] for w in other if len(w) >= 5}
    return {w for w in words if w in other or (len(w) >= 5 and w[:5] in prefixes)}
