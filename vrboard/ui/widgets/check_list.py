"""A list of checkable choices, optionally grouped under headings and narrowed by a filter
line: the sessions that raised a theme, the actions that answer a finding, an action's tags."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

_DATA = Qt.ItemDataRole.UserRole


class CheckList(QWidget):
    """``set_choices([(group, text, data), ...], checked)``; ``checked()`` gives the data of
    the ticked ones in list order. A group of "" has no heading."""

    def __init__(self, name: str, filter_text: str = "", parent: QWidget | None = None,
                 height: int = 180) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(filter_text or "Type to narrow the list")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(f"{name}: filter")
        self.filter.textChanged.connect(self._narrow)
        self.filter.setVisible(bool(filter_text))
        self.list = QListWidget()
        self.list.setAccessibleName(name)
        self.list.setMinimumHeight(height)
        self.list.setUniformItemSizes(False)
        lay.addWidget(self.filter)
        lay.addWidget(self.list, 1)
        self.setFocusProxy(self.list)

    def set_choices(self, choices: Sequence[tuple[str, str, Any]], checked: Iterable[Any] = ()) -> None:
        ticked = set(checked)
        self.list.clear()
        group = None
        for heading, text, data in choices:
            if heading and heading != group:
                head = QListWidgetItem(heading)
                font = QFont(head.font())
                font.setBold(True)
                head.setFont(font)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.list.addItem(head)
            group = heading
            item = QListWidgetItem(text)
            item.setData(_DATA, data)
            item.setToolTip(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if data in ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(n) for n in range(self.list.count())]

    def checked(self) -> list[Any]:
        return [i.data(_DATA) for i in self._items()
                if i.flags() & Qt.ItemFlag.ItemIsUserCheckable and i.checkState() == Qt.CheckState.Checked]

    def set_checked(self, data: Any, on: bool = True) -> None:
        for i in self._items():
            if i.flags() & Qt.ItemFlag.ItemIsUserCheckable and i.data(_DATA) == data:
                i.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _narrow(self, text: str) -> None:
        words = text.lower().split()
        for i in self._items():
            if i.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                i.setHidden(not all(w in i.text().lower() for w in words)
                            and i.checkState() != Qt.CheckState.Checked)
