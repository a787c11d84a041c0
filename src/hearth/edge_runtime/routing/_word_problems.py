"""Everyday word problems set up as expressions: what is left, each one's share, totals.

A 135M model cannot set up "Four friends split a bill of 96 dollars" as 96/4,
yet a handful of shapes cover most of what people ask in a chat: a discount
or a tip, what is left after spending, a total split equally, a price times a
count, a recipe scaled, packs needed, some more or fewer than before. Each
rule needs its cue words and an exact count of numbers; anything else is left
to the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hearth.edge_runtime.routing._conversions import unit_key

NUM = r"(?<![\d.])\d{1,15}(?:\.\d{1,10})?"  # bounded: a run of digits is no quadratic scan
PERCENT = re.compile(r"(" + NUM + r")\s*(?:%|percent)")


def numbers_in(text: str) -> list[str]:
    return re.findall(NUM, text)


def asked(text: str) -> str:
    """The last sentence when it is a question, else `text`; a decimal point ("2.5 kg?")
    ends no sentence. Scanned back from the end: a regex search here is quadratic."""
    end = len(text.rstrip())
    if not end or text[end - 1] != "?":
        return text
    at = end - 1
    while at > 0:
        at -= 1
        if text[at] in "!?" or (text[at] == "." and not (
                text[at - 1:at].isdigit() and text[at + 1:at + 2].isdigit())):
            return text[at + 1:]
    return text


def _percent_change(text: str) -> str | None:
    percent = PERCENT.search(text)
    if percent is None:
        return None
    others = [n for n in numbers_in(text[:percent.start()] + " " + text[percent.end():])]
    if len(others) != 1:
        return None
    amount, rate = others[0], percent.group(1)
    if re.search(r"\b(off|discount|decrease|reduced?|cheaper|sale|less)\b", text):
        return f"{amount}*(1-{rate}/100)"
    if re.search(r"\btip\b", text):
        return f"{amount}*{rate}/100"
    if re.search(r"\b(increase|raise|rise|more|tax|vat|interest|grows?|plus)\b", text):
        return f"{amount}*(1+{rate}/100)"
    return None


def _interest(text: str) -> str | None:
    """"1000 euros at 5% interest after 3 years" as 1000*(1+5/100)**3 (compound unless the
    message says simple interest)."""
    percent = PERCENT.search(text)
    years = re.search(r"\b(?:after|for|over|in)\s+(" + NUM + r")\s+years?\b", text)
    if percent is None or years is None or not re.search(r"\binterest\b", text) or \
            re.search(r"\bcompounded\s+(?:daily|weekly|monthly|quarterly|continuously)\b", text):
        return None
    rest = text[:percent.start()] + " " + text[percent.end():]
    others = [n for n in numbers_in(rest) if n != years.group(1)]
    if len(others) != 1 or len(numbers_in(rest)) != 2:
        return None
    amount, rate, count = others[0], percent.group(1), years.group(1)
    # "How much interest ...?" asks for the interest; "how much will I have" for the balance.
    only_interest = bool(re.search(r"\bhow\s+much\s+interest\b|\bwhat(?:'s|\s+is)\s+the\s+"
                                   r"(?:simple\s+|compound\s+|total\s+)?interest\b", text))
    less = f"-{amount}" if only_interest else ""
    if re.search(r"\bsimple\s+interest\b", text):
        return f"{amount}*(1+{rate}/100*{count}){less}"
    return f"{amount}*(1+{rate}/100)**{count}{less}"


def _percent_share(text: str) -> str | None:
    """"What percentage is 30 of 120?", "30 is what percent of 120?" as 30/120*100."""
    found = re.search(r"\bwhat\s+(?:percent(?:age)?|%)\s+(?:is|of)\s+(" + NUM + r")\s+"
                      r"(?:is\s+)?(?:of|out\s+of|from|is)\s+(" + NUM + r")\b|\b(" + NUM
                      + r")\s+is\s+what\s+(?:percent(?:age)?|%)\s+of\s+(" + NUM + r")\b", text)
    if found is None or len(numbers_in(text)) != 2:
        return None
    part, whole = (found.group(1), found.group(2)) if found.group(1) else (
        found.group(3), found.group(4))
    if re.search(r"\bwhat\s+(?:percent(?:age)?|%)\s+of\s+" + re.escape(part) + r"\s+is\b", text):
        part, whole = whole, part  # "what percentage of 80 is 14": 14 of 80
    return f"{part}/{whole}*100"


def _remaining(text: str) -> str | None:
    numbers = numbers_in(text)
    if len(numbers) != 2 or not re.search(r"\b(left|remain\w*|change|still have)\b",
                                          asked(text)):
        return None
    a, b = numbers
    return f"{a}-{b}" if float(a) >= float(b) else f"{b}-{a}"


def _share_or_total(text: str) -> str | None:
    numbers = numbers_in(text)
    if len(numbers) != 2:
        return None
    question = asked(text)
    big, small = sorted(numbers, key=float, reverse=True)
    if re.search(r"\b(each|per person|apiece|every one|everyone|per head)\b", question) and \
            re.search(r"\b(split|share|divide|equally|among|between)\b", text):
        return f"{big}/{small}"
    # "Split 120 euros between 4 people."
    if re.match(r"\W*(?:please\s+)?(?:split|share|divide)\b[^.?!]*\b(?:between|among|by|into)\s+"
                + re.escape(small) + r"\b", text):
        return f"{big}/{small}"
    # "... how much is that per can": one's price, not the total.
    one = re.search(r"\b(?:per|each|apiece|a piece)\s*(?:[a-z]+\s*)?\W*$", question)
    if not one and re.search(r"\b(each|every|per|a piece|apiece)\b", text) and re.search(
            r"\b(total|altogether|in all|after|how much (will|would|do|did)|"
            r"how much (is|does|would) (that|it|this)( cost)?)\b", question):
        return f"{numbers[0]}*{numbers[1]}"
    return None


def _scaled(text: str) -> str | None:
    """"300 g of pasta for 4 people; how much for 6?" and "A recipe for 4 needs 300 g ... for 6"."""
    if len(numbers_in(text)) != 3:
        return None
    if match := re.search(r"(" + NUM + r")\D+?\bfor (" + NUM + r")\b.*?\bfor (" + NUM
                          + r")\b", text):
        amount, given, wanted = match.groups()
    elif match := re.search(r"\bfor (" + NUM + r")\b\D+?(" + NUM + r")\D+?\bfor (" + NUM
                            + r")\b", text):
        given, amount, wanted = match.groups()
    else:
        return None
    return f"{amount}/{given}*{wanted}"


def _packs(text: str) -> str | None:
    match = re.search(r"\b(?:boxes|packs|packets|bags|cartons|crates|cases) of (" + NUM + r")",
                      text)
    numbers = numbers_in(text)
    if match is None or len(numbers) != 2 or "how many" not in asked(text):
        return None
    size = match.group(1)
    total = numbers[1] if numbers[0] == size else numbers[0]
    return f"-(-{total}//{size})"


MONEY = r"(?:[$€£]\s?)?(" + NUM + r")"
#: "paid with a 20 pound note", "I gave her 50", "pay with a $20 bill".
_PAID = re.compile(r"\b(?:paid|pay|paying|gave|give|hand(?:ed)?\s+over)\b(?:\s+\w+)?\s+(?:with\s+)?"
                   r"(?:an?\s+)?" + MONEY + r"(?:\s*(?:pounds?|euros?|dollars?|quid|bucks))?"
                   r"(?:\s+(?:note|bill))?\b")
#: "2 sandwiches at 6.75 each", then "a juice for 3.20".
EACH = re.compile(r"\b(" + NUM + r")\s+[a-z][a-z ]{0,30}?\s+(?:at|for)\s+" + MONEY
                   + r"(?:\s+\w+)?\s+(?:each|apiece|a piece)\b")
ONE_ITEM = re.compile(r"\b(?:an?|one|1)\s+[a-z][a-z ]{0,30}?\s+(?:for|at)\s+" + MONEY + r"\b")


def _change(text: str) -> str | None:
    """"2 sandwiches at 6.75 each and a juice for 3.20, paid with a 20 note: change?"."""
    paid = _PAID.search(text)
    if paid is None or not re.search(r"\b(change|back|left)\b", asked(text)):
        return None
    rest = text[:paid.start()] + " " + text[paid.end():]
    terms: list[str] = []
    for each in EACH.finditer(rest):
        terms.append(f"{each.group(1)}*{each.group(2)}")
    spent = EACH.sub(" ", rest)
    terms += [one.group(1) for one in ONE_ITEM.finditer(spent)]
    # Every other number must be one of the items: anything else is another problem.
    if not terms or numbers_in(ONE_ITEM.sub(" ", spent)):
        return None
    return f"{paid.group(1)}-({'+'.join(terms)})"


_PEOPLE = re.compile(r"\b(?:between|among|amongst|by|into|for)\s+(?:the\s+)?(" + NUM
                     + r")\b(?:\s+(?:of\s+us|people|persons|friends|ways))?|\b(" + NUM
                     + r")\s+(?:ways|people|persons|friends|of\s+us)\b")


def _tip_and_split(text: str) -> str | None:
    """"The bill is 64. Add a 20% tip and split it between 3 people." as 64*(1+20/100)/3."""
    percent = PERCENT.search(text)
    if percent is None or not re.search(r"\b(tip|service|tax|vat)\b", text) or \
            not re.search(r"\b(split|share|divide|divided|each)\b", text):
        return None
    rest = text[:percent.start()] + " " + text[percent.end():]
    people = _PEOPLE.search(rest)
    if people is None:
        return None
    count = people.group(1) or people.group(2)
    others = numbers_in(rest[:people.start()] + " " + rest[people.end():])
    if len(others) != 1:
        return None
    return f"{others[0]}*(1+{percent.group(1)}/100)/{count}"


TAKEN = re.compile(r"\b(spen[dt]s?|spending|los[et]s?|losing|eat(s|en)?|ate|us(e|es|ed|ing)|"
                   r"cancel(l?ed|s|l?ing)?|dropped out|backed out|can'?t come|couldn'?t come|"
                    r"s(ell|ells|old)|gave|give[sn]?|paid|pays?|drop(s|ped)?|got off|get off|"
                    r"left|leaves?|broke|break|died|missing|away)\b")


#: "45 on groceries", "$30 for petrol": an amount spent on something.
_SPENT_ON = re.compile(r"(?:[$€£]\s?)?(" + NUM + r")\s*(?:dollars|euros|pounds|quid|bucks)?\s+"
                       r"(?:on|for)\s+(?!(?:each|every|per)\b)[a-z]")


def _spent_total(text: str) -> str | None:
    """"I spent 45 on groceries and 30 on petrol. How much in total?" as 45+30."""
    if not re.search(r"\b(?:spent|spend|paid|pay)\b", text) or \
            not re.search(r"\b(?:total|altogether|in all|how much (?:did|have) i "
                          r"(?:spend|spent|pay|paid))\b", asked(text)):
        return None
    amounts = _SPENT_ON.findall(text)
    if len(amounts) < 2 or len(amounts) != len(numbers_in(text)):
        return None
    return "+".join(amounts)


def _more_or_fewer(text: str) -> str | None:
    """"I have 3 apples. I buy 4 more. How many ...?" as 3+4 ("2 fewer" as 3-2)."""
    numbers = numbers_in(text)
    if len(numbers) != 2:
        return None
    question = asked(text)
    if not re.search(r"\bhow (many|much)\b", question) or \
            re.search(r"\b(each|every|per|apiece)\b|\b(more|fewer|less) than\b", text) or \
            TAKEN.search(text):
        return None  # "spent 3 more", "5 more got off": more taken away, not more had
    first, second = numbers
    if re.search(r"\b(?:another|an extra) " + re.escape(second) + r"\b|\b" + re.escape(second)
                 + r" (?:\w+ )?(?:more|extra)\b", text):
        return f"{first}+{second}"
    if re.search(r"\b" + re.escape(second) + r" (?:\w+ )?(?:fewer|less)\b", text):
        return f"{first}-{second}"
    return None


#: How many of the first period one of the second holds, for "N a month ... for a year".
_PERIODS = {("day", "week"): "7", ("day", "year"): "365",
            ("week", "year"): "52", ("month", "year"): "12"}
_PER = re.compile(r"(" + NUM + r")\s*(?:\w+\s+)?(?:a|an|per|each|every)\s+"
                  r"(hour|day|week|month|year)\b")
_FOR_PERIOD = re.compile(r"\b(?:for|in|per|over|each|every|after)\s+(?:a|an|one|the|a\s+whole|"
                         r"a\s+full|an\s+entire|the\s+whole)?\s*(hour|day|week|month|year)\b")


def per_period(text: str) -> str | None:
    """"My rent is 850 a month. How much is that for a whole year?" as 850*12."""
    numbers = numbers_in(text)
    per, wanted = _PER.search(text), _FOR_PERIOD.search(asked(text))
    if len(numbers) != 1 or per is None or wanted is None or \
            not re.search(r"\bhow (much|many|far|long)\b", asked(text)):
        return None
    # "I run 5 km a day. How many calories ...?" asks about another thing than km.
    thing = re.search(r"\bhow many (?!(?:do|does|did|are|is|was|were|will|can|have|has|of)\b)(\w+)",
                      asked(text))
    counted = re.match(r"\s*(\w+)", text[per.end(1):])
    if thing and (counted is None or thing.group(1).rstrip("s") != counted.group(1).rstrip("s")):
        return None
    factor = _PERIODS.get((per.group(2), wanted.group(1)))
    return f"{per.group(1)}*{factor}" if factor else None


#: "6 litres per 100 km", "60 words per minute", "3 euros per kg", "1.80 a litre".
_RATE = re.compile(r"(" + NUM + r")\s*(?:([a-z]{1,15})(?:\s+of\s+[a-z]{1,15})?\s+)?"
                   r"(?:per\s+(?:(" + NUM
                   + r")\s*)?|an?\s+)([a-z]{1,15})\b")


def _unit(word: str | None) -> str | None:
    return unit_key(word) if word else None


def _rate(text: str) -> str | None:
    """"My car uses 6 litres per 100 km. I'm driving 350 km. How much fuel?" as 6*350/100,
    and "60 words per minute ... how long for 900 words?" as 900/60: the one other
    amount, in either unit of the rate."""
    rate = _RATE.search(text)
    if rate is None or not re.search(r"\bhow (much|many|long|far)\b|\bwhat\b.*\b(?:cost|pay|"
                                     r"earn\w*|wages?|total|bill|price|fare)\b", asked(text)):
        return None
    amount, top, per, bottom = rate.groups()
    rest = text[:rate.start()] + " " + text[rate.end():]
    # A second rate ("3 cups a day ... per week") or an answer in another unit ("30 cents per
    # kWh ... in euros") is another problem.
    asked_in = re.search(r"\bin\s+([a-z]{2,15})\s*\?\s*$", text)
    if re.search(r"\b(?:a|an|per|each|every)\s+(?:hour|day|week|month|year)\b", rest) or (
            asked_in and _unit(asked_in.group(1)) not in (_unit(top), _unit(bottom))):
        return None
    given = list(re.finditer(r"(" + NUM + r")\s*([a-z]{1,15})?", rest))
    if len(given) != 1 or _unit(bottom) in (None, "a", "an"):
        return None
    count, unit = given[0].group(1), _unit(given[0].group(2))
    per = per or "1"
    if unit == _unit(bottom):
        return f"{amount}*{count}/{per}"
    if top and unit == _unit(top) and float(amount):
        return f"{count}*{per}/{amount}"
    return None


#: The rules in the order `_sums.word_problem` tries them, after its own first ones.
RULES: tuple[Callable[[str], str | None], ...] = (
    _change, _tip_and_split, _interest, _percent_share, _percent_change, _packs, _scaled,
    _remaining, _spent_total, _share_or_total, _more_or_fewer, per_period, _rate)
