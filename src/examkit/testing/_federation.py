"""A stand-in identity provider for tests of the federated sign-in (no protocol, no network)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from examkit.errors import InvalidInput
from examkit.federation import FederatedIdentity, SignInRequest
from examkit.ports import SecretSource


class StaticIdentityProvider:
    """An :class:`~examkit.federation.IdentityProviderAdapter` whose answers a test writes.

    :meth:`begin` keeps a random nonce in the request's pending values;
    :meth:`respond` returns the fields the provider would send back for that
    request, vouching for the subject and attributes given; :meth:`finish`
    checks that the answer is one it gave, for the request it is bound to,
    within its validity.

    >>> from examkit.testing import SequenceSecretSource, ManualClock
    >>> provider = StaticIdentityProvider("entree-test")
    >>> now = ManualClock.at("2026-09-01T08:00:00+00:00").now()
    >>> request = provider.begin(state="s1", now=now, secrets=SequenceSecretSource())
    >>> answer = provider.respond(request, subject="4f1c9e", attributes={"uid": ["4f1c9e"]})
    >>> provider.finish(response=answer, pending=request.pending, now=now).subject
    '4f1c9e'

    Args:
        name: The adapter's name.
        issuer: The issuer it vouches as.
        lifetime: How long a request and an answer are valid.
    """

    def __init__(
        self,
        name: str = "entree-test",
        *,
        issuer: str = "https://entree.example.nl",
        lifetime: timedelta = timedelta(minutes=5),
    ) -> None:
        self.name = name
        """The adapter's name."""
        self.issuer = issuer
        """The issuer it vouches as."""
        self.lifetime = lifetime
        """How long a request and an answer are valid."""
        self._answers: dict[str, tuple[str, FederatedIdentity]] = {}

    def begin(self, *, state: str, now: datetime, secrets: SecretSource) -> SignInRequest:
        """Return a redirect to the stand-in provider, keeping a nonce server-side."""
        return SignInRequest(
            state=state,
            pending={"nonce": secrets.token_urlsafe(16)},
            expires_at=now + self.lifetime,
            redirect_url=f"https://idp.example.nl/authorize?state={state}",
        )

    def respond(
        self,
        request: SignInRequest,
        *,
        subject: str,
        attributes: Mapping[str, Iterable[str]],
        replay_key: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, str]:
        """Return the answer to *request* vouching for *subject* with *attributes*.

        *replay_key* names the message (a fresh one per answer by default;
        pass an earlier answer's to replay it); *at* is when the person
        signed in (the request's start by default).
        """
        ticket = f"t{len(self._answers) + 1}"
        moment = at if at is not None else request.expires_at - self.lifetime
        self._answers[ticket] = (
            request.pending["nonce"],
            FederatedIdentity(
                issuer=self.issuer,
                subject=subject,
                attributes={name: list(values) for name, values in attributes.items()},
                authenticated_at=moment,
                replay_key=replay_key if replay_key is not None else f"test:{self.name}:{ticket}",
                valid_until=moment + self.lifetime,
            ),
        )
        return {"ticket": ticket}

    def finish(
        self, *, response: Mapping[str, str], pending: Mapping[str, str], now: datetime
    ) -> FederatedIdentity:
        """Return the identity of an answer this provider gave for the pending request.

        Raises:
            InvalidInput: ``federation.response.invalid``: an unknown answer,
                one for another request, or one past its validity.
        """
        found = self._answers.get(str(response.get("ticket", "")))
        if found is None or found[0] != pending.get("nonce") or now >= found[1].valid_until:
            raise InvalidInput("federation.response.invalid", field="response")
        return found[1]

    def __repr__(self) -> str:
        return f"StaticIdentityProvider({self.name!r}, issuer={self.issuer!r})"
