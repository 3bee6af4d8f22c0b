"""A server that checks passwords (scram-sha-256): a missing or wrong password gets a plain
message naming the server and the login; ~/.pgpass (PGPASSFILE) supplies it without typing."""
from __future__ import annotations

import os

import pytest

from tests.pgauth import ScramServer
from vrboard.cli import main
from vrboard.store import ENV_URL

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_missing_and_wrong_passwords_and_the_password_file(scram: ScramServer, no_pgpass, capsys,
                                                           monkeypatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    db = scram.new_database()
    where = f"127.0.0.1:{scram.port}/{db}"
    code, out, err = run(capsys, "--db", scram.url(database=db), "actions")
    assert (code, out) == (1, "")
    assert err == (f"vrboard: Cannot open the database {where} as {scram.user}: the server wants a "
                   "password. Give it when vrboard asks, or put it in your ~/.pgpass file "
                   "(PGPASSFILE) so nobody has to type it. Nothing was changed.\n")
    code, out, err = run(capsys, "--db", scram.url("not the password", database=db), "actions")
    assert (code, out) == (1, "")
    assert err.startswith(f"vrboard: Cannot open the database {where} as {scram.user}: the server "
                          "refused the password. Check the password")
    assert "not the password" not in err and "Traceback" not in err

    no_pgpass.write_text(f"127.0.0.1:{scram.port}:*:{scram.user}:{scram.password}\n")
    os.chmod(no_pgpass, 0o600)
    code, out, err = run(capsys, "--db", scram.url(database=db), "init")
    assert code == 0 and err == "", err
    code, out, err = run(capsys, "--db", scram.url(database=db), "meetings")
    assert code == 0 and err == ""
