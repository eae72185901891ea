"""Pages from Jinja2 templates shipped in the package, autoescaped, with the viewer and the
session's CSRF token at hand for every form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from attain import money_format
from attain.access import allows
from attain.pay.statements import explained
from attain.process.durations import humanised

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


NBSP = "\u00a0"


def money(value: Any, currency: str | None = "") -> str:
    """`{{ x | money(currency) }}` -> `USD 5,019.92` (a no-break space: the code stays with its
    amount in a narrow column)."""
    return money_format.money(value, currency).replace(" ", NBSP)


def totals(amounts: dict[str, Decimal] | None, currency: str | None = "") -> str:
    """Amounts per currency, `USD 1.00 · EUR 2.00` (zero in `currency` when there are none)."""
    if not amounts:
        return money(Decimal(0), currency)
    return " · ".join(money(a, c) for c, a in sorted(amounts.items()))


_env.filters.update(
    money=money,
    totals=totals,
    percent=money_format.percent,
    number=money_format.number,
    exact=money_format.exact,
    duration=humanised,
)
_env.globals["explained"] = explained


def render_fragment(name: str, context: dict[str, Any]) -> str:
    """A part of a page with no form in it (so no CSRF token): safe to keep and reuse."""
    return _env.get_template(name).render(context)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    auth = getattr(request.state, "auth", None)
    viewer = auth.viewer if auth is not None else None
    ctx = {
        "request": request,
        "viewer": viewer,
        "csrf": auth.session.csrf if auth is not None and auth.session is not None else "",
        "can": (lambda cap: viewer is not None and allows(viewer, cap)),
        **(context or {}),
    }
    return HTMLResponse(_env.get_template(name).render(ctx), status_code=status)
