"""Add or edit a member (person and membership together), and end a membership.

Each dialog saves through the services in one transaction when OK is pressed; a refusal
is shown in plain words and the dialog stays open with what was typed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...model import AccessRole, BoardRole
from ...services import board as svc
from ...services.context import Actor
from ...services.meeting_views import MemberRow, people_choices
from ..context import AppContext, form_values
from ..meetings.common import (
    UK_DATE,
    fill_combo,
    from_qdate,
    run_watching_reload,
    select_data,
    to_qdate,
    uk_date,
)
from ..widgets.buttons import save_cancel
from ..widgets.date_edit import OptionalDateEdit

NON_VOTING = (BoardRole.ADVISER, BoardRole.SECRETARIAT)


class MemberDialog(QDialog):
    """``row=None`` adds a member (a new or existing person plus a membership); otherwise
    edits that person and membership, saving with the versions it loaded."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 row: MemberRow | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved_membership_id: int | None = None
        with ctx.read() as s:
            self._people = people_choices(s)
        self.setWindowTitle("Add a member" if row is None else f"Edit {row.name}")
        self.setMinimumWidth(520)
        self._build()
        if row is not None:
            self._show(row)
        self._person_changed()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        person = QGroupBox("Person")
        pf = QFormLayout(person)
        self.person = QComboBox()
        self.person.setAccessibleName("Person")
        fill_combo(self.person, [("New person…", None)] + [(n, i) for i, n in self._people])
        self.person.currentIndexChanged.connect(self._person_changed)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.job_title = QLineEdit()
        self.job_title.setAccessibleName("Job title")
        self.organisation = QLineEdit()
        self.organisation.setAccessibleName("Organisation")
        self.email = QLineEdit()
        self.email.setAccessibleName("E-mail")
        self.login = QLineEdit()
        self.login.setAccessibleName("Windows login")
        self.login.setPlaceholderText("The login they sign in to the computer with")
        self.access = QComboBox()
        self.access.setAccessibleName("Access to this app")
        fill_combo(self.access, [(r.label, r) for r in AccessRole], AccessRole.VIEWER)
        if self.row is None:
            pf.addRow("&Who:", self.person)
        pf.addRow("&Name:", self.name)
        pf.addRow("&Job title:", self.job_title)
        pf.addRow("&Organisation:", self.organisation)
        pf.addRow("&E-mail:", self.email)
        pf.addRow("&Login:", self.login)
        pf.addRow("&Access:", self.access)
        layout.addWidget(person)

        member = QGroupBox("Membership of the board")
        mf = QFormLayout(member)
        self.role = QComboBox()
        self.role.setAccessibleName("Board role")
        fill_combo(self.role, [(r.label, r) for r in BoardRole], BoardRole.MEMBER)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.voting = QCheckBox("Voting member (counts towards the quorum)")
        self.voting.setChecked(True)
        self.term_start = QDateEdit()
        self.term_start.setDisplayFormat(UK_DATE)
        self.term_start.setCalendarPopup(True)
        self.term_start.setDate(QDate.currentDate())
        self.term_start.setAccessibleName("Term start")
        self.term_end = OptionalDateEdit(blank_text="No end date")
        self.term_end.setAccessibleName("Term end")
        self.substitute = QComboBox()
        self.substitute.setAccessibleName("Named substitute")
        fill_combo(self.substitute, [("None", None)] + [(n, i) for i, n in self._people])
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        mf.addRow("&Role:", self.role)
        mf.addRow("", self.voting)
        mf.addRow("Term &starts:", self.term_start)
        mf.addRow("Term &ends:", self.term_end)
        mf.addRow("S&ubstitute:", self.substitute)
        mf.addRow("No&tes:", self.notes)
        layout.addWidget(member)

        self.buttons = save_cancel(self, self.save)
        layout.addWidget(self.buttons)

    def _show(self, r: MemberRow) -> None:
        self.name.setText(r.name)
        self.job_title.setText(r.job_title)
        self.organisation.setText(r.organisation)
        self.email.setText(r.email)
        self.login.setText(r.login)
        select_data(self.access, r.access_role)
        self.role.blockSignals(True)
        select_data(self.role, r.role)
        self.role.blockSignals(False)
        self.voting.setChecked(r.voting)
        self.term_start.setDate(to_qdate(r.term_start))
        self.term_end.set_date_value(r.term_end)
        select_data(self.substitute, r.substitute_id)
        self.notes.setPlainText(r.notes)

    def _person_changed(self) -> None:
        new = self.person.currentData() is None or self.row is not None
        for w in (self.name, self.job_title, self.organisation, self.email, self.login, self.access):
            w.setEnabled(new)
        if self.row is None:
            # an existing person keeps their details; a new one starts blank
            self.name.setText("" if new else self.person.currentText())
            for w in (self.job_title, self.organisation, self.email, self.login):
                w.clear()

    def _role_changed(self) -> None:
        self.voting.setChecked(self.role.currentData() not in NON_VOTING)

    # --- saving ------------------------------------------------------------------------------
    def person_values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "job_title": self.job_title.text(),
                "organisation": self.organisation.text(), "email": self.email.text(),
                "login": self.login.text(), "access_role": self.access.currentData()}

    def membership_values(self) -> dict[str, Any]:
        return {"role": self.role.currentData(), "voting": self.voting.isChecked(),
                "term_start": from_qdate(self.term_start.date()),
                "term_end": self.term_end.date_value(),
                "named_substitute_id": self.substitute.currentData(),
                "notes": self.notes.toPlainText()}

    def save(self) -> None:
        row, existing = self.row, self.person.currentData()
        what = "add the member" if row is None else f"save {row.name}'s membership"
        membership = form_values(self, what, self.membership_values)
        if membership is None:
            return
        person = self.person_values()

        def add(s: Session, a: Actor) -> int:
            pid = existing if existing is not None else svc.add_person(s, a, **person).id
            return svc.add_membership(s, a, pid, **membership).id

        def edit(s: Session, a: Actor) -> int:
            assert row is not None
            svc.update_person(s, a, row.person_id, row.person_version, person)
            return svc.update_membership(s, a, row.membership_id, row.version, membership).id

        result, reloaded = run_watching_reload(self.ctx, self, what, add if row is None else edit,
                                               "board")
        if result is not None:
            self.saved_membership_id = result
            self.accept()
        elif reloaded:
            self.reject()  # the page shows the saved version; edit that one


class EndMembershipDialog(QDialog):
    """End a membership on a date, recording why (stored in the membership's notes)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, row: MemberRow) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setWindowTitle(f"End {row.name}'s membership")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{row.name} has been {row.role.label.lower()} since "
                       f"{uk_date(row.term_start)}. The membership stays in the record; "
                       "from the end date it no longer counts towards the quorum.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.on = QDateEdit()
        self.on.setDisplayFormat(UK_DATE)
        self.on.setCalendarPopup(True)
        self.on.setDate(to_qdate(max(ctx.today, row.term_start)))
        self.on.setAccessibleName("Last day of membership")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("e.g. Stood down after the May elections")
        form.addRow("&Last day:", self.on)
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.end_button = buttons.addButton("&End membership", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def end_date(self) -> dt.date:
        return from_qdate(self.on.date())

    def save(self) -> None:
        row, on, reason = self.row, self.end_date(), self.reason.text()
        result, reloaded = run_watching_reload(
            self.ctx, self, f"end {row.name}'s membership",
            lambda s, a: svc.end_membership(s, a, row.membership_id, row.version, on, reason), "board")
        if result is not None:
            self.accept()
        elif reloaded:
            self.reject()
