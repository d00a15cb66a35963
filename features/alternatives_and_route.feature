@alternatives @route
Feature: Alternative regimens and the route of administration
  Besides the hydroxocobalamin schedule the source names a monthly 1000 microgram injection,
  oral high-dose B12 (for most patients without severe neurological involvement) and sublingual
  B12, for adults with confirmed deficiency. It prefers intramuscular treatment in severe
  deficiency or severe neurological symptoms and calls oral 1 to 2 mg daily an option otherwise.
  The source does not define "severe" (open question OQ-05): it is the clinician's judgement.

  @AL-01 @AL-02 @AL-03 @AL-05
  Scenario Outline: Oral high dose is among the alternatives unless the neurological involvement is severe (<involvement>, <symptoms>)
    Given a 58-year-old woman
    And she has <involvement>
    And her neurological symptoms are <symptoms>
    And her total B12 is 140 ng/L
    When the guideline is applied
    Then the alternatives include "Maintenance alternative - 1000 micrograms intramuscularly every month, indefinitely"
    And the alternatives include "Sublingual B12 (efficacy comparable to intramuscular, with better adherence and lower cost)"
    And the alternatives <oral> "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And the alternatives do not include "Oral high-dose B12 depends on whether the neurological involvement is severe, which is not recorded"
    And exactly <count> alternatives are given

    Examples:
      | involvement                 | symptoms                  | oral             | count |
      | no neurological involvement | not assessed for severity | include          | three |
      | no neurological involvement | judged not severe         | include          | three |
      | neurological involvement    | judged not severe         | include          | three |
      | neurological involvement    | judged severe             | do not include   | two   |

  @AL-04
  Scenario: With neurological involvement of unrecorded severity, oral high dose waits for that judgement
    Given a 58-year-old woman
    And she has neurological involvement
    And her neurological symptoms are not assessed for severity
    And her total B12 is 140 ng/L
    When the guideline is applied
    Then the alternatives include "Oral high-dose B12 depends on whether the neurological involvement is severe, which is not recorded"
    And the alternatives include "Maintenance alternative - 1000 micrograms intramuscularly every month, indefinitely"
    And the alternatives include "Sublingual B12 (efficacy comparable to intramuscular, with better adherence and lower cost)"
    And the alternatives do not include "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And exactly three alternatives are given
    And open question OQ-05 is named for the alternatives

  @AL-01 @AL-02 @AL-03 @AL-04 @AL-05
  Scenario Outline: No alternative is offered outside confirmed deficiency in a non-pregnant, non-breastfeeding adult (<case>)
    Given a <age>-year-old <person>
    And she has <involvement>
    And her neurological symptoms are <symptoms>
    And she is <pregnancy>
    And she is <breastfeeding>
    And her total B12 is <total>
    When the guideline is applied
    Then no alternative is given

    Examples:
      | case                       | age | person | involvement                 | symptoms                  | pregnancy    | breastfeeding     | total        |
      | indeterminate              | 58  | woman  | no neurological involvement | not assessed for severity | not pregnant | not breastfeeding | 250 ng/L     |
      | child                      | 15  | girl   | no neurological involvement | not assessed for severity | not pregnant | not breastfeeding | 140 ng/L     |
      | pregnant                   | 30  | woman  | no neurological involvement | not assessed for severity | pregnant     | not breastfeeding | 140 ng/L     |
      | breastfeeding              | 30  | woman  | no neurological involvement | not assessed for severity | not pregnant | breastfeeding     | 140 ng/L     |
      | indeterminate, neuro       | 58  | woman  | neurological involvement    | judged not severe         | not pregnant | not breastfeeding | 250 ng/L     |
      | child, neuro               | 15  | girl   | neurological involvement    | judged not severe         | not pregnant | not breastfeeding | 140 ng/L     |
      | pregnant, neuro            | 30  | woman  | neurological involvement    | judged not severe         | pregnant     | not breastfeeding | 140 ng/L     |
      | breastfeeding, neuro       | 30  | woman  | neurological involvement    | judged not severe         | not pregnant | breastfeeding     | 140 ng/L     |
      | indeterminate, unassessed  | 58  | woman  | neurological involvement    | not assessed for severity | not pregnant | not breastfeeding | 250 ng/L     |
      | child, unassessed          | 15  | girl   | neurological involvement    | not assessed for severity | not pregnant | not breastfeeding | 140 ng/L     |
      | pregnant, unassessed       | 30  | woman  | neurological involvement    | not assessed for severity | pregnant     | not breastfeeding | 140 ng/L     |
      | breastfeeding, unassessed  | 30  | woman  | neurological involvement    | not assessed for severity | not pregnant | breastfeeding     | 140 ng/L     |
      | result not specified       | 58  | woman  | no neurological involvement | not assessed for severity | not pregnant | not breastfeeding | 400 ng/L     |
      | no result                  | 58  | woman  | no neurological involvement | not assessed for severity | not pregnant | not breastfeeding | not measured |

  @RT-01 @RT-02 @RT-03 @RT-04 @RT-05 @RT-06
  Scenario Outline: The route follows the clinician's judgement of severity (deficiency <deficiency>, symptoms <symptoms>, <involvement>)
    Given a 63-year-old man
    And he has <involvement>
    And his deficiency is <deficiency>
    And his neurological symptoms are <symptoms>
    And his total B12 is 130 ng/L
    When the guideline is applied
    Then the route is "<route>"
    And open question OQ-05 is named for the route

    Examples: Severe deficiency
      | deficiency    | symptoms                  | involvement                 | route                                                  |
      | judged severe | judged severe             | neurological involvement    | Consider intramuscular treatment (faster improvement) |
      | judged severe | judged not severe         | neurological involvement    | Consider intramuscular treatment (faster improvement) |
      | judged severe | not assessed for severity | neurological involvement    | Consider intramuscular treatment (faster improvement) |
      | judged severe | judged not severe         | no neurological involvement | Consider intramuscular treatment (faster improvement) |
      | judged severe | not assessed for severity | no neurological involvement | Consider intramuscular treatment (faster improvement) |

    Examples: Deficiency judged not severe
      | deficiency        | symptoms                  | involvement                 | route                                                                                                   |
      | judged not severe | judged severe             | neurological involvement    | Consider intramuscular treatment (faster improvement)                                                  |
      | judged not severe | judged not severe         | neurological involvement    | Oral replacement of 1 to 2 mg daily can work in many cases; intramuscular is the traditional route      |
      | judged not severe | not assessed for severity | neurological involvement    | Cannot advise on route until the clinician judges how severe the deficiency and neurological symptoms are |
      | judged not severe | judged not severe         | no neurological involvement | Oral replacement of 1 to 2 mg daily can work in many cases; intramuscular is the traditional route      |
      | judged not severe | not assessed for severity | no neurological involvement | Oral replacement of 1 to 2 mg daily can work in many cases; intramuscular is the traditional route      |

    Examples: Severity of the deficiency not assessed
      | deficiency                | symptoms                  | involvement                 | route                                                                                                   |
      | not assessed for severity | judged severe             | neurological involvement    | Consider intramuscular treatment (faster improvement)                                                  |
      | not assessed for severity | judged not severe         | neurological involvement    | Cannot advise on route until the clinician judges how severe the deficiency and neurological symptoms are |
      | not assessed for severity | not assessed for severity | neurological involvement    | Cannot advise on route until the clinician judges how severe the deficiency and neurological symptoms are |
      | not assessed for severity | judged not severe         | no neurological involvement | Cannot advise on route until the clinician judges how severe the deficiency and neurological symptoms are |
      | not assessed for severity | not assessed for severity | no neurological involvement | Cannot advise on route until the clinician judges how severe the deficiency and neurological symptoms are |

  @RT-08
  Scenario Outline: No route is advised until deficiency is confirmed (<total>, deficiency <deficiency>, symptoms <symptoms>)
    Given a 63-year-old man
    And he has <involvement>
    And his deficiency is <deficiency>
    And his neurological symptoms are <symptoms>
    And his total B12 is <total>
    When the guideline is applied
    Then the route is "No route decision (deficiency not confirmed)"

    Examples:
      | total        | deficiency                | symptoms                  | involvement                 |
      | 250 ng/L     | judged severe             | judged severe             | neurological involvement    |
      | 250 ng/L     | judged not severe         | judged severe             | neurological involvement    |
      | 250 ng/L     | judged not severe         | judged not severe         | neurological involvement    |
      | 250 ng/L     | judged not severe         | not assessed for severity | no neurological involvement |
      | 250 ng/L     | judged not severe         | not assessed for severity | neurological involvement    |
      | 250 ng/L     | not assessed for severity | judged not severe         | neurological involvement    |
      | 250 ng/L     | not assessed for severity | not assessed for severity | neurological involvement    |
      | 400 ng/L     | judged severe             | judged severe             | neurological involvement    |
      | not measured | judged severe             | judged severe             | neurological involvement    |
