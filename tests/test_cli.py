"""The command line: documented commands, exit codes, and no tracebacks for users."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import build_parser, main


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=600, check=False,
    )


def test_every_command_has_a_description_and_an_example() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001
    assert set(sub.choices) >= {"report", "analyze", "quantities", "align", "ingest", "group", "stories"}
    for name, command in sub.choices.items():
        assert command.description, name
        assert command.epilog and f"accord {name}" in command.epilog, name


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = _run("report", str(missing), "--format", "json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(missing) in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_published_date_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("report", str(tmp_path), "--published", "22/11/2023")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_unexpected_errors_reach_the_user_as_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import accord.pipeline

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(accord.pipeline, "report", broken)
    assert main(["report", "whatever"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: disk on fire" in err
    assert "Traceback" not in err


def test_report_of_a_mixed_folder_writes_one_file_per_story(tmp_path: Path) -> None:
    import json

    from mixed_stories import story_of, write_mixed

    folder = write_mixed(tmp_path / "mixed")
    result = _run("report", str(folder), "--format", "json", "-o", f"{tmp_path}/out/")
    assert result.returncode == 0, result.stderr
    assert "report 4 separate stories" in result.stderr
    files = sorted((tmp_path / "out").glob("*.json"))
    assert len(files) == 4
    assert all(f.name.startswith("mixed-") for f in files)
    kinds = set()
    for file in files:
        data = json.loads(file.read_text("utf-8"))
        assert len(data["stories"]) == 1
        found = {story_of(a["id"]) for a in data["stories"][0]["articles"]}
        assert len(found) == 1
        kinds |= found
    assert kinds == {"fire", "oil", "cafe", "budget"}
