"""The user's own profile ("Mijn profiel", seed 004 §4.4).

Every signed-in user edits their names, phone and the language of their
e-mails, changes their password ("Verander wachtwoord": the current one and
a new one under the shown rules; every other web session ends, this browser
gets a new one) and their e-mail address in two steps: the new address with
the current password, then the link examkit mails to the new address
(AUTH-10). They download everything examkit stores about them, as the
export's JSON document or printed (PRIV-2). The proctor monitor, with its own sign-in, is
:mod:`portal._monitor`.
"""

from __future__ import annotations

from functools import partial
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.accounts import Account
from examkit.errors import ExamkitError, NotFound
from examkit.privacy import PersonRef
from examkit.problems import http_status
from portal._base import SESSION, Area, NavEntry, Viewer, public, signed_in
from portal._i18n import N_
from portal._reset import password_rules, problems
from portal._security import client_address, set_cookie

LANGUAGES: Final = (("nl", "Nederlands"), ("en", "English"))
"""The languages an account's e-mails can be written in, each named in itself."""


class ProfilePages(Area):
    """The signed-in user's own account: details, password, e-mail address."""

    navigation = (NavEntry("/profile", N_("My profile")),)

    def routes(self) -> list[Route]:
        """Return the profile's routes."""
        return [
            Route("/profile", self.profile_page, methods=["GET"]),
            Route("/profile", self.save_details, methods=["POST"]),
            Route("/profile/password", self.password_page, methods=["GET"]),
            Route("/profile/password", self.change_password, methods=["POST"]),
            Route("/profile/password/changed", self.password_changed, methods=["GET"]),
            Route("/profile/email", self.email_page, methods=["GET"]),
            Route("/profile/email", self.request_email, methods=["POST"]),
            Route("/profile/email/sent", self.email_sent, methods=["GET"]),
            Route("/profile/email/confirm", self.confirm_page, methods=["GET"]),
            Route("/profile/email/confirm", self.confirm_email, methods=["POST"]),
            Route("/profile/email/confirmed", self.email_confirmed, methods=["GET"]),
            Route("/profile/my-data.json", self.my_data_json, methods=["GET"]),
            Route("/profile/my-data.pdf", self.my_data_pdf, methods=["GET"]),
        ]

    # -- my data (PRIV-2) ----------------------------------------------------------------------

    async def my_data(self, viewer: Viewer, suffix: str) -> Response:
        """Everything stored about the viewer's own account, as *suffix* (``json`` or ``pdf``)."""
        portal = self.portal
        me = PersonRef.account(viewer.id)
        export = await portal.call(portal.kit.privacy_export.export, viewer.id, me)
        name = f"mijn-gegevens-{viewer.account.login_name}".replace('"', "")
        headers = {"Content-Disposition": f'attachment; filename="{name}.{suffix}"'}
        if suffix == "json":
            return Response(export.json().encode(), media_type="application/json", headers=headers)
        body = await portal.call(export.pdf)
        return Response(body, media_type="application/pdf", headers=headers)

    @signed_in
    async def my_data_json(self, request: Request, viewer: Viewer) -> Response:
        """Everything stored about the viewer, as the export's JSON document."""
        return await self.my_data(viewer, "json")

    @signed_in
    async def my_data_pdf(self, request: Request, viewer: Viewer) -> Response:
        """Everything stored about the viewer, printed (PDF)."""
        return await self.my_data(viewer, "pdf")

    # -- details -----------------------------------------------------------------------------

    async def details_page(
        self, request: Request, viewer: Viewer, status: int = 200, **context: object
    ) -> Response:
        """Render the profile with its form (the details as stored unless *context* says)."""
        portal = self.portal
        kit, lang = portal.kit, portal.lang(request)

        def read() -> tuple[str | None, list[tuple[str, str]], str]:
            """The warning, the institutions and the form's token: one trip to a worker."""
            return (
                kit.profile.expiry_warning(viewer.id, lang),
                self._institutions(viewer.account),
                kit.form_tokens.issue("profile"),
            )

        warning, institutions, token = await portal.call(read)
        return portal.page(
            request,
            "profile/profile.html",
            status,
            form_token=token,
            account=viewer.account,
            languages=LANGUAGES,
            institutions=institutions,
            warning=warning,
            providers=kit.federated_sign_in.providers,
            saved=request.query_params.get("saved") == "yes",
            **context,
        )

    def _institutions(self, account: Account) -> list[tuple[str, str]]:
        """Return the code and name of each institution *account* works for (AUTH-11)."""
        found = []
        for code in sorted(account.institutions, key=str):
            try:
                name = self.portal.kit.institutions.get(code).name
            except NotFound:
                name = ""
            found.append((str(code), name))
        return found

    @signed_in
    async def profile_page(self, request: Request, viewer: Viewer) -> Response:
        """The user's details, the form to change them, and the links to the password and e-mail."""
        return await self.details_page(request, viewer)

    @signed_in
    async def save_details(self, request: Request, viewer: Viewer) -> Response:
        """Save names, phone and language (the e-mail address has its own two steps)."""
        portal = self.portal
        data = await portal.accepted(request, "profile")
        if isinstance(data, Response):
            return data
        account = viewer.account
        chosen = str(data.get("preferred_lang", account.lang))
        try:
            await portal.call(
                partial(
                    portal.kit.profile.update_profile,
                    viewer.id,
                    first_name=str(data.get("first_name", "")),
                    last_name=str(data.get("last_name", "")),
                    email=account.email,
                    phone=str(data.get("phone", "")).strip() or None,
                    ip=client_address(request, portal.config),
                    preferred_lang="en" if chosen == "en" else "nl",
                )
            )
        except ExamkitError as error:
            return await self.details_page(
                request,
                viewer,
                http_status(error),
                problems=problems(portal, request, error),
                shown=_shown(data),
            )
        return portal.to("/profile?saved=yes")

    # -- password ----------------------------------------------------------------------------

    @signed_in
    async def password_page(self, request: Request, viewer: Viewer) -> Response:
        """The form: the current password and a new one, with the policy's rules."""
        return await self.portal.form_page(
            request,
            "profile/password.html",
            "profile-password",
            rules=password_rules(self.portal, request),
        )

    @signed_in
    async def change_password(self, request: Request, viewer: Viewer) -> Response:
        """Change the password; every web session ends and this browser gets a new one."""
        portal = self.portal
        data = await portal.accepted(request, "profile-password")
        if isinstance(data, Response):
            return data
        try:
            await portal.hashing_call(
                partial(
                    portal.kit.profile.change_own_password,
                    viewer.id,
                    str(data.get("old_password", "")),
                    str(data.get("new_password", "")),
                    ip=client_address(request, portal.config),
                )
            )
        except ExamkitError as error:
            return await portal.form_page(
                request,
                "profile/password.html",
                "profile-password",
                http_status(error),
                rules=password_rules(portal, request),
                problems=problems(portal, request, error),
            )
        token, _ = await portal.call(portal.kit.web_sessions.start, viewer.id)
        response = portal.to("/profile/password/changed")
        set_cookie(response, SESSION, token, portal.config, max_age=None)
        return response

    @signed_in
    async def password_changed(self, request: Request, viewer: Viewer) -> Response:
        """Says the password was changed and every other browser signed out."""
        return self.portal.page(request, "profile/password_changed.html")

    # -- e-mail address ----------------------------------------------------------------------

    @signed_in
    async def email_page(self, request: Request, viewer: Viewer) -> Response:
        """Step 1: the new address and the current password."""
        return await self.portal.form_page(
            request, "profile/email.html", "profile-email", account=viewer.account
        )

    @signed_in
    async def request_email(self, request: Request, viewer: Viewer) -> Response:
        """Ask examkit to mail the link to the new address (the current one is told)."""
        portal = self.portal
        data = await portal.accepted(request, "profile-email")
        if isinstance(data, Response):
            return data
        account = viewer.account
        new = str(data.get("email", "")).strip()
        if new == account.email:
            _ = portal.gettext(request)
            refused, status = [_("This is your e-mail address already.")], 422
        else:
            try:
                await portal.hashing_call(partial(self._ask_email, viewer, account, data, request))
            except ExamkitError as error:
                refused, status = problems(portal, request, error), http_status(error)
            else:
                return portal.to("/profile/email/sent")
        return await portal.form_page(
            request,
            "profile/email.html",
            "profile-email",
            status,
            account=account,
            problems=refused,
            email=new,
        )

    def _ask_email(
        self, viewer: Viewer, account: Account, data: FormData, request: Request
    ) -> None:
        """Call examkit's profile update with only the e-mail address changed (a worker thread)."""
        self.portal.kit.profile.update_profile(
            viewer.id,
            first_name=account.first_name,
            last_name=account.last_name,
            email=str(data.get("email", "")),
            phone=account.phone,
            ip=client_address(request, self.portal.config),
            password=str(data.get("password", "")),
            lang=self.portal.lang(request),
        )

    @signed_in
    async def email_sent(self, request: Request, viewer: Viewer) -> Response:
        """Step 2 waits for the user: open the link mailed to the new address."""
        return self.portal.page(request, "profile/email_sent.html", account=viewer.account)

    @public
    async def confirm_page(self, request: Request) -> Response:
        """The mailed link's page: a button confirms (a link opened by a mail scanner does not)."""
        return await self.portal.form_page(
            request,
            "profile/email_confirm.html",
            "profile-email-confirm",
            token=request.query_params.get("token", ""),
        )

    @public
    async def confirm_email(self, request: Request) -> Response:
        """Take the new address; an unknown, used or expired link gets a page that says so."""
        portal = self.portal
        data = await portal.accepted(request, "profile-email-confirm")
        if isinstance(data, Response):
            return data
        try:
            await portal.call(
                portal.kit.profile.confirm_email,
                str(data.get("token", "")),
                ip=client_address(request, portal.config),
            )
        except NotFound as error:
            return portal.refusal(request, error)
        return portal.to("/profile/email/confirmed")

    @public
    async def email_confirmed(self, request: Request) -> Response:
        """Says the new address is in use from now on."""
        _ = self.portal.gettext(request)
        return self.portal.message(
            request, _("Your new e-mail address is confirmed. One-time passwords go there now.")
        )


def _shown(data: FormData) -> dict[str, str]:
    """Return the posted details, to show them again with the problems."""
    return {
        name: str(data.get(name, ""))
        for name in ("first_name", "last_name", "phone", "preferred_lang")
    }
