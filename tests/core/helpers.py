"""Small helpers shared by the core tests."""
from __future__ import annotations

from sqlalchemy import func, select

from vrboard.model import Action, ActionStatus, AuditEntry, Person
from vrboard.store import Database


def first_action(db: Database, status: ActionStatus, owner_login: str | None = None,
                 not_owner_login: str | None = None) -> Action:
    with db.session() as s:
        q = select(Action).where(Action.status == status).order_by(Action.reference)
        if owner_login:
            q = q.join(Person, Action.owner_id == Person.id).where(Person.login == owner_login)
        if not_owner_login:
            q = q.join(Person, Action.owner_id == Person.id).where(Person.login != not_owner_login)
        action = s.scalars(q).first()
        assert action is not None, f"the demo has no {status} action for {owner_login}"
        return action


def audit_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def load(db: Database, cls, ident):
    with db.session() as s:
        return s.get(cls, ident)
