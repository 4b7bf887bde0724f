"""`camgiang run --pdf`: every page of the run and the index printed to A4 PDF beside its HTML by the system's
Chromium (Playwright, no browser download), offline, atomically, and again only when the HTML changed.

The end-to-end build runs two real notebooks on the packaged data (as tests/test_reports.py does for all of
them), some 6-8 s in all, so it is not marked slow; the printer's own rules are checked on small pages
written here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from camgiang_data.cli import main
from camgiang_data.runner import pdf
from camgiang_data.runner.plan import PlanError, make_plan

YEAR = 2021
A4 = (595.28, 841.89)  # points
NOTEBOOKS = ("budget", "poverty")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def title_of(html: Path) -> str:
    import html as entities

    return entities.unescape(re.search(r"<title>(.*?)</title>", html.read_text(encoding="utf-8"), re.S).group(1))


def assert_a4_with_text(path: Path, title: str) -> None:
    with pdfplumber.open(path) as document:
        assert document.pages, path
        for number, sheet in enumerate(document.pages, 1):
            assert abs(sheet.width - A4[0]) <= 1 and abs(sheet.height - A4[1]) <= 1, (path.name, number)
        first = words(document.pages[0].extract_text() or "")
        assert first, f"{path.name}: no text layer"
        assert words(title) in first, f"{path.name}: {title!r} not on page 1: {first[:300]!r}"
        assert document.metadata.get("Title") == title


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("outputs")
    result = subprocess.run([sys.executable, "-m", "camgiang_data.cli", "run", "--year", str(YEAR), "--lang", "vi",
                             "--only", ",".join(NOTEBOOKS), "--out", str(out), "--force", "--pdf"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / str(YEAR) / "vi", result.stdout


def test_run_pdf_prints_every_page_and_the_index_on_a4(built):
    folder, stdout = built
    assert "pdf: 3 printed, 0 up to date, 0 failed" in stdout
    for name in (*NOTEBOOKS, "index"):
        html, printed = folder / f"{name}.html", folder / f"{name}.pdf"
        assert printed.read_bytes().startswith(b"%PDF-"), name
        assert_a4_with_text(printed, title_of(html))
    with pdfplumber.open(folder / "budget.pdf") as document:
        text = words(" ".join(sheet.extract_text() or "" for sheet in document.pages))
    assert "7.804.089.625" in text  # the budget's total revenue, as the page shows it
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_run_pdf_again_prints_nothing_when_no_page_changed(built):
    folder, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}
    result = CliRunner().invoke(main, ["run", "--year", str(YEAR), "--lang", "vi", "--only", ",".join(NOTEBOOKS),
                                       "--out", str(folder.parents[1]), "--pdf"])
    assert result.exit_code == 0, result.output
    assert "pdf: 0 printed, 3 up to date, 0 failed" in result.stdout
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")} == before


# --- the printer on small pages ------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>{title}</title>
<style>@page {{ size: A4; margin: 15mm; }} body {{ font-family: "DejaVu Sans", sans-serif; }}</style>
<main><h1>{title}</h1><p>Thu ngân sách 7.804.089.625 đồng.</p>{extra}</main>
</html>
"""


def write_page(folder: Path, name: str, title: str = "A small page", extra: str = "") -> pdf.Page:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.html"
    path.write_text(PAGE.format(title=title, extra=extra), encoding="utf-8")
    return pdf.Page(f"vi/{name}", path)


def test_a_pdf_is_printed_again_only_when_its_html_changed(tmp_path):
    page = write_page(tmp_path, "alpha")
    first = pdf.publish([page])
    assert first.printed == ["vi/alpha"] and not first.failures
    assert_a4_with_text(page.pdf, "A small page")
    printed_at = page.pdf.stat().st_mtime_ns

    page.html.write_text(page.html.read_text(encoding="utf-8"), encoding="utf-8")  # rewritten, same bytes
    again = pdf.publish([page])
    assert again.printed == [] and again.current == 1 and page.pdf.stat().st_mtime_ns == printed_at

    write_page(tmp_path, "alpha", title="A changed page")
    changed = pdf.publish([page])
    assert changed.printed == ["vi/alpha"]
    assert_a4_with_text(page.pdf, "A changed page")

    page.pdf.unlink()
    assert pdf.publish([page]).printed == ["vi/alpha"] and page.pdf.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.html", "alpha.pdf", "pdf.json"]


def test_a_page_that_is_not_offline_gets_no_pdf_and_says_why(tmp_path):
    good = write_page(tmp_path, "good")
    bad = write_page(tmp_path, "bad", extra='<img src="http://127.0.0.1:9/pixel.png" alt="x">'
                                          '<link rel="stylesheet" href="https://example.invalid/style.css">')
    result = pdf.publish([bad, good])
    assert result.printed == ["vi/good"]
    [(label, why)] = result.failures
    assert label == "vi/bad"
    assert "bad.html is not offline" in why and "http://127.0.0.1:9/pixel.png" in why
    assert "https://example.invalid/style.css" in why and "no PDF written" in why
    assert not bad.pdf.exists() and good.pdf.is_file()
    assert "FAILED pdf vi/bad: bad.html is not offline" in "\n".join(result.summary())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_pdf_without_a_browser_or_playwright_is_refused_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(PlanError, match=r"none was found on PATH \(looked for chromium, chromium-browser, "
                                        r"google-chrome\).*never downloads a browser"):
        make_plan(out=tmp_path / "out", pdf=True)
    result = CliRunner().invoke(main, ["run", "--pdf", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "apt-get install chromium" in result.output
    assert not (tmp_path / "out").exists()
    make_plan(out=tmp_path / "out")  # without --pdf nothing is asked of the browser

    monkeypatch.setattr(pdf, "playwright_installed", lambda: False)
    with pytest.raises(PlanError, match=r"--pdf needs the playwright package.*pip install -e '\.\[pdf\]'"):
        make_plan(out=tmp_path / "out", pdf=True)
