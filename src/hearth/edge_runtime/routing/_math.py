"""Reading an arithmetic question as a calculator expression, without the model.

People write arithmetic in words ("9 times 8", "15% of 80", "divide 7385 by
5", "how many minutes are in 2.5 hours"). A 135M model turns such text into
a wrong expression more often than not, while the phrasings are few and
regular. So the words are rewritten into operators first; the model is asked
for an expression only when no explicit one is left (word problems), and then
under a grammar that admits the message's numbers and the constants people
leave out (60 minutes, 24 hours, 7 days, 12 months, 365 days, 100 percent).
"""

from __future__ import annotations

import re
from decimal import Decimal

from hearth.edge_runtime.routing._conversions import unit_conversion
from hearth.edge_runtime.routing._spelled import spelled_numbers
from hearth.edge_runtime.routing._sums import precision, word_problem

#: Seconds per unit, for "how many X in N Y" conversions.
_UNIT_SECONDS = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
    "fortnight": 1_209_600,
}
#: Conversions that are not a fixed number of seconds, by (unit asked, unit given).
_CALENDAR = {("month", "year"): "12", ("week", "year"): "52", ("day", "year"): "365",
             ("hour", "year"): "8760", ("minute", "year"): "525600",
             ("day", "leap_year"): "366"}
#: Constants the expression grammar always admits: what people leave unsaid.
IMPLICIT_CONSTANTS = ("60", "24", "7", "12", "365", "100", "1000", "3600", "52")

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12, "a": 1, "an": 1,
}
#: Small counts in words, for "repeat it three times", "three times a day", "twice".
COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "once": 1,
               "twice": 2, "thrice": 3}
_NUM = r"-?\d+(?:\.\d+)?"
_SPAN = re.compile(r"(?:sqrt\(|round\(|\(|" + _NUM + r")(?:[\s()*/+\-%.]|\*\*|sqrt\(|round\(|, |"
                   + _NUM + r")*")

# (pattern, replacement) applied in order to the lowercased text; each turns
# one common phrasing into operator form.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r) for p, r in (
        (r"(?<=\d),(?=\d{3}\b)", ""),
        # "(18.5 + 6.75) x 4" multiplies a bracket too.
        (r"(?<=[\d)])\s*[×x]\s*(?=[-\d(])", "*"),
        (r"÷", "/"), (r"−", "-"), (r"\^", "**"),
        (r"\bsquare root of\s*(" + _NUM + ")", r"sqrt(\1)"),
        (r"\bsqrt\s*(" + _NUM + ")", r"sqrt(\1)"),
        (r"\bhalf of\s*(" + _NUM + ")", r"(\1/2)"),
        (r"\b(" + _NUM + r")\s*/\s*(" + _NUM + r")\s+(?:as|in|into|to)\s+(?:an?\s+)?"
         r"(?:percent(?:age)?|%)", r"(\1/\2)*100"),
        (r"\bround\s*(" + _NUM + r")\s*to\s*(\d{1,2})\s*decimal places?", r"round(\1, \2)"),
        (r"\bround\s*(" + _NUM + r")\s*to\s*(?:the\s+)?nearest\s+(?:whole\s+number|integer|"
         r"unit|one)", r"round(\1)"),
        # Number words are digits by now: "the nearest thousand" reads "the nearest 1000".
        (r"\bround\s*(" + _NUM + r")\s*to\s*(?:the\s+)?nearest\s+10\b", r"round(\1, -1)"),
        (r"\bround\s*(" + _NUM + r")\s*to\s*(?:the\s+)?nearest\s+100\b", r"round(\1, -2)"),
        (r"\bround\s*(" + _NUM + r")\s*to\s*(?:the\s+)?nearest\s+1000\b", r"round(\1, -3)"),
        (r"\bround\s*(" + _NUM + r")\s*to\s*(?:the\s+)?nearest\s+(?:million|1000000)\b",
         r"round(\1, -6)"),
        (r"\b(?:double|twice)\s*(" + _NUM + ")", r"(2*\1)"),
        (r"\b(" + _NUM + r")\s*squared", r"\1**2"),
        (r"\b(" + _NUM + r")\s*cubed", r"\1**3"),
        (r"\bto the (?:power|exponent) of\b", "**"),
        (r"\bdivide\s*(" + _NUM + r")\s*by\s*(" + _NUM + ")", r"\1/\2"),
        (r"\bmultiply\s*(" + _NUM + r")\s*(?:by|and|with)\s*(" + _NUM + ")", r"\1*\2"),
        (r"\bsubtract\s*(" + _NUM + r")\s*from\s*(" + _NUM + ")", r"\2-\1"),
        (r"\badd\s*(" + _NUM + r")\s*(?:and|to)\s*(" + _NUM + ")", r"\1+\2"),
        (r"\bproduct of\s*(" + _NUM + r")\s*and\s*(" + _NUM + ")", r"\1*\2"),
        (r"\b(" + _NUM + r")\s*(?:multiplied by|times|x)\s*(?=-?\d)", r"\1*"),
        (r"\b(" + _NUM + r")\s*(?:divided by|over)\s*(?=-?\d)", r"\1/"),
        (r"\b(" + _NUM + r")\s*(?:plus|added to)\s*(?=-?\d)", r"\1+"),
        (r"\b(" + _NUM + r")\s*minus\s*(?=-?\d)", r"\1-"),
        (r"\b(" + _NUM + r")\s*(?:mod|modulo)\s*(?=-?\d)", r"\1%"),
    )
)
_SUM_OF = re.compile(r"\b(sum|total|average|mean) of\s+((?:" + _NUM + r"(?:\s*,\s*|\s+and\s+)?)+)")
_CONVERT = re.compile(
    r"how many (full |whole |complete )?(seconds|minutes|hours|days|weeks|months)\b.*?\b"
    r"(?:in|per)\s+"
    r"(" + _NUM + r"|an?|one)\s*(leap year|seconds?|minutes?|hours?|days?|weeks?|fortnights?|"
    r"years?)\b")
_CONVERT_TO = re.compile(
    r"\b(" + _NUM + r")\s*(seconds?|minutes?|hours?|days?|weeks?|years?)\s+(?:in|into|to)\s+"
    r"(seconds|minutes|hours|days|weeks)\b")


#: A clock time: "5pm", "6:30 p.m.", "18:45" (group 1 the whole time).
#: A clock time as people write it: "7 pm", "7:45 p.m.", "19:45".
CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])|\d{1,2}:\d{2}"
CLOCK_TIME = re.compile(r"\b(" + CLOCK + r")(?!\d)", re.IGNORECASE)
_DATE_OR_TIME = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}:\d{2}\b")
_PERCENT_OF = re.compile(r"\b(" + _NUM + r")\s*(?:percent|%)\s*of\s*(" + _NUM + ")")


def _percent_of(match: re.Match[str]) -> str:
    share = Decimal(match.group(1)) / 100
    return f"{match.group(2)}*{share.normalize():f}"


def _singular(unit: str) -> str:
    unit = unit.replace(" ", "_")
    return unit[:-1] if unit.endswith("s") else unit


def _count(text: str) -> str:
    return "1" if text in ("a", "an", "one") else text


def _time_conversion(text: str) -> str | None:
    lower = text.lower()
    whole = False  # "how many full weeks in 200 days": whole weeks only
    if match := _CONVERT.search(lower):
        whole = bool(match.group(1))
        wanted, count, given = _singular(match.group(2)), _count(match.group(3)), match.group(4)
    elif match := _CONVERT_TO.search(lower):
        count, given, wanted = match.group(1), match.group(2), _singular(match.group(3))
    else:
        return None
    given = _singular(given)
    if (wanted, given) in _CALENDAR:
        return f"{count}*{_CALENDAR[wanted, given]}"
    if wanted in _UNIT_SECONDS and given in _UNIT_SECONDS:
        big, small = _UNIT_SECONDS[given], _UNIT_SECONDS[wanted]
        if big >= small:
            return f"{count}*{big // small}"
        return f"{count}//{small // big}" if whole else f"{count}/{small // big}"
    return None


def conversion(text: str) -> str | None:
    """"How many minutes are in 2.5 hours" as 2.5*60, "Convert 5 miles to km", or None."""
    return _time_conversion(text) or unit_conversion(words_to_digits(text))


def words_to_digits(text: str) -> str:
    """Number words as digits ("four friends" -> "4 friends"); "a"/"an" are left alone."""
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        before = text[max(0, match.start() - 7):match.start()].lower()
        if word.lower() == "one" and re.search(r"\b(each|every|any|no|some|which|this|that|"
                                               r"the|a)\s+$", before):
            return word  # "each one", "the one": a pronoun, not a count
        return str(_WORD_NUMBERS[word.lower()])
    pattern = r"\b(" + "|".join(w for w in _WORD_NUMBERS if w not in ("a", "an")) + r")\b"
    return re.sub(pattern, swap, spelled_numbers(text), flags=re.I)


def _sums(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        numbers = re.findall(_NUM, match.group(2))
        total = "+".join(numbers)
        return f"({total})/{len(numbers)}" if match.group(1) in ("average", "mean") else total
    return _SUM_OF.sub(swap, text)


def explicit_expression(text: str) -> str | None:
    """The arithmetic the message spells out, as an expression, or None.

    None when no span with two numbers and an operator (or a root) remains
    after rewriting the words: a word problem, for the model to set up.
    """
    if converted := conversion(text):
        return converted
    # "My garden is 12 x 8 m. How much fencing?": the way round, not the product.
    if re.search(r"\b(?:around|perimeter|fenc\w*|border|edging|skirting)\b", text, re.I) and \
            (around := worded_sum(text)) is not None:
        return around
    # Dates and clock times are not subtractions or ratios.
    lower = _DATE_OR_TIME.sub(" § ", _sums(words_to_digits(text.lower())))
    # "40% of 1,250": thousands separators go before percents are read.
    lower = _PERCENT_OF.sub(_percent_of, re.sub(r"(?<=\d),(?=\d{3}\b)", "", lower))
    for pattern, replacement in _REWRITES:
        lower = pattern.sub(replacement, lower)
    # "22 divided by 7, to 3 decimal places": the precision is no number of the sum.
    lower, places = precision(lower)
    best: str | None = None
    for match in _SPAN.finditer(lower):
        # "12,500 minus 3,875 - what do I get?": a dash before words is no operator.
        span = re.sub(r"[\s*/+%,-]+$", "", match.group(0).strip().rstrip(".").strip())
        while span.count("(") < span.count(")") and span.endswith(")"):
            span = span[:-1].rstrip()
        while span.count("(") > span.count(")") and span.startswith("("):
            span = span[1:].lstrip()
        if re.search(r"\d\s+\(?\d", span):
            # "9 99*3" (nine ninety-nine times three): two numbers with nothing between
            # them cannot be set up here; the model may read them as a price.
            return None
        numbers = re.findall(r"\d+(?:\.\d+)?", span)
        has_operator = re.search(r"\d\s*(?:\*\*|[*/+%-])\s*[-\d(sr]|sqrt\(|round\(", span)
        if has_operator and (len(numbers) >= 2 or "sqrt(" in span or "round(" in span) and (
                best is None or len(span) > len(best)):
            best = span
    if best is None:
        return worded_sum(text)
    return best if places is None else f"round({best}, {places})"


def worded_sum(text: str) -> str | None:
    """The expression an everyday word problem in `text` sets up (no operator spelt out:
    "3 notebooks at $4.25 each and 2 pens at $1.80 each. What's the total?"), or None."""
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", words_to_digits(text))
    return word_problem(_DATE_OR_TIME.sub(" ", plain))


#: A word standing for the last answer: a pronoun before an operation or at the end ("multiply
#: that by 2", "add 5 to it"), not a determiner ("this weekend", "that car").
_ANAPHORA = re.compile(r"\b(?:the result|the answer|that number|(?:that|it|this)"
                       r"(?=\s*(?:by|to|from|and|plus|minus|times|divided|multiplied|over|"
                       r"into|squared|cubed|"
                       r"[-?.!,+*/^)]|$)))", re.I)


def with_previous(text: str, previous: str | None) -> str:
    """"Now multiply that by 2" with "that" replaced by the last answer's number.

    Only when the message has such a word, cannot be set up alone, and the
    assistant's last turn stated a number; otherwise `text` unchanged: in "I
    need 4 bags at 2.40 each. How much is that?" "that" is the bill asked for.
    """
    if not previous or not _ANAPHORA.search(text) or \
            word_problem(_DATE_OR_TIME.sub(" ", words_to_digits(text))) is not None:
        return text
    numbers = re.findall(r"-?\d[\d,]*(?:\.\d+)?", previous)
    if not numbers:
        return text
    value = numbers[0].replace(",", "")  # templates state the result first
    return _ANAPHORA.sub(value, text, count=1)


#: Earlier user turns a follow-up question may build on.
CONTEXT_TURNS = 2


def with_context(text: str, earlier: list[str]) -> str:
    """"I buy 4 more. How many apples do I have now?" after "I have 3 apples." as both.

    A follow-up that gives fewer than two numbers cannot be set up alone; the
    user's last statements (of `CONTEXT_TURNS` turns, the latest last; not
    questions, not calculations of their own, clock times left out) are put
    before it when they state numbers, so the word-problem rules and the
    expression grammar see them. A message with its own arithmetic is `text`
    unchanged.
    """
    if len(message_numbers(text)) >= 2 or explicit_expression(text) is not None:
        return text
    # Statements only: a question was answered already ("What's 20% of 50?"), and a
    # clock time ("at 5pm") is no quantity.
    stated = [CLOCK_TIME.sub(" ", turn).strip() for turn in earlier[-CONTEXT_TURNS:]
              if not turn.rstrip().endswith("?") and explicit_expression(turn) is None]
    stated = [turn for turn in stated if message_numbers(turn)]
    if not stated:
        return text
    return " ".join([*stated, text])


def number_value(value: object) -> float | None:
    """A model's JSON number as a float; None for a bool, a non-number or an int no float
    holds (10**400 from a grammar-free model must not crash a reader)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def message_numbers(text: str) -> list[str]:
    """The numbers a message gives, in digits or words, thousands separators removed."""
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", words_to_digits(text))
    return re.findall(r"\d+(?:\.\d+)?", plain)
