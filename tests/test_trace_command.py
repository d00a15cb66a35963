"""`b12spec trace`: locators printed for an author, from the source read at run time."""

from __future__ import annotations

import re

from click.testing import CliRunner

from b12spec.cli import main
from b12spec.model import Spec
from b12spec.verify.trace import load_source


def test_locate_prints_a_locator_that_matches_the_source(spec: Spec) -> None:
    entry = next(e for e in spec.catalogue if e.locators)
    locator = entry.locators[0]
    result = CliRunner().invoke(main, ["trace", "locate", str(locator.line), "--start", str(locator.start),
                                       "--end", str(locator.end)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f'- {{line: {locator.line}, start: {locator.start}, end: {locator.end}, '
                                     f'digest: "{locator.digest}"}}')


def test_locate_refuses_a_blank_line_and_a_bad_span(spec: Spec) -> None:
    source = load_source(spec)
    assert source is not None
    blank = next(n for n, text in enumerate(source.lines, start=1) if not text.strip())
    result = CliRunner().invoke(main, ["trace", "locate", str(blank)])
    assert result.exit_code == 1 and "blank" in result.output
    result = CliRunner().invoke(main, ["trace", "locate", "1", "--start", "5", "--end", "4"])
    assert result.exit_code == 1 and "not a span" in result.output


def test_show_flags_no_entry_of_the_shipped_catalogue(spec: Spec) -> None:
    result = CliRunner().invoke(main, ["trace", "show"])
    assert result.exit_code == 0, result.output
    assert "DOES NOT MATCH" not in result.output
    assert len(re.findall(r"^REC-\d+", result.output, flags=re.MULTILINE)) == len(spec.catalogue)


def test_check_reports_the_share_of_cited_statements_claimed() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert re.search(r"trace: (\d+)/\1 cited statements of the source claimed \(100 %\)", result.output)
