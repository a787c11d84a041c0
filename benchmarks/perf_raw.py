"""The baseline: bare llama-cpp-python on the spec's model, prompt and settings.

No Hearth code runs between the model and the clock: one `Llama` built with
the spec's engine settings, `create_chat_completion(stream=True)` with the
spec's sampling, and a loop that only counts. Tokens are counted the way the
worker's engine counts them (stream pieces that carry text), so the two
token counts agree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from hearth.errors import SpecInvalid
from hearth.models import gpu_layers, resolve_model
from hearth.specs import Spec


@dataclass(frozen=True)
class Sample:
    """Timings of one reply, as seen by whoever asked for it."""

    ttft_ms: float
    completion_tokens: int
    decode_s: float

    @property
    def decode_tps(self) -> float:
        """Tokens per second after the first token (NaN when there is only one)."""
        if self.completion_tokens < 2 or self.decode_s <= 0:
            return float("nan")
        return (self.completion_tokens - 1) / self.decode_s


def messages_for(prompt: str) -> list[dict[str, str]]:
    """The chat messages both sides send: the prompt as the only user turn.

    The benchmark spec has no system prompt, few-shot examples, history or
    recalled memory, so this is exactly what the worker's agent builds too.
    """
    return [{"role": "user", "content": prompt}]


class RawLlama:
    """One `Llama` with the spec's settings, timed per reply."""

    def __init__(self, spec: Spec, home: Path) -> None:
        if spec.intelligence.chat_template is not None:
            raise SpecInvalid("intelligence.chat_template", "the raw baseline uses the "
                              "model's own template; benchmark a spec without one")
        if not spec.engine.n_threads:
            raise SpecInvalid("engine.n_threads", "set it in the benchmark spec, so that "
                              "both sides run with the same thread count")
        import llama_cpp

        kv_types = {"f16": llama_cpp.GGML_TYPE_F16, "q8_0": llama_cpp.GGML_TYPE_Q8_0,
                    "q4_0": llama_cpp.GGML_TYPE_Q4_0}
        engine = spec.engine
        self.spec = spec
        self.path = resolve_model(spec.intelligence.model, home)
        self._llm: Any = llama_cpp.Llama(
            model_path=str(self.path),
            n_ctx=engine.n_ctx,
            n_threads=engine.n_threads,
            n_batch=engine.n_batch,
            n_gpu_layers=gpu_layers(engine.n_gpu_layers),
            flash_attn=engine.flash_attn,
            type_k=kv_types[engine.kv_cache_type],
            type_v=kv_types[engine.kv_cache_type],
            use_mmap=engine.use_mmap,
            use_mlock=engine.use_mlock,
            seed=spec.intelligence.sampling.seed,
            verbose=False,
        )

    def run(self, prompt: str) -> Sample:
        """Stream one reply to `prompt`; time the first token and the decode after it."""
        sampling = self.spec.intelligence.sampling
        kwargs: dict[str, Any] = {
            "messages": messages_for(prompt),
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "top_k": sampling.top_k,
            "min_p": sampling.min_p,
            "repeat_penalty": sampling.repeat_penalty,
            "max_tokens": sampling.max_tokens,
            "stop": list(self.spec.intelligence.stop) or None,
            "stream": True,
        }
        if sampling.seed >= 0:
            kwargs["seed"] = sampling.seed
        tokens, first = 0, 0.0
        began = time.perf_counter()
        stream = self._llm.create_chat_completion(**kwargs)
        try:
            for chunk in stream:
                if chunk["choices"][0]["delta"].get("content"):
                    if not tokens:
                        first = time.perf_counter()
                    tokens += 1
        finally:
            stream.close()
        end = time.perf_counter()
        if not tokens:
            return Sample(ttft_ms=float("nan"), completion_tokens=0, decode_s=0.0)
        return Sample(ttft_ms=(first - began) * 1000, completion_tokens=tokens,
                      decode_s=end - first)

    def close(self) -> None:
        """Free the model now rather than at garbage collection."""
        self._llm.close()

    def __enter__(self) -> RawLlama:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
