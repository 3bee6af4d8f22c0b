"""The Community page's compact dialogs: a community conversation, a trained member, a theme
(and the board's response to it), a Community Champions workshop, a youth panel session, an
ask and the board's reply, a needs assessment and a finding, and the actions that answer a
theme, an ask or a finding. The rules are the services' (community.py, youth_panel.py,
needs.py); a refusal is shown and the dialog stays open."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from sqlalchemy.orm import Session

from ...model import (
    CommunitySession,
    CommunityTheme,
    FeedbackState,
    NeedsAssessment,
    NeedsFinding,
    WorkshopAudience,
    YouthAsk,
    YouthSession,
)
from ...services import community as cm
from ...services import needs as nd
from ...services import youth_panel as yp
from ...services.common import uk_date
from ...services.context import Actor
from ..context import AppContext
from ..widgets.check_list import CheckList
from .community_links import LinkActionsDialog  # noqa: F401 - the page opens it from here
from .form import FormDialog, wrapped_label

Call = Callable[[Session, Actor], Any]


def _load(ctx: AppContext, cls: Any, ident: int | None) -> Any:
    """The record being edited (detached, its columns loaded), or None when adding."""
    if ident is None:
        return None
    with ctx.read() as s:
        row = s.get(cls, ident)
        assert row is not None
        s.expunge(row)
    return row


class SessionDialog(FormDialog):
    """A new conversation, or (``session_id``) the one held, pre-filled to correct."""

    what, topic = "add the conversation", "community_session"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 session_id: int | None = None) -> None:
        row = self.row = _load(ctx, CommunitySession, session_id)
        super().__init__(ctx, "Edit community conversation" if row else "New community conversation",
                         parent, width=560)
        if row:
            self.what = "save the conversation"
        self.held = self.date("&Date:", "Session date", row.held_on if row else dt.date.today())
        self.place = self.line("&Place or ward:", "Place or ward", row.place if row else "")
        self.lead = self.line("&Lead organisation:", "Lead organisation",
                              row.lead_organisation if row else "")
        self.facilitators = self.line("&Facilitators:", "Facilitators", row.facilitators if row else "")
        self.people = self.number("P&eople:", "Number of participants", row.participants if row else 0)
        self.groups = self.line("&Who took part:", "Who took part", row.groups if row else "",
                                placeholder="In broad groups, e.g. parents, young people, traders")
        self.notes = self.text("&Notes:", "What was said", row.notes if row else "")

    def submit(self) -> Call:
        f = {"held_on": self.held.date_value(), "place": self.place.text(),
             "lead_organisation": self.lead.text(), "facilitators": self.facilitators.text(),
             "participants": self.people.value(), "groups": self.groups.text(),
             "notes": self.notes.toPlainText()}
        if self.row:
            ident, version = self.row.id, self.row.version
            return lambda s, a: cm.update_session(s, a, ident, version, **f).id
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


class RemoveMemberDialog(FormDialog):
    """Take a trained member off the pool (they left, or asked to be), after a confirmation."""

    what, topic = "remove the trained member", "community_member"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Remove a trained member", parent, width=460)
        with ctx.read() as s:
            options = [(f"{m.name} (trained {uk_date(m.trained_on)} by {m.trained_by})", m.id)
                       for m in cm.list_members(s, ctx.actor)]
        self.member = self.choice("&Member:", "Trained member", options)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("&Remove")
        save.setEnabled(bool(options))

    def submit(self) -> Call | None:
        ident, name = self.member.currentData(), self.member.currentText().split(" (")[0]
        if ident is None:
            return None
        sure = QMessageBox.question(self, "Remove a trained member",
                                    f"Take {name} off the pool of trained members? The audit trail "
                                    "keeps the record.")
        if sure != QMessageBox.StandardButton.Yes:
            return None
        return lambda s, a: cm.remove_member(s, a, ident)


class WorkshopDialog(FormDialog):
    """A new workshop, or (``editing``) one chosen from those held, pre-filled to correct."""

    what, topic = "add the workshop", "champions_workshop"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, editing: bool = False) -> None:
        super().__init__(ctx, "Edit workshop" if editing else "Community Champions workshop", parent,
                         width=480)
        self.held_rows: dict[int, Any] = {}
        if editing:
            self.what = "save the workshop"
            with ctx.read() as s:
                found = cm.list_workshops(s, ctx.actor)
                self.held_rows = {w.id: (w.version, w.held_on, w.audience, w.place, w.hours,
                                         w.participants) for w in found}
                options = [(f"{uk_date(w.held_on)} {w.audience.label.lower()}, {w.place}".rstrip(", "),
                            w.id) for w in reversed(found)]
            self.which = self.choice("&Workshop:", "Workshop", options)
        self.held = self.date("&Date:", "Workshop date", dt.date.today())
        self.audience = self.enum_choice("&Audience:", "Audience", WorkshopAudience)
        self.place = self.line("&Place:", "Place")
        self.hours = self.number("&Hours:", "Hours", 4, maximum=24)
        self.people = self.number("P&articipants:", "Participants", 0, maximum=1000)
        if editing:
            self.which.currentIndexChanged.connect(lambda _n: self._fill())
            self._fill()

    def _fill(self) -> None:
        got = self.held_rows.get(self.which.currentData())
        if got is None:
            return
        _, held, audience, place, hours, people = got
        self.held.set_date_value(held)
        self.audience.setCurrentIndex(self.audience.findData(audience.value))
        self.place.setText(place)
        self.hours.setValue(round(hours))
        self.people.setValue(people)

    def submit(self) -> Call | None:
        f = {"held_on": self.held.date_value(), "audience": self.audience.currentData(),
             "place": self.place.text(), "hours": self.hours.value(),
             "participants": self.people.value()}
        if self.held_rows:
            ident = self.which.currentData()
            if ident is None:
                return None
            version = self.held_rows[ident][0]
            return lambda s, a: cm.update_workshop(s, a, ident, version, **f).id
        return lambda s, a: cm.add_workshop(s, a, **f).id


class ThemeDialog(FormDialog):
    """A new theme collated from the sessions ticked, with short quotes; or (``theme_id``) a
    theme's words, sessions and quotes to correct."""

    what, topic = "add the theme", "community_theme"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 theme_id: int | None = None) -> None:
        super().__init__(ctx, "Edit theme (you said)" if theme_id else "New theme (you said)", parent,
                         width=560)
        self.theme_id, self.version, self.before = theme_id, None, []
        title = quotes = ""
        with ctx.read() as s:
            if theme_id is not None:
                t = s.get(CommunityTheme, theme_id)
                assert t is not None
                self.version, title, quotes = t.version, t.title, "\n".join(t.quote_list)
                self.before = [x.id for x in t.sessions]
                self.what = "save the theme"
            choices = [("", f"{uk_date(x.held_on)}  {x.place}", x.id)
                       for x in cm.list_sessions(s, ctx.actor)]
        self.title = self.line("&Theme:", "Theme", title)
        self.sessions = CheckList("Sessions that raised it", height=130)
        self.sessions.set_choices(choices, self.before)
        self.form.addRow("&Raised at:", self.sessions)
        self.quotes = self.text("&Quotes:", "Quotes", quotes, height=70)
        self.quotes.setPlaceholderText("One short quote a line")

    def submit(self) -> Call:
        title, ids, quotes = self.title.text(), self.sessions.checked(), self.quotes.toPlainText()
        if self.theme_id is None:
            return lambda s, a: cm.add_theme(s, a, title, ids, quotes).id
        tid, version = self.theme_id, self.version
        adds = [i for i in ids if i not in self.before]
        drops = [i for i in self.before if i not in ids]

        def run(s: Session, a: Actor) -> int:
            cm.update_theme(s, a, tid, version, title=title, quotes=quotes)
            for sid in adds:  # the new sessions first: a theme keeps at least one
                cm.link_session(s, a, tid, sid)
            for sid in drops:
                cm.link_session(s, a, tid, sid, remove=True)
            return tid
        return run


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

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 session_id: int | None = None) -> None:
        row = self.row = _load(ctx, YouthSession, session_id)
        super().__init__(ctx, "Edit youth panel session" if row else "New youth panel session", parent,
                         width=480)
        if row:
            self.what = "save the youth panel session"
        self.held = self.date("&Date:", "Session date", row.held_on if row else dt.date.today())
        self.place = self.line("&Place:", "Place", row.place if row else "")
        self.people = self.number("&Young people:", "Number of young people",
                                  row.participants if row else 0, maximum=200)
        self.notes = self.text("&Notes:", "Notes", row.notes if row else "", height=70)

    def submit(self) -> Call:
        held, place, people, notes = (self.held.date_value(), self.place.text(), self.people.value(),
                                      self.notes.toPlainText())
        if self.row:
            ident, version = self.row.id, self.row.version
            return lambda s, a: yp.update_session(s, a, ident, version, held_on=held, place=place,
                                                  participants=people, notes=notes).id
        return lambda s, a: yp.add_session(s, a, held, place, people, notes).id


class AskDialog(FormDialog):
    what, topic = "add what was raised", "youth_ask"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 session_id: int | None = None, ask_id: int | None = None) -> None:
        row = self.row = _load(ctx, YouthAsk, ask_id)
        super().__init__(ctx, "Youth panel: correct what was said" if row else "Youth panel: you said",
                         parent, width=520)
        if row:
            self.what, session_id = "save what was raised", row.session_id
        with ctx.read() as s:
            options = [(f"{uk_date(x.held_on)}  {x.place}", x.id) for x in yp.list_sessions(s, ctx.actor)]
        self.session = self.choice("&Session:", "Youth panel session", options, session_id)
        self.raised = self.text("&You said:", "What was raised", row.raised if row else "", height=80)

    def submit(self) -> Call:
        sid, raised = self.session.currentData(), self.raised.toPlainText()
        if self.row:
            ident, version = self.row.id, self.row.version
            return lambda s, a: yp.update_ask(s, a, ident, version, raised=raised, session_id=sid).id
        return lambda s, a: yp.add_ask(s, a, sid, raised).id


class AssessmentDialog(FormDialog):
    what, topic = "add the needs assessment", "needs_assessment"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 assessment_id: int | None = None) -> None:
        row = self.row = _load(ctx, NeedsAssessment, assessment_id)
        super().__init__(ctx, "Edit needs assessment" if row else "New strategic needs assessment",
                         parent, width=540)
        if row:
            self.what = "save the needs assessment"
        self.title = self.line("&Title:", "Title", row.title if row else "")
        self.published = self.date("&Published:", "Publication date",
                                   row.published_on if row else dt.date.today())
        self.summary = self.text("&Summary:", "Summary", row.summary if row else "", height=90)

    def submit(self) -> Call:
        title, on, summary = self.title.text(), self.published.date_value(), self.summary.toPlainText()
        if self.row:
            ident, version = self.row.id, self.row.version
            return lambda s, a: nd.update_assessment(s, a, ident, version, title=title, published_on=on,
                                                     summary=summary).id
        return lambda s, a: nd.add_assessment(s, a, title, on, summary).id


class FindingDialog(FormDialog):
    what, topic = "add the finding", "needs_finding"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 assessment_id: int | None = None, finding_id: int | None = None) -> None:
        row = self.row = _load(ctx, NeedsFinding, finding_id)
        super().__init__(ctx, "Edit finding" if row else "New finding", parent, width=540)
        if row:
            self.what, assessment_id = "save the finding", row.assessment_id
        with ctx.read() as s:
            found = nd.list_assessments(s, ctx.actor)
            options = [(f"{x.title} ({uk_date(x.published_on)})", x.id) for x in found]
            counts = {x.id: len(x.findings) for x in found}
        self.assessment = self.choice("&Assessment:", "Needs assessment", options, assessment_id)
        self.assessment.setEnabled(row is None)  # a finding stays with its assessment
        self.number = self.line("&Number:", "Finding number", row.number if row else
                                str(counts.get(self.assessment.currentData(), 0) + 1))
        self.number.setMaximumWidth(120)
        self.finding = self.text("&Finding:", "Finding", row.text if row else "", height=90)

    def submit(self) -> Call:
        aid, num, text = self.assessment.currentData(), self.number.text(), self.finding.toPlainText()
        if self.row:
            ident, version = self.row.id, self.row.version
            return lambda s, a: nd.update_finding(s, a, ident, version, text=text, number=num).id
        return lambda s, a: nd.add_finding(s, a, aid, num, text).id
