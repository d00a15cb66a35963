@diagnosis
Feature: Confirming vitamin B12 deficiency
  The source confirms deficiency on a total B12 under 180 ng/L or an active B12 under
  25 pmol/L, and calls a total B12 from 180 to 350 ng/L indeterminate. Above 350 ng/L neither
  criterion is met, so deficiency is not confirmed (the source states no normal range: OQ-02).
  Where a result falls outside what the source describes, b12spec says so and names the open
  question.

  Background:
    Given a 52-year-old woman
    And she has no neurological involvement

  Scenario Outline: Total and active B12 together decide the status (<total>, active <active>)
    Given her total B12 is <total>
    And her active B12 is <active>
    When the guideline is applied
    Then the B12 status is "<status>"
    And the next diagnostic step is "<next step>"

    @DX-01
    Examples: A total B12 under 180 ng/L confirms deficiency whatever the active B12
      | total      | active       | status               | next step                  |
      | 179.9 ng/L | not measured | Deficiency confirmed | Treat as confirmed deficiency |
      | 179.9 ng/L | 24.9 pmol/L  | Deficiency confirmed | Treat as confirmed deficiency |
      | 179.9 ng/L | 25 pmol/L    | Deficiency confirmed | Treat as confirmed deficiency |

    @DX-02 @DX-03 @DX-04
    Examples: A total B12 from 180 to 350 ng/L is indeterminate unless the active B12 is under 25 pmol/L
      | total      | active       | status               | next step                                   |
      | 180 ng/L   | 24.9 pmol/L  | Deficiency confirmed | Treat as confirmed deficiency               |
      | 180 ng/L   | not measured | Indeterminate result | Measure methylmalonic acid and homocysteine |
      | 180 ng/L   | 25 pmol/L    | Indeterminate result | Measure methylmalonic acid and homocysteine |
      | 350 ng/L   | 24.9 pmol/L  | Deficiency confirmed | Treat as confirmed deficiency               |
      | 350 ng/L   | not measured | Indeterminate result | Measure methylmalonic acid and homocysteine |
      | 350 ng/L   | 25 pmol/L    | Indeterminate result | Measure methylmalonic acid and homocysteine |

    @DX-02 @DX-06 @DX-07
    Examples: Above 350 ng/L only an active B12 under 25 pmol/L confirms deficiency; otherwise it is not confirmed
      | total      | active       | status                      | next step                                          |
      | 350.1 ng/L | 24.9 pmol/L  | Deficiency confirmed        | Treat as confirmed deficiency                      |
      | 350.1 ng/L | 25 pmol/L    | Deficiency not confirmed by the source's criteria | No deficiency by the source's criteria; the source states no normal range, and strong clinical features still call for clinical judgement |
      | 350.1 ng/L | not measured | Deficiency not confirmed by the source's criteria | No deficiency by the source's criteria; the source states no normal range, and strong clinical features still call for clinical judgement |

    @DX-02 @DX-09 @DX-10
    Examples: Without a total B12 the active B12 decides, and without either nothing can be judged
      | total        | active       | status                      | next step                                          |
      | not measured | 24.9 pmol/L  | Deficiency confirmed        | Treat as confirmed deficiency                      |
      | not measured | 25 pmol/L    | Not specified by the source | Not specified by the source; see the open question |
      | not measured | not measured | No B12 result to judge      | Measure total or active B12 first                  |

  @DX-01 @DX-03 @DX-07 @units
  Scenario Outline: Total B12 is accepted in ng/L, pg/mL and pmol/L (<total>)
    Given her total B12 is <total>
    When the guideline is applied
    Then the B12 status is "<status>"

    Examples:
      | total        | status               |
      | 179.9 ng/L   | Deficiency confirmed |
      | 179.9 pg/mL  | Deficiency confirmed |
      | 180 pg/mL    | Indeterminate result |
      | 132.8 pmol/L | Deficiency confirmed |
      | 132.84 pmol/L | Indeterminate result |
      | 350 pg/mL    | Indeterminate result |
      | 350.1 pg/mL  | Deficiency not confirmed by the source's criteria |
      | 258.3 pmol/L | Indeterminate result |
      | 258.4 pmol/L | Deficiency not confirmed by the source's criteria |

  @DX-04
  Scenario: An active B12 of 25 pmol/L or more beside an indeterminate total B12 is an open question
    Given her total B12 is 250 ng/L
    And her active B12 is 40 pmol/L
    When the guideline is applied
    Then the B12 status is "Indeterminate result"
    And open question OQ-01 is named for the B12 status

  @DX-06 @DX-07 @TX-12
  Scenario Outline: Above the indeterminate band deficiency is not confirmed, and no treatment protocol applies (<total>, active <active>, <question>)
    Given her total B12 is <total>
    And her active B12 is <active>
    When the guideline is applied
    Then the B12 status is "Deficiency not confirmed by the source's criteria"
    And open question <question> is named for the B12 status
    And the initial treatment is "No treatment protocol applies - deficiency is not confirmed by the source's criteria"
    And the maintenance treatment is "No treatment protocol applies - deficiency is not confirmed by the source's criteria"
    And open question OQ-02 is named for the initial treatment
    And the alternative is "No alternative (deficiency not confirmed)"

    Examples:
      | total        | active       | question |
      | 500 ng/L     | 60 pmol/L    | OQ-01    |
      | 500 ng/L     | 60 pmol/L    | OQ-02    |
      | 500 ng/L     | not measured | OQ-02    |

  @DX-09 @not-specified @TX-06 @RT-08 @AL-08 @IW-04 @MO-01 @SG-09 @PF-01 @PF-03 @PF-04
  Scenario: The source does not read an active B12 of 25 pmol/L or more on its own, and no regimen follows
    Given she is pregnant
    And her total B12 is not measured
    And her active B12 is 60 pmol/L
    And the proposed plan is sound
    And the proposed plan puts off B12 treatment
    And the proposed plan does not investigate the underlying cause
    And the proposed plan arranges no follow-up monitoring
    When the guideline is applied
    Then the source does not specify the B12 status, see open question OQ-01
    And the initial treatment is "Not specified by the source"
    And the route is "No route decision (deficiency not confirmed)"
    And the alternative is "No alternative (deficiency not confirmed)"
    And the indeterminate work-up is "Not needed (B12 status is not indeterminate)"
    And no monitoring is given
    And the plan gets no pitfall warning
    And the consideration is "Pregnancy - recommended daily intake of 4 micrograms (an intake figure, not a dose for treating deficiency)"

  @DX-10 @TX-07
  Scenario: Without any B12 result the guideline asks for one before any treatment decision
    When the guideline is applied
    Then the B12 status is "No B12 result to judge"
    And the next diagnostic step is "Measure total or active B12 first"
    And open question OQ-20 is named for the B12 status
    And the initial treatment is "No treatment decision until the B12 status is known"
    And the maintenance treatment is "No treatment decision until the B12 status is known"

  @TX-06 @not-specified
  Scenario: Whether to treat while the result is indeterminate is left open by the source
    Given her total B12 is 250 ng/L
    When the guideline is applied
    Then the source does not specify the initial treatment, see open question OQ-08
    And the source does not specify the maintenance treatment, see open question OQ-08

  @IW-01 @IW-04
  Scenario Outline: Methylmalonic acid and homocysteine are asked for only when the total B12 is indeterminate (<total>)
    Given her total B12 is <total>
    And her methylmalonic acid is not measured
    And her homocysteine is not measured
    When the guideline is applied
    Then the indeterminate work-up is "<work-up>"

    Examples:
      | total        | work-up                                     |
      | 250 ng/L     | Measure methylmalonic acid and homocysteine |
      | 150 ng/L     | Not needed (B12 status is not indeterminate) |
      | 500 ng/L     | Not needed (B12 status is not indeterminate) |
      | not measured | Not needed (B12 status is not indeterminate) |

  @IW-02 @IW-03 @not-specified
  Scenario Outline: The source gives no way to read MMA or homocysteine (MMA <mma>, homocysteine <homocysteine>)
    Given her total B12 is 250 ng/L
    And her methylmalonic acid is <mma>
    And her homocysteine is <homocysteine>
    When the guideline is applied
    Then the indeterminate work-up is "Not specified by the source how to read MMA or homocysteine"
    And the source does not specify the indeterminate work-up, see open question OQ-03

    Examples:
      | mma              | homocysteine      |
      | 0.45 umol/L      | not measured      |
      | 450 nmol/L       | 18 umol/L         |
      | not measured     | 18 umol/L         |

  @IW-04
  Scenario Outline: Follow-up test results outside an indeterminate total B12 need no work-up (<total>)
    Given her total B12 is <total>
    And her methylmalonic acid is <mma>
    And her homocysteine is <homocysteine>
    When the guideline is applied
    Then the indeterminate work-up is "Not needed (B12 status is not indeterminate)"

    Examples:
      | total        | mma             | homocysteine  |
      | 150 ng/L     | 0.45 umol/L     | not measured  |
      | 150 ng/L     | not measured    | 18 umol/L     |
      | 150 ng/L     | 0.45 umol/L     | 18 umol/L     |
