"""The batch service (what an import uses) writes exactly what update_action and
add_progress write, audit trail included, refuses by the same rules, and never
overwrites a change made since the actions were read."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tests.conftest import actor
from tests.core.helpers import audit_count
from vrboard.errors import ConflictError, PermissionDenied, RuleViolation
from vrboard.model import RAG, Action, ActionStatus, AuditEntry, Channel, Person, ProgressUpdate, UpdateSource
from vrboard.services import action_batch as batch
from vrboard.services import actions as act
from vrboard.store import Database

SOURCE = "returns.xlsx"


def _open_actions(db: Database, n: int, owner: str | None = None) -> list[Action]:
    with db.session() as s:
        q = select(Action).where(Action.status.in_([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]))
        if owner:
            q = q.join(Person, Action.owner_id == Person.id).where(Person.login == owner)
        found = list(s.scalars(q.order_by(Action.reference)).all()[:n])
    assert len(found) == n, f"the demo has fewer than {n} such actions"
    return found


def _updates(actions: list[Action]) -> list[batch.ActionUpdate]:
    """A mix: RAG, percent, a revised date, completion (which sets 100% and the completion
    date), progress alone, and changes with progress."""
    kinds = [
        {"rag": RAG.RED},
        {"percent_complete": 55, "rag": RAG.AMBER},
        {"revised_due_date": dt.date(2031, 1, 31)},
        {"status": ActionStatus.AWAITING_SIGN_OFF},
        {},
        {"status": ActionStatus.IN_PROGRESS, "percent_complete": 10},
    ]
    out = []
    for n, a in enumerate(actions):
        changes = kinds[n % len(kinds)]
        text = f"Update {n}: partners met." if n % 2 == 0 or not changes else ""
        out.append(batch.ActionUpdate(n + 2, a.id, a.version, changes, text, source=f"{SOURCE} row {n + 2}",
                                      source_file=SOURCE, source_row=n + 2, author_name="Tom Fletcher"))
    return out


def _written(s, since_audit: int, since_progress: int, ids: list[int]):
    """What a batch or the services wrote, without ids and clock times."""
    actions = [(a.id, a.version, a.status, a.rag, a.percent_complete, a.revised_due_date, a.completed_on)
               for a in s.scalars(select(Action).where(Action.id.in_(ids)).order_by(Action.id))]
    pu = ProgressUpdate
    new_progress = select(pu).where(pu.id > since_progress).order_by(pu.id)
    progress = [(p.action_id, p.on_date, p.author_id, p.author_name, p.text, p.source, p.source_file,
                 p.source_row) for p in s.scalars(new_progress)]
    trail = []
    for e in s.scalars(select(AuditEntry).where(AuditEntry.id > since_audit).order_by(AuditEntry.id)):
        row = (e.actor_id, e.actor_name, e.channel, e.source, e.entity, e.field, e.old_value, e.new_value)
        if e.entity == "action":
            row += (e.entity_id, e.entity_label)
        else:  # a progress update's id differs between the two runs; its snapshot must not
            assert e.entity_label == f"Progress update {e.entity_id}"
            assert json.loads(e.new_value)["source_row"]
        trail.append(row)
    return actions, progress, trail


def _marks(s) -> tuple[int, int]:
    last = (s.scalar(select(func.max(t.id))) or 0 for t in (AuditEntry, ProgressUpdate))
    return next(last), next(last)


def test_the_batch_writes_exactly_what_the_services_write(demo_any: Database) -> None:
    db = demo_any
    sec = actor(db, "rkaplan")
    actions = _open_actions(db, 12)
    ids = [a.id for a in actions]
    updates = _updates(actions)

    with db.session() as s:
        marks = _marks(s)
        for u in updates:
            who = sec.via(Channel.IMPORT, u.source)
            if u.changes:
                act.update_action(s, who, u.action_id, u.expected_version, u.changes)
            if u.progress_text:
                act.add_progress(s, who, u.action_id, u.progress_text, source=UpdateSource.SPREADSHEET,
                                 source_file=u.source_file, source_row=u.source_row,
                                 author_name=u.author_name)
        by_services = _written(s, *marks, ids)
        s.rollback()

    with db.session() as s:
        marks = _marks(s)
        result = batch.apply_updates(s, sec.via(Channel.IMPORT), updates)
        by_batch = _written(s, *marks, ids)
        s.commit()
        stamped = s.scalars(select(AuditEntry.at).where(AuditEntry.id > marks[0])).all()
        changed_at = s.scalars(select(Action.updated_at).where(Action.id.in_(ids))).all()

    assert not result.refused
    assert result.applied == [u.key for u in updates]
    now = dt.datetime.now(dt.UTC)
    assert stamped and all(abs(now - at) < dt.timedelta(minutes=5) for at in [*stamped, *changed_at])
    assert result.progress_added == sum(1 for u in updates if u.progress_text)
    assert by_batch == by_services
    actions_after, progress, trail = by_batch
    assert any(status is ActionStatus.AWAITING_SIGN_OFF and pct == 100 and done == dt.date.today()
               for _i, _v, status, _r, pct, _d, done in actions_after)
    assert len(progress) == result.progress_added
    assert {row[3] for row in trail} == {u.source for u in updates}  # every entry names its own row


def test_an_owner_batch_touching_another_owners_action_writes_nothing(demo_db: Database) -> None:
    db = demo_db
    tf = actor(db, "tfletcher")
    own = _open_actions(db, 2, owner="tfletcher")
    other = _open_actions(db, 1, owner="msantos")
    updates = [batch.ActionUpdate(k, a.id, a.version, {"percent_complete": 40}, source=f"{SOURCE} row {k}")
               for k, a in enumerate([*own, *other], start=2)]
    before = audit_count(db)
    with db.transaction() as s:
        result = batch.apply_updates(s, tf, updates)
    assert result.applied == []
    assert [(k, type(e)) for k, e in result.refused] == [(4, PermissionDenied)]
    assert "belongs to" in str(result.refused[0][1])
    assert audit_count(db) == before
    with db.session() as s:
        assert [s.get(Action, a.id).version for a in own] == [a.version for a in own]

    with db.transaction() as s:  # skipping the refused row, the others are written
        result = batch.apply_updates(s, tf, updates, all_or_nothing=False)
    assert result.applied == [2, 3]
    assert [k for k, _e in result.refused] == [4]
    with db.session() as s:
        assert [s.get(Action, a.id).percent_complete for a in own] == [40, 40]
        assert s.get(Action, other[0].id).version == other[0].version


def test_the_rules_of_the_services_hold(demo_db: Database) -> None:
    db = demo_db
    sec = actor(db, "rkaplan")
    a, b, c = _open_actions(db, 3)
    with db.transaction() as s:
        act.drop(s, sec, b.id, b.version, "Merged into another action.")
    with db.session() as s:
        b_version = s.get(Action, b.id).version
    updates = [
        batch.ActionUpdate(2, a.id, a.version, {"status": ActionStatus.SIGNED_OFF}),
        batch.ActionUpdate(3, b.id, b_version, {}, "Progress on a dropped action."),
        batch.ActionUpdate(4, c.id, c.version - 1, {"rag": RAG.RED}),
    ]
    with db.transaction() as s:
        result = batch.apply_updates(s, sec, updates, all_or_nothing=False)
    refused = dict(result.refused)
    assert isinstance(refused[2], RuleViolation) and "chair's sign-off" in str(refused[2])
    assert isinstance(refused[3], RuleViolation) and "dropped" in str(refused[3])
    assert isinstance(refused[4], ConflictError)
    assert result.applied == []


def test_a_change_saved_after_the_actions_were_read_is_never_overwritten(demo_db: Database) -> None:
    """The import reads the actions for its plan, someone saves one of them, then the import
    applies: the batch sees the newer version and refuses that row."""
    db = demo_db
    sec, chair = actor(db, "rkaplan"), actor(db, "zadeyemi")
    a, b = _open_actions(db, 2)
    with db.session() as s:
        held = list(s.scalars(select(Action).where(Action.id.in_([a.id, b.id]))))  # the plan's copies
        with db.transaction() as other:
            act.update_action(other, chair, a.id, a.version, {"rag": RAG.AMBER})
        updates = [batch.ActionUpdate(2, a.id, a.version, {"rag": RAG.RED}),
                   batch.ActionUpdate(3, b.id, b.version, {"rag": RAG.RED})]
        result = batch.apply_updates(s, sec, updates, all_or_nothing=False)
        s.commit()
        assert held
    assert result.applied == [3]
    assert isinstance(dict(result.refused)[2], ConflictError)
    with db.session() as s:
        assert s.get(Action, a.id).rag is RAG.AMBER
        assert s.get(Action, b.id).rag is RAG.RED


def test_the_same_action_twice_in_one_batch_is_refused(demo_db: Database) -> None:
    db = demo_db
    sec = actor(db, "rkaplan")
    (a,) = _open_actions(db, 1)
    updates = [batch.ActionUpdate(2, a.id, a.version, {"rag": RAG.RED}),
               batch.ActionUpdate(3, a.id, a.version, {"rag": RAG.AMBER})]
    with db.transaction() as s:
        result = batch.apply_updates(s, sec, updates)
    assert result.applied == [] and [k for k, _e in result.refused] == [3]
    assert "twice" in str(result.refused[0][1])


@pytest.mark.parametrize("changes", [{"plan_codes": ["VAWG"]}, {"title": ""}])
def test_changes_the_batch_does_not_take_are_refused_cleanly(demo_db: Database, changes: dict) -> None:
    db = demo_db
    sec = actor(db, "rkaplan")
    (a,) = _open_actions(db, 1)
    with db.transaction() as s:
        result = batch.apply_updates(s, sec, [batch.ActionUpdate(2, a.id, a.version, changes)])
    assert result.applied == [] and len(result.refused) == 1
