"""Value sets of one input column, made finite and exact by cutting the domain into atoms.

The domain of a column is what a validated case can put there: a number field's closed range
``[minimum, maximum]``, an enum's values, true and false, plus null when the field is optional; a
column that tests another decision's output sees the values that decision's rules can produce.

Every threshold any entry of the column mentions cuts the numeric range into *atoms*: the
thresholds themselves (points) and the open intervals between them. No unary test can tell two
values of the same atom apart, so a test is exactly the set of atoms it matches, an int bitmask;
unions, intersections and complements of entries are ``|``, ``&`` and ``~``. Membership of an
atom is decided by calling the engine's own ``UnaryTest.matches`` on a value inside the atom, so
the verifier and the evaluator cannot disagree on FEEL's null logic or on open and closed ends.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from b12spec.model import DataField, FieldType
from b12spec.unary import Comparison, Literal, NullTest, PositiveTest, UnaryTest, Value, format_literal

NULL = "null"
VALUE = "value"
POINT = "point"
OPEN = "open"


@dataclass(frozen=True)
class Domain:
    """What one input column can hold in a valid case."""

    expression: str
    kind: str  # "number", "enum", "boolean" or "decision"
    nullable: bool
    numeric: tuple[float, float] | None = None  # closed [minimum, maximum]
    precision: float | None = None
    values: tuple[Value, ...] = ()  # discrete values (enum, boolean, or what a decision produces)
    unit: str | None = None
    upstream: tuple[str, str] | None = None  # (decision, output) for a decision's output
    allowed: tuple[Value, ...] = ()  # for a decision's output: the declared allowed values

    @classmethod
    def of_field(cls, data_field: DataField) -> Domain:
        nullable = not data_field.required
        if data_field.type is FieldType.NUMBER:
            assert data_field.minimum is not None and data_field.maximum is not None
            return cls(
                data_field.name,
                "number",
                nullable,
                numeric=(data_field.minimum, data_field.maximum),
                precision=data_field.precision or 1.0,
                unit=data_field.unit,
            )
        if data_field.type is FieldType.BOOLEAN:
            return cls(data_field.name, "boolean", nullable, values=(True, False))
        return cls(data_field.name, "enum", nullable, values=tuple(data_field.values))


@dataclass(frozen=True)
class Atom:
    """A piece of a domain no unary test can split: null, one discrete value, a point, an open span."""

    kind: str
    value: Value = None  # the value (null, discrete, point) or a value strictly inside (open)
    low: float | None = None
    high: float | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in (POINT, OPEN)


def _decimals(precision: float | None) -> int:
    if not precision:
        return 6
    exponent = Decimal(repr(precision)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _inside(low: float, high: float, precision: float | None, near_high: bool) -> float:
    """A value strictly inside (low, high), one precision step from the chosen end when it fits.

    ``> 50`` with precision 0.1 gives 50.1: the smallest value a laboratory could report that
    the test accepts. When the span is narrower than a step, its midpoint.
    """
    step = precision or 1.0
    digits = _decimals(precision)
    candidate = round(high - step, digits) if near_high else round(low + step, digits)
    if low < candidate < high:
        return candidate
    for extra in range(1, 8):
        middle = round((low + high) / 2, digits + extra)
        if low < middle < high:
            return middle
    return (low + high) / 2


class ColumnSpace:
    """One column's atoms, and each entry of the column as a bitmask over them."""

    def __init__(self, domain: Domain, tests: Iterable[UnaryTest]) -> None:
        self.domain = domain
        tests = list(dict.fromkeys(tests))
        atoms: list[Atom] = []
        if domain.numeric is not None:
            low, high = domain.numeric
            cuts = sorted({low, high} | {n for t in tests for n in t.numbers if low < n < high and math.isfinite(n)})
            for i, cut in enumerate(cuts):
                if i:
                    previous = cuts[i - 1]
                    atoms.append(Atom(OPEN, _inside(previous, cut, domain.precision, False), previous, cut))
                atoms.append(Atom(POINT, cut, cut, cut))
        for value in domain.values:
            atoms.append(Atom(VALUE, value))
        if domain.nullable:
            atoms.append(Atom(NULL, None))
        self.atoms: tuple[Atom, ...] = tuple(atoms)
        self.full = (1 << len(atoms)) - 1
        self.numeric_mask = sum(1 << i for i, a in enumerate(atoms) if a.numeric)
        self._masks: dict[UnaryTest, int] = {}
        # Numeric atoms come first, in increasing order: their values bisect like the line.
        self._reps = [float(a.value) for a in atoms if a.numeric and isinstance(a.value, (int, float))]
        self._null_mask = sum(1 << i for i, a in enumerate(atoms) if a.kind == NULL)
        self._value_index: dict[tuple[type, Value], int] = {}
        self._numeric_values: list[int] = []
        non_numeric = self._null_mask
        for i, a in enumerate(atoms):
            if a.kind != VALUE:
                continue
            if isinstance(a.value, (bool, str)):
                non_numeric |= 1 << i
                kind = (type(a.value), a.value)
                self._value_index[kind] = self._value_index.get(kind, 0) | (1 << i)
            else:
                self._numeric_values.append(i)
                key = (float, float(a.value))  # type: ignore[arg-type]
                self._value_index[key] = self._value_index.get(key, 0) | (1 << i)
        self._non_numeric = non_numeric

    def mask(self, test: UnaryTest) -> int:
        """The atoms a unary test matches (FEEL semantics, exactly as ``UnaryTest.matches``)."""
        cached = self._masks.get(test)
        if cached is not None:
            return cached
        if test.is_any:
            result = self.full
        else:
            true = unknown = 0
            for positive in test.tests:
                t, u = self._positive(positive)
                true |= t
                unknown |= u
            result = (self.full & ~(true | unknown)) if test.negated else true
        self._masks[test] = result
        return result

    def mask_by_matching(self, test: UnaryTest) -> int:
        """The same set by asking ``matches`` atom by atom: slow, the reference for ``mask``."""
        return sum(1 << i for i, atom in enumerate(self.atoms) if test.matches(atom.value))

    def _positive(self, test: PositiveTest) -> tuple[int, int]:
        """(atoms where a positive test is true, atoms where it is unknown) for one positive test."""
        if isinstance(test, NullTest):
            return self._null_mask, 0
        if isinstance(test, Literal):
            value = test.value
            if isinstance(value, (bool, str)):
                return self._value_index.get((type(value), value), 0), 0
            number = float(value)
            found = self._value_index.get((float, number), 0)
            at = bisect_left(self._reps, number)
            if at < len(self._reps) and self._reps[at] == number and self.atoms[at].kind == POINT:
                found |= 1 << at
            return found, 0
        if isinstance(test, Comparison):
            low, high, low_closed, high_closed = -math.inf, math.inf, False, False
            if test.operator in ("<", "<="):
                high, high_closed = test.value, test.operator == "<="
            else:
                low, low_closed = test.value, test.operator == ">="
        else:
            low, high, low_closed, high_closed = test.low, test.high, test.low_closed, test.high_closed
        start = bisect_left(self._reps, low) if low_closed else bisect_right(self._reps, low)
        stop = bisect_right(self._reps, high) if high_closed else bisect_left(self._reps, high)
        true = ((1 << stop) - 1) & ~((1 << start) - 1) if stop > start else 0
        for index in self._numeric_values:
            number = float(self.atoms[index].value)  # type: ignore[arg-type]  # numeric atoms hold floats
            above = number >= low if low_closed else number > low
            below = number <= high if high_closed else number < high
            if above and below:
                true |= 1 << index
        return true, self._non_numeric

    # ------------------------------------------------------------------ witnesses and text

    def sample(self, mask: int) -> Value:
        """One value of the set, chosen to be telling: beside the threshold that bounds it."""
        if not mask:
            raise ValueError("an empty set has no sample")
        numeric = mask & self.numeric_mask
        if numeric:
            first = _lowest(numeric)
            run_end = first + _run_length(numeric >> first) - 1
            starts_at_minimum = first == 0
            ends_at_maximum = self.atoms[run_end].kind == POINT and self.domain.numeric is not None and (
                self.atoms[run_end].value == self.domain.numeric[1]
            )
            if starts_at_minimum and not ends_at_maximum:
                atom = self.atoms[run_end]
                if atom.kind == OPEN:
                    assert atom.low is not None and atom.high is not None
                    return _inside(atom.low, atom.high, self.domain.precision, True)
                return atom.value
            atom = self.atoms[first]
            return atom.value
        if mask & (self.full ^ self.numeric_mask):
            return self.atoms[_lowest(mask & (self.full ^ self.numeric_mask))].value
        return self.atoms[_lowest(mask)].value

    def describe(self, mask: int) -> str:
        """The set written as a unary test, e.g. ``> 50``, ``[20..50], null`` or ``-``."""
        if mask == self.full:
            return "-"
        if not mask:
            return "nothing"
        # Only the atoms in the set are visited (a column of a large table has thousands of atoms
        # and this runs for every finding): numeric runs of consecutive atoms become spans.
        # Numeric atoms are taken a run of consecutive atoms at a time, found with bit arithmetic:
        # a band of a 2,000-rule table spans hundreds of atoms, and this runs for every finding.
        spans: list[str] = []
        numeric = mask & self.numeric_mask
        while numeric:
            start = _lowest(numeric)
            length = _run_length(numeric >> start)
            spans.append(self._span(self.atoms[start], self.atoms[start + length - 1]))
            numeric &= ~(((1 << length) - 1) << start)
        values: list[str] = []
        null = False
        for index in bits(mask & ~self.numeric_mask):
            atom = self.atoms[index]
            if atom.kind == VALUE:
                values.append(format_literal(atom.value))
            elif atom.kind == NULL:
                null = True
        return ", ".join([*spans, *values, *(["null"] if null else [])])

    def _span(self, first: Atom, last: Atom) -> str:
        assert self.domain.numeric is not None
        minimum, maximum = self.domain.numeric
        low = first.low if first.kind == OPEN else first.value
        high = last.high if last.kind == OPEN else last.value
        low_closed = first.kind == POINT
        high_closed = last.kind == POINT
        assert isinstance(low, float) and isinstance(high, float)
        if low == high:
            return format_literal(low)
        at_min = low == minimum and low_closed
        at_max = high == maximum and high_closed
        if at_min and at_max:
            return f"[{format_literal(low)}..{format_literal(high)}]"
        if at_min:
            return f"{'<=' if high_closed else '<'} {format_literal(high)}"
        if at_max:
            return f"{'>=' if low_closed else '>'} {format_literal(low)}"
        left = "[" if low_closed else "("
        right = "]" if high_closed else ")"
        return f"{left}{format_literal(low)}..{format_literal(high)}{right}"

    def show_value(self, value: Value) -> str:
        """A witness value as a reader wants it: with its unit."""
        text = format_literal(value)
        if value is not None and not isinstance(value, (bool, str)) and self.domain.unit:
            text += f" {self.domain.unit}"
        return text


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def _run_length(mask: int) -> int:
    """How many consecutive set bits ``mask`` starts with (its trailing ones)."""
    return (~mask & (mask + 1)).bit_length() - 1


def bits(mask: int) -> Iterable[int]:
    """Indices of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def contiguous(mask: int) -> bool:
    """Whether the set bits form one run (an interval of atoms)."""
    if not mask:
        return True
    shifted = mask >> _lowest(mask)
    return (shifted & (shifted + 1)) == 0


def witness_of(columns: Sequence[ColumnSpace], box: Sequence[int]) -> dict[str, Value]:
    """One concrete input inside a box (one mask per column)."""
    return {column.domain.expression: column.sample(mask) for column, mask in zip(columns, box, strict=True)}


def describe_box(columns: Sequence[ColumnSpace], box: Sequence[int]) -> str:
    """A box as ``total_b12 > 50, active_b12 null``; columns that allow anything are left out."""
    parts = [
        f"{column.domain.expression} {column.describe(mask)}"
        for column, mask in zip(columns, box, strict=True)
        if mask != column.full
    ]
    return ", ".join(parts) if parts else "any input"


def describe_witness(columns: Sequence[ColumnSpace], witness: dict[str, Value]) -> str:
    return ", ".join(
        f"{column.domain.expression} = {column.show_value(witness[column.domain.expression])}" for column in columns
    )
