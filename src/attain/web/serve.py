"""Serving the app with Uvicorn: Secure cookies everywhere but on a loopback address."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    url: str | None, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning"
) -> None:
    """Serve the store at `url` until interrupted."""
    import uvicorn

    from attain.web.app import create_app

    app = create_app(url, secure_cookies=not is_loopback(host))
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
