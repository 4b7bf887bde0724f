"""Time `camgiang run --collection --force` on synthetic collections of 1, 5 and 20 units, to see the cost grow
linearly with the number of units (each unit is one plan, run after the other; its notebooks run in parallel),
then the same command again without --force and nothing changed (the `unchanged` column).

The units are copies of one unit data folder with the unit name changed in every source.json. Without --unit,
that folder is made first from tests/corpus/cam_vu_2022.txt with `camgiang init`. Prints measured figures only.

    .venv/bin/python bench/collection_time.py [--unit DIR] [--sizes 1,5,20] [--only economy,budget] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAMGIANG = Path(sys.executable).with_name("camgiang")


def make_unit(work: Path) -> Path:
    folder = work / "seed"
    subprocess.run([str(CAMGIANG), "init", str(folder), "--report", str(ROOT / "tests" / "corpus" / "cam_vu_2022.txt"),
                    "--year", "2022"], check=True, stdout=subprocess.DEVNULL)
    return folder


def make_collection(seed: Path, size: int, where: Path) -> Path:
    for n in range(1, size + 1):
        folder = where / f"unit_{n:02d}"
        shutil.copytree(seed, folder)
        for source in folder.glob("*/source.json"):
            meta = json.loads(source.read_text(encoding="utf-8"))
            meta.setdefault("unit", {})["name"] = f"xã Thử Nghiệm {n}"
            source.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=Path, help="the unit data folder to copy (default: made from the corpus)")
    parser.add_argument("--sizes", default="1,5,20", help="collection sizes (default: 1,5,20)")
    parser.add_argument("--only", default="", help="notebooks to run (as camgiang run --only; default: all)")
    parser.add_argument("--jobs", type=int, default=None, help="as camgiang run --jobs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="camgiang-collection-") as tmp:
        work = Path(tmp)
        seed = args.unit.resolve() if args.unit else make_unit(work)
        print(f"{'units':>5}  {'pages':>5}  {'seconds':>8}  {'s/page':>7}  {'s/unit':>7}  {'unchanged':>9}")
        for size in sizes:
            collection = make_collection(seed, size, work / f"c{size}")
            out = work / f"out{size}"
            command = [str(CAMGIANG), "run", "--collection", str(collection), "--force", "--out", str(out)]
            command += ["--only", args.only] if args.only else []
            command += ["--jobs", str(args.jobs)] if args.jobs else []
            began = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            seconds = time.perf_counter() - began
            if done.returncode not in (0, 1):
                sys.exit(f"camgiang run --collection failed ({done.returncode}):\n{done.stdout}")
            # report pages built (index and comparison pages are not notebooks)
            pages = sum(1 for p in out.glob("unit_*/*/*/*.html") if p.name != "index.html")
            began = time.perf_counter()
            subprocess.run([c for c in command if c != "--force"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            again = time.perf_counter() - began
            print(f"{size:>5}  {pages:>5}  {seconds:>8.1f}  {seconds / max(pages, 1):>7.2f}  {seconds / size:>7.1f}  "
                  f"{again:>8.2f}s", flush=True)


if __name__ == "__main__":
    main()
