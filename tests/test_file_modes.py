"""Every file a command makes has the mode the user's umask gives a new file (0666 minus the
umask: colleagues on a shared drive can open it), except the secrets, which stay 0600."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller


class _Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(umask: int, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own started with `umask`."""
    return subprocess.run([sys.executable, "-m", "clarion", *args], env=env, text=True,
                          capture_output=True, timeout=300,
                          preexec_fn=lambda: os.umask(umask))


def _modes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): stat.S_IMODE(p.lstat().st_mode)
            for p in sorted(root.rglob("*"))}


@pytest.mark.slow
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_follow_the_umask_and_secrets_stay_private(tmp_path, umask):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    ws = tmp_path / "ws"
    r = _run(umask, env, "init", str(ws))
    assert r.returncode == 0, r.stderr
    with (ws / "recipients/head-of-state.yaml").open("a") as f:
        f.write("email: office@example.org\n")
    port = _free_port()
    with (ws / "clarion.yaml").open("a") as f:
        f.write(f"mail: {{host: 127.0.0.1, port: {port}, security: none, per_minute: 600}}\n")
    r = _run(umask, env, "-w", str(ws), "keys", "new", "--org", "Example Group")
    assert r.returncode == 0, r.stderr
    for args in (["build", "--format", "pdf", "--format", "md", "--format", "html",
                  "--format", "eml", "--no-sign"], ["print", "first-letter", "--all"]):
        r = _run(umask, env, "-w", str(ws), *args)
        assert r.returncode == 0, r.stderr
    controller = Controller(_Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        r = _run(umask, env, "-w", str(ws), "--mail-host", "127.0.0.1", "send", "first-letter",
                 "--send")
    finally:
        controller.stop()
    assert r.returncode == 0, r.stderr
    modes = _modes(ws)
    for name in ("build/first-letter/head-of-state.pdf", "build/first-letter/head-of-state.md",
                 "build/first-letter/head-of-state.html", "build/first-letter/head-of-state.eml",
                 "build/first-letter/manifest.json", "build/first-letter/print/first-letter.pdf",
                 "build/first-letter/print/first-letter.json", "build/first-letter/sent.json",
                 "build/first-letter/.sent.json.lock", "keys/org.cert.pem", "clarion.yaml",
                 "templates/open-letter.html", "campaigns/first-letter.yaml"):
        assert modes[name] == 0o666 & ~umask, (name, oct(modes[name]))
    for folder in ("build", "build/first-letter", "build/first-letter/print", "templates",
                   "campaigns"):
        assert modes[folder] == 0o777 & ~umask, (folder, oct(modes[folder]))
    # every file and folder follows the umask, but the private key
    assert modes.pop("keys/org.key.pem") == 0o600
    assert all(mode & ~(0o777 & ~umask) == 0 for mode in modes.values())
    # the user's secret that seals manifests and the send log is theirs alone
    key = tmp_path / "state/clarion/manifest-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_new_file_follows_the_umask(tmp_path, cli):
    from conftest import BASE, write_files
    ws = write_files(tmp_path / "ws", BASE)
    old = os.umask(0o027)
    try:
        r = cli(ws, "new", "case", "Leyla Yunus")
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.stderr
    assert stat.S_IMODE((ws / "cases/leyla-yunus.yaml").stat().st_mode) == 0o640
