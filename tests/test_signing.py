"""Signed PDFs: signing at build, `clarion verify`, `clarion keys`, and the checks of `validate`.

Keys are made here, at test time; no private key is committed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import json
import os
import subprocess
import textwrap
import threading
from pathlib import Path

import pytest
from conftest import BASE, pdf_text

from clarion.output import keys, signing, verify

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def cli(confirmed_cli):
    """These tests sign with the workspace's key and send to its mail server, confirmed on the
    command line as the user would (`--key`, `--mail-host`)."""
    return confirmed_cli


def make_key_and_cert(org: str = "Test Rights Group", days: tuple[int, int] = (-1, 365),
                      key=None, issuer=None, extra=()):
    """An EC key and a certificate for it (self-signed unless `issuer` = (cert, key))."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, org),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer[0].subject if issuer else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + dt.timedelta(days=days[0]))
               .not_valid_after(NOW + dt.timedelta(days=days[1]))
               .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                            False, False), critical=True))
    for ext, critical in extra:
        builder = builder.add_extension(ext, critical=critical)
    cert = builder.sign(issuer[1] if issuer else key, hashes.SHA256())
    return key, cert


def pem_key(key, passphrase: bytes | None = None) -> bytes:
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase) if passphrase
        else serialization.NoEncryption())


def pem_cert(cert) -> bytes:
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.PEM)


SIGNING = """\
signing:
  key: keys/org.key.pem
  cert: keys/org.cert.pem
  reason: Authenticity of this document
"""
SETTINGS = textwrap.dedent(BASE["clarion.yaml"])


def signed_ws(make_ws, extra_settings: str = "", passphrase: bytes | None = None,
              key_and_cert=None):
    key, cert = key_and_cert or make_key_and_cert()
    ws = make_ws({"clarion.yaml": SETTINGS + SIGNING + extra_settings,
                  "keys/org.key.pem": pem_key(key, passphrase),
                  "keys/org.cert.pem": pem_cert(cert)})
    os.chmod(ws / "keys" / "org.key.pem", 0o600)
    return ws


def build_pdfs(cli, ws, *args: str):
    result = cli(ws, "build", "--format", "pdf", "--format", "md", *args)
    assert result.exit_code == 0, result.stderr
    return sorted((ws / "build" / "letter").glob("*.pdf"))


def manifest(ws) -> dict:
    data = json.loads((ws / "build" / "letter" / "manifest.json").read_text())
    return {o["file"]: o for o in data["outputs"]}


def pyhanko_status(data: bytes, cert):
    """pyHanko's own verdict, independent of Clarion's checks."""
    from asn1crypto import x509 as ax
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    root = ax.Certificate.load(cert.public_bytes(__import__(
        "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.DER))
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    return validate_pdf_signature(reader.embedded_signatures[0],
                                  ValidationContext(trust_roots=[root], allow_fetching=False))


# --- signing at build -------------------------------------------------------------------------

def test_every_pdf_is_signed_and_pyhanko_agrees(make_ws, cli):
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    key, cert = make_key_and_cert()
    ws = signed_ws(make_ws, key_and_cert=(key, cert))
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    pdfs = build_pdfs(cli, ws)
    after = dt.datetime.now(dt.UTC)
    assert len(pdfs) == 3
    entries = manifest(ws)
    for pdf in pdfs:
        data = pdf.read_bytes()
        status = pyhanko_status(data, cert)
        assert status.intact and status.valid and status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.signing_cert.subject.native["common_name"] == "Test Rights Group"
        assert status.signer_reported_dt is not None
        assert before <= status.signer_reported_dt <= after   # signed during this build
        assert status.md_algorithm == "sha256"
        assert b"/ETSI.CAdES.detached" in data                # PAdES, not plain PKCS#7
        assert b"Authenticity of this document" in data
        assert b"(Brussels)" in data                          # location: the campaign's place
        entry = entries[pdf.name]
        assert entry["signed"] is True
        assert entry["unsigned_sha256"] != entry["sha256"]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    md = entries["emmanuel-macron.md"]
    assert md["signed"] is False and md["unsigned_sha256"] == md["sha256"]
    result = cli(ws, "verify", str(ws / "build"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count(": ok") == 6
    assert "6 file(s) checked: 6 ok, 0 failed" in result.stderr


def test_signature_is_invisible_unless_asked(make_ws, cli):
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws)[0]
    assert "Digitally signed" not in pdf_text(pdf)
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    widgets = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
               if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1 and [float(v) for v in widgets[0]["/Rect"]] == [0, 0, 0, 0]


def test_visible_signature_is_a_box_drawn_by_weasyprint(make_ws, cli, tmp_path):
    ws = signed_ws(make_ws, "  visible: true\n")
    pdf = build_pdfs(cli, ws)[0]
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    last = reader.pages[-1]
    text = last.extract_text()
    assert "Digitally signed by Test Rights Group" in " ".join(text.split())
    assert "clarion verify" in " ".join(text.split())
    widgets = [a.get_object() for a in last.get("/Annots", [])
               if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1
    x1, y1, x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    assert round(x2 - x1, 1) == round(signing.BOX_WIDTH, 1)
    assert round(y2 - y1, 1) == round(signing.BOX_HEIGHT, 1)
    # the field lies over the box's text: crop the page to it and find the text there
    out = subprocess.run(["pdftotext", "-f", str(len(reader.pages)), "-l",
                          str(len(reader.pages)), "-x", str(int(x1 * 72 / 72)),
                          "-y", str(int(float(last.mediabox.top) - y2)),
                          "-W", str(int(x2 - x1)), "-H", str(int(y2 - y1)), "-r", "72",
                          str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Test Rights Group" in out.stdout
    # its appearance is empty: the page's own drawing shows, not pyHanko's stamp
    assert widgets[0]["/AP"]["/N"].get_object().get_data().strip() == b""
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)       # every font embedded
    assert not any("Courier" in line for line in fonts)
    assert verify.check_signature(pdf.read_bytes(), [_cert(ws)]).problem is None


def _cert(ws):
    from cryptography import x509
    return x509.load_pem_x509_certificate((ws / "keys" / "org.cert.pem").read_bytes())


def test_signing_takes_plain_settings_and_names_where_they_were_written(tmp_path):
    """output/keys.py reads the files a SignerSettings names, with no workspace loaded; its
    errors point at the line each setting came from."""
    from clarion.errors import Location
    settings = keys.SignerSettings("keys/none.pem", "keys/c.pem",
                                   locs={"key": Location("clarion.yaml", 7)})
    with pytest.raises(keys.SigningError) as e:
        keys.read_key_files(tmp_path, settings)
    assert str(e.value).startswith("clarion.yaml:7: signing.key: file 'keys/none.pem' not found")
    key, cert = make_key_and_cert()
    (tmp_path / "k.pem").write_bytes(pem_key(key))
    (tmp_path / "c.pem").write_bytes(pem_cert(cert))
    signer = signing.Signer.load(tmp_path, keys.SignerSettings("k.pem", "c.pem", reason="R"))
    import weasyprint
    signed = signer.sign(weasyprint.HTML(string="<p>Hello</p>").write_pdf(), location=None)
    assert verify.check_signature(signed, [cert]).problem is None
    assert b"(R)" in signed


def test_signer_settings_carry_every_field_of_the_workspace_record():
    from clarion.errors import Location
    from clarion.pipeline.signatures import signer_settings
    from clarion.workspace.model import Signing
    record = Signing("k.pem", "c.pem", ("ca.pem",), "Reason", True, "https://tsa.example",
                     {"key": Location("clarion.yaml", 3)})
    assert signer_settings(record) == keys.SignerSettings(
        "k.pem", "c.pem", ("ca.pem",), "Reason", True, "https://tsa.example",
        {"key": Location("clarion.yaml", 3)})


def test_no_sign_and_no_pdf(make_ws, cli):
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws, "--no-sign")[0]
    assert b"/ByteRange" not in pdf.read_bytes()
    assert manifest(ws)[pdf.name]["signed"] is False
    result = cli(ws, "verify", str(ws / "build" / "letter"))
    assert result.exit_code == 0 and "matches the manifest" in result.stdout


def test_incremental_builds_do_not_re_sign_until_the_key_changes(make_ws, cli):
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws)[0]
    first = pdf.read_bytes()
    unsigned = manifest(ws)[pdf.name]["unsigned_sha256"]
    result = cli(ws, "build", "--format", "pdf", "--format", "md")
    assert "built 0 file(s), 6 unchanged" in result.stderr
    assert pdf.read_bytes() == first
    key, cert = make_key_and_cert("Test Rights Group")
    (ws / "keys" / "org.key.pem").write_bytes(pem_key(key))
    (ws / "keys" / "org.cert.pem").write_bytes(pem_cert(cert))
    result = cli(ws, "build", "--format", "pdf")
    assert "built 3 file(s)" in result.stderr
    assert pdf.read_bytes() != first
    assert manifest(ws)[pdf.name]["unsigned_sha256"] == unsigned   # same document, re-signed
    assert verify.check_signature(pdf.read_bytes(), [cert]).problem is None


def test_status_sees_signed_letters_as_current_until_the_key_changes(make_ws, cli,
                                                                     monkeypatch):
    """`clarion status` hashes a signed letter's inputs with its signer's identity, as the
    build does; it needs no passphrase for that (the certificate says it)."""
    ws = signed_ws(make_ws, passphrase=b"correct horse")
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "correct horse")
    build_pdfs(cli, ws)
    cli(ws, "build", "--format", "pdf", "--no-sign", "--recipient", "emmanuel-macron")
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    lines = cli(ws, "status", "letter").stdout
    assert "letter/jean-asselborn  built, current  signed  " in lines
    assert "letter/emmanuel-macron  built, current  unsigned  " in lines
    key, cert = make_key_and_cert("Test Rights Group")
    (ws / "keys" / "org.key.pem").write_bytes(pem_key(key))
    (ws / "keys" / "org.cert.pem").write_bytes(pem_cert(cert))
    assert "letter/jean-asselborn  built, outdated  signed  " in cli(ws, "status", "letter").stdout


def test_parallel_build_signs_every_pdf(make_ws, cli):
    ws = signed_ws(make_ws)
    result = cli(ws, "build", "--format", "pdf", "--jobs", "2")
    assert result.exit_code == 0
    result = cli(ws, "verify", str(ws / "build" / "letter"), "--format", "json")
    report = json.loads(result.stdout)
    assert report["checked"] == 3 and report["failed"] == 0
    assert all(f["signed"] and f["signer"] == "Test Rights Group" for f in report["files"])


# --- verify: what must fail ---------------------------------------------------------------------

def test_one_flipped_byte_fails(make_ws, cli):
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws)[0]
    data = bytearray(pdf.read_bytes())
    at = data.index(b"stream", len(data) // 4) + 20       # inside some content, signed
    data[at] ^= 0x01
    pdf.write_bytes(bytes(data))
    result = cli(ws, "verify", str(pdf))
    assert result.exit_code == 1
    assert f"{pdf}: " in result.stdout and "ok" not in result.stdout.split(": ", 1)[1][:3]
    assert "changed after signing" in result.stdout or "damaged" in result.stdout
    assert "1 failed" in result.stderr


def test_an_update_appended_after_signing_fails(make_ws, cli):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws)[0]
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    info = writer.root  # a harmless-looking change: a new entry in the catalogue
    info[generic.NameObject("/Lang")] = generic.TextStringObject("fr")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    pdf.write_bytes(out.getvalue())
    result = cli(ws, "verify", str(pdf))
    assert result.exit_code == 1
    assert "added to the file after it was signed" in result.stdout


def test_another_certificate_fails(make_ws, cli, tmp_path):
    ws = signed_ws(make_ws)
    build_pdfs(cli, ws)
    _, other = make_key_and_cert("Test Rights Group")       # same name, another key
    (tmp_path / "other.pem").write_bytes(pem_cert(other))
    result = cli(ws, "verify", str(ws / "build" / "letter"), "--cert", str(tmp_path / "other.pem"))
    assert result.exit_code == 1
    assert result.stdout.count("not by the expected certificate") == 3
    result = cli(ws, "verify", str(ws / "build" / "letter"), "--cert",
                 str(ws / "keys" / "org.cert.pem"))
    assert result.exit_code == 0


def test_a_changed_md_file_fails_against_the_manifest(make_ws, cli):
    ws = signed_ws(make_ws)
    build_pdfs(cli, ws)
    md = ws / "build" / "letter" / "emmanuel-macron.md"
    md.write_text(md.read_text() + "\nOne more line.\n")
    result = cli(ws, "verify", str(ws / "build" / "letter"))
    assert result.exit_code == 1
    assert f"{md}: does not match its manifest.json entry" in result.stdout
    assert "5 ok, 1 failed" in result.stderr


def test_a_pdf_on_its_own_is_checked_by_its_signature(make_ws, cli, tmp_path):
    ws = signed_ws(make_ws)
    pdf = build_pdfs(cli, ws)[0]
    alone = tmp_path / "received.pdf"
    alone.write_bytes(pdf.read_bytes())
    cert = tmp_path / "cert.pem"
    cert.write_bytes((ws / "keys" / "org.cert.pem").read_bytes())
    result = cli(None, "--workspace", str(tmp_path), "verify", str(alone), "--cert", str(cert))
    assert result.exit_code == 0 and "ok (signed by Test Rights Group" in result.stdout
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(build_pdfs(cli, ws, "--no-sign", "--force")[0].read_bytes())
    result = cli(None, "--workspace", str(tmp_path), "verify", str(unsigned), "--cert", str(cert))
    assert result.exit_code == 1 and "not signed" in result.stdout


# --- keys: formats, passphrases, validate ------------------------------------------------------

def test_encrypted_key_with_right_and_wrong_passphrase(make_ws, cli, monkeypatch):
    ws = signed_ws(make_ws, passphrase=b"correct horse")
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "wrong")
    result = cli(ws, "validate")
    assert result.exit_code == 1
    line = [x for x in result.lines if "wrong passphrase" in x]
    assert line and line[0].startswith("clarion.yaml:7: signing.key:")
    assert "correct horse" not in result.stdout + result.stderr and "wrong" not in \
        line[0].split("(")[0].split("passphrase")[1]
    assert cli(ws, "build", "--format", "pdf").exit_code == 1
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "correct horse")
    assert cli(ws, "validate").exit_code == 0
    pdf = build_pdfs(cli, ws)[0]
    assert verify.check_signature(pdf.read_bytes(), [_cert(ws)]).problem is None
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    result = cli(ws, "validate")  # no passphrase, not a terminal: said, not asked
    assert result.exit_code == 0 and "is encrypted; set CLARION_KEY_PASSPHRASE" in result.stderr
    result = cli(ws, "build", "--format", "pdf", "--force")
    assert result.exit_code == 1 and "is encrypted" in result.stderr


def test_pkcs12_key(make_ws, cli, monkeypatch):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    key, cert = make_key_and_cert()
    p12 = pkcs12.serialize_key_and_certificates(b"org", key, cert, None,
                                                BestAvailableEncryption(b"pw"))
    ws = make_ws({"clarion.yaml": SETTINGS + "signing:\n  key: keys/org.p12\n"
                                  "  cert: keys/org.p12\n", "keys/org.p12": p12})
    os.chmod(ws / "keys" / "org.p12", 0o600)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "pw")
    pdf = build_pdfs(cli, ws)[0]
    assert verify.check_signature(pdf.read_bytes(), [cert]).problem is None


def test_validate_names_the_clarion_yaml_line(make_ws, cli):
    key, cert = make_key_and_cert()
    _, other = make_key_and_cert()
    _, expired = make_key_and_cert(days=(-400, -30), key=key)
    cases = {
        "missing": ({}, "clarion.yaml:7: signing.key: file 'keys/org.key.pem' not found"),
        "mismatch": ({"keys/org.cert.pem": pem_cert(other)},
                     "clarion.yaml:8: signing.cert: 'keys/org.cert.pem' is not the certificate "
                     "of the key"),
        "expired": ({"keys/org.cert.pem": pem_cert(expired)},
                    "clarion.yaml:8: signing.cert: the certificate expired on"),
        "garbage": ({"keys/org.cert.pem": b"not a certificate"},
                    "clarion.yaml:8: signing.cert: 'keys/org.cert.pem' is not a PEM"),
        "outside": ({"clarion.yaml": SETTINGS + SIGNING.replace("keys/org.key.pem",
                                                                "../outside.key.pem")},
                    "clarion.yaml:7: signing.key: '../outside.key.pem' is outside the "
                    "workspace"),
    }
    for name, (files, expected) in cases.items():
        base = {"clarion.yaml": SETTINGS + SIGNING,
                "keys/org.cert.pem": pem_cert(cert)}
        if name != "missing":
            base["keys/org.key.pem"] = pem_key(key)
        ws = make_ws({**base, **files})
        (ws.parent / "outside.key.pem").write_bytes(pem_key(key))
        if (ws / "keys" / "org.key.pem").exists():
            os.chmod(ws / "keys" / "org.key.pem", 0o600)
        result = cli(ws, "validate")
        assert result.exit_code == 1, name
        assert any(line.startswith(expected) for line in result.lines), (name, result.lines)
        assert "Traceback" not in result.stderr
        assert cli(ws, "build", "--format", "pdf").exit_code == 1


def test_a_key_readable_by_others_is_a_warning(make_ws, cli):
    ws = signed_ws(make_ws)
    os.chmod(ws / "keys" / "org.key.pem", 0o644)
    result = cli(ws, "validate")
    assert result.exit_code == 0
    assert "clarion.yaml:7: warning: signing.key: 'keys/org.key.pem' can be read by other " \
           "users" in result.stdout + result.stderr


def test_chain_is_embedded(make_ws, cli):
    from cryptography import x509
    ca_key, ca = make_key_and_cert("Test CA", extra=[(x509.BasicConstraints(True, None), True)])
    key, cert = make_key_and_cert(issuer=(ca, ca_key))
    ws = signed_ws(make_ws, "  chain: [keys/ca.pem]\n", key_and_cert=(key, cert))
    (ws / "keys" / "ca.pem").write_bytes(pem_cert(ca))
    pdf = build_pdfs(cli, ws)[0]
    status = pyhanko_status(pdf.read_bytes(), ca)          # trusted through the embedded chain
    assert status.trusted
    result = cli(ws, "verify", str(pdf), "--cert", str(ws / "keys" / "ca.pem"))
    assert result.exit_code == 0


def test_keys_new_and_show(tmp_path, cli):
    result = cli(tmp_path, "keys", "new", "--org", "Rights Watch Baku")
    assert result.exit_code == 0
    key = tmp_path / "keys" / "org.key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    assert "signing:\n  key: keys/org.key.pem\n  cert: keys/org.cert.pem" in result.stdout
    assert "does not prove WHO" in result.stdout and "certification authority" in result.stdout
    assert "BEGIN" not in result.stdout + result.stderr         # the key is never printed
    assert cli(tmp_path, "keys", "new", "--org", "X").exit_code == 1   # never overwrites
    (tmp_path / "clarion.yaml").write_text("organisation: {name: Rights Watch Baku}\n"
                                           "signing: {key: keys/org.key.pem, "
                                           "cert: keys/org.cert.pem}\n")
    shown = cli(tmp_path, "keys", "show")
    assert shown.exit_code == 0
    assert "CN=Rights Watch Baku" in shown.stdout and "fingerprint: SHA-256 " in shown.stdout
    assert "valid until: " in shown.stdout
    ws = tmp_path
    files = keys.read_key_files(ws, signing_settings(ws))
    assert keys.key_matches(files)


def signing_settings(ws: Path):
    from clarion.pipeline.signatures import signer_settings
    from clarion.workspace.load import Loader, load_settings
    loader = Loader(ws)
    load_settings(loader)
    assert loader.settings.signing is not None
    return signer_settings(loader.settings.signing)


# --- timestamps (PAdES B-T) from a local server ---------------------------------------------------

@pytest.fixture
def tsa_server():
    """An RFC 3161 timestamp server on 127.0.0.1, made of pyHanko's test timestamper."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as ax
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    key, cert = make_key_and_cert("Test TSA", key=rsa.generate_private_key(65537, 2048),
                                  extra=[(x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.TIME_STAMPING]), True)])
    stamper = DummyTimeStamper(
        ax.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())))
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            asked.append(self.headers.get("Content-Type"))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    server.shutdown()
    server.server_close()


def test_tsa_url_gives_a_timestamped_signature(make_ws, cli, tsa_server):
    url, asked = tsa_server
    ws = signed_ws(make_ws, f"  tsa_url: {url}\n")
    # the test's server is on 127.0.0.1: a local address, asked only when the user allows it
    result = cli(ws, "--allow-local-network", "build", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    pdf = sorted((ws / "build" / "letter").glob("*.pdf"))[0]
    assert asked and all(kind == "application/timestamp-query" for kind in asked)
    check = verify.check_signature(pdf.read_bytes(), [_cert(ws)])
    assert check.problem is None and check.timestamped
    from pyhanko.pdf_utils.reader import PdfFileReader
    sig = PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures[0]
    unsigned = sig.signer_info["unsigned_attrs"]
    assert [a["type"].native for a in unsigned] == ["signature_time_stamp_token"]


def test_an_unreachable_tsa_fails_the_build_cleanly(make_ws, cli):
    ws = signed_ws(make_ws, "  tsa_url: http://127.0.0.1:9/\n")
    result = cli(ws, "--allow-local-network", "build", "--format", "pdf")
    assert result.exit_code == 1
    assert "could not be signed" in result.stderr
    assert not list((ws / "build").rglob("*.pdf"))


def test_one_signer_signs_many_and_its_fingerprint_follows_the_settings(make_ws):
    ws = signed_ws(make_ws)
    signer = signing.Signer.load(ws, signing_settings(ws))
    import weasyprint
    pdf = weasyprint.HTML(string="<p>Hello</p>").write_pdf()
    one, two = signer.sign(pdf, location="Baku"), signer.sign(pdf, location=None)
    assert verify.check_signature(one, [signer.cert]).problem is None
    assert verify.check_signature(two, [signer.cert]).problem is None
    before = signer.fingerprint
    (ws / "clarion.yaml").write_text(SETTINGS + SIGNING + "  visible: true\n")
    assert signing.Signer.load(ws, signing_settings(ws)).fingerprint != before


def test_a_certificate_for_digital_signatures_only_is_accepted(make_ws, cli):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Rights Group")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                         False, False), critical=True)
            .sign(key, hashes.SHA256()))
    ws = signed_ws(make_ws, key_and_cert=(key, cert))
    pdf = build_pdfs(cli, ws)[0]
    assert cli(ws, "verify", str(pdf)).exit_code == 0


def test_files_without_a_manifest_and_missing_files(make_ws, cli, tmp_path):
    ws = signed_ws(make_ws)
    build_pdfs(cli, ws)
    loose = tmp_path / "letter.md"
    loose.write_text("# A letter\n")
    result = cli(ws, "verify", str(loose), str(tmp_path / "nothing.pdf"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["failed"] == 2
    assert [f["problem"] for f in report["files"]] == [
        "no manifest.json beside it: nothing to check it against", "not found"]
    (ws / "build" / "letter" / "simon-coveney.pdf").unlink()
    result = cli(ws, "verify", str(ws / "build"))
    assert result.exit_code == 1
    assert "simon-coveney.pdf: listed in manifest.json but missing" in result.stdout
