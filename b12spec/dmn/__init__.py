"""DMN 1.3 interchange: the guideline as one DMN model (export), DMN decision tables as a spec
(import), the DMN TCK's test cases run through both, and the scenarios as TCK test cases.

Writing, reading and schema validation all go through lxml (libxml2): one library for the three
jobs, with a parser that loads no DTD, expands no entity and reaches no network.
"""
