"""Static verification of the decision tables (``b12spec check``): exact, not sampled.

``check.check_spec(files, analyzers)`` runs everything; ``equivalence.equivalent(spec, a, b)`` decides
whether two versions of a table give the same result for every valid input.
"""
