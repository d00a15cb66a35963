"""Benchmark of the reviewer site build (without the PDF packets), against rendering alone.

    .venv/bin/python benchmarks/bench_site.py [--runs 3]

Builds the real spec's site into a temporary directory several times and prints the wall time
of each phase: rendering the Markdown pages (spec, reports, features, examples -> build/docs/)
and the whole build (rendering plus ``mkdocs build --strict`` and the search index). The target
(issue 12) is a whole build under 10 s on this 2-core machine; the ratio whole/render shows how
much is mkdocs' share. The CPU time (this process and mkdocs) is printed too, with the load
average: on a shared machine the wall time grows with the load, the CPU time much less. Nothing here asserts: the numbers are printed for the record.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from b12spec.site import SitePaths, build_site, render
from b12spec.site.signoff import signoff_view

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    renders, builds, cpus = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        paths = replace(SitePaths.for_root(ROOT), build_dir=Path(tmp) / "build", site_dir=Path(tmp) / "site")
        for _ in range(runs):
            start = time.perf_counter()
            render(paths, signoff_view)
            renders.append(time.perf_counter() - start)
            start, before = time.perf_counter(), os.times()
            build_site(paths, signoff_view)
            builds.append(time.perf_counter() - start)
            after = os.times()  # this process and mkdocs (a child process): CPU, not wall time
            cpus.append(sum(a - b for a, b in zip(after[:4], before[:4], strict=True)))
        pages = sum(1 for _ in paths.site_dir.rglob("*.html"))
    render_s, build_s = statistics.median(renders), statistics.median(builds)
    print(f"site build of {pages} pages, median of {runs} runs (reports from {paths.reports_dir})")
    print(f"  render pages      {render_s:6.2f} s")
    print(f"  whole build       {build_s:6.2f} s   (target < 10 s; {build_s / render_s:.1f}x the render alone)")
    print(f"  whole build CPU   {statistics.median(cpus):6.2f} s   (user+sys incl. mkdocs; wall time grows with load)")
    print(f"  load average      {os.getloadavg()[0]:6.2f}")


if __name__ == "__main__":
    main()
