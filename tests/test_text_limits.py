"""Every free-text field has a bound that fits what it holds (a claim's text is
a sentence or two; a quote a paragraph or a few), enforced by the model, the
database, the admin and the API, each with an error naming the field and the
limit. A 2 MB claim text, quote or context is refused, not stored."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.models import TEXT_LIMITS, Actor, Assessment, Claim, Place, Statement, Topic

from .admin_forms import form_data
from .factories import ActorFactory, AssessmentFactory, ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db

HUGE = "x" * 2_000_000
BOUNDED = [
    (Claim, "text", TEXT_LIMITS["claim_text"]),
    (Claim, "context", TEXT_LIMITS["context"]),
    (Claim, "internal_notes", TEXT_LIMITS["notes"]),
    (Statement, "summary", TEXT_LIMITS["summary"]),
    (Statement, "quote", TEXT_LIMITS["quote"]),
    (Statement, "translation", TEXT_LIMITS["quote"]),
    (Assessment, "rationale", TEXT_LIMITS["rationale"]),
    (Assessment, "internal_notes", TEXT_LIMITS["notes"]),
    (Actor, "description", TEXT_LIMITS["description"]),
    (Topic, "description", TEXT_LIMITS["description"]),
    (Place, "aliases", TEXT_LIMITS["aliases"]),
]


def test_limits_fit_what_each_field_holds():
    assert TEXT_LIMITS["claim_text"] <= 500
    assert TEXT_LIMITS["claim_text"] < TEXT_LIMITS["quote"] < TEXT_LIMITS["notes"]


@pytest.mark.parametrize(("model", "field", "limit"), BOUNDED, ids=lambda v: getattr(v, "__name__", v))
def test_each_text_field_declares_its_limit(model, field, limit):
    assert model._meta.get_field(field).max_length == limit


@pytest.mark.parametrize(("model", "field", "limit"), BOUNDED, ids=lambda v: getattr(v, "__name__", v))
def test_full_clean_names_the_field_and_the_limit(model, field, limit):
    obj = model(**{field: "x" * (limit + 1)})
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    messages = error.value.message_dict[field]
    assert any(f"at most {limit:,}" in m or f"at most {limit}" in m for m in messages), messages


@pytest.mark.parametrize(
    ("make", "field", "limit"),
    [
        (lambda: ClaimFactory(), "text", TEXT_LIMITS["claim_text"]),
        (lambda: StatementFactory(), "summary", TEXT_LIMITS["summary"]),
        (lambda: AssessmentFactory(), "rationale", TEXT_LIMITS["rationale"]),
    ],
    ids=["claim-text", "statement-summary", "assessment-rationale"],
)
def test_the_database_refuses_text_past_its_limit(make, field, limit):
    obj = make()
    model = type(obj)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: "x" * (limit + 1)})
    model.objects.filter(pk=obj.pk).update(**{field: "x" * limit})


def test_admin_refuses_a_huge_claim_text_and_keeps_the_stored_one(editor_client):
    claim = ClaimFactory(text="The stored wording.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url)) | {"text": HUGE}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["text"]
    assert "at most 500 characters" in errors[0]
    claim.refresh_from_db()
    assert claim.text == "The stored wording."


def test_admin_statement_form_refuses_a_huge_quote(editor_client):
    claim, actor = ClaimFactory(), ActorFactory()
    url = reverse("admin:claims_statement_add")
    data = form_data(editor_client.get(url)) | {
        "claim": claim.pk,
        "actor": actor.pk,
        "stance": "asserts",
        "stated_on": "2023-04-03",
        "quote": HUGE,
        "quote_language": "uk",
        "statement_sources-TOTAL_FORMS": 0,
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "quote" in response.context["adminform"].form.errors
    assert not Statement.objects.exists()


def test_textarea_tells_the_browser_the_limit(editor_client):
    page = editor_client.get(reverse("admin:claims_claim_add")).content.decode()
    assert 'maxlength="500"' in page


def test_import_refuses_a_claim_text_past_the_limit_naming_it(api_client_for):
    from .test_api_claimreview import review

    response = api_client_for("Reviewer").post(
        "/api/v1/import/claimreview/", [review(claimReviewed="y" * 501)], format="json"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "claimReviewed" in body
    assert "500" in body
    assert not Claim.objects.exists()
