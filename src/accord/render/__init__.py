"""Views of a report: the JSON contract, Markdown, a terminal view and a self-contained HTML page.

The JSON report is the contract (see ``accord.schema``); the other formats are
views of the same :class:`~accord.models.Report`::

    from accord.render import to_json, to_markdown, to_html
    to_html(report)            # one self-contained page, no network needed

:func:`write_report` is what ``accord report`` calls: it picks the format and
the destination (stdout, a file, or a directory named after the story).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from accord.errors import AccordError, UsageError
from accord.models import Report, to_dict
from accord.render import _view as view
from accord.render.html import to_html
from accord.render.markdown import to_markdown
from accord.render.terminal import print_terminal, to_text

__all__ = [
    "FORMATS",
    "print_terminal",
    "render",
    "story_name",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
    "write_report",
    "write_reports",
]

log = logging.getLogger(__name__)

#: Output formats and the file extension each is written with. A terminal view
#: written to a file (or piped with ``--format terminal``) is its plain text.
FORMATS = {"json": "json", "markdown": "md", "html": "html", "terminal": "txt"}
_BY_SUFFIX = {".json": "json", ".md": "markdown", ".markdown": "markdown",
              ".html": "html", ".htm": "html", ".txt": "terminal"}
_UNSAFE_NAME = re.compile(r"[^\w.-]+", re.UNICODE)


def to_json(report: Report) -> str:
    """The report as the contract's JSON: byte-identical for the same report."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def render(report: Report, fmt: str, *, disputed_only: bool = False) -> str:
    """The report as text in one of :data:`FORMATS` (terminal: its plain-text view).

    ``disputed_only`` keeps only what the sources dispute (in JSON too: facts, summary,
    timeline and single-source claims come out empty).
    """
    if fmt == "json":
        return to_json(view.disputed(report) if disputed_only else report)
    if fmt == "markdown":
        return to_markdown(report, disputed_only=disputed_only)
    if fmt == "html":
        return to_html(report, disputed_only=disputed_only)
    if fmt == "terminal":
        return to_text(report, disputed_only=disputed_only)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_report(
    report: Report,
    *,
    fmt: str | None,
    output: Path | str | None,
    inputs: Sequence[str | Path] = (),
    create_parent: bool = False,
    pager: bool = False,
    disputed_only: bool = False,
) -> Path | None:
    """Write the report where ``accord report`` was asked to, and return the file written.

    Args:
        report: the report to write.
        fmt: one of :data:`FORMATS`, or None: then the suffix of an ``output``
            file decides (``.html``, ``.json``, ``.md``, ``.txt``), else Markdown.
        output: None writes to stdout (the terminal view in colour when ``fmt``
            is "terminal" and stdout is a terminal) and returns None. An existing
            directory, or a string ending in "/", gets ``<story-name>.<ext>``
            inside it, the story name coming from ``inputs`` (see
            :func:`story_name`). Anything else is the file to write.
        inputs: the inputs the report was made from, for the story name.
        create_parent: create the directory of an ``output`` file when missing.
        pager: on a terminal, show a terminal view taller than the screen through a
            pager (see :mod:`accord.render.pager`).
        disputed_only: show only what the sources dispute (see :func:`render`).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if output is None:
        _write_stdout(report, fmt or "markdown", pager=pager, disputed_only=disputed_only)
        return None
    as_dir = isinstance(output, str) and output.endswith(("/", "\\"))
    path = Path(output)
    if as_dir or path.is_dir():
        fmt = fmt or "markdown"
        path = path / f"{story_name(report, inputs)}.{FORMATS[fmt]}"
    else:
        fmt = fmt or _BY_SUFFIX.get(path.suffix.lower(), "markdown")
    text = render(report, fmt, disputed_only=disputed_only)
    try:
        if as_dir or create_parent:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise UsageError(f"cannot write {path}: directory {path.parent} does not exist (create it first)")
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AccordError(f"cannot write {path}: {exc.strerror or exc}") from exc
    log.info("wrote %s (%s)", path, fmt)
    return path


def write_reports(
    report: Report,
    *,
    fmt: str | None,
    output: Path | str | None,
    inputs: Sequence[str | Path] = (),
    pager: bool = False,
    disputed_only: bool = False,
) -> list[Path]:
    """Like :func:`write_report`, but a directory gets one file per story.

    A report of several stories written into a directory (an existing one, or a
    string ending in "/") becomes ``<name>-<n>-<story title>.<ext>`` for each story
    ``n`` (every file lists the skipped inputs); to stdout or into one file the
    stories come one after another (``pager``, ``disputed_only``: see :func:`write_report`). Returns the
    files written.
    """
    if output is None or len(report.stories) < 2:
        written = write_report(report, fmt=fmt, output=output, inputs=inputs, pager=pager,
                               disputed_only=disputed_only)
        return [] if written is None else [written]
    as_dir = isinstance(output, str) and output.endswith(("/", "\\"))
    if not (as_dir or Path(output).is_dir()):
        written = write_report(report, fmt=fmt, output=output, inputs=inputs, disputed_only=disputed_only)
        return [] if written is None else [written]
    base = story_name(report, inputs)
    paths = []
    for number, story in enumerate(report.stories, start=1):
        single = replace(report, stories=(story,))
        name = f"{base}-{number}-{_slug(story.title)}".rstrip("-")
        paths.append(write_report(single, fmt=fmt or "markdown", output=Path(output) / f"{name}.{FORMATS[fmt or 'markdown']}",
                                  inputs=inputs, create_parent=as_dir, disputed_only=disputed_only))
    return [p for p in paths if p is not None]


def _slug(title: str, limit: int = 40) -> str:
    """A file-name-safe, lower-case, shortened form of a title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE_NAME.sub("-", ascii_title.lower()).strip(".-_")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def story_name(report: Report, inputs: Sequence[str | Path]) -> str:
    """A file name for the report: the single input directory's name, else the first
    input file's stem, else the story id (else "report")."""
    given = [Path(i) for i in inputs if str(i) != "-"]
    name = ""
    if len(given) == 1 and given[0].is_dir():
        name = given[0].resolve().name
    if not name:
        name = next((p.stem for p in given if not p.is_dir()), "")
    if not name and report.stories:
        name = report.stories[0].id
    name = _UNSAFE_NAME.sub("-", name).strip(".-")
    return name or "report"


def _write_stdout(report: Report, fmt: str, *, pager: bool = False, disputed_only: bool = False) -> None:
    if fmt == "terminal":
        if pager and sys.stdout.isatty():
            import shutil

            from accord.render.pager import page
            from accord.render.terminal import to_ansi

            size = shutil.get_terminal_size()
            text = to_ansi(report, size.columns, disputed_only=disputed_only)
            if text.count("\n") >= size.lines and page(text):
                return
            sys.stdout.write(text)
            return
        print_terminal(report, disputed_only=disputed_only)
        return
    text = render(report, fmt, disputed_only=disputed_only)
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    # Write UTF-8 bytes so article text survives a stdout with a narrower encoding.
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
