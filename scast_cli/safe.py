"""Text from inputs made harmless for where scast writes it: spreadsheets, terminals, markdown.

Region names, field keys, labels, sources and file names come from files other people made, and
scast writes them into CSV and XLSX files that Excel or WPS will open, onto terminals, and into
markdown that a browser or a markdown viewer will render. Every writer passes such text through
one of these functions, so that what the reader sees is the literal text and nothing runs.

The regular expressions here are simple alternations of character classes with no nested
quantifiers: each match attempt is linear in the text, so no cell can make them backtrack.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- terminals

# ECMA-48: CSI (ESC [ params intermediates final), OSC (ESC ] ... BEL or ESC \ , e.g. window titles
# and OSC 8 hyperlinks), DCS/SOS/PM/APC strings (ESC P|X|^|_ ... ESC \), any other ESC sequence,
# the 8-bit CSI; then single C0 and C1 control characters, DEL, and the bidi embeddings,
# overrides and isolates that make text display in another order than it reads (CVE-2021-42574).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\t\r\v\f\x85\u2028\u2029]")


def terminal_text(text, *, one_line: bool = False) -> str:
    """`text` with escape sequences, control characters and bidi overrides removed.

    A terminal obeys an escape sequence wherever it appears: a region name could clear the
    screen, retitle the window or show a link that goes elsewhere. Newlines and tabs stay, unless
    `one_line`, where every line break or tab becomes a space (a message is one line per problem).
    """
    text = _ESCAPES.sub("", str(text))
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)


# ---------------------------------------------------------------- spreadsheets

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def spreadsheet_cell(value):
    """A cell value a spreadsheet will show as text, never evaluate (OWASP CSV injection).

    Excel, WPS and LibreOffice run a cell starting with = + - @ (or a tab or CR before one) as a
    formula: '=HYPERLINK(...)' or "=cmd|' /C calc'!A0". Such a string gets a leading "'", which
    makes it text; a plain number such as '-3.5' stays as it is. Escape sequences and control
    characters go too (a CSV may be printed on a terminal; openpyxl refuses most of them).
    Anything but a string is returned unchanged.
    """
    if not isinstance(value, str):
        return value
    value = terminal_text(value)
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


# Every character terminal_text removes, and the first of every escape sequence it removes (ESC,
# the 8-bit CSI): a cell with none of them, and no formula start, is one spreadsheet_cell keeps.
_CELL_CHANGES = "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u202a-\u202e\u2066-\u2069]"


def spreadsheet_column(values):
    """spreadsheet_cell over a whole column, cell for cell the same result, without a Python call
    per cell: one vectorised search finds the text cells it would change (a control or escape
    character, or a formula start), and only those go through spreadsheet_cell. A list (searched
    by pandas string methods) comes back as a list, a pyarrow text array (the CSV writer's,
    searched in pyarrow's C) as a pyarrow array; a column with no text as it is."""
    import numpy as np

    if hasattr(values, "to_pylist"):
        return _arrow_column(values)
    import pandas as pd

    column = pd.Series(values, dtype=object)
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind != "string":
        return [spreadsheet_cell(v) for v in values] if kind.startswith("mixed") and kind != "mixed-integer-float" else values
    text = column.astype("str")
    hit = text.str.contains(_CELL_CHANGES, regex=True, na=False).to_numpy(dtype=bool) | text.str.startswith(_FORMULA_START, na=False).to_numpy(dtype=bool)
    out = list(values)
    for i in np.flatnonzero(hit):
        out[i] = spreadsheet_cell(out[i])
    return out


def _arrow_column(text):
    """spreadsheet_column of a pyarrow text array (nulls stay nulls)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    hit = pc.match_substring_regex(text, _CELL_CHANGES)
    for start in _FORMULA_START:
        hit = pc.or_(hit, pc.starts_with(text, start))
    hit = pc.fill_null(hit, False)
    if not pc.any(hit).as_py():
        return text
    changed = [spreadsheet_cell(text[int(i)].as_py()) for i in np.flatnonzero(hit.to_numpy(zero_copy_only=False))]
    return pc.replace_with_mask(text, hit, pa.array(changed, type=text.type))


def spreadsheet_row(row):
    """Every cell of a row (a dict for csv.DictWriter, or a list) through spreadsheet_cell."""
    if isinstance(row, dict):
        return {k: spreadsheet_cell(v) for k, v in row.items()}
    return [spreadsheet_cell(v) for v in row]


def append_xlsx_row(sheet, values) -> list:
    """Append a row to an openpyxl sheet with every string stored as a string, never a formula;
    return the row's cells.

    openpyxl stores any string starting with '=' as a formula; every string cell is typed 's'
    (text) here, so none is ever typed 'f'. A cell spreadsheet_cell would give a leading "'" (a
    CSV's only way to say text) keeps its own text instead, as a string cell with the quote
    prefix style: Excel, WPS and LibreOffice show '=1+1' as typed and never evaluate it.
    """
    raw = list(values)
    values = spreadsheet_row(raw)
    quoted = [i for i, v in enumerate(values) if isinstance(v, str) and v[:1] == "'" and v[1:].startswith(_FORMULA_START) and v != raw[i]]
    for i in quoted:
        values[i] = values[i][1:]  # the apostrophe spreadsheet_cell added; the text is its cleaned value
    sheet.append(values)
    # the row just appended, from openpyxl's own counter: sheet.max_row scans every cell, which
    # made writing a sheet quadratic in its rows (127 s for 5,000 x 27)
    row = getattr(sheet, "_current_row", None) or sheet.max_row
    cells = [sheet.cell(row=row, column=c) for c in range(1, len(values) + 1)]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    for i in quoted:
        cells[i].quotePrefix = True
    return cells


# ---------------------------------------------------------------- markdown

# Characters with a meaning anywhere in a line, in CommonMark, GFM (| tables, ~ strikethrough)
# and the common extensions (^ footnotes, $ maths, @ citations, {} attributes) get a backslash.
# '<', '>' and an '&' that would start an entity ('&lt;'; 'S&T' stays) become entities, which
# every markdown reads as text (Python-Markdown and Markdown.pl do not unescape '\<', so raw HTML
# would pass). '(' means something only right after ']', which is always escaped, and such a
# '(' is escaped too; ordinary text like '乡镇(街道)' or '(reported)' is left as it is.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~^$@#!{}]|&(?=#?[A-Za-z0-9]{1,32};)|(?<=\])\(")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# What makes a line a list item, a heading underline or a rule: '-', '+', '=', ':' followed by a
# space or another such mark, or '1.' / '1)' followed by a space ('-3.5' and '12.5' stay).
_MD_LEAD = re.compile(r"^(\s*)([-+=:]|\d{1,9}[.)])(?=[\s\-+=:]|$)")
_URL = re.compile(r"https?://[^\s<>\"'`，。；）】」]+")


def markdown_text(text, *, autolink: bool = False, pipes: bool = True) -> str:
    """`text` that renders as itself in markdown: never a heading, list, link, image or HTML.

    Control characters and escape sequences are removed and line breaks become spaces (a name
    never starts a new block); markdown punctuation is backslash-escaped, '<' and '>' written as
    entities. With `autolink`, a URL becomes an <autolink> showing the address it goes to
    (sources cite web pages); `pipes=False` leaves '|' to a table writer that escapes it itself.
    """
    text = terminal_text(text, one_line=True)
    if not autolink:
        return _md_escape(text, pipes, lead=True)
    out, at = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        out.append(_md_escape(text[at : match.start()], pipes, lead=at == 0))
        out.append(f"<{url}>")
        at = match.start() + len(url)
    out.append(_md_escape(text[at:], pipes, lead=at == 0))
    return "".join(out)


def _md_escape(text: str, pipes: bool, lead: bool) -> str:
    text = _MD_SPECIAL.sub(lambda m: m.group(0) if m.group(0) == "|" and not pipes else _MD_ENTITIES.get(m.group(0), "\\" + m.group(0)), text)
    return _MD_LEAD.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", text) if lead else text


def markdown_code(text) -> str:
    """`text` as an inline code span that no backtick in it can close early (CommonMark §6.1)."""
    text = terminal_text(text, one_line=True)
    fence = "`" * (max(map(len, re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_fence(lines: list[str], info: str = "") -> list[str]:
    """Lines as a fenced code block whose fence is longer than any run of backticks inside."""
    lines = [terminal_text(line, one_line=True) for line in lines]
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *lines, fence]
