"""Registers each (pattern, function) of ``b12spec.scenarios.STEPS`` with pytest-bdd.

pytest-bdd passes the pattern's named groups as keyword arguments and the scenario context as
the ``b12_scenario`` fixture; the wrapper only forwards them, so the step logic exists once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, then, when

from b12spec.scenarios import STEPS, ScenarioContext, StepDefinition

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FEATURES_DIR = PROJECT_ROOT / "features"
CONTEXT_FIXTURE = "b12_scenario"
_DECORATORS = {"given": given, "when": when, "then": then}


def _forwarder(definition: StepDefinition) -> Callable[..., None]:
    """A function whose signature pytest-bdd can read: the context fixture, then the groups."""

    def forward(**arguments: Any) -> None:
        context: ScenarioContext = arguments.pop(CONTEXT_FIXTURE)
        definition.function(context, **arguments)

    names = (CONTEXT_FIXTURE, *definition.parameters)
    forward.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names]
    )
    forward.__name__ = definition.function.__name__
    forward.__doc__ = definition.function.__doc__
    return forward


def bind_steps() -> None:
    """Inject one pytest-bdd step fixture per registered step into the calling test module."""
    for definition in STEPS:
        decorator = _DECORATORS[definition.type](parsers.re(definition.pattern.pattern), stacklevel=2)
        decorator(_forwarder(definition))
