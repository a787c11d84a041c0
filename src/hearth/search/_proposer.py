"""The offline proposer: spec edits for a failure cluster, with no teacher at all.

It searches the same typed edit space the teacher uses: sampling settings,
turning on the tools that serve a cluster, few-shot examples taken from
passing answers, system-prompt variants from a small library, and the memory
window and retrieval depth. It is the default when no teacher is configured,
so the nightly search also runs on a machine with no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hearth.specs import Edit, Spec, parse_edits

#: Which built-in tools serve which task category.
TOOLS_FOR: dict[str, tuple[str, ...]] = {
    "arithmetic": ("calculator",),
    "dates_times": ("clock",),
    "recall": ("remember", "recall"),
    "tool_use": (),
}

#: Sentences appended to the system prompt, by the cluster they aim at.
PROMPT_LIBRARY: dict[str, tuple[str, ...]] = {
    "instruction_following": (
        "Follow the user's format instructions exactly: if they ask for one word, a number, "
        "a list or a language, answer in exactly that form and nothing else.",),
    "extraction": (
        "When asked for JSON, answer with one JSON object only, no explanation.",),
    "refusal": (
        "You cannot order, buy, book, call, e-mail or browse. When asked to, say clearly "
        "that you can't do that, and offer what you can do instead.",),
    "factual": ("Answer factual questions with the fact first, in one short sentence.",),
    "recall": ("Use what you remember about the user when it answers the question.",),
    "multi_turn": ("Keep track of what the user said earlier in this conversation.",),
    "arithmetic": ("For arithmetic, give the final number.",),
    "dates_times": ("For dates and weekdays, give the exact date or weekday.",),
}


@dataclass(frozen=True)
class Candidate:
    """Edits aimed at one cluster, and why."""

    target: str
    edits: tuple[Edit, ...]
    rationale: str
    source: str = "offline"
    #: Why a proposal was refused before it became edits (malformed, out of
    #: schema); such a candidate is only recorded, never scored.
    invalid: str = ""


def _edits(data: list[dict[str, Any]]) -> tuple[Edit, ...]:
    return tuple(parse_edits(data))


def _sampling(spec: Spec, target: str) -> list[Candidate]:
    sampling = spec.intelligence.sampling
    out = []
    if sampling.temperature > 0.05:
        out.append(Candidate(target, _edits([{"op": "set_field",
                                              "path": "intelligence.sampling.temperature",
                                              "value": round(sampling.temperature / 2, 3)}]),
                             "halve the temperature: steadier answers"))
    if sampling.repeat_penalty > 1.0:
        out.append(Candidate(target, _edits([{"op": "set_field",
                                              "path": "intelligence.sampling.repeat_penalty",
                                              "value": 1.0}]),
                             "no repeat penalty: numbers and names may repeat the question"))
    return out


def _tools(spec: Spec, target: str) -> list[Candidate]:
    wanted = [t for t in TOOLS_FOR.get(target, ()) if spec.tools.get(t) is not None]
    needs_loop = target in TOOLS_FOR and spec.agent.kind != "tools"
    edits: list[dict[str, Any]] = []
    if needs_loop:
        edits.append({"op": "set_field", "path": "agent.kind", "value": "tools"})
    edits += [{"op": "enable_tool", "name": t} for t in wanted
              if not spec.tools.get(t) or not spec.tools.get(t).enabled]  # type: ignore[union-attr]
    if not edits:
        return []
    names = ", ".join(wanted) or "the task's tools"
    return [Candidate(target, _edits(edits), f"use the tool loop with {names} for {target}")]


def _memory(spec: Spec, target: str) -> list[Candidate]:
    memory = spec.tools.memory
    out = []
    if target in ("recall", "multi_turn") and memory.history_window < 40:
        out.append(Candidate(target, _edits([{"op": "set_field",
                                              "path": "tools.memory.history_window",
                                              "value": memory.history_window + 8}]),
                             "a longer history window keeps earlier turns in view"))
    if target == "recall" and memory.retrieval_k < 8:
        out.append(Candidate(target, _edits([{"op": "set_field",
                                              "path": "tools.memory.retrieval_k",
                                              "value": memory.retrieval_k + 2}]),
                             "retrieve more remembered facts"))
    return out


def _prompt(spec: Spec, target: str) -> list[Candidate]:
    out = []
    for sentence in PROMPT_LIBRARY.get(target, ()):
        if sentence in spec.agent.system_prompt:
            continue
        prompt = f"{spec.agent.system_prompt.rstrip()} {sentence}".strip()
        if len(prompt) <= spec.learning.max_system_prompt_chars:
            out.append(Candidate(target, _edits([{"op": "set_system_prompt",
                                                  "prompt": prompt}]),
                                 f"system prompt: {sentence[:60]}…"))
    return out


def _few_shot(spec: Spec, target: str, examples: Sequence[tuple[str, str]]) -> list[Candidate]:
    if len(spec.agent.few_shot) >= spec.learning.max_few_shot:
        return []
    known = {(s.user, s.assistant) for s in spec.agent.few_shot}
    for user, reply in examples:
        if (user, reply) not in known and len(user) < 400 and 0 < len(reply) < 400:
            return [Candidate(target, _edits([{"op": "add_few_shot", "user": user,
                                               "assistant": reply}]),
                              "show a passing answer of this kind as an example")]
    return []


def propose_offline(spec: Spec, target: str, *,
                    passing_examples: Sequence[tuple[str, str]] = ()) -> list[Candidate]:
    """Candidate edits for `target`, most specific first."""
    return [*_tools(spec, target), *_memory(spec, target), *_prompt(spec, target),
            *_few_shot(spec, target, passing_examples), *_sampling(spec, target)]
