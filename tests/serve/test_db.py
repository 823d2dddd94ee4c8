"""The app's reads from the store: search ranks at most the newest matches, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.serve import db


def _matching_seqs(engine: sa.Engine, word: str) -> list[int]:
    with engine.connect() as connection:
        return sorted(connection.execute(sa.text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :w"),
                                         {"w": word}).scalars())


def test_search_ranks_only_the_newest_matches_when_too_many_match(built_store: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    engine = db.open_readonly(str(built_store))
    try:
        every = db.search(engine, "lacquered")
        seqs = _matching_seqs(engine, '"lacquered"')
        assert len(seqs) == 3 and not every.capped and sorted(h["seq"] for h in every.hits) == seqs
        monkeypatch.setattr(db, "RANKED_AT_MOST", 2)
        newest = db.search(engine, "lacquered")
        assert newest.capped and sorted(h["seq"] for h in newest.hits) == seqs[1:]
        monkeypatch.setattr(db, "RANKED_AT_MOST", 3)
        assert not db.search(engine, "lacquered").capped
    finally:
        engine.dispose()


def test_the_search_page_says_when_only_the_newest_matches_were_ranked(client: object,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "RANKED_AT_MOST", 2)
    page = client.get("/search?q=lacquered+timber").text  # type: ignore[attr-defined]
    assert "More than 2 articles match" in page and page.count('class="hit"') == 2
    assert client.get("/api/search?q=lacquered+timber").json()["capped"] is True  # type: ignore[attr-defined]


def test_an_order_asked_for_by_many_requests_at_once_is_sorted_once() -> None:
    import threading
    import time

    sorts: list[int] = []

    def slow_sort() -> tuple[str, ...]:
        sorts.append(1)
        time.sleep(0.05)
        return ("b", "a")

    key = ("test", object())
    answers: list[tuple[str, ...]] = []
    threads = [threading.Thread(target=lambda: answers.append(db._kept_order(key, slow_sort))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sorts) == 1 and answers == [("b", "a")] * 8
