"""Hostile and broken input (issue 12): never hang, never crash, values read as written, nothing clobbered.

Every case runs the CLI on one input, from the committed corpus in tests/hostile/ or built here
in tmp_path when it is big or binary (a 16,000-column CSV, an XLSX with an external entity, an
indicators file of 100,000 keys, a named pipe), and checks: the exit code (1 bad data or config,
2 usage), a message naming the file and what was wrong, no "internal error" and no traceback,
nothing written to the -o target, and every input file unchanged. Cases that could hang or
exhaust memory run in a subprocess under a time limit and an address-space limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from tests.conftest import FIXTURES, run_isolated

CORPUS = Path(__file__).resolve().parent / "hostile"
OUT = "out.json"
TIMEOUT = 20  # seconds
MEMORY = 1536 * 2**20  # bytes of address space for a subprocess case
runner = CliRunner()


@dataclass
class Case:
    id: str
    build: Callable[[Path], list[str]]  # makes the input in a folder, returns the CLI arguments
    exit: int
    expect: str  # a stable part of the message, after the file's name
    env: dict[str, str] = field(default_factory=dict)
    isolated: bool = False  # in a subprocess, under a time and memory limit
    names_file: bool = True  # the message starts with the input's name


# ---------------------------------------------------------------- builders


def corpus(name: str) -> Callable[[Path], list[str]]:
    """Score a corpus file, copied into the folder."""

    def build(folder: Path) -> list[str]:
        _copy(folder, name)
        return ["score", name, "-o", OUT]

    return build


def indicators(name: str, *also: str) -> Callable[[Path], list[str]]:
    """Score the small test region with a corpus indicators file (and the files it extends)."""

    def build(folder: Path) -> list[str]:
        _copy(folder, name, *also)
        return ["score", "mini_region.yaml", "-i", name, "-o", OUT]

    return build


def _copy(folder: Path, *names: str) -> None:
    """Corpus files into the folder, beside the small test indicators (mini.yaml) and region."""
    _copy_fixtures(folder)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)


def made(name: str, content: Callable[[], bytes | str], *more: str) -> Callable[[Path], list[str]]:
    """A file written at test time (too big or too binary to commit), then scored."""

    def build(folder: Path) -> list[str]:
        _copy_fixtures(folder)
        data = content()
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return ["score", name, "-o", OUT, *more]

    return build


def made_indicators(name: str, content: Callable[[], str]) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        _copy_fixtures(folder)
        (folder / name).write_text(content(), encoding="utf-8")
        return ["score", "mini_region.yaml", "-i", name, "-o", OUT]

    return build


def _copy_fixtures(folder: Path) -> None:
    shutil.copy(FIXTURES / "mini.yaml", folder / "mini.yaml")
    shutil.copy(FIXTURES / "mini_region.yaml", folder / "mini_region.yaml")


def fifo(suffix: str, as_indicators: bool = False) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        _copy_fixtures(folder)
        os.mkfifo(folder / f"pipe{suffix}")
        if as_indicators:
            return ["score", "mini_region.yaml", "-i", f"pipe{suffix}", "-o", OUT]
        return ["score", f"pipe{suffix}", "-o", OUT]

    return build


def symlink_to_dev_zero(name: str, as_indicators: bool = False) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        _copy_fixtures(folder)
        (folder / name).symlink_to("/dev/zero")
        return ["score", "mini_region.yaml", "-i", name, "-o", OUT] if as_indicators else ["score", name, "-o", OUT]

    return build


def extends_fifo(folder: Path) -> list[str]:
    _copy_fixtures(folder)
    os.mkfifo(folder / "base.yaml")
    (folder / "ind.yaml").write_text("extends: base.yaml\n", encoding="utf-8")
    return ["score", "mini_region.yaml", "-i", "ind.yaml", "-o", OUT]


HEADER = "地区,年份,乡镇(街道)数,乡镇(街道)科协数,常住人口\n"
REGION_YAML = "region: 测试县\nlevel: county\nyear: 2024\nfigures:\n  township_count: 12\n"


def _xlsx(sheet: str, workbook_prefix: str = "") -> bytes:
    """A workbook written part by part, so that its XML can be anything."""
    import io

    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?>'
        + workbook_prefix
        + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _sheet(rows: str, dimension: str = "A1:C3", doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


GOOD_ROWS = (
    f'<row r="1">{_text("A1", "地区")}{_text("B1", "乡镇(街道)数")}{_text("C1", "乡镇(街道)科协数")}</row>'
    f'<row r="2">{_text("A2", "甲县")}<c r="B2"><v>12</v></c><c r="C2"><v>10</v></c></row>'
)
LAUGHS = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i + 1} "{f"&lol{i};" * 10 if i else "&lol;" * 10}">' for i in range(9)) + "]>"


# ---------------------------------------------------------------- the cases

CASES = [
    # not a regular file: refused before it is opened (exit 2 when named on the command line)
    Case("fifo-region", fifo(".yaml"), 2, "is a named pipe, not a regular file; expected a region file", isolated=True),
    Case("fifo-table", fifo(".csv"), 2, "is a named pipe, not a regular file", isolated=True),
    Case("fifo-indicators", fifo(".yaml", as_indicators=True), 2, "is a named pipe, not a regular file; expected an indicators file", isolated=True),
    Case("dev-zero-symlink-region", symlink_to_dev_zero("zero.yaml"), 2, "is a character device (a symlink to /dev/zero), not a regular file", isolated=True),
    Case("dev-zero-symlink-xlsx", symlink_to_dev_zero("zero.xlsx"), 2, "is a character device", isolated=True),
    Case("dev-zero-symlink-indicators", symlink_to_dev_zero("zero.yaml", as_indicators=True), 2, "is a character device", isolated=True),
    Case("dev-zero-region", lambda folder: ["score", "/dev/zero", "-o", OUT], 2, "/dev/zero: is a character device", isolated=True, names_file=False),
    Case("folder-region", lambda folder: ["score", ".", "-o", OUT], 2, ".: is a folder, not a regular file", names_file=False),
    Case("extends-dev-zero", indicators("ind_extends_dev_zero.yaml"), 1, "extends: /dev/zero is a character device", isolated=True),
    Case("extends-folder", indicators("ind_extends_folder.yaml"), 1, "extends: . is a folder"),
    Case("extends-fifo", extends_fifo, 1, "is a named pipe, not a regular file", isolated=True, names_file=False),
    Case("too-large-yaml", made("big.yaml", lambda: "# padding\n" * 600_000), 1, "too large to read; the limit is 5 MB (set SCAST_MAX_YAML_MB", isolated=True),
    Case("too-large-table-env", made("big.csv", lambda: HEADER + "甲县,2024,12,10,1\n" * 80_000), 1, "the limit is 1 MB", env={"SCAST_MAX_TABLE_MB": "1"}),
    Case(
        "bad-limit-env", corpus("table_nan_utf8.csv"), 2, "SCAST_MAX_ROWS: expected a positive whole number", env={"SCAST_MAX_ROWS": "lots"}, names_file=False
    ),
    # YAML bombs and limits
    Case("yaml-alias-bomb", corpus("region_alias_bomb.yaml"), 1, "more than 1,000,000 values, counting what aliases repeat", isolated=True),
    Case("yaml-merge-key-aliases", corpus("region_merge_key_bomb.yaml"), 1, "more than 100 aliases", isolated=True),
    Case("yaml-deep-nesting", corpus("region_deep_nesting.yaml"), 1, "nested more than 50 levels deep; the limit is 50 levels", isolated=True),
    Case(
        "yaml-deep-nesting-100k",
        made("deep.yaml", lambda: REGION_YAML + "  township_cast_count: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        1,
        "nested more than 50 levels deep",
        isolated=True,
    ),
    Case(
        "yaml-100k-keys",
        made("keys.yaml", lambda: REGION_YAML + "".join(f"  field_{i}: {i}\n" for i in range(100_000))),
        1,
        "more than 20,000 keys",
        isolated=True,
    ),
    Case(
        "yaml-5k-unknown-fields",
        made("unknown.yaml", lambda: REGION_YAML + "".join(f"  field_{i}: {i}\n" for i in range(5_000))),
        1,
        "more problems not listed: reading stopped at 1,000",
        isolated=True,
        names_file=True,
    ),
    Case("yaml-long-value", made("long.yaml", lambda: REGION_YAML + "  population_resident: '" + "1" * 20_000 + "'\n"), 1, "a value of 20,000 characters"),
    Case("yaml-not-utf8", corpus("region_not_utf8.yaml"), 1, "not UTF-8 text"),
    Case("yaml-nul", corpus("region_nul.yaml"), 1, "invalid YAML: character #x0000"),
    Case("yaml-two-documents", corpus("region_two_documents.yaml"), 1, "invalid YAML"),
    Case("yaml-python-tag", corpus("region_python_tag.yaml"), 1, "could not determine a constructor"),
    Case("yaml-tab", corpus("region_tab_indent.yaml"), 1, "invalid YAML: found a tab character"),
    Case("yaml-duplicate-key", corpus("region_duplicate_key.yaml"), 1, "key 'township_count' appears twice"),
    Case("yaml-empty", corpus("region_empty.yaml"), 1, "no regions found"),
    Case("yaml-scalar", corpus("region_scalar_only.yaml"), 1, "expected a mapping"),
    Case("yaml-bad-date", corpus("region_bad_date.yaml"), 1, "year: expected a year between 2000 and 2100, found '2024-13-45'"),
    Case("yaml-list-value", corpus("region_list_value.yaml"), 1, "expected a number for population_resident, found a list"),
    # values read as written (YAML 1.2 numbers; NaN, infinities and overflow refused at their place)
    Case("yaml-sexagesimal", corpus("region_sexagesimal.yaml"), 1, "figures.township_cast_count: '1:30' is not a number"),
    Case("yaml-underscore", corpus("region_underscore.yaml"), 1, "'1_000_000' is not a number"),
    Case("yaml-nan", corpus("region_nan.yaml"), 1, "6:24: 测试县: figures.township_cast_count: 'nan' is not a finite number"),
    Case("yaml-inf", corpus("region_inf.yaml"), 1, "figures.population_resident: 'inf' is not a finite number"),
    Case("yaml-minus-inf", corpus("region_minus_inf.yaml"), 1, "'-inf' is not a finite number"),
    Case("yaml-1e999", corpus("region_1e999.yaml"), 1, "figures.population_resident: '1e999' is not a finite number"),
    Case("yaml-400-digits", corpus("region_400_digits.yaml"), 1, "(400 characters) is too large for a figure"),
    Case("yaml-5000-digits", corpus("region_5000_digits.yaml"), 1, "(5,000 characters) is not a finite number"),
    Case("yaml-digits-as-text", corpus("region_digits_text.yaml"), 1, "(400 characters) is not a finite number"),
    Case("yaml-inf-text", corpus("region_inf_text.yaml"), 1, "'inf' is not a number"),
    Case("yaml-nan-text", corpus("region_nan_text.yaml"), 1, "'NaN' is not a number"),
    Case("yaml-overflow-by-wan", corpus("region_huge_wan.yaml"), 1, "(306 characters) is not a finite number"),
    Case("yaml-beyond-bounds", corpus("region_huge_finite.yaml"), 1, "committee_frontline_share: expected at most 1, found 1e+300"),
    Case("yaml-pathological-number", corpus("region_pathological_number.yaml"), 1, "(8,003 characters) is not a number", isolated=True),
    Case("yaml-pathological-spaces", corpus("region_pathological_spaces.yaml"), 1, "(9,002 characters) is not a number", isolated=True),
    Case("yaml-pathological-note", corpus("region_pathological_note.yaml"), 1, "(8,002 characters) is not a number", isolated=True),
    # CSV in each encoding
    Case("csv-nan-utf8", corpus("table_nan_utf8.csv"), 1, "row 2 (甲县), column 乡镇(街道)科协数 (D2): 'nan' is not a number"),
    Case("csv-inf-utf8-sig", corpus("table_inf_utf8sig.csv"), 1, "row 2 (甲县), column 常住人口 (E2): 'inf' is not a number"),
    Case("csv-1e999-gb18030", corpus("table_1e999_gb18030.csv"), 1, "column 常住人口 (E2): '1e999' is not a finite number"),
    Case("csv-400-digits-gb18030", corpus("table_400_digits_gb18030.csv"), 1, "(400 characters) is not a finite number"),
    Case("csv-overflow-by-yi", corpus("table_huge_yi_utf8.csv"), 1, "(302 characters) is not a finite number"),
    Case("csv-nan-percent", corpus("table_nan_percent_utf8sig.csv"), 1, "'nan%' is not a number"),
    Case("csv-bad-bom", corpus("table_bad_bom.csv"), 1, "starts as UTF-8 but is not valid UTF-8"),
    Case("csv-no-header", corpus("table_no_header.csv"), 1, "no header row with a region column"),
    Case("csv-unclosed-quote", corpus("table_unclosed_quote.csv"), 1, "column 乡镇(街道)科协数 (D2): '10,500000\\n' is not a number"),
    Case("csv-pathological-cell", corpus("table_pathological_cell.csv"), 1, "(8,003 characters) is not a number", isolated=True),
    Case(
        "csv-16000-columns",
        made("wide.csv", lambda: ",".join(["地区", *(f"c{i}" for i in range(16_000))]) + "\n"),
        1,
        "16,001 columns, more than 2,000",
        isolated=True,
    ),
    Case(
        "csv-field-over-131072",
        made("long.csv", lambda: HEADER + "甲县,2024,12,10," + "1" * 200_000 + "\n"),
        1,
        "a cell longer than 10,000 characters; the limit is 10,000 characters",
        isolated=True,
    ),
    Case("csv-sniffer-quotes", made("quotes.csv", lambda: '"a,' * 30_000 + "\n"), 1, "15,001 columns, more than 2,000", isolated=True),
    Case(
        "csv-sniffer-quoted-delimiters", made("quotes2.csv", lambda: '",' * 1_900 + "\n" + '"a;' * 20_000), 1, "10,001 columns, more than 2,000", isolated=True
    ),
    Case(
        "csv-rows-limit-env",
        made("rows.csv", lambda: HEADER + "甲县,2024,12,10,1\n" * 2_000),
        1,
        "more than 1,000 rows; the limit is 1,000 rows",
        env={"SCAST_MAX_ROWS": "1000"},
    ),
    Case(
        "csv-cells-limit-env",
        made("cells.csv", lambda: HEADER + "甲县,2024,12,10,1\n" * 300),
        1,
        "more than 1,000 cells; the limit is 1,000 cells",
        env={"SCAST_MAX_CELLS": "1000"},
    ),
    Case("csv-million-rows", made("million.csv", lambda: HEADER + "\n" * 1_000_001), 1, "more than 1,000,000 rows", isolated=True),
    Case(
        "csv-5000-bad-rows",
        made("bad.csv", lambda: HEADER + "".join(f"县{i},2024,12,10,abc\n" for i in range(5_000))),
        1,
        "more problems not listed: reading stopped at 1,000",
        isolated=True,
    ),
    # XLSX: entities, claimed dimensions, the cells that exist
    Case(
        "xlsx-external-entity",
        made("xxe.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("甲县", "&xxe;"), doctype='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))),
        1,
        "the workbook's XML declares entities or a DTD",
        isolated=True,
    ),
    Case(
        "xlsx-billion-laughs",
        made("laughs.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("甲县", "&lol9;"), doctype=LAUGHS))),
        1,
        "the workbook's XML declares entities or a DTD",
        isolated=True,
    ),
    Case("xlsx-laughs-in-workbook", made("laughs2.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS), workbook_prefix=LAUGHS)), 1, "declares entities", isolated=True),
    Case(
        "xlsx-far-cell",
        made("far.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:XFD1048576"))),
        1,
        "more than 1,000,000 rows",
        isolated=True,
    ),
    Case(
        "xlsx-wide-row",
        made("wide.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS + '<row r="3"><c r="XFD3"><v>1</v></c></row>', "A1:XFD3"))),
        1,
        "16,384 columns, more than 2,000",
        isolated=True,
    ),
    Case(
        "xlsx-rows-limit-env",
        made("rows.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS + "".join(f'<row r="{r}"><c r="B{r}"><v>1</v></c></row>' for r in range(3, 3000))))),
        1,
        "more than 1,000 rows",
        env={"SCAST_MAX_ROWS": "1000"},
        isolated=True,
    ),
    Case("xlsx-long-cell", made("long.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("甲县", "甲" * 20_000)))), 1, "a cell of 20,000 characters", isolated=True),
    Case("xlsx-inf-value", made("inf.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("<v>10</v>", "<v>1e999</v>")))), 1, "'inf' is not a finite number"),
    Case("xlsx-minus-inf-value", made("inf.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("<v>10</v>", "<v>-1E400</v>")))), 1, "'-inf' is not a finite number"),
    Case("xlsx-nan-value", made("nan.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS.replace("<v>10</v>", "<v>NaN</v>")))), 1, "not a readable .xlsx workbook"),
    Case("xlsx-not-a-zip", made("junk.xlsx", lambda: b"PK\x03\x04 not really a workbook"), 1, "not a readable .xlsx workbook"),
    Case(
        "xlsx-zip-bomb-env",
        made("bomb.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS + "<!--" + " " * 3_000_000 + "-->"))),
        1,
        "MB of XML, too much to read; the limit is 2 MB",
        env={"SCAST_MAX_XLSX_XML_MB": "2"},
    ),
    # indicators files
    Case("ind-alias-bomb", indicators("ind_alias_bomb.yaml"), 1, "counting what aliases repeat", isolated=True),
    Case("ind-deep-nesting", indicators("ind_deep_nesting.yaml"), 1, "nested more than 50 levels deep", isolated=True),
    Case(
        "ind-100k-keys",
        made_indicators("keys.yaml", lambda: "extends: mini.yaml\nnotes:\n" + "".join(f"  k{i}: {i}\n" for i in range(100_000))),
        1,
        "more than 20,000 keys",
        isolated=True,
    ),
    Case(
        "ind-19k-unknown-keys",
        made_indicators("keys.yaml", lambda: "extends: mini.yaml\n" + "".join(f"k{i}: {i}\n" for i in range(19_000))),
        1,
        "k18999: unknown key",
        isolated=True,
    ),
    Case("ind-nan-weight", indicators("ind_nan_weight.yaml"), 1, "indicators[literacy].weight"),
    Case("ind-inf-target", indicators("ind_inf_target.yaml"), 1, "indicators[volunteers_per_10k].rule.target"),
    Case("ind-inf-goalpost", indicators("ind_inf_goalpost.yaml"), 1, "indicators[volunteers_per_10k].rule.upper"),
    Case("ind-nan-band-floor", indicators("ind_nan_band.yaml"), 1, "indicators[township_cast_coverage].rule.bands.green"),
    Case("ind-inf-group-weight", indicators("ind_inf_group_weight.yaml"), 1, "groups.dimension[coverage].weight"),
    Case("ind-extends-cycle", indicators("ind_extends_cycle_a.yaml", "ind_extends_cycle_b.yaml"), 1, "the chain loops", names_file=False),
    Case("ind-extends-self", indicators("ind_extends_self.yaml"), 1, "the chain loops"),
    Case("ind-not-a-mapping", indicators("ind_not_a_mapping.yaml"), 1, "expected a mapping with fields: and indicators:"),
    Case(
        "ind-formula-100k",
        made_indicators("long.yaml", lambda: "extends: mini.yaml\nindicators:\n  - id: literacy\n    formula: " + "a+" * 50_000 + "a\n"),
        1,
        "a value of 100,001 characters; the limit is 10,000 characters",
        isolated=True,
    ),
    Case(
        "ind-formula-5k",
        made_indicators("long.yaml", lambda: "extends: mini.yaml\nindicators:\n  - id: literacy\n    formula: " + "a+" * 2_500 + "a\n"),
        1,
        "a formula of 5,001 characters is too long; the limit is 2,000 characters",
        isolated=True,
    ),
    Case("ind-formula-1e999", indicators("ind_formula_1e999.yaml"), 1, "the constant 1e999 is too large"),
    Case("ind-formula-parentheses", indicators("ind_formula_deep.yaml"), 1, "parentheses nested more than 50 deep", isolated=True),
    Case("ind-formula-unary-chain", indicators("ind_formula_unary_chain.yaml"), 1, "nested more than 200 levels deep", isolated=True),
]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every regular file in the folder and its digest (pipes and links to devices are not read)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _run(case: Case, folder: Path, args: list[str], monkeypatch) -> tuple[int, str]:
    if case.isolated:
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **case.env}
        result = run_isolated(args, folder, env, TIMEOUT, MEMORY)  # python -m scast_cli in a child process (conftest)
        return result.returncode, result.stderr + result.stdout
    monkeypatch.chdir(folder)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stderr + result.stdout


def test_the_corpus_is_large_enough():
    committed = [p for p in CORPUS.iterdir() if p.is_file()]
    assert len(committed) >= 40
    assert len(CASES) >= 60 and len({c.id for c in CASES}) == len(CASES)
    assert all(p.stat().st_size < 50_000 for p in committed)  # big inputs are built at test time
    source = Path(__file__).read_text(encoding="utf-8")
    assert [p.name for p in committed if f'"{p.name}"' not in source] == []  # every file has its case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch):
    args = case.build(tmp_path)
    before = _snapshot(tmp_path)
    started = time.monotonic()
    code, output = _run(case, tmp_path, args, monkeypatch)
    elapsed = time.monotonic() - started
    assert "internal error" not in output.lower() and "Traceback" not in output, output[-2000:]
    assert case.expect in output, output[-2000:]
    if case.names_file:
        assert f"{args[args.index('-i') + 1] if '-i' in args else args[1]}:" in output, output[-2000:]
    assert code == case.exit, output[-2000:]
    assert not (tmp_path / OUT).exists()
    assert _snapshot(tmp_path) == before  # every input unchanged, nothing else written
    assert elapsed < TIMEOUT


# ---------------------------------------------------------------- values read as written


def test_yaml_12_numbers(tmp_path):
    from scast_cli.config import YamlLoader, read_yaml

    path = tmp_path / "n.yaml"
    path.write_text(
        "a: 012\nb: 0o12\nc: 0x1A\nd: 1:30\ne: 1_000\nf: 1e3\ng: .inf\nh: -.inf\ni: .nan\nj: +7\nk: 0b11\nl: 1e999\nm: 2024-13-45\n", encoding="utf-8"
    )
    data, root = read_yaml(path)
    assert (data["a"], data["b"], data["c"], data["d"], data["e"], data["f"], data["j"]) == (12, 10, 26, "1:30", "1_000", 1000.0, 7)
    assert data["g"] == float("inf") and data["h"] == float("-inf") and data["i"] != data["i"]
    assert data["k"] == "0b11" and data["l"] == "1e999" and data["m"] == "2024-13-45"
    assert root.value[0][1].start_mark.line == 0  # one tree, with its lines
    import yaml

    assert yaml.safe_load("a: 012") == {"a": 10}  # PyYAML's own loaders are left as they were
    if yaml.__with_libyaml__:
        assert issubclass(YamlLoader, yaml.CSafeLoader)


def test_octal_looking_figure_reads_as_written(tmp_path):
    from scast_cli.config import load_config
    from scast_cli.readers import read_regions

    shutil.copy(CORPUS / "region_octal_looking.yaml", tmp_path / "r.yaml")
    regions = read_regions(tmp_path / "r.yaml", load_config())
    assert regions.values.at["测试县", "township_cast_count"] == 12


def test_scientific_notation_as_spreadsheets_export_it(mini):
    from scast_cli.readers import parse_value

    spec = mini.field_by_id["population_resident"]
    assert parse_value("1.2E+5", spec).number == 120_000
    assert parse_value(1.2e5, spec).number == 120_000
    for bad in ("1e999", float("nan"), float("inf"), 10**400):
        with pytest.raises(ValueError, match="finite|too large"):
            parse_value(bad, spec)


@pytest.mark.parametrize(
    "cell",
    [
        "1," + "111," * 2500 + "x",
        "1" + " " * 9_990 + "x",
        "1" + " (" * 4_990 + "x",
        "(" * 9_990 + ")",
        "约" + "1" * 9_000 + "多x",
        "1" + " " * 9_000 + "(推算" + " " * 900,
    ],
)
def test_no_pattern_backtracks_on_a_long_cell(mini, cell):
    from scast_cli.readers import header_unit, normalise, parse_value

    spec = mini.field_by_id["population_resident"]
    started = time.monotonic()
    with pytest.raises(ValueError):
        parse_value(cell, spec)
    normalise(cell)
    header_unit(cell)
    assert time.monotonic() - started < 0.5


def test_a_cell_over_the_limit_is_refused_before_any_pattern(mini):
    from scast_cli.readers import parse_value

    with pytest.raises(ValueError, match="too long for a figure; the limit is 10,000 characters"):
        parse_value("1" * 10_001, mini.field_by_id["population_resident"])


def test_trailing_bracket_matches_the_old_patterns():
    import re

    from scast_cli.readers import header_unit, normalise

    old_unit = lambda t: m.group(1).strip() if (m := re.search(r"[(\[【]([^()\[\]【】]*)[)\]】]\s*$", t)) else ""  # noqa: E731
    for text in ("科普专项经费(万元)", "科普专项经费 （万元） ", "a(b)(c)", "a(b(c))", "(万元)", "a[人]", "a【个】", "a(b", "a)", "", "()", "a (b) c"):
        assert header_unit(text) == old_unit(re.sub(r"\s+$", "", __import__("unicodedata").normalize("NFKC", text)) if text else text)
    assert normalise("科普专项经费 (万元)") == normalise("科普专项经费")


def test_formula_bounds():
    from scast_cli.formulas import FormulaError, parse

    for text, message in (
        ("a" * 2_001, "too long"),
        ("(" * 51 + "a" + ")" * 51, "parentheses nested more than 50"),
        ("-" * 300 + "a", "nested more than 200 levels"),
        ("a * 1e999", "the constant 1e999 is too large"),
        ("a * " + "9" * 400, "is too large"),
    ):
        with pytest.raises(FormulaError, match=message):
            parse(text, ["a"])
    assert parse("+".join(["a"] * 150), ["a"]).fields == ("a",)  # a long sum is fine


# ---------------------------------------------------------------- limits and reading


def test_limits_are_named_with_why_and_configurable(monkeypatch):
    from scast_cli import limits

    assert all(spec.why and spec.value > 0 for spec in limits.LIMITS.values())
    monkeypatch.setenv("SCAST_MAX_ROWS", "2_000")
    assert limits.limit("rows") == 2_000
    assert limits.exceeds("rows") == "the limit is 2,000 rows (set SCAST_MAX_ROWS to allow more)"
    assert limits.exceeds("yaml_depth") == "the limit is 50 levels"


def test_csv_separator_is_detected_in_linear_time():
    from scast_cli.tables import _delimiter

    assert _delimiter("地区;年份\n甲;2024\n") == ";"
    assert _delimiter("title only\n地区\t年份\t人口\n甲\t2024\t1,000\n") == "\t"
    assert _delimiter('地区,"a;b",c\n甲,"1;2",3\n') == ","
    started = time.monotonic()
    _delimiter('",' * 40_000)
    _delimiter('"a,' * 30_000)
    assert time.monotonic() - started < 1


def test_xlsx_dimension_is_not_trusted(tmp_path, mini):
    from scast_cli.readers import read_regions

    path = tmp_path / "claims.xlsx"
    path.write_bytes(_xlsx(_sheet(GOOD_ROWS, "A1:XFD1048576")))
    started = time.monotonic()
    regions = read_regions(path, mini)
    assert regions.values.at["甲县", "township_cast_count"] == 10 and time.monotonic() - started < 5


# ---------------------------------------------------------------- nothing clobbered


def _chain(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "base.yaml"
    shutil.copy(FIXTURES / "mini.yaml", base)
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nindicators:\n  - id: literacy\n    weight: 2\n", encoding="utf-8")
    return base, child


@pytest.mark.parametrize(
    "args",
    [
        # score writes no .yaml: --format json gets past the extension check to the one tested here
        ["score", str(FIXTURES / "mini_region.yaml"), "-i", "{child}", "-o", "{base}", "--format", "json"],
        ["template", "-i", "{child}", "-o", "{base}", "--format", "yaml"],
        ["fields", "-i", "{child}", "-o", "{base}", "--format", "json"],
        ["report", str(FIXTURES / "mini_region.yaml"), "-i", "{child}", "-o", "{base}", "--charts", "none"],
    ],
    ids=["score", "template", "fields", "report"],
)
def test_output_never_overwrites_a_file_of_the_extends_chain(tmp_path, args):
    base, child = _chain(tmp_path)
    before = base.read_bytes()
    result = runner.invoke(app, [a.format(base=base, child=child) for a in args])
    assert result.exit_code == 2 and "refusing to write over the input file" in result.stderr
    assert base.read_bytes() == before


def test_extends_chain_lists_every_file(tmp_path):
    from scast_cli.config import default_path, extends_chain, load_config

    base, child = _chain(tmp_path)
    assert [p.name for p in extends_chain(child)] == ["base.yaml", "child.yaml"]
    load_config(child)
    assert [p.resolve() for p in extends_chain(child)] == [base.resolve(), child.resolve()]
    assert extends_chain(None) == [default_path()]


def test_a_failed_write_of_several_files_writes_none(tmp_path, monkeypatch):
    from scast_cli import output
    from scast_cli.errors import ScastError

    staged = output._stage
    calls = []

    def fail_second(target, raw):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return staged(target, raw)

    monkeypatch.setattr(output, "_stage", fail_second)
    (tmp_path / "report.md").write_text("old", encoding="utf-8")
    with pytest.raises(ScastError, match="No space left on device"):
        output.write_all([(tmp_path / "chart.png", b"png"), (tmp_path / "report.md", "new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no chart, no temporary file
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "old"
    monkeypatch.setattr(output, "_stage", staged)
    output.write_all([(tmp_path / "chart.png", b"png"), (tmp_path / "report.md", "new")])
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "new" and (tmp_path / "chart.png").read_bytes() == b"png"


def test_python_dash_m_runs_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "scast_cli", "--version"], capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("scast ")


def test_json_output_of_a_clean_file_is_strict_json(tmp_path):
    shutil.copy(CORPUS / "region_octal_looking.yaml", tmp_path / "r.yaml")
    result = runner.invoke(app, ["score", str(tmp_path / "r.yaml"), "--format", "json"])
    assert result.exit_code == 0
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
