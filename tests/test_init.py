"""`camgiang init`: another commune's data folder from its first report, then its next year learning from it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from camgiang_data import newyear
from camgiang_data.cli import main
from tests.corpus import build

CORPUS = Path(__file__).resolve().parent / "corpus"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def truth(name: str) -> dict[tuple, float]:
    with (CORPUS / f"{name}.truth.csv").open(encoding="utf-8") as handle:
        return {(r["indicator_id"], int(r["year"]), r["kind"], int(r["mention"])): float(r["value"])
                for r in csv.DictReader(handle)}


def filled(folder: Path, year: int) -> set[tuple]:
    """The figures the year's own report gave (targets carried in from the year before left out)."""
    with (folder / str(year) / "facts.csv").open(encoding="utf-8") as handle:
        return {(r["indicator_id"], int(r["year"]), r["kind"], round(float(r["value"]), 6))
                for r in csv.DictReader(handle) if r["value"] and not r["source_year"]}


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> Path:
    """Xã Cẩm Hưng started from its 2022 report as a Word document, then 2023 added from its .txt."""
    tmp = tmp_path_factory.mktemp("init")
    report = tmp / "cam_hung_2022.docx"
    report.write_bytes(build.docx_bytes((CORPUS / "cam_hung_2022.txt").read_text(encoding="utf-8")))
    folder = tmp / "cam_hung"
    result = run("init", folder, "--report", report, "--year", 2022)
    assert result.exit_code == 0, result.output
    assert "next: open" in result.output and "apply-review --year 2022" in result.output
    assert run("new-year", 2023, "--data-dir", folder).exit_code == 0
    result = run("extract", CORPUS / "cam_hung_2023.txt", "--year", 2023, "--data-dir", folder)
    assert result.exit_code == 0, result.output
    return folder


def test_the_unit_is_the_reports_own(unit):
    meta = json.loads((unit / "2022" / "source.json").read_text(encoding="utf-8"))
    assert meta["unit"]["name"] == "xã Cẩm Hưng" and meta["unit"]["type"] == "xã"
    assert meta["document_number"] and "Cẩm Giang" not in json.dumps(meta, ensure_ascii=False)
    assert (unit / "2022" / "cam_hung_2022.docx").is_file() or meta.get("source_format") == "docx"


def test_only_core_indicators_and_no_carried_town_target(unit):
    import camgiang_data as cg

    scope = dict(zip(cg.catalog()["indicator_id"], cg.catalog()["scope"]))
    with (unit / "2022" / "facts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {scope[r["indicator_id"]] for r in rows} == {"core"}
    assert not any(r["source_year"] for r in rows)  # nothing carried from another unit's report


def test_every_figure_filled_is_the_reports_in_both_years(unit):
    """No wrong figure: each one filled is a figure its report's truth holds (whatever its mention)."""
    for year, name in ((2022, "cam_hung_2022"), (2023, "cam_hung_2023")):
        got = filled(unit, year)
        want = {(i, y, k, round(v, 6)) for (i, y, k, _), v in truth(name).items()}
        assert got - want == set() and len(got) >= 25, (year, sorted(got - want))


def test_the_next_year_learns_from_the_first(unit):
    """2023's extraction has 2022's figures as templates (its own wording), not the town's."""
    result = run("validate", "--year", 2023, "--data-dir", unit)
    assert result.exit_code == 0, result.output
    review = (unit / "2023" / "review.csv").read_text(encoding="utf-8-sig")
    assert review.count("\n") > 50  # every core figure still to fill is listed, with candidates


def test_the_units_catalogue_is_the_core_alone(unit):
    """Another unit's catalogue is the shared core: Cẩm Giang's own indicators (its credit fund, Khu 3) are not
    in it, in its rules or in its tables."""
    import camgiang_data as cg

    catalog = cg.catalog(unit)
    assert set(catalog["scope"]) == {"core"} and not catalog["indicator_id"].str.startswith("credit_fund.").any()
    assert len(catalog) < len(cg.catalog())
    report = cg.validate(2022, unit)
    assert report.errors == [] and report.counts["indicators"] == len(catalog)


def readme_csv_blocks() -> list[list[dict]]:
    """The CSV examples of the README's "Adding another commune" section, in order, as rows."""
    import io
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Adding another commune", 1)[1].split("\n## ", 1)[0]
    return [list(csv.DictReader(io.StringIO("\n".join(line.strip() for line in block.splitlines()))))
            for block in re.findall(r"```csv\n(.*?)```", section, flags=re.S)]


def test_readme_a_figure_of_the_units_own(unit, tmp_path):
    """The README's step 5 as written: the unit's own indicator in catalog.local.csv, its figure through
    review.csv, then the next year's extraction learns it from that sentence (tổng đàn trâu, bò 1.020 con)."""
    import shutil

    import camgiang_data as cg

    [indicator], [figure] = readme_csv_blocks()
    folder = tmp_path / "cam_hung"
    shutil.copytree(unit, folder)
    shutil.rmtree(folder / "2023")
    with (folder / "catalog.local.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(indicator), lineterminator="\n")
        writer.writeheader()
        writer.writerow(indicator)
    review = folder / "2022" / "review.csv"
    with review.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    with review.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n").writerow(figure)
    result = run("apply-review", "--year", 2022, "--data-dir", folder)
    assert result.exit_code == 0, result.output
    ident = indicator["indicator_id"]
    facts = cg.load("facts", 2022, folder).set_index("indicator_id")
    assert facts.at[ident, "value"] == 1095 and facts.at[ident, "quote"] == figure["quote"]
    assert cg.catalog(folder).set_index("indicator_id").at[ident, "scope"] == "local"
    assert ident not in set(cg.catalog()["indicator_id"])  # the packaged town's catalogue is untouched

    assert run("new-year", 2023, "--data-dir", folder).exit_code == 0
    result = run("extract", CORPUS / "cam_hung_2023.txt", "--year", 2023, "--data-dir", folder)
    assert result.exit_code == 0, result.output
    facts = cg.load("facts", 2023, folder)
    assert facts.loc[facts["indicator_id"] == ident, "value"].tolist() == [1020]


def test_a_folder_in_use_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", tmp_path / "x", "--report", CORPUS / "cam_vu_2022.txt", "--year", 2022)
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["notes.txt"]


def test_a_header_without_a_unit_asks_for_unit(tmp_path):
    text = (CORPUS / "cam_vu_2022.txt").read_text(encoding="utf-8")
    body = text[text.index("I -"):] if "I -" in text else text.split("\n", 8)[-1]
    report = tmp_path / "bare.txt"
    report.write_text("BÁO CÁO\nKết quả năm 2022\n" + body, encoding="utf-8")
    result = run("init", tmp_path / "u", "--report", report, "--year", 2022)
    assert result.exit_code == 1 and "--unit" in result.output and not (tmp_path / "u").exists()
    result = run("init", tmp_path / "u", "--report", report, "--year", 2022, "--unit", "Cẩm Vũ")
    assert result.exit_code == 1 and "type and name" in result.output
    result = run("init", tmp_path / "u", "--report", report, "--year", 2022, "--unit", "xã Cẩm Vũ")
    assert result.exit_code in (0, 1), result.output
    meta = json.loads((tmp_path / "u" / "2022" / "source.json").read_text(encoding="utf-8"))
    assert meta["unit"]["name"] == "xã Cẩm Vũ"


def test_a_failure_half_way_leaves_no_folder(tmp_path, monkeypatch):
    from camgiang_data.ingest import pipeline

    def broken(*args, **kwargs):
        raise newyear.NewYearError("the extraction failed")

    monkeypatch.setattr(pipeline, "extract_into", broken)
    result = run("init", tmp_path / "u", "--report", CORPUS / "cam_vu_2022.txt", "--year", 2022)
    assert result.exit_code == 1 and "the extraction failed" in result.output
    assert not (tmp_path / "u").exists()


def readme_steps() -> list[str]:
    """The commands of the README's "Adding another commune" section, in order."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Adding another commune", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S)
            for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


@pytest.mark.slow
def test_readme_adding_another_commune(tmp_path):
    """The README's steps as a person copies them, with xã Cẩm Hưng's 2022 report as a .docx and its 2023 one."""
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    steps = readme_steps()
    assert [s.split()[1] for s in steps] == ["init", "apply-review", "run", "new-year", "extract"]
    for name in (".venv", "camgiang_data"):
        (tmp_path / name).symlink_to(root / name)
    reports = {"2022": tmp_path / "bao-cao-2022.docx", "2023": tmp_path / "bao-cao-2023.docx"}
    for year, path in reports.items():
        path.write_bytes(build.docx_bytes((CORPUS / f"cam_hung_{year}.txt").read_text(encoding="utf-8")))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for step in steps:
        done = subprocess.run(step, shell=True, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=900)
        assert done.returncode == 0, f"{step}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    page = (tmp_path / "outputs-camhung" / "2022" / "vi" / "index.html").read_text(encoding="utf-8")
    assert "xã Cẩm Hưng" in page and "Cẩm Giang" not in page
    assert (tmp_path / "camhung" / "2023" / "source.txt").is_file()
