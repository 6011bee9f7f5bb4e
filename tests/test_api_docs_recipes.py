"""Every recipe in docs/api.md (each ```sh block), run as written (bash, curl,
jq) against a live server, with the claim set example (the ```json request
body under "Writing a whole claim set") as its `claim-set.json`. Each block has
a runner here, found by a line of the block; a block the docs add without one
fails `test_every_recipe_in_the_docs_has_a_runner`.

What a runner changes in a block: the site's address (the live server's), a
failing `curl` fails the script (`--fail-with-body`), ids the docs make up
(`42`) become the ids of the rows made, a page the docs fetch from the web
comes from a local server, and `python manage.py …` runs in this process (a
subprocess would not see the test database)."""

import json
import re
import shlex
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from claims.models import Capture, Claim, ExternalReview, Source, Statement
from claims.roles import ensure_roles
from claims.vocabularies import ActorKind

from .browser_support import ROOT
from .capture_support import ARTICLE
from .factories import ActorFactory, ClaimFactory, PlaceFactory, SourceFactory, TopicFactory, UserFactory
from .mh17 import COUNTS as MH17_COUNTS
from .mh17 import mh17_claim_sets
from .test_api_claimreview import review

SITE = "https://counterclaim.example.org"
DOCS = ROOT / "docs" / "api.md"
REUTERS = "https://www.reuters.com/world/europe/bakhmut"


def docs_blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(), flags=re.S)


def recipe(marker):
    [block] = [block for block in docs_blocks("sh") if marker in block]
    return block


def claim_set_example():
    [block] = [block for block in docs_blocks("json") if '"statements": [' in block and '"links"' in block]
    return block


def run(script, live_server, token, cwd, fail=True):
    """The script as the docs give it, with the reader's variables set."""
    if shutil.which("curl") is None or shutil.which("jq") is None:
        pytest.fail("curl and jq are needed to run the docs' recipes (apt-get install curl jq)")
    script = script.replace(SITE, live_server.url).replace("TOKEN=…", ": TOKEN")
    if fail:  # an HTTP error fails the script
        script = re.sub(r"curl -s(O?) ", r"curl -sS\1 --fail-with-body ", script)
    prelude = (
        "set -eu -o pipefail\n"
        f"API={live_server.url}/api/v1\n"
        'H=(-H "Authorization: Token $TOKEN" -H "Content-Type: application/json")\n'
        "KEY=$(python3 -c 'import uuid; print(uuid.uuid4())')\n"
    )
    result = subprocess.run(
        ["bash", "-c", prelude + script],
        env={"TOKEN": token, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


def without_manage_py(block):
    """The block's shell lines, and its `python manage.py …` commands (run here)."""
    lines = block.splitlines()
    commands = [shlex.split(line)[2:] for line in lines if line.startswith("python manage.py ")]
    return "\n".join(line for line in lines if not line.startswith("python manage.py ")) + "\n", commands


def with_the_new_source(block):
    """The block with the id of the source its first line makes as $SOURCE."""
    create = next(line for line in block.splitlines() if line.startswith("curl -s -X POST $API/sources/"))
    return block.replace(create, f"SOURCE=$({create} | jq -r .id)")


@pytest.fixture
def token_for(transactional_db):
    # A transactional test before this one may have emptied the tables, roles included.
    ensure_roles(apps)

    def make(role, username="desk-api"):
        return Token.objects.create(user=UserFactory(username=username, role=role)).key

    return make


# --- The runners: one per ```sh block ---------------------------------------------


def sources_and_captures(live_server, token_for, tmp_path, httpserver, settings):
    settings.CAPTURE_ALLOW_LOOPBACK = True
    httpserver.expect_request("/world/europe/bakhmut").respond_with_data(ARTICLE, content_type="text/html")
    ActorFactory(slug="reuters", name="Reuters", kind=ActorKind.MEDIA_OUTLET)
    claim = ClaimFactory(slug="town-hall")
    claim.statements.create(actor=ActorFactory(), stance="asserts", stated_on="2023-04-03")
    block = recipe("/capture/")
    block = block.replace(REUTERS, httpserver.url_for("/world/europe/bakhmut"))
    script = with_the_new_source(block).replace("/sources/42/", "/sources/$SOURCE/")
    run(script, live_server, token_for("Editor"), tmp_path)
    source = Source.objects.get(url__startswith=httpserver.url_for("/"))
    assert source.title == "Wagner claims Bakhmut town hall" and source.publisher.slug == "reuters"
    assert Capture.objects.filter(source=source).count() == 2  # on creation, and asked for
    assert (tmp_path / "evidence.zip").read_bytes().startswith(b"PK")


def a_token(live_server, token_for, tmp_path, **_):
    ClaimFactory(slug="town-hall", is_published=False)
    listed = json.loads(run(recipe("TOKEN=…"), live_server, token_for("Editor"), tmp_path))
    assert [row["slug"] for row in listed["results"]] == ["town-hall"]  # an Editor sees drafts


def sync(live_server, token_for, tmp_path, **_):
    ClaimFactory(slug="town-hall")
    listed = json.loads(run(recipe("updated_since="), live_server, token_for("Editor"), tmp_path))
    assert [row["slug"] for row in listed["results"]] == ["town-hall"]


def change_stream(live_server, token_for, tmp_path, **_):
    ClaimFactory(slug="town-hall")
    ClaimFactory(slug="a-draft", is_published=False)
    block = recipe("changes/?since=")
    run(block, live_server, token_for("Editor"), tmp_path)
    page = json.loads((tmp_path / "page.json").read_text())
    assert [(entry["key"], entry["kind"]) for entry in page["results"]] == [("town-hall", "published")]
    position = (tmp_path / "position").read_text()
    assert int(position) == page["results"][-1]["position"]
    run(block, live_server, token_for("Editor", username="desk-api-2"), tmp_path)  # resumes: nothing new
    assert json.loads((tmp_path / "page.json").read_text())["results"] == []
    assert (tmp_path / "position").read_text() == position


def if_match(live_server, token_for, tmp_path, **_):
    ClaimFactory(slug="town-hall", context="Fighting on 3 April.")
    block = recipe("If-Match").replace("curl -s -X PATCH", "curl -s -o /dev/null -w '%{http_code}' -X PATCH")
    assert run(block, live_server, token_for("Editor"), tmp_path) == "200"
    assert Claim.objects.get(slug="town-hall").context == "Fighting continued on 4 April."


def claimreview(live_server, token_for, tmp_path, **_):
    ClaimFactory(slug="published-one")
    (tmp_path / "feed.json").write_text(json.dumps(review()))
    script, commands = without_manage_py(recipe("import_claimreview"))
    run(script, live_server, token_for("Reviewer", username="reviewer"), tmp_path)
    assert (tmp_path / "reviews.jsonl").read_text().count("\n") == 0  # no published assessment: no review
    assert ExternalReview.objects.count() == 1
    assert commands == [["import_claimreview", "feed.json", "--user", "reviewer"]]
    for command in commands:
        call_command(*command[:1], str(tmp_path / command[1]), *command[2:])
    assert ExternalReview.objects.count() == 1  # the same review again: a duplicate


def newsroom_tool(live_server, token_for, tmp_path, **_):
    ActorFactory(slug="reuters", name="Reuters", kind=ActorKind.MEDIA_OUTLET)
    ActorFactory(slug="serhiy-cherevatiy")
    TopicFactory(slug="battle-of-bakhmut")
    PlaceFactory(slug="bakhmut")
    script = with_the_new_source(recipe("# 1. the source")).replace('"source": 42', '"source": \'"$SOURCE"\'')
    run(script, live_server, token_for("Editor"), tmp_path)
    statement = Statement.objects.get(actor__slug="serhiy-cherevatiy")
    assert statement.claim.slug == "the-wagner-group-captured-bakhmuts-city-administration-building"
    assert [s.url for s in statement.sources.all()] == [REUTERS]


def idempotency_key(live_server, token_for, tmp_path, **_):
    ActorFactory(slug="reuters", name="Reuters", kind=ActorKind.MEDIA_OUTLET)
    ActorFactory(slug="serhiy-cherevatiy")
    TopicFactory(slug="battle-of-bakhmut")
    ClaimFactory(slug="russian-forces-are-far-from-capturing-bakhmut")
    stored = SourceFactory(url="https://example.org/stored")
    body = claim_set_example().replace('{"id": 42,', f'{{"id": {stored.pk},')
    (tmp_path / "claim-set.json").write_text(body)
    run(recipe('Idempotency-Key: $KEY" -d @claim-set.json'), live_server, token_for("Reviewer"), tmp_path)
    claim = Claim.objects.get(topics__slug="battle-of-bakhmut")  # one claim, not two
    assert claim.statements.count() == 2 and claim.assessments.count() == 1 and claim.links_out.count() == 1


def bulk(live_server, token_for, tmp_path, **_):
    (tmp_path / "mh17.json").write_text(json.dumps(mh17_claim_sets()))
    for index, claim_set in enumerate([{"text": "The first claim."}, {"text": "The second claim."}]):
        (tmp_path / f"claim-{index}.json").write_text(json.dumps(claim_set, indent=2))
    run(recipe("@mh17.json"), live_server, token_for("Reviewer"), tmp_path)
    assert Claim.objects.count() == MH17_COUNTS["claims"] + 2


RUNNERS = {
    "/capture/": sources_and_captures,
    "TOKEN=…": a_token,
    "updated_since=": sync,
    "changes/?since=": change_stream,
    "If-Match": if_match,
    "import_claimreview": claimreview,
    "# 1. the source": newsroom_tool,
    'Idempotency-Key: $KEY" -d @claim-set.json': idempotency_key,
    "@mh17.json": bulk,
}


def test_every_recipe_in_the_docs_has_a_runner():
    blocks = docs_blocks("sh")
    assert len(blocks) == len(RUNNERS)
    for block in blocks:
        markers = [marker for marker in RUNNERS if marker in block]
        assert len(markers) == 1, f"A recipe in docs/api.md with no runner (or two) here: {block[:200]}"
    assert claim_set_example()  # the claim set example is the idempotency recipe's body


@pytest.mark.parametrize("marker", list(RUNNERS))
def test_the_recipe_runs_as_written(marker, live_server, token_for, tmp_path, httpserver, settings):
    RUNNERS[marker](
        live_server=live_server,
        token_for=token_for,
        tmp_path=tmp_path,
        httpserver=httpserver,
        settings=settings,
    )


def test_the_if_match_recipe_is_refused_over_a_newer_version(live_server, token_for, tmp_path):
    claim = ClaimFactory(slug="town-hall", context="Fighting on 3 April.")
    read, write = recipe("If-Match").split("curl -s -X PATCH")
    token = token_for("Editor")
    etag = run(read + 'printf %s "$ETAG"\n', live_server, token, tmp_path)
    assert etag.startswith('"')

    claim.context = "Someone else's words."  # a newer version, between the read and the write
    claim.save()
    write = "curl -s -o /dev/null -w '%{http_code}' -X PATCH" + write
    assert run(f"ETAG='{etag}'\n" + write, live_server, token, tmp_path, fail=False) == "412"
    assert Claim.objects.get(slug="town-hall").context == "Someone else's words."
