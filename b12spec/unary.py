"""S-FEEL unary tests (DMN 1.3, section 9): grammar, model and compiled predicates.

A table cell such as ``[180..350]`` or ``not("vegan", "vegetarian")`` is parsed by a small
recursive-descent parser into frozen dataclasses, never ``eval``ed. The same model answers for a
single value (one patient) and for a whole pandas column (a cohort), so the engine does not need
a second implementation for cohort evaluation.

Grammar (the S-FEEL subset of DMN 1.3, rules 7 to 9 and 17 to 18)::

    unary_tests   := "-" | "not" "(" positives ")" | positives
    positives     := positive ("," positive)*
    positive      := "null" | comparison | interval | literal
    comparison    := ("<" | "<=" | ">" | ">=") number
    interval      := ("[" | "(" | "]") number ".." number ("]" | ")" | "[")
    literal       := number | string | "true" | "false"

Null follows FEEL's three-valued logic: a comparison with null is unknown (no match, and
``not(...)`` of unknown is still no match); equality with null is false; ``null`` matches null.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from b12spec.errors import UnaryTestSyntaxError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd
    from typing_extensions import TypeIs

Scalar = float | str | bool
Value = float | str | bool | None

COMPARATORS = ("<=", ">=", "<", ">")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Literal:
    """Equality with one number, string or boolean."""

    value: Scalar

    def __str__(self) -> str:
        return format_literal(self.value)


@dataclass(frozen=True)
class NullTest:
    """Matches a missing (null) input."""

    def __str__(self) -> str:
        return "null"


@dataclass(frozen=True)
class Comparison:
    """``< n``, ``<= n``, ``> n`` or ``>= n`` on a number."""

    operator: str
    value: float

    def __str__(self) -> str:
        return f"{self.operator} {format_literal(self.value)}"


@dataclass(frozen=True)
class Interval:
    """A numeric range with each end open or closed."""

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{format_literal(self.low)}..{format_literal(self.high)}{right}"


PositiveTest = Literal | NullTest | Comparison | Interval


@dataclass(frozen=True)
class UnaryTest:
    """One input entry: ``-`` (any), or a disjunction of positive tests, possibly negated."""

    tests: tuple[PositiveTest, ...] = ()
    negated: bool = False

    @property
    def is_any(self) -> bool:
        return not self.tests and not self.negated

    def __str__(self) -> str:
        if self.is_any:
            return "-"
        body = ", ".join(str(t) for t in self.tests)
        return f"not({body})" if self.negated else body

    def matches(self, value: Value) -> bool:
        """True only when the test definitely holds (FEEL: unknown is no match)."""
        if self.is_any:
            return True
        verdict = _disjunction(_scalar_verdict(t, value) for t in self.tests)
        if verdict is None:
            return False
        return (not verdict) if self.negated else verdict

    def mask(self, column: pd.Series) -> pd.Series:
        """The same test over a whole column: a boolean Series aligned with ``column``."""
        import pandas as pd

        if self.is_any:
            return pd.Series(True, index=column.index)
        true = pd.Series(False, index=column.index)
        unknown = pd.Series(False, index=column.index)
        for test in self.tests:
            t_true, t_unknown = _column_verdict(test, column)
            true = true | t_true
            unknown = unknown | t_unknown
        unknown = unknown & ~true
        result = (~true & ~unknown) if self.negated else true
        return result.astype(bool)

    @property
    def numbers(self) -> tuple[float, ...]:
        """Every number this test mentions (thresholds and interval ends)."""
        found: list[float] = []
        for t in self.tests:
            if isinstance(t, Comparison):
                found.append(t.value)
            elif isinstance(t, Interval):
                found.extend((t.low, t.high))
            elif isinstance(t, Literal) and _is_number(t.value):
                found.append(float(t.value))
        return tuple(found)


ANY = UnaryTest()


def format_literal(value: Value) -> str:
    """Render a value the way it is written in a cell, so that it parses back to itself.

    Numbers are written positionally (``0.00001``, never ``1e-05``): the grammar has no exponent.
    """
    if _is_null(value):
        return "null"
    if _is_bool(value):
        return "true" if value else "false"
    if not _is_number(value):
        return '"' + "".join(_encode_char(c) for c in str(value)) + '"'
    if float(value) == 0:
        return "0"  # also -0.0, which compares equal to 0 everywhere
    exact = Decimal(repr(float(value)))
    # The shortest decimal that reads back as this float, positionally: 1e33 prints as 1 and 33
    # zeros (str(int(1e33)) would print the float's binary expansion, 999...816).
    return format(exact.to_integral_value() if float(value).is_integer() else exact, "f")


def _encode_char(char: str) -> str:
    """One character of a string as a FEEL literal writes it: escapes for quote, backslash and
    control characters (a raw line break in a cell would not survive a CSV or XML round trip)."""
    if char in _ENCODE:
        return _ENCODE[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char


# --------------------------------------------------------------------------- scalar semantics


def _is_bool(value: object) -> TypeIs[bool | np.bool_]:
    # numpy's bool_ is what a pandas column hands out; it is not a Python bool subclass.
    return isinstance(value, (bool, np.bool_))


def _is_number(value: object) -> TypeIs[float]:
    # numpy integers are not Python ints: without them a value read from a cohort column would
    # match in .mask() but not in .matches().
    return isinstance(value, (int, float, np.integer, np.floating)) and not _is_bool(value)


def _is_null(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    # pandas' missing-value markers; a value can only be one of them if pandas is loaded.
    pandas = sys.modules.get("pandas")
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def _scalar_verdict(test: PositiveTest, value: Value) -> bool | None:
    if isinstance(test, NullTest):
        return _is_null(value)
    if _is_null(value):
        return False if isinstance(test, Literal) else None
    if isinstance(test, Literal):
        if _is_bool(test.value) or _is_bool(value):
            return _is_bool(value) and _is_bool(test.value) and bool(value) == bool(test.value)
        if isinstance(test.value, str) or isinstance(value, str):
            return isinstance(value, str) and isinstance(test.value, str) and value == test.value
        if not _is_number(value):
            return False
        return float(value) == float(test.value)
    if not _is_number(value):
        return None
    number = float(value)
    if isinstance(test, Comparison):
        return _compare(test.operator, number, test.value)
    low_ok = number >= test.low if test.low_closed else number > test.low
    high_ok = number <= test.high if test.high_closed else number < test.high
    return low_ok and high_ok


def _compare(operator: str, left: float, right: float) -> bool:
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right


def _disjunction(verdicts: Iterable[bool | None]) -> bool | None:
    unknown = False
    for verdict in verdicts:
        if verdict is True:
            return True
        if verdict is None:
            unknown = True
    return None if unknown else False


# --------------------------------------------------------------------------- column semantics


def _column_verdict(test: PositiveTest, column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(definitely true, unknown) masks for one positive test over a column."""
    import pandas as pd

    nulls = column.isna()
    none = pd.Series(False, index=column.index)
    if isinstance(test, NullTest):
        return nulls, none
    kinds = column.map(_kind)
    if isinstance(test, Literal):
        kind = _kind(test.value)
        same = (kinds == kind) & ~nulls
        if kind == "number":
            numeric = pd.to_numeric(column.where(same), errors="coerce")
            return (same & (numeric == float(test.value))).fillna(False), none
        return (same & column.where(same).eq(test.value)).fillna(False), none
    numeric_mask = (kinds == "number") & ~nulls
    numeric = pd.to_numeric(column.where(numeric_mask), errors="coerce")
    if isinstance(test, Comparison):
        ops = {"<": numeric.lt, "<=": numeric.le, ">": numeric.gt, ">=": numeric.ge}
        true = ops[test.operator](test.value)
    else:
        low = numeric.ge(test.low) if test.low_closed else numeric.gt(test.low)
        high = numeric.le(test.high) if test.high_closed else numeric.lt(test.high)
        true = low & high
    true = (true & numeric_mask).fillna(False).astype(bool)
    return true, ~numeric_mask


def _kind(value: object) -> str:
    if _is_null(value):
        return "null"
    if _is_bool(value):
        return "boolean"
    if _is_number(value):
        return "number"
    return "string"


# --------------------------------------------------------------------------- grammar

# FEEL's whitespace (DMN 1.3, grammar rules 61 and 62), not Python's: str.isspace() also takes
# the separators \x1c-\x1f, which a hostile or corrupted cell could hide anywhere.
FEEL_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e"
    + "".join(chr(c) for c in range(0x2000, 0x200C))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_SPACE = "[" + re.escape(FEEL_WHITESPACE) + "]"
# A string literal stays on one line (rule 35 excludes vertical space, \n to \r, from it).
_STRING_BODY = r'(?:[^"\\\n\r\x0b\x0c]|\\[^\n\r\x0b\x0c])*'
# FEEL numbers are decimal128: at most 34 significant digits. Longer ones are refused rather than
# rounded, and none can overflow a float to infinity (which would print as "Infinity").
MAX_NUMBER_DIGITS = 34
_NUMBER_CEILING = float(f"1e{MAX_NUMBER_DIGITS}")

_TOKEN = re.compile(
    rf"""
    (?P<space>{_SPACE}+)
  | (?P<number>-?(?:[0-9]+(?:\.[0-9]+)?|(?<!\.)\.[0-9]+))
  | (?P<string>"{_STRING_BODY}")
  | (?P<range>\.\.)
  | (?P<op><=|>=|<|>)
  | (?P<punct>[\[\]\(\),])
  | (?P<dash>-)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<broken>"{_STRING_BODY}[\n\r\x0b\x0c])
  | (?P<unterminated>"{_STRING_BODY}\Z)
    """,
    re.VERBOSE,
)


def strip_feel(text: str) -> str:
    """``text`` without leading and trailing FEEL whitespace (and nothing else)."""
    return text.strip(FEEL_WHITESPACE)


# Characters a spreadsheet's autocorrect puts in a cell, and what the grammar wants instead.
_LOOKALIKES = {
    "\u201c": ' (a typographic quote; use a straight " )',
    "\u201d": ' (a typographic quote; use a straight " )',
    "\u2018": ' (a typographic quote; use a straight " )',
    "\u2019": ' (a typographic quote; use a straight " )',
    "\u2264": " (write <= )",
    "\u2265": " (write >= )",
    "\u2013": " (an en dash; write - for a negative number, .. for a range)",
    "\u2212": " (a minus sign; write - )",
    "=": " (equality is the value alone: write 5, not = 5)",
}


# FEEL's string escapes (DMN 1.3, grammar rule 64); rule 65 adds \\uXXXX and \\UXXXXXX code points.
_SIMPLE_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_NAMES = ('\\"', "\\'", "\\\\", "\\n", "\\r", "\\t")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
# What format_literal writes back as an escape, so that every string parses back to itself.
_ENCODE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hint(char: str) -> str:
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    if unicodedata.category(char) == "Nd":
        return " (a digit of another script; FEEL numbers are written with the digits 0 to 9)"
    if unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return " (a control or separator character that is not FEEL whitespace; delete it)"
    return ""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            raise UnaryTestSyntaxError(text, position, f"unexpected character {char!r}{_hint(char)}")
        kind = match.lastgroup or ""
        if kind == "unterminated":
            raise UnaryTestSyntaxError(text, position, "a string is opened here but never closed")
        if kind == "broken":
            raise UnaryTestSyntaxError(
                text, match.end() - 1, "a line break inside a string; a string stays on one line (write \\n)"
            )
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def fail(self, expected: str, token: _Token | None = None) -> UnaryTestSyntaxError:
        token = token or self.current
        found = "the end of the cell" if token.kind == "end" else repr(token.text)
        return UnaryTestSyntaxError(self.text, token.position, f"expected {expected}, found {found}")

    def expect(self, kind: str, text: str | None, expected: str) -> _Token:
        token = self.current
        if token.kind != kind or (text is not None and token.text != text):
            raise self.fail(expected)
        return self.advance()

    def parse(self) -> UnaryTest:
        if self.current.kind == "end":
            raise self.fail("a unary test (use - to match anything)")
        if self.current.kind == "dash":
            self.advance()
            self.expect("end", None, "nothing after '-' (it already matches anything)")
            return ANY
        if self.current.kind == "name" and self.current.text == "not":
            self.advance()
            self.expect("punct", "(", "'(' after not")
            tests = self.positives()
            self.expect("punct", ")", "',' or ')' to close not(")
            self.expect("end", None, "the end of the cell after not(...)")
            return UnaryTest(tests, negated=True)
        tests = self.positives()
        self.expect("end", None, "',' between tests, or the end of the cell")
        return UnaryTest(tests)

    def positives(self) -> tuple[PositiveTest, ...]:
        tests = [self.positive()]
        while self.current.kind == "punct" and self.current.text == ",":
            self.advance()
            tests.append(self.positive())
        return tuple(tests)

    def positive(self) -> PositiveTest:
        token = self.current
        if token.kind == "op":
            self.advance()
            return Comparison(token.text, self.number("a number after " + token.text))
        if token.kind == "punct" and token.text in "[(]":
            return self.interval()
        if token.kind == "name" and token.text == "null":
            self.advance()
            return NullTest()
        return Literal(self.literal())

    def interval(self) -> Interval:
        opener = self.advance()
        low = self.number("the interval's lower end (a number)")
        self.expect("range", None, "'..' between the interval's ends")
        high = self.number("the interval's upper end (a number)")
        closer = self.current
        if closer.kind != "punct" or closer.text not in "])[":
            raise self.fail("']' or ')' to close the interval")
        self.advance()
        low_closed, high_closed = opener.text == "[", closer.text == "]"
        if low > high:
            raise UnaryTestSyntaxError(
                self.text, opener.position, f"the interval's lower end {low:g} exceeds its upper end {high:g}"
            )
        if low == high and not (low_closed and high_closed):
            # (5..5] holds no number: a rule written with it could never fire.
            raise UnaryTestSyntaxError(
                self.text, opener.position, f"the interval is empty: both ends are {low:g} and one is open"
            )
        return Interval(low, high, low_closed=low_closed, high_closed=high_closed)

    def number(self, expected: str) -> float:
        token = self.current
        if token.kind != "number":
            raise self.fail(expected)
        self.advance()
        return self.number_value(token)

    def number_value(self, token: _Token) -> float:
        whole, _, fraction = token.text.lstrip("-").partition(".")
        digits = len(whole.lstrip("0")) + len(fraction)
        if digits > MAX_NUMBER_DIGITS:
            raise UnaryTestSyntaxError(
                self.text,
                token.position,
                f"a number of {digits} digits; FEEL numbers have at most {MAX_NUMBER_DIGITS} (decimal128)",
            )
        value = float(token.text)
        if abs(value) >= _NUMBER_CEILING:  # 34 nines round up to 1e34, which prints with 35 digits
            raise UnaryTestSyntaxError(
                self.text, token.position, f"a number too large; FEEL numbers have at most {MAX_NUMBER_DIGITS} digits"
            )
        return value

    def string_value(self, token: _Token) -> str:
        """Decode a FEEL string literal's escapes (DMN 1.3 grammar rules 64 and 65).

        An escape FEEL does not define is an error, not dropped: ``"line\\nbreak"`` once lost its
        line break silently, and an unknown one would change a value just as silently.
        """
        body = token.text[1:-1]
        decoded: list[str] = []
        index = 0
        while index < len(body):
            char = body[index]
            if char != "\\":
                decoded.append(char)
                index += 1
                continue
            escape = body[index + 1 : index + 2]
            position = token.position + 1 + index
            if escape in _SIMPLE_ESCAPES:
                decoded.append(_SIMPLE_ESCAPES[escape])
                index += 2
                continue
            digits = {"u": 4, "U": 6}.get(escape)
            hex_part = body[index + 2 : index + 2 + digits] if digits else ""
            if digits is None:
                allowed = ", ".join(_ESCAPE_NAMES)
                raise UnaryTestSyntaxError(
                    self.text,
                    position,
                    f"unknown escape '{body[index:index + 2]}' in a string; FEEL allows {allowed}, "
                    "\\uXXXX and \\UXXXXXX (write \\\\ for a backslash)",
                )
            if len(hex_part) != digits or not all(c in _HEX_DIGITS for c in hex_part):
                raise UnaryTestSyntaxError(
                    self.text, position, f"'\\{escape}' needs exactly {digits} hexadecimal digits"
                )
            code = int(hex_part, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise UnaryTestSyntaxError(self.text, position, f"{body[index:index + 2 + digits]} is not a character")
            decoded.append(chr(code))
            index += 2 + digits
        return "".join(decoded)

    def literal(self) -> Scalar:
        token = self.current
        if token.kind == "number":
            self.advance()
            return self.number_value(token)
        if token.kind == "string":
            self.advance()
            return self.string_value(token)
        if token.kind == "name" and token.text in ("true", "false"):
            self.advance()
            return token.text == "true"
        if token.kind == "name":
            raise self.fail(
                'a number, a "quoted string", true, false, null, a comparison or an interval '
                f'(a bare word is not a value; did you mean "{token.text}"?)'
            )
        raise self.fail('a number, a "quoted string", true, false, null, a comparison or an interval')


def parse_unary_tests(text: str) -> UnaryTest:
    """Parse one input entry; raises UnaryTestSyntaxError with the position of the fault."""
    return _Parser(strip_feel(text)).parse()


def parse_literal(text: str) -> Value:
    """Parse a single literal (used for output entries and case values written as text)."""
    stripped = strip_feel(text)
    if stripped == "null":
        return None
    parser = _Parser(stripped)
    value = parser.literal()
    parser.expect("end", None, "a single value")
    return value
