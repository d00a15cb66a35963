"""Evidence for a rule: each catalogue entry it executes, restated, beside the source's own words.

The source's words are read from the source text at run or build time through the entry's
locators (sourcetext.py) and shown only in output (a report, a generated page): they are never
written into the project. A locator that no longer matches gives no words, and says so, rather
than showing text that may not be what the entry restates (``b12spec check`` reports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from b12spec.model import Recommendation, Spec
from b12spec.sourcetext import Locator, SourceText

CHANGED = "(the source has changed here since the entry was written; b12spec check reports it)"


@dataclass(frozen=True)
class Quote:
    """The source's words at one locator, with the citation marker of their line."""

    locator: Locator
    text: str | None
    citations: tuple[str, ...]

    @property
    def shown(self) -> str:
        return CHANGED if self.text is None else self.text


@dataclass(frozen=True)
class Evidence:
    """One catalogue entry a rule executes: its restatement and the source's words."""

    entry: Recommendation
    quotes: tuple[Quote, ...]


def quotes(source: SourceText | None, entry: Recommendation) -> tuple[Quote, ...]:
    if source is None:
        return ()
    found = []
    for locator in entry.locators:
        matches = source.matches(locator)
        statement = source.statement(locator.line) if matches else None
        text = source.span(locator) if matches else None
        found.append(Quote(locator, text, statement.citations if statement else ()))
    return tuple(found)


def evidence_for(spec: Spec, source: SourceText | None, rule_id: str) -> tuple[Evidence, ...]:
    """The entries that name the rule, in catalogue order, each with its quotes (none without a source)."""
    return tuple(Evidence(e, quotes(source, e)) for e in spec.catalogue if rule_id in e.rules)
