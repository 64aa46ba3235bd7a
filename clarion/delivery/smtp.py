"""One SMTP conversation: the connection kept across messages, and MAIL, RCPT, DATA with the
server's reply sorted into accepted, temporary and permanent."""
from __future__ import annotations

import re
import smtplib
from collections.abc import Callable

#: characters a server's reply may not bring to a terminal or a log line
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class Link:
    """The SMTP connection, opened when first needed and again after it drops."""

    def __init__(self, connect: Callable[[], smtplib.SMTP]):
        self.connect = connect
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self.connect()
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.drop()


class Temporary(Exception):
    """A 4xx reply: try again later."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply


class Permanent(Exception):
    """A 5xx reply: the server will not take this message."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply


def transaction(smtp: smtplib.SMTP, sender: str, rcpts: tuple[str, ...], data: bytes) -> str:
    """MAIL, RCPT…, DATA; the server's final reply, or Temporary / Permanent."""
    text: bytes | str
    try:
        smtp.ehlo_or_helo_if_needed()
        code, text = smtp.mail(sender)
        if code == 250:
            for rcpt in rcpts:
                code, text = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    break
        if code in (250, 251):
            code, text = smtp.data(data)
    except smtplib.SMTPResponseException as e:
        code, text = e.smtp_code, e.smtp_error
    if code == 250:
        return reply_line(code, text)
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        pass
    if 400 <= code < 500:
        raise Temporary(reply_line(code, text))
    raise Permanent(reply_line(code, text))


def reply_line(code: int, text: bytes | str) -> str:
    """A server's reply as one short line, without control characters."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {_CONTROL.sub(' ', words).strip()}"[:500]


def one_line(text: str) -> str:
    """An error's text as one line, without control characters."""
    return _CONTROL.sub(" ", text)
