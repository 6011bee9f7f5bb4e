"""An editor logs a new contested claim with both sides in the admin, in a
real browser: autocomplete, inlines and the admin's scripts under our CSP."""

import pytest
from playwright import sync_api

from claims.models import Claim

from .browser_support import DESKTOP, log_in, new_page, shoot, watch_problems
from .factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def choose(page, field_id, text):
    """Pick `text` in an admin autocomplete (select2) widget."""
    page.locator(f"#{field_id} + .select2").click()
    page.keyboard.type(text)  # into the widget's search box, which has the focus
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_logs_a_contested_claim_with_both_sides(browser, site):
    UserFactory(username="desk", role="Editor")
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "desk", PASSWORD)
    page.goto(site + "/admin/claims/claim/add/")
    # Typed key by key: the admin fills the slug in from the text as one types.
    page.locator("#id_text").press_sequentially("Wagner fighters control the Bakhmut railway station.")
    sync_api.expect(page.locator("#id_slug")).to_have_value(
        "wagner-fighters-control-the-bakhmut-railway-station"
    )
    choose(page, "id_topics", "Battle of Bakhmut")
    choose(page, "id_place", "Bakhmut")
    page.locator("#id_first_claimed_on").fill("2023-04-03")

    add_statement = page.get_by_text("Add another Statement")
    for row, (actor, stance) in enumerate([("Wagner Group", "asserts"), ("Serhiy Cherevatiy", "denies")]):
        add_statement.click()
        choose(page, f"id_statements-{row}-actor", actor)
        page.locator(f"#id_statements-{row}-stance").select_option(stance)
        page.locator(f"#id_statements-{row}-stated_on").fill("2023-04-03")
        page.locator(f"#id_statements-{row}-summary").fill(f"{actor} {stance} it.")
    shoot(page, "desktop-admin-add-claim")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    claim = Claim.objects.get(slug="wagner-fighters-control-the-bakhmut-railway-station")
    assert not claim.is_published  # editors log; reviewers publish
    assert sorted(claim.statements.values_list("actor__name", "stance")) == [
        ("Serhiy Cherevatiy", "denies"),
        ("Wagner Group", "asserts"),
    ]
    assert [topic.name for topic in claim.topics.all()] == ["Battle of Bakhmut"]
    assert claim.history.latest().history_user.username == "desk"
    assert problems == []
    context.close()
