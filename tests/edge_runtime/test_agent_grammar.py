"""The calculator's argument grammar: the message's numbers and implicit constants only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import llama_cpp
import pytest
from llama_cpp import Llama, LlamaGrammar

from hearth.edge_runtime._tool_prompts import bounded as _bounded
from hearth.edge_runtime._tool_prompts import expression_pattern
from hearth.models import resolve_model
from hearth.specs import default_spec

CALCULATOR = {"type": "object", "properties": {"expression": {"type": "string"}},
              "required": ["expression"]}


@pytest.mark.parametrize(("message", "allowed", "refused"), [
    ("What is 7 + 5?", ["7+5", "(7 + 5)", "5*7"], ["12*7+3", "7+3", "75+1"]),
    ("A shirt costs 24.99 and is 25% off", ["24.99-25% of 24.99"], ["24.9", "13*9"]),
    # The constants people leave out (60 minutes in an hour) are always admitted.
    ("How many minutes are in 3.5 hours?", ["3.5*60"], ["3.5*61", "35*6"]),
    ("Four friends split a bill of 96 dollars", ["96/4"], ["96/3"]),
    ("What is 12 squared?", ["12^2", "12*12"], ["12^3"]),
])
def test_only_the_numbers_of_the_message_can_be_written(message, allowed, refused):
    pattern = expression_pattern(message)
    assert all(re.fullmatch(pattern, e) for e in allowed), pattern
    assert not any(re.fullmatch(pattern, e) for e in refused), pattern


def test_a_message_without_numbers_allows_any_expression():
    assert re.fullmatch(expression_pattern("how much is a dozen eggs times five"), "12*5")
    assert re.fullmatch(expression_pattern("add them up"), "1+2+3")


@pytest.fixture(scope="module")
def vocab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Llama]:
    path = resolve_model(default_spec().intelligence.model, tmp_path_factory.mktemp("home"))
    llm = Llama(str(path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


def _compiles(llm: Llama, schema: dict[str, object]) -> bool:
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
    # llama.cpp parses the grammar only when the sampler is made; a grammar it
    # cannot parse gives no sampler, and generation runs unconstrained.
    sampler = llama_cpp.llama_sampler_init_grammar(
        llm._model.vocab, grammar._grammar.encode(), grammar._root.encode())
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


@pytest.mark.parametrize("message", ["What is 3.5 + 2.25?", "7 + 5", "nothing numeric"])
def test_llama_cpp_compiles_the_argument_grammar(vocab, message):
    assert _compiles(vocab, _bounded(CALCULATOR, "calculator", message))


def test_the_check_catches_a_grammar_llama_cpp_refuses(vocab):
    refused = {"type": "object", "properties": {
        "expression": {"type": "string", "pattern": r"^(24\.99|3)+$"}}}
    assert not _compiles(vocab, refused)


@pytest.mark.model
def test_the_engine_refuses_a_grammar_instead_of_crashing(tmp_path):
    from hearth.edge_runtime import LlamaCppEngine
    from hearth.errors import GrammarError

    spec = default_spec()
    engine = LlamaCppEngine(spec, tmp_path)
    refused = {"type": "object", "properties": {
        "expression": {"type": "string", "pattern": r"^(24\.99|3)+$"}}}
    with pytest.raises(GrammarError, match="refused the output grammar"):
        engine.generate([{"role": "user", "content": "hi"}], spec.intelligence.sampling,
                        json_schema=refused)
    # The process is alive and the engine still answers under a good schema.
    sampling = spec.intelligence.sampling.model_copy(update={"max_tokens": 24})
    answer = engine.generate([{"role": "user", "content": "What is 7 + 5?"}], sampling,
                             json_schema=_bounded(CALCULATOR, "calculator", "What is 7 + 5?"))
    expression = json.loads(answer.text)["expression"]
    assert re.fullmatch(expression_pattern("What is 7 + 5?"), expression)


def test_llama_cpp_compiles_a_grammar_of_message_spans(vocab):
    schema = {"type": "object", "required": ["loc"], "properties": {"loc": {"type": "string"}}}
    message = ('I need a "Comfort" ride from 2020 Addison Street, Berkeley, CA, USA \\ and I can '
               "wait up to 600 seconds for it; {braces} [brackets] and émigré too.")
    assert _compiles(vocab, _bounded(schema, "uber_ride", message, copy_spans=True))


def test_a_small_model_takes_arguments_from_the_message(vocab):
    schema = {"type": "object", "required": ["loc", "time"], "properties": {
        "loc": {"type": "string"}, "time": {"type": "integer"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "timeout": {"type": "integer"}, "retries": {"type": "integer"}}}
    message = "A ride from 2020 Addison Street; I can wait 600 seconds, with a timeout of 30."
    small = _bounded(schema, "uber_ride", message, copy_spans=True)
    # Optional arguments the message does not name are not offered; numbers are its own.
    assert set(small["properties"]) == {"loc", "time", "timeout"}
    assert small["properties"]["time"]["enum"] == [30, 600, 2020]
    assert "2020 Addison Street" in small["properties"]["loc"]["enum"]
    assert _compiles(vocab, small)
    # Without copy_spans every argument stays free.
    assert set(_bounded(schema, "uber_ride", message)["properties"]) == set(schema["properties"])


def test_a_list_of_things_is_taken_from_the_message(vocab):
    schema = {"type": "object", "required": ["restaurants", "items", "quantities"],
              "properties": {"restaurants": {"type": "string"},
                             "items": {"type": "array", "items": {"type": "string"}},
                             "quantities": {"type": "array", "items": {"type": "integer"}},
                             "tags": {"type": "array", "items": {"type": "string",
                                                                 "enum": ["vegan", "hot"]}}}}
    message = "From McDonald's on Uber Eats I'd like two Big Macs and one McFlurry, vegan tags."
    small = _bounded(schema, "uber_eat_order", message, copy_spans=True)
    items = small["properties"]["items"]["items"]["enum"]
    assert "Big Macs" in items and "McFlurry" in items and "Mocha" not in items
    # A list of set values keeps its own values.
    assert small["properties"]["tags"]["items"]["enum"] == ["vegan", "hot"]
    assert _compiles(vocab, small)
    assert "enum" not in _bounded(schema, "uber_eat_order", message)["properties"]["items"][
        "items"]
