"""A JSON reply with the keys the message names, written under a grammar.

"Extract JSON with keys "payee" and "month" from: ..." asks for one object
with exactly those keys. A small model starts with "{" and stops, writes
prose about JSON, or invents other keys. The keys (and the values a key may
take, "(low, medium or high)", "whose value is "positive" or "negative"") are
read from the message, and the reply is generated under that JSON schema, so
it is always a well-formed object with those keys.

With `copy_spans` (models too small to copy faithfully), a free value must be
a span of the text the message quotes (or of the message), as offered tool
arguments are (`_tool_prompts.bounded`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hearth.edge_runtime._tool_prompts import MAX_ARGUMENT_CHARS, message_spans

_ASKS_JSON = re.compile(r"\bjson(?:ify)?\b", re.IGNORECASE)
#: Quoted keys after "keys", "fields", "with" or a colon: 'with "store", "total" and "payment"'.
_KEYS = re.compile(r"(?:\bkeys?\b|\bfields?\b|\bwith\b|:)((?:\s*(?:,|and|&)?\s*[\"“]"
                   r"[A-Za-z_][\w ]{0,30}[\"”])+)",
                   re.IGNORECASE)
_NAME = re.compile(r"[\"“]([A-Za-z_][\w ]{0,30})[\"”]")
#: Unquoted key lists: "with keys event, day and time", "keys sentiment (positive or
#: negative) and dish", "Extract name, age and job as JSON".
_WORD = r"[A-Za-z_][\w-]{0,30}"
_ITEM = re.compile(r"(" + _WORD + r")(?:\s*[(\[][^()\[\]]{1,120}[)\]])?")
_SEP = re.compile(r"\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|/(?=[a-z_])")
_LIST = _ITEM.pattern + r"(?:(?:" + _SEP.pattern + r")" + _ITEM.pattern + r")*"
# "with keys a, b", "under the key items".
_WITH_KEYS = re.compile(r"\b(?:with|having|containing|using|under)\s+(?:the\s+)?(?:one|two|three|"
                        r"four|five|six|\d{1,2})?\s*(?:keys?|fields?|properties)\s*:?\s*[\[(]?\s*"
                        r"(?P<list>"
                        + _LIST + ")", re.IGNORECASE)
_AS_JSON = re.compile(r"\b(?:extract|give\s+me|return|get|pull\s+out|put|turn|write|output)\s+"
                      r"(?:the\s+)?(?P<list>" + _LIST + r")\s+(?:as|in|into)\s+(?:an?\s+)?json\b",
                      re.IGNORECASE)
#: Any list of lower-case names after a cue: "JSON (item, price, store)", "Keys: task, when",
#: "as JSON please — order_number, product", "pull out rent, bedrooms and neighbourhood".
_CUED = re.compile(
    r"(?i:\bkeys?\b|\bfields?\b|\bproperties\b|\bwith\b|\bw/|\bjson(?:ify\s+it)?\b(?:\s+(?:object|"
    r"format))?|:|\(|\[|\{|—|–|"
    r"\s-|\bpull\s+out\b|\bextract\b|\bgive\s+me\b|\breturn\b|\bcontaining\b|\bincluding\b|"
    r"\busing\b|\bwhat(?:'s|\s+is|\s+are)\b)\s*(?i:(?:the|these|those)\s+)?"
    r"(?P<list>[a-z_][a-z0-9_-]{0,30}(?:\s*[(\[][^()\[\]]{1,120}[)\]])?"
    r"(?:(?:" + _SEP.pattern + r")[a-z_][a-z0-9_-]{0,30}(?:\s*[(\[][^()\[\]]{1,120}[)\]])?)+)")
_CODE_TALK = re.compile(
    r"\b(?:python|javascript|typescript|java|golang|rust|c#|php|ruby|code|function|schema|script|"
    r"dict|dictionary|array|api|endpoint|json\.\w+|(?:json|a)\s+list|json\s+file)\b|\bin\s+go\b",
    re.IGNORECASE)
_HOW_WHY = re.compile(r"\b(?:how|why)\b[^.!?]*\?|\bpros\s+and\s+cons\b|\b(?:dis)?advantages\b|"
                      r"\bdifferences?\b|\bcompar(?:e|ed|ison)\b|\bversus\b|\bvs\b", re.IGNORECASE)
#: A question about JSON itself ("Explain JSON: objects, arrays and strings") names no keys.
_ABOUT_JSON = re.compile(r"^\W*(?:explain|what|describe|define|how|why|tell\s+me\s+about|is|are|"
                         r"does|do|can)\b", re.IGNORECASE)
_WANTS_JSON = re.compile(r"\b(?:as|in|into)\s+(?:an?\s+)?json\b|\b(?:give|return|answer|reply|"
                         r"respond|output|put|turn|convert|format|make|write)\b[^.?!]{0,40}\bjson\b",
                         re.IGNORECASE)
_NEAR_JSON = re.compile(r"\bjson|\bkeys?\b|\bfields?\b", re.IGNORECASE)
#: Words that end an unquoted key list ("with keys name and city and reply with ...").
_NOT_KEYS = frozenset({"a", "an", "and", "as", "json", "object", "of", "only", "or", "please",
                       "reply", "that", "the", "which", "whose", "then", "just"})
#: Prepositions are keys only inside the list ("keys from, to and day", "amount, from
#: and to"), not where they end it ("keys name and city from the text").
_PREPOSITIONS = frozenset({"from", "to", "for", "in", "into", "with", "at", "on", "by"})
_LIST_GOES_ON = re.compile(r"\s*(?:,|&|and\b|:)", re.IGNORECASE)
_FILL = re.compile(r"\b(?:fill(?:ed)?(?:\s+in|\s+out)?|complete|populate)\b", re.IGNORECASE)
#: A template to fill: 'Fill in this JSON ...: {"name": "", "age": ""}'.
_TEMPLATE = re.compile(r"\{[^{}]{2,600}\}")
#: Choices right after a key: ("priority" (low, medium or high)) or (whose value is "a" or "b").
_IN_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]{1,120})[)\]]")
_WHOSE = re.compile(r"\s*(?:whose\s+value\s+is|which\s+is|that\s+is|one\s+of)\s+"
                    r"((?:[\"“][^\"”]{1,30}[\"”]\s*(?:,\s*|\s+or\s+|,\s*or\s+)?){2,})",
                    re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
#: Single-quoted text: 'I'm taking the train ...' (an apostrophe inside a word does not end it).
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s:(]))['‘](\S.{1,}?)['’](?=[\s.,;:!?)]|$)")
#: Most keys a reply schema takes; more is a document, not an extraction.
MAX_KEYS = 12


def _choices(after: str) -> list[str] | None:
    if found := _WHOSE.match(after):
        return _NAME.findall(found.group(1)) or re.findall(r"[\"“]([^\"”]+)[\"”]",
                                                           found.group(1))
    if found := _IN_BRACKETS.match(after):
        listed = re.sub(r"^\s*(?:one\s+of|either)\s*:?\s*", "", found.group(1), flags=re.IGNORECASE)
        options = [o.strip(" '\"") for o in re.split(r",|\||/|\bor\b", listed)]
        options = [o for o in options if o and len(o.split()) <= 3]
        return options if len(options) >= 2 else None
    return None


@dataclass(frozen=True)
class JsonRequest:
    """What a message asking for a JSON object names: its keys and the text they describe."""

    #: Each key, with the values the message lists for it ("(low, medium or high)") or None.
    keys: dict[str, list[str] | None]
    #: The text the values come from: what the message quotes, else the message.
    data: str


def _quoted_keys(message: str) -> tuple[dict[str, list[str] | None], tuple[int, int]] | None:
    if not (found := _KEYS.search(message)):
        return None
    keys = {name.group(1).strip(): _choices(message[found.start(1) + name.end():])
            for name in _NAME.finditer(found.group(1))}
    return keys, found.span()


def _template_keys(message: str) -> tuple[dict[str, list[str] | None], tuple[int, int]] | None:
    for found in _TEMPLATE.finditer(message):
        try:
            template = json.loads(found.group())
        except ValueError:
            # '{"restaurant": ..., "people": ...}': a sketch, not JSON; its keys still count.
            template = dict.fromkeys(re.findall(r"[\"“]([A-Za-z_][\w ]{0,30})[\"”]\s*:",
                                                found.group()))
        if not template:
            # "{name, phone, email}": the names alone.
            bare = re.fullmatch(r"\{\s*([a-z_]\w{0,30}(?:\s*,\s*[a-z_]\w{0,30})+)\s*\}",
                                found.group())
            template = dict.fromkeys(re.split(r"\s*,\s*", bare.group(1))) if bare else {}
        if isinstance(template, dict) and template:
            return {str(key): _sketched(found.group(), str(key)) for key in template}, found.span()
    return None


def _sketched(template: str, key: str) -> list[str] | None:
    """Choices a sketch gives a key: '"sentiment": positive|negative|neutral'."""
    found = re.search(r"[\"“]" + re.escape(key) + r"[\"”]\s*:\s*([\w-]+(?:\s*\|\s*[\w-]+)+)",
                      template)
    return re.split(r"\s*\|\s*", found.group(1)) if found else None


def _listed_keys(message: str) -> tuple[dict[str, list[str] | None], tuple[int, int]] | None:
    """Unquoted keys, read up to the first word that cannot be one ("... and reply")."""
    about = _ABOUT_JSON.match(message) and not _WANTS_JSON.search(message)
    # A list after a cue counts near "json": "JSON (a, b)", "JSON: a, b", "a, b as JSON";
    # not "Give me the pros and cons of JSON".
    cued = () if about else (m for m in _CUED.finditer(message)
                             if _NEAR_JSON.search(_around(message, m.start("list"))))
    for found in (_WITH_KEYS.search(message), _AS_JSON.search(message), *cued):
        if found is not None and (read := _read_list(message, found)) is not None:
            return read
    return None


def _around(message: str, at: int) -> str:
    """The sentence holding position `at` and the one after it ("What's the event, location
    and day here? Answer as JSON using those words as keys.")."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", message)]
    start = max([e for e in ends if e <= at], default=0)
    after = [e for e in ends if e > at]
    return message[start:after[1] if len(after) > 1 else len(message)]


def _read_list(message: str, found: re.Match[str],
               ) -> tuple[dict[str, list[str] | None], tuple[int, int]] | None:
    keys: dict[str, list[str] | None] = {}
    at, end = found.start("list"), found.end("list")
    last = False  # after "and": the list's last key
    while item := _ITEM.match(message, at, end):
        word = item.group(1).lower()
        if word in _NOT_KEYS or (word in _PREPOSITIONS and not last
                                 and not _LIST_GOES_ON.match(message, item.end())):
            break
        keys[item.group(1)] = _choices(message[item.end(1):])
        at = item.end()
        if not (sep := _SEP.match(message, at, end)):
            break
        at, last = sep.end(), "and" in sep.group().lower() and "," not in sep.group()
    # "Extract name, age and job as JSON" names at least two; one bare word is no list.
    if not keys or (found.re is not _WITH_KEYS and len(keys) < 2):
        return None
    return keys, (found.start(), at)


def json_request(message: str) -> JsonRequest | None:
    """The object `message` asks for, or None when it asks for none (or for too many keys).

    Keys are read quoted ('with keys "task" and "time"'), from a template to
    fill ('{"name": "", "age": ""}') or as a plain list ("with keys event, day
    and time", "Extract name, age and job as JSON").
    """
    # Code, a JSON list, or a question about JSON ("how do I parse JSON with keys id and
    # name in Go?") asks for no object to be written here.
    if _CODE_TALK.search(message) or _HOW_WHY.search(message):
        return None
    if not _ASKS_JSON.search(message):
        # "Fill in this template {"from": "", "to": ""} using: ..." asks for JSON unnamed.
        read = _template_keys(message) if _FILL.search(message) else None
    else:
        read = _quoted_keys(message) or _template_keys(message) or _listed_keys(message)
    if read is None or not read[0] or len(read[0]) > MAX_KEYS:
        return None
    keys, (start, end) = read
    # The data is what the message quotes, apart from the key names themselves (cut out
    # first: a two-letter key's closing quote would otherwise open a quote).
    rest = message[:start] + " " + message[end:]
    data = [q for q in _QUOTED.findall(rest) if q.strip() not in keys]
    if not data:
        data = [q for q in _SINGLE_QUOTED.findall(rest) if q.strip() not in keys]
    # A short quote ("reference 'March rent'") is a value inside the data, not the data.
    if len(" ".join(data).split()) < _DATA_WORDS:
        data = []
    return JsonRequest(keys=keys, data=" ".join(data) or _unquoted_data(message, start, end))


#: What leads into the data after a key list: "...: ", "for this review: ", "using: ".
_LEAD_IN = re.compile(r"^[\s)\]}.:;,!?—–-]*(?:\([^()]{0,80}\)[\s.:;,]*)?"
                      r"(?:(?:as|in|into|to)\s+(?:an?\s+)?json(?:\s+(?:object|format))?\s*)?"
                      r"(?:[^:.!?\n\d]{0,40}?:(?!\d)\s*)?",
                      re.IGNORECASE)
#: Fewest words the text after the key list must have to be the data.
_DATA_WORDS = 4


def _unquoted_data(message: str, start: int, end: int) -> str:
    """The data of a request that quotes none: what follows the key list, else what precedes.

    "Turn this into JSON (item, price, store): I bought ..." gives the text
    after the list; "I lent Dev 40 quid ... Put that in JSON: who, amount,
    reason." the text before it.
    """
    after = message[end:]
    after = after[_LEAD_IN.match(after).end():].strip()  # type: ignore[union-attr]
    if len(after.split()) >= _DATA_WORDS:
        return after
    before = message[:start].strip()
    # "I lent Dev 40 quid ... Put that in JSON: ...": the sentences before the request's own.
    if (ends := list(re.finditer(r"[.!?](?=\s)|\s(?:->|→|—)(?=\s)", before))) and \
            len(before[:ends[-1].end()].split()) >= _DATA_WORDS:
        before = before[:ends[-1].end()].rstrip(" \n->→—")
    return before if len(before.split()) >= _DATA_WORDS else message


def reply_schema(message: str, *, copy_spans: bool = False) -> dict[str, Any] | None:
    """The JSON schema of the object `message` asks for, or None when it asks for none."""
    if (request := json_request(message)) is None:
        return None
    spans = message_spans(request.data) if copy_spans else []
    keys: dict[str, dict[str, Any]] = {}
    for key, choices in request.keys.items():
        if choices:
            keys[key] = {"type": "string", "enum": choices}
        elif spans:
            keys[key] = {"type": "string", "enum": spans}
        else:
            keys[key] = {"type": "string", "maxLength": MAX_ARGUMENT_CHARS}
    return {"type": "object", "properties": keys, "required": list(keys),
            "additionalProperties": False}
