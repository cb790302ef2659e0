"""Ranking's own path: `score_for_rank` scores without the per-indicator tables ranking never shows,
and `analysis.rank` orders rows by section, rank, then name with plain arrays. Both must give
exactly what the full path gives."""

import pandas as pd

from scast_cli import analysis, engine
from scast_cli.config import load_config
from scast_cli.readers import read_regions
from tests.conftest import MINI
from tests.test_engine import FULL, region, regions_file
from tests.test_rank_chunks import rows


def test_the_lean_score_gives_the_tables_of_score_to_the_last_bit(write):
    config = load_config(MINI)
    regions = read_regions(regions_file(write, *rows()), config)
    whole, lean = engine.score(regions, config), engine.score_for_rank(regions, config)
    for a, b in ((lean.score, whole.score), (lean.groups, whole.groups), (lean.overall, whole.overall), *zip(lean.group_range, whole.group_range, strict=True)):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    pd.testing.assert_series_equal(lean.nominal_weight, whole.nominal_weight, check_exact=True)
    assert lean.band is None and lean.gap_field is None and lean.reason is None and lean.effective_weight is None and lean.group_credit is None
    for by in (None, "coverage", "volunteers_per_10k"):
        assert analysis.rank(lean, by) == analysis.rank(whole, by)


def test_ties_and_the_unscored_are_listed_by_name_whatever_the_table_order(write):
    config = load_config(MINI)
    better = dict(FULL, sci_volunteers_registered=9000)
    entries = [region("Zeta", **FULL), region("Yb"), region("Eta", **better), region("Alpha", **FULL), region("Xa"), region("Mu", **FULL)]
    data = analysis.rank(engine.score_for_rank(read_regions(regions_file(write, *entries), config), config), min_completeness=0)
    listed = [(r["rank"], r["section"], r["region"]) for r in data["regions"]]
    # three regions alike share rank 2 and follow in name order; regions with no figures come last, by name
    assert listed == [
        (1, "ranked", "Eta"),
        (2, "ranked", "Alpha"),
        (2, "ranked", "Mu"),
        (2, "ranked", "Zeta"),
        (None, "unscored", "Xa"),
        (None, "unscored", "Yb"),
    ]
    assert data["counts"] == {"ranked": 4, "incomplete": 0, "unscored": 2}
    top = analysis.rank(engine.score_for_rank(read_regions(regions_file(write, *entries), config), config), min_completeness=0, top=1)
    assert [r["region"] for r in top["regions"]] == ["Eta"] and top["hidden"] == {"below_top": 3, "unscored": 2}
