"""Loading indicators files: every problem, at its YAML line, with a hint."""

import pytest

from scast_cli.config import load_config
from scast_cli.errors import ScastError
from tests.conftest import MINI


def problems(path):
    with pytest.raises(ScastError) as exc:
        load_config(path)
    return exc.value.problems


def test_default_config_loads_with_enough_indicators():
    config = load_config()
    scored = [i for i in config.indicators if not i.bonus]
    assert len(scored) >= 30
    assert {"dimension", "framework", "standard"} <= set(config.groups)
    rules = {type(i.rule).__name__ for i in config.indicators}
    assert rules == {"BandsRule", "TargetRule", "GoalpostsRule", "FlagRule"}
    assert all(i.source.zh and i.source.en for i in config.indicators), "every indicator cites a source or says proposed"
    # a Chinese report is Chinese throughout: each source has its own Chinese text
    assert [i.id for i in config.indicators if i.source.zh == i.source.en] == []
    assert len(config.sha256) == 64


def test_unknown_field_in_formula_names_file_line_and_suggestion(write):
    path = write(
        "bad.yaml",
        f"""extends: {MINI}
indicators:
  - id: township_cast_coverage
    formula: township_cast_count / townshp_count
""",
    )
    [p] = problems(path)
    assert p.file == str(path) and p.line == 4
    assert p.where == "indicators[township_cast_coverage].formula"
    assert "unknown field 'townshp_count' (did you mean 'township_count'?)" in p.message
    assert str(p).startswith(f"{path}:4:")


def test_every_problem_reported_together(write):
    path = write(
        "bad.yaml",
        f"""extends: {MINI}
indicators:
  - id: literacy
    weight: -1
  - id: renewal
    dimension: coverrage
  - id: township_cast_coverage
    lever: township_cast
""",
    )
    found = problems(path)
    # the rules run on the merged data even when a shape is wrong: one run finds all three
    assert [p.line for p in found] == [4, 6, 8]
    assert found[0].code == "bad-weight" and "expected a number above 0" in found[0].message
    path.write_text(path.read_text().replace("weight: -1", "weight: 1"))
    found = problems(path)
    assert sorted(p.line for p in found) == [6, 8]
    assert any("unknown dimension 'coverrage' (did you mean 'coverage'?)" in p.message for p in found)
    assert any("unknown field 'township_cast'" in p.message for p in found)


def test_rejected_formula_points_at_formula(write):
    path = write(
        "bad.yaml",
        f"""extends: {MINI}
indicators:
  - id: literacy
    formula: __import__('os').system('true')
""",
    )
    [p] = problems(path)
    assert p.line == 4 and p.where == "indicators[literacy].formula"
    assert "only min(), max() and coalesce() may be called" in p.message


def test_bands_out_of_order(write):
    path = write(
        "bad.yaml",
        f"""extends: {MINI}
indicators:
  - id: township_cast_coverage
    rule: {{type: bands, bands: {{green: 0.8, yellow: 0.9}}}}
""",
    )
    [p] = problems(path)
    assert p.line == 4 and p.code == "bad-bands" and "descending" in p.message  # at the bands, not the item


def test_bad_rule_key_located_inside_rule(write):
    path = write(
        "bad.yaml",
        f"""extends: {MINI}
indicators:
  - id: volunteers_per_10k
    rule:
      type: target
      targett: 5
""",
    )
    found = problems(path)
    lines = {p.line for p in found}
    assert 6 in lines  # the unknown key itself
    assert any(p.where.endswith("rule.targett") for p in found)


def test_yaml_syntax_error_has_line(write):
    path = write("bad.yaml", "fields: [\n  - a\n")
    [p] = problems(path)
    assert p.code == "yaml-syntax" and p.line is not None


def test_duplicate_key_is_an_error(write):
    path = write("bad.yaml", "version: 1\nversion: 2\n")
    [p] = problems(path)
    assert p.line == 2 and "appears twice" in p.message


def test_missing_file():
    [p] = problems("no/such/indicators.yaml")
    assert p.code == "file-not-found"


def test_extends_overrides_thresholds_weights_and_adds(write):
    path = write(
        "mine.yaml",
        f"""extends: {MINI}
groups:
  dimension:
    - {{id: capacity, weight: 1}}
indicators:
  - id: township_cast_coverage
    rule: {{type: bands, bands: {{green: 0.9}}}}
    weight: 3
  - id: local_extra
    zh: 本地指标
    en: Local extra
    formula: n_innovation_count
    dimension: capacity
    rule: {{type: target, target: 2}}
remove: [literacy]
""",
    )
    config = load_config(path)
    ind = config.indicator_by_id
    assert ind["township_cast_coverage"].rule.bands == {"green": 0.9}
    assert ind["township_cast_coverage"].weight == 3
    assert ind["township_cast_coverage"].zh == "乡镇科协覆盖率"  # inherited
    assert "local_extra" in ind and "literacy" not in ind
    assert [g.weight for g in config.groups["dimension"]] == [1, 1]


def test_extends_loop_is_refused(write):
    a = write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: a.yaml\n")
    [p] = problems(a)
    assert p.code == "extends-loop"


def test_a_file_loaded_again_gives_the_same_config_and_its_warnings_again(write):
    path = write("cfg.yaml", f"extends: {MINI}\nscoring: {{aggregation: geometric, geometric_floor: 5}}\n")
    first, second = [], []
    config = load_config(path, warnings=first)
    assert load_config(path, warnings=second) is config  # from the cache
    assert [w.code for w in first] == [w.code for w in second] and "geometric-zero" in {w.code for w in first}


def test_an_edited_file_or_an_edited_base_is_loaded_afresh(write):
    base = write("base.yaml", MINI.read_text(encoding="utf-8"))
    path = write("cfg.yaml", "extends: base.yaml\nscoring: {min_completeness: 0.5}\n")
    assert load_config(path).scoring.min_completeness == 0.5
    path.write_text("extends: base.yaml\nscoring: {min_completeness: 0.7}\n", encoding="utf-8")
    assert load_config(path).scoring.min_completeness == 0.7
    base.write_text(base.read_text(encoding="utf-8").replace("min_completeness: 0.6", "min_completeness: 0.6\n  bonus_cap: 3"), encoding="utf-8")
    assert load_config(path).scoring.bonus_cap == 3
    base.write_text("fields: [\n", encoding="utf-8")
    with pytest.raises(ScastError):
        load_config(path)


def test_a_broken_file_is_refused_at_its_line_every_time(write):
    path = write("bad.yaml", f"extends: {MINI}\nindicators:\n  - id: literacy\n    weight: -1\n")
    assert [p.line for p in problems(path)] == [4]
    assert [p.line for p in problems(path)] == [4]


def test_a_lower_limit_applies_to_a_file_loaded_before(write, monkeypatch):
    path = write("cfg.yaml", f"extends: {MINI}\n")
    load_config(path)
    monkeypatch.setenv("SCAST_MAX_YAML_KEYS", "5")
    assert {p.code for p in problems(path)} == {"too-many-keys"}
