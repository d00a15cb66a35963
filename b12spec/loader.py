"""Reads spec/ into the frozen model, collecting every problem with its file, row and column.

Layout of spec/ (see spec/README.md)::

    guideline.yaml         identity, version, disclaimer
    dictionary.yaml        the input data dictionary and contradictions
    sources.yaml           references 1 to 4 of the source, and named references beyond it
    open_questions.yaml    questions for the advisory board
    catalogue.yaml         every recommendation of the source, traced to rules
    tables/NAME.yaml       a decision's metadata: hit policy, inputs, outputs and allowed values
    tables/NAME.csv        its rules: rule, one column per input and output, citations,
                           open_questions, annotation
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import Any

from b12spec.errors import CellLocation, SpecError, SpecErrors, UnaryTestSyntaxError
from b12spec.model import (
    Contradiction,
    DataDictionary,
    DataField,
    DecisionTable,
    FieldType,
    Guideline,
    HitPolicy,
    InputColumn,
    OpenQuestion,
    OutputColumn,
    Recommendation,
    Rule,
    Source,
    Spec,
    Unit,
)
from b12spec.safeload import SPEC_LIMITS, DataFileError, load_file, read_text
from b12spec.sourcetext import Locator
from b12spec.unary import Comparison, Interval, Literal, UnaryTest, Value, parse_literal, parse_unary_tests, strip_feel

META_COLUMNS = ("citations", "open_questions", "annotation")
OUTPUT_TYPES = ("enum", "number", "boolean")
RULE_COLUMN = "rule"


class _Problems:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[SpecError] = []

    def add(self, location: CellLocation | str, message: str) -> None:
        self.items.append(SpecError(location, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise SpecErrors(self.items)


def _read_yaml(path: Path, problems: _Problems) -> Any:
    if not path.exists():
        problems.add(CellLocation(str(path)), "file is missing")
        return None
    try:
        return load_file(path, SPEC_LIMITS)
    except DataFileError as error:
        problems.add(CellLocation(str(path)), f"line {error.line}: {error.detail}" if error.line else error.detail)
        return None


def _require(mapping: Any, key: str, where: CellLocation, problems: _Problems, kind: type = str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
        problems.add(where, f"missing {key!r}")
        return None
    value = mapping[key]
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        problems.add(where, f"{key!r} must be a {' or '.join(k.__name__ for k in kinds)}, got {value!r}")
        return None
    return value


def _optional(
    mapping: dict[str, Any], key: str, kinds: tuple[type, ...], default: Any, where: CellLocation, problems: _Problems
) -> Any:
    """An optional key's value when it has an allowed type, else a problem and ``default``.

    ``bool`` is never taken for a number (YAML's true is an int to Python), and text is never
    taken for a boolean (bool("false") is True): a sidecar saying ``required: "no"`` is an error.
    """
    value = mapping.get(key)
    if value is None:
        return default
    if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
        return value
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list"}
    wanted = " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
    problems.add(where, f"{key!r} must be {wanted}, got {value!r}")
    return default


def _entries(data: Any, path: Path, problems: _Problems) -> list[dict[str, Any]]:
    """The mappings of a YAML file that must hold a list of mappings; anything else is a problem."""
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(CellLocation(path.name), f"expected a list of entries, got {type(data).__name__}")
        return []
    entries = []
    for index, entry in enumerate(data, start=1):
        if isinstance(entry, dict):
            entries.append(entry)
        else:
            problems.add(CellLocation(path.name, column=f"entry {index}"), f"expected a mapping, got {entry!r}")
    return entries


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.replace(",", ";").split(";") if part.strip())


# --------------------------------------------------------------------------- dictionary


def load_dictionary(path: Path, problems: _Problems) -> DataDictionary:
    data = _read_yaml(path, problems) or {}
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        problems.add(CellLocation(str(path)), "expected fields: a mapping of field name to its definition")
        data = {}
    fields: list[DataField] = []
    for name, entry in (data.get("fields") or {}).items():
        where = CellLocation(str(path), column=str(name))
        if not isinstance(name, str):
            problems.add(where, f"a field name must be text, got {name!r}")
            continue
        if not isinstance(entry, dict):
            problems.add(where, "each field needs a mapping with type, description and required")
            continue
        type_text = _require(entry, "type", where, problems)
        try:
            field_type = FieldType(type_text)
        except ValueError:
            problems.add(where, f"type {type_text!r} is not one of number, boolean, enum")
            continue
        units: tuple[Unit, ...] = ()
        values: tuple[str, ...] = ()
        labels: tuple[tuple[str, str], ...] = ()
        minimum = maximum = precision = None
        if field_type is FieldType.NUMBER:
            span = entry.get("range")
            if not (isinstance(span, list) and len(span) == 2 and all(_is_number_value(x) for x in span)):
                problems.add(where, "a number field needs range: [minimum, maximum] (the plausible values)")
                continue
            minimum, maximum = float(span[0]), float(span[1])
            if minimum > maximum:
                problems.add(where, f"range: the minimum {minimum:g} exceeds the maximum {maximum:g}")
            precision_given = entry.get("precision", 1)
            if isinstance(precision_given, bool) or not isinstance(precision_given, (int, float)):
                problems.add(where, f"precision must be a number, got {precision_given!r}")
                continue
            precision = float(precision_given)
            if precision <= 0:
                problems.add(where, f"precision must be a positive number (the step measured), got {precision_given!r}")
                continue
            canonical = entry.get("unit") if isinstance(entry.get("unit"), str) else None
            unit_map = entry.get("units") or ({canonical: 1} if canonical else {})
            factors_ok = isinstance(unit_map, dict) and all(
                isinstance(f, (int, float)) and not isinstance(f, bool) and f > 0 for f in unit_map.values()
            )
            if not factors_ok:
                problems.add(where, f"units must map each unit to a positive number: how much of it is 1 {canonical}")
                continue
            units = tuple(Unit(str(symbol), float(factor)) for symbol, factor in unit_map.items())
            if canonical and canonical not in unit_map:
                problems.add(where, f"the canonical unit {canonical!r} must be among units")
            elif canonical and unit_map[canonical] != 1:
                problems.add(where, f"the canonical unit {canonical!r} must have factor 1, got {unit_map[canonical]!r}")
        elif field_type is FieldType.ENUM:
            raw = entry.get("values")
            if not isinstance(raw, (list, dict)) or not raw:
                problems.add(where, "an enum field needs values: a list, or a mapping of value to label")
                continue
            if isinstance(raw, dict):
                values = tuple(str(v) for v in raw)
                labels = tuple((str(k), str(v)) for k, v in raw.items())
            else:
                values = tuple(str(v) for v in raw)
            _check_enum_values(list(raw), where, problems)
        fields.append(
            DataField(
                name=name,
                type=field_type,
                description=str(entry.get("description", "")),
                required=_optional(entry, "required", (bool,), False, where, problems),
                unit=_optional(entry, "unit", (str,), None, where, problems),
                units=units,
                minimum=minimum,
                maximum=maximum,
                precision=precision,
                values=values,
                value_labels=labels,
            )
        )
    dictionary = DataDictionary(tuple(fields))
    contradictions: list[Contradiction] = []
    listed = _optional(data, "contradictions", (list,), [], CellLocation(str(path), column="contradictions"), problems)
    for index, entry in enumerate(listed, start=1):
        where = CellLocation(str(path), column=f"contradictions[{index}]")
        if not isinstance(entry, dict) or not isinstance(entry.get("when"), dict):
            problems.add(where, "a contradiction needs id, when (a mapping of field to unary test) and message")
            continue
        when: list[tuple[str, UnaryTest]] = []
        for field_name, cell in (entry.get("when") or {}).items():
            if dictionary.get(field_name) is None:
                problems.add(where, f"unknown field {field_name!r}")
                continue
            try:
                when.append((field_name, parse_unary_tests(_cell_text(cell))))
            except UnaryTestSyntaxError as error:
                problems.add(where, f"{field_name}: {error}")
        contradictions.append(Contradiction(str(entry.get("id", index)), tuple(when), str(entry.get("message", ""))))
    return DataDictionary(tuple(fields), tuple(contradictions))


def _check_enum_values(raw: list[Any], where: CellLocation, problems: _Problems) -> None:
    """Allowed values are text: YAML reads yes, no, on, off and 12 as other types, silently."""
    for value in raw:
        if not isinstance(value, str):
            problems.add(where, f"allowed value {value!r} is not text; quote it (YAML reads yes/no as booleans)")
    duplicates = sorted({str(v) for v in raw if raw.count(v) > 1})
    if duplicates:
        problems.add(where, f"allowed values listed twice: {', '.join(duplicates)}")


def _cell_text(value: Any) -> str:
    """YAML turns `true` and `12` into Python values; tests are written as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --------------------------------------------------------------------------- tables


def load_table(
    meta_path: Path, problems: _Problems, root: Path | None = None, fields: tuple[str, ...] = ()
) -> DecisionTable | None:
    shown = str(meta_path.relative_to(root)) if root else str(meta_path)
    before = len(problems.items)
    meta = _read_yaml(meta_path, problems)
    where = CellLocation(shown)
    if not isinstance(meta, dict):
        if meta is not None:
            problems.add(where, "the table's metadata must be a mapping")
        elif len(problems.items) == before:  # read fine, but empty: the table would vanish silently
            needs = "decision, title, purpose, hit_policy, inputs, outputs"
            problems.add(where, f"the metadata is empty; a table needs {needs}")
        return None
    name = _require(meta, "decision", where, problems)
    title = _require(meta, "title", where, problems)
    purpose = _require(meta, "purpose", where, problems)
    policy_text = _require(meta, "hit_policy", where, problems)
    hit_policy = None
    if policy_text is not None:
        try:
            hit_policy = HitPolicy(policy_text)
        except ValueError:
            allowed = ", ".join(p.value for p in HitPolicy)
            problems.add(
                CellLocation(shown, column="hit_policy"), f"unknown hit policy {policy_text!r}; allowed: {allowed}"
            )
    inputs: list[InputColumn] = []
    for entry in _optional(meta, "inputs", (list,), [], CellLocation(shown, column="inputs"), problems):
        expression = entry.get("expression") if isinstance(entry, dict) else None
        if not expression:
            problems.add(CellLocation(shown, column="inputs"), "each input needs an expression")
            continue
        expression = str(expression)
        decision = expression.split(".", 1)[0] if "." in expression and expression not in fields else None
        inputs.append(InputColumn(expression, str(entry.get("label", expression)), decision))
    outputs: list[OutputColumn] = []
    for entry in _optional(meta, "outputs", (list,), [], CellLocation(shown, column="outputs"), problems):
        out_name = entry.get("name") if isinstance(entry, dict) else None
        if not out_name:
            problems.add(CellLocation(shown, column="outputs"), "each output needs a name")
            continue
        out_type = FieldType(entry.get("type", "enum")) if entry.get("type", "enum") in OUTPUT_TYPES else None
        if out_type is None:
            problems.add(
                CellLocation(shown, column=out_name),
                f"output type {entry.get('type')!r} is not one of {', '.join(OUTPUT_TYPES)}",
            )
            continue
        values: list[str] = []
        labels: list[tuple[str, str]] = []
        listed_values = _optional(entry, "values", (list,), [], CellLocation(shown, column=str(out_name)), problems)
        for item in listed_values:
            if isinstance(item, dict):
                for k, v in item.items():
                    values.append(str(k))
                    labels.append((str(k), str(v)))
            else:
                values.append(str(item))
        raw_values = [k for item in listed_values for k in (item if isinstance(item, dict) else [item])]
        _check_enum_values(raw_values, CellLocation(shown, column=out_name), problems)
        if out_type is FieldType.ENUM and not values:
            problems.add(CellLocation(shown, column=out_name), "an enum output needs its allowed values")
        outputs.append(
            OutputColumn(str(out_name), str(entry.get("label", out_name)), out_type, tuple(values), tuple(labels))
        )
    if not inputs:
        problems.add(where, "a table needs at least one input")
    if not outputs:
        problems.add(where, "a table needs at least one output")
    if hit_policy is not None and hit_policy.aggregated and len(outputs) > 1:
        problems.add(where, f"hit policy {hit_policy.value} aggregates a single output; this table has {len(outputs)}")
    if hit_policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER):
        for output in outputs:
            if not output.values:
                problems.add(
                    CellLocation(shown, column=output.name),
                    f"hit policy {hit_policy.value} ranks results by the output's allowed values, "
                    "highest priority first; list them",
                )
    numeric_policies = (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX)
    if hit_policy in numeric_policies and any(o.type is not FieldType.NUMBER for o in outputs):
        problems.add(
            CellLocation(shown, column="hit_policy"),
            f"hit policy {hit_policy.value} adds up or compares numbers; declare the output with type: number",
        )

    order = _optional(meta, "display_order", (int,), 100, CellLocation(shown, column="display_order"), problems)
    csv_path = meta_path.with_suffix(".csv")
    rules = _load_rules(csv_path, shown.replace(".yaml", ".csv"), inputs, outputs, problems)
    if name is None or title is None or purpose is None or hit_policy is None:
        return None
    return DecisionTable(
        name=name,
        title=title,
        purpose=purpose,
        hit_policy=hit_policy,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        rules=tuple(rules),
        file=shown.replace(".yaml", ".csv"),
        meta_file=shown,
        section=str(meta.get("section", "")),
        display_order=order,
    )


def _load_rules(
    path: Path, shown: str, inputs: list[InputColumn], outputs: list[OutputColumn], problems: _Problems
) -> list[Rule]:
    if not path.exists():
        problems.add(CellLocation(shown), "the rules file is missing")
        return []
    try:
        text = read_text(path, SPEC_LIMITS, shown)  # size-bounded; a spreadsheet's byte order mark dropped
    except DataFileError as error:
        problems.add(CellLocation(shown, row=error.line), f"not a readable UTF-8 CSV file: {error.detail}")
        return []
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows.extend(reader)
    except csv.Error as error:
        # strict: a stray quote is an error, not a cell that silently swallows the rules after it
        problems.add(
            CellLocation(shown, row=len(rows) + 1),
            f"a quote in this row is not closed where its cell ends ({error}); "
            "the row and the rows after it cannot be read: close the quote or double it (\"\")",
        )
        return []
    if not rows:
        problems.add(CellLocation(shown, row=1), "the file is empty; expected a header row")
        return []
    header = [h.strip() for h in rows[0]]
    for index, column in enumerate(header):
        if column in header[:index]:
            first = header.index(column) + 1
            problems.add(
                CellLocation(shown, row=1, column=column),
                f"column written twice (columns {first} and {index + 1}); which holds the entries cannot be guessed",
            )
    expected = [RULE_COLUMN, *(c.expression for c in inputs), *(o.name for o in outputs), *META_COLUMNS]
    for column in header:
        if column not in expected:
            hint = difflib.get_close_matches(column, expected, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.add(
                CellLocation(shown, row=1, column=column), f"unknown column{extra}; expected: {', '.join(expected)}"
            )
    for column in expected:
        if column not in header:
            problems.add(CellLocation(shown, row=1, column=column), "missing column (declared in the table's metadata)")
    if any(c not in header for c in expected):
        return []
    position = {column: header.index(column) for column in header}
    rules: list[Rule] = []
    seen_ids: dict[str, int] = {}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row = raw + [""] * (len(header) - len(raw))
        if len(raw) > len(header):
            problems.add(CellLocation(shown, row=line), f"{len(raw)} cells but the header has {len(header)}")
        rule_id = row[position[RULE_COLUMN]].strip()
        if not rule_id:
            problems.add(
                CellLocation(shown, row=line, column=RULE_COLUMN), "every rule needs a stable id such as DX-03"
            )
        elif rule_id in seen_ids:
            problems.add(
                CellLocation(shown, row=line, column=RULE_COLUMN),
                f"duplicate rule id {rule_id!r} (first used on row {seen_ids[rule_id]})",
            )
        else:
            seen_ids[rule_id] = line
        tests: list[UnaryTest] = []
        texts: list[str] = []
        for input_column in inputs:
            cell = strip_feel(row[position[input_column.expression]])
            texts.append(cell)
            try:
                tests.append(parse_unary_tests(cell))
            except UnaryTestSyntaxError as error:
                problems.add(
                    CellLocation(shown, row=line, column=input_column.expression), f"not a valid unary test: {error}"
                )
                tests.append(UnaryTest())
        values: list[Value] = []
        for output in outputs:
            cell = strip_feel(row[position[output.name]])
            values.append(_output_value(cell, output, CellLocation(shown, row=line, column=output.name), problems))
        citations = _split(row[position["citations"]])
        if not citations:
            problems.add(
                CellLocation(shown, row=line, column="citations"),
                "every rule must cite the source (a reference number such as 1)",
            )
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
        problems.add(CellLocation(shown), "the table has no rules")
    return rules


def _output_value(cell: str, column: OutputColumn, where: CellLocation, problems: _Problems) -> Value:
    if not cell:
        problems.add(where, "an output entry is required")
        return None
    if column.type is FieldType.NUMBER:
        try:
            value = parse_literal(cell)
        except UnaryTestSyntaxError as error:
            problems.add(where, f"expected a number: {error}")
            return None
        if isinstance(value, bool) or not isinstance(value, float):
            problems.add(where, f"expected a number, got {cell!r}")
            return None
        return value
    if column.type is FieldType.BOOLEAN:
        if cell not in ("true", "false"):
            problems.add(where, f"expected true or false, got {cell!r}")
            return None
        return cell == "true"
    text = _enum_text(cell, where, problems)
    if text is None:
        return None
    if text not in column.values:
        hint = difflib.get_close_matches(text, column.values, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        problems.add(where, f"{text!r} is not an allowed value{extra}; allowed: {', '.join(column.values)}")
    return text


def _enum_text(cell: str, where: CellLocation, problems: _Problems) -> str | None:
    """An enum output entry: a bare value as written, or a FEEL string whose escapes are decoded
    exactly as in input entries (the same grammar reads both)."""
    if not cell.startswith('"'):
        return cell
    try:
        value = parse_literal(cell)
    except UnaryTestSyntaxError as error:
        problems.add(where, f"not a valid string: {error}")
        return None
    if not isinstance(value, str):
        problems.add(where, f"expected one of the allowed values, got {cell!r}")
        return None
    return value


# --------------------------------------------------------------------------- the rest


def load_spec(root: Path | str) -> Spec:
    """Load and cross-check a whole spec directory; raises SpecErrors listing every problem."""
    root = Path(root)
    problems = _Problems()
    guideline = _load_guideline(root / "guideline.yaml", problems)
    dictionary = load_dictionary(root / "dictionary.yaml", problems)
    sources = _load_sources(root / "sources.yaml", problems)
    questions = _load_questions(root / "open_questions.yaml", problems)
    tables: list[DecisionTable] = []
    table_dir = root / "tables"
    for meta_path in sorted(table_dir.glob("*.yaml")):
        table = load_table(meta_path, problems, root, dictionary.names)
        if table is not None:
            tables.append(table)
    for csv_path in sorted(table_dir.glob("*.csv")):
        if not csv_path.with_suffix(".yaml").exists():
            problems.add(CellLocation(str(csv_path.relative_to(root))), "rules without metadata: add a sidecar .yaml")
    catalogue = _load_catalogue(root / "catalogue.yaml", problems)
    spec = Spec(
        guideline=guideline,
        dictionary=dictionary,
        tables=tuple(tables),
        sources=sources,
        open_questions=questions,
        catalogue=catalogue,
        root=str(root),
    )
    _cross_check(spec, problems)
    problems.raise_if_any()
    from b12spec.requirements import evaluation_order

    return Spec(**{**spec.__dict__, "order": evaluation_order(spec)})


def _load_guideline(path: Path, problems: _Problems) -> Guideline:
    data = _read_yaml(path, problems) or {}
    where = CellLocation(str(path.name))
    values = {
        key: _require(data, key, where, problems) or ""
        for key in ("title", "version", "source_file", "source_updated", "summary", "disclaimer")
    }
    return Guideline(**values, source_review_status=str(data.get("source_review_status") or "").strip())


def _load_sources(path: Path, problems: _Problems) -> tuple[Source, ...]:
    data = _read_yaml(path, problems)
    sources: list[Source] = []
    for entry in _entries(data, path, problems):
        where = CellLocation(path.name, column=str(entry.get("id")))
        source_id = _require(entry, "id", where, problems, kind=(str, int))  # type: ignore[arg-type]
        title = _require(entry, "title", where, problems)
        if source_id is None or title is None:
            continue
        sources.append(
            Source(
                str(source_id),
                title,
                str(entry.get("detail", "")),
                _optional(entry, "in_source", (bool,), True, where, problems),
                str(entry.get("note", "")),
            )
        )
    return tuple(sources)


def _load_questions(path: Path, problems: _Problems) -> tuple[OpenQuestion, ...]:
    data = _read_yaml(path, problems)
    questions: list[OpenQuestion] = []
    for entry in _entries(data, path, problems):
        where = CellLocation(path.name, column=str(entry.get("id")))
        qid = _require(entry, "id", where, problems)
        title = _require(entry, "title", where, problems)
        question = _require(entry, "question", where, problems)
        if qid and title and question:
            questions.append(
                OpenQuestion(
                    qid,
                    title,
                    question,
                    tuple(str(r) for r in _optional(entry, "references", (list,), [], where, problems)),
                    str(entry.get("status", "open")),
                    tuple(str(r) for r in _optional(entry, "rules", (list,), [], where, problems)),
                )
            )
    return tuple(questions)


def _load_catalogue(path: Path, problems: _Problems) -> tuple[Recommendation, ...]:
    data = _read_yaml(path, problems)
    entries: list[Recommendation] = []
    for entry in _entries(data, path, problems):
        where = CellLocation(path.name, column=str(entry.get("id")))
        rid = _require(entry, "id", where, problems)
        statement = _require(entry, "statement", where, problems)
        if not rid or not statement:
            continue
        citations = tuple(str(c) for c in _optional(entry, "citations", (list,), [], where, problems))
        rules = tuple(str(r) for r in _optional(entry, "rules", (list,), [], where, problems))
        narrative = str(entry.get("narrative") or "")
        if not rules and not narrative:
            problems.add(where, "a recommendation must name the rules that carry it, or say why it is narrative")
        locators = _locators(entry.get("locators"), where, problems)
        entries.append(
            Recommendation(rid, str(entry.get("section", "")), statement, citations, rules, narrative, locators)
        )
    return tuple(entries)


_LOCATOR_KEYS = ("line", "start", "end", "digest")


def _locators(raw: Any, where: CellLocation, problems: _Problems) -> tuple[Locator, ...]:
    """An entry's locators: each a mapping of line, start, end (integers) and digest (hex text)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(where, "locators must be a list of {line, start, end, digest}")
        return ()
    found: list[Locator] = []
    for index, item in enumerate(raw, start=1):
        here = CellLocation(where.file, column=f"{where.column} locators[{index}]")
        if not isinstance(item, dict) or sorted(item) != sorted(_LOCATOR_KEYS):
            problems.add(here, "a locator is a mapping of exactly line, start, end and digest (b12spec trace locate)")
            continue
        numbers = [item[k] for k in ("line", "start", "end")]
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in numbers):
            problems.add(here, f"line, start and end must be whole numbers of 0 or more, got {numbers}")
            continue
        digest = item["digest"]
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{16}", digest):
            problems.add(here, f"digest must be 16 lowercase hex digits in quotes, got {digest!r}")
            continue
        found.append(Locator(line=numbers[0], start=numbers[1], end=numbers[2], digest=digest))
    return tuple(found)


def _cross_check(spec: Spec, problems: _Problems) -> None:
    """Every reference between files must resolve: fields, decisions, citations, questions."""
    source_ids = {s.id for s in spec.sources}
    question_ids = {q.id for q in spec.open_questions}
    names = [t.name for t in spec.tables]
    for duplicate in {n for n in names if names.count(n) > 1}:
        problems.add(CellLocation("tables"), f"decision {duplicate!r} is defined twice")
    rule_ids: dict[str, str] = {}
    for table in spec.tables:
        for position, column in enumerate(table.inputs):
            _check_input(spec, table, column, problems)
            domain = _input_domain(spec, column)
            if domain is not None:
                _check_entries(table, position, column, domain, problems)
        for rule in table.rules:
            if rule.id in rule_ids and rule_ids[rule.id] != table.file:
                problems.add(
                    CellLocation(table.file, row=rule.row, column=RULE_COLUMN),
                    f"rule id {rule.id!r} is also used in {rule_ids[rule.id]}",
                )
            rule_ids.setdefault(rule.id, table.file)
            for citation in rule.citations:
                if citation not in source_ids:
                    problems.add(
                        CellLocation(table.file, row=rule.row, column="citations"),
                        f"unknown reference {citation!r}; known: {', '.join(sorted(source_ids))}",
                    )
            for question in rule.open_questions:
                if question not in question_ids:
                    problems.add(
                        CellLocation(table.file, row=rule.row, column="open_questions"),
                        f"unknown open question {question!r}; known: {', '.join(sorted(question_ids))}",
                    )
    for entry in spec.catalogue:
        for rule_id in entry.rules:
            if rule_id not in rule_ids:
                problems.add(
                    CellLocation("catalogue.yaml", column=entry.id), f"names rule {rule_id!r}, which no table has"
                )
        for citation in entry.citations:
            if citation not in source_ids:
                problems.add(CellLocation("catalogue.yaml", column=entry.id), f"unknown reference {citation!r}")


def _input_domain(spec: Spec, column: InputColumn) -> tuple[FieldType, tuple[str, ...]] | None:
    """The type and allowed values an input column's entries are tested against, when known."""
    field = spec.dictionary.get(column.expression)
    if field is not None:
        return field.type, field.values
    if column.decision is None:
        return None
    try:
        upstream = spec.table(column.decision)
    except KeyError:
        return None
    if upstream.hit_policy.aggregated:
        return FieldType.NUMBER, ()
    for output in upstream.outputs:
        if output.name == column.output:
            return output.type, output.values
    return None


def _check_entries(
    table: DecisionTable,
    position: int,
    column: InputColumn,
    domain: tuple[FieldType, tuple[str, ...]],
    problems: _Problems,
) -> None:
    """An input entry that can never match its input (a typo, a wrong type) is a dead rule: refuse it."""
    kind, allowed = domain
    for rule in table.rules:
        if position >= len(rule.inputs):
            continue
        for test in rule.inputs[position].tests:
            fault = _entry_fault(test, kind, allowed)
            if fault:
                problems.add(CellLocation(table.file, row=rule.row, column=column.expression), fault)


def _entry_fault(test: object, kind: FieldType, allowed: tuple[str, ...]) -> str:
    if isinstance(test, (Comparison, Interval)) or (isinstance(test, Literal) and _is_number_value(test.value)):
        return "" if kind is FieldType.NUMBER else f"{test} tests a number, but this input is {kind.value}"
    if isinstance(test, Literal) and isinstance(test.value, bool):
        return "" if kind is FieldType.BOOLEAN else f"{test} tests a boolean, but this input is {kind.value}"
    if isinstance(test, Literal) and isinstance(test.value, str):
        if kind is not FieldType.ENUM:
            return f"{test} tests a string, but this input is {kind.value}"
        if test.value not in allowed:
            hint = difflib.get_close_matches(test.value, allowed, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            return f"{test} is not an allowed value of this input{extra}; allowed: {', '.join(allowed)}"
    return ""


def _is_number_value(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_input(spec: Spec, table: DecisionTable, column: InputColumn, problems: _Problems) -> None:
    where = CellLocation(table.meta_file, column=column.expression)
    field = spec.dictionary.get(column.expression)
    if field is not None:
        prefix = column.expression.split(".", 1)[0]
        if "." in column.expression and prefix in {t.name for t in spec.tables}:
            problems.add(where, f"{column.expression!r} is both a field and a decision output; rename one")
        return
    if column.decision is None:
        hint = difflib.get_close_matches(column.expression, spec.dictionary.names, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        problems.add(where, f"{column.expression!r} is neither a data-dictionary field nor decision.output{extra}")
        return
    decision, output = column.expression.split(".", 1)
    try:
        upstream = spec.table(decision)
    except KeyError:
        candidates = [*spec.dictionary.names, *(f"{t.name}.{o.name}" for t in spec.tables for o in t.outputs)]
        hint = difflib.get_close_matches(column.expression, candidates, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        problems.add(where, f"no decision named {decision!r} and no field {column.expression!r}{extra}")
        return
    if output not in {o.name for o in upstream.outputs}:
        problems.add(where, f"decision {decision!r} has no output {output!r}")
    elif not (upstream.hit_policy.single_hit or upstream.hit_policy.aggregated):
        problems.add(
            where,
            f"decision {decision!r} has hit policy {upstream.hit_policy.value}, which gives a list; "
            "only single-hit or aggregated outputs can be tested",
        )
