"""One PDF's signature checked as a PDF reader would: intact, whole file, trusted chain, valid
certificate at the signing time, a key allowed to sign."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any

from .certificates import asn1, quiet_pyhanko, signer_name, usage_problem, validity_problem

if TYPE_CHECKING:
    from cryptography import x509

#: how the signing time was known: a timestamp from a trusted authority, or the signer's clock
TIMESTAMP, CLAIMED = "timestamp", "claimed"


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says: None as `problem` means intact, whole-file and trusted."""

    signed: bool
    problem: str | None = None
    signer: str | None = None
    signed_at: str | None = None
    timestamped: bool = False
    #: where `signed_at` comes from: TIMESTAMP (a trusted timestamp) or CLAIMED (the signer's
    #: own clock, which a signer can set to anything)
    time_source: str | None = None


def is_signed(data: bytes) -> bool:
    """Whether the PDF's bytes hold a signature (without checking it)."""
    return b"/ByteRange" in data and b"/Contents" in data


def check_signature(data: bytes, roots: Sequence[x509.Certificate],
                    intermediates: Sequence[x509.Certificate] = ()) -> SignatureCheck:
    """Check a PDF's signature against trust `roots`, with `intermediates` to build the chain
    (never trusted themselves).

    Good means: exactly one signature, cryptographically intact, covering every byte of the
    file (nothing appended after it), made with a certificate that chains up to one of
    `roots` (or is one), that was valid at the signing time and whose key usage allows
    signing. The signing time is that of an embedded timestamp whose authority chains to
    `roots`, else the time the signer's computer wrote into the signature.
    """
    with _quiet("pyhanko", "pyhanko_certvalidator"):  # failures are our result, not log lines
        return _check_signature(data, roots, intermediates)


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


def _context(roots: list[Any], others: list[Any], moment: datetime | None) -> Any:
    quiet_pyhanko()
    from pyhanko_certvalidator import ValidationContext
    return ValidationContext(trust_roots=roots, other_certs=others, moment=moment,
                             allow_fetching=False, revocation_mode="soft-fail")


def _validate(sig: Any, roots: list[Any], others: list[Any], moment: datetime | None) -> Any:
    quiet_pyhanko()
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    # a signing certificate may say "digital signature" or "non-repudiation"
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                match_all_key_usages=False)
    return validate_pdf_signature(sig, _context(roots, others, moment),
                                  key_usage_settings=usage)


def _signing_time(status: Any) -> tuple[datetime | None, str | None]:
    """The time to judge the certificate at: a trusted, intact timestamp's, else the
    signer's own claim."""
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid and ts.trusted:
        return ts.timestamp, TIMESTAMP
    if status.signer_reported_dt is not None:
        return status.signer_reported_dt, CLAIMED
    return None, None


def _check_signature(data: bytes, trusted: Sequence[x509.Certificate],
                     intermediates: Sequence[x509.Certificate]) -> SignatureCheck:
    quiet_pyhanko()
    from cryptography import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as e:
        return SignatureCheck(is_signed(data), f"not a readable PDF ({type(e).__name__})")
    if not sigs:
        return SignatureCheck(False, "not signed")
    if len(sigs) > 1:
        return SignatureCheck(True, f"{len(sigs)} signatures; Clarion signs once")
    roots, others = [asn1(c) for c in trusted], [asn1(c) for c in intermediates]
    try:
        first = _validate(sigs[0], roots, others, None)
        when, source = _signing_time(first)
        # judged again at the signing time: a certificate that has expired since is fine,
        # one that had expired (or was not yet valid) when it signed is not
        status = _validate(sigs[0], roots, others, when) if when is not None else first
    except Exception as e:
        return SignatureCheck(True, f"the signature is damaged ({type(e).__name__})")
    cert = x509.load_der_x509_certificate(status.signing_cert.dump()) \
        if status.signing_cert is not None else None
    name = signer_name(cert) if cert is not None else None
    result: dict[str, Any] = dict(
        signed=True, signer=name, timestamped=first.timestamp_validity is not None,
        signed_at=when.isoformat(timespec="seconds") if when else None, time_source=source)
    problem = _problem(status, cert, name, when, source, trusted)
    if problem is None and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problem = "modified after signing: something was added to the file after it was " \
                  "signed (an incremental update)"
    return SignatureCheck(**result, problem=problem)


def _problem(status: Any, cert: x509.Certificate | None, name: str | None,
             when: datetime | None, source: str | None,
             trusted: Sequence[x509.Certificate]) -> str | None:
    """The first reason, in a reader's order, why this signature does not count."""
    if not status.intact or not status.valid:
        return "modified after signing: the signature does not match the content (the file " \
               "was changed after signing)"
    if cert is None:
        return "the signature names no certificate"
    at = when or datetime.now(UTC)
    clock = "by the timestamp" if source == TIMESTAMP else "by the signer's own clock"
    why = validity_problem(cert, at)
    if why:
        return f"{why} when it signed ({at:%Y-%m-%d %H:%M} UTC, {clock})"
    why = usage_problem(cert)
    if why:
        return why
    if status.trusted:
        return None
    if any(_der(t) == _der(cert) for t in trusted):
        indic = status.trust_problem_indic
        return f"the signer's certificate is not valid ({_indication(indic)})"
    return f"signed by {name}, not by the expected certificate (untrusted chain: it does " \
           "not lead to a certificate you trust)"


def _der(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding
    return cert.public_bytes(Encoding.DER)


def _indication(indic: Any) -> str:
    """pyHanko's AdES sub-indication in words (EXPIRED → expired)."""
    if indic is None:
        return "rejected by the path validation"
    return str(getattr(indic, "name", indic)).lower().replace("_", " ")
