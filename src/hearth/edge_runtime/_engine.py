"""The inference engine: an `Engine` protocol and llama.cpp behind it.

One `Llama` object lives as long as the worker and serves every job; a lock
makes sure only one thread uses it at a time (concurrent use segfaults).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from hearth.errors import GrammarError, ModelLoadError
from hearth.models import gpu_layers, resolve_model
from hearth.specs import EngineSettings, Sampling, Spec

log = logging.getLogger(__name__)

Message = dict[str, str]

_KV_TYPES = {"f16": 1, "q4_0": 2, "q8_0": 8}  # ggml type ids, see llama_cpp.GGML_TYPE_*


@dataclass(frozen=True)
class Generation:
    """What one model call produced, with the numbers traces need."""

    text: str
    finish_reason: str  # "stop", "length" (max_tokens), or "deadline"
    prompt_tokens: int
    completion_tokens: int
    first_token_s: float
    total_s: float

    @property
    def tokens_per_s(self) -> float:
        """Decode speed after the first token."""
        decode_s = self.total_s - self.first_token_s
        return (self.completion_tokens - 1) / decode_s if decode_s > 0 and \
            self.completion_tokens > 1 else 0.0


class Engine(Protocol):
    """What the agent needs from a model runtime."""

    model_name: str
    n_ctx: int

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this model's vocabulary."""
        ...

    def generate(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        stop: Sequence[str] = (),
        json_schema: dict[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
        deadline: float | None = None,
    ) -> Generation:
        """Run one chat completion, calling `on_text` with each new piece of text."""
        ...


def engine_key(spec: Spec) -> tuple[str, str, str | None]:
    """What forces a model reload when it changes: model, engine settings, template."""
    return (spec.intelligence.model, spec.engine.model_dump_json(),
            spec.intelligence.chat_template)


def _threads(settings: EngineSettings) -> int:
    if settings.n_threads:
        return settings.n_threads
    return max(1, (os.cpu_count() or 2))


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence llama.cpp's C-level logging to stderr while loading."""
    saved = os.dup(2)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class LlamaCppEngine:
    """llama-cpp-python with the spec's intelligence and engine primitives applied."""

    def __init__(self, spec: Spec, home: Path) -> None:
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.path = resolve_model(spec.intelligence.model, home)
        self.model_name = spec.intelligence.model
        self.key = engine_key(spec)
        settings = spec.engine
        self.n_ctx = settings.n_ctx
        self._lock = threading.Lock()
        self._grammars_ok: set[str] = set()
        try:
            with _quiet_stderr():
                self._llm = Llama(
                    model_path=str(self.path),
                    n_ctx=settings.n_ctx,
                    n_threads=_threads(settings),
                    n_batch=settings.n_batch,
                    n_gpu_layers=gpu_layers(settings.n_gpu_layers),
                    flash_attn=settings.flash_attn,
                    type_k=_KV_TYPES[settings.kv_cache_type],
                    type_v=_KV_TYPES[settings.kv_cache_type],
                    use_mmap=settings.use_mmap,
                    use_mlock=settings.use_mlock,
                    seed=spec.intelligence.sampling.seed,
                    verbose=False,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(f"llama.cpp could not load {self.path}: {exc}") from exc
        template = spec.intelligence.chat_template
        if template:
            vocab = self._llm
            formatter = Jinja2ChatFormatter(
                template=template,
                # special=True: with the default, special tokens detokenize to "",
                # and an empty stop string ends every reply before it starts.
                eos_token=vocab.detokenize([vocab.token_eos()], special=True).decode(
                    "utf-8", "ignore") or "</s>",
                bos_token=vocab.detokenize([vocab.token_bos()], special=True).decode(
                    "utf-8", "ignore"),
            )
            self._llm.chat_handler = formatter.to_chat_handler()
        log.info("model loaded", extra={"model": self.model_name, "path": str(self.path)})

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes (no BOS)."""
        with self._lock:
            return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def generate(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        stop: Sequence[str] = (),
        json_schema: dict[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
        deadline: float | None = None,
    ) -> Generation:
        """Stream one chat completion; stop early (finish "deadline") past `deadline`."""
        kwargs: dict[str, Any] = {
            "messages": list(messages),
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "top_k": sampling.top_k,
            "min_p": sampling.min_p,
            "repeat_penalty": sampling.repeat_penalty,
            "max_tokens": sampling.max_tokens,
            "stop": list(stop) or None,
            "stream": True,
        }
        if sampling.seed >= 0:
            kwargs["seed"] = sampling.seed
        with self._lock:
            if json_schema is not None:
                self._check_grammar(json_schema)
                kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
            return self._run(kwargs, on_text, deadline)

    def _check_grammar(self, schema: dict[str, Any]) -> None:
        """Refuse a schema whose grammar llama.cpp cannot parse.

        llama.cpp parses a grammar only when generation starts, and a grammar
        it cannot parse crashed the whole process here (a null sampler). So
        the grammar is parsed once up front, and a failure is an exception.
        """
        import json

        import llama_cpp
        from llama_cpp.llama_grammar import LlamaGrammar

        text = json.dumps(schema, sort_keys=True)
        if text in self._grammars_ok:
            return
        try:
            grammar = LlamaGrammar.from_json_schema(text, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise GrammarError(f"cannot make an output grammar from {text[:200]}: {exc}") from exc
        with _quiet_stderr():
            sampler = llama_cpp.llama_sampler_init_grammar(
                self._llm._model.vocab, grammar._grammar.encode(), grammar._root.encode())
        if not sampler:
            raise GrammarError(f"llama.cpp refused the output grammar of {text[:200]}")
        llama_cpp.llama_sampler_free(sampler)
        self._grammars_ok.add(text)

    def _run(self, kwargs: dict[str, Any], on_text: Callable[[str], None] | None,
             deadline: float | None) -> Generation:
        start = time.monotonic()
        first = 0.0
        pieces: list[str] = []
        finish = "stop"
        stream: Any = self._llm.create_chat_completion(**kwargs)
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                text = choice["delta"].get("content") or ""
                if text:
                    if not pieces:
                        first = time.monotonic() - start
                    pieces.append(text)
                    if on_text is not None:
                        on_text(text)
                if choice.get("finish_reason"):
                    finish = choice["finish_reason"]
                if deadline is not None and time.monotonic() > deadline:
                    finish = "deadline"
                    break
        finally:
            stream.close()
        completion = len(pieces)
        prompt = max(0, int(self._llm.n_tokens) - completion)
        return Generation(
            text="".join(pieces),
            finish_reason=finish,
            prompt_tokens=prompt,
            completion_tokens=completion,
            first_token_s=first,
            total_s=time.monotonic() - start,
        )
