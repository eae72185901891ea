"""Every module that defines actions, imported so `REGISTRY` lists them all (docs, the audit
test, a future automation page): each module of `attain.actions`, and the engines' own action
modules named here (add one when it registers its first action)."""

from __future__ import annotations

import importlib
import pkgutil

import attain.actions
from attain.actions.core import REGISTRY, UserAction

ENGINE_MODULES = (
    "attain.pay.adjustments",
    "attain.pay.approvals",
    "attain.pay.disputes",
    "attain.pay.exports",
    "attain.pay.ledger",
    "attain.pay.periods",
    "attain.quota.drafts",
)


def all_actions() -> dict[str, UserAction]:
    """Every registered action by audit name, each defining module imported first."""
    own = [f"attain.actions.{m.name}" for m in pkgutil.iter_modules(attain.actions.__path__)]
    for name in (*own, *ENGINE_MODULES):
        importlib.import_module(name)
    return dict(sorted(REGISTRY.items()))
