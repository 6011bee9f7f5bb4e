"""An editor enters the seed's town-hall claim set on one screen, in a real
browser: the claim, three statements each with its sources (existing ones
picked by title, publisher or URL; a new one added in place from its URL),
and the assessment. One claim form, one popup for the one new source."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright import sync_api

from claims.demo import TOWN_HALL
from claims.models import Claim, Source
from claims.vocabularies import Language, Stance, Status

from .browser_support import DESKTOP, log_in, new_page, shoot_for_docs, watch_problems
from .capture_support import ARTICLE
from .factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"

WAGNER_CHANNEL = "Wagner Group's own channel: claim of the Bakhmut town hall's capture"
REUTERS = "Reuters report of the Bakhmut fighting, 3 April 2023"
AL_JAZEERA = "Al Jazeera report on Bakhmut and Finland's NATO accession, 3 April 2023"
KIRBY = "John Kirby's remarks to reporters, 3 April 2023"
NEW_ARTICLE = "Wagner claims Bakhmut town hall"  # the page's own title (capture_support.ARTICLE)
QUOTE = (
    "Bakhmut is Ukrainian and they have not captured anything and are very far from doing that, "
    "to put it mildly"
)
RATIONALE = (
    "Wagner says it holds the town hall; Ukraine's eastern command and the US National Security "
    "Council say Ukrainian forces have not been pushed out of the city. No independent confirmation."
)

# actor, stance, summary, quote, [(how the source is found, what is typed, the source, how it carried it)]
STATEMENTS = [
    (
        "Wagner Group",
        Stance.ASSERTS,
        "Claimed it had captured the city's town hall and raised the Russian flag.",
        "",
        [("title", "own channel", WAGNER_CHANNEL, "on its own channel"), ("new", None, NEW_ARTICLE, "")],
    ),
    (
        "Serhiy Cherevatiy",
        Stance.DENIES,
        "Said Russian forces were very far from capturing Bakhmut.",
        QUOTE,
        [
            ("title", "Reuters report", REUTERS, "told Reuters by phone"),
            ("url", "/news/wagner-town-hall", NEW_ARTICLE, "quoted in the report"),
            ("title", "Al Jazeera report on Bakhmut", AL_JAZEERA, "quoting Reuters"),
        ],
    ),
    (
        "John Kirby",
        Stance.DENIES,
        "Ukrainians have not been repulsed from the city; the battle for Bakhmut is not over.",
        "",
        [
            ("publisher", "US National Security Council", KIRBY, "told reporters"),
            ("title", "Al Jazeera report on Bakhmut", AL_JAZEERA, "reported by Al Jazeera"),
        ],
    ),
]


@pytest.fixture
def without_the_town_hall_claim(site):
    """The demo as loaded, less the claim the editor is about to enter."""
    Claim.objects.get(slug=TOWN_HALL).delete()
    return site


@pytest.fixture
def news_page(httpserver, settings):
    """The new source's page, served locally; the guarded fetcher may read it."""
    settings.CAPTURE_ALLOW_LOOPBACK = True
    httpserver.expect_request("/news/wagner-town-hall").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/news/wagner-town-hall")


def choose(page, field_id, typed, option_text):
    """Type into an admin autocomplete (select2) and pick the option."""
    page.locator(f"#{field_id} + .select2").click()
    page.keyboard.type(typed)  # into the widget's search box, which has the focus
    page.locator(".select2-results__option", has_text=option_text).first.click()
    sync_api.expect(page.locator(f"#{field_id} + .select2")).to_contain_text(option_text[:30])


def add_source_in_place(page, field_id, url):
    """The "+" beside the source: the Add source popup, filled from the page."""
    with page.expect_popup() as popup_info:
        page.locator(f"#add_{field_id}").click()
    popup = popup_info.value
    popup_problems = watch_problems(popup)
    popup.locator("#id_url").fill(url)
    popup.locator("#id_kind").focus()  # leaving the URL field reads the page
    sync_api.expect(popup.locator("#id_title")).to_have_value(NEW_ARTICLE)
    sync_api.expect(popup.locator("#source-prefill")).to_contain_text("Filled in from the page")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(f"#{field_id} + .select2")).to_contain_text(NEW_ARTICLE)
    return popup_problems


def test_editor_enters_the_town_hall_claim_set_on_one_screen(browser, without_the_town_hall_claim, news_page):
    site = without_the_town_hall_claim
    user = UserFactory(username="desk", role="Editor")
    user.groups.add(Group.objects.get(name="Reviewer"))  # one who logs and assesses
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "desk", PASSWORD)

    loads, popups = [], []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    context.on("page", lambda popup: popups.append(popup))
    page.goto(site + "/admin/claims/claim/add/")

    page.locator("#id_text").press_sequentially(
        "The Wagner Group captured Bakhmut's city administration building."
    )
    page.locator("#id_context").fill(
        "On 2-3 April 2023 the Wagner Group said it had taken Bakhmut's town hall."
    )
    choose(page, "id_topics", "Battle", "Battle of Bakhmut")
    choose(page, "id_place", "Bakhmut", "Bakhmut")
    page.locator("#id_first_claimed_on").fill("2023-04-03")

    for row, (actor, stance, summary, quote, sources) in enumerate(STATEMENTS):
        page.locator(".djn-add-handler.djn-model-claims-statement").click()
        prefix = f"statements-{row}"
        choose(page, f"id_{prefix}-actor", actor, actor)
        page.locator(f"#id_{prefix}-stance").select_option(stance)
        page.locator(f"#id_{prefix}-stated_on").fill("2023-04-03")
        page.locator(f"#id_{prefix}-summary").fill(summary)
        if quote:
            page.locator(f"#id_{prefix}-quote").fill(quote)
            page.locator(f"#id_{prefix}-quote_language").select_option(Language.ENGLISH)
        for index, (found_by, typed, title, how) in enumerate(sources):
            page.locator(f"#{prefix}-statement_sources-group .djn-add-handler").click()
            field_id = f"id_{prefix}-statement_sources-{index}-source"
            if found_by == "new":
                problems += add_source_in_place(page, field_id, news_page)
            elif found_by == "url":
                choose(page, field_id, news_page.replace("/news/wagner-town-hall", typed), title)
            else:
                choose(page, field_id, typed, title)
            page.locator(f"#id_{prefix}-statement_sources-{index}-how").fill(how)

    # A source row added by mistake is removed again before saving.
    page.locator("#statements-0-statement_sources-group .djn-add-handler").click()
    page.locator("#statements-0-statement_sources-2 .djn-remove-handler").click()
    sync_api.expect(page.locator("#statements-0-statement_sources-2")).to_have_count(0)

    page.locator(".djn-add-handler.djn-model-claims-assessment").click()
    page.locator("#id_assessments-0-status").select_option(Status.DISPUTED)
    page.locator("#id_assessments-0-assessed_at_0").fill("2023-04-03")
    page.locator("#id_assessments-0-assessed_at_1").fill("18:00:00")
    page.locator("#id_assessments-0-is_published").check()
    page.locator("#id_assessments-0-rationale").fill(RATIONALE)
    for typed, title in [
        ("Reuters report", REUTERS),
        ("John Kirby", KIRBY),
        ("Al Jazeera report", AL_JAZEERA),
    ]:
        choose(page, "id_assessments-0-evidence", typed, title)
    page.locator("#id_is_published").check()

    shoot_for_docs(page, "one-screen-claim-form", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # One claim form and the page after saving; one popup, for the one new source.
    assert [Path(url.split("?")[0]).name for url in loads] == ["add", "claim"]
    assert len(popups) == 1

    claim = Claim.objects.get(slug="the-wagner-group-captured-bakhmuts-city-administration-building")
    assert claim.is_published
    assert claim.status == Status.DISPUTED
    assert [t.name for t in claim.topics.all()] == ["Battle of Bakhmut"]
    assert claim.place.name == "Bakhmut"
    assert claim.first_claimed_on == dt.date(2023, 4, 3)
    stored = [
        (
            s.actor.name,
            s.stance,
            s.summary,
            s.quote,
            [(ss.source.title, ss.how) for ss in s.statement_sources.select_related("source")],
        )
        for s in claim.statements.order_by("pk")
    ]
    assert stored == [
        (actor, stance, summary, quote, [(title, how) for _, _, title, how in sources])
        for actor, stance, summary, quote, sources in STATEMENTS
    ]
    new_source = Source.objects.get(url=news_page)
    assert (new_source.title, new_source.publisher.name) == (NEW_ARTICLE, "Reuters")
    assert new_source.published_on == dt.date(2023, 4, 3)
    assessment = claim.assessments.get()
    assert (assessment.status, assessment.rationale, assessment.author) == (Status.DISPUTED, RATIONALE, user)
    assert sorted(assessment.evidence.values_list("title", flat=True)) == sorted([REUTERS, KIRBY, AL_JAZEERA])
    assert claim.history.latest().history_user == user
    assert {s.history.latest().history_user for s in claim.statements.all()} == {user}
    assert problems == []
    context.close()
