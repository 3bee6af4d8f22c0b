"""The Community page's compact dialogs: a community conversation, a trained member, a theme
(and the board's response to it), a Community Champions workshop, a youth panel session, an
ask and the board's reply, a needs assessment and a finding, and the actions that answer a
theme, an ask or a finding. The rules are the services' (community.py, youth_panel.py,
needs.py); a refusal is shown and the dialog stays open."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from ...model import (
    CommunityTheme,
    FeedbackState,
    NeedsFinding,
    WorkshopAudience,
    YouthAsk,
)
from ...services import community as cm
from ...services import needs as nd
from ...services import youth_panel as yp
from ...services.common import uk_date
from ...services.context import Actor
from ..context import AppContext
from ..widgets.check_list import CheckList
from .form import FormDialog, action_options, wrapped_label

Call = Callable[[Session, Actor], Any]


class SessionDialog(FormDialog):
    what, topic = "add the conversation", "community_session"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New community conversation", parent, width=560)
        self.held = self.date("&Date:", "Session date", dt.date.today())
        self.place = self.line("&Place or ward:", "Place or ward")
        self.lead = self.line("&Lead organisation:", "Lead organisation")
        self.facilitators = self.line("&Facilitators:", "Facilitators")
        self.people = self.number("P&eople:", "Number of participants")
        self.groups = self.line("&Who took part:", "Who took part",
                                placeholder="In broad groups, e.g. parents, young people, traders")
        self.notes = self.text("&Notes:", "What was said")

    def submit(self) -> Call:
        f = {"held_on": self.held.date_value(), "place": self.place.text(),
             "lead_organisation": self.lead.text(), "facilitators": self.facilitators.text(),
             "participants": self.people.value(), "groups": self.groups.text(),
             "notes": self.notes.toPlainText()}
        return lambda s, a: cm.add_session(s, a, **f).id


class MemberDialog(FormDialog):
    what, topic = "add the trained member", "community_member"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Community member trained", parent, width=460)
        self.name = self.line("&Name:", "Name")
        self.by = self.line("Trained &by:", "Trained by")
        self.on = self.date("Trained &on:", "Training date", dt.date.today())

    def submit(self) -> Call:
        name, by, on = self.name.text(), self.by.text(), self.on.date_value()
        return lambda s, a: cm.add_member(s, a, name, by, on).id


class WorkshopDialog(FormDialog):
    what, topic = "add the workshop", "champions_workshop"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Community Champions workshop", parent, width=480)
        self.held = self.date("&Date:", "Workshop date", dt.date.today())
        self.audience = self.enum_choice("&Audience:", "Audience", WorkshopAudience)
        self.place = self.line("&Place:", "Place")
        self.hours = self.number("&Hours:", "Hours", 4, maximum=24)
        self.people = self.number("P&articipants:", "Participants", 0, maximum=1000)

    def submit(self) -> Call:
        f = {"held_on": self.held.date_value(), "audience": self.audience.currentData(),
             "place": self.place.text(), "hours": self.hours.value(),
             "participants": self.people.value()}
        return lambda s, a: cm.add_workshop(s, a, **f).id


class ThemeDialog(FormDialog):
    """A new theme collated from the sessions ticked, with short quotes."""

    what, topic = "add the theme", "community_theme"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New theme (you said)", parent, width=560)
        self.title = self.line("&Theme:", "Theme")
        self.sessions = CheckList("Sessions that raised it", height=130)
        with ctx.read() as s:
            self.sessions.set_choices([("", f"{uk_date(x.held_on)}  {x.place}", x.id)
                                       for x in cm.list_sessions(s, ctx.actor)])
        self.form.addRow("&Raised at:", self.sessions)
        self.quotes = self.text("&Quotes:", "Quotes", height=70)
        self.quotes.setPlaceholderText("One short quote a line")

    def submit(self) -> Call:
        title, ids, quotes = self.title.text(), self.sessions.checked(), self.quotes.toPlainText()
        return lambda s, a: cm.add_theme(s, a, title, ids, quotes).id


class _ReplyDialog(FormDialog):
    """What the board did ("we did") and where it stands, for a theme or an ask."""

    def __init__(self, ctx: AppContext, title: str, what: str, said: str, words: str,
                 state: FeedbackState, parent: QWidget | None) -> None:
        super().__init__(ctx, title, parent, width=560)
        self.form.addRow("You said:", wrapped_label(said))
        self.reply = self.text("&We did:", "We did", words, height=100)
        self.state = self.enum_choice("&State:", "State", FeedbackState, state)
        self.what = what


class ThemeResponseDialog(_ReplyDialog):
    topic = "community_theme"

    def __init__(self, ctx: AppContext, theme_id: int, parent: QWidget | None = None) -> None:
        with ctx.read() as s:
            t = s.get(CommunityTheme, theme_id)
            assert t is not None
            self.theme_id, self.version = t.id, t.version
        super().__init__(ctx, "Respond to the theme", "record the response", t.title, t.response,
                         t.state, parent)

    def submit(self) -> Call:
        tid, version, words, state = (self.theme_id, self.version, self.reply.toPlainText(),
                                      self.state.currentData())
        return lambda s, a: cm.respond_theme(s, a, tid, words, state, version).id


class AskReplyDialog(_ReplyDialog):
    topic = "youth_ask"

    def __init__(self, ctx: AppContext, ask_id: int, parent: QWidget | None = None) -> None:
        with ctx.read() as s:
            q = s.get(YouthAsk, ask_id)
            assert q is not None
            self.ask_id, self.version = q.id, q.version
        super().__init__(ctx, "Reply to the youth panel", "record the reply", q.raised, q.reply,
                         q.state, parent)

    def submit(self) -> Call:
        qid, version, words, state = (self.ask_id, self.version, self.reply.toPlainText(),
                                      self.state.currentData())
        return lambda s, a: yp.reply(s, a, qid, words, state, version).id


class YouthSessionDialog(FormDialog):
    what, topic = "add the youth panel session", "youth_session"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New youth panel session", parent, width=480)
        self.held = self.date("&Date:", "Session date", dt.date.today())
        self.place = self.line("&Place:", "Place")
        self.people = self.number("&Young people:", "Number of young people", 0, maximum=200)
        self.notes = self.text("&Notes:", "Notes", height=70)

    def submit(self) -> Call:
        held, place, people, notes = (self.held.date_value(), self.place.text(), self.people.value(),
                                      self.notes.toPlainText())
        return lambda s, a: yp.add_session(s, a, held, place, people, notes).id


class AskDialog(FormDialog):
    what, topic = "add what was raised", "youth_ask"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 session_id: int | None = None) -> None:
        super().__init__(ctx, "Youth panel: you said", parent, width=520)
        with ctx.read() as s:
            options = [(f"{uk_date(x.held_on)}  {x.place}", x.id) for x in yp.list_sessions(s, ctx.actor)]
        self.session = self.choice("&Session:", "Youth panel session", options, session_id)
        self.raised = self.text("&You said:", "What was raised", height=80)

    def submit(self) -> Call:
        sid, raised = self.session.currentData(), self.raised.toPlainText()
        return lambda s, a: yp.add_ask(s, a, sid, raised).id


class AssessmentDialog(FormDialog):
    what, topic = "add the needs assessment", "needs_assessment"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New strategic needs assessment", parent, width=540)
        self.title = self.line("&Title:", "Title")
        self.published = self.date("&Published:", "Publication date", dt.date.today())
        self.summary = self.text("&Summary:", "Summary", height=90)

    def submit(self) -> Call:
        title, on, summary = self.title.text(), self.published.date_value(), self.summary.toPlainText()
        return lambda s, a: nd.add_assessment(s, a, title, on, summary).id


class FindingDialog(FormDialog):
    what, topic = "add the finding", "needs_finding"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 assessment_id: int | None = None) -> None:
        super().__init__(ctx, "New finding", parent, width=540)
        with ctx.read() as s:
            found = nd.list_assessments(s, ctx.actor)
            options = [(f"{x.title} ({uk_date(x.published_on)})", x.id) for x in found]
            counts = {x.id: len(x.findings) for x in found}
        self.assessment = self.choice("&Assessment:", "Needs assessment", options, assessment_id)
        self.number = self.line("&Number:", "Finding number",
                                str(counts.get(self.assessment.currentData(), 0) + 1))
        self.number.setMaximumWidth(120)
        self.finding = self.text("&Finding:", "Finding", height=90)

    def submit(self) -> Call:
        aid, num, text = self.assessment.currentData(), self.number.text(), self.finding.toPlainText()
        return lambda s, a: nd.add_finding(s, a, aid, num, text).id


LINKERS: dict[str, tuple[Any, Callable[..., Any], str]] = {
    "theme": (CommunityTheme, cm.link_action, "community_theme"),
    "ask": (YouthAsk, yp.link_action, "youth_ask"),
    "finding": (NeedsFinding, nd.link_action, "needs_finding"),
}


class LinkActionsDialog(FormDialog):
    """Tick the actions that answer a theme, an ask or a finding (``kind``); saving links the
    newly ticked and unlinks the cleared, in one transaction."""

    what = "change the linked actions"

    def __init__(self, ctx: AppContext, kind: str, ident: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Actions answering it", parent, width=720)
        cls, self.link, self.topic = LINKERS[kind]
        with ctx.read() as s:
            row = s.get(cls, ident)
            assert row is not None
            self.ident, self.version = row.id, row.version
            said = getattr(row, "title", None) or getattr(row, "raised", None) or \
                f"{row.number}. {row.text}"
            self.before = [a.reference for a in row.actions]
            options = action_options(s)
        self.form.addRow("You said:" if kind != "finding" else "Finding:", wrapped_label(said))
        self.actions = CheckList("Actions", filter_text="Type to find an action", height=240)
        self.actions.set_choices([("", text, ref) for text, ref in options], self.before)
        self.form.addRow("&Actions:", self.actions)

    def submit(self) -> Call | None:
        after = self.actions.checked()
        adds = [r for r in after if r not in self.before]
        drops = [r for r in self.before if r not in after]
        if not adds and not drops:
            self.reject()
            return None
        link, ident, version = self.link, self.ident, self.version

        def run(s: Session, a: Actor) -> int:
            first = True
            for ref, remove in [*((r, False) for r in adds), *((r, True) for r in drops)]:
                link(s, a, ident, ref, remove=remove, version=version if first else None)
                first = False
            return ident
        return run
