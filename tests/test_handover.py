"""The hand-over of checked reads from `camgiang run` to its kernels (issue #11): a kernel starts from the
parent's read and validation of a year only while the year's files are byte for byte those it was made from."""

from __future__ import annotations

import math

import pytest

from camgiang_data import store
from camgiang_data.checks.validation import checked_year

from .conftest import YEAR, edit_cell


@pytest.fixture
def kernel_side(monkeypatch):
    """Forget this process's reads, as a fresh kernel would not have them."""
    def fresh(path):
        monkeypatch.setattr(store, "_CACHE", {})
        monkeypatch.setattr(store, "_handover", None)
        monkeypatch.setenv(store.HANDOVER_ENV, str(path))
    return fresh


def _handed(data_dir, tmp_path):
    checked_year(YEAR, data_dir)
    parent = store.read_year(YEAR, data_dir)
    parent.derived_cache["made in the parent"] = True  # a mark: which read does the kernel get?
    path = tmp_path / "checked.pickle"
    store.write_handover(path, [parent])
    return parent, path


def test_a_kernel_starts_from_the_parents_checked_read_while_the_files_are_unchanged(data_dir, tmp_path,
                                                                                      kernel_side):
    parent, path = _handed(data_dir, tmp_path)
    kernel_side(path)
    data, facts, report = checked_year(YEAR, data_dir)
    assert data.derived_cache.get("made in the parent") is True
    assert data is not parent  # its own copy: nothing a kernel changes reaches another
    assert len(facts) == len(parent.derived_cache["checked"][0]) and not report.errors
    assert store.read_year(YEAR, data_dir) is data  # then the ordinary cache holds it


def test_a_file_changed_after_the_hand_over_is_read_again_and_its_new_figure_is_the_one_loaded(
        data_dir, tmp_path, kernel_side):
    import camgiang_data as cg

    parent, path = _handed(data_dir, tmp_path)
    before = cg.load("facts", YEAR, data_dir)
    row = before[(before["basis"] == "stated") & before["value"].notna()].iloc[0]
    new_value = float(row["value"]) + 1
    edit_cell(data_dir / str(YEAR) / "facts.csv", {"indicator_id": row["indicator_id"], "year": str(row["year"]),
                                                   "kind": row["kind"], "mention": str(int(row["mention"]))},
              "value", f"{new_value:g}")
    kernel_side(path)
    data, facts, _ = checked_year(YEAR, data_dir)
    assert "made in the parent" not in data.derived_cache
    changed = facts[(facts["indicator_id"] == row["indicator_id"]) & (facts["kind"] == row["kind"])
                    & (facts["mention"] == row["mention"]) & (facts["year"] == row["year"])]
    assert math.isclose(float(changed["value"].iloc[0]), float(f"{new_value:g}"))


def test_no_hand_over_named_or_an_unreadable_one_means_an_ordinary_read(data_dir, tmp_path, kernel_side,
                                                                       monkeypatch):
    broken = tmp_path / "broken.pickle"
    broken.write_bytes(b"not a pickle")
    kernel_side(broken)
    data, _, report = checked_year(YEAR, data_dir)
    assert "checked" in data.derived_cache and not report.errors
    monkeypatch.delenv(store.HANDOVER_ENV)
    monkeypatch.setattr(store, "_CACHE", {})
    assert store.read_year(YEAR, data_dir) is not data


def test_reads_keyed_by_an_objects_identity_are_not_handed_over(data_dir, tmp_path, kernel_side):
    """An id() means nothing in another process (and could match an unrelated object there)."""
    from camgiang_data import topical

    checked_year(YEAR, data_dir)
    parent = store.read_year(YEAR, data_dir)
    topical.topical_table(next(iter(topical.TOPICAL_TABLES)), parent, parent.derived_cache["checked"][0])
    assert any(isinstance(k, tuple) for k in parent.derived_cache)
    path = tmp_path / "checked.pickle"
    store.write_handover(path, [parent])
    kernel_side(path)
    data = store.read_year(YEAR, data_dir)
    assert "checked" in data.derived_cache
    assert not [k for k in data.derived_cache if not isinstance(k, str)]

