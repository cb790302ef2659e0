"""The output of `scast rank` (analysis.rank in, text out): terminal, markdown, CSV, XLSX.

Terminal and markdown show the groups of the kind the overall score is made of (dimensions by
default); CSV, XLSX and JSON carry every group.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scast_cli.i18n import t, value_word
from scast_cli.render import fmt_grade, fmt_range, fmt_score, plain_data, print_parts
from scast_cli.render.machine import Column, Sheet, xlsx_bytes
from scast_cli.render.machine import csv_blocks as machine_csv_blocks
from scast_cli.render.markdown import _table
from scast_cli.safe import markdown_text

KINDS = ("dimension", "framework", "standard")
SECTIONS = ("ranked", "incomplete", "unscored")


def key_label(data: dict, lang: str) -> str:
    by = data["by"]
    return t(lang, "overall_key") if by["kind"] == "overall" else by["label"]


def section_title(data: dict, section: str, lang: str) -> str:
    if section == "ranked":
        return t(lang, "ranked")
    if section == "incomplete":
        return t(lang, "incomplete", threshold=f"{data['min_completeness'] * 100:.0f}%")
    return t(lang, "unscored", what=key_label(data, lang))


def _header(data: dict, kind: str | None, lang: str) -> list[str]:
    head = [t(lang, "rank"), t(lang, "region")]
    if data["by"]["kind"] != "overall":  # the key's own score, range and completeness, then the overall for context
        head += [t(lang, "key_value", what=key_label(data, lang)), t(lang, "range"), t(lang, "completeness"), t(lang, "overall"), t(lang, "grade")]
    else:
        head += [t(lang, "overall"), t(lang, "range"), t(lang, "grade"), t(lang, "completeness")]
    if data["stability"]:
        head[0] = t(lang, "rank_interval")
    return head + (list(data["group_labels"][kind].values()) if kind else [])


def stability_note(data: dict, lang: str) -> str:
    """What the rank interval measures; and, when provisional grades and overlapping ranges make the
    order itself uncertain, that the interval does not capture that."""
    s = data["stability"]
    if not s:
        return ""
    note = t(lang, "stability_note", draws=s["draws"], spread=f"{s['spread'] * 100:.0f}%", seed=s["seed"])
    ranked = [r for r in data["regions"] if r["rank"] is not None and r["score_low"] is not None]
    if _overlap([r["score_low"] for r in ranked], [r["score_high"] for r in ranked]) and any(r["grade_status"] == "provisional" for r in ranked):
        note += (" " if lang == "en" else "") + t(lang, "stability_caveat")
    return note


def _overlap(lows: list[float], highs: list[float]) -> bool:
    """Whether any two ranges overlap (a.low < b.high and b.low < a.high), sorted once rather
    than every pair compared (a loop over pairs of regions took hours at 100,000).

    Sorted by low: a range overlaps one with a strictly lower low when its low is under the
    highest high among those; two with the same low overlap when neither is a single point.
    """
    import numpy as np

    low, high = np.array(lows, dtype="float64"), np.array(highs, dtype="float64")
    order = np.argsort(low, kind="stable")
    low, high = low[order], high[order]
    highest = np.concatenate([[-np.inf], np.maximum.accumulate(high)])  # highest[k]: of the first k
    if np.any(low < highest[np.searchsorted(low, low, side="left")]):
        return True
    spans = low[high > low]
    return bool(np.any(spans[1:] == spans[:-1]))


def _row(data: dict, row: dict, kind: str | None, lang: str) -> list[str]:
    cells = ["—" if row["rank"] is None else str(row["rank"]), row["region"]]
    if data["stability"] and row["rank"] is not None and row.get("rank_p5") is not None and row["rank_p5"] != row["rank_p95"]:
        cells[0] += f" ({row['rank_p5']}–{row['rank_p95']})"
    grade = fmt_grade({"grade": row["grade"], "grade_status": row["grade_status"]}, lang, short=True)
    if data["by"]["kind"] != "overall":
        key_range = fmt_range([row["low"], row["high"]])
        cells += [fmt_score(row["value"]), key_range, f"{(row['key_completeness'] or 0) * 100:.0f}%", fmt_score(row["score"]), grade]
    else:
        cells += [fmt_score(row["score"]), fmt_range([row["score_low"], row["score_high"]]), grade, f"{(row['completeness'] or 0) * 100:.0f}%"]
    return cells + ([fmt_score(s) for s in row["groups"][kind].values()] if kind else [])


def _sections(data: dict) -> list[tuple[str, list[dict]]]:
    return [(s, [r for r in data["regions"] if r["section"] == s]) for s in SECTIONS if any(r["section"] == s for r in data["regions"])]


def provisional_note(data: dict, lang: str) -> str:
    """How many grades are provisional, and what that means, or '' if none."""
    n = sum(1 for r in data["regions"] if r["grade_status"] == "provisional")
    return t(lang, "provisional_count", n=n) if n else ""


def hidden_note(data: dict, lang: str) -> str:
    """'Not shown with --top 3: 2 ranked below 3, 2 with no score on Coverage.', or '' if none."""
    hidden = data["hidden"]
    if not any(hidden.values()):
        return ""
    parts = [t(lang, "top_below", n=hidden["below_top"], top=data["top"])] if hidden["below_top"] else []
    parts += [t(lang, "top_unscored", n=hidden["unscored"], what=key_label(data, lang))] if hidden["unscored"] else []
    return t(lang, "top_hidden", top=data["top"], what=t(lang, "list_sep").join(parts))


def render(console: Console, data: dict, lang: str, kind: str = "dimension") -> None:
    """The ranking's lists as tables that keep every word whole: without the group columns when the
    terminal is too narrow for them (and a note says so), stacked when too narrow even then."""
    from scast_cli.render.layout import fit, fit_or_stack, wrap

    data = plain_data({**data, "regions": list(data["regions"])})
    parts: list = [Text(t(lang, "rank_title", what=key_label(data, lang)), style="bold")]

    def tables(kind: str | None) -> list[Table]:
        out = []
        for section, items in _sections(data):
            table = Table(title=f"{section_title(data, section, lang)} ({len(items)})", title_justify="left", title_style="bold", show_edge=False)
            for name in _header(data, kind, lang):
                table.add_column(name, justify="left" if name in (t(lang, "region"), t(lang, "grade")) else "right")
            for row in items:
                table.add_row(*_row(data, row, kind, lang))
            out.append(table)
        return out

    built = tables(kind)
    hidden_groups = bool(data["group_labels"].get(kind)) and not all([fit(table, console.width) for table in built])
    if hidden_groups:  # too narrow for the group columns: keep the words whole and say so
        built = tables(None)
    parts += [part for table in built for part in (fit_or_stack(table, console.width, lead=2) if hidden_groups else [table])]
    notes = [stability_note(data, lang), provisional_note(data, lang), hidden_note(data, lang)]
    if hidden_groups:
        notes.append(t(lang, "groups_hidden", width=console.width))
    parts += [wrap(Text(note, style="dim"), console.width) for note in notes if note]  # broken only where layout allows
    print_parts(console, parts)


def markdown(data: dict, lang: str, kind: str = "dimension") -> str:
    lines = [f"# {markdown_text(t(lang, 'rank_title', what=key_label(data, lang)))}", ""]
    for section, items in _sections(data):
        lines += [f"## {markdown_text(section_title(data, section, lang))} ({len(items)})", ""]
        lines += _table(_header(data, kind, lang), [_row(data, r, kind, lang) for r in items]) + [""]
    for note in (stability_note(data, lang), provisional_note(data, lang), hidden_note(data, lang)):
        if note:
            lines += [markdown_text(note), ""]
    return "\n".join(lines)


def columns(data: dict) -> list[str]:
    """Flat columns for CSV and XLSX: every group as 'kind:id'."""
    head = ["rank", "section", "region", "level", "year", "value", "low", "high", "score", "score_low", "score_high", "grade", "grade_id", "grade_status"]
    head += ["completeness", "key_completeness", "assessed"]
    if data["stability"]:
        head += ["rank_median", "rank_p5", "rank_p95"]
    return head + [f"{kind}:{gid}" for kind in KINDS for gid in data["group_labels"].get(kind, {})]


def flat_rows(data: dict) -> list[dict]:
    out = []
    for row in data["regions"]:
        flat = {k: v for k, v in row.items() if k != "groups"}
        for kind, scores in row["groups"].items():
            flat |= {f"{kind}:{gid}": s for gid, s in scores.items()}
        out.append(flat)
    return out


class _Flat:
    """The rows of `flat_rows` as whole columns (`column(key)`, for machine.csv_blocks), from the
    columns analysis.rank keeps: numbers stay numpy arrays, and a column's codes are turned into
    words once per distinct value, so no dict, no Python number and no word lookup per region."""

    def __init__(self, data: dict, words: dict) -> None:
        self.regions, self.words = data["regions"], words

    @cached_property
    def _rows(self) -> list[dict]:
        """Rows given as plain dicts (a caller's own data), flattened once for all the columns."""
        return flat_rows({"regions": self.regions})

    def column(self, key: str):
        if hasattr(self.regions, "array"):
            values = self.regions.array(key)
        else:
            values = [row.get(key) for row in self._rows]
        if key not in self.words or not len(values):
            return values
        import numpy as np
        import pandas as pd

        codes, uniques = pd.factorize(np.asarray(values, dtype=object))  # a missing cell: code -1
        word = self.words[key]
        return np.array([*(word(u) for u in uniques), word(None)], dtype=object)[codes]


def _kind(name: str) -> str:
    """The number kind of a flat column (machine.NUMBER_FORMATS)."""
    if name in ("completeness", "key_completeness"):
        return "share"
    if name in ("rank", "assessed", "rank_median", "rank_p5", "rank_p95"):
        return "int"
    return "year" if name == "year" else "text" if name in ("section", "region", "level", "grade", "grade_id", "grade_status") else "score"


def sheet(data: dict, lang: str, for_people: bool, columnar: bool = False) -> Sheet:
    """The ranking as one flat table. For people (XLSX, Chinese CSV): headers and coded values in
    words, the grade id left out; English CSV keeps keys and codes for scripts."""
    names = columns(data)
    if for_people:
        overall_key = data["by"]["kind"] == "overall"
        names = [n for n in names if n != "grade_id" and not (overall_key and n in ("value", "low", "high", "key_completeness"))]
    titles = {"value": t(lang, "key_value", what=key_label(data, lang)), "score": t(lang, "overall")} if for_people else {}
    for kind in KINDS:
        titles |= {f"{kind}:{gid}": f"{t(lang, kind)} · {label}" for gid, label in data["group_labels"].get(kind, {}).items()}
    words = {}
    if for_people:
        words = {"section": lambda s: section_title(data, s, lang)} | {k: lambda v: value_word(lang, v) for k in ("grade_status", "level")}
    cells = [Column(n, titles.get(n), _kind(n)) for n in names]
    if columnar:
        return Sheet(t(lang, "rank"), cells, [], freeze="D2", source=_Flat(data, words))
    rows = flat_rows(data)
    for key, word in words.items():
        for row in rows:
            row[key] = word(row[key])
    return Sheet(t(lang, "rank"), cells, rows, freeze="D2")


def csv_blocks(data: dict, lang: str = "en", rows: int | None = None) -> Iterator[str]:
    """The ranking as CSV in blocks of `rows` rows (machine.csv_blocks), written column by column
    (no dict per region: analysis.rank keeps its regions as columns) and without holding the whole
    text of a large ranking."""
    return machine_csv_blocks(sheet(data, lang, for_people=lang != "en", columnar=True), lang, rows)


def to_xlsx(data: dict, lang: str) -> bytes:
    """One sheet for people: headers in the chosen language, scores to one decimal, completeness as
    percent, fitted widths, the header and the rank and region columns frozen, an autofilter."""
    return xlsx_bytes([sheet(data, lang, for_people=True)], lang)
