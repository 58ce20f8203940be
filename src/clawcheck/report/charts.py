"""Inline SVG charts, drawn in Python: the HTML report loads nothing and runs no script.

Each function returns one `<svg class="chart" data-chart="KIND">` element (no XML namespace
needed inside HTML5; every text escaped). Scales are plain functions; axes get "nice"
ticks (1-2-5 steps, or decades on a log scale).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape

from clawcheck.report.i18n import Texts
from clawcheck.report.loadview import Bin, SeriesPoint

__all__ = ["errors_svg", "histogram_svg", "log_ticks", "nice_ticks", "percentile_svg", "series_svg"]

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 34, 46
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SLA_COLOUR, P95_COLOUR, LINE_COLOUR = "#c62828", "#1565c0", "#1565c0"
BAR_COLOUR, FAIL_COLOUR = "#90a4ae", "#e57373"
# Percentile ticks on the "nines" axis: position -log10(1 - p) and label.
PERCENTILE_TICKS = ((0.0, "0"), (math.log10(2), "50"), (1.0, "90"), (2.0, "99"), (3.0, "99.9"),
                    (4.0, "99.99"), (5.0, "99.999"))  # fmt: skip
MAX_ERROR_BARS = 12

Scale = Callable[[float], float]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def fmt_ms(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round ticks (1, 2, 5 × 10^k apart) from at or below `low` to at or above `high`."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = [round(first, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(first + len(ticks) * step, 10))
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks within low..high on a log axis (decades only when the range is wide)."""
    multipliers = (1, 2, 5) if high / low < 1e3 else (1,)
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in multipliers:
            value = m * 10.0**exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks or [low, high]


def _open(kind: str, label: str, height: int = HEIGHT) -> list[str]:
    title = escape(label)
    return [
        f'<svg class="chart" data-chart="{kind}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{title}</title>",
        f'<text class="chart-title" x="{LEFT}" y="18">{title}</text>',
    ]


def _frame(x_label: str, y_label: str, right_label: str | None = None) -> list[str]:
    bottom = TOP + PLOT_H
    parts = [
        f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{PLOT_W}" height="{PLOT_H}" '
        'fill="none" stroke="#bbb"/>',
        f'<text class="axis-label" x="{LEFT + PLOT_W / 2}" y="{bottom + 38}" text-anchor="middle">'
        f"{escape(x_label)}</text>",
        f'<text class="axis-label" transform="translate(14 {TOP + PLOT_H / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>',
    ]
    if right_label:
        parts.append(
            f'<text class="axis-label" transform="translate({WIDTH - 12} {TOP + PLOT_H / 2}) rotate(90)" '
            f'text-anchor="middle">{escape(right_label)}</text>'
        )
    return parts


def _x_ticks(ticks: Iterable[tuple[float, str]], sx: Scale) -> list[str]:
    bottom = TOP + PLOT_H
    parts = []
    for value, label in ticks:
        x = _num(sx(value))
        parts.append(f'<line class="grid" x1="{x}" y1="{TOP}" x2="{x}" y2="{bottom}" stroke="#eee"/>')
        parts.append(
            f'<text class="tick" x="{x}" y="{bottom + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _y_ticks(ticks: Iterable[tuple[float, str]], sy: Scale, *, right: bool = False) -> list[str]:
    parts = []
    for value, label in ticks:
        y = _num(sy(value))
        if right:
            parts.append(
                f'<text class="tick" x="{LEFT + PLOT_W + 6}" y="{y}" dy="4" text-anchor="start">'
                f"{escape(label)}</text>"
            )
        else:
            parts.append(
                f'<line class="grid" x1="{LEFT}" y1="{y}" x2="{LEFT + PLOT_W}" y2="{y}" stroke="#eee"/>'
            )
            parts.append(
                f'<text class="tick" x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end">{escape(label)}</text>'
            )
    return parts


def _linear(low: float, high: float, start: float, end: float) -> Scale:
    span = (high - low) or 1.0
    return lambda v: start + (v - low) / span * (end - start)


def _log(low: float, high: float, start: float, end: float) -> Scale:
    span = math.log(high / low) or 1.0
    return lambda v: start + math.log(max(v, low) / low) / span * (end - start)


def _vline(x: float, colour: str, cls: str, label: str, row: int = 0) -> list[str]:
    """A dashed vertical marker; its label sits in `row` (0, 1) so two close markers stay readable."""
    xs = _num(x)
    # Near the right edge the label goes on the left of its line, inside the plot.
    anchor, dx = ("end", -4) if x > LEFT + PLOT_W * 0.7 else ("start", 4)
    return [
        f'<line class="{cls}" x1="{xs}" y1="{TOP}" x2="{xs}" y2="{TOP + PLOT_H}" stroke="{colour}" '
        'stroke-width="1.5" stroke-dasharray="6 3"/>',
        f'<text class="{cls}-label" x="{_num(x + dx)}" y="{TOP + 12 + 14 * row}" fill="{colour}" '
        f'text-anchor="{anchor}">{escape(label)}</text>',
    ]


def _hline(y: float, colour: str, cls: str, label: str) -> list[str]:
    ys = _num(y)
    return [
        f'<line class="{cls}" x1="{LEFT}" y1="{ys}" x2="{LEFT + PLOT_W}" y2="{ys}" stroke="{colour}" '
        'stroke-width="1.5" stroke-dasharray="6 3"/>',
        f'<text class="{cls}-label" x="{LEFT + 6}" y="{_num(y - 5)}" fill="{colour}">{escape(label)}</text>',
    ]


def sla_label(t: Texts, sla_ms: float) -> str:
    return f"{t('sla_p95')} ≤ {fmt_ms(sla_ms)} ms"


def histogram_svg(bins: Sequence[Bin], t: Texts, *, p95_ms: float | None, sla_ms: float | None) -> str:
    """Response counts over log-spaced latency bins, with the measured P95 and the SLA as lines."""
    parts = _open("histogram", t("chart.histogram"))
    low = min(b.low_ms for b in bins)
    high = max(b.high_ms for b in bins)
    if sla_ms is not None and sla_ms > 0:
        low, high = min(low, sla_ms / 1.25), max(high, sla_ms * 1.25)
    if high <= low * 1.01:
        low, high = low / 1.5, high * 1.5
    sx = _log(low, high, LEFT, LEFT + PLOT_W)
    top = max(b.count for b in bins) or 1
    ticks_y = nice_ticks(0, top, 4)
    sy = _linear(0, ticks_y[-1], TOP + PLOT_H, TOP)
    parts += _frame(t("axis.latency_ms"), t("axis.count"))
    parts += _x_ticks(((v, fmt_ms(v)) for v in log_ticks(low, high)), sx)
    parts += _y_ticks(((v, f"{v:g}") for v in ticks_y), sy)
    for b in bins:
        if not b.count:
            continue
        x0, x1 = sx(b.low_ms), max(sx(b.high_ms), sx(b.low_ms) + 1.0)
        y = sy(b.count)
        parts.append(
            f'<rect class="bar" x="{_num(x0)}" y="{_num(y)}" width="{_num(max(x1 - x0 - 0.5, 0.8))}" '
            f'height="{_num(TOP + PLOT_H - y)}" fill="{BAR_COLOUR}">'
            f"<title>{fmt_ms(b.low_ms)}–{fmt_ms(b.high_ms)} ms: {b.count}</title></rect>"
        )
    if p95_ms is not None:
        parts += _vline(sx(p95_ms), P95_COLOUR, "p95", f"P95 {fmt_ms(p95_ms)} ms")
    if sla_ms is not None:
        parts += _vline(sx(sla_ms), SLA_COLOUR, "sla", sla_label(t, sla_ms), row=1)
    parts.append("</svg>")
    return "\n".join(parts)


def percentile_svg(curve: Sequence[tuple[float, float]], t: Texts, *, sla_ms: float | None) -> str:
    """Latency (y) by percentile (x, log scale in nines: 50, 90, 99, 99.9), with the SLA P95 line."""
    parts = _open("percentiles", t("chart.percentiles"))
    right = max(x for x, _ in curve)
    top = max(y for _, y in curve)
    if sla_ms is not None:
        top = max(top, sla_ms)
    ticks_y = nice_ticks(0, top * 1.08, 5)
    sx = _linear(0, right, LEFT, LEFT + PLOT_W)
    sy = _linear(0, ticks_y[-1], TOP + PLOT_H, TOP)
    parts += _frame(t("axis.percentile"), t("axis.latency_ms"))
    parts += _x_ticks(((x, label) for x, label in PERCENTILE_TICKS if x <= right + 1e-9), sx)
    parts += _y_ticks(((v, fmt_ms(v)) for v in ticks_y), sy)
    points = " ".join(f"{_num(sx(x))},{_num(sy(y))}" for x, y in curve)
    parts.append(
        f'<polyline class="curve" points="{points}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'
    )
    p95_x = math.log10(20)  # -log10(1 - 0.95)
    if p95_x <= right:
        # The curve's value at P95, from the nearest computed point (they are 0.05 nines apart).
        p95_y = min(curve, key=lambda point: abs(point[0] - p95_x))[1]
        parts.append(
            f'<circle class="p95-point" cx="{_num(sx(p95_x))}" cy="{_num(sy(p95_y))}" r="4" '
            f'fill="{P95_COLOUR}">'
            f"<title>P95 {fmt_ms(p95_y)} ms</title></circle>"
        )
        parts += _vline(sx(p95_x), P95_COLOUR, "p95", "P95")
    if sla_ms is not None:
        parts += _hline(sy(sla_ms), SLA_COLOUR, "sla", sla_label(t, sla_ms))
    parts.append("</svg>")
    return "\n".join(parts)


def series_svg(points: Sequence[SeriesPoint], t: Texts) -> str:
    """Requests per second as bars (failures stacked in red) and the per-second P95 as a line."""
    parts = _open("series", t("chart.series"))
    last = max(p.second for p in points) + 1
    sx = _linear(0, last, LEFT, LEFT + PLOT_W)
    ticks_req = nice_ticks(0, max(p.requests for p in points) or 1, 4)
    ticks_p95 = nice_ticks(0, (max(p.p95_ms for p in points) or 1.0) * 1.05, 4)
    sy = _linear(0, ticks_req[-1], TOP + PLOT_H, TOP)
    sp = _linear(0, ticks_p95[-1], TOP + PLOT_H, TOP)
    parts += _frame(t("axis.seconds"), t("rps"), t("axis.p95_ms"))
    parts += _x_ticks(((v, f"{v:g}") for v in nice_ticks(0, last, 6) if v <= last), sx)
    parts += _y_ticks(((v, f"{v:g}") for v in ticks_req), sy)
    parts += _y_ticks(((v, fmt_ms(v)) for v in ticks_p95), sp, right=True)
    width = max(PLOT_W / last - 1.0, 0.8)
    for p in points:
        x = _num(sx(p.second) + 0.5)
        ok = p.requests - p.failures
        y_ok, y_all = sy(ok), sy(p.requests)
        tip = f"{p.second} s: {p.requests} ({p.failures} {t('legend.failed')}), P95 {fmt_ms(p.p95_ms)} ms"
        parts.append(
            f'<rect class="bar" x="{x}" y="{_num(y_ok)}" width="{_num(width)}" '
            f'height="{_num(TOP + PLOT_H - y_ok)}" fill="{BAR_COLOUR}"><title>{escape(tip)}</title></rect>'
        )
        if p.failures:
            parts.append(
                f'<rect class="bar-failed" x="{x}" y="{_num(y_all)}" width="{_num(width)}" '
                f'height="{_num(y_ok - y_all)}" fill="{FAIL_COLOUR}"><title>{escape(tip)}</title></rect>'
            )
    line = " ".join(f"{_num(sx(p.second + 0.5))},{_num(sp(p.p95_ms))}" for p in points)
    parts.append(
        f'<polyline class="p95-line" points="{line}" fill="none" stroke="{P95_COLOUR}" stroke-width="2"/>'
    )
    legend_y = TOP - 8
    parts += [
        f'<rect x="{LEFT + PLOT_W - 250}" y="{legend_y - 9}" width="10" height="10" fill="{BAR_COLOUR}"/>',
        f'<text class="legend" x="{LEFT + PLOT_W - 236}" y="{legend_y}">{escape(t("legend.ok"))}</text>',
        f'<rect x="{LEFT + PLOT_W - 180}" y="{legend_y - 9}" width="10" height="10" fill="{FAIL_COLOUR}"/>',
        f'<text class="legend" x="{LEFT + PLOT_W - 166}" y="{legend_y}">{escape(t("legend.failed"))}</text>',
        f'<line x1="{LEFT + PLOT_W - 110}" y1="{legend_y - 4}" x2="{LEFT + PLOT_W - 92}" y2="{legend_y - 4}" '
        f'stroke="{P95_COLOUR}" stroke-width="2"/>',
        f'<text class="legend" x="{LEFT + PLOT_W - 88}" y="{legend_y}">P95</text>',
    ]
    parts.append("</svg>")
    return "\n".join(parts)


def errors_svg(codes: Mapping[str, int], t: Texts) -> str:
    """Failed requests by error code (the body's `code`, else HTTP_<status> / NO_RESPONSE), largest first."""
    ranked = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > MAX_ERROR_BARS:
        rest = sum(n for _, n in ranked[MAX_ERROR_BARS - 1 :])
        ranked = [*ranked[: MAX_ERROR_BARS - 1], ("…", rest)]
    row, label_w = 22, 200
    height = TOP + row * len(ranked) + 16
    parts = _open("errors", t("chart.errors"), height)
    top = max(n for _, n in ranked) or 1
    bar_max = WIDTH - label_w - 80
    for index, (code, n) in enumerate(ranked):
        y = TOP + index * row
        width = max(bar_max * n / top, 1.0)
        label = code if len(code) <= 28 else code[:27] + "…"
        parts += [
            f'<text class="tick" x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(label)}</text>',
            f'<rect class="bar-failed" x="{label_w}" y="{y + 3}" width="{_num(width)}" height="{row - 6}" '
            f'fill="{FAIL_COLOUR}"><title>{escape(code)}: {n}</title></rect>',
            f'<text class="tick" x="{_num(label_w + width + 6)}" y="{y + 14}">{n}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
