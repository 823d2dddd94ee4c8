"""Quantities: numbers with their qualifier, what they count or measure, and its scope.

A quantity is found from the tokens of a spaCy doc: digits ("2,500", "1.2",
"5bn"), number words ("eight", "two dozen", "a dozen", "1.2 million") and vague
counts ("several", "dozens of", "a handful of"). Around it, short word patterns give
the qualifier ("approximately" -> ``~``, "more than" -> ``>``, "at least" -> ``>=``),
ranges ("between 20 and 30", "20-30") and the kind (percent, money, measure); the
dependency parse gives the noun counted (``unit``) and the prepositional phrases that
restrict it (``scope``: "in the north", "since March 3").

Not quantities: dates, clock times and years; ordinals ("66th", "first"); identifiers,
model names and phone numbers ("F-16", "MiG-29", "555-0100"); numbers inside names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.analyze.sentences import sentence_at, split_sentences
from accord.models import Quantity, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_quantities", "parse_number", "quantities_per_line"]

log = logging.getLogger(__name__)

_FRACTIONS = {
    "half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4,
    "quarters": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5, "tenth": 1 / 10, "tenths": 1 / 10,
    "fourth": 1 / 4, "fourths": 1 / 4, "sixth": 1 / 6, "sixths": 1 / 6, "eighth": 1 / 8, "eighths": 1 / 8,
}
# Number words by hand: number-parser rewrites "the first time" to "the 1 time" and
# word2number adds separate numbers together ("one fighter ... three others" -> 4);
# we only need the value of one already delimited phrase.
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_FRACTION_STARTS = frozenset({"a", "one", "half", "two", "three", "four", "five", "six", "seven", "eight", "nine"})
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "dozen": 12,
    # South Asian scales, common in Indian and Pakistani news ("Rs 500 crore").
    "lakh": 100_000, "lakhs": 100_000, "crore": 10_000_000, "crores": 10_000_000,
}
# Abbreviated scales written after a number ("$5bn", "2.7m", "10k").
_SUFFIX_SCALES = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "b": 1_000_000_000,
    "bn": 1_000_000_000, "bln": 1_000_000_000, "tn": 1_000_000_000_000, "mil": 1_000_000,
}
# Digits as written in news, with what can be glued to them: a sign ("+0.2"), a currency
# ("US55,931,000" after "$", "PS2.7" and "Y=28,030", ASCII renderings of "£" and "¥"),
# and a scale or unit suffix ("5bn", "640bhp", "118.5p"); Indian grouping too ("2,50,000").
_DIGITS = re.compile(
    r"^(?P<approx>[~\u2248])?(?P<sign>[+\-\u2212]?)(?P<cur>US|A|C|NZ|HK|PS|Y=|RM|Rs\.?|[A-Z]{3}(?=\d))?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+|(?=\.\d))(?P<dec>\.\d+)?(?P<frac>[\u00bd\u00bc\u00be\u2153\u2154])?(?P<suffix>[a-zA-Z\u00b5\u03bc/\u00b0\u2033\u2032]{1,4})?(?:(?<=[a-zA-Z])\.)?$"
)
_SIGNED_WORD = re.compile(r"^(minus|negative)-(\d[\d,.]*)$")
# Country prefixes written apart before a currency sign ("US $5", "A $3").
_CURRENCY_COUNTRIES = frozenset({"US", "U.S.", "A", "C", "NZ", "HK", "S", "AU", "CA"})
_VULGAR_FRACTIONS = {"\u00bd": 0.5, "\u00bc": 0.25, "\u00be": 0.75, "\u2153": 1 / 3, "\u2154": 2 / 3}
_GLUED_CURRENCIES = {
    "US": "USD", "A": "AUD", "C": "CAD", "NZ": "NZD", "HK": "HKD", "PS": "GBP", "Y=": "JPY", "RM": "MYR",
    "Rs": "INR", "Rs.": "INR",
}
# ISO 4217 codes written against the digits ("EUR50m", "AUD1.5m"): the common ones in news.
_ISO_CURRENCIES = frozenset(
    "USD EUR GBP JPY CNY RMB CHF CAD AUD NZD HKD SGD INR PKR MYR ZAR BRL MXN RUB KRW SEK NOK DKK "
    "TRY ILS AED SAR EGP NGN KES PHP IDR THB TWD".split()
)

# Qualifier phrases before a number, longest first when matched.
_QUALIFIERS_BEFORE = {
    "approximately": "~", "approx.": "~", "about": "~", "around": "~", "roughly": "~",
    "some": "~", "nearly": "~", "almost": "~", "circa": "~", "estimated": "~",
    "an estimated": "~", "close to": "~", "an average of": "=", "on average": "=",
    "more than": ">", "over": ">", "above": ">", "greater than": ">", "upwards of": ">",
    "upward of": ">", "in excess of": ">", "exceeding": ">", "just over": ">",
    "well over": ">", "more than about": ">", "over than": ">",
    "less than": "<", "fewer than": "<", "under": "<", "below": "<", "just under": "<",
    "just below": "<", "shy of": "<", "not quite": "<",
    "at least": ">=", "no fewer than": ">=", "no less than": ">=", "a minimum of": ">=",
    "as few as": ">=", "not less than": ">=",
    "at most": "<=", "up to": "<=", "no more than": "<=", "not more than": "<=",
    # "as many as 20" reads as "up to 20" when sources are compared: a bound, not a figure.
    # (NewsQuant labels it "=", which costs a little on that benchmark.)
    "as many as": "<=", "as much as": "<=", "a maximum of": "<=", "a max of": "<=",
    "as high as": "<=", "as low as": ">=", "as little as": ">=", "north of": ">", "south of": "<",
    "est.": "~", "approaching": "~", "approx": "~", "more like": "~", "in the region of": "~",
    "in the neighborhood of": "~", "in the neighbourhood of": "~", "on the order of": "~",
    "something like": "~", "better than": ">", "short of": "<", "beyond": ">",
    # Symbols written before digits ("~20", ">50", "≈ 3").
    "~": "~", "\u2248": "~", ">": ">", "<": "<", "\u2265": ">=", "\u2264": "<=", "c.": "~",
    "exactly": "=", "precisely": "=", "only": "=", "just": "=",
    # A verb of averaging approximates ("averaged 7.3 points"); "an average of 70 days"
    # states the figure of a statistic exactly.
    "average": "~", "averaged": "~", "averaging": "~", "average of": "=",
    "under the age of": "<", "below the age of": "<", "over the age of": ">", "above the age of": ">",
}
_QUALIFIERS_AFTER = {
    "or more": ">=", "or so": "~", "or fewer": "<=", "or less": "<=", "plus": ">", "+": ">", "-plus": ">",
    "or thereabouts": "~", "or higher": ">=", "or above": ">=", "or over": ">=", "or greater": ">=",
    "or lower": "<=", "or below": "<=", "or under": "<=", "and up": ">=", "and over": ">=",
    "and above": ">=", "or older": ">=", "and older": ">=", "or longer": ">=", "or younger": "<=",
    "-odd": "~", "odd": "~", "-some": "~", "-ish": "~",
}
_MAX_QUALIFIER_WORDS = 4
# Comparatives before "than" that put the amount below the number; every other one puts it above.
_LESSER_COMPARATIVES = frozenset(
    "less fewer lower smaller shorter younger cheaper lighter narrower slower thinner weaker earlier".split()
)
# Degree words that may precede any qualifier without changing its sense, longest first.
_INTENSIFIERS = tuple(
    tuple(w.split())
    for w in ("a little", "a bit", "a touch", "slightly", "just", "well", "far", "much", "barely", "somewhat", "only", "considerably", "significantly", "substantially")
)

# Vague counts, kept as words. Plural scales ("dozens", "hundreds") count with "of".
_VAGUE_BEFORE_NOUN = {"several", "multiple", "numerous", "countless"}
_VAGUE_PHRASES = (
    "a handful of", "a number of", "a few", "a couple of", "scores of", "a dozen or so",
    "tens of thousands of", "hundreds of thousands of", "tens of millions of",
    "hundreds of millions of", "dozens of", "hundreds of", "thousands of", "millions of",
    "billions of",
)
# Words that start a new phrase after a number rather than describe what it counts.
_NEW_PHRASE = frozenset({"last", "next", "this", "that", "each", "every", "per", "a", "an", "ago", "earlier", "later"})
_PERSON_NOUNS = frozenset(
    "man woman boy girl victim suspect driver resident mother father son daughter wife husband "
    "child teenager officer soldier worker student patient pilot passenger actor actress singer "
    "player star model writer author artist rapper musician coach guard inmate".split()
)
# Verbs of change: "rose $3.50 to $215.40" goes from one value to another, not a range.
_CHANGE_VERBS = frozenset(
    "rise rose fall fell jump climb increase decrease gain lose drop decline add surge soar slip slide "
    "sink plunge plummet tumble grow shrink edge raise cut lower boost reduce widen narrow".split()
)
# Verbs that take "from X to Y" as one change, beyond the verbs of rising and falling.
_FROM_TO_VERBS = _CHANGE_VERBS | frozenset(
    "ease slow dip slump rebound recover improve shed trim double triple halve lift hike expand contract "
    "go move swing spike leap advance retreat rally sag revise change shift upgrade downgrade bump".split()
)
# Adjectives that stand for people after a count ("12 dead", "40 missing").
_PEOPLE_ADJECTIVES = frozenset({"dead", "missing", "homeless", "unemployed", "injured", "wounded", "hurt", "displaced"})
# Words that take part of a set named by "of": "most of the injuries".
_PARTITIVES = frozenset("most many some all none few several each both majority half rest remainder".split())
_VAGUE_SINGLE = {"dozens", "hundreds", "thousands", "millions", "billions", "scores"}
_VAGUE_TRIGGERS = frozenset({p.split()[0] for p in _VAGUE_PHRASES} | _VAGUE_SINGLE | _VAGUE_BEFORE_NOUN | {"some"})

_PERCENT_WORDS = {"%", "percent", "per cent", "pct", "pc", "percentage points", "percentage point", "per-cent"}
_CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "a$": "AUD", "aud": "AUD",
    "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "chf": "CHF", "nz$": "NZD", "hk$": "HKD",
    "rm": "MYR", "myr": "MYR", "s$": "SGD", "sgd": "SGD", "rmb": "CNY", "cny": "CNY", "zar": "ZAR",
    "ps": "GBP", "₽": "RUB", "₩": "KRW", "r$": "BRL",
}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "francs": "CHF",
    "pesos": "MXN", "rubles": "RUB", "roubles": "RUB", "shekels": "ILS", "rand": "ZAR",
    "won": "KRW", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "cents": "cents",
    "crowns": "DKK", "kroner": "DKK", "krona": "SEK", "kronor": "SEK", "lira": "TRY", "dinars": "IQD",
}
# Nationality words before a currency word that change which currency it is.
_CURRENCY_NATIONS: dict[str, dict[str, str]] = {
    "canadian": {"dollar": "CAD", "dollars": "CAD"}, "australian": {"dollar": "AUD", "dollars": "AUD"},
    "singapore": {"dollar": "SGD", "dollars": "SGD"}, "taiwan": {"dollar": "TWD", "dollars": "TWD"},
    "zealand": {"dollar": "NZD", "dollars": "NZD"}, "kong": {"dollar": "HKD", "dollars": "HKD"},
    "us": {}, "u.s.": {}, "american": {}, "swiss": {"francs": "CHF"}, "danish": {"crowns": "DKK", "kroner": "DKK"},
    "swedish": {"crowns": "SEK", "kronor": "SEK"}, "norwegian": {"crowns": "NOK", "kroner": "NOK"},
    "egyptian": {"pounds": "EGP"}, "mexican": {"pesos": "MXN"}, "argentine": {"pesos": "ARS"},
    "philippine": {"pesos": "PHP"}, "indian": {"rupees": "INR"}, "pakistani": {"rupees": "PKR"},
    "japanese": {}, "chinese": {}, "south": {}, "russian": {}, "turkish": {}, "brazilian": {},
}
# Units of measure (lower case as written). A small table: what matters here is telling
# a measure from a count; the unit is kept as written.
_MEASURE_UNITS = frozenset(
    """km kms kilometer kilometers kilometre kilometres meter meters metre metres mile miles
    foot feet ft inch inches yard yards cm mm centimeters centimetres millimeters millimetres
    nautical kg kgs kilogram kilograms kilo kilos gram grams mg lb lbs ton tons tonne tonnes
    ounce ounces oz liter liters litre litres gallon gallons barrel barrels bpd ml acre acres
    hectare hectares sq square cubic mph kph km/h knots knot degree degrees °c °f celsius
    fahrenheit \u00b0 mw megawatts megawatt gw gigawatts kw kilowatts kwh mwh gwh w watt watts volts
    v gb mb tb gigabytes megabytes terabytes mbps gbps hz mhz ghz calories decibels db
    second seconds minute minutes hour hours day days week weeks month months year years
    decade decades century centuries millennia μm rpm bhp hp mah mpg l kb bps
    mp megapixel megapixels nits fps nm nanometer nanometers nanometre nanometres ms
    millisecond milliseconds microsecond microseconds ppm psi cc wh mw kv pb petabytes
    megatons megatonnes kilotons kilotonnes micron microns carat carats pint pints
    quart quarts stone mph khz deg degf degc fold magnitude caliber calibre""".split()
) | {"\u2033", "\u2032"}  # inch and foot marks ("25.5\u2033", "6\u2032")
_TEMPERATURES = {
    "c": "\u00b0C", "f": "\u00b0F", "\u00b0c": "\u00b0C", "\u00b0f": "\u00b0F", "\u00b0": "\u00b0",
    # "deg" is how "°" comes out of ASCII feeds ("2.14degF", "1.19deg C").
    "degc": "\u00b0C", "degf": "\u00b0F", "deg": "\u00b0",
}
_DURATION_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "decade decades century centuries".split()
)
_MONTHS = frozenset(
    "jan jan. january feb feb. february mar mar. march apr apr. april may jun jun. june jul "
    "jul. july aug aug. august sep sep. sept sept. september oct oct. october nov nov. "
    "november dec dec. december".split()
)
# Entity labels whose numbers are part of a name or a date, not a quantity.
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "GPE", "LOC", "NORP", "LANGUAGE"}
)
_TIME_LABELS = frozenset({"DATE", "TIME"})
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun".split())
_DECADE_WORDS = frozenset("twenties thirties forties fifties sixties seventies eighties nineties".split())
_CLOCK_WORDS = frozenset("a.m. p.m. am pm gmt utc et est edt bst cet o'clock hrs".split())
# Prepositions that restrict what a count covers (place, time, cause).
_SCOPE_PREPS = frozenset(
    "since in at during from across throughout near within inside outside after before "
    "until till on over amid following against among between into along off".split()
)
_YEAR_PREPS = _SCOPE_PREPS | {"by", "of", "to", "through", "around", "circa"}
_NOUN_PREPS = _SCOPE_PREPS | {"of", "per", "for", "to", "with"}
_MAX_SCOPE_TOKENS = 10
_RANGE_LINKS = {"-", "–", "—", "to", "or", "and"}
# Stock indexes and ranked lists named with a number ("S&P 500", "FTSE 100", "Fortune 500").
_INDEX_WORDS = frozenset(
    "s&p sp nasdaq ftse stoxx russell nikkei cac dax asx tsx ibex aex smi kospi nifty sensex seng dow fortune msci".split()
)
# "10-fold", "sixfold": how many times over.
_FOLD_WORD = re.compile(r"^(?P<count>[a-z]+?)-?fold$")
# "1.99\u00d710\u221230": scientific notation whose exponent lost its superscript.
_SCIENTIFIC = re.compile(r"^(?P<mantissa>\d+(?:\.\d+)?)[\u00d7x\*]10(?:\^|\*\*)?(?P<sign>[\-\u2212+]?)(?P<exponent>\d{1,3})$")
# A number before a suspended hyphen: the "7-" of "7- or 8-inch".
_SUSPENDED = re.compile(r"^(?P<core>\d+(?:\.\d+)?)-$")
_IDENTIFIER_CUES = {"no.", "no", "#", "number", "model", "nos.", "route", "flight", "room", "page", "p.", "pp.", "article", "section", "chapter", "box", "suite", "apt.", "unit", "gate", "platform", "channel", "version", "v."}


@dataclass(slots=True)
class _Number:
    """A number phrase found in the doc: token range and value (str when vague)."""

    start: int  # first token index of the number itself
    end: int  # one past its last token
    value: float | str
    upper: float | None = None
    vague: bool = False
    qualifier: str = "="
    qual_start: int | None = None  # first token of the qualifier / currency before it
    unit_token: int | None = None
    unit: str | None = None
    kind: str = "count"
    span_end: int | None = None  # one past the last token of the quantity's text
    previous: float | None = None  # the value it changed from ("from 80 to 62")


# --------------------------------------------------------------------------- public API


def extract_quantities(doc: Doc, sentences: Sequence[Sentence]) -> tuple[Quantity, ...]:
    """Return the quantities mentioned in ``doc``, in text order.

    Args:
        doc: the spaCy doc of the article's cleaned text.
        sentences: the sentences of the same text (see :func:`split_sentences`).
    """
    sentences = tuple(sentences)
    numbers = _find_numbers(doc)
    for number in numbers:
        _classify(doc, number)
    numbers = _merge_ranges(doc, numbers)
    _share_qualifiers(doc, numbers)
    starts = [number.start for number in numbers]
    quantities: list[Quantity] = []
    previous: _Number | None = None
    previous_sentence = -2
    carried: dict[int, int] = {}  # sentence -> how many sentences back its "since" period was written
    for number in numbers:
        sentence = sentence_at(sentences, doc[number.start].idx)
        elided = False
        if number.unit is None and number.kind == "count":
            # An elided count ("12 in Carrow and 9 in Dunmere") counts what the count before it counts.
            inherit = previous if previous is not None and previous_sentence in (sentence, sentence - 1) else None
            if inherit is not None and inherit.kind == "count" and inherit.unit:
                number.unit = inherit.unit
                elided = True
            elif number.unit_token is not None and doc[number.unit_token].lower_ == "times":
                number.unit = "times"
            elif number.unit_token is None and sentence >= 0:
                number.unit = _antecedent_unit(doc, number, sentences[sentence].start)
        scope = _scope(doc, number, sentence=sentences[sentence] if sentence >= 0 else None, others=starts, elided=elided)
        if sentence > 0 and number.unit and number.kind == "count" and carried.get(sentence - 1, _MAX_CARRY) < _MAX_CARRY:
            inherited = _with_running_period(scope, sentences[sentence].text, [q for q in quantities if q.sentence == sentence - 1])
            if inherited != scope:
                scope = inherited
                carried[sentence] = carried[sentence - 1] + 1
        if scope and _SINCE_PHRASE.search(scope) and sentence not in carried:
            carried[sentence] = 0
        quantity = _to_quantity(doc, number, sentence, scope)
        if quantity is not None:
            quantities.append(quantity)
            if number.unit:
                previous, previous_sentence = number, sentence
    return tuple(quantities)


_MAX_CARRY = 2  # a running period reaches two sentences past the one that opens it
_SINCE_PHRASE = re.compile(r"\b[Ss]ince\b.*?(?=\s+(?:in|at|on|across|amid|during|near|from|after|before)\b|$)")


def _with_running_period(scope: str | None, sentence: str, before: Sequence[Quantity]) -> str | None:
    """Give a count the "since ..." period of the sentence before when it has no period of its own.

    A tally opened with "Since March 3, crews have answered 40 calls." runs on into the next
    sentence: "They have treated 12 burns." counts burns since March 3 too.
    """
    if re.search(r"\b[Ss]ince\b", sentence):
        return scope
    for quantity in before:
        match = _SINCE_PHRASE.search(quantity.scope or "")
        if match is not None:
            return f"{match.group(0)} {scope}" if scope else match.group(0)
    return scope


def _antecedent_unit(doc: Doc, number: _Number, sentence_start: int) -> str | None:
    """What a bare count standing for a noun phrase counts, when the sentence says it; else None.

    "Most of the injuries were minor, though more than 20 have involved brain injuries":
    the count is the subject of a clause and (1) its verb's object repeats a plural noun
    written earlier in the sentence, or (2) an earlier partitive ("most of the injuries",
    "of the boats") names the set it is taken from. Anything less leaves no unit: no
    unit is better than a wrong one.
    """
    head = next((t for t in doc[number.start:number.end] if not number.start <= t.head.i < number.end or t.head.i == t.i), None)
    if head is None or head.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    earlier = [
        t for t in doc[:number.qual_start if number.qual_start is not None else number.start]
        if t.idx >= sentence_start and t.pos_ == "NOUN" and t.tag_ == "NNS"
    ]
    if not earlier:
        return None
    lemmas = {t.lemma_.lower() for t in earlier}
    for child in head.head.children:
        if child.dep_ in {"dobj", "attr"} and child.pos_ == "NOUN" and child.tag_ == "NNS" and child.lemma_.lower() in lemmas:
            return child.text.lower()
    for noun in reversed(earlier):
        of = noun.head
        if noun.dep_ == "pobj" and of.lower_ == "of" and (of.head.lower_ in _PARTITIVES or of.i == of.head.i or of.head.i > number.start):
            return noun.text.lower()
    return None


def _share_qualifiers(doc: Doc, numbers: Sequence[_Number]) -> None:
    """A conversion in brackets says the same amount: "more than 7.5m crowns ($1.1m)" is ">" twice."""
    for first, second in zip(numbers, numbers[1:]):
        opening = second.qual_start if second.qual_start is not None else second.start
        if opening > 1 and doc[opening - 1].text in _CURRENCY_COUNTRIES:
            opening -= 1  # "(US $1.1 million)"
        if second.qualifier != "=" or first.qualifier == "=" or first.kind != second.kind or second.upper is not None:
            continue
        if opening > 0 and doc[opening - 1].text == "(" and opening - 1 == max(first.end, first.span_end or 0):
            second.qualifier = first.qualifier


def quantities_per_line(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Extract the quantities of each input line; yield one JSON-ready dict per line.

    Each dict is ``{"quantities": [{"text", "value", "qualifier", "upper", "unit",
    "scope", "kind", "previous", "start", "end"}, ...]}`` with offsets into the line. A line that
    cannot be analysed yields ``{"quantities": [], "error": reason}``.
    """
    from accord.analyze.nlp import get_nlp

    nlp = get_nlp()
    batch: list[str] = []

    def flush() -> Iterator[dict[str, Any]]:
        for text, doc in zip(batch, nlp.pipe(batch, batch_size=64), strict=True):
            yield _line_result(text, doc)
        batch.clear()

    for line in lines:
        batch.append(line)
        if len(batch) >= 64:
            yield from flush()
    yield from flush()


def parse_number(words: Sequence[str]) -> float | None:
    """Value of a number phrase given as its words ("two dozen", "1.2 million", "2,500").

    Returns None when the words are not a number.
    """
    total = 0.0
    current: float | None = None
    seen = False
    for raw in words:
        word = raw.lower().strip()
        if word in {"-", "and", "a", "an"}:
            if word in {"a", "an"} and current is None:
                current = 1.0
            continue
        if word.rstrip(".") in _SUFFIX_SCALES and seen and current is not None:
            word = word.rstrip(".")
            current *= _SUFFIX_SCALES[word]  # "2.7 m" written apart by the tokenizer
            continue
        digits = _digits(raw)
        if digits is not None:
            current = (current or 0.0) + digits[0] if seen else digits[0]
            seen = True
        elif word in _UNITS:
            current = (current or 0.0) + _UNITS[word] if seen else float(_UNITS[word])
            seen = True
        elif word in _SCALES:
            scale = _SCALES[word]
            base = current if current is not None else 1.0
            if scale >= 1000:
                total += base * scale
                current = None
            else:
                current = base * scale
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + (current or 0.0)


def _digits(text: str) -> tuple[float, str | None, str | None] | None:
    """(value, glued currency, glued suffix) of a digits token, or None.

    A scale suffix is applied to the value ("5bn" -> 5e9) and still returned, so that
    a bare "37m" can be read as metres when nothing says it is money.
    """
    match = _DIGITS.match(text)
    if match is None or not (match.group("int") or match.group("dec")):
        return None
    value = float((match.group("int").replace(",", "") or "0") + (match.group("dec") or ""))
    if match.group("frac"):
        value += _VULGAR_FRACTIONS[match.group("frac")]  # "2\u00bd"
    suffix = (match.group("suffix") or "").lower() or None
    if suffix is not None:
        if suffix in _SUFFIX_SCALES:
            value *= _SUFFIX_SCALES[suffix]
        elif suffix not in _MEASURE_UNITS and suffix not in {"p", "pc", "pct", "pp", "x", "c", "f", "\u00b0"}:
            return None  # "5G" is a network generation, not five grams
    if match.group("sign") in {"-", "\u2212"}:
        value = -value
    code = match.group("cur") or ""
    if len(code) == 3 and code.isalpha() and code not in _ISO_CURRENCIES:
        return None  # "ABC123": an identifier, not an amount
    currency = "CNY" if code == "RMB" else code if code in _ISO_CURRENCIES else _GLUED_CURRENCIES.get(code)
    return value, currency, suffix


# --------------------------------------------------------------------------- finding numbers


def _is_number_token(token: Token) -> bool:
    lower = token.lower_
    if lower in _UNITS or lower in _SCALES:
        return True
    return _digits(token.text) is not None


def _find_numbers(doc: Doc) -> list[_Number]:
    numbers: list[_Number] = []
    i = 0
    n = len(doc)
    while i < n:
        token = doc[i]
        found = _match_vague(doc, i) or _match_fraction(doc, i)
        if found is not None:
            numbers.append(found)
            i = found.end
            continue
        signed = _SIGNED_WORD.match(token.lower_)
        if signed is not None and _digits(signed.group(2)) is not None and not _is_date(doc, i, i + 1):
            value = _digits(signed.group(2))[0]  # type: ignore[index]
            numbers.append(_Number(start=i, end=i + 1, value=-value))  # "minus-130", one token
            i += 1
            continue
        special = _special_number(doc, i)
        if special is not None:
            numbers.append(special)
            i += 1
            continue
        glued = _glued_number(token)
        if glued is not None and not _is_date(doc, i, i + 1):
            value, unit = glued
            kind = "measure" if unit is not None else "count"
            numbers.append(_Number(start=i, end=i + 1, value=value, unit=unit, kind=kind))  # "now-18", "121ft)-long"
            i += 1
            continue
        if not _is_number_token(token) or token.lower_ == "dozen" and (i == 0 or not (doc[i - 1].lower_ in {"a", "an"} or _is_number_token(doc[i - 1]))):
            i += 1
            continue
        end = _number_end(doc, i)
        words = [t.text for t in doc[i:end]]
        start = i
        if i > 0 and doc[i - 1].lower_ in {"a", "an"} and doc[i].lower_ in _SCALES:
            start = i - 1  # "a dozen", "a million"
            words = ["a", *words]
        value = parse_number(words)
        if value is None or not _is_quantity(doc, i, end):
            i = end
            continue
        value, end = _fraction_tail(doc, end, value)
        number = _Number(start=start, end=end, value=value)
        if start > 0 and doc[start - 1].lower_ in {"minus", "negative"}:
            number.value, number.qual_start = -value, start - 1  # "minus 20 degrees"
        elif start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "minus":
            number.value, number.qual_start = -value, start - 2  # "minus-15"
        _attach_range(doc, number)
        numbers.append(number)
        i = number.end
    return numbers


def _special_number(doc: Doc, i: int) -> _Number | None:
    """A number written in one token the digits pattern does not read, or None.

    "sub-300" (below 300), "sixfold", "1.99\u00d710\u221230", "1/2" before a unit, and the "7-" of "7- or 8-inch".
    """
    token = doc[i]
    lower = token.lower_
    if lower.startswith("sub-") and _digits(token.text[4:]) is not None:
        value, currency, _ = _digits(token.text[4:])  # type: ignore[misc]
        number = _Number(start=i, end=i + 1, value=value, qualifier="<", qual_start=i)
        if currency is not None:
            number.kind, number.unit = "money", currency
        return number
    if lower.startswith("magnitude-") and _digits(lower[10:]) is not None:
        return _Number(start=i, end=i + 1, value=_digits(lower[10:])[0], kind="measure", unit="magnitude")  # type: ignore[index]
    fold = _FOLD_WORD.match(lower)
    if fold is not None and fold.group("count") in _UNITS:
        return _Number(start=i, end=i + 1, value=float(_UNITS[fold.group("count")]), kind="measure", unit="fold")
    scientific = _SCIENTIFIC.match(token.text)
    if scientific is not None:
        exponent = int(scientific.group("exponent")) * (-1 if scientific.group("sign") in {"-", "\u2212"} else 1)
        return _Number(start=i, end=i + 1, value=float(scientific.group("mantissa")) * 10.0**exponent)
    fraction = _SIMPLE_FRACTION.match(token.text)
    if fraction is not None and int(fraction.group(1)) < int(fraction.group(2)) and (
        _measure_follows(doc, i + 1) or i + 1 < len(doc) and doc[i + 1].lower_ in {"of", "pound", "pounds", "cup", "cups"}
    ):
        return _Number(start=i, end=i + 1, value=int(fraction.group(1)) / int(fraction.group(2)))  # "1/2 pound"
    suspended = _SUSPENDED.match(token.text)
    if suspended is not None and i + 4 < len(doc) and doc[i + 1].lower_ in {"or", "to", "and"}:
        # "7- or 8-inch": the unit is written once, after the second number.
        later, hyphen, unit = doc[i + 2], doc[i + 3], doc[i + 4]
        if _digits(later.text) is not None and hyphen.text == "-" and _plain_lower(unit) in _MEASURE_UNITS - _DURATION_UNITS:
            return _Number(start=i, end=i + 1, value=float(suspended.group("core")), kind="measure", unit=unit.lower_)
    return None


# A number the tokenizer left glued to a lower-case word before it or to a closing bracket
# and a word after it ("now-18", "121ft)-long").
_GLUED_NUMBER = re.compile(r"^(?:[a-z]{3,}-)?(?P<core>[^\s()\[\]-][^\s()\[\]]*?)(?:[)\]]+(?:-[a-z]+)?)?$")


def _glued_number(token: Token) -> tuple[float, str | None] | None:
    """(value, unit glued to it) of a number token carrying punctuation or a word the digits pattern refuses."""
    numeric = token.like_num or token.pos_ == "NUM" or token.ent_type_ in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
    if not numeric or not any(c.isdigit() for c in token.text) or _digits(token.text) is not None:
        return None
    match = _GLUED_NUMBER.match(token.text)
    if match is None or match.group("core") == token.text:
        return None
    core = match.group("core")
    digits = _digits(core)
    if digits is None or re.fullmatch(r"(1[89]|2[01])\d\d", core):
        return None  # "mid-2020" is a year
    unit = digits[2] if digits[2] in _MEASURE_UNITS else None
    return digits[0], _TEMPERATURES.get(unit, unit) if unit else None


_SIMPLE_FRACTION = re.compile(r"^([1-9])/([2-9]|1[0-6])$")


def _fraction_tail(doc: Doc, end: int, value: float) -> tuple[float, int]:
    """Add a fraction written after a whole number: "two and a half (million)", "3 1/2"; (value, new end)."""
    n = len(doc)
    last = doc[end - 1]
    if not value.is_integer() or value < 0:
        return value, end
    words = [t.lower_ for t in doc[end:end + 3]]
    if len(words) == 3 and words[:2] == ["and", "a"] and words[2] in {"half", "quarter"}:
        total, new_end = value + _FRACTIONS[words[2]], end + 3
        if new_end < n and _SCALES.get(doc[new_end].lower_, 0) >= 1000 and last.lower_ not in _SCALES:
            total, new_end = total * _SCALES[doc[new_end].lower_], new_end + 1  # "one and a half million"
        return total, new_end
    if end < n and last.text.isdigit() and last.whitespace_:
        match = _SIMPLE_FRACTION.match(doc[end].text)
        if match is not None and int(match.group(1)) < int(match.group(2)):
            return value + int(match.group(1)) / int(match.group(2)), end + 1  # "3 1/2 miles"
    return value, end


def _number_end(doc: Doc, i: int) -> int:
    """One past the last token of the number phrase starting at token ``i``."""
    end = i + 1
    n = len(doc)
    while end < n:
        token = doc[end]
        lower = token.lower_
        if lower in _SCALES or (lower in _UNITS and _digits(doc[end - 1].text) is None):
            end += 1
        elif lower == "-" and end + 1 < n and doc[end + 1].lower_ in _SCALES and not token.whitespace_:
            end += 2  # "$1.5-billion"
        elif lower in {"-", "and"} and end + 1 < n and doc[end + 1].lower_ in _UNITS and doc[end - 1].lower_ in _UNITS | _SCALES:
            # "twenty-five", "one hundred and five"
            if lower == "and" and doc[end - 1].lower_ not in _SCALES:
                break
            end += 2
        else:
            break
    # "$3 m" style suffix written as its own token right after digits ("PS2.7m" -> "m").
    if end < n and doc[end].lower_.rstrip(".") in _SUFFIX_SCALES and not doc[end - 1].whitespace_ and _digits(doc[end - 1].text):
        end += 1
    return end


def _is_quantity(doc: Doc, start: int, end: int) -> bool:
    """False for dates, years, times, ordinals, identifiers and numbers inside names."""
    first, last = doc[start], doc[end - 1]
    label = first.ent_type_
    n = len(doc)
    after = doc[end] if end < n else None
    before = doc[start - 1] if start > 0 else None
    # Ordinals never reach here as numbers ("66th" is no digits token); spaCy's ORDINAL
    # label alone is not trusted ("5pc" tagged ORDINAL).
    if after is not None and after.lower_ in {"th", "st", "nd", "rd"} and not last.whitespace_:
        return False
    if _is_date(doc, start, end):
        return False
    if after is not None and not last.whitespace_ and after.is_alpha and after.is_upper and len(after) <= 2 and after.lower_ not in _SUFFIX_SCALES and after.lower_ not in _MEASURE_UNITS:
        return False  # "5G", "3D", "4K": names, not counts
    if before is not None and before.pos_ == "ADJ" and start >= 2 and _is_number_token(doc[start - 2]) and not _measure_follows(doc, end):
        return False  # "two new 737 jets": a model number inside a count ("a 4.3 second 40 yard dash" measures)
    if label in _NAME_LABELS and not (first.lower_ in _UNITS or after is not None and after.ent_type_ != label or _counts_plural_noun(doc, end) or _measure_follows(doc, end) or _money_or_percent_follows(doc, end)):
        return False
    if before is not None and before.lower_ in _IDENTIFIER_CUES or _names_an_index(doc, start):
        return False
    if before is not None and before.lower_ == "per" and first.lower_ in _SCALES:
        return False  # "parts per million"
    if first.text[:1] in {"-", "\u2212"} and before is not None and before.is_upper and before.is_alpha and before.whitespace_:
        if not _money_or_percent_follows(doc, end):
            return False  # "COVID -19", "MH -17": a name's number written apart, not a negative value (but "FTSE -0.6%")
    if first.lower_ == "one" and end - start == 1 and not _counts_something(doc, start, end):
        return False  # "each one", "one another", "the one who": a pronoun, not a count
    if before is not None and before.text in {"-", "/", ":", "."} and not before.whitespace_ and start >= 2:
        # Glued to letters or digits: model names, phone numbers, scores ("F-16", "555-0100", "877-TIPS-24-7").
        left = doc[start - 2]
        lettered = any(c.isupper() for c in left.text) and not left.is_title
        if not left.whitespace_ and (left.is_alpha and left.lower_ not in _UNITS or _is_phone_part(left) or lettered):
            return False
    if after is not None and after.text == "-" and not last.whitespace_ and not after.whitespace_ and end + 1 < n:
        right = doc[end + 1].text
        if sum(c.isupper() for c in right) >= 2 and right.upper() == right:
            return False  # "877-TIPS": a phone number spelt with letters
    if first.text == "911" and after is not None and after.lower_ in {"call", "calls", "dispatcher", "dispatchers", "operator", "operators", "center", "centre", "line", "system"}:
        return False  # the emergency number
    if after is not None and after.lower_ == "block" and end + 1 < n and doc[end + 1].lower_ == "of":
        return False  # "the 3400 block of Thorpe Street": an address
    if after is not None and after.text in {"-", "/", ":"} and not last.whitespace_ and end + 1 < n:
        right = doc[end + 1]
        if not after.whitespace_ and _is_phone_part(right) and _is_phone_part(last):
            return False
        # A score or a tally ("won 3-1", "tied at 89-89"): the second number is not larger.
        right_value = _digits(right.text)
        own = _digits(last.text)
        if after.text == "-" and not after.whitespace_ and right_value and own and right_value[0] <= own[0] and "," not in last.text:
            return False
    if before is not None and before.text == "-" and not before.whitespace_ and start >= 2 and not doc[start - 2].whitespace_:
        left_value = _digits(doc[start - 2].text)
        own = _digits(first.text)
        if left_value and own and own[0] <= left_value[0] and "," not in first.text:
            return False
    # A number right after a name or a label noun is part of it: "iPhone 12", "Game 7",
    # "S&P 500", "category 4"; not when it is money, a percentage or counts people or
    # things ("said Tuesday 14 people died"), or follows a date word.
    if before is not None and before.pos_ in {"PROPN", "NOUN"} and before.lower_ not in _CURRENCY_SYMBOLS:
        if not _money_or_percent_follows(doc, end) and not _measure_follows(doc, end) and (before.pos_ == "PROPN" or first.head.i == before.i):
            dated = _plain_lower(before) in _WEEKDAYS | _MONTHS | {"today", "yesterday"}
            if before.i > 0 and not before.is_sent_start and not dated and not _counts_plural_noun(doc, end):
                return False
    if _street_follows(doc, end):
        return False  # "9 E 71st St", "16-18 Mill Avenue": a street number
    # An address or a name right after the number: "575 Harbour Road", "737 Max".
    if after is not None and after.pos_ == "PROPN" and after.tag_ != "NNPS" and after.is_title:
        if _counted_noun(doc, end, allow_of=False) is None and _parsed_noun(doc, start, end) is None and after.lower_ not in _MEASURE_UNITS and not _measure_follows(doc, end):
            return False
    return True


def _names_an_index(doc: Doc, start: int) -> bool:
    """True for the number of a stock index or a ranked list ("S&P 500", "S P 500", "FTSE 100")."""
    if start == 0 or not doc[start].text.isdigit():
        return False
    before = doc[start - 1].lower_
    if before == "p" and start >= 2 and doc[start - 2].lower_ in {"s", "s&"}:
        return True
    return before in _INDEX_WORDS or before == "seng" and start >= 2 and doc[start - 2].lower_ == "hang"


_STREET_WORDS = frozenset(
    "st st. street rd rd. road ave ave. avenue way lane ln drive dr blvd boulevard place pl court ct terrace close crescent square".split()
)


def _street_follows(doc: Doc, end: int) -> bool:
    """True when capitalised words ending in a street word follow the number ("575 Harbour Road")."""
    j = end
    if j + 1 < len(doc) and doc[j].text in {"-", "–"} and doc[j + 1].text.isdigit():
        j += 2  # "16-18 Mill Avenue"
    for token in doc[j:j + 4]:
        if token.lower_ in _STREET_WORDS and token.text[:1].isupper() and token.i > j:
            return True
        if not (token.text[:1].isupper() or token.text[:1].isdigit()) or token.is_punct:
            return False
    return False


def _counts_something(doc: Doc, start: int, end: int) -> bool:
    token = doc[start]
    if end < len(doc) and doc[end].lower_ == "of":
        return True
    if end + 1 < len(doc) and doc[end].lower_ in {"in", "out"} and (_is_number_token(doc[end + 1]) or doc[end + 1].lower_ == "of"):
        return True  # "one in five", "one out of ten"
    return token.dep_ in {"nummod", "quantmod"} and token.head.i > token.i


def _measure_follows(doc: Doc, end: int) -> bool:
    """True when a unit of measure other than a duration is glued to or follows the number ("640bhp", "5 km")."""
    glued = _digits(doc[end - 1].text)
    if glued is not None and glued[2] is not None and glued[2] in _MEASURE_UNITS:
        return True
    return end < len(doc) and _plain_lower(doc[end]) in _MEASURE_UNITS - _DURATION_UNITS and len(doc[end]) > 1


def _money_or_percent_follows(doc: Doc, end: int) -> bool:
    if end >= len(doc):
        return False
    return doc[end].lower_ in _PERCENT_WORDS or doc[end].lower_ in _CURRENCY_WORDS or doc[end].lower_ in {"per", "percent"}


def _is_date(doc: Doc, start: int, end: int) -> bool:
    """True for calendar dates, years and clock times; False for durations ("two years")."""
    n = len(doc)
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < n else None
    if before is not None and _plain_lower(before) in _MONTHS | {"may"} and before.lower_ != "may" or (
        after is not None and _plain_lower(after) in _MONTHS and after.lower_ != "may"
    ):
        return True
    if after is not None and after.lower_ in _CLOCK_WORDS:
        return True
    if after is not None and after.text == "(" and end + 2 < n and doc[end + 1].text.isdigit() and doc[end + 2].lower_ in _CLOCK_WORDS:
        return True  # "at 1353 (1023 GMT)": a local clock time with its GMT equivalent
    if after is not None and after.lower_ in _DECADE_WORDS:
        return True  # "the nineteen fifties"
    if _looks_like_year(doc, start, end):
        return True
    label = doc[start].ent_type_
    if label not in _TIME_LABELS:
        return False
    if after is not None and (_plain_lower(after) in _DURATION_UNITS or after.text in {"-", "\u2013"} and end + 1 < n and _plain_lower(doc[end + 1]) in _DURATION_UNITS):
        return False
    # spaCy also tags bare large numbers DATE ("3687 mAh"): only dates with a date word count.
    entity = _entity_tokens(doc, start)
    words = {_plain_lower(t) for t in entity}
    # A weekday alone does not make a date of a number beside it ("since Friday, 29 in Carrow").
    return bool(words & (_MONTHS | _CLOCK_WORDS)) or any(_looks_like_year(doc, t.i, t.i + 1) for t in entity)


def _entity_tokens(doc: Doc, i: int) -> list[Token]:
    """The tokens of the named entity around token ``i`` (``doc.ents`` rebuilds them all)."""
    start = i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return list(doc[start:end])


def _is_phone_part(token: Token) -> bool:
    return token.text.isdigit() and len(token.text) >= 3 and "," not in token.text


def _looks_like_year(doc: Doc, start: int, end: int) -> bool:
    if end - start != 1:
        return False
    text = doc[start].text
    if not (len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2300):
        return False
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start > 0 else None
    if _ranged_with_count(doc, start, end):
        return False  # "from 1000 to 2000 hires", "2000 - 2500 calories"
    if int(text) > 2100:
        # Far-off years come in forecasts ("by 2150"), only after a time preposition.
        return before is not None and before.lower_ in {"by", "in", "until", "till", "through", "before", "after"} and not (
            after is not None and after.tag_ in {"NNS", "NNPS"}
        )
    if before is not None and (before.tag_ in {"PRP$", "POS", "DT"} or before.pos_ == "PROPN" or before.lower_ in _YEAR_PREPS):
        return True  # "its 2018 sales", "in 2003"
    # "2000 troops" counts troops; "in 2003" is a year.
    return not (after is not None and after.pos_ == "NOUN" and after.tag_ in {"NNS", "NNPS"})


def _ranged_with_count(doc: Doc, start: int, end: int) -> bool:
    """True when the other end of a range or change written with this number is no year."""
    n = len(doc)
    links = {"to", "and", "-", "\u2013"}
    other = None
    if start >= 2 and doc[start - 1].lower_ in links:
        other = doc[start - 2]
    elif end + 1 < n and doc[end].lower_ in links:
        other = doc[end + 1]
    if other is None or not other.text[:1].isdigit():
        return False
    digits = _digits(other.text)
    own = _digits(doc[start].text)
    if digits is None or own is None or not own[0] / 10 <= digits[0] <= own[0] * 10:
        return False  # "in 2008 to 29 mpg": the ends of a range are of one size
    return not (digits[0].is_integer() and 1800 <= digits[0] <= 2300 and "," not in other.text)


def _plain_lower(token: Token) -> str:
    return token.lower_.rstrip(".")


def _match_vague(doc: Doc, i: int) -> _Number | None:
    """A vague count starting at token ``i`` that counts a noun, or None."""
    lower = doc[i].lower_
    if lower not in _VAGUE_TRIGGERS:
        return None
    for phrase in _VAGUE_PHRASES:
        words = phrase.split()
        if i + len(words) <= len(doc) and [t.lower_ for t in doc[i:i + len(words)]] == words:
            if words[-1] == "of" or words == ["a", "few"]:
                noun = _counted_noun(doc, i + len(words), allow_of=False)
                if noun is None and words[-1] == "of":
                    noun = _parsed_noun(doc, i, i + len(words) - 1)
                if noun is None:
                    return None
            text_words = words[:-1] if words[-1] == "of" else words
            end = i + len(text_words)
            return _Number(start=i, end=end, value=" ".join(text_words), vague=True, kind="vague")
    if lower in _VAGUE_SINGLE and doc[i].tag_ in {"NNS", "NNPS"} or lower in _VAGUE_BEFORE_NOUN:
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in _SCALES and nxt.lower_ != "dozen" and lower in _VAGUE_BEFORE_NOUN:
            # "several hundred people": vague, in hundreds ("several hundred million": in those).
            end = i + 2
            while end < len(doc) and _SCALES.get(doc[end].lower_, 0) >= 1000:
                end += 1
            return _Number(start=i, end=end, value=" ".join(t.lower_ for t in doc[i:end]), vague=True, kind="vague")
        noun = _counted_noun(doc, i + 1, allow_of=True)
        if noun is None and not _stands_for_noun_phrase(doc[i]):
            return None
        return _Number(start=i, end=i + 1, value=lower, vague=True, kind="vague")
    if lower in _VAGUE_SINGLE and doc[i].ent_type_ == "CARDINAL" and _stands_for_noun_phrase(doc[i]):
        return _Number(start=i, end=i + 1, value=lower, vague=True, kind="vague")  # "and hundreds more", tagged a verb
    if lower == "some" and i + 1 < len(doc) and not _is_number_token(doc[i + 1]):
        # "some" counts only plural nouns ("some injuries"), not mass nouns or numbers.
        noun = _counted_noun(doc, i + 1, allow_of=False)
        if noun is not None and doc[noun].tag_ in {"NNS", "NNPS"} and doc[noun].lower_ not in _DURATION_UNITS:
            return _Number(start=i, end=i + 1, value="some", vague=True, kind="vague")
    return None


def _stands_for_noun_phrase(token: Token) -> bool:
    """True when a plural scale is a noun phrase of its own in the parse ("hundreds were hurt", "cost millions")."""
    return token.lower_ in _VAGUE_SINGLE - {"scores"} and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "attr", "appos"}


def _match_fraction(doc: Doc, i: int) -> _Number | None:
    """A fraction of something: "a third of", "two-thirds of", "half of the staff"."""
    if doc[i].lower_ not in _FRACTION_STARTS:
        return None
    words = [t.lower_ for t in doc[i:i + 4]]
    if words[0] == "half" and i > 0 and (doc[i - 1].ent_type_ == "ORDINAL" or doc[i - 1].lower_ in {"first", "second", "final", "latter", "back", "front"}):
        return None  # "the second half of the game": a part, not a fraction of an amount
    if words[0] == "half" and (words[1:2] == ["of"] or len(words) > 1 and doc[i + 1].tag_ in {"DT", "PRP$"} and words[1] not in {"a", "an"}):
        return _Number(start=i, end=i + 1, value=0.5, kind="measure", unit="fraction")
    if words[0] == "half" and words[1:2] in (["a"], ["an"]) and len(words) > 2 and words[2] in _SCALES:
        return _Number(start=i, end=i + 3, value=_SCALES[words[2]] / 2)  # "half a million"
    count = 1.0 if words[0] in {"a", "one"} else float(_UNITS.get(words[0], 0))
    if not count:
        return None
    j = 2 if words[1:2] == ["-"] else 1
    if len(words) <= j + 1 or words[j] not in _FRACTIONS or words[j + 1] != "of":
        return None
    if words[0] == "a" and words[j] in {"quarter", "half"} and doc[i + j + 1].lower_ != "of":
        return None
    value = round(count * _FRACTIONS[words[j]], 4)
    return _Number(start=i, end=i + j + 1, value=value, kind="measure", unit="fraction")


def _parsed_noun(doc: Doc, start: int, end: int) -> int | None:
    """The common noun the dependency parse makes a number count, when scanning found none.

    Covers what the left-to-right scan stops at: names and hyphenated words inside the
    noun phrase ("four All-Star games"), coordinated names ("dozens of Kia and Hyundai
    vehicles"). The noun's phrase must begin at the number, so nothing else sits between.
    """
    n = len(doc)
    for token in doc[start:end]:
        head = token.head
        if token.dep_ in {"nummod", "quantmod"} and end <= head.i < min(n, end + 6):
            candidate = head
        elif end < n and doc[end].lower_ == "of" and doc[end].head.i == token.i:
            objects = [c for c in doc[end].children if c.dep_ == "pobj" and c.i < end + 7]
            if not objects:
                continue
            candidate = objects[0]
            if candidate.left_edge.i > end + 1:
                continue
            if candidate.pos_ == "NOUN" and candidate.tag_ in {"NNS", "NNPS"}:
                return candidate.i
            continue
        else:
            continue
        if candidate.pos_ == "NOUN" and candidate.left_edge.i <= start and not any(t.is_punct and t.tag_ != "HYPH" for t in doc[end:candidate.i]):
            return candidate.i
    return None


def _counted_noun(doc: Doc, i: int, *, allow_of: bool) -> int | None:
    """Index of the noun a number ending before token ``i`` counts, scanning right.

    Adjectives, determiners and nouns or names that modify the counted noun are skipped
    ("41 U.K. coastguard rescues" -> "rescues"); anything else ends the search.
    """
    j = i
    n = len(doc)
    if allow_of and j < n and doc[j].lower_ == "of":
        j += 1
        # "three of the injured": an adjective used as a noun after "of the".
        if j + 1 < n and doc[j].lower_ in {"the", "those", "these"} and doc[j + 1].tag_ in {"JJ", "VBN"}:
            after = doc[j + 2] if j + 2 < n else None
            if after is None or after.pos_ not in {"NOUN", "PROPN", "ADJ"}:
                return j + 1
    for _ in range(6):
        if j >= n:
            return None
        token = doc[j]
        nxt = doc[j + 1] if j + 1 < n else None
        if token.pos_ in {"NOUN", "PROPN"}:
            head = token.head
            modifies_next = nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and (
                token.dep_ == "compound" or j < head.i <= j + 3 and token.dep_ != "poss"
            )
            if modifies_next or token.pos_ == "PROPN" and token.tag_ != "NNPS" and nxt is not None and nxt.pos_ in {"NOUN", "PROPN"}:
                j += 1
                continue
            if token.pos_ == "PROPN" and token.tag_ != "NNPS":
                return None  # a name, not a counted thing ("7 Harbour Road")
            return j
        if token.lower_ in _NEW_PHRASE:
            return None  # "2,500 last year": a new phrase starts
        skippable = token.pos_ in {"ADJ", "DET", "NUM", "ADV"} and token.lower_ not in {"than", "more", "less"} or (
            token.tag_ == "VBN" and token.dep_ == "amod"  # "2.7m combined sales"
        ) or (
            token.pos_ == "CCONJ" and j > i and doc[j - 1].pos_ == "ADJ" and nxt is not None and nxt.pos_ == "ADJ"  # "digital and physical sales"
        )
        if skippable or token.text in {"-", "'s", "\u2019s"} or token.tag_ in {"PRP$", "POS", "HYPH"} or token.dep_ == "compound":
            j += 1
            continue
        return None
    return None


def _attach_range(doc: Doc, number: _Number) -> None:
    """Extend ``number`` to a range: "between 20 and 30", "20-30", "20 to 30", "three or four"."""
    n = len(doc)
    link = number.end
    if link + 1 >= n or doc[link].lower_ not in _RANGE_LINKS:
        return
    word = doc[link].lower_
    before = doc[number.start - 1].lower_ if number.start > 0 else ""
    if word == "and" and before != "between":
        return
    if word == "or" and any(t.lower_ == "respectively" for t in doc[number.start].sent):
        return  # "25k or 40k cheaper than its rivals respectively": two amounts, not a range
    if before in {"between", "from"} and number.qual_start is None:
        number.qual_start = number.start - 1
    if word == "to" and before not in {"from", "between"} and not _is_number_token(doc[link + 1]):
        return
    if word == "to" and (before in _CHANGE_VERBS or number.start > 0 and doc[number.start - 1].lemma_.lower() in _CHANGE_VERBS):
        return  # "rose 2pp to 5%": from one value to another
    j = link + 1
    if j < n and doc[j].lower_ in _CURRENCY_SYMBOLS:
        j += 1
    if j >= n or not _is_number_token(doc[j]) or doc[j].lower_ in _SCALES and doc[j].lower_ != "dozen":
        return
    end = _number_end(doc, j)
    upper = parse_number([t.text for t in doc[j:end]])
    if upper is None or not _is_quantity(doc, j, end) and doc[j].ent_type_ not in _TIME_LABELS:
        return
    # A scale written only after the upper bound applies to both ("2 to 3 million").
    low = float(number.value)  # type: ignore[arg-type]
    if low < upper / 100 and doc[end - 1].lower_ in _SCALES and doc[number.end - 1].lower_ not in _SCALES and low * _SCALES[doc[end - 1].lower_] <= upper:
        low *= _SCALES[doc[end - 1].lower_]
    if word == "to" and before == "from" and (upper < low or _follows_change_verb(doc, number.start - 1)):
        # "fell from 80 to 62", "jumped from 240 to 273": one value and the one it changed from.
        number.value, number.previous, number.end = upper, low, end
        return
    if upper <= low:
        return
    number.value = low
    number.upper = upper
    number.end = end


def _follows_change_verb(doc: Doc, index: int) -> bool:
    """True when a verb of change comes just before token ``index`` ("rose from", "was cut sharply from")."""
    for token in reversed(doc[max(0, index - 3):index]):
        if token.lemma_.lower() in _FROM_TO_VERBS or token.lower_ in _FROM_TO_VERBS:
            return True
        if token.pos_ not in {"ADV", "AUX", "PART"}:
            return False
    return False


def _merge_ranges(doc: Doc, numbers: list[_Number]) -> list[_Number]:
    """Join "5% to 6%", "between $3 billion and $5 billion" into one range each."""
    merged: list[_Number] = []
    for number in numbers:
        last = merged[-1] if merged else None
        if last is not None and _is_change_pair(doc, last, number):
            # "from $2,415 to $2,315": money and units split the phrase into two numbers.
            last.value, last.previous = number.value, float(last.value)  # type: ignore[arg-type]
            first = last.qual_start if last.qual_start is not None else last.start
            if first > 0 and doc[first - 1].lower_ == "from":
                last.qual_start = first - 1
            last.unit = last.unit or number.unit
            last.end = number.end
            last.span_end = max(number.end, number.span_end or 0)
            continue
        if last is not None and _is_range_pair(doc, last, number):
            last.upper = float(number.value)  # type: ignore[arg-type]
            scale = doc[number.end - 1].lower_
            low = float(last.value)  # type: ignore[arg-type]
            if scale in _SCALES and doc[last.end - 1].lower_ not in _SCALES and low < last.upper / 100 and low * _SCALES[scale] <= last.upper:
                last.value = float(last.value) * _SCALES[scale]  # type: ignore[arg-type]  # "$10 to $15 billion"
            if number.qualifier == "<=":
                last.qualifier = "="  # "from 450 up to 900": the "up to" closes the range
            last.end = number.end
            last.span_end = max(number.end, number.span_end or 0)
            first = last.qual_start if last.qual_start is not None else last.start
            if first > 0 and doc[first - 1].lower_ in {"between", "from"}:
                last.qual_start = first - 1
            continue
        merged.append(number)
    return merged


def _starts_with(doc: Doc, number: _Number, word: str) -> bool:
    first = number.qual_start if number.qual_start is not None else number.start
    return first > 0 and doc[first - 1].lower_ == word or doc[first].lower_ == word


def _is_change_pair(doc: Doc, first: _Number, second: _Number) -> bool:
    """True for "from X to Y" that falls or follows a verb of change.

    "rose to $7.4bn from $6.8bn" stays two values, as NewsQuant writes it.
    """
    if first.vague or second.vague or first.upper is not None or second.upper is not None or first.previous is not None:
        return False
    if first.kind != second.kind and not (second.kind == "count" and second.unit is None):
        return False
    if first.unit and second.unit and first.unit != second.unit:
        return False
    gap_start = max(first.end, first.span_end or 0)
    gap_end = second.qual_start if second.qual_start is not None else second.start
    if gap_end - gap_start != 1 or second.qualifier != "=":
        return False
    link = doc[gap_start].lower_
    opening = first.qual_start if first.qual_start is not None else first.start
    if link == "to" and _starts_with(doc, first, "from"):
        start = opening - 1 if doc[opening].lower_ != "from" else opening
        return float(second.value) < float(first.value) or _follows_change_verb(doc, start)  # type: ignore[arg-type]
    return False


def _is_range_pair(doc: Doc, low: _Number, high: _Number) -> bool:
    if low.vague or high.vague or low.upper is not None or high.upper is not None:
        return False
    bare_high = high.kind == "count" and high.unit is None  # "from 21 mpg to 23": the unit written once
    if low.kind != high.kind and not bare_high or (low.unit and high.unit and low.unit != high.unit and low.kind != "measure"):
        return False
    gap_start = max(low.end, low.span_end or 0)
    gap_end = high.qual_start if high.qual_start is not None else high.start
    first = low.qual_start if low.qual_start is not None else low.start
    openers = {doc[first].lower_, doc[first - 1].lower_ if first > 0 else ""}
    if high.qualifier != "=":
        # "from 450 sq ft up to 900 sq ft" is the one range whose upper end has a qualifier.
        up_to = high.qualifier == "<=" and doc[gap_end:gap_end + 2].text.lower() == "up to"
        return up_to and "from" in openers and gap_end == gap_start and float(high.value) > float(low.value)  # type: ignore[arg-type]
    if gap_end - gap_start != 1:
        # "from 21 mpg combined to 23", "from 20 miles per gallon in 2008 to 29 mpg": an
        # interval whose ends are apart, when "from" opens it and "to" alone closes it.
        gap = doc[gap_start:gap_end - 1]
        return (
            "from" in openers and low.qualifier == "=" and 1 <= len(gap) <= 4 and doc[gap_end - 1].lower_ == "to"
            and not any(t.is_punct and t.tag_ != "HYPH" or t.pos_ in {"VERB", "AUX", "CCONJ"} or t.lower_ in {"from", "to"} for t in gap)
            and float(high.value) > float(low.value)  # type: ignore[arg-type]
        )
    link = doc[gap_start].lower_
    changed = first > 0 and doc[first - 1].lemma_.lower() in _CHANGE_VERBS
    if link == "and" and "between" not in openers or "by" in openers or link == "to" and changed:
        return False  # "increased by $4 billion to $41 billion" is a change, not a range
    if link not in {"to", "-", "\u2013", "and"}:
        return False
    return float(high.value) > float(low.value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- classifying


def _classify(doc: Doc, number: _Number) -> None:
    """Fill qualifier, kind and unit of ``number`` from the words around it."""
    _qualifier(doc, number)
    if number.unit == "fraction" or number.kind == "measure" and number.unit is not None:
        return  # fractions and units glued inside one token are known already
    if number.vague:
        noun = _counted_noun(doc, number.end, allow_of=True)
        if noun is None:
            noun = _parsed_noun(doc, number.start, number.end)
        if noun is not None:
            number.unit_token = noun
            number.unit = doc[noun].text.lower() if doc[noun].pos_ == "NOUN" else doc[noun].text
            number.span_end = noun + 1
        return
    n = len(doc)
    end = number.end
    before = doc[number.start - 1] if number.start > 0 else None
    after = doc[end] if end < n else None
    glued = _digits(doc[number.start].text) or _digits(doc[end - 1].text)
    glued_currency, glued_suffix = (glued[1], glued[2]) if glued else (None, None)
    if end - number.start > 1 and doc[end - 1].lower_.rstrip(".") in _SUFFIX_SCALES:
        glued_suffix = doc[end - 1].lower_.rstrip(".")  # "37 m", split by the tokenizer
    # Currency before: "$1.2 million", "US$5", "£3m", or glued: "PS2.7m".
    currency = _CURRENCY_SYMBOLS.get(before.lower_) if before is not None else None
    if currency is not None or glued_currency is not None:
        if before is not None and before.lower_ in _CURRENCY_SYMBOLS:
            number.qual_start = number.start - 1 if number.qual_start is None else min(number.qual_start, number.start - 1)
        number.kind, number.unit = "money", glued_currency or currency
        if after is not None and after.lower_ in _CURRENCY_WORDS:
            number.span_end = end + 1
        return
    if glued_suffix == "p":
        number.kind, number.unit = "money", "pence"
        return
    if glued_suffix in {"pc", "pct"}:
        number.kind, number.unit = "percent", "percent"
        return
    if glued_suffix == "pp":
        number.kind, number.unit = "percent", "percentage points"  # "a 2pp rise"
        return
    if glued_suffix == "x":
        number.kind, number.unit = "measure", "times"  # "a 10x zoom"
        return
    if glued_suffix is not None and glued_suffix in _SUFFIX_SCALES:
        if glued_suffix == "m" and not _counts_plural_noun(doc, end):
            # "a 37m yacht": metres, not millions, when no money and no count says otherwise.
            number.value = float(number.value) / 1_000_000  # type: ignore[arg-type]
            number.kind, number.unit = "measure", "m"
            return
        glued_suffix = None  # "50m passengers": a scale; what it counts comes next
    if glued_suffix is not None:
        number.kind, number.unit = "measure", _TEMPERATURES.get(glued_suffix, glued_suffix)
        if number.unit == "\u00b0" and after is not None and after.lower_ in {"c", "f"}:
            number.unit, number.span_end = _TEMPERATURES[after.lower_], end + 1  # "1.19deg C"
        return
    if after is None:
        return
    after_lower = after.lower_
    two = f"{after_lower} {doc[end + 1].lower_}" if end + 1 < n else after_lower
    if two in _PERCENT_WORDS or after_lower in _PERCENT_WORDS:
        number.kind, number.unit = "percent", "percent"
        number.span_end = end + (2 if two in _PERCENT_WORDS and after_lower not in _PERCENT_WORDS else 1)
        if after_lower == "percentage":
            number.unit = "percentage points"
        return
    if after_lower in _CURRENCY_WORDS and (after_lower not in {"pound", "pounds", "won", "rand"} or after.ent_type_ == "MONEY"):
        number.kind, number.unit, number.span_end = "money", _CURRENCY_WORDS[after_lower], end + 1
        return
    if end + 1 < n and doc[end + 1].lower_ in _CURRENCY_WORDS and (after.ent_type_ in {"NORP", "GPE", "MONEY"} or after_lower in _CURRENCY_NATIONS):
        # "3 million Canadian dollars", "10,000 Swiss francs"
        currency = doc[end + 1].lower_
        number.kind, number.span_end = "money", end + 2
        number.unit = _CURRENCY_NATIONS.get(after_lower, {}).get(currency) or _CURRENCY_WORDS[currency]
        return
    if after_lower in _CURRENCY_SYMBOLS and after.ent_type_ == "MONEY":
        number.kind, number.unit, number.span_end = "money", _CURRENCY_SYMBOLS[after_lower], end + 1
        return
    if before is not None and before.lower_ == "magnitude" or [t.lower_ for t in doc[end:end + 4]] == ["on", "the", "richter", "scale"]:
        number.kind, number.unit = "measure", "magnitude"  # "a magnitude 5.9 quake", "3.8 on the Richter scale"
        if before is not None and before.lower_ == "magnitude" and number.qual_start is None:
            number.qual_start = number.start - 1
        else:
            number.span_end = end + 4
        return
    # Ages: "a 45-year-old", "45 years old", "aged 45".
    age = _age_end(doc, end)
    at_age = before is not None and before.lower_ == "of" and number.start >= 2 and doc[number.start - 2].lower_ == "age"
    if age is not None or before is not None and before.lower_ in {"aged", "age"} or at_age or _is_appositive_age(doc, number):
        number.kind, number.unit, number.span_end = "measure", "years old", age or end
        return
    unit_index = end + 1 if after.text in {"-", "–"} and end + 1 < n else end
    unit_token = doc[unit_index]
    if _plain_lower(unit_token) in _MEASURE_UNITS:
        unit_end = unit_index + 1
        if unit_end + 1 < n and doc[unit_end].text == "/" and not doc[unit_end].whitespace_:
            unit_end += 2  # "km/h"
        if unit_token.lower_ in {"square", "sq", "cubic", "nautical", "\u00b0"} and unit_end < n:
            unit_end += 1  # "square miles", "° C"
        number.kind = "measure"
        written = doc[unit_index:unit_end].text.lower()
        number.unit = _TEMPERATURES.get(written.replace(" ", ""), written)
        number.unit_token = unit_end - 1
        number.span_end = unit_end
        _qualifier_after_unit(doc, number)
        return
    noun = _counted_noun(doc, end, allow_of=True)
    if noun is None:
        noun = _parsed_noun(doc, number.start, end)
    if noun is None and _is_people_adjective(doc, number.start, end):
        number.unit, number.unit_token, number.span_end = doc[end].lower_, end, end + 1  # "12 dead, 30 injured"
        return
    if noun is not None:
        token = doc[noun]
        if token.lower_ == "times":
            # "32 separate times": the events of the verb, or of the count it continues.
            number.unit = _plural(token.head.lemma_) if _counts_events(token.head, noun) else None
        else:
            number.unit = token.text.lower() if token.pos_ == "NOUN" else token.text
        number.unit_token = noun
        if noun - end <= 4:
            number.span_end = noun + 1
            _qualifier_after_unit(doc, number)


def _qualifier_after_unit(doc: Doc, number: _Number) -> None:
    """ "20 people or more": a qualifier after the counted noun or the unit, when none came before."""
    if number.qualifier != "=" or number.span_end is None:
        return
    end = number.span_end
    if end < len(doc) and doc[end].lower_ in {"or", "and"}:  # only phrases: "or more", "and older"
        found = _qualifier_after(doc, end)
        if found is not None:
            number.qualifier, number.span_end = found


def _is_people_adjective(doc: Doc, start: int, end: int) -> bool:
    """True when the word after a count is a participle or adjective standing for people ("4,000 injured")."""
    if end >= len(doc):
        return False
    word = doc[end]
    if not (word.tag_ == "VBN" or word.lower_ in _PEOPLE_ADJECTIVES):
        return False
    nxt = doc[end + 1] if end + 1 < len(doc) else None
    if nxt is not None and not (nxt.is_punct or nxt.pos_ in {"CCONJ", "ADP"}):
        return False  # "30 wounded soldiers" has its noun; "20 injured by" is a passive
    if nxt is not None and nxt.lower_ in {"by", "in", "to", "at", "from"}:
        return False
    return any(t.head.i == word.i for t in doc[start:end])


def _counts_events(verb: Token, times_index: int) -> bool:
    """True when "N times" counts the events of ``verb`` ("boarded 19 times")."""
    return verb.pos_ == "VERB" and verb.i != times_index and verb.lemma_ not in {"have", "be", "do", "say"}


def _counts_plural_noun(doc: Doc, end: int) -> bool:
    noun = _counted_noun(doc, end, allow_of=True)
    return noun is not None and doc[noun].tag_ in {"NNS", "NNPS"}


def _is_appositive_age(doc: Doc, number: _Number) -> bool:
    """ "Jane Doe, 34, said": a bare whole number set off by commas after a person."""
    start, end = number.start, number.end
    if end - start != 1 or start < 2 or doc[start - 1].text != "," or end < len(doc) and doc[end].text not in {",", "."}:
        return False
    value = number.value
    if not isinstance(value, float) or not value.is_integer() or not 0 < value < 120:
        return False
    person = doc[start - 2]
    if person.ent_type_ == "PERSON" or person.lemma_.lower() in _PERSON_NOUNS:
        return True
    # A name the tagger left unlabelled, then what a person does: "Comeaux, 49, fled", "Lee, 59, of Ely".
    nxt = doc[end + 1] if end + 1 < len(doc) else None
    return (
        person.pos_ == "PROPN" and person.is_title and person.ent_type_ != "DATE"
        and nxt is not None and (nxt.pos_ in {"VERB", "AUX"} or nxt.lower_ in {"of", "who"})
    )


def _age_end(doc: Doc, end: int) -> int | None:
    words = [t.lower_ for t in doc[end:end + 4]]
    if words[:4] in (["-", "year", "-", "old"], ["-", "years", "-", "old"]):
        return end + 4
    if words[:2] in (["years", "old"], ["year", "old"]):
        return end + 2
    return None


def _plural(lemma: str) -> str:
    """Plural noun for a counting verb ("boarded 19 times" -> "boards").

    Written out rather than taken from inflect, which is not a runtime dependency: verb
    lemmas used as nouns only need the regular English endings.
    """
    word = lemma.lower()
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _qualifier(doc: Doc, number: _Number) -> None:
    start = number.start
    # A currency symbol sits between the qualifier and the digits: "more than $5".
    if start > 0 and doc[start - 1].lower_ in _CURRENCY_SYMBOLS:
        start -= 1
        if start > 0 and doc[start - 1].text in _CURRENCY_COUNTRIES and doc[start - 1].whitespace_:
            start -= 1  # "more than US $1.1 million"
    for size in range(_MAX_QUALIFIER_WORDS, 0, -1):
        if start - size < 0:
            continue
        phrase = " ".join(t.lower_ for t in doc[start - size:start])
        if phrase in _QUALIFIERS_BEFORE:
            if phrase in {"over", "under", "above", "below", "some", "about", "around"} and size == 1:
                if not _qualifier_is_adverb(doc, start - 1, number):
                    continue
            number.qualifier = _QUALIFIERS_BEFORE[phrase]
            number.qual_start = _intensified(doc, start - size) if number.qualifier != "=" else start - size
            break
    if number.qualifier == "=" and doc[number.start].text[:1] in {"~", "\u2248"}:
        number.qualifier = "~"  # "~20", one token
    if number.qualifier == "=" and start >= 2 and doc[start - 1].lower_ == "than" and doc[start - 2].tag_ in {"JJR", "RBR"}:
        # Any comparative: "higher than 5%", "cheaper than $20", "older than 60".
        number.qualifier = "<" if doc[start - 2].lower_ in _LESSER_COMPARATIVES else ">"
        number.qual_start = _intensified(doc, start - 2)
    found = _qualifier_after(doc, number.end)
    if found is not None:
        number.qualifier, number.end = found


def _qualifier_after(doc: Doc, end: int) -> tuple[str, int] | None:
    """A qualifier written after a number or its unit ("20 or more", "40-odd", "5+"): (qualifier, new end)."""
    n = len(doc)
    if end >= n:
        return None
    if end + 1 < n:
        first, second = doc[end], doc[end + 1]
        spaced = f"{first.lower_} {second.lower_}"
        if spaced in _QUALIFIERS_AFTER and " " in spaced.strip("-"):
            return _QUALIFIERS_AFTER[spaced], end + 2
        if not first.whitespace_ and doc[end - 1].whitespace_ == "" and f"{first.lower_}{second.lower_}" in _QUALIFIERS_AFTER:
            return _QUALIFIERS_AFTER[f"{first.lower_}{second.lower_}"], end + 2  # "40-odd", "20-plus"
    after = doc[end].lower_
    if after in _QUALIFIERS_AFTER and " " not in after and not doc[end - 1].whitespace_ and after not in {"odd"}:
        return _QUALIFIERS_AFTER[after], end + 1  # "5+", "20plus"
    return None


def _intensified(doc: Doc, start: int) -> int:
    """Start of a qualifier with the degree words before it ("slightly more than", "a little over")."""
    for words in _INTENSIFIERS:
        size = len(words)
        if start - size >= 0 and tuple(t.lower_ for t in doc[start - size:start]) == words:
            return start - size
    return start


def _qualifier_is_adverb(doc: Doc, index: int, number: _Number) -> bool:
    """True when a one-word qualifier ("over", "some") modifies the number, not a phrase."""
    token = doc[index]
    if token.lower_ == "some":
        return True
    # "over the past two years" puts words between; a direct "over 20" qualifies.
    return token.dep_ in {"quantmod", "advmod", "amod", "prep", "nmod"} or token.head.i in range(number.start, number.end + 2)


# --------------------------------------------------------------------------- scope and output


def _scope(
    doc: Doc, number: _Number, *, sentence: Sentence | None, others: Sequence[int] = (), elided: bool = False
) -> str | None:
    """The prepositional phrases restricting what the number counts, as one string."""
    if number.unit_token is not None:
        anchor = doc[number.unit_token]
    elif number.span_end is not None and number.span_end > number.end:
        anchor = doc[number.span_end - 1]  # "15% of its budget": the "%" carries the phrase
    else:
        anchor = doc[number.end - 1]
    if number.unit_token is None and anchor.head.i in range(number.start, number.end):
        anchor = anchor.head
    limit = (sentence.start, sentence.end) if sentence is not None else (0, doc[-1].idx + len(doc[-1]))
    phrases: list[Token] = [c for c in anchor.children if c.dep_ == "prep" and c.i > anchor.i and c.lower_ in _NOUN_PREPS]
    own = {c.i for c in phrases}
    # Climb from the counted noun to the verb it belongs to ("boarded ... since March 3").
    node = anchor
    for _ in range(3):
        if node.dep_ in {"nummod", "compound", "amod", "quantmod", "nmod"} and node.head.i != node.i:
            node = node.head
            continue
        break
    verb = node.head if node.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "npadvmod", "oprd", "pobj"} else None
    if verb is not None and verb.dep_ == "prep" and node.dep_ == "pobj" and verb.lower_ != "of":
        verb = verb.head if verb.head.pos_ in {"VERB", "AUX"} else None
    if verb is not None and verb.pos_ in {"VERB", "AUX"}:
        for child in verb.children:
            # A phrase after a later number belongs to it ("19 times - 11 in Carrow").
            if any(number.end <= other < child.i for other in others):
                continue
            if elided and child.i < number.start:
                continue  # an elided count keeps only what follows it
            if child.dep_ == "prep" and child.lower_ in _SCOPE_PREPS and child.i not in own:
                if not any(t.i in range(number.start, number.end) for t in child.subtree):
                    phrases.append(child)
    texts = []
    for prep in sorted(phrases, key=lambda t: t.i):
        tokens = _phrase_tokens(prep)
        if not tokens or len(tokens) < 2:
            continue
        first, last = tokens[0], tokens[-1]
        if first.idx < limit[0] or last.idx + len(last) > limit[1]:
            continue
        if any(first.i <= other <= last.i for other in others if other != number.start):
            continue  # a phrase holding another number is that number's
        texts.append(doc[first.i:last.i + 1].text)
    return " ".join(texts) if texts else None


def _phrase_tokens(prep: Token) -> list[Token]:
    """The tokens of a prepositional phrase, without clauses hanging off it."""
    skip: set[int] = set()
    for token in prep.subtree:
        if token.i != prep.i and (
            token.dep_ in {"relcl", "acl", "advcl", "appos", "ccomp"} or token.dep_ == "punct" and token.tag_ != "HYPH"
        ):
            skip.update(t.i for t in token.subtree)
    tokens = [t for t in prep.subtree if t.i not in skip]
    # Keep the contiguous run from the preposition on.
    run = [tokens[0]]
    for token in tokens[1:]:
        if token.i != run[-1].i + 1:
            break
        run.append(token)
    return run[:_MAX_SCOPE_TOKENS]


def _to_quantity(doc: Doc, number: _Number, sentence: int, scope: str | None) -> Quantity | None:
    first = number.qual_start if number.qual_start is not None else number.start
    last = max(number.end, number.span_end or 0)
    span = doc[first:last]
    value: float | str = number.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    upper: float | None = number.upper
    if upper is not None and float(upper).is_integer():
        upper = int(upper)
    return Quantity(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        sentence=sentence,
        value=value,
        qualifier=number.qualifier,
        upper=upper,
        unit=number.unit,
        scope=scope,
        kind=number.kind,
        previous=number.previous,
    )


def _line_result(text: str, doc: Doc) -> dict[str, Any]:
    try:
        quantities = extract_quantities(doc, split_sentences(text))
    except Exception as exc:  # noqa: BLE001 - one bad line never stops the stream
        log.warning("could not read quantities of a line: %s", exc)
        return {"quantities": [], "error": f"{type(exc).__name__}: {exc}"}
    return {
        "quantities": [
            {
                "text": q.text, "value": q.value, "qualifier": q.qualifier, "upper": q.upper,
                "unit": q.unit, "scope": q.scope, "kind": q.kind, "previous": q.previous,
                "start": q.start, "end": q.end,
            }
            for q in quantities
        ]
    }
