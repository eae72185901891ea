"""The web app and REST API: `create_app(url)` builds the FastAPI app over a store.

Kept light on import: nothing is loaded until an app is made.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(url: str | None = None, **options: Any) -> Any:
    """The FastAPI app serving the store at `url` (see `attain.web.app.create_app`)."""
    from attain.web.app import create_app as _create_app

    return _create_app(url, **options)
