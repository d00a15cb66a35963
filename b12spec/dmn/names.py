"""The vocabulary shared by export and import: namespaces, hit policies, types, element ids.

One table per mapping, read in both directions, so export and import cannot drift apart.
"""

from __future__ import annotations

import re

from b12spec.model import FieldType, HitPolicy

DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMNDI_NS = "https://www.omg.org/spec/DMN/20191111/DMNDI/"
DC_NS = "http://www.omg.org/spec/DMN/20180521/DC/"
DI_NS = "http://www.omg.org/spec/DMN/20180521/DI/"
TCK_NS = "http://www.omg.org/spec/DMN/20160719/testcase"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
FEEL_NS = "https://www.omg.org/spec/DMN/20191111/FEEL/"
# b12spec's own extension elements (sources' notes, units, labels ...): DMN allows any element of
# another namespace inside extensionElements, and a tool that does not know it ignores it.
B12_NS = "urn:b12spec:dmn-extension:1"
MODEL_NAMESPACE = "urn:b12spec:guideline"

# hit policy -> (DMN hitPolicy, DMN aggregation or None)
HIT_POLICIES: dict[HitPolicy, tuple[str, str | None]] = {
    HitPolicy.UNIQUE: ("UNIQUE", None),
    HitPolicy.ANY: ("ANY", None),
    HitPolicy.PRIORITY: ("PRIORITY", None),
    HitPolicy.FIRST: ("FIRST", None),
    HitPolicy.COLLECT: ("COLLECT", None),
    HitPolicy.COLLECT_SUM: ("COLLECT", "SUM"),
    HitPolicy.COLLECT_MIN: ("COLLECT", "MIN"),
    HitPolicy.COLLECT_MAX: ("COLLECT", "MAX"),
    HitPolicy.COLLECT_COUNT: ("COLLECT", "COUNT"),
    HitPolicy.RULE_ORDER: ("RULE ORDER", None),
    HitPolicy.OUTPUT_ORDER: ("OUTPUT ORDER", None),
}
HIT_POLICY_OF = {dmn: policy for policy, dmn in HIT_POLICIES.items()}

# b12spec type -> FEEL base type
FEEL_TYPES = {FieldType.NUMBER: "number", FieldType.BOOLEAN: "boolean", FieldType.ENUM: "string"}
FIELD_TYPE_OF = {feel: kind for kind, feel in FEEL_TYPES.items()}

# The rule annotation columns, in the order of the CSV's meta columns.
ANNOTATIONS = ("citations", "open_questions", "annotation")

_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_.-]")


def element_id(prefix: str, name: str) -> str:
    """An xsd:ID for a named element: the prefix keeps kinds apart, odd characters become _."""
    return prefix + _NOT_IN_ID.sub("_", name)


def is_ncname(text: str) -> bool:
    """Whether ``text`` may stand as an xsd:ID (rule ids are kept as they are, so they must)."""
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", text))


def dmn(tag: str) -> str:
    return f"{{{DMN_NS}}}{tag}"


def b12(tag: str) -> str:
    return f"{{{B12_NS}}}{tag}"
