"""JSON, CSV and XLSX: written with plain writes, never through rich (no wrapping, no markup).

CSV and XLSX tables are built as a `Sheet` (columns with a header and a number kind, rows of raw
values) and written by `csv_text` and `xlsx_bytes`: one home for BOMs, headers, number formats,
column widths, the frozen header and the autofilter of every spreadsheet scast writes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from scast_cli.i18n import header, value_word
from scast_cli.safe import append_xlsx_row, spreadsheet_column, spreadsheet_row

CSV_COLUMNS = [
    "region",
    "year",
    "indicator",
    "label",
    "dimension",
    "framework",
    "standard",
    "value",
    "qualifier",
    "unit",
    "target",
    "score",
    "band",
    "gap_field",
    "gap_amount",
    "missing",
    "weight",
    "effective_weight",
    "region_score",
    "region_score_low",
    "region_score_high",
    "region_grade",
    "region_grade_status",
    "region_completeness",
]


# Characters json.dumps leaves raw with ensure_ascii=False that a terminal may obey or that
# reorder the text shown (DEL, C1 controls such as the 8-bit CSI, bidi overrides, line separators).
_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(payload) -> str:
    """Every JSON scast prints: strict JSON (a non-finite number becomes null, never NaN or
    Infinity, which are not JSON) with every control or bidi character \\u-escaped, so the data
    stay exact and nothing in them acts on the terminal that shows them.

    Rows kept as columns (analysis.Rows, a value of the top-level dict) are written column by
    column (_json_rows), the same text json.dumps writes for them as dicts."""
    blocks = {}
    if isinstance(payload, dict):
        for key, value in payload.items():
            if hasattr(value, "layout") and (block := _json_rows(value)) is not None:
                blocks[key] = block
    if blocks:
        marks = {key: f"@@rows-{uuid.uuid4().hex}@@" for key in blocks}
        text = json.dumps(finite({k: marks.get(k, v) for k, v in payload.items()}), ensure_ascii=False, indent=2, allow_nan=False)
        for key, mark in marks.items():
            text = text.replace(f'"{mark}"', blocks[key], 1)
    else:
        text = json.dumps(finite(payload), ensure_ascii=False, indent=2, allow_nan=False)
    return _RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def _json_rows(rows) -> str | None:
    """A list of rows as `json.dumps(..., indent=2)` writes it as the value of a top-level key,
    made column by column: each column's values become JSON tokens in C (the json module's own
    encoder for a list of numbers, its string escaper mapped over text), and each row is one
    format of a template, so no Python code runs per region. None when a column is neither
    numbers nor text (the caller then writes the rows as dicts)."""
    keys, groups = rows.layout()
    if not len(rows):
        return "[]"
    columns, lines = [], []
    for key in keys:
        lines.append(f"      {_brace(encode_basestring(key))}: {{{len(columns)}}}")
        columns.append(key)
    if groups is not None:
        inner = []
        for kind, ids in groups.items():
            members = []
            for gid in ids:
                members.append(f"          {_brace(encode_basestring(gid))}: {{{len(columns)}}}")
                columns.append(f"{kind}:{gid}")
            inner.append(f"        {_brace(encode_basestring(kind))}: " + ("{{\n" + ",\n".join(members) + "\n        }}" if members else "{{}}"))
        lines.append('      "groups": ' + ("{{\n" + ",\n".join(inner) + "\n      }}" if inner else "{{}}"))
    tokens = [_json_tokens(rows.column(key)) for key in columns]
    if any(t is None for t in tokens):
        return None
    template = "{{\n" + ",\n".join(lines) + "\n    }}"
    return "[\n    " + ",\n    ".join(map(template.format, *tokens)) + "\n  ]"


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _json_tokens(values: list) -> list[str] | None:
    """What json.dumps writes for each value of a column (None when not one kind it can do in bulk)."""
    kinds = set(map(type, values))
    if kinds <= {type(None), str}:
        import numpy as np

        cells = np.array(values, dtype=object)
        text = cells != None  # noqa: E711 - elementwise on an object array
        out = np.full(len(values), "null", dtype=object)
        out[text] = list(map(encode_basestring, cells[text]))
        return out.tolist()
    if kinds <= {type(None), int, float}:
        try:  # the C encoder writes a flat list of numbers as '[1, 2.5, null]'; no number holds ', '
            text = json.dumps(values, allow_nan=False)
        except ValueError:  # NaN or infinite: the caller's finite() makes those null
            return None
        return text[1:-1].split(", ")
    return None


def finite(value):
    """`value` with every NaN or infinite float, at any depth, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple) or (isinstance(value, Sequence) and not isinstance(value, str | bytes)):
        return [finite(v) for v in value]
    return value


def to_csv(payloads: list[dict], config, lang: str = "en") -> str:
    """One row per region x indicator, each row carrying its region's overall score, range and grade
    status; the group scores are in JSON, markdown and XLSX. English keeps the column keys as
    headers and codes as values (for scripts); Chinese has Chinese headers and words (the fields
    named by `config`, the indicators file the payloads were scored with)."""
    rows = []
    for payload in payloads:
        overall = payload["overall"]
        for item in payload["indicators"]:
            gap = item["gap"] or {}
            rows.append(
                dict(
                    {
                        "region": payload["region"]["name"],
                        "year": payload["region"]["year"],
                        "indicator": item["id"],
                        "label": item["label"],
                        "dimension": item["dimension"],
                        "framework": "|".join(item["tags"]["framework"]),
                        "standard": "|".join(item["tags"]["standard"]),
                        "value": item["value"],
                        "qualifier": item["qualifier"],
                        "unit": item["unit"],
                        "target": item["target"],
                        "score": item["score"],
                        "band": item["band"],
                        "gap_field": gap.get("field"),
                        "gap_amount": gap.get("amount"),
                        "missing": "|".join(item["missing"]),
                        "weight": item["weight"],
                        "effective_weight": item["effective_weight"],
                        "region_score": overall["score"],
                        "region_score_low": overall["range"][0],
                        "region_score_high": overall["range"][1],
                        "region_grade": overall["grade"],
                        "region_grade_status": overall["grade_status"],
                        "region_completeness": overall["completeness"],
                    }
                )
            )
    if lang != "en":
        words_for_people(rows, payloads, config, lang)
    return csv_text(Sheet("", [Column(k) for k in CSV_COLUMNS], rows), lang)


def words_for_people(rows: list[dict], payloads: list[dict], config, lang: str) -> None:
    """The coded values of to_csv's rows as words (a Chinese CSV is for people; the indicator id
    column keeps its ids): bands, qualifiers, statuses, the groups' and the units' words, the
    gap's and the missing figures' field labels."""
    from scast_cli.i18n import file_unit, t

    groups = {(g["kind"], g["id"]): g["label"] for p in payloads for g in p["groups"]}
    fields = field_labels(config, lang)
    sep = t(lang, "list_sep")
    for row in rows:
        row |= {k: value_word(lang, row[k]) for k in ("band", "qualifier", "region_grade_status")}
        row["dimension"] = groups.get(("dimension", row["dimension"]), row["dimension"])
        for kind in ("framework", "standard"):
            row[kind] = sep.join(groups.get((kind, g), g) for g in row[kind].split("|")) if row[kind] else row[kind]
        row["unit"] = file_unit(lang, row["unit"])
        row["gap_field"] = fields.get(row["gap_field"], row["gap_field"])
        row["missing"] = sep.join(fields.get(f, f) for f in row["missing"].split("|")) if row["missing"] else row["missing"]


def field_labels(config, lang: str) -> dict:
    """{field id: label in `lang`} of the indicators file the payloads were scored with."""
    return {f.id: f.label(lang) for f in config.fields}


# ---------------------------------------------------------------- sheets: CSV and XLSX for people

# Number formats by kind of value: a score to one decimal, a share as a percent, a count whole
# with thousands separators; "unit:<code>" picks one by an indicator's unit, row by row.
NUMBER_FORMATS = {"score": "0.0", "share": "0.0%", "count": "#,##0", "int": "0", "year": "0", "number": "#,##0.00", "weight": "0.00"}
MAX_WIDTH = 48  # characters: a longer cell wraps rather than widening its column further
HEADER_WIDTH = 20  # a longer header wraps onto more lines rather than widening a column of numbers
PRINT_WIDTH = 180  # characters: a sheet this wide prints one A4 landscape page wide, still readable


@dataclass
class Column:
    key: str
    title: str | None = None  # the header; None: i18n.header(lang, key)
    kind: str = "text"  # text | score | share | count | int | year | number | weight | unit (see NUMBER_FORMATS)


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[dict]
    freeze: str = "A2"  # the header row stays; "C2" also keeps the first two columns in view
    units: list[str] = field(default_factory=list)  # kind "unit": each row's unit code, in row order
    source: Any = None  # instead of rows: an object whose column(key) gives a column's cells (csv_text only)


CSV_BLOCK = 50_000  # rows of a CSV made and written at a time: the whole text is never held in memory


def csv_text(sheet: Sheet, lang: str = "en") -> str:
    """The sheet as CSV; every cell neutralised (safe.spreadsheet_cell). English headers are the
    column keys, others the words of i18n.HEADERS (or the column's own title)."""
    return "".join(csv_blocks(sheet, lang))


def csv_blocks(sheet: Sheet, lang: str = "en", rows: int | None = None) -> Iterator[str]:
    """csv_text in pieces: the header line, then the text of each block of `rows` rows (CSV_BLOCK by
    default), so that a table of a million regions is written without its whole text in memory. A
    columnar sheet (`source`) gives each column once, as a list or a numpy array (NaN, or None in an
    object array, is an empty cell, the pandas way), and each block is made column by column by pyarrow (_arrow_lines) or else
    csv.writer, the same text either way."""
    rows = max(1, rows or CSV_BLOCK)
    yield _csv_lines([spreadsheet_row([c.key if lang == "en" else (c.title or header(lang, c.key)) for c in sheet.columns])])
    if sheet.source is None:
        for start in range(0, len(sheet.rows), rows):
            yield _csv_lines(spreadsheet_row([row.get(c.key) for c in sheet.columns]) for row in sheet.rows[start : start + rows])
        return
    whole = [sheet.source.column(c.key) for c in sheet.columns]
    for start in range(0, len(whole[0]) if whole else 0, rows):
        block = [column[start : start + rows] for column in whole]  # numpy: views, no copy
        text = _arrow_lines(block) if len(block) > 1 and _arrow_writes_as_csv() else None
        yield _writer_lines(block) if text is None else text


def _csv_lines(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _writer_lines(columns: list) -> str:
    """The rows of `columns` (lists or numpy arrays) by csv.writer, every cell neutralised."""
    return _csv_lines(zip(*(spreadsheet_column(_python_cells(column)) for column in columns), strict=True))


def _python_cells(column) -> list:
    """A column's cells as Python values, as csv.writer takes them: a numpy array's NaN (or other
    pandas missing value) None."""
    if not hasattr(column, "dtype"):
        return column
    if column.dtype.kind not in "fO":
        return column.tolist()
    import pandas as pd

    out = column.astype(object)
    out[pd.isna(column)] = None
    return out.tolist()


# ---------------------------------------------------------------- CSV lines made by pyarrow, column by column
# csv.writer spends most of a large ranking's writing on repr() of each score. _arrow_lines makes
# the same text in pyarrow's C kernels and numpy: text cells neutralised and quoted as csv.writer
# quotes them (QUOTE_MINIMAL) once per distinct value, whole numbers as str() does, and a float
# that is a multiple of 1e-6 between 1e-4 and 1e9 (a score, a share, a bound: what analysis.rank
# keeps) as repr() writes it, its digits from the integer x * 1e6 (_decimals); any other float goes
# through repr(). None is an empty cell. A column of any other kind, or anything pyarrow refuses,
# leaves the block to csv.writer; and _arrow_writes_as_csv checks once per run, on cells chosen
# to be awkward, that both give the same text, else csv.writer writes every block.

_NONE = type(None)
_RE2 = {",": ",", '"': '"', "\r": "\\r", "\n": "\\n"}  # what may need quoting, in RE2; _arrow_quotes says which csv.writer quotes


def _arrow_lines(columns: list) -> str | None:
    """The rows of `columns` (lists or numpy arrays of raw cells) as _writer_lines writes them, or None."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        texts = [_arrow_cells(column, pa, pc) for column in columns]
        if any(t is None for t in texts):
            return None
        lines = pc.binary_join_element_wise(*texts, ",", null_handling="replace", null_replacement="")
        lines = pc.binary_join_element_wise(lines, "\n", "")
        if not len(lines):
            return ""
        import numpy as np

        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
        return lines.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes().decode("utf-8")
    except Exception:  # noqa: BLE001 - pyarrow missing or refusing a cell: csv.writer writes the block
        return None


def _arrow_cells(column, pa, pc):
    """One column's cells as pyarrow text (None: a null), or None when it is not one kind done in bulk.
    A numpy array of numbers needs no look at its cells; a list or object array is looked at once."""
    import numpy as np

    kind = getattr(column, "dtype", np.dtype(object)).kind
    if kind in "iu":
        return pc.cast(pa.array(column, type=pa.int64()), pa.string())
    if kind == "f":
        x = np.asarray(column, dtype="float64")
        return _decimals(x, np.isnan(x), pa, pc)
    if kind != "O":
        return None
    kinds = set(map(type, column))
    if float in kinds and hasattr(column, "dtype"):  # a numpy object array's NaN is no value, as None (pandas's way)
        import pandas as pd

        column = np.where(pd.isna(column), None, column)
        kinds = set(map(type, column))
    if kinds <= {_NONE, str}:
        return _texts(column, pa, pc)
    if kinds <= {_NONE, int}:
        return pc.cast(pa.array(column, type=pa.int64()), pa.string())
    if not kinds <= {_NONE, float}:
        return None
    cells = np.asarray(column, dtype=object)
    empty = cells == None  # noqa: E711 - elementwise; a NaN cell here is a value, which csv.writer writes as nan
    x = np.where(empty, 0.0, cells).astype("float64")
    return _decimals(x, empty, pa, pc)


_FEW = 64  # distinct texts among a column's first _LOOK cells at most to make it once per distinct text
_LOOK = 256


def _texts(column, pa, pc):
    """Text cells (None: a null) neutralised (safe.spreadsheet_column) and quoted as csv.writer
    quotes them. A column of a handful of texts (section, grade: its first cells tell) is made
    once per distinct text and taken by code; others (names) cell by cell, in pyarrow's C."""
    import numpy as np
    import pandas as pd

    codes = None
    if len(set(column[:_LOOK])) <= _FEW:
        codes, column = pd.factorize(np.asarray(column, dtype=object))  # None: code -1
    text = spreadsheet_column(pa.array(column, type=pa.string()))
    chars = _arrow_quotes()
    need = pc.match_substring_regex(text, "[" + "".join(_RE2[c] for c in chars) + "]") if chars else None
    if need is not None and pc.any(need).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        text = pc.if_else(need, quoted, text)
    return text if codes is None else text.take(pa.array(codes, mask=codes < 0))


_WIDTH = 17  # characters of the padded text of a float _decimals cuts each cell from


@cache
def _cuts():
    """Masks of the _WIDTH places, [start, stop] for each cut start..stop: a cell's slice by a lookup."""
    import numpy as np

    places = np.arange(_WIDTH)
    return (places >= np.arange(_WIDTH + 1)[:, None, None]) & (places < np.arange(_WIDTH + 1)[None, :, None])


@cache
def _zeros():
    """The trailing zeros of each of 0..999999 written with 6 digits, at most 5 (one decimal stays): a lookup."""
    import numpy as np

    zeros = np.zeros(1_000_000, dtype="int8")
    for p in range(1, 6):
        zeros[:: 10**p] += 1
    return zeros


def _decimals(x, empty, pa, pc):
    """Floats as repr() writes them (cells in `empty`: null), in bulk for those that are multiples of
    1e-6 between 1e-4 and 1e9: such a float has at most 15 significant digits, so repr's shortest
    round-trip text is the integer x * 1e6 with a dot put in and trailing zeros cut.

    pyarrow writes each as 17 digits, 1, the whole part padded to 9, a 0 where the dot goes and
    the 6 decimals; numpy puts in the dot and a minus sign, and keeps each cell's slice of them."""
    import numpy as np

    n = len(x)
    with np.errstate(invalid="ignore", over="ignore"):
        k = np.rint(x * 1e6)
        size = np.abs(x)
        exact = (k / 1e6 == x) & (size < 1e9) & ((size >= 1e-4) | ((x == 0) & ~np.signbit(x))) & ~empty
    units, millionths = np.divmod(np.where(exact, np.abs(k), 0).astype("int64"), 1_000_000)
    padded = pc.cast(pa.array(10**16 + units * 10**7 + millionths), pa.string())
    chars = np.frombuffer(padded.buffers()[2], dtype="uint8", count=_WIDTH * n).reshape(n, _WIDTH).copy()
    chars[:, 10] = ord(".")
    start = 9 - np.searchsorted(10 ** np.arange(1, 9), units, side="right")  # the first digit of the whole part
    stop = _WIDTH - _zeros()[millionths]
    minus = exact & (x < 0)
    start[minus] -= 1
    chars[minus, start[minus]] = ord("-")
    start, stop = np.where(exact, start, 0), np.where(exact, stop, 0)
    offsets = np.zeros(n + 1, dtype="int64")
    np.cumsum(stop - start, out=offsets[1:])
    if offsets[-1] >= 2**31:
        return None
    valid = np.packbits(~empty, bitorder="little")
    text = pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype("int32")), pa.py_buffer(chars[_cuts()[start, stop]]), pa.py_buffer(valid))
    other = ~exact & ~empty
    if other.any():  # NaN, infinite, -0.0, tiny, huge or finer than 1e-6: repr, as csv.writer writes it
        shown = np.full(n, None, dtype=object)
        shown[other] = list(map(repr, x[other].tolist()))
        text = pc.if_else(pa.array(other), pa.array(shown, type=pa.string()), text)
    return text


@cache
def _arrow_quotes() -> str:
    """The characters for which csv.writer quotes a cell on this Python (QUOTE_MINIMAL, '\\n' lines)."""
    out = []
    for char in ',"\r\n':
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([f"a{char}b", "x"])
        if buffer.getvalue().startswith('"'):
            out.append(char)
    return "".join(out)


@cache
def _arrow_writes_as_csv() -> bool:
    """Whether _arrow_lines gives _writer_lines's text on awkward cells, as lists and as numpy
    arrays (checked once per run)."""
    import numpy as np

    texts = ["", "a", "a,b", 'q"q', "x\ny", "x\ry", " lead", "tab\tx", "中文，字", "'=1+1", '"', ",", "\u2028", "=1+1", "-3.5", "\x1b[31mred", "@x"]
    floats = [0.0, -0.0, 0.5, -0.5, 1e-4, 9.9e-05, 1e-05, 100.0, 25.227273, -3.5, 0.1 + 0.2, 1 / 3, 1e9, 123456789.123456, 1e16, 2.5e-07]
    floats += [float("nan"), float("inf"), -float("inf"), None, 99.999999, 0.000123, 12.0, 1.000001, -999999999.999999, 999999999.999999, -0.000100]
    size = max(len(texts), len(floats))
    numbers = np.array([np.nan if f is None else f for f in (floats * 2)[:size]])
    columns = [
        (texts * 2)[:size],
        (floats * 2)[:size],
        [None if i % 3 == 0 else i * 7919 - 50_000 for i in range(size)],
        [None] * size,
        [None if i % 2 else t for i, t in enumerate((texts * 2)[:size])],
        numbers,
        np.arange(size, dtype="int64") * -7919,
        np.array([None if i % 2 else t for i, t in enumerate((texts * 2)[:size])], dtype=object),
        np.full(size, np.nan),
        np.array([np.nan if i % 3 else t for i, t in enumerate((texts * 2)[:size])], dtype=object),
    ]
    return _arrow_lines(columns) == _writer_lines(columns)


def with_bom(text: str) -> str:
    """CSV text led by a UTF-8 byte order mark, which is how Excel and WPS know it is UTF-8 (without
    one, Chinese Excel reads it as GBK); once only."""
    return text if text.startswith("\ufeff") else "\ufeff" + text


def blocks_with_bom(blocks: Iterable[str], bom: bool = True) -> Iterator[str]:
    """with_bom for CSV written in blocks (csv_blocks): the first block led by the mark once, or,
    with `bom` False, without one."""
    blocks = iter(blocks)
    first = next(blocks, "")
    yield with_bom(first) if bom else first.removeprefix("\ufeff")
    yield from blocks


def display_width(text: str) -> int:
    """Columns `text` takes on screen or in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _number_kind(column: Column, unit: str | None) -> str:
    if column.kind != "unit":
        return column.kind
    return "share" if unit == "share" else "count" if unit in ("count", "persons") else "number"


def _shown(value, kind: str) -> str:
    """Roughly what a spreadsheet shows for `value` under `kind`'s number format, for the width."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if not math.isfinite(value):
        return ""
    return {
        "score": f"{value:.1f}",
        "share": f"{value * 100:.1f}%",
        "count": f"{value:,.0f}",
        "int": f"{value:.0f}",
        "year": f"{value:.0f}",
        "weight": f"{value:.2f}",
    }.get(kind, f"{value:,.2f}")


def xlsx_bytes(sheets: list[Sheet], lang: str) -> bytes:
    """A workbook for people: headers in `lang`, bold and wrapped; numbers kept exact and shown
    rounded by number formats; columns as wide as their content (CJK counted double, at most
    MAX_WIDTH; a long header wraps); the header row frozen and printed on every page of an A4
    landscape print one page wide; an autofilter on every sheet. Every string is written as a
    string, never a formula (safe.append_xlsx_row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, fill, wrap = Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(wrap_text=True, vertical="center")
    head = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for spec in sheets:
        sheet = book.create_sheet(_sheet_name(spec.name))
        titles = [c.title or header(lang, c.key) for c in spec.columns]
        for cell in append_xlsx_row(sheet, titles):
            cell.font, cell.fill, cell.alignment = bold, fill, head
        widths = [min(HEADER_WIDTH, display_width(title)) for title in titles]
        for r, row in enumerate(spec.rows):
            values = [finite(row.get(c.key)) for c in spec.columns]
            cells = append_xlsx_row(sheet, values)
            unit = spec.units[r] if r < len(spec.units) else None
            for cell, column, value in zip(cells, spec.columns, values, strict=True):
                kind = _number_kind(column, unit)
                if kind in NUMBER_FORMATS and isinstance(value, int | float) and not isinstance(value, bool):
                    whole = kind == "number" and float(value).is_integer()  # 5 posts, not 5.00
                    cell.number_format = NUMBER_FORMATS["count" if whole else kind]
                elif isinstance(value, str) and ("\n" in value or display_width(value) > MAX_WIDTH):
                    cell.alignment = wrap
                widths[cell.column - 1] = max(widths[cell.column - 1], min(MAX_WIDTH, display_width(_shown(value, kind))))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = max(6, width + 2)
        row_heights(sheet)
        sheet.freeze_panes = spec.freeze
        # printed on A4 landscape with the header row on every page: one page wide when that keeps
        # the type readable, else across pages with the frozen columns (the region) on each
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
        sheet.print_title_rows = "1:1"
        if sum(widths) + 2 * len(widths) <= PRINT_WIDTH:
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        elif spec.freeze[0] != "A":
            sheet.print_title_cols = f"A:{chr(ord(spec.freeze[0]) - 1)}"
        if spec.columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{max(1, sheet.max_row)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


LINE_HEIGHT = 15  # points: one line of 11-point text


def row_heights(sheet) -> None:
    """Rows tall enough for their wrapped cells. Excel, WPS and LibreOffice do not all grow a row
    to fit wrapped text on opening, so each row with a wrapped cell gets the height of its most
    lines (its width over the column's width, or its line breaks)."""
    import math as _math

    widths = {letter: max(1.0, (dim.width or 8.43) - 1) for letter, dim in sheet.column_dimensions.items()}
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text:
                parts = cell.value.split("\n")
                lines = max(lines, sum(max(1, _math.ceil(display_width(part) / widths.get(cell.column_letter, 7.43))) for part in parts))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"


def score_sheets(payloads: list[dict], config, lang: str) -> list[Sheet]:
    """`scast score` as a workbook: the overall result, the groups, and every indicator."""
    from scast_cli.i18n import t
    from scast_cli.render import fmt_gap, indicator_label

    summary, groups, items, units = [], [], [], []
    for payload in payloads:
        region, overall = payload["region"], payload["overall"]
        low, high = overall["range"]
        summary.append(
            {
                "region": region["name"],
                "level": value_word(lang, region["level"]),
                "year": region["year"],
                "overall": overall["score"],
                "range_low": low,
                "range_high": high,
                "grade": overall["grade"],
                "grade_status": value_word(lang, overall["grade_status"]),
                "completeness": overall["completeness"],
                "assessed": overall["assessed"],
                "indicators": overall["indicators"],
                "bonus": overall["bonus"],
            }
        )
        for g in payload["groups"]:
            rng = g["range"] or [None, None]
            groups.append(
                {
                    "region": region["name"],
                    "kind": t(lang, g["kind"]),
                    "group": g["label"],
                    "score": g["score"],
                    "range_low": rng[0],
                    "range_high": rng[1],
                    "weight": g["weight"],
                    "credit": g.get("credit"),
                }
            )
        dimensions = {g["id"]: g["label"] for g in payload["groups"] if g["kind"] == "dimension"}
        for i in payload["indicators"]:
            flag = _yes_no(lang) if i["unit"] == "flag" else {}
            items.append(
                {
                    "region": region["name"],
                    "label": indicator_label(i, lang),
                    "dimension": dimensions.get(i["dimension"], i["dimension"]),
                    "value": flag.get(i["value"], i["value"]),
                    "qualifier": value_word(lang, i["qualifier"]),
                    "target": flag.get(i["target"], i["target"]),
                    "score": i["score"],
                    "band": value_word(lang, i["band"]),
                    "gap": fmt_gap(i, config, lang),
                    "missing": "" if i["score"] is not None else _missing(i, config, lang),
                    "weight": i["weight"],
                    "effective_weight": i["effective_weight"],
                }
            )
            units.append(i["unit"])
    word = {"zh": ("总览", "分组", "指标"), "en": ("Summary", "Groups", "Indicators")}.get(lang, ("Summary", "Groups", "Indicators"))
    return [
        Sheet(
            word[0],
            [Column("region"), Column("level"), Column("year", kind="year"), Column("overall", kind="score"), Column("range_low", kind="score")]
            + [Column("range_high", kind="score"), Column("grade"), Column("grade_status"), Column("completeness", kind="share")]
            + [Column("assessed", kind="int"), Column("indicators", kind="int"), Column("bonus", kind="score")],
            summary,
            freeze="B2",
        ),
        Sheet(
            word[1],
            [Column("region"), Column("kind"), Column("group"), Column("score", kind="score"), Column("range_low", kind="score")]
            + [Column("range_high", kind="score"), Column("weight", kind="weight"), Column("credit", kind="score")],
            groups,
            freeze="B2",
        ),
        Sheet(
            word[2],
            [Column("region"), Column("label"), Column("dimension"), Column("value", kind="unit"), Column("qualifier"), Column("target", kind="unit")]
            + [Column("score", kind="score"), Column("band"), Column("gap"), Column("missing"), Column("weight", kind="weight")]
            + [Column("effective_weight", kind="share")],
            items,
            freeze="C2",
            units=units,
        ),
    ]


def _yes_no(lang: str) -> dict:
    """A yes/no figure in words, as the terminal shows it (render.fmt_value)."""
    return {1: "是", 0: "否"} if lang == "zh" else {1: "yes", 0: "no"}


def _missing(item: dict, config, lang: str) -> str:
    """Why an indicator is not assessed, in words: the reason, or the labels of the missing figures."""
    from scast_cli.i18n import t
    from scast_cli.render import REASONS

    if item.get("reason") in REASONS:
        return t(lang, item["reason"])
    return t(lang, "list_sep").join(config.field_by_id[f].label(lang) if f in config.field_by_id else f for f in item["missing"])
