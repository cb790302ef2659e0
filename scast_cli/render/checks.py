"""The output of `scast validate`: one line per problem, then a summary; or JSON."""

from __future__ import annotations

import re

from scast_cli.errors import Problem, title
from scast_cli.i18n import PROBLEM_ZH, PROBLEM_ZH_KINDS, PROBLEM_ZH_PATTERNS, t
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
    },
}

_LABELS: dict[str, str] = {}  # field and indicator id -> Chinese label, from the config in use (use_labels)
_HINT = re.compile(r" \(did you mean '(?P<close>[^']*)'\?\)")
_WHERE_ZH = {"level": "层级", "year": "年份", "region": "地区", "figures": "数据"}


def use_labels(config) -> None:
    """Name fields and indicators by their Chinese labels in Chinese messages from now on."""
    _LABELS.clear()
    _LABELS.update({f.id: f.zh for f in config.fields})
    _LABELS.update({i.id: i.zh for i in config.indicators})


def _label(name) -> str:
    text = str(name)
    if " + " in text:
        return "与".join(_label(part) for part in text.split(" + "))
    return _LABELS.get(text, text)


def _where_zh(where: str) -> str:
    """'胶州市: figures.township_count' -> '胶州市: 乡镇（街道）数'; 'row 3' -> '第 3 行'."""
    parts = []
    for part in where.split(": "):
        key = part.removeprefix("figures.")
        if key in _LABELS:
            part = _LABELS[key]
        elif key != part:
            part = key
        elif part in _WHERE_ZH:
            part = _WHERE_ZH[part]
        else:
            part = re.sub(r"^(header )?row (\d+)$", lambda m: f"{'表头' if m.group(1) else ''}第 {m.group(2)} 行", part)
            part = re.sub(r"^row (\d+) \((.*)\), column (.*) \(([A-Z]+[0-9]+)\)$", r"第 \1 行（\2）“\3”列（\4）", part)
            part = re.sub(r"^row (\d+) \(([^()]*)\)$", r"第 \1 行（\2）", part)
            part = re.sub(r"^sheet (.*)$", r"工作表“\1”", part)
        parts.append(part)
    return ": ".join(parts)


def _zh_fill(template: str, values: dict) -> str:
    values = {k: (_label(v) if k.startswith(("field", "indicator")) or k == "id" else v) for k, v in values.items()}
    if "qualifier" in values:
        values["kind"] = PROBLEM_ZH_KINDS.get(values["qualifier"], "")
    return template.format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def zh_message(problem: Problem) -> str | None:
    """The problem's message in Chinese, without its place; None when there is no translation."""
    if problem.params and "zh" in problem.params:  # a site that wrote the message in Chinese itself (scast report's)
        return str(problem.params["zh"])
    template = PROBLEM_ZH.get(problem.code)
    if isinstance(template, dict):  # one code, several messages: the site says which in params["form"]
        template = template.get((problem.params or {}).get("form"))
    message = problem.message
    hint = ""
    found = _HINT.search(message)
    if found:
        message = message[: found.start()] + message[found.end() :]
        hint = f"（是不是“{_label(found.group('close'))}”？）"
    if template and problem.params is not None:
        return _zh_fill(template, {"hint": hint, **problem.params})
    for pattern, template in PROBLEM_ZH_PATTERNS.get(problem.code, ()):
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            return _zh_fill(template, {"hint": hint, **match.groupdict()})
    return None


def problem_text(problem: Problem, lang: str) -> str:
    """'警告：file:line: …' — the severity and the message in `lang`.

    Under zh: the place names fields by their Chinese labels and the message is Chinese
    (zh_message); a message with no translation yet leads with the catalogue's Chinese title and
    keeps its English specifics in brackets. One line, with no escape sequence or control
    character: the message quotes file names, keys and cells from the input, and it goes to a
    terminal (stderr, or stdout for `scast validate`).
    """
    words = WORDS.get(lang, WORDS["en"])
    if lang == "zh":
        where = _where_zh(problem.where) if problem.where else None
        text = zh_message(problem)
        if where and text and where.split(": ")[-1] in text:  # the message names the field or key: not twice
            where = ": ".join(where.split(": ")[:-1]) or None
        place = Problem(problem.code, "", problem.file, problem.line, problem.column, where).place()
        if text is None and title(problem.code, "zh"):
            text = f"{title(problem.code, 'zh')}（{problem.message}）"
        message = place + (text if text is not None else problem.message)
    else:
        message = problem.place() + _without_repeated_key(problem)
    return terminal_text(f"{words[problem.severity]}{t(lang, 'colon')}{message}", one_line=True)


def _without_repeated_key(problem: Problem) -> str:
    """The English message without a leading 'township_count: ' when the place already ends with
    that field ('figures.township_count: township_count: figure from 2014' says it twice)."""
    if not problem.where:
        return problem.message
    key = problem.where.split(": ")[-1].removeprefix("figures.")
    return problem.message.removeprefix(f"{key}: ") if key else problem.message


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


def check_markdown(file: str, regions: list[str], problems: list[Problem], lang: str) -> str:
    """The problems as a markdown table (severity, place, message), then the summary."""
    from scast_cli.safe import markdown_text

    words = WORDS.get(lang, WORDS["en"])
    head = {"en": ("Severity", "Message"), "zh": ("级别", "问题")}.get(lang, ("Severity", "Message"))
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [f"| {head[0]} | {head[1]} |", "| --- | --- |"]
    for p in sorted(problems, key=lambda p: order[p.severity]):
        body = problem_text(p, lang).split(words[p.severity] + t(lang, "colon"), 1)[-1]
        lines.append(f"| {words[p.severity]} | {markdown_text(body)} |")
    counts = _counts(problems)
    summary = words["summary"].format(file=file, regions=len(regions), errors=counts["error"], warnings=counts["warning"], notes=counts["info"])
    return "\n".join([*(lines if problems else []), "", markdown_text(summary)]).lstrip("\n") + "\n"


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
