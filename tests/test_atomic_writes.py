"""All-or-nothing writes: `new-year` and `extract` change a year folder completely or not at all, whatever fails
and whenever the process is killed; what a killed run leaves is cleared by the next one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from camgiang_data import atomic
from camgiang_data.cli import main

from .conftest import YEAR
from .test_bad_input_classes import snapshot

NEW = YEAR + 1
STEPS = ("_write_file", "_copy_file", "_swap", "_fsync_dir")

REPORT = """\
Số: 02/BC-UBND TT Cẩm Giang, ngày 05 tháng 01 năm 2023

BÁO CÁO

Kết quả thực hiện nhiệm vụ phát triển KTXH - ANQP năm 2022

PHẦN THỨ NHẤT

A. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU

1. Về kinh tế:

Tốc độ tăng trưởng kinh tế đạt 7,5%; thu nhập bình quân đầu người đạt 60,2 triệu đồng/người/năm.
"""


def cli(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def started(data_dir, tmp_path):
    """A data directory with 2022 started (new-year) and the 2022 report beside it."""
    assert cli("new-year", NEW, "--data-dir", data_dir)[0] == 0
    report = tmp_path / "report-2022.txt"
    report.write_text(REPORT, encoding="utf-8")
    return data_dir, report


def count_steps(monkeypatch, command) -> int:
    calls = []
    for name in STEPS:
        real = getattr(atomic, name)
        monkeypatch.setattr(atomic, name, lambda *a, _real=real, **k: (calls.append(1), _real(*a, **k))[1])
    command()
    monkeypatch.undo()
    return len(calls)


def fail_at(monkeypatch, k: int) -> None:
    """The k-th write step (counting every step) raises, as a full disk would."""
    calls = []
    for name in STEPS:
        real = getattr(atomic, name)

        def step(*args, _real=real, **kwargs):
            calls.append(1)
            if len(calls) == k + 1:
                raise OSError(28, "No space left on device")
            return _real(*args, **kwargs)

        monkeypatch.setattr(atomic, name, step)


def test_extract_fails_at_any_write_and_leaves_the_year_byte_identical(started, tmp_path, monkeypatch):
    data_dir, report = started
    pristine, clean = tmp_path / "pristine", tmp_path / "clean"
    shutil.copytree(data_dir, pristine)
    shutil.copytree(data_dir, clean)
    steps = count_steps(monkeypatch, lambda: cli("extract", report, "--year", NEW, "--data-dir", clean))
    assert steps >= 6  # facts, sections, source.json, source.txt, the copies, the swap
    before, after = snapshot(data_dir), snapshot(clean)
    refused = 0
    for k in range(steps):
        fail_at(monkeypatch, k)
        code, output = cli("extract", report, "--year", NEW, "--data-dir", data_dir)
        monkeypatch.undo()
        done = snapshot(data_dir)
        if done == before:  # the failure came before the swap
            assert code == 1 and "No space left on device" in output and "Nothing was changed" in output, output
            refused += 1
        else:  # only tidying after the swap is left, and its failure is not the command's
            assert done == after, f"step {k}: the folder is neither the old nor the new one"
            assert code == 0, output
            shutil.rmtree(data_dir)
            shutil.copytree(pristine, data_dir)
        assert atomic.leftovers(data_dir) == []
    assert refused >= 6


def test_new_year_fails_at_any_write_and_creates_nothing(data_dir, monkeypatch, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(data_dir, clean)
    steps = count_steps(monkeypatch, lambda: cli("new-year", NEW, "--data-dir", clean))
    before = snapshot(data_dir)
    failed = 0
    for k in range(steps):
        fail_at(monkeypatch, k)
        code, output = cli("new-year", NEW, "--data-dir", data_dir)
        monkeypatch.undo()
        if code == 0:  # only the tidying after the rename can fail without failing the command
            assert snapshot(data_dir) == snapshot(clean)
            shutil.rmtree(data_dir / str(NEW))
            continue
        failed += 1
        assert code == 1 and "Nothing was changed" in output
        assert snapshot(data_dir) == before and atomic.leftovers(data_dir) == []
    assert failed >= 5


def test_recover_puts_back_a_folder_whose_swap_was_cut_in_two(started):
    """Where the system cannot exchange two folders at once, a kill between the two renames leaves the year
    folder missing: the next writing command puts it back, byte for byte."""
    data_dir, _ = started
    folder = data_dir / str(NEW)
    before = snapshot(folder)
    folder.rename(data_dir / f".{NEW}{atomic.OLD}abc")
    (data_dir / f".{NEW}{atomic.STAGING}def").mkdir()
    done = atomic.recover(data_dir)
    assert len(done) == 2 and snapshot(folder) == before and atomic.leftovers(data_dir) == []


def test_without_an_atomic_exchange_the_two_renames_still_give_old_or_new(started, tmp_path, monkeypatch):
    data_dir, report = started
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    code, output = cli("extract", report, "--year", NEW, "--data-dir", data_dir)
    assert code in (0, 1) and "Traceback" not in output
    assert (data_dir / str(NEW) / "source.txt").read_text(encoding="utf-8") == REPORT
    assert atomic.leftovers(data_dir) == []


KILLER = textwrap.dedent("""
    import os, signal, sys
    from camgiang_data import atomic
    from camgiang_data.cli import main
    k = int(sys.argv[1])
    calls = []
    for name in {steps!r}:
        real = getattr(atomic, name)
        def step(*args, _real=real, **kwargs):
            calls.append(1)
            if len(calls) == k + 1:
                os.kill(os.getpid(), signal.SIGKILL)
            return _real(*args, **kwargs)
        setattr(atomic, name, step)
    main(sys.argv[2:])
""").format(steps=STEPS)


@pytest.mark.slow
def test_a_kill_at_any_moment_leaves_the_year_old_or_new_and_the_next_run_clears_up(started, tmp_path, monkeypatch):
    data_dir, report = started
    clean = tmp_path / "clean"
    shutil.copytree(data_dir, clean)
    steps = count_steps(monkeypatch, lambda: cli("extract", report, "--year", NEW, "--data-dir", clean))
    old, new = snapshot(data_dir / str(NEW)), snapshot(clean / str(NEW))
    seen = set()
    for k in range(steps):
        work = tmp_path / f"kill{k}"
        shutil.copytree(data_dir, work)
        args = ["extract", str(report), "--year", str(NEW), "--data-dir", str(work)]
        done = subprocess.run([sys.executable, "-c", KILLER, str(k), *args], capture_output=True, text=True)
        assert done.returncode == -signal.SIGKILL, done.stderr
        state = snapshot(work / str(NEW)) if (work / str(NEW)).exists() else None
        if state is None:  # only between two renames, where the system has no atomic exchange
            assert atomic.leftovers(work)
        else:
            assert state in (old, new), f"killed at step {k}: the year folder is half changed"
            seen.add("old" if state == old else "new")
        atomic.recover(work)
        assert snapshot(work / str(NEW)) in (old, new) and atomic.leftovers(work) == []
        assert not [p for p in work.rglob("*") if p.name.endswith(".tmp")]
    assert seen == {"old", "new"}  # the kills fell both before and after the swap
