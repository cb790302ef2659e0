"""Help and messages in the user's language: Chinese help for every command and option, -h,
Chinese errors and warnings that name fields by their labels, --debug, and validate's outputs."""

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.i18n import HELP_COMMANDS, HELP_OPTIONS
from tests.conftest import ROOT

runner = CliRunner()
JIAOZHOU = str(ROOT / "data" / "regions" / "jiaozhou.yaml")
TABLE = str(ROOT / "data" / "regions.xlsx")
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,}\b")  # three English words in a row: a sentence
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "LANGUAGE": None}


def invoke(*args, env=None):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100", **NO_LOCALE, **(env or {})})


def commands(group=None, path=()):
    """Every command path of the app, groups included: (), ('score',), ('indicators', 'check'), ..."""
    import typer

    group = group or typer.main.get_command(app)
    yield path
    for name, sub in getattr(group, "commands", {}).items():
        yield from commands(sub, (*path, name))


PATHS = list(commands())


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "scast")
def test_chinese_help_for_every_command(path):
    result = invoke(*path, "-h", env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("用法：scast") and "选项：" in text and "显示本帮助并退出。" in text
    assert HELP_COMMANDS[" ".join(path)]["zh"][:12] in text
    for artefact in ("<bool>", "{file}", "<str>", "<path>", "Show this message", "[default:", "[required]"):
        assert artefact not in text, artefact
    for words in HELP_OPTIONS.values():  # no option's English help is left
        assert words["en"].split(" (")[0] not in text
    if path:  # --lang zh on the command line does the same as the locale
        same = invoke(*path, "--lang", "zh", "--help") if path[0] != "indicators" or len(path) > 1 else invoke(*path, "--help", env={"LANG": "zh_CN"})
        assert same.stdout == text


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "scast")
def test_english_help_and_short_h(path):
    short, long = invoke(*path, "-h"), invoke(*path, "--help")
    assert short.exit_code == long.exit_code == 0 and short.stdout == long.stdout
    assert long.stdout.startswith("Usage: scast") and HELP_COMMANDS[" ".join(path)]["en"][:30] in long.stdout
    assert "<bool>" not in long.stdout and "{file}" not in long.stdout


def test_every_option_has_help_in_both_languages():
    import typer

    from scast_cli.i18n import help_option

    def walk(command, path=""):
        for param in command.params:
            key = max(param.opts, key=len) if isinstance(param, typer.core.TyperOption) else param.name
            for lang in ("en", "zh"):
                text = help_option(lang, path, key)
                assert text and (lang == "en" or CJK.search(text)), (path, key, lang)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app))
    for path, words in HELP_COMMANDS.items():
        assert CJK.search(words["zh"]) and words["en"], path


def test_chinese_help_fits_the_terminal_counting_wide_characters():
    import os

    from scast_cli.helptext import width

    env = {**os.environ, "COLUMNS": "60"}
    text = subprocess.run([sys.executable, "-m", "scast_cli", "report", "--lang", "zh", "-h"], capture_output=True, text=True, env=env).stdout
    assert "为领导撰写报告" in text and max(width(line) for line in text.splitlines()) <= 60


BAD = """region: 坏县
level: county
year: 1800
figures:
  township_count: abc
  committee_frontline_share: 1.5
  foo_bar: 3
"""


def _zh_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_chinese_errors_are_chinese_and_name_fields_by_label(write):
    bad = write("bad.yaml", BAD)
    result = invoke("score", str(bad), "--lang", "zh")
    assert result.exit_code == 1
    lines = _zh_lines(result.stderr)
    assert lines[-1] == "共 4 个问题" and all(line.startswith("错误：") for line in lines[:-1])
    for line in lines[:-1]:
        message = line.split(": ", 1)[1] if ": " in line else line
        assert not ENGLISH.search(message.replace(str(bad), "")), line
    text = result.stderr
    assert "township_count" not in text and "committee_frontline_share" not in text  # ids the user did not see in a label
    assert "乡镇(街道)数" in text and "不是数字" in text and "最大为 1，填写的是 1.5" in text
    assert "年份应在 2000 至 2100 年之间" in text and "无法识别的字段“foo_bar”" in text  # a key the user typed stays


def test_chinese_warning_old_figure_names_the_field_by_label():
    result = invoke("score", JIAOZHOU, "--lang", "zh", "-f", "json")
    assert result.exit_code == 0
    warnings = _zh_lines(result.stderr)
    assert warnings and all(w.startswith("警告：") for w in warnings)
    assert "胶州市: 乡镇(街道)数：数据为2014年的，与报告年份2024年相差超过3年" in result.stderr
    assert "figures." not in result.stderr and "township_count" not in result.stderr and "population_resident" not in result.stderr


def test_english_messages_unchanged(write):
    bad = write("bad.yaml", BAD)
    result = invoke("score", str(bad), "--lang", "en")
    assert result.exit_code == 1 and "'abc' is not a number" in result.stderr and result.stderr.rstrip().endswith("4 problems")


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["score", "nope.yaml"], 2, "找不到该文件"),
        (["score", TABLE + ":无此县"], 2, "文件中没有地区“无此县”"),
        (["score", TABLE], 2, "文件含 5 个地区"),
        (["score", "--foo", JIAOZHOU], 2, "没有选项 --foo"),
        (["score"], 2, "缺少参数 FILE"),
        (["score", JIAOZHOU, "-f", "xyz"], 2, "“xyz”不是可选值"),
        (["scor", JIAOZHOU], 2, "没有命令“scor”"),
    ],
)
def test_chinese_usage_errors_keep_their_exit_codes(args, code, words):
    result = invoke(*args, env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == code, result.output
    assert words in result.stderr and "错误：" in result.stderr
    assert not ENGLISH.search(result.stderr.replace("[OPTIONS]", "").replace("COMMAND [ARGS]", "")), result.stderr


def test_chinese_unknown_column_suggests_the_label(write):
    table = write("t.csv", "地区,乡镇数,foo\n甲县,12,1\n")
    result = invoke("validate", str(table), "--lang", "zh")
    assert result.exit_code == 1
    assert "无法识别的列“乡镇数”（B1）（是不是“乡镇(街道)数”？）" in result.stdout and "township_count" not in result.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(write, where):
    bad = write("bad.yaml", BAD)
    args = ["--debug", "score", str(bad)] if where == "before" else ["score", str(bad), "--debug"]
    result = invoke(*args)
    assert result.exit_code == 1 and type(result.exception).__name__ == "ScastError"
    assert invoke("score", str(bad)).exception is None or isinstance(invoke("score", str(bad)).exception, SystemExit)


def test_debug_traceback_in_a_real_process(write):
    bad = write("bad.yaml", BAD)
    run = subprocess.run([sys.executable, "-m", "scast_cli", "score", str(bad), "--debug"], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback (most recent call last)" in run.stderr and "ScastError" in run.stderr


def test_validate_one_region_of_a_table_and_markdown_to_a_file(tmp_path):
    result = invoke("validate", TABLE + ":胶州市")
    assert result.exit_code == 0 and ": 1 regions, 0 errors" in result.stdout
    out = tmp_path / "检查.md"
    result = invoke("validate", TABLE, "--region", "胶州市", "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0 and result.stdout == ""
    # the region's own warnings and notes, as for data/regions/jiaozhou.yaml (table rows were dropped before)
    assert out.read_text(encoding="utf-8").strip().endswith("1 个地区，0 个错误，2 个警告，4 条提示")
    assert invoke("validate", TABLE + ":无此县").exit_code == 2


def test_validate_markdown_and_json_list_every_problem(write, tmp_path):
    bad = write("bad.yaml", BAD)
    md = invoke("validate", str(bad), "-f", "markdown", "--lang", "zh")
    assert md.exit_code == 1
    rows = [line for line in md.stdout.splitlines() if line.startswith("| 错误 |")]
    assert len(rows) == 4 and md.stdout.startswith("| 级别 | 问题 |")
    out = tmp_path / "v.json"
    result = invoke("validate", str(bad), "-o", str(out))
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert result.exit_code == 1 and payload["errors"] == 4 and not payload["valid"]
    assert {p["code"] for p in payload["problems"]} == {"bad-value", "bad-year", "unknown-field"}


def test_help_imports_neither_rich_renderer_nor_data_libraries():
    code = (
        "import sys; from scast_cli.cli import main; sys.argv = ['scast', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(*[m in sys.modules for m in ('pandas', 'pydantic', 'rich.console', 'typer.rich_utils', 'scast_cli.config')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[-5:] == ["False"] * 5


def test_completion_is_offered(monkeypatch):
    # typer's --show-completion is a flag that finds the shell by walking up the process tree
    # (shellingham), not from $SHELL or the word after it: run with no shell above pytest (a CI
    # runner, a detached job) it found none and printed "Shell  not supported." (exit 1). With
    # detection off (read when typer builds the command, before CliRunner's env applies), typer
    # takes the shell as the option's value, the same in every run.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = invoke("--show-completion", "bash")
    assert result.exit_code == 0, result.output
    assert "_SCAST_COMPLETE=complete_bash" in result.stdout and "complete -o default -F _scast_completion scast" in result.stdout


def test_no_arguments_shows_the_help_in_the_language():
    zh, en = invoke(env={"LANG": "zh_CN.UTF-8"}), invoke()
    assert zh.exit_code == en.exit_code == 2
    assert zh.output.startswith("用法：scast") and "错误" not in zh.output and "命令：" in zh.output
    assert en.output.startswith("Usage: scast")


@pytest.mark.parametrize("args", [["--lang", "zh", "-h"], ["-h", "--lang", "zh"], ["-l", "zh", "--help"]])
def test_lang_before_the_command_gives_chinese_top_level_help(args):
    result = invoke(*args)  # no locale: English unless --lang says otherwise
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("用法：scast") and "命令：" in result.stdout and "--lang" in result.stdout


def test_lang_before_the_command_applies_to_the_command():
    result = invoke("--lang", "zh", "score", "nope.yaml")
    assert result.exit_code == 2 and "找不到该文件" in result.stderr and "file not found" not in result.stderr
    english = invoke("score", "nope.yaml")
    assert english.exit_code == 2 and "file not found" in english.stderr


def test_wrong_output_extension_in_chinese_keeps_what_the_command_writes(tmp_path):
    out = str(tmp_path / "s.docx")
    zh = invoke("score", JIAOZHOU, "-o", out, "--lang", "zh")
    assert zh.exit_code == 2
    assert f"-o {out}：本命令不能写出 .docx 文件，可写出 .txt、.json、.csv、.md、.xlsx；Word、HTML 或 PDF 文档请用 scast report 生成" in zh.stderr
    assert not ENGLISH.search(zh.stderr.replace(out, ""))
    fields = invoke("fields", "-o", str(tmp_path / "f.csv"), "--lang", "zh")
    assert fields.exit_code == 2 and "本命令不能写出 .csv 文件，可写出 .txt、.json、.md\n" in fields.stderr  # no report hint for a CSV
    clash = invoke("template", "-f", "csv", "-o", str(tmp_path / "x.xlsx"), "--lang", "zh")
    assert clash.exit_code == 2 and ".xlsx 文件不能存放 --format csv 的内容；请把文件命名为 x.csv" in clash.stderr
    assert not (tmp_path / "s.docx").exists() and not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "name, text, extra, code, words",
    [
        ("empty.csv", "", [], 1, "前 30 行中找不到含“地区”列的表头"),
        ("empty.yaml", "", [], 1, "应为“键: 值”形式的映射"),
        ("empty.xlsx", "", [], 1, "不是可读取的 .xlsx 工作簿"),
        ("bad.yaml", "region: 甲\nlevel: [\n", [], 1, "YAML 格式错误：无法解析"),
        ("dup.csv", "地区,常住人口,常住人口\n甲县,1,2\n", [], 1, "“常住人口”列（C1）对应的字段“常住人口”已由 常住人口 (B1) 列给出"),
        ("big.csv", "地区,乡镇(街道)数\n甲县,1e400\n", [], 1, "“乡镇(街道)数”列（B2）: '1e400' 超出可表示的数值范围"),
        (
            "flag.yaml",
            "region: 甲\nlevel: county\nyear: 2024\nfigures:\n  县级科协已按期完成换届: 也许\n",
            [],
            1,
            "应填“是”或“否”（也可写 有/无、√/×），填写的是 '也许'",
        ),
        ("s.xlsx", None, ["--sheet", "地区数"], 1, "没有名为“地区数”的工作表（是不是“地区数据”？）；工作簿中的工作表有：地区数据"),
    ],
)
def test_chinese_messages_for_common_input_problems(write, name, text, extra, code, words):
    """Hand-written expectations: the message is Chinese (no English sentence), names the file, keeps the exit code."""
    path = TABLE + ":胶州市" if text is None else str(write(name, text))
    result = invoke("score", path, *extra, "--lang", "zh")
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert errors and words in errors[0], result.stderr
    assert errors[0].startswith("错误：" + path.split(":胶州市")[0]), errors[0]
    for line in errors:
        assert not ENGLISH.search(line.replace(path, "")), line


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["indicators", "show", "nosuch"], 2, "没有指标“nosuch”；`scast indicators list` 列出全部指标"),
        (["rank", TABLE, "--top", "x"], 2, "'--top' 的值无效：“x”不是整数"),
        (["rank", TABLE, "--top", "0"], 2, "'--top' 的值无效：0 应不小于 1"),
        (["score", JIAOZHOU, "-o", "/proc/x.csv"], 1, "无法写入 /proc/x.csv：路径不存在，或该位置不能新建文件"),
        (["score", JIAOZHOU, "-o", "/proc/nosuch/x.csv"], 2, "文件夹 /proc/nosuch 不存在"),
    ],
)
def test_chinese_messages_for_usage_and_output_problems(args, code, words):
    result = invoke(*args, "--lang", "zh")
    assert result.exit_code == code, result.output
    assert words in result.stderr and "错误：" in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert errors and not any(ENGLISH.search(re.sub(r"`[^`]*`", "", line)) for line in errors), result.stderr  # a `command` to type is no sentence


def test_english_warning_names_the_field_once():
    result = invoke("score", JIAOZHOU, "-f", "json", "--lang", "en")
    assert result.exit_code == 0
    line = "warning: " + JIAOZHOU + ":35:5: 胶州市: figures.township_count: figure from 2014, more than 3 years from the report year 2024"
    assert line in result.stderr.splitlines() and "township_count: township_count" not in result.stderr


def test_one_region_of_a_table_warns_of_the_total_row(write):
    table = write("t.csv", "地区,乡镇(街道)数\n甲县,10\n乙县,12\n合计,22\n")
    for lang, words in (("zh", "第 4 行（合计）: 合计行"), ("en", "row 4 (合计): a total row")):
        result = invoke("score", f"{table}:甲县", "-f", "json", "--lang", lang)
        assert result.exit_code == 0 and words in result.stderr, result.stderr
        assert json.loads(result.stdout)["region"]["name"] == "甲县"


def test_rows_left_out_from_stdin_name_the_command_to_type():
    table = "地区,乡镇(街道)数\n甲县,10\n乙县,abc\n"
    for lang, words in (("en", "`scast validate -` lists every problem"), ("zh", "`scast validate -` 列出全部问题")):
        result = runner.invoke(app, ["rank", "-", "-f", "json", "--lang", lang], input=table.encode("utf-8"), env={"NO_COLOR": "1", **NO_LOCALE})
        assert result.exit_code == 0 and words in result.stderr and "validate <stdin>" not in result.stderr, result.stderr


def test_yaml_level_error_has_its_line_and_a_region_without_figures_is_warned(write):
    bad = write("lv.yaml", "region: 甲\nlevel: 县 级\nyear: 1800\nfigures:\n  乡镇(街道)数: 12\n")
    result = invoke("validate", str(bad), "--lang", "zh")
    assert result.exit_code == 1
    assert f"错误：{bad}:2:8: 甲: 层级应为" in result.stdout and f"错误：{bad}:3:7: 甲: 年份应在" in result.stdout, result.stdout
    only = write("only.yaml", "region: 甲县\n")
    for lang, words in (("en", "warning: {f}:1:9: 甲县: figures: no figure given"), ("zh", "警告：{f}:1:9: 甲县: 没有填写任何数据")):
        result = invoke("validate", str(only), "--lang", lang)
        assert result.exit_code == 0 and words.format(f=only) in result.stdout, result.stdout


def test_indicators_show_offers_only_the_formats_it_writes():
    help_text = invoke("indicators", "show", "-h").stdout
    assert "[table|json|markdown]" in help_text and "csv" not in help_text
    assert invoke("indicators", "show", "township_cast_coverage", "-f", "csv").exit_code == 2
    assert invoke("indicators", "show", "township_cast_coverage", "-f", "markdown").exit_code == 0
    explain = " ".join(invoke("explain", "-h").stdout.split())
    assert "csv only for the list (FILE alone)" in explain


def test_report_messages_already_in_chinese_are_shown_as_they_are(tmp_path):
    result = invoke("report", JIAOZHOU, "-o", str(tmp_path / "r.xyz"), "--lang", "zh")
    assert result.exit_code == 2
    assert "错误：scast report 可写 .md、.docx、.html 或 .pdf 文件；“.xyz”不在其中" in result.stderr
    assert "-o 指定的文件类型不是该命令能输出的" not in result.stderr  # no catalogue title in front of it
