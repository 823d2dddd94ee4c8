"""The web app over a real PostgreSQL store (a server started for the run, as the corpus tests do)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from accord.corpus import ingest
from accord.report_store import refresh_reports
from accord.serve import ServeOptions, build_app, db
from corpus.test_postgres import _new_database, postgres_url  # noqa: F401 - the server fixture

from .builders import HOSTILE, news_folder

pytestmark = pytest.mark.slow


def test_the_app_over_postgresql(tmp_path: Path, postgres_url: str,  # noqa: F811
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = _new_database(postgres_url, "served")
    ingest([news_folder(tmp_path)], db_url=url, workers=1)
    assert refresh_reports(url).computed == 4
    app = build_app(ServeOptions(db_url=url))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        listing = client.get("/api/stories?sort=disputed").json()
        assert listing["total"] == 4 and "Dunmore" in listing["stories"][0]["title"]
        assert len(client.get("/api/stories?source=County+Mail").json()["stories"]) == 1
        story_id = listing["stories"][0]["id"]
        page = client.get(f"/stories/{story_id}")
        assert page.status_code == 200 and 'class="card card-conflict"' in page.text
        hits = client.get("/api/search?q=lacquered+timber").json()["hits"]
        assert len(hits) == 3 and all("<mark>" in h["snippet_html"] for h in hits)
        monkeypatch.setattr(db, "RANKED_AT_MOST", 2)  # only the two newest matches are ranked, and it says so
        capped = client.get("/api/search?q=timber+lacquered").json()
        assert capped["capped"] and len(capped["hits"]) == 2
        monkeypatch.undo()
        first = client.get("/search?q=Tarnford+depot").text
        assert "Tarnford" in re.search(r'class="hit-story" href="/stories/[^"]+">([^<]+)<', first).group(1)
        hostile = client.get("/search?q=sign+gate").text
        assert "Dunmore" in hostile and HOSTILE not in hostile and "<script" not in hostile
        assert client.get("/search?q=%27%3B+drop+table+articles%3B+--").status_code == 200
        assert client.get("/feed.atom").status_code == 200
        with pytest.raises(sa.exc.SQLAlchemyError, match="read-only"):
            with app.state.engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM story_reports"))
    app.state.engine.dispose()


def test_kept_answers_over_postgresql_follow_commits(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    from accord.serve.cache import store_version
    from accord.store import normalize_url

    url = _new_database(postgres_url, "kept")
    ingest([news_folder(tmp_path)], db_url=url, workers=1)
    app = build_app(ServeOptions(db_url=url))
    version = store_version(app.state.engine)
    writer = sa.create_engine(normalize_url(url))
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            before = version.current()
            first = client.get("/api/stories").json()
            assert client.get("/api/stories").json() == first and version.current() == before
            assert app.state.cache.hits >= 1
            with writer.begin() as connection:
                connection.execute(sa.text("UPDATE stories SET title = 'Renamed story' WHERE id = :id"),
                                   {"id": first["stories"][0]["id"]})
            assert version.current() != before
            assert client.get("/api/stories").json()["stories"][0]["title"] == "Renamed story"
    finally:
        writer.dispose()
        version.close()
        app.state.engine.dispose()
