"""The error catalogue (errors.CATALOGUE) lists every code scast can raise, in both languages,
and the README's table of codes is generated from it."""

import ast
import re
from pathlib import Path

from scast_cli import lint
from scast_cli.errors import CATALOGUE, Problem, title
from scast_cli.readers import PERIODS
from scast_cli.render.checks import problem_text
from tests.conftest import ROOT

PACKAGE = ROOT / "scast_cli"


def emitted_codes() -> set[str]:
    """Every code literal the package passes to a Problem: `code=...`, the first argument of
    Problem(...) / problem(...), and the `{period}-figure` codes."""
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            for kw in node.keywords:
                if kw.arg == "code" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    codes.add(kw.value.value)
            if name in ("Problem", "problem", "add") and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                codes.add(node.args[0].value)
            if name == "add" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                codes.add(node.args[1].value)  # lint.add(loc, code, message, ...)
    codes |= {f"{p}-figure" for p in PERIODS if p in ("cumulative", "flow")}
    return {c for c in codes if re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", c)}


def test_every_emitted_code_is_in_the_catalogue():
    missing = sorted(emitted_codes() - set(CATALOGUE))
    assert not missing, f"add these codes to errors.CATALOGUE: {missing}"
    assert set(lint.CODES) <= set(CATALOGUE)


def test_every_entry_has_both_languages():
    for code, (en, zh) in CATALOGUE.items():
        assert en and zh and re.search(r"[\u4e00-\u9fff]", zh), code
        typed = ("科协", "合计", "总计")  # Chinese words a user types or reads in the form may be quoted
        assert not re.search(r"[\u4e00-\u9fff]", re.sub("|".join(typed), "", en)), code


def test_chinese_messages_are_chinese_and_untranslated_ones_lead_with_the_catalogue_title():
    from scast_cli.config import load_config
    from scast_cli.render.checks import use_labels

    use_labels(load_config())  # fields are named by the labels of the config in use
    problem = Problem("unknown-field", "unknown field 'townshp_count' (did you mean 'township_count'?)", "r.yaml", 3, 5, "甲县: figures.townshp_count")
    zh = problem_text(problem, "zh")
    # translated: the message is Chinese, the key the user typed is quoted once, the suggestion by its label
    assert zh.startswith("错误：r.yaml:3:5: 甲县: 无法识别的字段“townshp_count”（是不是“乡镇(街道)数”？）"), zh
    assert zh.count("townshp_count") == 1 and "unknown" not in zh
    assert problem_text(problem, "en").startswith("error: r.yaml:3:5: 甲县: figures.townshp_count: unknown field")
    # no translation for this message: the catalogue's Chinese title leads, the specifics follow
    odd = Problem("bad-formula", "formula uses ** 3", "i.yaml", 7, 1, "indicators.x")
    assert problem_text(odd, "zh") == f"错误：i.yaml:7:1: indicators.x: {title('bad-formula', 'zh')}（formula uses ** 3）"


def test_readme_lists_the_codes():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- codes:start -->", 1)[1].split("<!-- codes:end -->", 1)[0]
    for code in CATALOGUE:
        assert f"`{code}`" in block, code


def test_catalogue_lives_in_one_place():
    assert Path(PACKAGE / "errors.py").read_text(encoding="utf-8").count("CATALOGUE: dict") == 1


ENGLISH = re.compile(r"\b[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,}\b")  # three English words in a row: a sentence


def test_input_limit_and_yaml_messages_in_chinese():
    """Messages as the sites write them (limits.exceeds, config, readers), with hand-written Chinese."""
    cases = [
        (
            Problem("too-many-rows", "more than 2 rows; the limit is 2 rows (set SCAST_MAX_ROWS to allow more)", "t.csv", where="row 3"),
            "错误：t.csv: 第 3 行: 表格超过 2 行（上限 2；可设环境变量 SCAST_MAX_ROWS 放宽）",
        ),
        (
            Problem("cell-too-long", "a cell of 5,000 characters; the limit is 4,000 characters (set SCAST_MAX_CELL_CHARS to allow more)", "t.csv"),
            "错误：t.csv: 单元格内容有 5,000 个字符，过长（上限 4,000；可设环境变量 SCAST_MAX_CELL_CHARS 放宽）",
        ),
        (Problem("duplicate-key", "key 'region' appears twice in the same mapping", "r.yaml", 2, 1), "错误：r.yaml:2:1: 键“region”在同一层中出现了两次"),
        (Problem("bad-limit", "SCAST_MAX_ROWS: expected a positive whole number (rows), found 'x'"), "错误：环境变量 SCAST_MAX_ROWS 应为正整数，设置的是 'x'"),
        (
            Problem("missing-region", "region: expected the region's name", "r.yaml", 1, 1, "region"),
            "错误：r.yaml:1:1: 缺少地区名称：请写 region: 地区名，如 region: 胶州市",
        ),
        (Problem("bad-csv", "not readable as CSV: new-line character seen in unquoted field", "t.csv", where="line 4"), "CSV 格式有误，无法解析"),
        (
            Problem("bad-fallback", "a fallback stands in for …", "i.yaml", 4, 19, "indicators[a].fallback_for", params={"id": "a", "primary": "b"}),
            "错误：i.yaml:4:19: indicators[a].fallback_for: 指标“a”的 fallback_for 指向“b”：替代指标只能替代",
        ),
    ]
    for problem, zh in cases:
        text = problem_text(problem, "zh")
        assert text.startswith(zh) if zh.startswith("错误") else zh in text, text
        assert not ENGLISH.search(text), text


def test_every_code_but_one_has_a_chinese_message():
    """Every problem a region file, a table, an indicators file or the command line can raise has a
    Chinese message (PROBLEM_ZH or a pattern), except the generic 'error' (its title + English)."""
    from scast_cli.i18n import PROBLEM_ZH, PROBLEM_ZH_PATTERNS

    untranslated = {c for c in CATALOGUE if c not in PROBLEM_ZH and c not in PROBLEM_ZH_PATTERNS}
    assert untranslated == {"error"}, sorted(untranslated)


def test_indicators_check_in_chinese_has_no_english_sentence():
    from typer.testing import CliRunner

    from scast_cli.cli import app

    broken = str(ROOT / "tests" / "fixtures" / "lint" / "broken.yaml")
    result = CliRunner().invoke(app, ["indicators", "check", broken, "--lang", "zh"], env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(("错误：", "警告："))]
    assert len(lines) > 20
    for line in lines:
        message = line.split(": ", 1)[1] if ": " in line else line  # after the file:line:col
        assert not ENGLISH.search(re.sub(r"`[^`]*`", "", message)), line
    assert any("上限 upper（5）必须大于下限 lower（10）" in line for line in lines)
    assert any("编号“twice”在 indicators 中使用了两次" in line for line in lines)
