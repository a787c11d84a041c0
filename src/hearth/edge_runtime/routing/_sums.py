"""More word problems as expressions, and the order every word-problem rule is tried in.

The shapes `_word_problems` knows cover a bill split or a tip; people also
ask what several items cost together, the price of one from a pack, the
average of a few numbers, how far apart two numbers are, a change in
percent, the price before a discount, how long saving takes, a week's pay
from an hourly rate, how many small things fit in a big one, and what it
costs to fence a rectangle. A 135M model sets these up wrongly ("1941-2016"
for how many years apart, "125-3600" for weeks to save 2,000 at 125 a week);
each shape here needs its cue words and an exact count of numbers, and
anything else is still left to the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hearth.edge_runtime.routing._conversions import unit_key, unit_size
from hearth.edge_runtime.routing._word_problems import (
    EACH,
    NUM,
    ONE_ITEM,
    PERCENT,
    RULES,
    asked,
    numbers_in,
)

#: "the original price", "before the discount", "without VAT": the amount before a change.
_BEFORE = re.compile(r"\b(?:original|full|regular|usual|old|initial|starting)\s+(?:price|cost|"
                     r"amount|value|salary|pay|rent)\b|\bbefore\s+(?:the\s+|any\s+)?(?:\d+\s*%\s*)?"
                     r"(?:discount|sale|reduction|markdown|tax|vat|increase|rise|raise|markup)\b"
                     r"|\bwithout\s+(?:the\s+)?(?:tax|vat)\b")
_DOWN = re.compile(r"\b(?:off|discount\w*|sale|reduced|reduction|cheaper|less|decrease\w*|"
                   r"markdown)\b")
_UP = re.compile(r"\b(?:tax|vat|increase\w*|rise|rose|raised?|more|markup|up|added)\b")


def _before_change(text: str) -> str | None:
    """"It costs 480 after a 20% discount. What was the original price?" as 480/(1-20/100)."""
    percent = PERCENT.search(text)
    if percent is None or not _BEFORE.search(asked(text)):
        return None
    others = numbers_in(text[:percent.start()] + " " + text[percent.end():])
    if len(others) != 1:
        return None
    amount, rate = others[0], percent.group(1)
    if re.search(r"\bsav(?:e|ed|es|ing)\b", text):
        return f"{amount}/({rate}/100)"  # "a 25% discount saved me 30": 30 is the discount
    if re.search(r"\b(?:tax|vat)\b", text):
        return f"{amount}/(1+{rate}/100)"
    if _DOWN.search(text):
        return f"{amount}/(1-{rate}/100)"
    if _UP.search(text):
        return f"{amount}/(1+{rate}/100)"
    return None


def _items_total(text: str) -> str | None:
    """"3 notebooks at $4.25 each and 2 pens at $1.80 each. What's the total?" as
    3*4.25+2*1.80; every number must belong to an item."""
    question = asked(text)
    if not re.search(r"\b(?:total|altogether|in all|all together|how much|what do i (?:owe|pay)"
                     r"|cost)\b", question) or re.search(r"\b(?:change|left|back)\b", question):
        return None
    terms = [f"{m.group(1)}*{m.group(2)}" for m in EACH.finditer(text)]
    rest = EACH.sub(" ", text)
    terms += [m.group(1) for m in ONE_ITEM.finditer(rest)]
    if len(terms) < 2 or numbers_in(ONE_ITEM.sub(" ", rest)):
        return None
    return "+".join(terms)


_CURRENCY = re.compile(r"[$€£]\s?(" + NUM + r")|(" + NUM + r")\s*(?:dollars|euros|pounds|quid|"
                       r"bucks|eur|usd|gbp)\b")


def _unit_price(text: str) -> str | None:
    """"A pack of 24 cans costs $15.36. What's the price per can?" as 15.36/24."""
    numbers = numbers_in(text)
    question = asked(text)
    if len(numbers) != 2 or not re.search(r"\b(?:price|cost|costs|much)\b", question) or \
            not re.search(r"\b(?:per|each|one|a single)\b", question) or \
            re.search(r"\b(?:per|a|an|each|every)\s+(?:hour|day|week|month|year)\b", text):
        return None
    money = _CURRENCY.search(text)
    cents = [n for n in numbers if re.fullmatch(r"\d+\.\d{2}", n)]
    if money is None and len(cents) != 1:
        return None
    price = (money.group(1) or money.group(2)) if money else cents[0]
    count = numbers[1] if numbers[0] == price else numbers[0]
    per = re.search(r"\bper\s+([a-z]{1,12})\b", question)
    if per is not None and (wanted := unit_size(per.group(1))) is not None:
        # "A 500 g bag costs 2.40. How much per kg?": 2.40/(500*0.001)*1.
        size = re.search(r"(?<![\d.])" + re.escape(count) + r"\s*([a-z]{1,12})\b", text)
        given = unit_size(size.group(1)) if size else None
        if given is None or given[0] != wanted[0] or float(count) == 0:
            return None
        return f"{price}/({count}*{given[1]})*{wanted[1]}"
    # The count counts things: "24 cans", "a pack of 24".
    if not re.search(r"(?<![\d.])" + re.escape(count) + r"\s+[a-z]|\bof\s+" + re.escape(count)
                     + r"\b", text) or float(count) == 0:
        return None
    return f"{price}/{count}"


#: Three or more numbers in a row: "31, 28, 35, 30 and 29".
_RUN = re.compile(r"(?<![\d.])\d{1,12}(?:\.\d{1,6})?(?:\s*(?!and\b)[a-z%]{1,8})?(?:(?:\s*,\s*"
                  r"(?:and\s+)?|\s+and\s+)\d{1,12}(?:\.\d{1,6})?(?:\s*(?!and\b)[a-z%]{1,8})?){2,}")


#: What an average is of, where the question names no thing the list is not.
_GENERIC = {"time", "times", "score", "scores", "mark", "marks", "grade", "grades", "value",
            "values", "number", "numbers", "cost", "costs", "price", "prices", "spend",
            "spending", "speed", "pace", "of", "is", "was", "for", "then", "in", "per"}


def _average(text: str) -> str | None:
    """"My last five runs took 31, 28, 35, 30 and 29 minutes. My average?" as (31+...)/5.

    Not "the average age to start school" after the kids' ages, nor "the average
    person": the thing averaged is said outside the question, or is a time, score,
    price or the like."""
    question = asked(text)
    found = re.search(r"\b(?:average|mean)\b\s*([a-z]+)?", question)
    if found is None:
        return None
    noun = found.group(1)
    said = text.replace(found.group(0), " ")
    if noun and noun not in _GENERIC and not re.search(r"\b" + re.escape(noun.rstrip("s")),
                                                       said):
        return None
    runs = [m.group(0) for m in _RUN.finditer(text)]
    if len(runs) != 1:
        return None
    values = re.findall(r"\d{1,12}(?:\.\d{1,6})?", runs[0])
    if all(re.fullmatch(r"1[89]\d\d|20\d\d", v) for v in values):
        return None  # "in 2019, 2020 and 2021": years, not amounts
    return f"({'+'.join(values)})/{len(values)}"


_APART = re.compile(r"\b(?:apart|(?:the\s+)?difference\s+(?:between\s+)?(?:[$€£]?\d|them|the\s+two|"
                    r"these|those)|how\s+much\s+(?:older|younger|longer|shorter|taller|"
                    r"heavier|lighter|bigger|smaller|more|less|further|farther|higher|lower|"
                    r"cheaper|dearer)|how\s+many\s+(?:more|fewer|less|years\s+(?:older|younger)))"
                    r"\b")


def _apart(text: str) -> str | None:
    """"Born in 1941 and in 2016: how many years apart?" as 2016-1941, the larger first; "It
    opened in 1887. How old will it be in 2029?" (two years) too."""
    numbers, question = numbers_in(text), asked(text)
    years = len(numbers) == 2 and all(re.fullmatch(r"1\d{3}|20\d{2}", n) for n in numbers)
    # "How old will it be in 2029?": the later year is the question's own.
    aged = years and re.search(r"\bhow\s+old\b|\byears?\s+old\b", question) and \
        re.search(r"\bin\s+(?:" + "|".join(numbers) + r")\b", question)
    if len(numbers) != 2 or not (_APART.search(question) or aged) or \
            re.search(r"\d[a-z]", text):  # "4G and 5G" are no amounts
        return None
    # "in 2 weeks and 3 days": amounts of two kinds are not compared.
    kinds = [re.match(r"\s*([a-z]+)", text[m.end():]) for m in re.finditer(
        r"(?<![\d.])(?:" + "|".join(map(re.escape, numbers)) + r")(?![\d.])", text)]
    words = {k.group(1).rstrip("s") for k in kinds if k and k.group(1) not in ("and", "or", "in")}
    if len(words) > 1:
        return None
    small, big = sorted(numbers, key=float)
    return f"{big}-{small}"


#: "by what percentage did it go up", "what percent increase is that", "the percentage drop".
_CHANGE_ASKED = re.compile(r"\b(?:percent(?:age)?|%)\s*(?:increase|decrease|rise|drop|fall|change|"
                           r"growth|gain|loss|cut|reduction|up|down|more|less|higher|lower)\b|\bby\s+"
                           r"what\s+(?:percent(?:age)?|%)|\bwhat\s+(?:percent(?:age)?|%)\s+(?:did|has|"
                           r"have|was|is\s+(?:that|it)|does)\b|\bhow\s+many\s+percent\b")
_FROM_TO = re.compile(r"\bfrom\s+[$€£]?(" + NUM + r")\s*(?:[a-z]{1,10}\s+)?to\s+[$€£]?(" + NUM
                      + r")\b")


def _percent_change(text: str) -> str | None:
    """"My rent went from 1,450 to 1,537. By what percentage did it go up?" as
    (1537-1450)/1450*100 (the size of the change, up or down)."""
    found = _FROM_TO.search(text)
    if found is None or len(numbers_in(text)) != 2 or float(found.group(1)) == 0 or \
            not _CHANGE_ASKED.search(asked(text)):
        return None
    old, new = found.groups()
    return f"abs({new}-{old})/{old}*100"


_PERIOD = r"(day|week|month|year)"
#: "125 every week", "22.50 an hour", "37.5 hours a week" (the counted word in group 2).
_PER_PERIOD = re.compile(r"[$€£]?(" + NUM + r")\s*(?:([a-z]{1,12})\s+)?(?:a|an|per|each|every)\s+"
                         r"(hour|day|week|month|year)\b")


def _save_up(text: str) -> str | None:
    """"I put aside $125 every week. How many weeks to save $2,000?" as -(-2000//125)."""
    every, question = _PER_PERIOD.search(text), asked(text)
    numbers = numbers_in(text)
    how = re.search(r"\bhow\s+(?:many\s+" + _PERIOD + r"s|long)\b", question) if re.search(
        r"\bwill\s+it\s+take\b|\b(?:to|until|till|before)\s+(?:i\s+)?(?:can\s+)?(?:save|reach|afford|"
        r"pay\s+off|collect|raise|get|have)\b", question) else None
    if every is None or how is None or len(numbers) != 2 or not re.search(
            r"\b(?:save|saved|saving|reach|afford|pay\s+off|collect|raise|put\s+aside)\b", text):
        return None
    if how.group(1) and how.group(1) != every.group(3):
        return None
    target = numbers[1] if numbers[0] == every.group(1) else numbers[0]
    if float(every.group(1)) == 0:
        return None
    return f"-(-{target}//{every.group(1)})"


_ASKED_PERIOD = {"hour": r"hourly", "day": r"daily", "week": r"weekly", "month": r"monthly",
                 "year": r"yearly|annual(?:ly)?"}


def _chained_rate(text: str) -> str | None:
    """"I earn $22.50 an hour and work 37.5 hours a week. What's my weekly pay?" as
    22.50*37.5: a rate per hour times hours per week, asked per week."""
    rates = list(_PER_PERIOD.finditer(text))
    if len(rates) != 2 or len(numbers_in(text)) != 2:
        return None
    question = asked(text)
    for first, second in (rates, rates[::-1]):
        counted = (second.group(2) or "").rstrip("s")
        wanted = second.group(3)
        if counted == first.group(3) and re.search(
                r"\b(?:" + _ASKED_PERIOD[wanted] + r"|(?:a|per|each|every|in\s+a|for\s+a)\s+"
                + wanted + r")\b", question):
            return f"{first.group(1)}*{second.group(1)}"
    return None


_AMOUNT = re.compile(r"(" + NUM + r")\s*-?\s*([a-z]{1,12})\b")


def _fits(text: str) -> str | None:
    """"How many 250 ml glasses can I fill from a 3.2 litre jug?" as 3.2*1//(250*0.001):
    two amounts of one kind (length, mass, volume), the whole ones the smaller fits."""
    question = asked(text)
    # "How many 250 ml glasses": the glasses are counted, not the millilitres.
    thing = re.search(r"\bhow\s+many\s+(?:\d[\d.]*\s*-?\s*[a-z]{1,12}\s+)?([a-z]+)", question)
    if thing is None or unit_size(thing.group(1)) is not None or len(numbers_in(text)) != 2 \
            or thing.group(1) in ("square", "cubic", "sq") or not re.search(
                r"\b(?:fit|fits|fill|get|make|pour|cut|stand|hold|holds|serve|go)\b", question) \
            or re.search(r"\bshould\b", question):
        return None
    amounts = [(m.group(1), unit_size(m.group(2))) for m in _AMOUNT.finditer(text)]
    sized = [(n, u) for n, u in amounts if u is not None]
    if len(sized) != 2 or sized[0][1][0] != sized[1][1][0]:
        return None
    (a, (_, size_a)), (b, (_, size_b)) = sized
    whole, part = ((a, size_a), (b, size_b)) if float(a) * float(size_a) >= \
        float(b) * float(size_b) else ((b, size_b), (a, size_a))
    if float(part[0]) == 0:
        return None
    return f"{whole[0]}*{whole[1]}//({part[0]}*{part[1]})"




def _per_asked(text: str) -> str | None:
    """"The car used 42 litres to cover 560 km. How many litres per 100 km is that?" as
    42/560*100: one amount in each unit the question names."""
    found = re.search(r"\bhow\s+(?:many|much)\s+([a-z]{1,12})\s+(?:of\s+[a-z]+\s+)?(?:per|a|an|"
                      r"every|each)\s+(?:(" + NUM + r")\s*)?([a-z]{1,12})\b", asked(text))
    if found is None:
        return None
    top, per, bottom = found.group(1), found.group(2) or "1", found.group(3)
    amounts = [(n, unit_key(u)) for n, u in _AMOUNT.findall(text) if n != found.group(2)]
    tops = [n for n, u in amounts if u == unit_key(top)]
    bottoms = [n for n, u in amounts if u == unit_key(bottom)]
    if len(tops) != 1 or len(bottoms) != 1 or len(amounts) != 2 or float(bottoms[0]) == 0:
        return None
    return f"{tops[0]}/{bottoms[0]}*{per}"


_DISTANCE = r"(?:km|kilomet(?:re|er)s?|miles?|mi)"


def _same_scale(distance: str, other: str) -> bool:
    """Whether a distance and the speed or question beside it are in one system: km
    with km/h, miles with mph (a question that names neither unit fits either)."""
    miles = bool(re.search(r"\bmi(?:les?)?\b", distance))
    if re.search(r"\bmph\b|\bmiles?\s+(?:an|per)\s+hour\b", other):
        return miles
    if re.search(r"\bkm/h\b|\bkph\b|\bkm\s+(?:an|per)\s+hour\b|\bkilomet\w+\s+(?:an|per)\s+hour",
                 other):
        return not miles
    return True
_SPEED_UNIT = r"(?:km/h|kph|mph|km\s+(?:an|per)\s+hour|kilomet(?:re|er)s\s+(?:an|per)\s+hour|" \
              r"miles\s+(?:an|per)\s+hour)"
_HOURS = re.compile(r"(" + NUM + r")\s*(?:hours?|hrs?|h)\b(?:\s*(?:and\s+)?(" + NUM
                    + r")\s*(?:minutes?|mins?))?|(" + NUM + r")\s*(?:minutes?|mins?)\b")


def _speed(text: str) -> str | None:
    """"I cycled 27 km in 1 hour 30 minutes: my average speed?" as 27/(1+30/60), and
    "how long to walk 13.5 km at 4.5 km/h" as 13.5/4.5 (hours)."""
    speed = re.search(r"(" + NUM + r")\s*" + _SPEED_UNIT, text)
    distance = re.search(r"(" + NUM + r")\s*" + _DISTANCE + r"\b(?!\s*/)(?!\s+(?:an|per)\s+hour)",
                         text)
    question = asked(text)
    if distance is not None and not _same_scale(distance.group(0), speed.group(0) if speed else
                                                question):
        return None
    if speed is not None and distance is not None and len(numbers_in(text)) == 2:
        if re.search(r"\bhow\s+many\s+minutes\b|\bin\s+minutes\b", question):
            return f"{distance.group(1)}/{speed.group(1)}*60"
        if re.search(r"\bhow\s+many\s+hours\b|\bin\s+hours\b", question):
            return f"{distance.group(1)}/{speed.group(1)}"
        return None  # "how long?" alone: the reply could not say in what
    time = _HOURS.search(text)
    if speed is None and distance is not None and time is not None and re.search(
            r"\bwhat(?:'?s|\s+is|\s+was)\s+(?:my|the|its|his|her|our|their)?\s*(?:average\s+)?speed\b"
            r"|\bhow\s+fast\b", question) and not re.search(r"\btips?\b|\bimprove\b", question):
        hours = (f"({time.group(1)}+{time.group(2)}/60)" if time.group(2) else time.group(1)) \
            if time.group(1) else f"({time.group(3)}/60)"
        if len(numbers_in(text)) == 2 + bool(time.group(2)):
            return f"{distance.group(1)}/{hours}"
    return None


_SIDES = re.compile(r"(" + NUM + r")\s*(?:[a-z]{1,12}\s+)?(?:by|x|×)\s+(" + NUM + r")|(" + NUM
                    + r")\s*(?:[a-z]{1,12}\s+)?long\s*(?:and|,|by)\s*(" + NUM + r")\s*"
                    r"(?:[a-z]{1,12}\s+)?wide\b")
_PRICE_PER = re.compile(r"[$€£]?(" + NUM + r")\s*(?:[a-z]{1,10}\s+)?(?:per|a|an|each)\s+"
                        r"(?:square\s+)?(?:met(?:re|er)|m2?|foot|feet|ft|yard|yd|sq\b)")


def _rectangle(text: str) -> str | None:
    """"A rectangle 12.5 m by 8 m; fencing costs $14 per metre: to fence it around?" as
    2*(12.5+8)*14; its area where tiles, carpet or paint are asked about."""
    sides = _SIDES.search(text)
    if sides is None or not re.search(r"\bhow\s+(?:much|many)\b|\bwhat\b.*\b(?:area|perimeter|"
                                      r"cost|price|total|length)\b", asked(text)):
        return None
    a, b = (sides.group(1), sides.group(2)) if sides.group(1) else (sides.group(3),
                                                                     sides.group(4))
    if re.search(r"\b(?:around|round|perimeter|fence|fencing|border|edging|skirting|trim)\b",
                 text):
        measure = f"2*({a}+{b})"
    elif re.search(r"\b(?:area|carpet|tiles?|tiling|paint|cover|floor|turf|square)\b", text):
        measure = f"{a}*{b}"
    else:
        return None
    rest = text[:sides.start()] + " " + text[sides.end():]
    price = _PRICE_PER.search(rest)
    extra = numbers_in(rest)
    if price is not None and extra == [price.group(1)]:
        return f"{measure}*{price.group(1)}"
    return measure if not extra else None


#: Tried first: `_before_change` must see "original price" before the percent rule reads a
#: discount; the rest only where none of `_word_problems`' shapes fits.
_FIRST: tuple[Callable[[str], str | None], ...] = (_before_change, _items_total)
_LAST: tuple[Callable[[str], str | None], ...] = (
    _unit_price, _average, _apart, _percent_change, _save_up, _chained_rate,
    _per_asked, _speed, _rectangle, _fits)
#: "to one decimal place", "to 2 decimal places", "rounded to the nearest whole number".
_DECIMALS = re.compile(r",?\s*(?:rounded\s+)?to\s+(?:the\s+nearest\s+)?(\d{1,2})\s+decimals?"
                       r"(?:\s+places?)?\b|,?\s*(?:rounded\s+)?to\s+the\s+nearest\s+(?:whole\s+"
                       r"number|integer)\b")


def precision(text: str) -> tuple[str, str | None]:
    """(`text` without a precision asked for, the decimal places asked or None)."""
    places = _DECIMALS.search(text)
    if places is None:
        return text, None
    return text[:places.start()] + text[places.end():], places.group(1) or "0"


def word_problem(text: str) -> str | None:
    """An expression for an everyday word problem (digits already in place), or None.

    A precision asked for ("to one decimal place") is no quantity of the problem: it
    is taken out before the rules count numbers, and rounds the result."""
    lower, places = precision(" ".join(text.lower().split()))
    for rule in (*_FIRST, *RULES, *_LAST):
        if (expression := rule(lower)) is not None:
            return expression if places is None else f"round({expression}, {places})"
    return None
