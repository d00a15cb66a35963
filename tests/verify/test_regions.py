"""Atoms, entry masks, witnesses at open ends and the text of a region."""

from __future__ import annotations

from b12spec.model import DataField, FieldType
from b12spec.unary import parse_unary_tests
from b12spec.verify.regions import ColumnSpace, Domain, contiguous

B12 = DataField("total_b12", FieldType.NUMBER, "", required=False, unit="ng/L", minimum=0.0, maximum=20000.0,
                precision=0.1)
AGE = DataField("age_years", FieldType.NUMBER, "", required=True, unit="years", minimum=0.0, maximum=125.0,
                precision=1.0)


def column(field: DataField, *cells: str) -> ColumnSpace:
    return ColumnSpace(Domain.of_field(field), [parse_unary_tests(c) for c in cells])


def test_atoms_are_points_and_open_spans_between_thresholds_plus_null():
    space = column(B12, "< 180", "[180..350]", "> 350")
    kinds = [(a.kind, a.low, a.high) if a.kind == "open" else (a.kind, a.value) for a in space.atoms]
    assert kinds == [
        ("point", 0.0),
        ("open", 0.0, 180.0),
        ("point", 180.0),
        ("open", 180.0, 350.0),
        ("point", 350.0),
        ("open", 350.0, 20000.0),
        ("point", 20000.0),
        ("null", None),
    ]


def test_witness_one_precision_step_inside_an_open_end():
    space = column(B12, "> 350", "< 180")
    assert space.sample(space.mask(parse_unary_tests("> 350"))) == 350.1
    assert space.sample(space.mask(parse_unary_tests("< 180"))) == 179.9
    assert space.sample(space.mask(parse_unary_tests("< 180"))) != 0.0
    ages = column(AGE, ">= 65", "< 16")
    assert ages.sample(ages.mask(parse_unary_tests("< 16"))) == 15.0
    assert ages.sample(ages.mask(parse_unary_tests(">= 65"))) == 65.0


def test_witness_inside_a_span_narrower_than_the_precision():
    space = column(B12, "<= 180", ">= 180.05")
    gap = space.full & ~space.mask(parse_unary_tests("<= 180")) & ~space.mask(parse_unary_tests(">= 180.05"))
    gap &= ~space.mask(parse_unary_tests("null"))
    value = space.sample(gap)
    assert 180 < value < 180.05


def test_negated_comparison_does_not_match_null():
    """FEEL: not(< 25) of null is not(unknown), still unknown: no match."""
    space = column(B12, "not(< 25)")
    mask = space.mask(parse_unary_tests("not(< 25)"))
    null_atom = next(i for i, a in enumerate(space.atoms) if a.kind == "null")
    assert not mask >> null_atom & 1
    assert space.describe(mask) == ">= 25"


def test_describe_writes_regions_as_unary_tests():
    space = column(B12, "< 180", "[180..350]", "> 350")
    mask_of = lambda text: space.mask(parse_unary_tests(text))  # noqa: E731
    assert space.describe(mask_of("[180..350]")) == "[180..350]"
    assert space.describe(mask_of("> 350")) == "> 350"
    assert space.describe(mask_of("< 180, null")) == "< 180, null"
    assert space.describe(mask_of("-")) == "-"
    assert space.describe(mask_of("> 350") | mask_of("< 180")) == "< 180, > 350"
    assert space.describe(mask_of("180")) == "180"


def test_enum_and_boolean_domains():
    diet = ColumnSpace(
        Domain.of_field(DataField("diet", FieldType.ENUM, "", required=False, values=("omnivore", "vegan"))),
        [parse_unary_tests('not("vegan")')],
    )
    mask = diet.mask(parse_unary_tests('not("vegan")'))
    assert diet.describe(mask) == '"omnivore", null'
    flag = ColumnSpace(Domain.of_field(DataField("neuro", FieldType.BOOLEAN, "", required=True)), [])
    assert [a.value for a in flag.atoms] == [True, False]
    assert flag.mask(parse_unary_tests("not(true)")) == 0b10


def test_contiguous_runs():
    assert contiguous(0b0111000)
    assert not contiguous(0b0101)
    assert contiguous(0)


def test_any_set_of_atoms_is_described_as_a_test_that_matches_exactly_it_and_sampled_inside_it():
    """describe and sample take runs of atoms with bit arithmetic (per finding, on tables of
    thousands of atoms); every subset of a small column must still read back as itself."""
    space = column(B12, "< 180", "[180..350]", "> 350", "[500..700)", "1000")
    for mask in range(1, space.full + 1):
        if mask & ~space.full:
            continue
        text = space.describe(mask)
        assert space.mask(parse_unary_tests(text)) == mask, (bin(mask), text)
        assert parse_unary_tests(text).matches(space.sample(mask)), (bin(mask), text, space.sample(mask))
