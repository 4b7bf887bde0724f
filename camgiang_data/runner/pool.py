"""A pool of OS processes: one forked process per task, at most `jobs` at a time.

Not concurrent.futures.ProcessPoolExecutor: when one of its workers dies (killed, out of memory), the whole
pool is broken and every pending task fails with it. Here a task whose process dies without answering fails
alone, and the next task gets a fresh process. Forking (not spawning) lets each worker inherit the parent's
already-imported papermill and nbconvert instead of importing them again. Each worker's stdout and stderr
(and so its kernel's: papermill's logging, ipykernel's warnings, a crash message) go to a log file, whose
tail explains a death.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any


@dataclass(eq=False)
class _Slot:
    task: Any
    process: multiprocessing.Process
    conn: Connection
    log: Path
    answered: bool = False
    result: Any = field(default=None)

    def receive(self) -> None:
        self.answered = True
        try:
            self.result = self.conn.recv()
        except (EOFError, OSError):  # the process died before answering
            self.result = None


def _child(work: Callable, task, conn: Connection, log: Path) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = sys.stderr = open(1, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)
    try:
        result = work(task)
    except BaseException as exc:  # noqa: BLE001 - the parent must always get an answer
        result = exc
    conn.send(result)
    conn.close()


def _tail(log: Path, lines: int = 8) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with code {exitcode} without a result"


def run(tasks: Iterable, jobs: int, work: Callable[[Any], Any], crashed: Callable[[Any, str, str], Any],
        started: Callable[[Any], None] = lambda task: None, done: Callable[[Any, Any], None] = lambda t, r: None,
        tick: Callable[[], None] = lambda: None) -> list:
    """Run `work(task)` for each task in its own process; results in completion order.

    `crashed(task, how, log_tail)` stands in for the result of a process that died (or raised) without
    answering; `started` and `done` report progress, `tick` is called about once a second in between.
    """
    context = multiprocessing.get_context("fork")
    pending = deque(tasks)
    slots: list[_Slot] = []
    results = []
    with tempfile.TemporaryDirectory(prefix="camgiang-run-") as logs:
        try:
            while pending or slots:
                while pending and len(slots) < jobs:
                    task = pending.popleft()
                    fd, log = tempfile.mkstemp(dir=logs, suffix=".log")
                    os.close(fd)
                    receive, send = context.Pipe(duplex=False)
                    process = context.Process(target=_child, args=(work, task, send, Path(log)), daemon=True)
                    process.start()
                    send.close()
                    slots.append(_Slot(task, process, receive, Path(log)))
                    started(task)
                handles = {slot.process.sentinel: slot for slot in slots}
                handles.update({slot.conn: slot for slot in slots if not slot.answered})
                tick()
                for ready in wait(list(handles), timeout=1.0):
                    slot = handles[ready]
                    if slot not in slots:
                        continue
                    if ready is slot.conn:
                        slot.receive()
                        continue
                    slot.process.join()  # the process ended: is an answer still waiting in the pipe?
                    if not slot.answered and slot.conn.poll():
                        slot.receive()
                    slot.conn.close()
                    slots.remove(slot)
                    result = slot.result
                    if result is None:
                        result = crashed(slot.task, death(slot.process.exitcode), _tail(slot.log))
                    elif isinstance(result, BaseException):
                        result = crashed(slot.task, f"raised {type(result).__name__}: {result}", _tail(slot.log))
                    results.append(result)
                    done(slot.task, result)
        except BaseException:
            for slot in slots:
                slot.process.terminate()
            for slot in slots:
                slot.process.join()
            raise
    return results
