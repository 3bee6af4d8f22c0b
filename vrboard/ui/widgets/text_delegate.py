"""A table cell edited as a paragraph: decisions are sentences, not one-line fields.

Enter saves the cell and closes the editor (as in a one-line cell), Shift+Enter starts a new
line, Tab moves on, Escape cancels; the editor is at least four lines high."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex


class ParagraphDelegate(QStyledItemDelegate):
    MIN_LINES = 4

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setAccessibleName(str(index.model().headerData(
            index.column(), Qt.Orientation.Horizontal) or "Text"))
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                             index: Index) -> None:
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * self.MIN_LINES + 12))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (isinstance(watched, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return True
        return super().eventFilter(watched, event)
