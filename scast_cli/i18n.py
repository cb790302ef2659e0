"""Chinese and English words for everything scast shows; labels of data come from the config."""

from __future__ import annotations

import locale
import os

TEXT = {
    "en": {
        "colon": ": ",
        "progress_read": "reading",
        "progress_score": "scoring",
        "progress_write": "writing",
        "region": "Region",
        "level": "Level",
        "year": "Year",
        "overall": "Overall score",
        "grade": "Grade",
        "completeness": "Completeness",
        "indicator": "Indicator",
        "value": "Value",
        "target": "Target",
        "score": "Score",
        "band": "Band",
        "gap": "Gap to target",
        "group": "Group",
        "weight": "Weight",
        "not_assessed": "Not assessed",
        "lacks": "lacks",
        "met": "met",
        "dimension": "Dimensions",
        "framework": '"3+1+N" parts',
        "standard": "Five standardisations",
        "assessed": "{n} of {total} indicators assessed",
        "bonus": "bonus",
        "config": "Indicators file",
        "zero-denominator": "a denominator is zero",
        "cumulative": "cumulative figure, not a yearly one",
        "flow": "a flow of new additions (新增), not a stock",
        "group_common": "Groups, on the indicators both sides report",
        "claimed_mark": " (claimed)",
        "bonus_mark": " (credit only)",
        "no_part": "in no part",
        "common_overall": "Score on the shared indicators",
        "calibrated_note": "Read with care: the thresholds of {items} were calibrated on {regions}'s own reported figures, so a lead there is partly built into the thresholds.",
        "stability_caveat": "The rank interval reflects uncertain weights only. Every grade here is provisional and the score ranges overlap, so what the unreported figures are could change the order far more than any weighting.",
        "rank_interval": "Rank (5–95%)",
        "why": "Why here",
        "calibrated_on": "calibrated on {regions}'s own reported figure: that region's score on it is not independent evidence",
        "groups_hidden": "Group scores are left out at {width} columns; a wider terminal, --format csv or -o ranking.xlsx shows them.",
        "stability_note": "Rank (5–95%): the rank, and in brackets the 5th–95th percentile of the rank over {draws} draws with every weight scaled by up to ±{spread}, alternating arithmetic and geometric aggregation (seed {seed}); the median rank is in CSV and JSON.",
        "provisional_count": "* provisional grade ({n}): too little is assessed to settle them; the range shows where the score could lie.",
        "grade_status": "Grade status",
        "rank_median": "Median rank",
        "rank_p5": "Rank, 5th percentile",
        "rank_p95": "Rank, 95th percentile",
        "score_low": "Overall, lowest",
        "score_high": "Overall, highest",
        "key_low": "Key, lowest",
        "key_high": "Key, highest",
        "common_note": "Differences are computed only on the {n} indicator(s) assessed on both sides; each side is re-scored on those alone.",
        "none_shared_note": "No indicator is assessed on both sides, so no difference is computed; the scores above rest on different indicators and cannot be compared.",
        "superseded": "the per-unit figure is used instead",
        "provisional": "provisional",
        "final": "final",
        "range": "Range",
        "credit": "credit",
        "credit_of": "+{x} credit (cap {cap})",
        "range_note": "if every unassessed indicator scored its worst or its best, the overall score would lie between {lo} and {hi}",
        "provisional_why": "grade provisional: completeness {c} is below {m} and the range {lo}–{hi} spans {glo} to {ghi}",
        "final_range": "grade final: the whole range {lo}–{hi} lies in {g}",
        "fallback_note": "average used in place of {primary}",
        "missing": "missing",
        "no_gap": "no lever can close this gap alone",
        "green": "green",
        "yellow": "yellow",
        "orange": "orange",
        "red": "red",
        "county": "county",
        "prefecture": "prefecture",
        "province": "province",
        "township": "township",
        "score_title": "scast score: {region}",
        "internal": "internal error: {error}. This is a bug in scast, not in your data: please report it with the output of the same command rerun with --debug",
        "compare_title": "scast compare: {left} vs {right}",
        "difference": "Difference",
        "leads": "Leads",
        "level_tie": "level",
        "only": "{side} only",
        "neither": "neither",
        "leads_on": "{name} leads on {n} of {m} indicators assessed on both sides",
        "both_level": "the two sides are level on every indicator assessed on both sides ({m})",
        "other_leads": "{name} leads on {n}",
        "level_count": "{n} level",
        "one_sided": "assessed on one side only: {left} for {left_name}, {right} for {right_name} (not counted as leads)",
        "none_shared": "no indicator is assessed on both sides",
        "rank_title": "scast rank by {what}",
        "rank": "Rank",
        "ranked": "Ranked",
        "section": "List",
        "rule_type_bands": "bands",
        "rule_type_target": "target",
        "rule_type_goalposts": "goalposts",
        "rule_type_flag": "yes/no",
        "lower_bound": "lower bound",
        "upper_bound": "upper bound",
        "approx": "approximate",
        "claimed": "claimed",
        "annual": "yearly",
        "point": "point in time",
        "incomplete": "Below the completeness threshold ({threshold}): ranked separately",
        "unscored": "Not scored on {what}",
        "overall_key": "overall score",
        "top_hidden": "Not shown with --top {top}: {what}.",
        "top_below": "{n} ranked below {top}",
        "top_unscored": "{n} with no score on {what}",
        "list_sep": ", ",
        "semi": "; ",
        "key_value": "Score on {what}",
        "explain_title": "scast explain: {indicator} · {region}",
        "formula": "Formula",
        "inputs": "Inputs",
        "source": "Source",
        "rule": "Rule",
        "points": "Points",
        "contributed": "Points earned",
        "left_on_table": "Points left",
        "effective_weight": "Effective weight",
        "nominal_weight": "Weight if all assessed",
        "threshold_source": "Threshold source",
        "basis_reported": "reported",
        "basis_derived": "derived",
        "basis_proposed": "proposed",
        "higher_better": "higher is better",
        "lower_better": "lower is better",
        "else_red": "else red",
        "rule_target_higher": "score = value ÷ {target} × 100, at most 100",
        "rule_target_lower": "score = 100 when value ≤ {target}, else {target} ÷ value × 100",
        "rule_goalposts_higher": "score = (value − {lower}) ÷ ({upper} − {lower}) × 100, clipped to 0–100",
        "rule_goalposts_lower": "score = ({upper} − value) ÷ ({upper} − {lower}) × 100, clipped to 0–100",
        "rule_flag": "yes → {yes}, no → {no}",
        "score_bands": "band by score: {bands}",
        "bonus_rule": "bonus: score ÷ 100 × {points} points added to the overall score",
        "weight_step": "weight {w:g} of {within:g} assessed in {group} ({share}); {group} is {gw:g} of {total:g} assessed {kind_word} ({gshare}) → {effective}",
        "weight_nominal": "{nominal} of the overall score when every indicator is assessed",
        "bonus_weight": "bonus indicator: outside the weighted mean",
        "points_step": "earns {earned} of the overall {overall} points; leaves {left} on the table",
        "points_sum": "Σ points earned = {sum} = base score {base}; + bonus {bonus} = overall {overall}",
        "points_sum_geometric": "geometric aggregation: points are shares of the weighted log-mean, they do not add up to the score",
        "not_assessed_because": "not assessed: {why}",
        "fix_first": "What to fix first: {region} (overall {overall})",
        "would_carry": "Would carry",
        "inferred": "inferred",
        "dimension_word": "dimensions",
        "framework_word": "“3+1+N” parts",
        "standard_word": "standardisations",
        "as_of": "as of {year}",
    },
    "zh": {
        "colon": "：",
        "progress_read": "读取",
        "progress_score": "评分",
        "progress_write": "写出",
        "region": "地区",
        "level": "层级",
        "year": "年份",
        "overall": "总分",
        "grade": "等级",
        "completeness": "数据完整度",
        "indicator": "指标",
        "value": "数值",
        "target": "目标值",
        "score": "得分",
        "band": "档次",
        "gap": "距目标差距",
        "group": "分组",
        "weight": "权重",
        "not_assessed": "未评估指标",
        "lacks": "缺少",
        "met": "已达标",
        "dimension": "维度",
        "framework": "“3+1+N”",
        "standard": "五个标准化",
        "assessed": "已评估 {n}/{total} 项指标",
        "bonus": "加分",
        "config": "指标文件",
        "zero-denominator": "分母为零",
        "cumulative": "累计数，非年度数",
        "flow": "新增数（流量），非现有总数",
        "group_common": "分组（仅按双方均已评估的指标）",
        "claimed_mark": "（自报）",
        "bonus_mark": "（加分项）",
        "no_part": "不属于任何部分",
        "common_overall": "共同指标得分",
        "calibrated_note": "请注意：{items}的阈值按{regions}自身报道的数字定档，在这些指标上的领先部分来自阈值本身。",
        "stability_caveat": "名次区间只反映权重的不确定性。这些地区的等级均为暂定，可能区间相互重叠，未填报数据的实际情况对名次的影响远大于权重。",
        "rank_interval": "名次（5–95%）",
        "why": "归属理由",
        "calibrated_on": "该阈值按{regions}自身报道的数字确定：其在此项上的得分不构成独立证据",
        "groups_hidden": "终端宽度 {width} 列放不下分组得分，已省略；加宽终端，或用 --format csv、-o 排名.xlsx 查看。",
        "stability_note": "名次（5–95%）：将每项权重在 ±{spread} 内随机调整、算术与几何汇总交替，共 {draws} 次（随机种子 {seed}），括号内为名次的第5–95百分位区间；名次中位数见 CSV、JSON。",
        "provisional_count": "* 暂定等级（{n} 个地区）：已评估的指标太少，等级尚不能确定；“可能区间”为总分可能所在的范围。",
        "grade_status": "等级状态",
        "rank_median": "名次中位数",
        "rank_p5": "名次（第5百分位）",
        "rank_p95": "名次（第95百分位）",
        "score_low": "总分下限",
        "score_high": "总分上限",
        "key_low": "排序依据下限",
        "key_high": "排序依据上限",
        "common_note": "差值只按双方均已评估的 {n} 项指标计算，双方均仅按这些指标重新计分。",
        "none_shared_note": "双方没有共同评估的指标，不计算差值；上面的得分基于不同指标，不能相互比较。",
        "superseded": "已按单位达标数评估，平均数不再计分",
        "provisional": "暂定",
        "final": "确定",
        "range": "可能区间",
        "credit": "加分",
        "credit_of": "加分 +{x}（上限 {cap}）",
        "range_note": "若未评估指标全部取最差或最好，总分将在 {lo}–{hi} 之间",
        "provisional_why": "等级暂定：数据完整度 {c} 低于 {m}，且可能区间 {lo}–{hi} 跨越“{glo}”至“{ghi}”",
        "final_range": "等级确定：可能区间 {lo}–{hi} 全部落在“{g}”",
        "fallback_note": "以平均数代替“{primary}”",
        "missing": "缺数",
        "no_gap": "单靠一项数据无法补齐",
        "green": "绿",
        "yellow": "黄",
        "orange": "橙",
        "red": "红",
        "county": "县级",
        "prefecture": "地市级",
        "province": "省级",
        "township": "乡镇级",
        "score_title": "scast 评分：{region}",
        "internal": "内部错误：{error}。这是 scast 的缺陷，不是您的数据有误：请加 --debug 重新运行同一命令，并将输出反馈给我们",
        "compare_title": "scast 对比：{left} 与 {right}",
        "difference": "差值",
        "leads": "领先",
        "level_tie": "持平",
        "only": "仅{side}",
        "neither": "均未评估",
        "leads_on": "在双方均已评估的 {m} 项指标中，{name} 领先 {n} 项",
        "both_level": "双方均已评估的 {m} 项指标全部持平",
        "other_leads": "{name} 领先 {n} 项",
        "level_count": "持平 {n} 项",
        "one_sided": "仅一方评估的指标：{left_name} {left} 项，{right_name} {right} 项（不计入领先）",
        "none_shared": "没有双方均已评估的指标",
        "rank_title": "scast 排名：按{what}",
        "rank": "名次",
        "ranked": "排名",
        "section": "类别",
        "rule_type_bands": "分档",
        "rule_type_target": "目标达成度",
        "rule_type_goalposts": "上下限线性",
        "rule_type_flag": "是否",
        "lower_bound": "下限",
        "upper_bound": "上限",
        "approx": "约数",
        "claimed": "自述",
        "annual": "年度",
        "point": "时点",
        "incomplete": "数据完整度低于 {threshold}，单独排名",
        "unscored": "{what}无法评分",
        "overall_key": "总分",
        "top_hidden": "--top {top} 未显示：{what}。",
        "top_below": "排名在第 {top} 名之后的 {n} 个",
        "top_unscored": "{what}无法评分的 {n} 个",
        "list_sep": "，",
        "semi": "；",
        "key_value": "{what}得分",
        "explain_title": "scast 解释：{indicator} · {region}",
        "formula": "计算公式",
        "inputs": "输入数据",
        "source": "来源",
        "rule": "评分规则",
        "points": "分值",
        "contributed": "贡献分",
        "left_on_table": "失分",
        "effective_weight": "实际权重",
        "nominal_weight": "全部评估时权重",
        "threshold_source": "阈值依据",
        "basis_reported": "有报道依据",
        "basis_derived": "推导",
        "basis_proposed": "建议值",
        "higher_better": "越高越好",
        "lower_better": "越低越好",
        "else_red": "否则为红",
        "rule_target_higher": "得分 = 数值 ÷ {target} × 100，最高 100",
        "rule_target_lower": "数值 ≤ {target} 时得 100，否则得分 = {target} ÷ 数值 × 100",
        "rule_goalposts_higher": "得分 = (数值 − {lower}) ÷ ({upper} − {lower}) × 100，限于 0–100",
        "rule_goalposts_lower": "得分 = ({upper} − 数值) ÷ ({upper} − {lower}) × 100，限于 0–100",
        "rule_flag": "是 → {yes}，否 → {no}",
        "score_bands": "按得分定档：{bands}",
        "bonus_rule": "加分项：得分 ÷ 100 × {points} 分计入总分",
        "weight_step": "在“{group}”已评估的权重 {within:g} 中占 {w:g}（{share}）；“{group}”在已评估的{kind_word}权重 {total:g} 中占 {gw:g}（{gshare}）→ {effective}",
        "weight_nominal": "全部指标均评估时占总分 {nominal}",
        "bonus_weight": "加分项：不参与加权平均",
        "points_step": "为总分 {overall} 贡献 {earned} 分；失分 {left}",
        "points_sum": "贡献分合计 {sum} = 基础分 {base}；加分 {bonus} → 总分 {overall}",
        "points_sum_geometric": "几何平均汇总：分值为加权对数均值的份额，相加不等于总分",
        "not_assessed_because": "未评估：{why}",
        "fix_first": "优先改进：{region}（总分 {overall}）",
        "would_carry": "应占权重",
        "inferred": "推算",
        "dimension_word": "维度",
        "framework_word": "“3+1+N”部分",
        "standard_word": "标准化",
        "as_of": "{year}年数据",
    },
}

UNITS = {
    "share": ("", ""),
    "per_10k": ("每万人", "per 10k residents"),
    "per_100k": ("每10万人", "per 100k residents"),
    "per_1k": ("每千人", "per 1k residents"),
    "persons": ("人", "persons"),
    "per_township": ("每乡镇", "per township"),
    "per_county": ("每县", "per county"),
    "yuan_per_person": ("元/人", "yuan per person"),
    "times_per_year": ("次/年", "times a year"),
    "person_times_per_person": ("人次/人", "person-times per person"),
    "count": ("个", "units"),
    "flag": ("", ""),
}


def detect_lang() -> str:
    """zh when the user's locale is Chinese, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh" if code.lower().startswith("zh") else "en"


def t(lang: str, key: str, **kwargs) -> str:
    text = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"].get(key, key)
    return text.format(**kwargs) if kwargs else text


def unit(lang: str, code: str) -> str:
    zh, en = UNITS.get(code, (code, code))
    return zh if lang == "zh" else en


# ---------------------------------------------------------------- words typed in forms, headers of written files
# (section owned by the file writers: CSV/XLSX headers, the template's dropdowns and notes, and
# the one table of the Chinese words a user may type for a level or a yes/no figure)

# Every way a form may name a level, by level code. The first Chinese word is the one scast
# prints (TEXT["zh"][code]) and the one the template's dropdown offers; the readers map whatever
# the user typed back to the code with level_code().
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "province": ("省级", "省", "省份", "自治区", "直辖市", "province", "provincial"),
    "prefecture": ("地市级", "市级", "地级市", "地级", "地市", "市", "设区市", "设区的市", "州", "盟", "prefecture", "city"),
    "county": ("县级", "县", "区", "县级市", "县区", "区县", "市辖区", "旗", "county", "district"),
    "township": ("乡镇级", "乡镇", "乡", "镇", "街道", "乡镇(街道)", "township", "town", "sub-district"),
}
LEVELS_ORDER = ("province", "prefecture", "county", "township")  # top down, as the dropdown lists them
# Every way a yes/no figure may be written: 1 for yes, 0 for no.
FLAG_WORDS: dict[int, tuple[str, ...]] = {
    1: ("是", "有", "已", "已建", "已设立", "对", "yes", "y", "true", "1", "✓", "√"),
    0: ("否", "无", "没有", "未", "未建", "不是", "no", "n", "false", "0", "✗", "×"),
}


def _typed(word) -> str:
    """A typed word compared as written in any width and case: '县级 ', '（县）' -> '县级', '县'."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(word)).strip().lower()
    return text[1:-1].strip() if len(text) > 2 and text[0] == "(" and text[-1] == ")" else text


_LEVEL_BY_WORD = {_typed(w): code for code, words in LEVEL_WORDS.items() for w in (code, *words)}
_FLAG_BY_WORD = {_typed(w): value for value, words in FLAG_WORDS.items() for w in words}


def level_code(word) -> str | None:
    """The level code ('county') for a word a user typed ('县级', '县', '区', 'County', '市'), or None
    when it names no level. Pure: no I/O, no exceptions; the caller words the problem."""
    return None if word is None else _LEVEL_BY_WORD.get(_typed(word))


def level_word(code: str, lang: str) -> str:
    """The word scast prints for a level code: 县级 / county."""
    return t(lang, code)


def level_choices(lang: str) -> list[str]:
    """The levels a form's dropdown offers, top down: 省级, 地市级, 县级, 乡镇级 (province, …)."""
    return [level_word(code, lang) for code in LEVELS_ORDER]


def flag_number(word) -> int | None:
    """1 for a yes word ('是', '有', 'Yes', '√'), 0 for a no word ('否', '无', 'no'), else None."""
    return None if word is None else _FLAG_BY_WORD.get(_typed(word))


def year_number(word) -> int | None:
    """The year in '2024', '2024年', '２０２４年' or 2024.0, or None when it is not a year written so."""
    import re

    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*年?(?:度)?", _typed(word)) if word is not None else None
    return int(match.group(1)) if match else None


# A row whose region name is one of these (spaces ignored, or starting with 合计/总计/小计) sums the
# rows above it: the readers leave it out with a note rather than score it as a region.
TOTAL_ROW_WORDS = ("合计", "总计", "小计", "共计", "全市", "全县", "全区", "全省", "全州", "全盟", "全旗", "total", "sum", "subtotal", "grandtotal")
TOTAL_ROW_PREFIXES = ("合计", "总计", "小计", "共计")
TOTAL_ROW_PATTERN = "(?is)(?:" + "|".join(TOTAL_ROW_WORDS) + "|(?:" + "|".join(TOTAL_ROW_PREFIXES) + ").*)"  # on the name without whitespace


def is_total_row(name) -> bool:
    """Whether a region name says the row is a total ('合计', '总 计', '全市', '合计（全市）', 'Total')."""
    import re

    return name is not None and re.fullmatch(TOTAL_ROW_PATTERN, re.sub(r"\s+", "", str(name))) is not None


# Headers of the CSV and XLSX files scast writes, by column key. English CSV keeps the keys
# themselves as headers (scripts read them); Chinese CSV and every XLSX use these words.
HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "region": "地区",
        "level": "层级",
        "year": "年份",
        "indicator": "指标编号",
        "label": "指标",
        "dimension": "维度",
        "framework": "“3+1+N”部分",
        "standard": "五个标准化",
        "value": "数值",
        "qualifier": "数值说明",
        "unit": "单位",
        "target": "目标值",
        "score": "得分",
        "band": "档次",
        "gap": "距目标差距",
        "gap_field": "差距所在数据项",
        "gap_amount": "差距数量",
        "missing": "缺少数据",
        "weight": "权重",
        "effective_weight": "实际权重",
        "region_score": "总分",
        "region_score_low": "总分下限",
        "region_score_high": "总分上限",
        "region_grade": "等级",
        "region_grade_status": "等级状态",
        "region_completeness": "数据完整度",
        "rank": "名次",
        "section": "类别",
        "low": "排序依据下限",
        "high": "排序依据上限",
        "score_low": "总分下限",
        "score_high": "总分上限",
        "grade": "等级",
        "grade_id": "等级编号",
        "grade_status": "等级状态",
        "completeness": "数据完整度",
        "key_completeness": "排序依据完整度",
        "assessed": "已评估指标数",
        "indicators": "指标总数",
        "bonus": "加分",
        "rank_median": "名次中位数",
        "rank_p5": "名次（第5百分位）",
        "rank_p95": "名次（第95百分位）",
        "overall": "总分",
        "group": "分组",
        "kind": "分组类别",
        "range_low": "可能区间下限",
        "range_high": "可能区间上限",
        "credit": "加分",
        "assessed_on": "评估情况",
        "left_region": "左方地区",
        "left_value": "左方数值",
        "left_qualifier": "左方数值说明",
        "left_score": "左方得分",
        "left_band": "左方档次",
        "right_region": "右方地区",
        "right_value": "右方数值",
        "right_qualifier": "右方数值说明",
        "right_score": "右方得分",
        "right_band": "右方档次",
        "score_difference": "得分差值",
        "value_difference": "数值差值",
        "leader": "领先方",
        "common": "共同指标得分",
        "difference": "差值",
    },
    "en": {
        "region": "Region",
        "level": "Level",
        "year": "Year",
        "indicator": "Indicator id",
        "label": "Indicator",
        "dimension": "Dimension",
        "framework": '"3+1+N" part',
        "standard": "Standardisation",
        "value": "Value",
        "qualifier": "Qualifier",
        "unit": "Unit",
        "target": "Target",
        "score": "Score",
        "band": "Band",
        "gap": "Gap to target",
        "gap_field": "Gap: field",
        "gap_amount": "Gap: amount",
        "missing": "Missing figures",
        "weight": "Weight",
        "effective_weight": "Effective weight",
        "region_score": "Overall score",
        "region_score_low": "Overall, lowest",
        "region_score_high": "Overall, highest",
        "region_grade": "Grade",
        "region_grade_status": "Grade status",
        "region_completeness": "Completeness",
        "rank": "Rank",
        "section": "List",
        "low": "Key, lowest",
        "high": "Key, highest",
        "score_low": "Overall, lowest",
        "score_high": "Overall, highest",
        "grade": "Grade",
        "grade_id": "Grade id",
        "grade_status": "Grade status",
        "completeness": "Completeness",
        "key_completeness": "Key completeness",
        "assessed": "Indicators assessed",
        "indicators": "Indicators",
        "bonus": "Bonus",
        "rank_median": "Median rank",
        "rank_p5": "Rank, 5th percentile",
        "rank_p95": "Rank, 95th percentile",
        "overall": "Overall score",
        "group": "Group",
        "kind": "Group kind",
        "range_low": "Range, lowest",
        "range_high": "Range, highest",
        "credit": "Credit",
        "assessed_on": "Assessed on",
        "left_region": "Left region",
        "left_value": "Left value",
        "left_qualifier": "Left qualifier",
        "left_score": "Left score",
        "left_band": "Left band",
        "right_region": "Right region",
        "right_value": "Right value",
        "right_qualifier": "Right qualifier",
        "right_score": "Right score",
        "right_band": "Right band",
        "score_difference": "Score difference",
        "value_difference": "Value difference",
        "leader": "Leads",
        "common": "Score on shared indicators",
        "difference": "Difference",
    },
}
# Words of coded values in files for people (Chinese CSV, every XLSX): the codes' own words are
# in TEXT (green, provisional, county, …); these are the ones only files need.
VALUE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "left": "左方",
        "right": "右方",
        "both": "双方",
        "neither": "均未评估",
        "level": "持平",
        "exact": "",
        "ranked": "排名",
        "incomplete": "单独排名",
        "unscored": "无法评分",
    },
    "en": {
        "left": "left",
        "right": "right",
        "both": "both",
        "neither": "neither",
        "level": "level",
        "exact": "",
        "ranked": "ranked",
        "incomplete": "ranked separately",
        "unscored": "not scored",
    },
}
# The template's words for the three columns that are not fields, and how to fill them.
FORM_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "sheet": "地区数据",
        "notes": "说明",
        "column": "列",
        "field": "字段编号（也可用作表头）",
        "help": "单位/填写说明",
        "region_help": "地区名称，如 胶州市；每行一个地区，同一文件中不可重复",
        "level_help": "行政层级，从下拉列表选择：{levels}；也可填 县、区、市、地级市、省、乡镇",
        "year_help": "数据年份，如 2024 或 2024年",
        "year_prompt": "如 2024 或 2024年",
        "year_error": "年份应为 2000–2100 之间的四位数字，如 2024 或 2024年",
        "level_error": "请从下拉列表选择层级：{levels}",
        "note_row": "# 单位/说明",
    },
    "en": {
        "sheet": "regions",
        "notes": "notes",
        "column": "column",
        "field": "field id (also accepted as a header)",
        "help": "unit/help",
        "region_help": "the region's name, e.g. 胶州市; one region per row, each once",
        "level_help": "administrative level, from the dropdown: {levels}",
        "year_help": "the year of the figures, e.g. 2024",
        "year_prompt": "e.g. 2024",
        "year_error": "a year from 2000 to 2100, e.g. 2024",
        "level_error": "choose a level from the list: {levels}",
        "note_row": "# unit/help",
    },
}


def header(lang: str, key: str) -> str:
    """The header of a written file's column `key` in `lang` (the key itself when none is set)."""
    return HEADERS.get(lang, HEADERS["en"]).get(key) or HEADERS["en"].get(key, key)


def value_word(lang: str, code) -> str:
    """The word for a coded value in a file for people: a band, a grade status, a level, a side."""
    if code is None or code == "":
        return code
    words = VALUE_WORDS.get(lang, VALUE_WORDS["en"])
    return words[code] if code in words else t(lang, code)


def form_word(lang: str, key: str, **kwargs) -> str:
    text = FORM_WORDS.get(lang, FORM_WORDS["en"])[key]
    return text.format(**kwargs) if kwargs else text


# ---------------------------------------------------------------- scast report
# The words of the report (every format: markdown, DOCX, HTML) and of its notices on stderr.
# Keys without a Chinese entry fall back to English, like t().

REPORT_WORDS = {
    "en": {
        "title": "Grassroots CAST report: {region}",
        "date": "Date",
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
        "chart_part": "{what} ({n} of {m})",
        "chart_title": "{what}: {region}",
        "unscored_bar": "not assessed",
        "indicators": "Indicator scores",
        "indicators_intro": "Each assessed indicator: value, target, score and band, then what closes the gap.",
        "indicator_line": "{value} (target {target}), score {score}{band}; {gap}.",
        "band_part": ", {band}",
        "bonus_tag": " (bonus)",
        "unassessed_here": "Indicators of this dimension not assessed: {n} (see Data quality).",
        "priorities": "Priorities",
        "priorities_intro": "Indicators ordered by the points they leave on the table (effective weight × "
        "(100 − score)), each with what would reach its target.",
        "priority_line": " (score {score}, {points} points left): {gap}.",
        "none_assessed": "No indicator is assessed yet; the figures listed under Data quality would assess them.",
        "priorities_total": "In all, the assessed indicators leave {left} points on the table; the overall score is {overall}.",
        "quality": "Data quality",
        "not_assessed": "Not assessed ({n})",
        "not_assessed_intro": "The figures after each indicator would assess it; the share is what it would carry in the overall score.",
        "needs_line": " ({share}): needs {fields}.",
        "why_line": " ({share}): {why}.",
        "share_of_score": "{share} of the score",
        "care": "Figures to read with care",
        "care_none": "No figure is approximate, a bound, claimed, inferred, cumulative or older than the report year.",
        "care_line": ": {value} — {notes}.",
        "note_approx": "approximate (≈), scored as the stated number",
        "note_lower_bound": "a lower bound (≥): the real figure may be higher; scored as the stated number",
        "note_upper_bound": "an upper bound (≤): the real figure may be lower; scored as the stated number",
        "note_claimed": "claimed by the region, not verified",
        "note_inferred": "inferred: worked out rather than reported",
        "note_cumulative": "cumulative: indicators that need a yearly figure leave it unassessed",
        "note_old": "from {year}, {n} years before the report year",
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
        "overall_both": "Overall: {left} {ls}, grade {lg}; {right} {rs}, grade {rg}.",
        "common_diff": "On the {n} indicator(s) both report, {left} scores {cl} and {right} {cr}, a difference of {diff}.",
        "both": "Indicators assessed on both sides",
        "both_line": ": {left} {lv} ({ls}), {right} {rv} ({rs}); {lead}.",
        "leads_by": "{name} leads by {diff}",
        "level": "level",
        "one_side": "Indicators assessed on one side only",
        "only_line": "{name} only",
        "appendix": "Appendix {n}: {what}",
        "figures": "figures and their sources",
        "figures_intro": "Every figure given for the region, with the field id a form uses; the numbers in brackets refer to the references.",
        "figures_intro_nosource": "Every figure given for the region, with the field id a form uses; the input names no sources.",
        "method": "how the scores are computed",
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
        "id": "Field id",
        "references": "references",
        "references_intro": "Every source cited above, with its address as the research found it; the note says what kind of page it is.",
        "references_none": "No source is cited.",
        "no_address": "no address found",
        "about": "about this report",
        "tool": "Tool",
        "bundled_config": "indicators.yaml bundled with scast {version}",
        "sha256": "Indicators file SHA-256",
        "text_bars": "Scores as bars",
        # notices on standard error, never in the report
        "notice_no_matplotlib": "note: the report has no charts because matplotlib is not installed or cannot be loaded; installing it (pip install matplotlib) in the environment scast runs in adds them",
        "notice_no_cjk_font": "note: the report has no charts: no font with Chinese characters was found, and charts would show empty boxes; "
        "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; Windows/macOS: 思源黑体 Source Han Sans, SimHei or PingFang) and run the report again",
        "notice_font_cache": "note: matplotlib's font list was out of date; scast rebuilt it and found {font}",
        "notice_charts_need_file": "note: charts are files beside the report, so they need -o FILE; on standard output the report shows text bars",
        "pdf_missing": "PDF needs LibreOffice (soffice) to convert the Word file, and none was found; install LibreOffice, "
        "or write -o report.docx or -o report.html and print that",
        "pdf_failed": "LibreOffice could not convert the report to PDF: {why}",
        "unknown_format": "scast report writes .md, .docx, .html or .pdf; '{suffix}' is none of them",
        "reference_doc_type": "--reference-doc needs a .docx file: {file}",
        "reference_doc_bad": "--reference-doc {file} is not a Word document scast can read: {why}",
    },
    "zh": {
        "title": "{region}基层科协组织建设评估报告",
        "date": "报告日期",
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
        "chart_part": "{what}（{n}/{m}）",
        "chart_title": "{region}{what}",
        "unscored_bar": "未评估",
        "indicators": "指标得分",
        "indicators_intro": "各项已评估指标的数值、目标值、得分和档次，以及补齐差距所需。",
        "indicator_line": "{value}（目标值 {target}），得分{score}{band}；{gap}。",
        "band_part": "，{band}档",
        "bonus_tag": "（加分项）",
        "unassessed_here": "本维度未评估的指标：{n}项（见“数据质量”）。",
        "priorities": "优先改进事项",
        "priorities_intro": "按失分（实际权重×（100−得分））从多到少排列，并给出达到目标所需。",
        "priority_line": "（得分{score}，失分{points}）：{gap}。",
        "none_assessed": "尚无可评估的指标；补充“数据质量”一节所列数据即可评估。",
        "priorities_total": "已评估指标合计失分{left}分，总分{overall}。",
        "quality": "数据质量",
        "not_assessed": "未评估的指标（{n}项）",
        "not_assessed_intro": "每项指标后列出评估所需的数据，括号内为其在总分中的应占权重。",
        "needs_line": "（{share}）：需要{fields}。",
        "why_line": "（{share}）：{why}。",
        "share_of_score": "应占{share}",
        "care": "需谨慎解读的数据",
        "care_none": "所有数据均为确数，没有约数、上下限、自述、推算、累计或早于报告年份的数据。",
        "care_line": "：{value}——{notes}。",
        "note_approx": "约数（≈），按所报数字计分",
        "note_lower_bound": "下限（≥），实际可能更高，按所报数字计分",
        "note_upper_bound": "上限（≤），实际可能更低，按所报数字计分",
        "note_claimed": "地区自述，未经核实",
        "note_inferred": "推算所得，并非直接报告",
        "note_cumulative": "累计数，需要年度数的指标不予评估",
        "note_old": "为{year}年数据，早于报告年份{n}年",
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
        "overall_both": "总分：{left}{ls}分，等级{lg}；{right}{rs}分，等级{rg}。",
        "common_diff": "仅按双方均已评估的{n}项指标计算，{left}{cl}分，{right}{cr}分，相差{diff}。",
        "both": "双方均已评估的指标",
        "both_line": "：{left}{lv}（{ls}），{right}{rv}（{rs}）；{lead}。",
        "leads_by": "{name}领先{diff}分",
        "level": "持平",
        "one_side": "仅一方评估的指标",
        "only_line": "仅{name}评估",
        "appendix": "附录{n}　{what}",
        "figures": "所用数据及来源",
        "figures_intro": "该地区提供的全部数据，括号内为填表所用的字段名，方括号内数字为参考文献编号。",
        "figures_intro_nosource": "该地区提供的全部数据，括号内为填表所用的字段名；输入文件未注明来源。",
        "method": "评分方法",
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
        "id": "字段名",
        "references": "参考文献",
        "references_intro": "上文引用的全部资料及研究时查到的网址；括号内注明网页类型。",
        "references_none": "未引用资料。",
        "no_address": "未找到网址",
        "about": "报告信息",
        "tool": "评估工具",
        "bundled_config": "scast {version} 自带的 indicators.yaml",
        "sha256": "指标文件校验值（SHA-256）",
        "text_bars": "得分条形图（文字）",
        "notice_no_matplotlib": "提示：matplotlib 未安装或无法加载，报告不含图表；在运行 scast 的环境中安装它（pip install matplotlib）即可",
        "notice_no_cjk_font": "提示：报告不含图表：未找到含中文字形的字体，图中汉字会显示为方框；请安装中文字体"
        "（Debian/Ubuntu：apt-get install fonts-noto-cjk；Windows/macOS：思源黑体、黑体 SimHei 或苹方 PingFang）后重新生成报告",
        "notice_font_cache": "提示：matplotlib 的字体列表已过期，scast 已重建并找到字体 {font}",
        "notice_charts_need_file": "提示：图表是报告旁的文件，需要 -o 文件名；输出到屏幕时报告以文字条形图显示",
        "pdf_missing": "生成 PDF 需要 LibreOffice（soffice）转换 Word 文件，但未找到；请安装 LibreOffice，或改用 -o 报告.docx、-o 报告.html 后打印",
        "pdf_failed": "LibreOffice 无法将报告转换为 PDF：{why}",
        "unknown_format": "scast report 可写 .md、.docx、.html 或 .pdf 文件；“{suffix}”不在其中",
        "reference_doc_type": "--reference-doc 需要 .docx 文件：{file}",
        "reference_doc_bad": "--reference-doc {file} 不是 scast 能读取的 Word 文件：{why}",
    },
}
# Chinese gap sentences put the verb first ("新增3个乡镇(街道)科协") when the field label is a
# noun plus 数; these few words decide the verb or keep a label whose noun would read badly.
REPORT_ZH_RECRUITED = ("志愿者",)
REPORT_ZH_LEADING_VERBS = {"吸纳": "再吸纳"}
REPORT_ZH_VERB_ENDINGS = ("入驻",)
REPORT_EN_RECRUITED = ("volunteer",)
REPORT_ZH_NUMERALS = "一二三四五六七八九十"


def report_word(lang: str, key: str, **kwargs) -> str:
    """A word of `scast report` (REPORT_WORDS) in `lang`, English when it has none."""
    text = REPORT_WORDS.get(lang, REPORT_WORDS["en"]).get(key) or REPORT_WORDS["en"][key]
    return text.format(**kwargs) if kwargs else text


# ---------------------------------------------------------------- command-line help
# (section owned by the CLI; helptext.localise sets every command's and option's help from it)

HELP_COMMANDS = {
    # command path: {lang: help}; the first paragraph is the summary in the list of commands
    "": {
        "en": 'Score grassroots 科协 (science and technology association) figures against the "3+1+N" and five-standardisation indicators.'
        "\n\nExample: scast score data/regions/jiaozhou.yaml",
        "zh": "按“3+1+N”与“五化”指标为基层科协的数据评分。\n\n示例：scast score data/regions/jiaozhou.yaml",
    },
    "score": {
        "en": "Score one region against the indicators.\n\nExample: scast score data/regions/jiaozhou.yaml --format json",
        "zh": "为一个地区按指标评分。\n\n示例：scast score data/regions/jiaozhou.yaml --format json",
    },
    "validate": {
        "en": "Check a region file against the fields without scoring; list every problem."
        "\n\nErrors (wrong type, negative count, part larger than its whole, share outside [0, 1], duplicate region or column, "
        "unknown column) exit 1; warnings and notes exit 0.\n\nExamples: scast validate data/regions.xlsx\n          scast validate data/regions.xlsx:胶州市 -f markdown -o 检查.md",
        "zh": "按字段检查地区文件而不评分，列出每个问题。"
        "\n\n错误（类型不对、计数为负、部分大于整体、比例不在 0 到 1 之间、地区或列重复、无法识别的列）退出码为 1；警告和提示退出码为 0。"
        "\n\n示例：scast validate data/regions.xlsx\n      scast validate data/regions.xlsx:胶州市 -f markdown -o 检查.md",
    },
    "fields": {
        "en": "List every field a region can report: id, labels, aliases, kind, unit, bounds, part of.\n\nExample: scast fields --lang zh --format markdown",
        "zh": "列出地区可以填报的每个字段：编号、名称、别名、类型、单位、取值范围、所属整体。\n\n示例：scast fields --lang zh --format markdown",
    },
    "template": {
        "en": "Write a blank form with every field, to fill in and score.\n\nExample: scast template --format xlsx --lang zh -o 科协数据.xlsx",
        "zh": "生成含全部字段的空白填报表，填好后即可评分。\n\n示例：scast template --format xlsx --lang zh -o 科协数据.xlsx",
    },
    "compare": {
        "en": "Compare two regions indicator by indicator, group by group and overall."
        "\n\nDifferences are LEFT minus RIGHT; a side leads an indicator where its score is higher. Indicators assessed on one side only "
        "are listed as such and never counted as a lead."
        "\n\nExamples: scast compare data/regions/jiaozhou.yaml data/regions/binzhou.yaml\n          scast compare --in data/regions.xlsx 胶州市 新沂市",
        "zh": "逐项指标、逐个分组并按总分比较两个地区。"
        "\n\n差值为 LEFT 减 RIGHT；哪一方得分高，哪一方在该指标上领先。只有一方评估了的指标单独列出，不计为领先。"
        "\n\n示例：scast compare data/regions/jiaozhou.yaml data/regions/binzhou.yaml\n      scast compare --in data/regions.xlsx 胶州市 新沂市",
    },
    "rank": {
        "en": "Rank every region in a table by overall score, a group or an indicator."
        "\n\nTies share a rank (1, 2, 2, 4). Regions whose data completeness is below the threshold are ranked in a separate list, "
        "never mixed in; regions with no score are listed last.\n\nExample: scast rank data/regions.xlsx --min-completeness 0 --format xlsx -o ranking.xlsx",
        "zh": "按总分、某个分组或某项指标为表中每个地区排名。"
        "\n\n并列者名次相同（1、2、2、4）。数据完整度低于门槛的地区另列一张名单，不混排；没有得分的地区列在最后。"
        "\n\n示例：scast rank data/regions.xlsx --min-completeness 0 --format xlsx -o 排名.xlsx",
    },
    "explain": {
        "en": "Show the arithmetic behind one score, or what to fix first."
        "\n\nWith an indicator: its formula, each input with qualifier and source, the value, the rule and thresholds, score and band, "
        "weight and effective weight, the points it earns and leaves on the table, the gap, and the source of the threshold. Without: "
        "every indicator by the points it leaves on the table, largest first."
        "\n\nExamples: scast explain township_cast_coverage data/regions/jiaozhou.yaml\n          scast explain data/regions/jiaozhou.yaml",
        "zh": "说明一项得分是怎样算出来的，或者应当先补哪里。"
        "\n\n指定指标时：列出公式、每个输入（含限定说明和来源）、指标值、评分规则和门槛、得分和档次、权重和实际权重、已得和失去的分数、"
        "差距，以及门槛的来源。不指定时：按失分从多到少列出每项指标。"
        "\n\n示例：scast explain township_cast_coverage data/regions/jiaozhou.yaml\n      scast explain data/regions/jiaozhou.yaml",
    },
    "report": {
        "en": "Write a report for the leadership: summary, groups, indicators, priorities, data quality, an optional comparison, charts, "
        "and appendices with the figures, the methodology and the references."
        "\n\nThe format follows -o: .md (charts as files beside it), .docx (Word, A4), .html (one printable page), .pdf (through "
        "LibreOffice). Without -o: markdown on standard output.\n\nExample: scast report data/regions/jiaozhou.yaml --lang zh -o 胶州市科协报告.docx",
        "zh": "为领导撰写报告：概要、分组、指标、工作重点、数据质量、可选的对比、图表，以及列出数据、方法和参考文献的附录。"
        "\n\n格式由 -o 的扩展名决定：.md（图表另存为旁边的文件）、.docx（Word，A4）、.html（可直接打印的单个网页）、.pdf（经 LibreOffice 转换）。"
        "不给 -o 时在标准输出写 markdown。\n\n示例：scast report data/regions/jiaozhou.yaml --lang zh -o 胶州市科协报告.docx",
    },
    "indicators": {
        "en": "Check an indicators file, list its indicators, or show one.\n\nExample: scast indicators check my-indicators.yaml",
        "zh": "检查指标文件，列出其中的指标，或查看某一项指标。\n\n示例：scast indicators check my-indicators.yaml",
    },
    "indicators check": {
        "en": "Check an indicators file and the files it extends; list every problem at its YAML line."
        "\n\nFinds duplicate ids, unknown fields and functions in formulas, non-finite, zero or negative weights and targets, band floors "
        "out of order, goalposts the wrong way round, a share threshold written as a percent, zeros under geometric aggregation, missing "
        "labels and sources, unused fields, empty groups, nothing left to score and a loop in `extends:`. Errors exit 1 (every other "
        "command refuses the file on the same errors); warnings exit 0.\n\nExample: scast indicators check my-indicators.yaml --format json",
        "zh": "检查指标文件及其继承（extends:）的文件，按 YAML 行号列出每个问题。"
        "\n\n可发现：编号重复、公式中未知的字段和函数、权重或目标值非有限数、为零或为负、档次下限顺序颠倒、目标与底线方向颠倒、"
        "比例门槛写成了百分数、几何平均下的零值、缺少名称和来源、未使用的字段、空分组、没有可评分的指标，以及 extends: 循环。"
        "有错误时退出码为 1（其他命令遇到同样的错误也会拒绝该文件）；只有警告时退出码为 0。"
        "\n\n示例：scast indicators check my-indicators.yaml --format json",
    },
    "indicators list": {
        "en": 'List every indicator: id, label, "3+1+N" part, dimension, standardisation, rule, weight, basis.'
        "\n\nExample: scast indicators list --lang zh --format markdown",
        "zh": "列出每项指标：编号、名称、“3+1+N”部分、维度、“五化”类别、评分规则、权重、依据。\n\n示例：scast indicators list --lang zh --format markdown",
    },
    "indicators show": {
        "en": "Show everything about one indicator: labels, description, why, formula, the fields it reads, rule and thresholds, weight, "
        "groups, basis, source, calibration and fallbacks.\n\nExample: scast indicators show township_cast_coverage",
        "zh": "查看一项指标的全部信息：名称、说明、设置理由、公式、所用字段、评分规则和门槛、权重、分组、依据、来源、校准和替代指标。"
        "\n\n示例：scast indicators show township_cast_coverage",
    },
}

_FORMAT_HELP = {
    "en": "Output format (default: from the -o file's extension, else table).",
    "zh": "输出格式（默认：按 -o 文件的扩展名，否则为表格）。",
}
_BOM_HELP = {
    "en": "CSV to a file: leave out the UTF-8 byte order mark that Excel and WPS need to read Chinese.",
    "zh": "写入 CSV 文件时不加 UTF-8 字节顺序标记（Excel 和 WPS 需要它才能正确读出中文）。",
}
_REGION_FILE = {
    "en": "A region file (YAML, CSV or XLSX), or TABLE:REGION such as data/regions.xlsx:胶州市.",
    "zh": "地区文件（YAML、CSV 或 XLSX），或“表格:地区”，如 data/regions.xlsx:胶州市。",
}
_CHECK_FORMAT = {"en": "Output format.", "zh": "输出格式。"}

HELP_OPTIONS = {
    # an option by its longest name, an argument by its name; "command option" overrides the shared entry
    "--version": {"en": "Show the version and exit.", "zh": "显示版本号并退出。"},
    "--debug": {"en": "Show the full traceback on errors (before or after the command).", "zh": "出错时显示完整的调用栈（可写在命令前或命令后）。"},
    "--install-completion": {"en": "Install tab completion for the current shell.", "zh": "为当前 shell 安装 Tab 补全。"},
    "--show-completion": {"en": "Show the tab completion script for the current shell.", "zh": "显示当前 shell 的 Tab 补全脚本。"},
    "file": _REGION_FILE,
    "--region": {"en": "The region to use when the file holds several.", "zh": "文件中有多个地区时，要使用的地区。"},
    "--indicators": {"en": "An indicators file (default: the bundled indicators.yaml).", "zh": "指标文件（默认：随附的 indicators.yaml）。"},
    "--format": _FORMAT_HELP,
    "--output": {"en": "File to write (atomically); '-' or none for stdout.", "zh": "要写入的文件（整体写入，不留半成品）；'-' 或不给时写到标准输出。"},
    "--lang": {
        "en": "Language of labels, help and messages (default: from the locale, else en).",
        "zh": "名称、帮助和提示信息的语言（默认：按系统语言环境，否则为 en）。",
    },
    "--sheet": {"en": "XLSX: the sheet to read (default: the first).", "zh": "XLSX：要读取的工作表（默认：第一张）。"},
    "--encoding": {"en": "CSV: the text encoding (default: detect UTF-8 or GB18030).", "zh": "CSV：文本编码（默认：自动识别 UTF-8 或 GB18030）。"},
    "--ignore-unknown": {"en": "Skip columns or keys that match no field instead of failing.", "zh": "跳过无法对应到字段的列或键，而不是报错。"},
    "--no-bom": _BOM_HELP,
    "score --by": {"en": "Group the indicator tables by this kind.", "zh": "指标表按哪一类分组：dimension（维度）、framework（“3+1+N”）、standard（“五化”）。"},
    "explain --format": {
        "en": "Output format (default: from the -o file's extension, else table); csv only for the list (FILE alone).",
        "zh": "输出格式（默认：按 -o 文件的扩展名，否则为表格）；csv 只用于列表（只给文件时）。",
    },
    "validate --format": {"en": "Output format (default: from the -o file's extension, else table).", "zh": _FORMAT_HELP["zh"]},
    "template --format": {
        "en": "Form format (default: from the -o file's extension, else xlsx).",
        "zh": "填报表格式（默认：按 -o 文件的扩展名，否则为 xlsx）。",
    },
    "template --output": {"en": "File to write; '-' for stdout (not for xlsx).", "zh": "要写入的文件；'-' 表示标准输出（xlsx 不可）。"},
    "template --no-bom": {
        "en": "CSV form: leave out the UTF-8 byte order mark that Excel and WPS need to read Chinese.",
        "zh": "CSV 填报表不加 UTF-8 字节顺序标记（Excel 和 WPS 需要它才能正确读出中文）。",
    },
    "left": {
        "en": "A region file, TABLE:REGION (data/regions.xlsx:胶州市), or a region name in --in TABLE.",
        "zh": "地区文件、“表格:地区”（如 data/regions.xlsx:胶州市），或 --in 表格中的地区名。",
    },
    "right": {
        "en": "A region file, TABLE:REGION (data/regions.xlsx:胶州市), or a region name in --in TABLE.",
        "zh": "地区文件、“表格:地区”（如 data/regions.xlsx:胶州市），或 --in 表格中的地区名。",
    },
    "--in": {"en": "A table holding both regions; LEFT and RIGHT are then region names.", "zh": "包含两个地区的表格；此时 LEFT 和 RIGHT 为地区名。"},
    "rank table": {"en": "A table (CSV or XLSX) or YAML file with one region per row or entry.", "zh": "表格（CSV 或 XLSX）或 YAML 文件，每行或每条一个地区。"},
    "rank --by": {
        "en": "Rank by a group ('coverage', 'framework:3') or an indicator id instead of the overall score.",
        "zh": "按某个分组（如 'coverage'、'framework:3'）或某项指标编号排名，而不是按总分。",
    },
    "--min-completeness": {
        "en": "Regions below this completeness (0.6 or 60%) are ranked separately (default: from the indicators file).",
        "zh": "完整度低于此值（0.6 或 60%）的地区另行排名（默认：取自指标文件）。",
    },
    "--top": {"en": "Only ranks 1..N in each list (ties at N included).", "zh": "每张名单只列第 1 至第 N 名（与第 N 名并列者一并列出）。"},
    "--stability": {
        "en": "Also show each region's median rank and 5th-95th percentile rank over 1,000 draws of weights ±25% (seeded).",
        "zh": "同时给出权重在 ±25% 内随机变动 1000 次（固定随机种子）时，每个地区名次的中位数和第 5 至第 95 百分位。",
    },
    "explain args": {
        "en": "An indicator id or label, then the region file; the file alone lists every indicator.",
        "zh": "指标编号或名称，然后是地区文件；只给文件时列出每项指标。",
    },
    "--against": {
        "en": "Compare with another region: a file, TABLE:REGION, or a region name in FILE's table.",
        "zh": "与另一个地区对比：地区文件、“表格:地区”，或 FILE 所在表格中的地区名。",
    },
    "--charts": {
        "en": "Charts: PNG or SVG files beside a .md report, embedded in .docx/.html/.pdf (needs scast[charts]). [default: png]",
        "zh": "图表：.md 报告旁另存 PNG 或 SVG 文件，.docx/.html/.pdf 中直接嵌入（需安装 scast[charts]）。[默认：png]",
    },
    "--reference-doc": {"en": "A .docx whose styles and page setup the Word report takes.", "zh": "一个 .docx 文件，Word 报告沿用它的样式和页面设置。"},
    "indicators check file": {"en": "An indicators file (default: the bundled indicators.yaml).", "zh": "指标文件（默认：随附的 indicators.yaml）。"},
    "indicators check --format": _CHECK_FORMAT,
    "indicator": {"en": "An indicator id, or its Chinese or English label.", "zh": "指标编号，或其中文、英文名称。"},
}

TEXT["en"]["problem_count"] = "{n} problems"
TEXT["zh"]["problem_count"] = "共 {n} 个问题"
TEXT["en"]["share_not_number"] = "'{text}' is not a number; give a share such as 0.6 or 60%"
TEXT["zh"]["share_not_number"] = "“{text}”不是数字；请写比例，如 0.6 或 60%"
TEXT["en"]["share_percent"] = "{text} is more than 1; for {value}% write {share} or {value}%"
TEXT["zh"]["share_percent"] = "{text} 大于 1；如指 {value}%，请写 {share} 或 {value}%"
TEXT["en"]["share_range"] = "{text} is outside 0 to 1; give a share such as 0.6 or 60%"
TEXT["zh"]["share_range"] = "{text} 不在 0 到 1 之间；请写比例，如 0.6 或 60%"

HELP_WORDS = {
    "zh": {"usage": "用法：", "arguments": "参数：", "options": "选项：", "commands": "命令："},
}

# click's and typer's own words in help rows, as they print them -> {lang: words}
HELP_TYPER = {
    "Show this message and exit.": {"zh": "显示本帮助并退出。"},
    "[default: ": {"zh": "[默认："},
    "[required]": {"zh": "[必填]"},
    " TEXT": {"zh": " 文本"},
    " PATH": {"zh": " 路径"},
    " INTEGER RANGE": {"zh": " 整数"},
    " INTEGER": {"zh": " 整数"},
    "x>=1": {"zh": "不小于 1"},
}


def help_word(lang: str, key: str) -> str:
    return HELP_WORDS.get(lang, {}).get(key, key)


def help_option(lang: str, command: str, key: str) -> str | None:
    """The help of option or argument `key` of `command` in `lang`, None when the table has none."""
    words = HELP_OPTIONS.get(f"{command} {key}") or HELP_OPTIONS.get(key)
    return None if words is None else words.get(lang) or words["en"]


# ---------------------------------------------------------------- problems in Chinese
# (section owned by the CLI's problem renderer, render/checks.problem_text). A problem is rendered
# in Chinese from its code and, in order: its params (PROBLEM_ZH, where the site gives them), or
# the groups of the first PROBLEM_ZH_PATTERNS entry that matches its English message; else the
# catalogue's Chinese title leads and the English specifics follow. A group or param named
# field... or indicator... is shown by its Chinese label; `hint` is a "did you mean" suggestion.

PROBLEM_ZH = {
    "cumulative-figure": "{field}：年度指标填写的是累计数，需要年度数据的指标不予评估",
    "flow-figure": "{field}：填写的是新增数（流量），需要现有总数的指标不予评估",
    "old-denominator": "{field}：数据为{year}年的，与报告年份{report_year}年相差超过3年",
    "approximate": "{field}：{kind}，按所填数值评分",
    "inferred": "{field}：推算所得，并非直接报道的数据",
    "too-many-problems": "问题过多，只列出前 {limit} 个",
    "extends-loop": "extends: 形成循环引用：{chain}",
    "unused-field": "没有指标的公式使用字段“{id}”：地区可以填报，但它不影响任何得分",
    "no-figures": "没有填写任何数据（figures:），无法评分；请在 figures: 下每行填一个字段，`scast fields` 列出全部字段",
    "no-header": "前 {rows} 行中找不到含“地区”列的表头（列名可写 {names}）；文件为空，或不是地区数据表？可用 `scast template` 生成填报表",
    "duplicate-column": "“{column}”列（{cell}）对应的字段“{field}”已由 {first} 列给出；请删去其中一列",
    "bad-xlsx": "不是可读取的 .xlsx 工作簿（文件为空、已损坏，或并非 Excel 文件）；请用 Excel 或 WPS 打开后另存为 .xlsx",
    "unknown-sheet": {  # by params["form"]
        "missing": "没有名为“{sheet}”的工作表{hint}；工作簿中的工作表有：{sheets}",
        "chart": "工作表“{sheet}”是图表，不是单元格表格；请用 --sheet 指定数据所在的工作表",
    },
    "output-type": {  # by params["form"]
        "suffix": "-o {file}：本命令不能写出 {suffix} 文件，可写出 {writes}",
        "report": "-o {file}：本命令不能写出 {suffix} 文件，可写出 {writes}；Word、HTML 或 PDF 文档请用 scast report 生成",
        "clash": "-o {file}：{suffix} 文件不能存放 --format {format} 的内容；请把文件命名为 {name}",
    },
    "rows-left-out": "{n} {unit}有错误，已略去，其余地区照常读取：{rows}；`scast validate {file}` 列出全部问题",
    "bad-fallback": "指标“{id}”的 fallback_for 指向“{primary}”：替代指标只能替代一个本身不是替代指标、也不是加分项的计分指标，自身也不能是加分项",
}
PROBLEM_ZH_KINDS = {"approx": "近似数（≈）", "lower_bound": "下限值（≥），实际数可能更高", "upper_bound": "上限值（≤），实际数可能更低"}

_NUMBER_FORMS = "可写成 10759、10,759、5.36万、4200多 或 73.17%"
_LIMIT = r"; the limit is (?P<n>[0-9,]+) [^(]*?(?: \(set (?P<env>\S+) to allow more\))?"  # limits.exceeds
_MORE = "（上限 {n}；可设环境变量 {env} 放宽）"
PROBLEM_ZH_PATTERNS = {
    "file-not-found": [(r"file not found.*", "找不到该文件（应为地区文件 .yaml、.csv 或 .xlsx，或“表格:地区”，如 data/regions.xlsx:胶州市）")],
    "not-a-file": [(r".*", "不是普通文件（是文件夹、管道或设备）")],
    "file-type": [(r"unsupported file type '(?P<suffix>.*)'; expected (?P<expected>.*)", "不支持的文件类型“{suffix}”，应为 .yaml、.csv 或 .xlsx")],
    "unknown-region": [(r"no region '(?P<name>.*)'; regions: (?P<names>.*)", "文件中没有地区“{name}”{hint}；文件中的地区有：{names}")],
    "choose-region": [
        (r"holds (?P<n>\d+) regions; choose one with --region: (?P<names>.*)", "文件含 {n} 个地区，请用 --region 或“表格:地区”指定其一：{names}")
    ],
    "unknown-column": [
        (
            r"unknown column (?P<column>.*) \((?P<cell>[A-Z]+[0-9]+)\); use --ignore-unknown to skip it",
            "无法识别的列“{column}”（{cell}）{hint}；可加 --ignore-unknown 跳过",
        ),
    ],
    "unknown-field": [(r"unknown field '(?P<name>.*?)'.*", "无法识别的字段“{name}”{hint}；`scast fields` 列出全部字段")],
    "unknown-key": [(r"unknown key '(?P<name>.*?)'; expected (?P<keys>.*)", "无法识别的键“{name}”{hint}；可用的键：{keys}")],
    "no-regions": [(r".*", "文件中没有地区数据")],
    "missing-region": [
        (r"row (?P<row>\d+) has figures but no region name in column (?P<col>[A-Z]+)", "第 {row} 行有数据但 {col} 列没有地区名称"),
        (r"region: expected the region's name", "缺少地区名称：请写 region: 地区名，如 region: 胶州市"),
    ],
    "duplicate-region": [(r".*?'(?P<name>.*?)'.*", "地区“{name}”出现了两次")],
    "bad-level": [
        (
            r"(?:level: )?expected one of .*, found (?P<found>.*)",
            "层级应为 省级、地市级、县级 或 乡镇级（也可写 省、市、地级市、县、区、县级市、乡镇、街道），填写的是 {found}",
        )
    ],
    "bad-year": [
        (
            r"(?:year: )?expected a year between (?P<lo>\d+) and (?P<hi>\d+), found (?P<found>.*)",
            "年份应在 {lo} 至 {hi} 年之间（如 2024 或 2024年），填写的是 {found}",
        )
    ],
    "bad-value": [
        (r"(?P<found>'.*') is not a number.*", "{found} 不是数字（" + _NUMBER_FORMS + "）"),
        (r"(?P<found>'.*') is not a finite number.*", "{found} 超出可表示的数值范围（应为有限数，如 10759）"),
        (r"expected a whole number for (?P<field>[a-z0-9_]+).*, found (?P<found>.*)", "{field}应为整数，填写的是 {found}"),
        (r"expected yes/no \(是/否\), found (?P<found>.*)", "应填“是”或“否”（也可写 有/无、√/×），填写的是 {found}"),
        (r"expected yes/no .* for (?P<field>[a-z0-9_]+), found (?P<found>.*)", "{field}应填“是”或“否”，填写的是 {found}"),
        (r"(?P<field>[a-z0-9_]+): .* cannot be below (?P<low>\S+), found (?P<found>.*)", "{field}不能小于 {low}，填写的是 {found}"),
        (
            r"(?P<field>[a-z0-9_]+): expected at most (?P<high>\S+), found (?P<found>\S+) \(write a share.*",
            "{field}最大为 {high}，填写的是 {found}（比例请写成小数，如 0.7317，或写成“73.17%”）",
        ),
        (r"(?P<field>[a-z0-9_]+): expected at most (?P<high>\S+), found (?P<found>.*)", "{field}最大为 {high}，填写的是 {found}"),
        (
            r"(?P<field>[a-z0-9_]+): part larger than its whole: (?P<part>\S+) > (?P<fieldwhole>.*) = (?P<whole>\S+)",
            "{field}（{part}）大于其整体{fieldwhole}（{whole}）",
        ),
    ],
    "encoding": [(r".*", "文件编码无法识别；请另存为 UTF-8，或用 --encoding gb18030 指定编码")],
    "output-type": [(r"-o (?P<file>.*?): this command cannot write (?P<suffix>\S+) files.*", "-o {file}：本命令不能写出 {suffix} 文件")],
    "overwrite-input": [(r".*", "-o 指定的是本次要读取的文件，不能覆盖")],
    "total-row": [(r"a total row .*", "合计行（合计、总计、全市等）不是地区，已略去")],
    "uncached-formula": [
        (
            r"(?P<n>[0-9,]+) formula cell\(s\) have no saved result \((?P<cells>.*)\): .*",
            "{n} 个公式单元格没有保存计算结果（{cells}）：请用 Excel 或 WPS 打开该文件后重新保存",
        ),
    ],
    "old-format": [
        (r"the old Excel format \(\.xls\).*", "不读取旧版 Excel 格式（.xls）：请用 Excel 或 WPS 打开，另存为 .xlsx（文件 → 另存为 → Excel 工作簿）"),
        (r"a WPS workbook \(\.et\).*", "不读取 WPS 表格格式（.et）：请用 WPS 打开，另存为 .xlsx（文件 → 另存为 → Excel 工作簿）"),
        (r"an OpenDocument workbook \(\.ods\).*", "不读取 OpenDocument 格式（.ods）：请用 LibreOffice、Excel 或 WPS 打开，另存为 .xlsx"),
    ],
    "unknown-indicator": [
        (r"unknown indicator '(?P<name>.*)'", "未知指标“{name}”{hint}"),
        (r"remove: no indicator '(?P<name>.*)' in the files this one extends", "remove: 所继承的文件中没有指标“{name}”{hint}"),
        (r"no indicator '(?P<name>.*)'; `scast explain FILE` lists them all", "没有指标“{name}”{hint}；`scast explain 文件` 列出全部指标"),
        (r"no indicator '(?P<name>.*)'; `scast indicators list` lists them all", "没有指标“{name}”{hint}；`scast indicators list` 列出全部指标"),
    ],
    "unknown-by": [(r"--by '(?P<name>.*)' is not the overall score, a group or an indicator", "--by “{name}”既不是总分，也不是分组或指标{hint}")],
    "ambiguous-by": [(r"--by '(?P<name>.*)' names several groups; write one of (?P<choices>.*)", "--by “{name}”匹配多个分组，请写其中之一：{choices}")],
    "explain-args": [
        (r"expected \[INDICATOR\] FILE, got (?P<n>\d+) arguments: (?P<args>.*)", "参数应为 [指标] 文件，实际给了 {n} 个：{args}"),
        (r"the indicator comes first: (?P<command>.*)", "指标应写在文件前面：{command}"),
    ],
    "csv-one-indicator": [(r"--format csv is for the list.*", "--format csv 只用于列表；单项指标请用 json")],
    "xlsx-needs-output": [(r"xlsx is binary: give a file with -o, e\.g\. -o (?P<file>.*)", "xlsx 是二进制文件，请用 -o 指定文件，如 -o {file}")],
    "output-is-dir": [(r"(?P<path>.*) is a folder; give a file name to -o", "{path} 是文件夹；请给 -o 一个文件名")],
    "no-output-dir": [(r"folder (?P<path>.*) does not exist; create it first or choose another -o", "文件夹 {path} 不存在；请先创建，或换一个 -o")],
    "two-regions": [
        (r"two regions given: '(?P<a>.*)' after the ':' and --region '(?P<b>.*)'; give one", "同时给了两个地区：冒号后的“{a}”和 --region 的“{b}”，请只给一个")
    ],
    "no-stdin": [(r".*", "没有从管道输入数据；请这样用：cat 表格.csv | scast rank -")],
    "too-large": [
        (r"is (?P<mb>[0-9,.]+) MB, too large to read" + _LIMIT, "文件有 {mb} MB，过大，不予读取" + _MORE),
        (r"is larger than (?P<mb>[0-9,.]+) MB, too large to read" + _LIMIT, "文件超过 {mb} MB，过大，不予读取" + _MORE),
        (r"unpacks to (?P<mb>[0-9,.]+) MB of XML, too much to read" + _LIMIT, "工作簿解压后有 {mb} MB 的 XML，过大，不予读取" + _MORE),
    ],
    "too-many-rows": [(r"more than (?P<rows>[0-9,]+) rows" + _LIMIT, "表格超过 {rows} 行" + _MORE)],
    "too-many-columns": [(r"(?P<width>[0-9,]+) columns, more than (?P<most>[0-9,]+)" + _LIMIT, "表格有 {width} 列，超过 {most} 列" + _MORE)],
    "too-many-cells": [(r"more than (?P<cells>[0-9,]+) cells" + _LIMIT, "表格超过 {cells} 个单元格" + _MORE)],
    "cell-too-long": [
        (r"a cell of (?P<chars>[0-9,]+) characters" + _LIMIT, "单元格内容有 {chars} 个字符，过长" + _MORE),
        (r"a cell longer than (?P<chars>[0-9,]+) characters" + _LIMIT, "单元格内容超过 {chars} 个字符，过长" + _MORE),
    ],
    "value-too-long": [(r"a value of (?P<chars>[0-9,]+) characters" + _LIMIT, "YAML 中有一个值长达 {chars} 个字符，过长" + _MORE)],
    "too-deep": [(r"nested more than (?P<depth>\d+) levels deep" + _LIMIT, "嵌套超过 {depth} 层" + _MORE)],
    "too-many-aliases": [(r"more than (?P<count>[0-9,]+) aliases.*?" + _LIMIT, "YAML 别名（*名称）超过 {count} 个" + _MORE)],
    "too-many-keys": [(r"more than (?P<count>[0-9,]+) keys.*?" + _LIMIT, "YAML 的键超过 {count} 个（别名重复的也计入）" + _MORE)],
    "too-many-values": [(r"more than (?P<count>[0-9,]+) values.*?" + _LIMIT, "YAML 的值超过 {count} 个（别名重复的也计入，可能是“别名炸弹”）" + _MORE)],
    "bad-limit": [(r"(?P<env>\S+): expected a positive whole number .*, found (?P<found>.*)", "环境变量 {env} 应为正整数，设置的是 {found}")],
    "duplicate-key": [(r"key '(?P<key>.*)' appears twice in the same mapping", "键“{key}”在同一层中出现了两次")],
    "duplicate-field": [(r"(?P<field>\S+) \((?P<zh>.*)\) is given twice", "{field}填写了两次（同一字段的不同名称也算）")],
    "bad-figures": [(r"figures: expected a mapping of field -> value", "figures: 应为“字段: 数值”的映射，每行一个字段")],
    "bad-qualifier": [(r"qualifier: expected one of (?P<choices>.*), found (?P<found>.*)", "限定词 qualifier 应为 {choices} 之一，填写的是 {found}")],
    "bad-period": [
        (
            r"period: expected one of (?P<choices>.*), found (?P<found>.*)",
            "期间 period 应为 {choices} 之一（point 时点、annual 年度、cumulative 累计、flow 新增），填写的是 {found}",
        )
    ],
    "bad-csv": [(r"not readable as CSV: .*", "CSV 格式有误，无法解析；请用 Excel 或 WPS 打开后另存为“CSV UTF-8”")],
    "xml-entities": [(r"refused: .*", "拒绝读取：工作簿的 XML 声明了实体或 DTD（可能是实体扩展或外部实体攻击）；请用 Excel 或 WPS 重新保存")],
    "bad-extends": [(r"expected 'default' or a path to an indicators file", "extends: 应为 default 或指标文件的路径")],
    # indicators files (lint.py): what an indicator author reads from `scast indicators check`
    "not-finite": [(r"(?P<key>\S+) is (?P<found>.*); expected a finite number", "{key} 为 {found}，应为有限数")],
    "missing-group": [(r"groups need a '(?P<kind>.*)' list", "groups 下需要“{kind}”列表")],
    "missing-grades": [(r"at least one grade is needed", "至少需要定义一个等级")],
    "duplicate-id": [(r"id '(?P<dup>.*?)' is used twice in (?P<section>\S+?)\b.*", "编号“{dup}”在 {section} 中使用了两次；请各用其号，或把两者合并")],
    "bad-weight": [(r"weight is (?P<weight>\S+); expected a number above 0.*", "权重为 {weight}，应为大于 0 的数（不计的项目请删除，而不是设为 0）")],
    "bad-bounds": [(r"min \((?P<low>.*)\) is above max \((?P<high>.*)\)", "下限 min（{low}）高于上限 max（{high}）")],
    "bad-bonus": [(r"a bonus indicator needs bonus_points > 0", "加分项需要 bonus_points > 0")],
    "bad-target": [(r"target is (?P<target>\S+); expected a number above 0", "目标值 target 为 {target}，应为大于 0 的数")],
    "bad-goalposts": [(r"upper \((?P<upper>.*)\) must be greater than lower \((?P<lower>.*)\)", "上限 upper（{upper}）必须大于下限 lower（{lower}）")],
    "bad-formula": [(r"the formula is nested too deeply to check", "公式嵌套过深，无法检查")],
    "unknown-function": [
        (
            r"unknown function '(?P<name>.*?)' in '(?P<formula>.*)' at character (?P<at>\d+); allowed: (?P<allowed>.*)",
            "公式“{formula}”第 {at} 个字符处的函数“{name}”不可用{hint}；可用的函数：{allowed}",
        )
    ],
    "missing-label": [(r"the \S+ label \((?P<lang>\w+)\) is (?P<found>.*); every label .*", "名称（{lang}）为 {found}；中文和英文名称都需要填写")],
    "missing-source": [
        (r"no \S+ source \((?P<key>.*?)\): .*", "缺少来源 {key}：该语言的报告将不显示来源"),
        (r"no source: say where the thresholds come from.*", "未注明来源：请说明阈值依据（文件、算法，或写 proposed 并说明理由）"),
    ],
    "geometric-zero": [
        (
            r".*under geometric aggregation a 0 counts as the geometric_floor (?P<floor>\S+), so .*",
            "该规则可能得 0 分；几何平均汇总时 0 分按 geometric_floor {floor} 计，一项为 0 就会把所在分组拉向 {floor}，无论其他得分如何",
        )
    ],
    "bad-bands": [
        (
            r"(?:score_bands: )?(?P<upper>\w+) \((?P<a>[^)]*)\) is (?:above|below) (?P<lower>\w+) \((?P<b>[^)]*)\).*",
            "分档阈值顺序与方向不符：{upper}（{a}）与 {lower}（{b}）顺序颠倒",
        )
    ],
    "invalid-config": [(r"unknown key \(check the spelling.*", "无法识别的键（请对照指标文件格式检查拼写）")],
    "empty-group": [
        (r"no indicator belongs to the (?P<kind>\S+) group '(?P<group>.*)'", "{kind} 分组“{group}”中没有指标"),
        (r"only bonus indicators belong to the (?P<kind>\S+) group '(?P<group>.*?)'.*", "{kind} 分组“{group}”中只有加分项，自身没有得分；请标注 credit: true"),
    ],
    "unknown-group": [(r"unknown (?P<kind>\S+) '(?P<group>.*?)'; known: (?P<known>.*)", "未知的 {kind} 分组“{group}”{hint}；已有：{known}")],
    "credit-not-bonus": [
        (
            r"'(?P<indicator>.*?)' is in the credit-only group (?P<group>.*?), so it must be .*",
            "{indicator}属于只加分的分组 {group}，必须是加分项（bonus: true）",
        )
    ],
    "share-as-percent": [
        (
            r"'(?P<indicator>.*?)' is a share \(0 to 1\) but its (?P<key>\S+) threshold is (?P<value>\S+), which no share can reach.*",
            "{indicator}是比例（0 到 1），但其 {key} 阈值为 {value}，比例不可能达到（应写 0.7，而非 70）",
        )
    ],
    "nothing-to-score": [(r"nothing is left to score: .*", "没有剩下可计分的指标（请检查 remove: 和各分组）")],
    "bad-remove": [
        (r"remove: expected a list of indicator ids, found (?P<found>.*)", "remove: 应为指标编号列表，填写的是 {found}"),
        (r"remove: expected an indicator id, found (?P<found>.*)", "remove: 应为指标编号，填写的是 {found}"),
    ],
    "yaml-syntax": [
        (
            r"invalid YAML: character #x(?P<code>[0-9a-f]+) at position (?P<pos>\d+): .*",
            "YAML 格式错误：第 {pos} 个字符处含有不允许的字符 #x{code}；请以 UTF-8 文本保存",
        ),
        (r"invalid YAML: .*", "YAML 格式错误：无法解析（常见原因：冒号后缺空格、缩进不齐、括号或引号未闭合）"),
    ],
    "not-a-mapping": [
        (
            r"expected a mapping with region:, level:, year: and figures:",
            "应为“键: 值”形式的映射，含 region:（地区）、level:（层级）、year:（年份）和 figures:（数据）；文件为空？可用 `scast template -f yaml` 生成填报模板",
        ),
        (r"expected a mapping with fields: and indicators:", "指标文件应为含 fields: 和 indicators: 的映射"),
    ],
    "output-denied": [
        (r"cannot write (?P<path>.*?): no permission to write in the folder (?P<folder>.*)", "无法写入 {path}：没有在文件夹 {folder} 中写入的权限")
    ],
    "write-failed": [
        (r"cannot write (?P<path>.*?): No such file or directory", "无法写入 {path}：路径不存在，或该位置不能新建文件"),
        (r"cannot write (?P<path>.*?): Permission denied", "无法写入 {path}：没有写入权限"),
        (r"cannot write (?P<path>.*?): Read-only file system", "无法写入 {path}：该位置只读"),
        (r"cannot write (?P<path>.*?): No space left on device", "无法写入 {path}：磁盘空间不足"),
        (r"cannot write (?P<path>.*?): (?P<why>.*)", "无法写入 {path}（系统提示：{why}）"),
    ],
    "unreadable": [
        (r"cannot read: Permission denied", "无法读取：没有读取权限"),
        (r"cannot read: Is a directory", "无法读取：这是文件夹，不是文件"),
        (r"cannot read: (?P<why>.*)", "无法读取该文件（系统提示：{why}）"),
    ],
}

# click's usage errors (an unknown option, a missing argument, a bad choice) under --lang zh:
# English message pattern -> Chinese (helptext.ScastGroup shows them)
CLICK_ZH = [
    (r"No such option: (?P<a>\S+) \(Possible options: (?P<b>.*)\)", "没有选项 {a}（可能是：{b}）"),
    (r"No such option: (?P<a>\S+?)\.? Did you mean (?P<b>.*)\?", "没有选项 {a}{hint}"),
    (r"No such option: (?P<a>\S+)", "没有选项 {a}"),
    (r"Missing argument '(?P<a>.*)'\.", "缺少参数 {a}"),
    (r"Missing option '(?P<a>.*)'\.", "缺少选项 {a}"),
    (r"Option '(?P<a>.*)' requires an argument\.", "选项 {a} 需要一个值"),
    (r"Invalid value for (?P<a>.*?): '(?P<b>.*)' is not one of (?P<c>.*)\.", "{a} 的值无效：“{b}”不是可选值（{c}）之一"),
    (r"Invalid value for (?P<a>.*?): '(?P<b>.*)' is not a valid integer(?: range)?\.", "{a} 的值无效：“{b}”不是整数"),
    (r"Invalid value for (?P<a>.*?): '(?P<b>.*)' is not a valid float(?: range)?\.", "{a} 的值无效：“{b}”不是数字"),
    (r"Invalid value for (?P<a>.*?): (?P<b>\S+) is not in the range x>=(?P<low>\S+?)\.", "{a} 的值无效：{b} 应不小于 {low}"),
    (r"Invalid value for (?P<a>.*?): (?P<b>\S+) is not in the range (?P<range>.*?)\.", "{a} 的值无效：{b} 不在范围 {range} 之内"),
    (r"Invalid value for (?P<a>.*?): (?P<b>.*)", "{a} 的值无效：{b}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<a>.*)\)", "多余的参数：{a}"),
    (r"No such command '(?P<a>.*)'\.(?: Did you mean (?P<b>.*)\?)?", "没有命令“{a}”{hint}"),
    (r"Missing command\.", "缺少命令"),
]
CLICK_ZH_WORDS = {"error": "错误：", "try": "用“{command} {option}”查看帮助。", "hint": "（是不是 {x}？）", "aborted": "已中止。"}


# ---------------------------------------------------------------- words of written files under --lang zh: more columns and units
# (explain's and indicators list's CSV, and the unit column of score and compare; English CSV keeps keys and codes for scripts)
HEADERS["zh"].update(
    {
        "id": "指标编号",
        "part": "“3+1+N”部分",
        "rule": "规则",
        "bonus_points": "加分分值",
        "fallback_for": "替代的指标编号",
        "basis": "依据",
        "is_bonus": "是否加分项",
        "nominal_weight": "名义权重",
        "contributed": "已得分",
        "points_left": "失分",
    }
)
HEADERS["en"].update(
    {
        "id": "Indicator id",
        "part": '"3+1+N" part',
        "rule": "Rule",
        "bonus_points": "Bonus points",
        "fallback_for": "Fallback for (indicator id)",
        "basis": "Basis",
        "is_bonus": "Bonus indicator",
        "nominal_weight": "Nominal weight",
        "contributed": "Contributed",
        "points_left": "Points left",
    }
)
# Units in files for people where i18n.UNITS has no word (a share and a yes/no figure show none on screen)
FILE_UNITS = {"share": ("比例", "share"), "flag": ("是/否", "yes/no")}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}


def file_unit(lang: str, code) -> str:
    """An indicator's unit code as a word in a file for people: i18n.UNITS, else FILE_UNITS."""
    if not code:
        return code
    word = unit(lang, code)
    return word or FILE_UNITS.get(code, (code, code))[0 if lang == "zh" else 1]


def yes_no(lang: str, value) -> str:
    """True/False as 是/否 (yes/no)."""
    yes, no = YES_NO.get(lang, YES_NO["en"])
    return yes if value else no


# Kinds of field, as `scast fields` shows them (the codes themselves in English)
FIELD_KINDS = {"count": "数量", "share": "比例", "money": "金额", "number": "数值", "flag": "是/否"}


def field_kind(lang: str, kind: str) -> str:
    return FIELD_KINDS.get(kind, kind) if lang == "zh" else kind
