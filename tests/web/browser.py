"""Headless Chromium for the website tests: axe-core over every page, and screenshots.

Chromium comes from the system (Debian's ``chromium`` package, which CI installs); it is
driven through Playwright's protocol client with that executable (Playwright's own browser
downloads are never used). axe-core is the copy the ``axe-playwright-python`` package ships.

    python -m tests.web.browser SITE_FOLDER OUT_FOLDER   # screenshots at 100% and 400% zoom
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: WCAG 2.0, 2.1 and 2.2, levels A and AA
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str | None:
    env = os.environ.get("VRBOARD_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if chromium_path() is None:
        return "Chromium is not installed (Debian: apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    return None


def axe_source() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@contextmanager
def browser() -> Iterator[Any]:
    """One headless Chromium for a whole test session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield b
        finally:
            b.close()


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations on the page loaded in ``page``."""
    page.add_script_tag(content=source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})", WCAG_TAGS)
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps([{"id": v["id"], "help": v["help"],
                        "nodes": [n["html"][:160] for n in v["nodes"][:3]]} for v in violations], indent=1)


def screenshots(site: Path, out: Path, pages: dict[str, str]) -> list[Path]:
    """Each of ``pages`` (name -> path in the site), whole, at 100% zoom (1280 CSS px wide) and
    at 400% zoom (a 1280 px window at 400% shows 320 CSS px; drawn here at 2 device pixels per
    CSS pixel to keep the pictures small)."""
    made = []
    with browser() as b:
        for zoom, width, scale in (("100", 1280, 1), ("400", 320, 2)):
            ctx = b.new_context(viewport={"width": width, "height": 800 // scale},
                                device_scale_factor=scale)
            page = ctx.new_page()
            for name, rel in pages.items():
                page.goto((site / rel).as_uri())
                if zoom == "400" and name not in ("index", "meeting"):
                    continue  # (long pages at 400% make very tall pictures)
                target = out / f"site-{name}-{zoom}.png"
                page.screenshot(path=str(target), full_page=True)
                made.append(target)
            ctx.close()
    return made


if __name__ == "__main__":
    site_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    meeting = sorted((site_dir / "meetings").iterdir())[0].relative_to(site_dir).as_posix()
    for p in screenshots(site_dir, out_dir, {"index": "index.html", "meeting": f"{meeting}/index.html",
                                              "actions": f"{meeting}/actions.html"}):
        print(p)
