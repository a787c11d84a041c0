"""One chat's keyword index and recent history, in memory, for the turn's reads.

Loaded from DuckDB (`docs`, `postings`) the first time the chat is used, then
kept up to date by every write of the store, journaled or not. `rank` is the
same BM25 with recency and fact boosts as `_index.rank` computes in SQL, over
numpy views of compact arrays: no DuckDB query, no lock wait behind a batch
being flushed. `recent` holds the chat's last `RECENT` messages with their
texts, enough for any history window a spec can ask for (at most 500). The
texts and message ids of all the chat's documents are kept as UTF-8 in one
growing buffer each (about 90 bytes a message), so a search reads no file.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter, deque
from datetime import datetime, timedelta
from typing import Any

import duckdb
import numpy as np

from hearth.edge_runtime._index import (
    BM25_B,
    BM25_K1,
    FACT_BOOST,
    RECENCY_HALF_LIFE_S,
    RECENCY_WEIGHT,
    terms,
)
from hearth.edge_runtime._query_terms import widened

ROLES = ("user", "assistant")
#: Messages kept with their texts for `history` (a spec's window is at most 500).
RECENT = 512
_EPOCH = datetime(1970, 1, 1)

#: (doc_id, is_fact, role, message_id, text, naive UTC time), as `_docs_by_id` returns.
Row = tuple[int, bool, str | None, str | None, str, datetime]


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


class ChatIndex:
    """Documents of one chat by position (ids ascending), postings per term."""

    def __init__(self, window_start: int) -> None:
        self.window_start = window_start
        self.ids = array("q")
        self.lens = array("i")
        self.facts = array("b")
        self.alive = array("b")
        self.times = array("q")  # microseconds since 1970, UTC
        #: 0 for a fact, else the index of the role in ROLES plus one.
        self.roles = array("b")
        self.texts = _Strings()
        self.message_ids = _Strings()
        self.postings: dict[str, tuple[array[int], array[int]]] = {}
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.n_terms = 0
        self.newest = -math.inf
        #: hash((message id, role)) of the chat's messages: a tenth of a set of the pairs.
        self.seen: set[int] = set()
        self.recent: deque[Row] = deque(maxlen=RECENT)
        #: Whether `recent` holds every message of the chat (so a longer history has no more).
        self.complete = True

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, chat_id: str) -> ChatIndex:
        """The chat's index as stored in the file (empty for a new chat)."""
        chat = con.execute("SELECT chat_key, window_start FROM chats WHERE chat_id = ?",
                           [chat_id]).fetchall()
        if not chat:
            return cls(0)
        key, start = chat[0]
        index = cls(int(start))
        docs = con.execute(
            "SELECT doc_id, n_terms, is_fact, epoch_us(ts) AS t, body, coalesce(message_id, '') "
            "AS mid, CASE role WHEN 'user' THEN 1 WHEN 'assistant' THEN 2 ELSE 0 END AS r "
            "FROM docs WHERE chat_key = ? ORDER BY doc_id", [key]).fetchnumpy()
        ids = np.asarray(docs["doc_id"], dtype=np.int64)
        n = len(ids)
        index.ids.frombytes(ids.tobytes())
        index.lens.frombytes(np.asarray(docs["n_terms"], dtype=np.intc).tobytes())
        index.facts.frombytes(np.asarray(docs["is_fact"], dtype=np.int8).tobytes())
        index.alive.frombytes(np.ones(n, dtype=np.int8).tobytes())
        index.times.frombytes(np.asarray(docs["t"], dtype=np.int64).tobytes())
        index.roles.frombytes(np.asarray(docs["r"], dtype=np.int8).tobytes())
        index.texts.extend(docs["body"])
        index.message_ids.extend(docs["mid"])
        index.n_docs, index.n_terms = n, int(sum(index.lens))
        index.newest = max(index.times) if n else -math.inf
        index.seen = {hash(pair) for pair in con.execute(
            "SELECT message_id, role FROM docs WHERE chat_key = ? AND NOT is_fact",
            [key]).fetchall()}
        postings = con.execute("SELECT term, doc_id, tf FROM postings WHERE chat_key = ? "
                               "ORDER BY term, doc_id", [key]).fetchnumpy()
        words = np.asarray(postings["term"], dtype=object)
        where = np.searchsorted(ids, np.asarray(postings["doc_id"], dtype=np.int64))
        where = where.astype(np.intc)
        tfs = np.asarray(postings["tf"], dtype=np.intc)
        cuts = [0, *(np.flatnonzero(words[1:] != words[:-1]) + 1).tolist(), len(words)]
        for lo, hi in itertools.pairwise(cuts):
            if hi > lo:
                pos, tf = array("i"), array("i")
                pos.frombytes(where[lo:hi].tobytes())
                tf.frombytes(tfs[lo:hi].tobytes())
                index.postings[str(words[lo])] = (pos, tf)
                index.df[str(words[lo])] = hi - lo
        recent = con.execute(
            "SELECT doc_id, is_fact, role, message_id, body, ts FROM docs "
            "WHERE chat_key = ? AND NOT is_fact ORDER BY doc_id DESC LIMIT ?",
            [key, RECENT + 1]).fetchall()
        index.complete = len(recent) <= RECENT
        index.recent.extend(reversed(recent[:RECENT]))
        return index

    def add(self, row: Row) -> None:
        """Index one new document (its id above every id so far)."""
        doc_id, is_fact, role, message_id, text, at = row
        counts = Counter(terms(text))
        position = len(self.ids)
        self.ids.append(doc_id)
        self.lens.append(counts.total())
        self.facts.append(int(is_fact))
        self.alive.append(1)
        self.times.append(_micros(at))
        self.roles.append(0 if role is None else ROLES.index(role) + 1)
        self.texts.append(text)
        self.message_ids.append(message_id or "")
        for term, tf in counts.items():
            pos, tfs = self.postings.setdefault(term, (array("i"), array("i")))
            pos.append(position)
            tfs.append(tf)
            self.df[term] += 1
        self.n_docs += 1
        self.n_terms += counts.total()
        self.newest = max(self.newest, self.times[-1])
        if not is_fact:
            assert message_id is not None and role is not None
            self.seen.add(hash((message_id, role)))
            self.recent.append(row)

    def knows(self, message_id: str, role: str) -> bool:
        """Whether the chat has this message (false positives: one in 2**64 pairs)."""
        return hash((message_id, role)) in self.seen

    def remove(self, doc_id: int) -> None:
        """Take one document (a fact) out of the index."""
        position = int(np.searchsorted(np.frombuffer(self.ids, dtype=np.int64), doc_id))
        if position >= len(self.ids) or self.ids[position] != doc_id or not self.alive[position]:
            return
        self.alive[position] = 0
        for term, (pos, _) in self.postings.items():
            if position in np.frombuffer(pos, dtype=np.intc):
                self.df[term] -= 1
        self.n_docs -= 1
        self.n_terms -= self.lens[position]
        live = [t for t, a in zip(self.times, self.alive, strict=True) if a]
        self.newest = max(live) if live else -math.inf

    def history(self, limit: int) -> list[Row] | None:
        """The last `limit` messages since the window start, or None when not all in memory."""
        if limit <= 0:
            return []
        window = [r for r in self.recent if r[0] >= self.window_start]
        if len(window) >= limit or self.complete or len(window) < len(self.recent):
            return window[-limit:]
        return None

    def rank(self, query: str, n: int) -> dict[int, float]:
        """The ids and scores of the `n` best documents for `query`, best first."""
        wanted = widened(terms(query))
        if n <= 0 or not wanted or self.n_docs <= 0:
            return {}
        score = np.zeros(len(self.ids))
        lens = np.frombuffer(self.lens, dtype=np.intc)
        avgdl = max(self.n_terms / self.n_docs, 1.0)
        for term, weight in wanted.items():
            df = self.df.get(term, 0)
            if df <= 0:
                continue
            pos = np.frombuffer(self.postings[term][0], dtype=np.intc)
            tf = np.frombuffer(self.postings[term][1], dtype=np.intc).astype(np.float64)
            idf = weight * math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))
            norm = 1 - BM25_B + BM25_B * lens[pos] / avgdl
            score[pos] += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
        score *= np.frombuffer(self.alive, dtype=np.int8)
        found = np.flatnonzero(score > 0)
        if not len(found):
            return {}
        age = self.newest - np.frombuffer(self.times, dtype=np.int64)[found]
        boost = 1 + RECENCY_WEIGHT * np.power(0.5, age / 1e6 / RECENCY_HALF_LIFE_S)
        boost *= np.where(np.frombuffer(self.facts, dtype=np.int8)[found] > 0, FACT_BOOST, 1.0)
        scored = score[found] * boost
        if len(found) > n:
            top = np.argpartition(-scored, n - 1)[:n]
            found, scored = found[top], scored[top]
        ids = np.frombuffer(self.ids, dtype=np.int64)[found]
        order = np.lexsort((-ids, -scored))
        return {int(ids[i]): float(scored[i]) for i in order}

    def rows(self, doc_ids: list[int]) -> list[Row]:
        """The documents with these ids (those this chat has)."""
        where = np.searchsorted(np.frombuffer(self.ids, dtype=np.int64), doc_ids).tolist()
        found: list[Row] = []
        for doc_id, position in zip(doc_ids, where, strict=True):
            if position < len(self.ids) and self.ids[position] == doc_id:
                role = self.roles[position]
                found.append((doc_id, role == 0, ROLES[role - 1] if role else None,
                              self.message_ids[position] if role else None,
                              self.texts[position],
                              _EPOCH + timedelta(microseconds=self.times[position])))
        return found


class _Strings:
    """Many strings as UTF-8 in one buffer: a tenth of the memory of a list of str."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array("q")

    def append(self, text: str) -> None:
        self.data += text.encode()
        self.ends.append(len(self.data))

    def extend(self, texts: Any) -> None:
        for text in texts:
            self.append(str(text))

    def __getitem__(self, i: int) -> str:
        start = self.ends[i - 1] if i else 0
        return self.data[start : self.ends[i]].decode()


def as_row(values: list[Any]) -> Row:
    """A journal document ([id, role, message id, text, ISO time]) as a `Row`."""
    doc_id, role, message_id, text, at = values
    return (int(doc_id), role is None, role, message_id, text, datetime.fromisoformat(at))
