"""``/<db>/-/article/<id>``: one report to read, and ``/<db>/-/article/<id>.json``.

The page shows the article's title, outlet, date, byline and address (a link only for an
``http``/``https`` address), every body paragraph in full with the figures the loader
found marked, the blocks the loader dropped folded where they stood with their reasons,
the related reports (each with a link to its own page and one comparing it with this
report), the story the report belongs to (with a search of that story's reports), and
links to the source view and the ``articles`` row for provenance.

Permissions: ``articles`` and ``paragraphs`` must be visible to the actor (else 403);
``figures``, ``dropped``, ``related`` and ``stories`` are each read only when visible,
and a section whose table is hidden is left out, saying so (``left_out`` in the JSON).

JSON (``.json``): ``{"ok", "article", "paragraphs", "dropped", "related", "story",
"left_out"}``; ``_shape=array`` gives the paragraphs alone as a JSON array (``_nl=on``:
one per line), ``_shape=object`` the paragraphs keyed by id, ``_shape=arrays`` the whole
document with each paragraph a list (``columns`` names its items), ``_shape=objects`` (or
none) the whole document (see :mod:`..shapes`). Documented in docs/article.md.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from datasette.utils.asgi import BadRequest, NotFound, Response

from .. import urls
from ..corpus import RAW_TABLES
from ..urls import compare_url
from ..compat import DATASETTE_VERSION
from ..permissions import visible_tables
from ..http import SQLITE_MAX_INT, corpus_database, refuse_method, with_cors
from ..shapes import SHAPES, shaped

Run = Callable[[str, list], Awaitable[list[dict]]]

REQUIRED_TABLES = ("articles", "paragraphs")
OPTIONAL_TABLES = ("figures", "dropped", "related", "stories")
ARTICLE_FIELDS = ("id", "key", "title", "title_derived", "outlet", "url", "published",
                  "byline", "paragraph_count", "word_count", "story_id", "path")
FIGURE_FIELDS = ("id", "surface", "value", "value_high", "unit", "kind", "hedge", "object",
                 "object_phrase", "event", "start", "end")
STORY_LIST_LIMIT = 50
# A stored address is a link only when it is plainly a web address: scheme http or
# https, and no space, control character or quote anywhere (browsers drop tabs and new
# lines inside a scheme, so "java\tscript:" must never reach an href).
_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`\\]+", re.IGNORECASE)
LEFT_OUT = {
    "figures": "figures are not marked",
    "dropped": "the blocks dropped from the body are not shown",
    "related": "related reports are not listed",
    "stories": "the story is not shown",
}


def web_address(url: object) -> str | None:
    """``url`` when it is an http(s) address safe to link to, else None.

    >>> web_address("https://example.org/a?b=1"), web_address("javascript:alert(1)")
    ('https://example.org/a?b=1', None)
    >>> web_address(" http://x.org"), web_address("HTTP://X.ORG/"), web_address("http://")
    (None, 'HTTP://X.ORG/', None)
    """
    if not isinstance(url, str):
        return None
    return url if _WEB_ADDRESS.fullmatch(url) else None


def article_id_arg(value: str | None) -> int:
    """The ``<id>`` of the path as an article id, or 400 naming it."""
    value = (value or "").strip()
    if not value:
        raise BadRequest("id is required: /<database>/-/article/<id>, where <id> is an"
                         " article's id (articles.id)")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= SQLITE_MAX_INT:
        raise BadRequest(f"id must be an article id (a whole number from 1 to"
                         f" {SQLITE_MAX_INT}), not {value!r}")
    return int(value)


def figure_label(f: dict) -> str:
    """What a figure says, for a mark's title: ``count: 140 soldier (estimated); event
    arrest``. A date's stored value is a sort key, not something to read: its kind alone.

    >>> figure_label({"kind": "money", "value": 96000000.0, "value_high": None,
    ...               "unit": "GBP", "object": None, "hedge": None, "event": None})
    'money: 96,000,000 GBP'
    >>> figure_label({"kind": "count", "value": 4.0, "value_high": 5.5, "unit": None,
    ...               "object": "soldier", "hedge": "at least", "event": "arrest"})
    'count: 4-5.5 soldier (at least); event arrest'
    >>> figure_label({"kind": "date", "value": 329.0}), figure_label({"kind": "year",
    ...     "value": 1972.0})
    ('date', 'year: 1972')
    """
    kind = f.get("kind") or "figure"
    if kind == "date":
        return kind
    grouped = kind != "year"
    value = _number(f.get("value"), grouped)
    if f.get("value_high") is not None:
        value += "-" + _number(f["value_high"], grouped)
    text = f"{kind}: {value}"
    for extra in (f.get("unit"), f.get("object")):
        if extra:
            text += f" {extra}"
    if f.get("hedge"):
        text += f" ({f['hedge']})"
    if f.get("event"):
        text += f"; event {f['event']}"
    return text


def _number(value: object, grouped: bool = True) -> str:
    """``1500000000.0`` as ``1,500,000,000`` (``grouped``); fractions as stored."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and grouped:
        return f"{value:,}"
    return "" if value is None else str(value)


def marked_pieces(text: str, figures: list[dict]) -> list[dict]:
    """``text`` cut into pieces, each ``{"text", "figure"}`` (the figure dict, or None).

    The pieces join to ``text`` exactly. A figure whose offsets fall outside the text, or
    overlap a figure already marked, stays unmarked (it is still listed in the JSON).

    >>> [(p["text"], p["figure"] and p["figure"]["id"]) for p in marked_pieces(
    ...     "Now 31 ships and 4", [{"id": 2, "start": 17, "end": 18},
    ...                            {"id": 1, "start": 4, "end": 6},
    ...                            {"id": 3, "start": 5, "end": 12}])]
    [('Now ', None), ('31', 1), (' ships and ', None), ('4', 2)]
    """
    out: list[dict] = []
    pos = 0
    spans = [f for f in figures
             if isinstance(f.get("start"), int) and isinstance(f.get("end"), int)]
    for f in sorted(spans, key=lambda f: (f["start"], -f["end"])):
        start, end = f["start"], f["end"]
        if start < pos or end > len(text) or end <= start:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "figure": None})
        out.append({"text": text[start:end], "figure": f})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "figure": None})
    return out


def body_blocks(paragraphs: list[dict], dropped: list[dict]) -> list[dict]:
    """Paragraphs and dropped blocks in the order of the source: ``{"kind": "paragraph",
    "paragraph"}`` or ``{"kind": "dropped", "blocks": [...]}`` (dropped blocks standing
    together make one group). Blocks without offsets come last.

    >>> [b["kind"] for b in body_blocks([{"start": 10, "position": 0}, {"start": 50,
    ...     "position": 1}], [{"start": 0, "block": 0}, {"start": 30, "block": 2},
    ...     {"start": 40, "block": 3}, {"start": None, "block": 9}])]
    ['dropped', 'paragraph', 'dropped', 'paragraph', 'dropped']
    >>> [len(b.get("blocks", [])) for b in body_blocks([{"start": 10, "position": 0}],
    ...     [{"start": 30, "block": 2}, {"start": 40, "block": 3}])]
    [0, 2]
    """
    big = SQLITE_MAX_INT
    items = [(p["start"] if p.get("start") is not None else big, 0, p.get("position", 0),
              "paragraph", p) for p in paragraphs]
    items += [(d["start"] if d.get("start") is not None else big, 1, d.get("block") or 0,
               "dropped", d) for d in dropped]
    items.sort(key=lambda i: i[:3])
    out: list[dict] = []
    for *_, kind, item in items:
        if kind == "paragraph":
            out.append({"kind": "paragraph", "paragraph": item})
        elif out and out[-1]["kind"] == "dropped":
            out[-1]["blocks"].append(item)
        else:
            out.append({"kind": "dropped", "blocks": [item]})
    return out


async def gather(run: Run, article_id: int, visible: set[str]) -> dict | None:
    """Everything the page shows of one article, read only from ``visible`` tables
    (besides articles and paragraphs), or None when there is no such article."""
    cols = ", ".join(f"[{c}]" for c in ARTICLE_FIELDS)
    rows = await run(f"select {cols} from articles where id = ?", [article_id])
    if not rows:
        return None
    article = rows[0]
    paragraphs = await run("select id, position, text, start, [end] from paragraphs"
                           " where article_id = ? order by position", [article_id])
    by_paragraph: dict[int, list[dict]] = {p["id"]: [] for p in paragraphs}
    if "figures" in visible:
        cols = ", ".join(f"[{c}]" for c in FIGURE_FIELDS)
        for f in await run(f"select paragraph_id, {cols} from figures where article_id = ?"
                           " order by paragraph_id, start, id", [article_id]):
            owner = by_paragraph.get(f.pop("paragraph_id"))
            if owner is not None:
                owner.append(f)
    for p in paragraphs:
        p["figures"] = by_paragraph[p["id"]]
    dropped = (await run("select id, block, reason, text, start, [end] from dropped"
                         " where article_id = ? order by block, id", [article_id])
               if "dropped" in visible else [])
    related = (await run(
        "select r.other_id as id, r.rank, r.kind, r.score, a.title, a.outlet, a.published,"
        " a.path from related r join articles a on a.id = r.other_id"
        " where r.article_id = ? order by r.rank, r.other_id", [article_id])
        if "related" in visible else [])
    story = None
    if "stories" in visible and article["story_id"] is not None:
        found = await run("select id, label, article_count from stories where id = ?",
                          [article["story_id"]])
        if found:
            story = found[0]
            story["articles"] = await run(
                "select id, title, outlet, published, path from articles where story_id = ?"
                " order by published is null, published, id limit ?",
                [story["id"], STORY_LIST_LIMIT])
    return {"article": article, "paragraphs": paragraphs, "dropped": dropped,
            "related": related, "story": story}


def add_links(datasette, database: str, data: dict, raw_visible: bool) -> dict:
    """Put the links of the page into ``data`` (every one through ``datasette.urls``)."""
    a = data["article"]
    a["article_url"] = urls.article(datasette, database, a["id"])
    a["json_url"] = urls.article(datasette, database, a["id"], "json")
    a["row_url"] = urls.row(datasette, database, "articles", a["id"])
    a["compare_url"] = compare_url(datasette, database, a["id"])
    a["web_url"] = web_address(a["url"])
    if raw_visible:
        a["raw_url"] = compare_url(datasette, database, a["id"], mode="raw")
    for r in data["related"]:
        r["article_url"] = urls.article(datasette, database, r["id"])
        r["compare_url"] = compare_url(datasette, database, a["id"], r["id"])
    story = data["story"]
    if story is not None:
        story["search_url"] = urls.search(datasette, database,
                                          [("_article_story", story["id"])])
        story["articles_url"] = urls.table(datasette, database, "articles",
                                           [("story_id", story["id"])])
        for s in story["articles"]:
            s["article_url"] = urls.article(datasette, database, s["id"])
    return data


async def article_view(datasette, request) -> Response:
    """Serve ``/<db>/-/article/<id>`` and ``/<db>/-/article/<id>.json``."""
    refused = refuse_method(datasette, request)
    if refused:
        return refused
    db = await corpus_database(datasette, request, REQUIRED_TABLES)
    database = db.name
    article_id = article_id_arg(request.url_vars.get("id"))
    fmt = request.url_vars.get("format")
    shape = (request.args.get("_shape") or "objects").strip()
    if fmt == "json" and shape not in SHAPES:
        raise BadRequest(f"_shape must be one of {', '.join(SHAPES)}, not {shape!r}"
                         " (array and object give the paragraphs alone, arrays each"
                         " paragraph as a list)")
    visible = await visible_tables(datasette, request.actor, database, OPTIONAL_TABLES)
    # The source view reads more than this page: linked only for an actor who may open it.
    raw_visible = set(RAW_TABLES) <= await visible_tables(datasette, request.actor, database,
                                                          RAW_TABLES)

    async def run(sql: str, params: list) -> list[dict]:
        return [dict(r) for r in (await db.execute(sql, params)).rows]

    data = await gather(run, article_id, visible)
    if data is None:
        raise NotFound(f"No article with id {article_id} in {database}")
    add_links(datasette, database, data, raw_visible)
    left_out = [t for t in OPTIONAL_TABLES if t not in visible]
    if fmt == "json":
        return with_cors(datasette, _json_response(request, data, shape, left_out))
    context = {
        "database": database,
        "data": data,
        "a": data["article"],
        "blocks": [_with_pieces(b) for b in body_blocks(data["paragraphs"], data["dropped"])],
        "figure_count": sum(len(p["figures"]) for p in data["paragraphs"]),
        "dropped_reasons": _reasons(data["dropped"]),
        "left_out": [(t, LEFT_OUT[t]) for t in left_out],
        "visible": visible,
        "figure_label": figure_label,
        "database_url": urls.database(datasette, database),
        "articles_url": urls.table(datasette, database, "articles"),
        "search_action": urls.search(datasette, database),
        "stylesheet": urls.static(datasette, "reportcorpus.css"),
        "json_url": data["article"]["json_url"],
        "datasette_version": DATASETTE_VERSION,  # the footer's (0.65 leaves it to views)
    }
    return with_cors(datasette, Response.html(await datasette.render_template(
        "reportcorpus/article.html", context, request=request)))


def _with_pieces(block: dict) -> dict:
    if block["kind"] == "paragraph":
        p = block["paragraph"]
        block["pieces"] = marked_pieces(p["text"] or "", p["figures"])
    return block


def _reasons(dropped: list[dict]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for d in dropped:
        counts[d["reason"] or "unknown"] = counts.get(d["reason"] or "unknown", 0) + 1
    return sorted(counts.items())


def _json_response(request, data: dict, shape: str, left_out: list[str]) -> Response:
    full = {"ok": True, "article": data["article"], "paragraphs": data["paragraphs"],
            "dropped": data["dropped"], "related": data["related"], "story": data["story"],
            "left_out": left_out}
    return shaped(full, "paragraphs", shape, bool(request.args.get("_nl")))
