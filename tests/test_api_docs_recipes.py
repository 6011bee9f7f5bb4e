"""The If-Match recipe in docs/api.md, run as written (bash and curl) against a
live server: it sends the ETag it read, so a write over a newer version is a
412 and a write over the version read goes through."""

import re
import shutil
import subprocess

import pytest
from django.apps import apps
from rest_framework.authtoken.models import Token

from claims.models import Claim
from claims.roles import ensure_roles

from .browser_support import ROOT
from .factories import ClaimFactory, UserFactory

SITE = "https://counterclaim.example.org"


def if_match_recipe():
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), flags=re.S)
    [recipe] = [block for block in blocks if "If-Match" in block]
    return recipe


def run(recipe, live_server, token):
    if shutil.which("curl") is None:
        pytest.fail("curl is needed to run the docs' recipes (apt-get install curl)")
    script = "set -eu -o pipefail\n" + recipe.replace(SITE, live_server.url)
    script = script.replace("curl -s -X PATCH", "curl -s -o /dev/null -w '%{http_code}' -X PATCH")
    result = subprocess.run(
        ["bash", "-c", script], env={"TOKEN": token, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def token(transactional_db):
    # A transactional test before this one may have emptied the tables, roles included.
    ensure_roles(apps)
    return Token.objects.create(user=UserFactory(username="desk-api", role="Editor")).key


def test_the_if_match_recipe_writes_over_the_version_it_read(live_server, token):
    ClaimFactory(slug="town-hall", context="Fighting on 3 April.")
    assert run(if_match_recipe(), live_server, token) == "200"
    assert Claim.objects.get(slug="town-hall").context == "Fighting continued on 4 April."


def test_the_if_match_recipe_is_refused_over_a_newer_version(live_server, token):
    claim = ClaimFactory(slug="town-hall", context="Fighting on 3 April.")
    read, write = if_match_recipe().split("curl -s -X PATCH")
    etag = run(read + 'printf %s "$ETAG"\n', live_server, token)
    assert etag.startswith('"')

    claim.context = "Someone else's words."  # a newer version, between the read and the write
    claim.save()
    assert run(f"ETAG='{etag}'\ncurl -s -X PATCH" + write, live_server, token) == "412"
    assert Claim.objects.get(slug="town-hall").context == "Someone else's words."
