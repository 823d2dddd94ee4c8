"""The web app: stories list, story report, article, search, a JSON API and an Atom feed.

Every page reads the store through a read-only engine (:mod:`accord.serve.db`) and
never runs the pipeline: a story's report is the one kept in the store
(:mod:`accord.report_store`); a story without one says so and names the command that
computes it. Story pages are the HTML report itself (:func:`accord.render.to_html`),
with the app's navigation and article links added, so a story looks the same served
and as a file. All other pages come from this package's templates, autoescaped.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import re
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import anyio
import anyio.to_thread
import sqlalchemy as sa
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from accord.report_store import load_stored_report
from accord.serve import db
from accord.serve.cache import DEFAULT_CACHE_BYTES, CachedResponse, ResponseCache, StoreVersion, store_version
from accord.serve.security import SecurityHeaders, TokenGate

__all__ = ["create_app"]

log = logging.getLogger(__name__)

#: Longest query string, and longest single parameter value, accepted.
MAX_QUERY_STRING = 2000
MAX_PARAM = 200
MAX_PAGE = 10_000
PER_PAGE = 25
SEARCH_PER_PAGE = 20
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_KEY = re.compile(r"[0-9a-f]{32}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
#: Rendered story pages kept in memory, keyed by story and report time.
_CACHE_SIZE = 128


# --------------------------------------------------------------------------- helpers


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("accord.serve", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["marked"] = marked
    env.filters["http_url"] = http_url
    env.globals["app_name"] = "accord"
    return env


def marked(text: str | None) -> Markup:
    """Escape ``text``, then turn the search marks into ``<mark>`` elements."""
    escaped = str(escape(text or ""))
    return Markup(escaped.replace(db.MARK_OPEN, "<mark>").replace(db.MARK_CLOSE, "</mark>"))  # noqa: S704


def http_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: only those become links."""
    return url if url and re.match(r"https?://", url, flags=re.IGNORECASE) else None


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_environment().get_template(name).render(**context), status_code=status)


def _params(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The request's known query parameters, after the length and character checks (400 otherwise)."""
    if len(request.scope.get("query_string", b"")) > MAX_QUERY_STRING:
        raise HTTPException(400, f"the query is too long (at most {MAX_QUERY_STRING} characters)")
    found: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            continue
        if len(value) > MAX_PARAM:
            raise HTTPException(400, f"{name} is too long (at most {MAX_PARAM} characters)")
        if _CONTROL.search(value):
            raise HTTPException(400, f"{name} contains control characters")
        found[name] = value.strip()
    return found


def _int(params: dict[str, str], name: str, default: int, high: int) -> int:
    value = params.get(name) or ""
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise HTTPException(400, f"{name} must be a whole number from 1 to {high}")
    return int(value)


def _date(params: dict[str, str], name: str) -> str | None:
    value = params.get(name) or ""
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(400, f"{name} must be a date in the form YYYY-MM-DD") from None


def _story_query(request: Request) -> tuple[db.StoryQuery, dict[str, str]]:
    params = _params(request, ("sort", "since", "until", "source", "disputed", "page", "per_page"))
    sort = params.get("sort") or "newest"
    if sort not in db.SORTS:
        raise HTTPException(400, f"sort must be one of {', '.join(db.SORTS)}")
    disputed = params.get("disputed", "")
    if disputed not in ("", "0", "1", "on", "true"):
        raise HTTPException(400, "disputed must be 1 or 0")
    query = db.StoryQuery(sort=sort, since=_date(params, "since"), until=_date(params, "until"),
                          source=params.get("source") or None, disputed=disputed in ("1", "on", "true"),
                          page=_int(params, "page", 1, MAX_PAGE), per_page=_int(params, "per_page", PER_PAGE, 100))
    return query, params


def _story_list(request: Request) -> tuple[db.StoryQuery, dict[str, str], list[dict[str, Any]], int]:
    """The stories list as both the page and the API read it: the query, its parameters, one page of rows
    and how many stories match."""
    query, params = _story_query(request)
    rows, total = db.story_page(_engine(request), query, version=getattr(request.state, "store_version", None))
    return query, params, rows, total


def _link(params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: str(v) for k, v in changes.items()}}
    kept = {k: v for k, v in merged.items() if v not in ("", "None")}
    return "?" + urlencode(kept) if kept else "?"


def _engine(request: Request) -> sa.Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def _valid_id(story_id: str) -> str:
    if not _ID.fullmatch(story_id):
        raise HTTPException(404, "no such story")
    return story_id


# --------------------------------------------------------------------------- pages


def stories_page(request: Request) -> Response:
    """The stories, newest first by default, with sort, filters and paging."""
    query, params, rows, total = _story_list(request)
    pages = max(1, math.ceil(total / query.per_page))
    return _page("stories.html.j2", stories=rows, total=total, query=query, params=params, pages=pages,
                 sorts=db.SORTS, link=functools.partial(_link, params), title="Stories")


def story_page(request: Request) -> Response:
    """One story: its stored report as the HTML report shows it, or a note that none is stored yet."""
    story_id = _valid_id(request.path_params["story_id"])
    engine = _engine(request)
    row, members, stored = db.story_view(engine, story_id)
    if row is None:
        _row, merged = db.story(engine, story_id)
        if merged is not None:
            return RedirectResponse(request.url_for("story", story_id=merged).path, status_code=301)
        raise HTTPException(404, f"no story {story_id!r} in this store")
    html = None if stored is None else stored.html or _rendered_html(engine, story_id, stored)
    if html is None or stored is None:
        return _page("story_missing.html.j2", story=row, members=members, title=row["title"],
                     db_hint=request.app.state.db_hint)
    csp = _CSP_META.search(html)
    top = _environment().get_template("story_top.html.j2").render(story=row, stored=stored,
                                                                   db_hint=request.app.state.db_hint)
    bottom = _environment().get_template("story_articles.html.j2").render(story=row, members=members)
    page = html.replace("<body>", "<body>" + top, 1).replace("</main>", bottom + "</main>", 1)
    headers = {"Content-Security-Policy": (csp.group(1).replace("&#39;", "'").replace("&amp;", "&")
                                           + "; frame-ancestors 'none'") if csp else "default-src 'none'"}
    return HTMLResponse(page, headers=headers)


_html_cache: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_html_lock = threading.Lock()


def _rendered_html(engine: sa.Engine, story_id: str, stored: db.StoredPage) -> str | None:
    """The HTML report of a stored report saved without its page (before the store kept pages):
    rendered once per report version and kept in memory (None: the report is gone or empty)."""
    from accord.render import to_html

    key = (story_id, stored.fingerprint, stored.computed_at)
    with _html_lock:
        if key in _html_cache:
            _html_cache.move_to_end(key)
            return _html_cache[key]
    report = load_stored_report(engine, story_id)
    if report is None or not report.report.stories:
        return None
    html = to_html(report.report)
    with _html_lock:
        _html_cache[(story_id, report.fingerprint, report.computed_at)] = html
        while len(_html_cache) > _CACHE_SIZE:
            _html_cache.popitem(last=False)
    return html


def article_page(request: Request) -> Response:
    """One article: cleaned text, removed boilerplate with reasons, its story and its copies."""
    key = request.path_params["key"]
    if not _KEY.fullmatch(key):
        raise HTTPException(404, "no such article")
    engine = _engine(request)
    found = db.article(engine, key)
    if found is None:
        raise HTTPException(404, "no such article in this store")
    copies = db.article_copies(engine, key, found["copy_of"])
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", found["text"]) if p.strip()]
    return _page("article.html.j2", article=found, paragraphs=paragraphs, copies=copies, title=found["title"])


def search_page(request: Request) -> Response:
    """Full-text search over article titles and text, ranked, with highlighted snippets."""
    params = _params(request, ("q", "page"))
    text = params.get("q", "")
    page = _int(params, "page", 1, MAX_PAGE)
    found = (db.search(_engine(request), text, limit=SEARCH_PER_PAGE + 1, offset=(page - 1) * SEARCH_PER_PAGE)
             if text else db.SearchResult([], False))
    more = len(found.hits) > SEARCH_PER_PAGE
    return _page("search.html.j2", q=text, hits=found.hits[:SEARCH_PER_PAGE], page=page, more=more,
                 capped=found.capped, ranked_at_most=db.RANKED_AT_MOST,
                 words=db.query_words(text), link=functools.partial(_link, {"q": text}),
                 title=f"Search: {text}" if text else "Search")


def stylesheet(_request: Request) -> Response:
    """The app's stylesheet (served from the package: no third-party assets)."""
    return Response(_asset("app.css"), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@functools.cache
def _asset(name: str) -> str:
    return resources.files("accord.serve").joinpath("static").joinpath(name).read_text("utf-8")


# --------------------------------------------------------------------------- API and feed


def api_stories(request: Request) -> Response:
    """``/api/stories``: the stories list as JSON (same parameters as the page)."""
    query, _params, rows, total = _story_list(request)
    return JSONResponse({"total": total, "page": query.page, "per_page": query.per_page, "sort": query.sort,
                         "stories": [_api_story(row) for row in rows]})


def _api_story(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "articles": row["size"], "outlets": row["sources"],
            "independent_sources": row["independent"], "discrepancies": row["discrepancies"],
            "conflicts": row["conflicts"], "first_published": row["first_published"],
            "last_published": row["last_published"], "report": row["report"]}


def api_story(request: Request) -> Response:
    """``/api/stories/{id}``: the stored report, exactly the JSON report contract."""
    story_id = _valid_id(request.path_params["story_id"])
    engine = _engine(request)
    stored = db.report_text(engine, story_id)
    if stored is None:
        row, merged = db.story(engine, story_id)
        if row is None and merged is not None:
            return RedirectResponse(request.url_for("api_story", story_id=merged).path, status_code=301)
        if row is None:
            raise HTTPException(404, f"no story {story_id!r} in this store")
        raise HTTPException(404, f"no report is stored for story {story_id!r} yet: run "
                                 f"`accord ingest INPUT... --db {request.app.state.db_hint} --reports`")
    text, current, computed_at = stored
    return Response(text, media_type="application/json",
                    headers={"X-Accord-Report": "current" if current else "outdated",
                             "X-Accord-Computed-At": computed_at})


def api_search(request: Request) -> Response:
    """``/api/search?q=``: ranked hits with escaped, highlighted snippets."""
    params = _params(request, ("q", "page"))
    text = params.get("q", "")
    if not db.query_words(text):
        raise HTTPException(400, "give q, the words to search for")
    page = _int(params, "page", 1, MAX_PAGE)
    found = db.search(_engine(request), text, limit=SEARCH_PER_PAGE, offset=(page - 1) * SEARCH_PER_PAGE)
    return JSONResponse({"q": text, "page": page, "capped": found.capped, "hits": [
        {"article": h["key"], "title": h["plain_title"], "source": h["source"], "published": h["published"],
         "url": h["url"], "story": h["story_id"], "story_title": h["story_title"],
         "title_html": str(marked(h["title"])), "snippet_html": str(marked(h["snippet"]))} for h in found.hits]})


def atom_feed(request: Request) -> Response:
    """An Atom feed of the discrepancies the latest stored reports found, newest first."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    base = str(request.base_url).rstrip("/")
    rows = db.feed_reports(_engine(request))
    ET.SubElement(feed, f"{{{ns}}}title").text = "accord: new discrepancies"
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{base}/feed.atom"
    ET.SubElement(feed, f"{{{ns}}}updated").text = rows[0]["computed_at"] if rows else "1970-01-01T00:00:00Z"
    ET.SubElement(feed, f"{{{ns}}}link", rel="self", href=f"{base}/feed.atom")
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = "accord"
    for row in rows:
        report = json.loads(row["report"])
        for story in report.get("stories", [])[:1]:
            for disc in story.get("discrepancies", []):
                if disc.get("conflict"):
                    _feed_entry(feed, ns, base, row, disc)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, media_type="application/atom+xml")


def _feed_entry(feed: ET.Element, ns: str, base: str, row: dict[str, Any], disc: dict[str, Any]) -> None:
    values = " vs ".join(f"{v.get('qualifier') or ''}{v['value']} ({len(v.get('articles', []))} articles)"
                         for v in disc.get("values", []))
    entry = ET.SubElement(feed, f"{{{ns}}}entry")
    ET.SubElement(entry, f"{{{ns}}}title").text = f"{row['title']}: {disc.get('about') or disc.get('kind')}"
    ET.SubElement(entry, f"{{{ns}}}id").text = f"{base}/stories/{row['story_id']}#disc-{disc['id']}"
    ET.SubElement(entry, f"{{{ns}}}updated").text = row["computed_at"]
    ET.SubElement(entry, f"{{{ns}}}link", href=f"{base}/stories/{row['story_id']}#disc-{disc['id']}")
    ET.SubElement(entry, f"{{{ns}}}summary").text = f"Sources differ: {values}."


# --------------------------------------------------------------------------- kept answers


Page = Callable[[Request], Response]


#: Pages that may make the database work through many rows (a search ranks up to
#: :data:`accord.serve.db.RANKED_AT_MOST` matching articles; a list may sort every story), made
#: at most this many at a time of each kind in each process (``--workers`` processes make as
#: many as there are workers), so that a burst of them leaves CPU time to the pages that read a
#: few rows (a story, its report), and a burst of searches does not hold up the lists.
HEAVY_AT_ONCE = 1


def _kept(page: Page, *, heavy: str | None = None) -> Callable[[Request], Awaitable[Response]]:
    """``page`` answered from the answers kept in memory while the store has not changed.

    The key is the host, path and query string; only complete answers (200, and the
    redirects of merged stories) are kept, never errors. The store's version is read
    before the page's queries run (see :mod:`accord.serve.cache`). A page of a ``heavy``
    kind that must be made waits for one of the :data:`HEAVY_AT_ONCE` places of its kind;
    a kept one never waits.
    """

    def lookup(request: Request, version: Hashable) -> tuple[Hashable, Response | None]:
        key = (page.__name__, request.headers.get("host", ""), request.url.path,
               request.scope.get("query_string", b""))
        kept = request.app.state.cache.get(key, version)
        if kept is None:
            return key, None
        response = Response(kept.body, status_code=kept.status, media_type=kept.media_type)
        response.raw_headers = list(kept.headers)  # a copy: the security headers are added to it
        return key, response

    def answer(request: Request, version: Hashable, key: Hashable) -> Response:
        cache: ResponseCache = request.app.state.cache
        if cache.max_bytes > 0:
            request.state.store_version = version  # what the page may keep its own work under
        response = page(request)
        if response.status_code in (200, 301) and isinstance(response.body, bytes):
            cache.put(key, version, CachedResponse(status=response.status_code, body=response.body,
                                                   headers=tuple(response.raw_headers),
                                                   media_type=response.media_type))
        return response

    @functools.wraps(page)
    async def endpoint(request: Request) -> Response:
        state = request.app.state
        watch: StoreVersion = state.version
        # A version read over the network (PostgreSQL) is read in a worker thread.
        version = watch.current() if watch.inline else await anyio.to_thread.run_sync(watch.current)
        key, response = lookup(request, version)  # a kept answer is sent from the event loop
        if response is not None:
            return response
        limiter = state.heavy[heavy] if heavy else None
        return await anyio.to_thread.run_sync(answer, request, version, key, limiter=limiter)

    return endpoint


# --------------------------------------------------------------------------- errors


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    titles = {400: "Bad request", 401: "Access token needed", 404: "Not found", 405: "Method not allowed"}
    return _page("error.html.j2", status=status, title=titles.get(status, "Error"), message=message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else "no such page"
    return _error(request, exc.status_code, str(detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("error serving %s: %s: %s", request.url.path, type(exc).__name__, exc, exc_info=exc)
    return _error(request, 500, "the server could not answer this request (the error is in its log)")


# --------------------------------------------------------------------------- app


def _sort_lists(engine: sa.Engine, version: StoreVersion) -> None:
    """Sort the stories list in each order before the first request (a failure only costs that head start)."""
    try:
        db.sort_lists(engine, version.current())
    except sa.exc.SQLAlchemyError as exc:
        log.warning("could not sort the stories list ahead of the first request: %s", exc)


def create_app(engine: sa.Engine, *, token: str | None = None, allowed_hosts: list[str] | None = None,
               db_hint: str = "URL", cache_bytes: int = DEFAULT_CACHE_BYTES) -> Starlette:
    """The ASGI app over a (read-only) store engine.

    Args:
        engine: from :func:`accord.serve.db.open_readonly`.
        token: when given, every request must carry it (see :class:`~accord.serve.security.TokenGate`).
        allowed_hosts: Host headers accepted (None: any); guards a loopback server against DNS rebinding.
        db_hint: the store URL as the user gave it, for the commands pages suggest.
        cache_bytes: memory for answers kept until the store changes (0: keep none).
    """
    routes = [
        Route("/", _kept(stories_page, heavy="list"), name="stories"),
        Route("/stories/{story_id}", _kept(story_page), name="story"),
        Route("/articles/{key}", _kept(article_page), name="article"),
        Route("/search", _kept(search_page, heavy="search"), name="search"),
        Route("/static/app.css", stylesheet, name="stylesheet"),
        Route("/api/stories", _kept(api_stories, heavy="list"), name="api_stories"),
        Route("/api/stories/{story_id}", _kept(api_story), name="api_story"),
        Route("/api/search", _kept(api_search, heavy="search"), name="api_search"),
        Route("/feed.atom", _kept(atom_feed, heavy="list"), name="feed"),
    ]
    version = store_version(engine)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if cache_bytes > 0:
            await anyio.to_thread.run_sync(_sort_lists, engine, version)
        try:
            yield
        finally:
            version.close()

    middleware = [Middleware(SecurityHeaders)]  # type: ignore[arg-type]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if token:
        middleware.append(Middleware(TokenGate, token=token))  # type: ignore[arg-type]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.engine = engine
    app.state.db_hint = db_hint
    app.state.version = version
    app.state.cache = ResponseCache(cache_bytes)
    app.state.heavy = {kind: anyio.CapacityLimiter(HEAVY_AT_ONCE) for kind in ("list", "search")}
    return app
