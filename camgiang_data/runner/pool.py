"""A pool of OS processes: one forked process per task, at most `jobs` at a time.

Not concurrent.futures.ProcessPoolExecutor: when one of its workers dies (killed, out of memory), the whole
pool is broken and every pending task fails with it. Here a task whose process dies without answering fails
alone, and the next task gets a fresh process. Forking (not spawning) lets each worker inherit the parent's
already-imported papermill and nbconvert instead of importing them again. Each worker's stdout and stderr
(and so its kernel's: papermill's logging, ipykernel's warnings, a crash message) go to a log file, whose
tail explains a death.

Each worker runs in a session (so a process group) of its own, with a private scratch folder named by
$CAMGIANG_WORKER_DIR. A worker that outlives its time limit is killed with its whole group. Jupyter kernels
escape that group (jupyter_client launches them in a session of their own), so a worker records each kernel
with `adopt`; when a worker ends, however it ends, the parent kills what it recorded and removes its folder:
a killed worker leaves no kernel, no socket and no connection file behind.

Forking copies one thread only: a lock that another thread of the parent held at that moment stays locked for
ever in the child, and an event loop created in the parent would be shared with every child. So the parent
runs no other thread (run.py turns tqdm's monitor thread off) and never runs the asyncio loop that
jupyter_client uses (only workers start kernels); `run` checks the threads right before each fork and
warns when there are any.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any


SCRATCH = "CAMGIANG_WORKER_DIR"
TIMED_OUT = "was stopped at its time limit"
_LIGHT = "camgiang-pool: light"  # a worker's note that its heavy part (the kernel's cells) is over
_conn: Connection | None = None  # in a worker: its pipe to the parent


def lighten() -> None:
    """Tell the parent that this worker's heavy part is over (its kernel's cells ran; what is left, the kernel's
    shutdown and the export, is mostly waiting and a little CPU): the parent may start the next task now, so
    that the export overlaps the next notebook's execution. Once per worker; nothing outside a worker."""
    global _conn
    if _conn is not None:
        try:
            _conn.send(_LIGHT)
        except OSError:
            pass
        _conn = None


def scratch() -> str | None:
    """This worker's private folder (None outside a worker): the parent removes it when the worker ends."""
    return os.environ.get(SCRATCH)


def adopt(pgid: int) -> None:
    """Record a process group that this worker started in a session of its own (a Jupyter kernel), so that
    the parent kills it if the worker dies or is stopped before it could."""
    folder = scratch()
    if folder is not None:
        Path(folder, f"{pgid}.pgid").touch()


def release(pgid: int) -> None:
    """That process group is gone (the worker shut its kernel down): nothing for the parent to kill."""
    folder = scratch()
    if folder is not None:
        Path(folder, f"{pgid}.pgid").unlink(missing_ok=True)


def _reap(folder: Path) -> None:
    """Kill the process groups a worker recorded and did not release, then remove its folder."""
    for record in folder.glob("*.pgid"):
        try:
            os.killpg(int(record.stem), signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _kill(process: multiprocessing.Process) -> None:
    """The worker with everything in its process group (a worker that has not yet called setsid is alone)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _threads_warning() -> bool:
    """Warn (and say so) when a thread other than the main one runs: forking now could deadlock a worker."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    if others:
        warnings.warn(f"forking workers while other threads run ({', '.join(others)}): a worker may deadlock on "
                      "a lock one of them held; start no thread before `camgiang run` forks", RuntimeWarning,
                      stacklevel=3)
    return bool(others)


@dataclass(eq=False)
class _Slot:
    task: Any
    process: multiprocessing.Process
    conn: Connection
    log: Path
    folder: Path
    began: float
    answered: bool = False
    light: bool = False  # its heavy part is over (lighten): it no longer counts against `jobs`
    result: Any = field(default=None)
    stopped: str | None = None

    def receive(self) -> None:
        try:
            message = self.conn.recv()
        except (EOFError, OSError):  # the process died before answering
            message = None
        if isinstance(message, str) and message == _LIGHT:
            self.light = True
            return
        self.answered = True
        self.result = message


def _child(work: Callable, task, conn: Connection, log: Path, folder: Path) -> None:
    global _conn
    _conn = conn
    os.setsid()  # a group of its own: the parent can kill it with its children; ^C reaches the parent only
    os.environ[SCRATCH] = str(folder)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = sys.stderr = open(1, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)
    try:
        result = work(task)
    except BaseException as exc:  # noqa: BLE001 - the parent must always get an answer
        result = exc
    conn.send(result)  # not through lighten's handle, which the worker's work may have used up
    conn.close()


def _tail(log: Path, lines: int = 8) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def exit_words(exitcode: int | None) -> str:
    """How a process ended, for a person: 'was killed by signal SIGKILL', 'exited with code 1'."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with code {exitcode}"


def death(exitcode: int | None) -> str:
    words = exit_words(exitcode)
    return words if exitcode is not None and exitcode < 0 else f"{words} without a result"


def run(tasks: Iterable, jobs: int, work: Callable[[Any], Any], crashed: Callable[[Any, str, str], Any],
        started: Callable[[Any], None] = lambda task: None, done: Callable[[Any, Any], None] = lambda t, r: None,
        tick: Callable[[], None] = lambda: None, timeout: float | None = None) -> list:
    """Run `work(task)` for each task in its own process; results in completion order.

    `crashed(task, how, log_tail)` stands in for the result of a process that died (or raised) without
    answering, or that ran longer than `timeout` seconds and was killed (then `how` starts with TIMED_OUT);
    `started` and `done` report progress, `tick` is called about once a second in between.
    At most `jobs` processes do their heavy part at once; one that called `lighten` makes room for the next
    (and at most 2 × jobs processes are alive, lightened or not).
    """
    context = multiprocessing.get_context("fork")
    pending = deque(tasks)
    slots: list[_Slot] = []
    results = []
    warned = False
    with tempfile.TemporaryDirectory(prefix="camgiang-run-") as logs:
        try:
            while pending or slots:
                while pending and sum(not s.light for s in slots) < jobs and len(slots) < 2 * jobs:
                    task = pending.popleft()
                    fd, log = tempfile.mkstemp(dir=logs, suffix=".log")
                    os.close(fd)
                    folder = Path(tempfile.mkdtemp(dir=logs, prefix="w"))
                    receive, send = context.Pipe(duplex=False)
                    process = context.Process(target=_child, args=(work, task, send, Path(log), folder),
                                              daemon=True)
                    warned = warned or _threads_warning()  # right before each fork, warning once
                    process.start()
                    send.close()
                    slots.append(_Slot(task, process, receive, Path(log), folder, time.monotonic()))
                    started(task)
                handles = {slot.process.sentinel: slot for slot in slots}
                handles.update({slot.conn: slot for slot in slots if not slot.answered})
                tick()
                for ready in wait(list(handles), timeout=1.0):
                    slot = handles[ready]
                    if slot not in slots:
                        continue
                    if ready is slot.conn:
                        slot.receive()  # the answer, or the note that its heavy part is over
                        continue
                    slot.process.join()  # the process ended: is an answer still waiting in the pipe?
                    while not slot.answered and slot.conn.poll():
                        slot.receive()
                    slot.conn.close()
                    slots.remove(slot)
                    _reap(slot.folder)
                    result = slot.result
                    if result is None:
                        how = slot.stopped or death(slot.process.exitcode)
                        result = crashed(slot.task, how, _tail(slot.log))
                    elif isinstance(result, BaseException):
                        result = crashed(slot.task, f"raised {type(result).__name__}: {result}", _tail(slot.log))
                    results.append(result)
                    done(slot.task, result)
                if timeout is not None:
                    for slot in slots:
                        if slot.stopped is None and time.monotonic() - slot.began > timeout:
                            slot.stopped = f"{TIMED_OUT} of {timeout:g} s"
                            _kill(slot.process)  # its sentinel fires: reported (and reaped) above, next turn
        except BaseException:
            for slot in slots:
                _kill(slot.process)
            for slot in slots:
                slot.process.join()
                _reap(slot.folder)
            raise
    return results
