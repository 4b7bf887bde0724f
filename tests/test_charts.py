"""Charts cost what they must (issue #11): each is rendered once, at the print resolution, and closed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from camgiang_data.present import charts


def _charts():
    labels = ["Thu ngân sách", "Chi ngân sách", "Kết dư"]
    yield charts.bar_chart(labels, [7.8, 7.7, None], "percent", "vi", "Tiêu đề", "Tỷ lệ")
    yield charts.share_chart(["Nông nghiệp", "Công nghiệp", "Dịch vụ"], [20.0, 45.5, 34.5], "vi", "Cơ cấu")
    yield charts.grouped_bar_chart(labels, {"2020": [1, 2, 3], "2021": [2, 3, None]}, "percent", "en", "Title", "%")
    yield charts.line_chart([2019, 2020, 2021], {"a": [1.0, 2.0, 3.0]}, "percent", "vi", "Xu hướng", "%")


@pytest.mark.parametrize("index", range(4))
def test_a_chart_is_drawn_once_for_its_png_and_then_closed(monkeypatch, index):
    figures = list(_charts())
    fig = figures.pop(index)
    for other in figures:
        plt.close(other)
    renders = []
    real = Figure.draw

    def counting(self, renderer):
        # the layout pass that finds the tight bounding box draws with the renderer's draw_* methods replaced
        # by no-ops (matplotlib's _draw_disabled): a layout, not a render
        renders.append("layout" if "draw_path" in vars(renderer) else "render")
        return real(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    data = charts.png_bytes(fig)
    assert data.startswith(b"\x89PNG")
    assert renders == ["layout", "render"], renders
    assert fig.number not in plt.get_fignums()
