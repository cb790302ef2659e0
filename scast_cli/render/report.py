"""`scast report`: a markdown report for the leadership of a 科协, with optional charts.

Everything scored comes from the library (engine.as_dict, analysis.priorities, analysis.compare,
analysis.rule_dict); this module only words and lays it out. The markdown passes markdownlint's
default rules: MD013 also counts table rows, so only narrow data go in tables and the rest are
lists; prose is wrapped at 80 characters at spaces only (a long CJK run has no space, which
MD013 allows); every heading is unique (MD024); data text is escaped and URLs become autolinks.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from scast_cli import __version__, analysis
from scast_cli.config import default_path
from scast_cli.engine import as_dict
from scast_cli.i18n import t
from scast_cli.render import QUALIFIER_SIGNS, band_label, fmt_grade, fmt_group_score, fmt_number, fmt_range, fmt_score, fmt_value, grade_note, threshold_text
from scast_cli.render.compare import _group_header, _group_rows, _signed, common_note, summary
from scast_cli.render.explain import rule_text
from scast_cli.render.markdown import _table
from scast_cli.safe import markdown_code, markdown_fence, markdown_text

WIDTH = 80  # markdownlint's default MD013 line length

# Report-only wording (i18n.py holds the words every view shares).
TEXT = {
    "en": {
        "title": "Grassroots CAST report: {region}",
        "date": "Date",
        "tool": "Tool",
        "bundled_config": "indicators.yaml bundled with scast {version}",
        "sha256": "Indicators file SHA-256",
        "summary": "Summary",
        "scores": "{region} scores {score} overall{year}, grade {grade}.",
        "in_year": " in {year}",
        "unscored": "{region} could not be scored: no indicator has the figures it needs.",
        "strong_weak": "Of the {n} {kinds}, {best} is the strongest ({best_score}) and {worst} the weakest ({worst_score}).",
        "all_equal": "All {n} {kinds} assessed score {score}.",
        "only_one": "Of the {kinds}, only {best} is assessed ({best_score}).",
        "most_left": "Most points are left on the table by {items} (see Priorities).",
        "points_of": "{label} ({points} points)",
        "all_met": "Every assessed indicator meets its target.",
        "complete": "{n} of {total} indicators are assessed, {pct} of the weight (data completeness).",
        "incomplete": "That is below the {threshold} the indicators file asks for, so the score rests on few "
        "indicators; the figures listed under Data quality would complete it.",
        "and": " and ",
        "list_sep": ", ",
        "groups": "Group scores",
        "groups_intro": "Scores out of 100, each with the range it could reach if every unassessed indicator scored its worst or best. "
        "The overall score is the weighted mean of the {kinds}; the other groups are shown for information.",
        "kind": "Kind",
        "group_chart": "Group scores chart",
        "indicator_chart": "Indicator scores chart",
        "chart_title": "{what}: {region}",
        "unscored_bar": "not assessed",
        "chart_hint": 'Charts need matplotlib: install it with `pip install "scast[charts]"` and run the report again.',
        "indicators": "Indicator scores",
        "indicators_intro": "Each assessed indicator: value, target, score and band, then what closes the gap.",
        "indicator_line": "**{label}**{bonus}: {value} (target {target}), score {score}{band}; {gap}.",
        "band_part": ", {band}",
        "bonus_tag": " (bonus)",
        "unassessed_here": "Indicators of this dimension not assessed: {n} (see Data quality).",
        "priorities": "Priorities",
        "priorities_intro": "Indicators ordered by the points they leave on the table (effective weight × "
        "(100 − score)), each with what would reach its target.",
        "priority_line": "**{label}**{bonus} (score {score}, {points} points left): {gap}.",
        "none_assessed": "No indicator is assessed yet; the figures listed under Data quality would assess them.",
        "priorities_total": "In all, the assessed indicators leave {left} points on the table; the overall score is {overall}.",
        "quality": "Data quality",
        "not_assessed": "Not assessed ({n})",
        "not_assessed_intro": "The figures after each indicator would assess it; the share is what it would carry in the overall score.",
        "needs_line": "**{label}** ({share}): needs {fields}.",
        "why_line": "**{label}** ({share}): {why}.",
        "share_of_score": "{share} of the score",
        "care": "Figures to read with care",
        "care_none": "No figure is approximate, a bound, claimed, inferred, cumulative or older than the report year.",
        "care_line": "**{label}**: {value} — {notes}.",
        "note_approx": "approximate (≈), scored as the stated number",
        "note_lower_bound": "a lower bound (≥): the real figure may be higher; scored as the stated number",
        "note_upper_bound": "an upper bound (≤): the real figure may be lower; scored as the stated number",
        "note_claimed": "claimed by the region, not verified",
        "note_inferred": "inferred: worked out rather than reported",
        "note_cumulative": "cumulative: indicators that need a yearly figure leave it unassessed",
        "note_old": "from {year}, {n} years before the report year",
        "figures": "Figures and sources",
        "figures_intro": "Every figure given for the region; the footnotes give their sources.",
        "figures_intro_nosource": "Every figure given for the region; the input names no sources.",
        "figure_line": "{label} (`{id}`): {value}{note}",
        "gap_lower_bound_higher": " (the value is a lower bound, so the real gap may be smaller)",
        "gap_upper_bound_higher": " (the value is an upper bound, so the real gap may be larger)",
        "gap_lower_bound_lower": " (the value is a lower bound, so the real gap may be larger)",
        "gap_upper_bound_lower": " (the value is an upper bound, so the real gap may be smaller)",
        "gap_approx": " (the value is approximate)",
        "add": "add {n} {label}",
        "recruit": "recruit {n} more {label}",
        "cut": "cut {label} by {n}",
        "raise_pp": "raise the {label} by {n} pp",
        "lower_pp": "lower the {label} by {n} pp",
        "add_money": "add {n} {unit} to {label}",
        "cut_money": "cut {label} by {n} {unit}",
        "raise_by": "raise {label} by {n}",
        "lower_by": "lower {label} by {n}",
        "flag_yes": 'get "{label}" to yes',
        "flag_no": 'get "{label}" to no',
        "comparison": "Comparison with {other}",
        "overall_both": "Overall: {left} {ls}, grade {lg}; {right} {rs}, grade {rg}. {common}",
        "common_diff": "On the {n} indicator(s) both report, {left} scores {cl} and {right} {cr}, a difference of {diff}.",
        "both": "Indicators assessed on both sides",
        "both_line": "**{label}**: {left} {lv} ({ls}), {right} {rv} ({rs}); {lead}.",
        "leads_by": "{name} leads by {diff}",
        "level": "level",
        "one_side": "Indicators assessed on one side only",
        "only_line": "**{name} only**: {labels}.",
        "method": "Appendix: how the scores are computed",
        "aggregation": "Aggregation",
        "agg_overall": "The overall score is the weighted {mean} of the {kinds} scores ({weights}){bonus}, at most 100.",
        "arithmetic": "arithmetic mean",
        "geometric": "geometric mean (scores below {floor} count as {floor})",
        "plus_bonus": ", plus the credit of the bonus indicators",
        "agg_n": 'The "N" of "3+1+N" (local extensions a region chooses itself) only adds credit: each N item adds its '
        "score/100 × its bonus points, all together at most {cap} points; a missing or zero N item adds nothing and "
        "never counts against completeness.",
        "agg_range": "Beside every score stands its range: the lowest and highest score the region could reach if every "
        "unassessed indicator scored its worst or its best. A grade is final when completeness reaches {pct} or the "
        "whole range lies in one grade; otherwise it is provisional.",
        "agg_basis": "Of the {n} indicators, {reported} have a threshold from a reported figure or rule, {derived} one "
        "derived by arithmetic from reported figures and {proposed} a proposed one (a design choice); {calibrated} "
        "were calibrated on a bundled region's own reported figure, so that region's score on them is not independent.",
        "agg_groups": 'A group score is the weighted mean of its indicators\' scores; the "3+1+N" parts and the five '
        "standardisations are scored the same way, for information.",
        "agg_skip": "An indicator without the figures it needs is left out and the weights of the others are "
        "renormalised; completeness is the share of the weight that could be assessed.",
        "agg_zero": "A missing figure counts as zero.",
        "agg_bands": "A bands rule scores {scores}; other scores fall in a band by score: {floors}, else red.",
        "agg_grades": "Grades: {grades}.",
        "agg_threshold": "A region below {pct} completeness is flagged as incomplete.",
        "method_indicators": "Indicators ({n})",
        "groups_of": "Groups",
    },
    "zh": {
        "title": "{region}基层科协组织建设评估报告",
        "date": "报告日期",
        "tool": "评估工具",
        "bundled_config": "scast {version} 自带的 indicators.yaml",
        "sha256": "指标文件校验值（SHA-256）",
        "summary": "摘要",
        "scores": "{region}{year}总分{score}，等级为“{grade}”。",
        "in_year": "{year}年",
        "unscored": "{region}无法评分：没有一项指标具备所需数据。",
        "strong_weak": "{n}个{kinds}中，“{best}”得分最高（{best_score}），“{worst}”得分最低（{worst_score}）。",
        "all_equal": "已评估的{n}个{kinds}得分均为{score}。",
        "only_one": "{kinds}中仅“{best}”可评估（{best_score}）。",
        "most_left": "失分最多的是{items}，详见“优先改进事项”。",
        "points_of": "“{label}”（失分{points}）",
        "all_met": "已评估的指标全部达标。",
        "complete": "已评估{total}项指标中的{n}项，占总权重的{pct}（数据完整度）。",
        "incomplete": "数据完整度低于指标文件要求的{threshold}，总分只反映少数指标；补充“数据质量”一节所列数据可使评估更完整。",
        "and": "和",
        "list_sep": "、",
        "groups": "分组得分",
        "groups_intro": "满分100分，括号内为可能区间（未评估指标全部取最差或最好时的得分）。总分由各{kinds}得分加权平均而得，其余分组得分供参考。",
        "kind": "类别",
        "group_chart": "分组得分图",
        "indicator_chart": "指标得分图",
        "chart_title": "{region}{what}",
        "unscored_bar": "未评估",
        "chart_hint": '生成图表需要 matplotlib：运行 `pip install "scast[charts]"` 安装后重新生成报告。',
        "indicators": "指标得分",
        "indicators_intro": "各项已评估指标的数值、目标值、得分和档次，以及补齐差距所需。",
        "indicator_line": "**{label}**{bonus}：{value}（目标值 {target}），得分{score}{band}；{gap}。",
        "band_part": "，{band}档",
        "bonus_tag": "（加分项）",
        "unassessed_here": "本维度未评估的指标：{n}项（见“数据质量”）。",
        "priorities": "优先改进事项",
        "priorities_intro": "按失分（实际权重×（100−得分））从多到少排列，并给出达到目标所需。",
        "priority_line": "**{label}**{bonus}（得分{score}，失分{points}）：{gap}。",
        "none_assessed": "尚无可评估的指标；补充“数据质量”一节所列数据即可评估。",
        "priorities_total": "已评估指标合计失分{left}分，总分{overall}。",
        "quality": "数据质量",
        "not_assessed": "未评估的指标（{n}项）",
        "not_assessed_intro": "每项指标后列出评估所需的数据，括号内为其在总分中的应占权重。",
        "needs_line": "**{label}**（{share}）：需要{fields}。",
        "why_line": "**{label}**（{share}）：{why}。",
        "share_of_score": "应占{share}",
        "care": "需谨慎解读的数据",
        "care_none": "所有数据均为确数，没有约数、上下限、自述、推算、累计或早于报告年份的数据。",
        "care_line": "**{label}**：{value}——{notes}。",
        "note_approx": "约数（≈），按所报数字计分",
        "note_lower_bound": "下限（≥），实际可能更高，按所报数字计分",
        "note_upper_bound": "上限（≤），实际可能更低，按所报数字计分",
        "note_claimed": "地区自述，未经核实",
        "note_inferred": "推算所得，并非直接报告",
        "note_cumulative": "累计数，需要年度数的指标不予评估",
        "note_old": "为{year}年数据，早于报告年份{n}年",
        "figures": "所用数据及来源",
        "figures_intro": "该地区提供的全部数据，来源见脚注。",
        "figures_intro_nosource": "该地区提供的全部数据，输入文件未注明来源。",
        "figure_line": "{label}（`{id}`）：{value}{note}",
        "gap_lower_bound_higher": "（数值为下限，实际差距可能更小）",
        "gap_upper_bound_higher": "（数值为上限，实际差距可能更大）",
        "gap_lower_bound_lower": "（数值为下限，实际差距可能更大）",
        "gap_upper_bound_lower": "（数值为上限，实际差距可能更小）",
        "gap_approx": "（数值为约数）",
        "raise_pp": "{label}提高{n}个百分点",
        "lower_pp": "{label}降低{n}个百分点",
        "more": "{label}增加{n}{unit}",
        "less": "{label}减少{n}{unit}",
        "flag_yes": "做到“{label}”",
        "flag_no": "不再“{label}”",
        "comparison": "与{other}对比",
        "overall_both": "总分：{left}{ls}分，等级{lg}；{right}{rs}分，等级{rg}。{common}",
        "common_diff": "仅按双方均已评估的{n}项指标计算，{left}{cl}分，{right}{cr}分，相差{diff}。",
        "both": "双方均已评估的指标",
        "both_line": "**{label}**：{left}{lv}（{ls}），{right}{rv}（{rs}）；{lead}。",
        "leads_by": "{name}领先{diff}分",
        "level": "持平",
        "one_side": "仅一方评估的指标",
        "only_line": "**仅{name}评估**：{labels}。",
        "method": "附录：评分方法",
        "aggregation": "汇总方法",
        "agg_overall": "总分为各{kinds}得分的加权{mean}（权重：{weights}）{bonus}，最高100分。",
        "arithmetic": "算术平均",
        "geometric": "几何平均（低于{floor}分按{floor}分计）",
        "plus_bonus": "，再加上加分项的加分",
        "agg_n": "“3+1+N”中的“N”（各地自选动作）只加分：每项按“得分/100×该项加分”计，合计不超过{cap}分；未填报或为0不扣分，也不计入数据完整度。",
        "agg_range": "每个得分旁给出可能区间：若未评估的指标全部取最差或最好，得分可能的最低值和最高值。数据完整度达到{pct}，或整个区间落在同一等级内时，等级为确定；否则为暂定。",
        "agg_basis": "{n}项指标中，{reported}项阈值来自报道的数字或规定，{derived}项由报道数字推算，{proposed}项为建议值（设计选择）；其中{calibrated}项按某个内置地区自身报道的数字定档，该地区在这些指标上的得分不构成独立证据。",
        "agg_groups": "分组得分为组内各指标得分的加权平均；“3+1+N”各部分和五个标准化按同样方法计算，供参考。",
        "agg_skip": "缺少所需数据的指标不参与计算，其余指标的权重重新归一；数据完整度为可评估指标所占的权重。",
        "agg_zero": "缺失数据按0计。",
        "agg_bands": "分档规则的得分为{scores}；其他规则按得分定档：{floors}，否则为红档。",
        "agg_grades": "等级：{grades}。",
        "agg_threshold": "数据完整度低于{pct}的地区标记为数据不完整。",
        "method_indicators": "指标说明（{n}项）",
        "groups_of": "所属分组",
    },
}

# Chinese gap sentences put the verb first ("新增3个乡镇(街道)科协") when the field label is a
# noun plus 数; these few words decide the verb or keep a label whose noun would read badly.
ZH_RECRUITED = ("志愿者",)
ZH_LEADING_VERBS = {"吸纳": "再吸纳"}
ZH_VERB_ENDINGS = ("入驻",)
EN_RECRUITED = ("volunteer",)


def say(lang: str, key: str, **kwargs) -> str:
    text = TEXT.get(lang, TEXT["en"])[key]
    return text.format(**kwargs) if kwargs else text


@dataclass
class Report:
    markdown: str  # the whole report, ending with a single newline
    charts: dict[str, bytes] = field(default_factory=dict)  # file name -> image bytes


def build_report(
    result,
    region: str,
    lang: str,
    *,
    against: tuple | None = None,
    chart_stem: str | None = "report",
    chart_format: str = "png",
    today: datetime.date | None = None,
) -> Report:
    """The report for one region of an engine.Result, optionally compared with (other_result, other_region).

    Charts are named '<chart_stem>-groups.<format>' and '<chart_stem>-indicators.<format>' and linked
    by those relative names; chart_stem None draws none (a report to stdout has no folder for them).

    Example: build_report(result, "胶州市", "zh", chart_stem="胶州市报告").charts.keys()
    """
    config = result.config
    payload = as_dict(result, region, lang)
    todo = analysis.priorities(result, region, lang)
    doc = _Doc()
    _head(doc, payload, config, lang, today or datetime.date.today())
    _summary(doc, payload, todo, config, lang)
    charts = _Charts(payload, config, lang, chart_stem, chart_format)
    _groups(doc, payload, config, lang, charts)
    _indicators(doc, payload, todo, config, lang, charts)
    _priorities(doc, todo, config, lang)
    _quality(doc, result, region, payload, todo, config, lang)
    if against is not None:
        other, other_region = against
        _comparison(doc, analysis.compare(result, region, other, other_region, lang), config, lang)
    _methodology(doc, todo, config, lang)
    return Report(doc.text(), charts.files)


# ---------------------------------------------------------------- markdown blocks


class _Doc:
    """Blocks of lines joined by one blank line, footnotes collected for the end."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.notes: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self.blocks.append([f"{'#' * level} {text}"])

    def para(self, text: str) -> None:
        self.blocks.append(wrap(text))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append([line for item in items for line in wrap(item, "- ", "  ")])

    def numbered(self, items: list[str]) -> None:
        lines = []
        for n, item in enumerate(items, start=1):
            marker = f"{n}. "
            lines += wrap(item, marker, " " * len(marker))
        self.blocks.append(lines)

    def footnote(self, text: str) -> str:
        """A reference to a new footnote holding `text` (already markdown)."""
        self.notes.append(text)
        return f"[^{len(self.notes)}]"

    def text(self) -> str:
        blocks = list(self.blocks)
        if self.notes:
            blocks.append([line for n, note in enumerate(self.notes, start=1) for line in wrap(note, f"[^{n}]: ", "    ")])
        return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# A line must not start with what markdown (CommonMark or pandoc's) reads as a list marker,
# quote, heading, rule, line block or definition; such a word stays on the line before.
_BLOCK_START = re.compile(r"^(?:[-+*:~|]|[-=_*]+|#{1,6}|>.*|\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)])$")


def wrap(text: str, first: str = "", rest: str = "", width: int = WIDTH) -> list[str]:
    """Fill words into lines of at most `width` characters, breaking at spaces only.

    A word longer than a line (a CJK sentence has no spaces) gets a line of its own: MD013 only
    objects to a long line with a space beyond the limit.
    """
    words: list[str] = []
    for word in text.split():
        if words and _BLOCK_START.match(word):
            words[-1] += " " + word
        else:
            words.append(word)
    lines, line, empty = [], first, True
    for word in words:
        if empty:
            line += word
        elif len(line) + 1 + len(word) > width:
            lines.append(line)
            line = rest + word
        else:
            line += " " + word
        empty = False
    lines.append(line)
    return [x.rstrip() for x in lines]


# Data text made literal in the report (safe.markdown_text), its URLs as <autolinks>: a source
# cites a web page and the reader sees the address a link goes to. Table cells are plain text,
# escaped by the table writer.
md = functools.partial(markdown_text, autolink=True)


def _link(name: str) -> str:
    """A file name as a link target: spaces and parentheses would end it early."""
    return name.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _join(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a、b和c'."""
    if len(items) <= 1:
        return "".join(items)
    return say(lang, "list_sep").join(items[:-1]) + say(lang, "and") + items[-1]


def _paren(text: str, lang: str) -> str:
    """' (text)' in English, '（text）' in Chinese."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _sentence(text: str) -> str:
    """A clause from the shared wording made to start a sentence."""
    return text[:1].upper() + text[1:]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _pct1(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _pts(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def score_band(score: float | None, config) -> str | None:
    """The band a group score falls in, by the indicators file's score_bands floors."""
    if score is None:
        return None
    floors = config.scoring.score_bands
    for band in ("green", "yellow", "orange"):
        if band in floors and score >= floors[band] - 1e-9:
            return band
    return "red"


# ---------------------------------------------------------------- gaps in words


def gap_text(gap: dict | None, score: float | None, ind, config, lang: str, qualifier: str | None = None) -> str:
    """What closes the gap, as an instruction in the lever's natural unit.

    zh '新增3个乡镇(街道)科协', '再招募1,240名注册科技志愿者', '…占比提高1.83个百分点';
    en 'add 3 township CASTs', 'raise … by 1.83 pp'. A negative amount means less is better.
    """
    if score is None:
        return ""
    if gap is None:
        return t(lang, "no_gap")
    amount = gap["amount"]
    if amount == 0:
        return t(lang, "met")
    spec = config.field_by_id[gap["field"]]
    label, unit = spec.label(lang), spec.unit_label(lang)
    more, n = amount > 0, fmt_number(abs(amount))
    if spec.kind == "flag":
        text = say(lang, "flag_yes" if ind.direction == "higher" else "flag_no", label=md(label))
    elif spec.kind == "share":
        pp = f"{abs(amount) * 100:.2f}".rstrip("0").rstrip(".")
        text = say(lang, "raise_pp" if more else "lower_pp", label=md(label), n=pp)
    elif lang == "zh":
        text = _zh_change(spec, more, n)
    elif spec.kind == "money":
        text = say(lang, "add_money" if more else "cut_money", label=md(label), n=n, unit=md(unit))
    elif spec.kind == "count":
        recruit = any(word in spec.en.lower() for word in EN_RECRUITED)
        text = say(lang, ("recruit" if recruit else "add") if more else "cut", label=md(label), n=n)
    else:
        text = say(lang, "raise_by" if more else "lower_by", label=md(label), n=f"{n} {unit}".strip())
    if qualifier in ("lower_bound", "upper_bound"):
        text += say(lang, f"gap_{qualifier}_{ind.direction}")
    elif qualifier == "approx":
        text += say(lang, "gap_approx")
    return text


def _zh_change(spec, more: bool, n: str) -> str:
    """'新增3个乡镇(街道)科协' when the label is a noun + 数, else '年度科普活动场次增加62场'."""
    label, unit = spec.zh, spec.unit_label("zh")
    noun = label[:-1] if label.endswith("数") and not label.endswith("次数") else None
    if noun and unit == "人" and noun.endswith("人"):
        noun = noun[:-1]
    if not more or spec.kind != "count" or not noun or noun.endswith(ZH_VERB_ENDINGS):
        return say("zh", "more" if more else "less", label=md(label), n=n, unit=md(unit))
    verb = "再招募" if any(word in noun for word in ZH_RECRUITED) else "新增"
    for lead, lead_verb in ZH_LEADING_VERBS.items():
        if noun.startswith(lead):
            verb, noun = lead_verb, noun[len(lead) :]
    measure = "名" if unit == "人" else unit
    return f"{verb}{n}{md(measure)}{md(noun)}"


# ---------------------------------------------------------------- sections


def _head(doc: _Doc, payload: dict, config, lang: str, today: datetime.date) -> None:
    region, overall = payload["region"], payload["overall"]
    doc.heading(1, say(lang, "title", region=md(region["name"])))
    colon = t(lang, "colon")
    facts = [
        (t(lang, "region"), md(region["name"])),
        (t(lang, "level"), t(lang, region["level"]) if region["level"] else "—"),
        (t(lang, "year"), region["year"] or "—"),
        (say(lang, "date"), today.isoformat()),
        (t(lang, "overall"), fmt_score(overall["score"])),
        (t(lang, "range"), fmt_range(overall["range"])),
        (t(lang, "grade"), md(fmt_grade(overall, lang))),
        (t(lang, "completeness"), _pct(overall["completeness"]) + _paren(t(lang, "assessed", n=overall["assessed"], total=overall["indicators"]), lang)),
        (say(lang, "tool"), f"scast {__version__}"),
        (t(lang, "config"), say(lang, "bundled_config", version=__version__) if config.path == str(default_path()) else markdown_code(config.path)),
        (say(lang, "sha256"), f"`{config.sha256}`"),
    ]
    doc.bullets([f"**{k}**{colon}{v}" for k, v in facts])


def _summary(doc: _Doc, payload: dict, todo: dict, config, lang: str) -> None:
    region, overall = payload["region"], payload["overall"]
    name = md(region["name"])
    doc.heading(2, say(lang, "summary"))
    if overall["score"] is None:
        sentences = [say(lang, "unscored", region=name)]
    else:
        year = say(lang, "in_year", year=region["year"]) if region["year"] else ""
        sentences = [say(lang, "scores", region=name, year=year, score=fmt_score(overall["score"]), grade=md(fmt_grade(overall, lang)))]
    kind = config.scoring.overall_by
    scored = [g for g in payload["groups"] if g["kind"] == kind and g["score"] is not None]
    kinds = t(lang, f"{kind}_word")
    if len(scored) == 1:
        sentences.append(say(lang, "only_one", kinds=kinds, best=md(scored[0]["label"]), best_score=fmt_score(scored[0]["score"])))
    elif scored:
        best = max(scored, key=lambda g: g["score"])
        worst = min(scored, key=lambda g: g["score"])
        if fmt_score(best["score"]) == fmt_score(worst["score"]):
            sentences.append(say(lang, "all_equal", n=len(scored), kinds=kinds, score=fmt_score(best["score"])))
        else:
            sentences.append(
                say(
                    lang,
                    "strong_weak",
                    n=len(scored),
                    kinds=kinds,
                    best=md(best["label"]),
                    best_score=fmt_score(best["score"]),
                    worst=md(worst["label"]),
                    worst_score=fmt_score(worst["score"]),
                )
            )
    top = _open(todo)[:3]
    if top:
        items = [say(lang, "points_of", label=md(r["label"]), points=_pts(r["points"]["left"])) for r in top]
        sentences.append(say(lang, "most_left", items=_join(items, lang)))
    elif overall["score"] is not None:
        sentences.append(say(lang, "all_met"))
    sentences.append(say(lang, "complete", n=overall["assessed"], total=overall["indicators"], pct=_pct(overall["completeness"])))
    if overall["score"] is not None and (overall["completeness"] or 0) < config.scoring.min_completeness - 1e-9:
        sentences.append(say(lang, "incomplete", threshold=_pct(config.scoring.min_completeness)))
    if note := grade_note(overall, lang):
        sentences.append(md(_sentence(note)) + ("。" if lang == "zh" else "."))
    doc.para((" " if lang == "en" else "").join(sentences))


def _open(todo: dict) -> list[dict]:
    """Assessed indicators that still leave points on the table, largest first."""
    return [r for r in todo["assessed"] if (r["points"]["left"] or 0) >= 0.005]


class _Charts:
    """The chart files of one report, or the text bars and the install hint when there are none."""

    def __init__(self, payload: dict, config, lang: str, stem: str | None, fmt: str) -> None:
        self.payload, self.config, self.lang, self.stem, self.fmt = payload, config, lang, stem, fmt
        self.files: dict[str, bytes] = {}
        self.missing = False  # matplotlib asked for but not installed
        if stem is None:
            return
        from scast_cli.render import charts

        try:
            self.files[f"{stem}-groups.{fmt}"] = charts.bar_chart(self._group_bars(charts), fmt=fmt, **self._words(charts, "groups"))
            bars = self._indicator_bars(charts)
            if bars:  # nothing assessed: the report says so, an empty chart would not
                self.files[f"{stem}-indicators.{fmt}"] = charts.bar_chart(bars, fmt=fmt, **self._words(charts, "indicators"))
        except ImportError as exc:
            if not (exc.name or "").startswith("matplotlib"):
                raise
            self.files.clear()
            self.missing = True

    def _words(self, charts, title_key: str) -> dict:
        lang, region = self.lang, self.payload["region"]["name"]
        title = say(lang, "chart_title", what=say(lang, title_key), region=region)
        # without a CJK font a Chinese region name cannot be drawn; the report around the chart names it
        fallback = say("en", "chart_title", what=say("en", title_key), region=region) if not charts.has_cjk(region) else say("en", title_key)
        return {
            "title": charts.Words(title, fallback),
            "axis": charts.Words(t(lang, "score"), t("en", "score")),
            "legend": {b: charts.Words(t(lang, b), t("en", b)) for b in ("green", "yellow", "orange", "red")},
            "empty": charts.Words(say(lang, "unscored_bar"), say("en", "unscored_bar")),
        }

    def _group_bars(self, charts) -> list:
        config, lang = self.config, self.lang
        labels_en = {(k, g.id): f"{t('en', k)} · {g.en}" for k in config.groups for g in config.groups[k]}
        return [
            charts.Bar(
                charts.Words(f"{t(lang, g['kind'])} · {g['label']}", _ascii(labels_en[(g["kind"], g["id"])], g["id"], charts)),
                g["score"],
                score_band(g["score"], config),
            )
            for g in self.payload["groups"]
        ]

    def _indicator_bars(self, charts) -> list:
        by_id = self.config.indicator_by_id
        return [
            charts.Bar(charts.Words(i["label"], _ascii(by_id[i["id"]].en, i["id"], charts)), i["score"], i["band"])
            for i in self.payload["indicators"]
            if i["score"] is not None
        ]

    def link(self, kind: str, alt_key: str) -> list[str]:
        name = f"{self.stem}-{kind}.{self.fmt}"
        return [f"![{say(self.lang, alt_key)}]({_link(name)})"] if name in self.files else []


def _ascii(label: str, fallback: str, charts) -> str:
    """The English label for a chart without a CJK font, or the id when the label has CJK in it."""
    return fallback if charts.has_cjk(label) else label


def _groups(doc: _Doc, payload: dict, config, lang: str, charts: _Charts) -> None:
    doc.heading(2, say(lang, "groups"))
    doc.para(say(lang, "groups_intro", kinds=t(lang, f"{config.scoring.overall_by}_word")))
    cap = payload["overall"]["bonus_cap"]
    rows = [
        [
            t(lang, g["kind"]),
            g["label"],
            fmt_group_score(g, cap, lang),
            fmt_range(g["range"]),
            band_label(score_band(g["score"], config), lang),
        ]
        for g in payload["groups"]
    ]
    doc.blocks.append(_table([say(lang, "kind"), t(lang, "group"), t(lang, "score"), t(lang, "range"), t(lang, "band")], rows))
    image = charts.link("groups", "group_chart")
    if image:
        doc.blocks.append(image)
        return
    if charts.missing:
        doc.para(say(lang, "chart_hint"))
    doc.blocks.append(markdown_fence(text_bars([(f"{t(lang, g['kind'])} · {g['label']}", g["score"]) for g in payload["groups"]]), "text"))


def text_bars(rows: list[tuple[str, float | None]], cells: int = 10) -> list[str]:
    """'组织覆盖 · …  █████████░ 91.7': one line per score, labels padded to the same display width."""
    widths = [_display_width(label) for label, _ in rows]
    longest = max(widths, default=0)
    out = []
    for (label, score), w in zip(rows, widths, strict=True):
        filled = 0 if score is None else round(score / 100 * cells)
        out.append(f"{label}{' ' * (longest - w)}  {'█' * filled}{'░' * (cells - filled)} {fmt_score(score)}")
    return out


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _indicators(doc: _Doc, payload: dict, todo: dict, config, lang: str, charts: _Charts) -> None:
    doc.heading(2, say(lang, "indicators"))
    doc.para(say(lang, "indicators_intro"))
    image = charts.link("indicators", "indicator_chart")
    if image:
        doc.blocks.append(image)
    for group in config.groups["dimension"]:
        items = [i for i in payload["indicators"] if i["dimension"] == group.id]
        assessed = [i for i in items if i["score"] is not None]
        if not items:
            continue
        score = next(g["score"] for g in payload["groups"] if g["kind"] == "dimension" and g["id"] == group.id)
        doc.heading(3, md(group.label(lang)) + _paren(fmt_score(score), lang))
        if assessed:
            doc.bullets([_indicator_line(i, config, lang) for i in assessed])
        if len(items) > len(assessed):
            doc.para(say(lang, "unassessed_here", n=len(items) - len(assessed)))


def _indicator_line(item: dict, config, lang: str) -> str:
    ind = config.indicator_by_id[item["id"]]
    return say(
        lang,
        "indicator_line",
        label=md(item["label"]),
        bonus=say(lang, "bonus_tag") if ind.bonus else "",
        value=md(fmt_value(item["value"], item["unit"], lang, item["qualifier"])),
        target=md(fmt_value(item["target"], item["unit"], lang)),
        score=fmt_score(item["score"]),
        band=say(lang, "band_part", band=band_label(item["band"], lang)) if item["band"] else "",
        gap=gap_text(item["gap"], item["score"], ind, config, lang, item["qualifier"]),
    )


def _priorities(doc: _Doc, todo: dict, config, lang: str) -> None:
    doc.heading(2, say(lang, "priorities"))
    rows = _open(todo)
    if not rows:
        doc.para(say(lang, "all_met" if todo["assessed"] else "none_assessed"))
        return
    doc.para(say(lang, "priorities_intro"))
    doc.numbered(
        [
            say(
                lang,
                "priority_line",
                label=md(r["label"]),
                bonus=say(lang, "bonus_tag") if r["bonus"] else "",
                score=fmt_score(r["score"]),
                points=_pts(r["points"]["left"]),
                gap=gap_text(r["gap"], r["score"], config.indicator_by_id[r["id"]], config, lang, r["qualifier"]),
            )
            for r in rows
        ]
    )
    if todo["additive"]:
        doc.para(say(lang, "priorities_total", left=_pts(todo["totals"]["left"]), overall=fmt_score(todo["overall"]["score"])))


def _quality(doc: _Doc, result, region: str, payload: dict, todo: dict, config, lang: str) -> None:
    doc.heading(2, say(lang, "quality"))
    missing = todo["not_assessed"]
    if missing:
        doc.heading(3, say(lang, "not_assessed", n=len(missing)))
        doc.para(say(lang, "not_assessed_intro"))
        doc.bullets([_missing_line(r, config, lang) for r in missing])
    regions = result.regions
    row = regions.values.loc[region]
    given = [spec for spec in config.fields if pd.notna(row[spec.id])]
    report_year = payload["region"]["year"]
    notes = {spec.id: _notes(regions, region, spec.id, report_year, lang) for spec in given}
    doc.heading(3, say(lang, "care"))
    careful = [spec for spec in given if notes[spec.id]]
    if careful:
        sep = t(lang, "semi")
        doc.bullets(
            [
                say(lang, "care_line", label=md(spec.label(lang)), value=md(_figure(row[spec.id], spec, regions, region, lang)), notes=sep.join(notes[spec.id]))
                for spec in careful
            ]
        )
    else:
        doc.para(say(lang, "care_none"))
    doc.heading(3, say(lang, "figures"))
    sources = regions.sources
    doc.para(say(lang, "figures_intro" if any((region, spec.id) in sources for spec in given) else "figures_intro_nosource"))
    lines = []
    for spec in given:
        source = sources.get((region, spec.id))
        note = doc.footnote(md(source)) if source else ""
        lines.append(say(lang, "figure_line", label=md(spec.label(lang)), id=spec.id, value=md(_figure(row[spec.id], spec, regions, region, lang)), note=note))
    if lines:
        doc.bullets(lines)


def _missing_line(r: dict, config, lang: str) -> str:
    share = t(lang, "bonus") if r["bonus"] else say(lang, "share_of_score", share=_pct1(r["nominal_weight"]))
    if r["reason"] in ("zero-denominator", "cumulative"):
        return say(lang, "why_line", label=md(r["label"]), share=share, why=t(lang, r["reason"]))
    sep = "、" if lang == "zh" else ", "
    fields = sep.join(md(config.field_by_id[f].label(lang)) + _paren(f"`{f}`", lang) for f in r["missing"])
    return say(lang, "needs_line", label=md(r["label"]), share=share, fields=fields)


def _figure(value: float, spec, regions, region: str, lang: str) -> str:
    """A raw figure as given: shares in percent to two decimals, counts and money with their unit."""
    sign = QUALIFIER_SIGNS.get(regions.qualifiers.get((region, spec.id), ""), "")
    if spec.kind == "flag":
        return fmt_value(value, "flag", lang)
    if spec.kind == "share":
        return f"{sign}{round(value * 100, 4):g}%"
    unit = spec.unit_label(lang)
    return f"{sign}{fmt_number(value, 4)}" + (f" {unit}" if unit else "")


def _notes(regions, region: str, field_id: str, report_year: int | None, lang: str) -> list[str]:
    """What a reader should know about one figure: approximate, bound, claimed, inferred, cumulative, old."""
    cell = (region, field_id)
    out = []
    qualifier = regions.qualifiers.get(cell)
    if qualifier in ("approx", "lower_bound", "upper_bound", "claimed"):
        out.append(say(lang, f"note_{qualifier}"))
    if cell in regions.inferred:
        out.append(say(lang, "note_inferred"))
    if regions.periods.get(cell) == "cumulative":
        out.append(say(lang, "note_cumulative"))
    year = regions.years.get(cell)
    if year is not None and report_year is not None and year < report_year:
        out.append(say(lang, "note_old", year=year, n=report_year - year))
    return out


def _comparison(doc: _Doc, data: dict, config, lang: str) -> None:
    left, right = data["left"]["label"], data["right"]["label"]
    doc.heading(2, say(lang, "comparison", other=md(right)))
    o = data["overall"]
    diff = o["difference"]
    doc.para(
        say(
            lang,
            "overall_both",
            left=md(left),
            ls=fmt_score(o["left"]["score"]),
            lg=md(fmt_grade(o["left"], lang)),
            right=md(right),
            rs=fmt_score(o["right"]["score"]),
            rg=md(fmt_grade(o["right"], lang)),
            common=md(common_note(data, lang))
            if diff is None
            else say(
                lang,
                "common_diff",
                n=o["common"]["indicators"],
                left=md(left),
                cl=fmt_score(o["common"]["left"]),
                right=md(right),
                cr=fmt_score(o["common"]["right"]),
                diff=_signed(diff),
            ),
        )
        + (" " if lang == "en" else "")
        + md(_sentence(summary(data, lang)))
    )
    if o["common"]["indicators"]:
        doc.blocks.append(_table(_group_header(data, lang), _group_rows(data, lang)))
    both = [i for i in data["indicators"] if i["assessed"] == "both"]
    if both:
        doc.heading(3, say(lang, "both"))
        lines = []
        for i in both:
            a, b = i["left"], i["right"]
            if i["leader"] in ("left", "right"):
                lead = say(lang, "leads_by", name=md(data[i["leader"]]["label"]), diff=f"{abs(i['score_difference']):.1f}")
            else:
                lead = say(lang, "level")
            lines.append(
                say(
                    lang,
                    "both_line",
                    label=md(i["label"]),
                    left=md(left),
                    lv=md(fmt_value(a["value"], i["unit"], lang, a["qualifier"])),
                    ls=fmt_score(a["score"]),
                    right=md(right),
                    rv=md(fmt_value(b["value"], i["unit"], lang, b["qualifier"])),
                    rs=fmt_score(b["score"]),
                    lead=lead,
                )
            )
        doc.bullets(lines)
    sides = [(side, [i for i in data["indicators"] if i["assessed"] == side]) for side in ("left", "right")]
    if any(items for _, items in sides):
        doc.heading(3, say(lang, "one_side"))
        sep = "、" if lang == "zh" else ", "
        doc.bullets([say(lang, "only_line", name=md(data[side]["label"]), labels=sep.join(md(i["label"]) for i in items)) for side, items in sides if items])


def _methodology(doc: _Doc, todo: dict, config, lang: str) -> None:
    scoring = config.scoring
    kind = scoring.overall_by
    colon, sep, comma = t(lang, "colon"), t(lang, "semi"), ("、" if lang == "zh" else ", ")
    doc.heading(2, say(lang, "method"))
    doc.heading(3, say(lang, "aggregation"))
    mean = say(lang, "arithmetic") if scoring.aggregation == "arithmetic" else say(lang, "geometric", floor=f"{scoring.geometric_floor:g}")
    weights = comma.join(f"{md(g.label(lang))} {g.weight:g}" for g in config.groups[kind])
    bonus = say(lang, "plus_bonus") if any(i.bonus for i in config.indicators) else ""
    scores = comma.join(f"{band_label(b, lang)} {s:g}" for b, s in scoring.band_scores.items())
    floors = comma.join(f"{band_label(b, lang)} ≥ {v:g}" for b, v in scoring.score_bands.items())
    grades = comma.join(f"{md(g.label(lang))} ≥ {g.min:g}" for g in sorted(config.grades, key=lambda g: -g.min))
    doc.bullets(
        [
            say(lang, "agg_overall", mean=mean, kinds=t(lang, f"{kind}_word"), weights=weights, bonus=bonus),
            say(lang, "agg_groups"),
            say(lang, "agg_skip" if scoring.missing == "skip" else "agg_zero"),
            say(lang, "agg_bands", scores=scores, floors=floors),
            say(lang, "agg_grades", grades=grades),
            say(lang, "agg_threshold", pct=_pct(scoring.min_completeness)),
            say(lang, "agg_range", pct=_pct(scoring.min_completeness)),
            *([say(lang, "agg_n", cap=f"{scoring.bonus_cap:g}")] if any(i.bonus for i in config.indicators) else []),
            say(lang, "agg_basis", n=len(config.indicators), calibrated=sum(1 for i in config.indicators if i.calibrated_on), **basis_counts(config)),
        ]
    )
    nominal = {r["id"]: r["nominal_weight"] for r in todo["assessed"] + todo["not_assessed"]}
    doc.heading(3, say(lang, "method_indicators", n=len(config.indicators)))
    lines = []
    for ind in config.indicators:
        head = f"**{md(ind.label(lang))}**" + _paren(f"`{ind.id}`", lang)
        if ind.description:
            head += f"{colon}{md(ind.description(lang))}"
        groups = sep.join(
            f"{t(lang, k)}{colon}" + comma.join(md(_group_label(config, k, gid, lang)) for gid in config.members(ind, k))
            for k in ("dimension", "framework", "standard")
            if config.members(ind, k)
        )
        weight = f"{ind.weight:g}{sep}{t(lang, 'weight_nominal', nominal=_pct1(nominal.get(ind.id)))}" if not ind.bonus else t(lang, "bonus_weight")
        rule = rule_text({"rule": analysis.rule_dict(ind, config), "indicator": {"unit": ind.unit}}, lang)
        basis = md(threshold_text(ind.basis, ind.source(lang), lang))
        lines += wrap(head, "- ", "  ")
        why = [(t(lang, "why"), md(ind.why(lang)))] if ind.why else []
        if ind.calibrated_on:
            basis += f"{sep}{md(t(lang, 'calibrated_on', regions=t(lang, 'list_sep').join(ind.calibrated_on)))}"
        for label, text in (
            *why,
            (t(lang, "formula"), markdown_code(ind.formula)),
            (t(lang, "rule"), md(rule)),
            (t(lang, "weight"), md(weight)),
            (say(lang, "groups_of"), groups),
            (t(lang, "threshold_source"), basis),
        ):
            lines += wrap(f"{label}{colon}{text}", "  - ", "    ")
    doc.blocks.append(lines)


def basis_counts(config) -> dict[str, int]:
    """How many indicators rest on a reported, a derived and a proposed threshold."""
    return {b: sum(1 for i in config.indicators if i.basis == b) for b in ("reported", "derived", "proposed")}


def _group_label(config, kind: str, gid: str, lang: str) -> str:
    return next(g.label(lang) for g in config.groups[kind] if g.id == gid)
