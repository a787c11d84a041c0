"""Memory retrieval benchmark: search latency over a chat with many stored messages.

The goal (issue 3): p95 <= 25 ms with 100,000 messages in the chat. Messages
are synthetic but varied: everyday templates filled from a Zipf-distributed
vocabulary of real and made-up words, so that some terms are in thousands of
messages and most in a handful. Queries are new messages built the same way,
as the worker would search with the user's whole message.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from hearth.edge_runtime._memory import MemoryStore, StoredMessage

_TEMPLATES = (
    "can you remind me about the {a} {b} tomorrow morning",
    "I was thinking about {a} and {b} for the weekend",
    "what do you know about {a} {b}",
    "my {a} needs a new {b} before {c}",
    "please add {a} and {b} to the shopping list",
    "the {a} at {b} was great, maybe {c} next time",
    "how long does it take to get from {a} to {b} by train",
    "remember that {a} prefers {b} over {c}",
    "turn off the {a} in the {b} at ten",
    "did {a} ever answer about the {b} meeting",
    "I need to book {a} for {b} on friday",
    "sure, {a} sounds good, and {b} works too",
    "the recipe needs {a}, {b} and a bit of {c}",
    "send {a} a message about {b} after lunch",
    "why is my {a} so slow when {b} is running",
)
_COMMON = (
    "pizza", "garden", "dentist", "car", "bike", "train", "office", "kitchen", "laptop",
    "printer", "concert", "birthday", "holiday", "passport", "insurance", "doctor", "pharmacy",
    "coffee", "tea", "bread", "milk", "cheese", "meeting", "report", "budget", "invoice",
    "flight", "hotel", "museum", "football", "guitar", "piano", "lamp", "heater", "router",
    "phone", "charger", "jacket", "shoes", "umbrella", "weather", "rain", "snow", "beach",
    "mountain", "lake", "river", "paris", "berlin", "tokyo", "london", "rome", "madrid", "sarah",
    "tom", "anna", "paul", "grandma", "uncle", "neighbour", "teacher", "plumber",
)  # fmt: skip
_CHAT = "bench-chat"
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "po", "shi", "ven", "dor", "al", "ex", "qui")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    made_up = {"".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)}
    return list(_COMMON) + sorted(made_up)


def _sentences(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    words = rng.choices(vocab, weights, k=3 * n)
    return [
        rng.choice(_TEMPLATES).format(a=words[3 * i], b=words[3 * i + 1], c=words[3 * i + 2])
        for i in range(n)
    ]


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, round(q * (len(sorted_ms) - 1)))]


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    latencies = []
    for call in calls:
        began = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - began) * 1000)
    return sorted(latencies)


def retrieval_benchmark(
    path: Path, n_messages: int = 100_000, n_queries: int = 200, *, k: int = 3, seed: int = 7
) -> dict[str, float]:
    """Fill one chat in a fresh file at `path`, reopen it, then time `n_queries` searches.

    Messages go in 1,000 per transaction (so the index is not one sorted block).
    Returns the fill time in seconds and, in ms, search latency p50, p95 and max,
    plus history(20) and add_message p50 on the full chat for comparison.
    """
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 20_000)
    texts = _sentences(rng, vocab, n_messages)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    messages = [
        StoredMessage(
            message_id=f"m{i}",
            role="user" if i % 2 == 0 else "assistant",
            text=text,
            at=start + timedelta(minutes=10 * i),
        )
        for i, text in enumerate(texts)
    ]
    with MemoryStore(path, chat_salt="bench") as store:
        began = time.perf_counter()
        for lo in range(0, n_messages, 1_000):
            store.add_messages_bulk(_CHAT, messages[lo : lo + 1_000])
        fill_s = time.perf_counter() - began
        for fact in _sentences(rng, vocab, 50):
            store.add_fact(_CHAT, fact)
    queries = _sentences(rng, vocab, n_queries + 1)
    # Measured as a restarted worker finds the file, not while it is still hot from filling.
    with MemoryStore(path, chat_salt="bench") as store:
        store.search(_CHAT, queries.pop(), k)  # the first query loads the index from disk
        search = _timed([partial(store.search, _CHAT, q, k) for q in queries])
        history = _timed([partial(store.history, _CHAT, 20) for _ in range(50)])
        add = _timed(
            [
                partial(store.add_message, _CHAT, "user", q, message_id=f"new{i}", at=start)
                for i, q in enumerate(queries[:50])
            ]
        )
    return {
        "messages": float(n_messages),
        "fill_s": fill_s,
        "search_p50_ms": statistics.median(search),
        "search_p95_ms": _percentile(search, 0.95),
        "search_max_ms": search[-1],
        "history_p50_ms": statistics.median(history),
        "add_message_p50_ms": statistics.median(add),
    }
