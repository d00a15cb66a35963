"""Decision requirements: which decision needs which, and the order to evaluate them in."""

from __future__ import annotations

from b12spec.errors import WIRING, Problem, SpecError
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
            message = "decisions depend on each other in a cycle: " + " -> ".join(cycle)
            raise SpecError([Problem(table.meta_file, message, column="inputs", kind=WIRING)])
        state[name] = "visiting"
        for upstream in graph[name]:
            if upstream not in graph:
                table = spec.table(name)
                message = f"decision {name!r} needs decision {upstream!r}, which no table defines"
                raise SpecError([Problem(table.meta_file, message, column="inputs", kind=WIRING)])
            visit(upstream, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in graph:
        visit(name, [])
    return tuple(order)
