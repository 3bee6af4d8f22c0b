"""The window shown the moment the app starts, while the data layer loads and the board opens.

Opening a board means importing SQLAlchemy and the model (about half a second) and, on a
shared server, a network round trip or several. This window needs neither: it paints at
once and says what is happening, then the main window replaces it.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def _describe(url: str | None) -> str:
    if not url:
        return "your board"
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)  # never show a password


class LoadingWindow(QWidget):
    def __init__(self, url: str | None) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle("vrboard")
        self.setAccessibleName("vrboard is opening")
        title = QLabel("vrboard")
        title.setObjectName("loadingTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        title.setFont(font)
        message = QLabel(f"Opening {_describe(url)}…")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(title)
        layout.addWidget(QLabel("Violence Reduction Board"))
        layout.addSpacing(12)
        layout.addWidget(message)
        layout.addStretch(1)
        self.message = message
        self.resize(460, 180)
