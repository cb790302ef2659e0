"""Region files -> a `Regions` table (one row per region, one column per field).

YAML files, CSV (UTF-8, UTF-8 with BOM, GB18030/GBK; comma, semicolon or tab) and XLSX
workbooks all become the same list of entries, and then go through one pipeline: names are
resolved (field id, zh or en label, alias; case, width, traditional characters and a trailing
unit in brackets ignored), every value goes through `parse_value`, and the whole table is
validated at once (kinds, bounds, part <= whole). Every problem keeps its place: a YAML line or a
spreadsheet row, region and cell.

Input is untrusted and read within `scast_cli.limits`: a file that is not a regular file is
refused before it is opened; YAML within its alias, nesting and key limits; sheets within their
row, column and cell limits; no pattern here backtracks on a long cell (each is linear, and a
cell is at most `cell_chars` long). A figure is read as written or refused: NaN, infinities and
numbers too large for a float never reach a score. Reading stops after `problems` problems.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scast_cli.config import REFUSED_PERIODS, Config, FieldSpec, read_yaml
from scast_cli.errors import Problem, ScastError, UsageError, did_you_mean
from scast_cli.i18n import flag_number, level_code, year_number
from scast_cli.limits import bounded, check_input, exceeds, limit, too_many

LEVELS = ("province", "prefecture", "county", "township")
QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approx", "claimed")
PERIODS = ("point", "annual", "cumulative", "flow")  # flow: new additions over a period (新增/新建)
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
REGION_FILE = "a region file (.yaml, .csv or .xlsx)"

# Column headers that are not fields: the region's name, level and year, and free-text notes.
REGION_COLUMNS = ("region", "地区", "地区名称", "region_name", "名称", "单位名称", "县(市、区)", "县市区")
LEVEL_COLUMNS = ("level", "层级", "行政层级", "region_level")
YEAR_COLUMNS = ("year", "年份", "数据年份", "report_year", "年度")
NOTE_COLUMNS = ("notes", "note", "备注", "说明", "source", "sources", "来源", "数据来源")

# Words Chinese reports put around a number, and what they say about it.
_LOWER = ("以上", "余", "多", "超过", "超", "逾")
_UPPER = ("近", "不足", "不到")
_APPROX = ("大约", "约", "左右")
_MULTIPLIERS = {"万": 4, "亿": 8}  # the power of ten each word multiplies by
_UNIT_WORDS = "人次|人|个|名|家|所|场|次|户|支|处|元|份|期|条|件|项|篇|处|座|批"
_MISSING = {"", "-", "—", "–", "--", "无数据", "n/a", "na", "none", "null", "/"}
# Both linear: each position of the text is tried once (no nested quantifier can re-split it).
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")  # 1.23457E+11 as a spreadsheet exports it
# Words before a number that say what period it covers, and the same in a bracketed note.
_PERIOD_WORDS = (("累计", "cumulative"), ("每年", "annual"), ("年均", "annual"), ("新增", "flow"), ("新建", "flow"))
_PERIOD_NOTES = (
    ("累计", "cumulative"),
    ("cumulative", "cumulative"),
    ("新增", "flow"),
    ("新建", "flow"),
    ("flow", "flow"),
    ("年度", "annual"),
    ("annual", "annual"),
)


# Exactly the characters str.isspace() accepts (tests/test_fast_reading.py checks), for patterns
# that must agree with str.strip() both in Python's re and in pyarrow's RE2.
_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ASCII_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
# The cells read column by column, without parse_value: a plain number in ASCII digits (what
# _PLAIN accepts, ASCII only) and, for a flag, 0 or 1. Every other cell goes to parse_value.
_FAST_NUMBER = f"[{_ASCII_WS}]*[-+]?[0-9]+(?:[.][0-9]+)?(?:[eE][-+]?[0-9]+)?[{_ASCII_WS}]*"
_FAST_FLAG = f"[{_ASCII_WS}]*[01][{_ASCII_WS}]*"
_FAST_YEAR = f"[{_ASCII_WS}]*[0-9]{{1,9}}[{_ASCII_WS}]*"


def _trailing_bracket(text: str, opening: str = "([【", closing: str = ")]】") -> tuple[str, str] | None:
    """'科普专项经费 (万元)' -> ('科普专项经费', '万元'): the text before a bracketed part that ends
    it (no bracket inside), without the spaces between, and the part; None when there is none.

    Found with rfind rather than a pattern like `\\s*[(][^()]*[)]\\s*$`, which a search tries at
    every position and so takes quadratic time on a long run of spaces.
    """
    text = text.rstrip()
    if len(text) < 2 or text[-1] not in closing:
        return None
    at = max(text.rfind(c, 0, len(text) - 1) for c in opening + closing)
    if at < 0 or text[at] not in opening:
        return None
    return text[:at].rstrip(), text[at + 1 : -1]


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC), full-width to half-width (NFKC)."""
    text = unicodedata.normalize("NFKC", str(text))
    return _t2s().convert(text) if any(ord(c) > 0x2E80 for c in text) else text


def normalise(text: str) -> str:
    """Fold width, case, script and spacing so headers and keys compare as a person reads them."""
    text = simplified(text).casefold().strip()
    bracket = _trailing_bracket(text)
    if bracket is not None:
        text = bracket[0]  # trailing "(万元)"
    return re.sub(r"[\s_\-]+", "", text)


def header_unit(text: str) -> str:
    """The unit a header gives in trailing brackets: '科普专项经费(万元)' -> '万元'."""
    bracket = _trailing_bracket(simplified(text))
    return bracket[1].strip() if bracket else ""


def field_lookup(config: Config) -> dict[str, FieldSpec]:
    """Every spelling a field may arrive under, normalised -> the field (Config.spellings)."""
    return {name: config.field_by_id[field_id] for name, field_id in config.spellings.items()}


def suggest(name: str, lookup: dict[str, FieldSpec]) -> str:
    """' (did you mean 'field_id'?)' for the closest spelling; Chinese headers are short, so the
    bar is lower than difflib's default and bracketed qualifiers like (街道) are also ignored."""
    bare = lambda s: re.sub(r"[(（][^()（）]*[)）]", "", s)  # noqa: E731
    keys = {**{bare(k): v for k, v in lookup.items()}, **lookup}
    close = difflib.get_close_matches(bare(normalise(name[:200])), list(keys), n=1, cutoff=0.5)
    return f" (did you mean '{keys[close[0]].id}'?)" if close else ""


@dataclass(frozen=True)
class Value:
    """A parsed figure: the number and what the source said about it."""

    number: float | None
    qualifier: str = "exact"
    period: str | None = None
    inferred: bool = False
    year: int | None = None


def parse_value(raw: Any, spec: FieldSpec, unit: str = "", *, max_chars: int | None = None) -> Value:
    """One cell or YAML scalar -> Value; raises ValueError saying what was expected.

    Accepts numbers; ASCII and full-width digits and separators; percents (shares only);
    万/萬 and 亿/億; qualifier words (余/多/以上/超/逾 -> lower bound, 近/不足 -> upper bound,
    约/左右 -> approximate); 累计/每年 for the period; a note in brackets after the number
    ("12（推算）", "1（全覆盖）", "871000（2014年）"); yes/no words for flags; blank and dash
    forms for missing. `unit` is the header's unit ("%", "万元") for values that give none.
    A number that is not finite (NaN, inf, 1e999, 400 digits) is refused, as is text longer than
    the cell limit (before any pattern sees it; `max_chars`, read once by a caller parsing many).
    """
    if raw is None:
        return Value(None)
    if isinstance(raw, bool):
        if spec.kind != "flag":
            raise ValueError(f"expected a number for {spec.id}, found {raw!r}")
        return Value(1.0 if raw else 0.0)
    if isinstance(raw, int | float):
        return Value(_finite(_times_ten(_float(raw), _power(spec, unit)), raw))
    if isinstance(raw, list | tuple | dict | set | bytes):
        raise ValueError(f"expected a number for {spec.id}, found a {type(raw).__name__}")
    text = str(raw)
    if len(text) > (limit("cell_chars") if max_chars is None else max_chars):
        raise ValueError(f"{_shown(text)} is too long for a figure; {exceeds('cell_chars')}")
    text = simplified(text).strip()
    if text.casefold() in _MISSING:
        return Value(None)
    qualifier, period, inferred, year = "exact", None, False, None
    note = _trailing_bracket(text, "(（", ")）")
    if note and note[0] and "\n" not in note[0]:
        text, words = note
        if "全覆盖" in words or "claimed" in words:
            qualifier = "claimed"
        inferred = any(w in words for w in ("推算", "推断", "inferred"))
        period = next((name for word, name in _PERIOD_NOTES if word in words), None)
        if found := re.search(r"(\d{4})\s*年", words):
            year = int(found.group(1))
    for word, name in _PERIOD_WORDS:
        if text.startswith(word):
            text, period = text[len(word) :].strip(), name
    if spec.kind == "flag":
        flag = flag_number(text)  # 是/否, 有/无, yes/no, ✓/×: i18n.FLAG_WORDS
        if flag is not None:
            return Value(float(flag), qualifier, period, inferred, year)
        if re.fullmatch(r"[01]\.0*", text):  # 1.0 / 0.0 from a spreadsheet export
            return Value(float(text), qualifier, period, inferred, year)
        raise ValueError(f"expected yes/no (是/否), found {_shown(raw)}")
    if _PLAIN.fullmatch(text):  # the common case, kept fast for tables of thousands of rows
        power = _power(spec, unit)
        return Value(_finite(_shifted(text, power) if power else float(text), raw), qualifier, period, inferred, year)
    for words, name in ((_APPROX, "approx"), (_LOWER, "lower_bound"), (_UPPER, "upper_bound")):
        hit = next((w for w in words if text.startswith(w) or text.endswith(w) or re.search(rf"[\d{_CN_CHARS}]{w}", text)), None)
        if hit:
            text, qualifier = text.replace(hit, "", 1).strip(), name
            break
    text = re.sub(rf"({_UNIT_WORDS})$", "", text).strip()
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    power = None
    if (words := chinese_number(text)) is not None:  # 三百, 一千二百, 两万 (its own 万: the header's unit is not applied)
        power = 0 if any(c in _CN_GROUPS for c in text) else None
        text = words
    if text[-1:] in _MULTIPLIERS:
        power, text = _MULTIPLIERS[text[-1]], text[:-1].strip()
        text = re.sub(rf"({_UNIT_WORDS})$", "", text).strip()
    if not text or not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
        raise ValueError(f"{_shown(raw)} is not a number (write e.g. 10759, 10,759, 5.36万, 4200多 or 73.17%)")
    if percent and spec.kind != "share":
        raise ValueError(f"a percent is only allowed for a share, found {_shown(raw)}")
    if power is None and not percent:
        power = _power(spec, unit)
    number = _shifted(text.replace(",", ""), (power or 0) - (2 if percent else 0))
    return Value(_finite(number, raw), qualifier, period, inferred, year)


def _float(raw: int | float) -> float:
    try:
        return float(raw)
    except OverflowError:  # an int of hundreds of digits
        raise ValueError(f"{_shown(raw)} is too large for a figure; expected a finite number such as 10759") from None


def _finite(number: float, raw: Any) -> float:
    """The number, unless it is NaN or infinite (as written, or after scaling by 万/亿)."""
    if not math.isfinite(number):
        raise ValueError(f"{_shown(raw)} is not a finite number; expected a figure such as 10759")
    return number


def _shown(raw: Any, width: int = 40) -> str:
    """A value as a message quotes it, '10,759x'; a long one cut to `width` characters with its length."""
    try:
        text = str(raw)
    except ValueError:  # an int too long for str()
        text = "…"
    return repr(text) if len(text) <= width else f"{text[:width]!r}… ({len(text):,} characters)"


def _power(spec: FieldSpec, unit: str) -> int:
    """The power of ten the header's unit scales a bare number by: -2 for '%' on a share, 4 for 万, 8 for 亿."""
    if not unit:
        return 0
    if "%" in unit and spec.kind == "share":
        return -2
    return 4 if unit.startswith("万") else 8 if unit.startswith("亿") else 0


def _shifted(text: str, power: int) -> float:
    """The decimal number written in `text` times 10**power, rounded once to a float, as float()
    rounds what is written: '10.12', 4 -> 101200.0 (not 10.12 * 1e4 = 101199.99999999999)."""
    mantissa, _, exponent = text.lower().partition("e")
    return float(f"{mantissa}e{int(exponent or 0) + power}")


def _times_ten(number: float, power: int) -> float:
    """A number read as a float (an XLSX cell, a YAML number) times 10**power, as the shortest
    decimal that reads back as it (what the user typed) scaled exactly: 10.12 -> 101200.0 for 万."""
    return _shifted(repr(number), power) if power and math.isfinite(number) else number


# Chinese numerals: 三百, 一千二百, 两万, 三千零五十, 十二, 一亿二千万 (not digits in a row: 三四 is "three or four").
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 1, "百": 2, "千": 3}
_CN_GROUPS = {"万": 4, "亿": 8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_UNITS, *_CN_GROUPS])
_CN_LONGEST = 24  # characters: 九千九百九十九亿九千九百九十九万九千九百九十九 is 23


def chinese_number(text: str) -> str | None:
    """A whole number written in Chinese numerals, as decimal digits ('一千二百' -> '1200'), or None
    when `text` is not one (or is longer than any such number). Pure and linear in the text."""
    if not text or len(text) > _CN_LONGEST or any(c not in _CN_DIGITS and c not in _CN_UNITS and c not in _CN_GROUPS for c in text):
        return None
    if len(text) == 1 and text in _CN_DIGITS:
        return str(_CN_DIGITS[text])
    total, group, digit, last_unit, last_group = 0, 0, None, 99, 99
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[c] != 0:  # 三四: two digits in a row
                return None
            digit = _CN_DIGITS[c] if _CN_DIGITS[c] != 0 else None
        elif c in _CN_UNITS:
            power = _CN_UNITS[c]
            if power >= last_unit:  # 百千, 二百三百: units only go down within a group
                return None
            if digit is None and not (c == "十" and group == 0 and total == 0):  # 十二 = 12; 三百十 is refused
                return None
            group, digit, last_unit = group + (digit if digit is not None else 1) * 10**power, None, power
        else:
            power = _CN_GROUPS[c]
            part = group + (digit or 0)
            if part == 0 or power >= last_group:  # 万 alone, 万亿 and 亿…亿 are refused
                return None
            total, group, digit, last_unit, last_group = total + part * 10**power, 0, None, 99, power
    return str(total + group + (digit or 0))


@dataclass
class Regions:
    """The regions to score: numbers in `values`, what is known about each figure beside it."""

    values: Any  # pandas DataFrame: index = region name, columns = field ids, float (NaN = missing)
    meta: Any  # DataFrame: level, year, file
    qualifiers: dict[tuple[str, str], str] = field(default_factory=dict)  # (region, field) -> when not exact
    periods: dict[tuple[str, str], str] = field(default_factory=dict)
    inferred: set[tuple[str, str]] = field(default_factory=set)
    years: dict[tuple[str, str], int] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    left_out: dict[str, list[Problem]] = field(default_factory=dict)  # region -> its errors, when rows with errors were left out

    def without(self, names: set[str]) -> Regions:
        """The same table without the regions in `names`."""
        return self._subset(~self.values.index.isin(list(names)), lambda region: region not in names, list(self.warnings), dict(self.left_out))

    def _subset(self, rows: Any, region_kept: Callable[[str], bool], warnings: list[Problem], left_out: dict) -> Regions:
        """The rows where `rows` is true, with what is known of the cells of the regions kept."""
        cells = lambda d: {k: v for k, v in d.items() if region_kept(k[0])}  # noqa: E731
        inferred = {k for k in self.inferred if region_kept(k[0])}
        return Regions(
            self.values.loc[rows],
            self.meta.loc[rows],
            cells(self.qualifiers),
            cells(self.periods),
            inferred,
            cells(self.years),
            cells(self.sources),
            warnings,
            left_out,
        )

    @property
    def names(self) -> list[str]:
        return list(self.values.index)

    def select(self, name: str | None) -> Regions:
        """Only the region called `name` (None: the only region, else an error listing them)."""
        file = str(self.meta["file"].iloc[0]) if len(self.meta) else None
        if name is None:
            if len(self.names) == 1:
                return self
            raise UsageError.one(f"holds {len(self.names)} regions; choose one with --region: {', '.join(self.names)}", file=file, code="choose-region")
        if name not in self.names:
            raise UsageError.one(f"no region '{name}'{did_you_mean(name, self.names)}; regions: {', '.join(self.names)}", file=file, code="unknown-region")
        # the region's own warnings, the file's, and the file's total row (left out whichever region is chosen)
        warnings = [w for w in self.warnings if w.where is None or w.where.startswith(f"{name}:") or f"({name})" in w.where or w.code == "total-row"]
        return self._subset(self.values.index == name, lambda region: region == name, warnings, {})


@dataclass(frozen=True)
class Place:
    """Where a value sits: a YAML line and column, or a spreadsheet row and cell (in `where`)."""

    line: int | None = None
    column: int | None = None
    where: str | None = None


@dataclass
class _Figure:
    spec: FieldSpec
    raw: Any
    place: Place
    unit: str = ""  # the header's unit, for tables
    meta: dict = field(default_factory=dict)  # the YAML long form: qualifier, period, ...


@dataclass
class _Entry:
    name: str
    level: Any
    year: Any
    figures: list[_Figure]
    level_where: str | None = None  # where a table's level cell is, for a message; else "NAME: level"
    year_where: str | None = None
    level_place: Place | None = None  # a YAML file's level: and year: lines, for a message
    year_place: Place | None = None


class _Fraction(float):
    """A number from a percent-formatted XLSX cell: it already holds the fraction (73.17% is
    0.7317), so the header's '%' unit must not divide it again."""


@dataclass
class _Column:
    """One field's cells in a table, one per row kept, as read (text, or an XLSX cell's value)."""

    spec: FieldSpec
    unit: str  # the header's unit
    header: str  # the header's text, for messages
    letter: str  # the column's letter, for messages
    cells: Any  # pandas Series, positional index; missing or None = no cell


@dataclass
class _Columns:
    """A table's rows, column by column: what `tables.columns` reads and `_build_columns` parses."""

    names: Any  # ndarray of region names (stripped), one per row kept
    lines: Any  # ndarray of each row's line in the sheet (1-based)
    level: Any  # ndarray of stripped text or None, one per row
    year: Any  # ndarray of the year cell as read, or None
    figures: list[_Column]
    level_at: Any = None  # ndarray: each row's level column (a later column wins where the row reaches it)
    year_at: Any = None
    headers: dict = field(default_factory=dict)  # column -> (header text, letter), for messages


Progress = Callable[[str, int, int], None]  # (stage, done, total): "read", "score", "write"


def load_regions(
    path: str | Path,
    config: Config,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    ignore_unknown: bool = False,
    progress: Progress | None = None,
    notices: bool = True,
) -> tuple[Regions | None, list[Problem]]:
    """Read and check a region file; every problem found, errors and warnings, in file order;
    with `notices`, also the notes of severity info (approximate and inferred figures), which
    `scast validate` lists and nothing that scores keeps.

    A file that is not a regular file or is too large is refused before it is opened; reading
    stops once the file has `problems` problems (the last one says so). A table is read column by
    column (`tables.columns`, `_build_columns`); `progress("read", done, total)` is called once
    before reading and after each field's column, when given.
    """
    if str(path) == STDIN:
        return _from_stdin(config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown, progress=progress, notices=notices)
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in OLD_WORKBOOKS:
        raise UsageError.one(OLD_WORKBOOKS[suffix], file=name, code="old-format")
    check_input(path, REGION_FILE, size="yaml_mb" if suffix in (".yaml", ".yml") else "table_mb")
    if progress:
        progress("read", 0, 0)  # the file is being read; how much there is to parse is not known yet
    if suffix in (".yaml", ".yml"):
        entries, problems = _yaml_entries(path, config)
        build = lambda: _build(entries, config, name)  # noqa: E731
    elif suffix in TABLE_SUFFIXES:
        from scast_cli import tables

        table, problems = tables.columns(path, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
        build = lambda: _build_columns(table, config, name, progress)  # noqa: E731
    else:
        raise UsageError.one(f"unsupported file type '{path.suffix}'; expected .yaml, .csv or .xlsx", file=name, code="file-type")
    return _checked(build, problems, config, name, notices)


STDIN = "-"
STDIN_NAME = "<stdin>"  # how messages name standard input
# Workbooks scast does not read, and what to do instead (refused before the file is opened).
OLD_WORKBOOKS = {
    ".xls": "the old Excel format (.xls) is not read; open it in Excel or WPS and save it as .xlsx (文件 → 另存为 → Excel 工作簿)",
    ".et": "a WPS workbook (.et) is not read; open it in WPS and save it as .xlsx (文件 → 另存为 → Excel 工作簿)",
    ".ods": "an OpenDocument workbook (.ods) is not read; open it in LibreOffice, Excel or WPS and save it as .xlsx",
}
_YAML_START = re.compile(r"(?:---|%YAML|-?\s*(?:regions?|level|year|figures|sources|notes)\s*:)")


def stdin_kind(data: bytes) -> str:
    """The suffix standard input is read as: '.xlsx' for a zip (PK..), '.yaml' when the first line
    that is not blank or a comment starts a YAML region file (---, region:, regions:, figures: …),
    else '.csv' (its encoding and separator are detected as for a file)."""
    if data.startswith(b"PK\x03\x04"):
        return ".xlsx"
    head = data[:65_536].decode("utf-8", errors="ignore").lstrip("\ufeff")
    for line in head.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return ".yaml" if _YAML_START.match(line.strip()) else ".csv"
    return ".csv"


def _from_stdin(config: Config, **options) -> tuple[Regions | None, list[Problem]]:
    """Read a region file piped to standard input (`-`): CSV, YAML or XLSX, told apart by
    `stdin_kind`, within the same size limits as a file (at most the limit + 1 bytes are read)."""
    import sys
    import tempfile
    from dataclasses import replace

    stream = sys.stdin
    if stream is None or stream.isatty():
        raise UsageError.one("nothing piped to standard input; write e.g. cat table.csv | scast rank -", file=STDIN_NAME, code="no-stdin")
    cap = max(limit("table_mb"), limit("yaml_mb")) * 1_000_000
    buffer = getattr(stream, "buffer", None)  # a text stream without bytes beneath (an embedding's StringIO): its text as UTF-8
    data = buffer.read(cap + 1) if buffer is not None else stream.read(cap + 1).encode("utf-8")
    kind = stdin_kind(data)
    size = "yaml_mb" if kind == ".yaml" else "table_mb"
    if len(data) > limit(size) * 1_000_000:
        raise ScastError.one(f"is larger than {limit(size):,} MB, too large to read; {exceeds(size)}", file=STDIN_NAME, code="too-large")
    renamed = lambda problems: [replace(p, file=STDIN_NAME) if p.file else p for p in problems]  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="scast-") as folder:
        path = Path(folder) / f"stdin{kind}"
        path.write_bytes(data)
        try:
            regions, problems = load_regions(path, config, **options)
        except ScastError as exc:
            exc.problems[:] = renamed(exc.problems)
            raise
    if regions is not None:
        regions.meta["file"] = STDIN_NAME
    return regions, renamed(problems)


def _checked(build, problems: list[Problem], config: Config, name: str, notices: bool = True) -> tuple[Regions | None, list[Problem]]:
    """Build the table unless reading already found too many problems, then validate it."""
    if not too_many(problems):
        regions, places, more = build()
        problems += more
        if regions is not None:
            problems += validate(regions, config, places, name, notices=notices)
    else:
        regions = None
    return regions, bounded(problems, name)


def _reference_regions(
    path: str | Path, config: Config, *, sheet: str | None = None, encoding: str | None = None, ignore_unknown: bool = False
) -> tuple[Regions | None, list[Problem]]:
    """A table read cell by cell (`tables.entries`, `_build`): what `load_regions` gives, the slow
    way. Kept as the reference the column-by-column reader is tested against."""
    from scast_cli import tables

    path = Path(path)
    check_input(path, REGION_FILE, size="table_mb")
    entries, problems = tables.entries(path, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
    return _checked(lambda: _build(entries, config, str(path)), problems, config, str(path))


def read_regions(path: str | Path, config: Config, *, keep_going: bool = False, **options) -> Regions:
    """Read a region file (YAML, CSV or XLSX) and validate it; raise ScastError on any error.
    Options: sheet, encoding, ignore_unknown, progress (see `load_regions`).

    With `keep_going`, errors that belong to rows (a bad figure, level or year, a duplicate or
    unnamed row, a figure out of bounds) leave those rows out instead: the other regions are
    read, `left_out` keeps each left-out region's errors, and the warnings start with one
    ('rows-left-out') naming the rows, followed by their errors as warnings. An error of the file
    itself (its header, its format, too many problems), or errors in every row, still raise.
    """
    regions, problems = load_regions(path, config, notices=False, **options)  # what is kept: errors and warnings
    errors = [p for p in problems if p.severity == "error"]
    if errors and keep_going and regions is not None:
        regions, problems = _leave_out(regions, problems, str(path) if str(path) != STDIN else STDIN_NAME)
        errors = [p for p in problems if p.severity == "error"]
    if errors or regions is None:
        raise ScastError(errors)
    regions.warnings = [p for p in problems if p.severity == "warning"]
    return regions


_ROW = re.compile(r"row (\d+)(?: \((.*?)\)(?:, column .*)?)?")


def problem_region(problem: Problem, names: set[str]) -> str | None:
    """The region (one of `names`) a problem is about, from its place: 'row 5 (胶州市), column …',
    '胶州市: figures.x', '胶州市: level' or '胶州市'; None for a problem of the file or a row without a name."""
    where = problem.where
    if not where:
        return None
    if where in names:
        return where
    head = where.split(": ", 1)[0]
    if head in names:
        return head
    found = _ROW.fullmatch(where)
    if found and found.group(2) is not None:
        rest = where[where.index("(") + 1 :]
        name = rest[: rest.find("), column ")] if "), column " in rest else rest[:-1]
        return name if name in names else None
    return None


def _leave_out(regions: Regions, problems: list[Problem], file: str) -> tuple[Regions, list[Problem]]:
    """`read_regions(keep_going=True)`: the regions without the rows that have errors, and the
    problems with those errors turned into warnings after one naming the rows; unchanged when an
    error belongs to no row or every region has one."""
    from dataclasses import replace

    names = set(regions.names)
    by_region: dict[str, list[Problem]] = {}
    unnamed: list[Problem] = []
    for p in problems:
        if p.severity != "error":
            continue
        name = problem_region(p, names)
        if name is not None:
            by_region.setdefault(name, []).append(p)
        elif p.code == "missing-region":
            unnamed.append(p)
        else:
            return regions, problems  # the file's own error (or too many problems): nothing is read
    if len(by_region) == len(names):
        return regions, problems
    rows, rows_zh = [], []
    for name, found in by_region.items():
        line = next((m.group(1) for m in (_ROW.match(p.where or "") for p in found) if m), None)
        rows.append(f"row {line} ({name})" if line else name)
        rows_zh.append(f"第 {line} 行（{name}）" if line else name)
    for p in unnamed:
        line = _ROW.match(p.where or "")
        rows.append(p.where or "")
        rows_zh.append(f"第 {line.group(1)} 行" if line else p.where or "")
    table = any(row.startswith("row ") for row in rows)  # a YAML file has regions, not rows
    noun, unit = ("row(s)", "行") if table else ("region(s)", "个地区")
    typed = STDIN if file == STDIN_NAME else file  # the command to type reads standard input as '-'
    message = f"{len(rows):,} {noun} with errors left out, the other regions read: {', '.join(rows)}; `scast validate {typed}` lists every problem"
    params = {"n": len(rows), "unit": unit, "rows": "、".join(rows_zh), "file": typed}
    summary = Problem("rows-left-out", message, file, severity="warning", params=params)
    kept = regions.without(set(by_region))
    kept.left_out = by_region
    downgraded = [replace(p, severity="warning") if p.severity == "error" else p for p in problems]
    return kept, [summary, *downgraded]


def choose(regions: Regions, name: str | None) -> Regions:
    """`regions.select(name)`, for regions read with `keep_going`: the chosen region's own errors
    still raise (and, with no name given, every left-out row's errors, as without keep_going)."""
    if regions.left_out and (name is None or name in regions.left_out):
        raise ScastError(regions.left_out[name] if name is not None else [p for found in regions.left_out.values() for p in found])
    return regions.select(name)


def split_table_region(spec: str) -> tuple[Path, str | None]:
    """'data/regions.xlsx:胶州市' -> (the table, the region) when the part before the last ':' is
    a file; anything else -> (the path, None). The last ':' splits, so 'C:\\d\\t.xlsx:胶州市' works."""
    if not Path(spec).exists():
        path, sep, name = spec.rpartition(":")
        if sep and name and (path == STDIN or Path(path).is_file()):
            return Path(path), name
    return Path(spec), None


def parse_side(spec: str, table: str | Path | None = None) -> tuple[Path, str | None]:
    """Where one side of a comparison lives: 'file.yaml', 'table.xlsx:胶州市', '-' (standard input),
    or a region name in `table`.

    A plain name that is not a file is looked up in `table` (the other side's file) when that is
    a CSV or XLSX table.
    """
    path, name = split_table_region(spec)
    if name is not None or path.exists() or spec == STDIN:  # '-': standard input, read once for both sides
        return path, name
    if table is not None and Path(table).suffix.lower() in TABLE_SUFFIXES:
        return Path(table), spec
    raise UsageError.one("file not found (write a region file, or TABLE:REGION such as data/regions.xlsx:胶州市)", file=spec, code="file-not-found")


# ---------------------------------------------------------------- YAML


def _child(node, key):
    if node is not None and isinstance(getattr(node, "value", None), list):
        for item in node.value:
            if isinstance(item, tuple) and item[0].value == key:
                return item[1]
    return None


def _place(node, where: str) -> Place:
    if node is None:
        return Place(where=where)
    return Place(node.start_mark.line + 1, node.start_mark.column + 1, where)


def _children(node) -> dict[str, tuple[Any, Any]]:
    """A mapping node's key -> (key node, value node), built once so that looking every key up is
    linear, not quadratic, in a mapping of many keys."""
    out: dict[str, tuple[Any, Any]] = {}
    for item in node.value if node is not None and isinstance(getattr(node, "value", None), list) else ():
        if isinstance(item, tuple) and isinstance(item[0].value, str):
            out.setdefault(item[0].value, item)
    return out


def _yaml_entries(path: Path, config: Config) -> tuple[list[_Entry], list[Problem]]:
    file = str(path)
    data, root = read_yaml(path, REGION_FILE)
    if isinstance(data, dict) and "regions" in data:
        items, nodes = data["regions"], _child(root, "regions")
    else:
        items, nodes = [data], None
    if not isinstance(items, list) or not items:
        raise ScastError.one("expected a region (region:, figures:) or a list under regions:", file=file, line=1, code="no-regions")
    lookup = field_lookup(config)
    problems: list[Problem] = []
    entries = []
    cap = limit("problems")
    for i, item in enumerate(items):
        if too_many(problems, cap):
            break
        node = nodes.value[i] if nodes is not None and i < len(nodes.value) else root
        entry = _yaml_entry(item, node, file, lookup, problems, cap)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _yaml_entry(item, node, file: str, lookup, problems: list[Problem], cap: int) -> _Entry | None:
    def problem(code, message, at, where):
        p = _place(at, where)
        problems.append(Problem(code, message, file, p.line, p.column, p.where))

    if not isinstance(item, dict):
        problem("not-a-mapping", "expected a mapping with region:, level:, year: and figures:", node, "region")
        return None
    allowed = {"region", "level", "year", "figures", "sources", "notes"}
    top = _children(node)
    for key in item:
        if key not in allowed and not too_many(problems, cap):
            problem(
                "unknown-key",
                f"unknown key '{key}'{did_you_mean(str(key)[:200], allowed)}; expected {', '.join(sorted(allowed))}",
                top.get(str(key), (None, None))[1],
                str(key),
            )
    name = item.get("region")
    if not isinstance(name, str | int) or not str(name).strip():
        problem("missing-region", "region: expected the region's name", _child(node, "region") or node, "region")
        return None
    name = str(name).strip()
    figures, sources = item.get("figures") or {}, item.get("sources") or {}
    if not isinstance(figures, dict):
        problem("bad-figures", "figures: expected a mapping of field -> value", _child(node, "figures"), f"{name}: figures")
        figures = {}
    figure_nodes = _child(node, "figures")
    nodes = _children(figure_nodes)
    out = []
    for key, raw in figures.items():
        if too_many(problems, cap):
            break
        where = f"{name}: figures.{key}"
        key_node, value_node = nodes.get(str(key), (None, None))
        spec = lookup.get(normalise(str(key)))
        if spec is None:
            problem("unknown-field", f"unknown field '{key}'{suggest(str(key), lookup)}; `scast fields` lists them", key_node, where)
            continue
        meta = {}
        if isinstance(raw, dict):
            meta, raw = raw, raw.get("value")
            extra = set(meta) - {"value", "qualifier", "period", "inferred", "source", "year", "note"}
            if extra:
                problem(
                    "unknown-key",
                    f"unknown key(s) {', '.join(map(str, sorted(extra, key=str)))}; a figure takes value, qualifier, period, inferred, year, source",
                    value_node,
                    where,
                )
        if isinstance(sources, dict) and sources.get(key) and "source" not in meta:
            meta = {**meta, "source": sources[key]}
        out.append(_Figure(spec, raw, _place(value_node, where), meta=meta))
    if not figures and isinstance(item.get("figures") or {}, dict):  # a region with no figure at all (not a bad figures: one)
        at = _place(_child(node, "figures") or _child(node, "region"), f"{name}: figures")
        problems.append(
            Problem(
                "no-figures", "no figure given, nothing to score (write figures: with one field per line)", file, at.line, at.column, at.where, "warning", {}
            )
        )
    places = {key: _place(_child(node, key), f"{name}: {key}") for key in ("level", "year")}
    return _Entry(name, item.get("level"), item.get("year"), out, level_place=places["level"], year_place=places["year"])


# ---------------------------------------------------------------- one pipeline for every format


def _build(entries: list[_Entry], config: Config, file: str) -> tuple[Regions | None, dict, list[Problem]]:
    """Parse every value, check the metadata, and assemble the table (with each cell's place)."""
    import pandas as pd

    problems: list[Problem] = []

    def problem(code, message, place: Place, severity="error"):
        problems.append(Problem(code, message, file, place.line, place.column, place.where, severity))

    rows, names, years, levels, places = [], [], [], [], {}
    notes = Regions(None, None)
    seen: set[str] = set()
    cap, max_chars = limit("problems"), limit("cell_chars")
    for entry in entries:
        if too_many(problems, cap):
            break
        if entry.name in seen:
            problem("duplicate-region", f"region '{entry.name}' appears more than once", Place(where=entry.name))
            continue
        level = None if entry.level in (None, "") else level_code(entry.level)
        if entry.level not in (None, "") and level is None:
            problem("bad-level", _bad_level(entry.level), entry.level_place or Place(where=entry.level_where or f"{entry.name}: level"))
        year, bad = _year(entry.year)
        if bad:
            problem("bad-year", _bad_year(entry.year), entry.year_place or Place(where=entry.year_where or f"{entry.name}: year"))
        row: dict[str, float] = {}
        for fig in entry.figures:
            spec, cell = fig.spec, (entry.name, fig.spec.id)
            if spec.id in row:
                problem("duplicate-field", f"{spec.id} ({spec.zh}) is given twice", fig.place)
                continue
            try:
                value = parse_value(fig.raw, spec, fig.unit, max_chars=max_chars)
            except ValueError as exc:
                problem("bad-value", str(exc), fig.place)
                continue
            qualifier = fig.meta.get("qualifier", value.qualifier)
            period = fig.meta.get("period", value.period)
            if qualifier not in QUALIFIERS:
                problem("bad-qualifier", f"qualifier: expected one of {', '.join(QUALIFIERS)}, found {qualifier!r}", fig.place)
            if period is not None and period not in PERIODS:
                problem("bad-period", f"period: expected one of {', '.join(PERIODS)}, found {period!r}", fig.place)
            row[spec.id] = value.number
            places[cell] = fig.place
            if value.number is None:
                continue
            if qualifier != "exact":
                notes.qualifiers[cell] = qualifier
            if period:
                notes.periods[cell] = period
            if fig.meta.get("inferred", value.inferred):
                notes.inferred.add(cell)
            year_of = fig.meta.get("year", value.year)
            if isinstance(year_of, int):
                notes.years[cell] = year_of
            if fig.meta.get("source"):
                notes.sources[cell] = str(fig.meta["source"])
        rows.append(row)
        names.append(entry.name)
        seen.add(entry.name)
        years.append(year)
        levels.append(level)
    if not names:
        if not problems:
            problems.append(Problem("no-regions", "no regions found", file))
        return None, places, problems
    index = pd.Index(names, name="region")
    values = pd.DataFrame(rows, index=index, columns=[f.id for f in config.fields], dtype="float64")
    meta = pd.DataFrame({"level": levels, "year": years, "file": file}, index=index)
    regions = Regions(values, meta, notes.qualifiers, notes.periods, notes.inferred, notes.years, notes.sources)
    return regions, places, problems


def _year(raw: Any) -> tuple[Any, bool]:
    """A region's year as written -> (the year, or None; whether it is refused)."""
    year = raw
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    elif isinstance(year, str) and year_number(year) is not None:  # 2024年, ２０２４年, 2024年度
        year = year_number(year)
    if year not in (None, "") and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        return None, True
    return year, False


def _bad_year(raw: Any) -> str:
    return f"year: expected a year between 2000 and 2100, found {raw!r}"


def _bad_level(raw: Any) -> str:
    return f"level: expected one of 省级, 地市级, 县级, 乡镇级 (also 省, 市, 地级市, 县, 区, 县级市, 乡镇, 街道; or {', '.join(LEVELS)}), found {raw!r}"


def _build_columns(table: _Columns, config: Config, file: str, progress: Progress | None = None) -> tuple[Regions | None, Any, list[Problem]]:
    """What `_build` makes of a table's entries, column by column: each field's column is parsed
    with vectorised operations (`_fast_column`) and only the cells they cannot read go through
    `parse_value`, so values, notes and messages are the same. Problems come in `_build`'s order
    (row by row, then column by column) and stop where it stops."""
    import numpy as np
    import pandas as pd

    names, lines = table.names, table.lines
    n = len(names)
    found: list[tuple[int, int, Problem]] = []  # (row, order within the row, problem)

    def problem(row: int, order: int, code: str, message: str, where: str) -> None:
        found.append((row, order, Problem(code, message, file, where=where)))

    duplicate = pd.Series(names, dtype=object).duplicated(keep="first").to_numpy()
    for r in np.flatnonzero(duplicate):
        problem(r, 0, "duplicate-region", f"region '{names[r]}' appears more than once", names[r])

    def cell(r: int, at: Any, role: str) -> str:
        """Where a row's level or year cell is: 'row 5 (胶州市), column 层级 (B5)'."""
        if at is None or int(at[r]) not in table.headers:
            return f"{names[r]}: {role}"
        text, letter = table.headers[int(at[r])]
        return f"row {lines[r]} ({names[r]}), column {text} ({letter}{lines[r]})"

    level = np.full(n, None, dtype=object)
    if table.level is not None:  # each distinct word looked up once: a column of 县级 costs one lookup
        codes, words = pd.factorize(pd.Series(table.level, dtype=object))
        known = np.array([*(level_code(w) if w != "" else None for w in words), None], dtype=object)
        refused = np.array([*(w != "" and level_code(w) is None for w in words), False], dtype=bool)
        level = known[codes]
        for r in np.flatnonzero(refused[codes] & ~duplicate):
            problem(r, 1, "bad-level", _bad_level(table.level[r]), cell(r, table.level_at, "level"))
    years = np.full(n, None, dtype=object)
    if table.year is not None:  # the same: each distinct cell read once (2024, '2024', '2024年')
        codes, cells_read = pd.factorize(pd.Series(table.year, dtype=object))
        read = [_year(v) for v in cells_read]
        years = np.array([*(y for y, _ in read), None], dtype=object)[codes]
        for r in np.flatnonzero(np.array([*(bad for _, bad in read), False], dtype=bool)[codes] & ~duplicate):
            problem(r, 2, "bad-year", _bad_year(table.year[r]), cell(r, table.year_at, "year"))
    matrix = np.full((len(config.fields), n), np.nan)  # one row per field: filled row by row, used transposed
    position = {f.id: i for i, f in enumerate(config.fields)}
    noted: list[tuple[Any, int, Any]] = []  # cells read with a note (qualifier, period, …): (rows, column, their Values)
    max_chars = limit("cell_chars")
    memo: dict[tuple[str, str, str], Value | str] = {}  # parse_value is pure: each text read once per kind of field
    for j, column in enumerate(table.figures):
        spec = column.spec
        numbers, rest = _fast_column(column.cells, spec, column.unit)
        rest = rest[~duplicate[rest]]
        read, outcomes, codes = _slow_cells(column, rest, max_chars, memo)
        bad = np.array([isinstance(o, str) for o in outcomes] + [False], dtype=bool)[codes]
        for at in np.flatnonzero(bad):  # a refused cell: rare, named one by one
            r = rest[at]
            where = f"row {lines[r]} ({names[r]}), column {column.header} ({column.letter}{lines[r]})"
            problem(r, 3 + j, "bad-value", outcomes[codes[at]], where)
        numbers[rest] = read
        has_note = np.array([_has_note(o) for o in outcomes] + [False], dtype=bool)[codes]
        if has_note.any():
            noted.append((rest[has_note], j, np.array([*outcomes, None], dtype=object)[codes[has_note]]))
        matrix[position[spec.id]] = numbers
        if progress:
            progress("read", j + 1, len(table.figures))
    found.sort(key=lambda p: (p[0], p[1]))
    kept = ~duplicate
    cap = limit("problems")
    if len(found) >= cap:  # _build stops before the row after the one that reaches the cap
        last = found[cap - 1][0]
        found = [p for p in found if p[0] <= last]
        kept &= np.arange(n) <= last
    problems = [p for _, _, p in found]
    if not kept.any():
        if not problems:
            problems.append(Problem("no-regions", "no regions found", file))
        return None, {}, problems
    index = pd.Index(names[kept].tolist(), name="region")
    values = pd.DataFrame((matrix if kept.all() else matrix[:, kept]).T, index=index, columns=[f.id for f in config.fields], dtype="float64", copy=False)
    meta = pd.DataFrame({"level": level[kept].tolist(), "year": years[kept].tolist(), "file": file}, index=index)
    regions = Regions(values, meta)
    _note_cells(regions, noted, names, kept, [c.spec.id for c in table.figures])
    return regions, _TablePlaces(index, lines[kept], {c.spec.id: c for c in table.figures}), problems


def _has_note(outcome: Value | str) -> bool:
    """Whether a cell's Value says more than its number (what `Regions` keeps beside it)."""
    return (
        isinstance(outcome, Value)
        and outcome.number is not None
        and bool(outcome.qualifier != "exact" or outcome.period or outcome.inferred or isinstance(outcome.year, int))
    )


def _note_cells(regions: Regions, noted: list, names: Any, kept: Any, field_ids: list[str]) -> None:
    """Put each noted cell's qualifier, period, inferred mark and year in `regions`, row by row
    and then column by column (the order `_build` keeps them in); rows not kept are skipped."""
    import numpy as np

    if not noted:
        return
    rows = np.concatenate([r for r, _, _ in noted])
    columns = np.concatenate([np.full(len(r), j) for r, j, _ in noted])
    values = np.concatenate([v for _, _, v in noted])
    order = np.lexsort((columns, rows))
    order = order[kept[rows[order]]]
    keys = list(zip(names[rows[order]].tolist(), np.array(field_ids, dtype=object)[columns[order]].tolist(), strict=True))
    values = values[order].tolist()
    regions.qualifiers.update((k, v.qualifier) for k, v in zip(keys, values, strict=True) if v.qualifier != "exact")
    regions.periods.update((k, v.period) for k, v in zip(keys, values, strict=True) if v.period)
    regions.inferred.update(k for k, v in zip(keys, values, strict=True) if v.inferred)
    regions.years.update((k, v.year) for k, v in zip(keys, values, strict=True) if isinstance(v.year, int))


# A cell that is a number in ASCII digits (1,234 separators allowed) with words around it made of
# Chinese characters, % and spaces only: 约300, 4200以上, 1.2万, 73.17%, 1,234. parse_value reads
# such a cell the same way whatever its digits are (no word it looks for can reach into them), so
# each distinct pair of words is read once, with 1 for the digits, and the digits are then cast
# column-wise and scaled by the power of ten that read gave. Characters outside this set (other
# digits, signs, brackets, letters) send the cell to parse_value whole.
_AROUND = f"[{chr(0x4E00)}-{chr(0x9FFF)}%\uff05 ]*"
_SHAPED = f"^(?P<before>{_AROUND})(?P<digits>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:[.][0-9]+)?|[0-9]+(?:[.][0-9]+)?)(?P<after>{_AROUND})$"
_SHAPED_DIGITS = 40  # longer digits go to parse_value, so the cast never meets an overflow


def _slow_cells(column: _Column, rows: Any, max_chars: int, memo: dict) -> tuple[Any, list, Any]:
    """The cells at `rows` that `_fast_column` left, read as parse_value reads them -> (their
    numbers, NaN where missing or refused; the distinct outcomes, each a Value or the message
    refusing it; each cell's index into them). Text cells in a shape `_SHAPED` describes cost one
    parse_value per distinct shape; other texts, one per distinct text (`memo`, shared across the
    columns of a table); a cell that is not text (an XLSX number parse_value refuses or scales, a
    percent cell), one each."""
    import numpy as np
    import pandas as pd

    spec, unit = column.spec, column.unit
    numbers = np.full(len(rows), np.nan)
    codes = np.full(len(rows), -1, dtype=np.intp)
    outcomes: list[Value | str] = []
    if not len(rows):
        return numbers, outcomes, codes
    taken = _take(column.cells, rows)
    raw = _objects(taken)
    text = np.array([type(v) is str for v in raw], dtype=bool) if not _is_arrow(taken) else np.ones(len(rows), dtype=bool)

    def parse(value: Any, unit_: str) -> Value | str:
        try:
            return parse_value(value, spec, unit_, max_chars=max_chars)
        except ValueError as exc:
            return str(exc)

    def memoised(value: str) -> Value | str:
        key = (value, spec.kind, unit)
        if key not in memo:
            memo[key] = parse(value, unit)
        return memo[key]

    pending = text.copy()
    if spec.kind != "flag" and text.any():
        shaped, found = _shapes(taken if _is_arrow(taken) else np.where(text, raw, None), max_chars)
        if shaped.any():
            before_codes, befores = pd.factorize(found["before"])
            after_codes, afters = pd.factorize(found["after"])
            shapes, shape_codes = np.unique(before_codes * len(afters) + after_codes, return_inverse=True)
            powers, index = np.full(len(shapes), np.nan), np.full(len(shapes), -1, dtype=np.intp)
            for k, shape in enumerate(shapes.tolist()):
                before, after = befores[shape // len(afters)], afters[shape % len(afters)]
                outcome = memoised(before + "1" + after)
                power = _power_of(outcome)
                if power is not None:
                    powers[k], index[k] = power, len(outcomes)
                    outcomes.append(outcome)
            usable = ~np.isnan(powers[shape_codes])
            at = np.flatnonzero(shaped)[usable]
            exponents = np.array([f"e{p:.0f}" for p in powers], dtype=object)[shape_codes[usable]]  # NaN powers are not usable
            numbers[at] = _decimals(found["digits"].filter(usable), exponents)
            codes[at] = index[shape_codes[usable]]
            pending[at] = False
    left = np.flatnonzero(pending)
    if len(left):
        text_codes, texts = pd.factorize(pd.Series(raw[left], dtype=object))
        start = len(outcomes)
        outcomes += [memoised(t) for t in texts]
        codes[left] = start + text_codes
    for at in np.flatnonzero(~text):  # not text: an XLSX cell, one by one
        codes[at] = len(outcomes)
        outcomes.append(parse(raw[at], "" if isinstance(raw[at], _Fraction) else unit))
    read = np.array([np.nan if isinstance(o, str) or o.number is None else o.number for o in outcomes] + [np.nan])
    numbers = np.where(np.isnan(numbers), read[codes], numbers)
    return numbers, outcomes, codes


def _shapes(cells: Any, max_chars: int) -> tuple[Any, dict]:
    """Which cells (pyarrow strings, or texts and None in an object ndarray) match `_SHAPED`
    (within the cell limit, digits within `_SHAPED_DIGITS`), and each one's words before, digits
    and words after, in object arrays."""
    import pyarrow as pa
    from pyarrow import compute

    if not _is_arrow(cells):
        cells = pa.array(cells, type=pa.string())
    parts = compute.extract_regex(cells, _SHAPED)
    digits = compute.struct_field(parts, "digits")
    shaped = parts.is_valid().to_numpy(zero_copy_only=False)
    shaped &= compute.utf8_length(cells).fill_null(max_chars + 1).to_numpy(zero_copy_only=False) <= max_chars
    shaped &= compute.utf8_length(digits).fill_null(0).to_numpy(zero_copy_only=False) <= _SHAPED_DIGITS
    found = {name: compute.struct_field(parts, name).filter(shaped).to_numpy(zero_copy_only=False) for name in ("before", "after")}
    return shaped, found | {"digits": compute.replace_substring(digits.filter(shaped), ",", "")}


def _decimals(digits: Any, exponents: str | Any) -> Any:
    """Digits (pyarrow strings, no separators) times ten to the power `exponents` writes ('e4', or
    one per cell), as float() reads '1.2e4': one correctly rounded cast, in C."""
    import pyarrow as pa
    from pyarrow import compute

    joined = compute.binary_join_element_wise(digits, exponents if isinstance(exponents, str) else pa.array(exponents, type=pa.string()), "")
    return compute.cast(joined, pa.float64()).to_numpy(zero_copy_only=False)


def _power_of(outcome: Value | str) -> int | None:
    """The power of ten a shape's read with digits '1' scaled them by (1e4 for 万, 0.01 for a
    percent), or None when it was refused, missing or is not a power of ten."""
    if isinstance(outcome, str) or outcome.number is None or outcome.number <= 0:
        return None
    power = round(math.log10(outcome.number))
    return power if float(f"1e{power}") == outcome.number else None


def _fast_column(cells: Any, spec: FieldSpec, unit: str) -> tuple[Any, Any]:
    """A field's column -> (its numbers, NaN where blank or not read; the positions of the cells
    left for parse_value). Reads plain ASCII numbers (and 0/1 for a flag) in text, and XLSX
    numbers, exactly as parse_value does: the same float() rounding, the header's unit, and a
    number that is not finite left to parse_value to refuse."""
    import numpy as np

    numbers = np.full(len(cells), np.nan)
    power = 0 if spec.kind == "flag" else _power(spec, unit)
    plain = _matches(cells, _FAST_FLAG) if spec.kind == "flag" else _plain_numbers(cells)
    if power and plain.any():  # a number with an exponent, 1.2E+5, is scaled by parse_value
        plain = plain & ~_matches(cells, "[^eE]*[eE].*")
    if plain.any():
        numbers[plain] = _floats(cells if plain.all() else _take(cells, np.flatnonzero(plain)), power)
    done = plain
    if not _is_arrow(cells):  # XLSX: a number cell (not a bool, not a percent-formatted _Fraction)
        number = cells.map(type).isin([float, int]).to_numpy()
        if number.any():
            try:
                found = np.asarray(cells[number].tolist(), dtype=np.float64)
                numbers[number] = _times_ten_array(found, power)  # NaN where parse_value is to read it
                done = done | number
            except OverflowError:  # an int of hundreds of digits: parse_value says so
                pass
    if spec.kind == "flag":
        done = done | _flag_words(cells, np.flatnonzero(~done), numbers)
    done = done & np.isfinite(numbers)
    numbers[~done] = np.nan
    rest = np.flatnonzero(~done)
    return numbers, rest[_filled(_take(cells, rest))] if len(rest) < len(cells) else rest[_filled(cells)]


def _flag_words(cells: Any, rows: Any, numbers: Any) -> Any:
    """Which cells at `rows` are a yes/no word (是/否, 有/无, √ …: i18n.flag_number), their 1 or 0
    put in `numbers`: each distinct word looked up once, as parse_value reads it (a word with a
    note or a period, 是（推算）, is left to parse_value)."""
    import numpy as np
    import pandas as pd

    hit = np.zeros(len(numbers), dtype=bool)
    if not len(rows):
        return hit
    codes, words = pd.factorize(pd.Series(_texts(_take(cells, rows)), dtype=object))
    known = np.array([*(np.nan if (v := flag_number(w)) is None else float(v) for w in words), np.nan])[codes]
    found = ~np.isnan(known)
    numbers[rows[found]] = known[found]
    hit[rows[found]] = True
    return hit


# ---------------------------------------------------------------- columns of cells
# A table's column is a pyarrow ChunkedArray of strings (a CSV read by pyarrow) or a pandas Series
# of Python objects (an XLSX sheet, or a CSV read by the csv module; None where a row has no cell).


def _is_arrow(cells: Any) -> bool:
    return type(cells).__module__.startswith("pyarrow")


def _matches(cells: Any, pattern: str, *, whole: bool = True) -> Any:
    """Which cells are text matching `pattern` (whole, or at the start): a bool ndarray. Python's
    re for objects, RE2 for pyarrow strings; the patterns here mean the same in both."""
    import numpy as np

    if _is_arrow(cells):
        from pyarrow import compute

        found = compute.match_substring_regex(cells, f"^(?:{pattern})$" if whole else f"^(?:{pattern})")
        return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)
    try:
        text = cells.str
    except AttributeError:  # an XLSX column without any text
        return np.zeros(len(cells), dtype=bool)
    return (text.fullmatch(pattern, na=False) if whole else text.match(pattern, na=False)).to_numpy(dtype=bool)


def _plain_numbers(cells: Any) -> Any:
    """Which cells match _FAST_NUMBER. In pyarrow, the cells of ASCII digits alone (most of a count
    column) are found by a cheaper test, and the pattern runs only on the rest."""
    import numpy as np

    if not _is_arrow(cells):
        return _matches(cells, _FAST_NUMBER)
    from pyarrow import compute

    digits = compute.ascii_is_decimal(cells).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    rest = np.flatnonzero(~digits)
    if len(rest):
        digits[rest] = _matches(cells.take(rest), _FAST_NUMBER)
    return digits


def _filled(cells: Any) -> Any:
    """Which cells hold something: not missing, and text with a character str.strip() keeps."""
    if _is_arrow(cells):
        from pyarrow import compute

        return compute.match_substring_regex(cells, f"[^{_WS}]").fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)
    return cells.notna().to_numpy() & ~_matches(cells, f"[{_WS}]*")


def _take(cells: Any, rows: Any) -> Any:
    """The cells at positions `rows`, as a column of the same kind."""
    if _is_arrow(cells):
        return cells.take(rows)
    return cells.iloc[rows].reset_index(drop=True)


def _at(cells: Any, row: int) -> Any:
    return cells[row].as_py() if _is_arrow(cells) else cells.iat[row]


def _floats(cells: Any, power: int = 0) -> Any:
    """Cells that all match _FAST_NUMBER (and, with a `power`, have no exponent) -> float64 times
    10**power, rounded once as float() rounds: `_shifted` on each cell."""
    import numpy as np

    if _is_arrow(cells):
        import pyarrow as pa
        from pyarrow import compute

        if power:
            return _decimals(compute.utf8_trim(cells, _ASCII_WS), f"e{power}")
        try:  # usually no cell has spaces to strip
            return compute.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            return compute.cast(compute.utf8_trim(cells, _ASCII_WS), pa.float64()).to_numpy(zero_copy_only=False)
    text = cells.str.strip(_ASCII_WS)
    if power:
        text = text + f"e{power}"
    return np.asarray(text.tolist(), dtype=object).astype(np.float64)  # float() on each, in C


def _times_ten_array(numbers: Any, power: int) -> Any:
    """`_times_ten` on a column of floats; NaN where a number's shortest form has an exponent
    (1e+20) or it is not finite, for parse_value to read."""
    import numpy as np

    if not power:
        return numbers
    read = np.isfinite(numbers)
    text = numbers.astype(str)  # numpy's shortest round-trip digits, as repr() gives them
    read &= np.char.find(text, "e") < 0
    out = np.full(len(numbers), np.nan)
    out[read] = np.char.add(text[read], f"e{power}").astype(np.float64)
    return out


def _texts(cells: Any) -> Any:
    """Each cell as stripped text (str() of an XLSX number), in an object ndarray; None where missing."""
    if _is_arrow(cells):
        from pyarrow import compute

        return compute.utf8_trim(cells, _WS).to_numpy(zero_copy_only=False)
    cells = cells.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return cells.str.strip(_WS).to_numpy(dtype=object, na_value=None) if len(cells) else cells.to_numpy(dtype=object)


def _objects(cells: Any) -> Any:
    """The cells as read, in an object ndarray; None where missing."""
    if _is_arrow(cells):
        return cells.to_numpy(zero_copy_only=False)
    return cells.to_numpy(dtype=object, na_value=None)


class _TablePlaces:
    """Where each figure of a table sits, worked out only for the cells a message names (`validate`
    asks by (region, field)), instead of a Place object for every cell."""

    def __init__(self, index: Any, lines: Any, columns: dict[str, _Column]):
        self.index, self.lines, self.columns = index, lines, columns
        self._line_of: dict[str, int] | None = None  # region -> line, made on the first question

    def get(self, cell: tuple[str, str], default: Place | None = None) -> Place | None:
        if self._line_of is None:
            self._line_of = dict(zip(self.index.tolist(), self.lines.tolist(), strict=True))
        region, field_id = cell
        column = self.columns.get(field_id)
        line = self._line_of.get(region)
        if column is None or line is None:
            return default
        return Place(where=f"row {line} ({region}), column {column.header} ({column.letter}{line})")


def validate(regions: Regions, config: Config, places: Any, file: str, *, notices: bool = True) -> list[Problem]:
    """Check every figure against its field, column by column; return every problem found (the
    notes of severity info only with `notices`: a table of 100,000 regions may have 100,000)."""
    import numpy as np

    values = regions.values
    problems: list[Problem] = []
    cap = limit("problems")

    def flag(mask, field_id: str, message, severity: str = "error") -> None:
        for region in values.index[np.asarray(mask, dtype=bool)]:
            if too_many(problems, cap):
                return  # listed no further (load_regions says so)
            place = places.get((region, field_id), Place(where=f"{region}: {field_id}"))
            problems.append(Problem("bad-value", message(region), file, place.line, place.column, place.where, severity))

    suspect = _suspect_fields(values, config)
    for spec in config.fields:
        if spec.id not in suspect:  # nothing in this field's column can be flagged below
            continue
        col = values[spec.id]
        present = col.notna()
        if not present.any():
            continue
        shown = lambda r, c=col: _fmt(c[r])  # noqa: E731
        if spec.kind == "count":
            flag(present & (col != np.floor(col)), spec.id, lambda r, s=shown: f"expected a whole number for {spec.id} ({spec.zh}), found {s(r)}")
        if spec.kind == "flag":
            flag(present & ~col.isin([0.0, 1.0]), spec.id, lambda r, s=shown: f"expected yes/no (是/否) for {spec.id}, found {s(r)}")
        low, high = _bounds(spec)
        if low is not None:
            noun = "a count" if spec.kind == "count" else f"a {spec.kind}"
            flag(present & (col < low), spec.id, lambda r, s=shown, n=noun, lo=low: f"{spec.id}: {n} cannot be below {_fmt(lo)}, found {s(r)}")
        if high is not None:
            hint = ' (write a share as a fraction, e.g. 0.7317, or as "73.17%")' if spec.kind == "share" else ""
            flag(present & (col > high), spec.id, lambda r, s=shown, h=high, t=hint: f"{spec.id}: expected at most {_fmt(h)}, found {s(r)}{t}")
        if spec.part_of:
            whole = values[spec.part_of].sum(axis=1, min_count=len(spec.part_of))
            name = " + ".join(spec.part_of)
            flag(
                present & whole.notna() & (col > whole),
                spec.id,
                lambda r, s=shown, w=whole, n=name: f"{spec.id}: part larger than its whole: {s(r)} > {n} = {_fmt(w[r])}",
            )
    year = regions.meta["year"]
    for cell, period in regions.periods.items():
        if period in REFUSED_PERIODS.get(config.field_by_id[cell[1]].period, ()):
            place = places.get(cell, Place(where=f"{cell[0]}: {cell[1]}"))
            holds = "yearly" if config.field_by_id[cell[1]].period == "annual" else "stock"
            problems.append(
                Problem(
                    f"{period}-figure",
                    f"{cell[1]}: a {period} figure in a {holds} field; indicators that read it leave it unassessed",
                    file,
                    place.line,
                    place.column,
                    place.where,
                    "warning",
                    {"field": cell[1]},
                )
            )
    for cell, qualifier in regions.qualifiers.items() if notices else ():  # notes (info), for scast validate
        if qualifier in ("approx", "lower_bound", "upper_bound"):
            place = places.get(cell, Place(where=f"{cell[0]}: {cell[1]}"))
            problems.append(
                Problem(
                    "approximate",
                    f"{cell[1]}: an approximate figure ({qualifier}); scored as the stated number",
                    file,
                    place.line,
                    place.column,
                    place.where,
                    "info",
                    {"field": cell[1], "qualifier": qualifier},
                )
            )
    for cell in sorted(regions.inferred) if notices else ():
        place = places.get(cell, Place(where=f"{cell[0]}: {cell[1]}"))
        problems.append(
            Problem(
                "inferred",
                f"{cell[1]}: an inferred figure, worked out rather than reported",
                file,
                place.line,
                place.column,
                place.where,
                "info",
                {"field": cell[1]},
            )
        )
    for cell, denominator_year in regions.years.items():
        report_year = year.get(cell[0])
        if report_year is not None and not (isinstance(report_year, float) and np.isnan(report_year)) and abs(int(report_year) - denominator_year) > 3:
            place = places.get(cell, Place(where=f"{cell[0]}: {cell[1]}"))
            problems.append(
                Problem(
                    "old-denominator",
                    f"{cell[1]}: figure from {denominator_year}, more than 3 years from the report year {int(report_year)}",
                    file,
                    place.line,
                    place.column,
                    place.where,
                    "warning",
                    {"field": cell[1], "year": denominator_year, "report_year": int(report_year)},
                )
            )
    return problems


def _bounds(spec: FieldSpec) -> tuple[float | None, float | None]:
    """A field's lowest and highest allowed figure (None: no bound): its own min and max, else 0
    for a count, share or money and 1 for a share. `validate` and `_suspect_fields` both ask here."""
    low = spec.min if spec.min is not None else (0.0 if spec.kind in ("count", "share", "money") else None)
    high = spec.max if spec.max is not None else (1.0 if spec.kind == "share" else None)
    return low, high


def _suspect_fields(values: Any, config: Config) -> set[str]:
    """The fields whose column may hold a figure `validate` flags (not whole for a count, not 0 or 1
    for a flag, out of bounds, a part larger than its whole, with a margin), found for every field
    at once; the others need no check of their own, which is most of them."""
    import numpy as np

    fields = config.fields
    ids = [f.id for f in fields]
    if list(values.columns) != ids:  # not as the readers build it: check every field
        return set(ids)
    matrix = values.to_numpy(dtype=np.float64)
    kind = np.array([f.kind for f in fields])
    low = np.array([-np.inf if (b := _bounds(f)[0]) is None else b for f in fields], dtype=np.float64)
    high = np.array([np.inf if (b := _bounds(f)[1]) is None else b for f in fields], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = (matrix != np.floor(matrix)) & (kind == "count")
        bad |= (matrix != 0) & (matrix != 1) & (kind == "flag")
        bad |= (matrix < low) | (matrix > high)
        bad &= ~np.isnan(matrix)
    suspect = {ids[j] for j in np.flatnonzero(bad.any(axis=0))}
    position = {f: j for j, f in enumerate(ids)}
    for j, spec in enumerate(fields):
        if spec.part_of and spec.id not in suspect:
            whole = matrix[:, [position[p] for p in spec.part_of]].sum(axis=1)  # NaN unless every part is there
            with np.errstate(invalid="ignore", over="ignore"):
                below = np.where(np.isfinite(whole), whole - 1e-9 * np.maximum(1.0, np.abs(whole)), whole)  # a margin; inf stays inf
                if (matrix[:, j] > below).any():  # the exact check decides
                    suspect.add(spec.id)
    return suspect


def _fmt(x: float) -> str:
    """10,759 or 0.7317; a huge figure as 1e+300, not three hundred digits."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,.4g}"
