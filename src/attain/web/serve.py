"""Serving the app with Uvicorn: Secure cookies everywhere but on a loopback address."""

from __future__ import annotations

import ipaddress
import os
from typing import Any

STORE_ENV = "ATTAIN_DATABASE_URL"
SECURE_ENV = "ATTAIN_SECURE_COOKIES"


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_from_environment() -> Any:
    """The app for worker processes: store and cookie policy come from the environment."""
    from attain.web.app import create_app

    return create_app(
        os.environ.get(STORE_ENV) or None, secure_cookies=os.environ.get(SECURE_ENV) != "0"
    )


def serve(
    url: str | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "warning",
) -> None:
    """Serve the store at `url` until interrupted; several worker processes share the port."""
    import uvicorn

    from attain.data.store import database_url, get_engine
    from attain.web.app import create_app

    secure = not is_loopback(host)
    if workers <= 1:
        app = create_app(url, secure_cookies=secure)
        uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
        return
    get_engine(url)  # migrate once, before the workers start
    os.environ[STORE_ENV] = database_url(url)
    os.environ[SECURE_ENV] = "1" if secure else "0"
    uvicorn.run(
        "attain.web.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        proxy_headers=False,
    )
