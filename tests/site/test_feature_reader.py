"""The small Gherkin reader behind the living-documentation page."""

from __future__ import annotations

from pathlib import Path

from b12spec.site.features import load_features, parse_feature

FEATURE = '''@treatment
Feature: Loading doses
  Reviewers read this as prose.

  Background:
    Given the guideline as encoded

  @TX-01 @slow
  Scenario: Neurological involvement
    Given a 60-year-old man
    And his total B12 is 120 ng/L
    When the guideline is applied
    Then the initial treatment is "alternate days"
      """
      a docstring line with Scenario: in it
      """

  Scenario Outline: Age <age> is an <group>
    Given a <age>-year-old
    Then the age group is <group>

    Examples:
      | age | group |
      | 15  | child |
      | 16  | adult |
'''


def test_parse_feature(tmp_path: Path) -> None:
    path = tmp_path / "loading.feature"
    path.write_text(FEATURE, encoding="utf-8")
    feature = parse_feature(path, "features/loading.feature")
    assert feature.name == "Loading doses" and feature.tags == ["@treatment"]
    assert feature.description == ["Reviewers read this as prose."]
    assert [s.text for s in feature.background] == ["the guideline as encoded"]
    first, outline = feature.scenarios
    assert first.name == "Neurological involvement" and first.tags == ["@TX-01", "@slow"]
    assert [s.keyword for s in first.steps] == ["Given", "And", "When", "Then"]
    assert first.steps[-1].text == 'the initial treatment is "alternate days"'
    assert outline.outline and outline.name == "Age <age> is an <group>"
    assert outline.examples == [["age", "group"], ["15", "child"], ["16", "adult"]]


def test_load_features_sorted_and_missing_dir(tmp_path: Path) -> None:
    assert load_features(tmp_path / "none", tmp_path) == []
    (tmp_path / "b.feature").write_text("Feature: B\n", encoding="utf-8")
    (tmp_path / "a.feature").write_text("Feature: A\n", encoding="utf-8")
    assert [f.file for f in load_features(tmp_path, tmp_path)] == ["a.feature", "b.feature"]
