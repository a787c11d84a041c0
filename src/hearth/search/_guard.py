"""Guard rails beside the gate: size limits a candidate must meet before scoring."""

from __future__ import annotations

from hearth.specs import Spec


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
