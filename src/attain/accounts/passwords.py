"""Password hashes with argon2id: slow to guess, salted, upgradable when parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

STRONG = PasswordHasher()
"""argon2-cffi's defaults: RFC 9106's second recommended profile (t=3, 64 MiB, p=4)."""

_hasher = STRONG
_dummies: dict[tuple[int, int, int], str] = {}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches; never raises on a wrong or malformed hash."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash verified against when the user does not exist, so timing does not say which
    usernames exist; made on first use (a process that checks no password never pays it)."""
    key = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if key not in _dummies:
        _dummies[key] = _hasher.hash("not-a-real-password")
    return _dummies[key]
