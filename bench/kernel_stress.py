"""Stress the kernel starts of full builds: N builds one after another, optionally with every core kept busy.

    .venv/bin/python bench/kernel_stress.py [--builds 50] [--busy] [--jobs J] [--lang all]

Each build is `camgiang run --lang all --force` into a throwaway --out folder: with 11 notebooks, 22 kernels
started from parallel workers, the situation of issue #7 (a kernel dying at start, one build in three, on a
2-core machine). `--busy` runs one busy-loop process per core during the builds, so that kernels start on a
loaded machine. Prints per build and in total: kernel starts, failed notebooks (with why), retried starts,
seconds, and orphaned kernels after a build (alive, though the camgiang-run-* folder of the connection file
their command line names was removed with its run). Exits 1 when any notebook failed; ^C stops, with the
totals so far. A benchmark, not a test: it prints measured figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent
ROW = re.compile(r"^(\S+)\s+(vi|en)\s+(ok|FAILED|skipped)\b(.*)$", re.M)


def leftover_kernels() -> int:
    """Orphaned kernels: alive, with a connection file in a camgiang-run-* folder that no longer exists (its
    run is over). A kernel of another run still going (its folder is there) does not count."""
    count = 0
    for process in psutil.process_iter(["cmdline", "status"]):
        cmdline = process.info["cmdline"] or []
        files = [arg for arg in cmdline if "camgiang-run-" in arg and arg.endswith(".json")]
        if files and process.info["status"] != psutil.STATUS_ZOMBIE and not os.path.exists(files[0]):
            count += 1
    return count


def build(out: Path, args) -> dict:
    cmd = [str(BIN / "camgiang"), "run", "--lang", args.lang, "--force", "--out", str(out)]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    rows = ROW.findall(done.stdout)
    run = [r for r in rows if r[2] != "skipped"]
    retried = sum("(retried)" in r[3] for r in run)
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAILED ")]
    if done.returncode not in (0, 1) or not rows:  # refused before running: no table to count
        failures.append(f"camgiang run exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return {"notebooks": len(run), "starts": len(run) + retried, "failed": sum(r[2] == "FAILED" for r in run),
            "retried": retried, "seconds": seconds, "failures": failures, "leftover": leftover_kernels(),
            "retries": [line for line in done.stdout.splitlines() if line.startswith("RETRIED ")]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[3:]))
    parser.add_argument("--builds", type=int, default=50, help="consecutive builds (default: 50)")
    parser.add_argument("--busy", action="store_true",
                        help=f"keep every core busy during the builds ({os.cpu_count()} busy-loop processes)")
    parser.add_argument("--jobs", type=int, default=None, help="camgiang run --jobs (default: its own, the cores)")
    parser.add_argument("--lang", default="all", choices=["vi", "en", "all"], help="camgiang run --lang (default: all)")
    args = parser.parse_args()

    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)
            ] if args.busy else []
    work = Path(tempfile.mkdtemp(prefix="camgiang-stress-"))
    results = []
    print(f"{args.builds} builds of `camgiang run --lang {args.lang} --force`, cores: {os.cpu_count()}, "
          f"busy: {len(hogs)} busy-loop process(es)", flush=True)
    try:
        for n in range(1, args.builds + 1):
            r = build(work / "out", args)
            results.append(r)
            print(f"build {n:3}/{args.builds}: {r['notebooks']:3} notebooks, {r['starts']:3} kernel starts, "
                  f"{r['failed']} failed, {r['retried']} retried, {r['seconds']:6.1f} s"
                  + (f", {r['leftover']} orphaned kernel(s)" if r["leftover"] else ""), flush=True)
            for line in r["retries"] + r["failures"]:
                print(f"    {line}", flush=True)
    except KeyboardInterrupt:  # ^C: the totals of the builds done so far
        print(f"interrupted after {len(results)} build(s)", flush=True)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        shutil.rmtree(work, ignore_errors=True)
    times = sorted(r["seconds"] for r in results)
    failed = sum(r["failed"] + (not r["notebooks"]) for r in results)
    print(f"total: {len(results)} builds, {sum(r['starts'] for r in results)} kernel starts, "
          f"{sum(r['notebooks'] for r in results)} notebooks run, {failed} failed notebooks, "
          f"{sum(r['retried'] for r in results)} retried starts, builds with a failure: "
          f"{sum(bool(r['failures']) for r in results)}, orphaned kernels: "
          f"{sum(r['leftover'] for r in results)}")
    if times:
        print(f"time per build: median {times[len(times) // 2]:.1f} s, min {times[0]:.1f} s, max {times[-1]:.1f} s, "
              f"total {sum(times) / 60:.1f} min")
    sys.exit(1 if failed or any(r["failures"] for r in results) else 0)


if __name__ == "__main__":
    main()
