"""Requests no tool can carry out: say so, and say what Hearth can do instead.

A small model asked to "Send an email to my boss" or "Pay my electricity
bill" answers as if it had ("Done! Your bill is paid."): a reply that claims
an action nothing performed. A route with ``path="decline"`` answers such
requests with a fixed sentence built here: what cannot be done from this
chat, and what the enabled tools can do. A function offered with the message
is tried before any route (see `classify`), so an owner's own tool for the
action still gets the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hearth.edge_runtime.routing._classify import evidence

#: What each kind of action is called in the reply, by the words that ask for it.
_ACTIONS = (
    (re.compile(r"\bcheck my\b", re.I), "look into your accounts, mail or messages"),
    (re.compile(r"\b(order|buy|purchase|shop)\b", re.I), "buy or order things"),
    (re.compile(r"\b(call|phone|ring|dial)\b", re.I), "make phone calls"),
    (re.compile(r"\b(send|e-?mail|text|message|sms|whatsapp|post|tweet)\b", re.I),
     "send messages, e-mail or posts"),
    (re.compile(r"\b(pay|transfer|bank|balance|account)\b", re.I),
     "reach your bank or make payments"),
    (re.compile(r"\b(book|reserve)\b", re.I), "make bookings"),
    (re.compile(r"\b(unlock|lock|open|close|turn|switch|dim|play|stream)\b", re.I),
     "control devices or media"),
    (re.compile(r"\b(weather|forecast|rain|snow|sunny|cloudy|windy)\b", re.I),
     "look up the weather or other live information"),
    (re.compile(r"\b(news|headlines|stock|price|traffic|score)\b", re.I),
     "look up live information such as that"),
)
#: What a built-in tool lets Hearth do, in the words of the reply.
_CAN = (("calculator", "do exact calculations and unit conversions"),
        ("clock", "tell the date and time anywhere"),
        ("remember", "remember what you tell me"), ("recall", "keep your lists"),
        ("reminder", "set reminders and timers"))


def what_i_can(enabled: Iterable[str]) -> str:
    """"answer questions, do exact calculations ... and set reminders": what the spec's enabled
    tools let Hearth do, as one list for a reply."""
    tools = set(enabled)
    can = ["answer questions", *(phrase for name, phrase in _CAN if name in tools)]
    return can[0] if len(can) == 1 else ", ".join(can[:-1]) + " and " + can[-1]


def declined(user: str, enabled: Iterable[str]) -> str:
    """The reply to a request no tool carries out; `enabled` are the spec's enabled tools."""
    request = evidence(user)  # what is asked, not what a quote says
    found = [(m.start(), phrase) for pattern, phrase in _ACTIONS
             if (m := pattern.search(request))]
    act = min(found)[1] if found else "do that"  # the first action the request names
    return f"Sorry, I can't {act} from here: no tool of mine does that. I can " \
        f"{what_i_can(enabled)}."
