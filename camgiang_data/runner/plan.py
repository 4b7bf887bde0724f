"""Arguments → a checked plan: which year, languages, notebooks, parameters and how many processes.

Everything a user can get wrong (year, language, notebook name, folders, the Jupyter kernel) is checked
here, before any output folder is created or any kernel starts, and reported as one `PlanError` listing what
is available. Standard library only: this runs on the fast path where nothing has changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..checks import reading

LANGS = ("vi", "en")
KERNEL = "camgiang"
# The notebooks live next to the package (a checkout, or an editable install), not inside it.
DEFAULT_NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


class PlanError(Exception):
    """A bad argument or a missing prerequisite, found before anything runs."""


@dataclass(frozen=True)
class Notebook:
    """A report notebook and what the index needs to know about it (read with json: no nbformat)."""

    name: str
    path: Path
    order: float | None = None
    titles: dict = field(default_factory=dict, hash=False, compare=False)
    heading: str | None = None

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.heading or self.name

    @property
    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.name)


def read_notebook(path: Path) -> Notebook:
    try:
        nb = reading.read_json(path, what="a notebook (.ipynb)")
    except reading.ReadError as exc:
        raise PlanError(f"cannot read notebook {exc.problem}") from None
    if not isinstance(nb, dict):
        raise PlanError(f"cannot read notebook {path}: expected a JSON object (a notebook), found {type(nb).__name__}")
    meta = (nb.get("metadata") or {}).get("camgiang") or {}
    titles = _report_title(path.stem) or meta.get("title") or {}
    order = meta.get("order")
    return Notebook(name=path.stem, path=path, order=order if isinstance(order, (int, float)) else None,
                    titles=titles if isinstance(titles, dict) else {}, heading=_first_heading(nb))


MESSAGES_DIR = Path(__file__).resolve().parents[1] / "messages" / "reports"


def _report_title(name: str) -> dict | None:
    """A packaged report's title, where every title is defined once: its message file's [title] (vi, en). A
    notebook of one's own gives its title in its metadata (`camgiang.title`) instead."""
    path = MESSAGES_DIR / f"{name}.toml"
    if not reading.exists(path):
        return None
    try:
        title = reading.read_toml(path, f"messages/reports/{name}.toml").get("title")
    except reading.ReadError as exc:
        raise PlanError(f"cannot read {exc.problem}") from None
    return title if isinstance(title, dict) else None


def _first_heading(nb: dict) -> str | None:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        for line in (source if isinstance(source, str) else "".join(source)).splitlines():
            if line.lstrip().startswith("#"):
                text = line.strip().lstrip("#").strip()
                if text:
                    return text
    return None


@dataclass(frozen=True)
class Task:
    """One notebook in one language: what a worker process needs, and nothing it would have to look up."""

    notebook: Notebook
    lang: str
    year: int
    parameters: dict = field(hash=False)
    out_dir: Path = field(hash=False)
    kernel: str = KERNEL

    @property
    def name(self) -> str:
        return self.notebook.name

    @property
    def html_path(self) -> Path:
        return self.out_dir / f"{self.name}.html"

    @property
    def ipynb_path(self) -> Path:
        return self.out_dir / f"{self.name}.ipynb"


@dataclass(frozen=True)
class Plan:
    year: int
    compare_year: int | None
    langs: tuple[str, ...]
    data_root: Path  # the resolved data directory (the packaged one when data_dir is None)
    data_dir: Path | None  # as asked for: None means the packaged data
    notebooks: tuple[Notebook, ...]  # every notebook of the folder (the index lists them all)
    selected: tuple[Notebook, ...]  # the ones to bring up to date
    out: Path
    jobs: int
    force: bool = False
    kernel: str = KERNEL
    pdf: bool = False  # also print every page of the run, and the index, to PDF (pdf.py)
    warm: bool = True  # fork kernels from a warm template (template.py); False: every kernel the ordinary way

    def out_dir(self, lang: str) -> Path:
        return self.out / str(self.year) / lang

    def parameters(self, lang: str) -> dict:
        """What papermill injects. The kernel gets the absolute data path (its cwd is the notebooks folder);
        the kept .ipynb gets a relative one (export.scrub)."""
        return {"year": self.year, "lang": lang,
                "data_dir": str(self.data_dir) if self.data_dir is not None else None,
                "compare_year": self.compare_year}

    def tasks(self) -> list[Task]:
        return [Task(nb, lang, self.year, self.parameters(lang), self.out_dir(lang), self.kernel)
                for lang in self.langs for nb in self.selected]


def make_plan(year: int | None = None, lang: str = "vi", only: tuple[str, ...] | list[str] = (),
              data_dir: str | os.PathLike | None = None, out: str | os.PathLike = "outputs",
              notebooks_dir: str | os.PathLike | None = None, jobs: int | None = None, force: bool = False,
              kernel: str = KERNEL, pdf: bool = False, warm: bool = True) -> Plan:
    if lang not in (*LANGS, "all"):
        raise PlanError(f"unknown language {lang!r}; available: {', '.join(LANGS)}, all")
    langs = LANGS if lang == "all" else (lang,)

    if data_dir is not None and not Path(data_dir).is_dir():
        raise PlanError(f"data directory {data_dir} does not exist (it must be a folder of year folders)")
    data_root = paths.resolve_data_dir(data_dir)
    available = paths.years(data_root)
    if not available:
        raise PlanError(f"no year folders (e.g. 2021/) in {data_root}")
    if year is None:
        year = available[-1]
    elif year not in available:
        raise PlanError(f"no data for year {year} in {data_root}; available years: "
                        f"{', '.join(map(str, available))}")
    earlier = [y for y in available if y < year]

    folder = Path(notebooks_dir) if notebooks_dir is not None else DEFAULT_NOTEBOOKS_DIR
    if not folder.is_dir():
        raise PlanError(f"notebooks folder {folder} does not exist")
    notebooks = tuple(sorted((read_notebook(p) for p in folder.glob("*.ipynb")), key=lambda nb: nb.sort_key))
    if not notebooks:
        raise PlanError(f"no notebooks (*.ipynb) in {folder}")
    by_name = {nb.name: nb for nb in notebooks}

    wanted = [n.strip().removesuffix(".ipynb") for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise PlanError(f"unknown notebook{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                        f"available in {folder}: {', '.join(sorted(by_name))}")
    selected = tuple(by_name[n] for n in dict.fromkeys(wanted)) if wanted else notebooks

    if jobs is not None and jobs < 1:
        raise PlanError(f"--jobs must be at least 1, not {jobs}")
    if pdf:
        from .pdf import PdfError, check

        try:
            check()  # Playwright and a browser, before any notebook runs
        except PdfError as exc:
            raise PlanError(str(exc)) from None
    return Plan(year=year, compare_year=earlier[-1] if earlier else None, langs=langs, data_root=data_root,
                data_dir=data_root if data_dir is not None else None, notebooks=notebooks, selected=selected,
                out=Path(out), jobs=jobs or _cores(), force=force, kernel=kernel, pdf=pdf,
                warm=warm)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def check_kernel(name: str) -> None:
    """Fail before any notebook starts when the kernel papermill would launch is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if name not in specs:
        installed = ", ".join(sorted(specs)) or "none"
        raise PlanError(f"the Jupyter kernel {name!r} is not installed (installed: {installed}); run `make setup`")
