"""Properties that must hold for any input (issue 12, item 7): random tables and random valid
indicators files either score or fail with the user-error type, never anything else; every score
lies in [0, 100] or is not assessed; a region scored alone equals the same region in a batch."""

import csv
import io

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scast_cli import engine
from scast_cli.config import load_config
from scast_cli.errors import ScastError
from scast_cli.readers import read_regions
from tests.conftest import MINI

FIELDS = [
    "乡镇(街道)数",
    "乡镇(街道)科协数",
    "常住人口",
    "注册科技志愿者人数",
    "委员总数",
    "基层一线委员数",
    "委员中一线占比",
    "公民具备科学素质比例",
    "县级科协已按期换届",
]

# cells a person, a spreadsheet or an attacker might put in a table
cell = st.one_of(
    st.integers(-10, 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "",
            "—",
            "5.36万",
            "4200多",
            "近20,000",
            "73.17%",
            "12（推算）",
            "1（全覆盖）",
            "累计53600",
            "新增10",
            "是",
            "否",
            "abc",
            "=1+2",
            "nan",
            "inf",
            "-inf",
            "1e999",
            "9" * 400,
            "1,111,111,111,111,111,111,111x",
            "\x1b[2J",
            "0x1A",
            "１２",
        ]
    ),
    st.text(max_size=30),
)


def _table(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["地区", *FIELDS])
    for n, row in enumerate(rows):
        writer.writerow([f"R{n}", *row])
    return buffer.getvalue()


def _check_result(result) -> None:
    s = result.score.to_numpy(dtype="float64")
    assert np.all(np.isnan(s) | ((s >= 0) & (s <= 100)))
    o = result.overall
    total = o["score"].to_numpy(dtype="float64")
    assert np.all(np.isnan(total) | ((total >= 0) & (total <= 100)))
    scored = o["score"].notna()
    assert (o["low"][scored] <= o["score"][scored] + 1e-9).all() and (o["score"][scored] <= o["high"][scored] + 1e-9).all()
    assert np.all(np.isfinite(o["completeness"].to_numpy(dtype="float64")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell, min_size=len(FIELDS), max_size=len(FIELDS)), min_size=1, max_size=4))
def test_random_tables_score_or_fail_as_user_errors(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text(_table(rows), encoding="utf-8")
    config = load_config(MINI)
    try:
        result = engine.score(read_regions(path, config), config)
    except ScastError:
        return  # one clear message per problem, exit 1 or 2: the CLI's job
    _check_result(result)


@st.composite
def configs(draw):
    """A valid indicators file over the mini fields: random rules, thresholds in order, weights, groups."""
    formulas = [
        ("township_cast_count / township_count", "share"),
        ("sci_volunteers_registered / population_resident * 10000", "per_10k"),
        ("coalesce(committee_members_frontline / committee_members_total, committee_frontline_share)", "share"),
        ("science_literacy_rate", "share"),
        ("county_cast_renewed", "flag"),
        ("min(1, township_cast_count / township_count) + science_literacy_rate", "number"),
    ]
    indicators = []
    for n in range(draw(st.integers(1, 6))):
        formula, unit = draw(st.sampled_from(formulas))
        kind = draw(st.sampled_from(["bands", "target", "goalposts", "flag"]))
        direction = draw(st.sampled_from(["higher", "lower"]))
        top = 1.0 if unit == "share" else 200.0  # a share's thresholds are fractions (the lint refuses 70 for 0.7)
        if kind == "bands":
            floors = sorted(draw(st.lists(st.floats(0.01, top), min_size=3, max_size=3, unique=True)), reverse=direction == "higher")
            rule = {"type": "bands", "bands": dict(zip(("green", "yellow", "orange"), floors, strict=True))}
        elif kind == "target":
            rule = {"type": "target", "target": draw(st.floats(0.01, top))}
        elif kind == "goalposts":
            lo = draw(st.floats(0, top / 2))
            rule = {"type": "goalposts", "lower": lo, "upper": lo + draw(st.floats(0.01, top / 2))}
        else:
            rule = {"type": "flag"}
        indicators.append(
            {
                "id": f"ind{n}",
                "zh": f"指标{n}",
                "en": f"indicator {n}",
                "formula": formula,
                "unit": unit,
                "direction": direction,
                "dimension": draw(st.sampled_from(["coverage", "capacity"])),
                "rule": rule,
                "weight": draw(st.floats(0.1, 10)),
                "source": "test",
            }
        )
    return {
        "extends": str(MINI),
        "remove": ["township_cast_coverage", "volunteers_per_10k", "committee_frontline", "literacy", "renewal", "farmer_training_per_1k"],
        "scoring": {"aggregation": draw(st.sampled_from(["arithmetic", "geometric"])), "min_completeness": draw(st.floats(0, 1))},
        "indicators": indicators,
    }


region_figures = st.fixed_dictionaries(
    {},
    optional={
        "township_count": st.integers(1, 50),
        "township_cast_count": st.integers(0, 50),
        "population_resident": st.integers(1, 10**7),
        "sci_volunteers_registered": st.integers(0, 10**6),
        "committee_members_total": st.integers(0, 500),
        "committee_frontline_share": st.floats(0, 1),
        "science_literacy_rate": st.floats(0, 1),
        "county_cast_renewed": st.booleans(),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(configs(), st.lists(region_figures, min_size=1, max_size=4))
def test_random_valid_configs_score_in_range_and_alone_equals_batch(tmp_path_factory, config_data, figures):
    folder = tmp_path_factory.mktemp("c")
    (folder / "cfg.yaml").write_text(yaml.safe_dump(config_data, allow_unicode=True), encoding="utf-8")
    config = load_config(folder / "cfg.yaml")
    regions = []
    for n, f in enumerate(figures):
        if "township_cast_count" in f and "township_count" in f:
            f = {**f, "township_cast_count": min(f["township_cast_count"], f["township_count"])}
        regions.append({"region": f"R{n}", "level": "county", "year": 2024, "figures": f})
    (folder / "batch.yaml").write_text(yaml.safe_dump({"regions": regions}, allow_unicode=True), encoding="utf-8")
    batch = engine.score(read_regions(folder / "batch.yaml", config), config)
    _check_result(batch)
    last = regions[-1]
    (folder / "alone.yaml").write_text(yaml.safe_dump(last, allow_unicode=True), encoding="utf-8")
    alone = engine.score(read_regions(folder / "alone.yaml", config), config)
    name = last["region"]
    assert alone.score.loc[name].equals(batch.score.loc[name])
    for column in ("score", "low", "high", "completeness"):
        a, b = alone.overall.at[name, column], batch.overall.at[name, column]
        assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b)
