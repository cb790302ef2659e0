"""Tables read column by column give exactly what the per-cell reader gives.

`load_regions` reads a CSV or XLSX table column by column (tables.columns, readers._build_columns);
`readers._reference_regions` reads it cell by cell, as scast did before (tables.entries,
readers._build, parse_value on every cell). For random tables of every cell form a person writes
(plain numbers, thousands separators, 万/亿, percents, qualifiers, periods, notes, blanks, bad cells,
duplicate and missing names, comment and blank rows, bad levels and years), both must give the same
values, metadata, notes (in the same order) and problems (in the same order).
"""

import csv
import io
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scast_cli import readers, tables
from scast_cli.errors import ScastError
from scast_cli.readers import _WS, _reference_regions, load_regions
from tests.conftest import MINI

CELLS = [
    "12",
    "0",
    "1",
    " 42 ",
    "\t7\t",
    "-3",
    "+5",
    "3.25",
    "0.7317",
    "1.5",
    "1E+3",
    "1.23457E+11",
    "00012",
    "1.",
    ".5",
    "1e999",
    "9" * 400,
    "10,759",
    "1,2,3",
    "5.36万",
    "2亿",
    "73.17%",
    "80 %",
    "约300",
    "300余",
    "4200多",
    "超过100",
    "近20000",
    "不足5",
    "300左右",
    "新增10",
    "累计53600",
    "每年200以上",
    "12（推算）",
    "871000（2014年）",
    "1（全覆盖）",
    "12(推算, 2019年)",
    "一百二十",
    "１２",
    "１２。５",
    "是",
    "否",
    "yes",
    "NO",
    "有",
    " 无 ",
    "√",
    "無",
    "是（推算）",
    "1.0",
    "0.0",
    "2",
    "",
    " ",
    "\u3000",
    "-",
    "—",
    "n/a",
    "无数据",
    "abc",
    "nan",
    "inf",
    "-inf",
    "12x",
    "12人",
    "3万人",
    "10.12",
    "0.07",
    "10.12万",
    "1.2E+1",
    "三百",
    "两万",
    "约三千零五十",
    "三四",
    "\x1c12",
    "12\xa0",
    "#5",
    # words around ASCII digits, read once per shape (readers._SHAPED)
    "约 300",
    "1,234.5万",
    "新增约300",
    "300余人",
    "大约1,234",
    "300%",
    "约1.2万",
    "1.2万以上",
    "約300",
    "1.2萬",
    "４２００以上",
    "300 人",
    "1,234,567",
    "12,34",
    "约",
    "5%以上",
    "0.5%",
    "100%",
    "0万",
    "12,345.67%",
    "9" * 50 + "万",
    "约300约",
    "%300",
    "1.2万万",
    "三百以上",
]
NAMES = ["甲县", "乙县", "丙县", " 丁县 ", "甲县", "", " ", "#注释", "Ａ县", "1", "戊 县", "合计", " 全 市 "]
LEVELS = ["", "county", " township ", "village", "County", "-", "县级", "市", "街道"]
YEARS = ["", "2024", " 2019 ", "1999", "2101", "abc", "20２4", "2024.0", "-", "2024年", "１９９９年"]
HEADERS = [
    "乡镇(街道)数",
    "乡镇(街道)科协数",
    "常住人口",
    "常住人口（万人）",
    "注册科技志愿者人数",
    "委员中一线占比",
    "委员中一线占比(%)",
    "公民具备科学素质比例",
    "县级科协已按期换届",
    "年度农民科技培训人次",
    "委员总数",
    "基层一线委员数",
    "“N”自选动作数",
]


@pytest.fixture(scope="module")
def mini():
    """The config, as a fixture that hypothesis does not print with each failing example."""
    from scast_cli.config import load_config

    return _Quiet(load_config(MINI))


class _Quiet:
    def __init__(self, config):
        self.config = config

    def __repr__(self):
        return "mini"


def _outcome(read, path, config, **options):
    """Everything a reader gives, in a form that compares exactly (order included)."""
    config = getattr(config, "config", config)
    try:
        regions, problems = read(path, config, **options)
    except ScastError as exc:
        return ("error", [(p.code, str(p), p.severity) for p in exc.problems])
    listed = [(p.code, str(p), p.line, p.column, p.where, p.severity) for p in problems]
    if regions is None:
        return ("none", listed)
    return (
        "regions",
        listed,
        regions.values,
        regions.meta,
        list(regions.qualifiers.items()),
        list(regions.periods.items()),
        sorted(regions.inferred),
        list(regions.years.items()),
        list(regions.sources.items()),
    )


def _same(path, config, **options):
    fast, slow = _outcome(load_regions, path, config, **options), _outcome(_reference_regions, path, config, **options)
    assert fast[0] == slow[0] and fast[1] == slow[1]
    if fast[0] == "regions":
        pd.testing.assert_frame_equal(fast[2], slow[2], check_exact=True)
        pd.testing.assert_frame_equal(fast[3], slow[3], check_exact=True)
        assert fast[4:] == slow[4:]
    return fast


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def tables_(draw, cells=None):
    cells = st.sampled_from(CELLS) if cells is None else cells
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    extra = draw(st.lists(st.sampled_from(["层级", "年份", "备注"]), max_size=2, unique=True))
    header = ["地区", *extra, *headers]
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        kind = draw(st.sampled_from(["row"] * 8 + ["blank", "comment", "short"]))
        if kind == "blank":
            rows.append([""] * len(header))
            continue
        row = [draw(st.sampled_from(NAMES))]
        for name in extra:
            row.append(draw(st.sampled_from({"层级": LEVELS, "年份": YEARS, "备注": ["", "来源：统计局"]}[name])))
        row += [draw(cells) for _ in headers]
        if kind == "comment":
            row[0] = "# 单位"
        rows.append(row)
    title = draw(st.sampled_from([[], [["2024年统计表"]], [["2024年统计表", ""], []]]))
    return [*title, header, *rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables_(), st.booleans())
def test_random_csv_tables_read_the_same(mini, tmp_path_factory, rows, ignore_unknown):
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_bytes(_csv(rows))
    _same(path, mini, ignore_unknown=ignore_unknown)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables_())
def test_random_csv_tables_read_the_same_without_pyarrow(mini, tmp_path_factory, monkeypatch, rows):
    """The csv-module path (pyarrow missing, or a file it may read differently) is the same too."""
    monkeypatch.setattr(tables, "_arrow_sheet", lambda *args: None)
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_bytes(_csv(rows))
    _same(path, mini)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list('甲县地区乡镇(街道)数12 ,;\t"\n\r#约万%') + ["\r\n", '""', "\x00"]), max_size=60).map("".join))
def test_random_csv_text_reads_the_same(mini, tmp_path_factory, text):
    """Quotes, separators, line ends and NULs anywhere: pyarrow reads what the csv module reads, or
    leaves the file to it."""
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_bytes(("地区,乡镇(街道)数,乡镇(街道)科协数\n" + text).encode("utf-8"))
    _same(path, mini)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tables_(
        cells=st.one_of(
            st.sampled_from(CELLS),
            st.integers(-5, 10**6),
            st.integers(10**300, 10**310),
            st.floats(-1e6, 1e308, allow_nan=False),
            st.booleans(),
            st.none(),
            st.just("percent"),
        )
    )
)
def test_random_xlsx_tables_read_the_same(mini, tmp_path_factory, rows):
    """XLSX cells keep their types: numbers, booleans, empty cells, percent-formatted numbers."""
    book = Workbook()
    ws = book.active
    rows = [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]  # what openpyxl can store
    for row in rows:
        ws.append([0.4 if v == "percent" else (str(v) if isinstance(v, int) and abs(v) > 10**20 else v) for v in row])
        for cell, v in zip(ws[ws.max_row], row, strict=False):
            if v == "percent":
                cell.number_format = "0.00%"
    path = tmp_path_factory.mktemp("t") / "t.xlsx"
    book.save(path)
    _same(path, mini)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_cell_form_in_every_column_reads_the_same(mini, tmp_path, suffix):
    """Each form of CELLS under each header (counts, shares, flags, units 万人 and %), twice over,
    so that a shape read once (约300, 1.2万, 73.17%) is used for a second cell too."""
    headers = list(dict.fromkeys(HEADERS))
    body = [[f"县{i}", *(CELLS[(i + k) % len(CELLS)] for k in range(len(headers)))] for i in range(2 * len(CELLS))]
    rows = [["地区", *headers], *body]
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        path.write_bytes(_csv(rows))
    else:
        book = Workbook()
        for row in rows:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
        book.save(path)
    assert _same(path, mini)[0] == "regions"


def test_whitespace_is_what_str_strip_strips():
    assert _WS == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def test_hand_written_table(mini, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "2024年统计表\n"
        "地区,层级,年份,乡镇(街道)数,乡镇(街道)科协数,常住人口（万人）,委员中一线占比,县级科协已按期换届\n"
        "# 单位,,,个,个,万人,%,是/否\n"
        "甲县,county,2024,12,13,87.1,73.17%,是\n"
        '乙县,village,1999,约10,8,"1,000",0.5,2\n'
        ",county,2024,1,1,1,0.1,1\n"
        "\n"
        "甲县,county,2024,1,1,1,0.1,1\n"
        "丙县,, 2023 ,8（推算）,新增3,5.36万,abc,0\n",
        encoding="utf-8",
    )
    outcome = _same(path, mini)
    values, meta = outcome[2], outcome[3]
    assert list(values.index) == ["甲县", "乙县", "丙县"]
    assert values.at["甲县", "population_resident"] == 87.1 * 1e4  # the header unit 万人
    assert values.at["乙县", "population_resident"] == 10_000_000  # "1,000" 万人
    assert values.at["丙县", "township_count"] == 8 and pd.isna(values.at["丙县", "committee_frontline_share"])
    assert meta["year"].tolist()[0] == 2024 and pd.isna(meta["year"].tolist()[1])
    codes = [code for code, *_ in outcome[1]]
    assert codes[:5] == ["missing-region", "bad-level", "bad-year", "bad-value", "duplicate-region"]
    assert outcome[4] == [(("乙县", "township_count"), "approx")]
    assert outcome[5] == [(("丙县", "township_cast_count"), "flow")]
    assert outcome[6] == [("丙县", "township_count")]


@pytest.mark.parametrize("cap", ["1", "3", "4", "5", "7"])
def test_the_problem_cap_stops_at_the_same_row(mini, tmp_path, monkeypatch, cap):
    monkeypatch.setenv("SCAST_MAX_PROBLEMS", cap)
    path = tmp_path / "t.csv"
    path.write_text("地区,乡镇(街道)数,乡镇(街道)科协数\n甲,x,y\n乙,1,1\n,2,2\n甲,1,1\n丙,z,1\n丁,1,1\n", encoding="utf-8")
    _same(path, mini)


def test_ragged_rows_and_a_lone_carriage_return_go_through_the_csv_module(mini, tmp_path, monkeypatch):
    used = []
    real = tables._text_grid
    monkeypatch.setattr(tables, "_text_grid", lambda *a: used.append(1) or real(*a))
    for text in ("地区,乡镇(街道)数\n甲,1,5\n乙\n", "地区,乡镇(街道)数\r甲,1\r"):
        path = tmp_path / "t.csv"
        path.write_text(text, encoding="utf-8", newline="")
        _same(path, mini)
    assert len(used) == 4  # each file once per reader


def test_a_regular_table_is_read_by_pyarrow(mini, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(tables, "_text_grid", lambda *a: pytest.fail("read by the csv module"))
    path = tmp_path / "t.csv"
    path.write_text('地区,乡镇(街道)数,注册科技志愿者人数\n甲县,12,"10,759"\n乙县, 8 ,约300\n', encoding="utf-8")
    regions, problems = load_regions(path, mini.config)
    assert problems[-1].code == "approximate" and regions.values["sci_volunteers_registered"].tolist() == [10759, 300]


@pytest.mark.parametrize(
    ("written", "option"),
    [("utf-8", None), ("utf-8-sig", None), ("gb18030", None), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_every_encoding_is_read_by_pyarrow_as_the_csv_module_reads_it(mini, tmp_path, monkeypatch, written, option):
    """UTF-8 bytes go to pyarrow as they are (after a BOM, or with it under --encoding utf-8, where
    the BOM is part of the first header); other text is encoded to UTF-8 first: the same table."""
    pytest.importorskip("pyarrow")
    text = '2024年统计表\n地区,乡镇(街道)数,注册科技志愿者人数\n甲县,12,"10,759"\n乙县, 8 ,约300\n丙县,"3\n",4200以上\n'
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(written))
    fast = _same(path, mini, encoding=option)
    assert fast[0] == "regions" and fast[2]["sci_volunteers_registered"].tolist() == [10759, 300, 4200]
    monkeypatch.setattr(tables, "_text_grid", lambda *a: pytest.fail("read by the csv module"))
    regions, _ = load_regions(path, mini.config, encoding=option)
    pd.testing.assert_frame_equal(regions.values, fast[2], check_exact=True)


def test_progress_is_reported_once_per_field_column(mini, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("地区,乡镇(街道)数,乡镇(街道)科协数\n甲,2,1\n", encoding="utf-8")
    calls = []
    readers.read_regions(path, mini.config, progress=lambda *a: calls.append(a))
    assert calls == [("read", 0, 0), ("read", 1, 2), ("read", 2, 2)]


def test_progress_bar_only_on_a_terminal_and_names_each_stage(tmp_path):
    import io as _io

    from rich.console import Console

    from scast_cli.render import progress

    path = tmp_path / "t.csv"
    path.write_text("x" * 100, encoding="utf-8")
    tty = type("Tty", (), {"isatty": lambda self: True})()
    assert progress.wanted(path, tty, 100) and not progress.wanted(path, tty, 101) and not progress.wanted(path, _io.StringIO(), 1)
    with progress.stages(None, path, "zh", show=False) as report:
        assert report is None
    out = _io.StringIO()
    with progress.stages(Console(file=out, force_terminal=True, width=100), path, "zh", show=True) as report:
        for stage in ("read", "score", "write"):
            report(stage, 1, 2)
    assert all(word in out.getvalue() for word in ("读取", "评分", "写出"))
