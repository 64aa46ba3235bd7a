"""The user's own configuration: read with clarion.yaml's rules, and the only place besides the
command line a signing key may come from (a workspace's `signing.key` must be confirmed)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_files
from test_signing import (
    SETTINGS,
    make_key_and_cert,
    pem_cert,
    pem_key,
    pyhanko_status,
    signed_ws,
)

from clarion.errors import ProblemsError
from clarion.workspace.userconfig import config_path, load_user_config


@pytest.fixture
def config(tmp_path, monkeypatch):
    """config(text) → the user's configuration file, in a fresh $XDG_CONFIG_HOME."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))

    def write(text: str | None) -> Path:
        path = home / "clarion" / "config.yaml"
        if text is not None:
            write_files(home, {"clarion/config.yaml": text})
        return path
    write(None)
    return write


def _own_key(folder: Path, org: str = "Test Rights Group"):
    """A key and certificate of the user's, outside every workspace."""
    key, cert = make_key_and_cert(org)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.key.pem").write_bytes(pem_key(key))
    (folder / "mine.cert.pem").write_bytes(pem_cert(cert))
    os.chmod(folder / "mine.key.pem", 0o600)
    return cert


def pyhanko_status_any(data: bytes):
    """The signer's certificate of the PDF's one signature (as asn1crypto)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return sig.signer_cert


# --- reading the file -------------------------------------------------------------------------

def test_the_file_is_found_under_xdg_config_home_or_the_home_folder(tmp_path):
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/h"}) == \
        tmp_path / "clarion" / "config.yaml"
    assert config_path({"HOME": "/h"}) == Path("/h/.config/clarion/config.yaml")
    # a relative XDG_CONFIG_HOME is ignored, as the XDG specification says
    assert config_path({"XDG_CONFIG_HOME": "rel", "HOME": "/h"}) == \
        Path("/h/.config/clarion/config.yaml")


def test_fields_and_paths_from_the_configuration_folder(config, tmp_path):
    path = config("""\
        signing:
          key: keys/org.key.pem
          cert: /etc/org.cert.pem
          chain: [ca.pem]
          trust: [root.pem]
        mail:
          host: smtp.example.org
          port: 465
          security: tls
          username: campaigner
        """)
    got = load_user_config(path)
    folder = path.parent
    assert got.signing is not None and got.mail is not None
    assert got.signing.key == str(folder / "keys/org.key.pem")
    assert got.signing.cert == "/etc/org.cert.pem"
    assert got.signing.chain == (str(folder / "ca.pem"),)
    assert got.signing.trust == (str(folder / "root.pem"),)
    assert (got.mail.host, got.mail.port, got.mail.security, got.mail.username) == (
        "smtp.example.org", 465, "tls", "campaigner")


def test_no_file_is_an_empty_configuration(config):
    got = load_user_config(config(None))
    assert got.signing is None and got.mail is None


def test_the_same_field_rules_as_clarion_yaml(config):
    path = config("""\
        mail:
          host: smtp.example.org
          port: 99999
          security: ssl
          from: me@example.org
        signing: {kee: x.pem}
        """)
    with pytest.raises(ProblemsError) as e:
        load_user_config(path)
    lines = [str(p) for p in e.value.problems()]
    where = str(path)
    assert any(line.startswith(f"{where}:3: port: '99999' is out of range") for line in lines)
    assert any(line.startswith(f"{where}:4:") and "ssl" in line for line in lines)
    assert any(line.startswith(f"{where}:5: unknown field `from`") for line in lines)
    assert any(line.startswith(f"{where}:6: unknown field `kee`; did you mean `key`?")
               for line in lines)


def test_a_broken_configuration_stops_the_command_with_its_lines(config, make_ws, cli):
    config("mail: {port: nope}\n")
    result = cli(make_ws(), "validate")
    assert result.exit_code == 1
    assert "config.yaml:1: port: " in result.stderr


# --- which key signs --------------------------------------------------------------------------

ONE_LINE = ("clarion.yaml:7: signing.key 'keys/org.key.pem' comes from the workspace, not from "
            "your configuration ({where}); to use it, run again with --key keys/org.key.pem or "
            "add it to your configuration")


def test_a_workspace_key_is_refused_without_confirmation(config, make_ws, cli, monkeypatch):
    ws = signed_ws(make_ws)
    monkeypatch.chdir(ws)
    result = cli(ws, "build", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        ONE_LINE.format(where=config(None))]
    assert not list((ws / "build").rglob("*.pdf"))


def test_the_key_confirmed_on_the_command_line_signs(config, make_ws, cli, monkeypatch):
    ws = signed_ws(make_ws)
    monkeypatch.chdir(ws)
    for args in (["--key", "keys/org.key.pem", "build"], ["build", "--key", "keys/org.key.pem"]):
        result = cli(ws, *args, "--format", "pdf", "--force")
        assert result.exit_code == 0, result.stderr
        pdfs = sorted((ws / "build" / "letter").glob("*.pdf"))
        assert pdfs and all(pyhanko_status_any(p.read_bytes()) is not None for p in pdfs)


def test_building_without_signing_needs_no_confirmation(config, make_ws, cli):
    ws = signed_ws(make_ws)
    assert cli(ws, "build", "--no-sign", "--format", "pdf").exit_code == 0
    assert cli(ws, "build", "--format", "md").exit_code == 0
    assert list((ws / "build" / "letter").glob("*.md"))


def test_the_users_configuration_alone_signs(config, make_ws, cli, tmp_path):
    cert = _own_key(tmp_path / "mine")
    config(f"signing: {{key: {tmp_path}/mine/mine.key.pem, cert: {tmp_path}/mine/mine.cert.pem}}\n")
    ws = make_ws()
    assert "signing" not in (ws / "clarion.yaml").read_text()
    result = cli(ws, "build", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    pdfs = sorted((ws / "build" / "letter").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        status = pyhanko_status(pdf.read_bytes(), cert)
        assert status.intact and status.valid


def test_a_workspace_key_that_is_not_the_users_is_refused(config, make_ws, cli, tmp_path,
                                                          monkeypatch):
    _own_key(tmp_path / "mine")
    config(f"signing: {{key: {tmp_path}/mine/mine.key.pem, cert: {tmp_path}/mine/mine.cert.pem}}\n")
    ws = signed_ws(make_ws)
    monkeypatch.chdir(ws)
    result = cli(ws, "build", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"clarion.yaml:7: signing.key 'keys/org.key.pem' comes from the workspace and is not "
        f"the key in your configuration ({config(None)}); to use it, run again with --key "
        "keys/org.key.pem or add it to your configuration"]


def test_a_workspace_key_that_is_the_users_file_signs(config, make_ws, cli):
    ws = signed_ws(make_ws)
    config(f"signing: {{key: {ws}/keys/org.key.pem}}\n")
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    assert list((ws / "build" / "letter").glob("*.pdf"))


def test_the_command_line_key_wins_over_the_configuration(config, make_ws, cli, tmp_path):
    """--key over the configuration's key; the configuration's certificate goes with its own
    key only, so the workspace's certificate is used with the command line's key."""
    from cryptography import x509
    mine = _own_key(tmp_path / "mine", "Configured Org")
    other = _own_key(tmp_path / "other", "Command Line Org")
    config(f"signing: {{key: {tmp_path}/mine/mine.key.pem, cert: {tmp_path}/mine/mine.cert.pem}}\n")
    ws = make_ws({"clarion.yaml": SETTINGS + "signing: {key: keys/x.pem, cert: keys/c.pem}\n",
                  "keys/c.pem": pem_cert(other),
                  "keys/x.pem": (tmp_path / "other" / "mine.key.pem").read_bytes()})
    os.chmod(ws / "keys" / "x.pem", 0o600)
    result = cli(ws, "--key", str(tmp_path / "other" / "mine.key.pem"), "build", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    pdf = sorted((ws / "build" / "letter").glob("*.pdf"))[0]
    signer = x509.load_der_x509_certificate(pyhanko_status_any(pdf.read_bytes()).dump())
    assert signer == other and signer != mine
    # without --key, the workspace's x.pem is not the configuration's key: refused
    result = cli(ws, "build", "--format", "pdf", "--force")
    assert result.exit_code == 1 and "signing.key 'keys/x.pem' comes from the workspace and is " \
        "not the key in your configuration" in result.stderr


def test_a_workspace_certificate_outside_the_workspace_is_refused(config, make_ws, cli,
                                                                   tmp_path):
    _own_key(tmp_path / "mine")
    ws = make_ws({"clarion.yaml": SETTINGS + "signing: {key: x.pem, cert: ../../outside.pem}\n"})
    result = cli(ws, "--key", str(tmp_path / "mine" / "mine.key.pem"), "build", "--format", "pdf")
    assert result.exit_code == 1
    assert "signing.cert: '../../outside.pem' is outside the workspace" in result.stderr
