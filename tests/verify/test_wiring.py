"""How decisions connect: dead output values, unseen values, tests of values never produced."""

from __future__ import annotations

from b12spec.verify.findings import ERROR, WARNING

from .helpers import only


def test_declared_output_value_no_rule_gives(broken):
    report = broken("wiring")
    finding = [f for f in report.of_kind("wiring") if f.witness == {"status.level": "never"} and not f.rules]
    assert len(finding) == 1
    assert finding[0].message == 'status.level declares "never" but no reachable rule of status gives it'


def test_produced_value_no_downstream_rule_sees(broken):
    finding = only(broken("wiring"), "wiring", "ST-04")
    assert finding.severity == WARNING
    assert finding.message == 'status can give status.level = "unknown", but no rule of advice matches it'
    assert dict(finding.witness) == {"status.level": "unknown"}


def test_downstream_tests_a_value_no_upstream_rule_produces(broken):
    report = broken("wiring")
    finding = only(report, "wiring", "AD-03")
    assert (finding.table, finding.row, finding.column) == ("advice", 4, "status.level")
    assert dict(finding.witness) == {"status.level": "never"}
    # ...so the rule is dead: its only value never arrives.
    assert only(report, "unreachable", "AD-03").severity == ERROR


def test_unknown_input_expression_from_the_loader_is_a_wiring_error(broken):
    finding = only(broken("wiring_loader"), "wiring")
    assert finding.severity == ERROR
    assert (finding.file, finding.column) == ("tables/advice.yaml", "statuz.level")
    assert finding.message.startswith("no decision named 'statuz'")


def test_cycle_between_decisions(broken):
    finding = only(broken("cycle"), "wiring")
    assert finding.severity == ERROR
    assert "in a cycle: ping -> pong -> ping" in finding.message
