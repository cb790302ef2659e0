"""Region files -> a `Regions` table (one row per region, one column per field).

The reader resolves figure names (id, zh or en label, alias; case, width and a trailing unit in
brackets ignored), parses every value through one parser (`parse_value`), keeps each figure's
qualifier, period, inferred mark and source beside the number, and validates the whole table at
once (kinds, bounds, part <= whole), reporting every problem with its file and line.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scast_cli.config import Config, FieldSpec, read_yaml
from scast_cli.errors import Problem, ScastError, UsageError, did_you_mean

LEVELS = ("province", "prefecture", "county", "township")
QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approx", "claimed")
PERIODS = ("point", "annual", "cumulative")

# Words Chinese reports put around a number, and what they say about it.
_LOWER = ("以上", "余", "餘", "多", "超过", "超過", "超", "逾")
_UPPER = ("近", "不足", "不到")
_APPROX = ("约", "約", "左右", "大约", "大約")
_MULTIPLIERS = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_MISSING = {"", "-", "—", "–", "无数据", "無數據", "n/a", "na", "none", "null"}
_YES = {"是", "有", "yes", "y", "true", "1"}
_NO = {"否", "无", "無", "no", "n", "false", "0"}
_NUMBER = re.compile(r"[-+]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?")


@dataclass(frozen=True)
class Value:
    """A parsed figure: the number and what the source said about it."""

    number: float | None
    qualifier: str = "exact"


def normalise(text: str) -> str:
    """Fold width, case and spacing so headers and keys compare as a person reads them."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    text = re.sub(r"\s*[(\[（【][^()\[\]（）【】]*[)\]）】]\s*$", "", text)  # trailing "(万元)"
    return re.sub(r"[\s_\-]+", "", text)


def field_lookup(config: Config) -> dict[str, FieldSpec]:
    """Every spelling a field may arrive under -> the field."""
    lookup: dict[str, FieldSpec] = {}
    for f in config.fields:
        for name in (f.id, f.zh, f.en, *f.aliases):
            lookup.setdefault(normalise(name), f)
    return lookup


def parse_value(raw: Any, spec: FieldSpec) -> Value:
    """One cell or YAML scalar -> Value; raises ValueError with what was expected."""
    if raw is None:
        return Value(None)
    if isinstance(raw, bool):
        if spec.kind != "flag":
            raise ValueError(f"expected a number, found {raw!r}")
        return Value(1.0 if raw else 0.0)
    if isinstance(raw, int | float):
        return Value(float(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    low = text.casefold()
    if low in _MISSING:
        return Value(None)
    if spec.kind == "flag":
        if low in _YES:
            return Value(1.0)
        if low in _NO:
            return Value(0.0)
        raise ValueError(f"expected yes/no (是/否), found {text!r}")
    qualifier = "exact"
    for words, name in ((_APPROX, "approx"), (_LOWER, "lower_bound"), (_UPPER, "upper_bound")):
        for word in sorted(words, key=len, reverse=True):
            if text.startswith(word) or text.endswith(word) or re.search(rf"\d{word}", text):
                text = text.replace(word, "", 1).strip()
                qualifier = name
                break
        if qualifier != "exact":
            break
    text = re.sub(r"(人次|人|个|個|名|家|所|场|場|次|户|戶|支|处|處|元|份|期|条|條|件|项|項|篇)$", "", text).strip()
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    multiplier = 1.0
    if text and text[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[text[-1]]
        text = text[:-1].strip()
    if not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
        raise ValueError(f"expected a number, found {str(raw)!r}")
    number = float(text.replace(",", "")) * multiplier
    if percent:
        if spec.kind != "share":
            raise ValueError(f"a percent is only allowed for a share, found {str(raw)!r}")
        number /= 100
    return Value(number, qualifier)


@dataclass
class Regions:
    """The regions to score: numbers in `values`, what is known about each figure beside it."""

    values: Any  # pandas DataFrame: index = region name, columns = field ids, float (NaN = missing)
    meta: Any  # DataFrame: level, year, file
    qualifiers: dict[tuple[str, str], str] = field(default_factory=dict)  # (region, field) -> not exact
    periods: dict[tuple[str, str], str] = field(default_factory=dict)
    inferred: set[tuple[str, str]] = field(default_factory=set)
    years: dict[tuple[str, str], int] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(self.values.index)

    def select(self, name: str | None) -> Regions:
        """Only the region called `name` (None: the only region, else an error listing them)."""
        if name is None:
            if len(self.names) == 1:
                return self
            raise UsageError.one(f"holds {len(self.names)} regions; choose one with --region: {', '.join(self.names)}", code="choose-region")
        if name not in self.names:
            raise UsageError.one(f"no region '{name}'{did_you_mean(name, self.names)}; regions: {', '.join(self.names)}", code="unknown-region")
        keep = lambda d: {k: v for k, v in d.items() if k[0] == name}  # noqa: E731
        return Regions(
            self.values.loc[[name]], self.meta.loc[[name]], keep(self.qualifiers), keep(self.periods),
            {k for k in self.inferred if k[0] == name}, keep(self.years), keep(self.sources), self.warnings,
        )


def read_regions(path: str | Path, config: Config) -> Regions:
    """Read a region file (YAML: one region, or `regions:` with a list) and validate it."""
    path = Path(path)
    name = str(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ScastError.one(f"unsupported file type '{path.suffix}'; expected a .yaml region file", file=name, code="file-type")
    data, root = read_yaml(path)
    if isinstance(data, dict) and "regions" in data:
        entries, nodes = data["regions"], _child(root, "regions")
        base: list = ["regions"]
    else:
        entries, nodes, base = [data], None, []
    if not isinstance(entries, list) or not entries:
        raise ScastError.one("expected a region (region:, figures:) or a list under regions:", file=name, line=1, code="no-regions")
    lookup = field_lookup(config)
    problems: list[Problem] = []
    rows: list[dict] = []
    region = _RegionRows()
    for i, entry in enumerate(entries):
        node = nodes.value[i] if nodes is not None and i < len(nodes.value) else root
        rows.append(_read_entry(entry, node, name, lookup, region, problems, base + [i] if base else []))
    if problems:
        raise ScastError(problems)
    regions = _table(rows, region, config, name)
    problems = validate(regions, config, region.positions, name)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ScastError(errors)
    regions.warnings = [p for p in problems if p.severity == "warning"]
    return regions


@dataclass
class _RegionRows:
    positions: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (region, field) -> line, col
    qualifiers: dict = field(default_factory=dict)
    periods: dict = field(default_factory=dict)
    inferred: set = field(default_factory=set)
    years: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)


def _child(node, key):
    if node is not None and hasattr(node, "value") and isinstance(node.value, list):
        for item in node.value:
            if isinstance(item, tuple) and item[0].value == key:
                return item[1]
    return None


def _mark(node) -> tuple[int | None, int | None]:
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (None, None)


def _read_entry(entry, node, file, lookup, out: _RegionRows, problems: list[Problem], where: list) -> dict:
    prefix = "".join(f"[{w}]" if isinstance(w, int) else w for w in where)

    def problem(code, message, at, key):
        line, col = _mark(at)
        problems.append(Problem(code, message, file, line, col, f"{prefix}.{key}" if prefix else key))

    if not isinstance(entry, dict):
        problem("not-a-mapping", "expected a mapping with region:, level:, year: and figures:", node, "region")
        return {}
    allowed = {"region", "level", "year", "figures", "sources", "notes"}
    for key in entry:
        if key not in allowed:
            problem("unknown-key", f"unknown key '{key}'{did_you_mean(str(key), allowed)}; expected {', '.join(sorted(allowed))}", _child(node, key), str(key))
    name = entry.get("region")
    if not isinstance(name, str | int) or not str(name).strip():
        problem("missing-region", "region: expected the region's name", _child(node, "region") or node, "region")
        name = f"#{len(problems)}"
    name = str(name).strip()
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        problem("bad-level", f"expected one of {', '.join(LEVELS)}, found {level!r}", _child(node, "level"), "level")
    year = entry.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        problem("bad-year", f"expected a year between 2000 and 2100, found {year!r}", _child(node, "year"), "year")
    figures = entry.get("figures") or {}
    sources = entry.get("sources") or {}
    if not isinstance(figures, dict):
        problem("bad-figures", "figures: expected a mapping of field -> value", _child(node, "figures"), "figures")
        figures = {}
    figure_nodes = _child(node, "figures")
    row: dict = {"__region": name, "__level": level, "__year": year}
    for key, raw in figures.items():
        key_node = next((k for k, _ in (figure_nodes.value if figure_nodes is not None else []) if k.value == str(key)), None)
        value_node = _child(figure_nodes, str(key))
        spec = lookup.get(normalise(key))
        if spec is None:
            close = difflib.get_close_matches(normalise(key), list(lookup), n=1, cutoff=0.6)
            hint = f" (did you mean '{lookup[close[0]].id}'?)" if close else ""
            problem("unknown-field", f"unknown field '{key}'{hint}; the fields are listed in the indicators file", key_node, f"figures.{key}")
            continue
        if spec.id in row:
            problem("duplicate-field", f"'{key}' is the field '{spec.id}', which is already given", key_node, f"figures.{key}")
            continue
        meta = {}
        if isinstance(raw, dict):
            meta, raw = raw, raw.get("value")
            extra = set(meta) - {"value", "qualifier", "period", "inferred", "source", "year", "note"}
            if extra:
                problem("unknown-key", f"unknown key(s) {', '.join(map(str, sorted(extra)))}; a figure takes value, qualifier, period, inferred, year, source", value_node, f"figures.{key}")
        try:
            value = parse_value(raw, spec)
        except ValueError as exc:
            problem("bad-value", f"{exc} for {spec.id} ({spec.zh})", value_node, f"figures.{key}")
            continue
        qualifier = meta.get("qualifier", value.qualifier)
        if qualifier not in QUALIFIERS:
            problem("bad-qualifier", f"qualifier: expected one of {', '.join(QUALIFIERS)}, found {qualifier!r}", value_node, f"figures.{key}")
        period = meta.get("period")
        if period is not None and period not in PERIODS:
            problem("bad-period", f"period: expected one of {', '.join(PERIODS)}, found {period!r}", value_node, f"figures.{key}")
        row[spec.id] = value.number
        cell = (name, spec.id)
        out.positions[cell] = _mark(value_node)
        if qualifier != "exact":
            out.qualifiers[cell] = qualifier
        if period:
            out.periods[cell] = period
        if meta.get("inferred"):
            out.inferred.add(cell)
        if isinstance(meta.get("year"), int):
            out.years[cell] = meta["year"]
        source = meta.get("source") or (sources.get(key) if isinstance(sources, dict) else None)
        if source:
            out.sources[cell] = str(source)
    return row


def _table(rows: list[dict], region: _RegionRows, config: Config, file: str) -> Regions:
    import pandas as pd

    names = [r["__region"] for r in rows]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ScastError.one(f"region(s) appear more than once: {', '.join(dupes)}", file=file, code="duplicate-region")
    columns = [f.id for f in config.fields]
    values = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("__")} for r in rows], index=pd.Index(names, name="region"), columns=columns, dtype="float64")
    meta = pd.DataFrame({"level": [r["__level"] for r in rows], "year": [r["__year"] for r in rows], "file": file}, index=values.index)
    return Regions(values, meta, region.qualifiers, region.periods, region.inferred, region.years, region.sources)


def validate(regions: Regions, config: Config, positions: dict, file: str) -> list[Problem]:
    """Check every figure against its field, column by column; return every problem found."""
    import numpy as np

    values = regions.values
    problems: list[Problem] = []

    def flag(mask, field_id: str, message) -> None:
        for region in values.index[np.asarray(mask, dtype=bool)]:
            line, col = positions.get((region, field_id), (None, None))
            text = message(region) if callable(message) else message
            problems.append(Problem("bad-value", text, file, line, col, f"{region}: {field_id}"))

    for spec in config.fields:
        col = values[spec.id]
        present = col.notna()
        if not present.any():
            continue
        shown = lambda r, c=col: _fmt(c[r])  # noqa: E731
        if spec.kind == "count":
            flag(present & (col != np.floor(col)), spec.id, lambda r, s=shown: f"expected a whole number ({spec.zh}), found {s(r)}")
        if spec.kind == "flag":
            flag(present & ~col.isin([0.0, 1.0]), spec.id, lambda r, s=shown: f"expected yes/no (1/0), found {s(r)}")
        low = spec.min if spec.min is not None else (0.0 if spec.kind in ("count", "share", "money") else None)
        high = spec.max if spec.max is not None else (1.0 if spec.kind == "share" else None)
        if low is not None:
            noun = "a count" if spec.kind == "count" else spec.kind
            flag(present & (col < low), spec.id, lambda r, s=shown: f"{noun} cannot be below {_fmt(low)}, found {s(r)}")
        if high is not None:
            hint = " (write a share as a fraction, e.g. 0.7317, or as \"73.17%\")" if spec.kind == "share" else ""
            flag(present & (col > high), spec.id, lambda r, s=shown: f"expected at most {_fmt(high)}, found {s(r)}{hint}")
        if spec.part_of:
            whole = values[spec.part_of].sum(axis=1, min_count=len(spec.part_of))
            whole_name = " + ".join(spec.part_of)
            flag(present & whole.notna() & (col > whole), spec.id, lambda r, s=shown, w=whole: f"part larger than its whole: {s(r)} > {whole_name} = {_fmt(w[r])}")
    for (region, field_id), period in regions.periods.items():
        spec = config.field_by_id[field_id]
        if spec.period == "annual" and period == "cumulative":
            line, col = positions.get((region, field_id), (None, None))
            problems.append(Problem("cumulative-figure", f"a cumulative figure in an annual field: indicators that need a yearly rate leave it unassessed", file, line, col, f"{region}: {field_id}", "warning"))
    year = regions.meta["year"]
    for (region, field_id), denominator_year in regions.years.items():
        report_year = year.get(region)
        if report_year is not None and abs(int(report_year) - denominator_year) > 3:
            line, col = positions.get((region, field_id), (None, None))
            problems.append(Problem("old-denominator", f"figure from {denominator_year}, more than 3 years from the report year {int(report_year)}", file, line, col, f"{region}: {field_id}", "warning"))
    return problems


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"
