"""A reader in a real Chromium (Debian's /usr/bin/chromium through Playwright)
against the live server: finds the town-hall claim by searching, sees both
sides and the timeline, follows an actor; on a desktop and a 360 px phone.
Every reader page passes axe-core with no serious or critical violation."""

import pytest
from playwright import sync_api

from .browser_support import AXE, DESKTOP, PHONE, new_page, shoot

pytestmark = pytest.mark.browser

TOWN_HALL = "/claims/wagner-captured-bakhmut-city-administration/"
AXE_PAGES = {
    "home": "/",
    "claim-list": "/claims/",
    "claim": TOWN_HALL,
    "actor": "/actors/serhiy-cherevatiy/",
    "topic": "/topics/battle-of-bakhmut/",
    "search-results": "/claims/?q=Bakhmut",
    "methodology": "/methodology/",
}


def read_the_town_hall_claim(page, site, label):
    page.goto(site + "/")
    shoot(page, f"{label}-1-home")
    page.get_by_label("Search claims, quotes, people and organisations").fill("Bakhmut")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.wait_for_url("**/claims/?q=Bakhmut")
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text("Claims matching “Bakhmut”")
    shoot(page, f"{label}-2-search-results")

    page.get_by_role("link", name="The Wagner Group captured Bakhmut's city administration building.").click()
    page.wait_for_url(f"**{TOWN_HALL}")
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Wagner Group captured Bakhmut's city administration building."
    )
    asserting = page.locator(".side--asserts")
    denying = page.locator(".side--denies")
    sync_api.expect(asserting).to_contain_text("Wagner Group")
    sync_api.expect(denying).to_contain_text("Serhiy Cherevatiy")
    sync_api.expect(denying).to_contain_text("John Kirby")
    sync_api.expect(denying).to_contain_text("very far from doing that")
    sync_api.expect(page.locator(".verdict")).to_contain_text("Disputed")
    timeline = page.locator(".timeline")
    sync_api.expect(timeline).to_be_visible()
    sync_api.expect(timeline).to_contain_text("No independent confirmation.")
    shoot(page, f"{label}-3-claim")
    return asserting, denying


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_reader_searches_reads_both_sides_and_follows_an_actor_on_desktop(browser, site):
    context, page = new_page(browser, DESKTOP)
    asserting, denying = read_the_town_hall_claim(page, site, "desktop")
    # Side by side: the assertion's column is left of the denials' column, at the same height.
    left, right = asserting.bounding_box(), denying.bounding_box()
    assert left["x"] + left["width"] <= right["x"]
    assert abs(left["y"] - right["y"]) < 5

    denying.get_by_role("link", name="Serhiy Cherevatiy").click()
    page.wait_for_url("**/actors/serhiy-cherevatiy/")
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text("Serhiy Cherevatiy")
    sync_api.expect(page.locator(".track-record")).to_contain_text("Denies: 1 claim")
    shoot(page, "desktop-4-actor")
    context.close()


def test_reader_does_the_same_on_a_360px_phone(browser, site):
    context, page = new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    asserting, denying = read_the_town_hall_claim(page, site, "phone")
    # Stacked on a phone: the denials come below the assertion, and nothing scrolls sideways.
    assert denying.bounding_box()["y"] > asserting.bounding_box()["y"]
    assert no_horizontal_scroll(page)
    denying.get_by_role("link", name="Serhiy Cherevatiy").click()
    page.wait_for_url("**/actors/serhiy-cherevatiy/")
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text("Serhiy Cherevatiy")
    assert no_horizontal_scroll(page)
    shoot(page, "phone-4-actor")
    context.close()


def test_pages_need_no_javascript_to_read(browser, site):
    context, page = new_page(browser, DESKTOP, java_script_enabled=False)
    page.goto(site + TOWN_HALL)
    sync_api.expect(page.locator(".side--denies")).to_contain_text("Serhiy Cherevatiy")
    sync_api.expect(page.locator(".timeline")).to_contain_text("Disputed")
    context.close()


def test_pages_raise_no_csp_violation(browser, site):
    context, page = new_page(browser, DESKTOP)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in AXE_PAGES.values():
        page.goto(site + path)
        page.wait_for_load_state("load")
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    assert errors == []
    context.close()


@pytest.mark.parametrize(("viewport_name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_axe_finds_no_serious_or_critical_violation(browser, site, viewport_name, viewport):
    # bypass_csp only so that axe itself can be injected; the pages are unchanged.
    context, page = new_page(browser, viewport, bypass_csp=True)
    failures = {}
    for name, path in AXE_PAGES.items():
        page.goto(site + path)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[name] = serious
        if viewport_name == "phone":
            assert no_horizontal_scroll(page), f"{name} scrolls sideways at 360px"
            shoot(page, f"phone-page-{name}")
        else:
            shoot(page, f"desktop-page-{name}")
    context.close()
    assert failures == {}
