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
from kpi.fmt import MONTHS_RU, fmt_int, fmt_pct
from kpi.quarter import QuarterSummary
from ui import texts

SEPARATORS = ",\u00a0"  # decimal comma, NBSP thousands (as kpi.fmt)
FONT = dict(family="Source Sans Pro, Segoe UI, Arial, sans-serif", size=14, color="#1f2937")

RED_BAND, AMBER_BAND, GREEN_BAND = "#fbe3e4", "#fdf1d6", "#dcf1e4"
RED, AMBER, GREEN, BLUE, GREY = "#c62828", "#e69a00", "#2e7d32", "#1f5fa8", "#6b7280"
MARKER = "#b71c1c"


def plotly_text(text: object) -> str:
    """Text from a file, for a Plotly label: Plotly reads a few HTML tags in labels, so escape them."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def share(count: int | None, base: int) -> float | None:
    """Exact share in percent (no rounding), None without a base or count."""
    if count is None or base <= 0:
        return None
    return 100.0 * count / base


def _axis_max(value: float | None) -> float:
    top = max(100.0, value or 0.0)
    return float(math.ceil(top / 10.0) * 10)


def gauge(value: float | None, milestone: float, title: str, subtitle: str, bar_color: str) -> go.Figure:
    """A gauge from 0 to ≥100 %: bands 0–milestone (red), milestone–target (amber), target–max (green),
    the month's milestone as the threshold marker."""
    top = _axis_max(value)
    target = float(rules.TARGET_PCT)
    low = min(milestone, target)
    ticks = sorted({0.0, milestone, target, top})
    fig = go.Figure(go.Indicator(
        mode="gauge+number",
        value=value if value is not None else 0.0,
        number={"suffix": " %", "valueformat": ".1f", "font": {"size": 46, "color": bar_color}},
        title={"text": f"<b>{title}</b><br><span style='font-size:13px;color:{GREY}'>{subtitle}</span>",
               "font": {"size": 16}},
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
    fig.update_layout(height=290, margin=dict(l=30, r=30, t=80, b=10), separators=SEPARATORS, font=FONT,
                      paper_bgcolor="rgba(0,0,0,0)")
    return fig


def _status_color(s: QuarterSummary) -> str:
    if s.target_met:
        return GREEN
    return BLUE if s.milestone_met else RED


def qtd_gauge(s: QuarterSummary) -> go.Figure:
    ms = fmt_pct(s.milestone_pct, 0)
    return gauge(share(s.active_qtd, s.base), s.milestone_pct, f"{texts.QTD_LABEL}: {texts.qtd_span(s)}",
                 f"{fmt_int(s.active_qtd)} из {fmt_int(s.base)} · ориентир месяца {ms} — красная отметка · норматив "
                 f"{fmt_pct(rules.TARGET_PCT, 0)}", _status_color(s))


def window_gauge(s: QuarterSummary) -> go.Figure:
    return gauge(share(s.active_window, s.base), s.milestone_pct, texts.WINDOW_LABEL,
                 f"{fmt_int(s.active_window)} из {fmt_int(s.base)} · {texts.window_span(s)} · для сверки с кабинетом",
                 GREY)


def quarter_chart(s: QuarterSummary) -> go.Figure:
    """Quarter-to-date share after each month (bars) against the month milestones and the target."""
    m = s.months
    names = [f"{MONTHS_RU[p.month - 1].capitalize()}<br><span style='color:{MARKER}'>ориентир {fmt_pct(v, 0)}</span>"
             for p, v in zip(m["month"], m["milestone_pct"], strict=True)]
    pct = [share(None if pd.isna(v) else int(v), s.base) for v in m["active_qtd"]]
    colors = [GREY if v is None else (GREEN if met else RED)
              for v, met in zip(pct, m["milestone_met"].fillna(False), strict=True)]
    fig = go.Figure()
    fig.add_bar(x=names, y=[v if v is not None else 0 for v in pct], name="С начала квартала",
                marker_color=colors, text=[fmt_pct(v) if v is not None else "нет данных" for v in pct],
                textposition="outside", hovertemplate="%{x}: %{y:.1f} %<extra></extra>")
    fig.add_scatter(x=names, y=list(m["milestone_pct"]), name="Ориентир месяца", mode="markers",
                    marker=dict(symbol="line-ew", size=84, line=dict(color=MARKER, width=3)),
                    hovertemplate="%{x}: ориентир %{y:.0f} %<extra></extra>")
    fig.add_hline(y=rules.TARGET_PCT, line=dict(color=GREEN, dash="dash", width=1.5),
                  annotation_text=f"норматив {fmt_pct(rules.TARGET_PCT, 0)}", annotation_position="top left",
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
    fig.add_bar(y=t["category"], x=t["never"], orientation="h", name="Ни разу не запускали", marker_color=RED,
                hovertemplate="%{y}: %{x}<extra>ни разу</extra>")
    fig.add_bar(y=t["category"], x=t["not_launched"] - t["never"], orientation="h",
                name="Запускали раньше", marker_color=AMBER, hovertemplate="%{y}: %{x}<extra>раньше</extra>")
    fig.update_layout(barmode="stack", height=max(220, 46 * len(t) + 90), margin=dict(l=10, r=10, t=10, b=10),
                      separators=SEPARATORS, font=FONT, legend=dict(orientation="h", y=-0.15),
                      xaxis=dict(title="Пользователей без запуска в периоде", gridcolor="#eef1f5"),
                      plot_bgcolor="white", paper_bgcolor="rgba(0,0,0,0)")
    return fig
