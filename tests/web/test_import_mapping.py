"""The web import page maps a file (columns, values, date formats, derived columns), previews
the first rows as they would be imported, saves the mapping under a name, and the CLI imports
another file with that saved mapping."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner
from web_client import log_in, make_client
from web_company import Company

from attain.cli import app
from attain.data.ingest import load_mapping
from attain.data.store import get_engine


def _file(rep: str, ids: tuple[str, str]) -> bytes:
    return (
        "Opp,Rep,Stage,Value,Closed,Notes\n"
        f"{ids[0]},{rep},Closed Won,1200.50,11/03/2026,first\n"
        f"{ids[1]},{rep},closed won,99,11/30/2026,\n"
    ).encode()


def _form(csrf: str, **more: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "fill-id": "Opp",
        "fill-owner": "Rep",
        "fill-stage": "Stage",
        "values-stage": "Closed Won => won",
        "case-stage": "1",
        "fill-amount": "Value",
        "fill-close_date": "Closed",
        "date-close_date": "%m/%d/%Y",
        "derive": "currency: USD\nname: {join: [Opp, Notes], with: ' '}",
        **more,
    }


def test_map_preview_save_import_then_the_cli_uses_the_saved_mapping(
    company: Company, tmp_path: Path
) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        first = c.post(
            "/imports",
            data={"csrf": csrf, "table": "deals"},
            files={"file": ("crm.csv", _file(company.rep, ("W-1", "W-2")), "text/csv")},
        )
        # matched by name only, the file lacks an id: the page says so and offers the mapping
        assert first.status_code == 400
        assert "missing required column &#39;id&#39; for deals" in first.text
        assert "--map " not in first.text and "--map'" not in first.text
        sid = re.search(r'action="/imports/([^/]+)/mapping"', first.text)
        assert sid
        preview = c.post(f"/imports/{sid.group(1)}/mapping", data=_form(csrf, do="preview"))
        assert preview.status_code == 200, preview.text
        assert "would import 2 rows: 2 inserted" in preview.text
        table = re.search(r'<table id="import-preview">(.*?)</table>', preview.text, re.S)
        assert table
        cells = re.findall(r"<td>([^<]*)</td>", table.group(1))
        assert cells[:8] == [
            "2",
            "W-1",
            "W-1 first",
            company.rep,
            "1,200.50",
            "USD",
            "won",
            "2026-11-03",
        ]
        saved = c.post(
            f"/imports/{sid.group(1)}/mapping",
            data=_form(csrf, do="save", mapping_name="web-deals"),
        )
        assert "saved mapping &#39;web-deals&#39; for deals" in saved.text
        done = c.post(f"/imports/{sid.group(1)}/confirm", data={"csrf": csrf})
        assert done.status_code == 200 and "2 inserted" in done.text

    mapping = load_mapping(company.url, "web-deals")
    assert mapping.table == "deals" and "Closed Won: won" in mapping.spec_text
    second = tmp_path / "crm-december.csv"
    second.write_bytes(_file(company.rep, ("W-3", "W-4")))
    result = CliRunner().invoke(
        app,
        ["import", "deals", str(second), "--mapping", "web-deals", "--db", company.url],
        env={"ATTAIN_TOKEN": company.tokens["admin"]},
    )
    assert result.exit_code == 0, result.stderr
    assert "2 inserted" in result.stdout
    with get_engine(company.url).connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT id, stage, close_date, currency FROM deals WHERE id LIKE 'W-%' ORDER BY id"
            )
        ).all()
    assert [tuple(map(str, r)) for r in found] == [
        ("W-1", "won", "2026-11-03", "USD"),
        ("W-2", "won", "2026-11-30", "USD"),
        ("W-3", "won", "2026-11-03", "USD"),
        ("W-4", "won", "2026-11-30", "USD"),
    ]


def test_a_bad_value_line_is_shown_with_what_was_typed(company: Company) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        first = c.post(
            "/imports",
            data={"csrf": csrf, "table": "deals"},
            files={"file": ("crm.csv", _file(company.rep, ("W-1", "W-2")), "text/csv")},
        )
        sid = re.search(r'action="/imports/([^/]+)/mapping"', first.text)
        assert sid
        bad = c.post(
            f"/imports/{sid.group(1)}/mapping",
            data=_form(csrf, do="preview", **{"values-stage": "Closed Won -> won"}),
        )
        assert bad.status_code == 400
        assert "values of &#39;stage&#39;, line 1: write it as" in bad.text
        # what was typed stays on the page, to be corrected rather than typed again
        assert '<option value="Opp" selected>' in bad.text
        assert ">Closed Won -&gt; won</textarea>" in bad.text
        assert 'id="date-close_date" value="%m/%d/%Y"' in bad.text


def test_the_api_imports_with_a_saved_mapping(company: Company) -> None:
    from attain.actions.mappings import save_mapping
    from attain.audit.actor import Actor

    spec = "table: deals\ncolumns: {Opp: id, Rep: owner, Value: amount, Closed: close_date}\n"
    spec += "values: {stage: {Closed Won: won, closed won: won}}\ndates: {close_date: '%m/%d/%Y'}\n"
    save_mapping(company.url, Actor("admin", "admin"), "api-deals", "deals", spec)
    headers = {"Authorization": f"Bearer {company.tokens['admin']}"}
    with make_client(company) as c:
        upload = {"file": ("crm.csv", _file(company.rep, ("A-1", "A-2")), "text/csv")}
        r = c.post("/api/v1/imports/deals?mapping=api-deals", files=upload, headers=headers)
        assert r.status_code == 200, r.text
        assert (r.json()["inserted"], r.json()["rejected"]) == (2, 0)
        assert r.json()["dry_run"] is True
        wrong = c.post("/api/v1/imports/orders?mapping=api-deals", files=upload, headers=headers)
        assert wrong.status_code == 400
        assert "mapping 'api-deals' is for deals, not orders" in wrong.text
