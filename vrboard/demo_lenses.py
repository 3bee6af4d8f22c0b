"""The demo board's lenses and Duty record: tags for the groups the strategy names, tags on
demo actions and indicators (from words in their titles), the Home Office's hospital-admissions
measure from its template with values by age band, values by group for knife crime with injury,
and a fictional Serious Violence Duty record. Built through the services, so every row is
audited like any other."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .model import Action, Indicator
from .services import duty, lenses
from .services.context import Actor
from .services.indicators import set_value
from .services.outcome_measures import add_from_template

TAGS = {"Age band": ("Under 18", "18 to 24", "25 and over"),
        "Ethnicity": ("Asian", "Black", "Mixed", "White", "Other"),
        "Gender": ("Female", "Male")}
# words in an action's title -> the groups it addresses
KEYWORDS = (
    (("youth", "young", "school", "exclusion", "pupil", "child"), ("Age band: Under 18",)),
    (("knife", "weapon", "county lines", "gang"), ("Age band: 18 to 24", "Gender: Male")),
    (("women", "girls", "vawg", "domestic", "sexual"), ("Gender: Female",)),
    (("disproportion", "community", "mentoring"), ("Ethnicity: Black",)),
)
DEFINITION = (
    "Serious violence in the borough means violence in public places, including knife and gun "
    "crime and violence linked to drug markets such as county lines, that causes or risks serious "
    "injury or death, and domestic abuse and sexual violence where they meet that test. The "
    "partnership pays particular attention to young people under 25 and to the groups most "
    "affected (fictional demo text).")
# PF01 (knife crime with injury, victims under 25) by group for the last four periods
PF01_GROUPS = {"Ethnicity: Black": (19, 18, 16, 15), "Ethnicity: White": (12, 11, 11, 10),
               "Ethnicity: Asian": (4, 4, 3, 4), "Ethnicity: Mixed": (2, 2, 3, 2),
               "Gender: Male": (31, 29, 28, 26), "Gender: Female": (6, 6, 5, 5)}


def build_lenses(session: Session, sec: Actor, today: dt.date) -> None:
    for group, names in TAGS.items():
        for n, name in enumerate(names):
            lenses.add_tag(session, sec, group, name, position=n)
    for a in session.scalars(select(Action).order_by(Action.reference)):
        title = a.title.lower()
        wanted: list[str] = []
        for words, tags in KEYWORDS:
            if any(w in title for w in words):
                wanted += [t for t in tags if t not in wanted]
        if wanted:
            lenses.tag_action(session, sec, a.id, *wanted)
    pf01 = session.scalars(select(Indicator).where(Indicator.code == "PF01")).first()
    if pf01 is not None:
        lenses.tag_indicator(session, sec, pf01.id, "Age band: Under 18", "Age band: 18 to 24",
                             "Ethnicity: Black", "Gender: Male")
        periods = [v.period for v in pf01.values][-4:]
        for tag, values in PF01_GROUPS.items():
            for period, value in zip(periods, values, strict=True):
                lenses.set_group_value(session, sec, pf01.id, period, tag, value)
        adm = add_from_template(session, sec, "sharp-admissions", target=20.0)
        for period, total, young in zip([v.period for v in pf01.values], (31, 29, 28, 26, 24, 23),
                                        (17, 16, 15, 14, 12, 11), strict=True):
            set_value(session, sec, adm.id, period, total)
            lenses.set_group_value(session, sec, adm.id, period, "Age band: Under 18", young // 3)
            lenses.set_group_value(session, sec, adm.id, period, "Age band: 18 to 24", young - young // 3)
        lenses.tag_indicator(session, sec, adm.id, "Age band: Under 18", "Age band: 18 to 24")
    duty.set_duty(session, sec, today=today, local_definition=DEFINITION,
                  definition_agreed_on=today - dt.timedelta(days=400),
                  needs_assessment_on=today - dt.timedelta(days=240),
                  needs_assessment_due=today + dt.timedelta(days=125),
                  strategy_published_on=today - dt.timedelta(days=200),
                  strategy_link="https://www.example.gov.uk/serious-violence-strategy")
