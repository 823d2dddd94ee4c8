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


@pytest.mark.parametrize(("argv", "wrong", "allowed"), [
    (["report", "x", "--sentences", "0"], "--sentences: 0", "1 or more"),
    (["report", "x", "--sentences", "six"], "--sentences: 'six'", "whole number"),
    (["report", "x", "--max-size", "0"], "--max-size: 0", "above 0"),
    (["report", "x", "--max-size", "nan"], "--max-size: nan", "above 0"),
    (["ingest", "x", "--workers", "0"], "--workers: 0", "1 or more"),
    (["stories", "--limit", "-1"], "--limit: -1", "0 or more"),
    (["stories", "--db", "story-123"], "--db: 'story-123'", "sqlite:///FILE.db"),
    (["ingest", "x", "--db", "mysql://h/db"], "'mysql' stores", "postgresql://"),
])
def test_bad_argument_values_are_usage_errors_saying_what_is_allowed(
    argv: list[str], wrong: str, allowed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert wrong in err and allowed in err
    assert "internal error" not in err


def test_story_with_inputs_and_db_without_story_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "story/", "--story", "story-1", "--db", "sqlite:///x.db"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["report", "story/", "--db", "sqlite:///x.db"]) == 2
    assert "only used with --story" in capsys.readouterr().err


def test_exit_codes_are_listed_in_help() -> None:
    parser = build_parser()
    text = parser.format_help()
    for code in ("0", "1", "2", "3", "4", "130"):
        assert f"\n  {code} " in text
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001
    assert "exit status:" in sub.choices["report"].format_help()


def test_readme_lists_the_exit_codes() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    for code in ("`0`", "`1`", "`2`", "`3`", "`4`", "`130`"):
        assert code in readme


def test_library_log_messages_stay_out_of_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<p>", "utf-8")
    assert main(["report", str(page), "--format", "json"]) == 1
    err = capsys.readouterr().err
    assert "parsed tree" not in err and "discarding data" not in err
    assert f"skipped {page}: not an HTML page" in err


def test_invalid_bytes_on_stdin_are_replaced_with_a_warning() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", "quantities"],
        input=b"About 62 people \xff were hurt.\nFourteen were injured.\n", capture_output=True, timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode("utf-8")
    assert "not valid UTF-8 (first at line 1)" in err and "Traceback" not in err
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2
    assert '"value": 62' in lines[0]


def test_pager_runs_the_users_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.render.pager import page, pager_command

    target = tmp_path / "paged.txt"
    assert page("line one\nline two\n", command=f"cat > {target}")
    assert target.read_text("utf-8") == "line one\nline two\n"
    monkeypatch.setenv("ACCORD_PAGER", "")
    assert pager_command() is None
    monkeypatch.setenv("ACCORD_PAGER", "more -s")
    assert pager_command() == "more -s"


def test_terminal_view_is_not_paged_off_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from accord.models import Report
    from accord.render import write_report

    called: list[str] = []
    monkeypatch.setattr("accord.render.pager.page", lambda text, **_: called.append(text) or True)
    write_report(Report(stories=()), fmt="terminal", output=None, pager=True)
    assert not called
    assert "No story" in capsys.readouterr().out
