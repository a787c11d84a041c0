"""The keyword index of a chat's documents (messages and facts) and its BM25 ranking.

DuckDB's `fts` extension needs a download, so the index is our own: inserting
a document also writes one `postings` row per distinct term (term frequency,
document length, kind and time copied in), and `rank` computes BM25 in SQL over
the postings of the query's terms only, times a recency boost (facts get a
larger, fixed one). Each write also keeps the chat's document count, total
length and newest time (`chats`) and each term's document frequency (`terms`)
up to date, so a search reads them instead of counting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from hearth.edge_runtime._db import refresh_chat_stats, rows, take_ids, to_db_time
from hearth.edge_runtime._query_terms import widened

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

# The query terms come with their idf (from `terms`), so one pass over their postings
# scores every document that has any of them.
_RANK_SQL = f"""
SELECT doc_id,
    sum(idf * tf * {BM25_K1 + 1} / (tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * doc_len / $avgdl)))
    * (1 + {RECENCY_WEIGHT} * pow(0.5, epoch($newest - any_value(ts)) / {RECENCY_HALF_LIFE_S}))
    * CASE WHEN any_value(is_fact) THEN {FACT_BOOST} ELSE 1 END AS score
FROM postings JOIN (SELECT unnest($terms::VARCHAR[]) AS term, unnest($idfs::DOUBLE[]) AS idf)
    USING (term)
WHERE chat_key = $chat GROUP BY doc_id ORDER BY score DESC, doc_id DESC LIMIT $pool
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


def insert_docs(con: duckdb.DuckDBPyConnection, chat_key: int, docs: Sequence[Doc],
                ids: Sequence[int] | None = None) -> int:
    """Store and index documents of one chat; returns the id of the first.

    Call inside a transaction. Without `ids`, new consecutive ids are taken in
    the order given; with them (the journal's, taken when the turn was stored)
    the documents get those.
    """
    first = take_ids(con, len(docs)) if ids is None else ids[0]
    doc_ids = list(range(first, first + len(docs))) if ids is None else list(ids)
    roles, message_ids, texts, times = zip(*docs, strict=True)
    ats = [to_db_time(a) for a in times]
    counts = [Counter(terms(t)) for t in texts]
    lengths = [c.total() for c in counts]
    con.execute(
        "INSERT INTO docs SELECT unnest($doc_ids::BIGINT[]), $chat, "
        "unnest($roles::VARCHAR[]) IS NULL, unnest($roles::VARCHAR[]), "
        "unnest($ids::VARCHAR[]), unnest($texts::VARCHAR[]), unnest($ats::TIMESTAMP[]), "
        "unnest($lengths::INTEGER[])",
        {
            "doc_ids": doc_ids,
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
            "docs": [doc_ids[i] for i in owner],
            "tfs": [tf for _, _, tf in postings],
            "lengths": [lengths[i] for i in owner],
            "facts": [roles[i] is None for i in owner],
            "ats": [ats[i] for i in owner],
        },
    )
    _add_df(con, chat_key, Counter(t for c in counts for t in c), 1)
    refresh_chat_stats(con, chat_key)
    return first


def delete_doc(con: duckdb.DuckDBPyConnection, chat_key: int, doc_id: int) -> None:
    """Remove one document of a chat from the index and from `docs`."""
    sql = "SELECT term FROM postings WHERE chat_key = ? AND doc_id = ?"
    found = rows(con, sql, [chat_key, doc_id])
    _add_df(con, chat_key, Counter(t for (t,) in found), -1)
    for table in ("postings", "docs"):
        con.execute(f"DELETE FROM {table} WHERE chat_key = ? AND doc_id = ?", [chat_key, doc_id])
    refresh_chat_stats(con, chat_key)


def _add_df(con: duckdb.DuckDBPyConnection, chat_key: int, df: Counter[str], sign: int) -> None:
    """Add (sign 1) or take away (-1) document counts of terms of a chat."""
    change = {"chat": chat_key, "terms": list(df), "counts": [sign * n for n in df.values()]}
    delta = "(SELECT unnest($terms::VARCHAR[]) AS term, unnest($counts::BIGINT[]) AS n) AS d"
    con.execute(
        f"UPDATE terms SET df = df + d.n FROM {delta} "
        "WHERE terms.chat_key = $chat AND terms.term = d.term",
        change,
    )
    con.execute(
        f"INSERT INTO terms SELECT $chat, d.term, d.n FROM {delta} WHERE d.n > 0 AND NOT EXISTS "
        "(SELECT 1 FROM terms t WHERE t.chat_key = $chat AND t.term = d.term)",
        change,
    )
    if sign < 0:
        con.execute("DELETE FROM terms WHERE chat_key = ? AND df <= 0", [chat_key])


def rank(con: duckdb.DuckDBPyConnection, chat_id: str, query: str, n: int) -> dict[int, float]:
    """The ids and scores of the `n` documents of a chat that best match `query`."""
    wanted = widened(terms(query))
    found = rows(
        con, "SELECT chat_key, n_docs, n_terms, newest FROM chats WHERE chat_id = ?", [chat_id]
    )
    if n <= 0 or not wanted or not found or not found[0][1]:
        return {}
    chat_key, n_docs, n_terms, newest = found[0]
    df = rows(
        con,
        "SELECT term, df FROM terms WHERE chat_key = ? AND list_contains(?, term)",
        [chat_key, list(wanted)],
    )
    if not df:
        return {}
    params: dict[str, Any] = {
        "chat": chat_key,
        "terms": [t for t, _ in df],
        "idfs": [wanted[t] * math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df],
        "avgdl": max(n_terms / n_docs, 1.0),
        "newest": newest,
        "pool": n,
    }
    return {int(doc): float(score) for doc, score in rows(con, _RANK_SQL, params)}
