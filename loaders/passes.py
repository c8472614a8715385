"""Corpus-wide passes that run after files are stored.

Repeated boilerplate: a block whose fingerprint recurs in many articles with
otherwise different text (a site's comment policy, a newsletter plug) is
boilerplate even where no rule names it. Blocks shared by articles that are
copies of each other (syndicated wire copy) are real text and stay.
"""

from __future__ import annotations

import sqlite_utils

from .text.classify import REPEATED, block_hash
from .text.parse import Extractor, parse_text
from .store import chunks, marks, refresh_story_counts

MIN_ARTICLES = 3
"""A block must recur in at least this many distinct texts to count as repeated."""
MAX_WORDS = 80
"""Longer blocks are reporting, not furniture, whatever their frequency."""
COPY_SHARE = 0.5
"""Articles sharing more than this share of their blocks are copies of one text."""
SAMPLE = 40


def repeated_hashes(db: sqlite_utils.Database) -> set[str]:
    """Fingerprints of blocks that recur across unrelated articles."""
    if "block_hashes" not in db.table_names():
        return set()
    candidates = db.execute(
        "select b.hash, group_concat(distinct a.content_hash || ' ' || b.article_id)"
        " from block_hashes b join articles a on a.id = b.article_id where b.words <= ?"
        " group by b.hash having count(distinct a.content_hash) >= ?",
        [MAX_WORDS, MIN_ARTICLES],
    ).fetchall()
    found = set()
    blocks_of: dict[int, set[str]] = {}
    for h, held in candidates:
        # The sample is drawn in the order of the texts' hashes, not of article ids:
        # which articles a load stored first must not change what counts as repeated.
        article_ids = [int(pair.split(" ")[1]) for pair in sorted(held.split(","))][:SAMPLE]
        for aid in article_ids:
            if aid not in blocks_of:
                blocks_of[aid] = {
                    r[0] for r in db.execute(
                        "select hash from block_hashes where article_id = ?", [aid])
                }
        if not _copies(article_ids, blocks_of, h):
            found.add(h)
    return found


def _copies(article_ids: list[int], blocks_of: dict[int, set[str]], h: str) -> bool:
    """True when the articles holding block ``h`` mostly share their other blocks too."""
    shares = []
    for aid in article_ids:
        own = blocks_of[aid] - {h}
        if not own:
            continue
        others = set().union(*(blocks_of[o] for o in article_ids if o != aid)) - {h}
        shares.append(len(own & others) / len(own))
    if not shares:
        return False
    shares.sort()
    return shares[len(shares) // 2] > COPY_SHARE


def refresh_repeated(db: sqlite_utils.Database, writer, extract: Extractor | None) -> int:
    """Re-clean articles whose repeated blocks changed; returns how many changed."""
    repeated = repeated_hashes(db)
    affected: set[int] = set()
    for chunk in chunks(repeated):
        affected |= {r[0] for r in db.execute(
            f"select distinct article_id from block_hashes where hash in ({marks(chunk)})", chunk)}
    affected |= {r[0] for r in db.execute(
        "select distinct article_id from dropped where reason = ?", [REPEATED])}
    changed = 0
    for article_id in sorted(affected):
        row = db.execute(
            "select a.path, a.outlet, a.url, a.published, a.byline,"
            " case when a.title_derived then null else a.title end, s.text"
            " from articles a join article_sources s on s.id = a.id where a.id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            continue
        current = {block_hash(r[0]) for r in db.execute(
            "select text from dropped where article_id = ? and reason = ?", [article_id, REPEATED])}
        meta = dict(zip(("outlet", "url", "published", "byline", "title"), row[1:6]))
        article = parse_text(row[6], row[0], meta, repeated, extract)
        now_repeated = {block_hash(d.text) for d in article.dropped if d.reason == REPEATED}
        if now_repeated != current and article.paragraphs:
            writer.replace_body(article_id, article)
            changed += 1
    return changed


def refresh_related(db: sqlite_utils.Database, terms=None) -> int:
    """Related reports and stories for new or changed articles; returns lists rewritten.

    ``terms``: a :class:`~loaders.related.TermCounts` of articles parsed by this load.
    """
    from .related.rank import refresh_related as related_pass
    from .related.stories import refresh_stories

    done = related_pass(db, terms=terms)
    if done.lists:
        refresh_stories(db)
    return done.lists


def refresh_counts(db: sqlite_utils.Database) -> None:
    """Keep derived counts (stories.article_count) in step with the articles."""
    refresh_story_counts(db)
