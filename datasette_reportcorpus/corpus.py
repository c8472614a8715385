"""Which databases are report corpora.

Datasette may serve a corpus beside other databases, which can have tables called
``articles`` or ``paragraphs`` of their own. The plugin's facets, selections, links and
routes act only on a database the loader built: one holding its ``reportcorpus_meta``
table and the ``paragraphs_fts`` index.
"""

from __future__ import annotations

import weakref

MARKER_TABLES = ("reportcorpus_meta", "paragraphs_fts")

# Databases found to be corpora. Only a yes is remembered: a database being loaded
# while served becomes a corpus, and nothing turns a corpus back into something else.
_corpora: weakref.WeakSet = weakref.WeakSet()


async def is_corpus(datasette, database: str) -> bool:
    """Whether ``database`` (a name Datasette serves) holds a report corpus."""
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    if db in _corpora:
        return True
    for table in MARKER_TABLES:
        if not await db.table_exists(table):
            return False
    _corpora.add(db)
    return True
