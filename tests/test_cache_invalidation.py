"""Touch the parents: every edit moves the version of every page that shows
the edited row (and of no unrelated page), and cached_page serves the change."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.caching import actor_version, cached_page, claim_list_version, claim_version, topic_version
from claims.models import Actor, Claim, Topic
from claims.vocabularies import ActorKind, Stance

from .factories import (
    ActorAliasFactory,
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


# --- A world of pages ---------------------------------------------------------


@pytest.fixture
def world():
    """Claims A and B (topic T1, A links to B) and C (topic T2), each with
    statements by different actors; nothing of C's is shared with A or B."""
    w = {}
    w["T1"], w["T2"] = TopicFactory(), TopicFactory()
    w["P"], w["Q"] = PlaceFactory(), PlaceFactory()
    w["O"] = ActorFactory(kind=ActorKind.ORGANISATION)
    w["X"] = ActorFactory(affiliation=w["O"])
    w["Y"], w["Z"] = ActorFactory(), ActorFactory()
    w["M"] = ActorFactory(kind=ActorKind.MEDIA_OUTLET)
    w["S1"], w["S2"], w["S3"] = SourceFactory(publisher=w["M"]), SourceFactory(), SourceFactory()
    w["A"] = ClaimFactory(topics=[w["T1"]], place=w["P"])
    w["B"] = ClaimFactory(topics=[w["T1"]])
    w["C"] = ClaimFactory(topics=[w["T2"]], place=w["Q"])
    w["sA"] = StatementFactory(claim=w["A"], actor=w["X"], sources=[w["S1"]])
    w["sB"] = StatementFactory(claim=w["B"], actor=w["Y"], stance=Stance.DENIES)
    w["sC"] = StatementFactory(claim=w["C"], actor=w["Z"], sources=[w["S2"]])
    w["alias"] = ActorAliasFactory(actor=w["X"])
    w["aA"] = AssessmentFactory(claim=w["A"])
    w["aA"].evidence.add(w["S3"])
    w["link"] = ClaimLinkFactory(from_claim=w["A"], to_claim=w["B"])
    return w


def versions(w):
    """Every page's version; None for a page whose row is gone."""
    out = {}
    for name in ("A", "B", "C"):
        out[name] = claim_version(None, w[name].slug)
    for name in ("O", "X", "Y", "Z", "M"):
        out[name] = actor_version(None, w[name].slug)
    for name in ("T1", "T2"):
        out[name] = topic_version(None, w[name].slug)
    return out


def changed(before, after):
    return {name for name in before if before[name] != after[name]}


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# Reverse-side m2m edits (topic.claims.remove, source.assessments.add) are
# handled by the signals, but django-simple-history cannot record them (it
# writes the other model's history row without updated_at), so none is tested.
EDITS = {
    # name: (edit, pages that must change, pages that must not)
    "claim text": (lambda w: _save(reload(w["A"]), text="Edited."), {"A", "B", "X", "T1"}, {"C", "Z", "T2"}),
    "claim unpublished": (
        lambda w: _save(reload(w["B"]), is_published=False),
        {"A", "B", "Y", "T1"},
        {"C", "Z", "T2"},
    ),
    "claim topics added": (lambda w: w["C"].topics.add(w["T1"]), {"C", "T1", "T2"}, {"A", "B"}),
    "claim topics cleared": (lambda w: w["A"].topics.clear(), {"A", "T1"}, {"C", "T2"}),
    "statement edited": (lambda w: _save(reload(w["sA"]), summary="New."), {"A", "X", "T1"}, {"C", "Z", "Y"}),
    "statement moved to another claim": (
        lambda w: _save(reload(w["sB"]), claim=w["C"]),
        {"B", "C", "Y", "T1", "T2"},
        {"X", "Z"},
    ),
    "statement moved to another actor": (
        lambda w: _save(reload(w["sA"]), actor=w["Y"]),
        {"A", "X", "Y"},
        {"C", "Z"},
    ),
    "statement added": (
        lambda w: StatementFactory(claim=w["B"], actor=w["Z"], stance=Stance.QUALIFIES),
        {"B", "Z", "T1"},
        {"C", "X"},
    ),
    "statement deleted": (lambda w: reload(w["sA"]).delete(), {"A", "X"}, {"C", "Z"}),
    "statement source edited": (
        lambda w: _save(w["sA"].statement_sources.get(), how="told us by phone"),
        {"A", "X"},
        {"B", "C", "Z"},
    ),
    "statement source added with sources.add": (
        lambda w: w["sB"].sources.add(w["S2"], through_defaults={"how": ""}),
        {"B", "Y"},
        {"C", "Z", "A"},
    ),
    "statement source deleted": (lambda w: w["sA"].statement_sources.get().delete(), {"A", "X"}, {"C"}),
    "source edited": (lambda w: _save(reload(w["S1"]), title="New title"), {"A", "X", "M"}, {"B", "C", "Z"}),
    "evidence source edited": (lambda w: _save(reload(w["S3"]), title="New title"), {"A"}, {"B", "C", "Z"}),
    "actor renamed": (lambda w: _save(reload(w["X"]), name="Renamed"), {"A", "X", "O"}, {"B", "C", "Z"}),
    "organisation renamed": (lambda w: _save(reload(w["O"]), name="Renamed"), {"A", "O", "X"}, {"B", "C"}),
    "publisher renamed": (lambda w: _save(reload(w["M"]), name="Renamed"), {"A", "M"}, {"B", "C", "Z"}),
    "actor alias added": (lambda w: ActorAliasFactory(actor=w["Y"]), {"B", "Y"}, {"A", "C", "X"}),
    "actor alias edited": (lambda w: _save(reload(w["alias"]), name="Другое"), {"A", "X"}, {"B", "C"}),
    "actor alias deleted": (lambda w: reload(w["alias"]).delete(), {"A", "X"}, {"B", "C"}),
    "assessment added": (lambda w: AssessmentFactory(claim=w["C"]), {"C", "Z", "T2"}, {"A", "B", "X"}),
    "assessment edited": (
        lambda w: _save(reload(w["aA"]), rationale="Changed."),
        {"A", "B", "X", "T1"},
        {"C", "Z", "T2"},
    ),
    "assessment unpublished": (
        lambda w: _save(reload(w["aA"]), is_published=False),
        {"A", "X", "T1"},
        {"C", "Z"},
    ),
    "assessment deleted": (lambda w: reload(w["aA"]).delete(), {"A", "X", "T1"}, {"C", "Z"}),
    "assessment evidence added": (lambda w: w["aA"].evidence.add(w["S2"]), {"A"}, {"C", "Z"}),
    "place edited": (lambda w: _save(reload(w["P"]), aliases="Бахмут"), {"A", "T1"}, {"B", "C", "T2"}),
    "topic renamed": (lambda w: _save(reload(w["T2"]), name="Renamed topic"), {"C", "T2"}, {"A", "B", "T1"}),
    "topic deleted": (lambda w: reload(w["T2"]).delete(), {"C"}, {"A", "B", "T1"}),
    "claim link added": (
        lambda w: ClaimLinkFactory(from_claim=w["C"], to_claim=w["B"]),
        {"B", "C"},
        {"A", "X"},
    ),
    "claim link edited": (lambda w: _save(reload(w["link"]), note="See also."), {"A", "B"}, {"C"}),
    "claim link deleted": (lambda w: reload(w["link"]).delete(), {"A", "B"}, {"C"}),
    "claim deleted": (lambda w: reload(w["B"]).delete(), {"A", "T1", "Y"}, {"C", "Z", "T2"}),
}


def _save(obj, **changes):
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.save()
    return obj


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_an_edit_moves_the_version_of_every_page_that_shows_it(world, edit):
    do, must_change, must_not = EDITS[edit]
    before = versions(world)
    do(world)
    after = versions(world)
    gone = {name for name, version in after.items() if version is None}
    moved = changed(before, after) - gone
    assert must_change - gone <= moved, f"stale: {sorted(must_change - gone - moved)}"
    assert not (must_not & moved), f"needlessly refreshed: {sorted(must_not & moved)}"


def test_a_version_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert claim_version(None, world["A"].slug).token.startswith("claim.")
    assert claim_version(None, "no-such-claim") is None


def test_the_list_version_moves_on_any_change_shown_on_a_claim(world):
    first = claim_list_version(None)
    assert claim_list_version(None) == first
    _save(reload(world["sC"]), summary="Changed.")
    assert claim_list_version(None) != first


def test_deleting_a_claim_moves_the_list_version(world, django_capture_on_commit_callbacks):
    before = claim_list_version(None)
    with django_capture_on_commit_callbacks(execute=True):
        Claim.objects.filter(pk=world["C"].pk).first().delete()
    assert claim_list_version(None).token != before.token


# --- cached_page through a test-only URLconf ----------------------------------

RENDERS = []


@cached_page(claim_version)
def plain_view(request, slug):
    RENDERS.append(slug)
    claim = Claim.objects.get(slug=slug)
    return HttpResponse(" | ".join([claim.text, *(s.summary for s in claim.statements.all())]))


@cached_page(actor_version)
def template_view(request, slug):
    RENDERS.append(slug)
    template = engines["django"].from_string("{{ actor.name }}: {{ actor.statements.count }}")
    return TemplateResponse(request, template, {"actor": Actor.objects.get(slug=slug)})


@cached_page(topic_version)
def csrf_view(request, slug):
    RENDERS.append(slug)
    template = engines["django"].from_string("{% csrf_token %}{{ topic.name }}")
    return TemplateResponse(request, template, {"topic": Topic.objects.get(slug=slug)})


class ClaimAPIView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = []

    @method_decorator(cached_page(claim_version))
    def get(self, request, slug):
        RENDERS.append(slug)
        return Response({"text": Claim.objects.get(slug=slug).text})


urlpatterns = [
    path("c/<slug:slug>/", plain_view),
    path("a/<slug:slug>/", template_view),
    path("t/<slug:slug>/", csrf_view),
    path("api/<slug:slug>/", ClaimAPIView.as_view()),
]


@pytest.fixture
def renders():
    RENDERS.clear()
    return RENDERS


@pytest.mark.urls(__name__)
def test_cached_page_serves_the_change_after_an_edit_and_answers_304(world, client, renders):
    url = f"/c/{world['A'].slug}/"
    first = client.get(url)
    assert first.status_code == 200 and b"Said so." in first.content
    assert first["ETag"] and first["Last-Modified"]
    cache_control = first["Cache-Control"]
    assert (
        "public" in cache_control
        and "max-age=" in cache_control
        and "stale-while-revalidate=" in cache_control
    )
    second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert renders == [world["A"].slug]  # the second came from the cache

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    _save(reload(world["sA"]), summary="Changed my mind.")
    third = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert third.status_code == 200 and b"Changed my mind." in third.content
    assert third["ETag"] != first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=third["ETag"]).status_code == 304


@pytest.mark.urls(__name__)
def test_template_and_api_responses_are_cached_and_refreshed(world, client, renders):
    actor_url, api_url = f"/a/{world['X'].slug}/", f"/api/{world['A'].slug}/"
    assert client.get(actor_url).content == f"{world['X'].name}: 1".encode()
    assert client.get(api_url).json() == {"text": world["A"].text}
    assert client.get(actor_url).status_code == client.get(api_url).status_code == 200
    assert len(renders) == 2
    StatementFactory(claim=world["B"], actor=world["X"], stance=Stance.RETRACTS)
    _save(reload(world["A"]), text="Edited text.")
    assert client.get(actor_url).content == f"{world['X'].name}: 2".encode()
    assert client.get(api_url).json() == {"text": "Edited text."}


@pytest.mark.urls(__name__)
def test_logged_in_users_get_private_uncached_pages(world, client, editor, renders):
    client.force_login(editor)
    url = f"/c/{world['A'].slug}/"
    for _ in range(2):
        response = client.get(url)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert not response.has_header("ETag")
    assert len(renders) == 2


@pytest.mark.urls(__name__)
def test_pages_with_a_csrf_token_are_not_cached(world, client, renders):
    url = f"/t/{world['T1'].slug}/"
    client.get(url)
    client.get(url)
    assert len(renders) == 2


@pytest.mark.urls(__name__)
def test_page_cache_off_renders_every_time_and_missing_rows_fall_through(world, client, settings, renders):
    settings.PAGE_CACHE = False
    url = f"/c/{world['A'].slug}/"
    client.get(url)
    assert client.get(url)["ETag"]
    assert len(renders) == 2
    with pytest.raises(Claim.DoesNotExist):
        client.get("/c/no-such-claim/")
