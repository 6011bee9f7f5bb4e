"""Errors are JSON, always, and name what is wrong; no input is a 500."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from claims.api import errors
from claims.models import (
    TEXT_LIMITS,
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    Source,
    Statement,
    StatementSource,
)

from .factories import (
    ActorAliasFactory,
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)


@pytest.fixture
def editor(api_client_for, db):
    return api_client_for("Editor")


@pytest.fixture
def reviewer(api_client_for, db):
    return api_client_for("Reviewer")


def test_400_names_each_field(editor):
    response = editor.post("/api/v1/statements/", {"stance": "shouts", "stated_on": "3 April"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert set(body["errors"]) == {"claim", "actor", "stance", "stated_on"}


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/api/v1/claims/", {"text": "Future claim.", "first_claimed_on": "2999-01-01"}, "first_claimed_on"),
        ("/api/v1/claims/", {"text": "Bad topic.", "topics": ["no-such-topic"]}, "topics"),
        ("/api/v1/actors/", {"name": "Q", "wikidata_id": "42"}, "wikidata_id"),
        ("/api/v1/actors/", {"name": "Q", "country": "Ukraine"}, "country"),
        ("/api/v1/sources/", {"title": "T", "url": "not an address"}, "url"),
        ("/api/v1/sources/", {"title": "T", "published_time": "10:00"}, "published_time"),
        ("/api/v1/topics/", {"name": "T", "slug": "not a slug"}, "slug"),
        ("/api/v1/claims/", {"text": "nul \x00 byte"}, "text"),
    ],
)
def test_model_rules_are_400s(editor, path, data, field):
    response = editor.post(path, data)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_a_quote_needs_its_language(editor):
    ClaimFactory(slug="c")
    ActorFactory(slug="a")
    data = {"claim": "c", "actor": "a", "stance": "asserts", "stated_on": "2023-04-03", "quote": "Бахмут"}
    response = editor.post("/api/v1/statements/", data)
    assert response.status_code == 400
    assert "quote_language" in response.json()["errors"]


def test_a_claim_linked_to_itself_is_400(editor):
    ClaimFactory(slug="c")
    response = editor.post("/api/v1/claim-links/", {"from_claim": "c", "to_claim": "c", "kind": "supports"})
    assert response.status_code == 400


def test_409_for_a_duplicate_slug_names_the_existing_claim(editor):
    existing = ClaimFactory(slug="town-hall")
    response = editor.post("/api/v1/claims/", {"text": "Another.", "slug": "town-hall"})
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "slug"
    assert body["existing"]["slug"] == "town-hall"
    assert body["existing"]["id"] == existing.pk
    assert body["existing"]["api_url"].endswith("/api/v1/claims/town-hall/")


def test_409_for_a_source_url_already_stored_in_another_spelling(editor):
    existing = SourceFactory(url="https://www.reuters.com/world/bakhmut")
    data = {"title": "Same", "url": "HTTPS://WWW.REUTERS.COM/world/bakhmut/?utm_source=twitter"}
    response = editor.post("/api/v1/sources/", data)
    assert response.status_code == 409
    assert response.json()["existing"]["id"] == existing.pk
    assert Source.objects.count() == 1


def test_409_for_a_duplicate_statement_and_topic_name(editor):
    statement = StatementFactory()
    data = {
        "claim": statement.claim.slug,
        "actor": statement.actor.slug,
        "stance": statement.stance,
        "stated_on": statement.stated_on.isoformat(),
    }
    assert editor.post("/api/v1/statements/", data).json()["existing"]["id"] == statement.pk
    TopicFactory(name="Battle of Bakhmut", slug="bakhmut")
    assert editor.post("/api/v1/topics/", {"name": "Battle of Bakhmut"}).status_code == 409


def test_a_slug_is_made_unique_when_left_out(editor):
    ClaimFactory(slug="finland-joins-nato")
    response = editor.post("/api/v1/claims/", {"text": "Finland joins NATO"})
    assert response.json()["slug"] == "finland-joins-nato-2"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/claims/no-such-claim/", 404, "not_found"),
        ("get", "/api/v1/statements/99999999999999999999/", 404, "not_found"),
        ("get", "/api/v1/no-such-endpoint/", 404, "not_found"),
        ("put", "/api/v1/claims/", 405, "method_not_allowed"),
        ("delete", "/api/v1/export/claimreview/", 405, "method_not_allowed"),
    ],
)
def test_other_errors_are_json(editor, method, path, status, code):
    response = getattr(editor, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code


def test_415_for_a_body_that_is_not_json(editor):
    response = editor.post("/api/v1/topics/", "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_malformed_json_is_400(editor):
    response = editor.post("/api/v1/topics/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "data",
    [
        [],
        "a string",
        {"text": ["a", "list"]},
        {"text": "x" * 10, "topics": "not-a-list"},
        {"text": "x", "place": {"nested": True}},
        {"text": "x", "first_claimed_on": 12},
        {"text": "x", "slug": "x" * 300},
    ],
)
def test_odd_bodies_are_400_not_500(editor, data):
    response = editor.post("/api/v1/claims/", data)
    assert response.status_code == 400
    assert not Claim.objects.exists()


# --- Deeply nested JSON ------------------------------------------------------


def nested(depth, inner=""):
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize("depth", [33, 900, 100_000])
@pytest.mark.parametrize(
    "path", ["/api/v1/claims/", "/api/v1/import/claimreview/", "/api/v1/topics/", "/api/v1/statements/"]
)
@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "in-a-field"])
def test_json_nested_too_deep_is_a_400_naming_the_bound(reviewer, path, depth, wrapped):
    body = '{"text": "x", "topics": ' + nested(depth) + "}" if wrapped else nested(depth)
    response = reviewer.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "parse_error"
    assert "JSON nested deeper than 32 levels" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_json_nested_too_deep_is_a_400_on_patch(reviewer):
    ClaimFactory(slug="c", text="Before.")
    response = reviewer.patch("/api/v1/claims/c/", nested(5000), content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than 32" in response.json()["detail"]
    assert Claim.objects.get().text == "Before."


def test_json_within_the_nesting_bound_is_parsed(reviewer):
    # 32 levels are allowed (a field error, not a parse error); brackets in strings are text.
    response = reviewer.post(
        "/api/v1/claims/", '{"text": "x", "topics": ' + nested(31) + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "topics" in response.json()["errors"]
    text = "[[[{{{" * 40 + '\\"]]]' * 10
    response = reviewer.post(
        "/api/v1/claims/", json.dumps({"text": text[:500]}), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Claim.objects.get().text == text[:500]


# --- OPTIONS (DRF's metadata) --------------------------------------------------


def detail_paths():
    claim = ClaimFactory(slug="opt-claim")
    statement = StatementFactory(claim=claim, actor=ActorFactory(slug="opt-actor"), sources=1)
    return [
        "/api/v1/claims/opt-claim/",
        f"/api/v1/statements/{statement.pk}/",
        "/api/v1/actors/opt-actor/",
        f"/api/v1/sources/{statement.statement_sources.get().source_id}/",
        f"/api/v1/topics/{TopicFactory(slug='opt-topic').slug}/",
        f"/api/v1/assessments/{AssessmentFactory(claim=claim).pk}/",
        f"/api/v1/claim-links/{ClaimLinkFactory(from_claim=claim).pk}/",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ["Editor", "Reviewer"])
def test_options_on_a_detail_is_200_metadata_and_takes_no_lock(api_client_for, role):
    # Outside a test transaction, as in production: a lock there was a 500 on PostgreSQL.
    client = api_client_for(role)
    for path in detail_paths():
        with CaptureQueriesContext(connection) as queries:
            response = client.options(path, HTTP_IF_MATCH='"stale"')
        assert response.status_code == 200, (path, response.content[:300])
        assert response["Content-Type"] == "application/json"
        # The metadata looked at the row as a PUT would, and If-Match was not
        # checked (an Editor may not change assessments: no PUT for them).
        may_put = role == "Reviewer" or "/assessments/" not in path
        assert ("PUT" in response.json().get("actions", {})) == may_put, path
        assert not [q["sql"] for q in queries if "FOR UPDATE" in q["sql"].upper()], path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writes_still_lock_the_row(api_client_for):
    if not connection.features.has_select_for_update:
        pytest.skip("this database has no row locks")
    ClaimFactory(slug="c")
    client = api_client_for("Reviewer")
    with CaptureQueriesContext(connection) as queries:
        assert client.patch("/api/v1/claims/c/", {"context": "Locked."}).status_code == 200
    assert [q for q in queries if "FOR UPDATE" in q["sql"].upper()]


# --- Nested rows on PATCH -----------------------------------------------------


def test_patch_with_an_alias_without_name_is_the_same_400_as_post(editor):
    ActorAliasFactory(actor=ActorFactory(slug="a"), name="Old", language="en")
    data = {"aliases": [{"name": "Fine", "language": "en"}, {"language": "ar"}]}
    patched = editor.patch("/api/v1/actors/a/", data)
    posted = editor.post("/api/v1/actors/", {"name": "New", **data})
    assert patched.status_code == posted.status_code == 400, patched.content
    assert patched.json()["errors"] == posted.json()["errors"]
    assert patched.json()["errors"] == {"aliases": {"1": {"name": ["This field is required."]}}}
    assert list(ActorAlias.objects.values_list("name", flat=True)) == ["Old"]
    assert Actor.objects.count() == 1


def test_patch_with_a_statement_source_without_source_is_a_400(editor):
    statement = StatementFactory(sources=1)
    response = editor.patch(f"/api/v1/statements/{statement.pk}/", {"sources": [{"how": "on TV"}]})
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"sources": {"0": {"source": ["This field is required."]}}}
    assert StatementSource.objects.get().how == "reported"


# --- 404s under /api/ are JSON; reader pages keep theirs ---------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such/",
        "/api/v1/claims/%ZZ/",
        "/api/v1/claims/a%0Ab/",
        "/api/v1/%0A",
        "/api/v1/%E2%80%AE%F0%9F%98%80%00/",
        "/api/v1/claims",  # no trailing slash: no redirect, a 404
        "/api/",
        "/api/v2/claims/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "options"])
def test_every_address_under_api_that_is_no_endpoint_is_a_json_404(editor, path, method):
    response = getattr(editor, method)(path)
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "No API endpoint at this address.",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/no-such-claim/",
        "/api/v1/claims/no-such-claim/claimreview/",
        "/api/v1/assessments/12/",
        "/api/v1/actors/no-such-actor/",
    ],
)
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_detail_that_is_not_there_is_a_json_404(reviewer, path, method):
    response = getattr(reviewer, method)(path, {})
    if path.endswith("claimreview/") and method != "get":
        assert response.status_code == 405
        return
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/no-such-page/", "/claims/no-such-claim/", "/apix/", "/claims/%0A/"])
def test_reader_404s_stay_html(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_host_is_a_json_400_under_api_and_html_elsewhere(client, db):
    api = client.get("/api/v1/claims/", HTTP_HOST="evil.example")
    assert api.status_code == 400
    assert api.json() == {"status": 400, "code": "bad_request", "detail": "Bad request."}
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_the_error_handlers_answer_json_under_api_only(db):
    factory = RequestFactory()
    assert errors.handler500(factory.get("/api/v1/claims/")).status_code == 500
    assert json.loads(errors.handler500(factory.get("/api/v1/claims/")).content)["code"] == "server_error"
    assert errors.handler500(factory.get("/claims/"))["Content-Type"].startswith("text/html")
    forbidden = errors.handler403(factory.get("/api/v1/claims/"), Exception())
    assert json.loads(forbidden.content)["status"] == 403
    missing = errors.handler404(factory.get("/api/v1/claims/x/"), Exception())
    assert missing["Content-Type"] == "application/json" and missing.status_code == 404


# --- Bodies over the size limit ----------------------------------------------

BIG = 3 * 1024 * 1024


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/import/claimreview/", "/api/v1/sources/"])
def test_a_body_over_the_limit_is_a_json_413_and_nothing_is_stored(reviewer, path):
    body = json.dumps({"text": "x", "title": "t", "context": "y" * BIG})
    response = reviewer.post(path, body, content_type="application/json")
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 413,
        "code": "payload_too_large",
        "detail": "Request body larger than 2621440 bytes.",
    }
    assert not Claim.objects.exists() and not Source.objects.exists()


def test_a_patch_over_the_limit_is_a_413(reviewer):
    ClaimFactory(slug="c", context="Before.")
    response = reviewer.patch(
        "/api/v1/claims/c/", json.dumps({"context": "y" * BIG}), content_type="application/json"
    )
    assert response.status_code == 413
    assert Claim.objects.get().context == "Before."


def test_the_limit_is_djangos_setting(reviewer):
    body = json.dumps({"text": "A claim of a thousand bytes. " * 40})
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = reviewer.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == "Request body larger than 1000 bytes."
    assert not Claim.objects.exists()


def test_a_content_length_over_the_limit_is_refused_before_reading(reviewer):
    response = reviewer.post(
        "/api/v1/claims/", '{"text": "x"}', content_type="application/json", CONTENT_LENGTH=str(BIG)
    )
    assert response.status_code == 413
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"CONTENT_LENGTH": ""},  # absent: Django reads no body
        {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"},
        {"CONTENT_LENGTH": "12"},  # understated: Django reads 12 bytes
    ],
    ids=["no-length", "chunked", "understated"],
)
def test_a_big_body_with_a_missing_or_wrong_length_is_never_read_whole(reviewer, headers):
    body = json.dumps({"text": "x" + "y" * BIG})
    response = reviewer.post("/api/v1/claims/", body, content_type="application/json", **headers)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert not Claim.objects.exists()


def test_a_reader_form_over_the_limit_is_still_djangos_html_400(client, db):
    response = client.post("/admin/login/", {"username": "x", "password": "y" * BIG})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# --- Text over its limit (TEXT_LIMITS) ---------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "limit"),
    [
        ("/api/v1/claims/", "text", TEXT_LIMITS["claim_text"]),
        ("/api/v1/claims/", "context", TEXT_LIMITS["context"]),
        ("/api/v1/statements/", "quote", TEXT_LIMITS["quote"]),
        ("/api/v1/assessments/", "rationale", TEXT_LIMITS["rationale"]),
    ],
)
def test_text_over_its_limit_is_a_400_naming_the_field_and_the_limit(reviewer, path, field, limit):
    claim = ClaimFactory(slug="c")
    ActorFactory(slug="a")
    data = {
        "text": "A claim.",
        "claim": "c",
        "actor": "a",
        "stance": "asserts",
        "stated_on": "2023-04-03",
        "quote_language": "en",
        "status": "disputed",
        "rationale": "Because.",
        "assessed_at": "2023-04-04T10:00:00Z",
    }
    # Changed on purpose: one body served every endpoint, each ignoring the
    # others' fields; an unknown field is a 400 now, so each gets its own.
    wanted = {
        "/api/v1/claims/": {"text"},
        "/api/v1/statements/": {"claim", "actor", "stance", "stated_on", "quote_language"},
        "/api/v1/assessments/": {"claim", "status", "rationale", "assessed_at"},
    }[path]
    data = {key: value for key, value in data.items() if key in wanted} | {field: "x" * (limit + 1)}
    response = reviewer.post(path, data)
    assert response.status_code == 400, response.content[:300]
    messages = response.json()["errors"][field]
    assert any(str(limit) in message for message in messages), messages
    assert Claim.objects.get() == claim
    assert not Statement.objects.exists() and not Assessment.objects.exists()
    data[field] = "x" * limit  # at the limit: stored
    assert reviewer.post(path, data).status_code == 201


@pytest.mark.parametrize(
    ("field", "limit"), [("text", TEXT_LIMITS["claim_text"]), ("internal_notes", TEXT_LIMITS["notes"])]
)
def test_text_over_its_limit_is_a_400_on_patch_too(reviewer, field, limit):
    ClaimFactory(slug="c")
    response = reviewer.patch("/api/v1/claims/c/", {field: "y" * (limit + 1)})
    assert response.status_code == 400
    assert any(str(limit) in message for message in response.json()["errors"][field])


# --- Regressions found by the fuzzing (tests/test_api_fuzz.py) ---------------


@pytest.mark.parametrize("value", ["1e999", "-1e999", "1e-999", "true", "0.5"])
def test_an_id_that_is_no_integer_is_a_400_not_an_overflow(reviewer, value):
    # A float infinity was an OverflowError in the lookup: a 500.
    statement = StatementFactory(sources=1)
    sources = '{"sources": [{"source": ' + value + "}]}"
    response = reviewer.patch(f"/api/v1/statements/{statement.pk}/", sources, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["errors"]["sources"]["0"]) == ["source"]
    evidence = '{"claim": "' + statement.claim.slug + '", "status": "refuted", "rationale": "x", '
    evidence += '"assessed_at": "2023-04-04T10:00:00Z", "evidence": [' + value + "]}"
    response = reviewer.post("/api/v1/assessments/", evidence, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert set(response.json()["errors"]) == {"evidence"}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        ("/api/v1/claim-links/", '{"from_claim": "a", "to_claim": "b", "kind": "\\ud800"}', "kind"),
        (
            "/api/v1/actors/",
            '{"name": "N", "aliases": [{"name": "A", "language": "\\udfff"}]}',
            "aliases[0].language",
        ),
        (
            "/api/v1/import/claimreview/",
            '[{"claimReviewed": "x"}, {"claimReviewed": "\\ud800"}]',
            "[1].claimReviewed",
        ),
        ("/api/v1/topics/", '{"name": {"\\ud800": 1}}', "name.\ufffd"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_where_it_is(reviewer, path, body, where):
    # Echoed in an error message it could not be written as UTF-8: a 500.
    response = reviewer.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].endswith(f"is not text: {where}.")
    assert not Claim.objects.exists()


def test_a_paired_surrogate_escape_is_just_text(reviewer):
    response = reviewer.post(
        "/api/v1/claims/", '{"text": "Smile \\ud83d\\ude00"}', content_type="application/json"
    )
    assert response.status_code == 201
    assert Claim.objects.get().text == "Smile 😀"


def test_an_error_quoting_a_lone_surrogate_is_still_written(db):
    from rest_framework.exceptions import ValidationError
    from rest_framework.renderers import JSONRenderer

    response = errors.exception_handler(ValidationError({"kind": ['"\ud800" is not a valid choice.']}), {})
    body = json.loads(JSONRenderer().render(response.data))
    assert body["errors"] == {"kind": ['"\ufffd" is not a valid choice.']}


@pytest.mark.parametrize("field", ["claim", "actor"])
def test_a_null_byte_in_a_reference_is_a_400_naming_it(reviewer, field):
    # PostgreSQL refused the lookup (a DataError): a 400 that named no field.
    ClaimFactory(slug="c")
    ActorFactory(slug="a")
    data = {"claim": "c", "actor": "a", "stance": "asserts", "stated_on": "2023-04-03", field: "c\x00"}
    response = reviewer.post("/api/v1/statements/", data)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["Null characters are not allowed."]}


@pytest.mark.parametrize("value", ["1" + "0" * 400, "-1" + "0" * 400])
def test_a_claimreview_rating_too_big_for_a_float_is_a_400_naming_it(reviewer, value):
    rating = '{"ratingValue": ' + value + ', "bestRating": 5, "worstRating": 1}'
    body = '{"claimReviewed": "A claim.", "datePublished": "2023-04-04", "reviewRating": ' + rating + "}"
    response = reviewer.post("/api/v1/import/claimreview/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert "reviewRating.ratingValue" in json.dumps(response.json()["errors"])
    assert not Claim.objects.exists()
