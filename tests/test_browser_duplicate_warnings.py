"""An editor types a claim that is already in the database and, in a real
browser under our CSP, sees it named under the field before saving; the
save is refused until the tick box is ticked."""

import pytest
from playwright import sync_api

from claims.demo import TOWN_HALL
from claims.models import Claim

from .browser_support import DESKTOP, log_in, new_page, shoot_for_docs, watch_problems
from .factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_typing_a_near_duplicate_claim_shows_the_existing_one(browser, site):
    UserFactory(username="typist", role="Editor")
    town_hall = Claim.objects.get(slug=TOWN_HALL)
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "typist", PASSWORD)
    page.goto(site + "/admin/claims/claim/add/")

    page.locator("#id_text").press_sequentially("Wagner captured the Bakhmut town hall")
    warning = page.locator("#id_text-similar")
    sync_api.expect(warning).to_be_visible()
    sync_api.expect(warning).to_contain_text("Similar claims already in the database")
    sync_api.expect(warning).to_contain_text("Disputed · published")
    link = warning.get_by_role("link", name=town_hall.text)
    sync_api.expect(link).to_have_attribute("href", f"/admin/claims/claim/{town_hall.pk}/change/")
    shoot_for_docs(page.locator("#content-main fieldset").first, "duplicate-warning")

    # Saved as it is, the form refuses it and offers the tick box; ticked, it saves.
    page.locator("#id_first_claimed_on").fill("2023-04-03")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(".errorlist").first).to_contain_text(
        "Similar claims already in the database"
    )
    assert not Claim.objects.filter(text="Wagner captured the Bakhmut town hall").exists()
    page.get_by_label("This is a different claim").check()
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Claim.objects.filter(text="Wagner captured the Bakhmut town hall").exists()

    # Typed over with something else, the list goes away.
    page.goto(site + "/admin/claims/claim/add/")
    page.locator("#id_text").press_sequentially("Finland's border with Russia is 1,300 km long.")
    page.wait_for_timeout(1000)  # past the debounce and the answer
    sync_api.expect(page.locator("#id_text-similar")).to_be_hidden()
    assert problems == []
    context.close()


def test_typing_an_actor_known_by_an_alias_shows_it(browser, site):
    UserFactory(username="typist2", role="Editor")
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "typist2", PASSWORD)
    page.goto(site + "/admin/claims/actor/add/")
    page.locator("#id_name").press_sequentially("Wagner PMC")
    warning = page.locator("#id_name-similar")
    sync_api.expect(warning).to_contain_text("Wagner Group")
    sync_api.expect(warning).to_contain_text("as “PMC Wagner”")
    assert problems == []
    context.close()
