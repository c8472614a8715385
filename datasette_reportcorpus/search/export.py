"""``/<db>/-/search.csv``: every paragraph a search matches, best first, as CSV.

The rows of the ranked search page in its order, each with its rank and the provenance a
reader needs to cite it (the article's key, title, outlet, date, URL, path and story,
the paragraph's position, 0-based as everywhere in the plugin, and offsets), streamed a
page at a time (only the ids and scores of the matches are held at once).

It takes the arguments of Datasette's own CSV: one page by default (``_size`` rows from
``_next``, 20 unless asked; ``_size=max`` is ``max_returned_rows``), every match with
``_stream=on`` (where ``allow_csv_stream`` allows it), ``text/csv`` as a download named
after the search with ``_dl=on`` (``text/plain`` otherwise), and with ``_bom=1`` a UTF-8
byte order mark first, so that spreadsheet software reads the file as UTF-8. A file that
holds fewer rows than the search matched ends with a line saying which rows it holds and
how to get the rest, and one that passes ``max_csv_mb`` with a line saying so.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from datasette.database import QueryInterrupted
from datasette.utils.asgi import AsgiStream, BadRequest, Response

from ..http import with_cors
from .query import run_as_fts_or_words
from .request import SearchRequest
from .sql import SearchSql, provenance_sql

PAGE = 500  # ids per statement: within SQLite's oldest limit on parameters
COLUMNS = ["rank", "bm25", "paragraph_id", "article_id", "article_key", "article_title",
           "outlet", "published", "url", "path", "story_id", "story", "position",
           "start", "end", "word_count", "text"]


BOM = "\ufeff"


@dataclass(frozen=True)
class Page:
    """Which of the ``total`` ranked matches a CSV holds: ``size`` from ``offset``, or
    every one (``size`` None)."""

    offset: int
    size: int | None
    total: int


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


async def csv_response(datasette, db, search: SearchRequest):
    """The ranked CSV of ``search``: one page as ``_size``/``_next`` ask, or with
    ``_stream=on`` every match; 503 when ranking the matches passes the time limit."""
    try:
        query, ranked = await ranking(db, search.query, search.sql)
    except QueryInterrupted:
        return with_cors(datasette, Response.text(
            "Ranking the matches took longer than this server's sql_time_limit_ms: narrow"
            " the search, or export the CSV in table order.", status=503))
    except sqlite3.OperationalError as e:
        raise BadRequest(f"q: SQLite could not run this search even as plain words ({e})")
    headers = {}
    if search.download:
        name = filename(query.text, [v for _, v in search.selections])
        headers["content-disposition"] = f'attachment; filename="{name}"'
    page = Page(offset=0 if search.stream else search.offset,
                size=None if search.stream else search.size, total=len(ranked))
    return with_cors(datasette, stream(
        datasette, db, ranked, "stories" in search.readable, headers, page,
        bom=search.bom, download=search.download))


async def ranking(db, query, sql: SearchSql) -> tuple[object, list]:
    """``(query, [(paragraph id, bm25), ...])``: every match, best first, under the
    server's ``sql_time_limit_ms``. A query FTS5 rejects is ranked as its plain words,
    as the search page does. Raises QueryInterrupted when the ranking runs too long."""
    async def rank(fts: str) -> list:
        rows = (await db.execute(sql.ranked_ids(), sql.params(fts))).rows
        return [(r[0], r[1]) for r in rows]

    query, ranked = await run_as_fts_or_words(query, rank)
    return query, ranked or []


def stream(datasette, db, ranked: list, with_story: bool, headers: dict, page: Page,
           bom: bool = False, download: bool = True) -> AsgiStream:
    """The CSV of ``page`` of the ranked matches (see :func:`ranking`), 500 ids at a time."""
    total = len(ranked)
    first = page.offset
    ranked = ranked[first:] if page.size is None else ranked[first:first + page.size]
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
        header = (BOM if bom else "") + as_csv(COLUMNS)
        sent = len(header.encode("utf-8"))
        await out.write(header)
        for start in range(0, len(ranked), PAGE):
            batch = ranked[start:start + PAGE]
            ids = [pid for pid, _ in batch]
            rows = {r["paragraph_id"]: r for r in (await db.execute(
                provenance_sql(len(ids), with_story), ids)).rows}
            parts = []
            for n, (pid, bm25) in enumerate(batch, first + start + 1):
                row = rows.get(pid)
                if row is None:  # (a paragraph deleted meanwhile is left out)
                    continue
                text = as_csv([n, bm25, *(row[c] for c in COLUMNS[2:])])
                size = len(text.encode("utf-8"))
                last = n == first + len(ranked)
                if max_bytes and sent + size + (0 if last else len(cut)) > max_bytes:
                    # The file, its closing line included, stays within max_csv_mb.
                    await out.write("".join(parts) + cut)
                    return
                parts.append(text)
                sent += size
            await out.write("".join(parts))
        if len(ranked) < total:
            await out.write(cut_note(first, len(ranked), total,
                                     datasette.setting("allow_csv_stream")))

    content_type = "text/csv" if download else "text/plain"
    return AsgiStream(write, headers=headers, content_type=f"{content_type}; charset=utf-8")


def cut_note(offset: int, held: int, total: int, can_stream: bool) -> str:
    """The last line of a CSV holding ``held`` of ``total`` matches from ``offset``.

    >>> cut_note(0, 20, 57, True)
    'Rows 1-20 of 57 matches: this CSV holds one page (_size, _next); add _stream=on for every match\\r\\n'
    """
    which = f"Rows {offset + 1}-{offset + held}" if held else "No rows"
    how = ("add _stream=on for every match" if can_stream
           else "this server does not stream exports (allow_csv_stream)")
    return f"{which} of {total} matches: this CSV holds one page (_size, _next); {how}\r\n"
