"""A sample of slips in every CSV column, made in the files of a temporary copy of spec/, is caught
by what the test command runs: ``b12spec check --strict`` (any error or warning) or a Gherkin
scenario failing (issue 11 acceptance: at least 95 %).

Unlike ``b12spec mutate`` (which mutates the loaded model), each slip here is an edit of a CSV
cell as an author would make it, so the loader, the checks and the scenarios all see it through
the files. The sample is drawn with a fixed seed, the same number from each column kind:

- thresholds: a number in an input cell one more;
- outputs: an output cell set to another allowed value;
- citations: a reference of the source replaced by another one, or a citation dropped;
- annotations: a figure with a unit in an annotation one more (annotations without a figure
  have nothing a machine could hold against the source, so none is drawn from them);
- open questions: a link moved to another question, dropped, or added.

Scenarios are run through the mutation runner's judge (its pre-filters skip only scenarios that
provably cannot see the change), so the sample stays within the test command's time budget.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from b12spec.commands.check import ANALYZERS
from b12spec.model import Spec
from b12spec.mutate.operators import NUDGE, Mutant
from b12spec.mutate.runner import Status, judge, run_baseline
from b12spec.scenarios import run_scenario
from b12spec.verify.check import check_spec
from b12spec.verify.trace import figure_spans
from b12spec.workspace import load_scenarios, load_spec, read_spec_files

REPO = Path(__file__).resolve().parent.parent
PER_KIND = 6
REQUIRED = 0.95
KINDS = ("thresholds", "outputs", "citations", "annotations", "open questions")

Edit = tuple[str, str, int, str, str]  # file, rule id, column index, before, after


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _candidates(spec: Spec, spec_dir: Path) -> dict[str, list[Edit]]:
    """Every slip of each kind, from the files themselves."""
    references = [s.id for s in spec.sources if s.in_source]
    questions = [q.id for q in spec.open_questions]
    found: dict[str, list[Edit]] = {kind: [] for kind in KINDS}
    for table in spec.tables:
        rows = _rows(spec_dir / table.file)
        header = rows[0]
        inputs = {header.index(c.expression) for c in table.inputs}
        outputs = {header.index(o.name): o for o in table.outputs}
        for row in rows[1:]:
            rule = row[0]
            for index in inputs:
                for match in re.finditer(r"\d+(?:\.\d+)?", row[index]):
                    bigger = f"{float(match.group()) + 1:g}"
                    after = row[index][: match.start()] + bigger + row[index][match.end() :]
                    found["thresholds"].append((table.file, rule, index, row[index], after))
            for index, column in outputs.items():
                found["outputs"] += [(table.file, rule, index, row[index], v) for v in column.values if v != row[index]]
            cited = [c.strip() for c in row[header.index("citations")].split(";") if c.strip()]
            at = header.index("citations")
            for position, citation in enumerate(cited):
                for other in (r for r in references if r not in cited and citation in references):
                    changed = [*cited[:position], other, *cited[position + 1 :]]
                    found["citations"].append((table.file, rule, at, row[at], "; ".join(changed)))
                if len(cited) > 1:
                    found["citations"].append(
                        (table.file, rule, at, row[at], "; ".join(cited[:position] + cited[position + 1 :])))
            at = header.index("annotation")
            for start, end in figure_spans(row[at]):
                after = row[at][:start] + f"{float(row[at][start:end]) + 1:g}" + row[at][end:]
                found["annotations"].append((table.file, rule, at, row[at], after))
            at = header.index("open_questions")
            linked = [q.strip() for q in row[at].split(";") if q.strip()]
            for position, _ in enumerate(linked):
                for other in (q for q in questions if q not in linked):
                    changed = [*linked[:position], other, *linked[position + 1 :]]
                    found["open questions"].append((table.file, rule, at, row[at], "; ".join(changed)))
                found["open questions"].append(
                    (table.file, rule, at, row[at], "; ".join(linked[:position] + linked[position + 1 :])))
            if not linked:
                found["open questions"] += [(table.file, rule, at, "", q) for q in questions]
    return found


def _apply(spec_dir: Path, edit: Edit) -> None:
    file, rule, index, before, after = edit
    path = spec_dir / file
    rows = _rows(path)
    row = next(r for r in rows if r and r[0] == rule)
    assert row[index] == before
    row[index] = after
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _caught(spec: Spec, spec_dir: Path, edit: Edit, scenarios: list, baseline, judge_with: Callable) -> bool:  # type: ignore[type-arg]
    report = check_spec(read_spec_files(spec_dir), ANALYZERS)  # as `b12spec check` runs it
    if report.findings:
        return True  # check --strict fails on any error or warning
    mutated = load_spec(spec_dir)
    file, rule, *_ = edit
    table = next(t for t in mutated.tables if t.file == file)
    mutant = Mutant(table.name, file, rule, None, NUDGE, edit[3], edit[4], table)
    outcome, _ = judge_with(spec, scenarios, baseline, mutant, run_scenario, None)
    return outcome.status is Status.KILLED


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Edit, bool]]]:
    spec = load_spec(REPO / "spec")
    scenarios = load_scenarios(REPO / "features")
    baseline = run_baseline(spec, scenarios, run_scenario)
    pristine = tmp_path_factory.mktemp("sampled") / "spec"
    shutil.copytree(REPO / "spec", pristine)
    candidates = _candidates(spec, pristine)
    chooser = random.Random(11)
    results: dict[str, list[tuple[Edit, bool]]] = {}
    for kind in KINDS:
        assert candidates[kind], f"no slip of kind {kind} could be made"
        picked = chooser.sample(candidates[kind], min(PER_KIND, len(candidates[kind])))
        results[kind] = []
        for edit in picked:
            work = pristine.parent / "work"
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(pristine, work)
            _apply(work, edit)
            results[kind].append((edit, _caught(spec, work, edit, scenarios, baseline, judge)))
    return results


def test_the_sample_covers_every_csv_column_kind(sample: dict[str, list[tuple[Edit, bool]]]) -> None:
    assert set(sample) == set(KINDS)
    assert all(len(edits) == PER_KIND for edits in sample.values())


def test_at_least_95_percent_of_sampled_slips_are_caught(sample: dict[str, list[tuple[Edit, bool]]]) -> None:
    outcomes = [caught for edits in sample.values() for _, caught in edits]
    missed = [f"{kind}: {e[0]} {e[1]} {e[3]!r} -> {e[4]!r}" for kind, edits in sample.items()
              for e, caught in edits if not caught]
    rate = sum(outcomes) / len(outcomes)
    print(f"sampled slips caught: {sum(outcomes)}/{len(outcomes)} ({rate:.0%})")
    assert rate >= REQUIRED, "missed:\n" + "\n".join(missed)


def test_every_sampled_slip_in_what_a_reviewer_reads_is_caught(sample: dict[str, list[tuple[Edit, bool]]]) -> None:
    """Citations, figures in annotations and question links: b12spec check alone must see them all."""
    for kind in ("citations", "annotations", "open questions"):
        assert all(caught for _, caught in sample[kind]), sample[kind]
