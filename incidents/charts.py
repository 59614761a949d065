"""Geometry for the server-rendered SVG charts on the stats page.

The numbers come from incidents.stats (aggregated by the database); this only
turns a few dozen rows into coordinates, so the chart needs no JavaScript.
"""

import math

WIDTH, HEIGHT = 800, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 40
MAX_LABELS = 12


def _nice_max(value):
    """The smallest 1/2/5 x 10^n at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exponent >= value:
            return step * exponent
    return 10 * exponent  # pragma: no cover - the loop always returns


def _frame(rows, label):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows) if rows else plot_w
    every = max(1, math.ceil(len(rows) / MAX_LABELS))
    labels = [
        {"x": round(LEFT + (i + 0.5) * slot, 2), "text": label(row["period"])}
        for i, row in enumerate(rows)
        if i % every == 0
    ]
    return plot_w, plot_h, slot, labels


def bars(rows, label):
    """Two bars (launched, intercepted) per period, with y-axis ticks."""
    plot_w, plot_h, slot, labels = _frame(rows, label)
    top = _nice_max(max((r["drones_launched"] for r in rows), default=0))
    top = max(top, _nice_max(max((r["drones_intercepted"] for r in rows), default=0)))
    bar_w = round(slot * 0.4, 2)
    baseline = TOP + plot_h

    def bar(x, value):
        h = round(plot_h * value / top, 2)
        return {"x": round(x, 2), "y": round(baseline - h, 2), "h": h, "w": bar_w}

    groups = []
    for i, row in enumerate(rows):
        x = LEFT + i * slot + slot * 0.1
        groups.append(
            {
                "row": row,
                "launched": bar(x, row["drones_launched"]),
                "intercepted": bar(x + bar_w, row["drones_intercepted"]),
            }
        )
    ticks = [
        {"y": round(baseline - plot_h * k / 4, 2), "value": top * k // 4}
        for k in range(5)
    ]
    return _chart(groups, ticks, labels, baseline)


def rate_line(rows, label):
    """Interception rate per period as a polyline (gaps where unknown)."""
    plot_w, plot_h, slot, labels = _frame(rows, label)
    baseline = TOP + plot_h
    points = [
        {
            "x": round(LEFT + (i + 0.5) * slot, 2),
            "y": round(baseline - plot_h * row["interception_rate"], 2),
            "row": row,
        }
        for i, row in enumerate(rows)
        if row["interception_rate"] is not None
    ]
    ticks = [
        {"y": round(baseline - plot_h * k / 4, 2), "value": k / 4} for k in range(5)
    ]
    chart = _chart(points, ticks, labels, baseline)
    chart["polyline"] = " ".join(f"{p['x']},{p['y']}" for p in points)
    return chart


def _chart(items, ticks, labels, baseline):
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "label_y": baseline + 18,
        "items": items,
        "ticks": ticks,
        "labels": labels,
    }
