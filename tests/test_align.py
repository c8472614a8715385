"""The pure comparison code: paragraph alignment, word differences, figures, names."""

from __future__ import annotations

import random

import pytest

from datasette_reportcorpus.loaders.compare import (
    align_paragraphs,
    compare_figures,
    diff_words,
    extract_names,
    figures_consistent,
    names_only_in_one,
    normalise,
)

# --- alignment ----------------------------------------------------------------------------

def test_reordered_paragraphs_pair_up_and_unmatched_face_a_gap() -> None:
    left = ["The dam at Greyside broke before dawn, flooding Tarnholme.",
            "Rail services to Lunedale were suspended.",
            "The reservoir was built in 1911 to supply the mills."]
    right = ["Greyside reservoir, built in 1911 for the mills, is the oldest in the valley.",
             "A new paragraph about the council's emergency fund.",
             "Before dawn the Greyside dam broke and Tarnholme flooded."]
    rows = align_paragraphs(left, right)
    pairs = {(r.left, r.right) for r in rows if r.left is not None and r.right is not None}
    assert pairs == {(0, 2), (2, 0)}
    assert any(r.left == 1 and r.right is None for r in rows)
    assert any(r.left is None and r.right == 1 for r in rows)
    # Every paragraph of both reports appears exactly once.
    assert sorted(r.left for r in rows if r.left is not None) == [0, 1, 2]
    assert sorted(r.right for r in rows if r.right is not None) == [0, 1, 2]
    assert sum(r.moved for r in rows) == 1


def test_identical_reports_align_in_order() -> None:
    paras = [f"Paragraph {i} about the Saltry strike and ship number {i * 7}." for i in range(8)]
    rows = align_paragraphs(paras, list(paras))
    assert [(r.left, r.right) for r in rows] == [(i, i) for i in range(8)]
    assert all(r.score == 1.0 and not r.moved for r in rows)


def test_empty_reports() -> None:
    assert align_paragraphs([], []) == []
    assert [(r.left, r.right) for r in align_paragraphs(["Only text."], [])] == [(0, None)]


def test_one_copied_paragraph_among_sixty_unrelated_ones_is_found() -> None:
    # (How long sixty by sixty takes is measured in benchmarks/compare_speed.py.)
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(800)]
    left = [" ".join(rng.choices(vocab, k=45)) for _ in range(60)]
    right = [" ".join(rng.choices(vocab, k=45)) for _ in range(60)]
    right[10] = left[20]
    rows = align_paragraphs(left, right)
    assert any(r.left == 20 and r.right == 10 and r.score == 1.0 for r in rows)
    assert sorted(r.left for r in rows if r.left is not None) == list(range(60))


# --- word differences ---------------------------------------------------------------------

def test_trivial_differences_are_not_differences() -> None:
    a = "\u201cWe\u2019re  staying,\u201d she said \u2013 and left."
    b = '"We\'re staying," she said - and left.'
    left, right, ratio = diff_words(a, b)
    assert ratio == 1.0
    assert {s.tag for s in left} == {s.tag for s in right} == {"same"}
    assert normalise(a) == normalise(b)


def test_inserted_deleted_changed_words() -> None:
    a = "Three workers were killed on Sunday at the mine."
    b = "Four workers were killed at the Skarrow Deep mine."
    left, right, ratio = diff_words(a, b)
    assert "".join(s.text for s in left) == a
    assert "".join(s.text for s in right) == b
    tags_l = {s.text: s.tag for s in left if s.tag != "same"}
    tags_r = {s.text: s.tag for s in right if s.tag != "same"}
    assert tags_l["Three"] == tags_r["Four"] == "chg"
    assert tags_l["on Sunday"] == "del"
    assert tags_r["Skarrow Deep"] == "ins"
    assert 0.5 < ratio < 1.0
    for s in left:
        assert a[s.start:s.end] == s.text


# --- figures ------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "ok"), [
    ({"value": 1800, "hedge": "more than"}, {"value": 1793}, True),
    ({"value": 300, "hedge": "more than"}, {"value": 312}, True),
    ({"value": 40, "hedge": "more than"}, {"value": 31}, False),
    ({"value": 1400, "hedge": "at least"}, {"value": 950, "hedge": "about"}, False),
    ({"value": 40, "hedge": "nearly"}, {"value": 38}, True),
    ({"value": 6, "hedge": "about"}, {"value": 6, "hedge": "about"}, True),
    ({"value": 3}, {"value": 4}, False),
    ({"value": 20, "value_high": 30}, {"value": 25}, True),
    ({"value": 100, "hedge": "up to"}, {"value": 140}, False),
    ({"value": 100, "hedge": "fewer than"}, {"value": 90}, True),
])
def test_hedge_aware_consistency(a: dict, b: dict, ok: bool) -> None:
    assert figures_consistent(a, b) is ok
    assert figures_consistent(b, a) is ok


def _fig(value, kind="count", **kw) -> dict:
    return {"value": value, "kind": kind, **kw}


def test_figures_agree_differ_and_one_sided() -> None:
    left = [_fig(3, object="worker", event="kill", surface="Three workers"),
            _fig(300, object="home", hedge="more than"),
            _fig(1972, "year")]
    right = [_fig(4, object="worker", event="kill"), _fig(312, object="home"),
             _fig(19, "duration")]
    rows = compare_figures(left, right)
    by_status = {r["status"]: r for r in rows}
    assert by_status["differ"]["left"]["surface"] == "Three workers"
    assert by_status["compatible"]["right"]["value"] == 312
    assert {r["status"] for r in rows} == {"differ", "compatible", "left", "right"}
    assert "object" in by_status["differ"]["basis"]


def test_no_contradiction_without_evidence() -> None:
    # Same kind, nothing else in common: two unrelated counts, never "differ".
    rows = compare_figures([_fig(12)], [_fig(40)])
    assert [r["status"] for r in rows] == ["left", "right"]
    # Different objects or events are different facts.
    rows = compare_figures([_fig(5, object="ship")], [_fig(9, object="container")])
    assert "differ" not in {r["status"] for r in rows}
    # A thousandfold gap is a different fact, not a disagreement.
    rows = compare_figures([_fig(3, event="kill")], [_fig(900e6, event="kill")])
    assert "differ" not in {r["status"] for r in rows}


def test_money_without_object_is_matched_by_context_and_rate() -> None:
    texts = (["The stoppage was holding up trade worth about \u00a338m a day, analysts said."],
             ["A spokesman said the strike was costing the local economy \u00a345m a day."])
    a, b = texts[0][0].index("\u00a338m"), texts[1][0].index("\u00a345m")
    left = [_fig(38e6, "money", hedge="about", unit="GBP", paragraph=0, start=a, end=a + 4)]
    right = [_fig(45e6, "money", unit="GBP", paragraph=0, start=b, end=b + 4)]
    rows = compare_figures(left, right, texts=texts)
    assert rows[0]["status"] == "differ" and "rate" in rows[0]["basis"]


# --- names --------------------------------------------------------------------------------

def test_names_only_in_one_report() -> None:
    left = ["The soldier was taken from Bryansk to Luhansk, Maxim Grebenyuk said."]
    right = ["Soldiers are held at a camp in Bryanka in the Luhansk region."]
    only_left, only_right = names_only_in_one(left, right)
    assert "Bryansk" in only_left and "Maxim Grebenyuk" in only_left
    assert only_right == ["Bryanka"]
    assert "Luhansk" not in only_left


def test_sentence_openers_are_not_names() -> None:
    names = extract_names(["Regulators fined the firm. Production stopped at Skarrow Deep.",
                           "Four workers died. Analysts at Corbel Capital said so."])
    assert set(names) == {"Skarrow Deep", "Corbel Capital"}


def test_new_opens_a_place_name() -> None:
    only_left, only_right = names_only_in_one(["Trading in New Carrow was thin."],
                                              ["Trading in Old Carrow was thin."])
    assert (only_left, only_right) == (["New Carrow"], ["Old Carrow"])
    # Opening a sentence before a title, "New" is an adjective.
    assert set(extract_names(["New Harbour Master Ada Quarrie spoke."])) == {
        "Harbour Master Ada Quarrie"}


def test_titles_and_possessives() -> None:
    names = extract_names(["Tarnholm\u2019s schools will stay closed, said Dr Imogen Sarratt."])
    assert "Tarnholm" in names and "Imogen Sarratt" in names
    only_left, _ = names_only_in_one(["Divisional Fire Officer Kit Ambrose spoke."],
                                     ["Kit Ambrose, the fire officer, spoke."])
    assert only_left == []


def _one_pair(left_text: str, left_surface: str, right_text: str, right_surface: str,
              paired: bool = True, **kinds) -> list[dict]:
    """compare_figures on one figure in each of two one-paragraph reports."""
    from datasette_reportcorpus.loaders.figures.extract import extract_figures

    def fig(text: str, surface: str) -> dict:
        f = next(f for f in extract_figures(text) if f.surface == surface)
        return {"value": f.value, "value_high": f.value_high, "kind": f.kind, "hedge": f.hedge,
                "object": f.object, "event": f.event, "unit": f.unit, "paragraph": 0,
                "start": f.start, "end": f.end, "surface": f.surface}

    return compare_figures([fig(left_text, left_surface)], [fig(right_text, right_surface)],
                           {(0, 0)} if paired else set(), ([left_text], [right_text]))


def test_figures_of_different_periods_or_a_forecast_never_differ() -> None:
    rows = _one_pair("Consumer spending grew 4.2% in the fourth quarter, officials said.", "4.2%",
                     "Consumer spending grew 4.6% in the third quarter, officials said.", "4.6%")
    assert "differ" not in [r["status"] for r in rows]
    rows = _one_pair("The economy grew at an annual rate of 3.8%, officials said.", "3.8%",
                     "It fell short of the 4.2% annual rate pencilled in by forecasters.", "4.2%")
    assert "differ" not in [r["status"] for r in rows]
    # The same period, the same words beside the number: a real difference.
    rows = _one_pair("Consumer spending grew 5.1% in the third quarter, officials said.", "5.1%",
                     "Consumer spending grew 4.6% in the third quarter, officials said.", "4.6%")
    assert [r["status"] for r in rows] == ["differ"]


def test_aligned_paragraphs_alone_make_no_contradiction() -> None:
    rows = _one_pair("Its surprise purchase was backed by $11bn in loans.", "$11bn",
                     "Rivals were bought in a deal valued at $10.9bn last week.", "$10.9bn")
    assert "differ" not in [r["status"] for r in rows]


def test_a_converted_amount_in_brackets_is_about_its_value() -> None:
    rows = _one_pair("The offer was worth about 14bn euros ($19bn; £10bn) to the fund.", "$19bn",
                     "The offer was worth 14bn euros ($18.34bn; £9.6bn) to the fund.", "$18.34bn")
    assert [r["status"] for r in rows] == ["compatible"]


def test_a_small_count_matched_by_value_alone_is_not_matched() -> None:
    rows = _one_pair("Two of the injured were in a serious condition.", "Two",
                     "They were like brothers, those two, said a friend.", "two", paired=False)
    assert sorted(r["status"] for r in rows) == ["left", "right"]


def test_equal_figures_pair_before_a_contradiction_is_claimed() -> None:
    """"22 of the 30 projects" against "30 projects ... the 26 projects": the 30s agree;
    pairing 22 with 30 and 30 with 26 would claim two contradictions."""
    def fig(value, paragraph, start):
        return {"value": value, "kind": "count", "object": "project", "paragraph": paragraph,
                "start": start, "end": start + 2}

    rows = compare_figures([fig(22, 0, 0), fig(30, 0, 10)], [fig(30, 1, 0), fig(26, 0, 0)],
                           paired={(0, 0)})
    agreed = [(r["left"]["value"], r["right"]["value"]) for r in rows if r["status"] == "agree"]
    assert agreed == [(30, 30)]
    assert sum(r["status"] == "differ" for r in rows) <= 1


# --- verdicts: scope, rounding, kinds -----------------------------------------------------

def test_a_rounding_agrees_and_written_out_numbers_are_exact() -> None:
    rows = _one_pair("The settlement was worth $43 million to the families, lawyers said.",
                     "$43 million",
                     "The families will share $43,885,310 under the settlement, lawyers said.",
                     "$43,885,310")
    assert [r["status"] for r in rows] == ["agree"]
    rows = _one_pair("The archive released 55,000 pages of documents on Friday.", "55,000",
                     "The archive released 50,000 pages of documents on Friday.", "50,000")
    assert [r["status"] for r in rows] == ["differ"]
    # Both sentences come with the pair.
    assert rows[0]["left_sentence"].startswith("The archive released 55,000")
    assert rows[0]["right_sentence"].startswith("The archive released 50,000")


def test_a_duration_never_meets_a_time_of_day() -> None:
    rows = _one_pair("Talks ended the six-week stoppage at the port.", "six-week",
                     "Pickets gathered at 6am outside the port gates.", "6am")
    assert sorted(r["status"] for r in rows) == ["left", "right"]
    # Durations in different units are compared as spans of time.
    rows = compare_figures([_fig(3, "duration", unit="week")], [_fig(21, "duration", unit="day")])
    assert [r["status"] for r in rows] == ["agree"]


def test_counts_of_one_kind_of_thing_far_apart_differ_in_scope() -> None:
    """One base against a whole army: same point, similar counted things in other words,
    values twenty times apart - "differ in scope, check", never a contradiction."""
    texts = (["He was held in Luhansk with 80 other soldiers who had refused to fight."],
             ["Research found 1,793 military personnel have refused to return to the front."])
    left = [_fig(80, object="soldier", event="refuse", paragraph=0,
                 start=texts[0][0].index("80"), end=texts[0][0].index("80") + 2)]
    right = [_fig(1793, object="personnel", event="refuse", paragraph=0,
                  start=texts[1][0].index("1,793"), end=texts[1][0].index("1,793") + 5)]
    rows = compare_figures(left, right, texts=texts)
    assert [r["status"] for r in rows] == ["scope"]
    assert "similar object" in rows[0]["basis"] and rows[0]["scope"]
    assert "Luhansk" in rows[0]["left_sentence"] and "1,793" in rows[0]["right_sentence"]
    # Several figures of one report may each be set against the other's one figure.
    left.append(_fig(140, object="soldier", event="arrest", hedge="estimated"))
    rows = compare_figures(left, right, texts=texts)
    assert sorted(r["left"]["value"] for r in rows if r["status"] == "scope") == [80, 140]
    # Different objects, or a thousandfold gap, are not one point at all.
    assert [r["status"] for r in compare_figures(
        [_fig(80, object="soldier", event="refuse")],
        [_fig(1793, object="tank", event="refuse")])] == ["left", "right"]
    assert "scope" not in {r["status"] for r in compare_figures(
        [_fig(80, object="soldier", event="refuse")],
        [_fig(90000, object="soldier", event="refuse")])}


def test_different_periods_and_people_differ_in_scope() -> None:
    rows = _one_pair("Unemployment fell to 7.8% in September, the department said.", "7.8%",
                     "Unemployment stood at 8.1% in August, the department said.", "8.1%")
    assert [r["status"] for r in rows] == ["scope"]
    assert "different periods" in rows[0]["scope"][0]
    rows = _one_pair("Records show Romney paid an effective tax rate of 14.1%.", "14.1%",
                     "Records show Obama paid an effective tax rate of 20.5%.", "20.5%")
    assert [r["status"] for r in rows] == ["scope"]
    assert "Romney" in rows[0]["scope"][0] and "Obama" in rows[0]["scope"][0]
    # The same person, the same period: a contradiction.
    rows = _one_pair("Records show Romney paid an effective tax rate of 14.1%.", "14.1%",
                     "Records show Romney paid an effective tax rate of 15.4%.", "15.4%")
    assert [r["status"] for r in rows] == ["differ"]


def test_hedged_figures_need_a_firm_tie_to_be_compatible() -> None:
    # Two percentages that merely sit in aligned paragraphs are not one fact.
    rows = _one_pair("Turnout was more than 60% in the north.", "60%",
                     "Support for the plan stood at 64%.", "64%")
    assert "compatible" not in {r["status"] for r in rows}
    rows = _one_pair("More than 300 homes were flooded, the council said.", "300",
                     "The council said 312 homes were flooded.", "312")
    assert [r["status"] for r in rows] == ["compatible"]


# --- names spelled differently, whole names, outlets ---------------------------------------

def test_names_spelled_differently_in_a_like_context() -> None:
    from datasette_reportcorpus.loaders.compare import spelled_differently, spelling_variant

    left = ["He was taken from Bryansk to Luhansk and detained with 80 other soldiers.",
            "Yulia Gorbunova of the group said so."]
    right = ["Troops who refuse are detained at a camp in Bryanka in the Luhansk region.",
             "Yuliya Gorbunova said abuses must end."]
    only = names_only_in_one(left, right)
    pairs = {(v["left"], v["right"]) for v in spelled_differently(left, right, only)}
    assert pairs == {("Bryansk", "Bryanka")}  # the second pair shares no context words
    assert ("Yulia Gorbunova", "Yuliya Gorbunova") in {
        (v["left"], v["right"]) for v in spelled_differently(left, right, only, {(1, 1)})}
    # Unrelated names one edit apart, or a name and its adjective, are not variants.
    assert not spelling_variant("Russia", "Russian")
    assert not spelling_variant("Kent", "Kant")
    far = spelled_differently(["Bryansk was calm."], ["Bryanka held a festival of music."],
                              (["Bryansk"], ["Bryanka"]))
    assert far == []


def test_multi_word_names_stay_whole() -> None:
    names = extract_names(["Residents were moved, according to the Aske and Lunedale Fire "
                           "and Rescue Service.", "Water reached Tanner's Row and St Bride's "
                           "Primary School.", "Then Blair and Brown met the Moscow-based group in "
                           "Russian-occupied Luhansk."])
    assert {"Aske and Lunedale Fire and Rescue Service", "Tanner's Row",
            "St Bride's Primary School", "Blair", "Brown", "Luhansk"} <= set(names)
    assert not {"Moscow-based", "Russian-occupied Luhansk", "Row", "Lunedale Fire"} & set(names)


def test_outlet_fragments() -> None:
    from datasette_reportcorpus.loaders.compare import outlet_fragment

    outlets = ["The Kestrel Gazette", "Tidewater Wire"]
    assert outlet_fragment("Gazette", outlets) and outlet_fragment("Tidewater Wire", outlets)
    assert not outlet_fragment("Kestrel Point", outlets)


# --- alignment: a lead is not taken from its own partner ---------------------------------

def test_weak_pairs_are_chosen_together_in_order() -> None:
    """Between two firm pairs, a paragraph a little more like the other report's lead
    than that lead's own partner does not take it: both weak pairs are kept, in order."""
    from datasette_reportcorpus.loaders.compare.paragraphs import _best_in_order

    sims = [[0.13, 0.0], [0.15, 0.14]]
    assert _best_in_order([0, 1], [0, 1], sims, 0.12, 0.2) == [(0, 0), (1, 1)]
    assert _best_in_order([0, 1], [0, 1], [[0.0, 0.0], [0.15, 0.0]], 0.12, 0.2) == [(1, 0)]


@pytest.mark.parametrize("left_text, left_surface, right_text, right_surface", [
    # A total over several years, or to date, against one year's figure.
    ("The company will spend £15m over three years replacing lead pipes.", "£15m",
     "The company will spend £13.5m on replacing lead pipes.", "£13.5m"),
    ("The ring road has cost the county £48m since work began.", "£48m",
     "The county spent £45m on the ring road last year.", "£45m"),
    # One share price on two days.
    ("Shares in Corvane were suspended at 412p on Tuesday.", "412p",
     "Shares in Corvane jumped to 430p on Wednesday.", "430p"),
    # Tallies of one thing narrowed by different words, and a part against the whole.
    ("Two Algerian suspects were detained in the raid.", "Two",
     "The 12 foreign suspects were detained in the raid.", "12"),
    ("Police arrested 14 suspects after the riot in the town.", "14",
     "Twelve of the suspects held after the riot live out of town.", "Twelve"),
    # Someone called "he" against a person named in the other report.
    ("He paid an effective federal tax rate of 14.1 percent last year.", "14.1 percent",
     "Senator Mara Halvorsen paid an effective federal tax rate of 15.2 percent last year.",
     "15.2 percent"),
])
def test_different_quantities_are_never_a_contradiction(left_text, left_surface, right_text,
                                                        right_surface) -> None:
    statuses = [r["status"] for r in _one_pair(left_text, left_surface, right_text,
                                               right_surface)]
    assert "differ" not in statuses, statuses


def test_different_quantities_are_not_set_side_by_side() -> None:
    # Equal small counts sharing only the counted thing, and amounts tied by words a few
    # words off: no verdict at all.
    rows = _one_pair("Three civil servants have been suspended pending an inquiry.", "Three",
                     "Three civil servants gave evidence to the inquiry last week.", "Three",
                     paired=False)
    assert [r["status"] for r in rows] == ["left", "right"]
    rows = _one_pair("Chief executive Martin Doyle received a salary of £186,000 last year, the "
                     "accounts show.", "£186,000",
                     "Martin Doyle, the chief executive, will retire in March with a pension "
                     "pot worth £192,000, the accounts show.", "£192,000", paired=False)
    assert [r["status"] for r in rows] == ["left", "right"]
    # The same person's figure told two ways is still a contradiction.
    rows = _one_pair("Senator Mara Halvorsen paid an effective federal tax rate of 14.1 percent "
                     "last year.", "14.1 percent", "Senator Mara Halvorsen paid an effective "
                     "federal tax rate of 15.2 percent last year.", "15.2 percent")
    assert [r["status"] for r in rows] == ["differ"]
