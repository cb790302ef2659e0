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
