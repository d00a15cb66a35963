@pitfalls
Feature: Common pitfalls in a proposed plan
  The source names five pitfalls: delaying treatment despite neurological symptoms, folic acid
  alone, not looking for the underlying cause, poor follow-up, and adjusting injection frequency
  on serum B12 or MMA levels instead of the clinical response. b12spec checks a clinician's
  proposed plan against each and names the pitfall it falls into.

  Background:
    Given a 67-year-old woman
    And she has neurological involvement
    And the proposed plan is sound

  @PF-01 @PF-02 @PF-03 @PF-04 @PF-05
  Scenario Outline: A sound plan gets no warning (<total>)
    Given her total B12 is <total>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | total        |
      | 150 ng/L     |
      | 250 ng/L     |
      | 400 ng/L     |
      | not measured |

  @PF-01 @PF-02 @PF-03 @PF-04 @PF-05
  Scenario Outline: A plan that falls into a pitfall gets its named warning (<change>)
    Given her total B12 is <total>
    And the proposed plan <change>
    When the guideline is applied
    Then the plan warns "<warning>"
    And the warning is "<warning>"

    Examples:
      | total    | change                                          | warning                                                                             |
      | 150 ng/L | puts off B12 treatment                          | Pitfall 1: treatment is put off although there are neurological signs              |
      | 150 ng/L | gives folic acid alone                          | Pitfall 2: folic acid alone in B12 deficiency                                      |
      | 250 ng/L | gives folic acid alone                          | Pitfall 2: folic acid alone in B12 deficiency                                      |
      | 150 ng/L | does not investigate the underlying cause       | Pitfall 3: the underlying cause is not being identified and addressed              |
      | 150 ng/L | arranges no follow-up monitoring                | Pitfall 4: no follow-up monitoring is arranged                                     |
      | 150 ng/L | adjusts injection frequency on serum B12 alone  | Pitfall 5: injection frequency adjusted on serum B12 or MMA instead of clinical response |
      | 150 ng/L | adjusts injection frequency on MMA alone        | Pitfall 5: injection frequency adjusted on serum B12 or MMA instead of clinical response |

  @PF-01 @PF-03 @PF-04 @PF-05
  Scenario Outline: A plan that only looks like a pitfall gets no warning (<why>)
    Given her total B12 is <total>
    And <fact>
    And the proposed plan <change>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | why                                            | total    | fact                                | change                                    |
      | deficiency unconfirmed, so deferral is no pitfall 1 | 250 ng/L | she has neurological involvement  | puts off B12 treatment                  |
      | deficiency not confirmed, so no pitfall 1      | 400 ng/L | she has neurological involvement    | puts off B12 treatment                    |
      | no B12 result, so no pitfall 1                 | not measured | she has neurological involvement | puts off B12 treatment                 |
      | deficiency unconfirmed, so no pitfall 3        | 250 ng/L | she has neurological involvement    | does not investigate the underlying cause |
      | deficiency unconfirmed, so no pitfall 4        | 250 ng/L | she has neurological involvement    | arranges no follow-up monitoring          |
      | no injections are being adjusted               | 150 ng/L | she has neurological involvement    | adjusts no injections                     |

  @PF-02
  Scenario Outline: Folic acid alone is warned against wherever deficiency is not excluded (<total>)
    Given her total B12 is <total>
    And the proposed plan gives folic acid alone
    When the guideline is applied
    Then the plan warns "Pitfall 2: folic acid alone in B12 deficiency"

    Examples:
      | total        |
      | 179 ng/L     |
      | 180 ng/L     |
      | 350 ng/L     |
      | not measured |

  @PF-02 @PF-05
  Scenario Outline: Where deficiency is not confirmed no pitfall about it fires (<total>, <change>)
    Given her total B12 is <total>
    And the proposed plan <change>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | total    | change                                         |
      | 351 ng/L | gives folic acid alone                         |
      | 500 ng/L | gives folic acid alone                         |
      | 351 ng/L | adjusts injection frequency on MMA alone       |
      | 500 ng/L | adjusts injection frequency on serum B12 alone |

  @PF-05
  Scenario Outline: Titrating injections is a pitfall only where an injection regimen is given (<total>)
    Given her total B12 is <total>
    And the proposed plan adjusts injection frequency on serum B12 alone
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | total        |
      | 180 ng/L     |
      | 350 ng/L     |
      | not measured |

  @PF-01 @PF-02 @PF-03 @PF-04 @PF-05
  Scenario Outline: A plan that leaves one point unsaid gets no warning for it (<change>)
    Given her total B12 is 150 ng/L
    And the proposed plan <change>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | change                                                |
      | does not say when B12 treatment starts                |
      | does not say whether folic acid is given alone        |
      | does not say whether the cause is investigated        |
      | does not say whether follow-up is arranged            |
      | does not say what injection frequency is adjusted on  |

  @PF-07 @PF-01
  Scenario: Deferring treatment of a confirmed deficiency without neurological signs is still warned against
    Given her total B12 is 150 ng/L
    And she has no neurological involvement
    And the proposed plan puts off B12 treatment
    When the guideline is applied
    Then the warning is "Treatment of a confirmed deficiency is put off - deficiency left for more than 3 months may cause permanent degeneration of the spinal cord"
    And the warnings do not include "Pitfall 1: treatment is put off although there are neurological signs"

  @PF-07
  Scenario Outline: The urgency warning needs a confirmed deficiency and a deferral (<total>, <change>)
    Given her total B12 is <total>
    And she has no neurological involvement
    And the proposed plan <change>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | total        | change                   |
      | 250 ng/L     | puts off B12 treatment   |
      | 150 ng/L     | starts B12 treatment now |

  @PF-06
  Scenario: Without a proposed plan the pitfalls are not checked, and the report says so
    Given her total B12 is 150 ng/L
    And no plan is proposed
    When the guideline is applied
    Then the warning is "No proposed plan was given, so the pitfalls were not checked"

  @PF-06
  Scenario Outline: A plan stating a single sound point is checked (<change>)
    Given her total B12 is 150 ng/L
    And no plan is proposed
    And the proposed plan <change>
    When the guideline is applied
    Then the plan gets no pitfall warning

    Examples:
      | change                                            |
      | starts B12 treatment now                          |
      | does not give folic acid alone                    |
      | investigates the underlying cause                 |
      | arranges follow-up monitoring                     |
      | adjusts injection frequency on clinical response  |

  @PF-01 @PF-02 @PF-03 @PF-04 @PF-05
  Scenario: A plan can fall into several pitfalls at once
    Given her total B12 is 150 ng/L
    And the proposed plan puts off B12 treatment
    And the proposed plan gives folic acid alone
    And the proposed plan does not investigate the underlying cause
    And the proposed plan arranges no follow-up monitoring
    And the proposed plan adjusts injection frequency on serum B12 alone
    When the guideline is applied
    Then the plan warns "Pitfall 1: treatment is put off although there are neurological signs"
    And the plan warns "Pitfall 2: folic acid alone in B12 deficiency"
    And the plan warns "Pitfall 3: the underlying cause is not being identified and addressed"
    And the plan warns "Pitfall 4: no follow-up monitoring is arranged"
    And the plan warns "Pitfall 5: injection frequency adjusted on serum B12 or MMA instead of clinical response"
