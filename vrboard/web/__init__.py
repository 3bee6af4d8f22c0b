"""The board's public record as a static website: plain HTML and CSS, no scripts, built
from the same filtered data as the public board pack (see ``site``).

    publish_site(session, out_dir, *, progress=None, today=None) -> PublishResult
"""
from __future__ import annotations

from .site import PublishResult, check_folder, publish_site

__all__ = ["PublishResult", "check_folder", "publish_site"]
