"""The privacy stop in a real build and in lint: a part of a private value stops the document,
clarion.yaml cannot switch the lint rule off, and nothing published depends on private data."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BASE, pdf_text

CASE = "cases/ilgar-mammadov.yaml"
PRIVATE = "SECRET-FAMILY-CONTACT-12345"
REAL = "Sister Leyla Nurieva, phone +994 50 777 1234"
MAIL = {"clarion.yaml": BASE["clarion.yaml"].replace(
    "language: en", "language: en\n        mail: {from: TRG <office@example.org>}")}


def _with_private(text: str) -> dict[str, str]:
    return {CASE: BASE[CASE].replace(PRIVATE, text)}


def _body(text: str) -> dict[str, str]:
    return {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
        "We write about {{ case.name }}.", f"We write about {{{{ case.name }}}}. {text}")}


@pytest.mark.parametrize("body", ["Call her on 050 777-12-34.", "We thank Leyla Nurieva.",
                                  "We thank ʟᴇʏʟᴀ ɴᴜʀɪᴇᴠᴀ."])
def test_a_part_of_a_private_value_stops_the_build(make_ws, cli, body):
    ws = make_ws({**_with_private(REAL), **_body(body)})
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code != 0
    assert re.search(r"private data of case ilgar-mammadov would appear in the output "
                     r"build/letter/[a-z-]+\.md, line \d+ \(private\.family, "
                     r"cases/ilgar-mammadov\.yaml:\d+\); it is written by campaigns/letter\.yaml",
                     result.stderr), result.stderr
    for part in ("777", "Nurieva", "Leyla"):
        assert part not in result.stderr
    assert not list((ws / "build").rglob("*.md"))


def test_public_words_and_dates_in_a_private_value_do_not_stop_it(make_ws, cli):
    """A private note that repeats public facts (the court, the year) builds."""
    ws = make_ws({**_with_private("Family attends Shaki Court hearings since 2013"),
                  **_body("The appeal is heard at Shaki Court; he is held since 2013.")})
    result = cli(ws, "build", "--format", "md", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert "held since 2013" in (ws / "build/letter/emmanuel-macron.md").read_text()


def test_clarion_yaml_cannot_switch_the_privacy_rule_off(make_ws, cli):
    yaml = BASE["clarion.yaml"].replace(
        "language: en", "language: en\n        lint: {disable: [private-in-output]}")
    ws = make_ws({"clarion.yaml": yaml})
    (ws / "build/letter").mkdir(parents=True)
    (ws / "build/letter/copy.md").write_text(f"# Copy\n\nfamily: {PRIVATE[:13]}x "
                                             "phone 12345\n")
    result = cli(ws, "lint", "--today", "2018-07-17")
    lines = (result.stdout + result.stderr).splitlines()
    refused = [line for line in lines if "lint-disable" in line]
    assert len(refused) == 1 and refused[0].startswith("clarion.yaml:")
    assert "cannot switch off private-in-output" in refused[0]
    found = [line for line in lines if "private-in-output: private data" in line]
    assert found == ["build/letter/copy.md:3: private-in-output: private data of ilgar-mammadov "
                     "(private.family, cases/ilgar-mammadov.yaml) is in this output; delete "
                     "it, fix the template or body, and rebuild"], lines
    assert result.exit_code != 0
    # the user, on the command line, still can
    quiet = cli(ws, "lint", "--today", "2018-07-17", "--disable", "private-in-output")
    assert "private-in-output: private data" not in quiet.stdout + quiet.stderr


def _pdf_id(pdf: bytes) -> list[str]:
    import io

    from pypdf import PdfReader
    return [repr(part) for part in PdfReader(io.BytesIO(pdf)).trailer["/ID"]]


def _build(cli, ws: Path, out: Path) -> None:
    result = cli(ws, "build", "--force", "--format", "md", "--format", "html",
                 "--format", "pdf", "--format", "eml", "--out", str(out))
    assert result.exit_code == 0, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def two_builds(make_ws, cli, tmp_path, monkeypatch):
    """The same workspace built twice, one private character changed in between."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = make_ws({**MAIL, **_with_private(REAL)})
    _build(cli, ws, tmp_path / "a")
    case = ws / CASE
    case.write_text(case.read_text().replace("777 1234", "777 1235"))
    _build(cli, ws, tmp_path / "b")
    return _files(tmp_path / "a"), _files(tmp_path / "b")


def test_what_a_reader_sees_does_not_depend_on_private_data(two_builds, tmp_path):
    first, second = two_builds
    assert first.keys() == second.keys()
    assert any(name.endswith(".eml") for name in first)
    for name in first:
        if name.endswith((".md", ".html")):
            assert first[name] == second[name], name
        if name.endswith(".pdf"):
            paths = []
            for which, files in (("a", first), ("b", second)):
                path = tmp_path / f"{which}.pdf"
                path.write_bytes(files[name])
                paths.append(path)
            assert pdf_text(paths[0]) == pdf_text(paths[1]), name


def test_no_output_byte_depends_on_private_data(two_builds):
    first, second = two_builds
    assert [n for n in first if first[n] != second.get(n)] == []


def test_ids_derived_from_inputs_are_keyed_with_the_users_secret(make_ws, cli, tmp_path,
                                                                  monkeypatch):
    """The same workspace built by two users: the PDF /ID and the Message-ID differ, so that
    neither can be recomputed (and a PIN guessed) from the inputs alone."""
    ws = make_ws({**MAIL, **_with_private(REAL)})
    ids = []
    for who in ("one", "two"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / who))
        _build(cli, ws, tmp_path / who / "out")
        files = _files(tmp_path / who / "out")
        pdf = files["letter/emmanuel-macron.pdf"]
        eml = files["letter/jean-asselborn.eml"].decode()
        ids.append((_pdf_id(pdf), re.findall(r"Message-ID: (\S+)", eml)))
    assert ids[0][0] and ids[0][1]
    assert ids[0][0] != ids[1][0] and ids[0][1] != ids[1][1]
