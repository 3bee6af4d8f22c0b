"""Need-to-know in every read path (services.access): an officer who only owns actions and a
viewer who is not a board member get the exempt notice wherever a board member, the chair or
the secretariat read exempt (Part 2) material."""
from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.conftest import actor
from tests.need_to_know import HELD_UNSIGNED, MARK, PLANNED, SECRETS, add_exempt_material, leaked
from vrboard.cli import main
from vrboard.errors import PermissionDenied
from vrboard.excel import export_actions, export_audit
from vrboard.model import AgendaItem, Membership, ProgressUpdate
from vrboard.services import access, audit_log
from vrboard.services import action_rows as rows
from vrboard.services import meetings as mtg
from vrboard.services.audit_log import AuditFilter
from vrboard.services.dashboard import summary
from vrboard.services.meeting_views import meeting_detail, paper_to_open
from vrboard.services.tracker import TrackerFilter, tracker_rows

NOT_ENTITLED = ["tfletcher", "pquinn"]   # an owner who is not a member; a viewer who is not one
ENTITLED = ["rkaplan", "zadeyemi", "praman", "hmarsh"]  # secretariat, chair, owner-member, viewer-member


@pytest.fixture
def board(demo_db):  # noqa: ANN001, ANN201
    return demo_db, add_exempt_material(demo_db)


def test_the_rule_who_is_entitled(board):  # noqa: ANN001
    db, _x = board
    with db.session() as s:
        for who in ENTITLED:
            assert access.access_for(s, actor(db, who)).entitled, who
        for who in NOT_ENTITLED:
            a = access.access_for(s, actor(db, who))
            assert not a.entitled and "not a member of the board" in a.reason
        # a member whose term has ended is no longer entitled
        helen = actor(db, "hmarsh")
        end = s.query(Membership).filter_by(person_id=helen.person_id).one().term_end
        assert access.access_for(s, helen, on=end + dt.timedelta(days=1)).entitled is False


@pytest.mark.parametrize("who", NOT_ENTITLED)
def test_meeting_detail_shows_the_exempt_notice(board, who):  # noqa: ANN001
    db, x = board
    with db.session() as s:
        d = meeting_detail(s, HELD_UNSIGNED, actor(db, who))
    assert leaked(repr(d)) == [] and not d.entitled
    item = d.item(x.item_id)
    notice = f"Exempt under paragraph {x.paragraph} of Schedule 12A: visible to board members"
    assert item.withheld and item.title == notice and item.presenter == ""
    assert item.discussion == notice and {dec.text for dec in item.decisions} == {notice}
    assert [p.title for p in item.papers] == [notice]
    assert item.papers[0].file_name == "" and item.papers[0].withheld
    assert item.position == x.item_position and item.part == 2  # where it sits stays visible
    sensitive = next(p for i in d.items for p in i.papers if p.id == x.sensitive_paper)
    assert sensitive.withheld and sensitive.title == "Exempt (OFFICIAL-SENSITIVE): visible to board members"
    dec = next(dc for dc in d.declarations if dc.item_id == x.item_id)
    assert dec.person == x.declarant and dec.item == f"{x.item_position}. (exempt item)"
    assert dec.nature == notice and dec.interest_type == "" and dec.dispensation == ""
    # the Part 1 items and the declaration on a Part 1 item read as before
    assert any(dc.nature.startswith("Close family member") for dc in d.declarations)


@pytest.mark.parametrize("who", ENTITLED)
def test_members_read_the_exempt_material(board, who):  # noqa: ANN001
    db, x = board
    with db.session() as s:
        d = meeting_detail(s, HELD_UNSIGNED, actor(db, who))
    assert set(leaked(repr(d))) == set(SECRETS) and d.entitled
    assert "case themes" in d.item(x.item_id).title


def test_open_paper_refuses_an_exempt_paper(board):  # noqa: ANN001
    db, x = board
    with db.session() as s:
        for paper in (x.exempt_paper, x.sensitive_paper):
            with pytest.raises(PermissionDenied, match="not a member of the board"):
                paper_to_open(s, actor(db, "tfletcher"), paper)
            assert paper_to_open(s, actor(db, "praman"), paper)
        item = s.get(AgendaItem, x.item_id)
        assert paper_to_open(s, actor(db, "pquinn"), 1) != ""  # an OFFICIAL paper: anyone
        assert item.papers[0].file_name == paper_to_open(s, actor(db, "rkaplan"), x.exempt_paper)


def _all(s, who):  # noqa: ANN001, ANN202
    return audit_log.search(s, AuditFilter(), who, limit=100_000)


@pytest.mark.parametrize("who", NOT_ENTITLED)
def test_audit_trail_redacts_and_cannot_be_searched_for_exempt_values(board, who):  # noqa: ANN001
    db, x = board
    me = actor(db, who)
    with db.session() as s:
        shown = _all(s, me)
        assert len(shown) == audit_log.count(s, AuditFilter(), me)  # nothing dropped, only redacted
        own = {("action", x.fletcher_action)} | {
            ("progress_update", u) for u in s.scalars(
                select(ProgressUpdate.id).where(ProgressUpdate.action_id == x.fletcher_action))}
        others = [e for e in shown if who != "tfletcher" or (e.entity, e.entity_id) not in own]
        assert leaked(repr(others)) == []
        hidden = [e for e in shown if e.entity == "agenda_item" and e.entity_id == x.item_id]
        assert hidden and {e.entity_label for e in hidden} == {access.REDACTED_LABEL}
        assert all(e.new_value in (None, access.RECORD_NOTICE) for e in hidden)
        for secret in SECRETS[1:]:
            assert audit_log.count(s, AuditFilter(text=secret), me) == 0
        found = audit_log.search(s, AuditFilter(text=MARK), me)  # only in their own action's history
        assert {(e.entity, e.entity_id) for e in found} <= (own if who == "tfletcher" else set())
        assert audit_log.count(s, AuditFilter(record="case themes"), me) == 0
        for key in ("record", "old", "new"):  # sorting by a redacted column gives nothing away
            page = audit_log.search(s, AuditFilter(), me, sort=key, limit=50)
            assert leaked(repr([e for e in page if (e.entity, e.entity_id) not in own])) == []


def test_the_owner_of_a_part2_action_reads_its_own_history(board):  # noqa: ANN001
    db, x = board
    fletcher = actor(db, "tfletcher")
    with db.session() as s:
        mine = audit_log.search(s, AuditFilter(entity="action", entity_id=x.fletcher_action), fletcher)
        theirs = audit_log.search(s, AuditFilter(entity="action", entity_id=x.santos_action), fletcher)
    assert MARK in repr(mine) and MARK not in repr(theirs)
    assert {e.new_value for e in theirs if e.field == "created"} == {access.ACTION_NOTICE}


def test_members_search_the_exempt_values(board):  # noqa: ANN001
    db, _x = board
    with db.session() as s:
        for who in ("rkaplan", "praman"):
            assert audit_log.count(s, AuditFilter(text=MARK), actor(db, who)) > 0


def test_a_deleted_part2_item_stays_redacted(board):  # noqa: ANN001
    db, _x = board
    with db.transaction() as s:
        item = s.query(AgendaItem).filter_by(meeting_id=PLANNED, part=2).one()
        mtg.save_minute(s, actor(db, "rkaplan"), item.id, "Pre-meeting note on case QUARTZ-9.", [])
        gone, title = item.id, item.title
        mtg.delete_item(s, actor(db, "rkaplan"), gone)
    with db.session() as s:
        shown = audit_log.search(s, AuditFilter(entity="agenda_item", entity_id=gone),
                                 actor(db, "tfletcher"))
        assert shown[0].field == "deleted"  # newest first
        assert title not in repr(shown)
        assert "QUARTZ-9" not in repr(_all(s, actor(db, "tfletcher")))  # its deleted minute too
        assert "QUARTZ-9" in repr(_all(s, actor(db, "praman")))
        assert title in repr(audit_log.search(s, AuditFilter(entity="agenda_item", entity_id=gone),
                                              actor(db, "hmarsh")))


def _cells(path) -> str:  # noqa: ANN001
    wb = CalamineWorkbook.from_path(str(path))
    return "\n".join(str(c) for name in wb.sheet_names for r in wb.get_sheet_by_name(name).to_python()
                     for c in r)


def test_export_audit_redacts_for_those_not_entitled(board, tmp_path):  # noqa: ANN001
    db, _x = board
    with db.session() as s:
        export_audit(s, actor(db, "msantos"), tmp_path / "owner.xlsx")
        export_audit(s, actor(db, "rkaplan"), tmp_path / "sec.xlsx")
    owner, sec = _cells(tmp_path / "owner.xlsx"), _cells(tmp_path / "sec.xlsx")
    # Maria Santos owns one Part 2 action: its history is hers to read, nothing else is
    assert leaked(owner.replace("Share the OPAL-77", "").replace("Briefing on OPAL-77", "")
                  .replace("decision on case OPAL-77", "")) == []
    assert access.RECORD_NOTICE in owner and access.ACTION_NOTICE in owner
    assert "missed opportunities" not in owner and "Knows the family" not in owner
    assert set(leaked(sec)) == set(SECRETS)


def test_actions_from_a_part2_decision(board):  # noqa: ANN001
    db, x = board
    with db.session() as s:
        def row(who, aid):  # noqa: ANN001, ANN202
            return next(r for r in rows.action_rows(s, actor(db, who)) if r[rows.R_ID] == aid)

        # its owner and the members see what it asks; others see the reference, owner, status
        for who, aid in (("msantos", x.santos_action), ("tfletcher", x.fletcher_action),
                         ("praman", x.santos_action), ("rkaplan", x.fletcher_action)):
            assert MARK in row(who, aid)[rows.R_TITLE]
        for who, aid in (("tfletcher", x.santos_action), ("pquinn", x.santos_action),
                         ("msantos", x.fletcher_action)):
            r = row(who, aid)
            assert r[rows.R_TITLE] == r[rows.R_DESCRIPTION] == access.ACTION_NOTICE
            assert r[rows.R_OWNER] and r[rows.R_STATUS]
        d = rows.action_detail(s, x.santos_action, actor(db, "pquinn"))
        assert leaked(repr(d)) == [] and "case themes" not in d.raised
        assert d.updates and d.updates[0].text == access.ACTION_NOTICE
        assert "Exempt under paragraph" in d.raised
        own = rows.action_detail(s, x.fletcher_action, actor(db, "tfletcher"))
        assert MARK in own.title and MARK in own.updates[0].text
        assert "case themes" not in own.raised  # where it came from is for members only
        assert "case themes" in rows.action_detail(s, x.fletcher_action, actor(db, "praman")).raised
        form = rows.action_form(s, x.santos_action, actor(db, "pquinn"))
        assert form.values["title"] == access.ACTION_NOTICE and "case themes" not in form.raised
        dash = summary(s, actor(db, "pquinn"))
        assert leaked(repr(dash)) == []


def test_tracker_export_as_an_owner_redacts_others_part2_actions(board, tmp_path):  # noqa: ANN001
    db, x = board
    with db.transaction() as s:
        trows = {r.id: r for r in tracker_rows(s, actor(db, "tfletcher"), TrackerFilter())}
        assert MARK in trows[x.fletcher_action].title and MARK in trows[x.fletcher_action].latest_update
        assert trows[x.santos_action].title == trows[x.santos_action].latest_update == access.ACTION_NOTICE
        export_actions(s, actor(db, "tfletcher"), tmp_path / "all.xlsx", owner="msantos")
        export_actions(s, actor(db, "rkaplan"), tmp_path / "santos.xlsx", owner="msantos")
        export_actions(s, actor(db, "rkaplan"), tmp_path / "price.xlsx", owner="oprice")
    assert leaked(_cells(tmp_path / "all.xlsx")) == []
    # the marking of a tracker follows what it shows
    assert _marking(tmp_path / "all.xlsx") == "OFFICIAL"  # Santos's Part 2 action redacted
    assert _marking(tmp_path / "santos.xlsx") == "OFFICIAL-SENSITIVE"
    assert _marking(tmp_path / "price.xlsx") == "OFFICIAL"


def _marking(path) -> str:  # noqa: ANN001
    wb = CalamineWorkbook.from_path(str(path))
    return str(wb.get_sheet_by_name(wb.sheet_names[0]).to_python()[0][1])


# --- backup and restore ---------------------------------------------------------------------

def test_backup_only_for_the_secretariat(board, tmp_path, capsys):  # noqa: ANN001
    db, _x = board
    for who in ("tfletcher", "pquinn", "zadeyemi", "praman"):
        out = tmp_path / f"{who}.json"
        assert main(["--db", db.url, "--as", who, "backup", str(out)]) == 1 and not out.exists()
        err = capsys.readouterr().err
        assert "Only the board secretariat or the database administrator may back up" in err
        assert "Traceback" not in err
    assert main(["--db", db.url, "--as", "rkaplan", "backup", str(tmp_path / "ok.json")]) == 0


def test_restore_only_for_the_administrator_of_the_file(board, tmp_path, capsys):  # noqa: ANN001
    db, _x = board
    backup = tmp_path / "b.json"
    assert main(["--db", db.url, "--as", "rkaplan", "backup", str(backup)]) == 0
    capsys.readouterr()
    for who, says in (("hmarsh", "Helen Marsh is recorded as viewer"),
                      ("nobody-here", "No person on the board in this backup")):
        target = tmp_path / f"{who}.sqlite3"
        assert main(["--db", str(target), "--as", who, "restore", str(backup)]) == 1
        err = capsys.readouterr().err
        assert says in err and "Nothing was restored" in err or "nothing was restored" in err
        assert not target.exists()  # refused before the new file was made
    target = tmp_path / "ok.sqlite3"
    assert main(["--db", str(target), "--as", "rkaplan", "restore", str(backup)]) == 0


# --- on both databases ----------------------------------------------------------------------

@pytest.mark.slow
def test_the_same_redaction_on_both_databases(any_url):  # noqa: ANN001
    """The SQL behind the audit redaction and the Part 2 sets runs on SQLite and PostgreSQL."""
    from tests.conftest import build_demo_into
    from vrboard.store import open_database

    db = open_database(any_url)
    try:
        build_demo_into(db)
        x = add_exempt_material(db)
        viewer, member = actor(db, "pquinn"), actor(db, "praman")
        with db.session() as s:
            assert leaked(repr(meeting_detail(s, HELD_UNSIGNED, viewer))) == []
            shown = audit_log.search(s, AuditFilter(), viewer, limit=100_000)
            assert leaked(repr(shown)) == [] and len(shown) == audit_log.count(s, AuditFilter(), viewer)
            assert audit_log.count(s, AuditFilter(text=MARK), viewer) == 0
            assert audit_log.count(s, AuditFilter(text=MARK), member) > 0
            for key in ("record", "old", "new"):
                assert leaked(repr(audit_log.search(s, AuditFilter(), viewer, sort=key, limit=20))) == []
            titles = {r[rows.R_ID]: r[rows.R_TITLE] for r in rows.action_rows(s, viewer)}
            assert titles[x.santos_action] == titles[x.fletcher_action] == access.ACTION_NOTICE
            assert access.is_server_administrator(s) is db.url.startswith("postgresql")
    finally:
        db.close()


@pytest.mark.postgres
def test_only_a_superuser_or_the_database_owner_is_its_administrator(pg_url):  # noqa: ANN001
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from vrboard.store import make_engine

    role = f"vrb_h2_{uuid.uuid4().hex[:8]}"
    url = make_url(pg_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD \'pw-{role}\'')
    try:
        engine = make_engine(url.set(username=role, password=f"pw-{role}")
                             .render_as_string(hide_password=False))
        try:
            with Session(engine) as s:
                assert access.is_server_administrator(s) is False
                assert "neither owns this database nor is a superuser" in access.restore_refusal_on_server(s)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{url.database}" OWNER TO "{role}"')
            with Session(engine) as s:
                assert access.is_server_administrator(s) is True
        finally:
            engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{url.database}" OWNER TO CURRENT_USER')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
