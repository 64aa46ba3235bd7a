"""The signing key: the `signing:` files read and checked, the passphrase, the signer's identity."""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClarionError, Location, Problem
from ..limits import MAX_KEY_BYTES
from ..safefile import FileError, read_file, read_path

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

#: the environment variable an encrypted key's passphrase is read from
PASSPHRASE_ENV = "CLARION_KEY_PASSPHRASE"


class SigningError(ClarionError):
    """A key or certificate that cannot be used, or a PDF that cannot be signed."""


@dataclass(frozen=True)
class SignerSettings:
    """What signing takes from `signing:` in clarion.yaml: the files (relative to the
    workspace), how the signature looks, and where each setting was written (for messages)."""

    key: str
    cert: str
    chain: tuple[str, ...] = ()
    reason: str | None = None
    visible: bool = False
    tsa_url: str | None = None      # RFC 3161 timestamp server: PAdES B-T instead of B-B
    locs: Mapping[str, Location] = field(default_factory=dict)


@dataclass(frozen=True)
class KeyFiles:
    """What the `signing:` files hold, parsed: the certificate, the chain and (maybe) the key."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key: PrivateKeyTypes | None     # None: an encrypted key and no passphrase


def loc_of(signing: SignerSettings, name: str) -> Location:
    """Where the setting `name` was written (clarion.yaml when not known)."""
    return signing.locs.get(name) or Location("clarion.yaml")


def _read(root: Path, signing: SignerSettings, name: str, rel: str) -> bytes:
    """A `signing:` file's bytes (clarion.safefile): under the workspace, every step opened
    without following a link, a regular file with one link; a file the user named by its
    absolute path (their configuration, `--key`) is theirs, read where it is. Never a pipe,
    a device or a file over MAX_KEY_BYTES."""
    path = root / rel
    own = Path(rel).is_absolute() or (root.is_absolute() and root == Path(root.anchor))
    # a workspace is untrusted: its settings must not point the build at other files of
    # this computer (someone's other keys); keys live in the workspace, out of version control
    if not own and not path.resolve().is_relative_to(root.resolve()):
        raise SigningError(f"signing.{name}: '{rel}' is outside the workspace; put the file in "
                           "the workspace (keys/ is never committed) and give its path from "
                           "there", loc_of(signing, name))
    try:
        if own:
            return read_path(path, MAX_KEY_BYTES, own=True, shown=rel)
        return read_file(root, rel, MAX_KEY_BYTES, shown=rel)
    except FileError as e:
        if e.kind == "missing":
            raise SigningError(f"signing.{name}: file '{rel}' not found; check the path "
                               "(relative to the workspace) or make a key with `clarion keys "
                               "new`", loc_of(signing, name)) from None
        raise SigningError(f"signing.{name}: '{rel}' {e.why}; {file_hint(e)}",
                           loc_of(signing, name)) from None


def file_hint(e: FileError) -> str:
    """What to do about a key or certificate file that was not read."""
    if e.kind == "too-big":
        return "a key or certificate is a few kilobytes: name the right file"
    if e.kind == "special":
        return "name the key or certificate file itself"
    return e.hint


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


def _load_key(data: bytes, passphrase: bytes | None, signing: SignerSettings) -> tuple[
        PrivateKeyTypes | None, list[x509.Certificate]]:
    """The private key (None when encrypted and no passphrase) and certificates of a P12."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    where = loc_of(signing, "key")
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


def _load_certs(data: bytes, name: str, rel: str, signing: SignerSettings,
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
                           loc_of(signing, name)) from None


def key_encrypted(root: Path, signing: SignerSettings) -> bool:
    """True when the key file needs a passphrase (the CLI then asks for one on a terminal)."""
    try:
        data = _read(Path(root), signing, "key", signing.key)
    except SigningError:
        return False
    return _encrypted(data)


def env_passphrase() -> bytes | None:
    """The key's passphrase from CLARION_KEY_PASSPHRASE, or None when it is not set."""
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value else None


#: the last key parsed, by the digests of its file and passphrase (never the passphrase)
_PARSED: dict[tuple[bytes, bytes | None], tuple[Any, list[Any]]] = {}


def read_key_files(root: Path, signing: SignerSettings, passphrase: bytes | None = None) -> KeyFiles:
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
                           loc_of(signing, "cert"))
    chain = list(certs[1:]) + [c for c in p12_certs if c not in certs]
    for rel in signing.chain:
        chain += _load_certs(_read(root, signing, "chain", rel), "chain", rel, signing, None)
    return KeyFiles(certs[0], tuple(dict.fromkeys(chain)), key)


def key_matches(files: KeyFiles) -> bool:
    """Whether the certificate is the key's (True when the key could not be read)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    if files.key is None:
        return True
    def spki(k: Any) -> bytes:
        return bytes(k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
    return spki(files.key.public_key()) == spki(files.cert.public_key())


def identity(files: KeyFiles, signing: SignerSettings) -> str:
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


def signing_identity(root: Path, signing: SignerSettings) -> str | None:
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


def check_key_files(root: Path, signing: SignerSettings,
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
            problems.append(Problem(loc_of(signing, "key"), (
                f"signing.key: '{signing.key}' can be read by other users of this computer; "
                f"run `chmod 600 {signing.key}`"), "warning"))
    except OSError:
        pass
    if files.key is None:
        problems.append(Problem(loc_of(signing, "key"), (
            f"signing.key: '{signing.key}' is encrypted; set {PASSPHRASE_ENV} to check that it "
            "matches the certificate (the build asks for the passphrase on a terminal)"),
            "warning"))
    elif not key_matches(files):
        problems.append(Problem(loc_of(signing, "cert"), (
            f"signing.cert: '{signing.cert}' is not the certificate of the key '{signing.key}'; "
            "name the certificate that was made with this key")))
    why = cert_problem(files.cert)
    if why:
        problems.append(Problem(loc_of(signing, "cert"), f"signing.cert: {why}"))
    return problems

