"""`clarion verify` checks certificates as a PDF reader would: explicit trust roots, `chain:` as
intermediates only, the signer's certificate valid at the signing time and allowed to sign.

Every certificate is made here; PDFs are signed with pyHanko directly, as a forger would, so
that certificates Clarion's own signer refuses (expired, not yet valid) can be tried.
"""
from __future__ import annotations

import io

import pytest
from test_signing import make_key_and_cert, pem_cert, signed_ws

from clarion.output import signing, verify
from clarion.output.certificates import asn1


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint
    return weasyprint.HTML(string="<p>We call for the release of Ilgar Mammadov.</p>").write_pdf()


def forge(pdf: bytes, key, cert, chain=()) -> bytes:
    """`pdf` signed (PAdES, whole file) with any key and certificate, embedding `chain`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    signer = signing._CachedKeySigner.make(asn1(cert), key, [asn1(c) for c in chain])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    return out.getvalue()


def make_cert(name: str, issuer=None, usage=None, is_ca: bool = False):
    """A key and certificate with the given key usage (a CA's: keyCertSign and cRLSign),
    self-signed unless `issuer` = (key, cert)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from test_signing import NOW
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    usage = usage or x509.KeyUsage(True, False, False, False, False, True, True, False, False)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer[1].subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - dt.timedelta(days=1))
               .not_valid_after(NOW + dt.timedelta(days=365))
               .add_extension(usage, critical=True))
    if is_ca:
        builder = builder.add_extension(x509.BasicConstraints(True, None), critical=True)
    return key, builder.sign(issuer[0] if issuer else key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki():
    """A root CA, an intermediate under it, and two customers of it: the organisation and
    someone else (with the very same name)."""
    root = make_cert("Test Root CA", is_ca=True)
    inter = make_cert("Test Issuing CA", issuer=root, is_ca=True)
    org = make_key_and_cert("Test Rights Group", issuer=(inter[1], inter[0]))
    other = make_key_and_cert("Test Rights Group", issuer=(inter[1], inter[0]))
    return root, inter, org, other


def test_a_genuine_letter_passes(pdf):
    key, cert = make_key_and_cert()
    check = verify.check_signature(forge(pdf, key, cert), [cert])
    assert check.problem is None and check.signer == "Test Rights Group"
    assert check.time_source == "claimed" and check.signed_at


def test_expired_not_yet_valid_and_wrong_key_usage_fail_by_name(pdf):
    from cryptography import x509
    key, expired = make_key_and_cert(days=(-400, -30))
    check = verify.check_signature(forge(pdf, key, expired), [expired])
    assert check.problem is not None and check.problem.startswith(
        "the signer's certificate had expired (valid until ")
    assert "by the signer's own clock" in check.problem
    key, early = make_key_and_cert(days=(30, 400))
    check = verify.check_signature(forge(pdf, key, early), [early])
    assert check.problem is not None and check.problem.startswith(
        "the signer's certificate was not yet valid (valid from ")
    key, encipher = make_cert("Test Rights Group", usage=x509.KeyUsage(
        False, False, True, False, False, False, False, False, False))
    check = verify.check_signature(forge(pdf, key, encipher), [encipher])
    assert check.problem is not None and check.problem.startswith(
        "key usage: the signer's certificate does not allow signing documents (it allows "
        "key encipherment")


def test_same_name_self_made_certificate_fails(pdf):
    _, trusted = make_key_and_cert("Test Rights Group")
    key, forged = make_key_and_cert("Test Rights Group")
    check = verify.check_signature(forge(pdf, key, forged), [trusted])
    assert check.problem == ("signed by Test Rights Group, not by the expected certificate "
                             "(untrusted chain: it does not lead to a certificate you trust)")


def test_another_customer_of_the_same_ca_fails_when_the_root_is_the_organisations_own(pdf,
                                                                                       pki):
    root, inter, org, other = pki
    genuine = forge(pdf, org[0], org[1], [inter[1], root[1]])
    forged = forge(pdf, other[0], other[1], [inter[1], root[1]])
    # the organisation's own certificate as the only root, the CA's as intermediates
    assert verify.check_signature(genuine, [org[1]], [inter[1], root[1]]).problem is None
    check = verify.check_signature(forged, [org[1]], [inter[1], root[1]])
    assert check.problem is not None and "untrusted chain" in check.problem
    # an intermediate is never a root: given only as one, nothing chains to a root
    check = verify.check_signature(genuine, [], [inter[1]])
    assert check.problem is not None and "untrusted chain" in check.problem
    # trusting the CA itself trusts every customer of it (said in docs/signing.md)
    assert verify.check_signature(forged, [root[1]]).problem is None


def test_chain_certificates_in_the_workspace_are_not_roots(make_ws, cli, pdf, pki, tmp_path):
    """The workspace's `chain:` (the CA's certificates) only helps build a chain to the
    workspace certificate; another customer of the CA signing a letter does not pass."""
    root, inter, org, other = pki
    ws = signed_ws(make_ws, "  chain: [keys/ca.pem]\n", key_and_cert=org)
    (ws / "keys" / "ca.pem").write_bytes(pem_cert(inter[1]) + pem_cert(root[1]))
    forged, genuine = tmp_path / "forged.pdf", tmp_path / "genuine.pdf"
    forged.write_bytes(forge(pdf, other[0], other[1], [inter[1], root[1]]))
    genuine.write_bytes(forge(pdf, org[0], org[1], [inter[1], root[1]]))
    result = cli(ws, "verify", str(forged), str(genuine))
    assert result.exit_code == 1
    assert f"{forged}: signed by Test Rights Group, not by the expected certificate " \
           "(untrusted chain" in result.stdout
    assert f"{genuine}: ok (signed by Test Rights Group, " in result.stdout
    assert "by the signer's own clock)" in result.stdout
    # --cert replaces the workspace certificate as the root (repeatable)
    (tmp_path / "root.pem").write_bytes(pem_cert(root[1]))
    result = cli(ws, "verify", str(forged), "--cert", str(tmp_path / "root.pem"))
    assert result.exit_code == 0


def test_a_changed_byte_is_modified_after_signing(pdf):
    key, cert = make_key_and_cert()
    data = bytearray(forge(pdf, key, cert))
    at = data.index(b"Ilgar") if b"Ilgar" in data else data.index(b"stream") + 20
    data[at] ^= 0x01
    check = verify.check_signature(bytes(data), [cert])
    assert check.problem is not None
    assert check.problem.startswith("modified after signing") or "damaged" in check.problem
