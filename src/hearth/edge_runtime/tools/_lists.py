"""Lists kept by talking: "Add milk to my shopping list", "Also add bread", "What is on it?".

People keep shopping and to-do lists in a chat without a list tool: they say
what to add and, later, ask what is on the list. Search by words finds "Add
milk to my shopping list" but not the "Also add bread" that followed it, so
recall answered with half a list. A question about a named list is answered
here from what the user said, in order: additions to that list, follow-ups
("also add ...", "and eggs") right after one, and removals ("take milk off
my shopping list").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LIST = r"(?:my|the|our)\s+(?P<list>(?:[\w-]+\s+){0,2}?)list\b(?!\s+of\b)"
#: "What is on my shopping list?", "what's in the to-do list", "read me my grocery list".
_ASKED = re.compile(r"\b(?:what(?:'s|\s+is|\s+are|\s+do\s+i\s+have|\s+have\s+i\s+got)?|"
                    r"read\s+(?:me\s+)?|tell\s+me|show\s+(?:me\s+)?)\b[^?]{0,30}?\b(?:on|in)?\s*"
                    + _LIST, re.I)
#: Not an addition: "Don't add ...", "Should I add ...?", "I forgot to put ...".
_NOT_DONE = re.compile(r"\b(?:don'?t|do not|never|should|shall|could|would|forgot|forget|"
                       r"whether|if)\b[^.!?;]{0,20}$", re.I)
_ADD = re.compile(r"\b(?:add|put|write(?:\s+down)?|include)\s+(?P<items>[^.!?;]{1,80}?)\s+"
                  r"(?:to|on(?:to)?|in)\s+" + _LIST, re.I)
_REMOVE = re.compile(r"\b(?:remove|delete|take|cross|scratch)\s+(?P<items>[^.!?;]{1,80}?)\s+"
                     r"(?:off|from|out\s+of)\s+" + _LIST, re.I)
_CLEAR = re.compile(r"\b(?:clear|empty|wipe|reset)\s+" + _LIST, re.I)
#: A follow-up that adds to the list just talked about: "Also add bread.", "And eggs, too."
_MORE = re.compile(r"^\W*(?:(?:also|and|oh|plus|please)[\s,]+)*(?:add\s+|put\s+)?"
                   r"(?P<items>[^.!?;]{1,60}?)(?:[\s,]+(?:too|as\s+well|also))?\W*$", re.I)
_MORE_CUE = re.compile(r"^\W*(?:(?:also|and|plus)\b|(?:add|put)\b)", re.I)
#: ... but not a question, a greeting or another request after "also" or "and".
_NOT_ITEM = re.compile(r"\b(?:i|me|you|my|your|it|what|how|who|when|where|why|which|thanks?|"
                       r"thank|please|remind|remove|take|delete|hello|hi|bye|is|are|was|on)\b"
                       r"|\d\s*[-+*/]\s*\d", re.I)
_ARTICLE = re.compile(r"^(?:some|a|an|the|more)\s+", re.I)
#: Most words an item of a list has ("2 litres of oat milk").
MAX_ITEM_WORDS = 4


def asked_list(question: str) -> str | None:
    """The name of the list `question` asks about ("shopping"), "" for an unnamed one, or None."""
    found = _ASKED.search(question)
    return " ".join(found.group("list").split()).lower() if found else None


def _items(text: str) -> list[str]:
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text.strip())
    return [_ARTICLE.sub("", p).strip() for p in parts if p.strip()]


def _added(items: list[str], new: list[str]) -> list[str]:
    known = {i.lower() for i in items}
    return items + [i for i in new if i.lower() not in known]


def _removed(items: list[str], gone: list[str]) -> list[str]:
    drop = {i.lower() for i in gone}
    return [i for i in items if i.lower() not in drop]


def _list_name(found: re.Match[str]) -> str:
    return " ".join(found.group("list").split()).lower()


def _follow_up(text: str) -> list[str] | None:
    """The items a follow-up ("Also add bread.") adds, or None when it is no addition."""
    if text.rstrip().endswith("?") or not _MORE_CUE.search(text):
        return None
    more = _MORE.match(text)
    if more is None:
        return None
    items = _items(more.group("items"))
    if not items or any(_NOT_ITEM.search(i) or len(i.split()) > MAX_ITEM_WORDS for i in items):
        return None
    return items


def list_items(said: Iterable[str], name: str) -> list[str] | None:
    """What is on list `name` after the user's messages `said` (oldest first), or None.

    None when nothing was ever added to that list. Follow-ups count only
    right after a message about the same list. `name` "" (a question about
    "my list") means the one list the user keeps, and None when there are several.
    """
    said = list(said)
    if not name:
        names = {_list_name(m) for t in said for m in (*_ADD.finditer(t), *_REMOVE.finditer(t))}
        if len(names) != 1:
            return None
        name = names.pop()
    items: list[str] = []
    current: str | None = None
    seen = False
    for text in said:
        added, removed, cleared = _ADD.search(text), _REMOVE.search(text), _CLEAR.search(text)
        if added and _NOT_DONE.search(text[:added.start()]):
            added = None
        if found := (added or removed or cleared):
            current = _list_name(found)
            if current == name:
                seen = True
                if cleared and not (added or removed):
                    items = []
                else:
                    named = _items(found.group("items"))
                    items = _added(items, named) if added else _removed(items, named)
            continue
        if current == name and (more := _follow_up(text)) is not None:
            items = _added(items, more)
            continue
        if not text.rstrip().endswith("?"):
            current = None  # another subject: a later "and eggs" is not about the list
    return items if seen else None


def list_sentence(name: str, items: list[str]) -> str:
    """"The user's shopping list has milk and bread." (third person, as facts are kept)."""
    title = f"The user's {name} list" if name else "The user's list"
    if not items:
        return f"{title} is empty."
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"{title} has {listed}."
