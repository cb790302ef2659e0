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

Two readers give the same result: `columns` (what scast uses) keeps each column whole, a pyarrow
array of text for a regular CSV or a Series of cell values otherwise, and `readers._build_columns`
parses it with vectorised operations; `entries` (the reference, in tests) makes one `_Entry` per
row and one `_Figure` per cell. A rule about which rows or cells count belongs in both, and
tests/test_fast_reading.py checks that they agree.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scast_cli.config import Config
from scast_cli.errors import Problem, ScastError, did_you_mean
from scast_cli.i18n import TOTAL_ROW_PATTERN, is_total_row
from scast_cli.limits import exceeds, limit, read_input, too_many
from scast_cli.readers import (
    _WS,
    LEVEL_COLUMNS,
    NOTE_COLUMNS,
    REGION_COLUMNS,
    REGION_FILE,
    YEAR_COLUMNS,
    Place,
    _Column,
    _Columns,
    _Entry,
    _Figure,
    _filled,
    _Fraction,
    _matches,
    _objects,
    _take,
    _texts,
    field_lookup,
    header_unit,
    normalise,
    suggest,
)

_SNIFF_CHARS = 65_536  # the separator is chosen from the first lines within this many characters
_SNIFF_LINES = 20


Grid = list[list[Any]]


def entries(
    path: Path, config: Config, *, sheet: str | None = None, encoding: str | None = None, ignore_unknown: bool = False
) -> tuple[list[_Entry], list[Problem]]:
    """The per-cell reference reader: one `_Entry` per row, one `_Figure` per cell. `columns` reads
    the same sheets column by column and must give the same result (tests/test_fast_reading.py)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(path, sheet)
    else:
        grid = _csv_grid(path, encoding)
    return _grid_entries(grid, config, str(path), ignore_unknown)


def columns(
    path: Path, config: Config, *, sheet: str | None = None, encoding: str | None = None, ignore_unknown: bool = False
) -> tuple[_Columns | None, list[Problem]]:
    """The sheet's rows that hold a region, column by column (None once reading has found as many
    problems as are listed): what `entries` reads, without an object per cell.

    A CSV is read by pyarrow where it is installed and the file is regular (every row after the
    header as wide as it, no NUL, no lone carriage return, no cell past a limit); anything else,
    and every refusal with its message, goes through Python's csv module as before.
    """
    file = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _grid_sheet(_xlsx_grid(path, sheet), config, file, ignore_unknown)
    else:
        data = read_input(path, REGION_FILE, size="table_mb")
        text, start = decoded(data, encoding, file)
        raw = _arrow_sheet(text, config, file, ignore_unknown, None if start is None else data[start:])
        if raw is None:
            raw = _grid_sheet(_text_grid(text, file), config, file, ignore_unknown)
    return _rows(raw, config, file)


@dataclass
class _Sheet:
    """A sheet's header and the cells below it, column by column."""

    header: _Header
    cells: list[Any]  # one column of cells per column (readers._is_arrow); None = no cell
    widths: Any  # ndarray of each row's number of cells, or None when every row is as wide as `cells`


def _arrow_sheet(text: str, config: Config, file: str, ignore_unknown: bool, utf8: bytes | None = None) -> _Sheet | None:
    """The sheet read by pyarrow's CSV reader, or None for Python's csv module to read instead:
    pyarrow missing, or a file whose rows pyarrow might split differently or that breaks a limit.
    `utf8`, the bytes `text` was decoded from when they are UTF-8, are handed to pyarrow as they
    are rather than encoded again."""
    try:
        import pyarrow as pa
        from pyarrow import compute
        from pyarrow import csv as arrow_csv
    except ImportError:
        return None

    raw = text if utf8 is None else utf8  # NUL, CR and LF are single bytes in UTF-8 and never inside a character: the same tests
    nul, cr, crlf, blank = ("\x00", "\r", "\r\n", ("\n\n", "\n\r\n")) if raw is text else (b"\x00", b"\r", b"\r\n", (b"\n\n", b"\n\r\n"))
    if nul in raw or raw.count(cr) != raw.count(crlf) or any(b in raw for b in blank):
        return None  # a NUL, a lone CR or a blank line (pyarrow would refuse a row of one cell; the csv module reads them)
    delimiter = _delimiter(text)
    consumed = 0

    def lines():
        """The text's lines, as io.StringIO gives them, without copying the whole text first."""
        nonlocal consumed
        while consumed < len(text):
            end = text.find("\n", consumed)
            end = len(text) if end < 0 else end + 1
            line, consumed = text[consumed:end], end
            yield line

    head: Grid = []
    ends: list[int] = []
    previous = csv.field_size_limit()
    csv.field_size_limit(limit("cell_chars"))
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            head.append(row)
            ends.append(consumed)
            if len(head) >= limit("header_rows"):
                break
        header = _header(head, config, file, ignore_unknown)
    except (csv.Error, ScastError):
        return None  # the csv module reads it again and says what is wrong
    finally:
        csv.field_size_limit(previous)
    width = len(header.cells)
    above = head[: header.at + 1]
    if width > limit("columns") or any(len(row) > limit("columns") for row in above):
        return None
    names = [f"c{c}" for c in range(width)]
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(text[ends[header.at] :].encode("utf-8") if utf8 is None else utf8[len(text[: ends[header.at]].encode("utf-8")) :]),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    rows = len(above) + table.num_rows
    cells = sum(len(row) for row in above) + table.num_rows * width
    if rows > limit("rows") or cells > limit("cells"):
        return None
    chars = limit("cell_chars")
    if any(table.num_rows and (compute.max(compute.utf8_length(table.column(c))).as_py() or 0) > chars for c in names):
        return None
    return _Sheet(header, [table.column(c) for c in names], None)


def _grid_sheet(grid: Grid, config: Config, file: str, ignore_unknown: bool) -> _Sheet:
    """A sheet read into rows (XLSX, or CSV through the csv module) as columns of Python objects."""
    import numpy as np
    import pandas as pd

    header = _header(grid, config, file, ignore_unknown)
    rows = grid[header.at + 1 :]
    widths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    width = max(len(header.cells), int(widths.max()) if len(rows) else 0)
    cells = [pd.Series([row[c] if c < len(row) else None for row in rows], dtype=object) for c in range(width)]
    return _Sheet(header, cells, widths)


def _rows(sheet: _Sheet, config: Config, file: str) -> tuple[_Columns | None, list[Problem]]:
    """The rows of a sheet that hold a region, as `_grid_entries` picks them: blank rows, comment
    rows ('#' first) and rows without a region name (a problem) left out, in column form."""
    import numpy as np
    import pandas as pd

    header, cells = sheet.header, sheet.cells
    problems = list(header.problems)
    cap = limit("problems")
    if too_many(problems, cap):
        return None, problems
    n = len(cells[0]) if cells else 0
    filled: dict[int, Any] = {}

    def is_filled(c: int) -> Any:
        if c not in filled:
            filled[c] = _filled(cells[c]) if c < len(cells) else np.zeros(n, dtype=bool)
        return filled[c]

    # Each row's first cell that holds something, looked for only in the rows not yet settled
    # (usually all are settled by the region column).
    first = np.full(n, -1)
    open_rows = np.arange(n)
    for c in range(len(cells)):
        if not len(open_rows):
            break
        found = is_filled(c)[open_rows] if c in filled or c == header.region or len(open_rows) == n else _filled(_take(cells[c], open_rows))
        first[open_rows[found]] = c
        open_rows = open_rows[~found]
    comment = np.zeros(n, dtype=bool)
    for c in np.unique(first[first >= 0]):
        at = first == c
        comment[at] = _matches(_take(cells[c], np.flatnonzero(at)), f"[{_WS}]*#", whole=False)
    kept = (first >= 0) & ~comment
    region = header.region
    named = is_filled(region)
    total = np.zeros(n, dtype=bool)
    if n and region < len(cells):  # 合计/总计/全市 rows: only names starting as a total word does are tested whole
        at = np.flatnonzero(kept & named & _matches(cells[region], f"[{_WS}]*[合总小共全tsgTSGſ]", whole=False))  # ſ: re.IGNORECASE reads it as s
        if len(at):
            text = pd.Series(_texts(_take(cells[region], at)), dtype=object).str.replace(r"\s+", "", regex=True)
            total[at] = text.str.fullmatch(TOTAL_ROW_PATTERN, na=False).to_numpy(dtype=bool)
    if total.any():
        names = np.full(n, None, dtype=object)
        names[total] = _texts(_take(cells[region], np.flatnonzero(total)))
    for r in np.flatnonzero((kept & ~named) | total)[: cap - len(problems)]:
        line = header.at + r + 2
        problems.append(_total_row(line, names[r], file) if total[r] else _missing_name(line, region, file))
    if too_many(problems, cap):
        return None, problems  # _grid_entries stops here, and nothing is built
    rows = np.flatnonzero(kept & named & ~total)
    every = len(rows) == n  # usually: then each column is used as it is, not copied

    def column(c: int) -> Any:
        if c >= len(cells):
            return pd.Series([None] * len(rows), dtype=object)
        return cells[c] if every else _take(cells[c], rows)

    def value(c: int, role: str) -> Any:
        """Each cell's value, None where blank: stripped text for a name or level (str() of an
        XLSX number, as _grid_entries), the cell as read for a year."""
        out = np.array(_texts(column(c)) if role != "year" else _objects(column(c)), dtype=object)
        out[~is_filled(c)[rows]] = None
        return out

    level = year = level_at = year_at = None
    for c, role in header.roles.items():  # a later column wins, where the row reaches it
        if role in ("level", "year"):
            reached = np.ones(len(rows), dtype=bool) if sheet.widths is None else sheet.widths[rows] > c
            before, before_at = (level, level_at) if role == "level" else (year, year_at)
            now = np.where(reached, value(c, role), None if before is None else before)
            now_at = np.where(reached, c, -1 if before_at is None else before_at)
            level, year = (now, year) if role == "level" else (level, now)
            level_at, year_at = (now_at, year_at) if role == "level" else (level_at, now_at)
    figures = [
        _Column(role[0], role[1], str(header.cells[c]).strip(), _letter(c), column(c))
        for c, role in header.roles.items()
        if isinstance(role, tuple) and c != header.region
    ]
    shown = {c: (str(header.cells[c]).strip(), _letter(c)) for c, role in header.roles.items() if role in ("level", "year")}
    return _Columns(value(region, "region"), header.at + 2 + rows, level, year, figures, level_at, year_at, shown), problems


def _missing_name(line: int, column: int, file: str) -> Problem:
    return Problem("missing-region", f"row {line} has figures but no region name in column {_letter(column)}", file, where=f"row {line}")


def _total_row(line: int, name: str, file: str) -> Problem:
    """A 合计/总计 row, left out: a warning that names it."""
    return Problem("total-row", "a total row (合计, 总计, 全市 …), not a region; left out", file, where=f"row {line} ({name})", severity="warning")


def decode(data: bytes, encoding: str | None, file: str) -> str:
    """Bytes -> text: the given encoding, else UTF-8 (with or without BOM), else GB18030."""
    return decoded(data, encoding, file)[0]


def decoded(data: bytes, encoding: str | None, file: str) -> tuple[str, int | None]:
    """`decode`, and where in `data` the text starts when it is their UTF-8 (3 after a BOM), else None."""
    if encoding:
        try:
            text = data.decode(encoding)
            return text, 0 if codecs.lookup(encoding).name == "utf-8" else None
        except LookupError:
            raise ScastError.one(f"unknown encoding '{encoding[:40]}'; try utf-8 or gb18030", file=file, code="encoding") from None
        except UnicodeDecodeError as exc:
            raise ScastError.one(f"not valid {encoding} at byte {exc.start}; try --encoding utf-8 or --encoding gb18030", file=file, code="encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), 3
        except UnicodeDecodeError as exc:
            raise ScastError.one(
                f"starts as UTF-8 but is not valid UTF-8 at byte {exc.start + 3}; specify the encoding with --encoding", file=file, code="encoding"
            ) from None
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), None  # what Chinese Excel and WPS write for "CSV"
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
    return _text_grid(text, file)


def _text_grid(text: str, file: str) -> Grid:
    """Every row of a CSV text with Python's csv module, refused at the first row past a limit."""
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
        message = f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:200]})"
        return ScastError.one(message, file=file, code="bad-xlsx", params={"kind": type(exc).__name__})

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
                f"no sheet '{sheet}'{did_you_mean(sheet, book.sheetnames)}; sheets: {', '.join(book.sheetnames)}",
                file=file,
                code="unknown-sheet",
                params={"form": "missing", "sheet": sheet, "sheets": "、".join(book.sheetnames)},
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        if not hasattr(ws, "iter_rows"):
            raise ScastError.one(
                f"sheet '{ws.title}' is a chart, not a table of cells", file=file, code="unknown-sheet", params={"form": "chart", "sheet": ws.title}
            )
        ws.reset_dimensions()  # never trust the <dimension> the file claims: read the cells that exist
        grid = _xlsx_rows(ws, file)
        _refuse_uncached(data, ws, grid, file)
        return grid
    except ScastError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise unreadable(exc) from None
    finally:
        book.close()


# A cell holding a formula and no saved result: <c …><f>…</f></c>, <f …/>, or an empty <v/> after it.
_NS = rb"(?:[A-Za-z_][\w.-]*:)?"
_UNCACHED = re.compile(
    rb"<"
    + _NS
    + rb"c\b[^>]*>\s*<"
    + _NS
    + rb"f\b(?:[^>]*/>|[^>]*>[^<]*</"
    + _NS
    + rb"f>)\s*(?:<"
    + _NS
    + rb"v\s*/>|<"
    + _NS
    + rb"v>\s*</"
    + _NS
    + rb"v>)?\s*</"
    + _NS
    + rb"c>"
)
_CHUNK, _OVERLAP = 1 << 20, 1 << 16  # an Excel formula is at most 8,192 characters: a cell fits in the overlap
_SHOWN_CELLS = 10


def _has_uncached(archive, path: str) -> bool:
    """Whether the sheet's XML has a formula cell with no saved result; read in chunks, not whole."""
    with archive.open(path) as xml:
        tail = b""
        while chunk := xml.read(_CHUNK):
            if _UNCACHED.search(tail + chunk):
                return True
            tail = (tail + chunk)[-_OVERLAP:]
    return False


def _refuse_uncached(data: io.BytesIO, ws, grid: Grid, file: str) -> None:
    """Refuse a sheet whose formula cells have no saved result (a file written by a program that
    did not calculate them): read with data_only, they would pass for blank cells. Costs one pass
    over the sheet's XML, in chunks; only a sheet with such a cell is read again, for its formulas,
    to name them."""
    import zipfile

    import openpyxl

    path = getattr(ws, "_worksheet_path", None)
    with zipfile.ZipFile(data) as archive:
        try:
            found = _has_uncached(archive, path) if path else True
        except KeyError:
            found = True
    if not found:
        return
    book = openpyxl.load_workbook(data, read_only=True, data_only=False)
    try:
        formulas = book[ws.title]
        formulas.reset_dimensions()
        bounds = _Bounds(file)
        cells = []
        for r, row in enumerate(formulas.iter_rows()):
            bounds.row(len(row))
            got = grid[r] if r < len(grid) else []
            cells += [f"{_letter(c)}{r + 1}" for c, cell in enumerate(row) if cell.data_type == "f" and (c >= len(got) or got[c] is None)]
    finally:
        book.close()
    if cells:
        shown = ", ".join(cells[:_SHOWN_CELLS]) + (f" and {len(cells) - _SHOWN_CELLS:,} more" if len(cells) > _SHOWN_CELLS else "")
        raise ScastError.one(
            f"{len(cells):,} formula cell(s) have no saved result ({shown}): the file was saved by a program that did not calculate them; "
            "open it in Excel or WPS and save it again",
            file=file,
            where=f"sheet {ws.title}",
            code="uncached-formula",
        )


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


@dataclass
class _Header:
    """The header row of a sheet and what each of its columns holds."""

    at: int  # 0-based row index
    cells: list[Any]
    roles: dict[int, Any]  # column -> "region" | "level" | "year" | "note" | (FieldSpec, unit)
    region: int  # the region-name column
    problems: list[Problem]


def _header(head: Grid, config: Config, file: str, ignore_unknown: bool) -> _Header:
    """Find the header in the first rows `head` and give each column its role."""
    region_names = {normalise(n) for n in REGION_COLUMNS}
    others = {normalise(n): role for names, role in ((LEVEL_COLUMNS, "level"), (YEAR_COLUMNS, "year"), (NOTE_COLUMNS, "note")) for n in names}
    scan, cap = limit("header_rows"), limit("problems")
    header_at = next((r for r, row in enumerate(head[:scan]) if any(not _blank(v) and normalise(str(v)) in region_names for v in row)), None)
    if header_at is None:
        message = f"no header row with a region column ({', '.join(REGION_COLUMNS[:3])}) in the first {scan} rows"
        raise ScastError.one(message, file=file, code="no-header", params={"rows": scan, "names": "、".join(f"“{n}”" for n in REGION_COLUMNS[:3])})
    lookup = field_lookup(config)
    problems: list[Problem] = []
    header = head[header_at]
    roles: dict[int, Any] = {}
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
                        params={"column": text, "cell": cell, "field": spec.id, "first": seen[spec.id]},
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
    return _Header(header_at, header, roles, region_col, problems)


def _grid_entries(grid: Grid, config: Config, file: str, ignore_unknown: bool) -> tuple[list[_Entry], list[Problem]]:
    cap = limit("problems")
    found = _header(grid, config, file, ignore_unknown)
    header_at, header, roles, region_col, problems = found.at, found.cells, found.roles, found.region, found.problems
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
            problems.append(_missing_name(line, region_col, file))
            continue
        name = str(name).strip()
        if is_total_row(name):
            problems.append(_total_row(line, name, file))
            continue
        entry = _Entry(name, None, None, [])
        for c, role in roles.items():
            if c >= len(values) or c == region_col:
                continue
            value = values[c]
            where = f"row {line} ({name}), column {str(header[c]).strip()} ({_letter(c)}{line})"
            if role == "level":
                entry.level = None if _blank(value) else str(value).strip()
                entry.level_where = where
            elif role == "year":
                entry.year = None if _blank(value) else value
                entry.year_where = where
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
