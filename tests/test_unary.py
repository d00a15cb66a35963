"""S-FEEL unary tests: every form, its edges, FEEL null logic, syntax errors, and mask == matches."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12spec.errors import UnaryTestSyntaxError
from b12spec.unary import (
    ANY,
    Comparison,
    Interval,
    Literal,
    NullTest,
    UnaryTest,
    format_literal,
    parse_literal,
    parse_unary_tests,
)

NAN = float("nan")


def check(cell: str, value: object) -> bool:
    """Parse once, and insist that the single-value and the column answer agree."""
    test = parse_unary_tests(cell)
    single = test.matches(value)
    column = test.mask(pd.Series([value], dtype=object)).tolist()
    assert column == [single], f"{cell!r} on {value!r}: matches={single}, mask={column}"
    return single


# --------------------------------------------------------------------------- the model


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-", ANY),
        ("< 180", UnaryTest((Comparison("<", 180.0),))),
        ("<=180", UnaryTest((Comparison("<=", 180.0),))),
        ("> -2.5", UnaryTest((Comparison(">", -2.5),))),
        (">= .5", UnaryTest((Comparison(">=", 0.5),))),
        ("[180..350]", UnaryTest((Interval(180.0, 350.0, True, True),))),
        ("(20..100]", UnaryTest((Interval(20.0, 100.0, False, True),))),
        ("]20..100[", UnaryTest((Interval(20.0, 100.0, False, False),))),
        ("[20..100)", UnaryTest((Interval(20.0, 100.0, True, False),))),
        ("[ -1.5 .. 2.25 ]", UnaryTest((Interval(-1.5, 2.25, True, True),))),
        ('"vegan","vegetarian"', UnaryTest((Literal("vegan"), Literal("vegetarian")))),
        ('not("vegan", "vegetarian")', UnaryTest((Literal("vegan"), Literal("vegetarian")), negated=True)),
        ("not ( null )", UnaryTest((NullTest(),), negated=True)),
        ("true", UnaryTest((Literal(True),))),
        ("false", UnaryTest((Literal(False),))),
        ("null", UnaryTest((NullTest(),))),
        ("-5", UnaryTest((Literal(-5.0),))),
        ("0.738", UnaryTest((Literal(0.738),))),
        (r'"say \"hi\""', UnaryTest((Literal('say "hi"'),))),
        (r'"a\\b"', UnaryTest((Literal("a\\b"),))),
        ("< 25, null", UnaryTest((Comparison("<", 25.0), NullTest()))),
    ],
)
def test_parses_into_the_model(cell: str, expected: UnaryTest) -> None:
    assert parse_unary_tests(cell) == expected


def test_any_is_only_the_dash() -> None:
    assert parse_unary_tests("-").is_any
    assert not parse_unary_tests("not(null)").is_any
    assert not parse_unary_tests("null").is_any


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("-", "-"),
        ("<  180", "< 180"),
        ("]20..100[", "(20..100)"),
        ("(20..100]", "(20..100]"),
        ('not( "a" ,null)', 'not("a", null)'),
        (r'"say \"hi\""', r'"say \"hi\""'),
        ("0.00001", "0.00001"),
        ("-2.5", "-2.5"),
    ],
)
def test_str_is_canonical_and_parses_back(cell: str, shown: str) -> None:
    test = parse_unary_tests(cell)
    assert str(test) == shown
    assert parse_unary_tests(str(test)) == test


def test_numbers_lists_every_threshold_and_interval_end() -> None:
    assert parse_unary_tests('< 25, [180..350], 7, "x", true, null').numbers == (25.0, 180.0, 350.0, 7.0)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "null"), (NAN, "null"), (True, "true"), (False, "false"), (180.0, "180"), (0.738, "0.738"),
     (1e-05, "0.00001"), ('a"b', r'"a\"b"'), ("a\\b", r'"a\\b"')],
)
def test_format_literal_round_trips(value: object, text: str) -> None:
    assert format_literal(value) == text
    back = parse_literal(text)
    assert back == value or (back is None and (value is None or math.isnan(value)))


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize("value", [None, NAN, 0, -3.5, 180, "vegan", "", True, False])
def test_dash_matches_anything(value: object) -> None:
    assert check("-", value)


@pytest.mark.parametrize(
    ("cell", "below", "at", "above"),
    [("< 180", True, False, False), ("<= 180", True, True, False), ("> 180", False, False, True),
     (">= 180", False, True, True)],
)
def test_comparisons_at_their_boundary(cell: str, below: bool, at: bool, above: bool) -> None:
    assert (check(cell, 179.9), check(cell, 180), check(cell, 180.1)) == (below, at, above)


@pytest.mark.parametrize(
    ("cell", "low_end", "high_end"),
    [
        ("[180..350]", True, True),
        ("(180..350]", False, True),
        ("]180..350]", False, True),
        ("[180..350)", True, False),
        ("[180..350[", True, False),
        ("(180..350)", False, False),
        ("]180..350[", False, False),
    ],
)
def test_interval_ends_open_or_closed(cell: str, low_end: bool, high_end: bool) -> None:
    assert check(cell, 180) is low_end
    assert check(cell, 350) is high_end
    assert check(cell, 265.5)
    assert not check(cell, 179.99)
    assert not check(cell, 350.01)


def test_single_point_interval() -> None:
    assert check("[5..5]", 5)
    assert not check("[5..5]", 5.01)


def test_negative_and_decimal_numbers() -> None:
    assert check("-5", -5)
    assert not check("-5", 5)
    assert check("< -2.5", -3)
    assert not check("< -2.5", -2.5)
    assert check("[-1.5..-0.5]", -1)
    assert check(".5", 0.5)
    assert check("0.738", 0.738)
    assert check("180", 180.0)
    assert check("180.0", 180)


def test_disjunction_matches_any_member() -> None:
    cell = '"vegan","vegetarian"'
    assert check(cell, "vegan")
    assert check(cell, "vegetarian")
    assert not check(cell, "omnivore")
    assert check("< 10, > 20", 5)
    assert check("< 10, > 20", 25)
    assert not check("< 10, > 20", 15)
    assert check("[1..2], [5..6]", 5.5)


def test_not_negates_the_whole_list() -> None:
    cell = 'not("vegan", "vegetarian")'
    assert check(cell, "omnivore")
    assert not check(cell, "vegan")
    assert not check(cell, "vegetarian")
    assert check("not([180..350])", 100)
    assert not check("not([180..350])", 200)


def test_strings_compare_exactly() -> None:
    assert check(r'"say \"hi\""', 'say "hi"')
    assert not check(r'"say \"hi\""', "say hi")
    assert not check('"Vegan"', "vegan")
    assert check('""', "")


def test_strings_are_not_numbers() -> None:
    assert not check('"5"', 5)
    assert not check("5", "5")
    assert not check("< 5", "3")
    assert not check("[1..10]", "3")
    assert not check("not(< 5)", "3"), "a comparison with a string is unknown, and not(unknown) is unknown"
    assert check('not("5")', 5), "a number is not the string 5"


def test_booleans_are_not_numbers() -> None:
    assert not check("1", True)
    assert not check("0", False)
    assert not check("true", 1)
    assert not check("false", 0)
    assert not check("< 5", True)
    assert not check("[0..1]", True)
    assert check("true", True)
    assert not check("true", False)
    assert check("false", False)
    assert check("not(true)", False)
    assert check("not(1)", True), "true is not the number 1"


def test_null_three_valued_logic() -> None:
    assert not check("< 5", None), "a comparison with null is unknown: no match"
    assert not check("not(< 5)", None), "not(unknown) is unknown: still no match"
    assert not check("[1..5]", None)
    assert not check("not([1..5])", None)
    assert check('not("a")', None), "null equals no string, so not(\"a\") holds"
    assert check("not(5)", None)
    assert not check('"a"', None)
    assert not check("5", None)
    assert not check("true", None)
    assert check("null", None)
    assert check("null", NAN), "NaN is how pandas writes a missing number"
    assert not check("not(null)", None)
    assert check("< 5, null", None)
    assert not check("not(< 5, null)", None)


@pytest.mark.parametrize("value", [0, "", False, "null"])
def test_null_matches_only_missing(value: object) -> None:
    assert not check("null", value)
    assert check("not(null)", value)


def test_unknown_in_a_list_does_not_hide_a_true_member() -> None:
    assert check('< 5, "a"', "a"), "the comparison is unknown but the string matches"
    assert not check('not(< 5, "a")', "b"), "no member true, one unknown: unknown"
    assert check('not("a", "b")', 3)


def test_numpy_and_pandas_scalars_match_like_python_values() -> None:
    """Values taken out of a pandas column are numpy scalars; they must answer as the Python ones."""
    assert parse_unary_tests("< 5").matches(np.int64(3))
    assert parse_unary_tests("[1..5]").matches(np.float64(5.0))
    assert parse_unary_tests("3").matches(np.int64(3))
    assert parse_unary_tests("true").matches(np.bool_(True))
    assert not parse_unary_tests("1").matches(np.bool_(True))
    assert parse_unary_tests("null").matches(pd.NA)
    assert not parse_unary_tests("< 5").matches(pd.NA)
    assert parse_unary_tests('not("a")').matches(pd.NA)


# --------------------------------------------------------------------------- mask on typed columns


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([100, 180, 350, 400], dtype="int64"),
        pd.Series([100.0, NAN, 180.0, 350.5], dtype="float64"),
        pd.Series([True, False, True], dtype="bool"),
        pd.Series([True, None, False], dtype="boolean"),
        pd.Series(["vegan", None, "omnivore"], dtype="string"),
        pd.Series(["vegan", None, 3, True, NAN], dtype="object"),
    ],
)
@pytest.mark.parametrize(
    "cell", ["-", "< 180", "[180..350]", "]100..350[", "null", "not(null)", "true", "not(true)", '"vegan"',
             'not("vegan")', "not(< 180)", "180, null"],
)
def test_mask_agrees_with_matches_on_typed_columns(column: pd.Series, cell: str) -> None:
    test = parse_unary_tests(cell)
    mask = test.mask(column)
    assert mask.dtype == bool
    assert list(mask.index) == list(column.index)
    assert mask.tolist() == [test.matches(v) for v in column.tolist()]


def test_mask_keeps_the_column_index() -> None:
    column = pd.Series([100, 200, None], index=["p1", "p2", "p3"], dtype=object)
    mask = parse_unary_tests("< 180").mask(column)
    assert mask.to_dict() == {"p1": True, "p2": False, "p3": False}


numbers = st.one_of(
    st.integers(min_value=-1000, max_value=1000).map(float),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3)),
)
words = st.sampled_from(["vegan", "vegetarian", "omnivore", "", 'a"b', "5", "true", "null"])
scalars = st.one_of(numbers, words, st.booleans())


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    low, high = sorted((draw(numbers), draw(numbers)))
    if low == high:  # a one-point interval must be closed at both ends, or it is empty (refused)
        return Interval(low, high, True, True)
    return Interval(low, high, draw(st.booleans()), draw(st.booleans()))


positive_tests = st.one_of(
    scalars.map(Literal),
    st.just(NullTest()),
    st.builds(Comparison, st.sampled_from(["<", "<=", ">", ">="]), numbers),
    intervals(),
)
unary_tests = st.one_of(
    st.just(ANY),
    st.builds(UnaryTest, st.lists(positive_tests, min_size=1, max_size=4).map(tuple), st.booleans()),
)
values = st.one_of(st.none(), st.just(NAN), numbers, st.integers(-1000, 1000), words, st.booleans())


@settings(max_examples=300, deadline=None)
@given(unary_tests, st.lists(values, max_size=12))
def test_mask_agrees_with_matches_property(test: UnaryTest, column: list[object]) -> None:
    series = pd.Series(column, dtype=object)
    assert test.mask(series).tolist() == [test.matches(v) for v in column]


@settings(max_examples=200, deadline=None)
@given(unary_tests)
def test_every_test_prints_as_a_cell_that_parses_back(test: UnaryTest) -> None:
    assert parse_unary_tests(str(test)) == test


# --------------------------------------------------------------------------- syntax errors


def caret_at(error: UnaryTestSyntaxError) -> int:
    """The column of the caret in the rendered message, relative to the cell text above it."""
    *_, text_line, caret_line = str(error).splitlines()
    assert text_line.strip() == error.text
    offset = text_line.index(error.text) if error.text else len(text_line)
    return caret_line.index("^") - offset


@pytest.mark.parametrize(
    ("cell", "position", "fragment"),
    [
        ('"vegan', 0, "never closed"),
        ('"a", "vegan', 5, "never closed"),
        ('"unterminated \\"', 0, "never closed"),
        ("[1 5]", 3, "'..'"),
        ("[1.5]", 4, "'..'"),
        ("[1..5,", 5, "to close the interval"),
        ("[1..5", 5, "to close the interval"),
        ("[1..5}", 5, "unexpected character"),
        ("[350..180]", 0, "lower end 350 exceeds its upper end 180"),
        ("[180...350]", 6, "unexpected character '.'"),
        ("< 1, (5..5]", 5, "the interval is empty"),
        ("]5..5[", 0, "the interval is empty"),
        ("vegan", 0, 'did you mean "vegan"'),
        ('"a", vegan', 5, "bare word"),
        ("True", 0, "bare word"),
        ("", 0, "use - to match anything"),
        ("< 5 x", 4, "end of the cell"),
        ("- 5", 2, "nothing after '-'"),
        ("not(1) 2", 7, "end of the cell after not"),
        ("not 1", 4, "'(' after not"),
        ("not(1", 5, "to close not("),
        ("< ", 1, "a number after <"),
        ('>= "a"', 3, "a number after >="),
        ("1..5", 1, "',' between tests"),
        ("1,", 2, "found the end of the cell"),
        ("[a..5]", 1, "lower end"),
        ("[1..b]", 4, "upper end"),
        ("= 5", 0, "write 5, not = 5"),
        ("\u201cvegan\u201d", 0, "typographic quote"),
        ("\u2264 180", 0, "write <="),
        ("\u2265 25", 0, "write >="),
        ("[1\u20135]", 2, "en dash"),
    ],
)
def test_syntax_error_points_at_the_fault(cell: str, position: int, fragment: str) -> None:
    with pytest.raises(UnaryTestSyntaxError) as caught:
        parse_unary_tests(cell)
    error = caught.value
    assert error.position == position
    assert caret_at(error) == position
    assert fragment in str(error)


def test_surrounding_spaces_are_ignored_and_the_caret_follows_the_shown_text() -> None:
    with pytest.raises(UnaryTestSyntaxError) as caught:
        parse_unary_tests("   < 5 x   ")
    assert caught.value.text == "< 5 x"
    assert caret_at(caught.value) == 4


def test_a_multi_line_cell_keeps_the_caret_under_the_fault() -> None:
    with pytest.raises(UnaryTestSyntaxError) as caught:
        parse_unary_tests("< 5,\n\tx")
    *_, text_line, caret_line = str(caught.value).splitlines()
    assert text_line == "    < 5,  x"
    assert text_line[caret_line.index("^")] == "x"


def test_whitespace_only_cell_is_empty() -> None:
    with pytest.raises(UnaryTestSyntaxError, match="use - to match anything"):
        parse_unary_tests("   ")


def test_parse_literal_accepts_one_value_only() -> None:
    assert parse_literal(" 12.5 ") == 12.5
    assert parse_literal('"x"') == "x"
    assert parse_literal("null") is None
    assert parse_literal("false") is False
    with pytest.raises(UnaryTestSyntaxError):
        parse_literal("1, 2")
    with pytest.raises(UnaryTestSyntaxError):
        parse_literal("< 5")


# --------------------------------------------------------------------------- FEEL string escapes


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('"line\\nbreak"', "line\nbreak"),
        ('"tab\\there"', "tab\there"),
        ('"say \\"hi\\""', 'say "hi"'),
        ('"back\\\\slash"', "back\\slash"),
        ('"caf\\u00e9"', "caf\u00e9"),
        ('"\\U01F600"', "\U0001f600"),
        ('"it\\\'s"', "it's"),
        ('"cr\\r"', "cr\r"),
    ],
)
def test_string_escapes_are_decoded_and_written_back(cell: str, value: str) -> None:
    test = parse_unary_tests(cell)
    assert test.tests[0].value == value
    assert parse_unary_tests(str(test)) == test, "format_literal writes a string that parses back to itself"


def test_a_control_character_is_written_as_a_code_point() -> None:
    assert format_literal("a\x01b") == '"a\\u0001b"'
    assert parse_unary_tests(format_literal("a\x01b")).tests[0].value == "a\x01b"


@pytest.mark.parametrize(
    ("cell", "position", "message"),
    [
        ('"a\\qb"', 2, "unknown escape '\\q'"),
        ('"\\u12"', 1, "needs exactly 4 hexadecimal digits"),
        ('"\\U0000"', 1, "needs exactly 6 hexadecimal digits"),
        ('"\\uD800"', 1, "is not a character"),
    ],
)
def test_an_unknown_or_broken_escape_is_refused_at_its_position(cell: str, position: int, message: str) -> None:
    with pytest.raises(UnaryTestSyntaxError) as caught:
        parse_unary_tests(cell)
    assert caught.value.position == position
    assert message in caught.value.expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_every_string_round_trips_through_its_literal(text: str) -> None:
    assert parse_literal(format_literal(text)) == text
