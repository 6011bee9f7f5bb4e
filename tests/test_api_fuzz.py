"""No input is a 5xx, and every answer is JSON.

Schemathesis against the live OpenAPI schema: every operation as anonymous and
as a Reviewer (no 5xx, and every response fits the schema), and every write
(POST, PUT, PATCH, DELETE) as an Editor (no 5xx). Hypothesis posts hostile
JSON (deep nesting, huge numbers, NaN, null bytes, lone surrogates, wrong types
everywhere, very long strings, lists for objects) to every write endpoint as an
Editor and as a Reviewer. Bounded and reproducible: a few examples per
operation, a time budget per Schemathesis run, fixed generation."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims.demo import load_demo

from .factories import AssessmentFactory, ClaimFactory, ClaimLinkFactory, StatementFactory, TopicFactory

ST = Path(sys.executable).with_name("st")
EXAMPLES = os.environ.get("API_FUZZ_EXAMPLES", "5")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
WRITE_METHODS = "^(POST|PUT|PATCH|DELETE)$"


def fuzz(live_server, workdir, *options, headers=(), checks=CHECKS, max_time=30):
    command = [
        str(ST),
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--checks",
        checks,
        "--max-examples",
        EXAMPLES,
        "--phases",
        "examples,fuzzing",
        "--workers",
        "1",
        "--generation-deterministic",
        "--request-timeout",
        "20",
        "--max-time",
        str(max_time),
        "--no-color",
        *options,
    ]
    for header in headers:
        command += ["--header", header]
    # Run in a scratch folder: Schemathesis keeps state in ./.schemathesis.
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=workdir)


def every_operation_tested(result):
    """The time budget ran out after each selected operation was tried, not before."""
    selected = re.search(r"Selected: (\d+)/", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert selected and tested, result.stdout[-3000:]
    assert selected.group(1) == tested.group(1), result.stdout[-3000:]
    return True


@pytest.fixture
def no_throttles():
    # A source created with only a URL is prefilled from its page: never
    # from a made-up host for long, and never from a private one.
    rates = {"anon": None, "user": None}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates},
        CAPTURE_PREFILL_TIMEOUT=1,
        CAPTURE_ALLOW_LOOPBACK=False,
    ):
        yield


def token_header(api_client_for, role):
    from rest_framework.authtoken.models import Token

    api_client_for(role)
    return f"Authorization: Token {Token.objects.get(user__username=f'api-{role}'.lower()).key}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", [None, "Reviewer"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, api_client_for, no_throttles, tmp_path, role
):
    load_demo()
    headers = [token_header(api_client_for, role)] if role else []
    result = fuzz(live_server, tmp_path, headers=headers)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
    assert every_operation_tested(result)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_server_error_in_any_write_by_an_editor(
    live_server, api_client_for, no_throttles, tmp_path
):
    load_demo()
    result = fuzz(
        live_server,
        tmp_path,
        "--include-method-regex",
        WRITE_METHODS,
        headers=[token_header(api_client_for, "Editor")],
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
    assert every_operation_tested(result)


# --- Hostile JSON, by Hypothesis ---------------------------------------------


class Raw(str):
    """JSON text written into a body as it is: numbers json.dumps cannot write."""


def encode(value):
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)}: {encode(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(encode(item) for item in value) + "]"
    return json.dumps(value)


FIELDS = [
    *("text", "context", "internal_notes", "slug", "is_published", "topics", "place"),
    *("occurred_on", "first_claimed_on", "claim", "actor", "stance", "summary", "quote"),
    *("quote_language", "translation", "stated_on", "sources", "source", "how", "name"),
    *("kind", "role", "affiliation", "country", "wikidata_id", "description", "aliases"),
    *("language", "url", "title", "publisher", "published_on", "published_time", "archive_url"),
    *("accessed_on", "status", "rationale", "evidence", "assessed_at", "original_rating"),
    *("from_claim", "to_claim", "note", "@type", "@graph", "claimReviewed", "reviewRating"),
    *("itemReviewed", "author", "datePublished", "ratingValue", "alternateName", "appearance"),
    *("bestRating", "worstRating", "sameAs"),
]
# One of each kind of trouble: numbers too big for any column (or for a float),
# text no database stores, odd days and addresses, sizes past every limit...
TROUBLE_ALONE = [
    *(2**63, -(2**63) - 1, 10**400, Raw("1e999"), Raw("-1e999"), Raw("1" * 5000), 0.5),
    *("\x00", "\ud800", "\u202e\u200b\ufeff", "Z\u0351\u0360", "NaN", "1e999", "-1", "%00%ZZ"),
    *("9999-12-31", "0001-01-01", "2023-02-30", "2023-04-03T25:00:00Z", "99999-01-01T00:00:00Z"),
    *("https://[::1/", "javascript:alert(1)", "Q" + "9" * 40, "x" * 12_000, "😀" * 2100),
]
# ...and wrong types (lists where objects are expected, and the other way round).
HOSTILE = [
    *TROUBLE_ALONE,
    *(None, True, 0, -0.0, 10**30, Raw("1e-999"), "", " ", "fuzz-claim", "refuted", "en"),
    *([], {}, [[]], [{}], [None], {"": None}, {"slug": "fuzz-claim"}, ["x"] * 300),
]
leaves = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.builds(lambda char, n: char * n, st.sampled_from("xЖ😀\x00 "), st.integers(0, 12_000)),
)
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
RAW_BODIES = [
    "[" * 100_000 + "]" * 100_000,
    '{"text": "x", "topics": ' + "[" * 900 + "]" * 900 + "}",
    '{"aliases": ' + '{"name": ' * 500 + "1" + "}" * 500 + "}",
    *("1" * 5000, "1e999999", '{"text": NaN}', '{"text": Infinity}', '{"text": "x", "text": "y"}'),
    *("\ufeff{}", "", "{", '{"text": "x"', "null", "[]", '"a string"', "[{}, [], null]"),
    '{"name": "\\udfff", "slug": "\\ud83d"}',
]
raw_bodies = st.one_of(
    st.sampled_from(RAW_BODIES).map(str.encode),
    st.binary(max_size=40),
    st.sampled_from([b"\xff\xfe{\x00}", b'{"text": "\xc3\x28"}', b"\xef\xbb\xbf[1]", b"\x80"]),
)


def paths(value, prefix=()):
    """Every place in a body: the body itself, each value, each list item, nested too."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        yield from paths(item, (*prefix, key))


def replaced(value, path, new):
    if not path:
        return new
    head, *rest = path
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    return [*value[:head], replaced(value[head], rest, new), *value[head + 1 :]]


def everywhere(value, new):
    """Every leaf of a body swapped for `new`."""
    if isinstance(value, dict):
        return {key: everywhere(item, new) for key, item in value.items()}
    if isinstance(value, list):
        return [everywhere(item, new) for item in value]
    return new


def body_for(data, valid):
    """A valid body with one to three places swapped for trouble, or a body of trouble."""
    kind = data.draw(st.sampled_from(["mutated", "mutated", "mutated", "row", "value", "raw"]))
    if kind == "mutated":
        body, places = valid, list(paths(valid))
        for _ in range(data.draw(st.integers(1, 3))):
            body = replaced(body, data.draw(st.sampled_from(places)), data.draw(values))
            places = [place for place in paths(body) if place in places]
        return encode(body)
    if kind == "row":
        return encode(data.draw(st.dictionaries(st.sampled_from(FIELDS), values, min_size=1, max_size=10)))
    if kind == "value":
        return encode(data.draw(values))
    return data.draw(raw_bodies)


RESOURCES = ["claims", "statements", "actors", "sources", "topics", "assessments", "claim-links"]
# DELETE takes no body (Schemathesis sends it every other way).
WRITES = [
    *[("post", name) for name in [*RESOURCES, "import/claimreview"]],
    *[(method, name) for name in RESOURCES for method in ("put", "patch")],
]


@pytest.fixture
def write_targets(db):
    """For each resource: a valid body, and a row that exists."""
    claim = ClaimFactory(slug="fuzz-claim")
    statement = StatementFactory(claim=claim, sources=1)
    source_id = statement.statement_sources.get().source_id
    topic = TopicFactory(slug="fuzz-topic")
    valid = {
        "claims": {"text": "A fuzzed claim.", "topics": [topic.slug], "first_claimed_on": "2023-04-03"},
        "statements": {
            "claim": claim.slug,
            "actor": statement.actor.slug,
            "stance": "denies",
            "stated_on": "2023-04-04",
            "quote": "No.",
            "quote_language": "en",
            "sources": [{"source": source_id, "how": "told Reuters"}],
        },
        "actors": {"name": "Fuzz Actor", "country": "UA", "aliases": [{"name": "Fuzzy", "language": "uk"}]},
        "sources": {"url": "https://example.org/fuzz", "title": "Fuzz", "published_on": "2023-04-03"},
        "topics": {"name": "Fuzz topic", "description": "Fuzzed."},
        "assessments": {
            "claim": claim.slug,
            "status": "refuted",
            "rationale": "Because.",
            "assessed_at": "2023-04-04T10:00:00Z",
            "evidence": [source_id],
        },
        "claim-links": {"from_claim": claim.slug, "to_claim": ClaimFactory().slug, "kind": "supports"},
        "import/claimreview": {
            "@type": "ClaimReview",
            "claimReviewed": "A fuzzed review.",
            "datePublished": "2023-04-04",
            "url": "https://factcheck.example.org/fuzz",
            "author": {"@type": "Organization", "name": "Fuzz Check"},
            "reviewRating": {"ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"},
            "itemReviewed": {
                "author": {
                    "@type": "Person",
                    "name": "Jens Fuzz",
                    "sameAs": "https://www.wikidata.org/wiki/Q1",
                },
                "datePublished": "2023-04-03",
                "appearance": [{"url": "https://example.org/said"}],
            },
        },
    }
    rows = {
        "claims": claim.slug,
        "statements": statement.pk,
        "actors": statement.actor.slug,
        "sources": source_id,
        "topics": topic.slug,
        "assessments": AssessmentFactory(claim=claim).pk,
        "claim-links": ClaimLinkFactory(from_claim=claim).pk,
    }
    return valid, rows


@pytest.mark.parametrize("role", ["Editor", "Reviewer"])
@pytest.mark.parametrize(("method", "resource"), WRITES)
def test_hostile_json_to_any_write_is_never_a_server_error(
    api_client_for, no_throttles, write_targets, role, method, resource
):
    client = api_client_for(role)
    valid, rows = write_targets
    path = f"/api/v1/{resource}/" if method == "post" else f"/api/v1/{resource}/{rows[resource]}/"

    @hypothesis_settings(
        max_examples=int(os.environ.get("API_FUZZ_HOSTILE_EXAMPLES", "12")),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        body = body_for(data, valid[resource])
        # Each example against the same rows: what one stores, it takes back.
        with transaction.atomic():
            response = getattr(client, method)(path, body, content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code < 500, (method, path, body[:500], response.content[:1000])
        assert response["Content-Type"] == "application/json", (method, path, response.content[:300])
        json.loads(response.content)

    check()


@pytest.mark.parametrize(("method", "resource"), [write for write in WRITES if write[0] == "post"])
def test_every_kind_of_trouble_in_every_field_is_never_a_server_error(
    api_client_for, no_throttles, write_targets, method, resource
):
    """Each hostile value in every place of a valid body at once, and each kind
    of trouble in each field alone (the rest valid, so the row gets as far as
    the database), as a Reviewer (who may write everything). PUT and PATCH run
    the same serializers: Hypothesis covers them."""
    client = api_client_for("Reviewer")
    valid, rows = write_targets
    valid = valid[resource]
    path = f"/api/v1/{resource}/" if method == "post" else f"/api/v1/{resource}/{rows[resource]}/"
    bodies = [everywhere(valid, value) for value in HOSTILE]
    bodies += [{**valid, key: value} for value in TROUBLE_ALONE for key in valid]
    for body in bodies:
        with transaction.atomic():
            response = getattr(client, method)(path, encode(body), content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code < 500, (method, path, encode(body)[:500], response.content[:1000])
        assert response["Content-Type"] == "application/json"
