"""Ingest a user can follow: every file named, gzip inputs, exit status, reruns, Ctrl-C."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.corpus import IngestSummary, ingest
from accord.ingest import read

from .builders import BRENNICK, TARNFORD, html_page, many_articles, warc_bytes


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], capture_output=True, text=True,
                          timeout=600, check=False)


def _crawl_folder(root: Path) -> Path:
    """Gzip-compressed HTML, JSONL and WARC, a PDF, a README, a broken .gz and an unreadable file."""
    folder = root / "crawl"
    folder.mkdir(parents=True)
    (folder / "tarnford.html.gz").write_bytes(gzip.compress(html_page(*TARNFORD[0]).encode("utf-8")))
    lines = [json.dumps({"id": f"b{i}", "title": title, "text": body, "published": "2024-05-07"})
             for i, (title, body) in enumerate(BRENNICK)]
    (folder / "brennick.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    (folder / "ledger.warc.gz").write_bytes(warc_bytes([("https://ledger.example/tarnford",
                                                          html_page(*TARNFORD[1]))]))
    (folder / "annual-report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (folder / "README.md").write_text("Crawl of 7 May.\n", encoding="utf-8")
    (folder / "cut.html.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>")[:20])
    locked = folder / "locked.txt"
    locked.write_text("Locked\n\nNobody can read this file.\n", encoding="utf-8")
    locked.chmod(0)
    return folder


def test_gzip_inputs_are_read_by_report_and_ingest(tmp_path: Path) -> None:
    folder = _crawl_folder(tmp_path)
    result = read([folder / "tarnford.html.gz", folder / "brennick.jsonl.gz"])
    assert [a.id for a in result.articles] == ["tarnford", "b0", "b1"]
    assert "Tarnford" in result.articles[0].title


def test_every_file_not_read_is_named_with_its_reason(tmp_path: Path) -> None:
    folder = _crawl_folder(tmp_path)
    summary = ingest([folder], db_url=str(tmp_path / "s.db"), workers=1)
    # One page, two JSONL records, one WARC page (and the locked file when run as root, who reads it).
    assert summary.new == 4 + (os.geteuid() == 0)
    reasons = {Path(s.input).name: s.reason for s in summary.skipped}
    assert reasons["annual-report.pdf"] == "unsupported file type (.pdf)"
    assert "describes the folder" in reasons["README.md"]
    assert "gzip" in reasons["cut.html.gz"]
    if os.geteuid() != 0:  # root reads any file
        assert "cannot read file" in reasons["locked.txt"]


def test_nothing_read_exits_1_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.7\n")
    result = _run("ingest", str(folder), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 1
    assert f"skipped {folder / 'a.pdf'}: unsupported file type (.pdf)" in result.stderr
    assert "nothing was read from 0 inputs" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rerun_skips_inputs_read_in_full_and_reads_changed_ones(tmp_path: Path) -> None:
    paths = many_articles(tmp_path / "in", 6)
    db = str(tmp_path / "s.db")
    first = ingest([tmp_path / "in"], db_url=db, workers=1)
    assert (first.read, first.unchanged) == (6, 0)
    again = ingest([tmp_path / "in"], db_url=db, workers=1)
    assert (again.read, again.unchanged, again.new) == (0, 6, 0)
    assert "6 already ingested in full" in again.describe()
    paths[0].write_text("Changed\n\nA new text for the first article, about the Arlen ferry.\n", encoding="utf-8")
    changed = ingest([tmp_path / "in"], db_url=db, workers=1)
    assert (changed.read, changed.unchanged, changed.new) == (1, 5, 1)
    forced = ingest([tmp_path / "in"], db_url=db, workers=1, reread=True)
    assert (forced.read, forced.already_stored) == (6, 6)


def test_counts_are_never_negative() -> None:
    summary = IngestSummary(inputs=3, read=3, new=3, already_stored=0, copies=0, stories_touched=1,
                            stories_new=4, total_articles=3, total_stories=2, seconds=1.0)
    assert summary.stories_grown == 0
    assert "-" not in summary.describe().split("grown")[0].split(",")[-1]


@pytest.mark.slow
def test_ctrl_c_says_what_was_saved_and_a_rerun_goes_on(tmp_path: Path) -> None:
    count = 2500
    many_articles(tmp_path / "in", count)
    db_path = tmp_path / "int.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "ingest", str(tmp_path / "in"), "--db", str(db_path), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None and _stored(db_path) == 0:
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    saved = _stored(db_path)
    assert f"interrupted: {saved} new articles from" in err and "Run the same command again" in err
    assert "Traceback" not in err
    resumed = _run("ingest", str(tmp_path / "in"), "--db", str(db_path))
    assert resumed.returncode == 0, resumed.stderr
    assert f"{count - saved} new, 0 already stored" in resumed.stderr
    assert _stored(db_path) == count


def _stored(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(db_path, timeout=1) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0
