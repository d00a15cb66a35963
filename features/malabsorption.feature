@malabsorption
Feature: Malabsorption governs the regimen
  After an ileal resection of more than 20 cm the source gives 1000 micrograms intramuscularly
  every month, indefinitely (reference 1); for malabsorption it warns that up to half of patients
  may need an individualised, more frequent injection schedule (reference 4). These statements
  are specific to malabsorption and govern the general ones: one maintenance regimen is shown,
  the route is injection, and no oral or sublingual alternative is offered (the source is silent
  on them in malabsorption: open question OQ-24).

  Background:
    Given a 58-year-old man
    And he is not pregnant
    And he is not breastfeeding
    And he has no neurological involvement
    And his total B12 is 140 ng/L

  @MA-01 @MA-02 @MA-03 @MA-04
  Scenario Outline: The most specific malabsorption statement is chosen (<resection>, <crohns>, <other>)
    Given <resection>
    And <crohns>
    And <other>
    When the guideline is applied
    Then the malabsorption is "<condition>"

    Examples:
      | resection                                | crohns                                  | other                                    | condition |
      | he has had 20.1 cm of his ileum resected | he does not have Crohn's disease        | he has no other malabsorption condition  | Ileal resection over 20 cm |
      | he has had 20.1 cm of his ileum resected | he has Crohn's disease                  | he has another malabsorption condition   | Ileal resection over 20 cm |
      | he has had 20 cm of his ileum resected   | he has Crohn's disease                  | he has no other malabsorption condition  | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | nothing is recorded about ileal resection | he has Crohn's disease                 | he has no other malabsorption condition  | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | he has had 20 cm of his ileum resected   | he does not have Crohn's disease        | he has another malabsorption condition   | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | he has had 20 cm of his ileum resected   | nothing is recorded about Crohn's disease | he has another malabsorption condition | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | nothing is recorded about ileal resection | he does not have Crohn's disease       | he has another malabsorption condition   | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | he has had 20 cm of his ileum resected   | he has Crohn's disease                  | he has another malabsorption condition   | Malabsorption other than ileal resection over 20 cm (Crohn's disease or another condition) |
      | he has had 20.1 cm of his ileum resected | he does not have Crohn's disease        | he has another malabsorption condition   | Ileal resection over 20 cm |
      | he has had 20 cm of his ileum resected   | he does not have Crohn's disease        | he has no other malabsorption condition  | No malabsorption condition named by the source is recorded |
      | he has had no ileal resection            | he does not have Crohn's disease        | nothing is recorded about other malabsorption | No malabsorption condition named by the source is recorded |
      | nothing is recorded about ileal resection | nothing is recorded about Crohn's disease | nothing is recorded about other malabsorption | No malabsorption condition named by the source is recorded |

  @TX-08 @TX-09 @RT-09 @AL-07 @SG-01
  Scenario Outline: After more than 20 cm of ileum is resected, the monthly injection is the one maintenance regimen (<involvement>, deficiency <severity>)
    Given he has had 45 cm of his ileum resected
    And he has Crohn's disease
    And he has <involvement>
    And his deficiency is <severity>
    And his neurological symptoms are judged not severe
    When the guideline is applied
    Then the initial treatment is "<initial>"
    And the maintenance treatment is "After ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely, in place of every 2 to 3 months (up to half of patients with malabsorption may need a more frequent, individualised schedule set by clinical response)"
    And the route is "Intramuscular injections - the source's regimens for malabsorption are injections (oral replacement in malabsorption is not specified by the source)"
    And the alternative is "Oral or sublingual B12 in malabsorption - not specified by the source, which gives injection regimens"
    And the considerations include "Ileal resection over 20 cm - B12 1000 micrograms intramuscularly every month, indefinitely"
    And open question OQ-24 is named for the alternatives

    Examples:
      | involvement                 | severity          | initial |
      | neurological involvement    | judged not severe | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement |
      | no neurological involvement | judged not severe | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks |
      | no neurological involvement | judged severe     | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks |

  @TX-10 @TX-11 @RT-09 @AL-07
  Scenario Outline: With another malabsorption condition the standard maintenance is qualified, and no oral or sublingual alternative is offered (<condition>, <involvement>)
    Given he has had no ileal resection
    And <condition>
    And he has <involvement>
    And his deficiency is judged not severe
    And his neurological symptoms are judged not severe
    When the guideline is applied
    Then the initial treatment is "<initial>"
    And the maintenance treatment is "Hydroxocobalamin 1 mg intramuscularly every 2 to 3 months, for life; with malabsorption up to half may need an individualised, more frequent schedule (from daily or twice weekly to every 2 to 4 weeks) set by clinical response, not by serum B12 or MMA alone"
    And the route is "Intramuscular injections - the source's regimens for malabsorption are injections (oral replacement in malabsorption is not specified by the source)"
    And the alternatives do not include "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And the alternatives do not include "Sublingual B12 (efficacy comparable to intramuscular, with better adherence and lower cost)"
    And the alternatives do not include "Maintenance alternative - 1000 micrograms intramuscularly every month, indefinitely"
    And exactly one alternative is given
    And open question OQ-11 is named for the maintenance treatment

    Examples:
      | condition                              | involvement                 | initial |
      | he has Crohn's disease                 | neurological involvement    | Hydroxocobalamin 1 mg intramuscularly on alternate days, continued until there is no further improvement |
      | he has Crohn's disease                 | no neurological involvement | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks |
      | he has another malabsorption condition | no neurological involvement | Hydroxocobalamin 1 mg intramuscularly three times a week for 2 weeks |

  @RT-02 @RT-04 @RT-05 @RT-06 @RT-09
  Scenario Outline: In malabsorption the route is injection whatever the severity (deficiency <deficiency>, symptoms <symptoms>, <involvement>)
    Given he has had 45 cm of his ileum resected
    And he has <involvement>
    And his deficiency is <deficiency>
    And his neurological symptoms are <symptoms>
    When the guideline is applied
    Then the route is "Intramuscular injections - the source's regimens for malabsorption are injections (oral replacement in malabsorption is not specified by the source)"

    Examples:
      | deficiency                | symptoms                  | involvement                 |
      | judged severe             | judged severe             | neurological involvement    |
      | judged not severe         | judged severe             | neurological involvement    |
      | judged not severe         | not assessed for severity | no neurological involvement |
      | judged not severe         | not assessed for severity | neurological involvement    |
      | not assessed for severity | judged not severe         | neurological involvement    |

  @RT-09 @RT-08 @TX-06 @TX-08 @TX-09 @TX-10 @TX-11
  Scenario Outline: Without confirmed deficiency malabsorption decides no regimen and no route (<condition>, <involvement>)
    Given his total B12 is 250 ng/L
    And <condition>
    And he has <involvement>
    And his deficiency is judged severe
    And his neurological symptoms are <symptoms>
    When the guideline is applied
    Then the route is "No route decision (deficiency not confirmed)"
    And the alternative is "No alternative (deficiency not confirmed)"
    And the initial treatment is "Not specified by the source"
    And the maintenance treatment is "Not specified by the source"

    Examples:
      | condition                                | involvement                 | symptoms                  |
      | he has had 45 cm of his ileum resected   | neurological involvement    | judged severe             |
      | he has had 45 cm of his ileum resected   | no neurological involvement | not assessed for severity |
      | he has Crohn's disease                   | neurological involvement    | judged severe             |
      | he has Crohn's disease                   | no neurological involvement | not assessed for severity |
