"""Scrubbing: private data is replaced by placeholders before a text leaves its machine.

`scrub` replaces, in this order:

* URLs that carry a credential (a query parameter named like a token, key or
  password; user:password@ credentials; a Telegram ``/bot<id>:<token>/`` path;
  a long random-looking path segment) by ``[URL]``; other URLs stay;
* PEM private-key blocks (``-----BEGIN ... PRIVATE KEY-----`` up to its END
  line, or to the end of the text when the END is missing) by ``[SECRET]``;
* API keys (``sk-...``, ``sk_live_...``/``pk_live_...``, ``ghp_...``,
  ``xoxb-...``, ``AKIA...``, JWTs, bearer tokens), Telegram bot tokens (with or
  without their ``bot`` prefix), IBANs (with or without spaces), long hex or
  base64 strings (32+ characters mixing digits and letters), ``password: ...``
  -style values and ``my password is ...`` by ``[SECRET]``;
* e-mail addresses by ``[EMAIL]``;
* digit runs with 13-19 digits (card-like, Luhn or not: a mistyped card number
  is still private) by ``[CARD]``, and phone numbers (international ``+`` or
  ``00`` numbers, grouped local numbers, bare runs of 10-15 digits) by
  ``[PHONE]``; dates, decimals, thousands and short numbers stay, so that
  lessons about arithmetic and dates keep their point;
* ``@mentions`` by ``[USER:<hash>]``, a salted hash so one user stays one user;
* the user's stored memory facts, whole, and each of their distinctive words
  (not a common English word; "Biscuit" in "My dog is called Biscuit") by
  ``[MEMORY]``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

#: Names whose value is a credential, in ``name: value`` / ``name=value`` text.
_SECRET_NAMES = (
    r"access[_-]?token|refresh[_-]?token|token|api[_-]?key|apikey|secret|client[_-]?secret|"
    r"password|passwd|pwd|passcode|pin|credentials?"
)
#: Query parameters whose value is a credential (broader: URLs rarely carry prose).
_URL_SECRET_NAMES = _SECRET_NAMES + r"|id[_-]?token|key|auth|sig|signature|session|sessionid|" \
    r"sid|code|jwt|bearer|pass|x-amz-signature|x-goog-signature"
_URL = re.compile(r"\b(?:https?|ftp|wss?|redis|rediss|postgres(?:ql)?|mysql)://[^\s<>\"'`]+",
                  re.IGNORECASE)
_URL_SECRET_PARAM = re.compile(rf"[?&#;](?:{_URL_SECRET_NAMES})=", re.IGNORECASE)
_URL_CREDENTIALS = re.compile(r"^[a-z0-9+.-]+://[^/@\s]+@", re.IGNORECASE)
_URL_BOT_PATH = re.compile(r"/bot\d+:[\w-]+", re.IGNORECASE)
_URL_RANDOM_SEGMENT = re.compile(r"[/=]([A-Za-z0-9_\-]{24,})")

_PEM_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|.*)",
    re.DOTALL)
_SECRETS = re.compile(
    r"(?:bot|(?<![A-Za-z0-9]))\d{5,12}:[A-Za-z0-9_-]{30,}"  # Telegram bot token
    r"|\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{16,}"  # OpenAI / Anthropic / Stripe style keys
    r"|\b(?:sk|pk|rk|whsec)_(?:live|test)_[A-Za-z0-9]{8,}"  # Stripe keys
    r"|\bwhsec_[A-Za-z0-9]{16,}"  # Stripe webhook secret
    r"|\b(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|hf)_[A-Za-z0-9_]{16,}"
    r"|\bxox[abprs]-[A-Za-z0-9\-]{10,}"  # Slack
    r"|\bAKIA[0-9A-Z]{16}\b"  # AWS access key id
    r"|\bAIza[0-9A-Za-z_\-]{30,}"  # Google API key
    r"|\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"  # JWT
    r"|(?i:\bbearer)\s+[A-Za-z0-9._~+/\-]{16,}=*"
)
_KEY_VALUE = re.compile(rf"(?i)\b((?:{_SECRET_NAMES})\s*[:=]\s*)(?!\[)[^\s,;]+")
# "my password is hunter2", "the wifi pin was 1234": a secret said in prose.
_SAID_SECRET = re.compile(
    r"(?i)\b((?:password|passwd|passphrase|passcode|pwd|pin|pin code)s?"
    r"\s+(?:is|was|are|=|:)\s+(?:now\s+|still\s+)?)(?!\[)[\"'“‘]?[^\s\"'”’]+[\"'”’]?")
# Country code, check digits, 11-30 letters or digits, optionally grouped by 4.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
# 32+ characters of hex or base64/base64url; `_random_token` keeps plain words.
_LONG_TOKEN = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w+/=-])")

# RFC 5322 atext for the local part; a domain of labels with at least one dot.
# Starts only where a run of atext starts: from every position inside a long run
# without "@" the scan would be quadratic.
_EMAIL = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~\-])[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+")

# Linear on purpose (one character class, no nested repetition): a run that
# starts with a digit, "(" or "+" and ends with a digit or ")". `_numbers`
# splits it where two separators meet ("12 - 3"), then classifies each piece.
# Bounded, so that a long run of separators costs little: no phone or card is longer.
_NUMBERISH = re.compile(r"(?<![\w+])\+?[(\d][\d() .\-/]{0,40}[\d)]")
_DOUBLE_SEPARATOR = re.compile(r"([ .\-/]{2,})")
_DATE = re.compile(
    r"^(?:(\d{4})[-./](\d{1,2})[-./](\d{1,2})|(\d{1,2})[-./](\d{1,2})[-./](\d{2,4}))$")
# 1 000 000, 1.000.000,5 or 3.25; a decimal mark must differ from the grouping one,
# so that 555.123.4567 is not taken for a number.
_PLAIN_NUMBER = re.compile(
    r"^(?:[1-9]\d{0,2}(?P<g>[ ,.])\d{3}(?:(?P=g)\d{3})*(?:(?!(?P=g))[.,]\d+)?|\d+[.,]\d+)$")
_CARD_SHAPE = re.compile(r"^\d(?:[ \-]?\d){12,18}$")

_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{3,31})\b")
_PLACEHOLDER_OR_WORD = re.compile(r"\[[A-Z]+(?::[0-9a-f]+)?\]|[^\W_](?:[\w'’\-]*[^\W_])?")


#: Words too common to identify a memory fact; its other words are scrubbed everywhere.
_COMMON = """
a about after again ago all almost also always am an and another any anything are around as
ask at away back be because been before being best better between big both bring but buy by
call called calls can cannot come comes could day days did do does doing done don't down each
early else even evening ever every favorite favourite few find first for friend friends from
get gets give go goes going good got great had has have having he her here hers herself him
himself his home how i i'd i'll i'm i've if in into is isn't it it's its just keep kind know
last late least left less let like likes little live lives living long lot love loves made
make many may me mine more morning most much must my myself name named names need needs never
new next night no not nothing now of off often old on once one only or other our ours out
over own part people please prefer prefers put really remember right said same say says see
she should since so some someone something sometimes soon still such sure take tell than
thank thanks that that's the their theirs them then there these they thing things think this
those three through time times to today told tomorrow too two under until up us use used user
user's usually very want wants was way we week weekend well went were what when where which
while who whom whose why will with without work works would year years yes yesterday yet you
your yours
"""
COMMON_WORDS = frozenset(_COMMON.split())


def hash_user(user_id: str, salt: str) -> str:
    """A short salted hash naming a user or chat without revealing it (12 hex digits)."""
    return hmac.new(salt.encode(), user_id.encode(), hashlib.sha256).hexdigest()[:12]


def _url(match: re.Match[str]) -> str:
    url = match.group(0)
    if (_URL_SECRET_PARAM.search(url) or _URL_CREDENTIALS.search(url)
            or _URL_BOT_PATH.search(url) or _random_segment(url)):
        return "[URL]"
    return url


def _random_segment(url: str) -> bool:
    """Whether a path or query value looks like a generated token (letters and digits mixed)."""
    for segment in _URL_RANDOM_SEGMENT.findall(url):
        if any(c.isdigit() for c in segment) and any(c.isalpha() for c in segment):
            return True
    return False


def _random_token(match: re.Match[str]) -> str:
    token = match.group(0)
    digits = sum(c.isdigit() for c in token)
    letters = sum(c.isalpha() for c in token)
    # A hex digest or a base64 blob mixes digits and letters; a long word or a
    # snake_case name (or a long number, left to the number rules) does not.
    return "[SECRET]" if digits >= 2 and letters >= 2 else token


def _is_date(piece: str) -> bool:
    found = _DATE.match(piece)
    if not found:
        return False
    y, m, d, d2, m2, _ = found.groups()
    month, day = (int(m), int(d)) if y else (int(m2), int(d2))
    if not y and month > 12:  # US order, 12/31/2024
        month, day = day, month
    return 1 <= month <= 12 and 1 <= day <= 31


def _classify(piece: str) -> str:
    digits = sum(c.isdigit() for c in piece)
    international = piece.startswith(("+", "00"))
    grouped = any(not c.isdigit() for c in piece)
    # "1 2 3 4 5 6 7" is a list, not a number: phones have one short group at most.
    singles = sum(len(g) == 1 for g in re.findall(r"\d+", piece))
    if digits < 7 or singles > 1 or _is_date(piece):
        return piece
    if not international and not piece.startswith("0") and _PLAIN_NUMBER.match(piece):
        return piece
    if 13 <= digits <= 19 and _CARD_SHAPE.match(piece) and not international:
        return "[CARD]"
    if international or (digits <= 15 and (grouped or digits >= 10)):
        return "[PHONE]"
    if 16 <= digits <= 19:
        return "[CARD]"
    return piece


def _numbers(match: re.Match[str]) -> str:
    parts = _DOUBLE_SEPARATOR.split(match.group(0))
    # Odd indices are the separators split on; keep them as they were.
    return "".join(p if i % 2 else _classify(p) for i, p in enumerate(parts))


def _fact_pattern(facts: Sequence[str]) -> re.Pattern[str] | None:
    whole = sorted({" ".join(f.split()) for f in facts if len(f.strip()) >= 3}, key=len,
                   reverse=True)
    if not whole:
        return None
    # Whitespace inside a fact may differ in the message: match any run of it.
    alternatives = [r"\s+".join(re.escape(w) for w in f.split(" ")) for f in whole]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def distinctive_words(fact: str) -> set[str]:
    """The words of a fact that would identify it: not common English, 3+ letters or 2+ digits."""
    out = set()
    for word in _PLACEHOLDER_OR_WORD.findall(fact):
        lower = word.lower().replace("’", "'")
        if lower.startswith("[") or lower in COMMON_WORDS:
            continue
        stem = lower.removesuffix("'s")
        if stem in COMMON_WORDS:
            continue
        digits = sum(c.isdigit() for c in stem)
        if digits >= 2 or (not digits and len(stem) >= 3):
            out.add(stem)
    return out


def _scrub_words(text: str, words: set[str]) -> str:
    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("["):
            return token
        lower = token.lower().replace("’", "'")
        return "[MEMORY]" if lower in words or lower.removesuffix("'s") in words else token

    return _PLACEHOLDER_OR_WORD.sub(one, text)


def scrub(text: str, *, facts: Sequence[str] = (), salt: str) -> str:
    """Return `text` with private data replaced by placeholders (see the module docstring).

    `facts` are the texts of the memory facts stored for the chat the text
    belongs to; `salt` keys the hash that replaces @mentions.
    """
    facts_re = _fact_pattern(facts)
    if facts_re is not None:
        text = facts_re.sub("[MEMORY]", text)
    text = _PEM_PRIVATE_KEY.sub("[SECRET]", text)
    text = _URL.sub(_url, text)
    text = _SECRETS.sub("[SECRET]", text)
    text = _KEY_VALUE.sub(lambda m: m.group(1) + "[SECRET]", text)
    text = _SAID_SECRET.sub(lambda m: m.group(1) + "[SECRET]", text)
    text = _EMAIL.sub("[EMAIL]", text)
    text = _IBAN.sub("[SECRET]", text)
    text = _LONG_TOKEN.sub(_random_token, text)
    text = _NUMBERISH.sub(_numbers, text)
    text = _MENTION.sub(lambda m: f"[USER:{hash_user(m.group(1).lower(), salt)}]", text)
    words = set().union(*(distinctive_words(f) for f in facts)) if facts else set()
    if words:
        text = _scrub_words(text, words)
    return text


__all__ = ["distinctive_words", "hash_user", "scrub"]
