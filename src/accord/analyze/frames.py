"""Quantity frames: what each number in an article is a number *of*.

Real coverage of one event is full of figures that look alike and are not the same
thing: "16 men arrested, aged 24 to 43" (a count and an age range), "970 fires in 2024"
beside the incident's two fires, a case recalled from last year, a count that grows over
days. A frame says, for each quantity, what it measures so that only like is compared
with like:

- ``role``: count, age, money, duration, percent or measure;
- ``counted``: the lemma of the noun counted or measured ("man", "fire", "jet");
- ``predicate``: the lemma of the verb or event noun it belongs to ("arrest", "injure"),
  read from the dependency parse, with synonyms folded ("hurt" -> "injure");
- ``holder``: for an age, whose age it is ("man" in "the 25-year-old man");
- ``period``: a year, a running period or a region that qualifies the figure ("in 2024",
  "so far this year", "nationwide"), read from the number's own clause;
- ``incident``: ``None`` for the story's own incident; another value for a sentence about
  a background or separate incident (an earlier case, a dated event weeks before the
  article, "in a separate incident");
- ``as_of``: the day the figure held (the article's date, or an "as of" date).

Frames come from the one spaCy parse the analysis already made; nothing is parsed twice.
The rules are written by hand because no maintained library attaches numbers to the
predicate and period they belong to: spaCy gives the parse, these rules read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from accord.models import Frame, Quantity, Sentence, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["EVENT_PREDICATES", "MANY", "ONE", "ROLES", "basic_frame", "extract_frames", "people_kind", "predicate_key"]

#: The roles a quantity can play.
ROLES = ("count", "age", "money", "duration", "percent", "measure")

_DURATION_UNITS = frozenset(
    "second seconds sec secs minute minutes min mins hour hours hr hrs day days night nights week weeks "
    "month months year years decade decades fortnight fortnights".split()
)
# Predicates whose bare figures count people ("injuring dozens", "12 arrested").
_HAPPENS_TO_PEOPLE = frozenset({"injure", "kill", "arrest", "evacuate", "hospitalise", "rescue"})
# Nouns that name casualties themselves, and the predicate they stand for.
_CASUALTY_NOUNS = {"injury": "injure", "casualty": "injure", "wound": "injure", "death": "kill", "fatality": "kill"}
# Nouns for a body of people, counted as people when they are the casualties.
_COLLECTIVE_PEOPLE = frozenset(
    "personnel troop troops soldier servicemember serviceman servicemen member victim civilian".split()
)
_NOT_COUNTED = frozenset({"other", "others", "one", "ones", "them", "those", "these", "time", "times"})
_AGE_CUES = frozenset({"aged", "age", "ages"})
# Nouns for people, folded into one counted thing: "3 people", "3 individuals", "3 persons".
_PEOPLE = frozenset("people person persons individual individuals".split())
# Nouns for people that count something narrower than "people" but are often its synonym
# in the same report ("three men were arrested" / "three people were arrested").
_PEOPLE_KINDS = frozenset(
    "man men woman women suspect suspects youth youths teenager teenagers adult adults culprit culprits "
    "offender offenders perpetrator perpetrators".split()
)
_PERSON_HOLDERS = frozenset(
    "man woman boy girl victim suspect driver rider motorcyclist cyclist pedestrian resident mother father "
    "son daughter wife husband child teenager teen officer soldier worker student patient pilot passenger "
    "accused defendant owner employee director chairman inmate prisoner boss friend brother sister "
    "baby toddler infant person individual leader witness nurse doctor teacher".split()
)
# Synonyms of the predicates news figures hang on, folded to one lemma.
_PREDICATE_SYNONYMS = {
    "hurt": "injure", "wound": "injure", "injure": "injure", "injured": "injure", "injury": "injure",
    "kill": "kill", "die": "kill", "dead": "kill", "death": "kill", "fatality": "kill", "perish": "kill",
    "arrest": "arrest", "detain": "arrest", "nab": "arrest", "apprehend": "arrest", "nabbed": "arrest",
    "hospitalise": "hospitalise", "hospitalize": "hospitalise", "convey": "hospitalise",
    "evacuate": "evacuate", "evacuation": "evacuate",
    "steal": "steal", "theft": "steal", "rob": "steal", "loot": "steal",
    "charge": "charge", "face": "charge",
    "jail": "sentence", "sentence": "sentence", "imprison": "sentence",
    "fine": "fine",
    "seize": "seize", "confiscate": "seize", "recover": "seize",
    "recapture": "recapture", "recaptured": "recapture",
    "involve": "involve", "engage": "involve", "participate": "involve",
    "admit": "admit", "plead": "admit", "guilty": "admit",
    # The response to an emergency: "60 firefighters fought the blaze", "65 were sent to the scene".
    "fight": "respond", "battle": "respond", "tackle": "respond", "deploy": "respond", "dispatch": "respond",
    "send": "respond", "respond": "respond", "attend": "respond", "mobilise": "respond", "mobilize": "respond",
}
_DWELLINGS = frozenset({"home", "house", "building", "flat", "apartment", "block", "village", "town", "area"})
# Verbs that with "out" move people out of danger: "workers were led out".
_OUT_OF_DANGER = frozenset({"lead", "bring", "get", "take", "move", "usher", "help", "pull", "carry"})
#: Subjects that say only how many did something: "he" against "both men".
ONE = "<one>"
MANY = "<many>"
#: Predicates that name what happened to what is counted: two figures with two different
#: ones are two attributes. Other verbs ("seen", "shows", "entered") say little about that.
EVENT_PREDICATES = frozenset(_PREDICATE_SYNONYMS.values()) | {"evacuate", "hospitalise", "rescue", "recover"}
# Verbs that put people in hospital when the clause names one ("sent to hospital").
_TO_HOSPITAL = frozenset({"send", "take", "rush", "bring", "convey", "transport", "ferry", "admit"})
# Verbs that carry no meaning of their own for a figure: the figure belongs to what they introduce.
_EMPTY_VERBS = frozenset(
    "be have say tell report add state note show see include reveal explain claim confirm accord "
    "appear seem become remain get age name know call".split()
)
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "parataxis", "conj", "xcomp", "csubj", "acl"})
_NOUN_CLIMB = frozenset({"nummod", "quantmod", "compound", "amod", "nmod", "appos", "npadvmod", "det", "poss"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "agent", "obj", "expl"})

# A period that qualifies a figure: a year standing alone ("in 2024", "for 2024", not
# "Jan 17, 2024"), a running period, a frequency, a region as a whole.
_YEAR_PERIOD = re.compile(
    r"\b(?:in|for|during|throughout|of|since|by|from|between|over|until|to|and)\s+"
    r"(?:(?:the\s+)?(?:whole|entire|first|last|past|same\s+period\s+(?:in|of|last))\s+(?:\w+\s+){0,2}(?:of\s+|in\s+)?)?"
    r"((?:19|20)\d\d)\b(?![-/]\d)"
)
_YEAR_LEADING = re.compile(r"^\s*(?:In|For|During|Since|Between|From)?\s*((?:19|20)\d\d)\b(?![-/]\d)")
_RUNNING = re.compile(
    r"\b(so far|to date|this year|last year|the past (?:\w+ )?(?:years?|months?|decades?)|"
    r"the last (?:\w+ )?(?:years?|months?|decades?)|each year|every year|per year|a year|annually|annual|yearly|"
    r"per month|a month|monthly|each month|every month|a week|per week|weekly|a day|per day|daily|"
    r"in total|altogether|in all|combined|collectively|a total of|since|year-to-date|"
    r"nationwide|islandwide|island-wide|countrywide|worldwide|statewide|across the (?:country|island|nation|state|world)|"
    r"in the (?:country|nation|region|world)|on average|an average of|average)\b",
    re.I,
)
_RUNNING_FOLD = {
    "a year": "annual", "annually": "annual", "annual": "annual", "yearly": "annual", "each year": "annual",
    "every year": "annual", "per year": "annual", "per month": "monthly", "a month": "monthly",
    "monthly": "monthly", "each month": "monthly", "every month": "monthly", "a week": "weekly",
    "per week": "weekly", "weekly": "weekly", "a day": "daily", "per day": "daily", "daily": "daily",
    "islandwide": "nationwide", "island-wide": "nationwide", "countrywide": "nationwide",
    "in total": "total", "altogether": "total", "in all": "total", "combined": "total", "collectively": "total",
    "a total of": "total", "an average of": "average",
    "on average": "average", "to date": "so far",
}
# A sentence about another incident than the story's own.
_OTHER_INCIDENT = re.compile(
    r"\b(?:in (?:a|an|another) (?:separate|similar|unrelated|earlier|previous|different|other)\b|"
    r"in another (?:incident|case|accident|attack|crash|fire|instance)|"
    r"(?:a|the) similar (?:incident|case|accident|attack|crash|fire)|separately,|"
    r"(?:this|it) (?:is|was) not the first|the (?:second|third|fourth) (?:such|similar)|"
    r"(?:earlier|last) (?:this )?(?:year|month)|previously|"
    r"also read|related:|read also|read more)\b",
    re.I,
)
# A sentence that goes on about what the sentence before named.
_GOES_ON = re.compile(r"^\W*(?:It|That|This|They|These|Those|He|She)\b")
_AS_OF = re.compile(r"\b(?:as of|as at|by|until|till)\s*$", re.I)
#: Days before the article's date beyond which a dated sentence is about an earlier incident.
BACKGROUND_DAYS = 21


def extract_frames(
    doc: Doc,
    sentences: Sequence[Sentence],
    quantities: Sequence[Quantity],
    times: Sequence[TimeExpression],
    published: str | None,
) -> tuple[Frame, ...]:
    """Return one :class:`Frame` per quantity, in the same order.

    Args:
        doc: the spaCy doc of the article's cleaned text (the parse the quantities came from).
        sentences: the article's sentences.
        quantities: the quantities found in ``doc``.
        times: the article's time expressions (for the incident and ``as_of``).
        published: the article's ISO publication date, when known.
    """
    incidents = _sentence_incidents(doc.text, sentences, times, published)
    frames = []
    for index, quantity in enumerate(quantities):
        span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        if span is None or not len(span):
            frames.append(Frame(quantity=index, role=_base_role(quantity)))
            continue
        if _is_model_number(doc, span):
            frames.append(Frame(quantity=index, role=_base_role(quantity)))  # "AK-47": a name, not a count
            continue
        counted_token = _counted_token(doc, span, quantity)
        role = _role(doc, span, quantity)
        anchor = counted_token if counted_token is not None else span.root
        own_clause = _clause_text(doc, anchor)
        clause = own_clause + " " + _ancestor_phrases(anchor)
        if role == "duration" and _compound_duration(doc, span):
            frames.append(Frame(quantity=index, role=role))  # "two years and three months": one length in parts
            continue
        predicate = _predicate(anchor, span)
        counted = _counted(doc, span, quantity, counted_token, role)
        if counted is None and role == "count" and predicate in _HAPPENS_TO_PEOPLE:
            counted = "person"  # "killing 10 and injuring dozens more": what else is hurt
        if counted in _CASUALTY_NOUNS:
            # "62 injuries" and "62 personnel were injured" count the same casualties
            counted, predicate = "person", _CASUALTY_NOUNS[counted]
        elif counted in _COLLECTIVE_PEOPLE and predicate in ("injure", "kill"):
            counted = "person"
        if predicate in _TO_HOSPITAL | {"respond"} and re.search(r"\bhospital", clause, re.I):
            predicate = "hospitalise"
        frames.append(Frame(
            quantity=index,
            role=role,
            counted=counted,
            predicate=predicate,
            holder=_holder(doc, span) if role == "age" else _valued(span) if role in ("money", "measure") else None,
            period=_period(clause, quantity.scope, _distributive(doc, span)),
            incident=incidents.get(quantity.sentence),
            as_of=_as_of(doc.text, quantity, times, published),
            clause=own_clause,
            subject=_subject(anchor),
        ))
    return tuple(frames)


def basic_frame(index: int, quantity: Quantity) -> Frame:
    """A frame from the quantity alone, for analyses made without a parse: role and counted noun."""
    unit = (quantity.unit or "").lower().split()
    role = _base_role(quantity)
    counted = "age" if role == "age" else (unit[-1] if unit else None)
    return Frame(quantity=index, role=role, counted=counted)


def predicate_key(lemma: str | None) -> str | None:
    """The lemma of a predicate with its synonyms folded ("hurt" -> "injure")."""
    if not lemma:
        return None
    lemma = lemma.lower()
    return _PREDICATE_SYNONYMS.get(lemma, lemma)


# --------------------------------------------------------------------------- role


def _base_role(quantity: Quantity) -> str:
    unit = (quantity.unit or "").lower()
    if quantity.kind == "money":
        return "money"
    if quantity.kind == "percent":
        return "percent"
    if unit == "years old":
        return "age"
    last = unit.split()[-1] if unit else ""
    if last in _DURATION_UNITS:
        return "duration"
    if quantity.kind == "measure":
        return "measure"
    return "count"


def _role(doc: Doc, span: Span, quantity: Quantity) -> str:
    role = _base_role(quantity)
    if role in ("money", "percent", "age"):
        return role
    if _is_age(doc, span, quantity):
        return "age"
    return role


def _is_age(doc: Doc, span: Span, quantity: Quantity) -> bool:
    """ "aged between 33 and 40", "3 men, 33-40,", "a woman, 36 &", "ages 24 to 43"."""
    value = quantity.value
    if isinstance(value, str) or not 0 < float(value) < 120 or quantity.kind not in ("count", "measure"):
        return False
    if quantity.kind == "count" and quantity.unit and quantity.unit.lower() not in _PEOPLE_KINDS | _PEOPLE:
        return False
    if quantity.unit and quantity.unit.lower() in span.text.lower():
        return False  # "nine people": the noun it counts is its own
    before = [t.lower_ for t in doc[max(0, span.start - 4):span.start]]
    if any(w in _AGE_CUES for w in before[-3:]):
        return True
    after = [t.lower_ for t in doc[span.end:span.end + 4]]
    if after[:2] in (["years", "old"], ["year", "old"]) or after[:1] == ["-year-old"]:
        return True
    # Set off by commas (or "&", "and") after a person noun or a name: "woman, 36", "3 men, 33-40,".
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    if prev is None or prev.text != "," or span.start < 2:
        return False
    if nxt is not None and nxt.text not in {",", "&", "and", ")", ".", "-", "\u2013", "were", "was", "is", "are"}:
        return False
    owner = doc[span.start - 2]
    if owner.lower_ in _PERSON_HOLDERS or owner.lemma_.lower() in _PERSON_HOLDERS or owner.ent_type_ == "PERSON":
        return True
    # "3 men, 33-40": the count before the comma counts people.
    return owner.lower_ in _PEOPLE_KINDS | _PEOPLE and quantity.upper is not None


def _holder(doc: Doc, span: Span) -> str | None:
    """Whose age it is: the person noun it modifies, the name right after it, or the name it follows."""
    name = _name_after(doc, span)
    if name is not None:
        return name  # "36-year-old Duncan Rait": a name that follows beats one said before
    for token in doc[span.end:span.end + 5]:
        if token.lower_ in _PERSON_HOLDERS or token.lemma_.lower() in _PERSON_HOLDERS:
            return token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") or token.text in {",", ";"} and token.i > span.end + 1:
            break
    for token in reversed(doc[max(0, span.start - 6):span.start]):
        if token.lower_ in _PERSON_HOLDERS or token.lemma_.lower() in _PERSON_HOLDERS:
            return token.lemma_.lower()
        if token.ent_type_ == "PERSON" or token.pos_ == "PROPN" and token.is_title:
            return token.text  # a name keeps its capital: the age of one named person
        if token.lower_ in _PEOPLE_KINDS | _PEOPLE:
            return token.lemma_.lower()
    root = span.root
    if root.head is not root and root.head.pos_ == "PROPN" and root.head.is_title:
        return root.head.text
    if root.head is not root and root.head.pos_ == "NOUN":
        return root.head.lemma_.lower()
    return None


def _name_after(doc: Doc, span: Span) -> str | None:
    """The surname of a name that directly follows an age ("31-year-old Robert Buckley")."""
    words = doc[span.end:span.end + 4]
    if not len(words) or words[0].text != "-" and not words[0].is_title or span.text.rstrip()[-1:].isdigit():
        return None  # "Tan, 28," puts the age after the name; the look back handles it
    surname = None
    for token in words:
        if token.text == "-":
            continue
        if token.pos_ != "PROPN" or not token.is_title:
            break
        surname = token.text
    return surname


def _valued(span: Span) -> str | None:
    """What an amount is the value of: "a $480 tie clip" -> "clip", "items worth $1,121" -> "item"."""
    root = span.root
    head = root.head
    if root.dep_ in ("compound", "amod", "nmod", "nummod") and head.pos_ == "NOUN":
        if head.lemma_.lower() in {"worth", "value", "amount", "sum", "total"}:
            # "S$199 million worth of assets": the assets are what the amount is the value of
            of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
            objects = [g for c in of for g in c.children if g.dep_ == "pobj"]
            return objects[0].lemma_.lower() if objects else None
        return head.lemma_.lower()
    if head.lower_ == "worth" and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head.lemma_.lower()
    if head.dep_ == "prep" and head.lower_ == "worth" and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head.lemma_.lower()
    return None


# --------------------------------------------------------------------------- counted


def _counted_token(doc: Doc, span: Span, quantity: Quantity) -> Token | None:
    if not quantity.unit:
        return None
    last = quantity.unit.split()[-1].lower()
    for token in doc[span.start:min(len(doc), span.end + 6)]:
        if token.lower_ == last:
            return token
    return None


def _counted(doc: Doc, span: Span, quantity: Quantity, token: Token | None, role: str) -> str | None:
    """The lemma of what is counted, people nouns folded to "person"."""
    if role == "age":
        return "age"
    if role == "percent":
        return _percent_of(doc, span)
    if role == "money":
        if _restates_amount(doc, span):
            return None  # "S$3 billion (US$2.2 billion)": the same amount in another currency
        return _currency(doc, span, quantity)
    text = span.text.lower()
    if re.search(r"-(?:person|people|man|member|strong)\b", text):
        return "person"  # "a nine-person brawl", "a 20-strong mob"
    if token is None:
        unit = (quantity.unit or "").lower().split()
        if not unit:
            return None
        word = unit[-1]
        if word in {"dead", "injured", "wounded", "hurt", "missing", "arrested", "killed"}:
            return "person"  # "12 dead, 30 injured"
        return word
    lemma = token.lemma_.lower() if token.pos_ in ("NOUN", "PROPN") else token.lower_
    if lemma in _NOT_COUNTED:
        return None  # "17 others", "3 of them": what they count is said elsewhere
    if lemma in _PEOPLE or token.lower_ in _PEOPLE:
        return "person"
    if token.tag_ == "VBN" or token.lower_ in {"dead", "injured", "wounded", "hurt", "missing"}:
        return "person"
    return lemma


_DOLLAR_PREFIX = re.compile(r"(?<![A-Za-z])([A-Za-z.]{1,4})\$$")


def _currency(doc: Doc, span: Span, quantity: Quantity) -> str:
    """The currency of an amount; a bare "$" stays "$", since news of many countries writes it."""
    unit = (quantity.unit or "").lower()
    text = doc.text[max(0, span.start_char - 4):span.end_char]
    if "$" not in text:
        return unit or "money"
    before = text[: text.index("$") + 1]
    match = _DOLLAR_PREFIX.search(before)
    if match is None:
        return "$"
    prefix = match.group(1).upper()
    return {"S": "sgd", "US": "usd", "U.S": "usd", "A": "aud", "C": "cad", "NZ": "nzd", "HK": "hkd", "R": "brl"}.get(
        prefix, unit or "$")


_NOT_MODELS = frozenset({"US", "UK", "EU", "UN", "AM", "PM", "AD", "BC", "NO", "OF", "TO", "IN", "ON", "AT", "BY"})


def _is_model_number(doc: Doc, span: Span) -> bool:
    """ "AK-47 rifles", "Boeing 737", "F-16": digits that name a model."""
    before = doc.text[max(0, span.start_char - 2):span.start_char]
    if re.search(r"[A-Za-z]-$", before):
        return True
    if span.start == 0:
        return False
    prev = doc[span.start - 1]
    # "AK 47 rifles", "MH17": two or three capitals right before the digits.
    return prev.is_alpha and prev.is_upper and 2 <= len(prev.text) <= 3 and prev.text not in _NOT_MODELS


def _percent_of(doc: Doc, span: Span) -> str:
    """ "40 percent of the buildings" -> "percent of building": a share is a share of something."""
    if span.end < len(doc) and doc[span.end].lower_ == "of":
        objects = [c for c in doc[span.end].children if c.dep_ == "pobj"]
        if objects:
            return f"percent of {objects[0].lemma_.lower()}"
    for token in span:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return f"percent of {objects[0].lemma_.lower()}"
    return "percent"


def _restates_amount(doc: Doc, span: Span) -> bool:
    """True for an amount in brackets right after another amount: a conversion."""
    before = doc.text[max(0, span.start_char - 3):span.start_char]
    if "(" not in before:
        return False
    head = doc.text[max(0, span.start_char - 40):span.start_char]
    return bool(re.search(r"\d[\d,.]*\s*(?:million|billion|bn|m|k)?\s*\(\s*$", head, re.I))


def people_kind(counted: str | None) -> bool:
    """True for nouns that name people narrower than "person" (men, suspects)."""
    return counted is not None and counted in _PEOPLE_KIND_LEMMAS


_PEOPLE_KIND_LEMMAS = frozenset(
    "man woman suspect youth teenager adult culprit offender perpetrator".split()
)


# --------------------------------------------------------------------------- predicate


def _predicate(anchor: Token, span: Span) -> str | None:
    """The verb or event noun the figure belongs to, from the dependency parse."""
    node = anchor
    for _ in range(5):
        for child in node.children:
            # "3 men arrested", "people injured in the crash", "people who were hurt"
            if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "ADJ") and child.i > node.i:
                lemma = child.lemma_.lower()
                if lemma not in _EMPTY_VERBS:
                    return predicate_key(lemma)
        if node.dep_ in _NOUN_CLIMB and node.head is not node:
            node = node.head
            continue
        if node.dep_ == "pobj" and node.head.dep_ == "prep":
            prep = node.head
            head = prep.head
            if head.pos_ in ("NOUN", "PROPN") and prep.lower_ in ("of", "for"):
                lemma = head.lemma_.lower()
                if lemma in _PREDICATE_SYNONYMS:
                    return predicate_key(lemma)  # "the arrest of 3 men", "a fine of $500"
                node = head
                continue
            if head.pos_ in ("VERB", "AUX", "ADJ"):
                return _verb_lemma(head)
            node = head
            continue
        break
    if node.dep_ in _ARGUMENT_DEPS or node.dep_ in ("acomp", "advmod", "npadvmod"):
        return _verb_lemma(node.head)
    if node.dep_ == "ROOT" and node.pos_ in ("VERB",):
        return _verb_lemma(node)
    if node.lemma_.lower() in _PREDICATE_SYNONYMS:
        return predicate_key(node.lemma_)
    return None


def _subject(anchor: Token) -> str | None:
    """The subject of the verb the figure hangs on, when the figure is not that subject itself:
    "Su Baolin forfeited $65 million" -> "Su Baolin"; a pronoun gives None."""
    node = anchor
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            break
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return None
    for child in node.children:
        if child.dep_ in ("nsubj", "nsubjpass") and anchor not in child.subtree:
            if child.pos_ == "PRON":
                return {"he": ONE, "she": ONE, "they": MANY, "we": MANY}.get(child.lower_)
            if child.tag_ in ("NNS", "NNPS") or any(t.lower_ in ("both", "all") for t in child.subtree):
                return MANY
            if child.pos_ == "PROPN":
                names = [t for t in child.subtree if t.pos_ == "PROPN"]
                return " ".join(t.text for t in names) or child.text
            return child.lemma_.lower()
    return None


def _verb_lemma(verb: Token) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma in _OUT_OF_DANGER and any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ == "out" for c in verb.children):
        return "evacuate"
    if lemma in {"leave", "flee", "abandon"} and any(
            c.dep_ in ("dobj", "prep") and c.lemma_.lower() in _DWELLINGS | {"from"} for c in verb.children):
        return "evacuate"  # "residents left their homes", "fled from the building"
    if lemma in _EMPTY_VERBS:
        # "were 3 arrests", "is 25": look for the participle or noun it introduces.
        for child in verb.children:
            if child.dep_ in ("acomp", "xcomp", "attr", "oprd") and child.lemma_.lower() not in _EMPTY_VERBS:
                if child.lemma_.lower() in _PREDICATE_SYNONYMS or child.pos_ in ("VERB", "ADJ"):
                    return predicate_key(child.lemma_)
        return None
    if verb.pos_ not in ("VERB", "ADJ", "AUX", "NOUN"):
        return None
    return predicate_key(lemma)


# --------------------------------------------------------------------------- period and clause


def _clause_text(doc: Doc, anchor: Token) -> str:
    """The text of the clause the figure stands in, without clauses that hang off it."""
    node = anchor
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") and node.dep_ in _CLAUSE_DEPS | {"ROOT"}:
            break
        if node.head is node:
            break
        node = node.head
    skip: set[int] = set()
    for token in node.subtree:
        if token.i != node.i and token.dep_ in _CLAUSE_DEPS and anchor not in token.subtree:
            skip.update(t.i for t in token.subtree)
    return " ".join("".join(t.text_with_ws for t in node.subtree if t.i not in skip).split())


def _compound_duration(doc: Doc, span: Span) -> bool:
    """True for a part of a length written in several units ("1 year and 15 months")."""
    window = [t for t in doc[max(0, span.start - 4):min(len(doc), span.end + 5)] if t.i < span.start or t.i >= span.end]
    return any(t.lower_ in _DURATION_UNITS for t in window) and any(t.like_num for t in window)


def _distributive(doc: Doc, span: Span) -> bool:
    """ "each getting $4.2 million", "$500 apiece", "$3 per ticket": a figure per unit, not a total."""
    near = [t.lower_ for t in doc[max(0, span.start - 3):span.start]] + [t.lower_ for t in doc[span.end:span.end + 2]]
    return any(w in {"each", "apiece", "per", "every"} for w in near)


def _ancestor_phrases(anchor: Token) -> str:
    """The words above the figure in the parse, in text order, with the prepositional
    phrases hanging off them: a figure in "the same period in 2024, where four incidents
    were reported" sits in a relative clause below "in 2024"."""
    tokens = {t.i: t for t in anchor.ancestors}
    for token in list(tokens.values()):
        for child in token.children:
            if child.dep_ == "prep" and child.i not in tokens:
                for t in child.subtree:
                    if t.dep_ not in _CLAUSE_DEPS:
                        tokens[t.i] = t
    return " ".join(tokens[i].text for i in sorted(tokens))


def _period(clause: str, scope: str | None, distributive: bool = False) -> str | None:
    """A normalised period or region qualifying the figure, or None for the incident's own."""
    found: set[str] = {"each"} if distributive else set()
    for text in (clause, scope or ""):
        for match in _YEAR_PERIOD.finditer(text):
            found.add(match.group(1))
        leading = _YEAR_LEADING.match(text)
        if leading:
            found.add(leading.group(1))
        for match in _RUNNING.finditer(text):
            word = match.group(1).lower()
            found.add(_RUNNING_FOLD.get(word, word))
    return " ".join(sorted(found)) or None


# --------------------------------------------------------------------------- incidents and time


def _sentence_incidents(
    text: str, sentences: Sequence[Sentence], times: Sequence[TimeExpression], published: str | None
) -> dict[int, str]:
    """Mark the sentences about another incident than the story's own.

    A sentence that opens another incident ("In a separate case", "Last year, ...") marks
    itself and the rest of its paragraph. A sentence dated weeks before the article is about
    that earlier time: it gets the month as its incident, so two sources recalling the same
    earlier case are still compared with each other, never with the story's own figures.
    """
    marks: dict[int, str] = {}
    dated = _far_dates(times, published)
    open_mark: str | None = None
    previous_end = 0
    for sentence in sentences:
        if "\n" in text[previous_end:sentence.start]:
            open_mark = None  # a paragraph ends what a cue opened
        previous_end = sentence.end
        if _OTHER_INCIDENT.search(sentence.text):
            open_mark = f"other-{sentence.index}"
        if open_mark is not None:
            marks[sentence.index] = open_mark
        elif sentence.index in dated:
            marks[sentence.index] = f"past-{dated[sentence.index]}"
        elif sentence.index - 1 in marks and _GOES_ON.match(sentence.text):
            marks[sentence.index] = marks[sentence.index - 1]  # "It killed 612 people": the same earlier quake
    return marks


def _far_dates(times: Sequence[TimeExpression], published: str | None) -> dict[int, str]:
    if not published:
        return {}
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return {}
    found: dict[int, str] = {}
    for t in times:
        if not t.value:
            continue
        high = t.value.split("/")[-1][:10]
        try:
            end = _date_ceiling(high)
        except ValueError:
            continue
        if (day - end).days > BACKGROUND_DAYS and t.precision in ("day", "time", "month", "week"):
            found.setdefault(t.sentence, t.value.split("/")[0][:7])
        elif t.precision == "year" and end.year < day.year:
            found.setdefault(t.sentence, t.value.split("/")[0][:4])  # "In 2007, the gang ..."
    return found


def _date_ceiling(value: str) -> dt.date:
    if len(value) == 4:
        return dt.date(int(value), 12, 31)
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date.fromisoformat(value[:10])


def _as_of(text: str, quantity: Quantity, times: Sequence[TimeExpression], published: str | None) -> str | None:
    """The day the figure held: an "as of" date in its sentence, else the article's date."""
    for t in times:
        if t.sentence == quantity.sentence and t.value and t.precision == "time" and "T" in t.value:
            return t.value[:16]  # "at 6.08am, the wait was cut to 10 minutes": a figure of that moment
    for t in times:
        if t.sentence == quantity.sentence and t.value and t.precision in ("day", "time"):
            if _AS_OF.search(text[max(0, t.start - 14):t.start]):
                return t.value[:10]
    return _as_of_default(published)


def _as_of_default(published: str | None) -> str | None:
    return published[:10] if published else None
