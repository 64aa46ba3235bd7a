"""Nothing published is derived from private data: one private character changed (in a
`private:` block or a private event), every output byte is the same — the PDF /ID, the
Message-ID, the manifest's digests — and a signed letter differs only in its signature."""
from __future__ import annotations

import email
import email.policy
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import BASE, REPO, write_files
from test_signing import signed_ws

CASE = "cases/ilgar-mammadov.yaml"
MAIL = BASE["clarion.yaml"].replace("language: en",
                                    "language: en\n        mail: {from: TRG <office@example.org>}")
#: a private event beside the private block (its text, place and court are private too)
PRIVATE_EVENT = """\
          - id: visit-2018
            date: 2018-07-19
            type: other
            place: Qobustan prison 4471
            text: Lawyer Rauf Karimov visits; code 8812.
            private: true
"""
FORMATS = ("--format", "md", "--format", "html", "--format", "pdf", "--format", "eml")


def _case() -> str:
    return BASE[CASE].replace("        sources:\n", PRIVATE_EVENT + "        sources:\n", 1)


def _workspace(make_ws) -> Path:
    return make_ws({"clarion.yaml": MAIL, CASE: _case()})


def _build(cli, ws: Path, out: Path, *campaigns: str, key: tuple[str, ...] = ()
           ) -> dict[str, bytes]:
    result = cli(ws, *key, "build", *campaigns, "--force", *FORMATS, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


#: one character of a private value: in the private block, and in each field of a private event
EDITS = [("SECRET-FAMILY-CONTACT-12345", "SECRET-FAMILY-CONTACT-12346"),
         ("Rauf Karimov", "Rauf Kerimov"), ("prison 4471", "prison 4472")]


@pytest.mark.parametrize(("old", "new"), EDITS)
def test_no_output_byte_depends_on_a_private_character(make_ws, cli, tmp_path, monkeypatch,
                                                       old, new):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = _workspace(make_ws)
    first = _build(cli, ws, tmp_path / "a")
    _change(ws / CASE, old, new)
    second = _build(cli, ws, tmp_path / "b")
    assert {"letter/manifest.json", "letter/emmanuel-macron.pdf",
            "letter/jean-asselborn.eml"} <= first.keys()
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_case_file_a_document_points_to_is_not_hashed(make_ws, cli, tmp_path, monkeypatch):
    """A link or an image naming a case file is no way to put a digest of that file (its
    private block with it) into the manifest: documents load only from assets/ and
    templates/, and only what they can load is read."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = _workspace(make_ws)
    template = (REPO / "clarion/templates/open-letter.html").read_text(encoding="utf-8")
    (ws / "templates").mkdir()
    (ws / "templates/open-letter.html").write_text(template.replace(
        "{{ letterhead() }}", '{{ letterhead() }}<a href="cases/ilgar-mammadov.yaml">file</a>'
        '<img src="cases/ilgar-mammadov.yaml" alt="">'
        '<p style="background: url(cases/ilgar-mammadov.yaml)">.</p>', 1), encoding="utf-8")
    first = _build(cli, ws, tmp_path / "a")
    _change(ws / CASE, "CONTACT-12345", "CONTACT-12346")
    second = _build(cli, ws, tmp_path / "b")
    assert [name for name in first if first[name] != second[name]] == []
    reads = _entries(first)["emmanuel-macron.pdf"]["reads"]
    assert isinstance(reads, dict) and not [k for k in reads if k.startswith("file:cases/")]


def test_an_image_under_assets_is_still_read(make_ws, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect fill="{}" ' \
          'width="10" height="10"/></svg>'
    ws = make_ws({"assets/our logo.svg": svg.format("red")})
    template = (REPO / "clarion/templates/open-letter.html").read_text(encoding="utf-8")
    (ws / "templates").mkdir()
    (ws / "templates/open-letter.html").write_text(template.replace(
        "{{ letterhead() }}", '{{ letterhead() }}<img src="./assets/our%20logo.svg" alt="">', 1),
        encoding="utf-8")
    assert cli(ws, "build", "--format", "pdf").exit_code == 0
    reads = _entries({"letter/manifest.json": (ws / "build/letter/manifest.json").read_bytes()})
    assert "file:assets/our logo.svg" in reads["emmanuel-macron.pdf"]["reads"]
    (ws / "assets/our logo.svg").write_text(svg.format("blue"))
    assert "built 3 file(s), 0 unchanged" in cli(ws, "build", "--format", "pdf").stderr


@pytest.mark.slow
@pytest.mark.parametrize(("case", "old", "new"), [
    ("leyla-yunus", "planned route", "planned routs"),           # a private event
    ("mahammad-mirzali", "town where", "town whare"),             # a private block
])
def test_the_example_workspace_does_not_change_with_a_private_character(
        example_ws, cli, tmp_path, monkeypatch, case, old, new):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = tmp_path / "ws"
    shutil.copytree(example_ws, ws)
    campaigns = ("trial-watch-2014-10-06", "isgandarli-killing-2024", "paris-meeting-2018")
    first = _build(cli, ws, tmp_path / "a", *campaigns)
    _change(ws / f"cases/{case}.yaml", old, new)
    second = _build(cli, ws, tmp_path / "b", *campaigns)
    assert sum(name.endswith(".eml") for name in first) >= 1
    assert sum(name.endswith("manifest.json") for name in first) == len(campaigns)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_private_change_alone_makes_nothing_again(make_ws, cli, tmp_path, monkeypatch):
    """No document can show a private value, so changing one outdates none (and `status`
    agrees): the manifest's reads are digests of what a document can show."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = _workspace(make_ws)
    assert cli(ws, "build", "--format", "md").exit_code == 0
    _change(ws / CASE, "code 8812", "code 8813")
    _change(ws / CASE, "CONTACT-12345", "CONTACT-99999")
    again = cli(ws, "build", "--format", "md")
    assert again.exit_code == 0, again.stderr
    assert "built 0 file(s), 3 unchanged" in again.stderr
    # a public change to the same case is still seen
    _change(ws / CASE, "Opposition politician jailed", "Opposition politician held")
    assert "built 3 file(s), 0 unchanged" in cli(ws, "build", "--format", "md").stderr


def _unsigned(signed: bytes, digest: str) -> bytes:
    """The PDF as it was before signing: pyHanko appends the signature as an update."""
    at = 0
    while (at := signed.find(b"%%EOF", at) + 5) > 4:
        for end in (at, at + 1, at + 2):
            if hashlib.sha256(signed[:end]).hexdigest() == digest:
                return signed[:end]
    raise AssertionError("the signed PDF does not begin with the PDF it signed")


def _entries(files: dict[str, bytes]) -> dict[str, dict[str, object]]:
    outputs = json.loads(files["letter/manifest.json"])["outputs"]
    return {e["file"]: e for e in outputs}


def _mail(data: bytes) -> tuple[list[tuple[str, str]], list[bytes]]:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    headers = [(k, str(v)) for k, v in msg.items() if k.lower() not in ("message-id",
                                                                        "content-type")]
    return headers, [p.get_content() if p.get_content_maintype() == "text" else b""
                     for p in msg.walk() if not p.is_multipart()]


def test_a_signed_letter_differs_only_in_its_signature(make_ws, cli, tmp_path, monkeypatch):
    """A signature is made anew at each build (its time, its random nonce), so a signed PDF
    is compared by what it signed: the PDF before signing, the same bytes; every manifest
    digest but the signed file's own, the same; the draft the same but for its attachment
    and the Message-ID that names it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ws = write_files(signed_ws(make_ws, "mail: {from: TRG <office@example.org>}\n"),
                     {CASE: _case()})
    key = ("--key", str(ws / "keys/org.key.pem"))
    first = _build(cli, ws, tmp_path / "a", key=key)
    _change(ws / CASE, "Rauf Karimov", "Rauf Kerimov")
    second = _build(cli, ws, tmp_path / "b", key=key)
    before, after = _entries(first), _entries(second)
    assert before["emmanuel-macron.pdf"]["signed"] is True
    for name, entry in before.items():
        changes = {k for k in entry if entry[k] != after[name][k]}
        # a draft's own bytes hold the signed PDF; a PDF is the same until it is signed
        allowed = {"sha256", "unsigned_sha256"} if name.endswith(".eml") else {"sha256"}
        assert changes <= allowed, (name, changes)
        data = first[f"letter/{name}"], second[f"letter/{name}"]
        if name.endswith(".pdf"):
            digest = str(entry["unsigned_sha256"])
            assert _unsigned(data[0], digest) == _unsigned(data[1], digest)
        elif name.endswith(".eml"):
            assert _mail(data[0]) == _mail(data[1])
        else:
            assert data[0] == data[1], name
