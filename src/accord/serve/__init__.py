"""``accord serve``: a read-only web app over the corpus store.

Browse the stories of a store (newest, most sources, most disputed; by date, outlet or
"has discrepancies"), open a story's cross-checked report, read each article with its
removed boilerplate and copies, search titles and text, and read the same through a
JSON API (``/api/stories``, ``/api/stories/{id}``, ``/api/search``) or an Atom feed of
new discrepancies (``/feed.atom``).

Safe by default: it binds to loopback; any other address needs an access token; it
opens the store read-only. Example::

    from accord.serve import ServeOptions, serve
    serve(ServeOptions(db_url="sqlite:///accord.db"))      # http://127.0.0.1:8000/

Needs the ``serve`` extra (``pip install 'accord[serve]'``: Starlette and uvicorn).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.errors import MissingExtraError, StoreError, UsageError

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["ServeOptions", "build_app", "serve", "worker_app"]

log = logging.getLogger(__name__)

#: The environment variable read when no ``--token`` is given.
TOKEN_ENV = "ACCORD_TOKEN"
#: How the options reach the worker processes of ``--workers N`` (JSON, set by :func:`serve`).
OPTIONS_ENV = "ACCORD_SERVE_OPTIONS"
MAX_WORKERS = 64
_LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


@dataclass(frozen=True, kw_only=True, slots=True)
class ServeOptions:
    """Settings for :func:`serve`.

    Args:
        db_url: the store (a SQLAlchemy URL or a SQLite file path).
        host, port: where to listen (loopback by default).
        token: the access token every request must carry; required unless ``host`` is
            loopback. None reads the ``ACCORD_TOKEN`` environment variable.
        upgrade: bring an older store's schema up to date before serving (the only write).
        workers: server processes answering on the same port (each with its own connections and
            kept answers); 1 serves from this process.
        cache_mb: memory (MB, per process) for answers kept until the store changes; 0 keeps none.
    """

    db_url: str = "sqlite:///accord.db"
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    upgrade: bool = False
    workers: int = 1
    cache_mb: int = 64

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise UsageError(f"port must be between 0 and 65535, not {self.port}")
        if not 1 <= self.workers <= MAX_WORKERS:
            raise UsageError(f"workers must be between 1 and {MAX_WORKERS}, not {self.workers}")
        if not 0 <= self.cache_mb <= 65536:
            raise UsageError(f"cache-mb must be between 0 and 65536, not {self.cache_mb}")
        if self.token is not None and len(self.token) < 16:
            raise UsageError("the token must be at least 16 characters (try: python -c "
                             "'import secrets; print(secrets.token_urlsafe())')")


def resolved_token(options: ServeOptions) -> str | None:
    """The token to require: the option, else ``ACCORD_TOKEN``; an error when a non-loopback host has none."""
    from accord.serve.security import is_loopback

    token = options.token or os.environ.get(TOKEN_ENV) or None
    if token is not None and len(token) < 16:
        raise UsageError(f"the token in {TOKEN_ENV} must be at least 16 characters")
    if token is None and not is_loopback(options.host):
        raise UsageError(f"--host {options.host} makes the store reachable from other machines: give --token "
                         f"(or set {TOKEN_ENV}) so every request must carry it, or use --host 127.0.0.1")
    return token


def build_app(options: ServeOptions) -> Starlette:
    """The app for ``options``, over a read-only engine, after checking the token rule and the schema."""
    try:
        from accord.serve.app import create_app
        from accord.serve.db import open_readonly, schema_state
        from accord.serve.security import is_loopback
    except ModuleNotFoundError as exc:
        if exc.name in ("starlette", "uvicorn", "anyio"):
            raise MissingExtraError("the web app (starlette, uvicorn)", "serve") from None
        raise
    token = resolved_token(options)
    if options.upgrade:
        from accord.store import Store

        Store.open(options.db_url).close()
    engine = open_readonly(options.db_url)
    current, head = schema_state(engine)
    if current is None:
        engine.dispose()
        raise StoreError(f"{options.db_url} is not an accord store: create one with "
                         f"`accord ingest INPUT... --db {options.db_url}`")
    if current != head:
        engine.dispose()
        raise StoreError(f"the store's schema is at revision {current} and this accord needs {head}: run "
                         f"`accord serve --db {options.db_url} --upgrade` once (it upgrades the schema, "
                         "then serves read-only)")
    allowed = _LOOPBACK_HOSTS if is_loopback(options.host) else None
    return create_app(engine, token=token, allowed_hosts=allowed, db_hint=options.db_url,
                      cache_bytes=options.cache_mb * 1024 * 1024)


def serve(options: ServeOptions, *, ready: Callable[[str], None] | None = None) -> None:
    """Serve the store until interrupted; ``ready(address)`` is called once it is set up.

    One uvicorn process, or with ``workers`` above 1 that many worker processes on the
    same port, each building its app from the same options (checked here first).
    """
    app = build_app(options)
    import uvicorn

    host = options.host.strip("[]")
    shown = f"[{host}]" if ":" in host else host
    settings = {"host": host, "port": options.port, "log_level": "warning", "server_header": False,
                "proxy_headers": False, "access_log": False}
    if options.workers > 1:
        app.state.engine.dispose()
        # The workers start from nothing: they read the options (the token too) from the environment.
        checked = dataclasses.replace(options, upgrade=False, token=resolved_token(options))
        os.environ[OPTIONS_ENV] = json.dumps(dataclasses.asdict(checked))
        if ready is not None:
            ready(f"http://{shown}:{options.port}/")
        uvicorn.run("accord.serve:worker_app", factory=True, workers=options.workers, **settings)
        return
    if ready is not None:
        ready(f"http://{shown}:{options.port}/")
    uvicorn.run(app, **settings)


def worker_app() -> Starlette:
    """The app of one worker process of ``accord serve --workers N`` (see :func:`serve`)."""
    text = os.environ.get(OPTIONS_ENV)
    if not text:
        raise UsageError(f"{OPTIONS_ENV} is not set: start workers through accord serve --workers N")
    return build_app(ServeOptions(**json.loads(text)))
