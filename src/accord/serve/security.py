"""The app's gatekeepers: the access token, security headers and the loopback rule.

Both are plain ASGI middleware, so they run on every request, including those for
unknown paths and static files.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

__all__ = ["PAGE_POLICY", "SecurityHeaders", "TokenGate", "is_loopback"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The policy of the app's own pages: its stylesheet, nothing else, from nowhere else.
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "base-uri 'none'; frame-ancestors 'none'")
#: The cookie that keeps a browser signed in after it opened a link with ``?token=``.
COOKIE = "accord_token"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class TokenGate:
    """Refuse every request without the token (a bearer header, the cookie, or ``?token=``).

    A request carrying the right ``?token=`` is redirected to the same address without it,
    with the token set as an HttpOnly, SameSite=Strict cookie, so the token does not stay in
    the address bar, the history or a Referer.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    def _ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8"), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on when it carries the token; answer 401 otherwise."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        if self._ok(bearer) or self._ok(request.cookies.get(COOKIE)):
            await self.app(scope, receive, send)
            return
        if self._ok(request.query_params.get("token")):
            kept = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                                 keep_blank_values=True) if k != "token"]
            target = request.url.path + (f"?{urlencode(kept)}" if kept else "")
            response: Response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self.token.decode("utf-8"), httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        elif request.url.path.startswith("/api/") or request.url.path.endswith(".atom"):
            response = JSONResponse({"error": "this server needs its access token: send "
                                              "'Authorization: Bearer TOKEN'"}, status_code=401)
        else:
            response = Response("This server needs its access token: open the address with ?token=TOKEN "
                                "(the one given to accord serve).\n", status_code=401, media_type="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="accord"'
        await response(scope, receive, send)


class SecurityHeaders:
    """Add a strict Content-Security-Policy (unless the page set its own) and related headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward the request; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = PAGE_POLICY
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
                headers.setdefault("Cache-Control", "no-cache")
            await send(message)

        await self.app(scope, receive, send_with_headers)

