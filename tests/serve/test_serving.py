"""Serving fast without serving stale: kept answers follow the store, stored pages, workers, migration 0006."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from accord.corpus import ingest
from accord.errors import UsageError
from accord.report_store import refresh_reports
from accord.serve import OPTIONS_ENV, ServeOptions, build_app, worker_app
from accord.serve import db as serve_db
from accord.serve.cache import CachedResponse, ResponseCache, store_version
from accord.store import Store, story_reports
from .builders import migrations_config, store_at_revision

_PYLON = ("Pylon collapse near Ostrava Yard blocks the Marlow line",
          "A pylon collapsed across the Marlow line near Ostrava Yard on Friday, the rail operator said. "
          "Engineers said the line would reopen on Monday.")


def _write_article(folder: Path, name: str, title: str, body: str, site: str = "Marlow Echo") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    path.write_text(json.dumps({"id": name, "title": title, "text": body, "source": site,
                                "url": f"https://{name}.example/", "published": "2024-07-05"}) + "\n",
                    encoding="utf-8")
    return path


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(serve_db, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(serve_db, name, counted)
    return calls


def test_kept_answers_are_reused_until_an_ingest_adds_a_story(store_copy: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    lists = _counting(monkeypatch, "story_page")
    searches = _counting(monkeypatch, "search")
    app = build_app(ServeOptions(db_url=str(store_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert len(lists) == len(serve_db.SORTS)  # each order sorted once as the app starts
        lists.clear()
        first = client.get("/api/stories").json()
        assert client.get("/api/stories").json() == first and len(lists) == 1
        page = client.get("/").text
        assert client.get("/").text == page and len(lists) == 2
        assert "Nothing matches" in client.get("/search?q=Ostrava+pylon").text
        client.get("/search?q=Ostrava+pylon")
        assert len(searches) == 1

        ingest([_write_article(tmp_path / "new", "pylon", *_PYLON)], db_url=str(store_copy), workers=1)

        after = client.get("/api/stories").json()
        assert after["total"] == first["total"] + 1 and len(lists) == 3
        assert any("Pylon" in s["title"] for s in after["stories"])
        assert "Pylon collapse" in client.get("/").text
        hits = client.get("/search?q=Ostrava+pylon").text
        assert "Nothing matches" not in hits and "<mark>" in hits
    app.state.engine.dispose()


def test_a_kept_story_page_notices_its_story_grew_and_its_report_was_refreshed(store_copy: Path,
                                                                               tmp_path: Path) -> None:
    app = build_app(ServeOptions(db_url=str(store_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        ingest([_write_article(tmp_path / "one", "pylon", *_PYLON)], db_url=str(store_copy), workers=1)
        refresh_reports(str(store_copy))
        story_id = next(s["id"] for s in client.get("/api/stories").json()["stories"] if "Pylon" in s["title"])
        page = client.get(f"/stories/{story_id}").text
        assert client.get(f"/stories/{story_id}").text == page and "app-outdated" not in page
        assert client.get(f"/api/stories/{story_id}").headers["x-accord-report"] == "current"

        # The same body run by another outlet: the story's version changes, its report is outdated.
        ingest([_write_article(tmp_path / "two", "pylon-echo", *_PYLON, site="Yard Weekly")],
               db_url=str(store_copy), workers=1)
        outdated = client.get(f"/stories/{story_id}").text
        assert "app-outdated" in outdated and "Yard Weekly" in outdated
        assert client.get(f"/api/stories/{story_id}").headers["x-accord-report"] == "outdated"

        refresh_reports(str(store_copy))
        assert "app-outdated" not in client.get(f"/stories/{story_id}").text
        assert client.get(f"/api/stories/{story_id}").headers["x-accord-report"] == "current"
    app.state.engine.dispose()


def test_with_no_memory_for_answers_every_request_reads_the_store(built_store: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    lists = _counting(monkeypatch, "story_page")
    app = build_app(ServeOptions(db_url=str(built_store), cache_mb=0))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for _ in range(3):
            assert client.get("/?sort=sources").status_code == 200
    app.state.engine.dispose()
    assert len(lists) == 3 and len(app.state.cache) == 0


def test_errors_are_not_kept(client: Any) -> None:
    for _ in range(2):
        assert client.get("/stories/nope").status_code == 404
        assert client.get("/?page=0").status_code == 400
    assert len(client.app.state.cache) == 0


def test_the_sqlite_version_changes_when_another_connection_commits(store_copy: Path) -> None:
    engine = serve_db.open_readonly(str(store_copy))
    version = store_version(engine)
    try:
        before = version.current()
        assert version.current() == before
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT count(*) FROM stories")).scalar()
        assert version.current() == before
        writer = sa.create_engine(f"sqlite:///{store_copy}")
        with writer.begin() as connection:
            connection.execute(sa.text("UPDATE stories SET title = title || '!'"))
        writer.dispose()
        assert version.current() != before
    finally:
        version.close()
        engine.dispose()


def test_two_apps_never_share_a_version_even_over_one_file(store_copy: Path, tmp_path: Path) -> None:
    engine = serve_db.open_readonly(str(store_copy))
    first, second = store_version(engine), store_version(engine)
    try:
        assert first.current() != second.current()
    finally:
        first.close()
        second.close()
        engine.dispose()
    # So a list order kept for one store is never used for another that happens to look alike.
    other = tmp_path / "other.db"
    ingest([_write_article(tmp_path / "in", "pylon", *_PYLON)], db_url=str(other), workers=1)
    for path, count in ((store_copy, 4), (other, 1), (store_copy, 4)):
        app = build_app(ServeOptions(db_url=str(path)))
        with TestClient(app, base_url="http://127.0.0.1") as client:
            assert client.get("/api/stories?sort=sources").json()["total"] == count
        app.state.engine.dispose()


class _SnapshotServer:
    """Stands in for a PostgreSQL engine: each read of the snapshot takes a while and is counted;
    ``commit()`` changes what the next read returns."""

    def __init__(self) -> None:
        self.reads = 0
        self.commits = 0

    def connect(self) -> Any:
        import contextlib

        server = self

        class _Connection:
            def execute(self, _query: Any) -> Any:
                server.reads += 1
                seen = server.commits
                time.sleep(0.02)
                return type("Result", (), {"scalar_one": lambda _self: f"snapshot-{seen}"})()

        return contextlib.nullcontext(_Connection())

    def commit(self) -> None:
        self.commits += 1


def test_postgres_requests_arriving_together_share_one_read_of_the_version() -> None:
    import threading

    from accord.serve.cache import _PostgresVersion

    server = _SnapshotServer()
    watcher = _PostgresVersion(server)  # type: ignore[arg-type]
    versions: list[Any] = []
    together = threading.Barrier(12)

    def request() -> None:
        together.wait()
        versions.append(watcher.current())

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(versions)) == 1 and server.reads <= 3  # 12 requests, at most a read running and two after it
    server.commit()
    # A request that arrives after a commit never gets a version read before it.
    assert watcher.current() != versions[0] and server.reads <= 4


def test_the_response_cache_keeps_answers_of_one_version_within_its_memory() -> None:
    cache = ResponseCache(max_bytes=1000)
    answer = CachedResponse(status=200, body=b"x" * 100, headers=(), media_type="text/html")
    cache.put("a", 1, answer)
    assert cache.get("a", 1) is answer
    assert cache.get("a", 2) is None and cache.get("a", 1) is None  # an older version is dropped
    for index in range(20):
        cache.put(index, 1, answer)
    assert len(cache) == 10 and cache.get(0, 1) is None and cache.get(19, 1) is answer
    cache.put("big", 1, CachedResponse(status=200, body=b"x" * 500, headers=(), media_type=None))
    assert cache.get("big", 1) is None  # larger than an eighth of the memory: never kept


def test_reports_are_stored_with_their_html_page_and_served_from_it(store_copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.render

    with Store.open(str(store_copy)) as store, store.engine.connect() as connection:
        pages = dict(connection.execute(sa.select(story_reports.c.story_id, story_reports.c.html)).all())
    assert len(pages) == 4 and all(html and html.startswith("<!DOCTYPE html>") for html in pages.values())
    monkeypatch.setattr(accord.render, "to_html", lambda *a, **k: pytest.fail("rendered a stored report"))
    app = build_app(ServeOptions(db_url=str(store_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for story_id in pages:
            page = client.get(f"/stories/{story_id}")
            assert page.status_code == 200 and 'class="article-link"' in page.text
    app.state.engine.dispose()


def test_a_report_stored_without_its_page_is_rendered_for_serving(store_copy: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{store_copy}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE story_reports SET html = NULL"))
    engine.dispose()
    app = build_app(ServeOptions(db_url=str(store_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        story_id = client.get("/api/stories?sort=disputed").json()["stories"][0]["id"]
        page = client.get(f"/stories/{story_id}")
        assert page.status_code == 200 and 'class="card card-conflict"' in page.text
    app.state.engine.dispose()


def test_migration_0006_adds_the_page_column_and_the_list_indexes(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.db"
    store_at_revision(path, "0005")
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        assert "html" not in {c["name"] for c in sa.inspect(connection).get_columns("story_reports")}
    engine.dispose()
    Store.open(str(path)).close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert "html" in {c["name"] for c in inspector.get_columns("story_reports")}
        indexes = set(connection.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
        assert {"ix_stories_newest", "ix_sightings_source_lower"} <= indexes
        plan = " ".join(str(row) for row in connection.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT id FROM stories ORDER BY last_published IS NULL, "
            "last_published DESC, last_seq DESC, id LIMIT 25")))
        assert "ix_stories_newest" in plan and "TEMP B-TREE" not in plan
        with engine.begin() as writing:
            config = migrations_config()
            config.attributes["connection"] = writing
            command.downgrade(config, "0005")
        assert "html" not in {c["name"] for c in sa.inspect(connection).get_columns("story_reports")}
    engine.dispose()


def test_workers_and_memory_options_are_checked() -> None:
    from accord.cli import build_parser

    args = build_parser().parse_args(["serve", "--workers", "2", "--cache-mb", "0"])
    assert args.workers == 2 and args.cache_mb == 0
    assert build_parser().parse_args(["serve"]).workers == 1
    for bad in (["--workers", "0"], ["--workers", "two"], ["--workers", "65"], ["--cache-mb", "-1"]):
        with pytest.raises(SystemExit) as exited:
            build_parser().parse_args(["serve", *bad])
        assert exited.value.code == 2
    with pytest.raises(UsageError, match="workers"):
        ServeOptions(workers=0)


def test_a_worker_builds_its_app_from_the_options_serve_passes(built_store: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OPTIONS_ENV, raising=False)
    with pytest.raises(UsageError, match=OPTIONS_ENV):
        worker_app()
    token = "t" * 24
    monkeypatch.setenv(OPTIONS_ENV, json.dumps({"db_url": str(built_store), "host": "0.0.0.0", "token": token,
                                                "workers": 2, "cache_mb": 8}))
    app = worker_app()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/api/stories").status_code == 401
        listing = client.get("/api/stories", headers={"Authorization": f"Bearer {token}"})
        assert listing.status_code == 200 and listing.json()["total"] == 4
    assert app.state.cache.max_bytes == 8 * 1024 * 1024
    app.state.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return int(data[9:12]), data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.slow
def test_accord_serve_with_two_workers_answers_from_both(built_store: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "--db", str(built_store),
                               "--port", str(port), "--workers", "2"],
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(port, "/api/stories")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "accord serve did not start"
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["total"] == 4
        assert all(_get(port, "/?sort=disputed")[0] == 200 for _ in range(10))
        children = subprocess.run(["ps", "--ppid", str(server.pid), "-o", "pid="], capture_output=True,
                                  text=True).stdout.split()
        assert len(children) >= 2
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors
