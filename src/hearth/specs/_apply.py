"""Applying edits to a spec, and the diff that takes one spec to another.

`apply` works on the JSON form of the spec and validates the result as a
whole, so an edit can never produce a spec that would not load from a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from hearth.errors import SpecInvalid
from hearth.specs._edits import (
    EDIT_OPS,
    EDITS_ADAPTER,
    AddFewShot,
    AddRoute,
    DisableTool,
    Edit,
    EnableTool,
    RemoveFewShot,
    SetField,
    SetModel,
    SetSystemPrompt,
    SetToolDescription,
)
from hearth.specs._model import Spec

#: Paths that edits may not touch: they are bookkeeping, not behaviour.
_READ_ONLY = ("lineage", "schema_version")
#: Free-form values that `diff` replaces whole instead of walking into.
_LEAVES = frozenset({"parameters", "endpoint", "stop", "allowed_hosts", "eligible"})


def format_validation_error(exc: ValidationError, prefix: str = "") -> SpecInvalid:
    """Turn pydantic's first error into a `SpecInvalid` naming the path and the rule."""
    first = exc.errors()[0]
    # A discriminated union puts the tag ("set_field") in the location; users
    # know edits by their position, so the tag is left out of the path.
    parts = [str(p) for p in first["loc"]
             if not str(p).startswith("function-") and p not in EDIT_OPS]
    path = ".".join(([prefix] if prefix else []) + parts)
    rule = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        rule = "unknown field; remove it or check the spelling"
    elif first["type"] == "union_tag_invalid":
        tag = first.get("ctx", {}).get("tag", "?")
        rule = f"unknown op {tag!r}; known ops: {', '.join(EDIT_OPS)}"
    elif first["type"] == "union_tag_not_found":
        rule = f"missing 'op'; known ops: {', '.join(EDIT_OPS)}"
    return SpecInvalid(path, rule)


def parse_edits(data: Any) -> list[Edit]:
    """Validate edits from JSON data: a list, one edit, or ``{"edits": [...]}``."""
    if isinstance(data, dict) and "edits" in data and "op" not in data:
        data = data["edits"]
    if isinstance(data, dict):
        data = [data]
    try:
        return EDITS_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise format_validation_error(exc, "edits") from None


def _walk(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """Return (container, key) for a dotted path whose every step exists."""
    parts = path.split(".")
    if parts[0] in _READ_ONLY:
        raise SpecInvalid(path, f"{parts[0]} is read-only bookkeeping; edit behaviour fields")
    node: Any = data
    for depth, part in enumerate(parts):
        here = ".".join(parts[:depth]) or "the spec"
        key: str | int
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise SpecInvalid(path, f"{here} is a list of {len(node)}; use an index below it")
            key = int(part)
        elif isinstance(node, dict):
            if part not in node:
                known = ", ".join(sorted(node)) or "none"
                raise SpecInvalid(path, f"no field {part!r} in {here}; fields there: {known}")
            key = part
        else:
            raise SpecInvalid(path, f"{here} is a value, not a section; it has no {part!r}")
        if depth == len(parts) - 1:
            return node, key
        node = node[key]
    raise SpecInvalid(path, "empty path")  # pragma: no cover - the regex forbids it


def _tool_index(data: dict[str, Any], name: str) -> int:
    tools = data["tools"]["tools"]
    for i, tool in enumerate(tools):
        if tool["name"] == name:
            return i
    known = ", ".join(t["name"] for t in tools) or "none"
    raise SpecInvalid("tools.tools", f"no tool named {name!r}; the spec lists: {known}")


def _apply_one(data: dict[str, Any], edit: Edit) -> None:
    agent, intelligence = data["agent"], data["intelligence"]
    match edit:
        case SetField(path=path, value=value):
            container, key = _walk(data, path)
            container[key] = value
        case SetSystemPrompt(prompt=prompt):
            agent["system_prompt"] = prompt
        case AddFewShot(user=user, assistant=assistant, index=index, when=when):
            shots = agent["few_shot"]
            if index is not None and index > len(shots):
                raise SpecInvalid(f"agent.few_shot.{index}",
                                  f"cannot insert at index {index}; there are {len(shots)} "
                                  "examples (use 0 to that count, or omit index to append)")
            shot = {"user": user, "assistant": assistant, **({"when": when} if when else {})}
            shots.insert(len(shots) if index is None else index, shot)
        case RemoveFewShot(index=index):
            shots = agent["few_shot"]
            if index >= len(shots):
                raise SpecInvalid(f"agent.few_shot.{index}",
                                  f"no example at index {index}; there are {len(shots)}")
            del shots[index]
        case EnableTool(name=name) | DisableTool(name=name):
            data["tools"]["tools"][_tool_index(data, name)]["enabled"] = isinstance(
                edit, EnableTool
            )
        case SetToolDescription(name=name, description=description):
            data["tools"]["tools"][_tool_index(data, name)]["description"] = description
        case SetModel(model=model, chat_template=template):
            intelligence["model"] = model
            intelligence["chat_template"] = template
        case AddRoute(route=route):
            routes = agent["routes"]
            route_name = route.get("name")
            if any(r.get("name") == route_name for r in routes):
                raise SpecInvalid("agent.routes", f"a route named {route_name!r} exists already; "
                                  "edit it with set_field agent.routes.N, or pick another name")
            routes.append(dict(route))


def apply(spec: Spec, edits: Iterable[Edit]) -> Spec:
    """Return a new validated spec with `edits` applied, or raise `SpecInvalid`.

    The result records `spec`'s id as its parent and the edits as its lineage.
    """
    edits = list(edits)
    if not edits:
        return spec
    data = spec.content()
    for edit in edits:
        _apply_one(data, edit)
    data["lineage"] = {"parent_id": spec.id, "edits": [e.model_dump(mode="json") for e in edits]}
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc) from None


def _diff_tree(a: Any, b: Any, path: str, out: list[Edit]) -> None:
    if a == b:
        return
    leaf = path.rsplit(".", 1)[-1] in _LEAVES
    if isinstance(a, dict) and isinstance(b, dict) and not leaf and a.keys() == b.keys():
        for key in sorted(a):
            _diff_tree(a[key], b[key], f"{path}.{key}" if path else key, out)
        return
    out.append(SetField(path=path, value=b))


def diff(a: Spec, b: Spec) -> list[Edit]:
    """Edits that turn `a` into `b`: ``apply(a, diff(a, b)) == b``.

    Uses the specific edits where one fits (model, prompt, tool switches) and
    `set_field` for everything else.
    """
    da, db = a.content(), b.content()
    out: list[Edit] = []
    ia, ib = da["intelligence"], db["intelligence"]
    if (ia["model"], ia["chat_template"]) != (ib["model"], ib["chat_template"]):
        out.append(SetModel(model=ib["model"], chat_template=ib["chat_template"]))
    ia["model"], ia["chat_template"] = ib["model"], ib["chat_template"]
    if da["agent"]["system_prompt"] != db["agent"]["system_prompt"]:
        out.append(SetSystemPrompt(prompt=db["agent"]["system_prompt"]))
    da["agent"]["system_prompt"] = db["agent"]["system_prompt"]
    _diff_tools(da["tools"]["tools"], db["tools"]["tools"], out)
    da["tools"]["tools"] = db["tools"]["tools"]
    _diff_tree(da, db, "", out)
    return out


def _diff_tools(ta: Sequence[dict[str, Any]], tb: Sequence[dict[str, Any]],
                out: list[Edit]) -> None:
    if [t["name"] for t in ta] != [t["name"] for t in tb]:
        out.append(SetField(path="tools.tools", value=list(tb)))
        return
    for i, (x, y) in enumerate(zip(ta, tb, strict=True)):
        if x["enabled"] != y["enabled"]:
            out.append(EnableTool(name=y["name"]) if y["enabled"] else DisableTool(name=y["name"]))
        if x["description"] != y["description"]:
            out.append(SetToolDescription(name=y["name"], description=y["description"]))
        for key in sorted(set(x) - {"enabled", "description"}):
            if x[key] != y[key]:
                out.append(SetField(path=f"tools.tools.{i}.{key}", value=y[key]))
