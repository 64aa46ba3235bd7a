"""One parametrised test over the hostile corpus: refused or neutralised, never a traceback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import pdf_text
from .corpus import CORPUS, SECRET

OUTSIDE = Path("/tmp/clarion-secret")


@pytest.fixture(scope="module", autouse=True)
def secret_outside_the_workspace():
    OUTSIDE.mkdir(exist_ok=True)
    (OUTSIDE / "secret.txt").write_text(SECRET + "\n")
    return OUTSIDE


def outputs(ws: Path) -> str:
    texts = []
    for path in (ws / "build").rglob("*") if (ws / "build").exists() else []:
        if path.suffix == ".pdf":
            texts.append(pdf_text(path))
            texts.append(path.read_bytes().decode("latin-1"))
        elif path.is_file():
            texts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(texts)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert len({h.name for h in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_input(hostile, make_ws, cli):
    ws = make_ws(hostile.files)
    if hostile.symlink:
        link, target = hostile.symlink
        (ws / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, ws / link)
    result = cli(ws, *hostile.args)
    messages = result.stdout + result.stderr
    assert result.exit_code == hostile.exit, messages
    assert any(line.startswith(hostile.expect) or hostile.expect in line
               for line in messages.splitlines()), messages
    produced = outputs(ws)
    for secret in hostile.forbid + hostile.absent:
        assert secret not in produced, secret
    for secret in hostile.forbid:
        assert secret not in messages
    if hostile.exit == 1 and "build" in hostile.args:
        assert not produced  # nothing half-written
