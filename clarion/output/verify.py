"""Checking signatures and files: one PDF's signature, and files against their manifest."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .certificates import asn1, signer_name
from .files import MANIFEST, read_manifest, sha256

if TYPE_CHECKING:
    from cryptography import x509

@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says: None as `problem` means intact, whole-file and trusted."""

    signed: bool
    problem: str | None = None
    signer: str | None = None
    signed_at: str | None = None
    timestamped: bool = False


def is_signed(data: bytes) -> bool:
    """Whether the PDF's bytes hold a signature (without checking it)."""
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
    roots = [asn1(c) for c in trusted]
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
    if not (folder / MANIFEST).is_file():
        return None
    return read_manifest(folder)


def verify_folder(folder: Path, trusted: Sequence[x509.Certificate]) -> list[FileCheck]:
    """Every output of a campaign folder against its manifest, and each manifest entry
    against the folder (a listed file that is missing)."""
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

