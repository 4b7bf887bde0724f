"""The shareable HTML, end to end: `camgiang run --lang all` builds every report in both languages; the numbers
in the pages are the library's numbers, formatted for the reader; and a real headless Chromium opens each page
offline with no failed or external request, no console error, every chart decoded, the headline numbers visible."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import camgiang_data as cg
from camgiang_data.present.fmt import format_value

YEAR = 2021
NOTEBOOKS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

# Headline figures each report must show (first statement of each, as the library holds it).
HEADLINES = {
    "budget": ["budget.revenue.total", "budget.spending.total", "budget.balance.carried_over"],
    "poverty": ["poverty.poor_rate.new", "poverty.near_poor_rate.new", "poverty.surveyed_households"],
    "vaccination": ["covid.vaccinated.dose1", "covid.vaccinated.dose2", "covid.vaccinated.dose3",
                    "covid.vaccination_base.dose1"],
    "targets": ["economy.growth_rate", "economy.income_per_capita"],
    "economy": ["economy.production_value", "agriculture.sown_area.total"],
    "education": ["education.pupils.preschool", "education.pupils.primary", "education.pupils.lower_secondary"],
    "credit_fund": ["credit_fund.loans_outstanding", "credit_fund.total_capital"],
    "public_order": ["public_order.cases.received", "public_order.cases.reported_to_district"],
    "welfare": ["welfare.gift_amount.tet.central", "welfare.gift_amount.tet.province"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    result = subprocess.run([sys.executable, "-m", "camgiang_data.cli", "run", "--year", str(YEAR), "--lang", "all",
                             "--out", str(out), "--force"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def page_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headline_strings(indicator: str, lang: str) -> str:
    facts = cg.load("facts", YEAR)
    row = facts[(facts["indicator_id"] == indicator) & (facts["kind"] == "actual") & (facts["mention"] == 1)
                & (facts["year"] == YEAR)].iloc[0]
    return format_value(row["value"], row["unit"], lang, with_unit=False)


def test_every_notebook_has_a_report_in_both_languages_and_an_index(built):
    assert len(NOTEBOOKS) >= 9
    for lang in ("vi", "en"):
        folder = built / str(YEAR) / lang
        index = (folder / "index.html").read_text(encoding="utf-8")
        for name in NOTEBOOKS:
            assert (folder / f"{name}.html").stat().st_size > 0
            assert (folder / f"{name}.ipynb").exists()
            assert f'href="{name}.html"' in index


@pytest.mark.parametrize("name", sorted(HEADLINES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_numbers_in_the_html_are_the_librarys(built, name, lang):
    text = page_text(built / str(YEAR) / lang / f"{name}.html")
    for indicator in HEADLINES[name]:
        expected = headline_strings(indicator, lang)
        assert expected in text, f"{indicator}: {expected!r} not in {name}.html ({lang})"


def test_pages_are_self_contained(built):
    for page in (built / str(YEAR)).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script src" not in html and "require.js" not in html and "mathjax" not in html.lower(), page
        assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), page
        assert re.search(r'<html lang="(vi|en)"', html), page


def test_executed_notebooks_carry_no_absolute_paths(built):
    for nb in (built / str(YEAR)).rglob("*.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert str(built) not in text and str(Path.home()) not in text and "/work/" not in text, nb


def test_reports_open_offline_in_a_real_browser(built):
    from playwright.sync_api import sync_playwright

    pages = sorted((built / str(YEAR)).rglob("*.html"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        try:
            for path in pages:
                page = browser.new_page()
                requests, failed, errors = [], [], []
                page.on("request", lambda r: requests.append(r.url))
                page.on("requestfailed", lambda r: failed.append(r.url))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(path.as_uri(), wait_until="load")
                external = [u for u in requests if not u.startswith(("file:", "data:"))]
                assert external == [] and failed == [] and errors == [], (path.name, external, failed, errors)
                broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                                       ".map(i => i.alt)")
                assert broken == [], (path.name, broken)
                if path.stem in HEADLINES:
                    lang = path.parent.name
                    text = re.sub(r"\s+", " ", page.inner_text("body"))
                    for indicator in HEADLINES[path.stem]:
                        assert headline_strings(indicator, lang) in text, (path.name, indicator)
                page.close()
        finally:
            browser.close()
