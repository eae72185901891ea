"""A refusal of the pay lifecycle that a page did not handle itself is still a page: the reason
in one line and a way back to where the form was, never a bare 409."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_client import log_in
from web_company import Company

from attain.pay import PayError
from attain.web.app import create_app


def test_an_unhandled_refusal_is_a_page_with_the_reason_and_a_way_back(company: Company) -> None:
    app = create_app(company.url, secure_cookies=False)

    @app.post("/try-it")
    def refused() -> None:
        raise PayError("period 2026-11 is closed: cannot add an adjustment")

    with TestClient(app, follow_redirects=False) as client:
        log_in(client, "finance")
        r = client.post("/try-it", headers={"referer": "http://testserver/periods?x=1"})
        assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")
        assert "<h1>Not done</h1>" in r.text
        assert "period 2026-11 is closed: cannot add an adjustment" in r.text
        assert '<a href="/periods?x=1" id="back">' in r.text
        # a referer from elsewhere is no way back
        r = client.post("/try-it", headers={"referer": "http://testserver//evil.example/x"})
        assert 'id="back"' not in r.text
        r = client.post("/try-it", headers={"referer": "https://evil.example/periods"})
        assert 'id="back"' not in r.text
