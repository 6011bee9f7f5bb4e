"""The bench harness's own logic (bench/run.py, bench/check.py,
bench/capture_rate.py); the harness as a whole runs in CI's smoke run. No
timings here."""

import json
import urllib.error
import urllib.request

from lxml import html

from bench import capture_rate, check, run, webhooks
from claims.webhooks.signing import signed_headers


def figures(p50, rps, p99):
    return {"p50_ms": p50, "rps": rps, "p99_ms": p99}


def test_repeated_runs_report_the_median_run_whole():
    runs = [figures(9.0, 800, 30.0), figures(4.0, 1600, 12.0), figures(6.0, 1200, 50.0)]
    assert run.median_run(runs) == figures(6.0, 1200, 50.0)


def test_an_even_number_of_runs_reports_the_lower_middle_run():
    runs = [figures(9.0, 800, 30.0), figures(4.0, 1600, 12.0)]
    assert run.median_run(runs) == figures(4.0, 1600, 12.0)


def test_one_run_is_reported_as_it_is():
    assert run.median_run([figures(5.0, 1000, 20.0)]) == figures(5.0, 1000, 20.0)


def test_check_names_an_endpoint_without_a_figure():
    complete = {
        "status": "ok",
        **figures(5.0, 1000, 20.0),
        "rps_ratio": 1.0,
        "p50_ratio": 1.0,
        "p99_ratio": 1.0,
        "non_2xx": 0,
        "socket_errors": 0,
    }
    results = {name: dict(complete) for name in run.ENDPOINT_NAMES}
    results[capture_rate.NAME] = capture_row()
    assert list(check.problems({"results": results})) == []
    del results["search_rare"]["p99_ms"]
    assert list(check.problems({"results": results})) == ["search_rare: no p99_ms"]


def capture_row(**changes):
    """A capture throughput row as bench/capture_rate.py reports one."""
    row = {
        "status": "ok",
        "label": "capture throughput (2 workers)",
        "pages": 40,
        "workers": 2,
        "seconds": 2.5,
        "pages_per_s": 16.0,
        "busy_pages_per_s": 21.0,
        "p50_ms": 80.0,
        "p99_ms": 150.0,
        "fetch_p50_ms": 5.0,
        "page_kb": 68.0,
        "queued": 40,
        "captured": 40,
        "failed": 0,
        "distinct_hashes": 40,
        "warc_files": 40,
        "requests_served": 40,
        "worker_exit_codes": [0, 0],
        "target_pages_per_s": 20,
    }
    return {**row, **changes}


def test_the_news_article_is_the_same_for_a_path_and_differs_between_paths():
    first, again = capture_rate.article("/news/story-1.html"), capture_rate.article("/news/story-1.html")
    bodies = {capture_rate.article(f"/news/story-{i}.html") for i in range(20)}
    assert first == again
    assert len(bodies) == 20
    assert all(50_000 <= len(body) <= 100_000 for body in bodies)


def test_the_news_article_reads_as_an_article():
    tree = html.document_fromstring(capture_rate.article("/news/story-1.html"))
    title = tree.xpath("//meta[@property='og:title']/@content")[0]
    assert tree.findtext("head/title").startswith(title)
    assert tree.xpath("//meta[@property='og:site_name']/@content") == [capture_rate.SITE]
    assert tree.xpath("//meta[@property='article:published_time']/@content")
    assert tree.xpath("//article/h1")[0].text == title
    assert len(tree.xpath("//article/p")) >= 25


def test_the_news_site_serves_each_path_its_article():
    with capture_rate.news_site() as site:
        url = f"http://127.0.0.1:{site.server_port}/news/story-7.html"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert response.read() == capture_rate.article("/news/story-7.html")
        assert site.served == 1


def test_the_capture_database_is_the_bench_database_with_a_suffix():
    url = capture_rate.capture_database_url("postgres://postgres@127.0.0.1:5432/cc_bench_2000")
    assert url == "postgres://postgres@127.0.0.1:5432/cc_bench_2000_capture"


def test_check_wants_the_capture_row_with_every_capture_captured():
    assert list(capture_rate.problems(capture_row())) == []
    assert list(check.problems({"results": {}})).count("capture_throughput: absent") == 1
    failed = capture_row(captured=39, failed=1, distinct_hashes=39, warc_files=39)
    failed["failure_reasons"] = ["1 × timed out after 20 s"]
    assert list(capture_rate.problems(failed)) == [
        "capture_throughput: failed = 1 ['1 × timed out after 20 s']",
        "capture_throughput: captured = 39 for 40 pages",
        "capture_throughput: distinct_hashes = 39 for 40 pages",
        "capture_throughput: warc_files = 39 for 40 pages",
    ]
    assert list(capture_rate.problems(capture_row(pages_per_s=0.0))) == ["capture_throughput: no pages_per_s"]
    assert list(capture_rate.problems(capture_row(worker_exit_codes=[0, 1]))) == [
        "capture_throughput: worker exit codes [0, 1]"
    ]


def test_a_rate_under_the_target_is_a_note_not_a_problem():
    slow = capture_row(pages_per_s=12.5)
    assert list(capture_rate.problems(slow)) == []
    report = {"results": {capture_rate.NAME: slow}}
    assert list(check.notes(report)) == ["capture_throughput: 12.5 pages/s is under the 20 pages/s target"]
    assert list(check.notes({"results": {capture_rate.NAME: capture_row(pages_per_s=25.0)}})) == []


def test_the_nearest_rank_percentile():
    values = [0.3, 0.1, 0.2, 0.5, 0.4]
    assert capture_rate.percentile(values, 0.5) == 0.3
    assert capture_rate.percentile(values, 0.99) == 0.5
    assert capture_rate.percentile([0.7], 0.5) == 0.7
    assert capture_rate.percentile([], 0.5) is None


def test_check_wants_the_nested_write_row_with_its_median_and_notes_it_over_target():
    from bench import check, nested_write

    row = {"status": "ok", "label": nested_write.LABEL, "target_ms": 150, "runs": 3, "median_ms": 90.0}
    assert list(nested_write.problems(row)) == []
    assert list(nested_write.problems({**row, "median_ms": None})) == [f"{nested_write.NAME}: no median_ms"]
    assert nested_write.over_target(row) is None
    assert "over the 150 ms target" in nested_write.over_target({**row, "median_ms": 151})
    report = {"results": {nested_write.NAME: {**row, "median_ms": 200}}}
    assert any("over the 150 ms target" in note for note in check.notes(report))


def webhook_row(**changes):
    """A webhook delivery row as bench/webhooks.py reports one."""
    row = {
        "status": "ok",
        "label": "webhook deliveries (2 workers)",
        "deliveries": 400,
        "delivered": 400,
        "received": 400,
        "deliveries_per_s": 300.0,
        "bad_signatures": 0,
        "in_order": True,
        "worker_exit_codes": [0, 0],
    }
    return {**row, **changes}


def test_the_webhook_row_is_checked_for_correctness_and_its_rate_only_noted():
    assert list(webhooks.problems(webhook_row())) == []
    assert list(webhooks.problems(webhook_row(received=399, in_order=False))) == [
        "webhook_deliveries: received = 399 for 400 deliveries",
        "webhook_deliveries: a subscription's events came out of order",
    ]
    slow = webhook_row(deliveries_per_s=50.0)
    assert list(webhooks.problems(slow)) == []
    assert webhooks.under_target(slow) == "webhook_deliveries: 50.0 deliveries/s is under the 100/s target"


def test_the_webhook_receiver_checks_signatures_and_notes_the_order():
    body = json.dumps({"data": {"position": 7}}).encode()
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    with webhooks.receiver() as server:
        server.secrets["0"] = secret
        for signature_secret, expected in ((secret, 204), ("whsec_" + "A" * 32, 401)):
            headers = signed_headers(signature_secret, "msg_1", 1700000000, body)
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.server_port}/hook/0", data=body, headers=headers, method="POST"
            )
            try:
                status = urllib.request.urlopen(request, timeout=5).status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected
        assert server.positions == {"0": [7]} and server.bad_signatures == 1


def test_every_search_is_measured_first_time_and_repeated():
    targets = {
        "claim": {"slug": "a-claim"},
        "actor": {"slug": "an-actor"},
        "rare_word": {"word": "Bilovove"},
        "common_word": {"word": "forces"},
    }
    rows = {name: (port, path) for name, port, path in run.endpoints(targets)}
    assert [name for name, _, _ in run.endpoints(targets)] == run.ENDPOINT_NAMES
    for search in ("search_common", "search_rare"):
        cold, warm = rows[search], rows[f"{search}_warm"]
        assert (cold[0], warm[0]) == (run.COLD_PORT, run.WARM_PORT)
        assert cold[1] == warm[1]
    assert rows["search_rare"][1] == "/claims/?q=bilovove"
