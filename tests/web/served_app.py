"""The app served over real HTTP on a loopback port, and a small paid company on PostgreSQL.

The socket is bound and listening before Uvicorn starts, so a client can connect at once (the
kernel queues it): no waiting for the server to come up.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from web_company import PASSWORDS

from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM
from attain.comp.demo import pay_step
from attain.data.schema import Person
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, last_complete_month_start, write_store
from attain.data.synth.demo import DemoContext
from attain.pay.demo import publish_step


@dataclass
class Served:
    """Where the app answers, and an API token per role."""

    base_url: str
    tokens: dict[str, str] = field(default_factory=dict)
    store_url: str = ""
    """The store it serves, for tests that check an answer against the engine."""


@contextmanager
def serve(url: str) -> Iterator[str]:
    """The app over the store at `url`, served by Uvicorn in a thread; yields its base URL."""
    import uvicorn

    from attain.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(url, secure_cookies=False), log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def small_company(url: str) -> dict[str, str]:
    """A few reps and their managers, paid and published, with one user and token per role."""
    today = dt.date.today()
    spec = SynthSpec(seed=5, b2b_reps=4, years=1, start=last_complete_month_start(today, 1))
    ctx = DemoContext(url=url, company=generate(spec))
    engine = get_engine(url)
    write_store(ctx.company, engine, replace=True)  # type: ignore[arg-type]
    pay_step(ctx)
    publish_step(ctx)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.manager).where(
                Person.role == "account_executive",
                Person.manager.is_not(None),
                Person.valid_from <= today,
                or_(Person.valid_to.is_(None), Person.valid_to >= today),
            )
        ).all()
    rep, manager = sorted((str(p), str(m)) for p, m in rows)[0]
    tokens = {}
    for role, password in PASSWORDS.items():
        add_user(engine, SYSTEM, role, password, role, {"manager": manager, "rep": rep}.get(role))
        tokens[role] = new_api_token(engine, SYSTEM, role)
    return tokens
