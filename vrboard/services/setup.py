"""Setting a board up from nothing: who leads each workstream."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..model import Person, Workstream
from . import common as c
from .audit import bind
from .context import Actor, Perm, require


def set_workstream_lead(session: Session, actor: Actor, workstream_id: int,
                        person_id: int | None) -> Workstream:
    """Name (or clear, with ``None``) the lead of a workstream."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    ws = c.get(session, Workstream, workstream_id, "workstream")
    if person_id is not None:
        c.get(session, Person, person_id, "person")
    if ws.lead_id != person_id:
        ws.lead_id = person_id
    c.flush(session, ws)
    return ws
