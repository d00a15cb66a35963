"""Decision requirements: which decision needs which, and the order to evaluate them in."""

from __future__ import annotations

from b12spec.errors import CellLocation, SpecError
from b12spec.model import Spec


def requirement_graph(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Each decision mapped to the decisions whose outputs it tests."""
    return {table.name: table.required_decisions for table in spec.tables}


def evaluation_order(spec: Spec) -> tuple[str, ...]:
    """A topological order (stable: ties keep file order); a cycle is a spec error naming it."""
    graph = requirement_graph(spec)
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = [*path[path.index(name):], name]
            table = spec.table(name)
            raise SpecError(
                CellLocation(table.meta_file, column="inputs"),
                "decisions depend on each other in a cycle: " + " -> ".join(cycle),
            )
        state[name] = "visiting"
        for upstream in graph[name]:
            if upstream not in graph:
                table = spec.table(name)
                raise SpecError(
                    CellLocation(table.meta_file, column="inputs"),
                    f"decision {name!r} needs decision {upstream!r}, which no table defines",
                )
            visit(upstream, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in graph:
        visit(name, [])
    return tuple(order)
