"""What one person may do next with a period, and in a sentence why not when they may not.

Pages offer only the action that would succeed and say why the others are not offered; the
actions themselves (attain.pay.approvals, attain.pay.periods) re-check every rule when they run.
"""

from __future__ import annotations

from dataclasses import dataclass

from attain.audit.actor import Actor

PREPARERS = ("finance", "admin", "manager")
CLOSERS = ("finance", "admin")
_WHOSE = {"manager": "the manager's", "finance": "finance's"}


@dataclass(frozen=True)
class NextStep:
    """`action` (prepare, approve, close) when this person may take it, else `why_not`."""

    action: str | None = None
    why_not: str | None = None
    level: str | None = None


def next_step(
    actor: Actor,
    status: str,
    prepared_by: str | None,
    approved: dict[str, set[str]],
    refusal: str | None,
    *,
    managers_done: bool = False,
    yours: int = 0,
) -> NextStep:
    """The step open to `actor` on a period in `status`, given who prepared and approved it
    (level -> approvers), why it may not be prepared yet (`refusal`, or None), whether every
    team passed the manager level (`managers_done`) and how many lines wait for the actor's
    approval at the manager level (`yours`)."""
    if status == "closed":
        return NextStep(why_not="closed: its lines never change")
    if status == "open":
        if refusal is not None:
            return NextStep(why_not=refusal)
        if actor.role not in PREPARERS:
            return NextStep(why_not="waiting to be prepared by finance or a manager")
        return NextStep("prepare")
    if status == "approved":
        if actor.role not in CLOSERS:
            return NextStep(why_not="approved: waiting for finance to close it")
        return NextStep("close")
    if "finance" in approved:
        return NextStep(why_not="every level approved")
    if actor.name == prepared_by:
        return NextStep(why_not="you prepared it: someone else approves")
    if not managers_done:
        if actor.role in ("manager", "finance", "admin") and yours:
            return NextStep("approve", level="manager")
        if actor.role == "manager":
            return NextStep(why_not="nothing here waits for your approval (never your own pay)")
        return NextStep(why_not=f"waiting for {_WHOSE['manager']} approval of every team")
    if actor.role not in ("finance", "admin"):
        return NextStep(why_not=f"waiting for {_WHOSE['finance']} approval")
    if actor.name in approved.get("manager", set()):
        return NextStep(why_not="you approved at the manager level: someone else approves this one")
    return NextStep("approve", level="finance")
