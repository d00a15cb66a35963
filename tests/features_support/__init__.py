"""The pytest-bdd side of b12spec's scenarios: it binds the one step registry of
``b12spec.scenarios`` to pytest-bdd, and records every scenario's outcome when asked to."""

from .binding import FEATURES_DIR, PROJECT_ROOT, bind_steps
from .recorder import RECORDER_NAME, ScenarioRecorder

__all__ = ["FEATURES_DIR", "PROJECT_ROOT", "RECORDER_NAME", "ScenarioRecorder", "bind_steps"]
