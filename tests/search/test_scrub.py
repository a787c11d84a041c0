"""Scrubbing: phone numbers, e-mails, cards, secrets and memory facts never survive."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.search._scrub import distinctive_words, hash_user, scrub

SALT = "test-salt"


@pytest.mark.parametrize(("text", "secret", "placeholder"), [
    ("call me on +49 30 1234567 tonight", "+49 30 1234567", "[PHONE]"),
    ("my number is (555) 123-4567.", "(555) 123-4567", "[PHONE]"),
    ("ring 555-123-4567 or 555.123.4567", "555.123.4567", "[PHONE]"),
    ("Handy: 0171 2345678", "0171 2345678", "[PHONE]"),
    ("Festnetz 030/1234567", "030/1234567", "[PHONE]"),
    ("text 5551234567 please", "5551234567", "[PHONE]"),
    ("0044 20 7946 0958 is the office", "0044 20 7946 0958", "[PHONE]"),
    ("+1 (555) 123-4567", "+1 (555) 123-4567", "[PHONE]"),
    ("write to Anna.Smith+home@example.co.uk!", "Anna.Smith+home@example.co.uk", "[EMAIL]"),
    ("card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111", "[CARD]"),
    ("card 4111-1111-1111-1111", "4111-1111-1111-1111", "[CARD]"),
    ("amex 378282246310005", "378282246310005", "[CARD]"),
    ("see https://api.example.com/v1/items?id=3&token=abc123XYZ now",
     "token=abc123XYZ", "[URL]"),
    ("open https://example.com/reset?Key=s3cr3t", "s3cr3t", "[URL]"),
    ("https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
     "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "[URL]"),
    ("db at postgres://hearth:hunter2@db.local/app", "hunter2", "[URL]"),
    ("https://files.example.com/share/a8f3kq9z2m1x7c4v6b0n5l8p/doc.pdf",
     "a8f3kq9z2m1x7c4v6b0n5l8p", "[URL]"),
    ("token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw ok",
     "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "[SECRET]"),
    ("use sk-proj-Abc123def456GHI789jkl0 for it", "sk-proj-Abc123def456GHI789jkl0", "[SECRET]"),
    ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij", "[SECRET]"),
    ("AKIAIOSFODNN7EXAMPLE is the id", "AKIAIOSFODNN7EXAMPLE", "[SECRET]"),
    ("Authorization: Bearer abcdefghijklmnop1234", "abcdefghijklmnop1234", "[SECRET]"),
    ("my password: hunter2, remember", "hunter2", "[SECRET]"),
    ("wifi pin=8421", "8421", "[SECRET]"),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc ok", "4eC39HqLyjWDarjtT1zdp7dc", "[SECRET]"),
    ("publishable pk_live_51HxYzAbCdEf", "51HxYzAbCdEf", "[SECRET]"),
    ("the bot is bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw, use it",
     "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "[SECRET]"),
    ("pay to DE89370400440532013000 today", "DE89370400440532013000", "[SECRET]"),
    ("IBAN GB29 NWBK 6016 1331 9268 19 please", "6016 1331 9268", "[SECRET]"),
    ("key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACD\n"
     "-----END OPENSSH PRIVATE KEY-----\nthanks", "QyNTUxOQAAACD", "[SECRET]"),
    ("half a key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEvQ",
     "[SECRET]"),
    ("sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 done",
     "9f86d081884c7d659a2feaa0c55ad015", "[SECRET]"),
    ("blob dGhpcyBpcyBhIHNlY3JldCBrZXkgMTIzNDU2Nzg5MA== end", "dGhpcyBpcyBhIHNlY3Jl",
     "[SECRET]"),
    ("my password is hunter2 and my name is Bob", "hunter2", "[SECRET]"),
    ("The WiFi Password was 'c0rrect-h0rse' yesterday", "c0rrect-h0rse", "[SECRET]"),
    ("my PIN is 4921", "4921", "[SECRET]"),
])
def test_private_data_is_replaced(text: str, secret: str, placeholder: str) -> None:
    out = scrub(text, salt=SALT)
    assert secret not in out
    assert placeholder in out


@pytest.mark.parametrize("text", [
    "What is 12 - 3 = 9 and 1234567 + 7654321?",
    "Split 1 000 000 by 4, then add 3.25 and 1,250.50",
    "Meet on 2024-01-15 at 10:30, or 15.01.2024, or 12/31/2024.",
    "Read https://en.wikipedia.org/wiki/Paris and http://example.com/a/b?page=2",
    "It costs 19.99 and weighs 2.5 kg; room 404; year 2025.",
    "Add up 1 2 3 4 5 6 7 8 9 10 please",
])
def test_ordinary_numbers_dates_and_links_stay(text: str) -> None:
    assert scrub(text, salt=SALT) == text


def test_memory_facts_and_their_distinctive_words_are_replaced() -> None:
    facts = ["My dog is called Biscuit", "I live at 12 Elm Street"]
    text = ("Remember my dog is called biscuit? Biscuit's bowl is empty. "
            "Send it to Elm Street, number 12.")
    out = scrub(text, facts=facts, salt=SALT)
    assert "biscuit" not in out.lower()
    assert "elm" not in out.lower()
    assert "[MEMORY]" in out
    # Common words of a fact stay, so the lesson still reads.
    assert "Remember" in out and "bowl" in out


def test_distinctive_words_skip_common_english() -> None:
    assert distinctive_words("My dog is called Biscuit") == {"dog", "biscuit"}
    assert distinctive_words("My PIN is 4821, I am 7") == {"pin", "4821"}
    assert distinctive_words("I like it") == set()


def test_a_fact_word_inside_a_placeholder_name_is_left_alone() -> None:
    out = scrub("email me: a@b.co, phone +49 30 1234567", facts=["phone and email memory"],
                salt=SALT)
    assert out == "[MEMORY] me: [EMAIL], [MEMORY] [PHONE]"


def test_long_runs_stay_cheap() -> None:
    start = time.perf_counter()
    scrub("( " * 20_000 + "1 " * 20_000 + "-" * 20_000, salt=SALT)
    assert time.perf_counter() - start < 2.0


def test_mentions_are_hashed_with_the_salt() -> None:
    a = scrub("ask @anna_smith", salt="one")
    assert "anna" not in a and f"[USER:{hash_user('anna_smith', 'one')}]" in a
    assert a == scrub("ask @Anna_Smith", salt="one")
    assert a != scrub("ask @anna_smith", salt="two")


# -- properties -------------------------------------------------------------------------

# Filler has letters, spaces and punctuation but no digits, so any digit left in
# the output would be a leaked part of the generated number.
filler = st.text(
    alphabet=st.characters(categories=["L", "Zs"]) | st.sampled_from(list(".,;:!?()'\"-")),
    max_size=30)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@st.composite
def phones(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["intl", "us", "local", "bare"]))
    if kind == "intl":
        cc = draw(st.sampled_from(["1", "33", "44", "49", "353", "7"]))
        sep = draw(st.sampled_from([" ", "-", ".", ""]))
        # E.164: at most 15 digits in all.
        groups = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4)
                      .filter(lambda g: sum(g) + len(cc) + 3 <= 15))
        body = sep.join(draw(_digits(n)) for n in groups)
        lead = draw(_digits(3))
        prefix = draw(st.sampled_from(["+", "00"]))
        return f"{prefix}{cc} {lead}{sep}{body}"
    area, mid, last = draw(_digits(3)), draw(_digits(3)), draw(_digits(4))
    if kind == "us":
        form = draw(st.sampled_from(["({}) {}-{}", "{}-{}-{}", "{}.{}.{}", "{} {} {}"]))
        return form.format(area, mid, last)
    if kind == "local":
        sep = draw(st.sampled_from([" ", "/", "-"]))
        return f"0{draw(_digits(draw(st.integers(2, 4))))}{sep}" \
               f"{draw(_digits(draw(st.integers(5, 8))))}"
    return draw(st.sampled_from(["", "0"])) + draw(_digits(10))


@st.composite
def cards(draw: st.DrawFn) -> str:
    digits = draw(_digits(draw(st.integers(13, 19))))
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=filler, value=phones() | cards(), right=filler)
def test_no_generated_phone_or_card_survives(left: str, value: str, right: str) -> None:
    out = scrub(f"{left} {value} {right}", salt=SALT)
    assert value not in out
    assert not any(c.isdigit() for c in out), out
    assert "[PHONE]" in out or "[CARD]" in out


@settings(max_examples=300, deadline=None)
@given(left=filler, value=st.emails(), right=filler)
def test_no_generated_email_survives(left: str, value: str, right: str) -> None:
    out = scrub(f"{left} {value} {right}", salt=SALT)
    assert value not in out
    assert "@" not in out
    assert "[EMAIL]" in out


@settings(max_examples=200, deadline=None)
@given(left=filler, name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12)
       .filter(lambda w: bool(distinctive_words(w))), right=filler)
def test_no_remembered_name_survives(left: str, name: str, right: str) -> None:
    fact = f"My cat is called {name.capitalize()}"
    out = scrub(f"{left} {name.upper()} {right}", facts=[fact], salt=SALT)
    assert name not in out.lower()


_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _mixed(text: str) -> bool:
    return sum(c.isdigit() for c in text) >= 2 and sum(c.isalpha() for c in text) >= 2


@st.composite
def secrets(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A pasted secret and the parts of it that must not survive scrubbing.

    Each has a digit, and the filler around it has none: any digit left in
    the output is a leaked part of the secret.
    """
    kind = draw(st.sampled_from(["stripe", "bot", "iban", "pem", "hex", "base64", "said"]))
    if kind == "stripe":
        body = draw(st.text(alphabet=_ALNUM, min_size=16, max_size=40)) + draw(_digits(1))
        prefix = draw(st.sampled_from(["sk", "pk", "rk"])) + "_" + \
            draw(st.sampled_from(["live", "test"])) + "_"
        return prefix + body, [body]
    if kind == "bot":
        token = draw(st.text(alphabet=_ALNUM + "_-", min_size=35, max_size=35))
        bot_id = draw(_digits(draw(st.integers(8, 10))))
        return f"{draw(st.sampled_from(['bot', '']))}{bot_id}:{token}", [bot_id, token]
    if kind == "iban":
        country = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
        bban = draw(st.text(alphabet=_UPPER_ALNUM, min_size=11, max_size=30))
        iban = country + draw(_digits(2)) + bban
        grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        return draw(st.sampled_from([iban, grouped])), [iban[:4]]
    if kind == "pem":
        lines = draw(st.lists(st.text(alphabet=_ALNUM + "+/", min_size=20, max_size=64)
                              .map(lambda line: line + "0"), min_size=1, max_size=4))
        label = draw(st.sampled_from(["", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED "]))
        end = draw(st.sampled_from([f"\n-----END {label}PRIVATE KEY-----", ""]))
        return (f"-----BEGIN {label}PRIVATE KEY-----\n" + "\n".join(lines) + end, lines)
    if kind == "hex":
        value = draw(st.binary(min_size=16, max_size=64).map(bytes.hex).filter(_mixed))
        return value, [value]
    if kind == "base64":
        import base64
        value = draw(st.binary(min_size=24, max_size=64)
                     .map(lambda b: base64.b64encode(b).decode()).filter(_mixed))
        return value, [value.rstrip("=")]
    word = draw(st.text(alphabet=_ALNUM + "!#$%&*-_.", min_size=6, max_size=20)
                .filter(lambda w: sum(c.isalnum() for c in w) >= 4)) + draw(_digits(1))
    said = draw(st.sampled_from(["my password is", "the password was", "My PIN is",
                                 "our wifi passphrase is"]))
    return f"{said} {word}", [word]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=filler, secret=secrets(), right=filler)
def test_no_generated_secret_survives(left: str, secret: tuple[str, list[str]],
                                      right: str) -> None:
    value, parts = secret
    out = scrub(f"{left} {value} {right}", salt=SALT)
    for part in parts:
        assert part not in out, out
    assert not any(c.isdigit() for c in out), out
    assert "[SECRET]" in out


def test_ordinary_long_words_and_names_stay() -> None:
    text = ("pneumonoultramicroscopicsilicovolcanoconiosis is a word, so is "
            "supercalifragilisticexpialidocious; snake_case_names_that_are_quite_long stay")
    assert scrub(text, salt=SALT) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_scrubbing_twice_changes_nothing_more(text: str) -> None:
    once = scrub(text, facts=["My dog is called Biscuit"], salt=SALT)
    assert scrub(once, facts=["My dog is called Biscuit"], salt=SALT) == once
