"""The Save / Cancel row that every editing dialog ends with."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox


def save_cancel(dialog: QDialog, on_save: Callable[[], object] | None = None) -> QDialogButtonBox:
    """Save calls ``on_save`` (default: the dialog's ``accept``); Cancel rejects the dialog."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_save or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
