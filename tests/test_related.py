"""Related reports and stories: pure ranking, the demo and seed corpora, incremental loads."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from datasette_reportcorpus.loaders.related.rank import (
    build_postings,
    document_frequencies,
    rank_related,
    signature,
    story_threshold,
    term_counts,
)
from datasette_reportcorpus.loaders.related.stories import groups, label

DEMO_GOLD = Path(__file__).resolve().parent.parent / "datasette_reportcorpus" / "demo" / "gold.json"


def _gold_stories() -> dict[str, list[str]]:
    return {k: v["paths"] for k, v in json.loads(DEMO_GOLD.read_text())["stories"].items()}


def _related(db_path: Path) -> tuple[dict[str, int], dict[int, list[tuple[int, str]]]]:
    with sqlite3.connect(db_path) as conn:
        ids = dict(conn.execute("select path, id from articles"))
        out: dict[int, list[tuple[int, str]]] = {}
        for a, o, kind in conn.execute(
                "select article_id, other_id, kind from related order by article_id, rank"):
            out.setdefault(a, []).append((o, kind))
    return ids, out


# --- pure ---------------------------------------------------------------------------------

def test_rare_shared_names_outrank_shared_vocabulary() -> None:
    docs = {
        1: term_counts(None, ["Dockers at Saltry walked out over pay; Gethin Orme led them."]),
        2: term_counts(None, ["Gethin Orme said the Saltry strike over pay would go on."]),
        3: term_counts(None, ["Bus drivers walked out over pay in Wenlow."]),
        4: term_counts(None, ["Nurses walked out over pay in Coldmouth."]),
    }
    df = document_frequencies(docs.values())
    sigs = {i: signature(c, df, len(docs)) for i, c in docs.items()}
    ranked = rank_related(sigs, [1, 2], build_postings(sigs))
    assert ranked[1][0][0] == 2 and ranked[2][0][0] == 1


def test_figures_are_terms_and_publication_dates_matter() -> None:
    counts = term_counts(None, ["Police said 1,400 were evacuated."], [("count", 1400.0)])
    assert "#count:1400" in counts
    docs = {1: {"tarnholme": 1.0, "dam": 1.0}, 2: {"tarnholme": 1.0, "dam": 1.0},
            3: {"tarnholme": 1.0, "dam": 1.0}, 4: {"other": 1.0}}
    df = document_frequencies(docs.values())
    sigs = {i: signature(c, df, 4) for i, c in docs.items()}
    ranked = rank_related(sigs, [1], build_postings(sigs), days={1: 100, 2: 400, 3: 101})
    assert [o for o, _ in ranked[1]] == [3, 2]


def test_story_threshold_scales_with_corpus_size() -> None:
    assert story_threshold(10) < story_threshold(1000) < story_threshold(10**6) == 0.18


def test_groups_split_oversized_chains() -> None:
    chain = [(i, i + 1, 0.5 if i % 10 else 0.1) for i in range(1, 40)]
    found = groups(chain, set(range(1, 41)), max_size=12)
    assert all(len(g) <= 12 for g in found)
    assert sum(len(g) for g in found) >= 30


def test_label_prefers_shared_terms() -> None:
    sigs = [{"saltry": 0.5, "strike": 0.4, "tea": 0.6, "#count:31": 0.9},
            {"saltry": 0.4, "strike": 0.5, "dock": 0.3}]
    assert label(sigs, {"saltry": "Saltry"}) == "Saltry · Strike"


# --- the demo and seed corpora -------------------------------------------------------------

def test_demo_story_reports_suggest_each_other_first(demo_db: Path) -> None:
    ids, related = _related(demo_db)
    for name, paths in _gold_stories().items():
        members = {ids[p] for p in paths}
        for a in members:
            top = {o for o, _ in related.get(a, [])[:len(members) - 1]}
            assert top == members - {a}, (name, a, related.get(a))


def test_demo_stories_group_and_distractors_stay_alone(demo_db: Path) -> None:
    gold = _gold_stories()
    with sqlite3.connect(demo_db) as conn:
        story_of = dict(conn.execute("select path, story_id from articles"))
        stories = {sid: (label, n) for sid, label, n in
                   conn.execute("select id, label, article_count from stories")}
    grouped = {p for paths in gold.values() for p in paths}
    for paths in gold.values():
        sids = {story_of[p] for p in paths}
        assert len(sids) == 1 and None not in sids, paths
        sid = sids.pop()
        assert stories[sid][1] == len(paths)
        assert stories[sid][0]  # a readable label
    for path, sid in story_of.items():
        if path not in grouped:
            assert sid is None, path
    labels = [label for label, _ in stories.values()]
    # Headline words lead, a two-word name shows once and as written.
    assert {lab.split(" · ")[0] for lab in labels} >= {"Saltry", "Tarnholme", "Skarrow Deep"}
    for lab in labels:
        words = [w.lower() for term in lab.split(" · ") for w in term.split()]
        assert len(words) == len(set(words)), lab
    # A common noun is shown lower case although a headline opens with it ("Dam wall gives
    # way"); a word the reports capitalise mid-sentence ("Port of Saltry") stays a name.
    terms = {t for lab in labels for t in lab.split(" · ")}
    assert "dam" in terms and "Dam" not in terms, labels
    assert "Port" in terms, labels


def test_demo_near_copy_is_marked(demo_db: Path) -> None:
    ids, related = _related(demo_db)
    wire, herald = ids["014_b06e3d9a5c2f1748.txt"], ids["015_7a2c9e41d0f3b685.txt"]
    assert (herald, "copy") in related[wire]
    assert (wire, "copy") in related[herald]
    kinds = {k for items in related.values() for _, k in items}
    assert kinds <= {"copy", "same-story", "similar"}


def test_seeds_000_and_004_are_related(seeds_db: Path) -> None:
    ids, related = _related(seeds_db)
    a = next(i for p, i in ids.items() if p.startswith("000_"))
    b = next(i for p, i in ids.items() if p.startswith("004_"))
    assert related[a][0][0] == b and related[b][0][0] == a


# --- incremental loads ---------------------------------------------------------------------

def _snapshot(db_path: Path) -> tuple[dict, dict]:
    with sqlite3.connect(db_path) as conn:
        path_of = dict(conn.execute("select id, path from articles"))
        related = {}
        for a, o in conn.execute("select article_id, other_id from related where rank = 1"):
            related[path_of[a]] = path_of[o]
        stories: dict[int, set[str]] = {}
        for p, s in conn.execute("select path, story_id from articles where story_id is not null"):
            stories.setdefault(s, set()).add(p)
    return related, {frozenset(v) for v in stories.values()}


def test_loading_more_files_updates_related_and_stories(demo_dir: Path, demo_db: Path,
                                                         tmp_path: Path) -> None:
    from datasette_reportcorpus.loaders.load import load

    first = tmp_path / "first"
    second = tmp_path / "second"
    for path in demo_dir.rglob("*.txt"):
        rel = path.relative_to(demo_dir)
        # Hold back one report of two stories: few enough to update incrementally.
        later = rel.as_posix() in {"028_0e9a4c7d3b1f5826.txt",
                                   "kestrel-gazette/saltry-docks-day-three.txt"}
        dest = (second if later else first) / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    db = tmp_path / "corpus.db"
    manifest = demo_dir / "manifest.csv"
    assert not load(str(db), [str(first)], manifest=str(manifest)).errors
    with sqlite3.connect(db) as conn:
        skarrow = conn.execute("select story_id from articles where path like '027_%'").fetchone()
        assert skarrow == (None,)  # its other report is not loaded yet
        full_n = conn.execute(
            "select value from reportcorpus_meta where key = 'related_full_n'").fetchone()
    # The second load adds 2 articles to 11: below the growth that forces a full rebuild.
    assert not load(str(db), [str(second)], manifest=str(manifest)).errors
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "select value from reportcorpus_meta where key = 'related_full_n'").fetchone() \
            == full_n
        n_sigs = conn.execute("select count(*) from related_signatures").fetchone()[0]
        assert n_sigs == conn.execute("select count(*) from articles").fetchone()[0]
    related, stories = _snapshot(db)
    _, ref_stories = _snapshot(demo_db)
    assert stories == ref_stories
    gold = _gold_stories()
    for paths in gold.values():
        for p in paths:
            assert related[p] in paths, p
    # Loading the same files again changes nothing and recomputes nothing.
    before = _snapshot(db)
    summary = load(str(db), [str(first), str(second)], manifest=str(manifest))
    assert summary.unchanged == 13
    assert _snapshot(db) == before


@pytest.mark.parametrize("n", [0])
def test_refresh_on_empty_corpus(tmp_path: Path, n: int) -> None:
    from datasette_reportcorpus.loaders.related.rank import refresh_related
    from datasette_reportcorpus.loaders.store import open_db

    db = open_db(str(tmp_path / "empty.db"))
    assert refresh_related(db).lists == n


def test_forked_passes_match_the_serial_ones(demo_dir: Path, demo_db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures, ranking and near-copy checks split over forked processes (as in a large
    load) give exactly what one process gives."""
    import multiprocessing as mp

    from datasette_reportcorpus.loaders.related import rank as related
    from datasette_reportcorpus.loaders.load import load

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("this platform cannot fork: the passes always run in one process")
    monkeypatch.setattr(related, "PARALLEL_MIN", 1)
    monkeypatch.setattr(related, "CHUNK", 3)
    db = tmp_path / "forked.db"
    assert not load(str(db), [str(demo_dir)], manifest=str(demo_dir / "manifest.csv")).errors

    def rows(path: Path) -> tuple:
        with sqlite3.connect(path) as conn:
            return tuple(sorted(conn.execute(q).fetchall()) for q in (
                ("select a.path, o.path, r.score, r.rank, r.kind from related r"
                 " join articles a on a.id = r.article_id join articles o on o.id = r.other_id"),
                "select a.path, s.terms from related_signatures s join articles a on a.id = s.id",
                "select a.path, s.label from articles a join stories s on s.id = a.story_id"))

    assert rows(db) == rows(demo_db)


def _pid_chunk(part: list[int], shared: dict) -> tuple[int, int]:
    return os.getpid(), sum(part) + shared["add"]


def test_map_chunks_forks_only_for_large_inputs() -> None:
    import multiprocessing as mp

    from datasette_reportcorpus.loaders.related.rank import map_chunks

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("this platform cannot fork: the passes always run in one process")
    forked = map_chunks(_pid_chunk, [1, 2, 3, 4, 5], {"add": 10}, workers=2, size=2,
                        parallel_min=5)
    assert [total for _, total in forked] == [13, 17, 15]  # in order
    assert os.getpid() not in {pid for pid, _ in forked}
    here = map_chunks(_pid_chunk, [1, 2, 3, 4, 5], {"add": 10}, workers=2, size=2,
                      parallel_min=6)
    assert here == [(os.getpid(), 13), (os.getpid(), 17), (os.getpid(), 15)]


# --- ranking against hubs, near-copies first ------------------------------------------------

# Our own fictional reports: three outlets' reports of one council vote, a long timeline
# of the whole library saga (close to every report of it), two earlier episodes of the
# saga and unrelated distractors.
SAGA = {
    "a-vote.txt": """Fenwick councillors vote to close Brackley library

Fenwick council voted by 31 to 12 on Tuesday night to close Brackley library, ending a year of argument over the branch on Orrel Street.

Council leader Idris Calloway said the vote saved 410,000 pounds a year and that a mobile van would visit Brackley twice a week.

Campaigners in the public gallery booed as the result was read out. Ruth Ambler of the Friends of Brackley Library said they would seek a judicial review.

The building will shut its doors on 30 June, the council said.
""",
    "b-vote.txt": """Brackley library to shut after council vote

Brackley library will close on 30 June after Fenwick councillors backed the plan 31 votes to 12 at a tense meeting on Tuesday.

Idris Calloway, the council leader, told the chamber the closure would save 410,000 pounds a year, and promised a mobile library van twice weekly.

Ruth Ambler, who chairs the Friends of Brackley Library, said the group had already spoken to lawyers about a judicial review of the vote.

There were jeers from the public gallery when the count was announced.
""",
    "c-vote.txt": """Brackley library closure approved

Councillors in Fenwick have agreed to close Brackley library on Orrel Street. The vote on Tuesday was 31 to 12.

Campaigners from the Friends of Brackley Library said the fight was not over.
""",
    "h-saga.txt": """The long fight for Brackley library: a timeline

For more than a year Brackley library, the Victorian branch on Orrel Street, has been at the centre of Fenwick's fiercest local argument.

In March Fenwick council first proposed closing Brackley library to save money. Council leader Idris Calloway said the branch cost too much to run.

In April the Friends of Brackley Library, led by Ruth Ambler, launched a petition. It gathered 6,200 signatures within a month.

In June hundreds marched from Orrel Street to the town hall. Ruth Ambler told the crowd the library was the heart of Brackley.

In September the council delayed its decision after a consultation drew 2,300 responses, most against closure.

In January the petition was debated at the town hall. Idris Calloway said the council had no choice.

On Tuesday Fenwick councillors voted 31 to 12 to close the library on 30 June. The Friends of Brackley Library said they would seek a judicial review.

The council says a mobile van will serve Brackley. Campaigners say it is no substitute for the building on Orrel Street.
""",
    "p-petition.txt": """Petition to save Brackley library passes 6,000 names

A petition against the closure of Brackley library has gathered 6,200 signatures in a month, campaigners said.

Ruth Ambler of the Friends of Brackley Library said the branch on Orrel Street was used by schoolchildren and older residents alike.

Fenwick council leader Idris Calloway said the council would read every signature but had to close a gap in its budget.
""",
    "q-march.txt": """Hundreds march to save Brackley library

Hundreds of people marched from Orrel Street to Fenwick town hall on Saturday in protest at plans to close Brackley library.

Ruth Ambler, of the Friends of Brackley Library, told the crowd the library was the heart of Brackley and would not go quietly.

Fenwick council said no decision had been taken. Council leader Idris Calloway was not at the town hall.
""",
    "x1.txt": """Harbour crane contract awarded

A contract to replace the two cranes at Saltmere harbour has gone to a firm from Lisk, the port authority said.

The new cranes will lift containers twice as fast, harbour master Oona Vell said, and should be working by the spring.
""",
    "x2.txt": """Cycle lane plan for Dunmere Road

Plans for a protected cycle lane along Dunmere Road in Corrow have been published for consultation.

Highways officer Bastian Creel said the lane would cut journey times for cyclists and make the junction at Mill Cross safer.
""",
    "x3.txt": """Bakery wins regional prize

A family bakery in Tolsey has won the regional prize for its rye loaf, beating 140 entries.

Owner Greta Halloway said the recipe came from her grandmother and the oven was older than the shop.
""",
    "x4.txt": """School roof repairs finished early

Repairs to the roof of Kelder Primary School were finished a week early, allowing pupils back after the half-term break.

Head teacher Amos Wren thanked the builders and parents for their patience during the work.
""",
}


def _load_saga(tmp_path: Path) -> Path:
    from datasette_reportcorpus.loaders.load import load

    folder = tmp_path / "saga"
    folder.mkdir()
    for name, text in SAGA.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "saga.db"
    assert not load(str(db), [str(folder)]).errors
    return db


def test_reports_of_one_event_outrank_a_piece_close_to_every_report(tmp_path: Path) -> None:
    """The timeline shares more with the first vote report than the short third report
    does (a higher plain score), but it is as close to every report of the saga: the
    other reports of the vote come first, and the stored scores stay the plain ones."""
    ids, related = _related(_load_saga(tmp_path))
    votes = {ids["a-vote.txt"], ids["b-vote.txt"], ids["c-vote.txt"]}
    for a in votes:
        assert {o for o, _ in related[a][:2]} == votes - {a}, (a, related[a])
    with sqlite3.connect(tmp_path / "saga.db") as conn:
        score = {o: s for o, s in conn.execute(
            "select other_id, score from related where article_id = ?", [ids["a-vote.txt"]])}
    assert score[ids["h-saga.txt"]] > score[ids["c-vote.txt"]]


def test_rerank_and_hubness() -> None:
    from datasette_reportcorpus.loaders.related.rank import hubness, rerank

    assert hubness([0.3]) == 0.1  # missing scores count 0
    # 2 scores higher, but is as close to its own best matches; ties go to the lower id.
    assert rerank({1: [(2, 0.30), (3, 0.28), (4, 0.1)]}, {2: 0.40, 3: 0.20}, limit=2) \
        == {1: [(3, 0.28), (2, 0.30)]}
    assert rerank({1: [(5, 0.2), (4, 0.2)]}, {}) == {1: [(4, 0.2), (5, 0.2)]}


def test_a_near_copy_is_suggested_before_a_higher_scoring_report(tmp_path: Path) -> None:
    """The copy check runs on the lists written; a near-copy moves to the top."""
    from datasette_reportcorpus.loaders.related.rank import _write_related

    db = _load_saga(tmp_path)
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute("select path, id from articles"))
        copy = tmp_path / "saga" / "a-copy.txt"
        copy.write_text(SAGA["a-vote.txt"].replace("Tuesday night", "Tuesday evening"),
                        encoding="utf-8")
    from datasette_reportcorpus.loaders.load import load

    assert not load(str(db), [str(tmp_path / "saga")]).errors
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute("select path, id from articles"))
        a, b, dup = ids["a-vote.txt"], ids["b-vote.txt"], ids["a-copy.txt"]
        _write_related(conn, {a: [(b, 0.9), (dup, 0.5)]}, threshold=0.1)
        rows = conn.execute("select other_id, rank, kind from related where article_id = ?"
                            " order by rank", [a]).fetchall()
    assert rows == [(dup, 1, "copy"), (b, 2, "same-story")]


# Our own fictional short report of the petition by a second outlet.
PETITION_BRIEF = """Thousands sign library petition

More than 6,000 people have signed a petition to keep Brackley library open, the Friends of Brackley Library said.
"""


@pytest.mark.parametrize("factor", [0.5, 1.0])
def test_other_outlets_come_before_the_same_outlets_other_episodes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, factor: float) -> None:
    """The Gazette's petition report is closest by plain score to the Gazette's own march
    report (an earlier turn of the saga); the other outlets' reports come first, unless
    the same-outlet factor is turned off (1.0), when the plain order holds."""
    from datasette_reportcorpus.loaders.related import rank as related
    from datasette_reportcorpus.loaders.load import load

    monkeypatch.setattr(related, "SAME_OUTLET", factor)
    folder = tmp_path / "saga"
    folder.mkdir()
    names = ["a-vote.txt", "p-petition.txt", "q-march.txt", "x1.txt", "x2.txt", "x3.txt",
             "x4.txt"]
    for name in names:
        (folder / name).write_text(SAGA[name], encoding="utf-8")
    (folder / "d-petition.txt").write_text(PETITION_BRIEF, encoding="utf-8")
    outlet = {"p-petition.txt": "Fenwick Gazette", "q-march.txt": "Fenwick Gazette",
              "d-petition.txt": "Corrow Wire"}
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,outlet\n" + "".join(
        f"{n},{outlet.get(n, 'Tolsey Post')}\n" for n in [*names, "d-petition.txt"]),
        encoding="utf-8")
    db = tmp_path / "saga.db"
    assert not load(str(db), [str(folder)], manifest=str(manifest)).errors
    ids, related_lists = _related(db)
    name = {i: n for n, i in ids.items()}
    order = [name[o] for o, _ in related_lists[ids["p-petition.txt"]][:3]]
    with sqlite3.connect(db) as conn:
        score = {name[o]: s for o, s in conn.execute(
            "select other_id, score from related where article_id = ?",
            [ids["p-petition.txt"]])}
    assert score["q-march.txt"] > score["a-vote.txt"] > score["d-petition.txt"]
    if factor == 1.0:
        assert order == ["q-march.txt", "a-vote.txt", "d-petition.txt"]
    else:
        assert order == ["a-vote.txt", "d-petition.txt", "q-march.txt"]


def test_rerank_scales_the_standing_of_the_same_outlet() -> None:
    from datasette_reportcorpus.loaders.related.rank import rerank

    outlets = {1: "Post", 2: "Post", 3: "Wire", 4: "Post"}
    assert rerank({1: [(2, 0.30), (3, 0.20)]}, {}, outlets=outlets) == {1: [(3, 0.2), (2, 0.3)]}
    # Within one outlet the order is the plain one (hubness included).
    assert rerank({1: [(2, 0.30), (4, 0.28)]}, {2: 0.40, 4: 0.20}, outlets=outlets) \
        == {1: [(4, 0.28), (2, 0.30)]}
    # An article without a known outlet is ranked as before.
    assert rerank({5: [(2, 0.30), (3, 0.20)]}, {}, outlets=outlets) == {5: [(2, 0.3), (3, 0.2)]}


def _split_demo(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The demo corpus as two folders: all but two reports, and those two."""
    first, second = tmp_path / "first", tmp_path / "second"
    for path in demo_dir.rglob("*.txt"):
        rel = path.relative_to(demo_dir)
        later = rel.as_posix() in {"028_0e9a4c7d3b1f5826.txt",
                                   "kestrel-gazette/saltry-docks-day-three.txt"}
        dest = (second if later else first) / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    return first, second


def _related_rows(path: Path) -> list:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(
            "select a.path, o.path, r.score, r.rank, r.kind from related r"
            " join articles a on a.id = r.article_id join articles o on o.id = r.other_id"))


def _postings_match_signatures(path: Path) -> None:
    from datasette_reportcorpus.loaders.related.rank import all_postings

    with sqlite3.connect(path) as conn:
        sigs = {aid: json.loads(t) for aid, t in conn.execute(
            "select id, terms from related_signatures order by id")}
        stored = sorted(conn.execute("select term, id, weight from related_postings"))
    assert stored, "no postings stored"
    assert stored == sorted((t, aid, w) for t, items in all_postings(sigs).items()
                            for aid, w in items)


def test_incremental_pass_reading_only_what_it_ranks_matches_reading_everything(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental load ranks its new articles from the stored postings and the
    signatures of their candidates only; its lists are exactly those that reading every
    stored signature gives, and the postings stay those of the stored signatures."""
    from datasette_reportcorpus.loaders.load import load
    from datasette_reportcorpus.loaders.related import rank as related

    first, second = _split_demo(demo_dir, tmp_path)
    manifest = str(demo_dir / "manifest.csv")
    base = tmp_path / "base.db"
    assert not load(str(base), [str(first)], manifest=manifest).errors
    _postings_match_signatures(base)
    lazy, eager = tmp_path / "lazy.db", tmp_path / "eager.db"
    shutil.copy(base, lazy)
    shutil.copy(base, eager)
    read = []
    real = related.StoredSignatures.get

    def counting(self, aid, default=None):
        if aid not in self.cache:
            read.append(aid)
        return real(self, aid, default)

    monkeypatch.setattr(related.StoredSignatures, "get", counting)
    assert not load(str(lazy), [str(second)], manifest=manifest).errors
    assert read, "the incremental pass did not read stored signatures lazily"
    with sqlite3.connect(lazy) as conn:
        n = conn.execute("select count(*) from related_signatures").fetchone()[0]
    assert len(set(read)) < n
    monkeypatch.setattr(related, "LAZY_MAX", -1)  # every signature read, as before
    read.clear()
    assert not load(str(eager), [str(second)], manifest=manifest).errors
    assert not read
    assert _related_rows(lazy) == _related_rows(eager)
    _postings_match_signatures(lazy)


def test_a_corpus_without_stored_postings_gets_them_on_its_next_load(
        demo_dir: Path, tmp_path: Path) -> None:
    """A corpus written before ``related_postings`` existed: the next load that changes it
    rebuilds the related lists in full and stores the postings."""
    from datasette_reportcorpus.loaders.load import load
    from datasette_reportcorpus.loaders.related.rank import POSTINGS_BUILT

    first, second = _split_demo(demo_dir, tmp_path)
    manifest = str(demo_dir / "manifest.csv")
    db = tmp_path / "old.db"
    assert not load(str(db), [str(first)], manifest=manifest).errors
    with sqlite3.connect(db) as conn:
        conn.execute("drop table related_postings")
        conn.execute("delete from reportcorpus_meta where key = ?", [POSTINGS_BUILT])
        full_n = conn.execute(
            "select value from reportcorpus_meta where key = 'related_full_n'").fetchone()[0]
    assert not load(str(db), [str(second)], manifest=manifest).errors
    with sqlite3.connect(db) as conn:
        assert conn.execute("select value from reportcorpus_meta where key ="
                            " 'related_full_n'").fetchone()[0] != full_n  # a full build
    _postings_match_signatures(db)
