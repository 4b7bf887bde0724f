"""Orchestration: skip the notebooks whose inputs did not change, run the others in worker processes with a
progress bar, then record the manifest, refresh the index, print the PDFs (--pdf) and summarise.

Heavy imports (papermill, nbconvert through execute.py) happen only when there is something to run: a run with
nothing changed imports the standard library, click and this package's small modules, and answers at once.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import problem_lines
from . import fingerprint, index
from .plan import Plan, PlanError, Task, check_kernel
from .results import Failure, Outcome

if TYPE_CHECKING:  # pdf.py is imported only with --pdf
    from .pdf import Result as PdfResult

# A warm template pays for itself once kernels start after the first wave of `jobs` (those wait for its imports
# about as long as they would take to import for themselves); for fewer notebooks ordinary kernels are quicker,
# as they import only what they use.
TEMPLATE_MIN_WAVES = 1
TIMEOUT = 30 * 60  # seconds: generous, so that only a hung notebook (or kernel) reaches it


@dataclass
class Report:
    plan: Plan
    outcomes: list[Outcome]
    seconds: float
    indexes: list[Path] = field(default_factory=list)
    pdf: PdfResult | None = None  # with --pdf
    inputs: str = ""  # fingerprint.shared_digest of the plan: the package and the data its pages come from
    cold_reason: str | None = None  # why no kernel of the run could be forked from a warm template
    template_end: str | None = None  # how the template ended, when it died before the run was over

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or (self.pdf is not None and self.pdf.failures) else 0

    def summary(self) -> str:
        """The table (one row per notebook and language: ok / failed / skipped, time), then each notebook whose
        kernel had to be started twice, then each failure."""
        order = {nb.name: nb.sort_key for nb in self.plan.notebooks}
        rows = sorted(self.outcomes, key=lambda o: (self.plan.langs.index(o.lang), order[o.name]))
        width = max([len("notebook")] + [len(o.name) for o in rows])
        status = {o.key: (o.status.upper() if o.status == "failed" else o.status)
                  + (" (retried)" if o.retried else "") for o in rows}
        column = max([7] + [len(s) for s in status.values()])
        lines = [f"{'notebook':<{width}}  lang  {'status':<{column + 6}}time"]
        for o in rows:
            took = f"{o.seconds:6.1f} s" if o.status != "skipped" else f"{'-':>8}"
            lines.append(f"{o.name:<{width}}  {o.lang:<4}  {status[o.key]:<{column}}  {took}")
        counts = {s: sum(o.status == s for o in rows) for s in ("ok", "failed", "skipped")}
        retried = [o for o in rows if o.retried]
        again = f" ({len(retried)} kernel start{'s' if len(retried) > 1 else ''} retried)" if retried else ""
        lines.append(f"{counts['ok']} ok, {counts['failed']} failed, {counts['skipped']} skipped{again} in "
                     f"{self.seconds:.1f} s; index: {', '.join(map(str, self.indexes)) or '-'}")
        lines += kernel_lines(self.outcomes, self.cold_reason, self.template_end)
        for o in retried:
            if o.status == "failed":
                continue  # its failure below says so
            lines.append(f"RETRIED {o.lang}/{o.name}: the first kernel start failed: {o.retried}")
        for o in self.failed:
            lines.append(f"FAILED {o.lang}/{o.name}: {o.failure}")
            if o.failure.detail:
                lines.extend("    " + line for line in o.failure.detail.splitlines())
        if self.pdf is not None:
            lines += self.pdf.summary()
        return "\n".join(lines)


def kernel_lines(outcomes: list[Outcome], cold_reason: str | None = None, template_end: str | None = None
                 ) -> list[str]:
    """How the kernels started: forked from the warm template, or the ordinary way, and why."""
    started = [o.kernel for o in outcomes if o.kernel]
    if not started:
        return []
    if cold_reason:
        return [f"kernels: started the ordinary way ({cold_reason})"]
    died = [f"    {template_end}"] if template_end else []
    warm = started.count("warm")
    reasons = Counter(k.removeprefix("cold: ") for k in started if k != "warm")
    if not reasons:
        return [f"kernels: {warm} forked from the warm template"] + died
    cold = sum(reasons.values())
    return [f"kernels: {warm} forked from the warm template, {cold} started the ordinary way:"] + [
        f"    {n} × {why}" for why, n in reasons.most_common()] + died


def check_data(plan: Plan, handover: str | None = None) -> None:
    """Refuse to start kernels on data with errors: every notebook would fail on the same DataError.
    (Only on the slow path: with nothing to run, nothing is read.) With `handover` (a file path), also record
    the checked reads of every year the notebooks may read, for the kernels to start from (store.py)."""
    from .. import store
    from ..checks.validation import checked_year, validate

    report = validate(plan.year, plan.data_dir)
    if report.errors:
        shown = "\n".join(problem_lines(report.errors, prefix="  "))
        raise PlanError(f"the data of {plan.year} has {len(report.errors)} error(s); nothing was run "
                        f"(see `camgiang validate --year {plan.year}`):\n{shown}")
    if handover is not None:
        # the year, its comparison year and the earlier years (the trends read them all)
        wanted = {y for y in paths.years(plan.data_root) if y <= plan.year} | {plan.compare_year} - {None}
        reads = []
        for year in sorted(wanted):
            checked_year(year, plan.data_dir)
            reads.append(store.read_year(year, plan.data_dir))
        store.write_handover(handover, reads)


class Templates:
    """The warm-kernel template (template.py) of one run, or one shared by the runs of a collection's units:
    started when a run first has notebooks to execute, stopped by `stop`."""

    def __init__(self) -> None:
        self.template = None

    def get(self, plan: Plan, todo: list[Task]):
        """The template, or a stand-in whose reason says why there is none."""
        from . import template

        if not plan.warm:
            return template.Template("asked for with --cold-kernels")
        if self.template is None and len(todo) <= plan.jobs * TEMPLATE_MIN_WAVES:
            return template.Template(f"{len(todo)} notebook(s) for {plan.jobs} job(s): a warm template would not "
                                     "pay for itself")
        if self.template is None or self.template.died():
            if self.template is not None:
                self.template.stop()
            folders = Counter(task.notebook.path.parent.resolve() for task in todo)
            notebooks = sorted({nb.path for nb in plan.notebooks})
            self.template = template.start(plan.kernel, folders.most_common(1)[0][0], notebooks)
        return self.template

    def stop(self) -> None:
        if self.template is not None:
            self.template.stop()
            self.template = None


def run(plan: Plan, progress_stream=None, timeout: float | None = TIMEOUT, templates: Templates | None = None
        ) -> Report:
    """Bring the pages of `plan` up to date; progress goes to stderr. Raises PlanError (before running
    anything) when the kernel is missing; a failing notebook is reported in the Report, never raised.
    A notebook still running after `timeout` seconds (None: no limit) is stopped, with its kernel.
    `templates`: a warm-kernel template shared with other runs (the caller stops it); by default, the run's own."""
    started = time.monotonic()
    shared = fingerprint.shared_digest(plan)
    manifests = {lang: fingerprint.Manifest(plan.out_dir(lang)) for lang in plan.langs}
    prints, todo, outcomes = {}, [], []
    for task in plan.tasks():
        prints[task.lang, task.name] = fingerprint.fingerprint(task, shared)
        if not plan.force and manifests[task.lang].is_current(task, prints[task.lang, task.name]):
            outcomes.append(Outcome(task.name, task.lang, "skipped"))
        else:
            todo.append(task)
    cold_reason = template_end = None
    if todo:
        from ..store import HANDOVER_ENV  # the slow path: pandas is imported anyway

        check_kernel(plan.kernel)
        own = templates is None
        templates = Templates() if own else templates
        template = templates.get(plan, todo)  # it imports while the parent checks the data
        scratch = tempfile.mkdtemp(prefix="camgiang-run-data-")
        try:
            handover = os.path.join(scratch, "checked.pickle")
            check_data(plan, handover)
            os.environ[HANDOVER_ENV] = handover
            for lang in {task.lang for task in todo}:
                plan.out_dir(lang).mkdir(parents=True, exist_ok=True)
            # longest first (as last measured), so that one slow notebook does not start last
            todo.sort(key=lambda t: -manifests[t.lang].seconds(t.name))
            outcomes += _execute(plan, todo, manifests, prints, progress_stream or sys.stderr, timeout)
            cold_reason, template_end = template.reason, template.died()
        finally:
            os.environ.pop(HANDOVER_ENV, None)
            if own:
                templates.stop()
            shutil.rmtree(scratch, ignore_errors=True)
    indexes = []
    for lang in plan.langs:
        folder = plan.out_dir(lang)
        if folder.is_dir() and manifests[lang].entries:
            indexes.append(index.write(plan.year, lang, plan.notebooks, manifests[lang].entries, folder,
                                       paths.source_metadata(plan.data_root, plan.year), inputs=shared))
    printed = _print(plan, progress_stream or sys.stderr) if plan.pdf else None
    return Report(plan, outcomes, time.monotonic() - started, indexes, printed, inputs=shared,
                  cold_reason=cold_reason, template_end=template_end)



def _print(plan: Plan, stream) -> PdfResult:
    """Every page of the run (its notebooks, in each language) and the index, to PDF: in this process, once the
    workers are done (pdf.py). A page that failed keeps its last good HTML, which is printed if need be."""
    from . import pdf

    pages = [pdf.Page(f"{lang}/{name}", plan.out_dir(lang) / f"{name}.html")
             for lang in plan.langs for name in [nb.name for nb in plan.selected] + ["index"]]
    return pdf.publish(pages, stream)


def _execute(plan: Plan, todo: list[Task], manifests, prints, stream, timeout: float | None) -> list[Outcome]:
    from tqdm import tqdm

    from . import execute, pool

    execute.prepare()
    tqdm.monitor_interval = 0  # no monitor thread: the workers are forked from this process
    several = len(plan.langs) > 1
    label = (lambda t: f"{t.lang}/{t.name}") if several else (lambda t: t.name)
    began: dict[Task, float] = {}
    bar = tqdm(total=len(todo), desc=f"camgiang run {plan.year}", unit="nb", file=stream, dynamic_ncols=True,
               bar_format="{desc}: {n}/{total} |{bar}| {elapsed}{postfix}")

    def show() -> None:
        bar.set_postfix_str(("running: " + ", ".join(label(t) for t in began)) if began else "", refresh=False)
        bar.refresh()

    def started(task: Task) -> None:
        began[task] = time.monotonic()
        show()

    def done(task: Task, outcome: Outcome) -> None:
        began.pop(task, None)
        manifests[task.lang].record(outcome, prints[task.lang, task.name])
        manifests[task.lang].save(plan.year, task.lang)
        if outcome.status == "failed":
            bar.write(f"failed: {label(task)}: {outcome.failure}", file=stream)
        bar.update(1)
        show()

    def crashed(task: Task, how: str, log_tail: str) -> Outcome:
        seconds = time.monotonic() - began.get(task, time.monotonic())
        if how.startswith(pool.TIMED_OUT):
            failure = Failure("worker", "Timeout", f"{how}: a cell or its kernel hung, or the notebook needs "
                                                   "longer (camgiang run --timeout SECONDS)", detail=log_tail)
        else:
            failure = Failure("worker", "WorkerDied", how, detail=log_tail)
        return Outcome(task.name, task.lang, "failed", seconds, failure=failure)

    try:
        # redraw each second on a terminal (elapsed time moves); in a log, only when something happens
        tick = bar.refresh if getattr(stream, "isatty", lambda: False)() else (lambda: None)
        return pool.run(todo, plan.jobs, execute.build, crashed, started, done, tick=tick, timeout=timeout)
    finally:
        bar.close()
