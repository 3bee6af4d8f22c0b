"""On a shared PostgreSQL board the acting person is the connection's login, through vrboard
itself: the services, the command line, the schema gate, ``users sync`` and the plain messages
for a login the server refuses."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from tests.core.pgboard import PgBoard, drop_roles
from vrboard.cli import main
from vrboard.errors import ConflictError, DatabaseError, NotFound, PermissionDenied
from vrboard.model import AccessRole, Action, AuditEntry, Channel, Minute
from vrboard.pg.tables import group_role
from vrboard.services.actions import add_progress, update_action
from vrboard.services.context import Actor, resolve_actor
from vrboard.store import ENV_URL, head_revision, open_database, stamped_revision

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _action(pgb: PgBoard, who: str, own: bool) -> int:
    op = "=" if own else "<>"
    return pgb.admin_sql(f"SELECT id FROM action WHERE owner_id {op} :p AND status IN "
                         "('not_started', 'in_progress') ORDER BY id LIMIT 1",
                         p=pgb.person_id(who))[0][0]


def test_the_acting_person_is_the_connections_login(pgb: PgBoard, monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", pgb.login("zadeyemi"))  # the OS login counts for nothing
    monkeypatch.setenv("USER", pgb.login("zadeyemi"))
    db = pgb.open("tfletcher")
    with db.session() as s:
        me = resolve_actor(s, None, Channel.APP)
        assert (me.person_id, me.name, me.role) == (pgb.person_id("tfletcher"), "Tom Fletcher",
                                                    AccessRole.OWNER)
        assert resolve_actor(s, pgb.login("tfletcher"), Channel.APP) == me  # naming yourself
        with pytest.raises(PermissionDenied) as err:
            resolve_actor(s, pgb.login("zadeyemi"), Channel.APP)
    assert str(err.value).startswith(
        f"On a shared server you act as your database login, {pgb.login('tfletcher')}; --as ")


def test_a_login_linked_to_nobody_is_told_what_to_do(pgb: PgBoard) -> None:
    name = pgb.login("nobody")
    with psycopg.connect(pgb.url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            psycopg.sql.Identifier(name), psycopg.sql.Literal(pgb.password),
            psycopg.sql.Identifier(group_role("viewer"))))
    db = pgb.open("nobody")
    with db.session() as s, pytest.raises(NotFound) as err:
        resolve_actor(s, None, Channel.APP)
    assert str(err.value) == (
        f"You are connected as '{name}', which is not linked to anyone on this board; ask the "
        f"board secretariat to record {name} as a person's login.")


def test_an_owner_works_through_vrboard_and_the_database_stops_a_doctored_client(pgb: PgBoard) -> None:
    db = pgb.open("tfletcher")
    own, other = _action(pgb, "tfletcher", True), _action(pgb, "tfletcher", False)
    with db.session() as s:
        me = resolve_actor(s, None, Channel.APP)
    with db.transaction() as s:
        add_progress(s, me, own, "Mapping exercise finished", percent=55, rag="amber")
    entry = pgb.admin_sql("SELECT actor_id, actor_name FROM audit_entry WHERE entity = 'action' "
                          "AND entity_id = :a AND field = 'percent_complete' ORDER BY id DESC LIMIT 1",
                          a=own)
    assert entry == [(me.person_id, "Tom Fletcher")]
    before = pgb.admin_sql("SELECT rag, title, version FROM action WHERE id = :a", a=other)
    # A client that lies about its role: the database still sees Tom's login.
    as_secretariat = Actor(me.person_id, me.name, AccessRole.SECRETARIAT, Channel.APP)
    with pytest.raises(ConflictError), db.transaction() as s:
        update_action(s, as_secretariat, other, None, {"rag": "red"})
    with pytest.raises(DBAPIError, match="permission denied for table action"), db.transaction() as s:
        update_action(s, as_secretariat, own, None, {"title": "Renamed by an owner"})
    # A client that lies about who it is: the audit trail refuses the chair's name.
    chair = pgb.person_id("zadeyemi")
    as_chair = Actor(chair, "Cllr Zoë Adeyemi", AccessRole.CHAIR, Channel.APP)
    with pytest.raises(DBAPIError, match="must name the person signed in"), db.transaction() as s:
        update_action(s, as_chair, own, None, {"rag": "green"})
    with pytest.raises(DBAPIError, match="row-level security"), db.transaction() as s:
        add_progress(s, as_chair, own, "Written in the chair's name")
    assert pgb.admin_sql("SELECT rag, title, version FROM action WHERE id = :a", a=other) == before
    with db.session() as s:  # the Part 2 minute is not there for an owner off the board
        part2 = pgb.admin_sql("SELECT m.id FROM minute m JOIN agenda_item i ON i.id = "
                              "m.agenda_item_id WHERE i.part = 2")
        assert part2 and all(s.get(Minute, m) is None for (m,) in part2)
        visible = s.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "minute")).all()
        assert not {m for (m,) in part2} & set(visible)
        assert s.query(Action).count() == pgb.admin_sql("SELECT count(*) FROM action")[0][0]


def test_the_command_line_on_a_server(pgb: PgBoard, capsys) -> None:
    tom = pgb.url_as("tfletcher", raw=True)
    code, out, err = run(capsys, "--db", tom, "actions")
    assert code == 0 and err == "" and len(out.splitlines()) >= 60
    code, out, err = run(capsys, "--db", tom, "--as", pgb.login("zadeyemi"), "actions")
    assert (code, out) == (1, "")
    assert err.startswith(f"vrboard: On a shared server you act as your database login, "
                          f"{pgb.login('tfletcher')}; --as {pgb.login('zadeyemi')} is not accepted")
    code, out, err = run(capsys, "--db", tom, "users", "sync")
    assert (code, out) == (1, "")
    assert "users sync changes the roles on the server 127.0.0.1:5432/" in err
    assert f"you are connected as '{pgb.login('tfletcher')}'" in err and "Traceback" not in err


def test_only_the_administrator_changes_the_schema(pgb: PgBoard) -> None:
    head = head_revision()
    for stamp, says in (("0001", "has an older schema (0001) than this vrboard"),
                        ("9f3e_future", "was written by a newer version of vrboard (schema 9f3e_future")):
        pgb.admin_sql("UPDATE alembic_version SET version_num = :v", v=stamp)
        try:
            with pytest.raises(DatabaseError) as err:
                open_database(pgb.url_as("rkaplan"))  # even the secretariat
            msg = str(err.value)
            assert says in msg
            if stamp == "0001":  # a newer schema: install the newer vrboard, whoever you are
                assert (f"Only the administrator may change a shared board's schema, and you are "
                        f"connected as '{pgb.login('rkaplan')}'. Ask the administrator") in msg
            assert msg.endswith("Nothing was changed.")
            assert stamped_revision(pgb.db.engine) == stamp
        finally:
            pgb.admin_sql("UPDATE alembic_version SET version_num = :v", v=head)


def test_users_sync_follows_the_board_and_prints_every_change(pgb: PgBoard, capsys) -> None:
    from vrboard.services.users_sync import sync_users

    tom, owner, viewer = pgb.login("tfletcher"), group_role("owner"), group_role("viewer")
    hostile = pgb.login('x"; DROP TABLE person; --')
    too_long = pgb.login("l" * 60)
    pgb.admin_sql("UPDATE person SET access_role = 'viewer' WHERE login = :l", l=tom)
    pgb.admin_sql("UPDATE person SET active = false WHERE login = :l", l=pgb.login("jhaddad"))
    pgb.admin_sql("INSERT INTO person (name, job_title, organisation, email, login, access_role, "
                  "active, version) VALUES ('Hostile Name', '', '', '', :h, 'owner', true, 1), "
                  "('Long Login', '', '', '', :t, 'owner', true, 1)", h=hostile, t=too_long)
    admin = pgb.url.replace("+psycopg", "")
    try:
        code, out, err = run(capsys, "--db", admin, "users", "sync", "--dry-run")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert f"would revoke {owner} from {tom} (Tom Fletcher): Tom Fletcher is now a viewer" in lines
        assert f"would grant {viewer} to {tom} (Tom Fletcher)" in lines
        assert (f"would revoke {owner} from {pgb.login('jhaddad')} (Jamal Haddad): Jamal Haddad's "
                "account is inactive") in lines
        assert any(line.startswith(f"would create login role {hostile} (Hostile Name)") for line in lines)
        assert any(line.startswith(f"skipped Long Login: the login '{too_long}' is longer than")
                   for line in lines)
        assert lines[-1] == "Dry run: nothing was changed."
        assert _groups_of(pgb, tom) == {owner}  # nothing changed
        audit_before = pgb.admin_sql("SELECT count(*) FROM audit_entry")[0][0]

        code, out, err = run(capsys, "--db", admin, "users", "sync")
        assert (code, err) == (0, "")
        assert f"revoke {owner} from {tom} (Tom Fletcher): Tom Fletcher is now a viewer" in out
        assert _groups_of(pgb, tom) == {viewer}
        assert _groups_of(pgb, pgb.login("jhaddad")) == set()
        assert _groups_of(pgb, hostile) == {owner}  # the exact name, quoted: nothing else ran
        assert pgb.admin_sql("SELECT count(*) FROM person")[0][0] > 10
        logged = pgb.admin_sql("SELECT entity_label, field, old_value, new_value FROM audit_entry "
                               "WHERE entity = 'login_role' AND id > (SELECT max(id) - 10 FROM "
                               "audit_entry) ORDER BY id")
        assert (tom, "group role", owner, None) in logged and (tom, "group role", None, viewer) in logged
        assert pgb.admin_sql("SELECT count(*) FROM audit_entry")[0][0] > audit_before

        with pgb.db.engine.begin() as conn:  # run again: nothing left to change
            again = sync_users(conn, pgb.url)
        assert again.changes == []
        assert "Every login already holds the group of its access role: nothing to change." in again.lines()
    finally:
        pgb.admin_sql("UPDATE person SET access_role = 'owner' WHERE login = :l", l=tom)
        pgb.admin_sql("UPDATE person SET active = true WHERE login = :l", l=pgb.login("jhaddad"))
        pgb.admin_sql("DELETE FROM person WHERE login IN (:h, :t)", h=hostile, t=too_long)
        with pgb.db.engine.begin() as conn:
            sync_users(conn, pgb.url)
    assert _groups_of(pgb, tom) == {owner}


def _groups_of(pgb: PgBoard, login: str) -> set[str]:
    rows = pgb.admin_sql("SELECT g.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = "
                         "am.roleid JOIN pg_roles m ON m.oid = am.member WHERE m.rolname = :l", l=login)
    return {r[0] for r in rows}


def test_refused_logins_get_plain_messages_and_change_nothing(pgb: PgBoard, capsys) -> None:
    audit = pgb.admin_sql("SELECT count(*) FROM audit_entry")[0][0]
    admin = pgb.url.replace("+psycopg", "")
    server = admin.split("@", 1)[1]
    # A login nobody created.
    ghost = pgb.url_as("ghost", raw=True)
    code, out, err = run(capsys, "--db", ghost, "actions")
    assert (code, out) == (1, "")
    assert err == (f"vrboard: Cannot open the database {server} as {pgb.login('ghost')}: the server "
                   f"has no login {pgb.login('ghost')}. Check the user name in the address, or ask "
                   "the administrator to run 'vrboard users sync' after the secretariat has recorded "
                   f"{pgb.login('ghost')} as your login. Nothing was changed.\n")
    # A server that does not answer.
    code, out, err = run(capsys, "--db", "postgresql://someone@127.0.0.1:1/board", "actions")
    assert code == 1 and err.startswith(
        "vrboard: The server 127.0.0.1:1/board refused the connection: no database server is "
        "listening there")
    assert "Traceback" not in err
    # A login that lost its group (its grants): the server refuses; vrboard says what to do.
    bare = pgb.login("bare")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            psycopg.sql.Identifier(bare), psycopg.sql.Literal(pgb.password)))
    code, out, err = run(capsys, "--db", pgb.url_as("bare", raw=True), "actions")
    assert (code, out) == (1, "")
    assert err.startswith(f"vrboard: The server {server} refused this for the login {bare} "
                          "(permission denied for table ")
    assert err.endswith("ask the administrator to run 'vrboard users sync'. Nothing was changed.\n")
    # users sync by a login that is an administrator but may not create roles.
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("GRANT {} TO {}").format(
            psycopg.sql.Identifier(group_role("admin")), psycopg.sql.Identifier(bare)))
    code, out, err = run(capsys, "--db", pgb.url_as("bare", raw=True), "users", "sync")
    assert (code, out) == (1, "")
    assert err == (f"vrboard: users sync creates roles on the server {server}, and the login "
                   f"'{bare}' may not create roles. Run it with a login that has CREATEROLE (ask the "
                   f"server's administrator: ALTER ROLE {bare} CREATEROLE), or as a superuser. "
                   "Nothing was changed.\n")
    assert pgb.admin_sql("SELECT count(*) FROM audit_entry")[0][0] == audit
    drop_roles(bare)


def test_a_viewers_write_through_vrboard_is_refused_by_the_server(pgb: PgBoard, capsys) -> None:
    db = pgb.open("vviewer")
    with db.session() as s:
        me = resolve_actor(s, None, Channel.APP)
    doctored = Actor(me.person_id, me.name, AccessRole.SECRETARIAT, Channel.APP)
    action = _action(pgb, "tfletcher", True)
    before = pgb.admin_sql("SELECT count(*) FROM progress_update")[0][0]
    with pytest.raises(DBAPIError) as err, db.transaction() as s:
        add_progress(s, doctored, action, "A viewer's note")
    assert err.value.orig.sqlstate == "42501"
    assert pgb.admin_sql("SELECT count(*) FROM progress_update")[0][0] == before
    from vrboard.app import plain_message

    assert plain_message(err.value).startswith("The server refused this for your login (")


def test_a_board_set_up_by_an_administrator_who_is_not_a_superuser(capsys) -> None:
    """The usual council set-up: a login with CREATEROLE that owns the database sets up the
    board; the tables then belong to the administrator group, so another administrator can
    upgrade the schema later."""
    import os
    import uuid

    from alembic import command

    from tests.conftest import PG_URL
    from vrboard.store import alembic_config

    if not PG_URL:
        pytest.skip("VRBOARD_TEST_POSTGRES_URL is not set")
    token = f"{os.environ['VRBOARD_PG_ROLE_PREFIX']}{uuid.uuid4().hex[:4]}"
    first, second, name = f"{token}_adm1", f"{token}_adm2", f"vrboard_test_{token}"
    ident, lit = psycopg.sql.Identifier, psycopg.sql.Literal
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for login in (first, second):
            conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                ident(login), lit("pw")))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {} OWNER {}").format(ident(name), ident(first)))
    base = PG_URL.rsplit("@", 1)[1].rsplit("/", 1)[0]
    url1, url2 = f"postgresql://{first}:pw@{base}/{name}", f"postgresql://{second}:pw@{base}/{name}"
    try:
        assert run(capsys, "--db", url1, "init", "--demo")[0] == 0
        with psycopg.connect(url1) as conn:  # roles are cluster-wide: logins of this test only
            conn.execute("UPDATE person SET login = %s || '_' || login WHERE login <> %s",
                         (token, first))
        code, out, err = run(capsys, "--db", url1, "users", "sync")
        assert (code, err) == (0, ""), err
        admin_group = group_role("admin")
        with psycopg.connect(url1) as conn:
            owners = {r[0] for r in conn.execute(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
            assert owners == {admin_group}
            conn.execute(psycopg.sql.SQL("GRANT {} TO {}").format(ident(admin_group), ident(second)))
            conn.commit()
        old = open_database(url1)  # take the board back to its first schema, as an old vrboard left it
        try:
            command.downgrade(alembic_config(old.engine), "0001")
        finally:
            old.close()
        db = open_database(url2)  # the second administrator upgrades it
        try:
            assert (db.migration.before, db.migration.after) == ("0001", head_revision())
        finally:
            db.close()
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident(name)))
        drop_roles(token + "_")
