"""The source's words beside each restatement, read at run time (issue 11): text report."""

from __future__ import annotations

import dataclasses

from b12spec.evaluate import evaluate
from b12spec.evidence import CHANGED, evidence_for
from b12spec.model import Spec
from b12spec.report import render_text
from b12spec.verify.trace import load_source


def _deficient(spec: Spec, base_case: dict):  # type: ignore[no-untyped-def]
    return evaluate(spec, {**base_case, "total_b12": {"value": 150, "unit": "ng/L"}})


def test_the_report_shows_each_rule_restated_beside_the_source_words(spec: Spec, base_case: dict) -> None:
    source = load_source(spec)
    assert source is not None
    evaluation = _deficient(spec, base_case)
    text = render_text(spec, evaluation, source=source)
    rule_id = evaluation.results["b12_status"].hits[0].rule
    evidence = evidence_for(spec, source, rule_id)
    assert evidence, f"{rule_id} is named by a catalogue entry"
    for item in evidence:
        assert f"restated ({item.entry.id}; ref " in text and item.entry.statement in text
        for quote in item.quotes:
            assert quote.text is not None and quote.text == source.span(quote.locator)
            assert f"source, line {quote.locator.line}" in text and quote.text in text


def test_without_the_source_the_report_restates_only(spec: Spec, base_case: dict) -> None:
    text = render_text(spec, _deficient(spec, base_case))
    assert "restated (" in text
    assert "source, line" not in text


def test_a_changed_source_shows_no_words_and_says_so(spec: Spec) -> None:
    source = load_source(spec)
    assert source is not None
    entry = next(e for e in spec.catalogue if e.rules and e.locators)
    line = entry.locators[0].line
    edited = dataclasses.replace(
        source, lines=tuple(t + " edited" if n == line else t for n, t in enumerate(source.lines, start=1))
    )
    quote = next(q for e in evidence_for(spec, edited, entry.rules[0]) if e.entry == entry for q in e.quotes)
    if entry.locators[0].end == len(source.lines[line - 1]):
        assert quote.text is not None  # the span itself is untouched when text is only appended
    edited = dataclasses.replace(source, lines=tuple("x" * len(t) if n == line else t
                                                     for n, t in enumerate(source.lines, start=1)))
    quote = next(q for e in evidence_for(spec, edited, entry.rules[0]) if e.entry == entry for q in e.quotes)
    assert quote.text is None and quote.shown == CHANGED
