"""Quotes and their speakers on invented news copy."""

from __future__ import annotations

import pytest

from accord.analyze.quotes import extract_quotes
from accord.analyze.sentences import split_sentences
from accord.models import Quote

pytestmark = pytest.mark.slow


def _quotes(text: str, *, with_entities: bool = True) -> tuple[Quote, ...]:
    from accord.analyze.entities import extract_entities
    from accord.analyze.nlp import get_nlp

    doc = get_nlp()(text)
    sentences = split_sentences(text)
    entities = extract_entities(doc, sentences) if with_entities else ()
    return extract_quotes(doc, sentences, entities)


def _speakers(text: str, **kwargs: bool) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in _quotes(text, **kwargs)]


def test_quote_then_cue_with_full_name_and_offsets() -> None:
    text = '"The tanks are empty," fire chief Oskar Lund said on Friday.'
    (quote,) = _quotes(text)
    assert quote.text == "The tanks are empty"
    assert text[quote.start:quote.end] == quote.text
    assert (quote.speaker, quote.cue, quote.partial) == ("Oskar Lund", "said", False)
    assert quote.role == "fire chief"


def test_inverted_cue_and_cue_before_quote() -> None:
    text = ('"We heard the alarm at six," said Petra Novak, a night nurse.\n'
            'Mayor Ivo Brandt told reporters: "The ward will reopen next month."')
    assert _speakers(text) == [
        ("We heard the alarm at six", "Petra Novak"),
        ("The ward will reopen next month.", "Ivo Brandt"),
    ]


def test_continuation_paragraphs_inherit_the_speaker() -> None:
    text = ("Coast guard spokeswoman Lena Vik described the rescue on Sunday.\n\n"
            "“We pulled eleven people from the water,” Vik said.\n\n"
            "“Two of them were children.”\n\n"
            "“The search for the last crew member goes on tonight.”\n\n"
            "A harbour worker, who asked not to be named, said the boat had been overloaded.")
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Lena Vik"] * 3
    assert quotes[0].role is not None and "spokeswoman" in quotes[0].role


def test_pronoun_resolves_to_the_full_name_of_fitting_gender() -> None:
    text = ('Senator Rhea Calloway and her aide, Tomas Ek, toured the flooded district.\n'
            'Calloway said the levees had failed. "Nobody warned these families," she said.\n'
            '"We need pumps here by morning," he added.')
    assert _speakers(text) == [
        ("Nobody warned these families", "Rhea Calloway"),
        ("We need pumps here by morning", "Tomas Ek"),
    ]


def test_pronoun_after_an_unnamed_person_gives_no_speaker() -> None:
    text = ('"The fire started in the kitchen," said investigator Maren Holt.\n'
            'The owner\'s brother disagreed. "Someone set it on purpose," he said.')
    assert _speakers(text) == [
        ("The fire started in the kitchen", "Maren Holt"),
        ("Someone set it on purpose", None),
    ]


def test_according_to_and_verbless_from_attributions() -> None:
    text = ('Grain exports resumed at Dalby, according to port director Hugo Sand.\n'
            '“The first ship left at dawn,” according to Sand.\n'
            '“All berths are open again.” from harbour spokesperson Ada Moreno.')
    assert _speakers(text) == [
        ("The first ship left at dawn", "Hugo Sand"),
        ("All berths are open again.", "Ada Moreno"),
    ]
    assert [q.cue for q in _quotes(text)] == ["according to", "from"]


def test_partial_quote_inside_reported_speech() -> None:
    text = ('The Kelso quarry blast caused "several minor injuries and some damage to a road," '
            "safety inspector Nora Quist said.")
    (quote,) = _quotes(text)
    assert quote.partial
    assert quote.speaker == "Nora Quist"
    assert quote.text == "several minor injuries and some damage to a road"


def test_titles_are_not_taken_as_names() -> None:
    text = ('"Our patrols saw nothing unusual," said Navy Press Secretary Rear Adm. Selma Dorn.\n'
            '"The exercise ends on Monday," Deputy Defense Minister Col. Arvid Lennart said.')
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Selma Dorn", "Arvid Lennart"]
    assert quotes[0].role is not None and "Press Secretary" in quotes[0].role


def test_anonymous_and_institutional_sources_have_no_speaker() -> None:
    text = ('"The convoy was hit twice," a U.S. official said.\n'
            'The inspectors\' report said the bridge was "unsafe for heavy traffic."\n'
            '"We will rebuild it," said one local engineer.')
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == [None, None, None]
    assert quotes[0].speaker_text == "a U.S. official"
    assert quotes[1].partial


def test_surname_resolves_through_the_article_without_entities() -> None:
    text = ('Chief economist Wanda Oyelaran presented the forecast on Tuesday.\n'
            '"Growth will slow to one percent," Oyelaran said.')
    assert _speakers(text, with_entities=False) == [("Growth will slow to one percent", "Wanda Oyelaran")]


def test_typographic_apostrophes_and_an_unclosed_quote_do_not_break_it() -> None:
    text = ("“We can’t say when the line’s repaired,” said engineer Bram Olsen.\n"
            "“The storm tore down forty poles and we’re still counting")
    quotes = _quotes(text)
    assert quotes[0].text == "We can’t say when the line’s repaired"
    assert quotes[0].speaker == "Bram Olsen"
    assert quotes[1].text.startswith("The storm tore down")
    assert quotes[1].speaker == "Bram Olsen"


def test_stray_straight_quote_and_empty_text() -> None:
    assert _quotes("") == ()
    found = _quotes('The 12" pipe burst near Ormsby. Nobody was hurt.')
    assert all(q.start < q.end for q in found)


def test_same_paragraph_continuation() -> None:
    text = ('"We were too slow in the second half," coach Ilse Marr said. '
            '"That is on me, not the players."')
    assert _speakers(text) == [
        ("We were too slow in the second half", "Ilse Marr"),
        ("That is on me, not the players.", "Ilse Marr"),
    ]


def test_continuation_after_an_abbreviated_title() -> None:
    text = ('The navy said the two ships collided in fog. "Both crews followed the rules," said navy '
            'spokesperson Cmdr. Olga Brandvik.\n\n"Nobody was seriously hurt."')
    assert [q.speaker for q in _quotes(text)] == ["Olga Brandvik", "Olga Brandvik"]


def test_role_noun_marks_a_speaker_and_called_is_a_cue() -> None:
    text = ('Parish council chair Hedda Marlowe said the hall would close. "The roof is unsafe," she said.\n\n'
            'Local builder Rupert Vance called the decision "a scandal."')
    assert _speakers(text) == [("The roof is unsafe", "Hedda Marlowe"), ("a scandal.", "Rupert Vance")]


def test_a_spokeswoman_named_in_the_next_sentence_and_by_surname_later() -> None:
    text = (
        '"We are cooperating with investigators," a spokeswoman for Keldmoor Rail said Tuesday. '
        "The spokeswoman, Greta Halvik, declined to say how many trains were cancelled.\n\n"
        '"Crews worked through the night," Halvik added.'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Greta Halvik", "Greta Halvik"]


def test_the_role_noun_stands_for_the_one_person_holding_it() -> None:
    text = (
        "Mayor Lucinda Farrant defended the contract.\n\n"
        '"We had four operators retire in a year," the mayor said at the board meeting.'
    )
    assert _speakers(text)[0][1] == "Lucinda Farrant"


def test_an_occupation_before_a_name_is_not_part_of_it() -> None:
    text = 'Dispatcher Carla Brenning took the call.\n\n"The line went dead," Brenning said Thursday.'
    assert _speakers(text) == [("The line went dead", "Carla Brenning")]


def test_a_name_after_of_or_for_only_qualifies_the_speaker() -> None:
    text = (
        'A spokesman for Gov. Ellen Marsh said the governor was "reviewing the framework." '
        '"Stay off the roads," the weather office in Cole City warned.'
    )
    assert [speaker for _, speaker in _speakers(text)] == [None, None]


def test_partial_quotes_in_reported_speech_belong_to_the_reporting_person() -> None:
    text = (
        "According to farm union chairperson Thandi Mokoena, 120 farms have applied for relief. "
        'Mokoena said the province had promised aid "in the coming weeks" and that some farmers '
        'were "at the end of the road".'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Thandi Mokoena", "Thandi Mokoena"]


def test_more_cue_verbs_and_a_pronoun_past_a_plural_noun() -> None:
    text = (
        '"Ten hires and twelve departures is not progress," Rosa Quill shot back.\n\n'
        'Hospital spokesman Victor Hale said replacement nurses had been brought in. '
        '"Care will not be interrupted," he said.'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Rosa Quill", "Victor Hale"]


def test_british_single_quotes_and_apostrophes_inside_them() -> None:
    text = (
        "'We weren't anywhere near our level,' admitted Tolworth manager Gareth Pyle. 'The lads know that.'\n\n"
        "Pyle refused to blame referee Alan Tolley for the decision. 'I won't moan about the ref,' he said."
    )
    assert _speakers(text) == [
        ("We weren't anywhere near our level", "Gareth Pyle"),
        ("The lads know that.", "Gareth Pyle"),
        ("I won't moan about the ref", "Gareth Pyle"),
    ]


def test_a_quote_after_a_sentence_that_reports_its_speaker() -> None:
    text = (
        "Residents' association chair Themba Nkosi said the community wanted answers. "
        '"People lost everything in that flood."'
    )
    assert _speakers(text) == [("People lost everything in that flood.", "Themba Nkosi")]


def test_an_initial_and_a_surname_and_a_long_attribution_before_a_continuation() -> None:
    text = (
        '"There is no need to panic," District Collector R. Venkatesan told reporters on Friday.\n\n'
        '"Today is a sad day," Mayor Odile Brassard wrote in a statement announcing the closure of the '
        'Saint-Remi paper mill. "For 90 years this mill was the heart of the town."'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["R. Venkatesan", "Odile Brassard", "Odile Brassard"]


def test_a_clause_opener_before_the_speaker_and_a_multiword_surname() -> None:
    text = (
        "Sentencing Lorna Pike, 56, at Kelso Crown Court, Judge Robert Amble said she had shown "
        "\u2018a callous disregard for her residents\u2019.\n\n"
        "\u201cWe lost half the crop,\u201d Graham Te Rangi said. \u201cIt is the third bad year,\u201d Te Rangi added."
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Robert Amble", "Graham Te Rangi", "Graham Te Rangi"]


def test_an_age_as_the_speaker_is_the_subject_just_written_about() -> None:
    text = (
        "Coach Ian Bell praised the defence. Winger Dara Quaid, who joined in January, scored twice. "
        "'The gaffer told us to be braver,' the 22-year-old said."
    )
    assert _speakers(text)[-1] == ("The gaffer told us to be braver", "Dara Quaid")


def test_an_unnamed_witness_is_the_antecedent_of_he() -> None:
    text = (
        '"The tanker crashed into three cars," said Sector Commander Ola Adebayo.\n\n'
        'A trader who saw the blast said the flames rose high. "People ran in every direction," he said.'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Ola Adebayo", None]


def test_an_employer_after_of_and_a_first_name_the_model_left_out() -> None:
    text = (
        "Retail analyst Oliver Brandt of Fenwick Stockbroking said the results were 'solid if dull'. "
        "'They are doing the basics well,' he said.\n\n"
        'Defence counsel Emeka Obiora told reporters his client was "ready to clear his name".'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Oliver Brandt", "Oliver Brandt", "Emeka Obiora"]


def test_his_after_another_name_says_nothing_of_the_speaker_and_speakers_are_remembered() -> None:
    text = (
        "Judge Moana Ferris told Darren Kettle that his offending had been 'calculated'. "
        "'You exploited the trust of volunteers,' she said.\n\n"
        "Kettle's lawyer, Hamish Breen, said his client was 'deeply ashamed'. "
        "'He has sold his house,' Breen told the court."
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Moana Ferris", "Moana Ferris", "Hamish Breen", "Hamish Breen"]


@pytest.mark.parametrize(
    "byline",
    ["By Jane Doe", "Jane Doe Editor", "Jane Doe, Senior Reporter", "Jane Doe\nCrime Correspondent"],
)
def test_a_byline_is_never_a_speaker(byline: str) -> None:
    text = (f"{byline}\n\nA fire gutted a warehouse on Marrow Quay on Sunday.\n\n"
            "\u201cWe got everyone out in time,\u201d she said.")
    assert _speakers(text) == [("We got everyone out in time", None)]


def test_a_named_editor_in_the_body_still_speaks() -> None:
    text = ("Jane Doe Editor\n\nEditor Tara Quinn said: \u201cWe will print a special edition.\u201d\n\n"
            "\u201cIt sold out by noon,\u201d she said.")
    assert _speakers(text) == [("We will print a special edition.", "Tara Quinn"), ("It sold out by noon", "Tara Quinn")]
