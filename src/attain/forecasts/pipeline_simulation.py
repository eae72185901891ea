"""The 80% band of a pipeline forecast: one set of simulated outcomes shared by every node.

Each simulation wins every open deal or not (a Bernoulli draw with its probability of being won
in the period) and draws each owner's not-yet-created bookings from their past periods. Draws
are made per owner, so a node's outcome is the sum of its owners' in the same simulation: a
manager's band is consistent with their reps', and no normal approximation is made.
"""

from __future__ import annotations

import numpy as np

from attain.forecasts.not_yet_created import NotYetCreated

CHUNK = 512


def simulate_owners(
    rng: np.random.Generator,
    simulations: int,
    owner_index: np.ndarray,
    p_close: np.ndarray,
    amount: np.ndarray,
    owners: int,
    later: NotYetCreated | None,
    later_index: np.ndarray | None,
    spread: float = 0.0,
) -> np.ndarray:
    """simulations x owners: the won amount of each owner's open deals and future deals.

    With `spread`, each simulation first draws the period's luck, a factor lognormal with that
    standard deviation (mean one) on every open deal's chance at once."""
    out = np.zeros((simulations, owners))
    luck = (
        rng.lognormal(-(spread**2) / 2, spread, simulations) if spread > 0 else np.ones(simulations)
    )
    for at in range(0, len(p_close), CHUNK):
        sl = slice(at, at + CHUNK)
        chance = np.minimum(1.0, p_close[sl][None, :] * luck[:, None])
        won = rng.random((simulations, len(p_close[sl]))) < chance
        onehot = np.zeros((len(p_close[sl]), owners))
        onehot[np.arange(len(p_close[sl])), owner_index[sl]] = amount[sl]
        out += won.astype(float) @ onehot
    if later is not None and later_index is not None and len(later.owners):
        out[:, later_index] += later.draws(rng, simulations)
    return out


def band(outcomes: np.ndarray) -> tuple[float, float]:
    """The 10th and 90th percentile of a node's simulated outcomes."""
    low, high = np.percentile(outcomes, [10, 90])
    return float(low), float(high)
