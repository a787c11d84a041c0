"""Days a message names from today: "tomorrow", "in 3 days", "on Friday", as dates.

A model cannot know today's date, so "book a table for tomorrow" gets a
date it makes up. Counted from the user's own today (the clock's, in their
zone), or from the one the message states ("today is 2023-09-29"), the day
is exact. A wrong day is worse than the model's guess, so the message is
read only where its words name one day plainly: "next Friday" (this week's
or next week's), "every Friday", "anything but Friday", "Friday week", "the
day before Friday", "Black Friday", "what did I spend on Friday" and "in a
week or two" are all left to the model.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from hearth.edge_runtime.routing._dates import date_spans

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_COUNT = r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
_UNIT = r"days?|weeks?|fortnights?|months?"
_DAY = "|".join(_WEEKDAYS)
_RELATIVE = re.compile(
    r"\b(?:(?P<after>(?:the\s+)?day\s+after\s+tomorrow)"
    r"|(?P<before>(?:the\s+)?day\s+before\s+yesterday)"
    r"|(?P<word>today|tonight|tomorrow|yesterday|this\s+(?:morning|afternoon|evening))"
    r"|in\s+(?P<count>" + _COUNT + r")\s+(?P<unit>" + _UNIT + r")"
    r"|(?P<count_from>" + _COUNT + r")\s+(?P<unit_from>" + _UNIT + r")\s+(?:from\s+(?:now|today)"
    r"|(?P<ago>ago))"
    r"|(?P<month_end>(?:the\s+)?end\s+of\s+(?:the|this)\s+month)"
    r"|(?P<next_first>(?:the\s+)?(?:first|1st)\s+(?:day\s+)?of\s+next\s+month)"
    # "on the 15th", not "on the 2nd attempt": the ordinal ends its phrase.
    r"|(?:on|by|due)\s+the\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)(?=\s*(?:$|[.,;:!?)]|at\b|for\b"
    r"|and\b|please\b))"
    r"|(?P<weekday_next>" + _DAY + r")\s+next\s+week|next\s+week\s+on\s+(?P<next_weekday>" + _DAY
    + r")"
    r"|(?:(?P<mod>next|last|following|this|coming|on)\s+)?(?P<weekday>" + _DAY + r")"
    r"(?P<plural>s)?(?!'s))\b",
    re.IGNORECASE)
_WORD_DAYS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
#: Words anywhere in a message that make its day less than plain, once its plain
#: mentions are taken out: repeats, ordinal weekdays, months, corrections.
_UNCLEAR = re.compile(
    r"\b(?:weeks?|fortnights?|months?|years?|every|each|other|weekly|fortnightly|monthly|"
    r"yearly|daily|weekdays?|weekends?|last|first|second|third|fourth|wait|instead|rather|"
    r"either|day\s+(?:after|before)|jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE)
#: Words of the past: a weekday among them is the last one, not the coming one, and
#: "in 3 days" how long something took.
_PAST = re.compile(r"\b(?:did|was|were|went|had|spent|since|ago|(?<!half\s)(?<!quarter\s)"
                   r"(?<!ten\s)(?<!five\s)(?<!twenty\s)past|previous|gone|happened|finished|"
                   r"arrived|took|came|lasted)\b", re.IGNORECASE)
#: Just before a day, words that exclude it or count from it ("anything but Friday",
#: "the day before Friday"); just after it, words that make it another ("Friday week",
#: "Friday after next", "in a day or two").
_NEAR_BEFORE = frozenset(("not", "never", "except", "but", "no", "before", "after", "than",
                          "instead", "rather", "besides", "excluding", "skip"))
_NEAR_AFTER = frozenset(("or", "after", "before", "but", "week", "weeks", "fortnight", "next"))
#: How many words either side `_NEAR_BEFORE` and `_NEAR_AFTER` look at.
_NEAR_BEFORE_WORDS, _NEAR_AFTER_WORDS = 4, 2
#: Where a message says what day it is: "today is", "today's date:", "current date:",
#: "it's ... today", "as of today,", or another day's date ("tomorrow is ...").
_ANCHOR = re.compile(
    r"\b(?:today(?:'s)?(?:\s+date)?\s*(?:is|:|=)|(?:the\s+)?current\s+date(?:\s+is|\s*:)?"
    r"|as\s+of\s+today,?|it'?s(?=[^.!?]{0,50}\btoday\b)|(?:tomorrow|yesterday)\s+(?:is|was))",
    re.IGNORECASE)
_COMPACT = re.compile(r"^\W*(\d{4})(\d{2})(\d{2})\b")
#: What may stand between an anchor's words and its date: "today is Friday, 29 September".
_ANCHOR_LEAD = re.compile(r"[\s,]*((?:" + _DAY + r"|mon|tues?|wed|thu(?:rs)?|fri|sat|sun)"
                          r"\.?,?\s*)?(?:the\s+)?", re.IGNORECASE)
#: How far after an anchor's words its date may stand.
_ANCHOR_REACH = 50
#: Between two days that are a stay's or a trip's two ends.
_RANGE_GLUE = re.compile(r"[\s,]*(?:-|–|to|until|till|through|thru|and\s+(?:check(?:ing)?\s*out"
                         r"|(?:coming\s+)?back|return(?:ing)?)(?:\s+on)?)[\s,]*", re.IGNORECASE)
#: First words of days that are names: "Black Friday", "Good Friday", "Cyber Monday".
_NAMED = frozenset(("black", "good", "cyber", "super", "ash", "easter", "holy", "maundy", "palm",
                    "shrove", "giving", "blue", "whit", "low", "plough", "orange"))
_DETERMINERS = frozenset(("a", "an", "the", "my", "your", "our", "his", "her", "their", "its"))


@dataclass(frozen=True)
class Anchor:
    """What the message says today is: the day (None: not said, or not readable)."""

    day: date | None
    rest: str
    """The message without the stated date, which is no day the user asks for."""
    unreadable: bool = False


def stated_today(text: str) -> Anchor:
    """The today the message states, if it states one."""
    cue = _ANCHOR.search(text)
    if cue is None:
        return Anchor(None, text)
    window = text[cue.end():cue.end() + _ANCHOR_REACH]
    if cue.group(0).lower().startswith(("tomorrow", "yesterday")):
        # "tomorrow is 2023-09-30": that date is no day asked for, and no today either.
        spans = date_spans(window)
        rest = _cut(text, cue.start(), cue.end() + spans[0][1]) if spans else text
        return Anchor(None, rest, unreadable=True)
    if compact := _COMPACT.match(window):
        try:
            day = date(*map(int, compact.groups()))
        except ValueError:
            return Anchor(None, text, unreadable=True)
        return Anchor(day, _cut(text, cue.start(), cue.end() + compact.end()))
    lead = _ANCHOR_LEAD.match(window)
    spans = date_spans(window)
    if lead is None or not spans or spans[0][0] != lead.end():
        # "Today is Friday", "today is 29.09.2023": a today no reader reads; "Today is
        # my birthday: book June 12": no today at all.
        unreadable = lead is not None and (bool(lead.group(1)) or window[lead.end():][:1].isdigit())
        return Anchor(None, text, unreadable=unreadable)
    _, end, day = spans[0]
    return Anchor(day, _cut(text, cue.start(), cue.end() + end))


def _cut(text: str, start: int, end: int) -> str:
    """`text` without its part from `start` to `end`."""
    return text[:start] + " " + text[end:]


def relative_days(text: str, today: date) -> list[date]:
    """The days `text` names counted from `today`, in order; none if one is unclear."""
    return [day for _, day in _mentions(text, today)]


def relative_range(text: str, today: date) -> tuple[date, date] | None:
    """A stay's or a trip's two days ("check in tomorrow and check out on Friday",
    "from Monday to Wednesday"): written in order, joined as a range's ends."""
    found = _mentions(text, today)
    if len(found) != 2 or found[0][1] >= found[1][1]:
        return None
    (first, start), (second, end) = found
    return (start, end) if _RANGE_GLUE.fullmatch(text[first.end():second.start()]) else None


def _mentions(text: str, today: date) -> list[tuple[re.Match[str], date]]:
    matches = list(_RELATIVE.finditer(text))
    if not matches or _UNCLEAR.search(_RELATIVE.sub(" ", text)):
        return []
    past = _PAST.search(text) is not None
    found: list[tuple[re.Match[str], date]] = []
    for match in matches:
        day = _day(match, today)
        if day is None or _in_a_name(text, match) or _hedged(text, match) or (
                past and _ahead(match)):
            return []
        if day not in (d for _, d in found):
            found.append((match, day))
    return found


def _ahead(match: re.Match[str]) -> bool:
    """Whether the mention counts forward from today: "in 3 days", "on Friday"."""
    if match.group("count"):
        return True
    return bool(match.group("weekday")) and (match.group("mod") or "").lower() != "last"


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?()'\"").lower() for w in text.split()]


def _hedged(text: str, match: re.Match[str]) -> bool:
    """Whether words next to the mention exclude it or make it another day."""
    before = _words(text[:match.start()])[-_NEAR_BEFORE_WORDS:]
    after = _words(text[match.end():])[:_NEAR_AFTER_WORDS]
    return bool(_NEAR_BEFORE.intersection(before) or _NEAR_AFTER.intersection(after)
                or any(w.endswith("n't") for w in before))


def _in_a_name(text: str, match: re.Match[str]) -> bool:
    """Whether the mention is part of a name or title: "Black Friday", "Monday Night
    Football", "Tomorrow Never Dies", "USA Today", or names a kind of thing: "a Sunday
    roast"."""
    after = text[match.end():].split(maxsplit=1)
    if after and after[0][:1].isupper() and after[0] not in ("I", "I'm", "I'll", "I'd"):
        return True
    # "play Tomorrow by Avril Lavigne", "USA Today": a capital inside a sentence.
    lead = text[:match.start()].rstrip()
    if match.group("word") and match.group(0)[:1].isupper() and lead and \
            not lead.endswith((".", "!", "?", ":", "\n")):
        return True
    before = _words(text[:match.start()])
    return bool(before) and not match.group("mod") and bool(match.group("weekday")) and (
        before[-1] in _NAMED or before[-1] in _DETERMINERS)


def _day(match: re.Match[str], today: date) -> date | None:
    if match.group("after"):
        return today + timedelta(days=2)
    if match.group("before"):
        return today - timedelta(days=2)
    if word := match.group("word"):
        return today + timedelta(days=_WORD_DAYS.get(word.lower(), 0))
    if unit := match.group("unit") or match.group("unit_from"):
        count = match.group("count") or match.group("count_from")
        n = int(count) if count.isdigit() else _NUMBERS[count.lower()]
        return _later(today, -n if match.group("ago") else n, unit.lower())
    if match.group("month_end"):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if match.group("next_first"):
        return _later(today.replace(day=1), 1, "month")
    if nth := match.group("nth"):
        return _nth(today, int(nth))
    if weekday := match.group("weekday_next") or match.group("next_weekday"):
        if today.weekday() >= 5:
            return None  # at a weekend, "next week" may be the one starting on Monday or after
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=_WEEKDAYS.index(weekday.lower()))
    if match.group("plural"):
        return None  # "on Fridays": every one
    return _weekday(today, match.group("weekday").lower(), (match.group("mod") or "").lower())


def _later(today: date, n: int, unit: str) -> date:
    if unit.startswith("month"):
        months = today.month - 1 + n
        year, month = today.year + months // 12, months % 12 + 1
        return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    days = {"d": 1, "w": 7, "f": 14}[unit[0]]
    return today + timedelta(days=n * days)


def _nth(today: date, nth: int) -> date | None:
    """"on the 15th": this month's, or next month's once this month's has passed."""
    year, month = today.year, today.month
    if nth < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if nth > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, nth)


def _weekday(today: date, name: str, mod: str) -> date | None:
    """The coming (or, after "last", the past) day called `name`; None where unclear."""
    if mod in ("next", "following"):
        return None  # "next Friday": this week's or next week's
    wanted = _WEEKDAYS.index(name)
    if mod == "last":
        return today - timedelta(days=(today.weekday() - wanted - 1) % 7 + 1)
    # "on Friday": the coming one. Said on a Friday it may be today or a week on: unread.
    ahead = (wanted - today.weekday()) % 7
    return today + timedelta(days=ahead) if ahead else None
