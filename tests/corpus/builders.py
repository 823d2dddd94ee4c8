"""Invented articles and the files they are stored in: HTML pages, a WARC crawl, an RSS feed."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

BRENNICK = [
    ("Fire destroys paper warehouse in Brennick",
     "A fire destroyed a paper warehouse on Canal Street in Brennick on Tuesday night. Three workers "
     "were treated for smoke inhalation.\n\nBrennick fire chief Ada Morrow said crews from Brennick and "
     "Selby Cross fought the blaze for six hours. The warehouse, owned by Quillon Paper, stored 400 "
     "tonnes of recycled card.\n\nCanal Street stayed closed on Wednesday while investigators from "
     "the county examined the ruins."),
    ("Three hurt as blaze guts Brennick paper store",
     "Three people were hurt when flames gutted the Quillon Paper warehouse in Brennick late on "
     "Tuesday.\n\nChief Ada Morrow told reporters that the roof collapsed around midnight and that "
     "Canal Street residents were asked to keep their windows shut.\n\nQuillon Paper said the 400 "
     "tonnes of card inside were lost and that it would rebuild in Brennick."),
]
TARNFORD = [
    ("Furniture depot burns in Tarnford",
     "A furniture depot on Mill Lane in Tarnford burned down on Tuesday night and five firefighters "
     "were injured.\n\nTarnford fire chief Colm Reyes said the depot, run by Halberg Furnishings, held "
     "stacks of lacquered timber that fed the flames.\n\nMill Lane was evacuated and crews from "
     "Tarnford and Wexby stayed on the scene until Wednesday morning."),
    ("Five firefighters hurt in Tarnford depot fire",
     "Five firefighters were injured as a blaze tore through the Halberg Furnishings depot in Tarnford "
     "on Tuesday.\n\nChief Colm Reyes said lacquered timber made the fire spread fast, and that two of "
     "the injured firefighters were still in hospital.\n\nHomes on Mill Lane were evacuated overnight, "
     "and Halberg Furnishings said it would help the Tarnford investigation."),
    ("Tarnford depot fire: what we know",
     "The Halberg Furnishings depot on Mill Lane in Tarnford was destroyed by fire on Tuesday "
     "night.\n\nFive firefighters were hurt, according to chief Colm Reyes, who said the lacquered "
     "timber stored inside burned fiercely.\n\nCrews from Wexby helped, and Mill Lane reopened on "
     "Wednesday afternoon."),
]
BUDGET = ("Harlow council approves school budget",
          "Harlow council voted on Tuesday to approve a school budget of 12 million pounds, with new "
          "funds for libraries and bus routes.\n\nCouncillor Imogen Tate said the vote followed months "
          "of public hearings, and that the first new bus routes would start in September.")


def html_page(title: str, body: str, *, published: str = "2024-05-07", site: str = "Example News") -> str:
    """A small news page with navigation, the article and a footer."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
    return (
        "<!DOCTYPE html><html lang=\"en\"><head>"
        f"<title>{escape(title)} | {escape(site)}</title>"
        f"<meta property=\"og:title\" content=\"{escape(title)}\">"
        f"<meta property=\"og:site_name\" content=\"{escape(site)}\">"
        f"<meta property=\"article:published_time\" content=\"{published}T08:00:00Z\">"
        "</head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        f"<footer>Copyright {escape(site)}</footer></body></html>"
    )


def warc_bytes(pages: list[tuple[str, str]], *, with_noise: bool = True) -> bytes:
    """A gzipped WARC holding HTML responses for (url, html) pages, plus a request and an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in pages:
        if with_noise:
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")],
                                              is_http_request=True),
            )
            writer.write_record(request)
        payload = html.encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    if with_noise:
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n...."),
            http_headers=image))
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/gone", "response", payload=io.BytesIO(b"<html>gone</html>"),
            http_headers=missing))
    return buffer.getvalue()


def rss_feed(entries: list[dict[str, str]]) -> str:
    """An RSS 2.0 feed; each entry may have title, link, pubDate, description, content."""
    items = []
    for entry in entries:
        parts = [f"<title>{escape(entry.get('title', ''))}</title>",
                 f"<link>{escape(entry.get('link', ''))}</link>"]
        if "pubDate" in entry:
            parts.append(f"<pubDate>{entry['pubDate']}</pubDate>")
        if "description" in entry:
            parts.append(f"<description>{escape(entry['description'])}</description>")
        if "content" in entry:
            parts.append(f"<content:encoded><![CDATA[{entry['content']}]]></content:encoded>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
        "<title>Valley Wire</title><link>https://valleywire.example/</link><description>News</description>"
        + "".join(items) + "</channel></rss>"
    )


def paragraphs_html(body: str) -> str:
    """Body paragraphs as HTML."""
    return "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))


def mixed_folder(root: Path) -> Path:
    """A folder with text files, an HTML page, a WARC crawl and an RSS feed (3 stories)."""
    folder = root / "news"
    folder.mkdir()
    for index, (title, body) in enumerate(BRENNICK, start=1):
        (folder / f"brennick-{index}.txt").write_text(f"{title}\n\nMay 7, 2024\n\n{body}\n", encoding="utf-8")
    (folder / "tarnford.html").write_text(html_page(*TARNFORD[0], site="Tarnford Times"), encoding="utf-8")
    crawl = [
        ("https://dailyledger.example/tarnford-depot", html_page(*TARNFORD[1], site="Daily Ledger")),
        # A syndicated copy of the first Brennick article.
        ("https://northpost.example/brennick", html_page(
            BRENNICK[0][0], "BRENNICK (North Post) - " + BRENNICK[0][1] + " The cause is not yet known.",
            site="North Post")),
    ]
    (folder / "crawl.warc.gz").write_bytes(warc_bytes(crawl))
    feed = rss_feed([
        {"title": TARNFORD[2][0], "link": "https://valleywire.example/tarnford",
         "pubDate": "Wed, 08 May 2024 09:00:00 GMT", "content": paragraphs_html(TARNFORD[2][1])},
        {"title": BUDGET[0], "link": "https://valleywire.example/harlow-budget",
         "pubDate": "Tue, 07 May 2024 18:00:00 GMT", "description": BUDGET[1]},
    ])
    (folder / "valley.rss").write_text(feed, encoding="utf-8")
    return folder


_WORDS = (
    "harbour council river station bridge school market railway hospital library factory museum "
    "festival election budget tunnel airport ferry stadium orchard quarry mill theatre garden "
    "strike repair opening closure protest inquiry vote plan report storm flood drought harvest "
    "police court mayor minister union teacher nurse driver farmer engineer artist pilot"
).split()
_TOWNS = "Arlen Bexmoor Corwick Dunley Elsworth Farrowby Glenmere Hollin Ivybridge Jasmoor".split()


def many_articles(folder: Path, count: int, *, seed: int = 7) -> list[Path]:
    """Write ``count`` distinct short text articles (invented, random words) into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        town = rng.choice(_TOWNS)
        words = [rng.choice(_WORDS) for _ in range(60)]
        title = f"{town} {words[0]} {words[1]} number {index}"
        body = f"The {town} {' '.join(words[:30])} item {index}.\n\nThen {' '.join(words[30:])} in {town}."
        path = folder / f"a{index:05d}.txt"
        path.write_text(f"{title.capitalize()}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


#: A wire story two invented outlets ran word for word, under their own headlines and dates.
WIRE_BODY = (
    "A rockfall closed the Pellmar Pass road on Thursday morning after heavy rain loosened the slope "
    "above the old tunnel. Forty hikers were guided down to Vossel village by mountain rescue teams.\n\n"
    "Road engineer Talia Brenk said the road would stay shut for at least four days while crews "
    "cleared about 300 tonnes of rock. Nobody was hurt, she said."
)
WIRE_OUTLETS = (
    {"id": "courier-pellmar", "title": "Rockfall closes Pellmar Pass road", "source": "Vossel Courier",
     "url": "https://vosselcourier.example/2024/pellmar-rockfall", "published": "2024-09-12"},
    {"id": "alpine-pellmar", "title": "Pellmar Pass shut after rockfall", "source": "Alpine Daily",
     "url": "https://alpinedaily.example/news/pellmar-pass", "published": "2024-09-13"},
)


def wire_copies(folder: Path, outlets: Sequence[dict[str, str]] = WIRE_OUTLETS) -> list[Path]:
    """One JSON article file per outlet in ``folder``, all with the identical ``WIRE_BODY``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for outlet in outlets:
        path = folder / f"{outlet['id']}.json"
        path.write_text(json.dumps({**outlet, "text": WIRE_BODY}), encoding="utf-8")
        paths.append(path)
    return paths


#: One event (a dam spillway failing) told three ways: the first two reports share few names, so
#: an incremental index that meets them before the third opens two stories; the third names both.
DAM = {
    "first": ("Spillway fails at Orvane Dam",
              "The spillway of the Orvane Dam failed early on Sunday, sending a surge of water down the "
              "valley. Engineer Piet Laduma said the concrete gate cracked after a week of heavy rain. "
              "Kestrel Bay was evacuated overnight and the Orvane Dam reservoir dropped by four metres."),
    "second": ("Villages flooded after dam gate breaks",
               "Floodwater reached Hobbs Ferry and Millrow on Sunday after a dam gate upstream broke. "
               "Nessa Quill of the Tamsel Water Board said 300 homes along the Tamsel were flooded and "
               "the dam surge would pass by evening. Residents of Hobbs Ferry sheltered in the school."),
    "third": ("Orvane Dam failure floods Tamsel valley",
              "The failure of the Orvane Dam spillway on Sunday flooded homes in Hobbs Ferry and Kestrel "
              "Bay. Engineer Piet Laduma said the gate cracked in heavy rain, and Nessa Quill of the "
              "Tamsel Water Board said 300 homes were flooded along the Tamsel valley."),
}
#: An unrelated event on the same day, two reports.
TRAM = (
    ("Council approves new tram line in Wexmouth",
     "Wexmouth council approved a new tram line on Sunday. Councillor Ardo Finch said the line will link "
     "the harbour to the university and open in two years at a cost of 40 million."),
    ("Wexmouth tram plan gets green light",
     "The Wexmouth tram line was approved by the council on Sunday, councillor Ardo Finch said, "
     "with trams running from the harbour to the university within two years."),
)


def unlucky_order(folder: Path) -> Path:
    """Five text files that sort into an unlucky order: tram, dam (first), dam (second), tram, dam (third)."""
    folder.mkdir(parents=True, exist_ok=True)
    order = [TRAM[0], DAM["first"], DAM["second"], TRAM[1], DAM["third"]]
    for index, (title, body) in enumerate(order, start=1):
        (folder / f"{index}.txt").write_text(f"{title}\n\nJune 2, 2024\n\n{body}\n", encoding="utf-8")
    return folder
