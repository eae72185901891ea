"""Plans read the revenue data model and imported tables only.

Guards: a plan reading `web_users` (or the audit log, or sessions) passed the check, and its
simulated totals answered yes/no questions about password hashes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from web_company import Company

from attain.comp import plan_versions
from attain.comp.errors import PlanError
from attain.comp.simulate import simulate
from attain.data.store import get_engine

PROBE = """id: ae
currency: USD
period: month
credits:
  - id: probe
    from: {table}
    where: {where}
    to: '"x"'
    value: 1
    date: {date}
components:
  - {{id: bonus, amount: 1}}
"""

TABLES = [
    ("web_users", 'role == "admin"', "created_at"),
    ("web_sessions", "true", "created_at"),
    ("audit_log", "true", "at"),
]


def _probe(table: str, where: str, date: str) -> str:
    return PROBE.format(table=table, where=where, date=date)


@pytest.mark.parametrize(("table", "where", "date"), TABLES)
def test_the_check_refuses_a_plan_reading_a_table_outside_the_data_model(
    company: Company, table: str, where: str, date: str
) -> None:
    problems = plan_versions.check_plan_text(get_engine(company.url), _probe(table, where, date))
    assert [p.line for p in problems] == [6]
    assert f"may not read table `{table}`" in problems[0].message


def test_a_simulation_of_a_plan_reading_the_login_table_is_refused(company: Company) -> None:
    engine = get_engine(company.url)
    published = plan_versions.published(engine, "ae")
    assert published is not None
    revenue = _probe("deals", 'stage == "won"', "close_date")
    assert plan_versions.check_plan_text(engine, revenue) == []
    probe = _probe(*TABLES[0])
    with pytest.raises(PlanError, match="`web_users`"):
        simulate(engine, "ae", published.text, probe, dt.date(2020, 1, 1), dt.date(2030, 12, 31))
