"""Build the compare view's data from database rows (no Datasette import).

Reads with a ``run(sql, params) -> list[dict]`` coroutine supplied by the view, so the
shape of the comparison (documented in docs/compare.md) is built in one place for
both the HTML page and the JSON.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from itertools import pairwise

from ..loaders.compare import (
    align_paragraphs,
    compare_figures,
    diff_words,
    names_only_in_one,
    outlet_fragment,
    spelled_differently,
    summarise,
)

Run = Callable[[str, list], Awaitable[list[dict]]]

ARTICLE_COLUMNS = ("id", "title", "outlet", "published", "url", "path", "byline",
                   "paragraph_count", "word_count", "story_id")
FIGURE_FIELDS = ("id", "surface", "value", "value_high", "unit", "kind", "hedge", "object",
                 "event", "start", "end", "paragraph")


async def article(run: Run, article_id: int) -> dict | None:
    cols = ", ".join(f"[{c}]" for c in ARTICLE_COLUMNS)
    rows = await run(f"select {cols} from articles where id = ?", [article_id])
    return rows[0] if rows else None


async def paragraphs(run: Run, article_id: int) -> list[dict]:
    return await run("select id, position, text, start, [end] from paragraphs"
                     " where article_id = ? order by position", [article_id])


async def figures(run: Run, article_id: int) -> list[dict]:
    rows = await run(
        "select f.id, f.surface, f.value, f.value_high, f.unit, f.kind, f.hedge, f.object,"
        " f.event, f.start, f.[end], p.position as paragraph from figures f"
        " join paragraphs p on p.id = f.paragraph_id where f.article_id = ?"
        " order by p.position, f.start", [article_id])
    return [{k: r[k] for k in FIGURE_FIELDS} for r in rows]


def pieces(segments: list[tuple[str, str, int, int]],
           spans: list[tuple[int, int, str, int]]) -> list[dict]:
    """Split diff segments further at figure spans, for rendering.

    ``segments`` are (text, tag, start, end) covering a paragraph; ``spans`` are
    (start, end, status, figure id) of compared figures. Each piece is
    ``{"text", "tag", "figure": status | None, "figure_n"}``.

    >>> [(p["text"], p["tag"], p["figure"]) for p in pieces(
    ...     [("Now 31 ships", "same", 0, 12)], [(4, 6, "differ", 9)])]
    [('Now ', 'same', None), ('31', 'same', 'differ'), (' ships', 'same', None)]
    """
    cuts = sorted({b for s in segments for b in (s[2], s[3])}
                  | {b for sp in spans for b in (sp[0], sp[1])})
    out: list[dict] = []
    si = 0
    for a, b in pairwise(cuts):
        while si < len(segments) and segments[si][3] <= a:
            si += 1
        if si >= len(segments):
            break
        text, tag, s0, _ = segments[si]
        fig = next((sp for sp in spans if sp[0] <= a and b <= sp[1]), None)
        piece = {"text": text[a - s0:b - s0], "tag": tag,
                 "figure": fig[2] if fig else None, "figure_n": fig[3] if fig else None}
        last = out[-1] if out else None
        if last and last["tag"] == piece["tag"] and last["figure_n"] == piece["figure_n"]:
            last["text"] += piece["text"]
        elif piece["text"]:
            out.append(piece)
    return out


def build(left: dict, right: dict, left_paras: list[dict], right_paras: list[dict],
          left_figs: list[dict], right_figs: list[dict]) -> dict:
    """The comparison of two articles: aligned rows, figures, names and a summary."""
    ltexts = [p["text"] for p in left_paras]
    rtexts = [p["text"] for p in right_paras]
    rows = align_paragraphs(ltexts, rtexts)
    paired = {(r.left, r.right) for r in rows if r.left is not None and r.right is not None}
    figs = compare_figures(left_figs, right_figs, paired, (ltexts, rtexts))
    spans: dict[tuple[str, int], list[tuple[int, int, str, int]]] = {}
    for n, f in enumerate(figs):
        f["n"] = n + 1
        for side in ("left", "right"):
            fig = f[side]
            if fig is not None and fig.get("paragraph") is not None:
                spans.setdefault((side, fig["paragraph"]), []).append(
                    (fig["start"], fig["end"], f["status"], f["n"]))
    outlets = [o for o in (left.get("outlet"), right.get("outlet")) if o]
    lnames, rnames = names_only_in_one(ltexts, rtexts)
    only = ([n for n in lnames if not outlet_fragment(n, outlets)],
            [n for n in rnames if not outlet_fragment(n, outlets)])
    variants = spelled_differently(ltexts, rtexts, only, paired)
    spelled = ({v["left"] for v in variants}, {v["right"] for v in variants})
    names = ([n for n in only[0] if n not in spelled[0]],
             [n for n in only[1] if n not in spelled[1]])
    ratios: dict[tuple[int, int], float] = {}
    out_rows = []
    for r in rows:
        row = {"left": r.left, "right": r.right, "score": r.score, "moved": r.moved,
               "left_pieces": None, "right_pieces": None, "same_share": None}
        if r.left is not None and r.right is not None:
            lseg, rseg, ratio = diff_words(ltexts[r.left], rtexts[r.right])
            ratios[(r.left, r.right)] = ratio
            row["same_share"] = ratio
            row["left_pieces"] = pieces([(s.text, s.tag, s.start, s.end) for s in lseg],
                                        spans.get(("left", r.left), []))
            row["right_pieces"] = pieces([(s.text, s.tag, s.start, s.end) for s in rseg],
                                         spans.get(("right", r.right), []))
        for side, texts, pos in (("left", ltexts, r.left), ("right", rtexts, r.right)):
            if pos is not None and row[f"{side}_pieces"] is None:
                text = texts[pos]
                row[f"{side}_pieces"] = pieces([(text, "only", 0, len(text))],
                                               spans.get((side, pos), []))
        out_rows.append(row)
    summary = summarise(rows, ratios, [len(t.split()) for t in ltexts],
                        [len(t.split()) for t in rtexts], figs, names, variants)
    return {
        "left": {**left, "paragraphs": left_paras},
        "right": {**right, "paragraphs": right_paras},
        "summary": asdict(summary),
        "rows": out_rows,
        "figures": [{"n": f["n"], "status": f["status"], "basis": f["basis"],
                     "scope": f["scope"], "left": f["left"], "right": f["right"],
                     "left_sentence": f["left_sentence"],
                     "right_sentence": f["right_sentence"]} for f in figs],
    }


def raw_blocks(source: str, paras: list[dict], dropped: list[dict]) -> list[dict]:
    """The source text cut into what became each paragraph, what was dropped (and why),
    and what lies between (title lines, blank space): ``{"kind", "text", ...}``.

    >>> [b["kind"] for b in raw_blocks("T\\n\\nBody.\\n\\nAds", [{"start": 3, "end": 8,
    ...     "position": 0, "text": "Body."}], [{"start": 10, "end": 13, "reason": "ad",
    ...     "text": "Ads", "block": 2}])]
    ['other', 'paragraph', 'dropped']
    """
    marks = [(p["start"], p["end"], "paragraph", p) for p in paras if p.get("start") is not None]
    marks += [(d["start"], d["end"], "dropped", d) for d in dropped if d.get("start") is not None]
    marks.sort(key=lambda m: (m[0], m[1]))
    out: list[dict] = []
    pos = 0
    for start, end, kind, item in marks:
        if start > pos and source[pos:start].strip():
            out.append(_other(source, pos, start))
        start = max(start, pos)  # a dateline dropped as a prefix of a kept paragraph
        block = {"kind": kind, "text": source[start:end], "start": start, "end": end}
        if kind == "paragraph":
            block.update(position=item["position"], cleaned=item["text"], id=item.get("id"))
        else:
            block.update(reason=item["reason"], cleaned=None, block=item.get("block"))
        out.append(block)
        pos = max(pos, end)
    if source[pos:].strip():
        out.append(_other(source, pos, len(source)))
    return out


def _other(source: str, start: int, end: int) -> dict:
    """Source text between blocks (a title line, say), without its surrounding line
    ends, and where it lies."""
    text = source[start:end]
    start += len(text) - len(text.lstrip("\n"))
    end -= len(text) - len(text.rstrip("\n"))
    return {"kind": "other", "text": source[start:end], "start": start, "end": end}
