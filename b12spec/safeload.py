"""The one way b12spec parses YAML and JSON: bounded, plain data only, every refusal located.

Case files and spec files come from people and tools we do not control. ``yaml.safe_load``
alone builds whatever the file asks for before anyone can look at it: a 559-byte alias bomb
expands to gigabytes, ``!!binary``/``!!set``/``!!timestamp`` build bytes, sets and dates,
``!!float abc`` crashes, a complex key (``? [1, 2]``) is unhashable, a 400-digit integer
overflows the first ``float()`` and ``.nan`` slips through every range check. So values are
built here from the parser's *events*, never by PyYAML's constructor:

- the file's size is checked before it is read, and its nesting depth and node count (aliases
  counted as fully expanded) while it is built, so nothing large is ever materialised;
- only the JSON-like types come out: mappings with scalar keys, lists, text, integers, finite
  floats, booleans and null; any explicit tag, merge key or complex key is refused;
- a key given twice is refused (naming both lines), not "last one wins";
- a number is at most ``max_number_chars`` long and finite, and written as YAML 1.2 and JSON read it
  too (``055`` octal, ``0b11`` binary and ``1:30`` base 60 are numbers only in YAML 1.1: refused).

JSON goes through the same limits (``NaN``/``Infinity`` refused, duplicate keys refused).
Every refusal is a ``DataFileError`` naming the file, the line when known, and what is allowed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from b12spec.errors import B12SpecError

# libyaml's parser when present (about ten times faster); only its events are used.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR, _NULL, _BOOL, _INT, _FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))
_MERGE = "tag:yaml.org,2002:merge"
# Spellings PyYAML (YAML 1.1) resolves to numbers that YAML 1.2 and JSON read otherwise: 055 is 45
# in YAML 1.1 and 55 in YAML 1.2, 1:30 is 90 (base 60) or text, 0b11 is 3 or text. Which one a
# person meant cannot be guessed, so they are refused (0x2D reads alike in both, and digits grouped
# with _ as in 1_500 mean one number whichever way they are read).
_YAML11_ONLY = re.compile(r"^[-+]?(0[0-7_]+$|0b|[0-9][0-9_]*:)")


@dataclass(frozen=True)
class Limits:
    """How large a data file may be; anything beyond is refused before it is built."""

    max_bytes: int
    max_depth: int
    max_nodes: int
    max_number_chars: int = 32

    def describe(self) -> str:
        return (
            f"at most {self.max_bytes:,} bytes, {self.max_depth} levels of nesting and "
            f"{self.max_nodes:,} values (aliases counted as expanded)"
        )


# A patient case has a few dozen fields: a hundred times that is still generous.
CASE_LIMITS = Limits(max_bytes=1_000_000, max_depth=24, max_nodes=10_000)
# Spec files (the catalogue, the dictionary, a table's sidecar) are written by hand.
SPEC_LIMITS = Limits(max_bytes=10_000_000, max_depth=32, max_nodes=1_000_000)


class DataFileError(B12SpecError):
    """A YAML or JSON file that is unreadable, malformed, too large, or not plain data."""

    def __init__(self, file: str, detail: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.detail = detail
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {detail}")


# --------------------------------------------------------------------------- files


def read_text(path: Path, limits: Limits, shown: str | None = None) -> str:
    """The file's text, refused if it is too large (checked before reading), not a file, or not UTF-8.

    A leading UTF-8 byte order mark (what spreadsheet programs write) is dropped.
    """
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DataFileError(shown, "is not a file")
        if size > limits.max_bytes:
            raise DataFileError(shown, f"is {size:,} bytes; allowed: {limits.describe()}")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise DataFileError(shown, "file is missing") from error
    except OSError as error:
        raise DataFileError(shown, f"cannot be read ({error.strerror or error})") from error
    if len(data) > limits.max_bytes:  # the file grew between stat and read
        raise DataFileError(shown, f"is over {limits.max_bytes:,} bytes; allowed: {limits.describe()}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataFileError(shown, f"is not UTF-8 text (byte {error.start + 1})", line) from error


# --------------------------------------------------------------------------- JSON


def parse_json(text: str, source: str, limits: Limits) -> Any:
    """JSON with duplicate keys, NaN/Infinity, over-long numbers and deep nesting refused."""
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise DataFileError(source, f"is too large; allowed: {limits.describe()}")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in items:
            twice = key in mapping
            mapping[key] = _Bad(f"key {key!r} is given twice: which one is meant cannot be guessed") if twice else value
        return mapping

    def number(kind: type) -> Any:
        def convert(literal: str) -> Any:
            if len(literal) > limits.max_number_chars:
                return _Bad(
                    f"the number {literal[:20]}... has {len(literal)} characters; "
                    f"allowed: at most {limits.max_number_chars}"
                )
            value = kind(literal)
            if isinstance(value, float) and not math.isfinite(value):
                return _Bad(f"the number {literal} is too large to be finite")
            return value

        return convert

    def constant(name: str) -> Any:
        return _Bad(f"{name} is not a number JSON allows; allowed: finite numbers")

    try:
        value = json.loads(
            text, object_pairs_hook=pairs, parse_int=number(int), parse_float=number(float), parse_constant=constant
        )
    except json.JSONDecodeError as error:
        raise DataFileError(source, f"is not valid JSON: {error.msg} (column {error.colno})", error.lineno) from error
    except RecursionError as error:
        raise DataFileError(source, f"is nested too deeply; allowed: {limits.describe()}") from error
    _check_tree(value, source, limits)
    return value


@dataclass(frozen=True)
class _Bad:
    """A JSON value refused while parsing, kept in place so the refusal can name where it stands
    (the decoder's hooks know the value but not its key)."""

    detail: str


def _check_tree(value: Any, source: str, limits: Limits) -> None:
    """Depth, node count, text and refused values of an already-built (alias-free) value, without recursion."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    nodes = 0
    while stack:
        item, depth, path = stack.pop()
        nodes += 1
        if depth > limits.max_depth or nodes > limits.max_nodes:
            raise DataFileError(source, f"is too large or too deeply nested; allowed: {limits.describe()}")
        at = f"at {path}: " if path else ""
        if isinstance(item, _Bad):
            raise DataFileError(source, at + item.detail)
        if isinstance(item, dict):
            stack.extend((k, depth + 1, path) for k in item)
            stack.extend((v, depth + 1, f"{path}.{k}".lstrip(".")) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, str) and _SURROGATE.search(item):
            refused = "holds an unpaired surrogate escape (\\ud800 to \\udfff), which is not text"
            raise DataFileError(source, at + refused)


# --------------------------------------------------------------------------- YAML


class _Refusal(Exception):
    def __init__(self, detail: str, line: int | None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.line = line


@dataclass
class _Frame:
    """A mapping or list being built, with what is needed to check it as it grows."""

    value: dict[Any, Any] | list[Any]
    anchor: str | None
    start_nodes: int
    line: int
    key_lines: dict[Any, int]
    pending_key: Any = None
    has_key: bool = False
    height: int = 1



def parse_yaml(text: str, source: str, limits: Limits) -> Any:
    """One YAML document as plain data; raises DataFileError naming the line and what is allowed."""
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise DataFileError(source, f"is too large; allowed: {limits.describe()}")
    builder = _Builder(limits)
    try:
        return builder.build(yaml.parse(text, Loader=_PARSER))
    except _Refusal as refusal:
        field = builder.path()
        detail = f"at {field}: {refusal.detail}" if field else refusal.detail
        raise DataFileError(source, detail, refusal.line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (error.context, error.problem) if p) or "syntax error"
        raise DataFileError(source, f"is not valid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise DataFileError(source, f"is not valid YAML: {error}") from None


class _Builder:
    """Builds values from parser events, refusing anything beyond plain data or the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, nodes, height)
        self.stack: list[_Frame] = []
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, events: Iterator[yaml.Event]) -> Any:
        documents = 0
        result: Any = None
        for event in events:
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refusal("holds more than one YAML document (a second '---'); allowed: one", line)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._refuse_tag(event.tag, line)
                self._start_node(line)
                container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.stack.append(_Frame(container, event.anchor, self.nodes, line or 0, {}))
                if len(self.stack) > self.limits.max_depth:
                    raise _Refusal(f"is nested too deeply; allowed: {self.limits.describe()}", line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = self.stack.pop()
                if isinstance(frame.value, dict) and frame.has_key:
                    raise _Refusal("a key has no value", line)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, self.nodes - frame.start_nodes + 1, frame.height)
                result = self._add(frame.value, frame.height, frame.line, is_scalar=False)
            elif isinstance(event, yaml.ScalarEvent):
                self._refuse_tag(event.tag, line)
                self._start_node(line)
                value = self._scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                result = self._add(value, 0, line, is_scalar=True)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise _Refusal(f"alias *{event.anchor} names no finished anchor &{event.anchor}", line)
                value, size, height = self.anchors[event.anchor]
                self.nodes += size
                if self.nodes > self.limits.max_nodes:
                    raise _Refusal(f"expands to too many values; allowed: {self.limits.describe()}", line)
                if len(self.stack) + height > self.limits.max_depth:
                    raise _Refusal(f"is nested too deeply; allowed: {self.limits.describe()}", line)
                result = self._add(value, height, line, is_scalar=height == 0)
        return result

    def path(self) -> str:
        """Where the builder stands, as keys and list positions (``plan.treatment_timing``, ``members[2]``),
        so that a refusal names the field and not only the line."""
        parts: list[str] = []
        for frame in self.stack:
            if isinstance(frame.value, list):
                parts.append(f"[{len(frame.value)}]")
            elif frame.has_key:
                parts.append(f".{frame.pending_key}")
        return "".join(parts).lstrip(".")

    def _start_node(self, line: int | None) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Refusal(f"has too many values; allowed: {self.limits.describe()}", line)

    def _refuse_tag(self, tag: str | None, line: int | None) -> None:
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refusal(
                f"uses the YAML tag {shown}; allowed: plain values only (text, numbers, true/false, null, "
                "lists and mappings), no tags",
                line,
            )

    def _add(self, value: Any, height: int, line: int | None, is_scalar: bool) -> Any:
        """Put a finished value into the container being built (or return it: the document)."""
        if not self.stack:
            return value
        frame = self.stack[-1]
        frame.height = max(frame.height, height + 1)
        if isinstance(frame.value, list):
            frame.value.append(value)
        elif not frame.has_key:
            if not is_scalar:
                raise _Refusal("a mapping key is itself a list or mapping (a complex key); allowed: plain keys", line)
            if value in frame.key_lines:
                raise _Refusal(
                    f"key {value!r} is given twice (lines {frame.key_lines[value]} and {line}): "
                    "which value is meant cannot be guessed",
                    line,
                )
            frame.key_lines[value] = line or 0
            frame.pending_key, frame.has_key = value, True
        else:
            frame.value[frame.pending_key] = value
            frame.pending_key, frame.has_key = None, False
        return value

    def _scalar(self, event: yaml.ScalarEvent, line: int | None) -> Any:
        text = event.value
        if _SURROGATE.search(text):
            raise _Refusal("holds an unpaired surrogate (\\ud800 to \\udfff), which is not text", line)
        if not event.implicit[0]:  # quoted or block text: always a string
            return text
        tag = self.resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if tag == _MERGE:
            raise _Refusal("uses a YAML merge key (<<); allowed: plain keys, each written out", line)
        if tag in (_INT, _FLOAT):
            if _YAML11_ONLY.search(text):
                raise _Refusal(
                    f"{text!r} is a number only in YAML 1.1 (a leading 0 read as octal, 0b as binary or : as "
                    "base 60), which YAML 1.2 and JSON read otherwise; allowed: plain decimal numbers such as 45 "
                    "or 12.5 (quote it to mean text)",
                    line,
                )
            if len(text) > self.limits.max_number_chars:
                raise _Refusal(
                    f"the number {text[:20]}... has {len(text)} characters; "
                    f"allowed: at most {self.limits.max_number_chars}",
                    line,
                )
            node = yaml.ScalarNode(tag, text)
            try:
                number = (
                    self.constructor.construct_yaml_int(node)
                    if tag == _INT
                    else self.constructor.construct_yaml_float(node)
                )
            except (ValueError, OverflowError) as error:
                raise _Refusal(f"{text!r} is not a number ({error})", line) from None
            if isinstance(number, float) and not math.isfinite(number):
                raise _Refusal(f"{text!r} is not a finite number; allowed: finite numbers only", line)
            return number
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self.constructor.construct_yaml_bool(yaml.ScalarNode(tag, text))
        return text  # text, and dates or times as written (plain data has no date type)
