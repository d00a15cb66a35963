"""Cells: any text either parses to a unary test that prints back to itself, or is a syntax error."""

from __future__ import annotations

import contextlib
import math

from hypothesis import given
from hypothesis import strategies as st

from b12spec.errors import UnaryTestSyntaxError
from b12spec.unary import UnaryTest, parse_literal, parse_unary_tests

from .conftest import fuzz

TOKENS = st.sampled_from(
    [
        "<",
        "<=",
        ">",
        ">=",
        "[",
        "]",
        "(",
        ")",
        "..",
        ",",
        "-",
        "not",
        "null",
        "true",
        "false",
        '"',
        "\\",
        " ",
        "\t",
        "\n",
        "\x1c",
        "\x1f",
        "\u00a0",
        "\u2028",
        "\u0661",
        "\uff11",
        "e",
        ".",
        "0",
        "1",
        "5",
        "180",
        "2.5",
        "-3",
        "9" * 40,
        "1" + "0" * 400,
        '"vegan"',
        '"a\\nb"',
        '"\\u00e9"',
        "\u201c",
        "=",
    ]
)
CELL_TEXT = st.one_of(st.text(max_size=40), st.lists(TOKENS, max_size=12).map("".join))


@fuzz(400)
@given(CELL_TEXT)
def test_every_cell_parses_and_prints_back_or_is_a_located_syntax_error(text: str) -> None:
    try:
        test = parse_unary_tests(text)
    except UnaryTestSyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.render()  # the caret message itself never fails
        return
    assert isinstance(test, UnaryTest)
    printed = str(test)
    assert all(math.isfinite(n) for n in test.numbers), printed
    assert parse_unary_tests(printed) == test, printed


@fuzz(400)
@given(CELL_TEXT)
def test_every_output_entry_is_a_value_or_a_syntax_error(text: str) -> None:
    with contextlib.suppress(UnaryTestSyntaxError):
        parse_literal(text)


NUMBERS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e33, max_value=1e33)


@fuzz(400)
@given(NUMBERS, st.sampled_from(["<", "<=", ">", ">="]))
def test_every_number_the_grammar_holds_prints_as_a_cell_that_parses_again(number: float, operator: str) -> None:
    test = parse_unary_tests(f"{operator} {number:.20f}".rstrip("0").rstrip(".")) if abs(number) < 1e13 else None
    if test is None:
        return
    assert parse_unary_tests(str(test)) == test
