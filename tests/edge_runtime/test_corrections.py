"""Corrections to what the user said earlier are applied (`edge_runtime._corrections`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._corrections import corrected, corrected_texts, correction

DENTIST = "My dentist appointment is on Monday."


@pytest.mark.parametrize(("earlier", "message", "found"), [
    ([DENTIST], "Actually it's Tuesday, not Monday.", ("Monday", "Tuesday")),
    ([DENTIST], "Actually it's on Tuesday.", ("Monday", "Tuesday")),
    ([DENTIST], "Actually, it's Tuesday not Monday, at 5pm.", ("Monday", "Tuesday")),
    (["My dentist appointment is on Monday at 3pm."], "Sorry, I mean Wednesday.",
     ("Monday", "Wednesday")),
    (["The party is on Friday."], "The party has been moved to Saturday.",
     ("Friday", "Saturday")),
    (["The party is on Friday."], "It should be Saturday.", ("Friday", "Saturday")),
    (["The party is on Friday."], "No, it's Saturday.", ("Friday", "Saturday")),
    (["The meeting is at 3pm."], "Correction: make that 4pm.", ("3pm", "4pm")),
    (["The meeting is at 3:30."], "Actually it's at 4:15.", ("3:30", "4:15")),
    (["Train at 9am."], "Actually the train has been rescheduled to 10am.", ("9am", "10am")),
    (["My flight is BA 217."], "Oops, it's BA 271.", ("BA 217", "BA 271")),
    (["My flight is BA 217."], "I misread, it's BA271.", ("BA 217", "BA271")),
    (["Room 412 please."], "Actually make it 413.", ("412", "413")),
    (["The gate is B12."], "Actually it's B14.", ("B12", "B14")),
    (["My PIN is 4821."], "Wait, that is 4812.", ("4821", "4812")),
    (["The code is 1234."], "Actually it's 12345.", ("1234", "12345")),
    (["My sister is called Anna."], "Sorry, I meant Hannah.", ("Anna", "Hannah")),
    (["Meet Tom at the cafe."], "Actually, it's Jim.", ("Tom", "Jim")),
    # The latest earlier value of the kind is the one corrected.
    (["The party is on Friday.", "The dinner is on Sunday."], "Actually it's Saturday.",
     ("Sunday", "Saturday")),
])
def test_a_correction_names_the_old_value_and_the_new(earlier: list[str], message: str,
                                                      found: tuple[str, str]) -> None:
    assert correction(earlier, message) == found


@pytest.mark.parametrize(("earlier", "message"), [
    (["I have 3 cats."], "Actually I love 2 cats."),
    (["We're 10 people for dinner."], "Actually scratch that, 3 people just cancelled."),
    (["The party is on Friday."], "Saturday works too."),
    (["The party is on Friday."], "Actually, it's at Tom's house."),
    ([], "Actually it's Saturday."),
    # A new value of another kind than any said before corrects nothing.
    (["The meeting is at 3pm."], "Actually it's Tuesday."),
    # A code is corrected only by one of its shape: not a year by a digit.
    (["I was born in 1990."], "Actually it's 2."),
    (["The code is 1234."], "Actually it's 123456."),
    # Two earlier values in one turn: which one is meant is unclear.
    (["The party is on Friday and the dinner is on Sunday."], "Actually it's Saturday."),
    (["My name is Sam."], "Actually it is fine."),
    (["I'm visiting Paris on Monday."], "Actually it's really sunny here today."),
    (["I am 30."], "Actually it's been a long day, not 30."),
])
def test_a_message_that_corrects_no_value_is_no_correction(earlier: list[str],
                                                           message: str) -> None:
    assert correction(earlier, message) is None


def test_earlier_turns_are_read_with_the_old_value_replaced() -> None:
    history = [("user", DENTIST), ("assistant", "Noted: Monday."),
               ("user", "Actually it's Tuesday, not Monday."), ("assistant", "ok"),
               ("user", "Which day is my dentist appointment?")]
    assert corrected(history) == [
        ("user", "My dentist appointment is on Tuesday."), ("assistant", "Noted: Tuesday."),
        ("user", "Actually it's Tuesday, not Monday."), ("assistant", "ok"),
        ("user", "Which day is my dentist appointment?")]


def test_successive_corrections_each_apply_to_the_turns_before_them() -> None:
    history = [("user", "Meeting at 3pm."), ("assistant", "ok"), ("user", "Make that 4pm."),
               ("assistant", "ok"), ("user", "Actually make it 5pm.")]
    assert [text for _, text in corrected(history)] == [
        "Meeting at 5pm.", "ok", "Make that 5pm.", "ok", "Actually make it 5pm."]


def test_only_the_users_turns_make_corrections() -> None:
    history = [("user", "The party is on Friday."), ("assistant", "Actually it's Saturday.")]
    assert corrected(history) == history
    assert corrected([("user", "I have 3 cats."), ("user", "Actually I love 2 cats.")]) == [
        ("user", "I have 3 cats."), ("user", "Actually I love 2 cats.")]


def test_recalled_statements_are_corrected_by_what_the_user_said() -> None:
    said = ["Gym on Monday morning.", "My dentist appointment is on Monday.",
            "Actually it's Tuesday, not Monday."]
    # The statement corrected, as recall finds it; not another "Monday" said before it.
    assert corrected_texts(["My dentist appointment is on Monday.", "Gym on Monday morning."],
                           said) == ["My dentist appointment is on Tuesday.",
                                     "Gym on Monday morning."]
    assert corrected_texts(["I have 3 cats"], ["I have 3 cats.", "Actually I love 2 cats."]) \
        == ["I have 3 cats"]


def test_a_recalled_statement_takes_the_last_of_a_chain_of_corrections() -> None:
    said = ["Meeting at 3pm.", "Make that 4pm.", "Actually make it 5pm."]
    assert corrected_texts(["Meeting at 3pm.", "Lunch at 1pm."], said) == \
        ["Meeting at 5pm.", "Lunch at 1pm."]
