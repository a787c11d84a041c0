"""A worker's DuckDB file with many stored messages, made in seconds by SQL alone.

Storing a million messages through `MemoryStore` takes many minutes, so the turn
and growth benchmarks fill the file with `INSERT ... SELECT` over `range(n)`:
docs, postings, terms and chat statistics exactly as `insert_docs` would have
written them (the texts use words that are their own index term, so SQL's
`string_split` tokenises like `terms`). One chat ("bench-chat") gets
`chat_messages` of them, spread evenly through the file; the rest go to 1,000
other chats. Filled files are cached under the temp dir, keyed by sizes and
schema version, and copied for each run.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.memory_bench import _vocabulary
from hearth.edge_runtime._db import SCHEMA_VERSION
from hearth.edge_runtime._index import terms
from hearth.edge_runtime._memory import MemoryStore

CHAT = "bench-chat"
OTHER_CHATS = 1_000
WORDS_PER_MESSAGE = 8
#: Bump when the fill changes, so that stale cached files are not reused.
FILL_VERSION = 1


def vocabulary() -> list[str]:
    """Words that are their own single index term (no stopwords, no plural "s")."""
    return [w for w in _vocabulary(random.Random(7), 20_000) if terms(w) == [w]]


def cache_dir() -> Path:
    """Where filled files are kept between runs."""
    return Path(tempfile.gettempdir()) / "hearth-bench-fill"


def filled(path: Path, *, chat_messages: int, file_messages: int) -> float:
    """Put a filled file at `path` (from the cache when there); returns seconds spent filling.

    0.0 means the cache had it.
    """
    if not 0 <= chat_messages <= file_messages:
        raise ValueError(f"chat_messages ({chat_messages}) must be between 0 and "
                         f"file_messages ({file_messages})")
    key = f"v{SCHEMA_VERSION}.{FILL_VERSION}-{chat_messages}-{file_messages}.duckdb"
    cached = cache_dir() / key
    began = time.perf_counter()
    if not cached.exists():
        cache_dir().mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _fill(partial, chat_messages, file_messages)
        partial.rename(cached)
    spent = time.perf_counter() - began
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, path)
    return spent


def _fill(path: Path, chat_messages: int, file_messages: int) -> None:
    vocab = vocabulary()
    # Every `stride`-th message is the bench chat's, the others cycle through the rest.
    stride = max(1, file_messages // chat_messages) if chat_messages else 0
    others = OTHER_CHATS if file_messages > chat_messages else 0
    first_chat = file_messages + 1  # chat keys come after the doc ids, from one counter
    with MemoryStore(path, chat_salt="bench") as store, store.db.transaction() as con:
        con.execute(
            "INSERT INTO chats SELECT $first + i, CASE WHEN i = 0 THEN $chat ELSE "
            "'other-' || i END, 0, 0, 0, NULL FROM range($n) t(i)",
            {"first": first_chat, "chat": CHAT, "n": others + 1})
        # Word k of message i: a log-uniform rank, so a few words are in very many
        # messages and most in a few (as in real chats and in memory_bench).
        words = ", ".join(
            f"list_element($vocab::VARCHAR[], least($v, greatest(1, floor(pow($v, "
            f"(hash(i, {k}) % 1000003) / 1000003.0))::BIGINT)))"
            for k in range(WORDS_PER_MESSAGE))
        con.execute(f"""
            INSERT INTO docs
            SELECT i + 1,
                CASE WHEN $stride > 0 AND i % $stride = 0 AND i // $stride < $chat_n
                     THEN $first ELSE $first + 1 + (i % greatest($others, 1)) END,
                false, CASE WHEN i % 2 = 0 THEN 'user' ELSE 'assistant' END,
                'm' || i, concat_ws(' ', {words}),
                TIMESTAMP '2024-01-01' + to_minutes(i), {WORDS_PER_MESSAGE}
            FROM range($n) t(i)""",
            {"stride": stride, "chat_n": chat_messages, "first": first_chat,
             "others": others, "v": len(vocab), "vocab": vocab, "n": file_messages})
        con.execute(f"""
            INSERT INTO postings
            SELECT chat_key, term, doc_id, count(*), {WORDS_PER_MESSAGE}, false, any_value(ts)
            FROM (SELECT chat_key, doc_id, ts, unnest(string_split(body, ' ')) AS term
                  FROM docs)
            GROUP BY chat_key, doc_id, term ORDER BY doc_id, term""")
        con.execute("INSERT INTO terms SELECT chat_key, term, count(*) FROM postings "
                    "GROUP BY chat_key, term")
        con.execute("UPDATE chats SET n_docs = s.n, n_terms = s.t, newest = s.newest FROM ("
                    "SELECT chat_key AS k, count(*) AS n, sum(n_terms) AS t, max(ts) AS newest "
                    "FROM docs GROUP BY chat_key) s WHERE chats.chat_key = s.k")
        con.execute("UPDATE meta SET value = ? WHERE key = 'next_id'",
                    [first_chat + others + 1])
