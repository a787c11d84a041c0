"""The terms a memory search looks for: the question's own, their word forms, household synonyms.

People ask in other words than they told: "When's my dad's birthday?" for
"My father's birthday is on 2 November", "what do I tell the waiter about
allergies?" for "I'm allergic to peanuts", "my family doctor" for "my GP".
A keyword index finds none of those. Only the query is widened, never the
stored index, so chats indexed before keep working and nothing is re-indexed;
a widened term that no document holds costs one dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Words that name the same person or thing in what people tell an assistant
#: about their lives, in index form (lower case, plural "s" cut). Each group is
#: one meaning: "sister" and "brother" are not merged.
SAME: tuple[tuple[str, ...], ...] = (
    ("dad", "father", "daddy", "papa"),
    ("mum", "mom", "mother", "mummy", "mommy", "mama"),
    ("grandma", "grandmother", "granny", "nan", "nana"),
    ("grandpa", "grandfather", "granddad", "grandad"),
    ("doctor", "gp", "physician"),
    ("job", "work", "occupation", "profession"),
    ("office", "workplace"),
    ("car", "vehicle"),
    ("film", "movie"),
    ("flat", "apartment"),
    ("holiday", "vacation"),
    ("mobile", "phone", "cell"),
    ("birthday", "born"),
    ("lesson", "class"),
    ("allergy", "allergic"),
)
#: A word for several kinds, and the kinds: "my kid" finds the son and the daughter;
#: "my daughter" finds no son, and "my wife" no business partner.
KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("kid", "child", "children"), ("son", "daughter")),
    (("partner", "spouse"), ("wife", "husband", "boyfriend", "girlfriend")),
)
_SYNONYMS: dict[str, tuple[str, ...]] = {word: group for group in SAME for word in group}
for _broad, _narrow in KINDS:
    for _word in _broad:
        _SYNONYMS[_word] = _broad + _narrow
#: What a widened term counts, against 1 for the question's own: a fact that says what
#: was asked ("my wife is a nurse" for "my wife's job") beats one that says it in other
#: words ("I work as an accountant"), and "Jackie" beats "Jack".
WIDENED_WEIGHT = 0.5


#: Endings that change a word's form, not its meaning ("allergies", "allergic",
#: "allergy"; "drives", "driving"). Agent nouns ("-er": office, officer) change
#: the meaning and are left out.
_ENDINGS = ("ies", "ing", "ed", "ie", "ic", "e", "s", "y", "")
#: Shortest stem that is widened: "park" from "parking", not "be" from "bed".
_MIN_STEM = 4


def word_forms(term: str) -> set[str]:
    """Forms of `term` with another ending ("allergie" -> "allergy", "allergic", ...)."""
    forms = {term}
    for ending in _ENDINGS:
        if ending and term.endswith(ending) and len(term) - len(ending) >= _MIN_STEM:
            stem = term[: -len(ending)]
            forms.update(stem + other for other in _ENDINGS)
    return forms


#: Words that frame a question about memory, not what it is about: "what's my cat
#: called again?" is about the cat, and "called" must not find the neighbour's dog
#: "called Rex" as well as the cat. Left out of a query that has other words.
FRAMING = frozenset({"called", "named", "again", "remind", "tell", "know", "remember", "said",
                     "say", "told", "now", "please", "lol", "exactly", "still"})


def widened(query_terms: Iterable[str]) -> dict[str, float]:
    """The index terms a search looks up for these query terms, each with its weight.

    The query's own terms weigh 1 (`FRAMING` words left out when others remain);
    their other forms and synonyms `WIDENED_WEIGHT`. Sorted by term, so the SQL
    and in-memory rankings add the same numbers.
    """
    own = set(query_terms)
    own = (own - FRAMING) or own
    wanted: dict[str, float] = {}
    for term in own:
        for word in (term, *_SYNONYMS.get(term, ())):
            for form in word_forms(word):
                wanted[form] = 1.0 if form in own else WIDENED_WEIGHT
    return dict(sorted(wanted.items()))
