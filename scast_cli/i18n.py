"""Chinese and English words for everything scast shows; labels of data come from the config."""

from __future__ import annotations

import locale
import os

TEXT = {
    "en": {
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
        "internal": "internal error: {error} (rerun with --debug for the traceback)",
    },
    "zh": {
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
        "internal": "内部错误：{error}（加 --debug 重新运行可查看详细信息）",
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
