"""The few z3 term constructors the prover's encoding calls per rule, made directly.

z3's Python operators (``a & b``, ``z3.And``, ``x >= 3``) check and coerce the sort of every
argument and wrap every intermediate term in a Python object; on a 2,000-rule table that
bookkeeping, not z3, was most of the time spent encoding. These helpers call the same C API
functions z3's Python layer ends up calling (``Z3_mk_and``, ``Z3_mk_ge``, ...), for arguments
the encoding already knows to be booleans and integer variables, so the terms are identical.
"""

from __future__ import annotations

from collections.abc import Sequence

import z3


def conj(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """All of the terms (true when there are none)."""
    if not terms:
        return z3.BoolVal(True)
    if len(terms) == 1:
        return terms[0]
    context = terms[0].ctx
    return z3.BoolRef(z3.Z3_mk_and(context.ref(), len(terms), _array(terms)), context)


def disj(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """Some of the terms (false when there are none)."""
    if not terms:
        return z3.BoolVal(False)
    if len(terms) == 1:
        return terms[0]
    context = terms[0].ctx
    return z3.BoolRef(z3.Z3_mk_or(context.ref(), len(terms), _array(terms)), context)


def neg(term: z3.BoolRef) -> z3.BoolRef:
    return z3.BoolRef(z3.Z3_mk_not(term.ctx.ref(), term.as_ast()), term.ctx)


def implies(premise: z3.BoolRef, conclusion: z3.BoolRef) -> z3.BoolRef:
    context = premise.ctx
    return z3.BoolRef(z3.Z3_mk_implies(context.ref(), premise.as_ast(), conclusion.as_ast()), context)


def same(left: z3.BoolRef, right: z3.BoolRef) -> z3.BoolRef:
    """Both terms have the same truth value."""
    context = left.ctx
    return z3.BoolRef(z3.Z3_mk_eq(context.ref(), left.as_ast(), right.as_ast()), context)


def equals(variable: z3.ArithRef, number: int) -> z3.BoolRef:
    """An integer variable has this value."""
    context = variable.ctx
    return z3.BoolRef(z3.Z3_mk_eq(context.ref(), variable.as_ast(), _int(variable, number)), context)


def within(variable: z3.ArithRef, low: int, high: int) -> z3.BoolRef:
    """``low <= variable < high`` for an integer variable."""
    context = variable.ctx
    at_least = z3.BoolRef(z3.Z3_mk_ge(context.ref(), variable.as_ast(), _int(variable, low)), context)
    below = z3.BoolRef(z3.Z3_mk_lt(context.ref(), variable.as_ast(), _int(variable, high)), context)
    return conj([at_least, below])


def _int(variable: z3.ArithRef, number: int) -> z3.Ast:
    return z3.Z3_mk_int(variable.ctx.ref(), number, variable.sort().ast)


def _array(terms: Sequence[z3.BoolRef]) -> z3.Ast:
    array = (z3.Ast * len(terms))()
    for i, term in enumerate(terms):
        array[i] = term.as_ast()
    return array
