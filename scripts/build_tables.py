"""Generate data/regions.csv and data/regions.xlsx from data/regions/*.yaml.

The YAML files are the source of truth (they carry every figure's source sentence); the
tables are what a spreadsheet user opens. Headers are the Chinese field labels; each value is
written as a person would type it ('4200以上', '累计53600', '12（推算）'), so scoring a region
from the YAML, the CSV or the XLSX gives identical JSON. tests/test_data.py fails on drift.
Usage: python scripts/build_tables.py [--check]
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import yaml

from scast_cli import forms
from scast_cli.config import load_config
from scast_cli.output import write_output
from scast_cli.readers import field_lookup, normalise, parse_value
from scast_cli.tables import cell_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "data" / "regions").glob("*.yaml"))
CSV_PATH, XLSX_PATH = ROOT / "data" / "regions.csv", ROOT / "data" / "regions.xlsx"


def table() -> tuple[list[str], list[list[str]]]:
    config = load_config()
    lookup = field_lookup(config)
    header = [*forms.META["zh"], *(f.zh for f in config.fields)]
    rows = []
    for path in SOURCES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cells = {}
        for key, raw in (data.get("figures") or {}).items():
            spec = lookup[normalise(key)]
            meta = raw if isinstance(raw, dict) else {"value": raw}
            value = parse_value(meta.get("value"), spec)
            cells[spec.id] = cell_text(
                value.number,
                spec.kind,
                meta.get("qualifier", value.qualifier),
                meta.get("period", value.period),
                bool(meta.get("inferred", value.inferred)),
                meta.get("year", value.year),
            )
        rows.append([data["region"], data.get("level") or "", str(data.get("year") or ""), *(cells.get(f.id, "") for f in config.fields)])
    return header, rows


def csv_text(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()  # UTF-8 with a BOM, so Excel shows the Chinese headers


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "地区数据"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # whole numbers as numbers, everything with words in it as text, as a person would type
        sheet.append([int(v) if v.isdigit() else v for v in row])
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_cells(data: bytes | Path) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def main() -> None:
    header, rows = table()
    text, book = csv_text(header, rows), xlsx_bytes(header, rows)
    if "--check" in sys.argv:
        stale = [
            p.name
            for p, same in (
                (CSV_PATH, CSV_PATH.exists() and CSV_PATH.read_bytes().decode("utf-8") == text),
                (XLSX_PATH, XLSX_PATH.exists() and xlsx_cells(XLSX_PATH) == xlsx_cells(book)),
            )
            if not same
        ]
        sys.exit(f"out of date: {', '.join(stale)}; run python scripts/build_tables.py" if stale else 0)
    write_output(CSV_PATH, text)
    write_output(XLSX_PATH, book)


if __name__ == "__main__":
    main()
