"""Sampling, engine and memory settings: a small search space around the current point.

Each candidate moves one setting one step; the gate keeps a step only when
it helps, and the next session steps again from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hearth.search.proposers._candidate import Candidate, Failure, edits
from hearth.specs import Spec

#: Characters of failing replies, on average, above which shorter answers are tried.
LONG_REPLY_CHARS = 300
#: Characters per token, roughly, to judge whether prompts crowd the context.
CHARS_PER_TOKEN = 4


def _step(target: str, path: str, value: Any, why: str, kind: str = "sampling") -> Candidate:
    return Candidate(target, edits([{"op": "set_field", "path": path, "value": value}]), why,
                     kind=kind)


def propose_sampling(spec: Spec, target: str,
                     failures: Sequence[Failure] = ()) -> list[Candidate]:
    """One-step moves of sampling, the context size and the memory window and retrieval."""
    s = spec.intelligence.sampling
    base = "intelligence.sampling"
    out = []
    if s.temperature > 0.05:
        out.append(_step(target, f"{base}.temperature", round(s.temperature / 2, 3),
                         "halve the temperature: steadier answers"))
    if s.temperature > 0.0:
        out.append(_step(target, f"{base}.temperature", 0.0, "greedy decoding"))
    if s.repeat_penalty > 1.0:
        out.append(_step(target, f"{base}.repeat_penalty", 1.0,
                         "no repeat penalty: numbers and names may repeat the question"))
    if s.min_p < 0.1:
        out.append(_step(target, f"{base}.min_p", 0.1, "min_p 0.1: drop unlikely tokens"))
    replies = [len(f.reply) for f in failures]
    if replies and sum(replies) / len(replies) > LONG_REPLY_CHARS and s.max_tokens > 64:
        out.append(_step(target, f"{base}.max_tokens", s.max_tokens // 2,
                         "shorter answers: failing replies are long"))
    longest = max((len(f.prompt) for f in failures), default=0)
    if longest // CHARS_PER_TOKEN * 2 > spec.engine.n_ctx // 2 and spec.engine.n_ctx < 8192:
        out.append(_step(target, "engine.n_ctx", spec.engine.n_ctx * 2,
                         "a larger context: failing prompts are long", kind="engine"))
    memory = spec.tools.memory
    if memory.retrieval != "none" and memory.retrieval_k < 8:
        out.append(_step(target, "tools.memory.retrieval_k", memory.retrieval_k + 2,
                         "retrieve more remembered facts", kind="memory"))
    if memory.history_window < 40:
        out.append(_step(target, "tools.memory.history_window", memory.history_window + 8,
                         "a longer history window keeps earlier turns in view", kind="memory"))
    return out
