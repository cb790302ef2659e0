"""The output of `scast validate`: one line per problem, then a summary; or JSON."""

from __future__ import annotations

import json

from scast_cli.errors import Problem

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
    },
}


def _counts(problems: list[Problem]) -> dict[str, int]:
    return {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "info")}


def check_text(file: str, regions: list[str], problems: list[Problem], lang: str) -> str:
    words = WORDS.get(lang, WORDS["en"])
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [f"{words[p.severity]}: {p}" for p in sorted(problems, key=lambda p: order[p.severity])]
    counts = _counts(problems)
    lines.append(words["summary"].format(file=file, regions=len(regions), errors=counts["error"], warnings=counts["warning"], notes=counts["info"]))
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
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
