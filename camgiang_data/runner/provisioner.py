"""The kernel provisioner of `camgiang run`: a kernel forked from the run's warm template (template.py), or,
when there is none or it refuses, started the ordinary way, with the reason recorded for the summary.

A jupyter_client provisioner (registered as the entry point `camgiang-warm`), so papermill and nbclient
drive it unchanged: it is jupyter_client's own LocalProvisioner (connection file, ports or ipc endpoints,
environment, the kernel spec's command) except for the launch itself, and `ForkedKernel` stands in for the
Popen object, so that poll, wait, signals and kill work as they do for any local kernel.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import time
from typing import Any

import psutil  # an IPython dependency, as in kernel.py
from jupyter_client.provisioning import LocalProvisioner

from .template import SOCKET_ENV

ANSWER_SECONDS = 300.0  # the template answers once its imports are done: seconds, or minutes on a loaded machine

# How this process's last kernel started: "warm", or "cold: why" (a worker runs one notebook, so one kernel,
# or two when the first failed to start)
last_start: str | None = None


_forgone: str | None = None  # why this worker starts its kernels the ordinary way from now on


def forgo_template(why: str) -> None:
    """Start this worker's next kernels the ordinary way (after a warm start that failed)."""
    global _forgone
    _forgone = why


class Unavailable(Exception):
    """The template could not give a kernel; the message says why, for the run's summary."""


class ForkedKernel:
    """A kernel forked by the template, seen through the Popen methods jupyter_client uses. The kernel is the
    template's child, not ours: its exit status arrives on the connection that asked for it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket) -> None:
        self.pid, self.conn = pid, conn
        self.returncode: int | None = None
        self._buffer = b""

    def _read(self, timeout: float) -> None:
        if self.conn is None:
            return
        ready, _, _ = select.select([self.conn], [], [], timeout)
        if not ready:
            return
        try:
            data = self.conn.recv(4096)
        except OSError:
            data = b""
        self._buffer += data
        if b"\n" in self._buffer:
            try:
                self.returncode = int(json.loads(self._buffer.split(b"\n")[0]).get("exit"))
            except (ValueError, TypeError):
                self.returncode = 1
            self.close()
        elif not data:  # the template is gone without telling: ask the system
            self.close()
            self.returncode = None if psutil.pid_exists(self.pid) else -signal.SIGKILL

    def poll(self) -> int | None:
        if self.returncode is None:
            if self.conn is None:  # the template died earlier: the kernel is an orphan now
                if not psutil.pid_exists(self.pid):
                    self.returncode = -signal.SIGKILL
            else:
                self._read(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        limit = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if limit is not None and time.monotonic() >= limit:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            if self.conn is not None:
                self._read(0.1)
            else:
                time.sleep(0.1)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _fd(stream, default: int) -> int:
    if stream is None:
        return default
    return stream if isinstance(stream, int) else stream.fileno()


def request(path: str, cmd: list[str], cwd: str | None, env: dict[str, str], stdout=None, stderr=None,
            timeout: float = ANSWER_SECONDS) -> ForkedKernel:
    """Ask the template at `path` for a kernel running `cmd`; raises Unavailable with the reason if it cannot."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        message = json.dumps({"argv": cmd, "cwd": os.path.abspath(cwd or os.getcwd()), "env": env}).encode()
        socket.send_fds(conn, [message + b"\n"], [_fd(stdout, 1), _fd(stderr, 2)])
        answer = b""
        conn.settimeout(timeout)
        while not answer.endswith(b"\n"):
            data = conn.recv(4096)
            if not data:
                raise Unavailable("the warm-kernel template closed the connection without forking (it died?)")
            answer += data
    except socket.timeout:
        conn.close()
        raise Unavailable(f"the warm-kernel template did not answer within {timeout:g} s") from None
    except OSError as exc:
        conn.close()
        raise Unavailable(f"the warm-kernel template could not be reached ({exc.strerror or exc})") from None
    except Unavailable:
        conn.close()
        raise
    conn.settimeout(None)
    reply = json.loads(answer.split(b"\n")[0])
    if "pid" not in reply:
        conn.close()
        raise Unavailable(f"the warm-kernel template refused: {reply.get('refused', reply)}")
    return ForkedKernel(int(reply["pid"]), conn)


class WarmProvisioner(LocalProvisioner):
    """LocalProvisioner whose launch asks the run's template for a forked kernel (falling back to Popen)."""

    warm = False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        global last_start
        path = os.environ.get(SOCKET_ENV)
        env = dict(kwargs.get("env") or os.environ)
        env.pop(SOCKET_ENV, None)  # a kernel is not a worker: it asks no template for kernels of its own
        # as jupyter_client's launcher says to a kernel it starts: who launched it (ipykernel then knows it is
        # not a terminal's `ipython kernel`; a forked kernel's parent is the template, and its lifeline the worker)
        env["JPY_PARENT_PID"] = str(os.getpid())
        kwargs["env"] = env
        why = _forgone or "no warm-kernel template in this run"
        if path and not _forgone:
            try:
                process = request(path, cmd, kwargs.get("cwd"), env, kwargs.get("stdout"), kwargs.get("stderr"))
            except Unavailable as exc:
                why = str(exc)
            else:
                self.process, self.pid, self.pgid = process, process.pid, process.pid  # the child called setsid
                self.cwd = kwargs.get("cwd") or os.getcwd()
                self.warm = True
                last_start = "warm"
                return self.connection_info
        last_start = f"cold: {why}"
        return await super().launch_kernel(cmd, **kwargs)

    async def cleanup(self, restart: bool = False) -> None:
        if isinstance(self.process, ForkedKernel):
            self.process.close()
        await super().cleanup(restart=restart)
