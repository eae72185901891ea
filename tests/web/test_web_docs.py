"""docs/web.md cannot drift: every API resource and every capability is documented."""

from __future__ import annotations

from pathlib import Path

from attain.access import CAPABILITIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def test_every_api_resource_is_in_the_guide() -> None:
    from attain.web.app import create_app

    text = DOC.read_text(encoding="utf-8")
    paths = create_app("sqlite://", secure_cookies=False).openapi()["paths"]
    resources = {p.removeprefix("/api/v1").split("/")[1] for p in paths}
    missing = sorted(r for r in resources if f"/{r}" not in text)
    assert not missing, f"API resources missing from docs/web.md: {missing}"


def test_every_role_is_in_the_who_sees_what_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    roles = {r for roles in CAPABILITIES.values() for r in roles}
    assert all(f"| {role} |" in text for role in roles)
