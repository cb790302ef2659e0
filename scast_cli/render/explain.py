"""The output of `scast explain`: the steps behind one score, or the list of what to fix first.

`steps()` turns analysis.explain's data into numbered (label, text) lines that the terminal and
markdown views both print; the numbers shown are the ones the engine computed.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scast_cli.config import Config
from scast_cli.i18n import t
from scast_cli.render import (
    BAND_COLOURS,
    QUALIFIER_SIGNS,
    band_label,
    fmt_gap,
    fmt_grade,
    fmt_missing,
    fmt_number,
    fmt_range,
    fmt_score,
    fmt_value,
    grade_note,
    plain_data,
    print_parts,
    threshold_text,
)
from scast_cli.render.markdown import _table
from scast_cli.safe import markdown_code, markdown_text


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _pts(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _threshold(x: float, unit: str, lang: str) -> str:
    return fmt_value(x, unit, lang) if unit in ("share", "flag") else fmt_number(x)


def rule_text(data: dict, lang: str) -> str:
    """The rule in words with its thresholds: 'green ≥ 100.0%, yellow ≥ 94.0%, … else red → 100/75/50/25'."""
    rule, unit = data["rule"], data["indicator"]["unit"]
    comma, semi = t(lang, "list_sep"), t(lang, "semi")
    lp, rp = ("（", "）") if lang == "zh" else (" (", ")")
    higher = rule["direction"] == "higher"
    sign = "≥" if higher else "≤"
    direction = t(lang, "higher_better" if higher else "lower_better")
    if rule["type"] == "bands":
        bands = comma.join(f"{band_label(b, lang)} {sign} {_threshold(v, unit, lang)}" for b, v in rule["bands"].items())
        scores = " / ".join(f"{band_label(b, lang)} {s:g}" for b, s in rule["band_scores"].items())
        text = f"{bands}{comma}{t(lang, 'else_red')}{lp}{scores}{rp}"
    elif rule["type"] == "flag":
        text = t(lang, "rule_flag", yes=f"{rule['yes']:g}", no=f"{rule['no']:g}")
    else:
        args = {k: _threshold(rule[k], unit, lang) for k in ("target", "lower", "upper") if k in rule}
        text = t(lang, f"rule_{rule['type']}_{rule['direction']}", **args)
        floors = comma.join(f"{band_label(b, lang)} ≥ {v:g}" for b, v in rule["score_bands"].items())
        text += semi + t(lang, "score_bands", bands=floors)
    if "bonus_points" in rule:
        text += semi + t(lang, "bonus_rule", points=f"{rule['bonus_points']:g}")
    return f"{t(lang, 'rule_type_' + rule['type'])}{lp}{direction}{rp}{t(lang, 'colon')}{text}"


def substituted(data: dict) -> str:
    """The formula with each field replaced by the region's figure: '12 / 12'."""
    values = {i["field"]: ("?" if i["value"] is None else fmt_number(i["value"], 4)) for i in data["inputs"]}
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: values.get(m.group(0), m.group(0)), data["indicator"]["formula"])


def _input_line(item: dict, lang: str) -> str:
    value = "—" if item["value"] is None else f"{QUALIFIER_SIGNS.get(item['qualifier'] or '', '')}{fmt_number(item['value'], 4)}"
    unit = f" {item['unit']}" if item["unit"] and item["value"] is not None and item["kind"] not in ("share", "flag") else ""
    notes = [t(lang, n) for n in (item["qualifier"] if item["qualifier"] not in (None, "exact") else None, item["period"]) if n]
    if item["inferred"]:
        notes.append(t(lang, "inferred"))
    if item["year"]:
        notes.append(t(lang, "as_of", year=item["year"]))
    text = f"{item['label']} ({item['field']}) = {value}{unit}"
    if notes:
        text += f" [{', '.join(notes)}]"
    if item["source"]:
        text += f" — {t(lang, 'source')}: {item['source']}"
    return text


def steps(data: dict, config: Config, lang: str) -> list[tuple[str, list[str]]]:
    """Numbered steps: formula, inputs, value, rule, score, weight, points, gap, threshold source."""
    ind, weight = data["indicator"], data["weight"]
    assessed = data["score"] is not None
    out: list[tuple[str, list[str]]] = []
    if ind["why"]:
        out.append((t(lang, "why"), [ind["why"]]))
    out += [(t(lang, "formula"), [ind["formula"]]), (t(lang, "inputs"), [_input_line(i, lang) for i in data["inputs"]])]
    if assessed:
        out.append(
            (t(lang, "value"), [f"{substituted(data)} = {fmt_number(data['value'], 6)} → {fmt_value(data['value'], ind['unit'], lang, data['qualifier'])}"])
        )
    else:
        item = {"reason": data["reason"], "missing": data["missing"]}
        out.append((t(lang, "value"), [t(lang, "not_assessed_because", why=fmt_missing(item, config, lang))]))
    out.append((t(lang, "rule"), [rule_text(data, lang)]))
    if assessed:
        out.append((t(lang, "score"), [f"{fmt_score(data['score'])} ({band_label(data['band'], lang)})"]))
    if ind["tags"]["bonus"]:
        lines = [t(lang, "bonus_weight")]
    else:
        kind_word = t(lang, f"{weight['overall_by']}_word")
        lines = [
            t(
                lang,
                "weight_step",
                w=weight["indicator"],
                within=g["assessed_member_weight"],
                group=g["label"],
                share=_pct(weight["indicator"] / g["assessed_member_weight"]) if g["assessed_member_weight"] else "—",
                gw=g["weight"],
                total=g["assessed_group_weight"],
                kind_word=kind_word,
                gshare=_pct(g["weight"] / g["assessed_group_weight"]) if g["assessed_group_weight"] else "—",
                effective=f"{t(lang, 'effective_weight')} {_pct(weight['effective'])}",
            )
            for g in weight["groups"]
            if assessed
        ]
        lines.append(t(lang, "weight_nominal", nominal=_pct(weight["nominal"])))
    out.append((t(lang, "weight"), lines))
    if assessed:
        points = data["points"]
        out.append(
            (
                t(lang, "points"),
                [t(lang, "points_step", earned=_pts(points["contributed"]), overall=fmt_score(data["overall"]["score"]), left=_pts(points["left"]))],
            )
        )
        out.append((t(lang, "gap"), [fmt_gap({"gap": data["gap"], "score": data["score"]}, config, lang)]))
    threshold = data["threshold"]
    lines = [threshold_text(threshold["basis"], threshold["source"], lang)]
    if threshold["calibrated_on"]:
        lines.append(t(lang, "calibrated_on", regions=t(lang, "list_sep").join(threshold["calibrated_on"])))
    out.append((t(lang, "threshold_source"), lines))
    o = data["overall"]
    overall = [f"{fmt_score(o['score'])} ({t(lang, 'range')} {fmt_range(o['range'])}), {t(lang, 'grade')} {fmt_grade(o, lang)}"]
    if note := grade_note(o, lang):
        overall.append(note)
    out.append((t(lang, "overall"), overall))
    return out


def render(console: Console, data: dict, config: Config, lang: str) -> None:
    data = plain_data(data)
    ind = data["indicator"]
    parts: list = [Text(t(lang, "explain_title", indicator=f"{ind['label']} ({ind['id']})", region=data["region"]["name"]), style="bold")]
    if ind["description"]:
        parts.append(Text(ind["description"], style="dim"))
    colon = t(lang, "colon")
    for n, (label, lines) in enumerate(steps(data, config, lang), start=1):
        text = Text(f"{n}. {label}" + (colon if len(lines) == 1 else ""), style="bold")
        if len(lines) == 1:
            text.append(lines[0], style=BAND_COLOURS.get(data["band"] or "", "") if label == t(lang, "score") else "")
        else:
            text.append("\n" + "\n".join(f"   - {line}" for line in lines))
        parts.append(text)
    print_parts(console, parts)


def markdown(data: dict, config: Config, lang: str) -> str:
    ind = data["indicator"]
    lines = [f"# {markdown_text(t(lang, 'explain_title', indicator=ind['label'], region=data['region']['name']))}", ""]
    if ind["description"]:
        lines += [markdown_text(ind["description"]), ""]
    colon = t(lang, "colon")
    for n, (label, items) in enumerate(steps(data, config, lang), start=1):
        # a step may quote a source: its URLs become <autolinks>, the rest is literal text
        items = [markdown_code(x) if label == t(lang, "formula") else markdown_text(x, autolink=True) for x in items]
        if len(items) == 1:
            lines.append(f"{n}. **{markdown_text(label)}**{colon}{items[0]}")
        else:
            lines += [f"{n}. **{markdown_text(label)}**", ""] + [f"   - {item}" for item in items] + [""]
    return "\n".join(lines + [""])


# ---------------------------------------------------------------- the list: what to fix first


def _list_header(lang: str) -> list[str]:
    return [
        t(lang, "indicator"),
        t(lang, "score"),
        t(lang, "band"),
        t(lang, "effective_weight"),
        t(lang, "contributed"),
        t(lang, "left_on_table"),
        t(lang, "gap"),
    ]


def _list_rows(data: dict, config: Config, lang: str) -> list[list[str]]:
    return [
        [
            r["label"] + (f" ({t(lang, 'bonus')})" if r["bonus"] else ""),
            fmt_score(r["score"]),
            band_label(r["band"], lang),
            _pct(r["effective_weight"]) if not r["bonus"] else "—",
            _pts(r["points"]["contributed"]),
            _pts(r["points"]["left"]),
            fmt_gap({"gap": r["gap"], "score": r["score"]}, config, lang),
        ]
        for r in data["assessed"]
    ]


def _missing_rows(data: dict, config: Config, lang: str) -> list[list[str]]:
    return [[r["label"], _pct(r["nominal_weight"]) if not r["bonus"] else t(lang, "bonus"), fmt_missing(r, config, lang)] for r in data["not_assessed"]]


def totals_line(data: dict, lang: str) -> str:
    if not data["additive"]:
        return t(lang, "points_sum_geometric")
    o = data["overall"]
    return t(lang, "points_sum", sum=_pts(data["totals"]["contributed"]), base=_pts(o["base"]), bonus=_pts(o["bonus"]), overall=_pts(o["score"]))


def render_list(console: Console, data: dict, config: Config, lang: str) -> None:
    data = plain_data(data)
    title = t(lang, "fix_first", region=data["region"]["name"], overall=fmt_score(data["overall"]["score"]))
    title += f" ({t(lang, 'range')} {fmt_range(data['overall']['range'])}; {t(lang, 'grade')} {fmt_grade(data['overall'], lang)})"
    table = Table(title=title, title_justify="left", title_style="bold", show_edge=False)
    for n, name in enumerate(_list_header(lang)):
        table.add_column(name, justify="right" if n in (1, 3, 4, 5) else "left", overflow="fold")
    for r, row in zip(data["assessed"], _list_rows(data, config, lang), strict=True):
        cells = [Text(c) for c in row]
        cells[2].stylize(BAND_COLOURS.get(r["band"] or "", ""))
        table.add_row(*cells)
    parts: list = [table, Text(totals_line(data, lang), style="dim")]
    if note := grade_note(data["overall"], lang):
        parts.append(Text(note))
    if data["not_assessed"]:
        missing = Table(title=f"{t(lang, 'not_assessed')} ({len(data['not_assessed'])})", title_justify="left", title_style="bold", show_edge=False)
        for name in (t(lang, "indicator"), t(lang, "would_carry"), t(lang, "lacks")):
            missing.add_column(name, overflow="fold")
        for row in _missing_rows(data, config, lang):
            missing.add_row(*row)
        parts.append(missing)
    print_parts(console, parts)


def markdown_list(data: dict, config: Config, lang: str) -> str:
    lines = [f"# {markdown_text(t(lang, 'fix_first', region=data['region']['name'], overall=fmt_score(data['overall']['score'])))}", ""]
    lines += [f"- **{markdown_text(t(lang, 'range'))}**: {fmt_range(data['overall']['range'])}"]
    lines += [f"- **{markdown_text(t(lang, 'grade'))}**: {markdown_text(fmt_grade(data['overall'], lang))}", ""]
    if note := grade_note(data["overall"], lang):
        lines += [markdown_text(note), ""]
    lines += _table(_list_header(lang), _list_rows(data, config, lang)) + ["", markdown_text(totals_line(data, lang)), ""]
    if data["not_assessed"]:
        lines += [f"## {markdown_text(t(lang, 'not_assessed'))} ({len(data['not_assessed'])})", ""]
        lines += _table([t(lang, "indicator"), t(lang, "would_carry"), t(lang, "lacks")], _missing_rows(data, config, lang)) + [""]
    return "\n".join(lines)


LIST_COLUMNS = [
    "indicator",
    "label",
    "bonus",
    "score",
    "band",
    "effective_weight",
    "nominal_weight",
    "contributed",
    "left",
    "gap_field",
    "gap_amount",
    "missing",
]


def list_csv(data: dict, config: Config, lang: str) -> str:
    """Assessed indicators (largest loss first), then the unassessed ones. English keeps the column
    keys and codes (for scripts); Chinese has Chinese headers and words, the indicator id column
    keeping its ids."""
    from scast_cli.i18n import header, value_word, yes_no
    from scast_cli.render.machine import Column, Sheet, csv_text, field_labels

    fields = field_labels(config, lang) if lang != "en" else {}
    sep = t(lang, "list_sep")
    rows = []
    for r in data["assessed"] + data["not_assessed"]:
        gap = r["gap"] or {}
        row = {
            "indicator": r["id"],
            "label": r["label"],
            "bonus": r["bonus"],
            "score": r["score"],
            "band": r["band"],
            "effective_weight": r["effective_weight"],
            "nominal_weight": r["nominal_weight"],
            "contributed": r["points"]["contributed"],
            "left": r["points"]["left"],
            "gap_field": gap.get("field"),
            "gap_amount": gap.get("amount"),
            "missing": "|".join(r["missing"]),
        }
        if lang != "en":
            row |= {"bonus": yes_no(lang, r["bonus"]), "band": value_word(lang, r["band"])}
            row |= {"gap_field": gap.get("label") or fields.get(gap.get("field"), gap.get("field"))}
            row |= {"missing": sep.join(fields.get(f, f) for f in r["missing"])}
        rows.append(row)
    titles = {"bonus": header(lang, "is_bonus"), "left": header(lang, "points_left")}
    return csv_text(Sheet("", [Column(k, titles.get(k)) for k in LIST_COLUMNS], rows), lang)
