"""The web app through Starlette's test client: pages, API, feed, escaping, bad requests, read-only access."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa

from accord.schema import load_schema
from accord.serve import ServeOptions, build_app

from .builders import HOSTILE, store_at_revision


def _story_ids(html: str) -> list[str]:
    return re.findall(r'class="story-link" href="/stories/([^"]+)"', html)


def _titles(html: str) -> list[str]:
    return re.findall(r'class="story-link" href="/stories/[^"]+">([^<]+)</a>', html)


def _story_id(client: Any, word: str) -> str:
    stories = client.get("/api/stories").json()["stories"]
    return next(s["id"] for s in stories if word in s["title"])


def test_the_stories_page_lists_stories_newest_first_with_their_counts(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    titles = _titles(page.text)
    assert len(titles) == 4
    assert "Dunmore" in titles[0] and "Harlow" in titles[-1]
    assert "4 stories" in page.text and "1 conflicting" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert 'href="/static/app.css"' in page.text and "http" not in page.text.split("<body>")[0].replace(
        'content="width', "")


def test_sort_filter_and_paging(client: Any) -> None:
    disputed = _titles(client.get("/?sort=disputed").text)
    assert "Dunmore" in disputed[0]
    most_sources = _titles(client.get("/?sort=sources").text)
    assert "Tarnford" in most_sources[0]
    assert [t for t in _titles(client.get("/?disputed=1").text)] == [disputed[0]]
    assert len(_titles(client.get("/?since=2024-05-01&until=2024-05-31").text)) == 2
    assert len(_titles(client.get("/?until=2024-04-30").text)) == 1
    outlet = _titles(client.get("/?source=county+mail").text)
    assert len(outlet) == 1 and "Brennick" in outlet[0]
    first, second = client.get("/?per_page=3"), client.get("/?per_page=3&page=2")
    assert len(_titles(first.text)) == 3 and len(_titles(second.text)) == 1
    assert 'rel="next" href="?per_page=3&amp;page=2"' in first.text
    assert client.get("/?page=9").status_code == 200 and "No stories match" in client.get("/?page=9").text


def test_a_story_page_is_the_html_report_with_links_to_the_articles(client: Any) -> None:
    story_id = _story_id(client, "Dunmore")
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert 'class="card card-conflict"' in page.text and "Summary" in page.text
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page.text).group(1)
    header = page.headers["content-security-policy"]
    assert header.startswith(meta.replace("&#39;", "'")) and "frame-ancestors 'none'" in header
    keys = re.findall(r'class="article-link" href="/articles/([0-9a-f]{32})"', page.text)
    assert len(keys) == 2
    assert 'href="https://quarrynews.example/dunmore-blast"' in page.text
    assert 'href="javascript:' not in page.text
    assert 'href="/"' in page.text


def test_an_article_page_shows_text_removed_boilerplate_story_and_copies(client: Any) -> None:
    story_id = _story_id(client, "Brennick")
    story = client.get(f"/stories/{story_id}").text
    keys = re.findall(r'class="article-link" href="/articles/([0-9a-f]{32})"', story)
    pages = [client.get(f"/articles/{key}").text for key in keys]
    assert all(f'href="/stories/{story_id}"' in page for page in pages)
    assert any("Copied by:" in page for page in pages) and any("Copies:" in page for page in pages)
    assert all("Removed as boilerplate" in page for page in pages)
    budget = client.get(f"/stories/{_story_id(client, 'Harlow')}").text
    (key,) = set(re.findall(r'class="article-link" href="/articles/([0-9a-f]{32})"', budget))
    article = client.get(f"/articles/{key}").text
    assert "The same text ran at:" in article and "Harlow Weekly" in article and "Harlow Gazette" in article
    quarry = client.get(f"/stories/{_story_id(client, 'Dunmore')}").text
    key = re.findall(r'class="article-link" href="/articles/([0-9a-f]{32})"', quarry)[0]
    assert re.search(r'class="reason">navigation</span> <q>Share this article</q>', client.get(f"/articles/{key}").text)


def test_script_in_article_text_is_shown_as_text_everywhere(client: Any) -> None:
    story_id = _story_id(client, "Dunmore")
    escaped = "&lt;script&gt;document.title=&#39;pwned&#39;;alert(&#39;x&#39;)&lt;/script&gt;"
    story = client.get(f"/stories/{story_id}").text
    key = re.findall(r'class="article-link" href="/articles/([0-9a-f]{32})"', story)
    article = next(p for p in (client.get(f"/articles/{k}").text for k in key) if "pwned" in p)
    hits = client.get("/search?q=pwned+sign").text
    for html in (story, article, hits):
        assert HOSTILE not in html and "<img src=x" not in html and "</textarea>" not in html
    assert escaped in article
    assert "<mark>pwned</mark>" in hits or "<mark>sign</mark>" in hits


def test_search_ranks_the_named_story_first_and_marks_the_words(client: Any) -> None:
    page = client.get("/search?q=Tarnford+depot")
    assert page.status_code == 200
    first = re.search(r'class="hit-story" href="/stories/([^"]+)"', page.text).group(1)
    assert first == _story_id(client, "Tarnford")
    assert "<mark>" in page.text
    assert "Nothing matches" in client.get("/search?q=zyzzyva").text
    # Words found only apart still find something: every word first, then any word.
    assert client.get("/api/search?q=Brennick+zyzzyva").json()["hits"]


def test_the_api_returns_the_stories_the_report_contract_and_search_hits(client: Any) -> None:
    listing = client.get("/api/stories?sort=disputed").json()
    assert listing["total"] == 4 and listing["stories"][0]["conflicts"] >= 1
    story_id = listing["stories"][0]["id"]
    response = client.get(f"/api/stories/{story_id}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-accord-report"] == "current"
    report = response.json()
    jsonschema.validate(report, load_schema())
    assert report["stories"][0]["id"] == story_id
    hits = client.get("/api/search?q=lacquered+timber").json()["hits"]
    assert len(hits) == 3 and all("<mark>" in h["snippet_html"] for h in hits)
    hostile = client.get("/api/search?q=pwned").json()["hits"][0]
    assert "<script" not in hostile["snippet_html"] and "&lt;script&gt;" in hostile["snippet_html"]


def test_the_atom_feed_lists_conflicting_values(client: Any) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert entries and "Dunmore" in entries[0].find("a:title", ns).text
    assert "vs" in entries[0].find("a:summary", ns).text
    assert entries[0].find("a:link", ns).get("href").startswith("http://127.0.0.1:8000/stories/")


@pytest.mark.parametrize(("path", "status"), [
    ("/stories/nope", 404),
    ("/stories/%3Cscript%3E", 404),
    ("/stories/" + "a" * 300, 404),
    ("/articles/nope", 404),
    ("/articles/" + "0" * 32, 404),
    ("/no/such/page", 404),
    ("/api/stories/nope", 404),
    ("/?page=0", 400),
    ("/?page=abc", 400),
    ("/?page=99999999999999999999", 400),
    ("/?sort=random", 400),
    ("/?since=2024-02-30", 400),
    ("/?until=yesterday", 400),
    ("/?disputed=maybe", 400),
    ("/?source=" + "x" * 201, 400),
    ("/search?q=" + "word+" * 500, 400),
    ("/search?q=%00", 400),
    ("/api/search", 400),
    ("/api/search?q=%E2%80%94", 400),
    ("/api/stories?per_page=1000", 400),
])
def test_bad_requests_get_a_clean_error(client: Any, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()
    if path.startswith("/api/"):
        assert "error" in response.json()
    else:
        assert response.headers["content-type"].startswith("text/html") and "<h1>" in response.text


def test_unsafe_methods_and_foreign_hosts_are_refused(client: Any) -> None:
    assert client.post("/").status_code == 405
    assert client.delete("/api/stories").status_code == 405
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_an_error_inside_a_page_is_a_clean_500(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.serve import db

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(db, "story_page", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_a_story_without_a_stored_report_says_so_and_runs_nothing(store_copy: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.testclient import TestClient

    import accord.pipeline

    engine = sa.create_engine(f"sqlite:///{store_copy}")
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM story_reports"))
    engine.dispose()
    monkeypatch.setattr(accord.pipeline, "build_report", lambda *a, **k: pytest.fail("ran the pipeline"))
    app = build_app(ServeOptions(db_url=str(store_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        story_id = test_client.get("/api/stories").json()["stories"][0]["id"]
        page = test_client.get(f"/stories/{story_id}")
        assert page.status_code == 200 and "No report has been computed" in page.text
        assert "--reports" in page.text and 'class="article-link"' in page.text
        assert "no report yet" in test_client.get("/").text
        missing = test_client.get(f"/api/stories/{story_id}")
        assert missing.status_code == 404 and "--reports" in missing.json()["error"]
    app.state.engine.dispose()


def test_the_app_opens_the_store_read_only(client: Any, built_store: Path) -> None:
    engine = client.app.state.engine
    with pytest.raises(sa.exc.OperationalError, match="readonly|read-only|query_only"):
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM story_reports"))
    before = built_store.stat().st_mtime_ns
    for path in ("/", "/?sort=disputed", "/search?q=fire", "/api/stories", "/feed.atom"):
        assert client.get(path).status_code == 200
    assert built_store.stat().st_mtime_ns == before


def test_an_older_store_is_refused_until_upgraded(tmp_path: Path) -> None:
    from accord.errors import StoreError

    path = tmp_path / "old.db"
    store_at_revision(path, "0003")
    with pytest.raises(StoreError, match="--upgrade"):
        build_app(ServeOptions(db_url=str(path)))
    app = build_app(ServeOptions(db_url=str(path), upgrade=True))
    app.state.engine.dispose()
    with pytest.raises(StoreError, match="accord ingest"):
        build_app(ServeOptions(db_url=str(tmp_path / "missing.db")))


def test_json_of_the_api_is_plain_json(client: Any) -> None:
    text = client.get("/api/stories").text
    assert json.loads(text)["stories"]
