"""The guarded fetcher against real HTTP from a local server (pytest-httpserver
on 127.0.0.1): what it returns, and what it refuses before sending a byte.
Refusals of private and metadata addresses never open a connection."""

import time

import pytest
from werkzeug import Response

from claims.capture.fetcher import MAX_REDIRECTS, FetchError, check_destination, fetch, vet_address

ARTICLE = b"<html><head><title>Wagner claims Bakhmut town hall</title></head><body>Text.</body></html>"


def get(url, **options):
    return fetch(url, allow_loopback=True, **options)


def test_a_normal_article_comes_back_with_its_status_type_and_body(httpserver):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    fetched = get(httpserver.url_for("/article"))
    assert (fetched.status, fetched.content_type, fetched.body) == (200, "text/html", ARTICLE)
    assert fetched.final_url == fetched.requested_url
    assert fetched.address == "127.0.0.1"


def test_a_redirect_chain_is_followed_and_recorded(httpserver):
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/c?x=1"})
    httpserver.expect_request("/c").respond_with_data(ARTICLE)
    fetched = get(httpserver.url_for("/a"))
    assert fetched.status == 200
    assert fetched.final_url == httpserver.url_for("/c?x=1")
    assert [status for status, _ in fetched.redirects] == [301, 302]


def test_more_than_five_redirects_are_refused(httpserver):
    for hop in range(MAX_REDIRECTS + 1):
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/r{hop + 1}"}
        )
    httpserver.expect_request(f"/r{MAX_REDIRECTS + 1}").respond_with_data(ARTICLE)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        get(httpserver.url_for("/r0"))


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.5/admin", "refused: address 10.0.0.5 is private"),
        ("http://169.254.169.254/latest/meta-data/", "refused: address 169.254.169.254 is link-local"),
        ("http://[fd00::1]/", "is private"),
        ("http://192.168.1.1/", "is private"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(httpserver, target, reason):
    httpserver.expect_request("/jump").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(FetchError, match=reason.replace("[", r"\[").replace(".", r"\.")) as error:
        get(httpserver.url_for("/jump"))
    assert not error.value.retryable


@pytest.mark.parametrize("status", [404, 410, 500])
def test_an_error_status_is_an_answer_not_a_failure(httpserver, status):
    httpserver.expect_request("/gone").respond_with_data("gone", status=status)
    assert get(httpserver.url_for("/gone")).status == status


def test_a_slow_response_times_out_with_its_reason(httpserver):
    def slow(request):
        time.sleep(2)
        return Response(ARTICLE)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s") as error:
        get(httpserver.url_for("/slow"), timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert error.value.retryable


def test_a_body_over_the_cap_is_refused_by_its_length(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 200_000)
    with pytest.raises(FetchError, match="over the 100,000-byte limit"):
        get(httpserver.url_for("/big"), max_bytes=100_000)


def test_a_streamed_body_over_the_cap_is_cut_off(httpserver):
    def stream(request):
        return Response((b"x" * 10_000 for _ in range(50)), direct_passthrough=True)

    httpserver.expect_request("/stream").respond_with_handler(stream)
    with pytest.raises(FetchError, match="over the 100,000-byte limit"):
        get(httpserver.url_for("/stream"), max_bytes=100_000)


def test_a_pdf_comes_back_as_bytes_with_its_type(httpserver):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    httpserver.expect_request("/doc.pdf").respond_with_data(pdf, content_type="application/pdf")
    fetched = get(httpserver.url_for("/doc.pdf"))
    assert (fetched.content_type, fetched.body) == ("application/pdf", pdf)


def test_a_page_that_changes_between_two_fetches_gives_two_bodies(httpserver):
    httpserver.expect_ordered_request("/live").respond_with_data(b"first version")
    httpserver.expect_ordered_request("/live").respond_with_data(b"edited without notice")
    assert get(httpserver.url_for("/live")).body != get(httpserver.url_for("/live")).body


def test_loopback_is_refused_unless_allowed(httpserver, settings):
    httpserver.expect_request("/article").respond_with_data(ARTICLE)
    settings.CAPTURE_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError, match="refused: address 127.0.0.1 is loopback"):
        fetch(httpserver.url_for("/article"))
    settings.CAPTURE_ALLOW_LOOPBACK = True
    assert fetch(httpserver.url_for("/article")).status == 200


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/file", "scheme ftp is not http or https"),
        ("file:///etc/passwd", "scheme file is not http or https"),
        ("javascript:alert(1)", "scheme javascript is not http or https"),
        ("http:///no-host", "has no host"),
        ("http://example.org:99999/", "port is not a number"),
    ],
)
def test_bad_addresses_are_refused_before_any_connection(url, reason):
    with pytest.raises(FetchError, match=reason):
        fetch(url)


def test_a_name_that_does_not_resolve_is_a_retryable_dns_failure():
    with pytest.raises(FetchError, match="DNS: no-such-host.invalid does not resolve") as error:
        fetch("http://no-such-host.invalid/")
    assert error.value.gone and error.value.retryable


def test_localhost_by_name_is_loopback_and_refused():
    with pytest.raises(FetchError, match="is loopback"):
        fetch("http://localhost:1/", allow_loopback=False)


@pytest.mark.parametrize(
    "address", ["0.0.0.0", "100.64.0.1", "224.0.0.1", "::ffff:10.0.0.1", "::1", "fe80::1", "240.0.0.1"]
)
def test_every_non_public_address_is_refused(address):
    with pytest.raises(FetchError, match="refused: address"):
        vet_address(address, allow_loopback=False)


def test_only_loopback_is_let_through_by_the_loopback_switch():
    assert str(vet_address("127.0.0.2", allow_loopback=True)) == "127.0.0.2"
    with pytest.raises(FetchError):
        vet_address("10.0.0.5", allow_loopback=True)


def test_a_public_address_is_allowed():
    assert str(vet_address("93.184.216.34", allow_loopback=False)) == "93.184.216.34"


@pytest.mark.parametrize("url", ["http://[::1", "http://" + "a" * 64 + ".example/"])
def test_a_malformed_address_is_refused_with_a_reason_not_an_exception(url):
    with pytest.raises(FetchError, match="refused: the address is not a valid URL"):
        get(url)


def test_a_post_sends_its_body_and_headers_and_returns_a_redirect_unfollowed(httpserver):
    httpserver.expect_request(
        "/hook", method="POST", data=b'{"a":1}', headers={"webhook-id": "msg_1"}
    ).respond_with_data("", status=302, headers={"Location": "/elsewhere"})
    fetched = get(
        httpserver.url_for("/hook"),
        method="POST",
        body=b'{"a":1}',
        headers={"webhook-id": "msg_1"},
        follow_redirects=False,
    )
    assert (fetched.status, fetched.redirects) == (302, [])
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("url", ["http://10.0.0.5/hook", "http://169.254.169.254/", "gopher://8.8.8.8/"])
def test_a_post_and_a_destination_check_refuse_what_a_get_refuses(url):
    with pytest.raises(FetchError, match="refused") as refused:
        fetch(url, method="POST", body=b"{}", follow_redirects=False)
    assert refused.value.refused
    with pytest.raises(FetchError, match="refused"):
        check_destination(url)
