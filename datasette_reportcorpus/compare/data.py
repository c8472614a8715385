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


MAX_PARAGRAPHS = 150
"""Paragraphs of each report compared, at most: a comparison's cost grows with the
product of the two reports' sizes, so past this the rest of a report is left out, and
the comparison says so (news reports rarely run past 100 paragraphs)."""
MAX_CHARS = 60_000
"""Characters of each report compared, at most (about 10,000 words): the paragraphs
past this are left out, and a first paragraph longer than this is cut."""
MAX_FIGURES = 200
"""Figures of each report compared, at most; those past it are left out."""
MAX_DIFF_CHARS = 12_000
"""Two paired paragraphs longer than this together are shown without word differences
(a word diff's cost grows with the product of their lengths)."""


async def paragraphs(run: Run, article_id: int, limit: int | None = None) -> list[dict]:
    """The article's paragraphs in order, the first ``limit`` of them when given."""
    sql = ("select id, position, text, start, [end] from paragraphs"
           " where article_id = ? order by position")
    if limit is None:
        return await run(sql, [article_id])
    return await run(sql + " limit ?", [article_id, limit])


async def figures(run: Run, article_id: int, paragraphs: int | None = None,
                  limit: int | None = None) -> list[dict]:
    """The article's figures in reading order; with ``paragraphs``, only those of its
    first ``paragraphs`` paragraphs, and with ``limit``, at most that many."""
    sql = ("select f.id, f.surface, f.value, f.value_high, f.unit, f.kind, f.hedge, f.object,"
           " f.event, f.start, f.[end], p.position as paragraph from figures f"
           " join paragraphs p on p.id = f.paragraph_id where f.article_id = ?")
    params: list = [article_id]
    if paragraphs is not None:
        sql += " and p.position < ?"
        params.append(paragraphs)
    sql += " order by p.position, f.start"
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    rows = await run(sql, params)
    return [{k: r[k] for k in FIGURE_FIELDS} for r in rows]


def within_limits(paras: list[dict], figs: list[dict], total_paragraphs: int | None,
                  max_paragraphs: int = MAX_PARAGRAPHS, max_chars: int = MAX_CHARS,
                  max_figures: int = MAX_FIGURES) -> tuple[list[dict], list[dict], dict | None]:
    """What of one report is compared: its first paragraphs up to ``max_paragraphs`` and
    ``max_chars`` (a longer first paragraph cut at a space), the figures inside them up to
    ``max_figures``, and what was left out (None when nothing was):
    ``{"paragraphs_compared", "paragraphs", "paragraph_cut", "figures_left_out"}``.

    >>> ps = [{"position": i, "text": "Word " * 4} for i in range(5)]
    >>> kept, figs, out = within_limits(ps, [{"paragraph": 3, "end": 2}], 5, max_chars=45)
    >>> len(kept), figs, out
    (2, [], {'paragraphs_compared': 2, 'paragraphs': 5, 'paragraph_cut': False, 'figures_left_out': 1})
    >>> kept, _, out = within_limits([{"position": 0, "text": "aa bb cc"}], [], 1, max_chars=6)
    >>> kept[0]["text"], out["paragraph_cut"]
    ('aa bb', True)
    """
    total = max(total_paragraphs or 0, len(paras))
    kept: list[dict] = []
    chars = 0
    cut = False
    for p in paras[:max_paragraphs]:
        text = p["text"] or ""
        if chars + len(text) > max_chars:
            if not kept:
                end = text.rfind(" ", 0, max_chars + 1)
                kept.append({**p, "text": text[:end if end > 0 else max_chars].rstrip()})
                cut = True
            break
        kept.append(p)
        chars += len(text)
    lengths = [len(p["text"]) for p in kept]
    inside = [f for f in figs if f.get("paragraph") is not None
              and f["paragraph"] < len(kept) and (f.get("end") or 0) <= lengths[f["paragraph"]]]
    left_out_figures = len(figs) - min(len(inside), max_figures)
    inside = inside[:max_figures]
    if len(kept) == total and not cut and not left_out_figures:
        return kept, inside, None
    return kept, inside, {"paragraphs_compared": len(kept), "paragraphs": total,
                          "paragraph_cut": cut, "figures_left_out": left_out_figures}


def limits_message(limited: dict, names: tuple[str, str] = ("the left report",
                                                              "the right report")) -> str:
    """One sentence saying what of each report a comparison left out ("" for nothing).

    >>> limits_message({"left": {"paragraphs_compared": 150, "paragraphs": 2000,
    ...     "paragraph_cut": False, "figures_left_out": 0}, "right": None})
    'Too long to compare whole: only the first 150 of 2000 paragraphs of the left report were compared (the rest, and their figures, are left out).'
    """
    parts = []
    for side, name in zip(("left", "right"), names):
        info = limited.get(side)
        if not info:
            continue
        if info["paragraph_cut"]:
            parts.append(f"only the start of the first paragraph of {name} was compared"
                         f" (its other {info['paragraphs'] - 1} paragraphs are left out)")
        elif info["paragraphs_compared"] < info["paragraphs"]:
            parts.append(f"only the first {info['paragraphs_compared']} of"
                         f" {info['paragraphs']} paragraphs of {name} were compared"
                         " (the rest, and their figures, are left out)")
        if info["figures_left_out"] and not info["paragraph_cut"] and \
                info["paragraphs_compared"] == info["paragraphs"]:
            parts.append(f"{info['figures_left_out']} figures of {name} were left out")
    return "Too long to compare whole: " + "; ".join(parts) + "." if parts else ""


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
        if r.left is not None and r.right is not None and (
                len(ltexts[r.left]) + len(rtexts[r.right]) > MAX_DIFF_CHARS):
            # Too long to diff word by word: shown whole, tagged for what it is.
            row["word_diff"] = False
            ratios[(r.left, r.right)] = r.score
            for side, texts, pos in (("left", ltexts, r.left), ("right", rtexts, r.right)):
                text = texts[pos]
                row[f"{side}_pieces"] = pieces([(text, "long", 0, len(text))],
                                               spans.get((side, pos), []))
        elif r.left is not None and r.right is not None:
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
