"""The specs Hearth ships with: `default` (SmolLM2-135M) and `gemma3-270m`."""

from __future__ import annotations

from hearth.errors import SpecNotFound
from hearth.specs._model import Spec
from hearth.specs._primitives import (
    Agent,
    FewShot,
    Intelligence,
    Sampling,
    Tool,
    Tools,
)

DEFAULT_SYSTEM_PROMPT = (
    "You are Hearth, a helpful personal assistant running privately on the user's own "
    "computer. Answer in the user's language. Be brief and direct: one to three short "
    "sentences unless the user asks for more. If you do not know something, say so "
    "plainly instead of guessing. You cannot browse the web, send e-mail, make calls or "
    "buy things; say so politely when asked."
)

_TOOL_DESCRIPTIONS = {
    "calculator": "Evaluate an arithmetic expression exactly, e.g. 1234*5678 or (3+4)/2.",
    "clock": "Current date, time and weekday in the user's time zone, and date arithmetic.",
    "remember": "Store a fact the user wants you to remember for later conversations.",
    "recall": "Search the facts and past messages remembered for this chat.",
    "reminder": "Schedule a reminder message back to this chat at a given time.",
}


def _builtin_tools() -> Tools:
    return Tools(
        tools=tuple(
            Tool(name=name, enabled=False, description=text)
            for name, text in _TOOL_DESCRIPTIONS.items()
        )
    )


# Gemma 3 has no system role: the system prompt rides in a user turn. No BOS
# here: llama.cpp adds it when it tokenizes the prompt.
GEMMA_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'assistant' %}{% set role = 'model' %}"
    "{% else %}{% set role = 'user' %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)


def default_spec() -> Spec:
    """SmolLM2-135M-Instruct, plain chat, calculator and clock available but off."""
    return Spec(
        name="default",
        intelligence=Intelligence(model="smollm2-135m-instruct", sampling=Sampling()),
        agent=Agent(kind="chat", system_prompt=DEFAULT_SYSTEM_PROMPT),
        tools=_builtin_tools(),
    )


def gemma_spec() -> Spec:
    """Gemma 3 270M (a base model): an explicit template and few-shot examples."""
    return Spec(
        name="gemma3-270m",
        intelligence=Intelligence(
            model="gemma3-270m",
            chat_template=GEMMA_CHAT_TEMPLATE,
            stop=("<end_of_turn>", "<start_of_turn>"),
            sampling=Sampling(temperature=0.3, max_tokens=200),
        ),
        agent=Agent(
            kind="chat",
            system_prompt=DEFAULT_SYSTEM_PROMPT,
            few_shot=(
                FewShot(user="Hi!", assistant="Hello! How can I help you today?"),
                FewShot(user="What is the capital of France?", assistant="Paris."),
                FewShot(
                    user="Can you order me a pizza?",
                    assistant="Sorry, I can't place orders. I can help you plan one, though.",
                ),
            ),
        ),
        tools=_builtin_tools(),
    )


BUILTIN_SPECS = {"default": default_spec, "gemma3-270m": gemma_spec}


def builtin_spec(name: str) -> Spec:
    """A built-in spec by name, or `SpecNotFound` listing the names."""
    try:
        return BUILTIN_SPECS[name]()
    except KeyError:
        raise SpecNotFound(
            f"no built-in spec {name!r}; built-in specs: {', '.join(BUILTIN_SPECS)}"
        ) from None
