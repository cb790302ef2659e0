"""Region files: the value parser and validation that reports every problem at once."""

import pytest

from scast_cli.config import FieldSpec
from scast_cli.errors import ScastError
from scast_cli.readers import normalise, parse_value, read_regions

COUNT = FieldSpec(id="c", zh="数", en="count", kind="count")
SHARE = FieldSpec(id="s", zh="比例", en="share", kind="share")
FLAG = FieldSpec(id="f", zh="是否", en="flag", kind="flag")


@pytest.mark.parametrize(
    "raw, spec, number, qualifier",
    [
        (12, COUNT, 12, "exact"),
        ("10,759", COUNT, 10759, "exact"),
        ("１２", COUNT, 12, "exact"),
        ("5.36万", COUNT, 53600, "exact"),
        ("5.36万人次", COUNT, 53600, "exact"),
        ("4200多名", COUNT, 4200, "lower_bound"),
        ("500余次", COUNT, 500, "lower_bound"),
        ("近20,000人", COUNT, 20000, "upper_bound"),
        ("约300", COUNT, 300, "approx"),
        ("73.17%", SHARE, 0.7317, "exact"),
        ("40%以上", SHARE, 0.40, "lower_bound"),
        ("超70%", SHARE, 0.70, "lower_bound"),
        ("是", FLAG, 1, "exact"),
        ("no", FLAG, 0, "exact"),
        (True, FLAG, 1, "exact"),
    ],
)
def test_parse_value(raw, spec, number, qualifier):
    value = parse_value(raw, spec)
    assert value.number == pytest.approx(number) and value.qualifier == qualifier


@pytest.mark.parametrize("raw", ["", "-", "—", "无数据", "N/A", None])
def test_missing_forms(raw):
    assert parse_value(raw, COUNT).number is None


@pytest.mark.parametrize("raw, spec", [("abc", COUNT), ("12abc", COUNT), ("万", COUNT), ("73%", COUNT), ("maybe", FLAG), (True, COUNT), ("1.2.3", COUNT)])
def test_rejected_values(raw, spec):
    with pytest.raises(ValueError):
        parse_value(raw, spec)


def test_normalise_matches_headers_as_people_write_them():
    assert normalise(" 科普专项经费（万元） ") == normalise("科普专项经费")
    assert normalise("Township_Count") == normalise("township count")


def test_all_problems_in_one_file_reported_together(mini, write):
    path = write(
        "bad.yaml",
        """region: 坏县
level: county
year: 2024
figures:
  township_count: 12
  township_cast_count: 13
  population_resident: -5
  committee_frontline_share: 1.5
  sci_volunteers_registered: abc
  townshp_count: 3
  county_cast_renewed: 7
""",
    )
    with pytest.raises(ScastError) as exc:
        read_regions(path, mini)
    by_line = {p.line: p for p in exc.value.problems}
    # every problem in the file in one run: parsing and validation alike
    assert sorted(by_line) == [6, 7, 8, 9, 10, 11]
    assert "part larger than its whole: 13 > township_count = 12" in by_line[6].message
    assert "cannot be below 1" in by_line[7].message
    assert "expected at most 1" in by_line[8].message and "73.17%" in by_line[8].message
    assert "'abc' is not a number" in by_line[9].message
    assert "did you mean 'township_count'" in by_line[10].message
    assert "yes/no" in by_line[11].message
    assert all(p.file == str(path) for p in exc.value.problems)
    assert by_line[9].where == "坏县: figures.sci_volunteers_registered"


def test_label_and_alias_keys(mini, write):
    path = write("r.yaml", "region: X\nfigures:\n  乡镇(街道)数: 12\n  镇级科协数: 12\n")
    regions = read_regions(path, mini)
    assert regions.values.at["X", "township_count"] == 12 and regions.values.at["X", "township_cast_count"] == 12


def test_same_field_twice_is_an_error(mini, write):
    path = write("r.yaml", "region: X\nfigures:\n  township_count: 12\n  乡镇(街道)数: 11\n")
    with pytest.raises(ScastError) as exc:
        read_regions(path, mini)
    assert exc.value.problems[0].line == 4


def test_several_regions_need_a_choice(mini, write):
    from scast_cli.errors import UsageError

    path = write("r.yaml", "regions:\n  - {region: A, figures: {township_count: 1}}\n  - {region: B, figures: {township_count: 2}}\n")
    regions = read_regions(path, mini)
    with pytest.raises(UsageError) as exc:
        regions.select(None)
    assert "A, B" in str(exc.value)
    assert regions.select("B").names == ["B"]


def test_old_denominator_is_a_warning(mini, write):
    path = write("r.yaml", "region: X\nyear: 2024\nfigures:\n  population_resident: {value: 871000, year: 2014}\n")
    regions = read_regions(path, mini)
    assert [w.code for w in regions.warnings] == ["old-denominator"]
