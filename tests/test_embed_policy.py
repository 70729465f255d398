"""The framing policy header, checked on the WSGI app without a browser."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def test_default_policy_is_self(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATLAS_FRAME_ANCESTORS", raising=False)
    for path in ("/", "/embed?view=map"):
        assert client.get(path).headers["Content-Security-Policy"].startswith("frame-ancestors 'self'; ")


def test_policy_from_environment(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_FRAME_ANCESTORS", "'self' https://www.example.org")
    policy = client.get("/embed").headers["Content-Security-Policy"]
    assert policy.startswith("frame-ancestors 'self' https://www.example.org; ")
