"""Scores an evaluator can trust (issue 11): ranges, provisional grades, N as credit only,
compare on the common set, flows refused by stocks, per-unit rules before averages, rank stability.

Hand arithmetic on tests/fixtures/mini.yaml (see tests/test_engine.py for the layout):
coverage (w1) = township_cast_coverage (bands, scores 25..100) + renewal (flag, 0..100);
capacity (w3) = volunteers_per_10k (target, w2) + committee_frontline (bands, 25..100, w1)
+ literacy (goalposts, 0..100, w1) + farmer_training_per_1k (target, 0..100, w1).
"""

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scast_cli import analysis, engine
from scast_cli.config import load_config
from scast_cli.errors import ScastError
from scast_cli.readers import read_regions
from tests.conftest import MINI
from tests.test_engine import FULL, region, regions_file, scored


def without(*names, **extra):
    return {**{k: v for k, v in FULL.items() if k not in names}, **extra}


def with_scoring(tmp_path, text: str):
    path = tmp_path / "cfg.yaml"
    path.write_text(f"extends: {MINI}\n{text}", encoding="utf-8")
    return load_config(path)


# ---------------------------------------------------------------- ranges by hand


def test_range_by_hand_with_final_grade(write):
    # literacy and farmer training missing: scores township 50, renewal 100, volunteers 84, committee 100
    r = scored(write, region("A", **without("science_literacy_rate", "farmer_training_person_times_year")))
    o = r.overall.loc["A"]
    # capacity point (2*84 + 100)/3 = 89.333; worst (168 + 100 + 0 + 0)/5 = 53.6; best (168 + 100 + 100 + 100)/5 = 93.6
    low, high = r.group_range
    assert r.groups.at["A", ("dimension", "capacity")] == pytest.approx(268 / 3)
    assert low.at["A", ("dimension", "capacity")] == pytest.approx(53.6)
    assert high.at["A", ("dimension", "capacity")] == pytest.approx(93.6)
    # coverage is fully assessed: its range collapses to the point 75
    assert low.at["A", ("dimension", "coverage")] == high.at["A", ("dimension", "coverage")] == pytest.approx(75)
    # overall (75 + 3*89.333)/4 = 85.75; (75 + 3*53.6)/4 = 58.95; (75 + 3*93.6)/4 = 88.95
    assert (o["score"], o["low"], o["high"]) == pytest.approx((85.75, 58.95, 88.95))
    # completeness 0.25 + 0.3 + 0.15 = 0.7 >= 0.6: final although the range spans three grades
    assert o["completeness"] == pytest.approx(0.7)
    assert (o["grade"], o["grade_status"], o["grade_reason"]) == ("excellent", "final", "complete")
    assert (o["grade_low"], o["grade_high"]) == ("improve", "excellent")


def test_range_by_hand_with_provisional_grade(write):
    # committee missing too: its bands rule can give 25 at worst
    r = scored(
        write, region("A", **without("science_literacy_rate", "farmer_training_person_times_year", "committee_members_total", "committee_members_frontline"))
    )
    o = r.overall.loc["A"]
    # capacity point 84; worst (168 + 25 + 0 + 0)/5 = 38.6; best 93.6
    # overall (75 + 252)/4 = 81.75; (75 + 115.8)/4 = 47.7; 88.95
    assert (o["score"], o["low"], o["high"]) == pytest.approx((81.75, 47.7, 88.95))
    assert o["completeness"] == pytest.approx(0.55)
    assert (o["grade"], o["grade_status"], o["grade_reason"]) == ("good", "provisional", "incomplete")
    payload = engine.as_dict(r, "A")
    assert payload["overall"]["range"] == pytest.approx([47.7, 88.95])
    assert payload["overall"]["grade_status"] == "provisional"
    capacity = next(g for g in payload["groups"] if g["id"] == "capacity")
    assert capacity["range"] == pytest.approx([38.6, 93.6])


def test_grade_final_when_the_whole_range_lies_in_one_grade(write, tmp_path):
    config = with_scoring(
        tmp_path, "scoring: {min_completeness: 0.9}\ngrades:\n  - {id: high, min: 85, zh: 高, en: High}\n  - {id: low, min: 0, zh: 低, en: Low}\n"
    )
    r = scored(write, region("A", **without("committee_members_total", "committee_members_frontline")), config=config)
    o = r.overall.loc["A"]
    # capacity (168 + 40 + 50)/4 = 64.5 in [(168+25+90)/5, (168+100+90)/5] = [56.6, 71.6]
    # overall (75 + 193.5)/4 = 67.125 in [61.2, 72.45]: below 85 throughout
    assert (o["score"], o["low"], o["high"]) == pytest.approx((67.125, 61.2, 72.45))
    assert o["completeness"] == pytest.approx(0.85)  # below 0.9, yet the grade is settled
    assert (o["grade_status"], o["grade_reason"]) == ("final", "range-in-one-grade")


def test_nothing_assessed_gives_no_grade_and_the_widest_range(write):
    r = scored(write, region("A", population_resident=1000))
    o = r.overall.loc["A"]
    assert math.isnan(o["score"]) and o["grade"] is None and o["grade_status"] is None
    # worst: coverage (25 + 0)/2 = 12.5, capacity 2*0 + 25 + 0 + 0 = 5 -> (12.5 + 15)/4 = 6.875; best 100
    assert (o["low"], o["high"]) == pytest.approx((6.875, 100))


# ---------------------------------------------------------------- N adds, never subtracts


def test_n_credit_is_capped_and_leaves_completeness_alone(write, tmp_path):
    config = with_scoring(tmp_path, "scoring: {bonus_cap: 2.5}\n")
    r = scored(write, region("A", **without(n_innovation_count=5)), config=config)
    # n_bonus at 5 earns 4 points, capped at 2.5: 72.45 + 2.5
    assert r.overall.at["A", "bonus"] == pytest.approx(2.5)
    assert r.overall.at["A", "score"] == pytest.approx(72.45 + 2.5)
    assert r.group_credit.at["A", ("framework", "N")] == pytest.approx(2.5)
    assert r.overall.at["A", "completeness"] == pytest.approx(1.0)
    # all scored indicators assessed: the range collapses to the point, bonus included
    assert r.overall.at["A", "low"] == r.overall.at["A", "high"] == pytest.approx(74.95)


def test_a_non_bonus_indicator_in_the_credit_group_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {MINI}\nindicators:\n  - id: literacy\n    framework: [N]\n", encoding="utf-8")
    with pytest.raises(ScastError) as err:
        load_config(path)
    assert any(p.code == "credit-not-bonus" for p in err.value.problems)


n_rows = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 30), st.integers(0, 40), st.integers(0, 10), st.integers(1, 20)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=30, deadline=None)
@given(n_rows)
def test_raising_an_n_figure_never_lowers_any_score(tmp_path_factory, rows):
    """The default indicators: every field an N (bonus) indicator reads, raised, lowers nothing."""
    config = load_config()
    n_fields = sorted({f for i in config.indicators if i.bonus for f in config.formulas[i.id].fields})
    assert n_fields, "the default indicators carry N items"
    records = []
    for n, (towns, casts, committee, x, _step) in enumerate(rows):
        figures = dict(township_count=towns, township_cast_count=min(casts, towns), committee_members_total=committee, population_resident=100000)
        figures |= {f: x for f in n_fields}
        records.append(region(f"R{n}", **figures))
    base_dir = tmp_path_factory.mktemp("n")
    base = engine.score(read_regions(_dump(base_dir / "a.yaml", records), config), config)
    for f in n_fields:
        raised = [{**r, "figures": {**r["figures"], f: r["figures"][f] + step}} for r, (*_, step) in zip(records, rows, strict=True)]
        after = engine.score(read_regions(_dump(base_dir / f"{f}.yaml", raised), config), config)
        assert (after.overall["score"].fillna(-1) >= base.overall["score"].fillna(-1) - 1e-9).all()
        assert (after.groups.fillna(-1) >= base.groups.fillna(-1) - 1e-9).all().all()
        assert (after.overall["completeness"] == base.overall["completeness"]).all()


def test_a_reported_zero_on_an_n_item_costs_nothing(write):
    zero = scored(write, region("A", **without(n_innovation_count=0)))
    missing = scored(write, region("A", **without("n_innovation_count")))
    assert zero.overall.at["A", "score"] == missing.overall.at["A", "score"] == pytest.approx(72.45)
    assert zero.band.at["A", "n_bonus"] is None


def _dump(path, records):
    path.write_text(yaml.safe_dump({"regions": records}, allow_unicode=True), encoding="utf-8")
    return path


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 20)),
            st.one_of(st.none(), st.integers(0, 20)),
            st.one_of(st.none(), st.floats(0, 1)),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), st.integers(0, 60)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["arithmetic", "geometric"]),
)
def test_range_contains_the_score_and_collapses_when_complete(tmp_path_factory, rows, aggregation):
    folder = tmp_path_factory.mktemp("r")
    (folder / "cfg.yaml").write_text(f"extends: {MINI}\nscoring: {{aggregation: {aggregation}}}\n", encoding="utf-8")
    config = load_config(folder / "cfg.yaml")
    records = []
    for n, (towns, casts, lit, renewed, members) in enumerate(rows):
        figures = {"population_resident": 200000, "sci_volunteers_registered": 1000, "farmer_training_person_times_year": 900}
        if towns is not None:
            figures["township_count"] = towns
            if casts is not None:
                figures["township_cast_count"] = min(casts, towns)
        if lit is not None:
            figures["science_literacy_rate"] = lit
        if renewed is not None:
            figures["county_cast_renewed"] = renewed
        if members is not None:
            figures |= {"committee_members_total": members, "committee_members_frontline": members // 2}
        records.append(region(f"R{n}", **figures))
    r = engine.score(read_regions(_dump(folder / "r.yaml", records), config), config)
    o = r.overall
    scored_ = o["score"].notna()
    assert (o["low"][scored_] <= o["score"][scored_] + 1e-9).all() and (o["score"][scored_] <= o["high"][scored_] + 1e-9).all()
    low, high = r.group_range
    g = r.groups.notna()
    assert ((low[g] <= r.groups[g] + 1e-9) | ~g).all().all() and ((r.groups[g] <= high[g] + 1e-9) | ~g).all().all()
    complete = r.score.drop(columns=["n_bonus"]).notna().all(axis=1)
    assert np.allclose(o["low"][complete], o["score"][complete]) and np.allclose(o["high"][complete], o["score"][complete])


# ---------------------------------------------------------------- compare like with like


def test_compare_differences_on_the_common_set_by_hand(write):
    path = regions_file(
        write,
        region("A", **FULL),
        region("B", township_count=10, township_cast_count=10, population_resident=100000, sci_volunteers_registered=500, science_literacy_rate=0.16),
    )
    config = load_config(MINI)
    r = engine.score(read_regions(path, config), config)
    data = analysis.compare(r, "A", r, "B")
    # shared: township coverage (A 50, B 100), volunteers (A 84, B 50/100 = 50), literacy (A 40, B 100)
    assert data["summary"]["both"] == 3 and data["overall"]["common"]["indicators"] == 3
    assert data["summary"]["left_leads"] == 1 and data["summary"]["right_leads"] == 2
    # A on the common set: coverage 50; capacity (2*84 + 40)/3 = 69.333 -> (50 + 3*69.333)/4 = 64.5
    # B: coverage 100; capacity (2*50 + 100)/3 = 66.667 -> (100 + 200)/4 = 75
    assert data["overall"]["common"]["left"] == pytest.approx(64.5)
    assert data["overall"]["common"]["right"] == pytest.approx(75)
    assert data["overall"]["difference"] == pytest.approx(-10.5)
    capacity = next(g for g in data["groups"] if g["id"] == "capacity")
    assert capacity["difference"] == pytest.approx(208 / 3 - 200 / 3)
    # A's own overall (72.45) rests on more indicators and is shown, never differenced
    assert data["overall"]["left"]["score"] == pytest.approx(72.45)
    one_sided = {i["id"]: i["assessed"] for i in data["indicators"] if i["assessed"] in ("left", "right")}
    # A reports 0 N initiatives (assessed, no credit); B reports none: one-sided, not a difference
    assert one_sided == {"committee_frontline": "left", "renewal": "left", "farmer_training_per_1k": "left", "n_bonus": "left"}
    assert next(g for g in data["groups"] if g["id"] == "N")["difference"] is None
    assert all(i["leader"] is None for i in data["indicators"] if i["assessed"] != "both")


def test_compare_with_nothing_shared_computes_no_difference(write):
    path = regions_file(write, region("A", township_count=10, township_cast_count=5), region("B", science_literacy_rate=0.12))
    config = load_config(MINI)
    r = engine.score(read_regions(path, config), config)
    data = analysis.compare(r, "A", r, "B")
    assert data["summary"]["both"] == 0
    assert data["overall"]["difference"] is None
    assert all(g["difference"] is None for g in data["groups"])
    assert data["overall"]["left"]["score"] is not None and data["overall"]["right"]["score"] is not None


# ---------------------------------------------------------------- flows and stocks


def test_a_flow_offered_to_a_stock_indicator_is_refused(write):
    r = scored(write, region("A", township_count=12, township_cast_count={"value": 10, "period": "flow"}))
    assert math.isnan(r.score.at["A", "township_cast_coverage"])
    assert r.reason.at["A", "township_cast_coverage"] == "flow"
    assert r.regions.values.at["A", "township_cast_count"] == 10  # kept, only not scored
    assert any(w.code == "flow-figure" for w in r.regions.warnings)


def test_xinzeng_in_a_table_cell_reads_as_a_flow(write):
    path = write("t.csv", "地区,乡镇(街道)数,乡镇(街道)科协数\n甲县,12,新增10\n")
    config = load_config(MINI)
    r = engine.score(read_regions(path, config), config)
    assert r.regions.periods[("甲县", "township_cast_count")] == "flow"
    assert r.reason.at["甲县", "township_cast_coverage"] == "flow"


# ---------------------------------------------------------------- per-unit rules before averages


def _fallback_config(tmp_path):
    path = tmp_path / "fb.yaml"
    path.write_text(
        f"""extends: {MINI}
fields:
  - {{id: units, zh: 单位数, en: units, kind: count}}
  - {{id: units_meeting_rule, zh: 达标单位数, en: units meeting the rule, kind: count, part_of: units}}
  - {{id: heads_total, zh: 人数合计, en: heads, kind: count}}
indicators:
  - {{id: rule_rate, zh: 达标率, en: rule rate, formula: units_meeting_rule / units, unit: share, dimension: coverage,
     rule: {{type: bands, bands: {{green: 1.0, yellow: 0.8, orange: 0.5}}}}, lever: units_meeting_rule}}
  - {{id: rule_avg, zh: 平均数, en: average, formula: heads_total / units, unit: persons, dimension: coverage, fallback_for: rule_rate,
     rule: {{type: bands, bands: {{green: 2, yellow: 1.5, orange: 1}}}}, lever: heads_total}}
""",
        encoding="utf-8",
    )
    return load_config(path)


def test_per_unit_figure_wins_over_the_average(write, tmp_path):
    config = _fallback_config(tmp_path)
    both = dict(township_count=10, township_cast_count=10, county_cast_renewed=True, units=10, units_meeting_rule=6, heads_total=30)
    r = scored(write, region("A", **both), region("B", **{k: v for k, v in both.items() if k != "units_meeting_rule"}), config=config)
    # A: 6/10 = 0.6 -> orange 50, the average (3 per unit, green) is superseded
    assert r.score.at["A", "rule_rate"] == 50 and math.isnan(r.score.at["A", "rule_avg"])
    assert r.reason.at["A", "rule_avg"] == "superseded"
    # coverage = (township 100 + renewal 100 + rule 50)/3
    assert r.groups.at["A", ("dimension", "coverage")] == pytest.approx(250 / 3)
    # B: no per-unit figure, the average fills the slot: 3 per unit -> green 100
    assert math.isnan(r.score.at["B", "rule_rate"]) and r.score.at["B", "rule_avg"] == 100
    assert r.groups.at["B", ("dimension", "coverage")] == pytest.approx(100)
    # one slot, not two: completeness and effective weights count it once
    assert r.overall.at["A", "completeness"] == pytest.approx(r.overall.at["B", "completeness"])
    assert r.effective_weight.at["B", "rule_avg"] > 0 and r.effective_weight.at["B", "rule_rate"] == 0


# ---------------------------------------------------------------- rank stability


def _rank(write, *rows, **options):
    config = load_config(MINI)
    r = engine.score(read_regions(regions_file(write, *rows), config), config)
    return {row["region"]: row for row in analysis.rank(r, min_completeness=0, stability_options=options)["regions"]}


def test_stability_when_the_order_is_certain(write):
    weak = dict(township_count=10, township_cast_count=5, population_resident=100000, sci_volunteers_registered=100, science_literacy_rate=0.10)
    strong = dict(township_count=10, township_cast_count=10, population_resident=100000, sci_volunteers_registered=2000, science_literacy_rate=0.15)
    rows = _rank(write, region("Weak", **weak), region("Strong", **strong))
    # Strong scores at least as high on every indicator: first in every draw
    assert (rows["Strong"]["rank_median"], rows["Strong"]["rank_p5"], rows["Strong"]["rank_p95"]) == (1, 1, 1)
    assert (rows["Weak"]["rank_median"], rows["Weak"]["rank_p5"], rows["Weak"]["rank_p95"]) == (2, 2, 2)


def test_stability_when_the_order_is_not(write):
    # A: coverage 100, capacity (literacy) 70; B: coverage 50, capacity 85 -> A 77.5, B 76.25:
    # A ranks first, but B passes whenever the capacity weight exceeds 3.33x the coverage weight
    # (arithmetic) or 3.57x (geometric), which weights of 1 and 3 moved by ±25% reach
    a = dict(township_count=10, township_cast_count=10, science_literacy_rate=0.135)
    b = dict(township_count=10, township_cast_count=8, science_literacy_rate=0.1425)
    rows = _rank(write, region("A", **a), region("B", **b), draws=400, seed=1)
    assert rows["A"]["rank"] == 1 and rows["B"]["rank"] == 2
    assert (rows["A"]["rank_p5"], rows["A"]["rank_p95"]) == (1, 2)
    assert (rows["B"]["rank_p5"], rows["B"]["rank_p95"]) == (1, 2)


def test_stability_draws_repeat_with_the_seed(write):
    a = dict(township_count=10, township_cast_count=10, science_literacy_rate=0.135)
    b = dict(township_count=10, township_cast_count=8, science_literacy_rate=0.14)
    first = _rank(write, region("A", **a), region("B", **b), draws=200, seed=3)
    second = _rank(write, region("A", **a), region("B", **b), draws=200, seed=3)
    assert pd.DataFrame(first).equals(pd.DataFrame(second))
