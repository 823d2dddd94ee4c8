"""Quotes merged across articles, with speakers and variants."""

from __future__ import annotations

from accord.corroborate.quotes import merge_quotes, normalize_quote, quotes_match
from tests.corroborate.builders import article

FULL = "\u201cWe will rebuild the harbour wall before winter, and every family will be housed.\u201d"
PART = "\u201cevery family will be housed\u201d"


def test_normalised_quotes_ignore_case_punctuation_and_quote_marks() -> None:
    assert normalize_quote("\u201cWe WILL rebuild \u2013 now!\u201d") == "we will rebuild now"


def test_quotes_match_fuzzy_and_partial() -> None:
    assert quotes_match(FULL, FULL.replace("harbour", "harbor"))
    assert quotes_match(PART, FULL)
    assert not quotes_match("\u201cwe will\u201d", FULL)  # too short to match by containment
    assert not quotes_match("\u201cThe budget is balanced this year.\u201d", FULL)


def test_merge_quotes_keeps_variants_and_the_full_speaker_name() -> None:
    a = article("a", f"{FULL} said Governor Alma Brecht on Monday.",
                quotes=[dict(text=FULL, speaker="Alma Brecht")])
    b = article("b", f"Brecht promised that {PART} by December.",
                quotes=[dict(text=PART, speaker="Brecht", partial=True)])
    c = article("c", "\u201cThe tide was the highest in fifty years,\u201d a harbour official said.",
                quotes=[dict(text="\u201cThe tide was the highest in fifty years,\u201d")])
    groups = merge_quotes([a, b, c])
    assert len(groups) == 2
    first = groups[0]
    assert first.articles == ("a", "b")
    assert first.speaker == "Alma Brecht"
    assert first.text == FULL
    assert {(v.article, v.speaker) for v in first.variants} == {("a", "Alma Brecht"), ("b", "Brecht")}
    assert groups[1].speaker is None and groups[1].articles == ("c",)


def test_similar_quotes_of_two_speakers_in_one_article_stay_apart() -> None:
    one = "\u201cWe can confirm the convoy reached Dorran safely this morning.\u201d"
    two = "\u201cI can confirm the convoy reached Dorran safely this morning.\u201d"
    a = article("a", f"{one} said Ivo Marsh. {two} said Lena Stroud.",
                quotes=[dict(text=one, speaker="Ivo Marsh"), dict(text=two, speaker="Lena Stroud")])
    b = article("b", f"{two} Lena Stroud told reporters.", quotes=[dict(text=two, speaker="Lena Stroud")])
    groups = merge_quotes([a, b])
    assert len(groups) == 2
    speakers = {g.speaker: set(g.articles) for g in groups}
    assert speakers == {"Lena Stroud": {"a", "b"}, "Ivo Marsh": {"a"}}
