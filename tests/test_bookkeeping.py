"""The per-file bookkeeping as a table: what the corpus knows of a file, its manifest
fields and its parse result -> the actions that store it. No database: the function
is pure, and the writer that applies it is tested by the loads in test_load.py."""

from __future__ import annotations

import pytest

from datasette_reportcorpus.loaders.model import Article
from datasette_reportcorpus.loaders.stages import bookkeeping as bk
from datasette_reportcorpus.loaders.stages.bookkeeping import Known, Stored

NO_META = {f: None for f in bk.META_FIELDS}


def stored(id=1, hash="h1", key="a", path="a.txt", given=(), **meta):
    return Stored(id, hash, key, path, {**NO_META, **meta}, frozenset(given))


def parsed(hash="h1", key="a", path="a.txt", **fields):
    return ("article", (Article(key=key, path=path, text="text", content_hash=hash,
                                **fields), [("b", 3)], None))


def kinds(actions):
    return [type(a).__name__ for a in actions]


CASES = [
    # (name, known, meta, result, expected action kinds, outcome)
    ("a file that cannot be read", Known(), {}, ("error", "empty file"),
     ["RecordError"], None),
    ("unchanged", Known(row=stored()), {}, ("same", "h1"),
     ["ClearErrors", "Outcome"], "unchanged"),
    ("a copy released in this load", Known(row=None, copy_of=7, revisit=True,
                                           text_known=True), {}, ("same", "h1"),
     ["ClearErrors", "Reparse"], None),
    ("a copy whose original's text went", Known(copy_of=7, text_known=False), {},
     ("same", "h1"), ["ClearErrors", "Reparse"], None),
    ("a copy with a new outlet", Known(copy_of=7, text_known=True,
                                       copy_meta={"outlet": "Old", "url": None,
                                                  "published": None}),
     {"outlet": "New"}, ("same", "h1"), ["ClearErrors", "UpdateCopyMeta", "Outcome"],
     "updated"),
    ("a copy seen before", Known(copy_of=7, text_known=True,
                                 copy_meta={"outlet": "Old", "url": None, "published": None}),
     {"outlet": "Old"}, ("same", "h1"), ["ClearErrors", "Outcome"], "unchanged"),
    ("a manifest title blanked", Known(row=stored(given=["title"], title="Given")),
     {"title": None}, ("same", "h1"), ["ClearErrors", "Reparse"], None),
    ("a manifest outlet changed", Known(row=stored(given=["outlet"], outlet="Old")),
     {"outlet": "New"}, ("same", "h1"), ["ClearErrors", "UpdateArticleMeta", "Outcome"],
     "updated"),
    ("a manifest now gives the stored value", Known(row=stored(outlet="Same")),
     {"outlet": "Same"}, ("same", "h1"), ["ClearErrors", "UpdateArticleMeta", "Outcome"],
     "unchanged"),
    ("a new file", Known(), {}, parsed(), ["ClearErrors", "Insert", "Outcome"], "loaded"),
    ("a new copy of an article", Known(owner=3), {}, parsed(),
     ["ClearErrors", "RecordCopy", "Outcome"], "duplicate"),
    ("an article edited to repeat another", Known(owner=3, by_key=stored(id=1)), {},
     parsed(hash="h3"), ["ClearErrors", "DropArticle", "RecordCopy", "Outcome"],
     "duplicate"),
    ("same text, parsed by earlier rules", Known(owner=1, by_key=stored(id=1)), {},
     parsed(), ["ClearErrors", "Replace", "Outcome"], "reparsed"),
    ("an edited file", Known(by_key=stored(id=1)), {}, parsed(hash="h2"),
     ["ClearErrors", "Replace", "Outcome"], "updated"),
    ("a renamed file", Known(by_key=stored(id=1, path="old.txt")), {}, parsed(),
     ["ClearErrors", "Replace", "Outcome"], "updated"),
    ("parsed again for its own title", Known(by_key=stored(id=1), meta_reparse=True), {},
     parsed(), ["ClearErrors", "Replace", "Outcome"], "updated"),
    ("a former copy with a text of its own", Known(key_is_copy=True, copy_meta={
        "outlet": "Wire", "url": None, "published": None}), {}, parsed(hash="h9"),
     ["ClearErrors", "ForgetCopy", "Insert", "Outcome"], "loaded"),
]


@pytest.mark.parametrize("name,known,meta,result,expected,outcome", CASES,
                         ids=[c[0] for c in CASES])
def test_decide(name, known, meta, result, expected, outcome):
    actions = bk.decide(known, "a.txt", meta, result)
    assert kinds(actions) == expected
    outcomes = [a.name for a in actions if isinstance(a, bk.Outcome)]
    assert outcomes == ([outcome] if outcome else [])


def test_decide_changes_nothing_it_is_given():
    article_result = parsed(outlet=None)
    known = Known(by_key=stored(id=1, given=["outlet"], outlet="Courier"))
    actions = bk.decide(known, "a.txt", {}, article_result)
    replace = next(a for a in actions if isinstance(a, bk.Replace))
    # The stored article keeps the outlet its manifest gave; the parsed one is untouched.
    assert replace.article.outlet == "Courier" and "outlet" in replace.article.given
    assert article_result[1][0].outlet is None


def test_a_former_copy_keeps_the_outlet_it_had_as_a_copy():
    known = Known(key_is_copy=True, copy_meta={"outlet": "Wire", "url": None,
                                               "published": None})
    insert = next(a for a in bk.decide(known, "a.txt", {}, parsed(hash="h9"))
                  if isinstance(a, bk.Insert))
    assert insert.article.outlet == "Wire"
    # ...unless its manifest row gives one now.
    insert = next(a for a in bk.decide(known, "a.txt", {"outlet": "Herald"},
                                       parsed(hash="h9", outlet="Herald"))
                  if isinstance(a, bk.Insert))
    assert insert.article.outlet == "Herald"


def test_the_manifest_change_names_its_fields():
    known = Known(row=stored(given=["outlet"], outlet="Old", url="u"))
    update = bk.decide(known, "a.txt", {"outlet": "New", "url": None}, ("same", "h1"))[1]
    assert isinstance(update, bk.UpdateArticleMeta)
    assert update.changed == ("outlet", "url") and update.article_id == 1


def test_books_give_what_the_corpus_knows():
    books = bk.Books(existing={"a.txt": stored()}, by_hash={"h1": 1},
                     by_key={"a": stored()}, copy_of={"b.txt": 1}, copy_keys={"b"})
    assert books.known("a.txt", ("same", "h1")).text_known
    known = books.known("b.txt", parsed(hash="h1", key="b", path="b.txt"))
    assert (known.owner, known.copy_of, known.key_is_copy, known.by_key) == (1, 1, True, None)
    books.outcomes.update({"a.txt": "unchanged", "b.txt": "duplicate"})
    books.outcomes["b.txt"] = "loaded"  # decided twice: counted once, as the last
    assert (books.count("unchanged"), books.count("duplicate"), books.count("loaded")) == (
        1, 0, 1)
