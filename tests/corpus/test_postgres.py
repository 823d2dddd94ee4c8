"""The same corpus ingest against a real PostgreSQL server, started for the test on a private socket.

The server comes from Debian's ``postgresql`` package (``make test`` installs it). As
root, the server runs as the ``postgres`` user, which PostgreSQL requires.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.corpus import ingest, load_story
from accord.store import Store, normalize_url, sightings

from .builders import WIRE_OUTLETS, mixed_folder, wire_copies

pytestmark = pytest.mark.slow


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: run `make test`, which installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    root = tmp_path_factory.mktemp("pg")
    data, socket = root / "data", root / "socket"
    data.mkdir()
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        shutil.chown(socket, "postgres")
        root.chmod(0o755)
        for parent in root.parents:
            if parent.stat().st_mode & 0o001 == 0:
                parent.chmod(parent.stat().st_mode | 0o001)
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust",
                                    "-U", "accord"]), **run)
    subprocess.run(_as_server_user([
        str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(socket / "log"),
        "-o", f"-k {socket} -p 55439 -c listen_addresses=''", "start",
    ]), **run)
    try:
        subprocess.run(_as_server_user([str(bin_dir / "createdb"), "-h", str(socket), "-p", "55439",
                                        "-U", "accord", "news"]), **run)
        yield f"postgresql://accord@/news?host={socket}&port=55439"
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                        "stop"]), check=False, capture_output=True, timeout=120)


def test_ingest_into_postgresql_is_idempotent_and_groups_stories(tmp_path: Path, postgres_url: str) -> None:
    folder = mixed_folder(tmp_path)
    first = ingest([folder], db_url=postgres_url, workers=2)
    assert first.new == 7 and first.copies == 1
    again = ingest([folder], db_url=postgres_url, workers=1, reread=True)
    assert again.new == 0 and again.already_stored == 7
    with Store.open(postgres_url) as store:
        assert store.count() == 7
        rows = list(store.story_rows())
    assert sum(row["size"] for row in rows) == 7
    tarnford = next(r for r in rows if "Tarnford" in r["title"])
    title, articles = load_story(postgres_url, tarnford["id"])
    assert len(articles) == 3
    assert all("Tarnford" in a.title or "Tarnford" in a.text for a in articles)


def test_postgresql_keeps_every_outlet_of_an_identical_body(tmp_path: Path, postgres_url: str) -> None:
    import sqlalchemy as sa

    url = _new_database(postgres_url, "wire")
    courier, alpine = wire_copies(tmp_path / "in")
    ingest([courier], db_url=url, workers=1)
    second = ingest([alpine], db_url=url, workers=1)
    assert (second.new, second.already_stored, second.other_outlets) == (0, 1, 1)
    again = ingest([tmp_path / "in"], db_url=url, workers=1)
    assert again.other_outlets == 0
    with Store.open(url) as store:
        assert store.count() == 1 and store.count_sightings() == 2
        (row,) = store.story_rows()
    assert row["size"] == 2 and set(row["sources"]) == {o["source"] for o in WIRE_OUTLETS}
    _, articles = load_story(url, row["id"])
    assert [a.url for a in articles] == [o["url"] for o in WIRE_OUTLETS]
    # A store made before sightings existed upgrades with its article as the first appearance.
    old = _new_database(postgres_url, "old")
    from alembic import command
    from alembic.config import Config

    import accord.store

    config = Config()
    config.set_main_option("script_location", str(Path(accord.store.__file__).parent / "migrations"))
    engine = sa.create_engine(normalize_url(old))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(sa.text(
            "INSERT INTO articles (key, seq, article_id, title, text, source, url, removed, input, story_id, "
            "minhash, features, vector) VALUES ('k1', 0, 'a1', 'Pier repaired', 'Body.', 'Kelby Post', "
            "'https://kelby.example/pier', '[]', 'a1.txt', 's1', '\\x00', '{}', '{}')"))
    engine.dispose()
    with Store.open(old) as store:
        assert store.count_sightings() == 1
        with store.engine.connect() as connection:
            backfilled = connection.execute(sa.select(sightings)).one()
    assert backfilled.is_first and backfilled.source == "Kelby Post" and backfilled.url == "https://kelby.example/pier"


def _new_database(server_url: str, name: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(normalize_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server_url.replace("/news?", f"/{name}?")
