"""A demo board with exempt material in every place a reader might meet it, for the
need-to-know tests (services, pages, exports and PDFs).

Added to ``vrboard init --demo`` (meetings 1 signed, 2 held and unsigned, 3 planned):
- on meeting 2's Part 2 item (paragraph 7): a declaration, and two actions raised from its
  decision (one owned by Maria Santos, one by Tom Fletcher), each with a progress update;
- on a Part 1 item of meeting 2: an OFFICIAL-SENSITIVE paper;
- a viewer who is not a board member (Pat Quinn, login ``pquinn``).
Every secret carries the marker ``OPAL-77``; the demo's own Part 2 minute and decision
carry the phrases in ``SECRETS`` too.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tests.conftest import actor
from vrboard.model import AccessRole, AgendaItem, Classification, Person, Workstream
from vrboard.services import actions as act
from vrboard.services import board as brd
from vrboard.services import meetings as mtg
from vrboard.store import Database

MARK = "OPAL-77"
SECRETS = (MARK, "missed opportunities", "information-sharing findings")
HELD_UNSIGNED, PLANNED = 2, 3


@dataclass(frozen=True)
class Extras:
    item_id: int          # meeting 2's Part 2 item
    item_position: int
    paragraph: int
    decision_id: int
    santos_action: int    # raised from the Part 2 decision, owned by Maria Santos
    fletcher_action: int  # raised from it too, owned by Tom Fletcher (not a board member)
    exempt_paper: int     # the Part 2 item's paper
    sensitive_paper: int  # an OFFICIAL-SENSITIVE paper on a Part 1 item
    declarant: str


def add_exempt_material(db: Database) -> Extras:
    sec = actor(db, "rkaplan")
    with db.transaction() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == HELD_UNSIGNED,
                                                  AgendaItem.part == 2)).one()
        decision = item.minute.decisions[0]
        people = {p.login: p for p in s.scalars(select(Person))}
        ws3 = s.scalars(select(Workstream).where(Workstream.code == "WS3")).one()
        ids = []
        for login in ("msantos", "tfletcher"):
            a = act.create_action(
                s, sec, title=f"Share the {MARK} case review findings with the safeguarding partnership",
                description=f"From the Part 2 decision on case {MARK}.", workstream_id=ws3.id,
                owner_id=people[login].id, raised_meeting_id=HELD_UNSIGNED, raised_item_id=item.id,
                decision_id=decision.id)
            act.add_progress(s, sec, a.id, f"Briefing on {MARK} sent to the partnership chair.",
                             percent=20)
            ids.append(a.id)
        person = people["dbrooks"]
        mtg.add_declaration(s, sec, HELD_UNSIGNED, person.id, f"Knows the family in case {MARK}.",
                            "Non-registrable", item_id=item.id,
                            dispensation=f"Left the room for the {MARK} discussion.")
        youth = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == HELD_UNSIGNED,
                                                   AgendaItem.title.like("Youth Panel%"))).one()
        from vrboard.demo_papers import make_paper
        from vrboard.services.papers import attach_paper_data

        paper = attach_paper_data(s, sec, youth.id, f"Named applicants {MARK}", "applicants.pdf",
                                  make_paper("Named applicants", 1, "OFFICIAL-SENSITIVE"),
                                  Classification.OFFICIAL_SENSITIVE)
        brd.add_person(s, sec, name="Pat Quinn", job_title="Communications Officer",
                       organisation="Council", email="pquinn@example.gov.uk", login="pquinn",
                       access_role=AccessRole.VIEWER)
        return Extras(item.id, item.position, item.exempt_paragraph, decision.id, ids[0], ids[1],
                      item.papers[0].id, paper.id, person.name)


def leaked(text: str) -> list[str]:
    """The secrets found in ``text``."""
    return [s for s in SECRETS if s.lower() in text.lower()]
