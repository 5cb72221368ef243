"""The public account application: four steps, the summary, sending it, its PDF form.

A school applies without an account (seed 000): 1 school, 2 administrator,
3 competent authority, 4 review and send. Each step is a page with its
form; "Next" checks the step with examkit's wizard and shows every problem
at its field, in the page's language; "Previous" goes back keeping what was
entered (kept in a signed cookie: :mod:`portal._draft`). Sending is limited
per client address (:mod:`portal._limits`); the page after it offers the
PDF form to print and sign, through the receipt examkit gives the
applicant (an unguessable token, valid a day), never by the application's id.

The service desk's queue and decisions are in :mod:`portal._applications_desk`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit.applications import (
    HANDLE,
    LocationEntry,
    Receipt,
    SchoolEntry,
    WizardStep,
)
from examkit.documents import SEND_TO, account_application_pdf
from examkit.errors import ExamkitError
from examkit.messages import Lang, text
from examkit.problems import http_status
from examkit.websessions import RequestLimit
from portal._applications_desk import DeskPages, pdf_response
from portal._base import NavEntry, public
from portal._draft import (
    BLANK_ROWS,
    DRAFT_LIFETIME,
    FIELDS,
    MAX_LOCATIONS,
    ROW_FIELDS,
    Draft,
    entry_of,
    field_id,
    problems_of,
    seal,
    unseal,
    wizard_of,
)
from portal._i18n import N_
from portal._limits import FormLimit
from portal._security import clear_cookie, cookie_name, set_cookie

DRAFT = "application"
"""The cookie of the application in progress."""
SUBMIT_LIMIT: Final = FormLimit(RequestLimit("portal.applications.submit", 5, timedelta(hours=1)))
"""At most five applications sent per client address an hour."""
STEPS: Final = {
    "school": WizardStep.SCHOOL,
    "administrator": WizardStep.ADMINISTRATOR,
    "authority": WizardStep.COMPETENT_AUTHORITY,
    "review": WizardStep.REVIEW,
}
"""Each step's path segment (``/apply/<segment>``)."""
_SEGMENT: Final = {step: segment for segment, step in STEPS.items()}
_STEP_CODE: Final = {
    WizardStep.SCHOOL: "applications.step.school",
    WizardStep.ADMINISTRATOR: "applications.step.administrator",
    WizardStep.COMPETENT_AUTHORITY: "applications.step.competent_authority",
    WizardStep.REVIEW: "applications.step.review",
}


class ApplicationPages(DeskPages):
    """The four steps of the public application, its confirmation and PDF; the desk's pages."""

    navigation = (NavEntry("/desk/applications", N_("Account applications"), (HANDLE,)),)

    def routes(self) -> list[Route]:
        """Return the application's routes, then the desk's."""
        return [
            Route("/apply", self.start, methods=["GET"]),
            Route("/apply/{step}", self.step_page, methods=["GET"]),
            Route("/apply/{step}", self.post_step, methods=["POST"]),
            Route("/apply/sent/{receipt}", self.sent, methods=["GET"]),
            Route("/apply/sent/{receipt}/form.pdf", self.form_pdf, methods=["GET"]),
            *self.desk_routes(),
        ]

    # -- the draft -------------------------------------------------------------------------

    def draft(self, request: Request) -> Draft:
        """Return the application in progress of this browser (empty if none)."""
        config = self.portal.config
        value = request.cookies.get(cookie_name(DRAFT, config))
        return unseal(value, config.token_key, self.portal.kit.clock.now())

    def keep(self, response: Response, draft: Draft) -> Response:
        """Set *draft* as the browser's application in progress on *response*."""
        config = self.portal.config
        value = seal(draft, config.token_key, self.portal.kit.clock.now())
        max_age = int(DRAFT_LIFETIME.total_seconds())
        set_cookie(response, DRAFT, value, config, max_age=max_age)
        return response

    def to_step(self, step: WizardStep) -> Response:
        """Return the redirect to *step*'s page."""
        return self.portal.to(f"/apply/{_SEGMENT[step]}")

    # -- the steps -------------------------------------------------------------------------

    @public
    async def start(self, request: Request) -> Response:
        """Go to the first step (what was entered so far is kept)."""
        return self.to_step(WizardStep.SCHOOL)

    @public
    async def step_page(self, request: Request) -> Response:
        """Show a step's form, filled in with what was entered; the review shows everything."""
        step = STEPS.get(request.path_params["step"])
        if step is None:
            return Response(status_code=404)
        draft = self.draft(request)
        if step > draft.reached:
            return self.to_step(draft.reached)
        if step is WizardStep.REVIEW:
            return await self.review_page(request, draft)
        return await self.show_step(request, step, draft, {})

    async def show_step(
        self,
        request: Request,
        step: WizardStep,
        draft: Draft,
        problems: dict[str, str],
        status: int = 200,
    ) -> Response:
        """Render *step*'s form from *draft*, each of *problems* at its field."""
        entry = draft.entry(step)
        fields = [
            {
                "field": field,
                "id": field_id(field.name),
                "value": getattr(entry, field.name),
                "error": problems.get(field.name, ""),
                "describedby": " ".join(
                    f"{field_id(field.name)}-{part}"
                    for part, present in (("hint", field.hint), ("error", field.name in problems))
                    if present
                ),
            }
            for field in FIELDS[step]
        ]
        rows: list[list[dict[str, Any]]] = []
        if isinstance(entry, SchoolEntry):
            shown = [*entry.secondary_locations]
            shown += [LocationEntry()] * min(BLANK_ROWS, MAX_LOCATIONS - len(shown))
            for index, row in enumerate(shown):
                cells = []
                for name in ROW_FIELDS:
                    full = f"secondary_locations[{index}].{name}"
                    cells.append(
                        {
                            "name": full,
                            "id": field_id(full),
                            "value": getattr(row, name),
                            "error": problems.get(full, ""),
                        }
                    )
                rows.append(cells)
        labels = {field.name: field.label for field in FIELDS[step]}
        summary = [
            (field_id(name), labels.get(name, ""), message) for name, message in problems.items()
        ]
        response = await self.portal.form_page(
            request,
            "applications/step.html",
            f"apply-{_SEGMENT[step]}",
            status,
            **self.steps_context(request, step),
            fields=fields,
            rows=rows,
            summary=summary,
        )
        return self.keep(response, draft) if problems else response

    def steps_context(self, request: Request, step: WizardStep) -> dict[str, Any]:
        """Return what every step's page shows: the four steps' names and the current one."""
        lang = self.portal.lang(request)
        return {
            "step": int(step),
            "segment": _SEGMENT[step],
            "step_title": text(_STEP_CODE[step], lang),
            "steps": [(int(each), text(_STEP_CODE[each], lang)) for each in WizardStep],
        }

    @public
    async def post_step(self, request: Request) -> Response:
        """Keep what was typed; "Next" checks the step, "Previous" goes back, "Send" sends.

        "Next" is the form's first button, so the Enter key in a field means "Next".
        """
        step = STEPS.get(request.path_params["step"])
        refusal = self.portal.cross_site_refusal(request)
        if refusal is not None or step is None:
            return refusal or Response(status_code=404)
        data = await self.portal.accepted(request, f"apply-{_SEGMENT[step]}")
        if isinstance(data, Response):
            return data
        draft = self.draft(request)
        if step > draft.reached:
            return self.to_step(draft.reached)
        action = str(data.get("action", "next"))
        if step is not WizardStep.REVIEW:
            return await self.leave(request, step, draft.with_entry(entry_of(step, data)), action)
        if action == "back":
            return self.to_step(WizardStep.COMPETENT_AUTHORITY)
        return await self.send(request, draft)

    async def leave(
        self, request: Request, step: WizardStep, draft: Draft, action: str
    ) -> Response:
        """Go back keeping *draft*, or check *step* and go on; show its problems if it has any."""
        if action == "back" and step is not WizardStep.SCHOOL:
            return self.keep(self.to_step(WizardStep(step - 1)), draft)
        stands, problems = await self.portal.call(
            self.check, step, draft, self.portal.lang(request)
        )
        if stands is not step:
            return self.keep(self.to_step(stands), attrs.evolve(draft, reached=stands))
        if problems:
            return await self.show_step(request, step, draft, problems, 422)
        draft = attrs.evolve(draft, reached=max(draft.reached, WizardStep(step + 1)))
        return self.keep(self.to_step(WizardStep(step + 1)), draft)

    def check(
        self, step: WizardStep, draft: Draft, lang: Lang
    ) -> tuple[WizardStep, dict[str, str]]:
        """Check *step* of *draft* with examkit's wizard: where it stands, and its problems.

        Where it stands is *step*, or an earlier step that no longer passes.
        """
        wizard = self.portal.kit.applications.wizard(self.portal.config.applications[0])
        stands = wizard_of(wizard, draft, step)
        if stands is not step:
            return stands, {}
        wizard.enter(draft.entry(step))
        try:
            wizard.next()
        except ExamkitError as error:
            return step, problems_of(error, step, lang)
        return step, {}

    async def review_page(
        self, request: Request, draft: Draft, *, error: str = "", status: int = 200
    ) -> Response:
        """The summary of everything entered, with "Previous" and "Send"."""
        lang = self.portal.lang(request)
        reviewed = await self.portal.call(self.reviewed, draft, lang)
        if isinstance(reviewed, WizardStep):
            return self.keep(self.to_step(reviewed), attrs.evolve(draft, reached=reviewed))
        return await self.portal.form_page(
            request,
            "applications/review.html",
            "apply-review",
            status,
            **self.steps_context(request, WizardStep.REVIEW),
            sections=reviewed,
            error=error,
        )

    def reviewed(self, draft: Draft, lang: Lang) -> Any:
        """Return the review's sections, or the step that no longer passes its check."""
        wizard = self.portal.kit.applications.wizard(self.portal.config.applications[0])
        stands = wizard_of(wizard, draft, WizardStep.REVIEW)
        if stands is not WizardStep.REVIEW:
            return stands
        return wizard.review(lang)

    async def send(self, request: Request, draft: Draft) -> Response:
        """Send the application (within the client's limit); go to its confirmation."""
        portal = self.portal
        wizard = await portal.call(portal.kit.applications.wizard, portal.config.applications[0])
        stands = await portal.call(wizard_of, wizard, draft, WizardStep.REVIEW)
        if stands is not WizardStep.REVIEW:
            return self.keep(self.to_step(stands), attrs.evolve(draft, reached=stands))
        refused = await SUBMIT_LIMIT.refusal(portal, request)
        if refused is not None:
            return refused
        try:
            receipt: Receipt = await portal.call(
                portal.kit.applications.submit_with_receipt, wizard
            )
        except ExamkitError as error:
            message = error.message(portal.lang(request))
            return await self.review_page(request, draft, error=message, status=http_status(error))
        response = portal.to(f"/apply/sent/{receipt.token}")
        clear_cookie(response, DRAFT, portal.config)
        return response

    # -- after sending ---------------------------------------------------------------------

    @public
    async def sent(self, request: Request) -> Response:
        """The confirmation: what happens next, where to send the signed form, its PDF."""
        portal = self.portal
        receipt = request.path_params["receipt"]
        try:
            application = await portal.call(portal.kit.applications.by_receipt, receipt)
        except ExamkitError as error:
            return portal.refusal(request, error)
        due = await portal.call(portal.kit.applications.due_date, application)
        send_to = SEND_TO.get(application.system)
        return portal.page(
            request,
            "applications/sent.html",
            application=application,
            receipt=receipt,
            due=due.strftime("%d-%m-%Y"),
            address=send_to.address if send_to is not None else (),
        )

    @public
    async def form_pdf(self, request: Request) -> Response:
        """The application's PDF form, to print, sign and send (the receipt's holder only)."""
        portal = self.portal
        try:
            application = await portal.call(
                portal.kit.applications.by_receipt, request.path_params["receipt"]
            )
            pdf = await portal.call(account_application_pdf, application)
        except ExamkitError as error:
            return portal.refusal(request, error)
        return pdf_response(pdf, f"aanvraag-schoolaccount-{application.school.code}.pdf")
