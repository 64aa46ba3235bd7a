"""The workspace's `signing:` settings as output signs with them, and their `validate` check."""
from __future__ import annotations

import dataclasses
from collections.abc import Set

from ..errors import Problem
from ..output.keys import SignerSettings, check_key_files, loc_of
from ..workspace.model import Signing, Workspace


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
