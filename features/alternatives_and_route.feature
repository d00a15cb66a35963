@alternatives @route
Feature: Alternative regimens and the route of administration
  Besides the hydroxocobalamin schedule the source names a monthly 1000 microgram injection,
  oral high-dose B12 (for most patients without severe neurological involvement) and sublingual
  B12. It prefers intramuscular treatment in severe deficiency or severe neurological symptoms
  and calls oral 1 to 2 mg daily an option otherwise. No oral or sublingual alternative is
  offered where intramuscular treatment is to be considered, or before severity is judged.
  The source does not define "severe" (open question OQ-05): it is the clinician's judgement.

  @AL-01 @AL-02 @AL-05 @AL-04 @AL-06
  Scenario Outline: Oral and sublingual B12 are offered only where the route allows oral (deficiency <deficiency>, symptoms <symptoms>, <involvement>)
    Given a 58-year-old woman
    And she has <involvement>
    And her deficiency is <deficiency>
    And her neurological symptoms are <symptoms>
    And her total B12 is 140 ng/L
    When the guideline is applied
    Then the alternatives include "Maintenance alternative - 1000 micrograms intramuscularly every month, indefinitely"
    And the alternatives <oral> "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And the alternatives <oral> "Sublingual B12 (efficacy comparable to intramuscular, with better adherence and lower cost)"
    And the alternatives <pending> "Whether oral or sublingual B12 suits depends on how severe the deficiency and neurological symptoms are, which is not recorded"
    And the alternatives <im> "No oral or sublingual alternative - intramuscular treatment is to be considered (severe deficiency or severe neurological symptoms)"
    And exactly <count> alternatives are given

    Examples: Neither severe: oral and sublingual are options
      | deficiency        | symptoms                  | involvement                 | oral    | pending        | im             | count |
      | judged not severe | judged not severe         | neurological involvement    | include | do not include | do not include | three |
      | judged not severe | not assessed for severity | no neurological involvement | include | do not include | do not include | three |

    Examples: Severe deficiency or severe neurological symptoms: intramuscular is to be considered, so no oral or sublingual alternative
      | deficiency        | symptoms                  | involvement                 | oral           | pending        | im      | count |
      | judged severe     | judged not severe         | neurological involvement    | do not include | do not include | include | two   |
      | judged severe     | not assessed for severity | no neurological involvement | do not include | do not include | include | two   |
      | judged not severe | judged severe             | neurological involvement    | do not include | do not include | include | two   |

    Examples: Severity not judged: oral and sublingual wait for that judgement
      | deficiency                | symptoms                  | involvement                 | oral           | pending | im             | count |
      | judged not severe         | not assessed for severity | neurological involvement    | do not include | include | do not include | two   |
      | not assessed for severity | not assessed for severity | no neurological involvement | do not include | include | do not include | two   |

  @AL-02 @AL-04
  Scenario: With neurological involvement of unrecorded severity, oral high dose waits for that judgement
    Given a 58-year-old woman
    And she has neurological involvement
    And her deficiency is judged not severe
    And her neurological symptoms are not assessed for severity
    And her total B12 is 140 ng/L
    When the guideline is applied
    Then the alternatives include "Whether oral or sublingual B12 suits depends on how severe the deficiency and neurological symptoms are, which is not recorded"
    And the alternatives do not include "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And open question OQ-05 is named for the alternatives

  @AL-02 @AL-05
  Scenario: Whether oral or sublingual B12 replaces the loading course is an open question
    Given a 58-year-old woman
    And she has no neurological involvement
    And her deficiency is judged not severe
    And her total B12 is 140 ng/L
    When the guideline is applied
    Then the alternatives include "Oral high-dose B12, 1000 to 2000 micrograms daily (suits most patients without severe neurological involvement)"
    And open question OQ-21 is named for the alternatives
    And open question OQ-14 is named for the alternatives

  @AL-08
  Scenario Outline: No alternative is offered outside confirmed deficiency (<case>)
    Given a <age>-year-old <person>
    And she has <involvement>
    And her deficiency is judged not severe
    And her neurological symptoms are <symptoms>
    And she is <pregnancy>
    And her total B12 is <total>
    When the guideline is applied
    Then the alternative is "No alternative (deficiency not confirmed)"

    Examples:
      | case                       | age | person | involvement                 | symptoms                  | pregnancy    | total        |
      | indeterminate              | 58  | woman  | no neurological involvement | not assessed for severity | not pregnant | 250 ng/L     |
      | indeterminate, neuro       | 58  | woman  | neurological involvement    | judged not severe         | not pregnant | 250 ng/L     |
      | not confirmed              | 58  | woman  | no neurological involvement | not assessed for severity | not pregnant | 400 ng/L     |
      | pregnant, indeterminate    | 30  | woman  | neurological involvement    | judged not severe         | pregnant     | 250 ng/L     |
      | child, no result           | 15  | girl   | no neurological involvement | not assessed for severity | not pregnant | not measured |

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
