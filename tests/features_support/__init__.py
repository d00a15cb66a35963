"""The pytest-bdd side of b12spec's scenarios: it binds the one step registry of
``b12spec.scenarios`` to pytest-bdd and records every scenario's outcome for the reports."""

from .binding import FEATURES_DIR, PROJECT_ROOT, bind_steps, install_recorder

__all__ = ["FEATURES_DIR", "PROJECT_ROOT", "bind_steps", "install_recorder"]
