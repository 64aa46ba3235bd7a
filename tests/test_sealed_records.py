"""Only what Clarion sealed is believed: manifests (`verify`, `status`, `send`) and the send
log `sent.json` (sealed, never followed as a link, appended under a lock)."""
from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest
from test_delivery import _workspace, smtp_server  # noqa: F401  (a fixture)
from test_signing import signed_ws

from clarion.delivery import log
from clarion.errors import OutputError
from clarion.output.files import read_sealed_manifest

MAIL = """\
mail:
  from: Test Rights Group <info@trg.example.org>
  host: 127.0.0.1
  port: 9
  security: none
"""
FORMATS = ("--format", "pdf", "--format", "md", "--format", "html", "--format", "eml")


@pytest.fixture
def cli(confirmed_cli):
    """These tests sign with the workspace's key, confirmed on the command line (`--key`)."""
    return confirmed_cli


def _built(make_ws, cli):
    ws = signed_ws(make_ws, MAIL)
    result = cli(ws, "build", *FORMATS)
    assert result.exit_code == 0, result.stderr
    return ws, ws / "build" / "letter"


def _edit_manifest(folder, change):
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def test_verify_fails_every_forgery_and_passes_the_genuine_build(make_ws, cli, monkeypatch,
                                                                  tmp_path):
    import weasyprint
    ws, folder = _built(make_ws, cli)
    genuine = cli(ws, "verify", str(folder))
    assert genuine.exit_code == 0, genuine.stdout
    assert f"{folder / 'jean-asselborn.eml'}: ok (matches the manifest)" in genuine.stdout
    assert "missing" not in genuine.stdout
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".pdf", ".md", ".html",
                                                                     ".eml"))
    assert genuine.stdout.count(": ok (") == len(names) == 10
    saved = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}

    def restore():
        for name, data in saved.items():
            (folder / name).write_bytes(data)

    def sha(data: bytes) -> str:
        import hashlib
        return hashlib.sha256(data).hexdigest()

    def replace_pdf(data: bytes):
        (folder / "emmanuel-macron.pdf").write_bytes(data)

        def change(m):
            for o in m["outputs"]:
                if o["file"] == "emmanuel-macron.pdf":
                    o["sha256"], o["signed"] = sha(data), data.startswith(b"%PDF") and \
                        b"/ByteRange" in data
        _edit_manifest(folder, change)

    def tamper(name: str):
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"Ilgar", b"Ilqar", 1) + b"\n")

    unsigned = weasyprint.HTML(string="<p>We withdraw our call.</p>").write_pdf()
    forgeries = {
        "unsigned PDF, manifest edited": (lambda: replace_pdf(unsigned),
                                          "manifest.json is not sealed by you: its seal does "
                                          "not match"),
        "another signed letter, manifest edited": (
            lambda: replace_pdf(saved["jean-asselborn.pdf"]),
            "manifest.json is not sealed by you: its seal does not match"),
        "seal zeroed": (lambda: _edit_manifest(folder, lambda m: m.update(seal="0" * 64)),
                        "manifest.json is not sealed by you: it carries no seal"),
        "seal removed": (lambda: _edit_manifest(folder, lambda m: m.pop("seal")),
                         "manifest.json is not sealed by you: it carries no seal"),
        "markdown changed": (lambda: tamper("emmanuel-macron.md"),
                             "emmanuel-macron.md: does not match its manifest.json entry"),
        "html changed": (lambda: tamper("emmanuel-macron.html"),
                         "emmanuel-macron.html: does not match its manifest.json entry"),
        "e-mail draft changed": (lambda: tamper("jean-asselborn.eml"),
                                 "jean-asselborn.eml: does not match its manifest.json entry"),
    }
    for what, (forge, expected) in forgeries.items():
        restore()
        forge()
        result = cli(ws, "verify", str(folder))
        assert result.exit_code == 1, what
        assert expected in result.stdout, (what, result.stdout)
        if "not sealed" in expected:
            assert "ok (matches the manifest)" not in result.stdout, what
    restore()
    # an unsigned PDF behind an edited manifest is said to be unsigned, never "ok"
    replace_pdf(unsigned)
    result = cli(ws, "verify", str(folder))
    assert f"{folder / 'emmanuel-macron.pdf'}: not signed, and manifest.json is not sealed " \
           "by you" in result.stdout
    assert f"{folder / 'emmanuel-macron.md'}: nothing to check it against: manifest.json is " \
           "not sealed by you" in result.stdout
    # a build folder shipped with a workspace: sealed, but by someone else's key
    restore()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-user"))
    result = cli(ws, "verify", str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'manifest.json'}: manifest.json is not sealed by you: its seal does " \
           "not match (edited after the build, or built by someone else)" in result.stdout
    assert "ok (matches the manifest)" not in result.stdout


def test_status_says_unverified_and_send_rebuilds_from_a_manifest_not_sealed(make_ws, cli):
    ws, folder = _built(make_ws, cli)
    assert "letter/jean-asselborn  built, current  signed" in cli(ws, "status", "letter").stdout
    forged = (folder / "jean-asselborn.eml").read_bytes().replace(b"Ilgar", b"Ilqar", 1)
    (folder / "jean-asselborn.eml").write_bytes(forged)

    def change(m):
        import hashlib
        for o in m["outputs"]:
            if o["file"] == "jean-asselborn.eml":
                o["sha256"] = hashlib.sha256(forged).hexdigest()
    _edit_manifest(folder, change)
    assert not read_sealed_manifest(folder).sealed
    lines = cli(ws, "status", "letter").stdout.splitlines()
    row = next(x for x in lines if x.startswith("letter/jean-asselborn  "))
    assert row.startswith("letter/jean-asselborn  unverified (not as sealed in manifest.json")
    assert "built, current" not in "\n".join(lines)
    rows = json.loads(cli(ws, "status", "letter", "--format", "json").stdout)["letters"]
    assert all(r["unverified"] and not r["built"] and not r["signed"] for r in rows)
    # send (a dry run) builds again first: the forged draft is replaced, the manifest sealed
    result = cli(ws, "send", "letter")
    assert result.exit_code == 0, result.stderr
    assert (folder / "jean-asselborn.eml").read_bytes() != forged
    assert read_sealed_manifest(folder).sealed
    result = cli(ws, "verify", str(folder))
    for name in ("jean-asselborn.eml", "jean-asselborn.pdf", "emmanuel-macron.pdf"):
        assert f"{folder / name}: ok (" in result.stdout
    # what the forged manifest listed and send did not make again is not believed
    assert f"{folder / 'jean-asselborn.md'}: not listed in manifest.json" in result.stdout


# --- the send log ------------------------------------------------------------------------------

def _sent(recipient: str) -> log.Sent:
    return log.Sent(recipient, f"{recipient}@example.org", f"<{recipient}@x>", "a" * 64,
                    "2026-12-07T08:00:00+00:00", "250 OK", "c" * 64)


def test_the_log_is_sealed_and_an_unsealed_or_linked_one_is_not_believed(tmp_path):
    out = tmp_path / "build"
    folder = out / "letter"
    folder.mkdir(parents=True)
    log.append_sent(out, "letter", [], _sent("ilham"))
    data = json.loads((folder / log.SENT).read_text())
    assert set(data) == {"campaign", "sent", "seal"} and len(data["seal"]) == 64
    assert [e.recipient for e in log.read_sent(folder)] == ["ilham"]
    # stale in-memory lists do not drop what another run logged meanwhile
    log.append_sent(out, "letter", [], _sent("jean-asselborn"))
    assert [e.recipient for e in log.read_sent(folder)] == ["ilham", "jean-asselborn"]
    # edited (one entry removed, so that it would be sent again): ignored, with a warning
    data["sent"] = []
    (folder / log.SENT).write_text(json.dumps(data))
    read = log.read_log(folder)
    assert read.entries == [] and read.warning is not None
    assert read.warning.startswith("build/letter/sent.json is not sealed by you")
    # an old log without a seal is not believed either
    (folder / log.SENT).write_text(json.dumps({"campaign": "letter", "sent": [
        {k: "x" for k in log.FIELDS}]}))
    assert log.read_log(folder).entries == []
    # a link is refused, never followed: send stops before it connects
    (folder / log.SENT).unlink()
    (tmp_path / "elsewhere.json").write_text("{}")
    (folder / log.SENT).symlink_to(tmp_path / "elsewhere.json")
    assert log.read_log(folder).linked
    with pytest.raises(OutputError) as e:
        log.read_sent(folder)
    assert str(e.value).startswith("refused: build/letter/sent.json is a symbolic link")
    with pytest.raises(OutputError):
        log.append_sent(out, "letter", [], _sent("ilham"))
    assert (tmp_path / "elsewhere.json").read_text() == "{}"


def test_send_refuses_a_linked_log_in_one_line(make_ws, cli, tmp_path):
    ws = signed_ws(make_ws, MAIL)
    folder = ws / "build" / "letter"
    folder.mkdir(parents=True)
    (tmp_path / "shipped.json").write_text("{}")
    (folder / "sent.json").symlink_to(tmp_path / "shipped.json")
    result = cli(ws, "send", "letter")
    assert result.exit_code == 1
    assert "refused: build/letter/sent.json is a symbolic link; remove it" in result.stderr


def _one_run(out: str, deliveries: str, start: float) -> None:
    """What a `send --send` run does with the log: under its lock, re-read what was sent,
    deliver what was not, log it."""
    from pathlib import Path
    while time.time() < start:
        time.sleep(0.005)
    out_path = Path(out)
    with log.locked(out_path, "letter"):
        done = log.last_sent(log.read_sent(out_path / "letter"))
        if "ilham" not in done:
            with open(deliveries, "a") as f:
                f.write(f"{os.getpid()}\n")
            time.sleep(0.3)     # the SMTP conversation
            log.append_sent(out_path, "letter", [], _sent("ilham"))


def test_two_runs_at_once_deliver_once(tmp_path):
    out = tmp_path / "build"
    (out / "letter").mkdir(parents=True)
    deliveries = tmp_path / "deliveries"
    start = time.time() + 0.5
    context = multiprocessing.get_context("fork")
    runs = [context.Process(target=_one_run, args=(str(out), str(deliveries), start))
            for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(30)
        assert run.exitcode == 0
    assert len(deliveries.read_text().splitlines()) == 1
    assert [e.recipient for e in log.read_sent(out / "letter")] == ["ilham"]
    assert not (out / "letter" / log.LOCK).is_symlink()


def _send_run(root: str, start: float) -> None:
    """One `clarion send --send` of the campaign, as the command runs it."""
    from pathlib import Path

    from clarion.delivery.send import deliver, plan_send
    from clarion.workspace.load import load_workspace
    while time.time() < start:
        time.sleep(0.005)
    plan = plan_send(Path(root), "letter")
    ws, _ = load_workspace(Path(root))
    deliver(plan, ws.settings.mail, backoff=0.01)


def test_two_send_runs_at_once_deliver_each_message_once(make_ws, smtp_server):  # noqa: F811
    handler, port = smtp_server
    root = _workspace(make_ws, port)
    from clarion.delivery.send import plan_send
    plan_send(root, "letter")           # built once, so both runs only plan and send
    start = time.time() + 1.0
    context = multiprocessing.get_context("fork")
    runs = [context.Process(target=_send_run, args=(str(root), start)) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)
    recipients = sorted(m[1][0] for m in handler.messages)
    assert recipients == ["ilham@example.az", "ja@example.org"]
