"""No guideline figure is written as a number in the engine's Python (issue 2, acceptance).

Thresholds, doses, intervals and the pmol/L factor live in spec/ only, so that a clinician edits a
table, never the code. This test parses every ``b12spec/**/*.py`` with ``ast`` and looks at every
numeric literal (docstrings and comments are text, not literals, so prose may quote figures).

What counts as a guideline figure is collected from where the figures really are, not listed by
hand: every number written in the source text, and every number in spec/ (unary-test thresholds
and interval ends, numeric outputs, dictionary ranges, unit factors and precisions). 0, 1 and 2
are excluded: they are the ordinary numbers of code (indices, counts, first and second).

A literal equal to a figure fails, unless it stands where ordinary code puts small numbers and a
clinical threshold cannot sit: an index or slice (``names[:3]``), an ordinary keyword argument
(``timeout=20``, ``chunksize=4``; not ``hours=48``: see ORDINARY_KEYWORDS), a count or
precision given to ``range``/``round`` (``round(x, 6)``), the repeat count of a text
(``"`" * 3``), or a comparison or sum with ``len(...)`` (``len(names) > 3``).
Small whole figures (3 months, 4 references, 5...) are also the everyday numbers of code, as in
``score = straddling * 4``; below SMALL they fail only where a threshold or a setting sits: in a
comparison (``months >= 3``), as the value of an assignment (``LOADING_DAYS = 3``), as a parameter
default, or as a keyword argument other than the ordinary ones. Larger or fractional figures
(``if b12 < 180``, ``DOSE = 1000``, ``x / 0.738``) fail anywhere outside the ordinary positions,
naming file, line and figure. A number that coincides with a figure but is not clinical, in a
position the rules above do not cover, goes in COINCIDENCES with its reason, where a reviewer
sees it.

``test_the_scanner_catches_clinical_numbers`` proves the scan can fail; without it, a scanner that
found nothing would pass unnoticed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from b12spec.model import FieldType, Spec

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "b12spec"
SOURCE_TEXT = REPO.parent / "shared" / "source" / "b12-treatment-summary.txt"
TRIVIAL = {0.0, 1.0, 2.0}
SMALL = 10  # whole figures below this are judged by position (see the module docstring)
# Keyword arguments that tune the machinery (waiting, batching, layout), never the patient's care.
ORDINARY_KEYWORDS = frozenset(
    {"timeout", "chunksize", "indent", "width", "n", "maxsplit", "ndigits", "max_workers", "processes", "port"}
)

# (path relative to the repository, value) -> why this literal is not a clinical figure.
COINCIDENCES: dict[tuple[str, float], str] = {
    ("b12spec/verify/analysis.py", 40.0): "_MAX_TRIM: how many rules a masking report trims, not a prevalence",
    ("b12spec/sourcetext.py", 16.0): "DIGEST_LENGTH: how many hex digits of a SHA-256 a locator keeps, not an age",
    ("b12spec/unary.py", 16.0): "the base of a FEEL \\uXXXX escape's hexadecimal digits, not an age",
}


def guideline_figures(spec: Spec) -> set[float]:
    """Every number the guideline and the spec state, as floats."""
    figures: set[float] = set()
    if SOURCE_TEXT.exists():
        figures |= {float(n) for n in re.findall(r"\d+(?:\.\d+)?", SOURCE_TEXT.read_text(encoding="utf-8"))}
    for table in spec.tables:
        for rule in table.rules:
            for test in rule.inputs:
                figures |= {abs(n) for n in test.numbers}
            for column, value in zip(table.outputs, rule.outputs, strict=True):
                if column.type is FieldType.NUMBER and isinstance(value, (int, float)):
                    figures.add(abs(float(value)))
    for field in spec.dictionary.fields:
        figures |= {abs(float(v)) for v in (field.minimum, field.maximum, field.precision) if v is not None}
        figures |= {u.per_canonical for u in field.units}
        for _, test in ((f, t) for c in spec.dictionary.contradictions for f, t in c.when):
            figures |= {abs(n) for n in test.numbers}
    return figures - TRIVIAL


def _is_len_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def _ordinary(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a literal stands where code puts small numbers and no threshold can sit."""
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, (ast.Slice, ast.Subscript)) and (
        isinstance(parent, ast.Slice) or parent.slice is node
    ):
        return True
    if isinstance(parent, ast.keyword):
        return parent.arg in ORDINARY_KEYWORDS
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("range", "round"):
        return node in parent.args and (parent.func.id == "range" or parent.args.index(node) == 1)
    if isinstance(parent, ast.BinOp):
        other = parent.right if parent.left is node else parent.left
        return (isinstance(parent.op, ast.Mult) and _is_text(other)) or _is_len_call(other)
    if isinstance(parent, ast.Compare):
        return any(_is_len_call(n) for n in (parent.left, *parent.comparators))
    return False


def _threshold_position(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Where a small number acts as a threshold or a setting rather than as arithmetic."""
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Compare):
        return True
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and parent.value is node:
        return True
    if isinstance(parent, ast.arguments):
        return node in parent.defaults or node in parent.kw_defaults
    return isinstance(parent, ast.keyword) and parent.arg not in ORDINARY_KEYWORDS


def scan(code: str, figures: set[float]) -> list[tuple[int, float]]:
    """(line, value) of every figure-valued literal outside an ordinary position."""
    tree = ast.parse(code)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
            continue
        if not isinstance(node.value, (int, float)):
            continue
        value = abs(float(node.value))
        if value not in figures or _ordinary(node, parents):
            continue
        if value < SMALL and value.is_integer() and not _threshold_position(node, parents):
            continue
        found.append((node.lineno, value))
    return found


def test_no_guideline_figure_in_the_package(spec: Spec) -> None:
    figures = guideline_figures(spec)
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        shown = path.relative_to(REPO).as_posix()
        for line, value in scan(path.read_text(encoding="utf-8"), figures):
            if (shown, value) not in COINCIDENCES:
                offences.append(f"{shown}:{line}: {value:g} is a guideline figure; put it in spec/")
    assert not offences, "\n".join(offences)


def test_the_figures_come_from_the_source_and_the_spec(spec: Spec) -> None:
    figures = guideline_figures(spec)
    for unit in (u for f in spec.dictionary.fields for u in f.units if u.per_canonical != 1):
        assert unit.per_canonical in figures
    dx_numbers = {n for r in spec.table("b12_status").rules for t in r.inputs for n in t.numbers}
    assert dx_numbers and dx_numbers <= figures


def test_coincidences_are_still_needed(spec: Spec) -> None:
    """An allowance whose literal is gone must be removed, so the list never hides a new figure."""
    figures = guideline_figures(spec)
    for (shown, value), reason in COINCIDENCES.items():
        assert reason
        path = REPO / shown
        assert path.exists(), shown
        # Scanned with the value counted as a figure: without ../shared (a bare clone) the source
        # text's figures are absent, but the allowance must still name a literal that exists.
        assert value in {v for _, v in scan(path.read_text(encoding="utf-8"), figures | {value})}, (shown, value)


def test_the_scanner_catches_clinical_numbers() -> None:
    figures = {180.0, 350.0, 25.0, 0.738, 20.0, 3.0, 1000.0, 48.0}
    clinical = """
if total_b12 < 180:
    status = "deficient"
elif 180 <= total_b12 <= 350:
    status = "indeterminate"
DOSE_MICROGRAMS = 1000
ng_per_l = pmol_per_l / 0.738
if ileal_resection_cm > 20 or months >= 3:
    warn()
check_potassium(hours=48) if active < 25 else None
def loading(b12, threshold=180, months=3): ...
offset = -25
LOADING_DAYS = 3
plan(interval_months=3)
"""
    assert sorted(v for _, v in scan(clinical, figures)) == sorted(
        [180.0, 180.0, 350.0, 1000.0, 0.738, 20.0, 3.0, 48.0, 25.0, 180.0, 3.0, 25.0, 3.0, 3.0]
    )
    ordinary = """
shown = "; ".join(names[:3]) + (f"; and {len(names) - 3} more" if len(names) > 3 else "")
fence = "`" * 3
run(cmd, timeout=20)
value = round(x, 3)
for extra in range(1, 20): ...
first = items[3]
count = 0; index = 1; pair = 2
score = straddling * 4 * (len(alive) + 1) - min(left, right)
"""
    assert scan(ordinary, figures) == []
