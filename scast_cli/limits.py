"""How much scast will read, and reading input files within it.

Every file scast reads is untrusted: a pipe, a device or a zip bomb given as input, a YAML alias
bomb or a sheet 16,000 columns wide must be refused with one clear line, never hang or exhaust
memory. Each limit lives here once, with why it is where it is; a message that refuses an input
names the limit (`exceeds`). The limits a real user may need to raise read an environment
variable, a positive whole number:

    SCAST_MAX_TABLE_MB     size of a CSV or XLSX file, in MB (default 300)
    SCAST_MAX_YAML_MB      size of a YAML file (region or indicators), in MB (default 5)
    SCAST_MAX_XLSX_XML_MB  the XML an XLSX file unpacks to, in MB (default 25)
    SCAST_MAX_ROWS         rows in a sheet (default 1,000,000)
    SCAST_MAX_COLUMNS      columns in a sheet (default 2,000)
    SCAST_MAX_CELLS        cells in a sheet, empty ones within a row included (default 50,000,000)
    SCAST_MAX_CELL_CHARS   characters in one cell or YAML value (default 10,000)
    SCAST_MAX_YAML_KEYS    keys in one YAML file, all mappings together (default 20,000)
    SCAST_MAX_PROBLEMS     problems listed for one file before reading stops (default 1,000)

`read_input` is the one way an input file is opened: it refuses anything that is not a regular
file (a folder, a named pipe, a device, also behind a symlink) from `os.stat` before opening it,
and never reads more than the size limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from scast_cli.errors import Problem, ScastError, UsageError


@dataclass(frozen=True)
class Limit:
    value: int
    unit: str
    why: str
    env: str | None = None  # the environment variable that overrides `value`, when a user may need more


LIMITS: dict[str, Limit] = {
    # every village of China (about 490,000 regions, every field filled) is about 205 MB of CSV; a
    # file is read whole into memory and reading holds about five times its size at its peak
    # (2.2 GB for the 420 MB of a million regions), so 300 MB bounds reading near 1.5 GB
    "table_mb": Limit(300, "MB", "a village table of all China is about 205 MB; a sheet is read whole into memory", "SCAST_MAX_TABLE_MB"),
    "yaml_mb": Limit(5, "MB", "the bundled indicators file is 120 KB; YAML is parsed whole into memory", "SCAST_MAX_YAML_MB"),
    "xlsx_xml_mb": Limit(25, "MB", "openpyxl parses about 2 MB of XML a second; 10,000 regions of 50 fields unpack to about 20 MB", "SCAST_MAX_XLSX_XML_MB"),
    "rows": Limit(1_000_000, "rows", "far more than the townships of all China; bounds time and memory", "SCAST_MAX_ROWS"),
    "columns": Limit(2_000, "columns", "one column per field and a few more; 16,000 columns is a mistake or an attack", "SCAST_MAX_COLUMNS"),
    # reading a CSV is linear, column by column (about 2 s per 100,000 regions of 85 fields); the
    # village table (490,000 x 85 = 42 million cells) fits; the per-cell fallback (the csv module,
    # or XLSX, which xlsx_xml_mb bounds first) holds each cell as a Python string, about 3 GB at the limit
    "cells": Limit(50_000_000, "cells", "every village of China (490,000 regions of 85 fields) fits; bounds time and memory", "SCAST_MAX_CELLS"),
    "cell_chars": Limit(10_000, "characters", "a figure, a name or a note is short; bounds the work of every pattern on a cell", "SCAST_MAX_CELL_CHARS"),
    "header_rows": Limit(30, "rows", "title rows above the header are few; the header is searched no further"),
    "yaml_aliases": Limit(100, "aliases", "the formats need none; aliases of aliases grow exponentially (a 'billion laughs' bomb)"),
    "yaml_depth": Limit(50, "levels", "the formats nest 5 deep; deeper documents exhaust recursive parsers"),
    "yaml_keys": Limit(20_000, "keys", "the bundled indicators file has 2,400; bounds the work per key", "SCAST_MAX_YAML_KEYS"),
    "yaml_nodes": Limit(1_000_000, "values", "a 5 MB file holds fewer; an alias bomb expands to billions"),
    "problems": Limit(1_000, "problems", "nobody reads more; a broken table of a million rows stops early", "SCAST_MAX_PROBLEMS"),
    "formula_chars": Limit(2_000, "characters", "the longest bundled formula has 90"),
    "formula_nesting": Limit(50, "levels", "parentheses and calls; the bundled formulas nest 2 deep"),
    "formula_depth": Limit(200, "levels", "syntax-tree depth, e.g. a sum of 200 terms; bounds the recursive compiler"),
}


def limit(name: str) -> int:
    """The limit `name`: its environment variable when set, else the default."""
    spec = LIMITS[name]
    raw = os.environ.get(spec.env, "").strip() if spec.env else ""
    if not raw:
        return spec.value
    value = raw.replace("_", "").replace(",", "")
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise UsageError.one(f"{spec.env}: expected a positive whole number ({spec.unit}), found {raw[:40]!r}", code="bad-limit")
    return int(value)


def exceeds(name: str) -> str:
    """'the limit is 2,000 columns (set SCAST_MAX_COLUMNS to allow more)' for a message."""
    spec = LIMITS[name]
    more = f" (set {spec.env} to allow more)" if spec.env else ""
    return f"the limit is {limit(name):,} {spec.unit}{more}"


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_input(path: str | Path, expected: str, *, size: str, error: type[ScastError] = UsageError) -> int:
    """Refuse `path` unless it is a regular file within the size limit `size`; return its size.

    `expected` says what should be there ("a region file (.yaml, .csv or .xlsx)"). A missing file
    or one that is not a regular file raises `error` (UsageError when named on the command line, a
    ScastError when a config names it); a file over the limit is bad data (ScastError).
    """
    name = str(path)
    try:
        info = os.stat(path)  # follows symlinks: /dev/zero behind a link is still a device
    except (FileNotFoundError, NotADirectoryError):
        raise error.one(f"file not found; expected {expected}", file=name, code="file-not-found") from None
    except OSError as exc:
        raise ScastError.one(f"cannot read: {exc.strerror or exc}", file=name, code="unreadable") from None
    _refuse_kind(info, path, expected, error)
    cap = limit(size) * 1_000_000
    if info.st_size > cap:
        raise ScastError.one(f"is {info.st_size / 1e6:,.1f} MB, too large to read; {exceeds(size)}", file=name, code="too-large")
    return info.st_size


def _refuse_kind(info: os.stat_result, path: str | Path, expected: str, error: type[ScastError]) -> None:
    kind = _kind(info.st_mode)
    if kind is None:
        return
    via = f" (a symlink to {os.path.realpath(path)})" if os.path.islink(path) else ""
    raise error.one(f"is {kind}{via}, not a regular file; expected {expected}", file=str(path), code="not-a-file")


def read_input(path: str | Path, expected: str, *, size: str, error: type[ScastError] = UsageError) -> bytes:
    """The bytes of the regular file `path`, refused as `check_input` says; never more than the limit.

    The file is opened without blocking and checked again once open, so a file swapped for a pipe
    between the check and the open cannot hang the read; at most limit + 1 bytes are read, so a
    file that grows while it is read is still refused.
    """
    check_input(path, expected, size=size, error=error)
    name = str(path)
    cap = limit(size) * 1_000_000
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ScastError.one(f"cannot read: {exc.strerror or exc}", file=name, code="unreadable") from None
    with os.fdopen(fd, "rb") as handle:
        _refuse_kind(os.fstat(handle.fileno()), path, expected, error)
        try:
            data = handle.read(cap + 1)
        except OSError as exc:
            raise ScastError.one(f"cannot read: {exc.strerror or exc}", file=name, code="unreadable") from None
    if len(data) > cap:
        raise ScastError.one(f"is larger than {limit(size):,} MB, too large to read; {exceeds(size)}", file=name, code="too-large")
    return data


def too_many(problems: list[Problem], cap: int | None = None) -> bool:
    """True once a file has as many errors and warnings as are listed: reading it stops there.
    Notes (severity "info": an approximate or inferred figure) do not count. A loop over many rows
    passes `cap` = limit("problems"), read once."""
    cap = limit("problems") if cap is None else cap
    return len(problems) >= cap and sum(p.severity != "info" for p in problems) >= cap


def bounded(problems: list[Problem], file: str | None) -> list[Problem]:
    """At most `problems` errors and warnings, then one saying that more were not listed (reading
    stopped there). Notes do not count toward that cap: at most as many are kept, then one note
    saying how many more there were."""
    cap = limit("problems")
    if len(problems) < cap:
        return problems
    kept: list[Problem] = []
    serious = notes = 0
    for p in problems:
        if p.severity == "info":
            notes += 1
            if notes <= cap:
                kept.append(p)
        else:
            serious += 1
            if serious <= cap:
                kept.append(p)
    if serious >= cap:
        kept.append(Problem("too-many-problems", f"more problems not listed: reading stopped at {cap:,}; {exceeds('problems')}", file, params={"limit": cap}))
    if notes > cap:
        message = f"{notes - cap:,} more notes (approximate or inferred figures) not listed after the first {cap:,}; {exceeds('problems')}"
        kept.append(Problem("too-many-problems", message, file, severity="info", params={"limit": cap}))
    return kept
