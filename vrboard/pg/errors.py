"""The server's refusals in plain words: which server, which login, and what to do.

``connection_error`` explains why a connection could not be made (wrong password, no password,
unknown login, no such database, server unreachable); ``privilege_error`` explains a refused
statement (a role missing its grants, a check in the database). Both return a ``DatabaseError``
the CLI and the app show as it is."""
from __future__ import annotations

import re

from sqlalchemy.engine import make_url

from ..errors import DatabaseError


class ServerLoginError(DatabaseError):
    """The server refused the login. ``needs_password``: it asked for a password (none was
    given, or the one given was wrong), so the app may ask for one and try again."""

    def __init__(self, message: str, needs_password: bool = False) -> None:
        super().__init__(message)
        self.needs_password = needs_password


def describe_server(url: str) -> tuple[str, str]:
    """(``host:port/database``, login) of a server URL, without the password."""
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL: say it as given
        return url, ""
    host = u.host or "localhost"
    port = u.port or 5432
    import getpass

    login = u.username or _default_user(getpass)
    return f"{host}:{port}/{u.database or login}", login


def _default_user(getpass: object) -> str:
    import os

    try:
        return os.environ.get("PGUSER") or getpass.getuser()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return ""


def _text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc)


def connection_error(url: str, exc: BaseException) -> ServerLoginError | None:
    """A plain message for a failed connection, or None when the failure is something else."""
    server, login = describe_server(url)
    msg = _text(exc)
    where = f"Cannot open the database {server} as {login}:"
    if "no password supplied" in msg:
        return ServerLoginError(
            f"{where} the server wants a password. Give it when vrboard asks, or put "
            "it in your ~/.pgpass file (PGPASSFILE) so nobody has to type it. Nothing was changed.",
            needs_password=True)
    if "password authentication failed" in msg:
        return ServerLoginError(
            f"{where} the server refused the password. Check the password (or the "
            "line for this server in your ~/.pgpass file); if you have forgotten it, ask the "
            "administrator to set a new one. Nothing was changed.", needs_password=True)
    m = re.search(r'role "([^"]*)" does not exist', msg)
    if m:
        return ServerLoginError(
            f"{where} the server has no login {m.group(1)}. Check the user name in the address, or ask the "
            "administrator to run 'vrboard users sync' after the secretariat has recorded "
            f"{m.group(1)} as your login. Nothing was changed.")
    m = re.search(r'database "([^"]*)" does not exist', msg)
    if m:
        return ServerLoginError(
            f"{where} the server has no database {m.group(1)}. Check the address, or ask "
            "the administrator to create it. Nothing was changed.")
    if "no pg_hba.conf entry" in msg or "GSSAPI" in msg or "Kerberos" in msg:
        return ServerLoginError(
            f"{where} the server does not accept this login from this computer ({msg.strip()}). Ask "
            "the administrator to allow it in the server's pg_hba.conf. Nothing was changed.")
    if any(s in msg for s in ("Connection refused", "failed to resolve host", "timeout expired",
                              "could not translate host name", "Network is unreachable",
                              "No route to host", "server closed the connection")):
        line = next((ln for ln in msg.splitlines() if "failed" in ln), msg.splitlines()[0])
        return ServerLoginError(
            f"{where} the server did not answer ({line.strip().removeprefix('connection failed: ')}). "
            "Check the "
            "server's name and port, your network (or VPN) connection, and that the server is "
            "running; ask the administrator if it persists. Nothing was changed.")
    return None


def privilege_error(url: str, login: str, exc: BaseException) -> DatabaseError | None:
    """A plain message for a statement the server refused for lack of rights (SQLSTATE 42501),
    or None when the failure is something else."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) != "42501":
        return None
    who = f"The server {describe_server(url)[0]} refused this for the login {login}" if url else (
        "The server refused this for your login")
    detail = str(orig).splitlines()[0].strip()
    if detail.startswith("vrboard: "):  # one of vrboard's own checks in the database
        return DatabaseError(f"{who}: {detail[9:]}. Nothing was changed.")
    return DatabaseError(
        f"{who} ({detail}). Your login may not "
        "do this, or its rights on the board's tables are missing: ask the administrator to run "
        "'vrboard users sync'. Nothing was changed.")
