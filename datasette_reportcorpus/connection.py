"""Settings for every SQLite connection Datasette opens."""

from __future__ import annotations

import sqlite3

MMAP_BYTES = 4 * 1024**3
CACHE_KIB = 64 * 1024


def tune(conn: sqlite3.Connection) -> None:
    """Read pages through a memory map and keep a larger page cache.

    Facets over tens of thousands of matching paragraphs fetch each row by id;
    from a file of a gigabyte or more, a memory map spares a system call per
    page and the larger cache keeps the hot b-tree pages between queries.
    Both only affect reading: nothing about writes or durability changes.
    """
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")
    conn.execute(f"pragma cache_size = -{CACHE_KIB}")
