@invalid-input
Feature: Cases that cannot be right are refused
  b12spec fails closed: a case with an impossible or contradictory value gets no recommendation
  at all, only the reason, so a typing slip cannot turn into advice.

  Scenario Outline: An impossible value is refused (<fact>)
    Given a 45-year-old woman
    And she has no neurological involvement
    And <fact>
    When the guideline is applied
    Then the case is refused with no recommendation
    And the refusal explains "<reason>"

    Examples:
      | fact                                        | reason           |
      | her total B12 is -5 ng/L                    | total_b12        |
      | her total B12 is 180 mmol/L                 | total_b12.unit   |
      | her total B12 is 180                        | a unit must be given |
      | her methylmalonic acid is 0.45              | a unit must be given |
      | her methylmalonic acid is 0.45 mg/L         | mma.unit         |
      | her active B12 is 2500 pmol/L               | plausible range  |
      | her deficiency has gone untreated for -1 months | untreated_months |
      | she has had -3 cm of her ileum resected     | ileal_resection_cm |

  Scenario: A patient older than any plausible age is refused
    Given a 130-year-old man
    And he has no neurological involvement
    When the guideline is applied
    Then the case is refused with no recommendation
    And the refusal explains "age_years"

  Scenario Outline: Contradictory facts are refused (<fact>)
    Given a 40-year-old man
    And he has <involvement>
    And <fact>
    And his total B12 is 150 ng/L
    When the guideline is applied
    Then the case is refused with no recommendation
    And the refusal explains "<reason>"

    Examples:
      | involvement                 | fact                                 | reason                             |
      | no neurological involvement | he is pregnant                       | cannot be recorded as pregnant     |
      | no neurological involvement | he is breastfeeding                  | cannot be recorded as breastfeeding |
      | no neurological involvement | his neurological symptoms are judged severe | need neurological involvement |

  Scenario: A case without the required facts is refused
    Given her total B12 is 150 ng/L
    When the guideline is applied
    Then the case is refused with no recommendation
    And the refusal explains "age_years"
    And the refusal explains "neurological_involvement"
