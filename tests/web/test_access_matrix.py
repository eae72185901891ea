"""Every route x every role x own / another payee's object: 2xx, 403 or 404 as designed.

The table below has one entry per route; a route added without an entry fails
`test_every_route_has_an_entry`. "ok" means the request passed access control: a 2xx or a
redirect for reads, and for writes also a 400/409/422 about the request itself (a period in the
wrong state, say), never 401, 403 or 404.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from web_client import log_in, make_client
from web_company import PASSWORDS, Company

from attain.pay import Actor, raise_dispute

ROLES = ("admin", "finance", "manager", "rep")
OK = "ok"
Expect = str | int
Who = Callable[[str], tuple[Expect, Expect]]
"""role -> (expected with the role's own payee, expected with another payee)."""


def everyone(role: str) -> tuple[Expect, Expect]:
    return OK, OK


def only(*roles: str) -> Who:
    return lambda role: (OK, OK) if role in roles else (403, 403)


def payee_scoped(*roles: str) -> Who:
    """Roles with the feature see their own payee; only admin and finance see the other."""

    def who(role: str) -> tuple[Expect, Expect]:
        if role not in roles:
            return 403, 403
        return OK, OK if role in ("admin", "finance") else 404

    return who


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    params: dict[str, Any] | None = None


Build = Callable[[Company, str, str], Call]
"""(company, payee, csrf) -> the request."""

CSV = "id,owner,stage,amount,currency,close_date\nDM1,{owner},won,1000,USD,2026-01-15\n"


def _period(company: Company, payee: str | None = None) -> str:
    """The payee's (by default the rep's) latest period with lines."""
    from attain.comp.runs import run_lines
    from attain.data.store import get_engine

    lines = run_lines(get_engine(company.url), company.run_id, payee=payee or company.rep)
    return max(ln.period for ln in lines)


_DEALS = itertools.count(1)


def _dispute(company: Company, payee: str) -> int:
    """A new open dispute (a deal of its own: one dispute per deal is open at a time)."""
    return raise_dispute(
        company.url,
        Actor(payee, "rep"),
        payee=payee,
        period=_period(company),
        subject="x",
        deal=f"D1-{next(_DEALS)}",
    )


def _published(company: Company) -> Company:
    """The company as built: its run is in the pay ledger (a run is published once), so
    statements exist."""
    return company


def _staged(company: Company, payee: str) -> str:
    from attain.web import imports

    return imports.stage(company.url, "deals", "d.csv", CSV.format(owner=payee).encode()).id


def _plan_text(company: Company) -> str:
    from attain.comp import plan_versions
    from attain.data.store import get_engine

    found = plan_versions.published(get_engine(company.url), "ae")
    assert found is not None
    return found.text


def _quarter() -> str:
    from attain.comp.engine.periods import period_of
    from attain.web.deps import today

    return period_of(today(), "quarter").key


_OPEN_DEALS: dict[tuple[str, str], str] = {}


def _rules() -> str:
    from attain.process.conformance import EXAMPLES

    return (EXAMPLES / "deals.yaml").read_text(encoding="utf-8")


def _open_deal(company: Company, payee: str) -> str:
    """One of the payee's open deals, as the forecast scores it (found once: a forecast of a
    store whose calls changed is fitted again)."""
    from attain.data.store import get_engine
    from attain.web import forecast_cache
    from attain.web.deps import today

    key = (company.url, payee)
    if key not in _OPEN_DEALS:
        found = forecast_cache.pipeline(get_engine(company.url), _quarter(), today(), payee)
        _OPEN_DEALS[key] = found.deals[0].deal
    return _OPEN_DEALS[key]


def _call_who(role: str) -> tuple[Expect, Expect]:
    """A call for a rep: the rep themselves or an admin; a manager calls for themselves only."""
    return {"admin": (OK, OK), "finance": (403, 403), "manager": (403, 404), "rep": (OK, 404)}[role]


MATRIX: dict[str, tuple[Who, Build]] = {
    # -- API ---------------------------------------------------------------------------------
    "GET /api/v1/me": (everyone, lambda c, p, t: Call("GET", "/api/v1/me")),
    "GET /api/v1/me/earnings": (  # admin and finance here are no payee
        lambda role: (OK, OK) if role in ("manager", "rep") else (404, 404),
        lambda c, p, t: Call("GET", "/api/v1/me/earnings"),
    ),
    "GET /api/v1/payees": (everyone, lambda c, p, t: Call("GET", "/api/v1/payees")),
    "GET /api/v1/payees/{payee}/earnings": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/api/v1/payees/{p}/earnings"),
    ),
    "GET /api/v1/payees/{payee}/live": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/api/v1/payees/{p}/live"),
    ),
    "GET /api/v1/payees/{payee}/lines": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/api/v1/payees/{p}/lines"),
    ),
    "GET /api/v1/payees/{payee}/team": (
        payee_scoped("admin", "finance", "manager"),
        lambda c, p, t: Call("GET", f"/api/v1/payees/{p}/team"),
    ),
    "GET /api/v1/payees/{payee}/statements/{period}": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/api/v1/payees/{p}/statements/{_period(_published(c), p)}"),
    ),
    "POST /api/v1/payees/{payee}/whatif": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("POST", f"/api/v1/payees/{p}/whatif", json={"amount": "1000"}),
    ),
    "GET /api/v1/payouts": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/payouts"),
    ),
    "GET /api/v1/payouts/lines.csv": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/payouts/lines.csv", params={"period": "2026-01"}),
    ),
    "GET /api/v1/runs": (only("admin", "finance"), lambda c, p, t: Call("GET", "/api/v1/runs")),
    "GET /api/v1/runs/{run_id}": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", f"/api/v1/runs/{c.run_id}"),
    ),
    "GET /api/v1/plans": (only("admin", "finance"), lambda c, p, t: Call("GET", "/api/v1/plans")),
    "GET /api/v1/plans/{plan}/versions": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/plans/ae/versions"),
    ),
    "GET /api/v1/plans/{plan}/versions/{version}": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/plans/ae/versions/1"),
    ),
    "POST /api/v1/plans/{plan}/versions": (
        only("admin"),
        lambda c, p, t: Call("POST", "/api/v1/plans/ae/versions", json={"text": _plan_text(c)}),
    ),
    "POST /api/v1/plans/{plan}/versions/{version}/publish": (
        only("admin"),
        lambda c, p, t: Call("POST", "/api/v1/plans/ae/versions/1/publish"),
    ),
    "POST /api/v1/plans/{plan}/simulate": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/api/v1/plans/ae/simulate",
            json={"text": "id: ae\n", "start": "2026-01-01", "end": "2026-01-31"},
        ),
    ),
    "POST /api/v1/deals": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/api/v1/deals",
            json={"id": "DM2", "owner": p, "stage": "lost", "amount": "10", "currency": "USD"},
        ),
    ),
    "POST /api/v1/imports/{table}": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/api/v1/imports/deals",
            files={"file": ("d.csv", io.BytesIO(CSV.format(owner=p).encode()), "text/csv")},
        ),
    ),
    "GET /api/v1/users": (only("admin"), lambda c, p, t: Call("GET", "/api/v1/users")),
    "POST /api/v1/users": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/api/v1/users",
            json={"username": f"u-{p}", "password": "x1-long-password-1", "role": "finance"},
        ),
    ),
    "POST /api/v1/users/{user_id}/tokens": (
        only("admin"),
        lambda c, p, t: Call("POST", "/api/v1/users/1/tokens"),
    ),
    "PATCH /api/v1/users/{user_id}": (
        only("admin"),
        lambda c, p, t: Call("PATCH", "/api/v1/users/1", json={"role": "admin", "active": True}),
    ),
    "PUT /api/v1/users/{user_id}/password": (  # user 1 is the admin: their own, or an admin's
        only("admin"),
        lambda c, p, t: Call(
            "PUT", "/api/v1/users/1/password", json={"password": PASSWORDS["admin"]}
        ),
    ),
    "GET /api/v1/users/{user_id}/tokens": (
        only("admin"),
        lambda c, p, t: Call("GET", "/api/v1/users/1/tokens"),
    ),
    "DELETE /api/v1/users/{user_id}/tokens/{token_id}": (  # no such token: the others live on
        lambda role: (404, 404) if role == "admin" else (403, 403),
        lambda c, p, t: Call("DELETE", "/api/v1/users/1/tokens/99999"),
    ),
    "GET /api/v1/periods": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call("GET", "/api/v1/periods"),
    ),
    "POST /api/v1/periods/{period}/prepare": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call("POST", f"/api/v1/periods/{_period(c)}/prepare"),
    ),
    "POST /api/v1/periods/{period}/approve": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call("POST", f"/api/v1/periods/{_period(c)}/approve"),
    ),
    "POST /api/v1/periods/{period}/close": (
        only("admin", "finance"),
        lambda c, p, t: Call("POST", f"/api/v1/periods/{_period(c)}/close"),
    ),
    "GET /api/v1/disputes": (everyone, lambda c, p, t: Call("GET", "/api/v1/disputes")),
    "POST /api/v1/disputes": (
        lambda role: (403, 403) if role in ("admin", "finance") else (OK, 404),
        lambda c, p, t: Call(
            "POST",
            "/api/v1/disputes",
            json={"payee": p, "period": _period(c), "subject": "missing deal", "deal": "D9"},
        ),
    ),
    "GET /api/v1/accruals": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/accruals"),
    ),
    "GET /api/v1/exports/payroll.csv": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/api/v1/exports/payroll.csv", params={"period": _period(c)}),
    ),
    "GET /api/v1/audit": (only("admin"), lambda c, p, t: Call("GET", "/api/v1/audit")),
    "GET /api/v1/forecast/pipeline": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", "/api/v1/forecast/pipeline", params={"node": p}),
    ),
    "GET /api/v1/forecast/deals": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", "/api/v1/forecast/deals", params={"node": p}),
    ),
    "GET /api/v1/forecast/deals/{deal}": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/api/v1/forecast/deals/{_open_deal(c, p)}"),
    ),
    "GET /api/v1/scores/leads": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", "/api/v1/scores/leads", params={"owner": p}),
    ),
    "POST /api/v1/forecast/calls": (
        _call_who,
        lambda c, p, t: Call(
            "POST",
            "/api/v1/forecast/calls",
            json={"payee": p, "period": _quarter(), "category": "commit", "amount": "1000"},
        ),
    ),
    # -- pages -------------------------------------------------------------------------------
    "GET /": (everyone, lambda c, p, t: Call("GET", "/")),
    "GET /login": (everyone, lambda c, p, t: Call("GET", "/login")),
    "GET /me": (everyone, lambda c, p, t: Call("GET", "/me")),
    "GET /payees/{payee}": (payee_scoped(*ROLES), lambda c, p, t: Call("GET", f"/payees/{p}")),
    "POST /payees/{payee}/whatif": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("POST", f"/payees/{p}/whatif", data={"csrf": t, "amount": "5000"}),
    ),
    "GET /payees/{payee}/statements/{period}": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", f"/payees/{p}/statements/{_period(c, p)}"),
    ),
    "GET /payees/{payee}/statements/{period}/pdf": (
        payee_scoped(*ROLES),  # a rep's own: 409 until the period is approved
        lambda c, p, t: Call("GET", f"/payees/{p}/statements/{_period(_published(c), p)}/pdf"),
    ),
    "GET /team": (only("admin", "finance", "manager"), lambda c, p, t: Call("GET", "/team")),
    "GET /payees": (everyone, lambda c, p, t: Call("GET", "/payees")),
    "GET /finance": (only("admin", "finance"), lambda c, p, t: Call("GET", "/finance")),
    "GET /runs": (only("admin", "finance"), lambda c, p, t: Call("GET", "/runs")),
    "POST /runs": (
        only("admin"),
        lambda c, p, t: Call(
            "POST", "/runs", data={"csrf": t, "start": "2099-01-01", "end": "2098-01-01"}
        ),
    ),
    "GET /runs/jobs/{job_id}": (
        lambda role: (404, 404) if role in ("admin", "finance") else (403, 403),
        lambda c, p, t: Call("GET", "/runs/jobs/no-such-job"),
    ),
    "GET /users": (only("admin"), lambda c, p, t: Call("GET", "/users")),
    "POST /users": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/users",
            data={
                "csrf": t,
                "username": f"p-{p}",
                "password": "x1-long-password-1",
                "role": "finance",
            },
        ),
    ),
    "POST /users/{user_id}/tokens": (
        only("admin"),
        lambda c, p, t: Call("POST", "/users/1/tokens", data={"csrf": t}),
    ),
    "POST /users/{user_id}/role": (
        only("admin"),
        lambda c, p, t: Call("POST", "/users/1/role", data={"csrf": t, "role": "admin"}),
    ),
    "POST /users/{user_id}/active": (
        only("admin"),
        lambda c, p, t: Call("POST", "/users/1/active", data={"csrf": t, "active": "true"}),
    ),
    "POST /tokens/{token_id}/revoke": (  # no such token: refused on the page, after access
        only("admin"),
        lambda c, p, t: Call("POST", "/tokens/99999/revoke", data={"csrf": t}),
    ),
    "GET /imports": (only("admin"), lambda c, p, t: Call("GET", "/imports")),
    "POST /imports": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            "/imports",
            data={"csrf": t, "table": "deals"},
            files={"file": ("d.csv", io.BytesIO(CSV.format(owner=p).encode()), "text/csv")},
        ),
    ),
    "POST /imports/{sid}/confirm": (
        only("admin"),
        lambda c, p, t: Call("POST", f"/imports/{_staged(c, p)}/confirm", data={"csrf": t}),
    ),
    "POST /imports/{sid}/mapping": (
        only("admin"),
        lambda c, p, t: Call(
            "POST",
            f"/imports/{_staged(c, p)}/mapping",
            data={"csrf": t, "do": "preview", "fill-id": "id", "fill-owner": "owner"},
        ),
    ),
    "POST /imports/{sid}/discard": (
        only("admin"),
        lambda c, p, t: Call("POST", f"/imports/{_staged(c, p)}/discard", data={"csrf": t}),
    ),
    "GET /plans": (only("admin", "finance"), lambda c, p, t: Call("GET", "/plans")),
    "GET /plans/{plan}": (only("admin", "finance"), lambda c, p, t: Call("GET", "/plans/ae")),
    "POST /plans/{plan}": (
        only("admin"),
        lambda c, p, t: Call(
            "POST", "/plans/ae", data={"csrf": t, "text": "id: ae\n", "action": "save"}
        ),
    ),
    "POST /plans/{plan}/versions/{version}/publish": (
        only("admin"),
        lambda c, p, t: Call("POST", "/plans/ae/versions/1/publish", data={"csrf": t}),
    ),
    "GET /plans/{plan}/diff": (
        only("admin", "finance"),
        lambda c, p, t: Call("GET", "/plans/ae/diff", params={"old": 1, "new": 1}),
    ),
    "POST /runs/{run_id}/publish": (
        only("admin", "finance"),
        lambda c, p, t: Call("POST", f"/runs/{c.run_id}/publish", data={"csrf": t}),
    ),
    "GET /periods": (only("admin", "finance", "manager"), lambda c, p, t: Call("GET", "/periods")),
    "POST /periods/{period}/prepare": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call("POST", f"/periods/{_period(c)}/prepare", data={"csrf": t}),
    ),
    "POST /periods/{period}/approve": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call("POST", f"/periods/{_period(c)}/approve", data={"csrf": t}),
    ),
    "POST /periods/bulk": (
        only("admin", "finance", "manager"),
        lambda c, p, t: Call(
            "POST", "/periods/bulk", data={"csrf": t, "step": "prepare", "selected": [_period(c)]}
        ),
    ),
    "POST /periods/{period}/close": (
        only("admin", "finance"),
        lambda c, p, t: Call("POST", f"/periods/{_period(c)}/close", data={"csrf": t}),
    ),
    "GET /disputes": (everyone, lambda c, p, t: Call("GET", "/disputes")),
    "POST /disputes": (
        lambda role: (403, 403) if role in ("admin", "finance") else (OK, 404),
        lambda c, p, t: Call(
            "POST",
            "/disputes",
            data={"csrf": t, "payee": p, "period": _period(c), "subject": "missing", "deal": "D7"},
        ),
    ),
    "POST /disputes/{dispute_id}/resolve": (
        only("admin", "finance"),
        lambda c, p, t: Call(
            "POST", f"/disputes/{_dispute(c, p)}/resolve", data={"csrf": t, "resolution": "checked"}
        ),
    ),
    "GET /audit": (only("admin"), lambda c, p, t: Call("GET", "/audit")),
    "GET /forecast": (
        payee_scoped(*ROLES),
        lambda c, p, t: Call("GET", "/forecast", params={"node": p}),
    ),
    "POST /forecast/calls": (  # the form calls for the viewer (an admin: for whom it says)
        only("admin", "manager", "rep"),
        lambda c, p, t: Call(
            "POST",
            "/forecast/calls",
            data={"csrf": t, "payee": p, "period": _quarter(), "commit": "1000"},
        ),
    ),
    "GET /forecast/backtests": (only("admin"), lambda c, p, t: Call("GET", "/forecast/backtests")),
    "GET /forecast/backtests/report": (
        only("admin"),
        lambda c, p, t: Call("GET", "/forecast/backtests/report"),
    ),
    "POST /forecast/backtests/run": (  # months=0 is refused (422) after access: no run here
        only("admin"),
        lambda c, p, t: Call("POST", "/forecast/backtests/run", data={"csrf": t, "months": "0"}),
    ),
    "POST /forecast/refresh": (
        only("admin"),
        lambda c, p, t: Call("POST", "/forecast/refresh", data={"csrf": t}),
    ),
    # process maps show every role the cases it may see (a rep: their own), never another's
    "GET /process": (everyone, lambda c, p, t: Call("GET", "/process", params={"log": "deals"})),
    "GET /process/variants": (everyone, lambda c, p, t: Call("GET", "/process/variants")),
    "GET /process/bottlenecks": (everyone, lambda c, p, t: Call("GET", "/process/bottlenecks")),
    "GET /process/compare": (everyone, lambda c, p, t: Call("GET", "/process/compare")),
    "GET /process/conformance": (everyone, lambda c, p, t: Call("GET", "/process/conformance")),
    "POST /process/conformance": (
        everyone,
        lambda c, p, t: Call("POST", "/process/conformance", data={"csrf": t, "rules": _rules()}),
    ),
    "GET /api/v1/process/{log}/map": (
        everyone,
        lambda c, p, t: Call("GET", "/api/v1/process/deals/map"),
    ),
    "GET /api/v1/process/{log}/variants": (
        everyone,
        lambda c, p, t: Call("GET", "/api/v1/process/deals/variants"),
    ),
    "GET /api/v1/process/{log}/bottlenecks": (
        everyone,
        lambda c, p, t: Call("GET", "/api/v1/process/deals/bottlenecks"),
    ),
    "GET /api/v1/process/{log}/transitions/{source}/{target}/cases": (
        everyone,
        lambda c, p, t: Call("GET", "/api/v1/process/deals/transitions/a/b/cases"),
    ),
    "POST /api/v1/process/{log}/conformance": (
        everyone,
        lambda c, p, t: Call("POST", "/api/v1/process/deals/conformance", json={"rules": _rules()}),
    ),
}

PUBLIC = {
    "GET /",
    "GET /login",
    "POST /login",
    "GET /healthz",
    "GET /openapi.json",
    "GET /api/docs",
    "GET /docs/oauth2-redirect",
}
"""Routes anyone may call (the login form, the API's description, a health check)."""
SESSION_ONLY = {"POST /logout", "POST /login"}
"""Routes whose access is the session itself (tested in test_auth)."""


def route_keys() -> set[str]:
    from attain.web.app import create_app

    app = create_app("sqlite://", secure_cookies=False)
    keys = set()
    for rc in iter_route_contexts(app.routes):
        for method in sorted((rc.methods or set()) - {"HEAD"}):
            keys.add(f"{method} {rc.path}")
    return keys


def test_every_route_has_an_entry() -> None:
    keys = route_keys()
    missing = sorted(keys - set(MATRIX) - PUBLIC - SESSION_ONLY)
    assert not missing, f"routes without an access-matrix entry: {missing}"
    stale = sorted(set(MATRIX) - keys)
    assert not stale, f"entries for routes that no longer exist: {stale}"


@pytest.fixture(scope="module")
def clients(shared_company: Company) -> Iterator[dict[str, tuple[TestClient, str]]]:
    out = {}
    for role in ROLES:
        c = make_client(shared_company)
        c.__enter__()
        out[role] = (c, log_in(c, role))
    yield out
    for c, _ in out.values():
        c.__exit__(None, None, None)


def _send(client: TestClient, call: Call, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = client.request(
        call.method,
        call.path,
        json=call.json,
        data=call.data,
        files=call.files,
        params=call.params,
        headers=headers,
    )
    return r.status_code


def _passes(status: int, method: str) -> bool:
    if method == "GET":
        return 200 <= status < 400 or status == 409  # 409: a period in the wrong state
    return 200 <= status < 400 or status in (400, 409, 422)


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_access(
    key: str, shared_company: Company, clients: dict[str, tuple[TestClient, str]]
) -> None:
    who, build = MATRIX[key]
    problems = []
    for role in ROLES:
        client, csrf = clients[role]
        own_expect, other_expect = who(role)
        for label, payee, expect in (
            ("own", shared_company.rep, own_expect),
            ("other", shared_company.other_rep, other_expect),
        ):
            call = build(shared_company, payee, csrf)
            token = shared_company.tokens[role] if call.path.startswith("/api/") else None
            status = _send(client, call, token)
            good = _passes(status, call.method) if expect == OK else status == expect
            if not good:
                problems.append(
                    f"{role} {label}: {call.method} {call.path} -> {status}, expected {expect}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", sorted(set(MATRIX) - PUBLIC))
def test_anonymous_is_turned_away(key: str, shared_company: Company) -> None:
    _who, build = MATRIX[key]
    with make_client(shared_company) as anonymous:
        call = build(shared_company, shared_company.rep, "")
        status = _send(anonymous, call, None)
    if call.path.startswith("/api/"):
        assert status == 401
    else:
        assert status in (303, 403)  # to the login form; a form without a session's CSRF token
