"""`hearth models bench`: speed and memory of one model on this machine.

Prompt and decode rates come from llama.cpp's own performance counters (they
time exactly the prompt batch and the decode steps); time to first token is
wall-clock from the request to the first streamed piece, as a user feels it.
Resident memory is the growth of this process's RSS from before the load to
after the run: mapped weights count once they are touched.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from hearth.models._gpu import gpu_layers
from hearth.models._resolve import catalog_for
from hearth.models._state import BenchRecord

#: Context for the measurement, tokens: fits the prompt and the reply with room to spare.
BENCH_N_CTX = 1024
#: Tokens decoded per measurement.
BENCH_MAX_TOKENS = 64

# Plain prose, so every model continues it rather than stopping at once.
BENCH_PROMPT = (
    "The old lighthouse stood at the end of the harbour wall, its white paint peeling in "
    "long strips after a hundred winters of salt and wind. Every evening the keeper climbed "
    "the one hundred and twelve steps, trimmed the wick, polished the great lens and "
    "watched the fishing boats come home one by one. The town below had grown used to the "
    "slow sweep of the beam across the roofs, the church tower and the market square, and "
    "children counted its turns as they fell asleep. Nobody remembered a night when the "
    "light had failed, not even during the great storm, when waves broke over the wall and "
    "the keeper tied himself to the railing to keep the glass clear of spray. Then one "
    "autumn a letter arrived from the harbour board, written on thick cream paper, and the "
    "keeper read it twice at the kitchen table before he folded it away. It said that"
)


def rss_bytes() -> int:
    """This process's resident memory now (peak RSS where /proc is missing)."""
    try:
        fields = Path("/proc/self/statm").read_text().split()
        return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _perf(llm: Any) -> tuple[float, int, float, int] | None:
    """(prompt ms, prompt tokens, decode ms, decode tokens) from llama.cpp, if it tells."""
    import llama_cpp

    perf_context = getattr(llama_cpp, "llama_perf_context", None)
    if perf_context is None:
        return None
    data = perf_context(llm.ctx)
    return float(data.t_p_eval_ms), int(data.n_p_eval), float(data.t_eval_ms), int(data.n_eval)


def bench_model(name: str, home: Path, *, n_threads: int | None = None,
                n_gpu_layers: int | None = None,
                max_tokens: int = BENCH_MAX_TOKENS) -> BenchRecord:
    """Load `name`, run one prompt and `max_tokens` of decoding, store and return the numbers.

    `n_gpu_layers` None offloads every layer when llama.cpp can (see `gpu_layers`).
    """
    import llama_cpp

    catalog = catalog_for(home)
    path = catalog.path(name)
    threads = n_threads or max(1, os.cpu_count() or 1)
    layers = gpu_layers(n_gpu_layers)
    before = rss_bytes()
    llm: Any = llama_cpp.Llama(model_path=str(path), n_ctx=BENCH_N_CTX, n_threads=threads,
                               n_gpu_layers=layers, seed=1, verbose=False)
    try:
        prompt_tokens = len(llm.tokenize(BENCH_PROMPT.encode("utf-8")))
        llm.create_completion("Hello", max_tokens=1, temperature=0.0)  # warm-up
        llm.reset()
        perf_reset = getattr(llama_cpp, "llama_perf_context_reset", None)
        if perf_reset is not None:
            perf_reset(llm.ctx)
        start = time.perf_counter()
        first_s = 0.0
        pieces = 0
        for _chunk in llm.create_completion(BENCH_PROMPT, max_tokens=max_tokens,
                                            temperature=0.0, stream=True):
            if pieces == 0:
                first_s = time.perf_counter() - start
            pieces += 1
        total_s = time.perf_counter() - start
        perf = _perf(llm)
        after = rss_bytes()
    finally:
        llm.close()
    if perf is not None and perf[0] > 0 and perf[2] > 0:
        prompt_ms, prompt_n, decode_ms, decode_n = perf
        prompt_rate = prompt_n / (prompt_ms / 1000)
        decode_rate = decode_n / (decode_ms / 1000)
    else:  # no counters: prompt until the first piece, decode after it
        prompt_n, decode_n = prompt_tokens, pieces
        prompt_rate = prompt_tokens / first_s if first_s > 0 else 0.0
        decode_rate = (pieces - 1) / (total_s - first_s) if total_s > first_s else 0.0
    record = BenchRecord(
        prompt_tokens_per_s=round(prompt_rate, 1), decode_tokens_per_s=round(decode_rate, 1),
        first_token_s=round(first_s, 3), rss_delta_mb=round((after - before) / 1e6, 1),
        prompt_tokens=prompt_n, decode_tokens=decode_n, n_threads=threads, n_gpu_layers=layers)
    catalog.record_bench(name, record)
    return record
