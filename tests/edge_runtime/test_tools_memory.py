"""remember and recall: facts go to and come from the context's FactMemory."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.tools import ToolBox
from hearth.edge_runtime.tools._memory_tools import RECALL
from hearth.specs import Tool, Tools
from tests.edge_runtime.test_tools_support import ListMemory, make_ctx

BOX = ToolBox.from_spec(
    Tools(tools=(Tool(name="remember", enabled=True), Tool(name="recall", enabled=True)))
)


def test_remember_then_recall() -> None:
    memory = ListMemory()
    ctx = make_ctx(memory=memory)
    stored = BOX.call("remember", {"fact": "  My sister Ana lives in Porto  "}, ctx)
    assert stored.ok
    assert stored.content == "Remembered: My sister Ana lives in Porto"
    assert stored.data == {"fact_id": 1, "fact": "My sister Ana lives in Porto"}
    BOX.call("remember", {"fact": "The wifi password is on the fridge"}, ctx)

    found = BOX.call("recall", {"query": "where does ana live"}, ctx)
    assert found.ok
    assert found.content == "- My sister Ana lives in Porto"
    assert found.data["facts"] == ["My sister Ana lives in Porto"]
    # Asked for more than it returns: facts are kept, questions dropped.
    assert memory.searches == [("chat-1", "where does ana live", 15)]


def test_recall_with_nothing_found() -> None:
    result = BOX.call("recall", {"query": "birthday"}, make_ctx())
    assert result.ok
    assert result.content == "nothing remembered about that"
    assert result.data["facts"] == []


def test_facts_stay_in_their_chat() -> None:
    memory = ListMemory()
    BOX.call("remember", {"fact": "my cat is Miso"}, make_ctx(memory=memory, chat_id="a"))
    other = BOX.call("recall", {"query": "cat"}, make_ctx(memory=memory, chat_id="b"))
    assert other.content == "nothing remembered about that"
    assert memory.facts.keys() == {"a"}


@pytest.mark.parametrize(
    ("tool", "arguments", "says"),
    [
        ("remember", {"fact": "   "}, "non-empty string"),
        ("remember", {"fact": "x" * 1001}, "at most 1000"),
        ("remember", {}, "missing required argument(s): fact"),
        ("recall", {"query": 42}, "must be string"),
    ],
)
def test_bad_arguments(tool: str, arguments: dict[str, object], says: str) -> None:
    memory = ListMemory()
    result = BOX.call(tool, arguments, make_ctx(memory=memory))
    assert not result.ok
    assert says in result.content
    assert memory.facts == {}


class FullDisk(ListMemory):
    def add_fact(self, chat_id: str, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_failing_memory_becomes_a_result() -> None:
    result = BOX.call("remember", {"fact": "x"}, make_ctx(memory=FullDisk()))
    assert not result.ok
    assert "OSError" in result.content
    assert "No space left on device" in result.content


def test_a_list_question_is_answered_from_what_was_added_and_removed() -> None:
    memory = ListMemory()
    for role, text in (("user", "Add milk to my shopping list."), ("assistant", "Added milk."),
                       ("user", "Also add bread."), ("assistant", "Added bread."),
                       ("user", "Put eggs, flour and some sugar on my to-do list"),
                       ("user", "Take flour off my to-do list"), ("user", "I love cake"),
                       ("user", "and cheese")):
        memory.say("chat-1", role, text)
    ctx = make_ctx(memory=memory)
    # "Also add bread." shares no word with the question: a search alone missed it.
    shopping = RECALL.run({"query": "What is on my shopping list?"}, ctx)
    assert shopping.data["facts"] == ["The user's shopping list has 2 items: milk and bread."]
    # Removals count, and a follow-up after another subject is not an addition.
    todo = RECALL.run({"query": "What's on my to-do list?"}, ctx)
    assert todo.data["facts"] == ["The user's to-do list has 2 items: eggs and sugar."]
    # A list nobody added to, and questions that only say "list", are searched as before.
    memory.add_fact("chat-1", "the user's packing list is in the drawer")
    packing = RECALL.run({"query": "Where is my packing list?"}, ctx)
    assert packing.data["facts"] == ["the user's packing list is in the drawer"]
    RECALL.run({"query": "What is on my holiday list?"}, ctx)
    assert memory.searches[-1][1] == "What is on my holiday list?"


@pytest.mark.parametrize("said", [
    "Also, what time is it?", "And how are you today", "and thank you so much",
    "Also remind me to call mum at 5.", "And remove eggs.", "Put the kettle on.", "Add 2 + 2",
])
def test_questions_and_other_requests_after_a_list_are_no_items(said: str) -> None:
    from hearth.edge_runtime.tools._lists import list_items

    assert list_items(["Add milk to my shopping list.", said], "shopping") == ["milk"]


def test_only_done_additions_count_and_clearing_empties_the_list() -> None:
    from hearth.edge_runtime.tools._lists import asked_list, list_items

    assert list_items(["Don't add milk to my shopping list."], "shopping") is None
    assert list_items(["Should I add milk to my shopping list?"], "shopping") is None
    assert list_items(["Add milk to my shopping list.", "Clear my shopping list."],
                      "shopping") == []
    # "My list" is the one list kept; with two lists it is none of them.
    assert list_items(["Add milk to my shopping list."], "") == ["milk"]
    assert list_items(["Add milk to my shopping list.", "Add call mum to my to-do list"],
                      "") is None
    # "My list of favourite movies" is no list kept by adding to it.
    assert asked_list("Show me my list of favourite movies") is None


def test_lists_started_listed_and_changed_by_talking() -> None:
    from hearth.edge_runtime.tools._lists import asked_list, list_items, list_sentence

    started = ["I'm making a shopping list. Add milk.", "Add eggs and bread too.",
               "Also add butter. Now read me the whole list."]
    assert asked_list(started[-1]) == ""
    assert list_items(started, "") == ["milk", "eggs", "bread", "butter"]
    assert list_items(["start a shopping list: eggs", "add spinach", "also oat milk"],
                      asked_list("what's on the list now?") or "") == \
        ["eggs", "spinach", "oat milk"]
    # "Things to pack:" is the packing list; "the list" is the one being talked about.
    packing = ["Things to pack: passport, charger, sunglasses.",
               "Take the sunglasses off the list and add an umbrella."]
    assert asked_list("How many items are on my packing list now?") == "packing"
    assert list_items(packing, "packing") == ["passport", "charger", "umbrella"]
    assert list_items(["to-do: call plumber", "add renew passport"], "to-do") == \
        ["call plumber", "renew passport"]
    assert list_sentence("packing", ["passport", "charger", "umbrella"]) == \
        "The user's packing list has 3 items: passport, charger and umbrella."
    assert list_sentence("", ["milk"]) == "The user's list has 1 item: milk."
    # Talk about another subject between: a later "and eggs" is no addition.
    assert list_items(["Add milk to my shopping list.", "The weather is nice.", "And eggs."],
                      "shopping") == ["milk"]


def test_a_message_that_changes_a_list_names_it() -> None:
    from hearth.edge_runtime.tools._lists import changed_list

    assert changed_list("Add eggs to my shopping list.", []) == "shopping"
    assert changed_list("Take milk off the shopping list", []) == "shopping"
    # Starting one is asking for a new list ("Write a shopping list for a BBQ"), no change.
    assert changed_list("I'm making a packing list.", []) is None
    assert changed_list("Also add bread.", ["Put milk on my shopping list"]) == "shopping"
    # Questions, additions not done and talk without a list change nothing.
    for text in ("What's on my shopping list?", "Don't add eggs to my shopping list.",
                 "Also add bread.", "The weather is nice."):
        assert changed_list(text, ["The weather is nice."]) is None, text
