"""The pure comparison code: paragraph alignment, word differences, figures, names."""

from __future__ import annotations

import random
import time

import pytest

from loaders.align import (
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


def test_sixty_by_sixty_is_fast() -> None:
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(800)]
    left = [" ".join(rng.choices(vocab, k=45)) for _ in range(60)]
    right = [" ".join(rng.choices(vocab, k=45)) for _ in range(60)]
    right[10] = left[20]
    start = time.perf_counter()
    rows = align_paragraphs(left, right)
    assert time.perf_counter() - start < 0.25
    assert any(r.left == 20 and r.right == 10 for r in rows)


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
    from loaders.figures import extract_figures

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
