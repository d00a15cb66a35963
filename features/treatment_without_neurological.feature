@treatment @no-neurological
Feature: Treatment when there is no neurological involvement
  Without neurological involvement the source loads with hydroxocobalamin 1 mg intramuscularly
  three times a week for 2 weeks, then maintains with 1 mg every 2 to 3 months for life, for
  every patient with confirmed deficiency.

  @TX-02
  Scenario Outline: An adult with confirmed deficiency and no neurological signs gets the two-week loading course (<total>)
    Given a 45-year-old man
    And he has no neurological involvement
    And his total B12 is <total>
    When the guideline is applied
    Then vitamin B12 deficiency is confirmed
    And the initial treatment is "Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks"
    And the maintenance treatment is "Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life"

    Examples:
      | total      |
      | 120 ng/L   |
      | 179.9 ng/L |

  @TX-02
  Scenario: Deficiency confirmed by active B12 alone is treated the same way
    Given a 45-year-old man
    And he has no neurological involvement
    And his active B12 is 20 pmol/L
    When the guideline is applied
    Then vitamin B12 deficiency is confirmed
    And the initial treatment is "Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks"

  @TX-02 @TX-06 @TX-07 @TX-12
  Scenario Outline: The regimen applies to every confirmed deficiency, whatever the age or pregnancy (<case>)
    Given a <age>-year-old <person>
    And she has no neurological involvement
    And she is <pregnancy>
    And she is <breastfeeding>
    And her total B12 is <total>
    When the guideline is applied
    Then the initial treatment is "<initial>"
    And the maintenance treatment is "<maintenance>"

    Examples:
      | case | age | person | pregnancy | breastfeeding | total | initial | maintenance |
      | confirmed, adult | 67 | woman | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, adult aged 16 | 16 | woman | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, child | 15 | girl | not pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, pregnant | 30 | woman | pregnant | not breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, breastfeeding | 30 | woman | not pregnant | breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | confirmed, pregnant and breastfeeding | 30 | woman | pregnant | breastfeeding | 150 ng/L | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks | Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life |
      | indeterminate, adult | 67 | woman | not pregnant | not breastfeeding | 250 ng/L | Not specified by the source | Not specified by the source |
      | indeterminate, pregnant | 30 | woman | pregnant | not breastfeeding | 250 ng/L | Not specified by the source | Not specified by the source |
      | not confirmed, adult | 67 | woman | not pregnant | not breastfeeding | 400 ng/L | No treatment protocol applies - deficiency is not confirmed by the source's criteria | No treatment protocol applies - deficiency is not confirmed by the source's criteria |
      | no result, adult | 67 | woman | not pregnant | not breastfeeding | not measured | No treatment decision until the B12 status is known | No treatment decision until the B12 status is known |
      | no result, child | 15 | girl | not pregnant | not breastfeeding | not measured | No treatment decision until the B12 status is known | No treatment decision until the B12 status is known |
