"""The PDF finisher a build uses by default: each PDF signed with the key the user chose."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..workspace.model import Workspace
    from ..workspace.userconfig import User
    from .jobs import Job, Setup


class SigningFinisher:
    """Signs each PDF with the chosen key (clarion.output.signing), parsed once."""

    def __init__(self, ws: Workspace, signer: Any):
        self.ws, self.signer = ws, signer
        self.identity: str = signer.fingerprint
        self.signature_box: dict[str, str] | None = signer.box() if signer.visible else None

    @classmethod
    def load(cls, ws: Workspace, setup: Setup, user: User | None = None) -> SigningFinisher | None:
        """The finisher of the key `user` (default: the setup's) chose, see
        signatures.chosen_signing; None when no key signs."""
        from ..output.signing import Signer
        from .signatures import chosen_signing
        user = setup.user if user is None else user
        chosen = chosen_signing(ws, user)
        if chosen is None:
            return None
        root, settings = chosen
        return cls(ws, Signer.load(root, settings, setup.passphrase, user.allow_local_network))

    def __call__(self, pdf: bytes, job: Job) -> bytes:
        campaign = self.ws.campaigns.get(job.campaign)
        return bytes(self.signer.sign(pdf, location=campaign.place if campaign else None,
                                      source=f"build/{job.name}.pdf"))


def signing_for(user: User, ws: Workspace, setup: Setup) -> SigningFinisher | None:
    """The finisher factory of a run whose user choices are `user` (bound with
    functools.partial, which pickles): PDFs signed with the key they chose, unless --no-sign."""
    return SigningFinisher.load(ws, setup, user) if setup.sign else None
