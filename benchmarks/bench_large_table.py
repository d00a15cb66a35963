"""Benchmark: `b12spec check` of the real spec with one table grown to thousands of rules.

    .venv/bin/python benchmarks/bench_large_table.py [--rules 2000] [--seed 7]

A copy of spec/ is made in a temporary directory and its b12_status table gets ``--rules``
generated rules (consecutive total-B12 bands crossed with an active-B12 condition), with the
original rules kept so every other file still resolves. That table is what a fuzzing run used
to find check taking 46 s (issue 16); the target there is under 5 s. Printed: the time to load
the spec (the reference, measured in the same run), the time of the whole check, their ratio,
and the finding counts so a reader can see the analyses did the work. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from b12spec.verify.check import check_spec
from b12spec.workspace import load_spec

SPEC = Path(__file__).resolve().parent.parent / "spec"
ACTIVE = ("-", "< 25", ">= 25", "null", "[25..70]")


def grow(spec_dir: Path, rules: int, seed: int) -> None:
    path = spec_dir / "tables" / "b12_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle))
    rng = random.Random(seed)
    generated = []
    for number in range(rules):
        row = list(body[0])
        row[0] = f"DX-{number + 100:04d}"
        row[1] = f"[{number * 10}..{number * 10 + 10})"
        row[2] = rng.choice(ACTIVE)
        generated.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *generated, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        spec_dir = Path(temporary) / "spec"
        shutil.copytree(SPEC, spec_dir)
        grow(spec_dir, args.rules, args.seed)
        started = time.perf_counter()
        load_spec(spec_dir)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        report = check_spec(spec_dir)
        checked = time.perf_counter() - started
    print(f"rules added to b12_status: {args.rules}")
    print(f"load_spec (reference): {loaded:.2f} s")
    print(f"check:                 {checked:.2f} s  ({checked / loaded:.1f} x load; target under 5 s)")
    print(f"findings: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")


if __name__ == "__main__":
    main()
