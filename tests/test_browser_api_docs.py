"""The API's Swagger UI works in a real browser under our CSP."""

import pytest
from playwright import sync_api

from .browser_support import DESKTOP, new_page, shoot

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_the_operations_with_no_csp_violation(browser, site):
    context, page = new_page(browser, DESKTOP)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(site + "/api/v1/docs/")
    sync_api.expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    sync_api.expect(page.get_by_text("/api/v1/claims/{slug}/claimreview/")).to_be_visible()
    shoot(page, "desktop-api-docs")
    assert problems == []
    context.close()
