"""Which role may use which feature: a route or action names one capability, nothing else grants it."""

from __future__ import annotations

CAPABILITIES: dict[str, frozenset[str]] = {
    "pay.own": frozenset({"rep", "manager"}),
    "pay.view": frozenset({"admin", "finance", "manager", "rep"}),
    "team.view": frozenset({"admin", "finance", "manager"}),
    "whatif": frozenset({"admin", "finance", "manager", "rep"}),
    "runs.view": frozenset({"admin", "finance"}),
    "runs.start": frozenset({"admin"}),
    "plans.view": frozenset({"admin", "finance"}),
    "plans.edit": frozenset({"admin"}),
    "imports": frozenset({"admin"}),
    "deals.write": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "payouts.view": frozenset({"admin", "finance"}),
    "exports": frozenset({"admin", "finance"}),
    "approvals": frozenset({"admin", "finance", "manager"}),
    "ledger.publish": frozenset({"admin", "finance"}),
    "adjust": frozenset({"admin", "finance"}),
    "disputes.view": frozenset({"admin", "finance", "manager", "rep"}),
    "disputes.raise": frozenset({"manager", "rep"}),
    "disputes.queue": frozenset({"admin", "finance"}),
    "disputes.assign": frozenset({"admin", "finance", "manager"}),
    "close": frozenset({"admin", "finance"}),
    "reopen": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
    "quotas.plan": frozenset({"admin", "finance"}),
    "forecast.view": frozenset({"admin", "finance", "manager", "rep"}),
    "forecast.call": frozenset({"admin", "manager", "rep"}),
    "forecast.models": frozenset({"admin"}),
    "scores.view": frozenset({"admin", "finance", "manager", "rep"}),
    "process.view": frozenset({"admin", "finance", "manager", "rep"}),
}
"""Capability -> roles that have it."""


class Forbidden(Exception):
    """The viewer's role does not have this feature (403)."""
