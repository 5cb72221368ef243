# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Property tests of the application wizard's login-name rule (ACC-2)."""

from __future__ import annotations

import re
import string

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.applications import AdministratorEntry, MailDomainRule, check_administrator
from examkit.errors import ExamkitErrorGroup

ADMIN = AdministratorEntry(
    "Klaas", "Beheerder", "0612345678", "k.beheerder@helpdeskschool.nl", "22AB.K.Beheerder"
)
RULE = MailDomainRule.default()
ALLOWED = string.ascii_letters + string.digits + "."
# Written out independently of the code's rule: 8 to 20 of ASCII letters, digits and dots.
GOOD = re.compile(r"[A-Za-z0-9.]{8,20}")


@pytest.mark.req("ACC-2")
@given(name=st.text(alphabet=ALLOWED, min_size=8, max_size=20))
def test_every_login_name_of_8_to_20_letters_digits_and_dots_is_accepted(name: str) -> None:
    """Any such text passes step 2 and is kept as typed."""
    details = check_administrator(attrs.evolve(ADMIN, login_name=name), RULE)
    assert name == str(details.login_name)


@pytest.mark.req("ACC-2")
@given(
    name=st.one_of(
        st.text(alphabet=ALLOWED, max_size=7).filter(str.strip),
        st.text(alphabet=ALLOWED, min_size=21, max_size=40),
        st.text(min_size=8, max_size=20).filter(lambda text: not GOOD.fullmatch(text.strip())),
    ).filter(lambda text: text.strip())
)
def test_any_other_login_name_is_refused_naming_the_field(name: str) -> None:
    """Too short, too long or another character: refused as administrator.login_name."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_administrator(attrs.evolve(ADMIN, login_name=name), RULE)
    assert ["administrator.login_name"] == [problem.field for problem in caught.value.problems]
