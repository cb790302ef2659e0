"""The output of `scast validate`: one line per problem, then a summary; or JSON."""

from __future__ import annotations

from scast_cli.errors import Problem, title
from scast_cli.i18n import t
from scast_cli.render.machine import to_json
from scast_cli.safe import terminal_text

WORDS = {
    "en": {
        "error": "error",
        "warning": "warning",
        "info": "note",
        "summary": "{file}: {regions} regions, {errors} errors, {warnings} warnings, {notes} notes",
        "ok": "no problems",
    },
    "zh": {
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "summary": "{file}：{regions} 个地区，{errors} 个错误，{warnings} 个警告，{notes} 条提示",
        "ok": "未发现问题",
        "cumulative-figure": "{field}：年度指标填写的是累计数，需要年度数据的指标不予评估",
        "flow-figure": "{field}：填写的是新增数（流量），需要现有总数的指标不予评估",
        "old-denominator": "{field}：数据为{year}年的，与报告年份{report_year}年相差超过3年",
        "approximate": "{field}：{kind}，按所填数值评分",
        "approx": "近似数（≈）",
        "lower_bound": "下限值（≥），实际数可能更高",
        "upper_bound": "上限值（≤），实际数可能更低",
        "inferred": "{field}：推算所得，并非直接报道的数据",
    },
}


def problem_text(problem: Problem, lang: str) -> str:
    """'警告：file:line: …' — the severity and the message in `lang` where a translation exists.

    One line, with no escape sequence or control character: the message quotes file names, keys
    and cells from the input, and it goes to a terminal (stderr, or stdout for `scast validate`).
    """
    words = WORDS.get(lang, WORDS["en"])
    template = words.get(problem.code) if problem.params is not None else None
    if template:
        message = problem.place() + template.format(**problem.params, kind=words.get(problem.params.get("qualifier", ""), ""))
    elif lang == "zh" and title(problem.code, "zh"):
        # no full translation of this message yet: the catalogue's Chinese title leads, the specifics follow
        message = f"{problem.place()}{title(problem.code, 'zh')}（{problem.message}）"
    else:
        message = str(problem)
    return terminal_text(f"{words[problem.severity]}{t(lang, 'colon')}{message}", one_line=True)


def _counts(problems: list[Problem]) -> dict[str, int]:
    return {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "info")}


def check_text(file: str, regions: list[str], problems: list[Problem], lang: str) -> str:
    words = WORDS.get(lang, WORDS["en"])
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [problem_text(p, lang) for p in sorted(problems, key=lambda p: order[p.severity])]
    counts = _counts(problems)
    lines.append(
        words["summary"].format(
            file=terminal_text(file, one_line=True), regions=len(regions), errors=counts["error"], warnings=counts["warning"], notes=counts["info"]
        )
    )
    return "\n".join(lines) + "\n"


def check_json(file: str, regions: list[str], problems: list[Problem]) -> str:
    counts = _counts(problems)
    payload = {
        "file": file,
        "valid": counts["error"] == 0,
        "regions": regions,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "notes": counts["info"],
        "problems": [p.as_dict() for p in problems],
    }
    return to_json(payload)
