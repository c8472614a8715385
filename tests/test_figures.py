"""Unit tests of the figure extractor on sentences written for the tests, plus the two seeds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from datasette_reportcorpus.loaders.figures.extract import extract_figures
from datasette_reportcorpus.loaders.figures.lexicon import HEDGE_SET, KINDS
from datasette_reportcorpus.loaders.model import Figure

ROOT = Path(__file__).resolve().parent.parent


def figs(text: str) -> list[Figure]:
    found = extract_figures(text)
    for f in found:
        assert text[f.start : f.end] == f.surface
        assert f.kind in KINDS
        assert f.hedge is None or f.hedge in HEDGE_SET
    return found


def one(text: str) -> Figure:
    found = figs(text)
    assert len(found) == 1, [(f.surface, f.kind) for f in found]
    return found[0]


def values(text: str) -> list[tuple[str, float]]:
    return [(f.surface, f.value) for f in figs(text)]


# --- digits, decimals, scales --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("The club has 1,793 members.", "1,793", 1793),
        ("Output rose by 3.25 points.", "3.25", 3.25),
        ("The app has 1.5 million users.", "1.5 million", 1.5e6),
        ("Traders sold 5.93 mln shares.", "5.93 mln", 5.93e6),
        ("About 2,500,000 tickets were printed.", "2,500,000", 2.5e6),
    ],
)
def test_plain_numbers(text: str, surface: str, value: float) -> None:
    f = one(text)
    assert (f.surface, f.value) == (surface, value)


@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        ("The bank earned $1.13bn last year.", "$1.13bn", 1.13e9, "USD"),
        ("The stadium cost £600m to build.", "£600m", 6e8, "GBP"),
        ("Brussels pledged €2 billion for roads.", "€2 billion", 2e9, "EUR"),
        ("The firm lost 785m euros.", "785m euros", 7.85e8, "EUR"),
        ("It raised 540bn yen from lenders.", "540bn yen", 5.4e11, "JPY"),
        ("Profits reached A$458.4m.", "A$458.4m", 4.584e8, "AUD"),
        ("A stamp now costs 50p.", "50p", 0.5, "GBP"),
        ("Each share fetched 115.5 pence.", "115.5 pence", 1.155, "GBP"),
    ],
)
def test_money(text: str, surface: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.surface, f.kind, f.unit) == (surface, "money", unit)
    assert f.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("Sales jumped 76% in May.", 76, "percent"),
        ("Turnout fell 55 pct.", 55, "percent"),
        ("Prices rose 12 per cent.", 12, "percent"),
        ("Rates rose 0.25 percentage points.", 0.25, "percentage point"),
    ],
)
def test_percent(text: str, value: float, unit: str) -> None:
    f = next(f for f in figs(text) if f.kind == "percent")
    assert (f.value, f.unit) == (value, unit)


# --- number words and fractions ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("Four boats sank.", 4),
        ("The band played twenty-five songs.", 25),
        ("A dozen eggs broke.", 12),
        ("Police found two dozen cars.", 24),
        ("They sold three million copies.", 3e6),
        ("The town lost half a million trees.", 5e5),
    ],
)
def test_number_words(text: str, value: float) -> None:
    assert one(text).value == value


def test_plural_scales_are_lower_bounds() -> None:
    f = one("Hundreds of fans queued overnight.")
    assert (f.value, f.hedge, f.object) == (200, "at least", "fan")
    f = one("Scores of residents queued.")
    assert (f.value, f.hedge, f.object) == (40, "at least", "resident")
    f = one("The spam reached tens of thousands of inboxes.")
    assert (f.value, f.object) == (20_000, "inbox")
    f = one("The lawsuit seeks millions of dollars in damages.")
    assert (f.kind, f.unit, f.value) == ("money", "USD", 2e6)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Half of the staff went home.", 0.5),
        ("A third of voters stayed away.", 0.333),
        ("Two-thirds of the budget is spent.", 0.667),
    ],
)
def test_fractions(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.unit, f.value) == ("other", "fraction", value)


def test_half_as_a_period_is_not_a_figure() -> None:
    assert figs("They scored in the first half and again in the second half.") == []


# --- ranges and scores ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Between 20 and 30 people came.", "Some 20-30 people came.", "About 20 to 30 people came."],
)
def test_ranges(text: str) -> None:
    f = one(text)
    assert (f.value, f.value_high, f.object) == (20, 30, "person")


def test_change_is_not_a_range() -> None:
    found = figs("Its share fell from 11.2% to 9.6%.")
    assert [f.value for f in found] == [11.2, 9.6]
    assert all(f.value_high is None for f in found)


def test_money_range() -> None:
    f = one("The repairs will cost between £1m and £2m.")
    assert (f.value, f.value_high, f.unit) == (1e6, 2e6, "GBP")


@pytest.mark.parametrize("text, a, b", [("They won 3-1 at home.", 3, 1), ("A 2-2 draw.", 2, 2)])
def test_scores(text: str, a: float, b: float) -> None:
    f = one(text)
    assert (f.kind, f.unit, f.value, f.value_high) == ("other", "score", a, b)


def test_year_ranges() -> None:
    assert [(f.value, f.value_high) for f in figs("The plan covers 2007-13.")] == [(2007, 2013)]
    f = one("He served from 1941 to 1945.")
    assert (f.kind, f.value, f.value_high) == ("year", 1941, 1945)


# --- dates, years, times, durations, ages --------------------------------------------------


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("She was freed on July 19 after a trial.", "July 19", 719),
        ("She was freed on 19 July after a trial.", "19 July", 719),
        ("The war began on 24 February.", "24 February", 224),
        ("He was born on 27 October, 1920.", "27 October, 1920", 19201027),
        ("Sales fell in March 2005.", "March 2005", 20050300),
    ],
)
def test_dates(text: str, surface: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.surface, f.value) == ("date", surface, value)


def test_odds() -> None:
    found = figs("Bookmakers offer 4/9 odds on the film and 9/4 on its rival.")
    assert [(f.surface, f.kind, f.unit, f.value) for f in found] == [
        ("4/9", "other", "odds", 0.444),
        ("9/4", "other", "odds", 2.25),
    ]


def test_short_decade() -> None:
    f = one("A sitcom from the 90s returns.")
    assert (f.kind, f.unit, f.value) == ("year", "decade", 1990)


def test_years_and_decades() -> None:
    assert [(f.kind, f.value) for f in figs("It opened in 2004.")] == [("year", 2004)]
    f = one("Prices doubled in the 1990s.")
    assert (f.kind, f.unit, f.value) == ("year", "decade", 1990)
    assert one("The works finish by mid-2005.").value == 2005


@pytest.mark.parametrize(
    "text, value",
    [
        ("The ferry left at 2.15pm.", 14.25),
        ("Kick-off is at 1400 GMT.", 14),
        ("At 10:30 am.", 10.5),
    ],
)
def test_times(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.value) == ("time", value)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("They signed up for three-month tours.", 3, "month"),
        ("The talks lasted 13 years.", 13, "year"),
        ("She spent five-and-a-half years in office.", 5.5, "year"),
        ("The strike lasted 90 minutes.", 90, "minute"),
        ("Families slept in the hall for two nights.", 2, "night"),
    ],
)
def test_durations(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("duration", value, unit)


@pytest.mark.parametrize(
    "text, value",
    [
        ("A 35-year-old man was questioned.", 35),
        ("A woman aged 70 was hurt.", 70),
        ("Mrs Jones, 59, runs the shop.", 59),
        ("He was 84, and still working.", 84),
        ("The veteran ferry captain, 61, retired.", 61),
        ("A Saltry docker, 47, was hurt.", 47),
    ],
)
def test_ages(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("age", value, "year")


@pytest.mark.parametrize("text", [
    "In the final, 29, players took part.",      # no person before the number
    "Of the total, 29, were dockers.",
    "Near the quay, 45, 50 and 60 people fled.",  # a list of numbers
])
def test_number_between_commas_after_a_phrase_stays_a_count(text: str) -> None:
    assert figs(text)[0].kind == "count"


def test_age_range() -> None:
    f = one("The studio wants people aged 18 to 99.")
    assert (f.kind, f.value, f.value_high) == ("age", 18, 99)


# --- measures, rates, ordinals -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The pipeline runs 9km inland.", 9, "km"),
        ("She jumped 17.30m in the trials.", 17.3, "m"),
        ("He won the 800m final.", 800, "m"),
        ("The dam makes 12,600 MW of power.", 12600, "MW"),
        ("They walked six-kilometre loops.", 6, "km"),
        ("The ship carried 3,000 tonnes of grain.", 3000, "tonne"),
    ],
)
def test_measures(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("measure", value, unit)


def test_hundred_million_is_not_metres() -> None:
    f = one("The network has 100m users.")
    assert (f.kind, f.value, f.object) == ("count", 1e8, "user")


def test_national_currency_words() -> None:
    f = figs("The rebuild costs 1.2bn Australian dollars (£458m).")[0]
    assert (f.kind, f.unit, f.value) == ("money", "AUD", 1.2e9)


def test_strong_and_odd_compounds() -> None:
    f = one("A 5,000-strong crowd watched.")
    assert (f.kind, f.value, f.object) == ("count", 5000, "crowd")
    f = one("Some 20-odd players left.")
    assert (f.value, f.hedge, f.object) == (20, "about", "player")


def test_rates() -> None:
    f = one("Lines now carry 2 megabits per second.")
    assert (f.kind, f.unit, f.value) == ("rate", "Mbps", 2)
    f = one("The line runs at 512kbps.")
    assert (f.kind, f.unit, f.value) == ("rate", "kbps", 512)
    assert one("Cars passed at 70 mph.").kind == "rate"


@pytest.mark.parametrize(
    "text, value",
    [("She finished fourth.", 4), ("It marks the 21st year.", 21), ("The world number two.", 2)],
)
def test_ordinals(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.value) == ("ordinal", value)


def test_first_and_second_are_not_figures() -> None:
    assert figs("For the first time, a second vote was held.") == []


def test_a_third_before_a_noun_is_an_ordinal() -> None:
    f = one("A third sequel is planned.")
    assert (f.kind, f.value) == ("ordinal", 3)


# --- not figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The G7 met after the Covid-19 wave.",
        "Pilots flew the F-16 and the A380.",
        "He listens to MP3 files on 3G phones.",
        "One of these complaints was upheld.",
        "He is one of the best.",
        "No-one knew which one to pick.",
        "Call 0800 123 4567 for details.",
        "She spoke on Radio 4 about Chapter 11.",
        "He works at 10 Downing Street.",
        "The help desk runs 24/7.",
        "They met a man in a bar.",
        "The Three Gorges dam and the Fantastic Four.",
        "The third-party vendor sent a one-off bill.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figs(text) == [], [(f.surface, f.kind) for f in figs(text)]


def test_list_marker_is_not_a_figure() -> None:
    assert values("1. Ministers met 40 farmers.") == [("40", 40)]


# --- hedges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hedge",
    [
        ("An estimated 50 sailors drowned.", "estimated"),
        ("About 50 cars burned.", "about"),
        ("Around 50 cars burned.", "about"),
        ("Roughly 50 cars burned.", "about"),
        ("Approximately 50 cars burned.", "about"),
        ("Some 50 cars burned.", "about"),
        ("At least 50 cars burned.", "at least"),
        ("More than 50 cars burned.", "more than"),
        ("Over 50 cars burned.", "more than"),
        ("Fewer than 50 cars burned.", "fewer than"),
        ("Less than 50 cars burned.", "fewer than"),
        ("Under 50 cars burned.", "fewer than"),
        ("Up to 50 cars burned.", "up to"),
        ("As many as 50 cars burned.", "up to"),
        ("Nearly 50 cars burned.", "nearly"),
        ("Almost 50 cars burned.", "nearly"),
        ("Exactly 50 cars burned.", None),
    ],
)
def test_hedges(text: str, hedge: str | None) -> None:
    f = one(text)
    assert (f.value, f.hedge) == (50, hedge)


def test_hedge_applies_to_money_and_percent() -> None:
    found = figs("Shares fell almost 3% after it lost at least A$30m.")
    assert [f.hedge for f in found] == ["nearly", "at least"]


def test_a_possessive_number_takes_no_hedge() -> None:
    # "above 2004's average" bounds the average, not the year.
    assert [(f.value, f.hedge) for f in figs("Prices are well above 2004's average.")] == [
        (2004, None)]
    assert [(f.value, f.hedge) for f in figs("More than 300 people came.")] == [
        (300, "more than")]


def test_over_a_span_of_time_is_not_a_hedge() -> None:
    assert one("Prices rose over 10 years.").hedge is None
    assert one("They were friends for over 60 years.").hedge == "more than"


# --- objects and events --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, obj, phrase",
    [
        ("Police held 12 men overnight.", "man", "men"),
        ("The firm employs 3,000 people.", "person", "people"),
        ("Four Danish fishing boats sank.", "boat", "Danish fishing boats"),
        ("It bought 36,000 small cars for export.", "car", "small cars"),
        ("A poll of 1,300 bosses suggests.", "boss", "bosses"),
        ("They lost nine of their 14 matches.", "match", "matches"),
        ("The two firms signed a deal.", "firm", "firms"),
        ("The ban covers six-cylinder engines.", "cylinder", "cylinder"),
    ],
)
def test_objects(text: str, obj: str, phrase: str) -> None:
    f = figs(text)[0]
    assert (f.object, f.object_phrase) == (obj, phrase)


def test_out_of_is_not_an_object() -> None:
    assert figs("Prices fell in seven out of 10 regions.")[0].object is None


def test_no_object_when_the_text_does_not_say() -> None:
    f = one("The index was 22 in May.")
    assert (f.object, f.object_phrase) == (None, None)


@pytest.mark.parametrize(
    "text, event",
    [
        ("Police say 30 protesters were arrested.", "arrest"),
        ("At least 12 villagers were killed in the raid.", "kill"),
        ("The blast left 45 people injured.", "wound"),
        ("Officials said 200 workers went on strike.", "strike"),
        ("Gunmen kidnapped 5 engineers.", "kidnap"),
        ("Floods displaced 10,000 families.", "displace"),
        ("The factory will cut 800 jobs.", "layoff"),
        ("Some 300 sailors refused to sail.", "refuse"),
        ("Rescuers evacuated 600 residents.", "evacuate"),
        ("About 40 climbers are missing.", "missing"),
        ("Officers seized 20 rifles in the raid.", "seize"),
        ("The storm affected 2 million homes.", "affect"),
        ("Hundreds of students protested outside.", "protest"),
    ],
)
def test_events(text: str, event: str) -> None:
    f = next(f for f in figs(text) if f.kind == "count")
    assert f.event == event


def test_negated_event_is_dropped() -> None:
    assert one("Police said 30 protesters were not arrested.").event is None


def test_event_does_not_leak_across_clauses() -> None:
    f = figs("He met 4 lawyers, and later the police arrested his brother.")[0]
    assert f.event is None


# --- the two seed articles -----------------------------------------------------------------


def _shared() -> Path:
    return Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))


def _seed_paragraphs(prefix: str) -> list[str]:
    seeds = _shared() / "seeds"
    files = sorted(seeds.glob(prefix + "_*.txt")) if seeds.is_dir() else []
    if not files:
        reason = f"seed {prefix} not found under {seeds} (set REPORTCORPUS_SHARED)"
        print(reason)
        pytest.skip(reason)
    text = files[0].read_text(encoding="utf-8")
    if prefix == "004":
        return [ln.strip() for ln in text.splitlines() if ln.strip()]
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _all(paragraphs: list[str]) -> list[Figure]:
    return [f for p in paragraphs for f in figs(p)]


@pytest.mark.shared
def test_seed_000() -> None:
    found = _all(_seed_paragraphs("000"))
    counts = {f.value: f for f in found if f.kind == "count"}
    assert (counts[140].object, counts[140].hedge, counts[140].event) == (
        "soldier",
        "estimated",
        "arrest",
    )
    assert (counts[4].object, counts[4].hedge) == ("soldier", "at least")
    assert counts[25].object == "soldier"
    assert counts[80].object == "soldier"
    dates = [f for f in found if f.kind == "date"]
    assert [(f.surface, f.value) for f in dates] == [("July 19", 719)]
    assert not [f for f in found if f.kind == "count" and f.value == 19]


@pytest.mark.shared
def test_seed_004() -> None:
    paragraphs = _seed_paragraphs("004")
    body = [p for p in paragraphs if not p.startswith(("READ MORE:", "READ NEXT:", "- "))]
    found = _all(body)
    personnel = [f for f in found if f.surface == "1,793"]
    assert len(personnel) == 1
    f = personnel[0]
    assert (f.value, f.object, f.object_phrase, f.event) == (
        1793,
        "personnel",
        "Russian military personnel",
        "refuse",
    )
    durations = [(f.surface, f.value, f.unit) for f in found if f.kind == "duration"]
    assert durations == [("three-month", 3, "month")]


def test_metres_before_a_spatial_word_are_a_measure():
    (f,) = extract_figures("The roof gave way 900m below the surface.")
    assert (f.value, f.kind, f.unit) == (900, "measure", "m")
    (g,) = extract_figures("The firm raised 900m last year.")
    assert g.value == 900_000_000


def test_hours_after_a_short_number_are_a_duration():
    (f,) = extract_figures("Rescuers worked for 19 hours to free them.")
    assert (f.value, f.kind, f.unit) == (19, "duration", "hour")
    (g,) = extract_figures("Troops moved at 1400 hours.")
    assert (g.value, g.kind) == (14, "time")


def test_digits_in_quoted_code_are_not_figures():
    assert extract_figures("The page ran <script>alert(1)</script> on load.") == []


def test_a_wire_dateline_date_is_not_stored(demo_db: Path) -> None:
    """A dateline says when a report was filed: its date is left out, later dates stay."""
    import sqlite3

    from datasette_reportcorpus.loaders.text.classify import dateline_end
    from datasette_reportcorpus.loaders.text.parse import body_figures

    with sqlite3.connect(demo_db) as conn:
        firsts = conn.execute("select id, text from paragraphs where position = 0").fetchall()
        starts = {pid: dateline_end(text) for pid, text in firsts}
        lined = [pid for pid, end in starts.items() if end]
        assert len(lined) >= 3  # the demo's wire reports open with datelines
        for pid in lined:
            kept = conn.execute("select start, surface from figures where paragraph_id = ?",
                                [pid]).fetchall()
            assert all(start >= starts[pid] for start, _ in kept), (pid, kept)
    text = "SALTRY, March 2 (Wire) - Talks resume on March 9, the union said."
    assert [(f.surface, f.kind) for f in body_figures(text, 0, extract_figures)] == [
        ("March 9", "date")]


# --- units, fractions, signs, scales, ranges, votes (own sentences) ------------------------


def fig_tuple(f: Figure) -> tuple:
    return (f.value, f.value_high, f.kind, f.unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The kiln at Marrow Ford runs at 300 °C all week.", (300.0, None, "measure", "°C")),
        ("Night frost reached 14 degrees Fahrenheit.", (14.0, None, "measure", "°F")),
        ("The gauge read 2.5degC by noon.", (2.5, None, "measure", "°C")),
        ("Barges moved 16,000 metric tons of grain.", (16000.0, None, "measure", "tonne")),
        ("The depot covers 3,923 sq m of land.", (3923.0, None, "measure", "m²")),
        ("Each vial holds 75ml of serum.", (75.0, None, "measure", "ml")),
        ("The signal peaked at 17kHz.", (17.0, None, "measure", "kHz")),
        ("The new engine makes 640 hp.", (640.0, None, "measure", "hp")),
    ],
)
def test_units_outside_the_old_vocabulary(text: str, expected: tuple) -> None:
    assert fig_tuple(one(text)) == expected


def test_metric_tons_are_not_a_count() -> None:
    f = one("The port handled 16,000 metric tons of ore.")
    assert f.kind == "measure" and f.object is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The panel is 2 1/2 in thick.", 2.5, "inch"),
        ("Crews laid 10 1/2 miles of pipe.", 10.5, "mile"),
        ("Rain left a 1/4 inch film on the road.", 0.25, "inch"),
        ("Stir in ½ cup of stock.", 0.5, "cup"),
        ("The trail is 3¾ miles long.", 3.75, "mile"),
    ],
)
def test_fractions_and_mixed_numbers(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The fund raised half million dollars.", 500_000.0),
        ("The grant was a quarter million pounds.", 250_000.0),
        ("The town spent three quarters of a billion euros.", 750_000_000.0),
        ("The ferry took a hundred and two passengers.", 102.0),
        ("It lasted five hundred and eighty-four days.", 584.0),
    ],
)
def test_scaled_and_compound_number_words(text: str, value: float) -> None:
    assert one(text).value == value


def test_two_and_three_are_still_a_range_not_one_number() -> None:
    f = one("Between two and three hundred boats sailed.")
    assert (f.value, f.value_high) == (200.0, 300.0)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Harrow Vale sold bonds worth $ 75 million.", 75e6, "USD"),
        ("It has €10M in reserve.", 10e6, "EUR"),
        ("Debt reached $2.174T last year.", 2.174e12, "USD"),
        ("A ticket costs 15€ at the gate.", 15.0, "EUR"),
        ("The board paid USD 200 per seat.", 200.0, "USD"),
        ("The price is EUR50m in cash.", 50e6, "EUR"),
    ],
)
def test_currency_forms(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.kind, f.unit) == (value, "money", unit)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The annual loss is ($99.99).", -99.99),
        ("Offense gained minus 5 yards.", -5.0),
        ("The gas is cooled to minus-260 degrees Fahrenheit.", -260.0),
        ("The balance fell to $-50.8 billion.", -50.8e9),
        ("The lake froze at -18 °C overnight.", -18.0),
    ],
)
def test_negatives(text: str, value: float) -> None:
    assert one(text).value == value


def test_a_bracketed_amount_after_another_is_a_conversion_not_a_loss() -> None:
    found = figs("Tickets cost $50m (£26m) in all.")
    assert [f.value for f in found] == [50e6, 26e6]


def test_hyphenated_codes_stay_out_but_a_leading_minus_is_kept() -> None:
    assert figs("The Covid-19 ward reopened.") == []
    assert values("Scores fell to -3 points.")[0][1] == -3.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They were given 44 mg to 50 mg of the drug.", (44.0, 50.0, "measure", "mg")),
        ("They were given between 44 and 50 mg of it.", (44.0, 50.0, "measure", "mg")),
        ("The fine was between $19 and $22 million.", (19e6, 22e6, "money", "USD")),
        ("Sales of US$89 to $93 billion were forecast.", (89e9, 93e9, "money", "USD")),
        ("Rents of 1.5 to 2 million pounds a year were paid.", (1.5e6, 2e6, "money", "GBP")),
        ("The band ran between 15kHz and 17kHz.", (15.0, 17.0, "measure", "kHz")),
        ("An 8- to 16-metre mirror was planned.", (8.0, 16.0, "measure", "m")),
        ("Loads of 3 to 5 kg were lifted.", (3.0, 5.0, "measure", "kg")),
    ],
)
def test_ranges_give_both_ends_with_scale_and_unit(text: str, expected: tuple) -> None:
    assert fig_tuple(one(text)) == expected


def test_a_change_is_two_figures_not_a_range() -> None:
    found = figs("The dose was reduced from 50 mg to 44 mg.")
    assert [(f.value, f.value_high) for f in found] == [(50.0, None), (44.0, None)]


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("Losses greater than $5m were written off.", "more than"),
        ("Claims exceed 300 a week.", "more than"),
        ("Costs exceeded £2bn last year.", "more than"),
        ("Turnout was higher than 60% in the valley.", "more than"),
        ("Rates lower than 2% are rare.", "fewer than"),
    ],
)
def test_comparison_hedges(text: str, hedge: str) -> None:
    assert one(text).hedge == hedge


def test_pounds_of_weight_and_pounds_of_money() -> None:
    w = one("The lineman weighs 275 pounds.")
    assert (w.kind, w.unit) == ("measure", "lb")
    m = one("The council paid 300 pounds for the bench.")
    assert (m.kind, m.unit) == ("money", "GBP")
    assert one("The club lost 5 million pounds.").unit == "GBP"


def test_year_after_a_plural_possessive() -> None:
    f = one("Critics read the Hallorans' 2014 tax return closely.")
    assert (f.value, f.kind) == (2014.0, "year")


def test_listed_years_are_not_a_range() -> None:
    found = figs("Floods struck in 2007, 2013 and 2014.")
    assert [(f.value, f.value_high) for f in found] == [(2007, None), (2013, None), (2014, None)]
    f = one("Prices rose between 2001 and 2003.")
    assert (f.value, f.value_high) == (2001.0, 2003.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The assembly voted 396-9 to pass the budget.", (396.0, 9.0)),
        ("The court ruled in a 5-4 decision.", (5.0, 4.0)),
        ("Dunmere won 3-1 at home.", (3.0, 1.0)),
    ],
)
def test_votes_and_scores_keep_both_sides(text: str, expected: tuple) -> None:
    f = one(text)
    assert (f.value, f.value_high, f.unit) == (*expected, "score")


def test_suffix_k_scales_a_plain_number() -> None:
    assert one("The car is 25k cheaper than its rival.").value == 25_000.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ships docked there in 1861 and again in 2009.", [(1861.0, "year"), (2009.0, "year")]),
        ("The hall seats 1500 people.", [(1500.0, "count")]),
        ("The appeal, Marsh v. Dale, No. 10-277, is pending.", []),
        ("Sales reached US $84 billion.", [(84e9, "money")]),
        ("Debt hit $US113 trillion.", [(113e12, "money")]),
        ("Tests ran short of COVID -19 kits.", []),
        ("Forward Dak Mowbray (4) scored late.", []),
        ("The new eReader 3 has 64GB of storage.", [(64.0, "measure")]),
        ("The 37m (121ft) skeleton was rebuilt.", [(37.0, "measure"), (121.0, "measure")]),
        ("A packet of 500 bytes took 20 milliseconds.", [(500.0, "measure"), (20.0, "duration")]),
    ],
)
def test_names_codes_old_years_and_prefixes(text: str, expected: list) -> None:
    assert [(f.value, f.kind) for f in figs(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ingots sell for ($5) in the game.", [(5.0, "money")]),
        ("The quarter's result was ($2.5m).", [(-2.5e6, "money")]),
        ("The club is in two cup competitions.", [(2.0, "count")]),
        ("Add two cups of flour.", [(2.0, "measure")]),
        ("Rates rose 50pc in a year.", [(50.0, "percent")]),
        ("The old 386 PC still works.", [(386.0, "count")]),
        ("It costs three pounds per month.", [(3.0, "money")]),
        ("The chip sits on one bit of silicon.", [(1.0, "count")]),
        ("She lost 1-6, 4-6 in the end.", [(1.0, "other"), (4.0, "other")]),
    ],
)
def test_rules_that_stay_narrow(text: str, expected: list) -> None:
    assert [(f.value, f.kind) for f in figs(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The probe reached 1.5e6 metres.", [(1.5e6, "measure")]),
        ("A drift of 9.83e-3 km/s was seen.", [(0.00983, "rate")]),
        ("The colony held 3 x 10^6 cells.", [(3e6, "count")]),
        ("About 10^6 stars were counted.", [(1e6, "count")]),
        ("The dust grain is 2.5×10−8 metres wide.", [(2.5e-8, "measure")]),
        ("The buffer held 4x2^10 bytes.", [(4096.0, "measure")]),
        ("Nearly 10⁶ people signed.", [(1e6, "count")]),
        # a capital E or an unsigned exponent after a whole number reads as a name or a code
        ("Orders for the Skyway 7E7 rose.", []),
    ],
)
def test_scientific_notation(text: str, expected: list) -> None:
    assert [(f.value, f.kind) for f in figs(text)] == expected


def test_a_tolerance_belongs_to_its_measurement() -> None:
    assert [f.value for f in figs("The rod is 4.20 +/- 0.05 m long, the bar 7 ± 1 m.")] == [4.2, 7.0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zero is the score they feared.", [(0.0, "count")]),
        ("Helium boils a few degrees above absolute zero.", [(0.0, "measure")]),
        ("Staff on zero-hours contracts walked out.", []),
        ("He said that one mile was enough.", [(1.0, "measure")]),
        ("Voters gave her a fifth of the seats.", [(0.2, "other")]),
        ("One fourth of the town is flooded.", [(0.25, "other")]),
        ("Two fifths of the stock was sold.", [(0.4, "other")]),
        ("Growth stalled for two quarters.", [(2.0, "count")]),
        ("She won a fifth term.", [(5.0, "ordinal")]),
    ],
)
def test_zero_fractions_and_one_before_a_unit(text: str, expected: list) -> None:
    assert [(f.value, f.kind) for f in figs(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ground holds around 40, 000 fans.", [(40000.0, "count")]),
        ("The loan of 12,34,567.50 rupees was paid.", [(1234567.5, "money")]),
        ("Her plan: 1 ) cut costs ; 2 ) hire 30 staff.", [(30.0, "count")]),
        ("I rang Tomas 4 times.", [(4.0, "other")]),
        ("Pay into account 2201-55667788-9 today.", []),
        ("The nebula sits near HXC J0412.7+2290 in the sky.", []),
        ("Part 40517k318 was recalled.", []),
        ("A 24m2 flat and a 3km2 park.", [(24.0, "measure"), (3.0, "measure")]),
        ("A 2m rod is equal to 20 dm.", [(2.0, "measure"), (20.0, "measure")]),
        ("The town was built between AD 1000 and 1260.", [(1000.0, "year")]),
        ("It closed in AD 410.", [(410.0, "year")]),
        ("The shop at 12-14 Mill Avenue sold for $90.", [(90.0, "money")]),
    ],
)
def test_number_forms_codes_and_list_markers(text: str, expected: list) -> None:
    assert [(f.value, f.kind) for f in figs(text)] == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A ticket was twelve dollars thirty cents.", 12.3),
        ("The toll is 4 euros and 5 cents.", 4.05),
        ("Lunch came to 9 dollars 75.", 9.75),
        ("The fund lost 40 USD million last year.", 40e6),
    ],
)
def test_cents_and_a_scale_after_the_currency(text: str, value: float) -> None:
    assert [f.value for f in figs(text)] == [pytest.approx(value)]


def test_a_bare_number_after_an_amount_in_a_list_stays_apart() -> None:
    assert [f.value for f in figs("Seats cost 30 dollars, 40 euros and 50.")] == [30.0, 40.0, 50.0]


# --- one of a unit written with an article, halves and quarters of one ----------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The depot sits a mile from the harbour.", 1.0, "mile"),
        ("Volunteers cleared an acre of scrub at Corrow Fen.", 1.0, "acre"),
        ("The storm dropped a foot of snow on Tallis Ridge.", 1.0, "ft"),
        ("The ferry stops a quarter mile short of the pier.", 0.25, "mile"),
        ("The new road adds a half-mile detour.", 0.5, "mile"),
        ("Give the valve a half turn.", 0.5, "turn"),
        ("The procession covered a mile and a half.", 1.5, "mile"),
    ],
)
def test_an_article_counts_one_unit_of_measure(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.kind, f.unit) == (value, "measure", unit)


@pytest.mark.parametrize(
    "text",
    [
        "Diesel sold at $1.40 a gallon in Marrowby.",  # a price per unit, not one gallon
        "Pump prices reached 140p a litre.",
        "She never set foot in a foot soldier's barracks.",  # "foot" without a size
        "The council installed a parking meter.",
        "The grant paid for a ton of fun.",
    ],
)
def test_an_article_before_a_unit_is_not_always_one_unit(text: str) -> None:
    assert not [f for f in figs(text) if f.rule == "measure-article"]


def test_a_fraction_of_a_unit_is_one_figure() -> None:
    f = one("The ridge path is a third of a mile long.")
    assert f.value == pytest.approx(1 / 3, abs=1e-3)


def test_more_halves_than_a_whole_is_a_fraction_but_two_halves_are_a_match() -> None:
    assert one("Is three halves more than one?").value == 1.5
    assert [f.value for f in figs("Both halves were dull; two halves of nothing.")] == [2.0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Dozens of residents gathered.", 24.0),
        ("Half of the members agreed.", 0.5),
        ("The lane runs a quarter mile.", 0.25),
        ("Hundreds of boats sailed.", 200.0),
        ("The sixth vote was close.", 6.0),
        ("Seventy-two members agreed.", 72.0),
    ],
)
def test_paragraphs_without_digits_still_give_their_word_figures(text: str, value: float) -> None:
    # A paragraph with no digit and no number word returns early; these have words.
    assert one(text).value == value


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1/2 inch of rain fell on Dunmere.", 0.5, "inch"),  # a fraction opening the text
        ("3/4-inch plywood covered the windows.", 0.75, "inch"),
        ("they walked a 1 / 2 mile loop .", 0.5, "mile"),  # tokenised text, spaced slash
        ("a half - inch pipe burst .", 0.5, "inch"),
    ],
)
def test_fractions_at_the_start_and_in_tokenised_text(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


def test_a_spaced_slash_without_a_unit_is_not_a_fraction() -> None:
    assert [f.value for f in figs("Scores were 1 / 2 in the poll.")] == [1.0, 2.0]


def test_tokenised_hyphen_in_a_fraction_word() -> None:
    assert one("turnout reached three - quarters of the roll .").value == 0.75


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Pellow Group paid PS2.7m for the site.", 2.7e6, "GBP"),  # the pound sign folded to ASCII
        ("The fare was PS21,700 in all.", 21_700.0, "GBP"),
        ("The fund holds 48.5 MGBP of bonds.", 48.5e6, "GBP"),
        ("Grants totalled twenty MUSD.", 20e6, "USD"),
    ],
)
def test_folded_pound_sign_and_scaled_currency_codes(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.kind, f.unit) == (value, "money", unit)


def test_ps_before_a_bare_number_is_a_product_name() -> None:
    assert figs("The PS4 and PS5 outsold the rest.") == []
    assert [f.value for f in figs("He paid 15 dollars and 50 people came.")] == [15.0, 50.0]


# --- dimensions, metres by their adjective, tolerances, glued symbols, ranges of a fall --------


@pytest.mark.parametrize(
    ("text", "sides", "unit"),
    [
        ("The Fernside shed floor takes 2x4 inches of timber.", [2.0, 4.0], "inch"),
        ("A 10-by-12-foot rug hung in the Marlow hall.", [10.0, 12.0], "ft"),
        ("The Tollard plot is 12 by 14 feet.", [12.0, 14.0], "ft"),
        ("Crates of 2 x 3 x 4 metres arrived at Pennock.", [2.0, 3.0, 4.0], "m"),
    ],
)
def test_every_side_of_a_dimension_is_a_measure_in_the_last_unit(
    text: str, sides: list[float], unit: str
) -> None:
    found = figs(text)
    assert [f.value for f in found] == sides
    assert {(f.kind, f.unit) for f in found} == {("measure", unit)}


def test_a_product_code_with_an_x_is_not_a_dimension() -> None:
    assert figs("The Tollard 4x4 club met on the green.") == []


@pytest.mark.parametrize(
    "text", ["Wren Pike is 1.8m tall.", "The Harlow sea wall is 2.5m high.", "A 1.2m-wide gate."]
)
def test_a_decimal_m_before_a_word_of_size_is_metres(text: str) -> None:
    f = one(text)
    assert (f.kind, f.unit) == ("measure", "m") and f.value < 3


def test_a_decimal_m_that_moved_is_still_millions() -> None:
    assert one("Ticket sales reached 1.5m up on last year.").value == 1.5e6


def test_plus_or_minus_is_a_tolerance_not_a_negative() -> None:
    found = figs("The Corbel poll has a margin of error of plus or minus 3 percentage points.")
    assert [f.value for f in found] == [3.0]
    assert one("The gauge read minus 3 degrees.").value == -3.0


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The Ashby farm is 3ha in all.", 3.0, "hectare"),
        ("The lorry carried 30t of grain.", 30.0, "tonne"),
        ("Each tablet holds 5mcg of the salt.", 5.0, "µg"),
        ("Fit a 60W bulb.", 60.0, "W"),
        ("The pump runs on a 12V battery.", 12.0, "V"),
        ("It has a 2.0L engine.", 2.0, "litre"),
        ("The well sits 50 fathoms down.", 50.0, "fathom"),
    ],
)
def test_glued_and_rarer_unit_symbols(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.kind, f.unit) == (value, "measure", unit)


def test_glued_symbols_that_stay_codes() -> None:
    assert figs("The 3G mast and the 4K set.") == []
    assert [f.unit for f in figs("They won the 2 v 1 drill.")] == [None, None]
    assert one("The car does 40mpg.").unit == "mpg"


@pytest.mark.parametrize(
    ("text", "low", "high", "kind"),
    [
        ("The storm dropped 3 to 5 inches of rain on Kelby.", 3.0, 5.0, "measure"),
        ("Margins fell 3 to 5 per cent at Orrin Mills.", 3.0, 5.0, "percent"),
        ("Yields were down 2 to 4 per cent.", 2.0, 4.0, "percent"),
        ("Between 3 and 5 per cent voted early.", 3.0, 5.0, "percent"),
    ],
)
def test_a_bare_range_after_a_word_of_falling_is_one_range(
    text: str, low: float, high: float, kind: str
) -> None:
    f = one(text)
    assert (f.value, f.value_high, f.kind) == (low, high, kind)


@pytest.mark.parametrize(
    "text",
    [
        "Brannock shares dropped 5.9% to 20.7 kronor.",  # a fall by a percent to a price
        "Users grew by 1.4 million to 44.9 million.",  # a rise by an amount to a level
        "Output rose 3 to 5 tonnes.",  # a rise: from one level to another
        "The toll fell from 4 to 6 pence after the vote.",  # "from": a change, whatever its sign
    ],
)
def test_a_change_to_a_new_level_stays_two_figures(text: str) -> None:
    assert len(figs(text)) == 2


def test_thousands_spaced_in_tokenised_text_only() -> None:
    tokenised = "it' s said that 10, 000 hens laid 1, 118 eggs ; and more ."
    assert [f.value for f in figs(tokenised)] == [10_000.0, 1_118.0]
    assert [f.value for f in figs("In Tarrow, 7, 118 of them were late.")] == [7.0, 118.0]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("About 4 in 10 Wendover voters backed the plan.", 4.0, 10.0),
        ("Nine in 10 members of the Askern guild agreed.", 9.0, 10.0),
        ("The odds were 1 in 5 students, the Fallow survey said.", 1.0, 5.0),
    ],
)
def test_a_chance_written_n_in_m_is_one_ratio(text: str, low: float, high: float) -> None:
    f = one(text)
    assert (f.value, f.value_high, f.kind, f.unit) == (low, high, "other", "ratio")


@pytest.mark.parametrize(
    "text",
    [
        "She scored 3 in 10 minutes at Orrin Park.",  # a duration after "in"
        "They sold 40 in 2019 at the Dunmore fair.",  # a year after "in"
        "The crew of 12 in 3 boats rowed home.",  # the second number is counted but smaller
    ],
)
def test_other_numbers_joined_by_in_stay_apart(text: str) -> None:
    assert len(figs(text)) == 2


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The Pennock hall is 6m by 9m.", [6.0, 9.0]),
        ("The Harlow barge deck is 3m x 12m.", [3.0, 12.0]),
        ("The Tollard jetty runs 98ft (30m) out to sea.", [98.0, 30.0]),
    ],
)
def test_glued_m_beside_another_side_or_a_converted_length_is_metres(
    text: str, values: list[float]
) -> None:
    found = figs(text)
    assert [(f.value, f.kind) for f in found] == [(v, "measure") for v in values]
    assert found[-1].unit == "m"


def test_a_glued_m_beside_plain_millions_is_still_millions() -> None:
    found = figs("Fernside grew from 2m to 3m users.")
    assert 3e6 in {f.value_high or f.value for f in found}


def test_both_sides_of_a_hyphenated_dimension_without_a_unit_are_read() -> None:
    found = figs("The Marlow yard sold a 4-by-8 sheet of plywood.")
    assert [f.value for f in found] == [4.0, 8.0]
    assert found[0].surface == "4" and found[0].object is None
