"""CSV and XLSX sheets -> region entries, one row per region.

A sheet has a region-name column (地区, 地区名称, region …) and one column per field; the header
is found below any merged title rows. Rows whose first cell starts with '#' are comments (the
template's unit row). CSV encoding (UTF-8, UTF-8 with BOM, GB18030 which covers GBK) and
separator (comma, semicolon, tab) are detected; `--encoding` overrides.

A sheet is untrusted: it is read within `scast_cli.limits` (file size, rows, columns, cells,
characters in a cell) and refused at the first row past a limit, before any per-cell work.
An XLSX workbook is read in openpyxl's read-only mode, by the cells that exist, never by the
dimension the file claims; its XML through defusedxml (no entities, no external references),
and its unpacked size is checked before any XML is parsed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from scast_cli.config import Config
from scast_cli.errors import Problem, ScastError, did_you_mean
from scast_cli.limits import exceeds, limit, read_input, too_many
from scast_cli.readers import (
    LEVEL_COLUMNS,
    NOTE_COLUMNS,
    REGION_COLUMNS,
    REGION_FILE,
    YEAR_COLUMNS,
    Place,
    _Entry,
    _Figure,
    field_lookup,
    header_unit,
    normalise,
    suggest,
)

_SNIFF_CHARS = 65_536  # the separator is chosen from the first lines within this many characters
_SNIFF_LINES = 20


class _Fraction(float):
    """A number from a percent-formatted XLSX cell: it already holds the fraction (73.17% is
    0.7317), so the header's '%' unit must not divide it again."""


Grid = list[list[Any]]


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
            raise ScastError.one(f"unknown encoding '{encoding[:40]}'; try utf-8 or gb18030", file=file, code="encoding") from None
        except UnicodeDecodeError as exc:
            raise ScastError.one(f"not valid {encoding} at byte {exc.start}; try --encoding utf-8 or --encoding gb18030", file=file, code="encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise ScastError.one(
                f"starts as UTF-8 but is not valid UTF-8 at byte {exc.start + 3}; specify the encoding with --encoding", file=file, code="encoding"
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what Chinese Excel and WPS write for "CSV"
    except UnicodeDecodeError as exc:
        raise ScastError.one(f"neither UTF-8 nor GB18030 (byte {exc.start}); specify the encoding with --encoding", file=file, code="encoding") from None


class _Bounds:
    """Counts rows and cells as a sheet is read and refuses the first one past a limit."""

    def __init__(self, file: str):
        self.file = file
        self.rows, self.columns, self.chars = limit("rows"), limit("columns"), limit("cell_chars")
        self.cells_left = limit("cells")
        self.count = 0

    def row(self, width: int) -> None:
        """Called before a row of `width` cells is kept."""
        self.count += 1
        if self.count > self.rows:
            raise ScastError.one(f"more than {self.rows:,} rows; {exceeds('rows')}", file=self.file, where=f"row {self.count}", code="too-many-rows")
        if width > self.columns:
            raise ScastError.one(
                f"{width:,} columns, more than {self.columns:,}; {exceeds('columns')}", file=self.file, where=f"row {self.count}", code="too-many-columns"
            )
        self.cells_left -= width
        if self.cells_left < 0:
            raise ScastError.one(f"more than {limit('cells'):,} cells; {exceeds('cells')}", file=self.file, where=f"row {self.count}", code="too-many-cells")

    def too_long(self, length: int, column: int) -> ScastError:
        where = f"row {self.count}, cell {_letter(column)}{self.count}"
        return ScastError.one(f"a cell of {length:,} characters; {exceeds('cell_chars')}", file=self.file, where=where, code="cell-too-long")


def _csv_grid(path: Path, encoding: str | None) -> Grid:
    file = str(path)
    text = decode(read_input(path, REGION_FILE, size="table_mb"), encoding, file)
    bounds = _Bounds(file)
    grid: Grid = []
    previous = csv.field_size_limit()
    csv.field_size_limit(bounds.chars)  # a longer cell stops the C parser: no Python work per cell
    reader = None
    try:
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        for row in reader:
            bounds.row(len(row))
            grid.append(row)
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 1
        if "field larger than field limit" in str(exc):
            raise ScastError.one(
                f"a cell longer than {bounds.chars:,} characters; {exceeds('cell_chars')}", file=file, where=f"line {line}", code="cell-too-long"
            ) from None
        raise ScastError.one(f"not readable as CSV: {exc}", file=file, where=f"line {line}", code="bad-csv") from None
    finally:
        csv.field_size_limit(previous)
    return grid


def _delimiter(text: str) -> str:
    """The separator (comma, semicolon or tab) that splits the first lines into the same number
    of columns, more than one, most often; else the one the first line holds most.

    Replaces csv.Sniffer, whose patterns take quadratic time on a line of quotes and separators.
    Each candidate costs one pass of the C parser over at most `_SNIFF_CHARS` characters.
    """
    lines = text[:_SNIFF_CHARS].splitlines()[:_SNIFF_LINES]
    best, best_key = None, None
    for delimiter in ",;\t":
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        common = max(sorted(set(wide)), key=wide.count)
        key = (wide.count(common), common)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    if best is not None:
        return best
    first = lines[0] if lines else ""
    return max(",;\t", key=first.count)


def _xlsx_grid(path: Path, sheet: str | None) -> Grid:
    """Cell values; a number in a percent-formatted cell as a `_Fraction`."""
    import zipfile

    import openpyxl
    from defusedxml import DefusedXmlException

    file = str(path)
    data = io.BytesIO(read_input(path, REGION_FILE, size="table_mb"))

    def unreadable(exc: BaseException) -> ScastError:
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps what its XML parser raised
        if cause is not None:
            return ScastError.one(
                "refused: the workbook's XML declares entities or a DTD (an entity-expansion or external-entity attack); save it again from Excel or WPS",
                file=file,
                code="xml-entities",
            )
        return ScastError.one(f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:200]})", file=file, code="bad-xlsx")

    try:
        with zipfile.ZipFile(data) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise unreadable(exc) from None
    if unpacked > limit("xlsx_xml_mb") * 1_000_000:
        raise ScastError.one(f"unpacks to {unpacked / 1e6:,.0f} MB of XML, too much to read; {exceeds('xlsx_xml_mb')}", file=file, code="too-large")
    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except ScastError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl makes of a broken file, the file is unreadable
        raise unreadable(exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ScastError.one(
                f"no sheet '{sheet}'{did_you_mean(sheet, book.sheetnames)}; sheets: {', '.join(book.sheetnames)}", file=file, code="unknown-sheet"
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        if not hasattr(ws, "iter_rows"):
            raise ScastError.one(f"sheet '{ws.title}' is a chart, not a table of cells", file=file, code="unknown-sheet")
        ws.reset_dimensions()  # never trust the <dimension> the file claims: read the cells that exist
        return _xlsx_rows(ws, file)
    except ScastError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise unreadable(exc) from None
    finally:
        book.close()


def _xlsx_rows(ws, file: str) -> Grid:
    bounds = _Bounds(file)
    grid: Grid = []
    for row in ws.iter_rows():  # read-only: each row up to its last cell; a missing row is empty
        bounds.row(len(row))
        values = []
        for c, cell in enumerate(row):
            value = cell.value
            if isinstance(value, str):
                if len(value) > bounds.chars:
                    raise bounds.too_long(len(value), c)
            elif isinstance(value, int | float) and not isinstance(value, bool) and cell.number_format and "%" in str(cell.number_format):
                value = _Fraction(value)
            values.append(value)
        grid.append(values)
    return grid


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _grid_entries(grid: Grid, config: Config, file: str, ignore_unknown: bool) -> tuple[list[_Entry], list[Problem]]:
    region_names = {normalise(n) for n in REGION_COLUMNS}
    others = {normalise(n): role for names, role in ((LEVEL_COLUMNS, "level"), (YEAR_COLUMNS, "year"), (NOTE_COLUMNS, "note")) for n in names}
    scan, cap = limit("header_rows"), limit("problems")
    header_at = next((r for r, row in enumerate(grid[:scan]) if any(not _blank(v) and normalise(str(v)) in region_names for v in row)), None)
    if header_at is None:
        raise ScastError.one(f"no header row with a region column ({', '.join(REGION_COLUMNS[:3])}) in the first {scan} rows", file=file, code="no-header")
    lookup = field_lookup(config)
    problems: list[Problem] = []
    header = grid[header_at]
    roles: dict[int, Any] = {}  # column -> "region" | "level" | "year" | "note" | (FieldSpec, unit)
    seen: dict[str, str] = {}
    for c, value in enumerate(header):
        if _blank(value):
            continue
        text = str(value).strip()
        key = normalise(text)
        cell = f"{_letter(c)}{header_at + 1}"
        if key in region_names:
            roles[c] = "region"
        elif key in others:
            roles[c] = others[key]
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
        elif not ignore_unknown and not too_many(problems, cap):
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
        if too_many(problems, cap):
            break
        values = grid[r]
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
            if c >= len(values) or c == region_col:
                continue
            value = values[c]
            if role == "level":
                entry.level = None if _blank(value) else str(value).strip()
            elif role == "year":
                entry.year = None if _blank(value) else value
            elif isinstance(role, tuple):
                spec, unit = role
                if _blank(value):
                    continue
                if isinstance(value, _Fraction):
                    unit = ""  # a percent-formatted cell already holds the fraction
                header_text = str(header[c]).strip()
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
