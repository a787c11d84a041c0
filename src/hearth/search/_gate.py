"""GateOK: the acceptance rule for a spec edit (DESIGN.md).

For an edit aimed at cluster c, with G_k the held-out gate score on cluster k:
accept iff G_c(new) > G_c(old) and G_k(new) >= G_k(old) - eps for every other k.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Tolerance for float noise when comparing scores at exactly eps.
_FLOAT_SLACK = 1e-9
#: The target of an edit aimed at no one cluster (every message on another model): it
#: passes where some category rises and none falls by more than eps, that category
#: standing in for c in the rule above.
ANY_CATEGORY = "*"


@dataclass(frozen=True)
class Decision:
    """Whether an edit passes the gate, and why, in words for the session log."""

    accepted: bool
    reason: str


def target_label(target: str) -> str:
    """A target as the report and the morning message name it."""
    return "any category" if target == ANY_CATEGORY else target


def resolved(before: Mapping[str, float], after: Mapping[str, float], target: str) -> str:
    """`target`, or for `ANY_CATEGORY` the category that rose most ("" when none rose)."""
    if target != ANY_CATEGORY:
        return target
    gains = sorted(((after.get(k, 0.0) - v, k) for k, v in before.items()),
                   key=lambda g: (-g[0], g[1]))
    return gains[0][1] if gains and gains[0][0] > _FLOAT_SLACK else ""


def rose(before: Mapping[str, float], after: Mapping[str, float], target: str) -> bool:
    """Whether `target` improved (GateOK's first condition)."""
    return after.get(target, 0.0) > before.get(target, 0.0) + _FLOAT_SLACK


def fallen(before: Mapping[str, float], after: Mapping[str, float], target: str,
           eps: float) -> list[str]:
    """The clusters other than `target` that dropped by more than eps (GateOK refuses them)."""
    return [k for k in sorted(before) if k != target
            and after.get(k, 0.0) < before[k] - eps - _FLOAT_SLACK]


def gate_ok(before: Mapping[str, float], after: Mapping[str, float], target: str,
            eps: float) -> Decision:
    """Apply GateOK to per-cluster gate scores (pass rates in [0, 1])."""
    if target == ANY_CATEGORY:
        target = resolved(before, after, target)
        if not target:
            return Decision(False, "no category improved (an edit for every message needs "
                                   "one to rise)")
    if target not in before or target not in after:
        return Decision(False, f"target cluster {target!r} has no gate tasks")
    if not rose(before, after, target):
        return Decision(False, f"target {target} did not improve "
                               f"({before[target]:.3f} -> {after[target]:.3f})")
    drops = [f"{k} {before[k]:.3f} -> {after.get(k, 0.0):.3f}"
             for k in fallen(before, after, target, eps)]
    if drops:
        return Decision(False, f"regressed beyond eps={eps}: " + ", ".join(drops))
    return Decision(True, f"target {target} {before[target]:.3f} -> {after[target]:.3f}, "
                          f"no cluster dropped more than eps={eps}")
