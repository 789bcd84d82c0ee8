"""Write a weekly Report as a CSV and an HTML page with matplotlib charts embedded as PNG."""
from __future__ import annotations

import base64
import csv
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in cron

import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from matplotlib import font_manager  # noqa: E402

from insights.report import METRICS, Report  # noqa: E402

LABELS = {
    "solved": "Tickets solved",
    "public_replies": "Public replies",
    "median_first_reply_min": "Median first reply (min)",
    "median_resolution_min": "Median full resolution (min)",
    "satisfaction": "Satisfaction (good / rated)",
    "one_touch_rate": "One-touch rate",
}
RATIOS = {"satisfaction", "one_touch_rate"}
# Latin first, then CJK fonts (Debian's fonts-noto-cjk, fonts-wqy-zenhei): matplotlib takes each glyph from
# the first font of the list that has it, so "王伟" is drawn instead of boxes.
FONTS = ("DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback")


def font_family() -> list[str]:
    """The fonts of FONTS that are installed, in order (matplotlib's default when none is)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in FONTS if name in installed] or ["sans-serif"]


def chart_style() -> dict[str, object]:
    """matplotlib settings for the charts: agent names stay plain text (mathtext broke on "$\\frac$")."""
    return {"text.parse_math": False, "text.usetex": False, "font.family": font_family()}


def fmt(metric: str, value: float | None) -> str:
    """A figure as shown in the HTML ("–" when there is nothing to measure)."""
    if value is None:
        return "–"
    if metric in RATIOS:
        return f"{value:.0%}"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def csv_value(value: float | None) -> str:
    """A figure as written to the CSV (empty when there is nothing to measure)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}".rstrip("0")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV-injection list


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet won't run as a formula (one starting with = + - @ tab or carriage return)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(report: Report, path: Path) -> None:
    """One row per agent: each metric followed by the team median of that metric."""
    header = ["week", "agent_id", "agent"]
    for m in METRICS:
        header += [m, f"{m}_team_median"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in report.rows:
            line = [report.week, str(row.agent_id), safe_cell(row.name)]
            for m in METRICS:
                line += [csv_value(getattr(row, m)), csv_value(report.team_median[m])]
            writer.writerow(line)


def charts(report: Report) -> str:
    """One PNG (base64) with a bar chart per metric: each agent's value and the team median line."""
    rows = report.rows
    names = [r.name for r in rows]
    height = max(3.0, 0.22 * len(rows) + 1.2)
    # One figure for all metrics: a single render is several times cheaper than six.
    with plt.rc_context(chart_style()):
        return _draw(report, names, height)


def _draw(report: Report, names: list[str], height: float) -> str:
    rows = report.rows
    fig, axes = plt.subplots(2, 3, figsize=(15, 2 * height), dpi=72, sharey=True)
    try:
        for ax, metric in zip(axes.flat, METRICS, strict=True):
            ax.barh(names, [getattr(r, metric) or 0 for r in rows], color="#3b82f6")
            team = report.team_median[metric]
            if team is not None:
                ax.axvline(team, color="#dc2626", linestyle="--", label=f"team median {fmt(metric, team)}")
                ax.legend(loc="lower right", fontsize=8)
            ax.set_title(LABELS[metric], fontsize=11)
            ax.tick_params(labelsize=8)
        axes[0][0].invert_yaxis()
        fig.subplots_adjust(left=0.12, right=0.98, top=0.95, bottom=0.04, wspace=0.08, hspace=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def write_html(report: Report, path: Path) -> None:
    """A self-contained page: the table (value and team median per cell) and one chart per metric."""
    head = "".join(f"<th>{html.escape(LABELS[m])}</th>" for m in METRICS)
    body = []
    for row in report.rows:
        cells = "".join(
            f"<td>{fmt(m, getattr(row, m))} <small>(team {fmt(m, report.team_median[m])})</small></td>"
            for m in METRICS)
        body.append(f"<tr><td>{html.escape(row.name)}</td>{cells}</tr>")
    team = "".join(f"<td>{fmt(m, report.team_median[m])}</td>" for m in METRICS)
    figure = (f'<figure><img alt="Each metric per agent, with the team median" '
              f'src="data:image/png;base64,{charts(report)}"></figure>'
              if report.rows else "<p>No agent activity this week.</p>")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agent activity {html.escape(report.week)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}td:first-child{{text-align:left}}
small{{color:#666}}img{{max-width:100%}}</style></head>
<body><h1>Agent activity, week {html.escape(report.week)}</h1>
<table><thead><tr><th>Agent</th>{head}</tr></thead><tbody>{''.join(body)}</tbody>
<tfoot><tr><th>Team median</th>{team}</tr></tfoot></table>
{figure}
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def write(report: Report, out_dir: Path) -> tuple[Path, Path]:
    """Write agent-activity-<week>.html and .csv into out_dir (created if needed); returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"agent-activity-{report.week}.html"
    csv_path = out_dir / f"agent-activity-{report.week}.csv"
    # Write beside and rename, so a reader never sees half a report.
    for target, writer in ((csv_path, write_csv), (html_path, write_html)):
        tmp = target.with_suffix(target.suffix + ".tmp")
        writer(report, tmp)
        tmp.replace(target)
    return html_path, csv_path
