"""Mutation testing of the spec: small, plausible slips in the tables that the features must catch.

``operators`` generates mutants of the frozen model (never by editing files), ``runner`` runs the
Gherkin scenarios in process against each mutated spec and asks the verifier to prove survivors
equivalent, ``report`` turns the run into the text summary and ``reports/mutation.json``.
"""

from b12spec.mutate.operators import Mutant, generate_mutants
from b12spec.mutate.runner import BaselineFailure, MutantOutcome, MutationRun, run_mutation

__all__ = [
    "BaselineFailure",
    "Mutant",
    "MutantOutcome",
    "MutationRun",
    "generate_mutants",
    "run_mutation",
]
