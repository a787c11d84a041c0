"""Replies a 135M model gets wrong in ways people mind: who Hearth is, feelings, jokes.

Asked "I'm feeling sad today", SmolLM2 answered "I'm not a personal assistant.
Please use the internet"; asked for a joke, it wrote one a family would not
want on the kitchen tablet; asked what it can do, it listed things it cannot.
These few messages get a fixed, honest reply instead: what the enabled tools
do, a kind word (and, where someone speaks of harming themselves, where to
find help now), a clean joke that changes each time it is asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hearth.edge_runtime.routing._decline import what_i_can

_ABOUT = re.compile(r"^\W*(?:(?:hi|hello|hey|ok|okay)\b[\s,!.]*)*(?:what\s+(?:can|could)\s+you\s+"
                    r"(?:do|help\s+(?:me\s+)?with)|who\s+are\s+you|what\s+are\s+you|what(?:'s|\s+is)"
                    r"\s+your\s+name|help|what\s+do\s+you\s+do)\s*[?.!]*\s*$", re.IGNORECASE)
#: Words of someone who may harm themselves: help first, whatever else the message says.
_CRISIS = re.compile(
    r"\b(?:(?:want|going|plan(?:ning)?|thinking\s+(?:of|about))\s+(?:to\s+)?(?:kill(?:ing)?\s+"
    r"my\s?self|hurt(?:ing)?\s+my\s?self|end(?:ing)?\s+(?:my|it)\s+(?:life|all)|"
    r"tak(?:e|ing)\s+my\s+(?:own\s+)?life)|kill(?:ing)?\s+my\s?self|"
    r"(?:\bi\s+(?:really\s+|just\s+)?|^\W*)(?:want\s+to|wanna)\s+die\b|"
    r"suicidal|(?:commit(?:ting)?|thoughts\s+of|thinking\s+(?:of|about))\s+suicide|"
    r"(?:don'?t|do\s+not)\s+want\s+to\s+(?:live|be\s+alive|be\s+here)\s+any\s?more|"
    r"better\s+off\s+dead|no\s+reason\s+to\s+live|(?:been|keep)\s+(?:cutting|harming|"
    r"hurting)\s+my\s?self|(?:cutting|harming)\s+my\s?self|"
    r"self[- ]harm(?:ing)?\b)", re.IGNORECASE)
#: "I'm sad", "I feel so lonely", "I've been really stressed lately": the whole message.
_FEELING = re.compile(r"^\W*(?:i\s*['’]?\s*m|i\s+am|i\s+feel|i\s*['’]?ve\s+been|"
                      r"i\s+have\s+been)\s+(?:feeling\s+)?(?:so\s+|really\s+|very\s+|a\s+bit\s+|quite\s+|"
                      r"kind\s+of\s+|pretty\s+)?"
                      r"(sad|down|lonely|depressed|stressed|anxious|worried|overwhelmed|"
                      r"upset|miserable|unhappy|low|scared|tired|exhausted|angry|frustrated)"
                      r"(?:\s+(?:today|tonight|lately|right\s+now|at\s+the\s+moment|these\s+days|"
                      r"all\s+the\s+time))?\s*[.!]*\s*$", re.IGNORECASE)
#: Asking for a joke, the whole message: "My boss is a joke" and "a joke about cats" are not.
_JOKE = re.compile(r"^\W*(?:(?:please|hey|ok(?:ay)?|can\s+you|could\s+you)[\s,]+)*"
                   r"(?:(?:tell|give)\s+me\s+(?:a|another|one\s+more)\s+joke|(?:another|a)\s+joke|say\s+something\s+"
                   r"funny|make\s+me\s+laugh|do\s+you\s+know\s+any\s+(?:good\s+)?jokes)"
                   r"(?:\s+please)?\s*[?.!]*\s*$", re.IGNORECASE)

#: Clean jokes, told in turn.
JOKES = (
    "Why don't skeletons fight each other? They don't have the guts.",
    "I told my wife she was drawing her eyebrows too high. She looked surprised.",
    "Why did the scarecrow win an award? Because he was outstanding in his field.",
    "What do you call a fake noodle? An impasta.",
    "Why can't a bicycle stand up by itself? It's two tired.",
    "I'm reading a book about anti-gravity. It's impossible to put down.",
    "What do you call a bear with no teeth? A gummy bear.",
    "Why did the tomato blush? Because it saw the salad dressing.",
    "How does a penguin build its house? Igloos it together.",
    "Why don't eggs tell jokes? They'd crack each other up.",
)
_KIND_WORDS = {
    "tired": "That sounds draining. If you can, take a real break: a glass of water, some fresh "
             "air, an early night.",
    "exhausted": "That sounds draining. If you can, take a real break: a glass of water, some "
                 "fresh air, an early night.",
    "angry": "That sounds frustrating. It can help to step away for a few minutes before "
             "deciding what to do.",
    "frustrated": "That sounds frustrating. It can help to step away for a few minutes before "
                  "deciding what to do.",
}


def about_reply(message: str, enabled: Iterable[str]) -> str | None:
    """What Hearth is and does, by the spec's enabled tools, for "What can you do?"."""
    if not _ABOUT.match(message):
        return None
    return (f"I'm Hearth, an assistant running on your own computer. I can "
            f"{what_i_can(enabled)}. I can't browse the internet or act outside this chat.")


def feelings_reply(message: str) -> str | None:
    """A kind reply to someone who says how they feel; where to find help, first, where they
    speak of harming themselves."""
    if _CRISIS.search(message):
        return ("I'm really sorry you're feeling this way, and I'm glad you said it. Please "
                "talk to someone now: call your local emergency number if you are in danger, "
                "or a crisis line (Samaritans 116 123 in the UK and Ireland, 988 in the US, "
                "or findahelpline.com for others). You don't have to go through this alone.")
    found = _FEELING.match(message.strip())
    if found is None:
        return None
    feeling = found.group(1).lower()
    return _KIND_WORDS.get(feeling, f"I'm sorry you're feeling {feeling}. Do you want to talk "
                                    "about what's going on? I'm here to listen, and if it "
                                    "stays heavy, talking to a friend or a doctor can help too.")


def joke_reply(message: str, earlier: Sequence[str]) -> str | None:
    """A clean joke, the next one each time the chat asks."""
    if not _JOKE.search(message):
        return None
    told = sum(1 for text in earlier if _JOKE.search(text))
    return JOKES[told % len(JOKES)]


def small_talk(message: str, earlier: Sequence[str], enabled: Iterable[str]) -> str | None:
    """The fixed reply for a message about Hearth, feelings or jokes, or None."""
    return feelings_reply(message) or about_reply(message, enabled) or joke_reply(message, earlier)
