"""Charts for the website as SVG images (each page also gives the chart's figures as a
table beside it, so nothing depends on the picture or on colour)."""
from __future__ import annotations

from collections.abc import Sequence

from .markup import esc

# fills with text that reads on them (the PDF's RAG colours)
FILLS = {"Red": ("#b42318", "#ffffff"), "Amber": ("#f4b740", "#1b1f24"), "Green": ("#1e7b46", "#ffffff")}


def bar_chart(title: str, bars: Sequence[tuple[str, int]], width: int = 400) -> str:
    """Horizontal bars, each labelled with its name and its value, as a standalone SVG file."""
    row, top, left = 34, 34, 70
    height = top + row * len(bars) + 10
    top_value = max([v for _, v in bars] + [1])
    span = width - left - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t">',
             f'<title id="t">{esc(title)}</title>',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="10" y="20" font-family="Arial, sans-serif" font-size="14" font-weight="700" '
             f'fill="#1b1f24">{esc(title)}</text>']
    for n, (label, value) in enumerate(bars):
        y = top + n * row
        fill, _ink = FILLS.get(label, ("#17324d", "#ffffff"))
        w = max(2, round(span * value / top_value)) if value else 0
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-family="Arial, '
                     f'sans-serif" font-size="13" fill="#1b1f24">{esc(label)}</text>')
        if w:
            parts.append(f'<rect x="{left}" y="{y + 2}" width="{w}" height="22" fill="{fill}" '
                         'stroke="#1b1f24" stroke-width="0.5"/>')
        parts.append(f'<text x="{left + w + 6}" y="{y + 18}" font-family="Arial, sans-serif" '
                     f'font-size="13" font-weight="700" fill="#1b1f24">{value}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
