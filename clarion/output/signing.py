"""PAdES signing: the organisation's key loaded once, each PDF signed over all its bytes."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClarionError
from ..limits import MAX_TSA_BYTES, TSA_SECONDS
from .certificates import asn1, fingerprint, quiet_pyhanko, signer_name
from .keys import (
    PASSPHRASE_ENV,
    SignerSettings,
    SigningError,
    cert_problem,
    identity,
    key_matches,
    loc_of,
    read_key_files,
)
from .network import AddressRefused, RemoteRefused, address_check, request_remote

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

#: the id (HTML) and named destination (PDF) of the visible signature box
BOX_ID = "clarion-signature"
#: the box's size in points, as base.html draws it (80 mm × 20 mm)
BOX_WIDTH, BOX_HEIGHT = 80 / 25.4 * 72, 20 / 25.4 * 72
FIELD_NAME = "Signature1"
VERIFY_HINT = "clarion verify, or the signature panel of a PDF reader"


class _CachedKeySigner:
    """pyHanko's SimpleSigner with the private key parsed once, not at every signature."""

    @staticmethod
    def make(cert: asn1_x509.Certificate, key: PrivateKeyTypes,
             chain: Sequence[asn1_x509.Certificate]) -> Any:
        quiet_pyhanko()
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
    #: `clarion --allow-local-network`: the timestamp server may be on a local address
    allow_local_network: bool = False

    @classmethod
    def load(cls, root: Path, signing: SignerSettings, passphrase: bytes | None = None,
             allow_local_network: bool = False) -> Signer:
        """Parse key, certificate and chain once; raise SigningError on any problem."""
        files = read_key_files(root, signing, passphrase)
        if files.key is None:
            raise SigningError(f"signing.key: '{signing.key}' is encrypted; set "
                               f"{PASSPHRASE_ENV} or run the build on a terminal to be asked "
                               "for the passphrase", loc_of(signing, "key"))
        if not key_matches(files):
            raise SigningError(f"signing.cert: '{signing.cert}' is not the certificate of the "
                               f"key '{signing.key}'", loc_of(signing, "cert"))
        why = cert_problem(files.cert)
        if why:
            raise SigningError(f"signing.cert: {why}", loc_of(signing, "cert"))
        pyhanko = _CachedKeySigner.make(asn1(files.cert), files.key,
                                        [asn1(c) for c in files.chain])
        return cls(files.cert, files.chain, signing.reason, signing.visible, signing.tsa_url,
                   identity(files, signing), pyhanko, allow_local_network)

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
        quiet_pyhanko()
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
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
            stamper = pinned_timestamper(self.tsa_url, self.allow_local_network) \
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


def pinned_timestamper(url: str, allow_local_network: bool = False) -> Any:
    """A pyHanko timestamper whose request goes out as every Clarion connection does
    (clarion.output.network): the server's name looked up once, refused when any of its
    addresses is local or private (unless `allow_local_network`), the connection made to the
    address checked, no redirect followed, the answer's size capped."""
    import asyncio

    quiet_pyhanko()
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers

    class PinnedTimeStamper(TimeStamper):
        async def async_request_tsa_response(self, req: Any) -> Any:
            def post() -> Any:
                try:
                    data, kind = request_remote(url, req.dump(), set_tsp_headers({}),
                                                public=address_check(allow_local_network),
                                                timeout=TSA_SECONDS, max_bytes=MAX_TSA_BYTES)
                except AddressRefused as e:
                    raise SigningError(f"signing.tsa_url: the timestamp server {url} was not "
                                       f"asked: {e}") from None
                except RemoteRefused as e:
                    raise TimestampRequestError(f"timestamp server: {e}") from None
                if kind != "application/timestamp-reply":
                    raise TimestampRequestError("the timestamp server's answer is malformed")
                return tsp.TimeStampResp.load(data)
            return await asyncio.to_thread(post)

    return PinnedTimeStamper()  # type: ignore[no-untyped-call]


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


