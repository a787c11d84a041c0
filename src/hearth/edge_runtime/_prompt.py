"""Building the prompt from the spec, memory and the new message, within n_ctx.

When the conversation would not fit the context window, the oldest history
goes first, then the few-shot examples, then recalled memory; the new message
is cut (keeping its end) only as a last resort. Nothing ever overflows n_ctx.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from hearth.edge_runtime._corrections import corrected, corrected_texts
from hearth.edge_runtime._standing import standing
from hearth.specs import Spec

Message = dict[str, str]

#: Tokens a chat template adds around each message (role markers, newlines).
PER_MESSAGE_OVERHEAD = 8
#: Tokens kept free beyond max_tokens, for the template's generation prompt.
SAFETY_MARGIN = 16


@dataclass(frozen=True)
class PromptParts:
    """The pieces of a prompt, before they are joined into messages."""

    system: str
    few_shot: tuple[tuple[str, str], ...] = ()
    recalled: tuple[str, ...] = ()
    history: tuple[tuple[str, str], ...] = ()
    standing: tuple[str, ...] = ()
    """Instructions from earlier turns that still hold (`_standing`)."""
    extra: tuple[Message, ...] = field(default=())
    user: str = ""

    def messages(self) -> list[Message]:
        """The chat messages, system first, the new user message last."""
        out: list[Message] = [{"role": "system", "content": self.system}] if self.system else []
        for user, assistant in self.few_shot:
            out += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
        out += [{"role": role, "content": text} for role, text in self.history]
        user = self.user
        if self.standing:
            user += "\n\n(Earlier you were asked: " + " ".join(self.standing) + ")"
        if self.recalled:
            # Next to the question, not in the system prompt: a small model
            # reads what sits beside the question and overlooks the rest.
            user += "\n\n(From your memory of this chat:\n" + "\n".join(
                f"- {r}" for r in self.recalled) + ")"
        out.append({"role": "user", "content": user})
        out += list(self.extra)
        return out


def base_parts(spec: Spec, *, user: str, history: Sequence[tuple[str, str]],
               recalled: Sequence[str], now_local: datetime,
               timezone: str | None = None) -> PromptParts:
    """The prompt parts for one message under `spec` (`timezone`: the chat's, if it set one)."""
    when = now_local.strftime("%A %Y-%m-%d %H:%M")
    system = spec.agent.system_prompt.strip()
    system = f"{system}\nNow: {when} ({timezone or spec.agent.timezone})." if system else ""
    return PromptParts(
        system=system,
        few_shot=tuple((s.user, s.assistant) for s in spec.agent.few_shot if s.shown_for(user)),
        recalled=tuple(corrected_texts(recalled, [t for r, t in history if r == "user"]))
        if spec.agent.shape_replies else tuple(recalled),
        standing=tuple(standing(history)) if spec.agent.shape_replies else (),
        # "Actually it's Tuesday, not Monday": earlier turns read as corrected.
        history=tuple(corrected(history)) if spec.agent.shape_replies else tuple(history),
        user=user,
    )


def fit(parts: PromptParts, count: Callable[[str], int], *, n_ctx: int,
        max_tokens: int) -> tuple[PromptParts, bool]:
    """Trim `parts` until the prompt plus `max_tokens` fits `n_ctx`.

    Returns the parts and whether anything was dropped.
    """
    budget = n_ctx - max_tokens - SAFETY_MARGIN

    def size(p: PromptParts) -> int:
        return sum(count(m["content"]) + PER_MESSAGE_OVERHEAD for m in p.messages())

    trimmed = False
    while size(parts) > budget:
        trimmed = True
        if parts.history:
            parts = replace(parts, history=parts.history[1:])
        elif parts.few_shot:
            parts = replace(parts, few_shot=parts.few_shot[1:])
        elif parts.recalled:
            parts = replace(parts, recalled=parts.recalled[:-1])
        elif len(parts.user) > 16:
            parts = replace(parts, user=parts.user[len(parts.user) // 4:])
        elif len(parts.system) > 16:
            parts = replace(parts, system=parts.system[: len(parts.system) // 2])
        else:
            break
    return parts, trimmed
