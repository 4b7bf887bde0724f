"""Warm kernels: a template process that has already imported what the notebooks' kernels import, and forks
one fresh kernel process per request (the fork-server pattern of prefork kernel servers).

Each notebook still runs in a process of its own, started clean: a forked child has the template's memory
as the template was before any kernel existed, never another kernel's. The template only imports code:
ipykernel and the modules the notebooks' cells import (read from their `import` statements), with the
environment, working folder and sys.path a kernel would have at that point. It reads no data (a test holds it
to that), so nothing it holds can be stale: the package's code and words, which it does load, are covered by
the run's fingerprint, and the template lives for one run only.

Parent side (run.py): `start` launches the template with the kernel spec's own interpreter and flags
(`python -X… -m camgiang_data.runner.template SOCKET`), `Template.stop` ends it with every kernel it forked.
Worker side (provisioner.py): `request` asks for a kernel and gets a `ForkedKernel`, a Popen-like handle.

The protocol, on a unix socket in a private folder: one JSON request per connection (the kernel's command,
working folder and environment, with its stdout and stderr passed as file descriptors), one JSON answer
(`{"pid": N}` or `{"refused": why}`), then, when the kernel exits, `{"exit": code}`. The connection is the
kernel's lifeline: when the worker's end closes while the kernel lives (the worker died), the template kills
the kernel's process group.

Fork safety: the template runs no Python thread and no event loop (it serves with `selectors`); it refuses to
fork if a thread appeared. OpenBLAS, the one native library here with a thread pool, stops it in a
pthread_atfork handler and the child restarts it on demand.
"""

from __future__ import annotations

import ast
import atexit
import gc
import importlib
import importlib.util
import json
import os
import selectors
import shutil
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path

from ..checks import reading

# Variables set per kernel or per worker, which no preloaded module reads at import: the only ones a request's
# environment may differ in from the template's. Any other difference (MPLBACKEND, PYTHONHASHSEED…) could
# have changed what an import did, so the kernel is started the ordinary way instead.
PER_KERNEL_ENV = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "CAMGIANG_WORKER_DIR", "CAMGIANG_VALIDATED"})
# What every kernel imports before its first cell (its shell, debugger, history, completer: a fresh kernel's
# sys.modules at its first reply, less what the notebooks' imports bring); the notebooks' own imports are added.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
                  "IPython.core.completer", "IPython.core.completerlib", "IPython.core.debugger",
                  "IPython.core.oinspect", "IPython.extensions.storemagic", "matplotlib_inline.backend_inline",
                  "comm", "sqlite3", "tornado.platform.asyncio", "tornado.queues")
# Modules whose import reads what varies per kernel (IPKernelApp's trait defaults read JPY_PARENT_PID): dropped
# after the preload, so that each kernel runs their body again, in its own environment (their imports stay warm).
FRESH_IN_KERNEL = ("ipykernel.kernelapp",)
# Run after the preload when it imported their package: each loads read-only package resources that every kernel
# would load on its first page (locale data, fonts, formatters), never report data.
WARM_UPS = ("camgiang_data.present.warm:warm_up",)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset
LINE = 64 * 1024  # the largest request (a whole environment) or answer
PARENT_CHECK_SECONDS = 1.0
# ipykernel's shutdown race (seen as posit-dev/positron#7142): the control thread, having answered
# shutdown_request, flushes stdout through the IOPub thread, while the main thread's exit functions
# (IPKernelApp.close) stop that thread. When the stop wins, the flush waits its 10 s timeout, close waits for the
# control thread, and jupyter_client, its 2.5 s grace over, terminates the kernel: a few kernels in every batch.
# A forked kernel lets its control thread finish (IOPub still running) before the exit functions, this long at most.
CONTROL_SETTLE_SECONDS = 2.0


# ---------------------------------------------------------------- which modules: the notebooks' imports

def notebook_imports(notebooks: list[Path], local: Path | None = None) -> list[str]:
    """Modules imported at the top level of the notebooks' code cells, in order of first appearance; not
    modules found in `local` (the notebooks' folder): importing those before the fork, with another sys.path,
    could differ from what the kernel does. Cells that do not parse (magics) are skipped."""
    found: dict[str, None] = {}
    for path in notebooks:
        try:
            cells = reading.read_json(path, what="a notebook (.ipynb)").get("cells", [])
        except (reading.ReadError, AttributeError):  # the run reports a bad notebook; here, nothing to preload
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    # `from package import name`: name may be a submodule (camgiang_data.analyses.audit)
                    names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                             if alias.name != "*"]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if local is not None and ((local / top).is_dir() or (local / f"{top}.py").is_file()):
                        continue
                    found.setdefault(name, None)
    return list(found)


def preload(modules: list[str]) -> tuple[list[str], list[str]]:
    """Import each module that exists (a `from x import name` that is not a module is skipped silently);
    returns (imported, failed with why). A module that fails here fails in the kernel too, where it is reported."""
    imported, failed = [], []
    for name in modules:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a dependency of a real module is missing
                failed.append(f"{name}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - the kernel will meet (and report) the same error
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        imported.append(name)
    return imported, failed


def warm_up() -> list[str]:
    """Run the WARM_UPS whose package the preload imported; returns the ones that failed, with why (the kernel
    then loads those resources itself, as it would without a template)."""
    failed = []
    for entry in WARM_UPS:
        module, _, function = entry.partition(":")
        if module.rpartition(".")[0] not in sys.modules:
            continue
        try:
            getattr(importlib.import_module(module), function)()
        except Exception as exc:  # noqa: BLE001 - a warm-up is an optimisation, never a reason to fail
            failed.append(f"{entry}: {type(exc).__name__}: {exc}")
    return failed


def forget(name: str) -> None:
    """Drop an imported module, so that the next import runs its body again."""
    sys.modules.pop(name, None)
    package, _, leaf = name.rpartition(".")
    if package in sys.modules and hasattr(sys.modules[package], leaf):
        delattr(sys.modules[package], leaf)


# ---------------------------------------------------------------- the parent's side

SOCKET_ENV = "CAMGIANG_KERNEL_TEMPLATE"  # the socket, for the workers' provisioners (provisioner.py)
READY_SECONDS = 60.0  # the template only binds its socket before importing: it says "listening" at once
_LOG_TAIL = 600


class Template:
    """The template of one run, as the parent holds it: `reason` says why kernels start the ordinary way
    (None: they are forked from the template at `socket`)."""

    def __init__(self, reason: str | None = None, process=None, folder: str | None = None,
                 socket_path: str | None = None) -> None:
        self.reason, self.process, self.folder, self.socket = reason, process, folder, socket_path

    @property
    def warm(self) -> bool:
        return self.reason is None

    def died(self) -> str | None:
        """Why the template is gone (None while it runs), with the end of its log."""
        if self.process is None or self.process.poll() is None:
            return None
        from .pool import exit_words

        return f"the warm-kernel template {exit_words(self.process.returncode)}{self._log_tail()}"

    def _log_tail(self) -> str:
        try:
            text = reading.read_text(Path(self.folder, "template.log"), limit=reading.MB).strip()
        except (reading.ReadError, TypeError):
            return ""
        last = [line for line in text.splitlines() if line.strip()][-1:]
        return f" ({last[0][-_LOG_TAIL:]})" if last else ""

    def stop(self) -> None:
        """End the template and every kernel it forked that still runs; remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except Exception:  # noqa: BLE001 - it did not stop: kill it, its kernels die with their lifelines
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        os.environ.pop(SOCKET_ENV, None)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def kernel_command(kernel_name: str) -> list[str]:
    """The kernel spec's command as jupyter_client will run it (`python` means the running interpreter)."""
    from jupyter_client.kernelspec import KernelSpecManager

    argv = list(KernelSpecManager().get_kernel_spec(kernel_name).argv)
    if argv and argv[0] in {"python", f"python{sys.version_info[0]}"}:
        argv[0] = sys.executable
    return argv


def kernel_environment(kernel_name: str) -> dict[str, str]:
    """The environment jupyter_client gives a kernel of this spec: ours, with the spec's `env` stanza applied
    (its ${VAR} substituted from ours), so that the template imports in what the kernels will run in."""
    import string

    from jupyter_client.kernelspec import KernelSpecManager

    env = dict(os.environ)
    spec_env = KernelSpecManager().get_kernel_spec(kernel_name).env or {}
    env.update({k: string.Template(v).safe_substitute(os.environ) for k, v in spec_env.items()})
    return env


def unavailable(kernel_name: str) -> str | None:
    """Why kernels of this spec cannot be forked from a template here (None: they can)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        return f"forking a warm kernel is done on Linux only (this is {sys.platform})"
    try:
        argv = kernel_command(kernel_name)
    except Exception as exc:  # noqa: BLE001 - plan.check_kernel reports a missing kernel; here, just cold
        return f"the kernel spec {kernel_name!r} could not be read ({exc})"
    if "-m" not in argv or argv[argv.index("-m") + 1:argv.index("-m") + 2] != ["ipykernel_launcher"]:
        return f"the kernel spec {kernel_name!r} does not run `python -m ipykernel_launcher` ({' '.join(argv)})"
    return None


def start(kernel_name: str, cwd: Path, notebooks: list[Path]) -> Template:
    """Launch the template for kernels of `kernel_name` working in `cwd`, importing what `notebooks` import.
    Returns at once (the imports go on in the template while the parent validates the data); on any problem,
    a Template whose `reason` says why kernels will start the ordinary way. Sets SOCKET_ENV for the workers."""
    import subprocess
    import tempfile

    reason = unavailable(kernel_name)
    if reason:
        return Template(reason)
    argv = kernel_command(kernel_name)
    folder = tempfile.mkdtemp(prefix="camgiang-run-template-", dir="/tmp" if os.path.isdir("/tmp") else None)
    path = os.path.join(folder, "socket")
    command = [*argv[:argv.index("-m")], "-m", "camgiang_data.runner.template", path, *map(str, notebooks)]
    log = os.open(os.path.join(folder, "template.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        # env: as the workers' kernels will get it (from os.environ: the C-level environment can hold more,
        # e.g. LINES and COLUMNS put there by a terminal library)
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=log, start_new_session=True, env=kernel_environment(kernel_name))
    except OSError as exc:
        os.close(log)
        shutil.rmtree(folder, ignore_errors=True)
        return Template(f"the warm-kernel template could not be launched ({exc})")
    os.close(log)
    template = Template(None, process, folder, path)
    import selectors as _selectors

    with _selectors.DefaultSelector() as waiting:
        waiting.register(process.stdout, _selectors.EVENT_READ)
        ready = waiting.select(timeout=READY_SECONDS)
    line = process.stdout.readline() if ready else b""
    if line.strip() != b"listening":
        reason = template.died() or f"the warm-kernel template did not start within {READY_SECONDS:g} s"
        template.stop()
        return Template(reason)
    os.environ[SOCKET_ENV] = path
    return template


# ---------------------------------------------------------------- the template process

class _Server:
    def __init__(self, path: str, base_env: dict[str, str], cwd: str) -> None:
        self.base_env, self.cwd = base_env, cwd
        self.parent = os.getppid()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(128)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that set_wakeup_fd sees SIGCHLD
        signal.set_wakeup_fd(self.wake_write)
        self.selector.register(self.wake_read, selectors.EVENT_READ)
        self.kernels: dict[int, socket.socket] = {}  # pid → its connection
        self.conns: dict[socket.socket, int | None] = {}  # connection → its kernel's pid, once forked
        self.stopping = False
        self.import_env: dict[str, str] = {}  # set by the preloaded modules' imports (main)
        self.import_unset: list[str] = []
        signal.signal(signal.SIGTERM, self._stop)

    def _stop(self, *_) -> None:
        self.stopping = True

    def serve(self) -> None:
        while not self.stopping:
            for key, _ in self.selector.select(timeout=PARENT_CHECK_SECONDS):
                if key.fileobj is self.listener:
                    conn, _ = self.listener.accept()
                    self.conns[conn] = None
                    self.selector.register(conn, selectors.EVENT_READ)
                elif key.fileobj == self.wake_read:
                    try:
                        os.read(self.wake_read, 4096)
                    except BlockingIOError:
                        pass
                    self._reap()
                else:
                    self._readable(key.fileobj)
            if os.getppid() != self.parent:  # the run is gone: so are we, with our kernels
                break
        self.shutdown()

    def _readable(self, conn: socket.socket) -> None:
        pid = self.conns.get(conn)
        if pid is not None:  # a lifeline: readable means the worker's end closed
            self._close(conn)
            _killpg(pid)
            return
        data, fds = _receive(conn)
        if not data:
            for fd in fds:
                os.close(fd)
            self._close(conn)
            return
        try:
            request = json.loads(data.decode("utf-8"))
            refused = self._refusal(request, fds)
        except ValueError as exc:
            request, refused = {}, f"an unreadable request ({exc})"
        if refused:
            for fd in fds:
                os.close(fd)
            _send(conn, {"refused": refused})
            self._close(conn)
            return
        pid = self._fork(request, fds, conn)
        for fd in fds:
            os.close(fd)
        self.conns[conn] = pid
        self.kernels[pid] = conn
        _send(conn, {"pid": pid})

    def _refusal(self, request: dict, fds: list[int]) -> str | None:
        """Why this kernel cannot be forked from this template (None: it can)."""
        if len(fds) != 2:
            return "the request did not pass the kernel's stdout and stderr"
        prefix = [os.path.abspath(sys.executable), *_interpreter_flags(), "-m"]
        argv = list(request.get("argv") or [])
        if argv:
            argv[0] = os.path.abspath(shutil.which(argv[0]) or argv[0])
        if argv[:len(prefix)] != prefix or argv[len(prefix):len(prefix) + 1] != ["ipykernel_launcher"]:
            return (f"the kernel's command ({' '.join(argv[:len(prefix) + 1])}) is not the template's "
                    f"interpreter running ipykernel_launcher ({' '.join(prefix)} ipykernel_launcher)")
        if os.path.realpath(request.get("cwd") or os.getcwd()) != os.path.realpath(self.cwd):
            return f"the kernel's working folder {request.get('cwd')} is not the template's {self.cwd}"
        env = request.get("env") or {}
        differ = sorted(k for k in set(env) | set(self.base_env)
                        if k not in PER_KERNEL_ENV and env.get(k) != self.base_env.get(k))
        if differ:
            return f"the kernel's environment differs from the template's in {', '.join(differ[:5])}"
        others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        if others:
            return f"the template runs threads ({', '.join(others)}): forking it could deadlock the kernel"
        return None

    def _fork(self, request: dict, fds: list[int], conn: socket.socket) -> int:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            self._become_kernel(request, fds)
            from ipykernel import kernelapp

            try:
                kernelapp.launch_new_instance()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            _settle_control_thread(kernelapp.IPKernelApp)
            atexit._run_exitfuncs()  # what an ordinary interpreter runs at exit (IPython's history, logging)
        except BaseException:  # noqa: BLE001 - never return into the template's loop
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def _become_kernel(self, request: dict, fds: list[int]) -> None:
        """In the child: shed the template (its sockets, signals, environment) and take the kernel's."""
        os.setsid()  # a session and process group of its own, as jupyter_client gives a kernel
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        self.listener.close()
        for conn in list(self.conns):
            conn.close()
        os.close(self.wake_read)
        os.close(self.wake_write)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in set(fds) - {0, 1, 2}:  # received for the dup2 above; the kernel needs no second handle
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.update(self.import_env)
        for name in self.import_unset:
            os.environ.pop(name, None)
        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [launcher.origin if launcher else "ipykernel_launcher",
                    *request["argv"][len(_interpreter_flags()) + 3:]]
        if "numpy.random" in sys.modules:  # its global generator was seeded once, in the template
            sys.modules["numpy.random"].seed()

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.kernels.pop(pid, None)
            if conn is not None:
                _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
                self._close(conn)

    def _close(self, conn: socket.socket) -> None:
        pid = self.conns.pop(conn, None)
        if pid is not None and self.kernels.get(pid) is conn:
            del self.kernels[pid]
        try:
            self.selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()

    def shutdown(self) -> None:
        for pid in list(self.kernels):
            _killpg(pid)
        for conn in list(self.conns):
            self._close(conn)
        self.listener.close()


def _settle_control_thread(app_class) -> None:
    """Before the exit functions stop the IOPub thread: stop the kernel's control thread (shutdown_request
    already asked its loop to stop; another way out may not have) and let it finish what it is flushing."""
    app = app_class.instance() if app_class.initialized() else None
    thread = getattr(app, "control_thread", None)
    if thread is not None and thread.is_alive():
        thread.stop()
        thread.join(CONTROL_SETTLE_SECONDS)


def _receive(conn: socket.socket) -> tuple[bytes, list[int]]:
    """One request: a line of JSON, the file descriptors with its first part (b"" when the worker hung up)."""
    try:
        data, fds, _, _ = socket.recv_fds(conn, LINE, 2)
        while data and not data.endswith(b"\n") and len(data) < LINE:
            more = conn.recv(LINE)
            if not more:
                break
            data += more
    except OSError:
        return b"", []
    return (data if data.endswith(b"\n") else b""), fds


def _killpg(pid: int) -> None:
    """The kernel's process group (its own children) and the kernel itself: just after the fork, it may not
    have called setsid yet, and its group does not exist."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _send(conn: socket.socket, message: dict) -> None:
    try:
        conn.sendall(json.dumps(message).encode("utf-8") + b"\n")
    except OSError:  # the worker is gone; its kernel is dealt with when the connection closes
        pass


def _interpreter_flags() -> list[str]:
    """The flags this interpreter was started with (-X…, -E…), as the kernel spec's command gives them."""
    argv = list(getattr(sys, "orig_argv", []))
    if "-m" in argv:
        return argv[1:argv.index("-m")]
    return []


def main(argv: list[str]) -> None:
    """python -m camgiang_data.runner.template SOCKET NOTEBOOK… — serve until SIGTERM or the parent's end."""
    path, notebooks = argv[0], [Path(p) for p in argv[1:]]
    base_env = dict(os.environ)
    cwd = os.getcwd()
    # as ipykernel_launcher: the working folder is not on sys.path while the kernel imports (IPython adds ''
    # back when its shell starts, in the child)
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path(cwd)):
        del sys.path[0]
    server = _Server(path, base_env, cwd)
    print("listening", flush=True)  # requests queue on the socket while the modules import
    os.dup2(2, 1)  # what an import prints goes to the log, not into a pipe nobody reads
    began = time.perf_counter()
    backend = not os.environ.get("MPLBACKEND")
    if backend:  # as ipykernel does before the shell starts, so that imports see what they would see
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    imported, failed = preload([*KERNEL_MODULES, *notebook_imports(notebooks, Path(cwd))])
    unwarmed = warm_up()
    for name in FRESH_IN_KERNEL:
        forget(name)
    # the imported objects into the permanent generation: a kernel's collector never walks them, so neither
    # spends time on them nor writes to (and so copies) the pages they share with the template
    gc.collect()
    gc.freeze()
    after = dict(os.environ)
    if backend:
        after.pop("MPLBACKEND", None)  # the kernel sets it itself
    # what the imports did to the environment (debugpy sets PYDEVD_USE_FRAME_EVAL): each kernel gets it too,
    # as a kernel that made those imports itself would have it
    server.import_env = {k: v for k, v in after.items() if base_env.get(k) != v}
    server.import_unset = [k for k in base_env if k not in after]
    print(f"imported {len(imported)} modules in {time.perf_counter() - began:.2f} s", file=sys.stderr, flush=True)
    for line in failed:
        print(f"not imported: {line}", file=sys.stderr, flush=True)
    for line in unwarmed:
        print(f"warm-up failed: {line}", file=sys.stderr, flush=True)
    server.serve()
    sys.stderr.flush()
    # no interpreter teardown (half a second with pandas and matplotlib loaded): nothing of ours needs it
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
