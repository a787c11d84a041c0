"""English patterns for the default `cannot` route: actions no built-in tool does.

Each verb counts only with the object that makes it a request for an action
("call my mum", "book a table", "pay the rent"), at the start of the request
after a polite lead-in, so the same words as nouns ("Message received",
"Book club ideas?"), requests for words ("send me a poem", "call me Bob") and
everyday phrasings ("order these numbers", "call this function", "pay
attention") stay with chat. Live information counts only when it is asked
for ("what's the weather in Oslo?"), not talked about ("I love rainy weather").
Every gap is bounded, so no pattern backtracks far on a long message.
"""

from __future__ import annotations

#: A request's start: greetings and "please", then optionally "can/could you".
_ASK = (r"^\W*(?:(?:please|hey|ok|okay|hi|hello)[\s,!]+){0,3}"
        r"(?:(?:can|could) you\s+(?:please\s+)?)?")
#: A person: "my mum", a pronoun, or a capitalised name other than "I".
_PERSON = (r"(?:(?:my \w+|him|her|them|everyone)\b"
           r"|(?-i:(?!(?:I|Of|The|And|Or|In|On|To|For|A|An)\b)[A-Z][a-z]+\b))")
_PLACE = (r"(?:the (?:restaurant|office|doctor|dentist|shop|store|bank|police|school|"
          r"plumber|hotel|landlord|pharmacy|garage|vet|hospital))")
_DEVICE = (r"(?:lights?|lamps?|tv|television|heating|heater|fan|ac|air ?con\w*|radio|music|"
           r"alarm|oven|kettle|computer|pc|wi-?fi|router|sprinklers?)")

#: What is live: it changes by the minute, and no built-in tool looks it up. Not when a
#: noun follows ("a real-time traffic map", "live score widget"): that asks about a thing.
_LIVE = (r"(?:weather|forecast|headlines|news|(?:stock|share) price|exchange rate|traffic|"
         r"prices? of \w+|(?:bitcoin|gold|oil) prices?)"
         r"(?!\s+(?:map|widget|chart|app|api|formula|joke|trend|code)s?\b)")
#: Words that ask for it as it is now.
_NOW = (r"now|today|tonight|tomorrow|current\w*|latest|live|breaking|real.time|"
        r"at th\w+ moment|this (?:morning|evening|week)")
#: How a request for information opens: a question or "tell me", "read me", ...; "what
#: is a ..." asks for a definition.
_LIVE_ASK = (r"^\W*(?!what(?:'s| is) an? )(?:what'?s|what (?:is|are)|how'?s|how (?:is|are)|"
             r"will it|is it going to|(?:tell|give|read|show|get) me|any)\b")

DECLINE_PATTERNS = (
    # Calls and messages to someone.
    _ASK + rf"(?:call|phone|ring|text|message|e-?mail|whatsapp|dial) (?:{_PERSON}|{_PLACE})",
    # Sending something through a channel; "send me ..." asks for words.
    _ASK + r"send (?!me\b)(?:\w+ ){0,3}(?:e-?mails?|texts?|sms|messages?|money|letters?|"
    r"invoices?|parcels?|packages?|payments?|flowers|gifts?)\b",
    # ... to someone: a second piece of evidence, so "Send an email to my boss
    # saying I'm sick today" is not a tie with the clock's "today".
    _ASK + r"(?:send|forward) (?!me\b)(?:\w+ ){0,3}(?:e-?mails?|texts?|sms|messages?)\b"
    rf".{{0,60}}?\bto {_PERSON}",
    # Buying, ordering, booking, paying, moving money.
    _ASK + r"(?:order|buy|purchase) (?:me |us )?(?:an?|some|two|three) (?!(?:\w+ ){0,3}"
    r"(?:list|ranking|ideas?|names?|words?|examples?|tips?|facts?|time|advice|help)\b)\w+",
    _ASK + r"(?:book|reserve) (?:me |us )?(?:an?|the|my|two|three|\d+)? ?(?:\w+ )?(?:table|"
    r"flights?|rooms?|hotel|tickets?|taxi|cab|car|appointment|seats?|train|holiday|trip)\b",
    _ASK + r"(?:pay (?:my|our|the|this|that) (?!attention)\w+|pay (?-i:[A-Z][a-z]+) \d"
    r"|transfer (?:\d|[$€£]|money|funds|my savings))",
    # Doors and devices.
    _ASK + r"(?:unlock|lock|open|close) (?:my|our|the) (?:\w+ )?(?:door|car|garage|gate|"
    r"windows?|safe)\b",
    _ASK + rf"(?:turn|switch) (?:on|off) (?:the |my |all the )?(?:\w+ )?{_DEVICE}\b",
    _ASK + rf"(?:turn|switch) (?:the |my |all the )?(?:\w+ )?{_DEVICE} (?:on|off)\b",
    _ASK + r"play (?:some |a |the |my )?(?:music|songs?|playlist|radio|podcast|album)"
    r"(?! (?:lyric|game|quiz))\b",
    # Accounts only the owner's apps reach.
    r"\bcheck my (?:bank|balance|e-?mails?|inbox|account|messages|voicemail)\b"
    r"(?!\s*:|\s+(?:draft|for|below|above|settings|grammar|spelling|text))",
    # Live information, when asked for: a question or a request for it, with a
    # word that makes it live ("now", "today", "at the moment") after it ...
    _LIVE_ASK + r".{0,40}?\b" + _LIVE + r"\b(?=.{0,80}?\b(?:" + _NOW + r"|in (?-i:[A-Z])))",
    # ... or before it ("today's top news", "the latest headlines", "live scores").
    _LIVE_ASK + r".{0,20}?\b(?:" + _NOW + r")(?:'s)? (?:\w+ ){0,2}?(?:" + _LIVE
    + r"|scores?(?! \w))\b",
    r"\b(?:weather|forecast) (?:in|for|at) (?-i:[A-Z])|\bforecast for\b",
    # "Will it rain today?", "Is it going to snow tomorrow?"
    r"^\W*(?:will|is) it (?:going to )?(?:rain|snow|be (?:sunny|cold|hot|warm|windy|cloudy|"
    r"freezing|wet|dry|nice))\b",
)
