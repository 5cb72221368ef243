"""Service tokens: who may call the storage server, on which record kinds, reading or writing.

The server keeps only each token's SHA-256 digest (a token is 32 random
bytes: no dictionary to guess it from, so a plain digest suffices), compares
in constant time against every configured token (several at once, so one can
be rotated in before the other is retired), and limits each to the record
kinds it names and to reading or writing.

>>> token = "eks1.demo-only-not-a-secret"
>>> entry = ServiceToken.of("report", token, access="read", kinds=("institutions",))
>>> ServiceTokens([entry]).find(token).id
'report'
>>> ServiceTokens([entry]).find("eks1.other") is None
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from examkit.errors import ConfigurationError, NotPermitted
from examkit.ports import SecretSource

Access = Literal["read", "write"]

TOKEN_PREFIX: Final = "eks1."  # noqa: S105 - a prefix, not a secret
"""How every service token begins (so a leaked one is recognised for what it is)."""

SECRET_KINDS: Final[frozenset[str]] = frozenset(
    {
        "authenticators",
        "single_use_tokens",
        "signins",
        "trusted_browsers",
        "web_sessions",
        "email_changes",
        "pending_federated_sign_ins",
        "offline_credentials",
    }
)
"""Record kinds that hold secrets or are keyed by them (seeds, token digests, session ids,
a federated sign-in's nonce and PKCE verifier, an offline server's credential):
never readable with a read-only token."""

REDACTED: Final[Mapping[str, Mapping[str, Any]]] = {
    "accounts": {"password": None, "password_history": []},
}
"""Fields blanked in what a read-only token reads: the password hashes of accounts."""


def digest_of(token: str) -> str:
    """Return the SHA-256 digest (hex) the server keeps of *token*."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token(secrets: SecretSource) -> str:
    """Return a new service token: :data:`TOKEN_PREFIX` and 32 random bytes."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@attrs.frozen
class ServiceToken:
    """One configured service token: its name, digest, access and record kinds."""

    id: str
    """Its name (in the server's log and audit, never the token itself)."""
    digest: str = attrs.field(repr=False)
    """The SHA-256 digest of the token, hex."""
    access: Access = "read"
    """``read``: reading units only; ``write``: reading and writing."""
    kinds: frozenset[str] = frozenset({"*"})
    """The record kinds it may touch (``*``: every kind)."""

    @classmethod
    def of(
        cls, token_id: str, token: str, *, access: Access = "read", kinds: Iterable[str] = ("*",)
    ) -> ServiceToken:
        """Return the entry of *token* (its digest, not the token)."""
        return cls(token_id, digest_of(token), access, frozenset(kinds))

    def check(self, kind: str, *, writes: bool) -> None:
        """Refuse unless this token may touch *kind* (writing, with *writes*).

        Raises:
            NotPermitted: ``http.scope.write`` (a read-only token writing),
                ``http.scope.kind`` (a kind it does not name), or
                ``http.scope.secret`` (a read-only token and a kind holding secrets).
        """
        if writes and self.access != "write":
            raise NotPermitted("http.scope.write")
        if kind not in self.kinds and "*" not in self.kinds:
            raise NotPermitted("http.scope.kind", kind=kind)
        if self.access != "write" and kind in SECRET_KINDS:
            raise NotPermitted("http.scope.secret", kind=kind)

    def as_json(self) -> dict[str, Any]:
        """Return the entry as the token file keeps it."""
        return {
            "id": self.id,
            "sha256": self.digest,
            "access": self.access,
            "kinds": sorted(self.kinds),
        }


class ServiceTokens:
    """The tokens a server accepts, compared in constant time."""

    def __init__(self, tokens: Iterable[ServiceToken]) -> None:
        self.tokens = tuple(tokens)
        """Every accepted token's entry."""

    def find(self, presented: str) -> ServiceToken | None:
        """Return the entry of *presented*, or ``None``: every entry is compared, always."""
        wanted = digest_of(presented).encode()
        found = None
        for entry in self.tokens:
            if hmac.compare_digest(wanted, entry.digest.encode()):
                found = entry
        return found

    @classmethod
    def from_file(cls, path: Path) -> ServiceTokens:
        """Read the token file: ``{"tokens": [{"id", "sha256", "access", "kinds"}, ...]}``.

        Raises:
            ConfigurationError: ``http.tokens.invalid``: unreadable, or an entry is unusable.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigurationError("http.tokens.invalid", reason=str(error)) from None
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: object) -> ServiceTokens:
        """Return the tokens of the token file's content *data*.

        Raises:
            ConfigurationError: ``http.tokens.invalid``.
        """
        entries = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            raise ConfigurationError("http.tokens.invalid", reason="no list of tokens")
        tokens = []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise ConfigurationError("http.tokens.invalid", reason=f"entry {number}")
            token_id, digest = entry.get("id"), entry.get("sha256")
            access, kinds = entry.get("access", "read"), entry.get("kinds", ["*"])
            usable = (
                isinstance(token_id, str)
                and token_id
                and isinstance(digest, str)
                and len(digest) == 64
                and all(ch in "0123456789abcdef" for ch in digest)
                and access in ("read", "write")
                and isinstance(kinds, list)
                and all(isinstance(kind, str) for kind in kinds)
            )
            if not usable:
                raise ConfigurationError("http.tokens.invalid", reason=f"entry {number}")
            tokens.append(ServiceToken(str(token_id), str(digest), access, frozenset(kinds)))
        return cls(tokens)
