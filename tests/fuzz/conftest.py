"""Settings shared by the fuzz suite: seeded (derandomized), no deadline, sized for CI's budget.

Every property here runs through the real entry point (``b12spec.cli.main`` via click's
CliRunner, which is what the console script calls) or the one parser every command uses. The
examples are derived from a fixed seed, so a failure reproduces on every machine.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import Result
from hypothesis import HealthCheck, settings

settings.register_profile(
    "b12spec-fuzz",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("b12spec-fuzz")


def fuzz(examples: int) -> settings:
    """The suite's settings with its own number of examples (sized so the suite stays within budget)."""
    return settings(FUZZ, max_examples=examples)


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def assert_clean_exit(result: Result) -> None:
    """Exit 0, 1 or 2, and never because of an exception b12spec did not raise on purpose."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
