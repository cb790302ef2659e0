"""compare, rank and explain from the command line, and safe writing of every -o file."""

import csv
import io
import json
import os

import openpyxl
import pytest
from typer.testing import CliRunner

from scast_cli import analysis, engine, output
from scast_cli.cli import app
from scast_cli.config import load_config
from scast_cli.errors import ScastError, UsageError
from scast_cli.readers import parse_side, read_regions
from tests.conftest import ROOT

runner = CliRunner()
TABLE = ROOT / "data" / "regions.xlsx"
JIAOZHOU = ROOT / "data" / "regions" / "jiaozhou.yaml"
BINZHOU = ROOT / "data" / "regions" / "binzhou.yaml"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "140"})


@pytest.fixture(scope="module")
def scored():
    config = load_config()
    return engine.score(read_regions(TABLE, config), config)


# ---------------------------------------------------------------- compare


def test_compare_json_is_the_library_contract(scored):
    result = invoke("compare", JIAOZHOU, BINZHOU, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = analysis.compare(scored, "胶州市", scored, "滨州市", "en")
    assert data["summary"] == expected["summary"]
    assert data["overall"]["difference"] == expected["overall"]["difference"]
    assert [i["leader"] for i in data["indicators"]] == [i["leader"] for i in expected["indicators"]]
    # Both assess only committee_frontline_share: Jiaozhou 73.17% and Binzhou >= 70% are both green
    # (green floor 0.70), so re-scored on that one indicator both are 100 and the difference is 0,
    # although their own overall scores (on different indicators) differ
    assert data["overall"]["common"] == {"indicators": 1, "left": 100.0, "right": 100.0}
    assert data["overall"]["difference"] == 0
    assert data["overall"]["left"]["score"] != data["overall"]["right"]["score"]


def test_compare_side_syntaxes_agree():
    files = json.loads(invoke("compare", JIAOZHOU, BINZHOU, "-f", "json").stdout)
    colon = json.loads(invoke("compare", f"{TABLE}:胶州市", f"{TABLE}:滨州市", "-f", "json").stdout)
    option = json.loads(invoke("compare", "--in", TABLE, "胶州市", "滨州市", "-f", "json").stdout)
    other_side = json.loads(invoke("compare", f"{TABLE}:胶州市", "滨州市", "-f", "json").stdout)
    for data in (colon, option, other_side):
        assert data["summary"] == files["summary"] and data["overall"] == files["overall"]


def test_compare_summary_line_in_both_languages():
    en = invoke("compare", "--in", TABLE, "滨州市", "梧州市", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    # both assess only enterprise CASTs per 100k: Binzhou 64/3,930,300 = 1.63 (yellow 75), Wuzhou
    # 118/2,820,977 = 4.18 (green 100)
    assert "梧州市 leads on 1 of 1 indicators assessed on both sides" in " ".join(en.stdout.split())
    assert "computed only on the 1 indicator(s) assessed on both sides" in " ".join(en.stdout.split())
    # its thresholds were calibrated on both regions' own figures: the lead is partly built in, and it says so
    assert "calibrated on 梧州市, 滨州市's own reported figures" in " ".join(en.stdout.split())
    zh = invoke("compare", "--in", TABLE, "滨州市", "梧州市", "--lang", "zh", "--format", "markdown")
    assert "在双方均已评估的 1 项指标中，梧州市 领先 1 项" in zh.stdout
    assert "| 共同指标得分 | 75.0 | 100.0 | -25.0 |" in zh.stdout  # both re-scored on that indicator alone
    assert "仅滨州市" in zh.stdout  # one-sided indicators are shown as such
    none = invoke("compare", "--in", TABLE, "胶州市", "新沂市", "--lang", "en")
    assert "No indicator is assessed on both sides, so no difference is computed" in " ".join(none.stdout.split())


def test_compare_csv_has_every_indicator():
    result = invoke("compare", JIAOZHOU, BINZHOU, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(load_config().indicators)
    shared = [r for r in rows if r["assessed"] == "both"]
    assert [r["indicator"] for r in shared] == ["committee_frontline_share"] and shared[0]["leader"] == "level"
    assert all(r["leader"] == "" for r in rows if r["assessed"] != "both")


def test_compare_same_region_two_years(tmp_path):
    text = JIAOZHOU.read_text(encoding="utf-8").replace("year: 2024", "year: 2023", 1)
    text = text.replace("value: 0.7317", "value: 0.65", 1)  # committee front-line share 65%: yellow (0.60..0.70)
    older = tmp_path / "jiaozhou-2023.yaml"
    older.write_text(text, encoding="utf-8")
    data = json.loads(invoke("compare", older, JIAOZHOU, "-f", "json").stdout)
    assert (data["left"]["label"], data["right"]["label"]) == ("胶州市 2023", "胶州市 2024")
    item = next(i for i in data["indicators"] if i["id"] == "committee_frontline_share")
    assert item["leader"] == "right" and item["score_difference"] == -25.0  # yellow 75 vs green 100 (73.17%)
    assert data["summary"]["right_leads"] == 1 and data["summary"]["both"] == data["summary"]["right_leads"] + data["summary"]["level"]


def test_compare_bad_sides():
    missing = invoke("compare", "nowhere.yaml", JIAOZHOU)
    assert missing.exit_code == 2 and "nowhere.yaml" in missing.stderr and "Traceback" not in missing.output
    unknown = invoke("compare", f"{TABLE}:胶州", BINZHOU)
    assert unknown.exit_code == 2 and "胶州市" in unknown.stderr  # did you mean / the regions


def test_parse_side(tmp_path):
    assert parse_side(str(JIAOZHOU)) == (JIAOZHOU, None)
    assert parse_side(f"{TABLE}:胶州市") == (TABLE, "胶州市")
    assert parse_side("滨州市", TABLE) == (TABLE, "滨州市")


# ---------------------------------------------------------------- rank


def test_rank_default_threshold_puts_every_bundled_region_apart():
    result = invoke("rank", TABLE, "-f", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # completeness of the bundled regions is 0% .. 25.2%, all below min_completeness 0.6; 新沂市 has
    # no scored figure left after the audit (its 4200 volunteers were mobilised, not registered)
    assert data["min_completeness"] == 0.6 and data["counts"] == {"ranked": 0, "incomplete": 4, "unscored": 1}
    assert [(r["rank"], r["region"]) for r in data["regions"]] == [(1, "罗庄区"), (2, "梧州市"), (3, "胶州市"), (4, "滨州市"), (None, "新沂市")]
    assert all(r["grade_status"] == "provisional" for r in data["regions"][:4])
    table = invoke("rank", TABLE, "--lang", "en")
    assert "Below the completeness threshold (60%): ranked separately" in table.stdout and "Ranked" not in table.stdout


def test_rank_threshold_option_top_and_ties():
    data = json.loads(invoke("rank", TABLE, "--min-completeness", "0", "--top", "2", "-f", "json").stdout)
    assert [(r["rank"], r["region"], r["section"]) for r in data["regions"]] == [(1, "罗庄区", "ranked"), (2, "梧州市", "ranked")]
    # Coverage: Wuzhou and Jiaozhou both 100 (all green), Binzhou 91.7; Luozhuang and Xinyi assess none
    cov = json.loads(invoke("rank", TABLE, "--by", "coverage", "--min-completeness", "0", "-f", "json").stdout)
    assert [(r["rank"], r["region"]) for r in cov["regions"]] == [(1, "梧州市"), (1, "胶州市"), (3, "滨州市"), (None, "新沂市"), (None, "罗庄区")]
    assert cov["by"]["kind"] == "dimension" and cov["regions"][3]["section"] == "unscored"


def test_rank_formats_and_files(tmp_path):
    out = tmp_path / "rank.xlsx"
    result = invoke("rank", TABLE, "-f", "xlsx", "-o", out, "--lang", "zh")
    assert result.exit_code == 0, result.stderr and result.stdout == ""
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "类别", "地区") and [r[2] for r in rows[1:]] == ["罗庄区", "梧州市", "胶州市", "滨州市", "新沂市"]
    text = invoke("rank", TABLE, "-f", "csv").stdout
    assert text.splitlines()[0].startswith("rank,section,region,level,year,value,low,high,score,score_low,score_high,grade,grade_id,grade_status")
    assert "dimension:coverage" in text.splitlines()[0] and len(text.splitlines()) == 6
    md = invoke("rank", TABLE, "-f", "markdown", "-o", tmp_path / "rank.md", "--lang", "en")
    assert md.exit_code == 0 and (tmp_path / "rank.md").read_text(encoding="utf-8").startswith("# scast rank by overall score")
    plain = invoke("rank", TABLE, "-o", tmp_path / "rank.txt", "--lang", "en")
    assert plain.exit_code == 0 and "罗庄区" in (tmp_path / "rank.txt").read_text(encoding="utf-8")


def test_rank_refuses_to_write_over_its_input(tmp_path):
    table = tmp_path / "regions.xlsx"
    table.write_bytes(TABLE.read_bytes())
    result = invoke("rank", table, "-f", "xlsx", "-o", table)
    assert result.exit_code == 2 and "refusing to write over the input" in result.stderr
    assert table.read_bytes() == TABLE.read_bytes()


def test_rank_bad_by_is_a_usage_error():
    result = invoke("rank", TABLE, "--by", "covrage")
    assert result.exit_code == 2 and "did you mean 'coverage'" in result.stderr


def test_engine_reports_progress_per_indicator():
    config = load_config()
    calls = []
    engine.score(read_regions(TABLE, config), config, progress=lambda done, total: calls.append((done, total)))
    n = len(config.indicators)
    assert calls == [(k, n) for k in range(1, n + 1)]


# ---------------------------------------------------------------- explain


def test_explain_one_indicator_json_and_text():
    result = invoke("explain", "township_cast_coverage", JIAOZHOU, "-f", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # 12 township CASTs / 12 townships = 1.0 >= green 1.0 -> 100; Coverage has 3 assessed indicators of
    # weight 1 and is one of 2 assessed dimensions: effective weight 1/3 x 1/2 = 1/6
    assert data["value"] == 1.0 and data["score"] == 100.0 and data["band"] == "green"
    assert data["weight"]["effective"] == pytest.approx(1 / 6, abs=1e-6)
    assert data["points"] == {"contributed": pytest.approx(100 / 6, abs=1e-5), "left": 0.0}
    # counts first; the claimed-coverage share (not reported here) is the fallback
    assert [i["value"] for i in data["inputs"]] == [12.0, 12.0, None] and data["inputs"][0]["source"].startswith("seed 003")
    text = invoke("explain", "乡镇(街道)科协覆盖率", JIAOZHOU, "--lang", "zh").stdout
    for step in ("归属理由", "计算公式", "输入数据", "评分规则", "实际权重", "阈值依据", "coalesce(min(1, 12 / 12), ?) = 1", "等级暂定"):
        assert step in text


def test_explain_list_sums_to_the_overall_score():
    data = json.loads(invoke("explain", JIAOZHOU, "-f", "json").stdout)
    assert data["totals"]["contributed"] == pytest.approx(data["overall"]["base"], abs=1e-6)
    assert data["overall"]["base"] + data["overall"]["bonus"] == pytest.approx(data["overall"]["score"], abs=1e-6)
    lefts = [r["points"]["left"] for r in data["assessed"]]
    assert lefts == sorted(lefts, reverse=True)
    # the largest loss: 科普 reach, orange 50 with weight 0.5 of the 3.5 assessed in Capacity (committee 1,
    # key people, volunteers, bases, reach, activities 0.5 each) and Capacity 1 of 2 dimensions:
    # effective 0.5/3.5 x 1/2 = 1/14 -> 50/14 = 3.57
    assert lefts[0] == pytest.approx(50 / 14, abs=1e-5)
    rows = list(csv.DictReader(io.StringIO(invoke("explain", JIAOZHOU, "-f", "csv").stdout)))
    assert len(rows) == len(load_config().indicators)


def test_explain_usage_errors():
    typo = invoke("explain", "township_cast_coverag", JIAOZHOU)
    assert typo.exit_code == 2 and "township_cast_coverage" in typo.stderr
    csv_one = invoke("explain", "township_cast_coverage", JIAOZHOU, "-f", "csv")
    assert csv_one.exit_code == 2


# ---------------------------------------------------------------- report


def test_report_to_stdout_has_text_bars_and_writes_no_chart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("report", TABLE, "--region", "胶州市", "--lang", "zh", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 胶州市基层科协组织建设评估报告\n")
    assert "```text" in result.stdout and "![" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_report_against_a_name_in_the_same_table(tmp_path):
    out = tmp_path / "r.md"
    result = invoke("report", TABLE, "--region", "胶州市", "--against", "滨州市", "--charts", "none", "--lang", "en", "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "## Comparison with 滨州市" in text
    # the two share only committee_frontline_share, green on both sides: no difference on the common set
    assert "On the 1 indicator(s) both report, 胶州市 scores 100.0 and 滨州市 100.0, a difference of 0." in " ".join(text.split())
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # --charts none: no image files


def test_report_svg_charts_and_file_mode(tmp_path):
    out = tmp_path / "r.md"
    result = invoke("report", JIAOZHOU, "--charts", "svg", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-groups.svg", "r-indicators.svg", "r.md"]
    assert (tmp_path / "r-groups.svg").read_bytes().lstrip().startswith(b"<?xml")
    mask = os.umask(0o022)
    os.umask(mask)
    assert (out.stat().st_mode & 0o777) == 0o666 & ~mask  # as open() would make it, not a temp file's 0600


def test_report_refuses_its_input_before_writing_anything(tmp_path):
    source = tmp_path / "jiaozhou.yaml"
    source.write_bytes(JIAOZHOU.read_bytes())
    result = invoke("report", source, "-o", source)
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.stderr
    assert source.read_bytes() == JIAOZHOU.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["jiaozhou.yaml"]  # no chart written before the refusal


# ---------------------------------------------------------------- safe writing


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "rank.csv"
    target.write_text("old\n", encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        output.write_output(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rank.csv"]  # no temporary file left behind


def test_write_output_refuses_inputs_and_writes_stdout(tmp_path, capsys):
    source = tmp_path / "in.yaml"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError):
        output.write_output(tmp_path / "." / "in.yaml", "y", [source])
    assert source.read_text(encoding="utf-8") == "x"
    output.write_output("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


def test_write_output_follows_a_symlink_and_writes_into_a_pipe(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    output.write_output(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"  # the link is kept, its target replaced
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer does not block
    try:
        output.write_output(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert fifo.exists() and not fifo.is_file()  # still a pipe, not replaced by a file
    output.write_output(os.devnull, "discarded")
    assert not os.path.isfile(os.devnull)


def test_write_failures_name_the_users_path(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda *args: False)
    with pytest.raises(UsageError, match=r"cannot write .*r\.md: no permission to write in the folder"):
        output.write_output(tmp_path / "r.md", "x")
    monkeypatch.undo()

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(ScastError, match=r"cannot write .*r\.md: No space left on device") as caught:
        output.write_output(tmp_path / "r.md", "x")
    assert not isinstance(caught.value, UsageError)  # exit 1, not a usage error
    assert list(tmp_path.iterdir()) == []


def test_output_format_follows_the_file_extension(tmp_path):
    for name, check in (
        ("rank.md", lambda text: text.startswith("# scast rank") and "| Rank | Region |" in text),
        ("rank.json", lambda text: json.loads(text)["by"]["kind"] == "overall"),
        ("rank.csv", lambda text: text.startswith("\ufeffrank,section,region")),  # a BOM, for Excel
        ("rank.txt", lambda text: "Rank" in text and "┃" in text),
    ):
        result = invoke("rank", TABLE, "-o", tmp_path / name, "--lang", "en")
        assert result.exit_code == 0 and check((tmp_path / name).read_text(encoding="utf-8")), name
    assert invoke("score", JIAOZHOU, "-o", tmp_path / "s.json").exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["region"]["name"] == "胶州市"
    assert invoke("rank", TABLE, "-o", tmp_path / "r.md", "-f", "csv").exit_code == 0  # --format wins over the extension
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("\ufeffrank,")
    assert invoke("template", "-o", tmp_path / "form.csv").exit_code == 0
    assert (tmp_path / "form.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # CSV form, not xlsx bytes in a .csv
    assert invoke("compare", JIAOZHOU, BINZHOU, "-o", tmp_path / "c.csv").exit_code == 0
    assert invoke("explain", JIAOZHOU, "-o", tmp_path / "e.md").exit_code == 0
    assert (tmp_path / "e.md").read_text(encoding="utf-8").startswith("#")


def test_table_region_works_wherever_a_region_file_does():
    as_option = json.loads(invoke("score", TABLE, "--region", "胶州市", "-f", "json").stdout)
    as_colon = json.loads(invoke("score", f"{TABLE}:胶州市", "-f", "json").stdout)
    assert as_colon["overall"] == as_option["overall"]
    explained = invoke("explain", "township_cast_coverage", f"{TABLE}:胶州市", "-f", "json")
    assert explained.exit_code == 0 and json.loads(explained.stdout)["score"] == 100
    clash = invoke("report", f"{TABLE}:胶州市", "--region", "新沂市")
    assert clash.exit_code == 2 and "two regions given" in clash.stderr


def test_explain_with_the_arguments_swapped_says_which_comes_first():
    result = invoke("explain", JIAOZHOU, "township_cast_coverage")
    assert result.exit_code == 2 and f"the indicator comes first: scast explain township_cast_coverage {JIAOZHOU}" in result.stderr


def test_rank_top_says_what_it_leaves_out():
    # Coverage: 梧州市 and 胶州市 tie at 100, 滨州市 91.7; 新沂市 and 罗庄区 have no coverage score
    data = json.loads(invoke("rank", TABLE, "--by", "coverage", "--min-completeness", "0", "--top", "1", "-f", "json").stdout)
    assert [r["region"] for r in data["regions"]] == ["梧州市", "胶州市"] and data["hidden"] == {"below_top": 1, "unscored": 2}
    text = invoke("rank", TABLE, "--by", "coverage", "--min-completeness", "0", "--top", "1", "--lang", "en").stdout
    assert "Not shown with --top 1: 1 ranked below 1, 2 with no score on Coverage." in " ".join(text.split())
    zh = invoke("rank", TABLE, "--min-completeness", "0", "--top", "5", "--lang", "zh", "-f", "json").stdout
    assert json.loads(zh)["hidden"] == {"below_top": 0, "unscored": 1} and json.loads(zh)["by"]["label"] == "总分"


def test_min_completeness_takes_a_share_or_a_percent():
    share = json.loads(invoke("rank", TABLE, "--min-completeness", "0.2", "-f", "json").stdout)
    percent = json.loads(invoke("rank", TABLE, "--min-completeness", "20%", "-f", "json").stdout)
    # 梧州市 (22.1%), 胶州市 (22.2%) and 滨州市 (25.2%) reach 20%; 罗庄区 (1.8%) does not; 新沂市 has no score
    assert share["counts"] == percent["counts"] == {"ranked": 3, "incomplete": 1, "unscored": 1}
    wrong = invoke("rank", TABLE, "--min-completeness", "60")
    assert wrong.exit_code == 2 and "for 60% write 0.6" in " ".join(wrong.stderr.split())


def test_warnings_follow_the_language():
    zh = invoke("score", JIAOZHOU, "--lang", "zh", "-f", "json")
    assert "警告：" in zh.stderr and "数据为2014年的，与报告年份2024年相差超过3年" in zh.stderr
    en = invoke("score", JIAOZHOU, "--lang", "en", "-f", "json")
    assert "warning: " in en.stderr and "figure from 2014, more than 3 years from the report year 2024" in en.stderr


def test_narrow_tables_wrap_between_words():
    result = runner.invoke(app, ["rank", str(TABLE), "--lang", "en"], env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any("Completeness" in line for line in lines) and all(line.count("Excellen") == line.count("Excellent") for line in lines)


def test_report_charts_to_stdout_say_they_need_a_file():
    result = invoke("report", JIAOZHOU, "--charts", "svg", "--lang", "en")
    assert result.exit_code == 0 and "charts are files beside the report, so they need -o FILE" in " ".join(result.stderr.split())
