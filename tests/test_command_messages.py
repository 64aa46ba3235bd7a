"""What commands print around the documents: no library noise, each warning once and in the
right language, one clear line for a folder that is not a workspace or a mail server that
cannot be used, `status` and `print` saying what is posted and what cannot be."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BASE, write_files

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller

ANNE = """\
    name: Anne Martin
    address: [12 rue de Rivoli, 75001 Paris]
    country: France
    language: fr
    """
LETTRE = """\
    kind: open-letter
    title: Release Ilgar Mammadov
    date: 2018-07-18
    cases: [ilgar-mammadov]
    recipients: [anne]
    signatories: [trg]
    body: |
      We write about {{ case.name }}.
    """
FRENCH = """\
    translations:
      fr:
        title: Libérez Ilgar Mammadov
        body: |
          Nous vous écrivons au sujet de {{ case.name }}.
    """


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK"


# --- pyHanko's import warning ----------------------------------------------------------------

@pytest.mark.slow
def test_signing_prints_no_dsa_deprecation_warning(tmp_path):
    """pyHanko imports cryptography's DSA classes, which warn on import; with signing set,
    build, verify and status printed that warning once per process. Checked on the real
    command: the warning filter must hold in the worker processes too."""
    ws = write_files(tmp_path / "ws", BASE)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("PYTHONWARNINGS", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "clarion", "-w", str(ws), *args], env=env,
                              text=True, capture_output=True, timeout=300)

    assert run("keys", "new", "--org", "Test Rights Group").returncode == 0
    with (ws / "clarion.yaml").open("a") as f:
        f.write("signing: {key: keys/org.key.pem, cert: keys/org.cert.pem}\n")
    key = ["--key", str(ws / "keys/org.key.pem")]
    outputs = [run(*key, "build", "letter", "--recipient", "emmanuel-macron"),
               run(*key, "verify", str(ws / "build/letter/emmanuel-macron.pdf")),
               run(*key, "status", "letter")]
    for r in outputs:
        assert r.returncode == 0, r.stderr
        assert r.stderr.count("DSA is deprecated") == 0, r.stderr
        assert "Warning" not in r.stderr
    assert "emmanuel-macron.pdf: ok (signed by Test Rights Group" in outputs[1].stdout


# --- gender warnings -------------------------------------------------------------------------

def _gender_line(text: str) -> list[str]:
    return [line for line in text.splitlines() if "recipient anne: no `gender`" in line]


def test_a_gender_warning_names_the_letters_language(tmp_path, cli):
    """Anne reads French, but the campaign has no French text: her letter is in English, and
    so is its form of address; the warning names English (and its form), then French once
    the campaign is translated."""
    ws = write_files(tmp_path / "ws", {**BASE, "recipients/anne.yaml": ANNE,
                                       "campaigns/lettre.yaml": LETTRE})
    lines = _gender_line(cli(ws, "validate").stderr)
    assert len(lines) == 1 and "the en form of address depends on it" in lines[0]
    assert "(Dear Anne Martin,)" in lines[0]
    write_files(ws, {"campaigns/lettre.yaml": LETTRE.rstrip(" ") + FRENCH})
    lines = _gender_line(cli(ws, "validate").stderr)
    assert len(lines) == 1 and "the fr form of address depends on it" in lines[0]
    assert "(Madame, Monsieur,)" in lines[0]


def test_print_and_send_print_each_warning_once(tmp_path, cli):
    ws = write_files(tmp_path / "ws", {**BASE, "recipients/anne.yaml": ANNE,
                                       "campaigns/lettre.yaml": LETTRE.rstrip(" ") + FRENCH})
    for args in (["print", "lettre"], ["send", "lettre"], ["print", "lettre"]):
        r = cli(ws, *args)
        assert r.exit_code == 0, r.stderr
        assert len(_gender_line(r.stderr)) == 1, r.stderr


# --- not a workspace -------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["build"], ["validate"], ["status"], ["lint"],
                                     ["send", "letter"], ["list", "cases"]])
def test_a_folder_without_clarion_yaml_is_not_a_workspace(tmp_path, cli, command):
    (tmp_path / "notes.txt").write_text("not a workspace")
    r = cli(tmp_path, *command)
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        f"Error: {tmp_path}: not a Clarion workspace (there is no clarion.yaml); run `clarion "
        "init` to make one here, or name the workspace folder with `clarion -w FOLDER`")
    assert not (tmp_path / "build").exists()


def test_init_and_help_need_no_workspace(tmp_path, cli):
    assert cli(tmp_path, "build", "--help").exit_code == 0
    r = cli(tmp_path, "init", str(tmp_path / "new"))
    assert r.exit_code == 0 and (tmp_path / "new/clarion.yaml").is_file()


# --- the mail server -------------------------------------------------------------------------

def _mail_ws(tmp_path: Path, port: int, host: str = "127.0.0.1", extra: str = "") -> Path:
    settings = BASE["clarion.yaml"].rstrip(" ") + f"""\
        mail:
          from: Test Rights Group <info@trg.example.org>
          host: {host}
          port: {port}
          security: none
          per_minute: 6000
        {extra}"""
    return write_files(tmp_path / "ws", {**BASE, "clarion.yaml": settings})


def test_a_closed_port_fails_at_once(tmp_path, confirmed_cli):
    port = _free_port()   # nothing listens on it
    ws = _mail_ws(tmp_path, port)
    assert confirmed_cli(ws, "send", "letter").exit_code == 0   # builds the drafts
    started = time.monotonic()
    r = confirmed_cli(ws, "send", "letter", "--send")
    assert r.exit_code == 1
    assert time.monotonic() - started < 5
    assert (f"127.0.0.1:{port}: the connection was refused: no mail server listens on that "
            "port; nothing was sent. Check `mail.host` and `mail.port`") in r.stderr
    assert "still failing" not in r.stderr


def test_security_none_with_a_user_name_says_what_to_set(tmp_path, confirmed_cli, monkeypatch):
    monkeypatch.setenv("CLARION_SMTP_PASSWORD", "s3cret")
    controller = Controller(_Accept(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:  # a server on this machine: Clarion tries, and the server offers no login in clear
        ws = _mail_ws(tmp_path, controller.port, extra="  username: campaigner\n")
        r = confirmed_cli(ws, "send", "letter", "--send")
    finally:
        controller.stop()
    assert r.exit_code == 1
    assert "does not offer none" not in r.stderr
    assert ("127.0.0.1: the server offers no login (AUTH) on a connection without encryption "
            "(`mail.security: none`)") in r.stderr
    assert "set `mail.security: starttls` (port 587) or `tls` (port 465)" in r.stderr
    # a server elsewhere: refused before connecting
    ws = _mail_ws(tmp_path, 25, host="smtp.example.org", extra="  username: campaigner\n")
    r = confirmed_cli(ws, "send", "letter", "--send")
    assert r.exit_code == 1
    assert ("smtp.example.org: `mail.security: none` with a `mail.username` would send the "
            "password unencrypted") in r.stderr
    assert "leave out `mail.username`" in r.stderr


# --- status and print ------------------------------------------------------------------------

def test_status_does_not_post_statements_and_names_a_letter_without_address(tmp_path, cli):
    ws = write_files(tmp_path / "ws", {
        **BASE, "campaigns/st.yaml": "kind: statement\ntitle: T\ndate: 2018-07-18\n",
        "recipients/nowhere.yaml": "name: Nobody Known\n"})
    write_files(ws, {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
        "recipients: [emmanuel-macron, group:ministers]", "recipients: [emmanuel-macron, nowhere]")})
    r = cli(ws, "status")
    assert r.exit_code == 0, r.stderr
    rows = {line.split()[0]: line for line in r.stdout.splitlines()}
    assert rows["st/-"].endswith("not a letter: neither sent nor posted")
    assert "to post" not in rows["st/-"]
    assert rows["letter/emmanuel-macron"].endswith("  to post")
    assert rows["letter/nowhere"].endswith("to post, but no postal address: not in the print "
                                           "bundle")
    data = json.loads(cli(ws, "status", "--format", "json").stdout)["letters"]
    by = {(x["campaign"], x["recipient"]): x for x in data}
    assert by[("st", None)]["to_post"] is False and by[("st", None)]["letter"] is False
    assert by[("letter", "nowhere")]["no_address"] is True
    assert by[("letter", "nowhere")]["to_post"] is False
    r = cli(ws, "print", "letter")
    assert r.exit_code == 0, r.stderr
    assert ("warning: letter/nowhere: left out of the print bundle: nowhere has no postal "
            "address") in r.stderr
    record = json.loads((ws / "build/letter/print/letter.json").read_text())
    assert [x["recipient"] for x in record["letters"]] == ["emmanuel-macron"]


@pytest.mark.slow
def test_a_copy_starts_on_a_recto_after_its_cover_note(example_ws, tmp_path, cli):
    """The ambassador's letter is a cover note (one page) and a copy of the President's
    letter: printed double-sided, the copy must start on the front of a sheet."""
    import shutil

    from pypdf import PdfReader
    ws = tmp_path / "example"
    shutil.copytree(example_ws, ws)
    r = cli(ws, "print", "paris-meeting-2018", "--all")
    assert r.exit_code == 0, r.stderr
    own = PdfReader(str(ws / "build/paris-meeting-2018/azerbaijan-ambassador-france.pdf"))
    assert "SURƏT" in own.pages[1].extract_text()   # the copy, after a one-page cover note
    bundle_path = Path(r.stdout.strip())
    bundle = PdfReader(str(bundle_path))
    record = json.loads(bundle_path.with_suffix(".json").read_text())
    letter = {x["recipient"]: x for x in record["letters"]}["azerbaijan-ambassador-france"]
    assert letter["first_page"] % 2 == 1 and letter["copy_page"] % 2 == 1
    assert letter["copy_page"] == letter["first_page"] + 2
    assert "SURƏT" in bundle.pages[letter["copy_page"] - 1].extract_text()
    assert bundle.pages[letter["first_page"]].extract_text().strip() == ""   # the blank page
    assert len(bundle.pages) % 2 == 0
