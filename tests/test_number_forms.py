"""Number forms the reader scales or spells out: 万/亿 and header units scaled exactly, Chinese
numerals, and notes that do not count toward the problem cap."""

import pytest

from scast_cli.config import FieldSpec
from scast_cli.readers import _reference_regions, chinese_number, load_regions, parse_value, read_regions

COUNT = FieldSpec(id="c", zh="数", en="count", kind="count")
MONEY = FieldSpec(id="m", zh="经费", en="money", kind="money")
SHARE = FieldSpec(id="s", zh="比例", en="share", kind="share")


@pytest.mark.parametrize(
    "raw, spec, unit, number",
    [
        ("10.12万", COUNT, "", 101_200.0),  # 10.12 * 1e4 is 101199.99999999999
        ("0.07万", COUNT, "", 700.0),  # 0.07 * 1e4 is 700.0000000000001
        ("1.5亿", COUNT, "", 150_000_000.0),
        ("0.29亿", MONEY, "", 29_000_000.0),  # 0.29 * 1e8 is 28999999.999999996
        ("10.12", MONEY, "万元", 101_200.0),  # the header's unit
        (10.12, MONEY, "万元", 101_200.0),  # an XLSX number under a 万元 header
        ("1.2E+1", MONEY, "万元", 120_000.0),
        ("57.99%", SHARE, "", 0.5799),  # 57.99 / 100 is 0.5799000000000001
        ("57.99", SHARE, "%", 0.5799),
    ],
)
def test_scaled_exactly(raw, spec, unit, number):
    assert parse_value(raw, spec, unit).number == number  # exact, not approx


def test_a_whole_number_in_wan_is_a_whole_count():
    assert parse_value("10.12万", COUNT).number.is_integer()


@pytest.mark.parametrize(
    "text, digits",
    [
        ("三百", "300"),
        ("一千二百", "1200"),
        ("两万", "20000"),
        ("三千零五十", "3050"),
        ("十二", "12"),
        ("二十", "20"),
        ("十万", "100000"),
        ("五万三千", "53000"),
        ("一亿二千万", "120000000"),
        ("七", "7"),
    ],
)
def test_chinese_numerals(text, digits):
    assert chinese_number(text) == digits


@pytest.mark.parametrize("text", ["三四", "百千", "万", "三百十", "二百三百", "一万亿", "", "3百", "三" * 25, "约三百"])
def test_not_chinese_numerals(text):
    assert chinese_number(text) is None


@pytest.mark.parametrize(
    "raw, number, qualifier",
    [
        ("三百", 300, "exact"),
        ("约三百人", 300, "approx"),
        ("一千二百多名", 1200, "lower_bound"),
        ("两万", 20_000, "exact"),
        ("近两万人次", 20_000, "upper_bound"),
    ],
)
def test_parse_value_reads_chinese_numerals(raw, number, qualifier):
    value = parse_value(raw, COUNT)
    assert (value.number, value.qualifier) == (number, qualifier)


@pytest.mark.parametrize("raw", ["三四", "百千", "三百x", "万"])
def test_bad_numerals_keep_the_message(raw):
    with pytest.raises(ValueError, match="is not a number"):
        parse_value(raw, COUNT)


def _table(tmp_path, cells):
    path = tmp_path / "t.csv"
    path.write_text("地区,乡镇(街道)数\n" + "".join(f"县{i},{c}\n" for i, c in enumerate(cells)), encoding="utf-8")
    return path


def test_both_readers_scale_the_same(mini, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("地区,常住人口（万人）\n甲县,10.12\n乙县,0.07\n丙县,10.12万\n丁县,1.2E+1\n戊县,两万\n", encoding="utf-8")
    fast, slow = load_regions(path, mini), _reference_regions(path, mini)
    assert fast[1] == slow[1] == []
    assert fast[0].values["population_resident"].tolist() == slow[0].values["population_resident"].tolist() == [101_200, 700, 101_200, 120_000, 20_000]


def test_notes_do_not_count_toward_the_problem_cap(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("SCAST_MAX_PROBLEMS", "5")
    regions = read_regions(_table(tmp_path, ["约300"] * 12), mini)  # 12 notes, cap 5: read, no error
    assert len(regions.names) == 12
    _, problems = load_regions(_table(tmp_path, ["约300"] * 12), mini)
    assert [p.code for p in problems] == ["approximate"] * 5 + ["too-many-problems"]
    assert problems[-1].severity == "info" and str(problems[-1]).count("7 more notes") == 1


def test_errors_still_stop_at_the_cap_among_notes(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("SCAST_MAX_PROBLEMS", "3")
    _, problems = load_regions(_table(tmp_path, ["abc", "约300"] * 6), mini)
    errors = [p for p in problems if p.severity == "error"]
    assert [p.code for p in errors] == ["bad-value"] * 3 + ["too-many-problems"]
