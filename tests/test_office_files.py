"""Files that open cleanly in Excel and WPS, and terminal tables that keep every word whole.

CSV written to a file carries a UTF-8 BOM (--no-bom leaves it out); Chinese headers under --lang
zh; XLSX from score, compare and rank with number formats, fitted widths, a frozen header and an
autofilter; an -o extension a command cannot write is refused before anything is written; fields,
rank, score, compare and indicators list/show at 80, 100 and 120 columns crop and break no word; the Chinese template's
dropdowns and notes cover every column.
"""

import re
import unicodedata

import openpyxl
import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.i18n import flag_number, level_choices, level_code, t, year_number
from scast_cli.render.layout import breaks, units
from tests.conftest import MINI, ROOT

runner = CliRunner()
TABLE = ROOT / "data" / "regions.xlsx"
JIAOZHOU = ROOT / "data" / "regions" / "jiaozhou.yaml"
BINZHOU = ROOT / "data" / "regions" / "binzhou.yaml"
BOM = b"\xef\xbb\xbf"


def invoke(*args, columns: int = 140):
    return runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": str(columns)})


# ---------------------------------------------------------------- CSV: BOM and headers

CSV_COMMANDS = {
    "score": ["score", JIAOZHOU],
    "compare": ["compare", JIAOZHOU, BINZHOU],
    "rank": ["rank", TABLE],
    "explain": ["explain", JIAOZHOU],
    "indicators-list": ["indicators", "list"],
    "template": ["template", "-i", MINI],
}


@pytest.mark.parametrize("name", CSV_COMMANDS)
def test_csv_to_a_file_has_a_bom_unless_no_bom(tmp_path, name):
    args = CSV_COMMANDS[name]
    assert invoke(*args, "-o", tmp_path / "with.csv").exit_code == 0
    assert invoke(*args, "-o", tmp_path / "without.csv", "--no-bom").exit_code == 0
    with_bom, without = (tmp_path / "with.csv").read_bytes(), (tmp_path / "without.csv").read_bytes()
    assert with_bom.startswith(BOM) and with_bom.count(BOM) == 1
    assert not without.startswith(BOM) and with_bom[len(BOM) :] == without


def test_csv_on_stdout_has_no_bom():
    out = invoke("rank", TABLE, "-f", "csv").stdout
    assert out.startswith("rank,section,region")


def test_chinese_csv_headers_and_words():
    rank = invoke("rank", TABLE, "-f", "csv", "--lang", "zh").stdout.splitlines()
    assert rank[0].startswith("名次,类别,地区,层级,年份,") and "维度 · 组织覆盖" in rank[0]
    first = rank[1].split(",")
    assert first[:5] == ["1", "数据完整度低于 60%，单独排名", "罗庄区", "县级", "2020"] and "暂定" in first
    score = invoke("score", JIAOZHOU, "-f", "csv", "--lang", "zh").stdout.splitlines()
    assert score[0].split(",")[:4] == ["地区", "年份", "指标编号", "指标"]
    coverage = next(line.split(",") for line in score if ",township_cast_coverage," in line)
    assert coverage[12] == "绿" and coverage[-2] == "暂定"  # band and grade status in words
    compare = invoke("compare", JIAOZHOU, BINZHOU, "-f", "csv", "--lang", "zh").stdout.splitlines()
    assert compare[0].startswith("指标编号,指标,单位,评估情况,左方地区,左方数值")
    # English CSV is for scripts: keys as headers, codes as values
    english = invoke("score", JIAOZHOU, "-f", "csv", "--lang", "en").stdout.splitlines()
    assert english[0].startswith("region,year,indicator,label,") and ",green," in english[1]


def test_chinese_csv_has_no_codes_outside_the_id_columns():
    """Under --lang zh every CSV column but the indicator id columns holds words, not codes or field ids."""
    import csv as _csv
    import io

    from scast_cli.config import load_config

    config = load_config()
    codes = {f.id for f in config.fields} | {i.id for i in config.indicators} | {g.id for gs in config.groups.values() for g in gs}
    codes |= {"share", "persons", "count", "flag", "reported", "derived", "proposed", "green", "yellow", "orange", "red", "True", "False"}
    codes = {c for c in codes if re.search("[a-z]", c)}  # framework parts 3, 1, N are their own words
    for args, ids in (
        (["explain", JIAOZHOU], {"指标编号"}),
        (["indicators", "list"], {"指标编号", "替代的指标编号"}),
        (["score", JIAOZHOU], {"指标编号"}),
        (["compare", JIAOZHOU, BINZHOU], {"指标编号"}),
    ):
        result = invoke(*args, "-f", "csv", "--lang", "zh")
        assert result.exit_code == 0, result.stderr
        rows = list(_csv.DictReader(io.StringIO(result.stdout)))
        assert rows and not any(re.search("[a-z]", h) for h in rows[0]), list(rows[0])  # Chinese headers
        for row in rows:
            for head, value in row.items():
                if head not in ids:
                    assert not set(re.split("[|，、]", value)) & codes, (args[0], head, value)
    score = list(_csv.DictReader(io.StringIO(invoke("score", JIAOZHOU, "-f", "csv", "--lang", "zh").stdout)))
    coverage = next(r for r in score if r["指标编号"] == "township_cast_coverage")
    assert (coverage["维度"], coverage["五个标准化"], coverage["单位"], coverage["差距所在数据项"]) == (
        "组织覆盖",
        "组织体系设置标准化",
        "比例",
        "乡镇(街道)科协数",
    )
    explain = invoke("explain", JIAOZHOU, "-f", "csv", "--lang", "zh").stdout.splitlines()
    assert explain[0] == "指标编号,指标,是否加分项,得分,档次,实际权重,名义权重,已得分,失分,差距所在数据项,差距数量,缺少数据"
    # English stays as it was, for scripts
    assert invoke("explain", JIAOZHOU, "-f", "csv", "--lang", "en").stdout.startswith("indicator,label,bonus,score,band,")
    assert (
        invoke("indicators", "list", "-f", "csv", "--lang", "en")
        .stdout.splitlines()[1]
        .endswith(",coverage,organisation,bands ≥ 100% / 94% / 80%,1,,,reported")
    )


def test_fields_shows_aliases_and_chinese_kinds():
    from scast_cli.config import load_config

    spec = load_config().field_by_id["population_resident"]
    for columns in (80, 250):
        for lang in ("en", "zh"):
            out = invoke("fields", "--lang", lang, columns=columns).stdout
            assert all(alias in out for alias in spec.aliases), (lang, columns)  # table or stacked
    zh = invoke("fields", "--lang", "zh", columns=80).stdout
    assert "类型: 数量" in zh and not re.search(r"类型: (count|share|money|number|flag)\b", zh)
    md = invoke("fields", "-f", "markdown", "--lang", "zh").stdout
    row = next(line for line in md.splitlines() if line.startswith("| population\\_resident |"))
    assert row.split(" | ")[4:] == ["数量", "人", "1..", "", "时点 |"]
    english = invoke("fields", "-f", "markdown", "--lang", "en").stdout.splitlines()[0]
    assert not re.search("[\u4e00-\u9fff]", english) and "other language" in english


# ---------------------------------------------------------------- XLSX


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def rows_of(sheet):
    return list(sheet.iter_rows(values_only=True))


def check_sheet(sheet, freeze: str):
    """Frozen header, an autofilter over the whole table, bold wrapped header, every column at least
    as wide as its widest text cell (CJK counted double, up to 48) and its header (up to 20), plus 2."""
    assert sheet.freeze_panes == freeze and sheet.print_title_rows == "$1:$1"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}{sheet.max_row}"
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in sheet[1])
    for column in sheet.iter_cols():
        texts = [c.value for c in column[1:] if isinstance(c.value, str)]
        least = max(min(48, max(map(width, texts), default=0)), min(20, width(column[0].value)))
        assert sheet.column_dimensions[column[0].column_letter].width >= least + 2, column[0].column_letter


def test_score_xlsx(tmp_path):
    out = tmp_path / "胶州.xlsx"
    result = invoke("score", JIAOZHOU, "-o", out, "--lang", "zh")
    assert result.exit_code == 0 and result.stdout == ""
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["总览", "分组", "指标"]
    summary, groups, items = book.worksheets
    assert rows_of(summary)[0][:5] == ("地区", "层级", "年份", "总分", "可能区间下限")
    assert rows_of(summary)[1][:3] == ("胶州市", "县级", 2024)
    total = summary["D2"]
    assert total.value == pytest.approx(94.857143) and total.number_format == "0.0"  # exact value, shown as 94.9
    assert summary["I2"].value == pytest.approx(0.221531) and summary["I2"].number_format == "0.0%"
    labels = [r[2] for r in rows_of(groups)[1:]]
    assert "组织覆盖" in labels and "各类科协基层组织建设标准化" in labels
    # the group column fits its longest label, CJK counted double
    assert groups.column_dimensions["C"].width == max(width(x) for x in labels) + 2
    head = rows_of(items)[0]
    assert head[:4] == ("地区", "指标", "维度", "数值") and "档次" in head and "距目标差距" in head
    row = next(r for r in items.iter_rows(min_row=2) if r[1].value == "乡镇(街道)科协覆盖率")
    assert row[3].value == 1 and row[3].number_format == "0.0%" and row[7].value == "绿"
    volunteers = next(r for r in items.iter_rows(min_row=2) if r[1].value == "每万常住人口注册科技志愿者数")
    assert volunteers[3].number_format == "#,##0.00" and volunteers[6].number_format == "0.0"
    for sheet, freeze in zip(book.worksheets, ("B2", "B2", "C2"), strict=True):
        check_sheet(sheet, freeze)
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", str(c)) for r in rows_of(items) for c in r if c)  # no field ids


def test_compare_xlsx(tmp_path):
    out = tmp_path / "c.xlsx"
    assert invoke("compare", JIAOZHOU, BINZHOU, "-o", out, "--lang", "zh").exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["指标", "分组"]
    indicators, groups = book.worksheets
    head = rows_of(indicators)[0]
    assert head[:4] == ("指标", "胶州市 数值", "胶州市 得分", "胶州市 档次") and head[7:9] == ("差值", "领先")
    leaders = {r[8] for r in rows_of(indicators)[1:]}
    assert "仅胶州市" in leaders and leaders <= {"胶州市", "滨州市", "持平", "仅胶州市", "仅滨州市", "均未评估"}  # words, not left/right
    overall = rows_of(groups)[1]
    assert overall[0] == "总分" and overall[1] == pytest.approx(94.857143) and groups["B2"].number_format == "0.0"
    check_sheet(indicators, "B2")
    check_sheet(groups, "B2")


def test_rank_xlsx(tmp_path):
    out = tmp_path / "r.xlsx"
    assert invoke("rank", TABLE, "-o", out, "--lang", "zh", "--stability").exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    head = rows_of(sheet)[0]
    assert head[:5] == ("名次", "类别", "地区", "层级", "年份") and "等级编号" not in head and "名次中位数" in head
    first = rows_of(sheet)[1]
    assert first[2:4] == ("罗庄区", "县级") and first[head.index("等级状态")] == "暂定"
    formats = {h: sheet.cell(row=2, column=i + 1).number_format for i, h in enumerate(head)}
    assert formats["数据完整度"] == "0.0%" and formats["总分"] == "0.0" and formats["年份"] == "0" and formats["名次"] == "0"
    check_sheet(sheet, "D2")


# ---------------------------------------------------------------- refused extensions

REFUSED = {
    "score": ["score", JIAOZHOU, "-o", "{dir}/s.docx"],
    "score-pdf": ["score", JIAOZHOU, "-o", "{dir}/s.pdf"],
    "compare": ["compare", JIAOZHOU, BINZHOU, "-o", "{dir}/c.html"],
    "rank": ["rank", TABLE, "-o", "{dir}/r.ods"],
    "rank-csv-in-xlsx": ["rank", TABLE, "-f", "csv", "-o", "{dir}/r.xlsx"],
    "explain": ["explain", JIAOZHOU, "-o", "{dir}/e.xlsx"],
    "fields": ["fields", "-o", "{dir}/f.csv"],
    "template": ["template", "-o", "{dir}/t.json"],
    "template-docx": ["template", "-o", "{dir}/t.docx"],
    "indicators-list": ["indicators", "list", "-o", "{dir}/i.docx"],
    "indicators-show": ["indicators", "show", "township_cast_coverage", "-o", "{dir}/i.xlsx"],
    "report": ["report", JIAOZHOU, "-o", "{dir}/r.odt"],
    "validate": ["validate", JIAOZHOU, "-o", "{dir}/v.docx"],
}


@pytest.mark.parametrize("name", REFUSED)
def test_an_extension_a_command_cannot_write_is_refused_before_writing(tmp_path, name):
    args = [str(a).replace("{dir}", str(tmp_path)) for a in REFUSED[name]]
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert list(tmp_path.iterdir()) == []  # nothing written: no file, no temporary file, no chart
    assert result.stdout == ""


def test_validate_writes_its_report_to_a_file(tmp_path):
    import json

    assert invoke("validate", JIAOZHOU, "-o", tmp_path / "v.json").exit_code == 0
    assert json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["regions"] == ["胶州市"]
    text = invoke("validate", JIAOZHOU, "-o", tmp_path / "v.txt", "--lang", "en")
    assert text.stdout == "" and "figure from 2014" in (tmp_path / "v.txt").read_text(encoding="utf-8")


def test_the_refusal_says_what_the_command_writes(tmp_path):
    result = invoke("score", JIAOZHOU, "-o", tmp_path / "s.docx")
    assert ".xlsx (xlsx)" in result.stderr and ".csv (csv)" in result.stderr and "scast report" in result.stderr


# ---------------------------------------------------------------- 80 columns: no word cropped or broken

_BOX = "│┃━╇─┼╋┡┩╭╮╰╯║═"
_TOKEN = re.compile(rf"[^\s{_BOX}\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def words(text: str) -> set[str]:
    """Every run that must not break (not space, not CJK, not a table rule), a trailing ':' aside
    (the stacked layout writes 'header: value')."""
    return {w.rstrip(":") for w in _TOKEN.findall(text)} - {""}


VIEWS = {
    "fields-en": ["fields", "--lang", "en"],
    "fields-zh": ["fields", "--lang", "zh"],
    "rank-en": ["rank", TABLE, "--lang", "en", "--stability"],
    "rank-zh": ["rank", TABLE, "--lang", "zh"],
    "rank-group": ["rank", TABLE, "--lang", "en", "--by", "framework:3"],
    "score-en": ["score", JIAOZHOU, "--lang", "en"],
    "score-zh": ["score", JIAOZHOU, "--lang", "zh"],
    "compare-en": ["compare", JIAOZHOU, BINZHOU, "--lang", "en"],
    "compare-zh": ["compare", JIAOZHOU, BINZHOU, "--lang", "zh"],
    "indicators-list-en": ["indicators", "list", "--lang", "en"],
    "indicators-list-zh": ["indicators", "list", "--lang", "zh"],
    "indicators-show-en": ["indicators", "show", "county_cast_fulltime_leaders", "--lang", "en"],
    "indicators-show-zh": ["indicators", "show", "township_cast_coverage", "--lang", "zh"],
}


@pytest.fixture(scope="module")
def wide():
    return {name: invoke(*args, columns=1000).stdout for name, args in VIEWS.items()}


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("name", VIEWS)
def test_no_table_crops_or_breaks_a_word(wide, name, columns):
    from rich.cells import cell_len

    result = invoke(*VIEWS[name], columns=columns)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert max(cell_len(line) for line in text.splitlines()) <= columns
    source = words(wide[name])
    note = t(VIEWS[name][VIEWS[name].index("--lang") + 1], "groups_hidden", width=columns)
    noted = re.sub(r"\s+", "", note) in re.sub(r"\s+", "", text)  # the note that the group columns are left out
    printed = words(text) - (words(note) if noted else set())
    assert printed <= source, sorted(printed - source)[:10]  # no fragment of a word: every printed word is a whole source word
    if not noted:
        # nothing left out without the note saying so; a stacked layout shows no header for its first
        # column and leaves out the pairs whose value is '—' (nothing)
        assert source - printed <= {"id", "—"}, sorted(source - printed)[:10]


def test_line_breaking_rules():
    text = "乡镇(街道)科协覆盖率 Excellent 41.8–100.0"
    pieces = [text[a:b] for a, b, _ in units(text)]
    assert pieces == ["乡", "镇", "(街", "道)", "科", "协", "覆", "盖", "率", "Excellent", "41.8–100.0"]
    assert [text[a:b] for a, b in breaks(text, 12)] == ["乡镇(街道)科", "协覆盖率", "Excellent", "41.8–100.0"]
    two = "科协，科普"
    assert [two[a:b] for a, b in breaks(two, 6)] == ["科协，", "科普"]  # a comma never starts a line
    assert [two[a:b] for a, b in breaks(two, 4)] == ["科", "协，", "科普"]
    count = "暂定等级（4 个地区）"
    assert [count[a:b] for a, b, _ in units(count)] == ["暂", "定", "等", "级", "（4 个", "地", "区）"]  # a number keeps its classifier
    assert [count[a:b] for a, b in breaks(count, 13)] == ["暂定等级", "（4 个地区）"]


@pytest.mark.parametrize("columns", [60, 70, 80, 100])
def test_chinese_notes_break_only_where_chinese_may(columns):
    """rank's footnotes never split '4 个'; indicators show never starts a line with closing punctuation."""
    from scast_cli.render.layout import _CLOSING

    rank = invoke("rank", TABLE, "--lang", "zh", "--stability", columns=columns).stdout
    lines = rank.splitlines()
    assert "（4 个地区）" in "".join(lines) and not any(line.startswith("个") or line.rstrip().endswith("（4") for line in lines)
    for name in ("township_cast_coverage", "county_cast_fulltime_leaders", "kepu_reach_per_capita"):
        shown = invoke("indicators", "show", name, "--lang", "zh", columns=columns).stdout.splitlines()
        assert not [line for line in shown if line.strip()[:1] in _CLOSING], name


# ---------------------------------------------------------------- the Chinese form and the words typed in it


def test_level_flag_and_year_words():
    assert [level_code(w) for w in ("县级", "县", "区", "县级市", "市", "地级市", "地市级", "省", "省级", "乡镇", " County ", "（县）")] == [
        "county",
        "county",
        "county",
        "county",
        "prefecture",
        "prefecture",
        "prefecture",
        "province",
        "province",
        "township",
        "county",
        "county",
    ]
    assert [level_code(w) for w in ("市级", "街道", "town")] == ["prefecture", "township", "township"]
    assert level_code("村") is None and level_code(None) is None and level_code("省城") is None and level_code("village") is None
    assert [flag_number(w) for w in ("是", "有", "√", "Yes", "否", "无", "no", "也许")] == [1, 1, 1, 1, 0, 0, 0, None]
    assert [year_number(w) for w in ("2024", "2024年", "２０２４年", 2024, 2024.0, "24", "二〇二四")] == [2024, 2024, 2024, 2024, 2024, None, None]
    # what scast prints is what it reads back
    assert [level_code(w) for w in level_choices("zh")] == ["province", "prefecture", "county", "township"]


def test_chinese_template_dropdowns_and_notes_cover_every_column(tmp_path):
    out = tmp_path / "表.xlsx"
    assert invoke("template", "--lang", "zh", "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    data, notes = book.worksheets
    assert book.sheetnames == ["地区数据", "说明"]
    headers = [c.value for c in data[1]]
    noted = rows_of(notes)
    assert [r[0] for r in noted[1:]] == headers  # one note for every column, in order
    assert all(r[2] for r in noted[1:])
    explained = {r[0]: r[2] for r in noted[1:4]}
    assert "县级" in explained["层级"] and "2024年" in explained["年份"] and "胶州市" in explained["地区"]
    rules = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    assert rules["B2"].type == "list" and rules["B2"].formula1 == '"省级,地市级,县级,乡镇级"'
    assert rules["C2"].type == "custom" and '"年"' in rules["C2"].formula1 and rules["C2"].errorStyle == "warning"
    flags = [v for v in data.data_validations.dataValidation if v.type == "list" and v.formula1 == '"是,否"']
    assert flags  # yes/no fields offer 是/否
    assert all(data.cell(row=1, column=c).comment is not None for c in range(1, len(headers) + 1))


def test_chinese_csv_and_yaml_forms_name_the_levels():
    csv_form = invoke("template", "--lang", "zh", "-f", "csv").stdout.splitlines()
    assert csv_form[1].split(",")[1:3] == ["省级 | 地市级 | 县级 | 乡镇级", "如 2024 或 2024年"]
    yaml_form = invoke("template", "--lang", "zh", "-f", "yaml").stdout
    assert "level:             # 层级：省级 | 地市级 | 县级 | 乡镇级" in yaml_form
