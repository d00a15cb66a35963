"""The source text, read at run time and addressed by locators that hold none of its words.

b12spec must never copy the source's sentences, yet every catalogue entry has to say exactly
which words of the source it restates, so that a reviewer (and ``b12spec check``) can hold the
restatement against them. A **locator** does that without a copy: a line number, a character
span on that line and a digest of the span's text. The digest makes a locator self-checking: if
the source is edited, or the locator drifts to another line, the digest no longer matches.

The source is split into lines; a line that ends in a citation marker (`` 1`` for reference 1:
a space and a reference number at the very end) is a **cited statement**, and the marker is its
citation. Every cited statement must be claimed by a catalogue entry (see verify/trace.py).

Conventions: lines are numbered from 1; ``start`` and ``end`` are 0-based character offsets on
the line, ``end`` exclusive (a Python slice); the digest is the first 16 hex digits of the
SHA-256 of the span's UTF-8 text.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from b12spec.safeload import SPEC_LIMITS, DataFileError, read_text

DIGEST_LENGTH = 16
# A citation marker: a space, then a reference number, at the end of a line. The number must
# also be one of the spec's references for the line to count as cited (see cited_statements).
_MARKER = re.compile(r"\s(\d{1,3})\s*$")
# List markers in front of a statement: bullets and "1." numbering.
_LEAD = re.compile(r"^\s*(?:[•\-*]|\d{1,3}\.)?\s*")


class SourceTextError(Exception):
    """The source text cannot be read: locators cannot be verified (never silently skipped)."""


@dataclass(frozen=True)
class Locator:
    """Where a catalogue entry's words are in the source: line, span and digest of the span."""

    line: int
    start: int
    end: int
    digest: str

    def __str__(self) -> str:
        return f"line {self.line}, characters {self.start}-{self.end}"


@dataclass(frozen=True)
class Statement:
    """One non-blank line of the source: its number, its span of content and its citations."""

    line: int
    start: int
    end: int
    citations: tuple[str, ...]


@dataclass(frozen=True)
class SourceText:
    """The source's lines, as read from the file the guideline names."""

    path: str
    lines: tuple[str, ...]

    def span(self, locator: Locator) -> str | None:
        """The text a locator points at, or None when the line or span does not exist."""
        if not 1 <= locator.line <= len(self.lines):
            return None
        text = self.lines[locator.line - 1]
        if not 0 <= locator.start < locator.end <= len(text):
            return None
        return text[locator.start : locator.end]

    def matches(self, locator: Locator) -> bool:
        text = self.span(locator)
        return text is not None and digest(text) == locator.digest

    def statement(self, line: int) -> Statement | None:
        """The statement on a line (content without indentation or list marker), if not blank."""
        if not 1 <= line <= len(self.lines):
            return None
        text = self.lines[line - 1].rstrip()
        if not text.strip():
            return None
        start = _LEAD.match(text).end()  # type: ignore[union-attr]
        if start >= len(text):
            start = len(text) - len(text.lstrip())
        marker = _MARKER.search(text)
        citations = (marker.group(1),) if marker else ()
        return Statement(line, start, len(text), citations)

    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for n in range(1, len(self.lines) + 1) if (s := self.statement(n)) is not None)

    def cited_statements(self, reference_ids: set[str]) -> tuple[Statement, ...]:
        """The statements whose marker is a known reference: these must all be claimed."""
        return tuple(s for s in self.statements() if s.citations and set(s.citations) <= reference_ids)

    def locate(self, line: int, start: int | None = None, end: int | None = None) -> Locator:
        """A locator for a line (its whole statement) or a span of it; raises for a bad span."""
        statement = self.statement(line)
        if statement is None:
            raise SourceTextError(f"line {line} of {self.path} is blank or beyond its {len(self.lines)} lines")
        low = statement.start if start is None else start
        high = statement.end if end is None else end
        text = self.lines[line - 1]
        if not 0 <= low < high <= len(text):
            raise SourceTextError(f"characters {low}-{high} are not a span of line {line} ({len(text)} characters)")
        return Locator(line, low, high, digest(text[low:high]))

    def find(self, fragment: str) -> list[Locator]:
        """Locators for every place a fragment occurs (an author's aid; the fragment is not stored)."""
        found = []
        for number, text in enumerate(self.lines, start=1):
            position = text.find(fragment)
            while position >= 0 and fragment:
                found.append(Locator(number, position, position + len(fragment), digest(fragment)))
                position = text.find(fragment, position + 1)
        return found


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def source_path(spec_root: Path | str, source_file: str) -> Path:
    """Where the guideline's ``source_file`` is: relative to the project (spec/'s parent).

    A copy of spec/ elsewhere (a test's temporary copy, a mutation run) still finds the source
    beside the checkout b12spec is installed from.
    """
    given = Path(source_file)
    if given.is_absolute():
        return given
    roots = (Path(spec_root).resolve().parent, Path(__file__).resolve().parent.parent)
    candidates = [Path(os.path.normpath(root / given)) for root in roots]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def read_source(path: Path) -> SourceText:
    # guideline.yaml's source_file names it: the one place to put right
    if not path.exists():
        raise SourceTextError(f"the source text {path} (guideline.yaml, source_file) is missing")
    try:
        text = read_text(path, SPEC_LIMITS, str(path))
    except DataFileError as error:
        raise SourceTextError(f"the source text (guideline.yaml, source_file) cannot be read: {error}") from error
    return SourceText(str(path), tuple(text.splitlines()))
