"""Turns an evaluation into what a clinician reads (text) or an integrator parses (JSON).

Pure functions returning strings and plain data; printing happens in the CLI.
"""

from __future__ import annotations

from typing import Any

from b12spec.evaluate import DecisionResult, Evaluation
from b12spec.evidence import evidence_for
from b12spec.model import DecisionTable, Spec
from b12spec.plain import describe_condition
from b12spec.schema import FORMAT_VERSION
from b12spec.sourcetext import SourceText
from b12spec.unary import format_literal
from b12spec.warnings import warnings_of

SECTIONS = (
    ("diagnosis", "Diagnosis"),
    ("patient", "Patient"),
    ("treatment", "Treatment plan"),
    ("precautions", "Precautions"),
    ("monitoring", "Monitoring"),
    ("risk", "High-risk groups (B12 monitoring advised)"),
    ("pitfalls", "Warnings on the proposed plan"),
)


def _cite(spec: Spec, citations: tuple[str, ...]) -> str:
    return ", ".join(
        c if (s := spec.source(c)) is None or s.in_source else f"{c} (beyond the source)" for c in citations
    )


def _entries(table: DecisionTable, result: DecisionResult) -> list[dict[str, Any]]:
    """One entry per kept rule and output: label, value, rule, citations, open questions."""
    entries = []
    for hit in result.hits:
        for column in table.outputs:
            value = hit.outputs[column.name]
            entries.append(
                {
                    "output": column.name,
                    "output_label": column.label,
                    "value": value,
                    "label": column.label_of(value),
                    "rule": hit.rule,
                    "citations": list(hit.citations),
                    "open_questions": list(hit.open_questions),
                    "annotation": hit.annotation,
                }
            )
    return entries


def evaluation_to_dict(spec: Spec, evaluation: Evaluation) -> dict[str, Any]:
    """The full, citable result as plain data (the --json output)."""
    decisions = {}
    for name, result in evaluation.results.items():
        table = spec.table(name)
        decisions[name] = {
            "title": table.title,
            "section": table.section,
            "hit_policy": table.hit_policy.value,
            "inputs": dict(result.inputs),
            "matched_rules": list(result.matched),
            "selected_rules": [hit.rule for hit in result.hits],
            "result": result.value,
            "entries": _entries(table, result),
        }
    cited = sorted(
        {c for r in evaluation.results.values() for h in r.hits for c in h.citations},
        key=lambda c: (not c.isdigit(), c),
    )
    asked = sorted({q for r in evaluation.results.values() for q in r.open_questions})
    questions = {q.id: q for q in spec.open_questions}
    return {
        "format_version": FORMAT_VERSION,
        "guideline": {"title": spec.guideline.title, "version": spec.guideline.version},
        "case": dict(evaluation.case.values),
        "given_units": {k: {"value": q.value, "unit": q.unit} for k, q in evaluation.case.given.items()},
        "decisions": decisions,
        "warnings": warnings_of(spec, evaluation),
        "citations": [
            {"id": c, "title": s.title, "detail": s.detail, "in_source": s.in_source, "attribution": s.attribution}
            for c in cited
            if (s := spec.source(c)) is not None
        ],
        "open_questions": [
            {
                "id": q,
                "title": questions[q].title,
                "question": questions[q].question,
                "rules": sorted({h.rule for r in evaluation.results.values() for h in r.hits if q in h.open_questions}),
            }
            for q in asked
            if q in questions
        ],
        "disclaimer": spec.guideline.disclaimer,
        "source_review_status": review_status(spec),
    }


def review_status(spec: Spec) -> str:
    """The source's own review state, said with every evaluation (never left implicit)."""
    status = spec.guideline.source_review_status
    return f"Source review status: {status}" if status else "Source review status: not recorded in spec/guideline.yaml."


SEVERITY_MARK = {"critical": "!!!", "warning": "!", "info": "i"}
INFERRED_ATTRIBUTION = " [number inferred: the source lists this work without its number]"


def render_text(spec: Spec, evaluation: Evaluation, case_name: str = "", source: SourceText | None = None) -> str:
    """A readable summary: each recommendation with its rule ids and citations, each rule's
    condition in words and the catalogue's restatement of what it executes; given the source
    text (read by the caller), the source's own words beside each restatement."""
    data = evaluation_to_dict(spec, evaluation)
    lines = [f"{spec.guideline.title} - b12spec {spec.guideline.version}"]
    if case_name:
        lines.append(f"Case: {case_name}")
    lines.append("Inputs: " + "; ".join(_inputs(spec, evaluation)))
    lines.extend(_warning_lines(spec, data["warnings"]))
    # A warning's severity comes from one place (spec/warnings.yaml, via the result's warnings
    # list), so the sections below mark it exactly as the WARNINGS list above does.
    severities = {(w["decision"], w["output"], str(w["value"])): w["severity"] for w in data["warnings"]}
    known = {section for section, _ in SECTIONS}
    explained: set[str] = set()  # each rule's condition is spelt out once, where it first appears
    others = sorted({spec.table(n).section for n in spec.order} - known)
    for section, heading in (*SECTIONS, *((s, f"Other decisions ({s or 'no section'})") for s in others)):
        names = sorted(
            (n for n in spec.order if spec.table(n).section == section),
            key=lambda n: spec.table(n).display_order,
        )
        entries = [{**e, "decision": n} for n in names for e in data["decisions"][n]["entries"]]
        lines.append("")
        lines.append(heading.upper())
        if not entries:
            lines.append("  (none)")
            continue
        for entry in _merge_same_recommendation(entries):
            refs = f"[{', '.join(entry['rules'])}; ref {_cite(spec, tuple(entry['citations']))}]"
            warning = severities.get((entry["decision"], entry["output"], str(entry["value"])))
            marker = f"{_severity_tag(warning)} -" if warning else "-"
            lines.append(f"  {marker} {entry['output_label']}: {entry['label']}  {refs}")
            for rule_id in entry["rules"]:
                if rule_id in explained:
                    continue
                explained.add(rule_id)
                table, rule = spec.rule(rule_id)
                lines.append(f"      when ({rule_id}): {describe_condition(spec, table, rule)}")
                lines.extend(_evidence_lines(spec, source, rule_id))
            if entry["open_questions"]:
                lines.append(f"      open question: {', '.join(entry['open_questions'])}")
    if data["open_questions"]:
        lines.append("")
        lines.append("NOT SPECIFIED BY THE SOURCE OR NEEDING THE BOARD (open questions)")
        for q in data["open_questions"]:
            lines.append(f"  {q['id']} {q['title']} (rules {', '.join(q['rules'])})")
    lines.append("")
    lines.append("REFERENCES")
    for c in data["citations"]:
        beyond = " [beyond the source]" if not c["in_source"] else ""
        inferred = INFERRED_ATTRIBUTION if c.get("attribution") == "inferred" else ""
        lines.append(f"  [{c['id']}] {c['title']}{beyond}{inferred}")
    lines.append("")
    lines.append(spec.guideline.disclaimer)
    lines.append(review_status(spec))
    return "\n".join(lines)


def _warning_lines(spec: Spec, warnings: list[dict[str, Any]]) -> list[str]:
    """The warnings first, about this patient before general ones, most severe first."""
    lines = ["", "WARNINGS (about this patient first; !!! critical, ! warning, i information)"]
    if not warnings:
        return [*lines, "  (none)"]
    for heading, about in (("About this patient", "patient"), ("For every patient in this situation", "general")):
        chosen = [w for w in warnings if w["about"] == about]
        if not chosen:
            continue
        lines.append(f"  {heading}:")
        for w in chosen:
            refs = f"[{', '.join(w['rules'])}; ref {_cite(spec, tuple(w['citations']))}]"
            lines.append(f"    {_severity_tag(w['severity'])}: {w['message']}  {refs}")
    return lines


def _severity_tag(severity: str) -> str:
    """How a warning's severity is shown, the same in the WARNINGS list and in its section."""
    return f"{SEVERITY_MARK[severity]} {severity}"


def _evidence_lines(spec: Spec, source: SourceText | None, rule_id: str) -> list[str]:
    lines = []
    for evidence in evidence_for(spec, source, rule_id):
        entry = evidence.entry
        lines.append(f"      restated ({entry.id}; ref {_cite(spec, entry.citations) or 'uncited'}): {entry.statement}")
        for quote in evidence.quotes:
            refs = f" [{', '.join(quote.citations)}]" if quote.citations else ""
            lines.append(f"        source, line {quote.locator.line}{refs}: {quote.shown}")
    return lines


def _merge_same_recommendation(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per recommendation; when several rules give it, every one of them is cited."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        key = (entry["output"], str(entry["value"]))
        if key not in merged:
            merged[key] = {**entry, "rules": [], "citations": [], "open_questions": []}
        line = merged[key]
        line["rules"].append(entry["rule"])
        line["citations"].extend(c for c in entry["citations"] if c not in line["citations"])
        line["open_questions"].extend(q for q in entry["open_questions"] if q not in line["open_questions"])
    return list(merged.values())


def _inputs(spec: Spec, evaluation: Evaluation) -> list[str]:
    """The case as evaluated, in canonical units, with the unit it was given in where different."""
    shown = []
    for name, value in evaluation.case.values.items():
        if value is None:
            continue
        text = f"{name} = {_show(value, spec, name)}"
        original = evaluation.case.given.get(name)
        if original is not None:
            text += f" (given as {original.value:g} {original.unit})"
        shown.append(text)
    return shown


def _show(value: Any, spec: Spec, name: str) -> str:
    field = spec.dictionary.get(name)
    if isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = value if isinstance(value, str) else format_literal(value)
    if field is not None and field.unit:
        text += f" {field.unit}"
    return text
