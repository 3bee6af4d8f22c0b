"""Reviews and recommendations through the services: who may change them, the board's response
and its reason, the state rules, the links to actions both ways, exempt case reviews, the
audit trail and conflicts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import audit_count, first_action
from vrboard.errors import ConflictError, NotFound, PermissionDenied, RuleViolation, ValidationError
from vrboard.model import (
    Action,
    ActionStatus,
    AuditEntry,
    Classification,
    Recommendation,
    RecommendationState,
    Response,
    Review,
)
from vrboard.services import reviews as rv
from vrboard.services.access import audit_scope
from vrboard.services.sources import DECISION, RECOMMENDATION, action_sources


def _review(db, **fields):
    values = {"title": "Review of Early Help", "workstream": "WS2",
              "commissioned_on": dt.date(2026, 1, 5), "reporting_date": dt.date(2026, 6, 30)}
    values.update(fields)
    with db.transaction() as s:
        return rv.add_review(s, actor(db, "rkaplan"), **values).id


def _rec(db, review_id, number="1", text="Create a single front door for Early Help", due=None):
    with db.transaction() as s:
        return rv.add_recommendation(s, actor(db, "rkaplan"), review_id, number, text, due).id


def _do(db, who, fn, *args, **kw):
    with db.transaction() as s:
        return fn(s, actor(db, who), *args, **kw)


def test_secretariat_adds_reviews_and_a_case_review_is_exempt_by_default(demo_db):
    service = _review(demo_db)
    case = _review(demo_db, title="Homicide and Serious Violence Case Review 2017-18",
                   kind="case_review", workstream="WS3")
    with demo_db.session() as s:
        assert s.get(Review, service).classification is Classification.OFFICIAL
        review = s.get(Review, case)
        assert review.classification is Classification.OFFICIAL_SENSITIVE and review.is_exempt
        assert review.workstream.code == "WS3"


@pytest.mark.parametrize("who", ["tfletcher", "hmarsh"])
def test_owners_and_viewers_may_not_change_reviews(demo_db, who):
    review = _review(demo_db)
    rec = _rec(demo_db, review)
    before = audit_count(demo_db)
    for call in ((rv.add_review, (), {"title": "X", "workstream": "WS2"}),
                 (rv.add_recommendation, (review, "2", "Text"), {}),
                 (rv.respond, (rec, "accepted"), {}),
                 (rv.link_action, (rec, 1), {})):
        with pytest.raises(PermissionDenied, match="may change reviews and their recommendations"):
            _do(demo_db, who, call[0], *call[1], **call[2])
    assert audit_count(demo_db) == before


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": " "}, "title", "Review title is required"),
    ({"workstream": "WS9"}, "workstream", "Workstream 'WS9' is not known"),
    ({"kind": "inquiry"}, "kind of review", "Kind of review must be one of service_review"),
    ({"reporting_date": dt.date(2025, 1, 1)}, "reporting_date", "before the review was commissioned"),
])
def test_bad_review_values_are_refused_plainly(demo_db, fields, field, message):
    before = audit_count(demo_db)
    with demo_db.session() as s:
        reviews = len(s.scalars(select(Review)).all())
    with pytest.raises(ValidationError, match=message) as err:
        _review(demo_db, **fields)
    assert err.value.field == field
    assert audit_count(demo_db) == before
    with demo_db.session() as s:
        assert len(s.scalars(select(Review)).all()) == reviews


def test_numbers_are_unique_within_a_review_and_sort_naturally(demo_db):
    review = _review(demo_db)
    for n in ("10", "2", "2a", "1"):
        _rec(demo_db, review, n, f"Recommendation text {n}")
    with pytest.raises(ValidationError, match="already has a recommendation 2A|already has a "
                                              "recommendation 2a"):
        _rec(demo_db, review, "2A")
    with demo_db.session() as s:
        assert [r.number for r in rv.recommendations(s.get(Review, review))] == ["1", "2", "2a", "10"]


def test_a_response_short_of_accepted_needs_its_reason(demo_db):
    rec = _rec(demo_db, _review(demo_db))
    for answer in ("partly_accepted", "not_accepted"):
        with pytest.raises(ValidationError, match="needs the reason") as err:
            _do(demo_db, "rkaplan", rv.respond, rec, answer, "  ")
        assert err.value.field == "response_reason"
    with pytest.raises(ValidationError, match="Response must be one of awaiting, accepted"):
        _do(demo_db, "rkaplan", rv.respond, rec, "maybe")
    _do(demo_db, "rkaplan", rv.respond, rec, "partly_accepted", "Funding covers two of three areas")
    with demo_db.session() as s:
        r = s.get(Recommendation, rec)
        assert (r.response, r.response_reason) == (Response.PARTLY_ACCEPTED,
                                                    "Funding covers two of three areas")


def test_implemented_needs_every_linked_action_complete_and_evidenced_a_note(demo_db):
    rec = _rec(demo_db, _review(demo_db))
    open_action = first_action(demo_db, ActionStatus.IN_PROGRESS)
    done_action = first_action(demo_db, ActionStatus.SIGNED_OFF)
    with pytest.raises(RuleViolation, match="only a recommendation the board accepted"):
        _do(demo_db, "rkaplan", rv.set_state, rec, "implemented")
    _do(demo_db, "rkaplan", rv.respond, rec, "accepted")
    with pytest.raises(RuleViolation, match="has no linked actions"):
        _do(demo_db, "rkaplan", rv.set_state, rec, "implemented")
    _do(demo_db, "rkaplan", rv.link_action, rec, open_action.reference)
    _do(demo_db, "rkaplan", rv.link_action, rec, done_action.id)
    with pytest.raises(RuleViolation, match=f"{open_action.reference} \\(in progress\\) is not"):
        _do(demo_db, "rkaplan", rv.set_state, rec, "implemented")
    _do(demo_db, "rkaplan", rv.unlink_action, rec, open_action.reference)
    _do(demo_db, "rkaplan", rv.set_state, rec, "implemented")
    with pytest.raises(ValidationError, match="the evidence note is required") as err:
        _do(demo_db, "rkaplan", rv.set_state, rec, "evidenced", "")
    assert err.value.field == "evidence_note"
    with pytest.raises(RuleViolation, match="set the recommendation back to open first"):
        _do(demo_db, "rkaplan", rv.link_action, rec, open_action.reference)
    _do(demo_db, "rkaplan", rv.set_state, rec, "evidenced", "Audit of 40 referrals, March 2026")
    with demo_db.session() as s:
        r = s.get(Recommendation, rec)
        assert r.state is RecommendationState.EVIDENCED
        assert [a.reference for a in r.actions] == [done_action.reference]


def test_a_recommendation_not_accepted_carries_no_actions(demo_db):
    rec = _rec(demo_db, _review(demo_db))
    action = first_action(demo_db, ActionStatus.IN_PROGRESS)
    _do(demo_db, "rkaplan", rv.link_action, rec, action.reference)
    with pytest.raises(RuleViolation, match="unlink its actions"):
        _do(demo_db, "rkaplan", rv.respond, rec, "not_accepted", "Outside the board's remit")
    _do(demo_db, "rkaplan", rv.unlink_action, rec, action.reference)
    _do(demo_db, "rkaplan", rv.respond, rec, "not_accepted", "Outside the board's remit")
    with pytest.raises(RuleViolation, match="did not accept recommendation 1"):
        _do(demo_db, "rkaplan", rv.link_action, rec, action.reference)
    with pytest.raises(NotFound, match="no action with reference 'ZZ-999'"):
        _do(demo_db, "rkaplan", rv.unlink_action, rec, "ZZ-999")


def test_the_link_is_kept_and_shown_both_ways_and_audited(demo_db):
    review = _review(demo_db)
    rec = _rec(demo_db, review, "3", "Joint triage of referrals with the police")
    with demo_db.session() as s:
        action = s.scalars(select(Action).where(Action.raised_meeting_id.is_not(None))
                           .order_by(Action.reference)).first()
        ref, action_id = action.reference, action.id
    before = audit_count(demo_db)
    _do(demo_db, "rkaplan", rv.link_action, rec, ref)
    with demo_db.session() as s:
        r = s.get(Recommendation, rec)
        assert [a.reference for a in r.actions] == [ref]  # recommendation -> actions
        a = s.get(Action, action_id)
        assert [x.id for x in a.recommendations] == [rec]  # action -> recommendations
        sources = action_sources(s, actor(demo_db, "tfletcher"), a)
        assert [x.kind for x in sources] == [DECISION, RECOMMENDATION]
        assert sources[0].where  # the meeting it was raised at
        assert sources[1].where == "Review of Early Help, recommendation 3"
        assert sources[1].text == "Joint triage of referrals with the police"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.id > 0, AuditEntry.entity == "recommendation")
                          .order_by(AuditEntry.id.desc())).first()
        assert (entry.field, entry.old_value, entry.new_value) == ("actions", "", ref)
        assert r.version == 2
    assert audit_count(demo_db) == before + 1


def test_a_case_review_is_shown_only_to_those_entitled(demo_db):
    case = _review(demo_db, title="Case Review: Victim A", kind="case_review", workstream="WS3")
    rec = _rec(demo_db, case, "1", "Share school exclusion data with the police within 48 hours")
    action = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    _do(demo_db, "rkaplan", rv.link_action, rec, action.reference)
    with demo_db.session() as s:
        owner = actor(demo_db, "tfletcher")  # an officer, not a board member
        seen = [r.title for r in rv.list_reviews(s, owner)]
        assert "Case Review: Victim A" not in seen and "Early Help Review" in seen
        assert not any(r.is_exempt for r in rv.list_reviews(s, owner))
        with pytest.raises(NotFound, match="exempt"):
            rv.get_review(s, owner, case)
        src = [x for x in action_sources(s, owner, s.get(Action, action.id)) if x.kind == RECOMMENDATION]
        assert src and all(x.exempt and x.ident is None for x in src)
        assert not any("Victim A" in x.where or "exclusion" in x.text for x in src)
        scope = audit_scope(s, owner)
        assert case in scope.records["review"] and rec in scope.records["recommendation"]
        member = actor(demo_db, "hmarsh")  # a viewer who sits on the board
        assert "Case Review: Victim A" in [r.title for r in rv.list_reviews(s, member)]
        full = [x for x in action_sources(s, member, s.get(Action, action.id))
                if x.ident == rec]
        assert full[0].where == "Case Review: Victim A, recommendation 1"


def test_a_stale_copy_is_refused_and_nothing_is_overwritten(demo_db):
    rec = _rec(demo_db, _review(demo_db))
    _do(demo_db, "rkaplan", rv.respond, rec, "accepted", version=1)
    with pytest.raises(ConflictError, match="version 1, the saved one is version 2"):
        _do(demo_db, "rkaplan", rv.update_recommendation, rec, 1, text="Changed")
    action = first_action(demo_db, ActionStatus.IN_PROGRESS)
    with pytest.raises(ConflictError):
        _do(demo_db, "rkaplan", rv.link_action, rec, action.reference, version=1)
    with demo_db.session() as s:
        r = s.get(Recommendation, rec)
        assert r.text.startswith("Create a single front door") and r.actions == []


def test_counts_for_the_pack(demo_db):
    review = _review(demo_db)
    today = dt.date.today()
    a = _rec(demo_db, review, "1", "One", due=today - dt.timedelta(days=10))
    b = _rec(demo_db, review, "2", "Two", due=today - dt.timedelta(days=10))
    _rec(demo_db, review, "3", "Three")
    _do(demo_db, "rkaplan", rv.respond, a, "accepted")
    _do(demo_db, "rkaplan", rv.respond, b, "not_accepted", "Already done by the NHS trust")
    with demo_db.session() as s:
        n = rv.counts(s.get(Review, review), today)
        assert (n.recommendations, n.accepted, n.not_accepted, n.awaiting, n.implemented,
                n.overdue) == (3, 1, 1, 1, 0, 1)
