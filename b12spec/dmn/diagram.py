"""DMNDI: a decision requirements diagram a DMN modeler can draw, laid out from the graph alone.

Rows from the bottom up: the input data, then the decisions by depth (a decision sits one row
above the highest decision it needs), the knowledge sources on top; within a row, the spec's
order. Every information and authority requirement is an edge between the shapes' centres.
Pure arithmetic on the spec: the same spec always gives the same diagram.
"""

from __future__ import annotations

from lxml import etree

from b12spec.dmn.names import DC_NS, DI_NS, DMNDI_NS, element_id
from b12spec.model import Spec

Element = etree._Element

_MARGIN = 30
_WIDTH = 160
_HEIGHT = 60
_GAP_X = _MARGIN
_GAP_Y = 100


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def decision_depths(spec: Spec) -> dict[str, int]:
    """1 for a decision that needs only input data, else one more than the deepest it needs."""
    depths: dict[str, int] = {}
    for name in spec.order:  # upstream decisions come first
        required = spec.table(name).required_decisions
        depths[name] = 1 + max((depths[r] for r in required), default=0)
    return depths


def layout(spec: Spec) -> dict[str, tuple[int, int]]:
    """The top-left corner of every shape, by the id of the element it draws."""
    depths = decision_depths(spec)
    top = max(depths.values(), default=0) + 1  # the knowledge sources' row
    rows: dict[int, list[str]] = {0: [element_id("input_", f.name) for f in spec.dictionary.fields]}
    for table in sorted(spec.tables, key=lambda t: t.name):
        rows.setdefault(depths[table.name], []).append(element_id("decision_", table.name))
    rows[top] = [element_id("source_", s.id) for s in spec.sources]
    corners: dict[str, tuple[int, int]] = {}
    for row, ids in rows.items():
        y = _MARGIN + (top - row) * (_HEIGHT + _GAP_Y)
        for index, element in enumerate(ids):
            corners[element] = (_MARGIN + index * (_WIDTH + _GAP_X), y)
    return corners


def add_diagram(root: Element, spec: Spec) -> None:
    """Append the DMNDI section to an exported ``definitions`` element."""
    corners = layout(spec)
    dmndi = etree.SubElement(root, _tag(DMNDI_NS, "DMNDI"))
    diagram = etree.SubElement(dmndi, _tag(DMNDI_NS, "DMNDiagram"))
    diagram.set("id", "diagram")
    diagram.set("name", "Decision requirements")
    size = etree.SubElement(diagram, _tag(DMNDI_NS, "Size"))
    size.set("width", str(max(x for x, _ in corners.values()) + _WIDTH + _MARGIN))
    size.set("height", str(max(y for _, y in corners.values()) + _HEIGHT + _MARGIN))
    for element, (x, y) in corners.items():
        shape = etree.SubElement(diagram, _tag(DMNDI_NS, "DMNShape"))
        shape.set("id", f"shape_{element}")
        shape.set("dmnElementRef", element)
        bounds = etree.SubElement(shape, _tag(DC_NS, "Bounds"))
        for name, value in (("x", x), ("y", y), ("width", _WIDTH), ("height", _HEIGHT)):
            bounds.set(name, str(value))
    for requirement, source, target in _requirements(root):
        if source not in corners or target not in corners:
            continue
        edge = etree.SubElement(diagram, _tag(DMNDI_NS, "DMNEdge"))
        edge.set("id", f"edge_{requirement}")
        edge.set("dmnElementRef", requirement)
        for element in (source, target):
            x, y = corners[element]
            point = etree.SubElement(edge, _tag(DI_NS, "waypoint"))
            point.set("x", str(x + _WIDTH // 2))
            point.set("y", str(y + _HEIGHT // 2))


def _requirements(root: Element) -> list[tuple[str, str, str]]:
    """(requirement id, required element id, requiring decision id) in document order."""
    found = []
    for decision in root:
        if not isinstance(decision.tag, str) or etree.QName(decision).localname != "decision":
            continue
        for requirement in decision:
            if not isinstance(requirement.tag, str):
                continue
            if etree.QName(requirement).localname not in ("informationRequirement", "authorityRequirement"):
                continue
            reference = next(iter(requirement), None)
            if reference is not None:
                found.append((requirement.get("id", ""), reference.get("href", "#")[1:], decision.get("id", "")))
    return found
