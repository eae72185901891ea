"""A process result as one self-contained HTML file (the CLI's `--html`): the map's SVG and
the tables, with their own styles, to mail or open without the app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif;
       margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #666; } .map { overflow-x: auto; }
"""


@dataclass(frozen=True)
class Section:
    """A titled table: its headings, its rows of cells (already written for people)."""

    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()


def report_html(
    title: str, notes: Sequence[str], svg: str | None, sections: Sequence[Section]
) -> str:
    """The page: title, notes, the SVG (trusted: it is our own rendering), then each table."""
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        *(f'<p class="muted">{escape(n)}</p>' for n in notes),
    ]
    if svg:
        out.append(f'<div class="map">{svg}</div>')
    for s in sections:
        out.append(f"<h2>{escape(s.title)}</h2><table><thead><tr>")
        out += [
            f"<th{' class=num' if i in s.numeric else ''}>{escape(h)}</th>"
            for i, h in enumerate(s.headings)
        ]
        out.append("</tr></thead><tbody>")
        for row in s.rows:
            out.append(
                "<tr>"
                + "".join(
                    f"<td{' class=num' if i in s.numeric else ''}>{escape(c)}</td>"
                    for i, c in enumerate(row)
                )
                + "</tr>"
            )
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)
