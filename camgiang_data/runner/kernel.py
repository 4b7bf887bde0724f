"""How a worker launches its notebook's kernel and waits for it: private IPC endpoints, and patience while it works.

Endpoints: over TCP, jupyter_client picks ports by binding port 0 and releasing them, and the kernel binds them
a moment later; kernels launched at once from parallel workers can be handed the same ports, and one of them
dies on "Address already in use" or answers the other's client (papermill issues #239 and #776). `Manager`
launches every kernel on ZeroMQ's ipc transport instead: unix sockets in a folder made for that kernel alone
(mkdtemp), so no two kernels can ever share an endpoint. The folder holds the sockets, the connection file and
the kernel's stderr; it is removed when the kernel is shut down (and, if the worker dies first, with the
worker's scratch folder by the pool). Where ipc does not exist (Windows), kernels fall back to TCP on
localhost, and so to that race.

Patience: instead of a fixed start timeout (papermill's 60 s, which a loaded machine trips), `Client` waits for
the kernel's first reply as long as the kernel process keeps using CPU. A kernel that neither replies nor uses
CPU for STALL_SECONDS has hung: it is killed. START_LIMIT_SECONDS bounds the wait in any case.

Every way a start can fail (launch, death, hang) raises `KernelStartError`, so that the worker can tell a
kernel that failed to start (worth one retry) from a notebook that failed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from queue import Empty

import psutil  # an IPython dependency, so there wherever ipykernel is
import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import pool
from .provisioner import WarmProvisioner

IPC = os.name == "posix" and zmq.has("ipc")
STALL_SECONDS = 60.0  # neither a reply nor STALL_CPU_SECONDS of CPU for this long: the kernel hung
STALL_CPU_SECONDS = 0.1  # below this, CPU use is a hung kernel's idle threads (heartbeat, parent poller)
START_LIMIT_SECONDS = 15 * 60  # the last resort, for a kernel that keeps using CPU without ever replying
# jupyter_client waits 0.2 s for iopub to fall silent after the first reply, and polls a kernel's exit every 0.1 s:
# latency paid by every kernel, in a batch of hundreds. nbclient matches iopub messages to the cell that caused them,
# so what is drained here is only tidying.
FLUSH_SECONDS = 0.02
EXIT_POLL_SECONDS = 0.01
_SOCKET_PATH = 100  # a unix socket path must fit sun_path: 108 bytes on Linux, 104 on macOS
_STDERR_TAIL = 1500


class KernelStartError(RuntimeError):
    """The kernel did not become ready: it could not be launched, it died, or it hung (and was killed).
    The message is one line; `stderr` is the end of what the kernel wrote there, often the real reason."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


def _private_folder() -> str:
    """A new folder for one kernel, short enough for its socket paths: in the worker's scratch folder when
    there is one (the pool removes it however the worker ends), else in /tmp (TMPDIR can be long, on macOS)."""
    for root in (pool.scratch(), "/tmp", tempfile.gettempdir()):
        if root and os.path.isdir(root) and len(os.path.join(root, "kernel-12345678", "k-99")) < _SOCKET_PATH:
            return tempfile.mkdtemp(prefix="kernel-", dir=root)
    raise KernelStartError(f"no temporary folder has a path short enough for unix sockets "
                           f"(under {_SOCKET_PATH} characters): set TMPDIR to a short one, e.g. /tmp")


class _Progress:
    """Is a process still working? Its CPU time, with its descendants' (a kernelspec may start the kernel
    through a wrapper), grows by STALL_CPU_SECONDS now and then."""

    def __init__(self, pid: int) -> None:
        try:
            self.process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self.process = None
        self.cpu = self._cpu()
        self.since = time.monotonic()

    def _cpu(self) -> float:
        if self.process is None:
            return 0.0
        total = 0.0
        try:
            processes = [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            processes = [self.process]
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def idle(self) -> float:
        """Seconds since the process last used STALL_CPU_SECONDS of CPU."""
        now, cpu = time.monotonic(), self._cpu()
        if cpu - self.cpu >= STALL_CPU_SECONDS:
            self.cpu, self.since = cpu, now
        return now - self.since


class Client(AsyncKernelClient):
    """The notebook's client: waits for the kernel while it makes progress, not for a fixed time."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Like jupyter_client's wait (kernel_info until a reply, then iopub connected), but a kernel that is
        alive and using CPU gets more time; `timeout` (nbclient's startup_timeout) is only the upper bound.
        Raises KernelStartError, having killed the kernel when it hung."""
        manager: Manager = self.parent
        limit = START_LIMIT_SECONDS if timeout is None else timeout
        began = time.monotonic()
        progress = _Progress(manager.provisioner.pid)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # iopub connected too? If not, ask again
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await manager.is_alive():
                code = manager.provisioner.process.poll() if manager.has_kernel else None
                raise KernelStartError(f"the kernel {pool.exit_words(code)} before it was ready", manager.stderr_tail())
            idle, waited = progress.idle(), time.monotonic() - began
            if idle >= STALL_SECONDS or waited >= limit:
                tail = manager.stderr_tail()
                await manager.shutdown_kernel(now=True)
                why = (f"neither replied nor used CPU for {STALL_SECONDS:g} s" if idle >= STALL_SECONDS else
                       f"did not reply within the limit of {limit:.0f} s")
                raise KernelStartError(f"the kernel hung: it {why} after its launch ({waited:.0f} s ago), "
                                       "and was killed", tail)
        while True:  # drain what iopub already holds; a later straggler belongs to no cell nbclient runs
            try:
                await self.iopub_channel.get_msg(timeout=FLUSH_SECONDS)
            except Empty:
                break


class Manager(AsyncKernelManager):
    """A kernel manager (for nbclient's `kernel_manager_class`) whose kernel is forked from the run's warm
    template when it can be (provisioner.py), listens on unix sockets of its own, writes its stderr where a
    failed start can quote it, and is known to the pool (see pool.adopt)."""

    folder: str | None = None
    _stderr = None
    _adopted: int | None = None

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return Client

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:  # forked from the run's warm template when there is one (provisioner.py)
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        if self.folder is None:
            self.folder = _private_folder()
            self.connection_file = os.path.join(self.folder, "kernel.json")
            if IPC:  # endpoints ipc://<folder>/k-1 … k-5
                self.transport = "ipc"
                self.ip = os.path.join(self.folder, "k")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if self._stderr is None:
            self._stderr = tempfile.TemporaryFile(dir=self.folder)
        kw.setdefault("stderr", self._stderr)
        await super()._async_launch_kernel(kernel_cmd, **kw)
        # jupyter_client starts the kernel in a session of its own: out of reach of a kill of the worker's group
        self._adopted = self.provisioner.pgid or self.provisioner.pid
        pool.adopt(self._adopted)

    async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.1,
                                     restart: bool = False) -> None:
        await super()._async_finish_shutdown(waittime, min(pollinterval, EXIT_POLL_SECONDS), restart)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if not restart:  # the cells are over (or the start failed): let the next notebook start meanwhile
            pool.lighten()
        await super().shutdown_kernel(now=now, restart=restart)

    async def start_kernel(self, **kw) -> None:
        try:
            await super().start_kernel(**kw)
        except Exception as exc:
            tail = self.stderr_tail()
            await self._discard()
            message = f"the kernel could not be launched: {type(exc).__name__}: {exc}".splitlines()[0]
            raise KernelStartError(message, tail) from exc

    async def _discard(self) -> None:
        if self.has_kernel:
            await self._async_kill_kernel()
        await self.cleanup_resources()

    def stderr_tail(self) -> str:
        """The end of what the kernel wrote to stderr so far."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0, os.SEEK_END)
        size = self._stderr.tell()
        self._stderr.seek(max(0, size - _STDERR_TAIL))
        return self._stderr.read().decode("utf-8", errors="replace").strip()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if restart:
            return
        if self._adopted is not None and not self.has_kernel:  # gone: nothing for the pool to kill
            pool.release(self._adopted)
            self._adopted = None
        if self._stderr is not None:
            # the worker's log has the kernel's stderr, as when the kernel wrote there itself
            self._stderr.seek(0)
            os.write(2, self._stderr.read())
            self._stderr.close()
            self._stderr = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    cleanup_resources = _async_cleanup_resources
