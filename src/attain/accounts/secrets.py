"""Random secrets and their hashes: sessions, CSRF and API tokens are stored only as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison (CSRF tokens)."""
    return hmac.compare_digest(a.encode(), b.encode())
