"""One parametrised test over the hostile corpus: refused or neutralised, never a traceback."""
from __future__ import annotations

import importlib
import os
import re
import shutil
import socket
import time
import zlib
from pathlib import Path

import pytest
from conftest import pdf_text

from .corpus import CORPUS, PRIVATE, SECRET
from .corpus_extra import EXTRA
from .corpus_round2 import ROUND2

OUTSIDE = Path("/tmp/clarion-secret")
ALL = CORPUS + EXTRA + ROUND2
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


@pytest.fixture(scope="module", autouse=True)
def secret_outside_the_workspace():
    OUTSIDE.mkdir(exist_ok=True)
    (OUTSIDE / "secret.txt").write_text(SECRET + "\n")
    return OUTSIDE


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test (the fetcher must refuse first)."""
    attempts = []

    real = socket.socket.connect

    def connect(self, address, *args):
        if self.family == socket.AF_UNIX:  # the build's own worker processes, not a network
            return real(self, address, *args)
        attempts.append(address)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield
    assert not attempts, f"tried to connect to {attempts}"


def pdf_payload(path: Path) -> list[str]:
    """Everything in a PDF a reader could get at: text, raw bytes, every stream inflated
    (embedded files such as a <a rel=attachment> target are compressed streams)."""
    raw = path.read_bytes()
    out = [pdf_text(path), raw.decode("latin-1")]
    for m in STREAM.finditer(raw):
        try:
            out.append(zlib.decompressobj().decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            pass
    return out


def outputs(ws: Path) -> str:
    texts = []
    build = ws / "build"
    for path in build.rglob("*") if build.is_dir() and not build.is_symlink() else []:
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix == ".pdf":
            texts += pdf_payload(path)
        else:
            texts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(texts)


def test_corpus_is_large_enough():
    assert len(ALL) >= 40
    assert len({h.name for h in ALL}) == len(ALL)


def _param(h):
    reason = getattr(h, "xfail", None)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    if "pdf" in h.args or (h.args[:1] == ("build",) and "--format" not in h.args):
        marks.append(pytest.mark.slow)  # lays out a PDF
    return pytest.param(h, id=h.name, marks=marks)


def _remove_deep(top: Path) -> None:
    """Remove a folder tree without recursion: Python 3.11's shutil.rmtree (and pytest's clean-up
    of old temporary folders, on a later run) fails on a tree 1,000 folders deep."""
    # depth first with a stack: each folder is listed twice, not once per folder below it
    # (climbing down from the top again for every folder took a minute for 1,000)
    stack = [top] if top.is_dir() else []
    while stack:
        path = stack[-1]
        subdirs = [p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]
        if subdirs:
            stack += subdirs
            continue
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
        stack.pop()


@pytest.mark.parametrize("hostile", [_param(h) for h in ALL])
def test_hostile_input(hostile, make_ws, cli, monkeypatch):
    ws = make_ws(hostile.files)
    for path, text in getattr(hostile, "plant", ()):
        Path(path).unlink(missing_ok=True)
        Path(path).write_text(text)
    for name, existing in getattr(hostile, "hardlinks", ()):
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).unlink(missing_ok=True)
        os.link(existing if os.path.isabs(existing) else ws / existing, ws / name)
    for folder, depth in getattr(hostile, "nested", ()):
        deep = ws / folder
        deep.mkdir(exist_ok=True)
        for _ in range(depth):
            deep = deep / "d"
            deep.mkdir()
        (deep / "x.yaml").write_text("name: X\n")
    links = ([hostile.symlink] if hostile.symlink else []) + list(getattr(hostile, "links", ()))
    for link, target in links:
        if target.startswith(str(OUTSIDE)) and not Path(target).suffix:
            Path(target).mkdir(parents=True, exist_ok=True)
        (ws / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, ws / link)
    for path in getattr(hostile, "untouched", ()):
        Path(path).unlink(missing_ok=True)
    if getattr(hostile, "fifo", None):
        (ws / hostile.fifo).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(ws / hostile.fifo)
    for name, value in getattr(hostile, "patch", ()):
        module, attr = name.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), attr, value)
    started = time.monotonic()
    try:
        result = cli(ws, *hostile.args)
    finally:
        for _link, target in links:  # a link in build/ must not be followed when cleaning up
            if target.startswith(str(OUTSIDE) + "/out"):
                shutil.rmtree(target, ignore_errors=True)
        for folder, _depth in getattr(hostile, "nested", ()):
            _remove_deep(ws / folder)
    seconds = time.monotonic() - started
    messages = result.stdout + result.stderr
    assert "Traceback" not in messages
    outcomes = [(hostile.exit, hostile.expect), *getattr(hostile, "either", ())]
    assert any(result.exit_code == code and any(line.startswith(expect) or expect in line
                                                for line in messages.splitlines())
               for code, expect in outcomes), (result.exit_code, messages)
    if hostile.lines is not None:
        assert len(messages.splitlines()) == hostile.lines, messages
    if getattr(hostile, "seconds", None) is not None:
        assert seconds < hostile.seconds, f"took {seconds:.0f} s"
    produced = outputs(ws)
    for secret in hostile.forbid + hostile.absent:
        assert secret not in produced, secret
    for secret in hostile.forbid:
        assert secret not in messages
    for path in getattr(hostile, "untouched", ()):
        assert not Path(path).exists(), f"{path} was written"
    if result.exit_code == 1 and "build" in hostile.args:
        assert not produced  # nothing half-written
    if PRIVATE in hostile.forbid:
        assert PRIVATE.casefold() not in produced.casefold()


def test_stylesheets_and_attachments_given_to_write_pdf_use_the_fetcher(make_ws):
    """CSS and Attachment objects made for WeasyPrint fetch through the workspace fetcher too."""
    from clarion.output.pdf import write_pdf
    ws = make_ws({})
    pdf, refused = write_pdf(
        "<p>x</p>", ws, {}, "id", stylesheets=[
            "@import url('file:///tmp/clarion-secret/secret.txt');",
            "body { background: url('../../../../../../tmp/clarion-secret/secret.txt') }"],
        attachments=["file:///tmp/clarion-secret/secret.txt", "cases/ilgar-mammadov.yaml"],
        source="unit.pdf")
    url = "file:///tmp/clarion-secret/secret.txt"
    assert f"unit.pdf: refused to load {url} (file outside assets/ and templates/)" in refused
    assert any("cases/ilgar-mammadov.yaml (file outside" in r for r in refused), refused
    path = ws / "unit.pdf"
    path.write_bytes(pdf)
    payload = "\n".join(pdf_payload(path))
    assert SECRET not in payload and PRIVATE not in payload


def test_write_pdf_scans_text_made_by_css(make_ws):
    """Given the private strings, write_pdf refuses a PDF whose CSS writes one out."""
    from clarion.errors import PrivacyError
    from clarion.output.pdf import write_pdf
    from clarion.output.privacy import Secret, fold
    ws = make_ws({})
    html = ("<style>body::after { content: 'SECRET-FAM' 'ILY-CONTACT-12345' }</style><p>x</p>")
    secrets = {fold(PRIVATE): Secret("ilgar-mammadov", "private.family", "cases/x.yaml")}
    write_pdf("<p>x</p>", ws, {}, "id", secrets=secrets)  # nothing private: fine
    with pytest.raises(PrivacyError, match=r"private data of case ilgar-mammadov would appear "
                                           r"in the output st/st\.pdf, the laid-out text"):
        write_pdf(html, ws, {}, "id", secrets=secrets, source="st/st.pdf")


def _manifest(ws: Path) -> dict:
    import json
    return json.loads((ws / "build" / "letter" / "manifest.json").read_text())


def test_shipped_manifest_does_not_survive_a_build(make_ws, cli, tmp_path, monkeypatch):
    """A build/ that came with the workspace (made with another key, or forged) is not trusted:
    every file is made again, and entries for files this build did not make are dropped."""
    import hashlib
    import json
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "partner"))
    ws = make_ws({})
    assert cli(ws, "build", "--format", "md").exit_code == 0
    folder = ws / "build" / "letter"
    forged = b"Signed by the Minister. FORGED-LETTER-4711\n"
    (folder / "forged.md").write_bytes(forged)
    (folder / "emmanuel-macron.md").write_bytes(forged)
    manifest = _manifest(ws)
    for entry in manifest["outputs"]:
        if entry["file"] == "emmanuel-macron.md":
            entry["sha256"] = hashlib.sha256(forged).hexdigest()
    manifest["outputs"].append({"file": "forged.md", "format": "md", "recipient": None,
                                "language": "en", "signed": True,
                                "sha256": hashlib.sha256(forged).hexdigest(),
                                "unsigned_sha256": "0", "inputs": "0"})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    # the workspace, with its build/, reaches another person: their own key
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "us"))
    result = cli(ws, "build", "--format", "md")
    assert "built 3 file(s), 0 unchanged" in result.stderr, result.stderr
    assert "FORGED" not in (folder / "emmanuel-macron.md").read_text()
    files = [o["file"] for o in _manifest(ws)["outputs"]]
    assert "forged.md" not in files
    assert cli(ws, "build", "--format", "md").stderr.count("built 0 file(s), 3 unchanged") == 1


def test_tampered_output_is_rebuilt_even_with_its_hash_updated(make_ws, cli, tmp_path,
                                                              monkeypatch):
    import hashlib
    import json
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = make_ws({})
    assert cli(ws, "build", "--format", "md").exit_code == 0
    folder = ws / "build" / "letter"
    tampered = b"SECRET-FAMILY-CONTACT-12345\n"
    (folder / "emmanuel-macron.md").write_bytes(tampered)
    manifest = _manifest(ws)
    for entry in manifest["outputs"]:
        if entry["file"] == "emmanuel-macron.md":
            entry["sha256"] = hashlib.sha256(tampered).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = cli(ws, "build", "--format", "md")
    assert "built 3 file(s)" in result.stderr, result.stderr
    assert PRIVATE not in (folder / "emmanuel-macron.md").read_text()


@pytest.mark.parametrize("text", ["SECRET-FAMILY-CONTACT-12345", "Məmmədov MIMI 0|1`\"%",
                                  "ЅЕСRЕТ-FАМІLY", "𝐒𝐄𝐂𝐑𝐄𝐓 ﬁ Ⅻ"])
def test_fold_is_the_same_wherever_the_text_stands(text):
    """Folding works character by character: a private string folds the same alone as inside
    a longer text (with or without other non-ASCII letters around it)."""
    from clarion.output.privacy import fold
    for around in ("", "ə ", "x "):
        assert fold(text) in fold(around + text + " " + around), around
