"""Charts as inline SVG: nothing is loaded from anywhere when the page is opened."""

from html import escape
from typing import List, Sequence, Tuple

ACCENT = "#1f6f5c"
COLOURS = ("#1f6f5c", "#c98a00", "#8a1c1c", "#4a6fa5", "#7a5c99", "#4a555c")


def columns(title: str, points: Sequence[Tuple[str, int]], figure: str) -> str:
    """A column per point (per day): labelled below, the value above."""
    width, height, gap = 640, 200, 6
    count = max(len(points), 1)
    step = (width - 40) / count
    top = max([value for _, value in points] or [1]) or 1
    parts: List[str] = []
    for index, (label, value) in enumerate(points):
        bar = (height - 50) * value / top
        x = 30 + index * step
        y = height - 30 - bar
        parts.append(
            f'<rect x="{x + gap / 2:.1f}" y="{y:.1f}" width="{max(step - gap, 2):.1f}" height="{bar:.1f}" fill="{ACCENT}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="value">{value}</text>'
            f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle" class="label">{escape(label)}</text>'
        )
    return _svg(title, figure, width, height, "".join(parts))


def bars(title: str, items: Sequence[Tuple[str, int]], figure: str) -> str:
    """A horizontal bar per item, largest first, with its count."""
    width, row = 640, 26
    height = max(row * len(items), row) + 10
    top = max([value for _, value in items] or [1]) or 1
    parts: List[str] = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * row
        length = 360 * value / top
        parts.append(
            f'<g data-label="{escape(label)}" data-value="{value}">'
            f'<text x="190" y="{y + 17}" text-anchor="end" class="label">{escape(label)}</text>'
            f'<rect x="200" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{ACCENT}"></rect>'
            f'<text x="{206 + length:.1f}" y="{y + 17}" class="value">{value}</text></g>'
        )
    return _svg(title, figure, width, height, "".join(parts))


def shares(title: str, items: Sequence[Tuple[str, int]], figure: str) -> str:
    """One bar split into the items' shares, with a legend giving counts and percentages."""
    width, height = 640, 90
    total = sum(value for _, value in items) or 1
    parts: List[str] = []
    x = 0.0
    for index, (label, value) in enumerate(items):
        length = (width - 20) * value / total
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<rect x="{10 + x:.1f}" y="10" width="{length:.1f}" height="28" fill="{colour}"><title>{escape(label)}</title></rect>'
        )
        parts.append(
            f'<g data-label="{escape(label)}" data-value="{value}">'
            f'<rect x="{10 + index * 210}" y="54" width="12" height="12" fill="{colour}"></rect>'
            f'<text x="{28 + index * 210}" y="65" class="label">{escape(label)}: {value} ({100 * value / total:.0f}%)</text></g>'
        )
        x += length
    return _svg(title, figure, width, height, "".join(parts))


def _svg(title: str, figure: str, width: int, height: int, body: str) -> str:
    return (
        f'<figure data-figure="{escape(figure)}"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">{body}</svg></figure>'
    )
