"""Traceability: every rule tied to the exact words of the source, and the tie checked by machine.

The catalogue restates each statement of the source and names the rules that execute it; its
locators (see sourcetext.py) say where the statement is. From these this analyzer proves, each
failure a finding with file, row, column and rule ids:

1. **Locators hold.** Each locator's span still has its digest: a source edited under the
   catalogue, or a locator moved to the wrong line, is an error (with where the words went, when
   they are still somewhere in the source). Every entry has at least one locator.
2. **Both ways, 100 %.** Every cited statement of the source (a line ending in a reference
   number) is claimed by an entry, executable or narrative; every rule is named by an entry.
3. **Citations follow the statements.** An entry cites exactly the markers of the lines it
   locates. A rule cites exactly the citations of the statements it encodes (``uncited`` for a
   statement without a marker); the named references beyond the source it also cites are left
   out of the comparison, and a rule resting on such a reference alone is exempt: it encodes no
   statement, so it is named by no entry and is traced to its reference instead.
4. **Figures follow the statements.** Every figure with a unit (a dose, threshold, interval,
   duration or percentage) written in a rule's annotation or in the labels of its outputs
   appears in the source words of its statements or in the rule's own cells (for a rule beyond
   the source, also in what sources.yaml records of the named reference it cites): an annotation
   that says 101 ng/L where the source and the cell say 100 is caught.
5. **Open-question links agree.** A rule's ``open_questions`` and the ``rules`` each question in
   open_questions.yaml lists are the same links, entered twice so that a link moved or dropped on
   one side is caught.

A guideline whose ``source_file`` is ``none`` (the verifier's small test fixtures) declares that it
has no source text to trace to; every shipped guideline names one, and a missing or unreadable
source file is an error, never a skipped check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from b12spec.model import DecisionTable, FieldType, Recommendation, Rule, Spec
from b12spec.sourcetext import Locator, SourceText, SourceTextError, digest, read_source, source_path
from b12spec.verify.findings import ERROR, Finding

KIND = "trace"
CATALOGUE = "catalogue.yaml"
UNCITED = "uncited"  # the sources.yaml id for a statement of the source without a number
NO_SOURCE = "none"

_NUMBER = r"\d+(?:\.\d+)?"
# Units as written, and the one name each is compared under (mcg, µg and micrograms are one unit).
_UNITS = {
    "mg": "mg", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "ng/L": "ng/L", "pg/mL": "pg/mL", "pmol/L": "pmol/L", "umol/L": "umol/L", "µmol/L": "umol/L",
    "micromol/L": "umol/L", "g/L": "g/L", "cm": "cm", "mm": "mm", "%": "%", "percent": "%", "per cent": "%",
    "month": "month", "months": "month", "week": "week", "weeks": "week", "day": "day", "days": "day",
    "hour": "hour", "hours": "hour", "h": "hour", "year": "year", "years": "year", "minute": "minute",
    "minutes": "minute",
}
_UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + ")"
# A figure with its unit; a range (2-3 months, 0.5 to 3 micrograms) is one figure with two ends.
_FIGURE = re.compile(
    rf"(?<![\w.])({_NUMBER})(?:\s*(?:-|\u2013|to|or|and)\s*({_NUMBER}))?\s*({_UNIT})(?![\w/])"
)
_ANY_NUMBER = re.compile(_NUMBER)
_MARKER_AT_END = re.compile(r"\s\d{1,3}\s*$")


@dataclass(frozen=True)
class TraceCoverage:
    """How much of the source and of the tables the catalogue ties together."""

    cited_statements: int
    claimed_statements: int
    rules: int
    reached_rules: int

    @staticmethod
    def percent(part: int, whole: int) -> float:
        return 100.0 if whole == 0 else 100.0 * part / whole

    def __str__(self) -> str:
        statements = self.percent(self.claimed_statements, self.cited_statements)
        rules = self.percent(self.reached_rules, self.rules)
        return (
            f"trace: {self.claimed_statements}/{self.cited_statements} cited statements of the source claimed "
            f"({statements:.0f} %), {self.reached_rules}/{self.rules} rules traced to a statement or, beyond the "
            f"source, to a named reference ({rules:.0f} %)"
        )


def load_source(spec: Spec) -> SourceText | None:
    """The spec's source text; None when the guideline declares none; raises when unreadable."""
    if spec.guideline.source_file.strip().lower() == NO_SOURCE:
        return None
    return read_source(source_path(spec.root or ".", spec.guideline.source_file))


@dataclass(frozen=True)
class Figure:
    """A figure with its unit: ``low`` alone, or the range ``low`` to ``high``."""

    low: float
    high: float | None
    unit: str

    @property
    def ends(self) -> tuple[float, ...]:
        return (self.low,) if self.high is None else (self.low, self.high)

    def __str__(self) -> str:
        span = f"{self.low:g}" if self.high is None else f"{self.low:g} to {self.high:g}"
        return f"{span} {self.unit}"


def figures(text: str) -> tuple[Figure, ...]:
    """Every figure written with a unit in ``text``."""
    return tuple(
        Figure(float(low), float(high) if high else None, _UNITS[unit])
        for low, high, unit in _FIGURE.findall(text)
    )


def figure_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where the numbers of each figure with a unit are in ``text`` (for mutating them)."""
    spans: list[tuple[int, int]] = []
    for match in _FIGURE.finditer(text):
        spans.append(match.span(1))
        if match.group(2):
            spans.append(match.span(2))
    return tuple(spans)


def supported(figure: Figure, stated: set[Figure], numbers: set[float]) -> bool:
    """Whether a figure of a rule's wording is backed: stated just so (number or range, and unit)
    in its source words or in what sources.yaml records of a named reference it cites, or every
    end of it is a number of the rule's own cells."""
    return figure in stated or all(end in numbers for end in figure.ends)


def cell_numbers(table: DecisionTable, rule: Rule) -> set[float]:
    """The numbers a rule's own cells state: thresholds, interval ends and numeric outputs."""
    numbers = {abs(n) for test in rule.inputs for n in test.numbers}
    for column, value in zip(table.outputs, rule.outputs, strict=False):
        if column.type is FieldType.NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers.add(abs(float(value)))
    return numbers


def beyond_the_source(spec: Spec, rule: Rule) -> bool:
    return any((s := spec.source(c)) is not None and not s.in_source for c in rule.citations)


def rests_beyond_the_source_alone(spec: Spec, rule: Rule) -> bool:
    """A rule citing only named references beyond the source encodes no statement of it, so it is
    traced to those references (and marked in its annotation) instead of to a catalogue entry."""
    return bool(rule.citations) and all(
        (s := spec.source(c)) is not None and not s.in_source for c in rule.citations
    )


def _traced(spec: Spec, named: set[str], rule: Rule) -> bool:
    return rule.id in named or rests_beyond_the_source_alone(spec, rule)


# --------------------------------------------------------------------------- rows in catalogue.yaml


def _catalogue_rows(spec: Spec) -> dict[str, int]:
    """Entry id (and 'id locator line:start') -> its line in catalogue.yaml, for findings."""
    rows: dict[str, int] = {}
    path = Path(spec.root or ".") / CATALOGUE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return rows
    current = ""
    for number, text in enumerate(lines, start=1):
        entry = re.match(r"\s*-\s*id:\s*[\"']?([\w-]+)", text)
        if entry:
            current = entry.group(1)
            rows[current] = number
            continue
        locator = re.search(r"line:\s*(\d+),\s*start:\s*(\d+)", text)
        if locator and current:
            rows.setdefault(f"{current} {locator.group(1)}:{locator.group(2)}", number)
    return rows


# --------------------------------------------------------------------------- the analyzer


def trace_findings(spec: Spec) -> list[Finding]:
    """Every traceability finding of a loaded spec (the analyzer ``b12spec check`` runs)."""
    try:
        source = load_source(spec)
    except SourceTextError as error:
        return [
            Finding(KIND, ERROR, f"{error}; the catalogue's locators cannot be verified", file="guideline.yaml",
                    column="source_file")
        ]
    if source is None:
        return []
    rows = _catalogue_rows(spec)
    return [
        *_locator_findings(spec, source, rows),
        *_claim_findings(spec, source),
        *_citation_findings(spec, source, rows),
        *_figure_findings(spec, source),
        *_question_findings(spec),
        *_beyond_findings(spec),
    ]


def _entry_finding(entry: Recommendation, rows: dict[str, int], message: str, column: str | None = None,
                   locator: Locator | None = None) -> Finding:
    row = rows.get(f"{entry.id} {locator.line}:{locator.start}") if locator else None
    return Finding(KIND, ERROR, f"{entry.id}: {message}", file=CATALOGUE, rules=entry.rules,
                   row=row or rows.get(entry.id), column=column or entry.id)


def _locator_findings(spec: Spec, source: SourceText, rows: dict[str, int]) -> Iterator[Finding]:
    for entry in spec.catalogue:
        if not entry.locators:
            yield _entry_finding(entry, rows, "has no locator into the source; add one (b12spec trace locate)",
                                 "locators")
        for locator in entry.locators:
            if source.matches(locator):
                continue
            text = source.span(locator)
            if text is None:
                problem = f"locator {locator} is outside the source ({len(source.lines)} lines)"
            else:
                problem = (f"locator {locator} no longer matches the source "
                           f"(digest {digest(text)}, expected {locator.digest})")
            moved = _find_digest(source, locator)
            hint = f"; the located words are now at {moved}" if moved else "; the located words are gone"
            yield _entry_finding(
                entry, rows,
                f"{problem}{hint}: the source was edited or the locator points elsewhere; check the restatement "
                "and its rules, then refresh the locator (b12spec trace locate)",
                "locators", locator,
            )


def _find_digest(source: SourceText, locator: Locator) -> Locator | None:
    """Where a span with the locator's length and digest is now, if anywhere."""
    width = locator.end - locator.start
    for number, text in enumerate(source.lines, start=1):
        for start in range(len(text) - width + 1):
            if digest(text[start : start + width]) == locator.digest:
                return Locator(number, start, start + width, locator.digest)
    return None


def _good_locators(source: SourceText, entry: Recommendation) -> list[Locator]:
    return [loc for loc in entry.locators if source.matches(loc)]


def _reference_ids(spec: Spec) -> set[str]:
    return {s.id for s in spec.sources if s.in_source}


def _claimed_lines(spec: Spec, source: SourceText) -> set[int]:
    return {loc.line for entry in spec.catalogue for loc in _good_locators(source, entry)}


def coverage(spec: Spec, source: SourceText) -> TraceCoverage:
    cited = source.cited_statements(_reference_ids(spec))
    claimed = _claimed_lines(spec, source)
    rules = [rule for table in spec.tables for rule in table.rules]
    named = {rule for entry in spec.catalogue for rule in entry.rules}
    return TraceCoverage(len(cited), sum(1 for s in cited if s.line in claimed), len(rules),
                         sum(1 for r in rules if _traced(spec, named, r)))


def _claim_findings(spec: Spec, source: SourceText) -> Iterator[Finding]:
    claimed = _claimed_lines(spec, source)
    shown = spec.guideline.source_file
    for statement in source.cited_statements(_reference_ids(spec)):
        if statement.line not in claimed:
            yield Finding(
                KIND, ERROR,
                f"the source's line {statement.line} (cited {', '.join(statement.citations)}) is claimed by no "
                "catalogue entry: restate it with its rules, or list it as narrative with the reason",
                file=shown, row=statement.line,
            )
    named = {rule for entry in spec.catalogue for rule in entry.rules}
    for table in spec.tables:
        for rule in table.rules:
            if not _traced(spec, named, rule):
                yield Finding(
                    KIND, ERROR,
                    f"rule {rule.id} is named by no catalogue entry: say which statement of the source it executes",
                    table=table.name, file=table.file, rules=(rule.id,), row=rule.row, column="rule",
                )


def _entry_citations(source: SourceText, entry: Recommendation) -> set[str]:
    """The markers of the lines an entry locates; ``uncited`` when none of them has one."""
    markers: set[str] = set()
    for locator in _good_locators(source, entry):
        statement = source.statement(locator.line)
        markers.update(statement.citations if statement else ())
    return markers or {UNCITED}


def _citation_findings(spec: Spec, source: SourceText, rows: dict[str, int]) -> Iterator[Finding]:
    encoded: dict[str, set[str]] = {}
    entries_of: dict[str, list[str]] = {}
    for entry in spec.catalogue:
        if not _good_locators(source, entry):
            continue  # already an error; its citations cannot be judged
        markers = _entry_citations(source, entry)
        stated = set(entry.citations) or {UNCITED}
        if not entry.narrative and stated != markers:
            yield _entry_finding(entry, rows, f"cites {_show(stated)} but the statements it locates cite "
                                 f"{_show(markers)}", "citations")
        for rule_id in entry.rules:
            encoded.setdefault(rule_id, set()).update(markers)
            entries_of.setdefault(rule_id, []).append(entry.id)
    for table in spec.tables:
        for rule in table.rules:
            cited = {c for c in rule.citations if (ref := spec.source(c)) is None or ref.in_source}
            if rule.id not in encoded:
                continue  # already an error: no entry names it
            if cited != encoded[rule.id]:
                yield Finding(
                    KIND, ERROR,
                    f"rule {rule.id} cites {_show(cited)} of the source, but the statements it encodes "
                    f"({', '.join(entries_of[rule.id])}) cite {_show(encoded[rule.id])}; cite those, or mark "
                    "the rule beyond the source with the named reference it rests on",
                    table=table.name, file=table.file, rules=(rule.id,), row=rule.row, column="citations",
                )


def _show(citations: Iterable[str]) -> str:
    return "; ".join(sorted(citations, key=lambda c: (not c.isdigit(), c))) or "nothing"


def _beyond_figures(spec: Spec, rule: Rule) -> set[Figure]:
    """Figures a beyond-the-source rule may take from the named references it cites: those that
    sources.yaml records for the reference (its detail and note), so they stay reviewable."""
    found: set[Figure] = set()
    for citation in rule.citations:
        reference = spec.source(citation)
        if reference is not None and not reference.in_source:
            found |= set(figures(f"{reference.detail} {reference.note}"))
    return found


def _figure_findings(spec: Spec, source: SourceText) -> Iterator[Finding]:
    spans: dict[str, set[Figure]] = {}
    for entry in spec.catalogue:
        for locator in _good_locators(source, entry):
            stated = set(figures(_MARKER_AT_END.sub("", source.span(locator) or "")))
            for rule_id in entry.rules:
                spans.setdefault(rule_id, set()).update(stated)
    for table in spec.tables:
        for rule in table.rules:
            stated = spans.get(rule.id, set()) | _beyond_figures(spec, rule)
            numbers = cell_numbers(table, rule)
            texts = [("annotation", rule.annotation)]
            texts += [(column.name, column.label_of(value)) for column, value in zip(table.outputs, rule.outputs,
                                                                                      strict=False)]
            for column, text in texts:
                strays = [f for f in dict.fromkeys(figures(text)) if not supported(f, stated, numbers)]
                if strays:
                    shown = ", ".join(str(f) for f in strays)
                    where = ("its annotation" if column == "annotation"
                             else f"the label of its output {column!r} (declared in {table.meta_file})")
                    yield Finding(
                        KIND, ERROR,
                        f"rule {rule.id}: {where} states {shown}, a figure found neither in the source words of "
                        "the statements it encodes nor in its own cells",
                        table=table.name, file=table.file, rules=(rule.id,), row=rule.row, column=column,
                    )


_MARKED_BEYOND = re.compile(r"\bbeyond the source\b", re.IGNORECASE)


def _beyond_findings(spec: Spec) -> Iterator[Finding]:
    """A rule is marked beyond the source in its annotation exactly when it cites a named
    reference outside the source: neither the mark nor the reference can go missing alone."""
    for table in spec.tables:
        for rule in table.rules:
            cites = beyond_the_source(spec, rule)
            marked = bool(_MARKED_BEYOND.search(rule.annotation))
            if cites == marked:
                continue
            if cites:
                problem = ("cites a named reference beyond the source but its annotation does not say so "
                           "(write 'Beyond the source: ...')")
                column = "annotation"
            else:
                problem = "is marked beyond the source in its annotation but cites no named reference beyond it"
                column = "citations"
            yield Finding(KIND, ERROR, f"rule {rule.id} {problem}", table=table.name, file=table.file,
                          rules=(rule.id,), row=rule.row, column=column)


def _question_findings(spec: Spec) -> Iterator[Finding]:
    """Open-question links are entered twice, on the rule and on the question, and must agree:
    a link moved to the wrong question, or dropped on one side, shows as a difference."""
    listed = {q.id: set(q.rules) for q in spec.open_questions}
    rule_ids: set[str] = set()
    for table in spec.tables:
        for rule in table.rules:
            rule_ids.add(rule.id)
            named = set(rule.open_questions)
            listing = {q for q, rules in listed.items() if rule.id in rules}
            if named != listing:
                yield Finding(
                    KIND, ERROR,
                    f"rule {rule.id} names open questions {_show(named)}, but open_questions.yaml lists it under "
                    f"{_show(listing)}: make the rule's open_questions and the questions' rules agree",
                    table=table.name, file=table.file, rules=(rule.id,), row=rule.row, column="open_questions",
                )
    for question in spec.open_questions:
        for rule_id in sorted(set(question.rules) - rule_ids):
            yield Finding(KIND, ERROR, f"{question.id} lists rule {rule_id!r}, which no table has",
                          file="open_questions.yaml", column=question.id)


ANALYZERS = [trace_findings]


def coverage_of(spec: Spec) -> TraceCoverage | None:
    """The trace coverage of a spec; None when its source is missing or unreadable."""
    try:
        source = load_source(spec)
    except SourceTextError:
        return None
    return None if source is None else coverage(spec, source)
