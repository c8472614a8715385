"""Which databases are report corpora.

Datasette may serve a corpus beside other databases, which can have tables called
``articles`` or ``paragraphs`` of their own. The plugin's facets, selections, links and
routes act only on a database the loader built: one holding its ``reportcorpus_meta``
table and the ``paragraphs_fts`` index.
"""

from __future__ import annotations

import weakref

MARKER_TABLES = ("reportcorpus_meta", "paragraphs_fts")
RAW_TABLES = ["articles", "paragraphs", "dropped", "article_sources"]
"""What a report's source view reads: its row, its paragraphs, what was dropped, its source."""

# Answers remembered per Database. A yes always (nothing turns a corpus back into
# something else); a no only for an immutable database, since a mutable one may be
# loaded into while served. Every page asks (the navigation menu), so this spares a
# look at the schema of each database each time.
_corpora: weakref.WeakSet = weakref.WeakSet()
_not_corpora: weakref.WeakSet = weakref.WeakSet()


async def is_corpus(datasette, database: str) -> bool:
    """Whether ``database`` (a name Datasette serves) holds a report corpus."""
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    if db in _corpora:
        return True
    if db in _not_corpora:
        return False
    for table in MARKER_TABLES:
        if not await db.table_exists(table):
            if not db.is_mutable:
                _not_corpora.add(db)
            return False
    _corpora.add(db)
    return True
