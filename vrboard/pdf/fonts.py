"""The embedded TrueType fonts (DejaVu Sans, shipped in resources/fonts with its licence).

DejaVu Sans covers Latin Extended and Vietnamese, so names such as Zoë, Łukasz and
Nguyễn print as written. Registered once per process; reportlab embeds a subset.
"""
from __future__ import annotations

from ..errors import VrboardError
from ..resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in _FILES.items():
        path = resource_path("fonts", file)
        if not path.is_file():
            raise VrboardError(f"The PDF font {path} is missing; reinstall vrboard.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # Bold and italic requests map onto the two shipped faces (no italic face is shipped).
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, REGULAR)
    addMapping(FAMILY, 1, 1, BOLD)
    _registered = True
