"""The formula whitelist: what it computes, and what it refuses."""

import math

import numpy as np
import pytest

from scast_cli.formulas import FormulaError, parse

FIELDS = ["a", "b", "c", "township_count"]


def run(text, **cols):
    columns = {k: np.array(v, dtype="float64") for k, v in cols.items()}
    return parse(text, FIELDS)(columns)


def test_arithmetic_precedence_and_unary_minus():
    # 2 + 3 * 4 = 14; -(2 - 5) / 2 = 1.5
    assert run("a + b * c", a=[2], b=[3], c=[4])[0] == 14
    assert run("-(a - b) / 2", a=[2], b=[5])[0] == 1.5


def test_whole_column_at_once():
    out = run("a / b * 100", a=[1, 3, 5], b=[4, 4, 10])
    assert out.tolist() == [25.0, 75.0, 50.0]


def test_division_by_zero_is_not_assessed_not_inf():
    out = run("a / b", a=[1, 0, 2], b=[0, 0, 4])
    assert math.isnan(out[0]) and math.isnan(out[1]) and out[2] == 0.5


def test_missing_input_propagates():
    out = run("a + b", a=[1, np.nan], b=[1, 1])
    assert out[0] == 2 and math.isnan(out[1])


def test_min_max_coalesce():
    assert run("min(a, 1)", a=[0.5, 3]).tolist() == [0.5, 1.0]
    assert run("max(a, b, c)", a=[1], b=[7], c=[3]).tolist() == [7.0]
    # coalesce takes the first assessable argument, row by row
    out = run("coalesce(a / b, c)", a=[3, np.nan, 1], b=[4, 2, 0], c=[0.9, 0.8, 0.7])
    assert out.tolist() == [0.75, 0.8, 0.7]


def test_fields_read_in_order():
    assert parse("coalesce(a / b, c) + a", FIELDS).fields == ("a", "b", "c")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("a.real", "attribute access is not allowed"),
        ("(lambda: 1)()", "only min(), max() and coalesce() may be called"),
        ("lambda: a", "a lambda is not allowed"),
        ("a ** 2", "the ** operator is not allowed"),
        ("a[0]", "indexing is not allowed"),
        ("a if b else c", "if/else is not allowed"),
        ("a > b", "a comparison is not allowed"),
        ("'text'", "only numbers may appear as constants"),
        ("townshp_count / a", "unknown field 'townshp_count' (did you mean 'township_count'?)"),
        ("open('x')", "unknown function 'open'"),
        ("min(a, key=b)", "plain arguments"),
        ("a +", "not a valid formula"),
        ("", "non-empty"),
        ("True + a", "only numbers may appear as constants"),
    ],
)
def test_rejected(text, fragment):
    with pytest.raises(FormulaError) as exc:
        parse(text, FIELDS)
    assert fragment in str(exc.value)


def test_error_offset_points_at_the_unknown_name():
    with pytest.raises(FormulaError) as exc:
        parse("a / townshp_count", FIELDS)
    assert exc.value.offset == 4
