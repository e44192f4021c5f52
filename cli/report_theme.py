"""Colours and CSS of the HTML report (system fonts only: nothing is fetched)."""

from __future__ import annotations

from collections.abc import Iterable

# One colour per segment of the bundled grid: greens for the best customers, blues for the
# newest, amber to red for those slipping away, greys for the gone. Every label on the page
# is also written out, so colour is never the only cue.
SEGMENT_COLOURS = {
    "Champions": "#1a7f4e",
    "Loyal Customers": "#3fa66a",
    "Potential Loyalists": "#8cc98f",
    "New Customers": "#2f7ebf",
    "Promising": "#7fb6e3",
    "Need Attention": "#e3b23c",
    "About to Sleep": "#b39ddb",
    "At Risk": "#e8863a",
    "Can't Lose Them": "#c8453b",
    "Hibernating": "#8d99ae",
    "Lost": "#5c6675",
}
# Segments of a user's grid take these in display order (Okabe-Ito first, then more).
FALLBACK_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#7f3c8d",
    "#11a579",
    "#3969ac",
    "#f2b701",
    "#e73f74",
    "#80ba5a",
    "#e68310",
    "#008695",
    "#a5aa99",
)
NO_SEGMENT_COLOUR = "#d5d9e0"
ACCENT = "#33658a"


def segment_colours(segments: Iterable[str]) -> dict[str, str]:
    """A colour for each segment: its own for the bundled names, else the next fallback."""
    colours: dict[str, str] = {}
    spare = 0
    for name in segments:
        if name in colours:
            continue
        if name in SEGMENT_COLOURS:
            colours[name] = SEGMENT_COLOURS[name]
        else:
            colours[name] = FALLBACK_COLOURS[spare % len(FALLBACK_COLOURS)]
            spare += 1
    return colours


def tint(colour: str, strength: float) -> str:
    """The colour mixed with white (strength 1 = the colour itself)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - value) * strength) for value in (red, green, blue))
    return "#" + "".join(f"{value:02x}" for value in mixed)


CSS = """
:root {
  --ink: #1f2933; --muted: #5f6b7a; --faint: #8a94a3; --rule: #e3e7ec; --panel: #f6f8fa;
  --accent: __ACCENT__;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: #eef1f4; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    "Noto Sans", "Liberation Sans", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main {
  max-width: 1120px; margin: 32px auto; padding: 40px 48px 32px; background: #fff;
  border-radius: 10px; box-shadow: 0 1px 3px rgba(16, 24, 40, .08);
}
header { border-bottom: 1px solid var(--rule); padding-bottom: 24px; margin-bottom: 8px; }
.eyebrow {
  margin: 0; color: var(--accent); font-size: 12px; font-weight: 600;
  letter-spacing: .08em; text-transform: uppercase;
}
h1 { margin: 4px 0 4px; font-size: 30px; line-height: 1.2; font-weight: 700; }
.subtitle { margin: 0; color: var(--muted); }
h2 { margin: 0 0 4px; font-size: 20px; font-weight: 650; }
h3 { margin: 0 0 2px; font-size: 15px; font-weight: 600; }
section { padding: 28px 0 8px; border-bottom: 1px solid var(--rule); }
section:last-of-type { border-bottom: 0; }
.lead { margin: 0 0 18px; color: var(--muted); max-width: 760px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-top: 22px; }
.kpi { background: var(--panel); border-radius: 8px; padding: 12px 16px; }
.kpi .value { display: block; font-size: 24px; font-weight: 650; }
.kpi .label { color: var(--muted); font-size: 13px; }
.grid-wrap { display: flex; gap: 32px; align-items: flex-start; flex-wrap: wrap; }
table { border-collapse: collapse; }
table.rfm { table-layout: fixed; border-spacing: 0; }
table.rfm th { font-size: 12px; color: var(--muted); font-weight: 600; padding: 4px; }
table.rfm th.row { width: 44px; text-align: right; padding-right: 10px; }
table.rfm td.cell {
  width: 132px; height: 84px; padding: 7px 9px; vertical-align: top;
  border: 2px solid #fff; border-radius: 6px;
}
.cell .name { display: block; font-size: 11.5px; font-weight: 600; line-height: 1.25;
  overflow-wrap: anywhere; }
.cell .count { display: block; font-size: 20px; font-weight: 650; line-height: 1.3; }
.cell .revenue { display: block; font-size: 11.5px; color: #3d4754; }
.cell.empty .count { color: var(--faint); }
.axis { font-size: 12px; color: var(--muted); }
.axis-y { writing-mode: vertical-rl; transform: rotate(180deg); text-align: center; }
.legend { list-style: none; margin: 0; padding: 0; columns: 1; min-width: 200px; }
.legend li { display: flex; align-items: center; gap: 8px; font-size: 13.5px; padding: 3px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; flex: none; }
table.data { width: 100%; font-size: 14px; }
table.data th {
  text-align: left; font-size: 12px; font-weight: 600; color: var(--muted);
  border-bottom: 1px solid var(--rule); padding: 6px 10px;
}
table.data td { border-bottom: 1px solid var(--rule); padding: 9px 10px; vertical-align: top; }
table.data tr:last-child td { border-bottom: 0; }
table.data .num { text-align: right; white-space: nowrap; }
table.data th.num { text-align: right; }
table.segments col.segment { width: 27%; }
table.segments col.action { width: 25%; }
.segment-name { display: flex; align-items: center; gap: 8px; font-weight: 600; }
.desc { color: var(--muted); font-size: 13px; margin-top: 2px; }
.action { font-size: 13px; }
.bar { white-space: nowrap; }
.bar svg { vertical-align: middle; }
.bar .pct { display: inline-block; width: 50px; text-align: right; font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 24px; }
.chart .stats { font-size: 12.5px; color: var(--muted); margin: 0 0 6px; }
.chart svg { width: 100%; height: auto; display: block; }
.chart text { font-size: 10.5px; fill: var(--muted); }
table.migration { width: 100%; table-layout: fixed; font-size: 12.5px; }
table.migration col.from { width: 132px; }
table.migration col.total { width: 50px; }
table.migration th {
  font-weight: 600; color: var(--muted); padding: 4px 2px 6px; vertical-align: bottom;
  text-align: center; font-size: 10.5px; line-height: 1.25;
}
table.migration th.from {
  text-align: left; padding-right: 10px; overflow-wrap: anywhere; vertical-align: middle;
}
table.migration td {
  text-align: center; padding: 6px 4px; border: 2px solid #fff; border-radius: 4px;
}
table.migration td.stay { box-shadow: inset 0 0 0 2px rgba(31, 41, 51, .55); }
table.migration td.zero { color: #c3c9d2; }
table.migration td.total { font-weight: 600; background: var(--panel); }
.note { background: var(--panel); border-radius: 8px; padding: 14px 16px; color: var(--muted); }
.quality { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.ok { color: #1a7f4e; font-weight: 600; }
.warn { color: #b5401f; font-weight: 600; }
footer { margin-top: 24px; color: var(--faint); font-size: 12.5px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 12.5px; }
@media screen and (max-width: 900px) {
  main { margin: 0; padding: 24px 18px; border-radius: 0; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
  .charts, .quality { grid-template-columns: 1fr; }
}
/* Print: A4 portrait, the same layout scaled down; long tables may break between rows. */
@page { size: A4; margin: 12mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; border-radius: 0; }
  h1 { font-size: 22px; }
  h2 { font-size: 16px; break-after: avoid; }
  header, #grid, #distributions, #quality { break-inside: avoid; }
  section { padding: 12px 0 4px; }
  footer { margin-top: 8px; break-before: avoid; }
  .lead { margin-bottom: 10px; font-size: 12px; }
  .kpis { margin-top: 14px; gap: 8px; }
  .kpi { padding: 8px 12px; }
  .kpi .value { font-size: 18px; }
  .kpi .label { font-size: 11px; }
  .grid-wrap { gap: 10px; }
  table.rfm td.cell { width: 104px; height: 60px; padding: 4px 6px; }
  .cell .name, .cell .revenue { font-size: 9.5px; }
  .cell .count { font-size: 15px; }
  .legend { width: 100%; columns: 4; }
  .legend li { font-size: 11px; padding: 1px 0; }
  table.data { font-size: 11px; }
  table.data td { padding: 5px 6px; }
  .desc, .action, .bar .pct { font-size: 10.5px; }
  .bar svg { width: 64px; height: 12px; }
  .bar .pct { width: 40px; }
  table.data tr, .chart { break-inside: avoid; }
  table.migration { font-size: 10.5px; }
  table.migration th { font-size: 9px; }
  table.migration td { padding: 1px 2px; }
}
""".replace("__ACCENT__", ACCENT)
