"""The routed agent: classify the message, run the route's tool, reply in agreement.

See `hearth.edge_runtime.routing` for the pieces; this module is the order
they run in, and where the model is asked (only where the pieces are unsure).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from hearth.edge_runtime._engine import Message
from hearth.edge_runtime._json_reply import json_request
from hearth.edge_runtime._prompt import PromptParts
from hearth.edge_runtime.routing import (
    CHAT,
    SURE_SCORE,
    agrees,
    any_tool_route,
    asking_for,
    extract,
    fallback,
    match,
    rank,
    read_arguments,
    routed_tools,
    template,
)
from hearth.edge_runtime.routing._decline import declined
from hearth.edge_runtime.routing._follow_up import follow_up_context
from hearth.edge_runtime.routing._labelled import runs_commands
from hearth.edge_runtime.routing._ledger import running_total
from hearth.edge_runtime.routing._math import (
    message_numbers,
    with_context,
    with_previous,
    worded_sum,
)
from hearth.edge_runtime.routing._notes import asks_personal_fact
from hearth.edge_runtime.routing._refers import refers_back
from hearth.edge_runtime.routing._relevance import readable
from hearth.edge_runtime.routing._restated import restated_question
from hearth.edge_runtime.routing._word_problems import per_period
from hearth.edge_runtime.tools import BUILTIN_DEFINITIONS, ToolContext
from hearth.edge_runtime.tools._lists import asked_list, changed_list
from hearth.specs import ANY_TOOL, Route

if TYPE_CHECKING:
    from hearth.edge_runtime._agent import Agent, AgentResult, ToolCall

#: Built-in tools whose arguments the model may fill in when the message cannot be
#: read exactly: a word problem still needs an expression. A date question the
#: readers do not know ("which month has the fewest days?") is general
#: knowledge, a clock call the model guesses answers something else, and a
#: reminder without a time it can read is better asked about than guessed.
MODEL_FILLED = frozenset({"calculator", "remember", "recall"})
#: Tokens a sentence about a tool's result may take: it states one value.
CHECKED_MAX_TOKENS = 96
#: Offered functions shown to the model when it must choose among them.
MAX_CHOICES = 5
_ASKS_AMOUNT = re.compile(r"\bhow\s+(?:much|many)\b", re.IGNORECASE)
#: A question for an amount, as a chat message must ask one before the word-problem rules
#: may answer it: "What's my weekly pay?", not "Any tips to improve my speed?".
_ASKS_SUM = re.compile(r"\bhow\s+(?:much|many|long|far|old)\b|\bwhat(?:'?s|\s+is|\s+was|\s+will|"
                       r"\s+would|\s+do|\s+does)\b[^?.!]*\b(?:total|average|mean|cost|pay|price|"
                       r"speed|area|perimeter|difference|percent\w*|change|per|come\s+to|each)\b",
                       re.IGNORECASE)


def _route_messages(options: list[Route], user: str) -> list[Message]:
    lines = "\n".join(f"- {r.name}: {r.description or r.name.replace('_', ' ')}"
                      for r in options)
    return [{"role": "system", "content": f"Classify the user's message. Classes:\n{lines}"},
            {"role": "user", "content": user}]


def _function_messages(agent: Agent, names: list[str], user: str) -> list[Message]:
    schemas = {s["function"]["name"]: s["function"] for s in agent.box.schemas()}
    lines = "\n".join(f"- {n}: {schemas[n]['description']}" for n in names)
    return [{"role": "system", "content": (
        "Does one of these functions do what the user asks? Answer with its name, or none "
        f"when none of them does it.\nFunctions:\n{lines}")},
        {"role": "user", "content": user}]


def _offered(agent: Agent, routes: tuple[Route, ...], user: str, result: AgentResult,
             deadline: float) -> str | None:
    """The offered function that does what the message asks, or None."""
    skip = routed_tools(routes)
    functions = [s["function"] for s in agent.box.schemas() if s["function"]["name"] not in skip]
    if not functions:
        return None
    ranked = rank(user, functions)
    sure = [name for score, name in ranked if score >= SURE_SCORE]
    if len(sure) == 1 or (sure and ranked[0][0] > ranked[1][0]):
        return sure[0]
    if len(runners := runs_commands(functions, user)) == 1:
        return runners[0]
    # A message in another script scores zero whatever it asks; a model able to
    # judge is asked, one too small to (copy_spans) is not: SmolLM2 picked a
    # function for most such messages where none fitted.
    unreadable = not readable(user) and not agent.spec.agent.copy_spans
    maybe = [name for score, name in ranked if score > 0 or (unreadable and score == 0)][
        :MAX_CHOICES]
    if not maybe:
        return None
    choice = agent.choose(_function_messages(agent, maybe, user), [*maybe, "none"], result,
                          deadline)
    return None if choice in (None, "none") else choice


def classify(agent: Agent, user: str, result: AgentResult, deadline: float, *,
             follow_up: str | None = None,
             ) -> tuple[Route | None, str | None, tuple[Route, ...]]:
    """(route, tool, other candidate routes) for the message; route None is plain chat.

    A follow-up ("Now switch them off again") is matched to offered functions
    as `follow_up`, the user's turn before it and the message (see
    `follow_up_context`): it asks for the same kind of action.
    """
    routes = agent.spec.agent.routes
    star = any_tool_route(routes)
    if star is not None and (tool := _offered(agent, routes, follow_up or user, result,
                                              deadline)):
        return star, tool, ()
    found = match(routes, user)
    route = found.sure
    if route is None and found.tied:
        names = [r.name for r in found.tied]
        picked = agent.choose(_route_messages(list(found.tied), user), names, result, deadline)
        route = next((r for r in found.tied if r.name == picked), found.tied[0])
    if route is None:
        route = fallback(routes)
    others = tuple(r for r in found.ranked if r is not route)
    return route, route.tool if route is not None else None, others


def _arguments(agent: Agent, route: Route, tool: str, *, others: tuple[Route, ...], user: str,
               previous: str | None, earlier: list[str], follow_up: str | None,
               result: AgentResult, deadline: float,
               today: date) -> tuple[Route, str, dict[str, Any], str] | None:
    """(route, tool, arguments, the text they were read from): read from the message, else
    the model's; a follow-up's from `follow_up`, the previous turn and the message."""
    if tool == "calculator":
        user = with_context(with_previous(user, previous), earlier)
    if (arguments := extract(tool, user)) is not None:
        return route, tool, arguments, user
    # Another class the patterns also saw may read the message exactly.
    for other in others:
        if other.path == "tool" and other.tool and other.tool != ANY_TOOL and \
                other.tool in agent.box and (arguments := extract(other.tool, user)) is not None:
            return other, other.tool, arguments, user
    if tool in BUILTIN_DEFINITIONS and tool not in MODEL_FILLED:
        return None
    if tool not in BUILTIN_DEFINITIONS and follow_up:
        # "Now turn it off again": the room is in the turn before; "off" is in this one.
        arguments = agent.fill_arguments(tool, follow_up, result, deadline, today)
        if arguments is None:
            return None
        schema = agent.box.function(tool)["parameters"]
        return (route, tool, {**arguments, **read_arguments(schema, user, tool, arguments,
                                                             today)},
                follow_up)
    arguments = agent.fill_arguments(tool, user, result, deadline, today)
    return (route, tool, arguments, user) if arguments is not None else None


def _tool_reply(agent: Agent, route: Route, call: ToolCall, parts: PromptParts, *,
                result: AgentResult, on_text: Callable[[str], None],
                deadline: float) -> AgentResult:
    from hearth.edge_runtime._agent import CHECKED_TOOLS, with_results

    builtin = call.name in BUILTIN_DEFINITIONS
    if call.name == "recall" and call.ok and not call.data.get("facts") and \
            not asks_personal_fact(parts.user):
        return agent.reply(parts, result, on_text=on_text, deadline=deadline, model=route.model)
    if not call.ok or route.reply == "model" or not builtin:
        return agent.reply(with_results(parts, [call]), result, on_text=on_text,
                           deadline=deadline, model=route.model)
    text = template(call.name, call.data, call.result, parts.user)
    result.templated = True
    if route.reply == "checked" and call.name in CHECKED_TOOLS:
        engine = agent.engine_for(route.model)
        fitted = agent.fit(with_results(parts, [call]), result, engine)
        gen = agent.generate(fitted.messages(), result, engine=engine, on_text=None,
                             deadline=deadline, max_tokens=CHECKED_MAX_TOKENS)
        if gen.finish_reason == "stop" and agrees(call.name, call.data, gen.text, parts.user):
            text, result.templated = gen.text.strip(), False
    on_text(text)
    return agent.finish(text, "stop", result, on_text, asked=parts.user,
                        standing=parts.standing)


def _sum_over_turns(earlier: list[str], message: str) -> str | None:
    """The sum a question with no number of its own asks over the user's earlier statements:
    a running total, or a rate said before ("850 a month" ... "How much is that for a whole
    year?")."""
    if (expression := running_total(earlier, message)) is not None:
        return expression
    if message_numbers(message) or not _ASKS_AMOUNT.search(message) or not earlier:
        return None
    # Only a rate said before: other word-problem rules over joined turns misread ("I spent
    # 20 on lunch." "Lunch was with 3 friends." is no 20*3).
    joined = with_context(message, earlier)
    return per_period(joined.lower()) if joined != message else None


def _tool_route(agent: Agent, tool: str) -> Route | None:
    """The route to one built-in tool, when the tool is on."""
    if tool not in agent.box:
        return None
    return next((r for r in agent.spec.agent.routes if r.path == "tool" and r.tool == tool),
                None)


def run_routed(agent: Agent, parts: PromptParts, ctx: ToolContext, result: AgentResult, *,
               on_text: Callable[[str], None], deadline: float) -> AgentResult:
    """Answer through the route the message belongs to."""
    # "Give me a JSON object with rating (1-5), ...": a JSON reply, not a sum or a tool.
    if agent.spec.agent.shape_replies and json_request(parts.user) is not None:
        result.route = CHAT
        return agent.reply(parts, result, on_text=on_text, deadline=deadline)
    earlier = [t for r, t in parts.history if r == "user"]
    # "Sorry, I meant 4 bags." after "I need 3 bags at 2.40 each. How much is that?": the
    # question asked again with the new number, for the routes and the model alike.
    if (restated := restated_question(parts.user, earlier)) is not None:
        parts = replace(parts, user=restated)
    # "How much money do I have left?" after "I had 10 euros" and "I spent 4": a sum.
    if (sums := _tool_route(agent, "calculator")) is not None and \
            (expression := _sum_over_turns(earlier, parts.user)) is not None:
        result.route = sums.name
        call = agent.call("calculator", {"expression": expression}, ctx, result, sums.name)
        return _tool_reply(agent, sums, call, parts, result=result, on_text=on_text,
                           deadline=deadline)
    follow_up = follow_up_context(parts.user, earlier)
    route, tool, others = classify(agent, parts.user, result, deadline, follow_up=follow_up)
    # "How old is Ella?" after "My kids are Tom, who is 9, and Ella, who is 6", or "read
    # me the whole list": recall.
    if (route is None or route.path == "chat") and \
            (refers_back(parts.user, earlier) or asked_list(parts.user) is not None) and \
            (recall := _tool_route(agent, "recall")) is not None:
        route, tool, others = recall, "recall", ()
    result.route = route.name if route is not None else CHAT
    # "Add eggs to my shopping list": the list as it now stands, from what the user said.
    if (route is None or route.path == "chat") and \
            (named := changed_list(parts.user, earlier)) is not None and \
            (recall := _tool_route(agent, "recall")) is not None:
        result.route = recall.name
        query = f"What is on my {named + ' ' if named else ''}list?"
        call = agent.call("recall", {"query": query}, ctx, result, recall.name)
        if call.ok and call.data.get("facts"):
            text = "OK. " + template("recall", call.data, call.result, query)
            result.templated = True
            on_text(text)
            return agent.finish(text, "stop", result, on_text)
    # "I earn $22.50 an hour and work 37.5 hours a week. What's my weekly pay?" names no
    # operation a route's patterns know, yet it is a sum the word-problem rules set up.
    if (route is None or route.path == "chat") and _ASKS_SUM.search(parts.user) and \
            (sums := _tool_route(agent, "calculator")) is not None and \
            (expression := worded_sum(parts.user)) is not None:
        result.route = sums.name
        call = agent.call("calculator", {"expression": expression}, ctx, result, sums.name)
        return _tool_reply(agent, sums, call, parts, result=result, on_text=on_text,
                           deadline=deadline)
    if route is not None and route.path == "decline":
        text = declined(parts.user, (t.name for t in agent.spec.tools.enabled))
        on_text(text)
        return agent.finish(text, "stop", result, on_text)
    if route is None or route.path != "tool" or tool is None or tool not in agent.box:
        return agent.reply(parts, result, on_text=on_text, deadline=deadline,
                           model=route.model if route is not None else None)
    previous = next((t for r, t in reversed(parts.history) if r == "assistant"), None)
    found = _arguments(agent, route, tool, others=others, user=parts.user, previous=previous,
                       earlier=earlier, follow_up=follow_up, result=result,
                       deadline=deadline, today=ctx.today())
    if found is None:
        return agent.reply(parts, result, on_text=on_text, deadline=deadline, model=route.model)
    route, tool, arguments, said = found
    result.route = route.name
    if missing := agent.made_up(tool, said, arguments):
        # Asked, not guessed: a call with made-up values does what nobody asked.
        text = asking_for(missing, tool)
        on_text(text)
        return agent.finish(text, "stop", result, on_text)
    call = agent.call(tool, arguments, ctx, result, route.name)
    return _tool_reply(agent, route, call, parts, result=result, on_text=on_text,
                       deadline=deadline)
