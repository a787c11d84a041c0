"""Replies take the shape the message asks for (`edge_runtime._shape`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime._shape import Shape, asked_shape, shaped
from hearth.specs import Spec, apply, default_spec, parse_edits
from tests.bench.test_runner import ScriptedEngine


def shapes_off() -> Spec:
    """The default spec with `agent.shape_replies` off."""
    return apply(default_spec(), parse_edits(
        [{"op": "set_field", "path": "agent.shape_replies", "value": False}]))


SPANISH = "Translate 'thank you' into Spanish. Reply with just the translation."
FRUITS = "List three fruits as a bulleted list, one per line, each line starting with '- '."
NAME = "Answer in no more than five words: what is your name?"


@pytest.mark.parametrize(("message", "reply", "want"), [
    # The bare answer: a quoted one the message did not quote, or what "is" names.
    (SPANISH, "The translation of 'thank you' into Spanish is 'gracias'.", "gracias"),
    (SPANISH, "In Spanish, thank you is gracias.", "gracias"),
    (SPANISH, "Gracias!", "Gracias"),
    ("Write the word banana in capital letters only.", "Sure! banana", "BANANA"),
    ("Using lowercase letters only, tell me the capital of Italy.",
     "The capital of Italy is Rome.", "the capital of italy is rome."),
    # A number, also one the reply spells out.
    ("Reply with a single number: how many legs does a spider have?", "A spider has 8 legs.",
     "8"),
    ("Write the number twelve using digits only.", "Twelve", "12"),
    # A list: numbered or run-on items become "- " lines, as many as asked for.
    (FRUITS, "1. Apple\n2. Banana\n3. Cherry\n4. Mango", "- Apple\n- Banana\n- Cherry"),
    (FRUITS, "Apples, bananas and oranges.", "- Apples\n- bananas\n- oranges"),
    ("Give me a bulleted list of fruits", "* apple\n* pear\n* plum", "- apple\n- pear\n- plum"),
    # A length: cut after the last whole clause that fits.
    (NAME, "I'm Hearth, your assistant on your own computer.", "I'm Hearth"),
    (NAME, "Hearth", "Hearth"),
    ("Describe Paris in one word.", "Paris is romantic.", "romantic"),
    ("Reply with the word done and nothing else.", "Done! Is there anything else?", "done"),
    (FRUITS, "- The three fruits are: Banana\n- Apple\n- Orange",
     "- Banana\n- Apple\n- Orange"),
    # JSON and code keep their own shape.
    ('Extract JSON with keys "a" and "b" from: "x". Reply with only the JSON.',
     '{"a": 1, "b": 2}', '{"a": 1, "b": 2}'),
    ("Reply with just the code: a Python hello world", "```python\nprint('hi')\n```",
     "```python\nprint('hi')\n```"),
    # No shape asked: the reply is left exactly as written.
    ("How do you say 'good morning' in German?", " Guten Morgen! ", " Guten Morgen! "),
    ("Just tell me a joke about cats", "Sure! Why did the cat...", "Sure! Why did the cat..."),
])
def test_replies_take_the_shape_asked_for(message: str, reply: str, want: str) -> None:
    assert shaped(reply, message) == want


@pytest.mark.parametrize(("message", "shape"), [
    ("Summarise this in under 10 words: ...", Shape(max_words=9)),
    ("Answer in a single word: is water wet?", Shape(max_words=1)),
    ("Give me a bulleted list of three colours", Shape(bullets=3)),
    ("ANSWER IN ALL CAPS please", Shape(case="upper")),
    ("no explanation, only the number: 6*7", Shape(bare=True, number=True)),
    # Everyday messages that name no shape.
    ("What words rhyme with cat?", Shape()),
    ("Tell me about capital letters in German nouns", Shape()),
    ("I have a list of three things to do today", Shape()),
])
def test_shapes_are_read_from_what_people_write(message: str, shape: Shape) -> None:
    assert asked_shape(message) == shape


def test_the_agent_shapes_its_reply_unless_the_spec_turns_it_off(home: Path) -> None:
    task = Task.model_validate({
        "id": "t", "category": "instruction_following",
        "turns": [{"role": "user", "content": SPANISH}],
        "check": {"type": "regex", "pattern": r"(?i)^\W*gracias\W*$"}})
    engine = ScriptedEngine(reply=lambda user: "The translation into Spanish is 'gracias'.")
    (result,) = score_tasks(default_spec(), [task], home=home, engine=engine).results
    assert result.passed and result.reply == "gracias", result.reply
    off = shapes_off()
    (result,) = score_tasks(off, [task], home=home, engine=engine).results
    assert not result.passed and result.reply == "The translation into Spanish is 'gracias'."


def test_standing_instructions_shape_every_later_reply() -> None:
    from hearth.edge_runtime._shape import standing_shape

    def later(reply: str, message: str, *held: str) -> str:
        return shaped(reply, message, standing_shape(message, held))

    assert later("The fruit is a banana.", "Which fruit?",
                 "For the rest of this chat, always reply in capital letters.") == \
        "THE FRUIT IS A BANANA."
    assert later("The capital of Italy is Rome.", "What is the capital of Italy?",
                 "Keep all your answers to a single word, please.") == "Rome"
    assert later("7 days.", "How many days are in a week?",
                 "Please end every reply with the word 'Cheers!'") == "7 days. Cheers!"
    assert later("Toast. — H", "A quick breakfast?",
                 "Whenever you reply, end your message with '— H'.") == "Toast. — H"
    # The message's own shape wins over the standing one.
    assert later("rome", "Capital of Italy, in lower case letters only?",
                 "Always reply in capital letters.") == "rome"
    # Without standing instructions nothing changes.
    assert later("The fruit is a banana.", "Which fruit?") == "The fruit is a banana."


def test_lists_written_on_one_line_are_put_one_per_line() -> None:
    assert shaped("- Apple - Orange - Pear", "List 3 fruits as bullet points.") == \
        "- Apple\n- Orange\n- Pear"
    assert shaped("1. Red 2. Blue (the other two colours) 3. Green",
                  "Give me three colours as a numbered list and nothing else.") == \
        "1. Red\n2. Blue\n3. Green"
    assert shaped("1. Sleep early, 2. No coffee, 3. Dark room, 4. Read, 5. Walk",
                  "Give me exactly 5 numbered tips for better sleep, one per line.") == \
        "1. Sleep early\n2. No coffee\n3. Dark room\n4. Read\n5. Walk"
    assert shaped('The ocean is called the "Oceanus" in Greek.',
                  "Give me one word that describes the ocean. One word only.") == "Oceanus"
