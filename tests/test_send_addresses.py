"""`clarion send` against a real SMTP server on 127.0.0.1: each address gets one copy (RCPT TO
counted per address), and an address outside ASCII is refused at `validate` with a clear line,
never a traceback halfway through a run."""
from __future__ import annotations

import email
import socket
from collections import Counter
from email.policy import default as default_policy

import pytest
from conftest import BASE

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller

from clarion.workspace.mailboxes import address_problem, ascii_form

COPIES = ("c1", "c2", "c3", "c4", "c5")


class Counting:
    """An SMTP server's handler that counts every RCPT TO by address and keeps each message."""

    def __init__(self) -> None:
        self.rcpts: Counter[str] = Counter()
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts[address] += 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              bytes(envelope.original_content)))
        return "250 2.0.0 OK queued"


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no user configuration
    monkeypatch.delenv("CLARION_SMTP_PASSWORD", raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _settings(port: int, sender: str = "Test Rights Group <info@trg.example.org>") -> str:
    return BASE["clarion.yaml"].rstrip(" ") + f"""\
        mail:
          from: {sender}
          host: 127.0.0.1
          port: {port}
          security: none
          per_minute: 6000
        """


def _cc_workspace(make_ws, port: int, addressee_email: str = "ilham@example.az"):
    people = {f"recipients/{c}.yaml": f"name: Copy {c.upper()}\nemail: {c}@example.org\n"
              for c in COPIES}
    campaign = BASE["campaigns/letter.yaml"].replace(
        "recipients: [emmanuel-macron, group:ministers]",
        f"to: [ilham]\n        cc: [{', '.join(COPIES)}]")
    return make_ws({"clarion.yaml": _settings(port), "campaigns/letter.yaml": campaign,
                    "recipients/ilham.yaml": f"name: Ilham Aliyev\nemail: {addressee_email}\n",
                    **people})


def test_each_cc_address_receives_exactly_one_copy(make_ws, cli, server):
    handler, port = server
    root = _cc_workspace(make_ws, port)
    result = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1")
    assert result.exit_code == 0, result.stderr
    addresses = ["ilham@example.az", *(f"{c}@example.org" for c in COPIES)]
    assert dict(handler.rcpts) == {a: 1 for a in addresses}
    # one message per letter, each to its own reader alone; the Cc header still names the
    # copies (for information: each copy recipient has a letter of their own)
    assert sorted(rcpts[0] for _, rcpts, _ in handler.messages) == sorted(addresses)
    assert all(len(rcpts) == 1 for _, rcpts, _ in handler.messages)
    letter = next(m for _, rcpts, m in handler.messages if rcpts == ["ilham@example.az"])
    msg = email.message_from_bytes(letter, policy=default_policy)
    assert sorted(a.addr_spec for a in msg["Cc"].addresses) == [f"{c}@example.org"
                                                                for c in COPIES]
    copy = next(m for _, rcpts, m in handler.messages if rcpts == ["c3@example.org"])
    assert email.message_from_bytes(copy, policy=default_policy)["To"].addresses[0].addr_spec \
        == "c3@example.org"
    # a second run sends nothing again
    again = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1")
    assert again.exit_code == 0 and "nothing to send" in again.stderr
    assert sum(handler.rcpts.values()) == 6


def test_an_address_outside_ascii_before_the_at_is_refused_at_validate(make_ws, cli, server):
    handler, port = server
    root = _cc_workspace(make_ws, port, "ильхам@example.az")
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert ("recipients/ilham.yaml:2: email: 'ильхам@example.az' has characters outside ASCII "
            "before the @; Clarion sends only to ASCII addresses, which every mail server "
            "accepts: ask for an ASCII address, or leave `email` out so that the letter goes "
            "by post") in result.stdout
    # `send --send` stops on the same line before connecting: no traceback, nothing sent
    result = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1")
    assert result.exit_code == 1
    assert "recipients/ilham.yaml:2: email: 'ильхам@example.az' has characters outside " \
           "ASCII" in result.stderr
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    assert handler.messages == [] and not handler.rcpts
    assert not (root / "build" / "letter" / "sent.json").exists()


def test_a_domain_outside_ascii_is_refused_with_its_ascii_form(make_ws, cli, server):
    handler, port = server
    root = _cc_workspace(make_ws, port, "info@пример.рф")
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert ("recipients/ilham.yaml:2: email: 'info@пример.рф' has a domain outside ASCII; "
            "write it as info@xn--e1afmkfd.xn--p1ai (the same address in ASCII)") \
        in result.stdout
    # written as told, it is sent to that very address
    (root / "recipients" / "ilham.yaml").write_text(
        "name: Ilham Aliyev\nemail: info@xn--e1afmkfd.xn--p1ai\n", "utf-8")
    result = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1",
                 "--recipient", "ilham")
    assert result.exit_code == 0, result.stderr
    assert dict(handler.rcpts) == {"info@xn--e1afmkfd.xn--p1ai": 1}


def test_a_sender_outside_ascii_is_refused_at_validate(make_ws, cli, server):
    _, port = server
    root = make_ws({"clarion.yaml": _settings(port, "Группа <инфо@trg.example.org>")})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert "clarion.yaml:6: mail.from: 'инфо@trg.example.org' has characters outside ASCII " \
           "before the @" in result.stdout


def test_address_problem():
    assert address_problem("email", "ja@example.org") is None
    assert ascii_form("ja@bücher.example") == "ja@xn--bcher-kva.example"
    assert ascii_form("jä@example.org") is None
    why = address_problem("email", "ja@bücher.example")
    assert why is not None and "write it as ja@xn--bcher-kva.example" in why


def test_an_unknown_campaign_is_refused_before_any_lock_file(make_ws, cli):
    root = make_ws()
    result = cli(root, "send", "lettr", "--send")
    assert result.exit_code == 2 and "did you mean `letter`" in result.stderr
    assert not (root / "build" / "lettr").exists()
