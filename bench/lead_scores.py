"""How fast the lead score trains on a million leads and scores another million.

Leads are drawn like the demo company's (source, industry, size, region), converting through its
known logistic model, so the score's AUC can be set beside the true model's. The lead score is
the one `attain score leads` trains (additive gradient-boosted trees, calibrated on the latest
quarter of the training rows, refitted on all). The baseline, timed on the same rows in the same
run, is a logistic regression on one-hot source, industry and region and log10(size) - the true
model's own form, so it is the most a score could get right here, and a fast one.
Targets (issue 13): train 1M in 60 s, score 1M in 5 s.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

from attain.data.synth.leads import (
    INDUSTRY_EFFECT,
    SOURCE_EFFECT,
    SOURCE_SHARE,
    conversion_probability,
)
from attain.scores.lead_model import new_lead_score
from attain.scores.metrics import auc, ece

REGIONS = ("EMEA", "NA", "UK", "APAC")


def leads(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """`n` leads, their true conversion probability and whether each converted."""
    rng = np.random.default_rng(seed)
    source = np.array(list(SOURCE_EFFECT))[rng.choice(len(SOURCE_EFFECT), n, p=SOURCE_SHARE)]
    industry = np.array(list(INDUSTRY_EFFECT))[rng.integers(0, len(INDUSTRY_EFFECT), n)]
    size = np.clip(np.exp(rng.normal(4.8, 1.6, n)), 2, 200_000).astype(np.int64)
    region = np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]
    truth = conversion_probability(source, industry, size)
    converted = (rng.random(n) < truth).astype(np.int64)
    frame = pd.DataFrame(
        {"source": source, "industry": industry, "size": size.astype(float), "region": region}
    )
    return frame, truth, converted


def _logistic() -> object:
    columns = ColumnTransformer(
        [
            ("size", FunctionTransformer(np.log10), ["size"]),
            ("kinds", OneHotEncoder(), ["source", "industry", "region"]),
        ]
    )
    return make_pipeline(columns, LogisticRegression(max_iter=1000))


def main(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    began = time.perf_counter()
    train, _, y_train = leads(n, seed=1)
    test, truth, y_test = leads(n, seed=2)
    made = time.perf_counter() - began
    print(
        f"leads: {n:,} to train ({y_train.mean():.1%} convert), {n:,} to score; drawn in {made:.1f} s"
    )

    scorer = new_lead_score()
    start = time.perf_counter()
    scorer.fit(train, y_train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    scores = scorer.score(test)
    bands = scorer.bands(scores)
    score_s = time.perf_counter() - start
    start = time.perf_counter()
    sample = 10_000
    scorer.reasons(test.head(sample))
    reasons_s = time.perf_counter() - start

    logistic = _logistic()
    start = time.perf_counter()
    logistic.fit(train, y_train)  # type: ignore[attr-defined]
    base_fit_s = time.perf_counter() - start
    start = time.perf_counter()
    base = logistic.predict_proba(test)[:, 1]  # type: ignore[attr-defined]
    base_score_s = time.perf_counter() - start

    print(f"{'':28}{'train':>10}{'score':>10}{'AUC':>8}{'ECE':>8}")
    print(
        f"{'lead score (trees)':28}{fit_s:9.1f}s{score_s:9.2f}s"
        f"{auc(scores, y_test):8.4f}{ece(scores, y_test):8.4f}"
    )
    print(
        f"{'baseline: logistic':28}{base_fit_s:9.1f}s{base_score_s:9.2f}s"
        f"{auc(base, y_test):8.4f}{ece(base, y_test):8.4f}"
    )
    print(f"{'true model':28}{'':10}{'':10}{auc(truth, y_test):8.4f}{ece(truth, y_test):8.4f}")
    print(
        f"lead score vs baseline: train {fit_s / base_fit_s:.1f}x, score "
        f"{score_s / base_score_s:.1f}x the time"
    )
    print(f"bands A-D: {', '.join(f'{b} {bands.count(b):,}' for b in 'ABCD')}")
    print(f"reasons for {sample:,} leads: {reasons_s:.1f} s")
    print(f"targets: train {n:,} in 60 s ({fit_s:.1f} s), score {n:,} in 5 s ({score_s:.2f} s)")
    print(f"whole command: {time.perf_counter() - began:.1f} s")
