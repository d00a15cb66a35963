"""Benchmark: `b12spec check` of the real spec with one table grown to thousands of rules.

    .venv/bin/python benchmarks/bench_large_table.py [--rules 2000] [--seed 7] [--mixed]

A copy of spec/ is made in a temporary directory and its b12_status table gets ``--rules``
generated rules (consecutive total-B12 bands crossed with an active-B12 condition), with the
original rules kept so every other file still resolves. That table is what a fuzzing run used
to find check taking 46 s (issue 16); the target there is under 5 s. With ``--mixed`` the
generated rules take the outputs of a random original rule and overlapping bands of random
width, so no two rules can be merged and the hit policy has real work.

Printed: the time to load the spec (the reference, measured in the same run); the time of the
real command, ``b12spec --spec DIR check`` in a fresh process (start-up, every analyzer, the
report), and its ratio to the reference; check_spec with the command's analyzers in this
process and how much of it the guideline-wide property proof took; and the finding counts, so
a reader can see the analyses did the work. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from b12spec.commands.check import ANALYZERS
from b12spec.verify.check import check_spec
from b12spec.verify.prover import prove_spec
from b12spec.workspace import load_spec, read_spec_files

SPEC = Path(__file__).resolve().parent.parent / "spec"
ACTIVE = ("-", "< 25", ">= 25", "null", "[25..70]")


def grow(spec_dir: Path, rules: int, seed: int, mixed: bool = False) -> None:
    path = spec_dir / "tables" / "b12_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle))
    rng = random.Random(seed)
    generated = []
    for number in range(rules):
        row = list(rng.choice(body) if mixed else body[0])
        row[0] = f"DX-{number + 100:04d}"
        if mixed:
            low = rng.randrange(0, rules * 10)
            row[1] = f"[{low}..{low + rng.randrange(1, 300)})"
        else:
            row[1] = f"[{number * 10}..{number * 10 + 10})"
        row[2] = rng.choice(ACTIVE)
        generated.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *generated, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mixed", action="store_true", help="random outputs and overlapping bands")
    args = parser.parse_args()
    command = [str(Path(sys.executable).with_name("b12spec"))]
    with tempfile.TemporaryDirectory() as temporary:
        spec_dir = Path(temporary) / "spec"
        shutil.copytree(SPEC, spec_dir)
        grow(spec_dir, args.rules, args.seed, args.mixed)
        started = time.perf_counter()
        spec = load_spec(spec_dir)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        ran = subprocess.run([*command, "--spec", str(spec_dir), "check"], capture_output=True, check=False)
        whole = time.perf_counter() - started
        started = time.perf_counter()
        report = check_spec(read_spec_files(spec_dir), analyzers=ANALYZERS)
        checked = time.perf_counter() - started
        proofs, proved = prove_spec(spec)  # the proof check_spec just made, kept for this content
    verdict = "met" if whole < 5 else "MISSED"
    print(f"rules added to b12_status: {args.rules}{' (mixed)' if args.mixed else ''}")
    print(f"load_spec (reference):      {loaded:.2f} s")
    print(f"b12spec check (the command): {whole:.2f} s  ({whole / loaded:.1f} x load; target under 5 s: {verdict};"
          f" exit {ran.returncode})")
    print(f"  check_spec in process:    {checked:.2f} s  ({checked / loaded:.1f} x load)")
    print(f"  of which the proof:       {proved:.2f} s  ({proved / loaded:.1f} x load) for {len(proofs)} properties")
    print(f"findings: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")


if __name__ == "__main__":
    main()
