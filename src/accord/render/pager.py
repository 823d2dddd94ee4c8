"""Long terminal output through a pager, as git does: ``$ACCORD_PAGER``, else ``$PAGER``, else ``less``.

``less`` is started with ``LESS=FRX`` unless the user set ``LESS``: it quits at once when
the text fits the screen (F), keeps colours (R) and leaves the text on the screen (X).
An empty pager or ``cat`` means no pager.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

__all__ = ["page", "pager_command"]

log = logging.getLogger(__name__)


def pager_command() -> str | None:
    """The pager to run, or None when the user turned paging off or none is installed."""
    for name in ("ACCORD_PAGER", "PAGER"):
        if name in os.environ:
            command = os.environ[name].strip()
            return None if command in ("", "cat") else command
    return "less" if shutil.which("less") else None


def page(text: str, *, command: str | None = None) -> bool:
    """Show ``text`` through the pager; return False (writing nothing) when there is none to run."""
    command = command or pager_command()
    if command is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)  # noqa: S602 - the user's own pager setting, as git runs it
    except OSError as exc:
        log.warning("cannot start the pager %r (%s): printing instead", command, exc)
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8", errors="replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    except KeyboardInterrupt:
        pass
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager, as with git
    if code == 127:
        log.warning("the pager %r was not found: set PAGER, or use --no-pager", command)
        sys.stdout.write(text)
    return True
