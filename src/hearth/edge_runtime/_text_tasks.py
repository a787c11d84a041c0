"""Small tasks on the message's own words and numbers, done exactly instead of by the model.

"Count from 3 to 8 with a dash between each number", "Repeat 'yes' 4 times",
"Spell 'star' backwards", "Sort these words alphabetically: zebra, lion, cat",
"the first letter of 'banana'", "How many letters are in 'banana'?": a 135M
model echoes the request or writes other numbers, yet the answer is a line of
code. Like the calculator for sums, these are answered from the message
alone; anything else (or a request too large to be a chat reply) is left to
the model.
"""

from __future__ import annotations

import re

from hearth.edge_runtime._number_tasks import number_answer
from hearth.edge_runtime._number_words import words_answer
from hearth.edge_runtime.routing._math import COUNT_WORDS

_N = r"(\d{1,3}|" + "|".join(w for w in COUNT_WORDS if w != "once") + r")"
#: Longest reply built here, in items: a longer count or repeat is no chat reply.
MAX_ITEMS = 100
#: Longest message read for a task here.
MAX_MESSAGE_CHARS = 1000
#: A word the task is done on: quoted, after "the word", or a word that is no pronoun.
_QWORD = (r"(?:the\s+word\s+)?(?!(?:the|a|an|this|that|these|those|my|your|his|her|their|its|"
          r"our|it|them|something|anything|what|each|every|all|some)\b)"
          r"[\"'“‘]?([A-Za-z][A-Za-z'-]{0,40}?)[\"'”’]?")

#: Counting asked of the assistant: the sentence opens with it ("Count from 1 to 5", "Can
#: you count to 3?"), not "My son can count to 20" or "count to 10 in French".
_ASKED = r"(?:^|[.!?:]\s+)\W*(?:(?:please|now|ok(?:ay)?|can\s+you|could\s+you)[\s,]+)*"
#: "in French", "by twos", "in steps of 5", "in binary": another way of counting.
_OTHER_WAY = (r"(?!\s+(?:in|by|using|skipping|that|which|as|backwards|divisible|except|but)\b"
              r"(?!\s+(?:a\s+)?(?:list|line|row|order)\b)|,?\s+(?:skipping|but|except)\b)")
_COUNT = re.compile(_ASKED + r"(?:count|(?:write|list|give\s+me|say)\s+(?:the\s+)?numbers)\s+"
                    r"(?:up\s+)?(?:from\s+(-?\d{1,4})\s+)?(?:up\s+|down\s+)?to\s+"
                    r"(-?\d{1,4})\b" + _OTHER_WAY, re.IGNORECASE)
_COUNT_DOWN = re.compile(_ASKED + r"count\s*down\s+from\s+(-?\d{1,4})\s+to\s+(-?\d{1,4})\b"
                         + _OTHER_WAY, re.IGNORECASE)
_REPEAT = re.compile(r"\b(?:repeat|write|say|type|print)\s+" + _QWORD + r"\s+(?:exactly\s+)?"
                     + _N + r"\s+times\b(?!\s+(?:faster|slower|more|less|as|than|a\b))",
                     re.IGNORECASE)
_TWICE = re.compile(r"\b(?:repeat|write|say|type|print)\s+" + _QWORD + r"\s+(twice|thrice)\b",
                    re.IGNORECASE)
_BACKWARDS = re.compile(r"\b(?:spell|write|say|type|print)\s+" + _QWORD + r"\s+(?:backwards?|in\s+"
                        r"reverse)\b|\breverse\s+(?:the\s+(?:letters\s+of\s+(?:the\s+)?)?word\s+)?"
                        r"[\"'“‘]([A-Za-z][A-Za-z'-]{0,40})[\"'”’]", re.IGNORECASE)
#: The word ends the phrase: "the first letter of 'banana'", not "of Greek alphabet".
_WORD_END = r"(?=\s*(?:[.,?!]|$))"
_LETTER = re.compile(r"\b(first|last)\s+letter\s+of\s+" + _QWORD + _WORD_END, re.IGNORECASE)
_HOW_MANY_LETTERS = re.compile(r"\b(?:how\s+many|count\s+the)\s+(letters|vowels|consonants)\s+"
                               r"(?:are\s+)?(?:there\s+)?in\s+" + _QWORD + _WORD_END, re.IGNORECASE)
#: "Repeat after me: The quick fox naps at noon." says it back as written.
_REPEAT_AFTER = re.compile(r"^\W*(?:please\s+)?repeat\s+(?:after\s+me|this|back)(?:\s+exactly)?"
                           r"(?:,?\s+(?:and\s+)?nothing\s+else)?\s*:\s*((?:(?!\bthen\b)[^\n]){1,300}?)"
                           r"\s*$", re.IGNORECASE)
#: "spell necessary letter by letter with a dash between each letter".
_SPELL_OUT = re.compile(r"\bspell\s+(?:out\s+)?(?:the\s+word\s+)?"
                        r"(?!(?:it|that|them|this|those|these)\b)[\"'“‘]?([A-Za-z]{2,40})[\"'”’]?"
                        r"\s+"
                        r"(?:letter\s+by\s+letter|with\s+(?:a\s+)?(?:dash|hyphen|space|comma)s?\b)",
                        re.IGNORECASE)
#: Repeating or printing in a program is code, not a reply to repeat.
_CODE = re.compile(r"\b(?:python|javascript|java|code|script|program|loop|bash|function)\b",
                   re.IGNORECASE)
_SORT = re.compile(
    r"\b(alphabeti[sz]e)\b|"
    r"\b(?:sort|order|arrange|put|list|rank|reverse|write)\b[^:]{0,80}?\b(alphabetical(?:ly)?|a\s*(?:to|-)\s*z|"
    r"z\s*(?:to|-)\s*a|smallest\s+to\s+(?:the\s+)?(?:largest|biggest|greatest)|"
    r"lowest\s+to\s+(?:the\s+)?highest|ascending|(?:largest|biggest|greatest)\s+to\s+"
    r"(?:the\s+)?smallest|highest\s+to\s+(?:the\s+)?lowest|"
    r"descending|reverse\s+alphabetical|reverse(?:d)?\s+(?:the\s+)?order|the\s+order)",
    re.IGNORECASE)
_ITEMS = re.compile(r":\s*([^:.?!\n]+(?:,|\band\b)[^:?!\n]+?)\s*(?:[.?!](?:\s|$)|$)")
#: "alphabetize: zebra lion cat dog." (words after a colon, no commas).
_WORDS = re.compile(r":\s*((?:[A-Za-z][\w'-]*\s+){1,30}[A-Za-z][\w'-]*)\s*(?:[.?!](?:\s|$)|$)")
#: The request goes on past the list: "then tell me which is best", "and explain why".
_MORE_ASKED = re.compile(r"\bthen\b|\bexplain\b|\bwhich\s+is\b|\bwhy\b|\bshortcut\b|\bexcel\b",
                         re.IGNORECASE)
_THESE = re.compile(r"\b(?:these|the\s+following|this|words|alphabeti[sz]e)\b", re.IGNORECASE)
#: Most words an item of a list to sort has.
MAX_ITEM_WORDS = 3
_QUOTED_TEXT = r"[\"'“‘]([^\"'”’\n]{1,200})[\"'”’]"
#: "Write 'good morning team' in uppercase", "Convert to lowercase ...: HELLO THERE".
_CASES = r"(capital|upper[- ]?case|block|caps|small|lower[- ]?case)\b"
_CASE_OF = re.compile(r"\b(?:write|type|print|spell|give\s+me|put|say|convert|turn|make)\s+"
                      + _QUOTED_TEXT + r"\s+(?:in|into|to|using)\s+(?:all\s+)?" + _CASES,
                      re.IGNORECASE)
_CASE_COLON = re.compile(r"\b(?:convert|turn|change|put|write)\b[^:]{0,30}?\b(?:to|in|into)\s+"
                         r"(?:all\s+)?" + _CASES + r"[^:]{0,60}:\s*([^\n]{1,200}?)\s*$",
                         re.IGNORECASE)
_CASE = re.compile(r"\b(?:write|type|print|spell|give\s+me)\s+" + _QWORD + r"\s+(?:in|using)\s+"
                   r"(?:all\s+)?(capital|upper[- ]?case|block|small|lower[- ]?case)\b",
                   re.IGNORECASE)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else COUNT_WORDS[text.lower()]


def _separator(message: str, default: str = ", ") -> str:
    """How the message wants items joined: one per line, by dashes, spaces or commas."""
    lowered = message.lower()
    if re.search(r"\b(?:per|each\s+on\s+(?:its|their)\s+own|on\s+(?:a\s+)?(?:separate|new|"
                 r"different)|one\s+on\s+each)\s+lines?\b|\bnew\s*lines?\b", lowered):
        return "\n"
    if re.search(r"\b(?:dash|dashes|hyphens?)\b", lowered):
        return "-"
    if re.search(r"\bslash(?:es)?\b", lowered):
        return "/"
    if re.search(r"\bsemi-?colons?\b", lowered):
        return "; "
    if re.search(r"\bspaces?\b", lowered) and not re.search(r"\bcommas?\b", lowered):
        return " "
    if re.search(r"\bcommas?\b", lowered):
        return ", "
    return default


def _counted(message: str) -> list[str] | None:
    if found := _COUNT_DOWN.search(message):
        start, end = int(found.group(1)), int(found.group(2))
        step = -1
    elif found := _COUNT.search(message):
        start, end = int(found.group(1) or 1), int(found.group(2))
        if found.group(1) is None and (end < 1 or re.search(r"\bdown\b", found.group(0), re.I)):
            return None  # "count to 0", "count down to 10"
        step = 1 if end >= start else -1
    else:
        return None
    if (end - start) * step < 0 or abs(end - start) + 1 > MAX_ITEMS:
        return None
    return [str(n) for n in range(start, end + step, step)]


def _sorted(message: str) -> tuple[list[str], bool] | None:
    """The items in the order asked, and whether they were given as words (space-joined)."""
    if not (order := _SORT.search(message)) or _MORE_ASKED.search(message) or \
            re.search(r"\d,\d{3}\b", message):
        return None
    words = False
    if listed := _ITEMS.search(message):
        items = [i.strip(" \"'“”‘’") for i in re.split(r",\s*(?:and\s+)?|\s+and\s+",
                                                       listed.group(1))]
    elif (listed := _WORDS.search(message)) and _THESE.search(message):
        items, words = listed.group(1).split(), True
    else:
        return None
    # Items are a few words each: "what's the shortcut, and how do I do it?" is a question.
    if any(len(i.split()) > MAX_ITEM_WORDS for i in items):
        return None
    items = [i for i in items if i]
    if not 2 <= len(items) <= MAX_ITEMS:
        return None
    how = (order.group(1) or order.group(2)).lower()
    if re.match(r"reverse(?:d)?\s+(?:the\s+)?order|the\s+order", how):
        # "the order" alone ("put these in the order ...") is no instruction to reverse.
        reverse = how.startswith("reverse") or re.match(r"reverse\b", order.group(0), re.I)
        return (items[::-1], words) if reverse else None
    descending = bool(re.match(r"z|largest|biggest|greatest|highest|descending|reverse", how))
    if all(re.fullmatch(r"-?\d+(?:\.\d+)?", i) for i in items):
        return sorted(items, key=float, reverse=descending), words
    if re.match(r"smallest|lowest|ascending|largest|biggest|greatest|highest|descending", how):
        return None  # sizes of things: the model's to judge
    return sorted(items, key=str.casefold, reverse=descending), words


def text_answer(message: str) -> str | None:
    """The exact answer to a small task on the message's own words, or None."""
    if len(message) > MAX_MESSAGE_CHARS:
        return None  # a task on a few words is a short message
    if (numbers := number_answer(message) or words_answer(message)) is not None:
        return numbers
    if (counted := _counted(message)) is not None:
        return _separator(message).join(counted)
    if found := _REPEAT_AFTER.search(message):
        return found.group(1).strip()
    if found := _SPELL_OUT.search(message):
        return _separator(message, default=" ").join(found.group(1))
    if (found := _REPEAT.search(message) or _TWICE.search(message)) and \
            not _CODE.search(message):
        times = _number(found.group(2))
        if 1 <= times <= MAX_ITEMS:
            if re.search(r"\b(?:no|without(?:\s+any)?)\s+spaces?\b", message, re.IGNORECASE):
                return found.group(1) * times
            separator = _separator(message)
            return (" " if separator == ", " and "comma" not in message.lower()
                    else separator).join([found.group(1)] * times)
    if found := _BACKWARDS.search(message):
        word = found.group(1) or found.group(2)
        return word[::-1]
    if found := _LETTER.search(message):
        word = found.group(2)
        return word[0] if found.group(1).lower() == "first" else word[-1]
    # Vowels "in English" are the language's, not the word's.
    if (found := _HOW_MANY_LETTERS.search(message)) and not (
            found.group(2)[:1].isupper() and not found.group(1).lower().startswith("letter")
            and not re.search(r"[\"'“‘]" + re.escape(found.group(2)), message)):
        kind, word = found.group(1).lower(), found.group(2)
        vowel = [c.lower() in "aeiou" for c in word if c.isalpha()]
        return str(len(vowel) if kind.startswith("letter") else
                   sum(vowel) if kind.startswith("vowel") else len(vowel) - sum(vowel))
    if (found_items := _sorted(message)) is not None:
        return _separator(message).join(found_items[0])
    if found := _CASE_OF.search(message):
        return found.group(1).upper() if found.group(2).lower()[0] in "cub" \
            else found.group(1).lower()
    if (found := _CASE_COLON.search(message)) and not _MORE_ASKED.search(found.group(2)) and \
            not re.search(r"\balso\b", found.group(2), re.IGNORECASE):
        return found.group(2).upper() if found.group(1).lower()[0] in "cub" \
            else found.group(2).lower()
    if found := _CASE.search(message):
        word = found.group(1)
        return word.upper() if found.group(2).lower()[0] in "cub" else word.lower()
    return None
