@special-groups
Feature: Special patient groups
  The source adds 1000 micrograms intramuscularly every month, indefinitely, after an ileal
  resection of more than 20 cm; 4 micrograms daily in pregnancy and breastfeeding; 0.5 to
  3 micrograms daily for children; and warns that up to half of people with malabsorption may
  need more frequent injections set by clinical response. The pregnancy, breastfeeding and
  children figures are intakes, not treatment doses: how to treat confirmed deficiency in these
  groups is left open (open questions OQ-06 and OQ-07).

  Background:
    Given a 34-year-old woman
    And she has no neurological involvement
    And she is not pregnant
    And she is not breastfeeding
    And she has had no ileal resection
    And she does not have Crohn's disease
    And she has no other malabsorption condition
    And her total B12 is 150 ng/L

  @SG-01 @SG-02 @SG-03 @SG-04 @SG-05 @SG-06 @SG-07 @SG-08
  Scenario: An adult in none of the special groups gets no special consideration
    When the guideline is applied
    Then no consideration is given

  @SG-01 @SG-06
  Scenario: After more than 20 cm of ileum is resected, monthly injections continue indefinitely
    Given she has had 20.1 cm of her ileum resected
    When the guideline is applied
    Then the considerations include "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"
    And the considerations include "Malabsorption - up to 50% may need an individualised injection schedule, more frequent (from daily or twice weekly to every 2 to 4 weeks), set by clinical response"
    And the considerations do not include "Ileal resection of 20 cm or less - not specified by the source"
    And exactly two considerations are given
    And open question OQ-10 is named for the considerations

  @SG-02 @not-specified
  Scenario Outline: A resection of 20 cm or less is not covered by the source (<length> cm)
    Given she has had <length> cm of her ileum resected
    When the guideline is applied
    Then the source does not specify the consideration, see open question OQ-10
    And the considerations do not include "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"
    And the considerations do not include "Malabsorption - up to 50% may need an individualised injection schedule, more frequent (from daily or twice weekly to every 2 to 4 weeks), set by clinical response"

    Examples:
      | length |
      | 0.1    |
      | 20     |

  @SG-03 @SG-04 @SG-05 @SG-07 @SG-08
  Scenario Outline: Each special group gets what the source says for it (<fact>)
    Given <fact>
    When the guideline is applied
    Then the consideration is "<consideration>"

    Examples:
      | fact                                    | consideration                                                                                                                                                |
      | she is pregnant                         | Pregnancy - 4 micrograms daily                                                                                                                               |
      | she is breastfeeding                    | Breastfeeding - 4 micrograms daily                                                                                                                           |
      | a 15-year-old girl                      | Children - 0.5 to 3 micrograms daily (Food and Nutrition Board figure)                                                                                      |
      | she has Crohn's disease                 | Malabsorption - up to 50% may need an individualised injection schedule, more frequent (from daily or twice weekly to every 2 to 4 weeks), set by clinical response |
      | she has another malabsorption condition | Malabsorption - up to 50% may need an individualised injection schedule, more frequent (from daily or twice weekly to every 2 to 4 weeks), set by clinical response |

  @SG-01 @SG-07 @SG-08
  Scenario Outline: Nothing is added when the fact is not recorded (<topic>)
    Given nothing is recorded about <topic>
    When the guideline is applied
    Then no consideration is given

    Examples:
      | topic               |
      | ileal resection     |
      | Crohn's disease     |
      | other malabsorption |

  @TX-03 @TX-04 @TX-05 @not-specified
  Scenario Outline: Treating confirmed deficiency in these groups is left open by the source (<fact>)
    Given <fact>
    When the guideline is applied
    Then vitamin B12 deficiency is confirmed
    And the source does not specify the initial treatment, see open question <question>
    And the source does not specify the maintenance treatment, see open question <question>

    Examples:
      | fact                 | question |
      | she is pregnant      | OQ-07    |
      | she is breastfeeding | OQ-07    |
      | a 15-year-old girl   | OQ-06    |
