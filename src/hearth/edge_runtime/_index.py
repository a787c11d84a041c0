"""The keyword index of a chat's documents (messages and facts) and its BM25 ranking.

DuckDB's `fts` extension needs a download, so the index is our own: inserting
a document also writes one `postings` row per distinct term (term frequency,
document length, kind and time copied in), and `rank` computes BM25 in SQL over
the postings of the query's terms only, times a recency boost (facts get a
larger, fixed one). The chat's document count, total length and newest time
are kept in `chats`, so a search does not count them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from hearth.edge_runtime._db import refresh_chat_stats, rows, take_ids, to_db_time

#: BM25 term-frequency saturation and length normalisation (the usual values).
BM25_K1 = 1.2
BM25_B = 0.75
#: The chat's newest document scores up to this fraction more than an old one...
RECENCY_WEIGHT = 0.25
#: ...and the bonus halves for every this many seconds of age (30 days).
RECENCY_HALF_LIFE_S = 30 * 86_400.0
#: Facts score this many times a message; above 1 + RECENCY_WEIGHT so they win ties.
FACT_BOOST = 1.5

#: Words too common to help retrieval, dropped from documents and queries; with
#: the pieces the tokeniser leaves of contractions ("it's" -> "it", "s").
STOPWORDS = frozenset((
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "d",
    "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "how",
    "i", "if", "in", "into", "is", "it", "its", "ll", "m", "me", "my", "no", "not", "of", "on",
    "or", "our", "re", "s", "she", "so", "t", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "us", "ve", "was", "we", "were", "what", "when", "which",
    "who", "will", "with", "would", "you", "your",
))  # fmt: skip
_WORD = re.compile(r"[^\W_]+")

_RANK_SQL = f"""
WITH p AS (
    SELECT term, doc_id, tf, doc_len, is_fact, ts FROM postings
    WHERE chat_key = $chat AND list_contains($terms, term)
), idf AS (
    SELECT term, ln(1 + ($n - count(*) + 0.5) / (count(*) + 0.5)) AS idf FROM p GROUP BY term
)
SELECT doc_id,
    sum(idf * tf * {BM25_K1 + 1} / (tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * doc_len / $avgdl)))
    * (1 + {RECENCY_WEIGHT} * pow(0.5, epoch($newest - any_value(ts)) / {RECENCY_HALF_LIFE_S}))
    * CASE WHEN any_value(is_fact) THEN {FACT_BOOST} ELSE 1 END AS score
FROM p JOIN idf USING (term) GROUP BY doc_id ORDER BY score DESC, doc_id DESC LIMIT $pool
"""

#: role (None for a fact), message id (None for a fact), text, time
Doc = tuple[str | None, str | None, str, datetime]


def terms(text: str) -> list[str]:
    """The index terms of `text`: lowercase words without stopwords, plural "s" cut."""
    words = _WORD.findall(text.lower())
    return [
        w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w
        for w in words
        if w not in STOPWORDS
    ]


def insert_docs(con: duckdb.DuckDBPyConnection, chat_key: int, docs: Sequence[Doc]) -> int:
    """Store and index documents of one chat; returns the id of the first.

    Call inside a transaction; ids are consecutive in the order given.
    """
    first = take_ids(con, len(docs))
    roles, message_ids, texts, times = zip(*docs, strict=True)
    ats = [to_db_time(a) for a in times]
    counts = [Counter(terms(t)) for t in texts]
    lengths = [c.total() for c in counts]
    con.execute(
        "INSERT INTO docs SELECT $first + unnest(range(len($texts))), $chat, "
        "unnest($roles::VARCHAR[]) IS NULL, unnest($roles::VARCHAR[]), "
        "unnest($ids::VARCHAR[]), unnest($texts::VARCHAR[]), unnest($ats::TIMESTAMP[]), "
        "unnest($lengths::INTEGER[])",
        {
            "first": first,
            "chat": chat_key,
            "roles": roles,
            "ids": message_ids,
            "texts": texts,
            "ats": ats,
            "lengths": lengths,
        },
    )
    # Sorted by term: within a big batch the zone maps then let a search skip row groups.
    postings = sorted((t, i, tf) for i, c in enumerate(counts) for t, tf in c.items())
    owner = [i for _, i, _ in postings]
    con.execute(
        "INSERT INTO postings SELECT $chat, unnest($terms::VARCHAR[]), "
        "unnest($docs::BIGINT[]), unnest($tfs::INTEGER[]), unnest($lengths::INTEGER[]), "
        "unnest($facts::BOOLEAN[]), unnest($ats::TIMESTAMP[])",
        {
            "chat": chat_key,
            "terms": [t for t, _, _ in postings],
            "docs": [first + i for i in owner],
            "tfs": [tf for _, _, tf in postings],
            "lengths": [lengths[i] for i in owner],
            "facts": [roles[i] is None for i in owner],
            "ats": [ats[i] for i in owner],
        },
    )
    refresh_chat_stats(con, chat_key)
    return first


def rank(con: duckdb.DuckDBPyConnection, chat_id: str, query: str, n: int) -> dict[int, float]:
    """The ids and scores of the `n` documents of a chat that best match `query`."""
    wanted = sorted(set(terms(query)))
    found = rows(
        con, "SELECT chat_key, n_docs, n_terms, newest FROM chats WHERE chat_id = ?", [chat_id]
    )
    if n <= 0 or not wanted or not found or not found[0][1]:
        return {}
    chat_key, n_docs, n_terms, newest = found[0]
    params: dict[str, Any] = {
        "chat": chat_key,
        "terms": wanted,
        "n": n_docs,
        "avgdl": max(n_terms / n_docs, 1.0),
        "newest": newest,
        "pool": n,
    }
    return {int(doc): float(score) for doc, score in rows(con, _RANK_SQL, params)}
