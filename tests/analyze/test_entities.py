"""Entities on invented articles: titles kept as roles, variants merged in and across articles."""

from __future__ import annotations

import pytest

from accord.analyze.entities import entity_key, extract_entities, merge_story_entities
from accord.analyze.sentences import split_sentences
from accord.models import AnalyzedArticle, Article, Entity

pytestmark = pytest.mark.slow

FIRST = (
    "Deputy Press Secretary Jane Varga said crews at al-Mira Airbase put out the fire on Monday. "
    "Varga said the runway would reopen. Harbour Board Press Secretary Brig. Gen. Tomas Quell confirmed the damage. "
    "Quell said two hangars burned."
)
SECOND = (
    "Firefighters from the Ain al-Mira Air Base were called after midnight, according to Jane Varga, "
    "a deputy press secretary. Brigadier General Tomas Quell said the Al Mira base had reopened. "
    "Al-Mira Airbase was quiet on Tuesday."
)


def _analyze(article_id: str, text: str) -> AnalyzedArticle:
    from accord.analyze.nlp import get_nlp

    entities = extract_entities(get_nlp()(text), split_sentences(text))
    return AnalyzedArticle(article=Article(id=article_id, title="", text=text), entities=entities)


def _find(entities: tuple[Entity, ...], word: str) -> Entity:
    hits = [e for e in entities if any(word in v for v in e.variants)]
    assert len(hits) == 1, [(e.key, e.variants) for e in entities]
    return hits[0]


def test_key_normalisation() -> None:
    assert entity_key("al-Mira Airbase") == entity_key("Al Mira Air Base") == "entity:mira-airbase"
    assert entity_key("Jane Varga", "PERSON") == "person:jane-varga"
    assert entity_key("the U.S. Navy") == entity_key("US Navy")


def test_title_kept_as_role_and_surname_merged() -> None:
    article = _analyze("a", FIRST)
    varga = _find(article.entities, "Varga")
    assert varga.name == "Jane Varga" and varga.label == "PERSON"
    assert "Deputy Press Secretary" in varga.roles
    assert len(varga.mentions) == 2
    quell = _find(article.entities, "Quell")
    assert quell.name == "Tomas Quell" and quell.key == "person:tomas-quel"
    assert "Brig. Gen." in quell.roles and "Harbour Board Press Secretary" in quell.roles
    assert len(quell.mentions) == 2
    # The abbreviated rank is never an entity of its own.
    assert not any(e.name.startswith("Brig") for e in article.entities)


def test_mentions_point_into_the_text() -> None:
    article = _analyze("a", FIRST)
    for entity in article.entities:
        for mention in entity.mentions:
            assert FIRST[mention.start:mention.end] == mention.text
            assert mention.sentence >= 0


def test_facility_spellings_merge_inside_an_article() -> None:
    article = _analyze("b", SECOND)
    base = [e for e in article.entities if "mira" in e.key]
    assert len(base) == 1, [(e.key, e.variants) for e in base]
    assert base[0].name == "Ain al-Mira Air Base"


def test_appositive_role_is_kept() -> None:
    varga = _find(_analyze("b", SECOND).entities, "Varga")
    assert any("press secretary" in role for role in varga.roles)


def test_story_merge_gives_one_key_and_name_across_articles() -> None:
    merged = merge_story_entities([_analyze("a", FIRST), _analyze("b", SECOND)])
    for word in ("Varga", "Quell", "Mira"):
        found = [_find(article.entities, word) for article in merged]
        assert len({e.key for e in found}) == 1, [(e.key, e.name) for e in found]
        assert len({e.name for e in found}) == 1
    bases = [_find(article.entities, "Mira") for article in merged]
    assert bases[0].name == "Ain al-Mira Air Base"
    quell = _find(merged[1].entities, "Quell")
    assert "Brig. Gen." in quell.roles and "Brigadier General" in quell.roles


def test_short_place_is_not_swallowed_by_a_longer_name() -> None:
    text = "The Harbour Workers Union of Carrow met in Carrow on Friday."
    article = _analyze("c", text)
    keys = {e.key for e in article.entities}
    assert "entity:carow" in keys
    assert len(keys) >= 2


def test_merge_is_deterministic_and_handles_empty_input() -> None:
    assert merge_story_entities([]) == []
    first = merge_story_entities([_analyze("a", FIRST), _analyze("b", SECOND)])
    second = merge_story_entities([_analyze("a", FIRST), _analyze("b", SECOND)])
    assert first == second


def test_title_with_a_plain_word_inside_and_lower_case_title() -> None:
    text = "Chief Fire Officer Lina Marsh and harbour master Odo Penrith closed the pier."
    entities = _analyze("d", text).entities
    marsh = _find(entities, "Marsh")
    assert marsh.name == "Lina Marsh" and marsh.roles == ("Chief Fire Officer",)
    penrith = _find(entities, "Penrith")
    assert penrith.label == "PERSON" and penrith.roles == ("harbour master",)
    assert not any(e.name in {"Fire", "Fire Officer"} for e in entities)


def test_same_words_are_one_entity_whatever_the_labels() -> None:
    text = "Boats left Grell Quay at dawn. Later, Grell Quay was sealed off and the Grell Quay office shut."
    entities = _analyze("e", text).entities
    quay = [e for e in entities if "grel" in e.key]
    assert len(quay) == 1 and quay[0].label != "PERSON"
    assert len(quay[0].mentions) == 3


def test_everyday_word_is_not_a_title() -> None:
    entities = _analyze("f", "Officials expect major Carrow flooding, the general Dunmere view said.").entities
    assert not any(e.label == "PERSON" and e.name in {"Carrow", "Dunmere"} for e in entities)
    assert all(not e.roles for e in entities)


def test_known_ner_errors_are_repaired() -> None:
    from spacy.tokens import Span

    from accord.analyze.nlp import get_nlp

    text = "Brig. Gen. Tomas Quell met Jane Varga. Varga flew from Al-Mira Airbase to Ain al-Mira Air Base and Al Mira."
    doc = get_nlp()(text)

    def span(words: str, label: str, occurrence: int = 0) -> Span:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(words, start + 1)
        found = doc.char_span(start, start + len(words), label=label)
        assert found is not None
        return found

    # Labels as the small English model gets them wrong on news.
    doc.ents = [
        span("Brig.", "GPE"),
        span("Tomas Quell", "PERSON"),
        span("Jane Varga", "PERSON"),
        span("Varga", "GPE", occurrence=1),
        span("Al-Mira Airbase", "PERSON"),
        span("Ain al-Mira Air Base", "ORG"),
        span("Al Mira", "PERSON"),
    ]
    entities = extract_entities(doc, split_sentences(text))
    assert not any(e.name.startswith("Brig") for e in entities)
    varga = _find(entities, "Varga")
    assert varga.label == "PERSON" and len(varga.mentions) == 2
    base = [e for e in entities if "mira" in e.key]
    assert len(base) == 1 and len(base[0].mentions) == 3
    assert base[0].name == "Ain al-Mira Air Base" and base[0].label != "PERSON"


@pytest.mark.parametrize(
    ("rank", "name"),
    [
        ("Rear Adm.", "Selma Dorn"),
        ("Vice Adm.", "Karl Ostrander"),
        ("Lt. Gen.", "Mira Coyle"),
        ("Maj. Gen.", "Olek Brandt"),
        ("Lt. Col.", "Pia Hartung"),
        ("Staff Sgt.", "Ruben Vale"),
        ("Chief Fire Officer", "Lina Marsh"),
    ],
)
def test_multi_word_ranks_are_roles_not_names(rank: str, name: str) -> None:
    for text in (f"Harbour Guard Press Secretary {rank} {name} said the boats were safe.", f"On Friday {rank} {name} spoke."):
        entities = _analyze("g", text).entities
        people = [e for e in entities if e.label == "PERSON"]
        assert [e.name for e in people] == [name], [(e.name, e.label) for e in entities]
        assert any(role.endswith(rank) for role in people[0].roles)
    assert rank in _find(entities, name).roles


def test_role_noun_before_a_two_word_name_is_a_person() -> None:
    text = "School board chair Gloria Mendez and fire department director Omar Haskell spoke."
    entities = _analyze("h", text).entities
    mendez = _find(entities, "Mendez")
    assert mendez.label == "PERSON" and mendez.roles == ("School board chair",)
    haskell = _find(entities, "Haskell")
    assert haskell.roles == ("fire department director",)


def test_country_names_share_a_key() -> None:
    assert entity_key("US") == entity_key("U.S.") == entity_key("the United States") == entity_key("America")
    assert entity_key("UK") == entity_key("U.K.") == entity_key("Britain") == entity_key("the United Kingdom")
    assert entity_key("US") != entity_key("UK")
    text = "The US sent a ship. The United States and the U.S. Navy said America would help."
    entities = _analyze("i", text).entities
    countries = [e for e in entities if e.key == entity_key("US")]
    assert len(countries) == 1 and len(countries[0].mentions) == 3
    assert any(e.key == entity_key("US Navy") for e in entities)
