"""Certificates: reading them, the names and fingerprints readers see, a self-signed one made."""
from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..limits import MAX_KEY_BYTES
from ..safefile import FileError, read_file, read_path
from .keys import SigningError, file_hint

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from cryptography import x509


def quiet_pyhanko() -> None:
    """Call before importing pyHanko. Its signer module imports cryptography's DSA classes,
    and cryptography warns of that import ("DSA is deprecated…") in every process that signs
    or verifies, whatever the key (Clarion's are RSA or EC): that one warning is ignored,
    by its category and message, and every other still shows."""
    from cryptography.utils import CryptographyDeprecationWarning
    warnings.filterwarnings("ignore", message="DSA is deprecated",
                            category=CryptographyDeprecationWarning)


def signer_name(cert: x509.Certificate) -> str:
    """The name a reader shows: the certificate's common name, else its organisation."""
    from cryptography.x509.oid import NameOID
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        values = cert.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate, as readers show it (AB:CD:…)."""
    from cryptography.hazmat.primitives import hashes
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as pyHanko takes it (asn1crypto)."""
    from asn1crypto import x509 as ax
    from cryptography.hazmat.primitives.serialization import Encoding
    return ax.Certificate.load(cert.public_bytes(Encoding.DER))


def load_certificates(path: Path, root: Path | None = None) -> list[x509.Certificate]:
    """Certificates from a PEM/DER file given with --cert (or the workspace's `cert:`).

    With `root` (the workspace), `path` is a file of it: every step below `root` is opened
    without following a link and the file must have a single link; without, it is a file the
    user named, read where it is. Either way never a pipe, a device or a file over
    MAX_KEY_BYTES (clarion.safefile)."""
    from cryptography import x509
    try:
        if root is not None:
            data = read_file(root, Path(path).relative_to(root), MAX_KEY_BYTES,
                             shown=str(path))
        else:
            data = read_path(path, MAX_KEY_BYTES, own=True)
    except FileError as e:
        raise SigningError(f"{path}: the certificate cannot be read: {e.why}; {file_hint(e)}") \
            from None
    except ValueError:
        raise SigningError(f"{path}: the certificate is outside the workspace; put it in the "
                           "workspace") from None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningError(f"{path}: not a PEM or DER certificate") from None


def validity_problem(cert: x509.Certificate, at: datetime) -> str | None:
    """Why `cert` was not valid at `at` (expired, not yet valid), or None."""
    if at < cert.not_valid_before_utc:
        return (f"the signer's certificate was not yet valid (valid from "
                f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC)")
    if at > cert.not_valid_after_utc:
        return (f"the signer's certificate had expired (valid until "
                f"{cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC)")
    return None


def usage_problem(cert: x509.Certificate) -> str | None:
    """Why `cert`'s key may not sign documents (key usage without digitalSignature or
    nonRepudiation), or None; a certificate without the extension may sign anything."""
    from cryptography import x509
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if usage.digital_signature or usage.content_commitment:
        return None
    allowed = [n for n in ("key_encipherment", "data_encipherment", "key_agreement",
                           "key_cert_sign", "crl_sign") if getattr(usage, n)]
    return ("key usage: the signer's certificate does not allow signing documents (it allows "
            f"{', '.join(a.replace('_', ' ') for a in allowed) or 'nothing'}; a signing "
            "certificate needs digitalSignature or nonRepudiation)")


def make_self_signed(org: str, passphrase: bytes | None = None, years: int = 3,
                     now: datetime | None = None) -> tuple[bytes, bytes]:
    """A new RSA key (PEM, encrypted when a passphrase is given) and a self-signed
    certificate (PEM) naming `org`, for signing documents."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    org = org.strip()
    if not org or len(org) > 64:
        raise SigningError("--org: give the organisation's name (1 to 64 characters)")
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, org),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    encryption: Any = serialization.BestAvailableEncryption(passphrase) if passphrase \
        else serialization.NoEncryption()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                encryption)
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def describe(cert: x509.Certificate) -> dict[str, str]:
    """What `clarion keys show` prints of a certificate."""
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "self_signed": "yes" if cert.issuer == cert.subject else "no",
            "fingerprint": f"SHA-256 {fingerprint(cert)}",
            "valid_from": f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
            "valid_until": f"{cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"}


