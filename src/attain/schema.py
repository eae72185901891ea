"""Every table of the store, each defined by the package that owns it (see docs/data-model.md).

Importing this module registers them all on `attain.data.schema.Base.metadata`: the store's
migrations and anything that must know every table import it, and nothing of a surface.
"""

from __future__ import annotations

from attain.accounts import operators as operators_schema
from attain.accounts import schema as accounts_schema
from attain.audit import schema as audit_schema
from attain.comp.live import schema as live_schema
from attain.comp.plan_versions import schema as plan_versions_schema
from attain.comp.runs import schema as runs_schema
from attain.data import schema as data_schema
from attain.data import staging as staging_schema
from attain.pay import schema as pay_schema
from attain.process import schema as process_schema
from attain.quota import schema as quota_schema

OWNERS = {
    "accounts": accounts_schema,
    "accounts.operators": operators_schema,
    "audit": audit_schema,
    "comp.live": live_schema,
    "comp.plan_versions": plan_versions_schema,
    "comp.runs": runs_schema,
    "data": data_schema,
    "data.staging": staging_schema,
    "pay": pay_schema,
    "process": process_schema,
    "quota": quota_schema,
}
"""Package -> the module defining its tables."""

metadata = data_schema.Base.metadata
