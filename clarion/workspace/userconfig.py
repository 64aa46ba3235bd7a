"""The user's own configuration (`$XDG_CONFIG_HOME/clarion/config.yaml`), outside every
workspace: the signing key and the mail server that gets the password come from here or from
the command line, never from a workspace alone. Read with clarion.yaml's field rules."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, ProblemsError
from . import yamlio
from .declare import record_of
from .meta import about, internal
from .schema import INVALID, Context
from .settings import Mail, Signing
from .yamlio import MappingNode, YamlProblem

#: the configuration is a few lines; a larger file is not one
MAX_CONFIG_BYTES = 1024 * 1024
#: the file's place under $XDG_CONFIG_HOME (default ~/.config)
CONFIG_FILE = Path("clarion") / "config.yaml"


def _as_in(record: type[Any], name: str, default: Any = None) -> Any:
    """The field `name` declared as clarion.yaml's `record` declares it (doc, range,
    choices), optional here: the user's file may give any part of a section."""
    return field(default=default, metadata=record.__dataclass_fields__[name].metadata)


@dataclass(frozen=True)
class UserSigning:
    """`signing:` in the user's configuration: the key, where no workspace can choose it."""

    key: str | None = _as_in(Signing, "key")
    cert: str | None = _as_in(Signing, "cert")
    chain: tuple[str, ...] = _as_in(Signing, "chain", ())
    trust: tuple[str, ...] = field(default=(), metadata=about(
        "certificates `clarion verify` accepts as trust roots"))
    #: a plain dict (not a read-only view): the record goes to worker processes, pickled
    locs: Mapping[str, Location] = field(default_factory=dict, metadata=internal(
        "where each field was written, by field name"))


@dataclass(frozen=True)
class UserMail:
    """`mail:` in the user's configuration: the server that receives the SMTP password."""

    host: str | None = _as_in(Mail, "host")
    port: int = _as_in(Mail, "port", 587)
    security: str = _as_in(Mail, "security", "starttls")
    username: str | None = _as_in(Mail, "username")
    #: a plain dict (not a read-only view): the record goes to worker processes, pickled
    locs: Mapping[str, Location] = field(default_factory=dict, metadata=internal(
        "where each field was written, by field name"))


@dataclass(frozen=True)
class UserConfig:
    """The user's configuration file, in its own shape (empty when there is none)."""

    signing: UserSigning | None = field(default=None, metadata=about(
        "your signing key and certificate, and the roots `verify` trusts"))
    mail: UserMail | None = field(default=None, metadata=about(
        "the SMTP server `clarion send --send` logs in to"))
    path: str | None = field(default=None, metadata=internal(
        "the file read, as messages show it (None: there is none)"))


@dataclass(frozen=True)
class User:
    """What the user says for this run, as opposed to what a workspace says: their
    configuration and the command line's confirmations (picklable, for worker processes)."""

    config: UserConfig = field(default_factory=UserConfig)
    #: `--key PATH`, absolute: the signing key for this run, whatever the configurations say
    key: str | None = None
    #: `--mail-host HOST`: the SMTP server for this run
    mail_host: str | None = None
    #: `--allow-local-network`: outgoing connections (remote images, the timestamp server)
    #: may go to loopback, private and other local addresses
    allow_local_network: bool = False

    @property
    def where(self) -> str:
        """The configuration file as messages name it."""
        return self.config.path or shown(config_path())


USER_CONFIG = record_of(UserConfig, build=None)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/clarion/config.yaml`, else `~/.config/clarion/config.yaml` (a relative
    XDG_CONFIG_HOME is ignored, as the XDG specification says)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):
        base = str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / CONFIG_FILE


def shown(path: Path) -> str:
    """A path as a message shows it: `~/…` under the home folder."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def load_user_config(path: Path | None = None) -> UserConfig:
    """The user's configuration (an empty one when the file does not exist); raises
    ProblemsError naming each field that breaks clarion.yaml's rules."""
    path = config_path() if path is None else path
    display = shown(path)
    if not path.exists():
        return UserConfig(path=display)
    try:
        node = yamlio.load_node(path, display, MAX_CONFIG_BYTES, own=True)
    except YamlProblem as e:
        raise ProblemsError([e.problem]) from None
    if node is None:
        return UserConfig(path=display)
    ctx = Context(display)
    if not isinstance(node, MappingNode):
        ctx.report(node, "must be a mapping of sections (signing:, mail:)")
        raise ProblemsError(ctx.problems)
    values = USER_CONFIG.convert(node, ctx)
    if values is INVALID or ctx.errors():
        raise ProblemsError(ctx.problems)
    signing, mail = values.get("signing"), values.get("mail")
    return UserConfig(signing=_paths(signing, path.parent) if signing else None,
                      mail=dataclasses.replace(mail, locs=dict(mail.locs)) if mail else None,
                      path=display)


def _paths(signing: UserSigning, folder: Path) -> UserSigning:
    """The signing files as absolute paths: `~` expanded, relative ones from the
    configuration's folder (never from a workspace)."""
    def absolute(name: str | None) -> str | None:
        if name is None:
            return None
        path = Path(name).expanduser()
        return str(path if path.is_absolute() else folder / path)
    return UserSigning(key=absolute(signing.key), cert=absolute(signing.cert),
                       chain=tuple(str(absolute(c)) for c in signing.chain),
                       trust=tuple(str(absolute(c)) for c in signing.trust),
                       locs=dict(signing.locs))
