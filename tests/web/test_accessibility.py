"""Every kind of published page in real headless Chromium: axe-core finds no WCAG 2.0/2.1/2.2
A or AA violation (nor a best-practice one) at 100% zoom and at 400% zoom (a 1280 px window
at 400% shows 320 CSS px), and at 400% nothing needs scrolling sideways (WCAG 1.4.10).

One browser for all pages. Skipped, saying why, where Chromium (Debian's ``chromium``) or
the Python packages of the test extra are missing."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.web import browser as web

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(web.missing() is not None, reason=web.missing() or "")]

KINDS = {"index": "index.html", "accessibility statement": "accessibility.html",
         "meeting": "meetings/*/index.html", "minutes": "meetings/*/minutes.html",
         "action log summary": "meetings/*/actions.html"}


def test_every_kind_of_page_passes_axe_core_at_100_and_400_percent(site: Path) -> None:
    pages = {kind: sorted(site.glob(pattern)) for kind, pattern in KINDS.items()}
    assert all(pages.values()), {k: v for k, v in pages.items() if not v}
    assert len(list(site.rglob("*.html"))) == sum(len(v) for v in pages.values())  # every kind covered
    source = web.axe_source()
    problems: dict[str, str] = {}
    with web.browser() as b:
        for zoom, width in (("100%", 1280), ("400%", 320)):
            ctx = b.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
            page = ctx.new_page()
            for files in pages.values():
                for f in files:
                    page.goto(f.as_uri())
                    where = f"{f.relative_to(site)} at {zoom}"
                    assert page.evaluate("document.documentElement.lang") == "en-GB", where
                    assert page.evaluate("document.scripts.length") == 0, where
                    if width == 320:
                        scroll = page.evaluate("document.documentElement.scrollWidth")
                        if scroll > width:
                            problems[where] = f"scrolls sideways: {scroll} px wide"
                    violations = web.run_axe(page, source)
                    if violations:
                        problems[where] = web.describe(violations)
            ctx.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
