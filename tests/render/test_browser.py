"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

Never ``playwright install``: the browser is the system's ``chromium`` (``make test-services``).
Without it these tests fail when CI is set and are skipped otherwise.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from accord.models import Report
from accord.render import to_html
from render_story import HOSTILE, TEXTS, make_report

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-fire"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class Opened:
    """A page opened from a file, with everything it tried to do."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _open(browser: object, html: str, path: Path, viewport: dict[str, int] = LAPTOP,
          javascript: bool = True) -> Opened:
    path.write_text(html, "utf-8")
    url = path.resolve().as_uri()
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)  # type: ignore[attr-defined]
    page = context.new_page()
    opened = Opened(page=page, url=url)

    def route(route_: object) -> None:
        request_url = route_.request.url  # type: ignore[attr-defined]
        if request_url.split("#", 1)[0] == url:
            route_.continue_()  # type: ignore[attr-defined]
        else:
            opened.blocked.append(request_url)
            route_.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: opened.console.append(message.text))
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.goto(url)
    return opened


@pytest.fixture
def opened(browser: object, report: Report, tmp_path: Path) -> Iterator[Opened]:
    result = _open(browser, to_html(report), tmp_path / "report.html")
    yield result
    result.page.context.close()  # type: ignore[attr-defined]


def test_citation_chip_opens_the_article_and_highlights_the_evidence(opened: Opened) -> None:
    page = opened.page
    details = page.locator("#article-herald details.article-text")
    assert details.get_attribute("open") is None
    chip = page.locator("#s1-summary a.chip", has_text="1").first
    assert chip.get_attribute("href") == "#article-herald-s-0"
    chip.click()
    assert details.get_attribute("open") is not None
    highlighted = page.locator("#article-herald .seg.hl")
    assert highlighted.count() >= 1
    expected = TEXTS["herald"].split("\n", 1)[0]
    assert "".join(highlighted.all_inner_texts()) == expected
    page.wait_for_function("() => { const r = document.querySelector('#article-herald .seg.hl')"
                           ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert page.evaluate("location.hash") == "#article-herald-s-0"
    assert not opened.errors


def test_evidence_link_in_a_discrepancy_card_highlights_the_whole_sentence(opened: Opened) -> None:
    page = opened.page
    page.locator(".card-conflict .in-article a", has_text="Wire Service").click()
    sentence = "At least 11 passengers were hurt, according to the coastguard."
    assert "".join(page.locator("#article-wire .seg.hl").all_inner_texts()) == sentence
    # only one evidence span is highlighted at a time
    page.locator("#s1-summary a.chip", has_text="1").first.click()
    assert page.locator("#article-wire .seg.hl").count() == 0


def test_injected_markup_is_shown_and_never_runs(opened: Opened) -> None:
    page = opened.page
    page.locator("#article-blog details.article-text summary").click()
    assert page.title() == "Ferry strikes the pier at Tollan Quay"
    assert opened.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("#article-blog .text").inner_text().count("<script>alert(1)</script>") == 1
    assert page.get_by_text(HOSTILE, exact=False).first.is_visible()
    assert "<img src=x onerror=" in page.locator("#s1-summary").inner_text()


def test_no_request_other_than_the_file_and_no_csp_violation(opened: Opened) -> None:
    page = opened.page
    for chip in page.locator("a.chip[href^='#']").all()[:6]:
        chip.click()
    assert opened.blocked == []
    assert [u for u in opened.requests if u.split("#", 1)[0] != opened.url] == []
    assert not [m for m in opened.console if "Content Security Policy" in m], opened.console
    assert not opened.errors


def test_works_without_javascript_as_plain_anchors(browser: object, report: Report, tmp_path: Path) -> None:
    opened = _open(browser, to_html(report), tmp_path / "report.html", javascript=False)
    page = opened.page
    page.locator("#s1-summary a.chip", has_text="1").first.click()
    assert page.evaluate("location.hash") == "#article-herald-s-0"
    # Chromium opens a closed <details> to reach a fragment inside it
    assert page.locator("#article-herald-s-0").is_visible()
    page.context.close()


def test_laptop_and_phone_layouts(browser: object, report: Report, tmp_path: Path) -> None:
    html = to_html(report)
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        opened = _open(browser, html, tmp_path / f"{name}.html", viewport=viewport)
        page = opened.page
        page.screenshot(path=str(tmp_path / f"report-{name}.png"), full_page=True)
        assert (tmp_path / f"report-{name}.png").stat().st_size > 10_000
        # nothing wider than the screen (the matrix scrolls inside its own box)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        # the established facts come first, on the first screen, then the discrepancy cards
        established = page.locator("#s1-established ol.established li").first.bounding_box()
        card = page.locator(".card").first.bounding_box()
        summary = page.locator("#s1-summary").bounding_box()
        assert established["y"] < card["y"] < summary["y"]
        assert established["y"] < viewport["height"]
        page.context.close()


def test_print_shows_everything_and_hides_navigation(opened: Opened) -> None:
    page = opened.page
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.article-text[open]").count() == 0


def test_empty_story_page_has_no_errors(browser: object, empty_report: Report, tmp_path: Path) -> None:
    opened = _open(browser, to_html(empty_report), tmp_path / "empty.html")
    assert opened.page.get_by_text("No discrepancies found").is_visible()
    assert not opened.errors and not opened.blocked
    opened.page.context.close()


@pytest.mark.slow
def test_example_story_report(browser: object, tmp_path: Path) -> None:
    if not EXAMPLE.is_dir():
        pytest.skip(f"{EXAMPLE} is not there yet")
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", "report", str(EXAMPLE), "--format", "html", "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr
    page_path = tmp_path / "harbour-fire.html"
    opened = _open(browser, page_path.read_text("utf-8"), page_path)
    page = opened.page
    assert page.locator("section.block").first.get_attribute("id") == "s1-established"
    assert page.locator("section.block").nth(1).get_attribute("id") == "s1-disc"
    assert page.locator(".card").count() >= 1
    chip = page.locator("#s1-summary a.chip-ev").first
    chip.click()
    target = chip.get_attribute("href")[1:]
    assert page.locator(f"[id='{target}']").is_visible()
    assert page.locator(".seg.hl").count() >= 1
    page.screenshot(path=str(tmp_path / "harbour-fire-laptop.png"), full_page=True)
    assert not opened.errors and not opened.blocked and not opened.dialogs
    page.context.close()
    phone = _open(browser, page_path.read_text("utf-8"), page_path, viewport=PHONE)
    phone.page.screenshot(path=str(tmp_path / "harbour-fire-phone.png"), full_page=True)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.page.context.close()


def _many_sources(count: int) -> Report:
    """A story told by ``count`` outlets: facts most of them state, and a count they disagree on."""
    from accord.models import Article, Discrepancy, DiscrepancyValue, Evidence, Fact, Story

    outlets = [f"Harbour Outlet Number {n:02d} Daily" for n in range(1, count + 1)]
    articles = []
    for n, outlet in enumerate(outlets, start=1):
        injured = 14 if n % 3 else 11
        text = (f"A fire destroyed a warehouse on Marrow Quay on Sunday night. {injured} people were injured. "
                f"Report {n} adds its own detail about the smoke over the harbour.")
        articles.append(Article(id=f"a{n:02d}", title=f"Marrow Quay fire, report {n}", text=text, source=outlet,
                                published="2024-03-04"))

    def evidence(article: Article, sentence: str) -> Evidence:
        start = article.text.index(sentence)
        return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))

    fire = "A fire destroyed a warehouse on Marrow Quay on Sunday night."
    facts = (
        Fact(id="f-fire", statement=fire + " Firefighters fought it all night.",
             articles=tuple(a.id for a in articles), independent_sources=count,
             evidence=tuple(evidence(a, fire) for a in articles)),
        Fact(id="f-one", statement="Report 1 adds its own detail about the smoke over the harbour.",
             articles=("a01",), independent_sources=1),
    )
    values = []
    for value in (14, 11):
        having = [a for a in articles if f"{value} people" in a.text]
        values.append(DiscrepancyValue(value=str(value), qualifier="=", articles=tuple(a.id for a in having),
                                       evidence=tuple(evidence(a, f"{value} people were injured.") for a in having)))
    disc = Discrepancy(id="d-injured", kind="quantity", conflict=True, about="people injured", values=tuple(values))
    story = Story(id="story-many", title="Marrow Quay warehouse fire", articles=tuple(articles), facts=facts,
                  discrepancies=(disc,))
    return Report(stories=(story,), generated_by="accord test")


@pytest.mark.parametrize("count", [12, 20])
def test_many_sources_show_established_facts_first_and_every_source_without_a_sideways_cut(
    browser: object, tmp_path: Path, count: int
) -> None:
    html = to_html(_many_sources(count))
    for name, viewport in (("laptop", LAPTOP), ("narrow", {"width": 400, "height": 800})):
        opened = _open(browser, html, tmp_path / f"{name}.html", viewport=viewport)
        page = opened.page
        page.screenshot(path=str(tmp_path / f"many-{count}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert page.locator("section.block").first.get_attribute("id") == "s1-established"
        first = page.locator("#s1-established ol.established li").first
        assert first.bounding_box()["y"] < viewport["height"]
        assert f"{count} independent sources" in first.inner_text()
        # the one-source statement is no established fact and has no row in the agreement table
        assert page.locator("#s1-established li").count() == 1
        assert page.locator(".matrix tbody tr").count() == 2
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
        for row in page.locator(".matrix tbody tr").all():
            cells = row.locator("td").all()
            assert len(cells) == count
            for cell in cells:
                box = cell.bounding_box()
                assert box is not None and box["width"] > 0
                assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
        # the support count leads to the evidence in an article
        first.locator("a.support-n").click()
        assert page.locator(".seg.hl").count() >= 1 or page.evaluate("location.hash").startswith("#article-")
        assert not opened.errors
        page.context.close()
