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
import unicodedata

from datasette.utils.asgi import AsgiStream

from .search_sql import provenance_sql, ranked_ids_sql, run_as_fts_or_words

PAGE = 500  # ids per statement: within SQLite's oldest limit on parameters
COLUMNS = ["rank", "bm25", "paragraph_id", "article_id", "article_key", "article_title",
           "outlet", "published", "url", "path", "story_id", "story", "position",
           "start", "end", "word_count", "text"]


def filename(query_text: str, selected: list[str] = ()) -> str:
    """A plain ASCII file name for the download, naming the search and then the values
    selected, so that two exports of one search narrowed differently differ by name.

    >>> filename('"Łódź" dock-strike!')
    'search-lodz-dock-strike.csv'
    >>> filename("strike", ["Saltry Post", "2024-03"])
    'search-strike-saltry-post-2024-03.csv'
    >>> filename('"pay offer" -strike')
    'search-pay-offer-not-strike.csv'
    """
    # A word left out (-strike) is named as such, not as a word searched for.
    query_text = re.sub(r'(?:(?<=\s)|^)-+(?=[\w"(])', " not ", query_text)
    words = _ascii_words(query_text)[:6]
    for value in selected:
        words += _ascii_words(value)[:4]
    return "search-" + ("-".join(words[:12]) or "results") + ".csv"


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower())


async def ranking(db, query, where) -> tuple[object, list]:
    """``(query, [(paragraph id, bm25), ...])``: every match, best first, under the
    server's ``sql_time_limit_ms``. A query FTS5 rejects is ranked as its plain words,
    as the search page does. Raises QueryInterrupted when the ranking runs too long."""
    async def rank(fts: str) -> list:
        rows = (await db.execute(ranked_ids_sql(where.clauses), {**where.params, "q": fts})).rows
        return [(r[0], r[1]) for r in rows]

    query, ranked = await run_as_fts_or_words(query, rank)
    return query, ranked or []


def stream(datasette, db, ranked: list, with_story: bool, headers: dict) -> AsgiStream:
    """The CSV of the ranked matches (see :func:`ranking`), a page of ids at a time."""
    total = len(ranked)
    if not datasette.setting("allow_csv_stream"):
        ranked = ranked[:datasette.setting("max_returned_rows")]
    max_bytes = (datasette.setting("max_csv_mb") or 0) * 1024 * 1024

    async def write(out) -> None:
        line = io.StringIO()
        writer = csv.writer(line)

        def as_csv(values) -> str:
            line.seek(0)
            line.truncate()
            writer.writerow(values)
            return line.getvalue()

        cut = (f"CSV contains more than {max_bytes} bytes (the server's max_csv_mb): narrow"
               " the search to export the rest\r\n")
        header = as_csv(COLUMNS)
        sent = len(header.encode("utf-8"))
        await out.write(header)
        for start in range(0, len(ranked), PAGE):
            page = ranked[start:start + PAGE]
            ids = [pid for pid, _ in page]
            rows = {r["paragraph_id"]: r for r in (await db.execute(
                provenance_sql(len(ids), with_story), ids)).rows}
            parts = []
            for n, (pid, bm25) in enumerate(page, start + 1):
                row = rows.get(pid)
                if row is None:  # (a paragraph deleted meanwhile is left out)
                    continue
                text = as_csv([n, bm25, *(row[c] for c in COLUMNS[2:])])
                size = len(text.encode("utf-8"))
                last = n == len(ranked)
                if max_bytes and sent + size + (0 if last else len(cut)) > max_bytes:
                    # The file, its closing line included, stays within max_csv_mb.
                    await out.write("".join(parts) + cut)
                    return
                parts.append(text)
                sent += size
            await out.write("".join(parts))
        if len(ranked) < total:
            await out.write(f"The first {len(ranked)} of {total} matches: this server does not"
                            " stream exports (allow_csv_stream)\r\n")

    return AsgiStream(write, headers=headers, content_type="text/csv; charset=utf-8")
