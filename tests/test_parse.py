"""Pure loader stages: decoding, paragraph conventions, boilerplate, titles, keys."""

import codecs

import pytest

from datasette_reportcorpus.loaders.text.classify import derive_title
from datasette_reportcorpus.loaders.text.parse import key_for_path, parse_article, parse_text
from datasette_reportcorpus.loaders.text.read import ReadError, decode, normalise, read_text
from datasette_reportcorpus.loaders.text.split import detect_convention, split_blocks

PROSE = [
    ("The harbour authority said on Tuesday that the northern quay would stay closed until repairs "
     "to the sea wall were finished, a delay traders described as ruinous."),
    ("Fishermen gathered outside the authority's offices before dawn, many of them carrying "
     "placards that demanded compensation for the lost season."),
    ("A spokeswoman for the authority declined to say how long the repairs would take, adding only "
     "that engineers were working around the clock."),
]


def blank_lines(*paras):
    return "\n\n".join(paras) + "\n"


def wrap(text, width=60, indent="   "):
    words, lines, line = text.split(), [], indent
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        line += w + " "
    lines.append(line.rstrip())
    return lines


# --- decoding -----------------------------------------------------------------

def test_utf8_bom_and_crlf():
    text, enc = read_text(codecs.BOM_UTF8 + "Caf\u00e9 one.\r\nTwo.\r\n".encode())
    assert enc == "utf-8-sig"
    assert text == "Caf\u00e9 one.\nTwo.\n"


def test_utf16_with_bom():
    text, enc = read_text("Qu\u00e9bec report.\n".encode("utf-16"))
    assert enc == "utf-16" and text == "Qu\u00e9bec report.\n"


def test_cp1252_fallback_pound_sign_and_quotes():
    text, enc = read_text(b"It cost \xa3400 and \x93more\x94.\n")
    assert enc == "cp1252"
    assert text == "It cost \u00a3400 and \u201cmore\u201d.\n"


def test_cr_line_ends_nfc_and_nbsp():
    raw = "Cafe\u0301\rnext\u00a0line\u200b\r".encode()
    text, _ = read_text(raw)
    assert text == "Caf\u00e9\nnext line\n"
    assert normalise("a\u202fb") == "a b"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty file"),
        (b"  \n\n \t", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(128, 256)) * 4, "undecodable"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(ReadError, match=message):
        read_text(data)


def test_too_large():
    with pytest.raises(ReadError, match="too large"):
        read_text(b"word " * 1000, max_bytes=100)


def test_forced_encoding():
    assert decode(b"\xe9t\xe9", "latin-1") == ("\u00e9t\u00e9", "latin-1")
    with pytest.raises(ReadError, match="cannot decode as ascii"):
        decode(b"\xe9", "ascii")


# --- paragraph conventions --------------------------------------------------------

def test_blank_line_convention():
    blocks, conv = split_blocks(blank_lines(*PROSE))
    assert conv == "blank-lines"
    assert [b.text for b in blocks] == PROSE


def test_one_per_line_convention():
    blocks, conv = split_blocks("\n".join(PROSE) + "\n")
    assert conv == "one-per-line"
    assert [b.text for b in blocks] == PROSE


def test_indented_hard_wrapped_convention_never_cuts_or_joins():
    lines = []
    for p in PROSE:
        lines += wrap(p)
    text = "\n".join(lines) + "\n"
    assert detect_convention(text) == "indented"
    blocks, _ = split_blocks(text)
    assert [b.text for b in blocks] == PROSE


def test_indented_with_headline_and_short_last_lines():
    # Paragraph ends that fall on a short line must not cut the next one.
    paras = ["Short one.", *PROSE, "Another short closing line."]
    lines = ["Quay closed as repairs drag on", ""]
    for p in paras:
        lines += wrap(p, width=50)
    blocks, conv = split_blocks("\n".join(lines))
    assert conv == "indented"
    assert [b.text for b in blocks] == ["Quay closed as repairs drag on", *paras]


def test_hard_wrapped_blank_line_file_joins_lines():
    lines = []
    for p in PROSE:
        lines += wrap(p, indent="") + [""]
    blocks, conv = split_blocks("\n".join(lines))
    assert conv == "blank-lines"
    assert [b.text for b in blocks] == PROSE


def test_list_lines_in_blank_line_file_stay_apart():
    text = blank_lines(PROSE[0], "- first demand of the union\n - second demand\n - third", PROSE[1])
    blocks, _ = split_blocks(text)
    assert [b.text for b in blocks][1:4] == [
        "- first demand of the union", "- second demand", "- third"]


def test_offsets_point_into_normalised_text():
    text = "Headline here\n\n" + blank_lines(*PROSE)
    for b in split_blocks(text)[0]:
        assert text[b.start:b.end] == b.text


def test_wrapped_offsets_span_the_source_lines():
    lines = []
    for p in PROSE:
        lines += wrap(p)
    text = "\n".join(lines)
    for b in split_blocks(text)[0]:
        assert " ".join(text[b.start:b.end].split()) == b.text


# --- titles, bylines, boilerplate -------------------------------------------------

@pytest.mark.parametrize("headline", [
    "Quay closed as repairs drag on", "Will the quay ever reopen?", "Traders 'ruined' by closure",
    "Quay reopens at last!",
])
def test_standalone_first_line_is_the_title(headline):
    a = parse_text(headline + "\n\n" + blank_lines(*PROSE), "x.txt")
    assert a.title == headline and not a.title_derived
    assert len(a.paragraphs) == 3


def test_title_derived_from_first_sentence_when_no_headline():
    a = parse_text(blank_lines(*PROSE), "x.txt")
    assert a.title_derived
    assert a.title.startswith("The harbour authority said on Tuesday")
    assert len(a.paragraphs) == 3  # the first paragraph stays in the body


def test_derive_title_keeps_abbreviations():
    assert derive_title("Mr. Smith met U.S. officials. Then left.") == "Mr. Smith met U.S. officials."


def test_manifest_title_wins():
    a = parse_text(blank_lines(*PROSE), "x.txt", {"title": "Given", "outlet": "The Courier"})
    assert (a.title, a.title_derived, a.outlet) == ("Given", False, "The Courier")


BOILERPLATE = {
    "comment-policy": "Join the discussion. Comments are moderated and we remove abusive posts.",
    "read-more": "READ MORE: Harbour chief quits after storm row",
    "source-trailer": "Source: Read Full Article",
    "wire-signoff": "(Reporting by Ann Example; Editing by Bo Sample)",
    "social": "Sign up to our daily newsletter",
}


@pytest.mark.parametrize("reason,block", sorted(BOILERPLATE.items()))
def test_rule_boilerplate_is_dropped_with_reason(reason, block):
    a = parse_text(blank_lines(PROSE[0], block, PROSE[1], PROSE[2]), "x.txt")
    assert [p.text for p in a.paragraphs] == PROSE
    assert [(d.reason, d.text) for d in a.dropped] == [(reason, block)]


def test_read_next_block_with_link_list():
    text = "\n".join([*PROSE, "READ NEXT:", "- Storm wrecks pier", "- Mayor visits quay",
                      "Source: Read Full Article"])
    a = parse_text(text, "x.txt")
    assert [p.text for p in a.paragraphs] == PROSE
    assert [d.reason for d in a.dropped] == ["read-next"] * 3 + ["source-trailer"]


def test_teaser_headline_between_paragraphs_of_a_web_copy():
    text = "\n".join([PROSE[0], PROSE[1], "Harbour chief says storm 'worst in memory'", PROSE[2]])
    a = parse_text(text, "x.txt")
    assert len(a.paragraphs) == 3
    assert [d.reason for d in a.dropped] == ["related-headline"]


def test_broken_sentence_is_not_a_teaser():
    text = "\n".join([PROSE[0], "The vote went to form in Ellin as", "the mayor won again.", PROSE[1]])
    assert len(parse_text(text, "x.txt").paragraphs) == 4


def test_reporting_about_comments_is_body_text():
    para = ("The minister was unavailable for comment, but our sources said the comments "
            "were removed from the website after complaints.")
    a = parse_text(blank_lines(PROSE[0], para, PROSE[1]), "x.txt")
    assert len(a.paragraphs) == 3 and not a.dropped


def test_spacer_line_of_non_breaking_spaces_is_dropped():
    a = parse_article(blank_lines(PROSE[0], PROSE[1]).encode() + b"\n\xc2\xa0\n\n" +
                      PROSE[2].encode(), "x.txt")
    assert len(a.paragraphs) == 3
    assert [d.reason for d in a.dropped] == ["whitespace"]


def test_byline_is_taken_out_of_the_body():
    a = parse_text(blank_lines("Quay closed", "By Ann Example, Harbour Correspondent", *PROSE), "x")
    assert a.byline == "Ann Example, Harbour Correspondent"
    assert len(a.paragraphs) == 3 and a.dropped[0].reason == "byline"


def test_repeated_blocks_are_dropped_only_when_named():
    from datasette_reportcorpus.loaders.text.classify import block_hash

    promo = "Get our morning briefing in your inbox every day at seven."
    text = blank_lines(PROSE[0], promo, PROSE[1])
    assert len(parse_text(text, "x").paragraphs) == 3
    a = parse_text(text, "x", repeated={block_hash(promo)})
    assert len(a.paragraphs) == 2 and a.dropped[0].reason == "repeated"


# --- keys ---------------------------------------------------------------------------

def test_keys():
    assert key_for_path("004_4395E273CC2742E2.txt") == ("4395e273cc2742e2", 4)
    assert key_for_path("sport/199.txt") == ("sport/199", None)
    assert key_for_path("dir/000_nothex.txt") == ("dir/000_nothex", None)
