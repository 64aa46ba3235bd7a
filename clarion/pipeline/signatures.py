"""Which key signs (the user's, never a workspace's alone), the `signing:` settings as output
signs with them, and their `validate` check."""
from __future__ import annotations

import dataclasses
import os
import shlex
from collections.abc import Set
from pathlib import Path
from types import MappingProxyType

from ..errors import Location, Problem
from ..output.keys import SignerSettings, SigningError, check_key_files, loc_of
from ..workspace.model import Signing, Workspace
from ..workspace.userconfig import User, UserSigning


def signer_settings(signing: Signing) -> SignerSettings:
    """What signing needs of the workspace's `signing:` record (every field of the same name)."""
    return SignerSettings(**{f.name: getattr(signing, f.name)
                             for f in dataclasses.fields(SignerSettings)})


def check_signing(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """The `validate` check of `signing:` (registered in clarion/pipeline/check.py's CHECKS):
    the key and certificate files, and the timestamp server's address."""
    if ws.settings.signing is None:
        return []
    settings = signer_settings(ws.settings.signing)
    problems = check_key_files(ws.root, settings)
    url = settings.tsa_url
    if url and not url.startswith(("http://", "https://")):
        problems.append(Problem(loc_of(settings, "tsa_url"), (
            "signing.tsa_url: must be an http:// or https:// address of an RFC 3161 "
            "timestamp server")))
    return problems


def chosen_signing(ws: Workspace, user: User) -> tuple[Path, SignerSettings] | None:
    """Which key signs, and the folder its relative paths start from; None: nothing signs.

    The key comes from the command line (`--key`), else from the user's configuration, and
    only then from the workspace's `signing.key` — and that only when it is the same file as
    one of the two: a workspace never chooses which private key Clarion reads. The
    certificate and chain come with the user's key from their configuration when it gives
    them, else from the workspace (public files, read only inside it, which must match the
    key). How a signature looks (`reason`, `visible`, `tsa_url`) is the workspace's.
    Raises SigningError, one line, when the workspace names a key the user did not."""
    theirs, mine = ws.settings.signing, user.config.signing
    key = user.key or (mine.key if mine else None)
    if theirs is None:
        if key is None:
            return None
        return Path("/"), _users(key, mine, None, user)
    if key is None or (user.key is None and not same_file(ws.root / theirs.key, key)):
        raise _unconfirmed(ws, theirs, user, key)
    if mine and mine.cert and (user.key is None or same_file(Path(user.key), mine.key)):
        return Path("/"), _users(key, mine, theirs, user)
    if same_file(ws.root / theirs.key, key):  # confirmed: the workspace's files as they are
        return ws.root, signer_settings(theirs)
    return Path("/"), _users(key, None, theirs, user, ws.root)


def same_file(a: Path, b: str | Path | None) -> bool:
    """Whether `a` and `b` are one file (the same inode, or the same path when missing)."""
    if b is None:
        return False
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.abspath(a) == os.path.abspath(b)


def _users(key: str, mine: UserSigning | None, theirs: Signing | None, user: User,
           root: Path | None = None) -> SignerSettings:
    """Settings with the user's key (absolute paths): the certificate and chain from their
    configuration, else the workspace's (`root`), checked to lie inside it."""
    locs: dict[str, Location] = dict(theirs.locs) if theirs else {}
    if mine is not None and mine.cert:
        cert, chain = mine.cert, mine.chain
        locs.update({k: v for k, v in mine.locs.items() if k in ("cert", "chain")})
    elif theirs is not None and root is not None:
        cert = _inside(root, theirs.cert, theirs, "cert")
        chain = tuple(_inside(root, c, theirs, "chain") for c in theirs.chain)
    else:
        raise SigningError(f"signing.cert: no certificate for the key '{key}'; add `cert:` "
                           f"to `signing:` in your configuration ({user.where})")
    if user.key is None and mine is not None and "key" in mine.locs:
        locs["key"] = mine.locs["key"]
    else:
        locs.pop("key", None)
    return SignerSettings(key=key, cert=cert, chain=chain,
                          reason=theirs.reason if theirs else None,
                          visible=theirs.visible if theirs else False,
                          tsa_url=theirs.tsa_url if theirs else None,
                          locs=MappingProxyType(locs))


def _inside(root: Path, rel: str, signing: Signing, name: str) -> str:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise SigningError(f"signing.{name}: '{rel}' is outside the workspace; put the file in "
                           "the workspace or in your configuration", signing.locs.get(name))
    return str(path)


def _unconfirmed(ws: Workspace, theirs: Signing, user: User, key: str | None) -> SigningError:
    """The one line that stops a build whose key only the workspace names."""
    path = shlex.quote(os.path.relpath(ws.root / theirs.key))
    why = "comes from the workspace, not from your configuration" if key is None else \
        "comes from the workspace and is not the key in your configuration"
    return SigningError(f"signing.key '{theirs.key}' {why} ({user.where}); to use it, run "
                        f"again with --key {path} or add it to your configuration",
                        theirs.locs.get("key") or Location("clarion.yaml"))
