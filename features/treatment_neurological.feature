@treatment @neurological
Feature: Treatment when the deficiency involves the nervous system
  With neurological involvement the source loads with hydroxocobalamin 1 mg intramuscularly on
  alternate days for as long as the patient keeps improving, then maintains with 1 mg every 2 to
  3 months for life. Its treatment protocol excludes no group: pregnancy, breastfeeding and
  children get the same regimen, flagged among the special groups.

  @TX-01
  Scenario: An adult with confirmed deficiency and neurological signs is loaded on alternate days
    Given a 67-year-old woman
    And she has neurological involvement
    And her total B12 is 150 ng/L
    When the guideline is applied
    Then vitamin B12 deficiency is confirmed
    And the initial treatment is "Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement"
    And the maintenance treatment is "Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life"
    And open question OQ-09 is named for the maintenance treatment
    And open question OQ-22 is named for the maintenance treatment
    And open question OQ-23 is named for the initial treatment

  @TX-01 @TX-06 @TX-07 @TX-12
  Scenario Outline: The regimen applies to every confirmed deficiency, whatever the age or pregnancy (<case>)
    Given a <age>-year-old <person>
    And she has neurological involvement
    And she is <pregnancy>
    And she is <breastfeeding>
    And her total B12 is <total>
    When the guideline is applied
    Then the initial treatment is "<initial>"
    And the maintenance treatment is "<maintenance>"

    Examples:
      | case | age | person | pregnancy | breastfeeding | total | initial | maintenance |
      | confirmed, adult | 67 | woman | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, adult aged 16 | 16 | woman | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, child | 15 | girl | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, pregnant | 30 | woman | pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, breastfeeding | 30 | woman | not pregnant | breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, pregnant and breastfeeding | 30 | woman | pregnant | breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | indeterminate, adult | 67 | woman | not pregnant | not breastfeeding | 250 ng/L | Not specified by the source | Not specified by the source |
      | indeterminate, pregnant | 30 | woman | pregnant | not breastfeeding | 250 ng/L | Not specified by the source | Not specified by the source |
      | not confirmed, adult | 67 | woman | not pregnant | not breastfeeding | 400 ng/L | No treatment protocol applies - deficiency is not confirmed by the source's criteria | No treatment protocol applies - deficiency is not confirmed by the source's criteria |
      | no result, adult | 67 | woman | not pregnant | not breastfeeding | not measured | No treatment decision until the B12 status is known | No treatment decision until the B12 status is known |
      | no result, child | 15 | girl | not pregnant | not breastfeeding | not measured | No treatment decision until the B12 status is known | No treatment decision until the B12 status is known |
