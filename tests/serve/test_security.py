"""The token rule: loopback by default, a token for any other address, checked on every request."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from accord.cli import main
from accord.errors import UsageError
from accord.serve import ServeOptions, build_app, resolved_token
from accord.serve.security import is_loopback

TOKEN = "correct-horse-battery-staple"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_non_loopback_host_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_TOKEN", raising=False)
    with pytest.raises(UsageError, match="--token"):
        resolved_token(ServeOptions(host="0.0.0.0"))
    assert resolved_token(ServeOptions(host="0.0.0.0", token=TOKEN)) == TOKEN
    assert resolved_token(ServeOptions()) is None
    monkeypatch.setenv("ACCORD_TOKEN", TOKEN)
    assert resolved_token(ServeOptions(host="0.0.0.0")) == TOKEN
    with pytest.raises(UsageError, match="16 characters"):
        ServeOptions(token="short")


def test_the_command_refuses_a_public_address_without_a_token(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str],
                                                              built_store: Path) -> None:
    monkeypatch.delenv("ACCORD_TOKEN", raising=False)
    assert main(["serve", "--db", str(built_store), "--host", "0.0.0.0"]) == 2
    assert "--token" in capsys.readouterr().err


@pytest.fixture
def guarded(built_store: Path) -> TestClient:
    app = build_app(ServeOptions(db_url=str(built_store), host="0.0.0.0", token=TOKEN))
    yield TestClient(app, base_url="http://192.0.2.10:8000", follow_redirects=False)
    app.state.engine.dispose()


@pytest.mark.parametrize("path", ["/", "/search?q=fire", "/api/stories", "/feed.atom", "/static/app.css",
                                  "/no/such/page", "/stories/x"])
def test_every_request_without_the_token_is_refused(guarded: TestClient, path: str) -> None:
    response = guarded.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert guarded.get(path, headers={"authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    assert guarded.get(path, headers={"cookie": "accord_token=wrong"}).status_code == 401


def test_the_token_opens_the_app_by_header_or_by_link_then_cookie(guarded: TestClient) -> None:
    assert guarded.get("/api/stories", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    first = guarded.get(f"/?sort=disputed&token={TOKEN}")
    assert first.status_code == 303 and first.headers["location"] == "/?sort=disputed"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert guarded.get("/?sort=disputed").status_code == 200
