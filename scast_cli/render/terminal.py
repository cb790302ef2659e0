"""The rich terminal view of one scored region (stdout); colour follows the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scast_cli.config import Config
from scast_cli.i18n import t
from scast_cli.render import (
    BAND_COLOURS,
    band_label,
    fmt_gap,
    fmt_grade,
    fmt_group_score,
    fmt_missing,
    fmt_range,
    fmt_score,
    fmt_value,
    grade_note,
    indicator_label,
    plain_data,
    print_parts,
)
from scast_cli.render.layout import fit_or_stack


def _band(band: str | None, lang: str) -> Text:
    return Text(band_label(band, lang), style=BAND_COLOURS.get(band or "", ""))


def sections(payload: dict, by: str, lang: str = "en") -> list[tuple[str, list[dict]]]:
    """Assessed indicators grouped by one group kind, in config order (others last)."""
    groups = [g for g in payload["groups"] if g["kind"] == by]
    key = (lambda i: [i["dimension"]]) if by == "dimension" else (lambda i: i["tags"][by])
    assessed = [i for i in payload["indicators"] if i["score"] is not None]
    out = [(f"{g['label']} · {fmt_score(g['score'])}", [i for i in assessed if g["id"] in key(i)]) for g in groups]
    rest = [i for i in assessed if not key(i)]
    if rest:
        out.append((t(lang, "no_part"), rest))
    return [(title, items) for title, items in out if items]


def render_score(console: Console, payload: dict, config: Config, lang: str, by: str = "dimension") -> None:
    payload = plain_data(payload)
    region, overall = payload["region"], payload["overall"]
    grade = fmt_grade(overall, lang)
    head = Text()
    head.append(f"{region['name']}", style="bold")
    head.append(f"  {t(lang, region['level']) if region['level'] else ''} {region['year'] or ''}\n")
    head.append(f"{t(lang, 'overall')}: ")
    head.append(f"{fmt_score(overall['score'])}", style="bold")
    head.append(f" ({t(lang, 'range')} {fmt_range(overall['range'])})")
    head.append(f"  {t(lang, 'grade')}: ")
    head.append(grade, style="bold yellow" if overall.get("grade_status") == "provisional" else "bold")
    head.append("  ")
    head.append(f"{t(lang, 'completeness')}: {(overall['completeness'] or 0) * 100:.0f}%  ")
    head.append(t(lang, "assessed", n=overall["assessed"], total=overall["indicators"]))
    if overall["bonus"]:
        head.append(f"  ({t(lang, 'bonus')} +{overall['bonus']:.1f})")
    if note := grade_note(overall, lang):
        head.append(f"\n{note}")
    parts: list = [Panel(head, title=t(lang, "score_title", region=region["name"]), expand=False)]

    summary = Table(title=t(lang, "group"), title_justify="left", show_edge=False)
    summary.add_column(t(lang, "group"))
    summary.add_column(t(lang, "score"), justify="right")
    summary.add_column(t(lang, "range"), justify="right")
    summary.add_column(t(lang, "weight"), justify="right")
    for kind in ("dimension", "framework", "standard"):
        for g in (g for g in payload["groups"] if g["kind"] == kind):
            summary.add_row(f"{t(lang, kind)} · {g['label']}", fmt_group_score(g, overall["bonus_cap"], lang), fmt_range(g["range"]), f"{g['weight']:g}")
    parts.append(summary)

    for title, items in sections(payload, by, lang):
        table = Table(title=title, title_justify="left", title_style="bold", show_edge=False)
        table.add_column(t(lang, "indicator"))
        table.add_column(t(lang, "value"), justify="right")
        table.add_column(t(lang, "target"), justify="right")
        table.add_column(t(lang, "score"), justify="right")
        table.add_column(t(lang, "band"))
        table.add_column(t(lang, "gap"))
        for i in items:
            table.add_row(
                indicator_label(i, lang),
                fmt_value(i["value"], i["unit"], lang, i["qualifier"]),
                fmt_value(i["target"], i["unit"], lang),
                fmt_score(i["score"]),
                _band(i["band"], lang),
                fmt_gap(i, config, lang),
            )
        parts.append(table)

    missing = [i for i in payload["indicators"] if i["score"] is None]
    if missing:
        table = Table(title=f"{t(lang, 'not_assessed')} ({len(missing)})", title_justify="left", title_style="bold", show_edge=False)
        table.add_column(t(lang, "indicator"))
        table.add_column(t(lang, "lacks"))
        for i in missing:
            table.add_row(i["label"], fmt_missing(i, config, lang))
        parts.append(table)
    parts.append(Text(f"{t(lang, 'config')}: {payload['config']['path']} (sha256 {payload['config']['sha256'][:12]})", style="dim"))
    # every table as wide as its words need, broken only between words; stacked when even that is too wide
    parts = [fitted for part in parts for fitted in (fit_or_stack(part, console.width) if isinstance(part, Table) else [part])]
    print_parts(console, parts)
