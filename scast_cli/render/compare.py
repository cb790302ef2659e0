"""The output of `scast compare` (analysis.compare in, text out): terminal, markdown, CSV, XLSX."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scast_cli.i18n import header, t, value_word
from scast_cli.render import BAND_COLOURS, band_label, fmt_grade, fmt_range, fmt_score, fmt_value, plain_data, print_parts
from scast_cli.render.layout import fit_or_stack
from scast_cli.render.machine import Column, Sheet, csv_text, xlsx_bytes
from scast_cli.render.markdown import _table
from scast_cli.safe import markdown_text


def summary(data: dict, lang: str) -> str:
    """'胶州市 leads on 5 of 8 indicators assessed on both sides; 滨州市 leads on 2; 1 level. …'"""
    s, left, right = data["summary"], data["left"]["label"], data["right"]["label"]
    sep = t(lang, "semi")
    if not s["both"]:
        parts = [t(lang, "none_shared")]
    elif s["left_leads"] == s["right_leads"] == 0:
        parts = [t(lang, "both_level", m=s["both"])]
    else:
        first, second = (left, right) if s["left_leads"] >= s["right_leads"] else (right, left)
        n1, n2 = sorted((s["left_leads"], s["right_leads"]), reverse=True)
        parts = [t(lang, "leads_on", name=first, n=n1, m=s["both"])]
        if n2:
            parts.append(t(lang, "other_leads", name=second, n=n2))
        if s["level"]:
            parts.append(t(lang, "level_count", n=s["level"]))
    if s["left_only"] or s["right_only"]:
        parts.append(t(lang, "one_sided", left=s["left_only"], right=s["right_only"], left_name=left, right_name=right))
    text = sep.join(parts) + ("。" if lang == "zh" else ".")
    return text[0].upper() + text[1:]


def _leader(item: dict, data: dict, lang: str) -> str:
    if item["leader"] in ("left", "right"):
        return data[item["leader"]]["label"]
    if item["leader"] == "level":
        return t(lang, "level_tie")
    if item["assessed"] in ("left", "right"):
        return t(lang, "only", side=data[item["assessed"]]["label"])
    return t(lang, "neither")


def _signed(x: float | None) -> str:
    """A score difference: '+8.3', '-6.1', '0'."""
    if x is None:
        return "—"
    return "0" if abs(x) < 0.05 else f"{x:+.1f}"


def rows(data: dict, lang: str, include_unassessed: bool = False) -> list[list[str]]:
    """One row per indicator assessed on at least one side: values, scores, bands, differences, leader."""
    out = []
    for i in data["indicators"]:
        if i["assessed"] == "neither" and not include_unassessed:
            continue
        a, b = i["left"], i["right"]
        out.append(
            [
                i["label"],
                fmt_value(a["value"], i["unit"], lang, a["qualifier"]),
                fmt_score(a["score"]),
                band_label(a["band"], lang),
                fmt_value(b["value"], i["unit"], lang, b["qualifier"]),
                fmt_score(b["score"]),
                band_label(b["band"], lang),
                _signed(i["score_difference"]),
                _leader(i, data, lang),
            ]
        )
    return out


def _header(data: dict, lang: str) -> list[str]:
    left, right = data["left"]["label"], data["right"]["label"]
    return [
        t(lang, "indicator"),
        f"{left} {t(lang, 'value')}",
        f"{left} {t(lang, 'score')}",
        f"{left} {t(lang, 'band')}",
        f"{right} {t(lang, 'value')}",
        f"{right} {t(lang, 'score')}",
        f"{right} {t(lang, 'band')}",
        t(lang, "difference"),
        t(lang, "leads"),
    ]


def _own(score: float | None, rng: list | None, credit: float | None = None, lang: str = "en") -> str:
    """A side's own score with its range ('90.6 (40.0–97.5)'), or its credit for a bonus-only group."""
    if score is None and credit is not None:
        return f"+{credit:.1f} {t(lang, 'credit')}"
    if score is None:
        return "—"
    shown = fmt_range(rng)
    return fmt_score(score) if shown in ("—", fmt_score(score)) else f"{fmt_score(score)} ({shown})"


def _common(x: float | None, credit: float | None, credit_only: bool, lang: str) -> str:
    if credit_only:
        return "—" if credit is None else f"+{credit:.1f} {t(lang, 'credit')}"
    return fmt_score(x)


def _group_rows(data: dict, lang: str) -> list[list[str]]:
    """Both sides re-scored on the indicators assessed on both, and the difference between those
    (never between scores built on different indicators); each side's own score is in its header."""
    o = data["overall"]
    out = [[t(lang, "common_overall"), fmt_score(o["common"]["left"]), fmt_score(o["common"]["right"]), _signed(o["difference"])]]
    for g in data["groups"]:
        c = g["common"]
        out.append(
            [
                f"{t(lang, g['kind'])} · {g['label']}",
                _common(c["left"], c["left_credit"] if g["difference"] is not None else None, g["credit_only"], lang),
                _common(c["right"], c["right_credit"] if g["difference"] is not None else None, g["credit_only"], lang),
                _signed(g["difference"]),
            ]
        )
    return out


def _group_header(data: dict, lang: str) -> list[str]:
    return [t(lang, "group"), data["left"]["label"], data["right"]["label"], t(lang, "difference")]


def common_note(data: dict, lang: str) -> str:
    """What the differences are computed on, said plainly; or that nothing is shared. When a shared
    indicator's thresholds were calibrated on one side's own figures, it says that too."""
    n = data["overall"]["common"]["indicators"]
    text = t(lang, "common_note", n=n) if n else t(lang, "none_shared_note")
    calibrated = [i for i in data["indicators"] if i["assessed"] == "both" and i.get("calibrated_on")]
    if calibrated:
        regions = sorted({r for i in calibrated for r in i["calibrated_on"]})
        items = t(lang, "list_sep").join(f"“{i['label']}”" if lang == "zh" else f'"{i["label"]}"' for i in calibrated)
        text += (" " if lang == "en" else "") + t(lang, "calibrated_note", items=items, regions=t(lang, "list_sep").join(regions))
    return text


def render(console: Console, data: dict, lang: str) -> None:
    data = plain_data(data)
    left, right = data["left"], data["right"]
    parts: list = [Text(t(lang, "compare_title", left=left["label"], right=right["label"]), style="bold")]
    for side in (left, right):
        o = data["overall"]["left" if side is left else "right"]
        parts.append(
            Text(
                f"{side['label']}: {t(lang, 'overall')} {_own(o['score'], o['range'])}  {t(lang, 'grade')} {fmt_grade(o, lang)}  "
                f"{t(lang, 'completeness')} {(o['completeness'] or 0) * 100:.0f}%  {side['file']}"
            )
        )
    parts.append(Text(common_note(data, lang), style="bold"))
    if data["overall"]["common"]["indicators"]:
        groups = Table(show_edge=False, title=t(lang, "group_common"), title_justify="left", title_style="bold")
        for n, name in enumerate(_group_header(data, lang)):
            groups.add_column(name, justify="left" if n == 0 else "right")
        for row in _group_rows(data, lang):
            groups.add_row(*row)
        parts.append(groups)
    table = Table(show_edge=False, title=t(lang, "indicator"), title_justify="left", title_style="bold")
    table.add_column(t(lang, "indicator"), overflow="fold", ratio=3)
    for side in (left, right):
        table.add_column(f"{side['label']}\n{t(lang, 'value')} · {t(lang, 'score')}", justify="right", overflow="fold", ratio=2)
    table.add_column(t(lang, "difference"), justify="right")
    table.add_column(t(lang, "leads"), overflow="fold", ratio=1)
    for i in (i for i in data["indicators"] if i["assessed"] != "neither"):
        cells = [Text(i["label"])]
        for side in ("left", "right"):
            x = i[side]
            cell = Text(fmt_value(x["value"], i["unit"], lang, x["qualifier"]))
            if x["score"] is not None:
                cell.append(f" · {fmt_score(x['score'])}", style=BAND_COLOURS.get(x["band"] or "", ""))
            cells.append(cell)
        cells += [Text(_signed(i["score_difference"])), Text(_leader(i, data, lang), style="bold" if i["leader"] in ("left", "right") else "")]
        table.add_row(*cells)
    parts += [table, Text(summary(data, lang), style="bold")]
    # every table as wide as its words need, broken only between words; stacked when even that is too wide
    parts = [fitted for part in parts for fitted in (fit_or_stack(part, console.width) if isinstance(part, Table) else [part])]
    print_parts(console, parts)


def markdown(data: dict, lang: str) -> str:
    left, right = data["left"]["label"], data["right"]["label"]
    lines = [f"# {markdown_text(t(lang, 'compare_title', left=left, right=right))}", "", markdown_text(summary(data, lang)), ""]
    for side in ("left", "right"):
        o = data["overall"][side]
        text = f"{t(lang, 'overall')} {_own(o['score'], o['range'])}, {t(lang, 'grade')} {fmt_grade(o, lang)}"
        lines += [f"- **{markdown_text(data[side]['label'])}**: {markdown_text(text)}"]
    lines += ["", f"## {markdown_text(t(lang, 'group_common'))}", "", markdown_text(common_note(data, lang)), ""]
    if data["overall"]["common"]["indicators"]:
        lines += _table(_group_header(data, lang), _group_rows(data, lang)) + [""]
    lines += [f"## {markdown_text(t(lang, 'indicator'))}", ""] + _table(_header(data, lang), rows(data, lang)) + [""]
    return "\n".join(lines)


CSV_COLUMNS = [
    "indicator",
    "label",
    "unit",
    "assessed",
    "left_region",
    "left_value",
    "left_qualifier",
    "left_score",
    "left_band",
    "right_region",
    "right_value",
    "right_qualifier",
    "right_score",
    "right_band",
    "score_difference",
    "value_difference",
    "leader",
]


def _flat(data: dict) -> list[dict]:
    rows = []
    for i in data["indicators"]:
        row = {"indicator": i["id"], "label": i["label"], "unit": i["unit"], "assessed": i["assessed"], "leader": i["leader"]}
        for side in ("left", "right"):
            row[f"{side}_region"] = data[side]["label"]
            row |= {f"{side}_{k}": i[side][k] for k in ("value", "qualifier", "score", "band")}
        row |= {"score_difference": i["score_difference"], "value_difference": i["value_difference"]}
        rows.append(row)
    return rows


def _words(rows: list[dict], lang: str) -> list[dict]:
    """Coded values as words, for people: bands, qualifiers, sides."""
    from scast_cli.i18n import file_unit

    keys = ("assessed", "leader", "left_qualifier", "left_band", "right_qualifier", "right_band")
    return [row | {k: value_word(lang, row[k]) for k in keys} | {"unit": file_unit(lang, row["unit"])} for row in rows]


def to_csv(data: dict, lang: str = "en") -> str:
    """One row per indicator, every indicator (assessed or not); the leader is 'left', 'right', 'level'
    or empty (in English; Chinese headers and words under --lang zh)."""
    rows = _flat(data) if lang == "en" else _words(_flat(data), lang)
    columns = [Column(k, header(lang, "assessed_on") if k == "assessed" else None) for k in CSV_COLUMNS]  # on which sides, not how many
    return csv_text(Sheet("", columns, rows), lang)


def to_xlsx(data: dict, lang: str) -> bytes:
    """Two sheets for people, headed by the regions' names: every indicator side by side, and the
    groups re-scored on the shared indicators with their differences."""
    left, right = data["left"]["label"], data["right"]["label"]
    rows = _words(_flat(data), lang)
    units = [i["unit"] for i in data["indicators"]]
    for row, item in zip(rows, data["indicators"], strict=True):
        row["leader"] = _leader(item, data, lang)
    named = lambda side, key: f"{data[side]['label']} {t(lang, key)}"  # noqa: E731
    indicators = Sheet(
        t(lang, "indicator"),
        [Column("label", t(lang, "indicator"))]
        + [
            c
            for side in ("left", "right")
            for c in (
                Column(f"{side}_value", named(side, "value"), "unit"),
                Column(f"{side}_score", named(side, "score"), "score"),
                Column(f"{side}_band", named(side, "band")),
            )
        ]
        + [Column("score_difference", t(lang, "difference"), "score"), Column("leader", t(lang, "leads")), Column("assessed", header(lang, "assessed_on"))],
        rows,
        freeze="B2",
        units=units,
    )
    o = data["overall"]
    groups = [{"group": t(lang, "common_overall"), "left": o["common"]["left"], "right": o["common"]["right"], "difference": o["difference"]}]
    groups += [
        {"group": f"{t(lang, g['kind'])} · {g['label']}", "left": g["common"]["left"], "right": g["common"]["right"], "difference": g["difference"]}
        for g in data["groups"]
    ]
    own = [{"group": t(lang, "overall"), "left": o["left"]["score"], "right": o["right"]["score"], "difference": None}]
    shared = Sheet(
        t(lang, "group"),
        [
            Column("group", t(lang, "group")),
            Column("left", left, "score"),
            Column("right", right, "score"),
            Column("difference", t(lang, "difference"), "score"),
        ],
        own + groups,
        freeze="B2",
    )
    return xlsx_bytes([indicators, shared], lang)
