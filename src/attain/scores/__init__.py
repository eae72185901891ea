"""Probability scores (lead conversion) and how they are measured: AUC, Brier score, calibration
error, top-decile lift, reliability; backtested on history, beside baselines."""
