"""Add or edit one agenda item: title, presenter, time, Part 1/Part 2 with the Schedule 12A
paragraph that makes it exempt, security marking and linked workstream."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...model import Classification
from ...services import meetings as svc
from ...services.context import Actor
from ...services.meeting_views import ItemView, workstream_choices
from ..context import AppContext
from ..widgets.buttons import save_cancel
from .common import fill_combo, run_watching_reload, select_data


class ItemDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, meeting_id: int,
                 item: ItemView | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.item = item
        self.saved_item_id: int | None = None
        with ctx.read() as s:
            workstreams = workstream_choices(s)
        self.setWindowTitle("Add an agenda item" if item is None else f"Edit item {item.position}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Item title")
        self.title_edit.setMaxLength(300)
        self.presenter = QLineEdit()
        self.presenter.setAccessibleName("Presenter")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 480)
        self.minutes.setValue(10)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Minutes allotted")
        part_row = QHBoxLayout()
        self.part1 = QRadioButton("Part &1 (public)")
        self.part2 = QRadioButton("Part &2 (exempt: public excluded)")
        self.part1.setChecked(True)
        self._parts = QButtonGroup(self)
        self._parts.addButton(self.part1, 1)
        self._parts.addButton(self.part2, 2)
        part_row.addWidget(self.part1)
        part_row.addWidget(self.part2)
        part_row.addStretch(1)
        self.paragraph = QComboBox()
        self.paragraph.setAccessibleName("Exempt paragraph")
        fill_combo(self.paragraph, [("Choose the paragraph of Schedule 12A…", None)] + [
            (f"{n}. {text}", n) for n, text in svc.EXEMPT_PARAGRAPHS.items()])
        self.paragraph.setMinimumContentsLength(40)
        self.paragraph_note = QLabel("Part 2 items need the Schedule 12A paragraph (Local "
                                     "Government Act 1972) that allows the public to be excluded.")
        self.paragraph_note.setWordWrap(True)
        self.classification = QComboBox()
        self.classification.setAccessibleName("Security marking")
        fill_combo(self.classification, [(c.label, c) for c in Classification])
        self.workstream = QComboBox()
        self.workstream.setAccessibleName("Linked workstream")
        fill_combo(self.workstream, [("None", None)] + [(t, i) for i, t in workstreams])
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Presenter:", self.presenter)
        form.addRow("Time &allotted:", self.minutes)
        form.addRow("Part:", part_row)
        form.addRow("E&xempt paragraph:", self.paragraph)
        form.addRow("", self.paragraph_note)
        form.addRow("&Marking:", self.classification)
        form.addRow("&Workstream:", self.workstream)
        self.no_paper = QCheckBox("&No paper needed (a procedural item: the pack checklist "
                                  "will not ask for one)")
        self.no_paper.setAccessibleName("No paper needed")
        form.addRow("", self.no_paper)
        layout.addLayout(form)
        buttons = save_cancel(self, self.save)
        layout.addWidget(buttons)
        self._parts.idToggled.connect(self._part_changed)
        if item is not None:
            self._show(item)
        else:  # a new item titled like a procedural one needs no paper, until ticked otherwise
            self._touched = False
            self.no_paper.clicked.connect(lambda: setattr(self, "_touched", True))
            self.title_edit.textChanged.connect(
                lambda t: self._touched or self.no_paper.setChecked(svc.procedural(t)))
        self._part_changed()

    def _show(self, i: ItemView) -> None:
        self.title_edit.setText(i.title)
        self.presenter.setText(i.presenter)
        self.minutes.setValue(i.minutes_allotted)
        (self.part2 if i.part == 2 else self.part1).setChecked(True)
        select_data(self.paragraph, i.exempt_paragraph)
        select_data(self.classification, i.classification)
        select_data(self.workstream, i.workstream_id)
        self.no_paper.setChecked(i.no_paper)

    def _part_changed(self, *_args: object) -> None:
        exempt = self.part2.isChecked()
        self.paragraph.setEnabled(exempt)
        self.paragraph_note.setVisible(exempt)
        if exempt and self.classification.currentData() == Classification.OFFICIAL \
                and (self.item is None or self.item.part == 1):
            select_data(self.classification, Classification.OFFICIAL_SENSITIVE)

    def values(self) -> dict[str, Any]:
        part = 2 if self.part2.isChecked() else 1
        return {"title": self.title_edit.text(), "presenter": self.presenter.text(),
                "minutes_allotted": self.minutes.value(), "part": part,
                "exempt_paragraph": self.paragraph.currentData() if part == 2 else None,
                "classification": self.classification.currentData(),
                "workstream_id": self.workstream.currentData(),
                "no_paper": self.no_paper.isChecked()}

    def save(self) -> None:
        values, item, mid = self.values(), self.item, self.meeting_id

        def add(s: Session, a: Actor) -> int:
            return svc.add_item(s, a, mid, **values).id

        def edit(s: Session, a: Actor) -> int:
            assert item is not None
            return svc.update_item(s, a, item.id, item.version, values).id

        what = "add the agenda item" if item is None else "save the agenda item"
        result, reloaded = run_watching_reload(self.ctx, self, what, add if item is None else edit,
                                               "meeting")
        if result is not None:
            self.saved_item_id = result
            self.accept()
        elif reloaded:
            self.reject()  # the agenda shows the saved version; edit that one
