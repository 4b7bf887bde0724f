"""Kernels of `camgiang run` (issue #7): private IPC endpoints, many starts at once, one retry of a failed
start, a hung kernel killed, and no kernel left behind by a worker that is killed.

Faulty kernels are fake kernel specs in a private JUPYTER_PATH (workers are forked, so they inherit it): one
that fails its first start (a marker file), one that always dies, one that only sleeps (hung), one that keeps
a CPU busy for a while before it starts. Each fake kernel's command line carries a token of the test, so that
the test can find any process of it left behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path

import psutil
import pytest

from camgiang_data.runner import kernel, pool
from camgiang_data.runner.plan import make_plan
from camgiang_data.runner.results import Outcome
from camgiang_data.runner.run import Report
from camgiang_data.runner.run import run as run_plan

from .test_runner import notebook, statuses

PYTHON = sys.executable
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]

FLAKY = """\
import os, sys
marker, connection_file = sys.argv[1], sys.argv[2]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit("flaky kernel: failing its first start on purpose")
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file, *sys.argv[3:]])
"""

SLOW = """\
import os, sys, time
end = time.process_time() + float(sys.argv[1])
while time.process_time() < end:  # busy: a kernel that takes long to start, but works
    pass
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[2], *sys.argv[3:]])
"""


@pytest.fixture
def specs(tmp_path, monkeypatch):
    """Install fake kernel specs; returns (token, folder, install(name, argv))."""
    token = f"camgiang-test-{uuid.uuid4().hex[:8]}"
    root = tmp_path / "jupyter"

    def install(name: str, argv: list[str]) -> str:
        folder = root / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": name, "language": "python"}), encoding="utf-8")
        return name

    monkeypatch.setenv("JUPYTER_PATH", str(root))
    return token, tmp_path, install


def left_behind(token: str, wait: float = 5.0) -> list[psutil.Process]:
    """Live processes whose command line has `token` (zombies do not count), after up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for process in psutil.process_iter(["cmdline", "status"]):
            try:
                if token in " ".join(process.info["cmdline"] or []) and process.info["status"] != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.Error:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.fixture
def one_notebook(tmp_path, data_dir):
    nbs = tmp_path / "nb"
    notebook(nbs, "alpha", 'print("alpha ran")')
    return nbs, tmp_path / "out", data_dir


def plan_for(one_notebook, spec: str):
    nbs, out, data_dir = one_notebook
    return make_plan(notebooks_dir=nbs, out=out, data_dir=data_dir, kernel=spec, jobs=1)


# --- the endpoints ------------------------------------------------------------------------------------------

async def _start(spec: str = "camgiang"):
    manager = kernel.Manager(kernel_name=spec)
    await manager.start_kernel(extra_arguments=KERNEL_ARGUMENTS)
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=120)
    return manager, client


def test_each_kernel_listens_on_its_own_ipc_sockets_which_are_gone_after_shutdown(tmp_path, monkeypatch):
    monkeypatch.setenv(pool.SCRATCH, str(tmp_path))  # as in a worker: kernels recorded for the parent

    async def two_kernels():
        started = await asyncio.gather(_start(), _start())
        seen = []
        for manager, client in started:
            info = json.loads(Path(manager.connection_file).read_text(encoding="utf-8"))
            sockets = sorted(Path(manager.folder).glob("k-*"))
            seen.append({"transport": info["transport"], "ip": info["ip"], "folder": manager.folder,
                         "sockets": [p for p in sockets if stat.S_ISSOCK(p.stat().st_mode)],
                         "recorded": sorted(p.name for p in tmp_path.glob("*.pgid")),
                         "pid": manager.provisioner.pid,
                         "reply": (await client.execute_interactive("6 * 7", store_history=False))["content"]})
            client.stop_channels()
        for manager, _ in started:
            await manager.shutdown_kernel()
        return seen

    seen = asyncio.run(two_kernels())
    assert [s["transport"] for s in seen] == ["ipc", "ipc"]
    assert seen[0]["ip"] != seen[1]["ip"] and seen[0]["folder"] != seen[1]["folder"]
    for s in seen:
        assert s["ip"] == os.path.join(s["folder"], "k") and Path(s["folder"]).parent == tmp_path
        assert len(s["sockets"]) == 5 and all(len(str(p)) < 100 for p in s["sockets"])
        assert f"{s['pid']}.pgid" in s["recorded"]
        assert s["reply"]["status"] == "ok"
        assert not os.path.exists(s["folder"]), "sockets and connection file left after shutdown"
        assert not psutil.pid_exists(s["pid"]) or psutil.Process(s["pid"]).status() == psutil.STATUS_ZOMBIE
    assert not list(tmp_path.glob("*.pgid")), "a kernel shut down is still recorded for the parent to kill"


def test_kernel_folders_stay_short_enough_for_unix_sockets(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv(pool.SCRATCH, str(deep))  # too long: the sockets go to /tmp instead
    folder = kernel._private_folder()
    try:
        assert Path(folder).parent == Path("/tmp") and len(os.path.join(folder, "k-5")) < 100
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700  # private
    finally:
        os.rmdir(folder)
    monkeypatch.setenv(pool.SCRATCH, str(tmp_path))
    folder = kernel._private_folder()
    assert Path(folder).parent == tmp_path and folder != kernel._private_folder()


def _start_and_describe(_task):
    async def go():
        manager, client = await _start()
        reply = await client.execute_interactive("import os; os.getpid()", store_history=False)
        described = (manager.transport, manager.ip, reply["content"]["status"])
        client.stop_channels()
        await manager.shutdown_kernel()
        return described

    return asyncio.run(go())


def test_eight_kernels_started_at_once_from_forked_workers_all_become_ready():
    results = pool.run(range(8), 8, _start_and_describe, crashed=lambda task, how, tail: (task, how, tail))
    assert len(results) == 8
    assert all(r[0] == "ipc" and r[2] == "ok" for r in results), results
    assert len({r[1] for r in results}) == 8  # eight endpoint prefixes
    assert not [r[1] for r in results if os.path.exists(os.path.dirname(r[1]))]


# --- a start that fails -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_kernel_that_fails_its_first_start_is_started_again_and_the_summary_says_so(specs, one_notebook):
    token, tmp, install = specs
    (tmp / "flaky.py").write_text(FLAKY, encoding="utf-8")
    marker = tmp / f"{token}.marker"
    spec = install("cg-flaky", [PYTHON, str(tmp / "flaky.py"), str(marker), "{connection_file}"])
    report = run_plan(plan_for(one_notebook, spec))
    summary = report.summary()
    assert report.exit_code == 0, summary
    assert marker.exists()
    assert statuses(summary) == {"vi/alpha": "ok"}
    assert "alpha     vi    ok (retried)" in summary
    assert "1 ok, 0 failed, 0 skipped (1 kernel start retried) in" in summary
    assert ("RETRIED vi/alpha: the first kernel start failed: the kernel exited with code 1 before it was ready "
            "(flaky kernel: failing its first start on purpose)") in summary
    outcome = report.outcomes[0]
    assert outcome.retried.startswith("the kernel exited with code 1")
    assert "alpha ran" in (one_notebook[1] / "2021" / "vi" / "alpha.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_kernel_that_fails_both_starts_is_a_kernel_failure_naming_the_reason(specs, one_notebook):
    token, _, install = specs
    spec = install("cg-dead", [PYTHON, "-c", f"import sys; sys.exit('no kernel here, {token}')", "{connection_file}"])
    report = run_plan(plan_for(one_notebook, spec))
    summary = report.summary()
    assert report.exit_code == 1 and statuses(summary) == {"vi/alpha": "FAILED"}
    failure = report.outcomes[0].failure
    assert failure.kind == "kernel" and failure.ename == "KernelStartError"
    assert ("FAILED vi/alpha: kernel: KernelStartError: the kernel exited with code 1 before it was ready "
            "(at the second start)") in summary
    assert f"    no kernel here, {token}" in summary  # its stderr
    assert "    the first start failed too: the kernel exited with code 1" in summary
    assert "(retried)" in summary and report.outcomes[0].retried
    assert not (one_notebook[1] / "2021" / "vi" / "alpha.html").exists()


def test_the_summary_marks_a_retried_start_and_counts_it(one_notebook):
    nbs, out, data_dir = one_notebook
    notebook(nbs, "beta", "pass")
    plan = make_plan(notebooks_dir=nbs, out=out, data_dir=data_dir)
    plain = Report(plan, [Outcome("alpha", "vi", "ok", 2.0), Outcome("beta", "vi", "ok", 1.0)], 3.0).summary()
    assert plain.splitlines()[0] == "notebook  lang  status       time"  # as before when nothing was retried
    assert "retried" not in plain.lower()

    why = "the kernel exited with code 1 before it was ready (zmq.error.ZMQError: Address already in use)"
    report = Report(plan, [Outcome("alpha", "vi", "ok", 12.5, retried=why), Outcome("beta", "vi", "ok", 1.0)], 14.0)
    lines = report.summary().splitlines()
    assert lines[:3] == ["notebook  lang  status            time",
                         "alpha     vi    ok (retried)    12.5 s",
                         "beta      vi    ok               1.0 s"]
    assert lines[3].startswith("2 ok, 0 failed, 0 skipped (1 kernel start retried) in 14.0 s")
    assert lines[4] == f"RETRIED vi/alpha: the first kernel start failed: {why}"
    assert statuses(report.summary()) == {"vi/alpha": "ok", "vi/beta": "ok"}


# --- patience, and a hung kernel ----------------------------------------------------------------------------

@pytest.mark.slow
def test_a_hung_kernel_is_killed_after_the_stall_window_and_reported(specs, one_notebook, monkeypatch):
    token, _, install = specs
    monkeypatch.setattr(kernel, "STALL_SECONDS", 2.0)  # inherited by the forked worker
    spec = install("cg-hung", [PYTHON, "-c", f"import time; time.sleep(1000)  # {token}", "{connection_file}"])
    began = time.monotonic()
    report = run_plan(plan_for(one_notebook, spec))
    took = time.monotonic() - began
    failure = report.outcomes[0].failure
    assert failure.kind == "kernel"
    assert failure.evalue.startswith("the kernel hung: it neither replied nor used CPU for 2 s")
    assert "and was killed" in failure.evalue and report.outcomes[0].retried.startswith("the kernel hung")
    # two starts of ~2 s each plus validation and a worker, far from papermill's 60 s or our 15 min
    assert took < 30, took
    assert not left_behind(token, wait=0)


@pytest.mark.slow
def test_a_kernel_slow_to_start_but_busy_is_waited_for(specs, one_notebook, monkeypatch):
    token, tmp, install = specs
    monkeypatch.setattr(kernel, "STALL_SECONDS", 2.0)
    (tmp / "slow.py").write_text(SLOW, encoding="utf-8")
    # 5 s of CPU before the kernel even starts: longer than the stall window, but progress all along
    spec = install("cg-slow", [PYTHON, str(tmp / "slow.py"), "5", "{connection_file}"])
    report = run_plan(plan_for(one_notebook, spec))
    assert report.exit_code == 0, report.summary()
    assert report.outcomes[0].retried is None and report.outcomes[0].seconds > 5


def test_progress_counts_cpu_time_and_not_sleep():
    busy = psutil.Popen([PYTHON, "-c", "while True: pass"])
    asleep = psutil.Popen([PYTHON, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.3)  # both past their start-up
        watched = {p: kernel._Progress(p.pid) for p in (busy, asleep)}
        time.sleep(1.5)
        idle = {p: w.idle() for p, w in watched.items()}
    finally:
        for p in (busy, asleep):
            p.kill()
            p.wait()
    assert idle[busy] < 1.0 and idle[asleep] >= 1.5


# --- a worker killed ----------------------------------------------------------------------------------------

def _launch_then_die(spec: str):
    async def go():
        manager = kernel.Manager(kernel_name=spec)
        await manager.start_kernel()
        Path(os.environ["CAMGIANG_TEST_FOLDER"], "kernel-folder").write_text(manager.folder, encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would: no cleanup at all

    asyncio.run(go())


def test_a_worker_killed_leaves_no_kernel_and_no_sockets_behind(specs, monkeypatch):
    token, tmp, install = specs
    # a fake kernel that never notices its parent's death (ipykernel would, within a second): only the
    # pool's reaping can end it
    spec = install("cg-sleeper", [PYTHON, "-c", f"import time; time.sleep(1000)  # {token}", "{connection_file}"])
    monkeypatch.setenv("CAMGIANG_TEST_FOLDER", str(tmp))
    results = pool.run([spec], 1, _launch_then_die, crashed=lambda task, how, tail: how)
    assert results == ["was killed by signal SIGKILL"]
    folder = (tmp / "kernel-folder").read_text(encoding="utf-8")
    assert not os.path.exists(folder)
    assert not left_behind(token), "the kernel of a killed worker is still running"


@pytest.mark.slow
def test_a_notebook_over_its_time_limit_is_stopped_with_its_kernel(tmp_path, data_dir):
    nbs = tmp_path / "nb"
    pid_file = tmp_path / "kernel.pid"
    notebook(nbs, "stuck", f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                           "time.sleep(1000)")
    notebook(nbs, "fine", 'print("fine")')
    plan = make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=2)
    began = time.monotonic()
    report = run_plan(plan, timeout=8)
    summary = report.summary()
    assert time.monotonic() - began < 40
    assert statuses(summary) == {"vi/stuck": "FAILED", "vi/fine": "ok"}
    assert ("FAILED vi/stuck: the worker process was stopped at its time limit of 8 s: a cell or its kernel "
            "hung, or the notebook needs longer (camgiang run --timeout SECONDS)") in summary
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the kernel of the stopped notebook is still running"
        time.sleep(0.2)


# --- forking safely -----------------------------------------------------------------------------------------

def _nothing(task):
    return task


def test_the_pool_warns_when_it_would_fork_with_another_thread_running():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="a-test-thread")
    thread.start()
    try:
        with pytest.warns(RuntimeWarning, match="a-test-thread"):
            assert pool.run([1], 1, _nothing, crashed=lambda *a: None) == [1]
    finally:
        stop.set()
        thread.join()


@pytest.mark.slow
def test_a_run_forks_with_no_other_thread_and_no_event_loop_in_the_parent(one_notebook):
    from jupyter_core import utils

    loop = utils._loop.get()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = run_plan(plan_for(one_notebook, "camgiang"))
    assert report.exit_code == 0, report.summary()
    assert not [w for w in caught if "forking workers" in str(w.message)]
    assert utils._loop.get() is loop  # no loop made in the parent (jupyter_client's sync API would reuse it)
