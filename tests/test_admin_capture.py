"""The admin's door to the evidence: the capture column and filters on the
sources list, a source's captures (and their WARC files) on its page,
"Capture again", the sources at risk, and "Add source" filled in from the
page. Nothing here edits a capture: the admin only reads them and asks for
new ones."""

import datetime as dt
import hashlib
import time

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Response

from claims.capture import capturing
from claims.capture.risk import Risk
from claims.models import Capture, Source
from claims.vocabularies import ActorKind, CaptureState, CaptureTrigger, LinkState, SourceCaptureState

from .admin_forms import form_data
from .capture_support import ARTICLE, capture_of, run_worker
from .factories import ActorFactory, SourceFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:claims_source_changelist"
AT_RISK = "admin:claims_source_at_risk"
PREFILL = "admin:claims_source_prefill"
ADD = "admin:claims_source_add"


@pytest.fixture(autouse=True)
def no_capture_on_save(capture_settings):
    """Stored files in a temporary MEDIA_ROOT, loopback allowed for the local
    server; sources made here start never captured (a test that wants the
    receiver's capture turns it back on)."""
    capture_settings.CAPTURE_ON_SAVE = False
    return capture_settings


def failed_capture(source, reason="the page answered 404 Not Found", status=404):
    capture = Capture.objects.create(
        source=source, trigger=CaptureTrigger.REQUESTED, requested_url=source.url, http_status=status
    )
    return capturing.finish_failed(capture, reason)


def pending_capture(source):
    return capturing.request_capture(source, CaptureTrigger.REQUESTED)


def gone(source, day=dt.date(2024, 2, 1)):
    capturing.mark_gone(source.pk, timezone.make_aware(dt.datetime.combine(day, dt.time(12))))


def every_capture():
    return list(Capture.objects.order_by("pk").values())


def change_url(source):
    return reverse("admin:claims_source_change", args=[source.pk])


def staff_with(*codenames):
    """A staff member holding only these claims permissions."""
    user = UserFactory(is_staff=True)
    user.save()  # the factory's password, as force_login's session hash expects
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


# --- The sources list ---------------------------------------------------------


def test_the_capture_column_says_where_each_source_stands(editor_client):
    never = SourceFactory(title="Never")
    pending = SourceFactory(title="Pending")
    pending_capture(pending)
    captured = SourceFactory(title="Captured")
    copy = capture_of(captured)
    failed = SourceFactory(title="Failed")
    failed_capture(failed)
    lost = SourceFactory(title="Lost")
    capture_of(lost)
    gone(lost, dt.date(2024, 2, 1))

    response = editor_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    column = {row.title: row for row in response.context["cl"].result_list}
    html = response.content.decode()
    assert ">never<" in html
    assert ">pending<" in html
    assert f"captured {copy.fetched_at:%Y-%m-%d} · {copy.sha256[:12]}…" in html
    assert "failed: the page answered 404 Not Found" in html
    assert "; gone since 2024-02-01" in html
    assert set(column) == {never.title, pending.title, captured.title, failed.title, lost.title}


def test_the_capture_column_costs_no_query_per_row(editor_client):
    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        return len(queries)

    def sources(count):
        for _ in range(count):
            source = SourceFactory()
            capture_of(source)
            failed_capture(source)

    sources(2)
    few = list_queries()
    sources(20)
    assert list_queries() == few


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("capture_state__exact=failed", {"Failed"}),
        ("capture_state__exact=captured", {"Captured"}),
        ("capture_state__exact=never", {"Never", "Lost"}),
        ("link_state__exact=gone", {"Lost"}),
        ("link_state__exact=unchecked", {"Never", "Captured", "Failed"}),
    ],
)
def test_the_list_filters_by_capture_state_and_link_state(editor_client, query, expected):
    SourceFactory(title="Never")
    capture_of(SourceFactory(title="Captured"))
    failed_capture(SourceFactory(title="Failed"))
    gone(SourceFactory(title="Lost"))
    response = editor_client.get(reverse(CHANGELIST) + "?" + query)
    assert response.status_code == 200
    assert {source.title for source in response.context["cl"].result_list} == expected


# --- A source's captures --------------------------------------------------------


def test_the_change_page_lists_the_captures_in_order_with_their_facts(editor_client, editor):
    source = SourceFactory()
    first = capture_of(source)
    second = failed_capture(source, "timed out after 20 s", status=None)
    third = pending_capture(source)
    response = editor_client.get(change_url(source))
    assert response.status_code == 200
    assert [c.pk for c in response.context["captures"]] == [first.pk, second.pk, third.pk]
    html = response.content.decode()
    assert 'id="captures"' in html
    assert first.sha256 in html
    assert "Wagner claims Bakhmut town hall" in html
    assert "timed out after 20 s" in html
    assert html.index(first.sha256) < html.index("timed out after 20 s")
    warc = reverse("admin:claims_source_capture_warc", args=[source.pk, first.pk])
    assert warc in html
    # Not cited by anything published: no link to the public copy, which would 404.
    assert f'href="{first.get_absolute_url()}"' not in html
    assert ">Capture again</button>" in html


def test_a_cited_source_links_its_public_stored_copy(editor_client):
    source = SourceFactory()
    StatementFactory(sources=[source])  # on a published claim
    capture = capture_of(source)
    html = editor_client.get(change_url(source)).content.decode()
    assert f'href="{capture.get_absolute_url()}"' in html
    assert editor_client.get(capture.get_absolute_url()).status_code == 200


def test_the_warc_is_served_as_a_sandboxed_attachment(editor_client, capture_settings):
    source = SourceFactory()
    capture = capture_of(source)
    response = editor_client.get(reverse("admin:claims_source_capture_warc", args=[source.pk, capture.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == capture.warc_sha256
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/warc"


def test_a_warc_is_found_only_under_its_own_source_and_only_when_captured(editor_client, capture_settings):
    source, other = SourceFactory(), SourceFactory()
    capture = capture_of(source)
    failed = failed_capture(source)
    url = "admin:claims_source_capture_warc"
    assert editor_client.get(reverse(url, args=[other.pk, capture.pk])).status_code == 404
    assert editor_client.get(reverse(url, args=[source.pk, failed.pk])).status_code == 404
    assert editor_client.get(reverse(url, args=[source.pk, 999_999])).status_code == 404


def test_without_view_capture_no_captures_are_shown_nor_served(capture_settings):
    source = SourceFactory()
    capture = capture_of(source)
    client = staff_with("view_source", "change_source")
    page = client.get(change_url(source))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="source_form"' in html
    assert 'id="captures"' not in html and capture.sha256 not in html
    warc = reverse("admin:claims_source_capture_warc", args=[source.pk, capture.pk])
    assert client.get(warc).status_code == 403
    assert client.get(reverse(AT_RISK)).status_code == 403


def test_captures_cannot_be_added_changed_or_deleted_in_the_admin(editor_client, reviewer_client):
    from django.contrib import admin

    assert Capture not in admin.site._registry
    source = SourceFactory()
    capture = capture_of(source)
    before = every_capture()
    # Saving the source's page (the captures listed on it) leaves them as they were.
    page = reviewer_client.get(change_url(source))
    data = form_data(page) | {"title": "Renamed", "_save": "Save"}
    response = reviewer_client.post(change_url(source), data)
    assert response.status_code == 302
    assert Source.objects.get(pk=source.pk).title == "Renamed"
    assert every_capture() == before
    assert capture.pk in [c["id"] for c in before]


# --- Capture again ---------------------------------------------------------------


def test_capture_again_from_the_list_queues_one_per_source_and_says_so(editor_client, editor):
    one, two = SourceFactory(title="One"), SourceFactory(title="Two")
    response = editor_client.post(
        reverse(CHANGELIST), {"action": "capture_again", "_selected_action": [one.pk, two.pk]}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"Capture of “{one}”, “{two}” queued."]
    for source in (one, two):
        capture = source.captures.get()
        assert (capture.state, capture.trigger, capture.requested_by) == (
            CaptureState.PENDING,
            CaptureTrigger.REQUESTED,
            editor,
        )
        assert Source.objects.get(pk=source.pk).capture_state == SourceCaptureState.PENDING


def test_capture_again_of_a_source_without_a_url_says_so(editor_client):
    bare = SourceFactory(url="", title="Printed leaflet")
    response = editor_client.post(
        reverse(CHANGELIST), {"action": "capture_again", "_selected_action": [bare.pk]}, follow=True
    )
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    assert "has no URL" in message
    response = editor_client.post(reverse("admin:claims_source_capture_again", args=[bare.pk]), follow=True)
    assert response.status_code == 200
    assert "has no URL" in str(list(response.context["messages"])[0])
    assert not Capture.objects.exists()


def test_the_capture_again_button_posts_and_comes_back_to_the_page(editor_client, editor):
    source = SourceFactory()
    before = capture_of(source)
    snapshot = every_capture()
    url = reverse("admin:claims_source_capture_again", args=[source.pk])
    response = editor_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == change_url(source) + "#captures"
    page = editor_client.get(response["Location"])
    assert f"Capture of “{source}” queued." in [str(m) for m in page.context["messages"]]
    new = source.captures.exclude(pk=before.pk).get()
    assert (new.trigger, new.requested_by, new.state) == (
        CaptureTrigger.REQUESTED,
        editor,
        CaptureState.PENDING,
    )
    # The capture before is left exactly as it was.
    assert every_capture()[: len(snapshot)] == snapshot


def test_capture_again_is_a_post_only(editor_client):
    source = SourceFactory()
    assert (
        editor_client.get(reverse("admin:claims_source_capture_again", args=[source.pk])).status_code == 405
    )
    assert not Capture.objects.exists()


def test_capture_again_needs_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    source = SourceFactory()
    response = client.post(reverse("admin:claims_source_capture_again", args=[source.pk]))
    assert response.status_code == 403
    assert not Capture.objects.exists()


def test_capture_again_needs_the_permission():
    source = SourceFactory()
    client = staff_with("view_source", "change_source", "view_capture")
    assert client.post(reverse("admin:claims_source_capture_again", args=[source.pk])).status_code == 403
    changelist = client.get(reverse(CHANGELIST))
    assert "capture_again" not in changelist.content.decode()
    response = client.post(reverse(CHANGELIST), {"action": "capture_again", "_selected_action": [source.pk]})
    assert response.status_code in (200, 302)
    page = client.get(change_url(source))
    assert page.status_code == 200 and 'id="captures"' in page.content.decode()
    assert "Capture again" not in page.content.decode()
    assert not Capture.objects.exists()


def test_capture_again_of_an_unknown_source_is_a_404(editor_client):
    assert editor_client.post(reverse("admin:claims_source_capture_again", args=[999_999])).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_capture_again_is_taken_by_the_worker(client, httpserver, capture_settings):
    from django.apps import apps

    from claims.roles import ensure_roles

    ensure_roles(apps)  # a transactional test before this one may have flushed the roles
    client.force_login(UserFactory(username="night-desk", role="Editor"))
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    source = SourceFactory(url=httpserver.url_for("/article"))
    response = client.post(reverse("admin:claims_source_capture_again", args=[source.pk]))
    assert response.status_code == 302
    run_worker()
    capture = source.captures.get()
    assert capture.state == CaptureState.CAPTURED
    assert capture.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert Source.objects.get(pk=source.pk).latest_capture_id == capture.pk


# --- Sources at risk ---------------------------------------------------------------


def at_risk_sources():
    """One source of each risk, and one that is fine."""
    made = {
        "never": SourceFactory(title="Never captured"),
        "failed": SourceFactory(title="Capture failed"),
        "gone": SourceFactory(title="Gone away"),
        "changed": SourceFactory(title="Edited since"),
        "fine": SourceFactory(title="All well"),
    }
    failed_capture(made["failed"], "refused: address 10.0.0.5 is private")
    capture_of(made["gone"])
    gone(made["gone"], dt.date(2024, 2, 1))
    capture_of(made["changed"])
    Source.objects.filter(pk=made["changed"].pk).update(link_state=LinkState.CHANGED)
    capture_of(made["fine"])
    Source.objects.filter(pk=made["fine"].pk).update(link_state=LinkState.ALIVE)
    SourceFactory(url="", title="No URL")  # nothing to capture: not at risk
    return made


def test_sources_at_risk_are_grouped_with_their_reason_and_since_when(editor_client):
    made = at_risk_sources()
    response = editor_client.get(reverse(AT_RISK))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["source"].title, row["source"].risk) for row in rows] == [
        ("Gone away", Risk.GONE),
        ("Capture failed", Risk.FAILED),
        ("Edited since", Risk.CHANGED),
        ("Never captured", Risk.NEVER),
    ]
    by_title = {row["source"].title: row for row in rows}
    assert by_title["Capture failed"]["reason"].startswith("refused: address 10.0.0.5 is private")
    assert by_title["Gone away"]["since"] == dt.date(2024, 2, 1)
    assert "our copy of" in by_title["Gone away"]["reason"]
    assert by_title["Never captured"]["since"] == Source.objects.get(pk=made["never"].pk).created_at
    html = response.content.decode()
    for heading in ("Gone", "Capture failed", "Changed since captured", "Never captured"):
        assert f">{heading}</h2>" in html
    assert "All well" not in html and "No URL" not in html
    assert "Gone (1)" in html and "All (4)" in html


@pytest.mark.parametrize("which", [risk.value for risk in Risk])
def test_sources_at_risk_filter_by_risk(editor_client, which):
    made = at_risk_sources()
    response = editor_client.get(reverse(AT_RISK) + f"?risk={which}")
    assert [row["source"].pk for row in response.context["rows"]] == [made[which].pk]


def test_an_unknown_risk_lists_them_all(editor_client):
    at_risk_sources()
    response = editor_client.get(reverse(AT_RISK) + "?risk=<script>&page=abc")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4


def test_a_pending_capture_without_a_copy_is_at_risk_waiting(editor_client):
    source = SourceFactory()
    capture = pending_capture(source)
    (row,) = editor_client.get(reverse(AT_RISK)).context["rows"]
    assert row["reason"] == "a capture is waiting for the worker"
    assert row["since"] == capture.requested_at


def test_sources_at_risk_are_paginated(editor_client, monkeypatch):
    from claims.admin import sources

    monkeypatch.setattr(sources, "AT_RISK_PER_PAGE", 3)
    for _ in range(7):
        failed_capture(SourceFactory())
    first = editor_client.get(reverse(AT_RISK))
    assert len(first.context["rows"]) == 3
    assert first.context["page"].paginator.num_pages == 3
    last = editor_client.get(reverse(AT_RISK) + "?risk=failed&page=3")
    assert len(last.context["rows"]) == 1
    assert 'href="?risk=failed&amp;page=2"' in last.content.decode()


def test_sources_at_risk_cost_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(reverse(AT_RISK))
        assert response.status_code == 200
        return len(captured), len(response.context["rows"])

    at_risk_sources()
    few, shown = queries()
    assert shown == 4
    for _ in range(12):
        at_risk_sources()
    many, shown = queries()
    assert shown == 50  # a full page
    assert many == few
    with django_assert_max_num_queries(few):
        editor_client.get(reverse(AT_RISK) + "?risk=gone")


@pytest.mark.parametrize("role_client", ["editor_client", "reviewer_client"])
def test_editors_and_reviewers_see_the_sources_at_risk(request, role_client):
    at_risk_sources()
    client = request.getfixturevalue(role_client)
    assert client.get(reverse(AT_RISK)).status_code == 200
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert f'href="{reverse(AT_RISK)}"' in changelist


def test_anonymous_users_are_sent_to_log_in(client):
    source = SourceFactory()
    for url in (
        reverse(AT_RISK),
        reverse(PREFILL) + "?url=https://example.org/",
        reverse("admin:claims_source_capture_warc", args=[source.pk, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    response = client.post(reverse("admin:claims_source_capture_again", args=[source.pk]))
    assert response.status_code == 302
    assert not Capture.objects.exists()


# --- Prefill in "Add source" ----------------------------------------------------------


@pytest.fixture
def reuters(db):
    return ActorFactory(name="Reuters", slug="reuters", kind=ActorKind.MEDIA_OUTLET)


def add_source(client, **values):
    page = client.get(reverse(ADD))
    data = form_data(page) | {"kind": "news_report"} | values
    return client.post(reverse(ADD), data)


def test_the_add_form_loads_the_prefill_script_and_names_its_endpoint(editor_client):
    html = editor_client.get(reverse(ADD)).content.decode()
    assert "/static/js/source-prefill.js" in html
    assert f'data-url="{reverse(PREFILL)}"' in html
    # Not on an existing source's page.
    source = SourceFactory()
    assert 'id="source-prefill"' not in editor_client.get(change_url(source)).content.decode()


def test_an_empty_title_publisher_day_and_language_are_read_from_the_page(
    editor_client, httpserver, capture_settings, reuters
):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/article")
    response = add_source(editor_client, url=url, title="", language="")
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = Source.objects.get()
    assert source.title == "Wagner claims Bakhmut town hall"
    assert source.publisher == reuters
    assert source.published_on == dt.date(2023, 4, 3)
    assert source.language == "en"


def test_the_editors_values_win_over_the_page(editor_client, httpserver, capture_settings, reuters):
    other = ActorFactory(name="Kyiv Independent", kind=ActorKind.MEDIA_OUTLET)
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    response = add_source(
        editor_client,
        url=httpserver.url_for("/article"),
        title="Our own title",
        publisher=other.pk,
        language="uk",
        published_on="2023-04-04",
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.title, source.publisher, source.language, source.published_on) == (
        "Our own title",
        other,
        "uk",
        dt.date(2023, 4, 4),
    )


def test_an_unreadable_page_asks_for_the_title_with_the_reason(editor_client, capture_settings):
    response = add_source(editor_client, url="http://10.0.0.5/story", title="")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["title"] == [
        "Give a title: the page could not be read (refused: address 10.0.0.5 is private)."
    ]
    assert not Source.objects.exists()


def test_a_slow_page_asks_for_the_title_saying_it_timed_out(editor_client, capture_settings):
    capture_settings.CAPTURE_PREFILL_TIMEOUT = 0.5
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        server.expect_request("/slow").respond_with_handler(
            lambda request: (time.sleep(2), Response("late"))[1]
        )
        started = time.monotonic()
        response = add_source(editor_client, url=server.url_for("/slow"), title="")
        assert time.monotonic() - started < 2
    finally:
        server.clear()
        server.stop()
    errors = response.context["adminform"].form.errors
    assert errors["title"] == ["Give a title: the page could not be read (timed out after 0.5 s)."]


def test_without_a_url_or_a_title_the_form_asks_for_a_title(editor_client):
    response = add_source(editor_client, url="", title="")
    assert "Give a title" in response.context["adminform"].form.errors["title"][0]
    assert not Source.objects.exists()


def test_a_language_the_form_does_not_offer_is_not_filled_in(editor_client, monkeypatch):
    from claims.admin import sources
    from claims.capture.prefill import Prefill

    monkeypatch.setattr(
        sources, "prefill", lambda url, **kw: Prefill(values={"title": "T", "language": "ja"})
    )
    response = add_source(editor_client, url="https://example.org/ja", title="", language="")
    assert response.status_code == 302
    assert Source.objects.get().language == "en"  # the default, not "ja"
    answer = editor_client.get(reverse(PREFILL), {"url": "https://example.org/ja"}).json()
    assert answer == {"values": {"title": "T"}, "reason": ""}


def test_editing_a_source_does_not_read_the_page(editor_client, monkeypatch):
    from claims.admin import sources

    monkeypatch.setattr(sources, "prefill", lambda *a, **kw: pytest.fail("fetched on an edit"))
    source = SourceFactory(publisher=None, published_on=None)
    data = form_data(editor_client.get(change_url(source))) | {"title": "", "_save": "Save"}
    response = editor_client.post(change_url(source), data)
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors


def test_the_prefill_endpoint_answers_what_the_page_says(
    editor_client, httpserver, capture_settings, reuters
):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    response = editor_client.get(reverse(PREFILL), {"url": httpserver.url_for("/article")})
    assert response.status_code == 200
    assert response.json() == {
        "values": {
            "title": "Wagner claims Bakhmut town hall",
            "publisher": {"id": reuters.pk, "name": "Reuters"},
            "published_on": "2023-04-03",
            "language": "en",
        },
        "reason": "",
    }


def test_the_prefill_endpoint_gives_the_refusal_for_a_private_address(editor_client, capture_settings):
    response = editor_client.get(reverse(PREFILL), {"url": "http://10.0.0.5/"})
    assert response.status_code == 200
    assert response.json() == {"values": {}, "reason": "refused: address 10.0.0.5 is private"}
    response = editor_client.get(reverse(PREFILL), {"url": "http://169.254.169.254/latest/meta-data/"})
    assert response.json()["reason"].startswith("refused: address 169.254.169.254")


@pytest.mark.parametrize("url", ["", "not a url", "javascript:alert(1)", "ftp://example.org/x"])
def test_the_prefill_endpoint_refuses_what_is_no_web_address(editor_client, url):
    response = editor_client.get(reverse(PREFILL), {"url": url})
    assert response.status_code in (200, 400)
    assert response.json()["values"] == {}
    assert response.json()["reason"]


def test_the_prefill_endpoint_is_for_those_who_may_add_sources(editor_client):
    assert staff_with("view_source").get(reverse(PREFILL), {"url": "http://10.0.0.5/"}).status_code == 403
    assert editor_client.post(reverse(PREFILL), {"url": "http://10.0.0.5/"}).status_code == 405


def test_a_source_added_in_the_admin_is_captured_on_save(
    editor_client, settings, httpserver, capture_settings
):
    settings.CAPTURE_ON_SAVE = True
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    response = add_source(editor_client, url=httpserver.url_for("/article"), title="", language="")
    assert response.status_code == 302
    capture = Source.objects.get().captures.get()
    assert (capture.state, capture.trigger) == (CaptureState.PENDING, CaptureTrigger.CREATED)


def test_no_page_here_changes_a_capture(editor_client, capture_settings):
    made = at_risk_sources()
    source = made["gone"]
    capture = source.captures.get()
    before = every_capture()
    for url in (
        reverse(CHANGELIST),
        reverse(CHANGELIST) + "?capture_state__exact=failed",
        change_url(source),
        reverse(AT_RISK),
        reverse("admin:claims_source_capture_warc", args=[source.pk, capture.pk]),
        reverse(PREFILL) + "?url=http://10.0.0.5/",
    ):
        assert editor_client.get(url).status_code == 200, url
    assert every_capture() == before


# --- In a real browser ---------------------------------------------------------------


@pytest.mark.browser
def test_the_add_form_fills_the_title_from_the_page_as_the_url_is_left(browser, site, httpserver):
    from playwright import sync_api

    from .browser_support import DESKTOP, log_in, new_page, watch_problems

    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    from claims.capture.prefill import find_publisher

    UserFactory(username="desk", role="Editor")
    reuters = find_publisher("Reuters") or ActorFactory(name="Reuters", kind=ActorKind.MEDIA_OUTLET)
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, site, "desk", "correct horse battery staple")
    page.goto(site + reverse(ADD))
    page.locator("#id_title").fill("")
    page.locator("#id_url").fill(httpserver.url_for("/article"))
    page.locator("#id_url").press("Tab")  # leaving the field is its "change"
    sync_api.expect(page.locator("#id_title")).to_have_value("Wagner claims Bakhmut town hall")
    sync_api.expect(page.locator("#id_published_on")).to_have_value("2023-04-03")
    sync_api.expect(page.locator("#id_language")).to_have_value("en")
    sync_api.expect(page.locator("#id_publisher")).to_have_value(str(reuters.pk))
    sync_api.expect(page.locator("#id_publisher + .select2")).to_contain_text("Reuters")
    sync_api.expect(page.locator("#source-prefill")).to_contain_text("Filled in from the page")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(url=httpserver.url_for("/article"))
    assert (source.title, source.publisher_id) == ("Wagner claims Bakhmut town hall", reuters.pk)
    assert problems == []
    context.close()
