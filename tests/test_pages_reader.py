"""Home, claim list (filters, search, paging), actor, topic and methodology
pages, friendly errors, and tolerance of bad query parameters."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from claims.views.paging import MAX_PAGE, PER_PAGE
from claims.vocabularies import Stance, Status

from .factories import ActorFactory, AssessmentFactory, ClaimFactory, StatementFactory, TopicFactory


def html_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


# --- Home -----------------------------------------------------------------


def test_home_shows_recent_contested_and_topics(client, demo):
    html = html_of(client, "/")
    assert "Recently assessed" in html and "Recently updated" in html
    assert "Most contested" in html and "Topics" in html
    contested = html[html.index('id="contested-title"') : html.index('id="topics-title"')]
    assert "The Wagner Group captured Bakhmut" in contested  # 1 assertion vs 2 denials
    assert "Finland becomes" not in contested  # no one denies it
    assert "Battle of Bakhmut" in html
    assert "Status: </span>Confirmed" in html


def test_most_contested_ranks_by_statements_on_both_sides(client, db):
    small = ClaimFactory(text="Small fight.")
    StatementFactory(claim=small, stance=Stance.ASSERTS)
    StatementFactory(claim=small, stance=Stance.DENIES)
    big = ClaimFactory(text="Big fight.")
    for stance in (Stance.ASSERTS, Stance.ASSERTS, Stance.DENIES, Stance.DENIES):
        StatementFactory(claim=big, stance=stance)
    one_sided = ClaimFactory(text="One-sided.")
    for _ in range(5):
        StatementFactory(claim=one_sided, stance=Stance.ASSERTS)
    html = html_of(client, "/")
    contested = html[html.index('id="contested-title"') : html.index('id="topics-title"')]
    assert contested.index("Big fight.") < contested.index("Small fight.")
    assert "One-sided." not in contested


# --- Claim list -------------------------------------------------------------


def test_claim_list_rows_show_status_topic_and_both_sides(client, demo):
    html = html_of(client, "/claims/")
    assert "The Wagner Group captured Bakhmut&#x27;s city administration building." in html
    assert (
        '1 asserting</span> <span class="sides__vs">vs</span> <span class="sides__denies">2 denying' in html
    )
    assert 'href="/topics/battle-of-bakhmut/"' in html
    assert "Status: </span>Disputed" in html


def test_search_finds_claims_by_a_word_in_a_quote_or_an_alias(client, demo):
    html = html_of(client, "/claims/", q="Bakhmut")
    assert "Claims matching “Bakhmut”" in html
    assert "city administration building" in html
    assert "Finland becomes" not in html
    assert "city administration building" in html_of(client, "/claims/", q="mildly")
    assert "city administration building" in html_of(client, "/claims/", q="Вагнер")


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"status": "confirmed"}, "Finland becomes", "city administration"),
        ({"topic": "finland-nato-accession"}, "Russia will strengthen", "city administration"),
        ({"actor": "john-kirby"}, "additional assistance package", "Finland becomes"),
        ({"stance": "declines"}, "city administration", "Finland becomes"),
        ({"actor": "john-kirby", "stance": "qualifies"}, "very far from capturing", "city administration"),
        ({"q": "Bakhmut", "status": "unverifiable"}, "civilians remain", "city administration"),
    ],
)
def test_claim_list_filters(client, demo, params, present, absent):
    html = html_of(client, "/claims/", **params)
    assert present in html
    assert absent not in html


def test_actor_filter_names_the_actor_and_offers_to_drop_it(client, demo):
    html = html_of(client, "/claims/", actor="john-kirby")
    assert "Showing claims with statements by" in html and 'href="/actors/john-kirby/"' in html
    assert '<input type="hidden" name="actor" value="john-kirby">' in html


def test_claim_list_pages_without_counting(client, db):
    for i in range(PER_PAGE + 3):
        ClaimFactory(text=f"Paged claim {i:03d}.")
    first = html_of(client, "/claims/")
    assert first.count('class="claim-row"') == PER_PAGE
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    second = html_of(client, "/claims/", page=2)
    assert second.count('class="claim-row"') == 3
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "is not a page number"),
        ({"page": "-3"}, "is not a page number"),
        ({"page": "0"}, "is not a page number"),
        ({"page": "9" * 40}, "we show at most"),
        ({"page": str(MAX_PAGE + 1)}, "we show at most"),
        ({"page": "57"}, "there is no page 57"),
        ({"status": "bogus"}, "Status: we don"),
        ({"topic": "no-such-topic"}, "Topic: we don"),
        ({"stance": "shouts"}, "we don"),
        ({"actor": "nobody"}, "Actor: we don"),
        ({"q": "Bakhmut " * 100}, "only the first 200 characters"),
    ],
)
def test_bad_query_parameters_get_a_message_not_an_error(client, demo, params, message):
    html = html_of(client, "/claims/", **params)
    assert message in html
    assert 'role="status"' in html


def test_the_filter_menus_show_the_readers_choices(client, demo):
    html = html_of(client, "/claims/", status="refuted", topic="battle-of-bakhmut", stance="denies")
    assert '<label for="id_status">Status:</label><select name="status" id="id_status">' in html
    assert '<option value="refuted" selected>Refuted</option>' in html
    assert '<option value="" selected>' not in html  # no menu fell back to "any"
    assert '<option value="denies" selected>' in html
    assert html.count(" selected>") == 3


def test_a_filter_value_we_do_not_know_marks_its_menu_invalid(client, demo):
    html = html_of(client, "/claims/", status="bogus")
    assert '<select name="status" id="id_status" aria-invalid="true">' in html
    menu = html[html.index('<select name="status"') :]
    assert " selected>" not in menu[: menu.index("</select>")]  # the browser shows "Any status"
    assert '<select name="stance" id="id_stance">' in html


def test_strange_search_syntax_never_fails(client, demo):
    for q in ['"', "-", "'", "!!!", "a & b | c", "Bakhmut OR", "<script>", "\x00", "%", "_", "(", "\\"]:
        html_of(client, "/claims/", q=q)


def test_pages_tolerate_bad_page_numbers(client, demo):
    assert "is not a page number" in html_of(client, "/topics/battle-of-bakhmut/", page="x")
    html_of(client, "/", page="x")
    html_of(client, "/actors/john-kirby/", page="-1")


def test_list_and_search_pages_are_noindex_only_when_filtered(client, demo):
    assert 'name="robots"' not in html_of(client, "/claims/")
    assert '<meta name="robots" content="noindex, follow">' in html_of(client, "/claims/", q="Bakhmut")


# --- Actor page ---------------------------------------------------------------


def test_actor_page_shows_who_they_are(client, demo):
    html = html_of(client, "/actors/serhiy-cherevatiy/")
    assert "<h1>Serhiy Cherevatiy</h1>" in html
    assert "Spokesperson for Ukraine&#x27;s eastern military command" in html
    assert 'href="/actors/ukraine-eastern-military-command/"' in html
    assert '<span lang="uk">Сергій Череватий</span>' in html


def test_actor_page_groups_statements_by_claim(client, demo):
    html = html_of(client, "/actors/john-kirby/")
    assert html.count('class="actor-claim"') == 3
    assert "Denies" in html and "Qualifies" in html and "Asserts" in html


def test_actor_track_record_counts_claims_by_current_status(client, db):
    actor = ActorFactory(slug="teller")
    for status in (Status.CONFIRMED, Status.CONFIRMED, Status.REFUTED):
        claim = ClaimFactory()
        StatementFactory(claim=claim, actor=actor, stance=Stance.ASSERTS)
        AssessmentFactory(claim=claim, status=status)
    denied = ClaimFactory()
    StatementFactory(claim=denied, actor=actor, stance=Stance.DENIES)
    AssessmentFactory(claim=denied, status=Status.CONFIRMED)
    html = html_of(client, "/actors/teller/")
    record = html[html.index('id="record-title"') : html.index('id="statements-title"')]
    asserts = record[record.index("Asserts: 3 claims") : record.index("Denies: 1 claim")]
    assert 'Confirmed</span> <span class="record__count">2' in asserts
    assert 'Refuted</span> <span class="record__count">1' in asserts
    assert 'Confirmed</span> <span class="record__count">1' in record[record.index("Denies: 1 claim") :]


def test_actor_page_links_to_all_claims_when_there_are_many(client, db):
    actor = ActorFactory(slug="busy")
    for _ in range(51):
        StatementFactory(actor=actor)
    html = html_of(client, "/actors/busy/")
    assert html.count('class="actor-claim"') == 50
    assert 'href="/claims/?actor=busy"' in html


def test_unknown_actor_and_topic_are_friendly_404s(client, db):
    for url in ("/actors/nobody/", "/topics/nothing/", "/claims/nothing/", "/no/such/page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "We can’t find that page" in response.content.decode()


# --- Topic and methodology ------------------------------------------------------


def test_topic_page_is_a_timeline_of_its_claims(client, db):
    topic = TopicFactory(slug="war", name="The war")

    ClaimFactory(text="Later claim.", topics=[topic], first_claimed_on=dt.date(2023, 5, 1))
    ClaimFactory(text="Earlier claim.", topics=[topic], first_claimed_on=dt.date(2023, 4, 3))
    ClaimFactory(text="Elsewhere.")
    html = html_of(client, "/topics/war/")
    assert html.index("3 April 2023") < html.index("Earlier claim.") < html.index("1 May 2023")
    assert html.index("1 May 2023") < html.index("Later claim.")
    assert "Elsewhere." not in html
    assert 'href="/topics/war/feed.rss"' in html


def test_methodology_explains_every_status_and_stance(client, db):
    html = html_of(client, "/methodology/")
    for status in Status:
        assert f"Status: </span>{status.label}" in html
    for stance in Stance:
        assert stance.label in html
    assert "Corrections policy" in html and "How assessments are made" in html


def test_friendly_500_page_renders_without_context():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


@override_settings(DEBUG=False)
def test_pages_have_landmarks_and_a_skip_link(client, demo):
    for url in ("/", "/claims/", "/methodology/", "/actors/john-kirby/", "/topics/battle-of-bakhmut/"):
        html = html_of(client, url)
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html and "<header" in html and "<footer" in html
        assert '<nav class="site-nav" aria-label="Main">' in html
        assert html.count("<h1") == 1


def test_stylesheet_is_served_by_whitenoise_with_a_hashed_name(db, tmp_path, settings):
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    html = client.get("/methodology/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]{12}\.css)">', html)
    assert href, "the stylesheet link has no content hash"
    response = client.get(href.group(1))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]


def test_reader_date_filters_match_djangos_date_filter():
    import datetime as dt

    from django.template import engines

    from claims.templatetags.reader import day, day_time, iso_day

    def django_date(value, format):  # as a template applies it: in the site's time zone (UTC)
        return engines["django"].from_string(f'{{{{ value|date:"{format}" }}}}').render({"value": value})

    moment = dt.datetime(2023, 4, 3, 23, 5, tzinfo=dt.timezone(dt.timedelta(hours=-4)))  # 4 April in UTC
    for value in (dt.date(2023, 1, 9), moment):
        assert day(value) == django_date(value, "j F Y")
        assert iso_day(value) == django_date(value, "Y-m-d")
    assert day_time(moment) == django_date(moment, "j F Y, H:i") == "4 April 2023, 03:05"
    assert day(None) == iso_day("") == day_time(None) == ""
