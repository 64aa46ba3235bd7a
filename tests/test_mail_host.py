"""The SMTP password goes only to the server the user chose: their configuration's `mail:` or
`--mail-host`, never a `mail.host` that only the workspace names."""
from __future__ import annotations

import socket

import pytest
from conftest import BASE, write_files

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from clarion.delivery.send import SendError, chosen_mail
from clarion.workspace.model import Mail, Settings
from clarion.workspace.userconfig import User, UserConfig, UserMail

PASSWORD = "s3cret-pass"
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Recording:
    """An SMTP server that records every AUTH it is offered and every message it receives."""

    def __init__(self) -> None:
        self.auths: list[tuple[bytes, bytes]] = []
        self.messages: list[bytes] = []
        self.port = _free_port()

        def authenticator(server, session, envelope, mechanism, data):
            if isinstance(data, LoginPassword):
                self.auths.append((data.login, data.password))
            return AuthResult(success=True, handled=False)

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     authenticator=authenticator, auth_require_tls=False,
                                     auth_required=True)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(bytes(envelope.original_content))
        return "250 2.0.0 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers():
    """Two servers on 127.0.0.1: the workspace's and the user's."""
    theirs, mine = Recording(), Recording()
    theirs.controller.start()
    mine.controller.start()
    try:
        yield theirs, mine
    finally:
        theirs.controller.stop()
        mine.controller.stop()


@pytest.fixture
def config(tmp_path, monkeypatch):
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("CLARION_SMTP_PASSWORD", PASSWORD)

    def write(text: str) -> None:
        write_files(home, {"clarion/config.yaml": text})
    return write


def _workspace(make_ws, host: str, port: int):
    settings = BASE["clarion.yaml"].rstrip(" ") + f"""\
        mail:
          from: Test Rights Group <info@trg.example.org>
          host: {host}
          port: {port}
          security: none
          username: partner-login
          per_minute: 6000
        """
    return make_ws({"clarion.yaml": settings, "recipients/ilham.yaml": """\
        name: Ilham
        email: ilham@example.az
        groups: [ministers]
        """})


def test_a_workspace_server_not_in_the_users_configuration_never_gets_the_password(
        make_ws, cli, servers, config):
    theirs, mine = servers
    config(f"mail: {{host: 127.0.0.1, port: {mine.port}, security: none, "
           "username: campaigner}\n")
    root = _workspace(make_ws, "127.0.0.1", theirs.port)
    result = cli(root, "send", "letter", "--send")
    assert result.exit_code == 0, result.stderr
    assert theirs.auths == [] and theirs.messages == []
    assert mine.auths == [(b"campaigner", PASSWORD.encode())] and len(mine.messages) == 2


def test_a_workspace_host_that_is_not_the_users_stops_with_one_line(make_ws, cli, servers,
                                                                     config, tmp_path):
    theirs, mine = servers
    config(f"mail: {{host: 127.0.0.1, port: {mine.port}, security: none, username: me}}\n")
    root = _workspace(make_ws, "localhost", theirs.port)
    result = cli(root, "send", "letter", "--send")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"clarion.yaml:6: mail.host 'localhost' comes from the workspace and is not the server "
        f"in your configuration ({tmp_path / 'xdg/clarion/config.yaml'}); to use it, run again "
        "with --mail-host localhost or add it to your configuration")
    assert theirs.auths == mine.auths == [] and theirs.messages == mine.messages == []


def test_without_a_configuration_the_workspace_host_must_be_confirmed(make_ws, cli, servers,
                                                                       config, tmp_path):
    theirs, _ = servers
    root = _workspace(make_ws, "localhost", theirs.port)
    result = cli(root, "send", "letter", "--send")
    assert result.exit_code == 1
    assert "mail.host 'localhost' comes from the workspace, not from your configuration (" \
        in result.stderr and theirs.auths == [] and theirs.messages == []
    # a dry run needs no confirmation, and connects nowhere
    result = cli(root, "send", "letter")
    assert result.exit_code == 0 and "would be sent" in result.stderr and theirs.auths == []
    # confirmed on the command line: the workspace's server and its settings are used
    for args in (["send", "letter", "--send", "--mail-host", "localhost"],
                 ["--mail-host", "localhost", "send", "letter", "--send", "--resend"]):
        result = cli(root, *args)
        assert result.exit_code == 0, result.stderr
    assert theirs.auths == [(b"partner-login", PASSWORD.encode())] and len(theirs.messages) == 2


def test_the_precedence_of_the_mail_settings():
    workspace = Settings(mail=Mail(from_="T <t@example.org>", host="smtp.partner.example",
                                   port=25, security="none", username="partner"))
    mine = UserConfig(mail=UserMail(host="smtp.mine.example", port=465, security="tls",
                                    username="me"))
    with pytest.raises(SendError) as e:
        chosen_mail(workspace, User(mine))
    assert "mail.host 'smtp.partner.example' comes from the workspace" in str(e.value)
    # the command line chooses the server; the connection's settings stay the user's
    got = chosen_mail(workspace, User(mine, mail_host="smtp.partner.example"))
    assert got is not None
    assert (got.host, got.port, got.security, got.username, got.from_) == (
        "smtp.partner.example", 465, "tls", "me", "T <t@example.org>")
    # the same host, in another case: the user's own server, with the user's settings
    same = Settings(mail=Mail(host="SMTP.Mine.Example.", port=25, username="partner"))
    got = chosen_mail(same, User(mine))
    assert got is not None and (got.host, got.port, got.username) == (
        "smtp.mine.example", 465, "me")
    # no mail host anywhere: nothing is chosen here (send says what is missing)
    assert chosen_mail(Settings(), User()) is None
    # a user configuration alone names the server
    got = chosen_mail(Settings(), User(mine))
    assert got is not None and got.host == "smtp.mine.example"
