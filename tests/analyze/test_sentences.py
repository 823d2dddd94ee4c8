"""Sentence splitting: offsets into the text, abbreviations kept, paragraphs respected."""

from __future__ import annotations

import pytest

from accord.analyze.sentences import sentence_at, split_sentences


def test_offsets_index_the_text() -> None:
    text = "  The ferry left at dawn. It docked at noon!\nWas anyone hurt?  "
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["The ferry left at dawn.", "It docked at noon!", "Was anyone hurt?"]
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert text[sentence.start:sentence.end] == sentence.text


def test_titles_dates_and_country_abbreviations_do_not_split() -> None:
    text = (
        "Brig. Gen. Mara Okoye said the U.S. Coast Guard arrived on Oct. 26 at 3 p.m. local time. "
        "Lt. Col. Ivo Brandt agreed."
    )
    sentences = split_sentences(text)
    assert len(sentences) == 2
    assert sentences[0].text.startswith("Brig. Gen. Mara Okoye")
    assert sentences[0].text.endswith("local time.")
    assert sentences[1].text == "Lt. Col. Ivo Brandt agreed."


def test_paragraph_break_is_a_hard_boundary() -> None:
    text = "The storm hit Portvale and\n\nthe harbour flooded by morning."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["The storm hit Portvale and", "the harbour flooded by morning."]


def test_line_without_closing_punctuation_is_its_own_sentence() -> None:
    text = "Harbour fire update\nCrews worked through the night."
    assert [s.text for s in split_sentences(text)] == ["Harbour fire update", "Crews worked through the night."]


def test_soft_wrapped_line_is_joined() -> None:
    text = "Crews worked through the night to keep the\nflames away from the fuel depot. Nobody was hurt."
    sentences = split_sentences(text)
    assert len(sentences) == 2
    assert "\n" in sentences[0].text


def test_repeated_sentences_get_their_own_offsets() -> None:
    text = "Sirens sounded. Sirens sounded. Then silence."
    starts = [s.start for s in split_sentences(text)]
    assert starts == [0, 16, 32]


def test_empty_text_and_misuse() -> None:
    assert split_sentences("") == ()
    assert split_sentences(" \n\n ") == ()
    with pytest.raises(ValueError, match="str"):
        split_sentences(None)  # type: ignore[arg-type]


def test_sentence_at_finds_the_containing_sentence() -> None:
    text = "One. Two. Three."
    sentences = split_sentences(text)
    assert sentence_at(sentences, text.index("Two")) == 1
    assert sentence_at(sentences, text.index("Three") + 2) == 2
    assert sentence_at(sentences, len(text) + 5) == -1


@pytest.mark.parametrize("title", ["Cdr.", "Amb.", "Atty.", "Pres.", "Fr.", "Brig.", "Gov."])
def test_title_abbreviations_never_end_a_sentence(title: str) -> None:
    text = f"{title} Nell Arden visited the quay. She left."
    assert [s.text for s in split_sentences(text)] == [f"{title} Nell Arden visited the quay.", "She left."]


def test_sentence_at_finds_the_sentence_or_the_one_before_a_gap() -> None:
    text = "The ferry docked at noon.\n\nPassengers left by the north gate."
    sentences = split_sentences(text)
    gap = text.index("\n\n") + 1
    assert sentence_at(sentences, text.index("docked")) == 0
    assert sentence_at(sentences, text.index("north")) == 1
    assert sentence_at(sentences, gap) == -1
    assert sentence_at(sentences, gap, nearest=True) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The two were recaptured on Jan 13.Their escape began at dawn.",
         ["The two were recaptured on Jan 13.", "Their escape began at dawn."]),
        ("He was arrested, said the police.The man, 34, was charged on Friday.",
         ["He was arrested, said the police.", "The man, 34, was charged on Friday."]),
        ("Two remain in hospital.\u201cWe are praying for them,\u201d said Ms Lin.",
         ["Two remain in hospital.", "\u201cWe are praying for them,\u201d said Ms Lin."]),
        ("\u201cWe will rebuild,\u201d he said.\u201dThe owner agreed.",
         ["\u201cWe will rebuild,\u201d he said.\u201d", "The owner agreed."]),
        ('He said: "I am not to blame."The judge disagreed.',
         ['He said: "I am not to blame."', "The judge disagreed."]),
        ('The crowd left the quay."We saw smoke," a guard said.',
         ["The crowd left the quay.", '"We saw smoke," a guard said.']),
        ("The fire was put out at 10.27pm.On Tuesday the quay reopened.",
         ["The fire was put out at 10.27pm.", "On Tuesday the quay reopened."]),
        ("The ferry docked in Portvale.The crew went ashore.",
         ["The ferry docked in Portvale.", "The crew went ashore."]),
        ("Download the app today.A 62-year-old woman was arrested.",
         ["Download the app today.", "A 62-year-old woman was arrested."]),
    ],
)
def test_glued_paragraphs_are_split(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    "text",
    [
        "The U.S.Navy sent a cutter to the quay.",
        "Officers from the U.S.Coast Guard, e.g.Harbour Patrol, came.",
        "The book by J.K.Rowling was found in the ash.",
        "Details were posted on Channel NewsAsia.com and on mothership.sg on Monday.",
        "Prices rose 1.5 per cent, see No.4 in the table.",
        "Gen.Tan and Mr.Lee visited the site with Harbour Works Pte.Ltd staff.",
        "The vote was 12 vs.Ten on the council.",
    ],
)
def test_glued_looking_abbreviations_domains_and_numbers_do_not_split(text: str) -> None:
    assert [s.text for s in split_sentences(text)] == [text]


def test_glued_split_offsets_in_a_longer_text() -> None:
    text = "Harbour fire\n\nCrews arrived at 6am.The blaze was out by noon.\u201cIt was close,\u201d said Tomas Reyes.\nNobody died."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Harbour fire", "Crews arrived at 6am.", "The blaze was out by noon.",
        "\u201cIt was close,\u201d said Tomas Reyes.", "Nobody died.",
    ]
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
