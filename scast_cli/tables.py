"""CSV and XLSX sheets -> region entries, one row per region.

A sheet has a region-name column (地区, 地区名称, region …) and one column per field; the header
is found below any merged title rows. Rows whose first cell starts with '#' are comments (the
template's unit row). CSV encoding (UTF-8, UTF-8 with BOM, GB18030 which covers GBK) and
separator (comma, semicolon, tab) are detected; `--encoding` overrides.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from scast_cli.config import Config
from scast_cli.errors import Problem, ScastError, did_you_mean
from scast_cli.readers import (
    LEVEL_COLUMNS,
    NOTE_COLUMNS,
    REGION_COLUMNS,
    YEAR_COLUMNS,
    Place,
    _Entry,
    _Figure,
    field_lookup,
    header_unit,
    normalise,
    suggest,
)

_HEADER_SCAN = 30  # rows searched for the header below title rows


def entries(
    path: Path, config: Config, *, sheet: str | None = None, encoding: str | None = None, ignore_unknown: bool = False
) -> tuple[list[_Entry], list[Problem]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(path, sheet)
    else:
        grid = _csv_grid(path, encoding)
    return _grid_entries(grid, config, str(path), ignore_unknown)


def decode(data: bytes, encoding: str | None, file: str) -> str:
    """Bytes -> text: the given encoding, else UTF-8 (with or without BOM), else GB18030."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise ScastError.one(f"unknown encoding '{encoding}'; try utf-8 or gb18030", file=file, code="encoding") from None
        except UnicodeDecodeError as exc:
            raise ScastError.one(f"not valid {encoding} at byte {exc.start}; try --encoding utf-8 or --encoding gb18030", file=file, code="encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what Chinese Excel and WPS write for "CSV"
    except UnicodeDecodeError as exc:
        raise ScastError.one(f"neither UTF-8 nor GB18030 (byte {exc.start}); specify the encoding with --encoding", file=file, code="encoding") from None


def _csv_grid(path: Path, encoding: str | None) -> list[list[tuple[Any, str | None]]]:
    text = decode(path.read_bytes(), encoding, str(path))
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=first.count)
    return [[(cell, None) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_grid(path: Path, sheet: str | None) -> list[list[tuple[Any, str | None]]]:
    """Cell values with their number format, so percent-formatted cells read as fractions."""
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ScastError.one(f"not a readable .xlsx workbook ({exc})", file=str(path), code="bad-xlsx") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise ScastError.one(
            f"no sheet '{sheet}'{did_you_mean(sheet, book.sheetnames)}; sheets: {', '.join(book.sheetnames)}", file=str(path), code="unknown-sheet"
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    return [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _grid_entries(grid, config: Config, file: str, ignore_unknown: bool) -> tuple[list[_Entry], list[Problem]]:
    region_names = {normalise(n) for n in REGION_COLUMNS}
    header_at = next((r for r, row in enumerate(grid[:_HEADER_SCAN]) if any(not _blank(v) and normalise(str(v)) in region_names for v, _ in row)), None)
    if header_at is None:
        raise ScastError.one(
            f"no header row with a region column ({', '.join(REGION_COLUMNS[:3])}) in the first {_HEADER_SCAN} rows", file=file, code="no-header"
        )
    lookup = field_lookup(config)
    problems: list[Problem] = []
    header = grid[header_at]
    roles: dict[int, Any] = {}  # column -> "region" | "level" | "year" | "note" | (FieldSpec, unit)
    seen: dict[str, str] = {}
    for c, (value, _) in enumerate(header):
        if _blank(value):
            continue
        text = str(value).strip()
        key = normalise(text)
        cell = f"{_letter(c)}{header_at + 1}"
        if key in region_names:
            roles[c] = "region"
        elif key in {normalise(n) for n in LEVEL_COLUMNS}:
            roles[c] = "level"
        elif key in {normalise(n) for n in YEAR_COLUMNS}:
            roles[c] = "year"
        elif key in {normalise(n) for n in NOTE_COLUMNS}:
            roles[c] = "note"
        elif key in lookup:
            spec = lookup[key]
            if spec.id in seen:
                problems.append(
                    Problem(
                        "duplicate-column",
                        f"column {text} ({cell}) is the field {spec.id}, already given by column {seen[spec.id]}",
                        file,
                        where=f"header row {header_at + 1}",
                    )
                )
                continue
            seen[spec.id] = f"{text} ({cell})"
            roles[c] = (spec, header_unit(text))
        elif not ignore_unknown:
            problems.append(
                Problem(
                    "unknown-column",
                    f"unknown column {text} ({cell}){suggest(text, lookup)}; use --ignore-unknown to skip it",
                    file,
                    where=f"header row {header_at + 1}",
                )
            )
    region_col = next(c for c, role in roles.items() if role == "region")
    out: list[_Entry] = []
    for r in range(header_at + 1, len(grid)):
        row = grid[r]
        values = [v for v, _ in row]
        if all(_blank(v) for v in values):
            continue  # blank trailing or separating rows
        first = next((v for v in values if not _blank(v)), "")
        if isinstance(first, str) and first.lstrip().startswith("#"):
            continue  # a comment row, e.g. the template's units
        name = values[region_col] if region_col < len(values) else None
        line = r + 1
        if _blank(name):
            problems.append(Problem("missing-region", f"row {line} has figures but no region name in column {_letter(region_col)}", file, where=f"row {line}"))
            continue
        name = str(name).strip()
        entry = _Entry(name, None, None, [])
        for c, role in roles.items():
            if c >= len(row) or c == region_col:
                continue
            value, number_format = row[c]
            if role == "level":
                entry.level = None if _blank(value) else str(value).strip()
            elif role == "year":
                entry.year = None if _blank(value) else value
            elif isinstance(role, tuple):
                spec, unit = role
                if _blank(value):
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool) and number_format and "%" in str(number_format):
                    unit = ""  # a percent-formatted cell already holds the fraction
                header_text = str(header[c][0]).strip()
                place = Place(where=f"row {line} ({name}), column {header_text} ({_letter(c)}{line})")
                entry.figures.append(_Figure(spec, value, place, unit))
        out.append(entry)
    return out, problems


def cell_text(number: float | None, kind: str, qualifier: str = "exact", period: str | None = None, inferred: bool = False, year: int | None = None) -> str:
    """A figure as a person would type it in a sheet; `parse_value` reads it back unchanged.

    lower_bound -> '4200以上', upper_bound -> '近20000', approx -> '约300', cumulative -> '累计53600', flow -> '新增10',
    annual -> '每年200以上'; claimed, inferred and a year go in a note: '12（全覆盖，推算，2014年）'.
    """
    if number is None:
        return ""
    if kind == "flag":
        text = "是" if number else "否"
    else:
        text = str(int(number)) if float(number).is_integer() else repr(float(number))
    text = {"lower_bound": f"{text}以上", "upper_bound": f"近{text}", "approx": f"约{text}"}.get(qualifier, text)
    text = {"cumulative": f"累计{text}", "annual": f"每年{text}", "flow": f"新增{text}"}.get(period or "", text)
    notes = [word for word, on in (("全覆盖", qualifier == "claimed"), ("推算", inferred), (f"{year}年", year is not None)) if on]
    return f"{text}（{'，'.join(notes)}）" if notes else text
