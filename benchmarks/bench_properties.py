"""Benchmark of the guideline-wide property proof on the shipped spec.

    .venv/bin/python benchmarks/bench_properties.py [--repeat 5]

Prints, for the shipped spec/properties.yaml: the time to load the spec, the time to prove every
property over every valid case (encoding included, once per run, as `b12spec check` does), and
the time the engine takes to evaluate one case, measured in the same run as the reference; the
ratio says how many single evaluations one whole proof costs. Also the size of the proven space
(the product of the atoms of every field), which exhaustive evaluation would have to walk.

Target (issue 10, this 2-core machine): the proof of the whole guideline under 5 s. Nothing here
asserts: the numbers are printed for the record.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from b12spec.evaluate import evaluate  # noqa: E402
from b12spec.properties import load_properties  # noqa: E402
from b12spec.verify.prover import PROVEN, Encoding, prove  # noqa: E402
from b12spec.workspace import load_spec  # noqa: E402

TARGET_SECONDS = 5.0
CASE = {
    "age_years": 67, "sex": "female", "pregnant": False, "lactating": False,
    "total_b12": {"value": 150, "unit": "ng/L"}, "neurological_involvement": True,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    spec = load_spec(ROOT / "spec")
    properties = load_properties(ROOT / "spec")
    load_seconds = time.perf_counter() - started
    proofs_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        proofs = prove(spec, properties)
        proofs_times.append(time.perf_counter() - started)
    proven = sum(p.status == PROVEN for p in proofs)
    evaluations = []
    for _ in range(200):
        started = time.perf_counter()
        evaluate(spec, CASE)
        evaluations.append(time.perf_counter() - started)
    one = statistics.median(evaluations)
    worst = max(proofs_times)
    space = math.prod(len(s.atoms) for s in Encoding(spec).spaces.values())
    print(f"properties: {len(proofs)}  proven: {proven}  other: {len(proofs) - proven}")
    print(f"valid-case space walked symbolically: {space:.3g} atom combinations over "
          f"{len(spec.dictionary.fields)} fields and {len(spec.tables)} decisions")
    print(f"load spec: {load_seconds:.3f} s")
    print(f"proof of every property: median {statistics.median(proofs_times):.3f} s, worst {worst:.3f} s "
          f"({args.repeat} runs)")
    print(f"reference, one evaluation by the engine: {one * 1000:.3f} ms; one proof = {worst / one:,.0f} evaluations;"
          f" exhaustive evaluation would take about {space * one / 3600 / 24 / 365:.3g} years")
    verdict = "met" if worst + load_seconds < TARGET_SECONDS else "MISSED"
    print(f"target: load + proof under {TARGET_SECONDS:g} s: {verdict} ({worst + load_seconds:.3f} s)")


if __name__ == "__main__":
    main()
