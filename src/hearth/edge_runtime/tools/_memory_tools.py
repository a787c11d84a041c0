"""The remember and recall tools: long-term facts of the chat, through `FactMemory`."""

from __future__ import annotations

from typing import Any

from hearth.edge_runtime._corrections import corrected_texts
from hearth.edge_runtime.tools._arguments import text_argument
from hearth.edge_runtime.tools._lists import asked_list, list_items, list_sentence
from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult

#: Longest fact stored, in characters.
MAX_FACT_CHARS = 1000
#: Longest recall query, in characters.
MAX_QUERY_CHARS = 500
#: How many facts recall returns at most.
RECALL_K = 5
#: How many of the chat's last messages a list is read from.
LIST_HISTORY = 100

NOTHING_REMEMBERED = "nothing remembered about that"


def remember(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Store `arguments["fact"]` for this chat."""
    fact = text_argument(arguments, "fact", max_chars=MAX_FACT_CHARS)
    fact_id = ctx.memory.add_fact(ctx.chat_id, fact)
    return ToolResult(True, f"Remembered: {fact}", {"fact_id": fact_id, "fact": fact})


def recall(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Find this chat's facts most relevant to `arguments["query"]`."""
    query = text_argument(arguments, "query", max_chars=MAX_QUERY_CHARS)
    if (name := asked_list(query)) is not None:
        # A list is what the user added and removed, in order, not what a search finds.
        said = [m.text for m in ctx.memory.history(ctx.chat_id, LIST_HISTORY) if m.role == "user"]
        if (items := list_items(said, name)) is not None:
            sentence = list_sentence(name, items)
            return ToolResult(True, f"- {sentence}", {"query": query, "facts": [sentence]})
    found = ctx.memory.search(ctx.chat_id, query, 3 * RECALL_K)
    # Facts first; then what the user said, but not questions (the question
    # being answered is often stored already) and never the assistant's own
    # words, which may have been wrong.
    facts = [item.text for item in found if item.kind == "fact"]
    # Never the message being answered ("... what did i say my cat is called? testing").
    asking = {query.strip(), *(m.text.strip() for m in ctx.memory.history(ctx.chat_id, 1)
                               if m.role == "user")}
    said = [item.text for item in found if item.kind != "fact" and item.role == "user"
            and not item.text.rstrip().endswith("?") and item.text.strip() not in asking]
    texts = (facts + said)[:RECALL_K]
    if not texts:
        return ToolResult(True, NOTHING_REMEMBERED, {"query": query, "facts": []})
    # "My flight is BA 217" then "Sorry, it's BA 271": what is found, as corrected.
    texts = corrected_texts(texts, [m.text for m in ctx.memory.history(ctx.chat_id, LIST_HISTORY)
                                    if m.role == "user"])
    content = "\n".join(f"- {text}" for text in texts)
    return ToolResult(True, content, {"query": query, "facts": texts})


REMEMBER = ToolDefinition(
    name="remember",
    description="Store a fact the user wants you to remember for later conversations.",
    parameters={
        "type": "object",
        "properties": {
            "fact": {"type": "string", "description": "the fact, as one short sentence"}
        },
        "required": ["fact"],
        "additionalProperties": False,
    },
    run=remember,
)

RECALL = ToolDefinition(
    name="recall",
    description="Search the facts remembered for this chat.",
    parameters={
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "what to look for, a few keywords"}
        },
        "required": ["query"],
        "additionalProperties": False,
    },
    run=recall,
)
