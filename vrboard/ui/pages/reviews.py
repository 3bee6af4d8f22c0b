"""The Reviews page: reviews of services and the case review (workstreams 2 and 3) with their
recommendations accepted, implemented and overdue; the selected review's recommendations with
the board's response, state and the actions carrying each out; the selected recommendation's
response reason, evidence and actions in full. The secretariat and the chair add and edit
reviews and recommendations here (or with ``vrboard review`` and ``vrboard recommendation``);
the rules live in services/reviews.py. "Export tracker…" writes a recommendation tracker
(excel/rectracker.py) and "Import tracker…" reads a returned one with the same preview as the
action trackers' (excel/recimport.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...services import reviews as rv
from ...services.common import uk_date
from ...services.context import Perm, who_may
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel
from ..widgets.tables import fit_columns, read_only_table


@dataclass(frozen=True)
class RecLine:
    id: int
    number: str
    text: str
    response: str
    reason: str
    state: str
    evidence: str
    due: dt.date | None
    overdue: bool
    actions: str


@dataclass(frozen=True)
class ReviewLine:
    id: int
    title: str
    kind: str
    workstream: str
    status: str
    commissioned: dt.date | None
    reporting: dt.date | None
    marking: str
    report: str
    counts: rv.ReviewCounts
    recs: tuple[RecLine, ...]


REVIEW_COLUMNS: list[Column[ReviewLine]] = [
    Column("Review", lambda r: r.title, tooltip=lambda r: f"{r.kind}; report: {r.report or 'none'}"),
    Column("Kind", lambda r: r.kind, width=150),
    Column("WS", lambda r: r.workstream, width=48),
    Column("Status", lambda r: r.status, width=90),
    Column("Reporting", lambda r: uk_date(r.reporting), key=lambda r: (r.reporting is None, r.reporting),
           width=84),
    Column("Recs", lambda r: r.counts.recommendations, width=48),
    Column("Accepted", lambda r: r.counts.accepted, width=80),
    Column("Implemented", lambda r: r.counts.implemented, width=104),
    Column("Overdue", lambda r: r.counts.overdue, width=76),
]

REC_COLUMNS: list[Column[RecLine]] = [
    Column("No.", lambda r: r.number, width=40),
    Column("Recommendation", lambda r: r.text, tooltip=lambda r: r.text),
    Column("Response", lambda r: r.response, tooltip=lambda r: r.reason or None, width=150),
    Column("State", lambda r: r.state, tooltip=lambda r: r.evidence or None, width=90),
    Column("Due", lambda r: uk_date(r.due) + (" overdue" if r.overdue else ""),
           key=lambda r: (r.due is None, r.due), width=110),
    Column("Actions", lambda r: r.actions or "None", width=170),
]


def review_lines(session: object, ctx: AppContext) -> list[ReviewLine]:
    today = ctx.today
    out = []
    for r in rv.list_reviews(session, ctx.actor):  # type: ignore[arg-type]
        recs = tuple(RecLine(
            x.id, x.number, x.text, x.response.label, x.response_reason, x.state.label,
            x.evidence_note, x.due_date, x.is_overdue(today),
            ", ".join(f"{a.reference} ({a.status.label.lower()})" for a in x.actions))
            for x in rv.recommendations(r))
        out.append(ReviewLine(
            r.id, r.title, r.kind.label, r.workstream.code, r.status.label, r.commissioned_on,
            r.reporting_date, r.classification.value,
            r.report_paper.title if r.report_paper else "", rv.counts(r, today), recs))
    return out


class ReviewsPage(Page):
    title = "Reviews"
    icon = "reviews.svg"
    shortcut = "Ctrl+9"
    topics = frozenset({"review", "recommendation", "action"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.reviews = RowTableModel(REVIEW_COLUMNS, self)
        self.recs = RowTableModel(REC_COLUMNS, self)
        self.review_table = read_only_table(self.reviews, "Reviews")
        self.rec_table = read_only_table(self.recs, "Recommendations")
        fit_columns(self.review_table, 0, share=0.35)  # the title carries the meaning
        fit_columns(self.rec_table, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Review")
        self.detail = QLabel("Select a recommendation to see the board's response and its actions.")
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Recommendation")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.summary)
        lower_layout.addLayout(self._rec_buttons())
        lower_layout.addWidget(self.rec_table, 1)
        lower_layout.addWidget(self.detail)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(self._review_buttons())
        upper_layout.addWidget(self.review_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([220, 520])
        layout = QVBoxLayout(self)
        note = QLabel("Reviews of services (WS2) and the Homicide and Serious Violence Case Review "
                      "(WS3). A recommendation is overdue when the board accepted it, it is still "
                      "open and its due date has passed.")
        note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(note, 1)
        self.export_button = QPushButton("E&xport tracker…")
        self.export_button.setToolTip("Write the recommendations (of the selected review, or of every "
                                      "review) to a workbook to update and return")
        self.import_button = QPushButton("I&mport tracker…")
        self.import_button.setToolTip("Read a returned recommendation tracker: every change is shown "
                                      "before anything is saved")
        self.export_button.setEnabled(ctx.can(Perm.EXPORT))
        self.import_button.setEnabled(ctx.can(Perm.IMPORT) and ctx.can(Perm.EDIT_REVIEWS))
        self.export_button.clicked.connect(self.export_tracker)
        self.import_button.clicked.connect(self.import_tracker)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.review_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_review())
        self.rec_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_rec())
        self.dialog: QDialog | None = None
        self._enable()

    # --- editing --------------------------------------------------------------------------------
    def _button(self, row: QHBoxLayout, text: str, tip: str, slot: object) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(tip if self.ctx.can(Perm.EDIT_REVIEWS)
                     else f"Only the {who_may(Perm.EDIT_REVIEWS)} may change reviews.")
        b.clicked.connect(slot)
        row.addWidget(b)
        return b

    def _review_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_review_button = self._button(row, "&New review…", "Record a review commissioned",
                                              lambda: self.open_review(None))
        self.edit_review_button = self._button(
            row, "&Edit review…", "Change the selected review's details, status or dates",
            lambda: self.open_review(self._review_id()))
        row.addStretch(1)
        return row

    def _rec_buttons(self) -> QHBoxLayout:
        from ..dialogs import review as d

        row = QHBoxLayout()
        self.add_rec_button = self._button(
            row, "&Add recommendation…", "Add a recommendation of the selected review",
            lambda: self._open(d.RecommendationDialog(self.ctx, self, review_id=self._review_id())))
        self.edit_rec_button = self._rec_button(row, "Ed&it…", "Change the recommendation's "
                                                "number, text or due date",
                                                lambda r: d.RecommendationDialog(self.ctx, self, rec_id=r))
        self.respond_button = self._rec_button(row, "Res&pond…", "Record the board's response "
                                               "(and the reason when not accepted in full)",
                                               lambda r: d.RespondDialog(self.ctx, r, self))
        self.state_button = self._rec_button(row, "Set &state…", "Open, implemented or evidenced "
                                             "(with the evidence note)",
                                             lambda r: d.StateDialog(self.ctx, r, self))
        self.link_button = self._rec_button(row, "&Link action…", "Link an action that carries "
                                            "the recommendation out",
                                            lambda r: d.LinkRecActionDialog(self.ctx, r, self))
        self.unlink_button = self._rec_button(row, "&Unlink action…", "Remove a linked action",
                                              lambda r: d.LinkRecActionDialog(self.ctx, r, self, True))
        row.addStretch(1)
        return row

    def _rec_button(self, row: QHBoxLayout, text: str, tip: str, make: object) -> QPushButton:
        def open_it() -> None:
            rec = self.current_rec()
            if rec is not None:
                self._open(make(rec.id))  # type: ignore[operator]
        return self._button(row, text, tip, open_it)

    def _enable(self) -> None:
        allowed = self.ctx.can(Perm.EDIT_REVIEWS)
        has_review, rec = self.current_review() is not None, self.current_rec()
        self.new_review_button.setEnabled(allowed)
        self.edit_review_button.setEnabled(allowed and has_review)
        self.add_rec_button.setEnabled(allowed and has_review)
        for b in (self.edit_rec_button, self.respond_button, self.state_button, self.link_button):
            b.setEnabled(allowed and rec is not None)
        self.unlink_button.setEnabled(allowed and rec is not None and bool(rec.actions))

    def _review_id(self) -> int | None:
        r = self.current_review()
        return r.id if r else None

    def current_rec(self) -> RecLine | None:
        idx = self.rec_table.currentIndex()
        return self.recs.row(idx) if idx.isValid() else None

    def open_review(self, review_id: int | None) -> None:
        from ..dialogs.review import ReviewDialog

        self._open(ReviewDialog(self.ctx, self, review_id))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        dialog.open()

    def _closed(self, dialog: QDialog, result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        keep_rec = self.current_rec()
        if result == QDialog.DialogCode.Accepted:
            from ..dialogs.review import RecommendationDialog, ReviewDialog

            saved = getattr(dialog, "result_value", None)
            self.refresh()
            if isinstance(dialog, ReviewDialog):
                self.select_review(saved)
            elif isinstance(dialog, RecommendationDialog) and dialog.rec_id is None:
                self.select_rec(saved)
            elif keep_rec is not None:
                self.select_rec(keep_rec.id)
        dialog.deleteLater()

    def select_review(self, review_id: int | None) -> None:
        ids = [r.id for r in self.reviews.rows()]
        if review_id in ids:
            self.review_table.selectRow(ids.index(review_id))

    def select_rec(self, rec_id: int | None) -> None:
        ids = [r.id for r in self.recs.rows()]
        if rec_id in ids:
            self.rec_table.selectRow(ids.index(rec_id))

    def refresh(self) -> None:
        keep = self.current_review()
        with self.ctx.read() as s:
            lines = review_lines(s, self.ctx)
        self.reviews.set_rows(lines)
        ids = [r.id for r in lines]
        first = next((n for n, r in enumerate(lines) if r.recs), 0)  # one that has reported
        row = ids.index(keep.id) if keep is not None and keep.id in ids else first
        if lines:
            self.review_table.selectRow(row)
        self._show_review()

    def current_review(self) -> ReviewLine | None:
        idx = self.review_table.currentIndex()
        return self.reviews.row(idx) if idx.isValid() else None

    def _show_review(self) -> None:
        r = self.current_review()
        self.recs.set_rows(list(r.recs) if r else [])
        if r is None:
            self.summary.setText("No reviews yet.")
            self._show_rec()
            return
        n = r.counts
        self.summary.setText(
            f"<b>{r.title}</b> ({r.kind}, {r.marking}). Commissioned "
            f"{uk_date(r.commissioned) or 'date not recorded'}; reporting "
            f"{uk_date(r.reporting) or 'date not set'}. Report: {r.report or 'not yet attached'}. "
            f"{n.recommendations} recommendations: {n.accepted} accepted, {n.not_accepted} not "
            f"accepted, {n.awaiting} awaiting a response; {n.implemented} implemented "
            f"({n.evidenced} evidenced); {n.overdue} overdue.")
        if r.recs:
            self.rec_table.selectRow(0)
        self._show_rec()

    def _show_rec(self) -> None:
        rec = self.current_rec()
        self._enable()
        if rec is None:
            self.detail.setText("No recommendations yet: the review has not reported.")
            return
        parts = [f"Recommendation {rec.number}: {rec.text}", f"Board's response: {rec.response}"
                 + (f" ({rec.reason})" if rec.reason else ""),
                 f"State: {rec.state}" + (f". Evidence: {rec.evidence}" if rec.evidence else ""),
                 f"Carried out by: {rec.actions or 'no action yet'}"]
        self.detail.setText("\n".join(parts))

    def export_tracker(self, path: str | None = None, every: bool | None = None) -> object:
        """Ask where (and whether for the selected review or every review), then write it."""
        from ..dialogs.common import documents_dir, safe_name, stamp
        from ..tasks import run_session_task

        review = self.current_review()
        if every is None:
            every = review is None
            if review is not None:
                box = QMessageBox(QMessageBox.Icon.Question, "Export tracker",
                                  f"Export the recommendations of {review.title}, or of every review?",
                                  QMessageBox.StandardButton.Cancel, self)
                one = box.addButton("This &review", QMessageBox.ButtonRole.AcceptRole)
                box.addButton("&Every review", QMessageBox.ButtonRole.AcceptRole)
                box.exec()
                if box.clickedButton() is box.button(QMessageBox.StandardButton.Cancel):
                    return None
                every = box.clickedButton() is not one
        review_id = None if every or review is None else review.id
        if path is None:
            name = safe_name("VRB recommendations - " + ("all" if review_id is None else review.title))
            path, _ = QFileDialog.getSaveFileName(self, "Save the recommendation tracker as",
                                                  str(documents_dir() / f"{name} {stamp()}.xlsx"),
                                                  "Excel workbooks (*.xlsx)")
            if not path:
                return None

        def work(session: object, actor: object, _progress: object) -> object:
            from ...excel.rectracker import export_recommendations

            return export_recommendations(session, actor, path, review_id=review_id)  # type: ignore[arg-type]

        def done(result: object) -> None:
            QMessageBox.information(self, "Tracker exported",
                                    f"Wrote {result.rows:,} recommendations to\n{result.path}")  # type: ignore[attr-defined]

        return run_session_task(self.ctx, self, "Export tracker", "export the recommendation tracker", work,
                                done, writes=True, changed="export")

    def import_tracker(self, path: str | None = None) -> object:
        """Choose a returned tracker, preview every change, apply the ticked rows."""
        from ..dialogs.common import documents_dir
        from ..dialogs.import_preview import IMPORT_FILTER, ImportFlow

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Choose the returned recommendation tracker",
                                                  str(documents_dir()), IMPORT_FILTER)
            if not path:
                return None
        flow = ImportFlow(self.ctx, self, path, recommendations=True)
        flow.start()
        return flow
