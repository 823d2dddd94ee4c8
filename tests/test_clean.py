"""Boilerplate removal on invented articles: each rule, and that no body text is lost."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.clean import REASONS, clean, clean_text, normalize_whitespace
from accord.models import Article, Removed

BODY = [
    "Fire crews spent six hours on Tuesday tackling a blaze at a timber yard in Marrowby, "
    "the county fire service said.",
    "Nobody was hurt, but 40 residents of nearby Kiln Street were asked to leave their homes "
    "overnight as a precaution.",
    "\u201cThe wind turned just after midnight and we had to pull back,\u201d station manager "
    "Petra Oakes told reporters.",
]


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _reasons(removed: tuple[Removed, ...]) -> dict[str, str]:
    return {item.text: item.reason for item in removed}


def test_navigation_lines_are_removed() -> None:
    text = _text(
        "Home > News > Local",
        *BODY,
        "Share this article: Facebook Twitter Email",
        "Tags: fire, Marrowby, timber",
        "Previous post Council approves new cycle lanes",
        "Next post Ten things to do this weekend",
        "Back to top",
    )
    cleaned, removed = clean_text(text)
    assert cleaned == _text(*BODY)
    reasons = _reasons(removed)
    assert reasons["Home > News > Local"] == "navigation"
    assert reasons["Share this article: Facebook Twitter Email\nTags: fire, Marrowby, timber\n"
                   "Previous post Council approves new cycle lanes\n"
                   "Next post Ten things to do this weekend\nBack to top"] == "navigation"


def test_calls_to_action_and_newsletter_prompts_are_removed() -> None:
    text = _text(
        BODY[0],
        "Sign up for our morning briefing and get the top stories in your inbox.",
        BODY[1],
        "Subscribe now",
    )
    cleaned, removed = clean_text(text)
    assert cleaned == _text(BODY[0], BODY[1])
    assert {r.reason for r in removed} == {"call to action"}


def test_read_more_links_are_removed() -> None:
    text = _text(*BODY, "Read the full story here", "Continue reading")
    cleaned, removed = clean_text(text)
    assert cleaned == _text(*BODY)
    assert removed == (Removed(text="Read the full story here\nContinue reading", reason="read more link"),)


def test_comment_section_with_counter_commenters_and_form_is_removed() -> None:
    comments = [
        "3 comments",
        "Dana Whitlow March 4, 2024 at 8:12 am Reply",
        "My cousin lives on Kiln Street and says the smoke was awful.",
        "Ivo P. March 4, 2024 Reply",
        "Glad nobody was hurt.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]
    cleaned, removed = clean_text(_text(*BODY, *comments))
    assert cleaned == _text(*BODY)
    assert removed == (Removed(text="\n".join(comments), reason="comment section"),)


def test_comment_section_without_counter_starts_at_the_commenter_line() -> None:
    cleaned, removed = clean_text(_text(*BODY, "Sam R. says:", "Well done to the crews.", "Leave a comment"))
    assert cleaned == _text(*BODY)
    assert all(r.reason == "comment section" for r in removed)


def test_related_block_takes_the_headlines_after_it_and_stops_at_body() -> None:
    text = _text(
        BODY[0],
        "You might also like",
        "Harbour festival returns in June",
        "New ferry timetable announced",
        BODY[1],
        BODY[2],
    )
    cleaned, removed = clean_text(text)
    assert cleaned == _text(*BODY)
    assert removed == (
        Removed(
            text="You might also like\nHarbour festival returns in June\nNew ferry timetable announced",
            reason="related articles",
        ),
    )


def test_trailing_headlines_after_boilerplate_are_related_articles() -> None:
    text = _text(*BODY, "Subscribe to our newsletter", "Library opens late on Thursdays",
                 "Library opens late on Thursdays")
    cleaned, removed = clean_text(text)
    assert cleaned == _text(*BODY)
    assert _reasons(removed)["Library opens late on Thursdays\nLibrary opens late on Thursdays"] == (
        "related articles"
    )


def test_inline_related_link_is_removed() -> None:
    cleaned, removed = clean_text(_text(BODY[0], "Related: Timber yard fined over safety lapses", BODY[1]))
    assert cleaned == _text(BODY[0], BODY[1])
    assert removed[0].reason == "related articles"


def test_photo_captions_and_credits_are_removed() -> None:
    captions = [
        "PHOTO: Smoke over the timber yard on Tuesday",
        "Photo by Lena Marsh",
        "Firefighters on Kiln Street. (Getty Images)",
        "Image credit: Marrowby Fire Service",
        "Crews at the gate (Tom Hale/Marrowby Times)",
    ]
    cleaned, removed = clean_text(_text(BODY[0], *captions, BODY[1]))
    assert cleaned == _text(BODY[0], BODY[1])
    assert removed == (Removed(text="\n".join(captions), reason="photo caption"),)


def test_repeated_lines_keep_the_first_copy() -> None:
    cleaned, removed = clean_text(_text(BODY[0], BODY[1], BODY[0], BODY[2]))
    assert cleaned == _text(*BODY)
    assert removed == (Removed(text=BODY[0], reason="repeated line"),)


def test_repeated_title_at_the_top_is_removed() -> None:
    title = "Timber yard fire forces 40 from homes"
    cleaned, removed = clean_text(_text(title.upper(), *BODY), title=title)
    assert cleaned == _text(*BODY)
    assert removed == (Removed(text=title.upper(), reason="repeated title"),)


def test_dateline_place_is_stripped_from_the_first_paragraph() -> None:
    article = clean(Article(id="a", title="t", text=_text("MARROWBY (AP) \u2014 " + BODY[0], BODY[1])))
    assert article.text == _text(BODY[0], BODY[1])
    assert article.dateline == "MARROWBY"
    assert article.removed == (Removed(text="MARROWBY (AP) \u2014", reason="dateline"),)
    assert article.published is None


def test_standalone_date_line_gives_the_date() -> None:
    article = clean(Article(id="a", title="t", text=_text("By Nora Lindqvist", "April 9, 2024", *BODY)))
    assert article.text == _text(*BODY)
    assert (article.published, article.published_from) == ("2024-04-09", "dateline")
    assert _reasons(article.removed) == {"By Nora Lindqvist": "byline", "April 9, 2024": "dateline"}


def test_updated_line_fills_updated_and_is_the_date_only_when_nothing_else_gives_one() -> None:
    article = clean(Article(id="a", title="t", text=_text("Updated: 10 April 2024 14:05", *BODY)))
    assert article.updated == "2024-04-10"
    assert (article.published, article.published_from) == ("2024-04-10", "metadata")
    both = clean(Article(id="b", title="t", text=_text("Published 8 April 2024", "Updated 10 April 2024, 2:05pm", *BODY)))
    assert (both.published, both.updated) == ("2024-04-08", "2024-04-10")
    dated = clean(Article(id="c", title="t", text=_text("Updated 10 April 2024", "OSLO, April 9, 2024 \u2014 " + BODY[0])))
    assert (dated.published, dated.published_from, dated.updated) == ("2024-04-09", "dateline", "2024-04-10")


def test_dated_dateline_gives_the_date_and_its_credit_the_source() -> None:
    article = clean(Article(id="a", title="t", text=_text("MARROWBY, April 9, 2024 (Kiln Valley Echo) \u2013 " + BODY[0], BODY[1])))
    assert (article.published, article.published_from) == ("2024-04-09", "dateline")
    assert (article.dateline, article.source) == ("MARROWBY", "Kiln Valley Echo")
    known = clean(Article(id="b", title="t", source="echo.example", text="MARROWBY (Kiln Valley Echo) \u2013 " + BODY[0]))
    assert known.source == "echo.example"


def test_metadata_date_wins_over_the_date_line() -> None:
    article = clean(Article(id="a", title="t", text=_text("April 9, 2024", *BODY),
                            published="2024-04-08", published_from="metadata"))
    assert (article.published, article.published_from) == ("2024-04-08", "metadata")


def test_whitespace_is_normalised_and_paragraphs_are_blank_line_separated() -> None:
    text = "Fire  crews\u00a0arrived at\t6 am.\r\nThe yard was closed.\n\n\n\u00a0\nResidents returned on Wednesday."
    cleaned, removed = clean_text(text)
    assert cleaned == "Fire crews arrived at 6 am.\n\nThe yard was closed.\n\nResidents returned on Wednesday."
    assert removed == ()


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = (
        "Fire crews spent six hours on Tuesday tackling a blaze at a\n"
        "timber yard in Marrowby, the county fire service said in a\n"
        "statement issued shortly after the last engine had left.\n\n"
        "Nobody was hurt."
    )
    cleaned, _ = clean_text(wrapped)
    assert cleaned.split("\n\n")[0].startswith("Fire crews spent six hours on Tuesday tackling a blaze at a timber")
    assert len(cleaned.split("\n\n")) == 2


def test_body_sentences_with_cue_words_are_kept() -> None:
    body = [
        "Residents who subscribe to the council's text alerts were warned an hour earlier.",
        "Next week the council will vote on rebuilding the yard.",
        "Photo albums from the local history society were lost in the fire.",
        "Comments from the mayor drew criticism on Wednesday.",
        "Monitoring the site",
        "Crews will return on Friday to check for hot spots.",
        "Mixed responses",
        "Here is what the fire chief wrote:",
        "Get ready for more updates, the chief said on Wednesday.",
        "Read the full statement, she told the council.",
        "Residents said the smoke lingered until noon.",
    ]
    cleaned, removed = clean_text(_text(*body))
    assert cleaned == _text(*body)
    assert removed == ()


def test_source_named_by_the_text_itself() -> None:
    article = clean(Article(id="a", title="t", text=_text(*BODY, "Read more local news from The Marrowby Ledger.")))
    assert article.source == "The Marrowby Ledger"
    copyright_line = clean(Article(id="b", title="t", text=_text(*BODY, "\u00a9 2024 Kiln Valley Echo. All rights reserved.")))
    assert copyright_line.source == "Kiln Valley Echo"
    assert clean(Article(id="c", title="t", text=_text(*BODY))).source is None
    related = clean(Article(id="d", title="t", text=_text(*BODY, "You may also like", "More stories from Kiln Valley Echo")))
    assert related.source == "Kiln Valley Echo"
    lowercase = clean(Article(id="e", title="t", text=_text(*BODY, "More news from the council meeting")))
    assert lowercase.source is None


def test_known_source_is_not_replaced() -> None:
    article = clean(Article(id="a", title="t", source="marrowby.example",
                            text=_text(*BODY, "More stories from The Marrowby Ledger")))
    assert article.source == "marrowby.example"


def test_every_reason_comes_from_the_fixed_vocabulary() -> None:
    text = _text("April 9, 2024", "OSLO \u2014 " + BODY[0], BODY[1], "PHOTO: x", "Read more here",
                 "Related Articles", "Kiln Street reopens", "2 comments", "Nice.")
    _, removed = clean_text(text)
    assert removed
    assert {r.reason for r in removed} <= set(REASONS)


_LINES = st.sampled_from([
    *BODY,
    "Previous post A headline",
    "You may also like",
    "Short heading",
    "One comment",
    "PHOTO: a quay",
    "April 9, 2024",
    "OSLO \u2014 The ferry left late.",
    "Subscribe now",
    "",
    "   ",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=60)), max_size=12), st.sampled_from(["\n", "\n\n"]))
def test_no_word_is_lost_or_invented(lines: list[str], joiner: str) -> None:
    text = joiner.join(lines)
    cleaned, removed = clean_text(text, title="Short heading")
    # Characters, not words: a glued "hospital.The" comes back as two paragraphs.
    before = Counter("".join(normalize_whitespace(text).split()))
    after = Counter("".join(cleaned.split())) + Counter("".join(w for item in removed for w in item.text.split()))
    assert before == after
    assert "\n\n\n" not in cleaned


def test_helpline_numbers_are_removed() -> None:
    lines = [
        "If you need help, call the Samaritans hotline at 1767",
        "Where to get help:",
        "Lowhaven Crisis Line: 1800 221 4444",
        "Kiln Valley Befrienders - 6389 2222",
    ]
    cleaned, removed = clean_text(_text(*BODY, lines[0], BODY[0].replace("six", "seven"), *lines[1:]))
    assert cleaned == _text(*BODY, BODY[0].replace("six", "seven"))
    assert _reasons(removed) == {lines[0]: "helpline numbers", "\n".join(lines[1:]): "helpline numbers"}
    cleaned, removed = clean_text(_text(BODY[0], "Helplines: Kiln Valley Befrienders 6389 2222, Lowhaven Crisis Line 1767"))
    assert cleaned == BODY[0]
    assert removed[0].reason == "helpline numbers"


def test_app_banners_and_republication_notes_are_removed() -> None:
    lines = [
        "Download our app for the latest updates",
        "Get the latest news on our Telegram channel",
        "Follow us on Facebook and Instagram",
        "This article was first published in The Marrowby Ledger.",
        "Read also: Timber yard owner fined in 2019",
    ]
    cleaned, removed = clean_text(_text(*BODY, *lines))
    assert cleaned == _text(*BODY)
    reasons = {line: reason for item in removed for line in item.text.split("\n") for reason in [item.reason]}
    assert reasons == {
        lines[0]: "call to action", lines[1]: "call to action", lines[2]: "call to action",
        lines[3]: "republication note", lines[4]: "related articles",
    }


def test_bylines_with_a_job_title_are_removed() -> None:
    bylines = ["Jane Doe Editor", "By Jane Doe", "Petra Oakes, Senior Reporter", "Tomas Reyes | Transport Correspondent"]
    for byline in bylines:
        cleaned, removed = clean_text(_text(byline, *BODY))
        assert cleaned == _text(*BODY), byline
        assert removed == (Removed(text=byline, reason="byline"),)
    cleaned, removed = clean_text(_text(BODY[0], "Dana Okafor", "Crime Correspondent", BODY[1]))
    assert cleaned == _text(BODY[0], BODY[1])
    assert removed == (Removed(text="Dana Okafor\nCrime Correspondent", reason="byline"),)


def test_a_run_of_headlines_after_the_body_is_a_related_list() -> None:
    links = [
        "Council approves new cycle lanes for Kiln Street",
        "Harbour festival returns to Marrowby in June",
        "Ten things to do in Lowhaven this weekend",
    ]
    cleaned, removed = clean_text(_text(BODY[0], *links, BODY[1], BODY[2]))
    assert cleaned == _text(*BODY)
    assert removed == (Removed(text="\n".join(links), reason="related articles"),)


def test_glued_boilerplate_is_split_off_and_removed() -> None:
    text = (
        "Download the new Echo app today.A fire broke out at a timber yard in Marrowby on Tuesday.Nobody was hurt, "
        "the fire service said.This article was first published in The Marrowby Ledger."
    )
    cleaned, removed = clean_text(text)
    assert cleaned == _text("A fire broke out at a timber yard in Marrowby on Tuesday.",
                            "Nobody was hurt, the fire service said.")
    assert [r.reason for r in removed] == ["call to action", "republication note"]


def test_body_that_looks_like_boilerplate_is_kept() -> None:
    body = [
        "The council hotline took 300 calls on Tuesday, a spokesman said.",
        "Residents flooded the fire service hotline with 120 calls in an hour.",
        "Call centre staff at 1800 Kiln Street were sent home early.",
        "Editor Jane Doe said the paper would print a special edition.",
        "The Marrowby Ledger editor, Jane Doe, visited the yard.",
        "Jane Doe, the Ledger's senior reporter, was among the first at the scene.",
        "Follow-up checks found no damage to the gas main.",
        "Downloads of the council's alert app doubled overnight, officials said.",
        "The story was first told by a night watchman.",
        "What happened next",
        "Crews pumped water from the harbour.",
        "Fire crews stayed on site until Wednesday",
        "Petra Oakes",
        "Station manager at Marrowby fire station, she has served 20 years.",
    ]
    cleaned, removed = clean_text(_text(*body))
    assert removed == ()
    assert cleaned == _text(*body)


def test_byline_spans_index_the_text() -> None:
    from accord.clean import byline_spans

    text = "Jane Doe Editor\n\nDana Okafor\nCrime Correspondent\n\nPetra Oakes\n\nPetra Oakes said the yard was closed."
    spans = byline_spans(text)
    assert [text[s:e] for s, e in spans] == ["Jane Doe Editor", "Dana Okafor", "Crime Correspondent"]
