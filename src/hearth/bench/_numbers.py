"""Reading numbers out of replies: every number, and the answer a reply states.

A person grading "What is 48 times 12?" passes "48 times 12 equals 576": the
reply restates the question's numbers, then states its answer. They fail
"1001 minus 457 equals 596. [calculator: 544]" for 544: the reply states a
wrong answer, whatever it quotes after it. `stated_answers` writes that down
as a rule (see its docstring) so that every check grades the same way.
"""

from __future__ import annotations

import re

# A thousands separator only counts in groups of three ("1,234" but not "1,2");
# a minus only when it does not join two words ("x-5" is not minus five).
NUMBER_PATTERN = r"(?:(?<!\w)[-−])?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMBER = re.compile(NUMBER_PATTERN)

# Words after which the next number is the reply's answer. A colon counts only
# after a word and before a space ("answer: 42", "[calculator: 544]"), so the
# clock time "10:30" is not read as "answer 30".
_MARKER = (r"(?:=|≈|→|->|(?<=\w):(?=\s)|\b(?:equals?|equal\s+to|is|are|was|were|makes?|gives?"
           r"|comes?\s+to|totals?|results?\s+in)\b)")
# What people put between the answer word and the number ("is about 12", "is $12").
_FILLER = (r"(?:(?:about|approximately|approx\.|roughly|around|exactly|precisely|just|only"
           r"|nearly|almost|a\s+total\s+of|in\s+total|therefore|thus|now|still|then|so)\s+)")
_STATED = re.compile(rf"(?i){_MARKER}\s*{_FILLER}{{0,3}}(?:[$€£]\s?)?({NUMBER_PATTERN})")
# Words that introduce the conclusion of a worked answer ("25% of 80 is 20, so
# the price is 60"): what follows the last of them is the answer, what came
# before is working.
_CONCLUSION = re.compile(r"(?i)\b(?:so|therefore|thus|hence|which\s+means|that\s+means"
                         r"|in\s+total|altogether|in\s+all|each|the\s+answer\s+is)\b")
# A sentence ends at . ! ? followed by a space or the end, so "12.5" stays one sentence.
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)|\n+")


def parse_number(text: str) -> float:
    """The value of one match of `NUMBER_PATTERN` ("1,234" -> 1234.0, "−7" -> -7.0)."""
    return float(text.replace(",", "").replace("−", "-"))


def numbers(text: str) -> list[float]:
    """Every number in `text`, in order ("1,234" and "-3.5" included)."""
    return [parse_number(m.group()) for m in _NUMBER.finditer(text)]


def first_number(text: str) -> float | None:
    """The first number in `text`, or None."""
    match = _NUMBER.search(text)
    return None if match is None else parse_number(match.group())


def _first_sentence_with_numbers(text: str) -> list[float]:
    for sentence in _SENTENCE_END.split(text):
        if found := numbers(sentence):
            return found
    return []


def stated_answers(reply: str, question: str = "") -> list[float]:
    """The numbers `reply` states as its answer to `question` (empty when it states none).

    The rule, in order:

    1. A number right after an answer word is a stated answer: ``=``, ``≈``,
       ``→``, "equals", "equal to", "is", "are", "was", "were", "makes",
       "gives", "comes to", "totals", "results in", or a word and a colon
       ("answer: 42", "calculator: 544"); filler such as "about", "exactly",
       "a total of" or a currency sign may sit between. A number that only
       repeats one of the question's numbers is not an answer ("There are 8
       slices and you ate 3, so 5 are left" states 5 for a question about 8
       and 3).
    2. When no number is stated that way: the first number of the reply that
       is not one of the question's numbers ("48 x 12 -> 576" states 576); if
       every number is the question's, the last number of the first sentence
       that has numbers (the question's numbers come first, the answer last).

    Without a question, rule 2 takes the first number of the reply. Every
    stated answer is returned, so a caller can fail a reply that states two
    different answers.

    A worked answer states its steps on the way: "25% of 80 is 20, so the
    sale price is $60" states 20 and 60 by the rules above, and a person reads
    60. When the reply states different answers, what follows its last
    conclusion word ("so", "therefore", "in total", "each", "the answer is",
    ...) settles it, if it states its answer after an answer word and that
    is the reply's last number. "1001 minus 457 equals 596. [calculator: 544]"
    has no conclusion, and "7 times 8 is 54. So the answer is 56... no, it's
    54" ends on another number: both still state two answers. A reply that
    states one answer keeps it ("The price is $60. So you save 20 dollars").
    """
    stated = _stated(reply, question)
    conclusions = list(_CONCLUSION.finditer(reply))
    if len(set(stated)) > 1 and conclusions and \
            (concluded := _concluded(reply[conclusions[-1].start():], question)):
        return concluded
    return stated


def _concluded(tail: str, question: str) -> list[float]:
    """The answer a conclusion states after an answer word, when it is the reply's last number."""
    given = set(numbers(question))
    marked = [parse_number(m.group(1)) for m in _STATED.finditer(tail)]
    answers = [n for n in marked if n not in given]
    last = [n for n in numbers(tail) if n not in given][-1:]
    return answers if answers and set(answers) == set(last) else []


def _stated(reply: str, question: str) -> list[float]:
    given = set(numbers(question))
    marked = [parse_number(m.group(1)) for m in _STATED.finditer(reply)]
    if answers := [n for n in marked if n not in given]:
        return answers
    fresh = [n for n in numbers(reply) if n not in given]
    if fresh:
        return fresh[:1]
    first = _first_sentence_with_numbers(reply)
    return first[-1:]
