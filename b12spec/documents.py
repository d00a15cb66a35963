"""The shape of each YAML file of spec/, declared once with pydantic; violations become Problems.

Why pydantic: the models state each file's keys, types and defaults in one place, strict mode
refuses what YAML silently converts (``yes`` for a text value, ``"12"`` for a number), and each
violation comes back with a path (``fields.diet.values.2``) and a type, which is exactly a typed
problem. A new rule is a field or a validator here, not a branch of a loading function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)

from b12spec.errors import Problem, did_you_mean
from b12spec.model import FieldType, HitPolicy


def _text(value: Any) -> Any:
    """Ids and unary-test cells may be written bare (``1``, ``true``); they are text all the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


def repeated(values: Iterable[str]) -> list[str]:
    """The values given more than once, sorted: the one test behind every "twice" refusal."""
    seen: set[str] = set()
    again: set[str] = set()
    for value in values:
        (again if value in seen else seen).add(value)
    return sorted(again)


def _once(values: list[str]) -> list[str]:
    """A list of ids names each once: a second mention says nothing and usually hides a typo."""
    twice = repeated(values)
    if twice:
        raise ValueError(f"listed twice: {', '.join(twice)}; name each once")
    return values


# semver.org's grammar: the sign-off ledger orders released versions by it
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def _semantic_version(value: str) -> str:
    if not SEMVER.match(value):
        raise ValueError(f"must be a semantic version MAJOR.MINOR.PATCH such as 0.1.0, got {value!r}")
    return value


Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Ids = Annotated[list[Id], AfterValidator(_once)]
Cell = Annotated[str, BeforeValidator(_text)]
PositiveNumber = Annotated[float, Field(gt=0)]
T = TypeVar("T", bound="_Document")


class _Document(BaseModel):
    # extra="forbid": a misspelt key (``requird: true``, ``in_sorce: false``) would otherwise be
    # dropped and its key silently take the default, changing what the spec means.
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


def _listed_twice(values: list[str]) -> None:
    duplicates = repeated(values)
    if duplicates:
        raise ValueError(f"allowed values listed twice: {', '.join(duplicates)}")


class GuidelineDoc(_Document):
    title: Text
    version: Annotated[str, AfterValidator(_semantic_version)]
    source_file: Text
    source_updated: Text
    summary: Text
    disclaimer: Text
    source_review_status: str = ""  # the source article's own editorial state, shown beside the disclaimer


class FieldDoc(_Document):
    type: Annotated[FieldType, Strict(False)]
    description: str = ""
    required: bool = False
    unit: str | None = None
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    precision: PositiveNumber = 1.0
    units: dict[str, PositiveNumber] | None = None
    values: list[str] | dict[str, str] | None = None

    @model_validator(mode="after")
    def _by_type(self) -> FieldDoc:
        if self.type is FieldType.NUMBER:
            if self.range is None:
                raise ValueError("a number field needs range: [minimum, maximum] (the plausible values)")
            if self.range[0] > self.range[1]:
                raise ValueError(f"range: the minimum {self.range[0]:g} exceeds the maximum {self.range[1]:g}")
            if self.unit and self.units is not None and self.units.get(self.unit) != 1:
                raise ValueError(f"the canonical unit {self.unit!r} must be among units, with factor 1")
        if self.type is FieldType.ENUM:
            if not self.values:
                raise ValueError("an enum field needs values: a list, or a mapping of value to label")
            _listed_twice(list(self.values))
        return self


class ContradictionDoc(_Document):
    id: Id
    when: Annotated[dict[str, Cell], Field(min_length=1)]  # none: a contradiction that never fires
    message: Text


class DictionaryDoc(_Document):
    fields: dict[str, dict[str, Any]]  # each field is validated on its own: one typo hides no other
    contradictions: list[ContradictionDoc] = []


class InputDoc(_Document):
    expression: Text
    label: str | None = None


class OutputDoc(_Document):
    name: Text
    label: str | None = None
    type: Literal["enum", "number", "boolean"] = "enum"
    values: list[str | dict[str, str]] = []

    @property
    def value_names(self) -> list[str]:
        return [k for item in self.values for k in (item if isinstance(item, dict) else [item])]

    @model_validator(mode="after")
    def _values(self) -> OutputDoc:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum output needs its allowed values")
        _listed_twice(self.value_names)
        return self


_NUMERIC_POLICIES = (HitPolicy.COLLECT_SUM, HitPolicy.COLLECT_MIN, HitPolicy.COLLECT_MAX)


class TableDoc(_Document):
    decision: Text
    title: Text
    purpose: Text
    hit_policy: Annotated[HitPolicy, Strict(False)]
    section: str = ""
    display_order: Annotated[int, Field(ge=0, le=9999)] = 100  # where the report shows the table
    inputs: list[InputDoc] = Field(min_length=1)
    outputs: list[OutputDoc] = Field(min_length=1)

    @model_validator(mode="after")
    def _columns_once(self) -> TableDoc:
        """An input or output declared twice would read one CSV column twice (it crashed check)."""
        for what, names in (("input", [i.expression for i in self.inputs]), ("output", [o.name for o in self.outputs])):
            twice = repeated(names)
            if twice:
                listed = ", ".join(twice)
                raise ValueError(f"{what} declared twice: {listed}; each column of the table is declared once")
        return self

    @model_validator(mode="after")
    def _policy_fits_outputs(self) -> TableDoc:
        policy = self.hit_policy
        if policy.aggregated and len(self.outputs) > 1:
            count = len(self.outputs)
            raise ValueError(f"hit policy {policy.value} aggregates a single output; this table has {count}")
        if policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER) and not all(o.values for o in self.outputs):
            raise ValueError(
                f"hit policy {policy.value} ranks results by each output's allowed values, highest priority first; "
                "list them"
            )
        if policy in _NUMERIC_POLICIES and any(o.type != "number" for o in self.outputs):
            raise ValueError(
                f"hit policy {policy.value} adds up or compares numbers; declare the output with type: number"
            )
        return self


class SourceDoc(_Document):
    id: Id
    title: Text
    detail: str = ""
    in_source: bool = True
    note: str = ""
    # "inferred": the source cites this number but does not say which work it is; b12spec's
    # reading of it (title, detail) is an inference the board has to confirm.
    attribution: Literal["stated", "inferred"] = "stated"


class QuestionDoc(_Document):
    id: Id
    title: Text
    question: Text
    references: Ids = []
    status: str = "open"
    rules: Ids = []


class LocatorDoc(_Document):
    """Where in the source a recommendation is: line, span and digest (``b12spec trace locate``)."""

    line: Annotated[int, Field(ge=0)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]


class RecommendationDoc(_Document):
    id: Id
    statement: Text
    section: str = ""
    citations: Ids = []
    rules: Annotated[list[Text], AfterValidator(_once)] = []
    narrative: str = ""
    locators: list[LocatorDoc] = []

    @model_validator(mode="after")
    def _carried(self) -> RecommendationDoc:
        if not self.rules and not self.narrative:
            raise ValueError("a recommendation must name the rules that carry it, or say why it is narrative")
        return self


def validate(model: type[T], data: Any, file: str) -> T | list[Problem]:
    """``data`` as ``model``, or every place where it does not fit, as problems of ``file``."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        return _problems(error, file, model)


def validate_list(model: type[T], data: Any, file: str) -> tuple[list[T], list[Problem]]:
    """A file holding a list of entries: the entries that fit, and the problems of the rest."""
    if not isinstance(data, list):
        return [], [Problem(file, f"expected a list of entries, got {type(data).__name__}")]
    found, problems = validate_each(model, enumerate(data), file)
    return [entry for _, entry in found], problems


def validate_each(
    model: type[T], entries: Iterable[tuple[Any, Any]], file: str, prefix: str = ""
) -> tuple[list[tuple[Any, T]], list[Problem]]:
    """Each (key, data) as ``model`` on its own; a problem's column starts with ``prefix`` and the key."""
    found: list[tuple[Any, T]] = []
    problems: list[Problem] = []
    for key, entry in entries:
        checked = validate(model, entry, file)
        if isinstance(checked, list):
            where = f"{prefix}{key}"
            problems += [Problem(file, p.message, column=f"{where}.{p.column}" if p.column else where) for p in checked]
        else:
            found.append((key, checked))
    return found, problems


def _problems(error: ValidationError, file: str, model: type[BaseModel]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for item in error.errors(include_url=False):
        # Union members and validators add their own names to the path: keep only the file's keys.
        path = ".".join(str(p) for p in item["loc"] if not (isinstance(p, str) and ("[" in p or p in _TAGS)))
        if item["type"] == "extra_forbidden":
            message = _unknown_key(item["loc"], model)
        else:
            message = _message(item)
        seen.setdefault(path, Problem(file, message, column=path or None))
    return list(seen.values())


def _unknown_key(loc: tuple[int | str, ...], model: type[BaseModel]) -> str:
    """An unknown key, the known key it most likely misspells, and the keys allowed where it is."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:  # list positions, mapping keys and union tags keep the model they are in
        if current is not None and isinstance(part, str) and part in current.model_fields:
            current = _model_in(current.model_fields[part].annotation)
    allowed = sorted(current.model_fields) if current is not None else []
    key = loc[-1]
    listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
    return f"unknown key {key!r}{did_you_mean(key, allowed)} (a misspelt key would silently take its default){listed}"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The document model inside a field's type (``list[InputDoc]``, ``InputDoc | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


_TAGS = {"str", "int", "float", "bool"}


def _message(item: Any) -> str:
    if item["type"] == "missing":
        return f"missing {item['loc'][-1]!r}"
    if item["type"] == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    shown = repr(item["input"])
    got = f"got {shown if len(shown) <= 80 else shown[:77] + '...'}"
    keys = [p for p in item["loc"] if isinstance(p, str) and not ("[" in p or p in _TAGS)]
    key = keys[-1] if keys else ""
    kind = str(item["type"])
    if "range" in keys and kind in ("float_type", "float_parsing", "list_type", "too_short", "too_long"):
        return f"a number field needs range: [minimum, maximum] (the plausible values), {got}"
    if key == "precision" and kind in ("greater_than", "float_type", "float_parsing"):
        return f"precision must be a positive number (the step measured), {got}"
    if key and kind == "list_type":
        return f"{key!r} must be a list, {got}"
    if key and kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{key!r} must be a whole number, {got}"
    if key and kind in ("bool_type", "bool_parsing"):
        return f"{key!r} must be true or false, {got}"
    message = f"{item['msg']}, {got}"
    if item["type"] == "string_type" and isinstance(item["input"], bool):
        message += " (quote it: YAML reads yes, no, true and false as booleans)"
    return message
