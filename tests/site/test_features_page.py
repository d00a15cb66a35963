"""The Features page shows each scenario with its own tags (defect 1 of issue 9: the tags of a
Scenario Outline's Examples block used to appear on the scenario after the outline)."""

from __future__ import annotations

from pathlib import Path

from conftest import paths_in

from b12spec.site import render
from b12spec.site.signoff import signoff_view

FEATURE = """Feature: Tags in their place
  Scenario Outline: Age <age>
    Given a <age>-year-old
    Then the age group is child

    @TX-01
    Examples:
      | age |
      | 15  |

  Scenario: An adult
    Given a 40-year-old
    Then the age group is adult
"""


def test_examples_tags_stay_on_the_outline_rows_not_the_next_scenario(tmp_path: Path) -> None:
    features = tmp_path / "features"
    features.mkdir()
    (features / "tags.feature").write_text(FEATURE, encoding="utf-8")
    paths = paths_in(tmp_path, features_dir=features, reports_dir=tmp_path / "reports")
    render(paths, signoff_view)
    page = (paths.pages_dir / "features" / "tags.md").read_text(encoding="utf-8")
    adult = page.split("## An adult")[1]
    example = page.split("### Example 1: Age 15")[1].split("## An adult")[0]
    assert "TX-01" in example  # the Examples block's tag is shown on its own rows
    assert "TX-01" not in adult
