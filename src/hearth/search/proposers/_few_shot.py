"""Bootstrapped few-shot: demonstrations from passing search-part runs (DSPy's BootstrapFewShot).

A passing answer of the student is a demonstration it can copy. Demos are
ranked by how many words they share with the cluster's failures (the ones
most like what fails first), and a few small subsets become candidates; the
gate picks the subset that scores best.
"""

from __future__ import annotations

from collections.abc import Sequence

from hearth.search.proposers._candidate import Candidate, Failure, edits, words
from hearth.specs import Spec

#: Longest user message or reply used as a demonstration, in characters.
MAX_DEMO_CHARS = 400
#: Subsets tried per cluster.
MAX_SUBSETS = 3


def _ranked(spec: Spec, examples: Sequence[tuple[str, str]],
            failures: Sequence[Failure]) -> list[tuple[str, str]]:
    known = {(s.user, s.assistant) for s in spec.agent.few_shot}
    failing = [words(f.prompt) for f in failures]
    demos = list(dict.fromkeys(
        (u, r) for u, r in examples
        if (u, r) not in known and 0 < len(u) <= MAX_DEMO_CHARS and 0 < len(r) <= MAX_DEMO_CHARS))

    def closeness(demo: tuple[str, str]) -> int:
        mine = words(demo[0])
        return sum(len(mine & other) for other in failing)

    # Stable: ties keep the order the runs came in.
    return sorted(demos, key=lambda d: -closeness(d))


def propose_few_shot(spec: Spec, target: str, examples: Sequence[tuple[str, str]],
                     failures: Sequence[Failure] = (), *,
                     when: str | None = None) -> list[Candidate]:
    """Up to three subsets of passing demonstrations: the closest one, two, and the next.

    With `when` (the cluster's `class_pattern`), the examples are shown only to
    messages like the cluster's: demonstrations of one kind of answer shown to
    every message made SmolLM2 answer refusals and instructions in that kind.
    """
    room = spec.learning.max_few_shot - len(spec.agent.few_shot)
    demos = _ranked(spec, examples, failures)
    if room <= 0 or not demos:
        return []
    subsets = [demos[:1]]
    if room >= 2 and len(demos) >= 2:
        subsets.append(demos[:2])
    if len(demos) >= 3:
        subsets.append(demos[2:3] if room < 2 or len(demos) < 4 else demos[2:4])
    out = []
    for subset in subsets[:MAX_SUBSETS]:
        shown = edits([{"op": "add_few_shot", "user": u, "assistant": r,
                         **({"when": when} if when else {})} for u, r in subset])
        scope = f" to messages matching {when}" if when else ""
        out.append(Candidate(target, shown, f"show {len(subset)} passing answer(s) of this "
                             f"kind as examples{scope}", kind="few_shot"))
    return out
