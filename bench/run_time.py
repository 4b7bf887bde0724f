"""Time building the reports three ways, on this machine, in one run; prints the figures and the ratios.

    .venv/bin/python bench/run_time.py [--lang vi]

(a) the naive way: for each notebook, the `papermill` CLI, then `jupyter nbconvert --to html --no-input`, one
    after another; (b) `camgiang run --force`; (c) `camgiang run` with nothing changed.
A benchmark, not a test: it prints measured figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="vi")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    work = Path(tempfile.mkdtemp(prefix="camgiang-bench-"))
    try:
        naive_dir = work / "naive"
        naive_dir.mkdir()
        start = time.perf_counter()
        for nb in notebooks:
            executed = naive_dir / nb.name
            subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-k", "camgiang", "-p", "lang", args.lang],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        naive = time.perf_counter() - start
        out = work / "out"
        camgiang = [str(BIN / "camgiang"), "run", "--lang", args.lang, "--out", str(out)]
        forced = timed(camgiang + ["--force"])
        unchanged = timed(camgiang)
        sizes = [p.stat().st_size for p in out.rglob("*.html") if p.name != "index.html"]
        naive_sizes = [p.stat().st_size for p in naive_dir.glob("*.html")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"notebooks: {len(notebooks)}, lang: {args.lang}, cores: {os.cpu_count()}")
    print(f"(a) papermill CLI + nbconvert CLI, one after another: {naive:6.1f} s")
    print(f"(b) camgiang run --force:                             {forced:6.1f} s   ({naive / forced:.1f}x faster than a)")
    print(f"(c) camgiang run, nothing changed:                    {unchanged:6.2f} s")
    if sizes:
        print(f"HTML page size: camgiang median {sorted(sizes)[len(sizes) // 2] / 1024:.0f} KB "
              f"(max {max(sizes) / 1024:.0f} KB); default nbconvert median "
              f"{sorted(naive_sizes)[len(naive_sizes) // 2] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
