"""The audit key: the secret that signs the audit chain, kept outside the store.

A store file copied alone carries no key, so whoever edits a copy (or the store itself) cannot
sign a rewritten chain. The key comes from `ATTAIN_AUDIT_KEY` when set (a deployment with
several machines shares it that way), otherwise from the keyring file: `ATTAIN_AUDIT_KEYRING`,
or `audit-keys.json` in the audit home (`ATTAIN_AUDIT_HOME`, default `~/.config/attain`),
created on first use with mode 0600. The keyring keeps every key ever used, so entries signed
before a rotation still verify; each entry names its key by id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ENV_KEY = "ATTAIN_AUDIT_KEY"
ENV_KEYRING = "ATTAIN_AUDIT_KEYRING"
ENV_HOME = "ATTAIN_AUDIT_HOME"


class KeyMissing(RuntimeError):
    """No audit key where attain looks for one."""


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes

    def sign(self, message: str) -> str:
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()


def key_id(secret: bytes) -> str:
    """A key's public name: stable, and says nothing useful about the secret."""
    return "k" + hashlib.sha256(b"attain audit key id:" + secret).hexdigest()[:12]


def audit_home() -> Path:
    """Where the keyring and the checkpoints live: outside the store, beside the user's config."""
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME])
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "attain"


def keyring_path() -> Path:
    return Path(os.environ.get(ENV_KEYRING) or audit_home() / "audit-keys.json")


def _env_key() -> Key | None:
    text = os.environ.get(ENV_KEY)
    if not text:
        return None
    secret = text.encode()
    return Key(key_id(secret), secret)


_cache: dict[str, tuple[tuple[int, int], dict[str, object]]] = {}


def _read_keyring(path: Path) -> dict[str, object] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    data = json.loads(path.read_text())
    _cache[str(path)] = (stamp, data)
    return data  # type: ignore[no-any-return]


def _write_keyring(path: Path, data: dict[str, object], *, exclusive: bool) -> bool:
    """Write the keyring with mode 0600; `exclusive`: only if no keyring exists yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    try:
        if exclusive:
            try:
                os.link(tmp, path)  # fails if another process created it first
            except FileExistsError:
                return False
        else:
            os.replace(tmp, path)
            return True
    finally:
        tmp.unlink(missing_ok=True)
    return True


def keyring() -> dict[str, Key]:
    """Every key attain can verify with, by id (the keyring's, and ATTAIN_AUDIT_KEY's)."""
    out: dict[str, Key] = {}
    data = _read_keyring(keyring_path())
    if data is not None:
        for secret in data.get("keys", {}).values():  # type: ignore[attr-defined]
            raw = bytes.fromhex(secret)
            out[key_id(raw)] = Key(key_id(raw), raw)
    env = _env_key()
    if env is not None:
        out[env.id] = env
    return out


def signing_key(*, create: bool = True) -> Key:
    """The key new entries are signed with; the keyring is created (0600) when there is none."""
    env = _env_key()
    if env is not None:
        return env
    path = keyring_path()
    data = _read_keyring(path)
    if data is None:
        if not create:
            raise KeyMissing(f"no audit key: set {ENV_KEY} or {ENV_KEYRING}")
        secret = secrets.token_bytes(32)
        _write_keyring(
            path,
            {"current": key_id(secret), "keys": {key_id(secret): secret.hex()}},
            exclusive=True,
        )
        data = _read_keyring(path)
        assert data is not None
    keys: dict[str, str] = data["keys"]  # type: ignore[assignment]
    current = str(data["current"])
    return Key(current, bytes.fromhex(keys[current]))


def rotate() -> tuple[Key, Key]:
    """A new signing key in the keyring (the old ones stay, to verify older entries)."""
    if _env_key() is not None:
        raise KeyMissing(
            f"the audit key comes from {ENV_KEY}: add it to the keyring ({keyring_path()}) as an"
            " old key, then set the new one"
        )
    old = signing_key()
    path = keyring_path()
    data = dict(_read_keyring(path) or {})
    secret = secrets.token_bytes(32)
    keys = dict(data.get("keys", {}))  # type: ignore[call-overload]
    keys[key_id(secret)] = secret.hex()
    _write_keyring(path, {"current": key_id(secret), "keys": keys}, exclusive=False)
    return old, Key(key_id(secret), secret)
