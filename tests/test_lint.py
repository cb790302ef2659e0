"""`scast indicators check | list | show`, and the lint rules every command loads a config with.

tests/fixtures/lint/broken.yaml (with parent.yaml, which it extends) holds every problem of
issue 12 item 4 at once; each is marked in the file by an "# expect: CODE" comment on the line
where it must be reported. cycle_a.yaml and cycle_b.yaml extend each other.
"""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.config import default_path, load_config
from scast_cli.errors import ScastError
from tests.conftest import FIXTURES, MINI

LINT = FIXTURES / "lint"
BROKEN = LINT / "broken.yaml"
runner = CliRunner()

# fields of the bundled file that no formula reads, each on purpose (see their `help`): context
# figures, a breakdown of key people, a count that is not coverage, a completion flag that is not
# on schedule, and campaign volunteers that are not registrations
BUNDLED_UNUSED = {
    "population_rural",
    "high_tech_enterprise_count",
    "kepu_liaison_count",
    "youth_kepu_org_count",
    "campus_kepu_hall_count",
    "sci_volunteer_team_count",
    "county_cast_renewal_completed",
    "sanzhang_hospital_heads",
    "sanzhang_school_heads",
    "sanzhang_agri_heads",
    "sanzhang_enterprise_heads",
    "sanzhang_other_heads",
    "sci_volunteers_mobilised",
}


def invoke(*args):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "160"})


def expected(*paths: Path) -> set[tuple[str, int, str]]:
    """(file name, line, code) for every '# expect: a, b' comment in the fixtures."""
    out = set()
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = re.search(r"# expect: ([a-z, -]+)$", line)
            for code in match.group(1).split(",") if match else []:
                out.add((path.name, n, code.strip()))
    return out


def found(problems) -> set[tuple[str, int, str]]:
    return {(Path(p["file"]).name, p["line"], p["code"]) for p in problems}


# ---------------------------------------------------------------- check: one run finds everything


def test_check_finds_every_problem_of_the_broken_file_in_one_run():
    result = invoke("indicators", "check", str(BROKEN), "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    want = expected(BROKEN, LINT / "parent.yaml") - {("parent.yaml", n, c) for _, n, c in expected(LINT / "cycle_b.yaml")}
    assert found(report["problems"]) == want
    codes = {p["code"] for p in report["problems"]}
    # every rule of item 4 (the extends loop is its own pair of files, below)
    assert codes >= {
        "duplicate-id",
        "unknown-field",
        "unknown-function",
        "not-finite",
        "bad-weight",
        "bad-target",
        "bad-bounds",
        "bad-bands",
        "bad-goalposts",
        "share-as-percent",
        "geometric-zero",
        "missing-source",
        "missing-label",
        "unused-field",
        "empty-group",
        "nothing-to-score",
    }
    assert report["valid"] is False and report["errors"] == sum(p["severity"] == "error" for p in report["problems"])
    assert report["warnings"] == sum(p["severity"] == "warning" for p in report["problems"]) > 0


def test_check_lines_name_file_line_key_found_and_expected():
    result = invoke("indicators", "check", str(BROKEN), "--lang", "en")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{BROKEN}: 20 errors, 13 warnings"
    text = "\n".join(lines)
    assert f"error: {BROKEN}:29:14: indicators[typo_in_formula].formula: unknown field 'townshp_cast_count' (did you mean 'township_cast_count'?)" in text
    assert "unknown function 'round'" in text and "allowed: min, max, coalesce" in text
    assert "indicators[township_cast_coverage].rule.target: 'township_cast_coverage' is a share (0 to 1) but its target threshold is 70" in text
    assert "for 70% write 0.7" in text
    assert "indicators[volunteers_per_10k].weight: weight is .nan; expected a finite number" in text
    first = BROKEN.read_text(encoding="utf-8").splitlines().index("  - id: twice") + 1
    assert f"id 'twice' is used twice in indicators (first at line {first})" in text
    assert "geometric_floor 1" in text  # the floor in use
    assert "it is only the whole that delegates_frontline is checked against" in text  # a denominator no formula reads
    # errors first, then warnings, one line each
    severities = [line.split(":")[0] for line in lines[:-1]]
    assert severities == sorted(severities, key=lambda s: s != "error") and set(severities) == {"error", "warning"}
    # the credit-only "N" group with only bonus members is fine
    assert "'N'" not in text


def test_every_problem_carries_its_params_for_a_translation():
    report = json.loads(invoke("indicators", "check", str(BROKEN), "--format", "json").stdout)
    for p in report["problems"]:
        if p["code"] != "invalid-config":
            assert p["params"], p
    typo = next(p for p in report["problems"] if p["code"] == "unknown-field" and p["params"].get("name") == "townshp_cast_count")
    assert typo["params"]["suggestion"] == "township_cast_count" and typo["where"] == "indicators[typo_in_formula].formula"
    nan = next(p for p in report["problems"] if p["where"] == "indicators[volunteers_per_10k].weight")
    assert nan["code"] == "not-finite" and nan["params"]["found"] == ".nan"  # JSON has no NaN
    share = next(p for p in report["problems"] if p["code"] == "share-as-percent")
    assert share["params"] == {"id": "township_cast_coverage", "key": "target", "found": 70.0, "suggestion": 0.7}


def test_score_refuses_the_broken_file_with_the_same_error_lines():
    check = invoke("indicators", "check", str(BROKEN), "--lang", "en")
    errors = [line for line in check.stdout.splitlines() if line.startswith("error:")]
    score = invoke("score", "data/regions/jiaozhou.yaml", "--indicators", str(BROKEN), "--lang", "en")
    assert score.exit_code == 1
    assert score.stderr.splitlines() == [*errors, f"{len(errors)} problems"]
    with pytest.raises(ScastError) as exc:
        load_config(BROKEN)
    assert [str(p) for p in exc.value.problems] == [line.removeprefix("error: ") for line in errors]


def test_extends_loop_is_one_line():
    result = invoke("indicators", "check", str(LINT / "cycle_a.yaml"))
    assert result.exit_code == 1
    line, summary = result.stdout.splitlines()
    [(name, n, code)] = expected(LINT / "cycle_b.yaml")
    assert line.startswith(f"error: {LINT / name}:{n}:") and "the chain loops" in line
    assert "cycle_a.yaml -> " in line and summary == f"{LINT / 'cycle_a.yaml'}: 1 error, 0 warnings"
    report = json.loads(invoke("indicators", "check", str(LINT / "cycle_a.yaml"), "-f", "json").stdout)
    assert [p["code"] for p in report["problems"]] == [code] == ["extends-loop"]


def test_bundled_file_checks_clean_but_for_fields_read_by_no_formula():
    result = invoke("indicators", "check", "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["valid"] and report["errors"] == 0 and report["indicators"] == len(load_config().indicators)
    assert {p["code"] for p in report["problems"]} <= {"unused-field"}
    assert {p["params"]["id"] for p in report["problems"]} == BUNDLED_UNUSED
    assert invoke("indicators", "check", str(default_path())).exit_code == 0
    assert invoke("indicators", "check", str(MINI)).stdout.endswith("0 errors, 0 warnings\n")
    assert invoke("indicators", "check", str(LINT / "parent.yaml")).stdout.splitlines()[0] == "no problems"


def test_check_of_a_missing_file_is_a_usage_error():
    result = invoke("indicators", "check", "nowhere.yaml")
    assert result.exit_code == 2 and "nowhere.yaml: file not found" in result.stderr


# ---------------------------------------------------------------- rules one by one, through load_config


def problems_of(write, text: str, name: str = "cfg.yaml"):
    path = write(name, f"extends: {MINI}\n{text}")
    warnings: list = []
    try:
        load_config(path, warnings=warnings)
        errors = []
    except ScastError as exc:
        errors = exc.problems
    return path, errors, warnings


def test_remove_everything_leaves_nothing_to_score(write):
    path, errors, _ = problems_of(
        write, "remove: [township_cast_coverage, volunteers_per_10k, committee_frontline, literacy, renewal, farmer_training_per_1k]\n"
    )
    [p] = errors
    assert p.code == "nothing-to-score" and p.line == 2 and p.file == str(path) and "remove:" in p.message


def test_share_detected_from_part_over_whole_without_a_unit(write):
    _, errors, _ = problems_of(
        write,
        """indicators:
  - {id: coverage2, zh: 覆盖, en: coverage, formula: township_cast_count / township_count, dimension: coverage,
     rule: {type: bands, bands: {green: 90, yellow: 80}}, source: t}
  - {id: per_head, zh: 人均, en: per head, formula: sci_volunteers_registered / population_resident * 10000, dimension: coverage,
     rule: {type: target, target: 70}, source: t}
""",
    )
    assert [(p.code, p.where) for p in errors] == [("share-as-percent", "indicators[coverage2].rule.bands.green")]


def test_geometric_names_the_floor_and_warnings_do_not_stop_loading(write):
    path, errors, warnings = problems_of(write, "scoring: {aggregation: geometric, geometric_floor: 5}\n")
    assert errors == []
    zero = [w for w in warnings if w.code == "geometric-zero"]
    # volunteers (target), literacy (goalposts), renewal (flag no: 0), farmer training (target); not the bonus
    assert sorted(w.params["id"] for w in zero) == ["farmer_training_per_1k", "literacy", "renewal", "volunteers_per_10k"]
    assert all("geometric_floor 5" in w.message and w.params["floor"] == "5" and w.severity == "warning" for w in zero)
    _, _, none = problems_of(write, "scoring: {aggregation: arithmetic}\n", "b.yaml")
    assert [w for w in none if w.code == "geometric-zero"] == []


def test_bands_scored_zero_warn_once(write):
    _, errors, warnings = problems_of(write, "scoring: {aggregation: geometric, band_scores: {green: 100, yellow: 60, orange: 30, red: 0}}\n")
    assert errors == []
    [w] = [w for w in warnings if w.code == "geometric-zero" and w.params.get("band")]
    assert w.where == "scoring.band_scores.red" and w.line == 2


def test_non_finite_numbers_anywhere(write):
    _, errors, _ = problems_of(
        write,
        """scoring: {bonus_cap: .inf}
groups:
  dimension:
    - {id: coverage, weight: .inf}
grades:
  - {id: pass, min: .nan, zh: 合格, en: Pass}
indicators:
  - id: literacy
    rule: {type: goalposts, lower: 0.1, upper: .inf}
  - id: n_bonus
    bonus_points: 1.0e+400
""",
    )
    assert {(p.code, p.where) for p in errors} >= {
        ("not-finite", "scoring.bonus_cap"),
        ("not-finite", "groups.dimension[coverage].weight"),
        ("not-finite", "grades[pass].min"),
        ("not-finite", "indicators[literacy].rule.upper"),
        ("not-finite", "indicators[n_bonus].bonus_points"),
    }
    assert all(p.line for p in errors)


def test_group_override_is_located_in_the_file_that_sets_it(write):
    path, errors, _ = problems_of(write, "groups:\n  dimension:\n    - {id: capacity, weight: -2}\n")
    [p] = errors
    assert p.code == "bad-weight" and p.file == str(path) and p.line == 4 and p.where == "groups.dimension[capacity].weight"


def test_lower_is_better_bands_must_ascend(write):
    _, errors, _ = problems_of(
        write,
        """indicators:
  - id: volunteers_per_10k
    direction: lower
    rule: {type: bands, bands: {green: 10, yellow: 5}}
""",
    )
    [p] = errors
    assert p.code == "bad-bands" and "ascending" in p.message and p.params["direction"] == "lower"


def test_every_unknown_name_in_a_formula_at_once(write):
    _, errors, _ = problems_of(write, "indicators:\n  - id: literacy\n    formula: litracy_rate + townshp_count / max(1, population_resident) - litracy_rate\n")
    assert [(p.code, p.params["name"]) for p in errors] == [("unknown-field", "litracy_rate"), ("unknown-field", "townshp_count")]
    assert errors[1].params["suggestion"] == "township_count"


def test_only_bonus_members_in_a_scored_group_is_a_warning(write):
    _, errors, warnings = problems_of(
        write, "groups:\n  standard:\n    - {id: local, zh: 地方, en: Local, weight: 1}\nindicators:\n  - id: n_bonus\n    standard: [local]\n"
    )
    assert errors == []
    [w] = [w for w in warnings if w.code == "empty-group"]
    assert w.params == {"group_kind": "standard", "group": "local", "reason": "bonus-only"} and "credit: true" in w.message


# ---------------------------------------------------------------- list and show


def test_list_json_has_every_indicator():
    result = invoke("indicators", "list", "--format", "json", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    config = load_config()
    assert [r["id"] for r in rows] == [i.id for i in config.indicators]
    first = rows[0]
    assert set(first) >= {"id", "label", "part", "dimension", "standard", "rule", "weight", "basis", "bonus_points", "fallback_for"}
    assert first["label"] == config.indicators[0].zh
    bonus = next(r for r in rows if r["bonus"])
    assert bonus["part"] == ["N"] and bonus["bonus_points"] > 0
    assert any(r["fallback_for"] for r in rows)
    assert result.stderr == ""  # the bundled file's own warnings are for `check`


def test_list_table_markdown_and_csv():
    table = runner.invoke(app, ["indicators", "list", "--lang", "en"], env={"NO_COLOR": "1", "COLUMNS": "200"})  # wide enough for whole rules
    assert table.exit_code == 0
    assert "township_cast_coverage" in table.stdout and "Township CAST coverage" in table.stdout
    assert "bonus +3" in table.stdout and "bands ≥ 100% / 94% / 80%" in table.stdout
    markdown = invoke("indicators", "list", "-f", "markdown", "--lang", "zh").stdout
    assert markdown.startswith("| 指标代码 | 指标 | 部分 |") and "| `township_cast_coverage` |" in markdown
    csv_text = invoke("indicators", "list", "-f", "csv").stdout
    assert csv_text.splitlines()[0] == "id,label,part,dimension,standard,rule,weight,bonus_points,fallback_for,basis"
    assert len(csv_text.splitlines()) == len(load_config().indicators) + 1


def test_list_prints_warnings_of_the_users_own_file(write):
    path = write("mine.yaml", f"extends: {MINI}\nfields:\n  - {{id: spare, zh: 备用, en: spare, kind: count}}\n")
    result = invoke("indicators", "list", "--indicators", str(path))
    assert result.exit_code == 0 and f"warning: {path}:3:" in result.stderr and "'spare'" in result.stderr


def test_show_json_and_table():
    result = invoke("indicators", "show", "township_cast_coverage", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "township_cast_coverage" and data["label"] == "Township CAST coverage"
    assert [f["id"] for f in data["fields"]] == ["township_cast_count", "township_count", "township_cast_coverage_share"]
    assert data["fields"][0]["unit"] == {"zh": "个", "en": "units"}
    assert data["rule"] == {"type": "bands", "direction": "higher", "bands": {"green": 1.0, "yellow": 0.94, "orange": 0.8}}
    assert data["groups"]["dimension"] == [{"id": "coverage", "label": "Coverage"}] and data["groups"]["framework"] == []
    assert data["source"]["zh"] and data["source"]["en"] and data["basis"] == "reported" and data["why"]["en"]
    fallback = json.loads(invoke("indicators", "show", "county_cast_fulltime_leaders", "-f", "json").stdout)
    assert fallback["fallback_for"] == "county_full_leadership_rate" and fallback["calibrated_on"]
    primary = json.loads(invoke("indicators", "show", "county_full_leadership_rate", "-f", "json").stdout)
    assert primary["fallbacks"] == ["county_cast_fulltime_leaders"]
    table = invoke("indicators", "show", "乡镇(街道)科协覆盖率", "--lang", "zh")
    assert table.exit_code == 0
    for word in ("township_cast_coverage", "乡镇(街道)科协覆盖率", "公式", "读取的字段", "分档（越高越好）", "来源", "coverage（组织覆盖）"):
        assert word in table.stdout
    assert "organisation（组织体系设置标准化）" in table.stdout and "(组织覆盖)" not in table.stdout  # named as the fields are
    markdown = invoke("indicators", "show", "Township CAST coverage", "-f", "markdown").stdout
    assert markdown.startswith("## `township_cast_coverage`")


def test_show_with_a_typo_suggests_and_exits_2():
    result = invoke("indicators", "show", "townshp_cast_coverage")
    assert result.exit_code == 2
    assert "no indicator 'townshp_cast_coverage' (did you mean 'township_cast_coverage'?)" in result.stderr
    assert "scast indicators list" in result.stderr and result.stdout == ""


def test_show_refuses_a_broken_file_like_every_command():
    result = invoke("indicators", "show", "renewal", "--indicators", str(BROKEN))
    assert result.exit_code == 1 and "share-as-percent" not in result.stderr and "is a share (0 to 1)" in result.stderr


def test_no_group_of_the_overall_kind_leaves_nothing_to_score(write):
    text = MINI.read_text(encoding="utf-8").replace("overall_by: dimension", "overall_by: standard")
    text = text.replace("  standard:\n    - {id: organisation, zh: 组织体系, en: Organisation, weight: 1}\n", "  standard: []\n")
    path = write("cfg.yaml", text)
    with pytest.raises(ScastError) as exc:
        load_config(path)
    codes = [p.code for p in exc.value.problems]
    assert "nothing-to-score" in codes and "unknown-group" in codes  # township_cast_coverage names 'organisation'


def test_remove_of_an_unknown_id_is_an_error_with_a_suggestion(write):
    path, errors, _ = problems_of(write, "remove: [literacy, renewl]\n")
    [p] = errors
    assert (p.code, p.file, p.line, p.params["suggestion"]) == ("unknown-indicator", str(path), 2, "renewal")
    _, errors, _ = problems_of(write, "remove: 5\n", "b.yaml")
    assert [p.code for p in errors] == ["bad-remove"]


def test_hostile_labels_stay_text_in_every_format(write):
    path = write(
        "mine.yaml",
        f"""extends: {MINI}
indicators:
  - id: literacy
    zh: "=HYPERLINK(\\"http://x\\",\\"点我\\")"
    en: "\\e[2J<script>x</script> [a](http://x)"
""",
    )
    csv_text = invoke("indicators", "list", "-i", str(path), "-f", "csv", "--lang", "zh").stdout
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    for args in (("list",), ("show", "literacy"), ("show", "literacy", "-f", "markdown"), ("list", "-f", "markdown")):
        out = invoke("indicators", *args, "-i", str(path)).stdout
        assert "\x1b" not in out and "[2J" not in out, args  # the escape sequence is gone, not just its ESC
        assert "<script>" not in out or "markdown" not in args, args  # literal text on a terminal, an entity in markdown
    markdown = invoke("indicators", "list", "-i", str(path), "-f", "markdown").stdout
    assert "\\[a\\]" in markdown and "[a](" not in markdown and "&lt;script&gt;" in markdown
