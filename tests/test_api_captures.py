"""Evidence through the API: a source's captures (hashes, states, reasons,
links to the stored copy), the latest capture on the source, asking for
another capture, the prefill of a source created with only its URL (real
HTTP from a local server), and a claim's evidence bundle."""

import io
import json
import threading
import time
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.capture.capturing import finish_failed
from claims.models import Capture, Source
from claims.vocabularies import (
    ActorKind,
    CaptureTrigger,
    LinkState,
    SourceCaptureState,
)

from .capture_support import ARTICLE, capture_of, run_worker
from .factories import ActorFactory, ClaimFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.usefixtures("capture_settings")

CAPTURE_FIELDS = {
    *("id", "state", "trigger", "requested_at", "requested_url", "final_url", "http_status"),
    *("content_type", "size", "fetched_at", "duration", "sha256", "title", "published_on"),
    *("language", "text_length", "failure_reason", "attempts", "warc_sha256", "warc_size", "links"),
}


def captures_path(source):
    return f"/api/v1/sources/{source.pk}/captures/"


def capture_path(source):
    return f"/api/v1/sources/{source.pk}/capture/"


@pytest.fixture
def cited(db):
    """A source a published claim's statement cites, with its three kinds of
    capture: pending (from logging it), failed, captured."""
    source = SourceFactory(url="https://news.example.org/wagner-town-hall")
    StatementFactory(claim=ClaimFactory(slug="town-hall"), sources=[source])
    failed = finish_failed(
        Capture.objects.create(source=source, trigger=CaptureTrigger.REQUESTED, requested_url=source.url),
        "timed out after 20 s",
    )
    captured = capture_of(source)
    return source, source.captures.get(trigger=CaptureTrigger.CREATED), failed, captured


# --- GET /sources/<id>/captures/ ---------------------------------------------


def test_a_sources_captures_in_order_with_hashes_states_reasons_and_links(api_client, cited):
    source, pending, failed, captured = cited
    response = api_client.get(captures_path(source))
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"next", "previous", "results"}
    rows = page["results"]
    assert [row["id"] for row in rows] == [pending.pk, failed.pk, captured.pk]
    assert all(set(row) == CAPTURE_FIELDS for row in rows)
    assert "text" not in rows[0]

    first, second, third = rows
    assert (first["state"], first["trigger"], first["links"]) == ("pending", "created", None)
    assert (second["state"], second["failure_reason"], second["links"]) == (
        "failed",
        "timed out after 20 s",
        None,
    )
    assert third["state"] == "captured"
    assert third["sha256"] == captured.sha256 and len(third["sha256"]) == 64
    assert (third["warc_sha256"], third["warc_size"]) == (captured.warc_sha256, captured.warc_size)
    assert (third["http_status"], third["content_type"], third["size"]) == (200, "text/html", len(ARTICLE))
    assert third["title"] == "Wagner claims Bakhmut town hall"
    assert third["published_on"] == "2023-04-03"
    assert third["text_length"] == len(captured.text) > 0
    assert third["links"] == {
        "html_url": f"http://testserver/captures/{captured.pk}/",
        "raw_url": f"http://testserver/captures/{captured.pk}/raw",
        "warc_url": f"http://testserver/captures/{captured.pk}.warc.gz",
    }
    for url in third["links"].values():
        assert api_client.get(url.removeprefix("http://testserver")).status_code == 200

    newest_first = api_client.get(captures_path(source) + "?ordering=-requested_at").json()["results"]
    assert [row["id"] for row in newest_first] == [captured.pk, failed.pk, pending.pk]


def test_captures_are_paginated_like_every_list(api_client, cited):
    source, pending, failed, captured = cited
    first = api_client.get(captures_path(source) + "?page_size=2").json()
    assert [row["id"] for row in first["results"]] == [pending.pk, failed.pk]
    second = api_client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [captured.pk]
    assert second["next"] is None
    assert api_client.get(captures_path(source) + "?ordering=size").status_code == 400


def test_captures_of_a_source_no_published_material_cites_have_no_links(api_client, db):
    """The reader's doors serve only captures that published material cites:
    the API gives no address that would answer 404."""
    source = SourceFactory()
    StatementFactory(claim=ClaimFactory(is_published=False), sources=[source])
    captured = capture_of(source)
    assert api_client.get(f"/captures/{captured.pk}/").status_code == 404
    rows = api_client.get(captures_path(source)).json()["results"]
    (row,) = [row for row in rows if row["id"] == captured.pk]
    assert row["state"] == "captured" and row["sha256"] == captured.sha256
    assert row["links"] is None


def test_captures_follow_the_sources_visibility_anyone_may_read_them(api_client, api_client_for, cited):
    source = cited[0]
    anonymous = api_client.get(captures_path(source))
    assert anonymous.status_code == 200
    reader = api_client_for("").get(captures_path(source))
    assert reader.json() == anonymous.json()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_source_is_a_404(api_client_for, db, method):
    client = api_client_for("Editor")
    for path in ["/api/v1/sources/999999/captures/", "/api/v1/sources/999999/capture/"]:
        response = getattr(client, method)(path)
        if (method == "get") == path.endswith("captures/"):
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
        else:
            assert response.status_code == 405


def test_the_captures_list_query_count_does_not_grow_with_captures(api_client, db):
    source = SourceFactory()
    StatementFactory(claim=ClaimFactory(), sources=[source])
    capture_of(source)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(captures_path(source) + "?page_size=100")
            assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    few, shown = count()
    for _ in range(20):
        capture_of(source)
    many, shown_now = count()
    assert shown_now == shown + 20
    assert many == few


# --- The source detail and list ----------------------------------------------


def test_the_source_detail_says_where_its_evidence_stands(api_client, cited):
    source, _, _, captured = cited
    Source.objects.filter(pk=source.pk).update(link_state=LinkState.GONE, gone_since="2024-01-05")
    data = api_client.get(f"/api/v1/sources/{source.pk}/").json()
    # The capture asked for when it was logged is still pending; the latest
    # finished one is shown.
    assert data["capture_state"] == SourceCaptureState.PENDING
    assert (data["link_state"], data["gone_since"]) == ("gone", "2024-01-05")
    assert data["captures_url"] == f"http://testserver{captures_path(source)}"
    latest = data["latest_capture"]
    assert set(latest) == {"id", "state", "fetched_at", "http_status", "sha256", "warc_sha256", "links"}
    assert (latest["id"], latest["state"], latest["sha256"]) == (captured.pk, "captured", captured.sha256)
    assert latest["links"]["html_url"] == f"http://testserver/captures/{captured.pk}/"


def test_a_source_never_captured_has_no_latest_capture(api_client, db):
    source = SourceFactory(url="")
    data = api_client.get(f"/api/v1/sources/{source.pk}/").json()
    assert (data["capture_state"], data["link_state"], data["gone_since"]) == ("never", "unchecked", None)
    assert data["latest_capture"] is None


def test_the_evidence_fields_are_read_only(api_client_for, cited):
    source = cited[0]
    response = api_client_for("Editor").patch(
        f"/api/v1/sources/{source.pk}/",
        {"capture_state": "never", "link_state": "gone", "gone_since": "2020-01-01", "latest_capture": None},
    )
    # Changed on purpose: read-only fields in a write were dropped (a 200);
    # now they are a 400 naming each, and nothing is stored.
    assert response.status_code == 400
    assert response.json()["errors"] == {
        name: ["This field is read-only."]
        for name in ("capture_state", "link_state", "gone_since", "latest_capture")
    }
    source.refresh_from_db()
    assert (source.capture_state, source.link_state, source.gone_since) == ("pending", "unchecked", None)
    assert source.latest_capture_id is not None


def test_the_source_list_query_count_does_not_grow_with_latest_captures(api_client, db):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get("/api/v1/sources/?page_size=100")
            assert response.status_code == 200
        rows = response.json()["results"]
        return len(queries), sum(row["latest_capture"] is not None for row in rows)

    source = SourceFactory()
    StatementFactory(claim=ClaimFactory(), sources=[source])
    capture_of(source)
    few, with_capture = count()
    for n in range(15):
        source = SourceFactory()
        if n % 2:
            StatementFactory(claim=ClaimFactory(), sources=[source])
        capture_of(source)
    many, with_capture_now = count()
    assert (with_capture, with_capture_now) == (1, 16)
    assert many == few


# --- POST /sources/<id>/capture/ -----------------------------------------------


@pytest.mark.parametrize("role", ["Editor", "Reviewer"])
def test_an_editor_asks_for_another_capture_and_gets_it_pending(api_client_for, cited, role):
    source = cited[0]
    client = api_client_for(role)
    before = source.captures.count()
    response = client.post(capture_path(source))
    assert response.status_code == 202
    data = response.json()
    assert set(data) == CAPTURE_FIELDS
    assert (data["state"], data["trigger"], data["requested_url"]) == ("pending", "requested", source.url)
    assert data["links"] is None and data["sha256"] == ""
    assert response["Location"] == f"http://testserver{captures_path(source)}"
    capture = Capture.objects.get(pk=data["id"])
    assert capture.requested_by.username == f"api-{role.lower()}"
    assert source.captures.count() == before + 1
    assert Source.objects.get(pk=source.pk).capture_state == SourceCaptureState.PENDING


def test_a_session_user_with_the_permission_may_ask_too(api_client, editor, cited):
    api_client.force_login(editor)
    assert api_client.post(capture_path(cited[0])).status_code == 202


def test_asking_for_a_capture_needs_the_permission(api_client, api_client_for, cited):
    source = cited[0]
    before = source.captures.count()
    anonymous = api_client.post(capture_path(source))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    reader = api_client_for("").post(capture_path(source))
    assert reader.status_code == 403
    assert reader.json() == {
        "status": 403,
        "code": "permission_denied",
        "detail": "You do not have permission to perform this action.",
    }
    assert source.captures.count() == before


def test_a_source_without_a_url_cannot_be_captured(api_client_for, db):
    source = SourceFactory(url="")
    response = api_client_for("Editor").post(capture_path(source))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["url"]
    assert not Capture.objects.filter(source=source).exists()


def test_the_capture_list_takes_no_post_and_the_capture_action_no_get(api_client_for, cited):
    client = api_client_for("Editor")
    assert client.post(captures_path(cited[0])).status_code == 405
    assert client.get(capture_path(cited[0])).status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_asked_for_then_taken_by_the_real_worker(api_client_for, httpserver):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    client = api_client_for("Editor")
    created = client.post("/api/v1/sources/", {"url": httpserver.url_for("/article")})
    assert created.status_code == 201, created.json()
    source = Source.objects.get(pk=created.json()["id"])
    asked = client.post(capture_path(source))
    assert asked.status_code == 202
    run_worker()
    rows = client.get(captures_path(source)).json()["results"]
    assert [(row["trigger"], row["state"]) for row in rows] == [
        ("created", "captured"),
        ("requested", "captured"),
    ]
    assert rows[1]["id"] == asked.json()["id"]
    assert rows[0]["sha256"] == rows[1]["sha256"]
    detail = client.get(f"/api/v1/sources/{source.pk}/").json()
    assert detail["capture_state"] == "captured"
    assert detail["latest_capture"]["id"] == asked.json()["id"]
    assert detail["latest_capture"]["links"] is None  # no published claim cites it yet


# --- Creating a source with only its URL: prefill ------------------------------


@pytest.fixture
def reuters(db):
    return ActorFactory(name="Reuters", slug="reuters", kind=ActorKind.MEDIA_OUTLET)


def test_a_source_with_only_a_url_is_filled_in_from_the_page(api_client_for, httpserver, reuters):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/article")
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": url})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["title"] == "Wagner claims Bakhmut town hall"
    assert data["publisher"] == "reuters"
    assert data["published_on"] == "2023-04-03"
    assert data["language"] == "en"
    assert data["capture_state"] == "pending"
    source = Source.objects.get(pk=data["id"])
    assert source.history.get().history_user.username == "api-editor"


def test_the_clients_values_win_over_the_page(api_client_for, httpserver, reuters):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    other = ActorFactory(slug="kyiv-independent", kind=ActorKind.MEDIA_OUTLET)
    body = {"url": httpserver.url_for("/article"), "publisher": other.slug, "published_on": "2023-04-04"}
    data = api_client_for("Editor").post("/api/v1/sources/", body).json()
    assert data["title"] == "Wagner claims Bakhmut town hall"
    assert (data["publisher"], data["published_on"]) == ("kyiv-independent", "2023-04-04")
    body = {"url": httpserver.url_for("/article") + "?v=2", "publisher": None, "language": "uk"}
    data = api_client_for("Reviewer").post("/api/v1/sources/", body).json()
    assert (data["publisher"], data["language"], data["published_on"]) == (None, "uk", "2023-04-03")


def test_a_source_with_its_title_is_not_fetched(api_client_for, httpserver):
    url = httpserver.url_for("/never-asked")
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": url, "title": "As given"})
    assert response.status_code == 201
    assert response.json()["title"] == "As given"
    assert httpserver.log == []


def prefill_refusal(response):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert (body["code"], list(body["errors"])) == ("invalid", ["title"])
    (message,) = body["errors"]["title"]
    return message


def test_a_private_address_is_refused_with_the_reason(api_client_for, db):
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": "http://10.0.0.5/report"})
    assert prefill_refusal(response) == (
        "Give a title: the page could not be read (refused: address 10.0.0.5 is private)"
    )
    assert not Source.objects.exists()


def test_loopback_is_refused_unless_allowed(api_client_for, httpserver, settings):
    settings.CAPTURE_ALLOW_LOOPBACK = False
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": httpserver.url_for("/article")})
    assert "refused: address 127.0.0.1 is loopback" in prefill_refusal(response)
    assert httpserver.log == []


def test_an_error_page_gives_no_title(api_client_for, httpserver):
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": httpserver.url_for("/gone")})
    assert prefill_refusal(response) == "Give a title: the page could not be read (the page answered 410)"


def test_a_page_without_a_title_gives_the_reason(api_client_for, httpserver):
    httpserver.expect_request("/blob").respond_with_data(b"\x00\x01", content_type="application/octet-stream")
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": httpserver.url_for("/blob")})
    assert prefill_refusal(response).startswith("Give a title: the page could not be read (found no")


def test_a_url_that_times_out_is_a_400_within_the_prefill_timeout(api_client_for, threaded_server, settings):
    settings.CAPTURE_PREFILL_TIMEOUT = 0.5
    release = threading.Event()

    def slow(request):
        release.wait(5)
        from werkzeug import Response

        return Response(ARTICLE, content_type="text/html")

    threaded_server.expect_request("/slow").respond_with_handler(slow)
    start = time.monotonic()
    try:
        slow_url = threaded_server.url_for("/slow")
        response = api_client_for("Editor").post("/api/v1/sources/", {"url": slow_url})
    finally:
        release.set()
    assert time.monotonic() - start < 3
    assert prefill_refusal(response) == "Give a title: the page could not be read (timed out after 0.5 s)"
    assert not Source.objects.exists()


def test_a_duplicate_url_is_the_usual_409_and_not_fetched(api_client_for, httpserver):
    url = httpserver.url_for("/article")
    SourceFactory(url=url)
    response = api_client_for("Editor").post("/api/v1/sources/", {"url": url})
    assert response.status_code == 409
    assert response.json()["field"] == "url"
    assert httpserver.log == []


def test_no_url_and_no_title_is_a_400_naming_title(api_client_for, db):
    response = api_client_for("Editor").post("/api/v1/sources/", {"kind": "news_report"})
    assert prefill_refusal(response) == "This field is required."


def test_a_put_still_needs_the_title(api_client_for, db):
    source = SourceFactory()
    response = api_client_for("Editor").put(f"/api/v1/sources/{source.pk}/", {"url": source.url})
    assert prefill_refusal(response) == "This field is required."


def test_a_bad_field_is_refused_before_any_fetch(api_client_for, httpserver):
    body = {"url": httpserver.url_for("/article"), "published_on": "not a day"}
    response = api_client_for("Editor").post("/api/v1/sources/", body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["published_on"]
    assert httpserver.log == []


# --- GET /claims/<slug>/evidence.zip -------------------------------------------


def bundle(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_evidence_bundle_is_the_readers_bundle(api_client, cited):
    source, _, _, captured = cited
    response = api_client.get("/api/v1/claims/town-hall/evidence.zip")
    assert 'filename="evidence-town-hall.zip"' in response["Content-Disposition"]
    api_zip = bundle(response)
    reader_zip = bundle(api_client.get("/claims/town-hall/evidence.zip"))
    assert sorted(api_zip.namelist()) == sorted(reader_zip.namelist())
    assert f"captures/capture-{captured.pk}.warc.gz" in api_zip.namelist()
    assert api_zip.read("claim.json") == reader_zip.read("claim.json")
    assert api_zip.read("SHA256SUMS") == reader_zip.read("SHA256SUMS")
    manifest = json.loads(api_zip.read("manifest.json"))
    assert [entry["sha256"] for entry in manifest["captures"]] == [captured.sha256]


def test_the_bundle_is_a_zip_whatever_the_accept_header(api_client, cited):
    bundle(api_client.get("/api/v1/claims/town-hall/evidence.zip", HTTP_ACCEPT="application/zip"))


@pytest.mark.parametrize("role", [None, "Editor", "Reviewer"])
def test_a_draft_claims_bundle_is_a_404_like_an_unknown_slug_for_everyone(
    api_client, api_client_for, db, role
):
    ClaimFactory(slug="draft", is_published=False)
    client = api_client_for(role) if role else api_client
    if role:
        assert client.get("/api/v1/claims/draft/").status_code == 200  # they may see the draft itself
    draft = client.get("/api/v1/claims/draft/evidence.zip")
    unknown = client.get("/api/v1/claims/no-such-claim/evidence.zip")
    assert draft.status_code == unknown.status_code == 404
    assert draft["Content-Type"] == "application/json"
    assert draft.json() == unknown.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_a_404_bundle_is_json_even_when_only_a_zip_is_accepted(api_client, db):
    response = api_client.get("/api/v1/claims/no-such-claim/evidence.zip", HTTP_ACCEPT="application/zip")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- The schema --------------------------------------------------------------


def test_the_schema_describes_captures_and_the_bundle(api_client, db):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    paths, components = schema["paths"], schema["components"]["schemas"]
    assert "202" in paths["/api/v1/sources/{id}/capture/"]["post"]["responses"]
    listing = paths["/api/v1/sources/{id}/captures/"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} >= {"cursor", "page_size", "ordering"}
    zip_response = paths["/api/v1/claims/{slug}/evidence.zip"]["get"]["responses"]["200"]
    assert list(zip_response["content"]) == ["application/zip"]
    assert set(components["Capture"]["properties"]) == CAPTURE_FIELDS
    source = components["Source"]["properties"]
    assert {"capture_state", "link_state", "gone_since", "latest_capture", "captures_url"} <= set(source)
    assert "title" not in components["SourceRequest"].get("required", [])
