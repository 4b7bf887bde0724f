"""Time building the reports several ways, on this machine, in one run; prints the figures and the ratios.

    .venv/bin/python bench/run_time.py [--skip-naive] [--skip-ploomber] [--skip-cold]

(a) the naive way: for each notebook, the `papermill` CLI, then `jupyter nbconvert --to html --no-input`, one
    after another (Vietnamese);
(b) `ploomber build --force` (parallel executor) on copies of the same notebooks, `upstream` and `product` added
    to their parameters cell as ploomber requires; ploomber is installed by the bench in a throwaway venv and runs
    the notebooks on the project's kernel (Vietnamese);
(c) `camgiang run --force` for vi, then (d) for all languages, kernels forked from the warm template;
(c') and (d') the same with `--cold-kernels` (every kernel a new interpreter), to show what the template saves;
(e) `camgiang run` with nothing changed;
(f) the in-process floor: every notebook's code cells, for both languages, executed one after another in one
    process (imports counted once), divided by the cores: what no batch of separate kernels can beat.
A benchmark, not a test: it prints measured figures. The targets of issue #11 are printed beside them.
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
QUIET = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, **QUIET, **kwargs)
    return time.perf_counter() - start


def naive(notebooks: list[Path], work: Path) -> float:
    folder = work / "naive"
    folder.mkdir()
    start = time.perf_counter()
    for nb in notebooks:
        executed = folder / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-k", "camgiang", "-p", "lang", "vi"], **QUIET)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], **QUIET)
    return time.perf_counter() - start


def ploomber(notebooks: list[Path], work: Path) -> float:
    """ploomber build --force on copies of the notebooks (time of the build only, not of the install)."""
    import nbformat

    venv = work / "ploomber-venv"
    subprocess.run([shutil.which("python3") or sys.executable, "-m", "venv", str(venv)], **QUIET)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "ploomber"], **QUIET)
    project = work / "ploomber"
    (project / "nb").mkdir(parents=True)
    tasks = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                cell.source += "\nupstream = None\nproduct = None"  # ploomber refuses a notebook without them
        nbformat.write(nb, project / "nb" / path.name)
        tasks.append(f"  - source: nb/{path.name}\n    name: {path.stem}\n    kernelspec_name: camgiang\n"
                     f"    params:\n      lang: vi\n    product: out/{path.stem}.html")
    (project / "pipeline.yaml").write_text("executor: parallel\ntasks:\n" + "\n".join(tasks) + "\n", encoding="utf-8")
    # the project's kernel spec lives in its venv (--sys-prefix): show it to ploomber's jupyter_client
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    return timed([str(venv / "bin" / "ploomber"), "build", "--force"], cwd=project, env=env)


def in_process_floor(notebooks: list[Path], langs=("vi", "en")) -> tuple[float, float]:
    """(seconds for the imports, seconds for every code cell of every notebook in every language), in this
    process, Agg backend, the parameters cell's values replaced as papermill would."""
    import contextlib
    import io

    import nbformat

    os.environ.setdefault("MPLBACKEND", "Agg")
    start = time.perf_counter()
    import matplotlib.pyplot  # noqa: F401  the heavy imports every kernel pays
    import pandas  # noqa: F401

    import camgiang_data.present  # noqa: F401
    imports = time.perf_counter() - start
    start = time.perf_counter()
    for lang in langs:
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            namespace: dict = {}
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                source = cell.source
                if "parameters" in cell.metadata.get("tags", []):
                    source += f"\nlang = {lang!r}"
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"{path.name}", "exec"), namespace)
            matplotlib.pyplot.close("all")
    return imports, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-naive", action="store_true", help="leave out (a), the slowest")
    parser.add_argument("--skip-ploomber", action="store_true", help="leave out (b) and its install")
    parser.add_argument("--skip-cold", action="store_true", help="leave out (c') and (d'), the cold-kernel runs")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="camgiang-bench-"))
    figures = {}
    try:
        if not args.skip_naive:
            figures["naive"] = naive(notebooks, work)
        if not args.skip_ploomber:
            figures["ploomber"] = ploomber(notebooks, work)
        out = work / "out"
        camgiang = [str(BIN / "camgiang"), "run", "--out", str(out)]
        figures["vi"] = timed(camgiang + ["--force", "--lang", "vi"])
        figures["all"] = timed(camgiang + ["--force", "--lang", "all"])
        if not args.skip_cold:
            figures["vi cold"] = timed(camgiang + ["--force", "--lang", "vi", "--cold-kernels"])
            figures["all cold"] = timed(camgiang + ["--force", "--lang", "all", "--cold-kernels"])
        figures["unchanged"] = timed(camgiang + ["--lang", "all"])
        pages = sum(1 for p in out.rglob("*.html") if p.name != "index.html")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    imports, cells = in_process_floor(notebooks)
    floor = (imports + cells) / cores
    print(f"notebooks: {len(notebooks)}, pages for all languages: {pages}, cores: {cores}")
    if "naive" in figures:
        print(f"(a) papermill CLI + nbconvert CLI, one after another, vi: {figures['naive']:6.1f} s")
    if "ploomber" in figures:
        print(f"(b) ploomber build --force (parallel), vi:                {figures['ploomber']:6.1f} s")
    print(f"(c) camgiang run --force, vi:                             {figures['vi']:6.1f} s")
    print(f"(d) camgiang run --force --lang all:                      {figures['all']:6.1f} s")
    if "vi cold" in figures:
        print(f"(c') camgiang run --force --cold-kernels, vi:             {figures['vi cold']:6.1f} s")
        print(f"(d') camgiang run --force --cold-kernels --lang all:      {figures['all cold']:6.1f} s")
    print(f"(e) camgiang run --lang all, nothing changed:             {figures['unchanged']:6.2f} s")
    print(f"(f) in-process floor, both languages: imports {imports:.1f} s + cells {cells:.1f} s, / {cores} cores = "
          f"{floor:.1f} s")
    print("ratios (issue #11 targets in brackets):")
    if "naive" in figures:
        print(f"  vi: {figures['naive'] / figures['vi']:.1f}x faster than (a)")
    if "ploomber" in figures:
        print(f"  vi: {figures['ploomber'] / figures['vi']:.1f}x faster than ploomber [at least 3x]")
    print(f"  all: {figures['all'] / floor:.1f}x the in-process floor [within 2x]")
    if "vi cold" in figures:
        print(f"  warm kernels: vi {figures['vi cold'] / figures['vi']:.1f}x, all "
              f"{figures['all cold'] / figures['all']:.1f}x faster than cold ones")
    print(f"  unchanged: {figures['unchanged']:.2f} s [under 0.5 s]")


if __name__ == "__main__":
    main()
