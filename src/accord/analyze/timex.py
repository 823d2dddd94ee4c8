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

Each expression carries the event it dates (``event``): the clause of its
verb cut to subject, verb group, object and the complement the verb needs
("were led out of the cold store"), the event noun it modifies ("Tuesday's
strike"), the clause a reporting verb introduces rather than "said", the
phrase of its own in a list of dates, or, failing all that, the sentence
without its attribution, shortened by whole phrases to about 20 words.

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
    from spacy.tokens import Doc, Span, Token

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
    "sunday": 6, "mon.": 0, "tue.": 1, "tues.": 1, "wed.": 2, "thu.": 3, "thur.": 3, "thurs.": 3,
    "thus.": 3, "fri.": 4, "sat.": 5, "sun.": 6,
}
_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY_RE = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:Mon|Tues?|Wed|Thur?s?|Fri|Sat|Sun)\.(?=\s))"  # AP abbreviations: "will see a specialist Tues."
)
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
    ("md_range", rf"\b(?:from\s+|(?P<btw>between\s+))?(?P<m1>{_MONTH_RE})\s+(?P<d1>{_DAY})\s*(?:to|through|until|-|–|(?(btw)and|(?!)))\s*"
                 rf"(?:(?P<m2>{_MONTH_RE})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b(?![,.]?\d)"),
    ("md", rf"{_SINCE}(?:\b(?P<wd>{_WEEKDAY_RE}),?\s+)?\b(?P<m>{_MONTH_RE})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("dm", rf"{_SINCE}\b(?P<d>{_DAY})\s+(?P<m>{_MONTH_RE})\b(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("between_m", rf"\bbetween\s+(?P<mod1>{_MOD}\s*)?(?P<m1>{_MONTH_RE})(?:\s+(?P<y1>{_YEAR}))?\s+and\s+"
                  rf"(?P<mod2>{_MOD}\s*)?(?P<m2>{_MONTH_RE})(?:\s+(?P<y2>{_YEAR}))?\b"),
    ("between_y", rf"\bbetween\s+(?P<y1>{_YEAR})\s+and\s+(?P<y2>{_YEAR})\b"),
    ("season", rf"\b(?P<y1>{_YEAR})[-–/](?P<y2>\d\d)\b(?![-–/]\d)"),
    ("quarter", rf"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter(?:\s+of\s+(?P<y>{_YEAR}))?\b"
                rf"|\bQ(?P<qn>[1-4])(?:\s+(?P<y2>{_YEAR}))?\b"),
    ("from_m", rf"\bfrom\s+(?P<mod1>{_MOD}\s*)?(?P<m1>{_MONTH_RE})(?:\s+(?P<y1>{_YEAR}))?\s+(?:to|through|until)\s+"
               rf"(?P<mod2>{_MOD}\s*)?(?P<m2>{_MONTH_RE})(?:\s+(?P<y2>{_YEAR}))?\b(?!\s+\d)"),
    ("wd_range", rf"\bfrom\s+(?P<wd1>{_WEEKDAY_RE})\s+(?:to|through|until)\s+(?P<wd2>{_WEEKDAY_RE})"),
    ("nth", r"\b(?:on|by|until|from|before|after)\s+the\s+(?P<d>[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:of\b|[a-z]))"),
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
            r"(?P<unit>day|week|fortnight|month|year)s?\s+ago\b"),
    ("year", rf"{_SINCE}(?P<prep>\b(?i:in|from|until|by|for|during|of|before|after)\s+)?"
             rf"(?P<y>{_YEAR})\b(?![-–]\d)"),
)
_COMPILED = tuple((name, re.compile(rx)) for name, rx in _PATTERNS)
_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_FUTURE_AUX = {"will", "wo", "'ll", "shall", "would", "’ll", "must", "should"}
_MODAL_FUTURE = {"may", "might"}  # "may not be finished until March": not yet
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
    spans = [(m.start, m.end) for m in matches]
    out: list[TimeExpression] = []
    previous_match: _Match | None = None
    previous_tense = "past"
    for match in matches:
        _borrow_year(match, matches, sentences)
        previous = _token_at(doc, match.start)
        previous = previous.nbor(-1) if previous is not None and previous.i > 0 else None
        deadline = previous is not None and (previous.lower_ in {"by", "until", "till", "before"} or previous.pos_ in {"NOUN", "PROPN"})
        match.groups["_deadline"] = "yes" if deadline else None
        tense = _tense(doc, match)
        if previous_match is not None and re.fullmatch(r",?\s+and\s+(?:\w+\s+){0,2}(?:on|in|by)?\s*", text[previous_match.end:match.start]):
            tense = previous_tense  # "polling scheduled for May 10 and counting on May 13"
        previous_match, previous_tense = match, tense
        try:
            resolved = _resolve(match, base, tense)
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
            event=_event(doc, match, _sentence_bounds(sentences, match.start, len(text)), spans, text),
        ))
    return tuple(out)


def _borrow_year(match: _Match, matches: list[_Match], sentences: tuple[Sentence, ...]) -> None:
    """ "In 2022, the budget was not signed until July 12": a day without a year takes the year
    written earlier in its sentence."""
    if match.kind not in {"md", "dm", "md_range"} or match.groups.get("y") or match.groups.get("since"):
        return
    sentence = sentence_at(sentences, match.start, nearest=True)
    for other in matches:
        if other.start >= match.start:
            break
        year = other.groups.get("y") if other.kind in {"year", "md", "dm", "month"} else None
        if not year or sentence_at(sentences, other.start, nearest=True) != sentence or sentence < 0:
            continue
        # only a year that opens the sentence sets the scene for it ("In 2022, ...")
        if other.start - sentences[sentence].start <= 4:
            match.groups["y"] = year


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
            if not _plausible(doc, kind, groups, start, end, text):
                continue
            for i in range(start, end):
                taken[i] = True
            found.append(_Match(kind, start, end, groups))
    return found


def _plausible(doc: Doc, kind: str, groups: dict[str, str | None], start: int, end: int, text: str) -> bool:
    """Reject pattern matches that are not dates in context ("May" the verb, "the 66th"); ``text`` is ``doc.text``."""
    if kind == "month":
        month = (groups.get("m") or "").rstrip(".").lower()
        bare = not (groups.get("y") or groups.get("mod") or groups.get("rel") or groups.get("since"))
        if bare:
            before = text[max(0, start - 12):start].lower().split()
            prep_ok = bool(before) and before[-1] in {
                "in", "from", "until", "by", "through", "during", "of", "to", "and", "before", "for",
                "after", "since", "till", "between", "early", "late", "mid", "last", "next", "this",
            } or bool(before) and before[-1] in {"the", "its", "their", "his", "her"} and _modifies_noun(doc, end)
            if not prep_ok:
                return False
            if month in {"may", "march"}:
                token = _token_at(doc, start)
                if token is not None and token.pos_ in {"VERB", "AUX"}:
                    return False
            word = groups["m"] or ""
            if len(word) <= 3 and not word.endswith(".") and month != "may":
                return False  # "Jan" without a full stop is rarely a month in prose
    if kind in {"wd", "clock_wd"} and re.search(r"\b(?:a|every|each)\s+$", text[max(0, start - 8):start], re.I):
        return False  # "on a Thursday", "every Monday": no particular day
    if kind == "year":
        modifier = re.search(r"\b(?:the|a|its|their|his|her)\s+$", text[max(0, start - 8):start], re.I) and _modifies_noun(doc, end, singular=True)
        subject = _token_at(doc, end + 1) is not None and _token_at(doc, end + 1).pos_ in {"AUX", "VERB"} and \
            not re.search(r"[\d,]\s*$", text[max(0, start - 3):start])  # "said 2026 would be a year of rebuilding"
        if not (groups.get("prep") or groups.get("since") or modifier or subject):
            return False
        after = text[end:end + 12]
        if re.match(r"\s*(?:percent|per cent|%|people|troops|votes|km|miles|tonnes|\w+s\b)", after):
            return False
    if kind == "rel_period" and re.sub(r"\s+", " ", groups.get("rel") or "").lower() == "the" and groups.get("unit") != "weekend":
        return False  # "the week", "the year": anaphoric
    if kind == "holiday" and "period" in text[end:end + 8]:
        return False
    return True


def _modifies_noun(doc: Doc, end: int, *, singular: bool = False) -> bool:
    """True when the words right after ``end`` are a noun the date modifies ("the November election")."""
    token = _token_at(doc, end + 1) if end < len(doc.text) else None
    for _ in range(2):
        if token is None:
            return False
        if token.pos_ == "NOUN":
            return not (singular and token.tag_ == "NNS")
        if token.pos_ not in {"ADJ", "PROPN"} and token.tag_ != "VBN":
            return False
        token = token.nbor() if token.i + 1 < len(doc) else None
    return False


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
        if re.match(r"(?i)(?:a|every|each)\s", words) or re.search(r"(?i)\b(?:a|every|each)\s+$", doc.text[max(0, s - 8):s]):
            continue  # "a Thursday", "every Monday": no particular day
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
    # auxiliaries written before the verb, whatever the parse made of them ("The clerk's office will be closed")
    leading: list[str] = []
    for t in reversed(doc[max(0, verb.i - 4):verb.i]):
        if t.lower_ in _FUTURE_AUX | _MODAL_FUTURE | {"be", "not", "n't", "also", "still", "only", "have", "been", "to", "likely", "going"}:
            leading.append(t.lower_)
        elif t.pos_ != "ADV":
            break
    if "to" in leading and ("likely" in leading or "going" in leading):
        leading.append("will")  # "are likely to return", "is going to close"
    if any(w in _FUTURE_AUX | _MODAL_FUTURE for w in leading) and "have" not in leading and "been" not in leading:
        return "future"
    for v in chain:
        auxes = [c for c in v.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.lower_ in _FUTURE_AUX for a in auxes):
            return "future"
        if v.lemma_.lower() in _FUTURE_GOVERNORS and v is not verb:
            return "future"
        if v.lemma_.lower() in {"due", "schedule", "forecast", "expect", "set", "plan"} and any(
            a.tag_ in {"VBZ", "VBP"} for a in auxes
        ):
            return "future"
        if v.lemma_.lower() == "due" and v.pos_ == "ADJ":
            return "future"  # "results are due on Jan. 14"
        if v.dep_ in {"amod", "acl"} and v.lemma_.lower() in {"due", "schedule", "scheduled", "plan", "set"} and v.tag_ == "VBN":
            return "future"  # "polling scheduled for May 10"
        if v.tag_ == "VB" and v.lemma_.lower() in _FUTURE_GOVERNORS and any(c.lower_ == "to" for c in v.children):
            return "future"  # "told to expect fogging from Monday"
    if until is not None and until.lower_ in {"until", "till", "through"}:
        return "present"  # "closed the quay until Wednesday": the end may lie either side
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ in {"VBD", "VBN"} or a.lemma_ in {"have"} for a in auxes) or verb.tag_ in {"VBD", "VBN"}:
        return "past"
    present = verb.tag_ in {"VBZ", "VBP"} or any(a.tag_ in {"VBZ", "VBP"} or a.lower_ in {"can", "may"} for a in auxes)
    if present and not any(a.lemma_ == "have" for a in auxes):
        if _through_noun(token, verb, match):
            if until is not None and until.lower_ == "for":
                return "future"  # "ready for Saturday's final"
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
    if kind == "season":
        first = int(g["y1"] or 0)
        last = first // 100 * 100 + int(g["y2"] or 0)
        if last != first + 1:
            return None
        return f"{first}-01-01/{last}-12-31", "year"
    if kind == "quarter":
        return _quarter(g, base, tense)
    if kind in {"between_m", "from_m"}:
        return _between_months(g, base, tense)
    if kind == "wd_range":
        first, _ = _weekday_expr({"wd": g["wd1"]}, base, tense, "wd")
        if first is None or base is None:
            return None, "day"
        start = dt.date.fromisoformat(first)
        ahead = (_WEEKDAYS[(g["wd2"] or "").lower()] - start.weekday()) % 7
        return f"{first}/{_iso(start + dt.timedelta(days=ahead))}", "day"
    if kind == "nth":
        if base is None:
            return None, "day"
        day = int(g["d"] or 0)
        months = [(base.year + (base.month + k - 1) // 12, (base.month + k - 1) % 12 + 1) for k in (-1, 0, 1)]
        dates = [dt.date(y, m, day) for y, m in months if day <= calendar.monthrange(y, m)[1]]
        return _iso(_pick(dates, base, tense)), "day"
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
    if tense == "since":
        before = [c for c in candidates if c <= base]
        return max(before) if before else min(candidates)
    if tense == "past-or-soon":
        before = [c for c in candidates if c <= base]
        soon = [c for c in candidates if base < c <= base + dt.timedelta(days=92)]
        if before and soon and (base - max(before)).days > 270:
            # "ordered both sides back to court March 24" (written March 12): news omits the year
            # of dates in the coming months, and adds it to dates nearly a year back
            return min(soon)
        if before:
            return max(before)
    if tense == "past":
        before = [c for c in candidates if c <= base]
        if before:
            return max(before)
    if tense == "future":
        after = [c for c in candidates if c >= base]
        if after:
            return min(after)
    return min(candidates, key=lambda c: (abs((c - base).days), c > base))


def _pick(dates: list[dt.date], base: dt.date, tense: str) -> dt.date:
    """The date meant among candidates: on or before ``base`` in the past, after it in the future."""
    if tense == "future":
        after = [d for d in dates if d >= base]
        return min(after) if after else max(dates)
    before = [d for d in dates if d <= base]
    return max(before) if before else min(dates)


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
        if g.get("since"):
            tense = "since"
        elif tense == "past" and g.get("_deadline"):
            # "ordered back to court March 24", "hoped to clear the backlog by June 30" (written in
            # March): a date the past verb looks ahead to, in the coming months, where news omits the year
            tense = "past-or-soon"
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


_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _quarter(g: dict[str, str | None], base: dt.date | None, tense: str) -> tuple[str | None, str]:
    """ "the third quarter (of 2024)", "Q1": three months; without a year, by tense (this year's when present)."""
    quarter = int(g["qn"]) if g.get("qn") else _QUARTERS[(g.get("q") or "").lower()]
    year_text = g.get("y") or g.get("y2")
    if year_text:
        year = int(year_text)
    elif base is None:
        return None, "month"
    else:
        current = (base.month - 1) // 3 + 1
        year = base.year
        if tense == "past" and quarter > current:
            year -= 1
        elif tense == "future" and quarter < current:
            year += 1
    first = dt.date(year, 3 * quarter - 2, 1)
    last = _month_range(year, 3 * quarter)[1]
    return f"{_iso(first)}/{_iso(last)}", "month"


def _ago(g: dict[str, str | None], base: dt.date | None) -> tuple[str | None, str]:
    raw = (g["n"] or "").lower()
    n = int(raw) if raw.isdigit() else _NUM_WORDS[raw]
    unit = (g["unit"] or "").lower()
    if base is None:
        return None, unit
    if unit == "day":
        return _iso(base - dt.timedelta(days=n)), "day"
    if unit in {"week", "fortnight"}:
        return _iso(base - dt.timedelta(days=(14 if unit == "fortnight" else 7) * n)), "week"
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


#: Longest event, in words; longer clauses lose their optional phrases first.
_MAX_WORDS = 20
#: Verbs that report or judge another clause: the clause is the event, not the verb.
_REPORT_VERBS = frozenset({
    "say", "tell", "announce", "report", "confirm", "state", "add", "claim", "believe", "think",
    "emphasize", "emphasise", "stress", "assert", "note", "insist", "estimate", "suggest", "argue",
    "explain", "acknowledge", "admit", "reveal", "disclose", "indicate", "write", "tweet", "allege",
    "fear", "understand", "know", "feel", "hope", "warn", "predict", "deny", "learn", "agree",
})
#: Prepositions that open adjuncts (cause, time, source) rather than a complement the verb needs.
_ADJUNCT_PREPS = frozenset({
    "according", "as", "because", "despite", "amid", "amidst", "after", "before", "during", "since",
    "until", "till", "following", "like", "unlike", "than", "including", "while", "in_addition",
    "ahead", "prior", "throughout", "within", "via",
})
#: Adverbs of time, degree or focus, never a complement ("ran aground" keeps its adverb, "still" goes).
_LOOSE_ADVERBS = frozenset({
    "still", "already", "also", "then", "now", "later", "earlier", "just", "even", "only", "yet",
    "ever", "so", "too", "as", "however", "meanwhile", "instead", "first", "last", "soon", "once",
    "there", "here", "when", "where", "why", "how", "well", "very", "more", "most", "less", "nearly",
    "almost", "about", "around", "again", "sharply", "reportedly", "allegedly", "officially", "late",
    "early", "today", "tonight", "yesterday", "tomorrow", "overnight", "ago",
})
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
_OBJECT_DEPS = {"dobj", "dative", "attr", "oprd"}
_VERB_DEPS = {"aux", "auxpass", "neg", "prt"}
_NP_DEPS = {"det", "compound", "nummod", "poss", "case", "quantmod", "nmod", "hmod", "hyph", "prt",
            "neg", "predet", "nounmod", "pobj", "npadvmod"}


def _sentence_bounds(sentences: tuple[Sentence, ...], char: int, length: int) -> tuple[int, int]:
    for sentence in sentences:
        if sentence.start <= char < sentence.end:
            return sentence.start, sentence.end
    return 0, length


def _parse_sentence(token: Token) -> Span:
    """The parser's sentence around a token (``Token.sent`` walks the whole document each time)."""
    doc = token.doc
    start = token.i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token.i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _event_bounds(text: str, token: Token, bounds: tuple[int, int]) -> tuple[int, int]:
    """The expression's sentence, joined with the parser's when a split inside a line cut it ("9 p.m. Monday")."""
    sent = _parse_sentence(token)
    start, end = bounds
    if sent.start_char < start and "\n" not in text[sent.start_char:start]:
        start = sent.start_char
    if sent.end_char > end and "\n" not in text[end:sent.end_char]:
        end = sent.end_char
    return start, end


def _event(doc: Doc, match: _Match, bounds: tuple[int, int], spans: list[tuple[int, int]] | None = None,
           text: str | None = None) -> str | None:
    """The clause a time expression dates: its subject, verb, object and needed complement.

    The date may belong to an event noun ("the robbery of a jewelry store on
    Nov. 14"); a reporting verb gives way to the clause it reports ("said on
    Tuesday that the plant would close"); when no readable clause can be cut,
    the sentence itself stands in, without a trailing attribution. Only words
    of the expression's own sentence count (the parser may join a headline to
    the first sentence); events stay within about ``_MAX_WORDS`` words and end
    on phrase boundaries. ``spans`` are the character spans of all the
    article's expressions: in a list of dates each gets the phrase before it
    ("visited the plant on May 3, the depot on May 9 and the yard on May 12").
    ``text`` is ``doc.text``, passed in because spaCy rebuilds it on every access.
    """
    text = doc.text if text is None else text
    token = _token_at(doc, match.start)
    if token is None:
        return None
    bounds = _event_bounds(text, token, bounds)
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    inside = set(range(span.start, span.end)) if span is not None else {token.i}
    top = _match_top(token, inside)
    before, after = _list_neighbours(text, match, spans or [], bounds)
    in_list = _in_date_list(top) or before == "" or after == ""
    gapped = _gapped_phrase(doc, text, match, before, bounds)
    if gapped is not None:
        return gapped
    # a date that only modifies a noun stays in the words: "Tuesday's strike", "a Monday meeting"
    modifier = top.dep_ in {"poss", "compound", "nmod"} and top.head.pos_ in {"NOUN", "PROPN"}
    anchor = _noun_anchor(top, inside) or _stray_conjunct(top)
    noun_words: list[Token] = []
    if anchor is not None:
        phrase = _noun_phrase(anchor, inside, with_pp=True, in_list=in_list)
        words = _render(doc, _shown(phrase, top, inside, modifier), inside, bounds)
        own = [t for t in words if t.i not in inside and not t.is_punct]
        noun_words = words
        if len(own) >= 3 or (own and anchor.dep_ not in _SUBJECT_DEPS | _OBJECT_DEPS | {"pobj"}):
            return _join_tokens(words)
    verb = _governing_verb(top) or _participle_of_root(top)
    if verb is None or _through_report(top, verb):
        return _trimmed_sentence(doc, token, bounds, inside)
    verb = _reported_clause(verb, inside)
    relative = _object_relative(verb)
    if relative is not None:  # "the dam, which engineers had inspected in March": engineers inspected the dam
        core = _render(doc, _clause_core(verb, inside, lean=True) - {relative.i}, inside, bounds)
        noun = _relative_antecedent(relative, verb)
        antecedent = _render(doc, _noun_phrase(noun, inside, with_pp=False), inside, bounds)
        if core and antecedent and len(core) + len(antecedent) <= _MAX_WORDS and _readable(core + antecedent, verb):
            head_words = _join_tokens(antecedent) or ""
            if antecedent[0].pos_ == "DET":  # "inspected the dam", not "inspected The dam"
                head_words = head_words[:1].lower() + head_words[1:]
            return f"{_join_tokens(core)} {head_words}"
        return _trimmed_sentence(doc, token, bounds, inside)
    for lean in (False, True):
        keep = _clause_core(verb, inside, lean=lean, in_list=in_list)
        if after and _gap_phrase(doc, match.end, after) is not None:  # the next date of the list has its own phrase
            keep = {i for i in keep if i < min(inside)}
        if modifier and noun_words and top.head.i not in keep:
            return _join_tokens(noun_words)  # "unlike Tuesday's counterattack, these were planned"
        words = _render(doc, _shown(keep, top, inside, modifier), inside, bounds)
        if len(words) <= _MAX_WORDS:
            if _readable(words, verb):
                return _join_tokens(words)
            break
    return _trimmed_sentence(doc, token, bounds, inside)


def _through_report(top: Token, verb: Token) -> bool:
    """True if the date reaches a reporting verb through the clause it reports (a verb misread as a noun)."""
    if verb.lemma_.lower() not in _REPORT_VERBS:
        return False
    current = top
    for _ in range(12):
        if current.head == verb:
            return current.dep_ == "ccomp"
        if current.head == current:
            return False
        current = current.head
    return False


def _object_relative(verb: Token) -> Token | None:
    """The relative pronoun object of a relative clause ("which" in "the dam, which engineers inspected")."""
    if verb.dep_ != "relcl":
        return None
    return next((c for c in verb.children if c.dep_ in {"dobj", "pobj"} and c.tag_ in {"WDT", "WP"}), None)


def _relative_antecedent(pronoun: Token, verb: Token) -> Token:
    """The noun right before a relative pronoun (the parser often hangs the clause on an earlier noun)."""
    doc = pronoun.doc
    i = pronoun.i - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i >= 0 and doc[i].pos_ in {"NOUN", "PROPN"}:
        return doc[i]
    return verb.head


def _shown(keep: set[int], top: Token, inside: set[int], modifier: bool) -> set[int]:
    """Mark the date's own words for showing when they only modify a kept noun ("Tuesday's strike")."""
    if modifier and top.head.i in keep:
        return keep | {-1 - i for i in inside}
    return keep


def _participle_of_root(top: Token) -> Token | None:
    """The participle of a sentence the parser read as one noun phrase ("a senior official called Iran ...")."""
    root = _parse_sentence(top).root
    if root.pos_ not in {"NOUN", "PROPN"} or not any(t == root for t in top.ancestors):
        return None
    return next((c for c in root.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)


def _match_top(token: Token, inside: set[int]) -> Token:
    """The expression's highest token (its head lies outside it)."""
    top = token
    for _ in range(12):
        if top.head == top or top.head.i not in inside:
            break
        top = top.head
    return top


_LIST_SEP = re.compile(r"^[\s,;]*(?:(?:and|or)\s+)?$")
_GAP = re.compile(r"^[\s,;]*(?:(?:and|or)\s+)?(?P<phrase>[^,;]+?)\s+(?P<prep>on|in|at|by|from|for|during)\s+$")


def _list_neighbours(text: str, match: _Match, spans: list[tuple[int, int]],
                     bounds: tuple[int, int]) -> tuple[str | None, str | None]:
    """Text between the expression and the previous / next expression of the sentence (None if there is none).

    An empty string means the two dates are listed side by side ("March 2, March 9").
    """
    before = after = None
    for start, end in spans:
        if bounds[0] <= end <= match.start:
            gap = text[end:match.start]
            before = "" if _LIST_SEP.match(gap) else gap
        elif match.end <= start < bounds[1] and after is None:
            gap = text[match.end:start]
            after = "" if _LIST_SEP.match(gap) else gap
    return before, after


def _gap_phrase(doc: Doc, start: int, gap_text: str) -> Span | None:
    """The verbless phrase of at most six words between two dates of a list ("the depot" in ", the depot on")."""
    gap = _GAP.match(gap_text)
    if gap is None:
        return None
    phrase = doc.char_span(start + gap.start("phrase"), start + gap.end("phrase"), alignment_mode="expand")
    if phrase is None or not 0 < len(phrase) <= 6 or any(t.pos_ in {"VERB", "AUX", "SCONJ", "PRON"} for t in phrase):
        return None
    return phrase


def _gapped_phrase(doc: Doc, text: str, match: _Match, before: str | None, bounds: tuple[int, int]) -> str | None:
    """A later date of a list whose verb is left out: subject, verb and the phrase before this date.

    "Inspectors visited the plant on May 3, the depot on May 9": May 9 gets
    "Inspectors visited the depot".
    """
    if not before:
        return None
    gap = _GAP.match(before)
    if gap is None:
        return None
    start = match.start - len(before)
    lead = text[bounds[0]:start]  # the previous date came after the same preposition
    if not re.search(rf"\b{gap['prep']}\s+\S+(?:\s+\S+){{0,3}}$", lead):
        return None
    phrase = _gap_phrase(doc, start, before)
    if phrase is None:
        return None
    verb = _governing_verb(phrase.root)
    if verb is None or verb.i > phrase.start:
        return None
    keep = {verb.i} | {c.i for c in verb.children if c.dep_ in _VERB_DEPS}
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.tag_ not in {"WDT", "WP"}:
            keep |= _noun_phrase(child, set(), with_pp=False)
    words = [doc[i] for i in sorted(keep) if doc[i].i < phrase.start]
    words += [t for t in phrase if not t.is_punct or t.text in {"-", "–"}]
    return _join_tokens(words) if len(words) >= 3 else None


def _stray_conjunct(top: Token) -> Token | None:
    """A noun parsed as the conjunct of a verb on the way up from the date: the date is its own."""
    current = top
    for _ in range(6):
        head = current.head
        if head == current or current.pos_ in {"VERB", "AUX"}:
            return None
        if current.dep_ == "conj" and current.pos_ in {"NOUN", "PROPN"} and head.pos_ in {"VERB", "AUX"}:
            return current  # "... had culled their flocks, and a regional ban ... runs until Dec. 15"
        current = head
    return None


def _in_date_list(top: Token) -> bool:
    """True when the expression is one of several coordinated dates ("on Oct. 26, Nov. 8 and Nov. 12")."""
    if top.dep_ in {"conj", "appos"} and top.head.ent_type_ in {"DATE", "TIME"}:
        return True
    return any(c.dep_ in {"conj", "appos"} and c.ent_type_ in {"DATE", "TIME"} for c in top.children)


def _reported_clause(verb: Token, inside: set[int]) -> Token:
    """The verb of the clause a reporting verb introduces ("said on Monday that ..."), else ``verb``."""
    if verb.lemma_.lower() not in _REPORT_VERBS:
        return verb
    if any(c.dep_ in {"dobj", "dative"} and c.pos_ != "PRON" for c in verb.children) and verb.lemma_ != "tell":
        return verb  # "announced the grants": the verb is the event
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i > verb.i and child.pos_ in {"VERB", "AUX"} \
                and not any(t.i in inside for t in child.subtree):
            return child
    return verb


def _readable(words: list[Token], verb: Token) -> bool:
    """A clause a reader can take alone: a subject or noun before a verb, not a bare light verb."""
    content = [t for t in words if not t.is_punct]
    if len(content) < 2:
        return False
    if not any(t.pos_ in {"NOUN", "PROPN", "PRON", "NUM"} or t.dep_ in _SUBJECT_DEPS for t in content):
        return False
    if verb.lemma_ in {"have", "be", "do"} and not any(t.i > verb.i for t in content):
        return False  # "The buyer has": the clause's content went with the date
    if any(t.tag_ in {"WDT", "WP"} and t.dep_ in _OBJECT_DEPS for t in content):
        return False  # "which it invaded": the object is outside the clause
    last = content[-1]
    dangling = last.pos_ in {"ADP", "CCONJ", "SCONJ", "DET"} and last.dep_ != "prt"
    return not (dangling or last.dep_ in {"aux", "auxpass", "poss"})


def _render(doc: Doc, keep: set[int], inside: set[int], bounds: tuple[int, int]) -> list[Token]:
    """The kept words in text order: no date words, no dangling prepositions, inside the sentence.

    Date words marked for showing come as ``-1 - index`` (see ``_shown``).
    """
    shown = {-1 - i for i in keep if i < 0}
    keep = {i for i in keep if i >= 0 and (i not in inside or i in shown) and bounds[0] <= doc[i].idx < bounds[1]}
    changed = True
    while changed:  # a preposition whose object went (the date, a clause) goes too
        changed = False
        for i in sorted(keep):
            t = doc[i]
            if t.dep_ in {"prep", "agent"} and not any(c.i in keep for c in t.children):
                keep.discard(i)
                changed = True
    words = []
    for i in sorted(keep):
        t = doc[i]
        if t.is_punct and not (t.dep_ == "hyph" or t.text in {"-", "–", "&", "/"}):
            continue
        if t.is_punct and not (i - 1 in keep and i + 1 in keep):
            continue
        words.append(t)
    while words and (words[0].tag_ == "POS" or words[0].pos_ in {"CCONJ", "SCONJ"} or words[0].dep_ in {"mark", "cc"}):
        words = words[1:]
    while words and (words[-1].pos_ in {"CCONJ", "SCONJ", "ADP"} and words[-1].dep_ not in {"prt"}):
        words = words[:-1]
    return words


def _clause_core(verb: Token, inside: set[int], *, lean: bool = False, in_list: bool = False) -> set[int]:
    """Subject, verb group, object and the complement the verb needs; a missing subject is borrowed."""
    keep = {verb.i}
    keep.update(c.i for c in verb.children if c.dep_ in _VERB_DEPS)
    has_subject = False
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.i not in inside:
            has_subject = True
            if child.tag_ in {"WDT", "WP"} or child.lower_ == "that":
                keep.update(_antecedent(verb, inside, lean=lean))
            else:
                keep.update(_noun_phrase(child, inside, with_pp=not lean, in_list=in_list))
    if not has_subject:
        keep.update(_borrowed_subject(verb, inside, lean=lean))
    keep.update(_complements(verb, inside, lean=lean, in_list=in_list))
    return keep


def _complements(verb: Token, inside: set[int], *, lean: bool, in_list: bool) -> set[int]:
    """Objects, predicatives, particles, a needed adverb, an infinitive and one prepositional phrase."""
    keep: set[int] = set()
    has_object = False
    for child in verb.children:
        if child.i in inside:
            continue
        if child.dep_ in _OBJECT_DEPS:
            has_object = True
            keep.update(_noun_phrase(child, inside, with_pp=not lean, in_list=in_list))
            if child.pos_ not in {"NOUN", "PROPN", "PRON"}:  # "the first that resulted in casualties"
                for rel in child.children:
                    if rel.dep_ == "relcl":
                        keep.add(rel.i)
                        keep.update(_complements(rel, inside, lean=False, in_list=in_list))
                        keep.update(c.i for c in rel.children if c.dep_ in _SUBJECT_DEPS | _VERB_DEPS)
        elif child.dep_ == "acomp":
            has_object = True
            keep.add(child.i)
            keep.update(c.i for c in child.children if c.dep_ in {"advmod", "neg"} and c.i < child.i)
            for sub in child.children:
                if sub.dep_ == "xcomp" and not any(t.i in inside for t in sub.subtree):
                    keep.update(_infinitive(sub, inside, in_list=in_list))
                elif sub.dep_ == "prep" and not lean:
                    keep.update(_prep_phrase(sub, inside, limit=6))
        elif child.dep_ == "advmod" and child.i > verb.i and not list(child.children) \
                and child.pos_ == "ADV" and child.lower_ not in _LOOSE_ADVERBS and not child.lower_.endswith("ly"):
            keep.add(child.i)  # "ran aground", "were brought ashore"
        elif child.dep_ == "xcomp" and not any(t.i in inside for t in child.subtree):
            if verb.lemma_ == "have" and any(verb.i < i < child.i for i in inside):
                continue  # "has until Oct. 1 to submit plans" is not "has to submit plans"
            keep.update(_infinitive(child, inside, in_list=in_list))
        elif child.dep_ == "agent":
            keep.update(_prep_phrase(child, inside, limit=6))
    keep.update(_needed_prep(verb, inside, lean=lean, after_object=_object_end(verb, keep) if has_object else None))
    return keep


def _object_end(verb: Token, keep: set[int]) -> int | None:
    """Index of the last word of the verb's object phrase."""
    objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS and c.i in keep]
    return max((i for o in objects for i in (t.i for t in o.subtree) if i in keep), default=None)


def _infinitive(verb: Token, inside: set[int], *, in_list: bool) -> set[int]:
    """An infinitive or participle complement with its own object ("plans to challenge the law")."""
    keep = {verb.i}
    keep.update(c.i for c in verb.children if c.dep_ in _VERB_DEPS)
    keep.update(_complements(verb, inside, lean=True, in_list=in_list))
    return keep


def _needed_prep(verb: Token, inside: set[int], *, lean: bool, after_object: int | None) -> set[int]:
    """One prepositional phrase of the verb: the one holding the date as a modifier, else the first complement.

    After an object, only a phrase right behind it counts ("pushed temperatures
    to 44C", "brought the fire under control").
    """
    preps = [c for c in verb.children if c.dep_ == "prep" and c.i not in inside]
    for prep in preps:  # "during a Tuesday afternoon news conference": the date names this phrase
        objects = [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]
        if objects and objects[0].i not in inside and objects[0].ent_type_ not in {"DATE", "TIME"} \
                and prep.lower_ not in {"unlike", "like", "than", "despite", "except", "besides"} \
                and any(t.i in inside for t in prep.subtree):
            return _prep_phrase(prep, inside, limit=8)
    if lean:
        return set()
    for prep in preps:
        if prep.i < verb.i or prep.lower_ in _ADJUNCT_PREPS or any(t.i in inside for t in prep.subtree):
            continue
        if after_object is not None and prep.left_edge.i != after_object + 1:
            break
        phrase = _prep_phrase(prep, inside, limit=9 if after_object is None else 4)
        if phrase:
            return phrase
        break
    return set()


def _prep_phrase(prep: Token, inside: set[int], *, limit: int) -> set[int]:
    """A preposition with its object's core words ("out of the cold store"), or nothing if longer than ``limit``."""
    keep = {prep.i}
    keep.update(c.i for c in prep.children if c.dep_ == "advmod" and c.i < prep.i)
    found = False
    for child in prep.children:
        if child.dep_ == "pobj":
            noun = _noun_phrase(child, inside, with_pp=False)
            for acl in child.children:  # "resulted in several members sustaining injuries"
                if acl.dep_ == "acl" and acl.tag_ == "VBG" and acl.i > child.i:
                    rich = noun | {acl.i} | _complements(acl, inside, lean=True, in_list=False)
                    if len(rich - inside) + len(keep) <= limit + 3:
                        noun = rich
            keep.update(noun)
            found = True
        elif child.dep_ == "prep":  # "out of", "ahead of"
            nested = _prep_phrase(child, inside, limit=limit)
            keep.update(nested)
            found = found or bool(nested)
        elif child.dep_ == "pcomp" and child.pos_ in {"ADV", "ADP"}:
            keep.update(_prep_phrase(child, inside, limit=limit) | {child.i})
            found = True
    if not found or len(keep - inside) > limit:
        return set()
    return keep


def _noun_phrase(noun: Token, inside: set[int], *, with_pp: bool, in_list: bool = False) -> set[int]:
    """A noun's core words: determiners, modifiers, conjuncts, an "of" phrase and one short other phrase."""
    keep = {noun.i}
    stack = [noun]
    while stack:
        current = stack.pop()
        for child in current.children:
            ok = child.dep_ in _NP_DEPS or (child.dep_ in {"conj", "cc"} and current.pos_ in {"NOUN", "PROPN", "PRON"})
            ok = ok or (child.dep_ in {"amod", "advmod"} and child.i < current.i and not any(
                c.dep_ not in {"punct", "hyph", "npadvmod", "nummod", "advmod", "compound", "nmod", "quantmod"}
                for c in child.children))  # "Iran-backed militias", not "militias backed by Iran"
            if in_list and child.dep_ == "nummod" and current == noun:
                ok = False  # "three strikes on Oct. 26, Nov. 8 and Nov. 12": each date has one
            if child.dep_ in {"amod", "acomp"} and child.i > current.i and current == noun:
                keep.add(child.i)  # "a girl alive from the mud"
                for sub in child.children:
                    if sub.dep_ == "prep":
                        keep.update(_prep_phrase(sub, inside, limit=4))
                continue
            if ok:
                keep.add(child.i)
                stack.append(child)
            elif child.dep_ == "punct" and child.text in {"-", "–"}:
                keep.add(child.i)
    for child in noun.children:
        objects = [c for c in child.children if c.dep_ == "pobj"]
        if child.dep_ != "prep" or child.i < noun.i or not objects or objects[0].i in inside:
            continue
        if child.lower_ == "of":
            keep.update(_prep_phrase(child, inside, limit=8))
        elif with_pp and child.lower_ not in _ADJUNCT_PREPS:
            keep.update(_prep_phrase(child, inside, limit=5))
        break
    return keep


def _antecedent(verb: Token, inside: set[int], *, lean: bool) -> set[int]:
    """The noun a relative clause's "which"/"that" stands for, with the phrase it ends ("the fire at a warehouse")."""
    noun = verb.head
    if verb.dep_ != "relcl" or noun.pos_ not in {"NOUN", "PROPN"}:
        return set()
    keep = _noun_phrase(noun, inside, with_pp=False)
    prep = noun.head
    before = noun.doc[prep.i - 1] if noun.dep_ == "pobj" and prep.i > 0 else None
    if not lean and before is not None and before.pos_ in {"NOUN", "PROPN"} and before.i not in inside:
        # the relative may belong to the noun before the preposition: keep both
        keep |= _noun_phrase(before, inside, with_pp=False) | {prep.i}
    return keep


def _borrowed_subject(verb: Token, inside: set[int], *, lean: bool) -> set[int]:
    """The subject of a clause that has none of its own: of the verb it depends on, or the noun it modifies."""
    keep: set[int] = set()
    current = verb
    for _ in range(3):
        head = current.head
        if head == current:
            return keep
        if current.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"}:
            # "the record set in 1997", "The mission launched on Nov. 4" (a misparse as a noun with a participle)
            return keep | _noun_phrase(head, inside, with_pp=False)
        if current.dep_ == "acomp" and current.pos_ == "ADJ" and head.pos_ in {"VERB", "AUX"}:
            keep.add(head.i)  # "have been unable to sail"
            keep.update(c.i for c in head.children if c.dep_ in _VERB_DEPS)
        elif current.dep_ not in {"xcomp", "conj", "ccomp"} or head.pos_ not in {"VERB", "AUX", "ADJ"}:
            return keep
        elif current.dep_ == "xcomp" or head.pos_ == "ADJ":
            # "is expected to visit": the verb group carries the subject
            keep.add(head.i)
            keep.update(c.i for c in head.children if c.dep_ in _VERB_DEPS | {"acomp"} and c.i < current.i)
        before = current.doc[current.left_edge.i - 1] if current.dep_ == "conj" and current.left_edge.i > 0 else None
        if before is not None and before.pos_ in {"NOUN", "PROPN"} and before.dep_ == "pobj" and before.i not in inside:
            # "... after multiple missiles were launched": the noun right before the verb group is its subject
            return keep | _noun_phrase(before, inside, with_pp=False)
        for child in head.children:
            if child.dep_ in _SUBJECT_DEPS and child.i not in inside:
                if child.tag_ in {"WDT", "WP"} or child.lower_ == "that":
                    return keep | _antecedent(head, inside, lean=lean)
                return keep | _noun_phrase(child, inside, with_pp=not lean)
        if current.dep_ == "ccomp":
            return keep
        current = head
    return keep


def _trimmed_sentence(doc: Doc, token: Token, bounds: tuple[int, int], inside: set[int]) -> str | None:
    """Fallback event: the sentence itself without a trailing attribution, shortened by whole phrases."""
    span = doc.char_span(bounds[0], bounds[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    ids = {t.i for t in span if not t.is_space}
    root = _parse_sentence(token).root
    if root.i not in ids:
        root = max(span, key=lambda t: len(list(t.subtree)))
    clause = _own_conjunct(token, root)
    if clause is not None:  # "X happened, and Y happened since Aug. 3": the clause of the date
        root = clause
        ids &= {t.i for t in clause.subtree}
    drop: set[int] = set()
    ccomps = [c for c in root.children if c.dep_ == "ccomp" and c.i < root.i]
    if root.lemma_.lower() in _REPORT_VERBS and ccomps:
        # "Flooding closed the bridge, officials said.": the reported clause is the sentence
        drop = ids - {t.i for t in ccomps[0].subtree}
        root = ccomps[0]
    for child in root.children:
        if child.i > root.i and child.pos_ == "VERB" and child.lemma_.lower() in _REPORT_VERBS \
                and child.dep_ in {"parataxis", "advcl", "ccomp", "conj"} and child.i > root.i \
                and doc[child.left_edge.i - 1].text == ",":
            drop.update(t.i for t in child.subtree)
    for t in span:
        if t.lower_ == "according" and t.dep_ == "prep":
            drop.update(s.i for s in t.subtree)
    kept = sorted(ids - drop)
    tokens = [doc[i] for i in kept]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"cc", "mark"} or (
            tokens[0].pos_ == "ADV" and len(tokens) > 1 and tokens[1].text == ",")):
        tokens = tokens[1:]
    tokens = _shortened(tokens, root, token, inside)
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in {"cc", "mark"}):
        tokens = tokens[:-1]
    if all(t.i in inside or t.is_punct for t in tokens):
        return None  # a dateline: the date alone
    text = "".join(t.text_with_ws if i + 1 < len(tokens) and tokens[i + 1].i == t.i + 1 else t.text + " "
                   for i, t in enumerate(tokens))
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()
    text = re.sub(r"[\s,;:—–-]+$", "", text).rstrip(".").strip()
    return text or None


def _shortened(tokens: list[Token], root: Token, token: Token, inside: set[int]) -> list[Token]:
    """Drop the root's trailing adjuncts, then whole outer clauses, until about ``_MAX_WORDS`` words remain.

    Only whole subtrees go, never the one holding the date, so no phrase is cut
    in the middle.
    """
    def size(words: list[Token]) -> int:
        return sum(1 for t in words if not t.is_punct)

    for _ in range(4):
        removable = sorted((c for c in root.children if c.i > root.i and c.dep_ in {
            "advcl", "prep", "npadvmod", "advmod", "conj", "cc", "parataxis", "punct", "ccomp", "dep"}),
            key=lambda c: -c.i)
        for child in removable:
            if size(tokens) <= _MAX_WORDS:
                return tokens
            gone = {t.i for t in child.subtree}
            if not gone & inside:
                tokens = [t for t in tokens if t.i not in gone]
        if size(tokens) <= _MAX_WORDS:
            return tokens
        # still long: the clause below the root that holds the date, if it has a subject of its own
        chain = [token, *token.ancestors]
        below = chain[:chain.index(root)] if root in chain else []
        clauses = [t for t in below if t.pos_ in {"VERB", "AUX"} and t.dep_ != "relcl" and any(
            c.dep_ in _SUBJECT_DEPS and c.tag_ not in {"WDT", "WP"} for c in t.children)]
        if not clauses:
            return tokens
        root = clauses[-1]
        ids = {t.i for t in root.subtree}
        tokens = [t for t in tokens if t.i in ids]
        while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"cc", "mark"}):
            tokens = tokens[1:]
    return tokens


def _own_conjunct(token: Token, root: Token) -> Token | None:
    """The coordinated clause, with a subject of its own, that holds the date, if not the root's."""
    current = token
    for _ in range(12):
        if current == root or current.head == current:
            return None
        if current.dep_ == "conj" and current.pos_ in {"VERB", "AUX"} and current.head == root \
                and any(c.dep_ in _SUBJECT_DEPS for c in current.children):
            return current
        current = current.head
    return None


def _join_tokens(words: list[Token]) -> str | None:
    parts = [words[0].text]
    for prev, tok in zip(words, words[1:]):
        parts.append(("" if tok.i == prev.i + 1 and not prev.whitespace_ else " ") + tok.text)
    return "".join(parts).strip() or None


def _noun_anchor(top: Token, inside: set[int]) -> Token | None:
    """The event noun a date phrase belongs to ("the robbery ... on Nov. 14", "Tuesday's strike")."""
    if top.dep_ in {"poss", "compound", "nmod"} and top.head.pos_ in {"NOUN", "PROPN"} and top.head.i not in inside:
        noun = top.head
        return noun if top.dep_ == "poss" or _is_event_noun(noun) else None
    prep = top.head
    if top.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in {"on", "in", "of", "since", "for"}:
        return None
    noun = prep.head
    if noun.pos_ != "NOUN" or noun.i in inside:
        return None
    coordinated = noun.dep_ == "conj" or any(c.dep_ == "conj" for c in noun.children)
    if noun.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"} and not coordinated:
        return None
    if prep.lower_ == "for" and not coordinated:
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


