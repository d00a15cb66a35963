"""Release versions are ordered as semver.org says (defect 6 of issue 9: 1.0.0-rc.10 sorted
before 1.0.0-rc.2, because pre-release identifiers were compared as one string)."""

from __future__ import annotations

import random

from b12spec.signoff.record import _semver_key

# semver.org, rule 11: the precedence example, lowest first.
ORDER = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
         "1.0.0-rc.1", "1.0.0-rc.2", "1.0.0-rc.10", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]


def test_versions_sort_as_semver_says() -> None:
    shuffled = random.Random(9).sample(ORDER, len(ORDER))
    assert sorted(shuffled, key=_semver_key) == ORDER


def test_rc_10_is_newer_than_rc_2() -> None:
    assert _semver_key("1.0.0-rc.10") > _semver_key("1.0.0-rc.2")
