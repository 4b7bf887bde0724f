"""`camgiang run --pdf`: each published page printed to `<name>.pdf` beside its `<name>.html`, on A4.

The printer is the system's Chromium (the one the browser test of the pages uses), driven by Playwright; no
browser is ever downloaded. The page's own @page and @media print rules lay it out (prefer_css_page_size).
Playwright is the optional extra `pdf` (pip install -e '.[pdf]'; the `test` extra has it too): it is imported
only when something is to be printed, and `check()` says what is missing before anything runs.

The browser is launched once per run, in the parent process, after the notebooks have run: the workers are
forked (pool.py), and a process holding Playwright's driver, its threads and its event loop must not fork.
Offline: a page may load file: and data: URLs only; any other request is aborted, and that page gets no PDF
(its failure names the URLs). A PDF is printed again only when its HTML changed: `pdf.json` in the folder
keeps the SHA-256 of the HTML each PDF was printed from. Each PDF is written atomically (temporary file, then
os.replace), so a reader never finds half a PDF.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import reading

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# as in tests/test_reports.py: no first-run, sync, update or background traffic of the browser's own
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
STATE = "pdf.json"
FORMAT = 1
LOCAL = ("file:", "data:")


class PdfError(Exception):
    """PDFs cannot be printed (no Playwright, no browser), or one page cannot (it is not offline)."""


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise PdfError(f"--pdf prints with the system's Chromium and none was found on PATH (looked for "
                   f"{', '.join(BROWSERS)}): install it (Debian, Ubuntu: apt-get install chromium); camgiang "
                   "never downloads a browser")


def playwright_installed() -> bool:
    return importlib.util.find_spec("playwright") is not None  # without importing it


def check() -> str:
    """Before anything runs: Playwright installed and a browser found; returns the browser's path."""
    if not playwright_installed():
        raise PdfError("--pdf needs the playwright package, which is not installed: pip install -e '.[pdf]' "
                       "(`make setup` installs it too, with the test extra)")
    return find_browser()


@dataclass
class Page:
    """One page to print: `label` names it in messages (vi/budget)."""

    label: str
    html: Path

    @property
    def pdf(self) -> Path:
        return self.html.with_suffix(".pdf")


@dataclass
class Result:
    printed: list[str] = field(default_factory=list)
    current: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (label, why)
    seconds: float = 0.0

    def summary(self) -> list[str]:
        lines = [f"pdf: {len(self.printed)} printed, {self.current} up to date, {len(self.failures)} failed "
                 f"in {self.seconds:.1f} s"]
        lines += [f"FAILED pdf {label}: {why}" for label, why in self.failures]
        return lines


def _digest(path: Path) -> str:
    return hashlib.sha256(reading.read_bytes(path, limit=reading.MAX_ORIGINAL_BYTES)).hexdigest()


def _read_state(folder: Path) -> dict[str, str]:
    """The digests of the HTML the PDFs were printed from; a state that cannot be read means: print all."""
    try:
        data = reading.read_json(folder / STATE)
        pages = data["pages"] if data.get("format") == FORMAT else {}
        return {k: v for k, v in pages.items() if isinstance(k, str) and isinstance(v, str)}
    except (reading.ReadError, KeyError, AttributeError, TypeError):
        return {}


def _write_atomically(path: Path, data: bytes) -> None:
    """As atomic.write_text, for bytes: beside the target, flushed to disk, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Printer:
    """One browser for a whole run: `with Printer() as printer: printer.print(page)`."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or find_browser()

    def __enter__(self) -> Printer:
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            check()  # raises with the message
            raise
        self._error = Error
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=ARGS)
            # no service worker could answer a request behind the route's back
            self._context = self._browser.new_context(service_workers="block", java_script_enabled=False)
        except Error as exc:
            self._playwright.stop()
            raise PdfError(f"could not start {self.executable}: {str(exc).splitlines()[0]}") from None
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._context.close()
            self._browser.close()
        finally:
            self._playwright.stop()

    def pdf_bytes(self, html: Path) -> bytes:
        """The page printed; PdfError when it asked for anything but file: and data: URLs."""
        attempted: list[str] = []

        def note(url: str) -> None:
            if not url.startswith(LOCAL) and url not in attempted:
                attempted.append(url)

        def route(route) -> None:
            url = route.request.url
            if url.startswith(LOCAL):
                route.continue_()
            else:
                note(url)
                route.abort("blockedbyclient")

        page = self._context.new_page()
        try:
            page.route(lambda url: True, route)
            page.on("request", lambda request: note(request.url))  # whatever the route did not see
            page.on("websocket", lambda socket: note(socket.url))
            try:
                page.goto(html.resolve().as_uri(), wait_until="load")
            except self._error as exc:
                if not attempted:
                    raise PdfError(f"could not open {html.name}: {str(exc).splitlines()[0]}") from None
            if attempted:
                shown = ", ".join(attempted[:3]) + (f" and {len(attempted) - 3} more" if len(attempted) > 3 else "")
                raise PdfError(f"{html.name} is not offline: it asked for {shown} (blocked); no PDF written")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            page.close()

    def print(self, page: Page) -> Path:
        _write_atomically(page.pdf, self.pdf_bytes(page.html))
        return page.pdf


def publish(pages: list[Page], stream=None) -> Result:
    """Print every page whose PDF is missing or was printed from other HTML; a page that cannot be printed is
    a failure in the Result, never an exception."""
    started = time.monotonic()
    result = Result()
    states: dict[Path, dict[str, str]] = {}
    todo: list[tuple[Page, str]] = []
    for page in pages:
        if not page.html.is_file():
            continue
        folder = page.html.parent
        state = states.setdefault(folder, _read_state(folder))
        try:
            digest = _digest(page.html)
        except reading.ReadError as exc:
            result.failures.append((page.label, f"cannot read {exc.problem}"))
            continue
        if state.get(page.html.stem) == digest and page.pdf.is_file():
            result.current += 1
        else:
            todo.append((page, digest))
    if todo:
        if stream is not None:
            print(f"printing {len(todo)} PDF{'s' if len(todo) > 1 else ''} with {find_browser()}", file=stream)
        try:
            with Printer() as printer:
                for page, digest in todo:
                    try:
                        printer.print(page)
                    except PdfError as exc:
                        result.failures.append((page.label, str(exc)))
                        continue
                    folder = page.html.parent
                    states[folder][page.html.stem] = digest
                    text = json.dumps({"format": FORMAT, "pages": states[folder]}, indent=1, sort_keys=True)
                    _write_atomically(folder / STATE, (text + "\n").encode())
                    result.printed.append(page.label)
        except PdfError as exc:  # no browser at all: every page left fails for the same reason
            done = set(result.printed) | {label for label, _ in result.failures}
            result.failures += [(page.label, str(exc)) for page, _ in todo if page.label not in done]
    result.seconds = time.monotonic() - started
    return result
