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
from pytest_bdd.utils import CONFIG_STACK

from b12spec.scenarios import STEPS, ScenarioContext, StepDefinition
from b12spec.workspace import load_scenarios

from .recorder import RECORDER_NAME, ScenarioRecorder

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


def install_recorder() -> ScenarioRecorder:
    """Declare every feature tag as a marker (the suite runs with --strict-markers) and register
    the plugin that writes reports/scenario-results.json. Must run before ``scenarios()``."""
    config = CONFIG_STACK[-1]
    known = config.pluginmanager.get_plugin(RECORDER_NAME)
    if known is not None:
        return known
    loaded = load_scenarios(FEATURES_DIR)
    for tag in sorted({tag for scenario in loaded for tag in scenario.tags}):
        config.addinivalue_line("markers", f"{tag}: scenarios tagged @{tag} in features/")
    recorder = ScenarioRecorder(FEATURES_DIR, loaded, config.rootpath / "reports" / "scenario-results.json")
    config.pluginmanager.register(recorder, RECORDER_NAME)
    return recorder
