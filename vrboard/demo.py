"""``vrboard init --demo``: a fictional but complete board to explore and to test with.

Built through the services, so the demo's audit trail, versions and rules are the
real ones. Dates are relative to ``today`` so there is always a next meeting, some
overdue actions and some due soon.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .demo_community import build_community
from .demo_content import ACTIONS, INDICATORS, LEADS, PEOPLE, UPDATE_LINES
from .demo_lenses import build_lenses
from .demo_papers import make_paper
from .demo_reviews import build_reviews
from .model import (
    RAG,
    AccessRole,
    ActionStatus,
    AttendanceStatus,
    BoardRole,
    Channel,
    Classification,
    Domain,
    Meeting,
    MeetingStatus,
    Person,
    UpdateSource,
    Workstream,
)
from .services import actions as act
from .services import board as brd
from .services import indicators as ind
from .services import meetings as mtg
from .services import papers as pap
from .services.context import Actor

DEMO_SOURCE = "demo data"


def _actor(p: Person) -> Actor:
    return Actor(p.id, p.name, p.access_role, Channel.SYSTEM, DEMO_SOURCE)


def build_demo(session: Session, login: str = "", today: dt.date | None = None,
               key_dir: Path | None = None) -> None:
    """With ``key_dir`` (the local key store), the demo chair also gets a demo signing key
    (passphrase ``DEMO_PASSPHRASE``, certificate marked DEMO), and the approved minutes of the
    first meeting are signed with it and kept as an issued document."""
    today = today or dt.date.today()
    rng = random.Random(2019)
    people = _people(session, login, today)
    secretary = _actor(people["Ruth Kaplan"])
    chair = _actor(people["Cllr Zoë Adeyemi"])
    workstreams = {w.code: w for w in session.scalars(select(Workstream))}
    for code, lead in LEADS.items():
        workstreams[code].lead_id = people[lead].id
    session.flush()
    meetings = _meetings(session, secretary, chair, people, workstreams, today)
    _actions(session, rng, secretary, chair, people, workstreams, meetings, today)
    _indicators(session, secretary, workstreams, today)
    build_reviews(session, secretary, meetings, today)
    build_lenses(session, secretary, today)
    build_community(session, secretary, today)
    if key_dir is not None:
        _demo_signature(session, chair, meetings[0], key_dir)


def _demo_signature(session: Session, chair: Actor, meeting: Meeting, key_dir: Path) -> None:
    from .services.signatures import record_certificate, sign_minutes
    from .signing.keys import DEMO_PASSPHRASE, create_key, unlock

    cert, _path = create_key(chair.name, DEMO_PASSPHRASE, demo=True, directory=key_dir, days=3650)
    row = record_certificate(session, chair, cert, demo=True)
    sign_minutes(session, chair, meeting, row, unlock(cert, DEMO_PASSPHRASE, key_dir))


def _people(session: Session, login: str, today: dt.date) -> dict[str, Person]:
    from .services.context import SYSTEM

    sysact = SYSTEM.via(Channel.SYSTEM, DEMO_SOURCE)
    out: dict[str, Person] = {}
    for name, title, org, plogin, access, _role, _voting in PEOPLE:
        email = f"{plogin}@example.gov.uk"
        if name == "Ruth Kaplan" and login and login not in {p[3] for p in PEOPLE}:
            plogin = login  # whoever runs the demo acts as the board secretary
        out[name] = brd.add_person(session, sysact, name=name, job_title=title, organisation=org,
                                   email=email, login=plogin, access_role=AccessRole(access))
    term_start = today - dt.timedelta(days=400)
    for name, _t, _o, _l, _a, role, voting in PEOPLE:
        if role is None:
            continue
        end = term_start + dt.timedelta(days=365 * 4)
        if name == "Helen Marsh":
            end = today + dt.timedelta(days=45)  # a term ending soon: the Board page warns
        brd.add_membership(session, sysact, out[name].id, role=BoardRole(role), voting=voting,
                           term_start=term_start, term_end=end,
                           named_substitute_id=out["Aisha Bello"].id if name == "Priya Raman"
                           else None)
    return out


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


AGENDA = [
    ("Welcome and apologies", "Chair", 5, None),
    ("Declarations of interest", "Chair", 5, None),
    ("Minutes of the previous meeting and matters arising", "Chair", 10, None),
    ("Action log review", "Board Secretary", 15, "WS8"),
]


def _meetings(session: Session, sec: Actor, chair: Actor, people: dict[str, Person],
              ws: dict[str, Workstream], today: dt.date) -> list[Meeting]:
    specs = [
        (today - dt.timedelta(days=118), MeetingStatus.HELD, [
            ("Terms of reference and membership of the board", "Ruth Kaplan", 20, "WS8"),
            ("Community Conversations: launch plan", "Jamal Haddad", 20, "WS1"),
            ("Performance framework: proposed indicators", "Owen Price", 20, "WS4"),
        ]),
        (today - dt.timedelta(days=55), MeetingStatus.HELD, [
            ("Review of services and provision: Early Help Review findings", "Aisha Bello", 25,
             "WS2"),
            ("Youth Panel: recruitment update", "Kwame Mensah", 15, "WS7"),
            ("Trauma-informed workforce programme", "Chloé Dubois", 15, "WS6"),
        ]),
        (today + dt.timedelta(days=12), MeetingStatus.PLANNED, [
            ("Strategic Needs Assessment 2019", "Owen Price", 25, "WS4"),
            ("Evidence working group: what works locally", "Fiona Gallagher", 20, "WS5"),
            ("Community Conversations: feedback from the first sessions", "Jamal Haddad", 20,
             "WS1"),
            ("Disproportionality: stop and search scrutiny findings", "DCI Mark Ellison", 20,
             None),
        ]),
    ]
    from .services.standing import set_terms, terms

    t = terms(session)  # the contact officer on the cover of every pack (fictional)
    set_terms(session, sec, quorum=t.quorum, notice_clear_days=t.notice_clear_days,
              standing=t.standing, contact=("Ruth Kaplan",
                                            "vrb.governance@example.gov.uk", "020 7946 0123"))
    meetings = []
    venues = ["Committee Room 1, Civic Suite", "Committee Room 2, Civic Suite",
              "Council Chamber, Civic Suite"]
    for n, (day, status, items) in enumerate(specs):
        m = mtg.create_meeting(session, sec, _at(day), venue=venues[n], status=status,
                               chaired_by_id=people["Cllr Zoë Adeyemi"].id)
        for title, presenter, mins, code in AGENDA + [
            (t, people[p].job_title if p in people else p, mi, c) for t, p, mi, c in items
        ]:
            item = mtg.add_item(session, sec, m.id, title=title, presenter=presenter,
                                minutes_allotted=mins,
                                workstream_id=ws[code].id if code else None)
            if code and not title.startswith("Action log"):
                pap.attach_paper_data(
                    session, sec, item.id, f"{title} (report)",
                    f"{day:%Y-%m-%d}-item-{item.position:02d}.pdf",
                    make_paper(f"{title}: report to the board", 2 + item.position % 3,
                               author=presenter))
        p2 = mtg.add_item(
            session, sec, m.id, title="Homicide and serious violence case review: case themes",
            presenter="Head of Public Protection and Safety", minutes_allotted=30, part=2,
            exempt_paragraph=1 if n != 1 else 7,
            classification=Classification.OFFICIAL_SENSITIVE, workstream_id=ws["WS3"].id)
        pap.attach_paper_data(session, sec, p2.id, "Case themes briefing (exempt)",
                              f"{day:%Y-%m-%d}-item-{p2.position:02d}-exempt.pdf",
                              make_paper("Case themes briefing", 2, "OFFICIAL-SENSITIVE"),
                              Classification.OFFICIAL_SENSITIVE)
        mtg.add_item(session, sec, m.id, title="Any other business", presenter="Chair",
                     minutes_allotted=5)
        if n == 2:
            # An item still waiting for its paper: the dashboard lists it as missing.
            mtg.add_item(session, sec, m.id, title="Forward plan of board meetings",
                         presenter="Board Secretary", minutes_allotted=5,
                         workstream_id=ws["WS8"].id)
        if status is MeetingStatus.HELD:  # closed when its agenda ran out, and five minutes on
            length = sum(i.minutes_allotted for i in m.items) + 5
            mtg.update_meeting(session, sec, m.id, None,
                               {"ends_at": m.starts_at + dt.timedelta(minutes=length)})
        meetings.append(m)
    _attendance(session, sec, people, meetings)
    _minutes(session, sec, meetings)
    mtg.approve_minutes(session, chair, meetings[0].id, meetings[1].id)
    _forward_plan(session, sec, meetings[2], ws)
    return meetings


def _forward_plan(session: Session, sec: Actor, meeting: Meeting, ws: dict) -> None:
    """Items planned for the next meeting, not yet on its agenda (the forward plan)."""
    from .services.forward_plan import add_planned_item

    add_planned_item(session, sec, meeting.id, title="Serious Violence Duty: annual strategy "
                     "review", presenter="Head of Public Protection and Safety",
                     minutes_allotted=20, workstream_id=ws["WS4"].id,
                     notes="Draft strategy to the board before publication")
    add_planned_item(session, sec, meeting.id, title="Youth Panel: co-designed priorities",
                     presenter="Youth Panel co-chairs", minutes_allotted=15,
                     workstream_id=ws["WS7"].id)


def _attendance(session: Session, sec: Actor, people: dict[str, Person],
                meetings: list[Meeting]) -> None:
    members = [p for p in PEOPLE if p[5] is not None]
    for n, m in enumerate(meetings[:2]):
        for name, *_rest in members:
            status, sub = AttendanceStatus.PRESENT, None
            if n == 0 and name == "Helen Marsh":
                status = AttendanceStatus.APOLOGIES
            if n == 1 and name == "Priya Raman":
                status, sub = AttendanceStatus.APOLOGIES, people["Aisha Bello"].id
            if n == 1 and name == "Cllr Grace Okafor":
                status = AttendanceStatus.ABSENT
            mtg.set_attendance(session, sec, m.id, people[name].id, status, sub)
    m1, m2 = meetings[0], meetings[1]
    mtg.add_declaration(session, sec, m1.id, people["Cllr Grace Okafor"].id,
                        "Trustee of a local youth charity that may bid for community "
                        "conversation funding.", "Other registrable",
                        item_id=next(i.id for i in m1.items if "Community" in i.title))
    mtg.add_declaration(session, sec, m2.id, people["Daniel Brooks"].id,
                        "Close family member employed by a housing association named in the "
                        "Early Help Review.", "Non-registrable",
                        item_id=next(i.id for i in m2.items if "Early Help" in i.title),
                        dispensation="None needed: did not take part in the decision.")


def _minutes(session: Session, sec: Actor, meetings: list[Meeting]) -> None:
    for m in meetings[:2]:
        for item in m.items:
            if item.title == "Welcome and apologies":
                text = "The chair welcomed members. Apologies were noted as recorded above."
                decisions: list[str] = []
            elif item.title == "Declarations of interest":
                text = "Declarations were made as recorded above."
                decisions = []
            elif item.part == 2:
                text = ("The board considered themes from the confidential case review, "
                        "including missed opportunities to share information about a young "
                        "person at risk of exploitation.")
                decisions = ["The board AGREED that the case review's information-sharing "
                             "findings go to the safeguarding partnership in confidence."]
            elif item.title == "Any other business":
                text = "There was no other business."
                decisions = []
            else:
                text = (f"The presenter introduced the report on '{item.title}'. Members "
                        "discussed progress, risks and the disproportionality lens.")
                decisions = [f"The board NOTED the report on {item.title.lower()}.",
                             "The board AGREED the next steps set out in the report."]
            mtg.save_minute(session, sec, item.id, text, decisions)
        mtg.update_meeting(session, sec, m.id, None, {"pack_final": True})


def _actions(session: Session, rng: random.Random, sec: Actor, chair: Actor,
             people: dict[str, Person], ws: dict[str, Workstream], meetings: list[Meeting],
             today: dt.date) -> None:
    domains = {d.position: d for d in session.scalars(select(Domain))}
    n = 0
    for code, rows in ACTIONS.items():
        for title, plans, domain, owner_name in rows:
            n += 1
            owner = people[owner_name]
            raised = meetings[n % 2]
            start = raised.starts_at.date() + dt.timedelta(days=rng.randint(0, 20))
            due = start + dt.timedelta(days=rng.choice([45, 60, 90, 120, 150, 200, 240]))
            a = act.create_action(
                session, sec, title=title, workstream_id=ws[code].id,
                domain_id=domains[domain].id, owner_id=owner.id,
                lead_organisation=owner.organisation, plan_codes=list(plans),
                raised_meeting_id=raised.id, start_date=start, due_date=due,
                description=f"{title}. Raised at the board meeting of "
                            f"{raised.starts_at:%d/%m/%Y}.",
            )
            oact = Actor(owner.id, owner.name, owner.access_role, Channel.SYSTEM, DEMO_SOURCE)
            if owner.access_role not in (AccessRole.OWNER, AccessRole.SECRETARIAT,
                                         AccessRole.CHAIR):
                oact = sec
            _history(session, rng, oact, a.id, start, due, today, n)
    _signoffs(session, sec, chair, today)


def _history(session: Session, rng: random.Random, who: Actor, action_id: int, start: dt.date,
             due: dt.date, today: dt.date, n: int) -> None:
    kind = n % 10
    if kind == 0 or start >= today:
        if due < today:  # not started and already late: the owner has reported it red
            act.update_action(session, who, action_id,
                              None, {"rag": RAG.RED})
        return
    steps = rng.randint(1, 4)
    span = max(1, (min(today, due) - start).days)
    pct = 0
    for k in range(steps):
        day = start + dt.timedelta(days=span * (k + 1) // (steps + 1))
        pct = min(95, pct + rng.randint(10, 30))
        rag = RAG.GREEN
        last = k == steps - 1
        if last and (kind in (3, 7) or (due < today and kind % 2 == 0)):
            rag = RAG.AMBER
        if last and (kind == 5 or (due < today and kind % 2 == 1)):
            rag = RAG.RED
        act.add_progress(session, who, action_id, rng.choice(UPDATE_LINES), percent=pct, rag=rag,
                         on_date=min(day, today), source=UpdateSource.APP)
    if kind in (2, 8):
        act.mark_complete(session, who, action_id, None,
                          "All milestones met; evidence of completion sent to the secretariat.")


def _signoffs(session: Session, sec: Actor, chair: Actor, today: dt.date) -> None:
    from .model import Action

    awaiting = session.scalars(
        select(Action).where(Action.status == ActionStatus.AWAITING_SIGN_OFF)
        .order_by(Action.reference)).all()
    for a in awaiting[: len(awaiting) // 2]:
        act.sign_off(session, chair, a.id, None, "Evidence seen; agreed complete by the board.")
    open_ = session.scalars(select(Action).where(Action.status == ActionStatus.IN_PROGRESS)
                           .order_by(Action.reference)).all()
    if open_:
        act.drop(session, sec, open_[-1].id, None,
                 "Superseded by the community strategy workstream; agreed by the board.")
    # Two actions overdue but still reported green: the dashboard flags them.
    for a in open_[:2]:
        act.update_action(session, sec, a.id, None, {
            "due_date": today - dt.timedelta(days=20),
            "start_date": min(a.start_date or today, today - dt.timedelta(days=90)),
            "rag": RAG.GREEN})


def _indicators(session: Session, sec: Actor, ws: dict[str, Workstream], today: dt.date) -> None:
    fy = today.year if today.month >= 4 else today.year - 1
    quarter = (today.month - 4) % 12 // 3 + 1
    periods = []
    y, q = fy, quarter
    for _ in range(6):
        q -= 1
        if q == 0:
            y, q = y - 1, 4
        periods.append(f"{y}/{(y + 1) % 100:02d} Q{q}")
    periods.reverse()
    for code, name, unit, up, target, wcode, values in INDICATORS:
        i = ind.add_indicator(session, sec, code=code, name=name, unit=unit, higher_is_better=up,
                              target=target, workstream_id=ws[wcode].id,
                              source="Performance and Insight team")
        for period, value in zip(periods, values, strict=True):
            ind.set_value(session, sec, i.id, period, value)
