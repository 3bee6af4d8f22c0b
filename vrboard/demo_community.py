"""The demo board's community conversations (WS1), youth panel (WS7) and strategic needs
assessment (WS4): fictional sessions in the borough's wards, 18 of the 30 community members
trained, themes with short quotes and what the board did, two Community Champions workshops,
three youth panel sessions, and a needs assessment whose findings lead to demo actions. Built
through the services, so every row is audited like any other. All names are fictional."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .model import Action
from .services import community as cm
from .services import needs as nd
from .services import youth_panel as yp
from .services.context import Actor

# (days ago, place or ward, lead organisation, facilitators, participants, groups, notes)
SESSIONS = [
    (300, "Civic Suite, Catford (borough-wide)", "Council (Safer Communities)",
     "The Mayor; the Cabinet Member for Safer Communities; Jamal Haddad", 62,
     "Residents' associations, faith leaders, parents, youth workers, local businesses",
     "The initial conversation. People spoke of fear on the way home from school, of young "
     "people with nowhere to go in the evenings, and of not being asked before decisions are made."),
    (240, "New Cross ward: Amersham Vale Community Hall", "Voluntary Action Network",
     "Two trained community members", 27, "Parents; young adults 18-25; tenants' association",
     "Poor lighting on the estate walkways; trust in the police after stop and search; "
     "the youth club's closure two years ago."),
    (205, "Bellingham ward: Bellingham Leisure Centre", "Bellingham Mothers' Circle",
     "Two trained community members", 21, "Mothers of teenagers; grandparents; a school governor",
     "Parents do not know where to turn when they are worried about a child's friends; "
     "the holidays are the hardest time."),
    (170, "Deptford ward: St Nicholas' church hall", "Deptford Faith Forum",
     "Three trained community members", 34, "Faith communities; market traders; older residents",
     "Traders reported knife carrying near the high street after school; several people "
     "asked for safe places young people can go into."),
    (130, "Downham ward: Downham Youth and Family Hub", "Downham Youth and Family Hub",
     "Two trained community members and a youth worker", 18,
     "Young people 16-24; parents; a local football coach",
     "Young people said nothing is open after six; they want mentors who come from the area."),
    (75, "Rushey Green ward: Catford library", "Voluntary Action Network",
     "Two trained community members", 23, "Somali and Turkish community groups; parents; carers",
     "Language is a barrier to reporting; families did not know about Early Help."),
    (30, "Sydenham ward: Kirkdale community café", "Sydenham Residents Together",
     "Two trained community members", 16, "Residents; shop owners; a ward councillor",
     "Dark routes to the station; what happened after the first conversations."),
]

# (title, sessions by index, quotes, state, we did, titles of actions answering it)
THEMES = [
    ("Nowhere for young people to go in the evenings", (0, 1, 3, 4),
     ["Everything shuts at six, then it's the street.", "Give us a space and we'll fill it."],
     "done", "Friday youth club reopened at Amersham Vale from March; the youth panel is "
     "co-designing what it offers.",
     ("Youth Panel to advise on safe havens with local businesses",)),
    ("Fear on the way home from school", (0, 3, 6),
     ["My son takes the long way round to avoid the high street.", "We need adults on the route."],
     "in_progress", "Safe havens with local businesses along two school routes; teachers and "
     "traders trained as Community Champions.",
     ("Recruit trusted-adult Community Champions in two pilot neighbourhoods",
      "Youth Panel to advise on safe havens with local businesses")),
    ("Parents do not know where to turn", (2, 5),
     ["I knew something was wrong, I didn't know who to ring.", "Nobody told us about Early Help."],
     "in_progress", "Early Help leaflets in six languages; a single front door for referrals "
     "from schools and the police.",
     ("Complete the Early Help Review and report its violence-reduction findings",)),
    ("Trust in the police after stop and search", (1, 4),
     ["They know my name but they don't know me."], "open", "", ()),
    ("Dark routes and estate walkways", (1, 6),
     ["The walkway lights have been out since summer."], "done",
     "Lighting repaired on the Amersham Vale walkways and reported monthly to the board.", ()),
]

MEMBERS = [
    ("Amara K.", 280), ("Bayo O.", 280), ("Carmen R.", 280), ("Dev P.", 280), ("Efua M.", 280),
    ("Farid H.", 280), ("Grace T.", 250), ("Hannah W.", 250), ("Idris S.", 250), ("Joyce L.", 250),
    ("Kemal Y.", 250), ("Leah D.", 190), ("Marcus B.", 190), ("Nadia F.", 190), ("Olu A.", 190),
    ("Patrice N.", 120), ("Rosa G.", 120), ("Shanice E.", 120),
]
TRAINERS = ("Voluntary Action Network", "Council (Community Development)")

# (days ago, audience, place, hours, participants)
WORKSHOPS = [
    (150, "residents_businesses", "Deptford Lounge", 4.0, 28),
    (95, "professionals", "Laurence House, Catford", 4.0, 30),
]

# (days ago, place, participants, notes, [(raised, state, we did, action titles)])
YOUTH = [
    (210, "Lewisham Youth Hub", 14, "First meeting: terms of reference agreed with the panel; "
     "members aged 13 to 19 from nine wards.", [
         ("Pay young people for their time on the panel, like adults on boards.", "done",
          "Panel members are paid the London Living Wage for each session from this year.",
          ("Pay and support young panel members for their time",)),
         ("Let the panel present to the board itself, not through officers.", "done",
          "The panel presented its priorities to the board in person.",
          ("Youth Panel to present its priorities to the board",))]),
    (120, "Downham Youth and Family Hub", 12, "Campaign messages and safe places.", [
         ("Campaigns should use real young people from here, not actors.", "in_progress",
          "The Stop the Violence campaign is being co-designed with the panel.",
          ("Youth Panel to co-design the Stop the Violence campaign messages",)),
         ("Shops on the way home should be places we can go into if we feel unsafe.", "in_progress",
          "Safe havens agreed with local businesses on two routes; more to follow.",
          ("Youth Panel to advise on safe havens with local businesses",))]),
    (40, "Deptford Lounge", 11, "Relationships education and mentoring.", [
         ("Relationships education should be written with us.", "in_progress",
          "The panel is reviewing the Healthy Relationships strategy written by young people.",
          ("Youth Panel to review the Healthy Relationships strategy written by young people",)),
         ("Mentors who grew up round here.", "open", "", ())]),
]

# (number, text, titles of the actions answering it)
FINDINGS = [
    ("1", "Knife crime with injury among under-25s is concentrated in four wards, with the "
          "highest rates after school (3pm to 7pm) on weekdays.",
     ("Add knife crime with injury data by ward to the dashboard",)),
    ("2", "Young Black men are over-represented as victims and as suspects, and in stop and "
          "search; the gap has grown since 2015.",
     ("Baseline disproportionality measures across the criminal justice system",)),
    ("3", "Most young people known to the Youth Offending Service had been excluded from school "
          "or were at risk of exclusion.",
     ("Review school exclusions and managed moves data with headteachers",)),
    ("4", "A&E data on assault with a sharp object is not yet shared with the partnership, so "
          "injuries that are not reported to the police are missed.",
     ("Agree data-sharing agreements with health partners for A&E assault data",)),
    ("5", "Domestic abuse is a factor in a third of the serious violence cases against women "
          "and girls.", ("Add domestic abuse incident data to the performance framework",)),
]


def _action_id(session: Session, title: str) -> int:
    found = session.scalar(select(Action.id).where(Action.title == title))
    assert found is not None, f"the demo has no action '{title}'"
    return found


def build_community(session: Session, sec: Actor, today: dt.date) -> None:
    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    sessions = [cm.add_session(session, sec, today, held_on=ago(d), place=p, lead_organisation=lead,
                               facilitators=f, participants=n, groups=g, notes=notes).id
                for d, p, lead, f, n, g, notes in SESSIONS]
    for title, raised, quotes, state, did, actions in THEMES:
        theme = cm.add_theme(session, sec, title, [sessions[i] for i in raised], quotes)
        for a in actions:
            cm.link_action(session, sec, theme.id, _action_id(session, a))
        cm.respond_theme(session, sec, theme.id, did, state)
    for name, days in MEMBERS:
        cm.add_member(session, sec, name, TRAINERS[0 if days >= 250 else 1], ago(days), today)
    for d, audience, place, hours, n in WORKSHOPS:
        cm.add_workshop(session, sec, today, held_on=ago(d), audience=audience, place=place,
                        hours=hours, participants=n)
    for d, place, n, notes, asks in YOUTH:
        panel = yp.add_session(session, sec, ago(d), place, n, notes, today)
        for raised, state, did, actions in asks:
            ask = yp.add_ask(session, sec, panel.id, raised)
            for a in actions:
                yp.link_action(session, sec, ask.id, _action_id(session, a))
            yp.reply(session, sec, ask.id, did, state)
    sna = nd.add_assessment(
        session, sec, "Serious Violence Strategic Needs Assessment", ago(220),
        "The annual assessment of serious violence in the borough: police, A&E, youth justice, "
        "education and community data, with what residents and young people told us. It sets "
        "the priorities for the board's strategy and the performance framework.")
    for number, text, actions in FINDINGS:
        finding = nd.add_finding(session, sec, sna.id, number, text)
        for a in actions:
            nd.link_action(session, sec, finding.id, _action_id(session, a))
