"""PDF board packs and minutes, laid out with reportlab from plain data.

The API the app and the command line call::

    build_board_pack(session, meeting_id, out_path, *, public=False, progress=None) -> PackResult
    build_minutes(session, meeting_id, out_path, *, public=False, progress=None) -> PackResult

reportlab is imported only when a document is built, never at import time.
"""
from __future__ import annotations

from .minutes import build_minutes
from .pack import build_board_pack
from .result import PackResult

__all__ = ["PackResult", "build_board_pack", "build_minutes"]
