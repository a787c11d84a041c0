"""A one-sentence summary cut from the text itself, for models too small to write one.

"Summarize in one sentence of at most 12 words: '...'" gets a sentence about
something else from a 135M model. Short messages put their point first: the
summary is the text's first sentence that says something (not "Hey!", not
"Just a heads up,"), and where it is longer than the limit, the clause of it
that carries the most particulars (numbers, days, names) and fits. Used only
where the spec marks its model as too small to copy faithfully
(`agent.copy_spans`); a larger model writes its own summary.
"""

from __future__ import annotations

import re

from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS

#: Most words of a summary whose message sets no limit: one short sentence.
DEFAULT_WORDS = 12
#: A limit below this leaves no room for a clause of the text.
MIN_WORDS = 5
_ASKS = re.compile(r"\b(?:summari[sz]e|summary|sum\s+(?:it\s+|this\s+|that\s+)?up|tl;?\s?dr)\b",
                   re.IGNORECASE)
_ONE_SENTENCE = re.compile(r"\b(?:one|a\s+single|1)\s+sentence\b", re.IGNORECASE)
_LIMIT = re.compile(r"\b(?:no\s+more\s+than|at\s+most|up\s+to|max(?:imum)?\.?|under|fewer\s+than|"
                    r"less\s+than|within)\s+(\d{1,3})\s+words\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{20,})[\"”]|(?:^|(?<=[\s:]))['‘](.{20,}?)['’]"
                     r"(?=\s*$|[\s.,;:!?)])")
_LEAD = re.compile(r"^(?:(?:just\s+)?a\s+(?:quick\s+)?heads[- ]up|fyi|btw|by\s+the\s+way|so|well|"
                   r"ok(?:ay)?|(?:hi|hey|hello|dear)(?:\s+(?:team|all|everyone|folks|guys|"
                   r"[A-Z][a-z]+))?|(?:quick\s+)?update)\b[,!:.—–-]*\s*", re.IGNORECASE)
_CLAUSES = re.compile(r"\s*(?:,\s*(?:so|and|but|because|since)\s+|;\s*|\s+(?:because|since|as|"
                      r"so\s+that|which|while|although|but)\s+|,\s+(?=\w+\s+(?:is|are|was|will|"
                      r"can|has|have)\b))", re.IGNORECASE)
_PARTICULAR = re.compile(r"\d|\b(?:" + "|".join(WEEKDAYS) + "|" + "|".join(MONTHS) + r")\b",
                         re.IGNORECASE)


def _text(message: str) -> str | None:
    if found := _QUOTED.search(message):
        return found.group(1) or found.group(2)
    after = message.split(":", 1)
    return after[1].strip() if len(after) == 2 and len(after[1].split()) >= 6 else None


def _score(clause: str) -> int:
    names = re.findall(r"(?<=\w )[A-Z][a-z]+", clause)
    return len(_PARTICULAR.findall(clause)) + len(names)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".!?,;: ")
    return text[:1].upper() + text[1:] + "." if text else text


def extractive_summary(message: str) -> str | None:
    """A one-sentence summary of the text `message` asks to summarise, or None."""
    if not _ASKS.search(message) or not _ONE_SENTENCE.search(message) or \
            re.search(r"\bhow\s+(?:do|can|should|would)\s+i\b|\bhow\s+to\b", message, re.I) or \
            (text := _text(message)) is None:
        return None
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if len(s.split()) > 2]
    if not sentences:
        return None
    first = sentences[0]
    while (lead := _LEAD.match(first)) and lead.end() > 0:
        first = first[lead.end():]
    if found := _LIMIT.search(message):
        limit = int(found.group(1))
        most = limit - 1 if re.match(r"under|fewer|less", found.group(0), re.IGNORECASE) \
            else limit
    else:
        most = DEFAULT_WORDS
    if most < MIN_WORDS:
        return None  # too short to say anything: the model's to try
    if len(first.split()) <= most:
        return _sentence(first)
    clauses = [c for c in _CLAUSES.split(first) if c and 0 < len(c.split()) <= most]
    if not clauses:
        return None  # no clause fits: a cut mid-phrase says nothing
    best = max(range(len(clauses)), key=lambda i: (_score(clauses[i]), -i))
    return _sentence(clauses[best])
