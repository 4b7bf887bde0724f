"""One chart style for every report: Agg backend, a font with Vietnamese glyphs, print-size text, labelled units."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display in kernels run by papermill; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402

from .fmt import format_value, is_missing  # noqa: E402

PALETTE = ["#1f5f8b", "#e07b39", "#4f9d69", "#b9483f", "#7d5ba6", "#8c8c8c"]
WIDTH_IN = 7.0  # fits A4 portrait with 15 mm margins

plt.rcParams.update({
    "font.family": "DejaVu Sans",  # ships with matplotlib and has every Vietnamese glyph
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
})


def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def bar_chart(labels: list[str], values: list, unit: str, lang: str, title: str, axis_label: str,
              decimals: int | None = None, highlight: set[int] | None = None):
    """Horizontal bars with the value written at each bar; a missing value is labelled, not drawn as zero."""
    height = max(1.8, 0.45 * len(labels) + 0.9)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    drawn = [0.0 if is_missing(v) else float(v) for v in values]
    colors = [PALETTE[1] if highlight and i in highlight else PALETTE[0] for i in range(len(labels))]
    bars = ax.barh(range(len(labels)), drawn, color=colors)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    ax.set_title(title, loc="left")
    top = max([abs(v) for v in drawn] + [1e-9])
    for bar, value in zip(bars, values):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                format_value(value, unit, lang, decimals), va="center", fontsize=9)
    ax.set_xlim(0, top * 1.3)
    ax.set_xticks([])  # every bar carries its formatted value; raw tick numbers (1e9) would only mislead
    ax.spines["bottom"].set_visible(False)
    return fig


def share_chart(labels: list[str], shares: list, lang: str, title: str):
    """One 100 % bar split into parts (e.g. economic structure, grade shares)."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.9))
    left = 0.0
    for i, (label, share) in enumerate(zip(labels, shares)):
        if is_missing(share):
            continue
        ax.barh([0], [share], left=left, color=PALETTE[i % len(PALETTE)], label=label)
        if share >= 4:
            ax.text(left + share / 2, 0, format_value(share, "percent", lang, 1), ha="center", va="center",
                    color="white", fontsize=9, fontweight="bold")
        left += share
    ax.set_xlim(0, max(100, left))
    ax.set_yticks([])
    ax.set_xlabel("%")
    ax.set_title(title, loc="left")
    if left > 0:  # no part reported: no legend to draw (the caller's caption says the figures are missing)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=min(3, len(labels)), frameon=False,
                  fontsize=8)
    return fig


def funnel_chart(stages: list[str], counts: list, bases: list, lang: str, title: str, unit: str = "persons"):
    """Stages against their own bases: each bar is the count, its outline the base it is measured against."""
    height = max(2.0, 0.6 * len(stages) + 1.0)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    y = range(len(stages))
    base_values = [0.0 if is_missing(b) else float(b) for b in bases]
    count_values = [0.0 if is_missing(c) else float(c) for c in counts]
    ax.barh(y, base_values, color="white", edgecolor=PALETTE[5], linewidth=1.2, label=None)
    ax.barh(y, count_values, color=PALETTE[0])
    ax.set_yticks(list(y), stages)
    ax.invert_yaxis()
    top = max(base_values + count_values + [1e-9])
    for i, (c, b) in enumerate(zip(counts, bases)):
        text = f"{format_value(c, unit, lang, with_unit=False)} / {format_value(b, unit, lang, with_unit=False)}"
        if not is_missing(c) and not is_missing(b) and float(b):
            text += f"  ({format_value(100 * float(c) / float(b), 'percent', lang, 1)})"
        ax.text(max(base_values[i], count_values[i]) + top * 0.01, i, text, va="center", fontsize=9)
    ax.set_xlim(0, top * 1.45)
    ax.set_xticks([])
    ax.set_title(title, loc="left")
    return fig


def grouped_bar_chart(labels: list[str], series: dict[str, list], unit: str, lang: str, title: str,
                      axis_label: str, decimals: int | None = None):
    """Several series side by side per label (e.g. target and result, or two years)."""
    n = len(series)
    height = max(2.0, (0.35 * n + 0.25) * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    bar_h = 0.8 / max(n, 1)
    top = max([abs(float(v)) for vals in series.values() for v in vals if not is_missing(v)] + [1e-9])
    for k, (name, values) in enumerate(series.items()):
        ys = [i + k * bar_h for i in range(len(labels))]
        drawn = [0.0 if is_missing(v) else float(v) for v in values]
        ax.barh(ys, drawn, height=bar_h, label=name, color=PALETTE[k % len(PALETTE)])
        for yv, v in zip(ys, values):
            ax.text((0 if is_missing(v) else float(v)) + top * 0.01, yv, format_value(v, unit, lang, decimals),
                    va="center", fontsize=8)
    ax.set_yticks([i + bar_h * (n - 1) / 2 for i in range(len(labels))], labels)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    ax.set_xticks([])
    ax.set_xlabel(axis_label)
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def _tick_formatter(unit: str, lang: str):
    from matplotlib.ticker import FuncFormatter

    from .fmt import format_money_short

    if unit == "VND":
        return FuncFormatter(lambda v, _: format_money_short(v, lang))
    return FuncFormatter(lambda v, _: format_value(v, unit, lang, with_unit=False))


def line_chart(x: list, series: dict[str, list], unit: str, lang: str, title: str, axis_label: str):
    """A time series (used where a series has three or more points)."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.2))
    for k, (name, values) in enumerate(series.items()):
        ys = [float("nan") if is_missing(v) else float(v) for v in values]
        ax.plot(x, ys, marker="o", label=name, color=PALETTE[k % len(PALETTE)])
    ax.set_xticks(x, [str(v) for v in x])
    ax.yaxis.set_major_formatter(_tick_formatter(unit, lang))  # locale separators, no "1e10" offset
    ax.set_ylabel(axis_label)
    ax.set_title(title, loc="left")
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=8)
    return fig
