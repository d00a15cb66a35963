"""The long cross-check: pyDMNrules and b12spec on 10,000 generated cases (and every scenario).

    .venv/bin/python benchmarks/dmn_crosscheck.py [--cases 10000] [--seed 13]

The test suite runs the same comparison on every scenario and on the cases that reach every
rule of every table (tests/dmn/test_crosscheck.py); pyDMNrules needs tens of milliseconds per
case, so the full generated set would not fit the suite's time budget and runs here instead.
Prints the numbers of cases and disagreements (each disagreement in full), which rules the
cases reach, and the time per case of each engine measured in this run. Exits 1 on any
disagreement or unreached rule, so it can serve as a long check.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from b12spec.dmn.crosscheck import PyDmnRulesEngine, b12spec_values, compare
from b12spec.dmn.generate import generated_cases, unreached_rules
from b12spec.scenarios import load_scenarios, run_scenarios
from b12spec.workspace import load_spec

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    spec = load_spec(ROOT / "spec")
    started = time.perf_counter()
    engine = PyDmnRulesEngine(spec)
    print(f"pyDMNrules: import and load of the exported model {time.perf_counter() - started:.1f} s", flush=True)
    outcomes = run_scenarios(spec, load_scenarios(ROOT / "features"))
    scenario_cases = [e.case for o in outcomes for e in o.evaluations]
    cases = generated_cases(spec, args.seed, args.cases)
    unreached = unreached_rules(spec, cases)
    print(f"generated cases: {len(cases)}; rules not reached: {len(unreached)} {unreached}", flush=True)
    started = time.perf_counter()
    for case in cases:
        b12spec_values(spec, case)
    ours = (time.perf_counter() - started) / len(cases)
    total = 0
    found = []
    started = time.perf_counter()
    for label, batch in (("scenario", scenario_cases), ("generated", cases)):
        for start in range(0, len(batch), 500):
            chunk = batch[start : start + 500]
            found.extend(compare(spec, engine, chunk))
            total += len(chunk)
            print(
                f"  {label} cases compared: {start + len(chunk)}/{len(batch)}, disagreements so far {len(found)}",
                flush=True,
            )
    theirs = (time.perf_counter() - started) / total
    for item in found:
        print(
            f"DISAGREEMENT {item.decision}: b12spec {item.b12spec!r}, pyDMNrules {item.engine!r}, "
            f"case {dict(item.case)}"
        )
    print(
        f"cases compared: {total} ({len(scenario_cases)} scenario, {len(cases)} generated); disagreements: {len(found)}"
    )
    print(
        f"time per case: b12spec {ours * 1e3:.3f} ms, pyDMNrules {theirs * 1e3:.1f} ms "
        f"(pyDMNrules / b12spec = {theirs / ours:.0f}x)"
    )
    return 1 if found or unreached else 0


if __name__ == "__main__":
    sys.exit(main())
