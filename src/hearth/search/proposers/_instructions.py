"""Instructions offline: generic system-prompt and tool-description rewrites.

Without a teacher there is no one to write a new prompt from the lessons,
so the offline rewrites are few and generic: sentences about the form of an
answer, chosen by the words of the failures' check reasons and messages,
never by a category's name; and a tool description that names what the
failing messages ask for. The teacher's rewrites (see the teacher's
`propose_edits`) evolve the best prompt so far from scrubbed lessons.
"""

from __future__ import annotations

from collections.abc import Sequence

from hearth.search.proposers._candidate import Candidate, Failure, edits, fit, words
from hearth.specs import Spec

#: Generic sentences about the form of an answer, each with words that make it fit.
GENERIC_SENTENCES: tuple[tuple[str, str], ...] = (
    ("Answer with exactly what was asked, in the form asked for (one word, a number, a "
     "list, JSON), and nothing else.", "just only exactly word number list json format form "
     "expected missing"),
    ("Give the answer first, in one short sentence.", "short brief sentence first long"),
    ("When something cannot be done, say so plainly and offer what you can do instead.",
     "can't cannot unable refuse refused decline can"),
    ("Use what the user told you earlier in the conversation.",
     "earlier before told said remember conversation"),
)
#: Rewrites tried per cluster.
MAX_REWRITES = 2


def propose_instructions(spec: Spec, target: str,
                         failures: Sequence[Failure] = ()) -> list[Candidate]:
    """Up to two system-prompt additions fitting the failures, and one tool description."""
    texts = [f"{f.reason} {f.prompt}" for f in failures]
    ranked = sorted(GENERIC_SENTENCES, key=lambda s: -fit(texts, s[1]))
    out: list[Candidate] = []
    for sentence, _ in ranked:
        if len(out) >= MAX_REWRITES:
            break
        if sentence in spec.agent.system_prompt:
            continue
        prompt = f"{spec.agent.system_prompt.rstrip()} {sentence}".strip()
        if len(prompt) <= spec.learning.max_system_prompt_chars:
            out.append(Candidate(target, edits([{"op": "set_system_prompt", "prompt": prompt}]),
                                 f"system prompt: {sentence[:60]}…", kind="instructions"))
    out += _tool_description(spec, target, failures)
    return out


def _tool_description(spec: Spec, target: str,
                      failures: Sequence[Failure]) -> list[Candidate]:
    """The best-fitting enabled tool's description, naming the failing messages' words."""
    prompts = [f.prompt for f in failures]
    scored = [(fit(prompts, f"{t.name} {t.description}"), t) for t in spec.tools.tools
              if t.enabled]
    best = max(scored, key=lambda s: s[0], default=None)
    if best is None or best[0] == 0:
        return []
    tool = best[1]
    shared = sorted(words(" ".join(prompts)) & words(f"{tool.name} {tool.description}"))
    extra = f" Use it for questions about {', '.join(shared[:6])}."
    if not shared or extra in tool.description:
        return []
    text = (tool.description.rstrip() + extra)[:spec.learning.max_tool_description_chars]
    return [Candidate(target, edits([{"op": "set_tool_description", "name": tool.name,
                                      "description": text}]),
                      f"tool {tool.name}: say when to use it", kind="instructions")]
