"""The readers of formats other than plain text, on real files written to a temporary
folder: format detection, JSON Lines, JSON arrays and CSV streamed as records, saved web
pages, dates and outlet names.

The ``trafilatura`` engine is tested where the ``html`` extra is installed, and the
message for its absence where it is not (each test says which it skipped and why).
"""

from __future__ import annotations

import codecs
import json
import tracemalloc
from pathlib import Path

import pytest

from datasette_reportcorpus.loaders.formats import FormatError, detect
from datasette_reportcorpus.loaders.formats.html import (
    EXTRA,
    MissingExtra,
    engine_for,
    fragment_text,
    have_trafilatura,
    html_article,
)
from datasette_reportcorpus.loaders.formats.meta import OutletNames, iso_date, outlet_key
from datasette_reportcorpus.loaders.formats.records import (
    FieldMap,
    Record,
    RecordError,
    iter_records,
    read_record,
)

GOLD = Path(__file__).resolve().parent.parent / "benchmarks/gold/html"


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def jsonl(*objs) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


# --- detect ------------------------------------------------------------------------------

def test_detect_by_suffix_then_by_first_bytes(tmp_path):
    assert detect(write(tmp_path / "a.HTM", "x")) == "html"
    assert detect(write(tmp_path / "a.ndjson", "{}")) == "jsonl"
    assert detect(write(tmp_path / "a.tsv", "a\tb")) == "csv"
    assert detect(write(tmp_path / "a.json", "[]")) == "json"
    assert detect(write(tmp_path / "lines.json", '{"text": "a"}\n{"text": "b"}\n')) == "jsonl"
    assert detect(write(tmp_path / "one.json", '{\n  "text": "a"\n}\n')) == "json"
    assert detect(write(tmp_path / "saved", b"\xef\xbb\xbf<!DOCTYPE html><html><p>x")) == "html"
    assert detect(write(tmp_path / "export", '{"text": "a"}\n{"text": "b"}\n')) == "jsonl"
    assert detect(write(tmp_path / "array", ' [{"text": "a"}]')) == "json"
    assert detect(write(tmp_path / "notes", "Dam breach floods valley")) == "text"
    # A format given wins over the suffix.
    assert detect(write(tmp_path / "b.txt", '{"text": 1}'), given="jsonl") == "jsonl"


def test_detect_refuses_what_cannot_be_read(tmp_path):
    with pytest.raises(FormatError, match=r"report\.txt: a PDF document"):
        detect(write(tmp_path / "report.txt", b"%PDF-1.4\n..."))
    with pytest.raises(FormatError, match="ZIP archive"):
        detect(write(tmp_path / "export.jsonl", b"PK\x03\x04rest"))
    with pytest.raises(FormatError, match="unknown format 'xml'.*auto, text, html"):
        detect(write(tmp_path / "a.txt", "x"), given="xml")
    with pytest.raises(FormatError, match="cannot read"):
        detect(tmp_path / "missing.html")


# --- JSON Lines ----------------------------------------------------------------------------

def test_jsonl_default_fields_keys_and_offsets(tmp_path):
    p = write(tmp_path / "export.jsonl", "\ufeff" + jsonl(
        {"id": "vc-1", "title": "Bridge to close", "content": "First para.\n\nSecond para.",
         "source": {"id": "vc", "name": "The Vale Courier"}, "publishedAt": "2026-11-18T07:45:00Z",
         "authors": ["Rosalind Achebe", "Dev Mistry"], "url": "https://valecourier.example/a"},
        {"headline": "Ferry cut", "maintext": "Two sailings a day.", "date_publish": 1795942800,
         "source_domain": "harbourgazette.example"},
    ) + "\n")
    recs = list(iter_records(p, "jsonl"))
    assert all(isinstance(r, Record) for r in recs), recs
    a, b = recs
    assert (a.key, a.line, a.title, a.outlet, a.published, a.author) == (
        "vc-1", 1, "Bridge to close", "The Vale Courier", "2026-11-18T07:45:00Z",
        "Rosalind Achebe, Dev Mistry")
    assert a.text == "First para.\n\nSecond para."
    assert a.sources["text"] == "content" and a.sources["date"] == "publishedAt"
    assert (b.key, b.line, b.title, b.outlet) == ("export.jsonl:2", 2, "Ferry cut",
                                                  "harbourgazette.example")
    assert b.published == "2026-11-29T09:00:00Z"  # unix seconds, as UTC
    raw = p.read_bytes()
    assert a.offset == 3  # after the byte-order mark
    assert raw[b.offset:].startswith(b'{"headline"')
    again = read_record(p, "jsonl", b.offset, b.line)
    assert again == b


def test_jsonl_field_map_with_dotted_names(tmp_path):
    p = write(tmp_path / "x.jsonl", jsonl(
        {"doc": {"body": "The text.", "head": "T"}, "meta": {"when": "3 December 2026",
                                                             "site": "Kestrel Daily"}, "n": 9}))
    fields = FieldMap(text="doc.body", title="doc.head", date="META.when", outlet="meta.site",
                      id="n")
    (r,) = iter_records(p, "jsonl", fields, key_prefix="exports/x")
    assert (r.key, r.text, r.title, r.published, r.outlet) == (
        "9", "The text.", "T", "2026-12-03", "Kestrel Daily")
    (r,) = iter_records(p, "jsonl", FieldMap(text="doc.missing"), key_prefix="exports/x")
    assert isinstance(r, RecordError) and "no 'doc.missing'" in r.problem


def test_jsonl_bad_records_are_reported_and_skipped(tmp_path):
    p = write(tmp_path / "bad.jsonl",
              '{"text": "good one"}\n'
              '{"text": "cut off\n'
              '["a", "list"]\n'
              '{"title": "no text here", "summary": "x"}\n'
              '{"text": "   "}\n'
              '{"text": 42}\n'
              '{\n'
              '\n'
              '{"text": "good two", "date": "yesterday", "url": "not a url"}\n')
    out = list(iter_records(p, "jsonl"))
    errors = {r.line: r.problem for r in out if isinstance(r, RecordError)}
    good = [r for r in out if isinstance(r, Record)]
    assert [r.text for r in good] == ["good one", "good two"]
    assert good[1].line == 9 and good[1].published is None and good[1].url is None
    assert any("'yesterday' is not a date" in w for w in good[1].warnings)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7]
    assert errors[2].startswith("invalid JSON")
    assert "list, not an object" in errors[3]
    assert "no text" in errors[4] and "title, summary" in errors[4] and "--text-field" in errors[4]
    assert "empty text" in errors[5]
    assert "int, not text" in errors[6]
    assert "one per line" in errors[7]
    assert str(out[1]) == f"line 2: {errors[2]}"


def test_jsonl_encodings(tmp_path):
    # One cp1252 line in a file that has shown no UTF-8: read as cp1252, and said so.
    p = write(tmp_path / "latin.jsonl", b'{"text": "plain"}\n{"text": "caf\xe9 \x80400"}\n')
    a, b = iter_records(p, "jsonl")
    assert b.text == "café €400" and "read as cp1252 (not UTF-8)" in b.warnings
    # After a line of real UTF-8, a line that is not UTF-8 is an error, not mojibake.
    p = write(tmp_path / "mixed.jsonl", '{"text": "café"}\n'.encode() + b'{"text": "caf\xe9"}\n'
              + b'{"text": "fine"}\n')
    out = list(iter_records(p, "jsonl"))
    assert isinstance(out[1], RecordError) and "not UTF-8 (byte 0xe9 at column 14)" in out[1].problem
    assert out[2].text == "fine"
    # A forced encoding, and UTF-16 with its byte-order mark (no byte offsets then).
    p = write(tmp_path / "forced.jsonl", '{"text": "Zürich"}\n'.encode("latin-1"))
    (r,) = iter_records(p, "jsonl", encoding="latin-1")
    assert r.text == "Zürich"
    p = write(tmp_path / "wide.jsonl", codecs.BOM_UTF16_LE + jsonl({"text": "Łódź"}, {"text": "b"})
              .encode("utf-16-le"))
    a, b = iter_records(p, "jsonl")
    assert (a.text, b.text, b.line, b.offset) == ("Łódź", "b", 2, None)
    with pytest.raises(FormatError, match="unknown encoding"):
        list(iter_records(p, "jsonl", encoding="klingon"))


def test_jsonl_over_long_record_is_skipped(tmp_path):
    p = write(tmp_path / "long.jsonl", jsonl({"text": "x" * 5000}, {"text": "after"}))
    a, b = iter_records(p, "jsonl", max_bytes=1000)
    assert isinstance(a, RecordError) and "longer than 0.001 MB" in a.problem
    assert (b.text, b.line) == ("after", 2)
    assert p.read_bytes()[b.offset:].startswith(b'{"text": "after"}')


def test_jsonl_text_holding_markup_becomes_paragraphs(tmp_path):
    p = write(tmp_path / "h.jsonl", jsonl({"text": "<p>One &amp; two.</p><p>Three <b>four</b>."
                                                   "</p><script>x()</script>"}))
    (r,) = iter_records(p, "jsonl")
    assert r.text == "One & two.\n\nThree four."


def _peak_while_reading(path: Path, fmt: str) -> tuple[int, int]:
    tracemalloc.start()
    try:
        n = sum(1 for r in iter_records(path, fmt) if isinstance(r, Record))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return n, peak


def test_large_jsonl_is_read_in_constant_memory(tmp_path):
    p = tmp_path / "big.jsonl"
    para = "The council said the repairs would cost more than expected. " * 30
    with open(p, "w", encoding="utf-8") as f:
        for i in range(2000):
            f.write(json.dumps({"id": i, "title": f"Report {i}", "text": para,
                                "published": "2026-12-03"}) + "\n")
    size = p.stat().st_size
    assert size > 3_500_000
    n, peak = _peak_while_reading(p, "jsonl")
    assert n == 2000
    # The whole file is near 4 MB; one record and the reader's buffers are a few
    # kilobytes, whatever the file's size.
    assert peak < 400_000, f"peak {peak} bytes for a {size} byte file"


def test_large_csv_and_json_array_are_read_in_constant_memory(tmp_path):
    para = "Water levels fell overnight, the agency said, but more rain is due. " * 25
    rows = 1200
    c = tmp_path / "big.csv"
    with open(c, "w", encoding="utf-8", newline="") as f:
        f.write("id,title,text\n")
        for i in range(rows):
            f.write(f'{i},"Report {i}","{para}\n\nSecond ""quoted"" paragraph."\n')
    j = tmp_path / "big.json"
    with open(j, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps({"id": i, "text": para}) for i in range(rows)) + "\n]\n")
    for path, fmt in ((c, "csv"), (j, "json")):
        n, peak = _peak_while_reading(path, fmt)
        assert n == rows, fmt
        assert path.stat().st_size > 2_000_000
        assert peak < 400_000, f"{fmt}: peak {peak} bytes"


# --- JSON arrays ---------------------------------------------------------------------------

def test_json_array_streamed_with_lines_and_offsets(tmp_path):
    p = write(tmp_path / "items.json", "\ufeff" + json.dumps(
        [{"text": "Première."}, 7, {"body": "Second.", "title": "T"}], indent=2, ensure_ascii=False))
    a, bad, b = iter_records(p, "json")
    assert (a.text, a.line, a.offset) == ("Première.", 2, 7)
    assert isinstance(bad, RecordError) and bad.line == 5 and "int, not an object" in bad.problem
    assert (b.text, b.title, b.line) == ("Second.", "T", 6)
    assert p.read_bytes()[b.offset:].startswith(b"{")
    assert read_record(p, "json", b.offset, b.line) == b


def test_json_bad_files(tmp_path):
    p = write(tmp_path / "cut.json", '[{"text": "one"}, {"text": "tw')
    out = list(iter_records(p, "json"))
    assert out[0].text == "one" and isinstance(out[1], RecordError)
    assert "rest of file not read" in out[1].problem
    with pytest.raises(FormatError, match="a JSON object, not an array.*JSON Lines"):
        list(iter_records(write(tmp_path / "one.json", '{"text": "x"}'), "json"))
    with pytest.raises(FormatError, match="not a JSON array"):
        list(iter_records(write(tmp_path / "text.json", "hello"), "json"))


# --- CSV -----------------------------------------------------------------------------------

def test_csv_bom_embedded_newlines_semicolons(tmp_path):
    p = write(tmp_path / "export.csv", "\ufeffHeadline;Body;Published;Source\r\n"
              '"Bridge; closed";"First para.\r\n\r\nSecond ""para"".";18/11/2026;The Vale Courier\r\n'
              "\r\n"
              "Ferry cut;Two sailings.;Sat, 21 Nov 2026 16:20:00 GMT;harbourgazette.example\r\n")
    a, b = iter_records(p, "csv")
    assert (a.title, a.text, a.published, a.outlet, a.line) == (
        "Bridge; closed", 'First para.\n\nSecond "para".', "2026-11-18", "The Vale Courier", 2)
    assert (b.title, b.line, b.key, b.published) == ("Ferry cut", 6, "export.csv:6",
                                                     "2026-11-21T16:20:00+00:00")
    raw = p.read_bytes()
    assert raw[a.offset:].startswith(b'"Bridge') and raw[b.offset:].startswith(b"Ferry")
    assert read_record(p, "csv", a.offset, a.line) == a
    assert read_record(p, "csv", b.offset, b.line) == b


def test_csv_tsv_and_cp1252_and_short_rows(tmp_path):
    p = write(tmp_path / "excel.tsv", "title\ttext\tauthor\n".encode() + b"Caf\xe9\tCost \x80400.\tAnn\n"
              + b"Short\tOnly text\n")
    a, b = iter_records(p, "csv")
    assert (a.title, a.text) == ("Café", "Cost €400.") and "read as cp1252 (not UTF-8)" in a.warnings
    assert b.author is None and any("2 cells where the header has 3" in w for w in b.warnings)


def test_csv_bad_rows_and_bad_files(tmp_path):
    p = write(tmp_path / "rows.csv", 'id,text\n1,"café"\n'.encode() + b'2,"caf\xe9"\n' + b"3,\n4,ok\n")
    out = list(iter_records(p, "csv"))
    assert [type(r).__name__ for r in out] == ["Record", "RecordError", "RecordError", "Record"]
    assert out[1].line == 3 and "not UTF-8" in out[1].problem
    assert out[2].line == 4 and out[2].problem == "empty text (field 'text')"
    assert out[3].key == "4"
    # An unclosed quote runs into the field size limit: an error, then the stream ends.
    p = write(tmp_path / "quote.csv", "id,text\n1,\"never closed\n" + "more text\n" * 400)
    out = list(iter_records(p, "csv", max_bytes=1000))
    assert out and all(isinstance(r, RecordError) for r in out)
    assert "malformed CSV" in out[0].problem and out[0].line == 2
    with pytest.raises(FormatError, match=r"no text column.*--text-field.*columns are id, headline"):
        list(iter_records(write(tmp_path / "notext.csv", "id,headline\n1,x\n"), "csv"))
    with pytest.raises(FormatError, match="no column for --title-field heading"):
        list(iter_records(write(tmp_path / "t.csv", "id,text\n1,x\n"), "csv", FieldMap(title="heading")))
    with pytest.raises(FormatError, match="empty CSV"):
        list(iter_records(write(tmp_path / "e.csv", "\n\n"), "csv"))
    with pytest.raises(FormatError, match="cannot read"):
        list(iter_records(tmp_path / "absent.csv", "csv"))


# --- saved web pages -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1252">
<title>Heat pump grants run out | Kestrel Daily</title>
<meta property="og:site_name" content="Kestrel Daily">
<meta property="article:published_time" content="Tue, 01 Dec 2026 09:30:00 +0000">
<link rel="canonical" href="https://kestreldaily.example/heat-pumps">
</head><body>
<div class="cookie-consent"><p>We use cookies. Accept all to continue browsing.</p></div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Heat pump grants run out</h1>
<p class="byline">By Priya Ramaswamy</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share by email</a></div>
<p>A scheme offering grants of up to \xa35,000 has closed after three weeks.</p>
<p>Installers said demand had tripled.<br><br>The authority expected the money to last until March.</p>
<p><b>Read more:</b> <a href="/energy">Energy bills to rise in January</a></p>
</article>
<aside class="related"><ul><li><a href="/a">Derby won in stoppage time</a></li></ul></aside>
<section id="comments"><p>Typical: announce a scheme, then close it.</p></section>
<footer><p>Copyright Kestrel Daily 2026</p></footer>
</body></html>"""


def test_html_stdlib_text_metadata_and_reasons(tmp_path):
    p = write(tmp_path / "page.html", PAGE.encode("cp1252"))
    page = html_article(p.read_bytes(), engine="stdlib")
    assert page.text.split("\n\n") == [
        "A scheme offering grants of up to £5,000 has closed after three weeks.",
        "Installers said demand had tripled.",
        "The authority expected the money to last until March."]
    assert page.meta == {"title": "Heat pump grants run out", "outlet": "Kestrel Daily",
                         "author": "Priya Ramaswamy", "published": "2026-12-01T09:30:00+00:00",
                         "url": "https://kestreldaily.example/heat-pumps", "engine": "stdlib"}
    reasons = dict((t, r) for r, t in page.dropped)
    assert reasons["We use cookies. Accept all to continue browsing."] == "cookie-banner"
    assert reasons["Home News"] == "navigation"
    assert reasons["Heat pump grants run out"] == "title"
    assert reasons["By Priya Ramaswamy"] == "byline"
    assert reasons["Read more: Energy bills to rise in January"] == "links"
    assert reasons["Derby won in stoppage time"] == "related"
    assert reasons["Typical: announce a scheme, then close it."] == "comments"
    assert reasons["Copyright Kestrel Daily 2026"] == "site-footer"
    assert not any("Share on" in t for t in page.text.split("\n\n"))


def test_html_trafilatura_engine(tmp_path):
    if not have_trafilatura():
        print(f"skipped: trafilatura is not installed here ({EXTRA}); its absence is tested instead")
        pytest.skip(f"trafilatura not installed ({EXTRA})")
    p = write(tmp_path / "page.html", PAGE.encode("cp1252"))
    page = html_article(p.read_bytes(), engine="trafilatura")
    paragraphs = page.text.split("\n\n")
    assert "A scheme offering grants of up to £5,000 has closed after three weeks." in paragraphs
    assert not any("cookies" in x or "Typical" in x or x == "Heat pump grants run out"
                   for x in paragraphs)
    assert page.meta["engine"] == "trafilatura" and page.meta["outlet"] == "Kestrel Daily"
    assert ("title", "Heat pump grants run out") in page.dropped
    assert engine_for("auto") == "trafilatura"


def test_html_trafilatura_missing_names_the_extra():
    if have_trafilatura():
        print("skipped: trafilatura is installed here; the engine itself is tested instead")
        pytest.skip("trafilatura installed")
    with pytest.raises(MissingExtra, match=r"pip install 'datasette-reportcorpus\[html\]'.*--html-engine stdlib"):
        html_article(b"<html><body><p>Some text of a page.</p></body></html>", engine="trafilatura")
    assert engine_for("auto") == "stdlib"


def test_html_bad_pages(tmp_path):
    with pytest.raises(FormatError, match="no article text found.*all boilerplate"):
        html_article(b"<html><body><nav><a href='/'>Home</a></nav>"
                     b"<footer>Contact us</footer></body></html>", engine="stdlib")
    with pytest.raises(FormatError, match="binary file"):
        html_article(b"\x00\x01\x02<html>", engine="stdlib")
    with pytest.raises(FormatError, match="unknown HTML engine 'fast'"):
        html_article(b"<p>x</p>", engine="fast")
    # A page that names a charset it does not use is read as text files are.
    page = html_article('<meta charset="klingon"><p>Ünïcode text stays.</p>'.encode(), engine="stdlib")
    assert page.text == "Ünïcode text stays."


def test_html_deeply_nested_page_is_read():
    body = "<div>" * 5000 + "<p>Deep inside, the text is still read.</p>" + "</div>" * 5000
    page = html_article(f"<html><body>{body}</body></html>".encode(), engine="stdlib")
    assert page.text == "Deep inside, the text is still read."


def test_html_fragment_text():
    assert fragment_text("<div>Loose text<p>A para</p><ul><li>one</li><li>two</ul></div>") == \
        "Loose text\n\nA para\n\none\n\ntwo"


def test_gold_pages_hold_their_expected_paragraphs():
    """The gold's paragraphs are text of their pages (so a score measures the reader)."""
    gold = json.loads((GOLD / "expected.json").read_text(encoding="utf-8"))["pages"]
    assert len(gold) == 12 and {p["part"] for p in gold} == {"tune", "measure"}
    for page in gold:
        from datasette_reportcorpus.loaders.formats.html import decode_page
        html, _ = decode_page((GOLD / page["file"]).read_bytes())
        flat = " ".join(html.replace("&amp;", "&").split())
        for para in page["paragraphs"]:
            words = para.split()
            assert " ".join(words[:4]) in flat, (page["file"], para)


# --- metadata ------------------------------------------------------------------------------

@pytest.mark.parametrize("given,iso", [
    ("Thu, 03 Dec 2026 10:00:00 +0000", "2026-12-03T10:00:00+00:00"),
    ("Thu, 3 Dec 2026 10:00:00 -0500", "2026-12-03T10:00:00-05:00"),
    ("3 December 2026", "2026-12-03"),
    ("December 3rd, 2026", "2026-12-03"),
    ("2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z"),
    ("2026-12-03 10:00", "2026-12-03T10:00"),
    (1796292000, "2026-12-03T10:00:00Z"),
    ("1796292000", "2026-12-03T10:00:00Z"),
    (1796292000123, "2026-12-03T10:00:00Z"),
    ("Wed 18 Nov 2026 07.45 GMT", "2026-11-18T07:45:00+00:00"),
    ("18 Nov 2026 07.45", "2026-11-18T07:45"),
    ("Published: 4 Dec 2026", "2026-12-04"),
    ("Dec. 3, 2026, 4:20 p.m.", "2026-12-03T16:20"),
    ("2026/12/03", "2026-12-03"),
    ("Dec 2026", "2026-12"),
])
def test_iso_date_shapes(given, iso):
    assert iso_date(given) == iso


@pytest.mark.parametrize("given", ["03/04/2026", "yesterday", "2026-02-30", "42", 12, True,
                                   None, "", "31 Smarch 2026", "Thu, 45 Dec 2026 10:00:00 +0000"])
def test_iso_date_refuses(given):
    assert iso_date(given) is None


def test_outlet_names_one_name_per_outlet():
    names = OutletNames()
    seen = [("HARBOUR GAZETTE", None), ("harbour gazette", None), ("Harbour Gazette", None),
            ("Harbour Gazette", "https://harbourgazette.example/x"),
            ("www.harbourgazette.example", None), (None, "http://m.harbourgazette.example/y"),
            ("The Vale Courier", "https://www.valecourier.example/a"), ("Vale Courier", None),
            ("Vale Courier", None), ("valecourier.example", None)]
    for outlet, url in reversed(seen):  # the order values arrive in does not matter
        names.add(outlet, url)
    got = {names.name(o, u) for o, u in seen[:6]}
    assert got == {"Harbour Gazette"}
    assert {names.name(o, u) for o, u in seen[6:]} == {"Vale Courier"}
    assert names.mapping()["HARBOUR GAZETTE"] == "Harbour Gazette"
    assert names.name("Kestrel Daily") == "Kestrel Daily"  # never seen: kept as given
    assert outlet_key("The Vale Courier") == outlet_key("valecourier.co.uk") == "valecourier"


# --- one file, any format ------------------------------------------------------------------

def test_read_source_every_format(tmp_path):
    from datasette_reportcorpus.loaders.formats.sources import Source, SourceError, read_source
    write(tmp_path / "a.txt", "Dam holds\n\nThe dam held overnight.\n")
    write(tmp_path / "b.html", PAGE.encode("cp1252"))
    write(tmp_path / "c.jsonl", jsonl({"id": "c1", "text": "One.", "author": "Ann Bee"}) + "{oops\n")
    write(tmp_path / "d.csv", "text,outlet\nTwo.,The Vale Courier\n")
    write(tmp_path / "e.txt", b"%PDF-1.5 binary")
    write(tmp_path / "f.csv", "id,headline\n1,x\n")
    got = {p.name: list(read_source(p, html_engine="stdlib", key_prefix=p.stem))
           for p in sorted(tmp_path.iterdir())}
    (a,) = got["a.txt"]
    assert isinstance(a, Source) and (a.format, a.key, a.encoding) == ("text", None, "utf-8")
    assert a.text.startswith("Dam holds\n\n")
    (b,) = got["b.html"]
    assert b.format == "html" and b.meta["byline"] == "Priya Ramaswamy" and b.key is None
    assert b.text.startswith("A scheme offering grants") and ("navigation", "Home News") in b.dropped
    c1, c2 = got["c.jsonl"]
    assert (c1.key, c1.meta, c1.line) == ("c1", {"byline": "Ann Bee"}, 1)
    assert isinstance(c2, SourceError) and str(c2).startswith(f"{tmp_path / 'c.jsonl'}:2: invalid JSON")
    (d,) = got["d.csv"]
    assert (d.key, d.meta) == ("d:2", {"outlet": "The Vale Courier"})
    (e,) = got["e.txt"]
    assert isinstance(e, SourceError) and str(e) == f"{tmp_path / 'e.txt'}: a PDF document, which cannot be read as text"
    (f,) = got["f.csv"]
    assert isinstance(f, SourceError) and f.problem.startswith("no text column")
    (big,) = read_source(tmp_path / "b.html", max_bytes=100)
    assert isinstance(big, SourceError) and "file too large" in big.problem


def test_sources_feed_the_text_pipeline(tmp_path):
    """What a reader gives is what the text pipeline parses: a page's blocks and a
    record's blank-line separated paragraphs come out as its paragraphs."""
    from datasette_reportcorpus.loaders.formats.sources import read_source
    from datasette_reportcorpus.loaders.text.parse import parse_text
    gold = json.loads((GOLD / "expected.json").read_text(encoding="utf-8"))["pages"]
    for page in gold[:3]:
        (src,) = read_source(GOLD / page["file"], html_engine="stdlib")
        article = parse_text(src.text, page["file"], src.meta)
        assert [p.text for p in article.paragraphs] == page["paragraphs"], page["file"]
        assert (article.title, article.title_derived) == (page["title"], False)
    p = write(tmp_path / "r.jsonl", jsonl({"title": "Dam holds", "text": "First para.\n\nSecond para."}))
    (src,) = read_source(p)
    article = parse_text(src.text, src.key, src.meta)
    assert [x.text for x in article.paragraphs] == ["First para.", "Second para."]
    assert article.title == "Dam holds"
