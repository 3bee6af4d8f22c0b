"""Small render helpers for the public website: escaping, the page shell (a template file
in ``resources/web/``), tables with header cells, and file sizes.

Every value that came from the database goes through ``esc`` (``html.escape``) exactly once:
helpers take text and escape it; arguments named ``*_html`` are markup already made here.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from string import Template

from ..resources import resource_path


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def paras(text: str) -> str:
    """Plain text with blank-line paragraphs and line breaks, as HTML paragraphs."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "\n".join("<p>" + "<br>\n".join(esc(line) for line in b.splitlines()) + "</p>"
                     for b in blocks)


@cache
def template(name: str) -> Template:
    return Template(resource_path("web", name).read_text(encoding="utf-8"))


def static_text(name: str) -> str:
    return resource_path("web", name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Shell:
    """What every page of one site shares."""

    board: str
    council: str
    secretariat: str
    published: str  # dd/mm/yyyy


def page(shell: Shell, title: str, body_html: str, crumbs: Sequence[tuple[str, str | None]],
         root: str) -> str:
    """A whole page. ``crumbs``: (label, href or None for the current page); ``root``: the
    relative path back to the site's top ("" or "../../")."""
    items = []
    for label, href in crumbs:
        if href is None:
            items.append(f'<li><a href="#main" aria-current="page">{esc(label)}</a></li>')
        else:
            items.append(f'<li><a href="{esc(href)}">{esc(label)}</a></li>')
    return template("page.html").substitute(
        title=esc(f"{title} - {shell.board}"), root=root, board=esc(shell.board),
        council=esc(shell.council), crumbs="\n".join(items), body=body_html,
        secretariat=esc(shell.secretariat), published=esc(shell.published))


def table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], *,
          numeric: Iterable[int] = (), row_classes: Sequence[str] | None = None) -> str:
    """A data table: a caption, column headers, and each row's first cell as its row header.
    Cells are markup (escape text with ``esc`` first); ``numeric``: right-aligned columns.

    On a narrow screen (or at 400% zoom) the stylesheet lays each row out as a block, its
    cells labelled from ``data-label``; the explicit roles keep it a table to screen readers
    whatever the CSS display."""
    num = set(numeric)

    def cls(n: int) -> str:
        return ' class="num"' if n in num else ""

    out = ['<div class="table-wrap">', '<table role="table">', f"<caption>{esc(caption)}</caption>",
           '<thead role="rowgroup"><tr role="row">'
           + "".join(f'<th scope="col" role="columnheader"{cls(n)}>{esc(h)}</th>' for n, h in enumerate(head))
           + "</tr></thead>", '<tbody role="rowgroup">']
    for r, row in enumerate(rows):
        klass = f' class="{row_classes[r]}"' if row_classes and row_classes[r] else ""
        cells = [f'<th scope="row" role="rowheader" data-label="{esc(head[0])}">{row[0]}</th>']
        cells += [f'<td role="cell" data-label="{esc(head[n])}"{cls(n)}>{c}</td>'
                  for n, c in enumerate(row[1:], start=1)]
        out.append(f'<tr role="row"{klass}>' + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def size_text(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1048576:.1f} MB"
