"""The store -> region -> company hierarchy as a summing matrix: row i of `summing` says which
stores add up to series i, so every level's figure is a sum of store figures and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

COMPANY = "Company"
LEVELS = ("company", "region", "store")


@dataclass(frozen=True)
class Hierarchy:
    """Every series of the hierarchy, company first, then regions, then stores (the bottom)."""

    names: tuple[str, ...]
    levels: tuple[str, ...]
    """`company`, `region` or `store`, per series."""
    summing: npt.NDArray[np.float64]
    """(series x stores) of 0/1: series i is the sum of the stores where row i holds a 1."""
    stores: tuple[str, ...]

    def of_level(self, level: str) -> list[int]:
        return [i for i, lv in enumerate(self.levels) if lv == level]

    def totals(self, store_values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Every series' values from the stores' (stores x ...) values."""
        out: npt.NDArray[np.float64] = self.summing @ store_values
        return out


def store_hierarchy(store_region: Mapping[str, str]) -> Hierarchy:
    """Stores (in the given order) under their regions (sorted), under the company. A store
    without a region sits under the region `(no region)`."""
    stores = tuple(store_region)
    regions = sorted({r or "(no region)" for r in store_region.values()})
    rows = [np.ones(len(stores))]
    for region in regions:
        rows.append(
            np.array([1.0 if (store_region[s] or "(no region)") == region else 0.0 for s in stores])
        )
    rows.extend(np.eye(len(stores)))
    return Hierarchy(
        names=(COMPANY, *regions, *stores),
        levels=("company", *(["region"] * len(regions)), *(["store"] * len(stores))),
        summing=np.vstack(rows) if stores else np.zeros((1 + len(regions), 0)),
        stores=stores,
    )
