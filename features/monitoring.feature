@monitoring
Feature: Monitoring the response to treatment
  Once deficiency is confirmed the source asks to check serum B12 after 3 months, follow the
  platelet count until it is normal, follow neurological symptoms including memory, and
  re-check B12 from time to time during maintenance (no interval given: open question OQ-13).

  Background:
    Given a 70-year-old man
    And he has neurological involvement

  @MO-01 @MO-02 @MO-03 @MO-04
  Scenario: Confirmed deficiency is followed up in four ways
    Given his total B12 is 160 ng/L
    When the guideline is applied
    Then the monitoring includes "Check serum B12 after 3 months to assess response"
    And the monitoring includes "Follow the platelet count until it is normal"
    And the monitoring includes "Follow neurological symptoms, memory included, for improvement"
    And the monitoring includes "Re-check B12 from time to time during maintenance (interval not specified by the source)"
    And open question OQ-12 is named for the monitoring
    And open question OQ-13 is named for the monitoring

  @MO-01 @MO-02 @MO-03 @MO-04
  Scenario Outline: No treatment monitoring before deficiency is confirmed (<total>)
    Given his total B12 is <total>
    When the guideline is applied
    Then no monitoring is given

    Examples:
      | total        |
      | 250 ng/L     |
      | 400 ng/L     |
      | not measured |
