"""Inline SVG charts of the HTML report: share bars and histograms (no script needed)."""

from __future__ import annotations

from html import escape

from cli.report import Bin, Histogram
from cli.report_theme import ACCENT

BAR_WIDTH = 130
BAR_HEIGHT = 14


def share_bar(share: float | None, scale: float, colour: str, label: str) -> str:
    """A horizontal bar: `share` of the full track, the track standing for `scale`."""
    fraction = 0.0 if not share or scale <= 0 else max(0.0, min(share / scale, 1.0))
    width = round(fraction * BAR_WIDTH, 1)
    if share and width < 1.5:
        width = 1.5  # a tiny share stays visible
    return (
        f'<svg width="{BAR_WIDTH}" height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}"'
        f' preserveAspectRatio="none" role="img" aria-label="{escape(label)}">'
        f'<rect x="0" y="2" width="{BAR_WIDTH}" height="10" rx="2" fill="#eef1f4"/>'
        f'<rect x="0" y="2" width="{width}" height="10" rx="2" fill="{colour}"/>'
        "</svg>"
    )


# Histogram geometry (viewBox units; the SVG scales to its column).
_W, _H = 340, 190
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 18, 10, 34


def histogram(chart: Histogram) -> str:
    """Bars of customers per bin, with the y maximum and a few x edges labelled."""
    if not chart.bins:
        return '<p class="stats">No customers.</p>'
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    peak = max(b.customers for b in chart.bins) or 1
    step = plot_w / len(chart.bins)
    parts = [
        f'<svg viewBox="0 0 {_W} {_H}" role="img"'
        f' aria-label="{escape(f"Histogram of {chart.measure}")}">',
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_W - _RIGHT}" y2="{_TOP + plot_h}"'
        ' stroke="#c3c9d2" stroke-width="1"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_W - _RIGHT}" y2="{_TOP}"'
        ' stroke="#eef1f4" stroke-width="1"/>',
        f'<text x="{_LEFT - 5}" y="{_TOP + 4}" text-anchor="end">{peak:,}</text>',
        f'<text x="{_LEFT - 5}" y="{_TOP + plot_h}" text-anchor="end">0</text>',
    ]
    for index, item in enumerate(chart.bins):
        height = plot_h * item.customers / peak
        x = _LEFT + index * step
        overflow = item.high is None
        parts.append(
            f'<rect x="{x + 0.75:.1f}" y="{_TOP + plot_h - height:.1f}"'
            f' width="{max(step - 1.5, 0.5):.1f}" height="{height:.1f}"'
            f' fill="{ACCENT}" fill-opacity="{0.55 if overflow else 0.9}">'
            f"<title>{escape(bin_label(item, chart.measure))}: {item.customers:,} customers"
            "</title></rect>"
        )
    for index in _tick_indexes(len(chart.bins)):
        item = chart.bins[index]
        x = _LEFT + index * step + step / 2
        parts.append(
            f'<text x="{x:.1f}" y="{_TOP + plot_h + 15}" text-anchor="middle">'
            f"{escape(tick_label(item, chart.measure))}</text>"
        )
    parts.append(
        f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_H - 3}" text-anchor="middle">'
        f"{escape(chart.unit)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _tick_indexes(count: int) -> list[int]:
    if count <= 6:
        return list(range(count))
    wanted = 5
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def number(value: float, measure: str) -> str:
    """A bin edge or statistic: whole numbers for days and orders, money with decimals
    only when small."""
    if measure != "monetary" or abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def tick_label(item: Bin, measure: str) -> str:
    if item.high is None:
        return f"{number(item.low, measure)}+"
    return number(item.low, measure)


def bin_label(item: Bin, measure: str) -> str:
    """`1`, `3-4` (whole numbers) or `100 to 200` (money); the overflow bar as `500 or more`."""
    low = number(item.low, measure)
    if item.high is None:
        return f"{low} or more"
    if measure == "monetary":
        return f"{low} to under {number(item.high, measure)}"
    last = item.high - 1
    return low if last <= item.low else f"{low}-{number(last, measure)}"
