"""The web app in a real browser: Debian's headless Chromium driven by Playwright, over a live uvicorn.

Never ``playwright install``: the browser is the system's ``chromium`` (``make test-services``).
Without it these tests fail when CI is set and are skipped otherwise.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from accord.serve import ServeOptions, build_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def address(built_store: Path) -> Iterator[str]:
    """A live server over the built store on a free loopback port."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = build_app(ServeOptions(db_url=str(built_store), port=port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@dataclass
class Session:
    """A browser page on the app, with every request, dialog and error it saw."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)


@pytest.fixture
def session(browser: Any, address: str) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    seen = Session(page=page)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda message: seen.csp.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield seen
    context.close()


def test_list_to_story_to_article_and_back(session: Session, address: str) -> None:
    page = session.page
    page.goto(address + "/")
    assert page.locator(".story-link").count() == 4
    page.locator(".story-link", has_text="Dunmore").click()
    page.wait_for_url("**/stories/*")
    assert page.locator(".card-conflict").count() >= 1
    story_url = page.url
    page.locator("#app-articles a.article-link", has_text="injures four").click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == "Blast at Dunmore quarry injures four"
    assert "navigation" in page.locator(".removed").inner_text()
    page.go_back()
    assert page.url == story_url
    page.locator(".app-nav a", has_text="All stories").click()
    assert page.url == address + "/"
    assert not session.errors and not session.csp
    assert all(url.startswith(address) or url.startswith("data:") for url in session.requests)


def test_sort_and_filter(session: Session, address: str) -> None:
    page = session.page
    page.goto(address + "/")
    page.select_option("#sort", "disputed")
    page.click("#apply")
    assert "Dunmore" in page.locator(".story-link").first.inner_text()
    page.check("#disputed")
    page.click("#apply")
    assert page.locator(".story-link").count() == 1
    page.goto(address + "/")
    page.fill("#since", "2024-05-01")
    page.fill("#until", "2024-05-31")
    page.click("#apply")
    assert page.locator(".story-link").count() == 2
    page.fill("#source", "Harlow Weekly")
    page.fill("#since", "")
    page.fill("#until", "")
    page.click("#apply")
    assert page.locator(".story-link").count() == 1
    assert "Harlow" in page.locator(".story-link").first.inner_text()


def test_search_box_finds_the_story_and_marks_the_words(session: Session, address: str) -> None:
    page = session.page
    page.goto(address + "/")
    page.fill("#q", "lacquered timber")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".hit").count() == 3
    assert page.locator(".snippet mark").count() >= 3
    page.locator(".hit-story").first.click()
    assert "Tarnford" in page.locator("h1").first.inner_text()


def test_a_script_planted_in_an_article_is_shown_and_never_runs(session: Session, address: str) -> None:
    page = session.page
    page.goto(address + "/search?q=pwned")
    page.locator(".hit-title").first.click()
    page.wait_for_url("**/articles/*")
    assert "<script>document.title='pwned'" in page.locator("#article-text").inner_text()
    assert page.title() != "pwned" and page.locator("#article-text img").count() == 0
    page.go_back()
    page.locator(".hit-story").first.click()
    page.wait_for_url("**/stories/*")
    page.locator("details.article-text summary").first.click()
    assert page.title() != "pwned"
    assert session.dialogs == [] and not session.errors
