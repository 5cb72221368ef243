"""The federated sign-in: a verified identity to a signed-in account (AUTH-13)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

import attrs

from examkit._digests import first_found
from examkit.auth import SignInGate, SignInProgress, SignInRules, Step, client_ip
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ExamkitError,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.federation._adapter import IdentityProviderAdapter, SignInRequest
from examkit.federation._common import (
    FACTOR,
    LINK_TOKEN,
    LINKED,
    PROPOSAL,
    PROPOSAL_LIFETIME,
    REPLAY,
    REPLAY_MINIMUM,
    REQUEST,
    SIGN_IN,
    TOKEN_BYTES,
    Keys,
    add_links,
    linked_account,
    provider_subject,
)
from examkit.federation._identity import MAIL, FederatedIdentity
from examkit.federation._model import (
    LinkMethod,
    LinkProposal,
    PendingSignIn,
    mask_email,
    replay_digest,
)
from examkit.federation._policy import LinkPolicy, LinkRule, find_account, guard_refusal
from examkit.roles import INVITATION
from examkit.storage import StoredToken
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.accounts import Account
    from examkit.records import UnitOfWork


def _account_subject(account_id: str) -> str:
    return f"account:{account_id}"


@attrs.frozen
class _Resolved:
    """The account a finished sign-in is for, and how it was found."""

    account_id: str
    method: LinkMethod | None
    """How to link it (``None``: linked already, by the identity's subject or ECK iD)."""
    rule: str
    """What found it, for the audit trail (a rule, ``invitation``, ``link_token``)."""
    token: StoredToken | None = None
    """The invitation or link token to consume with the link."""


class FederatedSignIn:
    """Signing in through the federation: begin, finish, confirm (``kit.federated_sign_in``).

    A web app drives it in two requests. :meth:`begin` returns a
    :class:`~examkit.federation.SignInRequest`: redirect the browser to its
    ``redirect_url``, or render a form that posts its ``post_fields`` to its
    ``post_url``. The identity provider sends the browser back with the
    ``state`` (OIDC) or ``RelayState`` (SAML) and its answer: pass them to
    :meth:`finish`, with the invitation token or link token when the user
    came from one. :meth:`finish` returns a
    :class:`~examkit.auth.SignInProgress` at :attr:`~examkit.auth.Step.SIGNED_IN`
    (start the web session for its ``account_id``, as after a local sign-in:
    the e-mailed code is skipped), or a :class:`~examkit.federation.LinkProposal`
    (ask the user to confirm the account found by e-mail, then call
    :meth:`confirm_email_match`), or raises an
    :class:`~examkit.errors.ExamkitError` whose message the portal shows.

    Every step is audited without the identity's personal data: the
    provider, the issuer and a digest of the subject, never an attribute.

    >>> from examkit.testing import make_kit
    >>> kit = make_kit()
    >>> kit.federated_sign_in.providers
    ()

    Args:
        ports: The kit's wired ports.
        gate: Decides who may sign in to which environment.
        providers: The identity providers' adapters, by their distinct names.
        policy: The link policy (explicit link, then ECK iD, by default).
        rules: The sign-in's numbers (its ``application`` is the default environment).

    Implements AUTH-13.
    """

    def __init__(
        self,
        ports: Ports,
        gate: SignInGate,
        *,
        providers: Iterable[IdentityProviderAdapter] = (),
        policy: LinkPolicy | None = None,
        rules: SignInRules | None = None,
    ) -> None:
        self._ports = ports
        self._gate = gate
        self._adapters: dict[str, IdentityProviderAdapter] = {}
        for adapter in providers:
            if adapter.name in self._adapters:
                msg = f"two identity providers are named {adapter.name!r}"
                raise ValueError(msg)
            self._adapters[adapter.name] = adapter
        self.policy: LinkPolicy = policy if policy is not None else LinkPolicy()
        """The link policy."""
        self.rules: SignInRules = rules if rules is not None else SignInRules()
        """The sign-in's numbers."""

    @property
    def providers(self) -> tuple[str, ...]:
        """The names of the configured identity providers, in the order given."""
        return tuple(self._adapters)

    # -- begin ----------------------------------------------------------------------------

    def begin(self, provider: str, *, ip: str) -> SignInRequest:
        """Start a sign-in at *provider*; return where to send the browser.

        Draws the ``state``, has the adapter build the request, and keeps the
        adapter's pending values server-side under the state's keyed digest
        until the request's ``expires_at``. Nothing of it goes in a cookie.

        Raises:
            NotFound: ``federation.provider.unknown``.
            InvalidInput: ``auth.ip.invalid``.

        Implements AUTH-13.
        """
        address = client_ip(ip)
        adapter = self._adapter(provider)
        ports = self._ports
        state = ports.secrets.token_urlsafe(TOKEN_BYTES)
        with UseCase(ports, REQUEST, provider_subject(provider)) as unit:
            request = adapter.begin(state=state, now=unit.now, secrets=ports.secrets)
            if request.state != state:
                msg = f"identity provider {provider!r} changed the state it was given"
                raise RuntimeError(msg)
            unit.uow.pending_federated_sign_ins.add(
                PendingSignIn(
                    id=ports.digester.digest(REQUEST, state),
                    provider=provider,
                    pending=dict(request.pending),
                    started_at=unit.now,
                    expires_at=request.expires_at,
                )
            )
            unit.audit(details={"provider": provider, "ip": address})
            unit.commit()
        return request

    # -- finish ---------------------------------------------------------------------------

    def finish(
        self,
        provider: str,
        state: str,
        response: Mapping[str, str],
        *,
        ip: str,
        application: str | None = None,
        invitation: str | None = None,
        link_token: str | None = None,
    ) -> SignInProgress | LinkProposal:
        """Check the provider's answer and sign in the account it maps to (AUTH-13).

        In order: the pending request of *state* is taken (once, atomically,
        in time); the adapter checks *response* against it; the message's
        replay key is recorded (a message seen before is refused, and one
        refused later stays spent); then the account is found. With
        *invitation* (the token of an invitation link, ROLE-3) or
        *link_token* (:meth:`~examkit.federation.FederatedAccounts.issue_link_token`
        after a local sign-in), the identity is linked to that account;
        otherwise the link policy's rules decide, in their order. The guards
        follow (active account, home organisation, affiliation, the gate's
        access to *application*), and a new link is stored with the sign-in's
        event. No account is ever created.

        Returns:
            A :class:`~examkit.auth.SignInProgress` at
            :attr:`~examkit.auth.Step.SIGNED_IN`, or a
            :class:`~examkit.federation.LinkProposal` when only an e-mail
            match found the account (nothing is linked until confirmed).

        Raises:
            NotFound: ``federation.provider.unknown``; ``federation.request.unknown``
                (no such state, used, lapsed, or another provider's);
                ``federation.invitation.unknown``, ``federation.link_token.unknown``;
                ``federation.account.unknown`` (nothing links the identity).
            InvalidInput: the adapter's refusal (``oidc.*``, ``saml.*``).
            NotPermitted: ``federation.replayed``; ``federation.account.inactive``;
                ``federation.home_organisation.mismatch``;
                ``federation.affiliation.not_allowed``; ``auth.application.denied``.
            InvalidState: ``federation.link.taken`` (the identity is another
                account's), ``federation.account.issuer_linked``.
            ServiceUnavailable: the adapter could not reach the provider.

        Implements AUTH-13.
        """
        address = client_ip(ip)
        adapter = self._adapter(provider)
        environment = application if application is not None else self.rules.application
        details = {"ip": address, "application": environment, "factor": FACTOR}
        details["provider"] = provider
        pending = self._take(provider, state, details)
        now = self._ports.clock.now()
        try:
            identity = adapter.finish(response=response, pending=pending.pending, now=now)
        except ExamkitError as error:
            with UseCase(self._ports, SIGN_IN, provider_subject(provider)) as unit:
                unit.refuse(error, outcome="failure", details=details)
        keys = Keys.of(identity)
        details.update(keys.details())
        self._record_replay(provider, identity, details)
        resolved = self._resolve(identity, keys, invitation, link_token, details)
        if isinstance(resolved, LinkProposal):
            return resolved
        return self._sign_in(
            identity=identity,
            keys=keys,
            resolved=resolved,
            state=state,
            environment=environment,
            details=details,
        )

    def confirm_email_match(
        self, token: str, *, ip: str, application: str | None = None
    ) -> SignInProgress:
        """Link the identity to the account an e-mail match proposed, and sign in (AUTH-13).

        *token* is :attr:`~examkit.federation.LinkProposal.token`; it works
        once, until the proposal lapses. The account must still be active and
        admitted to *application*.

        Raises:
            NotFound: ``federation.proposal.unknown``.
            NotPermitted: ``federation.account.inactive``, ``auth.application.denied``.
            InvalidState: ``federation.link.taken``, ``federation.account.issuer_linked``.

        Implements AUTH-13.
        """
        address = client_ip(ip)
        environment = application if application is not None else self.rules.application
        details = {"ip": address, "application": environment, "factor": FACTOR}
        with UseCase(self._ports, SIGN_IN, "token:federation.proposal", details=details) as unit:
            uow = unit.uow
            stored = self._token(uow, PROPOSAL, token, unit.now, "federation.proposal.unknown")
            account = uow.accounts.get(stored.subject)
        keys = Keys(
            issuer=stored.data["issuer"],
            subject=stored.data["link"],
            eck=stored.data.get("eck") or None,
        )
        details.update(keys.details())
        self._admit(account, environment, details)
        with UseCase(
            self._ports, SIGN_IN, _account_subject(account.id), actor=account.id, details=details
        ) as unit:
            uow = unit.uow
            self._token(uow, PROPOSAL, token, unit.now, "federation.proposal.unknown", take=True)
            current = uow.accounts.get(account.id)
            if not current.is_active:
                raise NotPermitted("federation.account.inactive")
            if add_links(uow, keys, account.id, LinkMethod.EMAIL, unit.now):
                unit.audit(LINKED, details={"method": LinkMethod.EMAIL.value})
            unit.audit(details={"rule": LinkRule.EMAIL.value})
            unit.commit()
        return _signed_in(account.id, token, unit.now)

    # -- the steps ------------------------------------------------------------------------

    def _adapter(self, provider: str) -> IdentityProviderAdapter:
        adapter = self._adapters.get(provider) if isinstance(provider, str) else None
        if adapter is None:
            raise NotFound("federation.provider.unknown", field="provider")
        return adapter

    def _take(self, provider: str, state: str, details: dict[str, str]) -> PendingSignIn:
        """Take the pending request of *state*, once; refuse an unknown, used or lapsed one."""
        usable = state if isinstance(state, str) and 0 < len(state) <= 256 else None
        with UseCase(self._ports, SIGN_IN, provider_subject(provider), details=details) as unit:
            uow = unit.uow
            requests = uow.pending_federated_sign_ins
            if usable is None:
                raise NotFound("federation.request.unknown")
            try:
                found = first_found(self._ports.digester.digests(REQUEST, usable), requests.get)
                requests.remove(found.id, version=found.version)
            except (NotFound, ConcurrentModification):
                raise NotFound("federation.request.unknown") from None
            if found.provider != provider or unit.now >= found.expires_at:
                unit.commit()  # spent either way
                unit.refuse(NotFound("federation.request.unknown"), outcome="failure")
            unit.commit()
        return found

    def _record_replay(
        self, provider: str, identity: FederatedIdentity, details: dict[str, str]
    ) -> None:
        """Record the message's replay key, atomically; refuse a message seen before."""
        with UseCase(self._ports, SIGN_IN, provider_subject(provider), details=details) as unit:
            keep = max(identity.valid_until, unit.now + REPLAY_MINIMUM)
            try:
                unit.uow.tokens.put(
                    StoredToken(
                        purpose=REPLAY,
                        digest=replay_digest(identity.issuer, identity.replay_key),
                        subject=provider_subject(provider),
                        expires_at=keep,
                    )
                )
                unit.commit()
            except AlreadyExists:  # on the put, or (a deferred constraint) on the commit
                raise NotPermitted("federation.replayed") from None

    def _resolve(
        self,
        identity: FederatedIdentity,
        keys: Keys,
        invitation: str | None,
        link_token: str | None,
        details: dict[str, str],
    ) -> _Resolved | LinkProposal:
        """Find the account: by the token the user came with, else by the policy's rules."""
        subject = provider_subject(details["provider"])
        with UseCase(self._ports, SIGN_IN, subject, readonly=True, details=details) as unit:
            uow, now = unit.uow, unit.now
            resolved: _Resolved | None = None
            if invitation is not None:
                found = self._token(
                    uow, INVITATION, invitation, now, "federation.invitation.unknown"
                )
                resolved = _Resolved(found.subject, LinkMethod.INVITATION, "invitation", found)
            elif link_token is not None:
                found = self._token(
                    uow, LINK_TOKEN, link_token, now, "federation.link_token.unknown"
                )
                resolved = _Resolved(found.subject, LinkMethod.LINK_TOKEN, "link_token", found)
            else:
                match = find_account(
                    self.policy,
                    {
                        LinkRule.LINK: lambda: linked_account(uow, keys.subject),
                        LinkRule.ECK_ID: lambda: linked_account(uow, keys.eck),
                        LinkRule.EMAIL: lambda: _by_email(uow, identity, keys),
                    },
                )
                if match is None:
                    raise NotFound("federation.account.unknown")
                method = LinkMethod.ECK_ID if match.rule is LinkRule.ECK_ID else None
                resolved = _Resolved(match.account_id, method, match.rule.value)
            try:
                account = uow.accounts.get(resolved.account_id)
            except NotFound:  # a link or token of an account removed since
                raise NotFound("federation.account.unknown") from None
            unit.subject, unit.actor_id = _account_subject(account.id), account.id
            self._guard(unit, identity, account)
            if resolved.rule != LinkRule.EMAIL.value:
                return resolved
        return self._propose(identity, keys, account, details)

    def _guard(self, unit: UseCase, identity: FederatedIdentity, account: Account) -> None:
        """Refuse, audited, an account that fails a guard of the policy."""
        try:
            authorization = unit.uow.authorizations.get(account.id)
        except NotFound:
            authorization = None
        code = guard_refusal(self.policy, identity, account, authorization)
        if code is not None:
            unit.refuse(NotPermitted(code))

    def _propose(
        self, identity: FederatedIdentity, keys: Keys, account: Account, details: dict[str, str]
    ) -> LinkProposal:
        """Store an e-mail match's proposal; return it for the user to confirm."""
        ports = self._ports
        token = ports.secrets.token_urlsafe(TOKEN_BYTES)
        with UseCase(
            ports, "federation.proposed", _account_subject(account.id), details=details
        ) as unit:
            expires_at = unit.now + PROPOSAL_LIFETIME
            unit.uow.tokens.revoke(PROPOSAL, account.id)
            unit.uow.tokens.put(
                StoredToken(
                    purpose=PROPOSAL,
                    digest=ports.digester.digest(PROPOSAL, token),
                    subject=account.id,
                    expires_at=expires_at,
                    data={"issuer": identity.issuer, "link": keys.subject, "eck": keys.eck or ""},
                )
            )
            unit.audit()
            unit.commit()
        return LinkProposal(
            token=token,
            account_id=account.id,
            login_name=str(account.login_name),
            masked_email=mask_email(account.email),
            expires_at=expires_at,
        )

    def _sign_in(
        self,
        *,
        identity: FederatedIdentity,
        keys: Keys,
        resolved: _Resolved,
        state: str,
        environment: str,
        details: dict[str, str],
    ) -> SignInProgress:
        """Admit the account, consume its token, store the link and sign in."""
        ports = self._ports
        account_id = resolved.account_id
        with ports.backend.begin(readonly=True) as uow:
            account = uow.accounts.get(account_id)
        self._admit(account, environment, details)
        with UseCase(
            ports, SIGN_IN, _account_subject(account_id), actor=account_id, details=details
        ) as unit:
            uow = unit.uow
            stored = resolved.token
            if stored is not None:
                try:
                    uow.tokens.consume(stored.purpose, stored.digest, now=unit.now)
                except NotFound:  # a simultaneous sign-in used it first
                    raise NotFound(
                        "federation.invitation.unknown"
                        if resolved.method is LinkMethod.INVITATION
                        else "federation.link_token.unknown"
                    ) from None
            current = uow.accounts.get(account_id)
            self._guard(unit, identity, current)
            method = resolved.method
            if method is not None and self._link(uow, keys, account_id, method, unit.now):
                unit.audit(LINKED, details={"method": method.value})
            elif method is None and keys.eck is not None:  # record a newly released ECK iD
                self._link(uow, keys, account_id, LinkMethod.ECK_ID, unit.now)
            if resolved.method is LinkMethod.INVITATION:
                unit.audit("roles.invitation.accepted")
            unit.audit(details={"rule": resolved.rule})
            unit.commit()
        return _signed_in(account_id, state, unit.now)

    @staticmethod
    def _link(
        uow: UnitOfWork, keys: Keys, account_id: str, method: LinkMethod, now: datetime
    ) -> bool:
        """Store the identity's links; one found by its ECK iD signs in without a second subject.

        An account found by the ECK iD that already has another subject of
        the same issuer keeps that link (the provider changed its pseudonym):
        the sign-in goes on, nothing is added.
        """
        if method is not LinkMethod.ECK_ID:
            return add_links(uow, keys, account_id, method, now)
        try:
            return add_links(uow, keys, account_id, method, now)
        except InvalidState as error:
            if error.code != "federation.account.issuer_linked":
                raise
            return False

    def _admit(self, account: Account, environment: str, details: dict[str, str]) -> None:
        """Refuse, audited, an account that is inactive or that the gate keeps out."""
        code = None
        if not account.is_active:
            code = "federation.account.inactive"
        elif not self._gate.may_sign_in(account, environment):
            code = "auth.application.denied"
        if code is None:
            return
        with UseCase(
            self._ports,
            SIGN_IN,
            _account_subject(account.id),
            actor=account.id,
            details=details,
        ) as unit:
            unit.refuse(NotPermitted(code, application=environment))

    def _token(
        self,
        uow: UnitOfWork,
        purpose: str,
        token: str,
        now: datetime,
        code: str,
        *,
        take: bool = False,
    ) -> StoredToken:
        """Return (with *take*: consume) the single-use token of *purpose*; refuse with *code*."""
        usable = token if isinstance(token, str) and 0 < len(token) <= 256 else None
        if usable is None:
            _unknown(code)
        read = uow.tokens.consume if take else uow.tokens.peek
        try:
            return first_found(
                self._ports.digester.digests(purpose, usable),
                lambda digest: read(purpose, digest, now=now),
            )
        except NotFound:
            _unknown(code)


def _unknown(code: str) -> NoReturn:
    raise NotFound(code)


def _by_email(uow: UnitOfWork, identity: FederatedIdentity, keys: Keys) -> str | None:
    """Return the one active account with the released e-mail address, unless linked already."""
    mail = identity.first(MAIL)
    if not mail or "@" not in mail:
        return None
    found = [account for account in uow.accounts.find_by_email(mail) if account.is_active]
    if len(found) != 1:
        return None
    account = found[0]
    for link in uow.federated_links.list_for_account(account.id):
        if link.issuer == keys.issuer:
            return None
    return account.id


def _signed_in(account_id: str, token: str, now: datetime) -> SignInProgress:
    """Return the signed-in result the portal starts its web session from."""
    return SignInProgress(
        step=Step.SIGNED_IN, transaction=token, account_id=account_id, expires_at=now
    )
