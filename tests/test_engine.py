"""The engine against arithmetic done by hand, on tests/fixtures/mini.yaml.

mini.yaml: dimension coverage (weight 1) = township_cast_coverage (bands 1.0/0.9/0.8, w1) and
renewal (flag, w1); capacity (weight 3) = volunteers_per_10k (target 100, w2),
committee_frontline (bands 0.75/0.7/0.6, w1), literacy (goalposts 0.10..0.15, w1) and
farmer_training_per_1k (target 10, w1); n_bonus is a bonus worth 4 points at 5 initiatives.
Band scores: green 100, yellow 75, orange 50, red 25.
"""

import math

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scast_cli import engine
from scast_cli.config import load_config
from scast_cli.readers import read_regions
from tests.conftest import MINI


def regions_file(write, *rows):
    return write("regions.yaml", yaml.safe_dump({"regions": list(rows)}, allow_unicode=True))


def region(name, **figures):
    return {"region": name, "level": "county", "year": 2024, "figures": figures}


FULL = dict(
    township_count=12,
    township_cast_count=10,
    population_resident=500000,
    sci_volunteers_registered=4200,
    committee_members_total=40,
    committee_members_frontline=30,
    science_literacy_rate=0.12,
    county_cast_renewed=True,
    farmer_training_person_times_year=2500,
    n_innovation_count=0,
)


def scored(write, *rows, config=None):
    config = config or load_config(MINI)
    return engine.score(read_regions(regions_file(write, *rows), config), config)


def test_every_rule_by_hand(write):
    r = scored(write, region("A", **FULL))
    s = r.score.loc["A"]
    assert s["township_cast_coverage"] == 50  # 10/12 = 0.833 >= 0.8 -> orange -> 50
    assert r.band.at["A", "township_cast_coverage"] == "orange"
    assert s["renewal"] == 100  # flag yes -> 100
    assert s["volunteers_per_10k"] == pytest.approx(84)  # 4200/500000*1e4 = 84; 84/100 -> 84
    assert s["committee_frontline"] == 100  # 30/40 = 0.75 >= 0.75 -> green
    assert s["literacy"] == pytest.approx(40)  # (0.12-0.10)/(0.15-0.10) = 0.4
    assert s["farmer_training_per_1k"] == pytest.approx(50)  # 2500/500000*1000 = 5; 5/10 -> 50
    assert r.band.at["A", "farmer_training_per_1k"] == "orange"  # 50 >= orange floor 50


def test_group_and_overall_arithmetic(write):
    r = scored(write, region("A", **FULL))
    # coverage = (50 + 100) / 2 = 75
    assert r.groups.at["A", ("dimension", "coverage")] == pytest.approx(75)
    # capacity = (2*84 + 100 + 40 + 50) / 5 = 358 / 5 = 71.6
    assert r.groups.at["A", ("dimension", "capacity")] == pytest.approx(71.6)
    # overall = (1*75 + 3*71.6) / 4 = 289.8 / 4 = 72.45 -> good (>= 70)
    assert r.overall.at["A", "score"] == pytest.approx(72.45)
    assert r.overall.at["A", "grade"] == "good"
    assert r.overall.at["A", "completeness"] == pytest.approx(1.0)
    # framework "3" = township coverage 50 and committee 100 -> 75
    assert r.groups.at["A", ("framework", "3")] == pytest.approx(75)


def test_missing_renormalises_and_completeness(write):
    figures = {k: v for k, v in FULL.items() if k != "farmer_training_person_times_year"}
    r = scored(write, region("A", **figures))
    assert math.isnan(r.score.at["A", "farmer_training_per_1k"])
    # capacity without farmer training = (2*84 + 100 + 40) / 4 = 77
    assert r.groups.at["A", ("dimension", "capacity")] == pytest.approx(77)
    # nominal share of farmer training = 3/4 (capacity) * 1/5 = 0.15 -> completeness 0.85
    assert r.overall.at["A", "completeness"] == pytest.approx(0.85)
    assert r.missing_fields("A", r.config.indicator_by_id["farmer_training_per_1k"]) == ["farmer_training_person_times_year"]


def test_missing_as_zero_switch(write, tmp_path):
    zero = tmp_path / "zero.yaml"
    zero.write_text(f"extends: {MINI}\nscoring: {{missing: zero}}\n", encoding="utf-8")
    figures = {k: v for k, v in FULL.items() if k != "farmer_training_person_times_year"}
    r = scored(write, region("A", **figures), config=load_config(zero))
    assert r.score.at["A", "farmer_training_per_1k"] == 0  # 0 / 500000 -> 0 of target
    assert r.overall.at["A", "completeness"] == pytest.approx(1.0)


def test_zero_denominator_is_not_assessed(write, tmp_path):
    ratio = tmp_path / "ratio.yaml"
    ratio.write_text(
        f"""extends: {MINI}
indicators:
  - {{id: per_member, zh: 每委员, en: per member, formula: sci_volunteers_registered / committee_members_total,
     dimension: capacity, rule: {{type: target, target: 10}}, lever: sci_volunteers_registered}}
""",
        encoding="utf-8",
    )
    r = scored(write, region("A", committee_members_total=0, sci_volunteers_registered=5), config=load_config(ratio))
    assert math.isnan(r.value.at["A", "per_member"]) and math.isnan(r.score.at["A", "per_member"])
    assert r.reason.at["A", "per_member"] == "zero-denominator"
    # 0/0 with the reported share missing too: the share is what is missing
    r = scored(write, region("A", committee_members_total=0, committee_members_frontline=0))
    assert r.reason.at["A", "committee_frontline"] == "missing"
    assert r.missing_fields("A", r.config.indicator_by_id["committee_frontline"]) == ["committee_frontline_share"]


def test_coalesce_uses_reported_share_when_counts_are_missing(write):
    r = scored(write, region("A", committee_frontline_share="73.17%"))
    assert r.value.at["A", "committee_frontline"] == pytest.approx(0.7317)
    assert r.band.at["A", "committee_frontline"] == "yellow"
    # lever: the counts are missing, so the reported share is the figure to raise: 0.75 - 0.7317
    assert r.gap_field.at["A", "committee_frontline"] == "committee_frontline_share"
    assert r.gap_amount.at["A", "committee_frontline"] == pytest.approx(0.0183)


def test_gap_amounts_in_natural_units(write):
    r = scored(write, region("A", **{**FULL, "committee_members_frontline": 25}))
    assert r.gap_amount.at["A", "township_cast_coverage"] == 2  # 12 - 10 township CASTs
    assert r.gap_amount.at["A", "volunteers_per_10k"] == 800  # 100 * 50 - 4200
    # 25/40 = 0.625 -> 0.75 needs 30 front-line members: +5
    assert r.gap_amount.at["A", "committee_frontline"] == 5
    assert r.gap_amount.at["A", "literacy"] == pytest.approx(0.03)
    assert r.gap_amount.at["A", "renewal"] == 0  # met
    # 10 per 1k needs 5000 person-times: +2500
    assert r.gap_amount.at["A", "farmer_training_per_1k"] == 2500


def test_gap_rounds_up_to_whole_units(write):
    # 1 per 10k of 123,457 people needs 12.3457 volunteers -> 13; 100 per 10k needs 1234.57 -> +1235
    r = scored(write, region("A", population_resident=123457, sci_volunteers_registered=0))
    assert r.gap_amount.at["A", "volunteers_per_10k"] == 1235


def test_flag_no_gap_is_one_switch(write):
    r = scored(write, region("A", county_cast_renewed="否"))
    assert r.score.at["A", "renewal"] == 0 and r.band.at["A", "renewal"] == "red"
    assert r.gap_field.at["A", "renewal"] == "county_cast_renewed" and r.gap_amount.at["A", "renewal"] == 1


def test_bonus_adds_credit_and_never_penalises(write):
    base = scored(write, region("A", **FULL)).overall.at["A", "score"]
    # n_bonus at 0 -> nothing added and no red band
    r0 = scored(write, region("A", **FULL))
    assert r0.overall.at["A", "bonus"] == 0 and r0.band.at["A", "n_bonus"] is None
    # 5 initiatives -> score 100 -> +4 points; 72.45 + 4 = 76.45
    r5 = scored(write, region("A", **{**FULL, "n_innovation_count": 5}))
    assert r5.overall.at["A", "score"] == pytest.approx(base + 4)
    # missing bonus does not lower completeness
    nob = {k: v for k, v in FULL.items() if k != "n_innovation_count"}
    assert scored(write, region("A", **nob)).overall.at["A", "completeness"] == pytest.approx(1.0)


def test_geometric_mean(write, tmp_path):
    geo = tmp_path / "geo.yaml"
    geo.write_text(f"extends: {MINI}\nscoring: {{aggregation: geometric}}\n", encoding="utf-8")
    r = scored(write, region("A", **FULL), config=load_config(geo))
    # coverage = sqrt(50 * 100) = 70.7107
    assert r.groups.at["A", ("dimension", "coverage")] == pytest.approx(math.sqrt(5000))
    # capacity = (84^2 * 100 * 40 * 50) ^ (1/5)
    assert r.groups.at["A", ("dimension", "capacity")] == pytest.approx((84**2 * 100 * 40 * 50) ** 0.2)


def test_geometric_floor_keeps_scores_positive(write, tmp_path):
    geo = tmp_path / "geo.yaml"
    geo.write_text(f"extends: {MINI}\nscoring: {{aggregation: geometric, geometric_floor: 1}}\n", encoding="utf-8")
    r = scored(write, region("A", county_cast_renewed=False, township_count=10, township_cast_count=10), config=load_config(geo))
    # renewal 0 is floored at 1: sqrt(1 * 100) = 10, not 0
    assert r.groups.at["A", ("dimension", "coverage")] == pytest.approx(10)


def test_lower_is_better_mirrors(write, tmp_path):
    lower = tmp_path / "lower.yaml"
    lower.write_text(
        f"""extends: {MINI}
indicators:
  - id: literacy
    direction: lower
  - id: township_cast_coverage
    direction: lower
    rule: {{type: bands, bands: {{green: 0.8, yellow: 0.9, orange: 1.0}}}}
  - id: volunteers_per_10k
    direction: lower
""",
        encoding="utf-8",
    )
    r = scored(write, region("A", **FULL), config=load_config(lower))
    assert r.score.at["A", "literacy"] == pytest.approx(60)  # (0.15-0.12)/0.05 = 0.6: mirror of 40
    assert r.band.at["A", "township_cast_coverage"] == "yellow"  # 0.833 <= 0.9
    assert r.score.at["A", "volunteers_per_10k"] == 100  # 84 <= 100 target
    # lower is better: 10/12 -> 0.8 needs 9.6 CASTs, i.e. 1 fewer (rounded away from zero: -1 gives 0.75)
    assert r.gap_amount.at["A", "township_cast_coverage"] == -1


def test_same_score_alone_or_in_a_batch(write):
    other = region("B", township_count=5, township_cast_count=1, population_resident=10000, sci_volunteers_registered=9000)
    alone = scored(write, region("A", **FULL))
    batch = scored(write, other, region("A", **FULL))
    assert alone.overall.at["A", "score"] == pytest.approx(batch.overall.at["A", "score"])
    assert alone.score.loc["A"].equals(batch.score.loc["A"])


def test_cumulative_figure_is_not_used_for_an_annual_rate(write):
    row = region("A", population_resident=100000, farmer_training_person_times_year={"value": 53600, "period": "cumulative"})
    r = scored(write, row)
    assert math.isnan(r.score.at["A", "farmer_training_per_1k"])
    assert r.reason.at["A", "farmer_training_per_1k"] == "cumulative"


def test_effective_weights_sum_to_one_and_explain_the_score(write):
    r = scored(write, region("A", **{k: v for k, v in FULL.items() if k != "science_literacy_rate"}))
    eff = r.effective_weight.loc["A"]
    assert eff.sum() == pytest.approx(1.0)
    contribution = (eff * r.score.loc["A"].fillna(0)).sum()
    assert contribution == pytest.approx(r.overall.at["A", "base"])


figure = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 50), figure, figure, st.floats(0, 1)), min_size=1, max_size=6))
def test_invariants(tmp_path_factory, rows):
    """Scores in [0, 100] or NaN; completeness in [0, 1]; overall within its groups' range."""
    config = load_config(MINI)
    records = []
    for n, (towns, casts, pop, vols, lit) in enumerate(rows):
        records.append(
            region(
                f"R{n}",
                township_count=towns,
                township_cast_count=min(casts, towns),
                population_resident=max(pop, 1) // 1 or 1,
                sci_volunteers_registered=vols // 1,
                science_literacy_rate=lit,
            )
        )
    path = tmp_path_factory.mktemp("h") / "r.yaml"
    path.write_text(yaml.safe_dump({"regions": records}, allow_unicode=True), encoding="utf-8")
    r = engine.score(read_regions(path, config), config)
    s = r.score.to_numpy(dtype="float64")
    assert np.all(np.isnan(s) | ((s >= 0) & (s <= 100)))
    c = r.overall["completeness"].to_numpy()
    assert np.all((c >= 0) & (c <= 1 + 1e-12))
    o = r.overall["score"].to_numpy(dtype="float64")
    assert np.all(np.isnan(o) | ((o >= 0) & (o <= 100)))
