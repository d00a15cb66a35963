"""Traceability (issue 11): locators hold, statements and rules are tied both ways, and citations
and figures follow the statements. Each acceptance edit is made on a temporary copy (of spec/,
and of the source text where the edit is to the source) and must give a finding naming the rule."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from b12spec.sourcetext import SourceTextError, read_source, source_path
from b12spec.verify.check import check_spec
from b12spec.verify.findings import Finding
from b12spec.verify.trace import ANALYZERS, coverage, figures, load_source, supported
from b12spec.workspace import load_spec, read_spec_files

REPO = Path(__file__).resolve().parents[2]


def _trace(spec_dir: Path) -> list[Finding]:
    return [f for f in check_spec(read_spec_files(spec_dir), ANALYZERS).findings if f.kind == "trace"]


def _edit_cell(path: Path, rule_id: str, column: str, edit) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rows[0].index(column)
    row = next(r for r in rows if r[0] == rule_id)
    row[index] = edit(row[index])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _with_source_copy(spec_dir: Path, tmp_path: Path) -> Path:
    """Point the copied spec at a private copy of the source text; returns the copy's path."""
    spec = load_spec(spec_dir)
    copy = tmp_path / "source.txt"
    copy.write_text(source_path(spec_dir, spec.guideline.source_file).read_text(encoding="utf-8"), encoding="utf-8")
    guideline = spec_dir / "guideline.yaml"
    data = yaml.safe_load(guideline.read_text(encoding="utf-8"))
    data["source_file"] = str(copy)
    guideline.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return copy


def _naming(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if rule_id in f.rules]


def test_the_shipped_spec_traces_every_cited_statement_and_every_rule() -> None:
    spec = load_spec(REPO / "spec")
    source = load_source(spec)
    assert source is not None, "the shipped guideline names its source text"
    measured = coverage(spec, source)
    assert measured.cited_statements > 0
    assert measured.claimed_statements == measured.cited_statements
    assert measured.reached_rules == measured.rules == sum(len(t.rules) for t in spec.tables)
    assert "(100 %)" in str(measured)
    assert _trace(REPO / "spec") == []


def test_a_citation_changed_to_another_reference_is_caught(spec_copy: Path) -> None:
    _edit_cell(spec_copy / "tables" / "b12_status.csv", "DX-01", "citations", lambda _: "2")
    found = _naming(_trace(spec_copy), "DX-01")
    assert [(f.file, f.row, f.column) for f in found] == [("tables/b12_status.csv", 2, "citations")]
    assert "cites 2" in found[0].message and "cite 1" in found[0].message


def test_a_figure_changed_in_an_annotation_is_caught(spec_copy: Path) -> None:
    _edit_cell(spec_copy / "tables" / "b12_status.csv", "DX-01", "annotation", lambda a: a.replace("180", "181"))
    found = _naming(_trace(spec_copy), "DX-01")
    assert [(f.file, f.row, f.column) for f in found] == [("tables/b12_status.csv", 2, "annotation")]
    assert "181" in found[0].message


def test_a_figure_changed_in_an_output_label_is_caught(spec_copy: Path) -> None:
    sidecar = spec_copy / "tables" / "treatment.yaml"
    text = sidecar.read_text(encoding="utf-8")
    assert "every 2 to 3 months" in text
    sidecar.write_text(text.replace("every 2 to 3 months", "every 2 to 4 months"), encoding="utf-8")
    findings = _trace(spec_copy)
    for rule_id in ("TX-01", "TX-02"):
        found = _naming(findings, rule_id)
        assert found and all("4" in f.message and f.file == "tables/treatment.csv" for f in found), findings


def test_a_locator_pointing_at_the_wrong_line_is_caught(spec_copy: Path) -> None:
    catalogue = spec_copy / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    entry = load_spec(spec_copy).catalogue[2]
    locator = entry.locators[0]
    old = f"{{line: {locator.line}, start: {locator.start},"
    assert text.count(old) >= 1
    block = text.index(f"- id: {entry.id}\n")
    at = text.index(old, block)
    catalogue.write_text(text[:at] + f"{{line: {locator.line + 1}, start: {locator.start}," + text[at + len(old):],
                         encoding="utf-8")
    found = [f for f in _trace(spec_copy) if f.message.startswith(f"{entry.id}:")]
    assert found, _trace(spec_copy)
    assert found[0].file == "catalogue.yaml" and found[0].rules == entry.rules and found[0].row is not None
    assert f"now at line {locator.line}" in found[0].message, "the words are still where they were"


def test_a_source_line_edited_is_caught(spec_copy: Path, tmp_path: Path) -> None:
    source = _with_source_copy(spec_copy, tmp_path)
    assert _trace(spec_copy) == [], "a faithful copy of the source traces as the original does"
    spec = load_spec(spec_copy)
    entry = next(e for e in spec.catalogue if "DX-01" in e.rules and not e.narrative)
    line = entry.locators[0].line
    lines = source.read_text(encoding="utf-8").split("\n")
    assert "180" in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace("180", "181", 1)
    source.write_text("\n".join(lines), encoding="utf-8")
    found = _naming(_trace(spec_copy), "DX-01")
    assert any("no longer matches the source" in f.message and f.file == "catalogue.yaml" for f in found), found


def test_an_unclaimed_cited_statement_and_an_untraced_rule_are_caught(spec_copy: Path) -> None:
    catalogue = spec_copy / "catalogue.yaml"
    entries = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    removed = next(e for e in entries if e.get("rules") and len(e["rules"]) == 1 and e["citations"]
                   and sum(e["rules"][0] in (o.get("rules") or []) for o in entries) == 1)
    entries.remove(removed)
    catalogue.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    findings = _trace(spec_copy)
    line = removed["locators"][0]["line"]
    assert any(f.row == line and "claimed by no catalogue entry" in f.message for f in findings), findings
    untraced = _naming(findings, removed["rules"][0])
    assert untraced and untraced[0].column == "rule" and "named by no catalogue entry" in untraced[0].message


def test_a_missing_source_text_is_an_error_not_a_skipped_check(spec_copy: Path, tmp_path: Path) -> None:
    source = _with_source_copy(spec_copy, tmp_path)
    source.unlink()
    found = _trace(spec_copy)
    assert [(f.file, f.column, f.severity) for f in found] == [("guideline.yaml", "source_file", "error")]
    assert "missing" in found[0].message


def test_an_entry_citation_must_match_the_marker_of_its_lines(spec_copy: Path) -> None:
    catalogue = spec_copy / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    entry = next(e for e in load_spec(spec_copy).catalogue if e.citations == ("2",) and not e.narrative)
    block = text.index(f"- id: {entry.id}\n")
    at = text.index('citations: ["2"]', block)
    catalogue.write_text(text[:at] + 'citations: ["1"]' + text[at + len('citations: ["2"]'):], encoding="utf-8")
    found = [f for f in _trace(spec_copy) if f.message.startswith(f"{entry.id}:")]
    assert found and found[0].column == "citations"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("under 180 ng/L", ["180 ng/L"]),
        ("every 2 to 3 months, 10-40% of them", ["2 to 3 month", "10 to 40 %"]),
        ("0.5 to 3 micrograms daily, first 48 hours", ["0.5 to 3 mcg", "48 hour"]),
        ("Pitfall 1 (OQ-05), reference 2", []),
    ],
)
def test_figures_are_numbers_with_a_unit(text: str, found: list[str]) -> None:
    assert [str(f) for f in figures(text)] == found


def test_a_figure_is_backed_by_the_same_figure_in_the_source_or_by_the_cells() -> None:
    stated = set(figures("every 2-3 months, 1000 μg"))
    assert supported(figures("2 to 3 months")[0], stated, set())
    assert not supported(figures("3 months")[0], stated, set()), "one end of a range is another figure"
    assert supported(figures("1000 micrograms")[0], stated, set()), "one unit, three spellings"
    assert not supported(figures("3 to 3 months")[0], stated, set())
    assert not supported(figures("3 weeks")[0], stated, set())
    assert supported(figures("181 ng/L")[0], stated, {181.0}), "the rule's own cell says 181"


def test_the_locators_of_the_shipped_catalogue_hold_no_words_of_the_source() -> None:
    """A locator is numbers and a digest: the catalogue entry around it restates, never copies."""
    spec = load_spec(REPO / "spec")
    source = load_source(spec)
    assert source is not None
    raw = (REPO / "spec" / "catalogue.yaml").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=- id: )", raw)
    for entry in spec.catalogue:
        block = next(b for b in blocks if b.startswith(f"- id: {entry.id}\n"))
        for locator in entry.locators:
            words = _words(re.sub(r"\s\d{1,3}$", "", source.span(locator) or ""))
            if len(words) < 3:
                continue  # a one- or two-word heading ("References") is no sentence to copy
            assert " ".join(words) not in " ".join(_words(block)), (entry.id, locator)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_reading_the_source_text_splits_statements_and_markers(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Heading\n\n  • A made-up statement 2\n  1. Another one, uncited\n", encoding="utf-8")
    source = read_source(path)
    cited = source.cited_statements({"1", "2"})
    assert [(s.line, s.citations) for s in cited] == [(3, ("2",))]
    locator = source.locate(3)
    assert source.span(locator) == "A made-up statement 2"
    assert source.matches(locator)
    assert source.find("made-up") == [source.locate(3, 6, 13)]
    assert source.statement(2) is None


def test_an_open_question_link_moved_to_another_question_is_caught(spec_copy: Path) -> None:
    spec = load_spec(spec_copy)
    table, rule = next((t, r) for t in spec.tables for r in t.rules if r.open_questions)
    other = next(q.id for q in spec.open_questions if q.id not in rule.open_questions)
    _edit_cell(spec_copy / table.file, rule.id, "open_questions",
               lambda cell: cell.replace(rule.open_questions[0], other, 1))
    found = _naming(_trace(spec_copy), rule.id)
    assert [(f.file, f.row, f.column) for f in found] == [(table.file, rule.row, "open_questions")]


def test_the_beyond_the_source_mark_and_the_named_reference_go_together(spec_copy: Path) -> None:
    spec = load_spec(spec_copy)
    table, rule = next((t, r) for t in spec.tables for r in t.rules
                       if any(not s.in_source for c in r.citations if (s := spec.source(c))))
    _edit_cell(spec_copy / table.file, rule.id, "annotation", lambda a: re.sub(r"(?i)beyond the source", "", a))
    assert [f.column for f in _naming(_trace(spec_copy), rule.id)] == ["annotation"]


def _unname(spec_dir: Path, rule_id: str) -> None:
    catalogue = spec_dir / "catalogue.yaml"
    entries = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    for entry in entries:
        if rule_id in (entry.get("rules") or []):
            entry["rules"].remove(rule_id)
    catalogue.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")


def test_a_rule_resting_on_a_named_reference_alone_is_traced_to_it_not_to_a_statement(spec_copy: Path) -> None:
    """QA finding: AG-02 (adults from 16, NICE NG239's scope) was traced to the children's intake."""
    spec = load_spec(spec_copy)
    _, adult = spec.rule("AG-02")
    assert adult.citations == ("NICE-NG239",)
    assert not any("AG-02" in entry.rules for entry in spec.catalogue)
    measured = coverage(spec, load_source(spec))  # type: ignore[arg-type]
    assert measured.reached_rules == measured.rules
    _unname(spec_copy, "AG-01")  # AG-01 also cites reference 2: it must stay tied to a statement
    assert [f.column for f in _naming(_trace(spec_copy), "AG-01")] == ["rule"]


def test_a_rule_citing_nothing_or_the_source_is_not_exempt_from_tracing() -> None:
    import dataclasses

    from b12spec.verify.trace import rests_beyond_the_source_alone

    spec = load_spec(REPO / "spec")
    _, adult = spec.rule("AG-02")
    assert rests_beyond_the_source_alone(spec, adult)
    assert not rests_beyond_the_source_alone(spec, dataclasses.replace(adult, citations=()))
    assert not rests_beyond_the_source_alone(spec, dataclasses.replace(adult, citations=("NICE-NG239", "2")))
    assert not rests_beyond_the_source_alone(spec, dataclasses.replace(adult, citations=("NICE-NG239", "X-9")))


def test_the_no_plan_rule_is_traced_to_the_pitfall_list_not_to_pitfall_1() -> None:
    spec = load_spec(REPO / "spec")
    tracing = {entry.id for entry in spec.catalogue if "PF-06" in entry.rules}
    assert tracing == {"REC-40"}
    source = load_source(spec)
    assert source is not None
    (locator,) = next(e for e in spec.catalogue if e.id == "REC-40").locators
    assert source.statement(locator.line) is None or not source.statement(locator.line).citations
    assert "PF-06" not in next(e for e in spec.catalogue if e.id == "REC-31").rules


def test_a_source_text_that_is_not_utf8_or_missing_is_refused_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "source.txt"
    broken.write_bytes(b"Vitamin B12 \xff\xfe deficiency\n")
    named = r"\(guideline\.yaml, source_file\)"
    with pytest.raises(SourceTextError, match=named + r".*source\.txt.*not UTF-8 text \(byte 13\)"):
        read_source(broken)
    with pytest.raises(SourceTextError, match=r"absent\.txt \(guideline\.yaml, source_file\) is missing"):
        read_source(tmp_path / "absent.txt")
    with pytest.raises(SourceTextError, match=r"\(guideline\.yaml, source_file\) cannot be read: .*is not a file"):
        read_source(Path("/dev/zero"))  # found by the issue-16 harness: guideline.yaml went unnamed


def test_a_source_text_with_a_byte_order_mark_reads_as_its_text(tmp_path: Path) -> None:
    marked = tmp_path / "source.txt"
    marked.write_bytes("\ufeffFirst line 1\nSecond line 2\n".encode())
    assert read_source(marked).lines == ("First line 1", "Second line 2")
