"""Direct quotations and their speakers.

Quote marks are paired per paragraph (typographic “ ” and straight "; the
typographic apostrophe ’ is never a quote mark; a quote left open at the end
of a paragraph ends there). Each quote is then attributed, in this order:

1. a cue right after it: '"...," X said', '"...," said X', '"...," according
   to X', '"..." from spokesperson X';
2. a cue right before it: 'X said: "..."', 'He added: "..."', 'X was blunt:
   "..."';
3. a cue elsewhere in its sentence: 'caused "several injuries" to the
   grid, X said', 'X said crews would work "around the clock"' (these are
   partial quotes, ``partial=True``);
4. continuation: a quote with no cue, alone in its sentence, inherits the
   speaker of the quote before it when that one is in the same paragraph or
   the paragraph just before.

The speaker phrase is reduced to a person's full name: titles are dropped
("Press Secretary Rear Adm." is a role, not a name), a surname ("Okafor")
resolves to the full name the article gives elsewhere (through the entities,
else through the article's own person names), a pronoun to the most recent
person of fitting gender. A phrase without a person's name ("a U.S.
official", "the report") gives speaker None with ``speaker_text`` set; so
does a name given only in part. Written by hand on spaCy's parse because
textacy's quotation extraction (the nearest library) crashes on unbalanced
marks and misses these attributions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.analyze.entities import first_name_gender, is_occupation_title, is_surname
from accord.analyze.sentences import sentence_at
from accord.models import Entity, Quote, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_quotes"]

log = logging.getLogger(__name__)

#: Verbs that attribute speech ("said", "told", "tweeted", ...), as lemmas.
CUE_LEMMAS = frozenset({
    "say", "tell", "add", "state", "assert", "explain", "confirm", "write", "tweet", "announce",
    "insist", "note", "warn", "reply", "respond", "argue", "claim", "acknowledge", "declare",
    "disclose", "report", "post", "emphasize", "emphasise", "stress", "remark", "continue",
    "admit", "caution", "recall", "testify", "urge", "ask", "answer", "observe", "conclude",
    "predict", "promise", "vow", "concede", "complain", "agree", "counter",
    "maintain", "suggest", "reiterate", "shout", "whisper", "recount", "deny", "call",
    "quip", "joke", "snap", "boast", "lament", "plead", "retort", "scoff", "describe", "dub", "label",
    "brand", "term", "rule", "accuse",
})
_CUE_WORDS = (
    r"said|says|say|told|tells|added|adds|stated|states|asserted|explained|explains|confirmed|"
    r"confirms|wrote|writes|tweeted|tweets|announced|insisted|insists|noted|notes|warned|warns|"
    r"replied|responded|argued|argues|claimed|acknowledged|declared|disclosed|reported|posted|"
    r"emphasized|emphasised|stressed|remarked|continued|admitted|cautioned|recalled|testified|"
    r"urged|asked|answered|observed|concluded|predicted|promised|vowed|conceded|complained|"
    r"agreed|countered|maintained|reiterated|shouted|recounted|denied|called|calls|"
    r"shot\s+back|fired\s+back|hit\s+back|quipped|joked|snapped|boasted|lamented|pleaded|retorted|"
    r"scoffed|responded|described|dubbed|labelled|labeled|branded|termed|accused"
)
_TITLES = frozenset(w.lower() for w in (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sen", "Senator", "Rep", "Representative",
    "Gov", "Governor", "Mayor", "President", "Vice", "Secretary", "Press", "Minister", "Prime",
    "Deputy", "Chief", "Superintendent", "Inspector", "Detective", "Sergeant", "Sgt", "Constable",
    "General", "Gen", "Brigadier", "Brig", "Colonel", "Col", "Lieutenant", "Lt", "Major", "Maj",
    "Captain", "Capt", "Commander", "Cmdr", "Cdr", "Admiral", "Adm", "Corporal", "Cpl", "Private",
    "Pvt", "Judge", "Justice", "Director", "Chairman", "Chairwoman", "Chair", "Councillor",
    "Councilor", "Councilman", "Councilwoman", "Coach", "Pilot", "Officer", "Spokesman",
    "Spokeswoman", "Spokesperson", "King", "Queen", "Prince", "Princess", "Pope", "Rabbi", "Imam",
    "Bishop", "Archbishop", "Ambassador", "Amb", "Attorney", "Atty", "Prosecutor", "Commissioner",
    "Chancellor", "Premier", "Sheriff", "Marshal", "Speaker", "Leader", "Foreign", "Defense",
    "Defence", "Interior", "Health", "Finance", "Trade", "Labour", "Labor", "Environment",
    "Agriculture", "Education", "Justice", "State", "Staff", "Lord", "Lady", "Sir", "Dame",
    "Rev", "Reverend", "Father", "Fr", "Sister", "Brother", "Msgr", "Hon", "Insp", "Supt", "Det",
    "Sec", "Pres", "Executive", "Officer", "Head", "Founder", "Chair", "CEO", "Gen.", "Brig.",
    "Assistant", "Associate", "Acting", "Former", "Senior", "Junior", "Rear",
    "Adv", "Advocate", "Skipper", "Collector", "Magistrate", "Manager", "Boss", "Transport", "Housing", "Energy", "Treasury", "Home", "Tourism",
    "Sport", "Sports", "Culture", "Communications", "Police", "MEC", "MP", "MLA", "MSP", "TD", "MK",
    # occupations written as titles before a name ("Striker Luis Fonseca", "Farmer Ann Lee")
    "Striker", "Goalkeeper", "Defender", "Midfielder", "Forward", "Winger", "Farmer", "Singer",
    "Actor", "Actress", "Author", "Writer", "Artist", "Lawyer", "Nurse", "Teacher", "Witness",
    "Resident", "Forecaster", "Archaeologist", "Economist", "Analyst", "Engineer", "Researcher",
    "Scientist", "Historian", "Professor", "Driver", "Photographer", "Journalist", "Reporter",
))
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_FEMALE = frozenset({
    "she", "her", "hers", "herself", "spokeswoman", "chairwoman", "congresswoman", "councilwoman",
    "businesswoman", "woman", "mrs", "ms", "miss", "mother", "sister", "daughter", "wife",
    "actress", "queen", "princess", "girl", "grandmother", "aunt", "niece", "lady", "dame",
})
_MALE = frozenset({
    "he", "him", "his", "himself", "spokesman", "chairman", "congressman", "councilman",
    "businessman", "man", "mr", "father", "brother", "son", "husband", "king", "prince", "boy",
    "grandfather", "uncle", "nephew", "sir", "lord",
})
_PERSON_NOUNS = frozenset({
    "official", "officer", "spokesman", "spokeswoman", "spokesperson", "witness", "resident",
    "brother", "sister", "mother", "father", "son", "daughter", "wife", "husband", "friend",
    "neighbour", "neighbor", "source", "traveller", "traveler", "passenger", "worker", "teacher",
    "student", "doctor", "nurse", "man", "woman", "boy", "girl", "agent", "lawyer", "diplomat",
    "aide", "analyst", "observer", "survivor", "victim", "relative", "representative", "employee",
    "leader", "member", "owner", "manager", "farmer", "driver", "director", "chief", "head", "captain",
    "coach", "player", "fan", "parent", "judge", "minister", "expert", "activist", "shopkeeper",
})
#: Verbs of an unnamed person that make a following "he said" theirs ("The brother disputed that.").
_DISAGREEING = frozenset({"dispute", "disagree", "object", "question", "challenge", "contradict"})
#: Nouns for a speaker who may be named in a later sentence ("a spokeswoman ... The spokeswoman, X,").
_ROLE_NOUNS = frozenset({
    "spokeswoman", "spokesman", "spokesperson", "official", "representative", "lawyer", "attorney",
    "spokesmen", "director", "manager", "executive", "officer", "aide", "adviser", "advisor", "analyst",
})
_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f", "i": None, "we": None, "they": None}
_NAME_CONNECTORS = frozenset({"-", "de", "da", "van", "von", "der", "del", "di", "al", "bin", "le", "la"})

_OPENERS = "“„«"
_CLOSERS = "”»"
_MARK = re.compile(r"``|''|[“”„«»\"]")
_AFTER_CUE = re.compile(
    rf"^[\s,;—–-]*(?:(?P<np1>[^\"“”.;:!?]{{1,90}}?)\s+(?P<cue1>{_CUE_WORDS})\b"
    rf"|(?P<cue2>{_CUE_WORDS})\s+(?P<np2>[^\"“”.;:!?]{{1,120}})"
    r"|(?P<acc>according\s+to)\s+(?P<np3>[^\"“”.;:!?]{1,120})"
    r"|(?P<frm>from)\s+(?P<np4>[^\"“”.;:!?]{1,120}?)\s*[.]?\s*$)",
    re.I,
)
_BEFORE_CUE = re.compile(
    rf"(?P<np>[^\"“”.;:!?]{{1,120}}?)\s+(?P<cue>{_CUE_WORDS})\b(?P<tail>[^\"“”.;:!?]{{0,60}}?)\s*[:,]?\s*$",
    re.I,
)
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording\s+to\s+(?P<np>[^\"“”.;:!?]{1,120}?)\s*,", re.I)
_FINAL_CUE = re.compile(
    rf",\s*(?P<np>[^\"“”.;:!?,]{{1,90}}?)\s+(?P<cue>{_CUE_WORDS})\b[^\"“”.;:!?]{{0,40}}[.!?]?\s*$"
    rf"|,\s*according\s+to\s+(?P<np2>[^\"“”.;:!?]{{1,90}}?)\s*[.!?]?\s*$",
    re.I,
)


@dataclass(slots=True)
class _Raw:
    start: int  # first quoted character
    end: int  # after the last quoted character
    mark_start: int  # the opening mark
    mark_end: int  # after the closing mark (== end when left open)
    paragraph: int


@dataclass(slots=True)
class _Attribution:
    speaker: str | None
    speaker_text: str | None
    role: str | None
    cue: str | None
    partial: bool


def extract_quotes(doc: Doc, sentences: tuple[Sentence, ...], entities: tuple[Entity, ...]) -> tuple[Quote, ...]:
    """Find the direct quotations of an article and who said them.

    Args:
        doc: the spaCy Doc of the article's cleaned text.
        sentences: the article's sentences, with character offsets into the same text.
        entities: the article's entities (persons' full names and roles are taken from them).

    Returns:
        Quotes in text order. ``speaker`` is a full name or None (unknown or anonymous).
    """
    text = doc.text
    raws = _find_quotes(text)
    if not raws:
        return ()
    people = _People(doc, entities, [(r.mark_start, r.mark_end) for r in raws])
    out: list[Quote] = []
    previous: tuple[_Raw, _Attribution] | None = None
    for index, raw in enumerate(raws):
        words = text[raw.start:raw.end]
        stripped = words.strip().rstrip(",").rstrip()
        if not re.search(r"\w", stripped):
            continue
        start = raw.start + (len(words) - len(words.lstrip()))
        end = start + len(stripped)
        try:
            attribution = _attribute(doc, sentences, raws, index, people)
        except (IndexError, ValueError, KeyError) as exc:  # odd parses must not stop the article
            log.debug("quote at %d left unattributed: %s", start, exc)
            attribution = None
        if attribution is None:
            if previous is not None and _is_continuation(text, sentences, previous[0], raw, previous[1].cue):
                prev = previous[1]
                attribution = _Attribution(prev.speaker, prev.speaker_text, prev.role, None, False)
            elif _standalone(text, sentences, raw):
                attribution = _Attribution(None, None, None, None, False)
            elif len(stripped.split()) <= 3:
                continue  # scare quotes: 'the so-called "red line"'
            else:
                attribution = _Attribution(None, None, None, None, True)
        out.append(Quote(
            text=stripped, start=start, end=end, sentence=sentence_at(sentences, start, nearest=True),
            speaker=attribution.speaker, speaker_text=attribution.speaker_text,
            role=attribution.role, cue=attribution.cue, partial=attribution.partial,
        ))
        previous = (raw, attribution)
    return tuple(out)


# --------------------------------------------------------------------------- quote marks


def _find_quotes(text: str) -> list[_Raw]:
    """Pair double quote marks paragraph by paragraph; an unclosed quote ends with its paragraph.

    Marks: typographic “ ” „ « », straight ", and the `` '' of tokenised corpora.
    """
    raws: list[_Raw] = []
    offset = 0
    paragraph = -1
    for line in text.split("\n"):
        if line.strip():
            paragraph += 1
        if not _MARK.search(line):
            raws.extend(_single_quotes(line, offset, paragraph))
            offset += len(line) + 1
            continue
        open_at: tuple[int, int] | None = None  # (position, length) of the opening mark
        for mark in _MARK.finditer(line):
            kind = mark.group()
            opener = kind in _OPENERS or kind == "``" or (kind == '"' and open_at is None)
            if opener and open_at is None:
                open_at = (mark.start(), len(kind))
            elif not opener and open_at is not None and kind not in _OPENERS and kind != "``":
                start = offset + open_at[0] + open_at[1]
                raws.append(_Raw(start, offset + mark.start(), offset + open_at[0], offset + mark.end(), paragraph))
                open_at = None
        if open_at is not None:
            end = len(line.rstrip())
            if end > open_at[0] + open_at[1]:
                raws.append(_Raw(offset + open_at[0] + open_at[1], offset + end, offset + open_at[0],
                                 offset + end, paragraph))
        offset += len(line) + 1
    return raws


# British style: 'quoted words' with single marks. An opening mark follows a space or a
# bracket and precedes a letter or digit; a closing one follows a letter or punctuation and
# precedes a space, punctuation or the end. Apostrophes inside words (don't, He's) are neither.
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=[\w])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;:…])[’'](?=[\s.,;:!?)\]—–-]|$)")


def _single_quotes(line: str, offset: int, paragraph: int) -> list[_Raw]:
    """Pair British-style single quote marks in a paragraph that has no double ones."""
    raws: list[_Raw] = []
    position = 0
    while True:
        opening = _SINGLE_OPEN.search(line, position)
        if opening is None:
            return raws
        closing = _SINGLE_CLOSE.search(line, opening.end())
        if closing is None:
            return raws
        raws.append(_Raw(offset + opening.end(), offset + closing.start(), offset + opening.start(),
                         offset + closing.end(), paragraph))
        position = closing.end()


def _sentence_bounds(text: str, sentences: tuple[Sentence, ...], char: int) -> tuple[int, int]:
    for sentence in sentences:
        if sentence.start <= char < sentence.end:
            return sentence.start, sentence.end
    line_start = text.rfind("\n", 0, char) + 1
    line_end = text.find("\n", char)
    return line_start, (len(text) if line_end < 0 else line_end)


def _paragraph_bounds(text: str, char: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, char) + 1
    end = text.find("\n", char)
    return start, (len(text) if end < 0 else end)


# --------------------------------------------------------------------------- attribution


_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Brig|Gen|Adm|Cmdr|Cdr|Lt|Col|Maj|Capt|Sgt|Cpl|Pvt|Gov|Sen|Rep|Supt|Insp|Det|"
    r"Prof|Rev|Amb|Atty|Sec|Pres|Hon|Msgr|Fr|Sr|Jr|St|Adv|[A-Z])\."
)


def _mask_abbreviations(text: str) -> str:
    """Replace the full stop of titles and initials ("Brig.", "U.S.") by a look-alike, same length."""
    return _ABBREVIATION.sub(lambda m: m.group()[:-1] + "\u2024", text)


def _attribute(doc: Doc, sentences: tuple[Sentence, ...], raws: list[_Raw], index: int,
               people: _People) -> _Attribution | None:
    text = people.masked
    raw = raws[index]
    para_start, para_end = _paragraph_bounds(text, raw.mark_start)
    s_start, _ = _sentence_bounds(text, sentences, raw.mark_start)
    _, s_end = _sentence_bounds(text, sentences, max(raw.mark_end - 1, raw.mark_start))
    # after: from the closing mark to the end of its sentence or the next quote
    next_mark = raws[index + 1].mark_start if index + 1 < len(raws) else len(text)
    after_end = min(max(s_end, raw.mark_end), next_mark, para_end)
    if text[raw.mark_end:after_end].rstrip().endswith("\u2024"):
        # the splitter ended the sentence at a title ("..., Adv. | Lerato Moloi, said.")
        _, next_end = _sentence_bounds(text, sentences, after_end)
        after_end = min(max(next_end, after_end), next_mark, para_end)
    after = text[raw.mark_end:after_end]
    prev_mark = raws[index - 1].mark_end if index > 0 else 0
    before_start = max(s_start, prev_mark, para_start)
    before = text[before_start:raw.mark_start]
    quoted = text[raw.start:raw.end].strip()
    begins_sentence = not re.search(r"\w", before)
    # inside reported speech: words lead into the quote without a colon or comma, or it starts mid-sentence
    partial = (bool(re.search(r"\w", before)) and not re.search(r"[:,]\s*$", before)) or quoted[:1].islower()

    # 1. a cue right after the quote
    m = _AFTER_CUE.match(after)
    if m and raw.mark_end < len(text):
        np1 = m.group("np1")
        if np1 is not None and "," in np1:
            head = np1[:np1.rfind(",")]
            head_start = raw.mark_end + m.start("np1")
            if _has_finite_verb(doc, head_start, head_start + len(head)):
                # "... was driving a truck, Baehr said": only the last part names the speaker
                np1 = np1[np1.rfind(",") + 1:]
        if np1 is not None and _speakerish(np1) and not re.match(
                r"(?:to|for|in|on|at|of|from|by|with|into|over|after|before|and|but)\b", np1.strip()):
            np_start = raw.mark_end + m.end("np1") - len(np1)
            return people.attribution(np_start, np_start + len(np1), m.group("cue1"), partial)
        if m.group("cue2") is not None:
            np_text = _cut_np(m.group("np2"))
            np_start = raw.mark_end + m.start("np2")
            return people.attribution(np_start, np_start + len(np_text), m.group("cue2"), partial)
        if m.group("acc") is not None:
            np_text = _cut_np(m.group("np3"))
            np_start = raw.mark_end + m.start("np3")
            return people.attribution(np_start, np_start + len(np_text), "according to", partial)
        if m.group("frm") is not None and begins_sentence:
            np_start = raw.mark_end + m.start("np4")
            return people.attribution(np_start, np_start + len(m.group("np4")), "from", partial)
    # 2. a cue right before the quote ('X said: "', 'X told reporters, "')
    m = _BEFORE_CUE.search(before)
    if m and not re.search(r"\b(?:that|if|whether)\s*$", before):
        np_start = before_start + m.start("np")
        np_text = m.group("np")
        inner = _last_clause(np_text)
        np_start += len(np_text) - len(inner)
        opener = doc.char_span(np_start, np_start + len(inner), alignment_mode="expand")
        participle = re.match(r"[A-Z]?[a-z]+(?:ing|ed)\b", inner) is not None  # the tagger reads "Sentencing" as a name
        if opener is not None and len(opener) and (participle or opener[0].tag_ in {"VBG", "VBN"} or opener[0].pos_ == "ADP") \
                and "," in inner:
            # "Sentencing Ann Dow, 56, at Leeds Crown Court, Judge Rob Ains said": the clause opener is no speaker
            cut = inner.rfind(",") + 1
            np_start, inner = np_start + cut + (len(inner[cut:]) - len(inner[cut:].lstrip())), inner[cut:].strip()
        subject = _cue_subject(doc, before_start + m.start("cue"), np_start)
        if subject is not None and "," not in text[subject[0]:subject[1]]:
            # "Sentencing Ann Dow, 56, at Leeds Crown Court, Judge Rob Ains said": the parse's subject
            np_start, inner = subject[0], text[subject[0]:subject[1]]
        if _speakerish(inner) and inner.lower() not in {"and", "but", "or", "then", "and then"}:
            return people.attribution(np_start, np_start + len(inner), m.group("cue"), partial and bool(
                re.search(r"\b(?:that)\b|\w\s*$", before[m.end("cue"):])))
    if re.search(r":\s*$", before):
        subject = _clause_subject(doc, before_start, raw.mark_start)
        if subject is not None:
            return people.attribution(subject[0], subject[1], None, False)
    m = _ACCORDING_BEFORE.search(before)
    if m:
        np_start = before_start + m.start("np")
        return people.attribution(np_start, np_start + len(m.group("np")), "according to", partial)
    # 3. a cue at the end of the sentence ('..." to the grid, X said.')
    m = _FINAL_CUE.search(after)
    if m:
        group = "np" if m.group("np") is not None else "np2"
        np_start = raw.mark_end + m.start(group)
        cue = m.group("cue") if group == "np" else "according to"
        return people.attribution(np_start, np_start + len(m.group(group)), cue, True)
    # 4. a cue verb of the sentence governs the quote ('X said crews would work "around the clock"')
    found = _ancestor_cue(doc, raw.start, raw.end, (max(s_start, para_start), after_end)) or _governing_cue(doc, before_start, raw.mark_start)
    if found is not None:
        (np_start, np_end), cue = found
        return people.attribution(np_start, np_end, cue, True)
    # 5. the sentence before, in the same paragraph, reports its speaker ('X said the dam leaked. "We warned them."')
    if begins_sentence and s_start > para_start and not re.search(r"\w", text[raw.mark_end:after_end]):
        previous_start, _ = _sentence_bounds(text, sentences, s_start - 1)
        if previous_start >= para_start and not _MARK.search(text[previous_start:s_start]):
            found = _governing_cue(doc, previous_start, s_start)
            if found is not None:
                (np_start, np_end), cue = found
                return people.attribution(np_start, np_end, cue, False)
    return None


def _cue_subject(doc: Doc, cue_char: int, floor: int) -> tuple[int, int] | None:
    """Character span of the cue verb's subject when the parse gives one after ``floor``."""
    span = doc.char_span(cue_char, cue_char + 1, alignment_mode="expand")
    if span is None:
        return None
    subjects = [c for c in span[0].children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects:
        return None
    tokens = [t for t in subjects[0].subtree if t.i < span[0].i]
    first = tokens[0]
    if first.idx < floor or tokens[-1].i - first.i > 10:
        return None
    return first.idx, tokens[-1].idx + len(tokens[-1].text)


def _has_finite_verb(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.tag_ in {"VBD", "VBZ", "VBP", "MD"} for t in span)


def _speakerish(np: str) -> bool:
    """A plausible speaker phrase: short, no clause of its own."""
    words = np.split()
    if not words or len(words) > 12:
        return False
    return not re.search(r"\b(?:that|because|when|while|if|which|and then)\b", np)


def _cut_np(np: str) -> str:
    """The speaker phrase after an inverted cue: stop at time words, 'in a statement', ..."""
    cut = re.split(
        r"\s+(?:on|in|at|during|after|before|late|early|last|this|to|who|which|while|when|as|adding|"
        r"citing|speaking)\b(?![-\w]*\s*[A-Z][a-z]+\s*$)|\s+(?:Monday|Tuesday|Wednesday|Thursday|"
        r"Friday|Saturday|Sunday|yesterday|today)\b",
        np, maxsplit=1,
    )[0]
    return cut.rstrip(" ,")


def _last_clause(np: str) -> str:
    """The part of a before-cue phrase after the last clause break ('Coach X was blunt. He')."""
    parts = re.split(r"[,;]\s+(?:and|but)\s+|\b(?:and|but)\s+(?=[A-Z])", np)
    return parts[-1].strip() if parts else np.strip()


def _clause_subject(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Subject of the clause that ends in a colon before a quote ('X was not convinced:')."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if token.dep_ in {"nsubj", "nsubjpass"} and token.head.i >= span.start:
            sub = list(token.subtree)
            return sub[0].idx, sub[-1].idx + len(sub[-1].text)
    return None


def _ancestor_cue(doc: Doc, start: int, end: int, bounds: tuple[int, int]) -> tuple[tuple[int, int], str] | None:
    """The cue verb above the quoted words in the parse whose subject names a person.

    "Dube said the government had promised aid "in the coming weeks" and that farmers
    were "at the end of the road"": "promised" has an organisation for subject, so the
    words are Dube's, the subject of the "said" above it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span.root
    fallback: tuple[tuple[int, int], str] | None = None
    for _ in range(8):
        if token.head is token:
            break
        token = token.head
        if not bounds[0] <= token.idx < bounds[1]:
            break  # the parse joined another sentence or paragraph
        if token.lemma_.lower() not in CUE_LEMMAS or token.pos_ not in {"VERB", "AUX"} or span.start <= token.i < span.end:
            continue
        subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            continue
        sub = list(subjects[0].subtree)
        found = ((sub[0].idx, sub[-1].idx + len(sub[-1].text)), token.text)
        if subjects[0].pos_ in {"PROPN", "PRON"} or subjects[0].lemma_.lower() in _PERSON_NOUNS | _ROLE_NOUNS:
            return found
        fallback = fallback or found
    return fallback


def _governing_cue(doc: Doc, start: int, end: int) -> tuple[tuple[int, int], str] | None:
    """A cue verb before the quote in its sentence, with its subject (or its head verb's)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for token in reversed(span):
        if token.lemma_.lower() not in CUE_LEMMAS or token.pos_ not in {"VERB", "AUX"}:
            continue
        verb = token
        for _ in range(3):
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects:
                sub = list(subjects[0].subtree)
                first = sub[0]
                last = max((t for t in sub if t.i < token.i or t.i < subjects[0].i + 8), key=lambda t: t.i)
                return (first.idx, last.idx + len(last.text)), token.text
            if verb.head is verb:
                break
            verb = verb.head
    return None


def _is_continuation(text: str, sentences: tuple[Sentence, ...], prev: _Raw, raw: _Raw, cue: str | None = None) -> bool:
    """A quote alone in its sentence, right after the previous quote's paragraph or in it."""
    if raw.paragraph - prev.paragraph > 1:
        return False
    if not _standalone(text, sentences, raw):
        return False
    between = text[prev.mark_end:raw.mark_start]
    if raw.paragraph == prev.paragraph:
        # same paragraph: only the previous quote's own attribution may sit in between
        # (", said Jan Oduya, who chairs the residents' group.")
        if len(between.split()) <= 12:
            return True
        # a long attribution of the previous quote: "..., Mayor X wrote in a statement announcing the closure."
        attributed = bool(re.match(rf"^[\s,]*(?:{_CUE_WORDS})\b", between, re.I)) or (
            cue is not None and re.search(rf"\b{re.escape(cue)}\b", between, re.I) is not None
        )
        ends = len(re.findall(r"[.!?](?:\s|$)", _mask_abbreviations(between)))
        return attributed and len(between.split()) <= 40 and ends <= 1
    para_start, _ = _paragraph_bounds(text, raw.mark_start)
    # the previous quote must close its paragraph's talk: nothing but its attribution after it
    prev_tail = _mask_abbreviations(text[prev.mark_end:para_start])  # "Cmdr." ends no sentence
    return len(re.findall(r"[.!?](?:\s|$)", prev_tail)) <= 1


def _standalone(text: str, sentences: tuple[Sentence, ...], raw: _Raw) -> bool:
    s_start, s_end = _sentence_bounds(text, sentences, raw.mark_start)
    para_start, para_end = _paragraph_bounds(text, raw.mark_start)
    before = text[max(s_start, para_start):raw.mark_start]
    after = text[raw.mark_end:min(max(s_end, raw.mark_end), para_end)]
    return not re.search(r"\w", before) and not re.search(r"\w", after.split("“")[0].split('"')[0])


# --------------------------------------------------------------------------- people


class _People:
    """Person names of an article: full names, surnames, roles and gender cues."""

    def __init__(self, doc: Doc, entities: tuple[Entity, ...], quote_spans: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.masked = _mask_abbreviations(doc.text)
        self.quote_spans = quote_spans
        self.byline_spans = _byline_spans(doc.text)
        self.entities = [e for e in entities if e.label == "PERSON"]
        # (start, end, full name) of every person mention outside quotes, in text order
        self.mentions: list[tuple[int, int, str]] = []
        self.gender: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.subjects: set[int] = set()  # starts of mentions that are the subject of their clause
        self._collect()

    def _excluded(self, char: int) -> bool:
        """Inside a quote or a byline: a name there is not a person speaking in the story."""
        return any(s <= char < e for s, e in self.quote_spans) or any(s <= char < e for s, e in self.byline_spans)

    def _collect(self) -> None:
        names: list[tuple[int, int, list[Token]]] = []
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or self._excluded(ent.start_char):
                continue
            tokens = _strip_titles(list(ent))
            end = ent.end_char
            nxt = self.doc[ent.end] if ent.end < len(self.doc) else None
            if tokens and nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title and not nxt.ent_type_ \
                    and ent[-1].tag_ != "POS" and tokens[-1].i == ent.end - 1 \
                    and nxt.lower_ not in _ORG_WORDS | _PLACE_WORDS and not nxt.is_sent_start:
                tokens, end = [*tokens, nxt], nxt.idx + len(nxt.text)  # "Grace Akinyi | Odhiambo wrote"
            if tokens:
                names.append((tokens[0].idx, end, tokens))
        for entity in self.entities:
            for mention in entity.mentions:
                if not self._excluded(mention.start) and not any(
                    s < mention.end and mention.start < e for s, e, _ in names
                ):
                    span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                    if span is not None:
                        tokens = _strip_titles(list(span))
                        if tokens:
                            names.append((tokens[0].idx, mention.end, tokens))
        # names of speakers the model did not tag as people ("board chair Gloria Mendez said")
        for token in self.doc:
            if token.lemma_.lower() not in CUE_LEMMAS or token.pos_ != "VERB" or self._excluded(token.idx):
                continue
            for subject in (c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}):
                phrase = [t for t in subject.subtree if t.i <= subject.i]
                name, _ = _name_in_phrase(phrase)
                if len(name) >= 2 and not _is_non_person(name) and not any(
                        s <= name[0].idx < e for s, e, _ in names):
                    names.append((name[0].idx, name[-1].idx + len(name[-1].text), name))
        # a first name and a surname the model tagged as something else ("The spokeswoman, Lydia Farrow,")
        for token in self.doc[:-1]:
            nxt = self.doc[token.i + 1]
            if first_name_gender(token.text) is None or not (nxt.is_title and nxt.is_alpha) or _is_title(nxt) \
                    or nxt.lower_ in _ORG_WORDS or self._excluded(token.idx):
                continue
            overlapping = [n for n in names if n[0] <= token.idx < n[1] or n[0] <= nxt.idx < n[1]]
            if all(len(n[2]) == 1 and n[2][0].i == nxt.i for n in overlapping):  # a lone surname grows a first name
                names = [n for n in names if n not in overlapping]
                names.append((token.idx, nxt.idx + len(nxt.text), [token, nxt]))
        names.sort(key=lambda n: n[0])
        full_names = [_join(t) for _, _, t in names if len(_name_words(t)) >= 2]
        for entity in self.entities:
            if len(entity.name.split()) >= 2:
                full_names.append(_clean_name(entity.name))
        self.full_names = full_names
        # surnames alone ("Okafor said") that the model tagged as something else or not at all
        surnames = {f.split()[-1]: f for f in full_names}
        taken = {t.i for _, _, tokens in names for t in tokens}
        for token in self.doc:
            if token.text in surnames and token.i not in taken and not self._excluded(token.idx):
                names.append((token.idx, token.idx + len(token.text), [token]))
        names.sort(key=lambda n: n[0])
        for start, end, tokens in names:
            full = self.full_name(_join(tokens))
            if full is None:
                continue
            self.mentions.append((start, end, full))
            if any(t.dep_ in {"nsubj", "nsubjpass"} for t in tokens):
                self.subjects.add(start)
            gender = _gender_near(self.doc, tokens)
            if gender and full not in self.gender:
                self.gender[full] = gender
            role = _role_near(self.doc, tokens)
            if role and full not in self.roles:
                self.roles[full] = role
        for entity in self.entities:
            name = _clean_name(entity.name)
            if entity.roles and name not in self.roles:
                self.roles[name] = entity.roles[0]
        employers = {full for start, _, full in self.mentions if _is_employer(self.doc, start)}
        self.mentions = [m for m in self.mentions if m[2] not in employers]
        self.full_names = [f for f in self.full_names if f not in employers]

    def full_name(self, name: str) -> str | None:
        """The article's full form of a (possibly partial) person name, or None if only partial."""
        name = _clean_name(name)
        words = name.split()
        if not words:
            return None
        if len(words) >= 2:
            # "Te Whare" of "Graham Te Whare": a longer name of the article ending in these words
            longer = [f for f in self.full_names if len(f.split()) > len(words) and f.lower().endswith(" " + name.lower())]
            return max(longer, key=len) if longer else name
        surname = words[-1].lower()
        for entity in self.entities:
            variants = {v.lower() for v in entity.variants} | {entity.name.lower()}
            if name.lower() in variants and len(entity.name.split()) >= 2:
                return _clean_name(entity.name)
        candidates = [f for f in self.full_names if f.split()[-1].lower() == surname]
        if candidates:
            return max(candidates, key=lambda f: (len(f.split()), -self.full_names.index(f)))
        # "Dr Ong" of "Kelvin Ong Jia Hao": a family name written before the given names
        inside = {f for f in self.full_names if surname in [w.lower() for w in f.split()[1:-1]]}
        return inside.pop() if len(inside) == 1 else None

    def attribution(self, start: int, end: int, cue: str | None, partial: bool) -> _Attribution | None:
        """Resolve the speaker phrase at [start, end) into an attribution."""
        phrase = self.doc.text[start:end].strip(" ,;:—–-")
        # the phrase that names the speaker, without asides ("In a statement, ...", ", who ...")
        phrase = re.sub(r"^(?:In|in)\s+(?:a|an|its|their|his|her)\s+\w+(?:\s+\w+)?,\s*", "", phrase)
        phrase = re.split(r",\s+(?:who|which|whose)\b|,\s+(?:speaking|standing|adding)\b", phrase)[0].strip(" ,")
        if not phrase or any(start < e and s < end for s, e in (*self.quote_spans, *self.byline_spans)):
            return None  # a speaker phrase never contains quoted words
        span = self.doc.char_span(start, end, alignment_mode="expand")
        tokens = [t for t in span] if span is not None else []
        tokens = [t for t in tokens if not t.is_space]
        cue_text = cue.lower() if cue else None
        aged = re.fullmatch(r"(?i)the\s+\d{1,3}-year-old(?:\s+[a-z]+)?", phrase)
        if aged is not None and tokens:
            # "Goalscorer Kwame Asante, who ... . 'Be braver,' the 22-year-old said": the subject just written about
            speaker = self._previous_subject(tokens[0])
            role = _clean_role(self.roles.get(speaker)) if speaker else None
            return _Attribution(speaker, phrase, role, cue_text, partial)
        if len(tokens) == 1 and tokens[0].lower_ in _PRONOUNS:
            speaker = self._resolve_pronoun(tokens[0])
            role = _clean_role(self.roles.get(speaker)) if speaker else None
            return _Attribution(speaker, phrase, role, cue_text, partial)
        name_tokens, role_text = _name_in_phrase(tokens)
        if name_tokens and (_modifies_a_noun(name_tokens, tokens) or _speaks_for(name_tokens, tokens)):
            name_tokens = []  # "a Surrey Police spokeswoman", "a spokesman for Gov. X": the name qualifies the speaker
        if re.search(r"\w\s+(?:and|&)\s+[A-Z]", phrase) and len(re.findall(r"\b[A-Z][a-z]+", phrase)) >= 2 \
                and not re.search(r",", phrase):
            name_tokens = []  # "Zadan and Meron said": two speakers, not one
        speaker = None
        if name_tokens:
            speaker = self.full_name(_join(name_tokens))
            known = speaker is not None and (speaker in self.full_names and (
                len(name_tokens) == 1 or speaker in {m[2] for m in self.mentions}))
            if speaker is not None and not known and _is_non_person(name_tokens):
                speaker = None
        if speaker is None:
            speaker = self._named_later(phrase, end) or self._by_role(phrase)
        if speaker is None:
            role = None
        else:
            role = _clean_role(self.roles.get(speaker)) or _clean_role(role_text)
            self._remember(speaker, start, role)
        return _Attribution(speaker, phrase, role, cue_text, partial)

    def _remember(self, speaker: str, start: int, role: str | None) -> None:
        """A speaker found in an attribution counts as a person mention from here on ("Breen told the court")."""
        if len(speaker.split()) >= 2 and speaker not in self.full_names:
            self.full_names.append(speaker)
        near = [s for s, _, full in self.mentions if full == speaker and abs(s - start) < 80]
        self.subjects.update(near)  # it speaks: the subject of its clause
        if not near:
            self.mentions.append((start, start + 1, speaker))
            self.mentions.sort(key=lambda m: m[0])
            self.subjects.add(start)
        if role and speaker not in self.roles:
            self.roles[speaker] = role

    def _named_later(self, phrase: str, end: int) -> str | None:
        """ "a spokeswoman for X said ... The spokeswoman, Lydia Farrow, declined": the name given next."""
        match = re.match(r"(?i)(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]+)(?:\s+(?:for|at|of|with)\b.*)?$", phrase)
        if match is None or match.group("noun").lower() not in _ROLE_NOUNS | _PERSON_NOUNS:
            return None
        window = self.masked[end:end + 600]
        named = re.search(
            rf"\b[Tt]he\s+{match.group('noun')},\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){{1,2}}),", window
        )
        if named is not None:
            return self.full_name(named.group("name"))
        # "A federal judge ... ruled" then "U.S. District Judge Harriet Sandoval wrote": the next person
        # with that role, when the phrase introduces someone new ("a", not "the new leader")
        noun = match.group("noun").lower()
        if not re.match(r"(?i)an?\s", phrase):
            return None
        for start, _, full in self.mentions:
            if end < start < end + 600 and re.search(rf"(?i)\b{noun}\b", self.roles.get(full) or ""):
                return full
        return None

    def _by_role(self, phrase: str) -> str | None:
        """ "the mayor said": the one person of the article who holds that role."""
        match = re.fullmatch(r"(?i)the\s+(?P<role>[a-z]+(?:\s+[a-z]+)?)", phrase.strip())
        if match is None:
            return None
        role = match.group("role").lower()
        holders = {name for name, held in self.roles.items() if re.search(rf"(?i)\b{re.escape(role)}\b", held or "")}
        if not holders and role.split()[-1] in _ROLE_NOUNS | _PERSON_NOUNS | _TITLES:
            # "The Minister of State for Power, Dr Ibrahim Bello, told journalists": the role just before a mention
            holders = {full for start, _, full in self.mentions
                       if re.search(rf"(?i)\b{re.escape(role)}\b[^.;:\"“”]{{0,60}}$", self.masked[max(0, start - 70):start])}
        return holders.pop() if len(holders) == 1 else None

    def _previous_subject(self, token: Token) -> str | None:
        """The person named as subject of the sentence before ``token``'s, in the same paragraph."""
        sentence = token.sent
        if sentence.start == 0:
            return None
        previous = self.doc[sentence.start - 1].sent
        opens_paragraph = self.doc.text[max(0, sentence.start_char - 2):sentence.start_char].endswith("\n")
        if self.doc.text[previous.start_char:sentence.start_char].count("\n") > (2 if opens_paragraph else 0):
            return None  # only the sentence before, or the last of the paragraph before
        for candidate in previous:
            if candidate.dep_ in {"nsubj", "nsubjpass"} and candidate.head.i == candidate.sent.root.i:
                name, _ = _name_in_phrase([t for t in candidate.subtree if t.i <= candidate.i])
                return self.full_name(_join(name)) if name else None
        return None

    def _resolve_pronoun(self, pronoun: Token, *, any_gender: bool = False) -> str | None:
        """Most recent person before the pronoun with a fitting gender; None if an unnamed one is nearer."""
        gender = None if any_gender else _PRONOUNS.get(pronoun.lower_)
        if pronoun.lower_ in {"i", "we", "they"} and not any_gender:
            return None
        candidates: list[tuple[int, str | None, str | None]] = [
            (start, full, self.gender.get(full)) for start, _, full in self.mentions if start < pronoun.idx
        ]
        # unnamed people as antecedents ("The victim's brother disputed that. ... he said")
        for token in self.doc[: pronoun.i]:
            speaking_noun = token.pos_ == "NOUN" and token.lower_ not in _ORG_WORDS and any(
                c.lower_ in {"a", "an"} for c in token.children)  # "A trader who saw the blast said ..."
            if token.dep_ in {"nsubj", "nsubjpass"} and (token.lemma_.lower() in _PERSON_NOUNS or speaking_noun) \
                    and token.tag_ not in {"NNS", "NNPS"} \
                    and token.head.lemma_.lower() in CUE_LEMMAS | _DISAGREEING \
                    and not self._excluded(token.idx) \
                    and not any(c.pos_ == "PROPN" for c in token.subtree):
                word_gender = "f" if token.lemma_.lower() in _FEMALE else "m" if token.lemma_.lower() in _MALE else None
                candidates.append((token.idx, None, word_gender))
        candidates.sort(key=lambda c: c[0], reverse=True)
        fitting = [c for c in candidates if pronoun.idx - c[0] <= 1500 and not (gender and c[2] and c[2] != gender)]
        if not fitting:
            return None
        nearest = fitting[0]
        sentence = self.doc.char_span(nearest[0], nearest[0] + 1, alignment_mode="expand")
        if nearest[0] not in self.subjects and sentence is not None:
            # "Pryce refused to blame referee Tully ... 'Not my fault,' he said": the subject, not the object
            bounds = sentence.sent.start_char, sentence.sent.end_char
            for start, full, _ in fitting[1:]:
                if bounds[0] <= start < bounds[1] and start in self.subjects:
                    return full
        return nearest[1]


def _byline_spans(text: str) -> tuple[tuple[int, int], ...]:
    # Imported here: accord.clean imports the sentence splitter of this package.
    from accord.clean import byline_spans

    return byline_spans(text)


def _name_words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.text not in _NAME_CONNECTORS and t.text not in {"'s", "’s"}]


def _join(tokens: list[Token]) -> str:
    out = ""
    for i, token in enumerate(tokens):
        out += token.text
        if i + 1 < len(tokens) and token.whitespace_ and tokens[i + 1].i == token.i + 1:
            out += " "
        elif i + 1 < len(tokens) and tokens[i + 1].i != token.i + 1:
            out += " "
    return out.strip()


def _clean_name(name: str) -> str:
    words = [w for w in re.sub(r"['’]s$", "", name.strip()).split()]
    while words and words[0].rstrip(".").lower() in _TITLES:
        words.pop(0)
    return " ".join(words)


def _is_title(token: Token) -> bool:
    return token.text.rstrip(".").lower() in _TITLES


def _strip_titles(tokens: list[Token]) -> list[Token]:
    """Drop titles and ranks from the start of a name ("Rear Adm. Selma Dorn" -> "Selma Dorn")."""
    last_title = -1
    for i, token in enumerate(tokens):
        rest = [t for t in tokens[i + 1:] if t.text.rstrip(".").lower() not in _SUFFIXES and t.is_alpha]
        if _is_title(token) and rest:  # a title must be followed by a name ("John Major" keeps Major)
            last_title = i
    tokens = tokens[last_title + 1:]
    while len(tokens) >= 3 and is_occupation_title(tokens[0].text) and first_name_gender(tokens[1].text) is not None:
        tokens = tokens[1:]  # an occupation written as a title: "Dispatcher Carla Benton"
    while tokens and (tokens[-1].text in {"'s", "’s"} or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return [t for t in tokens if t.text[:1].isupper() or t.text in _NAME_CONNECTORS]


def _name_in_phrase(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """The person name in a speaker phrase and the role words around it."""
    if not tokens:
        return [], None
    # person entities first, the last one in the phrase (titles come before names)
    ents: list[list[Token]] = []
    for token in tokens:
        if token.ent_type_ != "PERSON":
            continue
        if not ents or ents[-1][-1].i != token.i - 1:  # two entities side by side are one name ("Kelvin Ong | Jia Hao")
            ents.append([token])
        else:
            ents[-1].append(token)
    # "Collins' colleagues" are not Collins; nor is "Tirunagar's" in "Tirunagar's Naveen Sharma"
    ents = [e for e in ents if not _possessive(e[-1]) and e[-1].tag_ != "POS"]
    ents = _without_employers(ents)
    first_comma = next((t.i for t in tokens if t.text == ","), tokens[-1].i + 1)
    # the name before an appositive ("Tom Murray, head of the X Center") over names inside it
    ordered = [e for e in ents if e[0].i < first_comma][::-1] + [e for e in ents if e[0].i >= first_comma]
    in_phrase = {t.i for t in tokens}
    for ent in ordered:
        name = _strip_titles(ent)
        nxt = ent[-1].doc[ent[-1].i + 1] if ent[-1].i + 1 < len(ent[-1].doc) else None
        if name and nxt is not None and nxt.i in in_phrase and nxt.pos_ == "PROPN" and nxt.is_title \
                and not nxt.ent_type_ and ent[-1].tag_ != "POS" and nxt.lower_ not in _ORG_WORDS | _PLACE_WORDS:
            name = [*name, nxt]  # "Grace Akinyi | Odhiambo": a last name the model left out
        prev = ent[0].doc[ent[0].i - 1] if ent[0].i > 0 else None
        if len(name) == 1 and prev is not None and prev.i in in_phrase and prev.pos_ == "PROPN" and prev.is_title \
                and not prev.ent_type_ and not _is_title(prev) and prev.lower_ not in _ORG_WORDS | _PLACE_WORDS:
            name = [prev, *name]  # "Emeka | Obiora": a first name the model left out
        if name:
            return name, _role_from(tokens, name)
    # else the last run of capitalised words that is not a title
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        capital = token.text[:1].isupper() and token.is_alpha or re.fullmatch(r"[A-Z]\.", token.text) is not None or (
            token.text in _NAME_CONNECTORS and current) or (token.text[:1].isupper() and "'" in token.text)
        if capital and token.i > tokens[0].i - 1 and not (token.i == token.sent.start and token.lower_ in {"the", "a", "an"}):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    # a run that starts with a first name is the person ("Ramona Diaz of the Tenants Union")
    runs = [run for run in runs if not _is_title(run[-1])
            and not (run[0].i > 0 and run[0].doc[run[0].i - 1].lower_ in {"a", "an"})]  # "An Independent TD"
    runs = _without_employers(runs)
    named = [run for run in runs if not _possessive(run[-1]) and len(_strip_titles(run)) >= 2
             and first_name_gender(_strip_titles(run)[0].text) is not None]
    if named:
        name = _strip_titles(named[-1])
        return name, _role_from(tokens, name)
    for run in reversed(runs):
        if _possessive(run[-1]):
            continue
        name = _strip_titles(run)
        if name and name[0].lower_ not in {"the", "a", "an", "he", "she", "it", "they", "we", "i"}:
            return name, _role_from(tokens, name)
    return [], None


def _modifies_a_noun(name: list[Token], phrase: list[Token]) -> bool:
    """True if the name is a modifier of a common noun heading the phrase ("a Police spokeswoman")."""
    last = name[-1]
    in_phrase = {t.i for t in phrase}
    return last.dep_ in {"compound", "nmod", "amod"} and last.head.i in in_phrase and last.head.pos_ == "NOUN" \
        and last.head.i > last.i


def _speaks_for(name: list[Token], phrase: list[Token]) -> bool:
    """True when the name only qualifies the speaker: "a spokesman for Gov. X", "the office in Cole City"."""
    before = [t for t in phrase if t.i < name[0].i and not (_is_title(t) and t.text[:1].isupper())]
    if len(before) >= 2 and before[-1].lower_ in {"for", "to", "of"} and (
        before[-2].lemma_.lower() in _ROLE_NOUNS | _PERSON_NOUNS
    ):
        return True
    if not before or before[-1].pos_ != "ADP" or before[-1].lower_ in {"by", "from"}:
        return False
    # "the weather service office in Cole City": a phrase headed by a common noun owns the name
    return any(t.pos_ == "NOUN" and t.i < before[-1].i and not _is_title(t) for t in before)


_EMPLOYER_PREPS = frozenset({"of", "at", "from", "with"})


def _after_employer_prep(token: Token) -> bool:
    """True for a name right after "of", "at", "from" or "with" ("Ollie Brandt of | Fenwick Stockbroking")."""
    return token.i > 0 and token.doc[token.i - 1].lower_ in _EMPLOYER_PREPS


def _without_employers(names: list[list[Token]]) -> list[list[Token]]:
    """The names of a speaker phrase without those after "of" (the employer), unless nothing else is left."""
    kept = [name for name in names if not _after_employer_prep(name[0])]
    return kept or names


def _is_employer(doc: Doc, char: int) -> bool:
    """True for a name written right after another name and "of" ("Ollie Brandt of Fenwick Stockbroking")."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or span[0].i < 2:
        return False
    return _after_employer_prep(span[0]) and doc[span[0].i - 2].pos_ == "PROPN"


def _possessive(token: Token) -> bool:
    """True if the token is followed by a possessive marker ("Lamas' son", "Dorn's team")."""
    doc = token.doc
    return token.i + 1 < len(doc) and (doc[token.i + 1].tag_ == "POS" or doc[token.i + 1].text in {"'", "’", "'s", "’s"})


def _role_from(tokens: list[Token], name: list[Token]) -> str | None:
    """Role words before the name in the phrase ("deputy county spokeswoman"), or an appositive after it."""
    before = [t for t in tokens if t.i < name[0].i]
    while before and (before[0].lower_ in {"the", "a", "an", "said", "says", "according", "to", "from", ","}
                      or before[0].is_punct):
        before = before[1:]
    while before and before[-1].is_punct and before[-1].text != ".":
        before = before[:-1]
    if before and any(t.pos_ in {"NOUN", "PROPN"} for t in before):
        return _join(before)
    after = [t for t in tokens if t.i > name[-1].i]
    if after and after[0].text == ",":
        words = after[1:]
        while words and words[-1].is_punct:
            words = words[:-1]
        if words and words[0].lower_ not in {"who", "which", "whose"}:
            return _join(words)
    return None


def _clean_role(role: str | None) -> str | None:
    """A role without trailing honorifics ("president Dr." -> "president"); None for ages."""
    if not role:
        return None
    words = role.split()
    while words and words[-1].rstrip(".").lower() in {"dr", "mr", "mrs", "ms", "prof"}:
        words.pop()
    role = " ".join(words).strip(" ,")
    if not role or not re.search(r"[A-Za-z]{2}", role) or re.fullmatch(r"\d+", role):
        return None
    return role


def _is_non_person(tokens: list[Token]) -> bool:
    """True if the name is an organisation, place or group rather than a person.

    The small model often tags unfamiliar personal names FAC or GPE; in a speaker's
    position those count as people unless the words or a determiner say otherwise.
    """
    labels = {t.ent_type_ for t in tokens if t.ent_type_}
    if "PERSON" in labels:
        return False
    if len(tokens) >= 2 and re.fullmatch(r"[A-Z]\.", tokens[0].text):
        return False  # "R. Srinivasan": an initial and a surname
    if len(tokens) >= 2 and not any(t.lower_ in _ORG_WORDS | _PLACE_WORDS for t in tokens) and (
        first_name_gender(tokens[0].text) is not None or is_surname(tokens[-1].text)
    ):
        return False  # "Ramona Diaz", "Naveen Sharma", tagged an organisation: the name makes a person
    before = tokens[0].doc[tokens[0].i - 1] if tokens[0].i > 0 else None
    if len(tokens) >= 2 and before is not None and (_is_title(before) or (before.pos_ == "NOUN" and before.is_lower)):
        return False  # "board chair Gloria Mendez": a role noun before a name marks a person
    org_word = any(t.lower_ in _ORG_WORDS for t in tokens)
    determiner = tokens[0].i > 0 and tokens[0].doc[tokens[0].i - 1].lower_ == "the"
    return "ORG" in labels or org_word or determiner or len(tokens) == 1 and bool(labels)


_PLACE_WORDS = frozenset({
    "city", "county", "town", "valley", "street", "road", "avenue", "park", "bay", "river", "lake",
    "island", "beach", "hills", "heights", "falls", "springs", "point", "harbor", "harbour", "port",
})
_ORG_WORDS = frozenset({
    "department", "ministry", "office", "agency", "organization", "organisation", "police", "service",
    "council", "commission", "company", "association", "command", "committee", "court", "army",
    "navy", "force", "forces", "government", "university", "institute", "group", "bank", "party",
})


def _gender_near(doc: Doc, tokens: list[Token]) -> str | None:
    """Gender cues in the words that name or describe a person ("spokeswoman", "Mr.")."""
    first = tokens[0].i
    window = list(doc[max(0, first - 4):first]) + list(doc[tokens[-1].i + 1:tokens[-1].i + 7])
    for token in window:
        word = token.lower_.rstrip(".")
        if word in _FEMALE - {"she", "her", "hers", "herself"}:
            return "f"
        if word in _MALE - {"he", "him", "his", "himself"}:
            return "m"
    if len(tokens) >= 2 and tokens[1].text != "-" and first_name_gender(tokens[0].text):  # "Jean-Luc" is not "Jean"
        return first_name_gender(tokens[0].text)  # "Carla Benton": the first name says it
    head = tokens[-1]
    for token in doc[head.i + 1: min(len(doc), head.i + 12)]:
        if token.is_sent_start or token.pos_ == "PROPN" and token.is_title:
            break  # "Judge Moana Ferris told Darren Kettle that his ...": "his" is Kettle's
        if token.lower_ in {"her", "herself"} and token.dep_ in {"poss", "dobj", "pobj"}:
            return "f"
        if token.lower_ in {"his", "himself"} and token.dep_ in {"poss", "dobj", "pobj"}:
            return "m"
    return None


def _role_near(doc: Doc, tokens: list[Token]) -> str | None:
    """Title words right before a name ("Navy Press Secretary Rear Adm.") or an appositive."""
    head = tokens[-1]
    first = tokens[0].i
    before = []
    i = first - 1
    while i >= 0 and doc[i].head.i in {t.i for t in tokens} | {first} and doc[i].dep_ in {"compound", "amod", "nmod", "punct"}:
        before.insert(0, doc[i])
        i -= 1
    # titles inside the entity span that were stripped
    i = first - 1
    while i >= 0 and (_is_title(doc[i]) or (doc[i].dep_ in {"compound", "amod"} and doc[i].head.i >= first - 6
                                            and doc[i].head.i <= head.i)):
        if doc[i] not in before:
            before.insert(0, doc[i])
        i -= 1
    before = [t for t in before if not t.is_punct or t.text == "."]
    while before and before[0].lower_ in {"the", "a", "an"}:
        before = before[1:]
    if before and any(t.pos_ in {"NOUN", "PROPN"} for t in before):  # "emotional" is no role
        return _join(sorted(before, key=lambda t: t.i))
    appos = [c for c in head.children if c.dep_ == "appos"]
    if appos:
        words = [t for t in appos[0].subtree if not t.is_punct]
        words = [t for t in words if t.i <= appos[0].i + 6]
        if words and len(words) <= 8:
            return _join(words)
    return None
