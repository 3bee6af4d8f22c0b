"""What building a PDF returns (no reportlab import, so callers stay light)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PackResult:
    path: Path
    pages: int
    public: bool
