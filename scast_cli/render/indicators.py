"""The output of `scast indicators check | list | show`: the problems of an indicators file, every
indicator in one table, or everything about one indicator; terminal (rich), JSON, markdown, CSV.

Text from an indicators file is untrusted: terminal cells are rich `Text` (never markup) through
`safe.terminal_text`, markdown through `safe.markdown_text` and `safe.markdown_code`, CSV cells
through `safe.spreadsheet_cell`.
"""

from __future__ import annotations

from scast_cli import analysis
from scast_cli.config import BandsRule, Config, GoalpostsRule, Indicator, TargetRule
from scast_cli.errors import Problem, UsageError, did_you_mean
from scast_cli.i18n import file_unit
from scast_cli.render.checks import problem_text
from scast_cli.render.explain import rule_text
from scast_cli.render.machine import to_json
from scast_cli.safe import markdown_code, markdown_text, terminal_text

WORDS = {
    "en": {
        "summary": "{file}: {indicators} indicators, {errors}, {warnings}",
        "summary_failed": "{file}: {errors}, {warnings}",
        "errors": ("{n} error", "{n} errors"),
        "warnings": ("{n} warning", "{n} warnings"),
        "ok": "no problems",
        "head": ["id", "indicator", "part", "dimension", "standard", "rule", "weight", "basis"],
        "bonus": "bonus +{points}",
        "fallback": "{weight} (fallback for {primary})",
        "fallback_short": "{weight} (fallback)",
        "bands": "bands",
        "target": "target",
        "goalposts": "goalposts",
        "flag": "yes/no",
        "lower": "lower is better",
        "keys": {
            "id": "id",
            "label": "indicator",
            "other": "其他语言",
            "description": "description",
            "why": "why",
            "formula": "formula",
            "fields": "fields read",
            "unit": "unit",
            "rule": "rule",
            "weight": "weight",
            "dimension": "dimension",
            "framework": '"3+1+N" part',
            "standard": "standardisation",
            "lever": "lever",
            "basis": "basis",
            "source": "source",
            "calibrated_on": "calibrated on",
            "fallback_for": "fallback for",
            "fallbacks": "fallbacks",
        },
        "none": "—",
    },
    "zh": {
        "summary": "{file}：{indicators} 个指标，{errors}，{warnings}",
        "summary_failed": "{file}：{errors}，{warnings}",
        "errors": ("{n} 个错误", "{n} 个错误"),
        "warnings": ("{n} 个警告", "{n} 个警告"),
        "ok": "未发现问题",
        "head": ["指标代码", "指标", "部分", "维度", "标准化", "规则", "权重", "依据"],
        "bonus": "加分 +{points}",
        "fallback": "{weight}（替代 {primary}）",
        "fallback_short": "{weight}（替代）",
        "bands": "分档",
        "target": "目标值",
        "goalposts": "线性区间",
        "flag": "是/否",
        "lower": "越低越好",
        "keys": {
            "id": "指标代码",
            "label": "指标",
            "other": "English",
            "description": "说明",
            "why": "归类理由",
            "formula": "公式",
            "fields": "读取的字段",
            "unit": "单位",
            "rule": "规则",
            "weight": "权重",
            "dimension": "维度",
            "framework": "“3+1+N”部分",
            "standard": "标准化",
            "lever": "抓手",
            "basis": "依据",
            "source": "来源",
            "calibrated_on": "以其自身数据定档的地区",
            "fallback_for": "替代指标",
            "fallbacks": "可由以下指标替代",
        },
        "none": "—",
    },
}
BASIS = {"zh": {"reported": "报道", "derived": "推算", "proposed": "建议"}, "en": {"reported": "reported", "derived": "derived", "proposed": "proposed"}}


def _words(lang: str) -> dict:
    return WORDS.get(lang, WORDS["en"])


def clean(text) -> str:
    """Text from a file, fit for a terminal line: no escape sequences, controls or line breaks."""
    return terminal_text(text, one_line=True)


def _g(x: float) -> str:
    return f"{x:g}"


def _threshold(x: float, unit: str) -> str:
    return f"{x * 100:g}%" if unit == "share" else _g(x)


# ---------------------------------------------------------------- check


def check_text(file: str, problems: list[Problem], lang: str, indicators: int | None) -> str:
    """One line per problem, errors first, then the summary."""
    words = _words(lang)
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [problem_text(p, lang) for p in sorted(problems, key=lambda p: order.get(p.severity, 3))]
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if not problems:
        lines.append(words["ok"])
    key = "summary" if indicators is not None else "summary_failed"
    counted = {k: words[k][n != 1].format(n=n) for k, n in (("errors", errors), ("warnings", warnings))}
    lines.append(words[key].format(file=file, indicators=indicators, **counted))
    return "\n".join(clean(line) for line in lines) + "\n"


def check_json(file: str, problems: list[Problem], indicators: int | None) -> str:
    errors = sum(p.severity == "error" for p in problems)
    payload = {
        "file": file,
        "valid": errors == 0,
        "indicators": indicators,
        "errors": errors,
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [{**p.as_dict(), "params": p.params or {}} for p in problems],
    }
    return to_json(payload)


# ---------------------------------------------------------------- list


def find(config: Config, wanted: str) -> Indicator:
    """An indicator by id or by its Chinese or English label; a usage error with a suggestion."""
    for ind in config.indicators:
        if wanted in (ind.id, ind.zh, ind.en):
            return ind
    for ind in config.indicators:
        if wanted.strip().lower() in (ind.id.lower(), ind.en.lower()):
            return ind
    names = [i.id for i in config.indicators] + [i.en for i in config.indicators] + [i.zh for i in config.indicators]
    hint = did_you_mean(wanted, names)
    suggestion = hint.split("'")[1] if hint else None
    raise UsageError(
        [
            Problem(
                "unknown-indicator",
                f"no indicator '{clean(wanted)}'{hint}; `scast indicators list` lists them all",
                params={"name": clean(wanted), "suggestion": suggestion},
            )
        ]
    )


def _group_label(config: Config, kind: str, gid: str, lang: str) -> str:
    group = next((g for g in config.groups.get(kind, []) if g.id == gid), None)
    return group.label(lang) if group else gid


def rule_short(ind: Indicator, lang: str) -> str:
    """'bands ≥ 100% / 94% / 80%', 'target 100', 'goalposts 10%–15%', 'yes/no'."""
    words, rule, unit = _words(lang), ind.rule, ind.unit
    sign = "≥" if ind.direction == "higher" else "≤"
    if isinstance(rule, BandsRule):
        return f"{words['bands']} {sign} " + " / ".join(_threshold(rule.bands[b], unit) for b in ("green", "yellow", "orange") if b in rule.bands)
    if isinstance(rule, TargetRule):
        return f"{words['target']} {_threshold(rule.target, unit)}" + ("" if ind.direction == "higher" else f" ({words['lower']})")
    if isinstance(rule, GoalpostsRule):
        return f"{words['goalposts']} {_threshold(rule.lower, unit)}–{_threshold(rule.upper, unit)}" + (
            "" if ind.direction == "higher" else f" ({words['lower']})"
        )
    return words["flag"]


def rule_long(ind: Indicator, config: Config, lang: str) -> str:
    """The rule in words, as explain and the report's appendix say it."""
    return rule_text({"rule": analysis.rule_dict(ind, config), "indicator": {"unit": ind.unit}}, lang)


def weight_text(ind: Indicator, lang: str, short: bool = False) -> str:
    """'1', 'bonus +3', '1 (fallback for X)' ('1 (fallback)' where the table is narrow)."""
    words = _words(lang)
    if ind.bonus:
        return words["bonus"].format(points=_g(ind.bonus_points))
    if ind.fallback_for:
        return words["fallback_short" if short else "fallback"].format(weight=_g(ind.weight), primary=ind.fallback_for)
    return _g(ind.weight)


def rule_dict(ind: Indicator, config: Config) -> dict:
    """The rule's own thresholds (analysis.rule_dict without the file-wide band scores)."""
    return {k: v for k, v in analysis.rule_dict(ind, config).items() if k not in ("band_scores", "score_bands", "bonus_points")}


def list_rows(config: Config, lang: str, short: bool = False) -> list[list[str]]:
    none = _words(lang)["none"]
    return [
        [
            ind.id,
            ind.label(lang),
            "/".join(ind.framework) or none,
            _group_label(config, "dimension", ind.dimension, lang),
            ", ".join(_group_label(config, "standard", s, lang) for s in ind.standard) or none,
            rule_short(ind, lang),
            weight_text(ind, lang, short),
            BASIS.get(lang, BASIS["en"])[ind.basis],
        ]
        for ind in config.indicators
    ]


def list_data(config: Config, lang: str) -> list[dict]:
    return [
        {
            "id": ind.id,
            "zh": ind.zh,
            "en": ind.en,
            "label": ind.label(lang),
            "part": list(ind.framework),
            "dimension": ind.dimension,
            "standard": list(ind.standard),
            "unit": ind.unit,
            "rule": rule_dict(ind, config),
            "weight": ind.weight,
            "bonus": ind.bonus,
            "bonus_points": ind.bonus_points if ind.bonus else None,
            "fallback_for": ind.fallback_for,
            "basis": ind.basis,
        }
        for ind in config.indicators
    ]


def list_json(config: Config, lang: str) -> str:
    return to_json(list_data(config, lang))


def list_markdown(config: Config, lang: str) -> str:
    head = _words(lang)["head"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    for row in list_rows(config, lang):
        lines.append("| " + " | ".join([markdown_code(row[0]), *(markdown_text(c) for c in row[1:])]) + " |")
    return "\n".join(lines) + "\n"


LIST_CSV_COLUMNS = ["id", "label", "part", "dimension", "standard", "rule", "weight", "bonus_points", "fallback_for", "basis"]


def list_csv(config: Config, lang: str) -> str:
    """English keeps the column keys and codes (for scripts); Chinese has Chinese headers and the
    groups' and basis' words (the id columns keep their ids)."""
    from scast_cli.render.machine import Column, Sheet, csv_text

    words = lang != "en"
    group = lambda kind, gid: _group_label(config, kind, gid, lang) if words else gid  # noqa: E731
    sep = "、" if words else "|"
    rows = [
        {
            "id": ind.id,
            "label": ind.label(lang),
            "part": sep.join(group("framework", g) for g in ind.framework),
            "dimension": group("dimension", ind.dimension),
            "standard": sep.join(group("standard", g) for g in ind.standard),
            "rule": rule_short(ind, lang),
            "weight": _g(ind.weight),
            "bonus_points": _g(ind.bonus_points) if ind.bonus else "",
            "fallback_for": ind.fallback_for or "",
            "basis": BASIS.get(lang, BASIS["en"])[ind.basis] if words else ind.basis,
        }
        for ind in config.indicators
    ]
    rows = [{k: clean(v) for k, v in row.items()} for row in rows]
    return csv_text(Sheet("", [Column(k) for k in LIST_CSV_COLUMNS], rows), lang)


def render_list(console, config: Config, lang: str) -> None:
    """Every indicator in one table whose columns are as wide as their longest word, broken only
    between words; one block per indicator where the terminal is too narrow for that."""
    from rich.table import Table
    from rich.text import Text

    from scast_cli.render import print_parts
    from scast_cli.render.layout import fit_or_stack

    table = Table(show_edge=False)
    for name in _words(lang)["head"]:
        table.add_column(name)
    for row in list_rows(config, lang, short=True):
        table.add_row(*(Text(clean(c)) for c in row))
    print_parts(console, fit_or_stack(table, console.width))


# ---------------------------------------------------------------- show


def show_data(config: Config, ind: Indicator, lang: str) -> dict:
    """Everything about one indicator, in both languages where the file has both."""
    formula = config.formulas[ind.id]
    both = lambda label: label.model_dump() if label is not None else None  # noqa: E731
    fields = []
    for fid in formula.fields:
        spec = config.field_by_id[fid]
        fields.append({"id": fid, "zh": spec.zh, "en": spec.en, "label": spec.label(lang), "kind": spec.kind, "unit": both(spec.unit)})
    groups = {
        kind: [{"id": gid, "label": _group_label(config, kind, gid, lang)} for gid in config.members(ind, kind)]
        for kind in ("dimension", "framework", "standard")
    }
    return {
        "id": ind.id,
        "zh": ind.zh,
        "en": ind.en,
        "label": ind.label(lang),
        "description": both(ind.description),
        "why": both(ind.why),
        "formula": formula.text,
        "unit": ind.unit,
        "fields": fields,
        "rule": rule_dict(ind, config),
        "rule_text": rule_long(ind, config, lang),
        "weight": ind.weight,
        "bonus": ind.bonus,
        "bonus_points": ind.bonus_points if ind.bonus else None,
        "groups": groups,
        "lever": list(ind.lever),
        "basis": ind.basis,
        "source": both(ind.source),
        "calibrated_on": list(ind.calibrated_on),
        "fallback_for": ind.fallback_for,
        "fallbacks": [i.id for i in config.indicators if i.fallback_for == ind.id],
    }


def show_json(data: dict) -> str:
    return to_json(data)


def _group_named(group: dict, lang: str) -> str:
    """'coverage (Coverage)', or under zh 'coverage（组织覆盖）' as the fields are named: the id, for
    `--by`, and the label; the id alone when it is the label."""
    if group["label"] == group["id"]:
        return group["id"]
    return f"{group['id']}（{group['label']}）" if lang == "zh" else f"{group['id']} ({group['label']})"


def _show_pairs(data: dict, lang: str) -> list[tuple[str, str]]:
    """(key, text) for every part of the indicator that has something to say."""
    keys, none = _words(lang)["keys"], _words(lang)["none"]
    other = "en" if lang == "zh" else "zh"
    pick = lambda both: (both.get(lang) or both.get(other) or "") if both else ""  # noqa: E731
    fields = []
    for f in data["fields"]:
        unit = pick(f["unit"])
        fields.append(f"{f['id']} ({f['label']}{', ' + unit if unit else ''})" if lang != "zh" else f"{f['id']}（{f['label']}{'，' + unit if unit else ''}）")
    weight = _words(lang)["bonus"].format(points=_g(data["bonus_points"])) if data["bonus"] else _g(data["weight"])
    pairs = [
        ("id", data["id"]),
        ("label", data["label"]),
        ("other", data[other]),
        ("description", pick(data["description"])),
        ("why", pick(data["why"])),
        ("formula", data["formula"]),
        ("fields", "; ".join(fields)),
        ("unit", file_unit(lang, data["unit"]) if lang == "zh" else data["unit"]),
        ("rule", data["rule_text"]),
        ("weight", weight),
        *(
            (kind, ("、" if lang == "zh" else ", ").join(_group_named(g, lang) for g in data["groups"][kind]) or none)
            for kind in ("dimension", "framework", "standard")
        ),
        ("lever", ", ".join(data["lever"])),
        ("basis", BASIS.get(lang, BASIS["en"])[data["basis"]]),
        ("source", pick(data["source"])),
        ("calibrated_on", ", ".join(data["calibrated_on"])),
        ("fallback_for", data["fallback_for"] or ""),
        ("fallbacks", ", ".join(data["fallbacks"])),
    ]
    return [(keys[k], v) for k, v in pairs if v]


def show_markdown(data: dict, lang: str) -> str:
    keys = _words(lang)["keys"]
    lines = [f"## {markdown_code(data['id'])} {markdown_text(data['label'])}", "", "| | |", "| --- | --- |"]
    for key, value in _show_pairs(data, lang):
        code = key in (keys["formula"], keys["id"])
        text = markdown_code(value) if code else markdown_text(value, autolink=key == keys["source"])
        lines.append(f"| {key} | {text} |")
    return "\n".join(lines) + "\n"


def render_show(console, data: dict, lang: str) -> None:
    """Key and value side by side, the values broken only between words (never a closing bracket
    alone at the start of a line); where even that is too wide, each key on a line of its own."""
    from rich.table import Table
    from rich.text import Text

    from scast_cli.render import print_parts
    from scast_cli.render.layout import fit, wrap

    pairs = [(Text(key, style="bold"), Text(clean(value))) for key, value in _show_pairs(data, lang)]
    table = Table(show_header=False, show_edge=False, box=None, padding=(0, 2, 0, 0))
    table.add_column()
    table.add_column()
    for key, value in pairs:
        table.add_row(key, value)
    if fit(table, console.width):
        print_parts(console, [table])
        return
    parts: list = []
    for key, value in pairs:
        parts += [key, *(Text.assemble("  ", line) for line in wrap(value, max(8, console.width - 2)).split("\n"))]
    print_parts(console, parts)
