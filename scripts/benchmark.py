"""Benchmark the engine: vectorised scoring of N regions against one-at-a-time scoring, and ranking.

Reports ratios measured in one run (the machines are shared and noisy, so absolute times
mean little). Usage: python scripts/benchmark.py [N]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from scast_cli import analysis, engine
from scast_cli.config import load_config
from scast_cli.readers import Regions


def synthetic(config, n: int, seed: int = 0) -> Regions:
    """n regions with every field filled with plausible values, parts never above wholes."""
    rng = np.random.default_rng(seed)
    values = {}
    for spec in config.fields:
        if spec.kind == "share":
            values[spec.id] = rng.uniform(0.3, 1.0, n)
        elif spec.kind == "flag":
            values[spec.id] = rng.integers(0, 2, n).astype(float)
        else:
            values[spec.id] = rng.integers(1, 200, n).astype(float)
    values["population_resident"] = rng.integers(100_000, 3_000_000, n).astype(float)
    frame = pd.DataFrame(values, index=pd.Index([f"R{i}" for i in range(n)], name="region"))
    for spec in config.fields:  # respect part <= whole so the data is valid
        if spec.part_of:
            whole = frame[spec.part_of].sum(axis=1)
            frame[spec.id] = np.minimum(frame[spec.id], whole)
    meta = pd.DataFrame({"level": "county", "year": 2024, "file": "synthetic"}, index=frame.index)
    return Regions(frame, meta)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    config = load_config()
    regions = synthetic(config, n)
    one = lambda i: Regions(regions.values.iloc[[i]], regions.meta.iloc[[i]])  # noqa: E731
    sample = min(n, 100)
    batch = best_of(lambda: engine.score(regions, config))
    singles = best_of(lambda: [engine.score(one(i), config) for i in range(sample)], repeat=1) * n / sample
    print(f"regions: {n}, indicators: {len(config.indicators)}")
    print(f"one pass over all regions:      {batch * 1000:9.1f} ms")
    print(f"one region at a time (scaled):  {singles * 1000:9.1f} ms  (from {sample} regions)")
    print(f"ratio one-at-a-time / batch:    {singles / batch:9.1f}x")
    result = engine.score(regions, config)
    ranking = best_of(lambda: analysis.rank(result))
    print(f"rank the scored regions:        {ranking * 1000:9.1f} ms  ({ranking / batch:.2f}x the scoring pass)")


if __name__ == "__main__":
    main()
