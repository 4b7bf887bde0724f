"""`camgiang run`: notebooks executed by papermill in worker processes, published as script-free HTML with an
index; incremental (nothing changed → nothing runs, no heavy import); failures isolated and reported by cell;
bad arguments refused before any kernel starts.

The notebooks are tiny ones built here with nbformat (the real ones in notebooks/ are not used), so a kernel
start (about a second) is most of each execution; tests are arranged to start as few kernels as they can.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

# before nbformat: export imports it without a slow optional dependency (export._without), 3 s saved
from camgiang_data.runner.export import kept_ipynb, portable, summary_line  # isort: skip

import nbformat
import pytest
from click.testing import CliRunner

from camgiang_data.cli import main
from camgiang_data.runner import fingerprint, pool
from camgiang_data.runner import plan as plan_module
from camgiang_data.runner.plan import PlanError, make_plan
from camgiang_data.runner.results import Failure
from camgiang_data.runner.run import run as run_plan

REPO = Path(__file__).resolve().parents[1]
PARAMETERS = 'year = 2000\nlang = "vi"\ndata_dir = None\ncompare_year = None'
ROW = re.compile(r"^(\S+)\s+(vi|en)\s+(ok|FAILED|skipped)\s", re.M)


def notebook(folder: Path, name: str, *code: str, title: dict | None = None, order: int | None = None,
             heading: bool = True) -> Path:
    """cells[0] heading, cells[1] parameters, cells[2…] `code`, then the summary cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "camgiang", "display_name": "Python (camgiang)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    if title or order is not None:
        nb.metadata["camgiang"] = {"title": title or {}, "order": order}
    cells = [nbformat.v4.new_markdown_cell(f"# Heading of {name}" if heading else "Some text.")]
    cells.append(nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}))
    cells += [nbformat.v4.new_code_cell(source) for source in code]
    cells.append(nbformat.v4.new_code_cell(f'print(f"summary of {name}: {{year}} {{lang}} {{compare_year}}")',
                                           metadata={"tags": ["summary"]}))
    nb.cells = cells
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def cli(*args):
    return CliRunner().invoke(main, ["run", *map(str, args)])


def statuses(output: str) -> dict[str, str]:
    return {f"{lang}/{name}": status for name, lang, status in ROW.findall(output)}


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def package(tmp_path, monkeypatch):
    """The package sources as fingerprinted, frozen in a copy: a checkout being edited (other work in
    progress) would otherwise make "nothing changed" untrue between two runs of a test."""
    frozen = tmp_path / "package"
    shutil.copytree(fingerprint.PACKAGE_DIR, frozen, ignore=shutil.ignore_patterns("__pycache__", "data"))
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", frozen)
    return frozen


@pytest.fixture
def project(tmp_path, data_dir, package):
    """A notebooks folder, an output folder and a private data copy with a compare year (2020)."""
    (data_dir / "2020").mkdir()
    (data_dir / "2020" / "note.txt").write_text("an earlier year\n", encoding="utf-8")
    nbs = tmp_path / "nb"
    out = tmp_path / "out"
    args = ["--notebooks-dir", nbs, "--out", out, "--data-dir", data_dir, "--jobs", 2]
    return nbs, out, data_dir, args


# --- the ok path --------------------------------------------------------------------------------------------

def test_pages_index_and_kept_notebooks(project, tmp_path):
    nbs, out, data_dir, args = project
    notebook(nbs, "alpha",
             'SECRET_SOURCE_TOKEN = 6 * 7\nprint("visible output", SECRET_SOURCE_TOKEN)',
             "from pathlib import Path\n"
             'print("data seen:", Path(data_dir).is_absolute(), Path(data_dir, str(year)).is_dir())',
             title={"vi": "Tiêu đề Alpha", "en": "Alpha title"}, order=2)
    notebook(nbs, "beta", "import matplotlib.pyplot as plt\nplt.figure(figsize=(2, 1.5))\n"
             "plt.plot([1, 2, 3])\nplt.show()", order=1)
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert statuses(result.stdout) == {"vi/alpha": "ok", "vi/beta": "ok"}

    folder = out / "2021" / "vi"
    assert sorted(p.name for p in folder.iterdir()) == [
        "alpha.html", "alpha.ipynb", "beta.html", "beta.ipynb", "index.html", "manifest.json"]
    for name in ("alpha", "beta"):
        html = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert html.startswith('<!doctype html>\n<html lang="vi">\n<meta charset="utf-8">')
        assert "<script" not in html and "<link" not in html
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "network resource"
        assert "http://" not in html and "https://" not in html
        assert "@page { size: A4" in html and "break-inside: avoid" in html and "DejaVu Sans" in html
        assert "year = 2000" not in html and "compare_year = " not in html  # no input of any cell
    alpha = (folder / "alpha.html").read_text(encoding="utf-8")
    assert "SECRET_SOURCE_TOKEN" not in alpha and "visible output 42" in alpha
    assert "data seen: True True" in alpha  # the kernel got the absolute data path
    assert "<title>Tiêu đề Alpha</title>" in alpha
    assert 'src="data:image/png;base64,' in (folder / "beta.html").read_text(encoding="utf-8")

    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index
    assert "summary of alpha: 2021 vi 2020" in index and "summary of beta: 2021 vi 2020" in index
    # metadata order (beta 1, alpha 2); titles from metadata, else the first heading
    assert index.index('href="beta.html">Heading of beta<') < index.index('href="alpha.html">Tiêu đề Alpha<')

    for name in ("alpha", "beta"):
        text = (folder / f"{name}.ipynb").read_text(encoding="utf-8")
        for secret in (str(tmp_path), str(REPO), str(Path.home()), str(data_dir)):
            assert secret not in text, f"{name}.ipynb leaks {secret}"
        nb = json.loads(text)
        meta = nb["metadata"]["papermill"]
        assert meta["parameters"] == {"year": 2021, "lang": "vi", "data_dir": "../../../data",
                                      "compare_year": 2020}
        assert meta["output_path"] == f"{name}.ipynb" and not os.path.isabs(meta["input_path"])
        injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
        assert 'data_dir = "../../../data"' in "".join(injected["source"])
        assert (folder / meta["input_path"]).resolve() == (nbs / f"{name}.ipynb").resolve()


def test_lang_all_writes_both_trees(project):
    nbs, out, _, args = project
    notebook(nbs, "alpha", 'print("hello")', title={"vi": "Tiêu đề Alpha", "en": "Alpha title"})
    result = cli(*args, "--lang", "all")
    assert result.exit_code == 0, result.output
    assert statuses(result.stdout) == {"vi/alpha": "ok", "en/alpha": "ok"}
    for lang, title in (("vi", "Tiêu đề Alpha"), ("en", "Alpha title")):
        folder = out / "2021" / lang
        page = (folder / "alpha.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and f"<title>{title}</title>" in page
        assert f"summary of alpha: 2021 {lang} 2020" in (folder / "index.html").read_text(encoding="utf-8")


# --- failures -----------------------------------------------------------------------------------------------

def test_a_failing_notebook_keeps_its_last_good_page_and_does_not_stop_the_others(project):
    nbs, out, _, args = project
    for name in ("alpha", "beta"):
        notebook(nbs, name, f'print("{name} ran")')
    notebook(nbs, "gamma", 'print("gamma is fine")')
    assert cli(*args).exit_code == 0
    folder = out / "2021" / "vi"
    good_html = (folder / "gamma.html").read_bytes()
    good_ipynb = (folder / "gamma.ipynb").read_bytes()

    notebook(nbs, "gamma", 'x = 1\nraise ValueError("boom")')  # cells[2]
    # kills its worker (the process that launched the kernel: a warm kernel's parent is the template)
    notebook(nbs, "delta", 'import os, signal\nos.kill(int(os.environ["JPY_PARENT_PID"]), signal.SIGKILL)')
    result = cli(*args, "--force")
    assert result.exit_code == 1
    assert statuses(result.stdout) == {"vi/alpha": "ok", "vi/beta": "ok", "vi/gamma": "FAILED",
                                       "vi/delta": "FAILED"}
    assert 'FAILED vi/gamma: cells[2] `x = 1` raised ValueError: boom' in result.stdout
    assert "FAILED vi/delta: the worker process was killed by signal SIGKILL" in result.stdout
    assert (folder / "gamma.html").read_bytes() == good_html
    assert (folder / "gamma.ipynb").read_bytes() == good_ipynb
    assert not (folder / "delta.html").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temporary files left behind"

    index = (folder / "index.html").read_text(encoding="utf-8")
    gamma = re.search(r"<li[^>]*>.*?gamma.*?</li>", index).group(0)
    assert 'class="failed"' in gamma and 'href="gamma.html"' in gamma  # marked, linking the last good page
    delta = re.search(r"<li[^>]*>[^<]*Heading of delta.*?</li>", index).group(0)
    assert 'class="failed"' in delta and "href=" not in delta
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
    assert manifest["gamma"]["failure"]["ename"] == "ValueError" and manifest["gamma"]["fingerprint"]


def test_failure_names_the_cell_of_the_notebook_file():
    failure = Failure("cell", "ValueError", "boom", cell_index=3, cell_line='raise ValueError("boom")')
    assert str(failure) == 'cells[3] `raise ValueError("boom")` raised ValueError: boom'
    assert str(Failure("worker", "WorkerDied", "was killed by signal SIGKILL")) == \
        "the worker process was killed by signal SIGKILL"


def _work(task):
    if task == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    if task == 3:
        raise RuntimeError("raised in the worker")
    return task * 10


def test_pool_a_dead_worker_fails_only_its_own_task():
    results = pool.run([1, 2, 3, 4], 2, _work, crashed=lambda task, how, tail: (task, how))
    assert sorted(results, key=str) == sorted(
        [10, (2, "was killed by signal SIGKILL"), (3, "raised RuntimeError: raised in the worker"), 40], key=str)


# --- incremental runs ---------------------------------------------------------------------------------------

UNCHANGED = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from camgiang_data.cli import main
from camgiang_data.runner import fingerprint
fingerprint.PACKAGE_DIR = Path(sys.argv[1])  # the frozen copy (fixture `package`)
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("papermill", "nbconvert", "nbformat", "nbclient", "jupyter_client", "pandas")
               if m in sys.modules)
print(f"RESULT code={code} heavy={heavy} seconds={time.perf_counter() - started:.2f}")
"""


def test_incremental_runs(project, package, tmp_path):
    nbs, out, data_dir, args = project
    notebook(nbs, "alpha", 'print("alpha")')
    notebook(nbs, "beta", 'print("beta")')
    assert statuses(cli(*args).stdout) == {"vi/alpha": "ok", "vi/beta": "ok"}
    before = snapshot(out)

    # nothing changed: all skipped, no file touched, and neither papermill nor pandas imported
    done = subprocess.run([sys.executable, "-c", UNCHANGED, str(package), "run", *map(str, args)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert "RESULT code=0 heavy=[]" in done.stdout, done.stdout + done.stderr
    assert statuses(done.stdout) == {"vi/alpha": "skipped", "vi/beta": "skipped"}
    assert snapshot(out) == before
    assert done.stderr == ""  # no progress bar when there is nothing to run

    # one notebook edited: only it runs again
    notebook(nbs, "alpha", 'print("alpha, edited")')
    assert statuses(cli(*args).stdout) == {"vi/alpha": "ok", "vi/beta": "skipped"}

    # a data file of the year, then of the compare year
    with (data_dir / "2021" / "source.json").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert statuses(cli(*args).stdout) == {"vi/alpha": "ok", "vi/beta": "ok"}
    (data_dir / "2020" / "note.txt").write_text("changed\n", encoding="utf-8")
    assert statuses(cli(*args, "--only", "beta").stdout) == {"vi/beta": "ok"}

    # the library: any of its modules
    with (package / "numbers.py").open("a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    assert statuses(cli(*args, "--only", "alpha").stdout) == {"vi/alpha": "ok"}

    # parameters: another language is another set of inputs
    assert statuses(cli(*args, "--lang", "en", "--only", "alpha").stdout) == {"en/alpha": "ok"}

    # --force runs everything; --only accepts commas and repetition
    result = cli(*args, "--force", "--only", "alpha,beta", "--only", "alpha")
    assert statuses(result.stdout) == {"vi/alpha": "ok", "vi/beta": "ok"}
    assert statuses(cli(*args).stdout) == {"vi/alpha": "skipped", "vi/beta": "skipped"}


# --- bad arguments: refused before anything runs ------------------------------------------------------------

def test_bad_arguments_exit_2_listing_what_is_available(project, monkeypatch):
    nbs, out, _, args = project
    notebook(nbs, "alpha", "pass")
    notebook(nbs, "beta", "pass")
    started = []
    monkeypatch.setattr(pool, "run", lambda *a, **k: started.append(a))

    result = cli(*args, "--year", "1999")
    assert result.exit_code == 2 and "available years: 2020, 2021" in result.output
    result = cli(*args, "--only", "alpha,nosuch")
    assert result.exit_code == 2 and "unknown notebook 'nosuch'" in result.output
    assert "alpha, beta" in result.output
    result = cli(*args, "--lang", "fr")
    assert result.exit_code == 2 and "'vi', 'en'" in result.output and "'all'" in result.output
    result = cli(*args, "--jobs", "0")
    assert result.exit_code == 2
    result = cli("--notebooks-dir", nbs.parent / "nowhere", "--out", out)
    assert result.exit_code == 2 and "nowhere" in result.output
    assert not out.exists() and not started


def test_missing_kernel_fails_before_running_anything(project):
    nbs, out, data_dir, _ = project
    notebook(nbs, "alpha", "pass")
    plan = make_plan(notebooks_dir=nbs, out=out, data_dir=data_dir, kernel="camgiang-no-such-kernel")
    with pytest.raises(PlanError, match=r"'camgiang-no-such-kernel' is not installed.*make setup"):
        run_plan(plan)
    assert not out.exists()


def test_default_notebooks_dir_is_beside_the_package():
    import camgiang_data

    assert plan_module.DEFAULT_NOTEBOOKS_DIR == Path(camgiang_data.__file__).resolve().parent.parent / "notebooks"


# --- pieces -------------------------------------------------------------------------------------------------

def test_summary_line_reads_stdout_markdown_or_plain_text():
    def nb_with(output):
        cell = nbformat.v4.new_code_cell("", metadata={"tags": ["summary"]})
        cell.outputs = [output]
        return nbformat.v4.new_notebook(cells=[cell])

    stream = nbformat.v4.new_output("stream", name="stdout", text="\nFirst line\nsecond\n")
    assert summary_line(nb_with(stream)) == "First line"
    markdown = nbformat.v4.new_output("display_data", data={"text/markdown": "**Thu ngân sách** tăng"})
    assert summary_line(nb_with(markdown)) == "**Thu ngân sách** tăng"
    plain = nbformat.v4.new_output("execute_result", data={"text/plain": "'Chi 7,7 tỷ'"}, execution_count=1)
    assert summary_line(nb_with(plain)) == "Chi 7,7 tỷ"
    assert summary_line(nbformat.v4.new_notebook()) is None


def test_portable_paths(tmp_path):
    folder = tmp_path / "out" / "2021" / "vi"
    assert portable(str(tmp_path / "data"), folder) == "../../../data"
    assert portable("/elsewhere/data", Path("/work/out")) == "…/data"  # only the root in common


def test_kept_ipynb_drops_cwd_and_absolute_paths(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": "/abs/nb/x.ipynb", "output_path": None, "cwd": "/abs/nb",
                                "parameters": {"data_dir": str(tmp_path / "data"), "year": 2021}}
    nb.cells = [nbformat.v4.new_code_cell(f'data_dir = "{tmp_path / "data"}"',
                                          metadata={"tags": ["injected-parameters"]})]
    text = kept_ipynb(nb, tmp_path / "nb" / "x.ipynb", tmp_path / "out" / "x.ipynb")
    assert str(tmp_path) not in text and '"cwd"' not in text
    kept = json.loads(text)
    assert kept["metadata"]["papermill"]["parameters"]["data_dir"] == "../data"
    assert kept["metadata"]["papermill"]["input_path"] == "../nb/x.ipynb"


def test_data_with_errors_stops_before_any_kernel(project, monkeypatch):
    from .conftest import edit_cell

    nbs, out, data_dir, args = project
    notebook(nbs, "alpha", "pass")
    started = []
    monkeypatch.setattr(pool, "run", lambda *a, **k: started.append(a))
    row = edit_cell(data_dir / "2021" / "facts.csv", {"indicator_id": "budget.revenue.total"}, "value", "7.804.089,625")
    result = cli(*args)
    assert result.exit_code == 2 and not started and not out.exists()
    assert f"2021/facts.csv, row {row}, column 'value'" in result.output and "7804089.625" in result.output


@pytest.mark.parametrize("changed", ["messages/reports/budget.toml", "messages/common.toml",
                                     "runner/templates/camgiang/page.css", "analyses/budget.py"])
def test_a_change_in_words_or_templates_changes_every_fingerprint(package, data_dir, changed):
    """Readers' words and the page templates are inputs of every page, as the code is."""
    from camgiang_data.runner.plan import make_plan

    plan = make_plan(data_dir=data_dir)
    before = fingerprint.shared_digest(plan)
    path = package / changed
    path.write_bytes(path.read_bytes() + b"\n")
    assert fingerprint.shared_digest(plan) != before
