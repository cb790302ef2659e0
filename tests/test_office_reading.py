"""What a 科协 office's files hold, read as the office meant it.

A form made by `scast template --lang zh` and filled in natural Chinese (县级, 2024年, 是/否/有/无)
scores; a 合计 row is left out with a note; formula cells that no program calculated are refused
by name; .xls and .ods are refused with advice; `-` reads standard input; one bad row does not stop
`score TABLE:REGION` or `rank`, and both say which rows they left out and why.
"""

import io
import json
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.config import load_config
from scast_cli.errors import ScastError
from scast_cli.i18n import is_total_row
from scast_cli.readers import _reference_regions, load_regions, read_regions, stdin_kind
from tests.conftest import ROOT

JIAOZHOU = ROOT / "data" / "regions" / "jiaozhou.yaml"


def invoke(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def config():
    return load_config(None)


def _fill(form, rows):
    """Fill the template's first sheet below its header: {header: value} per row."""
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(r, header.index(name) + 1, value)
    book.save(form)
    return form


def test_a_chinese_form_filled_in_natural_chinese_scores(tmp_path, config):
    form = tmp_path / "form.xlsx"
    assert invoke("template", "--lang", "zh", "-o", form).exit_code == 0
    renewed = next(f.zh for f in config.fields if f.id == "county_cast_renewed")
    _fill(
        form,
        [
            {"地区": "甲县", "层级": "县级", "年份": "2024年", "常住人口": 500000, renewed: "是"},
            {"地区": "乙区", "层级": "区", "年份": 2023, "常住人口": "5.36万", renewed: "无"},
            {"地区": "丙市", "层级": "地级市", "年份": "２０２２年", "常住人口": 3000000, renewed: "有"},
            {"地区": "丁镇", "层级": "街道", "年份": "2021", renewed: "否"},
        ],
    )
    regions = read_regions(form, config)
    assert regions.meta["level"].tolist() == ["county", "county", "prefecture", "township"]
    assert regions.meta["year"].tolist() == [2024, 2023, 2022, 2021]
    assert regions.values["county_cast_renewed"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert regions.values["population_resident"].tolist()[:2] == [500000.0, 53600.0]
    result = invoke("score", f"{form}:甲县", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["region"] == {"name": "甲县", "level": "county", "year": 2024}


def test_a_bad_level_or_year_names_its_cell_and_the_forms(write, config):
    table = write("t.csv", "地区,层级,年份,常住人口\n甲县,县级,2024,1\n胶州市,县城,2024年,2\n乙县,县,24年,3\n")
    regions, problems = load_regions(table, config)
    errors = [(p.code, p.where) for p in problems if p.severity == "error"]
    assert errors == [("bad-level", "row 3 (胶州市), column 层级 (B3)"), ("bad-year", "row 4 (乙县), column 年份 (C4)")]
    level = next(p.message for p in problems if p.code == "bad-level")
    assert "县级" in level and "地级市" in level and "county" in level and "'县城'" in level
    zh = invoke("validate", table, "--lang", "zh")
    assert zh.exit_code == 1 and "第 3 行（胶州市）“层级”列（B3）" in zh.stdout and "2024年" in zh.stdout


def test_a_total_row_is_left_out_with_a_note(write, config):
    table = write("t.csv", "地区,常住人口\n甲县,100\n乙县,200\n合 计,300\n全市,300\n合计（全市）,300\n")
    regions, problems = load_regions(table, config)
    assert regions.names == ["甲县", "乙县"]
    assert [(p.code, p.where, p.severity) for p in problems] == [
        ("total-row", "row 4 (合 计)", "warning"),
        ("total-row", "row 5 (全市)", "warning"),
        ("total-row", "row 6 (合计（全市）)", "warning"),
    ]
    slow, slow_problems = _reference_regions(table, config)
    assert slow.names == regions.names and [str(p) for p in slow_problems] == [str(p) for p in problems]
    result = invoke("rank", table, "-f", "json")
    assert result.exit_code == 0 and "row 4 (合 计)" in result.stderr and "合 计" not in result.stdout
    assert [is_total_row(n) for n in ("全市场", "合计县", "总计", "Total", "胶州市")] == [False, True, True, True, False]


def _uncached(tmp_path, cached: bool):
    """A workbook with a formula in H2, saved (as openpyxl saves) with no result, or with one."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地区", "常住人口", "乡镇(街道)数"])
    sheet.append(["甲县", "=100*5", 10])
    sheet.append(["乙县", 300, "=5+3"])
    path = tmp_path / ("cached.xlsx" if cached else "uncached.xlsx")
    book.save(path)
    if cached:  # as Excel saves it: the formula and its value
        data = io.BytesIO()
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(data, "w") as new:
            for item in old.infolist():
                text = old.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    for formula, value in ((rb"100\*5", b"500"), (rb"5\+3", b"8")):  # openpyxl writes <v></v> or <v/>
                        text = re.sub(rb"(<f>" + formula + rb"</f>)(?:<v></v>|<v\s*/>)?", rb"\1<v>" + value + rb"</v>", text)
                    assert b"<v>500</v>" in text and b"<v>8</v>" in text
                new.writestr(item, text)
        path.write_bytes(data.getvalue())
    return path


def test_formula_cells_without_a_saved_result_are_named(tmp_path, config):
    with pytest.raises(ScastError) as caught:
        read_regions(_uncached(tmp_path, cached=False), config)
    (problem,) = caught.value.problems
    assert problem.code == "uncached-formula" and "(B2, C3)" in problem.message and "Excel or WPS" in problem.message
    regions = read_regions(_uncached(tmp_path, cached=True), config)
    assert regions.values["population_resident"].tolist() == [500.0, 300.0]
    assert regions.values["township_count"].tolist() == [10.0, 8.0]
    zh = invoke("score", f"{_uncached(tmp_path, cached=False)}:甲县", "--lang", "zh")
    assert zh.exit_code == 1 and "公式" in zh.stderr and "B2, C3" in zh.stderr and "WPS" in zh.stderr


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".et"])
def test_old_workbooks_are_refused_with_advice(tmp_path, suffix):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not read")
    result = invoke("score", path)
    assert result.exit_code == 2 and ".xlsx" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "另存为 .xlsx" in invoke("score", path, "--lang", "zh").stderr


def test_stdin_reads_csv_yaml_and_xlsx(tmp_path):
    csv_text = "地区,层级,年份,常住人口,乡镇(街道)数\n甲县,县级,2024年,500000,10\n乙县,区,2024,300000,8\n"
    from_file = tmp_path / "t.csv"
    from_file.write_text(csv_text, encoding="utf-8")
    piped = invoke("rank", "-", "-f", "json", input=csv_text.encode("gb18030"))
    assert piped.exit_code == 0, piped.stderr
    assert json.loads(piped.stdout)["regions"] == json.loads(invoke("rank", from_file, "-f", "json").stdout)["regions"]
    yaml_run = invoke("score", "-", "-f", "json", input=JIAOZHOU.read_bytes())
    assert yaml_run.exit_code == 0 and json.loads(yaml_run.stdout) == json.loads(invoke("score", JIAOZHOU, "-f", "json").stdout)
    xlsx = _uncached(tmp_path, cached=True)
    assert json.loads(invoke("score", "-", "--region", "乙县", "-f", "json", input=xlsx.read_bytes()).stdout)["region"]["name"] == "乙县"
    compared = invoke("compare", from_file.parent / "t.csv:甲县", "-", "-f", "json", input=JIAOZHOU.read_bytes())  # either side may be piped
    assert compared.exit_code == 0, compared.stderr
    assert [json.loads(compared.stdout)[side]["label"] for side in ("left", "right")] == ["甲县", "胶州市"]
    both = invoke("compare", "--in", "-", "甲县", "乙县", "-f", "json", input=csv_text.encode("utf-8"))
    assert both.exit_code == 0 and json.loads(both.stdout)["right"]["label"] == "乙县"
    bad = invoke("score", "-", input=b"region: x\nfigures:\n  nope: 1\n")
    assert bad.exit_code == 1 and "<stdin>" in bad.stderr and "scast-" not in bad.stderr  # named as stdin, not as a temporary file
    assert [stdin_kind(b) for b in (b"PK\x03\x04..", b"# c\nregion: x", b"---\n", b"\xef\xbb\xbf\xe5\x9c\xb0\xe5\x8c\xba,a\n", b"")] == [
        ".xlsx",
        ".yaml",
        ".yaml",
        ".csv",
        ".csv",
    ]


def test_stdin_in_a_real_pipe_within_the_size_limit(tmp_path):
    text = "地区,常住人口\n甲县,100\n" + "乙县,1\n" * 400_000
    env = {"PATH": "/usr/bin:/bin", "SCAST_MAX_TABLE_MB": "1", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "scast_cli", "rank", "-"], input=text.encode(), capture_output=True, env=env, cwd=tmp_path)
    assert run.returncode == 1 and "<stdin>" in run.stderr.decode() and "too large" in run.stderr.decode()


BAD_ROWS = "地区,层级,年份,常住人口,乡镇(街道)数\n甲县,县级,2024,500000,10\n乙县,县,2024,abc,8\n丙县,省城,2024,1000,5\n丁县,区,2024,20000,-3\n"


def test_one_bad_row_does_not_stop_another_region(write):
    table = write("t.csv", BAD_ROWS)
    result = invoke("score", f"{table}:甲县", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["region"]["name"] == "甲县"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "row 3 (乙县), row 4 (丙县), row 5 (丁县)" in warnings[0] and "scast validate" in warnings[0]
    own = invoke("score", table, "--region", "乙县")
    assert own.exit_code == 1 and "row 3 (乙县), column 常住人口 (D3)" in own.stderr and "丙县" not in own.stderr
    assert invoke("score", table).exit_code == 1  # no region named: every row's errors, as before
    zh = invoke("score", f"{table}:甲县", "--lang", "zh")
    assert zh.exit_code == 0 and "3 行有错误，已略去" in zh.stderr and "第 3 行（乙县）" in zh.stderr


def test_rank_ranks_the_good_rows_and_lists_the_others(write):
    table = write("t.csv", BAD_ROWS)
    result = invoke("rank", table, "-f", "json")
    assert result.exit_code == 0
    ranked = [row["region"] for row in json.loads(result.stdout)["regions"]]
    assert ranked == ["甲县"]
    lines = result.stderr.splitlines()
    assert "3 row(s) with errors left out" in lines[0]
    assert any("row 3 (乙县), column 常住人口 (D3)" in line and "'abc'" in line for line in lines)
    assert any("row 4 (丙县), column 层级 (B4)" in line for line in lines)
    assert any("row 5 (丁县)" in line and "cannot be below 1, found -3" in line for line in lines)  # a bound, found after reading
    strict = invoke("validate", table)
    assert strict.exit_code == 1 and strict.stdout.count("error") >= 3
    assert invoke("rank", write("all.csv", "地区,常住人口\n甲县,abc\n")).exit_code == 1  # nothing left to rank
    assert invoke("rank", write("head.csv", "地区,不存在的列\n甲县,1\n")).exit_code == 1  # the file's own error still stops it


def test_a_yaml_file_of_regions_leaves_out_a_bad_one_by_name(write):
    regions = write(
        "r.yaml",
        "regions:\n  - region: 甲县\n    level: 县\n    year: 2024年\n    figures: {county_cast_renewed: 有}\n"
        "  - region: 乙县\n    level: 县城\n    figures: {population_resident: abc}\n",
    )
    result = invoke("score", f"{regions}:甲县", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["region"] == {"name": "甲县", "level": "county", "year": 2024}
    assert "1 region(s) with errors left out, the other regions read: 乙县;" in result.stderr
    assert invoke("score", f"{regions}:乙县").exit_code == 1
