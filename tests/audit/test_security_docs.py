"""docs/security.md names every capability and every audited action, so the page an auditor
reads cannot fall behind the code (a new capability or action fails here until it is listed)."""

from __future__ import annotations

from pathlib import Path

from attain.access import CAPABILITIES
from attain.actions.catalog import all_actions

PAGE = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_security_page_lists_every_capability_and_action() -> None:
    text = PAGE.read_text()
    missing = [c for c in CAPABILITIES if f"| `{c}` |" not in text]
    assert not missing, f"capabilities missing from docs/security.md: {missing}"
    missing = [a for a in all_actions() if f"`{a}`" not in text]
    assert not missing, f"actions missing from docs/security.md: {missing}"


def test_the_readme_and_the_guide_link_the_security_page() -> None:
    root = PAGE.parents[1]
    assert "docs/security.md" in (root / "README.md").read_text()
    assert "(security.md)" in (root / "docs" / "index.md").read_text()
