"""The only writer to the output folder: safe paths, whole files, manifests."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..workspace.schema import ID_RE

MANIFEST = "manifest.json"
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
    target = base.resolve().joinpath(*parts).resolve()
    if not target.is_relative_to(base.resolve()):
        raise OutputError(f"refusing to write outside {base}: {'/'.join(parts)}")
    # a link inside the output folder (build/<campaign> → elsewhere) leads outside too;
    # so would a link at the last step, which os.replace would swap for the file anyway
    for depth in range(1, len(parts) + 1):
        if base.joinpath(*parts[:depth]).is_symlink():
            raise OutputError(f"refusing to write through the link "
                              f"{base.name}/{'/'.join(parts[:depth])}; remove it")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temp file beside it, flushed, then renamed over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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


MAX_MANIFEST_BYTES = 10 * 1024 * 1024


def _plain_file(path: Path) -> bool:
    """A regular file that is not a link: the only kind the build folder is read from."""
    try:
        return not path.is_symlink() and stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _output_name(name: object) -> bool:
    """`<id>.<pdf|md|html>`: the only names a manifest may speak of (not `../../x`)."""
    if not isinstance(name, str) or name.count(".") != 1:
        return False
    stem, ext = name.split(".")
    return ext in ("pdf", "md", "html", "eml") and ID_RE.fullmatch(stem) is not None


def read_manifest(folder: Path) -> dict[str, Entry]:
    path = folder / MANIFEST
    if not _plain_file(path):  # a workspace may carry a build/ of its own: trust no link
        return {}
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            return {}
        data = json.loads(raw.decode("utf-8"))
        return {o["file"]: o for o in data.get("outputs", [])
                if isinstance(o, dict) and _output_name(o.get("file"))}
    except (OSError, ValueError, AttributeError, TypeError, KeyError, RecursionError):
        return {}


def is_current(folder: Path, file: str, inputs: str, previous: dict[str, Entry]) -> bool:
    """True when `file` exists as the manifest recorded it and was built from the same inputs."""
    entry = previous.get(file)
    path = folder / file
    if not entry or entry.get("inputs") != inputs or not _plain_file(path):
        return False
    try:
        return bool(sha256(path.read_bytes()) == entry.get("sha256"))
    except OSError:
        return False


def manifest_entry(o: Output) -> Entry:
    """What the manifest says of one output (its bytes left out)."""
    return {"file": o.file, "format": o.format, "recipient": o.recipient,
            "language": o.language, "signed": o.signed, "sha256": o.sha256,
            "unsigned_sha256": o.unsigned_sha256 or o.sha256, "inputs": o.inputs}


def write_output(out: Path, campaign: str, o: Output) -> Path:
    """Write one output whole (a temp file renamed over), at a checked path."""
    path = safe_join(out, campaign, o.file)
    write_atomic(path, o.data)
    return path


def write_manifest(out: Path, campaign: str, entries: dict[str, Entry]) -> None:
    """Write `build/<campaign>/manifest.json`, its outputs in name order."""
    folder = safe_join(out, campaign)
    manifest = {"campaign": campaign, "outputs": [entries[k] for k in sorted(entries)]}
    write_atomic(folder / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False)
                                     + "\n").encode("utf-8"))


def remove_outputs(out: Path, campaign: str, files: list[str]) -> list[Path]:
    """Remove these outputs of a campaign: only output-shaped names, only plain files."""
    removed = []
    for name in files:
        if not _output_name(name):
            continue
        path = safe_join(out, campaign, name)
        if _plain_file(path):
            path.unlink()
            removed.append(path)
    return removed


def remove_stale_temps(out: Path, campaign: str) -> None:
    """Remove temp files a killed build left beside the outputs (`.<output>.*.tmp`)."""
    folder = out / campaign
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in folder.glob(".*.tmp"):
        target = path.name[1:].split(".", 2)
        if len(target) == 3 and (_output_name(".".join(target[:2]))
                                 or ".".join(target[:2]) == MANIFEST) and _plain_file(path):
            path.unlink()


def clean_campaign(out: Path, campaign: str) -> list[Path]:
    """Remove every output the manifest lists, then the manifest (and the folder if empty)."""
    folder = safe_join(out, campaign)
    removed = remove_outputs(out, campaign, sorted(read_manifest(folder)))
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


def write_campaign(out: Path, campaign: str, outputs: list[Output],
                   kept: list[Entry]) -> list[Path]:
    """Write a campaign's changed outputs, then its manifest (kept entries carried over)."""
    safe_join(out, campaign)
    written = [write_output(out, campaign, o) for o in outputs]
    entries = {e["file"]: e for e in kept}
    entries.update({o.file: manifest_entry(o) for o in outputs})
    write_manifest(out, campaign, entries)
    return written
