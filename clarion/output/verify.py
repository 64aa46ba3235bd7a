"""`clarion verify`: files and campaign folders against their sealed manifests, PDFs by signature."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..formats import FORMATS
from ..limits import MAX_VERIFY_BYTES, MB
from ..safefile import FileError, read_file
from .files import MANIFEST, ManifestReading, read_sealed_manifest, sha256
from .signature import SignatureCheck, check_signature, is_signed

if TYPE_CHECKING:
    from cryptography import x509

__all__ = [
    "FileCheck",
    "SignatureCheck",
    "Trust",
    "check_signature",
    "is_signed",
    "verify_file",
    "verify_folder",
    "verify_paths",
]


@dataclass(frozen=True)
class Trust:
    """Whom `verify` trusts: `roots` are trust anchors (`--cert`, else the user's `trust:`,
    else the workspace certificate); `intermediates` only help build a chain to them
    (`signing: chain:`), never trusted themselves."""

    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class FileCheck:
    """One line of `clarion verify`: a file and what is wrong with it (None: all good)."""

    path: str
    problem: str | None
    signed: bool = False
    signer: str | None = None
    signed_at: str | None = None
    #: where `signed_at` comes from: "timestamp" (a trusted timestamp) or "claimed" (the
    #: signer's own clock)
    time_source: str | None = None


def verify_paths(paths: Sequence[Path], roots: Sequence[x509.Certificate],
                 intermediates: Sequence[x509.Certificate] = ()) -> list[FileCheck]:
    """Check files and campaign folders (or a whole build folder) as `clarion verify` does,
    against the trust `roots` (the caller chooses them: `--cert`, the user's `trust:`, the
    workspace certificate), with `intermediates` to build chains."""
    trust = Trust(tuple(roots), tuple(intermediates))
    results: list[FileCheck] = []
    for path in paths:
        path = Path(path)
        if path.is_dir() and not path.is_symlink():
            folders = [path] if _exists(path / MANIFEST) else sorted(
                p.parent for p in path.glob(f"*/{MANIFEST}") if not p.parent.is_symlink())
            if not folders:
                results.append(FileCheck(str(path), f"no {MANIFEST} here or in its folders: "
                                                     "not a campaign or build folder"))
            for folder in folders:
                results += verify_folder(folder, trust)
        elif path.is_symlink():
            results.append(FileCheck(str(path), "a symbolic link: not followed; name the file "
                                                "itself"))
        elif path.exists():  # a pipe or a device is named as such by verify_file, not read
            results.append(verify_file(path, read_sealed_manifest(path.parent), trust))
        else:
            results.append(FileCheck(str(path), "not found"))
    return results


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _unsealed(reading: ManifestReading) -> str:
    return f"{MANIFEST} is not sealed by you: {reading.problem}"


def verify_folder(folder: Path, trust: Trust) -> list[FileCheck]:
    """Every output of a campaign folder against its sealed manifest, and each manifest entry
    against the folder (a listed file that is missing). A manifest this user did not seal is
    itself a failure; then each PDF is checked by its signature alone, and every other file
    fails (there is nothing trustworthy to check it against)."""
    reading = read_sealed_manifest(folder)
    results = []
    if not reading.sealed:
        results.append(FileCheck(str(folder / MANIFEST), _unsealed(reading)))
    elif not reading.entries:
        return [FileCheck(str(folder / MANIFEST), "lists no outputs")]
    on_disk = {p.name for p in folder.iterdir() if _output_shaped(p.name)}
    names = sorted(on_disk | set(reading.entries)) if reading.sealed else sorted(on_disk)
    for name in names:
        path = folder / name
        if name not in on_disk:
            results.append(FileCheck(str(path), f"listed in {MANIFEST} but missing"))
        else:
            results.append(verify_file(path, reading, trust))
    return results


def _output_shaped(name: str) -> bool:
    """A file a build may have written: `<stem>.<format>` for any known format (new formats
    are checked like the rest, with no change here)."""
    stem, dot, ext = name.rpartition(".")
    return bool(dot and stem and not name.startswith(".") and ext in FORMATS)


#: why `verify` did not read a file, by the kind of refusal (clarion.safefile)
_REFUSED = {"link": "a symbolic link: not followed; name the file itself",
            "special": "not a regular file (a device, a pipe or a folder): not read",
            "hard-link": "has more than one hard link (Clarion never makes one): not read",
            "too-big": f"larger than {MAX_VERIFY_BYTES // MB} MB: not read"}


def _read(path: Path) -> bytes | str:
    """The file's bytes, or why it cannot be read: a plain file (no link, FIFO, device, hard
    link) of bounded size, opened without following a link (clarion.safefile)."""
    try:
        return read_file(path.parent, path.name, MAX_VERIFY_BYTES, shown=str(path))
    except FileError as e:
        return _REFUSED.get(e.kind, e.why)


def verify_file(path: Path, reading: ManifestReading, trust: Trust) -> FileCheck:
    """A file against its sealed manifest entry and, if a PDF, its signature; a PDF without a
    sealed manifest (sent by e-mail, say) is checked by its signature alone."""
    where = str(path)
    data = _read(path)
    if isinstance(data, str):
        return FileCheck(where, data)
    entries: Mapping[str, Any] | None = reading.entries if reading.sealed else None
    entry = entries.get(path.name) if entries is not None else None
    if entries is not None and entry is None:
        return FileCheck(where, f"not listed in {MANIFEST}: not an output of this build")
    is_pdf = path.suffix.lower() == ".pdf"
    sig = SignatureCheck(False)
    if is_pdf and (is_signed(data) or (entry or {}).get("signed")):
        if not trust.roots:
            return FileCheck(where, "no certificate to check the signature against; pass "
                                    "--cert FILE or run in the workspace that signed it", True)
        sig = check_signature(data, trust.roots, trust.intermediates)
        if sig.problem and sig.signed:
            return FileCheck(where, sig.problem, True, sig.signer, sig.signed_at,
                             sig.time_source)
        if not sig.signed and (entry or {}).get("signed"):
            return FileCheck(where, f"not signed, but {MANIFEST} says it was")
    found: dict[str, Any] = dict(signed=sig.signed, signer=sig.signer,
                                 signed_at=sig.signed_at, time_source=sig.time_source)
    if entry is not None:
        if sha256(data) != entry.get("sha256"):
            return FileCheck(where, f"does not match its {MANIFEST} entry: changed since the "
                                    "build", **found)
        if sig.signed and not entry.get("signed"):
            return FileCheck(where, f"signed, but {MANIFEST} says it was not", **found)
        return FileCheck(where, None, **found)
    if sig.signed:
        return FileCheck(where, None, **found)
    if reading.present:
        return FileCheck(where, ("not signed, and " if is_pdf else "nothing to check it "
                                 "against: ") + _unsealed(reading))
    if is_pdf:
        return FileCheck(where, f"not signed, and no {MANIFEST} beside it to check it against")
    return FileCheck(where, f"no {MANIFEST} beside it: nothing to check it against")
