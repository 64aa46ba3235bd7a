"""Opening the SMTP connection: secured and logged in as the settings say, or one clear line."""
from __future__ import annotations

import smtplib
import socket
import ssl

from ..errors import ClarionError
from ..limits import SMTP_SECONDS
from ..workspace.model import Mail
from .smtp import one_line, reply_line


class SendError(ClarionError):
    """Delivery stopped: the server refused, could not be reached, or the settings are wrong."""


def open_smtp(mail: Mail, password: str | None) -> smtplib.SMTP:
    """A connection to the server `mail` names (see chosen_mail), secured as it says, logged
    in if it says. A server that cannot be reached at all (nothing listens on the port, an
    unknown host name) is a SendError at once: trying again would not change it."""
    host = mail.host or ""
    try:
        if mail.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, mail.port, timeout=SMTP_SECONDS,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, mail.port, timeout=SMTP_SECONDS)
    except ssl.SSLError as e:
        raise _secure_failed(mail, e) from e
    except (smtplib.SMTPException, TimeoutError):
        raise    # a 421 greeting, a server too slow to answer: tried again
    except OSError as e:
        raise SendError(_unreachable(mail, e)) from e
    try:
        if mail.security == "starttls":
            smtp.ehlo()
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if mail.username:
            smtp.login(mail.username, password or "")
    except smtplib.SMTPAuthenticationError as e:
        raise SendError(f"{host}: the server refused the user name or password: "
                        f"{reply_line(e.smtp_code, e.smtp_error)}") from e
    except smtplib.SMTPNotSupportedError as e:
        raise SendError(_not_offered(mail)) from e
    except ssl.SSLError as e:
        raise _secure_failed(mail, e) from e
    return smtp


def _unreachable(mail: Mail, e: OSError) -> str:
    """One line for a server that cannot be reached, with what to check."""
    where = f"{mail.host}:{mail.port}"
    if isinstance(e, ConnectionRefusedError):
        why = "the connection was refused: no mail server listens on that port"
    elif isinstance(e, socket.gaierror):
        why = "the host name is not known"
    else:
        why = f"cannot be reached ({one_line(e.strerror or str(e)) or type(e).__name__})"
    return (f"{where}: {why}; nothing was sent. Check `mail.host` and `mail.port` (587 with "
            "`security: starttls`, 465 with `tls`) in clarion.yaml or your configuration")


def _not_offered(mail: Mail) -> str:
    """The server lacks what the settings ask of it: STARTTLS, or a login (AUTH)."""
    if mail.security == "starttls" and not mail.username:
        return (f"{mail.host}: the server does not offer STARTTLS on port {mail.port}; set "
                "`mail.security: tls` (port 465) if it expects an encrypted connection from "
                "the start, or check `mail.port`")
    if mail.security == "none":
        return (f"{mail.host}: the server offers no login (AUTH) on a connection without "
                "encryption (`mail.security: none`), and Clarion would not send a password "
                "over one anyway; set `mail.security: starttls` (port 587) or `tls` (port "
                "465), or leave out `mail.username` for a server that needs no login")
    return (f"{mail.host}: the server does not offer a login (AUTH) on port {mail.port}; "
            "check `mail.port` and `mail.security`, or leave out `mail.username` if it needs "
            "no login")


def _secure_failed(mail: Mail, e: ssl.SSLError) -> SendError:
    return SendError(f"{mail.host}:{mail.port}: the secure connection failed ({e.reason}); "
                     "check `mail.security` and `mail.port` (587 with `starttls`, 465 with "
                     "`tls`) in clarion.yaml or your configuration")
