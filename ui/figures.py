"""Plotly figures: the quarter gauges, the quarter at a glance, 1С-Бухфон by category.

Numbers are shown the Russian way (``separators`` = decimal comma, no-break space between thousands).
The gauge's value is the exact share (100·count/base), so a reader of the figure gets the number ``kpi``
computed, not a rounded one.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from kpi import rules
from kpi import texts as T
from kpi.compute.quarter import QuarterSummary, share_pct
from kpi.fmt import MONTHS_RU, fmt_int, fmt_pct
from ui import texts

SEPARATORS = ",\u00a0"  # decimal comma, NBSP thousands (as kpi.fmt)
FONT = dict(family="Source Sans Pro, Segoe UI, Arial, sans-serif", size=14, color="#1f2937")

RED_BAND, AMBER_BAND, GREEN_BAND = "#fbe3e4", "#fdf1d6", "#dcf1e4"
RED, AMBER, GREEN, BLUE, GREY = "#c62828", "#e69a00", "#2e7d32", "#1f5fa8", "#6b7280"
MARKER = "#b71c1c"


def plotly_text(text: object) -> str:
    """Text from a file, for a Plotly label: Plotly reads a few HTML tags in labels, so escape them."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _axis_max(value: float | None) -> float:
    top = max(100.0, value or 0.0)
    return float(math.ceil(top / 10.0) * 10)


def gauge(value: float | None, milestone: float, title: str, subtitle: str | list[str], bar_color: str) -> go.Figure:
    """A gauge from 0 to ≥100 %: bands 0–milestone (red), milestone–target (amber), target–max (green),
    the month's milestone as the threshold marker. ``subtitle`` lines go under the title, one per line
    (Plotly does not wrap a title: short lines keep it readable in a narrow column)."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    sub = "<br>".join(f"<span style='font-size:12px;color:{GREY}'>{line}</span>" for line in lines)
    top = _axis_max(value)
    target = float(rules.TARGET_PCT)
    low = min(milestone, target)
    ticks = sorted({0.0, milestone, target, top})
    fig = go.Figure(go.Indicator(
        mode="gauge+number",
        value=value if value is not None else 0.0,
        number={"suffix": " %", "valueformat": ".1f", "font": {"size": 46, "color": bar_color}},
        title={"text": f"<b>{title}</b><br>{sub}", "font": {"size": 15}},
        domain={"x": [0, 1], "y": [0, 1]},
        gauge={
            "shape": "angular",
            "axis": {"range": [0, top], "tickvals": ticks, "ticktext": [fmt_pct(v, 0) for v in ticks],
                     "tickfont": {"size": 12}, "ticks": ""},
            "bar": {"color": bar_color, "thickness": 0.32},
            "bgcolor": "white",
            "borderwidth": 0,
            "steps": [
                {"range": [0, low], "color": RED_BAND},
                {"range": [low, target], "color": AMBER_BAND},
                {"range": [target, top], "color": GREEN_BAND},
            ],
            "threshold": {"line": {"color": MARKER, "width": 4}, "thickness": 0.9, "value": milestone},
        },
    ))
    top_margin = 50 + 16 * len(lines)
    fig.update_layout(height=260 + top_margin - 50, margin=dict(l=36, r=36, t=top_margin, b=10),
                      separators=SEPARATORS, font=FONT, paper_bgcolor="rgba(0,0,0,0)")
    return fig


def _of(count: int, base: int) -> str:
    return T.FIG_OF.format(count=fmt_int(count), base=fmt_int(base))


def _status_color(s: QuarterSummary) -> str:
    if s.target_met:
        return GREEN
    return BLUE if s.milestone_met else RED


def qtd_gauge(s: QuarterSummary) -> go.Figure:
    ms = fmt_pct(s.milestone_pct, 0)
    return gauge(share_pct(s.active_qtd, s.base), s.milestone_pct, f"{T.QTD_LABEL}: {texts.qtd_span(s)}",
                 [T.FIG_QTD_SUB[0].format(of=_of(s.active_qtd, s.base), target=fmt_pct(rules.TARGET_PCT, 0)),
                  T.FIG_QTD_SUB[1].format(pct=ms)], _status_color(s))


def window_gauge(s: QuarterSummary) -> go.Figure:
    return gauge(share_pct(s.active_window, s.base), s.milestone_pct, T.WINDOW_TITLE,
                 [T.FIG_WINDOW_SUB[0].format(span=texts.window_span(s)),
                  T.FIG_WINDOW_SUB[1].format(of=_of(s.active_window, s.base))], GREY)


def quarter_chart(s: QuarterSummary) -> go.Figure:
    """Quarter-to-date share after each month (bars) against the month milestones and the target."""
    m = s.months
    names = [f"{MONTHS_RU[p.month - 1].capitalize()}<br><span style='color:{MARKER}'>"
             f"{T.FIG_MILESTONE_TICK.format(pct=fmt_pct(v, 0))}</span>"
             for p, v in zip(m["month"], m["milestone_pct"], strict=True)]
    pct = [share_pct(None if pd.isna(v) else int(v), s.base) for v in m["active_qtd"]]
    colors = [GREY if v is None else (GREEN if met else RED)
              for v, met in zip(pct, m["milestone_met"].fillna(False), strict=True)]
    fig = go.Figure()
    fig.add_bar(x=names, y=[v if v is not None else 0 for v in pct], name=T.QTD_LABEL,
                marker_color=colors, text=[fmt_pct(v) if v is not None else T.FIG_NO_DATA for v in pct],
                textposition="outside", hovertemplate="%{x}: %{y:.1f} %<extra></extra>")
    fig.add_scatter(x=names, y=list(m["milestone_pct"]), name=T.FIG_MILESTONE, mode="markers",
                    marker=dict(symbol="line-ew", size=84, line=dict(color=MARKER, width=3)),
                    hovertemplate="%{x}: " + T.FIG_MILESTONE_HOVER + "<extra></extra>")
    fig.add_hline(y=rules.TARGET_PCT, line=dict(color=GREEN, dash="dash", width=1.5),
                  annotation_text=T.FIG_TARGET.format(pct=fmt_pct(rules.TARGET_PCT, 0)), annotation_position="top left",
                  annotation_font_color=GREEN)
    top = max([rules.TARGET_PCT, *(v for v in pct if v is not None)]) * 1.2
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), separators=SEPARATORS, font=FONT,
                      yaxis=dict(range=[0, top], ticksuffix=" %", gridcolor="#eef1f5"), bargap=0.45,
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"), plot_bgcolor="white",
                      paper_bgcolor="rgba(0,0,0,0)")
    return fig


def category_chart(by_category: pd.DataFrame) -> go.Figure:
    """Non-launching users per category: never started and started before, stacked."""
    t = by_category[by_category["not_launched"] > 0].iloc[::-1]
    t = t.assign(category=t["category"].map(plotly_text))
    fig = go.Figure()
    fig.add_bar(y=t["category"], x=t["never"], orientation="h", name=T.FIG_NEVER, marker_color=RED,
                hovertemplate=f"%{{y}}: %{{x}}<extra>{T.FIG_NEVER_SHORT}</extra>")
    fig.add_bar(y=t["category"], x=t["not_launched"] - t["never"], orientation="h",
                name=T.FIG_BEFORE, marker_color=AMBER,
                hovertemplate=f"%{{y}}: %{{x}}<extra>{T.FIG_BEFORE_SHORT}</extra>")
    fig.update_layout(barmode="stack", height=max(220, 46 * len(t) + 90), margin=dict(l=10, r=10, t=10, b=10),
                      separators=SEPARATORS, font=FONT, legend=dict(orientation="h", y=-0.15),
                      xaxis=dict(title=T.FIG_NOT_LAUNCHED_AXIS, gridcolor="#eef1f5"),
                      plot_bgcolor="white", paper_bgcolor="rgba(0,0,0,0)")
    return fig


def history_chart(history: pd.DataFrame) -> go.Figure:
    """The saved months across quarters: the quarter-to-date share (bars, green when the month's milestone
    was met) with each month's milestone as a red mark, the target as a line, quarters separated."""
    h = history.sort_values("month").reset_index(drop=True)
    months = [pd.Period(m, freq="M") for m in h["month"]]
    x = list(range(len(h)))
    labels = [f"{MONTHS_RU[p.month - 1].capitalize()}<br>{p.year}" for p in months]
    colors = [GREEN if bool(met) else RED for met in h["milestone_met"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=list(h["active_qtd_pct"].astype(float)), name=T.QTD_LABEL, marker_color=colors,
                text=[fmt_pct(v) for v in h["active_qtd_pct"]], textposition="outside",
                customdata=[_of(a, b) for a, b in zip(h["active_qtd"], h["base"], strict=True)],
                hovertemplate="%{y:.1f} % · %{customdata}<extra></extra>")
    fig.add_scatter(x=x, y=list(h["milestone_pct"].astype(float)), name=T.FIG_MILESTONE, mode="markers",
                    marker=dict(symbol="line-ew", size=max(18, min(84, 600 // max(1, len(h)))),
                                line=dict(color=MARKER, width=3)),
                    hovertemplate=T.FIG_MILESTONE_HOVER + "<extra></extra>")
    fig.add_hline(y=rules.TARGET_PCT, line=dict(color=GREEN, dash="dash", width=1.5),
                  annotation_text=T.FIG_TARGET.format(pct=fmt_pct(rules.TARGET_PCT, 0)), annotation_position="top left",
                  annotation_font_color=GREEN)
    quarters = [p.asfreq("Q") for p in months]
    for i in range(1, len(quarters)):
        if quarters[i] != quarters[i - 1]:
            fig.add_vline(x=i - 0.5, line=dict(color=GREY, dash="dot", width=1))
    values = [float(v) for v in h["active_qtd_pct"]]
    top = max([rules.TARGET_PCT, *values]) * 1.2
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=40, b=10), separators=SEPARATORS, font=FONT,
                      xaxis=dict(tickvals=x, ticktext=labels, range=[-0.6, max(len(h), 3) - 0.4]),
                      yaxis=dict(range=[0, top], ticksuffix=" %", gridcolor="#eef1f5"), bargap=0.45,
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"), plot_bgcolor="white",
                      paper_bgcolor="rgba(0,0,0,0)")
    return fig
