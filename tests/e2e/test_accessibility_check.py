# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The accessibility check itself: axe-core finds a serious violation where there is one.

Without this, a broken :func:`~tests.e2e.conftest.assert_accessible` (axe not
loaded, results not read) would pass every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.e2e.conftest import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

GOOD = (
    '<!doctype html><html lang="en"><head><title>Fine</title></head>'
    "<body><main><h1>Fine</h1><button>Save</button></main></body></html>"
)
BAD = (
    '<!doctype html><html lang="en"><head><title>Broken</title></head>'
    '<body><main><h1>Broken</h1><button></button><img src="x.png"></main></body></html>'
)


@pytest.mark.req("WEB-1")
def test_axe_passes_a_sound_page_and_names_the_violations_of_a_broken_one(page: Page) -> None:
    page.set_content(GOOD)
    assert_accessible(page)
    page.set_content(BAD)
    with pytest.raises(AssertionError) as failed:
        assert_accessible(page)
    assert "button-name" in str(failed.value)
    assert "image-alt" in str(failed.value)
