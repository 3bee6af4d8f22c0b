"""Board pack and minutes as PDF: which meeting, public or full, where to save."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...model import Meeting, MeetingStatus
from ...progress import Progress
from ...services.access import exempt_refusal
from ...services.common import uk_date
from ...services.context import Actor
from ...services.queries import next_meeting
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import PathField, documents_dir, open_file, safe_name

if TYPE_CHECKING:
    from ...pdf import PackResult

INFO_ROLE = Qt.ItemDataRole.UserRole + 1
KINDS = {
    "pack": ("Board pack", "build the board pack", "board pack"),
    "minutes": ("Minutes", "build the minutes", "minutes"),
}


class PackDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, kind: str = "pack",
                 meeting_id: int | None = None, issue: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.task: BackgroundTask | None = None
        self.result: PackResult | None = None
        title, _what, noun = KINDS[kind]
        self.setWindowTitle(f"{title} (PDF)")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.meeting.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.meeting.setMinimumContentsLength(30)
        form.addRow("&Meeting:", self.meeting)
        self.full = QRadioButton(f"&Full {noun}: includes Part 2 (exempt) items, marked by what it holds")
        self.public = QRadioButton(f"&Public {noun}: Part 2 items left out, safe to publish")
        with self.ctx.read() as s:
            refusal = exempt_refusal(s, self.ctx.actor)
        # the full version is for those entitled to exempt information
        (self.full if refusal is None else self.public).setChecked(True)
        if refusal is not None:
            self.full.setEnabled(False)
            self.full.setToolTip(refusal)
        form.addRow("Version:", self.full)
        form.addRow("", self.public)
        self.path = PathField("save", f"Save the {noun} as", "PDF documents (*.pdf)", "Save as")
        form.addRow("&Save as:", self.path)
        self.open_after = QCheckBox("&Open the PDF when it is ready")
        self.open_after.setChecked(True)
        form.addRow("", self.open_after)
        self.issue = QCheckBox("&Issue it: keep this exact file in the record as the next version")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for issuing again")
        self.reason.setPlaceholderText("Needed when a version was issued before, e.g. late paper "
                                       "on item 6 added")
        self.issued_doc = None
        if kind == "pack":
            self.issue.setChecked(issue)
            form.addRow("", self.issue)
            form.addRow("&Reason:", self.reason)
            self.issue.toggled.connect(self._issue_toggled)
        lay.addLayout(form)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.build = buttons.addButton(f"&Build {noun}", QDialogButtonBox.ButtonRole.AcceptRole)
        self._issue_toggled(self.issue.isChecked())
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self._fill_meetings(meeting_id)
        self.meeting.currentIndexChanged.connect(self._suggest_path)
        self.full.toggled.connect(self._suggest_path)
        self._suggest_path()

    def _fill_meetings(self, meeting_id: int | None) -> None:
        from ...services.minute_record import minutes_refusal

        with self.ctx.read() as s:
            meetings = list(s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())))
            nxt = next_meeting(s)
        # A meeting not yet held has no minutes: said at once, and Build is refused.
        self.refusals = {m.id: minutes_refusal(m) for m in meetings} if self.kind == "minutes" else {}
        for m in meetings:
            status = "" if m.status is MeetingStatus.PLANNED else f" ({m.status.label.lower()})"
            self.meeting.addItem(f"{uk_date(m.starts_at.date())}  {m.title}{status}", m.id)
            self.meeting.setItemData(self.meeting.count() - 1, (m.title, m.starts_at.date()), INFO_ROLE)
        if meeting_id is None:
            if self.kind == "pack" and nxt is not None:
                meeting_id = nxt.id
            else:  # minutes: the latest meeting held
                held = [m for m in meetings if m.status is MeetingStatus.HELD]
                meeting_id = held[0].id if held else (meetings[0].id if meetings else None)
        i = self.meeting.findData(meeting_id)
        self.meeting.setCurrentIndex(max(i, 0))
        self.build.setEnabled(bool(meetings))
        if not meetings:
            self.note.setText("There are no meetings yet: schedule one on the Meetings page first.")

    def _suggest_path(self, *_args: object) -> None:
        info = self.meeting.currentData(INFO_ROLE)
        if not info:
            return
        title, day = info
        noun = KINDS[self.kind][2]
        version = "full" if self.full.isChecked() else "public"
        name = safe_name(f"{title} {noun} {day:%d-%m-%Y} ({version})") + ".pdf"
        current = Path(self.path.path()) if self.path.path() else None
        folder = current.parent if current is not None and current.parent.is_dir() else documents_dir()
        self.path.set_path(folder / name)
        self.note.setText(
            "The full version holds OFFICIAL-SENSITIVE material: send it only to members and officers "
            "entitled to it." if self.full.isChecked()
            else "The public version leaves out Part 2 (exempt) items and their papers.")
        refusal = self.refusals.get(self.meeting.currentData(), "")
        if refusal:
            self.note.setText(refusal)
        self.build.setEnabled(not refusal)

    def start(self) -> BackgroundTask | None:
        meeting_id = self.meeting.currentData()
        out = self.path.path()
        if meeting_id is None:
            return None
        if self.refusals.get(meeting_id):
            QMessageBox.warning(self, self.windowTitle(), self.refusals[meeting_id])
            return None
        if not out:
            QMessageBox.warning(self, self.windowTitle(), "Please say where to save the PDF.")
            return None
        if not Path(out).parent.is_dir():
            QMessageBox.warning(self, self.windowTitle(), f"The folder {Path(out).parent} does not exist.")
            return None
        public = self.public.isChecked()
        kind = self.kind
        if kind == "pack" and self.issue.isChecked():
            return self._start_issue(meeting_id, Path(out), public)

        def work(session: Session, actor: Actor, progress: Progress) -> PackResult:
            from ...pdf import build_board_pack, build_minutes
            from ...services.access import require_exempt_access

            if not public:
                require_exempt_access(session, actor)

            build = build_board_pack if kind == "pack" else build_minutes
            return build(session, meeting_id, out, public=public, progress=progress)

        title, what, _noun = KINDS[kind]
        self.build.setEnabled(False)
        self.task = run_session_task(self.ctx, self, title, what, work, self._done)
        self.task.finished.connect(lambda: self.build.setEnabled(True))
        return self.task

    def _issue_toggled(self, on: bool) -> None:
        self.reason.setEnabled(on)
        noun = KINDS[self.kind][2]
        self.build.setText(f"&Issue {noun}" if on else f"&Build {noun}")

    def _start_issue(self, meeting_id: int, out: Path, public: bool) -> BackgroundTask | None:
        from ...pdf import PackResult as Result

        if out.exists():
            answer = QMessageBox.question(self, self.windowTitle(),
                                          f"{out.name} exists. Replace it with the issued pack?")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        reason = self.reason.text()
        late = ask_late_reason(self.ctx, self, meeting_id)
        if late is None:
            return None

        def work(session: Session, actor: Actor, progress: Progress) -> PackResult:
            from ...services.documents import issue_pack, write_document

            doc = issue_pack(session, actor, meeting_id, public=public, reason=reason,
                             progress=progress, late_reason=late, today=self.ctx.today)
            write_document(doc.content, out, force=True)
            self.issued_doc = (doc.id, doc.version_number)
            return Result(out, 0, public)

        self.build.setEnabled(False)
        self.task = run_session_task(self.ctx, self, "Issue the pack", "issue the pack", work,
                                     self._done, writes=True, changed="meeting")
        self.task.finished.connect(lambda: self.build.setEnabled(True))
        return self.task

    def _done(self, result: PackResult) -> None:
        self.result = result
        parent = self.parentWidget()
        status = getattr(parent, "statusBar", None)
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        if self.issued_doc is not None:
            pages = f"issued as version {self.issued_doc[1]}, document {self.issued_doc[0]}"
        if status is not None:
            status().showMessage(f"Saved {result.path} ({pages}).", 10000)
        if self.open_after.isChecked():
            open_file(result.path, parent)
        self.accept()


def ask_late_reason(ctx: AppContext, parent: QWidget, meeting_id: int) -> str | None:
    """"" when the pack is on time; the reason typed when it is late (after its publication
    deadline, services/cycle.py); None when the user cancels or gives no reason."""
    from PySide6.QtWidgets import QInputDialog

    from ...services.cycle import is_late, pack_due

    with ctx.read() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or not is_late(meeting, ctx.today, s):
            return ""
        due, label = pack_due(meeting, s), meeting.label
    while True:
        text, ok = QInputDialog.getMultiLineText(
            parent, "The pack is late",
            f"The pack for {label} was due by {due:%a %d/%m/%Y}. Councils record why a pack "
            "goes out late.\nWhy is it late? (kept with the pack and in the audit trail)")
        if not ok:
            return None
        if text.strip():
            return text.strip()
        QMessageBox.warning(parent, "The pack is late", "Please give the reason it is late, "
                                                        "or cancel.")
