@special-groups
Feature: Special patient groups
  The source adds 1000 micrograms intramuscularly every month, indefinitely, after an ileal
  resection of more than 20 cm; 4 micrograms daily in pregnancy and breastfeeding; and 0.5 to
  3 micrograms daily for children. The pregnancy, breastfeeding and children figures are
  recommended daily intakes, never doses for deficiency. The source's treatment protocol excludes
  no group, so with confirmed deficiency these patients get its regimen, flagged here with the
  advice to seek specialist input (beyond the source; open questions OQ-06 and OQ-07).

  Background:
    Given a 34-year-old woman
    And she has no neurological involvement
    And she is not pregnant
    And she is not breastfeeding
    And she has had no ileal resection
    And she does not have Crohn's disease
    And she has no other malabsorption condition
    And her total B12 is 150 ng/L

  @SG-01 @SG-02 @SG-03 @SG-04 @SG-05 @SG-09 @SG-10 @SG-11
  Scenario: An adult in none of the special groups gets no special consideration
    When the guideline is applied
    Then no consideration is given

  @SG-01
  Scenario: After more than 20 cm of ileum is resected, monthly injections continue indefinitely
    Given she has had 20.1 cm of her ileum resected
    When the guideline is applied
    Then the consideration is "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"
    And open question OQ-10 is named for the considerations

  @SG-01 @SG-02
  Scenario: The monthly supplementation after ileal resection is stated whatever the B12 result
    Given she has had 45 cm of her ileum resected
    And her total B12 is 400 ng/L
    When the guideline is applied
    Then the consideration is "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"

  @SG-02 @not-specified
  Scenario Outline: A resection of 20 cm or less is not covered by the source (<length> cm)
    Given she has had <length> cm of her ileum resected
    When the guideline is applied
    Then the source does not specify the consideration, see open question OQ-10
    And the considerations do not include "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"

    Examples:
      | length |
      | 0.1    |
      | 20     |

  @SG-03 @SG-04 @SG-05 @SG-09 @SG-10 @SG-11 @TX-02
  Scenario Outline: With confirmed deficiency a pregnant woman, a breastfeeding woman or a child gets the source's regimen, flagged (<fact>)
    Given <fact>
    When the guideline is applied
    Then vitamin B12 deficiency is confirmed
    And the initial treatment is "Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks"
    And the maintenance treatment is "Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life"
    And the considerations include "<intake>"
    And the considerations include "<flag>"
    And exactly two considerations are given
    And open question <question> is named for the considerations

    Examples:
      | fact                 | intake | flag | question |
      | she is pregnant      | Pregnancy - recommended daily intake of 4 micrograms (an intake figure, not a dose for treating deficiency) | Pregnancy with confirmed deficiency - the source's regimen is shown, as its protocol excludes no group, but it gives no pregnancy-specific treatment; seek specialist advice (beyond the source) | OQ-07 |
      | she is breastfeeding | Breastfeeding - recommended daily intake of 4 micrograms (an intake figure, not a dose for treating deficiency) | Breastfeeding with confirmed deficiency - the source's regimen is shown, as its protocol excludes no group, but it gives no breastfeeding-specific treatment; seek specialist advice (beyond the source) | OQ-07 |
      | a 15-year-old girl   | Children - recommended daily intake of 0.5 to 3 micrograms (Food and Nutrition Board; an intake figure, not a dose for treating deficiency) | Child with confirmed deficiency - the source's regimen is shown, as its protocol excludes no group, but it gives no treatment for children; seek paediatric specialist advice (beyond the source) | OQ-06 |

  @SG-03 @SG-04 @SG-05 @SG-09 @SG-10 @SG-11
  Scenario Outline: Without confirmed deficiency only the intake figure is shown, labelled as an intake (<fact>, total B12 <total>)
    Given <fact>
    And her total B12 is <total>
    When the guideline is applied
    Then the consideration is "<intake>"

    Examples:
      | fact                 | total        | intake |
      | she is pregnant      | 250 ng/L     | Pregnancy - recommended daily intake of 4 micrograms (an intake figure, not a dose for treating deficiency) |
      | she is breastfeeding | 400 ng/L     | Breastfeeding - recommended daily intake of 4 micrograms (an intake figure, not a dose for treating deficiency) |
      | a 15-year-old girl   | not measured | Children - recommended daily intake of 0.5 to 3 micrograms (Food and Nutrition Board; an intake figure, not a dose for treating deficiency) |

  @SG-01 @SG-02
  Scenario: Nothing is added when the resection is not recorded
    Given nothing is recorded about ileal resection
    When the guideline is applied
    Then no consideration is given
