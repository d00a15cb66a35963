"""Validation against the OMG schemas (DMN13.xsd with its imports, testCases.xsd) by libxml2.

The schemas are not shipped with the package: they live in the shared folder beside the
checkout (``../shared/dmn/xsd``), taken unchanged from the DMN TCK.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import cast

from lxml import etree

from b12spec.dmn.reader import parse_xml

SCHEMA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "dmn" / "xsd"
DMN_SCHEMA = "DMN13.xsd"
TCK_SCHEMA = "testCases.xsd"


@cache
def _schema(schema_dir: Path, name: str) -> etree.XMLSchema:
    # The schemas import each other by relative file name; libxml2 resolves them beside this one.
    return etree.XMLSchema(etree.parse(str(schema_dir / name)))


def schema_errors(document: bytes, name: str = DMN_SCHEMA, schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """Every violation of the schema, as 'line N: message'; empty when the document is valid."""
    schema = _schema(schema_dir, name)
    if schema.validate(parse_xml(document)):
        return []
    entries = cast(Iterable[etree._LogEntry], schema.error_log)  # iterable; the stubs omit it
    return [f"line {entry.line}: {entry.message}" for entry in entries]
