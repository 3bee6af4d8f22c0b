"""Who is acting, through which channel, and what their role lets them do."""
from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied
from ..model import AccessRole, Board, BoardRole, Channel, Membership, Person


@dataclass(frozen=True)
class Actor:
    """The acting user. Services take one; the audit trail records it."""

    person_id: int | None
    name: str
    role: AccessRole
    channel: Channel = Channel.APP
    source: str = ""
    # Who actually recorded the act, when it is not the actor: the secretariat recording what
    # someone else did (a clerk recording the chair's approval at the meeting, with --as).
    recorded_by_id: int | None = None
    recorded_by_name: str = ""

    def via(self, channel: Channel, source: str = "") -> Actor:
        return replace(self, channel=channel, source=source)

    @property
    def on_behalf(self) -> bool:
        """Is someone else recording this actor's acts?"""
        return bool(self.recorded_by_name)

    def who(self) -> str:
        """"Ruth Kaplan for Cllr Zoë Adeyemi", or just the actor's name."""
        return acting_for(self.name, self.recorded_by_name)

    def describe(self) -> str:
        return f"{self.who()} ({self.role.label.lower()})"


def acting_for(name: str, recorded_by: str | None) -> str:
    """How an act recorded by one person for another is described everywhere."""
    return f"{recorded_by} for {name}" if recorded_by and recorded_by != name else name


def recorded_note(recorded_by: str | None, name: str = "") -> str:
    """" (recorded by Ruth Kaplan)" for a document signed or approved through the secretariat."""
    return f" (recorded by {recorded_by})" if recorded_by and recorded_by != name else ""


SYSTEM = Actor(None, "vrboard (system)", AccessRole.SECRETARIAT, Channel.SYSTEM)


class Perm(StrEnum):
    READ = "read the board's record"
    EDIT_BOARD = "change the board's membership"
    EDIT_MEETINGS = "change meetings, agendas, attendance and minutes"
    EDIT_ACTIONS = "create and edit any action"
    EDIT_REVIEWS = "change reviews and their recommendations"
    EDIT_DUTY = "record the Serious Violence Duty (local definition, needs assessment, strategy)"
    EDIT_COMMUNITY = "change community conversations, the youth panel and the needs assessment"
    UPDATE_OWN_ACTIONS = "update their own actions"
    IMPORT = "import returned trackers"
    EXPORT = "export trackers and lists"
    ADMIN = "back up, restore and manage the database"


_ALL = set(Perm)
ROLE_PERMS: dict[AccessRole, set[Perm]] = {
    AccessRole.SECRETARIAT: _ALL,
    AccessRole.CHAIR: _ALL,
    AccessRole.OWNER: {Perm.READ, Perm.UPDATE_OWN_ACTIONS, Perm.IMPORT, Perm.EXPORT},
    AccessRole.VIEWER: {Perm.READ},
}


def can(actor: Actor, perm: Perm) -> bool:
    return perm in ROLE_PERMS[actor.role]


def who_may(perm: Perm) -> str:
    roles = [r.label.lower() for r in AccessRole if perm in ROLE_PERMS[r]]
    return " or ".join(roles) if len(roles) < 3 else f"{', '.join(roles[:-1])} or {roles[-1]}"


def require(actor: Actor, perm: Perm) -> None:
    if not can(actor, perm):
        raise PermissionDenied(
            f"Only the {who_may(perm)} may {perm.value}; you are signed in as {actor.describe()}."
        )


def chair_status(session: Session, actor: Actor, on: dt.date | None = None) -> str | None:
    """None when the actor may act as chair now, else the reason they may not."""
    on = on or dt.date.today()
    if actor.person_id is None:
        return "the system account is not the chair"
    rows = session.scalars(
        select(Membership).where(Membership.person_id == actor.person_id)
    ).all()
    current = [m for m in rows if m.is_current(on)]
    if any(m.role is BoardRole.CHAIR for m in current):
        return None
    for m in current:
        if m.role is BoardRole.VICE_CHAIR:
            board = session.get(Board, m.board_id)
            if board is not None and board.acting_chair_id == actor.person_id:
                return None
            return "the vice-chair may do this only while recorded as acting chair"
    return f"{actor.name} is not the chair of the board"


def require_chair(session: Session, actor: Actor, what: str) -> None:
    reason = chair_status(session, actor)
    if reason is not None:
        raise PermissionDenied(
            f"Only the chair (or the vice-chair recorded as acting chair) may {what}; {reason}."
        )


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises various errors when no login is known
        return ""


def find_person(session: Session, who: str) -> Person | None:
    """A person by login, e-mail or exact name (case-insensitive); failing those, by the part
    of their e-mail address before the @ when exactly one person's matches (council logins
    usually are that part)."""
    w = who.strip().lower()
    if not w:
        return None
    for col in (Person.login, Person.email, Person.name):
        person = session.scalars(select(Person).where(func.lower(col) == w)).first()
        if person is not None:
            return person
    if "@" not in w:
        matches = session.scalars(
            select(Person).where(func.lower(Person.email).like(f"{_like_escape(w)}@%", escape="\\"))
        ).all()
        if len(matches) == 1:
            return matches[0]
    return None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def actor_for(person: Person, channel: Channel = Channel.APP) -> Actor:
    """The Actor for a person acting for themselves (their own login)."""
    if not person.active:
        raise PermissionDenied(f"{person.name}'s account is marked inactive.")
    return Actor(person.id, person.name, person.access_role, channel)


def resolve_actor(session: Session, who: str | None, channel: Channel) -> Actor:
    """The acting user on an embedded (SQLite) file: the person whose login is the operating
    system's login. ``who`` (``--as``) names someone else whose act the secretariat is recording;
    anyone else is refused, and the Actor then carries both people.

    Refuses an unknown user: nobody acts anonymously. On a PostgreSQL server the person is the
    connection's login (services/identity.py); ``--as`` and the OS login are not used there.
    """
    if session.get_bind().dialect.name == "postgresql":
        from .identity import server_actor

        return server_actor(session, who, channel)
    login = os_login()
    me = find_person(session, login) if login else None
    target = find_person(session, who) if who else None
    if who and target is None:
        raise NotFound(
            f"No person on this board has the login, e-mail or name '{who}' (given with --as). "
            "Use the login, e-mail or full name of someone on the Board page."
        )
    if me is None:
        if who:
            raise PermissionDenied(
                f"--as {who}: only the board secretariat may record what someone else did, and you "
                f"are logged in to this computer as '{login}', which is not linked to anyone on this "
                f"board. Ask the secretariat to record '{login}' as your login (Board page)."
            )
        raise NotFound(
            f"You are logged in to this computer as '{login}', which is not linked to anyone on "
            f"this board. Ask the board secretariat to record '{login}' as your login against "
            "your name (Board page)."
        )
    if target is None or target.id == me.id:
        return actor_for(me, channel)
    if me.access_role is not AccessRole.SECRETARIAT or not me.active:
        raise PermissionDenied(
            f"--as {who}: only the board secretariat may record what someone else did (a clerk "
            f"recording the chair's approval at the meeting); you are {me.name} "
            f"({me.access_role.label.lower()}), so you act as yourself: leave out --as."
        )
    acting = actor_for(target, channel)
    return replace(acting, recorded_by_id=me.id, recorded_by_name=me.name)


def exempt_refusal(session: Session, actor: Actor, on: dt.date | None = None) -> str | None:
    """None when the actor may see exempt (Part 2) information, else why not (the rule lives
    in ``services.access``)."""
    from .access import exempt_refusal as refusal

    return refusal(session, actor, on)


def require_exempt_access(session: Session, actor: Actor) -> None:
    from .access import require_exempt_access as require_access

    require_access(session, actor)
