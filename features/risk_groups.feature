@risk
Feature: High-risk groups that call for B12 monitoring
  The source lists older people, vegetarians and vegans, people after bariatric surgery, people
  with malabsorption (ileal resection over 20 cm, Crohn's disease) and people on metformin as
  needing monitoring. It gives no age for "older" (open question OQ-04): b12spec flags from 65,
  following the age bands of NICE NG239 (beyond the source). It gives no interval (OQ-13).

  Background:
    Given a 60-year-old man
    And he has no neurological involvement
    And his diet is omnivorous
    And he has not had bariatric surgery
    And he has had no ileal resection
    And he does not have Crohn's disease
    And he has no other malabsorption condition
    And he does not take metformin

  @RG-01
  Scenario: From 65 older age is flagged, with the age marked beyond the source
    Given a 65-year-old man
    When the guideline is applied
    Then the risk group is "Older age (65 or over: an age beyond the source, which sets none) - the source's 10-40% prevalence figure awaits the board"
    And open question OQ-04 is named for the risk groups

  @RG-01
  Scenario Outline: A younger adult or a child with none of the listed risks is in no risk group (<age>)
    Given a <age>-year-old <person>
    When the guideline is applied
    Then no risk group is named

    Examples:
      | age | person |
      | 64  | man    |
      | 30  | man    |
      | 15  | boy    |

  @RG-01
  Scenario Outline: Each listed group is named (<group>)
    Given <fact>
    When the guideline is applied
    Then the risk groups include "<group>"
    And exactly one risk group is named

    @RG-02
    Examples: Diet
      | fact                   | group                    |
      | his diet is vegetarian | Vegetarian or vegan diet |
      | his diet is vegan      | Vegetarian or vegan diet |

    @RG-03
    Examples: Bariatric surgery
      | fact                         | group                   |
      | he has had bariatric surgery | After bariatric surgery |

    @RG-04
    Examples: Ileal resection
      | fact                                     | group                                      |
      | he has had 20.1 cm of his ileum resected | Malabsorption - ileal resection over 20 cm |

    @RG-06
    Examples: Crohn's disease
      | fact                   | group                           |
      | he has Crohn's disease | Malabsorption - Crohn's disease |

    @RG-07
    Examples: Other malabsorption
      | fact                                   | group                           |
      | he has another malabsorption condition | Malabsorption - other condition |

    @RG-08
    Examples: Metformin
      | fact               | group           |
      | he takes metformin | Takes metformin |

  Scenario Outline: A group is not named when the fact is absent or not recorded (<fact>, <group>)
    Given <fact>
    When the guideline is applied
    Then the risk groups do not include "<group>"

    @RG-02
    Examples: Diet
      | fact                     | group                    |
      | his diet is not recorded | Vegetarian or vegan diet |

    @RG-03
    Examples: Bariatric surgery
      | fact                                        | group                   |
      | nothing is recorded about bariatric surgery | After bariatric surgery |

    @RG-04
    Examples: Ileal resection over 20 cm
      | fact                                      | group                                      |
      | he has had 20 cm of his ileum resected    | Malabsorption - ileal resection over 20 cm |
      | nothing is recorded about ileal resection | Malabsorption - ileal resection over 20 cm |

    @RG-05
    Examples: Ileal resection of 20 cm or less
      | fact                                      | group                                                          |
      | he has had 20.1 cm of his ileum resected  | Ileal resection of 20 cm or less - not specified by the source |
      | nothing is recorded about ileal resection | Ileal resection of 20 cm or less - not specified by the source |
      | he has had no ileal resection             | Ileal resection of 20 cm or less - not specified by the source |

    @RG-06
    Examples: Crohn's disease
      | fact                                      | group                           |
      | nothing is recorded about Crohn's disease | Malabsorption - Crohn's disease |

    @RG-07
    Examples: Other malabsorption
      | fact                                          | group                           |
      | nothing is recorded about other malabsorption | Malabsorption - other condition |

    @RG-08
    Examples: Metformin
      | fact                                | group           |
      | nothing is recorded about metformin | Takes metformin |

  @RG-05 @not-specified
  Scenario Outline: An ileal resection of 20 cm or less is not covered by the source (<length> cm)
    Given he has had <length> cm of his ileum resected
    When the guideline is applied
    Then the source does not specify the risk group, see open question OQ-10
    And the risk groups do not include "Malabsorption - ileal resection over 20 cm"

    Examples:
      | length |
      | 0.1    |
      | 20     |

  @RG-01 @RG-02 @RG-03 @RG-08
  Scenario: Several risk groups are named together
    Given a 72-year-old man
    And his diet is vegan
    And he has had bariatric surgery
    And he takes metformin
    When the guideline is applied
    Then the risk groups include "Vegetarian or vegan diet"
    And the risk groups include "After bariatric surgery"
    And the risk groups include "Takes metformin"
    And the risk groups include "Older age (65 or over: an age beyond the source, which sets none) - the source's 10-40% prevalence figure awaits the board"
    And the risk groups do not include "Malabsorption - Crohn's disease"
