"""The `camgiang` command line."""

from __future__ import annotations

import json
import os
import sys

import click

from .errors import DataError, problem_lines


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


class _Commands(click.Group):
    """Every command ends with a message, never a traceback: a data problem names the file, row and column (exit
    1); anything else is a bug, said in one line with the file holding the details (exit 3; CAMGIANG_DEBUG=1
    shows the traceback instead)."""

    def invoke(self, ctx: click.Context):
        from .checks.reading import ReadError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except DataError as exc:
            for line in problem_lines(exc.problems):
                click.echo(f"ERROR   {line}", err=True)
            click.echo(f"{len(exc.problems)} error(s); nothing was changed", err=True)
            ctx.exit(1)
        except ReadError as exc:
            click.echo(f"error: {exc.problem}", err=True)
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - a bug: say so plainly, keep the details
            if os.environ.get("CAMGIANG_DEBUG"):
                raise
            import tempfile
            import traceback

            fd, log = tempfile.mkstemp(prefix="camgiang-error-", suffix=".txt")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"camgiang {' '.join(sys.argv[1:])}\n\n{traceback.format_exc()}")
            click.echo(f"error: an internal error (a bug in camgiang, not in your data): {type(exc).__name__}: "
                       f"{exc}. The details are in {log}; please report them.", err=True)
            ctx.exit(3)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="camgiang")
def main() -> None:
    """Data and reports of the annual socio-economic report of thị trấn Cẩm Giang.

    \b
    camgiang tables                    list the tables camgiang_data.load() accepts
    camgiang validate [--year Y]       check the data: errors, and findings about the report
    camgiang run [--lang vi|en|all]    execute the report notebooks and publish them as HTML
    camgiang init DIR --report R --year Y
                                       start another unit's data folder from its first report
    camgiang new-year Y --data-dir D   start a new report year (facts to fill, targets carried in)
    camgiang extract REPORT --year Y --data-dir D
                                       fill that year's figures from the report's text
    camgiang export --xlsx FILE        write a year's tables as an Excel workbook
    """


@main.command()
def tables() -> None:
    """List the tables, each with what it holds."""
    from . import describe

    width = max(map(len, describe()))
    for name, text in describe().items():
        click.echo(f"{name:<{width}}  {text}")


@main.command()
@click.option("--year", type=int, default=None, help="Report year (default: the latest in the data).")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="A data directory with the packaged layout (default: the packaged data).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="Print errors and the summary only, not each finding.")
def validate(year: int | None, data_dir: str | None, as_json: bool, quiet: bool) -> None:
    """Check a year of data: schema, references, provenance (every figure's words and sentence stand in the
    source), derived figures, and the consistency rules.

    Exits 1 when there are errors. Findings are facts about the report (it contradicts itself): they are
    listed as warnings and do not fail the check.
    """
    from .checks.validation import validate as run_validate

    try:
        report = run_validate(year, data_dir)
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps({
            "year": report.year, "data_dir": report.data_dir, "counts": report.counts,
            "errors": [dict(vars(p)) for p in report.errors],
            "findings": report.findings_frame().to_dict("records"),
        }, ensure_ascii=False, indent=2, default=str))
    else:
        for line in problem_lines(report.errors):
            click.echo(f"ERROR   {line}", err=True)
        for number in report.uncovered:
            click.echo(f"NOTE    number {number.text!r} in source.txt is captured by no fact: …{number.context}…")
        if report.counts.get("figures not filled yet"):
            click.echo(f"NOTE    {report.counts['figures not filled yet']} figure(s) of {report.year}/facts.csv not "
                       "filled yet (value, as_written and quote empty): reports show them as not reported")
        if not quiet:
            for finding in report.findings:
                click.echo(f"FINDING {finding.rule_id}: {finding.message}\n        {finding.description}")
        click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@main.command("write-datapackages")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="A data directory with the packaged layout (default: the packaged data).")
def write_datapackages(data_dir: str | None) -> None:
    """(Re)write the Frictionless datapackage.json of each folder from the package's Table Schemas."""
    from .checks.schema import write_descriptors
    from .store import resolve_data_dir

    try:
        root = resolve_data_dir(data_dir)
    except DataError as exc:
        _fail(str(exc))
    for path in write_descriptors(root):
        click.echo(f"wrote {path}")


_DATA_DIR_FOR_WRITING = ("Your data directory (a folder of year folders, e.g. a copy of the packaged data made "
                         "with `cp -r camgiang_data/data mydata`). Without it the year is written INSIDE the "
                         "installed package's data; analysts should normally give --data-dir.")


def _refuse(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@main.command("new-year")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help=_DATA_DIR_FOR_WRITING)
def new_year(year: int, data_dir: str | None) -> None:
    """Start report year YEAR: create its folder with the facts to fill (one empty row per catalogue
    indicator, its meaning in the note) and the targets for YEAR that the previous report set (carried in,
    with provenance pointing at that report). Refuses a year that already exists (exit 1, nothing changed).

    Next: camgiang extract REPORT --year YEAR --data-dir DIR (REPORT: .txt, .docx or .pdf).
    """
    from .newyear import NewYearError, scaffold

    try:
        made = scaffold(year, data_dir)
    except NewYearError as exc:
        _refuse(str(exc))
    if data_dir is None:
        click.echo(f"note: writing into the packaged data ({made.folder.parent}); use --data-dir to keep your "
                   "data outside the package", err=True)
    click.echo(f"created {made.folder} from the {made.base_year} report: {', '.join(made.files)}")
    click.echo(f"  facts.csv: {made.indicators} figure(s) to fill (one per indicator of the {made.base_year} data), and "
               f"{len(made.carried)} target(s) for {year} carried in from the {made.base_year} report:")
    for row in made.carried:
        click.echo(f"    {row['indicator_id']} ({row['kind']}) = {row['as_written']!r}: “{row['quote']}”")
    click.echo(f"  source.json: copied from {made.base_year}; check document number, date and title")
    where = f" --data-dir {data_dir}" if data_dir is not None else ""
    click.echo(f"next: camgiang extract REPORT --year {year}{where}   (REPORT: the .docx, .pdf or .txt)")


@main.command("extract")
@click.argument("report", type=click.Path())
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="The year the report is about.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help=_DATA_DIR_FOR_WRITING)
@click.option("--overwrite", is_flag=True,
              help="Replace a different source.txt, and replace filled rows whose figures the report gives "
                   "differently (by default a filled row is never changed).")
@click.option("--accept-document", is_flag=True,
              help="Extract even though the report looks like another year's (the same text or the same number "
                   "and date as a year already in the data, or a date that does not fit --year). Read the "
                   "refusal's reasons first.")
def extract_command(report: str, year: int, data_dir: str | None, overwrite: bool, accept_document: bool) -> None:
    """Fill year YEAR's facts from its report (REPORT: a .txt in UTF-8, a Word .docx, or a PDF with a text
    layer; the text read is kept as YEAR/source.txt, the file itself beside it). The text is kept as YEAR/source.txt; each figure found for sure gets its as_written, quote and
    section; a figure not found, or found with two different values, is left empty and listed for review.
    A row a person filled is never changed unless --overwrite. Then the year is validated.

    Run `camgiang new-year YEAR` first. Refuses a report that looks like another year's (see --accept-document).
    Every file of the year folder changes at once, or none does. Exit 1 on a refusal (nothing changed) or when
    validation finds errors.
    """
    from .ingest.pipeline import extract_into, review_lines
    from .newyear import NewYearError
    from .checks.validation import validate as run_validate

    try:
        result = extract_into(report, year, data_dir, overwrite, accept_document=accept_document)
    except NewYearError as exc:
        _refuse(str(exc))
    for line in review_lines(result, f" --data-dir {data_dir}" if data_dir is not None else ""):
        click.echo(line)
    checked = run_validate(year, data_dir)
    for line in problem_lines(checked.errors):
        click.echo(f"ERROR   {line}", err=True)
    click.echo(f"validate: {checked.summary()}")
    sys.exit(0 if checked.ok else 1)


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--report", type=click.Path(), required=True, help="The unit's first report (.txt, .docx or .pdf).")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="The year the report is about.")
@click.option("--unit", default=None, metavar="NAME",
              help="The unit's type and name (e.g. 'xã Cẩm Vũ'), where the report's header does not name it.")
def init_command(folder: str, report: str, year: int, unit: str | None) -> None:
    """Start FOLDER, the data folder of another commune, ward or town, from its first report: year YEAR with one
    row to fill per core indicator of the catalogue, the metadata its header states (number, date, issuing
    body, unit), the figures the declarative patterns and key-figure tables find (there is no earlier report
    of the unit to learn wording from), and YEAR/review.csv listing the rest with candidate sentences.

    FOLDER must not exist, or be empty. The next year is then added as for any unit: `camgiang new-year Y+1
    --data-dir FOLDER`, then `camgiang extract`, which learns from this first report.
    """
    from .ingest.pipeline import review_lines
    from .newyear import NewYearError, init_unit
    from .checks.validation import validate as run_validate

    try:
        result, rows = init_unit(folder, report, year, unit)
    except NewYearError as exc:
        _refuse(str(exc))
    click.echo(f"created {result.folder}: {rows} core indicator(s) to fill")
    for line in review_lines(result, f" --data-dir {folder}"):
        click.echo(line)
    checked = run_validate(year, folder)
    for line in problem_lines(checked.errors):
        click.echo(f"ERROR   {line}", err=True)
    click.echo(f"validate: {checked.summary()}")
    click.echo(f"next: open {result.folder / 'review.csv'} (accept or type figures), then "
               f"`camgiang apply-review --year {year} --data-dir {folder}`; `camgiang run --year {year} --data-dir "
               f"{folder}` builds the reports; the next year: `camgiang new-year {year + 1} --data-dir {folder}`, "
               f"then `camgiang extract REPORT --year {year + 1} --data-dir {folder}`")
    sys.exit(0 if checked.ok else 1)


@main.command("apply-review")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="The year whose review.csv to apply.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help=_DATA_DIR_FOR_WRITING)
def apply_review_command(year: int, data_dir: str | None) -> None:
    """Fill the figures marked in YEAR/review.csv (written by `extract`): a candidate accepted (1, 2 or 3 in
    'accept'), or a figure typed as printed ('as_written') with its sentence pasted ('quote'). Each is checked
    as provenance checks any figure (its words in its sentence, the sentence in source.txt under a known heading,
    a number of a fitting unit, a plausible value); a review with any problem applies nothing. Then the year is
    validated. Exit 1 when something was refused or validation finds errors."""
    from .ingest.review import apply_review, summary_lines
    from .newyear import NewYearError
    from .checks.validation import validate as run_validate

    try:
        applied = apply_review(year, data_dir)
    except NewYearError as exc:
        _refuse(str(exc))
    for line in problem_lines(applied.problems):
        click.echo(f"ERROR   {line}", err=True)
    for line in summary_lines(applied):
        click.echo(line)
    checked = run_validate(year, data_dir)
    for line in problem_lines(checked.errors):
        click.echo(f"ERROR   {line}", err=True)
    click.echo(f"validate: {checked.summary()}")
    sys.exit(0 if checked.ok and not applied.problems else 1)


@main.command("run")
@click.option("--year", type=int, default=None, help="Report year (default: the latest in the data).")
@click.option("--lang", type=click.Choice(["vi", "en", "all"]), default="vi", show_default=True,
              help="Language of the reports; 'all' builds every language.")
@click.option("--only", multiple=True, metavar="NAME",
              help="Run only these notebooks (file stem); repeat or separate with commas.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="A data directory with the packaged layout (default: the packaged data).")
@click.option("--collection", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="A folder of unit data folders (one per commune): build each unit's reports into "
                   "<out>/<unit-folder>/<year>/<lang>/ and a page comparing them, <out>/compare/<year>/<lang>/; "
                   "the year defaults to the latest any unit has. Not with --data-dir.")
@click.option("--out", type=click.Path(file_okay=False), default="outputs", show_default=True,
              help="Output folder; pages go to <out>/<year>/<lang>/.")
@click.option("--notebooks-dir", type=click.Path(file_okay=False), default=None,
              help="Folder of the *.ipynb to run (default: notebooks/ beside the package).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Notebooks run at once, each in its own process (default: number of cores).")
@click.option("--force", is_flag=True, help="Run every notebook, even those whose inputs did not change.")
@click.option("--timeout", type=click.FloatRange(min=1), default=30 * 60, show_default=True, metavar="SECONDS",
              help="Stop a notebook (its worker and kernel) still running after this long, and report it failed.")
@click.option("--cold-kernels", is_flag=True,
              help="Start every kernel the ordinary way, as a new interpreter, instead of forking it from a warm "
                   "template that has already imported the notebooks' modules (the default on Linux; the summary "
                   "says how the kernels started).")
@click.option("--pdf", is_flag=True,
              help="Also print each page of the run and the index to <name>.pdf beside it (A4), with the system's "
                   "Chromium; only pages whose HTML changed are printed again. Needs playwright: "
                   "pip install -e '.[pdf]'.")
def run_command(year, lang, only, data_dir, collection, out, notebooks_dir, jobs, force, timeout, cold_kernels,
                pdf) -> None:
    """Execute the report notebooks (papermill, in parallel) and publish each as a self-contained HTML page
    without code, with an index, in <out>/<year>/<lang>/ (and as PDF with --pdf).

    Incremental: a notebook whose file, data, parameters and library did not change since its last good run
    is skipped. A failing notebook does not stop the others and leaves its previous page in place; the exit
    code is then 1, as when a PDF cannot be printed. Bad arguments (year, language, notebook name; --pdf
    without playwright or a Chromium) exit with 2 before anything runs.

    With --collection DIR (a folder of unit data folders), each unit is built the same way into
    <out>/<unit-folder>/<year>/<lang>/, one line per unit, then <out>/compare/<year>/<lang>/index.html sets the
    units' core indicators side by side. A unit without the year is listed as missing; one whose data has errors
    is listed with them (exit 1) and the others are built. Two folders with the same unit name, or no unit at
    all, exit with 2 before anything is built.
    """
    from .runner.plan import PlanError, make_plan
    from .runner.run import run as run_reports

    if collection is not None:
        from .runner.collection import CollectionError, build

        if data_dir is not None:
            _fail("--collection and --data-dir cannot be used together: each unit of the collection is a data folder")
        try:
            done = build(collection, year, lang, out, only, notebooks_dir, jobs, force, timeout, pdf=pdf,
                         echo=click.echo, warm=not cold_kernels)
        except CollectionError as exc:
            _fail(str(exc))
        click.echo(done.summary())
        sys.exit(done.exit_code)
    try:
        plan = make_plan(year, lang, only, data_dir, out, notebooks_dir, jobs, force, pdf=pdf, warm=not cold_kernels)
        report = run_reports(plan, timeout=timeout)
    except PlanError as exc:
        _fail(str(exc))
    click.echo(report.summary())
    sys.exit(report.exit_code)


@main.command("export")
@click.option("--xlsx", "xlsx", type=click.Path(), required=True, metavar="FILE",
              help="The Excel workbook to write (.xlsx); an existing file is replaced. Its folder must exist.")
@click.option("--year", type=int, default=None, help="Report year (default: the latest in the data).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the sheet names, headers and indicator names.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="A data directory with the packaged layout (default: the packaged data).")
def export_command(xlsx: str, year: int | None, lang: str, data_dir: str | None) -> None:
    """Write one year's figures as an Excel workbook: a first sheet about the report (document number, date,
    issuing body, unit) listing the sheets, one sheet per topical table (as `camgiang tables` lists them), and a
    provenance sheet with every stated figure, its words as printed and its sentence.

    Numbers are stored as numbers (a percent as the report prints it: 12.5 means 12.5 %), shown with the
    reader's own separators. The file is written whole or not at all. Exit 1 when the data has errors or FILE
    cannot be written (nothing is written); exit 2 for an unknown year or data directory.
    """
    from .present.workbook import ExportError, check_target, export_xlsx, resolve

    try:
        check_target(xlsx)
    except ExportError as exc:
        _refuse(str(exc))
    try:
        year = resolve(year, data_dir)
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    if not xlsx.lower().endswith(".xlsx"):
        click.echo(f"note: {xlsx} does not end in .xlsx; Excel opens a workbook only by that extension", err=True)
    try:
        done = export_xlsx(xlsx, year, data_dir, lang)
    except ExportError as exc:
        _refuse(str(exc))
    click.echo(f"wrote {done.path}: {done.year}, {done.lang}, {len(done.sheets)} sheets "
               f"({len(done.sheets) - 2} tables, {done.figures} stated figures in the provenance sheet)")


if __name__ == "__main__":  # pragma: no cover
    main()
