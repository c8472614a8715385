"""`datasette corpus.db -m metadata.yml`: the corpus as a browser, on both Datasette lines."""

import csv
import io
import sqlite3
import subprocess
import sys

import pytest


@pytest.mark.asyncio
async def test_search_in_html_json_and_csv(make_datasette, demo_db):
    ds = make_datasette(demo_db)
    html = await ds.client.get("/corpus/paragraphs?_search=evacuated")
    assert html.status_code == 200
    assert "evacuated" in html.text
    js = await ds.client.get("/corpus/paragraphs.json?_search=evacuated&_shape=objects")
    assert js.status_code == 200
    rows = js.json()["rows"]
    assert rows and all("evacuat" in r["text"].lower() for r in rows)
    got = await ds.client.get("/corpus/paragraphs.csv?_search=evacuated&_size=max")
    assert got.status_code == 200
    table = list(csv.DictReader(io.StringIO(got.text)))
    assert [int(r["id"]) for r in table] == [r["id"] for r in rows]
    stream = await ds.client.get("/corpus/paragraphs.csv?_search=evacuated&_stream=on")
    assert len(list(csv.DictReader(io.StringIO(stream.text)))) == len(rows)


@pytest.mark.asyncio
async def test_stemmed_and_accent_free_search(make_datasette, demo_db):
    ds = make_datasette(demo_db)
    a = (await ds.client.get("/corpus/paragraphs.json?_search=evacuate&_shape=objects")).json()
    b = (await ds.client.get("/corpus/paragraphs.json?_search=evacuated&_shape=objects")).json()
    assert a["rows"] == b["rows"]


@pytest.mark.asyncio
async def test_metadata_titles_descriptions_and_hidden_tables(make_datasette, demo_db):
    ds = make_datasette(demo_db)
    home = await ds.client.get("/corpus")
    assert home.status_code == 200
    for hidden in ("article_sources", "block_hashes", "reportcorpus_meta", "related_signatures",
                   "related_df"):
        assert f'href="/corpus/{hidden}"' not in home.text
    page = await ds.client.get("/corpus/figures")
    assert "Numbers stated in body paragraphs" in page.text
    assert "What is counted - singular, lower-case head noun" in page.text


@pytest.mark.asyncio
async def test_default_facets_on_articles(make_datasette, demo_db):
    ds = make_datasette(demo_db)
    page = await ds.client.get("/corpus/articles")
    assert page.status_code == 200
    assert "Tidewater Wire" in page.text  # the outlet facet lists outlets
    js = (await ds.client.get("/corpus/dropped.json?_facet=reason&_shape=objects")).json()
    facets = js["facet_results"]
    facets = facets.get("results", facets)  # 1.0 wraps the facets
    reasons = {r["value"] for r in facets["reason"]["results"]}
    assert {"comment-policy", "read-next", "wire-signoff"} <= reasons


def _demo(directory):
    return subprocess.run(
        [sys.executable, "-m", "datasette_reportcorpus.cli", "demo", "--dir", str(directory),
         "--no-serve"], check=False, capture_output=True, text=True, timeout=300)


def test_demo_command_builds_the_database(tmp_path):
    out = _demo(tmp_path)
    assert out.returncode == 0, out.stderr
    assert "loaded 13" in out.stdout
    assert (tmp_path / "corpus.db").exists()
    # Built afresh each time: what this version makes of the demo, not an older load's.
    with sqlite3.connect(tmp_path / "corpus.db") as conn:
        conn.execute("update stories set label = 'stale'")
    out = _demo(tmp_path)
    assert out.returncode == 0 and "loaded 13" in out.stdout, out.stderr
    with sqlite3.connect(tmp_path / "corpus.db") as conn:
        labels = [r[0] for r in conn.execute("select label from stories")]
    assert labels and "stale" not in labels
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db"]


def test_demo_command_leaves_another_corpus_alone(tmp_path):
    from datasette_reportcorpus.loaders.load import load

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "report.txt").write_text("A title\n\nA body paragraph of mine.\n")
    load(str(tmp_path / "corpus.db"), [str(tmp_path / "mine")])
    before = (tmp_path / "corpus.db").read_bytes()
    out = _demo(tmp_path)
    assert out.returncode != 0
    assert "not the demo's" in out.stderr and str(tmp_path / "corpus.db") in out.stderr
    assert (tmp_path / "corpus.db").read_bytes() == before


def test_demo_refuses_a_port_in_use_before_building(tmp_path):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "datasette_reportcorpus.cli", "demo", "--dir", str(tmp_path),
             "-p", str(port)], check=False, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert f"cannot serve on 127.0.0.1:{port}" in out.stderr and "-p" in out.stderr
    assert "Serving on" not in out.stdout
    assert not (tmp_path / "corpus.db").exists()


def test_serve_uses_the_packaged_metadata_and_passes_options_on(demo_db, tmp_path):
    """`reportcorpus serve DB` needs no metadata file of the user's: the package's applies,
    and options it does not know go to `datasette serve`."""
    import urllib.request

    from conftest import free_port
    from datasette_test import wait_until_responds

    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette_reportcorpus.cli", "serve", str(demo_db), "-p",
         str(port), "--setting", "max_returned_rows", "7", "--setting", "base_url", "/news/"],
        stdout=log, stderr=log)
    try:
        wait_until_responds(f"http://127.0.0.1:{port}/", timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/corpus/figures") as page:
            html = page.read().decode()
        assert "Numbers stated in body paragraphs" in html and 'href="/news/corpus' in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/settings.json") as settings:
            assert b'"max_returned_rows": 7' in settings.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    said = (tmp_path / "serve.log").read_text()
    assert f"Serving on http://127.0.0.1:{port}/news/corpus" in said
