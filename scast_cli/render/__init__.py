"""Renderers: a scored payload (engine.as_dict) in, text out. Formatting only, no scoring."""

from __future__ import annotations

import re

from scast_cli.config import Config
from scast_cli.i18n import t, unit
from scast_cli.safe import terminal_text

_WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")  # a run that must not break: not space, not CJK

BAND_COLOURS = {"green": "green", "yellow": "yellow", "orange": "dark_orange", "red": "red"}
QUALIFIER_SIGNS = {"lower_bound": "≥", "upper_bound": "≤", "approx": "≈"}
REASONS = ("zero-denominator", "cumulative", "flow", "superseded")  # not-assessed reasons that are not missing figures


def fmt_number(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "—"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.{digits}f}"


def fmt_value(x: float | None, unit_code: str, lang: str, qualifier: str | None = None) -> str:
    """A value in its unit: shares as percent, counts with separators, bounds as ≥ ≤ ≈."""
    if x is None:
        return "—"
    sign = QUALIFIER_SIGNS.get(qualifier or "", "")
    claimed = t(lang, "claimed_mark") if qualifier == "claimed" else ""  # a "全覆盖" claim is not a count
    if unit_code == "share":
        return f"{sign}{x * 100:.1f}%{claimed}"
    if unit_code == "flag":
        return (("是" if x else "否") if lang == "zh" else ("yes" if x else "no")) + claimed
    suffix = unit(lang, unit_code)
    return f"{sign}{fmt_number(x)}" + (f" {suffix}" if suffix else "") + claimed


def fmt_score(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def fmt_gap(item: dict, config: Config, lang: str) -> str:
    """'+3 乡镇(街道)科协数 (个)' in the lever's natural unit; '' when met or not assessed."""
    gap = item["gap"]
    if item["score"] is None:
        return ""
    if gap is None:
        return t(lang, "no_gap")
    if gap["amount"] == 0:
        return t(lang, "met")
    spec = config.field_by_id[gap["field"]]
    if spec.kind == "share":
        amount = f"+{gap['amount'] * 100:.2f} pp" if lang == "en" else f"+{gap['amount'] * 100:.2f}个百分点"
    elif spec.kind == "flag":
        amount = "→ yes" if lang == "en" else "→ 是"
    elif lang == "zh":
        return f"{spec.label(lang)} +{fmt_number(gap['amount'])}{spec.unit_label(lang)}"
    else:
        shown_unit = spec.unit_label(lang) if spec.unit and spec.unit.en not in ("units", "persons") else ""
        amount = f"+{fmt_number(gap['amount'])}" + (f" {shown_unit}" if shown_unit else "")
    return f"{amount} {spec.label(lang)}"


def threshold_text(basis: str, source: str, lang: str) -> str:
    """The source of a threshold, led by its kind (reported, derived, proposed) unless it says so itself."""
    kinds = [t(lang, f"basis_{b}") for b in ("reported", "derived", "proposed")] + ["报道", "推算", "建议", "reported", "derived", "proposed"]
    if source and any(source.startswith(k) for k in kinds):
        return source
    return f"{t(lang, 'basis_' + basis)}{t(lang, 'colon')}{source or '—'}"


def indicator_label(item: dict, lang: str) -> str:
    """An indicator's label, marked when it only adds credit (a bonus, "N" item)."""
    return item["label"] + (t(lang, "bonus_mark") if item.get("tags", {}).get("bonus") else "")


def fmt_range(rng: list | None) -> str:
    """'40.0–97.5'; one number when the range has collapsed to the point."""
    if not rng or rng[0] is None or rng[1] is None:
        return "—"
    lo, hi = fmt_score(rng[0]), fmt_score(rng[1])
    return lo if lo == hi else f"{lo}–{hi}"


def fmt_grade(overall: dict, lang: str, short: bool = False) -> str:
    """The grade, marked 暂定/provisional when the data cannot settle it ('*' in narrow tables,
    which then say what '*' means)."""
    if not overall.get("grade"):
        return "—"
    if overall.get("grade_status") == "provisional" and short:
        return f"{overall['grade']}*"
    if overall.get("grade_status") == "provisional":
        return f"{overall['grade']}（{t(lang, 'provisional')}）" if lang == "zh" else f"{overall['grade']} ({t(lang, 'provisional')})"
    return overall["grade"]


def grade_note(overall: dict, lang: str) -> str:
    """One sentence saying why the grade is final or provisional, with the range behind it."""
    if not overall.get("grade"):
        return ""
    lo, hi = (fmt_score(x) for x in overall["range"])
    if overall["grade_status"] == "provisional":
        glo, ghi = overall["grade_range"]
        return t(
            lang, "provisional_why", c=f"{overall['completeness'] * 100:.0f}%", m=f"{overall['min_completeness'] * 100:.0f}%", lo=lo, hi=hi, glo=glo, ghi=ghi
        )
    if overall["grade_reason"] == "range-in-one-grade":
        return t(lang, "final_range", lo=lo, hi=hi, g=overall["grade"])
    return ""


def fmt_group_score(group: dict, cap: float, lang: str) -> str:
    """A group's score, or the credit its bonus items add when it has only bonus items (the "N")."""
    if group.get("credit_only"):
        if group.get("credit") is None:
            return "—"
        return t(lang, "credit_of", x=f"{group['credit']:.1f}", cap=f"{cap:g}")
    return fmt_score(group["score"])


def fmt_missing(item: dict, config: Config, lang: str) -> str:
    if item.get("reason") in REASONS:
        return t(lang, item["reason"])
    names = [f"{config.field_by_id[f].label(lang)} ({f})" for f in item["missing"]]
    return ", ".join(names)


def band_label(band: str | None, lang: str) -> str:
    return t(lang, band) if band else "—"


def keep_words(table, width: int, cap: int = 18):
    """Give each column of a rich Table at least the width of its longest word, so a narrow
    terminal or a pipe wraps between words instead of cutting 'Excellent' in two. When the table
    cannot fit all of them, the longest words give way first (the cap comes down)."""
    from rich.cells import cell_len

    longest = []
    for column in table.columns:
        plain = [getattr(x, "plain", x) for x in (column.header, *column.cells)]
        words = [w for text in plain if isinstance(text, str) for w in _WORD.findall(text)]
        longest.append(max((cell_len(w) for w in words), default=1))
    for limit in range(cap, 3, -1):
        wanted = [min(n, limit) for n in longest]
        if sum(wanted) + 3 * len(wanted) <= width:
            for column, least in zip(table.columns, wanted, strict=True):
                column.min_width = max(column.min_width or 0, least)
            break
    return table


def print_parts(console, parts: list) -> None:
    """Print renderables as one group, every table keeping its words whole where it can.

    Every terminal view prints through here, so this is where text from the inputs is made safe
    for a terminal: see `plain`.
    """
    from rich.console import Group
    from rich.table import Table

    parts = [plain(p) for p in parts]
    console.print(Group(*(keep_words(p, console.width) if isinstance(p, Table) else p for p in parts)))


def plain_data(value):
    """A payload with every string in it cleaned for a terminal (safe.terminal_text).

    Terminal views call this first: rich drops a BEL as soon as a string becomes Text, which
    would leave the rest of an OSC sequence ('0;title') behind as text for `plain` to show.
    """
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    return value


def plain(part):
    """A renderable whose every text is shown as written and harmless: escape sequences and
    control characters removed (safe.terminal_text), and strings turned into Text so that rich
    reads no markup in them ('[link=…]' in a region name is not a hyperlink, '[/]' no crash).
    Tables and panels are cleaned in place: titles, headers, cells."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    if isinstance(part, str):
        return Text(terminal_text(part))
    if isinstance(part, Text):
        return _plain_text(part)
    if isinstance(part, Table):  # a str title is styled by rich, a Text one is not: keep the style
        if isinstance(part.title, str):
            part.title = Text(terminal_text(part.title), style=part.title_style or "table.title")
        if isinstance(part.caption, str):
            part.caption = Text(terminal_text(part.caption), style=part.caption_style or "table.caption")
        part.title, part.caption = (None if x is None else plain(x) for x in (part.title, part.caption))
        for column in part.columns:
            column.header, column.footer = plain(column.header), plain(column.footer)
            column._cells[:] = [plain(cell) for cell in column._cells]  # rich has no public setter
    elif isinstance(part, Panel):
        part.renderable = plain(part.renderable)
        part.title, part.subtitle = (None if x is None else plain(x) for x in (part.title, part.subtitle))
    return part


def _plain_text(text):
    """A rich Text cleaned piece by piece, each piece keeping its style."""
    if terminal_text(text.plain) == text.plain:
        return text
    cuts = sorted({offset for span in text.spans for offset in (span.start, span.end)} - {0, len(text)})
    out = text.blank_copy()
    for piece in text.divide(cuts):
        clean = type(text)(terminal_text(piece.plain))
        for span in piece.spans:
            clean.stylize(span.style)
        out.append_text(clean)
    return out
