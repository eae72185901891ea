"""The import page in Chromium: upload a small CSV, map a column and a value, set a date format,
preview the rows as they would be imported, save the mapping, import; then the CLI imports
another file with the same saved mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from e2e_server import Server, login
from typer.testing import CliRunner

from attain.cli import app
from attain.data.store import get_engine


def _csv(path: Path, rep: str, ids: tuple[str, str]) -> Path:
    path.write_text(
        "Opportunity,owner,stage,amount,currency,Closed\n"
        f"{ids[0]},{rep},Closed Won,150.25,USD,11/03/2026\n"
        f"{ids[1]},{rep},Closed Won,49.75,USD,11/27/2026\n",
        encoding="utf-8",
    )
    return path


def test_map_a_column_and_a_value_preview_save_import(
    server: Server, browser_context: Any, tmp_path: Path
) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "admin")
    page.goto(f"{server.url}/imports")
    page.select_option("#import-table", "deals")
    page.set_input_files(
        "#import-file", str(_csv(tmp_path / "crm.csv", server.company.rep, ("BR-1", "BR-2")))
    )
    page.click("#import-check")
    page.wait_for_selector("#mapping-form")
    assert "missing required column 'id'" in page.locator("#import-error").inner_text()

    page.select_option("#fill-id", "Opportunity")
    page.select_option("#fill-close_date", "Closed")
    page.fill("#date-close_date", "%m/%d/%Y")
    page.fill("#values-stage", "Closed Won => won")
    page.click("#mapping-preview")
    page.wait_for_selector("#import-preview")
    assert "would import 2 rows: 2 inserted" in page.locator("#import-report").inner_text()
    first = page.locator("#import-preview tbody tr").first.inner_text()
    assert (
        "BR-1" in first and "won" in first and "2026-11-03" in first and "Closed Won" not in first
    )

    # on a phone the wide tables scroll inside the page; the page itself fits
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})

    page.fill("#mapping-name", "browser-deals")
    page.click("#mapping-save")
    page.wait_for_selector("#import-flash")
    assert "saved mapping 'browser-deals' for deals" in page.locator("#import-flash").inner_text()
    page.click("#import-confirm")
    page.wait_for_selector("#import-done")
    assert "2 inserted" in page.locator("#import-done").inner_text()

    later = _csv(tmp_path / "crm-later.csv", server.company.rep, ("BR-3", "BR-4"))
    result = CliRunner().invoke(
        app,
        ["import", "deals", str(later), "--mapping", "browser-deals", "--db", server.company.url],
        env={"ATTAIN_TOKEN": server.company.tokens["admin"]},
    )
    assert result.exit_code == 0, result.stderr
    with get_engine(server.company.url).connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, stage, close_date FROM deals WHERE id LIKE 'BR-%' ORDER BY id")
        ).all()
    assert [tuple(map(str, r)) for r in found] == [
        ("BR-1", "won", "2026-11-03"),
        ("BR-2", "won", "2026-11-27"),
        ("BR-3", "won", "2026-11-03"),
        ("BR-4", "won", "2026-11-27"),
    ]
