"""The only writer to the output folder: safe paths, whole files, manifests."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..formats import FORMATS, ID_RE
from ..limits import MAX_MANIFEST_BYTES, MAX_VERIFY_BYTES, MB
from ..safefile import FileRefused, FileUnreadable, read_file, read_json

MANIFEST = "manifest.json"
#: the user's sealing key is 32 bytes; a larger file is not one
KEY_FILE_BYTES = 4096
#: one output as manifest.json describes it
Entry = dict[str, Any]


@dataclass
class Output:
    """One file to write, with what the manifest says of it."""

    file: str            # name inside build/<campaign>/
    format: str
    recipient: str | None
    language: str
    data: bytes
    inputs: str
    signed: bool = False
    unsigned_sha256: str | None = None
    #: what the document read: key (`case:ilgar-mammadov`, `template:open-letter.html`…) →
    #: its digest, keyed with the user's secret (clarion.pipeline.reads)
    reads: dict[str, str] = field(default_factory=dict)
    content: str = ""    # the document's content hash: what it read, without the signer

    @property
    def sha256(self) -> str:
        return sha256(self.data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_join(base: Path, *parts: str) -> Path:
    """`base/part/…`, refusing any id-derived part that is not a plain id-shaped name."""
    for part in parts:
        stem = part.rsplit(".", 1)[0] if "." in part else part
        if not ID_RE.fullmatch(stem) or part.count(".") > 1 or "/" in part or "\\" in part:
            raise OutputError(f"refusing to write '{part}': not a safe file name")
    try:
        target = base.resolve().joinpath(*parts).resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise OutputError(f"refusing to write through the link {base.name}/{'/'.join(parts)} "
                          "(a loop of links); remove it") from None
    if not target.is_relative_to(base.resolve()):
        raise OutputError(f"refusing to write outside {base}: {'/'.join(parts)}")
    # a link inside the output folder (build/<campaign> → elsewhere) leads outside too;
    # so would a link at the last step, which os.replace would swap for the file anyway
    for depth in range(1, len(parts) + 1):
        if base.joinpath(*parts[:depth]).is_symlink():
            raise OutputError(f"refusing to write through the link "
                              f"{base.name}/{'/'.join(parts[:depth])}; remove it")
    return target


def _umask() -> int:
    """This process's umask (read by setting it, and setting it back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temp file beside it, flushed, then renamed over.
    The file gets the mode the user's umask gives a new file (a temp file is made readable
    by its owner only), so colleagues on a shared drive can open what the user can."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _plain_file(path: Path) -> bool:
    """A regular file that is not a link: the only kind the build folder is read from."""
    try:
        return not path.is_symlink() and stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _output_name(name: object) -> bool:
    """`<id>.<pdf|md|html|eml>`: the only names a manifest may speak of (not `../../x`)."""
    if not isinstance(name, str) or name.count(".") != 1:
        return False
    stem, ext = name.split(".")
    return ext in FORMATS and ID_RE.fullmatch(stem) is not None


def _key_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                              "state")
    return Path(state) / "clarion" / "manifest-key"


def manifest_key() -> bytes | None:
    """This user's secret for sealing manifests, made on first use (None if it cannot be)."""
    path = _key_path()
    try:  # the user's own file: read where it is, but never a pipe or a huge file
        key = read_file(path.parent, path.name, KEY_FILE_BYTES, own=True)
        if len(key) >= 32:
            return key[:64]
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        key = read_file(path.parent, path.name, KEY_FILE_BYTES, own=True)
        return key[:64] if len(key) >= 32 else None
    except OSError:
        return None


def _seal(outputs: object) -> str | None:
    """The manifest's seal: an HMAC of its entries with this user's key. A manifest that
    came with a workspace (or was edited) has no valid seal, so none of it is trusted."""
    key = manifest_key()
    if key is None:
        return None
    body = json.dumps(outputs, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _load_manifest(folder: Path) -> tuple[dict[str, dict[str, Any]], bool]:
    """(entries by file name, whether the manifest carries a valid seal)."""
    reading = read_sealed_manifest(folder)
    return reading.entries, reading.sealed


#: why a manifest was not read, by the kind of refusal (clarion.safefile)
_MANIFEST_REFUSED = {"link": "it is a link or not a regular file",
                     "special": "it is a link or not a regular file",
                     "hard-link": "it has more than one hard link (Clarion never makes one)",
                     "too-big": f"it is larger than {MAX_MANIFEST_BYTES // MB} MB"}


@dataclass(frozen=True)
class ManifestReading:
    """A campaign's manifest as read, with the seal's verdict: `problem` says why it is not
    to be trusted (None: sealed with this user's key)."""

    entries: dict[str, dict[str, Any]]
    sealed: bool
    problem: str | None
    present: bool = True


def read_sealed_manifest(folder: Path) -> ManifestReading:
    """The manifest's entries (names `<id>.<format>` only) and whether this user sealed it;
    when not, `problem` says why (for `verify` and `status`, which name it)."""
    try:  # a workspace may carry a build/ of its own: no link, no pipe, no huge file
        data = read_json(folder, MANIFEST, MAX_MANIFEST_BYTES,
                         shown=f"{folder.name}/{MANIFEST}")
    except FileUnreadable as e:
        if e.kind == "missing":
            return ManifestReading({}, False, "there is none", present=False)
        return ManifestReading({}, False, "it cannot be read as a manifest")
    except FileRefused as e:
        return ManifestReading({}, False, _MANIFEST_REFUSED.get(e.kind, "it cannot be read "
                                                                          "as a manifest"))
    try:
        outputs = data.get("outputs", [])
        entries = {o["file"]: o for o in outputs
                   if isinstance(o, dict) and _output_name(o.get("file"))}
        seal = _seal(outputs)
    except (ValueError, AttributeError, TypeError, KeyError, RecursionError):
        return ManifestReading({}, False, "it cannot be read as a manifest")
    given = data.get("seal")
    if seal is None:
        return ManifestReading(entries, False, "this computer has no key to check seals with "
                               "($XDG_STATE_HOME/clarion/manifest-key cannot be made)")
    if not isinstance(given, str) or not given.strip("0"):
        return ManifestReading(entries, False, "it carries no seal (made elsewhere, or edited)")
    if not hmac.compare_digest(given, seal):
        return ManifestReading(entries, False, "its seal does not match (edited after the "
                               "build, or built by someone else)")
    return ManifestReading(entries, True, None)


def seal_bytes(label: str, data: bytes) -> str | None:
    """An HMAC of `data` with this user's key, for another of Clarion's own records (the send
    log): `label` keeps one record's seal from passing for another's."""
    key = manifest_key()
    if key is None:
        return None
    return hmac.new(key, label.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest()


def trusted_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The entries of a campaign's manifest that a build may rely on, by file name.

    A manifest is Clarion's own record: one that is not sealed with this user's key (shipped
    in a workspace's build/, or edited) counts as empty, and an entry whose file is missing,
    not a plain file, or not what the manifest's hash says (tampered with) is dropped, so that
    the file is made again and nothing of the forged entry is carried over.
    """
    entries, sealed = _load_manifest(folder)
    if not sealed:
        return {}
    return {name: e for name, e in entries.items() if _matches(folder / name, e.get("sha256"))}


def _matches(path: Path, digest: object) -> bool:
    """`path` is a plain file whose content has the sha256 `digest`."""
    if not isinstance(digest, str):
        return False
    return read_built(path.parent, path.name, digest) is not None


def read_built(folder: Path, file: str, digest: str) -> bytes | None:
    """A built output's bytes, when it is a plain file (no link, one hard link, at most
    MAX_VERIFY_BYTES) whose sha256 is `digest`."""
    if not _output_name(file):
        return None
    try:
        data = read_file(folder, file, MAX_VERIFY_BYTES)
    except OSError:
        return None
    return data if sha256(data) == digest else None


def manifest_entry(o: Output) -> Entry:
    """What the manifest says of one output (its bytes left out)."""
    return {"file": o.file, "format": o.format, "recipient": o.recipient,
            "language": o.language, "signed": o.signed, "sha256": o.sha256,
            "unsigned_sha256": o.unsigned_sha256 or o.sha256, "inputs": o.inputs,
            "content": o.content, "reads": dict(sorted(o.reads.items()))}


def parts(folder: str) -> list[str]:
    """A folder under the output folder as path parts: `alerts/2014-10-06` is two."""
    return folder.split("/")


def write_output(out: Path, campaign: str, o: Output) -> Path:
    """Write one output whole (a temp file renamed over), at a checked path."""
    path = safe_join(out, *parts(campaign), o.file)
    write_atomic(path, o.data)
    return path


def write_manifest(out: Path, campaign: str, entries: dict[str, Entry]) -> None:
    """Write `build/<campaign>/manifest.json`, its outputs in name order, sealed."""
    folder = safe_join(out, *parts(campaign))
    listed = [entries[k] for k in sorted(entries)]
    manifest = {"campaign": campaign, "outputs": listed, "seal": _seal(listed)}
    write_atomic(folder / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False)
                                     + "\n").encode("utf-8"))


def remove_outputs(out: Path, campaign: str, files: list[str]) -> list[Path]:
    """Remove these outputs of a campaign: only output-shaped names, only plain files."""
    removed = []
    for name in files:
        if not _output_name(name):
            continue
        path = safe_join(out, *parts(campaign), name)
        if _plain_file(path):
            path.unlink()
            removed.append(path)
    return removed


def remove_stale_temps(out: Path, campaign: str) -> None:
    """Remove temp files a killed build left beside the outputs (`.<output>.*.tmp`)."""
    folder = out.joinpath(*parts(campaign))
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in folder.glob(".*.tmp"):
        target = path.name[1:].split(".", 2)
        if len(target) == 3 and (_output_name(".".join(target[:2]))
                                 or ".".join(target[:2]) == MANIFEST) and _plain_file(path):
            path.unlink()


def clean_campaign(out: Path, campaign: str) -> list[Path]:
    """Remove every output a sealed manifest lists (and is unchanged), then the manifest and
    the folder if empty. A manifest Clarion did not seal removes nothing."""
    folder = safe_join(out, campaign)
    _, sealed = _load_manifest(folder)
    if not sealed:
        return []
    removed = remove_outputs(out, campaign, sorted(trusted_manifest(folder)))
    remove_stale_temps(out, campaign)
    manifest = folder / MANIFEST
    if _plain_file(manifest):
        manifest.unlink()
        removed.append(manifest)
    try:
        folder.rmdir()
    except OSError:  # something Clarion did not write is still there: leave it
        pass
    return removed

