"""The CLI: formats, languages, exit codes, stderr, parity with the library, start-up."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from scast_cli import __version__, engine
from scast_cli.cli import app
from scast_cli.config import load_config
from scast_cli.readers import read_regions
from tests.conftest import FIXTURES, MINI, REGIONS, ROOT

runner = CliRunner()
REGION = str(FIXTURES / "mini_region.yaml")


def invoke(*args, env=None):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **(env or {})})


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout == f"scast {__version__}\n"


def test_json_contract_and_parity_with_library():
    result = invoke("score", REGION, "-i", str(MINI), "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"region", "overall", "groups", "indicators", "config"}
    assert set(payload["region"]) >= {"name", "level", "year"}
    assert set(payload["overall"]) >= {"score", "grade", "completeness"}
    for g in payload["groups"]:
        assert set(g) >= {"kind", "id", "label", "score", "weight"} and g["kind"] in ("dimension", "framework", "standard")
    for i in payload["indicators"]:
        assert set(i) >= {"id", "label", "dimension", "tags", "value", "unit", "target", "score", "band", "gap", "missing", "inputs"}
        assert i["score"] is None or 0 <= i["score"] <= 100
        assert i["band"] in (None, "green", "yellow", "orange", "red")
        assert i["gap"] is None or set(i["gap"]) == {"field", "amount"}
    assert set(payload["config"]) == {"path", "sha256"}
    config = load_config(MINI)
    expected = engine.as_dict(engine.score(read_regions(REGION, config), config), "测试县", "en")
    assert payload == json.loads(json.dumps(expected, ensure_ascii=False))


def test_table_en_and_zh():
    en = invoke("score", REGION, "-i", str(MINI), "--lang", "en")
    assert en.exit_code == 0 and "Overall score" in en.stdout and "Township CAST coverage" in en.stdout
    assert "Not assessed" in en.stdout and "farmer_training_person_times_year" in en.stdout
    assert "\x1b[" not in en.stdout  # NO_COLOR and not a terminal: no escape codes
    zh = invoke("score", REGION, "-i", str(MINI), "--lang", "zh")
    assert zh.exit_code == 0 and "总分" in zh.stdout and "乡镇科协覆盖率" in zh.stdout and "未评估指标" in zh.stdout


@pytest.mark.parametrize("by, heading", [("framework", "Three heads"), ("standard", "Organisation")])
def test_by_group_kind(by, heading):
    result = invoke("score", REGION, "-i", str(MINI), "--lang", "en", "--by", by)
    assert result.exit_code == 0 and heading in result.stdout


def test_csv():
    result = invoke("score", REGION, "-i", str(MINI), "--format", "csv")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and lines[0].startswith("region,year,indicator,label")
    assert len(lines) == 1 + 7  # header + one row per indicator
    assert any(line.startswith("测试县,2024,township_cast_coverage,") for line in lines)


def test_markdown():
    result = invoke("score", REGION, "-i", str(MINI), "--format", "markdown", "--lang", "zh")
    assert result.exit_code == 0 and result.stdout.startswith("# scast 评分：测试县")
    assert "| 指标 | 数值 | 目标值 | 得分 | 档次 | 距目标差距 |" in result.stdout


def test_bad_data_exits_1_with_one_line_per_problem(write):
    bad = write("bad.yaml", "region: X\nfigures:\n  township_count: 12\n  township_cast_count: 13\n  population_resident: -1\n")
    result = invoke("score", str(bad), "-i", str(MINI))
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {bad}:4:") and "part larger than its whole" in lines[0]
    assert lines[1].startswith(f"error: {bad}:5:") and lines[-1] == "2 problems"
    assert "Traceback" not in result.stderr


def test_bad_config_exits_1(write):
    bad = write("ind.yaml", f"extends: {MINI}\nindicators:\n  - id: literacy\n    formula: literacy_rat\n")
    result = invoke("score", REGION, "-i", str(bad))
    assert result.exit_code == 1 and f"{bad}:4:" in result.stderr and "did you mean 'science_literacy_rate'" in result.stderr


def test_missing_file_or_folder_is_a_usage_error_but_a_broken_extends_is_bad_config(write, tmp_path):
    result = invoke("score", "nope.yaml", "-i", str(MINI))
    assert result.exit_code == 2 and "nope.yaml: file not found" in result.stderr
    folder = invoke("score", str(tmp_path), "-i", str(MINI))
    assert folder.exit_code == 2 and f"{tmp_path}: is a folder" in folder.stderr
    bad = write("ind.yaml", "extends: nowhere.yaml\n")
    result = invoke("score", REGION, "-i", str(bad))
    assert result.exit_code == 1 and f"{bad}:1:" in result.stderr and "no indicators file at" in result.stderr


def test_bad_usage_exits_2():
    assert invoke("score", REGION, "--format", "pdf").exit_code == 2
    assert invoke("scor", REGION).exit_code == 2


def test_unknown_region_exits_2(write):
    two = write("two.yaml", "regions:\n  - {region: A, figures: {}}\n  - {region: B, figures: {}}\n")
    result = invoke("score", str(two), "-i", str(MINI))
    assert result.exit_code == 2 and "choose one with --region: A, B" in result.stderr
    assert invoke("score", str(two), "-i", str(MINI), "--region", "C").exit_code == 2
    assert invoke("score", str(two), "-i", str(MINI), "--region", "B").exit_code == 0


def test_debug_shows_the_traceback(write):
    bad = write("bad.yaml", "region: X\nfigures:\n  township_count: -3\n")
    result = invoke("--debug", "score", str(bad), "-i", str(MINI))
    assert result.exit_code == 1 and isinstance(result.exception, Exception)


def test_lang_defaults_from_locale():
    result = invoke("score", REGION, "-i", str(MINI), "--format", "json", env={"LC_ALL": "zh_CN.UTF-8"})
    assert json.loads(result.stdout)["overall"]["grade"] == "良好"


@pytest.mark.parametrize("path", REGIONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_bundled_region_in_every_format_and_language(path, fmt, lang):
    result = invoke("score", str(path), "--format", fmt, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()


def test_help_does_not_import_pandas():
    code = "import sys; from scast_cli.cli import app; from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']); print('pandas' in sys.modules, 'pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


@pytest.mark.skipif(shutil.which("scast") is None, reason="scast is not installed on PATH")
def test_installed_scast_runs_from_another_directory(tmp_path):
    """The console script and the bundled indicators.yaml work outside the repo."""
    region = ROOT / "data" / "regions" / "jiaozhou.yaml"
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(["scast", "score", str(region), "--format", "json"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["region"]["name"] == "胶州市"
    bad = subprocess.run(["scast", "score", "missing.yaml"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
