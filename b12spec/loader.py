"""Builds the frozen model from the parsed files of spec/, collecting every problem as a Problem.

Layout of spec/ (see spec/README.md)::

    guideline.yaml         identity, version, disclaimer
    dictionary.yaml        the input data dictionary and contradictions
    sources.yaml           references 1 to 4 of the source, and named references beyond it
    open_questions.yaml    questions for the advisory board
    catalogue.yaml         every recommendation of the source, traced to rules
    tables/NAME.yaml       a decision's metadata: hit policy, inputs, outputs and allowed values
    tables/NAME.csv        its rules: rule, one column per input and output, citations,
                           open_questions, annotation

The shape of each YAML file is declared in documents.py; this module adds what needs more than
one file (the CSV rules against their metadata, references between files). It reads nothing
itself: b12spec.workspace parses the files and hands them over as SpecFiles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from b12spec.documents import (
    DictionaryDoc,
    FieldDoc,
    GuidelineDoc,
    QuestionDoc,
    RecommendationDoc,
    SourceDoc,
    TableDoc,
    repeated,
    validate,
    validate_each,
    validate_list,
)
from b12spec.errors import DOMAIN, WIRING, Problem, SpecError, UnaryTestSyntaxError, did_you_mean
from b12spec.model import (
    Contradiction,
    DataDictionary,
    DataField,
    DecisionTable,
    FieldType,
    Guideline,
    InputColumn,
    OpenQuestion,
    OutputColumn,
    Recommendation,
    Rule,
    Source,
    Spec,
    Unit,
)
from b12spec.requirements import evaluation_order
from b12spec.sourcetext import Locator
from b12spec.unary import (
    Comparison,
    Interval,
    Literal,
    UnaryTest,
    Value,
    parse_literal,
    parse_unary_tests,
    strip_feel,
)

SPEC_FILES = ("guideline.yaml", "dictionary.yaml", "sources.yaml", "open_questions.yaml", "catalogue.yaml")
META_COLUMNS = ("citations", "open_questions", "annotation")
RULE_COLUMN = "rule"


@dataclass(frozen=True)
class SpecFiles:
    """A spec directory as parsed documents (path relative to it -> data), and the files that did not parse."""

    root: str
    documents: Mapping[str, Any] = field(default_factory=dict)
    unreadable: tuple[Problem, ...] = ()

    def get(self, name: str, problems: list[Problem]) -> Any:
        """A document, or None with a problem when it is missing (an unparsable one is reported already)."""
        if name not in self.documents and all(p.file != name for p in self.unreadable):
            problems.append(Problem(name, "file is missing"))
        return self.documents.get(name)


@dataclass(frozen=True)
class SpecParts:
    """What loads from each file on its own, before the references between files are checked."""

    dictionary: DataDictionary
    tables: tuple[DecisionTable, ...]
    problems: tuple[Problem, ...]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.replace(",", ";").split(";") if part.strip())


# --------------------------------------------------------------------------- dictionary


def build_dictionary(data: Any, problems: list[Problem]) -> DataDictionary:
    file = "dictionary.yaml"
    doc = validate(DictionaryDoc, data, file)
    if isinstance(doc, list):
        problems += doc
        return DataDictionary(())
    entries, field_problems = validate_each(FieldDoc, doc.fields.items(), file, "fields.")
    problems += field_problems
    fields: list[DataField] = []
    for name, entry in entries:
        raw = entry.values or {}
        given = entry.units or ({entry.unit: 1.0} if entry.unit else {})
        number = entry.type is FieldType.NUMBER and entry.range is not None
        fields.append(
            DataField(
                name=name,
                type=entry.type,
                description=entry.description,
                required=entry.required,
                unit=entry.unit,
                units=tuple(Unit(symbol, factor) for symbol, factor in given.items()) if number else (),
                minimum=entry.range[0] if number and entry.range else None,
                maximum=entry.range[1] if number and entry.range else None,
                precision=entry.precision if number else None,
                values=tuple(raw),
                value_labels=tuple(raw.items()) if isinstance(raw, dict) else (),
            )
        )
    dictionary = DataDictionary(tuple(fields))
    contradictions: list[Contradiction] = []
    for index, item in enumerate(doc.contradictions):
        when: list[tuple[str, UnaryTest]] = []
        for field_name, cell in item.when.items():
            column = f"contradictions.{index}.when.{field_name}"
            if dictionary.get(field_name) is None:
                problems.append(Problem(file, f"unknown field {field_name!r}", column=column))
                continue
            try:
                test = parse_unary_tests(cell)
            except UnaryTestSyntaxError as error:
                problems.append(Problem(file, f"not a valid unary test: {error}", column=column))
                continue
            data_field = dictionary.get(field_name)
            assert data_field is not None
            # a test that can never match ('"mal"' for male) would silently switch the contradiction off
            faults = [f for t in test.tests if (f := _entry_fault(t, data_field.type, data_field.values))]
            problems += [Problem(file, fault, column=column, kind=DOMAIN) for fault in faults]
            when.append((field_name, test))
        contradictions.append(Contradiction(item.id, tuple(when), item.message))
    return DataDictionary(tuple(fields), tuple(contradictions))


# --------------------------------------------------------------------------- tables


def build_table(
    shown: str, meta: Any, rows: list[list[str]] | None, problems: list[Problem], fields: tuple[str, ...] = ()
) -> DecisionTable | None:
    """One table from its metadata (``shown`` is its path) and the rows of its CSV (None: missing)."""
    csv_file = shown.removesuffix(".yaml") + ".csv"
    if meta is None:  # read fine, but empty: the table would vanish silently
        needs = "decision, title, purpose, hit_policy, inputs, outputs"
        problems.append(Problem(shown, f"the metadata is empty; a table needs {needs}"))
        return None
    doc = validate(TableDoc, meta, shown)
    if isinstance(doc, list):
        problems += doc
        return None
    inputs = []
    for entry in doc.inputs:
        dotted = "." in entry.expression and entry.expression not in fields
        decision = entry.expression.split(".", 1)[0] if dotted else None
        inputs.append(InputColumn(entry.expression, entry.label or entry.expression, decision))
    outputs = [
        OutputColumn(
            o.name,
            o.label or o.name,
            FieldType(o.type),
            tuple(o.value_names),
            tuple((k, v) for item in o.values if isinstance(item, dict) for k, v in item.items()),
        )
        for o in doc.outputs
    ]
    rules = _rules(csv_file, rows, inputs, outputs, problems) if rows is not None else []
    return DecisionTable(
        name=doc.decision,
        title=doc.title,
        purpose=doc.purpose,
        hit_policy=doc.hit_policy,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        rules=tuple(rules),
        file=csv_file,
        meta_file=shown,
        section=doc.section,
        display_order=doc.display_order,
    )


# Unicode's control, format (BOM, zero-width, bidi), separator and unassigned characters.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\xad\u0600-\u0605\u061c\u06dd\u070f\u1680\u180e\u2000-\u200f"
                        r"\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb]")


def _rules(
    shown: str, rows: list[list[str]], inputs: list[InputColumn], outputs: list[OutputColumn], problems: list[Problem]
) -> list[Rule]:
    if not rows:
        problems.append(Problem(shown, "the file is empty; expected a header row", row=1))
        return []
    header = [h.strip() for h in rows[0]]
    for index, column in enumerate(header):
        if column in header[:index]:
            first = header.index(column) + 1
            message = (
                f"column written twice (columns {first} and {index + 1}); which holds the entries cannot be guessed"
            )
            problems.append(Problem(shown, message, row=1, column=column))
    expected = [RULE_COLUMN, *(c.expression for c in inputs), *(o.name for o in outputs), *META_COLUMNS]
    for column in header:
        if column not in expected:
            message = f"unknown column{did_you_mean(column, expected)}; expected: {', '.join(expected)}"
            problems.append(Problem(shown, message, row=1, column=column))
    missing = [c for c in expected if c not in header]
    for column in missing:
        problems.append(Problem(shown, "missing column (declared in the table's metadata)", row=1, column=column))
    if missing:
        return []
    position = {column: header.index(column) for column in header}
    rules: list[Rule] = []
    seen_ids: dict[str, int] = {}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row = raw + [""] * (len(header) - len(raw))
        rule_id = row[position[RULE_COLUMN]].strip()

        def problem(message: str, column: str | None = None, line: int = line, rule_id: str = rule_id) -> None:
            problems.append(Problem(shown, message, row=line, column=column, rule=rule_id or None))

        if len(raw) != len(header):
            # a missing cell cannot be put back: which column lost it (an open question, the
            # annotation, an entry that shifted left) cannot be guessed
            problem(f"{len(raw)} cells but the header has {len(header)}; every row needs one cell per column")
        if not rule_id:
            problem("every rule needs a stable id such as DX-03", RULE_COLUMN)
        elif _INVISIBLE.search(rule_id):
            # a byte order mark or control character pasted into an id: the catalogue, the features
            # and the ledger then name a rule that seems to be there and is not
            problem(f"rule id {rule_id!r} holds an invisible or control character; write it plainly, such as DX-03",
                    RULE_COLUMN)
        elif rule_id in seen_ids:
            problem(f"duplicate rule id {rule_id!r} (first used on row {seen_ids[rule_id]})", RULE_COLUMN)
        else:
            seen_ids[rule_id] = line
        tests: list[UnaryTest] = []
        texts = [strip_feel(row[position[c.expression]]) for c in inputs]
        for input_column, cell in zip(inputs, texts, strict=True):
            try:
                tests.append(parse_unary_tests(cell))
            except UnaryTestSyntaxError as error:
                problem(f"not a valid unary test: {error}", input_column.expression)
                tests.append(UnaryTest())
        values = []
        for output in outputs:
            value, fault = _output_value(strip_feel(row[position[output.name]]), output)
            if fault:
                problem(fault, output.name)
            values.append(value)
        citations = _split(row[position["citations"]])
        if not citations:
            problem("every rule must cite the source (a reference number such as 1)", "citations")
        rules.append(
            Rule(
                id=rule_id,
                row=line,
                inputs=tuple(tests),
                outputs=tuple(values),
                citations=citations,
                open_questions=_split(row[position["open_questions"]]),
                annotation=row[position["annotation"]].strip(),
                input_text=tuple(texts),
            )
        )
    if not rules:
        problems.append(Problem(shown, "the table has no rules"))
    return rules


def _output_value(cell: str, column: OutputColumn) -> tuple[Value, str]:
    """The value of an output cell, and what is wrong with it (empty when nothing is)."""
    if not cell:
        return None, "an output entry is required"
    if column.type is FieldType.NUMBER:
        try:
            value = parse_literal(cell)
        except UnaryTestSyntaxError as error:
            return None, f"expected a number: {error}"
        if isinstance(value, bool) or not isinstance(value, float):
            return None, f"expected a number, got {cell!r}"
        return value, ""
    if column.type is FieldType.BOOLEAN:
        return (cell == "true", "") if cell in ("true", "false") else (None, f"expected true or false, got {cell!r}")
    text = cell
    if cell.startswith('"'):  # a FEEL string, its escapes decoded as in input entries (one grammar)
        try:
            decoded = parse_literal(cell)
        except UnaryTestSyntaxError as error:
            return None, f"not a valid string: {error}"
        if not isinstance(decoded, str):
            return None, f"expected one of the allowed values, got {cell!r}"
        text = decoded
    if text not in column.values:
        hint = did_you_mean(text, column.values)
        return text, f"{text!r} is not an allowed value{hint}; allowed: {', '.join(column.values)}"
    return text, ""


# --------------------------------------------------------------------------- the whole spec


def build_parts(files: SpecFiles) -> SpecParts:
    """The dictionary and every table, each built from its own files only."""
    problems = list(files.unreadable)
    dictionary = build_dictionary(files.get("dictionary.yaml", problems), problems)
    tables: list[DecisionTable] = []
    for name in sorted(n for n in files.documents if n.startswith("tables/") and n.endswith(".yaml")):
        rows = files.get(name.removesuffix(".yaml") + ".csv", problems)
        table = build_table(name, files.documents[name], rows, problems, dictionary.names)
        if table is not None:
            tables.append(table)
    for name in sorted(n for n in files.documents if n.startswith("tables/") and n.endswith(".csv")):
        sidecar = name.removesuffix(".csv") + ".yaml"
        if sidecar not in files.documents and all(p.file != sidecar for p in files.unreadable):
            message = f"rules without metadata: the sidecar {sidecar} (hit policy, inputs, outputs) is missing"
            problems.append(Problem(name, message))
    return SpecParts(dictionary, tuple(tables), tuple(problems))


def build_spec(files: SpecFiles) -> Spec:
    """The whole spec, cross-checked; raises SpecError listing every problem."""
    parts = build_parts(files)
    problems = list(parts.problems)
    guideline = validate(GuidelineDoc, files.get("guideline.yaml", problems), "guideline.yaml")
    if isinstance(guideline, list):
        problems += guideline
    sources, source_problems = validate_list(SourceDoc, files.get("sources.yaml", problems), "sources.yaml")
    questions, question_problems = validate_list(
        QuestionDoc, files.get("open_questions.yaml", problems), "open_questions.yaml"
    )
    catalogue, catalogue_problems = validate_list(
        RecommendationDoc, files.get("catalogue.yaml", problems), "catalogue.yaml"
    )
    problems += source_problems + question_problems + catalogue_problems
    spec = Spec(
        guideline=Guideline(**guideline.model_dump()) if not isinstance(guideline, list) else Guideline(*[""] * 6),
        dictionary=parts.dictionary,
        tables=parts.tables,
        sources=tuple(Source(s.id, s.title, s.detail, s.in_source, s.note, s.attribution) for s in sources),
        open_questions=tuple(
            OpenQuestion(q.id, q.title, q.question, tuple(q.references), q.status, tuple(q.rules)) for q in questions
        ),
        catalogue=tuple(
            Recommendation(
                r.id, r.section, r.statement, tuple(r.citations), tuple(r.rules), r.narrative,
                tuple(Locator(x.line, x.start, x.end, x.digest) for x in r.locators),
            )
            for r in catalogue
        ),
        root=files.root,
    )
    problems += cross_check(spec)
    if problems:
        raise SpecError(problems)
    return Spec(**{**spec.__dict__, "order": evaluation_order(spec)})


def cross_check(spec: Spec) -> list[Problem]:
    """Every reference between files must resolve: fields, decisions, citations, questions."""
    problems: list[Problem] = []
    source_ids = {s.id for s in spec.sources}
    question_ids = {q.id for q in spec.open_questions}
    entries = (
        ("sources.yaml", [s.id for s in spec.sources]),
        ("open_questions.yaml", [q.id for q in spec.open_questions]),
        ("catalogue.yaml", [r.id for r in spec.catalogue]),
        ("dictionary.yaml", [c.id for c in spec.dictionary.contradictions]),
    )
    for file, ids in entries:
        for twice in repeated(ids):
            message = f"the id {twice!r} is given to {ids.count(twice)} entries: which one is cited cannot be guessed"
            problems.append(Problem(file, message, column=twice))
    names = [t.name for t in spec.tables]
    for duplicate in repeated(names):
        problems.append(Problem("tables", f"decision {duplicate!r} is defined twice", kind=WIRING))
    rule_ids: dict[str, str] = {}
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            problems += _check_input(spec, table, column)
            domain = _input_domain(spec, column)
            if domain is not None:
                problems += _check_entries(table, position, column, domain)
        for rule in table.rules:
            found: list[tuple[str, str]] = []
            if rule.id in rule_ids and rule_ids[rule.id] != table.file:
                found.append((RULE_COLUMN, f"rule id {rule.id!r} is also used in {rule_ids[rule.id]}"))
            rule_ids.setdefault(rule.id, table.file)
            known = ", ".join(sorted(source_ids))
            found += [("citations", f"unknown reference {c!r}; known: {known}") for c in rule.citations
                      if c not in source_ids]
            known = ", ".join(sorted(question_ids))
            found += [("open_questions", f"unknown open question {q!r}; known: {known}") for q in rule.open_questions
                      if q not in question_ids]
            problems += [Problem(table.file, text, row=rule.row, column=column, rule=rule.id) for column, text in found]
    for question in spec.open_questions:
        known = ", ".join(sorted(source_ids))
        problems += [Problem("open_questions.yaml", f"unknown reference {r!r}; known: {known}", column=question.id)
                     for r in question.references if r not in source_ids]
    for entry in spec.catalogue:
        for rule_id in entry.rules:
            if rule_id not in rule_ids:
                message = f"names rule {rule_id!r}, which no table has"
                problems.append(Problem("catalogue.yaml", message, column=entry.id))
        for citation in entry.citations:
            if citation not in source_ids:
                problems.append(Problem("catalogue.yaml", f"unknown reference {citation!r}", column=entry.id))
    return problems


def _input_domain(spec: Spec, column: InputColumn) -> tuple[FieldType, tuple[str, ...]] | None:
    """The type and allowed values an input column's entries are tested against, when known."""
    data_field = spec.dictionary.get(column.expression)
    if data_field is not None:
        return data_field.type, data_field.values
    upstream = next((t for t in spec.tables if t.name == column.decision), None)
    if upstream is None:
        return None
    if upstream.hit_policy.aggregated:
        return FieldType.NUMBER, ()
    output = next((o for o in upstream.outputs if o.name == column.output), None)
    return None if output is None else (output.type, output.values)


def _check_entries(
    table: DecisionTable, position: int, column: InputColumn, domain: tuple[FieldType, tuple[str, ...]]
) -> list[Problem]:
    """An input entry that can never match its input (a typo, a wrong type) is a dead rule: refuse it."""
    kind, allowed = domain
    return [
        Problem(table.file, fault, row=rule.row, column=column.expression, kind=DOMAIN, rule=rule.id)
        for rule in table.rules
        if position < len(rule.inputs)
        for test in rule.inputs[position].tests
        if (fault := _entry_fault(test, kind, allowed))
    ]


def _entry_fault(test: object, kind: FieldType, allowed: tuple[str, ...]) -> str:
    number = isinstance(test, Literal) and isinstance(test.value, int | float) and not isinstance(test.value, bool)
    if isinstance(test, Comparison | Interval) or number:
        return "" if kind is FieldType.NUMBER else f"{test} tests a number, but this input is {kind.value}"
    if isinstance(test, Literal) and isinstance(test.value, bool):
        return "" if kind is FieldType.BOOLEAN else f"{test} tests a boolean, but this input is {kind.value}"
    if isinstance(test, Literal) and isinstance(test.value, str):
        if kind is not FieldType.ENUM:
            return f"{test} tests a string, but this input is {kind.value}"
        if test.value not in allowed:
            hint = did_you_mean(test.value, allowed)
            return f"{test} is not an allowed value of this input{hint}; allowed: {', '.join(allowed)}"
    return ""


def _check_input(spec: Spec, table: DecisionTable, column: InputColumn) -> list[Problem]:
    def problem(message: str) -> list[Problem]:
        return [Problem(table.meta_file, message, column=column.expression, kind=WIRING)]

    if spec.dictionary.get(column.expression) is not None:
        prefix = column.expression.split(".", 1)[0]
        if "." in column.expression and prefix in {t.name for t in spec.tables}:
            return problem(f"{column.expression!r} is both a field and a decision output; rename one")
        return []
    if column.decision is None:
        hint = did_you_mean(column.expression, spec.dictionary.names)
        return problem(f"{column.expression!r} is neither a data-dictionary field nor decision.output{hint}")
    decision, output = column.expression.split(".", 1)
    upstream = next((t for t in spec.tables if t.name == decision), None)
    if upstream is None:
        candidates = [*spec.dictionary.names, *(f"{t.name}.{o.name}" for t in spec.tables for o in t.outputs)]
        hint = did_you_mean(column.expression, candidates)
        return problem(f"no decision named {decision!r} and no field {column.expression!r}{hint}")
    if output not in {o.name for o in upstream.outputs}:
        return problem(f"decision {decision!r} has no output {output!r}")
    if not (upstream.hit_policy.single_hit or upstream.hit_policy.aggregated):
        return problem(
            f"decision {decision!r} has hit policy {upstream.hit_policy.value}, which gives a list; "
            "only single-hit or aggregated outputs can be tested"
        )
    return []
