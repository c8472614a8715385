"""Word lists for the figure extractor: number words, units, currencies, hedges, events.

Kept apart from the rules so the closed vocabularies (kinds, units, hedges, events) are easy to
read and to document in one place.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (keeps long word lists readable)."""
    return frozenset(text.split())

# The closed set of figure kinds.
KINDS = (
    "count", "money", "percent", "date", "year", "time", "duration", "age", "ordinal", "measure",
    "rate", "other",
)

UNIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Short scale suffixes as news copy writes them ("$1.13bn", "£600m", "5.93 mln").
SCALE_SUFFIXES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "bn": 1e9,
    "b": 1e9, "billion": 1e9, "tn": 1e12, "t": 1e12, "trillion": 1e12, "hundred": 100,
    # South Asian scales ("25 lakh tonnes", "3 crore rupees")
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}
# Plural scale words state an order of magnitude: "hundreds of" is at least two hundred.
PLURAL_SCALES = {
    "tens": 20, "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "billions": 2_000_000_000,
}
ORDINAL_WORDS = {
    # "first" and "second" are left out on purpose: in news copy they are nearly always
    # ranking words ("for the first time", "the second half"), not figures.
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}
FRACTIONS = {
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
    "quarters": 0.25,
}
# Single-character fractions ("½ tbsp", "2¾ miles").
VULGAR_FRACTIONS = {
    "½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6,
    "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}

# Currency written before the number. Longer prefixes first so "US$" wins over "$".
CURRENCY_PREFIXES = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "$US": "USD", "$A": "AUD", "US $": "USD", "HK $": "HKD",
    "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "Rs": "INR", "Rs.": "INR",
    "R$": "BRL", "RM": "MYR",
    # ISO 4217 codes written before the amount ("USD 200", "EUR50m")
    "USD": "USD", "GBP": "GBP", "EUR": "EUR", "JPY": "JPY", "CHF": "CHF", "CAD": "CAD",
    "AUD": "AUD", "CNY": "CNY", "INR": "INR", "HKD": "HKD", "SGD": "SGD",
    # "PS" is the pound sign folded to ASCII ("PS2.7m"); read only before an amount written
    # with a scale, a decimal or thousands, so that "PS4" stays a product name.
    "PS": "GBP",
}
ASCII_POUND = "PS"
ISO_CODES = ("USD", "GBP", "EUR", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "HKD", "SGD")
# Currency signs written after the amount ("15€", "200 £").
CURRENCY_SIGNS_AFTER = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "JPY"}
# Currency written after the number ("785m euros", "540bn yen").
# Dollars and francs named by country ("1.2bn Australian dollars").
NATIONAL_CURRENCIES = {
    "us": "USD", "american": "USD", "australian": "AUD", "canadian": "CAD", "hong kong": "HKD",
    "new zealand": "NZD", "singapore": "SGD", "taiwan": "TWD", "zimbabwe": "ZWD",
    "swiss": "CHF",
}
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
    "euros": "EUR", "euro": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupees": "INR", "rupee": "INR", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB",
    "kronor": "SEK", "kronur": "ISK", "kroner": "NOK", "krona": "SEK", "reais": "BRL",
    "real": "BRL", "pesos": "MXN", "rand": "ZAR", "francs": "CHF", "franc": "CHF",
    "dinars": "IQD", "ringgit": "MYR", "baht": "THB", "lira": "TRY", "zlotys": "PLN",
    "pence": "GBP", "p": "GBP", "cents": "USD",
    "usd": "USD", "gbp": "GBP", "eur": "EUR", "jpy": "JPY", "chf": "CHF", "cad": "CAD",
    "aud": "AUD", "cny": "CNY", "inr": "INR", "hkd": "HKD", "sgd": "SGD",
}
# Words after "pounds" or a scale that make it sterling rather than weight, and words in the
# clause that make an amount of "pounds" money ("paid 300 pounds"). Without them "pounds" is
# the unit of weight ("a 275-pound lineman", "weighs 200 pounds").
STERLING_CONTEXT = re.compile(
    r"\b(?:pa(?:y|id|ys|ying)|cost\w*|worth|pric\w+|fine[ds]?|spen[dt]\w*|salar\w+|budget\w*"
    r"|rais\w+|sold|sell\w*|bought|buy\w*|fees?|deals?|bids?|offer\w*|debts?|loans?|tax\w*"
    r"|income|revenue|profits?|earn\w*|wages?|bonus\w*|compensation|funding|grants?|invest\w*"
    r"|sterling|£|bank\w*|cash|money|award\w*|damages|million|billion|bn|m"
    r"|per\s+(?:month|week|year|day|hour|head|share))\b",
    re.IGNORECASE,
)
# Fractional currency units are stored in the main unit ("50p" is 0.5 GBP).
SUBUNIT_CURRENCY = {"pence", "p", "cents"}

# Units of measure: surface (lower case) -> unit stored.
MEASURE_UNITS = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "mm": "mm",
    "mile": "mile", "miles": "mile", "ft": "ft", "foot": "ft", "feet": "ft", "inch": "inch",
    "inches": "inch", "yard": "yard", "yards": "yard", "kg": "kg", "kilogram": "kg",
    "kilograms": "kg", "kilo": "kg", "kilos": "kg", "g": "g", "grams": "g", "gram": "g",
    "tonne": "tonne", "tonnes": "tonne", "ton": "tonne", "tons": "tonne", "lb": "lb",
    "lbs": "lb", "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre",
    "gallon": "gallon", "gallons": "gallon", "barrel": "barrel", "barrels": "barrel",
    "mw": "MW", "megawatt": "MW", "megawatts": "MW", "gw": "GW", "gigawatt": "GW",
    "gigawatts": "GW", "kw": "kW", "kilowatt": "kW", "kilowatts": "kW", "gb": "GB",
    "gigabyte": "GB", "gigabytes": "GB", "mb": "MB", "megabyte": "MB", "megabytes": "MB",
    "tb": "TB", "terabyte": "TB", "terabytes": "TB", "kb": "kB", "ghz": "GHz", "mhz": "MHz",
    "acre": "acre", "acres": "acre", "hectare": "hectare", "hectares": "hectare",
    "megabit": "Mbit", "megabits": "Mbit", "kilobit": "kbit", "kilobits": "kbit",
    "gigabit": "Gbit", "gigabits": "Gbit",
    "degrees": "degree", "degree": "degree", "megapixel": "megapixel", "megapixels": "megapixel",
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "µg": "µg", "microgram": "µg",
    "micrograms": "µg", "ml": "ml", "millilitre": "ml", "millilitres": "ml", "milliliter": "ml",
    "milliliters": "ml", "cl": "cl", "dl": "dl", "l": "litre", "nm": "nm", "µm": "µm",
    "nanometre": "nm", "nanometres": "nm", "nanometer": "nm", "nanometers": "nm",
    "micron": "µm", "microns": "µm", "millimetre": "mm", "millimetres": "mm",
    "millimeter": "mm", "millimeters": "mm", "centimetre": "cm", "centimetres": "cm",
    "centimeter": "cm", "centimeters": "cm", "mi": "mile", "yd": "yard", "oz": "ounce",
    "ounce": "ounce", "ounces": "ounce", "pint": "pint", "pints": "pint", "quart": "quart",
    "quarts": "quart", "tablespoon": "tablespoon",
    "tablespoons": "tablespoon", "tbsp": "tablespoon", "teaspoon": "teaspoon",
    "teaspoons": "teaspoon", "tsp": "teaspoon", "pound-mass": "lb", "stone": "stone",
    "hz": "Hz", "hertz": "Hz", "khz": "kHz", "kilohertz": "kHz", "megahertz": "MHz",
    "gigahertz": "GHz", "hp": "hp", "horsepower": "hp", "bhp": "hp", "rpm": "rpm",
    "kwh": "kWh", "mwh": "MWh", "gwh": "GWh", "twh": "TWh", "volt": "V", "volts": "V",
    "kv": "kV", "watt": "W", "watts": "W", "amp": "A", "amps": "A",
    "ampere": "A", "amperes": "A", "mah": "mAh", "joule": "J", "joules": "J",
    "kj": "kJ", "cal": "cal", "kcal": "kcal", "calorie": "kcal", "calories": "kcal",
    "kelvin": "K", "mmhg": "mmHg", "psi": "psi", "kpa": "kPa",
    "db": "dB", "decibel": "dB", "decibels": "dB", "rad": "rad", "knot": "knot", "knots": "knot",
    "cc": "cc",
    "byte": "byte", "bytes": "byte", "kilobyte": "kB", "kilobytes": "kB",
    "petabyte": "PB", "petabytes": "PB", "exabyte": "EB", "exabytes": "EB",
    "dm": "dm", "decimetre": "dm", "decimetres": "dm", "km2": "km²", "gal": "gallon",
    "carat": "carat", "carats": "carat", "lightyear": "light year", "light-year": "light year",
    "light-years": "light year",
    "hectolitre": "hl", "hectolitres": "hl", "kilotonne": "kt", "kilotonnes": "kt",
    "megatonne": "Mt", "megatonnes": "Mt", "megaton": "Mt", "megatons": "Mt",
    "kibibyte": "KiB", "kibibytes": "KiB", "mebibyte": "MiB", "mebibytes": "MiB",
    "gibibyte": "GiB", "gibibytes": "GiB",
    # Symbols written glued to the digits ("3ha", "30t", "250W", "5mcg") and long units.
    "ha": "hectare", "t": "tonne", "w": "W", "v": "V", "mcg": "µg", "fathom": "fathom", "fathoms": "fathom",
    "furlong": "furlong", "furlongs": "furlong", "league": "league", "leagues": "league",
    "dram": "dram", "drams": "dram", "grain": "grain", "grains": "grain",
}
# Units of measure that "a" or "an" counts once ("a mile away", "an acre of land", "a quarter
# mile"): singular words written in full. "ton" and "pound" are left out ("a ton of fun", money
# or weight), and so are "degree" and "stone" (a university degree, a stone wall).
ARTICLE_UNITS = words(
    """
    mile kilometre kilometer metre centimetre centimeter millimetre millimeter gallon litre
    liter millilitre milliliter tonne kilogram kilo gram milligram ounce acre hectare pint quart
    gigabyte megabyte kilobyte terabyte byte kibibyte mebibyte gibibyte
    """
)
# ... and these only before a word of size or of ("a foot of snow", "an inch taller"), since
# "set foot", "give an inch", "a yard sale" and "a parking meter" are not measures.
ARTICLE_UNITS_SIZED = words("foot inch yard meter")
ARTICLE_SIZE_AFTER = re.compile(
    r"\s+(?:of|taller|shorter|higher|lower|deeper|longer|wider|thicker|long|wide|tall|high"
    r"|deep|thick|away|apart|closer|further|farther|more|less|across|below|above|from|short"
    r"|in\s+(?:length|height|depth|diameter))\b"
)

# Temperatures: "300 °C", "40 deg celsius", "90 fahrenheit", "-5 degree fahrenheit", "2.14degF".
TEMPERATURE_AFTER = re.compile(
    r"\s?(?:(?:°|º|˚|deg(?:rees?|s)?\.?)\s?(?P<letter>[CF])\b"
    r"|(?:(?:°|º|˚|deg(?:rees?)?\.?)\s?)?(?P<word>celsius|centigrade|fahrenheit|kelvin)\b"
    r"|(?P<sign>°|º)(?!\w))",
    re.IGNORECASE,
)
# Area and volume: "570 sq m", "3923sq m", "4 square kilometers", "4km^2", "4 km cubed",
# "24703m2", "10 sq ft", "1.5 cubic metres".
AREA_AFTER = re.compile(
    r"\s?(?:(sq\.?|square|cubic|cu\.?)[\s-]?(km|m|ft|mi|yd|cm|mm|in|kilomet(?:re|er)s?|"
    r"met(?:re|er)s?|feet|foot|miles?|yards?|inch(?:es)?|centimet(?:re|er)s?)\b"
    r"|(km|m|ft|mi|cm|mm)(?:\^?([23])|([²³]))(?![\w^])"
    r"|(km|m|ft|mi|cm|mm|kilomet(?:re|er)s?|met(?:re|er)s?|feet|miles?)\s+(squared|cubed)\b)",
    re.IGNORECASE,
)
# Speeds and data rates: kind "rate".
RATE_UNITS = {
    "mph": "mph", "km/h": "km/h", "kph": "km/h", "mbps": "Mbps", "kbps": "kbps", "gbps": "Gbps",
    "mb/s": "Mbps", "kb/s": "kbps", "bps": "bps",
    "m/s": "m/s", "km/s": "km/s", "ft/s": "ft/s", "mi/h": "mph", "km/hr": "km/h",
    "mpg": "mpg", "l/s": "l/s", "gal/min": "gal/min", "gpm": "gal/min",
}
TIME_UNITS = {
    "second": "second", "seconds": "second", "secs": "second", "sec": "second",
    "minute": "minute", "minutes": "minute", "mins": "minute", "min": "minute",
    "hour": "hour", "hours": "hour", "hrs": "hour", "day": "day", "days": "day",
    "night": "night", "nights": "night",
    "millisecond": "millisecond", "milliseconds": "millisecond", "ms": "millisecond",
    "microsecond": "microsecond", "microseconds": "microsecond", "nanosecond": "nanosecond",
    "nanoseconds": "nanosecond",
    "week": "week", "weeks": "week", "fortnight": "fortnight", "fortnights": "fortnight",
    "month": "month", "months": "month", "year": "year", "years": "year", "decade": "decade",
    "decades": "decade", "century": "century", "centuries": "century", "season": "season",
    "seasons": "season",
}

# Hedge phrases (lower case) -> normalised hedge. Checked longest first.
HEDGES = {
    "an estimated": "estimated", "estimated": "estimated", "estimated at": "estimated",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "circa": "about", "c.": "about", "or so": "about",
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "a minimum of": "at least", "or more": "at least",
    "more than": "more than", "over": "more than", "above": "more than",
    "in excess of": "more than", "upwards of": "more than", "better than": "more than",
    "just over": "more than", "exceeding": "more than", "greater than": "more than",
    "higher than": "more than", "larger than": "more than", "bigger than": "more than",
    "exceed": "more than", "exceeds": "more than", "exceeded": "more than",
    "surpassing": "more than", "north of": "more than",
    "lower than": "fewer than", "smaller than": "fewer than", "not more than": "up to",
    "no greater than": "up to", "not exceeding": "up to",
    "fewer than": "fewer than", "less than": "fewer than", "under": "fewer than",
    "below": "fewer than",
    "up to": "up to", "as many as": "up to", "as much as": "up to", "at most": "up to",
    "a maximum of": "up to", "no more than": "up to",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "approaching": "nearly", "just shy of": "nearly",
}
HEDGE_SET = tuple(sorted(set(HEDGES.values())))

# Event triggers: regex alternatives -> event label (GDELT-like, lower case).
EVENT_TRIGGERS = {
    "arrest": r"arrest\w*|detain\w*|detention|jail\w*|imprison\w*|in custody|locked up"
              r"|(?:were|was|been|being|are|is) held|behind bars|captured",
    "kill": r"killed|killing|kills|dead|died|dies|deaths?|death toll|murdered|executed"
            r"|lost their lives|perished|slain|massacred",
    "wound": r"wounded|injured|injuries|hurt|maimed",
    "refuse": r"refus\w*|declined|deserted|desert",
    "protest": r"protest\w*|demonstrat\w*|rallied|marched|picket\w*",
    "displace": r"displaced|fled|flee|fleeing|homeless|refugees|relocated|made homeless",
    "kidnap": r"kidnap\w*|abduct\w*|taken hostage|held hostage|hostages",
    "seize": r"seized|confiscated|impounded",
    "affect": r"affected",
    "evacuate": r"evacuat\w*",
    "missing": r"missing|unaccounted for",
    "strike": r"on strike|strik(?:e|es|ing)|walk(?:ed)? out|walkout",
    "layoff": r"redundan\w*|laid off|lay off|layoffs?|(?:cut|cuts|cutting|shed|shedding|axe"
              r"|axed|axing|lose|losing|lost|loss of|losses of)",
}
EVENT_RE = {
    name: re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE)
    for name, pattern in EVENT_TRIGGERS.items()
}
# Any trigger at all: most windows hold none, and one search rules them all out.
ANY_EVENT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?:{p})" for p in EVENT_TRIGGERS.values()) + r")\b", re.IGNORECASE)
# Job cuts only count as an event when the counted thing is work.
WORK_NOUNS = words("job post position worker employee staff reporter journalist role personnel")

# Words that end the phrase naming what a number counts.
OBJECT_STOP = words(
    """
    a an the this that these those who whom whose which what where when while whereas if
    of in on at to from by for with without than as about into onto over under after before
    since until during between among against per via through across around upon within
    and or but nor so yet because although though
    is are was were be been being am have has had having do does did will would shall should
    can could may might must ought get got gets
    said says say told tell made make makes took take takes went go goes came come comes gave
    give gets left leave won win lost lose fell fall rose rise grew grow saw see began begin
    held hold kept keep ran run paid pay sold sell bought buy met meet became become found find
    brought bring thought think felt feel spent spend sent send led lead fled flee hit put set
    cut quit stood stand used use want wanted need needed remain remains remained face faces
    faced expect expects risk risks
    it its it's he she they them their there here his her him we us our you your i me my
    each every all both either neither most least others another such same
    only just also even still already now then too very much many few several some any no not
    year-on-year a-year a-day ago earlier later last next this
    out off
    overnight today yesterday tomorrow tonight again together abroad home away apiece instead
    """
)
# Words that can sit in the phrase but are not a head noun.
NOT_HEADS = words(
    """
    more other less further extra additional new old times percent per cent pct major top
    big small large key such different separate successive consecutive straight
    """
)
IRREGULAR_SINGULARS = {
    "people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "police": "police", "staff": "staff",
    "personnel": "personnel", "data": "data", "media": "media", "sheep": "sheep",
    "fish": "fish", "series": "series", "species": "species", "aircraft": "aircraft",
    "crises": "crisis", "analyses": "analysis", "indices": "index", "criteria": "criterion",
    "lives": "life", "wives": "wife", "knives": "knife", "halves": "half", "thieves": "thief",
    "news": "news", "cattle": "cattle", "troops": "troop",
}

# Capitalised words that put a following small number inside a name ("Radio 4", "Chapter 11").
NAME_PREFIXES = words(
    """
    radio channel chapter article section formula windows version apollo room flight route
    highway interstate level grade category division series phase gate terminal platform
    number no bbc itv abc fox open ftse dow nasdaq world episode volume vol page
    """
)
# Capitalised words after which a number is still a figure ("In 2004", "Some 140 soldiers").
CAPITAL_FUNCTION_WORDS = words(
    """
    in on at by for from since to of the about around over under some only nearly almost just
    and but or with after before until between last top all its his her their our your my this
    that these those another every each more than up down during within while when if as aged
    age a an another spring summer autumn winter christmas easter mid early late than beat won
    lost drew led trailed scored
    """
)
