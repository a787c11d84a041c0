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

_LIST = (r"(?:my|the|our)\s+(?:(?:whole|full|entire|complete|current|updated|new)\s+)?"
         r"(?P<list>(?:[\w-]+\s+){0,2}?)list\b(?!\s+of\b)")
#: "What is on my shopping list?", "what's in the to-do list", "read me my grocery list",
#: "how many items are on my packing list?".
#: "what" asks what is on or in a list, or what "my list" is; "What's the best list app?" and
#: "the current list price" ask about other things.
_ASKED = re.compile(r"\b(?:what(?:'s|\s+is|\s+are|\s+do\s+i\s+have|\s+have\s+i\s+got)?\b"
                    r"[^?]{0,30}?\b(?:on|in)\s+" + _LIST + r"|what(?:'s|\s+is)\s+(?:my|our)\s+"
                    r"(?P<own>(?:[\w-]+\s+){0,2}?)list\b(?!\s+of\b)|"
                    r"(?:read\s+(?:me\s+)?|tell\s+me|show\s+(?:me\s+)?|"
                    r"how\s+many\s+(?:items|things)\b)[^?]{0,30}?\b(?:on|in)?\s*"
                    + _LIST.replace("?P<list>", "?P<told>") + ")", re.I)
#: A list started by name: "I'm making a shopping list.", "Things to pack: a, b, c".
_STARTED = re.compile(r"\b(?:making|make|start(?:ing)?|writ(?:e|ing)|keep(?:ing)?|creat(?:e|ing)|"
                      r"doing|new)\s+(?:a|an|my|our|the)\s+(?P<list>(?:[\w-]+\s+){0,2}?)list\b"
                      r"(?!\s+of\b)", re.I)
_LISTED = re.compile(r"^\W*(?:(?:my|the|our)\s+(?P<list>(?:[\w-]+\s+){0,2}?)list|"
                     r"(?P<kind>to-?do)(?:\s+list)?(?:\s+for\s+(?:today|tomorrow|the\s+\w+))?|"
                     r"(?:things|stuff|items)\s+(?:to|i\s+need\s+to)\s+(?P<verb>\w+))\s*:\s*"
                     r"(?P<items>[^.!?;]{1,200})", re.I)
#: Not an addition: "Don't add ...", "Should I add ...?", "I forgot to put ...".
_NOT_DONE = re.compile(r"\b(?:don'?t|do not|never|should|shall|could|would|forgot|forget|"
                       r"whether|if)\b[^.!?;]{0,20}$", re.I)
_ADD = re.compile(r"\b(?:add|put|write(?:\s+down)?|include)\s+(?P<items>[^.!?;]{1,80}?)\s+"
                  r"(?:to|on(?:to)?|in)\s+" + _LIST, re.I)
_REMOVE = re.compile(r"\b(?:remove|delete|take|cross|scratch)\s+(?P<items>[^.!?;]{1,80}?)\s+"
                     r"(?:off|from|out\s+of)\s+" + _LIST, re.I)
#: "take eggs off" / "remove the milk" right after talk about a list: from that list.
_NOT_THAT = r"(?!it\b|that\b|them\b)"
_TAKE_OFF = re.compile(r"\b(?:take|cross|scratch)\s+(?P<items>" + _NOT_THAT + r"[^.!?;,]{1,40}?)"
                       r"\s+off\b|\b(?:remove|delete)\s+(?P<gone>" + _NOT_THAT + r"[^.!?;,]{1,40}?)"
                       r"\s*(?:[.!?;,]|$)", re.I)
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
#: Longest message read for list items.
MAX_TEXT_CHARS = 2000


def asked_list(question: str) -> str | None:
    """The name of the list `question` asks about ("shopping"), "" for an unnamed one, or None."""
    if not (found := _ASKED.search(question)):
        return None
    name = found.group("list") or found.group("own") or found.group("told") or ""
    name = " ".join(name.split()).lower()
    return "to-do" if name in ("todo", "to do") else name


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
    groups = found.groupdict()
    name = groups.get("list") or groups.get("kind") or groups.get("verb") or ""
    name = " ".join(name.split()).lower()
    return "to-do" if name in ("todo", "to do") else name


def _same(a: str, b: str) -> bool:
    """"packing" and "pack" ("Things to pack:") name one list."""
    def stem(name: str) -> str:
        return re.sub(r"(?:ing|s)$", "", name)
    return a == b or stem(a) == stem(b)


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


_THEN = re.compile(r",?\s+and\s+(?=(?:also\s+)?(?:add|put|remove|take|delete)\b)", re.I)


def _sentences(said: Iterable[str]) -> list[str]:
    """The user's sentences in order: "Take X off the list and add Y" is two steps."""
    out = []
    for text in said:
        if len(text) > MAX_TEXT_CHARS:
            continue  # a list is said in short messages
        for sentence in re.split(r"(?<=[.!;])\s+", text.strip()):
            out += [p for p in _THEN.split(sentence) if p.strip()]
    return out


def _names(sentences: list[str]) -> set[str]:
    found = (*(_ADD.search(t) for t in sentences), *(_REMOVE.search(t) for t in sentences),
             *(_STARTED.search(t) for t in sentences), *(_LISTED.match(t) for t in sentences))
    return {name for m in found if m is not None and (name := _list_name(m))}


def list_items(said: Iterable[str], name: str) -> list[str] | None:
    """What is on list `name` after the user's messages `said` (oldest first), or None.

    None when nothing was ever added to that list. Follow-ups count only
    right after a message about the same list; "the list" means the one just
    talked about. `name` "" (a question about "my list") means the one list
    the user keeps, and None when there are several.
    """
    sentences = _sentences(said)
    if not name:
        names = _names(sentences)
        if len(names) != 1:
            return None
        name = names.pop()
    items: list[str] = []
    current: str | None = None
    seen = False
    for text in sentences:
        added, removed, cleared = _ADD.search(text), _REMOVE.search(text), _CLEAR.search(text)
        if added and _NOT_DONE.search(text[:added.start()]):
            added = None
        listed = _LISTED.match(text)
        if started := (_STARTED.search(text) if not (added or removed or cleared) else None):
            current = _list_name(started)
            if _same(current, name):
                seen = True
                # "start a shopping list: eggs" starts it with eggs.
                if (first := re.match(r"(?:\s+for\s+(?:me|us|today))?\s*:\s*([^.!?;]{1,200})",
                                      text[started.end():])) and \
                        not any(_NOT_ITEM.search(i) for i in _items(first.group(1))):
                    items = _added(items, _items(first.group(1)))
            continue
        if found := (added or removed or cleared or listed):
            # "the list" is the list being talked about.
            current = _list_name(found) or current or ""
            if _same(current, name):
                seen = True
                if cleared and not (added or removed):
                    items = []
                else:
                    named = _items(found.group("items"))
                    if found is listed and any(_NOT_ITEM.search(i) for i in named):
                        continue  # "To-do: nothing much, I'm relaxing" lists nothing
                    items = _removed(items, named) if removed else _added(items, named)
            continue
        if current is not None and _same(current, name) and \
                (more := _follow_up(text)) is not None:
            items = _added(items, more)
            continue
        if current is not None and _same(current, name) and (gone := _TAKE_OFF.search(text)) \
                and not text.rstrip().endswith("?") and not _NOT_DONE.search(text[:gone.start()]):
            items = _removed(items, _items(gone.group("items") or gone.group("gone")))
            continue
        # Another subject ends the list talk ("and eggs" after it is no item); "oh", "ok"
        # and questions do not.
        if not text.rstrip().endswith("?") and not asked_list(text) and len(text.split()) > 2:
            current = None
    return items if seen else None


def list_sentence(name: str, items: list[str]) -> str:
    """"The user's shopping list has milk and bread." (third person, as facts are kept)."""
    title = f"The user's {name} list" if name else "The user's list"
    if not items:
        return f"{title} is empty."
    if len(items) == 1:
        return f"{title} has 1 item: {items[0]}."
    listed = ", ".join(items[:-1]) + " and " + items[-1]
    return f"{title} has {len(items)} items: {listed}."


def changed_list(message: str, earlier: list[str]) -> str | None:
    """The name of the list `message` changes ("Add eggs to my shopping list": "shopping";
    "" for "the list"), or None when it changes none. A follow-up ("Also add bread.")
    changes the list the user's previous message changed."""
    if message.rstrip().endswith("?") or len(message) > MAX_TEXT_CHARS:
        return None
    for text in _sentences([message]):
        added, removed = _ADD.search(text), _REMOVE.search(text)
        if added and _NOT_DONE.search(text[:added.start()]):
            added = None
        # Not a list started ("Write a shopping list for a BBQ" asks for a new one).
        if found := (added or removed or _CLEAR.search(text) or _LISTED.match(text)):
            return _list_name(found)
    if earlier and _follow_up(message) is not None:
        return changed_list(earlier[-1], [])
    return None
