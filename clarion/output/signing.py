"""PDF signatures: the organisation's key loaded once, PAdES signing, and checking signatures."""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClarionError, Location, Problem
from ..workspace.model import Signing, Workspace

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

#: the environment variable an encrypted key's passphrase is read from
PASSPHRASE_ENV = "CLARION_KEY_PASSPHRASE"
#: the id (HTML) and named destination (PDF) of the visible signature box
BOX_ID = "clarion-signature"
#: the box's size in points, as base.html draws it (80 mm × 20 mm)
BOX_WIDTH, BOX_HEIGHT = 80 / 25.4 * 72, 20 / 25.4 * 72
FIELD_NAME = "Signature1"
VERIFY_HINT = "clarion verify, or the signature panel of a PDF reader"


class SigningError(ClarionError):
    """A key or certificate that cannot be used, or a PDF that cannot be signed."""


@dataclass(frozen=True)
class KeyFiles:
    """What the `signing:` files hold, parsed: the certificate, the chain and (maybe) the key."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key: PrivateKeyTypes | None     # None: an encrypted key and no passphrase


def _where(signing: Signing, name: str) -> Location:
    locs: Mapping[str, Location] = getattr(signing, "locs", None) or {}
    return locs.get(name) or getattr(signing, "loc", None) or Location("clarion.yaml")


def _read(root: Path, signing: Signing, name: str, rel: str) -> bytes:
    path = root / rel
    # a workspace is untrusted: its settings must not point the build at other files of
    # this computer (someone's other keys); keys live in the workspace, out of version control
    if not path.resolve().is_relative_to(root.resolve()):
        raise SigningError(f"signing.{name}: '{rel}' is outside the workspace; put the file in "
                           "the workspace (keys/ is never committed) and give its path from "
                           "there", _where(signing, name))
    if not path.is_file():
        raise SigningError(f"signing.{name}: file '{rel}' not found; check the path (relative "
                           "to the workspace) or make a key with `clarion keys new`",
                           _where(signing, name))
    try:
        return path.read_bytes()
    except OSError as e:
        raise SigningError(f"signing.{name}: '{rel}' cannot be read ({e.strerror})",
                           _where(signing, name)) from None


def _is_pkcs12(data: bytes) -> bool:
    return not data.lstrip().startswith(b"-----BEGIN") and data[:1] == b"\x30" and \
        b"1.2.840.113549.1.7" not in data[:40] and _looks_pkcs12(data)


def _looks_pkcs12(data: bytes) -> bool:
    from cryptography.hazmat.primitives.serialization import pkcs12
    try:
        pkcs12.load_pkcs12(data, None)
        return True
    except ValueError as e:  # wrong/missing passphrase still says it is PKCS#12
        return "password" in str(e).lower() or "mac" in str(e).lower()
    except Exception:
        return False


def _load_key(data: bytes, passphrase: bytes | None, signing: Signing) -> tuple[
        PrivateKeyTypes | None, list[x509.Certificate]]:
    """The private key (None when encrypted and no passphrase) and certificates of a P12."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    where = _where(signing, "key")
    if data.lstrip().startswith(b"-----BEGIN"):
        loader: Any = serialization.load_pem_private_key
    elif _is_pkcs12(data):
        try:
            p12 = pkcs12.load_pkcs12(data, passphrase)
        except ValueError:
            if passphrase is None:
                return None, []
            raise SigningError(f"signing.key: wrong passphrase for '{signing.key}' (from "
                               f"{PASSPHRASE_ENV} or the prompt)", where) from None
        certs = [c.certificate for c in p12.additional_certs]
        if p12.cert is not None:
            certs.insert(0, p12.cert.certificate)
        return p12.key, certs
    else:
        loader = serialization.load_der_private_key
    try:
        return loader(data, password=passphrase), []
    except TypeError:  # encrypted, no passphrase given (or one given for a plain key)
        if passphrase is None:
            return None, []
        return loader(data, password=None), []
    except ValueError:
        if passphrase is not None and _encrypted(data):
            raise SigningError(f"signing.key: wrong passphrase for '{signing.key}' (from "
                               f"{PASSPHRASE_ENV} or the prompt)", where) from None
        raise SigningError(f"signing.key: '{signing.key}' is not a PEM or PKCS#12 private key",
                           where) from None
    except Exception:
        raise SigningError(f"signing.key: '{signing.key}' is not a PEM or PKCS#12 private key",
                           where) from None


def _encrypted(data: bytes) -> bool:
    return b"ENCRYPTED" in data[:200] or _is_pkcs12(data)


def _load_certs(data: bytes, name: str, rel: str, signing: Signing,
                passphrase: bytes | None) -> list[x509.Certificate]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return list(x509.load_pem_x509_certificates(data))
        if _is_pkcs12(data):
            p12 = pkcs12.load_pkcs12(data, passphrase)
            certs = [c.certificate for c in p12.additional_certs]
            return ([p12.cert.certificate] if p12.cert else []) + certs
        return [x509.load_der_x509_certificate(data)]
    except Exception:
        raise SigningError(f"signing.{name}: '{rel}' is not a PEM, DER or PKCS#12 certificate"
                           + ("" if passphrase else f" (if it is an encrypted PKCS#12 file, set "
                                                    f"{PASSPHRASE_ENV})"),
                           _where(signing, name)) from None


def key_encrypted(root: Path, signing: Signing) -> bool:
    """True when the key file needs a passphrase (the CLI then asks for one on a terminal)."""
    path = Path(root) / signing.key
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return _encrypted(data)


def env_passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value else None


#: the last key parsed, by the digests of its file and passphrase (never the passphrase)
_PARSED: dict[tuple[bytes, bytes | None], tuple[Any, list[Any]]] = {}


def read_key_files(root: Path, signing: Signing, passphrase: bytes | None = None) -> KeyFiles:
    """Parse the key, certificate and chain files; raise SigningError at the first problem."""
    root = Path(root)
    if passphrase is None:
        passphrase = env_passphrase()
    data = _read(root, signing, "key", signing.key)
    # `validate` and the build both read the key: parse it once (RSA checks take ~100 ms)
    cache_key = (hashlib.sha256(data).digest(),
                 hashlib.sha256(passphrase).digest() if passphrase else None)
    if cache_key not in _PARSED:
        _PARSED.clear()
        _PARSED[cache_key] = _load_key(data, passphrase, signing)
    key, p12_certs = _PARSED[cache_key]
    certs = _load_certs(_read(root, signing, "cert", signing.cert), "cert", signing.cert,
                        signing, passphrase) if signing.cert else p12_certs
    if not certs:
        raise SigningError(f"signing.cert: no certificate in '{signing.cert}'",
                           _where(signing, "cert"))
    chain = list(certs[1:]) + [c for c in p12_certs if c not in certs]
    for rel in signing.chain:
        chain += _load_certs(_read(root, signing, "chain", rel), "chain", rel, signing, None)
    return KeyFiles(certs[0], tuple(dict.fromkeys(chain)), key)


def key_matches(files: KeyFiles) -> bool:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    if files.key is None:
        return True
    def spki(k: Any) -> bytes:
        return bytes(k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
    return spki(files.key.public_key()) == spki(files.cert.public_key())


def identity(files: KeyFiles, signing: Signing) -> str:
    """What a signed PDF's inputs hash says of its signer: the public key, the certificates
    and the settings. Taken from the certificate (whose public key is the key's, once
    key_matches), so `clarion status` can tell without the private key or its passphrase."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    digest = hashlib.sha256(b"clarion signing 1\n")
    digest.update(files.cert.public_key().public_bytes(Encoding.DER,
                                                       PublicFormat.SubjectPublicKeyInfo))
    for c in (files.cert, *files.chain):
        digest.update(c.public_bytes(Encoding.DER))
    digest.update(repr((signing.reason, signing.visible, signing.tsa_url)).encode())
    return digest.hexdigest()


def signing_identity(root: Path, signing: Signing) -> str | None:
    """The identity signed PDFs are built with (see `identity`), or None when the files
    cannot be read without a passphrase or have a problem (`validate` says which)."""
    try:
        return identity(read_key_files(root, signing), signing)
    except SigningError:
        return None


def cert_problem(cert: x509.Certificate, now: datetime | None = None) -> str | None:
    """Why the certificate cannot sign today (expired, not yet valid), or None."""
    now = now or datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        return f"the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}; renew it"
    if cert.not_valid_before_utc > now:
        return f"the certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d}"
    return None


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


def check_signing(root: Path, signing: Signing,
                  passphrase: bytes | None = None) -> list[Problem]:
    """What `validate` says of `signing:`: missing files, a mismatched or expired certificate."""
    problems: list[Problem] = []
    key_path = Path(root) / signing.key
    try:
        files = read_key_files(root, signing, passphrase)
    except SigningError as e:
        return [Problem(e.location or Location("clarion.yaml"), e.message)]
    try:
        mode = key_path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(Problem(_where(signing, "key"), (
                f"signing.key: '{signing.key}' can be read by other users of this computer; "
                f"run `chmod 600 {signing.key}`"), "warning"))
    except OSError:
        pass
    if files.key is None:
        problems.append(Problem(_where(signing, "key"), (
            f"signing.key: '{signing.key}' is encrypted; set {PASSPHRASE_ENV} to check that it "
            "matches the certificate (the build asks for the passphrase on a terminal)"),
            "warning"))
    elif not key_matches(files):
        problems.append(Problem(_where(signing, "cert"), (
            f"signing.cert: '{signing.cert}' is not the certificate of the key '{signing.key}'; "
            "name the certificate that was made with this key")))
    why = cert_problem(files.cert)
    if why:
        problems.append(Problem(_where(signing, "cert"), f"signing.cert: {why}"))
    return problems


def check_workspace(ws: Workspace, broken: frozenset[str] | set[str] = frozenset()
                    ) -> list[Problem]:
    """The `validate` check of `signing:` (registered in clarion/pipeline/check.py's CHECKS)."""
    signing = ws.settings.signing
    if signing is None:
        return []
    problems = check_signing(ws.root, signing)
    url = signing.tsa_url
    if url and not url.startswith(("http://", "https://")):
        problems.append(Problem(_where(signing, "tsa_url"), (
            "signing.tsa_url: must be an http:// or https:// address of an RFC 3161 "
            "timestamp server")))
    return problems


class _CachedKeySigner:
    """pyHanko's SimpleSigner with the private key parsed once, not at every signature."""

    @staticmethod
    def make(cert: asn1_x509.Certificate, key: PrivateKeyTypes,
             chain: Sequence[asn1_x509.Certificate]) -> Any:
        from asn1crypto import keys
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params

        class Signer(signers.SimpleSigner):
            def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                mech = self.get_signature_mechanism_for_digest(digest_algorithm)
                algo = mech.signature_algo
                if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                    return key.sign(data, PKCS1v15(),
                                    get_pyca_cryptography_hash(digest_algorithm))
                if algo == "rsassa_pss" and isinstance(key, rsa.RSAPrivateKey):
                    padding, hash_algo = process_pss_params(mech["parameters"])
                    return key.sign(data, padding, hash_algo)
                if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                    return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
                if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
                    return key.sign(data)
                return bytes(super().sign_raw(data, digest_algorithm))

        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        return Signer(cert, keys.PrivateKeyInfo.load(der),
                      SimpleCertificateStore.from_certs([cert, *chain]))  # type: ignore[no-untyped-call]


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    from asn1crypto import x509 as ax
    from cryptography.hazmat.primitives.serialization import Encoding
    return ax.Certificate.load(cert.public_bytes(Encoding.DER))


@dataclass
class Signer:
    """An organisation's signing identity, loaded once and used for every PDF of a build."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    reason: str | None
    visible: bool
    tsa_url: str | None
    fingerprint: str                # changes with key, certificate, chain and settings
    _pyhanko: Any = field(repr=False)

    @classmethod
    def load(cls, root: Path, signing: Signing, passphrase: bytes | None = None) -> Signer:
        """Parse key, certificate and chain once; raise SigningError on any problem."""
        files = read_key_files(root, signing, passphrase)
        if files.key is None:
            raise SigningError(f"signing.key: '{signing.key}' is encrypted; set "
                               f"{PASSPHRASE_ENV} or run the build on a terminal to be asked "
                               "for the passphrase", _where(signing, "key"))
        if not key_matches(files):
            raise SigningError(f"signing.cert: '{signing.cert}' is not the certificate of the "
                               f"key '{signing.key}'", _where(signing, "cert"))
        why = cert_problem(files.cert)
        if why:
            raise SigningError(f"signing.cert: {why}", _where(signing, "cert"))
        pyhanko = _CachedKeySigner.make(_asn1(files.cert), files.key,
                                        [_asn1(c) for c in files.chain])
        return cls(files.cert, files.chain, signing.reason, signing.visible, signing.tsa_url,
                   identity(files, signing), pyhanko)

    @property
    def reserve(self) -> int:
        """Bytes kept for the signature: certificates, the signature itself, a timestamp."""
        from cryptography.hazmat.primitives.serialization import Encoding
        certs = sum(len(c.public_bytes(Encoding.DER)) for c in (self.cert, *self.chain))
        return 8192 + 2 * certs + (16384 if self.tsa_url else 0)

    @property
    def name(self) -> str:
        return signer_name(self.cert)

    def box(self) -> dict[str, str]:
        """What base.html's signature box shows (None of it private): signer and how to check."""
        return {"signer": self.name, "fingerprint": fingerprint(self.cert)[:23],
                "verify": VERIFY_HINT, "id": BOX_ID}

    def sign(self, pdf: bytes, *, location: str | None, reason: str | None = None,
             source: str = "document") -> bytes:
        """The PDF with a PAdES signature (B-B, or B-T with a timestamp server) over all of it."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers, timestamps
        from pyhanko.stamp import NoOpStampStyle
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
            if self.visible:  # the field over the box; its appearance empty, so the page shows
                page, rect = box_rectangle(writer.root, source)
                fields.append_signature_field(writer, fields.SigFieldSpec(
                    FIELD_NAME, on_page=page, box=rect,  # type: ignore[arg-type]
                    readable_field_name="Digital signature"))
            else:
                fields.append_signature_field(writer, fields.SigFieldSpec(FIELD_NAME))
            meta = signers.PdfSignatureMetadata(
                field_name=FIELD_NAME, md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES, reason=reason or self.reason,
                location=location, name=self.name)
            stamper = timestamps.HTTPTimeStamper(self.tsa_url, timeout=20) \
                if self.tsa_url else None
            pdf_signer = signers.PdfSigner(meta, self._pyhanko, timestamper=stamper,
                                           stamp_style=NoOpStampStyle())
            out = BytesIO()
            # a known size saves pyHanko a trial signature to measure one
            pdf_signer.sign_pdf(writer, output=out, existing_fields_only=True,
                                bytes_reserved=self.reserve)
            return out.getvalue()
        except ClarionError:
            raise
        except Exception as e:
            what = "the timestamp server did not answer" if self.tsa_url and \
                "time" in type(e).__name__.lower() + str(e).lower() else \
                f"{type(e).__name__}: {e}"
            raise SigningError(f"{source}: the PDF could not be signed ({what})") from e


def box_rectangle(root: Any, source: str = "document") -> tuple[int, tuple[float, float, float,
                                                                          float]]:
    """(page index, rectangle) of the signature box WeasyPrint laid out, from its anchor.

    WeasyPrint writes a named destination at the top-left corner of every element with an
    id; the box has a fixed size, so that corner is all there is to find.
    """
    dests = root.get("/Names", {}).get("/Dests") if "/Names" in root else None
    found = _find_name(dests, BOX_ID) if dests is not None else None
    if found is None:
        raise SigningError(f"{source}: `visible: true`, but the document has no signature box; "
                           "the template must extend base.html (or draw the box itself)")
    dest = found.get_object()
    if hasattr(dest, "keys") and "/D" in dest:
        dest = dest["/D"]
    page_ref, x, top = dest.raw_get(0), float(dest[2]), float(dest[3])
    pages = _pages(root.raw_get("/Pages"))
    index = next(i for i, p in enumerate(pages) if p.idnum == page_ref.idnum)
    return index, (x, top - BOX_HEIGHT, x + BOX_WIDTH, top)


def _find_name(node: Any, name: str) -> Any:
    node = node.get_object()
    if "/Names" in node:
        items = node["/Names"]
        for i in range(0, len(items) - 1, 2):
            if str(items[i]) == name:
                return items[i + 1]
    for kid in node.get("/Kids", []):
        hit = _find_name(kid, name)
        if hit is not None:
            return hit
    return None


def _pages(node: Any) -> list[Any]:
    obj = node.get_object()
    if obj.get("/Type") == "/Page":
        return [node]
    kids = obj["/Kids"]
    return [p for i in range(len(kids)) for p in _pages(kids.raw_get(i))]


# --- checking signatures (clarion verify) ---------------------------------------------------

@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says: None as `problem` means intact, whole-file and trusted."""

    signed: bool
    problem: str | None = None
    signer: str | None = None
    signed_at: str | None = None
    timestamped: bool = False


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Certificates from a PEM/DER file given with --cert (or the workspace's `cert:`)."""
    from cryptography import x509
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise SigningError(f"{path}: the certificate cannot be read ({e.strerror})") from None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningError(f"{path}: not a PEM or DER certificate") from None


def is_signed(data: bytes) -> bool:
    return b"/ByteRange" in data and b"/Contents" in data


def check_signature(data: bytes, trusted: Sequence[x509.Certificate]) -> SignatureCheck:
    """Check a PDF's signature against the given certificates (each also a trust root).

    Good means: exactly one signature, cryptographically intact, covering every byte of the
    file (nothing appended after it), made with one of `trusted` (or a certificate that
    chains up to one of them), valid at the time of checking.
    """
    with _quiet("pyhanko", "pyhanko_certvalidator"):  # failures are our result, not log lines
        return _check_signature(data, trusted)


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _check_signature(data: bytes, trusted: Sequence[x509.Certificate]) -> SignatureCheck:
    from cryptography import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as e:
        return SignatureCheck(is_signed(data), f"not a readable PDF ({type(e).__name__})")
    if not sigs:
        return SignatureCheck(False, "not signed")
    if len(sigs) > 1:
        return SignatureCheck(True, f"{len(sigs)} signatures; Clarion signs once")
    sig = sigs[0]
    roots = [_asn1(c) for c in trusted]
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                    revocation_mode="soft-fail")
        # a signing certificate may say "digital signature" or "non-repudiation"
        usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                    match_all_key_usages=False)
        status = validate_pdf_signature(sig, context, key_usage_settings=usage)
    except Exception as e:
        return SignatureCheck(True, f"the signature is damaged ({type(e).__name__})")
    cert = status.signing_cert
    name = signer_name(x509.load_der_x509_certificate(cert.dump())) if cert is not None \
        else None
    when = status.signer_reported_dt.isoformat(timespec="seconds") \
        if status.signer_reported_dt else None
    result = dict(signed=True, signer=name, signed_at=when,
                  timestamped=status.timestamp_validity is not None)
    if not status.intact or not status.valid:
        return SignatureCheck(**result, problem="the signature does not match the content: "  # type: ignore[arg-type]
                              "the file was changed after signing")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(**result, problem="something was added to the file after it "  # type: ignore[arg-type]
                              "was signed (an incremental update)")
    leaf = cert.dump() if cert is not None else b""
    if not status.trusted and not any(r.dump() == leaf for r in roots):
        return SignatureCheck(**result, problem=f"signed by {name}, not by the expected "  # type: ignore[arg-type]
                              "certificate")
    if not status.trusted:
        return SignatureCheck(**result, problem="the signer's certificate is not valid "  # type: ignore[arg-type]
                              "(expired, or not allowed to sign)")
    return SignatureCheck(**result)  # type: ignore[arg-type]


# --- making a key (clarion keys new) ----------------------------------------------------------

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


# --- checking files against signatures and manifests (clarion verify) -------------------------

@dataclass(frozen=True)
class FileCheck:
    """One line of `clarion verify`: a file and what is wrong with it (None: all good)."""

    path: str
    problem: str | None
    signed: bool = False
    signer: str | None = None
    signed_at: str | None = None


def verify_paths(paths: Sequence[Path], trusted: Sequence[x509.Certificate]) -> list[FileCheck]:
    """Check files and campaign folders (or a whole build folder) as `clarion verify` does."""
    from .files import MANIFEST
    results: list[FileCheck] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            folders = [path] if (path / MANIFEST).is_file() else sorted(
                p.parent for p in path.glob(f"*/{MANIFEST}"))
            if not folders:
                results.append(FileCheck(str(path), f"no {MANIFEST} here or in its folders: "
                                                     "not a campaign or build folder"))
            for folder in folders:
                results += verify_folder(folder, trusted)
        elif path.is_file():
            entries = _manifest(path.parent)
            results.append(verify_file(path, entries, trusted))
        else:
            results.append(FileCheck(str(path), "not found"))
    return results


def _manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest's entries by file name; None when there is none; {} when unreadable."""
    from .files import MANIFEST, read_manifest
    if not (folder / MANIFEST).is_file():
        return None
    return read_manifest(folder)


def verify_folder(folder: Path, trusted: Sequence[x509.Certificate]) -> list[FileCheck]:
    from .files import MANIFEST
    entries = _manifest(folder) or {}
    if not entries:
        return [FileCheck(str(folder / MANIFEST), "unreadable or lists no outputs")]
    on_disk = {p.name for p in folder.iterdir() if p.suffix in (".pdf", ".md", ".html")
               and not p.name.startswith(".")}
    results = []
    for name in sorted(set(entries) | on_disk):
        path = folder / name
        if name not in on_disk or not path.is_file():
            results.append(FileCheck(str(path), f"listed in {MANIFEST} but missing"))
        else:
            results.append(verify_file(path, entries, trusted))
    return results


def verify_file(path: Path, entries: Mapping[str, Any] | None,
                trusted: Sequence[x509.Certificate]) -> FileCheck:
    """A file against its manifest entry (when there is a manifest) and, if a PDF, its
    signature; a PDF on its own (sent by e-mail, say) is checked by its signature alone."""
    from .files import MANIFEST, sha256
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return FileCheck(where, f"cannot be read ({e.strerror})")
    entry = entries.get(path.name) if entries is not None else None
    if entries is not None and entry is None:
        return FileCheck(where, f"not listed in {MANIFEST}: not an output of this build")
    is_pdf = path.suffix.lower() == ".pdf"
    sig = SignatureCheck(False)
    if is_pdf and (is_signed(data) or (entry or {}).get("signed")):
        if not trusted:
            return FileCheck(where, "no certificate to check the signature against; pass "
                                    "--cert FILE or run in the workspace that signed it", True)
        sig = check_signature(data, trusted)
        if sig.problem and sig.signed:
            return FileCheck(where, sig.problem, True, sig.signer, sig.signed_at)
        if not sig.signed and (entry or {}).get("signed"):
            return FileCheck(where, f"not signed, but {MANIFEST} says it was")
    found = dict(signed=sig.signed, signer=sig.signer, signed_at=sig.signed_at)
    if entry is not None:
        if sha256(data) != entry.get("sha256"):
            return FileCheck(where, f"does not match its {MANIFEST} entry: changed since the "
                                    "build", **found)  # type: ignore[arg-type]
        if sig.signed and not entry.get("signed"):
            return FileCheck(where, f"signed, but {MANIFEST} says it was not",
                             **found)  # type: ignore[arg-type]
        return FileCheck(where, None, **found)  # type: ignore[arg-type]
    if sig.signed:
        return FileCheck(where, None, **found)  # type: ignore[arg-type]
    if is_pdf:
        return FileCheck(where, f"not signed, and no {MANIFEST} beside it to check it against")
    return FileCheck(where, f"no {MANIFEST} beside it: nothing to check it against")
