"""E-mail: drafts that Outlook and Thunderbird open ready to send (.eml with ``X-Unsent: 1``),
and sending through an SMTP server with STARTTLS. Qt-free.

Credentials are never stored: the password is given when sending (the app asks for it; the
command line reads ``VRBOARD_SMTP_PASSWORD`` or prompts) and kept only in memory.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from .errors import VrboardError

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    username: str = ""
    starttls: bool = True
    cafile: str | None = None  # a private certificate authority (tests, some councils)
    timeout: float = 30.0

    @classmethod
    def parse(cls, text: str, username: str = "", cafile: str | None = None) -> Smtp:
        host, sep, port = text.strip().rpartition(":")
        if not sep:
            host, port = text.strip(), ""
        try:
            return cls(host, int(port) if port else 587, username, True, cafile)
        except ValueError:
            raise VrboardError(f"'{text}' is not a mail server: give HOST or HOST:PORT.") from None


def message(*, sender: tuple[str, str], to: tuple[str, str], reply_to: str, subject: str,
            text: str, html: str, attachment: tuple[str, bytes] | None = None,
            draft: bool = True) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr(sender)
    msg["To"] = formataddr(to)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(sender[1].rpartition("@")[2] or "vrboard.local"))
    if draft:
        msg["X-Unsent"] = "1"  # Outlook opens the file as a draft, ready to send
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if attachment is not None:
        name, data = attachment
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return msg


def write_eml(msg: EmailMessage, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_bytes(bytes(msg))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise VrboardError(f"Cannot write {path}: {exc.strerror or exc}.") from None


class Sender:
    """An open, authenticated SMTP connection (a context manager). Every refusal becomes a
    plain ``VrboardError`` naming the server."""

    def __init__(self, smtp: Smtp, password: str = "") -> None:
        self.smtp, self.password = smtp, password
        self.conn: smtplib.SMTP | None = None

    def _fail(self, what: str, exc: BaseException) -> VrboardError:
        if isinstance(exc, smtplib.SMTPResponseException):
            said = exc.smtp_error
            said = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
            detail = f"{exc.smtp_code} {said}"
        elif isinstance(exc, smtplib.SMTPRecipientsRefused):
            detail = "; ".join(f"{who}: {code} {said.decode('utf-8', 'replace')}"
                               for who, (code, said) in exc.recipients.items())
        else:
            detail = str(exc) or type(exc).__name__
        return VrboardError(f"The mail server {self.smtp.host}:{self.smtp.port} {what}: "
                            f"{detail.strip()}.")

    def __enter__(self) -> Sender:
        s = self.smtp
        try:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise self._fail("could not be reached", exc) from None
        self.conn = conn
        try:
            conn.ehlo()
            if s.starttls:
                if not conn.has_extn("starttls"):
                    raise VrboardError(f"The mail server {s.host}:{s.port} does not offer "
                                       "STARTTLS, so nothing was sent (vrboard never sends "
                                       "board business unencrypted).")
                conn.starttls(context=ssl.create_default_context(cafile=s.cafile))
                conn.ehlo()
            if s.username:
                conn.login(s.username, self.password)
        except VrboardError:
            self.close()
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise self._fail(f"refused the login of {s.username}", exc) from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            self.close()
            raise self._fail("refused the connection", exc) from None
        return self

    def send(self, msg: EmailMessage) -> None:
        assert self.conn is not None
        try:
            self.conn.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise self._fail(f"refused the message to {msg['To']}", exc) from None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None

    def __exit__(self, *exc: object) -> None:
        self.close()
