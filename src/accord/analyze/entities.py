"""Named entities with canonical names, merged inside an article and across a story.

Mentions come from spaCy's NER, repaired for its known errors on news: a name after a
title ("press secretary Jane Doe", "Brig. Gen. John Roe") is a person whatever labels
its tokens got; a title abbreviation alone ("Brig.") is not an entity; a surname alone
tagged as a place or an organisation is the person of that surname. Variants are merged
by a normalised key: case, accents, hyphens and apostrophes folded, the Arabic article
("al-", "Al ", "el-") and "the" dropped, "Air Base" written "airbase", doubled letters
collapsed ("Mirra"/"Mira"); a name whose key words all occur in a longer name with at
most one other distinctive word ("Al Foo" in "Ain al-Foo Air Base") is the same entity.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from accord.analyze.sentences import sentence_at
from accord.models import AnalyzedArticle, Entity, EntityMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["entity_key", "extract_entities", "first_name_gender", "is_occupation_title", "is_surname", "merge_story_entities"]

log = logging.getLogger(__name__)

#: NER labels kept as entities (numbers, dates and the like are handled elsewhere).
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
_PLACE_OR_ORG = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"})

# Words that make a run of words before or after a name a title or role.
_ROLE_WORDS = frozenset(
    """secretary spokesperson spokeswoman spokesman minister president vice deputy general gen
    brig brigadier colonel col lt lieutenant major maj captain capt admiral adm sergeant sgt
    commander cmdr chief director ambassador amb senator sen rep representative governor gov
    mayor press sec official prime chancellor king queen prince princess judge justice attorney
    prosecutor officer head leader chairman chairwoman chair ceo founder professor prof dr
    correspondent reporter analyst commissioner inspector insp superintendent supt sheriff
    detective det marshal councillor councilor counselor adviser advisor envoy speaker
    pres rev reverend cardinal bishop pope sheikh ayatollah emir sultan master manager owner
    adv advocate skipper mec mp mla msp chairperson""".split()
)
# Role words that are titles even in lower case ("spokeswoman Jane Doe"); the others
# ("major", "general", "chief") are titles only when capitalised.
_LOWERCASE_ROLES = frozenset(
    """secretary spokesperson spokeswoman spokesman minister president senator governor mayor
    ambassador commissioner chairman chairwoman prosecutor sheriff superintendent sec master
    director adviser advisor envoy correspondent reporter analyst professor ceo chairperson""".split()
)
# Ranks and honorifics: a role of their own inside a longer title ("Press Secretary | Brig. Gen.").
_RANKS = frozenset(
    "brig brigadier gen general col colonel lt lieutenant maj major capt captain adm admiral sgt "
    "sergeant cmdr commander dr prof rev".split()
)
# Words that make a rank of the rank after them ("Rear Adm.", "Vice Adm.", "Staff Sgt.").
_RANK_MODIFIERS = frozenset("rear vice staff first second lance petty warrant master command chief".split())
# Capitalised words with these NER labels end a title read backwards ("On Friday | Chief ...").
_NOT_IN_ROLES = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL"})
_ROLE_LINKS = frozenset({"of", "for", "and", "to", "-"})
_ARTICLES = frozenset({"al", "el", "the", "ad", "an-", "as-"})
_COMPOUNDS = {("air", "base"): "airbase", ("air", "field"): "airfield", ("u", "s"): "us", ("u", "k"): "uk"}
# Countries and unions news names in several ways, keyed as their common abbreviation.
# A small table by hand: no token rule links "America" to "US", and a gazetteer
# library for a handful of everyday names would be a heavy dependency.
_ALIASES = {
    ("united", "states"): ("us",), ("united", "states", "of", "america"): ("us",), ("usa",): ("us",),
    ("america",): ("us",), ("united", "kingdom"): ("uk",), ("britain",): ("uk",),
    ("great", "britain"): ("uk",), ("united", "arab", "emirates"): ("uae",),
    ("european", "union"): ("eu",), ("united", "nations"): ("un",),
}
_ALIAS_KEYS = frozenset(_ALIASES.values())
# Words that describe a place or organisation rather than name it: a name may lack them.
_GENERIC = frozenset(
    "airbase base airfield airport port camp province region city town district county state "
    "village governorate ministry department agency force forces command group organization "
    "organisation party company inc corp ltd co university hospital river mountain service "
    "council brigade police".split()
)
_FACILITY_WORDS = frozenset(
    "airbase base airfield airport port camp quay pier wharf dock harbour harbor street road avenue "
    "bridge square park station warehouse plant".split()
)


@dataclass(slots=True)
class _Mention:
    text: str
    start: int
    end: int
    sentence: int
    label: str
    tokens: tuple[str, ...]  # normalised key words
    roles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Group:
    label_votes: Counter[str] = field(default_factory=Counter)
    mentions: list[_Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> tuple[str, ...]:
        return max((m.tokens for m in self.mentions), key=lambda t: (len(t), t))

    @property
    def is_person(self) -> bool:
        persons = self.label_votes.get("PERSON", 0)
        return bool(persons) and persons * 2 >= sum(self.label_votes.values())


# --------------------------------------------------------------------------- public API


def entity_key(name: str, label: str = "") -> str:
    """The normalised key of an entity name: ``person:jane-doe``, ``entity:foo-airbase``."""
    kind = "person" if label == "PERSON" else "entity"
    return f"{kind}:{'-'.join(_normalise(name)) or _digest(name)}"


def extract_entities(doc: Doc, sentences: Sequence[Sentence]) -> tuple[Entity, ...]:
    """Return the entities of one article with variants merged and roles attached.

    Args:
        doc: the spaCy doc of the article's cleaned text.
        sentences: the sentences of the same text (offsets are checked against them).
    """
    sentences = tuple(sentences)
    mentions = _mentions(doc, sentences)
    groups = _group(mentions)
    return tuple(_entity(group) for group in groups)


def merge_story_entities(analyzed: list[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """Give the same entity the same ``key``, ``name`` and ``roles`` in every article of a story.

    Entities are matched across articles by the same rules as inside one article (key
    words, surname of a known person, token subsets); the longest informative name wins.
    """
    entries: list[tuple[int, int, Entity]] = [
        (a_index, e_index, entity)
        for a_index, article in enumerate(analyzed)
        for e_index, entity in enumerate(article.entities)
    ]
    if not entries:
        return list(analyzed)
    # Each entity of each article takes part under its canonical name, as one mention
    # whose (start, end) are its (article, entity) indices.
    pseudo = [
        _Mention(entity.name, a_index, e_index, 0, entity.label, tokens, list(entity.roles))
        for a_index, e_index, entity in entries
        if (tokens := _normalise(entity.name))
    ]
    owner: dict[tuple[int, int], _Group] = {
        (mention.start, mention.end): group for group in _group(pseudo) for mention in group.mentions
    }
    results: list[list[Entity]] = [list(article.entities) for article in analyzed]
    for a_index, e_index, entity in entries:
        group = owner.get((a_index, e_index))
        if group is None:
            continue
        merged = _entity(group)
        results[a_index][e_index] = replace(
            entity,
            key=merged.key,
            name=merged.name,
            label=merged.label,
            roles=merged.roles,
        )
    out: list[AnalyzedArticle] = []
    for article, entities in zip(analyzed, results, strict=True):
        out.append(replace(article, entities=_dedupe(entities)))
    return out


# --------------------------------------------------------------------------- mentions


def _mentions(doc: Doc, sentences: tuple[Sentence, ...]) -> list[_Mention]:
    mentions: list[_Mention] = []
    taken: set[int] = set()
    role_tokens: set[int] = set()
    for start, end, roles, role_span in _titled_people(doc):
        mention = _make(doc, start, end, "PERSON", sentences, roles)
        if mention is not None:
            mentions.append(mention)
            taken.update(range(start, end))
            role_tokens.update(role_span)
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        indices = set(range(ent.start, ent.end))
        if indices & taken or indices <= role_tokens:
            continue
        start, end = _trim(ent)
        if start >= end or _is_title_only(doc[start:end]):
            continue
        label = _repair_label(doc[start:end], ent.label_)
        roles = _roles_before(doc, start)[0] if label == "PERSON" else []
        trimmed = [t.text for t in doc[ent.start:start] if t.lower_ != "the"]
        if label == "PERSON" and trimmed and not roles:
            roles = [" ".join(trimmed)]  # "Dispatcher Carla Benton": the word trimmed is her role
        mention = _make(doc, start, end, label, sentences, roles)
        if mention is not None:
            if label == "PERSON":
                mention.roles.extend(_roles_after(doc, end))
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _make(doc: Doc, start: int, end: int, label: str, sentences: tuple[Sentence, ...], roles: list[str]) -> _Mention | None:
    span = doc[start:end]
    tokens = _normalise(span.text)
    if not tokens:
        return None
    return _Mention(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        sentence=sentence_at(sentences, span.start_char),
        label=label,
        tokens=tokens,
        roles=list(roles),
    )


def _repair_label(span: Span, label: str) -> str:
    """Places and organisations that NER tagged PERSON ("Al-Foo Airbase", "Foo Ministry")."""
    if label != "PERSON":
        return label
    words = set(_normalise(span.text))
    if words & _FACILITY_WORDS:
        return "FAC"
    if words & _GENERIC:
        return "ORG"
    return label


def _starts_with_article(text: str) -> bool:
    first = re.split(r"[\s\-\u2010]+", text.strip().lower(), maxsplit=1)[0]
    return first in _ARTICLES


# Census first names that are more often a common word, a date or a rank in news copy.
_NOT_FIRST_NAMES = frozenset(
    "AN ELSE IN MANY MAY MY SEE SO WILL APRIL AUGUST JANUARY JUNE SEPTEMBER SUNDAY AUTUMN SUMMER "
    "CHANCE FAITH HOPE JOY LOVE LONG YOUNG RICH MAJOR KING CHRISTIAN GAY ART".split()
)


@functools.lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """First name (upper case) -> "f", "m" or "" (used for both), from the US Census 1990 lists.

    The lists ship with the ``names`` package (MIT; the data is public domain): 4,275
    female and 1,219 male first names with their frequency. A name is one gender when
    it is at least twice as common for it as for the other.
    """
    from importlib.resources import files

    frequency: dict[str, dict[str, float]] = {"f": {}, "m": {}}
    for gender, filename in (("f", "dist.female.first"), ("m", "dist.male.first")):
        for line in (files("names") / filename).read_text("ascii").splitlines():
            fields = line.split()
            if len(fields) >= 2:
                frequency[gender][fields[0]] = float(fields[1])
    genders: dict[str, str] = {}
    for name in frequency["f"].keys() - _NOT_FIRST_NAMES | frequency["m"].keys() - _NOT_FIRST_NAMES:
        female, male = frequency["f"].get(name, 0.0), frequency["m"].get(name, 0.0)
        genders[name] = "f" if female >= 2 * male else "m" if male >= 2 * female else ""
    return genders


@functools.lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """The 88,799 surnames of the US Census 1990 list (upper case), shipped with ``names``."""
    from importlib.resources import files

    text = (files("names") / "dist.all.last").read_text("ascii")
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


def is_surname(word: str) -> bool:
    """True for a capitalised word on the census list of surnames ("Sharma", "Okafor" are; "Dispatcher" is not)."""
    return word[:1].isupper() and word.isalpha() and word.upper() in _surnames()


def is_occupation_title(word: str) -> bool:
    """True for a capitalised word before a name that is neither a first name nor a surname ("Dispatcher")."""
    if not word[:1].isupper() or not word.isalpha() or first_name_gender(word) is not None:
        return False
    return word.upper() not in _surnames()


def first_name_gender(word: str) -> str | None:
    """ "f" or "m" for a first name mostly given to one gender, "" for other first names, None for no first name."""
    if not word[:1].isupper() or not word.isalpha() or len(word) < 2:
        return None
    return _first_names().get(word.upper())


def _trim(ent: Span) -> tuple[int, int]:
    """Drop a leading "the", titles and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ == "the" or ent.label_ == "PERSON" and _is_role_token(doc[start])):
        start += 1
    while ent.label_ == "PERSON" and end - start >= 3 and is_occupation_title(doc[start].text) \
            and first_name_gender(doc[start + 1].text) is not None:
        start += 1  # an occupation written as a title: "Dispatcher Carla Benton"
    while end > start and doc[end - 1].text in {"'s", "\u2019s", "'", "\u2019", ".", ",", "-"}:
        end -= 1
    return start, end


def _is_title_only(span: Span) -> bool:
    return all(_is_role_token(t) or not t.is_alpha for t in span)


def _is_role_token(token: Token) -> bool:
    word = token.lower_.rstrip(".")
    if word in _ROLE_WORDS:
        return True
    # "Rear Adm.", "Staff Sgt.", "First Lt.": a modifier that is a rank only before one.
    doc = token.doc
    return word in _RANK_MODIFIERS and token.i + 1 < len(doc) and doc[token.i + 1].lower_.rstrip(".") in _RANKS


def _titled_people(doc: Doc) -> Iterable[tuple[int, int, list[str], range]]:
    """Names right after a title, whatever NER made of them ("press sec Jane Doe")."""
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        if not _is_role_token(token):
            i += 1
            continue
        # Walk over the whole title ("Chief Fire Officer"): the name starts after its last
        # role word; then take up to three capitalised name words.
        j = i
        k = i
        while k < n and k - i < 8:
            if _is_role_token(doc[k]):
                k += 1
                j = k
            elif doc[k].lower_ in {"of", "for"} and k + 2 < n and doc[k + 1].is_title and _is_name_word(doc[k + 2]) and (
                _is_role_token(doc[k + 1]) or first_name_gender(doc[k + 2].text) is not None
            ):
                k += 2  # "Secretary of Defense Lloyd Austin"
                j = k
            elif _is_name_word(doc[k]):
                k += 1
            else:
                break
        name_end = j
        while name_end < n and name_end - j < 4:
            if _is_name_word(doc[name_end]):
                name_end += 1
            elif doc[name_end].text == "-" and name_end > j and name_end + 1 < n and _is_name_word(doc[name_end + 1]) and not doc[name_end].whitespace_:
                name_end += 2  # "Amir-Abdollahian"
            else:
                break
        # A title in lower case must be one that is never an everyday word ("a major Foo base").
        last_role = doc[j - 1]
        titled = last_role.is_title or last_role.is_upper or last_role.lower_ in _LOWERCASE_ROLES
        # Any role noun before a two-word capitalised name ("board chair Gloria Mendez")
        # introduces a person, whatever label NER gave the name.
        titled = titled or last_role.pos_ == "NOUN" and name_end - j >= 2 and all(t.pos_ == "PROPN" for t in doc[j:name_end])
        if titled and name_end > j and _looks_like_person(doc, j, name_end):
            roles, role_start = _roles_before(doc, j)
            yield j, name_end, roles, range(role_start, j)
            i = name_end
        else:
            i = j if j > i else i + 1


def _is_name_word(token: Token) -> bool:
    return (
        token.is_title
        and token.is_alpha
        and token.pos_ in {"PROPN", "NOUN", "ADJ"}
        and not _is_role_token(token)
        and token.ent_type_ not in {"NORP", "DATE", "TIME", "CARDINAL"}
    )


def _looks_like_person(doc: Doc, start: int, end: int) -> bool:
    """Name words after a title are a person, unless they begin a longer name ("Press Club")."""
    if any(t.ent_type_ == "PERSON" for t in doc[start:end]):
        return True
    if end < len(doc) and doc[end].ent_iob_ == "I":
        return False
    return end - start >= 2 or doc[start].pos_ == "PROPN"


def _roles_before(doc: Doc, start: int) -> tuple[list[str], int]:
    """Titles written before a name: "Deputy Ministry Press Secretary", "Brig. Gen."."""
    i = start
    while i > 0:
        token = doc[i - 1]
        if _is_role_token(token):
            i -= 1
        elif token.is_title and token.pos_ in {"PROPN", "NOUN", "ADJ"} and token.ent_type_ not in _NOT_IN_ROLES:
            i -= 1
        elif token.lower_ in _ROLE_LINKS and i - 2 >= 0 and (
            _is_role_token(doc[i - 2]) or doc[i - 2].is_title and token.lower_ != "and"
        ):
            i -= 1  # "Secretary of State", "Minister for Ports"; "and" only joins roles
        elif token.is_lower and (token.pos_ in {"NOUN", "ADJ", "PROPN"} or token.tag_ == "VB") and (
            _is_role_token(token) or any(_is_role_token(t) for t in doc[i:start])
        ):
            i -= 1  # "harbour master", "deputy press secretary"
        else:
            break
    while i < start and doc[i].lower_ in _ROLE_LINKS:
        i += 1
    words = doc[i:start]
    if not any(_is_role_token(t) for t in words):
        return [], start
    return _split_ranks(words), i


def _split_ranks(words: Span) -> list[str]:
    """Split "Ministry Press Secretary Brig. Gen." into the office and the rank."""
    parts: list[list[Token]] = [[]]
    doc = words.doc
    for token in words:
        word = token.lower_.rstrip(".")
        is_modifier = word in _RANK_MODIFIERS and token.i + 1 < len(doc) and doc[token.i + 1].lower_.rstrip(".") in _RANKS
        is_rank = word in _RANKS or is_modifier
        previous = parts[-1][-1] if parts[-1] else None
        after_modifier = previous is not None and previous.lower_.rstrip(".") in _RANK_MODIFIERS
        if is_rank and previous is not None and not after_modifier and previous.lower_.rstrip(".") not in _RANKS and previous.text != ".":
            parts.append([])
        parts[-1].append(token)
    return [doc[p[0].i:p[-1].i + 1].text for p in parts if p]


def _roles_after(doc: Doc, end: int) -> list[str]:
    """An appositive role: "Jane Doe, a deputy press secretary, said"."""
    if end + 2 >= len(doc) or doc[end].text != ",":
        return []
    i = end + 1
    if doc[i].lower_ in {"a", "an", "the"}:
        i += 1
    j = i
    while j < len(doc) and j - i < 7 and doc[j].text not in {",", ".", ";", ":", "\u201d", '"'} and doc[j].pos_ in {"NOUN", "PROPN", "ADJ", "ADP", "PUNCT"}:
        j += 1
    words = doc[i:j]
    if not words or not _is_role_token(words[-1]) and not any(_is_role_token(t) for t in words if t.pos_ == "NOUN"):
        return []
    return [words.text]


# --------------------------------------------------------------------------- normalising and grouping


def _normalise(name: str) -> tuple[str, ...]:
    """Key words of a name: folded case and accents, no articles, compounds joined."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['\u2019`]s\b", "", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    joined: list[str] = []
    for word in words:
        if joined and (joined[-1], word) in _COMPOUNDS:
            joined[-1] = _COMPOUNDS[(joined[-1], word)]
        else:
            joined.append(word)
    words_after = [w for w in joined if w not in _ARTICLES]
    alias = _ALIASES.get(tuple(words_after))
    if alias is not None:
        return alias
    # Transliterations disagree on doubled letters ("Mirra"/"Mira").
    return tuple(re.sub(r"(.)\1+", r"\1", w) for w in joined if w not in _ARTICLES)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _group(mentions: list[_Mention]) -> list[_Group]:
    """Merge mentions into entities: same key words, surname of a person, token subsets."""
    groups: list[_Group] = []
    # The same words are the same entity whatever label NER gave each mention.
    by_tokens: dict[tuple[str, ...], _Group] = {}
    # Longest names first, so that short variants find the full name they belong to.
    ordered = sorted(mentions, key=lambda m: (-len(m.tokens), m.start, m.end))
    for mention in ordered:
        group = by_tokens.get(mention.tokens) or _match(mention, groups)
        if group is None:
            group = _Group()
            groups.append(group)
        group.mentions.append(mention)
        group.label_votes[mention.label] += 1
        for role in mention.roles:
            if role.lower() not in {r.lower() for r in group.roles}:
                group.roles.append(role)
        by_tokens.setdefault(mention.tokens, group)
    for group in groups:
        group.mentions.sort(key=lambda m: (m.start, m.end))
    groups.sort(key=lambda g: (g.mentions[0].start, g.mentions[0].end))
    return groups


def _match(mention: _Mention, groups: list[_Group]) -> _Group | None:
    tokens = set(mention.tokens)
    people = [g for g in groups if g.is_person]
    if len(mention.tokens) == 1:
        # A surname or first name alone, whatever its label ("Doe" tagged GPE).
        word = mention.tokens[0]
        hits = [g for g in people if len(g.tokens) >= 2 and word in (g.tokens[-1], g.tokens[0])]
        if len(hits) == 1 and (mention.label == "PERSON" or word == hits[0].tokens[-1]):
            return hits[0]
    if mention.label == "PERSON":
        hits = [g for g in people if tokens < set(g.tokens) and mention.tokens[-1] == g.tokens[-1]]
        if len(hits) == 1:
            return hits[0]
        if not _starts_with_article(mention.text):
            return None
        # "Al Foo" tagged PERSON is more often the place "al-Foo": try the places.
    elif mention.label not in _PLACE_OR_ORG or mention.tokens in _ALIAS_KEYS:
        return None  # a country inside a longer name ("US" in "US Navy") is not that name
    candidates = []
    for group in groups:
        if group.is_person or not (set(group.label_votes) & _PLACE_OR_ORG):
            continue
        other = set(group.tokens)
        extra = other - tokens - _GENERIC
        if tokens <= other and len(extra) <= 1 and tokens - _GENERIC:
            candidates.append(group)
    return candidates[0] if len(candidates) == 1 else None


def _entity(group: _Group) -> Entity:
    label = _label(group)
    variants = sorted({m.text for m in group.mentions}, key=lambda v: (-len(_normalise(v)), -len(v), v))
    name = variants[0]
    key = entity_key(name, label)
    return Entity(
        key=key,
        name=name,
        label=label,
        mentions=tuple(
            EntityMention(text=m.text, start=m.start, end=m.end, sentence=m.sentence) for m in group.mentions
        ),
        variants=tuple(sorted(set(variants))),
        roles=tuple(group.roles),
    )


def _label(group: _Group) -> str:
    persons = group.label_votes.get("PERSON", 0)
    if persons and persons * 2 >= sum(group.label_votes.values()):
        return "PERSON"
    # Not mostly a person: the most frequent other label (places are often tagged PERSON).
    others = [(label, votes) for label, votes in group.label_votes.items() if label != "PERSON"]
    ranked = sorted(others, key=lambda kv: (-kv[1], ENTITY_LABELS.index(kv[0])))
    return ranked[0][0] if ranked else "PERSON"


def _dedupe(entities: list[Entity]) -> tuple[Entity, ...]:
    """Join entities of one article that the story merge gave the same key."""
    by_key: dict[str, Entity] = {}
    for entity in entities:
        seen = by_key.get(entity.key)
        if seen is None:
            by_key[entity.key] = entity
            continue
        mentions = tuple(sorted({*seen.mentions, *entity.mentions}, key=lambda m: (m.start, m.end)))
        variants = tuple(sorted({*seen.variants, *entity.variants}))
        by_key[entity.key] = replace(seen, mentions=mentions, variants=variants)
    return tuple(sorted(by_key.values(), key=lambda e: (e.mentions[0].start if e.mentions else 0, e.key)))
