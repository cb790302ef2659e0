"""`engine.score_for_rank` scores a table in chunks of regions; every table rank reads must be
what `engine.score` gives for the whole table, and so must the ranking."""

import pandas as pd

from scast_cli import analysis, engine
from scast_cli.config import load_config
from scast_cli.readers import read_regions
from tests.conftest import MINI
from tests.test_engine import FULL, region, regions_file


def rows():
    out = []
    for k in range(11):
        figures = dict(FULL, township_cast_count=k + 1, sci_volunteers_registered=400 * k)
        if k % 3 == 0:
            figures.pop("science_literacy_rate")
        if k == 4:  # a refused (cumulative) figure in the second chunk: its period must follow the region
            figures["farmer_training_person_times_year"] = {"value": 53600, "period": "cumulative"}
        out.append(region(f"R{k:02d}", **figures))
    return out


def test_chunks_give_the_tables_of_one_pass(write):
    config = load_config(MINI)
    regions = read_regions(regions_file(write, *rows()), config)
    whole = engine.score(regions, config)
    seen = []
    parts = engine.score_for_rank(regions, config, progress=lambda done, total: seen.append((done, total)), chunk=4)
    pd.testing.assert_frame_equal(parts.score, whole.score)
    pd.testing.assert_frame_equal(parts.groups, whole.groups)
    pd.testing.assert_frame_equal(parts.overall, whole.overall)
    for a, b in zip(parts.group_range, whole.group_range, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert parts.band is None and parts.reason is None  # the per-indicator tables are not kept
    n = len(config.indicators)
    assert seen[-1] == (3 * n, 3 * n) and len(seen) == 3 * n  # 11 regions in chunks of 4: three chunks
    assert whole.reason.at["R04", "farmer_training_per_1k"] == "cumulative"
    assert pd.isna(parts.score.at["R04", "farmer_training_per_1k"])
    for by in (None, "coverage", "volunteers_per_10k"):
        a = analysis.rank(parts, by, None, None, "en", stability_options={"draws": 20})
        b = analysis.rank(whole, by, None, None, "en", stability_options={"draws": 20})
        pd.testing.assert_frame_equal(a["regions"].frame, b["regions"].frame)
        assert a["regions"] == b["regions"] and a["counts"] == b["counts"] and len(a["regions"]) == 11
