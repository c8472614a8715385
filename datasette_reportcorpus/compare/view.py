"""``/<db>/-/compare``: two reports side by side, and one report's source beside its
cleaned paragraphs (``mode=raw``). HTML, or JSON with ``.json``.

- ``?left=ID&right=ID``: paragraphs aligned, word differences, figures compared,
  names only in one report, a summary line.
- ``?left=ID`` alone: a picker - the article's related reports, and a search of
  titles and outlets (``&pick=words``) to choose any other.
- ``?left=ID&mode=raw``: the article's source text beside what the loader kept, with
  every dropped block and its reason.

A comparison's cost grows with the product of the two reports' sizes: past
``data.MAX_PARAGRAPHS`` paragraphs or ``data.MAX_CHARS`` characters of a report, the rest
is left out and the page says so, and the work runs in a thread, off the event loop, so
that one comparison never holds up the server's other requests. The picker's entry is
bounded too (``PICK_MAX_WORDS`` words, ``PICK_MAX_CHARS`` characters): past that, or
past Datasette's time limit, it answers 400 naming ``pick``.

GET only. Every table read is checked against the actor's permissions first, links
are built with ``datasette.urls`` (``base_url`` honoured), and article text reaches
the page only through Jinja's autoescaping.
"""

from __future__ import annotations

import asyncio
import sqlite3

from datasette.database import QueryInterrupted
from datasette.utils.asgi import BadRequest, NotFound, Response

from . import data
from .. import urls
from ..urls import compare_url
from ..compat import DATASETTE_VERSION
from ..corpus import RAW_TABLES, is_corpus
from ..permissions import can_view_table, ensure_tables, visible_tables
from ..http import SQLITE_MAX_INT, corpus_database, refuse_method, with_cors
from ..shapes import shape_arg, shaped

# ``figures`` and ``related`` are read only when the actor may see them: a comparison
# then leaves out the figures, or the related reports listed beside it and in the
# picker (which still finds reports by title or outlet).
COMPARE_TABLES = ["articles", "paragraphs"]
PICKER_TABLES = ["articles"]
PICK_LIMIT = 30
PICK_MAX_WORDS = 8
"""Distinct words a picker entry may hold (each is a LIKE over every title)."""
PICK_MAX_CHARS = 200
"""Characters a picker entry may hold."""
STATUS_WORDS = {"agree": "agrees", "compatible": "consistent (hedged)", "differ": "differs",
                "scope": "differs in scope, check", "left": "only left", "right": "only right"}


def _int_arg(request, name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        # ASCII digits only: int() would also read "٣", "1_0" and "+1".
        raise BadRequest(f"{name} must be an article id (a whole number), not {value[:100]!r}")
    number = int(value)
    if not 1 <= number <= SQLITE_MAX_INT:
        raise BadRequest(f"{name} must be an article id (a whole number from 1 to"
                         f" {SQLITE_MAX_INT}), not {value[:100]!r}")
    return number


async def compare_view(datasette, request) -> Response:
    """Serve ``/<db>/-/compare`` and ``/<db>/-/compare.json``."""
    refused = refuse_method(datasette, request)
    if refused:
        return refused
    # Every mode reads articles; each checks the rest of what it reads below.
    db = await corpus_database(datasette, request, ["articles"])
    database = db.name
    left_id = _int_arg(request, "left")
    right_id = _int_arg(request, "right")
    mode = request.args.get("mode") or None
    fmt = request.url_vars.get("format")
    shape = shape_arg(request) if fmt == "json" else "objects"
    if mode not in (None, "raw"):
        raise BadRequest("mode must be raw or absent")
    if left_id is None:
        raise BadRequest("left (an article id) is required: ?left=ID&right=ID")

    async def run(sql: str, params: list) -> list[dict]:
        return [dict(r) for r in (await db.execute(sql, params)).rows]

    if mode == "raw":
        await ensure_tables(datasette, request.actor, database, RAW_TABLES)
        context = await _raw(datasette, database, run, left_id)
        if right_id is not None and right_id != left_id:
            # A raw link followed from a comparison: the way to the other source and back
            # (to the comparison as it was: ``side=right`` when this is its right report).
            await _article_or_404(run, right_id)
            on_right = request.args.get("side") == "right"
            context["other_raw_url"] = compare_url(datasette, database, right_id, left_id,
                                                   mode="raw", side=None if on_right else "right")
            context["back_url"] = (compare_url(datasette, database, right_id, left_id)
                                   if on_right else
                                   compare_url(datasette, database, left_id, right_id))
        template = "reportcorpus/raw.html"
    elif right_id is None:
        await ensure_tables(datasette, request.actor, database, PICKER_TABLES)
        context = await _picker(datasette, database, run, left_id,
                                (request.args.get("pick") or "").strip(),
                                await can_view_table(datasette, request.actor, database,
                                                     "related"))
        template = "reportcorpus/compare_pick.html"
    else:
        await ensure_tables(datasette, request.actor, database, COMPARE_TABLES)
        optional = await visible_tables(datasette, request.actor, database,
                                        ["figures", "related"])
        context = await _compare(datasette, database, run, left_id, right_id,
                                 "related" in optional, "figures" in optional)
        template = "reportcorpus/compare.html"
    context["database"] = database
    # Links to the raw view only for an actor who may read what it shows.
    raw_visible = set(RAW_TABLES) <= await visible_tables(
        datasette, request.actor, database, RAW_TABLES)
    if fmt == "json":
        out = context["data"]
        if not raw_visible:
            for side in ("left", "right", "article"):
                if isinstance(out.get(side), dict):
                    out[side] = {k: v for k, v in out[side].items() if k != "raw_url"}
        # The rows _shape applies to: the aligned rows, the raw blocks or the picked articles.
        rows_key = {"reportcorpus/raw.html": "blocks",
                    "reportcorpus/compare_pick.html": "matches"}.get(template, "rows")
        return with_cors(datasette, shaped({"ok": True, **_jsonable(out)}, rows_key, shape,
                                           bool(request.args.get("_nl"))))
    context.update(
        raw_visible=raw_visible,
        database_url=urls.database(datasette, database),
        stylesheet=urls.static(datasette, "reportcorpus.css"),
        json_url=compare_url(datasette, database, left_id, right_id, mode, "json"),
        action=datasette.urls.database(database) + "/-/compare",
        status_words=STATUS_WORDS,
        datasette_version=DATASETTE_VERSION,  # the footer's (0.65 leaves it to views)
    )
    return with_cors(datasette, Response.html(
        await datasette.render_template(template, context, request=request)))


async def _article_or_404(run, article_id: int) -> dict:
    row = await data.article(run, article_id)
    if row is None:
        raise NotFound(f"No article with id {article_id}")
    return row


def _links(datasette, database: str, a: dict) -> dict:
    return {**a, "article_url": urls.article(datasette, database, a["id"]),
            "row_url": urls.row(datasette, database, "articles", a["id"]),
            "raw_url": compare_url(datasette, database, a["id"], mode="raw"),
            "picker_url": compare_url(datasette, database, a["id"])}


async def _related(datasette, database: str, run, article_id: int) -> list[dict]:
    rows = await run(
        "select r.other_id as id, r.score, r.rank, r.kind, a.title, a.outlet, a.published"
        " from related r join articles a on a.id = r.other_id"
        " where r.article_id = ? order by r.rank", [article_id])
    for r in rows:
        r["compare_url"] = compare_url(datasette, database, article_id, r["id"])
    return rows


async def _compare(datasette, database: str, run, left_id: int, right_id: int,
                   with_related: bool, with_figures: bool) -> dict:
    left = await _article_or_404(run, left_id)
    right = await _article_or_404(run, right_id)

    async def compared(article: dict) -> tuple[list[dict], list[dict], dict | None]:
        # Only what can be compared is read: the first paragraphs, and their figures.
        paras = await data.paragraphs(run, article["id"], limit=data.MAX_PARAGRAPHS)
        figs = (await data.figures(run, article["id"], paragraphs=data.MAX_PARAGRAPHS)
                if with_figures else [])
        return data.within_limits(paras, figs, article.get("paragraph_count"))

    (lp, lf, lcut), (rp, rf, rcut) = await compared(left), await compared(right)
    # The comparison is pure Python and bounded, but still the costliest thing a request
    # here does: a thread keeps the event loop free for every other request meanwhile.
    result = await asyncio.to_thread(data.build, left, right, lp, rp, lf, rf)
    limited = {"left": lcut, "right": rcut} if lcut or rcut else None
    result["limited"] = limited
    result["limits_message"] = data.limits_message(limited) if limited else None
    result["figures_visible"] = with_figures
    result["left"] = _links(datasette, database, result["left"])
    result["right"] = _links(datasette, database, result["right"])
    # Each source's raw view carries the other report, to lead on to its source and back.
    result["left"]["raw_url"] = compare_url(datasette, database, left_id, right_id, "raw")
    result["right"]["raw_url"] = compare_url(datasette, database, right_id, left_id, "raw",
                                             side="right")
    result["related"] = (await _related(datasette, database, run, left_id)
                         if with_related else [])
    result["related_visible"] = with_related
    result["swap_url"] = compare_url(datasette, database, right_id, left_id)
    result["database"] = database
    return {"data": result}


async def _picker(datasette, database: str, run, left_id: int, pick: str,
                  with_related: bool) -> dict:
    left = _links(datasette, database, await _article_or_404(run, left_id))
    matches: list[dict] = []
    total = 0
    if len(pick) > PICK_MAX_CHARS:
        raise BadRequest(f"pick is too long: at most {PICK_MAX_CHARS} characters of title or"
                         f" outlet words, not {len(pick)}")
    words = _pick_words(pick)
    if len(words) > PICK_MAX_WORDS:
        raise BadRequest(f"pick has too many words: at most {PICK_MAX_WORDS} different words,"
                         f" not {len(words)}")
    if words:
        # Every word, in any order, starting a word of the title or the outlet.
        # The haystack is built once a row (the subquery's ``limit -1`` keeps SQLite from
        # copying its expression into every word's test).
        rows = (f"(select id, title, outlet, published, ' ' || {_PICK_HAYSTACK} as hay"
                " from articles where id != ? limit -1)")
        where = " and ".join(["hay like ? escape '\\'"] * len(words))
        params = [left_id, *("% " + w.replace("\\", "\\\\").replace("%", "\\%")
                             .replace("_", "\\_") + "%" for w in words)]
        try:
            total = (await run(f"select count(*) as n from {rows} where {where}",
                               params))[0]["n"]
            matches = await run(
                f"select id, title, outlet, published from {rows} where {where}"
                " order by published desc, id limit ?", [*params, PICK_LIMIT])
        except QueryInterrupted:
            raise BadRequest("pick matched too widely to search within the time limit: use"
                             " longer or fewer words") from None
        except sqlite3.OperationalError as e:
            raise BadRequest(f"pick could not be searched ({e}): use fewer or shorter"
                             " words") from None
        for m in matches:
            m["compare_url"] = compare_url(datasette, database, left_id, m["id"])
    related = await _related(datasette, database, run, left_id) if with_related else []
    return {"data": {"database": database, "left": left, "related": related,
                     "related_visible": with_related, "pick": pick,
                     "matches": matches, "match_count": total}}


# Punctuation a title word may follow ("‘We lost", "£96m", "three-week"): turned into
# spaces, so that a word of the picker matches at the start of any word.
_PICK_PUNCTUATION = "'\"\u2018\u2019\u201c\u201d-\u2013\u2014()[]£$€,.:;!?/&"


def _pick_haystack() -> str:
    sql = "(coalesce(title, '') || ' ' || coalesce(outlet, ''))"
    for ch in _PICK_PUNCTUATION:
        sql = f"replace({sql}, '{ch.replace(chr(39), chr(39) * 2)}', ' ')"
    return sql


_PICK_HAYSTACK = _pick_haystack()


def _pick_words(pick: str) -> list[str]:
    """The words of a picker entry, split at punctuation as the titles are (see
    :data:`_PICK_PUNCTUATION`).

    >>> _pick_words(' Blair, "Brown" three-week ')
    ['Blair', 'Brown', 'three', 'week']
    >>> _pick_words('t T t')
    ['t']
    """
    words = pick.translate({ord(ch): " " for ch in _PICK_PUNCTUATION}).split()
    # A word given twice narrows nothing: "t t t" searches as "t".
    seen: set[str] = set()
    return [w for w in words if not (w.casefold() in seen or seen.add(w.casefold()))]


async def _raw(datasette, database: str, run, article_id: int) -> dict:
    a = _links(datasette, database, await _article_or_404(run, article_id))
    source = await run("select text from article_sources where id = ?", [article_id])
    paras = await data.paragraphs(run, article_id)
    dropped = await run("select block, text, reason, start, [end] from dropped"
                        " where article_id = ? order by block", [article_id])
    blocks = data.raw_blocks(source[0]["text"] if source else "", paras, dropped)
    reasons: dict[str, int] = {}
    for d in dropped:
        reasons[d["reason"]] = reasons.get(d["reason"], 0) + 1
    return {"data": {"database": database, "article": a, "blocks": blocks,
                     "dropped_count": len(dropped), "paragraph_count": len(paras),
                     "reasons": reasons}}


def _jsonable(value):
    """Plain JSON: tuples become lists, everything else passes through."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


TITLE_CELLS = {("articles", "title"): "id",
               ("paragraphs_provenance", "article_title"): "article_id",
               ("figures_provenance", "article_title"): "article_id"}
"""(table, column) of the article titles that link to the compare view: the column
holding the article's id."""


def article_title_cell(value, column: str, table: str | None, database: str, row,
                       datasette):
    """An article title on table and row pages (articles and the provenance views), as a
    link to the article's own page, followed by a link to compare it with its related
    reports, on both Datasette lines.
    Only in a report corpus: another database's ``articles`` table is left alone."""
    id_column = TITLE_CELLS.get((table, column))
    if id_column is None:
        return None
    try:
        article_id = row[id_column]
    except (IndexError, KeyError):
        return None
    if not isinstance(article_id, int):
        return None

    async def inner():
        if not await is_corpus(datasette, database):
            return None
        from markupsafe import Markup, escape

        link = compare_url(datasette, database, article_id)
        return Markup('<a class="rc-article-link" href="{}">{}</a> <a class="rc-compare-link"'
                      ' href="{}" title="{}" aria-label="{}">compare&nbsp;&#8646;</a>').format(
            urls.article(datasette, database, article_id),
            escape(value if value is not None else ""), link,
            "Compare with related reports", "Compare with related reports")

    return inner


def article_row_actions(datasette, database: str, table: str, row) -> list[dict]:
    """1.0's row action menu on an article's row: "Read this report" (its own page) and
    "Compare with related reports"."""
    if table != "articles" or row is None:
        return []
    try:
        article_id = row["id"]
    except (IndexError, KeyError):
        return []

    async def inner():
        if not await is_corpus(datasette, database):
            return []
        return [{"href": urls.article(datasette, database, article_id),
                 "label": "Read this report",
                 "description": "Its paragraphs with their figures, related reports and story"},
                {"href": compare_url(datasette, database, article_id),
                 "label": "Compare with related reports",
                 "description": "Side by side with another outlet's report of the same story"}]

    return inner
