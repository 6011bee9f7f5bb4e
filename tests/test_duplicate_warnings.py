"""Duplicate warnings: a claim (or an actor) that is already in the database
is named while the editor types and again on save, where a near-duplicate
needs an explicit "This is a different ..." tick (claims/duplicates.py,
claims/admin/duplicates.py). The same tests run on SQLite (shared words) and
PostgreSQL (trigram similarity)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claims.duplicates import significant_words, similar_actors, similar_claims
from claims.models import Actor, Claim

from .admin_forms import form_data
from .factories import ActorAliasFactory, ActorFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

NEAR_TOWN_HALL = "Wagner captured the Bakhmut town hall"
UNRELATED = "Finland's border with Russia is 1,300 km long."


def add_claim(client, text, **values):
    url = reverse("admin:claims_claim_add")
    data = form_data(client.get(url))
    data.update(text=text, slug=values.pop("slug", "new-claim"), first_claimed_on="2023-04-03", **values)
    return client.post(url, data)


def add_actor(client, name, **values):
    url = reverse("admin:claims_actor_add")
    data = form_data(client.get(url))
    data.update(name=name, slug=values.pop("slug", "new-actor"), kind="person", **values)
    return client.post(url, data)


def refused_errors(response, field):
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return str(form.errors[field])


def rendered_fields(response):
    fields = [line.field for fieldset in response.context["adminform"] for row in fieldset for line in row]
    return [field["name"] if isinstance(field, dict) else field.name for field in fields]


def similar_json(client, admin_name, text, **params):
    return client.get(reverse(f"admin:{admin_name}_similar"), {"text": text, **params})


# --- The capability -------------------------------------------------------


def test_a_near_wording_of_the_town_hall_claim_finds_it(town_hall):
    found = similar_claims(NEAR_TOWN_HALL)
    assert found[0].pk == town_hall.pk
    assert found[0].status == "disputed"
    assert found[0].is_published
    assert found[0].admin_url == reverse("admin:claims_claim_change", args=[town_hall.pk])
    assert found[0].public_url == town_hall.get_absolute_url()


def test_an_unrelated_claim_finds_nothing(demo):
    assert similar_claims(UNRELATED) == []


def test_a_claim_is_never_its_own_duplicate(town_hall):
    assert similar_claims(town_hall.text)[0].pk == town_hall.pk
    assert town_hall.pk not in [found.pk for found in similar_claims(town_hall.text, exclude_pk=town_hall.pk)]


def test_a_draft_has_no_public_address(db):
    draft = ClaimFactory(text="The dam at Nova Kakhovka was blown up from inside.", is_published=False)
    found = similar_claims("The Nova Kakhovka dam was blown up from the inside")
    assert [(f.pk, f.is_published, f.public_url) for f in found] == [(draft.pk, False, "")]


def test_too_short_a_text_is_not_compared(demo):
    assert similar_claims("Wagner") == []


def test_significant_words_drop_short_and_common_words():
    assert significant_words("The Wagner Group captured Bakhmut's city hall in 2023") == {
        "wagner",
        "group",
        "captured",
        "bakhmut",
        "city",
        "hall",
    }


def test_evgeny_finds_yevgeny_prigozhin(db):
    prigozhin = ActorFactory(name="Yevgeny Prigozhin", slug="yevgeny-prigozhin")
    found = similar_actors("Evgeny Prigozhin")
    assert [(f.pk, f.matched) for f in found] == [(prigozhin.pk, "Yevgeny Prigozhin")]


def test_an_actor_is_found_by_its_alias(demo):
    wagner = Actor.objects.get(slug="wagner-group")  # alias "PMC Wagner" in the demo
    found = similar_actors("Wagner PMC")
    assert found[0].pk == wagner.pk
    assert found[0].name == "Wagner Group"


def test_an_actor_found_by_name_and_alias_is_listed_once(db):
    prigozhin = ActorFactory(name="Yevgeny Prigozhin", slug="yevgeny-prigozhin")
    ActorAliasFactory(actor=prigozhin, name="Evgeny Prigozhin")
    found = similar_actors("Evgeny Prigozhin")
    assert [(f.pk, f.matched) for f in found] == [(prigozhin.pk, "Evgeny Prigozhin")]


def test_an_unrelated_actor_name_finds_nothing(demo):
    assert similar_actors("Volodymyr Zelensky") == []


# --- On save: the claim form ------------------------------------------------


def test_near_duplicate_claim_is_refused_until_ticked(editor_client, town_hall):
    response = add_claim(editor_client, NEAR_TOWN_HALL)
    error = refused_errors(response, "text")
    assert "Similar claims already in the database" in error
    assert escape(town_hall.text) in error
    assert reverse("admin:claims_claim_change", args=[town_hall.pk]) in error
    assert "Disputed, published" in error
    assert "not_a_duplicate" in rendered_fields(response)
    # The editor's input stays on the form.
    assert response.context["adminform"].form["text"].value() == NEAR_TOWN_HALL
    assert not Claim.objects.filter(slug="new-claim").exists()

    response = add_claim(editor_client, NEAR_TOWN_HALL, not_a_duplicate="on")
    assert response.status_code == 302
    assert Claim.objects.get(slug="new-claim").text == NEAR_TOWN_HALL


def test_tick_box_appears_only_after_a_refusal(editor_client, demo):
    response = editor_client.get(reverse("admin:claims_claim_add"))
    assert "not_a_duplicate" not in rendered_fields(response)


def test_unrelated_claim_saves_without_a_tick(editor_client, demo):
    response = add_claim(editor_client, UNRELATED)
    assert response.status_code == 302
    assert Claim.objects.filter(slug="new-claim", text=UNRELATED).exists()


def change_claim(client, claim, **values):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(values)
    return client.post(url, data)


def test_editing_a_claims_other_fields_does_not_trip_on_itself_or_its_twin(editor_client, town_hall):
    # Already a near-duplicate of the town-hall claim (saved with a tick, say).
    twin = ClaimFactory(text="The Wagner Group captured Bakhmut's city administration building, it said.")
    response = change_claim(editor_client, twin, context="New background.")
    assert response.status_code == 302, response.context and response.context["errors"]
    twin.refresh_from_db()
    assert twin.context == "New background."


def test_rewording_a_claim_into_another_ones_duplicate_is_refused(editor_client, town_hall):
    claim = ClaimFactory(text="Russian forces have not captured anything in Bakhmut.")
    response = change_claim(
        editor_client, claim, text="The Wagner Group captured the city administration building of Bakhmut."
    )
    assert escape(town_hall.text) in refused_errors(response, "text")
    claim.refresh_from_db()
    assert claim.text == "Russian forces have not captured anything in Bakhmut."


def test_rewording_a_claim_slightly_is_not_its_own_duplicate(editor_client, db):
    claim = ClaimFactory(text="The dam at Nova Kakhovka was blown up from inside.")
    response = change_claim(
        editor_client, claim, text="The dam at Nova Kakhovka was blown up from the inside."
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    claim.refresh_from_db()
    assert claim.text == "The dam at Nova Kakhovka was blown up from the inside."


# --- On save: the actor form ------------------------------------------------


def test_new_actor_similar_to_an_existing_one_is_refused_until_ticked(editor_client, db):
    prigozhin = ActorFactory(name="Yevgeny Prigozhin", slug="yevgeny-prigozhin")
    data = {"aliases-TOTAL_FORMS": 0}
    response = add_actor(editor_client, "Evgeny Prigozhin", **data)
    error = refused_errors(response, "name")
    assert "Yevgeny Prigozhin" in error
    assert reverse("admin:claims_actor_change", args=[prigozhin.pk]) in error
    assert "not_a_duplicate" in rendered_fields(response)

    response = add_actor(editor_client, "Evgeny Prigozhin", not_a_duplicate="on", **data)
    assert response.status_code == 302
    assert Actor.objects.filter(name="Evgeny Prigozhin").exists()


def test_new_actor_matching_an_alias_is_refused(editor_client, demo):
    response = add_actor(editor_client, "Wagner PMC", **{"aliases-TOTAL_FORMS": 0})
    error = refused_errors(response, "name")
    assert "Wagner Group" in error
    assert "PMC Wagner" in error  # the alias it matched


def test_editing_an_actors_other_fields_does_not_trip(editor_client, db):
    ActorFactory(name="Yevgeny Prigozhin", slug="yevgeny-prigozhin")
    twin = ActorFactory(name="Evgeny Prigozhin", slug="evgeny-prigozhin")
    url = reverse("admin:claims_actor_change", args=[twin.pk])
    data = form_data(editor_client.get(url))
    data["role"] = "Founder of the Wagner Group"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    twin.refresh_from_db()
    assert twin.role == "Founder of the Wagner Group"


# --- Live: the JSON endpoint ------------------------------------------------


def test_endpoint_lists_the_similar_claim_with_its_status(editor_client, town_hall):
    response = similar_json(editor_client, "claims_claim", NEAR_TOWN_HALL)
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    body = response.json()
    assert body["heading"] == "Similar claims already in the database"
    first = body["similar"][0]
    assert first["id"] == town_hall.pk
    assert first["text"] == town_hall.text
    assert (first["status"], first["status_label"], first["published"]) == ("disputed", "Disputed", True)
    assert first["admin_url"] == reverse("admin:claims_claim_change", args=[town_hall.pk])
    assert first["public_url"] == town_hall.get_absolute_url()


def test_endpoint_leaves_out_the_claim_being_edited(editor_client, town_hall):
    response = similar_json(editor_client, "claims_claim", town_hall.text, exclude=town_hall.pk)
    assert town_hall.pk not in [item["id"] for item in response.json()["similar"]]


def test_endpoint_answers_an_empty_list_for_short_or_unrelated_text(editor_client, demo):
    assert similar_json(editor_client, "claims_claim", "Wag").json()["similar"] == []
    assert similar_json(editor_client, "claims_claim", UNRELATED).json()["similar"] == []
    assert editor_client.get(reverse("admin:claims_claim_similar")).json()["similar"] == []


def test_endpoint_names_a_malformed_exclude(editor_client, demo):
    response = similar_json(editor_client, "claims_claim", NEAR_TOWN_HALL, exclude="seven")
    assert response.status_code == 400
    assert "exclude" in response.json()["errors"]


def test_endpoint_lists_similar_actors_by_alias(editor_client, demo):
    body = similar_json(editor_client, "claims_actor", "Wagner PMC").json()
    assert body["similar"][0]["name"] == "Wagner Group"
    assert body["similar"][0]["matched"] == "PMC Wagner"


def test_endpoint_refuses_anonymous_users(client, town_hall):
    response = similar_json(client, "claims_claim", NEAR_TOWN_HALL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_endpoint_refuses_non_staff(client, town_hall):
    client.force_login(UserFactory(username="reader"))
    response = similar_json(client, "claims_claim", NEAR_TOWN_HALL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_endpoint_refuses_staff_who_may_not_view_claims(client, town_hall):
    user = UserFactory(username="staff-only")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert similar_json(client, "claims_claim", NEAR_TOWN_HALL).status_code == 403


def test_endpoint_queries_do_not_grow_with_matches(editor_client, db):
    def queries_for(similar_rows):
        for n in range(similar_rows):
            ClaimFactory(text=f"Wagner captured the Bakhmut town hall on day {n}.", slug=f"day-{n}")
        editor_client.get(reverse("admin:claims_claim_similar"), {"text": "warm-up"})
        with CaptureQueriesContext(connection) as queries:
            response = similar_json(editor_client, "claims_claim", NEAR_TOWN_HALL)
        return len(queries), len(response.json()["similar"])

    one = queries_for(1)
    Claim.objects.all().delete()
    many = queries_for(12)
    assert one[1] == 1 and many[1] == 5
    assert one[0] == many[0]


def test_actor_endpoint_queries_do_not_grow_with_matches(editor_client, db):
    def queries_for(n):
        for i in range(n):
            actor = ActorFactory(name=f"Yevgeny Prigozhin {i}", slug=f"prigozhin-{i}")
            ActorAliasFactory(actor=actor, name=f"Evgeny Prigozhin {i}")
        with CaptureQueriesContext(connection) as queries:
            response = similar_json(editor_client, "claims_actor", "Evgeny Prigozhin")
        return len(queries), len(response.json()["similar"])

    one = queries_for(1)
    Actor.objects.all().delete()
    many = queries_for(10)
    assert one[1] == 1 and many[1] == 5
    assert one[0] == many[0]
