"""What a run produced for each notebook, as data (not strings to be parsed again later).

The worker process sends an `Outcome` back through a pipe, so everything here must pickle and stay small.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """Why one notebook did not produce a page.

    `kind` is "cell" (a cell raised), "kernel" (the kernel would not start, twice, or died), "worker" (the
    worker process itself died, e.g. killed, or was stopped at its time limit) or "export" (nbconvert or
    writing the files failed).
    `cell_index` counts cells of the notebook *file* from 0 (papermill's injected parameters cell is not
    counted), so `nbformat.read(path).cells[cell_index]` is the cell that failed.
    """

    kind: str
    ename: str
    evalue: str = ""
    cell_index: int | None = None
    cell_line: str | None = None
    detail: str = ""

    @property
    def exception(self) -> str:
        return f"{self.ename}: {self.evalue}" if self.evalue else self.ename

    def __str__(self) -> str:
        if self.cell_index is not None:
            line = f" `{self.cell_line}`" if self.cell_line else ""
            return f"cells[{self.cell_index}]{line} raised {self.exception}"
        if self.kind == "worker":
            return f"the worker process {self.evalue}"
        return f"{self.kind}: {self.exception}"


@dataclass(frozen=True)
class Outcome:
    """The result of one (notebook, language) task: status is "ok", "failed" or "skipped".

    `retried` is why the first kernel failed to start, when the notebook ran on a second one (else None).
    `kernel` is how its (last) kernel started: "warm" (forked from the run's template) or "cold: why".
    """

    name: str
    lang: str
    status: str
    seconds: float = 0.0
    summary: str | None = None
    failure: Failure | None = None
    retried: str | None = None
    kernel: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.lang, self.name)
