"""Places through the API: readers list and read them; Editors add them, so a
client can set a claim's `place` (a place's slug)."""

import pytest

from claims.models import Claim, Place

from .factories import ClaimFactory, PlaceFactory

pytestmark = pytest.mark.django_db

BAKHMUT = {
    "name": "Bakhmut",
    "aliases": "Бахмут\nArtemivsk",
    "country": "UA",
    "latitude": "48.594700",
    "longitude": "38.000800",
}


def test_readers_list_and_read_places(api_client):
    PlaceFactory(name="Bakhmut", slug="bakhmut", country="UA")
    listed = api_client.get("/api/v1/places/")
    assert listed.status_code == 200
    assert [row["slug"] for row in listed.json()["results"]] == ["bakhmut"]
    detail = api_client.get("/api/v1/places/bakhmut/").json()
    assert detail["api_url"] == "http://testserver/api/v1/places/bakhmut/"
    assert detail["country"] == "UA"
    assert api_client.get("/api/v1/places/?country=UA").json()["results"][0]["slug"] == "bakhmut"
    assert api_client.get("/api/v1/places/?name=artem").json()["results"] == []


def test_an_editor_adds_a_place_and_sets_it_on_a_claim(api_client_for):
    editor = api_client_for("Editor")
    created = editor.post("/api/v1/places/", BAKHMUT)
    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "bakhmut"
    assert created["Location"] == "http://testserver/api/v1/places/bakhmut/"
    assert editor.get("/api/v1/places/?name=artem").json()["results"][0]["slug"] == "bakhmut"

    claimed = editor.post("/api/v1/claims/", {"text": "Wagner took the town hall.", "place": "bakhmut"})
    assert claimed.status_code == 201, claimed.json()
    assert Claim.objects.get(slug=claimed.json()["slug"]).place.slug == "bakhmut"


def test_readers_cannot_add_places(api_client, api_client_for):
    assert api_client.post("/api/v1/places/", BAKHMUT).status_code in (401, 403)
    assert api_client_for("").post("/api/v1/places/", BAKHMUT).status_code == 403
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"latitude": "91"}, "latitude"), ({"country": "Ukraine"}, "country"), ({"name": ""}, "name")],
)
def test_bad_place_input_is_a_400_naming_the_field(api_client_for, change, field):
    response = api_client_for("Editor").post("/api/v1/places/", {**BAKHMUT, **change})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Place.objects.exists()


def test_a_taken_slug_is_a_409(api_client_for):
    PlaceFactory(slug="bakhmut")
    response = api_client_for("Editor").post("/api/v1/places/", {**BAKHMUT, "slug": "bakhmut"})
    assert response.status_code == 409
    assert response.json()["field"] == "slug"


def test_only_reviewers_delete_places_and_not_one_a_claim_is_about(api_client_for):
    place = PlaceFactory(slug="bakhmut")
    ClaimFactory(place=place)
    assert api_client_for("Editor").delete("/api/v1/places/bakhmut/").status_code == 403
    assert api_client_for("Reviewer").delete("/api/v1/places/bakhmut/").status_code == 409
    assert Place.objects.filter(slug="bakhmut").exists()
