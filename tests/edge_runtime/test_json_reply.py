"""A reply in JSON with the keys the message names, under a grammar (`_json_reply`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime._engine import Generation
from hearth.edge_runtime._json_reply import reply_schema
from hearth.specs import default_spec
from tests.bench.test_runner import ScriptedEngine
from tests.edge_runtime.test_shape import shapes_off

TODO = ('Extract a to-do item as JSON with keys "task" and "priority" (low, medium or high): '
        '"It is really urgent that I file my taxes." Reply with only the JSON.')
MOOD = ('Classify the mood of this message as JSON with one key "sentiment" whose value is '
        '"positive" or "negative": "I loved the concert last night!" Reply with only the JSON.')
SUGAR = ('Give me JSON with keys "ingredient" and "grams" for: "Add 200 grams of sugar." '
         "Reply with only the JSON.")


def test_keys_and_their_choices_are_read_from_the_message() -> None:
    todo = reply_schema(TODO)
    assert todo is not None and todo["required"] == ["task", "priority"]
    assert todo["properties"]["priority"]["enum"] == ["low", "medium", "high"]
    assert todo["additionalProperties"] is False
    mood = reply_schema(MOOD)
    assert mood is not None and mood["properties"] == {
        "sentiment": {"type": "string", "enum": ["positive", "negative"]}}
    # With copy_spans a free value is a span of the quoted data, not of the instruction.
    sugar = reply_schema(SUGAR, copy_spans=True)
    assert sugar is not None
    spans = sugar["properties"]["ingredient"]["enum"]
    assert "sugar" in spans and "200" in spans and "JSON" not in spans and "keys" not in spans
    # No JSON asked for, or no keys named: no schema.
    assert reply_schema("What is JSON?") is None
    assert reply_schema("Give me the keys to the car") is None
    assert reply_schema("Turn this into JSON please: my name is Ann") is None


def _task(prompt: str, fields: dict[str, str]) -> Task:
    return Task.model_validate({"id": "t", "category": "extraction",
                                "turns": [{"role": "user", "content": prompt}],
                                "check": {"type": "json_fields", "fields": fields}})


class SchemaEngine(ScriptedEngine):
    """Records the schema each reply was generated under."""

    def __init__(self) -> None:
        super().__init__()
        self.schemas: list[dict[str, Any] | None] = []

    def generate(self, messages: Any, sampling: Any, **kwargs: Any) -> Generation:
        self.schemas.append(kwargs.get("json_schema"))
        return Generation('{"sentiment": "positive"}', "stop", prompt_tokens=10,
                          completion_tokens=3, first_token_s=0.0, total_s=0.0)


def test_the_reply_is_generated_under_the_schema_unless_shapes_are_off(home: Path) -> None:
    engine = SchemaEngine()
    (result,) = score_tasks(default_spec(), [_task(MOOD, {"sentiment": "positive"})],
                            home=home, engine=engine).results
    assert result.passed, result.reason
    assert engine.schemas[-1] == reply_schema(MOOD, copy_spans=True)
    off = shapes_off()
    engine = SchemaEngine()
    score_tasks(off, [_task(MOOD, {"sentiment": "positive"})], home=home, engine=engine)
    assert engine.schemas[-1] is None


def test_the_real_small_model_writes_the_object_asked_for(home: Path) -> None:
    tasks = [_task(SUGAR, {"ingredient": "sugar", "grams": "200"}),
             _task(MOOD, {"sentiment": "positive"})]
    report = score_tasks(default_spec(), tasks, home=home)
    for result in report.results:
        schema = reply_schema(result.prompt)
        assert schema is not None
        assert set(json.loads(result.reply)) == set(schema["properties"])
    assert all(r.passed for r in report.results), [(r.reply, r.reason) for r in report.results]
