"""The bench harness's own logic (bench/run.py, bench/check.py); the harness as a
whole runs in CI's smoke run."""

from bench import check, run


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
    assert list(check.problems({"results": results})) == []
    del results["search_rare"]["p99_ms"]
    assert list(check.problems({"results": results})) == ["search_rare: no p99_ms"]
