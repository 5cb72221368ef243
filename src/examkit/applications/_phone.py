"""Dutch phone numbers through Google's ``phonenumbers`` library (ACC-2)."""

from __future__ import annotations

from typing import Final

import phonenumbers

from examkit.errors import InvalidInput

ALLOWED_TYPES: Final = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
"""The kinds of Dutch number accepted anywhere: mobile (06) and landline (area codes)."""

NATIONWIDE_PREFIXES: Final = ("85", "88")
"""Nationwide business numbers accepted as landlines too: 085 (VoIP) and 088 (companies)."""


def normalise_phone(value: object, field: str = "phone") -> str:
    """Return a Dutch mobile or landline number as its ten digits (``0612345678``).

    Accepts the usual written forms (``06-12345678``, ``(050) 599 77 99``,
    ``+31 6 12345678``, ``0031 50 599 7799``); refuses a foreign number, a
    service number (0800, 0900, 0906, 0909) and anything not a number.

    >>> normalise_phone("(050) 599 77 99"), normalise_phone("+31 6 1234 5678")
    ('0505997799', '0612345678')
    >>> try:
    ...     normalise_phone("0800 1234")
    ... except InvalidInput as error:
    ...     print(error.code, error.field)
    applications.phone.invalid phone

    Raises:
        InvalidInput: the text is not a Dutch mobile or landline number (field *field*).

    Implements ACC-2.
    """
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", field=field, actual=type(value).__name__)
    text = " ".join(value.split())
    if not text:
        raise InvalidInput("applications.phone.required", field=field)
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        raise InvalidInput("applications.phone.invalid", field=field, value=text) from None
    national = phonenumbers.national_significant_number(number)
    kind = phonenumbers.number_type(number)
    fits = kind in ALLOWED_TYPES or national.startswith(NATIONWIDE_PREFIXES)
    if number.country_code != 31 or not phonenumbers.is_valid_number(number) or not fits:
        raise InvalidInput("applications.phone.invalid", field=field, value=text)
    return f"0{national}"
