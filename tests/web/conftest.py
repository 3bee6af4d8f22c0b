"""Fixtures for the website tests: the demo board with exempt material planted everywhere,
published once per run (with the public packs)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.conftest import actor, build_demo_into
from tests.need_to_know import HELD_UNSIGNED, MARK, add_exempt_material
from vrboard.model import (
    Action,
    AgendaItem,
    Classification,
    Decision,
    Declaration,
    Meeting,
    MeetingStatus,
    Minute,
    Paper,
    ProgressUpdate,
)
from vrboard.services import access
from vrboard.services import meetings as mtg
from vrboard.services.audit import bind
from vrboard.store import Database, open_database


def plant_everywhere(db: Database) -> None:
    """The marker in every exempt field of the board (services.access, E1-E7): the presenter,
    minute and decisions of every exempt item, the title, file name and bytes of every exempt
    paper, every declaration on an exempt item, the title, description and updates of every
    Part 2 action, and a whole meeting classified OFFICIAL-SENSITIVE. Meeting 2's minutes
    (with its Part 2 minute) are then signed, so they are published."""
    add_exempt_material(db)
    sec = actor(db, "rkaplan")
    with db.transaction() as s:
        bind(s, sec)  # the planting is audited like any change
        items = list(s.scalars(access.exempt_items()))
        s.execute(update(AgendaItem).where(AgendaItem.id.in_(items)).values(presenter=f"Presenter {MARK}"))
        minutes = list(s.scalars(access.exempt_minutes()))
        s.execute(update(Minute).where(Minute.id.in_(minutes))
                  .values(discussion=Minute.discussion + f" Discussed {MARK}."))
        s.execute(update(Decision).where(Decision.id.in_(access.exempt_decisions()))
                  .values(text=Decision.text + f" Decided {MARK}."))
        papers = list(s.scalars(access.exempt_papers()))
        s.execute(update(Paper).where(Paper.id.in_(papers))
                  .values(title=Paper.title + f" {MARK}", file_name=f"{MARK}.pdf"))
        s.execute(update(Declaration).where(Declaration.id.in_(access.exempt_declarations()))
                  .values(nature=Declaration.nature + f" {MARK}", dispensation=f"Left {MARK}"))
        part2 = list(s.scalars(access.part2_actions()))
        s.execute(update(Action).where(Action.id.in_(part2))
                  .values(title=Action.title + f" {MARK}", description=f"About {MARK}"))
        s.execute(update(ProgressUpdate).where(ProgressUpdate.action_id.in_(part2))
                  .values(text=ProgressUpdate.text + f" {MARK}"))
        # a Part 1 item made OFFICIAL-SENSITIVE: exempt too (E1), its minute with the marker
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == 1, AgendaItem.part == 1)
                         .order_by(AgendaItem.position.desc())).first()
        item.classification = Classification.OFFICIAL_SENSITIVE
        item.presenter = f"Officer {MARK}"
        if item.minute is not None:
            s.execute(update(Minute).where(Minute.id == item.minute.id).values(discussion=f"Case {MARK}."))
        # a whole meeting classified OFFICIAL-SENSITIVE: left out of the site altogether
        mtg.create_meeting(s, sec, dt.datetime(2024, 1, 10, 14), title=f"Extraordinary meeting {MARK}",
                           venue=f"Room {MARK}", status=MeetingStatus.HELD,
                           classification=Classification.OFFICIAL_SENSITIVE)
        m2 = s.get(Meeting, HELD_UNSIGNED)
        m2.minutes_signed_at = dt.datetime.now(dt.UTC)
        m2.minutes_approved_at_id = 3


@pytest.fixture(scope="session")
def planted_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("webdemo") / "board.sqlite3"
    db = open_database(f"sqlite:///{path}")
    build_demo_into(db)
    plant_everywhere(db)
    yield db
    db.close()


@pytest.fixture(scope="session")
def site(planted_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vrboard.web import publish_site

    out = tmp_path_factory.mktemp("published") / "site"
    with planted_db.session() as s:
        publish_site(s, out)
    return out
