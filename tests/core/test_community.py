"""Community conversations, the youth panel and the needs assessment through the services: who
may change them, each record's rules and their plain refusals (nothing written), the links
between themes, asks, findings and actions both ways, the audit trail and conflicts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import actor
from tests.core.helpers import audit_count, first_action
from vrboard.errors import ConflictError, PermissionDenied, RuleViolation, ValidationError
from vrboard.model import (
    Action,
    ActionStatus,
    AuditEntry,
    ChampionsWorkshop,
    CommunitySession,
    CommunityTheme,
    FeedbackState,
    NeedsFinding,
    TrainedMember,
    YouthAsk,
)
from vrboard.services import community as cm
from vrboard.services import needs as nd
from vrboard.services import youth_panel as yp
from vrboard.services.sources import FINDING, THEME, YOUTH, action_sources

DAY = dt.date.today() - dt.timedelta(days=20)


def _do(db, who, fn, *args, **kw):
    with db.transaction() as s:
        out = fn(s, actor(db, who), *args, **kw)
        return getattr(out, "id", out)


def _conversation(db, **fields):
    values = {"held_on": DAY, "place": "Evelyn ward: Pepys Community Centre",
              "lead_organisation": "Voluntary Action Network", "facilitators": "Two trained members",
              "participants": 24, "groups": "Parents; young adults; faith leaders",
              "notes": "Safety on the way home from school."}
    values.update(fields)
    return _do(db, "rkaplan", cm.add_session, **values)


def _count(db, cls) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(cls))


def test_secretariat_and_chair_record_a_conversation_and_its_audit(demo_db):
    ident = _conversation(demo_db)
    _do(demo_db, "zadeyemi", cm.update_session, ident, participants=26)
    with demo_db.session() as s:
        row = s.get(CommunitySession, ident)
        assert row.participants == 26 and row.label.startswith("Community conversation ")
        fields = {e.field for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "community_session", AuditEntry.entity_id == ident))}
        assert {"created", "participants"} <= fields


@pytest.mark.parametrize("who", ["tfletcher", "hmarsh"])
def test_owners_and_viewers_may_not_change_any_of_it(demo_db, who):
    conv = _conversation(demo_db)
    before = audit_count(demo_db)
    calls = [(cm.add_session, (), {"held_on": DAY, "place": "X", "lead_organisation": "Y"}),
             (cm.add_member, ("A. Person", "Voluntary Action Network", DAY), {}),
             (cm.add_theme, ("Safe routes", [conv]), {}),
             (cm.add_workshop, (), {"held_on": DAY, "audience": "professionals", "participants": 10}),
             (yp.add_session, (DAY, "Youth hub"), {}),
             (nd.add_assessment, ("SNA 2026", DAY), {})]
    for fn, args, kw in calls:
        with pytest.raises(PermissionDenied, match="may change community conversations, the youth "
                                                   "panel and the needs assessment"):
            _do(demo_db, who, fn, *args, **kw)
    assert audit_count(demo_db) == before


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"participants": 31}, "participants",
     "Participants: a Community Champions workshop takes up to 30 people; 31 is too many"),
    ({"participants": -1}, "participants", "Participants cannot be less than 0"),
    ({"hours": 9}, "hours", "runs about four hours; 9 is outside"),
    ({"audience": "pupils"}, "audience", "Audience must be one of residents_businesses, professionals"),
    ({"held_on": dt.date.today() + dt.timedelta(days=3)}, "workshop date", "is in the future"),
])
def test_a_bad_workshop_is_refused_naming_the_field(demo_db, fields, field, message):
    before, rows = audit_count(demo_db), _count(demo_db, ChampionsWorkshop)
    values = {"held_on": DAY, "audience": "residents_businesses", "participants": 28, **fields}
    with pytest.raises(ValidationError, match=message) as err:
        _do(demo_db, "rkaplan", cm.add_workshop, **values)
    assert err.value.field == field
    assert audit_count(demo_db) == before and _count(demo_db, ChampionsWorkshop) == rows


def test_a_workshop_of_thirty_runs_four_hours_by_default(demo_db):
    ident = _do(demo_db, "rkaplan", cm.add_workshop, held_on=DAY, audience="professionals",
                participants=30, place="Civic Suite")
    with pytest.raises(ValidationError, match="takes up to 30 people; 40 is too many"):
        _do(demo_db, "rkaplan", cm.update_workshop, ident, participants=40)
    with demo_db.session() as s:
        row = s.get(ChampionsWorkshop, ident)
        assert (row.hours, row.participants) == (4.0, 30)
        assert row.audience.label == "Professionals"


def test_conversation_and_member_rules(demo_db):
    with pytest.raises(ValidationError, match="Lead organisation is required"):
        _conversation(demo_db, lead_organisation=" ")
    with pytest.raises(ValidationError, match="Number of participants must be a whole number"):
        _conversation(demo_db, participants="lots")
    members = _count(demo_db, TrainedMember)
    _do(demo_db, "rkaplan", cm.add_member, "Yetunde A.", "Voluntary Action Network", DAY)
    with pytest.raises(ValidationError, match="Yetunde A. is already recorded as trained on"):
        _do(demo_db, "rkaplan", cm.add_member, "Yetunde A.", "Someone else", DAY)
    with pytest.raises(ValidationError, match="Trained by is required"):
        _do(demo_db, "rkaplan", cm.add_member, "Rob K.", "", DAY)
    assert _count(demo_db, TrainedMember) == members + 1
    with demo_db.session() as s:
        assert cm.engagement(s).trained == members + 1 and cm.engagement(s).target == 30


def test_theme_rules_sessions_quotes_and_we_did(demo_db):
    conv, other = _conversation(demo_db), _conversation(demo_db, place="Bellingham ward")
    with pytest.raises(ValidationError, match="name at least one session that raised it"):
        _do(demo_db, "rkaplan", cm.add_theme, "Safe routes home", [])
    with pytest.raises(ValidationError, match="Quote 2 is 201 characters long"):
        _do(demo_db, "rkaplan", cm.add_theme, "Safe routes home", [conv], ["Short.", "x" * 201])
    theme = _do(demo_db, "rkaplan", cm.add_theme, "Safe routes home", [conv],
                "The bus stop is dark.\nWe walk in groups.")
    with pytest.raises(ValidationError, match="There is already a theme 'Safe routes home'"):
        _do(demo_db, "rkaplan", cm.add_theme, "safe routes HOME", [other])
    _do(demo_db, "rkaplan", cm.link_session, theme, other)
    with pytest.raises(RuleViolation, match="keeps at least one session"):
        _do(demo_db, "rkaplan", cm.link_session, theme, other, remove=True)
        _do(demo_db, "rkaplan", cm.link_session, theme, conv, remove=True)
    before = audit_count(demo_db)
    with pytest.raises(ValidationError, match="before marking it done") as err:
        _do(demo_db, "rkaplan", cm.respond_theme, theme, "", "done")
    assert err.value.field == "response" and audit_count(demo_db) == before
    _do(demo_db, "rkaplan", cm.respond_theme, theme, "Lighting at two bus stops fixed.", "done")
    with demo_db.session() as s:
        row = s.get(CommunityTheme, theme)
        assert row.state is FeedbackState.DONE and row.quote_list == ["The bus stop is dark.",
                                                                      "We walk in groups."]
        assert len(row.sessions) == 1  # the refused unlink of the last session changed nothing
        listed = cm.list_themes(s, actor(demo_db, "hmarsh"))  # a viewer reads
        assert theme in [t.id for t in listed]


def test_youth_panel_ask_and_reply(demo_db):
    panel = _do(demo_db, "rkaplan", yp.add_session, DAY, "Lewisham youth hub", 14,
                "Twelve to eighteen year olds from five wards.")
    ask = _do(demo_db, "rkaplan", yp.add_ask, panel, "More youth workers in parks after school.")
    with pytest.raises(ValidationError, match="write the board's reply"):
        _do(demo_db, "rkaplan", yp.reply, ask, " ", "done")
    with pytest.raises(ValidationError, match="What was raised is required"):
        _do(demo_db, "rkaplan", yp.add_ask, panel, "")
    with pytest.raises(ValidationError, match="Number of young people cannot be more than 200"):
        _do(demo_db, "rkaplan", yp.add_session, DAY, "Hub", 500)
    _do(demo_db, "rkaplan", yp.reply, ask, "Two detached youth workers in the parks from May.",
        "in_progress")
    with demo_db.session() as s:
        row = s.get(YouthAsk, ask)
        assert row.state is FeedbackState.IN_PROGRESS and row.session.asks == [row]


def test_findings_number_uniquely_and_sort_naturally(demo_db):
    sna = _do(demo_db, "rkaplan", nd.add_assessment, "Serious violence needs assessment 2026",
              dt.date(2026, 4, 1), "Data from police, health and education.")
    for n in ("10", "2", "1"):
        _do(demo_db, "rkaplan", nd.add_finding, sna, n, f"Finding text {n}")
    with pytest.raises(ValidationError, match="already has a finding 2"):
        _do(demo_db, "rkaplan", nd.add_finding, sna, "2", "Again")
    with pytest.raises(ValidationError, match="Publication date is required"):
        _do(demo_db, "rkaplan", nd.add_assessment, "No date", None)
    with demo_db.session() as s:
        found = [a for a in nd.list_assessments(s, actor(demo_db, "tfletcher")) if a.id == sna][0]
        assert [f.number for f in nd.findings(found)] == ["1", "2", "10"]


def test_an_ask_and_a_finding_are_corrected(demo_db):
    first = _do(demo_db, "rkaplan", yp.add_session, DAY, "Youth hub", 12)
    second = _do(demo_db, "rkaplan", yp.add_session, DAY, "Library", 8)
    ask = _do(demo_db, "rkaplan", yp.add_ask, first, "Keep the club open")
    _do(demo_db, "zadeyemi", yp.update_ask, ask, 1, raised="Keep the club open on Fridays",
        session_id=second)
    with pytest.raises(ValidationError, match="What was raised is required"):
        _do(demo_db, "rkaplan", yp.update_ask, ask, raised=" ")
    with pytest.raises(PermissionDenied):
        _do(demo_db, "hmarsh", yp.update_ask, ask, raised="No")
    sna = _do(demo_db, "rkaplan", nd.add_assessment, "SNA 2027", DAY)
    one = _do(demo_db, "rkaplan", nd.add_finding, sna, "1", "First")
    _do(demo_db, "rkaplan", nd.add_finding, sna, "2", "Second")
    with pytest.raises(ValidationError, match="already has a finding 2"):
        _do(demo_db, "rkaplan", nd.update_finding, one, number="2")
    _do(demo_db, "rkaplan", nd.update_finding, one, 1, number="1a", text="First, corrected")
    with demo_db.session() as s:
        row = s.get(YouthAsk, ask)
        assert row.raised == "Keep the club open on Fridays" and row.session_id == second
        f = s.get(NeedsFinding, one)
        assert (f.number, f.text) == ("1a", "First, corrected")
        assert {e.field for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "youth_ask", AuditEntry.entity_id == ask))} >= {"raised"}


def test_links_are_kept_and_shown_both_ways(demo_db):
    action = first_action(demo_db, ActionStatus.IN_PROGRESS)
    conv = _conversation(demo_db)
    theme = _do(demo_db, "rkaplan", cm.add_theme, "Nowhere to go in the evenings", [conv])
    panel = _do(demo_db, "rkaplan", yp.add_session, DAY, "Youth hub", 12)
    ask = _do(demo_db, "rkaplan", yp.add_ask, panel, "Keep the youth club open on Fridays.")
    sna = _do(demo_db, "rkaplan", nd.add_assessment, "SNA 2026", DAY)
    finding = _do(demo_db, "rkaplan", nd.add_finding, sna, "3", "Violence peaks 3pm to 7pm.")
    _do(demo_db, "rkaplan", cm.link_action, theme, action.reference)
    _do(demo_db, "rkaplan", yp.link_action, ask, action.id)
    _do(demo_db, "rkaplan", nd.link_action, finding, action.reference.lower())
    with pytest.raises(ValidationError, match=f"{action.reference} is already linked to theme"):
        _do(demo_db, "rkaplan", cm.link_action, theme, action.reference)
    with demo_db.session() as s:
        a = s.get(Action, action.id)
        assert [t.id for t in a.themes] == [theme] and [x.id for x in a.youth_asks] == [ask]
        assert [f.id for f in a.findings] == [finding]
        assert s.get(NeedsFinding, finding).actions == [a]  # and the other way
        sources = {x.kind: x for x in action_sources(s, actor(demo_db, "hmarsh"), a)}
        assert sources[THEME].where == "Nowhere to go in the evenings (raised at 1 session)"
        assert sources[YOUTH].text == "Keep the youth club open on Fridays."
        assert sources[FINDING].where == "SNA 2026, finding 3"
        assert sources[FINDING].describe() == ("Needs assessment finding: SNA 2026, finding 3 "
                                               "(Violence peaks 3pm to 7pm.)")
        audited = {e.field for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "community_theme", AuditEntry.entity_id == theme))}
        assert "actions" in audited
    _do(demo_db, "rkaplan", cm.link_action, theme, action.reference, remove=True)
    with pytest.raises(ValidationError, match="is not linked to theme"):
        _do(demo_db, "rkaplan", cm.link_action, theme, action.reference, remove=True)
    with demo_db.session() as s:
        kinds = [x.kind for x in action_sources(s, actor(demo_db, "hmarsh"), s.get(Action, action.id))]
        assert THEME not in kinds and YOUTH in kinds


def test_a_stale_copy_is_refused(demo_db):
    conv = _conversation(demo_db)
    theme = _do(demo_db, "rkaplan", cm.add_theme, "Trust in the police", [conv])
    action = first_action(demo_db, ActionStatus.IN_PROGRESS)
    _do(demo_db, "rkaplan", cm.link_action, theme, action.reference, version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        _do(demo_db, "rkaplan", cm.respond_theme, theme, "Met the BCU", "in_progress", version=1)


def test_the_demo_shows_each_strand(demo_db):
    with demo_db.session() as s:
        e = cm.engagement(s)
        assert (e.trained, e.target) == (18, 30) and e.sessions >= 6 and e.people > 150
        assert e.workshops == 2 and e.workshop_people <= 60 and e.youth_sessions == 3
        reader = actor(demo_db, "hmarsh")
        themes = cm.list_themes(s, reader)
        assert len(themes[0].sessions) == 4 and themes[0].state is FeedbackState.DONE
        assert any(t.state is FeedbackState.OPEN and not t.actions for t in themes)
        asks = [q for x in yp.list_sessions(s, reader) for q in x.asks]
        assert len(asks) >= 5 and all(q.reply for q in asks if q.state is FeedbackState.DONE)
        sna = nd.list_assessments(s, reader)[0]
        assert len(sna.findings) == 5 and all(f.actions for f in sna.findings)
        action = sna.findings[0].actions[0]
        assert FINDING in [x.kind for x in action_sources(s, reader, action)]


NEW_TABLES = ("community_session", "community_member", "community_theme", "community_theme_session",
              "community_theme_action", "champions_workshop", "youth_session", "youth_ask",
              "youth_ask_action", "needs_assessment", "needs_finding", "needs_finding_action")


def test_backup_and_restore_carry_the_new_tables_row_for_row(demo_db, tmp_path):
    from tests.core.conftest import table_rows
    from vrboard.backup import backup, restore
    from vrboard.store import open_database

    path = tmp_path / "board.json.gz"
    backup(demo_db, path)
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        result = restore(target, path)
        source, copied = table_rows(demo_db), table_rows(target)
        for name in NEW_TABLES:
            assert source[name], f"the demo has no rows in {name}"
            assert result.counts[name] == len(source[name])
            assert copied[name] == source[name], name
    finally:
        target.close()
