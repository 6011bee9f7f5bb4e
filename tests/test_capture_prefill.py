"""The source prefill against real HTTP from a local server (pytest-httpserver
on 127.0.0.1, loopback allowed): what it suggests from an article, the
publisher only when we already have that actor, and a plain reason with no
values whenever the page cannot be read."""

import datetime as dt
import time

import pytest
from werkzeug import Response

from claims.capture.fetcher import Fetched
from claims.capture.prefill import Prefill, find_publisher, prefill, suggested_values
from claims.models import ActorAlias
from claims.vocabularies import ActorKind

from .factories import ActorAliasFactory, ActorFactory

ARTICLE = """<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8">
<title>Сили оборони утримують Бахмут | Example Pravda</title>
<meta property="og:title" content="Сили оборони утримують Бахмут">
<meta property="og:site_name" content="Example Pravda">
<meta property="article:published_time" content="2023-04-03T09:15:00+03:00">
</head><body><nav><a href="/">Головна</a> <a href="/war">Війна</a></nav>
<article><h1>Сили оборони утримують Бахмут</h1>
<p>Речник Східного угруповання військ заявив, що місто тримається, а заяви про захоплення
адміністративної будівлі не відповідають дійсності.</p></article></body></html>""".encode()
FULL = {"title", "publisher", "published_on", "language"}


@pytest.fixture(autouse=True)
def loopback(settings):
    settings.CAPTURE_ALLOW_LOOPBACK = True


@pytest.fixture
def outlet(db):
    return ActorFactory(name="Example Pravda", slug="example-pravda", kind=ActorKind.MEDIA_OUTLET)


def serve(httpserver, path, body=ARTICLE, content_type="text/html; charset=utf-8", **options):
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type, **options)
    return httpserver.url_for(path)


def test_an_article_prefills_title_day_language_and_its_publisher(httpserver, outlet):
    result = prefill(serve(httpserver, "/news/2023/04/03/bakhmut"))
    assert result == Prefill(
        values={
            "title": "Сили оборони утримують Бахмут",
            "publisher": outlet,
            "published_on": dt.date(2023, 4, 3),
            "language": "uk",
        },
        reason="",
    )


def test_the_publisher_is_matched_by_alias_whatever_the_case(httpserver, db):
    actor = ActorFactory(name="Ukrainska Pravda Example", kind=ActorKind.MEDIA_OUTLET)
    ActorAliasFactory(actor=actor, name="EXAMPLE PRAVDA")
    assert prefill(serve(httpserver, "/a")).values["publisher"] == actor


def test_a_cyrillic_site_name_is_matched_case_insensitively(db):
    actor = ActorFactory(name="Известия Пример", kind=ActorKind.MEDIA_OUTLET)
    assert find_publisher("ИЗВЕСТИЯ ПРИМЕР") == actor
    assert find_publisher("  известия   пример ") == actor


def test_a_media_outlet_wins_over_a_person_of_the_same_name_and_a_name_over_an_alias(db):
    ActorFactory(name="Example Pravda", kind=ActorKind.PERSON)
    outlet = ActorFactory(name="example pravda", kind=ActorKind.MEDIA_OUTLET)
    ActorAlias.objects.create(actor=ActorFactory(kind=ActorKind.MEDIA_OUTLET), name="Example Pravda")
    assert find_publisher("Example Pravda") == outlet


def test_a_site_name_we_have_no_actor_for_suggests_no_publisher(httpserver, db):
    ActorFactory(name="Example Pravda Weekly")  # a longer name is not the same name
    result = prefill(serve(httpserver, "/a"))
    assert set(result.values) == FULL - {"publisher"}
    assert result.reason == ""


def test_only_what_was_found_is_suggested(httpserver, db):
    url = serve(httpserver, "/bare", b"<html><head><title>Just a title</title></head><body></body></html>")
    assert prefill(url) == Prefill(values={"title": "Just a title"}, reason="")


def test_a_404_gives_its_status_as_the_reason_and_no_values(httpserver, outlet):
    url = serve(httpserver, "/gone", ARTICLE, status=404)
    assert prefill(url) == Prefill(values={}, reason="the page answered 404")


def test_a_redirect_to_a_private_address_gives_the_refusal_and_no_values(httpserver, db):
    httpserver.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.5/admin"}
    )
    result = prefill(httpserver.url_for("/jump"))
    assert result == Prefill(values={}, reason="refused: address 10.0.0.5 is private")


def test_a_slow_page_times_out_after_the_prefill_timeout(httpserver, settings, db):
    def slow(request):
        time.sleep(1)
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    settings.CAPTURE_PREFILL_TIMEOUT = 0.5
    started = time.monotonic()
    result = prefill(httpserver.url_for("/slow"))
    assert result == Prefill(values={}, reason="timed out after 0.5 s")
    assert time.monotonic() - started < 1.2


def test_a_timeout_given_to_the_call_wins_over_the_setting(httpserver, settings, db):
    def slow(request):
        time.sleep(0.8)
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    settings.CAPTURE_PREFILL_TIMEOUT = 30
    assert prefill(httpserver.url_for("/slow"), timeout=0.3).reason == "timed out after 0.3 s"


def test_a_pdf_gives_no_values_and_says_why(httpserver, db):
    url = serve(httpserver, "/report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert prefill(url) == Prefill(
        values={}, reason="found no title, date or language in the page (application/pdf)"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "refused: scheme javascript is not http or https"),
        ("http://[::1", "refused: the address is not a valid URL"),
        ("http://" + "a" * 70 + ".example/", "refused: the address is not a valid URL"),
        ("", "refused: scheme (none) is not http or https"),
    ],
)
def test_a_bad_address_gives_a_reason_and_never_raises(url, reason, db):
    assert prefill(url) == Prefill(values={}, reason=reason)


def fetched(body=ARTICLE, status=200, content_type="text/html; charset=utf-8"):
    return Fetched(
        requested_url="https://example-pravda.test/a",
        final_url="https://example-pravda.test/a",
        status=status,
        reason="OK",
        headers=[("Content-Type", content_type)],
        body=body,
        address="203.0.113.7",
    )


def test_suggested_values_read_a_fetched_response_already_in_hand(outlet):
    values = suggested_values(fetched())
    assert values == {
        "title": "Сили оборони утримують Бахмут",
        "publisher": outlet,
        "published_on": dt.date(2023, 4, 3),
        "language": "uk",
    }


@pytest.mark.parametrize("status", [404, 410, 500, 302])
def test_suggested_values_of_an_error_page_are_empty(outlet, status):
    assert suggested_values(fetched(status=status)) == {}
