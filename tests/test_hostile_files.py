"""Hostile files where Clarion reads (issue 20): a key hard-linked to an image, links swapped
in, pipes, 6 GB sparse files and deeply nested JSON in build/, an SVG `<use>` bomb — each is
one line, never a leak, a traceback or a hang."""
from __future__ import annotations

import base64
import email
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import BASE
from test_signing import SIGNING, make_key_and_cert, pem_cert, pem_key

SETTINGS = textwrap.dedent(BASE["clarion.yaml"])
MAIL = """\
mail:
  from: Test Rights Group <info@trg.example.org>
  host: 127.0.0.1
  port: 9
  security: none
"""
LETTER = textwrap.dedent(BASE["campaigns/letter.yaml"]).replace(
    "body: |\n  We write about", "body: |\n  ![logo](assets/logo.svg)\n\n  We write about")
KEY = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n" \
      b"-----END PRIVATE KEY-----\n"
SIX_GB = 6 * 1024**3
HUGE = "file is 6,442,450,944 bytes, over the limit of"


@pytest.fixture(autouse=True)
def own_state(tmp_path, monkeypatch):
    """This user's sealing key and configuration, in the test's own folders."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _workspace(make_ws, extra: str = "", **files: str | bytes) -> Path:
    return make_ws({"clarion.yaml": SETTINGS + MAIL + extra, "campaigns/letter.yaml": LETTER,
                    "assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>', **files})


def _clarion(ws: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Clarion in a process of its own, given `timeout` seconds: a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "clarion", "--workspace", str(ws), *args],
                          capture_output=True, text=True, timeout=timeout, env=dict(os.environ))


def _decoded(path: Path) -> bytes:
    """A built file's bytes, and for an e-mail each part decoded too."""
    data = path.read_bytes()
    if path.suffix == ".eml":
        for part in email.message_from_bytes(data).walk():
            payload = part.get_payload(decode=True)
            data += payload if isinstance(payload, bytes) else b""
    return data


def _leaks(build: Path, secret: bytes) -> list[str]:
    forms = (secret, base64.b64encode(secret), b"BEGIN PRIVATE KEY",
             base64.b64encode(b"-----BEGIN PRIVATE KEY-----")[:24])
    return [p.name for p in build.rglob("*") if p.is_file()
            and any(f in _decoded(p) for f in forms)]


# ---------------------------------------------------------------- embedded images

def test_a_key_hard_linked_to_the_logo_is_never_embedded(make_ws, cli):
    """A partner ships keys/org.key.pem hard-linked to assets/logo.svg; the user copies the
    real key over the placeholder (same inode) and builds: the .html and the .eml leave the
    image out, with one warning, and carry nothing of the key."""
    ws = _workspace(make_ws, **{"keys/org.key.pem": "placeholder\n"})
    (ws / "assets" / "logo.svg").unlink()
    os.link(ws / "keys" / "org.key.pem", ws / "assets" / "logo.svg")
    (ws / "keys" / "org.key.pem").write_bytes(KEY)  # cp over it: the same inode
    result = cli(ws, "build", "--format", "html", "--format", "eml")
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.lines if "logo.svg: left out" in line] == [
        "warning: letter: assets/logo.svg: left out of the .html (has 2 hard links: it may be "
        "another file of the workspace or of the machine; copy the file in instead of linking "
        "it)"]
    built = sorted(p.name for p in (ws / "build" / "letter").iterdir())
    assert "jean-asselborn.eml" in built and "emmanuel-macron.html" in built
    assert _leaks(ws / "build", KEY) == []


@pytest.mark.parametrize("allow", [False, True])
@pytest.mark.parametrize("inside", [False, True])
def test_a_link_swapped_in_for_the_logo_is_never_followed(make_ws, cli, tmp_path, allow,
                                                          inside):
    """assets/logo.svg swapped for a symbolic link to a key outside the workspace, or to one
    inside it (outside assets/, even with --allow-links): left out, one warning."""
    outside = tmp_path / "elsewhere.pem"
    outside.write_bytes(KEY)
    ws = _workspace(make_ws, **{"keys/org.key.pem": KEY.decode()})
    assert cli(ws, "build", "--format", "html").exit_code == 0
    (ws / "assets" / "logo.svg").unlink()
    (ws / "assets" / "logo.svg").symlink_to(Path("../keys/org.key.pem") if inside else outside)
    result = cli(ws, *(("--allow-links",) if allow else ()), "build", "--format", "html",
                 "--format", "eml")
    assert result.exit_code == 0, result.stderr
    why = "is a link to a file outside assets/" if allow else "is a symbolic link"
    assert [line for line in result.lines if "logo.svg: left out" in line] == [
        f"warning: letter: assets/logo.svg: left out of the .html ({why}; copy the file in "
        "instead)"]
    assert _leaks(ws / "build", KEY) == []


def test_an_image_inside_assets_is_still_embedded(make_ws, cli):
    ws = _workspace(make_ws)
    result = cli(ws, "build", "--format", "html")
    assert result.exit_code == 0, result.stderr
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"/>').decode()
    assert f"data:image/svg+xml;base64,{svg}" in \
        (ws / "build" / "letter" / "emmanuel-macron.html").read_text()


# ---------------------------------------------------------------- pipes and sparse files

def test_pipes_in_build_never_hang_status_verify_or_print(make_ws, cli):
    """FIFOs where status, verify and print read (the print record, a letter) and write
    (the bundle): each command ends, with one line for each pipe it met."""
    ws = _workspace(make_ws)
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    folder = ws / "build" / "letter"
    (folder / "print").mkdir()
    for name in ("print/letter.json", "print/letter.pdf"):
        os.mkfifo(folder / name)
    (folder / "emmanuel-macron.pdf").unlink()
    os.mkfifo(folder / "emmanuel-macron.pdf")
    status = _clarion(ws, "status")
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert "build/letter/print/letter.json: is not a regular file (a device, a pipe or a " \
           "folder); remove it (its letters are not counted as printed)" in status.stderr
    assert "letter/emmanuel-macron  unverified" in status.stdout
    verify = _clarion(ws, "verify", str(ws / "build"))
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    assert "build/letter/emmanuel-macron.pdf: not a regular file (a device, a pipe or a " \
           "folder): not read" in verify.stdout + verify.stderr
    printed = _clarion(ws, "print", "letter", "--all")
    assert printed.returncode == 0, printed.stderr
    assert (folder / "print" / "letter.pdf").is_file()  # the pipe replaced, never opened
    assert (folder / "emmanuel-macron.pdf").is_file()   # made again


@pytest.mark.parametrize("place, lines", [
    ("manifest.json", {"verify": "/build/letter/manifest.json: manifest.json is not sealed by "
                                 "you: it is larger than 10 MB",
                       "status": "letter/emmanuel-macron  unverified"}),
    ("emmanuel-macron.pdf", {"verify": "/build/letter/emmanuel-macron.pdf: larger than 200 MB: "
                                       "not read",
                             "status": "letter/emmanuel-macron  unverified"}),
    ("sent.json", {"status": "build/letter/sent.json is not a regular file of at most 20 MB: "
                             "ignored"}),
    ("print/letter.json", {"status": f"build/letter/print/letter.json: {HUGE} 10,485,760; "
                                     "remove it or make it smaller (its letters are not "
                                     "counted as printed)"}),
])
def test_a_sparse_6_gb_file_in_build_is_one_line(make_ws, cli, place, lines):
    ws = _workspace(make_ws)
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    path = ws / "build" / "letter" / place
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    path.touch()
    os.truncate(path, SIX_GB)
    assert cli(ws, "validate").exit_code == 0
    verify = cli(ws, "verify", str(ws / "build"))
    assert verify.exit_code == (1 if "verify" in lines else 0)
    status = _clarion(ws, "status")  # its warnings are logged: read them from its stderr
    assert status.returncode == 0 and "Traceback" not in status.stderr
    for command, out in (("verify", verify.lines), ("status", (status.stdout + status.stderr)
                                                                 .splitlines())):
        if command in lines:
            assert [line for line in out if lines[command] in line], out
    assert cli(ws, "build", "--format", "pdf").exit_code == 0


@pytest.mark.parametrize("name", ["key", "cert"])
def test_a_sparse_6_gb_key_or_certificate_is_one_line(make_ws, cli, name):
    key, cert = make_key_and_cert()
    ws = make_ws({"clarion.yaml": SETTINGS + SIGNING, "keys/org.key.pem": pem_key(key),
                  "keys/org.cert.pem": pem_cert(cert)})
    path = ws / "keys" / f"org.{name}.pem"
    path.unlink()
    path.touch()
    os.truncate(path, SIX_GB)
    line = (f"clarion.yaml:{8 if name == 'cert' else 7}: signing.{name}: "
            f"'keys/org.{name}.pem' {HUGE} 1,048,576; a key or certificate is a few "
            "kilobytes: name the right file")
    validate = cli(ws, "validate")
    assert validate.exit_code == 1 and line in validate.lines
    build = cli(ws, "build", "--format", "pdf", "--key", str(ws / "keys" / "org.key.pem"))
    assert build.exit_code == 1 and [x for x in build.lines if "6,442,450,944" in x] == [line]


def test_a_pipe_as_the_key_is_one_line_not_a_hang(make_ws):
    _, cert = make_key_and_cert()
    ws = make_ws({"clarion.yaml": SETTINGS + SIGNING, "keys/org.cert.pem": pem_cert(cert)})
    os.mkfifo(ws / "keys" / "org.key.pem")
    line = ("clarion.yaml:7: signing.key: 'keys/org.key.pem' is not a regular file (a device, "
            "a pipe or a folder); name the key or certificate file itself")
    for args in (("validate",), ("build", "--format", "pdf", "--key",
                                 str(ws / "keys" / "org.key.pem"))):
        result = _clarion(ws, *args, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert line in (result.stdout + result.stderr).splitlines(), result.stderr


def test_a_sparse_certificate_given_to_verify_is_one_line(make_ws, cli, tmp_path):
    ws = _workspace(make_ws)
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    big = tmp_path / "big.pem"
    big.touch()
    os.truncate(big, SIX_GB)
    result = cli(ws, "verify", str(ws / "build"), "--cert", str(big))
    assert result.exit_code == 1
    assert [x for x in result.lines if "6,442,450,944" in x] == [
        f"{big}: the certificate cannot be read: {HUGE} 1,048,576; a key or certificate is a few kilobytes: "
        "name the right file"]


# ---------------------------------------------------------------- deeply nested JSON

def test_deeply_nested_json_in_build_is_one_line(make_ws, cli):
    ws = _workspace(make_ws)
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    folder = ws / "build" / "letter"
    (folder / "print").mkdir()
    for name in ("manifest.json", "sent.json", "print/letter.json"):
        (folder / name).write_text("[" * 200_000)
    verify = cli(ws, "verify", str(ws / "build"))
    assert verify.exit_code == 1
    assert f"{folder}/manifest.json: manifest.json is not sealed by you: it cannot be read as " \
           "a manifest" in verify.lines
    status = _clarion(ws, "status")  # its warnings are logged: read them from its stderr
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert "build/letter/sent.json cannot be read: ignored" in status.stderr.splitlines()
    assert ("build/letter/print/letter.json: is nested more than 32 levels deep: not a file "
            "Clarion wrote; remove it (Clarion writes it again) (its letters are not counted "
            "as printed)") in status.stderr.splitlines()
    assert cli(ws, "build", "--format", "pdf").exit_code == 0


# ---------------------------------------------------------------- image bombs

def _use_bomb(levels: int = 10, fan: int = 10) -> str:
    """An SVG whose one `<use>` unfolds into fan**levels copies of a shape."""
    groups = ['<g id="a0"><rect width="1" height="1"/><text y="1">x</text></g>']
    for i in range(1, levels):
        groups.append(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * fan + "</g>")
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>'
            + "".join(groups) + f'</defs><use href="#a{levels - 1}"/></svg>')


def test_an_svg_use_bomb_ends_within_the_layout_limit(make_ws):
    """A logo of nested `<use>` (WeasyPrint catches every exception around an image, so an
    alarm inside it would be swallowed): the worker is killed at `layout_seconds`."""
    ws = _workspace(make_ws, "limits:\n  layout_seconds: 2\n",
                    **{"assets/logo.svg": _use_bomb()})
    start = time.monotonic()
    result = _clarion(ws, "build", "--format", "pdf", timeout=120)
    elapsed = time.monotonic() - start
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the layout took longer than the limit of 2 s (limits.layout_seconds)" in \
        result.stderr
    assert elapsed < 30, elapsed  # starting Clarion and a worker, then 2 s of layout
