"""Building: what is written, what is skipped, and that a failed build leaves nothing broken."""
from __future__ import annotations

import json

from conftest import BASE


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_file_per_recipient_and_format(make_ws, cli):
    ws = make_ws()
    result = cli(ws, "build", "--format", "md", "--format", "html")
    assert result.exit_code == 0
    files = sorted(p.name for p in (ws / "build" / "letter").iterdir())
    assert files == ["emmanuel-macron.html", "emmanuel-macron.md", "jean-asselborn.html",
                     "jean-asselborn.md", "manifest.json", "simon-coveney.html",
                     "simon-coveney.md"]
    assert "built 6 file(s), 0 unchanged" in result.stderr


def test_unchanged_outputs_are_skipped_until_inputs_change(make_ws, cli):
    ws = make_ws()
    cli(ws, "build", "--format", "md")
    before = snapshot(ws / "build")
    result = cli(ws, "build", "--format", "md")
    assert "built 0 file(s), 3 unchanged" in result.stderr
    assert snapshot(ws / "build") == before
    case = ws / "cases" / "ilgar-mammadov.yaml"
    case.write_text(case.read_text().replace("Arrested in Baku.", "Arrested at home in Baku."))
    result = cli(ws, "build", "--format", "md")
    assert "built 3 file(s), 0 unchanged" in result.stderr
    assert cli(ws, "build", "--format", "md", "--force").stderr.endswith(
        "built 3 file(s), 0 unchanged\n")


def test_one_recipient_keeps_the_others_in_the_manifest(make_ws, cli):
    ws = make_ws()
    cli(ws, "build", "--format", "md")
    result = cli(ws, "build", "--format", "md", "--recipient", "simon-coveney", "--force")
    assert "built 1 file(s)" in result.stderr
    manifest = json.loads((ws / "build" / "letter" / "manifest.json").read_text())
    assert [o["file"] for o in manifest["outputs"]] == [
        "emmanuel-macron.md", "jean-asselborn.md", "simon-coveney.md"]
    entry = manifest["outputs"][2]
    assert entry["recipient"] == "simon-coveney" and entry["language"] == "en"
    assert entry["format"] == "md" and entry["signed"] is False


def test_a_failed_build_writes_nothing_and_keeps_what_was_there(make_ws, cli):
    ws = make_ws()
    cli(ws, "build", "--format", "md")
    before = snapshot(ws / "build")
    letter = ws / "campaigns" / "letter.yaml"
    letter.write_text(letter.read_text().replace("{{ case.name }}", "{{ case.nmae }}"))
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "campaigns/letter.yaml:12: case has no field 'nmae'; did you mean `name`?")
    assert snapshot(ws / "build") == before
    assert not list((ws / "build").rglob("*.tmp"))


def test_a_missing_variable_in_a_template_names_file_and_line(make_ws, cli):
    ws = make_ws({"templates/statement.md": "# {{ campaign.title }}\n\n{{ recipient.emial }}\n",
                  "campaigns/st.yaml": "kind: statement\ntitle: T\ndate: 2018-07-18\n"})
    result = cli(ws, "build", "st", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/statement.md:3: ")


def test_private_data_copied_by_a_template_fails_the_build(make_ws, cli):
    ws = make_ws({"templates/open-letter.md": "{{ body }}\nSECRET-FAMILY-CONTACT-12345\n"})
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 1
    assert "private data of case ilgar-mammadov would appear in the output" in result.stderr
    assert "SECRET-FAMILY" not in result.stderr
    assert not (ws / "build").exists() or not list((ws / "build").rglob("*.md"))


def test_private_fields_are_not_reachable_from_templates(make_ws, cli):
    ws = make_ws({"templates/open-letter.md": "{{ body }}\n{{ case.private }}\n"})
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 1
    assert "case has no field 'private'" in result.stderr


def test_unknown_campaign_and_recipient(make_ws, cli):
    ws = make_ws()
    result = cli(ws, "build", "leter")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown campaign `leter`; did you mean `letter`?")
    result = cli(ws, "build", "--recipient", "nobody", "--format", "md")
    assert result.exit_code == 2 and "--recipient nobody" in result.stderr
    result = cli(ws, "build", "--recipient", "simon-covney", "--format", "md")
    assert result.exit_code == 2 and "did you mean `simon-coveney`?" in result.stderr
    result = cli(ws, "build", "--format", "mdd")
    assert result.exit_code == 2 and "did you mean `md`?" in result.stderr
    assert not (ws / "build").exists()


def test_out_folder(make_ws, cli, tmp_path):
    ws = make_ws()
    out = tmp_path / "elsewhere"
    assert cli(ws, "build", "--format", "html", "--out", str(out)).exit_code == 0
    html = (out / "letter" / "emmanuel-macron.html").read_text()
    assert "We write about Ilgar Mammadov." in html
    assert not (ws / "build").exists()  # with --out, nothing is written into the workspace


def test_an_address_too_long_for_the_window_is_reported(make_ws, cli):
    lines = " | ".join(f"Line {i}" for i in range(10))
    csv = BASE["recipients/ministers.csv"].replace("Iveagh House | Dublin 2", lines)
    result = cli(make_ws({"recipients/ministers.csv": csv}), "build", "--format", "md")
    assert result.exit_code == 1  # refused, at the recipient's file and line (issue 13)
    assert "recipients/ministers.csv:3: address: simon-coveney's name, title and address take " \
           "about 13 lines; the envelope window shows 9" in result.stdout + result.stderr


def test_signing_settings_are_not_silently_ignored(make_ws, cli):
    ws = make_ws({"clarion.yaml": BASE["clarion.yaml"] + "signing: {key: k.pem, cert: c.pem}\n"})
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 1 and "signing.key: file 'k.pem' not found" in result.stderr


def test_an_output_folder_that_cannot_be_written(make_ws, cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli(make_ws(), "build", "--format", "md", "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    assert "nothing half-written was left behind" in result.stderr


def test_a_press_reaction_without_cases_has_no_empty_background(make_ws, cli):
    ws = make_ws({"campaigns/r.yaml": "kind: press-reaction\ntitle: T\ndate: 2018-07-18\n"
                  "quotes: [{speaker: A, text: B}]\n"})
    assert cli(ws, "build", "r", "--format", "md").exit_code == 0
    md = (ws / "build" / "r" / "r.md").read_text()
    assert "Reacting to the news, A said:" in md and "Background" not in md
