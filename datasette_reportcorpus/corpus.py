"""Which databases are report corpora.

Datasette may serve a corpus beside other databases, which can have tables called
``articles`` or ``paragraphs`` of their own. The plugin's facets, selections, links and
routes act only on a database the loader built: one holding its ``reportcorpus_meta``
table and the ``paragraphs_fts`` index.
"""

from __future__ import annotations

import os
import weakref

MARKER_TABLES = ("reportcorpus_meta", "paragraphs_fts")
RAW_TABLES = ["articles", "paragraphs", "dropped", "article_sources"]
"""What a report's source view reads: its row, its paragraphs, what was dropped, its source."""

# Answers remembered per Database. A yes always (nothing turns a corpus back into
# something else). A no with what would change if a loader wrote into the database:
# nothing for an immutable one, the size and time of its file and write-ahead log for a
# mutable one. Every page asks (the navigation menu names each corpus), so without this
# each page would look at the schema of every other database Datasette serves.
_corpora: weakref.WeakSet = weakref.WeakSet()
_not_corpora: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _stamp(db) -> tuple | None:
    """What changes when ``db`` is written to, or None when that cannot be seen from
    outside (a mutable in-memory database: looked at each time)."""
    if not db.is_mutable:
        return ()
    if db.is_memory or not db.path:
        return None
    stamp = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(os.fspath(db.path) + suffix)  # a Path is accepted too
        except OSError:
            stamp.append(None)
        else:
            stamp.append((st.st_mtime_ns, st.st_size))
    return tuple(stamp)


async def is_corpus(datasette, database: str) -> bool:
    """Whether ``database`` (a name Datasette serves) holds a report corpus."""
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    if db in _corpora:
        return True
    stamp = _stamp(db)
    if stamp is not None and _not_corpora.get(db) == stamp:
        return False
    for table in MARKER_TABLES:
        if not await db.table_exists(table):
            if stamp is not None:
                _not_corpora[db] = stamp
            return False
    _corpora.add(db)
    _not_corpora.pop(db, None)
    return True
