"""One-time form tokens: a form submitted twice (a double click, a reload) changes nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Final

from examkit._digests import first_found
from examkit.errors import InvalidInput, InvalidState, NotFound
from examkit.storage import StoredToken
from examkit.usecase import Ports

FORM: Final = "websessions.form"
"""The purpose the form tokens are stored under."""
FORM_LIFETIME: Final = timedelta(hours=2)
"""How long a form shown waits for its submission."""
_FORM_NAME_LENGTH: Final = 64


class FormTokens:
    """One-time tokens for a portal's forms, ``kit.form_tokens``.

    The page that shows a form asks :meth:`issue` for a token and puts it in a
    hidden field; the request that submits it spends it first with
    :meth:`take`. A second submission of the same page (a double click, the
    browser's resubmit after a reload) finds the token spent and is refused
    before anything changes. A submission the use case then refuses shows
    the form again with a new token. Only a keyed digest is stored, bound to
    the form's name, so a token of one form does not work for another.

    >>> from examkit.testing import make_kit
    >>> forms = make_kit().form_tokens
    >>> token = forms.issue("sign-in")
    >>> forms.take("sign-in", token)
    >>> try:
    ...     forms.take("sign-in", token)
    ... except InvalidState as refused:
    ...     print(refused.code)
    websessions.form.used

    Implements WEB-2.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def issue(self, form: str) -> str:
        """Return a fresh token for one submission of *form* (valid :data:`FORM_LIFETIME`).

        Raises:
            InvalidInput: ``websessions.form.name``: *form* is empty or over 64 characters.
        """
        return self.issue_many([form])[form]

    def issue_many(self, forms: Iterable[str]) -> dict[str, str]:
        """Return a fresh token for each of *forms* (a page's several forms), in one write.

        The same tokens as :meth:`issue` gives one at a time, each for one
        submission of its form, stored together: a page that offers several
        forms costs one unit of work, not one per form. A form named twice
        gets one token.

        >>> from examkit.testing import make_kit
        >>> forms = make_kit().form_tokens
        >>> tokens = forms.issue_many(["pause", "resume"])
        >>> sorted(tokens)
        ['pause', 'resume']
        >>> forms.take("resume", tokens["resume"])

        Raises:
            InvalidInput: ``websessions.form.name``: a form's name is empty or over
                64 characters (no token is stored).
        """
        wanted = list(dict.fromkeys(forms))
        for form in wanted:
            _check(form)
        ports = self._ports
        tokens = {form: ports.secrets.token_urlsafe(24) for form in wanted}
        if not tokens:
            return tokens
        expires_at = ports.clock.now() + FORM_LIFETIME
        with ports.backend.begin() as uow:
            for form, token in tokens.items():
                uow.tokens.put(
                    StoredToken(
                        purpose=FORM,
                        digest=ports.digester.digest(FORM, form, token),
                        subject=form,
                        expires_at=expires_at,
                    )
                )
            uow.commit()
        return tokens

    def take(self, form: str, token: str) -> None:
        """Spend *token* for *form*, once.

        Raises:
            InvalidState: ``websessions.form.used``: the token was spent, is of
                another form, unknown or expired (the page is shown again).
        """
        _check(form)
        ports = self._ports
        now = ports.clock.now()
        with ports.backend.begin() as uow:
            try:
                first_found(
                    ports.digester.digests(FORM, form, str(token)[:200]),
                    lambda digest: uow.tokens.consume(FORM, digest, now=now),
                )
            except NotFound:
                raise InvalidState("websessions.form.used", field="form_token") from None
            uow.commit()

    def __repr__(self) -> str:
        return f"FormTokens({self._ports.backend!r})"


def _check(form: str) -> None:
    if not isinstance(form, str) or not form or len(form) > _FORM_NAME_LENGTH:
        raise InvalidInput("websessions.form.name", field="form")
