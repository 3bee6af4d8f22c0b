"""The quorum as the terms of reference put it: a number of voting members, or a fraction of
them ("one third"). The fraction is checked by services/quorum.py when saved."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from ...services.quorum import COMMON, fraction_name

NUMBER, FRACTION = 0, 1


class QuorumEdit(QWidget):
    def __init__(self, number: int = 3, fraction: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.mode = QComboBox()
        self.mode.addItems(["A number of", "A fraction of the"])
        self.mode.setAccessibleName("Quorum is a number or a fraction")
        self.number = QSpinBox()
        self.number.setRange(1, 50)
        self.number.setAccessibleName("Quorum")
        self.fraction = QComboBox()
        self.fraction.setEditable(True)
        self.fraction.addItems([fraction_name(f) for f in COMMON])
        self.fraction.setAccessibleName("Quorum fraction")
        self.fraction.setToolTip("For example: one third, half, two thirds, 1/3 or 50%")
        self.fraction.setMinimumContentsLength(12)
        lay.addWidget(self.mode)
        lay.addWidget(self.number)
        lay.addWidget(self.fraction)
        self.unit = QLabel("voting members")
        lay.addWidget(self.unit)
        lay.addStretch(1)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.set_quorum(number, fraction)

    def _mode_changed(self, mode: int) -> None:
        self.number.setVisible(mode == NUMBER)
        self.fraction.setVisible(mode == FRACTION)

    def set_quorum(self, number: int, fraction: str) -> None:
        self.number.setValue(number)
        if fraction:
            self.fraction.setCurrentText(fraction_name(fraction))
        self.mode.setCurrentIndex(FRACTION if fraction else NUMBER)
        self._mode_changed(self.mode.currentIndex())

    # the spin box's own interface, for callers that set a number
    def setValue(self, number: int) -> None:  # noqa: N802 - Qt naming
        self.set_quorum(number, "")

    def value(self) -> int:
        return self.number.value()

    def fraction_text(self) -> str:
        """What the user wrote as the fraction; "" when the quorum is a number."""
        return self.fraction.currentText() if self.mode.currentIndex() == FRACTION else ""
