"""Hard-wrapped wire copy: agency sign-offs, datelines, data lines and tables.

Every text here is fictional (fictional companies, agencies and places), written in
the convention of newswire services: lines wrapped near 64 columns, a paragraph
starting at an indented line, earnings tables of one-line data items, and a
sign-off at the end.
"""

import sqlite3

import pytest

from datasette_reportcorpus.loaders.text.classify import block_hash, repeatable
from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.text.parse import parse_text

AGENCY_NOTE = "    Kestrel Newswire is an independent cooperative of regional\nbusiness reporters.\n"

COMPANIES = [
    ("Brackwater Instruments Inc", "higher orders for its marine sensors"),
    ("Tolland Mills Co", "the closure of its loss-making carding plant"),
    ("Fenmore Savings Bank", "wider margins on its mortgage book"),
    ("Corvane Foods Ltd", "strong demand for canned vegetables"),
    ("Ashgrove Minerals Corp", "a recovery in copper output at its mine"),
]


def earnings(i: int, company: str, why: str, note: bool = True,
             signoff: str = " Harbour Wire") -> str:
    """An earnings report: data lines shaped alike in every report, numbers of its own."""
    shr, net, revs = 20 + 7 * i, 3.1 + 1.3 * i, 41.7 + 12.9 * i
    text = (f"{company} said fourth quarter net income rose on\n"
            f"{why}.\n"
            f"    Shr {shr} cts vs {shr - 4} cts\n"
            f"    Net {net:.1f} mln vs {net - 0.8:.1f} mln\n"
            f"    Revs {revs:.1f} mln vs {revs - 6.2:.1f} mln\n"
            f"    Year\n"
            f"    Shr {shr * 4 + 3} cts vs {shr * 4 - 9} cts\n"
            f"    Qtly div 10 cts vs 10 cts prior\n"
            f"    Qtly div three cts vs three cts prior\n"
            f"    {company.split()[0]} said the dividend is payable on the last day\n"
            f"of the month to holders of record two weeks earlier.\n")
    if note:
        text += AGENCY_NOTE
    return text + signoff + "\n"


def short_report(i: int, company: str, why: str) -> str:
    """A report of prose paragraphs of its own and two data lines."""
    return (f"{company} said fourth quarter net income rose on\n"
            f"{why}.\n"
            f"    {company} said it expects sales to hold up in the first\n"
            f"half of the year.\n"
            f"    Shares of {company} closed higher on the regional\n"
            f"exchange after the results were published.\n"
            f"    Qtly div {12 + i} cts vs {12 + i} cts prior\n"
            f"    Payable April {10 + i} to holders of record March {20 + i}\n"
            " Harbour Wire\n")


def dividend(i: int) -> str:
    """A dividend notice: nothing but data lines."""
    return (f"Qtly div {12 + i} cts vs {12 + i} cts prior\n"
            f"    Payable April {10 + i} to holders of record March {20 + i}\n"
            " Harbour Wire\n")


def reasons(article) -> list[tuple[str, str]]:
    return [(d.text, d.reason) for d in article.dropped]


# --- sign-offs and datelines ------------------------------------------------------

@pytest.mark.parametrize("signoff", [
    " Reuter", " REUTER...", " reuter", "AFP", " AP", " Kestrel",   # known, or named in the dateline
    " Harbour Wire", "Valley News Service",                          # its name says it is an agency
    "(Reporting by Oona Palfrey; Editing by Gideon Marsh)",
    "-- Staff writer", "Staff reporter", "-- Norland Press Agency",
    "    Compiled by Teodor Vane for the Norland Press Agency",
])
def test_wire_signoffs_leave_the_body(signoff):
    text = ("ASHFORD LEE, Feb 12 (Kestrel) - Dockers at the Ashford Lee\n"
            "container terminal voted to strike from Monday over pay, a\n"
            "union official said.\n"
            "    Talks are due to resume on Thursday at the offices of the\n"
            "conciliation service.\n"
            f"{signoff}\n")
    a = parse_text(text, "x.txt")
    assert [p.text[:20] for p in a.paragraphs] == ["ASHFORD LEE, Feb 12 ", "Talks are due to res"]
    assert reasons(a) == [(signoff.strip(), "wire-signoff")]


def test_a_dateline_standing_alone_leaves_the_body():
    text = ("HALLOWMEDE, March 3 (Harbour Wire) -\n"
            "    Corvane Foods Ltd said it agreed to buy the canned vegetable\n"
            "business of a rival for an undisclosed sum, its third purchase\n"
            "in a year.\n"
            "    The deal needs the approval of the competition board, which\n"
            "is expected to rule within a month.\n")
    a = parse_text(text, "x.txt")
    assert reasons(a) == [("HALLOWMEDE, March 3 (Harbour Wire) -", "wire-signoff")]
    assert a.paragraphs[0].text.startswith("Corvane Foods Ltd said")
    assert a.title_derived and a.title.startswith("Corvane Foods Ltd said it agreed")


@pytest.mark.parametrize("last", [
    "    It gave no further details.",
    "    Kestrel Newswire said it would appeal against the ruling.",
    "    Shares closed at 31 on the regional exchange.",
    "    Harbour Master",             # a name, but no agency's
    "    More",                        # a take marker, not a name of anyone
])
def test_a_real_last_line_is_never_taken_for_a_signoff(last):
    text = ("Dockers at the Ashford Lee container terminal voted to strike\n"
            "from Monday over pay, a union official said.\n"
            f"{last}\n")
    a = parse_text(text, "x.txt")
    assert a.dropped == [] and a.paragraphs[-1].text == last.strip()


def test_a_dash_data_line_is_not_a_signoff():
    text = ("The county farm board gave the following planting figures\n"
            "for the spring season, in acres:\n"
            "    -- barley      611 acres\n"
            "    -- oats        285 acres\n"
            "    The board said planting was a week behind last year's.\n")
    a = parse_text(text, "x.txt")
    assert a.dropped == []
    assert [p.text for p in a.paragraphs][1:3] == ["-- barley      611 acres", "-- oats        285 acres"]


# --- paragraphs of wire copy --------------------------------------------------------

def test_a_closing_name_on_the_margin_is_split_from_the_last_paragraph():
    text = ("Dockers at the Ashford Lee container terminal voted to strike\n"
            "from Monday over pay, a union official said.\n"
            "    Talks are due to resume on Thursday, the official said.\n"
            "REUTER\n")
    a = parse_text(text, "x.txt")
    assert a.paragraphs[-1].text == "Talks are due to resume on Thursday, the official said."
    assert reasons(a) == [("REUTER", "wire-signoff")]


def test_a_wrapped_line_starting_with_a_number_or_dash_continues_its_paragraph():
    text = ("The exchange raised the margin on spot contracts to 130,000 yen\n"
            "on contracts outstanding at March\n"
            "13. Nearby months rise to 90,000 yen from 70,000, it said, while\n"
            "other deposits on call\n"
            "- mainly government funds - were unchanged.\n"
            "    The changes take effect on Monday.\n")
    a = parse_text(text, "x.txt")
    assert a.convention == "indented"
    assert len(a.paragraphs) == 2
    assert "March 13. Nearby" in a.paragraphs[0].text and "call - mainly" in a.paragraphs[0].text


def test_table_rows_are_paragraphs_of_their_own():
    text = ("Ashgrove Minerals Corp said copper output at its Drummel Hill\n"
            "mine rose in February after repairs to the main crusher.\n"
            "\n"
            "             Feb      Jan      Feb 1986\n"
            " Copper    4,310    3,120      3,980\n"
            " Zinc      2,045    1,870      2,210\n"
            " Lead        612      580        655\n"
            "\n"
            "    Ashgrove repeated its forecast of 48,000 tonnes of copper\n"
            "for the year.\n")
    a = parse_text(text, "x.txt")
    rows = [p.text for p in a.paragraphs[1:5]]
    assert rows[1] == "Copper    4,310    3,120      3,980" and len(rows) == 4
    assert len(a.paragraphs) == 6 and a.dropped == []


def test_short_sentences_still_read_as_indented_wire_copy():
    # Most lines end a sentence, but the indents and the wrapped lines returning to
    # the margin say the file is hard-wrapped.
    text = ("Year ended December 31.\n"
            "    Group pretax profit 3.21 billion marks vs 3.16\n"
            "billion.\n"
            "    Turnover 38.01 billion marks vs 42.72 billion.\n"
            "    Parent pretax profit 1.82 billion marks vs 1.62\n"
            "billion.\n"
            "    Turnover 14.09 billion vs 15.35 billion.\n")
    a = parse_text(text, "x.txt")
    assert a.convention == "indented"
    assert [p.text for p in a.paragraphs][1] == "Group pretax profit 3.21 billion marks vs 3.16 billion."
    assert len(a.paragraphs) == 5


# --- the repeated pass and data lines ----------------------------------------------------

def test_a_data_line_is_never_fingerprinted_as_furniture():
    assert block_hash("Revs 291.8 mln vs 151.1 mln") != block_hash("Revs 12.0 mln vs 9.5 mln")
    for line in ("Revs 291.8 mln vs 151.1 mln", "Avg shrs 51.7 mln vs 43.4 mln",
                 "Qtly div 10 cts vs 10 cts prior", "Qtly div three cts vs three cts prior",
                 "It gave no further details."):
        assert not repeatable(line), line
    assert repeatable("Kestrel Newswire is an independent cooperative of regional business"
                      " reporters.")


def _write(folder, n, **kw):
    paths = []
    for i, (company, why) in enumerate(COMPANIES[:n]):
        p = folder / f"{i:02d}.txt"
        p.write_text(earnings(i, company, why, **kw))
        paths.append(str(p))
    return paths


def _write_notices(folder):
    """Four reports, then three notices made of data lines alone, shaped like the
    reports' own data lines."""
    paths = []
    for i, (company, why) in enumerate(COMPANIES[:4]):
        p = folder / f"{i:02d}.txt"
        p.write_text(short_report(i, company, why))
        paths.append(str(p))
    for i in range(3):
        p = folder / f"div{i:02d}.txt"
        p.write_text(dividend(i + 5))
        paths.append(str(p))
    return paths


def _corpus(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "select a.path, 'p', p.position, p.text from paragraphs p join articles a"
            " on a.id = p.article_id union all select a.path, d.reason, d.start, d.text"
            " from dropped d join articles a on a.id = d.article_id order by 1, 2, 3").fetchall()
    finally:
        conn.close()


def test_data_lines_stay_while_recurring_furniture_goes(tmp_path):
    paths = _write(tmp_path, 5)
    db = str(tmp_path / "c.db")
    load(db, paths, figures=False)
    rows = _corpus(db)
    body = [r[3] for r in rows if r[1] == "p"]
    # Five reports, each with its own numbers in the same shape, and two data lines
    # whose exact text every report shares: all of them are body.
    assert sum(t.startswith("Revs ") for t in body) == 5
    assert body.count("Qtly div 10 cts vs 10 cts prior") == 5
    assert body.count("Qtly div three cts vs three cts prior") == 5
    assert body.count("Year") == 5
    dropped = sorted((r[1], r[3][:20]) for r in rows if r[1] != "p")
    assert dropped == [("repeated", "Kestrel Newswire is ")] * 5 + [("wire-signoff", "Harbour Wire")] * 5


@pytest.mark.parametrize("order", ["first part, then all", "last part, then all",
                                   "one by one, then all", "one by one"])
@pytest.mark.parametrize("corpus", ["earnings", "notices"])
def test_a_load_in_steps_ends_with_the_corpus_of_one_load(tmp_path, order, corpus):
    (tmp_path / "files").mkdir()
    if corpus == "earnings":
        paths = _write(tmp_path / "files", 5)
    else:
        paths = _write_notices(tmp_path / "files")
    once = str(tmp_path / "once.db")
    load(once, paths, figures=False)
    steps = str(tmp_path / "steps.db")
    if order == "first part, then all":
        load(steps, paths[:4], figures=False)
    elif order == "last part, then all":
        load(steps, paths[2:], figures=False)
    else:
        for p in paths:
            load(steps, [p], figures=False)
    if order != "one by one":
        load(steps, paths, figures=False)
    assert _corpus(steps) == _corpus(once)
    rows = _corpus(once)
    assert len({r[0] for r in rows}) == len(paths)
    # Every data line is body, whatever the order.
    assert sum(r[3].startswith(("Qtly div", "Payable April")) for r in rows if r[1] == "p") == (
        10 if corpus == "earnings" else 14)


def test_what_counts_as_repeated_does_not_depend_on_which_files_came_first(tmp_path):
    """A recurring line shared by many copies of one wire story and by many unrelated
    reports: more holders than the pass samples, so the sample must not follow the
    order in which the files happened to be stored."""
    note = "    Readers can reach the Harbour Wire desk through the switchboard.\n"
    copies, others = [], []
    for i in range(45):  # one story sent again and again, a new figure in each take
        p = tmp_path / f"copy{i:02d}.txt"
        p.write_text("Dockers at the Ashford Lee container terminal voted to strike\n"
                     "from Monday over pay, a union official said.\n"
                     "    Talks are due to resume on Thursday at the offices of the\n"
                     "conciliation service, the official said.\n"
                     f"    Members voting {400 + i}\n" + note)
        copies.append(str(p))
    for i in range(45):  # unrelated reports, each its own text
        p = tmp_path / f"other{i:02d}.txt"
        word = "".join(chr(97 + (i * 7 + k) % 26) for k in range(6))
        p.write_text(f"The {word} council said on Tuesday that the {word} bridge would\n"
                     f"stay closed until the {word} repairs were finished.\n"
                     f"    Traders on the {word} side of the river said the closure\n"
                     f"had cost them the {word} market days of the spring.\n" + note)
        others.append(str(p))
    first = str(tmp_path / "first.db")
    load(first, copies + others, figures=False)
    second = str(tmp_path / "second.db")
    load(second, others, figures=False)
    load(second, copies + others, figures=False)
    assert _corpus(first) == _corpus(second)


def test_a_dateline_without_a_date_or_comma_is_still_a_dateline():
    from datasette_reportcorpus.loaders.text.classify import dateline_end, derive_title

    text = "SALTRY (Kestrel) - Dockers walked out. Ships waited."
    assert text[dateline_end(text):] == "Dockers walked out. Ships waited."
    assert derive_title(text) == "Dockers walked out."
    assert dateline_end("THE END of an era - a sentence.") == 0
