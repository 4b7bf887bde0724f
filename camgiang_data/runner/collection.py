"""`camgiang run --collection DIR`: the reports of several units (communes, towns), and a page comparing them.

DIR is a folder of unit data folders (each a folder of year folders, as `camgiang init` makes them). Every unit
is built by the ordinary machinery, one `make_plan` + `run` per unit into `<out>/<unit-folder>/<year>/<lang>/`,
so it is incremental and parallel exactly as a single run (the kernel pool lives and dies with each plan).
Then `<out>/compare/<year>/<lang>/index.html` sets the units' core indicators side by side
(templates/camgiang/compare_page.html.j2, words in messages/compare.toml).

What stops everything before anything is built (CollectionError, exit 2): no unit in DIR, two units with the
same unit name in their source.json, a year no unit has, a bad argument (make_plan's PlanError). What does not:
a unit without the year (listed as missing), a unit whose data has errors (listed with them), a notebook that
fails (the unit's own summary says which).
"""

from __future__ import annotations

import base64
import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..atomic import write_text as publish
from ..checks import reading
from ..errors import DataError, problem_lines
from . import page
from .plan import LANGS, PlanError, make_plan

COMPARE = "compare"  # <out>/compare/<year>/<lang>/index.html
MESSAGES = Path(__file__).resolve().parents[1] / "messages" / "compare.toml"
DOMAINS = Path(__file__).resolve().parents[1] / "messages" / "domains.toml"
# The ranked bar charts: indicators every commune reports that say most about a year.
HEADLINE = ("economy.growth_rate", "economy.income_per_capita", "poverty.poor_rate.new", "budget.revenue.total")
# Amounts per household. The reports state no population, but each states its households: the poverty review's
# base or, where it gives none, the cultural-family base. Amount per household = amount ÷ households (whole đồng).
PER_HOUSEHOLD = ("budget.revenue.total", "budget.spending.total", "economy.production_value")
HOUSEHOLD_BASES = ("poverty.surveyed_households", "culture.cultural_family_base_households")


class CollectionError(Exception):
    """The collection cannot be built at all; nothing was built."""


@dataclass(frozen=True)
class Unit:
    folder: Path
    years: tuple[int, ...]  # the year folders that hold a facts.csv
    names: dict = field(default_factory=dict, hash=False, compare=False)  # year → source.json unit.name

    @property
    def key(self) -> str:
        return self.folder.name

    def name(self, year: int | None = None) -> str | None:
        """The unit's name in `year`'s source.json (else in its latest year's)."""
        if year is not None and self.names.get(year):
            return self.names[year]
        return next((self.names[y] for y in reversed(self.years) if self.names.get(y)), None)

    def label(self, year: int | None = None) -> str:
        return self.name(year) or self.key


@dataclass
class UnitResult:
    unit: Unit
    status: str  # "built", "missing" (no data for the year) or "refused" (errors; nothing run)
    report: object | None = None  # run.Report when built
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reason: str = ""  # why it was refused, in one line (its errors follow)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.report.outcomes) if self.report is not None else 0


@dataclass
class CollectionReport:
    year: int
    langs: tuple[str, ...]
    results: list[UnitResult]
    compare: list[Path]
    seconds: float

    @property
    def exit_code(self) -> int:
        bad = any(r.errors or (r.report is not None and r.report.exit_code) for r in self.results)
        return 1 if bad else 0

    def summary(self) -> str:
        """A row per unit: pages ok / failed / skipped, whether the year is missing, how many errors; then each
        unit's errors and failed notebooks."""
        year = self.year
        wide = max([len("unit")] + [len(r.unit.key) for r in self.results])
        named = max([len("name")] + [len(r.unit.label(year)) for r in self.results])
        lines = [f"{'unit':<{wide}}  {'name':<{named}}  {'ok':>4}  {'failed':>6}  {'skipped':>7}  missing  errors"]
        for r in self.results:
            lines.append(f"{r.unit.key:<{wide}}  {r.unit.label(year):<{named}}  {r.count('ok'):>4}  "
                         f"{r.count('failed'):>6}  {r.count('skipped'):>7}  "
                         f"{(str(year) if r.status == 'missing' else '-'):<7}  {len(r.errors)}")
        built = sum(r.status == "built" for r in self.results)
        lines.append(f"{built} of {len(self.results)} units built for {year} in {self.seconds:.1f} s; "
                     f"comparison: {', '.join(map(str, self.compare)) or '-'}")
        from .run import kernel_lines

        reports = [r.report for r in self.results if r.report is not None]
        lines += kernel_lines([o for rep in reports for o in rep.outcomes],
                              next((rep.cold_reason for rep in reports if rep.cold_reason), None),
                              next((rep.template_end for rep in reports if rep.template_end), None))
        for r in self.results:
            if r.status == "missing":
                lines.append(f"MISSING {r.unit.key}: no data for {year} (has {', '.join(map(str, r.unit.years))})")
            if r.reason:
                lines.append(f"ERRORS {r.unit.key}: {r.reason}")
            for error in r.errors:
                lines.append(f"    {error}")
            if r.report is not None:
                for o in r.report.failed:
                    lines.append(f"FAILED {r.unit.key}/{o.lang}/{o.name}: {o.failure}")
        return "\n".join(lines)


def discover(collection: str | Path) -> list[Unit]:
    """The unit folders of `collection`: its subfolders with at least one year folder holding a facts.csv."""
    root = Path(collection)
    if not root.is_dir():
        raise CollectionError(f"collection {collection} is not a folder (it must hold one data folder per unit)")
    units = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        years = tuple(sorted(int(y.name) for y in folder.iterdir()
                             if y.is_dir() and y.name.isdigit() and len(y.name) == 4 and (y / "facts.csv").is_file()))
        if not years:
            continue
        names = {}
        for year in years:
            try:
                unit = paths.source_metadata(folder, year).get("unit")
            except DataError:
                unit = None  # the unit's validation reports its source.json
            names[year] = unit.get("name") if isinstance(unit, dict) and isinstance(unit.get("name"), str) else None
        units.append(Unit(folder.resolve(), years, names))
    if not units:
        raise CollectionError(f"collection {collection} holds no unit: no subfolder has a year folder with a "
                              "facts.csv (start one with `camgiang init DIR/<unit> --report REPORT --year YEAR`)")
    return units


def _same(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def check_distinct(units: list[Unit]) -> None:
    """Two folders for one unit (same unit.name, whatever the case or spacing) would make the comparison lie."""
    seen: dict[str, list[Unit]] = {}
    for unit in units:
        for name in {_same(n) for n in unit.names.values() if n}:
            seen.setdefault(name, []).append(unit)
    twice = [group for group in seen.values() if len(group) > 1]
    if twice:
        lines = [f"  {group[0].label()!r}: {', '.join(str(u.folder) for u in group)}" for group in twice]
        raise CollectionError("the units of a collection must be distinct; the same unit name is in more than one "
                              "folder's source.json:\n" + "\n".join(lines))
    if any(u.key == COMPARE for u in units):
        raise CollectionError(f"a unit folder may not be named {COMPARE!r}: <out>/{COMPARE}/ is the comparison page")


def build(collection: str | Path, year: int | None = None, lang: str = "vi", out: str | Path = "outputs",
          only=(), notebooks_dir=None, jobs: int | None = None, force: bool = False, timeout: float | None = None,
          pdf: bool = False, echo=None, progress_stream=None, warm: bool = True) -> CollectionReport:
    """Build every unit of `collection` for `year` (default: the latest year any unit has), then the comparison
    page. `echo(line)` gets one line per unit as it is done. Raises CollectionError before building anything."""
    from .run import Templates

    started = time.monotonic()
    echo = echo or (lambda line: print(line, file=sys.stderr))
    units = discover(collection)
    check_distinct(units)
    every = sorted({y for u in units for y in u.years})
    if year is None:
        year = every[-1]
    elif year not in every:
        raise CollectionError(f"no unit of {collection} has data for {year}; years: {', '.join(map(str, every))}")
    out = Path(out)
    # every plan first: a bad argument (language, notebook, folder, PDF printer) stops all before anything runs
    plans = {}
    for unit in units:
        if year not in unit.years:
            continue
        try:
            plans[unit.key] = make_plan(year, lang, only, unit.folder, out / unit.key, notebooks_dir, jobs, force,
                                        pdf=pdf, warm=warm)
        except PlanError as exc:
            raise CollectionError(f"{unit.key}: {exc}") from None
    langs = LANGS if lang == "all" else (lang,)

    templates = Templates()  # one warm-kernel template for every unit (the same notebooks and kernel)
    try:
        results = _build_units(units, plans, year, echo, progress_stream, timeout, templates)
    finally:
        templates.stop()
    compare = write_compare(year, langs, results, out)
    return CollectionReport(year, langs, results, compare, time.monotonic() - started)


def _build_units(units, plans, year, echo, progress_stream, timeout, templates) -> list[UnitResult]:
    from .run import TIMEOUT, run

    results = []
    for n, unit in enumerate(units, 1):
        head = f"[{n}/{len(units)}] {unit.key} ({unit.label(year)})"
        if unit.key not in plans:
            results.append(UnitResult(unit, "missing"))
            echo(f"{head}: missing: no data for {year} (has {', '.join(map(str, unit.years))})")
            continue
        began = time.monotonic()
        try:
            report = run(plans[unit.key], progress_stream=progress_stream,
                         timeout=TIMEOUT if timeout is None else timeout, templates=templates)
        except (PlanError, DataError) as exc:
            reason, errors = _error_lines(exc)
            results.append(UnitResult(unit, "refused", errors=errors, seconds=time.monotonic() - began, reason=reason))
            echo(f"{head}: not built: {reason}")
            continue
        result = UnitResult(unit, "built", report, seconds=time.monotonic() - began)
        results.append(result)
        echo(f"{head}: {result.count('ok')} ok, {result.count('failed')} failed, {result.count('skipped')} skipped "
             f"in {result.seconds:.1f} s")
    return results


def _error_lines(exc: Exception) -> tuple[str, list[str]]:
    """(one line saying what happened, one line per error). check_data's PlanError is a heading line ending
    in ':' and then an indented line per error."""
    if isinstance(exc, DataError):
        return f"{len(exc.problems)} problem(s) in the data", list(problem_lines(exc.problems))
    head, *rest = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
    return head.rstrip(":"), rest or [head]


# --- the comparison page --------------------------------------------------------------------------------------


def words(lang: str) -> dict[str, str]:
    return {key: entry[lang] for key, entry in page.words_file(MESSAGES).items()}


@dataclass
class Figures:
    """What the comparison needs of one unit in one year (language-free)."""

    unit: Unit
    values: dict[str, float]  # core indicator → its first statement (else its first derived figure)
    met: int = 0
    targets: int = 0


def unit_figures(unit: Unit, year: int, core: set[str]) -> Figures:
    """Raises DataError when the unit's data has errors."""
    import camgiang_data as cg

    facts = cg.load("facts", year, unit.folder)
    rows = facts[(facts["year"] == year) & (facts["kind"] == "actual") & facts["value"].notna()
                 & facts["indicator_id"].isin(core)]
    rows = rows.assign(_derived=(rows["basis"] != "stated").astype(int))
    rows = rows.sort_values(["indicator_id", "_derived", "mention"], kind="stable").drop_duplicates("indicator_id")
    values = {i: float(v) for i, v in zip(rows["indicator_id"], rows["value"])}
    targets = cg.load("targets", year, unit.folder)
    targets = targets[targets["year"] == year] if "year" in targets else targets
    return Figures(unit, values, int((targets["status"] == "met").sum()), len(targets))


def household_base(figures: Figures) -> tuple[str, float] | None:
    """(indicator, households) of the first base of HOUSEHOLD_BASES the unit reports, or None."""
    for indicator in HOUSEHOLD_BASES:
        value = figures.values.get(indicator)
        if value:
            return indicator, value
    return None


def per_household(figures: list[Figures]) -> dict[str, list[float | None]]:
    """For each amount of PER_HOUSEHOLD some unit reports with a household base: amount ÷ households per unit
    (None where the unit reports either one not)."""
    bases = [household_base(f) for f in figures]
    out = {}
    for indicator in PER_HOUSEHOLD:
        values = [f.values[indicator] / base[1] if base and indicator in f.values else None
                  for f, base in zip(figures, bases)]
        if any(v is not None for v in values):
            out[indicator] = values
    return out


def _per_household_table(figures: list[Figures], catalog, lang: str, said) -> dict | None:
    from .. import numbers

    amounts = per_household(figures)
    if not amounts:
        return None
    names = dict(zip(catalog["indicator_id"], catalog[f"name_{lang}"]))
    bases = [household_base(f) for f in figures]
    base_row = {"name": said["households_base"],
                "cells": [said["not_reported"] if b is None else said["households_value"].format(
                    value=numbers.format_number(b[1], lang, 0), base=names.get(b[0], b[0])) for b in bases]}
    rows = [{"name": names.get(i, i), "cells": [said["not_reported"] if v is None else said["per_household_value"]
                                                .format(value=numbers.format_number(round(v), lang, 0)) for v in values]}
            for i, values in amounts.items()]
    return {"title": said["per_household"], "note": said["per_household_note"], "rows": [base_row, *rows]}


def render_compare(year: int, lang: str, figures: list[Figures], notes: list[str], hrefs: dict[str, str | None]) -> str:
    import camgiang_data as cg
    from ..present.fmt import format_value

    said = words(lang)
    domain_names = reading.read_toml(DOMAINS, "camgiang_data/messages/domains.toml")
    catalog = cg.catalog()
    catalog = catalog[catalog["scope"] == "core"]
    name_col = f"name_{lang}"
    domains: dict[str, list] = {}
    for row in catalog.itertuples(index=False):
        found = [f.values.get(row.indicator_id) for f in figures]
        if all(v is None for v in found):
            continue  # no unit reports it: nothing to compare
        cells = [said["not_reported"] if v is None else format_value(v, row.unit, lang) for v in found]
        domains.setdefault(row.domain, []).append({"name": getattr(row, name_col), "cells": cells})
    tables = [{"title": (domain_names.get(d) or {}).get(lang, d), "rows": rows} for d, rows in domains.items()]
    targets = [said["targets_value"].format(met=f.met, total=f.targets) if f.targets else said["no_targets"]
               for f in figures]
    units = [{"name": f.unit.label(year), "href": hrefs.get(f.unit.key)} for f in figures]
    charts = _charts(year, lang, figures, catalog, said) if figures else []
    return page.render("compare_page.html.j2", said["title"].format(year=year), lang,
                       words=said, intro=said["intro"].format(year=year) if figures else said["none"].format(year=year),
                       notes=notes, units=units, targets=targets, domains=tables, charts=charts,
                       per_household=_per_household_table(figures, catalog, lang, said))


def _charts(year: int, lang: str, figures: list[Figures], catalog, said) -> list[dict]:
    from .. import units as unit_labels
    from ..present import charts

    out = []
    for indicator in HEADLINE:
        entry = catalog[catalog["indicator_id"] == indicator]
        if entry.empty or not any(indicator in f.values for f in figures):
            continue
        name, unit = entry.iloc[0][f"name_{lang}"], entry.iloc[0]["unit"]
        # ranked: highest first, units without the figure last (labelled, not drawn as zero)
        ranked = sorted(figures, key=lambda f: (indicator not in f.values, -f.values.get(indicator, 0.0)))
        fig = charts.bar_chart([f.unit.label(year) for f in ranked], [f.values.get(indicator) for f in ranked],
                               unit, lang, said["chart_title"].format(name=name, year=year),
                               unit_labels.label(unit, lang) or "")
        png = base64.b64encode(charts.png_bytes(fig)).decode("ascii")
        out.append({"src": f"data:image/png;base64,{png}", "alt": said["chart_alt"].format(name=name)})
    return out


def compare_inputs(year: int, langs, results: list[UnitResult], out: Path) -> str:
    """A digest of everything the comparison pages are made of: each unit's status, the package and data its
    pages came from (run.Report.inputs), its errors, and which unit pages exist to link to."""
    import hashlib

    units = []
    for r in results:
        inputs = r.report.inputs if r.report is not None else ""
        linked = [(out / r.unit.key / str(year) / lang / "index.html").is_file() for lang in langs]
        units.append([r.unit.key, r.unit.label(year), r.status, inputs, r.errors, linked, list(r.unit.years)])
    return hashlib.sha256(json.dumps([year, list(langs), units]).encode()).hexdigest()


def write_compare(year: int, langs, results: list[UnitResult], out: Path) -> list[Path]:
    """<out>/compare/<year>/<lang>/index.html for every language, from the units built (or up to date); a unit
    whose figures cannot be read gets the error in its result. Written only when the text changes; nothing is
    read again when no unit's inputs changed (<out>/compare/<year>/inputs.json)."""
    pages = [out / COMPARE / str(year) / lang / "index.html" for lang in langs]
    stamp = out / COMPARE / str(year) / "inputs.json"
    inputs = compare_inputs(year, langs, results, out)
    try:
        unchanged = reading.read_json(stamp).get("inputs") == inputs and all(p.is_file() for p in pages)
    except (reading.ReadError, AttributeError):
        unchanged = False
    if unchanged:
        return pages
    written = _write_compare(year, langs, results, out)
    if not any(r.reason for r in results if r.status == "built"):  # a unit whose figures failed is tried again
        publish(stamp, json.dumps({"inputs": inputs}) + "\n")
    return written


def _write_compare(year: int, langs, results: list[UnitResult], out: Path) -> list[Path]:
    import camgiang_data as cg

    core = set(cg.catalog().query("scope == 'core'")["indicator_id"])
    figures = []
    for r in results:
        if r.status != "built":
            continue
        try:
            figures.append(unit_figures(r.unit, year, core))
        except DataError as exc:
            r.reason, r.errors = _error_lines(exc)
    missing = [r.unit.label(year) for r in results if r.status == "missing"]
    left_out = [r.unit.label(year) for r in results if r.status != "missing" and r.unit not in {f.unit for f in figures}]
    written = []
    for lang in langs:
        said = words(lang)
        notes = ([said["missing"].format(year=year, units=", ".join(missing))] if missing else []) + \
                ([said["refused"].format(units=", ".join(left_out))] if left_out else [])
        folder = out / COMPARE / str(year) / lang
        hrefs = {f.unit.key: f"../../../{f.unit.key}/{year}/{lang}/index.html" for f in figures
                 if (out / f.unit.key / str(year) / lang / "index.html").is_file()}
        text = render_compare(year, lang, figures, notes, hrefs)
        path = folder / "index.html"
        try:
            unchanged = reading.read_text(path) == text
        except reading.ReadError:
            unchanged = False
        if not unchanged:
            folder.mkdir(parents=True, exist_ok=True)
            publish(path, text)
        written.append(path)
    return written
