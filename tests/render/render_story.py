"""An invented story, built by hand, for the report views: every section filled, plus hostile text.

A plain module (not conftest.py) so tests can import its builders by a unique name.
"""

from __future__ import annotations

from dataclasses import replace

from accord.models import (
    Article,
    Discrepancy,
    DiscrepancyValue,
    Evidence,
    Fact,
    QuoteGroup,
    QuoteVariant,
    Removed,
    Report,
    Skipped,
    Story,
    SummarySentence,
    TimelineEntry,
    UniqueClaim,
)

#: Markup an article may carry; every view must show it as text and run nothing.
HOSTILE = "<script>alert(1)</script> and <img src=x onerror=\"document.title='pwned'\"> | [bold]x[/bold] **y**"

TEXTS = {
    "herald": (
        "A cable ferry struck the pier at Tollan Quay on Friday evening.\n\n"
        "Fourteen passengers were injured, the harbour master said.\n\n"
        "\"We will rebuild the landing stage,\" said Mayor Ines Kallio.\n\n"
        "The ferry had been in service since 1998."
    ),
    "post": (
        "The Tollan ferry hit the quay on Friday evening.\n\n"
        "At least 11 passengers were hurt, according to the coastguard.\n\n"
        "\"We will rebuild the landing stage,\" said deputy mayor Arno Pell.\n\n"
        "Repairs are expected to take three weeks."
    ),
    "wire": (
        "The Tollan ferry hit the quay on Friday evening.\n\n"
        "At least 11 passengers were hurt, according to the coastguard.\n\n"
        "Services resumed on Sunday."
    ),
    "blog": (
        "Readers sent photos of the ferry at Tollan Quay after it hit the pier on Friday evening.\n\n"
        f"One caption read: {HOSTILE}\n\n"
        "About 20 passengers were hurt, a witness said."
    ),
}


def _evidence(article: str, sentence: str) -> Evidence:
    text = TEXTS[article]
    start = text.index(sentence)
    return Evidence(article=article, sentence=sentence, start=start, end=start + len(sentence))


def make_story(**changes: object) -> Story:
    """The invented ferry story; keyword arguments replace whole sections."""
    articles = (
        Article(id="herald", title="Ferry strikes Tollan pier", text=TEXTS["herald"], source="Coast Herald",
                url="https://herald.example/ferry", published="2031-04-04", published_from="metadata",
                removed=(Removed(text="Subscribe to our newsletter", reason="newsletter prompt"),
                         Removed(text="Comments (3): great | <b>bold</b>", reason="comment section"))),
        Article(id="post", title="Ferry hits quay, 11 hurt", text=TEXTS["post"], source="Tollan Post",
                published="2031-04-05", copies=("wire",)),
        Article(id="wire", title="Ferry hits quay in Tollan", text=TEXTS["wire"], source="Wire Service",
                published="2031-04-05", copies=("post",)),
        Article(id="blog", title="Photos: ferry crash | reader <b>pictures</b>", text=TEXTS["blog"],
                source=None, url=None, published="2031-04-06"),
    )
    injured = Discrepancy(
        id="d-injured", kind="count", conflict=True, about="passengers injured in the ferry collision",
        values=(
            DiscrepancyValue(value="14", qualifier="=", articles=("herald",),
                             evidence=(_evidence("herald", "Fourteen passengers were injured, the harbour master said."),)),
            DiscrepancyValue(value="11", qualifier=">=", articles=("post", "wire"),
                             evidence=(_evidence("post", "At least 11 passengers were hurt, according to the coastguard."),
                                       _evidence("wire", "At least 11 passengers were hurt, according to the coastguard."))),
            DiscrepancyValue(value="20", qualifier="~", articles=("blog",),
                             evidence=(_evidence("blog", "About 20 passengers were hurt, a witness said."),)),
        ),
    )
    speaker = Discrepancy(
        id="d-speaker", kind="attribution", conflict=False, about="who promised to rebuild | the <landing>",
        values=(
            DiscrepancyValue(value="Ines Kallio", articles=("herald",),
                             evidence=(_evidence("herald", "\"We will rebuild the landing stage,\" said Mayor Ines Kallio."),)),
            DiscrepancyValue(value="Arno Pell", articles=("post",),
                             evidence=(_evidence("post", "\"We will rebuild the landing stage,\" said deputy mayor Arno Pell."),)),
        ),
    )
    story = Story(
        id="story-ferry",
        title="Ferry strikes the pier at Tollan Quay",
        articles=articles,
        facts=(
            Fact(id="f-hit", statement="The ferry hit the quay at Tollan on Friday evening.",
                 articles=("herald", "post", "wire", "blog"), independent_sources=3,
                 evidence=(_evidence("herald", "A cable ferry struck the pier at Tollan Quay on Friday evening."),
                           _evidence("post", "The Tollan ferry hit the quay on Friday evening."),
                           _evidence("wire", "The Tollan ferry hit the quay on Friday evening."))),
            Fact(id="f-injured", statement="Passengers were injured.",
                 articles=("herald", "post", "wire", "blog"), independent_sources=3,
                 evidence=(_evidence("herald", "Fourteen passengers were injured, the harbour master said."),
                           _evidence("post", "At least 11 passengers were hurt, according to the coastguard."),
                           _evidence("wire", "At least 11 passengers were hurt, according to the coastguard."))),
            Fact(id="f-hostile", statement=HOSTILE, articles=("blog",), independent_sources=1,
                 evidence=(_evidence("blog", f"One caption read: {HOSTILE}"),)),
        ),
        discrepancies=(speaker, injured),
        quotes=(
            QuoteGroup(speaker="Ines Kallio", text="We will rebuild the landing stage,", articles=("herald", "post"),
                       variants=(QuoteVariant(article="herald", text="We will rebuild the landing stage,", speaker="Ines Kallio"),
                                 QuoteVariant(article="post", text="We will rebuild the landing stage,", speaker="Arno Pell"))),
        ),
        timeline=(
            TimelineEntry(date="2031-04-06", event="Services resumed.", articles=("wire",)),
            TimelineEntry(date="2031-04-04", event="The ferry hit the quay.", articles=("herald", "post")),
        ),
        unique=(UniqueClaim(article="post", statement="Repairs are expected to take three weeks."),
                UniqueClaim(article="blog", statement=HOSTILE)),
        summary=(
            SummarySentence(text="A cable ferry struck the pier at Tollan Quay on Friday evening.",
                            articles=("herald", "post", "wire", "blog")),
            SummarySentence(text="Sources differ on passengers injured in the ferry collision: 14, at least 11, "
                                 "or about 20.", articles=("herald", "post", "blog")),
            SummarySentence(text="Passengers were injured.", articles=("post",)),
            SummarySentence(text=f"A reader caption said {HOSTILE}", articles=("blog",)),
        ),
    )
    return replace(story, **changes)


def make_report(**changes: object) -> Report:
    """A report with the ferry story and one skipped input."""
    return Report(
        stories=(make_story(**changes),),
        skipped=(Skipped(input="photos/empty | <b>.txt", reason="empty file"),),
        generated_by="accord 0.0-test",
    )
