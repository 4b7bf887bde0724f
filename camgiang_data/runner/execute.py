"""The worker: execute one notebook with papermill, export it, and move the files into place.

Runs in a forked process (pool.py), one per notebook, each starting its own kernel (kernel.py: private IPC
endpoints, a progress-based start wait). A kernel that fails to start (it could not be launched, died or hung
before the first cell) is started once more, and the Outcome says so; a failure after that, in a cell or of
the kernel, is the notebook's. It never raises: every way a notebook can fail becomes a `Failure` naming the
cell when there is one. Nothing is written unless both the page and the .ipynb were produced, so a failure
leaves the previous good pair untouched.
"""

from __future__ import annotations

import time

# export first: it imports nbformat without a slow optional dependency of jsonschema (see export._without),
# which papermill would otherwise pull in
from . import export
from . import kernel, pool, provisioner
from ..atomic import write_text as publish
from .plan import Task
from .results import Failure, Outcome

import nbformat  # noqa: E402,I001
import papermill  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

# ipykernel warns on every start that its local TCP sockets are unencrypted; the worker's log (whose tail
# explains a crash) should hold only what matters.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]


def prepare() -> None:
    """Called once in the parent before forking: workers inherit warm templates."""
    export.warm_up()


def _first_line(source: str) -> str:
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line if len(line) <= 100 else line[:99] + "…"


def _clip(text: str, limit: int = 2000) -> str:
    """Outcomes travel through a pipe and into the manifest: keep them small."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _file_cell_index(task: Task, executed_index: int) -> int:
    """papermill counts its injected parameters cell; the analyst's notebook file does not have it."""
    cells = nbformat.read(task.notebook.path, as_version=4).cells
    tags = [cell.metadata.get("tags", []) for cell in cells]
    if any("injected-parameters" in t for t in tags):  # papermill replaced it in place
        return executed_index
    injected_at = next((i + 1 for i, t in enumerate(tags) if "parameters" in t), 0)
    return executed_index - 1 if executed_index > injected_at else executed_index


def _execute(task: Task):
    return papermill.execute_notebook(
        str(task.notebook.path), None, parameters=task.parameters, kernel_name=task.kernel,
        progress_bar=False, request_save_on_cell_execute=False, cwd=str(task.notebook.path.parent),
        extra_arguments=KERNEL_ARGUMENTS, kernel_manager_class=kernel.Manager,
        # only the upper bound: the wait itself lasts as long as the kernel makes progress (kernel.Client)
        start_timeout=kernel.START_LIMIT_SECONDS)


def build(task: Task) -> Outcome:
    started = time.monotonic()
    first_start: str | None = None  # why the first kernel did not start, when a second one was needed

    def failed(failure: Failure) -> Outcome:
        return Outcome(task.name, task.lang, "failed", time.monotonic() - started, failure=failure,
                       retried=first_start, kernel=provisioner.last_start)

    while True:
        try:
            nb = _execute(task)
            break
        except kernel.KernelStartError as exc:
            if first_start is None:
                last = next((line.strip() for line in reversed(exc.stderr.splitlines()) if line.strip()), "")
                first_start = _clip(f"{exc} ({last})" if last else str(exc), 500)
                if provisioner.last_start == "warm":  # if the warm path is what fails, the ordinary one may not
                    provisioner.forgo_template("the first start, forked from the warm template, failed")
                continue
            stderr = f"its stderr ends:\n{_clip(exc.stderr, 1500)}\n" if exc.stderr else ""
            return failed(Failure("kernel", "KernelStartError", f"{_clip(str(exc), 500)} (at the second start)",
                                  detail=f"{stderr}the first start failed too: {first_start}\n"
                                         f"check the kernel {task.kernel!r} (`jupyter kernelspec list`; "
                                         "`make setup` installs it again)"))
        except PapermillExecutionError as exc:
            return failed(Failure("cell", exc.ename, _clip(str(exc.evalue)), _file_cell_index(task, exc.cell_index),
                                  _first_line(exc.source)))
        except Exception as exc:  # the kernel died or timed out while running the cells
            return failed(Failure("kernel", type(exc).__name__, _clip(str(exc))))
    pool.lighten()  # (already done when the kernel was shut down) the export overlaps the next notebook
    try:
        title = task.notebook.title(task.lang)
        html = export.html_page(nb, title, task.lang)
        ipynb = export.kept_ipynb(nb, task.notebook.path, task.ipynb_path)
        publish(task.ipynb_path, ipynb)
        publish(task.html_path, html)
    except Exception as exc:
        return failed(Failure("export", type(exc).__name__, _clip(str(exc))))
    return Outcome(task.name, task.lang, "ok", time.monotonic() - started, summary=export.summary_line(nb),
                   retried=first_start, kernel=provisioner.last_start)
