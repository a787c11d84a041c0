"""The offline proposers on real task files: no table keyed to category names."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from hearth.bench import Task, builtin_tasks, load_tasks, split
from hearth.errors import SpecInvalid
from hearth.search._session import Outcome, ScoreSheet, diagnose
from hearth.search.proposers import (
    ClusterMap,
    ModelOption,
    installed_options,
    propose_few_shot,
    propose_models,
    propose_offline,
)
from hearth.specs import Spec, apply, default_spec, parse_edits

#: Built-in category -> a name no code has seen.
RENAMED = {"arithmetic": "sums_and_money", "dates_times": "calendar_questions",
           "recall": "things_i_said", "tool_use": "gadget_calls",
           "instruction_following": "do_as_told", "factual": "trivia_night",
           "refusal": "out_of_reach", "extraction": "pull_fields",
           "multi_turn": "long_chats"}


def renamed_tasks(tmp_path: Path) -> list[Task]:
    """The built-in tasks written to a user's task file with every category renamed."""
    lines = []
    for task in builtin_tasks():
        data = task.model_dump(mode="json")
        data["category"] = RENAMED.get(task.category, f"x_{task.category}")
        lines.append(json.dumps(data))
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return load_tasks(path)


def chat_spec() -> Spec:
    """A user's spec that answers everything in chat: tools listed but off, no routes."""
    spec = default_spec()
    off = [{"op": "disable_tool", "name": t.name} for t in spec.tools.tools]
    return apply(spec, parse_edits([*off, {"op": "set_field", "path": "agent.routes",
                                           "value": []},
                                    {"op": "set_field", "path": "agent.kind", "value": "chat"}]))


def half_failing(tasks: list[Task]) -> ScoreSheet:
    """A search-part sheet where every other task of each category failed (as a weak
    student's would), with the reply a small model gives."""
    outcomes, seen = [], {}
    for task in tasks:
        n = seen[task.category] = seen.get(task.category, 0) + 1
        passed = n % 2 == 0
        outcomes.append(Outcome(task.id, task.category, task.turns[-1].content,
                                "the answer" if passed else "I am not sure.", passed,
                                "" if passed else "reply lacks the expected value"))
    return ScoreSheet({}, 0.5, tuple(outcomes))


def kinds_for(spec: Spec, sheet: ScoreSheet, category: str) -> set[str]:
    failures = [o for o in sheet.outcomes if o.category == category and not o.passed]
    passing = [(o.prompt, o.reply) for o in sheet.outcomes if o.category == category and o.passed]
    candidates = propose_offline(spec, category, passing_examples=passing, failures=failures)
    for candidate in candidates:  # every candidate applies to the spec it was made for
        apply(spec, candidate.edits)
    return {c.kind for c in candidates}


def test_renamed_categories_get_tool_few_shot_and_sampling_candidates(tmp_path: Path) -> None:
    search, _ = split(renamed_tasks(tmp_path))
    sheet = half_failing(search)
    clusters = [c.name for c in diagnose(sheet)]
    assert set(clusters) <= set(RENAMED.values()) and len(clusters) >= 6
    for spec in (chat_spec(), default_spec()):
        seen = {name: kinds_for(spec, sheet, name) for name in clusters}
        for name, kinds in seen.items():
            assert {"few_shot", "sampling"} <= kinds, (name, kinds)
        # Tools fit by their descriptions: the renamed arithmetic and calendar clusters
        # get the calculator and the clock (chat spec) or route edits (routed spec).
        for name in ("sums_and_money", "calendar_questions"):
            assert seen[name] & {"tools", "routes"}, (name, seen[name])
    chat = chat_spec()
    failures = [o for o in sheet.outcomes if o.category == "sums_and_money" and not o.passed]
    first = apply(chat, propose_offline(chat, "sums_and_money", failures=failures)[0].edits)
    assert first.agent.kind == "tools" and first.tools.get("calculator").enabled
    failures = [o for o in sheet.outcomes if o.category == "calendar_questions"
                and not o.passed]
    enabled = {t.name for c in propose_offline(chat, "calendar_questions", failures=failures)
               for t in apply(chat, c.edits).tools.tools if t.enabled}
    assert "clock" in enabled


def test_tool_failures_map_to_categories_through_tasks_and_routes(tmp_path: Path) -> None:
    clusters = ClusterMap(renamed_tasks(tmp_path), default_spec())
    assert clusters.cluster_of("tool:calculator") == "sums_and_money"
    assert clusters.cluster_of("tool:clock") == "calendar_questions"
    assert clusters.cluster_of("trivia_night") == "trivia_night"
    assert clusters.cluster_of("chat") is None and clusters.cluster_of("tool:nothing") is None


def test_few_shot_subsets_prefer_demos_like_the_failures() -> None:
    failures = [Outcome("t", "c", "What is the capital of Peru?", "Quito", False, "no")]
    demos = [("Say hi in French", "Bonjour"), ("What is the capital of Chile?", "Santiago"),
             ("Count to three", "1 2 3"), ("Name a colour", "Blue")]
    spec = default_spec()
    subsets = [[(e.user, e.assistant) for e in c.edits]  # type: ignore[union-attr]
               for c in propose_few_shot(spec, "c", demos, failures)]
    assert subsets[0] == [("What is the capital of Chile?", "Santiago")]
    assert len(subsets[1]) == 2 and len(subsets) == 3
    full = apply(spec, parse_edits([{"op": "add_few_shot", "user": f"u{i}", "assistant": "a"}
                                    for i in range(6)]))
    assert propose_few_shot(full, "c", demos, failures) == []  # max_few_shot is 8


def test_examples_of_a_kind_are_shown_only_to_messages_of_that_kind() -> None:
    from hearth.edge_runtime._prompt import base_parts
    from hearth.search.proposers import propose_offline

    failures = [Outcome("t", "extraction", 'Extract JSON with keys "a" and "b": "x y"', "{",
                        False, "no JSON")]
    demos = [('Give me JSON with keys "name" and "age": "Ann, 30"', '{"name": "Ann", "age": "30"}'),
             ('Turn into JSON with keys "day": "on Monday"', '{"day": "Monday"}')]
    others = ["What is the capital of Peru?", "Refuse politely: order me a pizza", "Hi there"]
    shots = [c for c in propose_offline(default_spec(), "extraction", passing_examples=demos,
                                        failures=failures, others=others)
             if c.kind == "few_shot"]
    assert shots and all("to messages matching" in c.rationale for c in shots)
    spec = apply(default_spec(), shots[0].edits)
    added = spec.agent.few_shot[-1]
    assert added.when and added.shown_for('Extract JSON with keys "x"') \
        and not added.shown_for("What is the capital of Peru?")
    now = datetime(2026, 1, 1)

    def shown(message: str) -> list[tuple[str, str]]:
        return list(base_parts(spec, user=message, history=[], recalled=[], now_local=now).few_shot)

    assert (added.user, added.assistant) in shown('Give me JSON with the keys "k"')
    assert (added.user, added.assistant) not in shown("Refuse politely: order me a taxi")
    assert len(shown("Hi")) == len(default_spec().agent.few_shot)
    # Without other clusters to tell them apart, examples are shown to every message.
    (first, *_) = propose_few_shot(default_spec(), "extraction", demos, failures)
    assert all(not getattr(e, "when", "") for e in first.edits)


def test_an_example_scope_that_is_no_pattern_is_refused() -> None:
    with pytest.raises(SpecInvalid, match=r"agent.few_shot.*not a regular expression"):
        apply(default_spec(), parse_edits([{"op": "add_few_shot", "user": "u", "assistant": "a",
                                            "when": "(unclosed"}]))


def test_model_choice_per_route_with_its_cost(home: Path) -> None:
    spec = default_spec()
    option = ModelOption("qwen2.5-coder-0.5b-instruct", 491_400_064, 40.0)
    failures = [Outcome("t", "c", "What is 23 * 17?", "389", False, "expected 391")]
    candidates = propose_models(spec, "c", [option, ModelOption(spec.intelligence.model)],
                                failures)
    assert [c.kind for c in candidates] == ["model", "model"]
    routed = apply(spec, candidates[0].edits)
    assert routed.agent.route("arithmetic").model == option.name  # the route that caught it
    assert apply(spec, candidates[1].edits).intelligence.model == option.name
    assert candidates[0].cost == {"size_bytes": 491_400_064.0, "decode_tokens_per_s": 40.0}
    assert "491 MB" in candidates[0].rationale
    # A fresh home has the two packaged models; gemma needs its own chat template, so
    # only SmolLM2 is a choice there.
    assert [o.name for o in installed_options(home)] == ["smollm2-135m-instruct"]


def test_a_class_route_sends_messages_like_the_clusters_to_another_model(
        tmp_path: Path) -> None:
    # Renamed categories: the route's pattern comes from the words of the messages alone.
    tasks = renamed_tasks(tmp_path)
    search = tasks[::2]
    mine = [t.turns[-1].content for t in search if t.category == "pull_fields"]
    others = [t.turns[-1].content for t in search if t.category != "pull_fields"]
    option = ModelOption("qwen2.5-coder-0.5b-instruct", 491_400_064)
    failures = [Outcome("t", "pull_fields", mine[0], "{}", False, "missing key")]
    candidates = propose_offline(default_spec(), "pull_fields", failures=failures,
                                 passing_examples=[(m, "{}") for m in mine[1:]],
                                 models=[option], others=others)
    routed = next(c for c in candidates if "like the pull_fields" in c.rationale)
    assert routed.kind == "model" and routed.cost["size_bytes"] == 491_400_064.0
    spec = apply(default_spec(), routed.edits)
    new = spec.agent.routes[-1]
    assert (new.path, new.model) == ("model", option.name)
    assert new.name.startswith("like_pull_fields")
    # The other routes keep their places (edits name routes by index).
    assert spec.agent.routes[:-1] == default_spec().agent.routes
    # On messages it was not built from (every other task of the file) it catches
    # most of the cluster's and none of the others'.
    from hearth.edge_runtime.routing._classify import pattern_score

    held_out = tasks[1::2]
    theirs = [t.turns[-1].content for t in held_out if t.category == "pull_fields"]
    rest = [t.turns[-1].content for t in held_out if t.category != "pull_fields"]
    assert sum(pattern_score(new, m) > 0 for m in theirs) > len(theirs) / 2
    assert sum(pattern_score(new, m) > 0 for m in rest) <= len(rest) // 20


def test_no_class_route_when_no_word_sets_the_cluster_apart() -> None:
    from hearth.search.proposers import class_pattern

    assert class_pattern(["What is the capital of France?", "What colour is grass?"],
                         ["What is the time?", "What colour is the sky?"]) is None
    assert class_pattern(['Extract JSON with keys "a": x', 'Give JSON with keys "b": y'],
                         ["What is 2+2?"]) == r"\b(jsons?|keys?)\b"
    # A plural counts with its singular: "word" in two messages, "words" in one.
    assert class_pattern(["Use one word.", "A word, please.", "Three words max."],
                         ["Hi there."]) == r"\b(words?)\b"


def test_no_model_is_proposed_for_a_decline_route() -> None:
    from hearth.search._session import Outcome

    spec = default_spec()
    option = ModelOption("qwen2.5-coder-0.5b-instruct", 491_400_064)
    failures = [Outcome("t", "c", "Order me a pizza.", "Done!", False, "claimed")]
    candidates = propose_models(spec, "c", [option], failures)
    # The cannot route catches the failure, but its fixed sentence has no model.
    assert candidates and all(".routes.5." not in json.dumps(
        [e.model_dump(mode="json") for e in c.edits]) for c in candidates)
    assert [r.name for r in spec.agent.routes].index("cannot") == 5
