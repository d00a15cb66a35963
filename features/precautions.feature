@precautions
Feature: Precautions
  The source asks to treat without delay, because deficiency left for more than 3 months may
  cause permanent spinal cord lesions; never to give folic acid alone before B12; and to watch
  serum potassium closely for the first 48 hours when treating pernicious anaemia.

  Background:
    Given a 55-year-old woman
    And she has no neurological involvement

  @PR-01 @PR-02 @PR-03 @PR-04 @PR-05
  Scenario Outline: Precautions by B12 status, time untreated and cause (<total>, <months>, <cause>)
    Given her total B12 is <total>
    And her deficiency has gone untreated for <months>
    And her deficiency <cause>
    When the guideline is applied
    Then the precautions <urgent> "Treat without delay - deficiency left for more than 3 months may cause permanent degeneration of the spinal cord"
    And the precautions <late> "Already untreated for more than 3 months - permanent spinal cord lesions are possible"
    And the precautions <folate> "Do not give folic acid alone or before B12 - it can mask the deficiency and bring on subacute combined degeneration of the cord"
    And the precautions <potassium> "Pernicious anaemia - watch serum potassium closely for the first 48 hours of treatment"
    And the precautions <potassium if> "If the cause is pernicious anaemia (not recorded), watch serum potassium closely for the first 48 hours of treatment"

    Examples: Confirmed deficiency
      | total    | months         | cause                                | urgent  | late           | folate  | potassium      | potassium if   |
      | 150 ng/L | 3 months       | is due to pernicious anaemia         | include | do not include | include | include        | do not include |
      | 150 ng/L | 3.1 months     | is due to pernicious anaemia         | include | include        | include | include        | do not include |
      | 150 ng/L | 3 months       | is not due to pernicious anaemia     | include | do not include | include | do not include | do not include |
      | 150 ng/L | 3 months       | has no known cause                   | include | do not include | include | do not include | include        |
      | 150 ng/L | an unknown time | has no known cause                  | include | do not include | include | do not include | include        |

    Examples: Indeterminate result: only the folic acid precaution
      | total    | months         | cause                                | urgent         | late           | folate  | potassium      | potassium if   |
      | 250 ng/L | 3 months       | is due to pernicious anaemia         | do not include | do not include | include | do not include | do not include |
      | 250 ng/L | 3.1 months     | is due to pernicious anaemia         | do not include | do not include | include | do not include | do not include |
      | 250 ng/L | 3 months       | has no known cause                   | do not include | do not include | include | do not include | do not include |

  @PR-01 @PR-02 @PR-03 @PR-04 @PR-05
  Scenario: No precaution is raised once deficiency is not confirmed
    Given her total B12 is 400 ng/L
    And her deficiency has gone untreated for 3.1 months
    And her deficiency is due to pernicious anaemia
    When the guideline is applied
    Then no precaution is given

  @PR-01 @PR-02 @PR-03 @PR-04 @PR-05
  Scenario Outline: Where deficiency is not excluded, only the folic acid precaution is raised (total <total>, active <active>)
    Given her total B12 is <total>
    And her active B12 is <active>
    And her deficiency has gone untreated for 3.1 months
    And her deficiency is due to pernicious anaemia
    When the guideline is applied
    Then the precaution is "Do not give folic acid alone or before B12 - it can mask the deficiency and bring on subacute combined degeneration of the cord"
    And open question OQ-19 is named for the precautions

    Examples:
      | total        | active       |
      | not measured | not measured |
      | not measured | 60 pmol/L    |

  @PR-02
  Scenario: The source does not say from when the 3 months are counted
    Given her total B12 is 150 ng/L
    And her deficiency has gone untreated for 4 months
    When the guideline is applied
    Then the precautions include "Already untreated for more than 3 months - permanent spinal cord lesions are possible"
    And open question OQ-18 is named for the precautions

  @PR-03
  Scenario: Folic acid is warned against while deficiency is still unconfirmed, which goes beyond the source
    Given her total B12 is 300 ng/L
    When the guideline is applied
    Then the precaution is "Do not give folic acid alone or before B12 - it can mask the deficiency and bring on subacute combined degeneration of the cord"
    And open question OQ-19 is named for the precautions
