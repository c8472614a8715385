"""Settings for the SQLite connections Datasette opens to a report corpus."""

from __future__ import annotations

import sqlite3

MMAP_BYTES = 4 * 1024**3
CACHE_KIB = 64 * 1024
from .corpus import MARKER_TABLES


def tune(conn: sqlite3.Connection, database: str | None = None, datasette=None) -> None:
    """Read a corpus's pages through a memory map and keep a larger page cache.

    Facets over tens of thousands of matching paragraphs fetch each row by id;
    from a file of a gigabyte or more, a memory map spares a system call per
    page and the larger cache keeps the hot b-tree pages between queries.
    Both only affect reading: nothing about writes or durability changes.

    Only connections to a corpus are touched: every other database Datasette
    serves (``_internal`` included) keeps the settings core gave it, and a
    ``cache_size_kb`` set for the server is kept on corpora too.

    >>> conn = sqlite3.connect(":memory:")
    >>> tune(conn, "other")
    >>> conn.execute("pragma cache_size").fetchone()[0]
    -2000
    """
    if database == "_internal" or not is_corpus_connection(conn):
        return
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")
    if datasette is None or not datasette.setting("cache_size_kb"):
        conn.execute(f"pragma cache_size = -{CACHE_KIB}")


def is_corpus_connection(conn: sqlite3.Connection) -> bool:
    """Whether ``conn``'s main database holds the tables of a report corpus."""
    try:
        found = conn.execute(
            "select count(*) from sqlite_master where type = 'table' and name in (?, ?)",
            MARKER_TABLES).fetchone()[0]
    except sqlite3.DatabaseError:  # not a database, or one SQLite cannot read
        return False
    except (TypeError, AttributeError):  # a stand-in for a connection (Datasette's tests)
        return False
    return found == len(MARKER_TABLES)
