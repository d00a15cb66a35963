"""What a change since approval does to patients: each region of inputs whose answer changed.

The cell diff says which cells moved; a reviewer also needs to know whom that affects. The
approved version of the table is rebuilt from its snapshot (through the same loader as the
present one, so both are read alike) and compared with the present version by the verifier's
exact equivalence sweep (``b12spec.verify.equivalence.differences``): every box of valid inputs
where the two give different answers, with one witness case inside it and both answers. The
comparison is over the present data dictionary's domains; a column that reads an upstream
decision's output ranges over what that decision can produce now, and its witness value is that
output. Each region also carries, where one is found (cases.py), a whole case for
``b12spec evaluate`` under which the table sees exactly the witness.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from b12spec.errors import SpecError
from b12spec.loader import build_spec
from b12spec.model import DecisionTable, Spec
from b12spec.signoff.cases import case_reaching
from b12spec.signoff.diff import approved_content
from b12spec.signoff.errors import SignoffError
from b12spec.unary import Value
from b12spec.verify.equivalence import differences
from b12spec.verify.regions import describe_box, describe_witness
from b12spec.workspace import read_spec_files


@dataclass(frozen=True)
class RegionChange:
    """Inputs in ``region`` got ``before`` from the approved table and get ``after`` now;
    ``witness`` is one such input."""

    region: str
    witness: dict[str, Value]
    witness_text: str
    before: str
    after: str
    before_value: Any
    after_value: Any
    case: dict[str, Any] | None = None  # a whole case for ``b12spec evaluate`` reaching the witness

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Behaviour:
    """The behavioural diff of one table since its approval."""

    table: str
    regions: tuple[RegionChange, ...]
    truncated: bool

    @property
    def equal(self) -> bool:
        return not self.regions

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "equal": self.equal,
            "truncated": self.truncated,
            "regions": [r.to_dict() for r in self.regions],
        }


def behaviour_since_approval(spec: Spec, table_name: str, limit: int = 60) -> Behaviour | None:
    """The input regions whose answer changed since ``table_name`` was approved; None when it was
    never approved or is unchanged."""
    content = approved_content(spec, table_name)
    if content is None:
        return None
    before = approved_table(spec, table_name, content)
    found = differences(spec, before, spec.table(table_name), limit=limit)
    regions = tuple(
        RegionChange(
            region=describe_box(found.columns, d.box),
            witness=dict(d.witness),
            witness_text=describe_witness(found.columns, dict(d.witness)),
            before=d.original,
            after=d.mutant,
            before_value=d.original_value,
            after_value=d.mutant_value,
            case=case_reaching(spec, spec.table(table_name), d.witness),
        )
        for d in found.regions
    )
    return Behaviour(table_name, regions, found.truncated)


def approved_table(spec: Spec, table_name: str, content: dict[str, Any]) -> DecisionTable:
    """The table as approved, built from its snapshot beside the present spec's other files.

    The loader is the one mechanism that turns files into a DecisionTable, so the approved version
    is built exactly as the present one is: the present files, with the snapshot's in their place.
    """
    table = spec.table(table_name)
    files = read_spec_files(spec.root)
    dictionary = dict(files.documents.get("dictionary.yaml") or {})
    dictionary["fields"] = {**(dictionary.get("fields") or {}), **(content.get("fields") or {})}
    documents = {
        **files.documents,
        table.file: [content.get("columns") or [], *(content.get("rows") or [])],
        table.meta_file: content.get("metadata"),
        "dictionary.yaml": dictionary,
    }
    try:
        return build_spec(replace(files, documents=documents)).table(table_name)
    except SpecError as error:
        raise SignoffError(
            f"the approved version of {table_name!r} does not load beside the present spec, so its behaviour "
            f"cannot be compared (the cell changes above still apply):\n{error}"
        ) from error
