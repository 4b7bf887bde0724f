"""Stress the kernel starts of full builds: N builds one after another, optionally with every core kept busy.

    .venv/bin/python bench/kernel_stress.py [--builds 50] [--busy] [--jobs J] [--lang all] [--cold-kernels]

Each build is `camgiang run --lang all --force` into a throwaway --out folder: with 11 notebooks, 22 kernels
started from parallel workers, the situation of issue #7 (a kernel dying at start, one build in three, on a
2-core machine). `--busy` runs one busy-loop process per core during the builds, so that kernels start on a
loaded machine. Prints per build and in total: kernel starts, failed notebooks (with why), retried starts,
seconds, kernels forked from the warm template (issue #11) or started the ordinary way, orphaned processes after
a build (alive, though the camgiang-run-* file their command line names, a kernel's connection file or the warm
template's socket, was removed with its run), and the memory of each kind of process of the run, sampled four
times a second: the parent, the warm template, each worker (the forked process that drives one notebook) and
each kernel, as RSS, PSS (its fair share of pages shared with others, as forked kernels share the template's)
and USS (what it alone holds, freed when it ends). Exits 1 when any notebook failed; ^C stops, with the totals
so far. A benchmark, not a test: it prints measured figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent
ROW = re.compile(r"^(\S+)\s+(vi|en)\s+(ok|FAILED|skipped)\b(.*)$", re.M)


def leftover_kernels() -> int:
    """Orphaned processes: alive, naming a file in a camgiang-run-* folder that no longer exists (its run is
    over): a kernel's connection file, or the warm template's socket (which a forked kernel's command line,
    the template's, names too). A process of another run still going (its folder is there) does not count."""
    count = 0
    for process in psutil.process_iter(["cmdline", "status"]):
        cmdline = process.info["cmdline"] or []
        files = [arg for arg in cmdline if "camgiang-run-" in arg and os.path.isabs(arg)]
        if files and process.info["status"] != psutil.STATUS_ZOMBIE and not os.path.exists(files[0]):
            count += 1
    return count


class Memory(threading.Thread):
    """Samples the memory of a run's processes (by pid: its peak per process) until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peaks, self.kinds, self.stopped = root, {}, {}, threading.Event()

    def kind(self, process: psutil.Process, cmdline: list[str]) -> str:
        if process.pid == self.root:
            return "parent"
        if "camgiang_data.runner.template" in cmdline:  # the template, and the kernels it forked
            return "kernel" if process.ppid() != self.root else "template"
        if "ipykernel_launcher" in cmdline:
            return "kernel"
        return "worker"

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            try:
                root = psutil.Process(self.root)
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for process in processes:
                try:
                    cmdline = process.cmdline()
                    info = process.memory_full_info()
                    self.kinds.setdefault(process.pid, self.kind(process, cmdline))
                except psutil.Error:
                    continue
                peak = self.peaks.setdefault(process.pid, [0, 0, 0, 0.0])
                for i, value in enumerate((info.rss, info.pss, info.uss)):
                    peak[i] = max(peak[i], value)
                try:
                    times = process.cpu_times()
                    peak[3] = max(peak[3], times.user + times.system)
                except psutil.Error:
                    pass

    def stop(self) -> dict[str, list[list[int]]]:
        """Peaks [rss, pss, uss] of every process seen, by kind."""
        self.stopped.set()
        self.join()
        by_kind: dict[str, list[list[int]]] = {}
        for pid, peak in self.peaks.items():
            by_kind.setdefault(self.kinds[pid], []).append(peak)
        return by_kind


def build(out: Path, args) -> dict:
    cmd = [str(BIN / "camgiang"), "run", "--lang", args.lang, "--force", "--out", str(out)]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    if args.cold_kernels:
        cmd += ["--cold-kernels"]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        running = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, text=True)
        memory = Memory(running.pid)
        memory.start()
        running.wait()
        memory_peaks = memory.stop()
        stdout.seek(0)
        stderr.seek(0)
        done = subprocess.CompletedProcess(cmd, running.returncode, stdout.read(), stderr.read())
    seconds = time.perf_counter() - start
    rows = ROW.findall(done.stdout)
    run = [r for r in rows if r[2] != "skipped"]
    retried = sum("(retried)" in r[3] for r in run)
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAILED ")]
    if done.returncode not in (0, 1) or not rows:  # refused before running: no table to count
        failures.append(f"camgiang run exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    warm = re.search(r"^kernels: (\d+) forked from the warm template", done.stdout, re.M)
    return {"notebooks": len(run), "starts": len(run) + retried, "failed": sum(r[2] == "FAILED" for r in run),
            "retried": retried, "seconds": seconds, "failures": failures, "leftover": leftover_kernels(),
            "retries": [line for line in done.stdout.splitlines() if line.startswith("RETRIED ")],
            "warm": int(warm.group(1)) if warm else 0, "memory": memory_peaks,
            "kernels": [line for line in done.stdout.splitlines() if line.startswith(("kernels:", "    "))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[3:]))
    parser.add_argument("--builds", type=int, default=50, help="consecutive builds (default: 50)")
    parser.add_argument("--busy", action="store_true",
                        help=f"keep every core busy during the builds ({os.cpu_count()} busy-loop processes)")
    parser.add_argument("--jobs", type=int, default=None, help="camgiang run --jobs (default: its own, the cores)")
    parser.add_argument("--lang", default="all", choices=["vi", "en", "all"], help="camgiang run --lang (default: all)")
    parser.add_argument("--cold-kernels", action="store_true", help="camgiang run --cold-kernels: no warm template")
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
            print(f"build {n:3}/{args.builds}: {r['notebooks']:3} notebooks, {r['starts']:3} kernel starts "
                  f"({r['warm']} warm), {r['failed']} failed, {r['retried']} retried, {r['seconds']:6.1f} s"
                  + (f", {r['leftover']} orphaned process(es)" if r["leftover"] else ""), flush=True)
            if r["warm"] < r["notebooks"] and not args.cold_kernels:
                for line in r["kernels"]:
                    print(f"    {line.strip()}", flush=True)
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
          f"{sum(r['leftover'] for r in results)}, warm kernel starts: {sum(r['warm'] for r in results)}")
    print_memory(results)
    if times:
        print(f"time per build: median {times[len(times) // 2]:.1f} s, min {times[0]:.1f} s, max {times[-1]:.1f} s, "
              f"total {sum(times) / 60:.1f} min")
    sys.exit(1 if failed or any(r["failures"] for r in results) else 0)


def print_memory(results: list[dict]) -> None:
    """Median and largest peak per process of each kind, over every build, in MiB."""
    mib = 1024 * 1024
    merged: dict[str, list[list[int]]] = {}
    for r in results:
        for kind, peaks in r["memory"].items():
            merged.setdefault(kind, []).extend(peaks)
    print("memory per process (peak, MiB: median / largest over the processes seen; PSS counts shared pages "
          "fairly, USS is the process's own), and the CPU time of each kind (as last sampled, so a little low):")
    for kind in ("parent", "template", "worker", "kernel"):
        peaks = merged.get(kind)
        if not peaks:
            continue
        columns = []
        for i, name in enumerate(("RSS", "PSS", "USS")):
            values = sorted(p[i] for p in peaks)
            columns.append(f"{name} {values[len(values) // 2] / mib:6.1f} / {values[-1] / mib:6.1f}")
        cpu = sum(p[3] for p in peaks) / len(results)
        print(f"  {kind:<8} ({len(peaks):4} seen): " + ", ".join(columns) + f"; CPU {cpu:5.1f} s per build")
    workers, kernels = merged.get("worker"), merged.get("kernel")
    if workers and kernels:
        pss = sorted(w[1] for w in workers)[len(workers) // 2] + sorted(k[1] for k in kernels)[len(kernels) // 2]
        print(f"  a worker with its kernel: PSS {pss / mib:.1f} MiB (median worker + median kernel)")


if __name__ == "__main__":
    main()
