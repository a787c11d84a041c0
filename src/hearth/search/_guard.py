"""Guard rails beside the gate: what a teacher may edit, and size limits before scoring.

The teacher is a remote model reading text that users wrote (a lesson can
carry an injected instruction), so its edits may touch only how the
assistant talks and remembers: prompts, few-shot examples, sampling, tool
descriptions, the memory window and retrieval, the agent's loop kind and
routes. The search's own settings (`learning.*`, which decide what the
search may do unsupervised), the model, the engine, tool endpoints and
`tools.allowed_hosts` stay the owner's.
"""

from __future__ import annotations

import re
from typing import Any

from hearth.specs import (
    BUILTIN_TOOLS,
    AddFewShot,
    DisableTool,
    Edit,
    EnableTool,
    RemoveFewShot,
    SetField,
    SetSystemPrompt,
    SetToolDescription,
    Spec,
)

#: `set_field` paths a teacher edit may set (the whole path must match one).
TEACHER_PATHS = tuple(re.compile(p) for p in (
    r"intelligence\.sampling(\.[a-z_]+)?",
    r"agent\.system_prompt",
    # chat or the tool loop; the offline proposer switches it for tool tasks too.
    r"agent\.kind",
    r"agent\.few_shot(\.\d+(\.(user|assistant|when))?)?",
    r"agent\.routes(\.[a-z0-9_]+)*",
    r"tools\.tools\.\d+\.description",
    r"tools\.memory\.(history_window|retrieval|retrieval_k)",
))
_ALWAYS = (SetSystemPrompt, AddFewShot, RemoveFewShot, SetToolDescription, DisableTool)


def teacher_refusal(edit: Edit) -> str | None:
    """Why a teacher may not make `edit`, or None when it is within the allowlist."""
    if isinstance(edit, _ALWAYS):
        return None
    if isinstance(edit, EnableTool):
        # A built-in runs only local code; an owner's HTTP tool reaches the network.
        if edit.name in BUILTIN_TOOLS:
            return None
        return (f"a teacher may enable only built-in tools ({', '.join(BUILTIN_TOOLS)}), "
                f"not {edit.name!r}")
    if isinstance(edit, SetField):
        if edit.path.startswith("agent.routes") and _names_a_model(edit.path, edit.value):
            return ("a teacher may not route messages to another model (the model is the "
                    "owner's choice); routes to tools or chat are fine")
        if any(p.fullmatch(edit.path) for p in TEACHER_PATHS):
            return None
        return (f"a teacher may not change {edit.path!r}; it may set sampling, the system "
                "prompt, few-shot examples, tool descriptions, memory window and retrieval, "
                "the agent kind and routes")
    return f"a teacher may not use {edit.op!r} (the model is the owner's choice)"


def _names_a_model(path: str, value: Any) -> bool:
    """Whether a routes edit sets a route's `model` (its path, or a value holding one)."""
    if path.endswith(".model") or (path.endswith(".path") and value == "model"):
        return True
    if isinstance(value, dict):
        return value.get("model") is not None or value.get("path") == "model"
    if isinstance(value, list | tuple):
        return any(_names_a_model("", v) for v in value)
    return False


def guard(spec: Spec) -> str | None:
    """Why `spec` is refused before scoring, or None when it is within the limits."""
    limits = spec.learning
    if len(spec.agent.system_prompt) > limits.max_system_prompt_chars:
        return (f"system prompt has {len(spec.agent.system_prompt)} characters; "
                f"the limit is {limits.max_system_prompt_chars}")
    if len(spec.agent.few_shot) > limits.max_few_shot:
        return f"{len(spec.agent.few_shot)} few-shot examples; the limit is {limits.max_few_shot}"
    shots = sum(len(s.user) + len(s.assistant) for s in spec.agent.few_shot)
    if shots > limits.max_system_prompt_chars * 2:
        return f"few-shot block has {shots} characters; the limit is " \
               f"{limits.max_system_prompt_chars * 2}"
    for tool in spec.tools.tools:
        if len(tool.description) > limits.max_tool_description_chars:
            return (f"tool {tool.name} description has {len(tool.description)} characters; "
                    f"the limit is {limits.max_tool_description_chars}")
    return None


__all__ = ["TEACHER_PATHS", "guard", "teacher_refusal"]
