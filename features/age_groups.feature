@age-groups
Feature: Children and adults
  The source does not say who counts as a child. b12spec follows the scope of NICE NG239
  (people over 16) and keeps the boundary as an open question for the board. The boundary
  only flags a child's report: the source's treatment protocol excludes no group.

  @AG-01 @AG-02
  Scenario Outline: Age <age> puts the patient among the <group word>
    Given a <age>-year-old <person>
    And she has no neurological involvement
    When the guideline is applied
    Then the age group is "<group>"
    And open question OQ-06 is named for the age group

    Examples:
      | age | person | group                      | group word |
      | 0   | girl   | Child (under 16 years, outside the scope of NICE NG239) | children   |
      | 15  | girl   | Child (under 16 years, outside the scope of NICE NG239) | children   |
      | 16  | girl   | Adult (16 years or older, the scope of NICE NG239)      | adults     |
      | 125 | woman  | Adult (16 years or older, the scope of NICE NG239)      | adults     |
