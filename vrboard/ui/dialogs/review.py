"""The Reviews page's dialogs: add or edit a review, add or edit a recommendation, record the
board's response, set a recommendation's state, link or unlink an action. Every rule is the
service's (services/reviews.py); a refusal is shown and the dialog stays open."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...model import (
    Classification,
    RecommendationState,
    Response,
    ReviewKind,
    ReviewStatus,
    Workstream,
)
from ...services import reviews as rv
from ...services.context import Actor
from ..context import AppContext
from .form import FormDialog, action_options, wrapped_label

Call = Callable[[Session, Actor], Any]


class ReviewDialog(FormDialog):
    """A new review (``review_id`` None) or the review's details."""

    topic = "review"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 review_id: int | None = None) -> None:
        super().__init__(ctx, "New review" if review_id is None else "Edit review", parent,
                         width=560)
        self.review_id, self.version = review_id, None
        self.what = "add the review" if review_id is None else "save the review"
        with ctx.read() as s:
            ws = [(f"{w.code}  {w.name}", w.code)
                  for w in s.scalars(select(Workstream).order_by(Workstream.position))]
            r = rv.get_review(s, ctx.actor, review_id) if review_id is not None else None
            ws_code = r.workstream.code if r is not None else "WS2"
            if r is not None:
                self.version = r.version
        self.title = self.line("&Title:", "Review title", r.title if r else "")
        self.kind = self.enum_choice("&Kind:", "Kind of review", ReviewKind,
                                     r.kind if r else ReviewKind.SERVICE_REVIEW)
        self.workstream = self.choice("&Workstream:", "Workstream", ws,
                                      ws_code)
        self.status = self.enum_choice("&Status:", "Review status", ReviewStatus,
                                       r.status if r else ReviewStatus.COMMISSIONED)
        self.marking = self.choice("&Marking:", "Classification",
                                   [(m.value, m.value) for m in Classification],
                                   r.classification.value if r else Classification.OFFICIAL.value)
        self.commissioned = self.date("&Commissioned:", "Date commissioned",
                                      r.commissioned_on if r else None)
        self.reporting = self.date("&Reporting:", "Reporting date", r.reporting_date if r else None)
        self.summary = self.text("S&ummary:", "Summary", r.summary if r else "")
        if r is None:  # a case review is OFFICIAL-SENSITIVE unless the user says otherwise
            self.kind.currentIndexChanged.connect(self._default_marking)

    def _default_marking(self) -> None:
        case = self.kind.currentData() == ReviewKind.CASE_REVIEW.value
        mark = Classification.OFFICIAL_SENSITIVE if case else Classification.OFFICIAL
        self.marking.setCurrentIndex(self.marking.findData(mark.value))

    def submit(self) -> Call:
        fields = {"title": self.title.text(), "kind": self.kind.currentData(),
                  "workstream": self.workstream.currentData(), "status": self.status.currentData(),
                  "classification": self.marking.currentData(),
                  "commissioned_on": self.commissioned.date_value(),
                  "reporting_date": self.reporting.date_value(),
                  "summary": self.summary.toPlainText()}
        rid, version = self.review_id, self.version
        if rid is None:
            return lambda s, a: rv.add_review(s, a, **fields).id
        return lambda s, a: rv.update_review(s, a, rid, version, **fields).id


class RecommendationDialog(FormDialog):
    """A new recommendation of ``review_id``, or (``rec_id``) its number, text and due date."""

    topic = "recommendation"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 review_id: int | None = None, rec_id: int | None = None) -> None:
        super().__init__(ctx, "New recommendation" if rec_id is None else "Edit recommendation",
                         parent, width=560)
        self.review_id, self.rec_id, self.version = review_id, rec_id, None
        self.what = "add the recommendation" if rec_id is None else "save the recommendation"
        number, text, due = "", "", None
        with ctx.read() as s:
            if rec_id is not None:
                rec = rv.get_recommendation(s, ctx.actor, rec_id)
                self.version, number, text, due = rec.version, rec.number, rec.text, rec.due_date
                title = rec.review.title
            else:
                assert review_id is not None
                review = rv.get_review(s, ctx.actor, review_id)
                title = review.title
                number = str(len(review.recommendations) + 1)
        self.form.addRow("Review:", wrapped_label(title))
        self.number = self.line("&Number:", "Recommendation number", number)
        self.number.setMaximumWidth(120)
        self.text_edit = self.text("&Recommendation:", "Recommendation text", text, height=110)
        self.due = self.date("&Due:", "Due date", due, blank="No due date")

    def submit(self) -> Call:
        number, text, due = self.number.text(), self.text_edit.toPlainText(), self.due.date_value()
        if self.rec_id is None:
            review_id = self.review_id
            assert review_id is not None
            return lambda s, a: rv.add_recommendation(s, a, review_id, number, text, due).id
        rec_id, version = self.rec_id, self.version
        return lambda s, a: rv.update_recommendation(s, a, rec_id, version, number=number,
                                                     text=text, due_date=due).id


class _RecDialog(FormDialog):
    """A dialog about one recommendation: shows it at the top, reads its version."""

    topic = "recommendation"

    def __init__(self, ctx: AppContext, title: str, rec_id: int, parent: QWidget | None) -> None:
        super().__init__(ctx, title, parent, width=560)
        self.rec_id = rec_id
        with ctx.read() as s:
            self.rec = rv.get_recommendation(s, ctx.actor, rec_id)
            self.linked = [(f"{a.reference}  {a.title}", a.reference) for a in self.rec.actions]
            self.linked_ids = [a.id for a in self.rec.actions]
        self.version = self.rec.version
        label = wrapped_label(f"{self.rec.number}. {self.rec.text}")
        label.setAccessibleName("Recommendation")
        self.form.addRow("Recommendation:", label)


class RespondDialog(_RecDialog):
    """The board's response; partly accepted and not accepted need the reason."""

    what = "record the response"

    def __init__(self, ctx: AppContext, rec_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Board's response", rec_id, parent)
        self.response = self.enum_choice("&Response:", "Response", Response, self.rec.response)
        self.reason = self.text("Re&ason:", "Reason", self.rec.response_reason)
        self.reason.setPlaceholderText("Needed for 'partly accepted' and 'not accepted'")

    def submit(self) -> Call:
        rid, version = self.rec_id, self.version
        answer, why = self.response.currentData(), self.reason.toPlainText()
        return lambda s, a: rv.respond(s, a, rid, answer, why, version).id


class StateDialog(_RecDialog):
    """Open, implemented or evidenced, with the evidence note."""

    what = "set the state"

    def __init__(self, ctx: AppContext, rec_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Recommendation state", rec_id, parent)
        self.state = self.enum_choice("&State:", "State", RecommendationState, self.rec.state)
        self.evidence = self.text("&Evidence:", "Evidence note", self.rec.evidence_note)
        self.evidence.setPlaceholderText("What shows the change has happened (needed for evidenced)")

    def submit(self) -> Call:
        rid, version = self.rec_id, self.version
        state, note = self.state.currentData(), self.evidence.toPlainText()
        return lambda s, a: rv.set_state(s, a, rid, state, note, version).id


class LinkRecActionDialog(_RecDialog):
    """Link an action that carries the recommendation out, or (``unlink``) remove one."""

    def __init__(self, ctx: AppContext, rec_id: int, parent: QWidget | None = None,
                 unlink: bool = False) -> None:
        super().__init__(ctx, "Unlink an action" if unlink else "Link an action", rec_id, parent)
        self.unlink = unlink
        self.what = "unlink the action" if unlink else "link the action"
        if unlink:
            options = self.linked
        else:
            with ctx.read() as s:
                options = [o for o in action_options(s) if o[1] not in {r for _, r in self.linked}]
        self.action = self.choice("&Action:", "Action", options)
        self.action.setEditable(not unlink)  # type a reference to find it
        self.action.setMinimumContentsLength(40)
        if self.action.lineEdit() is not None:
            self.action.lineEdit().setCursorPosition(0)  # the reference, not the title's end

    def submit(self) -> Call | None:
        ref = self.action.currentData() if self.action.currentIndex() >= 0 else None
        typed = self.action.currentText().split()
        if ref is None or (self.action.isEditable() and typed and typed[0].upper() != ref):
            ref = typed[0] if typed else ""
        rid, version = self.rec_id, self.version
        if self.unlink:
            return lambda s, a: rv.unlink_action(s, a, rid, ref, version).id
        return lambda s, a: rv.link_action(s, a, rid, ref, version).id
