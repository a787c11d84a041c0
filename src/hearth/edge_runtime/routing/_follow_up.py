"""A request that points back at the last one: "Now turn it off again."

"Turn on the bedroom light." then "Now turn it off again." names no room: the
room is in the turn before. A 135M model given the follow-up alone puts a
word of it in the room ("off", "off again"). A request that refers back (an
action on "it" or "them", "again", "the same", "instead") is read with the
user's previous turn before it, and what the readers read in the message
itself ("off") beats what the previous turn said ("on"). Only a request
that opens with an action counts: "Is it going to rain?", "Thanks again!",
"My back hurts again" and "Can you say that again?" are no follow-ups.
"""

from __future__ import annotations

import re

#: An action verb opening the request, after "now", "ok", "please", "and", "then".
_ACTION = (r"^\W*(?:(?:now|ok|okay|please|and|then|so|actually)[\s,]+)*(?:turn|switch|set|put|"
           r"move|send|play|open|close|lock|unlock|book|cancel|change|make|do|delete|remove|dim|"
           r"raise|lower|start|stop|add|order|call|show|get)\b")
#: ... and a word that points back at the last request.
_BACK = r"\b(?:it|them|that|those|this one|again|the same|instead)\b"
_REFERS_BACK = re.compile(_ACTION + r"(?=[^?]*" + _BACK + r")[^?]*$", re.IGNORECASE)
#: Longest previous turn joined to a follow-up; a longer one is another conversation.
MAX_PREVIOUS_CHARS = 300


def follow_up_context(user: str, earlier: list[str]) -> str | None:
    """The user's previous turn and `user` as one text when `user` refers back, else None."""
    if not earlier or not _REFERS_BACK.search(user):
        return None
    previous = earlier[-1].strip()
    if not previous or len(previous) > MAX_PREVIOUS_CHARS or previous.endswith("?"):
        return None
    return f"{previous} {user.strip()}"
