"""Time expressions, normalised against the article's publication date.

Spans come from token patterns written for news copy (weekdays with parts of
the day, month-day dates, "last week", "earlier this month", "since
mid-October", ...) plus spaCy's DATE/TIME entities for what the patterns miss.
Each span is resolved against the publication date:

- a weekday is the most recent such day on or before publication, or the next
  one after it when its clause speaks of the future ("will meet on Friday",
  "is due", "expected to", the timetable present "talks resume Monday"); with
  other present tenses or after "until" it is the nearer of the two; beside a
  month-day ("Monday, Oct. 9") it picks the year;
- a month-day or month without a year takes the year that puts it on or
  before publication in past-tense clauses, on or after it in future ones, and
  the nearest otherwise ("the harbour reopens on Jan. 2" in a Dec. 31 article);
- weeks run Monday to Sunday; weeks, months and years are ranges
  "YYYY-MM-DD/YYYY-MM-DD"; "since X" is the range from the start of X to the
  publication date; "early/mid/late October" are days 1-10, 11-20, 21-end,
  but "since mid-October" starts on the 15th;
- parts of the day ("Monday night", "last night", "this morning", "9 p.m.
  Monday") give the day's date with precision "time".

Without a publication date, expressions are still extracted but only those
that carry their own year ("Nov. 8, 2023", "in 2019") get a value. Anaphoric
expressions ("the day after", "hours earlier") date other events, not the
article, and are left out; so are durations ("two hours") and ages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.analyze.sentences import sentence_at
from accord.models import Sentence, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_times", "parse_published"]

log = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_POSS = r"(?:'s|’s)?"
_PART = r"(?:morning|afternoon|evening|night)"
_CLOCK = r"(?:\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_MOD = r"(?:early|mid-?|late)"

_SINCE = r"(?P<since>[Ss]ince\s+)?"
# Ordered by specificity: the first alternative that matches at a position wins.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
    ("md_range", rf"\b(?:from\s+)?(?P<m1>{_MONTH_RE})\s+(?P<d1>{_DAY})\s*(?:to|through|until|-|–)\s*"
                 rf"(?:(?P<m2>{_MONTH_RE})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("md", rf"{_SINCE}(?:\b(?P<wd>{_WEEKDAY_RE}),?\s+)?\b(?P<m>{_MONTH_RE})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("dm", rf"{_SINCE}\b(?P<d>{_DAY})\s+(?P<m>{_MONTH_RE})\b(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("between_m", rf"\bbetween\s+(?P<mod1>{_MOD}\s*)?(?P<m1>{_MONTH_RE})(?:\s+(?P<y1>{_YEAR}))?\s+and\s+"
                  rf"(?P<mod2>{_MOD}\s*)?(?P<m2>{_MONTH_RE})(?:\s+(?P<y2>{_YEAR}))?\b"),
    ("between_y", rf"\bbetween\s+(?P<y1>{_YEAR})\s+and\s+(?P<y2>{_YEAR})\b"),
    ("month", rf"{_SINCE}\b(?P<rel>(?i:last|next|this)\s+)?(?P<mod>(?i:{_MOD})\s*)?(?P<m>{_MONTH_RE})"
              rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b"),
    ("clock_wd", rf"\b(?P<clock>{_CLOCK})\s+(?:on\s+)?(?:(?P<rel>last|next|this)\s+)?(?P<wd>{_WEEKDAY_RE}){_POSS}"),
    ("wd", rf"{_SINCE}\b(?:(?P<hours>(?i:the\s+early\s+hours\s+of))\s+|(?P<mod>(?i:early|late))\s+|"
           rf"(?P<rel>(?i:last|next|this|on))\s+)?(?P<wd>{_WEEKDAY_RE}){_POSS}(?:\s+(?P<part>{_PART}))?"),
    ("night", r"\b(?P<w>(?i:last\s+night|tonight|overnight))\b"),
    ("part", rf"\b(?i:this)\s+(?P<part>{_PART})\b"),
    ("day", r"\b(?P<w>(?i:yesterday|today|tomorrow))\b"),
    ("holiday", r"\b(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s(?:\s+(?:Day|Eve))?)\b"),
    ("start_of", rf"{_SINCE}\bthe\s+(?P<edge>start|beginning|end)\s+of\s+(?:the|this)\s+(?P<unit>week|month|year)\b"),
    ("rel_period", rf"{_SINCE}\b(?P<edge>(?i:earlier|later))?\s*(?P<rel>(?i:last|next|this|the\s+past|the))\s+"
                   r"(?P<unit>week|weekend|month|year)\b"),
    ("recent", r"\b(?:[Ii]n\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few)\s+(?P<unit>days|weeks|months)\b"),
    ("ago", r"\b(?P<n>\d+|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten))\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b"),
    ("year", rf"{_SINCE}(?P<prep>\b(?i:in|from|until|by|for|during|of|before|after)\s+)?"
             rf"(?P<y>{_YEAR})\b(?![-–]\d)"),
)
_COMPILED = tuple((name, re.compile(rx)) for name, rx in _PATTERNS)
_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_FUTURE_AUX = {"will", "wo", "'ll", "shall", "would", "’ll", "must", "should"}
_FUTURE_GOVERNORS = {"expect", "schedule", "plan", "due", "set", "intend", "aim", "hope", "forecast",
                     "predict", "go"}
_SCHEDULED = {"begin", "start", "open", "reopen", "resume", "meet", "take", "close", "end", "run", "sit",
              "vote", "arrive", "leave", "depart", "launch", "return", "hold", "convene", "expire",
              "kick", "play", "face", "host", "visit", "travel", "fly", "land", "go"}
_SPEECH = {"say", "tell", "announce", "report", "confirm", "state", "add", "claim"}
_DURATION_RE = re.compile(
    r"^(?:about |around |nearly |more than |over |almost |some |at least |the |a |an |its |their )?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|\w+-)"
    r"[- ](?:\w+[- ])?(?:second|minute|hour|day|week|month|year|decade|century)s?\b", re.I)


_LEADING_PREP = re.compile(r"\s*(?:(?:on|in|from|by|until|during|for|of|before|after)\s+)?")


@dataclass(frozen=True, slots=True)
class _Match:
    kind: str
    start: int
    end: int
    groups: dict[str, str | None]


def parse_published(published: str | None) -> dt.date | None:
    """Return the date part of an ISO date or datetime string, or None if absent or unreadable."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        log.warning("unreadable publication date %r: times are left unresolved", published)
        return None


def extract_times(doc: Doc, sentences: tuple[Sentence, ...], published: str | None) -> tuple[TimeExpression, ...]:
    """Find the time expressions of an article and resolve them against ``published``.

    Args:
        doc: the spaCy Doc of the article's cleaned text.
        sentences: the article's sentences, with character offsets into the same text.
        published: the publication date (ISO date or datetime), or None.

    Returns:
        Time expressions in text order; ``value`` is None when it cannot be resolved.
    """
    base = parse_published(published)
    text = doc.text
    matches = _pattern_matches(doc)
    matches.extend(_entity_matches(doc, matches))
    matches.sort(key=lambda m: (m.start, -m.end))
    out: list[TimeExpression] = []
    for match in matches:
        try:
            resolved = _resolve(match, base, _tense(doc, match))
        except (ValueError, OverflowError, KeyError) as exc:  # impossible dates such as Feb. 30
            log.debug("skipping time expression %r: %s", text[match.start:match.end], exc)
            continue
        if resolved is None:
            continue
        value, precision = resolved
        sentence = sentence_at(sentences, match.start, nearest=True)
        out.append(TimeExpression(
            text=text[match.start:match.end], start=match.start, end=match.end,
            sentence=sentence, value=value, precision=precision,
            event=_event(doc, match, _sentence_bounds(sentences, match.start, len(text))),
        ))
    return tuple(out)


# --------------------------------------------------------------------------- finding spans


def _pattern_matches(doc: Doc) -> list[_Match]:
    text = doc.text
    taken = [False] * (len(text) + 1)
    found: list[_Match] = []
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            start, end = m.span()
            # the span is the time phrase itself: no leading space or preposition
            lead = _LEADING_PREP.match(text, start, end)
            if lead:
                start = lead.end()
            if start >= end or any(taken[start:end]):
                continue
            groups = m.groupdict()
            if not _plausible(doc, kind, groups, start, end):
                continue
            for i in range(start, end):
                taken[i] = True
            found.append(_Match(kind, start, end, groups))
    return found


def _plausible(doc: Doc, kind: str, groups: dict[str, str | None], start: int, end: int) -> bool:
    """Reject pattern matches that are not dates in context ("May" the verb, "the 66th")."""
    text = doc.text
    if kind == "month":
        month = (groups.get("m") or "").rstrip(".").lower()
        bare = not (groups.get("y") or groups.get("mod") or groups.get("rel") or groups.get("since"))
        if bare:
            before = text[max(0, start - 12):start].lower().split()
            prep_ok = bool(before) and before[-1] in {
                "in", "from", "until", "by", "through", "during", "of", "to", "and", "before", "for",
                "after", "since", "till", "between", "early", "late", "mid", "last", "next", "this",
            }
            if not prep_ok:
                return False
            if month in {"may", "march"}:
                token = _token_at(doc, start)
                if token is not None and token.pos_ in {"VERB", "AUX"}:
                    return False
            word = groups["m"] or ""
            if len(word) <= 3 and not word.endswith(".") and month != "may":
                return False  # "Jan" without a full stop is rarely a month in prose
    if kind == "year":
        if not (groups.get("prep") or groups.get("since")):
            return False
        after = text[end:end + 12]
        if re.match(r"\s*(?:percent|per cent|%|people|troops|votes|km|miles|tonnes|\w+s\b)", after):
            return False
    if kind == "rel_period" and re.sub(r"\s+", " ", groups.get("rel") or "").lower() == "the" and groups.get("unit") != "weekend":
        return False  # "the week", "the year": anaphoric
    if kind == "holiday" and "period" in text[end:end + 8]:
        return False
    return True


def _entity_matches(doc: Doc, existing: list[_Match]) -> list[_Match]:
    """DATE/TIME entities the patterns missed, kept only if dateparser can read them as a date."""
    covered = [(m.start, m.end) for m in existing]
    extra: list[_Match] = []
    for ent in doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < ce and cs < e for cs, ce in covered):
            continue
        words = ent.text.strip()
        if _DURATION_RE.match(words) or re.search(r"\b(?:old|later|earlier|ago)\b", words) or not re.search(r"[A-Za-z]", words):
            continue  # durations, ages, anaphora and bare numbers ("the 66th") are not dates
        if not re.search(rf"{_MONTH_RE}|{_YEAR}|{_WEEKDAY_RE}", words):
            continue
        extra.append(_Match("parse", s, e, {"text": words}))
    return extra


# --------------------------------------------------------------------------- tense


def _tense(doc: Doc, match: _Match) -> str:
    """Return "future", "present" or "past" for the clause a time expression sits in."""
    groups = match.groups
    rel = (groups.get("rel") or "").strip().lower()
    if rel == "next":
        return "future"
    if rel == "last" or groups.get("since"):
        return "past"
    token = _token_at(doc, match.start)
    if token is None:
        return "past"
    previous = doc[token.i - 1] if token.i > 0 else None
    until = previous
    if previous is not None and previous.lower_ == "on" and token.i > 1:
        previous = doc[token.i - 2]
    if previous is not None and previous.lemma_ in _SPEECH and previous.tag_ in {"VBD", "VBN"}:
        return "past"  # "said Tuesday it would ...": the date is when it was said
    verb = _governing_verb(token)
    if verb is None:
        return "past"
    chain: list[Token] = [verb]
    head = verb
    for _ in range(3):  # "is expected to visit", "plans to challenge"
        if head.dep_ in {"xcomp", "ccomp"} and head.head is not head:
            head = head.head
            chain.append(head)
        else:
            break
    for v in chain:
        auxes = [c for c in v.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.lower_ in _FUTURE_AUX for a in auxes):
            return "future"
        if v.lemma_.lower() in _FUTURE_GOVERNORS and v is not verb:
            return "future"
        if v.lemma_.lower() in {"due", "schedule", "forecast", "expect", "set"} and any(
            a.tag_ in {"VBZ", "VBP"} for a in auxes
        ):
            return "future"
        if v.lemma_.lower() == "due" and v.pos_ == "ADJ":
            return "future"  # "results are due on Jan. 14"
        if v.dep_ == "amod" and v.lemma_.lower() in {"due", "scheduled"}:
            return "future"
    if until is not None and until.lower_ in {"until", "till", "through"}:
        return "present"  # "closed the quay until Wednesday": the end may lie either side
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ in {"VBD", "VBN"} or a.lemma_ in {"have"} for a in auxes) or verb.tag_ in {"VBD", "VBN"}:
        return "past"
    present = verb.tag_ in {"VBZ", "VBP"} or any(a.tag_ in {"VBZ", "VBP"} for a in auxes)
    if present and not any(a.lemma_ == "have" for a in auxes):
        if _through_noun(token, verb, match):
            return "past"  # "exclude the casualties from Monday's attack": the noun's event is past
        if verb.lemma_.lower() in _SCHEDULED:
            return "future"  # "closing arguments begin Monday": the present of timetables
        return "present"
    return "past"


def _through_noun(token: Token, verb: Token, match: _Match) -> bool:
    """True if the date is a possessive on a noun between it and its verb ("Monday's attack")."""
    if not re.search(r"['’]s$", match.groups.get("wd") and _match_text(token, match) or ""):
        return False
    current = token
    for _ in range(8):
        if current is verb or current.head is current:
            return False
        current = current.head
        if current is not verb and current.pos_ in {"NOUN", "PROPN"} and not (
            match.start <= current.idx < match.end
        ):
            return True
    return False


def _match_text(token: Token, match: _Match) -> str:
    """The text of a match."""
    return token.doc.text[match.start:match.end]


def _governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(8):
        if current.pos_ in {"VERB", "AUX"} or (current.pos_ == "ADJ" and current.lemma_ == "due"):
            return current
        if current.head is current:
            return current if current.pos_ in {"VERB", "AUX"} else None
        current = current.head
    return None


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# --------------------------------------------------------------------------- resolving


def _resolve(match: _Match, base: dt.date | None, tense: str) -> tuple[str | None, str] | None:
    """Return (value, precision) for a match, or None to drop it."""
    g = match.groups
    kind = match.kind
    if kind == "iso":
        return _iso(dt.date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))), "day"
    if kind in {"md", "dm"}:
        return _month_day(g, base, tense)
    if kind == "md_range":
        m1, d1 = _month(g["m1"]), _day(g["d1"])
        m2 = _month(g["m2"]) if g.get("m2") else m1
        d2 = _day(g["d2"])
        if g.get("y"):
            year = int(g["y"] or 0)
            return f"{_iso(dt.date(year, m1, d1))}/{_iso(dt.date(year, m2, d2))}", "day"
        if base is None:
            return None, "day"
        first = _year_for(base, lambda y: dt.date(y, m1, d1), tense)
        last = dt.date(first.year + (1 if m2 < m1 else 0), m2, d2)
        return f"{_iso(first)}/{_iso(last)}", "day"
    if kind == "between_y":
        return f"{g['y1']}-01-01/{g['y2']}-12-31", "year"
    if kind == "between_m":
        return _between_months(g, base, tense)
    if kind == "month":
        return _month_expr(g, base, tense)
    if kind in {"wd", "clock_wd"}:
        return _weekday_expr(g, base, tense, kind)
    if kind == "night":
        word = re.sub(r"\s+", " ", (g["w"] or "").lower())
        if word == "overnight":
            return None
        if base is None:
            return None, "time"
        return _iso(base - dt.timedelta(days=1) if word == "last night" else base), "time"
    if kind == "part":
        return (_iso(base) if base else None), "time"
    if kind == "day":
        if base is None:
            return None, "day"
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[(g["w"] or "").lower()]
        return _iso(base + dt.timedelta(days=shift)), "day"
    if kind == "holiday":
        return _holiday(g, base, tense)
    if kind == "rel_period":
        return _rel_period(g, base, tense)
    if kind == "start_of":
        return _start_of(g, base)
    if kind == "recent":
        if base is None:
            return None, "week"
        unit = (g["unit"] or "").lower()
        days = {"days": 7, "weeks": 28, "months": 90}[unit]
        return f"{_iso(base - dt.timedelta(days=days))}/{_iso(base)}", "week" if unit != "months" else "month"
    if kind == "ago":
        return _ago(g, base)
    if kind == "year":
        year = int(g["y"] or 0)
        if g.get("since"):
            if base is None:
                return None, "year"
            return f"{year}-01-01/{_iso(base)}", "year"
        return f"{year}-01-01/{year}-12-31", "year"
    if kind == "parse":
        return _dateparser(g.get("text") or "", base)
    return None


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _month(word: str | None) -> int:
    key = (word or "").rstrip(".").lower()
    if key not in _MONTHS:
        raise ValueError(f"not a month: {word!r}")
    return _MONTHS[key]


def _day(word: str | None) -> int:
    return int(re.sub(r"\D", "", word or ""))


def _year_for(base: dt.date, make: Any, tense: str) -> dt.date:
    """Pick the year for a date without one: on/before publication (past), on/after (future), nearest."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(make(year))
        except ValueError:  # Feb. 29 outside leap years
            continue
    if not candidates:
        raise ValueError("no valid year")
    if tense == "past":
        before = [c for c in candidates if c <= base]
        if before:
            return max(before)
    if tense == "future":
        after = [c for c in candidates if c >= base]
        if after:
            return min(after)
    return min(candidates, key=lambda c: (abs((c - base).days), c > base))


def _month_range(year: int, month: int, mod: str | None = None) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    mod = (mod or "").strip().rstrip("-").lower()
    if mod == "early":
        return dt.date(year, month, 1), dt.date(year, month, 10)
    if mod == "mid":
        return dt.date(year, month, 11), dt.date(year, month, 20)
    if mod == "late":
        return dt.date(year, month, 21), dt.date(year, month, last)
    return dt.date(year, month, 1), dt.date(year, month, last)


def _pick_month_year(base: dt.date, month: int, tense: str, rel: str) -> int:
    if rel == "last":
        return base.year if month < base.month else base.year - 1
    if rel == "next":
        return base.year if month > base.month else base.year + 1
    if rel == "this":
        return base.year
    if tense == "past":
        return base.year if month <= base.month else base.year - 1
    this_month = dt.date(base.year, base.month, 1)
    return _year_for(this_month, lambda y: dt.date(y, month, 1), tense).year


def _month_expr(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str]:
    month = _month(g["m"])
    mod = (g.get("mod") or "").strip()
    precision = "month"
    if g.get("y"):
        year = int(g["y"] or 0)
    elif base is None:
        return None, precision
    else:
        rel = (g.get("rel") or "").strip().lower()
        if tense == "present":
            # present tense with a bare month: the nearest occurrence (start of the month)
            candidates = [dt.date(y, month, 1) for y in (base.year - 1, base.year, base.year + 1)]
            this_month = dt.date(base.year, base.month, 1)
            year = min(candidates, key=lambda c: (abs((c - this_month).days), c > this_month)).year
        else:
            year = _pick_month_year(base, month, tense, rel)
    first, last = _month_range(year, month, mod)
    if g.get("since"):
        if base is None:
            return None, precision
        if mod.rstrip("-").lower() == "mid":
            first = dt.date(year, month, 15)
        return f"{_iso(first)}/{_iso(base)}", precision
    return f"{_iso(first)}/{_iso(last)}", precision


def _month_day(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str]:
    month, day = _month(g["m"]), _day(g["d"])
    if g.get("y"):
        date = dt.date(int(g["y"] or 0), month, day)
    elif base is None:
        return None, "day"
    else:
        date = _year_for(base, lambda y: dt.date(y, month, day), tense)
        weekday = (g.get("wd") or "").lower()
        if weekday and date.weekday() != _WEEKDAYS[weekday]:
            # "Monday, Oct. 9": the weekday names the year when the tense does not
            for year in (base.year, base.year + 1, base.year - 1):
                try:
                    candidate = dt.date(year, month, day)
                except ValueError:
                    continue
                if candidate.weekday() == _WEEKDAYS[weekday]:
                    date = candidate
                    break
    if g.get("since"):
        return (f"{_iso(date)}/{_iso(base)}" if base else None), "day"
    return _iso(date), "day"


def _between_months(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str]:
    m1, m2 = _month(g["m1"]), _month(g["m2"])
    if g.get("y1") or g.get("y2"):
        y2 = int(g.get("y2") or g.get("y1") or 0)
        y1 = int(g.get("y1") or (y2 if m1 <= m2 else y2 - 1))
    elif base is None:
        return None, "month"
    else:
        y2 = _pick_month_year(base, m2, tense, "")
        y1 = y2 if m1 <= m2 else y2 - 1
    first = _month_range(y1, m1, g.get("mod1"))[0]
    last = _month_range(y2, m2, g.get("mod2"))[1]
    return f"{_iso(first)}/{_iso(last)}", "month"


def _weekday_expr(g: dict[str, str | None], base: dt.date | None, tense: str, kind: str) -> tuple[str | None, str]:
    weekday = _WEEKDAYS[(g["wd"] or "").lower()]
    rel = (g.get("rel") or "").strip().lower()
    timed = bool(g.get("part") or g.get("hours") or g.get("mod") or kind == "clock_wd")
    precision = "time" if timed else "day"
    if base is None:
        return None, precision
    back = (base.weekday() - weekday) % 7
    ahead = (weekday - base.weekday()) % 7
    if rel == "last":
        day = base - dt.timedelta(days=back or 7)
    elif rel == "next" or (tense == "future" and rel != "this"):
        day = base + dt.timedelta(days=ahead or 7)
    elif rel == "this" and tense in {"future", "present"}:
        day = base + dt.timedelta(days=ahead)
    elif tense == "present":
        # neither past nor future in the grammar: the nearer of the two, the past one on a tie
        day = base - dt.timedelta(days=back) if back <= ahead else base + dt.timedelta(days=ahead)
    else:
        day = base - dt.timedelta(days=back)
    if g.get("since"):
        return f"{_iso(day)}/{_iso(base)}", "day"
    return _iso(day), precision


def _week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _rel_period(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str] | None:
    unit = (g["unit"] or "").lower()
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower())
    edge = (g.get("edge") or "").lower()
    precision = {"week": "week", "weekend": "day", "month": "month", "year": "year"}[unit]
    if rel == "the" and unit != "weekend":
        return None  # "the week", "the year": anaphoric
    if base is None:
        return None, precision
    if rel == "the past":
        days = {"week": 7, "weekend": 3, "month": 30, "year": 365}[unit]
        first, last = base - dt.timedelta(days=days), base
    elif unit == "weekend":
        saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7)  # on or before publication
        if rel == "next" or (rel in {"this", "the"} and tense in {"future", "present"} and base.weekday() < 5):
            saturday += dt.timedelta(days=7)
        if rel == "last" and base.weekday() in {5, 6}:
            saturday -= dt.timedelta(days=7)
        first, last = saturday, saturday + dt.timedelta(days=1)
    elif unit == "week":
        shift = {"last": -7, "next": 7}.get(rel, 0)
        first, last = _week_bounds(base + dt.timedelta(days=shift))
    elif unit == "month":
        year, month = base.year, base.month
        if rel == "last":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        elif rel == "next":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first, last = _month_range(year, month)
    else:
        year = base.year + {"last": -1, "next": 1}.get(rel, 0)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if edge == "earlier":
        last = min(last, base)
    elif edge == "later":
        first = max(first, base)
    if g.get("since"):
        last = base
    return f"{_iso(first)}/{_iso(last)}", precision


def _start_of(g: dict[str, str | None], base: dt.date | None) -> tuple[str | None, str] | None:
    unit = (g["unit"] or "").lower()
    if base is None:
        return None, "day"
    if unit == "week":
        first, last = _week_bounds(base)
    elif unit == "month":
        first, last = _month_range(base.year, base.month)
    else:
        first, last = dt.date(base.year, 1, 1), dt.date(base.year, 12, 31)
    if g.get("since"):
        return f"{_iso(first)}/{_iso(base)}", unit
    point = first if (g.get("edge") or "").lower() in {"start", "beginning"} else last
    return _iso(point), "day"


def _ago(g: dict[str, str | None], base: dt.date | None) -> tuple[str | None, str]:
    raw = (g["n"] or "").lower()
    n = int(raw) if raw.isdigit() else _NUM_WORDS[raw]
    unit = (g["unit"] or "").lower()
    if base is None:
        return None, unit
    if unit == "day":
        return _iso(base - dt.timedelta(days=n)), "day"
    if unit == "week":
        return _iso(base - dt.timedelta(days=7 * n)), "week"
    if unit == "month":
        month_index = base.year * 12 + base.month - 1 - n
        first, last = _month_range(month_index // 12, month_index % 12 + 1)
        return f"{_iso(first)}/{_iso(last)}", "month"
    year = base.year - n
    return f"{year}-01-01/{year}-12-31", "year"


def _holiday(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str]:
    name = re.sub(r"\s+", " ", (g["h"] or "").lower()).replace("’", "'")
    month, day = {
        "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
        "new year's day": (1, 1), "new year's eve": (12, 31), "new year's": (1, 1),
    }[name]
    if base is None:
        return None, "day"
    return _iso(_year_for(base, lambda y: dt.date(y, month, day), tense)), "day"


def _dateparser(words: str, base: dt.date | None) -> tuple[str | None, str] | None:
    """Fallback for entity spans no pattern covers: dateparser on the span alone."""
    import dateparser  # imported lazily: it takes a moment to load its language data

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    elif not re.search(_YEAR, words):
        return None
    parsed = dateparser.parse(words, languages=["en"], settings=settings)
    if parsed is None:
        return None
    has_day = bool(re.search(r"\b\d{1,2}\b", words)) or bool(re.search(_WEEKDAY_RE, words))
    if not has_day:
        return None  # dateparser fills a missing day with today's: not a date the text gives
    return _iso(parsed.date()), "day"


# --------------------------------------------------------------------------- context


_KEEP_DEPS = {"nsubj", "nsubjpass", "dobj", "aux", "auxpass", "neg", "prt", "attr", "acomp", "oprd", "agent"}


def _sentence_bounds(sentences: tuple[Sentence, ...], char: int, length: int) -> tuple[int, int]:
    for sentence in sentences:
        if sentence.start <= char < sentence.end:
            return sentence.start, sentence.end
    return 0, length


def _event(doc: Doc, match: _Match, bounds: tuple[int, int]) -> str | None:
    """The clause a time expression dates: subject, verb and object of its verb, trimmed.

    Only words of the expression's own sentence count (the parser may join a
    headline to the first sentence).
    """
    token = _token_at(doc, match.start)
    if token is None:
        return None
    verb = _governing_verb(token)
    if verb is None:
        return _trimmed_sentence(doc, match, bounds)
    anchor = _noun_anchor(token, match)
    keep: set[int] = set()
    if anchor is not None:
        # "the robbery of a jewelry store on Nov. 14": the date belongs to the noun phrase
        keep = _compact_subtree(anchor, with_of=True)
    else:
        keep = _clause_core(verb, match)
    words = [t for t in doc[min(keep):max(keep) + 1]
             if t.i in keep and not (match.start <= t.idx < match.end) and not t.is_punct
             and bounds[0] <= t.idx < bounds[1]]
    while words and words[0].tag_ == "POS":
        words = words[1:]
    if not words or (len(words) == 1 and anchor is None):
        return _trimmed_sentence(doc, match, bounds)
    return _join_tokens(words[:16])


def _trimmed_sentence(doc: Doc, match: _Match, bounds: tuple[int, int]) -> str | None:
    """Fallback event: the sentence's words without the time phrase, cut short."""
    span = doc.char_span(bounds[0], bounds[1], alignment_mode="expand")
    if span is None:
        return None
    words = [t for t in span if not (match.start <= t.idx < match.end) and not t.is_punct
             and not t.is_space]
    while words and words[0].pos_ in {"ADP", "CCONJ", "ADV"} and words[0].lower_ in {"on", "in", "since", "and", "but", "earlier", "later"}:
        words = words[1:]
    return _join_tokens(words[:14]) if words else None


def _join_tokens(words: list[Token]) -> str | None:
    parts = [words[0].text]
    for prev, tok in zip(words, words[1:]):
        parts.append(("" if tok.i == prev.i + 1 and not prev.whitespace_ else " ") + tok.text)
    return "".join(parts).strip() or None


def _clause_core(verb: Token, match: _Match) -> set[int]:
    """Subject, verb, object and first prepositional phrase of a clause; borrow a shared subject."""
    keep = {verb.i}
    for child in verb.children:
        if child.dep_ == "prep" and child.i > verb.i and child.lower_ not in {"according", "as", "because"} \
                and not any(match.start <= t.idx < match.end for t in child.subtree):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and not any(t.i in keep and t.dep_ == "prep" for t in verb.children):
                keep.add(child.i)  # "were led out of the cold store", "was brought under control"
                keep.update(_compact_subtree(objects[0], with_of=True))
    for child in verb.children:
        if child.dep_ in _KEEP_DEPS:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.tag_ in {"WDT", "WP"}:
                if verb.head.pos_ in {"NOUN", "PROPN"}:  # "a race that was called" -> "a race was called"
                    keep.update(_compact_subtree(verb.head))
            else:
                keep.update(_compact_subtree(child))
    has_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)
    head = verb.head
    if verb.dep_ in {"xcomp", "conj"} and head is not verb and not has_subject:
        # "is expected to visit", "... and resumed": the subject sits with the head verb
        if verb.dep_ == "xcomp":
            keep.add(head.i)
        for child in head.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.tag_ in {"WDT", "WP"}:
                if head.head.pos_ in {"NOUN", "PROPN"}:  # "the blaze, which broke out and was brought"
                    keep.update(_compact_subtree(head.head))
            elif child.dep_ in {"nsubj", "nsubjpass"} or (
                    verb.dep_ == "xcomp" and child.dep_ in {"aux", "auxpass", "neg"}):
                keep.update(_compact_subtree(child))
    return keep


def _noun_anchor(token: Token, match: _Match) -> Token | None:
    """The noun a date phrase modifies through a preposition, when it is an event noun."""
    top = token
    while top.head is not top and match.start <= top.head.idx < match.end:
        top = top.head
    if top.dep_ == "poss" and top.head.pos_ in {"NOUN", "PROPN"}:
        return top.head  # "Tuesday's strike"
    prep = top.head
    if top.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in {"on", "in", "of", "since"}:
        return None
    noun = prep.head
    if noun.pos_ != "NOUN" or noun.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"}:
        return None
    if not _is_event_noun(noun):
        return None  # "led out of the cold store on Sunday": the date belongs to the verb
    return noun


_EVENT_NOUNS = frozenset({
    "attack", "strike", "airstrike", "fire", "blast", "raid", "vote", "election", "meeting", "talks",
    "crash", "storm", "quake", "earthquake", "explosion", "protest", "march", "rally", "summit", "war",
    "deal", "trial", "hearing", "visit", "speech", "game", "match", "race", "robbery", "shooting",
    "assault", "offensive", "ceasefire", "flood", "collapse", "arrest", "release", "launch", "landing",
    "incident", "accident", "outbreak", "ruling", "verdict", "announcement", "statement", "briefing",
    "conference", "interview", "session", "ceremony", "funeral", "festival", "strikes", "attacks",
})


def _is_event_noun(noun: Token) -> bool:
    """Nouns that name events ("the strike", "the robbery", "the announcement")."""
    lemma = noun.lemma_.lower()
    return lemma in _EVENT_NOUNS or lemma.endswith(("tion", "sion", "ment", "ery", "ing", "ure", "ade"))


def _compact_subtree(token: Token, *, with_of: bool = False) -> set[int]:
    """A phrase's core words: determiners, modifiers and conjuncts, no clauses or asides."""
    keep = {token.i}
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            ok = child.dep_ in {"det", "compound", "nummod", "poss", "case", "quantmod", "nmod",
                                "conj", "cc", "hmod", "hyph", "prt", "neg"}
            ok = ok or (child.dep_ == "amod" and not list(child.children))
            ok = ok or (with_of and child.dep_ == "prep" and child.lower_ == "of")
            ok = ok or (with_of and child.dep_ == "pobj" and current.lower_ == "of")
            if ok:
                keep.add(child.i)
                stack.append(child)
    return keep
