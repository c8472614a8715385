"""Stories: groups of reports of one event, built from the ``related`` suggestions.

Two reports join one story when each is among the other's top suggestions with a
``same-story`` or ``copy`` link nearly as strong as their best one. Groups are the connected components of those links;
a component too large to be one story (a chain of loosely linked reports) is split by
raising the score needed, so one roundup piece cannot glue two stories together.

Each story gets a readable label: the terms its reports share that weigh most in their
signatures, words of their headlines counting extra, and a two-word name shown whole
as written ("Tarnholme · dam · Aske", "Skarrow Deep · Vantrell · roof"). Story ids stay
stable across loads where the membership mostly stays the same, so links and saved
facets keep working.

Example::

    >>> groups([(1, 2, 0.5), (2, 3, 0.4), (4, 5, 0.3)], {1, 2, 3, 4, 5, 6})
    [[1, 2, 3], [4, 5]]
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise

from ..store import chunks, marks
from .terms import NAME_RUN, TOKEN, index_term, term_counts

STORY_KINDS = ("same-story", "copy")
LINK_RANK = 5
"""Only a pair within each other's top suggestions is a link."""
RELATIVE_SCORE = 0.7
"""...and score at least this share of the weaker side's best suggestion."""
MAX_STORY = 60
"""A group larger than this is split by raising the link score."""
LABEL_TERMS = 3
LABEL_CANDIDATES = 6
"""Terms looked up in the reports' text (how they are written) before the label is chosen."""
LABEL_NAME_BOOST = 1.6
SAMPLE_REPORTS = 2
"""Reports of a story read for how its label terms are written."""
HEADLINE_BOOST = 1.0
"""A label term used by every report's headline weighs this much more (see
:func:`label_terms`)."""
WEAK_CAPITAL = 0.1
"""How much a capitalised sighting counts towards a label word's spelling where any word
would be capitalised (a headline, the start of a sentence): "Dam wall gives way" says
nothing about whether "dam" is a name."""
# Capitalised words after a sentence's end, an opening quote or bracket, or a dash (a
# text's own first word is _OPENING); the pattern starts with one character class, so the
# search skips ahead quickly.
_SENTENCE_START = re.compile(r"[.!?:;\"\u201c\u2018(\-\u2013\u2014]\s*([A-Z][\w'\u2019\-]*)")
_OPENING = re.compile(r"[A-Z][\w'\u2019\-]*")


def groups(links: Iterable[tuple[int, int, float]], ids: set[int],
           max_size: int = MAX_STORY) -> list[list[int]]:
    """Connected components (of two or more articles) over scored links, largest split."""
    links = [(a, b, s) for a, b, s in links if a in ids and b in ids and a != b]
    out = []
    for comp in components((a, b) for a, b, _ in links):
        out.extend(_split(comp, links, max_size))
    return sorted((sorted(c) for c in out if len(c) > 1), key=lambda c: c[0])


def components(pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    """The connected components of a graph given as pairs of linked ids.

    >>> sorted(map(sorted, components([(1, 2), (3, 4), (2, 5)])))
    [[1, 2, 5], [3, 4]]
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    comps: dict[int, set[int]] = defaultdict(set)
    for x in parent:
        comps[find(x)].add(x)
    return list(comps.values())


def _split(comp: set[int], links: list[tuple[int, int, float]],
           max_size: int) -> list[set[int]]:
    if len(comp) <= max_size:
        return [comp]
    inner = sorted((s, a, b) for a, b, s in links if a in comp and b in comp)
    # Drop the weakest quarter of links and look again.
    keep = [(a, b, s) for s, a, b in inner[len(inner) // 4 + 1:]]
    out = []
    for sub in components((a, b) for a, b, _ in keep):
        out.extend(_split(sub, keep, max_size))
    return out


def label(signatures: list[dict[str, float]], display: dict[str, str] | None = None,
          n_terms: int = LABEL_TERMS, titles: Iterable[str | None] = ()) -> str:
    """The terms most of a story's reports share, heaviest first, joined by " · ".

    >>> label([{"tarnholme": 0.5, "dam": 0.3, "tea": 0.4}, {"tarnholme": 0.6, "dam": 0.2}])
    'Tarnholme · Dam'
    """
    return _shown(label_terms(signatures, n_terms, titles), display or {})


def _shown(terms: list[str], display: dict[str, str]) -> str:
    return " · ".join(display.get(t) or " ".join(w[:1].upper() + w[1:] for w in t.split())
                      for t in terms)


def label_terms(signatures: list[dict[str, float]], n_terms: int = LABEL_TERMS,
                titles: Iterable[str | None] = (),
                names: set[str] | None = None) -> list[str]:
    """The (stemmed) terms of :func:`label`.

    A term's weight is the sum of its weights in the reports' signatures, raised by up
    to :data:`HEADLINE_BOOST` by the share of ``titles`` (the reports' own headlines;
    ``None`` for a title derived from the text) that use it: a story is what its
    headlines say it is. Terms in ``names`` (those the reports write capitalised) weigh
    :data:`LABEL_NAME_BOOST` times more: a story is known by its people and places. A
    two-word name ("skarrow deep") stands in for its words.

    >>> label_terms([{"skarrow": 0.3, "skarrow deep": 0.2, "deep": 0.2, "pit": 0.25},
    ...              {"skarrow": 0.3, "skarrow deep": 0.3, "deep": 0.3, "pit": 0.25,
    ...               "roof": 0.3}],
    ...             titles=["Roof fall at Skarrow Deep", "Skarrow Deep roof collapse"])
    ['skarrow deep', 'roof', 'pit']
    """

    weight: Counter = Counter()
    seen: Counter = Counter()
    for sig in signatures:
        for t, w in sig.items():
            if not t.startswith("#"):
                weight[t] += w
                seen[t] += 1
    used: Counter = Counter()
    for title in titles:
        if title:
            used.update(t for t in term_counts(title, []) if t in weight)
    for t, k in used.items():
        weight[t] *= 1 + HEADLINE_BOOST * k / len(signatures)
        seen[t] = max(seen[t], k)
    for t in names or ():
        if t in weight:
            weight[t] *= LABEL_NAME_BOOST
    need = max(2, (len(signatures) + 1) // 2)
    ranked = weight.most_common()
    shared = [t for t, _ in ranked if seen[t] >= need]
    if len(shared) < n_terms:
        # A long-running story (a tournament, a trial) shares few terms across half its
        # reports: fill the label with terms a quarter of them use.
        wider = max(2, need // 2)
        shared += [t for t, _ in ranked if wider <= seen[t] < need]
    return _merge_names(shared or [t for t, _ in ranked], n_terms)


def _merge_names(ranked: list[str], n_terms: int) -> list[str]:
    """The first ``n_terms`` of ``ranked``, a two-word name taking the place of the
    words it is made of.

    >>> _merge_names(["sri", "tsunami", "sri lanka", "lanka", "lanka bank", "aid"], 3)
    ['sri lanka', 'tsunami', 'aid']
    """
    chosen: list[str] = []
    for t in ranked:
        if len(chosen) >= n_terms:
            break
        words = t.split()
        if any(w in c.split() for c in chosen if " " in c for w in words):
            continue  # a word of a name already shown
        at = [i for i, c in enumerate(chosen) if c in words]
        if at:
            chosen = [t if i == at[0] else c for i, c in enumerate(chosen)
                      if i == at[0] or c not in words]
        else:
            chosen.append(t)
    return chosen


def _display_forms(conn, story_ids: dict[int, list[int]],
                   terms: dict[int, list[str]]) -> dict[int, dict[str, str]]:
    """Signature terms are stemmed and lower case; show each story's ``terms`` (words,
    and two-word names) as its own reports write them: as their headlines and opening
    paragraphs do, or failing that (or seen there only in a headline or opening a
    sentence) anywhere in the first reports' text. Returns {story: {term: form}}."""
    story_of = {a: sid for sid, members in story_ids.items()
                for a in members[:SAMPLE_REPORTS]}
    wanted = {sid: set(ts) for sid, ts in terms.items()}
    forms: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for chunk in chunks(list(story_of), 250):  # two lists of ids in one query
        _count_forms(conn.execute(
            f"select article_id, text, 0 from paragraphs where article_id in ({marks(chunk)})"
            " and position < 3 union all select id, title, 1 from articles"
            f" where id in ({marks(chunk)}) and not title_derived", chunk + chunk),
            story_of, wanted, forms)
    # Terms seen only where any word is capitalised are looked for in the whole text too.
    missing = {sid: {t for t in ts if max(forms[sid].get(t, {}).values(), default=0) < 1}
               for sid, ts in wanted.items()}
    sample = [a for a, sid in story_of.items() if missing[sid]]
    for chunk in chunks(sample):
        _count_forms(conn.execute(
            f"select article_id, text, 0 from paragraphs where article_id in ({marks(chunk)})",
            chunk), story_of, missing, forms)
    return {sid: {t: c.most_common(1)[0][0] for t, c in found.items()}
            for sid, found in forms.items()}


def _count_forms(rows: Iterable[tuple[int, str, int]], story_of: dict[int, int],
                 terms: dict[int, set[str]], forms: dict[int, dict[str, Counter]]) -> None:
    """Count how ``rows`` (article id, text, whether it is a headline) write the ``terms``
    of their article's story (see :func:`_display_forms`). A capitalised word in a
    headline or opening a sentence counts :data:`WEAK_CAPITAL`, so it decides the
    spelling only where nothing else does.

    >>> forms = defaultdict(lambda: defaultdict(Counter))
    >>> _count_forms([(1, "Dam wall gives way", 1), (1, "Dam bursts. The dam was old.", 0),
    ...               (2, '"Dam safety," said Greyside Dam staff.', 0)],
    ...              {1: 7, 2: 8}, {7: {"dam", "wall"}, 8: {"dam"}}, forms)
    >>> dict(forms[7]["dam"]), forms[7]["wall"].most_common(1)[0][0], dict(forms[8]["dam"])
    ({'Dam': 0.2, 'dam': 1.0}, 'wall', {'Dam': 1.1})
    """
    for aid, text, headline in rows:
        sid = story_of[aid]
        wanted, found = terms[sid], forms[sid]
        if not wanted:
            continue
        weak = None
        for surface in TOKEN.findall(text):
            term = index_term(surface)[0]
            if term in wanted:
                weight = 1.0
                if surface[:1].isupper():
                    if weak is None:  # worked out only for texts that need it
                        weak = Counter(_SENTENCE_START.findall(text))
                        opening = _OPENING.match(text)
                        if opening:
                            weak[opening[0]] += 1
                    if headline or weak[surface] > 0:
                        weak[surface] -= 1
                        weight = WEAK_CAPITAL
                found[term][_bare(surface)] += weight
        if not any(" " in t for t in wanted):
            continue
        for run in NAME_RUN.findall(text):
            for a, b in pairwise(run.split()):
                pair = f"{index_term(a)[0]} {index_term(b)[0]}"
                if pair in wanted:
                    found[pair][f"{_bare(a)} {_bare(b)}"] += 1


def _bare(surface: str) -> str:
    """A word without its possessive ending."""
    return surface[:-2] if surface.endswith(("'s", "\u2019s")) else surface


def refresh_stories(db) -> int:
    """Regroup ``articles.story_id`` and the ``stories`` table from ``related``; returns
    the number of stories. Ids of stories whose membership mostly survives are kept."""
    conn = db.conn
    ids = {r[0] for r in conn.execute("select id from articles")}
    links = conn.execute(
        f"select article_id, other_id, score from related where kind in ({marks(STORY_KINDS)})"
        " and rank <= ?", [*STORY_KINDS, LINK_RANK]).fetchall()
    # Both reports must rank each other highly: a roundup that mentions many stories
    # ranks them, but they do not rank it.
    pairs = {(a, b) for a, b, _ in links}
    best = dict(conn.execute("select article_id, score from related where rank = 1"))
    # A link also has to be nearly as strong as the weaker side's best suggestion: in a
    # big corpus, a report's fifth suggestion is often another story in the same town.
    comps = groups([(a, b, s) for a, b, s in links if (b, a) in pairs
                    and s >= RELATIVE_SCORE * min(best.get(a, 0), best.get(b, 0))], ids)
    old = dict(conn.execute("select id, story_id from articles where story_id is not null"))
    taken: set[int] = set()
    next_id = (conn.execute("select coalesce(max(id), 0) from stories").fetchone()[0]) + 1
    assigned: dict[int, list[int]] = {}
    for comp in sorted(comps, key=len, reverse=True):
        votes = Counter(old[a] for a in comp if a in old)
        sid = next((s for s, _ in votes.most_common() if s not in taken), None)
        if sid is None:
            sid, next_id = next_id, next_id + 1
        taken.add(sid)
        assigned[sid] = comp
    # A story whose reports are the ones it had, none of them with a new signature, keeps
    # its label: an incremental load relabels only the stories it touched.
    resigned = signed_again(conn)
    members: dict[int, set[int]] = defaultdict(set)
    for a, sid in old.items():
        members[sid].add(a)
    labels = dict(conn.execute("select id, label from stories"))
    kept = {sid: labels[sid] for sid, comp in assigned.items()
            if resigned is not None and labels.get(sid) and members.get(sid) == set(comp)
            and not resigned.intersection(comp)}
    fresh = {sid: comp for sid, comp in assigned.items() if sid not in kept}
    sigs: dict[int, dict[str, float]] = {}
    titles: dict[int, str] = {}
    for chunk in chunks(a for comp in fresh.values() for a in comp):
        sigs.update((aid, json.loads(t)) for aid, t in conn.execute(
            f"select id, terms from related_signatures where id in ({marks(chunk)})", chunk))
        titles.update(conn.execute(f"select id, title from articles where id in ({marks(chunk)})"
                                   " and not title_derived", chunk))
    # The label's candidate terms, then the label itself, names (as the reports write
    # them) weighing extra.
    wide = {sid: label_terms([sigs.get(a, {}) for a in comp],
                             titles=[titles.get(a) for a in comp], n_terms=LABEL_CANDIDATES)
            for sid, comp in fresh.items()}
    display = _display_forms(conn, fresh, wide)
    terms = {sid: label_terms([sigs.get(a, {}) for a in comp],
                              titles=[titles.get(a) for a in comp],
                              names={t for t, form in display.get(sid, {}).items()
                                     if form[:1].isupper()})
             for sid, comp in fresh.items()}
    kept.update((sid, _shown(terms[sid], display.get(sid, {}))) for sid in fresh)
    new_story = {a: sid for sid, comp in assigned.items() for a in comp}
    # Stories first, then the articles pointing at them, then the stories left empty.
    conn.executemany(
        "insert into stories (id, label, article_count) values (?, ?, ?)"
        " on conflict(id) do update set label = excluded.label,"
        " article_count = excluded.article_count",
        [(sid, kept[sid], len(assigned[sid])) for sid in assigned])
    changes = [(new_story.get(a), a) for a in ids if new_story.get(a) != old.get(a)]
    conn.executemany("update articles set story_id = ? where id = ?", changes)
    conn.execute("delete from stories where id not in"
                 " (select distinct story_id from articles where story_id is not null)")
    conn.execute("delete from reportcorpus_meta where key = ?", [SIGNED_AGAIN])
    return len(assigned)


SIGNED_AGAIN = "related_signed_again"
"""``reportcorpus_meta`` key: the articles whose signatures the related pass recomputed
since stories were last grouped (ids, comma-separated; ``*`` for all)."""


def note_signed_again(conn, ids: Iterable[int] | None) -> None:
    """Record that the signatures of ``ids`` (None: of every article) were recomputed, so
    that :func:`refresh_stories` relabels the stories holding them."""
    row = conn.execute("select value from reportcorpus_meta where key = ?",
                       [SIGNED_AGAIN]).fetchone()
    if ids is None or (row and row[0] == "*"):
        value = "*"
    else:
        earlier = {int(x) for x in row[0].split(",") if x} if row else set()
        value = ",".join(map(str, sorted(earlier | set(ids))))
    conn.execute("insert into reportcorpus_meta (key, value) values (?, ?)"
                 " on conflict(key) do update set value = excluded.value", [SIGNED_AGAIN, value])


def signed_again(conn) -> set[int] | None:
    """The ids :func:`note_signed_again` recorded; None (relabel every story) for all,
    or when nothing was recorded (stories grouped outside the link pass)."""
    row = conn.execute("select value from reportcorpus_meta where key = ?",
                       [SIGNED_AGAIN]).fetchone()
    if row is None or row[0] == "*":
        return None
    return {int(x) for x in row[0].split(",") if x}
