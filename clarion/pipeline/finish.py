"""The PDF finisher a build uses by default: each PDF signed with the workspace's key."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..workspace.model import Workspace
    from .jobs import Job, Setup


class SigningFinisher:
    """Signs each PDF with the workspace's key (clarion.output.signing), parsed once."""

    def __init__(self, ws: Workspace, signer: Any):
        self.ws, self.signer = ws, signer
        self.identity: str = signer.fingerprint
        self.signature_box: dict[str, str] | None = signer.box() if signer.visible else None

    @classmethod
    def load(cls, ws: Workspace, setup: Setup) -> SigningFinisher:
        from ..output.signing import Signer
        from .signatures import signer_settings
        assert ws.settings.signing is not None
        return cls(ws, Signer.load(ws.root, signer_settings(ws.settings.signing),
                                   setup.passphrase))

    def __call__(self, pdf: bytes, job: Job) -> bytes:
        campaign = self.ws.campaigns.get(job.campaign)
        return bytes(self.signer.sign(pdf, location=campaign.place if campaign else None,
                                      source=f"build/{job.name}.pdf"))
