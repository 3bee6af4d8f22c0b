"""Reviews and recommendations edited on the Reviews page: add and edit a review, add and edit
a recommendation, respond, set the state, link and unlink an action; each refusal shown while
the dialog stays open; nothing to press for a viewer."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from vrboard.model import Action, Recommendation, RecommendationState, Response, Review

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _page(qtbot, ctx):  # noqa: ANN001, ANN202
    from vrboard.ui.pages.reviews import ReviewsPage

    p = ReviewsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    p.refresh()
    return p


def _save(qtbot, dlg) -> None:  # noqa: ANN001
    with qtbot.waitSignal(dlg.finished):
        dlg.save()


def test_add_a_review_and_carry_out_its_recommendation(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    assert page.new_review_button.isEnabled()
    page.open_review(None)
    dlg = page.dialog
    dlg.title.setText("Review of knife crime education")
    dlg.kind.setCurrentIndex(dlg.kind.findData("case_review"))
    assert dlg.marking.currentData() == "OFFICIAL-SENSITIVE"  # the case review default
    dlg.kind.setCurrentIndex(dlg.kind.findData("service_review"))
    dlg.commissioned.set_date_value(dt.date(2026, 1, 10))
    dlg.reporting.set_date_value(dt.date(2025, 1, 10))  # before commissioning: refused
    dlg.save()
    assert dlg.isVisible() and "before the review was commissioned" in auto_dialogs[-1][1]
    dlg.reporting.edit.setText("31/13/2026")  # not a date: named, stays open
    dlg.save()
    assert dlg.isVisible() and "Reporting date" in auto_dialogs[-1][1]
    dlg.reporting.set_date_value(dt.date(2026, 6, 30))
    _save(qtbot, dlg)
    assert page.current_review().title == "Review of knife crime education"
    assert not page.edit_rec_button.isEnabled()  # no recommendation yet

    page.edit_review_button.click()
    edit = page.dialog
    assert edit.title.text() == "Review of knife crime education"
    edit.status.setCurrentIndex(edit.status.findData("reported"))
    _save(qtbot, edit)
    assert page.current_review().status == "Reported"

    page.add_rec_button.click()
    rec_dlg = page.dialog
    assert rec_dlg.number.text() == "1"
    rec_dlg.text_edit.setPlainText("Teach the risks of carrying a knife in every secondary school.")
    rec_dlg.due.set_date_value(dt.date(2026, 12, 31))
    _save(qtbot, rec_dlg)
    rec = page.current_rec()
    assert rec.number == "1" and rec.due == dt.date(2026, 12, 31)

    page.edit_rec_button.click()
    _edit_rec = page.dialog
    _edit_rec.number.setText("1a")
    _save(qtbot, _edit_rec)
    assert page.current_rec().number == "1a"

    page.respond_button.click()
    resp = page.dialog
    resp.response.setCurrentIndex(resp.response.findData("partly_accepted"))
    resp.save()  # no reason: refused, stays open
    assert resp.isVisible() and "needs the reason" in auto_dialogs[-1][1]
    resp.reason.setPlainText("Primary schools are out of scope.")
    _save(qtbot, resp)
    assert page.current_rec().response == "Partly accepted"

    page.state_button.click()
    st = page.dialog
    st.state.setCurrentIndex(st.state.findData("implemented"))
    st.save()  # no linked action: refused
    assert st.isVisible() and "no linked actions" in auto_dialogs[-1][1]
    st.reject()

    assert not page.unlink_button.isEnabled()
    page.link_button.click()
    link = page.dialog
    with ctx.read() as s:
        ref = s.scalars(select(Action.reference).order_by(Action.reference)).first()
    link.action.setCurrentIndex(link.action.findData(ref))
    _save(qtbot, link)
    assert page.current_rec().actions.startswith(ref)
    assert page.unlink_button.isEnabled()
    page.unlink_button.click()
    unlink = page.dialog
    assert unlink.action.count() == 1
    _save(qtbot, unlink)
    assert page.current_rec().actions == ""

    with ctx.read() as s:
        review = s.scalars(select(Review).where(Review.title == "Review of knife crime education")).one()
        r = s.scalars(select(Recommendation).where(Recommendation.review_id == review.id)).one()
        assert review.reporting_date == dt.date(2026, 6, 30) and review.status.value == "reported"
        assert r.response is Response.PARTLY_ACCEPTED and r.state is RecommendationState.OPEN
        assert r.response_reason == "Primary schools are out of scope." and not r.actions


def test_set_state_evidenced_needs_the_note(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    from vrboard.ui.dialogs.review import StateDialog

    with ctx.read() as s:
        rec = s.scalars(select(Recommendation).where(
            Recommendation.state == RecommendationState.IMPLEMENTED)).first()
    assert rec is not None
    dlg = StateDialog(ctx, rec.id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.state.setCurrentIndex(dlg.state.findData("evidenced"))
    dlg.evidence.setPlainText("")
    dlg.save()
    assert dlg.isVisible() and "evidence note is required" in auto_dialogs[-1][1]
    dlg.evidence.setPlainText("Audit of return interviews, March.")
    _save(qtbot, dlg)
    with ctx.read() as s:
        assert s.get(Recommendation, rec.id).state is RecommendationState.EVIDENCED


def test_a_viewer_and_an_owner_cannot_change_reviews(qtbot, viewer_ctx, owner_ctx) -> None:  # noqa: ANN001
    for c in (viewer_ctx, owner_ctx):
        page = _page(qtbot, c)
        buttons = (page.new_review_button, page.edit_review_button, page.add_rec_button,
                   page.edit_rec_button, page.respond_button, page.state_button,
                   page.link_button, page.unlink_button)
        assert not any(b.isEnabled() for b in buttons)
        assert "may change reviews" in page.respond_button.toolTip()
