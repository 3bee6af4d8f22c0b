"""The database itself enforces the roles (GRANTs, row-level security, triggers), proved with
plain SQL over real login roles on the PostgreSQL server: whatever a client sends."""
from __future__ import annotations

import psycopg
import pytest
from psycopg import errors, sql

from tests.core.pgboard import PgBoard

pytestmark = pytest.mark.postgres

PART2_MINUTES = ("SELECT m.id FROM minute m JOIN agenda_item i ON i.id = m.agenda_item_id "
                 "WHERE i.part = 2")

# Raw audit rows link onto the chain's head (the rules under test are about who writes them;
# the hash itself is vrboard's business and is checked by `vrboard verify`).
CHAIN_COLUMNS = "chain_format, prev_hash, entry_hash"
CHAIN_VALUES = "2, vrboard_audit_chain_head(), md5(random()::text) || md5(random()::text)"


def _count(conn: psycopg.Connection, query: str, params: tuple = ()) -> int:
    return conn.execute(f"SELECT count(*) FROM ({query}) q", params).fetchone()[0]


def _others_action(pgb: PgBoard, who: str) -> int:
    return pgb.admin_sql("SELECT id FROM action WHERE owner_id <> :p AND status <> 'signed_off' "
                         "ORDER BY id LIMIT 1", p=pgb.person_id(who))[0][0]


def _own_action(pgb: PgBoard, who: str) -> int:
    return pgb.admin_sql("SELECT id FROM action WHERE owner_id = :p AND status IN "
                         "('not_started', 'in_progress') ORDER BY id LIMIT 1", p=pgb.person_id(who))[0][0]


def test_an_owner_updates_status_rag_and_percent_only_on_their_own_actions(pgb: PgBoard) -> None:
    other, own = _others_action(pgb, "tfletcher"), _own_action(pgb, "tfletcher")
    with pgb.connect("tfletcher") as conn:
        cur = conn.execute("UPDATE action SET rag = 'red' WHERE id = %s", (other,))
        assert cur.rowcount == 0  # another's action: no row to change
        cur = conn.execute("UPDATE action SET rag = 'red', percent_complete = 40, "
                           "status = 'in_progress' WHERE id = %s", (own,))
        assert cur.rowcount == 1
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table action"):
            conn.execute("UPDATE action SET title = 'renamed' WHERE id = %s", (own,))
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table action"):
            conn.execute("UPDATE action SET owner_id = NULL WHERE id = %s", (own,))
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO action DEFAULT VALUES")
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM action WHERE id = %s", (own,))
    before = pgb.admin_sql("SELECT rag, version FROM action WHERE id = :i", i=other)
    with pgb.connect("tfletcher") as conn:
        conn.execute("UPDATE action SET rag = 'red', version = version + 1 WHERE id = %s", (other,))
        conn.commit()
    assert pgb.admin_sql("SELECT rag, version FROM action WHERE id = :i", i=other) == before


def test_an_owner_adds_progress_only_to_their_own_actions_and_in_their_own_name(pgb: PgBoard) -> None:
    me, chair = pgb.person_id("tfletcher"), pgb.person_id("zadeyemi")
    own, other = _own_action(pgb, "tfletcher"), _others_action(pgb, "tfletcher")
    insert = ("INSERT INTO progress_update (action_id, on_date, author_id, author_name, text, "
              "source, source_file, created_at) VALUES (%s, current_date, %s, 'x', 'done', 'app', "
              "'', now())")
    with pgb.connect("tfletcher") as conn:
        conn.execute(insert, (own, me))
        conn.rollback()
        for action, author in ((other, me), (own, chair)):
            with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(insert, (action, author))
            conn.rollback()


def test_an_owner_who_is_not_on_the_board_reads_no_exempt_row(pgb: PgBoard) -> None:
    part2 = [r[0] for r in pgb.admin_sql(PART2_MINUTES)]
    assert part2, "the demo has Part 2 minutes"
    item = pgb.admin_sql("SELECT agenda_item_id FROM minute WHERE id = :m", m=part2[0])[0][0]
    meeting = pgb.admin_sql("SELECT meeting_id FROM agenda_item WHERE id = :i", i=item)[0][0]
    decl = pgb.admin_sql(
        "INSERT INTO declaration (meeting_id, agenda_item_id, person_id, interest_type, nature, "
        "dispensation, version) VALUES (:m, :i, :p, 'Other registrable', 'Governor of the school "
        "named in the case', 'none', 1) RETURNING id", m=meeting, i=item,
        p=pgb.person_id("praman"))[0][0]
    pgb.admin_sql("INSERT INTO audit_entry (at, actor_id, actor_name, channel, source, entity, "
                  "entity_id, entity_label, field, new_value, " + CHAIN_COLUMNS + ") VALUES (now(), "
                  "NULL, 'test', 'system', '', 'minute', :m, 'Part 2 minute', 'discussion', "
                  "'the exempt text', " + CHAIN_VALUES + ")",
                  m=part2[0])
    exempt = {
        "minute": PART2_MINUTES,
        "decision": f"SELECT d.id FROM decision d WHERE d.minute_id IN ({PART2_MINUTES})",
        "paper": "SELECT p.id FROM paper p JOIN agenda_item i ON i.id = p.agenda_item_id "
                 "WHERE i.part = 2 OR p.classification = 'OFFICIAL-SENSITIVE'",
        "declaration": f"SELECT id FROM declaration WHERE id = {decl}",
        "audit": f"SELECT id FROM audit_entry WHERE entity = 'minute' AND entity_id IN ({PART2_MINUTES})",
    }
    with psycopg.connect(pgb.url.replace("+psycopg", "")) as admin:
        expected = {k: _count(admin, q) for k, q in exempt.items()}
        public_minutes = _count(admin, "SELECT id FROM minute") - expected["minute"]
    assert all(expected.values()), expected
    for who in ("tfletcher", "vviewer"):  # an owner and a viewer, neither on the board
        with pgb.connect(who) as conn:
            assert {k: _count(conn, q) for k, q in exempt.items()} == dict.fromkeys(exempt, 0), who
            assert _count(conn, "SELECT id FROM minute") == public_minutes
            assert _count(conn, "SELECT id FROM agenda_item WHERE part = 2") > 0  # the title stays
    for who in ("praman", "hmarsh", "rkaplan", "zadeyemi"):  # member, member, secretariat, chair
        with pgb.connect(who) as conn:
            assert {k: _count(conn, q) for k, q in exempt.items()} == expected, who


def test_nobody_but_the_administrator_updates_or_deletes_an_audit_entry(pgb: PgBoard) -> None:
    for who in ("rkaplan", "zadeyemi", "tfletcher", "hmarsh"):
        with pgb.connect(who) as conn:
            for stmt in ("DELETE FROM audit_entry", "UPDATE audit_entry SET new_value = 'x'",
                         "TRUNCATE audit_entry"):
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(stmt)
                conn.rollback()
    with psycopg.connect(pgb.url.replace("+psycopg", "")) as admin:  # the administrator may
        assert admin.execute("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"
                             ).rowcount == 1
        admin.rollback()


def test_an_audit_entry_must_name_the_person_signed_in(pgb: PgBoard) -> None:
    insert = ("INSERT INTO audit_entry (at, actor_id, actor_name, channel, source, entity, "
              "entity_label, field, " + CHAIN_COLUMNS + ") VALUES (now(), %s, %s, 'app', '', "
              "'action', 'KC-001', 'rag', " + CHAIN_VALUES + ")")
    chair = (pgb.person_id("zadeyemi"), "Cllr Zoë Adeyemi")
    me = (pgb.person_id("tfletcher"), "Tom Fletcher")
    with pgb.connect("tfletcher") as conn:
        conn.execute(insert, me)
        conn.rollback()
        for forged in (chair, (me[0], "Cllr Zoë Adeyemi"), (None, "vrboard (system)")):
            with pytest.raises(errors.InsufficientPrivilege, match="must name the person signed in"):
                conn.execute(insert, forged)
            conn.rollback()
    with pgb.connect("hmarsh") as conn:  # a viewer writes nothing, not even to the trail
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(insert, (pgb.person_id("hmarsh"), "Helen Marsh"))


def test_a_viewers_insert_is_refused_on_every_table(pgb: PgBoard) -> None:
    with pgb.connect("vviewer") as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]
        assert len(tables) >= 20
        for table in tables:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql.SQL("INSERT INTO {} DEFAULT VALUES").format(sql.Identifier(table)))
            conn.rollback()
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            conn.rollback()


def test_only_the_chairs_login_signs_off_or_approves_minutes(pgb: PgBoard) -> None:
    waiting = pgb.admin_sql("SELECT id FROM action WHERE status = 'awaiting_sign_off' ORDER BY id "
                            "LIMIT 1")[0][0]
    held = pgb.admin_sql("SELECT id FROM meeting WHERE status = 'held' AND minutes_signed_at IS NULL "
                         "ORDER BY starts_at LIMIT 1")
    sign = ("INSERT INTO sign_off (action_id, kind, by_id, at, note) VALUES (%s, 'signed_off', %s, "
            "now(), '')")
    for who in ("rkaplan", "tfletcher", "lnowak"):  # secretariat, owner, vice-chair (not acting)
        with pgb.connect(who) as conn:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sign, (waiting, pgb.person_id(who)))
            conn.rollback()
    with pgb.connect("rkaplan") as conn:  # the secretariat may edit actions, but not sign off
        with pytest.raises(errors.InsufficientPrivilege, match="only the chair"):
            conn.execute("UPDATE action SET status = 'signed_off' WHERE id = %s", (waiting,))
        conn.rollback()
        if held:
            with pytest.raises(errors.InsufficientPrivilege, match="only the chair approves"):
                conn.execute("UPDATE meeting SET minutes_signed_at = now(), minutes_signed_by_id = "
                             "%s WHERE id = %s", (pgb.person_id("zadeyemi"), held[0][0]))
            conn.rollback()
    with pgb.connect("zadeyemi") as conn:
        chair = pgb.person_id("zadeyemi")
        conn.execute(sign, (waiting, chair))
        conn.execute("UPDATE action SET status = 'signed_off' WHERE id = %s", (waiting,))
        with pytest.raises(errors.InsufficientPrivilege):  # in someone else's name: no
            conn.execute(sign, (waiting, pgb.person_id("rkaplan")))
        conn.rollback()
        if held:
            with pytest.raises(errors.InsufficientPrivilege, match="only the chair approves"):
                conn.execute("UPDATE meeting SET minutes_signed_at = now(), minutes_signed_by_id = "
                             "%s WHERE id = %s", (pgb.person_id("rkaplan"), held[0][0]))
            conn.rollback()
            conn.execute("UPDATE meeting SET minutes_signed_at = now(), minutes_signed_by_id = %s "
                         "WHERE id = %s", (chair, held[0][0]))
            conn.rollback()


def test_the_rules_cover_a_table_added_later(pgb: PgBoard) -> None:
    """A table vrboard's list does not know: only those entitled to exempt information read it,
    only the secretariat and the chair write it, once the rules are applied again."""
    from vrboard.pg.security import apply

    pgb.admin_sql("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
    try:
        pgb.admin_sql("INSERT INTO later_table (note) VALUES ('exempt?')")
        with pgb.db.engine.begin() as conn:
            applied = apply(conn)
        assert "later_table" in applied.unlisted
        assert any("later_table is not in vrboard's table list" in line for line in applied.lines())
        with pgb.connect("tfletcher") as conn:
            assert _count(conn, "SELECT * FROM later_table") == 0
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("INSERT INTO later_table (note) VALUES ('x')")
        with pgb.connect("rkaplan") as conn:
            assert _count(conn, "SELECT * FROM later_table") == 1
            conn.execute("INSERT INTO later_table (note) VALUES ('x')")
            conn.rollback()
    finally:
        pgb.admin_sql("DROP TABLE later_table")


def test_the_migration_is_postgresql_only_and_undoes_cleanly(pg_url: str, sqlite_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from vrboard.store import alembic_config, head_revision, open_database

    def state(db) -> tuple[int, int, int]:  # noqa: ANN001
        with db.engine.connect() as conn:
            return tuple(conn.execute(text(q)).scalar() for q in (  # type: ignore[return-value]
                "SELECT count(*) FROM pg_policies WHERE policyname LIKE 'vrboard%'",
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'vrboard%'",
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'vrboard%'"))

    db = open_database(pg_url)
    try:
        applied = state(db)
        assert all(applied), applied
        command.downgrade(alembic_config(db.engine), "0001")
        assert state(db) == (0, 0, 0)
    finally:
        db.close()
    db = open_database(pg_url)  # vrboard's own upgrade: the revisions, then every table's rules
    try:
        assert db.migration.after == head_revision()
        assert state(db) == applied
    finally:
        db.close()
    lite = open_database(sqlite_url)  # nothing of it on SQLite, and the file opens as before
    try:
        assert lite.migration.after == head_revision()
    finally:
        lite.close()
