"""Teacher proposals: the prompts, the JSON schemas asked for, and validating the answers.

A proposals answer is validated proposal by proposal: each one's edits must
parse as the spec's `Edit` union, apply to the current spec and stay within
what a teacher may edit (`teacher_refusal`), or it is rejected with the
reason. Nothing the teacher says is trusted further.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from hearth.errors import SpecInvalid
from hearth.search._guard import teacher_refusal
from hearth.search._scrub import scrub
from hearth.search.proposers import Candidate
from hearth.specs import EDIT_ADAPTER, EDIT_OPS, Edit, Spec, apply, parse_edits

log = logging.getLogger(__name__)

PROPOSE_SYSTEM = (
    "You improve the spec of a small assistant that runs on its owner's own computer. You "
    "read failures of the assistant and propose typed edits to its spec that would fix the "
    "failures of one target cluster without hurting the others. Each proposal is applied "
    "alone and tested on held-out tasks; only proposals that help are kept. Answer with one "
    'JSON object only: {"proposals": [{"target": cluster, "rationale": why, "edits": '
    "[edit, ...]}]}, at most 3 proposals of 1 to 3 edits each. Make at least one proposal "
    "a rewrite of the system prompt or of a tool description: start from the current text "
    "(the best found so far), keep what works and change what the failures show is "
    "missing.")
DIAGNOSE_SYSTEM = (
    "You read failures of a small on-device assistant and group them into clusters by "
    "their likely cause. Answer with one JSON object only: "
    '{"clusters": [{"name": short_snake_case_name, "reading": what goes wrong and why, '
    '"lessons": [lesson numbers]}]}.')


def _guide(node: Any) -> Any:
    """Pydantic's schema of the edits, without what a grammar-driven server chokes on.

    Length limits become huge grammars in llama.cpp and `Any` becomes "an
    object", so both go; pydantic validates the answer in full anyway.
    """
    if isinstance(node, list):
        return [_guide(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _guide(v) for k, v in node.items() if k not in {
        "title", "default", "maxLength", "minLength", "pattern", "maximum", "minimum",
        "discriminator"}}
    if "const" in out and "op" not in out:
        out.pop("type", None)
    if out.get("properties", {}).get("op"):
        out["required"] = ["op", *out.get("required", [])]
    if "value" in out.get("properties", {}):
        out["properties"]["value"] = {"type": ["string", "number", "boolean", "null"]}
    return out


#: The edits part of the proposals schema, computed once.
_EDIT_GUIDE = _guide(EDIT_ADAPTER.json_schema())


def proposals_schema(cluster: str) -> dict[str, Any]:
    """The JSON schema of a proposals answer aimed at `cluster` (the guide the teacher gets)."""
    proposal = {"type": "object", "additionalProperties": False,
                "required": ["target", "rationale", "edits"],
                "properties": {"target": {"type": "string", "enum": [cluster]},
                               "rationale": {"type": "string"},
                               "edits": {"type": "array", "minItems": 1, "maxItems": 3,
                                         "items": {"oneOf": _EDIT_GUIDE["oneOf"]}}}}
    return {"type": "object", "additionalProperties": False, "required": ["proposals"],
            "properties": {"proposals": {"type": "array", "minItems": 1, "maxItems": 3,
                                         "items": proposal}},
            "$defs": _EDIT_GUIDE["$defs"]}


#: The JSON schema of a diagnosis answer.
DIAGNOSE_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["clusters"],
    "properties": {"clusters": {"type": "array", "maxItems": 8, "items": {
        "type": "object", "additionalProperties": False,
        "required": ["name", "reading", "lessons"],
        "properties": {"name": {"type": "string"}, "reading": {"type": "string"},
                       "lessons": {"type": "array", "items": {"type": "integer"}}}}}}}


@dataclass(frozen=True)
class Proposal:
    """A validated proposal: edits that apply to the spec, aimed at one cluster."""

    target: str
    rationale: str
    edits: tuple[Edit, ...]

    def candidate(self) -> Candidate:
        """The proposal as a search candidate (kind "instructions" for a pure rewrite)."""
        rewrite = all(e.op in ("set_system_prompt", "set_tool_description") for e in self.edits)
        return Candidate(self.target, self.edits, self.rationale, source="teacher",
                         kind="instructions" if rewrite else "teacher")


@dataclass(frozen=True)
class RejectedProposal:
    """A proposal (or a whole answer) refused, and why; `raw` is what was refused."""

    target: str | None
    reason: str
    raw: str


@dataclass(frozen=True)
class ProposalResult:
    """What one `propose_edits` call brought: valid proposals, rejections, cost."""

    proposals: tuple[Proposal, ...]
    rejected: tuple[RejectedProposal, ...]
    input_tokens: int = 0
    output_tokens: int = 0
    budget_exhausted: bool = False


@dataclass(frozen=True)
class ClusterReading:
    """The teacher's reading of a group of lessons (1-based lesson numbers)."""

    name: str
    reading: str
    lessons: tuple[int, ...]


#: Characters of a route's patterns shown to the teacher; longer lists are
#: summarised, so the request fits a local teacher's context (4096 tokens).
BRIEF_PATTERN_CHARS = 300


def _brief_route(route: dict[str, Any]) -> dict[str, Any]:
    patterns = route.get("patterns") or []
    size = sum(len(p) for p in patterns)
    if size <= BRIEF_PATTERN_CHARS:
        return route
    return {**route, "patterns": f"{len(patterns)} regular expressions, {size} characters "
                                 "(not shown)"}


def spec_brief(spec: Spec, cluster: str) -> str:
    """The part of a proposal request after the lessons: the spec's editable parts, the aim."""
    data = spec.content()
    agent = dict(data["agent"])
    agent["routes"] = [_brief_route(r) for r in agent["routes"]]
    shown = {"intelligence": {"sampling": data["intelligence"]["sampling"],
                              "stop": data["intelligence"]["stop"]},
             "agent": agent,
             "tools": {"tools": [{k: t[k] for k in ("name", "enabled", "description")}
                                 for t in data["tools"]["tools"]],
                       "memory": data["tools"]["memory"]}}
    limits = spec.learning
    # The owner's prompt may name people too; the scrub has no salt to keep here.
    text = scrub(json.dumps(shown, ensure_ascii=False, separators=(",", ":")), salt="")
    return (f"The current spec (the parts edits may change):\n{text}\n\n"
            "Long route patterns are summarised; a set_field on a route's patterns "
            "replaces them all.\n\n"
            f"Edit ops: {', '.join(EDIT_OPS)}. set_field takes a dotted path such as "
            "intelligence.sampling.temperature or tools.memory.retrieval_k. Limits: system "
            f"prompt at most {limits.max_system_prompt_chars} characters, at most "
            f"{limits.max_few_shot} few-shot examples, tool descriptions at most "
            f"{limits.max_tool_description_chars} characters.\n\n"
            f"Target cluster: {cluster}. Propose edits that fix its failures.")


def _json_answer(text: str) -> Any:
    text = text.strip()
    if text.startswith("```"):  # some models fence JSON even when told not to
        text = text.strip("`").removeprefix("json").strip()
    return json.loads(text)


def parse_proposals(text: str, spec: Spec, cluster: str, *,
                    cut_off: bool = False) -> tuple[list[Proposal], list[RejectedProposal]]:
    """Validate a proposals answer: each proposal's edits must parse and apply to `spec`."""
    raw = text[:2000]
    try:
        data = _json_answer(text)
    except ValueError as exc:
        why = " (cut off at max_tokens)" if cut_off else ""
        return [], [RejectedProposal(cluster, f"answer is not JSON{why}: {exc}", raw)]
    items = data.get("proposals") if isinstance(data, dict) else data
    if isinstance(data, dict) and "edits" in data and items is None:
        items = [data]
    if not isinstance(items, list) or not items:
        return [], [RejectedProposal(cluster, "answer has no list of proposals under "
                                     "'proposals'", raw)]
    accepted, rejected = [], []
    for item in items:
        one = json.dumps(item, ensure_ascii=False)[:2000]
        if not isinstance(item, dict):
            rejected.append(RejectedProposal(cluster, "a proposal is not an object", one))
            continue
        target = str(item.get("target") or cluster)
        try:
            if target != cluster:
                raise SpecInvalid("target", f"aims at {target!r}, but {cluster!r} was asked for")
            edits = parse_edits(item.get("edits", []))
            if not edits:
                raise SpecInvalid("edits", "no edits")
            apply(spec, edits)
            for edit in edits:
                refusal = teacher_refusal(edit)
                if refusal:
                    raise SpecInvalid("", refusal)
        except SpecInvalid as exc:
            rejected.append(RejectedProposal(target, f"invalid proposal: {exc}", one))
            continue
        accepted.append(Proposal(target, str(item.get("rationale") or ""), tuple(edits)))
    return accepted, rejected


def parse_readings(text: str, n_lessons: int) -> list[ClusterReading]:
    """The clusters of a diagnosis answer; malformed entries are left out."""
    try:
        data = _json_answer(text)
    except ValueError as exc:
        log.warning("teacher's diagnosis is not JSON: %s", exc)
        return []
    items = data.get("clusters") if isinstance(data, dict) else None
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue  # a reading is optional: leave out what cannot be read
        numbers = item.get("lessons")
        numbers = numbers if isinstance(numbers, list) else []
        out.append(ClusterReading(item["name"], str(item.get("reading") or ""), tuple(
            n for n in numbers if isinstance(n, int) and 1 <= n <= n_lessons)))
    return out


__all__ = [
    "DIAGNOSE_SCHEMA",
    "ClusterReading",
    "Proposal",
    "ProposalResult",
    "RejectedProposal",
    "parse_proposals",
    "parse_readings",
    "proposals_schema",
    "spec_brief",
]
