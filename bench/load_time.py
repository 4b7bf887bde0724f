"""Measure: import camgiang_data and load every table, in a fresh interpreter each time (cold caches of our own).

    .venv/bin/python bench/load_time.py [--runs 7]

Prints the median and the range over the runs; a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PROBE = r"""
import time
t0 = time.perf_counter()
import camgiang_data as cg
t1 = time.perf_counter()
for name in cg.tables():
    cg.load(name)
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    imports, loads = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
        a, b = map(float, out.split())
        imports.append(a)
        loads.append(b)
    totals = [a + b for a, b in zip(imports, loads)]
    print(f"runs: {runs}")
    print(f"import camgiang_data:      median {statistics.median(imports):.3f} s")
    print(f"load every table (first): median {statistics.median(loads):.3f} s")
    print(f"import + load, total:      median {statistics.median(totals):.3f} s "
          f"(min {min(totals):.3f}, max {max(totals):.3f})")


if __name__ == "__main__":
    main()
