"""The rule an unreachable finding names as winning is the one the engine picks on its example.

The finding looks up the winner among the rules whose box meets the example's region only (so a
2,000-rule table is not scanned once per finding); brute force asks every rule of the table.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from b12spec.hitpolicy import select
from b12spec.model import HitPolicy
from b12spec.verify.analysis import unreachable
from b12spec.verify.space import compile_table

from .test_space import make_table, rule_entries


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(rule_entries, min_size=2, max_size=7), st.sampled_from([HitPolicy.FIRST, HitPolicy.PRIORITY]))
def test_the_named_winner_is_the_engines_winner_on_the_example(rows, policy):
    spec, table = make_table(rows, policy)
    for finding in unreachable(compile_table(spec, table)):
        if finding.witness is None:
            continue  # a rule that can never match names no example
        values = tuple(finding.witness[column.expression] for column in table.inputs)
        matched = tuple(rule for rule in table.rules if rule.matches(values))
        assert matched, finding.message
        assert finding.message.endswith(f": {select(table, matched).rules[0].id} wins"), finding.message
