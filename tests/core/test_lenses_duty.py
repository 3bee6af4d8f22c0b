"""Lenses (tags on actions and indicators, values by group, filters by domain and tag), the
Home Office outcome-measure templates and the Serious Violence Duty, through the services:
rules, permissions, the audit trail, conflicts, and the database unchanged on refusal."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import audit_count
from vrboard.errors import ConflictError, NotFound, PermissionDenied, RuleViolation, ValidationError
from vrboard.model import Action, AuditEntry, Domain, DutyRecord, Indicator, Tag
from vrboard.services import duty as dy
from vrboard.services import lenses as ln
from vrboard.services.indicators import set_value
from vrboard.services.outcome_measures import MEASURES, SOURCE, add_from_template
from vrboard.services.queries import ActionFilter, list_actions


def _do(db, who, fn, *args, **kw):
    with db.transaction() as s:
        return fn(s, actor(db, who), *args, **kw)


def _tag(db, group="Age band", name="Under 18s (test)"):
    return _do(db, "rkaplan", ln.add_tag, group, name).id


def _ref(db, n=0):
    with db.session() as s:
        return list(s.scalars(select(Action.reference).order_by(Action.reference)))[n]


def test_secretariat_makes_tags_and_a_duplicate_is_refused(demo_db):
    tid = _tag(demo_db)
    before = audit_count(demo_db)
    with pytest.raises(ValidationError, match="already a tag Age band: Under 18s"):
        _do(demo_db, "rkaplan", ln.add_tag, "age band", "under 18s (TEST)")
    with pytest.raises(ValidationError, match="cannot contain ':'"):
        _do(demo_db, "rkaplan", ln.add_tag, "Age: band", "x")
    assert audit_count(demo_db) == before
    with demo_db.session() as s:
        assert ln.find_tag(s, "Age band: under 18s (test)").id == tid
        with pytest.raises(NotFound, match="There is no tag 'Nobody'"):
            ln.find_tag(s, "Nobody")


@pytest.mark.parametrize("who", ["tfletcher", "hmarsh"])
def test_owners_and_viewers_may_not_tag(demo_db, who):
    tid = _tag(demo_db)
    ref = _ref(demo_db)
    with pytest.raises(PermissionDenied):
        _do(demo_db, who, ln.add_tag, "Gender", "Test")
    with pytest.raises(PermissionDenied):
        _do(demo_db, who, ln.tag_action, ref, tid)
    with pytest.raises(PermissionDenied):
        _do(demo_db, who, dy.set_duty, local_definition="x")


def test_tagging_an_action_is_audited_bumps_its_version_and_filters(demo_db):
    tid = _tag(demo_db)
    ref = _ref(demo_db, 3)
    with demo_db.session() as s:
        version = s.scalars(select(Action).where(Action.reference == ref)).one().version
    a = _do(demo_db, "rkaplan", ln.tag_action, ref, "Age band: Under 18s (test)", version=version)
    assert a.version == version + 1
    with demo_db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "action", AuditEntry.field == "tags")
                          .order_by(AuditEntry.id.desc())).first()
        assert entry is not None and "Age band: Under 18s (test)" in (entry.new_value or "")
        got = [x.reference for x in list_actions(s, ActionFilter(tag_id=tid))]
        assert got == [ref]
    with pytest.raises(ValidationError, match="already tagged"):
        _do(demo_db, "rkaplan", ln.tag_action, ref, tid)
    with pytest.raises(ConflictError):  # a stale copy
        _do(demo_db, "rkaplan", ln.untag_action, ref, tid, version=version)
    _do(demo_db, "rkaplan", ln.untag_action, ref, tid)
    with demo_db.session() as s:
        assert list_actions(s, ActionFilter(tag_id=tid)) == []


def test_actions_filter_by_domain(demo_db):
    with demo_db.session() as s:
        dom = ln.find_domain(s, "Enforcement")
        expected = sorted(s.scalars(select(Action.reference).where(Action.domain_id == dom.id)))
        got = [a.reference for a in list_actions(s, ActionFilter(domain_id=dom.id))]
        assert got == expected and got
        with pytest.raises(NotFound, match="does not name one domain"):
            ln.find_domain(s, "Nowhere")


def test_a_tag_in_use_is_not_deleted(demo_db):
    tid = _tag(demo_db)
    _do(demo_db, "rkaplan", ln.tag_action, _ref(demo_db), tid)
    with pytest.raises(RuleViolation, match="is in use"):
        _do(demo_db, "rkaplan", ln.delete_tag, tid)
    with demo_db.session() as s:
        assert s.get(Tag, tid) is not None


def test_values_by_group_need_the_overall_value_first(demo_db):
    tid = _tag(demo_db)
    ind = _do(demo_db, "rkaplan", add_from_template, "sharp-admissions", code="T-ADM", target=40)
    before = audit_count(demo_db)
    with pytest.raises(RuleViolation, match="has no value for 2026/27 Q1"):
        _do(demo_db, "rkaplan", ln.set_group_value, "T-ADM", "2026/27 Q1", tid, 9)
    assert audit_count(demo_db) == before
    _do(demo_db, "rkaplan", set_value, ind.id, "2026/27 Q1", 30)
    g = _do(demo_db, "rkaplan", ln.set_group_value, "T-ADM", "2026/27 Q1", tid, 9)
    assert g.value == 9
    _do(demo_db, "rkaplan", ln.set_group_value, "T-ADM", "2026/27 Q1", tid, 11)  # a correction
    with pytest.raises(ValidationError, match="must be a number"):
        _do(demo_db, "rkaplan", ln.set_group_value, "T-ADM", "2026/27 Q1", tid, float("nan"))
    with pytest.raises(PermissionDenied):
        _do(demo_db, "tfletcher", ln.set_group_value, "T-ADM", "2026/27 Q1", tid, 1)
    with demo_db.session() as s:
        i = s.scalars(select(Indicator).where(Indicator.code == "T-ADM")).one()
        assert [(x.tag_id, x.value) for x in i.values[0].by_group] == [(tid, 11.0)]
    _do(demo_db, "rkaplan", ln.tag_indicator, "T-ADM", tid)
    with demo_db.session() as s:
        tagged = s.scalars(select(Indicator).where(Indicator.code == "T-ADM")).one()
        assert [t.id for t in tagged.tags] == [tid]


def test_outcome_measure_templates(demo_db):
    assert {m.key for m in MEASURES} == {"homicides", "sharp-admissions", "knife-violence"}
    ind = _do(demo_db, "rkaplan", add_from_template, "homicides", code="T-HOM")
    with demo_db.session() as s:
        i = s.get(Indicator, ind.id)
        assert i.source == SOURCE and not i.higher_is_better and i.workstream.code == "WS4"
        assert "under 25" in i.name
    with pytest.raises(NotFound, match="no outcome-measure template 'murders'"):
        _do(demo_db, "rkaplan", add_from_template, "murders")
    with pytest.raises(ValidationError, match="already used"):
        _do(demo_db, "rkaplan", add_from_template, "homicides", code="T-HOM")
    with pytest.raises(PermissionDenied):
        _do(demo_db, "hmarsh", add_from_template, "knife-violence", code="T-K")


def _clear_duty(db):
    with db.transaction() as s:
        for r in s.scalars(select(DutyRecord)):
            dy.bind(s, actor(db, "rkaplan"))
            s.delete(r)


def test_duty_rules_and_what_is_due_next(demo_db):
    _clear_duty(demo_db)
    today = dt.date(2026, 11, 30)
    with demo_db.session() as s:
        items = dy.status(dy.get_duty(s, actor(demo_db, "hmarsh")), today)
        assert {i.state for i in items} == {"Not recorded"}
    before = audit_count(demo_db)
    with pytest.raises(ValidationError, match="record the assessment's date first"):
        _do(demo_db, "rkaplan", dy.set_duty, today=today, strategy_published_on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="is in the future"):
        _do(demo_db, "rkaplan", dy.set_duty, today=today, needs_assessment_on=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="before the needs assessment"):
        _do(demo_db, "rkaplan", dy.set_duty, today=today, needs_assessment_on=dt.date(2026, 6, 1),
            strategy_published_on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="Unknown Duty field"):
        _do(demo_db, "rkaplan", dy.set_duty, today=today, colour="red")
    assert audit_count(demo_db) == before
    with demo_db.session() as s:
        assert s.scalars(select(DutyRecord)).first() is None
    rec = _do(demo_db, "zadeyemi", dy.set_duty, today=today,
              local_definition="Violence in public places causing or risking serious injury",
              needs_assessment_on=dt.date(2026, 3, 1),
              strategy_published_on=dt.date(2026, 4, 30))
    assert rec.review_due_on == dt.date(2027, 4, 30)  # a year after publication
    with pytest.raises(ValidationError, match="before the strategy was published"):
        _do(demo_db, "rkaplan", dy.set_duty, today=today, review_done_on=dt.date(2026, 4, 1))
    with demo_db.session() as s:
        rec = dy.get_duty(s, actor(demo_db, "hmarsh"))
        items = dy.status(rec, dt.date(2027, 3, 15))
        nxt = dy.next_due(items)
        assert nxt is not None and nxt.what == "Annual review of the strategy" and nxt.state == "Due soon"
        assert dy.next_due(dy.status(rec, dt.date(2027, 5, 1))).state == "Overdue"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "duty_record")).all()
        assert entries, "the Duty record is audited"
    rec = _do(demo_db, "rkaplan", dy.set_duty, today=dt.date(2027, 5, 2), review_done_on=dt.date(2027, 5, 1))
    assert rec.review_due_on == dt.date(2028, 5, 1)
    with pytest.raises(ConflictError):
        _do(demo_db, "rkaplan", dy.set_duty, version=1, strategy_link="https://example.gov.uk/svd")


def test_counts_by_domain_and_tag(demo_db):
    tid = _tag(demo_db)
    ref = _ref(demo_db, 1)
    _do(demo_db, "rkaplan", ln.tag_action, ref, tid)
    with demo_db.session() as s:
        actions = list(s.scalars(select(Action)))
        rows = ln.lens_rows(s, actions, dt.date.today())
        domains = [r for r in rows if r.lens == "Domain"]
        assert len(domains) == s.query(Domain).count() + 1
        live = [a for a in actions if a.status.value != "dropped"]
        assert sum(r.actions for r in domains) == len(live)
        mine = next(r for r in rows if r.name == "Under 18s (test)")
        assert mine.lens == "Age band" and mine.actions == 1
