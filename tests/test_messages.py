"""Words for readers are data: messages/common.toml and messages/reports/<name>.toml, vi and en side by side."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from camgiang_data.present import messages

ANALYSES = Path(messages.__file__).resolve().parents[1] / "analyses"
PRESENT = Path(messages.__file__).resolve().parent / "reports"  # where each report's words are used


def test_every_message_file_is_sound():
    """Both languages in every entry, the same placeholders in both, no report key shadowing a common word."""
    assert messages.check() == []


def test_every_report_has_its_message_file_with_a_title():
    modules = sorted(p.stem for p in ANALYSES.glob("*.py") if not p.stem.startswith("_"))
    assert messages.report_names() == modules
    for name in modules:
        assert set(messages.report(name)["title"]) == {"vi", "en"}


@pytest.mark.parametrize("name", sorted(p.stem for p in ANALYSES.glob("*.py") if not p.stem.startswith("_")))
def test_every_key_the_code_asks_for_exists(name):
    """A key named in code (t("key", …) or _t("key", …)) is in the report's file or the common one: a renamed or
    deleted message fails here, not on a reader's page."""
    source = (PRESENT / f"{name}.py").read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b_?t\(["']([A-Za-z0-9_.]+)["']""", source))
    asked |= set(re.findall(r"""\.heading\(["']([A-Za-z0-9_.]+)["']""", source))  # report.heading("h_…")
    if "report.comparison(" in source:  # the closing section's words
        asked |= {"h_compare", "compare_none"}
    asked = {k for k in asked if not k.endswith(("_", "."))}  # a prefix completed at run time ('col_' + key)
    known = set(messages.report(name)) | set(messages.common())
    assert asked - known == set()
    assert len(asked) >= 2  # the pattern still finds the calls


def _write(folder: Path, common: str, report: str) -> None:
    (folder / "reports").mkdir(parents=True)
    (folder / "common.toml").write_text(common, encoding="utf-8")
    (folder / "reports" / "demo.toml").write_text(report, encoding="utf-8")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(messages, "MESSAGES_DIR", tmp_path)
    messages.common.cache_clear()
    messages.report.cache_clear()
    yield tmp_path
    messages.common.cache_clear()
    messages.report.cache_clear()


@pytest.mark.parametrize("common, report, found", [
    ('[year]\nvi = "Năm"\nen = "Year"\n', '[year]\nvi = "Năm"\nen = "Year"\n', "also in messages/common.toml"),
    ('[x]\nvi = "a"\nen = "b"\n', '[sum]\nvi = "Tổng {total}"\nen = "Total"\n', "placeholders differ"),
    ('[x]\nvi = "a"\nen = "b"\n', '[only_vi]\nvi = "Chỉ tiếng Việt"\n', "expected exactly the strings vi and en"),
    ('[x]\nvi = "a"\nen = "b"\n', '[broken\nvi = "a"\n', "valid TOML"),
])
def test_a_broken_message_file_is_named(folder, common, report, found):
    _write(folder, common, report)
    problems = messages.check()
    assert any(found in p for p in problems), problems
    assert any("demo" in p for p in problems)


def test_groups_read_as_dotted_keys(folder):
    _write(folder, '[x]\nvi = "a"\nen = "b"\n', '[school.primary]\nvi = "Trường Tiểu học"\nen = "Primary"\n')
    assert messages.report("demo") == {"school.primary": {"vi": "Trường Tiểu học", "en": "Primary"}}


def test_the_reports_read_their_words_from_the_files():
    budget = importlib.import_module("camgiang_data.present.reports.budget")
    assert budget.TEXT == messages.report("budget") and budget.TITLE == messages.report("budget")["title"]


def test_a_table_with_no_figure_at_all_is_a_sentence(monkeypatch):
    """The year's report says nothing of a table: one sentence, not a grid of 'not reported'; a table with one
    figure, or with words in its cells, is a table."""
    from camgiang_data.present import page, report

    shown = []
    monkeypatch.setattr(page, "show", lambda markup, plain=None: shown.append(markup) or markup)
    r = report("budget")
    columns = [("label", "Khoản", None), ("value", "Số tiền", lambda v, row: str(v))]
    r.table([{"label": "a", "value": float("nan")}, {"label": "b", "value": None}], columns)
    assert "<table" not in shown[-1] and "không nêu số liệu" in shown[-1]
    r.table([{"label": "a", "value": float("nan")}, {"label": "b", "value": 3.0}], columns)
    assert "<table" in shown[-1]
    r.table([{"label": "a", "value": "đạt"}], columns)
    assert "<table" in shown[-1]
