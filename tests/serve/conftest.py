"""A store built once for the web app tests (ingest, then stored reports), and a client over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.corpus import ingest
from accord.report_store import refresh_reports
from serve.builders import news_folder


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of four stories with their reports computed (do not write to it: copy it)."""
    root = tmp_path_factory.mktemp("served")
    folder = news_folder(root)
    path = root / "store.db"
    ingest([folder], db_url=str(path), workers=1)
    refresh_reports(str(path))
    return path


@pytest.fixture
def store_copy(built_store: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, for tests that write."""
    target = tmp_path / "store.db"
    shutil.copy(built_store, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{built_store}{suffix}").exists():
            shutil.copy(f"{built_store}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture
def client(built_store: Path) -> Iterator[object]:
    """A test client of the app over the built store, as a browser on this machine sees it."""
    from starlette.testclient import TestClient

    from accord.serve import ServeOptions, build_app

    app = build_app(ServeOptions(db_url=str(built_store)))
    with TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.engine.dispose()
