"""Set a year's quotas with one method, from the store as it stands."""

from __future__ import annotations

from sqlalchemy import Engine

from attain.quota.history import load_history, open_store
from attain.quota.methods import method
from attain.quota.plan import PlanRequest, QuotaSet


def plan_quotas(engine: Engine, method_name: str, request: PlanRequest) -> QuotaSet:
    """Quotas for `request.year` by `method_name`, from history before that year.

    Example: `plan_quotas(engine, "data_driven", PlanRequest(year=2027, target=Decimal("5e7")))`
    """
    run = method(method_name)
    con = open_store(engine)
    try:
        return run(load_history(con, request.year), request)
    finally:
        con.close()
