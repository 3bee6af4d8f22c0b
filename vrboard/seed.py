"""``vrboard init``: the board, the eight workstreams, the four plans and the six domains,
taken from the strategy (``db/seed.json``)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import RuleViolation
from .model import AccessRole, Board, Classification, Domain, Person, Plan, Workstream
from .services.audit import bind
from .services.context import SYSTEM, find_person
from .store import DB_DIR

SEED_FILE = DB_DIR / "seed.json"


def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def is_initialised(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Board)) or 0) > 0


def init_board(session: Session, login: str) -> Board:
    """Create the board and its fixed structure, and a secretariat account for ``login``
    (the person running init), so somebody can act. Refuses an initialised database."""
    if is_initialised(session):
        raise RuleViolation("This database already holds a board; nothing was changed.")
    bind(session, SYSTEM)
    seed = load_seed()
    b = seed["board"]
    board = Board(
        name=b["name"], short_name=b["short_name"], council=b["council"],
        reports_to=b["reports_to"], default_quorum=b["default_quorum"],
        min_members=b["min_members"], max_members=b["max_members"],
        classification=Classification(b["classification"]),
    )
    session.add(board)
    for n, ws in enumerate(seed["workstreams"], start=1):
        session.add(Workstream(code=ws["code"], name=ws["name"], description=ws["description"],
                               position=n))
    for p in seed["plans"]:
        session.add(Plan(
            code=p["code"], name=p["name"], period=p["period"],
            period_start=_date(p["period_start"]), period_end=_date(p["period_end"]),
            reference_prefix=p["reference_prefix"],
        ))
    for n, name in enumerate(seed["domains"], start=1):
        session.add(Domain(name=name, position=n))
    session.flush()
    from .services.standing import seed_standing_items

    seed_standing_items(session)
    if login and find_person(session, login) is None:
        session.add(Person(name=login, job_title="Board secretariat", login=login,
                           access_role=AccessRole.SECRETARIAT))
    session.flush()
    return board


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None
