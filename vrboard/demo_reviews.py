"""The demo board's reviews (workstreams 2 and 3): fictional reviews of services and a case
review, with recommendations, the board's responses, and links to the demo actions that carry
them out. Built through the services, so every row is audited like any other."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .model import Action, AgendaItem, Meeting, Paper, RecommendationState
from .services import reviews as rv
from .services.context import Actor

# (number, text, response, reason, due in days from today, titles of the actions carrying it out)
Rec = tuple[str, str, str, str, int | None, tuple[str, ...]]

EARLY_HELP: list[Rec] = [
    ("1", "Offer a trauma-informed Early Help assessment to every family in which a child is "
          "known to have been exposed to violence.", "accepted", "", 60,
     ("Deliver trauma-informed practice training to frontline staff",
      "Embed trauma-informed principles in commissioning specifications")),
    ("2", "Evaluate the functional family therapy offer before it is extended beyond the pilot "
          "wards.", "accepted", "", -20,
     ("Commission an evaluation of the functional family therapy model",)),
    ("3", "Create a single front door for Early Help referrals from schools, the police and "
          "health.", "partly_accepted",
     "Accepted for referrals from schools and the police; health referrals wait for the NHS "
     "trust's new referral system, due in 2027.", 120,
     ("Review the Violence Reduction Team's caseload and referral routes",)),
    ("4", "Restore Early Help key-worker posts to their 2016/17 level.", "not_accepted",
     "The medium-term financial plan does not allow it this year; the board will look at it "
     "again in the 2027/28 budget round.", None, ()),
    ("5", "Report Early Help outcomes for children excluded from school to the board every "
          "quarter.", "accepted", "", 30, ("Set up a quarterly performance report to the board",)),
]

EXCLUSIONS: list[Rec] = [
    ("1", "Share the names of pupils at risk of permanent exclusion with the Youth Offending "
          "Service each half-term, under the information-sharing agreement.", "accepted", "", -10,
     ("Review school exclusions and managed moves data with headteachers",)),
    ("2", "Introduce restorative approaches in every secondary school and pupil referral unit.",
     "accepted", "", 150, ("Introduce restorative-approach training for schools and youth services",)),
    ("3", "Evaluate the Year 7 safety programme before it runs for a second year.", "accepted", "",
     90, ("Evaluate the universal schools safety programme for Year 7s",)),
]

CASE_REVIEW: list[Rec] = [
    ("1", "Police, health and children's social care share what they know within 48 hours of a "
          "serious incident involving a young person.", "accepted", "", -30,
     ("Agree information-sharing protocol with police and health for the case review",)),
    ("2", "Turn the learning from each case into an action plan with named owners, reported to "
          "the board.", "accepted", "", 45,
     ("Turn case-review recommendations into an action plan with named owners",)),
    ("3", "Offer a trusted adult to every young person excluded from school in the cases' "
          "neighbourhoods.", "partly_accepted",
     "Accepted for pupils in Year 9 and above; the evidence working group will report on "
     "younger pupils first.", 100,
     ("Recruit trusted-adult Community Champions in two pilot neighbourhoods",)),
    ("4", "Screen for county lines exploitation at every return interview after a young person "
          "has been missing from home.", "awaiting", "", None, ()),
    ("5", "Share the review's learning with the children's and adults' safeguarding "
          "partnerships.", "accepted", "", 20,
     ("Share case-review learning with the safeguarding partnerships",)),
]


def build_reviews(session: Session, sec: Actor, meetings: list[Meeting], today: dt.date) -> None:
    early = rv.add_review(
        session, sec, title="Early Help Review", workstream="WS2", status="reported",
        summary="How Early Help identifies and supports families where children are at risk of "
                "violence; interviews with 40 families and 60 practitioners.",
        commissioned_on=today - dt.timedelta(days=240), reporting_date=meetings[1].starts_at.date(),
        report_paper_id=_paper(session, meetings[1], "Early Help Review findings (report)"))
    _recommendations(session, sec, early.id, EARLY_HELP, today)
    excl = rv.add_review(
        session, sec, title="Review of school exclusions and managed moves", workstream="WS2",
        status="reported", commissioned_on=today - dt.timedelta(days=200),
        reporting_date=today - dt.timedelta(days=40),
        summary="Permanent and fixed-term exclusions, managed moves and alternative provision, "
                "with headteachers and the pupil referral unit.")
    _recommendations(session, sec, excl.id, EXCLUSIONS, today)
    rv.add_review(
        session, sec, title="Youth Offending Service: review of provision", workstream="WS2",
        status="in_progress", commissioned_on=today - dt.timedelta(days=90),
        reporting_date=today + dt.timedelta(days=75),
        summary="Provision for 10 to 17 year olds against the trauma-informed model.")
    case = rv.add_review(
        session, sec, title="Homicide and Serious Violence Case Review (cases from 2017-2018)",
        kind="case_review", workstream="WS3", status="reported",
        commissioned_on=today - dt.timedelta(days=330), reporting_date=meetings[0].starts_at.date(),
        summary="Independent review of six cases; the names of those involved stay with the "
                "review's chair.",
        report_paper_id=_paper(session, meetings[0], "Case themes briefing (exempt)"))
    _recommendations(session, sec, case.id, CASE_REVIEW, today)


def _paper(session: Session, meeting: Meeting, title_end: str) -> int | None:
    return session.scalar(select(Paper.id).join(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, Paper.title.endswith(title_end)))


def _recommendations(session: Session, sec: Actor, review_id: int, recs: list[Rec],
                     today: dt.date) -> None:
    for number, text, response, reason, due, titles in recs:
        rec = rv.add_recommendation(session, sec, review_id, number, text,
                                    None if due is None else today + dt.timedelta(days=due))
        rv.respond(session, sec, rec.id, response, reason)
        for title in titles:
            action_id = session.scalar(select(Action.id).where(Action.title == title))
            assert action_id is not None, f"the demo has no action '{title}'"
            rv.link_action(session, sec, rec.id, action_id)
        if rec.actions and not rv.incomplete_actions(rec):  # every action done: implemented
            rv.set_state(session, sec, rec.id, RecommendationState.IMPLEMENTED)
            if any(a.status.value == "signed_off" for a in rec.actions):
                rv.set_state(session, sec, rec.id, RecommendationState.EVIDENCED,
                             "Signed off by the chair; the evidence is in the action's updates.")
