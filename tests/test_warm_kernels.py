"""Warm kernels (issue #11): kernels forked from a template that has imported the notebooks' modules.

What must hold: a warm kernel starts as an ordinary one would (working folder, sys.path, environment, parent
watch, plotting backend); kernels share nothing (each is a fresh fork of the same template, random generators
reseeded); the template reads no data; a kernel whose worker is gone dies with it; where the template is
missing, refuses or died, kernels start the ordinary way and the summary says why.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from camgiang_data.runner import kernel, pool, provisioner, template
from camgiang_data.runner.plan import make_plan
from camgiang_data.runner.run import run as run_plan

from .test_kernels import _start
from .test_runner import notebook

@pytest.fixture(autouse=True)
def warm_for_any_number(monkeypatch):
    """These tests run a notebook or three: warm even where a template would not pay for itself."""
    from camgiang_data.runner import run

    monkeypatch.setattr(run, "TEMPLATE_MIN_WAVES", 0)


PROBE = """\
import json, os, random, sys, threading
import matplotlib, numpy
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
probe = {{
    "cwd": os.getcwd(), "path": sys.path, "argv": sys.argv[1:2],
    "env": {{k: v for k, v in os.environ.items() if k not in ("JPY_PARENT_PID",)}},
    "parent_watched": bool(app.parent_handle),
    "launcher": app.parent_handle == int(os.environ["JPY_PARENT_PID"]) != os.getpid(),
    "backend": matplotlib.get_backend(), "random": random.random(), "numpy": float(numpy.random.random()),
    "leak": getattr(json, "camgiang_leak", None), "pid": os.getpid(),
    "files": sorted(p for p in (os.path.realpath(f"/proc/self/fd/{{fd}}") for fd in os.listdir("/proc/self/fd"))
                    if os.path.isfile(p)),
}}
json.camgiang_leak = "set by {name}"
open({out!r}, "w").write(json.dumps(probe))
"""


def probe_notebooks(folder: Path, out: Path, *names: str) -> None:
    for name in names:
        notebook(folder, name, PROBE.format(name=name, out=str(out / f"{name}.json")))


def probes(out: Path, *names: str) -> dict[str, dict]:
    return {name: json.loads((out / f"{name}.json").read_text()) for name in names}


def test_notebook_imports_are_the_top_level_imports_of_code_cells_without_local_modules(tmp_path):
    (tmp_path / "helpers.py").write_text("x = 1\n")
    notebook(tmp_path, "one", "import pandas as pd\nfrom camgiang_data.analyses import audit, budget",
             "%matplotlib inline", "import helpers\nfrom helpers import x", "def f():\n    import json")
    found = template.notebook_imports([tmp_path / "one.ipynb"], tmp_path)
    assert found == ["pandas", "camgiang_data.analyses", "camgiang_data.analyses.audit",
                     "camgiang_data.analyses.budget"]


def test_the_template_imports_the_notebooks_modules_and_opens_no_data_file():
    """The template's whole preload and warm-up, under an audit hook: every file it opened is code or package
    data, never the report data (the fingerprint covers the package; data is read by each kernel, or handed
    over with a digest)."""
    notebooks = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
    code = """
import json, sys
from pathlib import Path
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from camgiang_data.runner import template
modules = [*template.KERNEL_MODULES, *template.notebook_imports([Path(p) for p in sys.argv[1:]])]
imported, failed = template.preload(modules)
failed += template.warm_up()
import babel.localedata, matplotlib.font_manager
warmed = {"locales": sorted(babel.localedata._cache), "fonts": matplotlib.font_manager._get_font.cache_info().currsize}
from camgiang_data.paths import DEFAULT_DATA_DIR
print(json.dumps({"imported": imported, "failed": failed, "opened": opened, "data": str(DEFAULT_DATA_DIR),
                  "warmed": warmed,
                  "heavy": [m for m in ("pandas", "matplotlib.pyplot", "IPython") if m in sys.modules]}))
"""
    done = subprocess.run([sys.executable, "-c", code, *map(str, notebooks)], capture_output=True, text=True,
                          check=True, env={**os.environ, "MPLBACKEND": "Agg"})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["failed"]
    assert {"ipykernel.kernelapp", "camgiang_data.present", "camgiang_data.analyses.budget"} <= set(
        result["imported"])
    assert result["heavy"] == ["pandas", "matplotlib.pyplot", "IPython"]
    assert {"vi", "en"} <= set(result["warmed"]["locales"]) and result["warmed"]["fonts"] >= 1
    data = [path for path in result["opened"] if path.startswith(result["data"])]
    assert data == [], data
    assert not [p for p in result["opened"] if p.endswith((".csv", "source.txt", ".xlsx", ".docx"))]


def test_a_warm_kernel_starts_as_an_ordinary_kernel_would(tmp_path, data_dir):
    nbs, out = tmp_path / "nb", tmp_path / "probes"
    out.mkdir()
    probe_notebooks(nbs, out, "alpha")
    seen = {}
    for warm in (True, False):
        plan = make_plan(notebooks_dir=nbs, out=tmp_path / f"out-{warm}", data_dir=data_dir, jobs=1, warm=warm)
        report = run_plan(plan)
        assert [o.status for o in report.outcomes] == ["ok"], report.summary()
        seen[warm] = probes(out, "alpha")["alpha"]
        kernels = [o.kernel for o in report.outcomes]
        if warm:
            assert kernels == ["warm"]
            assert "kernels: 1 forked from the warm template" in report.summary()
        else:
            assert kernels == ["cold: no warm-kernel template in this run"]
            assert "kernels: started the ordinary way (asked for with --cold-kernels)" in report.summary()
    warm, cold = seen[True], seen[False]
    for probe in (warm, cold):  # the worker's log (the kernel's stdout) has a new name in every run
        probe["files"] = ["<worker log>" if "/camgiang-run-" in p and p.endswith(".log") else p
                          for p in probe["files"]]
    for key in ("cwd", "path", "argv", "backend", "parent_watched", "launcher", "files"):
        assert warm[key] == cold[key], key
    assert warm["parent_watched"] and warm["launcher"]  # ipykernel knows the worker launched it
    drop = template.PER_KERNEL_ENV | {template.SOCKET_ENV}  # per worker or run; the socket is kept from kernels
    assert {k: v for k, v in warm["env"].items() if k not in drop} == {
        k: v for k, v in cold["env"].items() if k not in drop}
    assert template.SOCKET_ENV not in warm["env"]


def test_warm_kernels_share_nothing_and_draw_their_own_random_numbers(tmp_path, data_dir):
    nbs, out = tmp_path / "nb", tmp_path / "probes"
    out.mkdir()
    names = ("alpha", "beta", "gamma")
    probe_notebooks(nbs, out, *names)
    report = run_plan(make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=1))
    assert [o.kernel for o in report.outcomes] == ["warm"] * 3, report.summary()
    seen = probes(out, *names)
    assert [seen[n]["leak"] for n in names] == [None, None, None]  # each set it; none saw another's
    assert len({seen[n]["pid"] for n in names}) == 3
    assert len({seen[n]["random"] for n in names}) == 3
    assert len({seen[n]["numpy"] for n in names}) == 3


def test_a_template_that_died_means_ordinary_starts_and_the_summary_says_so(tmp_path, data_dir, monkeypatch):
    real = template.start

    def dying(*args, **kwargs):
        started = real(*args, **kwargs)
        started.process.send_signal(signal.SIGKILL)
        started.process.wait()
        return started

    monkeypatch.setattr(template, "start", dying)
    nbs = tmp_path / "nb"
    notebook(nbs, "alpha", 'print("alpha ran")')
    report = run_plan(make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=1))
    assert [o.status for o in report.outcomes] == ["ok"]
    assert report.outcomes[0].kernel.startswith("cold: the warm-kernel template could not be reached")
    summary = report.summary()
    assert "kernels: 0 forked from the warm template, 1 started the ordinary way:" in summary
    assert "the warm-kernel template was killed by signal SIGKILL" in summary


# --- the template's side, driven directly ---------------------------------------------------------------

@pytest.fixture
def running_template(tmp_path):
    started = template.start("camgiang", tmp_path, [])
    assert started.warm, started.reason
    started.env = dict(os.environ)  # as it started (pytest changes PYTEST_CURRENT_TEST between phases)
    yield started
    started.stop()


def _request(started, folder, name="kernel.json", **changes):
    argv = template.kernel_command("camgiang")
    cmd = [part.replace("{connection_file}", str(folder / name)) for part in argv]
    env = {**started.env, **changes}
    env.pop(template.SOCKET_ENV, None)
    with open(os.devnull, "wb") as null:
        return provisioner.request(started.socket, cmd, str(folder), env, null, null)


def test_the_template_refuses_a_kernel_whose_environment_or_folder_differs(running_template, tmp_path):
    with pytest.raises(provisioner.Unavailable, match="environment differs from the template's in MPLBACKEND"):
        _request(running_template, tmp_path, MPLBACKEND="svg")
    argv = template.kernel_command("camgiang")
    with pytest.raises(provisioner.Unavailable, match="working folder"):
        provisioner.request(running_template.socket, argv, str(tmp_path.parent), running_template.env)


def test_a_forked_kernel_dies_when_its_worker_lets_go_and_when_the_template_stops(running_template, tmp_path):
    first = _request(running_template, tmp_path)
    assert psutil.pid_exists(first.pid) and first.poll() is None
    first.close()  # the worker's end of the lifeline: as when the worker dies
    assert psutil.wait_procs([psutil.Process(first.pid)], timeout=10)[1] == []
    second_pid = _request(running_template, tmp_path, "second.json").pid
    running_template.stop()
    deadline = time.monotonic() + 10
    while psutil.pid_exists(second_pid) and psutil.Process(second_pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "a kernel outlived its template's stop"
        time.sleep(0.1)


def _start_warm(_task):
    async def go():
        manager, client = await _start()
        reply = await client.execute_interactive("1 + 1", store_history=False)
        client.stop_channels()
        await manager.shutdown_kernel()
        return provisioner.last_start, reply["content"]["status"]

    return asyncio.run(go())


def test_eight_warm_kernels_asked_for_at_once_all_become_ready(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = template.start("camgiang", tmp_path, [])
    try:
        results = pool.run(range(8), 8, _start_warm, crashed=lambda task, how, tail: (task, how, tail))
    finally:
        started.stop()
    assert results == [("warm", "ok")] * 8


# ipykernel's shutdown race: the control thread's last flush needs the IOPub thread, which the exit functions stop
# (IPKernelApp.close). Here the control thread flushes slowly, as on a loaded machine, and the kernel records, in an
# exit function that runs before close, whether the control thread is still at work: it must not be.
CONTROL_AT_EXIT = """\
import atexit, threading, time
from ipykernel.iostream import OutStream
flush = OutStream.flush
def slow_flush(self):
    if threading.current_thread().name == "Control":
        time.sleep(0.3)
    flush(self)
OutStream.flush = slow_flush
def record():
    with open({out!r}, "w") as out:
        out.write(str([t.name for t in threading.enumerate() if t.name == "Control"]))
atexit.register(record)
"""


def test_a_warm_kernel_lets_its_control_thread_finish_before_its_exit_functions_run(tmp_path, monkeypatch):
    """Else a few kernels in a batch hang at shutdown until jupyter_client terminates them (2.5 s each)."""
    monkeypatch.chdir(tmp_path)
    started = template.start("camgiang", tmp_path, [])
    out = tmp_path / "at-exit.txt"

    async def go():
        manager, client = await _start()
        reply = await client.execute_interactive(CONTROL_AT_EXIT.format(out=str(out)), store_history=False)
        client.stop_channels()
        process = manager.provisioner.process
        await manager.shutdown_kernel()
        return provisioner.last_start, reply["content"]["status"], process.returncode

    try:
        assert asyncio.run(go()) == ("warm", "ok", 0)
    finally:
        started.stop()
    assert out.read_text() == "[]"  # no control thread left when the exit functions began


# --- the pool: a worker past its heavy part makes room ---------------------------------------------------

def _heavy_then_light(task):
    began = time.monotonic()
    time.sleep(0.5)  # the "cells"
    pool.lighten()
    time.sleep(1.5)  # the "export"
    return task, began, time.monotonic()


def test_a_worker_that_lightened_lets_the_next_task_start_while_it_finishes():
    results = sorted(pool.run(range(3), 1, _heavy_then_light, crashed=lambda task, how, tail: (task, how, tail)))
    (_, a0, a1), (_, b0, b1), (_, c0, _) = results
    assert b0 < a1 and c0 < b1  # each started while the previous was still exporting
    assert b0 >= a0 + 0.5  # but not before the previous one's heavy part was over


def test_lightened_workers_count_against_twice_the_jobs():
    results = sorted(pool.run(range(4), 1, _light_at_once, crashed=lambda task, how, tail: (task, how, tail)))
    starts = [began for _, began, _ in results]
    ends = [ended for _, _, ended in results]
    # 1 job: at most 2 alive; the third starts only when the first has ended
    assert starts[2] >= min(ends[:2]) - 0.05


def _light_at_once(task):
    began = time.monotonic()
    pool.lighten()
    time.sleep(1.0)
    return task, began, time.monotonic()


def test_a_template_is_started_only_where_kernels_start_after_the_first_wave(tmp_path, data_dir, monkeypatch):
    from camgiang_data.runner import run

    monkeypatch.setattr(run, "TEMPLATE_MIN_WAVES", 1)
    nbs = tmp_path / "nb"
    for name in ("alpha", "beta", "gamma"):
        notebook(nbs, name, f'print("{name} ran")')
    two_jobs = make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=2)
    few = run.Templates().get(two_jobs, two_jobs.tasks()[:2])
    assert not few.warm and few.reason == "2 notebook(s) for 2 job(s): a warm template would not pay for itself"
    templates = run.Templates()
    try:
        assert templates.get(two_jobs, two_jobs.tasks()).warm
    finally:
        templates.stop()


def test_the_runs_of_a_collection_share_one_template_which_stop_ends(tmp_path, data_dir):
    from camgiang_data.runner.run import Templates

    nbs = tmp_path / "nb"
    notebook(nbs, "alpha", 'print("alpha ran")')
    plans = [make_plan(notebooks_dir=nbs, out=tmp_path / f"out{n}", data_dir=data_dir) for n in (1, 2)]
    templates = Templates()
    first = templates.get(plans[0], plans[0].tasks())
    assert first.warm and templates.get(plans[1], plans[1].tasks()) is first
    templates.stop()
    assert first.process.poll() is not None and not Path(first.socket).exists()
    assert template.SOCKET_ENV not in os.environ


def test_the_provisioner_is_registered_with_jupyter_client_under_its_name():
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.provisioning import KernelProvisionerFactory

    spec = KernelSpecManager().get_kernel_spec("camgiang")
    spec.metadata["kernel_provisioner"] = {"provisioner_name": "camgiang-warm"}
    made = KernelProvisionerFactory.instance().create_provisioner_instance("k", spec, parent=None)
    assert isinstance(made, provisioner.WarmProvisioner)


def test_a_warm_start_that_fails_is_retried_the_ordinary_way_and_the_summary_says_so(tmp_path, data_dir,
                                                                                     monkeypatch):
    real = kernel.Client.wait_for_ready

    async def failing_when_warm(self, timeout=None):
        if provisioner.last_start == "warm":  # in the worker: this start was forked from the template
            await self.parent.shutdown_kernel(now=True)
            raise kernel.KernelStartError("the kernel hung (made to, by the test)")
        return await real(self, timeout)

    monkeypatch.setattr(kernel.Client, "wait_for_ready", failing_when_warm)  # the workers fork from here
    nbs = tmp_path / "nb"
    notebook(nbs, "alpha", 'print("alpha ran")')
    report = run_plan(make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=1))
    (outcome,) = report.outcomes
    assert outcome.status == "ok" and outcome.retried.startswith("the kernel hung (made to, by the test)")
    assert outcome.kernel == "cold: the first start, forked from the warm template, failed"
    summary = report.summary()
    assert "ok (retried)" in summary
    assert "    1 × the first start, forked from the warm template, failed" in summary


def test_a_kernel_spec_with_an_env_stanza_is_served_warm_with_its_variables(tmp_path, data_dir, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("camgiang")
    folder = tmp_path / "jupyter" / "kernels" / "with-env"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({
        "argv": spec.argv, "display_name": "with env", "language": "python",
        "env": {"CAMGIANG_SPEC_VAR": "from the spec, home ${HOME}"}}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nbs, out = tmp_path / "nb", tmp_path / "probes"
    out.mkdir()
    probe_notebooks(nbs, out, "alpha")
    report = run_plan(make_plan(notebooks_dir=nbs, out=tmp_path / "out", data_dir=data_dir, jobs=1,
                                kernel="with-env"))
    assert [o.kernel for o in report.outcomes] == ["warm"], report.summary()
    assert probes(out, "alpha")["alpha"]["env"]["CAMGIANG_SPEC_VAR"] == f"from the spec, home {os.environ['HOME']}"
