"""The offline proposers: spec edits for a failure cluster, with no teacher at all.

One module per proposer, each fitting edits to the failures themselves, not
to category names, so a task file with categories the code has never seen
gets every kind of candidate:

* `_few_shot`: demonstrations bootstrapped from passing search-part runs;
* `_tools`: installed tools and routes whose description or patterns fit;
* `_instructions`: generic system-prompt and tool-description rewrites;
* `_sampling`: sampling and engine settings, one step at a time;
* `_models`: every installed catalog model, per route or for the whole spec.

It is the default when no teacher is configured, so the nightly search also
runs on a machine with no network.
"""

from __future__ import annotations

from collections.abc import Sequence

from hearth.search.proposers._candidate import Candidate, Failure, fit, words
from hearth.search.proposers._clusters import ClusterMap
from hearth.search.proposers._few_shot import propose_few_shot
from hearth.search.proposers._instructions import GENERIC_SENTENCES, propose_instructions
from hearth.search.proposers._models import (
    ModelOption,
    class_pattern,
    installed_options,
    propose_models,
)
from hearth.search.proposers._sampling import propose_sampling
from hearth.search.proposers._tools import caught_by, propose_tools
from hearth.specs import Spec


def propose_offline(spec: Spec, target: str, *,
                    passing_examples: Sequence[tuple[str, str]] = (),
                    failures: Sequence[Failure] = (),
                    models: Sequence[ModelOption] = (),
                    others: Sequence[str] = ()) -> list[Candidate]:
    """Candidate edits for `target`, the most specific kinds first.

    `passing_examples` are (message, reply) pairs the student got right in
    this cluster; `failures` the ones it got wrong; `models` the installed
    catalog models it may switch to (none: no model candidates); `others`
    the messages of the other clusters (what a class route must not catch).
    """
    mine = [u for u, _ in passing_examples] + [f.prompt for f in failures]
    return [*propose_tools(spec, target, failures, passing_examples),
            *propose_few_shot(spec, target, passing_examples, failures,
                              when=class_pattern(mine, others) if others else None),
            *propose_instructions(spec, target, failures),
            *propose_sampling(spec, target, failures),
            *propose_models(spec, target, models, failures, mine=mine, others=others)]


__all__ = [
    "GENERIC_SENTENCES",
    "Candidate",
    "ClusterMap",
    "Failure",
    "ModelOption",
    "caught_by",
    "class_pattern",
    "fit",
    "installed_options",
    "propose_few_shot",
    "propose_instructions",
    "propose_models",
    "propose_offline",
    "propose_sampling",
    "propose_tools",
    "words",
]
