"""Serving while an ingest writes: every page answers, and new articles appear as batches commit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from starlette.testclient import TestClient

from accord.serve import ServeOptions, build_app
from corpus.builders import many_articles

_INGEST = ("import sys; from accord.corpus import ingest; "
           "ingest([sys.argv[1]], db_url=sys.argv[2], workers=1, batch_size=25, consolidate_every=2)")


def test_pages_answer_while_an_ingest_writes(store_copy: Path, tmp_path: Path) -> None:
    many_articles(tmp_path / "more", 400)
    app = build_app(ServeOptions(db_url=str(store_copy)))
    statuses: list[int] = []
    totals: list[int] = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        start = client.get("/api/stories").json()["total"]
        writer = subprocess.Popen([sys.executable, "-c", _INGEST, str(tmp_path / "more"), str(store_copy)],
                                  stderr=subprocess.PIPE, text=True)

        def read() -> None:
            while writer.poll() is None:
                for path in ("/?sort=disputed", "/search?q=number", "/feed.atom"):
                    statuses.append(client.get(path).status_code)
                totals.append(client.get("/api/stories").json()["total"])

        readers = [threading.Thread(target=read) for _ in range(4)]
        for thread in readers:
            thread.start()
        _, errors = writer.communicate(timeout=300)
        for thread in readers:
            thread.join(timeout=60)
        time.sleep(0.1)
        end = client.get("/api/stories").json()["total"]
        assert client.get("/search?q=number").status_code == 200
    app.state.engine.dispose()
    assert writer.returncode == 0, errors
    assert len(statuses) > 10 and set(statuses) == {200}
    assert end > start and totals and max(totals) <= end
