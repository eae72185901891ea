"""A draft plan with several errors is refused by the API with every error at its line and
column."""

from __future__ import annotations

from web_client import make_client
from web_company import Company

from attain.comp import plan_versions
from attain.data.store import get_engine


def test_a_draft_with_two_typos_is_refused_with_both_at_their_place(company: Company) -> None:
    text = plan_versions.published(get_engine(company.url), "ae").text  # type: ignore[union-attr]
    broken = text.replace("value: amount", "value: amont").replace(
        "measure: bookings", "measure: bookngs", 1
    )
    lines = broken.split("\n")
    amont = next(i for i, ln in enumerate(lines) if "value: amont" in ln)
    bookngs = next(i for i, ln in enumerate(lines) if "measure: bookngs" in ln)
    headers = {"Authorization": f"Bearer {company.tokens['admin']}"}
    with make_client(company) as c:
        r = c.post("/api/v1/plans/ae/versions", json={"text": broken}, headers=headers)
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [
        (amont + 1, lines[amont].index("amont") + 1),
        (bookngs + 1, lines[bookngs].index("bookngs") + 1),
    ]
    assert "unknown column `amont`" in problems[0]["message"]
    assert "unknown measure `bookngs`" in problems[1]["message"]
