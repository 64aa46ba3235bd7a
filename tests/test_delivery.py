"""E-mail drafts, `clarion send` against a local SMTP server, the print bundle, `clarion status`."""
from __future__ import annotations

import email
import io
import json
import socket
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import BASE, write_files

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller

from clarion.delivery.send import SendError, deliver, plan_send
from clarion.workspace.load import load_workspace

NAME = "İlham Əliyev «Test»"


class Handler:
    """An SMTP server's handler that keeps what it receives and answers as it is told."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.helos = 0
        self.answers: list[str] = []   # replies to give to the next DATA commands, in order
        self.always: str | None = None  # a reply to give to every DATA command

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.helos += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        if self.always:
            return self.always
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              bytes(envelope.original_content)))
        return "250 2.0.0 OK queued as TEST"


@pytest.fixture
def cli(confirmed_cli):
    """These tests sign with the workspace's key and send to its mail server, confirmed on the
    command line as the user would (`--key`, `--mail-host`)."""
    return confirmed_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def _workspace(make_ws, port: int, extra: dict | None = None, mail: str = "") -> Path:
    settings = BASE["clarion.yaml"].rstrip(" ") + f"""\
        mail:
          from: Test Rights Group <info@trg.example.org>
          reply_to: press@trg.example.org
          host: 127.0.0.1
          port: {port}
          security: none
          per_minute: 6000
        {mail}"""
    return make_ws({"clarion.yaml": settings, "recipients/ilham.yaml": f"""\
        name: {NAME}
        email: ilham@example.az
        groups: [ministers]
        """, **(extra or {})})


def _message(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=default_policy)  # type: ignore[return-value]


def _attachment(msg) -> tuple[str, bytes]:
    for part in msg.walk():
        if part.get_content_disposition() == "attachment":
            return part.get_filename(), part.get_payload(decode=True)
    raise AssertionError("no attachment")


def test_eml_drafts_have_headers_bodies_and_the_built_pdf(make_ws, cli):
    root = _workspace(make_ws, 2525)
    r = cli(root, "build", "letter", "--format", "pdf", "--format", "eml")
    assert r.exit_code == 0, r.stderr
    folder = root / "build" / "letter"
    assert sorted(p.name for p in folder.glob("*.eml")) == ["ilham.eml", "jean-asselborn.eml"]
    raw = (folder / "ilham.eml").read_bytes()
    assert b"\r\n" in raw and "Əliyev".encode() not in raw.split(b"\r\n\r\n")[0]  # encoded
    msg = _message(raw)
    assert msg["To"].addresses[0].display_name == NAME  # non-ASCII name round-trips
    assert msg["To"].addresses[0].addr_spec == "ilham@example.az"
    assert msg["From"].addresses[0].addr_spec == "info@trg.example.org"
    assert msg["Reply-To"].addresses[0].addr_spec == "press@trg.example.org"
    assert msg["Subject"] == "Release of Ilgar Mammadov"   # the subject line, not the title
    assert msg["Date"].datetime.date().isoformat() == "2018-07-18"
    assert msg["Message-ID"].endswith("@trg.example.org>")
    assert "We write about Ilgar Mammadov" in msg.get_body(("plain",)).get_content()
    assert "<html" in msg.get_body(("html",)).get_content()
    name, pdf = _attachment(msg)
    assert name == "Release Ilgar Mammadov.pdf"
    assert pdf == (folder / "ilham.pdf").read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {o["file"] for o in manifest["outputs"]} >= {"ilham.eml", "jean-asselborn.eml"}
    # no draft for a recipient without e-mail
    assert not (folder / "emmanuel-macron.eml").exists()
    # nothing is rebuilt while nothing changed (no draft is due for recipients without e-mail)
    r = cli(root, "build", "letter", "--format", "pdf", "--format", "eml")
    assert "built 0 file(s), 6 unchanged" in r.stderr
    # a draft deleted is made again around the PDF already built: the letter is not made
    # (or signed) again, and the draft still attaches that very file
    pdf_before = (folder / "ilham.pdf").read_bytes()
    (folder / "ilham.eml").unlink()
    r = cli(root, "build", "letter", "--format", "pdf", "--format", "eml")
    assert "built 1 file(s), 5 unchanged" in r.stderr
    assert (folder / "ilham.pdf").read_bytes() == pdf_before
    assert _attachment(_message((folder / "ilham.eml").read_bytes()))[1] == pdf_before
    # stable: a forced rebuild gives the same bytes and Message-ID
    assert cli(root, "build", "letter", "--format", "eml", "--force").exit_code == 0
    assert (folder / "ilham.eml").read_bytes() == raw


def test_subject_in_the_recipients_language(make_ws, cli):
    root = _workspace(make_ws, 2525, {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"]
                                      .rstrip(" ") + """\
        translations:
          fr:
            title: Libérez Ilgar Mammadov
            subject: Libération d’Ilgar Mammadov
            body: Nous écrivons au sujet de {{ case.name }}.
        """})
    assert cli(root, "build", "letter", "--format", "eml").exit_code == 0
    msg = _message((root / "build/letter/jean-asselborn.eml").read_bytes())
    assert msg["Subject"] == "Libération d’Ilgar Mammadov"   # the letter's subject line
    assert "Nous écrivons" in msg.get_body(("plain",)).get_content()
    assert _attachment(msg)[0] == "Libérez Ilgar Mammadov.pdf"


def test_cc_from_the_campaign(make_ws, cli):
    root = _workspace(make_ws, 2525, {
        "recipients/ambassador.yaml": "name: Ann Ambassador\nemail: ann@example.org\n",
        "campaigns/letter.yaml": BASE["campaigns/letter.yaml"].rstrip(" ")
        + "        cc: [ambassador]\n"})
    assert cli(root, "build", "letter", "--format", "eml").exit_code == 0
    msg = _message((root / "build/letter/ilham.eml").read_bytes())
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["ann@example.org"]
    # a draft is always made with its PDF, so the attachment and the PDF on disk match
    assert _attachment(msg)[1] == (root / "build/letter/ilham.pdf").read_bytes()


@pytest.mark.parametrize("where, change, message", [
    ("recipients/ilham.yaml", 'name: "Evil\\nBcc: victim@example.org"\nemail: e@example.org\n',
     "recipients/ilham.yaml:1: name: holds a line break"),
    ("recipients/ilham.yaml", 'name: Evil\nemail: "e@example.org\\r\\nBcc: v@example.org"\n',
     "recipients/ilham.yaml:2: email: holds a line break"),
    ("recipients/ilham.yaml", "name: Evil\nemail: not an address\n",
     "recipients/ilham.yaml:2: email: is not an e-mail address"),
])
def test_header_injection_refused_at_validate(make_ws, cli, where, change, message):
    root = _workspace(make_ws, 2525, {where: change})
    r = cli(root, "validate")
    assert r.exit_code == 1
    assert message in r.stdout + r.stderr


def test_header_injection_in_title_and_mail_from(make_ws, cli):
    root = _workspace(make_ws, 2525, {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"]
                                      .replace("title: Release Ilgar Mammadov",
                                               'title: "Release\\nBcc: x@example.org"')})
    r = cli(root, "validate")
    assert r.exit_code == 1 and "campaigns/letter.yaml:2: title: holds a line break" in r.stdout
    root = make_ws({"clarion.yaml": BASE["clarion.yaml"].rstrip(" ")
                    + '        mail: {from: "A <a@example.org>\\nBcc: x@example.org"}\n'})
    r = cli(root, "validate")
    assert r.exit_code == 1 and "clarion.yaml:6: mail.from: holds a line break" in r.stdout


def test_a_message_is_made_from_plain_values_alone():
    """output/email.py needs no workspace: a Draft of plain values makes the whole message,
    byte for byte the same each time."""
    import datetime as dt

    from clarion.output.email import Draft, build_message
    draft = Draft("letter", "ilham", "Ilham Aliyev", "ilham@example.az",
                  (("Ann Ambassador", "ann@example.org"),), "Rights Watch <info@example.org>",
                  "Press <press@example.org>", "Release Leyla Yunus", dt.date(2014, 10, 6),
                  "inputs-hash", "---\ntitle: x\n---\nDear President,\n", "<p>Dear President,",
                  b"%PDF-1.7 letter", "Release Leyla Yunus.pdf")
    raw = build_message(draft)
    assert build_message(draft) == raw
    msg = _message(raw)
    assert msg["From"] == "Rights Watch <info@example.org>"
    assert msg["Reply-To"] == "Press <press@example.org>"
    assert msg["To"] == "Ilham Aliyev <ilham@example.az>"
    assert msg["Cc"] == "Ann Ambassador <ann@example.org>"
    assert msg["Subject"] == "Release Leyla Yunus"
    assert msg["Message-ID"].endswith(".letter@example.org>")
    assert msg.get_body(("plain",)).get_content() == "Dear President,\r\n"  # front matter gone
    [pdf] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "Release Leyla Yunus.pdf"
    assert pdf.get_content() == b"%PDF-1.7 letter"


def test_build_refuses_a_header_injection_too():
    import datetime as dt

    from clarion.output.email import Draft, HeaderError, build_message
    draft = Draft("c", "r", "Evil\r\nBcc: x@example.org", "e@example.org", (),
                  "A <a@example.org>", None, "Title", dt.date(2020, 1, 1), "h", "text", "<p>x",
                  b"%PDF", "x.pdf")
    with pytest.raises(HeaderError) as e:
        build_message(draft)
    assert "build/c/r.eml: the name holds a line break" in str(e.value)


def test_dry_run_connects_nowhere(make_ws, cli, smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    r = cli(root, "send", "letter")
    assert r.exit_code == 0, r.stderr
    assert "ilham\tilham@example.az" in r.stdout
    assert "emmanuel-macron\t-\tto post" in r.stdout
    assert "2 message(s) would be sent, 2 to post" in r.stderr
    assert handler.helos == 0 and handler.messages == []
    assert not (root / "build/letter/sent.json").exists()


def test_send_delivers_each_once_and_logs(make_ws, cli, smtp_server, monkeypatch):
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    monkeypatch.delenv("CLARION_SMTP_PASSWORD", raising=False)
    r = cli(root, "send", "letter", "--send")
    assert r.exit_code == 0, r.stderr
    assert "sent 2 message(s)" in r.stderr
    folder = root / "build/letter"
    got = {_message(data)["X-Clarion-Recipient"]: (sender, rcpts, _message(data))
           for sender, rcpts, data in handler.messages}
    assert sorted(got) == ["ilham", "jean-asselborn"] and len(handler.messages) == 2
    sender, rcpts, msg = got["ilham"]
    assert sender == "info@trg.example.org" and rcpts == ["ilham@example.az"]
    assert msg["To"].addresses[0].display_name == NAME
    assert _attachment(msg)[1] == (folder / "ilham.pdf").read_bytes()
    draft = _message((folder / "ilham.eml").read_bytes())
    assert msg["Message-ID"] == draft["Message-ID"]
    log = json.loads((folder / "sent.json").read_text())
    assert log["campaign"] == "letter"
    assert [(e["recipient"], e["address"]) for e in log["sent"]] == [
        ("ilham", "ilham@example.az"), ("jean-asselborn", "ja@example.org")]
    assert all(e["reply"].startswith("250") and len(e["sha256"]) == 64 for e in log["sent"])
    # a second run sends nothing
    r = cli(root, "send", "letter", "--send")
    assert r.exit_code == 0 and "nothing to send" in r.stderr
    assert len(handler.messages) == 2
    status = cli(root, "status", "letter", "--format", "json")
    rows = {x["recipient"]: x for x in json.loads(status.stdout)["letters"]}
    assert rows["ilham"]["sent_to"] == "ilham@example.az" and rows["ilham"]["current"]
    assert rows["emmanuel-macron"]["to_post"] and not rows["emmanuel-macron"]["sent"]
    text = cli(root, "status", "letter").stdout
    assert "letter/emmanuel-macron  built, current  unsigned  to post" in text


def test_interrupted_send_resumes_without_duplicates(make_ws, smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    ws, _ = load_workspace(root)
    plan = plan_send(root, "letter")
    # the second message is refused for good: the run stops with the server's reply
    calls = []

    def progress(d):
        calls.append(d.recipient)
        handler.always = "554 5.7.1 Message rejected as spam"

    with pytest.raises(SendError) as e:
        deliver(plan, ws.settings.mail, progress=progress, backoff=0.01)
    assert "jean-asselborn <ja@example.org>: the server refused the message: 554 5.7.1 " \
           "Message rejected as spam; stopped after 1 of 2 sent" in str(e.value)
    assert calls == ["ilham"] and len(handler.messages) == 1
    log = json.loads((root / "build/letter/sent.json").read_text())
    assert [x["recipient"] for x in log["sent"]] == ["ilham"]
    # resumed: only the one not sent goes out
    handler.always = None
    plan = plan_send(root, "letter")
    assert [d.recipient for d in plan.due()] == ["jean-asselborn"]
    sent = deliver(plan, ws.settings.mail, backoff=0.01)
    assert [s.recipient for s in sent] == ["jean-asselborn"]
    recipients = [_message(m[2])["X-Clarion-Recipient"] for m in handler.messages]
    assert recipients == ["ilham", "jean-asselborn"]


def test_temporary_failure_is_retried(make_ws, smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    ws, _ = load_workspace(root)
    handler.answers = ["451 4.3.0 Try again later"]
    waits: list[float] = []
    sent = deliver(plan_send(root, "letter", ("ilham",)), ws.settings.mail,
                   sleep=waits.append, backoff=0.5)
    assert [s.recipient for s in sent] == ["ilham"] and len(handler.messages) == 1
    assert waits == [0.5]
    # a failure that does not go away stops the run after the retries, naming the reply
    handler.always = "452 4.2.2 Mailbox full"
    plan = plan_send(root, "letter", ("jean-asselborn",))
    with pytest.raises(SendError) as e:
        deliver(plan, ws.settings.mail, sleep=waits.append, backoff=0.5, retries=2)
    assert "still failing after 3 tries: 452 4.2.2 Mailbox full" in str(e.value)
    assert waits[1:] == [0.5, 1.0]


def test_rate_limit(make_ws, smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port, mail="")
    ws, _ = load_workspace(root)
    from dataclasses import replace
    mail = replace(ws.settings.mail, per_minute=2)
    waits: list[float] = []
    now = [0.0]
    deliver(plan_send(root, "letter"), mail, sleep=waits.append, clock=lambda: now[0])
    assert waits == [30.0] and len(handler.messages) == 2


def test_changed_document_resent_only_with_resend(make_ws, cli, smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    assert cli(root, "send", "letter", "--send", "--recipient", "ilham").exit_code == 0
    write_files(root, {"recipients/ilham.yaml": f"name: {NAME}\nemail: ilham@example.az\n"
                                                "title: Minister\ngroups: [ministers]\n"})
    r = cli(root, "send", "letter", "--recipient", "ilham")
    assert "CHANGED since sent (--resend)" in r.stdout and "0 message(s) would be sent" in r.stderr
    assert cli(root, "send", "letter", "--send", "--recipient", "ilham").exit_code == 0
    assert len(handler.messages) == 1
    assert cli(root, "send", "letter", "--send", "--resend", "--recipient", "ilham").exit_code == 0
    assert len(handler.messages) == 2


def test_send_without_server_settings_fails_clearly(make_ws, cli):
    root = make_ws({"recipients/ilham.yaml": "name: X\nemail: x@example.org\ngroups: [ministers]\n",
                    "clarion.yaml": BASE["clarion.yaml"].rstrip(" ")
                    + "        mail: {from: T <t@example.org>}\n"})
    r = cli(root, "send", "letter", "--send")
    assert r.exit_code == 1 and "sending needs `mail: {host" in r.stderr
    r = cli(root, "send", "nope")
    assert r.exit_code == 2 and "unknown campaign `nope`" in r.stderr


def test_print_bundle_starts_each_letter_on_an_odd_page(make_ws, cli):
    from pypdf import PdfReader
    long_body = "\n\n          ".join(["A paragraph long enough to fill lines. " * 12] * 14)
    root = _workspace(make_ws, 2525, {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"]
                                      .replace("We write about {{ case.name }}.",
                                               "We write about {{ case.name }}. " + long_body)})
    r = cli(root, "print", "letter", "--all")
    assert r.exit_code == 0, r.stderr
    path = Path(r.stdout.strip())
    assert path == root / "build/letter/print/letter.pdf"
    bundle = PdfReader(io.BytesIO(path.read_bytes()))
    record = json.loads((path.parent / "letter.json").read_text())
    letters = record["letters"]
    # ilham has no postal address: left out of the bundle, and said so
    assert [x["recipient"] for x in letters] == ["emmanuel-macron", "jean-asselborn",
                                                 "simon-coveney"]
    assert "letter/ilham: left out of the print bundle: ilham has no postal address" in r.stderr
    for x in letters:
        assert x["first_page"] % 2 == 1
        own = PdfReader(io.BytesIO((root / "build/letter" / x["file"]).read_bytes()))
        assert x["pages"] == len(own.pages)
        first = bundle.pages[x["first_page"] - 1].extract_text()
        assert first.split()[:3] == own.pages[0].extract_text().split()[:3]
    assert any(x["pages"] % 2 for x in letters)  # a blank page was needed somewhere
    assert len(bundle.pages) % 2 == 0
    assert len(bundle.pages) >= 1 + sum(x["pages"] for x in letters)
    cover = bundle.pages[0].extract_text()
    assert "Print bundle" in cover and "simon-coveney.pdf" in cover
    # without --all: only the letters to post
    r = cli(root, "print", "letter")
    letters = json.loads((path.parent / "letter.json").read_text())["letters"]
    assert [x["recipient"] for x in letters] == ["emmanuel-macron", "simon-coveney"]
    status = json.loads(cli(root, "status", "letter", "--format", "json").stdout)
    printed = {x["recipient"]: x["printed"] for x in status["letters"]}
    assert printed == {"emmanuel-macron": True, "ilham": False, "jean-asselborn": False,
                       "simon-coveney": True}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_password_from_the_environment(make_ws, cli, monkeypatch):
    from aiosmtpd.smtp import AuthResult, LoginPassword
    handler = Handler()

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"campaigner", b"s3cret-pass")
        return AuthResult(success=ok, handled=False)

    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticator, auth_require_tls=False,
                            auth_required=True)
    controller.start()
    try:
        root = _workspace(make_ws, controller.port, mail="  username: campaigner\n")
        monkeypatch.setenv("CLARION_SMTP_PASSWORD", "wrong-pass")
        r = cli(root, "send", "letter", "--send", "--recipient", "ilham")
        assert r.exit_code == 1
        assert "127.0.0.1: the server refused the user name or password: 535" in r.stderr
        assert "wrong-pass" not in r.stdout + r.stderr and handler.messages == []
        monkeypatch.setenv("CLARION_SMTP_PASSWORD", "s3cret-pass")
        r = cli(root, "send", "letter", "--send", "--recipient", "ilham")
        assert r.exit_code == 0, r.stderr
        assert "s3cret-pass" not in r.stdout + r.stderr and len(handler.messages) == 1
        assert "s3cret-pass" not in (root / "build/letter/sent.json").read_text()
    finally:
        controller.stop()


def test_no_password_and_no_terminal_is_a_clear_error(make_ws, cli, monkeypatch,
                                                       smtp_server):
    handler, port = smtp_server
    root = _workspace(make_ws, port, mail="  username: campaigner\n")
    monkeypatch.delenv("CLARION_SMTP_PASSWORD", raising=False)
    r = cli(root, "send", "letter", "--send")
    assert r.exit_code == 1 and "set CLARION_SMTP_PASSWORD" in r.stderr
    assert handler.helos == 0


def test_password_never_sent_in_clear_to_a_remote_host(make_ws, cli, monkeypatch):
    root = _workspace(make_ws, 2525, mail="  username: campaigner\n")
    write_files(root, {"clarion.yaml": (root / "clarion.yaml").read_text()
                       .replace("host: 127.0.0.1", "host: smtp.example.org")})
    monkeypatch.setenv("CLARION_SMTP_PASSWORD", "x")
    r = cli(root, "send", "letter", "--send")
    assert r.exit_code == 1 and "would send the password unencrypted" in r.stderr
