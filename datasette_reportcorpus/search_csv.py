"""``/<db>/-/search.csv``: every paragraph a search matches, best first, as CSV.

The rows of the ranked search page in its order, each with its rank and the provenance a
reader needs to cite it (the article's key, title, outlet, date, URL, path and story,
the paragraph's position and offsets), streamed a page at a time (only the ids and
scores of the matches are held at once). It follows the server's settings as Datasette's
own CSV does: one page of ``max_returned_rows`` when ``allow_csv_stream`` is off, and a
last line saying so when the file passes ``max_csv_mb``.
"""

from __future__ import annotations

import csv
import io
import re

from datasette.database import QueryInterrupted
from datasette.utils.asgi import AsgiStream

from .search_sql import provenance_sql, ranked_ids_sql

PAGE = 2000
COLUMNS = ["rank", "bm25", "paragraph_id", "article_id", "article_key", "article_title",
           "outlet", "published", "url", "path", "story_id", "story", "position",
           "start", "end", "word_count", "text"]


def filename(query_text: str) -> str:
    """A file name for the download: ``search-dock-strike.csv``."""
    words = re.findall(r"[\w]+", query_text.lower())[:6]
    return "search-" + ("-".join(words) or "results") + ".csv"


def stream(datasette, db, query, where, with_story: bool, headers: dict) -> AsgiStream:
    """The CSV of every row matching ``query`` (an FtsQuery) and ``where``'s selections.

    The order is worked out once (ids and scores of every match, one query under the
    server's ``sql_time_limit_ms``); the rows then follow a page of ids at a time.
    """
    every = datasette.setting("allow_csv_stream")
    limit = None if every else datasette.setting("max_returned_rows")
    max_bytes = (datasette.setting("max_csv_mb") or 0) * 1024 * 1024

    async def write(out) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        try:
            ranked = (await db.execute(ranked_ids_sql(where.clauses),
                                       {**where.params, "q": query.fts})).rows
        except QueryInterrupted:
            await out.write(buffer.getvalue() + "The export stopped: ranking the matches"
                            " took longer than the server's sql_time_limit_ms; narrow the"
                            " search, or export the CSV in table order\r\n")
            return
        if limit is not None:
            ranked = ranked[:limit]
        sent = 0
        for start in range(0, max(len(ranked), 1), PAGE):
            page = ranked[start:start + PAGE]
            ids = [r[0] for r in page]
            rows = {r["paragraph_id"]: r for r in (await db.execute(
                provenance_sql(len(ids), with_story), ids)).rows} if ids else {}
            for n, (pid, bm25) in enumerate(page, start + 1):
                row = rows.get(pid)
                if row is not None:  # (a paragraph deleted meanwhile is left out)
                    writer.writerow([n, bm25, *(row[c] for c in COLUMNS[2:])])
            chunk = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            sent += len(chunk.encode("utf-8"))
            await out.write(chunk)
            if max_bytes and sent > max_bytes and start + PAGE < len(ranked):
                await out.write(f"CSV contains more than {max_bytes} bytes (the server's"
                                " max_csv_mb): narrow the search to export the rest\r\n")
                return

    return AsgiStream(write, headers=headers, content_type="text/csv; charset=utf-8")
