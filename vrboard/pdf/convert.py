"""Word, Excel and other office papers turned into PDF through LibreOffice, when it is
installed (``soffice`` on the path), for the board pack. Without it, or when a conversion
fails or takes too long, the paper is listed in the pack as not included."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
TIMEOUT_S = 120


def soffice() -> str | None:
    if os.environ.get("VRBOARD_NO_LIBREOFFICE"):
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(file_name: str, data: bytes) -> tuple[bytes, int] | None:
    """The paper as PDF bytes and its page count, or None when it cannot be converted."""
    exe = soffice()
    if exe is None:
        return None
    from ..errors import ValidationError
    from .paperfile import pdf_pages

    with tempfile.TemporaryDirectory(prefix="vrboard-convert-") as tmp:
        folder = Path(tmp)
        src = folder / ("paper" + Path(file_name).suffix.lower())
        src.write_bytes(data)
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(folder), str(src)],
                           capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("LibreOffice could not convert %s: %s", file_name, exc)
            return None
        out = folder / "paper.pdf"
        if not out.is_file():
            log.warning("LibreOffice made no PDF of %s", file_name)
            return None
        pdf = out.read_bytes()
        try:
            return pdf, pdf_pages(file_name, pdf)
        except ValidationError as exc:
            log.warning("The PDF LibreOffice made of %s is not usable: %s", file_name, exc)
            return None
