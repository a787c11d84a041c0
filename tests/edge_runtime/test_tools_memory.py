"""remember and recall: facts go to and come from the context's FactMemory."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.tools import ToolBox
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
