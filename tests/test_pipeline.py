"""The pipeline knows what each document read: exactly the documents that read a change are
made again, `status` agrees, run options reach the workers, and no command deletes or
re-signs what it did not make."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import BASE
from test_delivery import _workspace, smtp_server  # noqa: F401  (a fixture)
from test_signing import make_key_and_cert, pem_cert, pem_key

from clarion.pipeline import dependencies
from clarion.pipeline.session import Session

#: a letter to the President, copied to the ambassador (cover note quoting his title) and
#: cc'd to the Commissioner (named on the letter's cc line)
LETTER = BASE["campaigns/letter.yaml"].replace(
    "recipients: [emmanuel-macron, group:ministers]",
    "recipients: [emmanuel-macron, ambassador, commissioner]\n        "
    "to: [emmanuel-macron]\n        cc: [commissioner]")
OTHER = """\
    kind: statement
    title: On Azerbaijan
    date: 2018-07-19
    cases: [ilgar-mammadov]
    signatories: [trg]
    body: |
      We call for the release of {{ case.name }}.
    """
PARTIES = {
    "recipients/ambassador.yaml": "name: Rahman Mustafayev\ntitle: Ambassador of Azerbaijan\n"
                                  "gender: male\nhonorific: Ambassador\n"
                                  "address: [Rue A 1, Paris]\n",
    "recipients/commissioner.yaml": "name: Dunja Mijatović\ntitle: Commissioner\n"
                                    "gender: female\nhonorific: Commissioner\n"
                                    "address: [Avenue de l'Europe, Strasbourg]\n",
    "campaigns/statement.yaml": OTHER,
}


@pytest.fixture
def cli(confirmed_cli):
    """These tests sign with the workspace's key and send to its mail server, confirmed on the
    command line as the user would (`--key`, `--mail-host`)."""
    return confirmed_cli


def mtimes(ws: Path) -> dict[str, int]:
    return {str(p.relative_to(ws / "build")): p.stat().st_mtime_ns
            for p in (ws / "build").rglob("*") if p.suffix in (".pdf", ".md")}


def rebuilt(ws: Path, cli, *args: str) -> set[str]:
    """The outputs a build (with `args`) writes again."""
    before = mtimes(ws)
    result = cli(ws, "build", *args)
    assert result.exit_code == 0, result.stderr
    after = mtimes(ws)
    return {name for name in after if after[name] != before.get(name)}


@pytest.fixture
def letter_ws(make_ws, cli):
    assert "campaigns/letter.yaml" in BASE and "recipients: [emmanuel-macron, group:ministers]" \
        in BASE["campaigns/letter.yaml"]
    ws = make_ws({"campaigns/letter.yaml": LETTER, **PARTIES})
    assert cli(ws, "build").exit_code == 0
    assert rebuilt(ws, cli) == set()  # a no-op build makes nothing
    return ws


def test_an_addressees_title_rebuilds_the_copies_that_quote_it(letter_ws, cli):
    path = letter_ws / "recipients/emmanuel-macron.yaml"
    path.write_text(path.read_text().replace("President of the French Republic",
                                             "President of the Republic"))
    assert rebuilt(letter_ws, cli) == {
        f"letter/{who}.{ext}" for who in ("emmanuel-macron", "ambassador", "commissioner")
        for ext in ("pdf", "md")}
    text = (letter_ws / "build/letter/ambassador.md").read_text()
    assert "President of the Republic" in text and "French Republic" not in text


def test_renaming_a_cc_recipient_rebuilds_the_letters_with_the_cc_line(letter_ws, cli):
    path = letter_ws / "recipients/commissioner.yaml"
    path.write_text(path.read_text().replace("Dunja Mijatović", "Michael OFlaherty"))
    changed = rebuilt(letter_ws, cli)
    assert "letter/emmanuel-macron.md" in changed and "letter/commissioner.md" in changed
    assert not any(name.startswith("statement/") for name in changed)
    assert "Michael OFlaherty" in (letter_ws / "build/letter/emmanuel-macron.md").read_text()


def test_a_template_rebuilds_only_the_documents_that_used_it(letter_ws, cli):
    (letter_ws / "templates").mkdir()
    (letter_ws / "templates/statement.md").write_text(
        "# {{ campaign.title }}\n\nOUR OWN STATEMENT FORM\n\n{{ body }}\n")
    assert rebuilt(letter_ws, cli) == {"statement/statement.md"}
    assert "OUR OWN STATEMENT FORM" in (letter_ws / "build/statement/statement.md").read_text()


def test_a_record_no_document_read_rebuilds_nothing(letter_ws, cli):
    csv = letter_ws / "recipients/ministers.csv"
    csv.write_text(csv.read_text().replace("Simon Coveney", "Simon Harris"))
    assert rebuilt(letter_ws, cli) == set()


def test_status_agrees_with_the_build_and_a_library_upgrade_outdates_everything(
        letter_ws, cli, monkeypatch):
    def current() -> dict[str, bool]:
        rows = json.loads(cli(letter_ws, "status", "--format", "json").stdout)["letters"]
        return {f"{r['campaign']}/{r['recipient']}": r["current"] for r in rows}

    assert all(current().values())
    path = letter_ws / "recipients/commissioner.yaml"
    path.write_text(path.read_text().replace("Commissioner\n", "Commissioner for Rights\n", 1))
    stale = {k for k, v in current().items() if not v}
    # the cc line with the title is in the letter and in both copies of it; not elsewhere
    assert stale == {"letter/emmanuel-macron", "letter/ambassador", "letter/commissioner"}
    assert rebuilt(letter_ws, cli) == {f"{k}.{ext}" for k in stale for ext in ("pdf", "md")}
    assert all(current().values())
    # another version of a library that shapes the page: nothing is current any more
    versions = dict(dependencies.libraries())
    monkeypatch.setattr(dependencies, "libraries", lambda: {**versions, "Babel": "9.9.9"})
    assert not any(current().values())


def test_the_digests_a_manifest_keeps_tell_nothing_of_private_fields(letter_ws):
    """Each read is keyed with the user's secret: a private PIN cannot be found from the
    published manifest by hashing guesses."""
    manifest = json.loads((letter_ws / "build/letter/manifest.json").read_text())
    entry = next(e for e in manifest["outputs"] if e["file"] == "emmanuel-macron.pdf")
    assert "case:ilgar-mammadov" in entry["reads"] and "template:open-letter.html" in entry["reads"]
    assert "template:open-letter.md" not in entry["reads"]  # each format, its own template
    session = Session(letter_ws)
    assert session.digests().of("case:ilgar-mammadov") == entry["reads"]["case:ilgar-mammadov"]
    from clarion.pipeline.reads import Digests
    ws, _ = session.load()
    assert Digests(ws, b"another user's key").of("case:ilgar-mammadov") != \
        entry["reads"]["case:ilgar-mammadov"]


# ---------------------------------------------------------------- run options reach workers

@pytest.mark.slow
def test_links_and_raised_limits_reach_two_worker_processes(make_ws, cli):
    rows = ["id,name,title,honorific,gender,address,country,language,groups"]
    rows += [f"m-{i:02d},Minister {i},Minister,Minister,male,Street {i},Country {i},en,many"
             for i in range(24)]
    body = "We write about {{ case.name }}.\n" + "Long paragraph. " * 4000
    ws = make_ws({"recipients/many.csv": "\n".join(rows) + "\n",
                  "campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
                      "recipients: [emmanuel-macron, group:ministers]", "recipients: [group:many]"),
                  "shared/body.md": body})
    # the campaign's signatories come through a link to a file inside the workspace
    os.remove(ws / "signatories/groups.yaml")
    os.symlink(ws / "shared/groups.yaml", ws / "signatories/groups.yaml")
    (ws / "shared/groups.yaml").write_text(BASE["signatories/groups.yaml"].replace("        ", ""))
    refused = cli(ws, "build", "--format", "md", "--jobs", "2")
    assert refused.exit_code == 1 and "symbolic link" in refused.stderr
    ok = cli(ws, "--allow-links", "build", "--format", "md", "--jobs", "2")
    assert ok.exit_code == 0, ok.stderr
    assert len(list((ws / "build/letter").glob("*.md"))) == 24
    # a body over the built-in limit of characters for one file is refused, unless raised
    (ws / "campaigns/letter.yaml").write_text(
        (ws / "campaigns/letter.yaml").read_text() + "extra: {note: '" + "x" * 6_000_000 + "'}\n")
    capped = cli(ws, "--allow-links", "build", "--format", "md", "--jobs", "2")
    assert capped.exit_code == 1 and "max_file_bytes" in capped.stderr
    raised = cli(ws, "--allow-links", "--limit", "max_file_bytes=20000000", "build",
                 "--format", "md", "--jobs", "2")
    assert raised.exit_code == 0, raised.stderr
    assert "built 24 file(s)" in raised.stderr


# ---------------------------------------------------------------- nothing deleted, re-signed

def signed_mail_ws(make_ws, port: int, monkeypatch) -> Path:
    """A workspace that signs its PDFs and sends to the test's SMTP server."""
    key, cert = make_key_and_cert()
    root = _workspace(make_ws, port, {
        "keys/org.key.pem": pem_key(key), "keys/org.cert.pem": pem_cert(cert)},
        mail="signing: {key: keys/org.key.pem, cert: keys/org.cert.pem}\n")
    os.chmod(root / "keys/org.key.pem", 0o600)
    monkeypatch.delenv("CLARION_SMTP_PASSWORD", raising=False)
    return root


def test_build_sign_send_build_print_send_changes_nothing(make_ws, cli, smtp_server,  # noqa: F811
                                                         monkeypatch):
    handler, port = smtp_server
    root = signed_mail_ws(make_ws, port, monkeypatch)
    first = cli(root, "build", "letter", "--format", "pdf", "--format", "eml", "--format", "html")
    assert first.exit_code == 0, first.stderr
    folder = root / "build/letter"
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    sent = cli(root, "send", "letter", "--send")
    assert sent.exit_code == 0, sent.stdout + sent.stderr
    assert len(handler.messages) == 2
    for step in (("build",), ("print", "letter"), ("send", "letter")):
        result = cli(root, *step)
        assert result.exit_code == 0, (step, result.stderr)
    for name, data in snapshot.items():
        if name != "manifest.json":
            assert (folder / name).read_bytes() == data, f"{name} was made again"
    rows = json.loads(cli(root, "status", "letter", "--format", "json").stdout)["letters"]
    assert not any(r["sent_changed"] for r in rows)
    assert all(r["current"] and r["signed"] for r in rows)
    assert "CHANGED" not in cli(root, "send", "letter").stdout
    assert cli(root, "send", "letter", "--send").exit_code == 0 and len(handler.messages) == 2


def test_a_letter_made_again_with_the_same_content_is_not_changed_since_sent(
        make_ws, cli, smtp_server, monkeypatch):  # noqa: F811
    """--force signs the letter again (a new signature time, new bytes): what was sent is
    still what it says, so nothing invites a second letter to a head of state."""
    _handler, port = smtp_server
    root = signed_mail_ws(make_ws, port, monkeypatch)
    sent = cli(root, "send", "letter", "--send")
    assert sent.exit_code == 0, sent.stdout + sent.stderr
    assert cli(root, "build", "letter", "--format", "pdf", "--format", "eml",
               "--force").exit_code == 0
    dry = cli(root, "send", "letter")
    assert "CHANGED" not in dry.stdout and "0 message(s) would be sent" in dry.stderr
    # a real change is one
    campaign = root / "campaigns/letter.yaml"
    campaign.write_text(campaign.read_text().replace("We write", "Today we write"))
    assert "CHANGED since sent" in cli(root, "send", "letter").stdout


# ---------------------------------------------------------------- a broken file elsewhere

def test_a_broken_campaign_blocks_only_itself(make_ws, cli):
    ws = make_ws({"campaigns/draft.yaml": "kind: statement\ntitle: Half written\n"
                                          "date: 2018-13-45\n",
                  "campaigns/statement.yaml": OTHER})
    urgent = cli(ws, "build", "statement")
    assert urgent.exit_code == 0, urgent.stderr
    assert "campaigns/draft.yaml:3: warning:" in urgent.stderr
    assert "(not used by statement; ignored)" in urgent.stderr
    assert (ws / "build/statement/statement.pdf").is_file()
    every = cli(ws, "build")
    assert every.exit_code == 1
    assert "campaigns/draft.yaml:3:" in every.stderr
    assert "not built, because of the errors above: draft" in every.stderr
    assert (ws / "build/letter/emmanuel-macron.pdf").is_file()
    assert not (ws / "build/draft").exists()


def test_send_and_print_go_on_beside_a_broken_campaign(make_ws, cli, smtp_server):  # noqa: F811
    _handler, port = smtp_server
    root = _workspace(make_ws, port, {"campaigns/draft.yaml": "kind: statement\n"
                                                              "title: Half written\n"
                                                              "date: 2018-13-45\n"})
    dry = cli(root, "send", "letter")
    assert dry.exit_code == 0, dry.stderr
    assert "campaigns/draft.yaml:3: warning:" in dry.stderr and "2 message(s)" in dry.stderr
    printed = cli(root, "print", "letter")
    assert printed.exit_code == 0, printed.stderr
    assert cli(root, "send", "draft").exit_code == 1


def test_outputs_get_the_users_umask(make_ws, cli):
    """Created as a new file would be (contract v3), not readable by their owner only."""
    ws = make_ws()
    old = os.umask(0o002)
    try:
        assert cli(ws, "build", "--format", "md").exit_code == 0
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (ws / "build/letter").iterdir()}
    assert set(modes.values()) == {0o664}, modes


def test_the_print_cover_sheet_is_in_the_organisations_language(make_ws, cli):
    """For whoever prints and posts: the cover is a template, in clarion.yaml's language,
    listing where each letter starts."""
    import io

    from pypdf import PdfReader
    ws = make_ws({"clarion.yaml": BASE["clarion.yaml"].replace("language: en", "language: fr")})
    result = cli(ws, "print", "letter", "--all")
    assert result.exit_code == 0, result.stderr
    bundle = PdfReader(io.BytesIO(Path(result.stdout.strip()).read_bytes()))
    cover = " ".join(bundle.pages[0].extract_text().split())
    assert "Liasse à imprimer de letter" in cover and "Commence à la page" in cover
    assert "Print bundle" not in cover
    record = json.loads((ws / "build/letter/print/letter.json").read_text())
    for letter in record["letters"]:
        assert f"{letter['file']} {letter['pages']} {letter['first_page']}" in cover
