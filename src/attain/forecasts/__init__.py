"""Forecasts: the accuracy measures every forecast is judged by, the simple baselines each one
must beat in the same run, and the public benchmarks that place them among known methods."""
