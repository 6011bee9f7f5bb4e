"""A Reviewer opens the desk from the admin index in a real browser, under
our CSP, and finds what waits: a draft, a long-disputed claim, a source at risk."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright import sync_api

from claims.demo import TOWN_HALL
from claims.models import Claim, Source
from claims.vocabularies import LinkState

from .browser_support import DESKTOP, log_in, new_page, shoot_for_docs, watch_problems
from .factories import AssessmentFactory, ClaimFactory, SourceFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_a_reviewer_opens_the_desk_and_finds_what_waits(browser, site):
    UserFactory(username="reviewing", role="Reviewer")
    draft = ClaimFactory(
        text="Wagner fighters control the Bakhmut railway station.",
        slug="railway-station",
        is_published=False,
    )
    AssessmentFactory(
        claim=Claim.objects.get(slug="civilians-remaining-in-bakhmut"),
        is_published=False,
        rationale="A new estimate from the city's administration.",
    )
    StatementFactory(
        claim=Claim.objects.get(slug="us-assistance-package-this-week"), actor__name="Antony Blinken"
    )
    SourceFactory(title="Wagner's channel post, archived", url="https://t.example.org/wagner/1")
    gone = SourceFactory(title="A deleted report", url="https://news.example.org/deleted")
    Source.objects.filter(pk=gone.pk).update(
        link_state=LinkState.GONE, gone_since=timezone.localdate() - dt.timedelta(days=3)
    )

    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "reviewing", PASSWORD)
    page.get_by_role("link", name="The desk").click()
    sync_api.expect(page.locator("h1")).to_have_text("The desk: what waits for a Reviewer")
    sync_api.expect(page.locator("#desk-drafts")).to_contain_text(draft.text)
    sync_api.expect(page.locator("#desk-draft-assessments")).to_contain_text(
        "Between 1,000 and 5,000 civilians"
    )
    sync_api.expect(page.locator("#desk-unassessed")).to_contain_text("additional assistance package")
    # The demo's disputed claims were assessed on 3 April 2023.
    town_hall = Claim.objects.get(slug=TOWN_HALL)
    sync_api.expect(page.locator("#desk-disputed")).to_contain_text(town_hall.text)
    sync_api.expect(page.locator("#desk-sources")).to_contain_text("A deleted report")
    shoot_for_docs(page, "desk", full_page=True)

    page.locator("#desk-drafts").get_by_role("link", name=draft.text).click()
    sync_api.expect(page.locator("#id_text")).to_have_value(draft.text)
    assert problems == []
    context.close()
