"""Nothing scast writes carries a payload from its inputs (issue 12, item 1; item 3's JSON clause).

Hostile region names go through every command and format: CSV and XLSX hold no live formula,
terminal output and stderr no escape sequence, markdown no heading, HTML, link or image made
from the input, and JSON is strict JSON.
"""

import csv
import io
import json
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.render.machine import to_json
from scast_cli.safe import markdown_code, markdown_text, spreadsheet_cell, terminal_text
from tests.conftest import MINI

runner = CliRunner()

FORMULA = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
ESCAPES = "esc\x1b[2J\x1b]0;pwned\x07 \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x9b2J \u202eabc [link=http://e]x[/link] [/]"
MARKDOWN = "# heading <script>alert(1)</script> [x](http://e) ![i](http://e/i.png)"
HOSTILE = [FORMULA, DDE, ESCAPES, MARKDOWN]
FIGURES = [(12, 10, 500000, 4000), (8, 8, 300000, 5000), (10, 5, 400000, 100), (6, 6, 200000, 3000)]
HEADERS = ["地区", "年份", "乡镇(街道)数", "乡镇(街道)科协数", "常住人口", "注册科技志愿者人数"]
TERMINAL_BAD = ("\x1b", "\x9b", "\x07", "\u202e")


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr + str(result.exception)
    return result


def _region_yaml(name: str, figures: tuple) -> str:
    a, b, c, d = figures
    # a JSON string is a YAML double-quoted scalar: \u escapes carry the control characters
    return (
        f"region: {json.dumps(name)}\nlevel: county\nyear: 2024\n"
        f"figures: {{township_count: {a}, township_cast_count: {b}, population_resident: {c}, sci_volunteers_registered: {d}}}\n"
    )


@pytest.fixture
def hostile(tmp_path):
    """The hostile regions as one file each, as a YAML `regions:` list and as a CSV table."""
    singles = []
    for n, (name, figures) in enumerate(zip(HOSTILE, FIGURES, strict=True)):
        path = tmp_path / f"r{n}.yaml"
        path.write_text(_region_yaml(name, figures), encoding="utf-8")
        singles.append(path)
    listing = "regions:\n" + "".join("  - " + _region_yaml(name, f).replace("\n", "\n    ").rstrip() + "\n" for name, f in zip(HOSTILE, FIGURES, strict=True))
    (tmp_path / "all.yaml").write_text(listing, encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for name, figures in zip(HOSTILE, FIGURES, strict=True):
        writer.writerow([name, 2024, *figures])
    (tmp_path / "all.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return {"singles": singles, "yaml": tmp_path / "all.yaml", "csv": tmp_path / "all.csv"}


def live_formula(value) -> bool:
    """A cell a spreadsheet would evaluate: text starting with = + - @ (or a tab or CR) that is not a number."""
    if not isinstance(value, str) or not value:
        return False
    return value[0] in "=+-@\t\r" and not re.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?", value)


def assert_csv_safe(text: str, expect: tuple = (FORMULA, DDE)) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert not [c for c in cells if live_formula(c)]
    assert not any(bad in text for bad in TERMINAL_BAD)
    for name in expect:  # the names are still there, as text
        assert "'" + name in cells


def assert_terminal_safe(text: str) -> None:
    assert not any(bad in text for bad in TERMINAL_BAD), repr(text)


def assert_markdown_safe(text: str) -> None:
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert not re.search(r"(?m)^\s*#+\s*heading", text)  # the name never makes a heading
    assert "](http" not in text and "![" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link or image built from the input
    assert_terminal_safe(text)


# ---------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("table", ["yaml", "csv"])
def test_rank_csv_and_xlsx_hold_no_formula(hostile, tmp_path, table):
    invoke("rank", hostile[table], "-i", MINI, "--min-completeness", "0", "-o", tmp_path / "x.csv")
    assert_csv_safe((tmp_path / "x.csv").read_text(encoding="utf-8"))
    invoke("rank", hostile[table], "-i", MINI, "--min-completeness", "0", "-o", tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert_xlsx_safe(cells)
    values = {c.value for c in cells}
    assert FORMULA in values and DDE in values  # the name as written, no apostrophe shown in the cell
    assert "'" + FORMULA not in values and "'" + DDE not in values


def assert_xlsx_safe(cells) -> None:
    """No cell is a formula: every cell a spreadsheet would evaluate as typed is a string cell
    (data_type 's', written as <is>/<v> text, never <f>) with the quote prefix style, which Excel,
    WPS and LibreOffice keep as text even when the cell is edited."""
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if live_formula(c.value) and not (c.data_type == "s" and c.quotePrefix)]


def test_score_compare_explain_csv_hold_no_formula(hostile):
    formula, dde = hostile["singles"][:2]
    assert_csv_safe(invoke("score", formula, "-i", MINI, "--format", "csv").stdout, (FORMULA,))
    assert_csv_safe(invoke("compare", formula, dde, "-i", MINI, "--format", "csv").stdout)
    explained = invoke("explain", dde, "-i", MINI, "--format", "csv").stdout
    assert_csv_safe(explained, ())


def test_templates_hold_no_formula(tmp_path, write):
    config = write(
        "ind.yaml",
        f"extends: {MINI}\nfields:\n  - {{id: township_count, zh: '=1+2', en: '@SUM(A1)', kind: count, min: 1, unit: {{zh: 个, en: '=cmd|x'}}}}\n",
    )
    assert_csv_safe(invoke("template", "-i", config, "--format", "csv", "--lang", "en").stdout, ())
    invoke("template", "-i", config, "-o", tmp_path / "form.xlsx", "--lang", "zh")
    book = openpyxl.load_workbook(tmp_path / "form.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert_xlsx_safe(cells)
    assert "=1+2" in {c.value for c in cells} and "'=1+2" not in {c.value for c in cells}


# ---------------------------------------------------------------- terminals and stderr


def test_terminal_views_carry_no_escape_sequence(hostile):
    formula, dde, escapes, markdown = hostile["singles"]
    for args in (
        ("score", escapes),
        ("score", escapes, "--by", "standard"),
        ("rank", hostile["yaml"]),
        ("rank", hostile["csv"]),
        ("compare", escapes, markdown),
        ("explain", escapes),
        ("explain", "township_cast_coverage", escapes),
        ("validate", hostile["yaml"]),
    ):
        result = invoke(*args, "-i", MINI)
        assert_terminal_safe(result.stdout + result.stderr)
        assert "pwned" not in result.stdout and "]8;;" not in result.stdout  # whole sequences removed, not only the ESC
        assert "click" in result.stdout or args[0] == "validate"  # the text is shown, its escapes are not


def test_rich_markup_in_a_name_is_text():
    from rich.console import Console
    from rich.table import Table

    from scast_cli.render import print_parts

    table = Table(title="[link=http://evil]t[/link]")
    table.add_column("[bold]h")
    table.add_row("[link=http://evil]click[/link] [/]")
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    print_parts(console, [table])
    out = console.file.getvalue()
    assert "[link=http://evil]click[/link] [/]" in out and "http://evil\x1b" not in out and "\x1b]8" not in out


def test_error_messages_carry_no_escape_sequence(write):
    bad = write("bad.yaml", 'region: "x\\e]0;t\\a"\nfigures:\n  "\\e[31mbad\\x9b1m\\u202e": 3\n')
    result = runner.invoke(app, ["score", str(bad), "-i", str(MINI)], env={"NO_COLOR": "1"})
    assert result.exit_code == 1 and "unknown field" in result.stderr
    assert_terminal_safe(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1  # one line per problem
    checked = runner.invoke(app, ["validate", str(bad), "-i", str(MINI)], env={"NO_COLOR": "1"})
    assert checked.exit_code == 1 and "unknown field" in checked.stdout
    assert_terminal_safe(checked.stdout + checked.stderr)


def test_messages_quote_the_input_as_written(write):
    """Warnings and errors are printed as plain text: an emoji code or markup in a cell is not
    turned into an emoji or a style on the way to stderr."""
    table = write("t.csv", "地区,乡镇(街道)数\n甲:smile:县,x:thumbs_up:y\n乙[bold]县,3\n")
    result = runner.invoke(app, ["rank", str(table), "-i", str(MINI), "-f", "csv"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0 and "甲:smile:县" in result.stderr and "'x:thumbs_up:y'" in result.stderr
    assert "😄" not in result.stderr and "👍" not in result.stderr


# ---------------------------------------------------------------- markdown


def test_markdown_renders_the_names_as_text(hostile):
    formula, dde, escapes, markdown = hostile["singles"]
    outputs = [
        invoke("score", markdown, "-i", MINI, "--format", "markdown").stdout,
        invoke("score", escapes, "-i", MINI, "--format", "markdown").stdout,
        invoke("rank", hostile["yaml"], "-i", MINI, "--format", "markdown").stdout,
        invoke("compare", markdown, escapes, "-i", MINI, "--format", "markdown").stdout,
        invoke("explain", markdown, "-i", MINI, "--format", "markdown").stdout,
        invoke("explain", "township_cast_coverage", markdown, "-i", MINI, "--format", "markdown").stdout,
        invoke("report", markdown, "-i", MINI, "--lang", "en").stdout,
        invoke("report", markdown, "-i", MINI, "--lang", "zh", "--against", escapes).stdout,
    ]
    for text in outputs:
        assert_markdown_safe(text)
        assert "heading" in text or "click" in text  # the name is there, as text
    assert "\\# heading &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\]" in outputs[0]


# ---------------------------------------------------------------- JSON


def strict(text: str):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_json_is_strict_and_keeps_the_names(hostile):
    formula, dde, escapes, markdown = hostile["singles"]
    for args in (
        ("score", escapes),
        ("rank", hostile["yaml"]),
        ("compare", escapes, formula),
        ("explain", escapes),
        ("explain", "township_cast_coverage", escapes),
        ("fields",),
    ):
        text = invoke(*args, "-i", MINI, "--format", "json").stdout
        assert_terminal_safe(text)  # \u-escaped in the JSON text
        strict(text)
    assert strict(invoke("score", escapes, "-i", MINI, "--format", "json").stdout)["region"]["name"] == ESCAPES
    checked = runner.invoke(app, ["validate", str(hostile["yaml"]), "-i", str(MINI), "--format", "json"])
    assert ESCAPES in strict(checked.stdout)["regions"]


def test_to_json_turns_non_finite_numbers_into_null():
    payload = {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5, (2.0, float("nan"))], "c": {"d": None, "e": "NaN"}}
    assert strict(to_json(payload)) == {"a": None, "b": [None, None, 1.5, [2.0, None]], "c": {"d": None, "e": "NaN"}}


# ---------------------------------------------------------------- the functions


@pytest.mark.parametrize(
    "value, expected",
    [
        (FORMULA, "'" + FORMULA),
        (DDE, "'" + DDE),
        ("+86 532", "'+86 532"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'=1+2"),  # CR removed, the rest still neutralised
        ("-", "'-"),
        ("-3.5", "-3.5"),
        ("+7", "+7"),
        ("-1e5", "-1e5"),
        ("", ""),
        ("胶州市", "胶州市"),
        ("a=b", "a=b"),
        ("x\x1b[2Jy", "xy"),
        (-3.5, -3.5),
        (None, None),
        (12, 12),
    ],
)
def test_spreadsheet_cell(value, expected):
    assert spreadsheet_cell(value) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("胶州市 Jiaozhou 12.5%", "胶州市 Jiaozhou 12.5%"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[38;2;255;0;0mb\x1b[0m", "ab"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\b", "aclickb"),
        ("a\x1bPq#0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x9b2Jb", "ab"),
        ("a\x1b(Bb\x1bcc", "abc"),
        ("a\x1b]0;unterminated", "a0;unterminated"),  # the ESC goes; what is left is plain text
        ("a\x00\x08\x7f\x85\x9fb", "ab"),
        ("\u202eabc\u2066d\u2069", "abcd"),
        ("two\nlines\tand tab", "two\nlines\tand tab"),
        ("", ""),
    ],
)
def test_terminal_text(text, expected):
    assert terminal_text(text) == expected


def test_terminal_text_on_one_line():
    assert terminal_text("a\r\nb\nc\td\u2028e\x85f", one_line=True) == "a b c d e f"
    assert terminal_text(12.5) == "12.5"


def test_terminal_text_is_linear_on_pathological_input():
    import time

    for text in ("\x1b[" + "0" * 200_000 + "\x00", "\x1b]" + "x" * 200_000, ("\x1b[1" * 50_000), "\x1b" * 200_000):
        start = time.perf_counter()
        out = terminal_text(text)
        assert time.perf_counter() - start < 1 and "\x1b" not in out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("胶州市", "胶州市"),
        ("Township CAST coverage (reported)", "Township CAST coverage (reported)"),
        ("S&T 乡镇(街道)数 -3.5 12.5% 1,240", "S&T 乡镇(街道)数 -3.5 12.5% 1,240"),
        ("-3.5", "-3.5"),
        ("# h", "\\# h"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("---", "\\---"),
        ("> quote", "&gt; quote"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("&lt; &#60;", "&amp;lt; &amp;\\#60;"),
        ("[x](http://e)", "\\[x\\]\\(http://e)"),
        ("![i](http://e/i.png)", "\\!\\[i\\]\\(http://e/i.png)"),
        ("a|b_c *d* `e` ~f~ $g$ {h}", "a\\|b\\_c \\*d\\* \\`e\\` \\~f\\~ \\$g\\$ \\{h\\}"),
        ("a\\b", "a\\\\b"),
        ("two\nlines\x1b[2J", "two lines"),
        ("", ""),
    ],
)
def test_markdown_text(text, expected):
    assert markdown_text(text) == expected


def test_markdown_text_autolinks_and_pipes():
    assert markdown_text("see https://example.org/a_b?x=1. [x]", autolink=True) == "see <https://example.org/a_b?x=1>. \\[x\\]"
    assert markdown_text("[x](http://e)", autolink=True) == "\\[x\\]\\(<http://e>)"
    assert markdown_text("a|b", pipes=False) == "a|b"


def test_markdown_code():
    assert markdown_code("data/x.yaml") == "`data/x.yaml`"
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x`") == "`` `x` ``"
