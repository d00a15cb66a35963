"""Benchmark of the command line's start-up: ``b12spec evaluate`` against bare Python and against
importing every command.

    .venv/bin/python benchmarks/bench_cli_startup.py [--runs 7]

Each figure is the median wall time of fresh interpreters, measured in this run:
- ``python -c pass``, the reference: what any Python program pays;
- ``b12spec evaluate`` of the example case (load the spec, evaluate, print the report);
- ``b12spec evaluate`` with every command module imported first, as the CLI did before its
  commands were loaded on use.
The ratios to the reference are what to compare across machines (this one has 2 shared cores:
absolute times drift with the load). Nothing here asserts: the numbers are printed for the record.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "neurological-deficiency.yaml"
EVERY_COMMAND = "; ".join(
    f"import b12spec.commands.{name}"
    for name in ("check", "cohort", "coverage", "dmn", "docs", "evaluate", "impact", "mutate", "schema", "signoff",
                 "trace")
)
RUN_EVALUATE = f"from b12spec.cli import main; main(['--spec', {str(ROOT / 'spec')!r}, 'evaluate', {str(CASE)!r}])"


def wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    reference = wall("pass", runs)
    evaluate = wall(RUN_EVALUATE, runs)
    eager = wall(f"{EVERY_COMMAND}; {RUN_EVALUATE}", runs)
    print(f"CLI start-up, median of {runs} fresh interpreters (load average {os.getloadavg()[0]:.2f})")
    print(f"  python -c pass (reference)           {reference:6.3f} s   1.0x")
    print(f"  b12spec evaluate                     {evaluate:6.3f} s  {evaluate / reference:5.1f}x")
    print(f"  evaluate, every command imported     {eager:6.3f} s  {eager / reference:5.1f}x")
    print(f"  saved by loading commands on use     {eager - evaluate:6.3f} s  ({eager / evaluate:.1f}x faster)")


if __name__ == "__main__":
    main()
