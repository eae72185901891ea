"""The organisation as rows: people (one per version), teams, territories, stores."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.org import NEVER, Org
from attain.data.synth.work_calendars import calendar_id


def people_table(org: Org) -> pa.Table:
    """One row per version of each person: a move closes one row and opens the next."""
    cols: dict[str, list[object]] = {
        k: []
        for k in (
            "id",
            "valid_from",
            "valid_to",
            "name",
            "email",
            "role",
            "manager",
            "team",
            "territory",
            "currency",
            "hired",
        )
    }
    epoch = dt.date(1970, 1, 1)

    def add(i: int, start: int, stop: int, team: int, manager: int) -> None:
        first, last = org.name[i].lower().split(" ", 1)
        cols["id"].append(org.person[i])
        cols["valid_from"].append(epoch + dt.timedelta(days=start))
        cols["valid_to"].append(None if stop >= NEVER else epoch + dt.timedelta(days=stop))
        cols["name"].append(org.name[i])
        cols["email"].append(f"{first}.{last}.{org.person[i].lower()}@demo.example")
        cols["role"].append(org.role[i])
        cols["manager"].append(org.person[manager] if manager >= 0 else None)
        cols["team"].append(org.team_id[team] if team >= 0 else None)
        cols["territory"].append(
            org.territory_id[org.territory[i]] if org.territory[i] >= 0 else None
        )
        cols["currency"].append(org.currency[i])
        cols["hired"].append(epoch + dt.timedelta(days=org.hired[i]))

    for i in range(len(org.person)):
        versions = [(org.hired[i], org.team[i], org.manager[i]), *org.changes[i]]
        for k, (start, team, manager) in enumerate(versions):
            stop = versions[k + 1][0] - 1 if k + 1 < len(versions) else org.left[i]
            add(i, start, stop, team, manager)
    return pa.table(
        {
            k: pa.array(v, pa.date32() if k in ("valid_from", "valid_to", "hired") else pa.string())
            for k, v in cols.items()
        }
    )


def teams_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.team_id, pa.string()),
            "name": pa.array(org.team_name, pa.string()),
            "parent": arr.pick(org.team_id, np.array(org.team_parent)),
            "business": pa.array(org.team_business, pa.string()),
        }
    )


def territories_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.territory_id, pa.string()),
            "name": pa.array(org.territory_name, pa.string()),
            "region": pa.array(org.territory_region, pa.string()),
            "calendar": pa.array([calendar_id(r) for r in org.territory_region], pa.string()),
        }
    )


def stores_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.store_id, pa.string()),
            "name": pa.array(org.store_name, pa.string()),
            "region": pa.array([org.territory_region[t] for t in org.store_territory], pa.string()),
            "territory": arr.pick(org.territory_id, np.array(org.store_territory, dtype=np.int64)),
            "manager": arr.pick(org.person, np.array(org.store_manager, dtype=np.int64)),
        }
    )
