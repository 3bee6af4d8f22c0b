"""Who is acting on a shared PostgreSQL board: the person whose ``login`` is the connection's
``session_user``. The server authenticated that login (password, or Kerberos single sign-on);
nothing the client says (``--as``, the operating-system login) changes it."""
from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied
from ..model import Channel, Person
from .context import Actor


def is_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def server_login(session: Session) -> str:
    return str(session.scalar(text("SELECT session_user")))


def person_actor(person: Person, channel: Channel) -> Actor:
    return Actor(person.id, person.name, person.access_role, channel)


def not_linked(login: str) -> str:
    return (f"You are connected as '{login}', which is not linked to anyone on this board; ask the "
            f"board secretariat to record {login} as a person's login.")


def server_actor(session: Session, who: str | None, channel: Channel) -> Actor:
    """The Actor for the connection's login. ``who`` (``--as``) is refused unless it is that
    very login: on a server you act as the login the server checked."""
    login = server_login(session)
    if who is not None and who.strip() and who.strip() != login:
        raise PermissionDenied(
            f"On a shared server you act as your database login, {login}; --as {who.strip()} is "
            "not accepted there. To record something as another person, they sign in with their "
            "own login (or the secretariat records it in their own name).")
    person = session.scalars(select(Person).where(Person.login == login)).first()
    if person is None:
        raise NotFound(not_linked(login))
    if not person.active:
        raise PermissionDenied(
            f"You are connected as '{login}', the login of {person.name}, whose account is marked "
            "inactive on this board; ask the board secretariat to reactivate it.")
    return person_actor(person, channel)


def setup_login(session: Session, as_user: str | None, fallback: str) -> str:
    """The login recorded as the board secretariat by ``init``: on a server, the connection's
    login (``--as`` is refused as elsewhere); on a file, ``--as`` or the OS login."""
    if not is_server(session):
        return as_user or fallback
    login = server_login(session)
    if as_user and as_user.strip() != login:
        raise PermissionDenied(
            f"On a shared server you act as your database login, {login}; --as {as_user.strip()} "
            "is not accepted there. The login that sets up the board is recorded as its "
            "secretariat; the secretariat then records everyone else on the Board page.")
    return login
