"""Spreadsheets as people save them: encodings, separators, Chinese headers, XLSX cell types."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from scast_cli import engine
from scast_cli.cli import app
from scast_cli.config import FieldSpec
from scast_cli.errors import ScastError
from scast_cli.readers import load_regions, parse_value, read_regions
from scast_cli.tables import cell_text
from tests.conftest import MINI

runner = CliRunner()
ROWS = "地区{s}年份{s}乡镇(街道)数{s}乡镇(街道)科协数{s}常住人口{s}注册科技志愿者人数\n甲县{s}2024{s}12{s}10{s}500000{s}4200多\n乙县{s}2024{s}8{s}8{s}300000{s}5.36万\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_encodings_and_separators(mini, tmp_path, encoding, sep):
    path = tmp_path / "r.csv"
    path.write_bytes(ROWS.format(s=sep).encode(encoding))
    regions = read_regions(path, mini)
    assert regions.names == ["甲县", "乙县"]
    assert regions.values.at["乙县", "sci_volunteers_registered"] == 53600
    assert regions.qualifiers[("甲县", "sci_volunteers_registered")] == "lower_bound"
    assert regions.meta.at["甲县", "year"] == 2024


def test_encoding_override_and_advice(mini, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(ROWS.format(s=",").encode("gb18030"))
    assert read_regions(path, mini, encoding="gb18030").names == ["甲县", "乙县"]
    with pytest.raises(ScastError) as exc:
        read_regions(path, mini, encoding="utf-8")
    assert "--encoding" in str(exc.value)


def test_traditional_headers_units_and_fullwidth(mini, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("地區名稱,鄉鎮(街道)數,鎮級科協數,常住人口（万人）,委員中一線佔比\n丙縣,１２,12,87.1,73.17%\n", encoding="utf-8")
    regions = read_regions(path, mini)
    assert regions.values.at["丙縣", "township_count"] == 12
    assert regions.values.at["丙縣", "population_resident"] == pytest.approx(871000)  # 87.1 万人
    assert regions.values.at["丙縣", "committee_frontline_share"] == pytest.approx(0.7317)


def test_unknown_and_duplicate_columns(mini, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("地区,乡镇数目,township_count,乡镇(街道)数\n甲,1,2,3\n", encoding="utf-8")
    _, problems = load_regions(path, mini)
    codes = sorted(p.code for p in problems)
    assert codes == ["duplicate-column", "unknown-column"]
    unknown = next(p for p in problems if p.code == "unknown-column")
    assert "乡镇数目 (B1)" in unknown.message and "did you mean 'township_count'" in unknown.message
    path.write_text("地区,乡镇数目,township_count\n甲,1,2\n", encoding="utf-8")
    assert read_regions(path, mini, ignore_unknown=True).values.at["甲", "township_count"] == 2


def test_bad_cells_are_named_by_row_region_and_cell(mini, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("地区,乡镇(街道)数,乡镇(街道)科协数,注册科技志愿者人数,委员中一线占比\n甲县,12,13,abc,1.5\n甲县,1,1,1,0.5\n", encoding="utf-8")
    _, problems = load_regions(path, mini)
    text = [str(p) for p in problems]
    assert f"{path}: row 2 (甲县), column 注册科技志愿者人数 (D2): 'abc' is not a number" in text[0]
    assert any("row 2 (甲县), column 乡镇(街道)科协数 (C2)" in t and "part larger than its whole" in t for t in text)
    assert any("column 委员中一线占比 (E2)" in t and "expected at most 1" in t for t in text)
    assert any(p.code == "duplicate-region" for p in problems)


def _workbook(path):
    book = Workbook()
    ws = book.active
    ws.title = "汇总"
    ws.append(["2024年基层科协组织情况统计表"])  # a merged title row above the header
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["地区", "年份", "乡镇(街道)数", "乡镇(街道)科协数", "委员中一线占比", "注册科技志愿者人数", "县级科协已按期换届"])
    ws.append(["甲县", 2024, 12, 12, 0.7317, "5.36万", True])
    ws["E4"].number_format = "0.00%"
    ws.append(["乙县", 2024, 8, 6, "80%", 1200, "否"])
    ws.append([None, None, None])  # blank trailing rows
    ws.append([])
    book.create_sheet("其他")
    book.save(path)


def test_xlsx_title_rows_percent_cells_text_and_booleans(mini, tmp_path):
    path = tmp_path / "r.xlsx"
    _workbook(path)
    regions = read_regions(path, mini)
    assert regions.names == ["甲县", "乙县"]
    assert regions.values.at["甲县", "committee_frontline_share"] == pytest.approx(0.7317)  # percent cell
    assert regions.values.at["乙县", "committee_frontline_share"] == pytest.approx(0.80)  # "80%" text
    assert regions.values.at["甲县", "sci_volunteers_registered"] == 53600  # "5.36万" text
    assert regions.values.at["甲县", "county_cast_renewed"] == 1 and regions.values.at["乙县", "county_cast_renewed"] == 0
    with pytest.raises(ScastError) as exc:
        read_regions(path, mini, sheet="没有")
    assert "sheets: 汇总, 其他" in str(exc.value)


def test_yaml_csv_xlsx_score_identically(mini, tmp_path, write):
    yaml_path = write(
        "r.yaml",
        "region: 甲县\nyear: 2024\nfigures:\n  township_count: 12\n  township_cast_count: 12\n  committee_frontline_share: 0.7317\n  sci_volunteers_registered: 53600\n  county_cast_renewed: true\n",
    )
    xlsx = tmp_path / "r.xlsx"
    _workbook(xlsx)
    one = lambda p, **kw: engine.as_dict(engine.score(read_regions(p, mini, **kw).select("甲县"), mini), "甲县")  # noqa: E731
    a, b = one(yaml_path), one(xlsx)
    assert a["overall"] == b["overall"] and a["indicators"] == b["indicators"]


share = FieldSpec(id="s", zh="比例", en="share", kind="share")
count = FieldSpec(id="c", zh="数", en="count", kind="count")
money = FieldSpec(id="m", zh="钱", en="money", kind="money")


@given(
    st.one_of(st.integers(0, 10**9).map(float), st.floats(0, 1e7, allow_nan=False).map(lambda x: round(x, 4))),
    st.sampled_from(["exact", "lower_bound", "upper_bound", "approx", "claimed"]),
    st.sampled_from([None, "annual", "cumulative"]),
    st.booleans(),
    st.one_of(st.none(), st.integers(2000, 2100)),
)
def test_cell_text_round_trips(number, qualifier, period, inferred, year):
    for spec in (count, money):
        value = parse_value(cell_text(number, spec.kind, qualifier, period, inferred, year), spec)
        assert (value.number, value.qualifier, value.period, value.inferred, value.year) == (number, qualifier, period, inferred, year)


@given(st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 6)), st.sampled_from(["%", "", "ascii-thousands", "fullwidth"]))
def test_number_forms_parse_back(number, form):
    """A number written any accepted way parses back to itself."""
    if form == "%":
        assert parse_value(f"{number * 100:.4f}%", share).number == pytest.approx(number, abs=1e-9)
    elif form == "ascii-thousands":
        big = round(number * 1e7)
        assert parse_value(f"{big:,}", count).number == big
    elif form == "fullwidth":
        big = round(number * 1e4)
        text = str(big).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        assert parse_value(text, count).number == big
    else:
        assert parse_value(f"{number:.6f}", share).number == pytest.approx(number)


def test_template_round_trip_xlsx(tmp_path):
    out = tmp_path / "form.xlsx"
    result = runner.invoke(app, ["template", "--format", "xlsx", "--lang", "zh", "-o", str(out), "-i", str(MINI)])
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    ws = book.worksheets[0]
    assert ws.freeze_panes == "B2" and ws["D1"].comment is not None
    headers = [c.value for c in ws[1]]
    # a person fills in one row, as Excel would store it
    row = {
        "地区": "丁县",
        "层级": "county",
        "年份": 2024,
        "乡镇(街道)数": 10,
        "乡镇(街道)科协数": "9",
        "注册科技志愿者人数": "1200多",
        "县级科协已按期换届": "是",
    }
    for c, name in enumerate(headers, start=1):
        if name in row:
            ws.cell(row=2, column=c, value=row[name])
    book.save(out)
    scored = runner.invoke(app, ["score", str(out), "-i", str(MINI), "--format", "json"])
    assert scored.exit_code == 0, scored.stderr
    payload = json.loads(scored.stdout)
    coverage = next(i for i in payload["indicators"] if i["id"] == "township_cast_coverage")
    assert payload["region"]["name"] == "丁县" and coverage["value"] == pytest.approx(0.9)


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_template_round_trip_text(tmp_path, fmt):
    out = tmp_path / f"form.{fmt}"
    assert runner.invoke(app, ["template", "--format", fmt, "--lang", "en", "-o", str(out), "-i", str(MINI)]).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        text += "Dingxian,county,2024,10,9,,,,,,,是,,\n"
    else:
        text = (
            text.replace("region:  ", "region: Dingxian", 1)
            .replace("  township_count:", "  township_count: 10", 1)
            .replace("  township_cast_count:", "  township_cast_count: 9", 1)
        )
    out.write_text(text, encoding="utf-8")
    payload = json.loads(runner.invoke(app, ["score", str(out), "-i", str(MINI), "--format", "json"]).stdout)
    coverage = next(i for i in payload["indicators"] if i["id"] == "township_cast_coverage")
    assert coverage["value"] == pytest.approx(0.9)


def test_validate_lists_every_problem_and_exits_1(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("地区,乡镇(街道)数,乡镇(街道)科协数,注册科技志愿者人数,常住人口\n甲县,12,13,abc,-3\n乙县,5,5,约300,100000\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "-i", str(MINI), "--lang", "en"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert sum(line.startswith("error:") for line in lines) == 3
    assert any("column 注册科技志愿者人数 (D2)" in line for line in lines)
    assert any(line.startswith("note:") and "approximate" in line for line in lines)
    assert lines[-1] == f"{path}: 2 regions, 3 errors, 0 warnings, 1 notes"
    data = json.loads(runner.invoke(app, ["validate", str(path), "-i", str(MINI), "--format", "json"]).stdout)
    assert data["valid"] is False and data["errors"] == 3 and {p["code"] for p in data["problems"]} >= {"bad-value"}


def test_validate_clean_file_exits_0(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("地区,乡镇(街道)数\n甲县,12\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "-i", str(MINI)])
    assert result.exit_code == 0 and "0 errors" in result.stdout


def test_fields_formats():
    data = json.loads(runner.invoke(app, ["fields", "-i", str(MINI), "--format", "json"]).stdout)
    assert data[1]["id"] == "township_cast_count" and data[1]["part_of"] == ["township_count"]
    md = runner.invoke(app, ["fields", "-i", str(MINI), "--format", "markdown", "--lang", "zh"]).stdout
    assert md.startswith("| 字段 | 名称 |") and "乡镇(街道)科协数" in md
